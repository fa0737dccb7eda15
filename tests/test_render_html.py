"""The HTML journey map, read as a parser would: hooks, self-containment, escaping, determinism."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

import journeymap
from journeymap.render.escape import json_for_script
from journeymap.render.html import (
    embeddable_svg,
    environment,
    real_minus,
    render_html,
    template_dirs,
)
from journeymap.render.output import render_outputs

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "fixtures" / "hostile.journey.yaml"
SMALL = HERE / "fixtures" / "render" / "small.journey.yaml"
SAMPLES = sorted((HERE.parent / "sample_journeys").glob("*.journey.yaml"))
URL = re.compile(r"(?i)\b(?:https?:|ftp:|//[a-z0-9])")


class Page(HTMLParser):
    """Every element with its attributes, the text of scripts and styles, and nesting errors."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "use", "path", "rect", "circle", "line", "polygon",
            "ellipse", "polyline", "text", "stop", "source", "wbr", "col", "area", "base", "embed", "param", "track"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self._attrs: dict[str, str] = {}
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.elements.append((tag, values))
        if tag in ("script", "style"):
            self._in, self._attrs, self._text = tag, values, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in == "script":
            self.scripts.append((self._attrs, "".join(self._text)))
        elif tag == self._in == "style":
            self.styles.append("".join(self._text))
        if tag == self._in:
            self._in = None

    def with_attr(self, name: str, value: str | None = None) -> list[dict[str, str]]:
        return [a for _, a in self.elements if name in a and (value is None or a[name] == value)]


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def analysis_of(path: Path, persona: str | None = None):
    return journeymap.analyze(journeymap.load(path), persona)


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[object, str]]:
    """Each journey's analysis and its map, with the diagram when Graphviz is there."""
    out = {}
    for path in [SMALL, HOSTILE, *SAMPLES]:
        analysis = analysis_of(path)
        html = render_outputs(analysis, ["html"]).outputs["html"].decode("utf-8")
        out[path.name] = (analysis, html)
    return out


ALL = [p.name for p in [SMALL, HOSTILE, *SAMPLES]]


@pytest.mark.parametrize("name", ALL)
def test_every_touchpoint_stage_and_weak_one_has_its_hook(rendered, name: str) -> None:
    analysis, html = rendered[name]
    page = parse(html)
    journey = analysis.journey
    cards = page.with_attr("data-touchpoint")
    assert sorted(a["data-touchpoint"] for a in cards) == sorted(t.id for t in journey.touchpoints)
    assert sorted(a["data-touchpoint"] for a in page.with_attr("data-weak", "true")) == sorted(analysis.weak)
    assert all(a.get("id") == f"tp-{a['data-touchpoint']}" for a in cards)
    used = {t.stage for t in journey.touchpoints}
    assert [a["data-stage"] for a in page.with_attr("data-stage")] == [s.id for s in journey.stages if s.id in used]
    # Weak ones say so in words, with every reason (its figures with the map's real minus sign).
    for tid in analysis.weak:
        card = re.search(rf'<td class="card[^"]*" id="tp-{tid}".*?</td>', html, re.DOTALL).group(0)
        assert ">Weak<" in card
        for reason in analysis.touchpoints[tid].reasons:
            shown = reason if reason.startswith("friction '") else real_minus(reason)
            assert json.dumps(shown)[1:-1] in card or _text(shown) in card


def _text(reason: str) -> str:
    from journeymap.render.escape import xml_text

    return xml_text(reason)


@pytest.mark.parametrize("name", ALL)
def test_self_contained_no_requests(rendered, name: str) -> None:
    _, html = rendered[name]
    page = parse(html)
    tags = [tag for tag, _ in page.elements]
    assert "link" not in tags and "iframe" not in tags and "img" not in tags and "object" not in tags
    assert all("src" not in attrs for attrs, _ in page.scripts)
    for tag, attrs in page.elements:
        for key in ("src", "href", "xlink:href", "action", "poster", "srcset", "data"):
            value = attrs.get(key, "")
            assert not URL.search(value), (tag, key, value)
            if key in ("href", "xlink:href") and value:
                assert value.startswith("#"), (tag, key, value)
    for css in page.styles:
        assert "url(" not in css and "@import" not in css and "@font-face" not in css
    # The only namespace URIs are the SVG ones Graphviz writes, which are names, not requests.
    assert "<link" not in html and "<script src" not in html


@pytest.mark.parametrize("name", ALL)
def test_document_basics(rendered, name: str) -> None:
    analysis, html = rendered[name]
    assert html.startswith("<!DOCTYPE html>")
    page = parse(html)
    html_tag = page.elements[0]
    assert html_tag[0] == "html" and html_tag[1]["lang"] == "en"
    assert [t for t, _ in page.elements].count("h1") == 1
    assert page.with_attr("aria-label") and page.with_attr("aria-labelledby")
    # No absolute path, no timestamp: the file name only.
    assert "/work/" not in html and str(HERE) not in html
    assert analysis.journey.source.name in html
    assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:", html)


@pytest.mark.parametrize("name", ALL)
def test_script_is_the_hashed_one_and_data_parses(rendered, name: str) -> None:
    analysis, html = rendered[name]
    page = parse(html)
    csp = next(a["content"] for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    runnable = [text for attrs, text in page.scripts if attrs.get("type") != "application/json"]
    assert len(runnable) == 1
    digest = base64.b64encode(hashlib.sha256(runnable[0].encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    blobs = [text for attrs, text in page.scripts if attrs.get("type") == "application/json"]
    assert len(blobs) == 1
    data = json.loads(blobs[0])
    assert data["all"]["touchpoints"] == [a["data-touchpoint"] for a in page.with_attr("data-touchpoint")]
    for persona in analysis.journey.personas:
        met = [t.id for t in analysis.journey.touchpoints_for(persona.id)]
        assert sorted(data["personas"][persona.id]["touchpoints"]) == sorted(met)


def test_hostile_text_is_escaped_everywhere(rendered) -> None:
    _, html = rendered[HOSTILE.name]
    page = parse(html)
    # Exactly the page's own two scripts: nothing in the journey opened a script element.
    assert len(page.scripts) == 2
    assert html.count("<script") == 2
    assert "window.__pwned" in html  # the text is shown ...
    assert "<script>window.__pwned" not in html  # ... but only as text
    assert not [a for _, a in page.elements if any(k.startswith("on") for k in a)]
    assert "javascript:" not in "".join(a.get("href", "") for _, a in page.elements)
    # Jinja syntax in user text is shown, never evaluated.
    assert "{{ 7*7 }}" in html and ">49<" not in html
    # </script> in user text cannot close the JSON blob early.
    blob = next(text for attrs, text in page.scripts if attrs.get("type") == "application/json")
    json.loads(blob)
    assert "</" not in blob


def test_json_for_script_escapes() -> None:
    text = json_for_script({"b": "</script><!-- & \u2028", "a": 1})
    assert text.startswith('{"a":1,')
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["b"] == "</script><!-- & \u2028"


def test_output_is_byte_identical_across_runs() -> None:
    first = render_outputs(analysis_of(HOSTILE), ["html"]).outputs["html"]
    second = render_outputs(analysis_of(HOSTILE), ["html"]).outputs["html"]
    assert first == second


def test_lanes_without_data_are_left_out() -> None:
    html = render_html(analysis_of(SMALL))
    assert 'class="row-thought"' in html and 'class="row-emotion"' in html
    assert 'class="row-metrics"' in html and 'class="row-friction"' in html
    # No touchpoint of the small journey has backstage actions, systems only on one: the lane stays.
    assert 'class="row-backstage"' in html
    bare = journeymap.load_text(
        "journeymap: 1\nid: bare\ntitle: Bare\npersonas: [{id: p, name: P}]\nchannels: [{id: c, name: C}]\n"
        "stages: [{id: s, name: S}]\ntouchpoints: [{id: a, name: A, stage: s, channel: c}]\n"
    )
    html = render_html(journeymap.analyze(bare))
    for lane in ("action", "thought", "emotion", "friction", "metrics", "opportunities", "backstage", "visibility"):
        assert f'class="row-{lane}"' not in html
    assert 'data-touchpoint="a"' in html


def test_persona_map_shows_only_what_the_persona_meets() -> None:
    html = render_html(analysis_of(SMALL, "visitor"))
    page = parse(html)
    assert [a["data-touchpoint"] for a in page.with_attr("data-touchpoint")] == [
        "reminder", "online-form", "permit-issued", "gives-up"
    ]
    assert 'id="persona-filter"' not in html  # one persona: no filter
    assert "persona: <bdi>Visitor</bdi>" in html


NOBODY = """journeymap: 1
id: nobody
title: Renew online
personas: [{id: resident, name: Resident}, {id: business, name: Business}]
channels: [{id: web, name: Web, kind: digital}]
stages: [{id: renew, name: Renew}]
touchpoints:
  - {id: form, name: Form, stage: renew, channel: web, personas: [resident], next: [{to: help, share: 0.5}, {to: done, share: 0.5}]}
  - {id: help, name: Help page, stage: renew, channel: web, personas: [resident], next: [{to: faq, share: 1}]}
  - {id: faq, name: FAQ, stage: renew, channel: web, personas: [resident], next: [{to: help, share: 1}]}
  - {id: done, name: Done, stage: renew, channel: web, personas: [resident], outcome: failure}
"""


def _model_notes(page: str) -> list[str]:
    block = re.search(r'<div role="note" aria-label="About these figures"><ul class="model-notes">(.*?)</ul></div>', page, re.S)
    assert block is not None, "no notes on the figures"
    return [unescape(item) for item in re.findall(r'<li dir="auto">(.*?)</li>', block.group(1))]


def test_the_map_says_why_its_figures_are_what_they_are(tmp_path) -> None:
    """The report says why conversion is 0% (no success outcome, a loop nobody leaves, a persona
    who meets no touchpoint); the map showed the same 0% and 'Meets 0 of 0 touchpoints' with no word."""
    path = tmp_path / "nobody.journey.yaml"
    path.write_text(NOBODY, encoding="utf-8")
    everyone = analysis_of(path)
    html = render_html(everyone)
    assert _model_notes(html) == everyone.notes
    assert "customers who reach the loop help -&gt; faq never leave it" in html
    assert "no touchpoint has outcome: success, so conversion and removal effects are 0" in html

    business = analysis_of(path, "business")
    html = render_html(business)
    assert _model_notes(html) == [
        "no touchpoint starts the journey for this view: every figure is 0",
        "persona 'business' does not meet 4 touchpoints; no flow leads into them",
    ]
    assert "Meets 0 of 4 touchpoints" in html  # the journey's, not the view's (it said 'of 0')


def test_a_note_naming_many_touchpoints_opens_to_them(tmp_path) -> None:
    """'no entry leads to ...' on a big journey names every touchpoint nobody reaches: its start on the map."""
    lines = NOBODY.splitlines()[:-4] + [
        "  - {id: form, name: Form, stage: renew, channel: web, entry: true, next: [done]}",
        "  - {id: done, name: Done, stage: renew, channel: web, outcome: success}",
        *(f"  - {{id: orphan-number-{i}, name: O{i}, stage: renew, channel: web, next: [done]}}" for i in range(60)),
    ]
    path = tmp_path / "orphans.journey.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    analysis = analysis_of(path)
    (note,) = [n for n in analysis.notes if n.startswith("no entry leads to")]
    assert len(note) > 1000
    (shown,) = _model_notes(render_html(analysis))
    assert shown.startswith('<details class="long-text"><summary>no entry leads to orphan-number-0, ')
    assert shown.endswith(f'<span class="full-text">{note}</span></details>')


def test_a_map_with_nothing_to_note_has_no_notes() -> None:
    assert analysis_of(SMALL).notes == []
    assert 'class="model-notes"' not in render_html(analysis_of(SMALL))


def test_metric_details_show_value_n_target_and_confidence() -> None:
    html = render_html(analysis_of(SMALL))
    card = re.search(r'<td data-col="online-form"[^>]*>\s*<ul class="metrics">.*?</ul>', html, re.DOTALL).group(0)
    assert "<details>" in card and "CSAT" in card and "55%" in card and "target 80%" in card and "n = 220" in card
    assert "set for the touchpoint" in card
    low = re.search(r'<td data-col="call-centre"[^>]*>\s*<ul class="metrics">.*?</ul>', html, re.DOTALL).group(0)
    assert "low confidence" in low and "n = 12" in low


def test_emotion_curve_has_a_point_per_emotion_and_marks_weak_ones() -> None:
    analysis = analysis_of(SMALL)
    html = render_html(analysis)
    screen, _, printed = html.partition('<div class="print-map"')
    curve = re.search(r'<div class="curve" data-curve="">(.*?)</div>', screen, re.DOTALL).group(1)
    assert curve.count('<g class="pt') == len([t for t in analysis.journey.touchpoints if t.emotion is not None])
    assert curve.count('href="#m-weak"') == len(analysis.weak)
    assert 'class="grid zero"' in curve
    # Each persona's curve is drawn by the script from the embedded points.
    assert screen.count('data-curve="') == 1
    blob = json.loads(re.search(r'<script type="application/json" id="jm-data">(.*?)</script>', html).group(1))
    assert sorted(blob["curve"]["points"]) == sorted(t.id for t in analysis.journey.touchpoints if t.emotion is not None)


def test_print_sheets_hold_whole_stages_without_duplicate_hooks() -> None:
    from journeymap.render import html as html_module

    analysis = analysis_of(SAMPLES[0])
    text = render_html(analysis)
    screen, _, printed = text.partition('<div class="print-map"')
    printed = printed.partition('<section class="panel')[0]
    assert printed, "a journey this size prints as sheets"
    page = parse(text)
    ids = [a["id"] for _, a in page.elements if "id" in a]
    assert len(ids) == len(set(ids)), "an id appears twice"
    assert "data-touchpoint" not in printed and "data-stage=" not in printed and "data-weak" not in printed
    sheets = printed.count('<section class="sheet">')
    per_sheet = [len(re.findall(r'<td class="card', part)) for part in printed.split('<section class="sheet">')[1:]]
    assert sum(per_sheet) == len(analysis.journey.touchpoints) and len(per_sheet) == sheets
    assert max(per_sheet) <= html_module.PRINT_COLUMNS


def test_embeddable_svg_strips_prolog_and_removes_script() -> None:
    svg = '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "x" "y">\n<!-- Generated by graphviz -->\n<svg width="10pt" height="10pt"><g/></svg>'
    body = embeddable_svg(svg)
    assert body is not None and body.startswith("<svg class=\"flow-svg\"") and "<?xml" not in body and "<!--" not in body
    assert "script" not in (embeddable_svg("<svg><script>alert(1)</script><g/></svg>") or "script")
    assert embeddable_svg('<svg><g onload="x()"/></svg>') == '<svg class="flow-svg" role="img" aria-labelledby="flow-title"><g/></svg>'
    assert embeddable_svg("not svg at all") is None


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_the_diagram_is_embedded_inline() -> None:
    html = render_outputs(analysis_of(SMALL), ["html"]).outputs["html"].decode()
    assert '<svg class="flow-svg"' in html and "<?xml" not in html
    assert 'xlink:href="#tp-online-form"' in html


def test_templates_are_found_and_autoescaped() -> None:
    assert any((d / "map.html.j2").is_file() for d in template_dirs())
    env = environment()
    assert env.get_template("map.html.j2").environment.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
