"""More broken survey files and metrics tables, as a mutation harness found them: each told at its place, on both
engines alike, never an internal error, no row lost without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeymap.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
ENGINES = pytest.mark.parametrize("engine", ["duckdb", "python"])


def report(capsys: pytest.CaptureFixture[str], option: str, path: Path, engine: str, *extra: str) -> tuple[int, dict]:
    code = main(["report", str(SAMPLE), option, str(path), "--engine", engine, "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def csat_n(data: dict, touchpoint: str = "choose-delivery-slot") -> int | None:
    slot = next(t for t in data["touchpoints"] if t["id"] == touchpoint)
    n: int | None = slot["metrics"]["csat"]["n"]
    return n


#: More digits than Python reads as a whole number (4,300): every one of these was 'internal error: ValueError:
#: Exceeds the limit (4300 digits) for integer string conversion', exit 3, on both engines.
LONG = "9" * 5000


@ENGINES
@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("score", LONG),  # an answer off every scale
        ("score", "\u0669" * 5000),  # in Arabic-Indic digits: its hint gives the ASCII number
        ("score", LONG + "/10"),  # with its scale: its hint gives the number alone
        ("date", LONG),  # an Excel day number? a number since 1970?
    ],
)
def test_a_cell_of_thousands_of_digits_is_told_at_its_place_not_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, column: str, cell: str
) -> None:
    cells = {"score": "4", "date": "2026-04-02"} | {column: cell}
    path = tmp_path / "long.csv"
    path.write_text(
        "touchpoint,metric,score,date\n"
        "choose-delivery-slot,csat,5,2026-04-01\n"
        f"choose-delivery-slot,csat,{cells['score']},{cells['date']}\n"
        "choose-delivery-slot,csat,3,2026-04-03\n",
        encoding="utf-8",
    )
    code, data = report(capsys, "--responses", path, engine)
    assert code in (0, 1)
    told = [p for p in data["problems"] if p["line"] == 3]
    assert [(p["code"], p["col"]) for p in told] == [("score", 27) if column == "score" else ("invalid-date", 29)]
    assert len(told[0]["message"]) < 300 and len(told[0]["hint"] or "") < 300  # the cell quoted cut
    assert csat_n(data) == (2 if column == "score" else 3)


@ENGINES
def test_a_last_row_cut_short_in_a_score_of_thousands_of_digits_is_told_cut_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    # a short last row without a line end: whether its last cell is a whole answer (no cut) read it as a number
    path = tmp_path / "cut.csv"
    path.write_text(f"touchpoint,metric,score,date\nchoose-delivery-slot,csat,5,2026-04-01\nchoose-delivery-slot,csat,{LONG}",
                    encoding="utf-8")
    code, data = report(capsys, "--responses", path, engine)
    assert code == 1
    assert [(p["line"], p["code"]) for p in data["problems"]] == [(3, "cut-short")]
    assert csat_n(data) == 1


#: A download or a copy cut inside a character: the last of 'Très bien ☺' is three bytes, E2 98 BA, of which two came.
CUT_IN_A_CHARACTER = "Tr\u00e8s bien \u263a".encode()[:-1]


@ENGINES
@pytest.mark.parametrize("quoted", [False, True])
def test_a_survey_file_cut_inside_a_character_is_cut_short_and_the_rows_before_it_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, quoted: bool
) -> None:
    # It was 'this row is not UTF-8 text (byte 0xe2, which is â in Windows-1252...)': a Windows file, save it as UTF-8
    path = tmp_path / "cut.csv"
    quote = b'"' if quoted else b""
    path.write_bytes(b"touchpoint,metric,score,comment\nchoose-delivery-slot,csat,5,fine\nchoose-delivery-slot,csat,4,ok\n"
                     b"choose-delivery-slot,csat,2," + quote + CUT_IN_A_CHARACTER)
    code, data = report(capsys, "--responses", path, engine)
    assert code == 1
    assert [(p["line"], p["col"], p["code"]) for p in data["problems"]] == [(4, 39 + quoted, "cut-short")]
    cut = data["problems"][0]
    assert "ends inside a character" in cut["message"] and "Windows" not in cut["message"] + (cut["hint"] or "")
    assert csat_n(data) == 2


@ENGINES
def test_a_metrics_table_cut_inside_a_character_keeps_its_rows_before_the_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    # Its start decides whether a file is text at all: the whole table was 'not UTF-8', none of it read
    path = tmp_path / "cut.csv"
    path.write_bytes(b"touchpoint,metric,value,n,period\nchoose-delivery-slot,csat,58%,412,2026-Q3\n"
                     b"choose-delivery-slot,csat,63%,455,2026-Q4\nchoose-delivery-slot,csat,6\xc3")
    code, data = report(capsys, "--metrics", path, engine)
    assert code == 1
    assert [(p["line"], p["col"], p["code"]) for p in data["problems"]] == [(4, 28, "cut-short")]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert (slot["metrics"]["csat"]["value"], slot["metrics"]["csat"]["n"]) == (0.63, 455)


@ENGINES
@pytest.mark.parametrize("option", ["--responses", "--metrics"])
def test_a_gzip_file_cut_short_keeps_its_rows_before_the_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, option: str
) -> None:
    # It was one error without a place, 'the gzip file is cut short or damaged, so none of its rows are read'
    import gzip

    if option == "--responses":
        lines = ["touchpoint,metric,score,comment"] + [f"choose-delivery-slot,csat,{1 + i % 5},comment number {i}" for i in range(400)]
    else:
        lines = ["touchpoint,metric,value,n,period"] + [f"choose-delivery-slot,csat,{50 + i % 40}%,{100 + i},{2000 + i // 4}-Q{1 + i % 4}"
                                                       for i in range(100)]
    whole = gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)
    cut = next(size for size in range(len(whole) - 8, 0, -1) if _held(whole[:size]).count(b"\n") < len(lines) - 5
               and not _held(whole[:size]).endswith(b"\n"))
    held = _held(whole[:cut])
    path = tmp_path / "export.csv.gz"
    path.write_bytes(whole[:cut])
    code, data = report(capsys, option, path, engine)
    assert code == 1
    line = held.count(b"\n") + 1
    column = len(held.rsplit(b"\n", 1)[1]) + 1
    assert [(p["line"], p["col"], p["code"]) for p in data["problems"]] == [(line, column, "cut-short")]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    if option == "--responses":
        assert slot["metrics"]["csat"]["n"] == line - 2  # the rows before the cut line
    else:
        assert len(slot["metrics"]["csat"]["series"]) == line - 2


def _held(cut: bytes) -> bytes:
    """What a gzip stream cut short decompresses to."""
    import zlib

    return zlib.decompressobj(31).decompress(cut)


@ENGINES
@pytest.mark.parametrize("option", ["--responses", "--metrics"])
def test_gzip_data_joined_after_the_text_is_one_error_naming_its_line_and_the_rows_above_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, option: str
) -> None:
    # cat a.csv b.csv.gz > all.csv: it was an encoding error a line of compressed bytes, each told 'which is ‹ in
    # Windows-1252' with the iconv line for Windows files; in a small table, 'the file is not UTF-8', none of it read
    import gzip

    if option == "--responses":
        text = "touchpoint,metric,score\n" + "".join(f"choose-delivery-slot,csat,{1 + i % 5}\n" for i in range(30))
    else:
        text = "touchpoint,metric,value,n,period\nchoose-delivery-slot,csat,58%,412,2026-Q3\nchoose-delivery-slot,csat,63%,455,2026-Q4\n"
    path = tmp_path / "joined.csv"
    path.write_bytes(text.encode() + gzip.compress(text.encode() * 40, mtime=0))
    code, data = report(capsys, option, path, engine)
    assert code == 1
    line = text.count("\n") + 1
    assert [(p["line"], p["col"], p["code"]) for p in data["problems"]] == [(line, 1, "gzip")]
    said = data["problems"][0]
    assert "gzip-compressed" in said["message"] and "Windows" not in said["message"] + said["hint"]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert slot["metrics"]["csat"]["n"] == (30 if option == "--responses" else 455)


@ENGINES
def test_a_survey_period_before_2000_is_a_placeholder_as_such_a_date_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    # '0001-01' was a period of its own, without a word: the series' first, its trend over 24,300 months
    path = tmp_path / "periods.csv"
    path.write_text("touchpoint,metric,score,period\n" + "".join(
        f"choose-delivery-slot,csat,{score},{label}\n" for score, label in
        [(5, "2026-01"), (4, "2026-02"), (1, "0001-01"), (3, "1985-Q2"), (4, "2026-03")]), encoding="utf-8")
    code, data = report(capsys, "--responses", path, engine)
    assert code == 0
    assert [(p["line"], p["col"], p["code"]) for p in data["problems"]] == [
        (4, 1, "no-period"), (4, 29, "placeholder-period"), (5, 29, "placeholder-period")]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert [p["period"] for p in slot["metrics"]["csat"]["series"]] == ["2026-01", "2026-02", "2026-03"]


@ENGINES
def test_a_metrics_table_period_before_1900_is_a_placeholder_and_its_row_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    path = tmp_path / "history.csv"
    path.write_text("touchpoint,metric,value,n,period\nchoose-delivery-slot,csat,58%,412,0001-Q3\n"
                    "choose-delivery-slot,csat,63%,455,2026-Q4\nchoose-delivery-slot,csat,60%,400,1995-Q4\n", encoding="utf-8")
    code, data = report(capsys, "--metrics", path, engine)
    assert [(p["line"], p["code"]) for p in data["problems"]] == [(2, "placeholder-period")]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert [p["period"] for p in slot["metrics"]["csat"]["series"]] == ["1995-Q4", "2026-Q4"]
