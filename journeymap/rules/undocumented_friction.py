"""Friction without a ``note`` saying what it is, or serious friction without ``evidence``.

"effort, severity 4" alone does not tell a team what to fix; and a severity
nobody can trace back to research, tickets or analytics is hard to defend in
a prioritisation meeting. A note is always asked for; evidence from severity
``evidence_from_severity`` up (default 4, the severity that makes a touchpoint
weak by default; set it to 1 to always ask, or 6 to never ask).

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
        friction:
          - {type: effort, severity: 4}

Good::

    personas: [{id: shopper, name: Shopper}]
    channels: [{id: web, name: Website}]
    stages: [{id: buy, name: Buy}]
    touchpoints:
      - id: pay
        name: Pay
        stage: buy
        channel: web
        outcome: success
        friction:
          - type: effort
            severity: 4
            note: Card details typed twice when 3-D Secure times out
            evidence: 212 support tickets tagged payment-retry, 2026-Q3
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Journey
from ..problems import Problem
from .common import problem

ID = "undocumented-friction"
LEVEL = "warning"
CONF: dict[str, Any] = {"evidence_from_severity": 4}


def check(journey: Journey, conf: dict[str, Any]) -> Iterator[Problem]:
    for touchpoint in journey.touchpoints:
        for index, friction in enumerate(touchpoint.friction):
            missing = []
            if not (friction.note and friction.note.strip()):
                missing.append("note")
            if friction.severity >= conf["evidence_from_severity"] and not (
                friction.evidence and friction.evidence.strip()
            ):
                missing.append("evidence")
            if not missing:
                continue
            if len(missing) == 2:
                what = "no note and no evidence"
            elif missing == ["note"]:
                what = "no note saying what it is"
            else:
                what = "no evidence saying how we know"
            yield problem(
                journey,
                ID,
                ("touchpoints", touchpoint.id, "friction", str(index)),
                f"friction '{friction.type}' (severity {friction.severity}) at touchpoint "
                f"'{touchpoint.id}' has {what}",
                {
                    "note": "add 'note:' saying what the friction is",
                    "evidence": "add 'evidence:' naming the research, tickets or analytics behind it",
                }[missing[0]]
                if len(missing) == 1
                else "add 'note:' saying what it is and 'evidence:' saying how we know",
            )
