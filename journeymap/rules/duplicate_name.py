"""Two touchpoints (or stages, personas, channels) with the same name.

Ids differ, so the file loads; but on the map, in the weak-touchpoint list and
in a diff the two read the same, and a reader cannot tell which is meant.
Names are compared ignoring case and spacing.

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}, {id: app, name: App}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: pay-web, name: Pay, stage: buy, channel: web, next: [pay-app]}
      - {id: pay-app, name: Pay, stage: buy, channel: app, outcome: success}

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}, {id: app, name: App}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: pay-web, name: Pay on the website, stage: buy, channel: web, next: [pay-app]}
      - {id: pay-app, name: Confirm in the app, stage: buy, channel: app, outcome: success}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import is_own, problem, span_of

ID = "duplicate-name"
LEVEL = "warning"

_KINDS = {"touchpoints": "touchpoint", "stages": "stage", "personas": "persona", "channels": "channel"}


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    for kind, word in _KINDS.items():
        first: dict[str, str] = {}
        for item in getattr(journey, kind):
            key = " ".join(item.name.split()).casefold()
            if key not in first:
                first[key] = item.id
                continue
            if kind in ("personas", "channels") and not is_own(journey, kind, item.id):
                continue
            other = first[key]
            yield problem(
                journey,
                ID,
                (kind, item.id),
                f"{word} '{item.id}' has the same name as {word} '{other}': \"{item.name}\"",
                "give each a name that tells them apart on the map",
                related=[span_of(journey, kind, other)],
            )
