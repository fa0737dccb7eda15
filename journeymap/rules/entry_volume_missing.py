"""Some entries carry a ``volume`` and others do not.

With several entries, the analysis weights them by their ``volume`` metric
(how many customers start there). When only some entries have one, the
others cannot be weighted and conversion, reach and the main path are
computed from half the picture. Give every entry a volume, or none.

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}, {id: store, name: Store, kind: physical}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: search, name: Search, stage: buy, channel: web, entry: true, metrics: {volume: 9000}, next: [pay]}
      - {id: walk-in, name: Walk in, stage: buy, channel: store, entry: true, next: [pay]}
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}, {id: store, name: Store, kind: physical}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: search, name: Search, stage: buy, channel: web, entry: true, metrics: {volume: 9000}, next: [pay]}
      - {id: walk-in, name: Walk in, stage: buy, channel: store, entry: true, metrics: {volume: 1200}, next: [pay]}
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import entries, metric_value, problem

ID = "entry-volume-missing"
LEVEL = "warning"


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    starts = entries(journey)
    by_id = journey.touchpoint_by_id
    with_volume = [tid for tid in starts if metric_value(by_id[tid], "volume") is not None]
    if len(starts) < 2 or not with_volume or len(with_volume) == len(starts):
        return
    for tid in starts:
        if tid not in with_volume:
            yield problem(
                journey,
                ID,
                ("touchpoints", tid),
                f"entry '{tid}' has no volume, but other entries do ({', '.join(with_volume)}), "
                "so the entries cannot be weighted",
                "add 'metrics: {volume: N}' with how many customers start here",
            )
