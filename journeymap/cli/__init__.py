"""The command line: the only place that parses arguments, prints and exits.

Each command is a module in this package with ``HELP``, ``add_arguments(parser)``
and ``run(args) -> int``. Command modules import only argparse-level things at
the top, so that ``journeymap --help`` and a cold ``journeymap validate`` stay
fast; the work they call into is imported inside ``run``.

Exit codes: 0 success, 1 the files have problems, 2 usage error (unknown option,
missing file), 3 internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..data.engines import EngineOptions
    from ..problems import Problem

#: Command name -> module in this package, in the order ``--help`` lists them.
COMMANDS = ["init", "validate", "report", "render", "diff", "calibrate", "whatif", "simulate", "fmt", "lint", "schema", "site", "serve"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class UsageError(Exception):
    """A mistake in how the command was called (exit 2)."""


def check_data_paths(files: Sequence[str], events: Sequence[str], tables: Sequence[str] = ()) -> None:
    """A UsageError for a journey (``files``) or a data file that is not there. A survey or metrics
    file (``tables``) may also be a folder or a glob (what it holds is checked as it is read); an event
    log a folder, a glob or a remote path (``s3a://``, ``hdfs://``: Spark reads it as it is)."""
    from pathlib import Path

    for path in [*files, *tables, *events]:
        if not path.strip():  # --events "$LOG" with LOG unset read every log below the current folder
            raise UsageError("an empty path was given (an unset shell variable?): nothing is read")
    wrong: list[str] = []  # every path at once: one was told a run, each after the other
    for path in files:
        if not Path(path).is_file():
            wrong.append(f"{path} is a folder: give a journey file" if Path(path).is_dir() else f"no such file: {path}")
    for path in tables:
        if not Path(path).exists() and not any(c in path for c in "*?["):
            wrong.append(f"no such file: {path}")
    for path in events:
        if not Path(path).exists() and not any(c in path for c in "*?[") and "://" not in path:
            wrong.append(f"no such file or folder: {path}")
    if wrong:
        raise UsageError("; ".join(wrong))


def check_output(output: str | None, inputs: Iterable[str]) -> None:
    """A UsageError when ``-o FILE`` is one of the files the command reads (the same path, another
    name of it, a link to it): ``journeymap diff old.yaml new.yaml -o new.yaml`` replaced the journey
    with the diff's text."""
    if not output:
        return
    for path in inputs:
        try:
            same = os.path.samefile(output, path)
        except (OSError, ValueError):  # not there (yet), a glob, a remote path
            continue
        if same:
            raise UsageError(f"-o {output} is {path}, which this command reads: it would be overwritten;"
                             " write the output to another file")


def check_not_a_journey(output: str | None, what: str) -> None:
    """A UsageError when ``-o FILE`` is a journey or library file: ``diff --git main -o j.journey.yaml``
    (or ``-o`` a file the journeys import) replaced it with the diff's text, uncommitted edits and all;
    ``schema -o j.journey.yaml`` with the schema."""
    from .. import sniff

    if not output or not output.endswith((".yaml", ".yml")) or not os.path.isfile(output):  # False for a path too long
        return
    try:
        with open(output, "rb") as f:
            raw = f.read()
    except OSError:
        return
    if sniff.declares_journeymap(raw):
        raise UsageError(f"-o {output} is a journeymap file (it declares 'journeymap:'): it would be overwritten"
                         f" with {what}; write the output to another file")


def persona_written(
    given: str | None, personas: Mapping[str, Any], command: str | None = None, noted: set[str] | None = None
) -> str | None:
    """The persona id ``given`` on the command line stands for, as a data file's persona column is
    read: itself, the one id it matches in other capitals (``Busy-Parent``) or spells with spaces or
    underscores, or its name (``Busy parent``); or the one whose id or name it writes in the plural
    (``busy-parents``), said on standard error when ``command`` is given (once per id when the
    caller resolves it for several journeys with one ``noted`` set). Else ``given`` (unknown: the
    caller's usage error says so)."""
    if given is None or given in personas:
        return given
    same = [i for i in personas if i.casefold() == given.casefold()]
    if len(same) == 1:
        return same[0]
    from ..data.responses import persona_named_in, persona_plural_in
    from ..problems import visible

    if (named := persona_named_in(given, personas)) is not None:
        return named
    if (plural := persona_plural_in(given, personas)) is not None:
        if command is not None and (noted is None or plural not in noted):
            if noted is not None:
                noted.add(plural)
            print(
                f"journeymap {command}: note: --persona '{visible(given)}' is read as persona '{plural}',"
                f" the plural of its id (write --persona {plural})",
                file=sys.stderr,
            )
        return plural
    return given


DATA_HELP = {
    "metrics": "metrics table (CSV or Parquet): touchpoint,metric,value and optional n, period or date, sd,"
    " promoters, detractors, persona (or segment); a file, a folder of them or a glob",
    "responses": "raw survey answers (CSV or Parquet): touchpoint,metric,score and optional respondent, date,"
    " period, persona (or segment), comment, status (Qualtrics'); a file, a folder of them or a glob",
    "events": "event log: customer,timestamp,touchpoint and optional outcome, segment or persona; a CSV, Parquet or"
    " JSON-lines file, a glob or a folder",
}
"""What each data option reads, the same words in every command's help (report, render, calibrate, diff)."""


def add_column_arguments(parser: argparse.ArgumentParser) -> None:
    """``--events-column``, ``--responses-column`` and ``--metrics-column``: a data file's own column names."""
    for option, dest, what, example in (
        ("--events-column", "events_columns", "the event log's", "customer=user_pseudo_id"),
        ("--responses-column", "responses_columns", "the survey responses'", "score=rating"),
        ("--metrics-column", "metrics_columns", "the metrics tables'", "value=score"),
    ):
        parser.add_argument(
            option, metavar="NAME=COLUMN", action="append", default=[], dest=dest,
            help=f"read {what} COLUMN as journeymap's column NAME, e.g. {example}; may be repeated",
        )
    parser.add_argument(
        "--events-time-zone", metavar="ZONE", default=None,
        help="read the event log's dates and times written without a zone as local time in ZONE, an IANA name"
        " (Europe/Paris, America/New_York), not as UTC; times with an offset or Z and numbers since 1970 are read as written",
    )
    parser.add_argument(
        "--data-encoding", metavar="ENC", default=None, dest="data_encoding",
        help="the encoding of every data file when it is not UTF-8: windows-1252 (Excel's 'CSV' on Windows),"
        " mac-roman (Excel for Mac's 'CSV (Macintosh)'), latin-1, iso-8859-15, utf-16 or another of Python's"
        " (default: UTF-8, or UTF-16 with a byte-order mark)",
    )


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """``--engine``, ``--spark-master`` and ``--spark-remote``, the same for every command that reads data
    files (report, render, calibrate, diff): the map, the calibration and the diff could not be checked
    against the reference engine, nor read a log too big for one machine."""
    parser.add_argument(
        "--engine", choices=["duckdb", "spark", "python"], default=None,
        help="what reads the event log, and (duckdb or python) the survey and metric files"
        " (default: duckdb when installed, else python; survey and metric files under 1 MiB row by row)",
    )
    parser.add_argument("--spark-master", metavar="URL", help="Spark master (default: local[2])")
    parser.add_argument("--spark-remote", metavar="URL", help="Spark Connect server, sc://host:port")


def engine_options(args: argparse.Namespace, options: EngineOptions) -> EngineOptions:
    """``options`` with the Spark master or server of ``args``; a UsageError for an engine option that
    does not fit the data files given, or an engine whose package is not installed."""
    import dataclasses

    events = getattr(args, "events", None)
    if (args.engine == "spark" or args.spark_master or args.spark_remote) and not events:
        raise UsageError("--engine spark and --spark-* need an event log (--events LOG)")
    if args.engine and not (events or getattr(args, "responses", None) or getattr(args, "metrics", None)):
        raise UsageError("--engine needs data files: an event log, survey answers or a metrics table")
    if (args.spark_master or args.spark_remote) and args.engine != "spark":
        raise UsageError("--spark-master and --spark-remote go with --engine spark")
    if events:
        from ..data.engines import get_engine

        try:
            get_engine(args.engine)
        except ImportError as exc:
            raise UsageError(str(exc)) from None
    return dataclasses.replace(options, spark_master=args.spark_master, spark_remote=args.spark_remote)


PERIODS = ("day", "week", "month", "quarter")
"""``--period``'s choices: :data:`journeymap.data.responses.PERIODS`, written here so that building
the parser (every command's, at each start) does not import the data readers."""


def add_period_argument(parser: argparse.ArgumentParser) -> None:
    """``--period``, the same for every command that reads dated data (report, render)."""
    parser.add_argument(
        "--period", choices=PERIODS, default=None,
        help="bucket dated survey answers (each metric gets a series and a trend) and the event log's"
        " customers (planned vs actual by the period of their first event) into days, ISO weeks, months or quarters",
    )


def data_columns(args: argparse.Namespace) -> EngineOptions:
    """The ``--*-column`` pairs of ``args`` as :class:`~journeymap.data.engines.EngineOptions`
    (a UsageError for a bad one, or for one without its data files)."""
    from ..data import metrics_table, responses
    from ..data.engines import EngineOptions
    from ..data.engines.rows import parse_columns

    found: dict[str, tuple[tuple[str, str], ...]] = {}
    for option, dest, files, field, known in (
        ("--events-column", "events_columns", "events", "columns", ()),
        ("--responses-column", "responses_columns", "responses", "response_columns", (*responses.REQUIRED, *responses.OPTIONAL)),
        ("--metrics-column", "metrics_columns", "metrics", "metric_columns", (*metrics_table.REQUIRED, *metrics_table.OPTIONAL)),
    ):
        specs = getattr(args, dest, [])
        if not specs:
            continue
        if not getattr(args, files):
            what = {"events": "an event log (--events LOG)", "responses": "survey responses (--responses FILE)",
                    "metrics": "a metrics table (--metrics FILE)"}[files]
            raise UsageError(f"{option} needs {what}")
        try:
            found[field] = tuple(parse_columns(specs, known).items())
        except ValueError as exc:
            raise UsageError(f"{option}: {exc}") from None
    zone = getattr(args, "events_time_zone", None)
    if zone is not None:
        from ..data.engines.rows import time_zone

        if not getattr(args, "events", None):
            raise UsageError("--events-time-zone needs an event log (--events LOG)")
        try:
            zone = time_zone(zone).key
        except ValueError as exc:
            raise UsageError(f"--events-time-zone: {exc}") from None
    return EngineOptions(**found, events_time_zone=zone, encoding=data_encoding(args))  # type: ignore[arg-type]  # the keys are its tuple fields


def data_encoding(args: argparse.Namespace) -> str | None:
    """``--data-encoding`` of ``args``, checked (a UsageError for an unknown encoding, with a guess, or for one
    without data files)."""
    given = getattr(args, "data_encoding", None)
    if given is None:
        return None
    if not any(getattr(args, files, None) for files in ("events", "responses", "metrics")):
        raise UsageError("--data-encoding needs data files: an event log, survey answers or a metrics table")
    from ..data.encoding import codec_of

    try:
        codec_of(given)
    except ValueError as exc:
        raise UsageError(f"--data-encoding: {exc}") from None
    return str(given)


def unified_diff(old: Sequence[str], new: Sequence[str], name: str) -> list[str]:
    """A unified diff of two files' lines (each with its own end) for the terminal, as ``patch`` and
    ``git apply`` read it: a last line without a line end is followed by ``\\ No newline at end of
    file`` (without it the next line was glued to it, and the diff was a malformed patch), and a bidi
    control, NEL or line separator written raw in the file is shown escaped (``visible_output``)."""
    import difflib

    from ..problems import visible_output

    out = []
    for line in difflib.unified_diff(old, new, fromfile=name, tofile=name):
        body = line.rstrip("\r\n")
        out.append(visible_output(body) + line[len(body) :])
        if body == line:
            out.append("\n\\ No newline at end of file\n")
    return out


def print_problems(problems: Sequence[Problem], files: int, args: argparse.Namespace) -> int:
    """Print problems in ``args.format`` (and a summary line on stderr for text); return the exit code.

    Exit 1 when there are errors, or warnings with ``args.strict``; else 0.
    """
    from ..problems import format_problems

    sys.stdout.write(format_problems(problems, args.format))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    failed = bool(errors or (args.strict and warnings))
    if not args.quiet and args.format == "text":
        print(
            f"{'failed' if failed else 'ok'}: {files} file{'s' * (files != 1)}, "
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS if failed else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="journeymap",
        description="Customer journeys as code: validate, analyse, render and diff journey YAML files.",
    )
    parser.add_argument("--version", action="version", version=f"journeymap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f".{name}", __name__)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run, parser=command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # journeymap uses no pydantic plugins; looking them up scans every installed
    # distribution's entry points on the first model validation.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if _closed_streams():
        print("journeymap: error: standard output is closed (>&-): nothing was done; to throw the output away,"
              " send it to /dev/null (> /dev/null)", file=sys.stderr)
        return EXIT_USAGE
    _utf8_output()
    words = list(sys.argv[1:] if argv is None else argv)
    if words and not words[0].startswith("-") and words[0] not in COMMANDS:
        from ..problems import did_you_mean, visible

        hint = did_you_mean(words[0], COMMANDS) or "commands: " + ", ".join(COMMANDS)
        print(visible(f"journeymap: error: unknown command '{words[0]}' ({hint})"), file=sys.stderr)
        return EXIT_USAGE
    parser = build_parser()
    told_dash = _dash_values(parser, words) or _dash_files(parser, words)
    if told_dash:
        print(told_dash, file=sys.stderr)
        return EXIT_USAGE
    args, unknown = parser.parse_known_args(words)
    if unknown:
        # Say it with the command's own usage line, not the top-level one.
        from ..problems import did_you_mean, visible

        told = f"unrecognized arguments: {visible(' '.join(unknown))}"
        command = getattr(args, "parser", parser)
        if unknown[0].startswith("--"):  # --fromat json: argparse (before 3.12) names no option
            near = did_you_mean(unknown[0].split("=", 1)[0], [o for o in command._option_string_actions if o.startswith("--")])
            if near:
                told += f" ({near})"
        option = _one_file_option(words, unknown)
        if option == "--events":
            told += (" (--events takes one log, a file, a glob or a folder: write --events before each file, or quote"
                     " a glob so that the shell does not expand it (--events 'data/*.csv'), or name their folder)")
        elif option is not None:
            told += f" ({option} takes one file: write {option} before each file ({option} a.csv {option} b.csv))"
        command.error(told)
    if getattr(args, "run", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        os.getcwd()
    except FileNotFoundError:  # relative paths (and the names shown) start from it: 'internal error', exit 3
        print(f"journeymap {args.command}: error: the current folder no longer exists (it was removed while the shell"
              " was in it): cd to a folder that exists and run it again", file=sys.stderr)
        return EXIT_USAGE
    if any(isinstance(getattr(args, name, None), str) and not getattr(args, name).strip() for name in ("output", "out_dir")):
        # -o "$OUT" with OUT unset: site and render wrote into the current folder, diff and schema to standard output
        print(f"journeymap {args.command}: error: an empty path was given to -o (an unset shell variable?):"
              " nothing was written", file=sys.stderr)
        return EXIT_USAGE
    output = getattr(args, "output", None)
    if isinstance(output, str) and output != "-" and (output.endswith(("/", os.sep)) or os.path.isdir(output)):
        # -o reports/ (not there yet) wrote a file named 'reports'; -o an existing folder was 'is a directory'
        example = {"schema": "journeymap.schema.json", "simulate": "events.csv"}.get(args.command, "changes.md")
        from ..problems import visible

        print(visible(f"journeymap {args.command}: error: -o {output} is a folder: name a file in it"
                      f" (-o {output.rstrip('/' + os.sep)}/{example})"), file=sys.stderr)
        return EXIT_USAGE
    if output == "-" and args.command in ("diff", "schema"):
        args.output = None  # -o - is standard output, as for every Unix tool: it wrote a file named '-'
    if args.command != "fmt" and not os.path.lexists("-") and _reads_dash(args):
        # 'validate -', 'report - < j.yaml', '--events -' (a log piped in) said 'no such file: -'
        print(f"journeymap {args.command}: error: '-' (standard input) is read only by fmt: save what you pipe in"
              " to a file and give its path", file=sys.stderr)
        return EXIT_USAGE
    out_dir = getattr(args, "out_dir", None)
    if (isinstance(out_dir, str) and not out_dir.endswith(("/", os.sep)) and not os.path.lexists(out_dir)
            and os.path.splitext(out_dir)[1].lower() in PAGE_SUFFIXES):
        # `render j.yaml -o map.html` made a folder named map.html holding minimal.html
        from ..problems import visible

        print(visible(f"journeymap {args.command}: error: -o {out_dir}: {args.command} writes a folder of files named"
                      f" after each journey's id, not one file: name a folder (-o maps), or write ./{out_dir}/ for a"
                      " folder of that name"), file=sys.stderr)
        return EXIT_USAGE
    if out_dir == "-":
        # render and site write several files into a folder: '-' made a folder named '-'
        print(f"journeymap {args.command}: error: -o -: {args.command} writes its files into a folder, not to standard"
              " output: name a folder (-o out), or ./- for a folder named '-'", file=sys.stderr)
        return EXIT_USAGE
    from ..files import CannotWrite

    out_of_memory = False
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # here, not at exit: a full disk is said below, not as 'Exception ignored'
        return code
    except MemoryError:
        # Not a bug and not the file's fault. Said below, once the exception (and the
        # half-built data its frames hold) is let go: there may be no memory to say it here.
        out_of_memory = True
    except UsageError as exc:
        from ..problems import visible

        print(f"journeymap {args.command}: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except CannotWrite as exc:  # a read-only file or folder, a full disk: not a bug
        from ..problems import visible

        print(f"journeymap {args.command}: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BrokenPipeError:
        # Not standard output or error (their wrappers drop what the reader does not take, and the
        # command ends with its own code): a pipe journeymap writes into itself closed, and the command
        # was cut short. What it found is unknown, so neither 0 nor 1: 141, the code of a process that
        # SIGPIPE ends (`git log | head`), without Python's 'Broken pipe' noise.
        return 128 + 13
    except Exception as exc:  # a bug, not a bad file: say so plainly
        if _too_long(exc):  # a path over the system's limit: Path.exists() raises it (Python 3.11)
            from ..problems import quoted, visible

            name = str(getattr(exc, "filename", "") or "")
            print(f"journeymap {args.command}: error: {visible(quoted(name, 120))}: file name too long (a name over 255"
                  " bytes, or a path over the system's limit): give a shorter path", file=sys.stderr)
            return EXIT_USAGE
        if _disk_full(exc):
            # `journeymap report J --format json > out.json` on a full disk: standard output failed.
            print(f"journeymap {args.command}: error: cannot write the output: {_disk_full(exc)}"
                  " (what was written of it is incomplete)", file=sys.stderr)
            return EXIT_PROBLEMS
        if os.environ.get("JOURNEYMAP_DEBUG"):
            raise
        from ..files import ran_out_of_memory

        if ran_out_of_memory(exc):  # libyaml and other C code under `ulimit -v`
            out_of_memory = True
        else:
            print(
                f"journeymap {args.command}: internal error: {type(exc).__name__}: {_first_lines(str(exc))}\n"
                "This is a bug in journeymap, not in your file. Please report it with the command you ran;"
                " set JOURNEYMAP_DEBUG=1 to see the traceback.",
                file=sys.stderr,
            )
            return EXIT_INTERNAL
    if out_of_memory:
        from ..files import out_of_memory as out_of_memory_message

        paths = [*(getattr(args, "files", None) or []), *(getattr(args, "paths", None) or [])]
        print(f"journeymap {args.command}: error: {out_of_memory_message([p for p in paths if isinstance(p, str)])}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK  # not reached: every other way out of the try returns


def _too_long(exc: BaseException) -> bool:
    """Whether ``exc`` is a path the system refuses as too long (ENAMETOOLONG), where a path is read."""
    import errno

    return isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG


def _disk_full(exc: BaseException) -> str | None:
    """The OS's words when ``exc`` is a write that found no room (a full disk, a quota, a file size
    limit), after which standard output is let go (what is left in its buffer cannot be written at
    exit either: Python said 'Exception ignored ... OSError' and exited 120); None otherwise."""
    import errno

    if not isinstance(exc, OSError) or exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return None
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  # standard output for the rest of the run
    except OSError:
        pass
    return (exc.strerror or str(exc)).lower()


def _closed_streams() -> bool:
    """Whether standard output was closed when journeymap started (``journeymap report J >&-``).

    Python starts with ``sys.stdin``, ``sys.stdout`` or ``sys.stderr`` None when its descriptor is
    closed: ``print(..., file=sys.stderr)`` then printed the warnings on standard output (into the JSON
    of ``--format json``), ``sys.stdout.write`` was an 'internal error' (exit 3), and the first file
    opened took descriptor 0, 1 or 2, where a child process (Graphviz, Chromium) would write. Each
    closed one is opened on the null device here: a closed standard input reads as empty, a closed
    standard error drops the messages (as ``2>/dev/null``); True when it was standard output, which
    holds what the command makes, so that it is refused before anything is done."""
    closed = False
    for fd, name, mode in ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_WRONLY), (2, "stderr", os.O_WRONLY)):
        if getattr(sys, name) is not None:
            continue
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, mode)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding="utf-8", errors="backslashreplace", closefd=False))
        closed = closed or name == "stdout"
    return closed


def _utf8_output() -> None:
    """Standard output in UTF-8 whatever the locale says, and a write to it that fails said.

    Under ``PYTHONIOENCODING=ascii`` or a Latin-1 locale, a journey's ``Café`` or the ``→`` of a diff
    was 'internal error: UnicodeEncodeError' (exit 3) after part of the output was written, and
    ``fmt - < a.yaml > b.yaml``, a JSON report or a patch would be written in the locale's encoding,
    not the UTF-8 that journey files, JSON and ``git apply`` read. Standard output (the command's
    result, most often redirected) is now always UTF-8; standard error (messages for a person) keeps
    the locale's encoding and, as Python always does there, writes what it cannot encode as ``\\u2192``.

    ``journeymap schema > out.json`` on a disk with 4 KB left wrote 4 KB and exited 0: Python's
    buffered file took the short write and let the 'no space left' of the rest go without a word.
    The real standard output is written through :class:`_WholeWrites`, whose every write is whole or
    raises."""
    import codecs
    import io

    stream = sys.stdout
    encoding = getattr(stream, "encoding", None)
    try:
        utf8 = isinstance(encoding, str) and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        utf8 = False
    if stream is not sys.__stdout__ or not isinstance(stream, io.TextIOWrapper):  # a test's capture
        if not utf8 and hasattr(stream, "reconfigure"):
            stream.flush()
            stream.reconfigure(encoding="utf-8")
        return
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return
    stream.flush()
    sys.stdout = _whole_writes(stream, fd, encoding if utf8 and encoding else "utf-8")  # type: ignore[arg-type]
    error = sys.stderr
    if error is sys.__stderr__ and isinstance(error, io.TextIOWrapper):  # `2>&1 | head`: the same pipe
        try:
            error_fd = error.fileno()
        except (OSError, ValueError):
            return
        error.flush()
        sys.stderr = _whole_writes(error, error_fd, error.encoding)


def _whole_writes(stream: io.TextIOWrapper, fd: int, encoding: str) -> io.TextIOWrapper:
    """``stream`` (on descriptor ``fd``) written through :class:`_WholeWrites` in ``encoding``, buffered
    as it was (python -u, PYTHONUNBUFFERED: each write goes out at once, in order with stderr's)."""
    raw = _WholeWrites(fd)
    binary = raw if not isinstance(getattr(stream, "buffer", None), io.BufferedWriter) else io.BufferedWriter(raw)
    return io.TextIOWrapper(
        binary, encoding=encoding, errors=stream.errors, line_buffering=stream.line_buffering,  # type: ignore[arg-type]
        write_through=stream.write_through,
    )


class _WholeWrites(io.RawIOBase):
    """A file descriptor written whole: a short write is followed by the rest, so that the error that
    stopped it (a full disk) is raised, not dropped.

    A pipe whose reader went away (``journeymap validate J | head -1``) is the one error taken quietly:
    what is left to write is dropped and the command runs to its end, so that it exits with what it
    found. BrokenPipeError unwound the command and it exited 0, a broken journey or a diff that
    ``--fail-on`` tripped passing a pipeline run with ``set -o pipefail``."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self._gone = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view) and not self._gone:
            try:
                done += os.write(self._fd, view[done:])
            except BrokenPipeError:
                self._gone = True
        return len(view)


def _reads_dash(args: argparse.Namespace) -> bool:
    """Whether ``-`` is given where a command reads a file (a journey, a folder, a data file)."""
    for name in ("files", "paths", "file", "events", "metrics", "responses", "folder", "config"):
        value = getattr(args, name, None)
        if value == "-" or (isinstance(value, list) and "-" in value):
            return True
    return False


_NEGATIVE_NUMBER = re.compile(r"-[0-9]+|-[0-9]*\.[0-9]+")


def _dash_values(parser: argparse.ArgumentParser, words: Sequence[str]) -> str | None:
    """What to say when an option that takes a value is followed by a word that starts with ``-`` and is no
    option (``render J -o -maps``, ``--events -log.csv``): argparse said only 'expected one argument',
    and ``--`` does not help a value; ``--output=-maps`` does. None when there is none."""
    if not words or words[0] not in COMMANDS:
        return None
    import shlex

    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    known = sub.choices[words[0]]._option_string_actions
    for option, value in zip(words[1:], words[2:], strict=False):
        if option == "--":
            break
        action = known.get(option)
        if (action is None or action.nargs is not None or not value.startswith("-") or value == "-"
                or value.split("=", 1)[0] in known or _NEGATIVE_NUMBER.fullmatch(value)):  # argparse reads -5
            continue
        if isinstance(action, argparse._StoreAction | argparse._AppendAction):
            from ..problems import visible

            name = next((o for o in action.option_strings if o.startswith("--")), option)
            return (f"journeymap {words[0]}: error: {visible(option)} {visible(shlex.quote(value))}: a value that starts"
                    f" with '-' is read as an option: write {visible(shlex.quote(f'{name}={value}'))}")
    return None


def _dash_files(parser: argparse.ArgumentParser, words: Sequence[str]) -> str | None:
    """What to say when a file named like an option (``-weird.yaml``, ``--old.yaml``) is given: argparse
    took it for an unknown option and said 'the following arguments are required: PATH' (or
    'unrecognized arguments: -weird.yaml') without a word about the file; None when there is none."""
    if not words or words[0] not in COMMANDS:
        return None
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    known = sub.choices[words[0]]._option_string_actions
    for word in words[1:]:
        if word == "--":
            break
        if word.startswith("-") and word != "-" and word.split("=", 1)[0] not in known and os.path.lexists(word):
            import shlex

            from ..problems import visible

            # quoted as a shell reads it back: './-j $HOME.yaml' pasted unquoted was two words and $HOME
            return (f"journeymap {words[0]}: error: {visible(word)} is read as an option, not as the file of that name:"
                    f" write {visible(shlex.quote('./' + word))} (or -- before it)")
    return None


PAGE_SUFFIXES = (".html", ".htm", ".svg", ".png", ".pdf", ".dot", ".gv", ".mmd", ".md")
"""Endings of the files render and site write: an ``-o`` folder named so was meant as a file."""

FILE_OPTIONS = ("--events", "--responses", "--metrics")
"""Options that take one file (glob or folder) each time they are given."""


def _one_file_option(words: Sequence[str], unknown: Sequence[str]) -> str | None:
    """The option of :data:`FILE_OPTIONS` that the first unrecognised word follows, with only
    words that are not options between them (``--events a.csv b.csv``, as a shell writes
    ``--events *.csv``); None otherwise."""
    if not unknown or unknown[0].startswith("-"):
        return None
    for i, word in enumerate(words):
        if word != unknown[0] or i < 2:
            continue
        before = i - 1
        while before > 0 and not words[before].startswith("-"):
            before -= 1
        option = words[before].split("=", 1)[0]
        if option in FILE_OPTIONS and (i - before >= 2 or "=" in words[before]):
            return option
    return None


def _first_lines(message: str, limit: int = 500) -> str:
    """An exception's message on one line for the terminal: its first line, cut at ``limit``
    characters (a Spark error carries the whole Java stack trace, over 10 KB), with a note of
    what is left out."""
    from ..problems import visible

    lines = message.strip().splitlines() or [""]
    first = visible(lines[0])
    if len(first) > limit:
        first = first[: limit - 1] + "…"
    if len(lines) > 1:
        first += f" ({len(lines) - 1:,} more line{'s' * (len(lines) > 2)}: JOURNEYMAP_DEBUG=1 shows them)"
    return first


def run() -> None:
    """Console-script entry point.

    Ctrl-C while the parser is built (before a command runs) printed a KeyboardInterrupt traceback; it
    exits 130 as during a command. SIGTERM (``timeout``, a cancelled CI job, ``kill``) ended Python
    without running a single ``finally``: ``simulate`` left its scratch folder of parts (gigabytes on a
    big log) beside the log, a write its temporary file; it now unwinds as Ctrl-C does (nothing half
    written stays) and exits 143, as a process killed by it. A SIGTERM set to be ignored stays ignored."""
    import signal

    def terminated(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, terminated)
    try:
        code = main()
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)
