"""There are ``outcome: success`` touchpoints, but no entry leads to any of them.

Then no customer can ever succeed: conversion is 0 and every touchpoint's
contribution to success is meaningless. Almost always a flow towards success
is missing, so this is an error by default. (A journey without any success
outcome is ``no-success-outcome``.)

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: browse, name: Browse, stage: buy, channel: web, entry: true, next: [give-up]}
      - {id: give-up, name: Gives up, stage: buy, channel: web, outcome: failure}
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: browse, name: Browse, stage: buy, channel: web, next: [pay, give-up]}
      - {id: pay, name: Pay, stage: buy, channel: web, outcome: success}
      - {id: give-up, name: Gives up, stage: buy, channel: web, outcome: failure}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import entries, problem, reachable

ID = "success-unreachable"
LEVEL = "error"


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    successes = [t.id for t in journey.touchpoints if t.outcome == "success"]
    if not successes:
        return  # no-success-outcome says so
    starts = entries(journey)
    if not starts:
        return  # the loader reports a journey without entries
    reached = reachable(journey, starts)
    if not reached.intersection(successes):
        yield problem(
            journey,
            ID,
            ("touchpoints", successes[0]),
            f"no success outcome ({', '.join(successes)}) can be reached from an entry "
            f"({', '.join(starts)})",
            "add the flow that leads customers to success",
        )
