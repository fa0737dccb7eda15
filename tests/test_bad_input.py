"""The bad-input corpus: every broken file gives exit 1 and positioned problems, never a traceback.

Each case is a file under ``tests/fixtures/bad/`` (or an import tree under
``tests/fixtures/imports/``) with a sidecar ``<name>.expected`` beside it:

    # what the case proves
    LINE:COL code
    LINE:COL code | text the message or hint must contain
    lib/b.yaml:LINE:COL code          (a problem in another file, relative to the case)

The test asserts the exact multiset of (file, line, col, code), that every
message is non-empty and printed as ``file:line:col: level[code]: message``,
and, through ``python -m journeymap validate``, exit code 1 with no traceback
and nothing created in the working directory. Hostile files too big to commit
(an alias bomb, nesting 100,000 deep) are generated here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from journeymap.loader import Loader
from journeymap.problems import Problem, format_problems

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = FIXTURES.parent.parent


@dataclass(frozen=True)
class Expected:
    file: Path
    line: int
    col: int
    code: str
    contains: str | None


def _case_file(expected: Path) -> Path:
    return expected.with_name(expected.name[: -len(".expected")] + ".yaml")


def _read_expected(expected: Path) -> list[Expected]:
    case = _case_file(expected)
    rows = []
    for raw in expected.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        where_code, _, contains = raw.partition(" | ")
        where, code = where_code.split()
        *file_part, line, col = where.split(":")
        file = (case.parent / ":".join(file_part)).resolve() if file_part else case
        rows.append(Expected(file, int(line), int(col), code, contains.strip() or None))
    return rows


CASES = sorted([*FIXTURES.glob("bad/*.expected"), *FIXTURES.glob("imports/**/*.expected")])
CASE_IDS = [str(p.relative_to(FIXTURES))[: -len(".expected")] for p in CASES]


def _key(file: Path, line: int, col: int, code: str) -> tuple[str, int, int, str]:
    return (str(file), line, col, code)


def test_corpus_is_large_and_every_case_has_its_file() -> None:
    assert len(CASES) >= 45
    for expected in CASES:
        assert _case_file(expected).is_file(), f"{expected} has no case file"
    # Every bad fixture has its expectations (no silently untested files).
    for case in FIXTURES.glob("bad/*.yaml"):
        assert case.with_name(case.name[:-5] + ".expected").is_file(), f"{case} has no .expected"


@pytest.mark.parametrize("expected_file", CASES, ids=CASE_IDS)
def test_bad_case(expected_file: Path) -> None:
    case = _case_file(expected_file)
    expected = _read_expected(expected_file)
    result = Loader().check(case)
    problems = result.problems

    actual = Counter(_key(Path(p.span.file).resolve(), p.span.line, p.span.col, p.code) for p in problems)
    wanted = Counter(_key(e.file, e.line, e.col, e.code) for e in expected)
    assert actual == wanted, "\n" + format_problems(problems)
    assert result.journey is None
    assert any(p.is_error for p in problems)

    for e in expected:
        if e.contains is None:
            continue
        texts = [
            str(p)
            for p in problems
            if (Path(p.span.file).resolve(), p.span.line, p.span.col, p.code) == (e.file, e.line, e.col, e.code)
        ]
        assert any(e.contains in t for t in texts), f"no message at {e.line}:{e.col} contains {e.contains!r}: {texts}"

    _assert_printed_with_positions(problems)


def _assert_printed_with_positions(problems: list[Problem]) -> None:
    text = format_problems(problems, "text")
    lines = text.splitlines()
    assert len(lines) == len(problems)
    for problem, line in zip(problems, lines, strict=True):
        assert problem.message.strip(), problem
        assert problem.span.line >= 1 and problem.span.col >= 1, f"no position: {problem}"
        prefix = f"{problem.span.file}:{problem.span.line}:{problem.span.col}: {problem.level}[{problem.code}]: "
        assert line.startswith(prefix) and len(line) > len(prefix), line
        assert "Traceback" not in line


def _run_validate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "journeymap", "validate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
    )


def _env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "JOURNEYMAP_DEBUG"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning)\[(?P<code>[a-z0-9-]+)\]: \S")


@pytest.mark.parametrize("expected_file", CASES, ids=CASE_IDS)
def test_bad_case_through_the_cli(expected_file: Path, tmp_path: Path) -> None:
    """Run in an empty folder: exit 1, every line positioned, no traceback, nothing created."""
    case = _case_file(expected_file)
    expected = _read_expected(expected_file)
    proc = _run_validate(str(case), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "internal error" not in proc.stderr
    seen = Counter()
    for line in proc.stdout.splitlines():
        match = _LINE.match(line)
        assert match, f"not file:line:col: level[code]: message: {line!r}"
        seen[_key(Path(match["file"]).resolve(), int(match["line"]), int(match["col"]), match["code"])] += 1
    assert seen == Counter(_key(e.file, e.line, e.col, e.code) for e in expected), proc.stdout
    assert proc.stderr.startswith("failed: 1 file"), proc.stderr
    assert list(tmp_path.iterdir()) == [], "validating a file created something"


# -- tags never construct anything -------------------------------------------


def test_python_tags_are_a_real_exploit_for_unsafe_load_but_not_for_us(tmp_path: Path) -> None:
    """The tag fixture does run a command under yaml.unsafe_load; journeymap only reports it."""
    case = FIXTURES / "bad" / "tag-python-object.yaml"
    unsafe = tmp_path / "unsafe"
    unsafe.mkdir()
    subprocess.run(
        [sys.executable, "-c", f"import yaml; yaml.unsafe_load(open({str(case)!r}).read())"],
        cwd=unsafe,
        capture_output=True,
        timeout=60,
    )
    assert (unsafe / "JOURNEYMAP_PWNED").exists(), "the fixture should be a working exploit"

    ours = tmp_path / "ours"
    ours.mkdir()
    proc = _run_validate(str(case), cwd=ours)
    assert proc.returncode == 1
    assert list(ours.iterdir()) == []
    result = Loader().check(case)
    assert {p.code for p in result.problems} >= {"bad-tag"}


# -- every problem at once ---------------------------------------------------


def test_every_problem_is_reported_at_once_sorted_by_position() -> None:
    problems = Loader().check(FIXTURES / "bad" / "every-problem.yaml").problems
    codes = {p.code for p in problems}
    assert len(problems) >= 10
    assert len(codes) >= 10, codes
    lines = {p.span.line for p in problems}
    assert len(lines) >= 10, "the problems should come from different places"
    positions = [(p.span.line, p.span.col) for p in problems]
    assert positions == sorted(positions)


# -- hostile files generated here --------------------------------------------


def _bomb(levels: int = 10, width: int = 10) -> str:
    """The "billion laughs": each anchor repeats the previous one ``width`` times."""
    lines = ["journeymap: 1", "id: bomb", "x-l0: &l0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"x-l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    lines.append(f"title: *l{levels - 1}")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_fast_with_bounded_memory() -> None:
    Loader().check("warm-up.yaml", raw=b"journeymap: 1\n")  # import the C parser outside the measurement
    text = _bomb().encode()
    tracemalloc.start()
    started = time.perf_counter()
    result = Loader().check("bomb.yaml", raw=text)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 0.25, f"{elapsed:.3f}s"
    assert peak < 5_000_000, f"peak {peak:,} bytes"
    assert [(p.code, p.span.line) for p in result.problems] == [("alias-bomb", 9)]


def test_alias_bomb_through_merge_keys_is_refused() -> None:
    lines = ["journeymap: 1", "x-m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}"]
    for i in range(1, 10):
        items = ", ".join(f"k{k}: *m{i - 1}" for k in range(10))
        lines.append(f"x-m{i}: &m{i} {{<<: *m{i - 1}, {items}}}")
    lines.append("title: *m9")
    started = time.perf_counter()
    result = Loader().check("merge-bomb.yaml", raw=("\n".join(lines) + "\n").encode())
    assert time.perf_counter() - started < 0.5
    assert [p.code for p in result.problems if p.is_error][:1] == ["alias-bomb"]


def test_thousands_of_unknown_references_get_their_hints_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each unknown reference was compared with every id (and the ids sorted again for each):
    5,000 references to near misses of 5,000 ids took about a minute (found by test_fuzz).
    The cost is counted, not timed (a timed test fails on a busy machine): each reference is
    compared with a short list of ids, never with all 5,000."""
    import difflib

    import journeymap.problems as problems_module

    compared: list[int] = []
    real = difflib.get_close_matches

    def counting(word, possibilities, *args, **kwargs):  # type: ignore[no-untyped-def]
        possibilities = list(possibilities)
        compared.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(problems_module.difflib, "get_close_matches", counting)
    lines = ["journeymap: 1", "id: typos", "title: Typos", "personas: [{id: p, name: P}]"]
    lines += ["channels: [{id: web, name: Web}]", "stages: [{id: s, name: S}]", "touchpoints:"]
    n = 5000
    lines += [f"  - {{id: touchpoint-{i}, name: T, stage: s, channel: web, next: [touchpont-{i}]}}" for i in range(n)]
    problems = Loader().check("typos.yaml", raw=("\n".join(lines) + "\n").encode()).problems
    assert [p.code for p in problems] == ["unknown-reference"] * n
    assert all(p.hint == f"did you mean 'touchpoint-{p.span.line - 8}'?" for p in problems), problems[0]
    assert len(compared) >= n
    assert max(compared) <= problems_module._Guesser.SHORTLIST, max(compared)


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="POSIX only")
def test_a_device_or_a_pipe_is_reported_not_read_for_ever(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """validate and fmt read /dev/zero until memory ran out, and waited for ever on a FIFO
    (also when one sat in a folder being validated)."""
    from journeymap.cli import main

    os.mkfifo(tmp_path / "pipe.journey.yaml")
    (tmp_path / "zero.journey.yaml").symlink_to("/dev/zero")
    (tmp_path / ".journeymap.yaml").symlink_to("/dev/zero")
    journey = tmp_path / "good.journey.yaml"
    journey.write_text((FIXTURES / "good" / "minimal.journey.yaml").read_text())
    for argv, code in (
        (["validate", str(tmp_path / "pipe.journey.yaml"), str(tmp_path / "zero.journey.yaml")], 1),
        (["validate", str(tmp_path)], 0),  # a folder: they are not journey files
        (["lint", str(journey)], 0),  # the config file is /dev/zero: not a config file
        (["fmt", "--check", str(tmp_path / "pipe.journey.yaml"), str(tmp_path / "zero.journey.yaml")], 1),
    ):
        started = time.perf_counter()
        assert main(argv) == code, argv
        out, err = capsys.readouterr()
        assert time.perf_counter() - started < 5
        assert "internal error" not in out + err
        assert code == 0 or "not a regular file" in out + err, out + err


def test_did_you_mean_does_not_depend_on_the_order_of_the_choices() -> None:
    import random

    from journeymap.problems import did_you_mean

    many = [f"step-{i}" for i in range(2000)] + ["checkout", "check-out", "Checkout"]
    for choices in (many, many[:50]):
        shuffled = random.Random(1).sample(choices, len(choices))
        for word in ("chekout", "CHECKOUT", "step-1x", "step", "x" * 500, "s"):
            assert did_you_mean(word, choices) == did_you_mean(word, shuffled) == did_you_mean(word, set(choices)), word
    assert did_you_mean("chekout", many) == "did you mean 'checkout'?"
    assert did_you_mean("step-19999", many) == "did you mean 'step-1999'?"


DEEP = 100_000
HOSTILE = {
    "deep-flow-sequence": "journeymap: 1\nid: deep\ntitle: " + "[" * DEEP + "]" * DEEP + "\n",
    "deep-flow-mapping": "journeymap: 1\nid: deep\ntitle: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n",
    "deep-block-sequence": "journeymap: 1\nid: deep\ntitle:\n  " + "- " * DEEP + "x\n",
    "deep-unclosed-flow": "journeymap: 1\ntitle: " + "[" * DEEP + "\n",
    "alias-bomb": _bomb(),
}
HOSTILE_EXPECTED = {
    # The root mapping is level 1, so the 100th bracket is refused: col 8 + 99.
    "deep-flow-sequence": (3, 107, "too-deep"),
    "deep-flow-mapping": (3, 8 + 99 * 4, "too-deep"),
    "deep-block-sequence": (4, 3 + 99 * 2, "too-deep"),
    "deep-unclosed-flow": (2, 107, "too-deep"),
    "alias-bomb": (9, 12, "alias-bomb"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_through_the_cli(name: str, tmp_path: Path) -> None:
    """In a subprocess: PyYAML's own composer recurses in C and kills the interpreter on these."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(HOSTILE[name], encoding="utf-8")
    work = tmp_path / "cwd"
    work.mkdir()
    started = time.perf_counter()
    proc = _run_validate("--format", "json", str(path), cwd=work)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 1, f"exit {proc.returncode} (a negative code is a crash): {proc.stderr[-500:]}"
    assert "Traceback" not in proc.stdout + proc.stderr
    problems = json.loads(proc.stdout)
    assert [(p["line"], p["col"], p["code"]) for p in problems] == [HOSTILE_EXPECTED[name]]
    assert elapsed < 10
    assert list(work.iterdir()) == []
