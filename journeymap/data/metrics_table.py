"""Metrics tables: ``touchpoint,metric,value[,n][,period][,persona]``.

Values are read with :func:`journeymap.metrics.parse_value`, so ``82%`` and
``7m`` work as in journey files. A table may hold history: several rows for
one touchpoint and metric with different ``period`` values (``2026-Q2``,
``2026-Q3``); every period is kept as the value's series (oldest first) and
the latest period is the value, by text order, which is date order for
ISO-like periods. Two rows for the same touchpoint, metric, persona and period
(or both without a period) are a ``duplicate-row`` error; the later row is used.

A ``persona`` (or ``segment``) column makes a row that persona's value; rows
without one are everyone's. A row with ``n`` has a 95% interval and can be
tested for a change between periods: shares (CSAT, churn, ...) from ``n``
alone, NPS with ``promoters`` and ``detractors`` shares, means with ``sd``
(:mod:`journeymap.data.summary`); NPS with ``n`` alone is tested with the
largest variance its value allows, and has no interval.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..metrics import (
    MetricValueError,
    check_amount_thousands,
    check_nps_scale,
    check_plausible,
    check_share_scale,
    hidden_number_hint,
    parse_value,
    separator_hint,
    sheet_error_hint,
    takes_percent,
    written_currency,
)
from ..problems import Problem, Span, quoted
from . import (
    DataPoint,
    check_metric,
    check_touchpoint,
    is_missing_mark,
    metric_named,
    nul_row,
    touchpoint_named,
)
from .summary import COLUMNS as SUMMARY_COLUMNS
from .summary import (
    LARGEST,
    NO_ANSWERS_KEPT,
    ambiguous_period_problem,
    canonical_period,
    check_period_forms,
    date_period,
    impossible_period,
    impossible_period_problem,
    period_key,
    period_sort,
    pool_periods,
    row_sample,
    too_large,
)
from .table import PARQUET_SUFFIXES, Row, collapse_counted, read_table

if TYPE_CHECKING:
    from ..metrics import MetricSpec
    from ..model import Journey
    from .responses import DateOrder

REQUIRED = ("touchpoint", "metric", "value")
OPTIONAL = ("n", "period", "date", "persona", "segment", *SUMMARY_COLUMNS)


#: Metrics tables smaller than this (all together) are read row by row when no engine is named:
#: each row's value is checked in Python either way, so DuckDB only saves the reading, and
#: measured (``bench_responses.py --small``) it breaks even at a few MB (10,000 rows: 1.9x slower).
ENGINE_FROM_BYTES = 4 << 20


def read_metrics_tables(
    paths: Sequence[Path],
    journey: Journey,
    specs: dict[str, MetricSpec],
    period: str | None = None,
    *,
    engine: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[list[DataPoint], list[Problem]]:
    """Every valid row of the tables: per (touchpoint, metric, persona) the latest period, with the series.

    A row with a ``date`` (and no ``period``) is in the date's ``period`` bucket (week, month,
    quarter), or the day's own without one; rows in one bucket are pooled
    (:func:`journeymap.data.summary.pool_periods`).

    ``engine``: ``duckdb`` reads the files with DuckDB (the same results), ``python`` row by row,
    None: DuckDB when installed and the files hold at least :data:`ENGINE_FROM_BYTES`.
    ``columns``: the files' own names for journeymap's columns (``--metrics-column``).
    """
    from .engines.rows import columns_named
    from .workbooks import as_csv

    with columns_named(columns, METRICS_COLUMNS_OPTION), as_csv(paths, REQUIRED, "metrics table") as files:
        points, problems = _read_metrics_tables(files.paths, journey, specs, period, engine) if files.paths else ([], [])
        return [files.placed_point(p) for p in points], files.placed_problems(problems)


METRICS_COLUMNS_OPTION = "--metrics-column"


def _read_metrics_tables(
    paths: Sequence[Path], journey: Journey, specs: dict[str, MetricSpec], period: str | None, engine: str | None
) -> tuple[list[DataPoint], list[Problem]]:
    from .responses import segment_column_name, use_engine

    if use_engine(paths, engine, ENGINE_FROM_BYTES):
        from .engines.survey import Fallback
        from .engines.survey import read_metrics_tables as read_with_duckdb

        try:
            return read_with_duckdb(paths, journey, specs, period)
        except Fallback:
            pass
    problems: list[Problem] = []
    rows: list[DataPoint] = []
    dated: dict[int, str] = {}  # row index -> its date, for rows whose period comes from a date
    columns: dict[str, str] = {}  # each file's segment column as its header names it
    for path in paths:
        table, found = read_table(path, REQUIRED, OPTIONAL, kind="metrics table")
        problems += found
        if table is None:
            continue
        segment_column = "persona" if "persona" in table.header else "segment"
        columns[table.file] = segment_column_name(segment_column)
        # a Parquet file's numbers are numbers, as DuckDB reads them
        parquet = Path(path).suffix.lower() in PARQUET_SUFFIXES
        cells = [row.cells for row in table.rows]
        rewrites = ([] if parquet else number_rewrites(cells, table.delimiter, specs)) + unit_rewrites(cells, specs)
        comma = any(rewrite.rewrite is comma_cells for rewrite in rewrites)
        at = len(problems)
        dates = _date_order(table.rows) if "date" in table.index else None
        for row in table.rows:
            for rewrite in rewrites:
                if (read := rewrite.rewrite(row.cells))[1]:
                    if not rewrite.count:
                        rewrite.first = (row.span(read[1][0]), row.cells[read[1][0]], read[0][read[1][0]])
                    rewrite.count += len(read[1])
                    row = replace(row, cells=read[0])
            before = len(problems)
            point, when = check_row(row, journey, specs, segment_column, problems, period, dates.order if dates else None)
            if comma:
                comma_file_hints(problems, before)
            if point is not None:
                if when:
                    dated[len(rows)] = when
                rows.append(point)
        if dates is not None:
            problems.insert(at, dates.problem())
        for rewrite in reversed(rewrites):  # the apostrophes' warning above the commas'
            if rewrite.count:
                problems.insert(at, rewrite.warning(rewrite.first[0], rewrite.first[1], rewrite.first[2], rewrite.count))
    return finish(rows, dated, problems, specs, columns)


class NumberRewrite:
    """One way a file writes its numbers that is read (:func:`number_rewrites`): its rewrite of a row's cells, its
    warning, and, as the rows are read, the count of cells rewritten and the first of them (its place, as written, as read)."""

    __slots__ = ("rewrite", "warning", "count", "first")

    def __init__(
        self,
        rewrite: Callable[[Mapping[str, str]], tuple[dict[str, str], list[str]]],
        warning: Callable[[Span, str, str, int], Problem],
    ) -> None:
        self.rewrite, self.warning = rewrite, warning
        self.count: int = 0
        self.first: Any = None


def number_rewrites(
    rows: Sequence[Mapping[str, str]], delimiter: str, specs: Mapping[str, MetricSpec] | None = None,
) -> list[NumberRewrite]:
    """The ways a CSV table's cells (rows of column -> cell) write numbers that are read, in the order they are
    applied: apostrophes between thousands (Swiss), decimal commas (German or French Excel's semicolons or tabs),
    commas between the thousands of an n, or of the value of a count or an amount (``specs``: the metrics the table's
    rows name; Excel's '#,##0', where there is no decimal comma)."""
    rewrites = []
    if apostrophe_groups(rows):
        rewrites.append(NumberRewrite(apostrophe_cells, apostrophe_warning))
    if delimiter in DECIMAL_COMMA_DELIMITERS and decimal_comma(rows, specs):
        rewrites.append(NumberRewrite(comma_cells, decimal_comma_warning))
    else:
        thousands = CommaThousands(specs or {})
        if any(thousands.cells(cells)[1] for cells in rows):
            rewrites.append(NumberRewrite(thousands.cells, thousands.warning))
    return rewrites


#: The number in a cell: digits with the dots and commas between them ('71,5' of '71,5 %', '1.240,50' of '1.240,50 EUR').
_NUMBER_CORE = re.compile(r"[0-9](?:[0-9.,\u00a0\u202f]*[0-9])?")
#: The spaces French Excel writes between thousands (no-break, narrow no-break): as a dot between thousands.
_GROUP_SPACES = str.maketrans({"\u00a0": ".", "\u202f": "."})
_DOT_GROUPS = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
#: The delimiters of files whose numbers may be written with decimal commas: Excel's CSV in German, French and other
#: locales (semicolons) and its 'Unicode Text' there (tabs).
DECIMAL_COMMA_DELIMITERS = (";", "\t")
#: The cells of a metrics table that hold numbers.
NUMBER_COLUMNS = ("value", "n", "sd", "promoters", "detractors")


def _separator_kind(cell: str) -> str | None:
    """How a number cell uses its comma or dot: 'comma' a decimal comma ('71,5', '1.240,50'), 'dot' a decimal point
    ('4.2', '1,240.50'), 'ambiguous' a comma that may separate thousands or decimals ('1,240'), None neither (no
    separator, or not one number), 'groups' dots (or no-break spaces) alone that may separate thousands ('1.240')."""
    found = _NUMBER_CORE.findall(cell)
    if len(found) != 1:
        return None
    core = found[0].translate(_GROUP_SPACES)
    if "," in core and "." in core:
        if core.rfind(",") > core.rfind(".") and re.fullmatch(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]+", core):
            return "comma"
        return "dot" if re.fullmatch(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+\.[0-9]+", core) else None
    if "," in core:
        if not re.fullmatch(r"[0-9]+,[0-9]+", core):
            return None
        return "ambiguous" if re.fullmatch(r"[1-9][0-9]{0,2},[0-9]{3}", core) else "comma"
    if "." in core:
        if _DOT_GROUPS.fullmatch(core):
            return "groups"
        return "dot" if re.fullmatch(r"[0-9]+\.[0-9]+", core) else None
    return None


def decimal_comma(rows: Iterable[Mapping[str, str]], specs: Mapping[str, MetricSpec] | None = None) -> bool:
    """Whether a semicolon- or tab-separated table's numbers write their decimals with a comma (German or French Excel): some
    number cell has a decimal comma ('71,5 %', '1.240,50 EUR') or an n, or the value of an amount or a count (``specs``:
    the metrics the rows name), dots between thousands ('1.240', '1.234 €'), and none a decimal point ('4.2')."""
    comma = False
    whole: dict[str, bool] = {}  # the metric cell as written -> whether its metric is an amount or a count
    for cells in rows:
        for column in NUMBER_COLUMNS:
            kind = _separator_kind(cells.get(column, ""))
            if kind == "dot":
                return False
            if comma or kind is None:
                continue
            # an n is a whole number: '1.240' there has a dot between thousands, as a decimal-comma file writes it; so has
            # a whole amount ('1.234 €': a CLV of 1.23 EUR was read) and a count
            if kind == "groups" and column == "value" and specs:
                metric = cells.get("metric", "")
                if metric not in whole:
                    spec = specs.get(metric_named(metric.strip(), specs))
                    whole[metric] = spec is not None and spec.kind in ("amount", "count")
                comma = whole[metric]
            else:
                comma = kind == "comma" or (kind == "groups" and column == "n")
    return comma


def comma_cells(cells: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """A row's cells with its numbers written with a decimal comma and dots between thousands rewritten as read
    ('1.240,50 EUR' is '1240.50 EUR', '1.240' and French '1\u202f240' are '1240'), and the columns changed. '1,240' is kept as written (1.24,
    or 1240?): the value's check tells it."""
    read, changed = dict(cells), []
    for column in NUMBER_COLUMNS:
        cell = cells.get(column, "")
        kind = _separator_kind(cell)
        core = _NUMBER_CORE.search(cell)
        if core is None or kind not in ("comma", "groups"):
            continue
        number = core.group().translate(_GROUP_SPACES).replace(".", "").replace(",", ".")
        read[column] = cell[: core.start()] + number + cell[core.end():]
        changed.append(column)
    return read, changed


#: A number whose thousands may be separated by an apostrophe (Swiss: '1'240', '1’240.50'), and one that is.
_APOSTROPHE_CORE = re.compile(r"[0-9][0-9'\u2019.]*[0-9]")
_APOSTROPHE_NUMBER = re.compile(r"[1-9][0-9]{0,2}(['\u2019])[0-9]{3}(?:\1[0-9]{3})*(?:\.[0-9]+)?")


def _apostrophe_number(cell: str) -> re.Match[str] | None | bool:
    """The number with apostrophes between its digits in a cell: its match when it is well-formed (groups of three,
    one kind of apostrophe), False when it is not (or the cell holds two), None when the cell holds none."""
    if "'" not in cell and "\u2019" not in cell:
        return None
    found = [m for m in _APOSTROPHE_CORE.finditer(cell) if "'" in m.group() or "\u2019" in m.group()]
    if not found:
        return None
    if len(found) != 1 or not _APOSTROPHE_NUMBER.fullmatch(found[0].group()):
        return False
    return found[0]


def apostrophe_groups(rows: Iterable[Mapping[str, str]]) -> bool:
    """Whether a table writes its thousands with an apostrophe, as Swiss Excel and reports do ('1'240', '1’240.50 CHF'):
    some number cell holds such a number, and every one that does is well-formed (groups of three)."""
    some = False
    for cells in rows:
        for column in NUMBER_COLUMNS:
            found = _apostrophe_number(cells.get(column, ""))
            if found is False:
                return False
            some = some or found is not None
    return some


def apostrophe_cells(cells: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """A row's cells with the apostrophes between thousands taken out ('1'240.50 CHF' is '1240.50 CHF'), and the
    columns changed."""
    read, changed = dict(cells), []
    for column in NUMBER_COLUMNS:
        cell = cells.get(column, "")
        found = _apostrophe_number(cell)
        if isinstance(found, re.Match):
            read[column] = cell[: found.start()] + found.group().replace("'", "").replace("\u2019", "") + cell[found.end():]
            changed.append(column)
    return read, changed


def apostrophe_warning(span: Span, written: str, read: str, count: int) -> Problem:
    """The one warning for a table read with apostrophes between thousands (:func:`apostrophe_groups`), at its first such cell."""
    return Problem(
        span, "apostrophe-thousands",
        f"the file writes its numbers with an apostrophe between thousands, as Swiss Excel and reports write them: they are"
        f" read so, '{quoted(written)}' as {quoted(read)} ({count:,} cell{'s' * (count != 1)})",
        f"nothing to do; write numbers without thousands separators ({quoted(read)}) to leave this out",
        level="warning",
    )


#: An n written with commas between its thousands, as Excel's and Sheets' number format '#,##0' exports a count ('#,##0.00'
#: too: '1,240.00').
_COMMA_COUNT = re.compile(r"\s*[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.0+)?\s*")


#: An amount's number written with commas between its thousands ('1,240.50' of '1,240.50 EUR', '€1,300').
_COMMA_AMOUNT = re.compile(r"(?<![0-9.,])[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9.,])")


class CommaThousands:
    """Counts and amounts written with commas between thousands, as Excel's and Sheets' number format '#,##0' exports
    them, in a file without decimal commas: an n (a whole number, so '1,240' is 1240), and the value of a metric that
    is a count (``volume``) or an amount (``clv``: '1,240.50 EUR'), as ``specs`` names them. Its :meth:`cells` rewrite
    a row's cells, and remember the columns (and metrics) they rewrote for the file's one :meth:`warning`."""

    def __init__(self, specs: Mapping[str, MetricSpec]) -> None:
        self.specs = specs
        self.kinds: dict[str, MetricSpec | None] = {}  # the metric cell as written -> its spec, when a count or amount
        self.named: list[str] = []  # what was read so, in the order first met: 'n', 'Volume', 'CLV'

    def _spec(self, metric: str) -> MetricSpec | None:
        if metric not in self.kinds:
            spec = self.specs.get(metric_named(metric.strip(), self.specs))
            self.kinds[metric] = spec if spec is not None and spec.kind in ("count", "amount") else None
        return self.kinds[metric]

    def cells(self, cells: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
        """A row's cells with its n, and its count's or amount's value, written with commas between thousands read as
        their numbers ('1240', '1240.50 EUR'), and the columns changed."""
        read, changed = dict(cells), []
        n = cells.get("n", "")
        if _COMMA_COUNT.fullmatch(n):
            read["n"] = n.strip().replace(",", "")
            changed.append("n")
            self._said("n")
        value = cells.get("value", "")
        if "," in value and (spec := self._spec(cells.get("metric", ""))) is not None:
            found = list(_COMMA_AMOUNT.finditer(value))
            whole = spec.kind == "count" and len(found) == 1 and _COMMA_COUNT.fullmatch(value)
            if whole or (spec.kind == "amount" and len(found) == 1 and "," not in value[: found[0].start()]
                         and "," not in value[found[0].end():]):
                at = found[0]
                read["value"] = value.strip().replace(",", "") if whole else (
                    value[: at.start()] + at.group().replace(",", "") + value[at.end():])
                changed.insert(0, "value")
                self._said(spec.label)
        return read, changed

    def _said(self, what: str) -> None:
        if what not in self.named:
            self.named.append(what)

    def warning(self, span: Span, written: str, read: str, count: int) -> Problem:
        """The one warning for the table, at its first such cell."""
        if self.named == ["n"]:
            return Problem(
                span, "comma-thousands",
                f"the file writes n with a comma between thousands, as Excel's and Sheets' number format '#,##0' exports"
                f" a count: n is a whole number, so they are read so, '{quoted(written.strip())}' as {quoted(read)}"
                f" ({count:,} cell{'s' * (count != 1)})",
                f"nothing to do; write n without thousands separators ({quoted(read)}) to leave this out",
                level="warning",
            )
        named = sorted(self.named, key=lambda what: what != "n")  # n first, then the metrics as met
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        return Problem(
            span, "comma-thousands",
            f"the file writes {listed} with a comma between thousands, as Excel's and Sheets' number format '#,##0'"
            " exports them: commas between groups of three in a file without decimal commas are read so,"
            f" '{quoted(written.strip())}' as {quoted(read)} ({count:,} cell{'s' * (count != 1)})",
            f"nothing to do; write numbers without thousands separators ({quoted(read)}) to leave this out",
            level="warning",
        )


#: A column's name that says its numbers are percentages: 'Value (%)', 'Value [%]', 'Value in %', 'Value %', 'Value (pct)'.
_PERCENT_NAME = re.compile(r"(?:[(\[][ \t]*(?:in[ \t]+)?(?:%|pct|percent)[ \t]*[)\]]|(?:[ \t]in)?[ \t]*%|[ \t](?:pct|percent))[ \t]*\Z",
                           re.IGNORECASE)
_PLAIN_SHARE = re.compile(r"[ \t]*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t]*")


class PercentColumn:
    """A value column whose name, as ``--metrics-column value=...`` gives it, says it holds percentages ('Value (%)', as
    a BI tool exports a share): a share's plain number in it ('72') is that percentage (72%). Read so, its CSAT of 72 was
    "outside its scale 0..1" on every share's row, after the hint that named the option. Its :meth:`cells` rewrite a
    row's cells; :meth:`of` is None for another column."""

    def __init__(self, column: str, specs: Mapping[str, MetricSpec]) -> None:
        self.column, self.specs = column, specs
        self.shares: dict[str, bool] = {}  # the metric cell as written -> whether its metric takes a percentage

    @classmethod
    def of(cls, specs: Mapping[str, MetricSpec]) -> PercentColumn | None:
        from .engines.rows import named_columns

        column = named_columns().as_named.get("value")
        if column is None or _PERCENT_NAME.search(column) is None:
            return None
        return cls(column, specs)

    def _share(self, metric: str) -> bool:
        if metric not in self.shares:
            spec = self.specs.get(metric_named(metric.strip(), self.specs))
            self.shares[metric] = spec is not None and takes_percent(spec)
        return self.shares[metric]

    def cells(self, cells: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
        """A row's cells with a share's plain number in the value column written as the percentage it is ('72%')."""
        value = cells.get("value", "")
        if not _PLAIN_SHARE.fullmatch(value) or not self._share(cells.get("metric", "")):
            return dict(cells), []
        return {**cells, "value": value.strip() + "%"}, ["value"]

    def warning(self, span: Span, written: str, read: str, count: int) -> Problem:
        """The one warning for the table, at its first such cell."""
        return Problem(
            span, "percent-column",
            f"the column '{quoted(self.column)}' holds percentages, as its name says: a share's number in it is read as a"
            f" percentage, '{quoted(written.strip())}' as {quoted(read)} ({count:,} cell{'s' * (count != 1)})",
            f"nothing to do; write shares with their percent sign ({quoted(read)}) to leave this out",
            level="warning",
        )


#: A column's name that gives the unit of its durations: 'Handle time (min)', 'Wait [hours]', 'Response time (ms)'.
_TIME_NAME = re.compile(r"[(\[][ \t]*(?:in[ \t]+)?(ms|msecs?|milliseconds?|mins?|minutes?|h|hrs?|hours?|d|days?)[ \t]*[)\]][ \t]*\Z",
                        re.IGNORECASE)
#: Each unit's name and its length in seconds.
_TIME_UNITS = {"ms": ("milliseconds", 0.001), "mi": ("minutes", 60.0), "h": ("hours", 3600.0), "d": ("days", 86400.0)}


class DurationColumn:
    """A value column whose name, as ``--metrics-column value=...`` gives it, gives the unit of its durations ('Avg
    handle time (min)'): a duration's plain number in it ('5') is in that unit (5 min). Read so, its 5 was 5 seconds,
    without a word."""

    def __init__(self, column: str, unit: str, specs: Mapping[str, MetricSpec]) -> None:
        self.column, self.specs = column, specs
        key = "ms" if unit == "ms" or unit.startswith(("msec", "milli")) else "mi" if unit.startswith("min") else unit[0]
        self.unit, self.seconds = _TIME_UNITS[key]
        self.durations: dict[str, bool] = {}

    @classmethod
    def of(cls, specs: Mapping[str, MetricSpec]) -> DurationColumn | None:
        from .engines.rows import named_columns

        column = named_columns().as_named.get("value")
        unit = _TIME_NAME.search(column) if column is not None else None
        return cls(column, unit[1].lower(), specs) if column is not None and unit is not None else None

    def _duration(self, metric: str) -> bool:
        if metric not in self.durations:
            spec = self.specs.get(metric_named(metric.strip(), self.specs))
            self.durations[metric] = spec is not None and spec.kind == "duration"
        return self.durations[metric]

    def cells(self, cells: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
        """A row's cells with a duration's plain number in the value column written in seconds ('300s')."""
        value = cells.get("value", "")
        if not _PLAIN_SHARE.fullmatch(value) or not self._duration(cells.get("metric", "")):
            return dict(cells), []
        seconds = float(value) * self.seconds
        return {**cells, "value": f"{seconds:.6f}".rstrip("0").rstrip(".") + "s"}, ["value"]

    def warning(self, span: Span, written: str, read: str, count: int) -> Problem:
        """The one warning for the table, at its first such cell."""
        shown = f"{written.strip()} {'min' if self.unit == 'minutes' else 'ms' if self.unit == 'milliseconds' else self.unit}"
        return Problem(
            span, "unit-column",
            f"the column '{quoted(self.column)}' gives its unit, {self.unit}: a duration's number in it is read in {self.unit},"
            f" '{quoted(written.strip())}' as {quoted(shown)} ({count:,} cell{'s' * (count != 1)})",
            f"nothing to do; write durations with their unit ({quoted(read)}) to leave this out",
            level="warning",
        )


#: A value whose minus is the minus sign U+2212, as Apple Numbers, Tableau, and Excel or Power BI in Swedish, Norwegian
#: or Finnish export a negative number ('−12', '−0,25', '− 8'): the sign and the spaces after it.
_MINUS_SIGN = re.compile(r"[ \t]*\u2212[ \t\u00a0\u202f]*(?=[0-9.])")


def minus_cells(cells: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """A row's cells with a value's minus sign U+2212 written as the hyphen-minus ('−12' is '-12'), and the columns
    changed. The sign means minus and nothing else; an en dash ('–12') may be a list's or a range's, and is not read."""
    value = cells.get("value", "")
    if "\u2212" not in value or (sign := _MINUS_SIGN.match(value)) is None:
        return dict(cells), []
    return {**cells, "value": "-" + value[sign.end():]}, ["value"]


def minus_warning(span: Span, written: str, read: str, count: int) -> Problem:
    """The one warning for a table whose values are read with the minus sign U+2212 (:func:`minus_cells`), at the first."""
    return Problem(
        span, "minus-sign",
        "the file writes negative values with the minus sign U+2212 (\u2212), as Apple Numbers, Tableau and Excel in some"
        f" locales export them: it is read as a minus, '{quoted(written.strip())}' as {quoted(read.strip())}"
        f" ({count:,} cell{'s' * (count != 1)})",
        "nothing to do; write the minus as '-' to leave this out",
        level="warning",
    )


def unit_rewrites(rows: Sequence[Mapping[str, str]], specs: Mapping[str, MetricSpec] | None) -> list[NumberRewrite]:
    """The rewrites applied after :func:`number_rewrites`, and to a Parquet file's cells too: a value's minus sign
    U+2212 (:func:`minus_cells`), and a value column named in percent (:class:`PercentColumn`) or with a time unit
    (:class:`DurationColumn`), when a row has a share's or a duration's number in it."""
    rewrites = [NumberRewrite(minus_cells, minus_warning)] if any(minus_cells(cells)[1] for cells in rows) else []
    for column in (PercentColumn.of(specs or {}), DurationColumn.of(specs or {})):
        if column is not None and any(column.cells(cells)[1] for cells in rows):
            return [*rewrites, NumberRewrite(column.cells, column.warning)]
    return rewrites


_AMBIGUOUS_HINT = re.compile(r"write the decimal point as a dot: (?P<dec>.+?) \(or (?P<whole>.+?) if the comma separates thousands\)")


def comma_file_hints(problems: list[Problem], start: int) -> None:
    """In a file read with decimal commas, the hints from ``start`` on for a cell such as '1,234' (1.234 there, or 1234
    with a comma between thousands): 'write the decimal point as a dot: 1.234' would be read as 1234 in this file."""
    for index in range(start, len(problems)):
        problem = problems[index]
        if problem.hint and (told := _AMBIGUOUS_HINT.fullmatch(problem.hint)) is not None:
            dec, whole = told["dec"], told["whole"]
            fourth = re.sub(r"([0-9]+)\.([0-9]+)", r"\1,\g<2>0", dec, count=1)
            problems[index] = replace(problem, hint=(
                f"a comma is this file's decimal point, but one between thousands is written so too: write {whole} if it"
                f" is {whole}; if it is {dec}, write {fourth}"))


def decimal_comma_warning(span: Span, written: str, read: str, count: int) -> Problem:
    """The one warning for a table read with decimal commas (:func:`decimal_comma`), at its first such cell."""
    return Problem(
        span, "decimal-comma",
        f"the file writes its numbers with a decimal comma and dots or spaces between thousands, as Excel saves a"
        f" semicolon- or tab-separated file in German, French and other locales: they are read so, '{quoted(written)}' as {quoted(read)}"
        f" ({count:,} cell{'s' * (count != 1)})",
        "nothing to do; a number such as '1,240' (1.24, or 1240?) is still an error: write it 1,24 or 1240",
        level="warning",
    )


def finish(
    rows: list[DataPoint], dated: dict[int, str], problems: list[Problem], specs: Mapping[str, MetricSpec] | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[list[DataPoint], list[Problem]]:
    """The rows' values: amounts in one currency, rows of one period bucket pooled, period forms
    checked, the latest of each series. ``columns``: each file's segment column as its header names it, for the one
    warning of a column of values that are no personas (:func:`~journeymap.data.responses.one_segment_warning`)."""
    from .responses import one_segment_warning

    rows, dated = _one_currency(rows, dated, problems, specs or {})
    rows = pool_periods(rows, dated, problems)
    rows = _subtotals(rows, problems)
    check_period_forms(rows, problems)
    latest = _latest(rows, problems, specs or {})
    return latest, collapse_counted(one_segment_warning([(p, 1, (p.span.line,)) for p in problems], columns or {}))


def _period_days(label: str) -> tuple[date, date] | None:
    """The first and last days of a period label in an ISO form (``2026-04-02``, ``2026-W14``, ``2026-04``, ``2026-Q2``,
    ``2026-H1``, ``2026``; a month named, ``Apr 2026``, is ``2026-04``), or None for another label."""
    from .responses import period_start

    label = period_key(label)
    if (start := period_start(label)) is None:
        return None
    if len(label) == 10 or "W" in label:  # a day, an ISO week
        return start, start + timedelta(days=6 if "W" in label else 0)
    months = 1 if len(label) == 7 and label[5].isdigit() else 3 if "Q" in label else 6 if "H" in label else 12
    after = start.year * 12 + start.month - 1 + months
    return start, date(after // 12, after % 12 + 1, 1) - timedelta(days=1)


def _subtotals(rows: list[DataPoint], problems: list[Problem]) -> list[DataPoint]:
    """The rows without those whose period holds other periods of its series (touchpoint, metric, persona), each a
    ``subtotal-period`` warning: a BI export of a date hierarchy writes a quarter's or a year's subtotal beside its
    months, and sorted as text '2026-Q1' came after '2026-04', its value the touchpoint's."""
    series: dict[tuple[str, str, str | None], list[tuple[DataPoint, tuple[date, date]]]] = {}
    for point in rows:
        if point.period and (days := _period_days(point.period)) is not None:
            series.setdefault((point.touchpoint, point.metric, point.persona), []).append((point, days))
    subtotals: set[int] = set()
    for periods in series.values():
        if len({last - first for _point, (first, last) in periods}) == 1:  # days alone, or weeks: no period holds another
            continue
        # Each distinct period is compared with each other once, not each row with every row: a table of 120,000 rows
        # (a daily export's duplicates, a history of years) took minutes, as the square of its rows.
        spans: dict[tuple[date, date], list[int]] = {}
        for index, (_point, days) in enumerate(periods):
            spans.setdefault(days, []).append(index)
        held = {
            (first, last): sorted(index for (a, b), indices in spans.items()
                                  if first <= a and b <= last and (a, b) != (first, last) for index in indices)
            for first, last in spans
        }
        for point, days in periods:
            inside = [periods[index][0].period or "" for index in held[days]]
            if not inside:
                continue
            subtotals.add(id(point))
            named = ", ".join(sorted(inside, key=period_sort)[:6]) + (", ..." if len(inside) > 6 else "")
            one = len(inside) == 1
            problems.append(Problem(
                point.span, "subtotal-period",
                f"period '{quoted(point.period or '', 24)}' holds {'a period' if one else 'periods'} of its series ({named}):"
                f" it is {'its' if one else 'their'} subtotal, as a BI tool exports a quarter's or a year's beside its months,"
                f" not a period of its own; the row is left out, and {'its own is' if one else 'theirs are'} read",
                "nothing is lost; export the periods without subtotals to leave this out", level="warning"))
    return [point for point in rows if id(point) not in subtotals] if subtotals else rows


def _one_currency(
    rows: list[DataPoint], dated: dict[int, str], problems: list[Problem], specs: Mapping[str, MetricSpec]
) -> tuple[list[DataPoint], dict[int, str]]:
    """The rows without the amounts written in another currency than the first of their series
    (touchpoint, metric, persona), each an error: 1200 USD and 1100 EUR are no trend. A persona's
    amounts are in the currency of the touchpoint's other amounts too: the map's persona filter put
    900 USD in place of everyone's 1,200 EUR. (A metric that declares its unit refuses any other when
    the row is read.) An amount written without a currency among amounts with one is read in theirs,
    with one warning per touchpoint and metric: "900" beside "1000 USD" was shown as 900 USD without
    a word."""
    first: dict[tuple[str, str], DataPoint] = {}
    for point in rows:
        if point.currency is not None:
            first.setdefault((point.touchpoint, point.metric), point)
    bare: dict[tuple[str, str], list[Span]] = {}
    kept: list[DataPoint] = []
    kept_dated: dict[int, str] = {}
    for index, point in enumerate(rows):
        key = (point.touchpoint, point.metric)
        if point.currency is None and key in first:
            spec = specs.get(point.metric)
            if spec is None or not spec.unit:  # a declared unit is what a bare amount is in
                bare.setdefault(key, []).append(point.span)
                point = replace(point, currency=first[key].currency)
        elif point.currency is not None:
            earlier = first[key]
            if earlier.currency != point.currency:
                if earlier.persona == point.persona:
                    clash = f"the first row of its series (at {earlier.span})"
                else:
                    whose = f"persona {earlier.persona}'s" if earlier.persona else "everyone's"
                    clash = f"the first {point.metric} amount for '{point.touchpoint}' (at {earlier.span}, {whose})"
                who = f" (persona {point.persona})" if point.persona else ""
                problems.append(Problem(
                    point.span, "metric-value",
                    f"this {point.metric} amount for '{point.touchpoint}'{who} is in {point.currency}, but {clash}"
                    f" is in {earlier.currency}; the row is left out",
                    f"write every amount in one currency, or declare it (metrics: {{{point.metric}: {{unit: {earlier.currency}}}}})",
                    related=(earlier.span,),
                ))
                continue
        if index in dated:
            kept_dated[len(kept)] = dated[index]
        kept.append(point)
    for (touchpoint, metric), spans in bare.items():
        currency = first[(touchpoint, metric)].currency
        lines = [str(s.line) for s in spans if s.file == spans[0].file]
        where = f"line{'s' * (len(lines) != 1)} {', '.join(lines[:5])}{', ...' if len(lines) > 5 else ''}"
        amounts = f"{len(spans):,} {metric} amount{'s' * (len(spans) != 1)} for '{touchpoint}' {'are' if len(spans) != 1 else 'is'}"
        example = next(p for p in kept if p.span == spans[0])
        problems.append(Problem(
            spans[0], "no-currency",
            f"{amounts} written without a currency ({where}), and the others in {currency}:"
            f" {'they are' if len(spans) != 1 else 'it is'} read as {currency}",
            f"write the currency with every amount ({f'{example.value:.2f}'.rstrip('0').rstrip('.')} {currency}), or declare it"
            f" (metrics: {{{metric}: {{unit: {currency}}}}})",
            level="warning", related=tuple(spans[1:]),
        ))
    return kept, kept_dated


def check_row(
    row: Row,
    journey: Journey,
    specs: dict[str, MetricSpec],
    segment_column: str,
    problems: list[Problem],
    period: str | None = None,
    order: str | None = None,
) -> tuple[DataPoint | None, str | None]:
    """The value of one row of a metrics table and the date its period came from, or None (and its problems).
    A row left out is not also said to be kept for its n of 0 ('n/a' beside n 0 was a value error and
    'n is 0: ... it is kept, as low confidence'). ``order``: how the file's date column writes its dates with slashes
    (:func:`~journeymap.data.responses.date_order`)."""
    before = len(problems)
    point, when = _check_row(row, journey, specs, segment_column, problems, period, order)
    if point is None:
        problems[before:] = [p for p in problems[before:] if not (p.code == "invalid-count" and p.message == NO_ANSWERS_KEPT)]
    return point, when


def _check_row(
    row: Row,
    journey: Journey,
    specs: dict[str, MetricSpec],
    segment_column: str,
    problems: list[Problem],
    period: str | None = None,
    order: str | None = None,
) -> tuple[DataPoint | None, str | None]:
    from .responses import (
        check_persona,
        check_written_period,
        date_hint,
        future_period,
        is_everyone,
        marks_no_persona,
        not_a_date,
        old_period,
        period_label,
        placeholder_date,
        repeated_header,
        slashed_day,
    )

    touchpoint, metric = touchpoint_named(row.get("touchpoint"), journey), metric_named(row.get("metric"), specs)
    if repeated_header(touchpoint, row.get("metric")) and touchpoint not in journey.touchpoint_by_id:
        problems.append(Problem(
            row.span("touchpoint"), "export-header",
            "this row repeats the header's names (touchpoint, metric), not values; it is skipped",
            "files joined with their headers (cat a.csv b.csv) repeat it: delete such rows, or join them with"
            " tail -n +2 b.csv >> a.csv", level="warning"))
        return None, None
    if (nuls := nul_row(touchpoint, row.span("touchpoint"), (row.get(c) for c in ("metric", "value")))) is not None:
        problems.append(nuls)
        return None, None
    ok = check_touchpoint(touchpoint, row.span("touchpoint"), journey, problems)
    ok = check_metric(metric, row.span("metric"), specs, problems) and ok
    raw_value = row.get("value")
    value: float | None = None
    if _no_answers(raw_value, row.get("n")):  # a BI export's period or segment without answers: '—' beside n 0 or none
        problems.append(Problem(
            row.span("value"), "no-answers",
            f"the row has {'no value' if not raw_value else repr(raw_value) + ' for its value'}"
            f" and {'no n' if not row.get('n') or _no_count(row.get('n')) else 'n 0'}: a period or segment"
            " without answers, with nothing to show; it is left out",
            "a BI tool writes such rows for periods without answers: nothing is lost; filter them out of the export to leave"
            " this out", level="warning"))
        return None, None
    if _SUPPRESSED.fullmatch(raw_value):  # a dashboard's '*' or 'n<30': a value withheld on too few answers
        problems.append(Problem(
            row.span("value"), "suppressed-value",
            f"{specs[metric].label if metric in specs else 'the value'} '{quoted(raw_value.strip(), 24)}' is a value a BI tool"
            " withholds when too few answers are behind it (or shows as a bound): there is nothing to read; the row is left out",
            "nothing to do where the tool hid it on purpose; export the values themselves to have them read", level="warning"))
        return None, None
    if not raw_value:
        example = f", such as {_example(specs[metric])} for {specs[metric].label}" if metric in specs else ""
        problems.append(Problem(row.span("value"), "missing-value", "the value is empty",
                                f"write the row's value{example}; the row is left out, as a row without a value has nothing"
                                " to show"))
    elif metric in specs:
        try:
            value = parse_value(specs[metric], raw_value)
        except MetricValueError as exc:
            hint = exc.hint
            if is_missing_mark(raw_value) or raw_value in ("(blank)", "(Blank)", "\u2014", "\u2013"):  # a pivot's '(blank)'
                hint = (f"'{raw_value}' marks no value (a period or segment without answers?): leave the row out, as a row"
                        " without a value has nothing to show")  # it was told "write a number or a percentage like 82%"
            elif (marked := _DECORATED.fullmatch(raw_value)) is not None and _reads(specs[metric], marked["value"]):
                hint = f"write {marked['value']}: a footnote mark or an arrow beside a value is not part of it"
            problems.append(Problem(row.span("value"), "metric-value", str(exc), hint))
        else:
            try:
                check_nps_scale(specs[metric], raw_value, value)
            except MetricValueError as exc:  # told, and read as written: a weighted NPS may be +0.5
                problems.append(Problem(row.span("value"), "nps-scale", str(exc), exc.hint, level="warning"))
            try:
                check_share_scale(specs[metric], raw_value, value)
            except MetricValueError as exc:  # told, and read as written: a share may be that small
                problems.append(Problem(row.span("value"), "share-scale", str(exc), exc.hint, level="warning"))
            try:
                check_amount_thousands(specs[metric], raw_value)
            except MetricValueError as exc:  # told, and read as written: an amount may have three decimals
                problems.append(Problem(row.span("value"), "thousands-separator", str(exc), exc.hint, level="warning"))
            if abs(value) > LARGEST:
                problems.append(Problem(row.span("value"), "metric-value", too_large(f"{specs[metric].label} value", raw_value),
                                        "is it a value from another column, or an ID?"))
                value = None
            else:
                try:
                    check_plausible(specs[metric], raw_value, value)
                except MetricValueError as exc:  # told, and read as written: the catalogue cannot be sure
                    problems.append(Problem(row.span("value"), "implausible-value", str(exc), exc.hint, level="warning"))
    n = _count(row.get("n"), row.span("n"), problems)
    # A persona's value is not everyone's: a row for a persona the journey lacks is left out
    # (counted for everyone, it replaced everyone's value as a duplicate row); a total's row ('All') is everyone's.
    persona = check_persona(row.get(segment_column), row, journey, problems, segment_column,
                            "a persona's value is not everyone's, so the row is left out")
    if not ok or value is None or n is False or (persona is None and row.get(segment_column) and not is_everyone(row.get(segment_column))
                                                           and not marks_no_persona(row.get(segment_column))):
        return None, None
    count = n if isinstance(n, int) else None
    good, sample = row_sample(specs[metric], value, count, row.get, row.span, problems)
    if not good:
        return None, None
    label = row.get("period") or None
    total = label is not None and is_total_period(label)
    if total and label is not None:  # a grand total over the periods: sorted as text, it was the latest
        # beside its series' periods it is left out as a row without one (_latest); alone, it is the value
        problems.append(Problem(
            row.span("period"), "total-period",
            f"period '{quoted(label.strip(), 24)}' is a total over the periods, as BI tools and pivot tables write a grand total,"
            f" not a period of its own: {TOTAL_LEFT_OUT}",
            "nothing is lost where the periods' rows are in the file; export without totals to leave this out, or leave the"
            " period empty to read the total as a value without a period", level="warning"))
        label = None
    if label is not None:
        label, why = canonical_period(label)  # 'Q2-2026' is 2026-Q2
        if why is not None:
            problems.append(ambiguous_period_problem(row.span("period"), label, why, "the row is left out"))
            return None, None
        if (impossible := impossible_period(label)) is not None:  # '2026-13' sorted after '2026-12': the latest
            problems.append(impossible_period_problem(row.span("period"), label, impossible, "the row is left out"))
            return None, None
        check_written_period(row, label, period, problems)
        if (future := future_period(row.span("period"), label, "the row is left out", "write the period the value is for")):
            problems.append(future)
            return None, None
        if (old := old_period(row.span("period"), label, "the row is left out", 1900)):
            problems.append(old)
            return None, None
    when = row.get("date") if label is None and not total else ""
    if when:
        label = date_period(when, period)
        day = slashed_day(when, order) if label is None and order is not None else None
        if day is not None:
            label = period_label(day, period or "day")
        if label is None:
            problems.append(
                placeholder_date(row.span("date"), when, "the row is left out")  # a zero date, '0000-00-00'
                or Problem(row.span("date"), "invalid-date", f"{not_a_date(when)}; the row is left out",
                           date_hint(when), level="warning")
            )
            return None, None
        if (placeholder := placeholder_date(row.span("date"), when, "the row is left out", day)) is not None:
            problems.append(placeholder)
            return None, None
    currency = written_currency(specs[metric], raw_value)
    point = DataPoint(touchpoint, metric, value, count, row.file, row.span(), label, "table", sample, (), persona, currency)
    return point, (when.strip() if when else None)


#: A period cell that names no period but the periods together: a grand total ('Total', 'Grand Total', Tableau's '(All)',
#: Excel's pivots in German, French, Dutch: 'Gesamtergebnis', 'Total général', 'Eindtotaal') or a year to date ('YTD').
_TOTAL_PERIOD = re.compile(r"(?i)\(all\)|\(total\)|all periods|ytd|year[ -]to[ -]date")


TOTAL_LEFT_OUT = "the row is left out, and the periods' own rows are read"


def is_total_period(label: str) -> bool:
    """Whether a metrics table's period cell is a total over its periods rather than one period (:data:`_TOTAL_PERIOD`,
    and the total rows' labels :data:`journeymap.data._TOTAL_ROW` knows: 'Total', 'Grand Total', 'Gesamtergebnis')."""
    from . import _TOTAL_ROW

    text = label.strip()
    return _TOTAL_PERIOD.fullmatch(text) is not None or _TOTAL_ROW.fullmatch(text) is not None


#: A value a dashboard withholds when too few answers are behind it, or shows only as a bound: '*', 'n<30', '<5%',
#: 'Suppressed', 'Insufficient data', 'Low base'.
_SUPPRESSED = re.compile(r"(?i)[ \t]*(?:\*{1,3}|n[ \t]*(?:<|<=|\u2264)[ \t]*[0-9]+|(?:<|<=|\u2264)[ \t]*[0-9]+(?:\.[0-9]+)?[ \t]*%?"
                         r"|suppressed|masked|redacted|withheld|insufficient(?: data| sample| base)?|low (?:n|base|sample))[ \t]*")
#: A value with a footnote mark or an arrow after it, as a report's cell shows it: '71%*', '+12 ▲', '4.2 ↓'.
_DECORATED = re.compile(r"[ \t]*(?P<value>[^ \t]*[0-9%])[ \t]*[*\u2020\u2021\u25b2\u25bc\u25b3\u25bd\u2191\u2193\u2b06\u2b07]+[ \t]*")


def _reads(spec: MetricSpec, text: str) -> bool:
    """Whether ``text`` is a value of ``spec`` as written (for a hint that names it)."""
    try:
        parse_value(spec, text)
    except MetricValueError:
        return False
    return True


def _example(spec: MetricSpec) -> str:
    """A value of ``spec`` as a metrics table writes one, for a hint: '71% or 0.71', '45s or 2m', '+32'."""
    if spec.kind == "fraction":
        return "71% or 0.71"
    if spec.kind == "duration":
        return "45s or 2m"
    if spec.kind == "count":
        return "1240"
    if spec.kind == "amount":
        return f"1200{' ' + spec.unit if spec.unit else ''}"
    if spec.name == "nps" and spec.builtin:
        return "+32"
    if spec.name == "ces" and spec.builtin:
        return "5.2"
    return f"a number on {spec.scale_text}" if spec.low is not None and spec.high is not None else "a number"


def _date_order(rows: Iterable[Row]) -> DateOrder | None:
    """The :func:`~journeymap.data.responses.date_order` of a table's date column, from the first date of each one-way order."""
    from .responses import date_order, might_be_one_way, one_way

    firsts: dict[str, tuple[Span, str]] = {}
    for row in rows:
        cell = row.cells.get("date", "")
        if might_be_one_way(cell) and (way := one_way(cell)) is not None and way not in firsts:
            firsts[way] = (row.span("date"), cell.strip())
            if len(firsts) == 2:
                break
    return date_order(firsts)


def _no_count(n: str) -> bool:
    """Whether an n cell marks no count, as a BI export writes one: 'n/a', '-', '#N/A', NULL, an em dash, '(blank)'."""
    return is_missing_mark(n) or n.strip() in ("(blank)", "(Blank)", "\u2014", "\u2013")


def _no_answers(value: str, n: str) -> bool:
    """Whether a row's value is empty or marks no value ('n/a', '—', a pivot's '(blank)') beside an n of 0, or
    marks no value beside a blank n (a BI export's empty cell: an empty value with a blank n is still told empty)."""
    mark = is_missing_mark(value) or value in ("(blank)", "(Blank)", "\u2014", "\u2013")
    if not n or _no_count(n):  # an n marked missing ('n/a', NULL) is no n
        return mark
    # a spreadsheet's share of no answers, '#DIV/0!', beside n 0 says the same
    return (mark or not value or value.upper() == "#DIV/0!") and _PLAIN_NUMBER.fullmatch(n) is not None and float(n) == 0


_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}([,. \u00a0\u202f'])[0-9]{3}(?:\1[0-9]{3})*")
#: How a number of answers may be written: ASCII digits, a fraction of zeros or an exponent (1240, 1240.0, 1.24e3).
_PLAIN_NUMBER = re.compile(r"\s*\+?[0-9]+(?:\.[0-9]*)?(?:[eE]\+?[0-9]+)?\s*")


#: A count written with its name or in brackets, as a report's cell shows it: 'n=412', 'N: 412', '(412)', '412 responses'.
_WORDED_COUNT = re.compile(r"[nN][ \t]*[=:][ \t]*(?P<a>[0-9]+)|\([ \t]*(?:[nN][ \t]*=[ \t]*)?(?P<b>[0-9]+)[ \t]*\)|"
                           r"(?P<c>[0-9]+)[ \t]*(?:responses?|answers?|respondents?|surveys?|ratings?|reviews?|votes?)", re.ASCII)
#: Such a count that names what it counts, read as its number: 'n=412', 'N: 412', '(n=412)', '412 responses', '412 resp.'
#: (not a bare '(412)': an accounting format's negative number).
_NAMED_COUNT = re.compile(r"(?P<open>\([ \t]*)?[nN][ \t]*[=:][ \t]*(?P<a>[0-9]+)(?(open)[ \t]*\))|"
                          r"(?P<c>[0-9]+)[ \t]*(?:responses?|resp\.|answers?|respondents?|surveys?|ratings?|reviews?|votes?)", re.ASCII)
NAMED_COUNT_READ = ("n is written with its name or a word beside the number, as a report's cell shows it; the number is read")
#: A count shortened as dashboards show it: '1.2k', '12K', '3M'.
_SHORT_COUNT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s?([kKM])")


def exponent_warning(span: Span, what: str, raw: str, read: str, kind: str) -> Problem:
    """The warning for a count or a survey score written with an exponent (``1e3``, ``1.24E+03``):
    read as the number it is, as event logs and values read exponents, but such a cell is usually a
    spreadsheet's scientific format, which shows six digits (1.23457E+06) and may have rounded it."""
    return Problem(
        span, "exponent",
        f"{what} '{raw.strip()[:24]}' is written with an exponent; it is read as {read}",
        (f"write {kind} as a plain whole number ({read.replace(',', '')}): a spreadsheet's scientific format may have"
         " rounded it; format the column as a number before saving") if kind == "a count" else
        f"write {kind} as the whole number alone: {read}",
        level="warning",
    )


def _count(raw: str, span: Span, problems: list[Problem]) -> int | None | bool:
    """The ``n`` cell: None when blank, False (and a problem) when not a whole number >= 0."""
    if not raw:
        return None
    if _no_count(raw):  # a BI export's 'n/a', '-' or NULL where it has no count: the value is read as with a blank n
        problems.append(Problem(span, "invalid-count", f"n '{quoted(raw)}' marks no count: the value is read without one, so it"
                                " has no interval", "leave n empty where the count is not known, or give the number of"
                                " answers behind the value", level="warning"))
        return None
    number = float(raw) if _PLAIN_NUMBER.fullmatch(raw) else float("nan")  # not '1_240', nor other scripts' digits
    named = None if number == number else _NAMED_COUNT.fullmatch(raw.strip())
    if named is not None:  # 'n=412', '412 responses'
        number = float(named["a"] or named["c"])
        problems.append(Problem(span, "worded-count", NAMED_COUNT_READ, f"write n as the number alone: {int(number)}",
                                level="warning"))
    if not (number >= 0 and number.is_integer()):
        hint = "n is the number of responses behind the value"
        message = f"n '{quoted(raw)}' is not a whole number >= 0"
        if (error := sheet_error_hint(raw)) is not None:
            hint = error
        elif (hidden := hidden_number_hint(raw)) is not None:  # '120\u2060': an invisible character pasted with it
            # but a minus sign's '−120' was told to write '-120', which is no count either
            hint = hidden if not hidden.rpartition("write ")[2].startswith("-") else (
                "n is the number of responses behind the value: a whole number, never negative")
        elif (grouped := _THOUSANDS.fullmatch(raw.strip())) is not None:  # Excel's number format '#,##0' (or '#.##0')
            # as a BI tool's export writes a whole column: one error for the column, with its count (its hint the first's)
            message = "n is written with thousands separators, which are not read; the row is left out"
            hint = f"write n without thousands separators: {raw.strip().replace(grouped.group(1), '')}"
        elif re.fullmatch(r"\s*[1-9][0-9]*(?:,[0-9]+)+\s*", raw) and not re.fullmatch(r"\s*[0-9]+,[0-9]\s*", raw):
            # '1,24', '12,40', '1,24,000': a comma, not between groups of three, and no decimal comma of a whole number
            hint = ("write n as the whole number of responses, with digits alone: a comma between thousands is read only in"
                    " groups of three (1,240)")
        elif (separated := separator_hint(raw)) is not None:  # 1 240, 1.240,0, 12,5: as every numeric cell is told
            hint = f"{separated} ({hint}, a whole number)"
        elif (short := _SHORT_COUNT.fullmatch(raw.strip())) is not None:  # a dashboard's '1.2k', '3M'
            whole = round(float(short[1]) * (1000 if short[2] in "kK" else 1_000_000))
            hint = (f"write n as the whole number of responses, not shortened: '{raw.strip()}' is about {whole}, and"
                    " the exact count is what the interval needs")
        elif (worded := _WORDED_COUNT.fullmatch(raw.strip())) is not None:  # 'n=412', '(412)', '412 responses'
            hint = f"write n as the number alone: {worded['a'] or worded['b'] or worded['c']}"
        problems.append(Problem(span, "invalid-count", message, hint))
        return False
    if number > LARGEST:
        problems.append(Problem(span, "invalid-count", too_large("n", raw), "n is the number of responses behind the value"))
        return False
    if "e" in raw.lower() and named is None:  # 1e3, 1.24E+03: a spreadsheet's scientific format, which may have rounded the count
        problems.append(exponent_warning(span, "n", raw, f"{int(number):,}", "a count"))
    if number == 0:
        problems.append(Problem(span, "invalid-count", NO_ANSWERS_KEPT,
                                "give the number of answers behind the value, or leave the row out", level="warning"))
    return int(number)


def _latest(rows: list[DataPoint], problems: list[Problem], specs: Mapping[str, MetricSpec]) -> list[DataPoint]:
    from dataclasses import replace

    chosen: dict[tuple[str, str, str | None], DataPoint] = {}
    by_period: dict[tuple[str, str, str | None], dict[str, DataPoint]] = {}
    for point in rows:
        key = (point.touchpoint, point.metric, point.persona)
        seen = by_period.setdefault(key, {})
        # one month written two ways (2026-01 and Jan 2026, two exports joined) is one period: the rows conflict
        month = period_key(point.period or "")
        earlier = seen.get(month)
        if earlier is not None:
            period = f" for period {point.period}" if point.period else ""
            who = f" (persona {point.persona})" if point.persona else ""
            first = f"the first, {earlier.period}," if earlier.period != point.period else "the first"
            # a join that doubled its rows, or two values (which is right?)
            spec = specs.get(point.metric)
            shown = [str(v) for v in (earlier.value, point.value)]
            if spec is not None:
                shown = [spec.format(v) for v in (earlier.value, point.value)]
                if shown[0] == shown[1]:  # 80.1% and 80%: more decimals
                    shown = [spec.format(v, 2) for v in (earlier.value, point.value)]
            values = "the same value" if point.value == earlier.value else f"{shown[0]}; this one {shown[1]}"
            problems.append(
                Problem(
                    point.span,
                    "duplicate-row",
                    f"a second row for '{point.touchpoint}' / {point.metric}{who}{period} ({first} is at {earlier.span},"
                    f" with {values}); this later row is used",
                    "keep one row per touchpoint, metric and period",
                    related=(earlier.span,),
                )
            )
        seen[month] = point
        current = chosen.get(key)
        if current is None or period_key(point.period or "") >= period_key(current.period or ""):
            chosen[key] = point
    totals = {(p.span.file, p.span.line): k for k, p in enumerate(problems) if p.code == "total-period"}
    for key, periods in by_period.items():
        labelled = sorted((p for p in periods if p), key=period_sort)
        if len(labelled) > 1:
            chosen[key] = replace(chosen[key], series=tuple(periods[p] for p in labelled))
        total = totals.get((periods[""].span.file, periods[""].span.line)) if "" in periods else None
        if total is not None and not labelled:  # a grand total alone in its series: the value, without a period
            told = problems[total]
            problems[total] = replace(told, message=told.message.replace(TOTAL_LEFT_OUT, "it is read as the value without a period"),
                                      hint="write the period it covers (2026-Q1) to have it in a series")
        if labelled and "" in periods and total is None:  # a total's row is told so already
            undated = periods[""]
            who = f" (persona {undated.persona})" if undated.persona else ""
            problems.append(
                Problem(
                    undated.span,
                    "no-period",
                    f"this row for '{undated.touchpoint}' / {undated.metric}{who} has no period, and the table's other rows"
                    " for it have one; it is left out of the series and of the latest period's value",
                    "give it a period or a date, or remove it",
                    level="warning",
                )
            )
    return list(chosen.values())
