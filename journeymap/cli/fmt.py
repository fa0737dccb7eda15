"""journeymap fmt PATH...: rewrite journey files in the canonical layout, every comment kept."""

from __future__ import annotations

import argparse
import re
import sys

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")

HELP = "lay journey files out the canonical way (key order, indentation), keeping every comment"

_EPILOG = """\
exit codes: 0 done (or, with --check, nothing to change); 1 a file would change (--check)
or could not be read as YAML; 2 usage error; 3 internal error (the safety check refused
a result: the file was left as it is; please report it).
Use '-' as PATH to format standard input to standard output."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="journey files, or folders to search for *.yaml files declaring 'journeymap:'; '-' for standard input",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; list the files that would change and exit 1 if any")
    parser.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of the changes")
    parser.add_argument(
        "--journeys-only",
        action="store_true",
        help="skip named files that do not declare 'journeymap:' (for pre-commit, which passes every YAML file)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary line")


def run(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from ..files import out_of_memory as out_of_memory_message
    from ..files import ran_out_of_memory, read_bytes, write_atomic
    from ..fmt import FormatError, UnsafeFormatError, format_text
    from ..loader import declares_journeymap, display_name, find_journey_files
    from ..problems import visible
    from ..yamlio import decode
    from . import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, UsageError, unified_diff

    use_stdin = "-" in args.paths
    paths = [p for p in args.paths if p != "-"]
    for path in paths:
        if not Path(path).exists():
            raise UsageError(f"no such file or folder: {path}")
    files: list[Path | None] = list(find_journey_files(paths))
    if args.journeys_only:
        files = [f for f in files if f is not None and declares_journeymap(f)]
    elif not files and not use_stdin:
        raise UsageError("no journey files found (a journey file is *.yaml declaring 'journeymap:')")
    if use_stdin:
        files.append(None)

    changed: list[str] = []
    unchanged = failed = broken = 0
    for file in files:
        name = "<stdin>" if file is None else visible(display_name(file))
        try:
            raw = sys.stdin.buffer.read() if file is None else read_bytes(file)
        except OSError as exc:  # a folder, a device or a pipe, no permission
            print(f"{name}: error: cannot read the file: {exc.strerror or exc}", file=sys.stderr)
            failed += 1
            continue
        text, problems = decode(raw, name)
        formatted = None
        bug: str | None = None
        out_of_memory = False
        try:
            if text is not None:
                formatted = format_text(text, filename=name)
        except FormatError as exc:
            problems = exc.problems
        except UnsafeFormatError as exc:
            print(exc.problem, file=sys.stderr)
            broken += 1
            continue
        except Exception as exc:  # told apart below, once its traceback is let go
            if ran_out_of_memory(exc):
                out_of_memory = True
            else:
                if os.environ.get("JOURNEYMAP_DEBUG"):
                    raise
                bug = f"{type(exc).__name__}: {visible(str(exc))}"
        if out_of_memory:
            # Not the safety check's verdict: the file is too big for the memory there is. Said
            # outside the except block, when the failed work's memory has been given back.
            text = formatted = raw = None
            print(f"{name}: error: {out_of_memory_message([file])} (the file was left as it is)", file=sys.stderr)
            failed += 1
            continue
        if bug is not None:  # a bug: say which file, go on with the others
            print(f"{name}: internal error: {bug} (the file was left as it is)", file=sys.stderr)
            broken += 1
            continue
        if out_of_memory:
            from ..files import out_of_memory as out_of_memory_message

            print(f"{name}: error: {out_of_memory_message([file])} (the file was left as it is)", file=sys.stderr)
            failed += 1
            continue
        if formatted is None:
            for problem in problems:
                print(problem, file=sys.stderr)
            failed += 1
            continue
        if formatted.encode("utf-8") == raw:
            unchanged += 1
            if file is None and not (args.check or args.diff):
                sys.stdout.write(formatted)
            continue
        changed.append(name)
        why = _why_rewritten(raw)
        if args.diff:
            sys.stdout.writelines(unified_diff(_lines(text) if text is not None else [], _lines(formatted), name))
            if why:
                print(f"{name}: {why}", file=sys.stderr)
        elif args.check:
            print(f"would reformat {name}" + (f" ({why})" if why else ""))
        elif file is None:
            sys.stdout.write(formatted)
        else:
            write_atomic(os.path.realpath(file), formatted)
            print(f"reformatted {name}" + (f" ({why})" if why else ""))

    if not args.quiet and files != [None]:
        verb = "would be reformatted" if args.check or args.diff else "reformatted"
        summary = [f"{len(changed)} file{'s' * (len(changed) != 1)} {verb}", f"{unchanged} unchanged"]
        if failed:
            summary.append(f"{failed} not YAML or not readable")
        if broken:
            summary.append(f"{broken} refused by the safety check")
        print("fmt: " + ", ".join(summary), file=sys.stderr)
    if broken:
        return EXIT_INTERNAL
    if failed or (args.check and changed):
        return EXIT_PROBLEMS
    return EXIT_OK


def _why_rewritten(raw: bytes) -> str:
    """What fmt changes besides the layout: the encoding (always UTF-8) and JSON style (block style)."""
    from ..sniff import encoding_name, sniff

    found = sniff(raw)
    why = []
    if found.encoding == "utf-8-sig":
        why.append("byte-order mark dropped")
    elif found.encoding != "utf-8":
        why.append(f"{encoding_name(found.encoding)} -> UTF-8")
    if found.style == "flow":
        why.append("JSON style -> block style")
    return ", ".join(why)


def _lines(text: str) -> list[str]:
    """Lines with their ends, split at CR LF, CR or LF only: str.splitlines also splits at U+2028,
    NEL and form feeds, which stay inside a value here."""
    return _LINE.findall(text)
