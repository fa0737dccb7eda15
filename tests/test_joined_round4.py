"""Survey files joined with cat (each saved with a byte-order mark, each with its header), header names taken for
journeymap's own by a "did you mean" that compared plain different words, and LiveChat's chat start date. Each is read
as it means, the same on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeymap.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
BOM = "\ufeff"


def write(path: Path, lines: list[str], bom: bool = False) -> Path:
    path.write_bytes(((BOM if bom else "") + "\n".join(lines) + "\n").encode("utf-8"))
    return path


def report(args: list[str], engine: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["report", str(SAMPLE), *args, "--engine", engine, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def nps(out: dict) -> tuple[float, int]:  # type: ignore[type-arg]
    found = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]
    return found["value"], found["n"]


# --- files joined with cat ---------------------------------------------------------------------------------------------

BOM_ROW = ("this line starts with a byte-order mark (U+FEFF), which only a file's start holds (files each saved with one,"
           " joined with cat): the row is read without it")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_rows_starting_with_a_byte_order_mark_are_read_without_it_told_once(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Files saved as 'CSV UTF-8' start with a byte-order mark; joined with cat (the later ones without their header
    lines), the mark lands at the start of a line in the middle: each such row was an unknown-touchpoint error (its
    hint naming the invisible character) and was dropped. Each is read as its text without the mark, and told once,
    at the first, with the count."""
    first = write(tmp_path / "a.csv", ["touchpoint,metric,score,date", "rate-first-order,nps,10,2026-01-02",
                                       "rate-first-order,nps,9,2026-01-03"], bom=True)
    second = write(tmp_path / "b.csv", ["rate-first-order,nps,3,2026-01-04", "rate-first-order,nps,8,2026-01-05"], bom=True)
    third = write(tmp_path / "c.csv", ["rate-first-order,nps,10,2026-01-06"], bom=True)
    empty = write(tmp_path / "d.csv", [""], bom=True)  # a mark and a line end: a blank line, no row
    joined = tmp_path / "all.csv"
    joined.write_bytes(first.read_bytes() + second.read_bytes() + third.read_bytes() + empty.read_bytes())
    code, out = report(["--responses", str(joined)], engine, capsys)
    assert code == 0
    told = [(p["line"], p["col"], p["level"], p["code"], p["message"]) for p in out["problems"]]
    assert told == [(4, 1, "warning", "byte-order-mark", f"{BOM_ROW} (2 rows: lines 4, 6)")]
    assert nps(out) == (40.0, 5)  # 3 promoters, 1 passive, 1 detractor


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_header_repeated_by_cat_is_no_row_told_once_with_its_byte_order_mark(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Three files joined with cat, each with its byte-order mark and its header: the second and third headers (each
    after a mark) are no rows, told once with the count, and not told besides as a byte-order mark."""
    parts = [write(tmp_path / f"{k}.csv", ["touchpoint,metric,score", f"rate-first-order,nps,{s}"], bom=True)
             for k, s in (("a", 10), ("b", 9), ("c", 2))]
    joined = tmp_path / "all.csv"
    joined.write_bytes(b"".join(p.read_bytes() for p in parts))
    code, out = report(["--responses", str(joined)], engine, capsys)
    assert code == 0
    told = [(p["line"], p["col"], p["level"], p["code"], p["message"].split(" (")[0]) for p in out["problems"]]
    assert told == [(3, 1, "warning", "export-header", "this row repeats the header's names")]
    assert out["problems"][0]["message"].endswith("(2 rows: lines 3, 5)")
    assert nps(out) == (pytest.approx(100 / 3, abs=0.001), 3)  # 2 promoters, 1 detractor


# --- "did you mean" for a plain different word -------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_header_name_that_is_another_word_is_no_typo_of_journeymaps(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """'Response Status' was "did you mean 'respondent'?" and 'Duplicate' "did you mean 'date'?": each shares a first
    letter and some letters with the name, which let the guess through, though neither is a slip of the keys. A guess
    now needs a typo (an edit or two: a letter wrong, missing, doubled or two swapped, as many as one in four letters)
    unless the name holds the whole other name or is most of it; the real typos keep theirs."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,Response Status,Duplicate,respondant,dtae,touchpiont,Datum Export",
                                         "rate-first-order,nps,10,Complete,no,r1,2026-01-02,x,y"])
    code, out = report(["--responses", str(answers)], engine, capsys)
    assert code == 0
    told = [(p["message"], p["hint"]) for p in out["problems"] if p["code"] == "unknown-column"]
    assert told == [  # in the order of the header's cells they point at
        ("3 columns are not ones journeymap reads; they are ignored: 'Response Status', 'Duplicate', 'Datum Export'",
         "known columns: touchpoint, metric, score, respondent, date, period, persona, segment, comment, status"),
        ("column 'respondant' is not one journeymap reads; it is ignored", "did you mean 'respondent'?"),
        ("column 'dtae' is not one journeymap reads; it is ignored", "did you mean 'date'?"),
        ("column 'touchpiont' is not one journeymap reads; it is ignored", "did you mean 'touchpoint'?"),
    ]


# --- LiveChat's chat start date ----------------------------------------------------------------------------------------

LIVECHAT = "it looks like the date column: read it with --responses-column 'date=Chat start date'"


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_livechats_chat_start_date_is_the_answers_date_when_no_better_one_is_there(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """LiveChat's chats export dates each chat by 'Chat start date' (its rating is given at the chat's end): it was
    among the ignored columns, and the answers had no period. It is taken as the answers' date, told with the option
    that reads it, and read with it; beside a column that names when the answer was given ('Rated at') or the date
    column itself, that one is the date, and the chat's start is ignored."""
    rows = ["rate-first-order,csat,5,2026-01-02 10:00:00,2026-01-02", "rate-first-order,csat,2,2026-02-03 11:00:00,2026-02-03"]
    export = write(tmp_path / "livechat.csv", ["touchpoint,metric,score,Chat start date,Chat ID",
                                               *(r.rsplit(",", 1)[0] + ",c1" for r in rows)])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 0
    told = [(p["code"], p["message"], p["hint"]) for p in out["problems"]]
    assert told[0] == ("unknown-column", "column 'Chat start date' is not one journeymap reads; it is ignored", LIVECHAT)
    code, out = report(["--responses", str(export), "--responses-column", "date=Chat start date", "--period", "month"],
                       engine, capsys)
    assert code == 0
    csat = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["csat"]
    assert [point["period"] for point in csat["series"]] == ["2026-01", "2026-02"]
    for better in ("Rated at", "date"):
        beside = write(tmp_path / "both.csv", [f"touchpoint,metric,score,Chat start date,{better}", *rows])
        code, out = report(["--responses", str(beside)], engine, capsys)
        assert code == 0
        hints = [p["hint"] for p in out["problems"]]
        assert LIVECHAT not in hints
        assert any("known columns" in (h or "") for h in hints)  # the chat's start among the ignored columns


def test_a_livechat_export_without_journeymaps_columns_reads_its_chat_start_date(tmp_path: Path,
                                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """An export of one survey (no touchpoint or metric column): the missing-column error's one command line reads the
    chat start date as the date with the rest."""
    export = write(tmp_path / "livechat.csv", ["Chat ID,Chat start date,Rating", "c1,2026-01-02 10:00:00,5"])
    code, out = report(["--responses", str(export)], "python", capsys)
    assert code == 1
    hint = next(p["hint"] for p in out["problems"] if p["code"] == "missing-column")
    assert '"Chat start date" AS date' in hint


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_metrics_table_joined_with_cat_reads_its_marked_row(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Metrics tables joined with cat: the second's row after its byte-order mark was an unknown touchpoint; it is read,
    with the one warning."""
    first = write(tmp_path / "a.csv", ["touchpoint,metric,value,n", "rate-first-order,csat,80%,100"], bom=True)
    second = write(tmp_path / "b.csv", ["choose-delivery-slot,csat,70%,50"], bom=True)
    joined = tmp_path / "all.csv"
    joined.write_bytes(first.read_bytes() + second.read_bytes())
    code, out = report(["--metrics", str(joined)], engine, capsys)
    assert code == 0
    assert [(p["line"], p["col"], p["code"], p["message"]) for p in out["problems"]] == [(3, 1, "byte-order-mark", BOM_ROW)]
    slot = next(t for t in out["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (slot["value"], slot["n"]) == (0.7, 50)


def test_duckdb_reads_a_file_whose_mark_is_inside_a_cell_itself(tmp_path: Path) -> None:
    """Only a mark that starts a line sends the file to the row reader: one inside a comment ('good\\ufeff', as an export
    leaves it) is the cell's, and DuckDB reads the file itself (its first version of the check handed it over)."""
    from journeymap.data.engines import survey
    from journeymap.loader import load

    journey = load(SAMPLE)
    inside = write(tmp_path / "a.csv", ["touchpoint,metric,score,comment", f"rate-first-order,nps,9,good{BOM}",
                                        f"rate-first-order,nps,10,{BOM}fine"])
    answers = survey.read_responses([inside], journey, None)
    assert answers is not None
    joined = write(tmp_path / "b.csv", ["touchpoint,metric,score", "rate-first-order,nps,9", f"{BOM}rate-first-order,nps,10"])
    with pytest.raises(survey.Fallback):
        survey.read_responses([joined], journey, None)
