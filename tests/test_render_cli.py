"""``journeymap render`` as a user runs it: file names, formats, exit codes, messages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.render.output import parse_formats

HERE = Path(__file__).resolve().parent
SMALL = HERE / "fixtures" / "render" / "small.journey.yaml"
HOSTILE = HERE / "fixtures" / "hostile.journey.yaml"
SAMPLES = sorted((HERE.parent / "sample_journeys").glob("*.journey.yaml"))
has_dot = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not has_dot and not os.environ.get("CI"), reason="needs Graphviz")


@needs_dot
def test_default_is_the_map_and_the_diagram(tmp_path, capsys) -> None:
    assert main(["render", str(SMALL), "-o", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small-journey.html", "small-journey.svg"]
    assert out.splitlines() == [str(tmp_path / "small-journey.html"), str(tmp_path / "small-journey.svg")]
    assert (tmp_path / "small-journey.svg").read_text().lstrip().startswith("<?xml")


@needs_dot
def test_every_format(tmp_path, capsys) -> None:
    code = main(["render", str(SMALL), "-o", str(tmp_path), "--to", "html,svg,png", "--to", "pdf,dot,mermaid,md"])
    assert code == 0, capsys.readouterr().err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"small-journey.{ext}" for ext in ("html", "svg", "png", "pdf", "dot", "mmd", "md"))
    assert (tmp_path / "small-journey.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "small-journey.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "small-journey.mmd").read_text().startswith("journey\n")
    assert "online-form" in (tmp_path / "small-journey.md").read_text()


def test_persona_files_are_named_by_persona(tmp_path, capsys) -> None:
    assert main(["render", str(SMALL), "-o", str(tmp_path), "--to", "html,mermaid", "--persona", "visitor"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small-journey--visitor.html", "small-journey--visitor.mmd"]
    assert "call-centre" not in (tmp_path / "small-journey--visitor.html").read_text()


def test_several_files(tmp_path, capsys) -> None:
    assert main(["render", str(SMALL), *map(str, SAMPLES), "-o", str(tmp_path), "--to", "html"]) == 0
    assert len(list(tmp_path.glob("*.html"))) == 1 + len(SAMPLES)


def test_unknown_format_is_a_usage_error(tmp_path, capsys) -> None:
    assert main(["render", str(SMALL), "-o", str(tmp_path), "--to", "html,jpeg"]) == 2
    err = capsys.readouterr().err
    assert "unknown format 'jpeg'" in err and "mermaid" in err
    assert not tmp_path.exists() or not list(tmp_path.iterdir())


def test_unknown_persona_is_a_usage_error(tmp_path, capsys) -> None:
    assert main(["render", str(SMALL), "-o", str(tmp_path), "--persona", "visiter"]) == 2
    err = capsys.readouterr().err
    assert "unknown persona 'visiter'" in err and "did you mean 'visitor'" in err


def test_missing_file_is_a_usage_error(tmp_path, capsys) -> None:
    assert main(["render", str(tmp_path / "nope.yaml")]) == 2


def test_bad_journey_reports_problems_with_positions(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.journey.yaml"
    bad.write_text(SMALL.read_text().replace("stage: renew\n    channel: web\n    action: Uploads", "stage: renwe\n    channel: web\n    action: Uploads", 1))
    assert main(["render", str(bad), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    line = next(text for text in err.splitlines() if "error[unknown-reference]" in text)
    file, lineno, col, _ = line.split(":", 3)
    assert file.endswith("bad.journey.yaml") and int(lineno) > 0 and int(col) > 0
    assert "did you mean 'renew'" in line
    assert not (tmp_path / "out").exists()


def test_parse_formats() -> None:
    assert parse_formats(["html, svg", "md,markdown", "HTML"]) == ["html", "svg", "md"]
    with pytest.raises(ValueError, match="did you mean 'svg'"):
        parse_formats(["sgv"])


def test_writes_atomically_over_an_old_file(tmp_path, capsys) -> None:
    old = tmp_path / "small-journey.mmd"
    old.write_text("old")
    assert main(["render", str(SMALL), "-o", str(tmp_path), "--to", "mermaid"]) == 0
    assert old.read_text().startswith("journey")
    assert [p.name for p in tmp_path.iterdir()] == ["small-journey.mmd"]  # no temporary files left


@needs_dot
def test_hostile_journey_renders_in_every_format(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "journeymap", "render", str(HOSTILE), "-o", str(tmp_path),
         "--to", "html,svg,png,pdf,dot,mermaid,md"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert len(list(tmp_path.iterdir())) == 7
    checked = subprocess.run(["dot", "-Tsvg", str(tmp_path / "hostile-journey.dot")], capture_output=True, check=False)
    assert checked.returncode == 0 and not checked.stderr


def test_an_output_folder_that_is_a_file_is_said_so(tmp_path, capsys) -> None:
    """`render J -o out` with a file named out said 'cannot write out/small-journey.dot: file exists', of a file it
    never named; `schema -o out/x.json` 'not a directory'."""
    (tmp_path / "out").write_text("notes\n")
    assert main(["render", str(SMALL), "--to", "dot", "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"cannot write {tmp_path / 'out' / 'small-journey.dot'}: {tmp_path / 'out'} is a file, not a folder" in err
    assert main(["schema", "-o", str(tmp_path / "out" / "sub" / "x.json")]) == 1
    assert f"{tmp_path / 'out'} is a file, not a folder" in capsys.readouterr().err
    assert (tmp_path / "out").read_text() == "notes\n"
