"""Opportunities: value per effort ranking, the map's value/effort matrix (escaped, accessible,
drawn in Chromium), the fix-first list ranked by money."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap.loader import load, load_text
from journeymap.opportunities import assess_opportunities
from journeymap.render.html import render_html
from journeymap.scenarios import what_if

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "sample_journeys" / "bank-account-opening.journey.yaml"

HOSTILE = """\
journeymap: 1
id: t
title: Test journey
personas: [{id: p, name: P}]
channels: [{id: web, name: Web}]
stages: [{id: one, name: One}]
value: {currency: EUR, volume: 100, outcomes: {success: 50}}
touchpoints:
  - {id: start, name: S, stage: one, channel: web, next: [{to: form, share: 0.9}]}
  - {id: form, name: F, stage: one, channel: web, emotion: -2, next: [{to: done, share: 0.5}]}
  - {id: done, name: D, stage: one, channel: web, outcome: success}
scenarios:
  - {id: fix-form, name: Fix, changes: [{touchpoint: form, drop_off: 0.2}]}
opportunities:
  - id: evil
    name: "<script>alert(1)</script><img src=x onerror=alert(2)>"
    touchpoints: [form]
    scenario: fix-form
    effort: 3
    link: "https://tracker.example/x?a=1&b=\\"><script>alert(3)</script>"
  - {id: cheap, name: Cheap, changes: [{touchpoint: form, drop_off: 0.4}], effort: XS, status: done}
  - {id: vague, name: No effect yet, effort: L}
  - {id: unsized, name: No effort yet, scenario: fix-form}
"""


def test_opportunities_are_ranked_by_value_per_effort_day() -> None:
    journey = load_text(HOSTILE)
    results = assess_opportunities(journey)
    assert {r.id for r in results[:2]} == {"evil", "cheap"}
    by_id = {r.id: r for r in results}
    fix = what_if(journey, journey.scenarios[0].changes)
    assert by_id["evil"].value_gained == pytest.approx(fix.value_gained)
    assert by_id["evil"].effort_days == 3 and by_id["cheap"].effort_days == 2
    ranked = [r for r in results if r.worth_per_day is not None]
    assert [r.worth_per_day for r in ranked] == sorted((r.worth_per_day for r in ranked), reverse=True)  # type: ignore[misc]
    assert [r.id for r in results][-2:] == ["vague", "unsized"]  # no effect, no effort: last, in file order
    assert by_id["vague"].to_json()["value_gained"] is None


def test_without_a_value_model_opportunities_rank_by_conversion() -> None:
    text = HOSTILE.replace("value: {currency: EUR, volume: 100, outcomes: {success: 50}}\n", "")
    results = assess_opportunities(load_text(text))
    assert all(r.value_gained is None for r in results)
    assert results[0].conversion_gained is not None and results[0].conversion_gained > 0


def test_the_map_escapes_opportunity_text_and_links() -> None:
    analysis = journeymap.analyze(load_text(HOSTILE))
    page = render_html(analysis)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<span class="opp-link" translate="no">https://tracker.example/x?a=1&amp;b=&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;</span>' in page
    assert 'href="https://' not in page  # the map links only within itself
    assert page.count('class="opp-dot') == 2  # evil and cheap have both an effect and an effort


def test_the_map_ranks_fix_first_by_money_with_a_value_model() -> None:
    analysis = journeymap.analyze(load(BANK))
    page = render_html(analysis)
    assert "Weak touchpoints, most value at stake first" in page
    first = analysis.fix_first[0]
    assert page.index(f'data-weak-item="{first}"') < page.index(f'data-weak-item="{analysis.fix_first[1]}"')
    assert "At stake: +£139,170 a month (+7.2 pts conversion) with drop-off 35% → 15%, its drop-off target" in page
    assert '<span class="kpi-value" data-kpi="value">£587k</span>' in page
    assert "a month · £53.34 per customer" in page
    grocery = journeymap.analyze(load(ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"))
    grocery_page = render_html(grocery)
    assert "Weak touchpoints, most impact first" in grocery_page and 'data-kpi="value"' not in grocery_page


def test_the_matrix_is_the_same_bytes_every_time() -> None:
    analysis = journeymap.analyze(load(BANK))
    assert render_html(analysis) == render_html(journeymap.analyze(load(BANK)))


# -- in Chromium --------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed")
def test_the_matrix_draws_in_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    target = tmp_path / "bank.html"
    target.write_text(render_html(journeymap.analyze(load(BANK))), encoding="utf-8")
    hostile = tmp_path / "hostile.html"
    hostile.write_text(render_html(journeymap.analyze(load_text(HOSTILE))), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page: Any = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            dialogs: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(target.as_uri())
            svg = page.locator("svg.opp-matrix")
            assert svg.is_visible()
            assert svg.get_attribute("role") == "img"
            assert page.locator("#opp-matrix-title").text_content() == "Opportunities: value against effort"
            box = svg.bounding_box()
            dots = page.locator("svg.opp-matrix .opp-dot circle")
            assert dots.count() == 3
            for i in range(3):
                dot = dots.nth(i).bounding_box()
                assert box["x"] <= dot["x"] and dot["x"] + dot["width"] <= box["x"] + box["width"] + 1
                assert box["y"] <= dot["y"] and dot["y"] + dot["height"] <= box["y"] + box["height"] + 1
            # The best value per effort sits highest up: photo guidance (1) above the review tracker (3).
            assert dots.nth(0).bounding_box()["y"] < dots.nth(2).bounding_box()["y"]
            rows = page.locator(".opp-table tbody tr")
            assert rows.count() == 3 and "Auto-capture" in rows.nth(0).inner_text()
            page.goto(hostile.as_uri())
            assert page.locator(".opp-table tbody tr").nth(0).locator("th").inner_text().startswith("<script>alert(1)")
            assert errors == [] and dialogs == []
        finally:
            browser.close()


SIZES = "sizes: XS, S, M, L, XL; or person-days, a number above 0"


@pytest.mark.parametrize(
    ("effort", "written", "hint"),
    [
        # Before: each was two errors, the second "'constrained-float' must be a number, not the text 'XXL'".
        ("XXL", "'XXL'", f"did you mean 'XL'? ({SIZES})"),
        ("m", "'m'", f"did you mean 'M'? ({SIZES})"),
        ("3 days", "'3 days'", f"write 3 ({SIZES})"),
        ("0", "0", SIZES),
        ("-2", "-2", SIZES),
    ],
)
def test_an_effort_that_is_neither_a_size_nor_days_is_one_clear_error(tmp_path: Path, effort: str, written: str, hint: str) -> None:
    from journeymap.loader import check

    path = tmp_path / "o.journey.yaml"
    path.write_text(HOSTILE.replace("effort: XS, status: done", f"effort: {effort}, status: done"), encoding="utf-8")
    problems = check(path).problems
    message = f"opportunity 'cheap': effort {written} is neither a size nor a number of person-days"
    assert [(p.span.line, p.code, p.message, p.hint) for p in problems] == [(21, "invalid-value", message, hint)]


def test_opportunities_with_the_same_value_and_effort_are_drawn_side_by_side_in_rank_order() -> None:
    # Before: 'twin' and 'twin-2' (one scenario, one effort) were drawn at one point, the 2 over the 1.
    import re

    text = HOSTILE + (
        "  - {id: twin, name: Twin, scenario: fix-form, effort: M}\n"
        "  - {id: twin-2, name: Twin again, scenario: fix-form, effort: M}\n"
        "  - {id: twin-3, name: Twin thrice, scenario: fix-form, effort: M}\n"
    )
    results = assess_opportunities(load_text(text))
    assert [r.id for r in results if r.id.startswith("twin")] == ["twin", "twin-2", "twin-3"]  # file order breaks the tie
    page = render_html(journeymap.analyze(load_text(text)))
    dots = re.findall(r'data-opportunity="([^"]+)"><title>[^<]*</title><circle cx="([\d.]+)" cy="([\d.]+)" r="11"/>', page)
    assert len(dots) == 5
    centres = {ident: (float(x), float(y)) for ident, x, y in dots}
    for a in centres:
        for b in centres:
            if a < b:
                (xa, ya), (xb, yb) = centres[a], centres[b]
                assert (xa - xb) ** 2 + (ya - yb) ** 2 >= 22**2, (a, b)
    assert centres["twin"][1] == centres["twin-2"][1] == centres["twin-3"][1]
    assert centres["twin"][0] < centres["twin-2"][0] < centres["twin-3"][0]
    assert render_html(journeymap.analyze(load_text(text))) == page


@pytest.mark.parametrize("effort", ["1e-320", "0.001", "1e300"])
def test_an_effort_of_implausible_person_days_is_an_error(tmp_path: Path, effort: str) -> None:
    # Before: effort 1e-320 ranked first with '+€inf' per person-day on the map.
    from journeymap.loader import check

    path = tmp_path / "o.journey.yaml"
    path.write_text(HOSTILE.replace("effort: XS, status: done", f"effort: {effort}, status: done"), encoding="utf-8")
    problems = check(path).problems
    assert [(p.span.line, p.span.col, p.code, p.message, p.hint) for p in problems] == [
        (21, 84, "out-of-range", f"opportunity 'cheap': effort {float(effort):g} person-days is outside 0.01..1,000,000",
         "person-days from 0.01 (five minutes) to a million, or a size: XS, S, M, L, XL"),
    ]


def test_an_opportunity_s_worth_on_a_map_drawn_with_data_files_is_the_journey_file_s(tmp_path: Path) -> None:
    # Before: with a metrics table giving an entry another volume, 'before' was analysed with the table and 'after'
    # without it: lowering a drop-off (which can only gain) was worth -18.6 points of conversion and -€34,586 a month.
    text = HOSTILE.replace(
        "  - {id: start, name: S, stage: one, channel: web, next: [{to: form, share: 0.9}]}\n",
        "  - {id: start, name: S, stage: one, channel: web, entry: true, metrics: {volume: 700}, next: [{to: form, share: 0.9}]}\n"
        "  - {id: side, name: Side door, stage: one, channel: web, entry: true, metrics: {volume: 300}, next: [{to: done, share: 0.9}]}\n",
    )
    journey = load_text(text)
    table = tmp_path / "volumes.csv"
    table.write_text("touchpoint,metric,value\nstart,volume,100\n", encoding="utf-8")
    with_data = journeymap.analyze(journey, metrics=[table])
    assert with_data.entries["start"] == pytest.approx(0.25)  # the table's volume weighs the entries
    plain = {r.id: (r.conversion_gained, r.value_gained) for r in assess_opportunities(journey)}
    drawn = {r.id: (r.conversion_gained, r.value_gained) for r in assess_opportunities(journey, with_data)}
    assert drawn == plain
    assert plain["evil"][0] is not None and plain["evil"][0] > 0


def test_the_map_s_stake_of_a_weak_touchpoint_nobody_leaves_does_not_speak_of_a_target() -> None:
    # Before: 'At stake: nothing in the flows: its drop-off 0% already meets its target', at a touchpoint weak
    # for its emotion, with no drop_off target, whose flows keep everyone.
    text = HOSTILE.replace("{id: form, name: F, stage: one, channel: web, emotion: -2, next: [{to: done, share: 0.5}]}",
                           "{id: form, name: F, stage: one, channel: web, emotion: -2, next: [{to: done, share: 1.0}]}")
    page = render_html(journeymap.analyze(load_text(text)))
    assert "At stake: nothing in the flows: nobody leaves at form" in page
    assert "already meets its target" not in page


@pytest.mark.parametrize("effort", [".inf", ".nan"])
def test_an_infinite_effort_is_one_error(tmp_path: Path, effort: str) -> None:
    from journeymap.loader import check

    path = tmp_path / "o.journey.yaml"
    path.write_text(HOSTILE.replace("effort: XS, status: done", f"effort: {effort}, status: done"), encoding="utf-8")
    assert len(check(path).problems) == 1
