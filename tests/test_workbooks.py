"""Survey responses and metric tables given as workbooks (.xlsx, .ods) read as the same data saved as CSV, on both
engines: the same values, series, verbatims and problems, placed at the sheet's row and column.

The workbooks are written by hand in each test (tests/workbook_files.py: an .xlsx is a zip of XML), so that
what a cell holds (a number, a date, an error) is plain in the test."""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.data import MetricData, load_metric_data
from journeymap.data.engines import EngineOptions
from journeymap.loader import load_text
from journeymap.model import Journey

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workbook_files import ExcelError, write_ods, write_xlsx  # noqa: E402

pytest.importorskip("python_calamine")
pytest.importorskip("duckdb")

JOURNEY = """\
journeymap: 1
id: support
title: Support
personas: [{id: new, name: New customer}, {id: regular, name: Regular}]
channels: [{id: web, name: Web}, {id: chat, name: Chat}]
stages: [{id: help, name: Help}]
metrics:
  csat: {target: 0.75}
touchpoints:
  - {id: search-faq, name: Search the FAQ, stage: help, channel: web, next: [{to: chat-agent, share: 0.5}]}
  - {id: chat-agent, name: Chat with an agent, stage: help, channel: chat, next: [{to: solved, share: 0.8}]}
  - {id: solved, name: Solved, stage: help, channel: web, outcome: success}
"""
ENGINES = ("python", "duckdb")
HEADER = ["touchpoint", "metric", "score", "respondent", "date", "persona", "comment"]

#: Answers as a survey tool's workbook holds them (numbers as floats, dates as date cells) and, beside each, the CSV
#: text Excel saves of them.
ANSWERS = [
    (["chat-agent", "csat", 4.0, "r1", date(2026, 4, 2), "new", "Quick, and \"friendly\""],
     'chat-agent,csat,4,r1,2026-04-02,new,"Quick, and ""friendly"""'),
    (["chat-agent", "csat", 2.0, "r2", datetime(2026, 4, 20, 9, 30), "regular", "The wait was awful"],
     "chat-agent,csat,2,r2,2026-04-20 09:30:00,regular,The wait was awful"),
    (["chat-agent", "csat", 5.0, "r3", "2026-05-03", "new", None],
     "chat-agent,csat,5,r3,2026-05-03,new,"),
    (["search-faq", "nps", 9.0, "r1", date(2026, 5, 4), None, "Found it"],
     "search-faq,nps,9,r1,2026-05-04,,Found it"),
    (["search-faq", "nps", 3.0, 1234567.0, date(2026, 5, 9), "regular", None],
     "search-faq,nps,3,1234567,2026-05-09,regular,"),
    (["search-faq", "nps", 10.0, "r5", date(2026, 6, 1), "new", "Great\nreally great"],
     'search-faq,nps,10,r5,2026-06-01,new,"Great\nreally great"'),
]


@pytest.fixture(scope="module")
def journey() -> Journey:
    return load_text(JOURNEY)


def as_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def renamed(data: MetricData, old: str, new: str) -> str:
    """The data read, as text, with one file's name written as another's, and without the columns of places: a CSV
    file's are characters of its line, a sheet's its columns (:func:`test_a_problem_is_placed_at_the_sheets_row_and_column`)."""
    return re.sub(r"col=[0-9]+", "col=", repr(data).replace(old, new))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("period", [None, "month"])
def test_a_workbook_gives_what_the_same_answers_saved_as_csv_give(tmp_path: Path, journey: Journey, engine: str,
                                                                  period: str | None) -> None:
    book = write_xlsx(tmp_path / "answers.xlsx", {"Responses": [HEADER, *(cells for cells, _ in ANSWERS)]})
    text = as_csv(tmp_path / "answers.csv", [",".join(HEADER), *(line for _, line in ANSWERS)])
    from_book = load_metric_data(journey, responses=book, period=period, engine=engine)
    from_text = load_metric_data(journey, responses=text, period=period, engine=engine)
    assert from_text.points and from_text.verbatims  # the answers are read, comments and all
    assert renamed(from_book, str(book), str(text)) == renamed(from_text, "", "")


def test_the_report_of_a_workbook_is_the_reports_of_its_csv_on_both_engines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journey = as_csv(tmp_path / "support.journey.yaml", JOURNEY.splitlines())
    book = write_xlsx(tmp_path / "answers.xlsx", {"Responses": [HEADER, *(cells for cells, _ in ANSWERS)]})
    text = as_csv(tmp_path / "answers.csv", [",".join(HEADER), *(line for _, line in ANSWERS)])
    reports = []
    for engine in ENGINES:
        for file in (book, text):
            code = main(["report", str(journey), "--responses", str(file), "--period", "month", "--engine", engine,
                         "--format", "json"])
            out, err = capsys.readouterr()
            reports.append((code, json.loads(out.replace(file.name, "FILE")), err.replace(file.name, "FILE")))
    assert reports[0][0] == 0 and reports[0][1]["touchpoints"]
    assert all(report == reports[0] for report in reports)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_problem_is_placed_at_the_sheets_row_and_column(tmp_path: Path, journey: Journey, engine: str) -> None:
    """The data starts at B3 and a comment holding a line break comes first: the CSV copy's lines and characters
    are not the sheet's, and every place is told in the sheet's rows and columns."""
    rows: list[list[object]] = [[], [], [None, "touchpoint", "metric", "score", "comment"],
                                [None, "chat-agent", "csat", 4, "two\nlines"],
                                [None, "chat-agent", "csat", 9, "a long comment, with commas, before the score"],
                                [None, "chat-agnet", "csat", 3, None]]
    book = write_xlsx(tmp_path / "export.xlsx", {"Sheet1": rows})  # type: ignore[dict-item]
    data = load_metric_data(journey, responses=book, engine=engine)
    placed = {p.code: (p.span.line, p.span.col) for p in data.problems}
    assert placed == {"score": (5, 4), "unknown-touchpoint": (6, 2)}, [str(p) for p in data.problems]
    assert data.get("chat-agent", "csat") is not None and data.get("chat-agent", "csat").span.line == 4  # type: ignore[union-attr]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_qualtrics_exports_header_rows_are_told_as_in_its_csv(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Qualtrics writes three header rows (names, question texts, import ids) into its .xlsx as into its CSV."""
    rows = [["touchpoint", "metric", "score", "respondent"], ["Which step?", "Which metric?", "How satisfied?", "Response ID"],
            ['{"ImportId":"QID1"}', '{"ImportId":"QID2"}', '{"ImportId":"QID3"}', '{"ImportId":"_recordId"}'],
            ["chat-agent", "csat", 4, "R_1"], ["chat-agent", "csat", 9, "R_2"]]
    book = write_xlsx(tmp_path / "qualtrics.xlsx", {"Sheet0": rows})  # type: ignore[dict-item]
    text = as_csv(tmp_path / "qualtrics.csv", ["touchpoint,metric,score,respondent", "Which step?,Which metric?,How satisfied?,Response ID",
                                              '"{""ImportId"":""QID1""}","{""ImportId"":""QID2""}","{""ImportId"":""QID3""}",'
                                              '"{""ImportId"":""_recordId""}"', "chat-agent,csat,4,R_1", "chat-agent,csat,9,R_2"])
    from_book = load_metric_data(journey, responses=book, engine=engine)
    from_text = load_metric_data(journey, responses=text, engine=engine)
    assert [(p.code, p.span.line, p.span.col) for p in from_book.problems] == [("export-header", 2, 1), ("export-header", 3, 1),
                                                                               ("score", 5, 3)]
    assert [p.message for p in from_book.problems] == [p.message for p in from_text.problems]
    # the CSV file's command, and what it means for a workbook
    assert from_book.problems[0].hint == (from_text.problems[0].hint or "") + (
        " (for a workbook: make that change in the sheet, or save the sheet as CSV UTF-8 as FILE)")
    assert from_book.points == {key: replace(point, source=str(book), span=replace(point.span, file=str(book), col=1))
                                for key, point in from_text.points.items()}


@pytest.mark.parametrize("engine", ENGINES)
def test_dates_as_date_cells_and_as_text_fall_in_the_same_periods(tmp_path: Path, journey: Journey, engine: str) -> None:
    cells = [HEADER[:5], ["chat-agent", "csat", 4, "a", date(2026, 3, 31)], ["chat-agent", "csat", 5, "b", datetime(2026, 4, 1, 0, 5)],
             ["chat-agent", "csat", 1, "c", "2026-04-30"], ["chat-agent", "csat", 2, "d", "2026-05-02 10:00"]]
    book = write_xlsx(tmp_path / "dates.xlsx", {"Sheet1": cells})  # type: ignore[dict-item]
    point = load_metric_data(journey, responses=book, period="month", engine=engine).get("chat-agent", "csat")
    assert point is not None
    assert [(p.period, p.n) for p in point.series] == [("2026-03", 1), ("2026-04", 2), ("2026-05", 1)]


@pytest.mark.parametrize("engine", ENGINES)
def test_numbers_are_read_as_excel_shows_them(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A score stored as the float 4.0 is the answer 4, and a metric's 0.1 + 0.2 is 0.3, not 0.30000000000000004."""
    book = write_xlsx(tmp_path / "metrics.xlsx", {"Sheet1": [
        ["touchpoint", "metric", "value", "n"], ["chat-agent", "csat", 0.1 + 0.2, 120.0], ["search-faq", "nps", -12.0, 40.0]]})
    data = load_metric_data(journey, metrics=book, engine=engine)
    assert [(p.value, p.n) for p in (data.get("chat-agent", "csat"), data.get("search-faq", "nps")) if p] == [(0.3, 120), (-12, 40)]
    assert not data.problems
    answers = write_xlsx(tmp_path / "answers.xlsx", {"Sheet1": [["touchpoint", "metric", "score"], ["chat-agent", "csat", 9.0]]})
    [problem] = load_metric_data(journey, responses=answers, engine=engine).problems
    assert problem.message.startswith("CSAT score 9 is off the 1..5 answer scale")  # not '9.0'


@pytest.mark.parametrize("engine", ENGINES)
def test_a_metric_tables_periods_as_date_cells_give_a_series(tmp_path: Path, journey: Journey, engine: str) -> None:
    rows = [["touchpoint", "metric", "value", "period"], *(["chat-agent", "csat", value, date(2026, month, 1)]
                                                          for month, value in ((3, 0.71), (4, 0.8), (5, 0.75)))]
    book = write_xlsx(tmp_path / "monthly.xlsx", {"Sheet1": rows})  # type: ignore[dict-item]
    text = as_csv(tmp_path / "monthly.csv", ["touchpoint,metric,value,period", "chat-agent,csat,0.71,2026-03-01",
                                             "chat-agent,csat,0.8,2026-04-01", "chat-agent,csat,0.75,2026-05-01"])
    from_book = load_metric_data(journey, metrics=book, engine=engine)
    point = from_book.get("chat-agent", "csat")
    assert point is not None and [p.value for p in point.series] == [0.71, 0.8, 0.75]
    assert renamed(from_book, str(book), str(text)) == renamed(load_metric_data(journey, metrics=text, engine=engine), "", "")


@pytest.mark.parametrize("engine", ENGINES)
def test_error_cells_are_read_as_their_text_and_named(tmp_path: Path, journey: Journey, engine: str) -> None:
    """#N/A is no answer, as the text '#N/A' of a CSV file is; #DIV/0! is a score that is not a number (a formula's
    error, the score's message says); #VALUE! in a comment would be a comment, unless named: the warning names the
    error cells of the columns read as text."""
    book = write_xlsx(tmp_path / "errors.xlsx", {"Sheet1": [
        ["touchpoint", "metric", "score", "comment"], ["chat-agent", "csat", ExcelError("#N/A"), None],
        ["chat-agent", "csat", ExcelError("#DIV/0!"), None], ["chat-agent", "csat", 4, ExcelError("#VALUE!")],
        ["chat-agent", "csat", 5, ExcelError("#REF!")]]})
    told = [(p.code, p.level, str(p.span), p.message, p.hint) for p in load_metric_data(journey, responses=book, engine=engine).problems]
    assert [t[:3] for t in told] == [("blank-score", "warning", f"{book}:2:3"), ("score", "error", f"{book}:3:3"),
                                     ("error-cell", "warning", f"{book}:4:4")]
    assert "'#DIV/0!' is a spreadsheet formula's error" in (told[1][4] or "")
    assert "2 cells hold an Excel error, a formula that failed (D4 #VALUE!, D5 #REF!)" in told[2][3]


def test_of_several_sheets_the_first_with_the_columns_is_read_and_the_others_named(tmp_path: Path, journey: Journey) -> None:
    answers = [["touchpoint", "metric", "score"], ["chat-agent", "csat", 4], ["chat-agent", "csat", 2]]
    book = write_xlsx(tmp_path / "export.xlsx", {"About": [["Exported by the survey tool"]], "Old": answers,
                                                 "Responses": answers[:2], "Chart": [["x", "y"], [1, 2]]}, hidden=["Old"])
    for engine in ENGINES:
        data = load_metric_data(journey, responses=book, engine=engine)
        point = data.get("chat-agent", "csat")
        assert point is not None and point.n == 1  # the visible sheet, not the hidden one before it
        assert [(p.code, p.level) for p in data.problems] == [("workbook-sheet", "warning")]
        assert ("sheet 'Responses' is read as the responses table" in data.problems[0].message
                and "'About' and 'Chart' are not read, nor is the hidden sheet 'Old'" in data.problems[0].message)


def test_the_sheet_is_chosen_by_the_columns_the_option_names(tmp_path: Path, journey: Journey) -> None:
    """An export's own column names (--responses-column score=Rating) choose its sheet as journeymap's names do."""
    book = write_xlsx(tmp_path / "export.xlsx", {"Notes": [["touchpoint", "metric", "score"], ["chat-agent", "csat", "see next sheet"]],
                                                 "Ratings": [["touchpoint", "metric", "Rating"], ["chat-agent", "csat", 4]]})
    for engine in ENGINES:
        data = load_metric_data(journey, responses=book, engine=engine, event_options=EngineOptions(response_columns=(("score", "Rating"),)))
        point = data.get("chat-agent", "csat")
        assert point is not None and point.n == 1
        assert [p.code for p in data.problems] == ["workbook-sheet"] and "sheet 'Ratings' is read" in data.problems[0].message


@pytest.mark.parametrize("engine", ENGINES)
def test_several_workbooks_are_pooled_each_named_in_its_problems(tmp_path: Path, journey: Journey, engine: str) -> None:
    first = write_xlsx(tmp_path / "wave-1.xlsx", {"S": [["touchpoint", "metric", "score", "respondent"], ["chat-agent", "csat", 4, "a"],
                                                        ["chat-agent", "csat", 7, "b"]]})
    second = write_ods(tmp_path / "wave-2.ods", {"S": [[], ["touchpoint", "metric", "score", "respondent"], ["chat-agent", "csat", 2, "c"],
                                                       ["chat-agnet", "csat", 5, "d"]]})
    data = load_metric_data(journey, responses=[first, second], engine=engine)
    assert [(p.code, str(p.span)) for p in data.problems] == [("score", f"{first}:3:3"), ("unknown-touchpoint", f"{second}:4:1")]
    point = data.get("chat-agent", "csat")
    assert point is not None and point.n == 2 and point.source == f"{first}, {second}"


def test_a_workbook_with_no_sheet_to_read_is_an_error_listing_its_sheets(tmp_path: Path, journey: Journey) -> None:
    book = write_xlsx(tmp_path / "export.xlsx", {"About": [["Exported by the survey tool"]], "Chart": [["x", "y"], [1, 2]]})
    [problem] = load_metric_data(journey, responses=book).problems
    assert problem.is_error and problem.code == "workbook"
    assert "'About' (first row: Exported by the survey tool); 'Chart' (first row: x, y)" in problem.message
    empty = write_xlsx(tmp_path / "empty.xlsx", {"Sheet1": []})
    [problem] = load_metric_data(journey, metrics=empty).problems
    assert problem.is_error and "the workbook holds no data: its sheet 'Sheet1' is empty" in problem.message


def test_without_python_calamine_a_workbook_is_a_clear_error(tmp_path: Path, journey: Journey,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    book = write_xlsx(tmp_path / "answers.xlsx", {"Sheet1": [["touchpoint", "metric", "score"], ["chat-agent", "csat", 4]]})
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # its import fails
    for engine in ENGINES:
        [problem] = load_metric_data(journey, responses=book, engine=engine).problems
        assert problem.is_error and "needs python-calamine, which is not installed" in problem.message
        assert "pip install 'journeymap[excel]'" in (problem.hint or "")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_damaged_or_encrypted_workbook_is_one_clear_error(tmp_path: Path, journey: Journey, engine: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", {"Sheet1": [["touchpoint", "metric", "score"], ["chat-agent", "csat", 4]]})
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[:400])  # a download cut short
    [problem] = load_metric_data(journey, responses=cut, engine=engine).problems
    assert problem.is_error and problem.message.startswith("the file cannot be read as a workbook")
    # Excel saves a workbook with a password as an OLE file holding an 'EncryptedPackage' stream
    locked = tmp_path / "locked.xlsx"
    # (its directory, which names the stream, may be anywhere: at the end of a big workbook)
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504 + 3_000_000) + "EncryptedPackage".encode("utf-16-le") + bytes(2000))
    [problem] = load_metric_data(journey, responses=locked, engine=engine).problems
    assert problem.is_error and "protected by a password" in problem.message
    journey_file = as_csv(tmp_path / "support.journey.yaml", JOURNEY.splitlines())
    assert main(["report", str(journey_file), "--responses", str(cut), "--engine", engine]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_a_workbook_and_a_text_file_under_each_others_names_are_read_as_what_they_are(tmp_path: Path, journey: Journey) -> None:
    answers = [["touchpoint", "metric", "score"], ["chat-agent", "csat", 4]]
    book = tmp_path / "export.csv"
    book.write_bytes(write_xlsx(tmp_path / "export.xlsx", {"Sheet1": answers}).read_bytes())
    text = as_csv(tmp_path / "legacy.xls", ["touchpoint,metric,score", "chat-agent,csat,4"])
    for file in (book, text):
        data = load_metric_data(journey, responses=file)
        assert data.get("chat-agent", "csat") is not None and data.get("chat-agent", "csat").n == 1  # type: ignore[union-attr]
        assert [(p.code, p.level) for p in data.problems] == [("workbook", "warning")]


@pytest.mark.parametrize("engine", ENGINES)
def test_an_ods_spreadsheet_reads_as_the_xlsx_of_the_same_cells(tmp_path: Path, journey: Journey, engine: str) -> None:
    cells = [HEADER, *(cells for cells, _ in ANSWERS), ["chat-agent", "csat", 9, "r9", date(2026, 6, 2), None, None]]
    xlsx = load_metric_data(journey, responses=write_xlsx(tmp_path / "a.xlsx", {"S": cells}), period="month", engine=engine)
    ods = load_metric_data(journey, responses=write_ods(tmp_path / "a.ods", {"S": cells}), period="month", engine=engine)
    assert [str(p) for p in ods.problems] == [str(p).replace("a.xlsx", "a.ods") for p in xlsx.problems]
    assert [str(p) for p in ods.problems][-1].endswith("a.ods:8:3: error[score]: CSAT score 9 is off the 1..5 answer scale"
                                                       " (CSAT answers are 1..5; a 0..10 score is another scale: convert"
                                                       " the answers to 1..5, or survey them on that scale)")
    assert renamed(ods, "a.ods", "a.xlsx") == renamed(xlsx, "", "")


@pytest.mark.parametrize("engine", ENGINES)
def test_an_ods_error_cell_is_its_error_not_the_zero_beside_it(tmp_path: Path, journey: Journey, engine: str) -> None:
    """LibreOffice keeps a failed formula as a value of 0 and the error as its text: read as the 0, a #DIV/0! NPS
    answer was counted as a detractor, and an #N/A CSAT answer as a score left blank without its name."""
    cells = [["touchpoint", "metric", "score", "comment"], ["search-faq", "nps", ExcelError("#DIV/0!"), None],
             ["search-faq", "nps", 9, ExcelError("#VALUE!")], ["chat-agent", "csat", ExcelError("#N/A"), None]]
    ods = load_metric_data(journey, responses=write_ods(tmp_path / "a.ods", {"S": cells}), engine=engine)
    xlsx = load_metric_data(journey, responses=write_xlsx(tmp_path / "a.xlsx", {"S": cells}), engine=engine)
    assert [(p.code, p.span.line, p.span.col) for p in ods.problems] == [("score", 2, 3), ("error-cell", 3, 4), ("blank-score", 4, 3)]
    assert renamed(ods, "a.ods", "a.xlsx") == renamed(xlsx, "", "")
    nps = ods.get("search-faq", "nps")
    assert nps is not None and nps.n == 1 and nps.value == 100


def test_no_copy_is_left_behind(tmp_path: Path, journey: Journey, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    book = write_xlsx(tmp_path / "a.xlsx", {"S": [HEADER, *(cells for cells, _ in ANSWERS)]})
    for engine in ENGINES:
        assert load_metric_data(journey, responses=book, engine=engine).points
    assert os.listdir(scratch) == []


def test_a_folder_of_workbooks_is_read_without_excels_lock_file(tmp_path: Path, journey: Journey) -> None:
    folder = tmp_path / "waves"
    folder.mkdir()
    write_xlsx(folder / "wave-1.xlsx", {"S": [["touchpoint", "metric", "score"], ["chat-agent", "csat", 4]]})
    as_csv(folder / "wave-2.csv", ["touchpoint,metric,score", "chat-agent,csat,2"])
    (folder / "~$wave-1.xlsx").write_bytes(b"\x05alice" + bytes(160))  # Excel has wave-1.xlsx open
    data = load_metric_data(journey, responses=folder)
    point = data.get("chat-agent", "csat")
    assert point is not None and point.n == 2
    assert [(p.code, p.level, "lock file" in p.message) for p in data.problems] == [("io", "warning", True)]


@pytest.mark.parametrize("engine", ENGINES)
def test_an_event_log_given_as_a_workbook_is_an_error_that_says_why(tmp_path: Path, engine: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    journey_file = as_csv(tmp_path / "support.journey.yaml", JOURNEY.splitlines())
    log = write_xlsx(tmp_path / "events.xlsx", {"S": [["customer", "timestamp", "touchpoint"], ["c1", datetime(2026, 4, 1), "search-faq"]]})
    assert main(["report", str(journey_file), "--events", str(log), "--engine", engine]) == 1
    err = capsys.readouterr().err
    assert "error[encoding]: the file is a workbook: an event log is read as CSV, Parquet or JSON lines" in err
    assert "Traceback" not in err
