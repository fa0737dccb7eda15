"""What the user named as a log: files, globs and folders, resolved to files by format.

A folder is read with everything under it (hive-partitioned folders such as
``date=2026-10-01/`` included); a glob is expanded here, so that a glob that
matches nothing is a clear problem rather than an engine error.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...problems import Problem, Span

FORMATS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".gz": "csv",
    ".parquet": "parquet", ".pq": "parquet",
    ".jsonl": "json", ".ndjson": "json", ".json": "json",
}


def file_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".gz"] and len(suffixes) > 1:
        return FORMATS.get(suffixes[-2], "csv")
    return FORMATS.get(suffixes[-1] if suffixes else "", "csv")


@dataclass
class Sources:
    """Files by format, in a stable order; problems for names that gave no file."""

    files: dict[str, list[Path]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def resolve(paths: Sequence[Path]) -> Sources:
    sources = Sources()
    for path in paths:
        text = str(path)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS and not p.name.startswith((".", "_")))
            if not found:
                sources.problems.append(Problem(Span(text), "io", "the folder holds no .csv, .parquet or .jsonl files"))
        elif any(c in text for c in "*?["):
            found = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not found:
                sources.problems.append(Problem(Span(text), "io", "no file matches this pattern"))
        elif path.is_file():
            found = [path]
        elif path.exists():
            sources.problems.append(Problem(Span(text), "io", "not a regular file"))
            found = []
        else:
            sources.problems.append(Problem(Span(text), "io", "file not found"))
            found = []
        for file in found:
            sources.files.setdefault(file_format(file), [])
            if file not in sources.files[file_format(file)]:
                sources.files[file_format(file)].append(file)
    return sources
