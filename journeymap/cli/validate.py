"""journeymap validate PATH...: check journey files against the format."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..problems import Problem

HELP = "check journey files (or folders of them) and report every problem with file:line:col"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="journey files, or folders to search for *.yaml files declaring 'journeymap:'")
    parser.add_argument("--format", choices=["text", "json", "github"], default="text", help="output format (default: text)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only, no summary")
    parser.add_argument(
        "--journeys-only",
        action="store_true",
        help="skip named files that do not declare 'journeymap:' (for pre-commit, which passes every YAML file)",
    )


def run(args: argparse.Namespace) -> int:
    from ..loader import Loader, declares_journeymap, find_journey_files
    from ..problems import sort_problems
    from . import UsageError, print_problems

    for path in args.paths:
        if not Path(path).exists():
            raise UsageError(f"no such file or folder: {path}")
    files = list(find_journey_files(args.paths))
    if args.journeys_only:
        files = [f for f in files if declares_journeymap(f)]
        if not files:
            return 0  # nothing of ours among the files pre-commit passed
    if not files:
        raise UsageError("no journey files found (a journey file is *.yaml declaring 'journeymap:')")
    loader = Loader(build=False)  # checking needs no Journey objects
    problems = []
    for file in files:
        problems += loader.check(file).problems
    folder = any(Path(p).is_dir() for p in args.paths)
    problems += _journey_links(files, folder=folder, quiet=args.quiet)
    if folder:
        problems = _in_other_journeys(problems, files)
    # A library imported by several journeys reports its own problems with each of them: once is enough.
    problems = sort_problems(problems)
    return print_problems(problems, len(files), args)


_LINK = re.compile(rb"(?<![A-Za-z0-9_-])journey\s*:")
_UNKNOWN_TARGET = re.compile(r"next points to unknown touchpoint '([a-z0-9][a-z0-9-]*)'\Z")


def _in_other_journeys(problems: list[Problem], files: list[Path]) -> list[Problem]:
    """A flow to a touchpoint of another journey of the folder written as one of this journey
    (``next: [activate-card]``): its unknown-reference error says which journey has it and how a flow
    into another journey is written. The files are read again only when there is such an error."""
    import dataclasses

    wanted = {m.group(1) for p in problems if p.code == "unknown-reference" and (m := _UNKNOWN_TARGET.search(p.message))}
    if not wanted:
        return problems
    from ..files import read_bytes
    from ..yamlio import YMap, decode, parse

    owners: dict[str, list[tuple[str, Path]]] = {}
    for file in files:
        try:
            text, _ = decode(read_bytes(file), str(file))
        except OSError:
            continue
        data = parse(text, str(file))[0] if text is not None else None
        if not isinstance(data, YMap) or not isinstance(own := data.get("id"), str):
            continue
        for item in data.get("touchpoints") or () if isinstance(data.get("touchpoints"), list) else ():
            if isinstance(item, YMap) and (ident := item.get("id")) in wanted:
                owners.setdefault(ident, []).append((own, file))
    told = []
    for problem in problems:
        m = _UNKNOWN_TARGET.search(problem.message) if problem.code == "unknown-reference" else None
        there = [(j, f) for j, f in owners.get(m.group(1), []) if str(f) != problem.span.file] if m else []
        if m and len(there) == 1:
            journey, file = there[0]
            target = m.group(1)
            problem = dataclasses.replace(problem, hint=(
                f"'{target}' is a touchpoint of journey '{journey}' ({file.name}): a flow into it is written"
                f" '- to: {target}' and under it 'journey: {journey}'"))
        told.append(problem)
    return told


def _journey_links(files: list[Path], *, folder: bool, quiet: bool) -> list[Problem]:
    """Flows into other journeys: checked when a folder was given (every journey is known), else a note.

    Only files that mention ``journey:`` are built into Journey objects, so
    that ``validate`` stays as light as it was for everything else.
    """
    from ..files import read_bytes
    from ..links import check_links, outgoing
    from ..loader import Loader

    candidates = []
    for file in files:
        try:
            if _LINK.search(read_bytes(file)):
                candidates.append(file)
        except OSError:
            continue
    if not candidates:
        return []
    loader = Loader()
    if not folder:
        for file in candidates:
            journey = loader.check(file).journey
            if journey is None or quiet:
                continue
            for touchpoint, _, flow in outgoing(journey):
                span = journey.span("touchpoints", touchpoint, "next", flow.to)
                print(
                    f"{span or file}: note: touchpoint '{touchpoint}' leads into journey '{flow.journey}' "
                    f"(touchpoint '{flow.to}'), which one file cannot check: validate the folder of journeys",
                    file=sys.stderr,
                )
        return []
    journeys = [j for j in (loader.check(f).journey for f in files) if j is not None]
    return check_links(journeys)
