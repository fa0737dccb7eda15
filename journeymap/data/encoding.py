"""Data files in another encoding than UTF-8, read as they are (``--data-encoding``, :attr:`.engines.EngineOptions.encoding`).

Excel on Windows saves 'CSV' in Windows-1252, Excel for Mac 'CSV (Macintosh)' in Mac Roman, older tools Latin-1.
Told the encoding, every reader reads such a file through a UTF-8 copy of it, made once a run in a scratch folder
(gone with the run), a block at a time: the copy has the file's lines and its columns in characters, so every place found in it is the
file's, and every engine (DuckDB, the row reader, Spark) reads it as it reads UTF-8. Messages name the file, not the
copy (:func:`original_name`).

A file with a byte-order mark is read by its mark (it says what the file is), with a warning when the mark is not of
the encoding told; a file that is not text (a workbook, Parquet, a file of NULs) is left to the readers, which say
what it is. A byte that is no character in the encoding is an error at its place, and the file is not read. A file
that is UTF-8 text with letters outside ASCII, told a one-byte encoding, is read as told with a warning at its first
such letter ('é' read as 'Ã©').
"""

from __future__ import annotations

import codecs
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..problems import Problem, Span

OPTION = "--data-encoding"

NAMES = ("utf-8", "utf-8-sig", "utf-16", "windows-1252", "cp1252", "latin-1", "iso-8859-1", "iso-8859-15",
         "mac-roman", "macintosh")
"""The encodings named in help and in guesses; any other text codec of Python's is accepted too."""

_ALIASES = {"macroman": "mac_roman", "windows1252": "cp1252", "win1252": "cp1252", "ansi": "cp1252"}
"""Names people write that Python does not know (after its own normalisation)."""

_SHOWN = {"cp1252": "Windows-1252", "iso8859_1": "Latin-1 (ISO-8859-1)", "iso8859_15": "ISO-8859-15 (Latin-9)",
          "mac_roman": "Mac Roman", "utf_16": "UTF-16", "utf_32": "UTF-32", "utf_8": "UTF-8", "utf_8_sig": "UTF-8"}

_UTF8 = ("utf_8", "utf_8_sig")
_WIDE = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be")

_MARKS = ((b"\xef\xbb\xbf", "UTF-8", _UTF8), (b"\xff\xfe\x00\x00", "UTF-32", _WIDE), (b"\x00\x00\xfe\xff", "UTF-32", _WIDE),
          (b"\xff\xfe", "UTF-16", _WIDE), (b"\xfe\xff", "UTF-16", _WIDE))
"""Byte-order marks: (the mark, its encoding, the codecs that read it)."""

_TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json", ".gz")


def codec_of(name: str) -> str:
    """Python's name of the text encoding ``name`` (a codec's name or an alias: ``windows-1252``, ``latin-1``,
    ``mac-roman``, ``macintosh``); ``ValueError`` with a guess for a name that is none.

    >>> codec_of("Windows-1252"), codec_of("macintosh"), codec_of("ISO-8859-15")
    ('cp1252', 'mac_roman', 'iso8859_15')
    """
    key = name.strip()
    try:
        info = codecs.lookup(_ALIASES.get(re.sub(r"[-_ ]", "", key.lower()), key))
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):  # base64, rot13's bytes: no text encodings
        from ..problems import did_you_mean

        guess = did_you_mean(key.lower(), NAMES)
        raise ValueError(f"unknown encoding '{key}'" + (f" ({guess})" if guess else "")
                         + f"; encodings: {', '.join(NAMES)} or another of Python's")
    return info.name.replace("-", "_")


def read_as_hint(name: str) -> str:
    """The end of a not-UTF-8 error's hint: how to have the file read in the encoding ``name``, on the command line
    and from Python (the library cannot know which its caller is)."""
    return f", or is read as it is with {OPTION} {name} (EngineOptions(encoding='{name}') in Python)"


def shown(codec: str) -> str:
    """How an encoding is named to a user: ``Windows-1252``, ``Mac Roman``."""
    return _SHOWN.get(codec, codec)


@dataclass
class _Run:
    codec: str
    folder: Path | None = None
    copies: dict[Path, tuple[Path | None, list[Problem]]] = field(default_factory=dict)
    """A file (its absolute path) -> (what is read instead: its copy, itself, or None when it is not read; the problems)."""
    names: dict[Path, Path] = field(default_factory=dict)
    """A copy -> the file."""
    sizes: dict[Path, tuple[int, int, int]] = field(default_factory=dict)
    """A copy -> (the file's bytes, decompressed; the copy's; the bytes of one NUL or 0x1A in the file's encoding)."""


_RUN: ContextVar[_Run | None] = ContextVar("journeymap_data_encoding", default=None)


@contextmanager
def read_as(encoding: str | None) -> Iterator[None]:
    """Within this block, the data files (survey responses, metrics tables, event logs) are read as ``encoding``
    (None, or UTF-8: as they are read by default). The copies made are removed at its end. Within a block of the
    same encoding, the outer block's copies serve. ``ValueError`` for an unknown encoding (:func:`codec_of`)."""
    codec = None if encoding is None else codec_of(encoding)
    with _repairs():
        outer = _RUN.get()
        if codec is None or codec in _UTF8 or (outer is not None and outer.codec == codec):
            yield
            return
        run = _Run(codec)
        token = _RUN.set(run)
        try:
            yield
        finally:
            _RUN.reset(token)
            if run.folder is not None:
                shutil.rmtree(run.folder, ignore_errors=True)


@dataclass
class _Repairs:
    folder: Path | None = None
    copies: dict[Path, tuple[Path | None, list[Problem]]] = field(default_factory=dict)
    """A gzip log (its absolute path) -> (what is read instead: the text it holds up to its damage, recompressed;
    itself when it is whole; None when none of it is read; the problems)."""
    names: dict[Path, Path] = field(default_factory=dict)
    """A copy -> the file."""


_REPAIRS: ContextVar[_Repairs | None] = ContextVar("journeymap_data_gzip_repairs", default=None)


@contextmanager
def _repairs() -> Iterator[None]:
    """The copies of damaged gzip logs (:func:`gzip_checked`) made within this block, removed at its end."""
    if _REPAIRS.get() is not None:
        yield
        return
    run = _Repairs()
    token = _REPAIRS.set(run)
    try:
        yield
    finally:
        _REPAIRS.reset(token)
        if run.folder is not None:
            shutil.rmtree(run.folder, ignore_errors=True)


def gzip_checked(file: Path, name: str) -> tuple[Path | None, list[Problem]]:
    """The file to read for a gzip event log ``file`` (named ``name`` in messages), and the problems with it: the file
    itself when it is whole; when it is cut short, damaged part-way, or followed by bytes that are no gzip, a copy of
    the text it holds up to the damage, as a survey file's is read (:func:`.table._gunzip`: the rows before the damage
    are kept, the damage is one problem at its line and column); None when none of its text is read. Every engine
    reads the copy in the file's place, and messages name the file (:func:`original_name`). Outside
    :func:`read_as`, or for a file that is no gzip, the file itself, the reader saying what it is."""
    run = _REPAIRS.get()
    if run is None or file.suffix.lower() != ".gz":
        return file, []
    key = Path(file).absolute()
    if key not in run.copies:
        run.copies[key] = _repaired(run, Path(file), name)
    return run.copies[key]


def _repaired(run: _Repairs, file: Path, name: str) -> tuple[Path | None, list[Problem]]:
    import gzip
    import zlib

    try:
        with _GzipText(file) as text:  # one pass, a block at a time, over a whole file: nothing more is done
            while text.read(_BLOCK):
                pass
            if text.after is None:
                return file, []
    except (EOFError, zlib.error):
        pass  # cut short or damaged: placed below
    except OSError:
        return file, []  # not there, or not readable: the reader says so
    from .table import _gunzip

    try:
        raw = file.read_bytes()
    except OSError:
        return file, []
    if not raw.startswith(b"\x1f\x8b"):
        return file, []  # no gzip: the reader says what it is
    held, problems = _gunzip(name, raw)
    if held is None:
        return None, problems
    if run.folder is None:
        run.folder = Path(tempfile.mkdtemp(prefix="journeymap-gzip-"))
    # the file's own folders below the scratch folder: a hive partition (segment=a/) keeps its meaning
    copy = run.folder.joinpath(*file.absolute().parts[1:])
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(gzip.compress(held, compresslevel=1, mtime=0))
    run.names[copy] = run.names[copy.resolve()] = file
    return copy, problems


def original_name(path: Path) -> Path | None:
    """The data file a copy read in its place stands for; None for a path that is no copy."""
    run, repairs = _RUN.get(), _REPAIRS.get()
    found = None if run is None else run.names.get(path)
    if repairs is not None:  # a UTF-8 copy of a damaged gzip's copy names the gzip
        found = repairs.names.get(found or path, found)
    return found


def original_offset(path: Path, offset: int) -> int:
    """The byte of the file a copy stands for (decompressed) where the padding that starts at the byte ``offset`` of
    the copy starts (NULs and DOS end-of-file marks after the last row are one byte each in UTF-8, and one
    character's bytes in the file's encoding); ``offset`` itself for a path that is no copy, so that a hint's
    ``head -c`` keeps the file's own text whole."""
    run = _RUN.get()
    sizes = None if run is None else run.sizes.get(path)
    if sizes is None:
        return offset
    original, copied, unit = sizes
    return original - unit * (copied - offset)


_ICONV = {"cp1252": "WINDOWS-1252", "mac_roman": "MACINTOSH", "iso8859_1": "ISO-8859-1", "iso8859_15": "ISO-8859-15"}
"""iconv's names of the encodings whose Python names it does not know."""


def utf8_for_duckdb(path: Path) -> tuple[str, str, str] | None:
    """For a copy read in a file's place: (the iconv line that writes the file in UTF-8 beside it, the name it writes,
    the file's encoding as a user knows it),
    for a hint whose DuckDB statement reads the file: DuckDB's read_csv reads UTF-8 and UTF-16, not Windows-1252 or
    Mac Roman. None for a path that is no copy, or a gzip (read_csv reads it as it is)."""
    import shlex

    from ..loader import display_name

    run, original = _RUN.get(), original_name(path)
    if run is None or original is None or original.suffix.lower() == ".gz":
        return None
    name = display_name(original)
    suffix = "".join(Path(name).suffixes[-1:])
    utf8 = name[: len(name) - len(suffix)] + ".utf8" + suffix
    code = _ICONV.get(run.codec, run.codec.upper().replace("_", "-"))
    return f"iconv -f {code} -t UTF-8 {shlex.quote(name)} > {shlex.quote(utf8)}", utf8, shown(run.codec)


def remote_not_read(locations: Sequence[str]) -> list[Problem]:
    """The errors for remote logs (``s3a://...``, read by Spark on its cluster) under an encoding in force: no UTF-8
    copy of them is made here, and read as UTF-8 each of their rows with a letter outside ASCII would be a bad
    row; they are not read. None outside :func:`read_as`."""
    run = _RUN.get()
    if run is None:
        return []
    return [Problem(Span(location), "encoding",
                    f"{OPTION} {shown(run.codec)} is not applied to a remote log, which Spark reads on its cluster as UTF-8:"
                    " it is not read", "convert it to UTF-8 where it is (iconv -f ENCODING -t UTF-8 FILE > NEW), or copy it"
                    " here and name the local copy") for location in locations]


def transcoded(files: Sequence[Path], names: Sequence[str] | None = None) -> tuple[list[Path], list[Problem]]:
    """The files to read for ``files`` under the encoding in force (:func:`read_as`): each file, or its UTF-8 copy,
    or none when it cannot be read so (an error); and the problems found. ``names``: the files' display names."""
    run = _RUN.get()
    if run is None:
        return list(files), []
    from ..loader import display_name

    kept: list[Path] = []
    problems: list[Problem] = []
    for i, file in enumerate(files):
        key = Path(file).absolute()
        if key not in run.copies:
            run.copies[key] = _copy(run, Path(file), names[i] if names is not None else display_name(Path(file)))
        read, told = run.copies[key]
        problems += told
        if read is not None:
            kept.append(read)
    return kept, problems


_BLOCK = 1 << 22
"""Bytes decoded at a time: a log of any size is copied in bounded memory."""


def _open(file: Path, gzipped: bool, mode: str = "rb") -> IO[bytes]:
    if gzipped and mode == "rb":
        return _GzipText(file)  # type: ignore[return-value]
    if gzipped:
        import gzip

        return gzip.open(file, mode, compresslevel=1)  # type: ignore[return-value]
    return open(file, mode)  # noqa: SIM115  (the caller closes it)


class _GzipText:
    """The text a gzip file's members hold, read a block at a time, that stops at the bytes after its last member
    (:attr:`after`) where ``gzip.open`` ignored zeros without a word and failed on other bytes, so that the file was
    read as it is, not in its encoding. ``EOFError`` when the file is cut short, ``zlib.error`` when its first member
    is damaged, as ``gzip.open``'s."""

    def __init__(self, file: Path) -> None:
        import zlib

        self._raw = open(file, "rb")  # noqa: SIM115  (closed by close())
        self._inflater = zlib.decompressobj(31)
        self._fed = 0  # bytes of the file given to the inflaters
        self._members = 0
        self._out = b""
        self._done = False
        self.after: tuple[int, int, bool] | None = None
        """(the byte the bytes after the last member start at, how many they are, whether they are all zeros)."""

    def __enter__(self) -> _GzipText:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._raw.close()

    def read(self, size: int = -1) -> bytes:
        import zlib

        pending = b""
        while not self._done and (size < 0 or len(self._out) < size):
            data = pending or self._raw.read(_BLOCK)
            pending = b""
            if not data:
                if not self._inflater.eof:
                    raise EOFError("the gzip file is cut short")
                self._done = True
                break
            self._fed += len(data)
            try:
                self._out += self._inflater.decompress(data)
            except zlib.error:
                if self._members == 0:
                    raise
                self._stop(self._fed - len(data))  # a member damaged from its start: bytes that are no gzip
                break
            if self._inflater.eof:
                self._members += 1
                rest = self._inflater.unused_data
                end = self._fed - len(rest)
                if len(rest) < 2:
                    rest += self._raw.read(2 - len(rest))
                    self._fed += len(rest) - len(self._inflater.unused_data)
                if not rest:
                    self._done = True
                elif rest[:2] == b"\x1f\x8b":
                    self._inflater = zlib.decompressobj(31)
                    self._fed -= len(rest)
                    pending = rest
                else:
                    self._stop(end)
        if size < 0:
            out, self._out = self._out, b""
        else:
            out, self._out = self._out[:size], self._out[size:]
        return out

    def _stop(self, at: int) -> None:
        """The text ends at the byte ``at`` of the file: what follows is measured, not read as text."""
        self._raw.seek(at)
        size, zeros = 0, True
        while block := self._raw.read(_BLOCK):
            size += len(block)
            zeros = zeros and not block.strip(b"\x00")
        self.after, self._done = (at, size, zeros), True


def _copy(run: _Run, file: Path, name: str) -> tuple[Path | None, list[Problem]]:
    """(the file to read for ``file``, the problems), as :func:`transcoded` gives them."""
    import zlib

    gzipped = file.suffix.lower() == ".gz"
    if file.suffix.lower() not in _TEXT_SUFFIXES and file.suffix:  # Parquet, a workbook: not text
        return file, []
    try:
        with _open(file, gzipped) as source:
            head = source.read(1 << 16)
    except (OSError, EOFError, zlib.error):
        return file, []  # not there, a gzip cut short or no gzip: the reader says so
    for mark, encoding, readers in _MARKS:
        if head.startswith(mark):
            if run.codec in readers:
                break
            return file, [Problem(
                Span(name, 1, 1), "encoding",
                f"the file starts with {encoding}'s byte-order mark, so it is read as {encoding}, not as {shown(run.codec)}",
                f"leave out {OPTION} for this file (convert the others first: iconv -f ENCODING -t UTF-8 FILE > NEW)",
                level="warning")]
    else:
        if _not_text(name, head, run.codec):
            return file, []
    if run.folder is None:
        run.folder = Path(tempfile.mkdtemp(prefix="journeymap-encoding-"))
    # the file's own folders below the scratch folder: a hive partition (segment=a/) keeps its meaning
    copy = run.folder.joinpath(*file.absolute().parts[1:])
    copy.parent.mkdir(parents=True, exist_ok=True)
    try:
        bad, utf8, multibyte, sizes, after = _write_copy(file, gzipped, copy, run.codec)
    except (OSError, EOFError, zlib.error):
        copy.unlink(missing_ok=True)
        return file, []  # a gzip cut short past its start: the reader says so
    if bad is not None:
        copy.unlink(missing_ok=True)
        return None, [_no_character(name, file, gzipped, run.codec, *bad)]
    run.names[copy] = run.names[copy.resolve()] = file
    unit = len("\x00\x00".encode(run.codec)) - len("\x00".encode(run.codec))  # one character's bytes, without a mark
    run.sizes[copy] = run.sizes[copy.resolve()] = (*sizes, unit)
    told = [] if after is None else [_after_the_gzip(name, copy, *after)]
    if utf8 and multibyte is not None:
        return copy, [_utf8_told(name, file, gzipped, run.codec, multibyte), *told]
    return copy, told


def _after_the_gzip(name: str, copy: Path, at: int, size: int, zeros: bool) -> Problem:
    """The problem with the bytes after a gzip file's last member (:attr:`_GzipText.after`), placed where the text
    ends in its copy, whose lines and columns are the file's."""
    from .engines.rows import after_the_gzip

    with _open(copy, True) as text:
        lines, last, tail = 1, 0, b""
        while block := text.read(_BLOCK):
            lines += block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n") - (tail == b"\r" and block[:1] == b"\n")
            at_break = max(block.rfind(b"\n"), block.rfind(b"\r"))
            last = len(block) - at_break - 1 if at_break >= 0 else last + len(block)
            tail = block[-1:]
    ended = last == 0
    column = 1 if ended else _last_line_width(copy, last)
    return after_the_gzip(name, lines, column, ended, size, zeros, at)


def _last_line_width(copy: Path, size: int) -> int:
    """1 + the characters of a copy's last line of ``size`` bytes (UTF-8)."""
    with _open(copy, True) as text:
        end = b""
        while block := text.read(_BLOCK):
            end = (end + block)[-size:]
    return len(end.decode("utf-8", errors="replace")) + 1


def _write_copy(
    file: Path, gzipped: bool, copy: Path, codec: str,
) -> tuple[tuple[int, str] | None, bool, int | None, tuple[int, int], tuple[int, int, bool] | None]:
    """Write ``file`` decoded from ``codec`` to ``copy`` in UTF-8, a block at a time (a wide codec's byte-order mark
    left out); (where a byte is no character in ``codec`` and why, or None; whether the file is UTF-8 text; where
    its first byte sequence of a letter outside ASCII in UTF-8 is, or None; the bytes of the file and of the copy;
    the bytes after a gzip file's last member, :attr:`_GzipText.after`, or None).
    Places and sizes are of the bytes decompressed."""
    decoder = codecs.getincrementaldecoder(codec)()
    wide = codec in _WIDE
    utf8 = None if wide else codecs.getincrementaldecoder("utf-8")()
    valid, multibyte = utf8 is not None, None
    consumed, written, tail = 0, 0, b""
    with _open(file, gzipped) as source, _open(copy, gzipped, "wb") as out:
        while True:
            block = source.read(_BLOCK)
            buffered = len(decoder.getstate()[0])
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return (consumed - buffered + exc.start, str(exc.reason)), False, None, (0, 0), None
            if wide and consumed == 0:
                text = text.removeprefix("\ufeff")
            written += out.write(text.encode("utf-8"))
            if utf8 is not None and valid:
                try:
                    utf8.decode(block, final=not block)
                except UnicodeDecodeError:
                    valid = False
                if multibyte is None and (found := _MULTIBYTE.search(tail + block)) is not None:
                    multibyte = consumed - len(tail) + found.start()
                tail = block[-3:]
            if not block:
                after = source.after if isinstance(source, _GzipText) else None
                return None, valid, multibyte, (consumed, written), after
            consumed += len(block)


def _place_at(file: Path, gzipped: bool, offset: int, codec: str) -> tuple[int, int]:
    """(line, column) in characters, as the readers count them in the copy, of the byte ``offset`` of ``file``
    decoded from ``codec``: lines end at a line feed, a carriage return and line feed, or a carriage return alone."""
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    line, col, cr, left, first = 1, 1, False, offset, True
    with _open(file, gzipped) as source:
        while left > 0 and (block := source.read(min(_BLOCK, left))):
            left -= len(block)
            text = decoder.decode(block, final=left <= 0)
            if first and codec in _WIDE:
                text = text.removeprefix("\ufeff")
            first = False
            if not text:
                continue
            line += text.count("\n") + text.count("\r") - text.count("\r\n") - (cr and text[0] == "\n")
            at = max(text.rfind("\n"), text.rfind("\r"))
            col = len(text) - at if at >= 0 else col + len(text)
            cr = text[-1] == "\r"
    return line, col


def _read_at(file: Path, gzipped: bool, offset: int, size: int) -> bytes:
    with _open(file, gzipped) as source:
        while offset > 0 and (skipped := len(source.read(min(_BLOCK, offset)))):
            offset -= skipped
        return source.read(size)


def _utf8_text(file: Path, gzipped: bool) -> bool:
    """Whether the whole file is UTF-8 text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with _open(file, gzipped) as source:
            while block := source.read(_BLOCK):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _not_text(name: str, head: bytes, codec: str) -> bool:
    """Whether the file's start says it is not text (a workbook, an image, a file of NULs; UTF-16 without its mark
    unless UTF-16 is told): it is left to the readers, which say what it is."""
    from .engines.rows import what_it_is

    if len(head) < 1 << 16:  # the whole file: NULs or DOS end-of-file marks after its last row are padding, told by the readers
        head = head.rstrip(b"\x00\x1a")
    found = what_it_is(name.removesuffix(".gz"), head)
    return found is not None and not (codec in _WIDE and "UTF-" in found.message)


def _no_character(name: str, file: Path, gzipped: bool, codec: str, at: int, reason: str) -> Problem:
    """The error for the byte ``at`` of ``file`` that is no character in ``codec`` (0x81, 0x8D, 0x8F, 0x90, 0x9D in
    Windows-1252); in a UTF-8 file, where a closing curly quote's last byte is 0x9D, said so and placed in the UTF-8
    text's characters, as an editor shows it."""
    if codec not in _WIDE and _utf8_text(file, gzipped):
        base = max(0, at - 3)
        near = _read_at(file, gzipped, base, at - base + 1)  # the byte and the three before it
        leads = [i for i, b in enumerate(near) if b >= 0xC0]
        start = base + leads[-1] if leads else at
        letter = _read_at(file, gzipped, start, _SEQUENCE.get(near[start - base : start - base + 1], 1))
        line, col = _place_at(file, gzipped, start, "utf-8")
        byte = near[-1]
        return Problem(
            Span(name, line, col), "encoding",
            f"the byte 0x{byte:02x} is no character in {shown(codec)} (it is part of {letter.decode('utf-8', 'replace')!r}"
            f" in UTF-8): the file is UTF-8 text, not {shown(codec)}, and is not read", _UTF8_HINT)
    line, col = _place_at(file, gzipped, at, codec)
    if codec in _WIDE:
        said = f"the bytes here are not {shown(codec)} text ({reason})"
    else:
        said = f"the byte 0x{_read_at(file, gzipped, at, 1)[0]:02x} is no character in {shown(codec)}"
    return Problem(
        Span(name, line, col), "encoding", f"{said}: the file is not read",
        f"is the file in another encoding? In latin-1 every byte is a character ({OPTION} latin-1); an older DOS"
        " export may be cp850 or cp437; file -i FILE may tell",
    )


_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
"""The start of a letter outside ASCII in UTF-8: a lead byte and a continuation byte."""
_SEQUENCE = {bytes([lead]): 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4 for lead in range(0xC2, 0xF5)}
"""A UTF-8 lead byte -> the bytes of its letter."""
_UTF8_HINT = (f"leave out {OPTION} to read it as UTF-8 (the default); several files in different encodings are converted"
              " to UTF-8 first (iconv -f ENCODING -t UTF-8 FILE > NEW)")


def _utf8_told(name: str, file: Path, gzipped: bool, codec: str, at: int) -> Problem:
    """The warning for a file that is UTF-8 text with letters outside ASCII (``at``: the first's byte), told a one-byte
    encoding: read as told, its 'é' is 'Ã©'."""
    sequence = _read_at(file, gzipped, at, 4)
    sequence = sequence[: _SEQUENCE.get(sequence[:1], 1)]
    line, col = _place_at(file, gzipped, at, codec)
    meant = sequence.decode("utf-8", errors="replace")
    read = sequence.decode(codec, errors="replace")
    return Problem(
        Span(name, line, col), "encoding",
        f"the file is UTF-8 text, read as {shown(codec)} as told: its bytes {' '.join(f'0x{b:02x}' for b in sequence)}"
        f" here are {meant!r} in UTF-8, read as {read!r}", _UTF8_HINT, level="warning")
