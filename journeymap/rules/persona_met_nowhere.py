"""A persona that no touchpoint is for.

A touchpoint without ``personas`` is met by every persona, so this fires only
when every touchpoint lists its personas and none lists this one. A persona
with a ``share`` then stands for customers the journey says nothing about.
Personas that only come from an import are left alone unless
``include_imported`` is set: a shared library names more personas than any
one journey meets.

Bad::

    personas: [{id: shopper, name: Shopper}, {id: business, name: Business buyer, share: 0.3}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: pay, name: Pay, stage: buy, channel: web, personas: [shopper], outcome: success}

Good::

    personas: [{id: shopper, name: Shopper}, {id: business, name: Business buyer, share: 0.3}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - {id: pay, name: Pay, stage: buy, channel: web, personas: [shopper, business], outcome: success}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import is_own, problem

ID = "persona-met-nowhere"
LEVEL = "warning"
CONF: dict[str, Any] = {"include_imported": False}


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    met: set[str] = set()
    for touchpoint in journey.touchpoints:
        if touchpoint.personas is None:
            return  # a touchpoint for every persona: everyone meets the journey
        met.update(touchpoint.personas)
    for persona in journey.personas:
        if persona.id in met:
            continue
        if not conf["include_imported"] and not is_own(journey, "personas", persona.id):
            continue
        who = f"persona '{persona.id}'"
        if persona.share:
            who += f" ({persona.share:.0%} of customers)"
        yield problem(
            journey,
            ID,
            ("personas", persona.id),
            f"{who} meets no touchpoint: every touchpoint lists its personas and none lists '{persona.id}'",
            "add the persona to the touchpoints it meets, or remove it from the journey",
        )
