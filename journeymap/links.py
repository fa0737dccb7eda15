"""Links between journeys: a flow that leads into another journey (``journey:`` on a flow).

One journey file cannot know whether ``journey: card-activation, to:
activate-card`` exists; a folder of journeys can. :func:`check_links` checks
every such flow against the journeys it is given (an unknown journey or
touchpoint is an error, with a "did you mean" hint, at the flow's position);
:func:`journey_links` lists them with the share of customers who take each
(for the portfolio's index and the "arrives from" side of the target).

In the analysis of one journey a flow into another journey is an exit: the
customers who take it leave this journey (they count neither as its success
nor as its failure) and are reported apart as ``handoff`` in its outcomes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .problems import Problem, Span, did_you_mean

if TYPE_CHECKING:
    from .analysis import Analysis
    from .model import Flow, Journey


@dataclass(frozen=True)
class JourneyLink:
    """A flow from one journey's touchpoint into another journey's touchpoint."""

    journey: str
    touchpoint: str
    to_journey: str
    to_touchpoint: str
    share: float
    """The flow's share of the customers at the touchpoint (declared, or resolved like any flow)."""
    customers: float | None = None
    """Share of the customers entering ``journey`` who take it (expected visits x share), when analysed."""
    label: str | None = None


def outgoing(journey: Journey) -> list[tuple[str, int, Flow]]:
    """``(touchpoint id, index in next, flow)`` of every flow into another journey, in file order."""
    found = []
    for touchpoint in journey.touchpoints:
        for index, flow in enumerate(touchpoint.next):
            if flow.leads_out(journey.id):
                found.append((touchpoint.id, index, flow))
    return found


def has_links(journey: Journey) -> bool:
    return any(f.leads_out(journey.id) for t in journey.touchpoints for f in t.next)


def check_links(journeys: Iterable[Journey]) -> list[Problem]:
    """Every flow into another journey checked against ``journeys`` (an unknown one is an error)."""
    known: dict[str, Journey] = {}
    for journey in journeys:
        known.setdefault(journey.id, journey)
    problems = []
    for journey in known.values():
        name = str(journey.source) if journey.source is not None else journey.id
        for touchpoint, _, flow in outgoing(journey):
            target_journey = flow.journey or ""
            target = flow.to
            span = journey.span("touchpoints", touchpoint, "next", target) or journey.span("touchpoints", touchpoint) or Span(name)
            other = known.get(target_journey)
            if other is None:
                hint = did_you_mean(target_journey, known) or ("journeys here: " + ", ".join(sorted(known)) if known else None)
                problems.append(
                    Problem(
                        span, "unknown-journey",
                        f"touchpoint '{touchpoint}': next leads into unknown journey '{target_journey}'", hint,
                    )
                )
            elif target not in other.touchpoint_by_id:
                hint = did_you_mean(target, other.touchpoint_by_id)
                problems.append(
                    Problem(
                        span, "unknown-reference",
                        f"touchpoint '{touchpoint}': journey '{target_journey}' has no touchpoint '{target}'", hint,
                    )
                )
    return problems


def journey_links(analyses: Mapping[str, Analysis]) -> list[JourneyLink]:
    """Every flow into another journey, with its share and (from the analysis) how many customers take it."""
    from .graph import resolve_shares

    links = []
    for journey_id in sorted(analyses):
        analysis = analyses[journey_id]
        journey = analysis.journey
        for touchpoint in journey.touchpoints:
            if not any(f.leads_out(journey.id) for f in touchpoint.next):
                continue
            shares = resolve_shares([(f.to, f.share) for f in touchpoint.next])
            result = analysis.touchpoints.get(touchpoint.id)
            for flow, share in zip(touchpoint.next, shares, strict=True):
                if not flow.leads_out(journey.id):
                    continue
                assert flow.journey is not None
                customers = result.expected_visits * share if result is not None else None
                links.append(
                    JourneyLink(journey.id, touchpoint.id, flow.journey, flow.to, share, customers, flow.label)
                )
    return links
