"""Survey responses and metric tables read by DuckDB: the rows counted in SQL, the rules kept in Python.

A million survey answers repeat a few thousand combinations of touchpoint,
metric, score, date, period and persona. DuckDB reads the files once into a
columnar table (every cell trimmed as Python trims it, blank rows left out)
and counts the rows of each distinct combination; Python checks each
combination once with the very functions the row reader uses
(:mod:`journeymap.data.responses`), so the values, the messages and the
problems are the same. DuckDB then counts what depends on the checks (repeated
respondents, comments per text, touchpoint, persona and period), and one scan
of the file from the top finds the places (line and column) of the few rows a
message or a quote points at, stopping at the last one needed.

A file this path cannot read exactly as the row reader does (rows DuckDB
rejects: more or fewer cells than the header, stray quotes; a header that is
not on line 1 or has errors; not UTF-8; old Mac line ends) is read by the row
reader instead, which reports it with its positions: :class:`Fallback`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ...problems import Problem, Span
from .. import METRIC_ALIASES, MISSING
from ..table import (
    PARQUET_SUFFIXES,
    Row,
    Table,
    _check_header,
    _delimiter,
    cell_places,
    collapse_counted,
    csv_records,
    separator_line,
    summary_like,
)
from .duckdb import connected, file_literal, literal, quote, stripped
from .rows import SPACE_CLASS, WHITESPACE, column_key

MEMORY_LIMIT = "1500MB"
#: Bytes read at a time by the scan that finds the places of rows.
SCAN_BLOCK = 1 << 23
#: A CSV file of this many bytes or more is read in parts, one a thread (:func:`_split`); a smaller one by one thread.
SPLIT_BYTES = 16 << 20
#: The most parts a file is read in.
SPLIT_PARTS = 8
#: A file larger than this is read by one thread: the parts are copies, and the file is scanned for where to cut it.
SPLIT_MAX = 4 << 30
_TEXT_TYPES = ("VARCHAR",)
_WHOLE_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")


class Fallback(Exception):
    """This file is read by the row reader (the reason is the message)."""


@dataclass
class DataFile:
    """One file in DuckDB: its table of trimmed cells, and how to find a row's place."""

    number: int
    path: Path
    name: str
    parquet: bool
    header: list[str]
    index: dict[str, int]
    delimiter: str
    table: str
    problems: list[Problem] = field(default_factory=list)
    one_line: bool = False
    """No cell holds a line break: each row is one line of the file."""
    header_line: int = 1
    """The header's line: 2 below Excel's separator line (``sep=;``)."""
    parts: int = 1
    """The parts DuckDB read the file in, each by one thread (:func:`_split`)."""

    @property
    def reader(self) -> Table:
        """A row-reader table of this file, to make a :class:`Row` of a located record."""
        return Table(self.name, self.header, [], self.index, self.delimiter)


#: The code points of :data:`WHITESPACE`, and 0 (DuckDB's ``ascii('')``), for ``ascii(cell) IN (...)``.
_SPACE_CODES = ", ".join(["0"] + [str(ord(c)) for c in WHITESPACE])


def sql_text(expression: str) -> str:
    """A cell as the row reader sees it: text, stripped of Python's whitespace, '' when missing."""
    return stripped(f"COALESCE(CAST({expression} AS VARCHAR), '')")


@contextmanager
def connection(threads: int | None = None) -> Iterator[Any]:
    # Row numbers of a table are file order only while insertion order is kept.
    with connected("journeymap-survey-", MEMORY_LIMIT, threads, in_order=True) as (con, _):
        yield con


def load_file(
    con: Any, number: int, path: Path, name: str, required: Sequence[str], optional: Sequence[str], kind: str,
    trim: bool = True,
) -> DataFile:
    """Read one file into the table ``jm_file{number}``: the known columns as text ('' when
    missing) and the row's ordinal ``o``, rows of blanks left out; raises :class:`Fallback` when
    the row reader must read it.

    ``trim``: cells stripped as Python strips them. Without it (CSV only; Parquet cells are
    always stripped) the cells are kept as read, for a caller that strips the few distinct
    values it fetches: trimming every cell in SQL costs more than reading the file."""
    import duckdb

    if not path.is_file() or path.stat().st_size == 0:
        raise Fallback("not a readable non-empty file")
    if path.suffix.lower() == ".gz":
        raise Fallback("gzip-compressed: the row reader decompresses it")
    parquet = path.suffix.lower() in PARQUET_SUFFIXES
    told: list[Problem] = []
    if not parquet:
        path, told = _readable_copy(con, number, path, name)
    known = list(required) + list(optional)
    table = f"jm_file{number}"
    if parquet:
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({file_literal(path)})").fetchall()
        except duckdb.Error as exc:
            raise Fallback(str(exc)) from exc
        raw = [str(d[0]) for d in described]
        header = [column_key(h) for h in raw]
        problems = _check_header(name, 1, header, required, known, kind, raw)
        if any(p.is_error for p in problems):
            raise Fallback("header")
        cells = [_parquet_text(quote(column), str(kind_)) for column, kind_, *_ in described]
        delimiter = ","
        source = f"read_parquet({file_literal(path)}, file_row_number = true)"
        ordinal = "file_row_number"
    else:
        from .locate import header_is_plain, line_is_plain

        header_text, delimiter, header_line = _header_line(path)
        if not header_is_plain(path) or not line_is_plain(header_text, delimiter):
            raise Fallback("a stray quote in the header: the row reader says where")
        if _bom_inside(path):
            raise Fallback("a byte-order mark after the file's start (files joined with cat): the row reader reads the rows"
                           " without it, with a word")
        if _ends_in_summary(path, delimiter):
            raise Fallback("a summary below the rows: the row reader leaves it out with a word")
        import csv

        written = next(csv.reader([header_text], delimiter=delimiter))
        if delimiter == "|" and len(written) >= 3 and not written[0].strip() and not written[-1].strip():
            raise Fallback("a Markdown table: the row reader skips its line of dashes with a word")
        header = [column_key(h) for h in written]
        problems = _check_header(name, header_line, header, required, known, kind, written, cell_places(header_text, delimiter))
        if any(p.is_error for p in problems):
            raise Fallback("header")
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"

        def csv_source(part: Path, first: bool) -> str:
            # The longest line is the part's size: a comment of any length is read, and DuckDB's first
            # buffer is then the whole part, read by one thread, so that the table's row numbers are
            # the part's order of rows (read in parallel, they were not: every 1,000,000-answer file
            # went to the row reader, 20-40 s; tests/test_survey_engine.py holds a 40 MB file to it).
            # A part after the first starts at a row: no header, no line before it.
            return (
                f"read_csv({file_literal(part)}, header = {'true' if first else 'false'},"
                f" skip = {header_line - 1 if first else 0}, delim = {literal(delimiter)}, quote = '\"', escape = '\"',"
                f" columns = {columns}, auto_detect = false, null_padding = false, store_rejects = true,"
                f" max_line_size = {max(1 << 21, part.stat().st_size + 1)})"
            )

        source = csv_source(path, True)
        cells = [f"c{i}" for i in range(len(header))]
        ordinal = None
    index = {column: i for i, column in enumerate(header) if column in known}
    if trim or parquet:
        selected = ", ".join(f"{sql_text(cells[i])} AS {quote(column)}" for column, i in index.items())
    else:
        selected = ", ".join(f"COALESCE({cells[i]}, '') AS {quote(column)}" for column, i in index.items())
    joined = " || ".join(f"COALESCE(CAST({c} AS VARCHAR), '')" for c in cells)
    # Nearly every row starts with a cell that is not blank: the joined row is checked only
    # when it does not (joining every row's cells costs 0.4 s of CPU a million rows). ``ascii``
    # is the first character's code point (0 for ''), cheaper than ``left`` and ``contains``.
    first = f"COALESCE(CAST({cells[0]} AS VARCHAR), '')"
    blank = f"CASE WHEN ascii({first}) NOT IN ({_SPACE_CODES}) THEN false ELSE regexp_full_match({joined}, '{SPACE_CLASS}*') END"
    try:
        before = _rejected(con, delimiter)
        if ordinal is None:
            # Blank rows are left out first, so that a row's number in the table counts the
            # rows the row reader keeps (it skips blank rows too).
            # A file without a carriage return (looked for in Python, a fraction of the cost of
            # looking in every cell) has none in its cells.
            returns = " OR ".join(f"contains(COALESCE({c}, ''), chr(13))" for c in cells) if _holds(path, b"\r") else "false"
            broken = "(" + " OR ".join(f"contains(COALESCE({c}, ''), chr(10))" for c in cells) + f" OR {returns})"
            # A carriage return without a line feed ends a row for the row reader, not for DuckDB.
            lone = f"CASE WHEN {returns} THEN regexp_matches({joined}, '\\r([^\\n]|$)') ELSE false END"

            def read(rows: str) -> str:
                return f"SELECT {selected}, {broken} AS jm_lines, {lone} AS jm_cr FROM {rows} WHERE NOT ({blank})"

            cuts = _split(path, _threads(con))
            parts = _read_parts(con, table, path, cuts, lambda part, first: read(csv_source(part, first)),
                                delimiter) if cuts else None
            if parts is None:
                con.execute(f"CREATE TEMP TABLE {table} AS {read(source)}")
                con.execute(f"CREATE TEMP VIEW {table}b AS SELECT rowid AS o, * FROM {table}")
                parts = 1
            con.execute(f"CREATE TEMP VIEW {table}v AS SELECT * EXCLUDE (jm_lines, jm_cr) FROM {table}b")
            # Whether a cell holds a line break: if none does, each line is a row and the places
            # are found by a plain scan of lines.
            lines, lone_cr = con.execute(f"SELECT bool_or(jm_lines), bool_or(jm_cr) FROM {table}b").fetchall()[0]
            if lone_cr:
                raise Fallback("carriage returns without line feeds")
            one_line = not lines
        else:
            con.execute(f"CREATE TEMP TABLE {table} AS SELECT {ordinal} AS o, {selected} FROM {source} WHERE NOT ({blank})")
            con.execute(f"CREATE TEMP VIEW {table}v AS SELECT * FROM {table}")
            one_line = False
            parts = 1
        if _rejected(con, delimiter) > before:
            raise Fallback("DuckDB rejected rows")
    except duckdb.Error as exc:
        raise Fallback(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    return DataFile(number, path, name, parquet, header, index, delimiter, table + "v", told + problems, one_line,
                    1 if parquet else header_line, parts)


#: More distinct values than this in a Status column: not Qualtrics' (it has seven).
_MOST_STATUSES = 64


def _leave_out(con: Any, file: DataFile, where: str) -> None:
    """Leave the rows of a loaded file (:func:`load_file`) that ``where`` (SQL on its columns) holds of out of its view;
    the others keep their ordinals ``o``, and so their places."""
    # (a CSV file's rows with their ordinals: jm_file{number}b, from its table or the tables of its parts)
    base = f"jm_file{file.number}" if file.parquet else f"jm_file{file.number}b"
    kept = "*" if file.parquet else "* EXCLUDE (jm_lines, jm_cr)"
    con.execute(f"CREATE OR REPLACE TEMP VIEW {file.table} AS SELECT {kept} FROM {base} WHERE NOT ({where})")


def _readable_copy(con: Any, number: int, path: Path, name: str) -> tuple[Path, list[Problem]]:
    """The file DuckDB reads for a CSV file, and what it says about it: the file itself, or a copy in the
    connection's scratch folder (gone with it): in UTF-8, of a file in UTF-16 with a byte-order mark (Excel's
    'Unicode Text'; DuckDB reads UTF-8 only), or without the NULs or DOS end-of-file mark after its last row
    (:func:`~journeymap.data.engines.locate.padding_of`: one warning, as the row reader gives). A copy has the
    file's lines and (character) columns, so the places found in it are the file's."""
    from .locate import padding_of, padding_warning, without_padding
    from .rows import utf16_bom

    with open(path, "rb") as stream:
        wide = utf16_bom(stream.read(4))
    if wide is not None:
        copy, padding = _utf8_copy(path, _scratch(con) / f"file{number}-utf8.csv", wide)
        return copy, [] if padding is None else [padding_warning(name, padding, False)]
    padding = padding_of(path)
    if padding is None:
        return path, []
    copy = without_padding(path, _scratch(con) / f"file{number}-rows.csv")
    return copy, [padding_warning(name, padding, False, path)]


def _scratch(con: Any) -> Path:
    """The connection's scratch folder (removed with it: :func:`~journeymap.data.engines.duckdb.connected`)."""
    return Path(str(con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]))


def _utf8_copy(path: Path, out: Path, codec: str) -> tuple[Path, Any]:
    """A UTF-8 copy of a UTF-16 file, without its byte-order mark, decoded a block at a time (a million answers,
    about 60 MB of UTF-16, in a fraction of a second), and the padding after its last row, left out of the copy
    (:func:`~journeymap.data.engines.rows.utf16_padding`: placed as the row reader places it), or None;
    :class:`Fallback` when a byte is not UTF-16, for the row reader to say where."""
    import codecs

    from .locate import Padding
    from .rows import utf16_padding

    size = path.stat().st_size - 2
    with open(path, "rb") as source:
        source.seek(2 + max(0, size - (1 << 16)))
        end = utf16_padding(source.read(), max(0, size - (1 << 16)))
    if end is not None and end <= size - (1 << 16) + 2:
        raise Fallback("padding longer than the tail looked at: the row reader reads it")
    decoder = codecs.getincrementaldecoder(codec)()
    breaks = last = 0  # line breaks, characters since the last
    cr = False  # the text so far ends with a carriage return
    left = size if end is None else end
    try:
        with open(path, "rb") as source, open(out, "wb") as copy:
            source.seek(2)
            while left > 0 and (block := source.read(min(SCAN_BLOCK, left))):
                left -= len(block)
                text = decoder.decode(block, final=left <= 0)
                copy.write(text.encode("utf-8"))
                if end is not None and text:
                    breaks += text.count("\n") + text.count("\r") - text.count("\r\n") - (cr and text[0] == "\n")
                    at = max(text.rfind("\n"), text.rfind("\r"))
                    last = len(text) - at - 1 if at >= 0 else last + len(text)
                    cr = text[-1] == "\r"
            copy.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        raise Fallback("bytes that are not UTF-16: the row reader says where") from exc
    if end is None:
        return out, None
    if not out.stat().st_size or not out.read_bytes()[: 1 << 16].strip(b"\x00 \t\r\n"):
        raise Fallback("no text before the padding: the row reader tells such a file")
    with open(path, "rb") as source:
        source.seek(2 + end)
        run = source.read()
    return out, Padding(2 + end, run.count(b"\x00"), run.count(b"\x1a"), breaks + 1, last + 1)


def _ends_in_summary(path: Path, delimiter: str) -> bool:
    """Whether a CSV file ends in the summary a spreadsheet or a survey tool writes below the rows
    (:func:`~journeymap.data.table.summary_block`), looked for in its last 64 KiB."""
    from ..table import SUMMARY_LINES, summary_block

    with open(path, "rb") as stream:
        size = stream.seek(0, 2)
        stream.seek(max(0, size - (1 << 16)))
        tail = stream.read().decode("utf-8", errors="replace")
    lines = re.split(r"\r\n|\r|\n", tail)[1:]  # the first is the header, or a line cut by the window
    return summary_block(lines[-SUMMARY_LINES:], delimiter) is not None


def _threads(con: Any) -> int:
    return int(con.execute("SELECT current_setting('threads')").fetchall()[0][0])


def _split(path: Path, threads: int) -> list[int]:
    """Where to cut a CSV file into parts that threads read side by side (:func:`_read_parts`): the start of each part
    after the first, a row's start (just after a line feed outside quotes) at or after an equal share of the file;
    [] to read it whole: under :data:`SPLIT_BYTES`, over :data:`SPLIT_MAX` (the parts are copies), one thread, or no
    such place (a file of one quoted cell).

    Outside quotes means after an even number of quote characters: in a file DuckDB reads without rejecting a row,
    every quote opens or closes a quoted cell, or is one of the two that write a quote inside it. A stray quote makes
    a part's rows rejected, and the file goes to the row reader, as it does read whole."""
    size = path.stat().st_size
    count = min(threads, SPLIT_PARTS, size // max(1, SPLIT_BYTES))
    if count < 2 or size > SPLIT_MAX:
        return []
    targets = [size * k // count for k in range(1, count)]
    cuts: list[int] = []
    quotes = 0  # quote characters before the block
    at = 0  # the block's offset in the file
    with open(path, "rb") as stream:
        while targets and (block := stream.read(SCAN_BLOCK)):
            end = at + len(block)
            while targets and targets[0] < end:
                i = max(targets[0], at) - at
                odd = (quotes + block.count(b'"', 0, i)) % 2
                cut = None
                while (feed := block.find(b"\n", i)) >= 0:
                    odd = (odd + block.count(b'"', i, feed)) % 2
                    if not odd:
                        cut = at + feed + 1
                        break
                    i = feed + 1
                if cut is None:  # no row starts in the rest of this block: look on in the next
                    targets[0] = end
                    break
                targets.pop(0)
                if cut < size:
                    cuts.append(cut)
                targets = [max(t, cut) for t in targets]
            quotes += block.count(b'"')
            at = end
    return sorted(set(cuts))


def _copy_range(source: Any, out: Path, start: int, end: int) -> None:
    """Bytes ``start`` to ``end`` of the open file ``source`` into the file ``out``: in the kernel where it can."""
    import errno
    import os

    with open(out, "wb") as target:
        left = end - start
        offset = start
        while left > 0:
            try:
                done = os.copy_file_range(source.fileno(), target.fileno(), left, offset)
            except (AttributeError, OSError) as exc:  # another system, or a file system that cannot
                if isinstance(exc, OSError) and exc.errno not in (errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                    raise
                source.seek(offset)
                while left > 0 and (chunk := source.read(min(left, SCAN_BLOCK))):
                    target.write(chunk)
                    left -= len(chunk)
                return
            if done == 0:
                raise OSError("the file became shorter while it was read")
            offset += done
            left -= done


def _read_parts(
    con: Any, table: str, path: Path, cuts: Sequence[int], read: Callable[[Path, bool], str], delimiter: str
) -> int | None:
    """Read a CSV file in the parts :func:`_split` cut it in, side by side: each part a copy in the connection's
    scratch folder, read into the table ``{table}_{k}`` by one thread on a cursor of its own (one thread a part keeps
    each table's rows in the part's order), then the view ``{table}b`` of every row in the file's order with its
    ordinal ``o``, as the whole file read by one thread gives it. ``read(part, first)`` is the query of a part (the
    first holds the header). The parts read, or None when they could not be written (a full disk): then the file is
    read whole."""
    from concurrent.futures import ThreadPoolExecutor

    bounds = [0, *cuts, path.stat().st_size]
    scratch = _scratch(con)
    parts = [scratch / f"{table}-part{k}.csv" for k in range(len(bounds) - 1)]

    def one(k: int) -> tuple[int, int]:
        cursor = con.cursor()
        try:
            cursor.execute(f"CREATE TABLE {table}_{k} AS {read(parts[k], k == 0)}")
            rejected = _rejected(cursor, delimiter)
            rows = int(cursor.execute(f"SELECT COUNT(*) FROM {table}_{k}").fetchall()[0][0])
        finally:
            cursor.close()
        return rejected, rows

    try:
        try:
            with open(path, "rb") as source:
                for k, part in enumerate(parts):
                    _copy_range(source, part, bounds[k], bounds[k + 1])
        except OSError:
            return None
        with ThreadPoolExecutor(len(parts)) as pool:
            results = list(pool.map(one, range(len(parts))))
    finally:
        for part in parts:
            part.unlink(missing_ok=True)
    if any(rejected for rejected, _rows in results):
        raise Fallback("DuckDB rejected rows")
    offsets = [0]
    for _rejected_rows, rows in results[:-1]:
        offsets.append(offsets[-1] + rows)
    con.execute(f"CREATE TEMP VIEW {table}b AS "
                + " UNION ALL ".join(f"SELECT rowid + {offset} AS o, * FROM {table}_{k}" for k, offset in enumerate(offsets)))
    return len(parts)


def _holds(path: Path, byte: bytes) -> bool:
    """Whether the file holds this byte anywhere."""
    with open(path, "rb") as stream:
        while block := stream.read(1 << 22):
            if byte in block:
                return True
    return False


def _bom_inside(path: Path) -> bool:
    """Whether a line after the first starts with a UTF-8 byte-order mark (files each saved with one, joined with cat);
    a mark inside a cell ('good\\ufeff', as an export leaves it) is the cell's, read by DuckDB as the row reader reads it."""
    mark = b"\xef\xbb\xbf"
    marks = (b"\n" + mark, b"\r" + mark)
    tail = b""
    with open(path, "rb") as stream:
        while block := stream.read(1 << 22):
            edge = tail + block[:3]  # a line end and a mark across two blocks
            # one scan of a block without a mark (nearly every file), a second only where it holds one
            if any(m in edge for m in marks) or (mark in block and any(m in block for m in marks)):
                return True
            tail = block[-3:]
    return False


def _rejected(con: Any, delimiter: str) -> int:
    """Rows DuckDB rejected, but for lines of blanks and delimiters (the row reader skips those too)."""
    import duckdb

    blank = "[" + SPACE_CLASS[1:-1] + ("" if delimiter.isspace() else delimiter) + "]*"
    try:
        return int(con.execute(
            f"SELECT COUNT(*) FROM reject_errors WHERE NOT regexp_full_match(COALESCE(csv_line, ''), '{blank}')"
        ).fetchall()[0][0])
    except duckdb.Error:
        return 0


def _header_line(path: Path) -> tuple[str, str, int]:
    """The header, the delimiter and the header's line: the first line, or the second below Excel's separator line
    (``sep=;``, which names the delimiter); :class:`Fallback` when the file's start is not plain UTF-8 text with the
    header there."""
    with open(path, "rb") as stream:
        head = stream.read(1 << 16)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not (exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"):
            raise Fallback("not UTF-8") from exc
        text = head[: exc.start].decode("utf-8")
    if "\x00" in text:
        raise Fallback("NUL bytes")
    end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=-1)
    if end < 0 and len(head) == 1 << 16:
        raise Fallback("a header line longer than 64 KiB")
    first = text if end < 0 else text[:end]
    header_line = 1
    if (named := separator_line(first)) is not None:
        rest = text[end:].lstrip("\r").removeprefix("\n") if end >= 0 else ""
        stop = min((i for i in (rest.find("\n"), rest.find("\r")) if i >= 0), default=-1)
        if stop < 0:
            raise Fallback("no header line below the separator line within 64 KiB")
        first, header_line = rest[:stop], 2
    # A lone carriage return ends a line for the row reader; DuckDB may read it otherwise.
    if "\r" in text.replace("\r\n", ""):
        raise Fallback("carriage returns without line feeds")
    if first.lstrip().startswith(("{", "[")):
        raise Fallback("JSON, not CSV")
    if first.lstrip()[:14].lower().startswith(("<!doctype html", "<html", "<?xml", "{\\rtf")):
        raise Fallback("a web page or XML, not CSV: the row reader tells it")
    if not first.strip() or first.count('"') % 2:
        raise Fallback("the header is not one line on line 1")
    return first, named or _delimiter(first), header_line


def _parquet_text(column: str, kind: str) -> str:
    """A Parquet cell as text, as pyarrow's values print in Python (``str()``), so that DuckDB reads
    every Parquet file itself (the row reader needs pyarrow, not a dependency): a timestamp as
    ``2026-04-02 10:00:00[.ffffff][+00:00]``; a decimal, time, UUID, enum or list as DuckDB writes it."""
    if kind == "BOOLEAN":
        return f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} THEN 'True' ELSE 'False' END"
    if kind in _TEXT_TYPES or kind in _WHOLE_TYPES or kind in ("DATE", "FLOAT", "DOUBLE"):
        return column
    if kind.startswith("TIMESTAMP"):
        zoned = "TIME ZONE" in kind
        value = f"CAST({column} AS {'TIMESTAMPTZ' if zoned else 'TIMESTAMP'})"  # in UTC: the session's zone
        micros = f"microsecond({value}) % 1000000"
        text = (f"strftime({value}, '%Y-%m-%d %H:%M:%S') || CASE WHEN {micros} <> 0"
                f" THEN '.' || lpad(CAST({micros} AS VARCHAR), 6, '0') ELSE '' END" + (" || '+00:00'" if zoned else ""))
        return f"CASE WHEN isfinite({value}) THEN {text} ELSE CAST({value} AS VARCHAR) END"
    return f"CAST({column} AS VARCHAR)"


def _text_lines(data: bytes) -> list[str]:
    """The lines of a block as a text stream opened with ``newline=""`` reads them (a line
    ends at "\\n", "\\r\\n" or a lone "\\r"), without their line ends."""
    import io

    return [line.rstrip("\r\n") for line in io.StringIO(data.decode("utf-8"), newline="")]


class Locator:
    """The places of rows given by (file number, ordinal): one scan of each file from the top,
    which stops at the last row asked for."""

    def __init__(self, files: Sequence[DataFile]) -> None:
        self.files = {f.number: f for f in files}
        self.wanted: dict[int, set[int]] = {}
        self.found: dict[tuple[int, int], tuple[int, list[str], list[int] | str]] = {}

    def want(self, number: int, ordinal: int) -> None:
        if (number, ordinal) not in self.found:
            self.wanted.setdefault(number, set()).add(ordinal)

    def run(self, con: Any) -> None:
        for number, ordinals in self.wanted.items():
            file = self.files[number]
            if file.parquet:
                for o in ordinals:
                    self.found[(number, o)] = (o + 2, [], [1] * len(file.header))
            else:
                self._scan(file, ordinals)
            self._check(con, file, ordinals)
        self.wanted = {}

    def _scan(self, file: DataFile, ordinals: set[int]) -> None:
        if file.one_line:
            self._scan_lines(file, ordinals)
            return
        last = max(ordinals)
        ordinal = -1
        width = len(file.header)
        rows = csv_records(file.path, file.delimiter)
        for _header in range(file.header_line):
            next(rows, None)  # the header, on line 1 (2 below a separator line)
        for line, cells, text in rows:
            if not "".join(cells).strip():
                continue
            if len(cells) > width:
                raise Fallback("a row longer than the header")
            ordinal += 1
            if ordinal in ordinals:
                self.found[(file.number, ordinal)] = (line, cells, text)
                if ordinal == last:
                    return
        raise Fallback("the file has fewer rows than DuckDB read")

    def _scan_lines(self, file: DataFile, ordinals: set[int]) -> None:
        """The scan of a file whose rows are one line each: lines are split only when wanted
        (or when they might be a row of blanks).

        The file is read in blocks of whole lines. A block where no line can be a row of
        blanks (no line made only of spaces, delimiters, quotes and bytes of non-ASCII
        characters) and every carriage return ends a line holds one row per line: its
        wanted rows are picked out by their number, without a Python step per line."""
        import bisect
        import csv

        import numpy as np

        wanted = sorted(ordinals)
        last = wanted[-1]
        ordinal = -1  # the last row counted
        junk = WHITESPACE + file.delimiter + '"'
        csv.field_size_limit(max(csv.field_size_limit(), file.path.stat().st_size + 1))
        # A row of blanks starts with one of these bytes (a row's first cell is blank, quoted or
        # not ASCII, or the line is empty); a block where no line starts with one has no such row.
        starts = b"[" + re.escape(b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \"" + file.delimiter.encode("utf-8")) + b"\x80-\xff]"
        maybe_blank = re.compile(b"\n" + starts)
        starts_blank = re.compile(starts)

        def keep(number: int, text: str) -> bool:
            """Count the line as a row if it is one; True when the last wanted row is found."""
            nonlocal ordinal
            if not text.strip(junk) and not "".join(next(csv.reader([text], delimiter=file.delimiter), [])).strip():
                return False
            ordinal += 1
            if ordinal in ordinals:
                self.found[(file.number, ordinal)] = (number, next(csv.reader([text], delimiter=file.delimiter), []), text)
            return ordinal == last

        with open(file.path, "rb") as stream:
            for _header in range(file.header_line):
                stream.readline()  # the header, on line 1 (2 below a separator line)
            number = file.header_line  # the last line read
            rest = b""
            while True:
                block = stream.read(SCAN_BLOCK)
                data = rest + block
                end = data.rfind(b"\n") + 1 if block else len(data)
                if block and not end:
                    rest = data  # a line longer than a block
                    continue
                data, rest = data[:end], data[end:]
                if not data:
                    break
                if (
                    starts_blank.match(data) is None
                    and maybe_blank.search(data) is None
                    and (b"\r" not in data or data.count(b"\r") == data.count(b"\r\n"))
                ):
                    # The lines are not split (a million small objects): their ends are counted, and found by
                    # numpy only in a block holding a wanted line.
                    count = data.count(b"\n") + (not data.endswith(b"\n"))
                    first = ordinal + 1
                    low, high = bisect.bisect_left(wanted, first), bisect.bisect_right(wanted, first + count - 1)
                    if low < high:
                        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
                        for k in range(low, high):
                            i = wanted[k] - first
                            start, stop = (int(ends[i - 1]) + 1 if i else 0), (int(ends[i]) if i < len(ends) else len(data))
                            line = data[start:stop].decode("utf-8").rstrip("\r")
                            self.found[(file.number, wanted[k])] = (
                                number + 1 + i, next(csv.reader([line], delimiter=file.delimiter), []), line
                            )
                    ordinal += count
                    number += count
                    if ordinal >= last:
                        return
                    continue
                # A block with possible rows of blanks: line by line, as a text stream splits it.
                for text in _text_lines(data):
                    number += 1
                    if keep(number, text):
                        return
        raise Fallback("the file has fewer rows than DuckDB read")

    def _check(self, con: Any, file: DataFile, ordinals: set[int]) -> None:
        """The located rows hold what DuckDB read for them; else the two readers disagree on the file."""
        if file.parquet:
            return
        columns = list(file.index)
        chosen = sorted(ordinals)
        # (every row of the file, those a view leaves out too: _leave_out)
        got = con.execute(
            f"SELECT o, {', '.join(quote(c) for c in columns)} FROM jm_file{file.number}b"
            f" WHERE o IN ({', '.join(map(str, chosen))})"
        ).fetchall()
        if len(got) != len(chosen):
            raise Fallback("rows not found again")
        for o, *values in got:
            cells = self.found[(file.number, o)][1]
            mine = [cells[file.index[c]].strip() if file.index[c] < len(cells) else "" for c in columns]
            if mine != [value.strip() for value in values]:  # (cells kept as read are stripped here)
                raise Fallback("DuckDB and the row reader read a row differently")

    def row(self, number: int, ordinal: int, cells: dict[str, str] | None = None) -> Row:
        """The located row (for Parquet, ``cells`` are the row's known cells)."""
        file = self.files[number]
        line, raw, where = self._found(number, ordinal)
        if file.parquet:
            values = cells or {}
            raw = [values.get(h, "") for h in file.header]
        return file.reader.row((line, raw, where))

    def span(self, number: int, ordinal: int, column: str | None = None) -> Span:
        file = self.files[number]
        line, raw, where = self._found(number, ordinal)
        if file.parquet:
            return Span(file.name, line, 1)
        return file.reader.row((line, raw, where)).span(column)

    def _found(self, number: int, ordinal: int) -> tuple[int, list[str], list[int] | str]:
        found = self.found.get((number, ordinal))
        if found is None:
            raise Fallback("a place asked for after the scan")
        return found

    def line(self, number: int, ordinal: int) -> int:
        return self._found(number, ordinal)[0]

    def lazy(self, number: int, ordinal: int, column: str | None = None) -> Place:
        return Place(self, number, ordinal, column)


class Place:
    """A row's cell whose line and column are found by the locator's scan, when asked for.
    (A plain class with slots: one is made per comment group, tens of thousands of them.)"""

    __slots__ = ("locator", "number", "ordinal", "column")

    def __init__(self, locator: Locator, number: int, ordinal: int, column: str | None) -> None:
        self.locator = locator
        self.number = number
        self.ordinal = ordinal
        self.column = column

    def __call__(self) -> Span:
        return self.locator.span(self.number, self.ordinal, self.column)


# -- survey responses -----------------------------------------------------------------------

_CELLS = ("tp", "metric", "score", "d", "p", "seg", "alone")


def read_responses(paths: Sequence[Path], journey: Any, period: str | None) -> Any:
    """:func:`journeymap.data.responses.read_responses` with DuckDB doing the counting; the same
    :class:`~journeymap.data.responses.Responses`. Raises :class:`Fallback` for a file only the
    row reader reads exactly."""
    from .. import responses as R
    from ..table import bulk

    # Tens of thousands of small tuples and groups, none in a cycle: the collector's walks
    # over them took a tenth of the time.
    with bulk():
        return _read_responses(paths, journey, period, R)


def _read_responses(paths: Sequence[Path], journey: Any, period: str | None, R: Any) -> Any:
    from ..verbatims import COMMENT_LIMIT, long_comment, repeated_comment
    from .comments import summarise_groups
    from .duckdb import display

    with connection() as con:
        files = [
            load_file(con, number, path, display(path), R.REQUIRED, R.OPTIONAL, "responses table", trim=False)
            for number, path in enumerate(paths)
        ]
        # Qualtrics' Status column: the rows of its previews, tests and spam left out (their count, first row and values),
        # or a column that is not Qualtrics', not read (its first value's row, its values)
        not_customers: dict[int, tuple[int, int, list[str]]] = {}
        status_unread: dict[int, tuple[int, list[str]]] = {}
        for file in files:
            if "status" in file.index:
                status = sql_text(quote("status"))
                values = [v for (v,) in con.execute(
                    f"SELECT DISTINCT {status} AS v FROM {file.table} ORDER BY v LIMIT {_MOST_STATUSES}").fetchall()]
                decided = R.qualtrics_status(values, file.header) if len(values) < _MOST_STATUSES else None
                if decided is None:
                    o = con.execute(f"SELECT MIN(o) FROM {file.table} WHERE {status} <> ''").fetchall()[0][0]
                    status_unread[file.number] = (o, values)
                elif decided:
                    where = f"{status} IN ({', '.join(literal(v) for v in sorted(decided))})"
                    count, o = con.execute(f"SELECT COUNT(*), MIN(o) FROM {file.table} WHERE {where}").fetchall()[0]
                    not_customers[file.number] = (count, o, sorted(decided))
                    _leave_out(con, file, where)
        selects = []
        keys = []
        segment_of: dict[int, str] = {}
        # The order each file's date column writes its dates with slashes in, decided over the whole column.
        firsts = {file.number: _one_way_firsts(con, file) for file in files if "date" in file.index}
        orders = {f: ("" if len(ways) == 2 else next(iter(ways))) for f, ways in firsts.items() if ways}
        days = _day_classes(con, files, period, R, orders)
        for file in files:
            if not con.execute(f"SELECT COUNT(*) FROM {file.table}").fetchall()[0][0]:
                raise Fallback("a file without rows")
            first_two = con.execute(f"SELECT * EXCLUDE (o) FROM {file.table} ORDER BY o LIMIT 2")
            names = [d[0] for d in first_two.description]
            first = [{name: cell or "" for name, cell in zip(names, row, strict=True)} for row in first_two.fetchall()]
            if len(first) == 2 and R.question_texts(*first):
                raise Fallback("a Qualtrics export's question texts above its import ids: the row reader tells the row")
            segment_of[file.number] = segment = "persona" if "persona" in file.header else "segment"

            def cell(column: str, file: DataFile = file) -> str:
                return quote(column) if column in file.index else "''"

            # A date whose day falls in a period with others is read as the first of them: the same answer for
            # the checks, and a combination per period rather than per day (or per second of a timestamp).
            dated = days and "date" in file.index
            # (each pattern a constant: one compiled once, not per row)
            time = f"substr({cell('date')}, strlen(jd.day) + 1)"
            # (a moment with another zone than UTC's joined its UTC day's class: its day and the shift its zone makes)
            # (a number since 1970 joined its day's class by the day it counts: jm_epochs)
            date = (f"CASE WHEN jw.c IS NOT NULL THEN jw.c WHEN je.c IS NOT NULL THEN je.c"
                    f" WHEN jd.c IS NULL THEN {cell('date')} WHEN strlen({cell('date')}) = strlen(jd.day) THEN jd.c"
                    f" WHEN jd.slashed AND regexp_full_match({time}, {literal(_SLASHED_TIME)}) THEN jd.c"
                    f" WHEN NOT jd.slashed AND regexp_full_match({time}, {literal(_TIMED)}) THEN jd.c"
                    f" WHEN NOT jd.slashed AND jd.s = 0 AND regexp_full_match({time}, {literal(_TWELVE_HOUR)}) THEN jd.c"
                    f" WHEN NOT jd.slashed AND regexp_full_match({time}, {literal(_ZONED)}) THEN jd.c"
                    f" ELSE {cell('date')} END" if dated else cell("date"))
            selects.append(
                f"SELECT {file.number} AS f, o, {cell('touchpoint')} AS tp, {cell('metric')} AS metric,"
                f" {cell('score')} AS score, {date} AS d, {cell('period')} AS p, {cell(segment)} AS seg,"
                f" {cell('respondent')} AS respondent, {cell('comment')} AS comment,"
                f" {_maybe_alone(cell('comment'), cell('metric'), cell('score'))} AS alone"
                f" FROM {file.table}" + (f" LEFT JOIN jm_days jd ON jd.f = {file.number} AND jd.day = {_day_key(cell('date'))}"
                                         f" AND jd.s = {_zone_shift(cell('date'))}"
                                         f" LEFT JOIN jm_epochs je ON je.f = {file.number} AND je.n = {_epoch_day(cell('date'))}"
                                         f" LEFT JOIN jm_worded jw ON jw.f = {file.number} AND jw.cell = {cell('date')}"
                                         if dated else "")
            )
            keys.append(f"SELECT {file.number} AS f, o, {cell('touchpoint')} AS tp, {cell('metric')} AS metric,"
                        f" {cell('respondent')} AS respondent FROM {file.table}")
        con.execute("CREATE TEMP VIEW jm_answers AS " + " UNION ALL ".join(selects))
        # The cells the repeated-respondent check groups by, without the date's join (the optimizer keeps it).
        con.execute("CREATE TEMP VIEW jm_answer_keys AS " + " UNION ALL ".join(keys))
        # The cells are as read: each distinct combination is stripped here, and combinations
        # that differ only in spaces around their cells become one.
        # With each, a 63-bit hash of its cells: when no two share one, rows find their
        # combination by that one number (a join on eight columns costs twice as much).
        read = con.execute(
            f"SELECT *, (hash({', '.join(('f', *_CELLS))}) >> 1)::BIGINT FROM"
            f" (SELECT f, {', '.join(_CELLS)}, COUNT(*), MIN(o) FROM jm_answers GROUP BY ALL)"
        ).fetchall()
        hashes = [row[-1] for row in read]
        by_hash = len(set(hashes)) == len(hashes)
        combos, merged_of = _merge_combos([row[:-1] for row in read], journey)
        by_number = {f.number: f for f in files}
        locator = Locator(files)
        # Each combination of cells checked once, on a row without a place (line 0).
        checked: list[tuple[Any, Any, list[Problem]]] = []
        targets: dict[tuple[str, str | None, str | None], int] = {}
        rows = []
        off_scale: dict[tuple[str, str], dict[int, int]] = {}  # whole-number answers off their metric's scale, per score
        words: dict[tuple[str, str], dict[str, int]] = {}  # CSAT answers written as words (R.verbal_scale)
        # how each file writes its CSAT answers as words (Intercom's ratings), from its distinct metrics and scores
        pairs: dict[int, set[tuple[str, str]]] = {}
        for f, _tp, metric, score, *_rest in combos:
            pairs.setdefault(f, set()).add((metric, score))
        scales = {f: R.word_scale(found) for f, found in pairs.items()}
        other_scales: dict[tuple[str, str, str], tuple[int, int]] = {}  # the first answer off the scale, or a word: (f, o)
        for f, tp, metric, score, d, p, seg, alone, n, first_o in combos:
            segment = segment_of[f]
            cells = {"touchpoint": tp, "metric": metric, "score": score, "date": d, "period": p, segment: seg,
                     "comment": "x" if alone else ""}
            # a summary row, maybe between rows: the row reader sees its every cell
            if summary_like(cells, by_number[f].header[0] in _KEPT or by_number[f].header[0] == segment):
                raise Fallback("a row of a summary label and numbers: the row reader tells a summary from a bad row")
            found: list[Problem] = []
            answer, target = R.evaluate(Row(by_number[f].name, 0, cells), journey, period, segment, alone, found, off_scale, n,
                                        words, orders.get(f) or None, scales[f], other_scales, (f, first_o),
                                        R.decimal_comma_file(by_number[f].delimiter))
            checked.append((answer, target, found))
            target_id = targets.setdefault(target, len(targets)) if target is not None else -1
            rows.append((answer is not None, bool(found), target_id))
        # One row per combination as read, with its stripped combination's id and checks.
        as_read = [(*raw, index, *rows[index], h) for (raw, index), h in zip(merged_of.items(), hashes, strict=True)]
        _register(con, "jm_combos", ("f", *_CELLS, "id", "counted", "problem", "target", "h"), as_read)
        combo_join = (
            f"JOIN jm_combos c ON (hash({', '.join(f'a.{c}' for c in ('f', *_CELLS))}) >> 1)::BIGINT = c.h"
            if by_hash else f"JOIN jm_combos c USING ({', '.join(('f', *_CELLS))})"
        )
        # Whether a column of the combinations holds a value with spaces around it.
        padded = {name: any(raw[k] != raw[k].strip() for raw in merged_of) for k, name in enumerate(_CELLS[:2], 1)}

        # Counted answers per (touchpoint, metric, persona, period), and per file.
        counts: dict[R._Key, list[int]] = {}
        per_file: dict[tuple[int, str, str], int] = {}
        first_row: dict[tuple[str, str], tuple[int, int]] = {}
        undated: dict[tuple[str, str], tuple[int, int]] = {}
        for index, (f, tp, metric, *_rest, n, first) in enumerate(combos):
            answer = checked[index][0]
            if answer is None:
                continue
            score, label, persona = answer
            _tally(counts, (tp, metric, persona, label), metric, score, n)
            per_file[(f, tp, metric)] = per_file.get((f, tp, metric), 0) + n
            first_row[(tp, metric)] = min(first_row.get((tp, metric), (f, first)), (f, first))
            if label is None:
                undated[(tp, metric)] = min(undated.get((tp, metric), (f, first)), (f, first))

        # Repeated respondents: the first answer counts, the later ones are warned about.
        duplicates: list[tuple[int, int, int, int, str, str, str, str | None, tuple[str | None, str | None]]] = []
        if any("respondent" in f.index for f in files):
            # Candidates: the answers whose (touchpoint, metric, respondent), stripped, hash like
            # another's. A hash shared by different keys only adds candidates: the loop below
            # compares the keys themselves.
            # a touchpoint in other capitals is the journey's id (touchpoint_named): lower() only adds candidates
            tp_key = f"lower({sql_text('tp') if padded['tp'] else 'tp'})"
            lowered = f"lower({sql_text('metric') if padded['metric'] else 'metric'})"  # 'CSAT' is csat
            aliases = " ".join(f"WHEN {literal(alias)} THEN {literal(metric)}" for alias, metric in METRIC_ALIASES.items())
            metric_key = f"CASE {lowered} {aliases} ELSE {lowered} END"  # 'OSAT' is csat
            respondent = sql_text("respondent")
            # no one's answers ('NULL', 'Anonymous': R.no_respondent, which decides below) are left out of the candidates
            marks = ", ".join(literal(mark) for mark in sorted(MISSING | R.ANONYMOUS))
            keyed = (f"SELECT *, {respondent} AS r FROM jm_answers WHERE respondent <> ''"
                     f" AND NOT (upper(replace({respondent}, chr(8217), chr(39))) IN ({marks})"
                     f" AND NOT regexp_matches({respondent}, '[^\\x01-\\x7f]'))")
            # The hashes shared, no one's answers among them: looking for the marks in the few candidates rather
            # than in every row costs a third less. (A table: the candidates' query would group the rows again.)
            con.execute(f"CREATE TEMP TABLE jm_shared AS SELECT hash({tp_key}, {metric_key}, {respondent}) AS h"
                        " FROM jm_answer_keys WHERE respondent <> '' GROUP BY h HAVING COUNT(*) > 1")
            candidates = []
            if con.execute("SELECT COUNT(*) FROM jm_shared").fetchall()[0][0]:
                candidates = con.execute(
                    f"SELECT f, o, {', '.join(_CELLS)}, r FROM ({keyed})"
                    f" WHERE r <> '' AND hash({tp_key}, {metric_key}, r) IN (SELECT h FROM jm_shared) ORDER BY f, o"
                ).fetchall()
            seen: dict[tuple[str, str, str, str | None], tuple[int, int, str | None]] = {}
            for f, o, *raw, respondent in candidates:
                if R.no_respondent(respondent):  # 'NULL', 'Anonymous': no one, each answer counted
                    continue
                index = merged_of[(f, *raw)]
                answer = checked[index][0]
                if answer is None:
                    continue
                tp, metric = combos[index][1], combos[index][2]
                key = (tp, metric, respondent, answer[1])
                earlier = seen.get(key)
                if earlier is None:
                    seen[key] = (f, o, answer[2])
                    continue
                duplicates.append((f, o, earlier[0], earlier[1], tp, metric, respondent, answer[1], (earlier[2], answer[2])))
                value, label, persona = answer
                _tally(counts, (tp, metric, persona, label), metric, value, -1)
                per_file[(f, tp, metric)] -= 1
                locator.want(f, o)
                locator.want(earlier[0], earlier[1])

            # A key whose every answer was a repeat was never counted by the row reader.
            for key in [key for key, tally in counts.items() if not any(tally)]:
                del counts[key]

        # Where the rows with problems are: the first few of each combination.
        problem_ids = [i for i, (_a, _t, found) in enumerate(checked) if found]
        positions: dict[int, list[int]] = {}
        if problem_ids:
            for index, o in con.execute(
                "SELECT c.id, a.o FROM jm_answers a JOIN jm_combos c USING (f, tp, metric, score, d, p, seg, alone)"
                " WHERE c.problem QUALIFY row_number() OVER (PARTITION BY c.id ORDER BY a.o) <= 5 ORDER BY c.id, a.o"
            ).fetchall():
                positions.setdefault(index, []).append(o)
                locator.want(combos[index][0], o)
        for f, o in (*first_row.values(), *undated.values(), *other_scales.values(),
                     *((f, o) for f, (_n, o, _v) in not_customers.items()), *((f, o) for f, (o, _v) in status_unread.items())):
            locator.want(f, o)
        for f, ways in firsts.items():
            for o, _text in ways.values():
                locator.want(f, o)

        # Comments: each distinct text with its count per touchpoint, period, persona and file,
        # summed up in the engine (``comments``).
        long_rows: dict[int, tuple[int, list[int]]] = {}
        summary = None
        # A repeated respondent's later answers are not counted, and neither are their comments.
        repeats = ""
        if duplicates and any("comment" in f.index for f in files):
            _register(con, "jm_repeats", ("f", "o"), [(f, o) for f, o, *_rest in duplicates])
            repeats = " AND NOT EXISTS (SELECT 1 FROM jm_repeats r WHERE r.f = a.f AND r.o = a.o)"
        # A comment its respondent already wrote at the touchpoint in the period (a long export writes it on each of
        # their answers' rows) counts once: the later rows, found by a window over the comments with a respondent
        # (R.no_respondent's no one, 'NULL' or 'Anonymous', each counted), are left out with one warning a file.
        said_again: dict[int, tuple[int, list[int]]] = {}
        if any("comment" in f.index for f in files) and any("respondent" in f.index for f in files):
            ascii_only = "NOT regexp_matches({}, '[^\\x01-\\x7f]')"
            straight = "replace(r, chr(8217), chr(39))"
            missing = ", ".join(literal(mark) for mark in sorted(MISSING))
            anonymous = ", ".join(literal(mark) for mark in sorted(R.ANONYMOUS))
            no_one = (f"(upper({straight}) IN ({missing}) AND {ascii_only.format(straight)})"
                      f" OR (upper(r) IN ({anonymous}) AND {ascii_only.format('r')})")
            said = (f"SELECT *, {sql_text('respondent')} AS r, {sql_text('comment')} AS text FROM jm_answers"
                    " WHERE comment <> '' AND respondent <> ''")
            # Candidates first: the (respondent, comment) pairs written on two rows or more, by hash (a hash shared
            # by different pairs only adds candidates); an export of one row a respondent has none, and no window.
            con.execute(f"CREATE TEMP TABLE jm_said_twice AS SELECT hash(r, text) AS h FROM ({said})"
                        " WHERE r <> '' AND text <> '' GROUP BY h HAVING COUNT(*) > 1")
            if con.execute("SELECT COUNT(*) FROM jm_said_twice").fetchall()[0][0]:
                con.execute(
                    "CREATE TEMP TABLE jm_said_again AS SELECT f, o FROM"
                    " (SELECT a.f, a.o, row_number() OVER (PARTITION BY c.target, a.r, a.text ORDER BY a.f, a.o) AS k"
                    f"  FROM ({said}) a {combo_join} WHERE c.target >= 0 AND a.r <> '' AND a.text <> ''"
                    f"  AND hash(a.r, a.text) IN (SELECT h FROM jm_said_twice) AND NOT ({no_one}){repeats})"
                    " WHERE k > 1"
                )
                for f, n, first_five in con.execute(
                    "SELECT f, COUNT(*), list(o ORDER BY o)[1:5] FROM jm_said_again GROUP BY f ORDER BY f"
                ).fetchall():
                    said_again[f] = (n, list(first_five))
                    for o in first_five:
                        locator.want(f, o)
            if said_again:
                repeats += " AND NOT EXISTS (SELECT 1 FROM jm_said_again s WHERE s.f = a.f AND s.o = a.o)"

        def prepare(places: Iterable[tuple[int, int]], longest: bool) -> None:
            # The places the summary will ask for, and every other, found in one scan.
            for f, o in places:
                locator.want(f, o)
            if longest:
                for f, n, first_five in con.execute(
                    "SELECT a.f, COUNT(*), list(a.o ORDER BY a.o)[1:5] FROM jm_answers a"
                    " JOIN jm_combos c USING (f, tp, metric, score, d, p, seg, alone)"
                    f" WHERE c.target >= 0 AND length(a.comment) > {COMMENT_LIMIT}"
                    f" AND length({sql_text('a.comment')}) > {COMMENT_LIMIT}{repeats} GROUP BY a.f ORDER BY a.f"
                ).fetchall():
                    long_rows[f] = (n, list(first_five))
                    for o in first_five:
                        locator.want(f, o)
            locator.run(con)

        if any("comment" in f.index for f in files):
            summary = summarise_groups(
                con,
                f"SELECT c.target AS target, a.comment AS raw, a.f AS f, a.o AS o"
                f" FROM jm_answers a {combo_join} WHERE a.comment <> '' AND c.target >= 0{repeats}",
                {v: k for k, v in targets.items()},
                {f.number: f.name for f in files},
                lambda f, o: locator.lazy(f, o, "comment"),
                prepare,
            )
        if summary is None:
            locator.run(con)
        result = R.Responses()

        # The problems, in the order the row reader finds them, each with its rows counted.
        found_problems: list[tuple[tuple[int, ...], Problem, int, list[int]]] = []
        for file in files:
            for k, problem in enumerate(file.problems):
                found_problems.append(((file.number, 0, 0, k), problem, 1, [problem.span.line]))
            if (deciding := firsts.get(file.number)):
                told = R.date_order({way: (locator.span(file.number, o, "date"), text)
                                     for way, (o, text) in deciding.items()}).problem()
                found_problems.append(((file.number, 0, 1, 0), told, 1, [told.span.line]))
            if (left_out := not_customers.get(file.number)) is not None:
                count, o, values = left_out
                said = R.qualtrics_skipped(locator.span(file.number, o, "status"), count, values)
                found_problems.append(((file.number, 0, 2, 0), said, 1, [said.span.line]))
            if (unread := status_unread.get(file.number)) is not None:
                said = R.status_not_read(locator.span(file.number, unread[0], "status"), unread[1])
                found_problems.append(((file.number, 0, 2, 0), said, 1, [said.span.line]))
        for index in problem_ids:
            f, tp, metric, score, d, p, seg, alone, n, first = combos[index]
            answer_then, target_then, expected = checked[index]
            row = locator.row(f, first, {"touchpoint": tp, "metric": metric, "score": score, "date": d, "period": p,
                                         segment_of[f]: seg, "comment": "x" if alone else ""})
            again: list[Problem] = []
            R.evaluate(row, journey, period, segment_of[f], alone, again, order=orders.get(f) or None,
                       decimal_comma=R.decimal_comma_file(by_number[f].delimiter))
            if [(q.code, q.message) for q in again] != [(q.code, q.message) for q in expected]:
                raise Fallback("a row checked differently at its place")
            lines = [locator.line(f, o) for o in positions[index]]
            for k, problem in enumerate(again):
                found_problems.append(((f, 1, first, k), problem, n, lines))
        repeated = [(locator.span(f, o, "respondent"), respondent, metric, tp, label,
                    Span(by_number[first_f].name, locator.line(first_f, first_o), 1), period is None and "date" in by_number[f].index,
                     personas)
                   for f, o, first_f, first_o, tp, metric, respondent, label, personas in duplicates]
        for (f, o, *_rest), problem in zip(duplicates, R.duplicate_respondents(repeated), strict=True):
            found_problems.append(((f, 1, o, 100), problem, 1, [problem.span.line]))
        end = len(files)
        everyone: dict[tuple[str, str], dict[str | None, list[int]]] = {}
        by_persona: dict[tuple[str, str, str], dict[str | None, list[int]]] = {}
        for (tp, metric, persona, label), tally in counts.items():
            R._add(everyone.setdefault((tp, metric), {}), label, tally)
            if persona is not None:
                R._add(by_persona.setdefault((tp, metric, persona), {}), label, tally)
        spans = {key: Span(by_number[f].name, locator.line(f, o), 1) for key, (f, o) in first_row.items()}
        unread, withdrawn = R.unread_scales(everyone, off_scale, words, spans,
                                            {key: Span(by_number[f].name, locator.line(f, o), 1) for key, (f, o) in other_scales.items()})
        found_problems = [item for item in found_problems
                          if not (item[1].code == "good-bad-rating" and item[1].message in withdrawn)]
        for i, (key, problem) in enumerate(unread):
            found_problems.append(((end, 4, i, 0), problem, 1, [problem.span.line]))
            everyone.pop(key, None)  # a metric of another scale for two reasons is left out once
            by_persona = {k: v for k, v in by_persona.items() if k[:2] != key}
        for i, problem in enumerate(R.shorter_scale(everyone, spans)):
            found_problems.append(((end, 5, i, 0), problem, 1, [problem.span.line]))
        sources = {
            key: ", ".join(f.name for f in files if per_file.get((f.number, *key), 0) > 0) for key in everyone
        }
        for k, ((tp, metric), periods) in enumerate(sorted(everyone.items(), key=lambda item: first_row[item[0]])):
            result.points.append(R._point(tp, metric, periods, sources[(tp, metric)], spans[(tp, metric)], None))
            if None in periods and len(periods) > 1:
                f, o = undated[(tp, metric)]
                span = Span(by_number[f].name, locator.line(f, o), 1)
                found_problems.append(((end, 2, k, 0), R._undated(tp, metric, periods[None], span), 1, [span.line]))
            if (order := R._period_order(tp, metric, periods, spans[(tp, metric)])) is not None:
                found_problems.append(((end, 2, k, 1), order, 1, [order.span.line]))
        for (tp, metric, persona), periods in by_persona.items():
            result.persona_points.append(R._point(tp, metric, periods, sources[(tp, metric)], spans[(tp, metric)], persona))
        for f, (n, first_five) in said_again.items():
            span = locator.span(f, first_five[0], "comment")
            found_problems.append(((f, 1, first_five[0], 101), repeated_comment(span), n, [locator.line(f, o) for o in first_five]))
        for f, (n, first_five) in long_rows.items():
            span = locator.span(f, first_five[0], "comment")
            lines = [locator.line(f, o) for o in first_five]
            found_problems.append(((end, 3, f, first_five[0]), long_comment(span), n, lines))
        if summary is not None:
            result.verbatims = summary.verbatims
            result.persona_verbatims = summary.persona_verbatims
            result.points += summary.points
            result.persona_points += summary.persona_points
            for k, problem in enumerate(summary.problems):
                found_problems.append(((end, 4, 0, k), problem, 1, [problem.span.line]))
        found_problems.sort(key=lambda item: item[0])
        columns = {by_number[f].name: R.segment_column_name(segment) for f, segment in segment_of.items()}
        result.problems = collapse_counted(R.one_skipped_warning(R.one_segment_warning(
            [(problem, n, lines) for _key, problem, n, lines in found_problems], columns)))
        return result


#: After a day written YYYY-MM-DD, a time that leaves the row reader's day as it is (:func:`~journeymap.data.responses._date`
#: reads both with ``datetime.fromisoformat``, as Python 3.10 does too): 24-hour, seconds optional, their fraction in 3
#: or 6 digits, no zone or UTC's (``Z``, ``+00:00``, as Zendesk and most APIs write moments, in lower case too: ``t``,
#: ``z``; another zone may move the day;
#: `` UTC`` after it, in any capitals, as BigQuery writes a timestamp: the row reader drops it).
_TIMED = r"[ Tt]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{3}|\.[0-9]{6})?)?([Zz]|\+00:00)?( [Uu][Tt][Cc])?"
#: The same time with a UTC offset (``+02:00``, ``-05:00``, ``+05:30``, or without its colon, ``-0700``; after a space
#: too, as Snowflake and Ruby write it, which the row reader drops): the row reader's day is the moment's UTC day, which
#: the offset may move to the day before or after (:func:`_zone_shift`). (``+02`` is not among them.)
_ZONED = r"[ Tt]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{3}|\.[0-9]{6})?)? ?[+-]([01][0-9]|2[0-3]):?[0-5][0-9]"
#: A 12-hour time after a day written YYYY-MM-DD ('2026-04-02 10:15:32 PM'): no zone, so the row reader's day is as written.
_TWELVE_HOUR = r"[ T](0?[1-9]|1[0-2]):[0-5][0-9](:[0-5][0-9]([.,][0-9]{1,9})?)? ?[AaPp][Mm]"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: A date with slashes at the start of a cell (:data:`~journeymap.data.responses.SLASHED_DATE`'s day), and the times
#: after it that leave the row reader's day as it is (``responses.slashed_day``: 24-hour, or 12-hour with AM or PM).
_SLASHED_DAY_RE = re.compile(r"([0-9]{1,2}/[0-9]{1,2}/(?:[0-9]{4}|[0-9]{2}))(?:$|[ T])")
_SLASHED_TIME = (r"[ T]+(?:(?:[0-9]|[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.,][0-9]{1,9})?)?"
                 r"|(?:0?[1-9]|1[0-2]):[0-5][0-9](?::[0-5][0-9](?:[.,][0-9]{1,9})?)? ?[AaPp][Mm])")
#: More distinct days than this (a date column of text, not dates): no classes, each date as written.
_MOST_DAYS = 20_000


def _day_key(cell: str) -> str:
    """SQL: the day part of a date cell as written: its first ten characters (``2026-04-02``), or the date with
    slashes it starts with (``04/02/2026``, ``4/2/26``)."""
    # (the day with slashes ends at the first space or T: two string splits, not a regular expression per row; a key no
    # day of jm_days has finds nothing)
    return f"CASE WHEN contains(left({cell}, 10), '/') THEN split_part(split_part({cell}, ' ', 1), 'T', 1) ELSE left({cell}, 10) END"


def _zone_shift(cell: str) -> str:
    """SQL: the days a date cell's UTC offset moves its moment's day by, -1, 0 or 1 (``2026-04-01T00:30:00+02:00`` is
    2026-03-31 in UTC: -1), for a cell that ends in an offset ``+HH:MM`` or ``+HHMM`` after a time ``HH:MM`` at its
    twelfth character; 0 for another cell (NULL for one whose digits are not digits: it joins no class). Only a cell
    whose time and offset are :data:`_ZONED`'s is read as its class, so the characters read here are that time's."""
    colon, bare = f"right({cell}, 6)", f"right({cell}, 5)"
    local = f"TRY_CAST(substr({cell}, 12, 2) AS INTEGER) * 60 + TRY_CAST(substr({cell}, 15, 2) AS INTEGER)"

    def shift(zone: str) -> str:
        offset = (f"(CASE WHEN left({zone}, 1) = '-' THEN -1 ELSE 1 END)"
                  f" * (TRY_CAST(substr({zone}, 2, 2) AS INTEGER) * 60 + TRY_CAST(right({zone}, 2) AS INTEGER))")
        return f"CAST(floor(({local} - {offset}) / 1440.0) AS INTEGER)"

    return (f"(CASE WHEN substr({cell}, 14, 1) <> ':' THEN 0"
            f" WHEN left({colon}, 1) IN ('+', '-') AND substr({colon}, 4, 1) = ':' THEN {shift(colon)}"
            f" WHEN left({bare}, 1) IN ('+', '-') THEN {shift(bare)} ELSE 0 END)")


#: A date written as a whole number since 1970 in seconds, milliseconds or microseconds, as analytics exports write one
#: (``1775124932``): the row reader reads it as its day (``responses._epoch_date``), from 10^8 on. Nanoseconds are not
#: among them: past 2^53 the row reader's float may round one across midnight.
_EPOCH = "[0-9]{9,16}"


def _epoch_day(cell: str) -> str:
    """SQL: the day (since 1970-01-01) a date cell written as :data:`_EPOCH`'s number counts, told apart by its size as
    ``rows.EPOCH_UNITS`` does (under 10^11 seconds, under 10^14 milliseconds, else microseconds), in whole numbers: the
    row reader's float division gives the same day for them; NULL for another cell, or a number under 10^8."""
    number = f"CAST({cell} AS BIGINT)"
    # (a date's '-' or '/' in its first ten characters rules the expression out before any pattern is matched)
    return (f"(CASE WHEN contains(left({cell}, 10), '-') OR contains(left({cell}, 10), '/') THEN NULL"
            f" WHEN regexp_full_match({cell}, {literal(_EPOCH)}) THEN CASE WHEN {number} < 100000000 THEN NULL"
            f" WHEN {number} < 100000000000 THEN {number} // 86400 WHEN {number} < 100000000000000 THEN {number} // 86400000"
            f" ELSE {number} // 86400000000 END END)")


def _day_classes(con: Any, files: Sequence[DataFile], period: str | None, R: Any, orders: dict[int, str]) -> bool:
    """TEMP table ``jm_days(f, day, slashed, c)``: each day of each file's date column that the row reader reads as a
    day in a period without a word (not a placeholder), as written (``day``), and ``c``, the first day of its class
    (``YYYY-MM-DD``): the days of one period (all of them without a period). A day is written ``YYYY-MM-DD``, alone or
    with a :data:`_TIMED` time, or, in a file whose date column's order is decided (``orders``), with slashes
    (``slashed``), alone or with a :data:`_SLASHED_TIME` time (SurveyMonkey's ``04/01/2026 10:15:32 AM``). A date cell
    so read says no more than its class's first day: its period. True when the table was made.

    A million answers over six months are 25,000 combinations of cells with their days, 900 with their months, and as
    many as rows with timestamps: each combination is checked in Python."""
    from ..responses import period_label

    # The first ten characters of each date, once each (a hash of a few hundred values, no expression per row): the
    # days are found in them, and the view checks each row's whole cell against its day.
    sources = [f"SELECT DISTINCT {file.number} AS f, left({quote('date')}, 10) AS start FROM {file.table}"
               # (a day has a '-' or a '/' there; a column of numbers since 1970 has a start per second)
               f" WHERE contains(left({quote('date')}, 10), '-') OR contains(left({quote('date')}, 10), '/')"
               for file in files if "date" in file.index]
    if not sources:
        return False
    starts = con.execute(f"SELECT * FROM ({' UNION ALL '.join(sources)}) LIMIT {_MOST_DAYS + 1}").fetchall()
    if len(starts) > _MOST_DAYS:
        return False
    found: set[tuple[int, str]] = set()
    for f, start in starts:
        if "/" not in start:
            found.add((f, start))
        elif orders.get(f) and (slashed_day := _SLASHED_DAY_RE.match(start)) is not None:
            found.add((f, slashed_day[1]))
    nowhere = Span("", 0, 1)
    classes: dict[str, set[str]] = {}
    neighbours: dict[str, set[str]] = {}  # the days before and after the days written, for zones that move a moment's day
    keys: list[tuple[int, str, bool, int, str]] = []
    for f, day in sorted(found):
        slashed = "/" in day
        if slashed:
            if not orders.get(f):  # ten characters with slashes ('02/30/2026') in a column whose order is not decided
                continue
            when = R.slashed_day(day, orders[f])
            if when is None or R.placeholder_date(nowhere, day, "", when, R.ANSWERS_SINCE) is not None:
                continue
            label, iso = period_label(when, period) if period else "", when.isoformat()
        else:
            if not _DAY.fullmatch(day) or (label := R._label(day, period)) is None:
                continue
            # a moment of this day whose zone moves it to the day before or after falls in that day's class (the row
            # reader's day is the UTC day: responses._date); a placeholder day has no class, and is checked as written
            for shift in (-1, 1):
                try:
                    other = (date.fromisoformat(day) + timedelta(days=shift)).isoformat()
                except (ValueError, OverflowError):
                    continue
                if (near := R._label(other, period)) is not None and R.placeholder_date(nowhere, other, "", since=R.ANSWERS_SINCE) is None:
                    neighbours.setdefault(near, set()).add(other)
                    keys.append((f, day, False, shift, near))
            if R.placeholder_date(nowhere, day, "", since=R.ANSWERS_SINCE) is not None:
                continue
            iso = day
        classes.setdefault(label, set()).add(iso)
        keys.append((f, day, slashed, 0, label))
    # the days counted by numbers since 1970 (one scan of the column, each day once)
    epochs: list[tuple[int, int, str]] = []
    numbered = [f"SELECT DISTINCT {file.number} AS f, {_epoch_day(quote('date'))} AS n FROM {file.table}"
                for file in files if "date" in file.index]
    counted = con.execute(f"SELECT * FROM ({' UNION ALL '.join(numbered)}) WHERE n IS NOT NULL LIMIT {_MOST_DAYS + 1}").fetchall()
    if len(counted) <= _MOST_DAYS:
        for f, n in counted:
            iso = (date(1970, 1, 1) + timedelta(days=n)).isoformat()
            if (label := R._label(iso, period)) is None or R.placeholder_date(nowhere, iso, "", since=R.ANSWERS_SINCE) is not None:
                continue
            classes.setdefault(label, set()).add(iso)
            epochs.append((f, n, label))
    # the UTC days of dates written with slashes year first or with their month's name (responses.worded_date), each
    # distinct cell's computed once in SQL
    worded: list[tuple[int, str, str]] = []
    cells = [f"SELECT DISTINCT {file.number} AS f, {quote('date')} AS cell FROM {file.table} WHERE {_maybe_worded(quote('date'))}"
             for file in files if "date" in file.index]
    con.execute(f"CREATE TEMP TABLE jm_wcells AS {_worded_days(' UNION ALL '.join(cells))}")
    for f, day in con.execute(f"SELECT DISTINCT f, day FROM jm_wcells WHERE day IS NOT NULL LIMIT {_MOST_DAYS + 1}").fetchall():
        if (label := R._label(day, period)) is None or R.placeholder_date(nowhere, day, "", since=R.ANSWERS_SINCE) is not None:
            continue
        classes.setdefault(label, set()).add(day)
        worded.append((f, day, label))
    if len(worded) > _MOST_DAYS:
        worded = []
    # each class's first day among the days written; a class of moments moved out of them only, its first such day
    first = {label: min(days) for label, days in neighbours.items()}
    first.update({label: min(days) for label, days in classes.items()})
    rows = sorted((f, day, slashed, shift, first[label]) for f, day, slashed, shift, label in keys)
    _register(con, "jm_days", ("f", "day", "slashed", "s", "c"), rows or [(-1, "", False, 0, "")])
    _register(con, "jm_epochs", ("f", "n", "c"), sorted((f, n, first[label]) for f, n, label in epochs) or [(-1, -1, "")])
    _register(con, "jm_wdays", ("f", "day", "c"), sorted((f, day, first[label]) for f, day, label in worded) or [(-1, "", "")])
    con.execute("CREATE TEMP TABLE jm_worded AS SELECT w.f AS f, w.cell AS cell, d.c AS c FROM jm_wcells w"
                " JOIN jm_wdays d ON d.f = w.f AND d.day = w.day")
    return bool(rows) or bool(epochs) or bool(worded)


#: A time after a day (:data:`~journeymap.data.responses._CLOCK_AFTER`, as DuckDB's regular expressions read it: a zone's
#: minutes after a colon only, its names in capitals), and the days it follows: Google Forms' year first with slashes, and
#: a day with its month's name, after a weekday or not. A cell they match whole is a date the row reader reads (its
#: fields are checked below); another is checked as written.
_CLOCK_SQL = (r"(?:,? +(?:at +)?([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))? ?([AaPp][Mm])?"
              r"(?: +(?:GMT|UTC)(?:([+-])([0-9]{1,2})(?::?([0-9]{2}))?)?(?: \([A-Za-z .'-]+\))?)?)?")
_CLOCK_FIELDS = ["h", "mi", "s", "half", "sign", "zh", "zm"]
_YEAR_SLASHED_SQL = r"^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})" + _CLOCK_SQL + "$"
_WEEKDAY_SQL = "(?:" + "|".join("".join(f"[{c.upper()}{c}]" for c in day) for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")) + ")"
_NAMED_DAY_SQL = (rf"^(?:{_WEEKDAY_SQL}[A-Za-z]*\.?,? +)?"
                  r"(?:([0-9]{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]{3,9})\.?,?[ -]([0-9]{4}|[0-9]{2})"
                  r"|([A-Za-z]{3,9})\.? ([0-9]{1,2})(?:st|nd|rd|th)?,? ([0-9]{4}))"
                  + _CLOCK_SQL + "$")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
           "december")


def _maybe_worded(cell: str) -> str:
    """SQL: whether a date cell may be one :func:`_worded_days` reads (cheap: its fifth character a slash, or a letter
    first, or a space, a hyphen or an ordinal's letters in its second or third, as in '2 April 2026', '12-Apr-2026', '2nd
    April 2026'): an ISO date is not."""
    first = f"ascii({cell})"
    return (f"(substr({cell}, 5, 1) = '/' OR {first} BETWEEN 65 AND 90 OR {first} BETWEEN 97 AND 122"
            f" OR substr({cell}, 2, 1) IN (' ', '-') OR substr({cell}, 3, 1) IN (' ', '-')"
            f" OR substr({cell}, 2, 2) IN ('st', 'nd', 'rd', 'th') OR substr({cell}, 3, 2) IN ('st', 'nd', 'rd', 'th'))")


def _worded_days(cells: str) -> str:
    """SQL: ``(f, cell, day)`` of each row of ``cells`` (a query of ``f`` and date cells ``cell``): the UTC day
    (``YYYY-MM-DD``) of a cell written as Google Forms' download writes its timestamp ('2026/04/02 10:15:32 AM GMT+2') or
    with its month's English name ('Apr 2, 2026', '2 April 2026', 'April 2, 2026 10:15 AM'), as
    :func:`~journeymap.data.responses.worded_date` reads it; NULL for another cell, or one that is no day, time or zone
    (its check as written then tells it). Years 1000 to 9998 only: the row reader's dates end at 1 and 9999."""
    slashed, named = literal(_YEAR_SLASHED_SQL), literal(_NAMED_DAY_SQL)
    extracted = (f"SELECT f, cell, CASE WHEN regexp_full_match(cell, {slashed})"
                 f" THEN regexp_extract(cell, {slashed}, {['y', 'mo', 'd', *_CLOCK_FIELDS]}) END AS gs,"
                 f" CASE WHEN regexp_full_match(cell, {named})"
                 f" THEN regexp_extract(cell, {named}, {['d1', 'mon1', 'y1', 'mon2', 'd2', 'y2', *_CLOCK_FIELDS]}) END AS gn"
                 f" FROM ({cells})")

    def number(field: str) -> str:
        return f"CASE WHEN {field} = '' THEN 0 ELSE CAST({field} AS INTEGER) END"

    def day(g: str, year: str, month: str, day_: str) -> str:
        h = number(f"{g}.h")
        hour = (f"CASE WHEN {g}.half = '' THEN CASE WHEN {h} <= 23 THEN {h} END"
                f" WHEN {h} BETWEEN 1 AND 12 THEN {h} % 12 + CASE WHEN upper({g}.half) = 'PM' THEN 12 ELSE 0 END END")
        zh, zm = number(f"{g}.zh"), number(f"{g}.zm")
        offset = (f"CASE WHEN {g}.sign = '' THEN 0 WHEN {zh} <= 14 AND {zm} <= 59"
                  f" THEN CASE WHEN {g}.sign = '-' THEN -1 ELSE 1 END * ({zh} * 60 + {zm}) END")
        minute, second = number(f"{g}.mi"), number(f"{g}.s")
        local = (f"TRY_CAST(printf('%04d-%02d-%02d %02d:%02d:%02d', {year}, {month}, {day_}, {hour}, {minute}, {second})"
                 " AS TIMESTAMP)")
        valid = (f"{year} BETWEEN 1000 AND 9998 AND {month} IS NOT NULL AND {hour} IS NOT NULL AND {minute} <= 59"
                 f" AND {second} <= 59 AND {offset} IS NOT NULL")
        return f"CASE WHEN {valid} THEN strftime({local} - to_minutes({offset}), '%Y-%m-%d') END"

    name = "lower(CASE WHEN gn.mon1 <> '' THEN gn.mon1 ELSE gn.mon2 END)"
    month = "CASE " + " ".join(f"WHEN starts_with('{m}', {name}) THEN {k}" for k, m in enumerate(_MONTHS, 1)) + " END"
    # (a two-digit year, Excel's d-mmm-yy, from 00 to 29 only: 2000 to 2029; another NULL, as the row reader reads none)
    year = ("CASE WHEN strlen(gn.y1) = 2 THEN CASE WHEN CAST(gn.y1 AS INTEGER) < 30 THEN 2000 + CAST(gn.y1 AS INTEGER) END"
            " ELSE CAST(CASE WHEN gn.y1 <> '' THEN gn.y1 ELSE gn.y2 END AS INTEGER) END")
    day_of_month = "CAST(CASE WHEN gn.d1 <> '' THEN gn.d1 ELSE gn.d2 END AS INTEGER)"
    return (f"SELECT f, cell, CASE WHEN gs IS NOT NULL THEN {day('gs', number('gs.y'), number('gs.mo'), number('gs.d'))}"
            f" WHEN gn IS NOT NULL THEN {day('gn', year, month, day_of_month)} END AS day FROM ({extracted})")


def _one_way_firsts(con: Any, file: DataFile) -> dict[str, tuple[int, str]]:
    """The first date of a file's date column that reads only day first (``13/04/2026``) and the first that reads only
    month first (``04/13/2026``), as :func:`~journeymap.data.responses.one_way` tells them: 'day' and 'month' to the
    row's ordinal and its cell, stripped. One query over the whole column."""
    from ..responses import DASHED_DATE, SLASHED_DATE

    cell = sql_text(quote("date"))
    valid = "TRY_CAST(printf('%04d-%02d-%02d', y, {month}, {day}) AS DATE) IS NOT NULL AND y >= 1"
    found = con.execute(
        f"SELECT way, arg_min(t, o), MIN(o) FROM ("
        f" SELECT o, t, CASE WHEN a > 12 AND b <= 12 AND {valid.format(month='b', day='a')} THEN 'day'"
        f" WHEN b > 12 AND a <= 12 AND {valid.format(month='a', day='b')} THEN 'month' END AS way FROM ("
        f"  SELECT o, t, TRY_CAST(m['a'] AS INTEGER) AS a, TRY_CAST(m['b'] AS INTEGER) AS b,"
        # a year in two digits, from 00 to 29, is 2000 to 2029 (responses._slashed_year); another is not guessed
        f"  CASE WHEN length(m['y']) = 4 THEN TRY_CAST(m['y'] AS INTEGER)"
        f"   WHEN length(m['y']) = 2 AND TRY_CAST(m['y'] AS INTEGER) < 30 THEN 2000 + TRY_CAST(m['y'] AS INTEGER) END AS y"
        # each distinct date (the cell up to a space or a T) once, with its first row: a column of a million answers
        # holds a few hundred days
        # a date with dashes, the year last in four digits, as the same date with slashes (responses.as_slashed)
        f"  FROM (SELECT MIN(o) AS o, arg_min(t, o) AS t, regexp_extract(CASE WHEN regexp_full_match(d, {literal(DASHED_DATE)})"
        f"   THEN replace(d, '-', '/') ELSE d END, {literal(SLASHED_DATE)}, ['a', 'b', 'y']) AS m"
        f"   FROM (SELECT o, t, split_part(split_part(t, ' ', 1), 'T', 1) AS d"
        f"    FROM (SELECT o, {cell} AS t FROM {file.table} WHERE contains({quote('date')}, '/')"
        f"     OR contains(substr({quote('date')}, 2, 2), '-'))) GROUP BY d)))"
        f" WHERE way IS NOT NULL GROUP BY way"
    ).fetchall()
    return {way: (o, text) for way, text, o in found}


#: The columns of a responses file whose cells each combination holds.
_KEPT = ("touchpoint", "metric", "score", "date", "period")


def _maybe_alone(comment: str, metric: str, score: str) -> str:
    """SQL: the row may hold a comment and neither a metric nor a score (true for every row
    that does, once its cells are stripped; :func:`_merge_combos` decides)."""
    return (
        f"CASE WHEN {comment} <> '' AND ascii({metric}) IN ({_SPACE_CODES}) AND ascii({score}) IN ({_SPACE_CODES})"
        f" THEN NOT regexp_full_match({comment}, '{SPACE_CLASS}*') ELSE false END"
    )


def _merge_combos(
    read: Sequence[tuple[Any, ...]], journey: Any,
) -> tuple[list[tuple[Any, ...]], dict[tuple[Any, ...], int]]:
    """The combinations of cells as read -> the stripped combinations (file, cells, alone, rows,
    first ordinal) in file order, and the index of each read combination's stripped one. A metric and a
    touchpoint in other capitals ('CSAT', 'Chat-Agent') are the journey's (the row reader's metric_named and
    touchpoint_named), so their rows are one combination with the ids'."""
    from ...metrics import RESPONSE_SCALES
    from .. import metric_named, touchpoint_named

    merged: dict[tuple[Any, ...], list[int]] = {}
    key_of: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for f, tp, metric, score, d, p, seg, maybe_alone, n, first in read:
        metric_, score_ = metric_named(metric.strip(), RESPONSE_SCALES), score.strip()
        key = (f, touchpoint_named(tp.strip(), journey), metric_, score_, d.strip(), p.strip(), seg.strip(), bool(maybe_alone and not metric_ and not score_))
        key_of[(f, tp, metric, score, d, p, seg, maybe_alone)] = key
        tally = merged.get(key)
        if tally is None:
            merged[key] = [n, first]
        else:
            tally[0] += n
            tally[1] = min(tally[1], first)
    order = sorted(merged, key=lambda key: (key[0], merged[key][1]))
    index_of = {key: index for index, key in enumerate(order)}
    combos = [(*key, *merged[key]) for key in order]
    return combos, {raw: index_of[key] for raw, key in key_of.items()}


def _register(con: Any, name: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """A small Python table as a DuckDB table (numpy columns: ``executemany`` takes seconds)."""
    import numpy as np

    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    data = {}
    for column, cells in zip(columns, values, strict=True):
        sample = cells[0] if cells else ""
        kind = bool if isinstance(sample, bool) else int if isinstance(sample, int) else object
        data[column] = np.array(cells, dtype=kind) if cells else np.array([], dtype=object)
    con.register(name + "_src", data)
    con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_src")
    con.unregister(name + "_src")


def _tally(counts: dict[Any, list[int]], key: tuple[str, str, str | None, str | None], metric: str, score: int, n: int) -> None:
    from ...metrics import RESPONSE_SCALES

    low, high = RESPONSE_SCALES[metric]
    tally = counts.get(key)
    if tally is None:
        tally = counts[key] = [0] * (high - low + 1)
    tally[score - low] += n


# -- metrics tables -------------------------------------------------------------------------


def read_metrics_tables(
    paths: Sequence[Path], journey: Any, specs: dict[str, Any], period: str | None = None
) -> tuple[list[Any], list[Problem]]:
    """:func:`journeymap.data.metrics_table.read_metrics_tables` with DuckDB reading the files:
    each row is checked by the same function, first on a row that knows only its line, then,
    for the rows with a problem, again at its place (line and column)."""
    from .. import metrics_table as M
    from .duckdb import display

    problems: list[Problem] = []
    points: list[Any] = []
    dated: dict[int, str] = {}
    with connection() as con:
        files = [
            load_file(con, number, path, display(path), M.REQUIRED, M.OPTIONAL, "metrics table")
            for number, path in enumerate(paths)
        ]
        locator = Locator(files)
        for file in files:
            segment = "persona" if "persona" in file.header else "segment"
            columns = [c for c in (*M.REQUIRED, *M.OPTIONAL) if c in file.index]
            rows = con.execute(f"SELECT o, {', '.join(quote(c) for c in columns)} FROM {file.table} ORDER BY o").fetchall()
            if not rows:
                raise Fallback("a file without rows")
            lines = _row_lines(file, len(rows))
            problems += file.problems
            at = len(problems)
            # the order the date column writes its dates with slashes in, decided over the whole column in SQL
            firsts = _one_way_firsts(con, file) if "date" in file.index else {}
            for o, _text in firsts.values():
                locator.want(file.number, o)
            order = None if len(firsts) != 1 else next(iter(firsts))
            bad: list[tuple[int, int]] = []
            # the ways the file writes its numbers that are read (apostrophes or commas between thousands, decimal
            # commas), as the row reader reads them; a Parquet file's numbers are numbers
            named_rows = [dict(zip(columns, cells, strict=True)) for _o, *cells in rows]
            rewrites = (([] if file.parquet else M.number_rewrites(named_rows, file.delimiter, specs))
                        + M.unit_rewrites(named_rows, specs))
            comma = any(rewrite.rewrite is M.comma_cells for rewrite in rewrites)
            for k, (o, *cells) in enumerate(rows):
                named = named_rows[k]
                if summary_like(named, file.header[0] in columns):
                    raise Fallback("a row of a summary label and numbers: the row reader tells a summary from a bad row")
                for rewrite in rewrites:
                    read_as, changed = rewrite.rewrite(named)
                    if changed:
                        if not rewrite.count:
                            rewrite.first = (o, changed[0], named, read_as)
                            locator.want(file.number, o)
                        rewrite.count += len(changed)
                        named = read_as
                        cells = [named[c] for c in columns]
                        rows[k] = (o, *cells)
                found: list[Problem] = []
                row = Row(file.name, lines[k] if not file.parquet else o + 2, dict(zip(columns, cells, strict=True)))
                point, when = M.check_row(row, journey, specs, segment, found, period, order)
                if point is not None:
                    if when:
                        dated[len(points)] = when
                    points.append(point)
                if found:
                    bad.append((k, o))
                    locator.want(file.number, o)
            locator.run(con)
            for k, o in bad:
                again: list[Problem] = []
                located = locator.row(file.number, o, dict(zip(columns, rows[k][1:], strict=True)))
                for rewrite in rewrites:  # the file's cells, read as above
                    located = replace(located, cells=rewrite.rewrite(located.cells)[0])
                M.check_row(located, journey, specs, segment, again, period, order)
                if comma:
                    M.comma_file_hints(again, 0)
                problems += again
            if firsts:
                from ..responses import date_order

                told = date_order({way: (locator.span(file.number, o, "date"), text) for way, (o, text) in firsts.items()})
                assert told is not None
                problems.insert(at, told.problem())
            for rewrite in reversed(rewrites):  # the apostrophes' warning above the commas'
                if rewrite.count:
                    o, column, written, read_as = rewrite.first
                    span = locator.row(file.number, o, written).span(column)
                    problems.insert(at, rewrite.warning(span, written[column], read_as[column], rewrite.count))
    from ..responses import segment_column_name

    return M.finish(points, dated, problems, specs, {file.name: segment_column_name("persona" if "persona" in file.header else "segment")
                                                     for file in files})


def _row_lines(file: DataFile, count: int) -> list[int]:
    """The line where each row of a CSV file starts (rows of blanks skipped, as DuckDB skipped them)."""
    if file.parquet:
        return []
    lines: list[int] = []
    if file.one_line:
        import csv

        junk = WHITESPACE + file.delimiter + '"'
        with open(file.path, encoding="utf-8-sig", newline="") as stream:
            for _header in range(file.header_line):
                stream.readline()
            for number, text in enumerate(stream, file.header_line + 1):
                if not text.strip(junk) and not "".join(next(csv.reader([text.rstrip("\r\n")], delimiter=file.delimiter), [])).strip():
                    continue
                lines.append(number)
    else:
        records = csv_records(file.path, file.delimiter)
        for _header in range(file.header_line):
            next(records, None)
        lines = [line for line, cells, _text in records if "".join(cells).strip()]
    if len(lines) != count:
        raise Fallback("the row reader counts other rows than DuckDB")
    return lines
