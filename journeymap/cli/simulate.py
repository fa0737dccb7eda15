"""journeymap simulate JOURNEY: a made-up event log that walks the journey, with planted deviations."""

from __future__ import annotations

import argparse
import sys

HELP = "write a made-up event log (deterministic, seeded) that walks a journey, with planted deviations"


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="JOURNEY", help="a journey file")
    parser.add_argument("-o", "--output", metavar="LOG", required=True, help="the log to write: .csv, .csv.gz or .parquet")
    parser.add_argument("--customers", type=int, default=10_000, help="customers to walk (default: 10000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0); same seed, same bytes")
    parser.add_argument("--ad-hoc", type=_share, default=0.02, metavar="SHARE", help="customers with an ad hoc visit (default: 0.02)")
    parser.add_argument("--out-of-sequence", type=_share, default=0.03, metavar="SHARE", help="customers with a visit out of sequence (default: 0.03)")
    parser.add_argument("--missing", type=_share, default=0.02, metavar="SHARE", help="customers who skip a step (default: 0.02)")
    parser.add_argument("--repeats", type=_share, default=0.05, metavar="SHARE", help="visits logged twice (default: 0.05)")
    parser.add_argument("--days", type=int, default=28, help="days over which customers start (default: 28, from 2026-09-01)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..loader import check
    from ..problems import format_problems
    from . import UsageError

    if not Path(args.file).is_file():
        raise UsageError(f"no such file: {args.file}")
    if args.customers < 0 or args.days < 1:
        raise UsageError("--customers must be 0 or more and --days 1 or more")
    if not 0 <= args.seed < 2**63:  # numpy's seeds; a negative one was an internal error
        raise UsageError("--seed must be a whole number from 0 to 2**63 - 1")
    folder = Path(args.output).parent
    if not folder.is_dir():  # checked before the walk (it failed after, moving the written log there)
        raise UsageError(f"{args.output}: no such folder: {folder}")
    if args.ad_hoc + args.out_of_sequence + args.missing > 1:
        raise UsageError("--ad-hoc, --out-of-sequence and --missing add up to more than 1")
    suffixes = "".join(Path(args.output).suffixes[-2:]).lower()
    if not suffixes.endswith((".csv", ".csv.gz", ".parquet")):
        raise UsageError(f"{args.output}: the log must end in .csv, .csv.gz or .parquet")
    try:
        import duckdb  # noqa: F401
    except ImportError:
        raise UsageError("simulate writes the log with DuckDB: pip install 'journeymap[duckdb]'") from None
    result = check(args.file)
    sys.stderr.write(format_problems(result.problems))
    if result.journey is None:
        return 1
    import duckdb

    from ..data.simulate import simulate
    from ..files import CannotWrite

    try:
        done = simulate(
            result.journey, args.output, customers=args.customers, seed=args.seed, ad_hoc=args.ad_hoc,
            out_of_sequence=args.out_of_sequence, missing=args.missing, repeats=args.repeats, days=args.days,
        )
    except OSError as exc:  # a full disk, a read-only folder: not a bug (it was 'internal error', exit 3)
        raise CannotWrite(Path(args.output), (exc.strerror or str(exc)).lower()) from exc
    except duckdb.IOException as exc:  # DuckDB writing the parts: its message is a JSON of the OS error
        raise CannotWrite(Path(args.output), _io_reason(str(exc))) from exc
    sys.stderr.write(format_problems(done.problems))
    planted = ", ".join(f"{n:,} {k.replace('_', ' ')}" for k, n in done.planted.items())
    print(f"{args.output}: {done.rows:,} event{'s' * (done.rows != 1)}, {done.customers:,}"
          f" customer{'s' * (done.customers != 1)}; planted: {planted}", file=sys.stderr)
    return 0


def _io_reason(message: str) -> str:
    """What the OS said in a DuckDB IO error (``..."errno":"28"}``: 'no space left on device')."""
    import os
    import re

    found = re.search(r'"errno"\s*:\s*"?(\d+)', message)
    if found:
        return os.strerror(int(found.group(1))).lower()
    lines = message.strip().splitlines()
    return lines[0] if lines else "an I/O error"
