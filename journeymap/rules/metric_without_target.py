"""A measured metric with no target, on a touchpoint that looks weak-prone.

Without a target (at the touchpoint, its stage's ``targets`` or the journey's
``metrics``) journeymap cannot say whether CSAT 62% is good or bad, so a
struggling touchpoint may go unreported. Weak-prone means friction of
severity ``friction_severity`` (default 3) or more, or emotion at or below
``emotion`` (default 0); set ``everywhere: true`` to ask for targets on every
touchpoint. Metrics without a direction (``volume``) need no target.

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
        emotion: -1
        metrics: {csat: 0.62}

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy, targets: {csat: 0.8}}]
    touchpoints:
      - id: pay
        name: Pay
        stage: buy
        channel: web
        outcome: success
        emotion: -1
        metrics: {csat: 0.62}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey, Touchpoint
from ..problems import Problem
from .common import has_target, metric_better, problem

ID = "metric-without-target"
LEVEL = "warning"
CONF: dict[str, Any] = {"friction_severity": 3, "emotion": 0, "everywhere": False}


def _prone_because(touchpoint: Touchpoint, conf: dict[str, Any]) -> str | None:
    worst = max((f.severity for f in touchpoint.friction), default=0)
    if worst >= conf["friction_severity"]:
        return f"friction of severity {worst}"
    if touchpoint.emotion is not None and touchpoint.emotion <= conf["emotion"]:
        return f"emotion {touchpoint.emotion:g}"
    return None


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    for touchpoint in journey.touchpoints:
        because = _prone_because(touchpoint, conf)
        if because is None and not conf["everywhere"]:
            continue
        for name in touchpoint.metrics:
            if metric_better(journey, name) is None or has_target(journey, touchpoint, name):
                continue
            where = f" (it has {because})" if because else ""
            yield problem(
                journey,
                ID,
                ("touchpoints", touchpoint.id, "metrics", name),
                f"metric '{name}' at touchpoint '{touchpoint.id}' has no target{where}, "
                "so it cannot show whether the touchpoint is weak",
                f"set a target for '{name}' at this touchpoint, in the targets of stage "
                f"'{touchpoint.stage}', or in the journey's metrics",
            )
