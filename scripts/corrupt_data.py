"""A corruption harness for survey responses and metrics tables: the sample data files, broken the ways copies,
downloads and exports break them, read on both engines.

    PYTHONPATH=. .venv/bin/python scripts/corrupt_data.py [--seed N] [--cuts N] [--encoding windows-1252] [--events] [--show]

Each case is one sample file (sample_journeys/data: the grocery journey's responses, survey, metrics and history
tables), one corruption and one engine. It counts the cases where reading raised (a traceback), told a problem
without a line (a place-less problem), said nothing of a corruption that always breaks a row (silent), read fewer rows of a file
cut short than its whole lines before the cut hold (rows lost), and where the two engines told different problems
(code, line, column, level) or different values. Deterministic for a seed. ``--events`` breaks the sample event log
(events.csv) the same ways instead.
"""

from __future__ import annotations

import argparse
import gzip
import random
import struct
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "sample_journeys" / "data"
JOURNEY = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
FILES = {  # file -> the option it is given as
    "grocery-first-order.responses.csv": "responses",
    "grocery-first-order.survey.csv": "responses",
    "grocery-first-order.metrics.csv": "metrics",
    "grocery-first-order.history.csv": "metrics",
}
ENGINES = ("duckdb", "python")

KEEP_EVERY_ROW = frozenset({"mixed-line-ends", "nul-padding", "gzip-claims-2gb", "gzip-trailing-junk", "gzip-trailing-nuls"})
"""Corruptions after which every row of the file is still whole, and read."""

Mutation = tuple[str, str, bytes, bool]
"""(the corruption's name, the file's suffix, its bytes, whether a reader must say something of it)."""


def _lines(raw: bytes) -> list[bytes]:
    return raw.splitlines(keepends=True)


def mutations(raw: bytes, rng: random.Random, cuts: int) -> Iterator[Mutation]:
    """Every corruption of one file's bytes ``raw``."""
    lines = _lines(raw)
    middle = len(lines) // 2
    for k in range(cuts):  # a download or a copy stopped at a random byte
        at = rng.randrange(1, len(raw))
        yield f"cut-{k}@{at}", ".csv", raw[:at], False
    for k in range(2):
        at = rng.randrange(1, len(lines))
        yield f"bom-mid-{k}@line{at + 1}", ".csv", b"".join(lines[:at] + [b"\xef\xbb\xbf" + lines[at]] + lines[at + 1:]), True
    mixed = b"".join(line.rstrip(b"\r\n") + (b"\r\n", b"\r", b"\n")[i % 3] for i, line in enumerate(lines))
    yield "mixed-line-ends", ".csv", mixed, False
    yield "header-repeated", ".csv", b"".join(lines[:middle] + [lines[0]] + lines[middle:]), True
    line = lines[middle]
    yield "nul-in-a-row", ".csv", b"".join(lines[:middle] + [line[:5] + b"\x00" + line[5:]] + lines[middle + 1:]), True
    yield "nul-run-mid", ".csv", b"".join(lines[:middle] + [b"\x00" * 4096] + lines[middle:]), True
    yield "nul-padding", ".csv", raw + b"\x00" * 1000, True
    yield "extra-cell", ".csv", b"".join(lines[:middle] + [line.rstrip(b"\r\n") + b",extra\n"] + lines[middle + 1:]), True
    yield "short-row", ".csv", b"".join(lines[:middle] + [line.split(b",", 1)[0] + b"\n"] + lines[middle + 1:]), True
    wider = [row.rstrip(b"\r\n") + b",x\n" for row in lines[middle:]]
    yield "columns-grow-mid", ".csv", b"".join(lines[:middle] + wider), True
    packed = gzip.compress(raw, mtime=0)
    claimed = packed[:-4] + struct.pack("<I", 0x80000000)  # its trailer claims 2 GB decompressed
    yield "gzip-claims-2gb", ".csv.gz", claimed, True
    extra = packed[:3] + bytes([packed[3] | 4]) + packed[4:10] + struct.pack("<H", 0xFFFF) + packed[10:]  # FEXTRA of 64 KiB, absent
    yield "gzip-header-extra-64k", ".csv.gz", extra, True
    yield "gzip-empty", ".csv.gz", gzip.compress(b"", mtime=0), True
    yield "gzip-zero-bytes", ".csv.gz", b"", True
    for k in range(2):
        yield f"gzip-cut-{k}", ".csv.gz", packed[: rng.randrange(12, len(packed) - 1)], True
    yield "gzip-trailing-junk", ".csv.gz", packed + b"<html>404</html>", True
    yield "gzip-trailing-nuls", ".csv.gz", packed + b"\x00" * 100, True
    header = lines[0].rstrip(b"\r\n").split(b",")
    if b"period" in header:
        column = header.index(b"period")
        for name, label in (("latin1-period", "T3 2026 \u00e9t\u00e9".encode("latin-1")),
                            ("cp1252-period", "M\u00e4r 2026".encode("cp1252"))):
            bad = lines[:middle]
            cells = lines[middle].rstrip(b"\r\n").split(b",")
            cells[column] = label
            yield name, ".csv", b"".join([*bad, b",".join(cells) + b"\n", *lines[middle + 1:]]), True
    else:  # a date column's cell in Windows-1252
        column = header.index(b"date") if b"date" in header else len(header) - 1
        cells = lines[middle].rstrip(b"\r\n").split(b",")
        cells[column] = "1 M\u00e4rz 2026".encode("cp1252")
        yield "cp1252-date", ".csv", b"".join([*lines[:middle], b",".join(cells) + b"\n", *lines[middle + 1:]]), True


def _rows(values: dict[str, object]) -> int:
    """What a reading counted, over every touchpoint and metric: its answers (a metrics table's n), or its periods."""
    return sum(max(n or 0, periods) for _value, n, periods in values.values())  # type: ignore[misc]


def _whole_lines(data: bytes, suffix: str) -> bytes:
    """The whole lines before the cut of a file cut short (a gzip's: of the text it holds)."""
    if suffix.endswith(".gz"):
        import zlib

        data = zlib.decompressobj(31).decompress(data)
    return data[: data.rfind(b"\n") + 1]


ENCODING: str | None = None
"""The encoding the files are read as (``--encoding``), None for UTF-8."""


def read(journey: object, option: str, path: Path, engine: str) -> tuple[list[tuple[object, ...]], dict[str, object]]:
    from journeymap.data import load_metric_data
    from journeymap.data.engines import EngineOptions

    options = EngineOptions(encoding=ENCODING) if ENCODING else None
    data = load_metric_data(journey, engine=engine, event_options=options, **{option: path})  # type: ignore[arg-type]
    told = [(p.code, p.span.line, p.span.col, p.level) for p in data.problems]
    values = {f"{tp}/{m}": (round(v.value, 6) if isinstance(v.value, float) else v.value, v.n, len(v.series or ()))
              for (tp, m), v in sorted(data.points.items())}
    return told, values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--cuts", type=int, default=6)
    parser.add_argument("--show", action="store_true", help="print each case that counts")
    parser.add_argument("--encoding", help="read the files as this encoding (--data-encoding), windows-1252")
    parser.add_argument("--events", action="store_true", help="break the sample event log instead (events.csv)")
    args = parser.parse_args(argv)
    global ENCODING
    ENCODING = args.encoding
    from journeymap.loader import load

    journey = load(JOURNEY)
    counts: Counter[str] = Counter()
    shown: list[str] = []
    with tempfile.TemporaryDirectory(prefix="journeymap-corrupt-") as scratch:
        for file, option in ({"grocery-first-order.events.csv": "events"} if args.events else FILES).items():
            raw = (DATA / file).read_bytes()
            rng = random.Random(f"{args.seed}:{file}")
            for name, suffix, data, must_tell in mutations(raw, rng, args.cuts):
                must_tell = must_tell and not (ENCODING and name.startswith(("cp1252-", "latin1-")))  # then it is text
                path = Path(scratch) / (file.removesuffix(".csv") + "." + name.split("@")[0] + suffix)
                path.write_bytes(data)
                results: dict[str, tuple[list[tuple[object, ...]], dict[str, object]]] = {}
                for engine in ENGINES:
                    counts["cases"] += 1
                    case = f"{file} {name} {engine}"
                    try:
                        results[engine] = read(journey, option, path, engine)
                    except Exception as exc:  # noqa: BLE001  (what the harness counts)
                        counts["tracebacks"] += 1
                        shown.append(f"TRACEBACK {case}: {type(exc).__name__}: {exc}"[:300])
                        if args.show:
                            traceback.print_exc()
                        continue
                    told = results[engine][0]
                    placeless = [t for t in told if not t[1]]
                    if placeless:
                        counts["place-less"] += 1
                        shown.append(f"PLACE-LESS {case}: {placeless}")
                    if must_tell and not told:
                        counts["silent"] += 1
                        shown.append(f"SILENT {case}")
                    if "cut" in name or name in KEEP_EVERY_ROW:  # the rows of its whole lines are read
                        whole = path.with_name("whole-" + path.name.removesuffix(".gz"))
                        whole.write_bytes(raw if name in KEEP_EVERY_ROW else _whole_lines(data, suffix))
                        try:
                            expected = _rows(read(journey, option, whole, engine)[1])
                        except Exception:  # noqa: BLE001
                            expected = 0
                        if (got := _rows(results[engine][1])) < expected:
                            counts["rows-lost"] += 1
                            shown.append(f"ROWS-LOST {case}: {got} of {expected}")
                if len(results) == 2 and results["duckdb"] != results["python"]:
                    counts["engines-differ"] += 1
                    only = [set(results[e][0]) - set(results[o][0]) for e, o in (("duckdb", "python"), ("python", "duckdb"))]
                    shown.append(f"DIFFER {file} {name}: duckdb only {sorted(map(str, only[0]))[:4]}, python only"
                                 f" {sorted(map(str, only[1]))[:4]}" + ("" if any(only) else ", values"))
    if args.show:
        print("\n".join(shown))
    print(", ".join(f"{key} {counts[key]}" for key in ("cases", "tracebacks", "place-less", "silent", "rows-lost",
                                                            "engines-differ")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
