"""The flow diagram: DOT source (golden files), escaping, Graphviz layout and its absence."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import journeymap
from journeymap.cli import main
from journeymap.render.dot import render_dot, render_stage_dot
from journeymap.render.escape import dot_html, dot_string
from journeymap.render.output import GraphvizMissing, layout, render_outputs

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
HOSTILE = FIXTURES / "hostile.journey.yaml"
SMALL = FIXTURES / "render" / "small.journey.yaml"
EMPTY_STAGES = FIXTURES / "render" / "empty-stages.journey.yaml"
SAMPLES = sorted((HERE.parent / "sample_journeys").glob("*.journey.yaml"))

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None and not os.environ.get("CI"),
    reason="Graphviz's dot is not installed (it must be in CI)",
)


def analysis_of(path: Path, persona: str | None = None) -> journeymap.analysis.Analysis:
    return journeymap.analyze(journeymap.load(path), persona)


@pytest.mark.parametrize("path", [SMALL, HOSTILE, EMPTY_STAGES, *SAMPLES], ids=lambda p: p.name)
def test_dot_matches_golden(path: Path, golden) -> None:
    analysis = analysis_of(path)
    golden.check(f"dot/{analysis.journey.id}.dot", render_dot(analysis))


def test_dot_persona_golden(golden) -> None:
    golden.check("dot/small-journey--visitor.dot", render_dot(analysis_of(SMALL, "visitor")))


def test_dot_shows_stages_weak_shares_entries_and_outcomes() -> None:
    text = render_dot(analysis_of(SMALL))
    # Stage clusters, left to right in stage order.
    clusters = re.findall(r'subgraph "cluster_([a-z0-9-]+)"', text)
    assert clusters == ["notice", "renew", "done"]
    assert 'rankdir="LR"' in text and 'splines="true"' in text
    # Weak touchpoints: red fill, thick outline, labelled.
    node = re.search(r'"online-form" \[(.*)\];', text).group(1)
    assert "⚠ weak #1" in node and 'penwidth="3.5"' in node and "#fde3df" in node
    healthy = re.search(r'"reminder" \[(.*)\];', text).group(1)
    assert "⚠ weak" not in healthy
    # Channel kinds as shapes; outcomes their own shapes.
    assert 'shape="box3d"' in healthy
    assert 'shape="ellipse"' in re.search(r'"call-centre" \[(.*)\];', text).group(1)
    assert "peripheries" in re.search(r'"permit-issued" \[(.*)\];', text).group(1)
    assert 'shape="octagon"' in re.search(r'"gives-up" \[(.*)\];', text).group(1)
    # Shares on edges, loops dashed, the entry marked.
    assert re.search(r'"reminder" -> "online-form" \[.*<B>80%</B>', text)
    assert re.search(r'"call-centre" -> "online-form" \[.*style="dashed"', text)
    assert '"__start__reminder" -> "reminder"' in text


RARE = """journeymap: 1
id: rare
title: Rare failures
personas: [{id: p, name: P}]
channels: [{id: web, name: Web, kind: digital}]
stages: [{id: s, name: S}]
touchpoints:
  - {id: pay, name: Pay, stage: s, channel: web, next: [{to: paid, share: 0.9996}, {to: declined, share: 0.0004}]}
  - {id: paid, name: Paid, stage: s, channel: web, outcome: success}
  - {id: declined, name: Declined, stage: s, channel: web, outcome: failure}
"""


def test_a_share_near_0_or_1_is_not_written_as_0_or_100(tmp_path: Path) -> None:
    """4 payments in 10,000 declined: the diagram labelled the flow '0.0%' beside '100%', and the map's
    conversion tile said 100% of a journey where customers fail. Shares and figures that round to
    0 or 100 but are not say '<0.1%' and '>99.9%'; 0 and 1 themselves stay '0%' and '100%'."""
    path = tmp_path / "rare.journey.yaml"
    path.write_text(RARE, encoding="utf-8")
    analysis = analysis_of(path)
    text = render_dot(analysis)
    assert re.search(r'"pay" -> "paid" \[.*<B>&gt;99.9%</B>', text)
    assert re.search(r'"pay" -> "declined" \[.*<B>&lt;0.1%</B>', text)
    assert "reach 100%" in text  # pay: everyone
    page = journeymap.render_html(analysis)
    assert '<span class="kpi-value" data-kpi="conversion">&gt;99.9%</span>' in page
    # the cards are built as strings: '<' escaped there too ('Reach <b><0.1%</b>' is a stray tag opener)
    assert "Reach <b>&lt;0.1%</b>" in page and "→ <bdi>Declined</bdi></a> <b>&lt;0.1%</b>" in page
    assert "<0.1%" not in page
    from journeymap.render.html import percent

    assert [percent(v) for v in (0, 0.0004, 0.004, 0.42, 0.994, 0.995, 0.9994, 0.9996, 1)] == [
        "0%", "<0.1%", "0.4%", "42%", "99%", "99.5%", "99.9%", ">99.9%", "100%"
    ]


def test_dot_for_a_persona_leaves_out_what_it_does_not_meet() -> None:
    text = render_dot(analysis_of(SMALL, "visitor"))
    assert '"call-centre"' not in text
    assert '"online-form"' in text


def test_dot_is_stable() -> None:
    assert render_dot(analysis_of(HOSTILE)) == render_dot(analysis_of(HOSTILE))


def test_dot_escaping_helpers() -> None:
    assert dot_string('a "b" \\N\nc') == '"a \\"b\\" \u2216N\\nc"'
    assert dot_html("\\G") == "\u2216G"
    assert dot_html('<b> & "x" {y} |z|') == "&lt;b&gt; &amp; &quot;x&quot; {y} |z|"
    assert dot_html("a\x00\x1bb") == "ab"
    assert "<BR" in dot_html("one\ntwo")


def test_hostile_text_reaches_dot_only_escaped() -> None:
    text = render_dot(analysis_of(HOSTILE))
    labels = re.findall(r"label=<(.*?)>[,\]]", text)
    assert labels and not any("<script" in label.lower() for label in labels)
    assert "&lt;script&gt;" in text
    # The only backslashes are DOT's own escapes for quotes and newlines.
    assert re.search(r'\\[^"n]', text) is None
    # Every quoted string is well formed: no unescaped quote inside.
    for match in re.finditer(r'tooltip="((?:[^"\\]|\\.)*)"', text):
        assert "\n" not in match.group(1)


@needs_dot
@pytest.mark.parametrize("path", [SMALL, HOSTILE], ids=lambda p: p.name)
def test_graphviz_accepts_the_dot(path: Path) -> None:
    source = render_dot(analysis_of(path), links=True)
    done = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert b"Warning" not in done.stderr and b"Error" not in done.stderr, done.stderr.decode()
    svg = done.stdout.decode()
    assert "<script" not in svg.lower()
    assert 'id="flow-tp-' in html.unescape(svg)


@needs_dot
def test_hostile_labels_survive_layout_as_text() -> None:
    svg = layout(render_dot(analysis_of(HOSTILE), links=True), "svg").decode()
    assert "<script" not in svg
    assert "&lt;script&gt;window.__pwned=8" in svg
    assert "{record | label} &lt;port&gt;" in svg
    # Graphviz would replace \N with the node's name: the backslash must not reach it as one.
    tooltip = re.search(r'xlink:title="(\{record[^"]*)"', svg)
    assert tooltip is not None and tooltip.group(1).endswith("\u2216N")
    assert re.search(r">[^<]*\u2216N</text>", svg)


@needs_dot
@pytest.mark.parametrize("fmt,magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_layout_formats(fmt: str, magic: bytes) -> None:
    assert layout(render_dot(analysis_of(SMALL)), fmt).startswith(magic)


def dense_journey(n: int = 60) -> str:
    """Every touchpoint flows to every other: Graphviz needs minutes for these 3,540 flows."""
    lines = ["journeymap: 1", "id: dense", "title: Dense", "personas: [{id: p, name: P}]"]
    lines += ["channels: [{id: web, name: Web}]", "stages: [{id: s, name: S}]", "touchpoints:"]
    for i in range(n):
        flows = ", ".join(f"t{j}" for j in range(n) if j != i)
        lines.append(f"  - {{id: t{i}, name: T{i}, stage: s, channel: web, next: [{flows}]{', entry: true' * (i == 0)}}}")
    return "\n".join(lines) + "\n"


@needs_dot
def test_a_layout_past_the_time_limit_is_stopped_and_says_so(tmp_path, monkeypatch, capsys) -> None:
    """A dense diagram kept `render` (and the map's embedded diagram) in Graphviz for minutes:
    a hang (found by test_fuzz). Now the layout is killed at the limit, the map is written
    without its diagram, and the SVG fails once, with the reason."""
    import time

    from journeymap.render.output import LayoutTimeout

    source = render_dot(journeymap.analyze(journeymap.load_text(dense_journey())))
    start = time.perf_counter()
    with pytest.raises(LayoutTimeout, match="within 0.5 s"):
        layout(source, "svg", timeout=0.5)
    assert time.perf_counter() - start < 5

    journey = tmp_path / "dense.journey.yaml"
    journey.write_text(dense_journey())
    # 3,540 flows get the stage overview up front now; the time limit stays the safety net.
    monkeypatch.setattr("journeymap.render.dot.FULL_DIAGRAM_FLOWS", 10_000)
    monkeypatch.setenv("JOURNEYMAP_GRAPHVIZ_TIMEOUT", "0.5")
    start = time.perf_counter()
    code = main(["render", str(journey), "--to", "html,svg", "-o", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert time.perf_counter() - start < 10  # one layout tried, not two
    assert code == 1
    assert "the map has no flow diagram: Graphviz did not finish" in err
    assert re.search(r"cannot write SVG: Graphviz did not finish laying out the diagram \(3,5\d\d flows\) within 0.5 s", err)
    assert (tmp_path / "out" / "dense.html").is_file() and not (tmp_path / "out" / "dense.svg").exists()


def test_missing_graphviz_is_a_clear_error(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizMissing, match="apt-get install graphviz"):
        layout("digraph { a }", "svg")
    rendered = render_outputs(analysis_of(SMALL), ["dot", "svg", "png", "html"])
    assert set(rendered.outputs) == {"dot", "html"}
    assert "brew install graphviz" in rendered.errors["svg"] and "png" in rendered.errors
    assert any("no flow diagram" in note for note in rendered.notes)


def test_cli_without_graphviz_exits_1_and_names_the_package(monkeypatch, tmp_path, capsys) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code = main(["render", str(SMALL), "-o", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 1
    assert "apt-get install graphviz" in err and "Traceback" not in err
    # What could be written was written: the map, without its diagram.
    assert (tmp_path / "out" / "small-journey.html").is_file()
    assert not (tmp_path / "out" / "small-journey.svg").exists()
    # DOT source needs no Graphviz at all.
    assert main(["render", str(SMALL), "-o", str(tmp_path / "dot"), "--to", "dot"]) == 0


def test_a_stage_without_touchpoints_is_drawn_empty_in_its_place() -> None:
    """A stage drafted ahead of its touchpoints (an empty-stage warning) was left out of the diagram without a word:
    a diagram of Notice, Renew, Done for a journey of six stages. Now each is its cluster, in stage order, holding
    a 'no touchpoints yet' note; invisible edges from the stage before and to the stage after keep it in its place."""
    text = render_dot(analysis_of(EMPTY_STAGES))
    clusters = re.findall(r'subgraph "cluster_([a-z0-9-]+)"', text)
    assert clusters == ["research", "notice", "appeal", "renew", "done", "feedback"]
    for stage in ("research", "appeal", "feedback"):
        assert re.search(rf'"__empty__{stage}" \[id="flow-empty-{stage}", label=<<I>no touchpoints yet</I>>', text)
    assert "Research &lt;the&gt; rules &amp; fees" in text
    order = re.findall(r'^  "([^"]+)" -> "([^"]+)" \[id="flow-stage-order-[^"]*", style="invis"', text, re.M)
    assert order == [("__empty__research", "__start__reminder"), ("reminder", "__empty__appeal"),
                     ("__empty__appeal", "online-form"), ("gives-up", "__empty__feedback")]


def test_the_stage_overview_draws_a_stage_without_touchpoints_as_the_full_diagram_does() -> None:
    """A journey over 2,000 touchpoints is drawn as its stage overview, which left a stage drafted ahead of its
    touchpoints out without a word, where the full diagram draws it labelled 'no touchpoints yet'. Now it is a
    box of its own in that words, held in its place by invisible edges from the stage before and to the stage after."""
    text = render_stage_dot(analysis_of(EMPTY_STAGES))
    stages = re.findall(r'^  "([a-z0-9-]+)" \[id="flow-stage-', text, re.M)
    assert stages == ["research", "notice", "appeal", "renew", "done", "feedback"]
    for stage in ("research", "appeal", "feedback"):
        assert re.search(rf'^  "{stage}" \[id="flow-stage-{stage}", label=<<B>[^<]+</B><BR/><I>no touchpoints yet</I>>', text, re.M)
    assert "<B>Research &lt;the&gt; rules &amp; fees</B>" in text
    assert 'tooltip="Research <the> rules & fees: no touchpoints yet"' in text
    order = re.findall(r'^  "([^"]+)" -> "([^"]+)" \[id="flow-stage-order-[^"]*", style="invis"', text, re.M)
    assert order == [("research", "notice"), ("notice", "appeal"), ("appeal", "renew"), ("done", "feedback")]
    assert "no touchpoints yet" not in render_stage_dot(analysis_of(SMALL))


@needs_dot
def test_graphviz_draws_the_stage_overviews_empty_stages_in_stage_order() -> None:
    svg = html.unescape(layout(render_stage_dot(analysis_of(EMPTY_STAGES)), "svg").decode())
    lefts = {stage: min(float(x) for x in re.findall(r"(-?[0-9.]+),-?[0-9.]+", points))
             for stage, points in re.findall(r'<g id="flow-stage-([a-z-]+)" class="node">.*?<path [^>]*d="M([^"]+)"', svg, re.S)}
    assert list(lefts) == ["research", "notice", "appeal", "renew", "done", "feedback"]
    assert sorted(lefts, key=lefts.__getitem__) == list(lefts), lefts
    assert svg.count(">no touchpoints yet</text>") == 3


@needs_dot
def test_graphviz_draws_the_empty_stages_in_stage_order() -> None:
    svg = html.unescape(layout(render_dot(analysis_of(EMPTY_STAGES), links=True), "svg").decode())
    lefts, rights = {}, {}
    for stage, points in re.findall(r'<g id="flow-stage-([a-z-]+)" class="cluster">.*?<path [^>]*d="M([^"]+)"', svg, re.S):
        xs = [float(xy.split(",")[0]) for xy in re.findall(r"-?[0-9.]+,-?[0-9.]+", points)]
        lefts[stage], rights[stage] = min(xs), max(xs)
    assert list(lefts) == ["research", "notice", "appeal", "renew", "done", "feedback"]
    assert sorted(lefts, key=lefts.__getitem__) == list(lefts), lefts
    # an empty stage is a column of its own, between its neighbours
    assert rights["research"] < lefts["notice"] and rights["notice"] < lefts["appeal"] < rights["appeal"] < lefts["renew"]
    assert rights["done"] < lefts["feedback"]
    assert svg.count(">no touchpoints yet</text>") == 3
