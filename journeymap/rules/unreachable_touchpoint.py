"""A touchpoint that no flow leads to from any entry.

Customers can never get there, so its metrics, friction and emotion describe
nobody, and the map shows a step that is not part of the journey. Entries are
the touchpoints marked ``entry: true`` or, when none is, those nobody points to.

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: browse, name: Browse, stage: buy, channel: web, entry: true, next: [pay]}
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}
      - {id: wishlist, name: Wishlist, stage: buy, channel: web, next: [pay]}

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: browse, name: Browse, stage: buy, channel: web, entry: true, next: [pay, wishlist]}
      - {id: wishlist, name: Wishlist, stage: buy, channel: web, next: [pay]}
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import entries, problem, reachable

ID = "unreachable-touchpoint"
LEVEL = "warning"


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    starts = entries(journey)
    if not starts:
        return
    reached = reachable(journey, starts)
    for touchpoint in journey.touchpoints:
        if touchpoint.id not in reached:
            yield problem(
                journey,
                ID,
                ("touchpoints", touchpoint.id),
                f"touchpoint '{touchpoint.id}' cannot be reached from any entry ({', '.join(starts)})",
                "add a flow to it from an earlier touchpoint, or mark it 'entry: true'",
            )
