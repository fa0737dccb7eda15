"""ServedSite in-process: a save is pushed before a changed diagram is laid out, and completed after."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from journeymap.analysis import analyze, analyze_personas  # noqa: E402
from journeymap.loader import Loader  # noqa: E402
from journeymap.render.output import graphviz_available, layout, render_outputs  # noqa: E402
from journeymap.serve.site_state import PENDING_TEXT, ServedSite, svg_size  # noqa: E402
from journeymap.site import add_site_nav  # noqa: E402

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "sample_journeys"
LINKS = HERE / "fixtures" / "links"
GROCERY = "grocery-first-order.journey.yaml"
PAGE = "journeys/grocery-first-order.html"

pytestmark = pytest.mark.skipif(not graphviz_available(), reason="Graphviz's dot is needed")


class Gate:
    """Graphviz held back until the test opens the gate; counts the layouts started."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.started: list[str] = []

    def __call__(self, dot: str, fmt: str) -> bytes:
        self.started.append(dot)
        assert self.open.wait(30), "the gate was never opened"
        return layout(dot, fmt)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "journeys"
    target.mkdir()
    shutil.copy(SAMPLES / GROCERY, target / GROCERY)
    shutil.copytree(SAMPLES / "library", target / "library")
    return target


@pytest.fixture
def gated(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ServedSite, Gate]]:
    gate = Gate()
    site = ServedSite(folder)
    gate.open.set()
    site.build()  # the first build waits for every diagram
    gate.open.clear()
    monkeypatch.setattr(site, "_layout_now", gate)
    try:
        yield site, gate
    finally:
        gate.open.set()
        site.close()


def full_render(path: Path) -> str:
    """The map exactly as ``journeymap site`` writes it (load, analyse, Graphviz, the site's bar)."""
    journey = Loader().check(path, name=path.name).journey
    assert journey is not None
    analysis = analyze(journey)
    personas = analyze_personas(journey, overall=analysis) if journey.personas else None
    html = render_outputs(analysis, ["html"], persona_analyses=personas).outputs["html"].decode()
    return add_site_nav(html, arrivals=[])


def test_a_changed_diagram_is_pushed_after_its_map_and_the_page_is_then_the_full_render(gated, folder: Path) -> None:
    site, gate = gated
    path = folder / GROCERY
    before = site.page(PAGE)
    assert before is not None and PENDING_TEXT not in before[0]
    old_size = svg_size(before[0].split('<div class="flow-scroll"', 1)[1].split(">", 1)[1].encode())
    assert old_size is not None
    path.write_text(path.read_text().replace("name: Chooses a delivery slot", "name: Pick a delivery slot", 1))

    pages = site.update([path])

    assert PAGE in pages and site.pending_pages() == [PAGE] and site.diagram_pending("grocery-first-order")
    html, problems = site.page(PAGE) or ("", [])
    assert problems == []
    assert PENDING_TEXT in html and 'class="jm-diagram-pending"' in html
    assert "Pick a delivery slot" in html  # the cards are the new map already
    flow = html.split('<div class="flow-scroll"', 1)[1].split("</div>", 1)[0]
    assert "flow-tp-" not in flow  # no stale drawing shown as if it were the new one
    assert svg_size(flow.split(">", 1)[1].encode()) == old_size  # the placeholder takes the old drawing's room
    assert site.finish() == set()  # Graphviz has not finished: nothing to complete yet
    layouts = site.waiting()
    assert len(layouts) == 1 and len(gate.started) == 1

    gate.open.set()
    layouts[0].result(timeout=30)
    assert site.finish() == {PAGE}
    assert site.pending_pages() == [] and not site.diagram_pending("grocery-first-order")
    done, _ = site.page(PAGE) or ("", [])
    assert PENDING_TEXT not in done and "Pick a delivery slot" in done.split('<div class="flow-scroll"', 1)[1]
    assert done == full_render(path)  # byte for byte the page a full render gives


def test_a_metric_only_save_reuses_the_layout_and_is_complete_at_once(gated, folder: Path) -> None:
    site, gate = gated
    path = folder / GROCERY
    text = path.read_text()
    assert "      csat: 0.88\n" in text
    path.write_text(text.replace("      csat: 0.88\n", "      csat: 0.89\n", 1))
    pages = site.update([path])
    assert PAGE in pages and site.pending_pages() == [] and site.waiting() == []
    assert gate.started == []  # Graphviz did not run at all
    html, _ = site.page(PAGE) or ("", [])
    assert PENDING_TEXT not in html
    assert html == full_render(path)


def test_a_later_save_wins_over_a_layout_still_running(gated, folder: Path) -> None:
    site, gate = gated
    path = folder / GROCERY
    text = path.read_text()
    path.write_text(text.replace("name: Chooses a delivery slot", "name: First rename", 1))
    site.update([path])
    first = site.waiting()
    path.write_text(text.replace("name: Chooses a delivery slot", "name: Second rename", 1))
    site.update([path])
    assert site.pending_pages() == [PAGE]
    gate.open.set()
    for future in first + site.waiting():
        future.result(timeout=30)
    assert site.finish() == {PAGE}
    html, _ = site.page(PAGE) or ("", [])
    assert "Second rename" in html and "First rename" not in html
    assert html == full_render(path)


def test_a_broken_save_while_the_diagram_is_laid_out_keeps_the_overlay_and_completes_the_last_good_map(
    gated, folder: Path
) -> None:
    site, gate = gated
    path = folder / GROCERY
    text = path.read_text()
    good = text.replace("name: Chooses a delivery slot", "name: Good rename", 1)
    path.write_text(good)
    site.update([path])
    path.write_text(good.replace("stage: checkout", "stage: checkuot", 1))
    site.update([path])
    gate.open.set()
    for future in site.waiting():
        future.result(timeout=30)
    assert site.finish() == {PAGE}
    html, problems = site.page(PAGE) or ("", [])
    assert problems and "checkuot" in problems[0]["message"]
    path.write_text(good)
    assert html == full_render(path)  # the last good map, complete, under the overlay


def test_a_failed_layout_gives_the_map_without_a_diagram_and_says_why(gated, folder: Path, monkeypatch) -> None:
    from journeymap.render.output import RenderError

    site, _ = gated

    def broken(dot: str, fmt: str) -> bytes:
        raise RenderError("dot crashed")

    monkeypatch.setattr(site, "_layout_now", broken)
    path = folder / GROCERY
    path.write_text(path.read_text().replace("name: Chooses a delivery slot", "name: Crash rename", 1))
    site.update([path])
    for future in site.waiting():
        with pytest.raises(RenderError):
            future.result(timeout=30)
    site.finish()
    html, _ = site.page(PAGE) or ("", [])
    assert PENDING_TEXT not in html and "dot crashed" in html and 'class="flow-panel"' not in html


def test_a_new_link_is_drawn_on_the_map_customers_arrive_at(tmp_path: Path) -> None:
    folder = tmp_path / "links"
    shutil.copytree(LINKS, folder)
    opening = folder / "account-opening.journey.yaml"
    text = opening.read_text()
    site = ServedSite(folder)
    try:
        site.build()
        card = site.page("journeys/card-activation.html")
        assert card is not None and "data-arrives-from" in card[0]
        # The link is removed from account-opening: card-activation's bar loses it, though only
        # account-opening was saved.
        link = (
            "      - to: activate-card       # a touchpoint of the other journey\n"
            "        journey: card-activation\n"
            "        share: 0.6\n"
            "        label: Goes on to activate the card\n"
        )
        assert link in text
        opening.write_text(text.replace(link, ""))
        pages = site.update([opening])
        assert site.entries[opening.resolve()].ok and "journeys/card-activation.html" in pages
        card = site.page("journeys/card-activation.html")
        assert card is not None and "data-arrives-from" not in card[0]
        opening.write_text(text)
        pages = site.update([opening])
        assert "journeys/card-activation.html" in pages
        card = site.page("journeys/card-activation.html")
        assert card is not None and "data-arrives-from" in card[0]
    finally:
        site.close()


def test_the_portfolio_pages_follow_the_saved_map(gated, folder: Path) -> None:
    site, gate = gated
    gate.open.set()
    path = folder / GROCERY
    text = path.read_text()
    index_before = (site.page("index.html") or ("", []))[0]
    path.write_text(text.replace("stage: checkout", "stage: checkuot", 1))
    pages = site.update([path])
    assert pages == {PAGE}  # the overlay, at once; the index is not rendered yet
    assert (site.page("index.html") or ("", []))[0] == index_before
    changed = site.refresh_portfolio()
    assert "index.html" in changed
    assert 'data-broken-file="grocery-first-order.journey.yaml"' in (site.page("index.html") or ("", []))[0]
    assert site.refresh_portfolio() == set()  # nothing new since
    # A refresh that started before a later save does not overwrite the later one's pages.
    path.write_text(text)
    site.update([path])
    stale_portfolio, stale_version = site.portfolio, site._version
    path.write_text(text.replace("title: First online grocery order", "title: Later title"))
    site.update([path])
    assert "index.html" in site.refresh_portfolio()
    later = (site.page("index.html") or ("", []))[0]
    assert "Later title" in later
    site.portfolio, site._version = stale_portfolio, stale_version
    assert site.refresh_portfolio() == set() and (site.page("index.html") or ("", []))[0] == later


def test_a_library_change_rebuilds_every_map_and_the_portfolio(gated, folder: Path) -> None:
    site, gate = gated
    library = folder / "library" / "shared.yaml"
    library.write_text(library.read_text().replace("    name: Website\n", "    name: Web shop\n", 1))
    pages = site.update([library])
    assert PAGE in pages and "channels.html" in pages  # a rebuild renders the portfolio pages too
    assert "Web shop" in (site.page("channels.html") or ("", []))[0]
    gate.open.set()
    for future in site.waiting():
        future.result(timeout=30)
    site.finish()
    html, problems = site.page(PAGE) or ("", [])
    assert problems == [] and PENDING_TEXT not in html
    assert html == full_render(folder / GROCERY)
