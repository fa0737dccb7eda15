"""Metrics tables: ``touchpoint,metric,value[,n][,period]``.

Values are read with :func:`journeymap.metrics.parse_value`, so ``82%`` and
``7m`` work as in journey files. A table may hold history: several rows for
one touchpoint and metric with different ``period`` values (``2026-Q2``,
``2026-Q3``); the latest period wins, by text order, which is date order for
ISO-like periods. Two rows for the same touchpoint, metric and period (or
both without a period) are a ``duplicate-row`` error; the later row is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..metrics import MetricValueError, parse_value
from ..problems import Problem, Span
from . import DataPoint, check_metric, check_touchpoint
from .table import read_table

if TYPE_CHECKING:
    from ..metrics import MetricSpec
    from ..model import Journey

REQUIRED = ("touchpoint", "metric", "value")
OPTIONAL = ("n", "period")


def read_metrics_tables(
    paths: Sequence[Path], journey: Journey, specs: dict[str, MetricSpec]
) -> tuple[list[DataPoint], list[Problem]]:
    """Every valid row of the tables, the latest period per (touchpoint, metric)."""
    problems: list[Problem] = []
    rows: list[DataPoint] = []
    for path in paths:
        table, found = read_table(path, REQUIRED, OPTIONAL, kind="metrics table")
        problems += found
        if table is None:
            continue
        for row in table.rows:
            touchpoint, metric = row.get("touchpoint"), row.get("metric")
            ok = check_touchpoint(touchpoint, row.span("touchpoint"), journey, problems)
            ok = check_metric(metric, row.span("metric"), specs, problems) and ok
            raw_value = row.get("value")
            value: float | None = None
            if not raw_value:
                problems.append(Problem(row.span("value"), "missing-value", "the value is empty"))
            elif metric in specs:
                try:
                    value = parse_value(specs[metric], raw_value)
                except MetricValueError as exc:
                    problems.append(Problem(row.span("value"), "metric-value", str(exc), exc.hint))
            n = _count(row.get("n"), row.span("n"), problems)
            if not ok or value is None or n is False:
                continue
            rows.append(
                DataPoint(
                    touchpoint,
                    metric,
                    value,
                    n if isinstance(n, int) else None,
                    table.file,
                    row.span(),
                    row.get("period") or None,
                    "table",
                )
            )
    return _latest(rows, problems), problems


def _count(raw: str, span: Span, problems: list[Problem]) -> int | None | bool:
    """The ``n`` cell: None when blank, False (and a problem) when not a whole number >= 0."""
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        number = float("nan")
    if not (number >= 0 and number.is_integer()):
        problems.append(
            Problem(span, "invalid-count", f"n '{raw}' is not a whole number >= 0", "n is the number of responses behind the value")
        )
        return False
    return int(number)


def _latest(rows: list[DataPoint], problems: list[Problem]) -> list[DataPoint]:
    chosen: dict[tuple[str, str], DataPoint] = {}
    for point in rows:
        key = (point.touchpoint, point.metric)
        earlier = chosen.get(key)
        if earlier is None:
            chosen[key] = point
            continue
        if (earlier.period or "") == (point.period or ""):
            period = f" for period {point.period}" if point.period else ""
            problems.append(
                Problem(
                    point.span,
                    "duplicate-row",
                    f"a second row for '{point.touchpoint}' / {point.metric}{period} (the first is at {earlier.span});"
                    " this later row is used",
                    "keep one row per touchpoint, metric and period",
                    related=(earlier.span,),
                )
            )
            chosen[key] = point
        elif (point.period or "") > (earlier.period or ""):
            chosen[key] = point
    return list(chosen.values())
