"""A stage without touchpoints: an empty column on the journey map.

Either the stage is not part of this journey (remove it), or its touchpoints
have not been written yet, or they were put in another stage by mistake.

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}, {id: return, name: Return}]
    touchpoints:
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import problem

ID = "empty-stage"
LEVEL = "warning"


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    used = {touchpoint.stage for touchpoint in journey.touchpoints}
    for stage in journey.stages:
        if stage.id not in used:
            yield problem(
                journey,
                ID,
                ("stages", stage.id),
                f"stage '{stage.id}' has no touchpoints",
                "add the touchpoints of this stage, or remove the stage",
            )
