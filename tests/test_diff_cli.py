"""journeymap diff on the command line: two files, --git, formats and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from journeymap.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path("tests") / "fixtures" / "diff"
OLD = str(FIXTURES / "shop-old.journey.yaml")
NEW = str(FIXTURES / "shop-new.journey.yaml")
BROKEN = str(FIXTURES / "broken.journey.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["diff", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def variant(tmp_path: Path, name: str, *edits: tuple[str, str]) -> str:
    """shop-old with text edits, written to tmp_path."""
    text = (ROOT / OLD).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# -- two files --------------------------------------------------------------------


@pytest.mark.usefixtures("at_root")
def test_golden_text_and_markdown_of_the_rich_pair(capsys: pytest.CaptureFixture[str], golden: object) -> None:
    code, text, _ = run(capsys, OLD, NEW)
    assert code == 0
    golden.check("diff/shop.txt", text)  # type: ignore[attr-defined]
    code, markdown, _ = run(capsys, OLD, NEW, "--format", "markdown")
    assert code == 0
    golden.check("diff/shop.md", markdown)  # type: ignore[attr-defined]


@pytest.mark.usefixtures("at_root")
def test_consequences_of_the_rich_pair_from_the_real_analysis(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, OLD, NEW, "--format", "json")
    data = json.loads(out)
    c = data["consequences"]
    assert [w["touchpoint"] for w in c["became_weak"]] == ["basket"]
    assert "CSAT 72%" in c["became_weak"][0]["reasons"][0]
    assert [w["touchpoint"] for w in c["no_longer_weak"]] == ["search", "payment"]
    assert c["conversion"]["delta"] < 0
    assert data["summary"]["weaker"] is True
    review = next(s for s in c["stages"] if s["stage"] == "review")
    assert review["old_reach"] is None and review["new_reach"] > 0


@pytest.mark.usefixtures("at_root")
def test_a_file_with_itself_says_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, OLD, OLD, "--fail-on", "any")
    assert (code, err) == (0, "")
    assert out.splitlines()[1].strip() == "no changes"
    _, out, _ = run(capsys, OLD, OLD, "--format", "json")
    data = json.loads(out)
    assert data["changes"] == [] and data["summary"]["changed"] is False
    assert data["consequences"]["became_weak"] == [] and data["consequences"]["conversion"]["delta"] == 0
    _, out, _ = run(capsys, OLD, OLD, "--format", "markdown")
    assert "**no changes**" in out and "<details>" not in out and "| Consequence" not in out


@pytest.mark.usefixtures("at_root")
def test_two_different_journeys_are_said_to_be_different_at_the_top(capsys: pytest.CaptureFixture[str]) -> None:
    """The two sample journeys (grocery, telecom) compared gave 118 lines of everything removed and
    added, the id change buried in "journey settings". The top says they are two journeys, by id."""
    grocery = "sample_journeys/grocery-first-order.journey.yaml"
    telecom = "sample_journeys/telecom-support.journey.yaml"
    note = "two different journeys: ids grocery-first-order and telecom-support; every element is compared by id"
    code, out, err = run(capsys, grocery, telecom)
    assert (code, err) == (0, "")  # the comparison ran: the exit code contract is unchanged
    lines = out.splitlines()
    assert lines[1] == f"  note: {note}"
    assert lines[2].startswith("  41 touchpoints changed, 11 stages changed")
    code, out, _ = run(capsys, grocery, telecom, "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("### Broadband fault, from report to fix — ")
    assert lines[2] == "> **Note:** two different journeys: ids `grocery-first-order` and `telecom-support`; every element is compared by id"
    assert lines[4].startswith("**41 touchpoints changed")
    _, out, _ = run(capsys, grocery, telecom, "--format", "json")
    data = json.loads(out)
    assert data["summary"]["different_journeys"] == {"old": "grocery-first-order", "new": "telecom-support"}
    assert run(capsys, grocery, telecom, "--fail-on", "any")[0] == 1  # a change, as documented
    # One journey in two versions says nothing of the kind.
    code, out, _ = run(capsys, OLD, NEW)
    assert "two different journeys" not in out
    _, out, _ = run(capsys, OLD, NEW, "--format", "json")
    assert json.loads(out)["summary"]["different_journeys"] is None


@pytest.mark.usefixtures("at_root")
def test_a_persona_written_in_the_plural_is_that_persona_with_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    grocery = "sample_journeys/grocery-first-order.journey.yaml"
    code, out, err = run(capsys, grocery, grocery, "--persona", "busy-parents", "--format", "json")
    assert code == 0 and json.loads(out)["consequences"]["persona"] == "busy-parent"
    assert err == (
        "journeymap diff: note: --persona 'busy-parents' is read as persona 'busy-parent', the plural of its id"
        " (write --persona busy-parent)\n"
    )
    code, _, err = run(capsys, grocery, grocery, "--persona", "busy-parentz")
    assert code == 2 and "unknown persona 'busy-parentz' (did you mean 'busy-parent'?)" in err


@pytest.mark.usefixtures("at_root")
def test_fail_on_weaker_when_a_touchpoint_becomes_weak(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, OLD, NEW) == (0, run(capsys, OLD, NEW)[1], "")
    code, _, err = run(capsys, OLD, NEW, "--fail-on", "weaker")
    assert code == 1
    # Why the check failed is said on standard error: with -o the output is not in the log.
    assert err == f"journeymap diff: --fail-on weaker: {NEW}: " + run(capsys, OLD, NEW)[1].splitlines()[1].strip() + "\n"
    assert "1 became weak" in err and "conversion 54.0% → 51.0%" in err


@pytest.mark.usefixtures("at_root")
def test_fail_on_weaker_when_only_conversion_falls(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lower = variant(tmp_path, "lower.journey.yaml", ("      - to: confirm\n        share: 0.9", "      - to: confirm\n        share: 0.8"))
    code, out, _ = run(capsys, OLD, lower, "--fail-on", "weaker", "--format", "json")
    data = json.loads(out)
    assert data["consequences"]["became_weak"] == []
    assert data["consequences"]["conversion"]["delta"] < 0
    assert code == 1


@pytest.mark.usefixtures("at_root")
def test_fail_on_weaker_passes_a_change_that_only_helps(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    better = variant(
        tmp_path,
        "better.journey.yaml",
        ("        severity: 4\n        note: 3-D Secure page hangs", "        severity: 2\n        note: 3-D Secure page hangs"),
    )
    code, out, _ = run(capsys, OLD, better, "--fail-on", "weaker")
    assert code == 0
    assert "no longer weak: Pays by card (payment)" in out
    assert "friction 'wait' (3-D Secure page hangs) severity 4 → 2, improved" in out
    assert run(capsys, OLD, better, "--fail-on", "any")[0] == 1


@pytest.mark.usefixtures("at_root")
def test_a_file_with_errors_is_reported_with_positions_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, BROKEN, NEW)
    assert code == 1
    assert err.splitlines() == [
        f"{BROKEN}:17:12: error[unknown-reference]: touchpoint 'land': unknown stage 'brwose' (did you mean 'browse'?)"
    ]
    assert "Traceback" not in out + err
    assert "not compared" in out
    _, markdown, _ = run(capsys, BROKEN, NEW, "--format", "markdown")
    assert markdown.startswith(f"### `{BROKEN}` → `{NEW}`\n\n**Not compared: the file has errors.**")  # no title: paths once
    code, out, _ = run(capsys, NEW, BROKEN, "--format", "json")
    assert code == 1
    assert json.loads(out)["problems"][0]["code"] == "unknown-reference"
    # The file compared with itself (a CI job that diffs a branch with no change): each problem once.
    code, out, err = run(capsys, BROKEN, BROKEN)
    assert code == 1 and len(err.splitlines()) == 1 and "unknown stage 'brwose'" in err
    assert "not compared: the file has errors" in out  # it said "one side has errors"
    _, markdown, _ = run(capsys, BROKEN, BROKEN, "--format", "markdown")
    assert markdown.count("unknown stage") == 1


@pytest.mark.usefixtures("at_root")
@pytest.mark.parametrize(
    "argv, message",
    [
        ([OLD], "give two journey files"),
        ([OLD, NEW, NEW], "give two journey files"),
        ([OLD, "tests/fixtures/diff/missing.journey.yaml"], "no such file: tests/fixtures/diff/missing.journey.yaml"),
        # a folder said "no such file", of a folder that is there
        ([OLD, "tests/fixtures/diff"], "tests/fixtures/diff is a folder: give two journey files, or --git REV tests/fixtures/diff"),
        ([OLD, NEW, "--persona", "nobody"], "unknown persona 'nobody'"),
        ([OLD, NEW, "--persona", "shoper"], "unknown persona 'shoper' (did you mean 'shopper'?)"),
        ([OLD, NEW, "--metrics", "tests/fixtures/diff/missing.csv"], "no such file: tests/fixtures/diff/missing.csv"),
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err and out == ""


def test_two_broken_files_are_said_to_be_both_broken(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    other = tmp_path / "other.journey.yaml"
    other.write_text(Path(BROKEN).read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run(capsys, BROKEN, str(other))
    assert code == 1 and len(err.splitlines()) == 2
    assert "not compared: both sides have errors" in out


@pytest.mark.usefixtures("at_root")
def test_persona_is_passed_to_both_analyses(capsys: pytest.CaptureFixture[str]) -> None:
    _, everyone, _ = run(capsys, OLD, NEW, "--format", "json")
    code, out, _ = run(capsys, OLD, NEW, "--format", "json", "--persona", "bargain-hunter")
    data = json.loads(out)
    assert code == 0
    assert data["consequences"]["persona"] == "bargain-hunter"
    # apple-pay is not for bargain hunters: their conversion differs from everyone's.
    assert data["consequences"]["conversion"] != json.loads(everyone)["consequences"]["conversion"]


def test_a_persona_on_one_side_only_says_why_there_are_no_consequences(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`diff OLD NEW --persona vip`, the VIP persona added on the new side: the diff showed the structure
    only, no conversion nor weak touchpoints, and read no data file, without a word on why (a survey with
    errors was never read, unsaid). A warning now says the persona is on one side only."""
    old = tmp_path / "old.journey.yaml"
    old.write_text(
        "journeymap: 1\nid: support\ntitle: Support\npersonas: [{id: regular, name: Regular}]\n"
        "channels: [{id: web, name: Web}]\nstages: [{id: help, name: Help}]\ntouchpoints:\n"
        "  - {id: search-faq, name: Search the FAQ, stage: help, channel: web, next: [solved]}\n"
        "  - {id: solved, name: Solved, stage: help, channel: web, outcome: success}\n", encoding="utf-8")
    new = tmp_path / "new.journey.yaml"
    new.write_text(old.read_text(encoding="utf-8").replace("personas: [{id: regular, name: Regular}]",
                                                           "personas: [{id: regular, name: Regular}, {id: vip, name: VIP}]"),
                   encoding="utf-8")
    code, out, err = run(capsys, str(old), str(new), "--persona", "vip", "--format", "json")
    assert code == 0
    assert json.loads(out)["consequences"] is None
    assert err.splitlines() == [
        f"{old}: warning[persona-one-side]: persona 'vip' is only in the new journey: the two sides are compared"
        " without consequences for it (conversion, reach, weak touchpoints), and data files are not read"
        " (compare without --persona, or with a persona both sides have)"]
    # a persona both sides have: consequences, no warning
    code, out, err = run(capsys, str(old), str(new), "--persona", "regular", "--format", "json")
    assert code == 0 and err == "" and json.loads(out)["consequences"] is not None


@pytest.mark.usefixtures("at_root")
def test_metric_data_reaches_both_analyses(capsys: pytest.CaptureFixture[str]) -> None:
    grocery = "sample_journeys/grocery-first-order.journey.yaml"
    events = "sample_journeys/data/grocery-first-order.events.csv"
    _, plain, _ = run(capsys, grocery, grocery, "--format", "json")
    code, out, err = run(capsys, grocery, grocery, "--format", "json", "--events", events)
    assert (code, err) == (0, "")
    with_events = json.loads(out)
    assert with_events["summary"]["changed"] is False  # the same data on both sides
    assert with_events["consequences"]["conversion"]["new"] != json.loads(plain)["consequences"]["conversion"]["new"]


@pytest.mark.usefixtures("at_root")
def test_metric_data_problems_are_judged_on_the_new_side(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    table = tmp_path / "metrics.csv"
    # apple-pay exists only in the new version: no problem. no-such exists nowhere: an error.
    table.write_text("touchpoint,metric,value,n\napple-pay,csat,0.5,300\n", encoding="utf-8")
    code, out, err = run(capsys, OLD, NEW, "--metrics", str(table))
    assert (code, err) == (0, "")
    table.write_text("touchpoint,metric,value,n\nno-such,csat,0.5,300\n", encoding="utf-8")
    code, out, err = run(capsys, OLD, NEW, "--metrics", str(table))
    assert code == 1
    assert err.count("error[unknown-touchpoint]") == 1 and f"{table}:2:" in err


@pytest.mark.usefixtures("at_root")
def test_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "comment.md"
    code, out, _ = run(capsys, OLD, NEW, "--format", "markdown", "--title", "Journey changes", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("## Journey changes\n")


@pytest.mark.usefixtures("at_root")
def test_output_through_a_symlink_writes_its_target(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`diff A B -o comment.md` with comment.md a link (to docs/comment.md, the file a workflow
    publishes) replaced the link with a file: the link was gone and its target kept the old text, without
    a word. It now writes the target, as the shell's `>` does, and the link stays a link; so do the
    pages of `render` and `site`."""
    (tmp_path / "docs").mkdir()
    target = tmp_path / "docs" / "comment.md"
    target.write_text("old text\n", encoding="utf-8")
    link = tmp_path / "comment.md"
    link.symlink_to(Path("docs") / "comment.md")
    code, out, _ = run(capsys, OLD, NEW, "--format", "markdown", "--title", "Journey changes", "-o", str(link))
    assert code == 0 and out == ""
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("## Journey changes\n")
    dangling = tmp_path / "next.md"
    dangling.symlink_to(Path("docs") / "next.md")  # a link to a file not there yet: made, as `>` makes it
    assert run(capsys, OLD, NEW, "-o", str(dangling))[0] == 0
    assert dangling.is_symlink() and (tmp_path / "docs" / "next.md").read_text(encoding="utf-8").startswith(OLD)
    page = tmp_path / "out" / "small-journey.md"
    page.parent.mkdir()
    page.symlink_to(target)
    assert main(["render", "tests/fixtures/render/small.journey.yaml", "--to", "md", "-o", str(page.parent)]) == 0
    capsys.readouterr()
    assert page.is_symlink() and target.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.usefixtures("at_root")
def test_output_through_a_dangling_link_to_a_missing_folder_is_refused(capsys: pytest.CaptureFixture[str],
                                                                         tmp_path: Path) -> None:
    """`diff A B -o comment.md` with comment.md a link left dangling to a folder that is gone (a share not mounted,
    /mnt/share/docs/comment.md) made that folder and wrote the file in it, where the shell's `>` says there is no
    such folder; `render -o out` with `out` a dangling link to a folder was told 'out is a file, not a folder'. Both
    are refused with the link and its target named, and nothing is made."""
    link = tmp_path / "comment.md"
    link.symlink_to(tmp_path / "share" / "docs" / "comment.md")
    code, out, err = run(capsys, OLD, NEW, "-o", str(link))
    assert (code, out) == (1, "")  # as a read-only file: nothing written
    assert (f"cannot write {link}: it is a symbolic link to {tmp_path / 'share' / 'docs' / 'comment.md'}, whose folder"
            f" {tmp_path / 'share' / 'docs'} does not exist (make the folder, or remove the link to write a file in its"
            " place)") in err
    assert main(["schema", "-o", str(link)]) == 1
    assert "whose folder" in capsys.readouterr().err
    assert not (tmp_path / "share").exists() and link.is_symlink()
    folder = tmp_path / "out"
    folder.symlink_to("site-gone")
    assert main(["render", "tests/fixtures/render/small.journey.yaml", "--to", "md", "-o", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{folder} is a symbolic link to site-gone, which does not exist" in err and "is a file" not in err, err
    assert not (tmp_path / "site-gone").exists()


def test_output_through_a_symlink_loop_is_refused_with_the_path_typed(capsys: pytest.CaptureFixture[str],
                                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o comment.md` with comment.md a link in a loop (comment.md -> again.md -> comment.md): `schema` and `diff`
    said 'cannot write /abs/path/again.md: too many levels of symbolic links', a path the user never typed;
    `simulate` replaced the link with its log, and `render -o out` (a folder link in a loop) said the link's
    target 'does not exist'. Each is refused naming what was typed and the loop, and the links are left as they were."""
    cli = main
    (tmp_path / "comment.md").symlink_to("again.md")
    (tmp_path / "again.md").symlink_to("comment.md")
    (tmp_path / "out").symlink_to("out")
    said = ("cannot write {}: it is a symbolic link in a loop (comment.md -> again.md -> comment.md), which leads to no"
            " file (remove the link, or point it at a file)")
    monkeypatch.chdir(tmp_path)
    for argv in (["schema", "-o", "comment.md"], ["diff", ROOT / OLD, ROOT / NEW, "-o", "comment.md"]):
        code = cli([str(a) for a in argv])
        out, err = capsys.readouterr()
        assert (code, out) == (1, ""), err
        assert said.format("comment.md") in err and str(tmp_path) not in err, err
    journey = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
    (tmp_path / "log.csv").symlink_to("again.csv")
    (tmp_path / "again.csv").symlink_to("log.csv")
    assert cli(["simulate", str(journey), "--customers", "5", "-o", "log.csv"]) == 1
    assert ("cannot write log.csv: it is a symbolic link in a loop (log.csv -> again.csv -> log.csv)"
            in capsys.readouterr().err) and os.readlink(tmp_path / "log.csv") == "again.csv"
    assert cli(["render", str(journey), "--to", "md", "-o", "out"]) == 1
    err = capsys.readouterr().err
    assert "out is a symbolic link in a loop (out -> out), which leads to no folder" in err and "does not exist" not in err, err
    assert os.readlink(tmp_path / "comment.md") == "again.md" and os.readlink(tmp_path / "again.md") == "comment.md"
    assert os.readlink(tmp_path / "out") == "out"
    # a link to a file that cannot be written: the link typed is named, and where it leads
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("kept\n", encoding="utf-8")
    (tmp_path / "docs" / "page.md").chmod(0o444)
    (tmp_path / "page.md").symlink_to(Path("docs") / "page.md")
    assert cli(["schema", "-o", "page.md"]) == 1
    assert ("cannot write page.md: the file is read-only (it is a symbolic link to docs/page.md); it was not changed"
            in capsys.readouterr().err)
    assert cli(["render", str(journey), "--to", "md", "-o", "docs"]) == 0
    capsys.readouterr()
    (tmp_path / "docs" / "grocery-first-order.md").chmod(0o444)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "grocery-first-order.md").symlink_to(Path("..") / "docs" / "grocery-first-order.md")
    assert cli(["render", str(journey), "--to", "md", "-o", "site"]) == 1
    assert ("cannot write site/grocery-first-order.md: the file is read-only (it is a symbolic link to"
            " ../docs/grocery-first-order.md); it was not changed") in capsys.readouterr().err


def test_output_over_a_journey_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`diff old.yaml new.yaml -o new.yaml` (or a link to it, or `diff --git main -o j.journey.yaml`, any
    journey or library file) replaced the journey with the diff's text."""
    old, new = tmp_path / "old.journey.yaml", tmp_path / "new.journey.yaml"
    old.write_bytes((ROOT / OLD).read_bytes())
    new.write_bytes((ROOT / NEW).read_bytes())
    (tmp_path / "link.yaml").symlink_to(new)
    other = tmp_path / "other.journey.yaml"
    other.write_bytes((ROOT / OLD).read_bytes())
    for target, said in ((new, f"is {new}, which this command reads"), (tmp_path / "link.yaml", f"is {new}, which"),
                         (other, "is a journeymap file (it declares 'journeymap:')")):
        code, out, err = run(capsys, str(old), str(new), "-o", str(target))
        assert code == 2 and out == "" and said in err, err
    assert main(["schema", "-o", str(other)]) == 2
    assert "it would be overwritten with the schema" in capsys.readouterr().err
    assert new.read_bytes() == (ROOT / NEW).read_bytes() and other.read_bytes() == (ROOT / OLD).read_bytes()
    notes = tmp_path / "notes.yaml"  # a YAML file that is not journeymap's may be written
    notes.write_text("a: 1\n")
    assert run(capsys, str(old), str(new), "-o", str(notes))[0] == 0
    assert "touchpoint" in notes.read_text(encoding="utf-8")


# -- --git ------------------------------------------------------------------------------------

LIBRARY = """journeymap: 1
channels:
  - id: web
    name: {web}
personas:
  - id: shopper
    name: Shopper
"""

JOURNEY = """journeymap: 1
id: {id}
title: {title}
imports: [lib/shared.yaml]
stages:
  - id: buy
    name: Buy
touchpoints:
  - id: start
    name: Starts
    stage: buy
    channel: web
    next:
      - to: done
        share: {share}
  - id: done
    name: Done
    stage: buy
    channel: web
    outcome: success
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with four journeys and a library, committed, then changed."""
    repo = tmp_path / "repo"
    (repo / "journeys" / "lib").mkdir(parents=True)
    files = {
        "journeys/lib/shared.yaml": LIBRARY.format(web="Website"),
        "journeys/changed.journey.yaml": JOURNEY.format(id="changed", title="Changed", share=0.9),
        "journeys/deleted.journey.yaml": JOURNEY.format(id="deleted", title="Deleted", share=0.9),
        "journeys/untouched.journey.yaml": JOURNEY.format(id="untouched", title="Untouched", share=0.9),
        "journeys/moved.journey.yaml": JOURNEY.format(id="moved", title="Moved", share=0.9),
        "README.md": "not a journey\n",
    }
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "journeys")
    # The change under review:
    (repo / "journeys/lib/shared.yaml").write_text(LIBRARY.format(web="Web shop"), encoding="utf-8")
    (repo / "journeys/changed.journey.yaml").write_text(JOURNEY.format(id="changed", title="Changed", share=0.6), encoding="utf-8")
    (repo / "journeys/deleted.journey.yaml").unlink()
    (repo / "journeys/added.journey.yaml").write_text(JOURNEY.format(id="added", title="Added", share=0.8), encoding="utf-8")
    git(repo, "mv", "journeys/moved.journey.yaml", "journeys/renamed.journey.yaml")
    (repo / "README.md").write_text("still not a journey\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    return repo


def by_path(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in data["files"]}


def test_git_compares_every_changed_journey_file(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    code, out, err = run(capsys, "--git", "HEAD", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    files = by_path(data)
    assert sorted(files) == [
        "journeys/added.journey.yaml",
        "journeys/changed.journey.yaml",
        "journeys/deleted.journey.yaml",
        "journeys/renamed.journey.yaml",
        "journeys/untouched.journey.yaml",
    ]
    assert data["revision"] == "HEAD" and len(data["commit"]) == 40
    assert files["journeys/added.journey.yaml"]["status"] == "added"
    assert files["journeys/added.journey.yaml"]["old"] is None
    assert files["journeys/deleted.journey.yaml"]["status"] == "removed"
    assert files["journeys/deleted.journey.yaml"]["new"] is None
    renamed = files["journeys/renamed.journey.yaml"]
    assert (renamed["status"], renamed["old_path"]) == ("renamed", "journeys/moved.journey.yaml")
    changed = files["journeys/changed.journey.yaml"]
    texts = [d["text"] for c in changed["changes"] for d in c["details"]]
    assert "flow start → done share 90% → 60%" in texts
    assert changed["consequences"]["conversion"] == {"old": 0.9, "new": 0.6, "delta": pytest.approx(-0.3)}
    assert data["summary"]["weaker"] is True


def test_git_reads_the_old_side_imports_at_the_revision(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    _, out, _ = run(capsys, "--git", "HEAD", "--format", "json")
    files = by_path(json.loads(out))
    # untouched.journey.yaml did not change, but the library it imports did:
    untouched = files["journeys/untouched.journey.yaml"]
    assert untouched["imports_changed"] == ["journeys/lib/shared.yaml"]
    [channel] = untouched["changes"]
    assert (channel["kind"], channel["id"], channel["change"]) == ("channel", "web", "renamed")
    assert channel["details"][0]["old"] == "Website"  # the old library, read with git show
    assert channel["details"][0]["new"] == "Web shop"


def test_git_text_and_markdown_name_each_file(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    code, out, _ = run(capsys, "--git", "HEAD")
    assert code == 0
    assert "journeys/added.journey.yaml (added): journey added \"Added\"" in out
    assert "journeys/deleted.journey.yaml (deleted): journey deleted \"Deleted\"" in out
    assert "journeys/moved.journey.yaml → journeys/renamed.journey.yaml (renamed)" in out
    assert "README" not in out and "shared.yaml:" not in out.replace("imports changed: journeys/lib/shared.yaml", "")
    _, markdown, _ = run(capsys, "--git", "HEAD", "--format", "markdown")
    assert markdown.startswith("**5 journey files, 5 with changes, 1 made weaker**")
    assert "### Added — `journeys/added.journey.yaml` (added)" in markdown


def test_git_fail_on_weaker(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    code, _, err = run(capsys, "--git", "HEAD", "--fail-on", "weaker", "-o", "diff.md")
    assert code == 1
    assert "journeymap diff: --fail-on weaker: journeys/changed.journey.yaml: " in err
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")
    code, out, _ = run(capsys, "--git", "HEAD", "--fail-on", "weaker")
    assert (code, out) == (0, "no journey files changed\n")


def test_git_three_dots_compare_with_the_merge_base(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feature work")
    git(repo, "checkout", "-q", "-")
    (repo / "journeys/main-only.journey.yaml").write_text(JOURNEY.format(id="main-only", title="Main", share=0.5), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "meanwhile on the base branch")
    base = subprocess.run(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    git(repo, "checkout", "-q", "feature")
    _, out, _ = run(capsys, "--git", base, "--format", "json")
    tip = by_path(json.loads(out))
    assert tip["journeys/main-only.journey.yaml"]["status"] == "removed"  # the branch tip gained it
    _, out, _ = run(capsys, "--git", f"{base}...", "--format", "json")
    data = json.loads(out)
    assert "journeys/main-only.journey.yaml" not in by_path(data)
    assert by_path(data)["journeys/changed.journey.yaml"]["status"] == "modified"
    assert data["revision"] == f"{base}..."


def test_git_persona(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    code, out, _ = run(capsys, "--git", "HEAD", "--format", "json", "--persona", "shopper")
    assert code == 0
    changed = by_path(json.loads(out))["journeys/changed.journey.yaml"]
    assert changed["consequences"]["persona"] == "shopper"


def test_git_persona_in_the_plural_or_other_capitals(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    """`--git HEAD --persona Shopper` was 'unknown persona: no compared journey has it' (exit 2) though each
    journey was analysed for 'shopper'; a plural is read so too, with one note."""
    code, out, err = run(capsys, "--git", "HEAD", "--format", "json", "--persona", "Shopper")
    assert code == 0, err
    assert by_path(json.loads(out))["journeys/changed.journey.yaml"]["consequences"]["persona"] == "shopper"
    code, out, err = run(capsys, "--git", "HEAD", "--format", "json", "--persona", "shoppers")
    assert code == 0, err
    assert by_path(json.loads(out))["journeys/changed.journey.yaml"]["consequences"]["persona"] == "shopper"
    assert err.count("note: --persona 'shoppers' is read as persona 'shopper', the plural of its id") == 1
    code, _, err = run(capsys, "--git", "HEAD", "--persona", "shopperz")
    assert code == 2 and "unknown persona 'shopperz'" in err


def test_git_persona_added_in_the_working_tree_names_the_old_side_as_git_does(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    """The persona-one-side warning names the side without the persona as the diff does (HEAD:path), not
    the scratch copy git's side is read from."""
    text = JOURNEY.format(id="changed", title="Changed", share=0.6).replace(
        "imports: [lib/shared.yaml]\n", "imports: [lib/shared.yaml]\npersonas: [{id: vip, name: VIP}]\n")
    (repo / "journeys/changed.journey.yaml").write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "--git", "HEAD", "--persona", "vip", "journeys/changed.journey.yaml")
    assert code == 0
    assert err.startswith("HEAD:journeys/changed.journey.yaml: warning[persona-one-side]: persona 'vip' is only in the new journey")


def test_git_paths_limit_the_comparison(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    _, out, _ = run(capsys, "--git", "HEAD", "--format", "json", "journeys/changed.journey.yaml")
    assert list(by_path(json.loads(out))) == ["journeys/changed.journey.yaml"]
    _, out, _ = run(capsys, "--git", "HEAD", "--format", "json", "journeys/deleted.journey.yaml")
    assert list(by_path(json.loads(out))) == ["journeys/deleted.journey.yaml"]


def test_git_paths_are_relative_to_the_working_directory(
    capsys: pytest.CaptureFixture[str], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "journeys")
    _, out, _ = run(capsys, "--git", "HEAD~0", "--format", "json", "changed.journey.yaml")
    assert list(by_path(json.loads(out))) == ["changed.journey.yaml"]


def test_git_errors_on_either_side(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    (repo / "journeys/changed.journey.yaml").write_text(
        JOURNEY.format(id="changed", title="Changed", share=0.6).replace("channel: web\n    next", "channel: wbe\n    next"),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--git", "HEAD", "--format", "json")
    assert code == 1
    assert err.startswith("journeys/changed.journey.yaml:12:14: error[unknown-reference]:")
    broken = by_path(json.loads(out))["journeys/changed.journey.yaml"]
    assert broken["summary"] is None and broken["problems"][0]["line"] == 12
    # The old side's errors name the revision, as `git show` would.
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "broken")
    (repo / "journeys/changed.journey.yaml").write_text(JOURNEY.format(id="changed", title="Changed", share=0.6), encoding="utf-8")
    code, _, err = run(capsys, "--git", "HEAD")
    assert code == 1
    assert err.startswith("HEAD:journeys/changed.journey.yaml:12:14: error[unknown-reference]:")


def test_git_imports_that_no_file_can_be(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    """The old side's imports are read with git: an import with a NUL character crashed it
    (ValueError from subprocess), and one of a folder wrote git's listing of the folder as a
    file (found by test_fuzz)."""
    import shutil

    shutil.copytree(ROOT / "tests" / "fixtures" / "imports" / "unopenable", repo / "journeys" / "odd")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "odd imports")
    journey = repo / "journeys" / "odd" / "unopenable.journey.yaml"
    journey.write_text(journey.read_text(encoding="utf-8").replace("Imports that", "Imports, changed, that"), encoding="utf-8")
    code, out, err = run(capsys, "--git", "HEAD", "--format", "json", "journeys/odd")
    assert code == 1
    assert err.count("error[import-missing]") == 6, err  # three on each side
    assert "HEAD:journeys/odd/unopenable.journey.yaml:7:5: error[import-missing]: import 'lib' is a folder" in err
    assert by_path(json.loads(out))["journeys/odd/unopenable.journey.yaml"]["summary"] is None


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--git", "no-such-branch"], "bad revision 'no-such-branch'"),
        (["--git", "HEAD", "journeys/nothing-here.yaml"], "no such file or folder"),
        (["--git", "HEAD", "--persona", "nobody"], "unknown persona 'nobody'"),
    ],
)
def test_git_usage_errors(capsys: pytest.CaptureFixture[str], repo: Path, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err


def test_git_an_unfetched_remote_branch_says_to_fetch_it(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    git(repo, "remote", "add", "origin", str(repo))
    code, _, err = run(capsys, "--git", "origin/main")
    assert code == 2
    assert "bad revision 'origin/main'" in err and "git fetch origin main" in err and "fetch-depth: 0" in err
    _, _, err = run(capsys, "--git", "feature/x")  # not a remote: no fetch advice
    assert "bad revision 'feature/x'" in err and "fetch" not in err


def test_git_outside_a_repository(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = run(capsys, "--git", "HEAD")
    assert code == 2
    assert "not a git repository" in err


# -- layering ----------------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["journeymap/changes.py", "journeymap/gitfiles.py", "journeymap/render/diff_text.py"])
def test_core_modules_do_not_print_exit_or_import_the_cli(module: str) -> None:
    source = (ROOT / module).read_text(encoding="utf-8")
    for forbidden in ("print(", "sys.exit", "from .cli", "from ..cli", "journeymap.cli", "argparse"):
        assert forbidden not in source, f"{module} uses {forbidden}"


def test_renames_are_paired_by_journey_id_not_by_content() -> None:
    from journeymap.gitfiles import ChangedFile, pair_renames

    files = [
        ChangedFile("added", None, "b/checkout.yaml"),
        ChangedFile("added", None, "b/other.yaml"),
        ChangedFile("removed", "a/checkout.yaml", None),
        ChangedFile("removed", "a/gone.yaml", None),
        ChangedFile("modified", "c.yaml", "c.yaml"),
    ]
    ids = {"b/checkout.yaml": "checkout", "a/checkout.yaml": "checkout", "b/other.yaml": "other", "a/gone.yaml": "gone"}
    paired = pair_renames(files, lambda f: ids.get(f.new_path or f.old_path or ""))
    assert paired == [
        ChangedFile("removed", "a/gone.yaml", None),
        ChangedFile("renamed", "a/checkout.yaml", "b/checkout.yaml"),
        ChangedFile("added", None, "b/other.yaml"),
        ChangedFile("modified", "c.yaml", "c.yaml"),
    ]


def test_a_reader_that_goes_away_does_not_pass_a_tripped_fail_on() -> None:
    """`journeymap diff A B --fail-on weaker | head` exited 0 when the reader stopped early, and CI under
    `set -o pipefail` let a change that made a touchpoint weak through."""
    from tests.test_validate_cli import run_into_a_closed_pipe

    assert run_into_a_closed_pipe("diff", OLD, NEW, "--fail-on", "weaker").returncode == 1
    assert run_into_a_closed_pipe("diff", OLD, NEW, "--format", "markdown", "--fail-on", "weaker").returncode == 1
    assert run_into_a_closed_pipe("diff", OLD, NEW).returncode == 0


@pytest.mark.usefixtures("at_root")
def test_output_to_a_fifo_or_a_descriptor_is_written_into_not_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`-o` names a file that is not a regular one: a FIFO (a reader waiting), /dev/stdout, /dev/fd/3,
    /dev/null. The write went through a temporary file and a rename, which replaced the FIFO (or, run as
    root, /dev/null itself) with a regular file, and the reader never got a byte; /dev/stdout was
    'cannot write /proc/.../fd/pipe:[...]'. Such a file is now written into, never replaced; a
    descriptor (/dev/stdout into `>> log`) is appended to, never truncated."""
    import stat

    expected = run(capsys, OLD, NEW)[1]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "to-pipe"
    link.symlink_to(fifo)
    for target in (fifo, link):
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        keep_open = os.open(fifo, os.O_WRONLY)  # so that the reader sees no end before journeymap writes
        try:
            assert run(capsys, OLD, NEW, "-o", str(target)) == (0, "", "")
            os.close(keep_open)
            got = b""
            while chunk := os.read(reader, 1 << 16):
                got += chunk
        finally:
            os.close(reader)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and link.is_symlink()
        assert got.decode("utf-8") == expected
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("JOURNEYMAP_DEBUG", None)
    command = [sys.executable, "-m", "journeymap", "diff", OLD, NEW, "-o", "/dev/stdout"]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, expected, "")
    log = tmp_path / "log.txt"
    log.write_text("earlier lines\n", encoding="utf-8")
    with open(log, "a", encoding="utf-8") as appended:
        proc = subprocess.run(command, cwd=ROOT, stdout=appended, stderr=subprocess.PIPE, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert log.read_text(encoding="utf-8") == "earlier lines\n" + expected


@pytest.mark.usefixtures("at_root")
def test_an_output_its_owner_made_read_only_is_not_replaced_even_by_root(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """README: 'a file its owner made read-only is not replaced'. The check asked os.access, which says
    yes to root for any file: in a container (CI runs as root) `diff -o comment.md` with comment.md
    chmod 444 replaced it. The mode's write bits are now read too; a page of render is kept the same way."""
    target = tmp_path / "comment.md"
    target.write_text("kept\n", encoding="utf-8")
    target.chmod(0o444)
    code, out, err = run(capsys, OLD, NEW, "-o", str(target))
    assert (code, out) == (1, "")
    assert err == f"journeymap diff: error: cannot write {target}: the file is read-only; it was not changed\n"
    assert target.read_text(encoding="utf-8") == "kept\n" and target.stat().st_mode & 0o777 == 0o444
    page = tmp_path / "out" / "small-journey.md"
    page.parent.mkdir()
    page.write_text("kept\n", encoding="utf-8")
    page.chmod(0o444)
    assert main(["render", "tests/fixtures/render/small.journey.yaml", "--to", "md", "-o", str(page.parent)]) == 1
    assert "the file is read-only" in capsys.readouterr().err and page.read_text(encoding="utf-8") == "kept\n"
