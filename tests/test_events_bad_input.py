"""Broken event logs: every problem has a place, repeats are one line with a count,
nothing is dropped silently and nothing is a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.data.engines import EngineOptions, EventTables, JourneyFacts, get_engine
from journeymap.loader import load_text

FIXTURES = Path(__file__).parent / "fixtures" / "events"
ROOT = Path(__file__).resolve().parents[1]
HEADER = "customer,timestamp,touchpoint,outcome\n"
GOOD = "c1,2026-09-01T10:00:00Z,browse,\nc1,2026-09-01T10:05:00Z,checkout,\n"

pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def facts() -> JourneyFacts:
    return JourneyFacts.of(load_text((FIXTURES / "shop.journey.yaml").read_text()))


def read(path: Path, facts: JourneyFacts, engine: str = "duckdb") -> EventTables:
    return get_engine(engine)[1]([path], facts, EngineOptions())


def codes(tables: EventTables) -> list[tuple[str, int, int]]:
    return [(p.code, p.span.line, p.span.col) for p in tables.problems]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_one_percent_bad_rows_in_a_big_log_are_a_handful_of_lines(tmp_path: Path, facts: JourneyFacts, engine: str) -> None:
    lines = [HEADER.strip()]
    for i in range(20_000):
        if i % 100 == 7:
            lines.append(f"c{i},yesterday,browse,")
        elif i % 100 == 55:
            lines.append(f"c{i},2026-09-01,browse,maybe")
        else:
            lines.append(f"c{i},2026-09-01T10:00:00Z,browse,")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    tables = read(path, facts, engine)
    assert len(tables.problems) == 2
    timestamp, outcome = sorted(tables.problems, key=lambda p: p.span.line)
    assert (timestamp.code, timestamp.span.line, timestamp.span.col) == ("invalid-timestamp", 9, 4)
    assert "'yesterday' is not a timestamp (and 199 more rows: lines 109, 209, 309, 409, ...; those rows are left out)" in timestamp.message
    assert (outcome.code, outcome.span.line) == ("invalid-outcome", 57)
    assert tables.rows == 20_000 and tables.customers == 19_600


def test_a_quoted_line_break_keeps_the_line_numbers_right(tmp_path: Path, facts: JourneyFacts) -> None:
    path = tmp_path / "log.csv"
    path.write_text(HEADER + '"c\n1",2026-09-01,browse,\nc2,soon,browse,\n')
    assert codes(read(path, facts)) == [("invalid-timestamp", 4, 4)]


def test_a_row_with_too_many_cells_is_reported_with_its_line(tmp_path: Path, facts: JourneyFacts) -> None:
    path = tmp_path / "log.csv"
    path.write_text(HEADER + GOOD + "c2,2026-09-01,browse,,extra\n")
    tables = read(path, facts)
    assert [(p.code, p.span.line) for p in tables.problems] == [("row-shape", 4)]
    assert "left out" in tables.problems[0].message
    assert tables.customers == 1


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"customer,when,touchpoint\nc1,2026-09-01,browse\n", "missing-column"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" * 50, "encoding"),
        ("customer,timestamp,touchpoint\nJosé,2026-09-01,browse\n".encode("latin-1"), "encoding"),
        (b"\x00\x00\x00\x00", "encoding"),  # NUL bytes only: said so, not a header of no known column
    ],
)
def test_broken_files_are_one_clear_error(tmp_path: Path, facts: JourneyFacts, content: bytes, code: str) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(content)
    tables = read(path, facts)
    assert code in [p.code for p in tables.problems if p.is_error]
    assert tables.customers == 0


@pytest.mark.parametrize(
    ("name", "header", "renames"),
    [
        ("pm4py.csv", "case:concept:name,concept:name,time:timestamp",
         {"case:concept:name": "customer", "concept:name": "touchpoint", "time:timestamp": "timestamp"}),
        ("ga4.csv", "user_pseudo_id,event_name,event_timestamp",
         {"user_pseudo_id": "customer", "event_name": "touchpoint", "event_timestamp": "timestamp"}),
        ("segment.jsonl", None, {"anonymousid": "customer", "event": "touchpoint"}),
        ("celonis.csv", "CaseID,Activity,Timestamp", {"caseid": "customer", "activity": "touchpoint"}),
    ],
)
@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_other_tools_column_names_get_their_renames(
    tmp_path: Path, facts: JourneyFacts, engine: str, name: str, header: str | None, renames: dict[str, str]
) -> None:
    """A process-mining, GA4, Segment or Celonis export: the hint said 'rename time:timestamp' only, or
    nothing; for Segment's 'event' a warning asked "did you mean 'segment'?". Now the hint gives the
    --events-column options (the columns as the header writes them), and they read the log."""
    from journeymap.data.engines import EngineOptions, get_engine
    from journeymap.data.engines.rows import parse_columns

    path = tmp_path / name
    if header is None:
        path.write_text('{"anonymousId":"a1","event":"browse","timestamp":"2026-09-01T10:00:00Z","properties":{"x":1}}\n')
    else:
        path.write_text(header + "\nc1,browse,2026-09-01T10:00:00Z\n")
    tables = read(path, facts, engine)
    missing = next(p for p in tables.problems if p.code == "missing-column")
    assert missing.hint is not None
    as_written = {"anonymousid": "anonymousId", "caseid": "CaseID", "activity": "Activity"}
    specs = [f"{journeymap_column}={as_written.get(column, column)}" for column, journeymap_column in renames.items()]
    for spec in specs:
        assert f"--events-column {spec}" in missing.hint
    assert missing.hint.endswith(("or rename the column in the header", "or rename the columns in the header"))
    # the hint's options are its 'did you mean': no warning says them again (a wall of warnings for one problem)
    told = [p.message for p in tables.problems if p.code == "unknown-column"]
    for column in renames:
        assert not [m for m in told if f"'{as_written.get(column, column)}'" in m]
    options = EngineOptions(columns=tuple(parse_columns(specs).items()))
    read_now = get_engine(engine)[1]([path], facts, options)
    assert read_now.customers == 1
    assert not [p for p in read_now.problems if p.is_error]


def test_a_nul_inside_a_cell_is_inert(tmp_path: Path, facts: JourneyFacts) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes((HEADER + GOOD).encode() + b"c2,2026-09-01\x00,browse,\n")
    tables = read(path, facts)
    # the NUL told once (events25's nul-bytes warning), and the cell's own problem shows it escaped
    assert [p.code for p in tables.problems] == ["nul-bytes", "invalid-timestamp"]
    assert all("\x00" not in p.message for p in tables.problems)
    assert "\\x00" in tables.problems[1].message


def test_a_parquet_with_the_wrong_types_is_an_error(tmp_path: Path, facts: JourneyFacts) -> None:
    import duckdb

    path = tmp_path / "log.parquet"
    duckdb.sql(f"COPY (SELECT 'c1' AS customer, true AS timestamp, 'browse' AS touchpoint) TO '{path}' (FORMAT parquet)")
    tables = read(path, facts)
    assert [(p.code, p.is_error) for p in tables.problems] == [("column-type", True)]
    assert "BOOLEAN" in tables.problems[0].message


def test_typed_parquet_columns_are_read(tmp_path: Path, facts: JourneyFacts) -> None:
    import duckdb

    path = tmp_path / "log.parquet"
    duckdb.sql(
        "COPY (SELECT 42 AS customer, TIMESTAMPTZ '2026-09-01 10:00:00+00' + INTERVAL (i) MINUTE AS timestamp,"
        f" ['browse', 'checkout', 'paid'][i + 1] AS touchpoint FROM range(3) t(i)) TO '{path}' (FORMAT parquet)"
    )
    tables = read(path, facts)
    assert tables.problems == [] and tables.conformance["conforming"] == 1
    assert [(f.source, f.median_seconds) for f in tables.flows] == [("browse", 60.0), ("checkout", 60.0)]


def test_a_glob_that_matches_nothing_and_a_missing_file_are_problems(tmp_path: Path, facts: JourneyFacts) -> None:
    tables = get_engine("duckdb")[1]([tmp_path / "*.csv", tmp_path / "nope.csv"], facts, EngineOptions())
    assert [(p.code, p.message) for p in tables.problems] == [
        ("io", "no file matches this pattern"), ("io", "file not found")
    ]


def test_a_hive_partitioned_folder_is_read_whole(tmp_path: Path, facts: JourneyFacts) -> None:
    for day, rows in (("2026-09-01", GOOD), ("2026-09-02", "c2,2026-09-02T10:00:00Z,browse,\n")):
        folder = tmp_path / "log" / f"date={day}"
        folder.mkdir(parents=True)
        (folder / "part-0.csv").write_text(HEADER + rows)
    tables = read(tmp_path / "log", facts)
    assert tables.problems == [] and tables.customers == 2 and tables.files == [f"{tmp_path / 'log'} (2 files)"]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_json_lines_are_read(tmp_path: Path, facts: JourneyFacts, engine: str) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(
        '{"customer": "c1", "timestamp": "2026-09-01T10:00:00Z", "touchpoint": "browse"}\n'
        '{"customer": "c1", "timestamp": "2026-09-01T10:05:00Z", "touchpoint": "checkout"}\n'
    )
    tables = read(path, facts, engine)
    assert tables.problems == [] and tables.visitors == {"browse": 1, "checkout": 1}


def test_the_report_command_prints_places_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(HEADER + GOOD + "c2,nope,browse,\n" + "c3,2026-09-01,browse,\x1b[31mred\n")
    proc = subprocess.run(
        [sys.executable, "-m", "journeymap", "report", str(FIXTURES / "shop.journey.yaml"), "--events", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{path}:4:4: error[invalid-timestamp]: 'nope' is not a timestamp (the row is left out)" in proc.stderr
    assert "\x1b" not in proc.stderr and "\\x1b[31mred" in proc.stderr
    assert "Planned vs actual" in proc.stdout
