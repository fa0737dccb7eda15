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


Cell = None | str | int | float | bool | date | datetime | ExcelError
Rows = Sequence[Sequence[Cell]]

_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""
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


def _xlsx_cell(ref: str, cell: Cell) -> str:
    if cell is None:
        return ""
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


def write_xlsx(path: Path, sheets: Mapping[str, Rows], hidden: Sequence[str] = ()) -> Path:
    """An .xlsx workbook of ``sheets`` (name -> rows, in order); the sheets named in ``hidden`` are hidden."""
    names = list(sheets)
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
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
            + "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"'
                      + (' state="hidden"' if name in hidden else "") + "/>" for i, name in enumerate(names, 1))
            + "</sheets></workbook>"))
        book.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(names) + 1))
            + f'<Relationship Id="rId{len(names) + 1}" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>'))
        book.writestr("xl/styles.xml", _STYLES)
        for i, name in enumerate(names, 1):
            rows = "".join(
                f'<row r="{r}">' + "".join(_xlsx_cell(f"{column_letters(c)}{r}", cell) for c, cell in enumerate(row, 1)) + "</row>"
                for r, row in enumerate(sheets[name], 1) if any(cell is not None for cell in row))
            book.writestr(f"xl/worksheets/sheet{i}.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                          f'<worksheet xmlns="{_MAIN}"><sheetData>{rows}</sheetData></worksheet>')
    return path


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
