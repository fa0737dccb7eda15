"""Reading event-log files row by row, with places: the reference engine's reader, and where bad rows are.

The Python engine reads every row through :func:`records`. The other engines
count bad rows in SQL over the whole log; the places shown for each kind
(file, line, column) come from reading the file again from the top with the
same reader and rules (:func:`.rows.check_cells`) until the first
:data:`~.rows.SHOWN_POSITIONS` of every kind are found. A CSV's line is the
physical line where the row starts, quoted line breaks included. Gzip files
(``log.csv.gz``) are read as the text they hold.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cache
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from ...problems import Problem, Span
from .rows import (
    BACKSLASH_QUOTE,
    COMMA_HINT,
    ISO_PATTERN,
    LONG_ROW,
    LONGEST_ROW,
    MIXPANEL_PROCESSED,
    OPTIONAL,
    REQUIRED,
    SECONDS_OBJECT,
    SHOWN_POSITIONS,
    SPACES_AFTER_QUOTE,
    UNCLOSED_QUOTE,
    BadRows,
    character_column,
    check_cells,
    clock_change,
    column_key,
    cr_json_lines,
    empty_file,
    header_problems,
    html_file,
    json_array,
    local_wall_time,
    misnamed_file,
    moment_columns,
    no_rows,
    not_utf8_problem,
    nul_file,
    parse_timestamp,
    persona_as_segment,
    pretty_json,
    reads_persona,
    shown,
    truncated_gzip,
    utf16_problem,
    visitor_column,
    what_it_is,
    xml_file,
    zone_in_force,
)
from .sources import file_format

_ISO = re.compile(ISO_PATTERN)

Record = tuple[dict[str, str], dict[str, Span]]
HEAD = 1 << 16
"""Bytes at the start of a file that must be UTF-8 for it to be read as text at all."""


def locate_bad_rows(file: Path, name: str, counts: dict[tuple[str, str], int]) -> list[Problem]:
    """One problem per kind in ``counts`` (counted by an engine), placed at the first rows of that kind."""
    bad = BadRows()
    try:
        for cells, spans in records(file, name, bad):
            check_cells(cells, spans, bad)
            if bad.full(counts) and not bad.wants_order(counts, spans["customer"].line):
                break
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error, ValueError):
        pass  # the counts stand; places found so far are shown
    return bad.problems(name, counts)


def open_binary(file: Path) -> IO[bytes]:
    """The file's bytes (a ``.gz`` file's decompressed), without the padding after its last row (:func:`padding_of`)."""
    stream = _open_raw(file)
    padding = padding_of(file)
    if padding is None:
        return stream
    return io.BufferedReader(_Upto(stream, padding.start), 1 << 20)


def _open_raw(file: Path) -> IO[bytes]:
    if file.suffix.lower() == ".gz":
        return gzip.open(file, "rb")  # type: ignore[return-value]
    return open(file, "rb")


PAD_BYTES = b"\x00\x1a"
"""Bytes a text file may end with after its last row that are no text: NULs (a logger that preallocates its file, a
copy or a disk that stopped part-way) and DOS's end-of-file mark, 0x1A (Ctrl-Z: ``copy /b``, old DOS and Windows tools)."""


@dataclass(frozen=True)
class Padding:
    """The run of :data:`PAD_BYTES` a text file ends with, after text that is not blank."""

    start: int
    """Bytes of the (decompressed) file before it."""
    nuls: int
    marks: int
    """DOS end-of-file marks (0x1A) in it."""
    line: int
    col: int
    """Where it starts, as a reader counts lines (LF, CRLF or a lone CR)."""


class _Upto(io.RawIOBase):
    """The first ``size`` bytes of a stream."""

    def __init__(self, stream: IO[bytes], size: int) -> None:
        self.stream, self.left = stream, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.stream.read(min(len(buffer), self.left))
        self.left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.stream.close()
        super().close()


class _Tail:
    """Reads a stream on, keeping where the run of :data:`PAD_BYTES` it ends with starts, and its line breaks."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.read_bytes, self.start = stream, 0, 0
        self.nuls = self.marks = 0
        self.breaks = 0  # line breaks before the run (LF, CRLF and a lone CR alike)
        self.line_start = 0  # the offset after the last of them
        self.last = b""
        self.inside = 0  # NULs with text after them: inside the rows, no padding
        self.first_inside: int | None = None  # the offset of the first of them
        self.boms = 0  # UTF-8 byte-order marks past the file's start (files joined with cat, each saved with one)
        self.first_bom: int | None = None
        self.edge = b""  # the last two bytes read: a mark split between two blocks is found

    def read(self, size: int = -1) -> bytes:
        block = self.stream.read(size)
        if block:
            if b"\xef" in self.edge + block[:2] or b"\xef\xbb\xbf" in block:
                seen = self.edge + block
                at = seen.find(b"\xef\xbb\xbf", 1 if self.read_bytes == 0 else 0)
                while at >= 0:
                    self.boms += 1
                    if self.first_bom is None:
                        self.first_bom = self.read_bytes - len(self.edge) + at
                    at = seen.find(b"\xef\xbb\xbf", at + 3)
            self.edge = block[-2:]
            kept = block.rstrip(PAD_BYTES)
            if kept:
                if self.nuls:  # the run before this text was no padding: NULs between rows
                    self.inside += self.nuls
                    if self.first_inside is None:
                        self.first_inside = self.start  # where the run starts (0x1A marks in it are rare)
                if (count := kept.count(b"\x00")):
                    self.inside += count
                    if self.first_inside is None:
                        self.first_inside = self.read_bytes + kept.index(b"\x00")
                run = block[len(kept):]
                self.nuls, self.marks = run.count(b"\x00"), run.count(b"\x1a")
                # text since the last run: its line breaks (a CRLF cut by the blocks' edge is one)
                text = self.last + kept
                crlf = text.count(b"\r\n") - self.last.count(b"\r\n")
                self.breaks += kept.count(b"\n") + kept.count(b"\r") - crlf
                at = max(kept.rfind(b"\n"), kept.rfind(b"\r"))
                if at >= 0:
                    self.line_start = self.read_bytes + at + 1
                self.start = self.read_bytes + len(kept)
                self.last = kept[-1:]
            else:
                self.nuls += block.count(b"\x00")
                self.marks += block.count(b"\x1a")
            self.read_bytes += len(block)
        return block

    def padding(self, head: bytes) -> Padding | None:
        """The padding found, once the stream is read to its end (``head``: the file's first bytes)."""
        if self.start == self.read_bytes or not head[: self.start].strip():
            return None  # none, or no text before it: a file of NULs only is told as such
        return Padding(self.start, self.nuls, self.marks, self.breaks + 1, self.start - self.line_start + 1)


_PADDINGS: dict[tuple[str, int, int], Padding | None] = {}
_NULS: dict[tuple[str, int, int], tuple[int, int] | None] = {}
_BOMS: dict[tuple[str, int, int], tuple[int, int] | None] = {}
"""A text file -> (the UTF-8 byte-order marks past its start, the offset of the first), or None, found as :data:`_NULS`."""
"""A text file -> (the NULs inside its rows, the offset of the first, decompressed), or None: found in the pass that
checks a gzip file to its end (:func:`scan_start`), or in one pass of its own over a plain file (:func:`nuls_inside`)."""


def _nuls_of(tail: _Tail) -> tuple[int, int] | None:
    return None if tail.first_inside is None else (tail.inside, tail.first_inside)


def _boms_of(tail: _Tail) -> tuple[int, int] | None:
    return None if tail.first_bom is None else (tail.boms, tail.first_bom)


def _scanned(file: Path, found: dict[tuple[str, int, int], tuple[int, int] | None]) -> tuple[int, int] | None:
    """What :data:`_NULS` or :data:`_BOMS` (``found``) holds for a text file, the file read once for both if not yet."""
    key = _padding_key(file)
    if key is None or file_format(file) == "parquet":
        return None
    if key not in found:
        try:
            with _open_raw(file) as stream:
                tail = _Tail(stream)
                while tail.read(SCAN_BLOCK):
                    pass
            _NULS[key], _BOMS[key] = _nuls_of(tail), _boms_of(tail)
        except (OSError, EOFError, zlib.error):
            _NULS[key] = _BOMS[key] = None
    return found[key]


def boms_inside(file: Path, name: str) -> Problem | None:
    """The warning for UTF-8 byte-order marks past a CSV log's start, placed at the first: files joined with cat, each
    saved with one; a mark starts a row's customer id, which is then another customer. None for none."""
    from .rows import BOM_HINT

    found = _scanned(file, _BOMS)
    if found is None:
        return None
    count, at = found
    line, column = _place_of(file, at)
    marks = "a UTF-8 byte-order mark (U+FEFF)" if count == 1 else f"{count:,} UTF-8 byte-order marks (U+FEFF)"
    return Problem(Span(name, line, column), "byte-order-mark",
                   f"the file holds {marks} past its start, which only the start of a file may hold, the first here: the"
                   " cells they start are read with them (a customer id with one is another customer)", BOM_HINT,
                   level="warning")


def nuls_inside(file: Path, name: str) -> Problem | None:
    """The warning for NUL bytes inside a text log's rows (not the padding after its last row, :func:`padding_of`),
    placed at the first: a write or a copy that never finished leaves a run of them, read into the next row's first
    cell, and a NUL inside a customer id makes it another customer. None for none."""
    from .. import NUL_CAUSE, NUL_HINT

    found = _scanned(file, _NULS)
    if found is None:
        return None
    count, at = found
    line, column = _place_of(file, at)
    return Problem(Span(name, line, column), "nul-bytes",
                   f"the file holds {count:,} NUL byte{'s' * (count != 1)} (zeros) inside its rows, {NUL_CAUSE}, the first"
                   " here: the cells holding them are read with them (a customer id with a NUL is another customer), and"
                   " rows may be missing where they are", NUL_HINT, level="warning")


def _place_of(file: Path, at: int) -> tuple[int, int]:
    """The line and column of the byte ``at`` of a text file (decompressed), lines ended as a reader ends them."""
    breaks, line_start, read, last = 0, b"", 0, b""
    with _open_raw(file) as stream:
        while read < at and (block := stream.read(min(SCAN_BLOCK, at - read))):
            text = last + block
            breaks += block.count(b"\n") + block.count(b"\r") - (text.count(b"\r\n") - last.count(b"\r\n"))
            cut = max(block.rfind(b"\n"), block.rfind(b"\r"))
            line_start = block[cut + 1 :] if cut >= 0 else line_start + block
            read += len(block)
            last = block[-1:]
    return breaks + 1, len(line_start.decode("utf-8", errors="replace")) + 1


def _padding_key(file: Path) -> tuple[str, int, int] | None:
    try:
        status = file.stat()
    except OSError:
        return None
    return str(file.absolute()), status.st_size, status.st_mtime_ns


def padding_of(file: Path) -> Padding | None:
    """The NUL bytes and DOS end-of-file marks a text file (CSV or JSON lines, gzipped or not) ends with after its
    last row, or None: every engine reads the file without them (:func:`open_binary`, :func:`without_padding`), and
    one warning names them (:func:`padding_warning`). NULs or marks inside the rows stay. Found once per file: from
    the end of a plain file, and in the one pass that checks a gzip file to its end (:func:`scan_start`)."""
    key = _padding_key(file)
    if key is None or file_format(file) == "parquet":
        return None
    if key not in _PADDINGS:
        try:
            _PADDINGS[key] = _find_padding(file)
        except (OSError, EOFError, zlib.error):
            _PADDINGS[key] = None  # a cut-short gzip and the like are told where the file is read
    return _PADDINGS[key]


def _find_padding(file: Path) -> Padding | None:
    if file.suffix.lower() == ".gz":
        with _open_raw(file) as stream:
            tail = _Tail(stream)
            head = tail.read(HEAD)
            while tail.read(SCAN_BLOCK):
                pass
            return tail.padding(head)
    with open(file, "rb") as stream:
        end = stream.seek(0, io.SEEK_END)
        at = end
        while at > 0:  # from the end: most files' last byte is a line break, one read
            size = min(HEAD, at)
            stream.seek(at - size)
            kept = stream.read(size).rstrip(PAD_BYTES)
            if kept:
                at = at - size + len(kept)
                break
            at -= size
        if at == end:
            return None
        stream.seek(0)
        tail = _Tail(_Upto(stream, at))  # type: ignore[arg-type]
        head = tail.read(HEAD)
        while tail.read(SCAN_BLOCK):
            pass
        stream.seek(at)
        run = stream.read()
    tail.read_bytes, tail.nuls, tail.marks = end, run.count(b"\x00"), run.count(b"\x1a")
    return tail.padding(head)


def padding_warning(name: str, padding: Padding, gzipped: bool, file: Path | None = None) -> Problem:
    """The warning for the padding a text file ends with (:func:`padding_of`); ``file``: the file read, a UTF-8 copy
    of the file named (``--data-encoding``), whose own bytes the ``head -c`` line counts."""
    from ..encoding import original_offset

    said = []
    if padding.marks:
        said.append(f"{'a DOS end-of-file mark' if padding.marks == 1 else f'{padding.marks:,} DOS end-of-file marks'}"
                    " (0x1A, Ctrl-Z, as copy /b and old DOS and Windows tools end a file)")
    if padding.nuls:
        said.append(f"{padding.nuls:,} NUL byte{'s' * (padding.nuls != 1)} (zeros, as a logger that preallocates its file,"
                    " or a copy or a disk that stopped part-way, leaves)")
    start = padding.start if file is None else original_offset(file, padding.start)
    keep = f"gzip -dc FILE | head -c {start} > NEW" if gzipped else f"head -c {start} FILE > NEW"
    one = padding.marks + padding.nuls == 1
    return Problem(Span(name, padding.line, padding.col), "padding",
                   f"the file ends with {' and '.join(said)} after its last row, which {'is no row and is' if one else 'are no rows and are'}"
                   " ignored", f"nothing is lost; {keep} writes the file without them", level="warning")


def without_padding(file: Path, out: Path) -> Path:
    """A copy of ``file`` (decompressed) without the padding after its last row, for an engine's own reader."""
    with open_binary(file) as stream, open(out, "wb") as copy:
        while block := stream.read(SCAN_BLOCK):
            copy.write(block)
    return out


def has_invalid_utf8(file: Path) -> bool:
    """Whether a text file holds bytes that are not UTF-8 anywhere (one decoding pass, 16 MiB at a
    time). Spark reads such bytes as U+FFFD without a word; this tells its engine to look for them."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open_binary(file) as stream:
            while chunk := stream.read(1 << 24):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return True
    return False


def start_problems(file: Path, name: str) -> list[Problem]:
    """Errors that stop a text file (CSV, JSON lines) before any row: empty, cut-short gzip, not UTF-8.

    A gzip file is decompressed to its end once, because a cut-short one would
    otherwise fail half-way through in one engine and not in another.
    """
    return scan_start(file, name)[0]


def scan_start(file: Path, name: str) -> tuple[list[Problem], bool | None]:
    """:func:`start_problems`, and :func:`spaced_quote` when the file was read to its end for them
    (a gzip file: one decompression for both), else None."""
    spaced: bool | None = None
    try:
        if file.stat().st_size == 0:
            return [empty_file(name)], spaced
        if file_format(file) == "parquet":
            return parquet_start_problems(file, name), spaced
        with _open_raw(file) as stream:
            if file.suffix.lower() == ".gz":  # read to its end: its padding is found in the same pass
                tail = _Tail(stream)
                head = tail.read(HEAD)
                spaced = _spaced_quote(head, tail)  # type: ignore[arg-type]
                if (key := _padding_key(file)) is not None:
                    _PADDINGS[key], _NULS[key], _BOMS[key] = tail.padding(head), _nuls_of(tail), _boms_of(tail)
            else:
                head = stream.read(HEAD)
    except (EOFError, zlib.error, gzip.BadGzipFile):
        return [truncated_gzip(name)], None
    except OSError as exc:
        return [Problem(Span(name), "io", f"cannot read the file: {exc.strerror or exc}")], None
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) and file.suffix.lower() != ".gz" and (
            workbook := workbook_log(file, name)) is not None:
        return [workbook], spaced
    if (padding := padding_of(file)) is not None:
        head = head[: padding.start]  # NULs after the rows are no UTF-16 and no binary file
    return _head_problems(file, name, head), spaced


def workbook_log(file: Path, name: str) -> Problem | None:
    """The error for an event log given as a workbook (.xlsx, .xls, .ods, or one under another name), which is not
    read: a sheet holds at most 1,048,576 rows, a log's millions do not fit, and one that fits was cut short. Survey
    responses and metric tables are read from workbooks (:mod:`journeymap.data.workbooks`)."""
    from ..workbooks import is_workbook

    if not is_workbook(file):
        return None
    return Problem(Span(name, 1, 1), "encoding", "the file is a workbook: an event log is read as CSV, Parquet or JSON lines,"
                   " not from a workbook (a sheet holds at most 1,048,576 rows, and a log's events outgrow it)",
                   "export the events from their source as CSV or Parquet; or, in Excel, save the sheet as 'CSV UTF-8'")


def parquet_start_problems(file: Path, name: str, noun: str = "log") -> list[Problem]:
    """The error for a file named as Parquet (``.parquet``, ``.pq``, ``.parquet.gz``) that is something
    else, with what it is and its fix: CSV or JSON lines text, that text or a Parquet file gzip-compressed,
    NUL bytes, an image or a workbook. It was "the file is damaged (cut short...)" on DuckDB and Spark,
    and "reading Parquet needs pyarrow" on the reference. A file that starts as Parquet does (``PAR1``)
    is left to the engine's reader, which tells a cut-short one. ``noun``: the file as a hint names it ('log', 'file')."""
    import dataclasses

    with open(file, "rb") as stream:  # as it is: a .parquet.gz is not decompressed to be read
        head = stream.read(HEAD)
    if head.startswith(b"PAR1"):
        return []
    gzipped = head.startswith(b"\x1f\x8b")
    if gzipped:
        try:
            head = zlib.decompressobj(31).decompress(head, HEAD)
        except zlib.error:
            return [truncated_gzip(name)]
        if head.startswith(b"PAR1"):
            return [Problem(Span(name, 1, 1), "format", "the file is a gzip-compressed Parquet file, which is read uncompressed"
                            " (Parquet compresses its own pages), so none of it is read",
                            "decompress it: gzip -dc FILE > NEW.parquet")]
    compressed = "gzip-compressed " if gzipped else ""
    gz = ".gz" if gzipped else ""
    if not head.strip(b"\x00 \t\r\n"):
        return [nul_file(name, len(head) < HEAD, "Parquet", noun)] if head.strip() else [empty_file(name)]
    text = _text_kind(head)
    if text is not None:
        what, suffix = text
        return [Problem(Span(name, 1, 1), "format", f"the file is {compressed}{what}, not Parquet, so none of it is read",
                        f"name it {suffix}{gz} to have it read as such" if suffix else f"export the {noun} as CSV or Parquet")]
    found = what_it_is(name, head, "a Parquet file")
    if found is not None and not gzipped:
        return [dataclasses.replace(found, code="format")]
    return []  # bytes that say nothing: the reader says the file is damaged


def _text_kind(head: bytes) -> tuple[str, str] | None:
    """(what a file is, the suffix to name it) when its start (``head``) is UTF-8 text: JSON lines, CSV,
    an HTML or XML page, or other text (no suffix); None for bytes that are not text."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3 or exc.reason != "unexpected end of data":
            return None
        text = head[: exc.start].decode("utf-8")
    if "\x00" in text[:64]:
        return None
    first = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0].strip()
    if first.startswith("<"):
        return "an HTML or XML page (a download that returned a web page?)", ""
    if first.startswith("{"):
        return "JSON lines text (its first line is a JSON object)", ".jsonl"
    if any(mark in first for mark in ",;\t|"):
        return "CSV text (its first line is a header)", ".csv"
    return "text", ""


def _head_problems(file: Path, name: str, head: bytes) -> list[Problem]:
    if not head.strip():
        return [empty_file(name)]
    if not head.strip(b"\x00 \t\r\n"):  # valid UTF-8, but no text: its header was '\x00\x00...' or empty
        return [nul_file(name, len(head) < HEAD)]
    if (utf16 := utf16_problem(name, head)) is not None:
        return [utf16]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return []  # a character cut by the window
        line = head[: exc.start].count(b"\n") + 1
        return [not_utf8_problem(name, line, character_column(head, exc.start), head, exc.start)]
    if b"\x00" in head[:64] and (binary := what_it_is(name, head)) is not None:  # valid UTF-8: an SQLite database
        return [binary]
    if file_format(file) == "json" and _json_array(head):
        return [json_array(name)]
    if file_format(file) == "csv" and re.match(rb"\[\s*\{\s*\"", head.lstrip(b"\xef\xbb\xbf \t\r\n")):
        return [json_array(name)]  # a JSON array named .csv (jq -s): its one line was a header of thousands of columns
    if file_format(file) == "json" and _pretty_json(head):
        return [pretty_json(name, _wrapped_key(head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")))]
    if file_format(file) == "json" and re.search(rb"\r[ \t\r]*[^\s]", head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]):
        return [cr_json_lines(name)]  # its one line was no object: "its header: empty"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:14].lower().startswith((b"<!doctype html", b"<html")):
        return [html_file(name)]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<?xml", b"<log", b"<!--")):
        return [xml_file(name)]
    misnamed = _misnamed(file_format(file), head)
    return [misnamed_file(name, *misnamed)] if misnamed else []


def _misnamed(fmt: str, head: bytes) -> tuple[str, str] | None:
    """(what the file is, the name to give it) when its first line says it is JSON lines named as
    CSV (a JSON object), or CSV named as JSON lines (a header naming journeymap's columns)."""
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0].strip()
    if fmt == "csv" and first.startswith(b"{"):
        try:
            if isinstance(json.loads(first), dict):
                return "JSON lines (its first line is a JSON object)", ".jsonl"
        except ValueError:
            return None
    if fmt == "json" and first and not first.startswith((b"{", b"[")):
        from ..table import _delimiter

        text = first.decode("utf-8", errors="replace")
        cells = {column_key(c) for c in next(csv.reader([text], delimiter=_delimiter(text)), [])}
        if len(cells & {*REQUIRED, *OPTIONAL}) >= 2:
            return "CSV (its first line is a header)", ".csv"
    return None


def _json_array(head: bytes) -> bool:
    """Whether a file that starts with ``head`` is one JSON array of objects (``[{...}, ...]``) rather than
    JSON lines: its first line opens a list that does not close on that line, or holds objects."""
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
    if not first.startswith(b"["):
        return False
    try:
        value = json.loads(first)
    except ValueError:
        return True
    return isinstance(value, list) and any(isinstance(item, dict) for item in value)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')
_LIST_OF_OBJECTS = re.compile(r"\s*:\s*\[\s*\{")
_COLON = re.compile(r"\s*:")


def _wrapped_key(text: str) -> str | None:
    """The first key of the object ``text`` starts with (an API's answer, as much of it as was read) whose value is
    a list of objects ('ticket_events', 'results', 'data') that look more like rows than the object does
    (:func:`_column_like`); None for another object (a row whose cell is such a list, as GA4's event_params)."""
    if not text.startswith("{"):
        return None
    depth = 0
    keys: dict[str, object] = {}  # the object's own keys (as far as the text goes)
    found: tuple[str, int] | None = None  # the key of the first list of objects, and where its first object starts
    for token in _JSON_TOKEN.finditer(text):
        mark = token[0]
        if mark in "{[":
            depth += 1
        elif mark in "}]":
            depth -= 1
            if depth <= 0:
                break
        elif depth == 1 and _COLON.match(text, token.end()) is not None:
            try:
                key = str(json.loads(mark))
            except ValueError:
                return None
            keys[key] = None
            listed = _LIST_OF_OBJECTS.match(text, token.end())
            if listed is not None and found is None:
                found = (key, listed.end() - 1)
    if found is None:
        return None
    try:
        item, _ = json.JSONDecoder().raw_decode(text, found[1])
    except ValueError:  # longer than the text read: the object's own keys decide
        item = {}
    rows_like = _column_like(item) if isinstance(item, dict) else 0
    return found[0] if rows_like > _column_like(keys) or not _column_like(keys) else None


def _pretty_json(head: bytes) -> bool:
    """Whether a file that starts with ``head`` is pretty-printed JSON (``jq .``, ``json.dump(indent=2)``)
    rather than JSON lines: its first line opens an object that closes on a later line."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").decode("utf-8", errors="replace")
    first = text.split("\n", 1)[0].strip()
    if not first.startswith("{"):
        return False
    try:
        json.loads(first)
        return False  # a whole object: the first line of JSON lines
    except ValueError:
        pass
    if first == "{":
        return True
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return False  # a broken first line, or an object longer than the head: a bad line of JSON lines
    return "\n" in text[:end]


ROUNDED_SAMPLE = 100
"""The rows at the start of a CSV or JSON lines file whose timestamps are looked at for Excel's exponents."""


def rounded_sample(file: Path, name: str) -> list[Problem]:
    """A warning when a timestamp among the file's first :data:`ROUNDED_SAMPLE` rows is a number written with an
    exponent that rounds it past a second ('1.78906E+12', a CSV saved from Excel): such a log was read as if
    customers did many steps at one moment, with only a same-moment warning that spoke of dates. A sample of
    the start, read by the reference reader for every engine: no work on the rows."""
    from .rows import rounded_step, rounded_timestamps

    try:
        for cells, spans in islice(records(file, name, BadRows()), ROUNDED_SAMPLE):
            text = cells.get("timestamp", "")
            if "e" in text.lower() and (step := rounded_step(text)) is not None:
                return [rounded_timestamps(spans["timestamp"], text.strip(), step)]
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error, ValueError):
        pass  # the file's own problems are told where it is read
    return []


ZONE_FILES = 20
"""The files of a log (the first, in the order read) whose first :data:`ROUNDED_SAMPLE` rows are looked at for
timestamps without a zone beside timestamps with an offset (:func:`zone_mix`)."""
_ZONED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)? ?(Z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)",
                    re.IGNORECASE)
_UTC = re.compile(r"Z|UTC|GMT|[+-]00(?::?00)?", re.IGNORECASE)
# a date and a time of day without a zone: ISO 8601's, or a date with dots (05.01.2026 09:14), read as UTC
_UNZONED = re.compile(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ]|[0-9]{1,2}\.[0-9]{1,2}\.(?:[0-9]{4}|[0-9]{2}) )[0-9]{1,2}:[0-9]{2}"
                      r"(?::[0-9]{2}(?:[.,][0-9]+)?)?")


def zone_sample(file: Path, name: str) -> tuple[tuple[Span, str] | None, tuple[Span, str] | None]:
    """(the first timestamp with an offset from UTC other than 0, the first of a date and a time without a zone), each
    with its place, among the first :data:`ROUNDED_SAMPLE` rows of a CSV or JSON lines file: a sample of its start."""
    offset: tuple[Span, str] | None = None
    bare: tuple[Span, str] | None = None
    try:
        for cells, spans in islice(records(file, name, BadRows()), ROUNDED_SAMPLE):
            text = cells.get("timestamp", "").strip()
            if offset is None and (zoned := _ZONED.fullmatch(text)) is not None and not _UTC.fullmatch(zoned[1]):
                if parse_timestamp(text) is not None:
                    offset = (spans["timestamp"], text)
            elif bare is None and _UNZONED.fullmatch(text) is not None and parse_timestamp(text) is not None:
                bare = (spans["timestamp"], text)
            if offset is not None and bare is not None:
                break
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error, ValueError):
        pass  # the file's own problems are told where it is read
    return offset, bare


def project_time_zone(file: Path, name: str) -> Problem | None:
    """The warning for a log whose timestamps are Mixpanel's ``time`` in the project's time zone, which its raw export
    writes instead of UTC (US/Pacific unless changed): each time is a whole offset (to the quarter hour) from the moment
    Mixpanel processed its event, ``mp_processing_time_ms`` in UTC, a few seconds or minutes after it. Told from the
    file's first :data:`ROUNDED_SAMPLE` rows that have both, when at least 5 do and 4 in 5 of them are within 10 minutes
    before that offset (an app's events queued offline come later); read by the reference reader for every engine."""
    gaps: list[float] = []
    first: Span | None = None
    walls = 0  # times written as a date and a time without a zone (a UI export's), not as numbers
    try:
        for cells, spans in islice(records(file, name, BadRows()), ROUNDED_SAMPLE):
            processed = cells.get(MIXPANEL_PROCESSED, "").strip()
            seconds = parse_timestamp(cells.get("timestamp", "").strip())
            if not processed or seconds is None:
                continue
            try:
                gap = seconds - float(processed) / 1000
            except ValueError:
                continue
            if math.isfinite(gap):
                gaps.append(gap)
                first = first or spans["timestamp"]
                walls += local_wall_time(cells.get("timestamp", "")) is not None
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error, ValueError):
        return None
    if len(gaps) < 5 or first is None:
        return None
    offset = round(sorted(gaps)[len(gaps) // 2] / 900) * 900
    if offset == 0 or abs(offset) > 14 * 3600 or sum(offset - 600 <= g <= offset + 120 for g in gaps) < 0.8 * len(gaps):
        return None
    hours, minutes = divmod(abs(offset) // 60, 60)
    span = f"{hours} hour{'s' * (hours != 1)}" + (f" {minutes} minutes" if minutes else "") if hours else f"{minutes} minutes"
    zone = zone_in_force()
    # Mixpanel's raw export writes numbers, which --events-time-zone leaves alone (a number since 1970 is a moment in
    # UTC in every other log): the option is the fix only for times written as text without a zone
    option = ("; --events-time-zone reads the project's time zone only for times written as a date and a time"
              " without a zone, not for numbers since 1970") if zone is not None and walls < len(gaps) else ""
    hint = (f"{'add' if offset < 0 else 'subtract'} {abs(offset)} seconds {'to' if offset < 0 else 'from'} each time (the project's"
            " offset; an hour more or less where it changes for summer time), or set the project's time zone to UTC before exporting")
    if walls == len(gaps):  # every time a date and a time without a zone: the option reads them as the project's
        hint = ("name the project's time zone (Mixpanel's project settings), as written without a zone these times are its"
                f" local time: --events-time-zone America/Los_Angeles for US/Pacific{', not ' + zone.key if zone else ''};"
                " or set the project's time zone to UTC before exporting")
    if zone is not None and walls == len(gaps):
        return Problem(
            first, "project-time-zone",
            f"the times, read as local time in {zone.key} (--events-time-zone), are still {span} {'before' if offset < 0 else 'after'}"
            f" the moments Mixpanel processed their events ({MIXPANEL_PROCESSED}, which is in UTC): the project's time zone is"
            f" another, and every event is {span} {'early' if offset < 0 else 'late'}", hint, level="warning")
    return Problem(
        first, "project-time-zone",
        f"the times are {span} {'before' if offset < 0 else 'after'} the moments Mixpanel processed their events"
        f" ({MIXPANEL_PROCESSED}, which is in UTC), as Mixpanel's export writes time in the project's time zone, here"
        f" UTC{'-' if offset < 0 else '+'}{hours:02d}:{minutes:02d}, not in UTC: read as UTC, every event is {span}"
        f" {'early' if offset < 0 else 'late'}, a customer's day may be the one {'before' if offset < 0 else 'after'}, and steps"
        f" to another log's events are off by as much{option}",
        hint,
        level="warning",
    )


@dataclass
class _ClockChange:
    """The times of a log read as local time that fell in one kind of clock change (:func:`.rows.clock_change`)."""

    count: int = 0
    first: tuple[Span, str, datetime] | None = None
    back: int = 0
    """Repeated-hour times written after a later time of the same customer in that hour: the clock's second pass."""
    first_back: Span | None = None

    def add(self, span: Span, text: str, wall: datetime) -> None:
        self.count += 1
        if self.first is None:
            self.first = (span, text, wall)


def local_times(files: Sequence[Path]) -> list[Problem]:
    """Within ``--events-time-zone`` (:func:`.rows.events_time_zone`): a warning for the log's local times the clocks
    skipped (the spring gap), one for those they showed twice (the autumn's repeated hour), each at the first such
    time, with how many there are and how each was read; or one warning that the option changed nothing, when no
    time of the log is written without a zone. Every row of each file is read by the reference reader: the python
    and Spark engines' pass (DuckDB counts them in SQL over the rows it reads, and places the first of each here,
    :func:`clock_places`)."""
    from ..table import _display

    zone = zone_in_force()
    if zone is None:
        return []
    gap, repeated = _ClockChange(), _ClockChange()
    latest: dict[tuple[str, date], datetime] = {}  # (customer, day) -> their latest repeated-hour time so far
    changes: dict[date, bool] = {}
    local = read = 0
    for file in files:
        try:
            if file_format(file) == "parquet" and _counted_times(file):
                read += 1  # nanoseconds since 1970, read as their count: moments in UTC
                continue
            for cells, spans in records(file, _display(file), BadRows()):
                text = cells.get("timestamp", "").strip()
                if (wall := local_wall_time(text)) is None:
                    read += parse_timestamp(text) is not None
                    continue
                local += 1
                kind = _clock_kind(wall, zone, changes)
                if kind == "gap":
                    gap.add(spans["timestamp"], text, wall)
                elif kind == "repeated":
                    repeated.add(spans["timestamp"], text, wall)
                    _step_back(repeated, latest, cells, spans, wall)
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error, ValueError, ImportError):
            continue  # the file's own problems are told where it is read
        except Exception as exc:  # DuckDB's error for a damaged Parquet file, told where it is read
            if type(exc).__module__.partition(".")[0] != "duckdb":
                raise
    return clock_warnings([_display(f) for f in files], zone, local, read, gap, repeated)


def _clock_kind(wall: datetime, zone: ZoneInfo, changes: dict[date, bool]) -> str | None:
    """:func:`.rows.clock_change` of ``wall``, looked at only on a day within a day of a change (a few a year);
    ``changes`` keeps each day's answer."""
    day = wall.date()
    if (near := changes.get(day)) is None:
        near = changes[day] = zone.utcoffset(wall - timedelta(days=1)) != zone.utcoffset(wall + timedelta(days=1))
    return clock_change(wall, zone) if near else None


def _step_back(repeated: _ClockChange, latest: dict[tuple[str, date], datetime], cells: dict[str, str],
               spans: dict[str, Span], wall: datetime) -> None:
    """Count a repeated-hour time written after a later one of the same customer that day (the log's order)."""
    key = (cells.get("customer", "").strip(), wall.date())
    if key in latest and wall < latest[key]:
        repeated.back += 1
        repeated.first_back = repeated.first_back or spans["timestamp"]
    latest[key] = max(wall, latest.get(key, wall))


CLOCK_YEARS = (1970, 2100)
"""The years of local times whose clock changes :func:`clock_intervals` lists; a time outside them is looked at
one by one (:func:`.rows.clock_change`)."""


@cache
def clock_intervals(name: str) -> tuple[tuple[date, datetime, datetime, str], ...]:
    """(a day, the first wall time, the wall time after the last, ``gap`` or ``repeated``) for each day of
    :data:`CLOCK_YEARS` that a change of the IANA zone ``name``'s clocks skips or repeats times of, from zoneinfo
    (the reference's data): a change from the offset o1 to o2 at the moment T skips the wall times from T + o1 to
    T + o2 when the clocks go forward, and shows those from T + o2 to T + o1 twice when they go back: what
    :func:`.rows.clock_change` says of each. A few a year, looked up in SQL by the day of a time (DuckDB)."""
    zone = ZoneInfo(name)
    first, last = (datetime(year, 1, 1, tzinfo=timezone.utc) for year in CLOCK_YEARS)
    step = timedelta(days=1)
    found: list[tuple[date, datetime, datetime, str]] = []
    moment, offset = first, first.astimezone(zone).utcoffset()
    while moment < last:
        after = moment + step
        if (later := after.astimezone(zone).utcoffset()) != offset and offset is not None and later is not None:
            low, high = moment, after  # the offset is o1 at low and o2 at high: the change is in between, to the second
            while high - low > timedelta(seconds=1):
                middle = low + timedelta(seconds=(high - low) // timedelta(seconds=2))
                low, high = (middle, high) if middle.astimezone(zone).utcoffset() == offset else (low, middle)
            change = high.replace(tzinfo=None)
            start, end = sorted((change + offset, change + later))
            kind = "gap" if later > offset else "repeated"
            day = start.date()
            while day <= (end - timedelta(microseconds=1)).date():
                found.append((day, start, end, kind))
                day += timedelta(days=1)
        moment, offset = after, later
    return tuple(found)


def clock_lines(hours: dict[date, frozenset[int] | None]) -> Callable[[bytes], bool]:
    """Whether a line of a CSV file may hold a local time of one of the hours of ``hours`` (a day -> its hours,
    None: any): one written as ISO 8601 does (2026-10-25 02:, 2026-10-25T02:) or with dots, day first (25.10.2026 2:,
    25. 10. 26 02:), as :func:`.rows.local_wall_time` reads them. A memmem a marker for the first, a regular
    expression only for a line with a dot."""
    iso: list[bytes] = []
    dotted: list[bytes] = []
    days = [f"{day:%Y-%m-%d}".encode() for day in sorted(hours)]  # looked for first: most lines have none
    for day in sorted(hours):
        written = rf"(?<![0-9])0?{day.day}\. ?0?{day.month}\. ?(?:{day.year}|{day.year % 100:02d})(?![0-9])"
        if (these := hours[day]) is None:
            iso.append(f"{day:%Y-%m-%d}".encode())
            dotted.append(written.encode())
            continue
        for hour in sorted(these):
            iso += [f"{day:%Y-%m-%d}{between}{hour:02d}:".encode() for between in "T t"]
            dotted.append(rf"{written}\.?(?:,? +|[Tt])0?{hour}:".encode())
    pattern = re.compile(b"|".join(dotted) or b"(?!)")

    def wanted(line: bytes) -> bool:
        return (any(day in line for day in days) and any(marker in line for marker in iso)
                or b"." in line and pattern.search(line) is not None)

    return wanted


def clock_hours(days: Iterable[date], zone: ZoneInfo) -> dict[date, frozenset[int] | None]:
    """The hours of each of ``days`` that a gap or a repeated hour of ``zone`` (:func:`clock_intervals`) overlaps;
    None for a day outside those listed (every hour)."""
    listed: dict[date, set[int]] = {}
    for day, first, after, _ in clock_intervals(zone.key):
        start = datetime(day.year, day.month, day.day)
        listed.setdefault(day, set()).update(
            hour for hour in range(24) if start + timedelta(hours=hour) < after and first < start + timedelta(hours=hour + 1))
    return {day: frozenset(listed[day]) if day in listed else None for day in days}


def clock_places(files: Sequence[Path], gaps: dict[int, int], repeats: dict[int, int], back: bool,
                 days: Iterable[date] | None = None) -> tuple[_ClockChange, _ClockChange]:
    """The first time of the log in the gap and the first in the repeated hour, with their places, and (``back``) the
    repeated-hour times written after a later one of the same customer's that day, from the rows of ``files`` (by
    index) that hold such times (``gaps``, ``repeats``: how many each holds), read by the reference reader in the
    log's order; a file is read only up to the last such time wanted of it (DuckDB counted them: :mod:`.duckdb`).
    The counts of the two are not these (only the rows read here are counted): the caller sets them. ``days``: the
    days of those times; a CSV file's lines without one of their hours of change are not read as rows
    (:func:`clock_lines`)."""
    from ..table import _display

    zone = zone_in_force()
    gap, repeated = _ClockChange(), _ClockChange()
    if zone is None:
        return gap, repeated
    latest: dict[tuple[str, date], datetime] = {}
    near: dict[date, bool] = {}
    wanted = clock_lines(clock_hours(days, zone)) if days is not None else None
    for index, file in enumerate(files):
        want_gap = gap.first is None and gaps.get(index, 0) > 0
        left = repeats.get(index, 0) if back or repeated.first is None else 0
        if not want_gap and not left:
            continue
        try:
            for cells, spans in records(file, _display(file), BadRows(), wanted):
                text = cells.get("timestamp", "").strip()
                if (wall := local_wall_time(text)) is None or (kind := _clock_kind(wall, zone, near)) is None:
                    continue
                if kind == "gap" and gap.first is None:
                    gap.add(spans["timestamp"], text, wall)
                    want_gap = False
                elif kind == "repeated":
                    repeated.add(spans["timestamp"], text, wall)
                    _step_back(repeated, latest, cells, spans, wall)
                    left -= 1
                    if not back:
                        left = 0
                if not want_gap and left <= 0:
                    break
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error, ValueError, ImportError):
            continue  # the file's own problems are told where it is read
    return gap, repeated


def clock_warnings(names: Sequence[str], zone: ZoneInfo, local: int, read: int, gap: _ClockChange,
                   repeated: _ClockChange) -> list[Problem]:
    """The warnings of :func:`local_times` from its counts: the times read as local (``local``), those read otherwise
    (``read``), and the times in the gap and the repeated hour with the first of each."""
    name = zone.key
    if not local:
        if not read:
            return []
        return [Problem(
            Span(", ".join(names) or "event log"), "time-zone-unused",
            f"--events-time-zone {name} changed nothing: every time of the log has its zone or offset, or is a number"
            " since 1970 (a moment in UTC) or a date alone, and each is read as written",
            "leave the option out for this log; it reads times written without a zone (2026-09-14 08:31:00) as local time",
            level="warning",
        )]
    problems = []
    if gap.first is not None:
        span, text, wall = gap.first
        read_as = wall.replace(tzinfo=zone).astimezone(timezone.utc).astimezone(zone)
        problems.append(Problem(
            span, "local-time-gap",
            f"{gap.count:,} time{'s' * (gap.count != 1)} of the log {'are' if gap.count != 1 else 'is'} in the hour the"
            f" clocks skipped in {name} ('{shown(text)}', the first at this line): no clock showed {'them' if gap.count != 1 else 'it'};"
            f" each is read as the clock would have read it (zoneinfo's fold=0), this one as"
            f" {read_as.isoformat(sep=' ', timespec='seconds')}",
            "check the clock of the system that wrote them; write each time with its offset from UTC, or in UTC with Z",
            level="warning",
        ))
    if repeated.first is not None:
        span, text, wall = repeated.first
        first = wall.replace(tzinfo=zone)
        second = wall.replace(tzinfo=zone, fold=1)
        back = ""
        if repeated.back and repeated.first_back is not None:
            back = (f"; {repeated.back:,} step{'s' * (repeated.back != 1)} of a customer go{'es' * (repeated.back == 1)} back"
                    f" in that hour in the log's order (the first at line {repeated.first_back.line}), as a step taken"
                    " in its second pass does: read so, it is put before the steps it came after, and the times"
                    " between them are not the ones taken")
        problems.append(Problem(
            span, "local-time-repeated",
            f"{repeated.count:,} time{'s' * (repeated.count != 1)} of the log {'are' if repeated.count != 1 else 'is'} in"
            f" the hour the clocks showed twice in {name} ('{shown(text)}', the first at this line): each is read as its"
            f" first occurrence (zoneinfo's fold=0), this one as {first.isoformat(sep=' ', timespec='seconds')}, not"
            f" {second.isoformat(sep=' ', timespec='seconds')}{back}",
            f"write each time with its offset from UTC ({second.replace(tzinfo=None).isoformat(timespec='seconds')}"
            f"{_offset_text(second)} for the second pass), or in UTC with Z",
            level="warning",
        ))
    return problems


def _counted_times(file: Path) -> bool:
    """Whether a Parquet log's timestamp column is in nanoseconds (pandas' and pyarrow's timestamps): every engine
    reads it as the count of nanoseconds since 1970 it holds, a moment in UTC, whatever ``--events-time-zone`` says."""
    import duckdb

    from .duckdb import file_literal

    con = duckdb.connect()
    try:
        types = {column_key(str(name)): str(kind) for name, kind, *_ in
                 con.execute(f"DESCRIBE SELECT * FROM read_parquet({file_literal(file)})").fetchall()}
    finally:
        con.close()
    return types.get("timestamp") == "TIMESTAMP_NS"


def _offset_text(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds()) // 60 if offset is not None else 0
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


CLOCK_CODES = ("local-time-gap", "local-time-repeated", "time-zone-unused")
"""The codes of :func:`local_times`' warnings."""


def zone_mix(paths: Sequence[Path], clock: Sequence[Problem] | None = None) -> list[Problem]:
    """One warning when a log's timestamps without a zone, which are read as UTC, are beside timestamps with an offset
    from UTC other than 0 (a web log's +02:00 beside a contact centre's local time): if those without one are local
    time, as the others are, each step between the two is off by the offset. Times in UTC beside times without a
    zone (Segment's Z beside Amplitude's event_time, both UTC) are not told. And a warning for each file whose times are
    Mixpanel's in its project's time zone (:func:`project_time_zone`). The start of each of the log's first
    :data:`ZONE_FILES` text files is read by the reference reader, for every engine alike: no work on the rows.
    ``clock``: the warnings of :func:`local_times` as the engine told them (DuckDB, in SQL), else None (read here)."""
    from ..table import _display
    from .sources import resolve

    offset: tuple[Span, str] | None = None
    bare: tuple[Span, str] | None = None
    local = [path for path in paths if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:/", str(path))]  # not Spark's s3://, hdfs://
    files = [file for fmt, found in resolve(local, distinct=False).files.items() if fmt != "parquet" for file in found]
    told: list[Problem] = []  # a Mixpanel export's times in its project's time zone, by file
    for file in files[:ZONE_FILES]:
        if (mixpanel := project_time_zone(file, _display(file))) is not None:
            told.append(mixpanel)
        found_offset, found_bare = zone_sample(file, _display(file))
        offset, bare = offset or found_offset, bare or found_bare
    if zone_in_force() is not None:  # a time without a zone is the zone's local time: no longer ambiguous
        parquet = [file for fmt, found in resolve(local, distinct=False).files.items() if fmt == "parquet" for file in found]
        return [*(local_times(files + parquet) if clock is None else clock), *told]
    if offset is None or bare is None:
        return told
    (at, text), (there, zoned) = bare, offset
    others = (f"others of this file have an offset from UTC ('{shown(zoned)}', line {there.line})" if there.file == at.file
              else f"{there.file}'s have an offset from UTC ('{shown(zoned)}', line {there.line})")
    as_iso = re.sub(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]", r"\1T", text) if text[:4].isdigit() else None
    suffix = _ZONED.fullmatch(zoned)
    assert suffix is not None
    example = f"{as_iso}{suffix[1]}" if as_iso is not None and suffix[1][0] in "+-" and ":" in suffix[1] else "2026-09-14T08:31:00+02:00"
    return [Problem(
        at, "no-zone",
        f"timestamps of this file have no zone ('{shown(text)}', the first at this line) and are read as UTC, while {others}:"
        " if those without one are local time, as the others are, each step between them is off by that offset, and a"
        " customer's steps may be out of order",
        f"write each time with its offset ({example}), or every time in UTC with Z; or, if those without one are local"
        " time in one zone, say which: --events-time-zone Europe/Paris (an IANA name)",
        level="warning",
    ), *told]


def csv_header(file: Path, name: str) -> tuple[list[str], str, list[Problem]]:
    """(the header's cells as written, the delimiter, the header's problems and a no-rows warning)."""
    with open_binary(file) as stream:
        # a classic-Mac file ends its header at a lone CR too
        first, _, delimiter, raw, lines = header_record(_lines(stream))
        header = next(csv.reader([first], delimiter=delimiter), [])
        from ..table import cell_places

        at = 1 + separator_above(file)  # the header's line: 2 below Excel's 'sep=;'
        problems = header_problems(name, at, header, cell_places(first, delimiter))
        ahead: list[bytes] = []
        if any(p.code == "missing-column" for p in problems):
            ahead = list(islice(lines, PREAMBLE_LINES))
            above = (preamble(name, first, ahead, raw.startswith(b"\xef\xbb\xbf"), at - 1) if not first.strip() or first.startswith("#")
                     else headerless(name, header, delimiter, ahead, file))
            if above is not None:
                return header, delimiter, [above]
            if (moments := moment_columns(header, csv.reader((line.decode("utf-8", errors="replace") for line in ahead[:5]),
                                                             delimiter=delimiter))):
                problems = header_problems(name, at, header, cell_places(first, delimiter), moments)
        if not any(line.strip() for line in _some_lines(chain(ahead, lines))):
            problems.append(no_rows(name))
    if not any(p.is_error for p in problems) and "timestamp" in _normalise(header):
        problems += rounded_sample(file, name)
    if not any(p.is_error for p in problems) and (padding := padding_of(file)) is not None:
        problems.append(padding_warning(name, padding, file.suffix.lower() == ".gz", file))
    if not any(p.is_error for p in problems) and (nuls := nuls_inside(file, name)) is not None:
        problems.append(nuls)
    if not any(p.is_error for p in problems) and (boms := boms_inside(file, name)) is not None:
        problems.append(boms)  # a JSON line's is a bad line of its own (json_records)
    return header, delimiter, problems


HEADER_LINES = 8
"""The most physical lines a CSV header may span: a quoted column name may hold a line break (Excel's Alt+Enter,
``"Notes<LF>(free text)"``). A quote the header leaves open further down, or that closes other than as RFC 4180
says, is a stray one: the first line alone is the header."""


def header_record(lines: Iterator[bytes]) -> tuple[str, int, str, bytes, Iterator[bytes]]:
    """(a CSV's header as text, its byte-order mark and last line break taken off; the physical line its last line
    is; its delimiter (:func:`~journeymap.data.table._delimiter` of its first line); its first line as read; the lines
    after it). The header spans lines when a quoted column name holds a line
    break (at most :data:`HEADER_LINES`): its second line was read as a row that had one cell, and the name cut
    at the break. Every engine reads the header so (DuckDB and Spark from :func:`split_by_reference`).

    Excel's separator line (``sep=;``, ``sep=,``, ``sep=`` and a tab or a pipe) names the delimiter, and the header
    is the line below it (:func:`separator_above`)."""
    from ..table import _delimiter, separator_line

    raw = next(lines, b"")
    first = raw.decode("utf-8-sig", errors="replace")
    above = 0
    if (named := separator_line(first)) is not None:
        above, raw = 1, next(lines, b"")
        first = raw.decode("utf-8", errors="replace")
    delimiter = named or _delimiter(first.rstrip("\r\n"))
    if b'"' not in raw or not _ends_quoted(raw.removeprefix(b"\xef\xbb\xbf"), delimiter, quoted=False):
        return first.rstrip("\r\n"), above + 1, delimiter, raw, lines
    taken: list[bytes] = []
    for line in islice(lines, HEADER_LINES - 1):
        taken.append(line)
        if b'"' in line and not _ends_quoted(line, delimiter, quoted=True):
            text = (first + b"".join(taken).decode("utf-8", errors="replace")).rstrip("\r\n")
            try:
                next(csv.reader([text], delimiter=delimiter, strict=True), [])
            except csv.Error:  # text after the closing quote: a stray quote, not a name in quotes
                break
            return text, above + 1 + len(taken), delimiter, raw, lines
    return first.rstrip("\r\n"), above + 1, delimiter, raw, chain(taken, lines)


def separator_above(file: Path) -> int:
    """1 when a CSV's first line is Excel's separator line (``sep=;``: the header is the line below it), else 0."""
    from ..table import separator_line

    with open_binary(file) as stream:
        return int(separator_line(next(_lines(stream), b"").decode("utf-8-sig", errors="replace")) is not None)


PREAMBLE_LINES = 1000
"""The lines looked through past a first line that is blank or a comment for the header below them."""


def preamble(name: str, first: str, ahead: Sequence[bytes], bom: bool, above: int = 0) -> Problem | None:
    """The one error for a CSV whose header is below blank lines or ``#`` comments (the notes Google
    Analytics' and Adobe Analytics' report exports write above it), where the first line was taken for
    the header: "no columns 'customer', ... (its header: # ---)", or "(its header: empty)". ``above``: 1 when
    ``first`` is the line below Excel's separator line (``sep=;``), which is kept."""
    texts = [first] + [line.decode("utf-8", errors="replace").rstrip("\r\n") for line in ahead]
    below = next((i for i, text in enumerate(texts) if text.strip() and not text.startswith("#")), None)
    if below is None:
        return None
    from ..table import _delimiter

    header = texts[below]
    if any(p.code == "missing-column" for p in header_problems(name, below + 1 + above, next(csv.reader([header], delimiter=_delimiter(header)), []))):
        return None  # no header below either ('#' may be a column's name): the first line's problems stand
    comments = [text for text in texts[:below] if text.strip()]
    said = (f"line{'s' * (below > 1)} {1 + above}{f'-{below + above}' if below > 1 else ''} above it"
            f" {'are' if below > 1 else 'is'} {'blank' if not comments else 'comments and blank lines' if len(comments) < below else 'comments' if below > 1 else 'a comment'}")
    if comments:
        said += f" ('{shown(comments[0].strip())}'), as analytics report exports write notes above their header"
    if above:  # Excel's 'sep=;' is line 1: the lines between it and the header go, it stays
        return Problem(Span(name, 1 + above, 1), "missing-column",
                       f"the header is line {below + 1 + above}, not line {1 + above} below Excel's separator line: {said};"
                       " the file is not read",
                       f"delete the lines between the separator line and the header: sed '{1 + above},{below + above}d' FILE > NEW"
                       " keeps the separator line and the lines from the header on")
    return Problem(Span(name, 1, 1), "missing-column", f"the header is line {below + 1}, not the first line: {said}; the file is not read",
                   # past a UTF-8 byte-order mark (Adobe's exports start with one), which awk reads as bytes
                   f"delete the lines above the header: awk '/[^ \\t\\r]/ && !/^{BOM_IN_AWK * bom}#/ {{p = 1}} p'"
                   " FILE > NEW keeps the lines from the header on")


SNOWPLOW_PLATFORMS = frozenset({"web", "mob", "pc", "srv", "app", "tv", "cnsl", "iot"})
SNOWPLOW_EVENTS = frozenset({"page_view", "page_ping", "struct", "unstruct", "transaction", "transaction_item", "ad_impression"})
"""The second and sixth fields of Snowplow's enriched events (platform, event), which tell such a TSV without a header."""
ADOBE_HEADERS = "column_headers.tsv"
"""Where Adobe Analytics' data feed writes the names of hit_data.tsv's columns, which has no header."""


def headerless(name: str, header: Sequence[str], delimiter: str, ahead: Sequence[bytes], file: Path | None = None) -> Problem | None:
    """The one error for a CSV without a header (Adobe Analytics' hit_data.tsv, a database's export
    without its column names): its first line, a row, was taken for the header ("no columns 'customer',
    ... (its header: c1, 2026-09-14T08:31:00Z, ...)", and a warning of columns 'c1', '2026-09-14T08:31:00Z').
    Told by a timestamp in the first line with one in the same cell of the next (a header naming dates,
    as a pivot table's does, has none below them)."""
    stamps = [i for i, cell in enumerate(header) if _ISO.match(cell.strip().upper())]
    second = next((line.decode("utf-8", errors="replace").rstrip("\r\n") for line in ahead if line.strip()), None)
    if not stamps or second is None:
        return None
    below = next(csv.reader([second], delimiter=delimiter), [])
    at = next((i for i in stamps if len(below) == len(header) and _ISO.match(below[i].strip().upper())), None)
    if at is None:
        return None
    hint = ("write the columns' names as its first line, in the order of its cells (customer, timestamp, touchpoint,"
            " and outcome, segment or persona if it has them)")
    if at == 1 and 3 <= len(header) <= 5:
        names = ["customer", "timestamp", "touchpoint", "outcome", "segment"][:len(header)]
        written = ("\\t" if delimiter == "\t" else delimiter.replace("%", "%%")).join(names)
        hint += f": (printf '{written}\\n'; cat FILE) > NEW if they are {', '.join(names)}"
    if delimiter == "\t" and len(header) >= 100 and header[1] in SNOWPLOW_PLATFORMS and header[5] in SNOWPLOW_EVENTS:
        hint = (f"it is Snowplow's enriched events, {len(header)} fields without a header: the page 'Enriched stream TSV file"
                " format' of Snowplow's documentation gives the header to write as its first line (or read the events from"
                " the warehouse's atomic.events); then read domain_userid, derived_tstamp and event_name with --events-column")
    if file is not None and file.name != ADOBE_HEADERS and file.suffix.lower() == ".tsv" and (file.parent / ADOBE_HEADERS).is_file():
        # a data feed's hundreds of columns: the names are delivered beside it, one line (awk ends it with a line break)
        import shlex

        hint = (f"its columns' names are in {ADOBE_HEADERS} beside it, as Adobe Analytics' data feed delivers them:"
                f" awk 1 {ADOBE_HEADERS} {shlex.quote(file.name)} > hits.tsv writes them above its rows")
    return Problem(Span(name, 1, 1), "missing-column",
                   f"the first line is a row, not a header: its cell {at + 1} ('{shown(header[at])}') is a timestamp, as is the"
                   " next line's, so the file has no header and none of it is read", hint)


BOM_IN_AWK = "(\\357\\273\\277)?"
"""A UTF-8 byte-order mark, maybe, in an awk pattern (octal escapes: mawk and gawk read them alike)."""


def header_is_plain(file: Path) -> bool:
    """Whether the header line's quotes are RFC 4180's: each cell plain (no quote) or wholly
    quoted with its quotes doubled. DuckDB parses the header as a row, so an unclosed quote
    there (``...,"segment``) swallowed the whole file into one header cell: no rows and no
    error. The reference reads the first line alone, as every engine must."""

    from ..table import separator_line

    with open_binary(file) as stream:
        lines = _lines(stream)
        first = next(lines, b"").decode("utf-8-sig", errors="replace").rstrip("\r\n")
        if (named := separator_line(first)) is not None:  # Excel's 'sep=;': the header is the line below
            return line_is_plain(next(lines, b"").decode("utf-8", errors="replace").rstrip("\r\n"), named)
    return line_is_plain(first)


def line_is_plain(first: str, delimiter: str | None = None) -> bool:
    """:func:`header_is_plain` of a header line's text (split by ``delimiter``, else the one it splits best by)."""
    from ..table import _delimiter

    if '"' not in first:
        return True
    delimiter = re.escape(delimiter or _delimiter(first))
    cell = f'(?:[^"{delimiter}]*|"(?:[^"]|"")*")'
    return re.fullmatch(f"{cell}(?:{delimiter}{cell})*", first) is not None


SCAN_BLOCK = 1 << 24
SPACES_SEEN = 64
"""Spaces after a closing quote are found across two blocks' edge up to this many bytes."""
_SPACES_AFTER_QUOTE = re.compile(rb'" +[,;|\t\r\n]')
_SPACED_CLOSE = re.compile(r'" +(?:[,;|\t]|$)')


def spaced_quote(file: Path) -> bool:
    """Whether the file has a quote right after a space or a tab (``c1, "x"``), or spaces between a closing
    quote and a separator or the line's end (``"c1" ,``). DuckDB's CSV parser skips the spaces and reads
    the cell as quoted (``x``, or a rejected row for ``, ""x``; ``c1``, where the reference and Spark
    cannot split the row); the reference and Spark read the quote as text (RFC 4180: the cell is `` "x"``).
    Such a file is read from the reference's split (:func:`split_by_reference`), so that every engine finds
    the same cells; a quote after a space inside a quoted cell is found too, and only costs that split."""
    with open_binary(file) as stream:
        return _spaced_quote(b"", stream, to_end=False)


def _spaced_quote(start: bytes, stream: IO[bytes], to_end: bool = True) -> bool:
    """:func:`spaced_quote` of ``start`` and the rest of ``stream``, read to its end unless ``to_end`` is
    false and a quote after a space is found."""
    found = False
    last = b""
    block = start
    while block or (block := stream.read(SCAN_BLOCK)):
        if not found and b'"' in block:  # one byte: memchr, the price of reading the file (most logs quote nothing)
            data = last + block
            found = (b' "' in data or b'\t"' in data  # memmem: a regular expression alone took 10 times as long
                     or b'" ' in data and _SPACES_AFTER_QUOTE.search(data) is not None)
            if found and not to_end:
                return True
        last, block = block[-SPACES_SEEN:], b""
    return found


def quotes_are_strict(file: Path, delimiter: str) -> bool:
    """Whether every quote of a CSV file is RFC 4180's: a quoted cell closed, its quotes doubled,
    followed by the delimiter or the line's end (Python's csv module, strict). Spark's parser reads
    ``"x "y" z"`` as text, quotes and all, and a quote that never closes as a cell that runs to the
    end of the file, where the reference and DuckDB find a row they cannot split: such a file is read
    on Spark from the reference's split (:func:`split_by_reference`). A file without a quote is read
    no further than memchr needs (most logs quote nothing)."""
    with open_binary(file) as stream:
        while block := stream.read(SCAN_BLOCK):
            if b'"' in block:
                break
        else:
            return True
    with open_binary(file) as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
        try:
            for _ in csv.reader(text, delimiter=delimiter, strict=True):
                pass
        except csv.Error as exc:  # a NUL byte and the like are the reference's to tell, as on every engine
            return "expected after" not in str(exc) and "unexpected end of data" not in str(exc)
    return True


def split_by_reference(file: Path, name: str, out: Path) -> tuple[list[str], list[Problem]]:
    """Write the rows the reference reader splits from a CSV file to ``out`` (every cell quoted):
    (the columns, the problems of the rows it cannot split). For a file an engine's CSV parser
    reads otherwise (a lone CR, a stray quote in the header); its cells are checked by the engine."""

    bad = BadRows()
    written = csv_header(file, name)[0]
    keys = _normalise(written)  # the columns of every record csv_records yields
    with open(out, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\n")
        # as written: the engine reads the copy's header as it reads the file's; but a CRLF in a quoted name
        # (a header that spans lines) as LF, the copy's line break: DuckDB takes the header's for every row's
        writer.writerow([re.sub("\r\n?", "\n", cell) for cell in written])
        writer.writerows([cells[key] for key in keys] for cells, _ in csv_records(file, name, bad))
    return written, bad.problems(name, {key: found.count for key, found in bad.kinds.items()})


def _some_lines(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Lines up to the first that is not blank."""
    for line in lines:
        yield line
        if line.strip():
            return


def records(file: Path, name: str, bad: BadRows, wanted: Callable[[bytes], bool] | None = None) -> Iterator[Record]:
    """Every row of a file with the header's shape, as cells and their places; other rows go to ``bad``. ``wanted``:
    only the CSV rows whose line it is true of, and those with a quote, are read (their places as in the whole file)."""
    fmt = file_format(file)
    if fmt == "csv":
        return csv_records(file, name, bad, wanted)
    if fmt == "json":
        return json_records(file, name, bad)
    return parquet_records(file, name, bad)


def _normalise(header: list[str]) -> list[str]:
    return persona_as_segment([column_key(h) for h in header])


def csv_records(file: Path, name: str, bad: BadRows, wanted: Callable[[bytes], bool] | None = None) -> Iterator[Record]:
    """:func:`records` of a CSV file. ``wanted``: a line that is a row alone (not in a quoted cell, without a quote)
    is skipped unless it is true of it, and counted: the rows read keep their places (:func:`clock_places`)."""
    from ..table import cell_places

    with open_binary(file) as stream:
        first, header_lines, delimiter, _, lines = header_record(_lines(stream))
        if not first:
            return
        written = next(csv.reader([first], delimiter=delimiter))
        bad.visitor = visitor_column(written)
        header = _normalise(written)
        width = len(header)
        if width > 1 and not written[-1].strip() and first.endswith(delimiter):
            bad.header_ends = delimiter  # 'customer,timestamp,touchpoint,': a last column without a name
        csv.field_size_limit(max(csv.field_size_limit(), LONGEST_ROW))  # a row up to the longest DuckDB reads
        absent = {c: Span(name, 1, 1) for c in (*REQUIRED, *OPTIONAL) if c not in header}
        line_number = header_lines  # of the last physical line read
        rows_end = header_lines  # where the last row of the header's shape ends
        start = header_lines + 1
        pending = ""
        broken = False  # the row holds bytes that are not UTF-8
        for raw_line in lines:
            line_number += 1
            if wanted is not None and not pending and b'"' not in raw_line and not wanted(raw_line):
                continue
            if not pending:
                start, broken = line_number, False
            try:
                text = pending + raw_line.decode("utf-8")
            except UnicodeDecodeError as exc:
                if not broken:
                    bad.add("encoding", "", Span(name, line_number, character_column(raw_line, exc.start)),
                            f"{raw_line[exc.start]:02x}")
                broken = True
                text = pending + raw_line.decode("utf-8", errors="replace")
            if b'"' in raw_line and _ends_quoted(raw_line, delimiter, quoted=bool(pending)):
                pending = text  # a quoted cell goes on past this line
                continue
            if pending and b'"' not in raw_line:
                pending = text
                continue
            pending = ""
            if broken:
                continue
            body = text.rstrip("\r\n")
            if not body.strip():
                continue
            if len(body) > LONGEST_ROW // 4 and len(body.encode("utf-8")) > LONGEST_ROW:
                bad.add("row-shape", "", Span(name, start, 1), LONG_ROW)  # as DuckDB leaves it out
                continue
            try:
                cells = next(csv.reader([body], delimiter=delimiter, strict=True), [])
            except csv.Error as exc:  # text after a closing quote ("a"b)
                why = (BACKSLASH_QUOTE if '\\"' in body else SPACES_AFTER_QUOTE if _SPACED_CLOSE.search(body) is not None
                       else "!" + str(exc))
                bad.add("row-shape", "", Span(name, start, 1), why)
                continue
            if len(cells) > width and not any(cells[width:]):
                cells = cells[:width]  # empty cells past the last column hold nothing: DuckDB drops them too
            places = cell_places(body, delimiter)  # where each cell starts: (lines after the row's first, column)
            if len(cells) != width:
                if len(cells) > width:
                    offset, col = places[width] if width < len(places) else (0, 1)
                else:  # just past the row's last character
                    row_lines = re.split("\r\n|\r|\n", body)
                    offset, col = len(row_lines) - 1, len(row_lines[-1]) + 1
                if len(cells) == 1 and ("row-shape", "") not in bad.kinds:
                    bad.lone = (start + offset, cells[0])
                bad.add("row-shape", "", Span(name, start + offset, col), BACKSLASH_QUOTE if '\\"' in body else f"{len(cells)}/{width}")
                continue
            rows_end = line_number
            if len(bad.blank) < SHOWN_POSITIONS and not any(cell.strip() for cell in cells):
                bad.blank.add(start)  # a row of empty cells (',,,'), told as such
            yield (
                dict(zip(header, cells, strict=True)),
                {h: Span(name, start + places[i][0], places[i][1]) if i < len(places) else Span(name, start, 1)
                 for i, h in enumerate(header)} | absent,
            )
        if pending and not broken:  # a quote opened and never closed: the rest of the file is one cell
            bad.add("row-shape", "", Span(name, start, 1), UNCLOSED_QUOTE)
        bad.rows_end = rows_end  # read to the end (a reader that stops early closes this generator first)


def _ends_quoted(line: bytes, delimiter: str, quoted: bool) -> bool:
    """Whether a line ends inside a quoted cell, as Python's csv module reads it: a quote opens
    a cell only as the cell's first character (elsewhere it is text), and "" inside one is a quote.
    ``quoted``: the line starts inside a quoted cell (the record began on an earlier line)."""
    quote, sep = ord('"'), ord(delimiter)
    start = not quoted  # at the first character of a cell
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if quoted:
            if ch == quote:
                if i + 1 < n and line[i + 1] == quote:
                    i += 1
                else:
                    quoted = False
        elif ch == quote and start:
            quoted = True
        start = ch == sep and not quoted
        i += 1
    return quoted


_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")


def _lines(stream: IO[bytes]) -> Iterator[bytes]:
    """The lines of a binary stream, ending at LF, CRLF or a lone CR (as DuckDB's reader and
    Python's universal newlines end them; a classic-Mac file has nothing else)."""
    for raw in stream:
        if b"\r" not in raw[:-2]:
            yield raw
            continue
        for line in _LONE_CR.split(raw):
            if line:
                yield line


def json_records(file: Path, name: str, bad: BadRows, keys: Iterable[str] | None = None) -> Iterator[Record]:
    """One record per JSON object line; a line that is not one, and an object or list cell, go to ``bad``.

    ``keys``: the file's keys (:func:`json_key_lines`; read here when not given). Whether the segment is
    read from a persona key is decided for the whole file, as DuckDB and Spark read its keys as columns:
    decided line by line, a line with only a segment counted where the engines gave it none."""
    named: dict[str, str] = {}  # a key as written -> the column it is read as (column_key)
    keys = list(json_key_lines(file) if keys is None else keys)
    from_persona = reads_persona(column_key(str(k)) for k in keys)
    bad.visitor = visitor_column([str(k) for k in keys])
    with open_binary(file) as stream:
        for number, raw_line in enumerate(stream, 1):
            try:
                line = raw_line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                # utf-8-sig counts from after a byte-order mark: the bad byte is three further on
                at = exc.start + (3 if number == 1 and raw_line.startswith(b"\xef\xbb\xbf") else 0)
                bad.add("encoding", "", Span(name, number, character_column(raw_line, at)), f"{raw_line[at]:02x}")
                bad.left_out.append(number)
                continue
            if not line.strip():
                continue
            if line.startswith("\ufeff"):
                # a byte-order mark past the file's start: JSON lines files joined with cat, each saved with one
                bad.add("json", "bom", Span(name, number, 1), "")
                bad.left_out.append(number)
                continue
            try:
                value = json.loads(line)
            except ValueError as exc:
                if comma_ended(line):  # an array's item: told at its comma, with the sed that deletes it
                    bad.add("json", "comma", Span(name, number, len(line.rstrip())), "")
                else:
                    reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "not JSON"
                    bad.add("json", "", Span(name, number, 1), reason.lower())
                bad.left_out.append(number)
                continue
            if not isinstance(value, dict):
                bad.add("json", "", Span(name, number, 1), f"a JSON {_json_kind(value)}")
                bad.left_out.append(number)
                continue
            if "\\u" in line and (lone := _lone_surrogate(value)) is not None:
                # "\udfff" alone is valid JSON but no character: Python keeps it (and cannot write it
                # out again), DuckDB refuses the line. Neither is the writer's text.
                bad.add("json", "", Span(name, number, _value_column(line, lone)), "a lone UTF-16 surrogate (\\ud800-\\udfff), which is no character")
                bad.left_out.append(number)
                continue
            if line.count('":') + line.count('" :') > len(value) and (twice := _named_twice(line)) is not None:
                # Python keeps the last value, DuckDB the first, Spark refuses the file: none is the writer's
                bad.add("json", "twice", Span(name, number, _value_column(line, twice)), f"'{shown(twice)}'")
                bad.left_out.append(number)
                continue
            cells: dict[str, str] = {}
            spans: dict[str, Span] = {}
            nested = False
            endless = ""  # a number past a double's range (1e400, NaN, Infinity): 'inf' to every engine, not its digits
            for key in value:
                if key not in named:
                    named[key] = column_key(str(key))
            for key, cell in value.items():
                column = named[key]
                if column == ("segment" if from_persona else "persona"):
                    continue  # the file's segment is read from the other key (reads_persona)
                column = "segment" if column == "persona" else column
                span = Span(name, number, _value_column(line, str(key)))
                spans[column] = span
                if isinstance(cell, dict | list):
                    if column in (*REQUIRED, *OPTIONAL):
                        # MongoDB's extended JSON ({"$date": ...}, {"$oid": ...}): said so, with a jq that unwraps it
                        wrapped = isinstance(cell, dict) and len(cell) == 1 and str(next(iter(cell))).startswith("$")
                        # Firestore's timestamp as JSON.stringify writes it ({"_seconds": ..., "_nanoseconds": ...}), protobuf's
                        seconds = isinstance(cell, dict) and set(cell) in ({"_seconds", "_nanoseconds"}, {"seconds", "nanos"}, {"seconds"})
                        bad.add("not-scalar", column, span,
                                str(next(iter(cell))) if wrapped else SECONDS_OBJECT if seconds else _json_kind(cell))
                        nested = True
                    continue
                cells[column] = "" if cell is None else _scalar_text(cell)
                if column != "timestamp" and _number_spark_writes_otherwise(cell):
                    bad.numbers_as_text = True
                if isinstance(cell, float) and not math.isfinite(cell) and column in (*REQUIRED, *OPTIONAL) and not endless:
                    endless = column
                    token = _number_token(line, span.col)
                    # told apart: 1e400 (past a double) and NaN or Infinity (no JSON number)
                    bad.add("json", "endless" if token.lstrip("-")[:1].isdigit() else "not-a-number", span, f"{column} {token}")
            if endless:
                bad.left_out.append(number)
                continue
            if nested:
                bad.nested_rows += 1
                continue
            if not any(value.get(key) is not None for key in value if key):
                continue  # a line of nulls, like a blank line (a key '' names no column an engine can read)
            yield cells, {c: spans.get(c, Span(name, number, 1)) for c in (*REQUIRED, *OPTIONAL)} | (
                {"type": spans["type"]} if "type" in spans else {})  # Segment's call (rows.calls_of)


def _lone_surrogate(value: dict[str, object]) -> str | None:
    """The first key whose name or value (at any depth) holds a lone UTF-16 surrogate, or None."""
    def holds(item: object) -> bool:
        if isinstance(item, str):
            return any("\ud800" <= char <= "\udfff" for char in item)
        if isinstance(item, dict):
            return any(holds(k) or holds(v) for k, v in item.items())
        if isinstance(item, list):
            return any(holds(v) for v in item)
        return False

    return next((str(key) for key, cell in value.items() if holds(key) or holds(cell)), None)


class _Pairs(dict[str, object]):
    twice: str | None = None


def _pairs(pairs: list[tuple[str, object]]) -> _Pairs:
    found = _Pairs(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        found.twice = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    return found


def _named_twice(line: str) -> str | None:
    """The first key a JSON object line names twice at its top level, or None. (Only asked of the few
    lines with more ``":`` than keys: nested objects, such text in a string, or a key named twice.)"""
    value = json.loads(line, object_pairs_hook=_pairs)
    return value.twice if isinstance(value, _Pairs) else None


def without_lines(file: Path, lines: list[int], out: Path, numbers_as_text: bool = False) -> Path:
    """A copy of ``file`` (decompressed) with the given lines (1-based) left empty, so the rest keep their numbers.

    With ``numbers_as_text`` (JSON lines), every number in a text column (all but the timestamp) is
    written as a string, the reference's text of it: Spark writes a double as Java does ('1.0E16'), a
    whole number in a column of doubles as '5.0', and a number among strings as written ('1e16')."""
    skip = set(lines)
    with open_binary(file) as stream, open(out, "wb") as copy:
        for number, raw in enumerate(stream, 1):
            if number in skip:
                copy.write(b"\n")
            elif numbers_as_text and (rewritten := _numbers_as_text(raw, number == 1)) is not None:
                copy.write(rewritten)
            else:
                copy.write(raw)
    return out


def _number_spark_writes_otherwise(cell: object) -> bool:
    if isinstance(cell, float):
        return True
    return isinstance(cell, int) and not isinstance(cell, bool) and not -(2**63) <= cell < 2**63


def _numbers_as_text(raw: bytes, first: bool) -> bytes | None:
    """A JSON object line with the numbers of its text columns as strings (None: left as it is)."""
    try:
        value = json.loads(raw.decode("utf-8-sig" if first else "utf-8"))
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    changed = False
    for key, cell in value.items():
        if isinstance(cell, int | float) and not isinstance(cell, bool) and column_key(str(key)) != "timestamp":
            value[key] = _scalar_text(cell)
            changed = True
    return (json.dumps(value, ensure_ascii=False) + "\n").encode("utf-8") if changed else None


def _json_kind(value: object) -> str:
    return "object" if isinstance(value, dict) else "list" if isinstance(value, list) else "string" if isinstance(value, str) else "number" if isinstance(value, int | float) else "value"


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value)


_NUMBER_TOKEN = re.compile(r"-?(?:NaN|Infinity|[0-9][0-9.eE+-]*)")


def _number_token(line: str, col: int) -> str:
    """A JSON number as written at the 1-based ``col`` of ``line`` ('1e400'), for a message."""
    found = _NUMBER_TOKEN.match(line, col - 1)
    return found.group() if found else "a number"


def _value_column(line: str, key: str) -> int:
    """The 1-based column where the value of ``key`` starts in a JSON line (1 if not found plainly)."""
    at = line.find(json.dumps(key))
    if at < 0:
        return 1
    colon = line.find(":", at + len(json.dumps(key)))
    if colon < 0:
        return 1
    index = colon + 1
    while index < len(line) and line[index] in " \t":
        index += 1
    return index + 1


def json_key_lines(file: Path) -> dict[str, int]:
    """The keys of a JSON lines file, as written, in order first seen: the line each is first on."""
    seen: dict[str, int] = {}
    with open_binary(file) as stream:
        for number, raw_line in enumerate(stream, 1):
            try:
                value = json.loads(raw_line)
            except ValueError:
                continue
            if isinstance(value, dict):
                for key in value:
                    seen.setdefault(str(key), number)
    return seen


def json_header_problems(name: str, lines: dict[str, int], file: Path | None = None) -> list[Problem]:
    """The problems of a JSON lines file's keys (:func:`.rows.header_problems`); a key written in
    other capitals on a later line than its first (two exports joined) is told with both lines: it
    was "column 'customer' appears twice in the header", at line 1, of a file that has no header.
    ``lines``: :func:`json_key_lines`. A ``file`` with no object on any line is said to be what its
    lines are (JSON arrays), not "no columns (its header: empty)"."""
    from .rows import column_key, header_problems, wrapped_hint

    if not lines and file is not None and (none := _no_objects(file, name)) is not None:
        return [none]

    first: dict[str, tuple[str, int]] = {}
    for key, line in lines.items():
        earlier = first.setdefault(column_key(key), (key, line))
        if earlier[0] != key and earlier[1] != line and column_key(key):
            return [Problem(
                Span(name, line, 1), "duplicate-column",
                f"key '{shown(key)}' on line {line:,} is key '{shown(earlier[0])}' of line {earlier[1]:,} in other capitals or"
                " spacing: a JSON lines file must write each key alike on every line, so none of it is read",
                "write the keys alike: jq -c 'with_entries(.key |= ascii_downcase)' FILE > NEW turns them all to lower case",
            )]
    problems = header_problems(name, 1, list(lines))
    if file is not None and not any(p.is_error for p in problems):
        problems += rounded_sample(file, name)
        if (padding := padding_of(file)) is not None:
            problems.append(padding_warning(name, padding, file.suffix.lower() == ".gz", file))
        if (nuls := nuls_inside(file, name)) is not None:
            problems.append(nuls)
    missing = next((p for p in problems if p.code == "missing-column"), None)
    if file is not None and missing is not None and (inside := _nested_columns_hint(file, name, list(lines))) is not None:
        problems = [Problem(p.span, p.code, p.message, inside, p.level) if p is missing else p for p in problems]
    if file is not None and any(p.code == "missing-column" for p in problems) and (wrapped := _wrapped_lines(file)) is not None:
        # an API's answer on a line (Zendesk's {"ticket_events": [...], "next_page": ...}): its keys are no columns
        key, count, line = wrapped
        missing = next(p for p in problems if p.code == "missing-column")
        return [Problem(missing.span, "missing-column",
                        f"{missing.message}: line {line:,} is an API's answer whose list '{shown(key)}' holds {count:,}"
                        f" object{'s' * (count != 1)}, the rows, not a row", wrapped_hint(key))]
    return problems


def _jq_path(keys: Sequence[str]) -> str:
    """A jq path to a key inside objects (``.properties.distinct_id``; ``."$plan"`` where a key needs quotes)."""
    return "".join(f".{k}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) else f".{json.dumps(k)}" for k in keys)


def _nested_columns_hint(file: Path, name: str, keys: Sequence[str]) -> str | None:
    """The hint for a JSON lines log whose missing columns are keys inside an object column under other tools'
    names (:data:`.rows.CONVENTIONS`), as Mixpanel's export keeps ``distinct_id`` and ``time`` inside
    ``properties``: the jq line that flattens it. Its hint was 'read it with --events-column touchpoint=event', the
    customer and the timestamp left to guess. None when a missing column is found nowhere, or all are top-level
    keys (the usual hint names them), or ``--events-column`` is given (its own hint tells nested keys)."""
    from .rows import CONVENTIONS, named_columns, squeezed

    if named_columns().by_name:
        return None
    first: dict[str, object] | None = None
    with open_binary(file) as stream:
        for raw_line in islice(stream, PREAMBLE_LINES):
            try:
                value = json.loads(raw_line)
            except ValueError:
                continue
            if isinstance(value, dict):
                first = value
                break
    if first is None:
        return None

    def same(key: str, usual: str) -> bool:
        return squeezed(key).lower() == squeezed(usual).lower()

    present = {column_key(key): key for key in keys}
    fields: dict[str, str] = {}
    inside: list[tuple[str, str]] = []  # (outer key, inner key)
    for column in REQUIRED:
        top = present.get(column) or next((k for usual in CONVENTIONS[column] for k in keys if same(k, usual)), None)
        if top is not None:
            fields[column] = _jq_path([top])
            continue
        found = next(((outer, key) for usual in CONVENTIONS[column] for outer, cell in first.items()
                      if isinstance(cell, dict) for key in cell if same(str(key), usual)), None)
        if found is None:
            return None
        fields[column] = _jq_path(found)
        inside.append(found)
    if not inside:
        return None
    fields |= {c: _jq_path([present[c]]) for c in OPTIONAL if c in present and not (c == "segment" and "persona" in present)}
    outer = next((o for o, key in inside if fields.get("timestamp") == _jq_path([o, key])), None)
    if outer is not None and isinstance(first.get(outer), dict) and MIXPANEL_PROCESSED in first[outer]:  # type: ignore[operator]
        # Mixpanel's time is in the project's time zone: the processing time (UTC) beside it tells the offset
        fields[MIXPANEL_PROCESSED] = _jq_path([outer, MIXPANEL_PROCESSED])
    jq = "{" + ", ".join(f"{c}: {path}" for c, path in fields.items()) + "}"
    said = " and ".join([", ".join(f"'{shown(key)}'" for _, key in inside[:-1]), f"'{shown(inside[-1][1])}'"][-len(inside):])
    outers = " and ".join(dict.fromkeys(f"'{shown(outer)}'" for outer, _ in inside))
    where = (" (as Mixpanel's export writes them)" if [o for o, _ in inside] == ["properties"] * len(inside) else "")
    import shlex

    return (f"{said} {'are keys' if len(inside) > 1 else 'is a key'} inside {outers}{where}, and nested keys are not read:"
            f" flatten the log into journeymap's columns: jq -c {shlex.quote(jq)} {shlex.quote(name)} > flat.jsonl")


def _wrapped_lines(file: Path) -> tuple[str, int, int] | None:
    """(key, its objects, the line) of the first JSON line that is an object holding a list of objects, as an
    API's answer holds its events; None if the first object line holds none."""
    with open_binary(file) as stream:
        for number, raw_line in enumerate(stream, 1):
            try:
                value = json.loads(raw_line)
            except ValueError:
                continue
            if not isinstance(value, dict):
                continue
            for key, cell in value.items():
                # the list's objects look more like rows than the line does (GA4's event_params, a list of
                # {key, value} in a row named otherwise, is a row's cell)
                if (isinstance(cell, list) and cell and all(isinstance(item, dict) for item in cell)
                        and (_column_like(cell[0]) > _column_like(value) or not _column_like(value))):
                    return str(key), len(cell), number
            return None
    return None


def _column_like(value: dict[str, object]) -> int:
    """How many of an object's keys are journeymap's columns or other tools' names for them."""
    from .rows import CONVENTIONS, squeezed

    names = {squeezed(name).lower() for name in (*REQUIRED, *OPTIONAL, *(n for ns in CONVENTIONS.values() for n in ns))}
    return sum(squeezed(str(key)).lower() in names for key in value)


def comma_ended(line: str) -> bool:
    """Whether a line is a JSON object followed by a comma (``{...},``), as the items of an array are written:
    an array's lines without its brackets, as a script or a browser's console writes them."""
    text = line.rstrip()
    if not text.endswith(",") or not text[:-1].rstrip().endswith("}"):
        return False
    try:
        return isinstance(json.loads(text[:-1]), dict)
    except ValueError:
        return False


def _no_objects(file: Path, name: str) -> Problem | None:
    """The error for a JSON lines file none of whose lines is an object, by what its first line that is
    not blank is: lines of arrays (``["c1", "2026-...", "x"]``, as a table's rows), strings or numbers,
    or no JSON; None for a file of blank lines."""
    with open_binary(file) as stream:
        for number, raw_line in enumerate(stream, 1):
            if not raw_line.strip() or len(raw_line) >= LONGEST_ROW:
                continue
            try:
                value = json.loads(raw_line)
            except ValueError:
                if comma_ended(raw_line.decode("utf-8-sig", errors="replace")):
                    return Problem(Span(name, number, 1), "json", "no line of the file is a JSON object alone (line"
                                   f" {number:,} is an object followed by a comma, as an array's items are written), so it"
                                   " names no columns and none of it is read", COMMA_HINT)
                return Problem(Span(name, number, 1), "json", f"no line of the file is a JSON object (line {number:,} is not JSON),"
                               " so it names no columns and none of it is read",
                               "write one JSON object a line; a CSV file is read when named .csv")
            kind = _json_kind(value)
            hint = ("write one object a line, the columns named: jq -c '{customer: .[0], timestamp: .[1], touchpoint: .[2]}'"
                    " FILE > NEW.jsonl, with the places of your columns" if isinstance(value, list)
                    else "write one object a line, the columns named: {\"customer\": ..., \"timestamp\": ..., \"touchpoint\": ...}")
            return Problem(Span(name, number, 1), "json",
                           f"no line of the file is a JSON object (line {number:,} is a JSON {kind}), so it names no columns"
                           " and none of it is read", hint)
    return None


def parquet_records(file: Path, name: str, bad: BadRows | None = None) -> Iterator[Record]:
    """Rows numbered from 2, as if a header were line 1 (Parquet has no lines).

    The cells the rules read come as DuckDB's text: a timestamp out of Python's years
    (``infinity``, a year past 9999) is shown as written, not as Python's last moment,
    and a DATE ``infinity`` is found at its row, not taken for 9999-12-31."""
    import duckdb

    from .duckdb import file_literal

    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        names = [d[0] for d in con.execute(f"DESCRIBE SELECT * FROM read_parquet({file_literal(file)})").fetchall()]
        if bad is not None:
            bad.visitor = visitor_column(names)
        known = [(h, c) for h, c in zip(_normalise(names), names, strict=True) if h in (*REQUIRED, *OPTIONAL)]
        columns = ", ".join(f"CAST(\"{c.replace(chr(34), chr(34) * 2)}\" AS VARCHAR)" for _, c in known) or "NULL"
        cursor = con.execute(f"SELECT {columns} FROM read_parquet({file_literal(file)})")
        number = 1
        while batch := cursor.fetchmany(10_000):
            for row in batch:
                number += 1
                cells = {h: "" if v is None else str(v) for (h, _), v in zip(known, row, strict=False)}
                yield cells, dict.fromkeys((*REQUIRED, *OPTIONAL), Span(name, number, 1))
    finally:
        con.close()
