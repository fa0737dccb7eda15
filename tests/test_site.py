"""journeymap site: a folder of journeys -> a static portfolio site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.site import add_site_nav, collect, last_changes, render_site

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLES = ROOT / "sample_journeys"
HOSTILE = HERE / "fixtures" / "hostile.journey.yaml"

BROKEN = """journeymap: 1
id: broken
title: Broken
personas: [{id: p, name: P}]
channels: [{id: web, name: Web}]
stages: [{id: s, name: S}]
touchpoints:
  - id: a
    name: A
    stage: nope
    channel: web
"""


def _portfolio_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "journeys"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("*.csv", "README.md"))
    (folder / "more").mkdir()
    (folder / "more" / "broken.journey.yaml").write_text(BROKEN, encoding="utf-8")
    shutil.copy(HOSTILE, folder / "hostile.journey.yaml")
    return folder


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "script":
            self.scripts += 1


def _parse(data: bytes) -> _Links:
    parser = _Links()
    parser.feed(data.decode("utf-8"))
    return parser


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    folder = _portfolio_folder(tmp_path_factory.mktemp("site"))
    site = render_site(collect(folder, git=False))
    return folder, site.files


def test_every_page_is_there(built: tuple[Path, dict[str, bytes]]) -> None:
    _, files = built
    assert {"index.html", "weak.html", "channels.html", "personas.html"} <= set(files)
    maps = sorted(name for name in files if name.startswith("journeys/"))
    assert maps == [
        "journeys/bank-account-opening.html",
        "journeys/grocery-first-order.html",
        "journeys/hostile-journey.html",
        "journeys/saas-onboarding.html",
        "journeys/telecom-support.html",
    ]


def test_every_link_is_relative_and_resolves(built: tuple[Path, dict[str, bytes]]) -> None:
    _, files = built
    parsed = {name: _parse(data) for name, data in files.items()}
    checked = 0
    for name, page in parsed.items():
        for href in page.hrefs:
            assert not re.match(r"[a-z]+:|/", href), f"{name}: absolute link {href}"
            path, _, anchor = href.partition("#")
            target = os.path.normpath(os.path.join(os.path.dirname(name), path)).replace(os.sep, "/") if path else name
            assert target in files, f"{name}: link to {href} goes nowhere"
            if anchor:
                assert anchor in parsed[target].ids, f"{name}: {href}: no element with id {anchor!r}"
            checked += 1
    assert checked > 100


def test_broken_files_are_listed_with_positions_never_dropped(built: tuple[Path, dict[str, bytes]]) -> None:
    _, files = built
    index = files["index.html"].decode()
    assert 'data-broken-file="more/broken.journey.yaml"' in index
    assert "more/broken.journey.yaml:10:12" in index  # the unknown stage, file:line:col
    assert "unknown stage" in index
    assert "journeys/broken.html" not in files


def test_index_rows_hold_owner_tags_conversion_and_weak_count(built: tuple[Path, dict[str, bytes]]) -> None:
    _, files = built
    index = files["index.html"].decode()
    row = re.search(r'<tr data-journey="grocery-first-order">(.*?)</tr>', index, re.S)
    assert row is not None
    text = row.group(1)
    assert "Digital CX team" in text and ">onboarding<" in text
    import journeymap

    analysis = journeymap.analyze(SAMPLES / "grocery-first-order.journey.yaml")
    assert f"{analysis.conversion * 100:.0f}%" in text
    assert f'<span class="weak-badge">{len(analysis.weak)}</span>' in text


def test_weak_list_is_ranked_by_impact_across_journeys(built: tuple[Path, dict[str, bytes]]) -> None:
    folder, files = built
    portfolio = collect(folder, git=False)
    expected = sorted(
        ((j.analysis.touchpoints[t].impact, j.journey.id, t) for j in portfolio.loaded for t in j.analysis.weak),  # type: ignore[union-attr]
        key=lambda x: -x[0],
    )
    rows = re.findall(r'data-weak-row="([^"]+)"', files["weak.html"].decode())
    assert rows == [f"{j}:{t}" for _, j, t in expected]
    assert len(rows) == sum(len(j.analysis.weak) for j in portfolio.loaded)  # type: ignore[union-attr]


def test_channels_are_joined_across_journeys(built: tuple[Path, dict[str, bytes]]) -> None:
    folder, files = built
    page = files["channels.html"].decode()
    # 'email' comes from the shared library and is used by the four sample journeys.
    row = re.search(r'<tr data-channel-row="email">(.*?)</tr>', page, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num">(\d+)', row.group(1))
    portfolio = collect(folder, git=False)
    uses = [(j.journey.id, t.id) for j in portfolio.loaded for t in j.journey.touchpoints if t.channel == "email"]  # type: ignore[union-attr]
    assert cells[:2] == [str(len({j for j, _ in uses})), str(len(uses))]
    section = page.split('data-channel="email"')[1].split("</section>")[0]
    assert section.count("<tr><td>") == len(uses)


def test_personas_show_where_they_suffer(built: tuple[Path, dict[str, bytes]]) -> None:
    folder, files = built
    page = files["personas.html"].decode()
    section = page.split('data-persona-row="busy-parent"')[1].split("</section>")[0]
    assert "First online grocery order" in section
    import journeymap

    grocery = journeymap.load(SAMPLES / "grocery-first-order.journey.yaml")
    own = journeymap.analyze(grocery, "busy-parent")
    for tid in own.weak:
        assert f"#tp-{tid}" in section
    assert f"{own.conversion * 100:.0f}%" in section


def test_hostile_text_stays_text(built: tuple[Path, dict[str, bytes]]) -> None:
    _, files = built
    for name in ("index.html", "weak.html", "channels.html", "personas.html"):
        page = files[name].decode()
        assert "<script>window.__pwned" not in page, name
        assert _parse(files[name]).scripts == 0, f"{name}: the portfolio pages have no script at all"
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in files["index.html"].decode()


def test_map_pages_are_the_render_maps_with_a_way_back(built: tuple[Path, dict[str, bytes]]) -> None:
    folder, files = built
    import journeymap
    from journeymap.render.output import render_outputs

    analysis = journeymap.analyze(folder / "telecom-support.journey.yaml")
    personas = journeymap.analysis.analyze_personas(analysis.journey, overall=analysis)
    alone = render_outputs(analysis, ["html"], persona_analyses=personas).outputs["html"].decode()
    assert files["journeys/telecom-support.html"].decode() == add_site_nav(alone)
    assert '<a href="../index.html"' in files["journeys/telecom-support.html"].decode()


def test_add_site_nav_refuses_a_page_without_body() -> None:
    with pytest.raises(ValueError):
        add_site_nav("<html></html>")


def test_the_same_folder_gives_byte_identical_sites(tmp_path: Path) -> None:
    folder = _portfolio_folder(tmp_path)
    first = render_site(collect(folder, git=False)).files
    second = render_site(collect(folder, git=False)).files
    assert first == second


def test_duplicate_journey_ids_are_an_error_on_the_second(tmp_path: Path) -> None:
    folder = tmp_path / "dups"
    folder.mkdir()
    shutil.copy(HOSTILE, folder / "a.journey.yaml")
    shutil.copy(HOSTILE, folder / "b.journey.yaml")
    portfolio = collect(folder, git=False)
    assert [j.file for j in portfolio.loaded] == ["a.journey.yaml"]
    (problem,) = [p for p in portfolio.problems if p.code == "duplicate-journey-id"]
    assert problem.span.file == "b.journey.yaml" and problem.span.line >= 1
    assert "already used by a.journey.yaml" in problem.message


def test_a_journey_linked_into_the_folder_under_another_name_is_one_journey(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``current.journey.yaml -> v3/onboarding.journey.yaml``: the file was read twice, and the second read was the
    error "journey id 'x' is already used by v3/onboarding.journey.yaml" on that same file (exit 1), while
    ``serve`` showed the journey once."""
    folder = tmp_path / "journeys"
    (folder / "v3").mkdir(parents=True)
    shutil.copy(HOSTILE, folder / "v3" / "onboarding.journey.yaml")
    (folder / "current.journey.yaml").symlink_to(Path("v3") / "onboarding.journey.yaml")
    portfolio = collect(folder, git=False)
    assert [j.file for j in portfolio.journeys] == ["v3/onboarding.journey.yaml"]
    assert not [p for p in portfolio.problems if p.is_error]
    assert main(["site", str(folder), "-o", str(tmp_path / "out"), "--no-git"]) == 0
    assert "already used" not in capsys.readouterr().err


def _git(folder: Path, *args: str, date: str) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date,
        GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid",
    )
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env=env)


def test_last_change_comes_from_git_when_there_is_git(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    shutil.copy(HOSTILE, folder / "a.journey.yaml")
    text = HOSTILE.read_text(encoding="utf-8").replace("id: hostile-journey", "id: other")
    (folder / "b.journey.yaml").write_text(text, encoding="utf-8")
    _git(folder, "init", "-q", date="2025-01-02T10:00:00Z")
    _git(folder, "add", "a.journey.yaml", date="2025-01-02T10:00:00Z")
    _git(folder, "commit", "-q", "-m", "a", date="2025-01-02T10:00:00Z")
    _git(folder, "add", "b.journey.yaml", date="2025-03-04T10:00:00Z")
    _git(folder, "commit", "-q", "-m", "b", date="2025-03-04T10:00:00Z")
    (folder / "c.journey.yaml").write_text(text.replace("id: other", "id: third"), encoding="utf-8")  # never committed
    dates = last_changes(folder, [folder / n for n in ("a.journey.yaml", "b.journey.yaml", "c.journey.yaml")])
    assert dates == {(folder / "a.journey.yaml").resolve(): "2025-01-02", (folder / "b.journey.yaml").resolve(): "2025-03-04"}
    index = render_site(collect(folder)).files["index.html"].decode()
    assert re.search(r'data-journey="other">.*?<td data-last-change>2025-03-04</td>', index, re.S)
    assert re.search(r'data-journey="third">.*?<td data-last-change></td>', index, re.S)


def test_no_git_no_dates(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    shutil.copy(HOSTILE, folder / "a.journey.yaml")
    assert last_changes(folder, [folder / "a.journey.yaml"]) == {}
    assert "Last change" not in render_site(collect(folder)).files["index.html"].decode()


def test_value_at_stake_is_shown_when_the_analysis_has_a_value_model(tmp_path: Path) -> None:
    """The bank sample has a value model (GBP, a month): the index shows its weak touchpoints'
    value at stake added up, the weak list each one's; a journey without one shows nothing."""
    from journeymap.site import _journey_row, _weak_rows

    folder = tmp_path / "v"
    folder.mkdir()
    shutil.copy(SAMPLES / "bank-account-opening.journey.yaml", folder / "bank.journey.yaml")
    shutil.copy(SAMPLES / "grocery-first-order.journey.yaml", folder / "grocery.journey.yaml")
    shutil.copytree(SAMPLES / "library", folder / "library")
    portfolio = collect(folder, git=False)
    bank = next(e for e in portfolio.loaded if e.journey is not None and e.journey.id == "bank-account-opening")
    grocery = next(e for e in portfolio.loaded if e.journey is not None and e.journey.id == "grocery-first-order")
    assert grocery.analysis is not None and grocery.analysis.value is None
    assert _journey_row(grocery)["value"] == ""  # no value model: nothing invented
    analysis = bank.analysis
    assert analysis is not None and analysis.value is not None
    stakes = [analysis.touchpoints[t].value_at_stake for t in analysis.weak]
    total = sum(s.value_per_period for s in stakes if s is not None and s.value_per_period is not None)
    assert total != 0
    assert _journey_row(bank)["value"] == f"{analysis.value.currency} {total:,.0f} a {analysis.value.period}"
    rows = {r["id"]: r for r in _weak_rows(portfolio) if r["journey_id"] == "bank-account-opening"}
    shown = 0
    for tid in analysis.weak:
        stake = analysis.touchpoints[tid].value_at_stake
        if stake is None or stake.value_per_period is None:  # an outcome: nobody leaves there
            assert rows[tid]["value"] == ""
            continue
        assert rows[tid]["value"] == f"{analysis.value.currency} {stake.value_per_period:,.0f} a month"
        shown += 1
    assert shown >= 2
    assert all(r["value"] == "" for r in _weak_rows(portfolio) if r["journey_id"] == "grocery-first-order")
    assert "Value at stake" in render_site(portfolio).files["index.html"].decode()


def test_cli_writes_the_site_and_exits_1_when_a_file_has_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _portfolio_folder(tmp_path)
    out = tmp_path / "out"
    assert main(["site", str(folder), "-o", str(out), "--no-git"]) == 1
    captured = capsys.readouterr()
    assert "more/broken.journey.yaml:10:12: error[unknown-reference]" in captured.err
    assert "1 file with errors listed on the index" in captured.out
    assert (out / "index.html").is_file() and (out / "journeys" / "grocery-first-order.html").is_file()
    (folder / "more" / "broken.journey.yaml").unlink()
    assert main(["site", str(folder), "-o", str(out), "--no-git"]) == 0


def test_cli_says_what_is_wrong_with_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["site", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) == 2
    assert "no such folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["site", str(tmp_path / "empty"), "-o", str(tmp_path / "o")]) == 2
    assert "no journey files found" in capsys.readouterr().err


def test_cli_notes_pages_left_from_an_earlier_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(HOSTILE, folder / "a.journey.yaml")
    out = tmp_path / "out"
    (out / "journeys").mkdir(parents=True)
    (out / "journeys" / "gone.html").write_text("old", encoding="utf-8")
    assert main(["site", str(folder), "-o", str(out)]) == 0
    assert "journeys/gone.html: note: left from an earlier build" in capsys.readouterr().err


def test_site_golden_pages(golden: object) -> None:
    files = render_site(collect(SAMPLES, git=False)).files
    for name in ("index.html", "weak.html", "channels.html", "personas.html"):
        golden.check(f"site/{name}", files[name].decode("utf-8"))  # type: ignore[attr-defined]


def test_site_runs_as_a_program(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "journeymap", "site", str(SAMPLES), "-o", str(tmp_path / "s"), "--no-git"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "4 journeys, 8 pages" in proc.stdout


# -- the site is written all or nothing ----------------------------------------------

SMALL = (HERE / "fixtures" / "good" / "minimal.journey.yaml").read_text(encoding="utf-8")


def _two_journeys(folder: Path, title: str) -> None:
    folder.mkdir(exist_ok=True)
    for name in ("a", "b"):
        text = SMALL.replace("id: minimal", f"id: {name}").replace("The smallest valid journey", f"{title} {name}")
        assert f"{title} {name}" in text
        (folder / f"{name}.journey.yaml").write_text(text, encoding="utf-8")


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def old_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, dict[str, bytes]]:
    """A site built from journeys titled 'Old', a file of the user's in it (CNAME, for GitHub Pages), and
    the journeys then retitled 'New': (journey folder, site folder, the site's files before the new build)."""
    folder, out = tmp_path / "journeys", tmp_path / "out"
    _two_journeys(folder, "Old")
    assert main(["site", str(folder), "-o", str(out), "--no-git"]) == 0
    capsys.readouterr()
    (out / "CNAME").write_text("journeys.example.com\n", encoding="utf-8")
    before = _files(out)
    assert len(before) == 7 and b"Old a" in before["journeys/a.html"]
    _two_journeys(folder, "New")
    return folder, out, before


def _site_process(folder: Path, out: Path, hook: str, calls: int, pause: float) -> subprocess.Popen[str]:
    """`journeymap site` in a process whose ``os.<hook>`` says 'mid' on its ``calls``-th call, then
    pauses ``pause`` seconds: the moment to send it a signal."""
    code = (
        "import os, sys, time\n"
        "import journeymap.cli as cli\n"
        f"real, count = os.{hook}, [0]\n"
        "def hooked(*args):\n"
        "    real(*args)\n"
        "    count[0] += 1\n"
        f"    if count[0] == {calls}:\n"
        "        print('mid', file=sys.stderr, flush=True)\n"
        f"        time.sleep({pause})\n"
        f"os.{hook} = hooked\n"
        f"sys.argv = ['journeymap', 'site', {str(folder)!r}, '-o', {str(out)!r}, '--no-git']\n"
        "cli.run()\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("JOURNEYMAP_DEBUG", None)
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def _signal_when_mid(proc: subprocess.Popen[str]) -> tuple[int, str]:
    import select
    import signal

    try:
        assert proc.stderr is not None
        ready, _, _ = select.select([proc.stderr], [], [], 120)
        assert ready, "the build never reached the hook"
        assert proc.stderr.readline() == "mid\n"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        return proc.returncode, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def test_sigterm_while_the_site_is_written_leaves_the_old_site_whole(old_site: tuple[Path, Path, dict[str, bytes]]) -> None:
    """SIGTERM (a cancelled CI job) while `site` wrote its pages left a mix: index.html and the first map
    of the new build, the other pages of the old one. The new pages are written beside the old ones
    first; cut short there, the old site is untouched and nothing of the new one is left."""
    folder, out, before = old_site
    code, err = _signal_when_mid(_site_process(folder, out, "fsync", 3, 60))
    assert code == 143 and "Traceback" not in err
    assert _files(out) == before


def test_sigterm_while_the_pages_are_swapped_in_waits_for_the_whole_new_site(
    old_site: tuple[Path, Path, dict[str, bytes]], capsys: pytest.CaptureFixture[str]
) -> None:
    """The pages are put in place one rename each; a SIGTERM among those renames (here after the third)
    waits for the last of them, so the site is the whole new one, and the command then exits 143."""
    folder, out, before = old_site
    code, err = _signal_when_mid(_site_process(folder, out, "replace", 3, 1))
    assert code == 143 and "Traceback" not in err
    assert main(["site", str(folder), "-o", str(out.parent / "fresh"), "--no-git"]) == 0
    assert _files(out) == {**_files(out.parent / "fresh"), "CNAME": before["CNAME"]}
    assert b"New a" in _files(out)["journeys/a.html"]


def test_two_builds_into_one_folder_at_once_leave_one_whole_site(tmp_path: Path) -> None:
    """Two `journeymap site` runs writing into one folder at once (two CI jobs, a watcher and a manual
    build) put their pages in place in turns: with the first paused among its renames, the second put
    all of its pages in place, then the first its remaining ones over them: a site of both. The second
    now waits for the first (a lock on the folder, said on stderr) and writes after it: the folder is
    the second site whole, and both exit 0."""
    alpha, beta, out = tmp_path / "alpha", tmp_path / "beta", tmp_path / "out"
    _two_journeys(alpha, "Alpha")
    _two_journeys(beta, "Beta")
    first = _site_process(alpha, out, "replace", 3, 3)
    try:
        import select

        assert first.stderr is not None
        ready, _, _ = select.select([first.stderr], [], [], 120)
        assert ready and first.stderr.readline() == "mid\n", "the first build never reached its renames"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        second = subprocess.run(
            [sys.executable, "-m", "journeymap", "site", str(beta), "-o", str(out), "--no-git"],
            capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
        )
        _, first_err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=30)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second.stderr
    assert f"journeymap site: waiting for another journeymap build writing into {out}" in second.stderr
    assert main(["site", str(beta), "-o", str(tmp_path / "fresh"), "--no-git"]) == 0
    assert _files(out) == _files(tmp_path / "fresh")
    assert not [p.name for p in out.rglob(".*")]  # no lock file, no temporary file left


def test_a_write_that_fails_late_leaves_the_old_site_whole(
    old_site: tuple[Path, Path, dict[str, bytes]], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that cannot be put in place (here the last rename fails: EIO) after others were: the
    others were left new, the rest old. Every page put in place is put back, and the error is said."""
    import errno

    folder, out, before = old_site
    real, calls = os.replace, []

    def failing(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 6:
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    assert main(["site", str(folder), "-o", str(out), "--no-git"]) == 1
    err = capsys.readouterr().err
    assert "journeymap site: error: cannot write" in err and "input/output error" in err
    monkeypatch.setattr(os, "replace", real)
    assert _files(out) == before


def test_a_page_that_is_a_fifo_is_not_replaced(
    old_site: tuple[Path, Path, dict[str, bytes]], capsys: pytest.CaptureFixture[str]
) -> None:
    """A page of the output folder that is a FIFO (or a device) was renamed over like a file; it is not
    replaced, the error says why, and no other page changes."""
    import stat

    folder, out, before = old_site
    (out / "weak.html").unlink()
    os.mkfifo(out / "weak.html")
    assert main(["site", str(folder), "-o", str(out), "--no-git"]) == 1
    assert "weak.html: not a regular file (a device, a fifo or a socket); it was not changed" in capsys.readouterr().err
    assert stat.S_ISFIFO(os.lstat(out / "weak.html").st_mode)
    assert {k: v for k, v in _files(out).items() if k != "weak.html"} == {k: v for k, v in before.items() if k != "weak.html"}


def test_a_page_journeymap_did_not_write_is_not_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`site journeys -o docs`, docs being the project's GitHub Pages folder with its own index.html:
    the site replaced the hand-written home page without a word (only pages of an earlier build left
    behind were named). A page in the way that journeymap did not write (it lacks the generator mark
    every page journeymap writes has) stops the build, named, and nothing is written."""
    folder, out = tmp_path / "journeys", tmp_path / "docs"
    _two_journeys(folder, "Old")
    out.mkdir()
    (out / "index.html").write_text("<!doctype html><title>Our project</title><p>Welcome</p>\n", encoding="utf-8")
    (out / "journeys").mkdir()
    (out / "journeys" / "a.html").write_text("<p>notes about a</p>\n", encoding="utf-8")
    (out / "CNAME").write_text("docs.example.com\n", encoding="utf-8")
    before = _files(out)
    assert main(["site", str(folder), "-o", str(out), "--no-git"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    for name in ("index.html", "journeys/a.html"):
        assert (f"{out}/{name}: error: not a page journeymap wrote (it has no <meta name=\"generator\""
                f" content=\"journeymap ...\">): the site would replace it") in captured.err, captured.err
    assert "move them away, or build the site into another folder (-o)" in captured.err
    assert _files(out) == before
    (out / "index.html").unlink()
    (out / "journeys" / "a.html").unlink()
    assert main(["site", str(folder), "-o", str(out), "--no-git"]) == 0  # its own pages, rebuilt at will
    capsys.readouterr()
    assert main(["site", str(folder), "-o", str(out), "--no-git"]) == 0
    assert (out / "CNAME").read_text(encoding="utf-8") == "docs.example.com\n"


def test_the_sites_figures_have_the_maps_real_minus(built: tuple[Path, dict[str, bytes]]) -> None:
    """The weak list and the channels page said "emotion -1.3 is at or below -1" and linked to a map
    that says "emotion −1.3 is at or below −1" (a real minus, U+2212): the site writes its figures as
    the maps it links to do."""
    _, files = built
    weak, channels = files["weak.html"].decode(), files["channels.html"].decode()
    for page in (weak, channels):
        assert "emotion −1.3 is at or below −1" in page and "emotion -1.3" not in page
    grocery = files["journeys/grocery-first-order.html"].decode()
    assert "emotion −1.3 is at or below −1" in grocery


def test_a_build_that_cannot_write_leaves_no_folder_it_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock on the output folder makes it (and the folders above it) before the pages are written:
    a write that fails there leaves none of them behind, as the pages' own folders are not."""
    from journeymap import files
    from journeymap.site import write_site

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "write_all_atomic", full)
    with pytest.raises(OSError):
        write_site({"index.html": b"<html></html>"}, tmp_path / "a" / "b" / "site")
    assert list(tmp_path.iterdir()) == []
