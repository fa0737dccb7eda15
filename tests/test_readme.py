"""The README's terminal sessions are real: each is run and its output compared.

A fenced block whose first line starts with ``$ `` is a session: commands (a
``$ `` line, continued by lines ending in ``\\``) each followed by the output
the README promises. The block runs in bash, in a copy of the repository's
sample journeys, fixtures and benchmarks, with ``journeymap`` on the PATH; the
output of each command (stdout and stderr together) must equal the promised
lines. A promised line that is just ``...`` stands for any number of lines, so
a long output can be shown in part; a session that promises no output checks
only that the command succeeded (and its files, below).

An HTML comment right before the fence steers a block:

- ``<!-- readme-test: setup COMMANDS -->`` runs COMMANDS first, unshown (to
  make the ``journeys/`` folder or the broken file the text talks about);
- ``<!-- readme-test: skip REASON -->`` leaves the block out, with its reason
  (a server that runs until stopped, an install): the test below lists them, so
  a skip is a visible decision, never a silent one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DIRECTIVE = re.compile(r"<!--\s*readme-test:\s*(setup|skip)\s+(.*?)\s*-->", re.S)


@dataclass
class Command:
    line: int
    text: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Session:
    line: int
    commands: list[Command]
    setup: str = ""
    skip: str = ""

    @property
    def name(self) -> str:
        return f"README.md:{self.line}"


def sessions(path: Path = README) -> list[Session]:
    """Every terminal session of the README, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Session] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("```") or i + 1 >= len(lines) or not lines[i + 1].startswith("$ "):
            i += 1
            continue
        start = i
        body: list[tuple[int, str]] = []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append((i + 1, lines[i]))
            i += 1
        i += 1
        before = "\n".join(lines[max(0, start - 6) : start])
        directive = list(DIRECTIVE.finditer(before))
        session = Session(start + 1, _commands(body))
        if directive and before[directive[-1].end() :].strip() == "":
            kind, text = directive[-1].groups()
            if kind == "skip":
                session.skip = text
            else:
                session.setup = text
        found.append(session)
    return found


def _commands(body: list[tuple[int, str]]) -> list[Command]:
    commands: list[Command] = []
    continued = False
    for number, text in body:
        if continued:
            commands[-1].text += "\n" + text
            continued = text.endswith("\\")
        elif text.startswith("$ "):
            commands.append(Command(number, text[2:]))
            continued = text.endswith("\\")
        elif commands:
            commands[-1].expected.append(text)
    return commands


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is ``expected``, a ``...`` line standing for any number of lines."""
    expected = [e.rstrip() for e in expected]
    actual = [a.rstrip() for a in actual]

    def match(e: int, a: int) -> bool:
        while e < len(expected):
            if expected[e].strip() == "...":
                return any(match(e + 1, k) for k in range(a, len(actual) + 1))
            if a >= len(actual) or expected[e] != actual[a]:
                return False
            e, a = e + 1, a + 1
        return a == len(actual)

    return match(0, 0)


MARK = "@@readme-test-command@@"


def run(session: Session, where: Path) -> list[tuple[Command, list[str], int]]:
    """Each command of the session with its output lines and exit status, run in ``where``."""
    script = ["set -o pipefail"]
    if session.setup:
        script.append(f"{{ {session.setup} ; }} >/dev/null 2>&1 || echo 'setup failed: {session.setup}'")
    # the marks keep $? as the command left it, for a session's own `echo $?`
    script.append(f"echo {MARK}0")
    for index, command in enumerate(session.commands):
        script.append(command.text)
        script.append(f"__status=$?; echo {MARK}status $__status; echo {MARK}{index + 1}; (exit $__status)")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               COLUMNS="100", NO_COLOR="1", LC_ALL="C.UTF-8", TZ="UTC", PYTHONUNBUFFERED="1")
    env.pop("FORCE_COLOR", None)
    # stdout and stderr in one pipe, unbuffered: in the order a terminal shows them
    # its own process group: whatever a session starts is stopped with it, even on a time-out
    proc = subprocess.Popen(["bash", "-c", "\n".join(script)], cwd=where, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    try:
        stdout, _ = proc.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, _ = proc.communicate()
        raise AssertionError(f"{session.name}: still running after 10 minutes:\n{stdout[-2000:]}") from None
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    chunks = stdout.split(MARK)
    assert not chunks[0].strip(), f"{session.name}: setup printed {chunks[0]!r}"
    results = []
    for index, command in enumerate(session.commands):
        chunk = next((c for c in chunks[1:] if c.startswith(f"{index}\n")), None)
        assert chunk is not None, f"{session.name}: command {command.text!r} did not run:\n{stdout[-2000:]}"
        status_chunk = chunks[chunks.index(chunk) + 1]
        status = int(status_chunk.split()[1])
        results.append((command, chunk[len(f"{index}\n"):].splitlines(), status))
    return results


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("readme")


def _copy(where: Path) -> None:
    for part in ("sample_journeys", "tests/fixtures", "benchmarks", "docs"):
        shutil.copytree(ROOT / part, where / part, ignore=shutil.ignore_patterns("__pycache__"))


SESSIONS = sessions()


@pytest.mark.parametrize("session", [s for s in SESSIONS if not s.skip], ids=lambda s: s.name)
def test_readme_session_gives_the_output_it_shows(session: Session, workspace: Path) -> None:
    where = workspace / f"line-{session.line}"
    _copy(where)
    for command, output, status in run(session, where):
        if command.expected:
            shown = "\n".join(command.expected)
            got = "\n".join(output)
            assert matches(command.expected, output), (
                f"README.md:{command.line}: `{command.text}` (exit {status}) printed\n{got}\n\n--- the README shows ---\n{shown}"
            )
        elif "echo $?" not in command.text:
            assert status == 0, f"README.md:{command.line}: `{command.text}` exited {status}:\n" + "\n".join(output)


def test_every_session_left_out_says_why() -> None:
    skipped = [s for s in SESSIONS if s.skip]
    assert len(SESSIONS) >= 15
    assert len(skipped) <= 3, [s.name for s in skipped]
    for session in skipped:
        assert len(session.skip) > 15, f"{session.name}: say why it is not run"


def test_matching_with_elisions() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "d"], ["a", "d"])
    assert not matches(["a", "...", "d"], ["a", "b"])
    assert not matches(["a", "b"], ["a", "b", "c"])
    assert matches(["a  "], ["a"])


# -- the YAML examples of README.md and docs/FORMAT.md load -------------------------------------------
#
# A newcomer copies them. A whole journey must pass `validate` and the JSON Schema as it is; a part of
# one (a `personas:` list, a `next:` entry, a scenario) is put into BASE, a journey that has the ids
# the examples name, and the whole must pass both. `[...]`, `{...}` and a line that is just `...` are
# the text's placeholders for "more here", taken out first. Every other YAML block is named in
# NOT_JOURNEYS with what it is, so that a new example cannot go unchecked.

FORMAT = ROOT / "docs" / "FORMAT.md"
NOT_JOURNEYS = {
    "# .journeymap.yaml": "lint settings (test_the_lint_settings_shown_are_read below)",
    "# yaml-language-server:": "a first line for the editor, the comment alone",
    "workshop: 1": "a workshop's votes file, as serve writes it",
    "repos:": "a pre-commit configuration (test_lint.py checks the hooks)",
    "      - uses: actions/checkout": "part of a GitHub workflow (test_lint.py checks the workflow's commands)",
}

BASE: dict[str, object] = {
    "journeymap": 1, "id": "docs-example", "title": "Every id the examples name",
    "personas": [{"id": "busy-parent", "name": "Busy parent"}],
    "channels": [{"id": "app", "name": "Mobile app"}, {"id": "phone", "name": "Support line", "kind": "human"}],
    "stages": [{"id": "sign-up", "name": "Sign up"}, {"id": "discover", "name": "Discover"}],
    "touchpoints": [
        {"id": "create-account", "name": "Create account", "stage": "sign-up", "channel": "app", "entry": True,
         "next": [{"to": "plan-page", "share": 0.8}, {"to": "call-support", "share": 0.1}]},
        {"id": "plan-page", "name": "Plan page", "stage": "sign-up", "channel": "app",
         "next": [{"to": "checkout", "share": 0.5}, {"to": "account-ready", "share": 0.2}]},
        {"id": "checkout", "name": "Checkout", "stage": "sign-up", "channel": "app", "next": ["capture-id-document"]},
        {"id": "capture-id-document", "name": "Captures ID", "stage": "sign-up", "channel": "app",
         "next": ["manual-review"], "metrics": {"csat": 0.6}},
        {"id": "manual-review", "name": "Manual review", "stage": "sign-up", "channel": "phone", "next": ["confirm-email"]},
        {"id": "confirm-email", "name": "Confirms email", "stage": "sign-up", "channel": "app", "next": ["verify-email"]},
        {"id": "call-support", "name": "Calls support", "stage": "sign-up", "channel": "phone",
         "next": [{"to": "verify-email", "share": 0.5}, {"to": "cancel-contract", "share": 0.2}]},
        {"id": "account-ready", "name": "Account ready", "stage": "sign-up", "channel": "app", "next": ["done"]},
        {"id": "verify-email", "name": "Verifies email", "stage": "sign-up", "channel": "app", "outcome": "success"},
        {"id": "done", "name": "Done", "stage": "sign-up", "channel": "app", "outcome": "success"},
        {"id": "cancel-contract", "name": "Cancels", "stage": "sign-up", "channel": "phone", "outcome": "failure"},
    ],
    "metrics": {"csat": {"target": 0.8}},
    "value": {"currency": "EUR"},
    "scenarios": [{"id": "id-check-first-time", "name": "ID accepted", "changes": [{"touchpoint": "checkout", "drop_off": 0.1}]}],
}
#: examples shown with a mistake on purpose: the error codes they give, and whether the schema refuses them
EXPECTED = {
    # the touchpoint example names every key once; an outcome and flows in one touchpoint (the comment says)
    "touchpoints:\n  - id: create-account        # slug, unique in the journey": (["outcome-with-next"], False),
    # "What the schema checks": CSAT 1.7 and 1h1h refused by both, 12 % read
    "    metrics:\n      csat: 1.7": (["metric-value", "metric-value"], True),
}
LIBRARY = {"journeymap": 1, "channels": [{"id": "web", "name": "Website"}]}


@dataclass
class Example:
    file: Path
    line: int
    text: str

    @property
    def name(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line}"


def yaml_examples() -> list[Example]:
    from markdown_it import MarkdownIt

    found = []
    for path in (README, FORMAT):
        for token in MarkdownIt().parse(path.read_text(encoding="utf-8")):
            if token.type == "fence" and token.info.strip() == "yaml" and token.map is not None:
                found.append(Example(path, token.map[0] + 1, token.content))
    return found


def _placeholders_out(text: str) -> str:
    import textwrap

    lines = [line for line in textwrap.dedent(text).splitlines() if line.strip() != "..."]
    return "\n".join(line for line in lines if not re.match(r"^\s*[\w-]+: (\[\.\.\.\]|\{\.\.\.\})\s*(#.*)?$", line))


def _merged(example: dict[str, Any], indented: bool) -> dict[str, Any]:
    """BASE with the example's parts in it: items by id replace BASE's, mappings are merged."""
    import copy

    data: dict[str, Any] = copy.deepcopy(BASE)
    if indented:  # a touchpoint's flows or metrics: account-ready's
        example = {"touchpoints": [{**data["touchpoints"][7], **example}]}
    for key, part in example.items():
        if isinstance(part, list) and isinstance(data.get(key), list):
            ids = {item.get("id"): item for item in part if isinstance(item, dict)}
            data[key] = [{**item, **ids.pop(item["id"])} if item["id"] in ids else item for item in data[key]]
            data[key] += list(ids.values())
        elif isinstance(part, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **part}
        else:
            data[key] = part
    return data


EXAMPLES = yaml_examples()


def test_the_yaml_examples_are_found_and_named() -> None:
    assert len(EXAMPLES) >= 18
    for what in [*NOT_JOURNEYS, *EXPECTED]:
        assert any(e.text.startswith(what) for e in EXAMPLES), f"no YAML example starts {what!r} any more"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_each_yaml_example_loads_and_passes_the_schema(example: Example, tmp_path: Path) -> None:
    import json

    from journeymap.json_schema import schema
    from journeymap.loader import Loader
    from journeymap.yamlio import parse

    if any(example.text.startswith(what) for what in NOT_JOURNEYS):
        return
    text = _placeholders_out(example.text)
    indented = example.text.startswith(" ")
    if text.lstrip().startswith("- "):  # a list of flows, as a touchpoint's next: holds them
        text = "next:\n" + "\n".join("  " + line for line in text.splitlines())
    data, problems = parse(text, example.name)
    assert problems == [] and isinstance(data, dict), f"{example.name}: not YAML a journey holds: {problems}"
    whole = "journeymap" in data and "touchpoints" in data
    data = json.loads(json.dumps(data)) if whole else _merged(json.loads(json.dumps(data)), indented)
    (tmp_path / "library").mkdir()
    (tmp_path / "library" / "shared.yaml").write_text(json.dumps(LIBRARY), encoding="utf-8")
    for name in data.get("imports", []):
        target = (tmp_path / "journeys" / name).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(LIBRARY), encoding="utf-8")
    path = tmp_path / "journeys" / "example.journey.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    result = Loader(root=tmp_path).check(path)
    expected, refused = next((said for start, said in EXPECTED.items() if example.text.startswith(start)), ([], False))
    assert [p.code for p in result.errors] == expected, (f"{example.name} does not load as the text says", result.errors)
    validator = jsonschema_validator(schema())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    if refused:
        assert sorted({e.split(":")[0] for e in errors}) == [
            "['touchpoints', 7, 'metrics', 'csat']", "['touchpoints', 7, 'metrics', 'response_time']"
        ], errors
    else:
        assert errors == []


def _fence(start: str) -> str:
    return next(e.text for e in EXAMPLES if e.text.startswith(start))


def test_the_lint_settings_shown_are_read(tmp_path: Path) -> None:
    """The README's .journeymap.yaml and pyproject.toml blocks are settings lint reads, the same rules alike."""
    import textwrap

    from journeymap.rules.config import read_config

    yaml_file = tmp_path / ".journeymap.yaml"
    yaml_file.write_text(_fence("# .journeymap.yaml"), encoding="utf-8")
    text = README.read_text(encoding="utf-8")
    toml = textwrap.dedent(text.split("```toml\n", 1)[1].split("```", 1)[0])
    assert toml.startswith("# pyproject.toml")
    toml_file = tmp_path / "pyproject.toml"
    toml_file.write_text(toml, encoding="utf-8")
    (from_yaml, yaml_problems), (from_toml, toml_problems) = read_config(yaml_file), read_config(toml_file)
    assert yaml_problems == [] and toml_problems == []
    assert set(from_toml.rules) == {"dead-end", "weak-without-owner", "shares-unaccounted"}
    for rule in from_toml.rules:
        assert from_toml.rules[rule] == from_yaml.rules[rule], rule
    assert not from_yaml.rules["dead-end"].enabled
    assert from_yaml.rules["shares-unaccounted"].options == {"min_share": 0.6}


def jsonschema_validator(schema: dict[str, Any]) -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(schema)


# -- links inside the docs resolve ------------------------------------------------------------------

DOCS = [README, FORMAT, ROOT / "sample_journeys" / "README.md", ROOT / "docs" / "BENCHMARKS-HISTORY.md"]


@functools.cache
def _anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file (a repeated one gets -1, -2, ...)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt().parse(path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    anchors = set()
    for heading, inline in zip(tokens, tokens[1:], strict=False):
        if heading.type != "heading_open":
            continue
        text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _links(path: Path) -> list[tuple[int, str]]:
    from markdown_it import MarkdownIt

    found = []
    for token in MarkdownIt().parse(path.read_text(encoding="utf-8")):
        for child in token.children or []:
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            if href and not re.match(r"^[a-z]+:", href):
                found.append(((token.map or [0])[0] + 1, href))
    return found


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_inside_the_docs_resolves(path: Path) -> None:
    """docs/BENCHMARKS-HISTORY.md linked `#event-logs-bench_eventspy`, a heading of the README, as its own."""
    broken = []
    for line, href in _links(path):
        target, _, anchor = href.partition("#")
        file = (path.parent / target).resolve() if target else path
        if not file.exists():
            broken.append(f"{path.name}:{line}: {href}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            broken.append(f"{path.name}:{line}: {href}: no such heading")
    assert broken == []
    assert len(_links(README)) > 40


# -- each command's options, as --help has them, are in its README section ---------------------------


def _commands_parsers() -> dict[str, Any]:
    import argparse

    from journeymap.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _sections() -> dict[str, str]:
    found: dict[str, list[str]] = {}
    current: list[str] = []
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = found.setdefault(line[3:].strip(), [])
        else:
            current.append(line)
    return {name: "\n".join(lines) for name, lines in found.items()}


OPTION = r"(?<![\w-])--?[a-zA-Z][a-z-]*[a-z]?(?![\w-])"


def test_every_option_of_a_command_is_in_its_readme_section() -> None:
    """`calibrate -q`, `site`'s default folder, `whatif`'s options in a synopsis were nowhere in their
    sections; `report`'s synopsis left out --period, --engine and the --*-column options."""
    sections = _sections()
    missing = []
    for name, parser in _commands_parsers().items():
        section = sections[f"journeymap {name}"]
        for action in parser._actions:
            said = [o for o in action.option_strings if re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", section)]
            if action.option_strings and "--help" not in action.option_strings and not said:  # (-q for --quiet is said)
                missing.append(f"journeymap {name} {'/'.join(action.option_strings)}")
    assert missing == []


def test_every_option_the_readme_gives_a_command_is_one_it_takes() -> None:
    parsers = _commands_parsers()
    wrong = []
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        for match in re.finditer(r"journeymap (\w+)([^`#|]*)", line.removeprefix("$ ")):
            parser = parsers.get(match.group(1))
            if parser is None:
                continue
            takes = {o for a in parser._actions for o in a.option_strings}
            wrong += [f"README.md:{number}: journeymap {match.group(1)} {o}" for o in re.findall(OPTION, match.group(2))
                      if o.startswith("--") and o not in takes]
    assert wrong == []


# -- the report's JSON as the README shows it ----------------------------------------------------------


def shown_in(shown: Any, actual: Any) -> bool:
    """Whether ``actual`` has what ``shown`` shows: a ``"..."`` list item stands for any number of
    items, a ``"..."`` key for the keys not shown; the keys shown come in ``actual``'s order."""
    if isinstance(shown, dict):
        if not isinstance(actual, dict):
            return False
        keys = [k for k in shown if k != "..."]
        order = [k for k in actual if k in keys]
        complete = "..." in shown or list(shown) == list(actual)
        return order == keys and complete and all(shown_in(shown[k], actual[k]) for k in keys)
    if isinstance(shown, list):
        if not isinstance(actual, list):
            return False

        def match(s: int, a: int) -> bool:
            while s < len(shown):
                if shown[s] == "...":
                    return any(match(s + 1, k) for k in range(a, len(actual) + 1))
                if a >= len(actual) or not shown_in(shown[s], actual[a]):
                    return False
                s, a = s + 1, a + 1
            return a == len(actual)

        return match(0, 0)
    return bool(shown == actual)


def test_the_report_json_shown_is_what_report_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's JSON (keys "always in this order") showed a weak touchpoint's first reason as the
    emotion one (the CES miss comes first) and its metric without `low_confidence`; the keys after
    `events` (`value`, `fix_first`) and a touchpoint's after `overrides` were not in it."""
    import json

    from journeymap.cli import main

    text = README.read_text(encoding="utf-8")
    block = text.split("JSON (`--format json`, also `journeymap.analyze(...).to_json()`)", 1)[1]
    shown = json.loads(block.split("```json\n", 1)[1].split("```", 1)[0])
    assert main(["report", str(ROOT / "sample_journeys" / "bank-account-opening.journey.yaml"), "--format", "json"]) == 0
    actual = json.loads(capsys.readouterr().out)
    assert shown_in(shown, actual)
    assert not shown_in({**shown, "events": "x"}, actual)


def test_matching_json_with_elisions() -> None:
    assert shown_in({"a": 1, "...": 0}, {"a": 1, "b": 2})
    assert not shown_in({"a": 1}, {"a": 1, "b": 2})
    assert not shown_in({"b": 2, "a": 1, "...": 0}, {"a": 1, "b": 2})
    assert shown_in(["...", 3], [1, 2, 3]) and not shown_in([3, "..."], [1, 2, 3])


# -- the diff's Markdown and JSON as the README shows them ----------------------------------------------

DIFF_FIXTURES = ROOT / "tests" / "fixtures" / "diff"


def test_the_diff_markdown_shown_is_the_golden_one() -> None:
    """The README's Markdown of shop-old → shop-new left out three of the table's rows (another
    `No longer weak`, a `Still weak, reasons changed`, a reach) and the touchpoints before `basket`
    without a `...`, under a summary counting them: now an excerpt, `...` where lines are left out."""
    text = README.read_text(encoding="utf-8")
    shown = text.split("```markdown\n### Online shop checkout", 1)[1].split("```", 1)[0]
    shown_lines = ("### Online shop checkout" + shown).splitlines()
    golden = (ROOT / "tests" / "goldens" / "diff" / "shop.md").read_text(encoding="utf-8").replace("tests/fixtures/diff/", "")
    assert matches(shown_lines, golden.splitlines())


def test_the_diff_json_shown_has_the_keys_diff_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """`consequences.value` (null without a value model) was missing from the README's JSON, whose
    keys "are always present"; its stages came first though they are in stage order."""
    import json

    from journeymap.cli import main

    text = README.read_text(encoding="utf-8")
    shown = text.split("```jsonc\n", 1)[1].split("```", 1)[0]
    top = re.findall(r'^  "(\w+)":', shown, re.M)
    consequences = re.findall(r'^    "(\w+)":', shown.split('"consequences"', 1)[1].split('"changes"', 1)[0], re.M)
    old, new = DIFF_FIXTURES / "shop-old.journey.yaml", DIFF_FIXTURES / "shop-new.journey.yaml"
    assert main(["diff", str(old), str(new), "--format", "json"]) in (0, 1)
    actual = json.loads(capsys.readouterr().out)
    assert [k for k in top if k != "imports_changed"] == list(actual)  # (imports_changed: only with --git)
    assert consequences == list(actual["consequences"])
    assert actual["consequences"]["stages"][-1]["stage"] == "review"


def test_the_planned_vs_actual_panel_shown_is_what_render_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The README's panel text said "read by python" and "Conformance: Not measured", which the python
    engine gives, under a command that reads the log with the default engine, DuckDB (conformance
    measured, the flows' times); and it left out two flow rows with no `...`. Every cell it shows
    is on the map its command writes."""
    import html

    from journeymap.cli import main

    text = README.read_text(encoding="utf-8")
    shown = text.split("```\nPlanned vs actual\n", 1)[1].split("```", 1)[0]
    samples = ROOT / "sample_journeys"
    assert main(["render", str(samples / "grocery-first-order.journey.yaml"), "--events",
                 str(samples / "data" / "grocery-first-order.calibrate.events.csv"), "--to", "html", "-o", str(tmp_path)]) == 0
    capsys.readouterr()
    page = (tmp_path / "grocery-first-order.html").read_text(encoding="utf-8")
    panel = page.split('id="planned-vs-actual"', 1)[1]
    flat = "".join(html.unescape(re.sub(r"<[^>]+>", "", panel)).split()).casefold()
    cells = [c for line in shown.splitlines() if line.strip() != "..." for c in re.split(r"\s{2,}", line.strip())]
    assert [c for c in cells if "".join(c.split()).casefold() not in flat] == []
    # the flow rows shown are the table's first rows, one after another
    flows = shown.split("Flows: observed vs declared share\n", 1)[1].splitlines()
    assert "".join("".join(line.split()) for line in flows if line != "...").casefold() in flat


def test_the_help_and_format_md_name_every_column_the_readers_take() -> None:
    """`--metrics` help named `n, period, persona` (a table also takes date, sd, promoters, detractors),
    `--events` `outcome, segment` (a `persona` column works too), and FORMAT.md never named a survey
    file's Qualtrics `status` column."""
    from journeymap.cli import DATA_HELP
    from journeymap.data import metrics_table, responses
    from journeymap.data.engines import rows

    data_section = FORMAT.read_text(encoding="utf-8").split("## Metric data outside the journey file", 1)[1].split("\n## ", 1)[0]
    missing = []
    for option, module in (("metrics", metrics_table), ("responses", responses), ("events", rows)):
        for column in (*module.REQUIRED, *module.OPTIONAL):
            if not re.search(rf"\b{column}\b", DATA_HELP[option]):
                missing.append(f"--{option} help: {column}")
            if option != "events" and f"`{column}`" not in data_section and not re.search(rf"[,\[]{column}\b", data_section):
                missing.append(f"FORMAT.md: {option} {column}")
    assert missing == []


def test_the_version_the_readme_gives_is_the_package_s(capsys: pytest.CaptureFixture[str]) -> None:
    """`journeymap --version` was nowhere in the README; the pre-commit example pins `rev: v0.1.0`."""
    from journeymap.cli import main

    with pytest.raises(SystemExit):
        main(["--version"])
    printed = capsys.readouterr().out.strip()
    text = README.read_text(encoding="utf-8")
    assert f"`journeymap --version` prints the version installed, `{printed}`" in text
    assert f"rev: v{printed.split()[-1]}" in text


def test_the_readme_counts_the_commands_there_are() -> None:
    """The Dependencies table called journeymap "a six-command CLI"; it has twelve commands."""
    words = {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14}
    said = re.findall(r"\b(\w+)-command CLI\b", README.read_text(encoding="utf-8"))
    assert said and all(words.get(w) == len(_commands_parsers()) for w in said), said


def test_the_architecture_table_names_every_module() -> None:
    """The table left out json_schema.py, stats.py, sniff.py, lookalikes.py, shares.py, links.py,
    _coerce.py and _cycles.py, and its cli/ row named nine of the twelve commands."""
    section = README.read_text(encoding="utf-8").split("## Architecture", 1)[1].split("\n## ", 1)[0]
    package = ROOT / "journeymap"
    names = [p.name for p in package.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    names += [f"{p.name}/" for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    assert [n for n in sorted(names) if f"`{n}`" not in section] == []
    cli_row = next(line for line in section.splitlines() if line.startswith("| `cli/` |"))
    assert [c for c in _commands_parsers() if f"`{c}`" not in cli_row] == []
