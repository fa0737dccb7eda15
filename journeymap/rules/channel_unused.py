"""A channel that no touchpoint happens in.

It still shows up in the legend and in channel breakdowns, as if customers
used it. Channels that only come from an import are left alone unless
``include_imported`` is set: a shared library names more channels than any
one journey uses.

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}, {id: fax, name: Fax}]
    stages: [{id: buy, name: Buy}]
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
from .common import is_own, problem

ID = "channel-unused"
LEVEL = "warning"
CONF: dict[str, Any] = {"include_imported": False}


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    used = {touchpoint.channel for touchpoint in journey.touchpoints}
    for channel in journey.channels:
        if channel.id in used:
            continue
        if not conf["include_imported"] and not is_own(journey, "channels", channel.id):
            continue
        yield problem(
            journey,
            ID,
            ("channels", channel.id),
            f"channel '{channel.id}' is used by no touchpoint",
            "remove it, or add the touchpoints that happen in it",
        )
