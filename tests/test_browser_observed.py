"""The observed layer in Chromium: the planned-vs-actual panel, the observed tile, dashed undeclared edges, A3 print."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from test_browser import ARTIFACTS, Visit, browser, visit  # noqa: F401  (fixtures)
from test_observed import SMALL, engine_data, small_log

import journeymap
from journeymap.render.output import render_outputs

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")

#: A3 landscape less the print CSS's 9 mm margins, in CSS pixels (96 per inch).
A3_WIDTH = round((420 - 18) / 25.4 * 96)


def observed_map(folder: Path, *, engine: bool = False) -> tuple[Any, Path]:
    journey = journeymap.load(SMALL)
    if engine:
        analysis = journeymap.analyze(journey, data=engine_data(journey))
    else:
        analysis = journeymap.analyze(journey, events=small_log(folder))
    html = render_outputs(analysis, ["html"]).outputs["html"]
    path = folder / ("engine.html" if engine else "observed.html")
    path.write_bytes(html)
    return analysis, path


def test_panel_tile_and_dashed_undeclared_edges(visit: Any, tmp_path: Path) -> None:  # noqa: F811
    analysis, path = observed_map(tmp_path)
    v: Visit = visit(path)
    assert v.errors == [] and [c for c in v.console if c.startswith("error")] == []
    assert v.requests == [v.url]
    panel = v.page.locator("#planned-vs-actual")
    assert panel.is_visible()
    assert panel.locator("h2").inner_text() == "Planned vs actual"
    rows = panel.locator("table.flows tbody tr")
    declared = sum(len(t.next) for t in analysis.journey.touchpoints)
    assert rows.count() == declared + 1  # every declared flow, and the one customers added
    undeclared = panel.locator('tr[data-flow="reminder--permit-issued"]')
    assert undeclared.is_visible() and "not in the journey" in undeclared.inner_text()
    # The engine measured conformance: its shares are on the panel, with the deviation types.
    assert panel.locator('[data-not-measured="conformance"]').count() == 0
    assert "Conforming" in panel.inner_text() or "conforming" in panel.inner_text()
    tile = v.page.locator(".kpi-observed")
    assert tile.is_visible() and "Observed" in tile.inner_text() and "modelled" in tile.inner_text()
    assert tile.locator(".kpi-value").inner_text() == f"{analysis.events.succeeded / analysis.events.customers:.0%}"
    # The diagram: the undeclared flow is a dashed path in its own colour; the busiest flow is thickest.
    edge = v.page.locator('svg.flow-svg g[id="flow-observed-reminder--permit-issued"] path')
    assert edge.count() == 1
    style = edge.evaluate("e => [getComputedStyle(e).stroke, e.getAttribute('stroke-dasharray')]")
    assert style == ["rgb(194, 65, 12)", "5,2"]
    widths = v.page.evaluate(
        """[...document.querySelectorAll('svg.flow-svg g.edge[id^="flow-edge-"] path')]
            .map(p => [p.closest('g.edge').id, parseFloat(p.getAttribute('stroke-width'))])"""
    )
    widest = max(widths, key=lambda w: w[1])
    assert widest[0] == "flow-edge-reminder--online-form"
    assert "Observed layer:" in v.page.locator(".flow-panel .observed-legend").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / "observed-panel.png"))


def test_engine_figures_and_hostile_examples(visit: Any, tmp_path: Path) -> None:  # noqa: F811
    _, path = observed_map(tmp_path, engine=True)
    v: Visit = visit(path)
    assert v.errors == [] and v.dialogs == []
    panel = v.page.locator("#planned-vs-actual")
    conformance = panel.locator("table.conformance tbody tr")
    assert conformance.count() == 5
    assert panel.locator('tr[data-conformance="conforming"] td').inner_text() == "46%"
    deviations = panel.locator("table.deviations tbody tr")
    assert deviations.count() == 4
    assert "<img src=x onerror=alert(1)>" in panel.inner_text()  # shown as text, never an element
    assert panel.locator("img").count() == 0
    assert panel.locator("table.flows thead").inner_text().split()[-2:] == ["MEDIAN", "P90"]


def test_panel_prints_on_a3(visit: Any, tmp_path: Path) -> None:  # noqa: F811
    _, path = observed_map(tmp_path, engine=True)
    v: Visit = visit(path, width=A3_WIDTH, height=1100)
    v.page.emulate_media(media="print")
    panel = v.page.locator("#planned-vs-actual")
    assert panel.evaluate("e => getComputedStyle(e).breakBefore") == "page"
    overflow = panel.evaluate("e => [e.scrollWidth, e.getBoundingClientRect().width]")
    assert overflow[0] <= A3_WIDTH and overflow[0] <= overflow[1] + 1
    for table in ("conformance", "deviations", "flows"):
        right = panel.locator(f"table.{table}").evaluate("e => e.getBoundingClientRect().right")
        assert right <= A3_WIDTH + 1, table
    ARTIFACTS.mkdir(exist_ok=True)
    v.page.pdf(path=str(ARTIFACTS / "observed-a3.pdf"), format="A3", landscape=True, print_background=True)
    assert (ARTIFACTS / "observed-a3.pdf").read_bytes().startswith(b"%PDF")
