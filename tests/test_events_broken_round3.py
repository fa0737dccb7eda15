"""Damaged gzip event logs, read as damaged survey files are (:func:`journeymap.data.table._gunzip`): the rows before
the damage are kept, the damage is one problem at its line and column, bytes after the data keep every row. Each was
'the gzip file is cut short or damaged, so none of its rows are read', without a place, or nothing at all (zeros
after the data), on DuckDB and on the row reader alike."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import pytest

from journeymap.data.engines import EngineOptions, EventTables, JourneyFacts, get_engine
from journeymap.loader import load

pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[1]
JOURNEY = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
HEADER = "customer,timestamp,touchpoint,outcome\n"
ENGINES = ["duckdb", "python"]


def _rows(count: int, first: int = 0) -> str:
    return "".join(f"c{i:04d},2026-01-01T10:{i % 60:02d}:00Z,see-social-ad,\n" for i in range(first, first + count))


@pytest.fixture(scope="module")
def facts() -> JourneyFacts:
    return JourneyFacts.of(load(JOURNEY))


def read(engine: str, path: Path, facts: JourneyFacts) -> EventTables:
    return get_engine(engine)[1]([path], facts, EngineOptions())


def told(tables: EventTables) -> list[tuple[str, int, int, str, str]]:
    return [(p.span.file.rsplit("/", 1)[-1], p.span.line, p.span.col, p.level, p.code) for p in tables.problems]


def write(tmp_path: Path, data: bytes, name: str = "log.csv.gz") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_a_gzip_log_cut_short_keeps_its_rows_before_the_cut(engine: str, tmp_path: Path, facts: JourneyFacts) -> None:
    text = (HEADER + _rows(3000)).encode()
    packed = gzip.compress(text, mtime=0, compresslevel=1)
    cut = packed[: len(packed) // 2]
    import zlib

    whole = zlib.decompressobj(31).decompress(cut)
    lines = whole[: whole.rfind(b"\n") + 1].count(b"\n")  # the header and the whole rows before the cut
    path = write(tmp_path, cut)
    tables = read(engine, path, facts)
    assert tables.rows == lines - 1 and tables.customers == lines - 1
    last = whole[whole.rfind(b"\n") + 1 :]
    assert told(tables) == [("log.csv.gz", lines + 1, len(last) + 1, "error", "cut-short")]
    problem = tables.problems[0]  # the file's name, not its copy's
    assert problem.span.file == str(path) and "the rows before the cut are read" in problem.message


@pytest.mark.parametrize("engine", ENGINES)
def test_bytes_after_a_gzip_logs_data_keep_every_row_and_are_one_problem_after_the_last_line(
        engine: str, tmp_path: Path, facts: JourneyFacts) -> None:
    packed = gzip.compress((HEADER + _rows(50)).encode(), mtime=0)
    junk = read(engine, write(tmp_path, packed + b"<html>404</html>", "junk.csv.gz"), facts)
    assert junk.rows == 50 and told(junk) == [("junk.csv.gz", 52, 1, "error", "gzip")]
    zeros = read(engine, write(tmp_path, packed + b"\x00" * 100, "zeros.csv.gz"), facts)
    assert zeros.rows == 50 and told(zeros) == [("zeros.csv.gz", 52, 1, "warning", "padding")]  # it was nothing at all


@pytest.mark.parametrize("engine", ENGINES)
def test_a_gzip_log_whose_length_at_its_end_is_wrong_is_read_whole_with_a_warning(
        engine: str, tmp_path: Path, facts: JourneyFacts) -> None:
    packed = gzip.compress((HEADER + _rows(50)).encode(), mtime=0)
    tables = read(engine, write(tmp_path, packed[:-4] + struct.pack("<I", 0x80000000)), facts)
    assert tables.rows == 50 and told(tables) == [("log.csv.gz", 52, 1, "warning", "gzip")]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_damaged_later_member_keeps_the_rows_of_the_members_before(engine: str, tmp_path: Path, facts: JourneyFacts) -> None:
    first = gzip.compress((HEADER + _rows(20)).encode(), mtime=0)
    second = bytearray(gzip.compress(_rows(20, 20).encode(), mtime=0))
    second[-8] ^= 0xFF  # its check sum
    tables = read(engine, write(tmp_path, first + bytes(second)), facts)
    assert tables.rows == 20 and told(tables) == [("log.csv.gz", 22, 1, "error", "gzip")]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_gzip_log_damaged_from_its_start_is_one_error_at_its_first_line(
        engine: str, tmp_path: Path, facts: JourneyFacts) -> None:
    packed = gzip.compress((HEADER + _rows(5)).encode(), mtime=0)
    extra = packed[:3] + bytes([packed[3] | 4]) + packed[4:10] + struct.pack("<H", 0xFFFF) + packed[10:]
    tables = read(engine, write(tmp_path, extra), facts)
    assert tables.rows == 0 and told(tables) == [("log.csv.gz", 1, 1, "error", "cut-short")]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("gz", [False, True])
def test_nul_bytes_inside_a_logs_rows_are_one_warning_at_the_first(engine: str, gz: bool, tmp_path: Path,
                                                                    facts: JourneyFacts) -> None:
    """A NUL inside a customer id made it another customer, and a run of NULs a write left before a row ran into its
    customer id: both were read without a word (scripts/corrupt_data.py --events: nul-in-a-row, nul-run-mid)."""
    rows = _rows(6).splitlines(keepends=True)
    inside = HEADER + "".join(rows[:2]) + "c0002\x00" + rows[2][5:] + "".join(rows[3:4]) + "\x00" * 40 + "".join(rows[4:])
    data = inside.encode()
    tables = read(engine, write(tmp_path, gzip.compress(data, mtime=0) if gz else data, "log.csv.gz" if gz else "log.csv"), facts)
    assert tables.rows == 6
    assert told(tables) == [("log.csv.gz" if gz else "log.csv", 4, 6, "warning", "nul-bytes")]
    assert "41 NUL bytes" in tables.problems[0].message
    # NULs after the last row stay padding, one warning of their own, not this one
    padded = read(engine, write(tmp_path, (HEADER + "".join(rows)).encode() + b"\x00" * 9, "padded.csv"), facts)
    assert [p.code for p in padded.problems] == ["padding"]


@pytest.mark.parametrize("engine", ENGINES)
def test_nul_bytes_inside_a_json_lines_log_are_told_too(engine: str, tmp_path: Path, facts: JourneyFacts) -> None:
    line = '{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'
    tables = read(engine, write(tmp_path, (line + "\x00" * 3 + line.replace("c1", "c2")).encode(), "log.jsonl"), facts)
    assert ("log.jsonl", 2, 1, "warning", "nul-bytes") in told(tables)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("gz", [False, True])
def test_a_byte_order_mark_inside_a_csv_logs_rows_is_one_warning_at_the_first(engine: str, gz: bool, tmp_path: Path,
                                                                              facts: JourneyFacts) -> None:
    """Files joined with cat, each saved with a byte-order mark: the mark starts a row's customer id, which is then
    another customer; it was told only by the undeclared-flow warning it could cause, without a place
    (scripts/corrupt_data.py --events: bom-mid)."""
    rows = _rows(6).splitlines(keepends=True)
    data = ("\ufeff" + HEADER + "".join(rows[:3]) + "\ufeff" + "".join(rows[3:5]) + "\ufeff" + rows[5]).encode()
    tables = read(engine, write(tmp_path, gzip.compress(data, mtime=0) if gz else data, "log.csv.gz" if gz else "log.csv"), facts)
    assert tables.rows == 6
    assert told(tables) == [("log.csv.gz" if gz else "log.csv", 5, 1, "warning", "byte-order-mark")]
    assert "2 UTF-8 byte-order marks" in tables.problems[0].message


@pytest.mark.parametrize("engine", ENGINES)
def test_a_cut_short_gzip_in_another_encoding_or_a_partition_folder_keeps_its_rows_name_and_segment(
        engine: str, tmp_path: Path, facts: JourneyFacts) -> None:
    """The copy of the text before the cut is read in the file's place: under --data-encoding its UTF-8 copy is made of
    it, and a hive partition's folder (segment=a/) still gives its rows' segment."""
    text = (HEADER + "".join(f"c{i:04d},2026-01-01T10:00:00Z,see-social-ad,\n" for i in range(2000))).encode("cp1252")
    packed = gzip.compress(text, mtime=0, compresslevel=1)
    path = write(tmp_path, packed[: len(packed) // 2])
    tables = get_engine(engine)[1]([path], facts, EngineOptions(encoding="windows-1252"))
    assert tables.rows > 100 and [(p.span.file, p.code) for p in tables.problems] == [(str(path), "cut-short")]
    folder = tmp_path / "log" / "segment=a"
    folder.mkdir(parents=True)
    (folder / "part.csv.gz").write_bytes(packed[: len(packed) // 2])
    parted = get_engine(engine)[1]([tmp_path / "log"], facts, EngineOptions())
    assert parted.rows == tables.rows and [p.code for p in parted.problems] == ["cut-short"]
    assert parted.problems[0].span.file == str(folder / "part.csv.gz")
    assert {cohort.segment for cohort in parted.cohorts} == {"a"}
