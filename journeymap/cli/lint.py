"""journeymap lint PATH...: style and content rules for journeys that load."""

from __future__ import annotations

import argparse
import sys

HELP = "check journeys for content problems (unreachable touchpoints, dead ends, weak touchpoints without owner, ...)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="journey files, or folders to search for *.yaml files declaring 'journeymap:'")
    parser.add_argument("--format", choices=["text", "json", "github"], default="text", help="output format (default: text)")
    parser.add_argument("--config", metavar="FILE", help="read rule settings from FILE (.journeymap.yaml or pyproject.toml) instead of looking for one")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only, no summary")
    parser.add_argument("--list-rules", action="store_true", help="list the rules with their ids, default levels and summaries, and exit")
    parser.add_argument(
        "--journeys-only",
        action="store_true",
        help="skip files that do not declare 'journeymap:' even when named (for pre-commit, which passes every YAML file)",
    )


def _yaml_scalar(value: object) -> str:
    """A rule option's default as YAML writes it (``false``, not Python's ``False``)."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _list_rules() -> str:
    from ..rules import RULES, summary

    width = max(len(rule_id) for rule_id in RULES)
    lines = []
    for rule_id, rule in RULES.items():
        # as .journeymap.yaml takes them: `shares-unaccounted: {min_share: 0.5, tolerance: 0.05}`
        options = ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in getattr(rule, "CONF", {}).items())
        lines.append(f"{rule_id:<{width}}  {rule.LEVEL:<7}  {summary(rule).replace('``', '`')}")  # (reST's ``x`` is `x` on a terminal)
        if options:
            lines.append(f"{'':<{width}}  {'':<7}  options: {{{options}}}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    if args.list_rules:
        sys.stdout.write(_list_rules())
        return 0

    from pathlib import Path

    from ..loader import Loader, declares_journeymap, find_journey_files
    from ..problems import Problem, format_problems, sort_problems
    from ..rules import SUPERSEDED_LOADER_CODES, ConfigFinder, lint, read_config
    from ..rules.config import LintConfig
    from . import UsageError, print_problems

    if not args.paths:
        raise UsageError("give at least one journey file or folder (or --list-rules)")
    for path in args.paths:
        if not Path(path).exists():
            raise UsageError(f"no such file or folder: {path}")
    if args.config and not Path(args.config).is_file():
        raise UsageError(f"no such config file: {args.config}")
    files = list(find_journey_files(args.paths))
    if args.journeys_only:
        files = [f for f in files if declares_journeymap(f)]
    elif not files:
        raise UsageError("no journey files found (a journey file is *.yaml declaring 'journeymap:')")

    # Configuration first: a broken config is a usage error, reported before any lint.
    config_problems: list[Problem] = []
    configs: dict[Path, LintConfig] = {}
    if args.config:
        explicit, config_problems = read_config(args.config)
        configs = dict.fromkeys(files, explicit)
    else:
        finder = ConfigFinder()
        for file in files:
            configs[file], found = finder.for_file(file)
            config_problems += found
    if config_problems:
        sys.stdout.write(format_problems(sort_problems(config_problems), args.format))
        print(f"journeymap lint: error: the lint configuration has {len(sort_problems(config_problems))} problem(s)", file=sys.stderr)
        return 2

    loader = Loader()
    problems: list[Problem] = []
    for file in files:
        result = loader.check(file)
        problems += [p for p in result.problems if p.code not in SUPERSEDED_LOADER_CODES]
        if result.journey is not None:
            problems += lint(result.journey, configs[file])
    problems = sort_problems(problems)
    return print_problems(problems, len(files), args)
