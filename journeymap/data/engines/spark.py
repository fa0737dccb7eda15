"""The Spark engine: the same SQL as DuckDB, for logs that outgrow one machine.

Local mode (``local[2]``) by default; ``spark_master`` for a cluster, or
``spark_remote`` (``sc://host:port``) for Spark Connect. A session that is
already running is used as it is (and left running); one started here is
stopped at the end. Files, globs and folders on this machine are resolved
here; a URL (``s3a://``, ``hdfs://``, ``abfss://``) goes to Spark as it is.

Bad rows are counted in Spark SQL with the rules of :mod:`.rows`; their
places are found by scanning the local file's first rows (a remote file gets
the counts without places). Rows Spark cannot split into the header's cells
are counted through its corrupt-record column, never dropped.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ...problems import Problem, Span
from . import EngineOptions, EventTables, JourneyFacts, chosen_segments, no_segments
from .rows import (
    CALL_KIND,
    DOTTED_PATTERN,
    ISO_PATTERN,
    KINDS,
    LOCAL_PATTERN,
    NO_TIME,
    NUMBER_PATTERN,
    OPTIONAL,
    REQUIRED,
    SPACE_CLASS,
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
from .sources import Sources, file_format, resolve
from .sql import (
    FACT_COLUMNS,
    NUMBER_COLUMNS,
    VIEWS,
    collect,
    distinct_segments,
    fact_tables,
    persona_customers,
    segmented,
    statements,
    unpacked,
)

if TYPE_CHECKING:
    from .python import Event

CORRUPT = "_jm_corrupt"

T = TypeVar("T")


SMALL_LOG_BYTES = 16 * 1024 * 1024
"""A log whose local files hold at most this many bytes is small: Spark started here for it in local mode
runs the JVM with :data:`SMALL_LOG_JVM` and one shuffle partition, without adaptive re-planning."""

SMALL_LOG_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
"""The JVM's options for a small log. On a log of a few hundred thousand events Spark's time goes to
starting and warming up the JVM and to planning and compiling each query, not to the data: the JIT's
quick tier only (no C2 compiles of code that runs once) and the serial collector. On the 2 MB sample log
(319,382 events) a report took 65-90 s with them against 117-130 s without (load 5-6; see the README);
on a big log C2's code is what makes the work fast, so they are for small logs only."""


def session(options: EngineOptions, small: bool = False) -> tuple[Any, bool]:
    """(a Spark session, whether it was started here). ``small``: the log is small (:data:`SMALL_LOG_BYTES`),
    so a session started here in local mode is set up for it."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and not options.spark_remote and not options.spark_master:
        return active, False
    builder = SparkSession.builder.appName("journeymap")
    # stderr carries journeymap's problems only: no log4j banner, no INFO/WARN lines, no progress bars
    log_config = Path(__file__).with_name("spark-log4j2.properties").as_uri()
    local_and_small = small and not options.spark_remote and not options.spark_master
    jvm = f"{SMALL_LOG_JVM} " if local_and_small else ""
    builder = (
        builder.config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", f"{jvm}-Dlog4j2.configurationFile={log_config}")
        .config("spark.executor.extraJavaOptions", f"-Dlog4j2.configurationFile={log_config}")
    )
    if options.spark_remote:
        builder = builder.remote(options.spark_remote)
    else:
        builder = (
            builder.master(options.spark_master or "local[2]")
            .config("spark.ui.enabled", "false")
            # local mode: as many shuffle partitions as cores, not Spark's 200
            .config("spark.sql.shuffle.partitions", ("1" if local_and_small else "2") if not options.spark_master else "200")
            .config("spark.driver.memory", "2g")
        )
        if local_and_small:
            builder = builder.config("spark.sql.adaptive.enabled", "false")
    spark = _quietly(builder.config("spark.sql.session.timeZone", "UTC").getOrCreate)
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    # Parquet's TIMESTAMP(NANOS), pandas' and pyarrow's timestamps, is read as the count of
    # nanoseconds it holds (Spark refuses the type otherwise), and so a timestamp as every engine
    # reads a number since 1970: DuckDB reads it as a timestamp.
    spark.conf.set("spark.sql.legacy.parquet.nanosAsLong", "true")
    if not options.spark_remote:
        spark.sparkContext.setLogLevel("ERROR")
    return spark, True


JVM_LOG = "journeymap-spark.log"
"""Where a JVM started here writes its stderr (in the temporary folder): the JDK's
start-up warnings and Spark's own errors, which journeymap reports in its words."""


def _quietly(start: Any) -> Any:
    """Call ``start`` with the process's stderr pointed at :data:`JVM_LOG`, so that a
    Java process it launches keeps writing there, not to the user's terminal."""
    import os
    import sys
    import tempfile

    sys.stderr.flush()
    saved = os.dup(2)
    try:
        try:
            log = open(Path(tempfile.gettempdir()) / JVM_LOG, "ab")  # noqa: SIM115
        except OSError:
            log = open(os.devnull, "ab")  # noqa: SIM115
        with log:
            os.dup2(log.fileno(), 2)
            try:
                return start()
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def stripped(text: str) -> str:
    """SQL for ``text`` (a STRING expression) stripped as Python's ``str.strip()`` does (TRIM strips spaces only)."""
    return f"regexp_replace({text}, {literal('^' + SPACE_CLASS + '+|' + SPACE_CLASS + '+$')}, '')"


def aggregate(paths: Sequence[Path], facts: JourneyFacts, options: EngineOptions) -> EventTables:
    def step(spark: Any, files: list[tuple[str, str, str, str]], sources: Sources, problems: list[Problem],
             scratch: Path) -> EventTables:
        return _aggregate(spark, files, sources, facts, options, problems, scratch)

    done, problems = _in_session(paths, options, step)
    return done if done is not None else EventTables("spark", problems=problems)


def aggregate_each(paths: Sequence[Path], runs: Sequence[tuple[JourneyFacts, EngineOptions]]) -> list[EventTables]:
    """:func:`aggregate` for each ``(facts, options)`` of ``runs`` (a persona's view of the journey and its
    segment; the options alike but for ``segment``), in one session, with the log's files read and checked
    once: the map's persona filter started a session, read and checked the log once per persona. Each run's
    problems are the files' (the same for every run) and its segment's."""
    if not runs:
        return []

    def step(spark: Any, files: list[tuple[str, str, str, str]], sources: Sources, problems: list[Problem],
             scratch: Path) -> list[EventTables]:
        checked, rows, log = _checked(spark, files, sources, problems, scratch)
        if checked is None:
            return [EventTables("spark", problems=list(problems)) for _ in runs]
        try:
            return [_aggregate_checked(spark, rows, log, facts, options, list(problems)) for facts, options in runs]
        finally:
            checked.unpersist()

    done, problems = _in_session(paths, runs[0][1], step)
    return done if done is not None else [EventTables("spark", problems=list(problems)) for _ in runs]


def checked_events(paths: Sequence[Path], options: EngineOptions) -> tuple[list[Event], int, list[Problem], list[str]]:
    """(the log's good events, the rows read, the problems, the log's names), as Spark reads and
    checks them before any aggregate: what ``python.checked_events`` gives for the same log."""

    def step(spark: Any, files: list[tuple[str, str, str, str]], sources: Sources, problems: list[Problem],
             scratch: Path) -> tuple[list[Event], int, list[str]]:
        checked, rows, log = _checked(spark, files, sources, problems, scratch)
        if checked is None:
            return [], 0, []
        try:
            found = spark.sql("SELECT customer, seconds, touchpoint, outcome, segment FROM jm_checked WHERE good").collect()
            return [(r[0], r[1], r[2], r[3], r[4]) for r in found], rows, log
        finally:
            checked.unpersist()

    done, problems = _in_session(paths, options, step)
    events, rows, log = done if done is not None else ([], 0, [])
    return events, rows, problems, log


def _in_session(paths: Sequence[Path], options: EngineOptions, step: Callable[..., T]) -> tuple[T | None, list[Problem]]:
    """(``step(spark, files, sources, problems, scratch)``, or None for a log of no files; the problems):
    the log's files resolved, in a session (stopped after if started here) with a scratch folder."""
    from ..encoding import remote_not_read

    local = [p for p in paths if "://" not in str(p)]
    remote = [str(p) for p in paths if "://" in str(p)]
    sources = resolve(local)
    problems = list(sources.problems)
    if remote and (told := remote_not_read(remote)):  # --data-encoding: no copy of a cluster's files is made here
        problems += told
        remote = []
    files: list[tuple[str, str, str, str]] = []  # (format, location for Spark, display name, folder's segment)
    for fmt, found in sources.files.items():
        files += [(fmt, str(f.resolve()), _display(f), partition_segment(str(f.absolute()))) for f in found]
    files += [(file_format(Path(r)), r, r, partition_segment(r)) for r in remote]
    if not files:
        return None, problems
    spark, started = session(options, small=not remote and _bytes(f for found in sources.files.values() for f in found) <= SMALL_LOG_BYTES)
    scratch = Path(tempfile.mkdtemp(prefix="journeymap-spark-"))
    try:
        return step(spark, files, sources, problems, scratch), problems
    finally:
        if started:
            spark.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def _bytes(files: Iterable[Path]) -> int:
    """The size of ``files`` together (a file that cannot be read counts for nothing: it is told about elsewhere)."""
    total = 0
    for f in files:
        try:
            total += f.stat().st_size
        except OSError:
            pass
    return total


def _named_only(location: str) -> str:
    """A local file's path for Spark's readers, naming that file only: Hadoop reads a path as a glob
    (``events [1].csv`` would read ``events 1.csv``), so its pattern characters are escaped."""
    if "://" in location:
        return location
    return re.sub(r"([\\{}\[\]*?])", r"\\\1", location)


def _display(path: Path) -> str:
    from ..table import _display

    return _display(path)


def _aggregate(
    spark: Any, files: list[tuple[str, str, str, str]], sources: Sources, facts: JourneyFacts, options: EngineOptions,
    problems: list[Problem], scratch: Path | None = None,
) -> EventTables:
    checked, rows, log = _checked(spark, files, sources, problems, scratch)
    if checked is None:
        return EventTables("spark", problems=problems)
    try:
        return _aggregate_checked(spark, rows, log, facts, options, problems)
    finally:
        checked.unpersist()


def _aggregate_checked(spark: Any, rows: int, log: list[str], facts: JourneyFacts, options: EngineOptions,
                       problems: list[Problem]) -> EventTables:
    """The tables of the checked rows in the persisted view ``jm_checked`` (:func:`_checked`), for ``facts``
    and ``options`` (a segment's customers only, with one)."""
    from pyspark.sql.types import IntegerType, LongType, StringType, StructField, StructType

    types = {"INTEGER": IntegerType(), "BIGINT": LongType()}
    for table, fact_rows in fact_tables(facts).items():
        numbers = NUMBER_COLUMNS[table]
        schema = StructType([StructField(c, types[numbers[c]] if c in numbers else StringType())
                             for c in FACT_COLUMNS[table]])
        spark.createDataFrame(fact_rows, schema).createOrReplaceTempView(table)
    spark.sql(
        "SELECT customer, seconds, touchpoint, outcome, segment FROM jm_checked WHERE good"
    ).createOrReplaceTempView("events")
    cached = []
    materialized, queries = statements(facts)
    for name, query in materialized:
        if name == "jm_steps" and options.segment is not None:
            # --persona: the customers whose first event has that segment, whole (as on DuckDB)
            if spark.sql(segmented("jm_packed_steps")).collect()[0][0]:
                schema = StructType([StructField("segment", StringType())])
                cells = [row[0] for row in spark.sql(distinct_segments("jm_packed_steps")).collect()]
                spark.createDataFrame([(cell,) for cell in chosen_segments(cells, options)], schema).createOrReplaceTempView("jm_segment")
                persona = spark.sql(persona_customers("jm_packed_steps")).persist()
                persona.createOrReplaceTempView("jm_persona")
                cached.append(persona)
                query = unpacked("jm_packed_steps", " WHERE customer IN (SELECT customer FROM jm_persona)")
            else:
                problems.append(no_segments(log, options.segment))
        if name in VIEWS:
            spark.sql(query).createOrReplaceTempView(name)
            continue
        frame = spark.sql(query).persist()
        frame.createOrReplaceTempView(name)
        cached.append(frame)
    results = {name: [tuple(r) for r in spark.sql(query).collect()] for name, query in queries}
    for frame in cached:
        frame.unpersist()
    tables = collect("spark", results, rows, facts)
    tables.files, tables.problems = log, problems
    return tables


def _checked(
    spark: Any, files: list[tuple[str, str, str, str]], sources: Sources, problems: list[Problem], scratch: Path | None,
) -> tuple[Any, int, list[str]]:
    """:func:`_checked_once`, read again with customer 0 as no customer where it stands for visitors without an id
    (:func:`.rows.zero_is_no_id`)."""
    before = list(problems)
    checked, rows, log = _checked_once(spark, files, sources, problems, scratch)
    if checked is None or not _zero_is_no_id(spark):
        return checked, rows, log
    checked.unpersist()
    problems[:] = before
    with zero_no_id():
        return _checked_once(spark, files, sources, problems, scratch)


def _zero_is_no_id(spark: Any) -> bool:
    """Whether the checked rows' customer 0 stands for visitors without an id: its events against any other customer's."""
    zero = spark.sql(f"SELECT COUNT(*) FROM jm_checked WHERE good AND customer = '{ZERO_ID}'").collect()[0][0]
    if not zero:
        return False
    others = spark.sql(f"SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM jm_checked WHERE good AND customer <> '{ZERO_ID}'"
                       " GROUP BY customer) counted").collect()[0][0]
    return zero_is_no_id(int(zero), int(others or 0))


def _checked_once(
    spark: Any, files: list[tuple[str, str, str, str]], sources: Sources, problems: list[Problem], scratch: Path | None,
) -> tuple[Any, int, list[str]]:
    """(the files' rows, checked, as the persisted view ``jm_checked``, or None if none could be read;
    the rows read; the log's names). Problems are added to ``problems``: each damaged file's, and each
    bad row's, placed. The caller unpersists the frame."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException
    from pyspark.sql import functions as F

    from .duckdb import DAMAGED_HINT, damaged_file

    frames: dict[str, Any] = {}
    names: dict[str, str] = {}
    for fmt, location, name, partition in files:
        try:
            frame, found = _read(spark, fmt, location, name, partition, scratch)
        except (PySparkException, Py4JJavaError) as exc:  # a Parquet footer that is not there comes as Java's
            problems.append(Problem(Span(name), "io", f"cannot read the {fmt} file: {_first_line(exc)}",
                                    DAMAGED_HINT if fmt == "parquet" else None))
            continue
        problems += found
        if frame is not None:
            frames[location] = frame.withColumn("filename", F.lit(location))
            names[location] = name
    sums = ", ".join(f"SUM(CASE WHEN {flag} THEN 1 ELSE 0 END)" for flag in _FLAGS)
    while True:  # a file found damaged when its rows are read is left out, said, and the rest read again
        if not frames:
            return None, 0, []
        # the log's name in messages about all of it (a location is a local file's real path)
        log = sources.names([(Path(location), names[location]) for location in frames])
        parts = list(frames.values())
        checked = parts[0]
        for frame in parts[1:]:
            checked = checked.unionByName(frame)
        checked = checked.persist()
        checked.createOrReplaceTempView("jm_checked")
        try:
            counted = spark.sql(f"SELECT filename, COUNT(*), SUM(CASE WHEN corrupt THEN 1 ELSE 0 END),"
                                f" SUM(CASE WHEN encoding THEN 1 ELSE 0 END), SUM(CASE WHEN call THEN 1 ELSE 0 END),"
                                f" SUM(CASE WHEN tool THEN 1 ELSE 0 END), {sums}"
                                " FROM jm_checked GROUP BY filename").collect()
            break
        except (PySparkException, Py4JJavaError) as exc:
            checked.unpersist()
            said = str(exc)
            damaged = next((location for location in frames if location in said), None) if len(frames) > 1 else None
            if damaged is None:
                problems.append(Problem(Span(", ".join(log)), "io", f"cannot read the event log: {_first_line(exc)}", DAMAGED_HINT))
                return None, 0, []
            problems.append(damaged_file(names[damaged], _first_line(exc)))
            del frames[damaged]
    try:
        rows = 0
        for location, count, corrupt, encoding, calls, tools, *counts in sorted(counted, key=lambda r: r[0]):
            # a row of the wrong shape or with bytes that are not UTF-8 is a problem, not an event row; nor is a call
            rows += int(count) - int(corrupt or 0) - int(encoding or 0) - int(calls or 0) - int(tools or 0)
            bad = {kind: int(n or 0) for kind, n in zip(KINDS, counts, strict=True) if n}
            if calls:
                bad[CALL_KIND] = int(calls)
            if tools:
                bad[TOOL_KIND] = int(tools)
            if corrupt:
                bad = {("row-shape", ""): int(corrupt), **bad}
            if encoding:
                bad = {("encoding", ""): int(encoding), **bad}
            name = names[location]
            if bad:
                if "://" in location:
                    from .rows import BadRows

                    problems += BadRows().problems(name, bad)
                else:
                    from .locate import locate_bad_rows

                    problems += locate_bad_rows(Path(location), name, bad)
    except BaseException:
        checked.unpersist()
        raise
    return checked, rows, log


_FLAGS = ("no_customer", "no_timestamp", "bad_timestamp", "no_touchpoint", "bad_outcome")


def _first_line(exc: BaseException) -> str:
    """An error's first line; for an error that comes from Java as such ("An error occurred while
    calling o83.parquet."), the first line of Java's own, deepest cause first (what the file did)."""
    text = str(exc)
    java = getattr(exc, "java_exception", None)
    if java is not None:
        try:
            cause = java
            while cause.getCause() is not None:
                cause = cause.getCause()
            text = str(cause.toString())
        except Exception:  # noqa: BLE001 - a gateway that is gone: Python's words will do
            pass
    lines = text.strip().splitlines()
    line = lines[0] if lines else type(exc).__name__
    return shown(re.sub(r"^(?:[a-z_$][\w$]*\.)+(?=[A-Z])", "", line), 200)  # org.apache.spark.SparkException: ...


def _named_twice(spark: Any, exc: Exception, location: str, name: str) -> list[Problem] | None:
    """The header problems of a Parquet file Spark refuses because a column is named twice
    (``touchpoint`` and ``Touchpoint``, as pandas may write them), as the other engines give them;
    None for another error. Read again with case-sensitive names, the schema has every column;
    a name written twice exactly is the one problem Spark's error names."""
    from pyspark.errors import PySparkException

    from .rows import header_problems

    condition = exc.getCondition() if hasattr(exc, "getCondition") else exc.getErrorClass()  # type: ignore[attr-defined]
    if condition != "COLUMN_ALREADY_EXISTS":
        return None
    column = str((exc.getMessageParameters() or {}).get("columnName", "")).strip("`")  # type: ignore[attr-defined]
    before = spark.conf.get("spark.sql.caseSensitive")
    spark.conf.set("spark.sql.caseSensitive", "true")
    try:
        return header_problems(name, 1, [f.name for f in spark.read.parquet(_named_only(location)).schema.fields])
    except PySparkException:
        return [p for p in header_problems(name, 1, [column, column]) if p.code == "duplicate-column"]
    finally:
        spark.conf.set("spark.sql.caseSensitive", before)


def _scratch_file(scratch: Path, suffix: str) -> Path:
    """A new file's path in ``scratch`` (the caller's folder for copies Spark reads)."""
    handle, path = tempfile.mkstemp(suffix=suffix, dir=scratch)
    os.close(handle)
    return Path(path)


def _register_double_text(spark: Any) -> None:
    """``jm_double_text(x)``: a DOUBLE as DuckDB and the reference write it as text (Python's repr,
    the shortest text that reads back as the same double: ``12345678.0``, ``1.2e+21``), where Spark's
    cast writes Java's (``1.2345678E7``): ids and segments held as doubles are the same text on
    every engine. A Python function, run only for such columns (rare: most ids are text or integers)."""
    from pyspark.sql.types import StringType

    spark.udf.register("jm_double_text", lambda x: None if x is None else repr(float(x)), StringType())


def _read(
    spark: Any, fmt: str, location: str, name: str, partition: str = "", scratch: Path | None = None
) -> tuple[Any, list[Problem]]:
    """The file's checked rows as a DataFrame (or None) and the problems that stop it; a row without a
    segment takes ``partition``, its folder's (``segment=...``). A local CSV whose header has a stray
    quote is read from the rows the reference splits, written to ``scratch`` (kept by the caller until
    Spark has read it)."""
    from pyspark.errors import PySparkException
    from pyspark.sql.types import StringType, StructField, StructType

    from .locate import (
        csv_header,
        has_invalid_utf8,
        header_is_plain,
        json_header_problems,
        json_key_lines,
        json_records,
        padding_of,
        quotes_are_strict,
        separator_above,
        split_by_reference,
        start_problems,
        without_lines,
        without_padding,
    )
    from .rows import LONGEST_ROW, WHOLE_FILE_KINDS, BadRows, column_type, header_problems, no_rows

    reader = spark.read
    local = "://" not in location
    problems: list[Problem] = []
    if local:  # a Parquet file's start too: CSV named .parquet was "damaged"
        problems = start_problems(Path(location), name)
        if problems:
            return None, problems
    if fmt == "csv":
        header, delimiter = _csv_header(location)
        if local:
            _, _, problems = csv_header(Path(location), name)
            if any(p.is_error for p in problems):
                return None, problems
            if scratch is not None and (separator_above(Path(location)) or not header_is_plain(Path(location))
                                        or not quotes_are_strict(Path(location), delimiter)):
                # Spark's multi-line parser reads a header with a stray quote as a row that runs to
                # the end of the file: no rows and no error; and a row's undoubled or unclosed quote as
                # text or as a cell to the end of the file. It has no option to skip Excel's 'sep=;'
                # line above the header. The reference splits such a file.
                copy = _scratch_file(scratch, ".csv")
                header, found = split_by_reference(Path(location), name, copy)
                problems += found
                location, delimiter = str(copy), ","
            elif scratch is not None and padding_of(Path(location)) is not None:  # NULs or ^Z after the last row
                location = str(without_padding(Path(location), _scratch_file(scratch, ".csv")))
        if header is None:  # a remote file: let Spark read the header
            frame = reader.csv(_named_only(location), header=True, inferSchema=False, mode="PERMISSIVE", sep=delimiter)
        else:
            # a column without a name (Excel's trailing ';;') is read under a placeholder: Spark refuses a
            # name twice, '' too (the header's problems, that one's warning included, are the reference's)
            named = [c if c.strip() else f"_jm_unnamed_{i}" for i, c in enumerate(header)]
            schema = StructType([StructField(c, StringType()) for c in named] + [StructField(CORRUPT, StringType())])
            # multiLine: a quoted cell may hold a line break (each file is then read by one task)
            frame = reader.csv(_named_only(location), header=True, schema=schema, mode="PERMISSIVE", sep=delimiter,
                               columnNameOfCorruptRecord=CORRUPT, enforceSchema=True, multiLine=True,
                               quote='"', escape='"')
    elif fmt == "parquet":
        try:
            frame = reader.parquet(_named_only(location))
        except PySparkException as exc:
            twice = _named_twice(spark, exc, location, name)
            if twice is None:
                raise
            return None, twice
        if frame.isEmpty():
            problems.append(no_rows(name, None))
    else:
        json_bad = BadRows()
        if local:  # keys that differ only in case are one column twice (Spark would merge them)
            keys = json_key_lines(Path(location))
            problems += json_header_problems(name, keys, Path(location))
            if any(p.is_error for p in problems):
                return None, problems
            for _ in json_records(Path(location), name, json_bad, keys):
                pass
        read_from = location
        # Spark refuses a file with a key named twice in a line, and writes some numbers as no other engine
        if (json_bad.left_out or json_bad.numbers_as_text) and scratch is not None:
            read_from = str(without_lines(Path(location), json_bad.left_out, _scratch_file(scratch, ".jsonl"),
                                          json_bad.numbers_as_text))
        elif local and scratch is not None and padding_of(Path(location)) is not None:  # NULs or ^Z after the last row
            read_from = str(without_padding(Path(location), _scratch_file(scratch, ".jsonl")))
        frame = reader.option("columnNameOfCorruptRecord", CORRUPT).json(_named_only(read_from))
    types: dict[str, tuple[str, str]] = {}
    fields = [f for f in frame.schema.fields if f.name != CORRUPT]
    for field in fields:
        types.setdefault(column_key(field.name), (field.name, field.dataType.simpleString()))
    if fmt == "parquet" or not local:
        problems += header_problems(name, 1, [f.name for f in fields])
    nested: dict[str, str] = {}  # JSON columns whose objects and lists are bad cells: key -> SQL true for one
    invalid_bytes = local and fmt == "csv" and has_invalid_utf8(Path(location))
    if fmt == "json" and local:
        bad = json_bad
        invalid_bytes = ("encoding", "") in bad.kinds  # that scan found them
        counts = {key: found.count for key, found in bad.kinds.items() if key[0] in (*WHOLE_FILE_KINDS, "not-scalar")}
        problems += bad.problems(name, counts)
        for key, (column, kind) in types.items():
            if not _scalar(kind):
                nested[key] = f"`{column.replace('`', '``')}` IS NOT NULL"
            elif ("not-scalar", key) in counts:  # Spark gives a mixed column the objects' JSON text
                nested[key] = f"LEFT(LTRIM(`{column.replace('`', '``')}`), 1) IN ('{{', '[')"
    for key, (_, kind) in types.items():
        if key in REQUIRED + OPTIONAL and not _scalar(kind) and key not in nested:
            problems.append(column_type(name, key, kind))
    if any(p.is_error and p.code in ("duplicate-column", "missing-column", "column-type") for p in problems):
        return None, problems

    def q(column: str) -> str:
        return "`" + column.replace("`", "``") + "`"

    def text(key: str) -> str:
        if key not in types:
            return "''"
        column, kind = types[key]
        if kind == "double":  # a pandas id column with a NaN in it: 12345678.0, not Java's 1.2345678E7
            _register_double_text(spark)
            return f"COALESCE({stripped(f'jm_double_text({q(column)})')}, '')"
        return f"COALESCE({stripped(f'CAST({q(column)} AS STRING)')}, '')"

    segment_key = "persona" if reads_persona(types) else "segment"
    segment = segment_sql(text(segment_key), literal)
    if partition:
        segment = f"CASE WHEN {segment} = '' THEN {literal(partition)} ELSE {segment} END"
    column, kind = types["timestamp"]
    ts = q(column)
    zone = zone_in_force()
    if kind != "string" and "timestamp" in nested:  # every row's an object (mongoexport's {"$date": ...}): a struct
        ts = f"CAST({ts} AS STRING)"  # those rows are left out; the cast keeps the text functions below typed
    if kind == "string" or "timestamp" in nested:
        raw = f"UPPER({stripped(ts)})"
        # ISO 8601's comma before a fraction, as Spark reads it; no space before an offset (Snowflake's -0700)
        pointed = f"regexp_replace(translate({raw}, ',', '.'), ' ([+-])', '$1')"
        iso, dotted = f"TRY_CAST({_with_seconds(pointed)} AS TIMESTAMP)", f"TRY_CAST({dotted_iso_sql(raw, literal)} AS TIMESTAMP)"
        if zone is not None:  # a date and a time without a zone: local time there (--events-time-zone)
            iso = f"CASE WHEN {raw} RLIKE {literal(LOCAL_PATTERN)} THEN to_utc_timestamp({iso}, {literal(zone.key)}) ELSE {iso} END"
            dotted = (f"CASE WHEN regexp_extract({raw}, {literal(DOTTED_PATTERN)}, 4) <> ''"
                      f" THEN to_utc_timestamp({dotted}, {literal(zone.key)}) ELSE {dotted} END")
        seconds = (f"CASE WHEN {raw} RLIKE {literal(NUMBER_PATTERN)} THEN {seconds_sql(f'TRY_CAST({raw} AS DOUBLE)')}"
                   f" WHEN {raw} RLIKE {literal(ISO_PATTERN)}"
                   f" THEN CAST(unix_micros({iso}) AS DOUBLE) / 1000000"
                   # a date with dots, day first (05.01.2026 09:14): only rows neither ISO 8601 nor a number get here
                   f" WHEN {raw} RLIKE {literal(DOTTED_PATTERN)}"
                   f" THEN CAST(unix_micros({dotted}) AS DOUBLE) / 1000000 END")
        empty = no_customer_sql(f"COALESCE({stripped(ts)}, '')", literal, NO_TIME)
    elif kind in ("tinyint", "smallint", "int", "bigint", "float", "double") or kind.startswith("decimal"):
        seconds, empty = seconds_sql(f"CAST({ts} AS DOUBLE)"), f"{ts} IS NULL"
        if kind == "float":  # 24 bits: each time rounded to about 2 minutes
            problems.append(float_timestamps(name))
    elif kind == "date":  # in days: DuckDB's infinite DATE (2^31 - 1 days) overflowed Spark's microseconds
        seconds, empty = f"CAST(unix_date({ts}) AS DOUBLE) * 86400", f"{ts} IS NULL"
    elif kind.startswith("timestamp"):
        moment = f"CAST({ts} AS TIMESTAMP)"
        if zone is not None and kind == "timestamp_ntz":  # a Parquet time not adjusted to UTC: local time
            moment = f"to_utc_timestamp({moment}, {literal(zone.key)})"
        seconds, empty = f"CAST(unix_micros({moment}) AS DOUBLE) / 1000000", f"{ts} IS NULL"
    else:
        return None, [*problems, column_type(name, "timestamp", kind)]
    moment, seconds = seconds, within_years_sql("`__jm_moment`")  # computed once, in a subquery below
    lowered = f"LOWER({text('outcome')})"  # computed once, in the subquery below
    outcome = outcome_sql("`__jm_outcome`", literal)
    # A row with bytes that are not UTF-8 is a bad row in the reference; Spark reads them as
    # U+FFFD, so in a file that has such bytes a row with U+FFFD is that bad row.
    encoding = "false"
    if invalid_bytes:
        cells = ", ".join(f"CAST({q(f.name)} AS STRING)" for f in frame.schema.fields)
        encoding = f"COALESCE(instr(concat_ws('', {cells}), {literal(chr(0xFFFD))}) > 0, false)"
    corrupt = "false"
    if CORRUPT in [f.name for f in frame.schema.fields]:
        corrupt = f"NOT ({encoding}) AND {q(CORRUPT)} IS NOT NULL"
        if fmt == "csv" and header:  # empty cells past the last column hold nothing (as in the reference)
            corrupt += f" AND NOT COALESCE({q(CORRUPT)} RLIKE {literal(trailing_empty_cells(len(header), delimiter))}, false)"
    if fmt == "csv" and header and local and Path(location).stat().st_size > LONGEST_ROW:
        # A row past 2 MiB is one bad row, as DuckDB and the reference leave it out; Spark reads it. Its
        # length here is its cells' and delimiters' (the quotes around cells are not known): the same
        # rows but for one within a few bytes of the limit.
        length = " + ".join(f"COALESCE(octet_length(CAST({q(f.name)} AS STRING)), 0)"
                            for f in frame.schema.fields if f.name != CORRUPT)
        corrupt = f"(({corrupt}) OR NOT ({encoding}) AND ({length} + {len(header) - 1}) > {LONGEST_ROW})"
    flags = {
        "no_customer": no_customer_sql(text("customer"), literal, customer_marks()),
        "no_timestamp": empty,
        "bad_timestamp": f"NOT ({empty}) AND ({seconds}) IS NULL",
        "no_touchpoint": no_customer_sql(text("touchpoint"), literal),
        "bad_outcome": f"{outcome} NOT IN ('', 'success', 'failure')",
    }
    frame.createOrReplaceTempView("jm_raw")
    # Segment's identify, page, screen, group and alias calls: no events, skipped (counted apart, as no rows)
    call = f"NOT ({encoding}) AND NOT ({corrupt}) AND {call_sql(text('type'), literal)}" if calls_of(types) else "false"
    # an analytics tool's own event ($identify, session_start): no step, skipped (counted apart, as no rows)
    tool = f"NOT ({encoding}) AND NOT ({corrupt}) AND NOT ({call}) AND {tool_event_sql(text('touchpoint'), literal)}"
    # A row with an object or list cell is one bad row (counted above), not also a bad timestamp.
    skip = " OR ".join([encoding, corrupt, call, tool, *(sql for key, sql in nested.items() if key in REQUIRED + OPTIONAL)])
    flag_sql = ", ".join(f"NOT ({skip}) AND COALESCE({sql}, false) AS {flag}" for flag, sql in flags.items())
    good = " AND ".join(f"NOT COALESCE({sql}, false)" for sql in flags.values())
    where = ""
    if fmt == "csv" and CORRUPT in [f.name for f in frame.schema.fields]:
        # a line of spaces and tabs is a blank line to the reference (skipped), not a short row
        where = f" WHERE NOT COALESCE({q(CORRUPT)} RLIKE {literal('^' + SPACE_CLASS + '*$')}, false)"
    if fmt == "json":  # a line that is not JSON (counted above), or a line of nulls, is no row
        # (its lines with bytes that are not UTF-8 are counted by json_records above)
        where = (f" WHERE NOT ({corrupt}) AND NOT ({encoding}) AND ("
                 + " OR ".join(f"{q(c)} IS NOT NULL" for c, _ in types.values()) + ")")
    checked = spark.sql(
        f"SELECT {text('customer')} AS customer, {seconds} AS seconds, {text('touchpoint')} AS touchpoint,"
        f" {outcome} AS outcome, {segment} AS segment, {flag_sql}, {corrupt} AS corrupt, {encoding} AS encoding, {call} AS call, {tool} AS tool,"
        f" NOT ({skip}) AND ({good}) AS good FROM (SELECT *, {moment} AS `__jm_moment`, {lowered} AS `__jm_outcome`"
        f" FROM jm_raw) jm_raw{where}"
    )
    return checked, problems


def trailing_empty_cells(width: int, delimiter: str) -> str:
    """A Java regex for a CSV record of ``width`` cells and then only empty ones (``,,`` or ``,""``).

    Spark's reader calls such a record malformed, though it parses its first ``width``
    cells; the reference drops the empty cells and keeps the row."""
    d = re.escape(delimiter)  # Java reads Python's escapes of a single character alike
    cell = f'(?:"(?:[^"]|"")*"|[^"{d}\\r\\n][^{d}\\r\\n]*|)'  # quoted, or text (a quote inside is text)
    return f'^{cell}(?:{d}{cell}){{{max(width - 1, 0)}}}(?:{d}(?:"")?)+\\r?$'


def _with_seconds(raw: str) -> str:
    """Spark reads ``2026-01-01 11:30`` but not ``2026-01-01 11:30+01:00`` (or `` UTC``): write the seconds out."""
    return (f"regexp_replace({raw}, '^([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[T ][0-9]{{2}}:[0-9]{{2}})(Z| UTC|[+-].*)?$',"
            " '$1:00$2')")


def _scalar(kind: str) -> bool:
    return not kind.startswith(("struct", "array", "map", "binary"))


def _csv_header(location: str) -> tuple[list[str] | None, str]:
    """(the header cells of a local CSV, [] for an empty file, None for a remote one; the delimiter)."""
    import csv
    import gzip

    from ..table import _delimiter

    if "://" in location:
        return None, ","
    opener: Any = gzip.open if location.lower().endswith(".gz") else open
    with opener(location, "rt", encoding="utf-8-sig", errors="replace", newline="") as stream:
        for line in stream:
            if line.strip():
                delimiter = _delimiter(line.rstrip("\r\n"))
                return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter)), delimiter
    return [], ","
