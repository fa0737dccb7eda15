"""The journey has no ``outcome: success`` touchpoint.

Without one, journeymap cannot say how many customers reach their goal:
conversion is 0 and no touchpoint's contribution to success can be computed.
Mark the touchpoint where the customer's goal is met.

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

ID = "no-success-outcome"
LEVEL = "warning"


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    if journey.touchpoints and not any(t.outcome == "success" for t in journey.touchpoints):
        yield problem(
            journey,
            ID,
            ("journey",),
            "the journey has no touchpoint with 'outcome: success', so its conversion cannot be computed",
            "mark the touchpoint where the customer's goal is met with 'outcome: success'",
        )
