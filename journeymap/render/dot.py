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
from typing import TYPE_CHECKING

from .escape import dot_html, dot_string, one_line

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
    pct = value * 100
    if pct and abs(pct) < 1:
        return f"{pct:.1f}%"
    return f"{pct:.0f}%"


def _wrap(text: str, width: int = 24) -> str:
    """Escaped, wrapped text for an HTML-like label."""
    lines = textwrap.wrap(one_line(text), width, break_long_words=True, break_on_hyphens=True) or [""]
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
    title = dot_html(one_line(journey.title))
    legend = (
        "shape = channel kind: "
        + ", ".join(f"{word} {kind}" for kind, (_, word) in SHAPES.items())
        + " · red, thick outline = ⚠ weak · edge label = share of customers"
    )
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
    for stage in journey.stages:
        members = by_stage.get(stage.id)
        if not members:
            continue
        stats = ""
        result = stage_results.get(stage.id)
        if result is not None:
            stats = f'<BR/><FONT POINT-SIZE="10" COLOR="{MUTED}">reach {_percent(result.reach)} · drop-off {_percent(result.drop_off)}</FONT>'
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
        for touchpoint in members:
            if touchpoint.id in entries:
                start = {"id": f'"flow-start-{touchpoint.id}"', **start_attributes}
                add(f'    "__start__{touchpoint.id}" ' + _attributes(start) + ";")
            add(f'    "{touchpoint.id}" ' + _attributes(_node(analysis, touchpoint, channels, weak_rank, links)) + ";")
        add("  }")

    for tid in entries:
        attrs = {"id": f'"flow-entry-{tid}"', "color": f'"{INK}"', "penwidth": '"1.5"'}
        if len(entries) > 1:
            attrs["label"] = f'"{_percent(analysis.entries[tid])}"'
        add(f'  "__start__{tid}" -> "{tid}" ' + _attributes(attrs) + ";")

    results = analysis.touchpoints
    for touchpoint in touchpoints:
        source_reach = results[touchpoint.id].reach if touchpoint.id in results else None
        for flow in touchpoint.next:
            if flow.to not in shown or flow.leads_out(analysis.journey.id):
                continue
            attrs = {"id": f'"flow-edge-{touchpoint.id}--{flow.to}"'}
            label = ""
            if flow.share is not None:
                label = f"<B>{_percent(flow.share)}</B>"
                if source_reach is not None:
                    # Line width follows the share of all customers on this edge: the main road stands out.
                    # Rounded first: the solver's last bits differ between numpy/scipy builds,
                    # and a width of 4.225 must not print as 4.23 on one and 4.22 on another.
                    width = round(1 + 5 * round(source_reach, 9) * flow.share, 6)
                    attrs["penwidth"] = f'"{width:.2f}"'
            if flow.label:
                small = f'<FONT POINT-SIZE="9">{_wrap(flow.label, 22)}</FONT>'
                label = f"{label}<BR/>{small}" if label else small
            if label:
                attrs["label"] = f"<{label}>"
            if order[flow.to] <= order[touchpoint.id]:
                # A loop back: drawn dashed, and it does not pull the target to the right.
                attrs["style"] = '"dashed"'
                attrs["constraint"] = '"false"'
            add(f'  "{touchpoint.id}" -> "{flow.to}" ' + _attributes(attrs) + ";")
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
    details = [one_line(channel.name) if channel is not None else touchpoint.channel]
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
    tooltip = one_line(touchpoint.description or touchpoint.action or touchpoint.name)
    if result is not None and result.weak and result.reasons:
        tooltip += "\nWeak: " + "; ".join(one_line(reason) for reason in result.reasons)
    attrs["tooltip"] = dot_string(tooltip)
    if links:
        attrs["href"] = f'"#tp-{touchpoint.id}"'
    return attrs
