"""Nothing from a journey file can take over a terminal or a CI log.

A journey's names, notes, ids and references hold ANSI escape sequences, GitHub
workflow commands after a line break (``\\n::error file=x::pwned``,
``\\n::add-mask::x``), every line break (CR, LF, NEL, LS, PS) and bidi
overrides. Every command in every output format must show them escaped: no raw
control or bidi character reaches stdout or stderr, and no line starts with
``::`` except the workflow commands of ``--format github`` itself.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.problems import Problem, Span, format_github, format_text, visible

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOSTILE = FIXTURES / "inert" / "terminal.journey.yaml"
#: Raw characters a terminal or a CI log must never receive from journey text (tab and LF are ours).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: References and ids that smuggle the same payloads through "unknown ..." messages.
BAD_IDS = {
    "stage: buy\n    channel: web\n    entry": "stage: \"bye\\n::error file=x::pwned\\e[2J\"\n    channel: \"w\\u202eeb\"\n    entry",
    "  - to: pay": "  - to: \"pay\\n::add-mask::x\\x9b\"",
    "  - id: pay": "  - id: \"pay\\r\\n::error::id\\u2028\"",
}


def hostile_broken(tmp_path: Path) -> Path:
    text = HOSTILE.read_text(encoding="utf-8")
    for old, new in BAD_IDS.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    text += '"key\\n::error::k\\e[1m": 1\n'
    path = tmp_path / "broken.journey.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def hostile_changed(tmp_path: Path) -> Path:
    text = HOSTILE.read_text(encoding="utf-8")
    text = text.replace('name: "Pay\\r::notice::cr"', 'name: "Pay now\\n::error file=diff::changed\\e[5m\\u202e"')
    text = text.replace("severity: 5", "severity: 3")
    path = tmp_path / "changed.journey.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def hostile_raw(tmp_path: Path) -> Path:
    """The characters YAML lets a file hold as they are (not as escapes): bidi controls, NEL,
    the line and paragraph separators, and a tab (YAML refuses other raw control characters)."""
    text = HOSTILE.read_text(encoding="utf-8")
    # Extra spaces after 'name:' so that fmt --diff shows the line.
    text = text.replace('name: "Pay\\r::notice::cr"', 'name:   "Pay \u202eraw\u202c \u2066iso\u2069 nel\x85x ls\u2028y \u200fz\tt"')
    path = tmp_path / "raw.journey.yaml"
    path.write_text(text + "# a comment with a raw override \u202e and separator \u2029\n", encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_inert(out: str, err: str, *, github: bool = False) -> None:
    for name, stream in (("stdout", out), ("stderr", err)):
        raw = RAW.search(stream)
        assert raw is None, f"raw {raw.group()!r} in {name}: {stream[max(0, raw.start() - 60): raw.end() + 20]!r}"
        # GitHub's runner trims a line's leading white space before it looks for '::', and reads
        # the legacy '##[command]' anywhere in a line (actions/runner's ActionCommand)
        assert "##[" not in stream, f"'##[' in {name}: {stream[stream.index('##[') - 60: stream.index('##[') + 20]!r}"
        for line in stream.split("\n"):
            if line.lstrip().startswith("::"):
                assert github and name == "stdout", f"a line starts with '::' in {name}: {line!r}"
                assert re.match(r"::(error|warning) file=[^:]*,title=[^:]*::|::(error|warning) file=[^:,]*,line=\d+,col=\d+,title=[^:]*::", line), line


def commands(tmp_path: Path) -> list[list[str]]:
    good, broken, changed = str(HOSTILE), str(hostile_broken(tmp_path)), str(hostile_changed(tmp_path))
    raw = str(hostile_raw(tmp_path))
    out = str(tmp_path / "out")
    result = []
    for path in (good, broken, raw):
        for fmt in ("text", "github", "json"):
            result += [["validate", "--format", fmt, path], ["lint", "--format", fmt, path]]
        result += [["fmt", "--check", path], ["fmt", "--diff", path]]
        for fmt in ("text", "markdown", "json"):
            result.append(["report", "--format", fmt, path])
        result.append(["render", "--to", "html,svg,dot,mermaid,md", "-o", out, path])
    for fmt in ("text", "markdown", "json"):
        result += [["diff", "--format", fmt, good, changed], ["diff", "--format", fmt, good, broken]]
    result += [["report", "--persona", "nobody\n::error::p\x1b[2J", good], ["nosuch\n::error::cmd"]]
    result += [["validate", "--bogus\n::error::arg\x1b[2J", good]]
    # A data file is untrusted text too: an unknown touchpoint and a bad value, quoted in messages.
    metrics = tmp_path / "hostile.metrics.csv"
    metrics.write_text(
        'touchpoint,metric,value\n"visit\n::error file=csv::pwned\x1b[2J",csat,80%\n'
        'visit,"cs\u202eat",80%\npay,csat,"8\x1b]0;t\x07%"\n',
        encoding="utf-8",
    )
    for fmt in ("text", "markdown", "json"):
        result.append(["report", "--format", fmt, "--metrics", str(metrics), good])
    # An event log's segment leads its row of the text report's table, indented (the runner trims
    # the indentation); a legacy '##[error]' works anywhere in a line: in a customer id, an ad hoc
    # touchpoint, a message.
    log = tmp_path / "hostile.events.csv"
    log.write_text(
        "customer,timestamp,touchpoint,segment\n"
        + "".join(f"c{i}##[error]id,2026-09-1{i}T10:00:00Z,visit,::error::seg\n"
                  f"c{i}##[error]id,2026-09-1{i}T10:05:00Z,##[add-mask]tp,::error::seg\n" for i in range(3)),
        encoding="utf-8",
    )
    for fmt in ("text", "markdown", "json"):
        result.append(["report", "--format", fmt, "--events", str(log), "--engine", "python", good])
    return result


def test_every_command_and_format_keeps_journey_text_inert(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ran = 0
    for args in commands(tmp_path):
        try:
            code, out, err = run(capsys, *args)
        except SystemExit as exc:  # argparse's own usage errors
            code = int(exc.code or 0)
            out, err = capsys.readouterr()
        usage_error = "--persona" in args or "nosuch" in args[0] or any(a.startswith("--bogus") for a in args)
        # Every command ran (a usage error only where one is meant), so its output was checked.
        assert code == 2 if usage_error else code in (0, 1), (args, code, err)
        assert "internal error" not in err, (args, err)
        assert_inert(out, err, github="github" in args)
        if "json" in args and "validate" in args + ["lint"] and out.strip():
            json.loads(out)  # still JSON, with the same meaning
        ran += 1
    assert ran == len(commands(tmp_path))


def test_the_payloads_are_shown_not_dropped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "report", str(HOSTILE))
    assert code == 0
    assert "Shop \\x1b[2J\\x1b]0;pwned\\x07\\n::error file=README.md,line=1::pwned\\r\\n::add-mask::x" in out
    assert "slow\\n::add-mask::secret \\x1b]8;;https://evil.example" in out
    code, out, err = run(capsys, "validate", str(hostile_broken(tmp_path)))
    assert code == 1
    assert "unknown stage 'bye\\n::error file=x::pwned\\x1b[2J'" in out
    assert "w\\u202eeb" in out and "pay\\n::add-mask::x\\x9b" in out


def test_json_output_keeps_its_meaning(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = hostile_broken(tmp_path)
    code, out, _ = run(capsys, "validate", "--format", "json", str(broken))
    messages = [p["message"] for p in json.loads(out)]
    assert any("bye\n::error file=x::pwned\x1b[2J" in m for m in messages)  # decoded: the real value
    assert any("pay\n::add-mask::x\x9b" in m for m in messages)
    code, out, _ = run(capsys, "report", "--format", "json", str(HOSTILE))
    assert json.loads(out)["journey"]["title"].startswith("Shop \x1b[2J")


def test_github_format_escapes_data_and_properties() -> None:
    problem = Problem(
        Span("a,b:c%.yaml\n::error::f", 3, 4), "code", "50% done\r\n::add-mask::x\u202e", hint="h\n::warning::y"
    )
    line = format_github([problem])
    assert line.count("\n") == 1 and line.startswith("::error file=a%2Cb%3Ac%25.yaml\\n%3A%3Aerror%3A%3Af,line=3,col=4,")
    assert line.endswith("::50%25 done\\r\\n::add-mask::x\\u202e (h\\n::warning::y)\n")
    assert format_text([problem]) == (
        "a,b:c%.yaml\\n::error::f:3:4: error[code]: 50% done\\r\\n::add-mask::x\\u202e (h\\n::warning::y)\n"
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x85\u2028\u2029", "\\x85\\u2028\\u2029"),
        ("\u202a\u202b\u202c\u202d\u202e", "\\u202a\\u202b\\u202c\\u202d\\u202e"),
        ("\u2066\u2067\u2068\u2069\u200e\u200f\u061c", "\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c"),
        ("\x00\x7f\x9b", "\\x00\\x7f\\x9b"),
        ("café 🎉 שלום \u00a0", "café 🎉 שלום \u00a0"),  # printable text and other spaces stay as they are
    ],
)
def test_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_the_real_cli_process(tmp_path: Path) -> None:
    """The console, not only capsys: the bytes the process writes."""
    broken = hostile_broken(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "journeymap", "validate", str(broken), str(HOSTILE)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1
    assert_inert(done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))
