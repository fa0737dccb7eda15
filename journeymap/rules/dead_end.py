"""A touchpoint with no ``next`` and no ``outcome``: customers go nowhere from it.

The journey silently ends there. If customers really leave at that point, say
so with ``outcome: failure`` (or ``success``); otherwise add the flow that
continues the journey, so that conversion and drop-off are computed right.

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: browse, name: Browse, stage: buy, channel: web, next: [pay]}
      - {id: pay, name: Pay, stage: buy, channel: web}

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: browse, name: Browse, stage: buy, channel: web, next: [pay]}
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import problem

ID = "dead-end"
LEVEL = "warning"


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    for touchpoint in journey.touchpoints:
        if not touchpoint.next and touchpoint.outcome is None:
            yield problem(
                journey,
                ID,
                ("touchpoints", touchpoint.id),
                f"touchpoint '{touchpoint.id}' is a dead end: it has no 'next' and no 'outcome'",
                "add where customers go next, or end the journey with 'outcome: success' or 'outcome: failure'",
            )
