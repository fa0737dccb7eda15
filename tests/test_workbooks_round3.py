"""Workbooks as BI and survey tools and managers write them: number formats (a percentage, decimals as shown), dates
as serial numbers (1900 and 1904 systems), formulas never computed, merged cells, hidden rows and columns, a
filtered sheet. The reference is the CSV file Excel saves of the sheet ("CSV UTF-8"): a cell is read as it shows.

Each case is read on both engines; the workbooks are written by hand (tests/workbook_files.py)."""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path

import pytest

from journeymap.data import MetricData, load_metric_data
from journeymap.loader import load_text
from journeymap.model import Journey

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_workbooks import JOURNEY  # noqa: E402
from workbook_files import (  # noqa: E402
    ExcelError,
    Formatted,
    Formula,
    write_ods,
    write_xls,
    write_xlsb,
    write_xlsx,
)

pytest.importorskip("python_calamine")
pytest.importorskip("duckdb")

ENGINES = ("python", "duckdb")
METRICS = ["touchpoint", "metric", "value", "n"]
ANSWERS = ["touchpoint", "metric", "score", "respondent", "date"]


@pytest.fixture(scope="module")
def journey() -> Journey:
    return load_text(JOURNEY)


def told(data: MetricData) -> list[tuple[str, str, int, int]]:
    return [(p.code, p.level, p.span.line, p.span.col) for p in data.problems]


def value(data: MetricData, touchpoint: str, metric: str) -> tuple[float | None, int | None]:
    point = data.get(touchpoint, metric)
    assert point is not None, [str(p) for p in data.problems]
    return point.value, point.n


# -- 1. number formats ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_a_percentage_cell_is_read_as_the_percentage_it_shows(tmp_path: Path, journey: Journey, engine: str) -> None:
    """0.71 formatted 0% shows (and Excel saves) 71%: a share of 0.71; 0.7149 formatted 0.0% shows 71.5%."""
    book = write_xlsx(tmp_path / "csat.xlsx", {"S": [METRICS, ["chat-agent", "csat", Formatted(0.71, "0%"), 120],
                                                     ["search-faq", "csat", Formatted(0.7149, "0.0%"), 80]]})
    data = load_metric_data(journey, metrics=book, engine=engine)
    assert value(data, "chat-agent", "csat") == (0.71, 120)
    assert value(data, "search-faq", "csat") == (0.715, 80)
    assert not data.problems


@pytest.mark.parametrize("engine", ENGINES)
def test_a_number_with_a_fixed_count_of_decimals_is_read_as_it_shows(tmp_path: Path, journey: Journey, engine: str) -> None:
    """4.25 formatted 0.0 shows 4.3 (half away from zero, as Excel rounds); #,##0.00 shows 2 decimals, and its
    thousands separator, which changes no number, is left out (1234.5 is read as 1234.5, without a warning)."""
    book = write_xlsx(tmp_path / "ces.xlsx", {"S": [METRICS, ["chat-agent", "ces", Formatted(4.25, "0.0"), Formatted(1234, "#,##0")],
                                                    ["search-faq", "nps", Formatted(-2.675, "#,##0.00"), 40]]})
    data = load_metric_data(journey, metrics=book, engine=engine)
    assert value(data, "chat-agent", "ces") == (4.3, 1234)
    assert value(data, "search-faq", "nps") == (-2.68, 40)
    assert not data.problems


@pytest.mark.parametrize("engine", ENGINES)
def test_an_answer_formatted_as_a_percentage_is_told_as_it_shows(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A CSAT answer shown as 80% is no answer on the 1..5 scale: the message quotes the cell as the sheet shows it,
    as it would quote the CSV file Excel saves ('80%'), not the 0.8 it stores."""
    book = write_xlsx(tmp_path / "answers.xlsx", {"S": [ANSWERS[:3], ["chat-agent", "csat", Formatted(0.8, "0%")],
                                                        ["chat-agent", "csat", Formatted(4, "0.00")]]})
    data = load_metric_data(journey, responses=book, engine=engine)
    assert told(data) == [("score", "error", 2, 3)]
    assert data.problems[0].message.startswith("CSAT score '80%' is not a number")
    assert value(data, "chat-agent", "csat") == (1.0, 1)  # '4.00' is the answer 4


@pytest.mark.parametrize("engine", ENGINES)
def test_cells_already_read_as_they_show_stay_so(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Cases read right before this round, kept so: '71%' typed in a cell formatted as text, a score stored as the
    float 9.0, a serial number with a date format, a date and time with seconds, a Mac workbook's 1904 dates."""
    metrics = write_xlsx(tmp_path / "m.xlsx", {"S": [METRICS, ["chat-agent", "csat", Formatted("71%", "@"), 120]]})
    assert value(load_metric_data(journey, metrics=metrics, engine=engine), "chat-agent", "csat") == (0.71, 120)
    for date1904 in (False, True):  # a Mac workbook's serial numbers count from 1904-01-01: 2024-04-01 is 43921
        rows = [ANSWERS, ["search-faq", "nps", 9.0, "a", Formatted(43921 if date1904 else 45383, "yyyy-mm-dd")],
                ["search-faq", "nps", 10, "b", datetime(2026, 4, 2, 9, 30, 15)]]
        book = write_xlsx(tmp_path / f"r{date1904}.xlsx", {"S": rows}, date1904=date1904)  # type: ignore[dict-item]
        data = load_metric_data(journey, responses=book, period="month", engine=engine)
        point = data.get("search-faq", "nps")
        assert point is not None and not data.problems
        assert [(p.period, p.n) for p in point.series] == [("2024-04", 1), ("2026-04", 1)]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_date_as_a_serial_number_in_general_format_is_told_with_the_date_it_is(tmp_path: Path, journey: Journey,
                                                                               engine: str) -> None:
    """45383 without a date format is what Excel's CSV holds too: not read as a date, told at its cell with the
    date it would be."""
    book = write_xlsx(tmp_path / "d.xlsx", {"S": [ANSWERS, ["chat-agent", "csat", 4, "a", 45383]]})
    data = load_metric_data(journey, responses=book, period="month", engine=engine)
    assert told(data) == [("invalid-date", "warning", 2, 5)]
    assert "45383 looks like an Excel day number (2024-04-01)" in (data.problems[0].hint or "")



# -- 2. times of day --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_a_time_of_day_in_the_date_column_is_told_and_a_time_column_beside_it_named(tmp_path: Path, journey: Journey,
                                                                                  engine: str) -> None:
    """A time cell alone (no date: 0.396 formatted h:mm) in the date column is no date, told at its cell with what to
    write; a date-time shown as a time (46114.396 formatted h:mm) holds its date, and is read so; a Time column beside
    the Date column is named as not read (an answer's period is a day at the finest), its rows read."""
    rows = [ANSWERS + ["Time"], ["chat-agent", "csat", 4, "a", Formatted(0.396, "h:mm"), None],
            ["chat-agent", "csat", 5, "b", Formatted(46114.396, "h:mm"), None],
            ["chat-agent", "csat", 3, "c", datetime(2026, 5, 3), Formatted(0.396, "h:mm")]]
    book = write_xlsx(tmp_path / "times.xlsx", {"S": rows})  # type: ignore[dict-item]
    data = load_metric_data(journey, responses=book, period="month", engine=engine)
    assert told(data) == [("unknown-column", "warning", 1, 6), ("no-period", "warning", 2, 1), ("invalid-date", "warning", 2, 5)]
    assert "is a time of day without its date" in (data.problems[2].hint or "")
    point = data.get("chat-agent", "csat")
    assert point is not None and [(p.period, p.n) for p in point.series] == [("2026-04", 1), ("2026-05", 1)]


# -- 5. formulas never computed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_a_formula_without_its_computed_value_is_an_error_at_its_cell(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A library that writes formulas (openpyxl, a report script) leaves their values for Excel to compute: the cells
    read as empty, and their rows were told as skipped questions."""
    book = write_xlsx(tmp_path / "calc.xlsx", {"S": [ANSWERS[:3], ["chat-agent", "csat", Formula("B9+1")],
                                                     ["chat-agent", "csat", Formula("SUM(B2:B3)")], ["chat-agent", "csat", 4],
                                                     ["chat-agent", "csat", Formula("B9+1", 3)]]})
    data = load_metric_data(journey, responses=book, engine=engine)
    assert [t for t in told(data) if t[0] == "formula-value"] == [("formula-value", "error", 2, 3)]
    problem = next(p for p in data.problems if p.code == "formula-value")
    assert ("2 cells hold a formula whose value was never computed (C2 =B9+1, C3 =SUM(B2:B3)): they are read as"
            " empty") in problem.message
    assert "open the workbook in Excel or LibreOffice and save it" in (problem.hint or "")
    assert value(data, "chat-agent", "csat") == (0.5, 2)  # the cached 3 is read


# -- 4. merged cells, hidden rows and columns, a filter ---------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_a_touchpoint_merged_over_rows_is_read_on_each(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A manager's sheet writes the touchpoint once, merged over its rows: each row is that touchpoint's, as the
    sheet shows it (before: 'the touchpoint is empty', the rows left out)."""
    rows = [ANSWERS[:3] + ["persona"], ["chat-agent", "csat", 4, "new"], [None, "csat", 5, None], [None, "csat", 3, None],
            ["search-faq", "nps", 9, None]]
    for write in (write_xlsx, write_xls, write_xlsb, write_ods):  # calamine tells an .xls's merged cells, not an .xlsb's, .ods's
        book = write(tmp_path / f"merged.{write.__name__.split('_')[1]}", {"S": rows}, merged=["A2:A4", "D2:D3"])  # type: ignore[operator]
        data = load_metric_data(journey, responses=book, engine=engine)
        assert value(data, "chat-agent", "csat") == (2 / 3, 3)
        assert told(data) == [("merged-cells", "warning", 2, 1)]
        assert ("2 merged cells span rows (A2:A4 'chat-agent', D2:D3 'new'): each row of one is read with its value, as"
                " the sheet shows it") in data.problems[0].message


@pytest.mark.parametrize("engine", ENGINES)
def test_a_score_merged_over_rows_is_one_answer_and_told(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A score (or a value, an n) merged over rows is not copied to each: that would count one answer three times."""
    rows = [ANSWERS[:3], ["chat-agent", "csat", 4], ["chat-agent", "csat", None], ["search-faq", "nps", 9]]
    book = write_xlsx(tmp_path / "merged.xlsx", {"S": rows}, merged=["C2:C3"])  # type: ignore[dict-item]
    data = load_metric_data(journey, responses=book, engine=engine)
    assert value(data, "chat-agent", "csat") == (1.0, 1)
    merged = next(p for p in data.problems if p.code == "merged-cells")
    assert (merged.span.line, merged.span.col) == (2, 3)
    assert "C2:C3 is a score merged over rows: it is read once, on row 2" in merged.message


@pytest.mark.parametrize("engine", ENGINES)
def test_hidden_rows_and_columns_are_read_and_told(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Excel's CSV holds hidden rows and columns, and so does the copy; a hidden row may be an answer set aside, so
    the rows and columns read though hidden are named."""
    rows = [ANSWERS[:3] + ["comment"], ["chat-agent", "csat", 4, "fine"], ["chat-agent", "csat", 1, "test, ignore"],
            ["chat-agent", "csat", 5, None]]
    book = write_xlsx(tmp_path / "hidden.xlsx", {"S": rows}, hidden_rows=[3], hidden_columns=[4])  # type: ignore[dict-item]
    data = load_metric_data(journey, responses=book, engine=engine)
    assert value(data, "chat-agent", "csat") == (2 / 3, 3)
    assert told(data) == [("hidden-cells", "warning", 3, 1)]
    assert ("row 3 is hidden in the sheet, and column D ('comment'): hidden rows and columns are read, as Excel saves"
            " them as CSV") in data.problems[0].message
    # a hidden column alone, told at the header
    book = write_xlsx(tmp_path / "column.xlsx", {"S": rows}, hidden_columns=[4])  # type: ignore[dict-item]
    data = load_metric_data(journey, responses=book, engine=engine)
    assert told(data) == [("hidden-cells", "warning", 1, 1)]
    assert data.problems[0].message.startswith("column D ('comment') is hidden in the sheet: hidden rows and columns are read")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_filtered_sheet_is_read_whole_and_told(tmp_path: Path, journey: Journey, engine: str) -> None:
    rows = [ANSWERS[:3], ["chat-agent", "csat", 4], ["search-faq", "nps", 9], ["chat-agent", "csat", 5]]
    book = write_xlsx(tmp_path / "filtered.xlsx", {"S": rows}, hidden_rows=[3], autofilter="A1:C4")  # type: ignore[dict-item]
    data = load_metric_data(journey, responses=book, engine=engine)
    assert value(data, "search-faq", "nps") == (100, 1)
    assert told(data) == [("hidden-cells", "warning", 3, 1)]
    assert ("the sheet is filtered (A1:C4), and its filter hides row 3: every row is read, the filter is not applied"
            in data.problems[0].message)



@pytest.mark.parametrize("engine", ENGINES)
def test_a_group_header_merged_over_the_columns_above_the_header_is_left_out_and_told(tmp_path: Path, journey: Journey,
                                                                                     engine: str) -> None:
    """A manager's sheet groups its columns under labels merged across them ('Step' over A:B, 'Answer' over C:D), or
    a title merged over the table, above the real header: the header is plain, and the rows above are left out with
    a warning (before: 'the header is line 3, not line 1', nothing read). A title that is no merged cell stays the CSV
    file's error: it may be a sheet that is no table."""
    rows = [["Support survey, Q2", None, None, None], ["Step", None, "Answer", None], ANSWERS[:3] + ["comment"],
            ["chat-agent", "csat", 4, "fine"], ["chat-agent", "csat", 2, None]]
    for write in (write_xlsx, write_ods):
        book = write(tmp_path / f"grouped.{write.__name__.split('_')[1]}", {"S": rows}, merged=["A1:D1", "A2:B2", "C2:D2"])  # type: ignore[operator]
        data = load_metric_data(journey, responses=book, engine=engine)
        assert value(data, "chat-agent", "csat") == (0.5, 2)
        assert told(data) == [("group-header", "warning", 1, 1)]
        assert ("rows 1 and 2 above the header (row 3) hold labels merged over its columns (A1:D1 'Support survey, Q2',"
                " A2:B2 'Step', C2:D2 'Answer'): a title or a group header, not read") in data.problems[0].message
    # a group of one column is no merged cell: a row of labels with one merged across columns is a group header
    single = write_xlsx(tmp_path / "single.xlsx", {"S": [["Step", None, "Answer"], *rows[2:]]}, merged=["A1:B1"])  # type: ignore[dict-item]
    data = load_metric_data(journey, responses=single, engine=engine)
    assert value(data, "chat-agent", "csat") == (0.5, 2)
    assert told(data) == [("group-header", "warning", 1, 1)]
    assert "row 1 above the header (row 2) holds labels merged over its columns (A1:B1 'Step', C1 'Answer')" in data.problems[0].message
    plain = write_xlsx(tmp_path / "title.xlsx", {"S": rows[1:]})  # type: ignore[dict-item]
    [problem] = load_metric_data(journey, responses=plain, engine=engine).problems
    assert (problem.code, problem.level, problem.span.line) == ("missing-column", "error", 1)
    # a merged title above a note that is no merged cell: the rows above the header are not all labels
    noted = write_xlsx(tmp_path / "noted.xlsx", {"S": [rows[0], ["Exported 2026-06-01"], *rows[2:]]}, merged=["A1:D1"])  # type: ignore[dict-item]
    assert [(p.code, p.level) for p in load_metric_data(journey, responses=noted, engine=engine).problems] == [("missing-column", "error")]


@pytest.mark.parametrize("engine", ENGINES)
def test_totals_rows_are_left_out_as_before(tmp_path: Path, journey: Journey, engine: str) -> None:
    book = write_xlsx(tmp_path / "t.xlsx", {"S": [ANSWERS[:3], ["chat-agent", "csat", 4], ["chat-agent", "csat", 2],
                                                  ["Grand total", None, 6]]})
    data = load_metric_data(journey, responses=book, engine=engine)
    assert value(data, "chat-agent", "csat") == (0.5, 2)
    assert told(data) == [("summary-rows", "warning", 4, 1)]



# -- 3. error cells in every format -----------------------------------------------------------------------------------

ERRORS = [["touchpoint", "metric", "score", "comment"], ["search-faq", "nps", ExcelError("#DIV/0!"), None],
          ["search-faq", "nps", 9, ExcelError("#VALUE!")], ["chat-agent", "csat", ExcelError("#N/A"), None],
          ["chat-agent", "csat", 4, ExcelError("#REF!")]]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", ["xls", "xls-small", "xlsb", "ods"])
def test_error_cells_of_every_format_are_told_as_an_xlsxs(tmp_path: Path, journey: Journey, engine: str, kind: str) -> None:
    """calamine reads an .xls or .xlsb error cell as empty: a #DIV/0! NPS answer was a skipped question, not the
    formula's error, and a #VALUE! comment went unnamed. Each is now read at its cell as in an .xlsx: #N/A no answer
    (blank-score), #DIV/0! as a score an error that leaves the row out, the others in a comment named (error-cell);
    as a plain error cell and as a formula's cached error ('.xls-small': a workbook stream in the file's mini stream)."""
    writers = {"xls": write_xls, "xls-small": lambda path, sheets: write_xls(path, sheets, small=True), "xlsb": write_xlsb,
               "ods": write_ods}
    book = writers[kind](tmp_path / f"errors.{kind.split('-')[0]}", {"S": ERRORS})
    xlsx = write_xlsx(tmp_path / "errors.xlsx", {"S": ERRORS})
    data = load_metric_data(journey, responses=book, engine=engine)
    assert told(data) == [("score", "error", 2, 3), ("error-cell", "warning", 3, 4), ("blank-score", "warning", 4, 3)]
    assert "(D3 #VALUE!, D5 #REF!)" in data.problems[1].message
    expected = load_metric_data(journey, responses=xlsx, engine=engine)
    assert [str(p).replace(str(book), "FILE") for p in data.problems] == [str(p).replace(str(xlsx), "FILE") for p in expected.problems]
    assert value(data, "search-faq", "nps") == (100, 1)


# -- an OpenDocument spreadsheet (LibreOffice, Google Sheets' .ods) as an .xlsx ---------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_an_ods_percentage_merged_hidden_and_filtered_cells_are_read_as_an_xlsxs(tmp_path: Path, journey: Journey,
                                                                               engine: str) -> None:
    metrics = [METRICS, ["chat-agent", "csat", Formatted(0.7149, "0.0%"), 120]]
    for write in (write_xlsx, write_ods):
        data = load_metric_data(journey, metrics=write(tmp_path / f"m.{write.__name__.split('_')[1]}", {"S": metrics}), engine=engine)
        assert value(data, "chat-agent", "csat") == (0.715, 120)
    rows = [ANSWERS[:3] + ["comment"], ["chat-agent", "csat", 4, "fine"], [None, "csat", 1, "test, ignore"],
            ["search-faq", "nps", 9, None], ["chat-agent", "csat", 5, None]]
    for options in ({"merged": ["A2:A3"], "hidden_rows": [4], "hidden_columns": [4]}, {"hidden_rows": [3], "autofilter": "A1:D5"}):
        xlsx = write_xlsx(tmp_path / "a.xlsx", {"S": rows}, **options)  # type: ignore[arg-type,dict-item]
        ods = write_ods(tmp_path / "a.ods", {"S": rows}, **options)  # type: ignore[arg-type,dict-item]
        from_xlsx = load_metric_data(journey, responses=xlsx, engine=engine)
        from_ods = load_metric_data(journey, responses=ods, engine=engine)
        assert {p.code for p in from_xlsx.problems} >= {"hidden-cells"}
        assert [str(p).replace(str(ods), "FILE") for p in from_ods.problems] == [str(p).replace(str(xlsx), "FILE") for p in from_xlsx.problems]
        assert from_ods.get("chat-agent", "csat") is not None
        assert from_ods.get("chat-agent", "csat").n == from_xlsx.get("chat-agent", "csat").n  # type: ignore[union-attr]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_formulas_empty_text_is_a_value_computed(tmp_path: Path, journey: Journey, engine: str) -> None:
    """=IF(D2="","",D2) computed to the empty text is written <v></v>: a value, not a formula never computed; and a
    workbook written with a namespace prefix (<x:c>, as the OpenXML SDK writes) is read alike."""
    book = write_xlsx(tmp_path / "calc.xlsx", {"S": [ANSWERS[:3] + ["comment"], ["chat-agent", "csat", 4, Formula('IF(E2="","",E2)', "")],
                                                     ["chat-agent", "csat", Formula("B9+1"), None]]})
    data = load_metric_data(journey, responses=book, engine=engine)
    assert [(p.code, p.span.line, p.span.col) for p in data.problems if p.code == "formula-value"] == [("formula-value", 3, 3)]
    assert "(C3 =B9+1)" in next(p.message for p in data.problems if p.code == "formula-value")
    import zipfile

    prefixed = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(prefixed, "w") as target:
        for item in source.infolist():
            text = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                text = re.sub(rb"<(/?)(worksheet|sheetData|row|c|f|v|is|t)\b", rb"<\1x:\2", text).replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=")
            target.writestr(item, text)
    again = load_metric_data(journey, responses=prefixed, engine=engine)
    assert [str(p).replace(str(prefixed), "FILE") for p in again.problems] == [str(p).replace(str(book), "FILE") for p in data.problems]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_damaged_xlsb_that_makes_calamine_panic_is_one_clear_error(tmp_path: Path, journey: Journey, engine: str) -> None:
    """calamine panics (a Rust panic, raised as pyo3's PanicException, no Exception) on an .xlsb whose workbook names a
    sheet its relationships do not hold: a traceback before, one 'cannot be read' error now."""
    import zipfile

    whole = write_xlsb(tmp_path / "whole.xlsb", {"S": ERRORS})
    damaged = tmp_path / "damaged.xlsb"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            text = source.read(item)
            target.writestr(item, text.replace(b'Id="rId1"', b'Id="rId7"') if item.filename.endswith(".rels") and "xl/" in item.filename else text)
    [problem] = load_metric_data(journey, responses=damaged, engine=engine).problems
    assert problem.is_error and problem.message.startswith("the file cannot be read as a workbook")


@pytest.mark.parametrize("engine", ENGINES)
def test_an_xls_whose_dimensions_are_damaged_is_one_clear_error_not_an_abort(tmp_path: Path, journey: Journey,
                                                                            engine: str) -> None:
    """calamine sizes an .xls sheet by its DIMENSIONS record: a first row past the last (a damaged file) asked for
    687 GB and aborted the process (no exception to catch). The record is checked before calamine reads the file."""
    import struct

    book = write_xls(tmp_path / "whole.xls", {"S": ERRORS})
    whole = struct.pack("<HHII", 0x0200, 14, 0, len(ERRORS))
    data = book.read_bytes()
    assert data.count(whole) == 1
    damaged = tmp_path / "damaged.xls"
    damaged.write_bytes(data.replace(whole, struct.pack("<HHII", 0x0200, 14, 65024, len(ERRORS))))
    [problem] = load_metric_data(journey, responses=damaged, engine=engine).problems
    assert problem.is_error and problem.message == ("the file cannot be read as a workbook: sheet 'S' says it spans rows"
                                                    " 65025 to 5 and columns 1 to 4 (its DIMENSIONS record is damaged)")


@pytest.mark.parametrize("engine", ENGINES)
def test_an_xlsbs_formats_hidden_rows_and_filter_are_read_as_an_xlsxs(tmp_path: Path, journey: Journey, engine: str) -> None:
    """An .xlsb keeps its formats in styles.bin and its hidden rows in its row records: calamine reads neither."""
    metrics = [METRICS, ["chat-agent", "csat", Formatted(0.7149, "0.0%"), Formatted(1200, "#,##0")],
               ["search-faq", "ces", Formatted(4.25, "0.0"), 40]]
    for write in (write_xlsx, write_xlsb):
        data = load_metric_data(journey, metrics=write(tmp_path / f"m.{write.__name__.split('_')[1]}", {"S": metrics}), engine=engine)
        assert (value(data, "chat-agent", "csat"), value(data, "search-faq", "ces")) == ((0.715, 1200), (4.3, 40))
        assert not data.problems
    rows = [ANSWERS[:3] + ["comment"], ["chat-agent", "csat", 4, "fine"], ["chat-agent", "csat", 1, "test, ignore"],
            ["search-faq", "nps", 9, None]]
    for options in ({"hidden_rows": [3], "hidden_columns": [4]}, {"hidden_rows": [3], "autofilter": "A1:D4"}):
        xlsx = load_metric_data(journey, responses=write_xlsx(tmp_path / "a.xlsx", {"S": rows}, **options), engine=engine)  # type: ignore[arg-type,dict-item]
        xlsb = load_metric_data(journey, responses=write_xlsb(tmp_path / "a.xlsb", {"S": rows}, **options), engine=engine)  # type: ignore[arg-type,dict-item]
        assert [p.code for p in xlsx.problems] == ["hidden-cells"]
        assert [str(p).replace("a.xlsb", "FILE") for p in xlsb.problems] == [str(p).replace("a.xlsx", "FILE") for p in xlsx.problems]


@pytest.mark.parametrize("engine", ENGINES)
def test_an_xls_formats_hidden_rows_and_filter_are_read_as_an_xlsxs(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A legacy .xls keeps its formats in FORMAT and XF records, its hidden rows in ROW records: calamine reads neither.
    Its filter's range is in a defined name, not read: the warning says the sheet is filtered, without the range."""
    metrics = [METRICS, ["chat-agent", "csat", Formatted(0.7149, "0.0%"), Formatted(1200, "#,##0")],
               ["search-faq", "ces", Formatted(4.25, "0.0"), 40], ["chat-agent", "nps", Formatted(12, "0.0"), Formatted(80, "0")]]
    for write in (write_xlsx, write_xls):  # the last row's two whole numbers are one MULRK record in the .xls
        data = load_metric_data(journey, metrics=write(tmp_path / f"m.{write.__name__.split('_')[1]}", {"S": metrics}), engine=engine)
        assert (value(data, "chat-agent", "csat"), value(data, "search-faq", "ces")) == ((0.715, 1200), (4.3, 40))
        assert value(data, "chat-agent", "nps") == (12, 80) and not data.problems
    for n in (Formatted(80, "0"), 80):  # 12 in a MULRK beside 80, and an RK of its own
        told_value = load_metric_data(journey, metrics=write_xls(tmp_path / "p.xls", {"S": [METRICS, ["chat-agent", "nps", Formatted(12, "0%"),
                                                                                                   n]]}), engine=engine)
        assert "'1200%'" in told_value.problems[0].message  # the percentage, as the sheet shows it
    rows = [ANSWERS[:3] + ["comment"], ["chat-agent", "csat", 4, "fine"], ["chat-agent", "csat", 1, "test, ignore"],
            ["search-faq", "nps", 9, None]]
    xlsx = load_metric_data(journey, responses=write_xlsx(tmp_path / "a.xlsx", {"S": rows}, hidden_rows=[3], hidden_columns=[4]), engine=engine)  # type: ignore[dict-item]
    xls = load_metric_data(journey, responses=write_xls(tmp_path / "a.xls", {"S": rows}, hidden_rows=[3], hidden_columns=[4]), engine=engine)  # type: ignore[dict-item]
    assert [p.code for p in xlsx.problems] == ["hidden-cells"]
    assert [str(p).replace("a.xls", "FILE") for p in xls.problems] == [str(p).replace("a.xlsx", "FILE") for p in xlsx.problems]
    filtered = load_metric_data(journey, responses=write_xls(tmp_path / "f.xls", {"S": rows}, hidden_rows=[3], autofilter="A1:D4"), engine=engine)  # type: ignore[dict-item]
    assert [(p.code, p.span.line) for p in filtered.problems] == [("hidden-cells", 3)]
    assert filtered.problems[0].message.startswith("the sheet is filtered, and its filter hides row 3: every row is read")
