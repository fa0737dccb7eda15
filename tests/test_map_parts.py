"""The map never loses a part without saying so (issue 8, item 4): a safe diagram by
construction, long texts shortened where they are laid out, Graphviz failures in plain words,
and the diagram strategy chosen from the journey's size before Graphviz runs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import journeymap
from journeymap.cli import main
from journeymap.render import dot as dot_module
from journeymap.render.dot import diagram_plan, render_dot, render_stage_dot
from journeymap.render.escape import ELLIPSIS, NAME_CHARACTERS, shorten
from journeymap.render.html import render_html
from journeymap.render.markdown import render_markdown
from journeymap.render.mermaid import render_mermaid
from journeymap.render.output import RenderError, graphviz_failure, layout, render_outputs
from journeymap.render.svg import clean_svg

HERE = Path(__file__).resolve().parent
SMALL = HERE / "fixtures" / "render" / "small.journey.yaml"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")


def small_with(tmp_path: Path, replacements: dict[str, str]) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "small.journey.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def analysis(path: Path) -> journeymap.Analysis:
    return journeymap.analyze(journeymap.load(path))


# -- a safe diagram by construction ---------------------------------------------------------

INNOCENT = {
    "name: Fills in the renewal form": 'name: "Turns online = yes"',
    "name: Gets the reminder letter": 'name: "Sign-up online = 2 minutes"',
}


@needs_dot
def test_texts_that_read_like_script_keep_the_diagram(tmp_path) -> None:
    """These texts once made the whole diagram vanish (a text regex saw `online =` and
    `javascript:`), with exit 0 and no word."""
    path = small_with(tmp_path, INNOCENT)
    text = path.read_text(encoding="utf-8").replace(
        "    next:\n", '    friction:\n      - {type: effort, severity: 2, note: "the Pay link is javascript:void(0)"}\n    next:\n', 1
    )
    path.write_text(text, encoding="utf-8")
    rendered = render_outputs(analysis(path), ["html"])
    html = rendered.outputs["html"].decode()
    assert '<svg class="flow-svg"' in html
    flow = html[html.index('<svg class="flow-svg"') :]
    assert "Turns online = yes" in flow and "Sign-up online = 2 minutes" in flow
    assert "javascript:void(0)" in html  # the note, as text, on the card
    assert "Left out of this map" not in html and rendered.notes == []
    assert not re.search(r"<svg[^>]*\son[a-z]+=", flow)


def test_a_planted_script_element_and_attributes_are_removed() -> None:
    hostile = (
        '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" onload="a()">'
        '<g id="n1" class="node" onclick="b()"><title>online = yes</title>'
        '<script>c()</script><foreignObject><div>d</div></foreignObject>'
        '<a xlink:href="javascript:e()"><text x="1" y="2">javascript: is text here</text></a>'
        '<a xlink:href="#tp-ok" xlink:title="fine"><text x="1" y="2" style="fill:url(http://evil/x)">ok</text></a>'
        '<a href="https://evil.example/"><ellipse cx="1" cy="1" rx="1" ry="1" fill="url(#g)"/></a>'
        '<image href="https://evil.example/p.png"/><use xlink:href="https://evil.example/s.svg#x"/>'
        "</g></svg>"
    )
    cleaned = clean_svg(hostile)
    assert cleaned.svg is not None
    body = cleaned.svg
    for bad in ("<script", "c()", "foreignObject", "onload", "onclick", "javascript:e", "evil.example", "<image", "<use", "url(http"):
        assert bad not in body, bad
    assert "javascript: is text here" in body and "<title>online = yes</title>" in body
    assert 'xlink:href="#tp-ok"' in body and 'fill="url(#g)"' in body
    assert cleaned.removed["<script> element"] == 1 and cleaned.removed["onclick attribute"] == 1
    assert cleaned.removed["link to outside the page"] == 2
    assert "1 <script> element" in cleaned.removed_text()


def test_entities_and_non_svg_are_refused_with_a_reason() -> None:
    bomb = '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'
    assert clean_svg(bomb).svg is None and "entities" in (clean_svg(bomb).error or "")
    assert clean_svg("<html/>").svg is None and "not an <svg>" in (clean_svg("<html/>").error or "")
    assert clean_svg("<svg><g></svg>").svg is None


def test_a_part_left_out_is_named_on_the_page_and_on_stderr(tmp_path, capsys) -> None:
    """A forced omission: Graphviz's drawing cannot be read as SVG."""

    def broken(source: str, fmt: str) -> bytes:
        return b"<svg><g></svg>"

    rendered = render_outputs(analysis(SMALL), ["html"], graphviz=broken)
    html = rendered.outputs["html"].decode()
    assert "Left out of this map" in html
    assert re.search(r'<div class="omitted" role="note"[^>]*>.*the flow diagram: Graphviz(?:\'|&#39;)s drawing could not be read', html, re.S)
    assert any(note.startswith("the map has no flow diagram: Graphviz's drawing could not be read") for note in rendered.notes)

    # And through the CLI, on stderr.
    import journeymap.render.output as output

    original = output.layout
    output.layout = broken  # type: ignore[assignment]
    try:
        code = main(["render", str(SMALL), "--to", "html", "-o", str(tmp_path / "out")])
    finally:
        output.layout = original  # type: ignore[assignment]
    err = capsys.readouterr().err
    assert code == 0
    assert "note: the map has no flow diagram: Graphviz's drawing could not be read" in err


def test_render_html_names_an_unreadable_diagram_itself() -> None:
    html = render_html(analysis(SMALL), diagram_svg="<svg><unclosed></svg>")
    assert "Left out of this map" in html and "the flow diagram" in html and '<svg class="flow-svg"' not in html


def test_a_stage_without_touchpoints_is_named_on_the_page(tmp_path) -> None:
    """A stage drafted ahead of its touchpoints ('Waiting for the post') vanished from the map, its
    header and column gone, with no word on the page (only validate's warning on stderr)."""
    path = small_with(tmp_path, {"stages:\n": "stages:\n  - {id: wait, name: Waiting for the post <b>, goal: Get the letter}\n"})
    html = render_html(analysis(path))
    notice = re.search(r'<div class="omitted" role="note"[^>]*>(.*?)</div>', html, re.S)
    assert notice is not None
    assert "<li dir=\"auto\">stage &#39;Waiting for the post &lt;b&gt;&#39; (wait): it has no touchpoints" in notice.group(1)
    assert 'data-stage="wait"' not in html
    # a persona's map says it too (a stage the persona does not meet is not 'left out': it is the view)
    persona = journeymap.analyze(journeymap.load(path), "visitor")
    assert "stage &#39;Waiting for the post &lt;b&gt;&#39; (wait)" in render_html(persona)
    assert "(wait)" not in render_html(analysis(SMALL))


# -- long texts -------------------------------------------------------------------------------

LONG = "Pay " + "and wait " * 11_200  # about 100 KB


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    assert shorten("short") == "short"
    cut = shorten(LONG)
    assert len(cut) <= NAME_CHARACTERS and cut.endswith(ELLIPSIS) and cut.startswith("Pay and wait")
    assert shorten("x" * 500, 10) == "x" * 9 + ELLIPSIS


def test_a_100_kb_name_is_shortened_where_it_is_laid_out(tmp_path) -> None:
    path = small_with(tmp_path, {"name: Fills in the renewal form": f"name: {LONG}"})
    result = analysis(path)
    html = render_html(result)
    card = re.search(r'<h3 class="tp-name" dir="auto"><span title="([^"]*)">([^<]*)</span></h3>', html)
    assert card is not None and card.group(1) == LONG.strip() and len(card.group(2)) <= NAME_CHARACTERS
    source = render_dot(result)
    assert max(len(line) for line in source.splitlines()) < 4000
    assert max(len(line) for line in render_mermaid(result).splitlines()) < 400
    assert all(len(line) < 2000 for line in render_markdown(result).splitlines())


@needs_dot
def test_a_100_kb_name_still_gets_its_diagram(tmp_path) -> None:
    path = small_with(tmp_path, {"name: Fills in the renewal form": f"name: {LONG}"})
    rendered = render_outputs(analysis(path), ["html", "svg"])
    assert rendered.errors == {} and rendered.notes == []
    assert b"<svg" in rendered.outputs["svg"]
    assert '<svg class="flow-svg"' in rendered.outputs["html"].decode()


@needs_dot
def test_a_graphviz_failure_names_the_touchpoint_and_the_cause() -> None:
    source = 'digraph {\n  "a" [label="x"];\n  "pay" [label="' + "x" * 20_000 + '"];\n}\n'
    with pytest.raises(RenderError) as failure:
        layout(source, "svg")
    message = str(failure.value)
    assert "touchpoint 'pay'" in message and "20,002 characters" in message and "16,384" in message
    assert "syntax error" in message  # what Graphviz said is kept, after the plain words


def test_a_graphviz_crash_is_called_a_crash() -> None:
    message = graphviz_failure("digraph {}", "free(): invalid next size (normal)", -6)
    assert message.startswith("Graphviz crashed") and "free()" in message


# -- the diagram strategy, chosen from size ---------------------------------------------------


def test_the_plan_is_decided_from_size(monkeypatch) -> None:
    result = analysis(SMALL)
    plan = diagram_plan(result)
    assert plan.kind == "full" and plan.note is None and plan.touchpoints == 5
    monkeypatch.setattr(dot_module, "FULL_DIAGRAM_TOUCHPOINTS", 3)
    plan = diagram_plan(result)
    assert plan.kind == "stages"
    assert plan.note is not None and "stage overview" in plan.note and "5 touchpoints (more than 3)" in plan.note
    monkeypatch.setattr(dot_module, "FULL_DIAGRAM_TOUCHPOINTS", 100)
    monkeypatch.setattr(dot_module, "FULL_DIAGRAM_FLOWS", 2)
    assert diagram_plan(result).kind == "stages" and "flows (more than 2)" in (diagram_plan(result).note or "")


def test_the_stage_overview_aggregates_flows_between_stages() -> None:
    result = analysis(SMALL)
    source = render_stage_dot(result)
    stages = [s.id for s in result.journey.stages]
    for stage in stages:
        assert f'"{stage}" [id="flow-stage-{stage}"' in source
    assert '"__start__" -> "notice"' in source
    edges = re.findall(r'^  "([a-z-]+)" -> "([a-z-]+)" \[id="flow-edge-[^"]*", label="([0-9.]+)%"', source, re.M)
    assert ("notice", "renew") in [(a, b) for a, b, _ in edges]
    # Every customer who enters the journey starts in 'notice' and 90% of them go on to 'renew'.
    share = {(a, b): float(p) for a, b, p in edges}
    assert share[("notice", "renew")] == pytest.approx(90, abs=1)
    assert "tp-" not in source  # no touchpoint nodes


@needs_dot
def test_a_big_journey_draws_the_overview_at_once_and_says_so(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(dot_module, "FULL_DIAGRAM_TOUCHPOINTS", 3)

    def no_full_layout(source: str, fmt: str, **_: object) -> bytes:
        assert "flow-tp-" not in source, "the full diagram must not be laid out"
        return layout(source, fmt)

    monkeypatch.setattr("journeymap.render.output.layout", no_full_layout)
    code = main(["render", str(SMALL), "--to", "html,svg,dot", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 0
    assert "note: the flow diagram is a stage overview: the journey has 5 touchpoints (more than 3)" in err
    assert "the DOT file has all 5 touchpoints" in err
    html = (tmp_path / "out" / "small-journey.html").read_text(encoding="utf-8")
    assert 'class="panel-note diagram-note"><b>the flow diagram is a stage overview' in html
    assert 'id="flow-stage-renew"' in html
    assert 'id="flow&#45;stage&#45;renew"' in (tmp_path / "out" / "small-journey.svg").read_text(encoding="utf-8")
    assert "flow-tp-" in (tmp_path / "out" / "small-journey.dot").read_text(encoding="utf-8")


def test_a_very_big_journey_leaves_out_persona_figures_and_says_so(tmp_path, monkeypatch, capsys) -> None:
    """Five persona views cost five more analyses (40 of 73 s on 50,000 touchpoints): beyond a
    documented size the filter keeps showing each persona's touchpoints, with everyone's figures,
    and the page and stderr say so."""
    import journeymap.analysis as analysis_module

    monkeypatch.setattr("journeymap.render.output.PERSONA_FIGURES_UP_TO", 3)
    calls: list[object] = []
    monkeypatch.setattr(analysis_module, "analyze_personas", lambda *a, **k: calls.append(a) or {})
    code = main(["render", str(SMALL), "--to", "html", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 0 and calls == []
    assert "note: the map leaves out each persona's own figures in the persona filter" in err
    assert "the journey has 5 touchpoints, more than 3" in err
    html = (tmp_path / "out" / "small-journey.html").read_text(encoding="utf-8")
    assert "Left out of this map" in html and "each persona&#39;s own figures" in html
    assert '"kpis"' in html and '"resident":{"name"' in html  # everyone's figures; the persona without its own
    assert not re.search(r'"resident":\{[^}]*"kpis"', html)


def test_a_cleaned_drawing_is_kept_and_the_same_whatever_is_asked_first() -> None:
    """The cache of cleaned SVG gives what cleaning afresh gives, with or without root attributes."""
    from journeymap.render import svg as svg_module

    drawing = '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" onload="a()"><g id="n"><text x="1">a &amp; b</text></g></svg>'
    fresh = svg_module._clean(drawing)
    first = clean_svg(drawing, root_attributes='class="flow-svg"')
    again = clean_svg(drawing)
    assert again.svg == fresh.svg and again.removed == fresh.removed == {"onload attribute": 1}
    assert first.svg == '<svg class="flow-svg" width="10pt"><g id="n"><text x="1">a &amp; b</text></g></svg>'
    assert drawing in svg_module._cleaned  # cleaned once, kept
    again.removed["x"] += 1  # a caller changing its result does not change the next caller's
    assert clean_svg(drawing).removed == {"onload attribute": 1}
    for i in range(svg_module.CLEAN_CACHE + 2):
        clean_svg(f"<svg><g id='n{i}'/></svg>")
    assert drawing not in svg_module._cleaned and len(svg_module._cleaned) == svg_module.CLEAN_CACHE
