"""Raw survey responses: ``touchpoint,metric,score[,respondent][,date]``.

``metric`` is ``nps``, ``csat`` or ``ces`` and ``score`` a whole number on
that metric's answer scale (0..10, 1..5, 1..7). The value is computed exactly
(:mod:`journeymap.metrics`) with ``n`` = the number of answers counted. A blank
score is a skipped question: a warning, not counted. A respondent who answers
the same question at the same touchpoint twice is counted once (the first
answer), with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..metrics import BUILTIN, RESPONSE_SCALES, MetricValueError, from_responses, parse_score
from ..problems import Problem, Span
from . import DataPoint, check_metric, check_touchpoint
from .table import read_table

if TYPE_CHECKING:
    from ..model import Journey

REQUIRED = ("touchpoint", "metric", "score")
OPTIONAL = ("respondent", "date")


def read_responses(paths: Sequence[Path], journey: Journey) -> tuple[list[DataPoint], list[Problem]]:
    """NPS, CSAT and CES per touchpoint computed from the answers in ``paths`` (pooled)."""
    problems: list[Problem] = []
    scores: dict[tuple[str, str], list[int]] = {}
    first_row: dict[tuple[str, str], Span] = {}
    files: dict[tuple[str, str], list[str]] = {}
    answered: dict[tuple[str, str, str], Span] = {}
    survey_metrics = list(RESPONSE_SCALES)
    for path in paths:
        table, found = read_table(path, REQUIRED, OPTIONAL, kind="responses table")
        problems += found
        if table is None:
            continue
        for row in table.rows:
            touchpoint, metric = row.get("touchpoint"), row.get("metric")
            ok = check_touchpoint(touchpoint, row.span("touchpoint"), journey, problems)
            if (metric in BUILTIN or metric in journey.metrics) and metric not in RESPONSE_SCALES:
                problems.append(
                    Problem(
                        row.span("metric"),
                        "not-a-survey-metric",
                        f"{metric} cannot be computed from survey answers; only nps, csat and ces can",
                        "put computed values in a metrics table (--metrics)",
                    )
                )
                ok = False
            else:
                ok = check_metric(metric, row.span("metric"), survey_metrics, problems, what="survey metric") and ok
            raw = row.get("score")
            score: int | None = None
            if not raw:
                problems.append(
                    Problem(
                        row.span("score"),
                        "blank-score",
                        "the score is blank (a skipped question); the row is not counted",
                        level="warning",
                    )
                )
            elif metric in RESPONSE_SCALES:
                try:
                    score = parse_score(metric, raw)
                except MetricValueError as exc:
                    problems.append(Problem(row.span("score"), "score", str(exc), exc.hint))
            when = row.get("date")
            if when and _date(when) is None:
                problems.append(
                    Problem(
                        row.span("date"),
                        "invalid-date",
                        f"'{when}' is not a date",
                        "write dates as YYYY-MM-DD (ISO 8601)",
                        level="warning",
                    )
                )
            if not ok or score is None:
                continue
            key = (touchpoint, metric)
            respondent = row.get("respondent")
            if respondent:
                seen = answered.get((touchpoint, metric, respondent))
                if seen is not None:
                    problems.append(
                        Problem(
                            row.span("respondent"),
                            "duplicate-respondent",
                            f"respondent '{respondent}' already answered {BUILTIN[metric].label} for"
                            f" '{touchpoint}' at {seen}; only the first answer is counted",
                            level="warning",
                            related=(seen,),
                        )
                    )
                    continue
                answered[(touchpoint, metric, respondent)] = row.span()
            scores.setdefault(key, []).append(score)
            first_row.setdefault(key, row.span())
            files.setdefault(key, [])
            if table.file not in files[key]:
                files[key].append(table.file)
    points = []
    for key, answers in scores.items():
        value, n = from_responses(key[1], answers)
        points.append(DataPoint(key[0], key[1], value, n, ", ".join(files[key]), first_row[key], None, "responses"))
    return points, problems


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(text: str) -> date | None:
    text = text.strip()
    if not _DATE.match(text):
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None
