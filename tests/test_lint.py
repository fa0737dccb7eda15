"""journeymap lint: the rules (cases as data), configuration, the command, the ecosystem files."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import shlex
import textwrap
from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap.cli import COMMANDS, build_parser, main
from journeymap.loader import load_text
from journeymap.model import Journey
from journeymap.problems import Problem
from journeymap.rules import (
    RULES,
    SUPERSEDED_LOADER_CODES,
    LintConfig,
    config_from_data,
    lint,
    summary,
)
from journeymap.rules import common as lint_common
from journeymap.rules.config import ConfigFinder, read_config
from journeymap.yamlio import parse

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lint"
CASES_FILE = FIXTURES / "cases.yaml"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _read_yaml(path: Path) -> Any:
    data, problems = parse(path.read_text(encoding="utf-8"), str(path))
    assert not problems, problems
    return data


CASES_DATA = _read_yaml(CASES_FILE)
HEADER: str = CASES_DATA["header"]
HEADER_LINES = HEADER.count("\n")
CASES: list[dict[str, Any]] = CASES_DATA["cases"]


def _load_snippet(snippet: str) -> tuple[Journey, int]:
    """Load a case's journey; returns it and the number of header lines put in front."""
    if snippet.lstrip().startswith("journeymap:"):
        return load_text(snippet, "case.journey.yaml"), 0
    return load_text(HEADER + snippet, "case.journey.yaml"), HEADER_LINES


def _config(data: Any) -> LintConfig:
    config, problems = config_from_data(data, "case config")
    assert not problems, [str(p) for p in problems]
    return config


def _position(journey: Journey, problem: Problem, offset: int) -> str:
    if problem.span == journey.span("journey"):
        return "journey"
    return f"{problem.span.line - offset}:{problem.span.col}"


# -- rule cases as data ----------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[f"{c['rule']}: {c['name']}" for c in CASES])
def test_rule_case(case: dict[str, Any]) -> None:
    assert case["rule"] in RULES, f"unknown rule {case['rule']!r} in cases.yaml"
    journey, offset = _load_snippet(case["journey"])
    config = _config(case.get("config"))
    found = [p for p in lint(journey, config) if p.code == case["rule"]]
    assert [_position(journey, p, offset) for p in found] == case["expect"], [str(p) for p in found]
    if "level" in case:
        assert {p.level for p in found} == {case["level"]}
    if "message" in case:
        assert case["message"] in found[0].message


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    for rule_id in RULES:
        mine = [c for c in CASES if c["rule"] == rule_id]
        assert any(c["expect"] for c in mine), f"{rule_id}: no case where it fires"
        assert any(not c["expect"] and not c.get("config") for c in mine), f"{rule_id}: no case where it stays quiet"


# -- the rule modules ------------------------------------------------------------------


def _examples(rule: Any) -> dict[str, str]:
    """The ``Bad::`` and ``Good::`` YAML blocks of a rule's docstring."""
    doc = inspect.getdoc(rule) or ""
    blocks = {}
    for label in ("Bad", "Good"):
        match = re.search(rf"^{label}::\n\n((?:    .*\n|\n)+)", doc + "\n", re.MULTILINE)
        assert match, f"{rule.ID}: the docstring has no '{label}::' example"
        blocks[label] = textwrap.dedent(match.group(1))
    return blocks


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_module_shape(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.ID == rule_id and SLUG.match(rule_id)
    assert rule.__name__.rsplit(".", 1)[-1] == rule_id.replace("-", "_"), "one module per rule, named after its id"
    assert rule.LEVEL in ("warning", "error")
    assert isinstance(getattr(rule, "CONF", {}), dict)
    assert inspect.isgeneratorfunction(rule.check)
    assert list(inspect.signature(rule.check).parameters) == ["journey", "conf"]
    assert summary(rule) and summary(rule)[-1] in ".:", f"{rule_id}: the first docstring line is a one-line summary"
    _examples(rule)


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_docstring_examples(rule_id: str) -> None:
    """The bad example of each rule triggers it; the good one does not."""
    examples = _examples(RULES[rule_id])
    bad, _ = _load_snippet(examples["Bad"])
    good, _ = _load_snippet(examples["Good"])
    assert any(p.code == rule_id for p in lint(bad)), f"{rule_id}: the bad example does not trigger it"
    assert not [str(p) for p in lint(good) if p.code == rule_id], f"{rule_id}: the good example triggers it"


def test_every_rule_module_is_registered() -> None:
    helpers = {"common", "config"}
    modules = {m.name for m in pkgutil.iter_modules(journeymap.rules.__path__)} - helpers
    assert modules == {rule_id.replace("-", "_") for rule_id in RULES}


def test_lint_package_never_prints_or_exits() -> None:
    for path in Path(journeymap.rules.__path__[0]).glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*print\(|sys\.exit|journeymap\.cli|from \.\.cli", text, re.MULTILINE), path


def test_lint_is_callable_as_the_package_too() -> None:
    journey = journeymap.load(FIXTURES / "no-success.journey.yaml")
    assert [p.code for p in journeymap.lint(journey)] == ["success-unreachable", "unreachable-touchpoint"]
    assert lint(journey) == journeymap.rules.lint(journey)


def test_clean_fixture_has_no_problems() -> None:
    journey = journeymap.load(FIXTURES / "clean.journey.yaml")
    assert [str(p) for p in lint(journey)] == []


def test_problems_are_sorted_and_carry_rule_levels() -> None:
    journey = journeymap.load(FIXTURES / "warnings.journey.yaml")
    problems = lint(journey)
    assert problems == sorted(problems, key=Problem.sort_key)
    assert {p.code for p in problems} == set(RULES) - {"success-unreachable", "no-success-outcome", "entry-volume-missing", "closed-loop"}
    assert all(p.level == RULES[p.code].LEVEL for p in problems)


def test_weak_fallback_uses_the_journeys_thresholds() -> None:
    journey, _ = _load_snippet(
        "personas: [{id: p, name: P}]\nchannels: [{id: web, name: Web}]\nstages: [{id: s, name: S}]\n"
        "touchpoints:\n"
        "  - {id: a, name: A, stage: s, channel: web, outcome: success, friction: [{type: wait, severity: 3, note: n}]}\n"
        "weak: {friction_severity: 3}\n"
    )
    assert "a" in lint_common.weak_touchpoints(journey)


def test_main_path_and_shares_agree_with_the_graph(sample_files: list[Path]) -> None:
    graph_module = importlib.import_module("journeymap.graph")
    for path in sample_files:
        journey = journeymap.load(path)
        graph = graph_module.JourneyGraph(journey)
        assert lint_common.entries(journey) == graph.entries, path
        assert lint_common.reachable(journey) == graph.reachable(), path
        for touchpoint in journey.touchpoints:
            mine = lint_common.effective_shares(touchpoint)
            theirs = [share for _, share in graph.flows(touchpoint.id)]
            if sum(mine) <= 1:
                assert mine == pytest.approx(theirs), (path, touchpoint.id)
        path_ids = lint_common.main_path(journey)
        assert path_ids and path_ids[0] in graph.entries
        assert all(b in dict(graph.flows(a)) for a, b in zip(path_ids, path_ids[1:], strict=False))


# -- configuration -------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _journey_in(folder: Path) -> Path:
    """A journey with a dead end (and nothing else to say) in ``folder``."""
    return _write(
        folder / "j.journey.yaml",
        """\
        journeymap: 1
        id: j
        title: J
        personas: [{id: p, name: P}]
        channels: [{id: web, name: Web}]
        stages: [{id: s, name: S}]
        touchpoints:
          - {id: a, name: A, stage: s, channel: web, emotion: 1, next: [b, c]}
          - {id: b, name: B, stage: s, channel: web, emotion: 1, outcome: success}
          - {id: c, name: C, stage: s, channel: web}
        """,
    )


def _codes(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, list[str]]:
    code = main(["lint", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, [f"{p['level']}[{p['code']}]" for p in json.loads(out)] if out.strip() else []


def test_no_config_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    journey = _journey_in(tmp_path / "journeys")
    assert _codes(capsys, [str(journey)]) == (0, ["warning[dead-end]"])


def test_journeymap_yaml_found_walking_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / ".journeymap.yaml", "lint:\n  rules:\n    dead-end: error\n")
    journey = _journey_in(tmp_path / "journeys" / "deep")
    monkeypatch.chdir(tmp_path / "journeys")
    assert _codes(capsys, [str(journey)]) == (1, ["error[dead-end]"])
    finder = ConfigFinder()
    config, problems = finder.for_file(journey)
    assert not problems and config.source and config.source.endswith(".journeymap.yaml")


def test_pyproject_found_walking_up_and_rule_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.journeymap.lint.rules]\ndead-end = "off"\n')
    # A pyproject.toml without [tool.journeymap.lint] on the way is passed over.
    _write(tmp_path / "journeys" / "pyproject.toml", '[tool.ruff]\nline-length = 100\n')
    journey = _journey_in(tmp_path / "journeys")
    monkeypatch.chdir(tmp_path)
    assert _codes(capsys, [str(journey)]) == (0, [])


def test_config_in_the_working_directory_when_none_above_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = _journey_in(tmp_path / "elsewhere")
    project = tmp_path / "project"
    _write(project / "pyproject.toml", '[tool.journeymap.lint]\nrules = { dead-end = false }\n')
    monkeypatch.chdir(project)
    assert _codes(capsys, [str(journey)]) == (0, [])


def test_journeymap_yaml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.journeymap.lint.rules]\ndead-end = "off"\n')
    _write(tmp_path / ".journeymap.yaml", "lint:\n  rules: {dead-end: error}\n")
    config, problems = ConfigFinder(tmp_path).for_file(_journey_in(tmp_path))
    assert not problems
    assert config.rules["dead-end"].level == "error"


def test_explicit_config_and_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    journey = _journey_in(tmp_path)
    settings = _write(tmp_path / "strict.yaml", "lint:\n  rules:\n    dead-end: {level: error}\n")
    assert _codes(capsys, ["--config", str(settings), str(journey)]) == (1, ["error[dead-end]"])
    toml = _write(tmp_path / "other.toml", "[tool.journeymap.lint.rules.dead-end]\nlevel = 'off'\n")
    assert _codes(capsys, ["--config", str(toml), str(journey)]) == (0, [])


def test_options_reach_the_rule() -> None:
    config = _config({"rules": {"shares-unaccounted": {"min_share": 0.9, "level": "error"}}})
    level, options = config.settings(RULES["shares-unaccounted"])
    assert level == "error" and options == {"min_share": 0.9, "tolerance": 0.05}
    assert config.settings(RULES["dead-end"]) == ("warning", {})


@pytest.mark.parametrize(
    ("text", "where", "message", "hint"),
    [
        ("lint:\n  rules:\n    dead-ends: off\n", "3:5", "unknown lint rule 'dead-ends'", "did you mean 'dead-end'?"),
        ("lint:\n  rules:\n    unreachable: off\n", "3:5", "unknown lint rule 'unreachable'", "did you mean 'unreachable-touchpoint'?"),
        (
            "lint:\n  rules:\n    shares-unaccounted: {level: error, min_shares: 0.6}\n",
            "3:40",
            "rule 'shares-unaccounted' has no option 'min_shares'",
            "did you mean 'min_share'?",
        ),
        ("lint:\n  rules:\n    dead-end: loud\n", "3:5", "'loud' is not a level", "a level is off, warning or error"),
        (  # a comma inside {...} separates entries: 0 and an option '6'
            "lint:\n  rules:\n    shares-unaccounted: {min_share: 0,6}\n",
            "3:39",
            "rule 'shares-unaccounted' has no option '6'",
            "so 'min_share: 0,6' was read as min_share 0 and a key '6': write the decimal point as a dot: 0.6",
        ),
        (
            "lint:\n  rules:\n    metric-without-target: {everywhere: 'yes'}\n",
            "3:29",
            "option 'everywhere' must be true or false",
            "the default is False",
        ),
        ("lint:\n  rule: {}\n", "2:3", "unknown lint setting 'rule'", "did you mean 'rules'?"),
        ("rules:\n  dead-end: off\n", "1:1", "'rules' belongs under 'lint:'", "write 'lint:'"),
    ],
)
def test_config_errors_in_yaml(tmp_path: Path, text: str, where: str, message: str, hint: str) -> None:
    path = _write(tmp_path / ".journeymap.yaml", text)
    _, problems = read_config(path)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.is_error and f"{problem.span.line}:{problem.span.col}" == where
    assert message in problem.message and hint in (problem.hint or "")


def test_config_errors_in_pyproject_point_at_the_key(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "pyproject.toml",
        """\
        [project]
        name = "dead-ends"

        [tool.journeymap.lint.rules]
        dead-end = "off"
        shares-unaccounted = { level = "error", min_shares = 0.6 }
        persona-nowhere = "off"
        """,
    )
    _, problems = read_config(path)
    assert [(p.span.line, p.span.col, p.hint) for p in problems] == [
        (6, 41, "did you mean 'min_share'?"),
        (7, 1, "did you mean 'persona-met-nowhere'?"),
    ]


def test_broken_toml_is_reported_with_its_position(tmp_path: Path) -> None:
    path = _write(tmp_path / "pyproject.toml", "[tool.journeymap.lint]\nrules = {\n")
    _, problems = read_config(path)
    assert len(problems) == 1 and problems[0].span.line == 2 and "invalid TOML" in problems[0].message


def test_config_errors_exit_2_with_the_config_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / ".journeymap.yaml", "lint:\n  rules:\n    dead-ends: off\n")
    journey = _journey_in(tmp_path)
    assert main(["lint", str(journey)]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith(".journeymap.yaml:3:5: error[lint-config]: unknown lint rule 'dead-ends' (did you mean 'dead-end'?)")
    assert main(["lint", "--format", "github", str(journey)]) == 2
    assert capsys.readouterr().out.startswith("::error file=.journeymap.yaml,line=3,col=5,title=lint-config::")


# -- the command -------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["lint", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_text_output(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = _run(capsys, "tests/fixtures/lint/warnings.journey.yaml")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 12
    assert lines[0] == (
        "tests/fixtures/lint/warnings.journey.yaml:8:5: warning[persona-met-nowhere]: persona 'reseller' "
        "(10% of customers) meets no touchpoint: every touchpoint lists its personas and none lists 'reseller' "
        "(add the persona to the touchpoints it meets, or remove it from the journey)"
    )
    assert lines[-1].startswith(
        "tests/fixtures/lint/warnings.journey.yaml:64:5: warning[unreachable-touchpoint]: touchpoint 'old-fax-form'"
    )
    # The loader's own warning of the same meaning is not repeated.
    assert not any(f"[{code}]" in out for code in SUPERSEDED_LOADER_CODES if code not in RULES)
    assert err == "ok: 1 file, 0 errors, 12 warnings\n"


def test_cli_exit_codes(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    assert _run(capsys, "clean.journey.yaml")[0] == 0
    assert _run(capsys, "--strict", "clean.journey.yaml")[0] == 0
    assert _run(capsys, "warnings.journey.yaml")[0] == 0
    assert _run(capsys, "--strict", "warnings.journey.yaml")[0] == 1
    code, out, err = _run(capsys, "no-success.journey.yaml")
    assert code == 1 and "error[success-unreachable]" in out and err.startswith("failed:")
    assert _run(capsys, "-q", "clean.journey.yaml") == (0, "", "")
    assert _run(capsys)[0] == 2
    assert _run(capsys, "missing.journey.yaml")[0] == 2
    assert _run(capsys, "--config", "missing.yaml", "clean.journey.yaml")[0] == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "--format", "xml", "clean.journey.yaml"])
    assert exit_info.value.code == 2


def test_cli_format_errors_stop_linting(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    code, out, _ = _run(capsys, "broken.journey.yaml")
    assert code == 1
    assert out == (
        "broken.journey.yaml:9:54: error[unknown-reference]: touchpoint 'open-settings': unknown stage 'cancle' "
        "(did you mean 'cancel'?)\n"
    )


def test_cli_json_and_github(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    code, out, err = _run(capsys, "--format", "json", "warnings.journey.yaml", "no-success.journey.yaml")
    assert code == 1 and err == ""
    problems = json.loads(out)
    assert {p["code"] for p in problems} >= {"dead-end", "success-unreachable"}
    assert set(problems[0]) == {"file", "line", "col", "code", "level", "message", "hint"}
    code, out, _ = _run(capsys, "--format", "github", "warnings.journey.yaml")
    lines = out.splitlines()
    assert len(lines) == 12 and all(line.startswith("::warning file=warnings.journey.yaml,line=") for line in lines)
    assert ",title=dead-end::touchpoint 'drop-at-locker' is a dead end" in out


def test_cli_folders_and_journeys_only(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    _journey_in(tmp_path / "journeys")
    _write(tmp_path / "journeys" / "notes.yaml", "just: some yaml\n")
    _write(tmp_path / ".pre-commit-config.yaml", "repos: []\n")
    code, out, _ = _run(capsys, "journeys")
    assert code == 0 and "[dead-end]" in out and "notes.yaml" not in out
    # Named explicitly (as pre-commit does), a non-journey YAML file is an error...
    assert _run(capsys, ".pre-commit-config.yaml")[0] == 1
    # ... unless --journeys-only says to pass it over.
    code, out, _ = _run(capsys, "--journeys-only", ".pre-commit-config.yaml", "journeys/j.journey.yaml")
    assert code == 0 and ".pre-commit-config" not in out and "[dead-end]" in out
    assert _run(capsys, "--journeys-only", ".pre-commit-config.yaml")[0] == 0


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--list-rules")
    assert code == 0
    for rule_id, rule in RULES.items():
        shown = summary(rule).replace("``", "`")
        assert re.search(rf"^{re.escape(rule_id)} +{rule.LEVEL} +{re.escape(shown)}$", out, re.MULTILINE)
    assert "options: {min_share: 0.5, tolerance: 0.05}" in out


def test_list_rules_writes_options_as_the_configuration_file_takes_them(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--list-rules printed `options: include_imported=False` (Python's repr) and summaries in reST's
    double backticks (``outcome: success``); the README and .journeymap.yaml write
    `persona-met-nowhere: {include_imported: true}`. Each options line now reads as YAML the config takes."""
    import yaml

    from journeymap.rules.config import read_config

    code, out, _ = _run(capsys, "--list-rules")
    assert "``" not in out and "=False" not in out
    assert "options: {include_imported: false}" in out
    lines = out.splitlines()
    rules = {}
    for before, line in zip(lines, lines[1:], strict=False):
        if line.lstrip().startswith("options: "):
            rules[before.split()[0]] = yaml.safe_load(line.split("options: ", 1)[1])
    assert set(rules) == {r for r, rule in RULES.items() if getattr(rule, "CONF", {})}
    config = tmp_path / ".journeymap.yaml"
    config.write_text(yaml.safe_dump({"lint": {"rules": rules}}), encoding="utf-8")
    read, problems = read_config(config)
    assert problems == []
    for rule_id, options in rules.items():
        assert read.rules[rule_id].options == options == dict(RULES[rule_id].CONF)


def test_lint_on_every_sample_is_stable_and_sorted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sample_files: list[Path]
) -> None:
    monkeypatch.chdir(ROOT)
    assert sample_files
    first = _run(capsys, "sample_journeys")
    second = _run(capsys, "sample_journeys")
    assert first == second
    code, out, err = first
    assert code in (0, 1) and "internal error" not in err
    keys = []
    for line in out.splitlines():
        match = re.match(r"^(.+?):(\d+):(\d+): (warning|error)\[([a-z0-9-]+)\]: ", line)
        assert match, line
        keys.append((match.group(1), int(match.group(2)), int(match.group(3))))
    assert keys == sorted(keys)
    for path in sample_files:
        journey = journeymap.load(path)
        assert lint(journey) == lint(journey)


# -- README -------------------------------------------------------------------------


def test_readme_rule_table_lists_every_rule() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## journeymap lint", 1)[1].split("\n## ", 1)[0]
    for rule_id, rule in RULES.items():
        assert re.search(rf"^\| `{re.escape(rule_id)}` \| {rule.LEVEL} \|", section, re.MULTILINE), rule_id


# -- pre-commit hooks and the GitHub workflow -----------------------------------------------


def _parses(args: list[str]) -> None:
    """Parse a journeymap command line with the real parser (SystemExit means a bad option)."""
    try:
        build_parser().parse_args(args)
    except SystemExit as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(f"'journeymap {' '.join(args)}' is not a valid command line (exit {exc.code})")


HOOKS = _read_yaml(ROOT / ".pre-commit-hooks.yaml")


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_pre_commit_hook(hook: dict[str, Any]) -> None:
    assert hook["language"] == "python"
    assert hook["id"].startswith("journeymap-") and hook["name"]
    files = re.compile(hook["files"])
    assert files.search("journeys/signup.journey.yaml") and files.search("sample_journeys/a.yml")
    words = shlex.split(hook["entry"])
    assert words[0] == "journeymap"
    command = words[1]
    assert hook["id"] == f"journeymap-{command}"
    assert command in COMMANDS, f"the hook runs 'journeymap {command}', which does not exist"
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    _parses([*words[1:], *hook.get("args", []), "journeys/signup.journey.yaml"])


def test_pre_commit_hooks_cover_validate_fmt_and_lint() -> None:
    assert {h["id"] for h in HOOKS} == {"journeymap-validate", "journeymap-fmt", "journeymap-lint"}


def test_example_pre_commit_config_uses_real_hooks() -> None:
    config = _read_yaml(ROOT / "examples" / "pre-commit-config.yaml")
    hook_ids = {h["id"] for h in HOOKS}
    used = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    assert used and set(used) <= hook_ids


WORKFLOW_FILE = ROOT / "examples" / "github-workflow.yml"


def _workflow_commands() -> list[list[str]]:
    """Every ``journeymap ...`` command line in the workflow's ``run:`` scripts."""
    workflow = _read_yaml(WORKFLOW_FILE)
    commands = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            script = step.get("run", "")
            script = re.sub(r"\\\n", " ", script)
            for line in script.splitlines():
                for part in re.split(r"\|\||&&|[|;>]", line):
                    words = shlex.split(re.sub(r"\$\{\{[^}]*\}\}|\$\{?\w+\}?", "X", part), comments=True)
                    if words[:1] == ["journeymap"]:
                        commands.append(words[1:])
    return commands


def test_workflow_shape() -> None:
    workflow = _read_yaml(WORKFLOW_FILE)
    assert "pull_request" in workflow["on"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    checkout = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@")]
    assert checkout and checkout[0]["with"]["fetch-depth"] == 0
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert "apt-get install" in scripts and "graphviz" in scripts
    assert "pip install" in scripts
    assert "gh pr comment" in scripts
    commands = _workflow_commands()
    assert ["validate", "--format", "github"] == commands[0][:3]
    assert any(c[:3] == ["lint", "--format", "github"] for c in commands)
    diff = [c for c in commands if c[0] == "diff"]
    assert diff and "--git" in diff[0] and diff[0][diff[0].index("--format") + 1] == "markdown"


@pytest.mark.parametrize("command", _workflow_commands(), ids=lambda c: " ".join(c))
def test_workflow_commands_are_real(command: list[str]) -> None:
    assert command[0] in COMMANDS, f"the workflow runs 'journeymap {command[0]}', which does not exist"
    _parses(command)
