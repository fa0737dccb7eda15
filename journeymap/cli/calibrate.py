"""journeymap calibrate JOURNEY --events LOG: write observed figures into the journey file."""

from __future__ import annotations

import argparse
import re
import sys

HELP = "write what customers actually did (flow shares, volumes, drop-off, times, survey metrics) into a journey file"

_EPILOG = """\
Without --write nothing is written: the change is printed as a unified diff (--diff, the default).
What was not written (too few customers, a declared flow nobody took, an undeclared flow, a part
defined through an alias or anchor) is listed on standard error as warnings.
exit codes: 0 done (diff printed or file written, warnings or not); 1 the journey or a data file
has errors (nothing written); 2 usage error; 3 internal error (the safety check refused the
result: the file was left as it is; please report it)."""

_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
#: Control and bidi characters: a data file's text must not drive the terminal.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """``text`` with control and bidi characters shown as escapes (``\\x1b``), for the terminal."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from . import DATA_HELP, add_column_arguments, add_engine_arguments

    parser.epilog = _EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("file", metavar="JOURNEY", help="a journey file")
    parser.add_argument(
        "--events", metavar="LOG", action="append", default=[], required=True,
        help=f"{DATA_HELP['events']}; may be repeated",
    )
    parser.add_argument(
        "--metrics", metavar="FILE", action="append", default=[],
        help=f"{DATA_HELP['metrics']}; may be repeated",
    )
    parser.add_argument(
        "--responses", metavar="FILE", action="append", default=[],
        help=f"{DATA_HELP['responses']}; may be repeated",
    )
    add_column_arguments(parser)
    add_engine_arguments(parser)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print the change as a unified diff; write nothing (the default)")
    mode.add_argument("--write", action="store_true", help="write the figures into the journey file (atomically)")
    parser.add_argument(
        "--add-flows", action="store_true",
        help="also add frequent flows the journey does not declare (taken by at least --min-customers customers)",
    )
    parser.add_argument(
        "--min-customers", metavar="N", type=int, default=None,
        help="do not write a figure measured on fewer customers (or survey answers) than N; it is reported instead (default 30)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary line")


def run(args: argparse.Namespace) -> int:
    import hashlib
    import os

    from ..calibrate import DEFAULT_MIN_CUSTOMERS, calibrate
    from ..files import read_bytes
    from ..fmt import EditConflict, EditError, UnsafeFormatError, edit_file
    from ..problems import JourneyError, format_problems
    from . import (
        EXIT_INTERNAL,
        EXIT_OK,
        EXIT_PROBLEMS,
        UsageError,
        check_data_paths,
        data_columns,
        engine_options,
        unified_diff,
    )

    check_data_paths([args.file], args.events, [*args.metrics, *args.responses])
    event_options = engine_options(args, data_columns(args))
    min_customers = DEFAULT_MIN_CUSTOMERS if args.min_customers is None else args.min_customers
    if min_customers < 0:
        raise UsageError("--min-customers must be 0 or more")
    # The file as calibrate is about to read it: the write below is refused if it changed since.
    read_hash = hashlib.sha256(read_bytes(args.file)).hexdigest()
    try:
        result, data_problems = calibrate(
            args.file,
            events=args.events,
            metrics=args.metrics,
            responses=args.responses,
            add_flows=args.add_flows,
            min_customers=min_customers,
            engine=args.engine,
            event_options=event_options,
        )
    except JourneyError as exc:
        sys.stderr.write(inert(format_problems(exc.problems)))
        print(f"calibrate: {inert(args.file)} was not changed: fix the errors above first", file=sys.stderr)
        return EXIT_PROBLEMS
    except UnsafeFormatError as exc:
        print(inert(str(exc.problem)), file=sys.stderr)
        return EXIT_INTERNAL
    # The undeclared flows come again, with what calibrate did about them, among the flags.
    shown = [p for p in data_problems if p.code != "undeclared-flow"]
    sys.stderr.write(inert(format_problems(shown + result.flags)))
    if args.write:
        if result.changed:
            # The one door every journey edit goes through: hash check, validation, atomic write.
            try:
                edit_file(os.path.realpath(args.file), lambda _: result.text, expected_hash=read_hash, name=result.name,
                          to_fill=True)
            except EditConflict:
                print(
                    f"calibrate: {inert(result.name)} changed on disk while calibrate read it; nothing was written: run it again",
                    file=sys.stderr,
                )
                return EXIT_PROBLEMS
            except EditError as exc:
                sys.stderr.write(inert(format_problems(exc.problems)))
                print(f"calibrate: {inert(result.name)} was not changed: the calibrated file would not load", file=sys.stderr)
                return EXIT_PROBLEMS
    else:
        sys.stdout.writelines(unified_diff(_LINE.findall(result.original), _LINE.findall(result.text), result.name))
    if not args.quiet:
        n = len(result.changes)
        verb = ("changed" if args.write else "would change") if n else "to change"
        summary = f"calibrate: {n if n else 'no'} figure{'s' * (n != 1)} {verb} in {result.name}"
        warned = len(result.flags) + sum(1 for p in shown if not p.is_error)  # the readers' too: every line above
        if warned:
            summary += f", {warned} warning{'s' * (warned != 1)} (not written or worth a look)"
        for note in result.notes:
            print(inert(f"calibrate: {note}"), file=sys.stderr)
        print(inert(summary), file=sys.stderr)
    return EXIT_OK
