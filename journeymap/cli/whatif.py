"""journeymap whatif FILE: what scenarios are worth, before and after."""

from __future__ import annotations

import argparse
import sys

HELP = "what if a touchpoint improved: conversion, outcomes, cost and value before and after each scenario"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a journey file")
    parser.add_argument(
        "--scenario", metavar="ID", action="append", default=[],
        help="a scenario of the journey (may be repeated; default: every scenario, best first)",
    )
    parser.add_argument(
        "--set", metavar="CHANGE", action="append", default=[], dest="changes",
        help="a change, as one scenario with the others given: TOUCHPOINT.drop_off=0.15, FROM->TO.share=0.7,"
        " TOUCHPOINT.METRIC=VALUE or =target, TOUCHPOINT.targets=met, TOUCHPOINT=removed; may be repeated",
    )
    parser.add_argument(
        "--format", choices=["text", "markdown", "json"], default="text", help="output format (default: text)"
    )


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from ..loader import check
    from ..problems import format_problems, visible
    from ..render.whatif import whatif_markdown, whatif_text
    from ..scenarios import ScenarioError, parse_sets, what_if, what_ifs
    from . import UsageError

    if not Path(args.file).is_file():
        raise UsageError(f"no such file: {args.file}")
    result = check(args.file)
    sys.stderr.write(format_problems(result.problems))
    journey = result.journey
    if journey is None:
        if result.is_library and not result.errors:
            print(f"{args.file}: this is a library file, not a journey", file=sys.stderr)
        return 1
    try:
        if args.changes and args.scenario:
            raise UsageError("give --scenario or --set, not both")
        if args.changes:
            warnings: list[str] = []
            changes = parse_sets(args.changes, journey, warnings)
            for warning in warnings:
                print(visible(f"journeymap whatif: warning: {warning}"), file=sys.stderr)
            results = [what_if(journey, changes, scenario="command-line", name="--set " + " --set ".join(args.changes))]
        else:
            results = what_ifs(journey, args.scenario or None)
    except ScenarioError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        data = [r.to_json() for r in results]
        payload = data[0] if len(data) == 1 and (args.changes or len(args.scenario) == 1) else data
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(whatif_markdown(results))
    else:
        sys.stdout.write(whatif_text(results))
    return 0
