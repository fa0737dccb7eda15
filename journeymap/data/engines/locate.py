"""Where the bad rows an engine counted are: a scan that stops at the first few of each kind.

An engine counts bad rows in SQL over the whole log; the places shown for
each kind (file, line, column) come from reading the file again from the top
with the same rules (:func:`.rows.check_cells`) until the first
:data:`~.rows.SHOWN_POSITIONS` of every kind are found. A CSV's line is the
physical line where the row starts, quoted line breaks included.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from ...problems import Problem, Span
from .rows import OPTIONAL, REQUIRED, BadRows, check_cells
from .sources import file_format

Record = tuple[dict[str, str], dict[str, Span]]


def locate_bad_rows(file: Path, name: str, counts: dict[tuple[str, str], int]) -> list[Problem]:
    bad = BadRows()
    fmt = file_format(file)
    records = _csv_records(file, name) if fmt == "csv" else _json_records(file, name) if fmt == "json" else _parquet_records(file, name)
    try:
        for cells, spans in records:
            check_cells(cells, spans, bad)
            if bad.full(counts):
                break
    except (OSError, UnicodeDecodeError, csv.Error, ValueError):
        pass  # the counts stand; places found so far are shown
    return bad.problems(name, counts)


def _normalise(header: list[str]) -> list[str]:
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    if "segment" not in names and "persona" in names:
        names = ["segment" if n == "persona" else n for n in names]
    return names


def _csv_records(file: Path, name: str) -> Iterator[Record]:
    from ..table import _cell_columns, _delimiter

    opener = gzip.open if file.suffix.lower() == ".gz" else open
    with opener(file, "rt", encoding="utf-8-sig", errors="replace", newline="") as stream:
        first = stream.readline()
        if not first:
            return
        delimiter = _delimiter(first.rstrip("\r\n"))
        header = _normalise(next(csv.reader([first], delimiter=delimiter)))
        line_number = 1  # of the last physical line read
        start = 2
        pending = ""
        for raw_line in stream:
            line_number += 1
            if not pending:
                start = line_number
            text = pending + raw_line
            if text.count('"') % 2 == 1:  # a quoted cell goes on past this line
                pending = text
                continue
            pending = ""
            body = text.rstrip("\r\n")
            if not body.strip():
                continue
            cells = next(csv.reader([body], delimiter=delimiter), [])
            if len(cells) != len(header):
                continue  # DuckDB rejects it; the rejects table has its place
            columns = _cell_columns(body, delimiter) if "\n" not in body else [1] * len(cells)
            yield (
                {h: c for h, c in zip(header, cells, strict=True)},
                {h: Span(name, start, columns[i] if i < len(columns) else 1) for i, h in enumerate(header)}
                | {c: Span(name, start, 1) for c in (*REQUIRED, *OPTIONAL) if c not in header},
            )


def _json_records(file: Path, name: str) -> Iterator[Record]:
    with open(file, encoding="utf-8-sig", errors="replace") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            value = json.loads(line)
            if not isinstance(value, dict):
                continue
            cells = {str(k).strip().lower(): "" if v is None else str(v) for k, v in value.items()}
            if "segment" not in cells and "persona" in cells:
                cells["segment"] = cells["persona"]
            yield cells, dict.fromkeys((*REQUIRED, *OPTIONAL), Span(name, number, 1))


def _parquet_records(file: Path, name: str) -> Iterator[Record]:
    """Rows numbered from 2, as if a header were line 1 (Parquet has no lines)."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        cursor = con.execute("SELECT * FROM read_parquet(?)", [str(file)])
        header = _normalise([d[0] for d in cursor.description])
        number = 1
        while batch := cursor.fetchmany(10_000):
            for row in batch:
                number += 1
                cells = {h: "" if v is None else _text(v) for h, v in zip(header, row, strict=True)}
                yield cells, dict.fromkeys((*REQUIRED, *OPTIONAL), Span(name, number, 1))
    finally:
        con.close()


def _text(value: object) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    return str(value)

