"""What the user named as a log: files, globs and folders, resolved to files by format.

A folder is read with every event log under it (hive-partitioned folders such as
``date=2026-10-01/`` included); a glob is expanded here, so that a glob that
matches nothing is a clear problem rather than an engine error. Below a folder
or a glob's wildcards, names that start with ``_`` or ``.`` are left out, as
Spark and Hadoop leave them out of their own output: ``_SUCCESS``, the
``.crc`` checksums, a ``_temporary/`` folder of a job still writing (or one
that failed), ``.DS_Store``. A folder also leaves out, with a warning each, the
files beside the logs that are not logs: a ``README.txt``, a pretty-printed
``manifest.json``.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...problems import Problem, Span

FORMATS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".gz": "csv",
    ".parquet": "parquet", ".pq": "parquet",
    ".jsonl": "json", ".ndjson": "json", ".json": "json",
}
"""A log's format by its name's suffix (the one before ``.gz`` for a compressed log); any other name is read as CSV."""

NOT_IN_A_FOLDER = (".txt",)
"""Suffixes read as CSV when the file is named, but left out of a folder: a folder's ``README.txt`` is its notes."""


def _format_suffix(path: Path) -> str:
    """The suffix that says a file's format: the last, or the one before ``.gz`` (``events.csv.gz``)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".gz"] and len(suffixes) > 1:
        return suffixes[-2]
    return suffixes[-1] if suffixes else ""


def file_format(path: Path) -> str:
    suffix = _format_suffix(path)
    if path.suffix.lower() == ".gz" and (suffix == ".gz" or suffix not in FORMATS) and _gzip_holds_json_lines(path):
        return "json"  # Segment's S3 copies (1568922342133.a3b4c.gz) and Kinesis Firehose's objects: named for no format
    return FORMATS.get(suffix, "csv")


def _gzip_holds_json_lines(path: Path) -> bool:
    """Whether a gzip file whose name says no format (``events.gz``, ``1568922342133.a3b4c.gz``) holds JSON lines:
    its first line that is not blank is a whole JSON object. It was read as CSV, and refused as JSON lines under
    another name. Asked once a file (its size and time of change the key): every engine asks it of every file."""
    try:
        stat = path.stat()
    except OSError:
        return False
    return _gzip_json_lines(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=4096)
def _gzip_json_lines(path: str, size: int, changed: int) -> bool:
    import gzip
    import zlib

    try:
        with gzip.open(path, "rb") as stream:
            return bool(_first_line_an_object(stream))
    except (OSError, EOFError, zlib.error):
        return False


def _first_line_an_object(stream: Any) -> bool | None:
    """Whether the first line of ``stream`` (binary) that is not blank is one whole JSON object; None when
    there is none, or it is longer than a row may be (:data:`~.rows.LONGEST_ROW`)."""
    import json

    from .rows import LONGEST_ROW

    while line := stream.readline(LONGEST_ROW):
        if len(line) == LONGEST_ROW:
            return None
        if text := line.strip().removeprefix(b"\xef\xbb\xbf").strip():
            try:
                return isinstance(json.loads(text), dict)
            except ValueError:
                return False
    return None


def _not_a_log(file: Path, where: str = "the folder") -> Problem | None:
    """The warning that leaves a file found in a folder (or by a glob's wildcard) out, when it is
    not an event log: its name has no log's suffix, or it is ``.json`` that is not JSON lines;
    None for a log."""
    if file.suffix.lower() not in FORMATS or _format_suffix(file) in NOT_IN_A_FOLDER:
        *names, last = (suffix for suffix in FORMATS if suffix not in NOT_IN_A_FOLDER)
        why = f"not an event log's name ({', '.join(names)} or {last})"
    elif _format_suffix(file) == ".json" and not _json_lines(file):
        why = "its first line is not a whole JSON object, so it is not JSON lines (a pretty-printed JSON file?)"
    else:
        return None
    if file.suffix.lower() in (".avro", ".orc"):  # by name it would be refused too: say how to have it read
        from .rows import AVRO_HINT, ORC_HINT

        avro = file.suffix.lower() == ".avro"
        return Problem(Span(str(file)), "io", f"left out of {where}: it is {'an Avro' if avro else 'an ORC'} file, which is not read",
                       AVRO_HINT if avro else ORC_HINT, level="warning")
    compressed = COMPRESSIONS.get(file.suffix.lower())
    if compressed is not None:  # by name it would be refused too: say how to have it read
        return Problem(Span(str(file)), "io", f"left out of {where}: it is {compressed}, which is not read",
                       f"decompress it, or gzip it instead: a .csv.gz or .jsonl.gz in {where} is read", level="warning")
    return Problem(Span(str(file)), "io", f"left out of {where}: {why}",
                   "give the file to --events by name to read it as an event log", level="warning")


COMPRESSIONS = {".zst": "zstd-compressed", ".zstd": "zstd-compressed", ".bz2": "bzip2-compressed", ".xz": "xz-compressed",
                ".lz4": "lz4-compressed", ".zip": "a zip archive", ".7z": "a 7-Zip archive"}
"""Compressed files journeymap does not read (gzip it is), by suffix: left out of a folder with their fix."""


def _json_lines(file: Path) -> bool:
    """Whether a ``.json`` file is JSON lines, as Spark writes its ``part-*.json``: its first line
    that is not blank is one whole JSON object. A file that cannot be read, or whose first line is
    longer than a row may be, is taken for one: reading it says what is wrong with it."""
    import gzip
    import zlib

    try:
        with gzip.open(file, "rb") if file.suffix.lower() == ".gz" else open(file, "rb") as stream:
            return _first_line_an_object(stream) is not False
    except (OSError, EOFError, zlib.error):
        return True


@dataclass
class Sources:
    """Files by format, in a stable order; problems for names that gave no file."""

    files: dict[str, list[Path]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    found_by: dict[Path, str] = field(default_factory=dict)
    """A file found in a folder or by a glob (its real path) -> that folder or glob, as the user named it."""

    def names(self, read: Sequence[tuple[Path, str]]) -> list[str]:
        """How the files read, (file, its name), are named in messages about the whole log: a file
        by its name; the files of one folder or glob, when more than one of them is read, by the
        folder or glob as the user named it, with their count (``parts (300 files)``,
        ``logs/*.csv (12 files)``): a message or a report line about the whole log once listed
        every one of them."""
        from collections import Counter

        from ..table import _display

        origins = [self.found_by.get(_real(file)) for file, _ in read]
        counts = Counter(origins)
        names = [f"{_display(Path(origin))} ({counts[origin]:,} files)" if origin is not None and counts[origin] > 1 else name
                 for origin, (_, name) in zip(origins, read, strict=True)]
        return list(dict.fromkeys(names))


def _hidden(parts: Sequence[str]) -> bool:
    return any(part.startswith((".", "_")) for part in parts)


def _walk(
    top: Path, depth: int | None = None, skipped: list[Problem] | None = None, folders: bool = False,
) -> Iterator[tuple[Path, tuple[str, ...], bool]]:
    """Every file below ``top`` with its parts below it, breadth first in name order, to ``depth`` parts,
    and whether it is there (False: a symlink that leads nowhere, or round in a loop).

    Symlinked folders are followed, but each real folder is entered once: a symlink loop ends (a ``**``
    glob through one took minutes, read the same files dozens of times, or never ended), and a folder
    reached by two names (``latest/ -> date=2026-10-03/``) is read under the shorter one.

    What cannot be read is not left out in silence: a folder below ``top`` that cannot be listed, and a
    log's name that is no regular file (a FIFO, a link to a device), are warnings in ``skipped``. With
    ``folders``, a folder at ``depth`` is given as an entry too (a glob's last part matched a folder)."""
    seen: set[str] = set()
    queue: deque[tuple[Path, tuple[str, ...]]] = deque([(top, ())])
    while queue:
        folder, parts = queue.popleft()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            if skipped is not None and parts and not _hidden(parts):
                skipped.append(Problem(Span(str(folder)), "io", f"cannot read the folder: {exc.strerror or exc}: not read",
                                       "give the folder read and execute permission to read its logs", level="warning"))
            continue
        for entry in entries:
            below = (*parts, entry.name)
            path = folder / entry.name
            try:
                if entry.is_dir():
                    if depth is None or len(below) < depth:
                        queue.append((path, below))
                    elif folders:
                        yield path, below, True
                elif entry.is_file():
                    yield path, below, True
                elif entry.is_symlink() and not os.path.exists(path):
                    yield path, below, False
                elif skipped is not None and path.suffix.lower() in FORMATS and not _hidden(below):
                    skipped.append(Problem(Span(str(path)), "io", "not a regular file (a FIFO, a device or a socket): not read",
                                           "copy the log into a file to read it", level="warning"))
            except OSError:  # a symlink round in a loop: is_dir() and is_file() cannot tell
                if entry.is_symlink():
                    yield path, below, False


def _zero_bytes(file: Path) -> bool:
    try:
        return file.stat().st_size == 0
    except OSError:
        return False


def _loops(link: Path) -> bool:
    """Whether a symbolic link leads round in a loop (to itself, or through others back to it)."""
    import errno

    try:
        os.stat(link)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _glob(pattern: str, skipped: list[Problem] | None = None) -> list[tuple[Path, bool]]:
    """The files a glob matches (``*``, ``?``, ``[...]`` in a name; ``**`` for any folders), as
    :func:`glob.glob` with ``recursive`` finds them, but through :func:`_walk`, with whether each
    is there; names that start with ``_`` or ``.`` where a wildcard stands are left out
    (``logs/_*.csv`` names them plainly). A folder the pattern matches is read as a folder given by
    name is (``logs/dt=2026-10-0*``: the partitions of those days)."""
    rules = Path(pattern).parts
    plain = next((i for i, part in enumerate(rules) if any(c in part for c in "*?[")), len(rules))
    top, rules = Path(*rules[:plain]) if plain else Path("."), rules[plain:]
    asked = rules[-1][:1] in ("_", ".")
    found = []
    told: list[Problem] = []  # what the walk could not read, of what the pattern names
    for path, parts, there in _walk(top, None if "**" in rules else len(rules), told, folders="**" not in rules):
        if not _matches(parts, rules) or _hidden(parts[:-1] if asked else parts):
            continue
        if there and path.is_dir():
            found += [(file, ok) for file, below, ok in _walk(path, None, skipped) if not _hidden(below)]
        else:
            found.append((path, there))
    if skipped is not None:
        for problem in told:
            parts = Path(problem.span.file).parts[len(top.parts):]
            if "**" in rules or all(fnmatch.fnmatch(part, rule) for part, rule in zip(parts, rules, strict=False)):
                skipped.append(problem)
    return found


def _matches(parts: Sequence[str], rules: Sequence[str]) -> bool:
    if not rules:
        return not parts
    if rules[0] == "**":
        return any(_matches(parts[i:], rules[1:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatch(parts[0], rules[0]) and _matches(parts[1:], rules[1:])


def resolve(paths: Sequence[Path], distinct: bool = True) -> Sources:
    """The files ``paths`` name (files, folders, globs), by format, and the problems of names that gave none; with
    ``distinct``, files whose content is an earlier file's are left out (:func:`distinct_contents`, which reads
    files of one size whole), as an engine reads them."""
    sources = Sources()
    seen: dict[Path, Path] = {}  # a file read (its real path) -> its name
    for path in paths:
        text = str(path)
        matched: list[tuple[Path, bool]] = []  # (file, whether it is there: False for a symlink to nothing)
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                sources.problems.append(Problem(Span(text), "io", "cannot read the folder: permission denied"))
                continue
            for file, parts, there in _walk(path, None, sources.problems):
                if _hidden(parts):
                    continue
                if (left_out := _not_a_log(file) if there else None) is not None:
                    sources.problems.append(left_out)
                elif there or file.suffix.lower() in FORMATS:  # a link to nothing with a log's name is told below
                    matched.append((file, there))
            if not any(there for _, there in matched):
                sources.problems.append(Problem(Span(text), "io", "the folder holds no .csv, .parquet or .jsonl files"))
        elif any(c in text for c in "*?[") and not path.is_file():  # 'events [1].csv' is a name
            matched = _glob(text, sources.problems)
            last = Path(text).name
            if (not Path(last).suffix or any(c in Path(last).suffix for c in "*?[")) and not last.startswith(("_", ".")):
                # 'logs/*' or 'logs/events.*': the wildcard stands for the suffix, so a README.txt
                # beside the logs is left out as a folder leaves it out; 'logs/*.txt' asks for it, and
                # 'logs/_*' for what Spark writes beside its parts.
                notes = [(file, note) for file, there in matched
                         if there and (note := _not_a_log(file, "the files the pattern matches")) is not None]
                sources.problems += [note for _, note in notes]
                matched = [m for m in matched if m[0] not in {file for file, _ in notes}]
            if not any(there for _, there in matched):
                sources.problems.append(Problem(Span(text), "io", "no file matches this pattern"))
        elif path.is_file():
            matched = [(path, True)]
        elif path.exists():
            sources.problems.append(Problem(Span(text), "io", "not a regular file"))
        elif re.match(r"[A-Za-z][A-Za-z0-9+.-]+:/", text):  # s3a://... (a Path keeps one slash)
            sources.problems.append(Problem(Span(text.replace(":/", "://", 1)), "io", "a remote path, which only Spark reads",
                                            "use --engine spark, and --spark-master or --spark-remote for a cluster"))
        else:
            sources.problems.append(Problem(Span(text), "io", "file not found"))
        found = [f for f, there in matched if there]
        for link in (f for f, there in matched if not there):  # a file the folder or the pattern names, that is not there
            why = "which leads round in a loop" if _loops(link) else "which does not exist"
            sources.problems.append(Problem(
                Span(str(link)), "io", f"a symbolic link to {os.readlink(link)!r}, {why}: not read",
                "point the link at the file, or remove it", level="warning",
            ))
        # One file reached by two names (a symlink to it, or given twice) is read once, under its
        # shortest name (the walk gives the folders' shortest names)
        named: dict[Path, Path] = {}
        for file in sorted(found, key=lambda f: (len(f.parts), str(f))):
            named.setdefault(_real(file), file)
        for file in sorted(named.values()):
            if file != path and _zero_bytes(file):
                # a part a job wrote no rows to (Hive's and MapReduce's reducers, an empty partition): no rows
                # to lose, as a header alone; it was an 'empty' error that failed the run of a whole folder
                sources.problems.append(Problem(
                    Span(str(file), 1, 1), "no-rows", "the file is empty (0 bytes), as a job that wrote no rows leaves"
                    " its part: it holds no rows", level="warning"))
                continue
            if _real(file) not in seen:
                seen[_real(file)] = file
                sources.files.setdefault(file_format(file), []).append(file)
                if file != path:
                    sources.found_by[_real(file)] = text
            elif file == path:  # a file named again (./log.csv, its full path): its rows would count twice
                sources.problems.append(named_twice(file, seen[_real(file)], "--events"))
    for kind, files in sources.files.items() if distinct else ():
        sources.files[kind] = distinct_contents(files, "--events", sources.problems, {f for f in files if _real(f) in sources.found_by})
    _read_as_told(sources)
    return sources


def _read_as_told(sources: Sources) -> None:
    """Each text file of ``sources`` replaced by the UTF-8 copy the encoding in force reads (``--data-encoding``:
    :func:`~journeymap.data.encoding.transcoded`), found by its folder or glob as the file was; a file that cannot
    be read so is left out, with its error."""
    from ..encoding import gzip_checked, transcoded
    from ..table import _display

    for kind, files in sources.files.items():
        if kind == "parquet":
            continue
        read: list[Path] = []
        for file in files:
            checked, told = gzip_checked(file, _display(file))  # a damaged gzip: the text before the damage
            sources.problems += told
            if checked is None:
                continue
            copies, told = transcoded([checked], [_display(checked)])
            sources.problems += told
            for copy in copies:
                if copy != file and _real(file) in sources.found_by:
                    sources.found_by[_real(copy)] = sources.found_by[_real(file)]
                read.append(copy)
        sources.files[kind] = read


TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
"""The names of survey and metrics files a folder (or a glob's wildcard) gives: CSV and Parquet, a CSV gzipped too,
and workbooks (:mod:`journeymap.data.workbooks`)."""


def table_files(path: Path, option: str) -> tuple[list[Path], list[Problem]]:
    """The survey or metrics files that ``path`` (given to ``option``) names: itself; a folder's files and
    its folders', in name order (one file per week or per wave, as survey tools export them); a glob's
    matches. Hidden files and names starting with ``_`` are left out, as in a log's folder; other files
    the folder holds, or a wildcard stands for, are left out with a warning each."""
    text = str(path)
    problems: list[Problem] = []
    if path.is_dir():
        where = "the folder"
        entries = [(file, there) for file, parts, there in _walk(path, None, problems) if not _hidden(parts)]
        chosen = True
    elif any(c in text for c in "*?[") and not path.is_file():
        where = "the files the pattern matches"
        entries = _glob(text, problems)
        last = Path(text).name  # 'surveys/*' or 'surveys/wave-1.*' choose by name; 'surveys/*.xlsx' asks for those
        chosen = not Path(last).suffix or any(c in Path(last).suffix for c in "*?[")
    else:
        return [path], []
    files: list[Path] = []
    for file, there in entries:
        if not there:
            problems.append(Problem(Span(str(file)), "io", "a symbolic link that leads nowhere: not read",
                                    "point the link at the file, or remove it", level="warning"))
        elif file.name.startswith("~$"):
            # Excel's lock file beside a workbook open in it (~$answers.xlsx): a few bytes naming the user, no data
            problems.append(Problem(Span(str(file)), "io", f"left out of {where}: Excel's lock file of a workbook open"
                                    " in Excel (its name starts with ~$), which holds no data", level="warning"))
        elif not chosen or _table_name(file):
            files.append(file)
        else:
            *names, final = TABLE_SUFFIXES
            problems.append(Problem(Span(str(file)), "io", f"left out of {where}: not a CSV, Parquet or workbook file's name"
                                    f" ({', '.join(names)} or {final}; a CSV gzipped or not)",
                                    f"give the file to {option} by name to read it", level="warning"))
    if not files:
        problems.append(Problem(Span(text), "io", "the folder holds no CSV, Parquet or workbook files" if path.is_dir()
                                else "no file matches this pattern"))
    return sorted(files), problems


def _table_name(file: Path) -> bool:
    suffixes = [s.lower() for s in file.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in TABLE_SUFFIXES


def named_twice(file: Path, first: Path, option: str) -> Problem:
    """The warning for a file given twice, or by two names (a link to it): it is read once."""
    from .rows import shown

    same = "" if first.name == file.name else f" (as {shown(first.name)})"
    return Problem(Span(str(file)), "duplicate-file", f"{option} names this file twice{same}: it is read once", level="warning")


def _real(file: Path) -> Path:
    try:
        return file.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the name is all there is
        return file


def distinct_contents(files: list[Path], option: str, problems: list[Problem], found: Collection[Path] = ()) -> list[Path]:
    """The files without those whose content (decompressed) is an earlier file's: a copy, or a
    ``.gz`` of it, named beside it (``events.csv`` and ``events (1).csv`` in a downloads
    folder) would count every row twice. Only files of one content size (for a gzip, the size
    its trailer gives) are read to compare them. Files in different hive partitions
    (``segment=a/``, ``segment=b/``) are never the same: the folder is part of their rows. A
    file with no rows (empty, or a CSV header alone, as Spark writes empty parts) is kept.

    Of files with one content, the first named is read; among files ``found`` in a folder or by a
    glob, the one with the shortest name (``events.csv``, not ``events (1).csv``)."""
    import gzip
    import hashlib

    from .rows import shown

    def size(file: Path) -> int | None:
        try:
            if file.suffix.lower() != ".gz":
                return file.stat().st_size
            with open(file, "rb") as stream:
                stream.seek(-4, 2)
                return int.from_bytes(stream.read(4), "little")  # the content's size, modulo 2**32
        except OSError:
            return None

    def digest(file: Path) -> tuple[bytes, tuple[str, ...]] | None:
        try:
            with gzip.open(file, "rb") if file.suffix.lower() == ".gz" else open(file, "rb") as stream:
                head = stream.read(1 << 16)
                kind = file_format(file)
                if len(head) < 1 << 16 and (not head.strip() or kind == "csv" and b"\n" not in head.rstrip(b"\r\n")):
                    return None  # no rows: nothing, or a CSV header alone
                stream.seek(0)
                found = hashlib.file_digest(stream, "blake2b").digest()
        except (OSError, EOFError, ValueError):
            return None
        return found, tuple(part for part in file.parent.parts if "=" in part)

    sizes = [size(file) for file in files]
    shared = {n for n in sizes if n is not None and sizes.count(n) > 1}
    digests = {file: digest(file) for file, n in zip(files, sizes, strict=True) if n in shared}
    keeper: dict[tuple[bytes, tuple[str, ...]], Path] = {}
    order = {file: i for i, file in enumerate(files)}
    for file in sorted((f for f in files if digests.get(f) is not None),
                       key=lambda f: (1, len(f.name), str(f)) if f in found else (0, order[f], "")):
        if (same := digests[file]) is not None:
            keeper.setdefault(same, file)
    kept: list[Path] = []
    for file in files:
        if (same := digests.get(file)) is not None and keeper[same] != file:
            who = "the folder or pattern holds" if file in found else f"{option} names"
            problems.append(Problem(Span(str(file)), "duplicate-file",
                                    f"{who} a file with the same content as {shown(_name_beside(keeper[same], file))}"
                                    " (a copy of it, or its gzip): it is read once", level="warning"))
            continue
        kept.append(file)
    return kept


def _name_beside(first: Path, file: Path) -> str:
    """How a message about ``file`` names ``first``: by its name when both are in one folder, else by its path."""
    return first.name if first.parent == file.parent else str(first)
