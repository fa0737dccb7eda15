"""No ``outcome: success`` touchpoint can be reached from an entry.

Then no customer can ever succeed: conversion is 0 and every touchpoint's
contribution to success is meaningless. Usually a success outcome is missing
or a flow towards it is. This is an error by default.

Bad::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: browse, name: Browse, stage: buy, channel: web, next: [give-up]}
      - {id: give-up, name: Gives up, stage: buy, channel: web, outcome: failure}

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
    if not journey.touchpoints:
        return
    successes = [t.id for t in journey.touchpoints if t.outcome == "success"]
    if not successes:
        yield problem(
            journey,
            ID,
            ("journey",),
            "the journey has no touchpoint with 'outcome: success', so no customer can succeed",
            "mark the touchpoint where the customer's goal is met with 'outcome: success'",
        )
        return
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
