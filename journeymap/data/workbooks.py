"""Survey responses and metric tables given as workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods).

Qualtrics, SurveyMonkey, Typeform, Google Forms and every BI tool export .xlsx. A workbook is
made, before either engine sees it, into a UTF-8 CSV copy of one of its sheets in a temporary
folder, written as Excel would save the sheet as CSV: row N of the copy is the sheet's row N (the
empty rows above the data are kept empty; empty columns before it are left out, and counted), a
number as Excel shows it (``4``, not ``4.0``; ``0.3``, not ``0.30000000000000004``), a date cell as
``YYYY-MM-DD`` and a date-time as ``YYYY-MM-DD HH:MM:SS``, an error cell as its text (``#N/A``,
which the readers take for a missing value as they do in a CSV file), a number formatted as a percentage or with a
count of decimals as it shows (``71%``, ``4.3``). A cell merged over rows is written on each of them (a touchpoint
written once over its rows); formulas never computed, merged cells, hidden rows and columns and a filter are told
(:func:`sheet_notes`). The readers then check
the copy as they check any CSV file, with the very same messages, and name it by the
workbook's name (:func:`copy_name`); the places they find are turned back into the sheet's rows
and columns (:meth:`SheetCopy.place`: a cell holding a line break makes two lines of the copy).
The copies are removed once read.

Which sheet: the only one that holds data; of several, the first (visible before hidden) whose
first rows hold the columns the reader needs, with a warning naming the others; none: an error
listing each sheet and its first row. The reader is python-calamine (Rust's calamine: wheels for
every platform, no Excel needed), the ``excel`` extra, imported only when a workbook is read.
"""

from __future__ import annotations

import contextvars
import csv
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..problems import Problem, Span

if TYPE_CHECKING:
    from . import DataPoint
    from .responses import Responses
    from .verbatims import Verbatims

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
"""The names of the workbooks read (Excel's, old and new, and OpenDocument's: LibreOffice, Google Sheets' .ods)."""

INSTALL_HINT = "pip install 'journeymap[excel]' (python-calamine), or save the sheet as CSV: in Excel, 'CSV UTF-8'"

#: The rows of a sheet looked at for its header (a title or Excel's notes may stand above it), as the CSV reader does.
HEADER_ROWS = 20

_COPIES: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("journeymap_workbook_copies", default=None)


def copy_name(path: Path) -> str | None:
    """The workbook's name for a CSV copy of one of its sheets, read now (None for any other file): messages name
    the workbook, not the copy."""
    copies = _COPIES.get()
    return copies.get(str(path)) if copies else None


def is_workbook(path: Path) -> bool:
    """Whether a file is read as a workbook: by its first bytes, an Office Open XML or OpenDocument zip, or an OLE file
    (an old .xls, or a workbook saved with a password). Under any name: an export saved as .xlsx and renamed .csv is
    one; a CSV or HTML file named .xls (as web apps' 'Export to Excel' write them) is none, and is read as text."""
    if path.suffix.lower() in (".gz", ".parquet", ".pq"):
        return False
    try:
        with open(path, "rb") as stream:
            head = stream.read(8)
    except OSError:
        return False
    if head.startswith(_OLE):
        return True
    if not head.startswith(b"PK\x03\x04"):
        return False
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return True  # a damaged one is told so by the workbook reader
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
    return "xl/workbook.xml" in names or "xl/workbook.bin" in names or "content.xml" in names and "mimetype" in names


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _named_otherwise(path: Path, name: str, workbook: bool) -> Problem | None:
    """The warning for a workbook under another name, or a text file under a workbook's name (both are read as what
    they are); None for a file named as what it is."""
    suffix = path.suffix.lower()
    if workbook and suffix not in WORKBOOK_SUFFIXES:
        return Problem(Span(name), "workbook", f"the file is a workbook named {path.suffix or 'without a suffix'}: it is"
                       " read as a workbook", "name it .xlsx (or .xls, .ods) as what it is", level="warning")
    if not workbook and suffix in WORKBOOK_SUFFIXES and path.is_file() and path.stat().st_size:
        return Problem(Span(name), "workbook", f"the file is named {path.suffix} but is no workbook: it is read as text"
                       " (CSV), as web apps' 'Export to Excel' write it", "name it .csv as what it is", level="warning")
    return None


@dataclass
class SheetCopy:
    """A sheet's CSV copy: where each line of the copy is in the sheet."""

    name: str
    """The workbook's name in messages."""
    path: Path
    skip: int = 0
    """The empty columns before the data, left out of the copy."""
    rows: list[int] = field(default_factory=list)
    """The sheet's row of each line of the copy (index 0: line 1)."""
    text: str = ""
    """The copy's text; the places of a row's cells in it are worked out only for a problem's place (a Python loop
    over every character of a big sheet cost more than reading it)."""
    starts: list[int] = field(default_factory=list)
    """Where each row of the sheet starts in :attr:`text` (index 0: row 1), and where the text ends."""

    def place(self, span: Span) -> Span:
        """The sheet's row and column of a place in the copy."""
        if span.file != self.name or span.line <= 0 or span.line > len(self.rows):
            return span
        import bisect

        row = self.rows[span.line - 1]
        column = span.col
        if column > 0:
            below = span.line - 1 - bisect.bisect_left(self.rows, row)  # the row's lines above this one (line breaks)
            written = self.text[self.starts[row - 1]:self.starts[row] - 1]
            column = [sheet for at, sheet in cell_starts(written, self.skip)[below] if at <= column][-1]
        return Span(span.file, row, column)


def cell_starts(written: str, skip: int = 0) -> list[list[tuple[int, int]]]:
    r"""Where each cell of a CSV row (as :func:`csv.writer` writes it, comma-separated) starts, line by line: (character
    column in the line, the sheet's column), the first of each line the cell it begins in. A line break in a quoted
    cell (CRLF, LF or CR alone, one line each, as the readers count them) goes on with that cell on the next line.

    >>> cell_starts('a,"b\nc",d')
    [[(1, 1), (3, 2)], [(1, 2), (4, 3)]]
    """
    column = skip + 1
    starts: list[list[tuple[int, int]]] = [[(1, column)]]
    at, quoted, previous = 0, False, ""
    for char in written:
        at += 1
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            column += 1
            starts[-1].append((at + 1, column))
        elif char == "\n" and previous == "\r":
            at = 0
        elif char in "\r\n":
            starts.append([(1, column)])
            at = 0
        previous = char
    return starts


def column_letters(number: int) -> str:
    """The letters of a sheet's column: 1 is A, 27 is AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: Any) -> str:
    """A cell as Excel writes it in a CSV file: a whole number without '.0', others to 15 significant digits (Excel's
    precision: 0.1+0.2 is 0.3), a date cell as YYYY-MM-DD, a date and time as YYYY-MM-DD HH:MM:SS, TRUE and FALSE.

    >>> [cell_text(v) for v in (4.0, 0.71, 0.1 + 0.2, -0.0, 1e20, True, date(2026, 4, 1), datetime(2026, 4, 1, 9, 5))]
    ['4', '0.71', '0.3', '0', '1e+20', 'TRUE', '2026-04-01', '2026-04-01 09:05:00']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds" if not value.microsecond else "milliseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds" if not value.microsecond else "milliseconds")
    if isinstance(value, timedelta):  # a duration cell ([h]:mm:ss): its hours in all
        seconds = round(value.total_seconds())
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return str(value)


@dataclass
class _Sheet:
    name: str
    hidden: bool
    rows: list[list[str]]
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    """Its error cells' texts by (row, column)."""
    marks: _Marks = field(default_factory=lambda: _Marks())
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Its merged cells: (top row, left column, bottom row, right column), from 1."""


#: The columns whose cells the readers check, and whose error cells they tell themselves ('#DIV/0!' is a spreadsheet
#: formula's error, not a value; an unknown touchpoint '#REF!'): not told twice.
CHECKED_COLUMNS = frozenset({"touchpoint", "metric", "score", "value", "n", "date", "period"})


def error_cells_warning(sheet: _Sheet, name: str, several: bool, required: Sequence[str]) -> Problem | None:
    """The warning for a sheet's error cells (a formula that failed: ``#VALUE!``, ``#REF!``) in the columns read as
    text, naming them: each is read as its text, as in the CSV file Excel saves of the sheet, so a comment '#VALUE!'
    would be a comment and a respondent '#REF!' one respondent. ``#N/A`` is no answer, and the columns of
    :data:`CHECKED_COLUMNS` are told by the readers, as in a CSV file."""
    from .engines.rows import column_key

    checked: set[int] = set()
    for header in sheet.rows[:HEADER_ROWS]:
        keys = [column_key(cell) for cell in header]
        if all(column in keys for column in required):
            checked = {i + 1 for i, key in enumerate(keys) if key in CHECKED_COLUMNS}
            break
    cells = sorted((place, text) for place, text in sheet.errors.items() if text != "#N/A" and place[1] not in checked)
    if not cells:
        return None
    (row, column), _ = cells[0]
    listed = ", ".join(f"{column_letters(c)}{r} {text}" for (r, c), text in cells[:5]) + (
        f" and {len(cells) - 5:,} more" if len(cells) > 5 else "")
    where = f" of sheet '{sheet.name}'" if several else ""
    return Problem(Span(name, row, column), "error-cell",
                   f"{len(cells):,} cell{'s' * (len(cells) > 1)}{where} hold{'s' * (len(cells) == 1)} an Excel error, a formula"
                   f" that failed ({listed}): each is read as the text it shows (a comment '#VALUE!' is a comment)",
                   "fix the formulas, or replace the errors by empty cells (Find and Replace) and save again", level="warning")


def _header_row(sheet: _Sheet, required: Sequence[str]) -> tuple[int, list[str]] | None:
    """The row (from 1) of the sheet's header, the first of its first rows that names ``required``, and its columns'
    keys; None if none does."""
    from .engines.rows import column_key

    for number, header in enumerate(sheet.rows[:HEADER_ROWS], 1):
        keys = [column_key(cell) for cell in header]
        if all(column in keys for column in required):
            return number, keys
    return None


def _listed_numbers(numbers: Sequence[int], noun: str) -> str:
    """'row 3', 'rows 3 and 5', 'rows 3, 5, 7, 9, 11 and 4 more'."""
    if len(numbers) == 1:
        return f"{noun} {numbers[0]}"
    if len(numbers) <= 5:
        return f"{noun}s {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"
    return f"{noun}s {', '.join(map(str, numbers[:5]))} and {len(numbers) - 5:,} more"


#: The columns that count: a cell merged over rows in one is one answer or one value, not one for each row.
COUNTED_COLUMNS = frozenset({"score", "value", "n"})


def _group_header(sheet: _Sheet, top: int) -> list[tuple[int, int, str]]:
    """The labels of the rows above the header (row ``top``), (row, column, the label and where it is: "A1:B1 'Step'"),
    if each row with text there has a label merged across columns (a title over the table, labels over groups of its
    columns, a group of one column unmerged beside them); else none: a title that is no merged cell is told by the
    readers, as in a CSV file."""
    from ..problems import quoted

    across = {(upper, left): (lower, right) for upper, left, lower, right in sheet.merged
              if lower < top and right > left and _cell(sheet, upper, left).strip()}
    inside = {(row, column) for (upper, left), (lower, right) in across.items() for row in range(upper, lower + 1)
              for column in range(left, right + 1)}
    labels: list[tuple[int, int, str]] = []
    for row in range(1, top):
        written = [column for column, cell in enumerate(sheet.rows[row - 1], 1) if cell.strip()]
        if written and not any((row, column) in across for column in written):
            return []
        for column in written:
            text = quoted(_cell(sheet, row, column), 40)
            if (row, column) in across:
                lower, right = across[(row, column)]
                labels.append((row, column, f"{column_letters(column)}{row}:{column_letters(right)}{lower} '{text}'"))
            elif (row, column) not in inside:
                labels.append((row, column, f"{column_letters(column)}{row} '{text}'"))
    return labels


def _cell(sheet: _Sheet, row: int, column: int) -> str:
    cells = sheet.rows[row - 1] if 0 < row <= len(sheet.rows) else []
    return cells[column - 1] if 0 < column <= len(cells) else ""


def sheet_notes(sheet: _Sheet, name: str, required: Sequence[str]) -> list[Problem]:
    """What the sheet holds that its CSV copy does not show, told at its cell: formulas never computed (an error: their
    cells are read as empty), cells merged over rows (a touchpoint written once over its rows is read on each, as the
    sheet shows it; a score so merged is one answer, read once), rows and columns hidden, or hidden by a filter (read,
    as Excel saves them as CSV). Fills the merged cells in :attr:`_Sheet.rows`."""
    from ..problems import quoted

    problems: list[Problem] = []
    header = _header_row(sheet, required)
    top, keys = header if header is not None else (0, [])
    if sheet.marks.uncomputed:
        cells = sorted(sheet.marks.uncomputed.items())
        (row, column), _ = cells[0]
        listed = ", ".join(f"{column_letters(c)}{r} ={quoted(formula, 40)}" if formula else f"{column_letters(c)}{r}"
                           for (r, c), formula in cells[:5]) + (f" and {len(cells) - 5:,} more" if len(cells) > 5 else "")
        problems.append(Problem(
            Span(name, row, column), "formula-value",
            f"{len(cells):,} cell{'s' * (len(cells) > 1)} hold{'s' * (len(cells) == 1)} a formula whose value was never"
            f" computed ({listed}): {'they are' if len(cells) > 1 else 'it is'} read as empty (a score so read is a blank"
            f" score, its row not counted), as the workbook holds no value for {'them' if len(cells) > 1 else 'it'}: it was written by a program that"
            " does not compute formulas",
            "open the workbook in Excel or LibreOffice and save it (that computes the formulas), or have the program"
            " write the values"))
    if top > 1 and (above := _group_header(sheet, top)):
        labels = [label for _, _, label in above]
        numbers = sorted({row for row, _, _ in above})
        problems.append(Problem(
            Span(name, above[0][0], above[0][1]), "group-header",
            f"{_listed_numbers(numbers, 'row')} above the header (row {top}) hold{'s' * (len(numbers) == 1)} labels merged over"
            f" its columns ({', '.join(labels[:5])}{f' and {len(labels) - 5:,} more' if len(labels) > 5 else ''}): a title or a"
            " group header, not read", "nothing to do; delete the rows above the header to leave this out", level="warning"))
        for number in numbers:
            sheet.rows[number - 1] = [""] * len(sheet.rows[number - 1])
    filled: list[str] = []
    once: list[str] = []
    first: tuple[int, int] | None = None
    for upper, left, lower, right in sheet.merged:
        if lower == upper or upper <= top or upper > len(sheet.rows) or left > len(sheet.rows[upper - 1]):
            continue  # a merge across one row (a title, a group header) changes no row read
        value = sheet.rows[upper - 1][left - 1]
        if not value.strip():
            continue
        span = f"{column_letters(left)}{upper}:{column_letters(right)}{lower}"
        first = min(first or (upper, left), (upper, left))
        key = keys[left - 1] if left <= len(keys) else ""
        if key in COUNTED_COLUMNS:
            once.append(f"{span} is {'an' if key == 'n' else 'a'} {key} merged over rows: it is read once, on row {upper}")
            continue
        filled.append(f"{span} '{quoted(value, 40)}'")
        for row in range(upper + 1, min(lower, len(sheet.rows)) + 1):
            below = sheet.rows[row - 1]
            below += [""] * (left - len(below))
            if not below[left - 1].strip():
                below[left - 1] = value
    if first is not None:
        said: list[str] = []
        if filled:
            said.append(f"{len(filled):,} merged cell{'s' * (len(filled) > 1)} span{'s' * (len(filled) == 1)} rows"
                        f" ({', '.join(filled[:5])}{f' and {len(filled) - 5:,} more' if len(filled) > 5 else ''}): each row"
                        f" of {'one' if len(filled) > 1 else 'it'} is read with its value, as the sheet shows it")
        said += once[:5]
        problems.append(Problem(Span(name, *first), "merged-cells", "; ".join(said),
                                "nothing to do if that is what the sheet means; to make it plain, unmerge the cells and"
                                " fill each row (Home > Merge & Center, then Ctrl+D)", level="warning"))
    data_rows = [r for r in sorted(set(sheet.marks.hidden_rows)) if top < r <= len(sheet.rows) and any(c.strip() for c in sheet.rows[r - 1])]
    named = [f"column {column_letters(c)}" + (f" ('{quoted(sheet.rows[top - 1][c - 1], 40)}')" if top and c <= len(sheet.rows[top - 1])
                                                 and sheet.rows[top - 1][c - 1].strip() else "")
             for c in sorted(set(sheet.marks.hidden_columns)) if any(c <= len(r) and r[c - 1].strip() for r in sheet.rows)]
    columns = ", ".join(named[:5]) + (f" and {len(named) - 5:,} more" if len(named) > 5 else "")
    if data_rows and sheet.marks.filter:
        problems.append(Problem(
            Span(name, data_rows[0], 1), "hidden-cells",
            f"the sheet is filtered{f' ({quoted(sheet.marks.filter, 20)})' if sheet.marks.filter != _UNKNOWN_RANGE else ''},"
            f" and its filter hides {_listed_numbers(data_rows, 'row')}:"
            " every row is read, the filter is not applied" + (f"; {columns} {'is' if len(named) == 1 else 'are'} hidden,"
                                                               " and read" if named else ""),
            "clear the filter to see every row read (Data > Clear); delete the rows not to be read, or copy the rows"
            " shown to a sheet of their own", level="warning"))
    elif data_rows or named:
        hidden = (f"{_listed_numbers(data_rows, 'row')} {'is' if len(data_rows) == 1 else 'are'} hidden in the sheet" + (f", and {columns}" if named else "")
                if data_rows else f"{columns} {'is' if len(named) == 1 else 'are'} hidden in the sheet")
        problems.append(Problem(
            Span(name, data_rows[0] if data_rows else max(top, 1), 1), "hidden-cells",
            f"{hidden}: hidden rows and columns are read, as Excel saves them as CSV",
            "unhide them to see what is read (Home > Format > Hide & Unhide); delete those not to be read", level="warning"))
    return problems


def _sheets(path: Path, name: str) -> tuple[list[_Sheet] | None, list[Problem]]:
    """Every worksheet of the workbook, its cells as text; or the error that it cannot be read."""
    try:
        import python_calamine
    except ImportError:
        return None, [Problem(Span(name), "workbook", f"reading a workbook ({path.suffix or 'this file'}) needs"
                              " python-calamine, which is not installed", INSTALL_HINT)]
    if _is_ole(path) and (damage := _xls_damage(path)) is not None:
        return None, [Problem(Span(name), "workbook", f"the file cannot be read as a workbook: {damage}",
                              "open it in Excel or LibreOffice and save it again; or save the sheet as CSV UTF-8")]
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # calamine raises its own types, and ValueError, for a file that is no workbook
        if not _damaged(exc):
            raise
        return None, [_unreadable(path, name, exc)]
    sheets: list[_Sheet] = []
    try:
        marks = (_ods_marks(path) if _is_ods(path)
                 else _xlsb_marks(path) if _is_xlsb(path) else _xls_marks(path) if _is_ole(path) else _xlsx_marks(path))
        for meta in book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # a chart sheet holds no cells
            sheet = book.get_sheet_by_name(meta.name)
            rows = [[cell_text(value) for value in row] for row in sheet.to_python(skip_empty_area=False)]
            marked = marks.get(meta.name, _Marks())
            for (row, column), text in [*marked.shown.items(), *marked.errors.items()]:
                while len(rows) < row:
                    rows.append([])
                while len(rows[row - 1]) < column:
                    rows[row - 1].append("")
                rows[row - 1][column - 1] = text
            merged = [(top + 1, left + 1, bottom + 1, right + 1)
                      for (top, left), (bottom, right) in (sheet.merged_cell_ranges or ())] or marked.merged
            sheets.append(_Sheet(meta.name, meta.visible != python_calamine.SheetVisibleEnum.Visible, rows, marked.errors,
                                 marked, sorted(merged)))
    except BaseException as exc:  # a sheet's XML broken past its start
        if not _damaged(exc):
            raise
        return None, [_unreadable(path, name, exc)]
    finally:
        book.close()
    return sheets, []


def _damaged(exc: BaseException) -> bool:
    """Whether an exception reading a workbook says the file is damaged: any Exception, or a panic of calamine's Rust
    code (pyo3's PanicException, a BaseException: an .xlsb naming a sheet its relationships lack), not an interrupt."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _is_ole(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(_OLE)) == _OLE
    except OSError:
        return False


def _is_xlsb(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.bin" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def _is_ods(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "content.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def _unreadable(path: Path, name: str, exc: BaseException) -> Problem:
    from .engines.duckdb import first_line

    text = first_line(exc)
    if "password" in text.lower() or "encrypt" in text.lower() or type(exc).__name__ == "PasswordError" or _encrypted(path):
        return Problem(Span(name), "workbook", "the workbook is protected by a password (encrypted): it cannot be read",
                       "open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password),"
                       " and save it again; or save the sheet as CSV UTF-8")
    return Problem(Span(name), "workbook", f"the file cannot be read as a workbook: {text}",
                   "open it in Excel or LibreOffice and save it again (a download cut short, or another kind of file"
                   " under a workbook's name?); or save the sheet as CSV UTF-8")


def _encrypted(path: Path) -> bool:
    """Whether an OLE file holds an encrypted Office document (Excel saves a workbook with a password so, .xlsx or not):
    its directory names the stream 'EncryptedPackage', wherever in the file the directory is (at the end of a big one)."""
    try:
        with open(path, "rb") as stream:
            return stream.read(len(_OLE)) == _OLE and _holds(stream, "EncryptedPackage".encode("utf-16-le"))
    except OSError:
        return False


_CELL_REF = re.compile(r"([A-Z]+)([0-9]+)")


@dataclass
class _Marks:
    """What calamine does not tell of a sheet's cells, found in its XML: by (row, column) from 1."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    """Its error cells' texts (calamine reads them as empty)."""
    shown: dict[tuple[int, int], str] = field(default_factory=dict)
    """Its numbers whose format shows them otherwise than Excel's General: a percentage (0.71 as ``71%``), a count of
    decimals (4.25 as ``4.3``): the text Excel shows, and saves as CSV."""
    uncomputed: dict[tuple[int, int], str] = field(default_factory=dict)
    """Its formulas with no value computed (a library's workbook): the formula."""
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)
    filter: str = ""
    """The range of the sheet's filter (autofilter), if it has one."""
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Its cells merged over rows where calamine tells none (an .ods): as :attr:`_Sheet.merged`."""


def _xlsx_marks(path: Path) -> dict[str, _Marks]:
    """The :class:`_Marks` of an .xlsx or .xlsm workbook's sheets, by sheet name: error cells (``#N/A``, ``#DIV/0!``),
    numbers shown as a percentage or with a count of decimals, formulas never computed, hidden rows and columns, a
    filter. A sheet's XML is parsed only when it may hold one of them."""
    import xml.etree.ElementTree as ET

    found: dict[str, _Marks] = {}
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return found
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with archive:
        try:
            book = ET.fromstring(archive.read("xl/workbook.xml"))
            links = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        except (KeyError, ET.ParseError):
            return found
        formats = _shown_formats(archive, main)
        targets = {link.get("Id"): link.get("Target", "") for link in links}
        for sheet in book.iter(f"{main}sheet"):
            target = targets.get(sheet.get(relation), "")
            member = target.lstrip("/") if target.startswith("/") else "xl/" + target
            try:
                with archive.open(member) as stream:
                    if not formats and not _holds_any(stream, _XLSX_MARKERS):
                        continue
                found[sheet.get("name", "")] = _sheet_marks(archive.read(member), formats)
            except (KeyError, ET.ParseError, zipfile.BadZipFile, OSError):
                continue
    return found


#: The error codes of Excel's binary formats (.xlsb, .xls) and the texts Excel shows.
_ERROR_TEXTS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A",
                0x2B: "#GETTING_DATA"}


def _xlsb_marks(path: Path) -> dict[str, _Marks]:
    """The :class:`_Marks` of an Excel binary workbook's (.xlsb) sheets, by sheet name, as :func:`_xlsx_marks` finds an
    .xlsx's: error cells, a plain one (BrtCellError) or a formula's cached error (BrtFmlaError), which calamine reads as
    empty; numbers shown as a percentage or with a count of decimals (their styles in styles.bin); hidden rows (their
    BrtRowHdr) and columns (BrtColInfo), a filter (BrtBeginAFilter), merged cells (BrtMergeCell). Formulas are always
    computed in an .xlsb."""
    import struct
    import xml.etree.ElementTree as ET

    found: dict[str, _Marks] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            links = ET.fromstring(archive.read("xl/_rels/workbook.bin.rels"))
            targets = {link.get("Id"): link.get("Target", "") for link in links}
            sheets: list[tuple[str, str]] = []
            for kind, body in _records(archive.read("xl/workbook.bin")):
                if kind == 0x9C and len(body) >= 12:  # BrtBundleSh: state, tab id, relationship id, name
                    relation, after = _wide_text(body, 8)
                    name, _ = _wide_text(body, after)
                    target = targets.get(relation, "")
                    sheets.append((name, target.lstrip("/") if target.startswith("/") else "xl/" + target))
                elif kind == 0x90:  # BrtEndBundleShs
                    break
            formats = _xlsb_formats(archive)
            for name, member in sheets:
                marks, row = _Marks(), 0
                for kind, body in _records(archive.read(member)):
                    if kind == 0x00 and len(body) >= 4:  # BrtRowHdr: its row, hidden (fDyZero)
                        row = int.from_bytes(body[:4], "little")
                        if len(body) >= 12 and body[11] & 0x10:
                            marks.hidden_rows.append(row + 1)
                    elif kind in (0x03, 0x0B) and len(body) >= 9:  # BrtCellError, BrtFmlaError
                        column = int.from_bytes(body[:4], "little")
                        marks.errors[(row + 1, column + 1)] = _ERROR_TEXTS.get(body[8], "#N/A")
                    elif kind in (0x02, 0x05, 0x09) and len(body) >= 12 and formats:  # BrtCellRk, BrtCellReal, BrtFmlaNum
                        shown = formats.get(int.from_bytes(body[4:7], "little"))
                        if shown is not None and (kind == 0x02 or len(body) >= 16):
                            number = _rk(body[8:12]) if kind == 0x02 else struct.unpack_from("<d", body, 8)[0]
                            if (text := as_shown(repr(number), *shown)) is not None:
                                marks.shown[(row + 1, int.from_bytes(body[:4], "little") + 1)] = text
                    elif kind == 0x3C and len(body) >= 18 and body[16] & 1:  # BrtColInfo, hidden
                        first, last = struct.unpack_from("<II", body)
                        marks.hidden_columns += range(first + 1, min(last + 1, _MOST_COLUMNS) + 1)
                    elif kind == 0xA1 and len(body) >= 16:  # BrtBeginAFilter: its range
                        top, bottom, left, right = struct.unpack_from("<IIII", body)
                        marks.filter = f"{column_letters(left + 1)}{top + 1}:{column_letters(right + 1)}{bottom + 1}"
                    elif kind == 0xB0 and len(body) >= 16:  # BrtMergeCell (calamine tells an .xlsb's none)
                        top, bottom, left, right = struct.unpack_from("<IIII", body)
                        marks.merged.append((top + 1, left + 1, bottom + 1, right + 1))
                found[name] = marks
    except (KeyError, ValueError, ET.ParseError, zipfile.BadZipFile, OSError, struct.error):
        return {}
    return found


def _xlsb_formats(archive: zipfile.ZipFile) -> dict[int, tuple[int, bool]]:
    """An .xlsb's cell styles (index among its cell XFs) shown with a fixed count of decimals or as a percentage, as
    :func:`_shown_formats` finds an .xlsx's: its formats (BrtFmt) and cell XFs (BrtXF, between BrtBeginCellXFs and
    BrtEndCellXFs) in styles.bin."""
    try:
        data = archive.read("xl/styles.bin")
    except KeyError:
        return {}
    codes: dict[int, tuple[int, bool]] = dict(_BUILT_IN_SHOWN)
    shown: dict[int, tuple[int, bool]] = {}
    index, inside = 0, False
    for kind, body in _records(data):
        if kind == 0x2C and len(body) >= 6:  # BrtFmt
            _classify(codes, int.from_bytes(body[:2], "little"), _wide_text(body, 2)[0])
        elif kind == 0x269:  # BrtBeginCellXFs
            inside = True
        elif kind == 0x26A:  # BrtEndCellXFs
            inside = False
        elif kind == 0x2F and inside and len(body) >= 4:  # BrtXF: its format's id
            if (number := int.from_bytes(body[2:4], "little")) in codes:
                shown[index] = codes[number]
            index += 1
    return shown


def _xls_marks(path: Path) -> dict[str, _Marks]:
    """The :class:`_Marks` of a legacy workbook's (.xls, BIFF8) worksheets, by sheet name: error cells, a plain one
    (BOOLERR) or a formula's cached error (FORMULA), which calamine reads as empty; numbers shown as a percentage or with
    a count of decimals (their XF and FORMAT records); hidden rows (ROW) and columns (COLINFO), a filter."""
    import struct

    try:
        stream = _ole_stream(path, ("Workbook", "Book"))
    except (OSError, ValueError, IndexError, struct.error):
        return {}
    if stream is None:
        return {}
    sheets: list[tuple[str, int]] = []
    codes: dict[int, tuple[int, bool]] = dict(_BUILT_IN_SHOWN)
    styles: list[int] = []
    for kind, body, _ in _biff_records(stream, 0):
        if kind == 0x0085 and len(body) >= 8 and body[5] == 0:  # BOUNDSHEET8 of a worksheet: its offset, its name
            count, wide = body[6], body[7] & 1
            raw = body[8:8 + count * (2 if wide else 1)]
            sheets.append((raw.decode("utf-16-le" if wide else "latin-1", errors="replace"), int.from_bytes(body[:4], "little")))
        elif kind == 0x041E and len(body) >= 5:  # FORMAT: its id, its code
            count, wide = int.from_bytes(body[2:4], "little"), body[4] & 1
            raw = body[5:5 + count * (2 if wide else 1)]
            _classify(codes, int.from_bytes(body[:2], "little"), raw.decode("utf-16-le" if wide else "latin-1", errors="replace"))
        elif kind == 0x00E0 and len(body) >= 4:  # XF: its format's id
            styles.append(int.from_bytes(body[2:4], "little"))
        elif kind == 0x000A:  # the globals' EOF
            break
    formats = {index: codes[number] for index, number in enumerate(styles) if number in codes}

    def number(marks: _Marks, place: tuple[int, int], style: int, value: float) -> None:
        if (shown := formats.get(style)) is not None and (text := as_shown(repr(value), *shown)) is not None:
            marks.shown[place] = text

    found: dict[str, _Marks] = {}
    for name, offset in sheets:
        marks = _Marks()
        for kind, body, _ in _biff_records(stream, offset):
            if len(body) >= 6:
                place = (int.from_bytes(body[:2], "little") + 1, int.from_bytes(body[2:4], "little") + 1)
                style = int.from_bytes(body[4:6], "little")
                if kind == 0x0205 and len(body) >= 8 and body[7] == 1:  # BOOLERR holding an error
                    marks.errors[place] = _ERROR_TEXTS.get(body[6], "#N/A")
                elif kind == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff":  # FORMULA: an error, or text, bool
                    if body[6] == 2:
                        marks.errors[place] = _ERROR_TEXTS.get(body[8], "#N/A")
                elif kind in (0x0203, 0x0006) and len(body) >= 14:  # NUMBER, a FORMULA's number
                    number(marks, place, style, struct.unpack_from("<d", body, 6)[0])
                elif kind == 0x027E and len(body) >= 10:  # RK
                    number(marks, place, style, _rk(body[6:10]))
                elif kind == 0x00BD:  # MULRK: a row's numbers side by side
                    for at in range(4, len(body) - 2 - 5, 6):
                        number(marks, (place[0], place[1] + (at - 4) // 6), int.from_bytes(body[at:at + 2], "little"),
                               _rk(body[at + 2:at + 6]))
                elif kind == 0x0208 and len(body) >= 13 and body[12] & 0x20:  # ROW, hidden (fDyZero)
                    marks.hidden_rows.append(place[0])
                elif kind == 0x007D and len(body) >= 10 and body[8] & 1:  # COLINFO, hidden
                    first, last = struct.unpack_from("<HH", body)
                    marks.hidden_columns += range(first + 1, min(last, _MOST_COLUMNS) + 2)
            if kind in (0x009B, 0x009D):  # FILTERMODE, AUTOFILTERINFO: the range is in a defined name, not read
                marks.filter = marks.filter or _UNKNOWN_RANGE
            if kind == 0x000A:
                break
        found[name] = marks
    return found


#: A filter whose range is not read (an .xls keeps it in a defined name).
_UNKNOWN_RANGE = "*"


def _xls_damage(path: Path) -> str | None:
    """What is damaged in a legacy workbook that calamine would not survive: a sheet's DIMENSIONS record whose first row
    or column is past its last, or past a BIFF8 sheet's 65,536 rows and 256 columns (calamine sizes the sheet by it, and
    a damaged one asked for hundreds of gigabytes: the process aborted). None if nothing is (or it is no BIFF8 file)."""
    import struct

    try:
        stream = _ole_stream(path, ("Workbook", "Book"))
    except (OSError, ValueError, IndexError, struct.error):
        return None
    if stream is None:
        return None
    sheets = [(body[8:8 + body[6] * (2 if body[7] & 1 else 1)].decode("utf-16-le" if body[7] & 1 else "latin-1", errors="replace"),
               int.from_bytes(body[:4], "little"))
              for kind, body, _ in _biff_records(stream, 0) if kind == 0x0085 and len(body) >= 8]
    for name, offset in sheets:
        for kind, body, _ in _biff_records(stream, offset):
            if kind == 0x0200 and len(body) >= 12:
                first, last, left, right = struct.unpack_from("<IIHH", body)
                if first > last or last > 65_536 or left > right or right > 256:
                    from ..problems import quoted

                    return (f"sheet '{quoted(name, 40)}' says it spans rows {first + 1} to {last} and columns {left + 1} to"
                            f" {right} (its DIMENSIONS record is damaged)")
            if kind in (0x0200, 0x000A):
                break
    return None


def _biff_records(stream: bytes, at: int) -> Iterator[tuple[int, bytes, int]]:
    """A BIFF8 stream's records from ``at``: (type, body, where it starts)."""
    while at + 4 <= len(stream):
        kind, size = int.from_bytes(stream[at:at + 2], "little"), int.from_bytes(stream[at + 2:at + 4], "little")
        yield kind, stream[at + 4:at + 4 + size], at
        at += 4 + size


def _ole_stream(path: Path, names: Sequence[str]) -> bytes | None:
    """The first of the streams ``names`` of an OLE compound file (an .xls), as its FAT (or the mini stream, under the
    cut-off size) chains its sectors; None if it has none of them."""
    import struct

    data = path.read_bytes()
    if not data.startswith(_OLE):
        return None
    shift, mini_shift = struct.unpack_from("<HH", data, 30)
    sector = 1 << shift
    first_directory, = struct.unpack_from("<I", data, 48)
    cutoff, first_mini, _, first_difat, difat_count = struct.unpack_from("<IIIII", data, 56)
    fat_sectors = [n for n in struct.unpack_from("<109I", data, 76) if n < 0xFFFFFFFA]
    next_difat = first_difat
    for _ in range(min(difat_count, len(data) // sector)):  # a damaged count names no more sectors than the file has
        if next_difat >= 0xFFFFFFFA:
            break
        listed = struct.unpack_from(f"<{sector // 4}I", data, (next_difat + 1) * sector)
        fat_sectors += [n for n in listed[:-1] if n < 0xFFFFFFFA]
        next_difat = listed[-1]
    fat: list[int] = []
    for number in fat_sectors:
        fat += struct.unpack_from(f"<{sector // 4}I", data, (number + 1) * sector)

    def chain(start: int, table: list[int]) -> list[int]:
        numbers: list[int] = []
        while start < len(table) and len(numbers) <= len(table):
            numbers.append(start)
            start = table[start]
        return numbers

    def read(start: int) -> bytes:
        return b"".join(data[(n + 1) * sector:(n + 2) * sector] for n in chain(start, fat))

    directory = read(first_directory)
    entries = [directory[i:i + 128] for i in range(0, len(directory) - 127, 128)]
    found: dict[str, bytes] = {}
    for named in entries:
        length, = struct.unpack_from("<H", named, 64)
        found[named[:max(length - 2, 0)].decode("utf-16-le", errors="replace")] = named
    root = entries[0] if entries else None
    for name in names:
        if (entry := found.get(name)) is None or entry[66] != 2:
            continue
        start, size = struct.unpack_from("<II", entry, 116)
        if size >= cutoff or root is None:
            return read(start)[:size]
        mini_stream = read(struct.unpack_from("<I", root, 116)[0])
        table = read(first_mini)
        mini_fat = list(struct.unpack(f"<{len(table) // 4}I", table[:len(table) // 4 * 4]))
        small = 1 << mini_shift
        return b"".join(mini_stream[n * small:(n + 1) * small] for n in chain(start, mini_fat))[:size]
    return None


def _records(data: bytes) -> Iterator[tuple[int, bytes]]:
    """An .xlsb part's records: (type, body), the type and the size each written in groups of 7 bits."""
    at, end = 0, len(data)
    while at < end:
        kind = data[at]
        at += 1
        if kind & 0x80:
            if at >= end:
                return
            kind = kind & 0x7F | (data[at] & 0x7F) << 7
            at += 1
        size = shift = 0
        for _ in range(4):
            if at >= end:
                return
            byte = data[at]
            at += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        yield kind, data[at:at + size]
        at += size


def _wide_text(body: bytes, at: int) -> tuple[str, int]:
    """A length-prefixed UTF-16 text of an .xlsb record at ``at``, and where it ends."""
    count = int.from_bytes(body[at:at + 4], "little")
    if count == 0xFFFFFFFF or at + 4 + 2 * count > len(body):
        return "", at + 4
    return body[at + 4:at + 4 + 2 * count].decode("utf-16-le", errors="replace"), at + 4 + 2 * count


#: What a sheet's XML holds where it has an error cell, a formula (computed or not), a hidden row or column, a filter.
_XLSX_MARKERS = (b't="e"', b"t='e'", b"<f", b":f>", b":f ", b"hidden=", b"autoFilter")


#: An element's name in a sheet's XML, with or without a namespace prefix (the OpenXML SDK writes ``<x:c>``).
_P = rb"<(?:[A-Za-z_][\w.-]*:)?"
_ATTRIBUTE = re.compile(rb"""\b([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VALUE = re.compile(_P + rb"v\b[^>]*>([^<]*)<")
#: A cell with an error (t="e"), and a formula cell with no value after its <f> (an empty <v></v> is a value: a
#: formula's empty text, =IF(A2="","",A2)).
_ERROR_CELL = re.compile(_P + rb"""c\b([^>]*?\bt\s*=\s*["']e["'][^>]*?)(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?c>)""", re.S)
_UNCOMPUTED = re.compile(_P + rb"c\b([^>]*)>\s*" + _P + rb"f\b[^>]*?(?:/>|>([^<]*)</(?:[A-Za-z_][\w.-]*:)?f>)\s*"
                         rb"</(?:[A-Za-z_][\w.-]*:)?c>")
_HIDDEN_ROW = re.compile(_P + rb"""row\b([^>]*?\bhidden\s*=\s*["'](?:1|true)["'][^>]*)>""")
_COLUMN = re.compile(_P + rb"col\b([^>]*)>")
_FILTER = re.compile(_P + rb"autoFilter\b([^>]*)>")


def _attributes(tag: bytes) -> dict[str, str]:
    return {m[1].decode("ascii", "replace").rpartition(":")[2]: _unescape((m[2] if m[2] is not None else m[3]).decode("utf-8", "replace"))
            for m in _ATTRIBUTE.finditer(tag)}


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    from html import unescape

    return unescape(text)


def _sheet_marks(data: bytes, formats: dict[int, tuple[int, bool]]) -> _Marks:
    """A sheet's :class:`_Marks`, found in its XML by patterns, each cell of one kind sought alone (the cells shown
    otherwise than General by their styles' numbers): an XML parser's walk over every cell of a 100,000-row sheet
    cost four times calamine's reading of it."""
    from html import unescape

    marks = _Marks()

    def place(tag: bytes) -> tuple[int, int] | None:
        ref = _CELL_REF.fullmatch(_attributes(tag).get("r", ""))
        return (int(ref[2]), _column_number(ref[1])) if ref is not None else None

    if b't="e"' in data or b"t='e'" in data:
        for m in _ERROR_CELL.finditer(data):
            if (at := place(m[1])) is not None:
                value = _VALUE.search(m[2] or b"")
                marks.errors[at] = (unescape(value[1].decode("utf-8", "replace")).strip() if value else "") or "#N/A"
    if b"<f" in data or b":f" in data:
        for m in _UNCOMPUTED.finditer(data):
            if (at := place(m[1])) is not None and _attributes(m[1]).get("t") != "inlineStr":
                marks.uncomputed[at] = unescape((m[2] or b"").decode("utf-8", "replace"))
    styles = sorted(style for style in formats)
    if styles:
        shown = re.compile(_P + rb"""c\b([^>]*?\bs\s*=\s*["'](?:""" + b"|".join(str(n).encode() for n in styles)
                           + rb""")["'][^>]*)>(.*?)</(?:[A-Za-z_][\w.-]*:)?c>""", re.S)
        for m in shown.finditer(data):
            attributes = _attributes(m[1])
            value = _VALUE.search(m[2])
            if attributes.get("t", "n") != "n" or value is None or not value[1].strip():
                continue
            ref = _CELL_REF.fullmatch(attributes.get("r", ""))
            if ref is not None and (style := attributes.get("s", "")).isdigit() and int(style) in formats:
                if (text := as_shown(value[1].decode("ascii", "replace"), *formats[int(style)])) is not None:
                    marks.shown[(int(ref[2]), _column_number(ref[1]))] = text
    if b"hidden" in data:
        for m in _HIDDEN_ROW.finditer(data):
            if (number := _attributes(m[1]).get("r", "")).isdigit():
                marks.hidden_rows.append(int(number))
        for m in _COLUMN.finditer(data):
            attributes = _attributes(m[1])
            first, last = attributes.get("min", ""), attributes.get("max", "")
            if attributes.get("hidden") in ("1", "true") and first.isdigit() and last.isdigit():
                marks.hidden_columns += range(int(first), min(int(last), _MOST_COLUMNS) + 1)
    if (found := _FILTER.search(data)) is not None:
        marks.filter = _attributes(found[1]).get("ref", "")
    return marks


#: Excel's built-in number formats shown otherwise than General, by id: (decimals, a percentage).
_BUILT_IN_SHOWN = {1: (0, False), 2: (2, False), 3: (0, False), 4: (2, False), 9: (0, True), 10: (2, True)}
#: A number format's first section that shows a number with a fixed count of decimals, or as a percentage: '0.0',
#: '#,##0.00', '0%', '0.0%' (a colour or a locale in brackets, and a padding '_)', before or after).
_FIXED_FORMAT = re.compile(r"(?:\[[^\]]*\])*(?:[#,]*0)(?:\.(0+))?(%?)(?:_.)?")


def _shown_formats(archive: zipfile.ZipFile, main: str) -> dict[int, tuple[int, bool]]:
    """The workbook's cell styles (index in cellXfs) whose number format shows a number with a fixed count of
    decimals or as a percentage: (decimals, a percentage)."""
    import xml.etree.ElementTree as ET

    try:
        styles = ET.fromstring(archive.read("xl/styles.xml"))
    except (KeyError, ET.ParseError, zipfile.BadZipFile, OSError):
        return {}
    codes: dict[int, tuple[int, bool]] = dict(_BUILT_IN_SHOWN)
    for number_format in styles.iter(f"{main}numFmt"):
        identifier, code = number_format.get("numFmtId", ""), number_format.get("formatCode", "")
        if identifier.isdigit():
            _classify(codes, int(identifier), code)
    shown: dict[int, tuple[int, bool]] = {}
    cell_styles = styles.find(f"{main}cellXfs")
    for index, style in enumerate(cell_styles.iter(f"{main}xf") if cell_styles is not None else ()):
        identifier = style.get("numFmtId", "0")
        if identifier.isdigit() and int(identifier) in codes:
            shown[index] = codes[int(identifier)]
    return shown


def _classify(codes: dict[int, tuple[int, bool]], identifier: int, code: str) -> None:
    """Adds the number format ``code`` to ``codes`` if it shows a number with a fixed count of decimals or as a
    percentage; else takes its identifier out (a built-in id given another format)."""
    matched = _FIXED_FORMAT.fullmatch(code.split(";")[0].strip())
    if matched is not None:
        codes[identifier] = (len(matched[1] or ""), bool(matched[2]))
    else:
        codes.pop(identifier, None)


def _rk(body: bytes) -> float:
    """An RK number (an .xlsb's or .xls's compact number): 30 bits of an integer or of a double's high bits, maybe /100.

    >>> [_rk(raw.to_bytes(4, "little")) for raw in (12 << 2 | 2, 71 << 2 | 3, 0x3FF80000, (-3 << 2 | 2) & 0xFFFFFFFF)]
    [12.0, 0.71, 1.5, -3.0]
    """
    import struct

    raw = int.from_bytes(body[:4], "little")
    number = float(struct.unpack("<i", body[:4])[0] >> 2) if raw & 2 else struct.unpack("<d", struct.pack("<Q", (raw & ~3) << 32))[0]
    return number / 100 if raw & 1 else number


def as_shown(stored: str, decimals: int, percent: bool) -> str | None:
    """A number as a format with ``decimals`` decimals (a percentage: times 100, with '%') shows it, rounded half away
    from zero as Excel rounds (on the number to 15 significant digits); its thousands separators, which change no
    number, left out. None for a text that is no number.

    >>> [as_shown("0.71", 0, True), as_shown("0.7149", 1, True), as_shown("4.25", 1, False), as_shown("-2.675", 2, False)]
    ['71%', '71.5%', '4.3', '-2.68']
    """
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    try:
        number = float(stored)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    try:
        exact = Decimal(format(number, ".15g")) * (100 if percent else 1)
        text = format(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), "f")
    except InvalidOperation:
        return None
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # -0.001 shown with 2 decimals is 0.00, as Excel shows it
    return text + ("%" if percent else "")


def _holds_any(stream: Any, needles: Sequence[bytes]) -> bool:
    tail = b""
    longest = max(len(needle) for needle in needles)
    while block := stream.read(1 << 20):
        if any(needle in tail + block for needle in needles):
            return True
        tail = block[-longest:]
    return False


#: A sheet's rows and columns at most (Excel's and LibreOffice's): an element repeated more is no block of cells.
_MOST_ROWS, _MOST_COLUMNS = 1 << 20, 1 << 14
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_CALCEXT_TYPE = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"


_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
#: What an OpenDocument spreadsheet's content holds where it has an error cell, a percentage, cells merged over rows, a
#: hidden row or column, a filter.
_ODS_MARKERS = (b'value-type="error"', b'value-type="percentage"', b"number-rows-spanned", b"number-columns-spanned",
                b"table:visibility",
                b"database-range")
#: The decimals a percentage's text shows: '71.5%', '71,5 %'.
_PERCENT_DECIMALS = re.compile(r"[.,]([0-9]+)\s*%\s*\Z")


def _ods_marks(path: Path) -> dict[str, _Marks]:
    """The :class:`_Marks` of an OpenDocument spreadsheet's sheets, as :func:`_xlsx_marks` finds an .xlsx's, and its
    cells merged over rows (calamine tells an .ods's none). LibreOffice keeps a failed formula's error in its cell's
    text beside a value of 0 (``calcext:value-type="error"``), which calamine reads as the number 0 (a ``#DIV/0!`` NPS
    answer was a detractor) or an empty cell (``#N/A``); a percentage beside the text it shows ('71.5%'); a hidden row
    as ``table:visibility="collapse"``, or ``"filter"`` where a filter (a database range) hides it."""
    import xml.etree.ElementTree as ET

    found: dict[str, _Marks] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            with archive.open("content.xml") as stream:
                if not _holds_any(stream, _ODS_MARKERS):
                    return found
            with archive.open("content.xml") as stream:
                marks = _Marks()
                row = column = rows = across_columns = 0
                for event, element in ET.iterparse(stream, events=("start", "end")):
                    tag = element.tag
                    if event == "start":
                        if tag == f"{_TABLE}table":
                            marks = found.setdefault(element.get(f"{_TABLE}name", ""), _Marks())
                            row = across_columns = 0
                        elif tag == f"{_TABLE}table-row":
                            rows, column = int(element.get(f"{_TABLE}number-rows-repeated", "1")), 0
                            if element.get(f"{_TABLE}visibility", "visible") != "visible":
                                marks.hidden_rows += range(row + 1, row + 1 + min(rows, _MOST_ROWS))
                        elif tag == f"{_TABLE}table-column":
                            repeated = min(int(element.get(f"{_TABLE}number-columns-repeated", "1")), _MOST_COLUMNS)
                            if element.get(f"{_TABLE}visibility", "visible") != "visible":
                                marks.hidden_columns += range(across_columns + 1, across_columns + 1 + repeated)
                            across_columns += repeated
                        continue
                    if tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                        repeated = int(element.get(f"{_TABLE}number-columns-repeated", "1"))
                        kind = element.get(_CALCEXT_TYPE) or element.get(f"{_OFFICE}value-type")
                        if kind == "error":
                            text = "".join(element.itertext()).strip() or "#N/A"
                            for down in range(min(rows, _MOST_ROWS)):  # a formula filled down: its rows alike
                                for across in range(min(repeated, _MOST_COLUMNS)):
                                    marks.errors[(row + 1 + down, column + 1 + across)] = text
                        elif kind == "percentage" and (stored := element.get(f"{_OFFICE}value")) is not None:
                            decimals = _PERCENT_DECIMALS.search("".join(element.itertext()))
                            if (shown := as_shown(stored, len(decimals[1]) if decimals else 0, True)) is not None:
                                for down in range(min(rows, _MOST_ROWS)):
                                    for across in range(min(repeated, _MOST_COLUMNS)):
                                        marks.shown[(row + 1 + down, column + 1 + across)] = shown
                        spanned = int(element.get(f"{_TABLE}number-rows-spanned", "1"))
                        wide = int(element.get(f"{_TABLE}number-columns-spanned", "1"))
                        if spanned > 1 or wide > 1:
                            marks.merged.append((row + 1, column + 1, row + spanned, column + wide))
                        column += repeated
                        element.clear()
                    elif tag == f"{_TABLE}table-row":
                        row += rows
                        element.clear()
                    elif tag == f"{_TABLE}database-range" and element.get(f"{_TABLE}display-filter-buttons") == "true":
                        sheet, area = _ods_range(element.get(f"{_TABLE}target-range-address", ""))
                        if sheet in found:
                            found[sheet].filter = area
    except (KeyError, ValueError, ET.ParseError, zipfile.BadZipFile, OSError):
        return {}
    return found


def _ods_range(address: str) -> tuple[str, str]:
    """An OpenDocument range's sheet and cells: "'My sheet'.A1:'My sheet'.D5" is ('My sheet', 'A1:D5')."""
    parts = [part.replace("$", "").rpartition(".") for part in address.split(":")]
    sheet = parts[0][0].strip("'").replace("''", "'")
    return sheet, ":".join(part[2] for part in parts)


def _holds(stream: Any, needle: bytes) -> bool:
    tail = b""
    while block := stream.read(1 << 20):
        if needle in tail + block:
            return True
        tail = block[-len(needle):]
    return False


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _has_data(sheet: _Sheet) -> bool:
    return any(cell.strip() for row in sheet.rows for cell in row)


def _has_header(sheet: _Sheet, required: Sequence[str]) -> bool:
    from .engines.rows import column_key

    for row in sheet.rows[:HEADER_ROWS]:
        keys = {column_key(cell) for cell in row}
        if all(column in keys for column in required):
            return True
    return False


def _first_row(sheet: _Sheet) -> str:
    from ..problems import quoted

    for row in sheet.rows:
        cells = [cell.strip() for cell in row if cell.strip()]
        if cells:
            return quoted(", ".join(cells), 80)
    return "nothing"


def _listed(names: Sequence[str]) -> str:
    from ..problems import quoted

    shown = [f"'{quoted(name, 40)}'" for name in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def choose_sheet(sheets: Sequence[_Sheet], name: str, required: Sequence[str], kind: str) -> tuple[_Sheet | None, list[Problem]]:
    """The sheet read: the one with data; of several, the first whose first rows hold ``required`` (a visible one
    before a hidden one), told with the others; else an error listing each sheet with its first row."""
    from ..problems import quoted

    full = [sheet for sheet in sheets if _has_data(sheet)]
    if not full:
        return None, [Problem(Span(name), "workbook", f"the workbook holds no data: its sheet{'s' * (len(sheets) != 1)}"
                              f" {_listed([s.name for s in sheets])} {'are' if len(sheets) != 1 else 'is'} empty"
                              if sheets else "the workbook holds no sheets", f"put the {kind} on the workbook's first sheet")]
    if len(full) == 1:
        return full[0], []
    fitting = sorted((s for s in full if _has_header(s, required)), key=lambda s: s.hidden)
    columns = ", ".join(required[:-1]) + " and " + required[-1]
    if not fitting:
        listing = "; ".join(f"'{quoted(s.name, 40)}' ({'hidden, ' if s.hidden else ''}first row: {_first_row(s)})" for s in full)
        return None, [Problem(Span(name), "workbook", f"no sheet of the workbook has a header with {columns} in its first"
                              f" {HEADER_ROWS} rows, so none is read as the {kind}: {listing}",
                              f"name the columns {columns} in the sheet that holds the {kind}, or save that sheet as CSV")]
    chosen = fitting[0]
    others = [s for s in full if s is not chosen]
    hidden = [s.name for s in others if s.hidden]
    shown = [s.name for s in others if not s.hidden]
    told = f", and {_listed(shown)} {'is' if len(shown) == 1 else 'are'} not read" if shown else ""
    if hidden:
        told += (f"{',' if shown else ''} nor {'is' if len(hidden) == 1 else 'are'} the hidden sheet{'s' * (len(hidden) > 1)}"
                 f" {_listed(hidden)}")
    return chosen, [Problem(Span(name, 1, 1), "workbook-sheet",
                            f"the workbook has {len(full)} sheets with data: sheet '{quoted(chosen.name, 40)}' is read as the {kind}"
                            f" (the first with {columns} columns){told}",
                            f"move the {kind} to a workbook of its own, or save its sheet as CSV, to make the choice plain",
                            level="warning")]


#: A line break as the readers count lines: CRLF, LF or CR alone.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def write_copy(sheet: _Sheet, name: str, folder: Path) -> SheetCopy:
    """The sheet as a UTF-8 CSV file in ``folder`` (written whole, then renamed into place), with its places."""
    text = io.StringIO()
    # the empty columns before the data are left out (they were a column without a name, told), and counted in places
    skip = min((next(i for i, cell in enumerate(row) if cell) for row in sheet.rows if any(row)), default=0)
    copy = SheetCopy(name, folder / f"sheet-{len(os.listdir(folder))}.csv", skip)
    width = max((len(row) for row in sheet.rows), default=0) - skip
    line = io.StringIO()
    writer = csv.writer(line, lineterminator="\r\n")  # a cell holding either line end is quoted
    for number, row in enumerate(sheet.rows, 1):
        cells = [*row[skip:], *[""] * (width - len(row[skip:]))]  # every row as wide as the sheet's data, as Excel saves it
        line.seek(0)
        line.truncate()
        writer.writerow(cells)
        written = line.getvalue()[:-2]
        copy.starts.append(text.tell())
        copy.rows += [number] * (1 + (len(_LINE_BREAK.findall(written)) if "\n" in written or "\r" in written else 0))
        text.write(written + "\n")
    copy.starts.append(text.tell())
    copy.text = text.getvalue()
    part = copy.path.with_suffix(".part")
    part.write_text(copy.text, encoding="utf-8", newline="")
    os.replace(part, copy.path)
    return copy


@contextmanager
def as_csv(paths: Sequence[Path], required: Sequence[str], kind: str) -> Iterator[Copies]:
    """The files ``paths`` with each workbook made a CSV copy of its sheet (:func:`write_copy`), named by the
    workbook in messages within the block; the copies are removed after it."""
    from .table import _display

    copies = Copies(list(paths))
    books = [is_workbook(Path(path)) for path in paths]
    for path, workbook in zip(paths, books, strict=True):
        if (named := _named_otherwise(Path(path), _display(Path(path)), workbook)) is not None:
            copies.problems.append(named)
    if not any(books):
        yield copies
        return
    folder = Path(tempfile.mkdtemp(prefix="journeymap-workbook-"))
    names = dict(_COPIES.get() or {})
    try:
        copies.paths = []
        for path, workbook in zip(paths, books, strict=True):
            if not workbook:
                copies.paths.append(path)
                continue
            name = _display(Path(path))
            sheets, problems = _sheets(Path(path), name)
            sheet = None
            if sheets is not None:
                sheet, more = choose_sheet(sheets, name, required, kind)
                problems += more
            copies.problems += problems
            if sheet is None:
                continue
            if (errors := error_cells_warning(sheet, name, len(sheets or ()) > 1, required)) is not None:
                copies.problems.append(errors)
            copies.problems += sheet_notes(sheet, name, required)
            copy = write_copy(sheet, name, folder)
            copies.sheets.append(copy)
            copies.paths.append(copy.path)
            names[str(copy.path)] = name
        token = _COPIES.set(names)
        try:
            yield copies
        finally:
            _COPIES.reset(token)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: A hint's command line run on the file: a workbook's user has no such file to run it on.
_COMMAND_ON_FILE = re.compile(r"\b(?:sed|tail|head|awk|grep|iconv|tr|cut|perl|jq)\b[^()]*\bFILE\b")


@dataclass
class Copies:
    """The files to read (workbooks replaced by their copies), the problems of the workbooks, and how to place what
    the readers found back in the sheets."""

    paths: list[Path]
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetCopy] = field(default_factory=list)

    def place(self, span: Span) -> Span:
        for sheet in self.sheets:
            if span.file == sheet.name:
                return sheet.place(span)
        return span

    def placed_problems(self, problems: Sequence[Problem]) -> list[Problem]:
        if not self.sheets:
            return [*self.problems, *problems]
        return [*self.problems, *(self.placed_problem(p) for p in problems)]

    def placed_problem(self, problem: Problem) -> Problem:
        """A problem found in a copy, at the sheet's row and column; a hint that runs a command on the file (``sed 2,3d
        FILE``, as a CSV file's does) says what FILE is for a workbook."""
        placed = self.place(problem.span)
        if placed is problem.span:
            return problem
        hint = problem.hint
        if hint and _COMMAND_ON_FILE.search(hint):
            hint += " (for a workbook: make that change in the sheet, or save the sheet as CSV UTF-8 as FILE)"
        return replace(problem, span=placed, hint=hint)

    def placed_point(self, point: DataPoint) -> DataPoint:
        if not self.sheets:
            return point
        return replace(point, span=self.place(point.span), series=tuple(self.placed_point(p) for p in point.series))

    def placed_verbatims(self, said: Verbatims) -> Verbatims:
        return replace(said, quotes=[replace(q, span=self.place(q.span)) for q in said.quotes])

    def placed_responses(self, answers: Responses) -> Responses:
        if not self.sheets:
            answers.problems = self.placed_problems(answers.problems)
            return answers
        answers.points = [self.placed_point(p) for p in answers.points]
        answers.persona_points = [self.placed_point(p) for p in answers.persona_points]
        answers.verbatims = {k: self.placed_verbatims(v) for k, v in answers.verbatims.items()}
        answers.persona_verbatims = {persona: {k: self.placed_verbatims(v) for k, v in said.items()}
                                     for persona, said in answers.persona_verbatims.items()}
        answers.problems = self.placed_problems(answers.problems)
        return answers
