"""A touchpoint on the main path without an ``emotion``: a gap in the emotion curve.

The main path is the one most customers take: from the entry with the highest
``volume`` (the first entry when none has one), along the flow with the
largest share, to an outcome. The emotion curve drawn along it is what a
workshop looks at first, so every step of it should say how customers feel.
When no step of the main path has an emotion, this is said once.

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: browse, name: Browse, stage: buy, channel: web, emotion: 1, next: [pay]}
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: browse, name: Browse, stage: buy, channel: web, emotion: 1, next: [pay]}
      - {id: pay, name: Pay, stage: buy, channel: web, emotion: 0.5, outcome: success}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import main_path, problem

ID = "emotion-missing-on-main-path"
LEVEL = "warning"


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    path = main_path(journey)
    by_id = journey.touchpoint_by_id
    missing = [tid for tid in path if by_id[tid].emotion is None]
    if not missing:
        return
    if len(missing) == len(path) and len(path) > 1:
        shown = " -> ".join(path) if len(path) <= 6 else " -> ".join([*path[:3], "...", *path[-2:]])
        yield problem(
            journey,
            ID,
            ("touchpoints", path[0]),
            f"no touchpoint on the main path has an emotion ({shown}), so there is no emotion curve",
            "add 'emotion:' to each step of the main path, from -2 (very negative) to +2 (very positive)",
        )
        return
    for tid in missing:
        yield problem(
            journey,
            ID,
            ("touchpoints", tid),
            f"touchpoint '{tid}' is on the main path but has no emotion: the emotion curve has a gap here",
            "add 'emotion:', from -2 (very negative) to +2 (very positive)",
        )
