"""The pure-Python engine: the reference the other engines are held to.

It reads the whole log into memory (fine for a few hundred thousand events;
use DuckDB beyond) and computes exactly what :mod:`.sql` computes, written
out as plain loops over each customer's path.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...problems import Problem, Span
from .. import ASCII_SMALL
from . import (
    EXAMPLES,
    LONG_STEP,
    Cohort,
    DeviationCount,
    EngineOptions,
    EventTables,
    FlowCount,
    JourneyFacts,
    chosen_segments,
    no_segments,
)
from .rows import (
    CALL_KIND,
    OPTIONAL,
    REQUIRED,
    TOOL_KIND,
    BadRows,
    check_cells,
    column_key,
    column_type,
    float_timestamps,
    header_problems,
    no_rows,
    partition_segment,
    persona_as_segment,
    shown,
    typed_timestamp_text,
    visitor_column,
)
from .sql import (
    EXPONENT_ID,
    EXPONENT_ID_LONGEST,
    cased_key,
    is_formula_id,
    is_whole_number,
    may_write_numbers_two_ways,
    plain_number_id,
    rank_deviations,
)

Event = tuple[str, float, str, str, str]
"""(customer, seconds, touchpoint, outcome, segment)"""

_EXPONENT_ID = re.compile(EXPONENT_ID)


def aggregate(paths: Sequence[Path], facts: JourneyFacts, options: EngineOptions) -> EventTables:
    events, rows, problems, files = checked_events(paths)
    events = [journey_touchpoint(event, facts) for event in events]
    if options.segment is not None:
        # whole customers, by the segment of their first event
        firsts: dict[str, tuple[float, bool, str, str, str]] = {}  # a customer's first event's place in the path
        for event in events:
            place = path_order(event, facts)
            if event[0] not in firsts or place < firsts[event[0]]:
                firsts[event[0]] = place
        if any(first[4] for first in firsts.values()):
            cells = set(chosen_segments({first[4] for first in firsts.values()}, options))
            chosen = {customer for customer, first in firsts.items() if first[4] in cells}
            events = [e for e in events if e[0] in chosen]
        else:
            problems.append(no_segments(files, options.segment))
    tables = summarise(events, facts, rows)
    tables.files, tables.problems = files, problems
    return tables


def checked_events(paths: Sequence[Path]) -> tuple[list[Event], int, list[Problem], list[str]]:
    """(the log's good events, the rows read, the problems, the log's names): what the log holds
    before any aggregate, which every engine's reader must give alike (see ``spark.checked_events``).
    Customer ``0`` is no customer where it stands for visitors without an id (:func:`.rows.zero_is_no_id`):
    the log is then read again, its rows bad rows."""
    from collections import Counter

    from .rows import ZERO_ID, zero_is_no_id, zero_no_id

    found = _checked_events(paths)
    counts = Counter(event[0] for event in found[0])
    if ZERO_ID in counts and zero_is_no_id(counts.pop(ZERO_ID), max(counts.values(), default=0)):
        with zero_no_id():
            return _checked_events(paths)
    return found


def _checked_events(paths: Sequence[Path]) -> tuple[list[Event], int, list[Problem], list[str]]:
    from .sources import resolve

    events: list[Event] = []
    sources = resolve(paths)
    problems: list[Problem] = list(sources.problems)
    read_files: list[tuple[Path, str]] = []
    rows = 0
    for path in [f for found in sources.files.values() for f in found]:
        file, found, read, count = read_events_file(path)
        problems += found
        if file is None:
            continue
        read_files.append((path, file))
        rows += count
        partition = partition_segment(str(path.absolute()))
        if partition:  # a row without a segment of its own takes its folder's (segment=...)
            read = [(c, t, tp, o, g or partition) for c, t, tp, o, g in read]
        events += read
    return events, rows, problems, sources.names(read_files)


def read_events_file(path: Path) -> tuple[str | None, list[Problem], list[Event], int]:
    """(display name or None if unreadable, problems, good events, rows read).

    Rows read are the rows with the header's shape (a CSV row of another
    shape, a JSON line that is not an object, are problems of their own).
    """
    from ..table import _display
    from .locate import csv_header, json_header_problems, json_key_lines, records, start_problems
    from .sources import file_format

    name = _display(path)
    fmt = file_format(path)
    problems = start_problems(path, name)
    if problems:  # a Parquet file that is empty or something else too, in the words the other engines use
        return None, problems, [], 0
    if fmt == "parquet":
        return _read_parquet(path, name)
    if fmt == "csv":
        _, _, problems = csv_header(path, name)
    else:
        problems = json_header_problems(name, json_key_lines(path), path)
    if any(p.is_error for p in problems):
        return None, problems, [], 0
    bad = BadRows()
    events = []
    count = 0
    for cells, spans in records(path, name, bad):
        count += 1
        event = check_cells(cells, spans, bad)
        if event is not None:
            events.append(event)
    count += bad.nested_rows  # rows read, though left out (a row with two such cells once)
    count -= sum(bad.kinds[kind].count for kind in (CALL_KIND, TOOL_KIND) if kind in bad.kinds)  # no events: no rows
    return name, problems + bad.problems(name), events, count


def _read_parquet(path: Path, name: str) -> tuple[str | None, list[Problem], list[Event], int]:
    """A Parquet log through pyarrow: typed columns follow DuckDB's rules (see :mod:`.duckdb`)."""
    try:
        import pyarrow.parquet as pq  # type: ignore[import-not-found]
        import pyarrow.types as pa_types  # type: ignore[import-not-found]
    except ImportError:
        from ..table import parquet_hint

        return None, [Problem(Span(name), "parquet", "reading Parquet needs pyarrow, which is not installed",
                              parquet_hint("log"))], [], 0
    try:  # INT96 (Spark's and Hive's old timestamps) in microseconds: as nanoseconds, a year past 2262 wraps round
        problems = header_problems(name, 1, pq.read_schema(path).names)
        if any(p.is_error for p in problems):  # pyarrow cannot read a column named twice
            return None, problems, [], 0
        table = pq.read_table(path, coerce_int96_timestamp_unit="us")
    except Exception as exc:  # pyarrow raises many types for a bad file
        return None, [Problem(Span(name), "io", f"cannot read the parquet file: {shown(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 200)}")], [], 0
    for field in table.schema:
        key = column_key(field.name)
        kind = field.type
        nested = (pa_types.is_nested(kind) or pa_types.is_binary(kind) or pa_types.is_large_binary(kind)
                  or pa_types.is_fixed_size_binary(kind))
        if key == "timestamp" and not (pa_types.is_string(kind) or pa_types.is_large_string(kind) or pa_types.is_integer(kind)
                                       or pa_types.is_floating(kind) or pa_types.is_decimal(kind)
                                       or pa_types.is_timestamp(kind) or pa_types.is_date(kind) or pa_types.is_null(kind)):
            problems.append(column_type(name, key, str(kind).upper()))
        elif key == "timestamp" and pa_types.is_float32(kind):  # 24 bits: each time rounded to about 2 minutes
            problems.append(float_timestamps(name))
        elif key in (*REQUIRED, *OPTIONAL) and nested:
            problems.append(column_type(name, key, str(kind).upper()))
    if any(p.is_error for p in problems):
        return None, problems, [], 0
    header = [column_key(h) for h in table.column_names]  # as header_problems reads them
    header = persona_as_segment(header)
    known = [(h, i) for i, h in enumerate(header) if h in (*REQUIRED, *OPTIONAL)]  # the others are never read
    columns = [_texts(table.column(i), pa_types, h == "timestamp") for h, i in known]
    bad = BadRows()
    bad.visitor = visitor_column(table.column_names)
    events = []
    for index in range(table.num_rows):
        cells = {h: col[index] for (h, _), col in zip(known, columns, strict=True)}
        event = check_cells(cells, dict.fromkeys((*REQUIRED, *OPTIONAL), Span(name, index + 2, 1)), bad)
        if event is not None:
            events.append(event)
    if not table.num_rows:
        problems.append(no_rows(name, None))
    return name, problems + bad.problems(name), events, table.num_rows


def _texts(column: Any, pa_types: Any, moments: bool = False) -> list[str]:
    """A column's cells as text. Timestamps and dates go through their counts, as DuckDB writes them
    (:func:`.rows.typed_timestamp_text`): a year outside 1 to 9999, or DuckDB's infinity, is a bad
    timestamp there, where Python's ``datetime`` cannot hold it. The ``moments`` of an event log in
    nanoseconds (pandas' and pyarrow's timestamps) are their count, read as a count of nanoseconds
    since 1970 is, as every engine reads them (Spark has no such type)."""
    kind = column.type
    if moments and pa_types.is_timestamp(kind) and kind.unit == "ns":
        import pyarrow as pa  # type: ignore[import-not-found]

        return ["" if c is None else str(c) for c in column.cast(pa.int64()).to_pylist()]
    if pa_types.is_timestamp(kind) or pa_types.is_date(kind):
        import pyarrow as pa  # type: ignore[import-not-found]

        if pa_types.is_date32(kind):
            unit, counts = "day", column.cast(pa.int32())
        elif pa_types.is_date64(kind):  # milliseconds, read by DuckDB as a DATE
            unit, counts = "day", [None if c is None else c // 86_400_000 for c in column.cast(pa.int64()).to_pylist()]
        else:
            unit, counts = kind.unit, column.cast(pa.int64())
        zone = pa_types.is_timestamp(kind) and kind.tz is not None
        values = counts if isinstance(counts, list) else counts.to_pylist()
        return ["" if c is None else typed_timestamp_text(c, unit, zone) for c in values]
    return [_cell(value) for value in column.to_pylist()]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        text: str = value.isoformat()
        return text
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def journey_touchpoint(event: Event, facts: JourneyFacts) -> Event:
    """The event at the journey's touchpoint its touchpoint names in other capitals ('Checkout' for checkout: a
    journey's ids are lowercase slugs, so only ASCII capitals can differ; the SQL's ``translate``), else as it is."""
    touchpoint = event[2]
    if touchpoint in facts.outcomes or (folded := touchpoint.translate(ASCII_SMALL)) not in facts.outcomes:
        return event
    return (event[0], event[1], folded, event[3], event[4])


def path_order(event: Event, facts: JourneyFacts) -> tuple[float, bool, str, str, str]:
    """The place of an event in its customer's path: by time; at one moment the journey's touchpoints
    before the others, each in id order, then the outcome and the segment (so the first event's
    segment is the smallest among the events that tie for first place)."""
    return (event[1], event[2] not in facts.outcomes, event[2], event[3], event[4])


def summarise(events: list[Event], facts: JourneyFacts, rows: int, engine: str = "python") -> EventTables:
    """The aggregates of good events, by the definitions of :mod:`journeymap.data.engines`."""
    tables = EventTables(engine, rows=rows)
    paths: dict[str, list[Event]] = {}
    for event in events:
        paths.setdefault(event[0], []).append(event)
    gaps: dict[tuple[str, str], list[float]] = {}
    cohorts: dict[tuple[int, str], list[int]] = {}
    found: dict[tuple[str, str | None, str | None], list[str]] = {}
    visitors: dict[str, int] = {}
    visits: dict[str, int] = {}
    entries: dict[str, int] = {}
    ended: dict[str, int] = {}
    met_ad_hoc: dict[str, int] = {}
    cased: dict[str, list[str]] = {}  # e-mail addresses and UUIDs by their lower-case id
    numbers: dict[str, list[str]] = {}  # ids with leading zeros or a '.0' by the plain number they write
    required_by = dict(facts.requires)
    linked = {target for _, target in facts.links}
    for customer in sorted(paths):
        path = sorted(paths[customer], key=lambda e: path_order(e, facts))
        if tables.busiest is None or len(path) > tables.busiest[1]:
            tables.busiest = (customer, len(path))
        if len(customer) <= EXPONENT_ID_LONGEST and _EXPONENT_ID.fullmatch(customer):
            n, first = tables.exponent_ids or (0, customer)
            tables.exponent_ids = (n + 1, first)  # the customers go in id order: the first is the smallest
        if (lowered := cased_key(customer)) is not None:
            cased.setdefault(lowered, []).append(customer)
        if (plain := plain_number_id(customer)) is not None:
            numbers.setdefault(plain, []).append(customer)
        if is_formula_id(customer):
            n, first = tables.formula_ids or (0, customer)
            tables.formula_ids = (n + 1, first)
        steps: list[tuple[str, float, float]] = []  # touchpoint, first and last event of the visit
        outcome_cell = ""
        for _, seconds, touchpoint, outcome, _ in path:
            # a repeat at a touchpoint with a declared self-loop is a visit of its own (the loop taken)
            if not steps or steps[-1][0] != touchpoint or touchpoint in facts.loops:
                steps.append((touchpoint, seconds, seconds))
            else:
                steps[-1] = (touchpoint, steps[-1][1], seconds)
            outcome_cell = outcome or outcome_cell
        segment = path[0][4]
        last = steps[-1][0]
        handed_off = len(steps) > 1 and (steps[-2][0], last) in facts.links  # the last step a handoff
        outcome = outcome_cell or facts.outcomes.get(last) or ("handoff" if handed_off else "left")
        entries[steps[0][0]] = entries.get(steps[0][0], 0) + 1
        if outcome not in ("success", "handoff"):
            ended[last] = ended.get(last, 0) + 1
        names = [t for t, _, _ in steps]
        # a link's target met other than right after its source: an ad hoc visit
        met = {b for i, b in enumerate(names) if b in linked and (i == 0 or (names[i - 1], b) not in facts.links)}
        for touchpoint in met:
            met_ad_hoc[touchpoint] = met_ad_hoc.get(touchpoint, 0) + 1
        for touchpoint in set(names):
            visitors[touchpoint] = visitors.get(touchpoint, 0) + 1
        for touchpoint in names:
            visits[touchpoint] = visits.get(touchpoint, 0) + 1
        mine: set[tuple[str, str | None, str | None]] = set()
        first = names[0]
        if first not in facts.outcomes:
            mine.add(("ad_hoc", None, first))
        elif first not in facts.entries:
            mine.add(("out_of_sequence", None, first))
        for (a, _, left_at), (b, came_at, _) in zip(steps, steps[1:], strict=False):
            gaps.setdefault((a, b), []).append(came_at - left_at)
            if (a, b) in facts.links:
                pass  # a handoff: the declared flow into another journey
            elif b not in facts.outcomes:
                mine.add(("ad_hoc", a, b))
            elif a in facts.outcomes and (a, b) not in facts.flows:
                mine.add(("out_of_sequence", a, b))
        seen = set(names)
        if seen.isdisjoint(facts.outcomes):
            tables.off_journey += 1
        for touchpoint in seen:
            required = required_by.get(touchpoint)
            if required is not None and required not in seen:
                mine.add(("missing", touchpoint, required))
        if outcome not in ("success", "handoff"):
            mine.add(("failing", last, None))
        kinds = {kind for kind, _, _ in mine}
        for key in mine:
            found.setdefault(key, []).append(customer)
        day = math.floor(min(e[1] for e in path) / 86400)
        tally = cohorts.setdefault((day, segment), [0] * 10)
        flags = [
            1, outcome == "success", outcome == "failure", outcome == "left", not kinds,
            "ad_hoc" in kinds, "out_of_sequence" in kinds, "missing" in kinds, "failing" in kinds,
            outcome == "handoff",
        ]
        for i, flag in enumerate(flags):
            tally[i] += int(flag)
    groups = {key: ids for key, ids in cased.items() if len(ids) > 1}
    if groups:
        smallest = groups[min(groups)]  # the customers went in id order
        tables.cased_ids = (len(groups), sum(map(len, groups.values())), smallest[0], smallest[-1])
    written = {plain: sorted(ids + [plain] if plain in paths else ids) for plain, ids in numbers.items()}
    if not any(map(may_write_numbers_two_ways, paths)):
        written = {}
    if twice := {plain: ids for plain, ids in written.items() if len(ids) > 1 and is_whole_number(plain)}:
        smallest = twice[min(twice)]
        tables.number_ids = (len(twice), sum(map(len, twice.values())), smallest[0], smallest[-1])
    tables.visitors = dict(sorted(visitors.items()))
    tables.visits = dict(sorted(visits.items()))
    tables.entries = dict(sorted(entries.items()))
    tables.ended_without_success = dict(sorted(ended.items()))
    tables.met_ad_hoc = {target: met_ad_hoc.get(target, 0) for target in sorted(linked)}
    for (a, b), times in sorted(gaps.items()):
        times.sort()
        n = len(times)
        tables.flows.append(FlowCount(a, b, n, times[(n + 1) // 2 - 1], times[(9 * n + 9) // 10 - 1], times.count(0.0),
                                      n - bisect.bisect_left(times, LONG_STEP)))
    tables.cohorts = [Cohort(day, segment, *counts) for (day, segment), counts in sorted(cohorts.items())]
    tables.add_cohort_totals()
    tables.deviations = rank_deviations(
        DeviationCount(kind, source, target, len(customers), tuple(customers[:EXAMPLES]))
        for (kind, source, target), customers in found.items()
    )
    return tables
