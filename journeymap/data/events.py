"""Event logs: ``customer,timestamp,touchpoint[,outcome]``.

Each customer's events are put in time order (ties: file order) and repeats of
the same touchpoint in a row count as one visit. From that:

- ``volume`` of a touchpoint: the number of customers who visited it;
- ``drop_off`` of a non-outcome touchpoint: the share of its visitors whose
  journey ends there without success (n = its visitors);
- observed flows: how often customers went from one touchpoint to the next,
  as a share of the visits to the first (compare with the journey's shares);
- how customers ended: success, failure or left. A customer's outcome is the
  last ``outcome`` cell they have (``success`` or ``failure``), else the
  outcome of the touchpoint they ended at, else "left".

The log is taken to hold whole journeys: a customer still on the way when the
log was cut counts as having left.

Timestamps are ISO 8601 (``2026-09-14T08:31:00Z``, ``2026-09-14 08:31``; no
zone means UTC) or seconds since the epoch. A transition the journey does not
declare is a warning (the journey may be out of date); problems that repeat for
many rows (an unknown touchpoint) are reported once, at the first row, with
the count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import Problem, Span, did_you_mean
from . import DataPoint, EventSummary, ObservedFlow
from .table import read_table

if TYPE_CHECKING:
    from ..model import Journey

REQUIRED = ("customer", "timestamp", "touchpoint")
OPTIONAL = ("outcome",)
_NUMBER = re.compile(r"\s*[-+]?\d+(?:\.\d+)?\s*\Z")


def parse_timestamp(text: str) -> float | None:
    """Seconds since the epoch for an ISO 8601 timestamp or a number; None if unreadable."""
    text = text.strip()
    if _NUMBER.match(text):
        return float(text)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def read_events(
    paths: Sequence[Path], journey: Journey
) -> tuple[list[DataPoint], EventSummary, list[Problem]]:
    problems: list[Problem] = []
    events: dict[str, list[tuple[float, int, int, str, str, Span]]] = {}
    unknown: dict[str, tuple[Span, int]] = {}
    bad_outcomes: dict[str, tuple[Span, int]] = {}
    files: list[str] = []
    sequence = 0
    for path in paths:
        table, found = read_table(path, REQUIRED, OPTIONAL, kind="event log")
        problems += found
        if table is None:
            continue
        files.append(table.file)
        for row in table.rows:
            customer, touchpoint = row.get("customer"), row.get("touchpoint")
            ok = True
            if not customer:
                problems.append(Problem(row.span("customer"), "missing-value", "the customer is empty"))
                ok = False
            moment = parse_timestamp(row.get("timestamp")) if row.get("timestamp") else None
            if moment is None:
                raw = row.get("timestamp")
                problems.append(
                    Problem(
                        row.span("timestamp"),
                        "invalid-timestamp" if raw else "missing-value",
                        f"'{raw}' is not a timestamp" if raw else "the timestamp is empty",
                        "write ISO 8601 (2026-09-14T08:31:00Z) or seconds since 1970",
                    )
                )
                ok = False
            if not touchpoint:
                problems.append(Problem(row.span("touchpoint"), "missing-value", "the touchpoint is empty"))
                ok = False
            elif touchpoint not in journey.touchpoint_by_id:
                span, count = unknown.get(touchpoint, (row.span("touchpoint"), 0))
                unknown[touchpoint] = (span, count + 1)
                ok = False
            outcome = row.get("outcome").lower()
            if outcome and outcome not in ("success", "failure"):
                span, count = bad_outcomes.get(outcome, (row.span("outcome"), 0))
                bad_outcomes[outcome] = (span, count + 1)
                ok = False
            if not ok or moment is None:
                continue
            sequence += 1
            events.setdefault(customer, []).append((moment, sequence, row.line, touchpoint, outcome, row.span()))
    for touchpoint, (span, count) in unknown.items():
        more = f" (and {count - 1} more row{'s' * (count > 2)})" if count > 1 else ""
        problems.append(
            Problem(
                span,
                "unknown-touchpoint",
                f"unknown touchpoint '{touchpoint}': the journey '{journey.id}' has no such touchpoint{more}",
                did_you_mean(touchpoint, journey.touchpoint_by_id),
            )
        )
    for outcome, (span, count) in bad_outcomes.items():
        more = f" (and {count - 1} more row{'s' * (count > 2)})" if count > 1 else ""
        problems.append(
            Problem(span, "invalid-outcome", f"outcome '{outcome}' is neither success nor failure{more}", did_you_mean(outcome, ["success", "failure"]))
        )
    points, summary = _summarise(events, journey, files, problems)
    return points, summary, problems


def _summarise(
    events: dict[str, list[tuple[float, int, int, str, str, Span]]],
    journey: Journey,
    files: list[str],
    problems: list[Problem],
) -> tuple[list[DataPoint], EventSummary]:
    from ..graph import resolve_shares

    visitors: dict[str, int] = {}
    visits: dict[str, int] = {}
    ended_without_success: dict[str, int] = {}
    transitions: dict[tuple[str, str], tuple[int, Span]] = {}
    first_seen: dict[str, Span] = {}
    ends = {"success": 0, "failure": 0, "left": 0}
    for customer in sorted(events):
        path = sorted(events[customer])
        steps: list[tuple[str, Span]] = []
        outcome = ""
        for _, _, _, touchpoint, row_outcome, span in path:
            if not steps or steps[-1][0] != touchpoint:
                steps.append((touchpoint, span))
            outcome = row_outcome or outcome
        last = steps[-1][0]
        ending = outcome or journey.touchpoint_by_id[last].outcome or "left"
        ends[ending] += 1
        if ending != "success":
            ended_without_success[last] = ended_without_success.get(last, 0) + 1
        for touchpoint in {t for t, _ in steps}:
            visitors[touchpoint] = visitors.get(touchpoint, 0) + 1
        for touchpoint, span in steps:
            visits[touchpoint] = visits.get(touchpoint, 0) + 1
            first_seen.setdefault(touchpoint, span)
        for (a, span), (b, _) in zip(steps, steps[1:], strict=False):
            count, first = transitions.get((a, b), (0, span))
            transitions[(a, b)] = (count + 1, first)
    declared: dict[tuple[str, str], float] = {}
    for tp in journey.touchpoints:
        for flow, share in zip(tp.next, resolve_shares([(f.to, f.share) for f in tp.next]), strict=True):
            declared[(tp.id, flow.to)] = share
    order = {t.id: i for i, t in enumerate(journey.touchpoints)}
    flows = []
    for (a, b), (count, span) in sorted(transitions.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]])):
        flows.append(ObservedFlow(a, b, count, count / visits[a], declared.get((a, b))))
        if (a, b) not in declared:
            problems.append(
                Problem(
                    span,
                    "undeclared-flow",
                    f"customers went from '{a}' to '{b}' {count} time{'s' * (count != 1)}, but the journey has no such flow",
                    f"add '{b}' to the next of '{a}' if this path is real",
                    level="warning",
                )
            )
    source = ", ".join(files)
    points = []
    for touchpoint in sorted(visitors, key=order.__getitem__):
        span = first_seen[touchpoint]
        points.append(DataPoint(touchpoint, "volume", float(visitors[touchpoint]), None, source, span, None, "events"))
        if not journey.touchpoint_by_id[touchpoint].outcome:
            share = ended_without_success.get(touchpoint, 0) / visitors[touchpoint]
            points.append(DataPoint(touchpoint, "drop_off", share, visitors[touchpoint], source, span, None, "events"))
    summary = EventSummary(files, len(events), ends["success"], ends["failure"], ends["left"], flows)
    return points, summary
