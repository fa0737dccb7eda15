"""A loop customers can never leave: every share from its touchpoints stays inside it.

A basket that leads only to payment and a payment page that leads only back to
the basket hold their customers for ever: no outcome, no drop-off. The
analysis counts such customers as stuck, never succeeding, and the report says
so in a note; this rule says it where the journey is written. Give the loop a
way out (a flow to an outcome or onwards), or shares that leave room for
customers to leave.

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: basket, name: Basket, stage: buy, channel: web, entry: true, next: [pay]}
      - {id: pay, name: Pay, stage: buy, channel: web, next: [basket]}

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: basket, name: Basket, stage: buy, channel: web, entry: true, next: [pay]}
      - {id: pay, name: Pay, stage: buy, channel: web, next: [basket, paid]}
      - {id: paid, name: Paid, stage: buy, channel: web, outcome: success}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import problem, span_of

ID = "closed-loop"
LEVEL = "warning"


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    from ..graph import JourneyGraph

    graph = JourneyGraph(journey)
    for group in graph.closed_loops():
        loop = group[0] if len(group) == 1 else "the loop " + " -> ".join(group)
        related = [span_of(journey, "touchpoints", ident) for ident in group[1:]]
        yield problem(
            journey,
            ID,
            ("touchpoints", group[0]),
            f"customers who reach {loop} never leave it: every share from "
            f"{'it' if len(group) == 1 else 'its touchpoints'} stays inside, so they never reach an outcome",
            "add a flow out of it (to an outcome, or onward), or give its flows shares that leave room to leave",
            related,
        )
