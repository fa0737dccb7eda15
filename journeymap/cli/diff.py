"""journeymap diff OLD NEW | --git REV [PATH...]: what a change means for the journey."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from ..analysis import Analysis
    from ..changes import FileChanges
    from ..loader import Loader
    from ..model import Journey
    from ..problems import Problem

HELP = "compare two versions of a journey by id: changes, and what they do to weak touchpoints and conversion"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from . import DATA_HELP, add_column_arguments, add_engine_arguments

    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="OLD NEW: two journey files; with --git: journey files or folders to limit the comparison to",
    )
    parser.add_argument(
        "--git",
        metavar="REV",
        help="compare every journey file changed between git revision REV and the working tree "
        "(added, deleted, renamed and untracked files too; the old side's imports are read at REV); "
        "REV... (three dots) means the merge base of REV and HEAD",
    )
    parser.add_argument("--format", choices=["text", "markdown", "json"], default="text", help="output format (default: text)")
    parser.add_argument(
        "--fail-on",
        metavar="{weaker,any,value-drop[:AMOUNT[/customer]]}",
        type=_fail_on,
        help="exit 1 when the change makes any touchpoint weak or lowers conversion (weaker), changes anything (any),"
        " or lowers the journey's value per period by more than AMOUNT, in its currency (value-drop; default 0;"
        " AMOUNT/customer: the value per customer)",
    )
    parser.add_argument("--persona", metavar="ID", help="analyse both sides for one persona")
    for option in ("--metrics", "--responses", "--events"):
        parser.add_argument(
            option,
            metavar="FILE",
            action="append",
            default=[],
            help=f"{DATA_HELP[option[2:]]}; merged into both sides before the analysis; may be repeated",
        )
    add_column_arguments(parser)
    add_engine_arguments(parser)
    parser.add_argument("--title", help="a heading for the Markdown output, e.g. 'Journey changes'")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output (- is standard output)")


def run(args: argparse.Namespace) -> int:
    import sys

    from ..problems import format_problems
    from ..render.diff_text import render
    from . import check_data_paths, check_not_a_journey, check_output, data_columns, engine_options

    check_data_paths([], args.events, [*args.metrics, *args.responses])
    check_output(args.output, [*args.paths, *args.events, *args.metrics, *args.responses])
    check_not_a_journey(args.output, "the diff")
    engine_options(args, data_columns(args))  # a bad --*-column or --engine is a usage error before anything is read
    options: dict[str, Any] = {"title": args.title}
    if args.git is None:
        files, problems = _two_files(args)
    else:
        files, problems, options["revision"], options["commit"] = _git_files(args)
    if problems:
        sys.stderr.write(format_problems(problems, "text"))
    from ..problems import visible, visible_json, visible_output

    text = render(files, args.format, **options)
    # The library escapes journey text for each format; this is the last guard before a terminal.
    text = visible_json(text) if args.format == "json" else visible_output(text)
    if args.output:
        from ..files import write_atomic

        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    if any(p.is_error for p in problems):
        return 1
    if args.fail_on == "weaker":
        tripped = [f for f in files if f.changes is not None and f.changes.weaker]
    elif args.fail_on == "any":
        tripped = [f for f in files if f.changes is not None and not f.changes.is_empty]
    elif isinstance(args.fail_on, ValueDrop):
        tripped = [f for f in files if _value_dropped(f, args.fail_on)]
        for file in files:  # the check could not be made: say so rather than pass in silence
            c = file.changes.consequences if file.changes is not None else None
            why = c.value_not_compared if c is not None else None
            if c is not None and why is None and c.currency is not None and args.fail_on.not_comparable(c.value_unit):
                why = (
                    f"{args.fail_on.amount:g} is an amount per period and the value is per customer "
                    "(no volume, or the two sides' periods differ): give the journey a volume, "
                    f"or write value-drop:{args.fail_on.amount:g}/customer"
                )
            if why is not None:
                sys.stderr.write(visible(f"journeymap diff: --fail-on {args.fail_on}: {file.path}: value not compared, {why}") + "\n")
    else:
        tripped = []
    if tripped:
        # Say why the check failed: in CI the output often went to a file (-o) or a comment.
        from ..render.diff_text import summary_line

        for file in tripped:
            assert file.changes is not None
            rule = str(args.fail_on)
            sys.stderr.write(visible(f"journeymap diff: --fail-on {rule}: {file.path}: {summary_line(file.changes)}") + "\n")
        return 1
    return 0


@dataclass(frozen=True)
class ValueDrop:
    """``--fail-on value-drop[:AMOUNT[/customer]]``: the most value a change may lose, per period or per customer."""

    amount: float
    per_customer: bool = False

    def __str__(self) -> str:
        return f"value-drop:{self.amount:g}" + ("/customer" if self.per_customer else "")

    def not_comparable(self, unit: str | None) -> bool:
        """An amount per period against a value per customer (a journey without a volume): not the same
        quantity. Any drop (AMOUNT 0) is a drop in either unit."""
        return not self.per_customer and self.amount > 0 and unit == "per customer"


def _fail_on(text: str) -> str | ValueDrop:
    """``weaker``, ``any``, or ``value-drop[:AMOUNT[/customer]]``."""
    from ..problems import did_you_mean

    if text in ("weaker", "any"):
        return text
    name, _, amount = text.partition(":")
    if name == "value-drop":
        number, slash, unit = amount.partition("/")
        if slash and unit.strip().lower() not in ("customer", "customers"):
            raise argparse.ArgumentTypeError(
                f"value-drop:{amount}: the amount is per period, or per customer as value-drop:{number}/customer"
            )
        try:
            value = float(number.replace(",", "").replace("_", "")) if number else 0.0
        except ValueError:
            raise argparse.ArgumentTypeError(f"value-drop:{amount}: the amount must be a number, e.g. value-drop:5000") from None
        if not value >= 0 or value == float("inf"):
            raise argparse.ArgumentTypeError(f"value-drop:{amount}: the amount must be a number >= 0")
        return ValueDrop(value, bool(slash))
    hint = did_you_mean(name, ["weaker", "any", "value-drop"])
    raise argparse.ArgumentTypeError(
        f"invalid choice: '{text}' (choose from weaker, any, value-drop[:AMOUNT[/customer]])" + (f"; {hint}" if hint else "")
    )


def _value_dropped(file: FileChanges, rule: ValueDrop) -> bool:
    """Whether the journey's value fell by more than the rule's amount (a journey without a value model never
    trips, nor one whose value is per customer against an amount per period: the caller says so)."""
    c = file.changes.consequences if file.changes is not None else None
    if c is None:
        return False
    if rule.per_customer:
        delta = c.value_delta_per_customer
    else:
        delta = None if rule.not_comparable(c.value_unit) else c.value_delta
    if delta is None:
        return False
    return delta < -rule.amount - 0.005



# -- the two ways to name the sides --------------------------------------------


def _two_files(args: argparse.Namespace) -> tuple[list[FileChanges], list[Problem]]:
    from pathlib import Path

    from ..changes import FileChanges
    from ..loader import Loader, display_name
    from . import UsageError

    if len(args.paths) != 2:
        raise UsageError("give two journey files (OLD NEW), or --git REV [PATH...]")
    for path in args.paths:
        if Path(path).is_dir():
            raise UsageError(f"{path} is a folder: give two journey files, or --git REV {path}")
        if not Path(path).is_file():
            raise UsageError(f"no such file: {path}")
    old_path, new_path = (Path(p) for p in args.paths)
    loader = Loader()
    old, old_problems = _load(loader, old_path, display_name(old_path))
    new, new_problems = _load(loader, new_path, display_name(new_path))
    same_file = old_path.resolve() == new_path.resolve()
    problems = old_problems + ([] if same_file else new_problems)  # a file with itself: its problems once
    if old is None or new is None:
        file = FileChanges(display_name(new_path), "modified", None, display_name(old_path), problems)
        if same_file:
            file.broken = "the file has errors"
        elif old is None and new is None:
            file.broken = "both sides have errors"
        return [file], problems
    from . import persona_written

    args.persona = persona_written(args.persona, {**old.persona_by_id, **new.persona_by_id}, "diff")
    if args.persona and args.persona not in old.persona_by_id and args.persona not in new.persona_by_id:
        from ..problems import did_you_mean

        personas = sorted({*old.persona_by_id, *new.persona_by_id})
        hint = did_you_mean(args.persona, personas)
        raise UsageError(f"unknown persona '{args.persona}'" + (f" ({hint})" if hint else "") + f"; personas: {', '.join(personas)}")
    changes, analysis_problems = _compare(old, new, args, (display_name(old_path), display_name(new_path)))
    problems += analysis_problems
    return [FileChanges(display_name(new_path), "modified", changes, display_name(old_path), analysis_problems)], problems


def _git_files(args: argparse.Namespace) -> tuple[list[FileChanges], list[Problem], str, str]:
    import tempfile
    from pathlib import Path

    from .. import gitfiles
    from ..changes import FileChanges
    from ..files import read_bytes
    from ..loader import Loader, display_name, find_journey_files
    from . import UsageError

    revision = args.git
    try:
        root = gitfiles.repository_root()
        commit = gitfiles.resolve_revision(root, revision)
        scopes = [gitfiles.to_repo_path(root, p) for p in args.paths]
    except gitfiles.GitError as exc:
        raise UsageError(str(exc)) from exc
    # How the old side is named in messages: `REV:path`, as `git show` takes it.
    label = commit[:12] if revision.endswith("...") else revision
    for given, scope in zip(args.paths, scopes, strict=True):
        if not Path(given).exists() and not gitfiles.exists_at(root, commit, scope):
            raise UsageError(f"no such file or folder (in the working tree or at {revision}): {given}")

    def in_scope(path: str | None) -> bool:
        if path is None:
            return False
        return not scopes or any(s == "" or path == s or path.startswith(s.rstrip("/") + "/") for s in scopes)

    try:
        changed = gitfiles.changed_files(root, commit)
    except gitfiles.GitError as exc:
        raise UsageError(str(exc)) from exc

    def read_new(path: str | None) -> bytes | None:
        if path is None:
            return None
        try:
            return read_bytes(root / path)
        except OSError:
            return None

    def identity(item: gitfiles.ChangedFile) -> str | None:
        if item.new_path is not None and gitfiles.is_yaml(item.new_path):
            return gitfiles.journey_id(read_new(item.new_path) or b"", item.new_path)
        if item.old_path is not None and gitfiles.is_yaml(item.old_path):
            return gitfiles.journey_id(gitfiles.show(root, commit, item.old_path) or b"", item.old_path)
        return None

    changed = gitfiles.pair_renames(changed, identity)
    journeys: list[gitfiles.ChangedFile] = []
    libraries: set[str] = set()
    for item in changed:
        paths = [p for p in (item.old_path, item.new_path) if p is not None]
        if not any(gitfiles.is_yaml(p) for p in paths):
            continue
        new_raw = read_new(item.new_path)
        old_raw = gitfiles.show(root, commit, item.old_path) if item.old_path else None
        sides = [raw for raw in (old_raw, new_raw) if raw is not None]
        if any(gitfiles.is_journey_text(raw) for raw in sides):
            if in_scope(item.new_path) or in_scope(item.old_path):
                journeys.append(item)
        elif any(gitfiles.declares_journeymap(raw) for raw in sides):
            libraries.update(paths)

    # A changed library changes every journey that imports it, changed or not.
    imports_changed: dict[str, list[str]] = {}
    if libraries:

        def touched_libraries(old_path: str | None, new_path: str | None) -> list[str]:
            closure: set[str] = set()
            if new_path is not None:
                closure |= gitfiles.working_tree_closure(root, new_path)
            if old_path is not None:
                closure |= gitfiles.revision_closure(root, commit, old_path)
            return [display_name(root / p) for p in sorted(closure & libraries)]

        for item in journeys:
            if item.status in ("modified", "renamed") and item.new_path is not None:
                imports_changed[item.new_path] = touched_libraries(item.old_path, item.new_path)
        listed = {item.new_path for item in journeys if item.new_path}
        search = [root / s for s in scopes] if scopes else [root]
        for file in find_journey_files(p for p in search if p.exists()):
            path = gitfiles.to_repo_path(root, file)
            if path in listed or not gitfiles.is_journey_text(read_new(path) or b""):
                continue
            touched = touched_libraries(path, path)
            if touched:
                imports_changed[path] = touched
                journeys.append(gitfiles.ChangedFile("modified", path, path))
    journeys.sort(key=lambda f: f.new_path or f.old_path or "")

    files: list[FileChanges] = []
    all_problems: list[Problem] = []
    new_loader = Loader()
    with tempfile.TemporaryDirectory(prefix="journeymap-diff-") as scratch_name:
        scratch = Path(scratch_name)
        old_loader = Loader(root=scratch)
        for item in journeys:
            old: Journey | None = None
            new: Journey | None = None
            problems: list[Problem] = []
            if item.old_path is not None:
                raw = gitfiles.show(root, commit, item.old_path)
                if raw is not None and gitfiles.is_journey_text(raw):
                    copy = gitfiles.materialize(root, commit, item.old_path, scratch)
                    assert copy is not None
                    old, more = _load(old_loader, copy, f"{label}:{item.old_path}")
                    problems += _rename_scratch(more, scratch, label)
            if item.new_path is not None:
                raw = read_new(item.new_path)
                if raw is not None and gitfiles.is_journey_text(raw):
                    new, more = _load(new_loader, root / item.new_path, display_name(root / item.new_path))
                    problems += more
            status = item.status
            if item.old_path is not None and item.new_path is not None:
                if old is None and new is not None and not problems:
                    status = "added"  # was not a journey before
                elif new is None and old is not None and not problems:
                    status = "removed"
            path = display_name(root / (item.new_path or item.old_path or ""))
            old_display = display_name(root / item.old_path) if item.old_path else None
            # An added or deleted journey has no old and new imports to compare.
            touched_imports = imports_changed.get(item.new_path or "", []) if status in ("modified", "renamed") else []
            if problems:
                files.append(FileChanges(path, status, None, old_display, problems, touched_imports))
                all_problems += problems
                continue
            changes, analysis_problems = _compare(
                old, new, args, (f"{label}:{item.old_path}" if item.old_path else path, path))
            files.append(FileChanges(path, status, changes, old_display, analysis_problems, touched_imports))
            all_problems += analysis_problems
    if args.persona is not None and files:
        from . import persona_written

        compared = [j for f in files if f.changes is not None for j in (f.changes.old, f.changes.new) if j is not None]
        personas = {k: v for j in compared for k, v in j.persona_by_id.items()}
        if compared and persona_written(args.persona, personas, "diff") not in personas:
            raise UsageError(f"unknown persona '{args.persona}': no compared journey has it")
    return files, all_problems, revision, commit


# -- loading and analysing ------------------------------------------------------------


def _load(loader: Loader, path: Path, name: str) -> tuple[Journey | None, list[Problem]]:
    """The journey and its errors (warnings do not stop a diff and are not shown)."""
    from ..problems import Problem, Span

    result = loader.check(path, name=name)
    errors = result.errors
    if result.journey is None and not errors:
        errors = [Problem(Span(name, 1, 1), "not-a-journey", "this is a library file, not a journey")]
    return (result.journey if not errors else None), errors


def _rename_scratch(problems: list[Problem], scratch: Path, revision: str) -> list[Problem]:
    """Problems in old-side imports name ``REV:path``, not the scratch folder."""
    import dataclasses
    from pathlib import Path

    renamed = []
    for problem in problems:
        try:
            relative = (Path.cwd() / problem.span.file).resolve().relative_to(scratch.resolve())
        except ValueError:
            renamed.append(problem)
            continue
        span = dataclasses.replace(problem.span, file=f"{revision}:{relative.as_posix()}")
        renamed.append(dataclasses.replace(problem, span=span))
    return renamed


def _compare(old: Journey | None, new: Journey | None, args: argparse.Namespace,
             names: tuple[str, str] = ("old", "new")) -> tuple[Any, list[Problem]]:
    """The diff with both analyses, and problems in metric data files (which do not stop it). ``names``: the
    two sides' files as the diff names them (``REV:path`` for a side from git)."""
    from ..changes import diff
    from ..problems import sort_problems
    from . import persona_written

    # As each side's analysis reads it (other capitals, a plural): with --git, args.persona is as written.
    persona = persona_written(args.persona, {k: v for j in (old, new) if j is not None for k, v in j.persona_by_id.items()})
    if persona is not None and any(j is not None and persona not in j.persona_by_id for j in (old, new)):
        # No like-for-like comparison for this persona: report the structure only, and say why where one side
        # has it (a journey of --git that has it on neither side is not this persona's: nothing to say).
        told: list[Problem] = []
        if old is not None and new is not None and (persona in old.persona_by_id) != (persona in new.persona_by_id):
            from ..problems import Problem, Span

            lacking, side = (names[0], "new") if persona not in old.persona_by_id else (names[1], "old")
            told.append(Problem(
                Span(lacking), "persona-one-side",
                f"persona '{persona}' is only in the {side} journey: the two sides are compared without consequences"
                " for it (conversion, reach, weak touchpoints), and data files are not read",
                "compare without --persona, or with a persona both sides have", level="warning",
            ))
        return diff(old, new), told
    old_analysis = _analyze(old, args)
    new_analysis = _analyze(new, args)
    # The data files describe the journey under review: rows for touchpoints
    # the old side lacks are expected, so only the new side's problems count
    # (the old side's for a deleted journey).
    judged = new_analysis if new_analysis is not None else old_analysis
    data_problems = judged.data_problems if judged is not None else []
    changes = diff(old, new, old_analysis=old_analysis, new_analysis=new_analysis)
    return changes, sort_problems(data_problems)


def _analyze(journey: Journey | None, args: argparse.Namespace) -> Analysis | None:
    if journey is None:
        return None
    import dataclasses

    from ..analysis import analyze
    from . import data_columns, engine_options, persona_written

    persona = persona_written(args.persona, journey.persona_by_id)
    return analyze(
        journey,
        persona,
        metrics=args.metrics or None,
        responses=args.responses or None,
        events=args.events or None,
        engine=args.engine,
        # the persona's customers only, as report --persona reads the log (every customer's drop-off judged it)
        event_options=dataclasses.replace(engine_options(args, data_columns(args)), segment=persona),
    )
