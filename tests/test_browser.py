"""The journey map in a real browser: Debian's Chromium, headless, driven by Playwright.

No browser is downloaded: Playwright launches ``/usr/bin/chromium``. These
tests skip only when that browser is missing and the ``CI`` variable is not
set; in CI they must run. Screenshots and a printed A3 PDF are saved under
``test-artifacts/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap.render.html import CARD_REASONS, percent, real_minus
from journeymap.render.output import render_outputs

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HOSTILE = HERE / "fixtures" / "hostile.journey.yaml"
SMALL = HERE / "fixtures" / "render" / "small.journey.yaml"
SAMPLE = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium); in CI it must be", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402  (the test extra installs it)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("maps")


def write_map(path: Path, out_dir: Path, persona: str | None = None) -> tuple[Any, Path]:
    analysis = journeymap.analyze(journeymap.load(path), persona)
    personas = None
    if persona is None:
        personas = {p.id: journeymap.analyze(analysis.journey, p.id) for p in analysis.journey.personas}
    html = render_outputs(analysis, ["html"], persona_analyses=personas).outputs["html"]
    target = out_dir / f"{analysis.journey.id}{'--' + persona if persona else ''}.html"
    target.write_bytes(html)
    return analysis, target


class Visit:
    """A page opened from file://, with every request, console message and page error recorded."""

    def __init__(self, browser: Any, path: Path, *, width: int = 1280, height: int = 800, hash: str = "") -> None:
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url + hash)
        self.page.wait_for_load_state("load")

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.split("#")[0] == self.url:
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visible(self, tid: str) -> bool:
        return bool(self.page.locator(f'[data-touchpoint="{tid}"]').is_visible())

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_page(path: Path, **kwargs: Any) -> Visit:
        v = Visit(browser, path, **kwargs)
        opened.append(v)
        return v

    yield open_page
    for v in opened:
        v.close()


def test_sample_map_opens_cleanly_offline_and_shows_everything(visit, out_dir: Path) -> None:
    analysis, path = write_map(SAMPLE, out_dir)
    v = visit(path)
    assert v.errors == [] and [c for c in v.console if c.startswith("error")] == []
    assert [r for r in v.requests if r.split("#")[0] != v.url] == [], "the page made a request"
    assert v.requests == [v.url]
    for touchpoint in analysis.journey.touchpoints:
        assert v.visible(touchpoint.id), touchpoint.id
    for stage in analysis.journey.stages:
        assert v.page.locator(f'[data-stage="{stage.id}"]').is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    v.page.screenshot(path=str(ARTIFACTS / "map-1280x800.png"))
    v.page.screenshot(path=str(ARTIFACTS / "map-full.png"), full_page=True)
    v.page.emulate_media(media="print")
    v.page.pdf(path=str(ARTIFACTS / "map-a3.pdf"), format="A3", landscape=True, print_background=True)
    assert (ARTIFACTS / "map-a3.pdf").read_bytes().startswith(b"%PDF")


def test_lane_labels_fit_their_column(visit, out_dir: Path) -> None:
    """No lane label spills over the map ("OPPORTUNITIES" did, by 30 px, in DejaVu Sans)."""
    _, path = write_map(SAMPLE, out_dir)
    v = visit(path)
    spill = v.page.evaluate(
        """[...document.querySelectorAll('#map th.lane')].map(th => {
            const range = document.createRange();
            range.selectNodeContents(th.querySelector('.lane-title'));
            const text = range.getBoundingClientRect(), cell = th.getBoundingClientRect();
            return [th.textContent.trim(), Math.round(text.right - (cell.right - parseFloat(getComputedStyle(th).paddingRight)))];
        }).filter(([, over]) => over > 0)"""
    )
    assert spill == []


def test_weak_touchpoints_are_highlighted_with_reasons(visit, out_dir: Path) -> None:
    analysis, path = write_map(SAMPLE, out_dir)
    assert analysis.weak
    v = visit(path)
    healthy = next(t.id for t in analysis.journey.touchpoints if t.id not in analysis.weak)
    healthy_style = v.page.locator(f'[data-touchpoint="{healthy}"]').evaluate(
        "e => getComputedStyle(e).backgroundColor + getComputedStyle(e).borderTopWidth"
    )
    for rank, tid in enumerate(analysis.weak, 1):
        card = v.page.locator(f'[data-touchpoint="{tid}"]')
        assert card.get_attribute("data-weak") == "true"
        text = card.inner_text()
        assert "WEAK" in text.upper() and f"#{rank} of {len(analysis.weak)}" in text
        # as the map shows them: journeymap's figures with a real minus sign, a friction note as written
        reasons = [r if r.startswith("friction '") else real_minus(r) for r in analysis.touchpoints[tid].reasons]
        for reason in reasons[:CARD_REASONS]:  # the worst ones on the card
            assert reason in text
        if len(reasons) > CARD_REASONS:  # the rest one click away, so the card row stays short
            more = card.locator("details.more-reasons summary")
            assert more.inner_text() == f"{len(reasons) - CARD_REASONS} more reason{'s' * (len(reasons) - CARD_REASONS != 1)}"
            assert reasons[-1] not in text
            more.click()
            text = card.inner_text()
        for reason in reasons:
            assert reason in text
        assert card.locator(".weak-flag svg").is_visible()  # the icon, not colour alone
        style = card.evaluate("e => getComputedStyle(e).backgroundColor + getComputedStyle(e).borderTopWidth")
        assert style != healthy_style
    # The ranked list links to the cards, in impact order.
    links = v.page.locator(".weak-list li h3 a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [f"#tp-{t}" for t in analysis.weak]
    links.first.click()
    v.page.wait_for_function(f"location.hash === '#tp-{analysis.weak[0]}'")
    assert v.page.locator(f'[data-touchpoint="{analysis.weak[0]}"]').is_visible()


def test_persona_filter_hides_and_shows_touchpoints(visit, out_dir: Path) -> None:
    analysis, path = write_map(SAMPLE, out_dir)
    journey = analysis.journey
    v = visit(path)
    every = [t.id for t in journey.touchpoints]
    for persona in journey.personas:
        met = {t.id for t in journey.touchpoints_for(persona.id)}
        v.page.locator(f'button[data-persona="{persona.id}"]').click()
        assert v.page.locator(f'button[data-persona="{persona.id}"]').get_attribute("aria-pressed") == "true"
        for tid in every:
            assert v.visible(tid) == (tid in met), (persona.id, tid)
        curve = v.page.locator(f'#map [data-curve="{persona.id}"]')
        assert curve.is_visible() and not v.page.locator('#map [data-curve=""]').is_visible()
        assert curve.locator("g.pt").count() == len([t for t in journey.touchpoints_for(persona.id) if t.emotion is not None])
        for stage in journey.stages:
            shown = any(t.stage == stage.id for t in journey.touchpoints_for(persona.id))
            assert v.page.locator(f'[data-stage="{stage.id}"]').is_visible() == shown
    # Back to everyone, with the keyboard.
    v.page.locator('button[data-persona=""]').focus()
    v.page.keyboard.press("Enter")
    assert all(v.visible(tid) for tid in every)
    assert v.page.locator('#map [data-curve=""]').is_visible()
    v.page.locator(f'button[data-persona="{journey.personas[0].id}"]').focus()
    v.page.keyboard.press("Space")
    assert v.page.locator(f'button[data-persona="{journey.personas[0].id}"]').get_attribute("aria-pressed") == "true"
    assert v.errors == []


def test_persona_filter_shows_the_personas_figures(visit, out_dir: Path) -> None:
    """Every figure above and on the map is the persona's, so the header never contradicts a tile."""
    analysis, path = write_map(SAMPLE, out_dir)
    journey = analysis.journey
    persona = "first-time-customer"  # meets neither declared entry: its journey starts elsewhere
    alone = journeymap.analyze(journey, persona)
    v = visit(path)
    page = v.page

    def text(selector: str) -> str:
        return str(page.locator(selector).first.inner_text())

    everyone = [text('[data-kpi="outcomes"]'), text('[data-kpi="entries"]'), text(f'[data-touchpoint="{alone.weak[0]}"] .reach b')]
    page.locator(f'button[data-persona="{persona}"]').click()
    assert text('[data-kpi="conversion"]') == percent(alone.conversion)
    assert text('[data-kpi="outcomes"]').startswith(f"success {percent(alone.outcomes['success'])}")
    assert text('[data-kpi="entries"]') == str(len(alone.entries))
    assert text('[data-kpi="count"]') == str(len(journey.touchpoints_for(persona)))
    for tid in alone.weak:
        assert text(f'[data-touchpoint="{tid}"] .reach b') == percent(alone.touchpoints[tid].reach)
    stage = alone.stages[0]
    assert text(f'th[data-stage="{stage.id}"] .stage-reach') == percent(stage.reach)
    # All personas again: the page's own figures come back.
    page.locator('button[data-persona=""]').click()
    assert [text('[data-kpi="outcomes"]'), text('[data-kpi="entries"]'), text(f'[data-touchpoint="{alone.weak[0]}"] .reach b')] == everyone
    assert text('[data-kpi="count"]') == str(len(journey.touchpoints))
    assert v.errors == []


def test_persona_filter_with_a_small_journey_and_a_link(visit, out_dir: Path) -> None:
    _, path = write_map(SMALL, out_dir)
    v = visit(path, hash="#persona=visitor")
    assert not v.visible("call-centre")
    assert v.visible("online-form")
    # The stage header spans only what is left.
    assert v.page.locator('[data-stage="renew"]').get_attribute("colspan") == "1"
    ARTIFACTS.mkdir(exist_ok=True)
    v.page.screenshot(path=str(ARTIFACTS / "small-visitor.png"), full_page=True)


def test_hostile_journey_runs_no_script(visit, out_dir: Path) -> None:
    analysis, path = write_map(HOSTILE, out_dir)
    v = visit(path)
    assert v.page.evaluate("typeof window.__pwned") == "undefined"
    assert v.dialogs == []
    assert v.errors == []
    assert [c for c in v.console if c.startswith("error")] == []
    assert v.requests == [v.url]
    for touchpoint in analysis.journey.touchpoints:
        assert v.visible(touchpoint.id)
    # The hostile text is on the page, as text.
    assert "<script>window.__pwned=8</script>" in v.page.locator('[data-touchpoint="landing"]').inner_text()
    for persona in analysis.journey.personas:
        v.page.locator(f'button[data-persona="{persona.id}"]').click()
    assert v.page.evaluate("typeof window.__pwned") == "undefined"
    ARTIFACTS.mkdir(exist_ok=True)
    v.page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)


@pytest.mark.skipif(shutil.which("dot") is None and not os.environ.get("CI"), reason="needs Graphviz")
def test_embedded_diagram_links_to_cards_and_dims_with_the_filter(visit, out_dir: Path) -> None:
    _, path = write_map(SMALL, out_dir)
    v = visit(path)
    node = v.page.locator("#flow-tp-call-centre")
    assert node.count() == 1
    note = v.page.locator("[data-diagram-persona]")
    assert note.is_hidden()
    v.page.locator('button[data-persona="visitor"]').click()
    assert "dim" in (node.get_attribute("class") or "")
    # the labels stay the journey's: the note says so, and how to draw the persona's own
    assert note.is_visible()
    said = note.inner_text()
    assert "Edge labels are the figures of all personas" in said and "render --persona visitor" in said
    v.page.locator('button[data-persona=""]').click()
    assert "dim" not in (node.get_attribute("class") or "")
    assert note.is_hidden()
    v.page.locator("#flow-tp-online-form a").first.click()
    v.page.wait_for_function("location.hash === '#tp-online-form'")


def _prototype_journey(tmp_path: Path) -> Path:
    """The small journey with a touchpoint, a persona, a stage and a channel called ``constructor``:
    the one property of every JavaScript object that is also a valid id (a slug)."""
    text = SMALL.read_text(encoding="utf-8")
    for old, new in (("call-centre", "constructor"), ("resident", "constructor"), ("id: notice", "id: constructor"),
                     ("stage: notice", "stage: constructor"), ("id: phone", "id: constructor"),
                     ("channel: phone", "channel: constructor")):
        assert old in text, old
        text = text.replace(old, new)
    # No emotion on the touchpoint: the emotion curve has no point for it.
    text = text.replace("    personas: [constructor]\n    emotion: -0.5\n", "    personas: [constructor]\n")
    path = tmp_path / "prototype.journey.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_ids_named_like_object_properties_work_in_the_map(visit, out_dir: Path, tmp_path: Path) -> None:
    """Ids were looked up in plain objects: 'constructor' found Object's constructor function, so
    the map showed 'Reach function Object() { [native code] }', never hid that touchpoint, and
    drew the emotion curve from a function."""
    analysis, path = write_map(_prototype_journey(tmp_path), out_dir)
    journey = analysis.journey
    assert {"constructor"} <= {t.id for t in journey.touchpoints} & {p.id for p in journey.personas}
    v = visit(path)
    every = [t.id for t in journey.touchpoints]
    assert all(v.visible(tid) for tid in every)
    for persona in ("visitor", "constructor", ""):
        v.page.locator(f'button[data-persona="{persona}"]').click()
        met = {t.id for t in journey.touchpoints_for(persona)} if persona else set(every)
        for tid in every:
            assert v.visible(tid) == (tid in met), (persona, tid)
        expected = journeymap.analyze(journey, persona or None)
        assert v.page.locator('[data-kpi="count"]').first.inner_text() == str(len(met))
        assert v.page.locator('[data-kpi="conversion"]').first.inner_text() == percent(expected.conversion)
        reach = v.page.locator("td.card .reach b").all_text_contents()
        assert reach and not any("function" in r or "undefined" in r for r in reach), reach
        stage_reach = v.page.locator(".stage-reach").all_text_contents()
        assert not any("function" in r or "undefined" in r for r in stage_reach), stage_reach
    # The visitor never meets the touchpoint called constructor: its card is hidden.
    v.page.locator('button[data-persona="visitor"]').click()
    assert not v.visible("constructor")
    assert v.errors == [] and [c for c in v.console if c.startswith("error")] == []
    # A link to the persona called constructor selects it.
    linked = visit(path, hash="#persona=constructor")
    assert linked.page.locator('button[data-persona="constructor"]').get_attribute("aria-pressed") == "true"
    assert not linked.visible("online-form") or "online-form" in {t.id for t in journey.touchpoints_for("constructor")}
    assert linked.errors == []


@pytest.mark.parametrize("name", ["constructor", "hasownproperty", "__proto__", "toString", "valueOf"])
def test_a_link_to_a_persona_named_like_an_object_property_that_does_not_exist(visit, out_dir: Path, name: str) -> None:
    """``#persona=constructor`` on a map without such a persona threw a TypeError on every map."""
    analysis, path = write_map(SMALL, out_dir)
    v = visit(path, hash=f"#persona={name}")
    assert v.errors == [] and [c for c in v.console if c.startswith("error")] == []
    assert all(v.visible(t.id) for t in analysis.journey.touchpoints)
    assert v.page.locator('button[data-persona=""]').get_attribute("aria-pressed") == "true"


def test_the_embedded_data_cannot_end_its_script_element(out_dir: Path) -> None:
    """The map's data is JSON inside <script type="application/json">: journey text in it can
    neither close the element (</script>), open a comment (<!--) nor break a line for old parsers."""
    import re as _re

    _, path = write_map(HOSTILE, out_dir)
    html = path.read_text(encoding="utf-8")
    blocks = _re.findall(r'<script type="application/json" id="jm-data">(.*?)</script>', html, _re.S)
    assert len(blocks) == 1
    data = blocks[0]
    assert "</" not in data and "<!--" not in data and "<" not in data and "\u2028" not in data and "\u2029" not in data
    import json as _json

    parsed = _json.loads(data)
    assert "</script>" in _json.dumps(parsed, ensure_ascii=False)  # the text is kept, only escaped
def test_a_100_kb_name_keeps_the_card_short(visit, out_dir: Path, tmp_path: Path) -> None:
    """A 100 KB touchpoint name made its card 219,769 px tall; the name is cut (whole on hover)
    and a long description opens on a click. The diagram is there too, and nothing is left out."""
    long_name = "Pay " + "and wait " * 11_200
    text = SMALL.read_text(encoding="utf-8").replace("name: Fills in the renewal form", f"name: {long_name}", 1)
    text = text.replace("action: Uploads proof of address", "action: " + "Uploads proof " * 5000, 1)
    journey = tmp_path / "long.journey.yaml"
    journey.write_text(text, encoding="utf-8")
    _, path = write_map(journey, out_dir)
    html = path.read_text(encoding="utf-8")
    assert "Left out of this map" not in html
    v = visit(path)
    card = v.page.locator('[data-touchpoint="online-form"]')
    height = card.bounding_box()["height"]
    other = v.page.locator('[data-touchpoint="reminder"]').bounding_box()["height"]
    assert height < 700 and height < 3 * max(other, 150), (height, other)
    title = card.locator(".tp-name span").get_attribute("title")
    assert title is not None and len(title) > 100_000
    assert v.page.locator(".flow-svg").count() == (1 if shutil.which("dot") else 0)
    assert v.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    v.page.screenshot(path=str(ARTIFACTS / "map-long-name.png"))


def test_a_map_of_one_persona_names_it_beside_its_conversion(visit, out_dir: Path) -> None:
    """``render --persona visitor``: the Conversion tile showed the visitor's 78% over "all personas"."""
    analysis, path = write_map(SMALL, out_dir, persona="visitor")
    v = visit(path)
    tile = v.page.locator(".kpi").filter(has=v.page.locator('[data-kpi="conversion"]'))
    assert tile.locator('[data-kpi="conversion"]').inner_text() == percent(analysis.conversion)
    assert tile.locator("[data-kpi-scope]").inner_text() == "Visitor"
    everyone, path = write_map(SMALL, out_dir)
    v = visit(path)
    assert v.page.locator("[data-kpi-scope]").inner_text() == "all personas"
    v.page.locator('button[data-persona="visitor"]').click()
    assert v.page.locator("[data-kpi-scope]").inner_text() == "Visitor"
    assert v.errors == []


def _long_journey(tmp_path: Path, count: int) -> Path:
    """``count`` touchpoints in stages of ten, each with a name, an action, a quote and an emotion."""
    lines = [
        "journeymap: 1", "id: long", "title: A long journey", "personas: [{id: shopper, name: Shopper}]",
        "channels: [{id: web, name: Web, kind: digital}]", "stages:",
        *(f"  - {{id: s{i}, name: Stage {i}}}" for i in range((count + 9) // 10)), "touchpoints:",
    ]
    for i in range(count):
        end = f"next: [t{i + 1}]" if i + 1 < count else "outcome: success"
        lines.append(
            f"  - {{id: t{i}, name: Checks the delivery slot {i}, stage: s{i // 10}, channel: web,"
            f" action: Scrolls the options, thought: Is this the earliest?, emotion: {i % 5 - 2}, {end}}}"
        )
    path = tmp_path / "long.journey.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_poster_of_more_than_120_touchpoints_keeps_every_card_in_its_column(visit, out_dir: Path, tmp_path: Path) -> None:
    """A journey of more than 120 touchpoints prints as one poster. Squeezed to A3's width its 121
    columns were 12 px wide: every name one letter a line, running over the cards beside and below
    ('Weak', 'Entry', 'Success outcome' outside their columns). The poster is now the map laid out as
    the sheets are, scaled down to the page: a miniature with every card whole, to zoom into in the PDF."""
    _, path = write_map(_long_journey(tmp_path, 121), out_dir)
    assert 'class="print-map"' not in path.read_text(encoding="utf-8")  # no sheets: the poster
    v = visit(path, width=round((420 - 18) / 25.4 * 96), height=round((297 - 18) / 25.4 * 96))
    v.page.emulate_media(media="print")
    seen = v.page.evaluate(
        """() => {
            const map = document.getElementById('map').getBoundingClientRect();
            const out = [];
            for (const e of document.querySelectorAll('#map td *')) {
              if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
              const cell = e.closest('td').getBoundingClientRect();
              const range = document.createRange(); range.selectNodeContents(e);
              const r = range.getBoundingClientRect();
              if (r.width && (r.left < cell.left - 0.5 || r.right > cell.right + 0.5 || r.bottom > cell.bottom + 0.5))
                out.push(e.textContent.trim().slice(0, 40));
            }
            const names = [...document.querySelectorAll('#map .tp-name')].map(e => e.getClientRects().length);
            return {width: map.width, right: map.right, outside: out, names: names.length, lines: Math.max(...names)};
        }"""
    )
    assert seen["names"] == 121
    assert seen["right"] <= v.page.viewport_size["width"] + 1, seen  # on the page, not cut at its edge
    assert seen["outside"] == [], seen["outside"][:10]
    assert seen["lines"] <= 3, seen  # 'Checks the delivery slot 120' in a few lines, not one letter a line
    assert v.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    v.page.pdf(path=str(ARTIFACTS / "map-a3-poster.pdf"), format="A3", landscape=True, print_background=True)

