"""Our outputs in the real programs they are pasted into, in Debian's Chromium (issue 8, item 8).

- Every Mermaid file ``render --to mermaid`` writes (samples, fixtures, a persona's
  view, the hostile journey) is parsed and rendered by the Mermaid library itself
  (npm ``mermaid``, from tests/clients/node_modules), and the SVG it draws has one
  section per stage and one task per touchpoint, with their names as written.
- Every sample map, a persona's map, the in-page persona filter and the hostile
  journey's map are audited by axe-core: no WCAG 2.x A/AA violation, and none of
  axe's best practices either (the flow panel used to be named twice:
  ``landmark-unique``).

One browser for the module, one page for all the Mermaid files. Never skipped:
tests/clients is installed by scripts/setup-clients.sh, Chromium by scripts/setup.sh.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap.cli import main
from journeymap.render.escape import mermaid_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLES = sorted((ROOT / "sample_journeys").glob("*.journey.yaml"))
GROCERY = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
DATA = ROOT / "sample_journeys" / "data"
HOSTILE = HERE / "fixtures" / "hostile.journey.yaml"
SMALL = HERE / "fixtures" / "render" / "small.journey.yaml"
GOOD = sorted((HERE / "fixtures" / "good").glob("*.yaml"))
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
#: axe-core tags audited: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing (/usr/bin/chromium): run bash scripts/setup.sh", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# -- Mermaid ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mermaid(browser: Any, clients: Path) -> Iterator[Any]:
    """A blank page with the Mermaid library loaded; ``mermaid(text)`` parses and renders."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content('<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><div id="out"></div></body></html>')
    page.add_script_tag(path=str(clients / "mermaid" / "dist" / "mermaid.min.js"))
    page.evaluate("() => mermaid.initialize({startOnLoad: false, securityLevel: 'strict', logLevel: 'fatal'})")
    count = iter(range(1_000_000))

    def render(text: str) -> dict[str, Any]:
        result: dict[str, Any] = page.evaluate(
            """async ([text, id]) => {
              try { await mermaid.parse(text); } catch (e) { return {error: 'parse: ' + String(e && e.message || e)}; }
              let svg;
              try { ({svg} = await mermaid.render(id, text)); } catch (e) { return {error: 'render: ' + String(e && e.message || e)}; }
              const out = document.getElementById('out');
              out.innerHTML = svg;
              const root = out.querySelector('svg');
              const texts = (selector) => [...root.querySelectorAll(selector)].map((e) => e.textContent);
              const attributes = [...root.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => [a.name, a.value]));
              return {
                kind: root.getAttribute('aria-roledescription'),
                taskBoxes: root.querySelectorAll('rect.task').length,
                tasks: texts('text.task'),
                sectionBoxes: root.querySelectorAll('rect.journey-section').length,
                sections: texts('text.journey-section'),
                descriptions: texts('desc'),
                scripts: root.querySelectorAll('script').length,
                handlers: attributes.filter(([name]) => name.startsWith('on')).map(([name]) => name),
                links: attributes.filter(([name, value]) => /href$/.test(name)).map(([, value]) => value),
                pwned: window.__pwned === undefined ? null : String(window.__pwned),
              };
            }""",
            [text, f"diagram{next(count)}"],
        )
        return result

    yield render
    assert errors == []
    page.close()


def _mermaid_files(tmp_path: Path) -> list[tuple[Path, Path, str | None]]:
    """(journey, .mmd written by `journeymap render --to mermaid`, persona) for every case."""
    cases: list[tuple[Path, str | None]] = [(p, None) for p in [*SAMPLES, SMALL, HOSTILE, *GOOD]]
    cases += [(GROCERY, "busy-parent"), (SMALL, "visitor")]
    written = []
    for journey, persona in cases:
        out = tmp_path / (journey.stem + (f"--{persona}" if persona else ""))
        args = ["render", str(journey), "--to", "mermaid", "-o", str(out)] + (["--persona", persona] if persona else [])
        assert main(args) == 0, journey
        (mmd,) = out.glob("*.mmd")
        written.append((journey, mmd, persona))
    return written


def _expected(path: Path, persona: str | None) -> tuple[list[str], list[str]]:
    """Section and task names the diagram must show: stages that have touchpoints, in order."""
    journey = journeymap.load(path)
    met = journey.touchpoints_for(persona)
    sections, tasks = [], []
    for stage in journey.stages:
        here = [t for t in met if t.stage == stage.id]
        if here:
            sections.append(mermaid_text(stage.name) or stage.id)
            tasks += [mermaid_text(t.name) or t.id for t in here]
    return sections, tasks


def test_every_mermaid_file_renders_in_mermaid(mermaid: Any, tmp_path: Path) -> None:
    files = _mermaid_files(tmp_path)
    assert len(files) >= 15
    for journey, mmd, persona in files:
        drawn = mermaid(mmd.read_text(encoding="utf-8"))
        assert "error" not in drawn, (mmd.name, drawn.get("error"))
        sections, tasks = _expected(journey, persona)
        assert drawn["kind"] == "journey", mmd.name
        assert (drawn["sectionBoxes"], drawn["taskBoxes"]) == (len(sections), len(tasks)), mmd.name
        assert drawn["sections"] == sections, mmd.name
        assert drawn["tasks"] == tasks, mmd.name
        assert (drawn["scripts"], drawn["handlers"], drawn["links"], drawn["pwned"]) == (0, [], [], None), mmd.name
        description = journeymap.load(journey).description
        if description:
            assert mermaid_text(description) in drawn["descriptions"], mmd.name


def test_the_hostile_journey_draws_every_task_as_inert_text(mermaid: Any, tmp_path: Path) -> None:
    assert main(["render", str(HOSTILE), "--to", "mermaid", "-o", str(tmp_path)]) == 0
    (mmd,) = tmp_path.glob("*.mmd")
    drawn = mermaid(mmd.read_text(encoding="utf-8"))
    assert any("<script>" in task.replace("＜", "<").replace("＞", ">") for task in drawn["tasks"])  # shown, not run
    assert drawn["pwned"] is None and drawn["scripts"] == 0


def test_the_harness_sees_mermaid_refuse_a_broken_diagram(mermaid: Any) -> None:
    """The checks above can fail: Mermaid's own parser refuses what its grammar does not hold,
    such as the `;` and `:` that mermaid_text replaces with look-alikes."""
    for broken in ("journey\n    section Buy\n        Pays; now: 5: Shopper\n", "journey\n    section Buy: now\n        Pays: 5: Shopper\n"):
        assert mermaid(broken).get("error", "").startswith("parse: Parse error"), broken
    assert mermaid("journey\n    title Fine\n    section Buy\n        Pays: 5: Shopper\n")["tasks"] == ["Pays"]


# -- axe-core ---------------------------------------------------------------------------


def _write_map(path: Path, out: Path, *extra: str) -> Path:
    assert main(["render", str(path), "--to", "html", "-o", str(out), *extra]) == 0
    (html,) = out.glob("*.html")
    return html


def _maps(tmp_path: Path) -> list[tuple[str, Path, str]]:
    """(name, map file, URL hash) for every map audited."""
    maps = [(p.stem, _write_map(p, tmp_path / p.stem), "") for p in SAMPLES]
    data = [f"--metrics={DATA / 'grocery-first-order.metrics.csv'}", f"--responses={DATA / 'grocery-first-order.responses.csv'}",
            f"--events={DATA / 'grocery-first-order.events.csv'}"]  # fmt: skip
    maps.append(("grocery with data", _write_map(GROCERY, tmp_path / "data", *data), ""))
    maps.append(("grocery --persona", _write_map(GROCERY, tmp_path / "persona", "--persona", "busy-parent"), ""))
    # a persona with none of its own values in the data: the line under the title that says so
    maps.append(("grocery --persona, everyone's values", _write_map(
        GROCERY, tmp_path / "everyones", "--persona", "assisted-customer", f"--metrics={DATA / 'grocery-first-order.history.csv'}"), ""))
    maps.append(("grocery, filter", maps[[p.stem for p in SAMPLES].index(GROCERY.stem)][1], "#persona=student-flatshare"))
    maps.append(("small", _write_map(SMALL, tmp_path / "small"), "#persona=visitor"))
    maps.append(("hostile", _write_map(HOSTILE, tmp_path / "hostile"), ""))
    return maps


def test_every_map_passes_axe(browser: Any, clients: Path, tmp_path: Path) -> None:
    axe = clients / "axe-core" / "axe.min.js"
    found: dict[str, list[str]] = {}
    for name, path, hash in _maps(tmp_path):
        # The map's Content-Security-Policy allows its own script only; axe is injected past it.
        context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.goto(path.resolve().as_uri() + hash)
        page.wait_for_load_state("load")
        if hash:
            persona = hash.split("=", 1)[1]
            assert page.locator(f'button[data-persona="{persona}"]').get_attribute("aria-pressed") == "true", name
        page.add_script_tag(path=str(axe))
        violations = page.evaluate(
            """async (tags) => {
              const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
              return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
            }""",
            AXE_TAGS,
        )
        if violations or errors:
            found[name] = violations + errors
        context.close()
    assert found == {}


def test_the_audit_can_fail(browser: Any, clients: Path, tmp_path: Path) -> None:
    """axe finds the fault this issue was about: two landmarks with one name."""
    page_file = tmp_path / "twice.html"
    page_file.write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>Map</h1>'
        '<section aria-labelledby="f"><h2 id="f">Flow diagram</h2><div role="region" aria-labelledby="f" tabindex="0">x</div></section>'
        "</main></body></html>",
        encoding="utf-8",
    )
    page = browser.new_page()
    page.goto(page_file.as_uri())
    page.add_script_tag(path=str(clients / "axe-core" / "axe.min.js"))
    ids = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map((v) => v.id)")
    page.close()
    assert "landmark-unique" in ids

