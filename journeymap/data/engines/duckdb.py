"""The DuckDB engine: the default, embedded, streaming, with bounded memory.

Each file is read once through a SELECT that trims and converts every cell
once and marks the rules a row breaks as bits (``bad``, 0 for a good row).
The window pass of the shared SQL of :mod:`.sql` reads those rows as the files
are read, keeping the bad rows too, apart: the bad rows are counted per kind
from its table, and the rest of the shared SQL runs over the good ones (the
window pass and its table spill to a temporary folder past the memory limit).
With ``--persona``, the customers whose first event has that segment are chosen
from the window pass's table, whole. The places of bad rows (file, line, column) come from DuckDB's
rejects table for rows it cannot split into cells, and from a scan of the
file's first rows, which stops as soon as the first few of each kind are
found, for cells that break the rules.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...problems import Problem, Span
from . import EngineOptions, EventTables, JourneyFacts, chosen_segments, no_segments
from .rows import (
    CALL_BIT,
    CALL_KIND,
    DOTTED_PATTERN,
    ISO_PATTERN,
    KINDS,
    LOCAL_PATTERN,
    NO_CUSTOMER,
    NO_TIME,
    NUMBER_PATTERN,
    OPTIONAL,
    REQUIRED,
    SPACE_CLASS,
    TOOL_BIT,
    TOOL_KIND,
    ZERO_ID,
    call_sql,
    calls_of,
    column_key,
    customer_marks,
    dotted_iso_sql,
    float_timestamps,
    no_customer_sql,
    outcome_sql,
    partition_segment,
    reads_persona,
    seconds_sql,
    segment_sql,
    shown,
    tool_event_sql,
    within_years_sql,
    zero_is_no_id,
    zero_no_id,
    zone_in_force,
)
from .sources import Sources, resolve
from .sql import (
    FACT_COLUMNS,
    NUMBER_COLUMNS,
    VIEWS,
    collect,
    distinct_segments,
    fact_tables,
    flag,
    loop_numbers,
    persona_customers,
    segmented,
    statements,
    steps_flagged,
    unknown_number,
    unpacked,
)

if TYPE_CHECKING:
    from .python import Event

MEMORY_LIMIT = "1500MB"
"""DuckDB's own limit; past it, the tables spill to a temporary folder."""

_TEXT_TYPES = ("VARCHAR",)
_NUMBER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                 "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE")


def stripped(text: str) -> str:
    """SQL for ``text`` (a VARCHAR expression, not NULL) stripped as Python's ``str.strip()`` does.

    Only a non-empty cell whose first or last character is not printable ASCII
    (33..126) goes through the regular expression (the exact strip): every character
    ``str.strip()`` removes is below 33 or above 127. The first is ``ord``; the last,
    ``ord`` of the reversed text (DuckDB reverses by grapheme, and a grapheme that ends
    in a space either is that space or starts with a non-ASCII character). BETWEEN
    reads each ``ord`` once: at 10^7 cells the check costs ~0.35 s of wall time where
    ``<= 32 OR >= 128`` cost 0.65 s, ``left``/``right`` more, and TRIM keeps tabs anyway."""
    first, last = f"ord({text})", f"ord(reverse({text}))"
    return (
        f"CASE WHEN {text} = '' THEN '' WHEN {first} NOT BETWEEN 33 AND 126 OR {last} NOT BETWEEN 33 AND 126"
        f" THEN regexp_replace({text}, '^{SPACE_CLASS}+|{SPACE_CLASS}+$', '', 'g') ELSE {text} END"
    )


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def file_literal(path: Path | str) -> str:
    """A file's path for DuckDB's readers, as a literal that names that file only: DuckDB reads a path
    as a glob, so ``events [1].csv`` read ``events 1.csv`` and ``a*.csv`` read ``ab.csv`` too, in
    silence. Each of ``[``, ``*`` and ``?`` is written as a class of itself (``[[]``)."""
    return literal(re.sub(r"([\[*?])", r"[\1]", str(path)))


DAMAGED_HINT = "the file is damaged (cut short, or changed after it was written): export it again"


def damaged_file(name: str, why: str) -> Problem:
    """The error for a file of a log that could not be read to its end: its rows are left out, the other files read."""
    return Problem(Span(name), "io", f"cannot read this file of the event log: {why}; its rows are left out", DAMAGED_HINT)


def aggregate(paths: Sequence[Path], facts: JourneyFacts, options: EngineOptions) -> EventTables:
    return aggregate_each(paths, [(facts, options)])[0]


def aggregate_each(paths: Sequence[Path], runs: Sequence[tuple[JourneyFacts, EngineOptions]]) -> list[EventTables]:
    """:func:`aggregate` for each ``(facts, options)`` of ``runs`` (a persona's view of the journey and
    its segment; the options alike but for ``segment``), with the log's files read and checked once,
    in one connection: the map's persona filter reads the log once per persona, and each read checked
    the files again (7 reads of the grocery sample: 2.5 s of a 4.7 s render). Each run's problems are
    the files' (the same for every run) and its segment's.

    The first run's window pass is over every customer. A later run whose journey facts differ (a
    persona's view) sorts only the customers who have an event of its segment: its customers, whose
    segment is their first event's, are among them, with their whole paths. (If none of those has a
    segment on their first event, the run is sorted over every customer, as alone.)"""
    if not runs:
        return []
    sources = resolve(paths)
    problems = list(sources.problems)
    facts, options = runs[0]
    with _connection(options) as (con, scratch):
        checked = _checked(con, sources, facts, problems, scratch)
        if checked is None:
            return [EventTables("duckdb", problems=list(problems)) for _ in runs]
        rows, log = checked
        # what jm_checked_steps holds: the window pass for these facts, over every customer (None) or
        # over those with an event of one of these segment cells
        holds: tuple[object, tuple[str, ...] | None] = (sql_facts(facts), None)
        cells = ([row[0] for row in con.execute(distinct_segments("jm_checked_steps", " AND bad = 0")).fetchall()]
                 if len(runs) > 1 else [])  # a run alone chooses its segment's cells in _segment_run
        chosen = {o.segment: tuple(chosen_segments(cells, o)) for _, o in runs if o.segment is not None}
        wanted = sorted({cell for _, o in runs[1:] if o.segment is not None for cell in chosen[o.segment]})
        if wanted:  # each segment's customers: one more read of the rows, for all segments at once
            con.execute("CREATE TEMP TABLE jm_wanted (segment VARCHAR)")
            con.executemany("INSERT INTO jm_wanted VALUES (?)", [(w,) for w in wanted])
            con.execute("CREATE TEMP TABLE jm_candidates AS SELECT DISTINCT customer, segment FROM events"
                        " WHERE bad = 0 AND segment IN (SELECT segment FROM jm_wanted)")
        done: list[EventTables] = []
        for facts_now, options_now in runs:
            key = sql_facts(facts_now)
            segment = chosen[options_now.segment] if options_now.segment is not None else None
            if holds not in ((key, None), (key, segment)):
                if key != sql_facts(facts):  # another view of the journey: its facts
                    facts = facts_now
                    for name in FACT_COLUMNS:
                        con.execute(f"DROP TABLE IF EXISTS {name}")
                    register_facts(con, facts)
                holds = (key, _window_pass_of(con, facts, segment))
            # the last run's tables after the window pass
            con.execute("DROP VIEW IF EXISTS jm_steps")
            made = [name for name, _ in statements(facts_now)[0] if name not in VIEWS and name != "jm_packed_steps"]
            for table in ("jm_segment", "jm_persona", *made):
                con.execute(f"DROP TABLE IF EXISTS {table}")
            done.append(_segment_run(con, rows, log, list(problems), facts_now, options_now))
        return done


def _window_pass_of(con: Any, facts: JourneyFacts, segment: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The window pass of ``facts`` into ``jm_checked_steps``, over the customers with an event of one of
    the ``segment`` cells when some of them have a segment on their first event: those cells, or None (every customer)."""
    if segment:
        con.execute("CREATE OR REPLACE TEMP TABLE jm_these AS SELECT DISTINCT customer FROM jm_candidates"
                    f" WHERE segment IN ({', '.join('?' for _ in segment)})", list(segment))
    if segment and con.execute("SELECT COUNT(*) FROM jm_these").fetchall()[0][0]:
        con.execute("CREATE OR REPLACE TEMP VIEW jm_narrowed AS"
                    " SELECT * FROM events WHERE bad = 0 AND customer IN (SELECT customer FROM jm_these)")
        with planned_as_written(con):
            con.execute(f"CREATE OR REPLACE TEMP TABLE jm_checked_steps AS {_window_pass(facts, 'jm_narrowed')}")
        if con.execute(segmented("jm_checked_steps", " AND bad = 0")).fetchall()[0][0]:
            return segment
    with planned_as_written(con):
        con.execute(f"CREATE OR REPLACE TEMP TABLE jm_checked_steps AS {_window_pass(facts)}")
    return None


def sql_facts(facts: JourneyFacts) -> tuple[object, ...]:
    """What the shared SQL reads of ``facts``: two runs with the same share the window pass."""
    return tuple(sorted(fact_tables(facts).items())), tuple(loop_numbers(facts)), unknown_number(facts)


def _window_pass(facts: JourneyFacts, events: str = "events") -> str:
    return steps_flagged(unknown_number(facts), checked=True, loops=loop_numbers(facts), events=events)


def _segment_run(con: Any, rows: int, log: list[str], problems: list[Problem], facts: JourneyFacts,
                 options: EngineOptions) -> EventTables:
    """The tables of the window pass's good rows in ``jm_checked_steps`` (a segment's customers only, with one)."""
    good = " WHERE bad = 0"
    if options.segment is not None:
        if con.execute(segmented("jm_checked_steps", " AND bad = 0")).fetchall()[0][0]:
            cells = [row[0] for row in con.execute(distinct_segments("jm_checked_steps", " AND bad = 0")).fetchall()]
            con.execute("CREATE TEMP TABLE jm_segment (segment VARCHAR)")
            for cell in chosen_segments(cells, options):
                con.execute("INSERT INTO jm_segment VALUES (?)", [cell])
            con.execute(f"CREATE TEMP TABLE jm_persona AS {persona_customers('jm_checked_steps', ' AND bad = 0')}")
            good += " AND customer IN (SELECT customer FROM jm_persona)"
        else:
            problems.append(no_segments(log, options.segment))
    con.execute(f"CREATE TEMP VIEW jm_steps AS {unpacked('jm_checked_steps', good)}")
    return run_queries(con, "duckdb", rows, log, problems, facts, done={"jm_packed_steps", "jm_steps"})


def checked_events(paths: Sequence[Path], facts: JourneyFacts, options: EngineOptions) -> tuple[list[Event], int, list[Problem], list[str]]:
    """(the log's good events, the rows read, the problems, the log's names), as DuckDB reads and
    checks them before any aggregate: what ``python.checked_events`` gives for the same log."""
    sources = resolve(paths)
    problems = list(sources.problems)
    with _connection(options) as (con, scratch):
        checked = _checked(con, sources, facts, problems, scratch)
        if checked is None:
            return [], 0, problems, []
        found = con.execute("SELECT customer, seconds, touchpoint, outcome, segment FROM events WHERE bad = 0").fetchall()
        return [tuple(row) for row in found], checked[0], problems, checked[1]  # type: ignore[misc]


@contextmanager
def _connection(options: EngineOptions) -> Iterator[tuple[Any, Path]]:
    """(a new in-memory connection set up as the engine runs, a scratch folder for it), both gone after."""
    with connected("journeymap-duckdb-", options.memory_limit or MEMORY_LIMIT, options.threads) as opened:
        yield opened


@contextmanager
def connected(prefix: str, memory_limit: str, threads: int | None, in_order: bool = False) -> Iterator[tuple[Any, Path]]:
    """(a new in-memory connection, its scratch folder named from ``prefix``), both gone after: UTC,
    ``memory_limit`` then spilling to the folder, ``threads`` (or every core), no progress bar; the
    order rows were inserted in is kept only ``in_order``."""
    import duckdb

    scratch = tempfile.mkdtemp(prefix=prefix)
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"SET memory_limit = {literal(memory_limit)}")
        con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
        con.execute(f"SET temp_directory = {literal(scratch)}")
        con.execute(f"SET preserve_insertion_order = {'true' if in_order else 'false'}")
        con.execute("SET enable_progress_bar = false")
        yield con, Path(scratch)
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _checked(con: Any, sources: Sources, facts: JourneyFacts, problems: list[Problem], scratch: Path) -> tuple[int, list[str]] | None:
    """(the rows read, the log's names), the files' rows being in the view ``events`` and the window
    pass's in ``jm_checked_steps``, every bad row's problem placed in ``problems``; None if no file
    could be read."""
    import duckdb

    register_facts(con, facts)
    scans: list[str] = []
    names: list[str] = []  # by file index
    read_files: list[Path] = []
    split: set[str] = set()  # files read from the reference's split: their rows are not DuckDB's
    copies: dict[str, str] = {}  # a copy read without a file's padding -> the file
    for fmt, files in sources.files.items():
        for file in files:
            name = display(file)
            scan, found = file_scan(con, fmt, file, name, len(names), scratch, split, copies)
            problems += found
            if scan is not None:
                scans.append(scan)
                names.append(name)
                read_files.append(file)
    if not scans:
        return None
    if (zone := zone_in_force()) is not None:
        problems += zone_data(con, zone.key, names)
    # The window pass reads every row once, as the files are read, and keeps the bad ones
    # too, apart: they are counted from its table. A segment (--persona) then chooses whole
    # customers from that table, by the segment of their first event. A file found damaged
    # only then (a Parquet page that does not decompress) is left out, said, and the pass
    # runs again without it: one bad part of a folder does not lose the others.
    kept = list(range(len(scans)))
    zero = False  # customer 0 read as no customer (rows.zero_is_no_id)
    while True:
        log = sources.names([(read_files[i], names[i]) for i in kept])  # the log's name in messages about all of it
        try:
            union = "\nUNION ALL\n".join(scans[i] for i in kept)
            con.execute(f"CREATE OR REPLACE TEMP VIEW events AS {union}")
            with planned_as_written(con):
                con.execute(f"CREATE OR REPLACE TEMP TABLE jm_checked_steps AS {_window_pass(facts)}")
            rows, bad, zeros = count_bad_rows(con, "jm_checked_steps")
            if not zero and zero_is_no_id(*zeros):  # customer 0 stands for visitors without an id: its rows are bad rows
                zero = True
                plain, marked = (no_customer_sql("customer", literal, marks) for marks in (NO_CUSTOMER, NO_CUSTOMER + (ZERO_ID,)))
                scans = [scan.replace(plain, marked) for scan in scans]
                continue
            break
        except duckdb.Error as exc:
            damaged = next((i for i in kept if str(read_files[i]) in str(exc)), None) if len(kept) > 1 else None
            if damaged is None:
                problems.append(Problem(Span(", ".join(log)), "io", f"cannot read the event log: {first_line(exc)}",
                                        DAMAGED_HINT if "parquet" in str(exc).lower() else None))
                return None
            problems.append(damaged_file(names[damaged], first_line(exc)))
            kept.remove(damaged)
    read_as = {str(path): name for path, name in zip(read_files, names, strict=True) if str(path) not in split}
    problems += rejected_rows(con, read_as | {copy: read_as[file] for copy, file in copies.items() if file in read_as})
    with zero_no_id() if zero else nullcontext():
        for index, counts in bad.items():
            problems += locate(read_files[index], names[index], counts, con)
    return rows, log


def run_queries(
    con: Any, engine: str, rows: int, files: list[str], problems: list[Problem], facts: JourneyFacts,
    done: set[str] | frozenset[str] = frozenset(),
) -> EventTables:
    """Materialise the shared tables (but those ``done`` already) and run the shared queries."""
    materialized, queries = statements(facts)
    for name, query in materialized:
        if name not in done:
            con.execute(f"CREATE TEMP {'VIEW' if name in VIEWS else 'TABLE'} {name} AS {query}")
    results = {name: con.execute(query).fetchall() for name, query in queries}
    tables = collect(engine, results, rows, facts)
    tables.files, tables.problems = files, problems
    return tables


@contextmanager
def planned_as_written(con: Any) -> Iterator[None]:
    """Hash joins build on the side the SQL puts on the right (the journey's small tables).

    DuckDB flips a join to build on the side it estimates smaller, and it cannot estimate
    the rows of a CSV or JSON file read with a fixed dialect (it guesses a few dozen): it
    then built on the window pass's 10^7 rows and took twice as long. If a DuckDB release
    names its optimizers otherwise, it plans as it likes (the numbers are the same)."""
    import duckdb

    try:
        con.execute("SET disabled_optimizers = 'build_side_probe_side'")
    except duckdb.Error:
        yield
        return
    try:
        yield
    finally:
        con.execute("RESET disabled_optimizers")


def register_facts(con: Any, facts: JourneyFacts) -> None:
    for name, rows in fact_tables(facts).items():
        columns = FACT_COLUMNS[name]
        types = ", ".join(f"{c} {NUMBER_COLUMNS[name].get(c, 'VARCHAR')}" for c in columns)
        con.execute(f"CREATE TEMP TABLE {name} ({types})")
        if rows:
            con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' for _ in columns)})", rows)


def display(path: Path) -> str:
    from ..table import _display

    return _display(path)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return shown(text[0] if text else type(exc).__name__, 200)


def _reader(fmt: str, file: Path, keys: list[str] | None = None, delimiter: str | None = None, skip: int = 0) -> str:
    """The table function that reads ``file``; ``skip``: the lines above a CSV's header (Excel's ``sep=;``)."""
    path = file_literal(file)
    if fmt == "csv":
        if keys is not None and delimiter is not None:
            # The reference reader's dialect (the header's delimiter, RFC 4180 quotes), not
            # DuckDB's sniffer: a broken row in the first lines could make it choose no quote
            # at all, or fail on the whole file. Strict: a row with more cells is rejected.
            columns = ", ".join(f"{literal(key or f'_jm_unnamed{i}')}: 'VARCHAR'" for i, key in enumerate(keys))
            return (f"read_csv({path}, header = true, skip = {int(skip)}, auto_detect = false, delim = {literal(delimiter)},"
                    f" quote = '\"', escape = '\"', columns = {{{columns}}}, store_rejects = true,"
                    " strict_mode = true, hive_partitioning = false)")
        return (f"read_csv({path}, header = true, all_varchar = true, store_rejects = true,"
                " hive_partitioning = false)")
    if fmt == "parquet":
        return f"read_parquet({path}, hive_partitioning = false)"
    # A line that is not JSON is left out here and counted by the reference reader (see file_scan).
    # Every key as JSON, the keys found by the reference reader: DuckDB's own sampling
    # falls back to one column when a line is not an object.
    columns = ", ".join(f"{literal(key)}: 'JSON'" for key in keys or () if key)  # a key '' is no column
    return (f"read_json({path}, format = 'newline_delimited', hive_partitioning = false,"
            f" ignore_errors = true, records = true, columns = {{{columns}}})")


def file_scan(
    con: Any, fmt: str, file: Path, name: str, index: int, scratch: Path | None = None, split: set[str] | None = None,
    copies: dict[str, str] | None = None,
) -> tuple[str | None, list[Problem]]:
    """The SELECT of one file's checked rows, or None and the problems that stop it.

    Its columns: customer, seconds, touchpoint, outcome, segment, file (``index``)
    and ``bad``, the kinds of :data:`KINDS` the row breaks, as bits (0: a good row).
    Each cell is trimmed and converted once (the inner SELECT), then checked.

    The header, the encoding of the file's start, a cut-short gzip and, in a
    JSON lines file, the lines that are not objects and the cells that are
    objects or lists, are checked by the reference reader (:mod:`.locate`), so
    that every engine says the same; DuckDB counts the bad cells of the rest.
    """
    import duckdb

    from .locate import (
        csv_header,
        json_header_problems,
        json_key_lines,
        json_records,
        padding_of,
        scan_start,
        separator_above,
        without_lines,
        without_padding,
    )
    from .rows import WHOLE_FILE_KINDS, BadRows, column_type, header_problems, no_rows

    problems: list[Problem] = []
    spaced: bool | None = None  # a quote after a space, when the start's check read the whole file (gzip)
    problems, spaced = scan_start(file, name)  # a Parquet file's too: CSV named .parquet was "damaged"
    if problems:
        return None, problems
    keys = delimiter = None
    if fmt == "csv":
        keys, delimiter, problems = csv_header(file, name)
        if any(p.is_error for p in problems):
            return None, problems
    read_from = file
    if scratch is not None and padding_of(file) is not None:  # NULs or a DOS end-of-file mark after the last row
        read_from = without_padding(file, scratch / f"file{index}-rows{'.jsonl' if fmt == 'json' else '.csv'}")
        if copies is not None:
            copies[str(read_from)] = str(file)
    json_bad = BadRows()
    if fmt == "json":
        lines = json_key_lines(file)
        keys = list(lines)
        # keys that differ only in case are one column twice (and DuckDB cannot name both)
        problems = json_header_problems(name, lines, file)
        if not keys or any(p.is_error for p in problems):
            return None, problems
        for _ in json_records(file, name, json_bad, keys):
            pass
        if json_bad.left_out and scratch is not None:  # DuckDB takes a trailing comma and keeps a key's first value
            read_from = without_lines(file, json_bad.left_out, scratch / f"file{index}.jsonl")
    reader = _reader(fmt, read_from, keys, delimiter, separator_above(file) if fmt == "csv" else 0)
    if fmt == "csv" and scratch is not None:
        from .locate import header_is_plain, spaced_quote

        try:
            con.execute(f"SELECT COUNT(*) FROM (SELECT * FROM {reader} LIMIT 1)").fetchall()
            by_reference = not header_is_plain(file) or (spaced_quote(file) if spaced is None else spaced)
        except duckdb.Error:
            by_reference = True
        if by_reference:
            # DuckDB's strict parser stops on a lone CR (an old Mac line break) and its sniffer
            # cannot tell such a file's dialect, it reads a header with a stray quote as a row that
            # runs to the end of the file, and it reads `` "x"`` as ``x``: the reference reader splits
            # such a file, DuckDB reads its rows.
            from .locate import split_by_reference

            keys, found = split_by_reference(file, name, scratch / f"file{index}.csv")
            if split is not None:  # the reference placed its bad rows; the probe's rejects are not counted again
                split.add(str(file))
            problems += found
            reader = _reader(fmt, scratch / f"file{index}.csv", keys, ",")
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    except duckdb.Error as exc:
        return None, [*problems, Problem(Span(name), "io", f"cannot read the {'CSV' if fmt == 'csv' else fmt} file: {first_line(exc)}",
                                         DAMAGED_HINT if fmt == "parquet" else None)]
    types: dict[str, tuple[str, str]] = {}
    for column, kind, *_ in described:
        types.setdefault(column_key(column), (column, kind))
    if fmt == "parquet":
        problems += header_problems(name, 1, parquet_columns(con, file))
    if fmt == "parquet":
        footer = con.execute(f"SELECT COALESCE(SUM(num_rows), 0) FROM parquet_file_metadata({file_literal(file)})")
        if not footer.fetchall()[0][0]:
            problems.append(no_rows(name, None))
    nested: dict[str, str] = {}  # JSON columns whose objects and lists are bad cells: key -> SQL true for one
    if fmt == "json":
        counts = {key: found.count for key, found in json_bad.kinds.items() if key[0] in (*WHOLE_FILE_KINDS, "not-scalar")}
        problems += json_bad.problems(name, counts)
        for key, (column, kind) in types.items():
            if kind == "JSON":
                nested[key] = f"COALESCE(json_type({quote(column)}) IN ('OBJECT', 'ARRAY'), false)"
            elif not _scalar(kind):
                nested[key] = f"{quote(column)} IS NOT NULL"
    for key, (_, kind) in types.items():
        if key in REQUIRED + OPTIONAL and not _scalar(kind) and key not in nested:
            problems.append(column_type(name, key, kind))
    if any(p.is_error and p.code in ("duplicate-column", "missing-column", "column-type") for p in problems):
        return None, problems

    def text(key: str) -> str:
        """The cell as text, '' when missing (stripped a layer up, so each is computed once)."""
        if key not in types:
            return "''"
        column, kind = types[key]
        if kind == "JSON":
            # A JSON number with a fraction or an exponent as Python writes a float (repr: '1e+16'),
            # as the reference does; DuckDB's JSON text of it is '10000000000000000.0'. (DuckDB's cast
            # of a DOUBLE to text is that shortest form.)
            # An integer past 64 bits is a DOUBLE to DuckDB but keeps its digits in the text, as in Python.
            cell, written = quote(column), f"json_extract_string({quote(column)}, '$')"
            value = (f"CASE WHEN json_type({cell}) = 'DOUBLE' AND regexp_matches({written}, '[.eE]')"
                     f" THEN CAST(CAST({cell} AS DOUBLE) AS VARCHAR) ELSE {written} END")
        else:
            value = f"CAST({quote(column)} AS VARCHAR)"
        return f"COALESCE({value}, '')"

    segment_key = "persona" if reads_persona(types) else "segment"
    segment = segment_sql(stripped("r_segment"), literal)
    partition = partition_segment(str(file.absolute()))
    if partition:  # a row without a segment of its own takes its folder's (segment=...)
        segment = f"CASE WHEN {segment} = '' THEN {literal(partition)} ELSE {segment} END"
    time_column, time_type = types["timestamp"]
    ts = quote(time_column)
    wall = "NULL"  # a date and a time without a zone, as a TIMESTAMP: local time within --events-time-zone
    if time_type in _TEXT_TYPES or time_type == "JSON" or "timestamp" in nested:
        # ISO 8601 first (the usual case), with t and z in either case; the cast
        # needs them upper case, so UPPER runs only when the plain cast fails
        iso = ISO_PATTERN.replace("[T ]", "[Tt ]").replace("(Z| UTC|", "([Zz]| [Uu][Tt][Cc]|")
        stamp, stamp_cell, empty = text("timestamp"), stripped("r_stamp"), no_customer_sql("stamp", literal, NO_TIME)
        dotted = f"TRY_CAST({dotted_iso_sql('stamp', literal)} AS TIMESTAMPTZ)"
        seconds = (f"CASE WHEN regexp_full_match(stamp, {literal(iso)})"
                   f" THEN {seconds_of(STAMP_CASTS)}"
                   f" WHEN regexp_full_match(stamp, {literal(NUMBER_PATTERN)}) THEN {seconds_sql('TRY_CAST(stamp AS DOUBLE)')}"
                   # a date with dots, day first (05.01.2026 09:14): only rows neither ISO 8601 nor a number get here
                   f" WHEN regexp_full_match(stamp, {literal(DOTTED_PATTERN)})"
                   f" THEN {seconds_of(dotted)} END")
        local = LOCAL_PATTERN.replace("[T ]", "[Tt ]")
        wall = (f"CASE WHEN regexp_full_match(stamp, {literal(local)}) THEN CAST({STAMP_CASTS} AS TIMESTAMP)"
                f" WHEN regexp_full_match(stamp, {literal(DOTTED_PATTERN)}) AND regexp_extract(stamp, {literal(DOTTED_PATTERN)}, 4) <> ''"
                f" THEN CAST({dotted} AS TIMESTAMP) END")
    elif time_type in _NUMBER_TYPES or time_type.startswith("DECIMAL"):
        stamp, stamp_cell, empty, seconds = ts, "r_stamp", "stamp IS NULL", seconds_sql("CAST(stamp AS DOUBLE)")
        if time_type == "FLOAT":  # 24 bits: each time rounded to about 2 minutes
            problems.append(float_timestamps(name))
    elif time_type == "TIMESTAMP_NS":  # nanoseconds since 1970, read as such a count is (Spark has no such type)
        stamp, stamp_cell, empty, seconds = ts, "r_stamp", "stamp IS NULL", seconds_sql("CAST(epoch_ns(stamp) AS DOUBLE)")
    elif time_type.startswith("TIMESTAMP") or time_type == "DATE":
        stamp, stamp_cell, empty, seconds = ts, "r_stamp", "stamp IS NULL", seconds_of("CAST(stamp AS TIMESTAMPTZ)")
        if time_type in ("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS"):  # a Parquet time not adjusted to UTC: local time
            wall = "CAST(stamp AS TIMESTAMP)"
    else:
        return None, [*problems, column_type(name, "timestamp", time_type)]
    checks = (  # in the order of KINDS: bit 1, 2, 4, 8, 16
        no_customer_sql("customer", literal, customer_marks()), empty, f"NOT ({empty}) AND seconds IS NULL", no_customer_sql("touchpoint", literal),
        "outcome NOT IN ('', 'success', 'failure')",
    )
    bits = " + ".join(f"CASE WHEN {check} THEN {1 << i} ELSE 0 END" for i, check in enumerate(checks))
    # A row with an object or list cell is one bad row (counted from the reference reader above),
    # not also a bad timestamp: its own bit, past KINDS, keeps it out of the good rows only.
    skip = " OR ".join(sql for key, sql in nested.items() if key in REQUIRED + OPTIONAL) or "false"
    # Segment's identify, page, screen, group and alias calls: no events, skipped (their own bit, counted apart)
    call = call_sql(stripped(text("type")), literal) if calls_of(types) else "false"
    # an analytics tool's own event ($identify, session_start): no step, skipped (a bit of its own)
    tool = tool_event_sql("touchpoint", literal)
    where = ""
    if fmt == "json":  # a line that is not JSON comes back as a row of nulls; a line of nulls is skipped
        where = " WHERE " + " OR ".join(f"{quote(column)} IS NOT NULL" for column, _ in types.values())
    read = (f"SELECT {stripped('r_customer')} AS customer, {stamp_cell} AS stamp, {stripped('r_touchpoint')} AS touchpoint,"
            f" LOWER({stripped('r_outcome')}) AS outcome, {segment} AS segment, nested, call FROM ("
            f"SELECT {text('customer')} AS r_customer, {stamp} AS r_stamp, {text('touchpoint')} AS r_touchpoint,"
            f" {text('outcome')} AS r_outcome, {text(segment_key)} AS r_segment, ({skip}) AS nested, ({call}) AS call"
            f" FROM {reader}{where}) raw")
    cells, moment = f"({read}) cells", seconds
    if (zone := zone_in_force()) is not None and wall != "NULL":
        # a time without a zone as local time in the zone (--events-time-zone), from its wall time, one layer down
        cells = (f"(SELECT customer, touchpoint, outcome, segment, stamp, nested, call, {seconds} AS moment, {wall} AS wall"
                 f" FROM {cells}) walls")
        moment = f"CASE WHEN wall IS NOT NULL THEN CAST({local_micros('wall', zone.key)} AS DOUBLE) / 1000000 ELSE moment END"
    scan = (
        f"SELECT customer, seconds, touchpoint, outcome, segment, {int(index)} AS file,"
        f" CASE WHEN nested THEN {1 << len(KINDS)} WHEN call THEN {CALL_BIT} WHEN {tool} THEN {TOOL_BIT} ELSE {bits} END AS bad FROM ("
        f"SELECT customer, touchpoint, outcome, segment, stamp, nested, call, {within_years_sql('moment')} AS seconds FROM ("
        # NULL, N/A and the like are no outcome: on the column below, so that the cell is stripped and
        # lowered once (in one expression DuckDB computed it twice: +0.4 s of CPU a 5M rows)
        f"SELECT customer, touchpoint, {outcome_sql('outcome')} AS outcome, segment, stamp, nested, call, {moment} AS moment FROM "
        f"{cells}) typed) bounded"
    )
    return scan, problems


# An ISO 8601 text (the pattern checked) as a TIMESTAMPTZ: the cast needs T and Z upper case and a
# point before the fraction, so UPPER and the comma's replacement run only for rows the plain cast
# fails on (COALESCE evaluates an argument only for the rows still NULL).
STAMP_CASTS = ("COALESCE(TRY_CAST(stamp AS TIMESTAMPTZ), TRY_CAST(UPPER(stamp) AS TIMESTAMPTZ),"
               " TRY_CAST(replace(UPPER(stamp), ',', '.') AS TIMESTAMPTZ),"
               # a space before the offset (Snowflake's 08:31:00.123 -0700), which the cast refuses
               " TRY_CAST(regexp_replace(replace(UPPER(stamp), ',', '.'), ' ([+-])', '\\1') AS TIMESTAMPTZ))")


ZONE_DATA_YEARS = (1970, 2038)
"""The years over which DuckDB's zone data are held to zoneinfo's (:func:`zone_data`)."""


def zone_data(con: Any, zone: str, names: Sequence[str]) -> list[Problem]:
    """A warning when DuckDB's zone data (ICU's, in its wheel) give ``zone`` another offset than the system's zoneinfo
    (the reference's) at some moment of :data:`ZONE_DATA_YEARS`, every 6 hours: a zone whose rules changed in one
    and not yet in the other (British Columbia's clocks kept on summer time from November 2026 in the system's data,
    not in DuckDB 2.0's), whose local times this engine reads an hour apart from the reference from then."""
    from datetime import datetime, timedelta
    from datetime import timezone as utc_zone
    from zoneinfo import ZoneInfo

    start, end = (datetime(year, 1, 1, tzinfo=utc_zone.utc) for year in ZONE_DATA_YEARS)
    step = timedelta(hours=6)
    theirs = con.execute(
        f"SELECT epoch_us(timezone({literal(zone)}, t)) - epoch_us(t) FROM ("
        f"SELECT unnest(generate_series(TIMESTAMPTZ '{start:%Y-%m-%d}', TIMESTAMPTZ '{end:%Y-%m-%d}', INTERVAL 6 HOUR)) AS t)"
        " ORDER BY t").fetchall()
    local = ZoneInfo(zone)
    for index, (offset,) in enumerate(theirs):
        moment = start + index * step
        ours = moment.astimezone(local).utcoffset()
        if ours is not None and offset != ours // timedelta(microseconds=1):
            apart = abs(offset - ours // timedelta(microseconds=1)) / 60_000_000
            return [Problem(
                Span(", ".join(names) or "event log"), "zone-data",
                f"DuckDB's time zone data give {zone} another offset than this system's zone database from"
                f" {moment:%Y-%m-%d %H:%M} UTC ({apart:g} minutes apart): one of them has the zone's rules of an older"
                " release, and the local times of the log from then are read by DuckDB's (the python engine reads them by"
                " the system's)",
                "update the older one (pip install -U duckdb, or the system's tzdata package), or read the log with"
                " --engine python, which reads them by the system's zone database",
                level="warning",
            )]
    return []


def local_micros(wall: str, zone: str) -> str:
    """SQL: microseconds since 1970 of the TIMESTAMP ``wall`` read as local time in the IANA zone ``zone``, as
    Python's zoneinfo reads it with fold=0 (:func:`.rows.events_time_zone`). DuckDB's ``timezone()`` (ICU) reads a
    time the clocks skipped so too (02:30 is 03:30 summer time), but a time they repeat as its last occurrence:
    the first is the moment the offset of the day before gives, when that moment shows the same wall time."""
    name = literal(zone)
    last = f"timezone({name}, {wall})"
    before = f"({last} - INTERVAL 1 DAY)"
    offset = f"(epoch_us(timezone({name}, {before})) - epoch_us({before}))"
    first = f"(epoch_us({wall}) - {offset})"
    shows = f"epoch_us(timezone({name}, make_timestamp({first}) AT TIME ZONE 'UTC')) - {first} = {offset}"
    return f"CASE WHEN {first} < epoch_us({last}) AND {shows} THEN {first} ELSE epoch_us({last}) END"


def seconds_of(moment: str) -> str:
    """SQL: seconds since 1970 of a TIMESTAMPTZ, as the reference computes them: whole microseconds, then one
    division (Spark: ``unix_micros / 1000000``). DuckDB's ``epoch()`` is one bit off for a quarter of the
    moments with microseconds (``epoch(TIMESTAMPTZ '2022-04-29 18:35:08.404554')`` is 1651257308.4045541),
    so flow times differed from the other engines' in their last digits. NULL for infinity, as ``epoch()``."""
    return f"CAST(epoch_us({moment}) AS DOUBLE) / 1000000"


def parquet_columns(con: Any, file: Path) -> list[str]:
    """A Parquet file's column names as written. DuckDB's DESCRIBE renames a second ``touchpoint``, or a
    ``Touchpoint`` beside it, to ``touchpoint_1`` and reads the first: a duplicate column read silently."""
    names: list[str] = []
    rows = con.execute(f"SELECT name, COALESCE(num_children, 0) FROM parquet_schema({file_literal(file)})").fetchall()
    left = [int(rows[0][1])] if rows else []  # children still to come at each depth (the root first)
    for column, children in rows[1:]:
        if len(left) == 1:
            names.append(str(column))
        left[-1] -= 1
        if children:
            left.append(int(children))
        while len(left) > 1 and left[-1] == 0:
            left.pop()
    return names


def _scalar(kind: str) -> bool:
    return not any(mark in kind for mark in ("[", "STRUCT", "MAP", "UNION", "BLOB", "BIT"))


_SHAPE_ERRORS = {"MISSING COLUMNS": "row-shape", "TOO MANY COLUMNS": "row-shape", "UNQUOTED VALUE": "row-shape",
                 "LINE SIZE OVER MAXIMUM": "row-shape", "INVALID UNICODE": "encoding", "INVALID ENCODING": "encoding"}
"""DuckDB's reject kinds that the reference reader finds too, with the kind it gives them. A row past
2 MiB is one: DuckDB records it with its short or extra cells too, whose column was shown (3:6 where the
reference said 3:1), and without the lines of the rows after the first."""


def rejected_rows(con: Any, names: dict[str, str]) -> list[Problem]:
    """One problem per (file, kind) of row DuckDB could not split into cells.

    A row is counted once (DuckDB records one error per missing or extra
    cell); the words and places are the reference reader's (:mod:`.locate`),
    so every engine reports the same row at the same place.
    """
    import duckdb

    from .locate import locate_bad_rows

    # A line DuckDB rejects for more than one reason is one bad row, of the reason the reference
    # gives: bytes that are not UTF-8 first (the reference stops reading such a row there).
    encoding = ", ".join(literal(kind) for kind, code in _SHAPE_ERRORS.items() if code == "encoding")
    first = f"CASE WHEN CAST(e.error_type AS VARCHAR) IN ({encoding}) THEN 0 ELSE 1 END"
    try:
        rows = con.execute(
            "SELECT file_path, error_type, COUNT(*), MIN(line), FIRST(column_idx ORDER BY line) FROM ("
            f"  SELECT s.file_path, e.line, ARG_MIN(CAST(e.error_type AS VARCHAR), {first}) AS error_type,"
            f"    ARG_MIN(e.column_idx, {first}) AS column_idx"
            "   FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)"
            # the first scan of each file only: the files are scanned more than once
            "   WHERE e.scan_id = (SELECT MIN(scan_id) FROM reject_scans f WHERE f.file_path = s.file_path)"
            # a line of spaces and tabs is a blank line to the reference (skipped), not a short row
            f"    AND NOT COALESCE(regexp_full_match(e.csv_line, '{SPACE_CLASS}*'), false)"
            "   GROUP BY s.file_path, e.line"
            ") GROUP BY file_path, error_type ORDER BY file_path, MIN(line)"
        ).fetchall()
    except duckdb.Error:
        return []  # no CSV was read: there is no rejects table
    from .locate import has_invalid_utf8

    shapes: dict[str, dict[tuple[str, str], int]] = {}
    problems = []
    utf8: dict[str, bool] = {}  # path -> all UTF-8 (one decoding pass a file)
    for path, kind, count, line, column in rows:
        if path not in names:
            continue  # a file read from the reference's split: its rows were placed by the reference
        code = _SHAPE_ERRORS.get(str(kind))
        if code == "encoding" and path not in utf8:
            utf8[path] = not has_invalid_utf8(Path(path))
        if code == "encoding" and utf8[path]:
            code = "row-shape"  # DuckDB says so of some rows it cannot split in a file that is all UTF-8
        if code is not None:
            counts = shapes.setdefault(path, {})
            counts[(code, "")] = counts.get((code, ""), 0) + int(count)
            continue
        count = int(count)
        text = f"this row cannot be split into cells ({str(kind).lower()})"
        text += (f" (and {count - 1:,} more row{'s' * (count > 2)}; those rows are left out)" if count > 1
                 else " (the row is left out)")
        problems.append(Problem(Span(names[path], int(line or 0), max(1, int(column or 1))), "row-shape", text,
                                "a cell holding a comma or a quote must be in double quotes"))
    for path, counts in shapes.items():
        problems += locate_bad_rows(Path(path), names[path], counts)
    return problems


def count_bad_rows(con: Any, steps: str) -> tuple[int, dict[int, dict[tuple[str, str], int]], tuple[int, int]]:
    """(rows read, {file index: {(code, column): bad rows}}, (customer 0's events, the most of any other customer's))
    from the table ``steps`` of :func:`.sql.steps_flagged` with ``checked``: the good rows are counted from each
    customer's last step (whose step is the customer's count of events: :func:`.rows.zero_is_no_id` reads them)."""
    sums = ", ".join(f"SUM(CASE WHEN (bad & {1 << i}) <> 0 THEN 1 ELSE 0 END)" for i in range(len(KINDS)))
    bad: dict[int, dict[tuple[str, str], int]] = {}
    good = con.execute(f"SELECT SUM(step), MAX(CASE WHEN customer = '{ZERO_ID}' THEN step END),"
                       f" MAX(CASE WHEN customer <> '{ZERO_ID}' THEN step END)"
                       f" FROM {steps} WHERE bad = 0 AND {flag('ends')} AND next_tp IS NULL")
    total, zero, others = good.fetchall()[0]
    rows = int(total or 0)
    for file, count, calls, tools, *counts in con.execute(
        f"SELECT file, COUNT(*), SUM(CASE WHEN bad = {CALL_BIT} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN bad = {TOOL_BIT} THEN 1 ELSE 0 END), {sums} FROM {steps} WHERE bad <> 0 GROUP BY file ORDER BY file"
    ).fetchall():
        rows += int(count) - int(calls or 0) - int(tools or 0)  # Segment's calls and tools' own events are no rows
        found = {kind: int(n or 0) for kind, n in zip(KINDS, counts, strict=True) if n}
        if calls:
            found[CALL_KIND] = int(calls)
        if tools:
            found[TOOL_KIND] = int(tools)
        if found:
            bad[int(file)] = found
    return rows, bad, (int(zero or 0), int(others or 0))


def locate(file: Path, name: str, counts: dict[tuple[str, str], int], con: Any) -> list[Problem]:
    """The problems of one file's bad rows, with the places of the first few of each kind."""
    from .locate import locate_bad_rows

    return locate_bad_rows(file, name, counts)
