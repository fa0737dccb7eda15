"""The DuckDB engine: the default, embedded, streaming, with bounded memory.

Each file is read once through a SELECT that trims and converts every cell
once and marks the rules a row breaks as bits (``bad``, 0 for a good row).
Text files (CSV, JSON lines) go into one temporary table, so they are parsed
once; Parquet stays a view (typed, cheap to read twice). The bad rows are
counted per kind from it, and the shared SQL of :mod:`.sql` runs over the good
ones (its materialised window pass spills to a temporary folder past the
memory limit). The places of bad rows (file, line, column) come from DuckDB's
rejects table for rows it cannot split into cells, and from a scan of the
file's first rows, which stops as soon as the first few of each kind are
found, for cells that break the rules.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...problems import Problem, Span
from . import EngineOptions, EventTables, JourneyFacts, no_segments
from .rows import ISO_PATTERN, NUMBER_PATTERN, OPTIONAL, REQUIRED, shown
from .sources import resolve
from .sql import MATERIALIZED, QUERIES, TOUCHPOINT_COLUMNS, collect, touchpoint_table

MEMORY_LIMIT = "1500MB"
"""DuckDB's own limit; past it, the tables spill to a temporary folder."""

KINDS = (
    ("missing-value", "customer"),
    ("missing-value", "timestamp"),
    ("invalid-timestamp", "timestamp"),
    ("missing-value", "touchpoint"),
    ("invalid-outcome", "outcome"),
)
COLUMN_TYPES = {"entry": "INTEGER", "word": "INTEGER", "bit": "BIGINT", "required_word": "INTEGER", "required_bit": "BIGINT"}
_TEXT_TYPES = ("VARCHAR",)
_NUMBER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                 "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE")


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def aggregate(paths: Sequence[Path], facts: JourneyFacts, options: EngineOptions) -> EventTables:
    import duckdb

    sources = resolve(paths)
    problems = list(sources.problems)
    scratch = tempfile.mkdtemp(prefix="journeymap-duckdb-")
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"SET memory_limit = {literal(options.memory_limit or MEMORY_LIMIT)}")
        con.execute(f"SET threads = {int(options.threads or os.cpu_count() or 1)}")
        con.execute(f"SET temp_directory = {literal(scratch)}")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        register_facts(con, facts)
        scans: list[str] = []
        names: list[str] = []  # by file index
        read_files: list[Path] = []
        for fmt, files in sources.files.items():
            for file in files:
                name = display(file)
                scan, found = file_scan(con, fmt, file, name, len(names))
                problems += found
                if scan is not None:
                    scans.append(scan)
                    names.append(name)
                    read_files.append(file)
        if not scans:
            return EventTables("duckdb", problems=problems)
        # Text files are parsed and checked once, into a table that the bad-row
        # counts and the window pass both read (it spills past the memory limit);
        # Parquet is typed and cheap to read twice, so it stays a view.
        kind = "VIEW" if set(sources.files) == {"parquet"} else "TABLE"
        try:
            con.execute(f"CREATE TEMP {kind} jm_events AS " + "\nUNION ALL\n".join(scans))
            rows, bad, segmented = count_bad_rows(con)
        except duckdb.Error as exc:
            problems.append(Problem(Span(", ".join(names)), "io", f"cannot read the event log: {first_line(exc)}"))
            return EventTables("duckdb", problems=problems)
        problems += rejected_rows(con, {str(path): name for path, name in zip(read_files, names, strict=True)})
        for index, counts in bad.items():
            problems += locate(read_files[index], names[index], counts, con)
        segment = ""
        if options.segment is not None:
            if segmented:
                segment = f" AND segment = {literal(options.segment)}"
            else:
                problems.append(no_segments(names, options.segment))
        con.execute(
            "CREATE TEMP VIEW events AS SELECT customer, seconds, touchpoint, outcome, segment"
            f" FROM jm_events WHERE bad = 0{segment}"
        )
        return run_queries(con, "duckdb", rows, names, problems, facts)
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)


def run_queries(
    con: Any, engine: str, rows: int, files: list[str], problems: list[Problem], facts: JourneyFacts
) -> EventTables:
    for name, query in MATERIALIZED:
        con.execute(f"CREATE TEMP TABLE {name} AS {query}")
    results = {name: con.execute(query).fetchall() for name, query in QUERIES}
    tables = collect(engine, results, rows, facts)
    tables.files, tables.problems = files, problems
    return tables


def register_facts(con: Any, facts: JourneyFacts) -> None:
    tables = {
        "jm_touchpoints": (TOUCHPOINT_COLUMNS, touchpoint_table(facts)),
        "jm_flows": (("source", "target"), sorted(facts.flows)),
        "jm_requires": (("touchpoint", "required"), sorted(facts.requires)),
    }
    for name, (columns, rows) in tables.items():
        types = ", ".join(f"{c} {COLUMN_TYPES.get(c, 'VARCHAR')}" for c in columns)
        con.execute(f"CREATE TEMP TABLE {name} ({types})")
        if rows:
            con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' for _ in columns)})", rows)


def display(path: Path) -> str:
    from ..table import _display

    return _display(path)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return shown(text[0] if text else type(exc).__name__, 200)


def _reader(fmt: str, file: Path) -> str:
    path = literal(str(file))
    if fmt == "csv":
        return (f"read_csv({path}, header = true, all_varchar = true, store_rejects = true,"
                " hive_partitioning = false)")
    if fmt == "parquet":
        return f"read_parquet({path}, hive_partitioning = false)"
    return f"read_json({path}, format = 'newline_delimited', hive_partitioning = false)"


def file_scan(con: Any, fmt: str, file: Path, name: str, index: int) -> tuple[str | None, list[Problem]]:
    """The SELECT of one file's checked rows, or None and the problems that stop it.

    Its columns: customer, seconds, touchpoint, outcome, segment, file (``index``)
    and ``bad``, the kinds of :data:`KINDS` the row breaks, as bits (0: a good row).
    Each cell is trimmed and converted once (the inner SELECT), then checked.
    """
    import duckdb

    if file.stat().st_size == 0:
        return None, [Problem(Span(name, 1, 1), "empty", "the file is empty", "the first line names the columns")]
    if fmt == "csv" and file.suffix.lower() != ".gz":
        problem = _not_text(file, name)
        if problem is not None:
            return None, [problem]
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {_reader(fmt, file)}").fetchall()
    except duckdb.Error as exc:
        return None, [Problem(Span(name), "io", f"cannot read the {'CSV' if fmt == 'csv' else fmt} file: {first_line(exc)}")]
    types: dict[str, tuple[str, str]] = {}
    problems = []
    for column, kind, *_ in described:
        key = column.strip().lower().lstrip("\ufeff")
        if key in types:
            problems.append(Problem(Span(name, 1, 1), "duplicate-column", f"column '{shown(key)}' appears twice in the header"))
        types.setdefault(key, (column, kind))
    missing = [c for c in REQUIRED if c not in types]
    if missing:
        header = ", ".join(shown(c) for c in types) or "empty"
        problems.append(Problem(
            Span(name, 1, 1), "missing-column",
            f"the event log has no column{'s' * (len(missing) > 1)} {', '.join(repr(c) for c in missing)} (its header: {header})",
            f"the header must name the columns {', '.join(REQUIRED)}[, {', '.join(OPTIONAL)}]",
        ))
    for key in types:
        if key not in REQUIRED + OPTIONAL:
            problems.append(Problem(Span(name, 1, 1), "unknown-column", f"column '{shown(key)}' is not one journeymap reads; it is ignored", level="warning"))
    for key, (_, kind) in types.items():
        if key in REQUIRED + OPTIONAL and not _scalar(kind):
            problems.append(Problem(Span(name, 1, 1), "column-type", f"column '{key}' holds {kind} values, not text or numbers"))
    if any(p.is_error for p in problems):
        return None, problems

    def text(key: str) -> str:
        if key not in types:
            return "''"
        return f"COALESCE(TRIM(CAST({quote(types[key][0])} AS VARCHAR)), '')"

    segment_key = "segment" if "segment" in types else "persona"
    time_column, time_type = types["timestamp"]
    ts = quote(time_column)
    if time_type in _TEXT_TYPES:
        # ISO 8601 first (the usual case), with t and z in either case; the cast
        # needs them upper case, so UPPER runs only when the plain cast fails
        iso = ISO_PATTERN.replace("[T ]", "[Tt ]").replace("(Z|", "([Zz]|")
        stamp, empty = f"COALESCE(TRIM({ts}), '')", "stamp = ''"
        seconds = (f"CASE WHEN regexp_full_match(stamp, {literal(iso)})"
                   " THEN epoch(COALESCE(TRY_CAST(stamp AS TIMESTAMPTZ), TRY_CAST(UPPER(stamp) AS TIMESTAMPTZ)))"
                   f" WHEN regexp_full_match(stamp, {literal(NUMBER_PATTERN)}) THEN TRY_CAST(stamp AS DOUBLE) END")
    elif time_type in _NUMBER_TYPES or time_type.startswith("DECIMAL"):
        stamp, empty, seconds = ts, "stamp IS NULL", "CAST(stamp AS DOUBLE)"
    elif time_type.startswith("TIMESTAMP") or time_type == "DATE":
        stamp, empty, seconds = ts, "stamp IS NULL", "epoch(CAST(stamp AS TIMESTAMPTZ))"
    else:
        return None, [*problems, Problem(Span(name, 1, 1), "column-type", f"column 'timestamp' holds {time_type} values", "write ISO 8601 text, a timestamp type or seconds since 1970")]
    checks = (  # in the order of KINDS: bit 1, 2, 4, 8, 16
        "customer = ''", empty, f"NOT ({empty}) AND seconds IS NULL", "touchpoint = ''",
        "outcome NOT IN ('', 'success', 'failure')",
    )
    bad = " + ".join(f"CASE WHEN {check} THEN {1 << i} ELSE 0 END" for i, check in enumerate(checks))
    scan = (
        f"SELECT customer, seconds, touchpoint, outcome, segment, {int(index)} AS file, ({bad}) AS bad FROM ("
        f"SELECT customer, touchpoint, outcome, segment, stamp, {seconds} AS seconds FROM ("
        f"SELECT {text('customer')} AS customer, {stamp} AS stamp, {text('touchpoint')} AS touchpoint,"
        f" LOWER({text('outcome')}) AS outcome, {text(segment_key)} AS segment"
        f" FROM {_reader(fmt, file)}) cells) typed"
    )
    return scan, problems


def _not_text(file: Path, name: str) -> Problem | None:
    """An error when the start of a CSV is not UTF-8 text (a binary file, a Latin-1 export)."""
    with open(file, "rb") as stream:
        head = stream.read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return None  # a character cut by the 64 KiB window
        line = head[: exc.start].count(b"\n") + 1
        col = exc.start - (head.rfind(b"\n", 0, exc.start) + 1) + 1
        return Problem(
            Span(name, line, col), "encoding", f"the file is not UTF-8 text (byte 0x{head[exc.start]:02x})",
            "save it as UTF-8 (in Excel: 'CSV UTF-8')",
        )
    return None


def _scalar(kind: str) -> bool:
    return not any(mark in kind for mark in ("[", "STRUCT", "MAP", "UNION", "BLOB", "BIT"))


def rejected_rows(con: Any, names: dict[str, str]) -> list[Problem]:
    """One problem per (file, kind) of row DuckDB could not split into cells."""
    import duckdb

    try:
        rows = con.execute(
            "SELECT s.file_path, e.error_type, COUNT(*) OVER (PARTITION BY s.file_path, e.error_type),"
            " e.line, e.column_idx, e.error_message,"
            " ROW_NUMBER() OVER (PARTITION BY s.file_path, e.error_type ORDER BY e.line)"
            " FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)"
            # the first scan of each file only: the files are scanned more than once
            " WHERE e.scan_id = (SELECT MIN(scan_id) FROM reject_scans f WHERE f.file_path = s.file_path)"
            " QUALIFY ROW_NUMBER() OVER (PARTITION BY s.file_path, e.error_type ORDER BY e.line) <= 5"
            " ORDER BY s.file_path, e.error_type, e.line"
        ).fetchall()
    except duckdb.Error:
        return []  # no CSV was read: there is no rejects table
    grouped: dict[tuple[str, str], list[tuple[int, int, int, str]]] = {}
    for path, kind, count, line, column, message, _ in rows:
        grouped.setdefault((path, kind), []).append((int(count), int(line or 0), int(column or 1), message))
    problems = []
    for (path, kind), found in grouped.items():
        count, line, column, message = found[0]
        text = shown(message or kind.lower(), 120)
        if count > 1:
            lines = ", ".join(str(f[1]) for f in found[1:])
            text += f" (and {count - 1:,} more row{'s' * (count > 2)}: lines {lines}{', ...' if count > len(found) else ''}; those rows are left out)"
        else:
            text += " (the row is left out)"
        problems.append(Problem(
            Span(names.get(path, path), line, max(1, column)), "row-shape", text,
            "a cell holding a comma must be in double quotes" if "COLUMNS" in kind else None,
        ))
    return problems


def count_bad_rows(con: Any) -> tuple[int, dict[int, dict[tuple[str, str], int]], bool]:
    """(rows read, {file index: {(code, column): bad rows}}, whether any good row has a segment)."""
    sums = ", ".join(f"SUM(CASE WHEN (bad & {1 << i}) <> 0 THEN 1 ELSE 0 END)" for i in range(len(KINDS)))
    rows = 0
    segmented = False
    bad: dict[int, dict[tuple[str, str], int]] = {}
    query = (f"SELECT file, COUNT(*), SUM(CASE WHEN bad = 0 AND segment <> '' THEN 1 ELSE 0 END), {sums}"
             " FROM jm_events GROUP BY file ORDER BY file")
    for file, count, with_segment, *counts in con.execute(query).fetchall():
        rows += int(count)
        segmented = segmented or bool(with_segment)
        found = {kind: int(n or 0) for kind, n in zip(KINDS, counts, strict=True) if n}
        if found:
            bad[int(file)] = found
    return rows, bad, segmented


def locate(file: Path, name: str, counts: dict[tuple[str, str], int], con: Any) -> list[Problem]:
    """The problems of one file's bad rows, with the places of the first few of each kind."""
    from .locate import locate_bad_rows

    return locate_bad_rows(file, name, counts)
