"""Tiny workbooks written by hand for the tests: an .xlsx and an .ods are zip files of XML.

``write_xlsx(path, {"Sheet1": rows})``: each row a list of cells, from column A; a cell is ``None`` (no
cell at all), text, a number, a bool, a ``date`` or ``datetime`` (a number formatted as a date, as
Excel stores one) or an :class:`ExcelError` (``#N/A``). Text is written inline (no shared strings),
which Excel, LibreOffice and calamine all read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True)
class ExcelError:
    """An error cell, as a formula that failed leaves it (``#N/A``, ``#DIV/0!``)."""

    text: str


@dataclass(frozen=True)
class Formatted:
    """A number (or text) cell with a number format, as Excel stores one: ``Formatted(0.71, "0%")`` shows 71%,
    ``Formatted(45383, "yyyy-mm-dd")`` a date, ``Formatted("71%", "@")`` a cell formatted as text."""

    value: float | int | str
    format: str


@dataclass(frozen=True)
class Formula:
    """A formula cell; ``cached`` its value as last computed (None: never computed, as libraries write them)."""

    formula: str
    cached: float | str | None = None


Cell = None | str | int | float | bool | date | datetime | ExcelError | Formatted | Formula
Rows = Sequence[Sequence[Cell]]

#: Excel's built-in number formats by id (those the tests use); any other format is written as a custom one.
_BUILT_IN = {"0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "m/d/yyyy": 14, "h:mm": 20,
             "h:mm:ss": 21, "m/d/yyyy h:mm": 22, "@": 49}


def _styles(formats: Sequence[str]) -> str:
    """The styles part: style 1 a date, 2 a date and time (as before), then one style for each of ``formats``."""
    ids = {code: _BUILT_IN.get(code, 164 + i) for i, code in enumerate(formats)}
    custom = [(number, code) for code, number in ids.items() if number >= 164]
    numfmts = (f'<numFmts count="{len(custom)}">' + "".join(f"<numFmt numFmtId={quoteattr(str(n))} formatCode={quoteattr(c)}/>"
                                                            for n, c in custom) + "</numFmts>") if custom else ""
    xfs = ['<xf numFmtId="0"/>', '<xf numFmtId="14" applyNumberFormat="1"/>', '<xf numFmtId="22" applyNumberFormat="1"/>',
           *(f'<xf numFmtId="{ids[code]}" applyNumberFormat="1"/>' for code in formats)]
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{numfmts}'
            '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
            f'<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs></styleSheet>')


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_EPOCH = datetime(1899, 12, 30)


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_cell(ref: str, cell: Cell, formats: list[str]) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Formatted):
        if cell.format not in formats:
            formats.append(cell.format)
        style = 3 + formats.index(cell.format)
        if isinstance(cell.value, str):
            return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(cell.value)}</t></is></c>'
        return f'<c r="{ref}" s="{style}"><v>{cell.value!r}</v></c>'
    if isinstance(cell, Formula):
        if cell.cached is None:
            return f'<c r="{ref}"><f>{escape(cell.formula)}</f></c>'
        if isinstance(cell.cached, str):
            return f'<c r="{ref}" t="str"><f>{escape(cell.formula)}</f><v>{escape(cell.cached)}</v></c>'
        return f'<c r="{ref}"><f>{escape(cell.formula)}</f><v>{cell.cached!r}</v></c>'
    if isinstance(cell, ExcelError):
        return f'<c r="{ref}" t="e"><v>{escape(cell.text)}</v></c>'
    if isinstance(cell, bool):
        return f'<c r="{ref}" t="b"><v>{int(cell)}</v></c>'
    if isinstance(cell, datetime):
        serial = (cell - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="2"><v>{serial!r}</v></c>'
    if isinstance(cell, date):
        return f'<c r="{ref}" s="1"><v>{(cell - _EPOCH.date()).days}</v></c>'
    if isinstance(cell, (int, float)):
        return f'<c r="{ref}"><v>{cell!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(cell)}</t></is></c>'


def write_xlsx(path: Path, sheets: Mapping[str, Rows], hidden: Sequence[str] = (), *, merged: Sequence[str] = (),
               hidden_rows: Sequence[int] = (), hidden_columns: Sequence[int] = (), autofilter: str = "",
               date1904: bool = False) -> Path:
    """An .xlsx workbook of ``sheets`` (name -> rows, in order); the sheets named in ``hidden`` are hidden. On every
    sheet: ``merged`` ranges ('A2:A4'), ``hidden_rows`` and ``hidden_columns`` (numbers from 1), an ``autofilter``
    range ('A1:D9'; the hidden rows are those it filters out); ``date1904``: the workbook counts days from 1904 (Mac)."""
    names = list(sheets)
    formats: list[str] = []
    parts = {}
    epoch = datetime(1904, 1, 1) if date1904 else _EPOCH
    for i, name in enumerate(names, 1):
        rows = "".join(
            f'<row r="{r}"' + (' hidden="1"' if r in hidden_rows else "") + ">"
            + "".join(_xlsx_cell(f"{column_letters(c)}{r}", _shifted(cell, epoch), formats) for c, cell in enumerate(row, 1)) + "</row>"
            for r, row in enumerate(sheets[name], 1) if any(cell is not None for cell in row) or r in hidden_rows)
        cols = ("<cols>" + "".join(f'<col min="{c}" max="{c}" hidden="1" width="0"/>' for c in hidden_columns) + "</cols>"
                if hidden_columns else "")
        merges = (f'<mergeCells count="{len(merged)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merged) + "</mergeCells>"
                  if merged else "")
        parts[f"xl/worksheets/sheet{i}.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}">'
                                                f'{cols}<sheetData>{rows}</sheetData>'
                                                + (f'<autoFilter ref="{autofilter}"/>' if autofilter else "")
                                                + f"{merges}</worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml"'
                      ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(names) + 1))
            + "</Types>"))
        book.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        book.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN}" xmlns:r="{_RELS}">'
            + ('<workbookPr date1904="1"/>' if date1904 else "") + "<sheets>"
            + "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"'
                      + (' state="hidden"' if name in hidden else "") + "/>" for i, name in enumerate(names, 1))
            + "</sheets></workbook>"))
        book.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(names) + 1))
            + f'<Relationship Id="rId{len(names) + 1}" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>'))
        book.writestr("xl/styles.xml", _styles(formats))
        for member, text in parts.items():
            book.writestr(member, text)
    return path


def _shifted(cell: Cell, epoch: datetime) -> Cell:
    """A date cell's serial number counted from ``epoch`` (1899-12-30, or 1904-01-01 for a Mac workbook)."""
    if epoch == _EPOCH or not isinstance(cell, date):
        return cell
    moment = cell if isinstance(cell, datetime) else datetime(cell.year, cell.month, cell.day)
    serial = (moment - epoch).total_seconds() / 86400
    return Formatted(int(serial) if serial.is_integer() else serial, "yyyy-mm-dd hh:mm:ss" if isinstance(cell, datetime) else "yyyy-mm-dd")


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
           ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
           ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
           ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"')


def _ods_cell(cell: Cell) -> str:
    if cell is None:
        return "<table:table-cell/>"
    if isinstance(cell, bool):
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(cell).lower()}"/>'
    if isinstance(cell, (datetime, date)):
        return f'<table:table-cell office:value-type="date" office:date-value="{cell.isoformat()}"/>'
    if isinstance(cell, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{cell!r}"><text:p>{cell!r}</text:p></table:table-cell>'
    if isinstance(cell, ExcelError):  # as LibreOffice saves a failed formula: a value of 0, the error as its text
        return (f'<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0"'
                f' calcext:value-type="error"><text:p>{escape(cell.text)}</text:p></table:table-cell>')
    return f'<table:table-cell office:value-type="string"><text:p>{escape(cell)}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: Mapping[str, Rows]) -> Path:
    """An OpenDocument spreadsheet (LibreOffice, Google Sheets' .ods download) of ``sheets``."""
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")  # first, stored
        book.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>"))
        tables = "".join(
            f"<table:table table:name={quoteattr(name)}>"
            + "".join("<table:table-row>" + "".join(_ods_cell(cell) for cell in row) + "</table:table-row>" for row in rows)
            + "</table:table>" for name, rows in sheets.items())
        book.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}'
                      f' office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>'
                      "</office:document-content>")
    return path
