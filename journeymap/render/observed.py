"""The observed layer: what an event log says, next to the designed journey, for the map and the diagram.

With an event log (``render --events``), the flow diagram draws each edge as
thick as the customers who took it and the flows customers took that the
journey does not declare as dashed edges in their own colour; the map gets a
"Planned vs actual" panel and an observed-conversion tile. Everything here is
computed from :class:`~journeymap.data.EventSummary` (whichever engine filled
it) and returned as plain, unescaped text: the renderers escape it for where it
lands. Figures an engine did not compute (conformance, deviations, times) are
None and shown as "not measured", never as zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..data import EventSummary, ObservedFlow

#: Undeclared flows: dashed, in this colour (the legend says so).
UNDECLARED = "#c2410c"
#: The observed figures in edge labels.
OBSERVED_INK = "#0b5d8c"
#: Edge widths run from MIN_WIDTH (nobody) to MAX_WIDTH (the busiest flow).
MIN_WIDTH = 0.6
MAX_WIDTH = 8.0

CONFORMANCE = (
    ("conforming", "Conforming", "every step is a declared flow"),
    ("ad_hoc", "Ad hoc", "met a touchpoint the journey does not have"),
    ("out_of_sequence", "Out of sequence", "took a step between touchpoints the journey does not declare"),
    ("missing", "Missing", "skipped a touchpoint the declared path requires"),
    ("failing", "Failing", "ended in failure or left"),
)
DEVIATION_WORDS = {key: label for key, label, _ in CONFORMANCE}


def observed_flows(analysis: Analysis) -> dict[tuple[str, str], ObservedFlow]:
    """The log's flows by (source, target); empty without an event log."""
    events = analysis.events
    if events is None:
        return {}
    return {(f.source, f.target): f for f in events.flows if f.count}  # not the model's flows nobody took


def edge_width(count: int, busiest: int) -> float:
    """Line width for a flow ``count`` customers took, the busiest flow taken by ``busiest``."""
    if busiest <= 0 or count <= 0:
        return MIN_WIDTH
    return round(1.0 + (MAX_WIDTH - 1.0) * count / busiest, 2)


def percent(value: float | None) -> str:
    if value is None:
        return "–"
    pct = value * 100
    if pct and abs(pct) < 1:
        return f"{pct:.1f}%"
    return f"{pct:.1f}%".replace(".0%", "%")


def points(observed: float, declared: float) -> str:
    """``+4.2 pts``: how far the observed share is from the declared one."""
    diff = round((observed - declared) * 100, 1)
    if diff == 0:
        return "±0 pts"
    return f"{'+' if diff > 0 else '−'}{abs(diff):.1f} pts"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    from ..metrics import format_duration

    return format_duration(seconds)


@dataclass(frozen=True)
class FlowRow:
    source: str
    source_name: str
    target: str
    target_name: str
    customers: int
    observed: str
    declared: str
    difference: str
    median: str
    p90: str
    status: str
    """``declared``, ``undeclared`` (taken, not in the journey) or ``not-taken`` (declared, nobody took it)."""


@dataclass(frozen=True)
class DeviationRow:
    type: str
    source: str
    target: str
    customers: int
    share: str
    examples: str


@dataclass
class PlannedVsActual:
    """The "Planned vs actual" panel and the observed KPI tile, as text."""

    engine: str
    files: str
    customers: int
    succeeded: int
    failed: int
    left: int
    conversion_observed: str
    conversion_modelled: str
    conversion_difference: str
    conformance: list[tuple[str, str, str, str]] | None
    """(key, label, share, what it means); None when the engine did not replay paths."""
    deviations: list[DeviationRow] = field(default_factory=list)
    flows: list[FlowRow] = field(default_factory=list)
    times: bool = False
    """Whether any flow has times (else the time columns are left out)."""
    undeclared: int = 0
    empty: bool = False
    observed_value: float | None = None
    modelled_value: float | None = None
    """The two conversions as numbers (the map's tiles round them as its other tiles)."""
    """No customers in the log (or none of the persona's): nothing to compare, nothing "not measured"."""
    handed_off: int | None = None
    """Customers whose last step was a declared flow into another journey; None for a journey without such flows."""


def planned_vs_actual(analysis: Analysis, shown: set[str] | None = None, *, each: int = 3) -> PlannedVsActual | None:
    """The panel's figures, or None without an event log. ``shown``: the touchpoints on the map; ``each``:
    deviations shown of each type (as the text and Markdown reports: the ten largest of all were all
    failing on a real log, which hid every ad hoc, out-of-sequence and missing step)."""
    from ..analysis import link_share
    from ..links import has_links
    from ..problems import visible
    from .escape import one_line
    from .markdown import top_deviations

    events: EventSummary | None = analysis.events
    if events is None:
        return None
    journey = analysis.journey
    names = {t.id: one_line(t.name) or t.id for t in journey.touchpoints}
    order = {t.id: i for i, t in enumerate(journey.touchpoints)}
    shown = shown if shown is not None else set(names)
    seen = observed_flows(analysis)
    rows: list[FlowRow] = []
    declared_pairs = set()
    from ..graph import resolve_shares

    model = analysis.graph.graph  # the model analysed: a persona's view scales its shares (as the report's)
    for tp in journey.touchpoints:
        shares = resolve_shares([(f.to, f.share) for f in tp.next])
        for flow, share in zip(tp.next, shares, strict=True):
            declared_pairs.add((tp.id, flow.to))
            out = flow.leads_out(journey.id) and flow.to not in names  # into another journey's touchpoint
            if tp.id not in shown or (flow.to not in shown and not out):
                continue
            if model.has_edge(tp.id, flow.to):
                share = model.edges[tp.id, flow.to]["share"]
            elif out:
                share = link_share(analysis.graph, tp.id, flow) or 0.0
            o = seen.get((tp.id, flow.to))
            rows.append(
                FlowRow(
                    tp.id, names[tp.id], flow.to,
                    f"{one_line(flow.to)} (journey {one_line(flow.journey or '')})" if out else names.get(flow.to, flow.to),
                    o.count if o else 0,
                    percent(o.share if o else 0.0),
                    percent(share),
                    points(o.share if o else 0.0, share),
                    duration(o.median_seconds if o else None),
                    duration(o.p90_seconds if o else None),
                    "declared" if o else "not-taken",
                )
            )
    for (a, b), o in seen.items():
        if (a, b) in declared_pairs or a not in shown or b not in shown:
            continue
        rows.append(
            FlowRow(
                a, names.get(a, a), b, names.get(b, b), o.count, percent(o.share), "–", "not in the journey",
                duration(o.median_seconds), duration(o.p90_seconds), "undeclared",
            )
        )
    rows.sort(key=lambda r: (order.get(r.source, 1 << 30), order.get(r.target, 1 << 30), r.target))
    conformance = None
    if events.conformance is not None:
        conformance = [
            (key, label, percent(events.conformance.get(key)) if key in events.conformance else "–", meaning)
            for key, label, meaning in CONFORMANCE
        ]
    # An ad hoc touchpoint and a customer id come from the log: shown as the terminal and the
    # Markdown report show them, control and bidi characters as escapes, long ones cut.
    from ..data.engines.rows import shown as from_log

    deviations = [
        DeviationRow(
            DEVIATION_WORDS.get(d.type, d.type),
            names.get(d.source) or from_log(d.source) if d.source else "–",
            names.get(d.target) or from_log(d.target) if d.target else "–",
            d.customers,
            percent(d.customers / events.customers) if events.customers else "–",
            ", ".join(from_log(e) for e in d.examples[:3]),
        )
        for d in top_deviations(sorted(events.deviations, key=lambda d: (-d.customers, d.type, d.source or "", d.target or "")), each)
    ]
    observed = events.conversion_observed
    if not events.customers:  # 0 of 0 is no share: the JSON's flows are empty and its conformance null
        rows, conformance, deviations = [], None, []
    return PlannedVsActual(
        engine=events.engine,
        # a file's name as the terminal and the Markdown show it: a bidi override (U+202E) or an
        # escape sequence in it escaped, not obeyed by the rest of the panel's sentence
        files=", ".join(visible(Path(f).name) for f in events.files),
        customers=events.customers,
        succeeded=events.succeeded,
        failed=events.failed,
        left=events.left,
        conversion_observed=percent(observed),
        conversion_modelled=percent(analysis.conversion),
        conversion_difference=points(observed, analysis.conversion) if observed is not None else "–",
        conformance=conformance,
        deviations=deviations,
        flows=rows,
        times=any(r.median != "–" or r.p90 != "–" for r in rows),
        undeclared=sum(r.status == "undeclared" for r in rows),
        empty=not events.customers,
        observed_value=observed,
        modelled_value=analysis.conversion,
        handed_off=events.handed_off if has_links(journey) or events.handed_off else None,
    )
