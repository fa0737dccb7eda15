"""Flow shares that leave most customers unaccounted for.

When every ``next`` flow of a touchpoint has a ``share``, what is missing to 1
is read as customers leaving the journey there. Shares adding up to less than
``min_share`` (default 0.5) usually mean a forgotten flow or a typo (0.06 for
0.6), not that most customers give up; if they really do, a flow to an
``outcome: failure`` touchpoint says so and puts the loss on the map, and so
does a ``drop_off`` (or ``conversion``) metric at the touchpoint that agrees
with the shares within ``tolerance`` (default 0.05): a pricing page that
converts 12% says ``conversion: 0.12``. Flows without a share split what the
others leave, so they never trigger this.

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - id: browse
        name: Browse
        stage: buy
        channel: web
        next: [{to: pay, share: 0.3}]
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - id: browse
        name: Browse
        stage: buy
        channel: web
        next: [{to: pay, share: 0.3}, {to: leave, share: 0.7, label: Leaves without buying}]
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}
      - {id: leave, name: Leaves, stage: buy, channel: web, outcome: failure}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import metric_value, problem

ID = "shares-unaccounted"
LEVEL = "warning"
CONF: dict[str, Any] = {"min_share": 0.5, "tolerance": 0.05}


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    for touchpoint in journey.touchpoints:
        shares = [flow.share for flow in touchpoint.next]
        if not shares or any(share is None for share in shares):
            continue
        total = sum(share for share in shares if share is not None)
        if total >= conf["min_share"] - 1e-9:
            continue
        drop_off = metric_value(touchpoint, "drop_off")
        conversion = metric_value(touchpoint, "conversion")
        if drop_off is not None and abs(drop_off - (1 - total)) <= conf["tolerance"] + 1e-9:
            continue
        if conversion is not None and abs(conversion - total) <= conf["tolerance"] + 1e-9:
            continue
        said = ""
        if drop_off is not None:
            said = f" (its drop_off says {drop_off:.0%})"
        elif conversion is not None:
            said = f" (its conversion says {conversion:.0%} go on)"
        yield problem(
            journey,
            ID,
            ("touchpoints", touchpoint.id, "next", touchpoint.next[0].to),
            f"the next shares of touchpoint '{touchpoint.id}' add up to {total:.0%}: "
            f"{1 - total:.0%} of its customers leave the journey there unaccounted for{said}",
            "add the missing flows, a flow to an 'outcome: failure' touchpoint for those who give up, "
            "or a drop_off metric that says how many leave",
        )
