"""The pure-Python engine: the reference the other engines are held to.

It reads the whole log into memory (fine for a few hundred thousand events;
use DuckDB beyond) and computes exactly what :mod:`.sql` computes, written
out as plain loops over each customer's path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from pathlib import Path

from ...problems import Problem, Span
from . import (
    CONFORMANCE,
    EXAMPLES,
    Cohort,
    DeviationCount,
    EngineOptions,
    EventTables,
    FlowCount,
    JourneyFacts,
    no_segments,
)
from .rows import OPTIONAL, REQUIRED, BadRows, check_cells, segment_column
from .sql import rank_deviations

Event = tuple[str, float, str, str, str]
"""(customer, seconds, touchpoint, outcome, segment)"""


def aggregate(paths: Sequence[Path], facts: JourneyFacts, options: EngineOptions) -> EventTables:
    from .sources import resolve

    events: list[Event] = []
    sources = resolve(paths)
    problems: list[Problem] = list(sources.problems)
    files: list[str] = []
    rows = 0
    for path in [f for found in sources.files.values() for f in found]:
        file, found, read, count = read_events_file(path)
        problems += found
        if file is None:
            continue
        files.append(file)
        rows += count
        events += read
    if options.segment is not None:
        if any(e[4] for e in events):
            events = [e for e in events if e[4] == options.segment]
        else:
            problems.append(no_segments(files, options.segment))
    tables = summarise(events, facts, rows)
    tables.files, tables.problems = files, problems
    return tables


def read_events_file(path: Path) -> tuple[str | None, list[Problem], list[Event], int]:
    """(display name or None if unreadable, problems, good events, rows read)."""
    from ..table import _display, read_table

    name = _display(path)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        records, problems = _read_json_lines(path, name)
        if records is None:
            return None, problems, [], 0
    else:
        table, problems = read_table(path, REQUIRED, OPTIONAL, name=name, kind="event log")
        if table is None:
            return None, problems, [], 0
        records = ((row.cells, {c: row.span(c) for c in (*REQUIRED, *OPTIONAL)}) for row in table.rows)
        segment = segment_column(table.header)
        if segment == "persona":
            records = (({**cells, "segment": cells.get("persona", "")}, spans | {"segment": spans["persona"]}) for cells, spans in records)
    bad = BadRows()
    events = []
    count = 0
    for cells, spans in records:
        count += 1
        event = check_cells(cells, spans, bad)
        if event is not None:
            events.append(event)
    return name, problems + bad.problems(name), events, count


def _read_json_lines(path: Path, name: str) -> tuple[Iterator[tuple[dict[str, str], dict[str, Span]]] | None, list[Problem]]:
    from ...files import read_bytes

    try:
        text = read_bytes(path).decode("utf-8-sig")
    except OSError as exc:
        return None, [Problem(Span(name), "io", f"cannot read the file: {exc.strerror or exc}")]
    except UnicodeDecodeError:
        return None, [Problem(Span(name), "encoding", "the file is not UTF-8")]
    problems: list[Problem] = []
    records: list[tuple[dict[str, str], dict[str, Span]]] = []
    columns: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            problems.append(Problem(Span(name, number, 1), "json", f"not a JSON object: {exc}"))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(Span(name, number, 1), "json", "not a JSON object"))
            continue
        cells = {str(k).strip().lower(): "" if v is None else str(v) for k, v in value.items()}
        columns |= set(cells)
        if "segment" not in cells and "persona" in cells:
            cells["segment"] = cells["persona"]
        records.append((cells, dict.fromkeys((*REQUIRED, *OPTIONAL), Span(name, number, 1))))
    missing = [c for c in REQUIRED if c not in columns]
    if records and missing:
        return None, [Problem(Span(name, 1, 1), "missing-column", f"the event log has no field {', '.join(repr(c) for c in missing)}")]
    if not records and not problems:
        return None, [Problem(Span(name, 1, 1), "empty", "the file is empty", "one JSON object a line")]
    return iter(records), problems


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
    required_by = dict(facts.requires)
    for customer in sorted(paths):
        path = sorted(paths[customer], key=lambda e: (e[1], e[2], e[3], e[4]))
        steps: list[tuple[str, float, float]] = []  # touchpoint, first and last event of the visit
        outcome_cell = ""
        for _, seconds, touchpoint, outcome, _ in path:
            if not steps or steps[-1][0] != touchpoint:
                steps.append((touchpoint, seconds, seconds))
            else:
                steps[-1] = (touchpoint, steps[-1][1], seconds)
            outcome_cell = outcome or outcome_cell
        segment = path[0][4]
        last = steps[-1][0]
        outcome = outcome_cell or facts.outcomes.get(last) or "left"
        entries[steps[0][0]] = entries.get(steps[0][0], 0) + 1
        if outcome != "success":
            ended[last] = ended.get(last, 0) + 1
        names = [t for t, _, _ in steps]
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
            if b not in facts.outcomes:
                mine.add(("ad_hoc", a, b))
            elif a in facts.outcomes and (a, b) not in facts.flows:
                mine.add(("out_of_sequence", a, b))
        seen = set(names)
        for touchpoint in seen:
            required = required_by.get(touchpoint)
            if required is not None and required not in seen:
                mine.add(("missing", touchpoint, required))
        if outcome != "success":
            mine.add(("failing", last, None))
        kinds = {kind for kind, _, _ in mine}
        for key in mine:
            found.setdefault(key, []).append(customer)
        day = math.floor(min(e[1] for e in path) / 86400)
        tally = cohorts.setdefault((day, segment), [0] * 9)
        flags = [
            1, outcome == "success", outcome == "failure", outcome == "left", not kinds,
            "ad_hoc" in kinds, "out_of_sequence" in kinds, "missing" in kinds, "failing" in kinds,
        ]
        for i, flag in enumerate(flags):
            tally[i] += int(flag)
    tables.visitors = dict(sorted(visitors.items()))
    tables.visits = dict(sorted(visits.items()))
    tables.entries = dict(sorted(entries.items()))
    tables.ended_without_success = dict(sorted(ended.items()))
    for (a, b), times in sorted(gaps.items()):
        times.sort()
        n = len(times)
        tables.flows.append(FlowCount(a, b, n, times[(n + 1) // 2 - 1], times[(9 * n + 9) // 10 - 1]))
    tables.cohorts = [Cohort(day, segment, *counts) for (day, segment), counts in sorted(cohorts.items())]
    for cohort in tables.cohorts:
        tables.customers += cohort.customers
        tables.outcomes["success"] += cohort.success
        tables.outcomes["failure"] += cohort.failure
        tables.outcomes["left"] += cohort.left
        for name in CONFORMANCE:
            tables.conformance[name] += getattr(cohort, name)
    tables.deviations = rank_deviations(
        DeviationCount(kind, source, target, len(customers), tuple(customers[:EXAMPLES]))
        for (kind, source, target), customers in found.items()
    )
    return tables
