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


@pytest.mark.parametrize("to", ["", " ", ",", " , "])
def test_a_to_that_names_no_format_is_a_usage_error(tmp_path, capsys, to: str) -> None:
    """--to "$FORMATS" with FORMATS unset wrote the default map and diagram, exit 0, with no word
    that the formats asked for were none: as an empty -o, it is a usage error and nothing is written."""
    out = tmp_path / "out"
    assert main(["render", str(SMALL), "-o", str(out), "--to", "mermaid", "--to", to]) == 2
    err = capsys.readouterr().err
    assert f"--to '{to}' names no format (an unset shell variable?)" in err
    assert "formats: html, svg, png, pdf, dot, mermaid, md" in err
    assert not out.exists()


def test_unknown_persona_is_a_usage_error(tmp_path, capsys) -> None:
    assert main(["render", str(SMALL), "-o", str(tmp_path), "--persona", "visiter"]) == 2
    err = capsys.readouterr().err
    assert "unknown persona 'visiter'" in err and "did you mean 'visitor'" in err


def _two_journeys(tmp_path: Path) -> tuple[Path, Path]:
    """Two journeys of one team: the same customer under another id in the second (a library's
    'busy-parent' is 'parent' there), as journeys written by different analysts have them."""
    body = (
        "channels: [{{id: web, name: Website}}]\nstages: [{{id: buy, name: Buy}}]\n"
        "touchpoints:\n  - {{id: visit, name: Visits, stage: buy, channel: web, next: [pay]}}\n"
        "  - {{id: pay, name: Pays, stage: buy, channel: web, outcome: success}}\n"
    )
    first, second = tmp_path / "a.journey.yaml", tmp_path / "b.journey.yaml"
    first.write_text(
        "journeymap: 1\nid: order\ntitle: Order\npersonas:\n  - {id: busy-parent, name: Busy parent}\n"
        "  - {id: student, name: Student}\n" + body.format(), encoding="utf-8"
    )
    second.write_text(
        "journeymap: 1\nid: returns\ntitle: Returns\npersonas:\n  - {id: parent, name: Busy parent}\n"
        "  - {id: retiree, name: Retiree}\n" + body.format(), encoding="utf-8"
    )
    return first, second


def test_several_journeys_each_resolve_the_persona_themselves(tmp_path, capsys) -> None:
    """--persona 'Busy parent' was resolved against the first journey only ('busy-parent'), and the
    second, whose persona of that name is 'parent', was 'unknown persona busy-parent' (exit 2):
    nothing rendered. Each journey reads it as a data file's persona column is read."""
    first, second = _two_journeys(tmp_path)
    out = tmp_path / "out"
    assert main(["render", str(first), str(second), "-o", str(out), "--to", "mermaid", "--persona", "Busy parent"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["order--busy-parent.mmd", "returns--parent.mmd"]


def test_a_journey_without_the_persona_is_an_error_naming_it_and_the_others_are_rendered(tmp_path, capsys) -> None:
    """--persona student: the first journey has it, the second not; the whole run was a usage error
    naming the second (exit 2) and nothing was rendered. The journeys that have it are rendered; the
    one that has not is an error naming its file and its personas (exit 1). A persona that no journey
    has stays a usage error."""
    first, second = _two_journeys(tmp_path)
    out = tmp_path / "out"
    assert main(["render", str(second), str(first), "-o", str(out), "--to", "mermaid", "--persona", "students"]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["order--student.mmd"]
    err = capsys.readouterr().err
    assert f"{second}: error: journey 'returns' has no persona 'student' (personas: parent, retiree); not rendered" in err
    assert err.count("note: --persona 'students' is read as persona 'student'") == 1
    assert main(["render", str(first), str(second), "-o", str(out), "--persona", "teacher"]) == 2
    assert "unknown persona 'teacher': no journey has it (personas: busy-parent, parent, retiree, student)" in capsys.readouterr().err


def test_a_persona_written_in_the_plural_is_that_persona_with_a_note(tmp_path, capsys) -> None:
    """As report does, and as a data file's persona column is read (persona-plural)."""
    assert main(["render", str(SMALL), "-o", str(tmp_path), "--to", "mermaid", "--persona", "visitors"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small-journey--visitor.mmd"]
    err = capsys.readouterr().err
    assert err.startswith(
        "journeymap render: note: --persona 'visitors' is read as persona 'visitor', the plural of its id"
        " (write --persona visitor)\n"
    )
    assert err.count("note:") == 1


def test_a_file_given_twice_is_rendered_once_with_a_note(tmp_path, capsys) -> None:
    """journeys/*.journey.yaml plus one of them by name (or ./a and a): the second was an error,
    exit 1, 'journey id ... was already rendered from' the same file, '...ids must be unique'."""
    again = SMALL.parent / ".." / "render" / SMALL.name
    assert main(["render", str(SMALL), str(again), "-o", str(tmp_path), "--to", "mermaid"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [str(tmp_path / "small-journey.mmd")]
    assert err == f"{again}: note: the same file as {SMALL}, given twice: rendered once\n"
    assert [p.name for p in tmp_path.iterdir()] == ["small-journey.mmd"]
    path = str(SMALL)  # the same spelling twice, one string
    assert main(["render", path, path, "-o", str(tmp_path), "--to", "mermaid"]) == 0
    assert capsys.readouterr().err == f"{SMALL}: note: the same file as {SMALL}, given twice: rendered once\n"


def test_two_files_with_one_id_are_still_an_error(tmp_path, capsys) -> None:
    copy = tmp_path / "copy" / "small.journey.yaml"
    copy.parent.mkdir()
    copy.write_bytes(SMALL.read_bytes())
    out = tmp_path / "out"
    assert main(["render", str(SMALL), str(copy), "-o", str(out), "--to", "mermaid"]) == 1
    err = capsys.readouterr().err
    assert f"{copy}: error: journey id 'small-journey' was already rendered from {SMALL}" in err


def test_a_persona_who_meets_no_touchpoint_is_said_so(tmp_path, capsys) -> None:
    """render --persona for a persona every touchpoint leaves out wrote an empty map, an empty
    diagram and a Mermaid of a title only, exit 0, and the terminal said nothing."""
    path = tmp_path / "renew.journey.yaml"
    path.write_text(
        "journeymap: 1\nid: renew\ntitle: Renew online\n"
        "personas: [{id: resident, name: Resident}, {id: courier, name: Courier}]\n"
        "channels: [{id: web, name: Web, kind: digital}]\nstages: [{id: renew, name: Renew}]\ntouchpoints:\n"
        "  - {id: form, name: Form, stage: renew, channel: web, personas: [resident], next: [done]}\n"
        "  - {id: done, name: Done, stage: renew, channel: web, personas: [resident], outcome: success}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["render", str(path), "-o", str(out), "--to", "html,mermaid", "--persona", "courier"]) == 0
    err = capsys.readouterr().err
    assert err == (
        f"{path}: note: persona 'courier' meets none of the journey's 2 touchpoints: the map and diagrams are empty"
        " (list it in a touchpoint's personas, or leave personas out there for everyone)\n"
    )
    assert (out / "renew--courier.mmd").read_text(encoding="utf-8") == "journey\n    title Renew online\n"
    assert main(["render", str(path), "-o", str(out), "--to", "mermaid", "--persona", "resident"]) == 0
    assert capsys.readouterr().err == ""


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


@needs_dot
def test_a_file_name_that_is_not_utf8_is_shown_not_an_internal_error(tmp_path: Path) -> None:
    """A journey whose name is not UTF-8 (caf\\xe9.journey.yaml, from a Latin-1 archive or a Windows share):
    `render` and `site` were 'internal error: UnicodeEncodeError ... surrogates not allowed' (exit 3) in
    any locale (the name is in the map's HTML), and `validate` and `report` too where standard output is
    strict UTF-8 (en_US.UTF-8, PYTHONIOENCODING=utf-8); in C.UTF-8 the JSON of `validate --format json`
    held the raw byte, which is not UTF-8. The byte is now shown as \\xe9, in valid UTF-8, everywhere;
    the JSON's "file" is \\udce9, which Python's os.fsencode turns back into the name's bytes."""
    import json

    folder = tmp_path / os.fsdecode(b"d\xf6s")
    folder.mkdir()
    journey = folder / os.fsdecode(b"caf\xe9.journey.yaml")
    shutil.copy(SMALL, journey)
    broken = folder / os.fsdecode(b"br\xf6ken.journey.yaml")
    broken.write_text(SMALL.read_text(encoding="utf-8").replace("stage: notice", "stage: notise", 1), encoding="utf-8")
    assert "notise" in broken.read_text(encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(HERE.parent), PYTHONIOENCODING="utf-8")
    env.pop("JOURNEYMAP_DEBUG", None)

    def run(*args: str) -> tuple[int, str, str]:
        proc = subprocess.run([sys.executable, "-m", "journeymap", *args], cwd=tmp_path, capture_output=True,
                              timeout=120, env=env)
        out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")  # strictly UTF-8: raises if not
        assert "internal error" not in err and "Traceback" not in err, err
        return proc.returncode, out, err

    code, out, err = run("validate", os.fsdecode(b"d\xf6s"))
    assert code == 1 and "d\\xf6s/br\\xf6ken.journey.yaml:" in out, out
    code, out, _ = run("validate", "--format", "json", str(broken))
    assert code == 1 and {os.fsencode(p["file"]) for p in json.loads(out)} == {os.fsencode(broken.relative_to(tmp_path))}
    code, out, _ = run("validate", "--format", "github", str(broken))
    assert code == 1 and "file=" in out and "br\\xf6ken" in out
    code, out, _ = run("report", "--format", "markdown", str(journey))
    assert code == 0, out
    code, out, err = run("render", str(journey), "-o", "out", "--to", "html,svg,dot,mermaid,md")
    assert code == 0, err
    for page in (tmp_path / "out").iterdir():
        page.read_bytes().decode("utf-8")
    assert "caf\\xe9.journey.yaml" in (tmp_path / "out" / "small-journey.html").read_text(encoding="utf-8")
    code, out, err = run("site", os.fsdecode(b"d\xf6s"), "-o", os.fsdecode(b"s\xeete"))
    assert code == 1 and "s\\xeete/index.html: 1 journey" in out, (out, err)
    index = (tmp_path / os.fsdecode(b"s\xeete") / "index.html").read_text(encoding="utf-8")
    assert "caf\\xe9.journey.yaml" in index and "br\\xf6ken.journey.yaml" in index


def test_a_name_near_the_file_name_limit_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """File names may be 255 bytes. A file is written through a temporary file named after it
    ('.NAME.xxxxxxxx.tmp', 14 bytes more): `fmt` of a journey named with 250 bytes, or `render` of a
    journey whose id makes a 245-byte page, said 'cannot write ...: file name too long' of a name that
    fits (and that fmt had just read). The temporary name is now cut to fit."""
    name = "j" * 250 + ".yaml"
    assert len(name.encode()) == 255
    journey = tmp_path / name
    journey.write_text("journeymap: 1\nid: minimal\n" + MINIMAL_REST, encoding="utf-8")
    assert main(["fmt", str(journey)]) == 0, capsys.readouterr().err
    assert "reformatted" in capsys.readouterr().err
    long_id = "a" * 240
    source = tmp_path / "long-id.yaml"
    source.write_text(f"journeymap: 1\nid: {long_id}\n" + MINIMAL_REST, encoding="utf-8")
    assert main(["render", str(source), "-o", str(tmp_path / "out"), "--to", "md,mermaid"]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{long_id}.md", f"{long_id}.mmd"]
    # a name with many-byte characters is cut at a character, not inside one
    accented = "é" * 120 + ".yaml"
    assert len(accented.encode()) == 245
    (tmp_path / accented).write_text("journeymap: 1\nid: minimal\n" + MINIMAL_REST, encoding="utf-8")
    assert main(["fmt", str(tmp_path / accented)]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


MINIMAL_REST = (
    "title:   Minimal\npersonas: [{id: shopper, name: Shopper}]\nchannels: [{id: web, name: Website}]\n"
    "stages: [{id: buy, name: Buy}]\ntouchpoints:\n  - {id: visit, name: Visits, stage: buy, channel: web}\n"
)


def test_a_journey_s_files_are_written_all_or_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`render --to md,mermaid` wrote the Markdown, then failed on the Mermaid file (here the rename
    fails: EIO): the folder held the new .md beside the old .mmd, of two versions of the journey.
    Both are now put in place together, or neither."""
    import errno

    out = tmp_path / "out"
    assert main(["render", str(SMALL), "--to", "md,mermaid", "-o", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    changed = tmp_path / "small.journey.yaml"
    changed.write_text(SMALL.read_text(encoding="utf-8").replace("name: ", "name: New ", 1), encoding="utf-8")
    real = os.replace
    calls: list[str] = []

    def failing(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    assert main(["render", str(changed), "--to", "md,mermaid", "-o", str(out)]) == 1
    monkeypatch.setattr(os, "replace", real)
    assert "cannot write" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("command", ["render", "site"])
def test_an_output_folder_named_as_a_page_is_refused(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`render j.yaml -o map.html` made a folder named 'map.html' holding minimal.html, exit 0: the user
    who wanted one file found a folder. A new -o named like a file journeymap writes is refused (exit 2)
    with what to write; 'map.html/' (or a folder already there) is a folder as asked."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(SMALL, tmp_path / "j.journey.yaml")
    source = "j.journey.yaml" if command == "render" else "."
    extra = ["--to", "md"] if command == "render" else ["--no-git"]
    for output in ("map.html", "diagram.SVG", "notes.md"):
        assert main([command, source, "-o", output, *extra]) == 2
        out, err = capsys.readouterr()
        assert out == "" and f"-o {output}: {command} writes a folder of files" in err and f"./{output}/" in err, err
        assert not (tmp_path / output).exists()
    assert main([command, source, "-o", "map.html/", *extra]) == 0
    capsys.readouterr()
    assert (tmp_path / "map.html").is_dir()
    assert main([command, source, "-o", "map.html", *extra]) == 0  # there now: a folder
