"""The flow diagram as Graphviz DOT source.

Touchpoints are nodes in left-to-right stage clusters; the node's shape says
the channel kind, its fill the health (weak ones are red with a thick outline
and a "⚠ weak" line), edges carry the share of customers taking them, outcomes
have their own shapes, and a "Start" node points at the entries.

User text only ever reaches the DOT source through HTML-like labels escaped by
:func:`~journeymap.render.escape.dot_html` or quoted strings escaped by
:func:`~journeymap.render.escape.dot_string`; ids are slugs. Laying the graph
out (SVG, PNG, PDF) needs Graphviz's ``dot`` program and happens at the edge,
in :mod:`journeymap.render.output`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .escape import (
    NAME_CHARACTERS,
    TEXT_CHARACTERS,
    TITLE_CHARACTERS,
    dot_html,
    dot_string,
    one_line,
    percent_text,
    shorten,
)
from .observed import OBSERVED_INK, UNDECLARED, edge_width, observed_flows
from .observed import percent as observed_percent

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..model import Touchpoint

FONT = "Helvetica,Arial,sans-serif"
INK = "#1b1f2a"
MUTED = "#4a5163"
WEAK_INK = "#b3261e"
WEAK_FILL = "#fde3df"
OK_FILL = "#e4f3e8"
OK_LINE = "#3d7a50"
CLUSTER_FILL = "#f4f5f8"
CLUSTER_LINE = "#b9bfcc"

#: Channel kind -> node shape (and the word the legend uses for it).
SHAPES: dict[str, tuple[str, str]] = {
    "digital": ("box", "rounded box"),
    "human": ("ellipse", "ellipse"),
    "physical": ("box3d", "3-D box"),
    "partner": ("hexagon", "hexagon"),
}

#: Attributes that keep the layout tractable for thousands of touchpoints:
#: ``splines=true`` (not ``ortho``, which is quadratic and breaks on clusters),
#: capped crossing minimisation (``mclimit``) and network-simplex iterations
#: (``nslimit``), no extra crossing pass over the whole graph (``remincross``).
GRAPH_ATTRIBUTES = {
    "rankdir": "LR",
    "newrank": "true",
    "splines": "true",
    "nodesep": "0.25",
    "ranksep": "0.55",
    "compound": "false",
    "remincross": "false",
    "outputorder": "edgesfirst",
    "pad": "0.3",
}
#: Above this many touchpoints the layout search is cut short (see ``bench_render.py``).
LARGE = 300


def _percent(value: float) -> str:
    """A share for a quoted DOT string (see :func:`percent_text`)."""
    return percent_text(value)


def _html_percent(value: float) -> str:
    """A share for an HTML-like label: '<0.1%' escaped, or Graphviz reads a tag."""
    return dot_html(percent_text(value))


def _wrap(text: str, width: int = 24, limit: int = NAME_CHARACTERS) -> str:
    """Escaped, wrapped text for an HTML-like label, cut to ``limit`` characters (see :func:`shorten`)."""
    lines = textwrap.wrap(shorten(text, limit), width, break_long_words=True, break_on_hyphens=True) or [""]
    return "<BR/>".join(dot_html(line) for line in lines)


def _attributes(attrs: dict[str, str]) -> str:
    """``[a=1, b="x"]``: values are already DOT-quoted or HTML-like labels."""
    return "[" + ", ".join(f"{key}={value}" for key, value in attrs.items()) + "]"


def _stage_order(analysis: Analysis) -> dict[str, tuple[int, int]]:
    journey = analysis.journey
    stage_index = {stage.id: i for i, stage in enumerate(journey.stages)}
    return {t.id: (stage_index.get(t.stage, len(stage_index)), i) for i, t in enumerate(journey.touchpoints)}


def shown_touchpoints(analysis: Analysis) -> list[Touchpoint]:
    """The touchpoints an analysis covers, in stage order then file order."""
    journey = analysis.journey
    order = _stage_order(analysis)
    touchpoints = journey.touchpoints_for(analysis.persona)
    return sorted(touchpoints, key=lambda t: order[t.id])


UNDECLARED_DRAWN = 20
"""Undeclared flows the diagram draws, the busiest first (the planned-vs-actual table lists them all)."""


def render_dot(analysis: Analysis, *, links: bool = False) -> str:
    """The flow diagram of an analysed journey as DOT source.

    ``links=True`` makes every node a link to ``#tp-<id>`` (the touchpoint's
    card when the diagram is embedded in the HTML map).

    >>> print(render_dot(analysis))  # doctest: +SKIP
    digraph "journey" { ...
    """
    journey = analysis.journey
    touchpoints = shown_touchpoints(analysis)
    shown = {t.id for t in touchpoints}
    order = _stage_order(analysis)
    weak_rank = {tid: i + 1 for i, tid in enumerate(analysis.weak)}
    stage_results = {s.id: s for s in analysis.stages}
    large = len(touchpoints) > LARGE

    out: list[str] = []
    add = out.append
    add('digraph "journey" {')
    graph = dict(GRAPH_ATTRIBUTES)
    if large:
        graph.update({"mclimit": "0.3", "nslimit": "2", "nslimit1": "2", "searchsize": "10"})
    add("  graph " + _attributes({k: f'"{v}"' for k, v in graph.items()}) + ";")
    title = dot_html(shorten(journey.title, TITLE_CHARACTERS))
    legend = (
        "shape = channel kind: "
        + ", ".join(f"{word} {kind}" for kind, (_, word) in SHAPES.items())
        + " · red, thick outline = ⚠ weak · edge label = share of customers"
    )
    seen = observed_flows(analysis)
    declared = {(t.id, f.to) for t in journey.touchpoints for f in t.next}
    undeclared = [(a, b) for a, b in seen if (a, b) not in declared and a in shown and b in shown]
    # The busiest undeclared flows only: a log has hundreds of rare ones (the grocery sample,
    # 409), which bury the design and make Graphviz 2.43 fail ("trouble in init_rank").
    drawn = set(sorted(undeclared, key=lambda ab: (-seen[ab].count, ab))[:UNDECLARED_DRAWN])
    if analysis.events is not None and not analysis.events.customers:
        legend += " · event log: no customers, nothing observed"
    elif analysis.events is not None:
        legend += (
            f" · event log ({analysis.events.customers:,} customer{'s' * (analysis.events.customers != 1)}): edge width = customers who took it,"
            " blue = observed share and customers, dashed orange = taken but not in the journey"
        )
        if len(undeclared) > len(drawn):
            legend += f" (the {len(drawn)} busiest of {len(undeclared):,}; every one is in the planned-vs-actual table)"
    add(
        "  graph "
        + _attributes(
            {
                "id": '"flow"',
                "label": f'<<B>{title}</B><BR/><FONT POINT-SIZE="10" COLOR="{MUTED}">{dot_html(legend)}</FONT>>',
                "labelloc": '"t"',
                "labeljust": '"l"',
                "fontname": f'"{FONT}"',
                "fontsize": '"18"',
                "fontcolor": f'"{INK}"',
                "bgcolor": '"white"',
            }
        )
        + ";"
    )
    add(
        "  node "
        + _attributes(
            {
                "fontname": f'"{FONT}"',
                "fontsize": '"11"',
                "fontcolor": f'"{INK}"',
                "style": '"filled"',
                "fillcolor": f'"{OK_FILL}"',
                "color": f'"{OK_LINE}"',
                "penwidth": '"1.2"',
                "margin": '"0.12,0.06"',
            }
        )
        + ";"
    )
    add(
        "  edge "
        + _attributes(
            {
                "fontname": f'"{FONT}"',
                "fontsize": '"10"',
                "fontcolor": f'"{MUTED}"',
                "color": '"#6b7385"',
                "arrowsize": '"0.7"',
            }
        )
        + ";"
    )

    # Entries: a Start marker beside each (one shared Start node would pull an edge across the
    # whole diagram to every late entry: thousands of virtual nodes for Graphviz on a long journey).
    entries = [tid for tid in sorted(analysis.entries, key=lambda k: order.get(k, (0, 0))) if tid in shown]
    start_attributes = {
        "label": '"Start"',
        "shape": '"circle"',
        "fillcolor": f'"{INK}"',
        "color": f'"{INK}"',
        "fontcolor": '"white"',
        "fontsize": '"10"',
        "width": '"0.6"',
        "fixedsize": '"true"',
    }

    channels = journey.channel_by_id
    by_stage: dict[str, list[Touchpoint]] = {}
    for touchpoint in touchpoints:
        by_stage.setdefault(touchpoint.stage, []).append(touchpoint)
    # A stage drafted ahead of its touchpoints is drawn empty in its place (it was left out without a word: the
    # diagram of a journey of six stages showed three); a stage a persona's view meets nothing of is left out.
    staged = {t.stage for t in journey.touchpoints}
    stage_anchors: list[tuple[str, str, str]] = []  # (stage, its first node, its last node), in stage order
    for stage in journey.stages:
        members = by_stage.get(stage.id)
        if not members and stage.id in staged:
            continue
        stats = ""
        result = stage_results.get(stage.id)
        if result is not None and members:
            stats = f'<BR/><FONT POINT-SIZE="10" COLOR="{MUTED}">reach {_html_percent(result.reach)} · drop-off {_html_percent(result.drop_off)}</FONT>'
        add(f'  subgraph "cluster_{stage.id}" {{')
        add(
            "    graph "
            + _attributes(
                {
                    "id": f'"flow-stage-{stage.id}"',
                    "label": f"<<B>{_wrap(stage.name, 30)}</B>{stats}>",
                    "labeljust": '"l"',
                    "fontsize": '"14"',
                    "style": '"filled,rounded"',
                    "fillcolor": f'"{CLUSTER_FILL}"',
                    "color": f'"{CLUSTER_LINE}"',
                }
            )
            + ";"
        )
        if not members:
            empty = {"id": f'"flow-empty-{stage.id}"', "label": "<<I>no touchpoints yet</I>>", "shape": '"plaintext"',
                     "style": '""', "fontcolor": f'"{MUTED}"', "tooltip": dot_string(f"{stage.name}: no touchpoints yet")}
            add(f'    "__empty__{stage.id}" ' + _attributes(empty) + ";")
            stage_anchors.append((stage.id, f"__empty__{stage.id}", f"__empty__{stage.id}"))
        else:
            # its first column: a Start marker beside an entry (which the invisible edge would share a column with)
            first = f"__start__{members[0].id}" if members[0].id in entries else members[0].id
            stage_anchors.append((stage.id, first, members[-1].id))
        for touchpoint in members or []:
            if touchpoint.id in entries:
                start = {"id": f'"flow-start-{touchpoint.id}"', **start_attributes}
                add(f'    "__start__{touchpoint.id}" ' + _attributes(start) + ";")
            add(f'    "{touchpoint.id}" ' + _attributes(_node(analysis, touchpoint, channels, weak_rank, links)) + ";")
        add("  }")
    # An empty stage is kept in its place, right of the stage before and left of the one after, by invisible edges
    # (it has no flows of its own: Graphviz put it in the first column)
    from itertools import pairwise

    for (before, _, last), (after, first, _) in pairwise(stage_anchors):
        if last.startswith("__empty__") or first.startswith("__empty__"):
            add(f'  "{last}" -> "{first}" [id="flow-stage-order-{before}--{after}", style="invis"];')

    for tid in entries:
        attrs = {"id": f'"flow-entry-{tid}"', "color": f'"{INK}"', "penwidth": '"1.5"'}
        if len(entries) > 1:
            attrs["label"] = f'"{_percent(analysis.entries[tid])}"'
        add(f'  "__start__{tid}" -> "{tid}" ' + _attributes(attrs) + ";")

    results = analysis.touchpoints
    model = analysis.graph.graph
    busiest = max((f.count for (a, b), f in seen.items() if a in shown and b in shown), default=0)
    for touchpoint in touchpoints:
        source_reach = results[touchpoint.id].reach if touchpoint.id in results else None
        for flow in touchpoint.next:
            if flow.to not in shown or flow.leads_out(analysis.journey.id):
                continue
            attrs = {"id": f'"flow-edge-{touchpoint.id}--{flow.to}"'}
            label = ""
            share = flow.share
            if share is not None and analysis.persona is not None and model.has_edge(touchpoint.id, flow.to):
                # a persona's view scales the shares of the flows it keeps: the model's, as the report's
                share = model.edges[touchpoint.id, flow.to]["share"]
            if share is not None:
                label = f"<B>{_html_percent(share)}</B>"
                if source_reach is not None:
                    # Line width follows the share of all customers on this edge: the main road stands out.
                    # Rounded first: the solver's last bits differ between numpy/scipy builds,
                    # and a width of 4.225 must not print as 4.23 on one and 4.22 on another.
                    width = round(1 + 5 * round(source_reach, 9) * share, 6)
                    attrs["penwidth"] = f'"{width:.2f}"'
            if flow.label:
                small = f'<FONT POINT-SIZE="9">{_wrap(flow.label, 22)}</FONT>'
                label = f"{label}<BR/>{small}" if label else small
            if analysis.events is not None and analysis.events.customers:
                # The observed layer: as thick as the customers who took it, their share in blue.
                taken = seen.get((touchpoint.id, flow.to))
                count = taken.count if taken is not None else 0
                attrs["penwidth"] = f'"{edge_width(count, busiest):.2f}"'
                observed = f"seen {observed_percent(taken.share)} · {count:,}" if taken is not None else "nobody took it"
                small = f'<FONT POINT-SIZE="9" COLOR="{OBSERVED_INK}">{dot_html(observed)}</FONT>'
                label = f"{label}<BR/>{small}" if label else small
                attrs["class"] = '"observed-declared"' if taken is not None else '"observed-not-taken"'
            if label:
                attrs["label"] = f"<{label}>"
            if order[flow.to] <= order[touchpoint.id]:
                # A loop back: drawn dashed, and it does not pull the target to the right.
                attrs["style"] = '"dashed"'
                attrs["constraint"] = '"false"'
            add(f'  "{touchpoint.id}" -> "{flow.to}" ' + _attributes(attrs) + ";")
    for (source, target), taken in sorted(seen.items(), key=lambda kv: (order.get(kv[0][0], (0, 0)), order.get(kv[0][1], (0, 0)))):
        if (source, target) not in drawn:
            continue
        # Taken but not declared: dashed in its own colour; it does not move the designed layout.
        text = f"not in the journey · {observed_percent(taken.share)} · {taken.count:,}"
        attrs = {
            "id": f'"flow-observed-{source}--{target}"',
            "class": '"observed-undeclared"',
            "style": '"dashed"',
            "color": f'"{UNDECLARED}"',
            "fontcolor": f'"{UNDECLARED}"',
            "penwidth": f'"{edge_width(taken.count, busiest):.2f}"',
            "constraint": '"false"',
            "label": f'<<FONT POINT-SIZE="9">{dot_html(text)}</FONT>>',
            "tooltip": dot_string(f"{source} → {target}: customers took this step, but the journey does not declare it"),
        }
        add(f'  "{source}" -> "{target}" ' + _attributes(attrs) + ";")
    add("}")
    return "\n".join(out) + "\n"


def _node(
    analysis: Analysis,
    touchpoint: Touchpoint,
    channels: dict,  # type: ignore[type-arg]
    weak_rank: dict[str, int],
    links: bool,
) -> dict[str, str]:
    channel = channels.get(touchpoint.channel)
    kind = channel.kind if channel is not None else "digital"
    shape, _ = SHAPES.get(kind, SHAPES["digital"])
    attrs: dict[str, str] = {"id": f'"flow-tp-{touchpoint.id}"', "shape": f'"{shape}"'}
    if kind == "digital":
        attrs["style"] = '"filled,rounded"'
    result = analysis.touchpoints.get(touchpoint.id)
    lines: list[str] = []
    if touchpoint.id in weak_rank:
        lines.append(f'<FONT COLOR="{WEAK_INK}"><B>⚠ weak #{weak_rank[touchpoint.id]}</B></FONT>')
        attrs.update({"fillcolor": f'"{WEAK_FILL}"', "color": f'"{WEAK_INK}"', "penwidth": '"3.5"'})
    lines.append(f"<B>{_wrap(touchpoint.name)}</B>")
    details = [shorten(channel.name, 40) if channel is not None else touchpoint.channel]
    if result is not None:
        details.append(f"reach {_percent(result.reach)}")
    lines.append(f'<FONT POINT-SIZE="9" COLOR="{MUTED}">{dot_html(" · ".join(details))}</FONT>')
    if touchpoint.outcome == "success":
        lines.append('<FONT POINT-SIZE="10" COLOR="#1e5631"><B>✔ success</B></FONT>')
        attrs.update({"shape": '"box"', "style": '"filled,rounded,bold"', "peripheries": '"2"'})
        if touchpoint.id not in weak_rank:
            attrs.update({"fillcolor": '"#cdebd5"', "color": '"#1e5631"'})
    elif touchpoint.outcome == "failure":
        lines.append('<FONT POINT-SIZE="10" COLOR="#5a1a14"><B>✖ failure</B></FONT>')
        attrs.update({"shape": '"octagon"', "style": '"filled"'})
        if touchpoint.id not in weak_rank:
            attrs.update({"fillcolor": '"#eceaea"', "color": '"#5a1a14"'})
    attrs["label"] = "<" + "<BR/>".join(lines) + ">"
    # Cut too: Graphviz refuses a string longer than 16,384 characters ("syntax error in line 9").
    tooltip = shorten(touchpoint.description or touchpoint.action or touchpoint.name, TEXT_CHARACTERS)
    if result is not None and result.weak and result.reasons:
        tooltip += "\nWeak: " + shorten("; ".join(one_line(reason) for reason in result.reasons), TEXT_CHARACTERS)
    attrs["tooltip"] = dot_string(tooltip)
    if links:
        attrs["href"] = f'"#tp-{touchpoint.id}"'
    return attrs


# -- the stage overview: what is drawn when the full diagram is too big to lay out --------

#: Up to this many touchpoints (and :data:`FULL_DIAGRAM_FLOWS` flows) the flow diagram shows every
#: touchpoint. Graphviz lays out a sparse 2,000-touchpoint journey in about 5 s; 10,000 take
#: longer than a minute, and Graphviz 2.43 crashes on 50,000 (``free(): invalid next size``).
FULL_DIAGRAM_TOUCHPOINTS = 2000
#: ... and up to this many flows (60 touchpoints that all flow to each other, 3,540 flows, take minutes).
FULL_DIAGRAM_FLOWS = 3000


@dataclass(frozen=True)
class DiagramPlan:
    """Which diagram is drawn for a journey, decided from its size before Graphviz runs."""

    kind: Literal["full", "stages"]
    touchpoints: int
    flows: int

    @property
    def note(self) -> str | None:
        """What was drawn instead of the full diagram, in a sentence (None for the full diagram)."""
        if self.kind == "full":
            return None
        why = []
        if self.touchpoints > FULL_DIAGRAM_TOUCHPOINTS:
            why.append(f"{self.touchpoints:,} touchpoints (more than {FULL_DIAGRAM_TOUCHPOINTS:,})")
        if self.flows > FULL_DIAGRAM_FLOWS:
            why.append(f"{self.flows:,} flows (more than {FULL_DIAGRAM_FLOWS:,})")
        return (
            "the flow diagram is a stage overview: the journey has " + " and ".join(why)
            + ", too many for Graphviz to lay out one by one; each box is a stage and each arrow "
            "the customers moving between two stages"
        )


def diagram_plan(analysis: Analysis) -> DiagramPlan:
    """The full diagram for journeys Graphviz lays out in seconds, else the stage overview.

    >>> diagram_plan(analysis).kind  # doctest: +SKIP
    'full'
    """
    touchpoints = shown_touchpoints(analysis)
    shown = {t.id for t in touchpoints}
    flows = sum(1 for t in touchpoints for f in t.next if f.to in shown)
    big = len(touchpoints) > FULL_DIAGRAM_TOUCHPOINTS or flows > FULL_DIAGRAM_FLOWS
    return DiagramPlan("stages" if big else "full", len(touchpoints), flows)


def render_stage_dot(analysis: Analysis) -> str:
    """The stage overview as DOT: one node per stage (its touchpoints, weak ones, reach and
    drop-off), arrows between stages labelled with the customers moving along them (expected
    moves per 100 customers who enter, as a percentage), entries from a Start node.
    """
    journey = analysis.journey
    touchpoints = shown_touchpoints(analysis)
    shown = {t.id for t in touchpoints}
    stage_of = {t.id: t.stage for t in touchpoints}
    stage_index = {s.id: i for i, s in enumerate(journey.stages)}
    results = analysis.touchpoints
    stage_results = {s.id: s for s in analysis.stages}
    graph = analysis.graph.graph
    moves: dict[tuple[str, str], float] = {}
    for touchpoint in touchpoints:
        result = results.get(touchpoint.id)
        visits = result.expected_visits if result is not None else 0.0
        for target, data in graph.adj[touchpoint.id].items():
            if target not in shown or stage_of[target] == touchpoint.stage:
                continue
            key = (touchpoint.stage, stage_of[target])
            moves[key] = moves.get(key, 0.0) + visits * float(data["share"])
    entering: dict[str, float] = {}
    for tid, weight in analysis.entries.items():
        if tid in stage_of:
            entering[stage_of[tid]] = entering.get(stage_of[tid], 0.0) + weight

    out = ['digraph "journey" {']
    add = out.append
    add("  graph " + _attributes({k: f'"{v}"' for k, v in GRAPH_ATTRIBUTES.items()}) + ";")
    title = dot_html(shorten(journey.title, TITLE_CHARACTERS))
    legend = (
        f"stage overview of {len(touchpoints):,} touchpoints · edge label = customers moving between stages "
        "(per 100 who enter) · red, thick outline = stage with weak touchpoints"
    )
    add(
        "  graph "
        + _attributes(
            {
                "id": '"flow"',
                "label": f'<<B>{title}</B><BR/><FONT POINT-SIZE="10" COLOR="{MUTED}">{dot_html(legend)}</FONT>>',
                "labelloc": '"t"', "labeljust": '"l"', "fontname": f'"{FONT}"', "fontsize": '"18"',
                "fontcolor": f'"{INK}"', "bgcolor": '"white"',
            }
        )
        + ";"
    )
    add(
        "  node " + _attributes(
            {
                "fontname": f'"{FONT}"', "fontsize": '"12"', "fontcolor": f'"{INK}"', "shape": '"box"',
                "style": '"filled,rounded"', "fillcolor": f'"{OK_FILL}"', "color": f'"{OK_LINE}"', "margin": '"0.2,0.1"',
            }
        ) + ";"
    )
    add("  edge " + _attributes({"fontname": f'"{FONT}"', "fontsize": '"10"', "fontcolor": f'"{MUTED}"', "color": '"#6b7385"'}) + ";")
    counts: dict[str, int] = {}
    weak: dict[str, int] = {}
    for touchpoint in touchpoints:
        counts[touchpoint.stage] = counts.get(touchpoint.stage, 0) + 1
        result = results.get(touchpoint.id)
        if result is not None and result.weak:
            weak[touchpoint.stage] = weak.get(touchpoint.stage, 0) + 1
    # a stage drafted ahead of its touchpoints is drawn empty, as the full diagram draws it; one whose touchpoints
    # the persona does not meet is left out, as there
    staged = {t.stage for t in journey.touchpoints}
    drawn = [s for s in journey.stages if counts.get(s.id) or s.id not in staged]
    if entering:
        add('  "__start__" [id="flow-start", label="Start", shape="circle", fillcolor="' + INK + '", color="' + INK
            + '", fontcolor="white", fontsize="10", width="0.6", fixedsize="true"];')
    for stage in drawn:
        if stage.id not in counts:
            empty = {"id": f'"flow-stage-{stage.id}"', "label": f"<<B>{_wrap(stage.name, 30)}</B><BR/><I>no touchpoints yet</I>>",
                     "style": '"rounded,dashed"', "fillcolor": '"white"', "color": f'"{MUTED}"', "fontcolor": f'"{MUTED}"',
                     "tooltip": dot_string(f"{stage.name}: no touchpoints yet")}
            add(f'  "{stage.id}" ' + _attributes(empty) + ";")
            continue
        count = counts[stage.id]
        lines = [f"<B>{_wrap(stage.name, 30)}</B>", dot_html(f"{count:,} touchpoint{'s' * (count != 1)}")]
        stage_result = stage_results.get(stage.id)
        if stage_result is not None:
            lines.append(f'<FONT POINT-SIZE="10" COLOR="{MUTED}">reach {_html_percent(stage_result.reach)} · drop-off {_html_percent(stage_result.drop_off)}</FONT>')
        attrs = {"id": f'"flow-stage-{stage.id}"', "label": "<" + "<BR/>".join(lines) + ">"}
        if weak.get(stage.id):
            lines.insert(0, f'<FONT COLOR="{WEAK_INK}"><B>⚠ {weak[stage.id]:,} weak</B></FONT>')
            attrs["label"] = "<" + "<BR/>".join(lines) + ">"
            attrs.update({"fillcolor": f'"{WEAK_FILL}"', "color": f'"{WEAK_INK}"', "penwidth": '"3"'})
        add(f'  "{stage.id}" ' + _attributes(attrs) + ";")
    for stage in drawn:
        if stage.id in entering:
            label = f'"{_percent(entering[stage.id])}"' if len(entering) > 1 else '""'
            add(f'  "__start__" -> "{stage.id}" [id="flow-entry-{stage.id}", label={label}, color="{INK}"];')
    # an empty stage has no arrows: invisible edges from the stage before it and to the stage after keep it in place
    for before, after in zip(drawn, drawn[1:], strict=False):
        if before.id not in counts or after.id not in counts:
            add(f'  "{before.id}" -> "{after.id}" [id="flow-stage-order-{before.id}--{after.id}", style="invis"];')
    for (source, target), amount in sorted(moves.items(), key=lambda kv: (stage_index.get(kv[0][0], 0), stage_index.get(kv[0][1], 0))):
        attrs = {"id": f'"flow-edge-{source}--{target}"', "label": f'"{_percent(amount)}"'}
        attrs["penwidth"] = f'"{round(1 + 5 * min(1.0, round(amount, 9)), 6):.2f}"'
        if stage_index.get(target, 0) <= stage_index.get(source, 0):
            attrs["style"] = '"dashed"'
            attrs["constraint"] = '"false"'
        add(f'  "{source}" -> "{target}" ' + _attributes(attrs) + ";")
    add("}")
    return "\n".join(out) + "\n"
