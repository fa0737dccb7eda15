"""`journeymap validate`: files and folders, output formats, exit codes, --strict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = FIXTURES.parent.parent
MINIMAL = (FIXTURES / "good" / "minimal.journey.yaml").read_text(encoding="utf-8")
WARNING_ONLY = MINIMAL.replace(
    "stages: [{id: buy, name: Buy}]", "stages: [{id: buy, name: Buy}, {id: unused, name: Unused}]"
)
BROKEN = MINIMAL.replace("stage: buy", "stage: bye")


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder with a good journey, a warning-only one, a broken one and YAML that is not a journey."""
    (tmp_path / "good.journey.yaml").write_text(MINIMAL)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "warn.yml").write_text(WARNING_ONLY)
    (tmp_path / "sub" / "broken.yaml").write_text(BROKEN)
    (tmp_path / "sub" / "config.yaml").write_text("name: some other tool's config\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "skipped.yaml").write_text(BROKEN)
    return tmp_path


def test_a_good_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(capsys, str(FIXTURES / "good" / "minimal.journey.yaml"))
    assert (code, out) == (0, "")
    assert err == "ok: 1 file, 0 errors, 0 warnings\n"


def test_a_bad_file_exits_1_with_positions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    code, out, err = validate(capsys, str(path))
    assert code == 1
    assert out == (
        f"{path}:6:15: warning[empty-stage]: stage 'buy' has no touchpoints\n"
        f"{path}:8:38: error[unknown-reference]: touchpoint 'visit': unknown stage 'bye' (did you mean 'buy'?)\n"
    )
    assert err == "failed: 1 file, 1 error, 1 warning\n"


def test_a_folder_means_every_journey_below_it(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    code, out, err = validate(capsys, str(tree))
    assert code == 1
    files = {line.split(":")[0] for line in out.splitlines()}
    assert files == {str(tree / "sub" / "broken.yaml"), str(tree / "sub" / "warn.yml")}
    assert err == "failed: 3 files, 1 error, 2 warnings\n"


def test_folders_and_files_mix(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    code, _, err = validate(capsys, str(tree / "good.journey.yaml"), str(tree / "sub" / "warn.yml"))
    assert code == 0
    assert err == "ok: 2 files, 0 errors, 1 warning\n"


def test_the_sample_journeys_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(capsys, str(ROOT / "sample_journeys"))
    assert code == 0, out
    assert " 0 errors" in err


def test_warnings_alone_exit_0_and_strict_makes_them_fail(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "warn.yaml"
    path.write_text(WARNING_ONLY)
    code, out, err = validate(capsys, str(path))
    assert code == 0
    assert "warning[empty-stage]" in out
    assert err.startswith("ok: ")
    code, out, err = validate(capsys, "--strict", str(path))
    assert code == 1
    assert err.startswith("failed: ")


def test_quiet_prints_problems_only(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    code, out, err = validate(capsys, "-q", str(path))
    assert code == 1 and out and err == ""


def test_json_format(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    code, out, err = validate(capsys, "--format", "json", str(tree))
    assert code == 1
    assert err == ""  # machine output only
    problems = json.loads(out)
    assert isinstance(problems, list) and len(problems) == 3
    for problem in problems:
        assert set(problem) == {"file", "line", "col", "code", "level", "message", "hint"}
        assert isinstance(problem["line"], int) and isinstance(problem["col"], int)
        assert problem["level"] in ("error", "warning")
        assert problem["message"]
    broken = [p for p in problems if p["level"] == "error"]
    assert broken == [
        {
            "file": str(tree / "sub" / "broken.yaml"),
            "line": 8,
            "col": 38,
            "code": "unknown-reference",
            "level": "error",
            "message": "touchpoint 'visit': unknown stage 'bye'",
            "hint": "did you mean 'buy'?",
        }
    ]


def test_json_format_with_no_problems_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = validate(capsys, "--format", "json", str(FIXTURES / "good" / "minimal.journey.yaml"))
    assert code == 0 and json.loads(out) == []


def test_github_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    code, out, err = validate(capsys, "--format", "github", str(path))
    assert code == 1 and err == ""
    file = str(path).replace(":", "%3A").replace(",", "%2C")
    assert out.splitlines() == [
        f"::warning file={file},line=6,col=15,title=empty-stage::stage 'buy' has no touchpoints",
        f"::error file={file},line=8,col=38,title=unknown-reference::touchpoint 'visit': unknown stage 'bye' (did you mean 'buy'?)",
    ]


def test_a_problem_in_a_shared_library_is_reported_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "lib.yaml").write_text("journeymap: 1\nchannels: [{id: web, name: Website, knd: digital}]\n")
    for name in ("a", "b"):
        text = MINIMAL.replace("id: minimal", f"id: {name}").replace("journeymap: 1\n", "journeymap: 1\nimports: [lib.yaml]\n")
        text = text.replace("channels: [{id: web, name: Website}]\n", "")
        (tmp_path / f"{name}.journey.yaml").write_text(text)
    code, out, _ = validate(capsys, str(tmp_path))
    assert code == 1
    assert out.count("unknown key 'knd'") == 1, out


# -- usage errors: exit 2 ---------------------------------------------------------------


def test_a_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = validate(capsys, str(tmp_path / "nope.yaml"))
    assert code == 2 and out == ""
    assert "no such file or folder" in err


def test_a_folder_without_journeys_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("a: 1\n")
    code, _, err = validate(capsys, str(tmp_path))
    assert code == 2 and "no journey files found" in err


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("JOURNEYMAP_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "journeymap", *args], cwd=cwd, capture_output=True, text=True, timeout=60, env=env
    )


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--no-such-option", "sample_journeys"),
        ("validate",),
        ("validate", "--format", "xml", "sample_journeys"),
        ("validate", "does/not/exist.yaml"),
    ],
)
def test_usage_errors_exit_2_in_a_real_process(args: tuple[str, ...]) -> None:
    proc = _run(*args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip()


def test_exit_codes_in_a_real_process(tmp_path: Path) -> None:
    good, warn, broken = tmp_path / "good.yaml", tmp_path / "warn.yaml", tmp_path / "broken.yaml"
    good.write_text(MINIMAL)
    warn.write_text(WARNING_ONLY)
    broken.write_text(BROKEN)
    assert _run("validate", str(good)).returncode == 0
    assert _run("validate", str(warn)).returncode == 0
    assert _run("validate", "--strict", str(warn)).returncode == 1
    assert _run("validate", str(broken)).returncode == 1
    assert _run("validate", str(good), str(broken)).returncode == 1


def _run_closed(close: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """journeymap run by a shell with ``close`` (``>&-``, ``2>&-``, ``<&-``) closing one of its streams."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("JOURNEYMAP_DEBUG", None)
    words = " ".join(f"'{w}'" for w in [sys.executable, "-m", "journeymap", *args])
    return subprocess.run(["sh", "-c", f"exec {words} {close}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env=env, input=stdin)


def test_closed_standard_streams_are_not_an_internal_error(tmp_path: Path) -> None:
    """`journeymap validate J >&-` was 'internal error: AttributeError: 'NoneType' object has no attribute
    'write'' (exit 3); with 2>&- the messages meant for standard error were printed into standard output
    (into --format json's JSON); `fmt - <&-` was an internal error too."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN)
    proc = _run_closed(">&-", "validate", str(broken))
    assert proc.returncode == 2
    assert proc.stderr.startswith("journeymap: error: standard output is closed (>&-): nothing was done")
    assert "/dev/null" in proc.stderr and "internal error" not in proc.stderr
    proc = _run_closed("2>&-", "validate", "--format", "json", str(broken))
    assert proc.returncode == 1
    assert "unknown-reference" in {p["code"] for p in json.loads(proc.stdout)}
    proc = _run_closed("<&-", "fmt", "-")
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_standard_output_is_utf8_under_any_locale(tmp_path: Path, encoding: str) -> None:
    """Under PYTHONIOENCODING=ascii the diff's '→' was 'internal error: UnicodeEncodeError' (exit 3)
    after half the output, and `fmt - < a > b` wrote Latin-1 (or failed on '→') under a Latin-1 locale."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING=encoding)
    env.pop("JOURNEYMAP_DEBUG", None)
    old = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
    new = ROOT / "sample_journeys" / "saas-onboarding.journey.yaml"
    proc = subprocess.run([sys.executable, "-m", "journeymap", "diff", str(old), str(new)], capture_output=True,
                          timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "conversion 15.8% → 3.2%" in proc.stdout.decode("utf-8")
    journey = MINIMAL.replace("title: ", "title: Café → ", 1)
    assert journey != MINIMAL
    proc = subprocess.run([sys.executable, "-m", "journeymap", "fmt", "-"], capture_output=True, timeout=60,
                          env=env, input=journey.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr
    assert "Café → ".encode() in proc.stdout


def test_dash_as_output_is_standard_output_or_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`diff A B -o -` and `schema -o -` wrote a file named '-'; `render J -o -` and `site D -o -` made a
    folder named '-' (a user who wanted a Mermaid diagram on standard output found it there)."""
    monkeypatch.chdir(tmp_path)
    journey = tmp_path / "j.journey.yaml"
    journey.write_text(MINIMAL)
    assert main(["schema", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["$schema"].startswith("https://json-schema.org/")
    assert main(["diff", str(journey), str(journey), "-o", "-"]) == 0
    assert "no changes" in capsys.readouterr().out
    for args in (["render", str(journey), "--to", "mermaid"], ["site", str(tmp_path)]):
        assert main([*args, "-o", "-"]) == 2
        err = capsys.readouterr().err
        assert f"journeymap {args[0]}: error: -o -: {args[0]} writes its files into a folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.journey.yaml"]


def test_a_mistyped_option_is_told_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    """`validate --fromat json J` said 'unrecognized arguments: --fromat' and nothing more."""
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--strct", "sample_journeys"])
    assert exit_.value.code == 2
    assert "unrecognized arguments: --strct (did you mean '--strict'?)" in capsys.readouterr().err


def test_a_file_named_like_an_option_is_told_how_to_give_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`validate -weird.yaml` said 'the following arguments are required: PATH', of a file that is there."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-weird.yaml").write_text(MINIMAL)
    assert main(["validate", "-weird.yaml"]) == 2
    assert capsys.readouterr().err == ("journeymap validate: error: -weird.yaml is read as an option, not as the file"
                                       " of that name: write ./-weird.yaml (or -- before it)\n")
    assert main(["validate", "--", "-weird.yaml"]) == 0
    assert main(["validate", "./-weird.yaml"]) == 0


def test_relative_paths_are_printed_as_given(tmp_path: Path) -> None:
    (tmp_path / "j").mkdir()
    (tmp_path / "j" / "broken.yaml").write_text(BROKEN)
    proc = _run("validate", "j", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[-1].startswith(f"j{os.sep}broken.yaml:8:38: error[unknown-reference]")


def test_unknown_command_suggests_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    from journeymap.cli import main

    assert main(["rendr", "x.yaml"]) == 2
    assert "did you mean 'render'?" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2
    assert "commands: init, validate, report" in capsys.readouterr().err


def test_unknown_option_is_reported_with_the_command_usage(capsys: pytest.CaptureFixture[str]) -> None:
    from journeymap.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--bogus", "x.yaml"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: journeymap validate" in err and "unrecognized arguments: --bogus" in err


@pytest.mark.parametrize(("words", "told"), [
    # what the shell makes of --events data/*.csv
    (["report", "j.yaml", "--events", "a.csv", "b.csv", "c.csv"],
     "unrecognized arguments: b.csv c.csv (--events takes one log, a file, a glob or a folder: write --events before"
     " each file, or quote a glob so that the shell does not expand it (--events 'data/*.csv'), or name their folder)"),
    (["render", "j.yaml", "--events=a.csv", "b.csv"], "unrecognized arguments: b.csv (--events takes one log"),
    (["report", "j.yaml", "--responses", "a.csv", "b.csv"],
     "unrecognized arguments: b.csv (--responses takes one file: write --responses before each file (--responses a.csv --responses b.csv))"),
    (["report", "--metrics", "m.csv", "m2.csv", "j.yaml"], "unrecognized arguments: j.yaml (--metrics takes one file"),
    (["report", "j.yaml", "extra.yaml"], "unrecognized arguments: extra.yaml\n"),
    (["report", "j.yaml", "--events", "a.csv", "--format", "json", "b.csv"], "unrecognized arguments: b.csv\n"),
])
def test_files_after_a_one_file_option_are_told_how_to_give_them(
    words: list[str], told: str, capsys: pytest.CaptureFixture[str],
) -> None:
    """`--events data/*.csv` reaches journeymap as `--events data/a.csv data/b.csv`: argparse's
    "unrecognized arguments" named the files without saying why."""
    with pytest.raises(SystemExit) as exit_info:
        main(words)
    assert exit_info.value.code == 2
    assert told in capsys.readouterr().err


def test_an_internal_error_is_told_on_one_short_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A Spark error's message carries the whole Java stack trace (over 10 KB): the terminal got it
    folded onto one line. Now its first line, cut, and how many lines are left out."""
    import journeymap.cli.validate as validate_cli

    trace = "An error occurred while calling o123.collect.\n" + "\n".join(f"\tat org.apache.Spark.f{i}(F.java:{i})" for i in range(300))

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError(trace)

    monkeypatch.delenv("JOURNEYMAP_DEBUG", raising=False)
    monkeypatch.setattr(validate_cli, "run", broken)
    assert main(["validate", str(ROOT / "sample_journeys")]) == 3
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first == ("journeymap validate: internal error: RuntimeError: An error occurred while calling o123.collect."
                     " (300 more lines: JOURNEYMAP_DEBUG=1 shows them)")
    assert len(err) < 400 and "org.apache" not in err


def test_a_journey_file_that_cannot_be_read_is_not_passed_over(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A *.yaml below a folder that could not be read (a symlink loop; no permission for a user who is
    not root) was passed over as if it were no journey: 'validate DIR' said 'ok: 1 file'. A FIFO is no
    journey file (tests/test_bad_input.py), nor is a dangling link."""
    (tmp_path / "good.journey.yaml").write_text(MINIMAL)
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "dangling.yaml").symlink_to("nowhere.yaml")  # no file at all: still passed over
    os.mkfifo(tmp_path / "pipe.yaml")
    for command in ("validate", "lint"):
        assert main([command, str(tmp_path)]) == 1
        err_out = "".join(capsys.readouterr())
        assert f"{tmp_path / 'loop.yaml'}: error[io]: cannot read the file: Too many levels of symbolic links" in err_out
        assert "dangling" not in err_out and "pipe.yaml" not in err_out
    assert main(["site", str(tmp_path), "-o", str(tmp_path / "site")]) == 1
    assert "loop.yaml" in capsys.readouterr().out + (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("JOURNEYMAP_DEBUG", None)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)


def test_sigterm_unwinds_and_leaves_no_half_written_file(tmp_path: Path) -> None:
    """SIGTERM (timeout, a cancelled CI job) ended Python without a `finally`: a write's temporary file
    (simulate's scratch folder of parts) stayed beside its target. Here it comes while the file is written."""
    target = tmp_path / "out" / "j.html"
    proc = _run_python(
        "import os, signal, sys\n"
        "import journeymap.cli as cli\n"
        "from journeymap.files import write_atomic\n"
        "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGTERM)\n"
        f"cli.main = lambda: write_atomic({str(target)!r}, 'x' * 100000) or 0\n"
        "cli.run()\n"
    )
    assert proc.returncode == 143, proc.stderr
    assert "Traceback" not in proc.stderr
    assert list((tmp_path / "out").iterdir()) == []


def test_ctrl_c_before_a_command_runs_is_no_traceback() -> None:
    """Ctrl-C while the parser was built (before the command's own try) printed a KeyboardInterrupt traceback."""
    proc = _run_python(
        "import journeymap.cli as cli\n"
        "def interrupted():\n"
        "    raise KeyboardInterrupt\n"
        "cli.build_parser = interrupted\n"
        "import sys; sys.argv = ['journeymap', 'validate', 'sample_journeys']\n"
        "cli.run()\n"
    )
    assert proc.returncode == 130 and proc.stderr == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_under_standard_output_is_said(tmp_path: Path) -> None:
    """`journeymap schema > out.json` on a full disk was 'internal error: OSError: [Errno 28]' (exit 3);
    with 4 KB left on a small tmpfs it wrote 4 KB and exited 0 (Python's buffered file let the error of
    the rest go). /dev/full refuses every write with ENOSPC."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("JOURNEYMAP_DEBUG", None)
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "journeymap", "schema"], cwd=ROOT, stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=60, env=env)
    assert proc.returncode == 1
    assert proc.stderr == ("journeymap schema: error: cannot write the output: no space left on device"
                           " (what was written of it is incomplete)\n")


def test_whole_writes_raise_what_stopped_a_short_write(monkeypatch: pytest.MonkeyPatch) -> None:
    from journeymap.cli import _WholeWrites

    calls: list[int] = []

    def write(fd: int, data: memoryview) -> int:
        calls.append(len(data))
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        return 4096

    monkeypatch.setattr(os, "write", write)
    with pytest.raises(OSError, match="No space left"):
        _WholeWrites(1).write(b"x" * 10000)
    assert calls == [10000, 5904]


def test_simulate_on_a_full_disk_is_said(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB writing simulate's parts on a full disk was 'internal error: IOException: IO Error: Async write
    failed ... {"errno":"28"}' (exit 3)."""
    duckdb = pytest.importorskip("duckdb")
    import journeymap.data.simulate as simulate

    def full(*args: object, **kwargs: object) -> None:
        raise duckdb.IOException('IO Error: Async write failed: {"exception_type":"IO","errno":"28"}')

    monkeypatch.setattr(simulate, "simulate", full)
    journey = tmp_path / "j.journey.yaml"
    journey.write_text(MINIMAL)
    assert main(["simulate", str(journey), "-o", str(tmp_path / "log.csv")]) == 1
    assert capsys.readouterr().err.endswith(f"journeymap simulate: error: cannot write {tmp_path / 'log.csv'}: no space left on device\n")


def test_a_file_named_twice_is_checked_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`validate a.yaml ./a.yaml` said 'failed: 2 files' of one; `fmt a.yaml ./a.yaml` 'fmt: 1 file
    reformatted, 1 unchanged'; `fmt --check j.yaml .` listed j.yaml twice."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(BROKEN)
    assert main(["validate", "a.yaml", "./a.yaml", str(tmp_path / "a.yaml"), "."]) == 1
    out, err = capsys.readouterr()
    assert err.endswith("failed: 1 file, 1 error, 1 warning\n") and out.count("unknown-reference") == 1
    assert main(["fmt", "a.yaml", "./a.yaml"]) == 0
    assert capsys.readouterr().err.endswith("fmt: 1 file reformatted, 0 unchanged\n")


@pytest.mark.parametrize("args", [["validate", "-"], ["report", "-"], ["diff", "-", "j.yaml"], ["lint", "-"],
                                  ["report", "j.yaml", "--events", "-"], ["render", "-"]])
def test_dash_as_input_is_told_that_only_fmt_reads_standard_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """`validate - < j.yaml` or `--events -` (a log piped in) said 'no such file: -'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "j.yaml").write_text(MINIMAL)
    assert main(args) == 2
    assert capsys.readouterr().err == (f"journeymap {args[0]}: error: '-' (standard input) is read only by fmt:"
                                       " save what you pipe in to a file and give its path\n")


def run_into_a_closed_pipe(*args: str, cwd: Path = ROOT, errors_too: bool = True) -> subprocess.CompletedProcess[str]:
    """journeymap with its standard output (and error, or else standard error captured) a pipe whose reader
    (a real process, ``head -c 0``) read nothing and exited before journeymap wrote: every write to it
    fails with EPIPE."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("JOURNEYMAP_DEBUG", None)
    read_end, write_end = os.pipe()
    try:
        reader = subprocess.Popen(["head", "-c", "0"], stdin=read_end)
        os.close(read_end)
        read_end = -1
        assert reader.wait(timeout=30) == 0
        return subprocess.run([sys.executable, "-m", "journeymap", *args], cwd=cwd, stdout=write_end,
                              stderr=write_end if errors_too else subprocess.PIPE, text=True, timeout=60, env=env)
    finally:
        os.close(write_end)
        if read_end >= 0:
            os.close(read_end)


def test_a_reader_that_goes_away_does_not_change_the_exit_code(tmp_path: Path) -> None:
    """`journeymap validate broken.yaml | head -1` exited 0: the BrokenPipeError of the first write unwound
    the command, whose 'failed' was never counted, and a CI step under `set -o pipefail` passed a broken
    journey. The output the reader does not take is dropped, quietly, and the exit code is the command's."""
    broken, good = tmp_path / "broken.yaml", tmp_path / "good.yaml"
    broken.write_text(BROKEN)
    good.write_text(MINIMAL)
    for args in (("validate", str(broken)), ("validate", "--format", "json", str(broken))):
        proc = run_into_a_closed_pipe(*args)
        assert proc.returncode == 1, args
    assert run_into_a_closed_pipe("validate", str(good)).returncode == 0
    proc = run_into_a_closed_pipe("validate", str(broken), errors_too=False)  # no 'Broken pipe' noise
    assert (proc.returncode, proc.stderr) == (1, "failed: 1 file, 1 error, 1 warning\n")
    # A live `head -1` that reads one line of many and exits: the rest of the writes fail
    # (over 64 KiB, more than a pipe holds), and its status is still the command's.
    many = MINIMAL.replace(
        "  - {id: visit, name: Visits, stage: buy, channel: web}\n",
        "".join(f"  - {{id: visit{i}, name: Visit {i}, stage: bye, channel: web}}\n" for i in range(1500)),
    )
    assert many.count("stage: bye") == 1500
    broken.write_text(many)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("JOURNEYMAP_DEBUG", None)
    words = " ".join(f"'{w}'" for w in [sys.executable, "-m", "journeymap", "validate", str(broken)])
    proc = subprocess.run(["bash", "-c", f"{words} 2>&1 | head -1; echo \"status ${{PIPESTATUS[0]}}\" >&2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert proc.stdout.count("\n") == 1 and str(broken) in proc.stdout
    assert proc.stderr == "status 1\n"


def test_the_way_to_give_a_file_named_like_an_option_can_be_pasted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`validate '-j $HOME.yaml'` was told 'write ./-j $HOME.yaml': pasted into a shell, that is two
    words and $HOME expanded. The name is now quoted as the shell reads it back."""
    import shlex

    monkeypatch.chdir(tmp_path)
    name = "-j $HOME it's.yaml"
    (tmp_path / name).write_text(MINIMAL)
    assert main(["validate", name]) == 2
    err = capsys.readouterr().err
    told = err.split(": write ", 1)[1].split(" (or -- before it)")[0]
    assert told == shlex.quote(f"./{name}"), err
    assert shlex.split(told) == [f"./{name}"]
    assert main(["validate", *shlex.split(told)]) == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["site", "{folder}", "-o", ""],
        ["render", "{journey}", "-o", ""],
        ["render", "{journey}", "--out-dir="],
        ["diff", "{journey}", "{journey}", "-o", ""],
        ["schema", "--output", ""],
        ["simulate", "{journey}", "--customers", "5", "-o", " "],
    ],
)
def test_an_empty_output_path_is_refused(
    argv: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o "$OUT"` with OUT unset: `site` wrote its pages into the current folder (among the journeys),
    `render` its maps there, and `diff` and `schema` printed to standard output what was meant for a
    file, exit 0, nothing said. An empty -o is now refused, as an empty input path is."""
    folder = tmp_path / "journeys"
    folder.mkdir()
    (folder / "j.journey.yaml").write_text(MINIMAL)
    monkeypatch.chdir(folder)
    words = [w.format(folder=folder, journey=folder / "j.journey.yaml") for w in argv]
    assert main(words) == 2
    out, err = capsys.readouterr()
    assert out == "" and "an empty path was given to -o (an unset shell variable?): nothing was written" in err, err
    assert sorted(p.name for p in folder.iterdir()) == ["j.journey.yaml"]


@pytest.mark.parametrize("command", [["diff", "{journey}", "{journey}"], ["schema"], ["simulate", "{journey}", "--customers", "5"]])
def test_an_output_file_named_as_a_folder_is_refused(
    command: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`diff A B -o reports/` (reports/ not there yet) wrote a file named 'reports', exit 0; the shell's
    `> reports/` says 'Is a directory'. `-o reports` naming an existing folder was 'cannot write reports:
    is a directory' (exit 1). Both are a usage error now, which says to name a file in it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "j.journey.yaml").write_text(MINIMAL)
    (tmp_path / "there").mkdir()
    for output in ("reports/", "there", f"there{os.sep}"):
        words = [w.format(journey="j.journey.yaml") for w in command]
        assert main([*words, "-o", output]) == 2, output
        out, err = capsys.readouterr()
        assert out == "" and f"-o {output} is a folder: name a file in it (-o {output.rstrip('/')}/" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.journey.yaml", "there"]
    assert list((tmp_path / "there").iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "told"),
    [
        (["render", "{journey}", "-o", "-maps"], "-o -maps: a value that starts with '-' is read as an option: write --output=-maps"),
        (["diff", "{journey}", "{journey}", "--title", "-x y"], "--title '-x y': a value that starts with '-' is read as an option: write '--title=-x y'"),
        (["report", "{journey}", "--events", "-log.csv"], "--events -log.csv: a value that starts with '-' is read as an option: write --events=-log.csv"),
    ],
)
def test_an_option_value_that_starts_with_a_dash_is_told_how_to_give_it(
    argv: list[str], told: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`render j.yaml -o -maps` said only 'argument -o/--output/--out-dir: expected one argument' under a
    screen of usage; `report j.yaml --events -log.csv` with the log there said 'write ./-log.csv (or --
    before it)', and '--' does not help an option's value. Both now say how: --output=-maps."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "j.journey.yaml").write_text(MINIMAL)
    (tmp_path / "-log.csv").write_text("customer,timestamp,touchpoint\n")
    words = [w.format(journey="j.journey.yaml") for w in argv]
    assert main(words) == 2
    err = capsys.readouterr().err
    assert err == f"journeymap {words[0]}: error: {told}\n", err
    import shlex

    fixed = shlex.split(told.rsplit(": write ", 1)[1])
    at = words.index(argv[-2])
    assert main([*words[:at], *fixed]) in (0, 1), capsys.readouterr().err  # as told, it is read


def test_a_current_folder_that_was_removed_is_said(tmp_path: Path) -> None:
    """A shell whose folder was removed under it (`rm -rf build` from another terminal, a branch switch
    that deleted it): every command was 'internal error: FileNotFoundError' (exit 3, 'a bug in
    journeymap'), even with absolute paths. It now says what is wrong, exit 2."""
    journey = tmp_path / "j.journey.yaml"
    journey.write_text(MINIMAL)
    gone = tmp_path / "gone"
    gone.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("JOURNEYMAP_DEBUG", None)
    for args in (["validate", str(journey)], ["render", str(journey), "--to", "md", "-o", str(tmp_path / "out")]):
        words = " ".join(f"'{w}'" for w in [sys.executable, "-m", "journeymap", *args])
        proc = subprocess.run(["sh", "-c", f"cd '{gone}' && rmdir '{gone}' && exec {words}"], capture_output=True,
                              text=True, timeout=60, env=env)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == (f"journeymap {args[0]}: error: the current folder no longer exists (it was removed"
                               " while the shell was in it): cd to a folder that exists and run it again\n")
        gone.mkdir()
    assert not (tmp_path / "out").exists()


def test_a_path_too_long_for_the_system_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path over the system's limit (4,096 bytes, or one name over 255: a generated folder name, a
    variable expanded twice) was 'internal error: OSError: [Errno 36] File name too long' (exit 3,
    'a bug in journeymap') for every command that reads it, and for `diff -o` writing it."""
    deep = str(tmp_path / "/".join(["d" * 250] * 18) / "j.yaml")
    one = str(tmp_path / ("n" * 300 + ".yaml"))
    journey = tmp_path / "j.journey.yaml"
    journey.write_text(MINIMAL)
    for argv in (["validate", deep], ["validate", one], ["report", one], ["render", deep], ["fmt", "--check", one],
                 ["lint", deep], ["diff", one, str(journey)]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith(f"journeymap {argv[0]}: error: ") and "file name too long" in err, err
        assert "internal error" not in err and len(err) < 400, err
    for output in (deep, one):
        assert main(["diff", str(journey), str(journey), "-o", output]) == 1
        err = capsys.readouterr().err
        assert err.startswith("journeymap diff: error: cannot write ") and "file name too long" in err, err


def test_a_flow_to_a_touchpoint_of_another_journey_in_the_folder_says_how_to_write_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """'next: [activate-card]', a touchpoint of the folder's other journey: it was 'unknown touchpoint' with this
    journey's touchpoints, nothing of where it is or how a flow into another journey is written."""
    common = "personas: [{id: p, name: P}]\nchannels: [{id: web, name: Web}]\nstages: [{id: s, name: S}]\n"
    (tmp_path / "card.journey.yaml").write_text(
        f"journeymap: 1\nid: card-activation\ntitle: Card\n{common}touchpoints:\n"
        "  - {id: activate-card, name: Activates, stage: s, channel: web, outcome: success}\n", encoding="utf-8")
    (tmp_path / "open.journey.yaml").write_text(
        f"journeymap: 1\nid: account-opening\ntitle: Open\n{common}touchpoints:\n"
        "  - {id: ready, name: Ready, stage: s, channel: web, next: [activate-card, done]}\n"
        "  - {id: done, name: Done, stage: s, channel: web, outcome: success}\n", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert (f"{tmp_path / 'open.journey.yaml'}:8:61: error[unknown-reference]: touchpoint 'ready': next points to unknown"
            " touchpoint 'activate-card' ('activate-card' is a touchpoint of journey 'card-activation' (card.journey.yaml):"
            " a flow into it is written '- to: activate-card' and under it 'journey: card-activation')") in out
    assert main(["validate", str(tmp_path / "open.journey.yaml")]) == 1  # one file: the other journey is not known
    assert "card-activation" not in capsys.readouterr().out
