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


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


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


def _ods_cell(cell: Cell, down: int = 1, across: int = 1) -> str:
    if down > 1 or across > 1:  # the first cell of merged cells
        inner = _ods_cell(cell)
        return inner.replace("<table:table-cell", f'<table:table-cell table:number-rows-spanned="{down}"'
                             f' table:number-columns-spanned="{across}"', 1)
    if cell is None:
        return "<table:table-cell/>"
    if isinstance(cell, Formatted) and isinstance(cell.value, (int, float)) and cell.format.endswith("%"):
        decimals = len(cell.format.partition(".")[2]) - 1
        shown = f"{cell.value * 100:.{decimals}f}%"  # as LibreOffice writes a percentage: its value, and the text shown
        return (f'<table:table-cell office:value-type="percentage" office:value="{cell.value!r}" calcext:value-type="percentage">'
                f"<text:p>{shown}</text:p></table:table-cell>")
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


def write_ods(path: Path, sheets: Mapping[str, Rows], *, merged: Sequence[str] = (), hidden_rows: Sequence[int] = (),
              hidden_columns: Sequence[int] = (), autofilter: str = "") -> Path:
    """An OpenDocument spreadsheet (LibreOffice, Google Sheets' .ods download) of ``sheets``; on every sheet, as
    :func:`write_xlsx`: ``merged`` ranges ('A2:A4', 'A1:D1': the cells other than the first covered), ``hidden_rows``,
    ``hidden_columns``, and an ``autofilter`` range (the hidden rows then those its filter hides)."""
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for area in merged:
        (left, top), (right, bottom) = ((_column_number(ref.rstrip("0123456789")), int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
                                        for ref in area.split(":"))
        spans[(top, left)] = (bottom - top + 1, right - left + 1)
        covered |= {(row, column) for row in range(top, bottom + 1) for column in range(left, right + 1)} - {(top, left)}
    hiding = "filter" if autofilter else "collapse"

    def row_xml(number: int, row: Sequence[Cell]) -> str:
        cells = "".join("<table:covered-table-cell/>" if (number, c) in covered else _ods_cell(cell, *spans.get((number, c), (1, 1)))
                        for c, cell in enumerate(row, 1))
        return (f'<table:table-row table:visibility="{hiding}">' if number in hidden_rows else "<table:table-row>") + cells + "</table:table-row>"

    def columns(rows: Rows) -> str:
        width = max((len(row) for row in rows), default=0)
        return "".join('<table:table-column table:visibility="collapse"/>' if c in hidden_columns else "<table:table-column/>"
                       for c in range(1, width + 1)) if hidden_columns else ""
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")  # first, stored
        book.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>"))
        tables = "".join(
            f"<table:table table:name={quoteattr(name)}>" + columns(rows)
            + "".join(row_xml(r, row) for r, row in enumerate(rows, 1))
            + "</table:table>" for name, rows in sheets.items())
        if autofilter:
            first, last = autofilter.split(":")
            tables += "<table:database-ranges>" + "".join(
                f'<table:database-range table:name="__Anonymous_Sheet_DB__{i}" table:target-range-address='
                f'{quoteattr(name + "." + first + ":" + name + "." + last)} table:display-filter-buttons="true"/>'
                for i, name in enumerate(sheets)) + "</table:database-ranges>"
        book.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}'
                      f' office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>'
                      "</office:document-content>")
    return path


def _record(kind: int, body: bytes = b"") -> bytes:
    """An .xlsb record: its type and size as 7-bit groups, then its body."""
    head = bytes([kind]) if kind < 0x80 else bytes([kind & 0x7F | 0x80, kind >> 7])
    size, length = len(body), b""
    while True:
        length += bytes([size & 0x7F | (0x80 if size > 0x7F else 0)])
        size >>= 7
        if not size:
            break
    return head + length + body


def _wide(text: str) -> bytes:
    return len(text).to_bytes(4, "little") + text.encode("utf-16-le")


#: The error codes of the binary formats (.xlsb, .xls).
ERROR_CODES = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24, "#N/A": 0x2A}


def write_xlsb(path: Path, sheets: Mapping[str, Rows], *, hidden_rows: Sequence[int] = (), hidden_columns: Sequence[int] = (),
               autofilter: str = "", merged: Sequence[str] = ()) -> Path:
    """An Excel binary workbook (.xlsb) of ``sheets``: text, numbers (:class:`Formatted` ones with their format, as an
    RK number when a whole one), and error cells, as a formula's cached error (BrtFmlaError) when the error is one of
    ``#DIV/0!`` and ``#VALUE!``, else a plain error cell (BrtCellError); on every sheet, as :func:`write_xlsx`:
    ``hidden_rows``, ``hidden_columns``, an ``autofilter`` range and ``merged`` ranges."""
    import struct

    names = list(sheets)
    formats = sorted({cell.format for rows in sheets.values() for row in rows for cell in row if isinstance(cell, Formatted)})
    ids = {code: _BUILT_IN.get(code, 164 + i) for i, code in enumerate(formats)}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
            "</Types>"))
        book.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.bin"/></Relationships>'))
        book.writestr("xl/_rels/workbook.bin.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.bin"/>'
                      for i in range(1, len(names) + 1)) + "</Relationships>"))
        book.writestr("xl/workbook.bin", _record(0x83) + _record(0x8F) + b"".join(
            _record(0x9C, struct.pack("<II", 0, i) + _wide(f"rId{i}") + _wide(name)) for i, name in enumerate(names, 1))
            + _record(0x90) + _record(0x9D, bytes(26)) + _record(0x84))
        book.writestr("xl/styles.bin", _record(0x267, struct.pack("<I", len(formats))) + b"".join(
            _record(0x2C, struct.pack("<H", ids[code]) + _wide(code)) for code in formats) + _record(0x268)
            + _record(0x269, struct.pack("<I", 1 + len(formats))) + b"".join(
                _record(0x2F, struct.pack("<HH", 0xFFFF, number) + bytes(12)) for number in [0, *(ids[code] for code in formats)])
            + _record(0x26A))
        for i, name in enumerate(names, 1):
            rows = sheets[name]
            width = max((len(row) for row in rows), default=1)
            body = [_record(0x81), _record(0x94, struct.pack("<IIII", 0, max(len(rows) - 1, 0), 0, width - 1))]
            if hidden_columns:
                body += [_record(0x186)] + [_record(0x3C, struct.pack("<IIIIH", c - 1, c - 1, 0, 0, 1)) for c in hidden_columns] + [
                    _record(0x187)]
            body.append(_record(0x91))
            for r, row in enumerate(rows):
                body.append(_record(0x00, struct.pack("<IIHBB", r, 0, 300, 0, 0x10 if r + 1 in hidden_rows else 0) + bytes(5)))
                for c, cell in enumerate(row):
                    at = struct.pack("<II", c, 0)
                    if cell is None:
                        continue
                    if isinstance(cell, Formatted) and isinstance(cell.value, (int, float)):
                        styled = struct.pack("<II", c, 1 + formats.index(cell.format))
                        if float(cell.value).is_integer() and abs(cell.value) < 1 << 29:  # an RK number: an integer
                            body.append(_record(0x02, styled + struct.pack("<i", int(cell.value) << 2 | 2)))
                        else:
                            body.append(_record(0x05, styled + struct.pack("<d", float(cell.value))))
                        continue
                    if isinstance(cell, ExcelError):
                        code = bytes([ERROR_CODES[cell.text]])
                        if cell.text in ("#DIV/0!", "#VALUE!"):  # =1/0: PtgInt 1, PtgInt 0, PtgDiv
                            formula = bytes([0x1E, 1, 0, 0x1E, 0, 0, 0x06])
                            body.append(_record(0x0B, at + code + bytes(2) + struct.pack("<I", len(formula)) + formula + bytes(4)))
                        else:
                            body.append(_record(0x03, at + code))
                    elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
                        body.append(_record(0x05, at + struct.pack("<d", float(cell))))
                    elif isinstance(cell, str):
                        body.append(_record(0x06, at + _wide(cell)))
                    else:
                        raise TypeError(f"write_xlsb writes text, numbers and errors, not {cell!r}")
            body.append(_record(0x92))
            if autofilter:
                (left, top), (right, bottom) = ((_column_number(ref.rstrip("0123456789")), int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
                                                for ref in autofilter.split(":"))
                body += [_record(0xA1, struct.pack("<IIII", top - 1, bottom - 1, left - 1, right - 1)), _record(0xA2)]
            if merged:
                body.append(_record(0xB1, struct.pack("<I", len(merged))))
                for area in merged:
                    (left, top), (right, bottom) = ((_column_number(ref.rstrip("0123456789")), int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
                                                    for ref in area.split(":"))
                    body.append(_record(0xB0, struct.pack("<IIII", top - 1, bottom - 1, left - 1, right - 1)))
                body.append(_record(0xB2))
            body.append(_record(0x82))
            book.writestr(f"xl/worksheets/sheet{i}.bin", b"".join(body))
    return path


def _biff(kind: int, body: bytes = b"") -> bytes:
    import struct

    return struct.pack("<HH", kind, len(body)) + body


def _biff_text(text: str) -> bytes:
    """A BIFF8 text: its length, then UTF-16."""
    import struct

    return struct.pack("<HB", len(text), 1) + text.encode("utf-16-le")


def write_xls(path: Path, sheets: Mapping[str, Rows], small: bool = False, merged: Sequence[str] = (), *,
              hidden_rows: Sequence[int] = (), hidden_columns: Sequence[int] = (), autofilter: str = "") -> Path:
    """A legacy Excel workbook (.xls: BIFF8 in an OLE compound file) of ``sheets``: text, numbers, and error cells,
    as a formula's cached error (FORMULA) when the error is ``#DIV/0!`` or ``#VALUE!``, else a plain one (BOOLERR).
    ``small``: a workbook stream under 4,096 bytes is kept in the file's mini stream (64-byte sectors), as writers
    other than Excel leave it. ``merged``: ranges merged on every sheet ('A2:A4'); ``hidden_rows``, ``hidden_columns``
    and ``autofilter`` as :func:`write_xlsx` (an .xls keeps its filter's range in a defined name: only its buttons'
    count is written). :class:`Formatted` numbers with their format (FORMAT and XF records), as an RK when whole."""
    import struct

    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0206)
    formats = sorted({cell.format for rows in sheets.values() for row in rows for cell in row if isinstance(cell, Formatted)})
    ids = {code: _BUILT_IN.get(code, 164 + i) for i, code in enumerate(formats)}
    styles = b"".join(_biff(0x041E, struct.pack("<H", ids[code]) + _biff_text(code)) for code in formats if ids[code] >= 164) + b"".join(
        _biff(0x00E0, struct.pack("<HH", 0, number) + bytes(16)) for number in [0, *(ids[code] for code in formats)])
    substreams = []
    for rows in sheets.values():
        width = max((len(row) for row in rows), default=1)
        body = [_biff(0x0809, bof[:2] + struct.pack("<H", 0x0010) + bof[4:])]
        if autofilter:
            body += [_biff(0x009B), _biff(0x009D, struct.pack("<H", width))]
        body += [_biff(0x007D, struct.pack("<HHHHHH", c - 1, c - 1, 0, 0, 1, 0)) for c in hidden_columns]
        body.append(_biff(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0)))
        body += [_biff(0x0208, struct.pack("<HHHHHHI", r - 1, 0, width, 300, 0, 0, 0x20 | 0x100)) for r in hidden_rows]
        for r, row in enumerate(rows):
            run: list[tuple[int, int, int]] = []  # whole numbers side by side, (column, style, RK), as Excel writes a MULRK
            for c, cell in enumerate([*row, None]):
                whole = (isinstance(cell, Formatted) and isinstance(cell.value, (int, float)) and float(cell.value).is_integer()
                         and abs(cell.value) < 1 << 29)
                if whole and isinstance(cell, Formatted):
                    run.append((c, 1 + formats.index(cell.format), int(cell.value) << 2 | 2))
                    continue
                if len(run) == 1:
                    body.append(_biff(0x027E, struct.pack("<HHHi", r, run[0][0], run[0][1], run[0][2])))
                elif run:
                    body.append(_biff(0x00BD, struct.pack("<HH", r, run[0][0]) + b"".join(struct.pack("<Hi", style, rk) for _, style, rk in run)
                                      + struct.pack("<H", run[-1][0])))
                run = []
                at = struct.pack("<HHH", r, c, 0)
                if cell is None:
                    continue
                if isinstance(cell, Formatted) and isinstance(cell.value, (int, float)):
                    body.append(_biff(0x0203, struct.pack("<HHH", r, c, 1 + formats.index(cell.format)) + struct.pack("<d", float(cell.value))))
                    continue
                if isinstance(cell, ExcelError):
                    code = ERROR_CODES[cell.text]
                    if cell.text in ("#DIV/0!", "#VALUE!"):  # =1/0: PtgInt 1, PtgInt 0, PtgDiv
                        formula = bytes([0x1E, 1, 0, 0x1E, 0, 0, 0x06])
                        cached = bytes([2, 0, code, 0, 0, 0, 0xFF, 0xFF])
                        body.append(_biff(0x0006, at + cached + struct.pack("<HIH", 0, 0, len(formula)) + formula))
                    else:
                        body.append(_biff(0x0205, at + bytes([code, 1])))
                elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
                    body.append(_biff(0x0203, at + struct.pack("<d", float(cell))))
                elif isinstance(cell, str):
                    body.append(_biff(0x0204, at + _biff_text(cell)))
                else:
                    raise TypeError(f"write_xls writes text, numbers and errors, not {cell!r}")
        if merged:
            areas = [[(_column_number(ref.rstrip("0123456789")) - 1, int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) - 1)
                      for ref in area.split(":")] for area in merged]
            body.append(_biff(0x00E5, struct.pack("<H", len(areas)) + b"".join(
                struct.pack("<HHHH", top, bottom, left, right) for (left, top), (right, bottom) in areas)))
        body.append(_biff(0x000A))
        substreams.append(b"".join(body))
    names = list(sheets)
    bound = [len(_biff(0x0085, bytes(6) + struct.pack("<BB", len(n), 1) + n.encode("utf-16-le"))) for n in names]
    offset = len(_biff(0x0809, bof)) + len(styles) + sum(bound) + len(_biff(0x000A))
    globals_ = [_biff(0x0809, bof), styles]
    for name, substream in zip(names, substreams, strict=True):
        globals_.append(_biff(0x0085, struct.pack("<IBB", offset, 0, 0) + struct.pack("<BB", len(name), 1) + name.encode("utf-16-le")))
        offset += len(substream)
    stream = b"".join(globals_) + _biff(0x000A) + b"".join(substreams)
    if small:
        return _write_small_ole(path, stream)
    size = max(len(stream), 4096)  # a stream under 4,096 bytes would go to the mini stream
    stream += bytes(-len(stream) % 512 + (size - len(stream)) // 512 * 512)
    sectors = len(stream) // 512
    assert sectors + 2 <= 128, "one FAT sector"
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    fat = [0xFFFFFFFD] + [i + 2 for i in range(sectors - 1)] + [end, end]
    fat += [free] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, sectors + 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, free, free, child) + bytes(16 + 4 + 16)
                + struct.pack("<III", start, length, 0))

    directory = (entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, free, 1, size)
                 + entry("", 0, free, free, 0) * 2)
    path.write_bytes(header + struct.pack("<128I", *fat) + stream + directory)
    return path


def _ole_entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
    import struct

    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, 0xFFFFFFFF, 0xFFFFFFFF, child)
            + bytes(16 + 4 + 16) + struct.pack("<III", start, length, 0))


def _write_small_ole(path: Path, stream: bytes) -> Path:
    """An OLE file whose 'Workbook' stream (under 4,096 bytes) is in the mini stream: sector 0 the FAT, 1 the mini FAT,
    then the mini stream's sectors, then the directory."""
    import struct

    assert len(stream) < 4096
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    minis = -(-len(stream) // 64)
    container = stream.ljust(minis * 64, b"\0")
    container += bytes(-len(container) % 512)
    sectors = len(container) // 512
    fat = [0xFFFFFFFD, end] + [i + 3 for i in range(sectors - 1)] + [end, end]
    fat += [free] * (128 - len(fat))
    mini_fat = [i + 1 for i in range(minis - 1)] + [end]
    mini_fat += [free] * (128 - len(mini_fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, sectors + 2, 0, 4096, 1, 1, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    directory = (_ole_entry("Root Entry", 5, 1, 2, minis * 64) + _ole_entry("Workbook", 2, free, 0, len(stream))
                 + _ole_entry("", 0, free, free, 0) * 2)
    path.write_bytes(header + struct.pack("<128I", *fat) + struct.pack("<128I", *mini_fat) + container + directory)
    return path
