"""The voice of the customer on the map, in Debian's Chromium: sparklines and intervals on the
metric chips, the persona filter swapping in a persona's own ratings, hostile comments inert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import journeymap
from journeymap.analysis import analyze_personas
from journeymap.data import load_metric_data
from journeymap.render.output import render_outputs
from tests.test_browser import ARTIFACTS, SAMPLE, browser, visit  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "sample_journeys" / "data" / "grocery-first-order.survey.csv"


def write_voice_map(out: Path, survey: Path) -> tuple[Any, Path]:
    journey = journeymap.load(SAMPLE)
    data = load_metric_data(journey, responses=survey, period="month")
    analysis = journeymap.analyze(journey, data=data)
    personas = analyze_personas(journey, data=data, overall=analysis)
    html = render_outputs(analysis, ["html"], persona_analyses=personas).outputs["html"]
    target = out / "voice.html"
    target.write_bytes(html)
    return analysis, target


def test_chips_carry_a_sparkline_and_the_interval_and_personas_their_own_ratings(visit, tmp_path: Path) -> None:  # noqa: F811
    analysis, path = write_voice_map(tmp_path, SURVEY)
    v = visit(path, width=1400, height=1000)
    page = v.page
    chip = page.locator('[data-metrics-for=""] li.metric').filter(has_text="CSAT 55.6%").first
    assert chip.is_visible()
    assert chip.locator("svg.spark polyline").count() == 1
    assert "95% CI 47.9–63.1%" in chip.inner_text()
    assert "falling (worse)" in (chip.locator(".m-spark").get_attribute("title") or "")
    # Busy parents rated the slot step lower: the filter shows their own CSAT.
    page.locator('button[data-persona="busy-parent"]').click()
    own = page.locator('[data-metrics-for="busy-parent"]').filter(has_text="CSAT 50.8%").first
    assert own.is_visible()
    assert not page.locator('[data-metrics-for=""]').filter(has_text="CSAT 55.6%").first.is_visible()
    page.locator('button[data-persona=""]').click()
    assert page.locator('[data-metrics-for=""]').filter(has_text="CSAT 55.6%").first.is_visible()
    quotes = page.locator(".voice-quote").filter(has_text="No delivery slot before next week")
    assert quotes.count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "voice-of-the-customer.png"), full_page=False)
    assert v.errors == [] and v.dialogs == []
    assert analysis.touchpoints["choose-delivery-slot"].metrics["csat"].trend == "falling"


def test_hostile_comments_run_no_script(visit, tmp_path: Path) -> None:  # noqa: F811
    hostile = [
        '"<img src=x onerror=alert(1)>"',
        '"</script><script>alert(2)</script>"',
        '"<svg onload=alert(3)>slot slot"',
        '"javascript:alert(4) \u202e reversed"',
    ]
    lines = ["touchpoint,metric,score,respondent,date,persona,comment"]
    lines += [f"choose-delivery-slot,csat,2,h{i},2026-04-0{i + 1},,{text}" for i, text in enumerate(hostile)]
    survey = tmp_path / "hostile.csv"
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, path = write_voice_map(tmp_path, survey)
    v = visit(path)
    assert v.dialogs == [] and v.errors == []
    assert v.page.locator(".voice img, .voice svg, .voice script").count() == 0
    assert "<img src=x onerror=alert(1)>" in v.page.locator(".voice").first.inner_text()
