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
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

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
