"""The observed layer: an event log drawn on the flow diagram and shown on the map (render --events)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import journeymap
from journeymap.cli import main
from journeymap.data import DataPoint, Deviation, EventSummary, MetricData, ObservedFlow
from journeymap.problems import Span
from journeymap.render.dot import render_dot
from journeymap.render.html import render_html
from journeymap.render.observed import edge_width, planned_vs_actual

HERE = Path(__file__).resolve().parent
SMALL = HERE / "fixtures" / "render" / "small.journey.yaml"
HOSTILE = HERE / "fixtures" / "hostile.journey.yaml"

# reminder -> online-form / call-centre; online-form -> permit-issued / call-centre;
# call-centre -> online-form / gives-up. Planted: reminder -> permit-issued (undeclared),
# nobody goes call-centre -> gives-up.
LOG_ROWS = (
    [f"a{i},{i * 100},reminder\na{i},{i * 100 + 5},online-form\na{i},{i * 100 + 9},permit-issued" for i in range(30)]
    + [f"b{i},{i * 100},reminder\nb{i},{i * 100 + 5},call-centre\nb{i},{i * 100 + 9},online-form" for i in range(8)]
    + [f"c{i},{i * 100},reminder\nc{i},{i * 100 + 7},permit-issued" for i in range(5)]
    + [f"d{i},{i * 100},reminder" for i in range(7)]
)


def small_log(folder: Path) -> Path:
    path = folder / "small.events.csv"
    path.write_text("customer,timestamp,touchpoint\n" + "\n".join(LOG_ROWS) + "\n", encoding="utf-8")
    return path


def engine_data(journey: journeymap.Journey) -> MetricData:
    """An event summary as the DuckDB/Spark engines fill it: times, conformance, deviations."""
    flows = [
        ObservedFlow("reminder", "online-form", 600, 0.6, 0.8, 3_600.0, 86_400.0),
        ObservedFlow("reminder", "permit-issued", 50, 0.05, None, 7_200.0, 9_000.0),
        ObservedFlow("online-form", "permit-issued", 500, 0.8, 0.85, 95.0, 610.0),
        ObservedFlow("online-form", "call-centre", 60, 0.1, 0.1, 300.0, None),
    ]
    deviations = [
        Deviation("out_of_sequence", "reminder", "permit-issued", 50, ("<img src=x onerror=alert(1)>", "c\x1b[31m2", "c3", "c4")),
        Deviation("failing", "online-form", None, 40, ("f1",)),
        Deviation("missing", "permit-issued", "online-form", 50, ("m1", "m2")),
        Deviation("ad_hoc", "online-form", "<b>chat\x1b[31m</b>", 3, ("a1",)),
    ]
    summary = EventSummary(
        ["logs/2026-10.parquet"], 1000, 560, 40, 400, flows, engine="duckdb", entries={"reminder": 1000},
        conformance={"conforming": 0.46, "ad_hoc": 0.0, "out_of_sequence": 0.05, "missing": 0.05, "failing": 0.44},
        deviations=deviations,
    )
    data = MetricData(events=summary)
    data.points[("reminder", "volume")] = DataPoint("reminder", "volume", 1000.0, None, "x", Span("x", 2, 1), None, "events")
    return data


# -- the diagram ------------------------------------------------------------------


def test_dot_observed_layer_golden(tmp_path: Path, golden: object) -> None:
    analysis = journeymap.analyze(SMALL, events=small_log(tmp_path))
    dot = render_dot(analysis)
    golden.check("dot/small-observed.dot", dot)  # type: ignore[attr-defined]
    assert 'id="flow-observed-reminder--permit-issued", class="observed-undeclared", style="dashed", color="#c2410c"' in dot
    assert '"call-centre" -> "gives-up" [id="flow-edge-call-centre--gives-up"' in dot
    assert "nobody took it" in dot and "dashed orange = taken but not in the journey" in dot


def test_dot_engine_figures_golden(golden: object) -> None:
    journey = journeymap.load(SMALL)
    analysis = journeymap.analyze(journey, data=engine_data(journey))
    golden.check("dot/small-observed-engine.dot", render_dot(analysis))  # type: ignore[attr-defined]


def test_edge_width_follows_customers() -> None:
    assert edge_width(0, 100) == 0.6 and edge_width(100, 100) == 8.0
    assert edge_width(10, 100) < edge_width(50, 100) < edge_width(99, 100)
    assert edge_width(5, 0) == 0.6


def test_without_events_the_diagram_is_unchanged(tmp_path: Path) -> None:
    plain = render_dot(journeymap.analyze(SMALL))
    assert "observed" not in plain and "event log" not in plain


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_graphviz_draws_undeclared_flows_dashed_and_busy_flows_thick(tmp_path: Path) -> None:
    analysis = journeymap.analyze(SMALL, events=small_log(tmp_path))
    svg = subprocess.run(["dot", "-Tsvg"], input=render_dot(analysis), capture_output=True, text=True, check=True).stdout
    undeclared = re.search(r'<g id="flow&#45;observed&#45;reminder&#45;&#45;permit&#45;issued" class="edge observed&#45;undeclared">.*?<path ([^>]*)>', svg, re.S)
    assert undeclared is not None
    assert 'stroke-dasharray="5,2"' in undeclared.group(1) and 'stroke="#c2410c"' in undeclared.group(1)
    widths = {
        m.group(1): float(m.group(2))
        for m in re.finditer(r'<g id="flow&#45;edge&#45;([a-z&#;0-9]+)" class="edge[^"]*">.*?stroke-width="([0-9.]+)"', svg, re.S)
    }
    assert widths["reminder&#45;&#45;online&#45;form"] == 8.0  # the busiest flow
    assert widths["call&#45;centre&#45;&#45;gives&#45;up"] == 0.6  # nobody


# -- the map ----------------------------------------------------------------------


def test_panel_with_engine_figures(tmp_path: Path) -> None:
    journey = journeymap.load(SMALL)
    analysis = journeymap.analyze(journey, data=engine_data(journey))
    view = planned_vs_actual(analysis)
    assert view is not None and view.engine == "duckdb" and view.files == "2026-10.parquet"
    assert view.conversion_observed == "56%"
    assert view.conformance is not None and view.conformance[0][:3] == ("conforming", "Conforming", "46%")
    assert [d.type for d in view.deviations] == ["Ad hoc", "Out of sequence", "Missing", "Failing"]  # of each type
    # An unknown touchpoint and the customer ids as the log wrote them, control characters as escapes
    # (as the terminal and the Markdown report show them).
    assert view.deviations[0].target == "<b>chat\\x1b[31m</b>"
    assert view.deviations[1].examples == "<img src=x onerror=alert(1)>, c\\x1b[31m2, c3"
    first = next(r for r in view.flows if r.source == "reminder" and r.target == "online-form")
    assert (first.customers, first.observed, first.declared, first.difference, first.median, first.p90) == (
        600, "60%", "80%", "−20.0 pts", "1h", "1d"
    )
    html = render_html(analysis)
    assert 'id="planned-vs-actual"' in html and "Planned vs actual" in html
    assert '<tr data-conformance="out_of_sequence"><th scope="row">Out of sequence' in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>chat" not in html and "&lt;b&gt;chat\\x1b[31m&lt;/b&gt;" in html
    assert "\x1b" not in html
    assert '<span class="kpi-value" data-observed-value>56%</span>' in html and view.conversion_modelled + " modelled" in html
    assert "· modelled 71%</span>" in html  # the tile rounds as the Conversion tile beside it
    assert "Not measured" not in html
    assert html == render_html(journeymap.analyze(journey, data=engine_data(journey)))


def test_panel_when_the_engine_gave_no_conformance_deviations_or_times(tmp_path: Path) -> None:
    from dataclasses import replace

    analysis = journeymap.analyze(SMALL, events=small_log(tmp_path))
    measured = analysis.events
    assert measured is not None and measured.conformance is not None
    # What an engine that measures no conformance, deviations or times would give.
    analysis.events = replace(
        measured,
        conformance=None,
        deviations=[],
        flows=[replace(f, median_seconds=None, p90_seconds=None) for f in measured.flows],
    )
    html = render_html(analysis)
    assert 'data-not-measured="conformance"' in html and 'data-not-measured="deviations"' in html
    assert 'data-not-measured="times"' in html and "<th scope=\"col\" class=\"num\">Median</th>" not in html
    assert '<tr class="flow-undeclared" data-flow="reminder--permit-issued">' in html
    assert '<tr class="flow-not-taken" data-flow="call-centre--gives-up">' in html
    assert "50 customers in the event log" in html or "conversion in the event log (50 customers)" in html


def test_without_events_there_is_no_panel() -> None:
    html = render_html(journeymap.analyze(SMALL))
    assert 'id="planned-vs-actual"' not in html and 'class="kpi kpi-observed"' not in html
    assert 'class="kpis has-observed"' not in html and "Observed layer:" not in html


def test_hostile_journey_text_stays_inert_in_panel_and_diagram(tmp_path: Path) -> None:
    journey = journeymap.load(HOSTILE)
    ids = [t.id for t in journey.touchpoints]
    first = next(t for t in journey.touchpoints if t.next)
    target = first.next[0].to
    stray = next(t for t in ids if t != first.id and t not in {f.to for f in first.next})
    log = tmp_path / "hostile.csv"
    log.write_text(
        "customer,timestamp,touchpoint\n"
        + "".join(f"\"<b>x{i}</b>\",{i},{first.id}\n\"<b>x{i}</b>\",{i + 1},{stray}\n" for i in range(5))
        + "".join(f"y{i},{i},{first.id}\ny{i},{i + 1},{target}\n" for i in range(5)),
        encoding="utf-8",
    )
    analysis = journeymap.analyze(journey, events=log)
    html = render_html(analysis)
    panel = html[html.index('id="planned-vs-actual"') : html.index("</section>", html.index('id="planned-vs-actual"'))]
    assert "<script" not in panel and "<b>x" not in panel and "<img" not in panel
    assert "&lt;script&gt;" in panel  # the touchpoint names, shown as text
    assert html.count("<script") == 2  # the page's own data and code
    if shutil.which("dot"):
        svg = subprocess.run(["dot", "-Tsvg"], input=render_dot(analysis), capture_output=True, text=True, check=True).stdout
        assert "<script" not in svg and "flow&#45;observed&#45;" in svg


def test_bidi_controls_from_the_log_are_shown_as_escapes_in_the_panel(tmp_path: Path) -> None:
    """An ad hoc touchpoint or a customer id with a right-to-left override (U+202E) would turn the
    rest of its cell around on the page; the panel shows it as the terminal does, as an escape."""
    log = tmp_path / "bidi.csv"
    log.write_text(
        "customer,timestamp,touchpoint\n"
        + "".join(f"c{i}\u202ex,{i * 10},reminder\nc{i}\u202ex,{i * 10 + 1},chat\u202egnp.exe\n" for i in range(4)),
        encoding="utf-8",
    )
    analysis = journeymap.analyze(journeymap.load(SMALL), events=log)
    view = planned_vs_actual(analysis)
    assert view is not None
    ad_hoc = next(d for d in view.deviations if d.type == "Ad hoc")
    assert ad_hoc.target == "chat\\u202egnp.exe" and ad_hoc.examples == "c0\\u202ex, c1\\u202ex, c2\\u202ex"
    html = render_html(analysis)
    assert "\u202e" not in html and "chat\\u202egnp.exe" in html


# -- the command line -------------------------------------------------------------


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_render_events_cli_is_deterministic(tmp_path: Path) -> None:
    log = small_log(tmp_path)
    for out in ("one", "two"):
        assert main(["render", str(SMALL), "--events", str(log), "--to", "html,svg,dot", "-o", str(tmp_path / out)]) == 0
    for name in ("small-journey.html", "small-journey.svg", "small-journey.dot"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    html = (tmp_path / "one" / "small-journey.html").read_text(encoding="utf-8")
    # The map embeds the diagram re-serialised from its parsed, allow-listed elements.
    assert 'id="flow-observed-reminder--permit-issued"' in html


def test_the_diagram_draws_the_busiest_undeclared_flows_and_graphviz_lays_it_out() -> None:
    """The grocery sample's log takes 409 flows the journey does not declare: drawn all, they buried
    the design and Graphviz 2.43 failed ("trouble in init_rank"), so the map had no diagram."""
    from journeymap.render.dot import UNDECLARED_DRAWN

    root = HERE.parent / "sample_journeys"
    analysis = journeymap.analyze(root / "grocery-first-order.journey.yaml",
                                  events=root / "data" / "grocery-first-order.events.parquet")
    assert analysis.events is not None
    declared = {(t.id, f.to) for t in analysis.journey.touchpoints for f in t.next}
    known = {t.id for t in analysis.journey.touchpoints}
    undeclared = {(f.source, f.target): f.count for f in analysis.events.flows
                  if (f.source, f.target) not in declared and f.source in known and f.target in known}
    assert len(undeclared) > UNDECLARED_DRAWN
    dot = render_dot(analysis)
    drawn = set(re.findall(r'id="flow-observed-([^"]+)--([^"]+)", class="observed-undeclared"', dot))
    assert len(drawn) == UNDECLARED_DRAWN
    fewest_drawn = min(undeclared[flow] for flow in drawn)
    assert all(count <= fewest_drawn for flow, count in undeclared.items() if flow not in drawn)
    assert f"the {UNDECLARED_DRAWN} busiest of {len(undeclared)}; every one is in the planned-vs-actual table" in dot
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True)
    assert svg.returncode == 0, svg.stderr[:500]
    assert svg.stdout.count('class="edge observed&#45;undeclared"') == UNDECLARED_DRAWN
