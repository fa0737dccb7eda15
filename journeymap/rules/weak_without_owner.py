"""A weak touchpoint with no ``owner``: nobody is accountable for fixing it.

Weak is what ``journeymap analyze`` calls weak (a missed target, friction at
or above ``weak.friction_severity``, emotion at or below ``weak.emotion``).
The weak touchpoints are the ones a team will be asked about first, so they
should name the team.

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - id: pay
        name: Pay
        stage: buy
        channel: web
        outcome: success
        friction: [{type: error, severity: 5, note: Card declined for no reason, evidence: tickets}]

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - id: pay
        name: Pay
        stage: buy
        channel: web
        outcome: success
        owner: Payments team
        friction: [{type: error, severity: 5, note: Card declined for no reason, evidence: tickets}]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import problem, weak_touchpoints

ID = "weak-without-owner"
LEVEL = "warning"


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    unowned = [t for t in journey.touchpoints if not (t.owner and t.owner.strip())]
    if not unowned:
        return
    weak = weak_touchpoints(journey)
    for touchpoint in unowned:
        reasons = weak.get(touchpoint.id)
        if reasons is None:
            continue
        because = "; ".join(reasons[:2]) + ("; ..." if len(reasons) > 2 else "")
        yield problem(
            journey,
            ID,
            ("touchpoints", touchpoint.id),
            f"weak touchpoint '{touchpoint.id}' has no owner; it is weak because of: {because}",
            "add 'owner:' with the team accountable for it",
        )
