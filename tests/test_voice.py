"""The voice of the customer: periods and trends, intervals in the verdict, per-persona
values, verbatims and sentiment, churn/retention/CLV; broken survey files never a traceback."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from journeymap.analysis import analyze, analyze_personas, ci_text, period_positions
from journeymap.data import load_metric_data
from journeymap.data import verbatims as verbatims_module
from journeymap.data.responses import period_label
from journeymap.data.verbatims import phrases_of, sentiment_scorer
from journeymap.loader import load_text
from journeymap.metrics import BUILTIN, MetricValueError, parse_value, spec_from_definition
from journeymap.model import Journey
from journeymap.problems import Span
from journeymap.render.html import render_html
from journeymap.render.markdown import render_markdown

JOURNEY = """\
journeymap: 1
id: support
title: Support
personas: [{id: new, name: New customer}, {id: regular, name: Regular}]
channels: [{id: web, name: Web}, {id: chat, name: Chat}]
stages: [{id: help, name: Help}]
metrics:
  csat: {target: 0.75}
  sentiment: {target: 0}
touchpoints:
  - {id: search-faq, name: Search the FAQ, stage: help, channel: web, next: [{to: chat-agent, share: 0.5}]}
  - {id: chat-agent, name: Chat with an agent, stage: help, channel: chat, next: [{to: solved, share: 0.8}]}
  - {id: solved, name: Solved, stage: help, channel: web, outcome: success}
"""


@pytest.fixture
def journey() -> Journey:
    return load_text(JOURNEY)


def worsening_journey() -> Journey:
    return load_text(JOURNEY + "weak: {worsening: true}\n")


def csv(tmp_path: Path, name: str, header: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def csat_rows(touchpoint: str, month: int, satisfied: int, total: int, persona: str = "") -> list[str]:
    """``total`` CSAT answers in 2026-<month>, ``satisfied`` of them 4 or 5."""
    return [
        f"{touchpoint},csat,{5 if i < satisfied else 2},r{month}-{persona}-{i},2026-{month:02d}-{1 + i % 28:02d},{persona}"
        for i in range(total)
    ]


HEADER = "touchpoint,metric,score,respondent,date,persona"


# -- periods ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "period", "label"),
    [
        (date(2027, 1, 1), "week", "2026-W53"),  # ISO week: 1 Jan 2027 is in 2026's week 53
        (date(2024, 12, 30), "week", "2025-W01"),  # and 30 Dec 2024 in 2025's week 1
        (date(2026, 4, 6), "week", "2026-W15"),
        (date(2026, 4, 30), "month", "2026-04"),
        (date(2026, 4, 1), "quarter", "2026-Q2"),
        (date(2026, 12, 31), "quarter", "2026-Q4"),
    ],
)
def test_period_labels_are_iso_and_sort_in_date_order(day: date, period: str, label: str) -> None:
    assert period_label(day, period) == label


def test_dated_answers_make_a_series_and_the_latest_month_is_the_value(tmp_path: Path, journey: Journey) -> None:
    rows = csat_rows("chat-agent", 4, 710, 1000) + csat_rows("chat-agent", 5, 690, 1000) + csat_rows("chat-agent", 6, 640, 1000)
    answers = csv(tmp_path, "answers.csv", HEADER, rows)
    csat = analyze(journey, responses=answers, period="month").touchpoints["chat-agent"].metrics["csat"]
    assert (csat.value, csat.n, csat.period) == (0.64, 1000, "2026-06")
    assert [(p.period, p.value, p.n) for p in csat.series] == [
        ("2026-04", 0.71, 1000), ("2026-05", 0.69, 1000), ("2026-06", 0.64, 1000),
    ]
    assert (csat.trend, csat.trend_meaning, csat.significant_change) == ("falling", "worsening", True)
    assert csat.verdict == "CSAT 71% → 64% over 3 months, falling (worse)"
    # Without --period the same answers are pooled, as before.
    pooled = analyze(journey, responses=answers).touchpoints["chat-agent"].metrics["csat"]
    assert (pooled.n, pooled.series, pooled.trend) == (3000, (), None)
    # one month is a series of one, without a trend (its JSON said "series": [] beside "period")
    one = analyze(journey, responses=csv(tmp_path, "may.csv", HEADER, csat_rows("chat-agent", 5, 690, 1000)), period="month")
    csat = one.touchpoints["chat-agent"].metrics["csat"]
    assert ([(p.period, p.value, p.n) for p in csat.series], csat.trend) == ([("2026-05", 0.69, 1000)], None)


def test_two_periods_whose_change_no_test_applies_to_say_why_there_is_no_verdict(tmp_path: Path, journey: Journey) -> None:
    """CES 5 (one answer) then 6.5, or a table's CLV 1,200 then 1,300 EUR without its sd, read
    "5 → 6.5 over 2 months" and stopped there: neither rising, falling nor flat, and nothing said
    why (JSON: trend null). The verdict now says it was not tested, and why."""
    answers = csv(tmp_path, "a.csv", HEADER, ["chat-agent,ces,5,a1,2026-01-05,", "chat-agent,ces,6,a2,2026-02-05,",
                                              "chat-agent,ces,7,a3,2026-02-06,"])
    ces = analyze(journey, responses=answers, period="month").touchpoints["chat-agent"].metrics["ces"]
    assert (ces.trend, ces.significant_change) == (None, None)
    assert ces.verdict == "CES 5 → 6.5 over 2 months, not tested: a period of a single answer"
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period,sd",
                ["chat-agent,clv,1200 EUR,300,2026-01,", "chat-agent,clv,1300 EUR,300,2026-02,",
                 "search-faq,csat,70%,,2026-01,", "search-faq,csat,60%,,2026-02,",
                 "solved,csat,70%,,2026-01,", "solved,csat,60%,,2026-02,", "solved,csat,65%,,2026-03,",
                 "solved,volume,1000,,2026-01,", "solved,volume,1200,,2026-02,"])
    metrics = analyze(journey, metrics=table).touchpoints
    assert metrics["chat-agent"].metrics["clv"].verdict == (
        "CLV 1,200 EUR → 1,300 EUR over 2 months, not tested: two periods are compared with each one's sd (metrics table column sd)")
    assert metrics["search-faq"].metrics["csat"].verdict == (
        "CSAT 70% → 60% over 2 months, not tested: two periods are compared with each one's n (metrics table column n)")
    # three periods without n have the ordinary least-squares slope, as before
    assert metrics["solved"].metrics["csat"].verdict == "CSAT 70% → 65% over 3 months, flat"
    assert metrics["solved"].metrics["volume"].verdict == "Volume 1,000 → 1,200 over 2 months"  # a count: no estimate to test
    # a single period has no trend and no verdict
    one = analyze(journey, responses=csv(tmp_path, "one.csv", HEADER, ["chat-agent,ces,5,a1,2026-01-05,"]), period="month")
    assert one.touchpoints["chat-agent"].metrics["ces"].verdict is None


def test_a_significant_fall_is_a_weak_signal_only_when_the_journey_asks(tmp_path: Path, journey: Journey) -> None:
    rows = csat_rows("search-faq", 4, 880, 1000) + csat_rows("search-faq", 5, 800, 1000)
    answers = csv(tmp_path, "answers.csv", HEADER, rows)
    assert not analyze(journey, responses=answers, period="month").touchpoints["search-faq"].weak  # 80% >= 75%
    result = analyze(worsening_journey(), responses=answers, period="month").touchpoints["search-faq"]
    assert result.weak
    assert result.reasons == ["CSAT 88% → 80% over 2 months, falling (worse): a significant change for the worse"]


def test_a_fall_on_fewer_than_min_n_answers_is_not_enough_by_itself(tmp_path: Path) -> None:
    # 10 of 10 satisfied, then 0 of 10: a significant fall (Fisher's p < 0.0001), but on 20
    # answers, under min_n (30): like a miss on them, it is shown and does not make the touchpoint weak.
    few = csv(tmp_path, "few.csv", HEADER, csat_rows("search-faq", 4, 10, 10) + csat_rows("search-faq", 5, 0, 10))
    result = analyze(worsening_journey(), responses=few, period="month").touchpoints["search-faq"]
    assert result.metrics["csat"].trend_meaning == "worsening"
    assert not result.weak and result.reasons == []
    more = csv(tmp_path, "more.csv", HEADER, csat_rows("search-faq", 4, 20, 20) + csat_rows("search-faq", 5, 0, 20))
    result = analyze(worsening_journey(), responses=more, period="month").touchpoints["search-faq"]
    assert result.weak
    assert result.reasons == ["CSAT 100% → 0% over 2 months, falling (worse): a significant change for the worse"]


@pytest.mark.parametrize(
    ("labels", "positions", "word"),
    [
        (["2026-01", "2026-02", "2026-12"], [0, 1, 11], "month"),
        (["2026-W52", "2026-W53", "2027-W01"], [0, 1, 2], "week"),  # 2026 has 53 ISO weeks
        (["2026-Q3", "2027-Q1"], [0, 2], "quarter"),
        (["2026-02-27", "2026-03-02"], [0, 3], "day"),
        (["2025-W52", "2025-W53"], None, "week"),  # 2025 has 52: no such week
        (["2026-12", "2026-13"], None, "month"),
        (["2026-03", "2026-01"], None, "month"),  # not in time order
        (["2026-09", "2026-Q4"], None, "period"),
        (["wave 1", "wave 2"], None, "period"),
    ],
)
def test_period_positions_are_elapsed_periods(labels: list[str], positions: list[int] | None, word: str) -> None:
    assert period_positions(labels) == (positions, word)


def test_a_series_with_a_label_no_calendar_has_spans_only_the_days_it_has(tmp_path: Path, journey: Journey) -> None:
    """2026-02-28, 2026-02-29, 2028-02-29 was "over 3 days", then "over 3 periods" with 2026-02-29 kept under its label;
    that day is an impossible-period error and its answer is not counted: the series is the two days there are."""
    rows = [f"chat-agent,csat,{5 - i},r{i},{day}" for i, day in enumerate(["2026-02-28", "2026-02-29", "2028-02-29"])]
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", "touchpoint,metric,score,respondent,period", rows))
    assert [(p.code, p.level, p.span.line) for p in data.problems] == [("impossible-period", "error", 3)]
    csat = analyze(journey, data=data).touchpoints["chat-agent"].metrics["csat"]
    assert [p.period for p in csat.series] == ["2026-02-28", "2028-02-29"]
    assert csat.verdict is not None and " over 732 days" in csat.verdict


def test_months_without_answers_count_in_the_span_and_the_slope(tmp_path: Path, journey: Journey) -> None:
    rows = csat_rows("chat-agent", 1, 80, 100) + csat_rows("chat-agent", 2, 78, 100) + csat_rows("chat-agent", 12, 76, 100)
    csat = analyze(journey, responses=csv(tmp_path, "gaps.csv", HEADER, rows), period="month").touchpoints["chat-agent"].metrics["csat"]
    assert csat.verdict == "CSAT 80% → 76% over 12 months (3 with data), flat"


def test_a_flat_series_is_not_a_signal(tmp_path: Path) -> None:
    rows = csat_rows("search-faq", 4, 41, 50) + csat_rows("search-faq", 5, 40, 50)
    answers = csv(tmp_path, "answers.csv", HEADER, rows)
    csat = analyze(worsening_journey(), responses=answers, period="month").touchpoints["search-faq"]
    assert csat.metrics["csat"].trend == "flat" and not csat.weak


def test_metrics_tables_keep_every_period_and_each_persona(tmp_path: Path, journey: Journey) -> None:
    table = csv(
        tmp_path,
        "metrics.csv",
        "touchpoint,metric,value,n,period,persona",
        [
            "chat-agent,response_time,10m,,2026-Q1,",
            "chat-agent,response_time,9m,,2026-Q2,",
            "chat-agent,response_time,7m,,2026-Q3,",
            "chat-agent,response_time,5m,,2026-Q4,",
            "chat-agent,csat,70%,400,2026-Q4,",
            "chat-agent,csat,52%,300,2026-Q4,new",
        ],
    )
    everyone = analyze(journey, metrics=table).touchpoints["chat-agent"].metrics
    rt = everyone["response_time"]
    assert [p.value for p in rt.series] == [600, 540, 420, 300] and rt.value == 300
    assert (rt.trend, rt.trend_meaning) == ("falling", "improving")  # response time falling is better
    assert everyone["csat"].value == 0.7
    new = analyze(journey, "new", metrics=table).touchpoints["chat-agent"]
    assert new.metrics["csat"].value == 0.52 and new.weak
    assert new.metrics["response_time"].value == 300  # everyone's value where the persona has none


def test_a_repeated_period_in_a_metrics_table_is_a_duplicate(tmp_path: Path, journey: Journey) -> None:
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,period", ["chat-agent,csat,70%,2026-Q1", "chat-agent,csat,60%,2026-Q2", "chat-agent,csat,65%,2026-Q1"])
    data = load_metric_data(journey, metrics=table)
    [duplicate] = [p for p in data.problems if p.code == "duplicate-row"]
    assert (duplicate.span.line, duplicate.related[0].line) == (4, 2)
    point = data.get("chat-agent", "csat")
    assert point is not None and [p.value for p in point.series] == [0.65, 0.6]


# -- confidence ---------------------------------------------------------------------


def test_a_miss_whose_interval_includes_the_target_is_low_confidence(tmp_path: Path, journey: Journey) -> None:
    # 70 of 100 satisfied: 70%, Wilson 95% CI 60.4-78.1%, which includes the 75% target.
    answers = csv(tmp_path, "a.csv", HEADER, csat_rows("chat-agent", 4, 70, 100))
    result = analyze(journey, responses=answers).touchpoints["chat-agent"]
    csat = result.metrics["csat"]
    assert (csat.status, csat.low_confidence, csat.ci_text) == ("low_confidence", True, "60.4–78.1%")
    assert not result.weak
    assert result.notes == ["CSAT 70% misses the 75% target, but its 95% CI 60.4–78.1% (n=100) includes the target"]


def test_a_clear_miss_is_weak_with_its_interval_in_the_reason(tmp_path: Path, journey: Journey) -> None:
    answers = csv(tmp_path, "a.csv", HEADER, csat_rows("chat-agent", 4, 580, 1000))
    result = analyze(journey, responses=answers).touchpoints["chat-agent"]
    assert result.weak
    assert result.reasons == ["CSAT 58% is below the 75% target (95% CI 54.9–61%, n=1,000)"]


def test_a_narrow_interval_is_written_with_the_decimals_that_tell_its_ends_apart(tmp_path: Path) -> None:
    # 10,000 answers, all satisfied: Wilson 99.96-100%, written "100–100%" as if certain; a mean
    # sentiment over 100,000 comments "0.1–0.1"; CES over a million answers "5–5"
    journey = load_text(JOURNEY.replace("  sentiment: {target: 0}\n", "  sentiment: {target: 0}\n  ces: {target: 4}\n"))
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,sd", [
        "chat-agent,csat,100%,10000,", "chat-agent,sentiment,0.1,100000,0.3", "chat-agent,ces,5,1000000,1.5",
        "search-faq,csat,71%,1000,",
    ])
    metrics = analyze(journey, metrics=table).touchpoints
    chat = metrics["chat-agent"].metrics
    assert [chat[m].ci_text for m in ("csat", "sentiment", "ces")] == ["99.96–100%", "+0.098 to +0.102", "4.997–5.003"]
    assert metrics["search-faq"].metrics["csat"].ci_text == "68.1–73.7%"  # as before: the usual decimals tell them apart
    assert ci_text(BUILTIN["response_time"], (599.8, 600.2)) == "9m59.8s–10m0.2s"
    assert ci_text(BUILTIN["csat"], (0.0, 4e-7)) == "0–0.00004%"  # fixed notation, not 4e-05%
    assert ci_text(BUILTIN["nps"], (-0.04, 0.04)) == "-0.04 to +0.04"


def test_a_verdicts_last_value_is_written_as_the_value_is(tmp_path: Path) -> None:
    """"NPS +29.97 is below the +30 target" beside the verdict "+30 → +30 over 2 months", and
    "CSAT 74.96% misses the 75% target" beside "80% → 75%": the verdict's ends were written with
    the usual decimals, the value with those that show its miss (or its interval). They are now
    written alike."""
    journey = load_text(JOURNEY.replace("  sentiment: {target: 0}\n", "  sentiment: {target: 0}\n  nps: {target: 30}\n"))
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period", [
        "chat-agent,csat,80%,10000,2026-01", "chat-agent,csat,74.96%,10000,2026-02",
        "search-faq,nps,+28,,2026-01", "search-faq,nps,29.97,,2026-02",
        "solved,csat,70%,1000,2026-01", "solved,csat,74%,1000,2026-02",
    ])
    result = analyze(journey, metrics=table).touchpoints
    csat, nps = result["chat-agent"].metrics["csat"], result["search-faq"].metrics["nps"]
    assert (csat.text, csat.ci_text) == ("74.96%", "74.1–75.8%")
    assert csat.verdict == "CSAT 80% → 74.96% over 2 months, falling (worse)"
    assert result["search-faq"].reasons == ["NPS +29.97 is below the +30 target"]
    assert nps.verdict is not None and nps.verdict.startswith("NPS +28 → +29.97 over 2 months")
    # a value written with the usual decimals keeps them in its verdict
    assert result["solved"].metrics["csat"].verdict == "CSAT 70% → 74% over 2 months, rising (better)"


def test_a_miss_smaller_than_the_usual_decimals_is_written_with_the_decimals_that_show_it(tmp_path: Path) -> None:
    # a BI export's 74.96% read "CSAT 75% is below the 75% target", a CES of 4.996 "CES 5 is below
    # the 5 target"; an interval's end of 74.99% read "(95% CI 74.4–75%)" beside a target it excludes
    journey = load_text(JOURNEY.replace("  sentiment: {target: 0}\n", "  sentiment: {target: 0}\n  ces: {target: 5}\n"))
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n", [
        "chat-agent,csat,74.96%,", "chat-agent,ces,4.996,", "search-faq,csat,74.72%,100000",
    ])
    result = analyze(journey, metrics=table).touchpoints
    assert result["chat-agent"].reasons == ["CES 4.996 is below the 5 target", "CSAT 74.96% is below the 75% target"]
    assert result["chat-agent"].metrics["csat"].text == "74.96%"  # the map's chip beside its target too
    assert result["search-faq"].reasons == ["CSAT 74.72% is below the 75% target (95% CI 74.45–74.99%, n=100,000)"]
    # a miss the usual decimals show, and a value that meets its target, are written as before
    table = csv(tmp_path, "n.csv", "touchpoint,metric,value,n", ["chat-agent,csat,74.9%,", "search-faq,csat,75.04%,"])
    result = analyze(journey, metrics=table).touchpoints
    assert result["chat-agent"].reasons == ["CSAT 74.9% is below the 75% target"]
    assert (result["search-faq"].metrics["csat"].text, result["search-faq"].weak) == ("75%", False)


def test_a_value_is_written_with_its_intervals_decimals_and_a_trend_with_ends_that_differ(tmp_path: Path) -> None:
    # a sentiment of 0.1024 over 200,000 comments read "0.1" beside "95% CI 0.101–0.104", outside it;
    # an NPS rising from +30 to +30.01 on a billion answers read "+30 → +30 ..., rising"
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period,sd,promoters,detractors", [
        "chat-agent,sentiment,0.1024,200000,2026-01,0.4,,",
        "chat-agent,nps,30,1000000000,2026-01,,50%,20%", "chat-agent,nps,30.01,1000000000,2026-02,,50.005%,19.995%",
        "search-faq,sentiment,0.1024,2000,2026-01,0.4,,",
    ])
    result = analyze(load_text(JOURNEY), metrics=table).touchpoints
    sentiment, nps = result["chat-agent"].metrics["sentiment"], result["chat-agent"].metrics["nps"]
    assert (sentiment.text, sentiment.ci_text) == ("+0.102", "+0.101 to +0.104")
    assert (nps.text, nps.ci_text) == ("+30.01", "+30.005 to +30.015")
    assert nps.verdict == "NPS +30 → +30.01 over 2 months, rising (better)"
    # an interval the usual decimals write: the value as before
    few = result["search-faq"].metrics["sentiment"]
    assert (few.text, few.ci_text) == ("+0.1", "+0.08 to +0.12")


def test_min_n_stays_a_floor(tmp_path: Path, journey: Journey) -> None:
    answers = csv(tmp_path, "a.csv", HEADER, csat_rows("chat-agent", 4, 2, 20))  # 10%: far below, n=20 < 30
    analysis = analyze(journey, responses=answers)
    result = analysis.touchpoints["chat-agent"]
    assert result.metrics["csat"].status == "low_confidence" and not result.weak
    assert analysis.to_json()["touchpoints"][1]["metrics"]["csat"]["low_confidence"] == "few_responses"


def test_json_says_why_a_value_is_low_confidence(tmp_path: Path, journey: Journey) -> None:
    """'low_confidence' was the status of both a value on too few answers and a miss within its interval: a
    JSON reader could not tell them apart, where the map's chip and the text report do."""
    for satisfied, total, status, why in ((74, 100, "low_confidence", "target_in_ci"), (600, 1000, "below_target", None)):
        answers = csv(tmp_path, f"{total}.csv", HEADER, csat_rows("chat-agent", 4, satisfied, total))  # the target is 75%
        metric = analyze(journey, responses=answers).to_json()["touchpoints"][1]["metrics"]["csat"]
        assert (metric["status"], metric["low_confidence"]) == (status, why), metric["ci"]


def test_json_contract_of_a_metric(tmp_path: Path, journey: Journey) -> None:
    rows = csat_rows("chat-agent", 4, 71, 100) + csat_rows("chat-agent", 5, 64, 100)
    answers = csv(tmp_path, "a.csv", HEADER, rows)
    metric = analyze(journey, responses=answers, period="month").to_json()["touchpoints"][1]["metrics"]["csat"]
    assert list(metric) == [
        "value", "n", "target", "status", "low_confidence", "source", "ci", "period", "series", "trend", "trend_meaning",
        "significant_change", "change_last", "change_window", "ci_note", "unit", "persona",
    ]
    assert metric["series"] == [{"period": "2026-04", "value": 0.71, "n": 100}, {"period": "2026-05", "value": 0.64, "n": 100}]
    assert metric["ci"][0] < 0.64 < metric["ci"][1]
    assert (metric["trend"], metric["significant_change"], metric["change_window"]) == ("flat", False, -0.07)


def test_a_journey_files_value_with_its_period_is_a_series_of_one_in_every_report() -> None:
    """`csat: {value: 0.58, n: 1240, period: 2026Q3}` gave "period": null and "series": [] in the JSON, whose
    contract is the value's period and "one period is a series of one", as a metrics table's one row gives;
    the text and Markdown reports said nothing of the period. The period is read as data files' are (2026-Q3)."""
    journey = load_text(JOURNEY.replace(
        "  - {id: search-faq, name: Search the FAQ, stage: help, channel: web,",
        "  - {id: search-faq, name: Search the FAQ, stage: help, channel: web,"
        " metrics: {csat: {value: 0.58, n: 1240, period: 2026Q3, source: Qualtrics}, ces: {value: 5.2, n: 80}},"))
    result = analyze(journey)
    metrics = result.to_json()["touchpoints"][0]["metrics"]
    assert (metrics["csat"]["period"], metrics["csat"]["series"]) == ("2026-Q3", [{"period": "2026-Q3", "value": 0.58, "n": 1240}])
    assert (metrics["csat"]["trend"], metrics["csat"]["significant_change"]) == (None, None)
    assert (metrics["ces"]["period"], metrics["ces"]["series"]) == (None, [])  # without a period: none
    table = render_markdown(result)
    assert "| `search-faq` | CSAT | 58% | 55.2–60.7% | 1,240 | 2026-Q3 only | – |" in table


# -- segments ---------------------------------------------------------------------


def test_persona_rows_give_the_persona_its_own_metrics_and_weak_flags(tmp_path: Path, journey: Journey) -> None:
    rows = csat_rows("chat-agent", 4, 180, 200, "regular") + csat_rows("chat-agent", 4, 100, 200, "new")
    answers = csv(tmp_path, "a.csv", HEADER, rows)
    everyone = analyze(journey, responses=answers).touchpoints["chat-agent"]
    new = analyze(journey, "new", responses=answers).touchpoints["chat-agent"]
    regular = analyze(journey, "regular", responses=answers).touchpoints["chat-agent"]
    assert (everyone.metrics["csat"].value, everyone.metrics["csat"].n) == (0.7, 400)
    assert (new.metrics["csat"].value, new.weak) == (0.5, True)
    assert (regular.metrics["csat"].value, regular.weak) == (0.9, False)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_persona_is_not_shown_other_personas_answers_as_its_own(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Every answer at the chat says it is a regular's: the new customer's view showed their CSAT 25%
    as its own, and a weak reason. A value with answers that say no persona stays everyone's."""
    rows = csat_rows("chat-agent", 4, 10, 40, "regular") + csat_rows("search-faq", 4, 30, 40, "new")
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER, rows), engine=engine)
    assert data.points[("chat-agent", "csat")].value == 0.25
    new = analyze(journey, "new", data=data).touchpoints["chat-agent"]
    assert ("csat" not in new.metrics or new.metrics["csat"].value is None) and not new.weak
    assert analyze(journey, "regular", data=data).touchpoints["chat-agent"].metrics["csat"].value == 0.25
    # the map's persona filter: the new customer's chat card shows no regular's CSAT
    overall = analyze(journey, data=data)
    views = analyze_personas(journey, data=data, overall=overall)
    assert views["new"].touchpoints["chat-agent"].weak is False and views["regular"].touchpoints["chat-agent"].weak is True
    # ten answers that say no persona: the chat's CSAT is everyone's, and the new customer's view shows it
    rows += csat_rows("chat-agent", 4, 0, 10, "")
    data = load_metric_data(journey, responses=csv(tmp_path, "b.csv", HEADER, rows), engine=engine)
    assert analyze(journey, "new", data=data).touchpoints["chat-agent"].metrics["csat"].value == 0.2
    # ... by month too: the regulars' April against everyone's May (those ten answers) hid them
    rows = csat_rows("chat-agent", 4, 10, 40, "regular") + csat_rows("chat-agent", 5, 0, 10, "")
    data = load_metric_data(journey, responses=csv(tmp_path, "c.csv", HEADER, rows), engine=engine, period="month")
    assert analyze(journey, "new", data=data).touchpoints["chat-agent"].metrics["csat"].value == 0.0
    # ... and beside a metrics table's row for the regulars (a summary: its n counts otherwise)
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,persona", ["chat-agent,csat,0.9,1000,regular"])
    data = load_metric_data(journey, responses=csv(tmp_path, "d.csv", HEADER, csat_rows("chat-agent", 4, 0, 10, "")),
                            metrics=table, engine=engine)
    assert analyze(journey, "new", data=data).touchpoints["chat-agent"].metrics["csat"].value == 0.0


def test_the_map_shows_each_personas_own_metrics(tmp_path: Path, journey: Journey) -> None:

    rows = csat_rows("chat-agent", 4, 180, 200, "regular") + csat_rows("chat-agent", 4, 100, 200, "new")
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER, rows))
    overall = analyze(journey, data=data)
    html = render_html(overall, persona_analyses=analyze_personas(journey, data=data, overall=overall))
    assert '<div data-metrics-for="new" hidden>' in html and '<div data-metrics-for="regular" hidden>' in html
    start = html.index('<div data-metrics-for="new" hidden>')
    assert "50%" in html[start : html.index("</div>", start)]
    assert '"weak":["chat-agent"]' in html.replace(" ", "")  # the persona's weak flags, for the filter


def test_a_value_from_a_single_period_names_it_in_the_reports(tmp_path: Path, journey: Journey) -> None:
    """New customers answered in January only, everyone until June: `report --persona new` gave
    "CSAT 65%" with "–" for its trend and nothing else, read as this month's, though the map's chip
    said "Period 2026-01". A value from one period names it in the text and Markdown tables."""
    from journeymap.render.voice import text_section

    rows = csat_rows("chat-agent", 1, 26, 40, "new")
    for month in range(1, 7):
        rows += csat_rows("chat-agent", month, 40, 50, "regular")
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER, rows), period="month")
    new = analyze_personas(journey, data=data)["new"]
    csat = new.touchpoints["chat-agent"].metrics["csat"]
    assert (csat.text, csat.period, csat.trend, csat.verdict) == ("65%", "2026-01", None, None)
    assert "  chat-agent  CSAT      65%  49.5–77.9%  40  own    2026-01 only" in text_section(new)
    assert "| `chat-agent` | CSAT | 65% | 49.5–77.9% | 40 | own | 2026-01 only | – |" in render_markdown(new)
    # everyone's, over six months, as before
    everyone = analyze(journey, data=data).touchpoints["chat-agent"].metrics["csat"]
    assert everyone.verdict == "CSAT 73.3% → 80% over 6 months, flat"
    # the label is the data file's text: escaped in a Markdown cell like any other
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period", ['chat-agent,csat,70%,300,"Wave <b>1</b> | x"'])
    markdown = render_markdown(analyze(journey, metrics=table))
    assert "| 300 | Wave &lt;b&gt;1&lt;/b&gt; \\| x only | – |" in markdown and "<b>" not in markdown


def test_unknown_personas_are_one_warning_with_the_count(tmp_path: Path, journey: Journey) -> None:
    answers = csv(tmp_path, "a.csv", HEADER, csat_rows("chat-agent", 4, 30, 40, "nwe"))
    data = load_metric_data(journey, responses=answers)
    [warning] = [p for p in data.problems if p.code == "unknown-persona"]
    assert warning.level == "warning" and "(40 rows: lines 2, 3, 4, 5, 6, ...)" in warning.message
    assert warning.hint == "did you mean 'new'?"
    point = data.get("chat-agent", "csat")
    assert point is not None and point.n == 40  # they still count for everyone


# -- verbatims and sentiment ----------------------------------------------------------

#: A small hand-labelled set of survey-style sentences (written for this test): +1, -1.
LABELLED = [
    ("The agent was friendly and solved my problem in minutes.", 1),
    ("Great service, thank you so much!", 1),
    ("Easy to find, clear answer, very helpful.", 1),
    ("I love the new app, ordering is quick.", 1),
    ("Delivery arrived early and everything was fresh.", 1),
    ("Excellent support, the best I've had from a bank.", 1),
    ("Really happy with how simple the sign-up was.", 1),
    ("The chat bot understood me and the refund was fast.", 1),
    ("Nice people, good prices, would recommend.", 1),
    ("Smooth and painless, well done.", 1),
    ("Terrible experience, I waited an hour for nothing.", -1),
    ("The app crashed twice and I lost my basket.", -1),
    ("Rude agent, no help at all.", -1),
    ("Horrible delivery slot choice, nothing available for days.", -1),
    ("I am angry that my refund still has not arrived.", -1),
    ("Useless FAQ, it never answers the question.", -1),
    ("The form kept rejecting my passport photo, so frustrating.", -1),
    ("Worst customer service ever.", -1),
    ("They charged me twice and nobody cares.", -1),
    ("Confusing instructions and a broken link.", -1),
]


def test_vader_sentiment_on_a_labelled_set() -> None:
    scorer = sentiment_scorer()
    assert scorer is not None, "vaderSentiment is in the test extra"
    right = sum((scorer(text) > 0) == (label > 0) for text, label in LABELLED)
    # Quoted in the README: 18 of 20 (90%); VADER misses "The chat bot understood me and the refund was
    # fast." (0.0) and "They charged me twice and nobody cares." (+0.30: "cares" reads as positive).
    assert right / len(LABELLED) >= 0.9, right


def test_no_english_sentence_of_the_labelled_set_looks_written_in_another_language() -> None:
    assert [text for text, _label in LABELLED if verbatims_module.other_language(text) is not None] == []
    assert verbatims_module.other_language("Die App ist toll") == "ist"
    assert verbatims_module.other_language("The van driver charged per item, non-refundable, see amazon.com") is None
    assert verbatims_module.other_language("La livraison est arrivée en retard") == "est"
    # another script: VADER scores every such comment 0, which reads as "neutral"
    assert verbatims_module.other_language("配達時間が選べなくてとても不便でした") == "配達時間が選べなくてとて"
    assert verbatims_module.other_language("очень плохая доставка") == "очень"
    assert verbatims_module.other_language("Great app, thanks 👍 ありがとう") is None  # mostly English
    assert verbatims_module.other_language("Crème brûlée was great, the café délivery too") is None  # Latin letters
    assert verbatims_module.other_language("ｇｏｏｄ　ｓｅｒｖｉｃｅ") is None  # full-width Latin
    assert verbatims_module.other_language("El pedido llegó muy tarde") == "el"
    # Dutch, Swedish, Danish and Polish comments were taken for English ('Het ... was veel te laat': 'was')
    assert verbatims_module.other_language("Het bezorgmoment was veel te laat en niemand belde") == "het"
    assert verbatims_module.other_language("Leveransen kom för sent och ingen ringde") == "för"
    assert verbatims_module.other_language("Pakken kom for sent og ingen ringede, meget dårlig") == "og"
    assert verbatims_module.other_language("Dostawa była bardzo późno i nikt nie dzwonił") == "była"
    assert verbatims_module.other_language("Men's sizes ran small, ginger ale was fine") is None


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_comments_in_another_language_than_english_are_told_untrustworthy(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Four 5-star German comments had sentiment -0.38 ("Die App ist toll": -0.60, 'die'), silently."""
    assert sentiment_scorer() is not None, "vaderSentiment is in the test extra"
    german = ["Die Lieferung war pünktlich und die Ware frisch", "Die App ist toll", "Die Fahrer waren sehr freundlich"]
    rows = [f"chat-agent,csat,5,g{i},2026-04-0{i + 1},,{text}" for i, text in enumerate(german)]
    rows += [f"chat-agent,csat,4,e{i},2026-04-09,,Quick and friendly help number {i}" for i in range(20)]
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER + ",comment", rows), engine=engine)
    [problem] = [p for p in data.problems if p.code == "other-language"]
    assert (problem.level, problem.span.line, problem.span.col) == ("warning", 2, 34)
    assert problem.message.startswith("3 of the 23 comments look written in another language than English (words like 'und', 'ist', 'sehr')")
    english = load_metric_data(journey, responses=csv(tmp_path, "b.csv", HEADER + ",comment", rows[1:]), engine=engine)
    assert not [p for p in english.problems if p.code == "other-language"]  # 2 of 22: not one in ten


def test_comments_give_sentiment_phrases_and_quotes(tmp_path: Path, journey: Journey) -> None:
    rows = [
        'chat-agent,csat,2,a1,2026-04-02,,"The agent was rude and the wait time was awful"',
        'chat-agent,csat,2,a2,2026-04-03,,"Long wait time, rude agent"',
        'chat-agent,csat,5,a3,2026-04-04,,"Friendly agent, solved quickly"',
        'chat-agent,,,a4,2026-04-05,,"wait time again, so slow"',
        'search-faq,csat,4,b1,2026-04-02,,"Clear answer in the FAQ, great"',
        'search-faq,csat,4,b2,2026-04-02,,"The agent was fine"',
    ]
    answers = csv(tmp_path, "a.csv", HEADER + ",comment", rows)
    result = analyze(journey, responses=answers)
    chat = result.touchpoints["chat-agent"]
    assert chat.verbatims is not None
    assert chat.verbatims.comments == 4  # a row with only a comment counts as a comment
    assert chat.verbatims.phrases == [("wait time", 3)]  # distinctive: "agent" phrases also appear elsewhere
    kinds = [q.kind for q in chat.verbatims.quotes]
    assert kinds[0] == "most negative" and "most positive" in kinds
    sentiment = chat.metrics["sentiment"]
    assert sentiment.n == 4 and -1 <= sentiment.value < 0 and sentiment.ci is not None
    assert sentiment.status in ("below_target", "low_confidence")  # target 0, n=4 < min_n
    again = analyze(journey, responses=answers)
    assert again.to_json() == result.to_json()  # deterministic


def test_a_phrases_count_has_thousands_separators_as_the_comments_count_has(tmp_path: Path, journey: Journey) -> None:
    """"1,250 comments" beside the phrase "long wait" (1250): every count the reports and the map
    show has its thousands separators."""
    rows = [f'chat-agent,csat,2,a{i},2026-04-{1 + i % 28:02d},,"Long wait time again ({i})"' for i in range(1250)]
    rows += ['search-faq,csat,4,b1,2026-04-02,,"Clear answer in the FAQ"']
    result = analyze(journey, responses=csv(tmp_path, "a.csv", HEADER + ",comment", rows))
    chat = result.touchpoints["chat-agent"].verbatims
    assert chat is not None and chat.comments == 1250 and ("long wait", 1250) in chat.phrases
    from journeymap.render.voice import text_section

    text = "\n".join(text_section(result))
    assert "chat-agent: 1,250 comments" in text and '"long wait" (1,250)' in text and "(1250)" not in text
    markdown = render_markdown(result)
    assert "| `chat-agent` | 1,250 |" in markdown and "long wait (1,250)" in markdown and "(1250)" not in markdown
    html = render_html(result)
    assert '<span class="voice-n">1,250</span>' in html and ">1250<" not in html


def test_sentiment_is_signed_in_its_chip_as_in_the_comments_line(tmp_path: Path, journey: Journey) -> None:
    """The same comments' sentiment read "Sentiment 0.58" in the table and on the chip, and
    "sentiment +0.58" in the comments' line beside it: a score on a scale around 0 is written with its
    sign, as NPS is ("+12") and the comments' sentiment and the emotion are."""
    from journeymap.render.voice import text_section

    rows = [f'chat-agent,,,a{i},2026-04-02,,"Great help, thanks"' for i in range(20)]
    rows += [f'chat-agent,,,b{i},2026-04-03,,"Slow reply"' for i in range(10)]
    result = analyze(journey, responses=csv(tmp_path, "a.csv", HEADER + ",comment", rows))
    chat = result.touchpoints["chat-agent"]
    assert chat.verbatims is not None and chat.verbatims.sentiment is not None
    sentiment = chat.metrics["sentiment"]
    assert sentiment.value == pytest.approx(chat.verbatims.sentiment)
    assert sentiment.text == "+0.58" and sentiment.ci_text is not None and sentiment.ci_text.startswith("+")
    text = "\n".join(text_section(result))
    assert re.search(r"chat-agent  Sentiment +\+0\.58  \+0\.\d+ to \+0\.\d+ ", text) and "chat-agent: 30 comments, sentiment +0.58" in text
    assert BUILTIN["sentiment"].format(0.0) == "0" and BUILTIN["sentiment"].format(-0.004) == "0"  # no sign on zero
    assert BUILTIN["sentiment"].format(-0.25) == "-0.25" and BUILTIN["ces"].format(5.5) == "5.5"  # 1..7: no sign


def test_comments_over_several_periods_say_so_beside_the_latest_periods_sentiment(tmp_path: Path, journey: Journey) -> None:
    """With --period month, the Sentiment row is the latest month's ("+0.09", n=69) and the comments'
    line beside it is over every month ("392 comments, sentiment +0.15"): two sentiments of one
    touchpoint, with nothing to say which is which. The comments' line now says it is over all periods."""
    from journeymap.render.voice import text_section

    rows = [f'chat-agent,csat,5,a{i},2026-04-0{1 + i % 9},,"Great help, thanks"' for i in range(20)]
    rows += [f'chat-agent,csat,2,b{i},2026-05-0{1 + i % 9},,"Slow reply, no help"' for i in range(10)]
    answers = csv(tmp_path, "a.csv", HEADER + ",comment", rows)
    monthly = analyze(journey, responses=answers, period="month")
    sentiment = monthly.touchpoints["chat-agent"].metrics["sentiment"]
    assert [p.n for p in sentiment.series] == [20, 10] and sentiment.n == 10
    text = "\n".join(text_section(monthly))
    assert "  chat-agent: 30 comments over all periods, sentiment " in text
    markdown = render_markdown(monthly)
    assert "Comments, their sentiment and phrases are over all periods; a metric's value above is its latest period's." in markdown
    assert '<p class="voice-head">30 comments over all periods, sentiment ' in render_html(monthly)
    # pooled, without --period: one sentiment, as before
    pooled = analyze(journey, responses=answers)
    assert "  chat-agent: 30 comments, sentiment " in "\n".join(text_section(pooled))
    assert "over all periods" not in render_markdown(pooled) and "over all periods" not in render_html(pooled)


def test_without_vader_comments_are_still_counted_and_a_warning_says_why(
    tmp_path: Path, journey: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verbatims_module, "sentiment_scorer", lambda: None)
    answers = csv(tmp_path, "a.csv", HEADER + ",comment", ['chat-agent,csat,2,a1,2026-04-02,,"slow slow reply"'])
    result = analyze(journey, responses=answers)
    [warning] = [p for p in result.data_problems if p.code == "no-sentiment"]
    assert warning.level == "warning" and warning.hint == "pip install 'journeymap[sentiment]'"
    chat = result.touchpoints["chat-agent"]
    assert chat.verbatims is not None and chat.verbatims.sentiment is None and "sentiment" not in chat.metrics


def test_phrases_skip_stop_words_at_their_ends() -> None:
    assert phrases_of("The wait time was long") == {"wait time", "time was long"}


def test_hostile_and_huge_comments_are_inert_and_bounded(tmp_path: Path, journey: Journey) -> None:
    hostile = '<script>alert(1)</script> | `x` \x1b[31m red <img src=x onerror=alert(2)>'
    huge = "slow " * 3000
    rows = [f'chat-agent,csat,1,a{i},2026-04-02,,"{hostile} {i}"' for i in range(3)] + [f'chat-agent,csat,1,h,2026-04-02,,"{huge}"']
    answers = csv(tmp_path, "a.csv", HEADER + ",comment", rows)
    result = analyze(journey, responses=answers)
    [long] = [p for p in result.data_problems if p.code == "long-comment"]
    assert (long.span.line, long.level) == (5, "warning")
    quotes = result.touchpoints["chat-agent"].verbatims.quotes  # type: ignore[union-attr]
    assert all(len(q.text) <= 160 for q in quotes)
    html = render_html(result)
    assert "<script>alert" not in html and "<img src=x" not in html and "\x1b" not in html
    assert "alert(" not in html  # the script element and the image's tag are markup, left out of quotes
    assert any(q.text.startswith("| `x` red") for q in quotes)
    markdown = render_markdown(result)
    assert "<script>" not in markdown and "\x1b" not in markdown and "\\|" in markdown


# -- broken survey files ------------------------------------------------------------------


def test_every_bad_row_is_told_with_its_place_and_repeats_once(tmp_path: Path, journey: Journey) -> None:
    rows = [f"chat-agent,csat,9,r{i},2026-04-0{1 + i % 9}," for i in range(50)]  # CSAT 9 is off its 1..5 scale
    rows += ["chat-agent,csat,4,x1,2026-13-45,", "chat-agent,csat,4,x2,yesterday,", "search-faq,nps,11,x3,2026-04-01,"]
    answers = csv(tmp_path, "broken.csv", HEADER, rows)
    data = load_metric_data(journey, responses=answers, period="month")
    by_code = {p.code: [q for q in data.problems if q.code == p.code] for p in data.problems}
    [off_scale_csat, off_scale_nps] = sorted(by_code["score"], key=lambda p: p.span.line)
    assert (off_scale_csat.span.line, off_scale_csat.span.col) == (2, 17)
    assert "(50 rows: lines 2, 3, 4, 5, 6, ...)" in off_scale_csat.message
    assert off_scale_nps.span.line == 54 and "NPS score 11" in off_scale_nps.message
    assert sorted(p.span.line for p in by_code["invalid-date"]) == [52, 53]
    assert all(p.level == "warning" for p in by_code["invalid-date"])
    # the two answers on the scale (both without a usable date) are no CSAT beside fifty 9s: another scale
    assert data.get("chat-agent", "csat") is None
    [scale] = by_code["another-scale"]
    assert scale.span.line == 2 and scale.message.startswith("50 of the 52 CSAT answers for 'chat-agent'")  # the first 9
    assert any(p.code == "no-period" for p in data.problems) is False


def test_a_row_without_a_date_among_dated_rows_is_told(tmp_path: Path, journey: Journey) -> None:
    rows = csat_rows("chat-agent", 4, 30, 40) + ["chat-agent,csat,5,z,,"]
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER, rows), period="month")
    [problem] = [p for p in data.problems if p.code == "no-period"]
    assert problem.span.line == 42 and problem.message.startswith(
        "1 CSAT answer for 'chat-agent' has no period (a date makes one only with --period, and an unreadable one never);"
        " it is left out of the series")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_metrics_row_without_a_period_among_periods_is_told_not_dropped(tmp_path: Path, journey: Journey, engine: str) -> None:
    """'40%,500,' among monthly rows was in neither the series nor the value, without a word."""
    rows = ["chat-agent,csat,70%,100,2026-01", "chat-agent,csat,72%,100,2026-02", "chat-agent,csat,40%,500,"]
    data = load_metric_data(journey, metrics=csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period", rows), engine=engine)
    [problem] = data.problems
    assert (problem.code, problem.level, problem.span.line) == ("no-period", "warning", 4)
    assert "left out of the series and of the latest period's value" in problem.message
    csat = data.get("chat-agent", "csat")
    assert csat is not None and csat.value == 0.72 and [p.period for p in csat.series] == ["2026-01", "2026-02"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_amounts_in_several_currencies_are_not_one_series(tmp_path: Path, journey: Journey, engine: str) -> None:
    """1200 USD, 1100 EUR, £900, ¥130000 were one CLV series ("1,200 -> 130,000, flat")."""
    rows = ["chat-agent,clv,1200 USD,100,2026-01", "chat-agent,clv,1100 EUR,100,2026-02", "chat-agent,clv,$1300,100,2026-03",
            "chat-agent,clv,¥130000,100,2026-04", "search-faq,clv,900 EUR,100,2026-01"]
    data = load_metric_data(journey, metrics=csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period", rows), engine=engine)
    assert [(p.code, p.span.line) for p in data.problems] == [("metric-value", 3), ("metric-value", 5)]
    assert "is in EUR, but the first row of its series" in data.problems[0].message
    assert "{clv: {unit: USD}}" in str(data.problems[0].hint)
    clv = data.get("chat-agent", "clv")
    assert clv is not None and [(p.period, p.value) for p in clv.series] == [("2026-01", 1200.0), ("2026-03", 1300.0)]
    assert data.get("search-faq", "clv") is not None  # another touchpoint's series has its own currency


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_amounts_without_a_currency_among_amounts_with_one_are_said_to_be_read_in_it(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """CLV 900, then 1000 USD, then 1100: the bare amounts were shown as USD ("900 USD → 1,100 USD")
    without a word, though nothing in the file said they were dollars. They are still read in the
    series' currency, and one warning names them."""
    rows = ["chat-agent,clv,900,100,2026-01", "chat-agent,clv,1000 USD,100,2026-02", "chat-agent,clv,1100,100,2026-03",
            "search-faq,clv,700,100,2026-01", "search-faq,clv,750,100,2026-02"]
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period", rows)
    data = load_metric_data(journey, metrics=table, engine=engine)
    assert [(p.code, p.level, p.span.line) for p in data.problems] == [("no-currency", "warning", 2)]
    assert data.problems[0].message == (
        "2 clv amounts for 'chat-agent' are written without a currency (lines 2, 4), and the others in USD:"
        " they are read as USD")
    assert data.problems[0].hint == "write the currency with every amount (900 USD), or declare it (metrics: {clv: {unit: USD}})"
    clv = data.get("chat-agent", "clv")
    assert clv is not None and clv.currency == "USD" and [p.value for p in clv.series] == [900.0, 1000.0, 1100.0]
    # amounts all without a currency, or a metric that declares its unit: nothing to say
    declared = load_text(JOURNEY.replace("  sentiment: {target: 0}\n", "  sentiment: {target: 0}\n  clv: {unit: USD}\n"))
    assert load_metric_data(declared, metrics=table, engine=engine).problems == []


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_personas_amounts_are_in_the_currency_of_everyones(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Everyone's CLV at a touchpoint in EUR and a persona's in USD were two series, each in one
    currency: the map's persona filter swapped "1,200 EUR" for "900 USD" at the same touchpoint, and
    `report --persona` compared them with the journey's EUR targets. One touchpoint's amounts are in one
    currency, whoever they are for: the persona's row is an error and left out, as a row in another
    currency than its own series' first is."""
    rows = ["chat-agent,clv,1200 EUR,300,2026-01,", "chat-agent,clv,900 USD,120,2026-01,new",
            "chat-agent,clv,1100 EUR,120,2026-01,regular", "search-faq,clv,700 USD,50,2026-01,new"]
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period,persona", rows)
    data = load_metric_data(journey, metrics=table, engine=engine)
    assert [(p.code, p.level, p.span.line) for p in data.problems] == [("metric-value", "error", 3)]
    assert data.problems[0].message == (
        "this clv amount for 'chat-agent' (persona new) is in USD, but the first clv amount for 'chat-agent'"
        f" (at {table}:2:1, everyone's) is in EUR; the row is left out"
    )
    assert "{clv: {unit: EUR}}" in str(data.problems[0].hint)
    personas = analyze_personas(journey, data=data)
    assert personas["regular"].touchpoints["chat-agent"].metrics["clv"].text == "1,100 EUR"
    assert personas["new"].touchpoints["chat-agent"].metrics["clv"].text == "1,200 EUR"  # everyone's, not 900 USD
    assert personas["new"].touchpoints["search-faq"].metrics["clv"].text == "700 USD"  # another touchpoint, its own currency


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_metrics_row_for_an_unknown_persona_is_left_out_not_everyones(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A typo in a persona counted the row for everyone: it collided with everyone's row as a
    duplicate and its value replaced everyone's."""
    rows = ["chat-agent,csat,80%,100,2026-04,", "chat-agent,csat,20%,100,2026-04,nwe"]
    data = load_metric_data(journey, metrics=csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period,persona", rows), engine=engine)
    [problem] = data.problems
    assert (problem.code, problem.level, problem.span.line) == ("unknown-persona", "warning", 3)
    assert "a persona's value is not everyone's, so the row is left out" in problem.message and "did you mean 'new'" in str(problem.hint)
    csat = data.get("chat-agent", "csat")
    assert csat is not None and csat.value == 0.8


@pytest.mark.parametrize(
    ("n", "hint"),
    [("1_240", "n is the number of responses behind the value"), ("\u0661\u0662\u0664\u0660", "n is the number of responses behind the value"),
     ("1.240", "write n without thousands separators: 1240"), ("1,24", "write n as the whole number of responses, with digits alone: a comma between thousands is read only in groups of three (1,240)"),
     ("0,715", "write the decimal point as a dot: 0.715 (n is the number of responses behind the value, a whole number)"),
     ("1 240", "write n without thousands separators: 1240"), ("1\u00a0240", "write n without thousands separators: 1240")],
)
def test_an_n_is_ascii_digits_and_a_thousands_separator_gets_its_hint(tmp_path: Path, journey: Journey, n: str, hint: str) -> None:
    """'1_240' and Arabic digits were read as 1240 (Python's float); '1.240' had no hint, '0,715' a wrong one ('0715').
    ('1,240' is read: test_an_n_with_commas_between_thousands_is_read_with_one_warning.)"""
    data = load_metric_data(journey, metrics=csv(tmp_path, "m.csv", "touchpoint,metric,value,n", [f'chat-agent,csat,70%,"{n}"']))
    [problem] = data.problems
    assert (problem.code, problem.hint) == ("invalid-count", hint)


def test_dated_answers_without_period_are_told_what_would_bucket_them(tmp_path: Path, journey: Journey) -> None:
    """Answers with a date but no --period, among answers with a period column, were said to have
    'no period or readable date'."""
    rows = ["chat-agent,csat,5,a,2026-04,", "chat-agent,csat,4,b,,2026-05-03"]
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", "touchpoint,metric,score,respondent,period,date", rows))
    [problem] = [p for p in data.problems if p.code == "no-period"]
    assert "(a date makes one only with --period" in problem.message and "--period day|week|month|quarter" in str(problem.hint)


@pytest.mark.parametrize(
    ("first", "second"),
    [("Sprint 9", "Sprint 10"), ("Winter 2026", "Spring 2026"), ("2026-Q2", "2026-07")],
)
def test_survey_periods_that_do_not_sort_as_text_are_told_like_a_metrics_tables(
    tmp_path: Path, journey: Journey, first: str, second: str
) -> None:
    """A period column written by hand sorts '2026-9' after '2026-10': the older period became
    the value, silently. A metrics table said so (period-order); survey answers now do too."""
    rows = [f"chat-agent,csat,5,r{i},{first}," for i in range(3)] + [f"chat-agent,csat,1,s{i},{second}," for i in range(3)]
    answers = csv(tmp_path, "a.csv", "touchpoint,metric,score,respondent,period,persona", ["search-faq,csat,4,q,2026-04,", *rows])
    data = load_metric_data(journey, responses=answers)
    [problem] = [p for p in data.problems if p.code == "period-order"]
    assert (problem.level, problem.span.line, problem.span.col) == ("warning", 3, 1)
    assert f"the CSAT periods of 'chat-agent' ('{min(first, second)}', '{max(first, second)}')" in problem.message
    assert f"the latest, '{max(first, second)}', may not be the newest" in problem.message
    # one ISO form per series, however many series: no warning
    same_form = csv(tmp_path, "b.csv", "touchpoint,metric,score,respondent,period", ["chat-agent,csat,5,r,2026-09", "chat-agent,csat,1,s,2026-10"])
    assert load_metric_data(journey, responses=same_form).problems == []


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_quarters_weeks_and_months_spelt_another_way_are_those_periods(tmp_path: Path, journey: Journey, engine: str) -> None:
    """'2026Q1', '2026-q1', '2026 Q1', 'Q2-2026', 'Q2 2026' were periods of their own, ordered as
    text: 'Q2-2026' was the latest, and CSAT was 0% (n=1) although 2026-Q3 was 100%."""
    rows = ["chat-agent,csat,5,a,2026-Q3", "chat-agent,csat,1,b,Q2-2026", "chat-agent,csat,5,c,2026Q1",
            "chat-agent,csat,2,d,2026-q1", "chat-agent,csat,5,e,2026 Q1", "chat-agent,csat,4,f,Q2 2026",
            "search-faq,csat,5,a,2026-w5", "search-faq,csat,1,b,2026W10", "search-faq,csat,4,c,W9 2026",
            "search-faq,nps,10,a,2026-3", "search-faq,nps,0,b,10/2026", "search-faq,nps,9,c,2026/10"]
    answers = csv(tmp_path, "a.csv", "touchpoint,metric,score,respondent,period", rows)
    data = load_metric_data(journey, responses=answers, engine=engine)
    assert data.problems == []
    csat = data.get("chat-agent", "csat")
    assert csat is not None and (csat.period, csat.value, csat.n) == ("2026-Q3", 1.0, 1)
    assert [(p.period, p.n) for p in csat.series] == [("2026-Q1", 3), ("2026-Q2", 2), ("2026-Q3", 1)]
    weeks = data.get("search-faq", "csat")
    assert weeks is not None and [p.period for p in weeks.series] == ["2026-W05", "2026-W09", "2026-W10"]
    months = data.get("search-faq", "nps")
    assert months is not None and [(p.period, p.n) for p in months.series] == [("2026-03", 1), ("2026-10", 2)]
    status = analyze(journey, data=data).touchpoints["chat-agent"].metrics["csat"]
    assert status.verdict is not None and status.verdict.startswith("CSAT 66.7% → 100% over 3 quarters")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_survey_period_in_no_one_calendar_is_an_error_and_the_answer_not_counted(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    rows = ["chat-agent,csat,5,a,2026-Q1,", "chat-agent,csat,1,b,Q2-96,slow", "chat-agent,,,,FY26 W14,hm"]
    answers = csv(tmp_path, "a.csv", "touchpoint,metric,score,respondent,period,comment", rows)
    data = load_metric_data(journey, responses=answers, engine=engine)
    assert [(p.code, p.level, p.span.line, p.span.col) for p in data.problems if p.code != "no-sentiment"] == [
        ("ambiguous-period", "error", 3, 21), ("ambiguous-period", "error", 4, 15)]
    told = [p.message for p in data.problems if p.code == "ambiguous-period"]
    assert told[0].endswith("its year is written in two digits; the answer is not counted")
    assert told[1].endswith("where that year starts is not written; the comment is in no period")
    csat = data.get("chat-agent", "csat")
    assert csat is not None and (csat.period, csat.n) == ("2026-Q1", 1)
    assert data.verbatims["chat-agent"].comments == 2  # the comments still count


def test_a_period_in_the_date_column_is_told_to_be_named_period(tmp_path: Path, journey: Journey) -> None:
    """A BI tool's month ('2026-09', 'Sep 2026') or quarter in a column named date was told only 'write dates as
    YYYY-MM-DD', as if a day were missing; the period column reads it as written."""
    answers = csv(tmp_path, "a.csv", HEADER, ["chat-agent,csat,4,r1,2026-09,", "chat-agent,csat,4,r2,Q3 2026,"])
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,date", ["chat-agent,csat,80%,100,Sep 2026"])
    data = load_metric_data(journey, responses=answers, metrics=table, period="month")
    assert [p.hint for p in data.problems if p.code == "invalid-date"] == [
        "'2026-09' is a month, not a day: name the column 'period', where such labels are read",
        "'Q3 2026' is a quarter (2026-Q3), not a day: name the column 'period', where such labels are read",
        "'Sep 2026' is a month (2026-09), not a day: name the column 'period', where such labels are read"]


def test_a_date_an_export_wrote_another_way_is_told_with_the_date_it_would_be(tmp_path: Path, journey: Journey) -> None:
    """Excel's day numbers and day/month/year dates were only "write dates as YYYY-MM-DD"; the hint
    now says which date the cell would be, or that day and month cannot be told apart."""
    cells = ["46173", "31/05/2026", "5/31/2026 10:00:00 AM", "05/06/2026", "May 31, 2026 25:00", "2026/04/01 13:00:00 PM GMT-5",
             "2026-2-1", "Smarch 1, 2026", "2026/04/01 10:00:00 AM GMT+25", "2-Apr-95"]
    answers = csv(tmp_path, "a.csv", HEADER, [f"chat-agent,csat,4,r{i},{cell}," if "," not in cell else f'chat-agent,csat,4,r{i},"{cell}",' for i, cell in enumerate(cells)])
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,date", ["chat-agent,csat,80%,100,46173"])
    data = load_metric_data(journey, responses=answers, metrics=table, period="month")
    hints = {(Path(p.span.file).name, p.span.line): p.hint for p in data.problems if p.code == "invalid-date"}
    excel = "write dates as YYYY-MM-DD (ISO 8601); 46173 looks like an Excel day number (2026-05-31): format the column as yyyy-mm-dd before saving"
    assert hints == {
        ("a.csv", 2): excel,
        ("a.csv", 3): "write dates as YYYY-MM-DD (ISO 8601); '31/05/2026' is 2026-05-31",
        ("a.csv", 4): "write dates as YYYY-MM-DD (ISO 8601); '5/31/2026' is 2026-05-31",
        ("a.csv", 5): "write dates as YYYY-MM-DD (ISO 8601); '05/06/2026' may be 2026-06-05 (day first) or 2026-05-06 (month first)",
        # (a date with its month's name, or Google Forms' timestamp, is read: these have a time that is none)
        ("a.csv", 6): "write dates as YYYY-MM-DD (ISO 8601); 'May 31, 2026' is 2026-05-31",
        ("a.csv", 7): "write dates as YYYY-MM-DD (ISO 8601); '2026/04/01' is 2026-04-01 (and a zone is written -05:00, not GMT-5)",
        ("a.csv", 8): "write dates as YYYY-MM-DD (ISO 8601); '2026-2-1' is 2026-02-01",
        ("a.csv", 9): "write dates as YYYY-MM-DD (ISO 8601)",
        # a zone no place has is not told to be written as an offset
        ("a.csv", 10): "write dates as YYYY-MM-DD (ISO 8601); '2026/04/01' is 2026-04-01 (and GMT+25 is no time zone: offsets"
                       " run from -12:00 to +14:00)",
        # Excel's d-mmm-yy is read from 00 to 29 ('2-Apr-26' is 2026-04-02); another year is not guessed
        ("a.csv", 11): "write dates as YYYY-MM-DD (ISO 8601); write the year whole (is '95' 1995 or 2095?): a two-digit year"
                       " is read from 00 to 29 only, as 2000 to 2029",
        ("m.csv", 2): excel,
    }


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_time_with_its_zones_name_is_told_its_offset_at_that_time_and_its_day(tmp_path: Path, journey: Journey, engine: str) -> None:
    """'2026-03-29 00:30:00 Europe/Berlin' (Java's and pandas' exports) was told only 'write dates as
    YYYY-MM-DD', as event logs' were before they named the offset: under --period day which day the
    answer falls in depends on the zone's offset then, +01:00 before the change to summer time."""
    cells = ["2026-03-29 00:30:00 Europe/Berlin", "2026-07-01 01:30 Europe/Berlin", "2026-07-01 09:30 Mars/Olympus"]
    answers = csv(tmp_path, "a.csv", HEADER, [f"chat-agent,csat,4,r{i},{cell}," for i, cell in enumerate(cells)])
    data = load_metric_data(journey, responses=answers, period="day", engine=engine)
    hints = {p.span.line: p.hint for p in data.problems if p.code == "invalid-date"}
    assert hints == {
        2: "write the zone as its offset from UTC at that time, right after the time: 2026-03-29T00:30:00+01:00;"
           " its answer's day is then its UTC day, 2026-03-28",
        3: "write the zone as its offset from UTC at that time, right after the time: 2026-07-01T01:30+02:00;"
           " its answer's day is then its UTC day, 2026-06-30",
        4: "write dates as YYYY-MM-DD (ISO 8601)",  # no such zone
    }


def test_a_period_column_of_dates_with_period_month_is_told_it_is_not_bucketed(tmp_path: Path, journey: Journey) -> None:
    """A column of dates named 'period' with --period month: each day was a period and the value
    the last day's two answers, without a word. Both kinds of file now say so at the cell."""
    rows = [f"chat-agent,csat,{5 if i % 3 else 1},r{i},2026-04-{1 + i % 28:02d}" for i in range(40)]
    answers = csv(tmp_path, "a.csv", "touchpoint,metric,score,respondent,period", rows)
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period", ["search-faq,csat,70%,100,2026-Q1", "search-faq,csat,72%,100,2026-Q2"])
    data = load_metric_data(journey, responses=answers, metrics=table, period="month")
    told = [(Path(p.span.file).name, p.span.line, p.span.col, p.code, p.level) for p in data.problems]
    assert told == [("a.csv", 2, 22, "period-as-written", "warning"), ("m.csv", 2, 25, "period-as-written", "warning")]
    assert "(40 rows: lines 2, 3, 4, 5, 6, ...)" in data.problems[0].message
    assert data.problems[0].hint == "write months like 2026-04 in the period column, or name a column of dates 'date'"
    # Periods in the form asked for, or no --period: nothing to say.
    monthly = csv(tmp_path, "b.csv", "touchpoint,metric,score,respondent,period", ["chat-agent,csat,5,r,2026-04"])
    assert load_metric_data(journey, responses=monthly, period="month").problems == []
    assert load_metric_data(journey, responses=answers).problems == []


def test_cli_report_shows_intervals_trends_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from journeymap.cli import main

    journey_file = tmp_path / "support.journey.yaml"
    journey_file.write_text(JOURNEY, encoding="utf-8")
    rows = csat_rows("chat-agent", 4, 710, 1000) + csat_rows("chat-agent", 5, 640, 1000)
    answers = csv(tmp_path, "a.csv", HEADER, rows)
    assert main(["report", str(journey_file), "--responses", str(answers), "--period", "month"]) == 0
    out = capsys.readouterr().out
    assert "Survey metrics: 95% confidence intervals and trends" in out
    assert "chat-agent  CSAT      64%  61–66.9%  1,000  71% → 64% over 2 months, falling (worse) · last period significant" in out
    assert main(["report", str(journey_file), "--responses", str(answers), "--period", "month", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["touchpoints"][1]["metrics"]["csat"]["trend"] == "falling"


# -- churn, retention, CLV -------------------------------------------------------------------


def test_churn_retention_and_clv_are_built_in_with_their_direction() -> None:
    assert (BUILTIN["churn"].better, BUILTIN["retention"].better, BUILTIN["clv"].better) == ("lower", "higher", "higher")
    assert parse_value(BUILTIN["churn"], "3.5%") == 0.035 and BUILTIN["retention"].format(0.92) == "92%"
    clv = spec_from_definition("clv", unit="EUR")
    assert [parse_value(clv, raw) for raw in ("1200", "1,200.50 EUR", "€1200", "EUR 80")] == [1200, 1200.5, 1200, 80]
    assert clv.format(1234.5) == "1,234 EUR" and clv.format(42.5) == "42.50 EUR"
    with pytest.raises(MetricValueError, match="is in USD, but CLV is in EUR"):
        parse_value(clv, "12 USD")
    with pytest.raises(MetricValueError, match="negative"):
        parse_value(clv, "-5")
    with pytest.raises(MetricValueError, match="outside its scale"):
        parse_value(BUILTIN["churn"], "1.5")


def test_json_gives_a_metrics_unit_where_the_text_shows_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The text and Markdown reports said "1,200 EUR"; JSON said "value": 1200 and nothing of the
    currency when the journey declares no unit."""
    from journeymap.cli import main

    root = Path(__file__).resolve().parent.parent
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period", ["rate-first-order,clv,1200 EUR,100,2026-01"])
    assert main(["report", str(root / "sample_journeys/grocery-first-order.journey.yaml"), "--metrics", str(table), "--format", "json"]) == 0
    metrics = {t["id"]: t["metrics"] for t in json.loads(capsys.readouterr().out)["touchpoints"]}
    assert (metrics["rate-first-order"]["clv"]["value"], metrics["rate-first-order"]["clv"]["unit"]) == (1200, "EUR")
    assert metrics["verify-email"]["response_time"]["unit"] == "s"  # a duration's value is in seconds
    assert metrics["create-account"]["csat"]["unit"] is None  # a share has none
    declared = load_text(
        JOURNEY.replace("  sentiment: {target: 0}\n", "  sentiment: {target: 0}\n  clv: {unit: EUR}\n")
        .replace("outcome: success}", "outcome: success, metrics: {clv: 420, retention: 90%}}")
    )
    solved = analyze(declared).to_json()["touchpoints"][2]["metrics"]
    assert (solved["clv"]["unit"], solved["retention"]["unit"]) == ("EUR", None)
    written = load_text(JOURNEY.replace("outcome: success}", "outcome: success, metrics: {clv: 420 USD}}"))
    assert analyze(written).to_json()["touchpoints"][2]["metrics"]["clv"]["unit"] == "USD"


def test_a_journey_carries_business_outcomes_against_targets() -> None:
    journey = load_text(
        JOURNEY.replace("  sentiment: {target: 0}\n", "  sentiment: {target: 0}\n  clv: {unit: EUR, target: 500}\n  churn: {target: 5%}\n")
        .replace("outcome: success}", "outcome: success, metrics: {clv: 420 EUR, churn: 7%, retention: 90%}}")
    )
    solved = analyze(journey).touchpoints["solved"]
    assert solved.reasons == ["CLV 420 EUR is below the 500 EUR target", "Churn 7% is above the 5% target"]


def test_an_amounts_interval_names_its_currency_once(tmp_path: Path) -> None:
    """A CLV interval read "1,255 EUR–1,345 EUR" where a share's reads "55–61%": the currency
    is said once, after the upper bound, in the reason, the table and on the map."""
    journey = load_text(
        JOURNEY.replace("  sentiment: {target: 0}\n", "  sentiment: {target: 0}\n  clv: {target: 1500}\n")
    )
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,n,period,sd",
                ['solved,clv,"1,300 EUR",300,2026-02,400', "chat-agent,clv,80.5,300,2026-02,20"])
    metrics = analyze(journey, metrics=table).touchpoints
    solved = metrics["solved"]
    assert solved.metrics["clv"].ci_text == "1,255–1,345 EUR"
    # (the target is written without a currency in the journey file, and shown so)
    assert solved.reasons == ["CLV 1,300 EUR is below the 1,500 target (95% CI 1,255–1,345 EUR, n=300)"]
    assert metrics["chat-agent"].metrics["clv"].ci_text == "78.23–82.77"  # written without a currency: none shown
    eur = spec_from_definition("clv", unit="EUR")
    assert ci_text(eur, (1299.996, 1300.004)) == "1,299.996–1,300.004 EUR"  # more decimals, the unit still once
    assert "95% CI 1,255–1,345 EUR" in render_html(analyze(journey, metrics=table))


def test_an_amounts_interval_writes_both_bounds_with_the_same_decimals() -> None:
    """An amount under 100 has cents and one over 100 none, so a CLV interval across 100 read
    "95.50–105 EUR": one bound to the cent, the other to the euro. Both bounds now have the decimals
    the finer needs."""
    eur = spec_from_definition("clv", unit="EUR")
    assert ci_text(eur, (95.5, 105.3)) == "95.50–105.30 EUR"
    assert ci_text(eur, (1255.2, 1345.7)) == "1,255–1,346 EUR"  # both over 100: no cents, as before
    assert ci_text(eur, (12.5, 30.25)) == "12.50–30.25 EUR"
    assert ci_text(BUILTIN["clv"], (95.5, 105.3)) == "95.50–105.30"  # without a currency too
    assert ci_text(eur, (99.996, 100.004)) == "99.996–100.004 EUR"  # never two bounds that read alike


def test_markdown_report_of_the_sample_survey_golden(golden: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample's six months in the Markdown report: intervals, trends and verbatims (a golden file)."""
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    result = analyze(
        "sample_journeys/grocery-first-order.journey.yaml",
        responses="sample_journeys/data/grocery-first-order.survey.csv",
        metrics="sample_journeys/data/grocery-first-order.history.csv",
        period="month",
    )
    assert result.data_problems == []
    golden.check("report/grocery-first-order-voice.md", render_markdown(result))  # type: ignore[attr-defined]
    assert result.touchpoints["choose-delivery-slot"].metrics["csat"].trend_meaning == "worsening"
    assert result.touchpoints["rate-first-order"].metrics["nps"].status == "low_confidence"


def test_a_comment_larger_than_the_csv_modules_cell_limit_is_read(tmp_path: Path, journey: Journey) -> None:
    huge = "slow " * 60_000  # 300,000 characters: beyond csv's default 131,072
    answers = csv(tmp_path, "a.csv", HEADER + ",comment", [f'chat-agent,csat,2,a1,2026-04-02,,"{huge}"', "chat-agent,csat,5,a2,2026-04-02,,"])
    data = load_metric_data(journey, responses=answers)
    assert [p.code for p in data.problems] == ["long-comment"]
    point = data.get("chat-agent", "csat")
    assert point is not None and point.n == 2
    assert data.verbatims["chat-agent"].comments == 1


def test_the_readme_walk_through_is_real_output(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The lines pasted in the README's voice-of-the-customer section come from this command."""
    from journeymap.cli import main

    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The voice of the customer", 1)[1].split("\n## ", 1)[0]
    pasted = section.split("--period month\n...\n", 1)[1].split("```", 1)[0]
    main([
        "report", "sample_journeys/grocery-first-order.journey.yaml",
        "--responses", "sample_journeys/data/grocery-first-order.survey.csv",
        "--metrics", "sample_journeys/data/grocery-first-order.history.csv", "--period", "month",
    ])
    out = capsys.readouterr().out.splitlines()
    lines = [line for line in pasted.splitlines() if line.strip() not in ("", "...")]
    assert len(lines) > 30
    assert [line for line in lines if line not in out] == []


def test_a_segment_column_works_like_persona_in_both_kinds_of_file(tmp_path: Path, journey: Journey) -> None:
    answers = csv(tmp_path, "a.csv", "touchpoint,metric,score,segment", [f"chat-agent,csat,{5 if i < 9 else 1},new" for i in range(10)])
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,segment", ["search-faq,csat,61%,regular"])
    data = load_metric_data(journey, responses=answers, metrics=table)
    assert data.problems == []
    assert data.personas["new"][("chat-agent", "csat")].value == 0.9
    assert data.personas["regular"][("search-faq", "csat")].value == 0.61
    assert data.get("search-faq", "csat") is None  # a persona's table row is not everyone's value


def test_a_segment_column_beside_a_persona_column_is_said_to_be_ignored(tmp_path: Path, journey: Journey) -> None:
    """With both columns the persona column is read and the segment one was passed over without a word."""
    answers = csv(tmp_path, "a.csv", "touchpoint,metric,score,persona,segment", ["chat-agent,csat,5,new,UK", "chat-agent,csat,1,,regular"])
    table = csv(tmp_path, "m.csv", "touchpoint,metric,value,segment,persona", ["search-faq,csat,61%,UK,regular"])
    data = load_metric_data(journey, responses=answers, metrics=table)
    told = sorted((p.span.file.rsplit("/", 1)[-1], p.span.line, p.span.col, p.code, p.level) for p in data.problems)
    assert told == [("a.csv", 1, 1, "unknown-column", "warning"), ("m.csv", 1, 1, "unknown-column", "warning")]
    assert all("column 'segment' is ignored: the 'persona' column names each row's persona" in p.message for p in data.problems)
    assert set(data.personas["new"]) == {("chat-agent", "csat")}  # the persona column is still read
    assert data.personas["regular"][("search-faq", "csat")].value == 0.61


def test_missing_value_marks_in_the_comment_column_are_not_comments(tmp_path: Path, journey: Journey) -> None:
    """R writes NA, a database NULL, Excel #N/A where nobody commented, and a column of scores named
    'comment' holds numbers: each was a comment with a sentiment of 0 ("16 comments, sentiment
    +0.10" for two real ones). Now one warning counts them."""
    marks = ["NA", "n/a", "#N/A", "NULL", "NaN", "None", "-", "--", " na ", "4", "-1", "4.5", "20260402123"]  # and numbers only
    rows = [f"chat-agent,csat,4,r{i},2026-04-02,,{mark}" for i, mark in enumerate(marks)]
    rows += ["chat-agent,csat,5,s1,2026-04-02,,Quick and friendly", "chat-agent,csat,2,s2,2026-04-02,,NA is not what I asked", "chat-agent,,,s3,2026-04-02,new,NA"]
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER + ",comment", rows))
    [problem] = data.problems
    assert (problem.code, problem.level, problem.span.line, problem.span.col) == ("missing-comment", "warning", 2, 34)
    assert problem.message.startswith("14 comment cells hold a missing-value mark")
    assert "nothing visible, only a number or only punctuation, or a word that there is none" in problem.message
    assert problem.message.endswith("; not counted as comments or in sentiment")
    said = data.verbatims["chat-agent"]
    assert said.comments == 2 and {q.text for q in said.quotes} <= {"Quick and friendly", "NA is not what I asked"}
    sentiment = data.get("chat-agent", "sentiment")
    assert sentiment is not None and sentiment.n == 2
    assert "new" not in data.persona_verbatims  # the persona's only comment was NA
    point = data.get("chat-agent", "csat")
    assert point is not None and point.n == 15  # the answers still count


def test_a_persona_sees_its_own_customers_comments(tmp_path: Path, journey: Journey) -> None:
    rows = [
        'chat-agent,csat,2,a1,2026-04-02,new,"Confusing menu, long wait time"',
        'chat-agent,csat,2,a2,2026-04-03,new,"long wait time again"',
        'chat-agent,csat,5,a3,2026-04-04,regular,"Friendly agent as always"',
        'search-faq,csat,5,a4,2026-04-04,regular,"Friendly agent pointed me to the FAQ"',
    ]
    answers = csv(tmp_path, "a.csv", HEADER + ",comment", rows)
    everyone = analyze(journey, responses=answers).touchpoints["chat-agent"].verbatims
    new = analyze(journey, "new", responses=answers).touchpoints["chat-agent"].verbatims
    regular = analyze(journey, "regular", responses=answers).touchpoints["chat-agent"].verbatims
    assert everyone is not None and new is not None and regular is not None
    assert (everyone.comments, new.comments, regular.comments) == (3, 2, 1)
    assert new.phrases == [("long wait", 2)]  # ties: the first alphabetically; its longer forms are skipped
    assert [q.text for q in regular.quotes] == ["Friendly agent as always"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_respondent_asked_again_over_time_is_told_the_option_that_counts_each_answer(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """A tracking survey asks each customer every quarter: without --period only the March answers were
    counted (NPS +100 where June's say 0), and the warning said nothing of the option that counts both."""
    rows = ["search-faq,nps,9,r1,2026-03-01,", "search-faq,nps,3,r1,2026-06-01,", "search-faq,nps,10,r2,2026-03-02,",
            "search-faq,nps,10,r2,2026-06-02,"]
    path = csv(tmp_path, "a.csv", HEADER, rows)
    data = load_metric_data(journey, responses=path, engine=engine)
    assert [(p.code, p.span.line) for p in data.problems] == [("duplicate-respondent", 3), ("duplicate-respondent", 5)]
    assert data.problems[0].hint == ("if the survey asks each customer again over time, give --period week, month or quarter:"
                                     " a respondent's answers in different periods are each counted")
    by_quarter = load_metric_data(journey, responses=path, period="quarter", engine=engine)
    assert by_quarter.problems == []
    nps = by_quarter.get("search-faq", "nps")
    assert nps is not None and [(p.period, p.n) for p in nps.series] == [("2026-Q1", 2), ("2026-Q2", 2)]
    undated = load_metric_data(journey, responses=csv(tmp_path, "b.csv", "touchpoint,metric,score,respondent",
                                                      ["search-faq,nps,9,r1", "search-faq,nps,3,r1"]), engine=engine)
    assert [p.hint for p in undated.problems] == [None]  # no dates: no period to give


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_bot_answering_in_many_periods_is_one_warning_naming_them(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A bot (one respondent id) answered CSAT 5 times a month for six months beside 60 customers: that was six
    duplicate-respondent warnings, one per month, each with its own rows. It is one warning naming how many periods
    and the first of them with the place of its first answer, its rows counted together."""
    rows = [f"chat-agent,csat,{4 if i % 4 else 2},r{i},2026-0{1 + i % 6}-1{i % 10}," for i in range(60)]
    rows += [f"chat-agent,csat,5,bot7,2026-0{1 + i % 6}-2{i % 8}," for i in range(30)]
    rows += ["chat-agent,csat,5,r1,2026-02-01,", "search-faq,nps,9,bot7,2026-03-01,"]  # r1 again once; bot7 elsewhere once
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER, rows), period="month", engine=engine)
    told = [(p.code, p.span.line, p.span.col, p.message, p.related) for p in data.problems]
    first = [Span(str(tmp_path / "a.csv"), line, 1) for line in (62, 63, 64)]
    assert [(code, line, col) for code, line, col, _message, _related in told] == [
        ("duplicate-respondent", 68, 19), ("duplicate-respondent", 92, 19)]
    assert told[0][3] == (
        f"respondent 'bot7' answered CSAT for 'chat-agent' more than once in each of 6 periods: 2026-01 (first at"
        f" {first[0]}), 2026-02 (first at {first[1]}), 2026-03 (first at {first[2]}), ...; only the first answer of each"
        " period and its comment are counted (24 rows: lines 68, 69, 70, 71, 72, ...)")
    assert told[0][4] == (first[0],)
    assert told[1][3].startswith("respondent 'r1' already answered CSAT for 'chat-agent' in 2026-02 at ")
    csat = data.get("chat-agent", "csat")
    assert csat is not None and [p.n for p in csat.series] == [11] * 6


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_repeated_respondents_comment_is_left_out_with_the_answer(tmp_path: Path, journey: Journey, engine: str) -> None:
    """The repeat's answer was left out and its comment counted: CSAT n=2 next to sentiment n=4. A file
    named with a copy of it (say, its gzip) doubled every comment while the answers stayed once."""
    rows = ["chat-agent,csat,5,r1,2026-04-02,,Great help", "chat-agent,csat,1,r1,2026-04-03,,Awful wait",
            "chat-agent,csat,4,r2,2026-04-03,,Fine", "chat-agent,csat,4,r2,2026-05-03,,Fine again"]
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER + ",comment", rows), period="month", engine=engine)
    [problem] = data.problems
    assert (problem.code, problem.span.line) == ("duplicate-respondent", 3)
    assert "only the first answer and its comment are counted" in problem.message
    said, csat, sentiment = data.verbatims["chat-agent"], data.get("chat-agent", "csat"), data.get("chat-agent", "sentiment")
    assert csat is not None and sentiment is not None and said.comments == sum(p.n for p in sentiment.series) == 3
    assert sum(p.n for p in csat.series) == 3
    assert "Awful wait" not in {q.text for q in said.quotes}


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_persona_that_wrote_nothing_is_shown_no_comments_not_everyones(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Every comment is a regular's: the new customer's view showed them as its own ("3 comments")."""
    rows = ['chat-agent,csat,2,a1,2026-04-02,regular,"Confusing menu, long wait time"',
            'chat-agent,csat,5,a2,2026-04-03,regular,"Friendly agent"', "chat-agent,csat,2,a3,2026-04-03,new,"]
    answers = csv(tmp_path, "a.csv", HEADER + ",comment", rows)
    data = load_metric_data(journey, responses=answers, engine=engine)
    assert data.for_persona("new").verbatims == {} and data.for_persona("regular").verbatims == data.persona_verbatims["regular"]
    assert analyze(journey, "new", data=data).touchpoints["chat-agent"].verbatims is None
    overall = analyze(journey, data=data)
    page = render_html(overall, persona_analyses=analyze_personas(journey, data=data, overall=overall))
    screen = page.split('<div class="print-map"')[0]  # (the printed sheets carry the same views)
    assert screen.count("No comments from this persona here") == 1  # the new customer's view of the chat card
    assert page.count("No comments from this persona here") == 2


def test_answers_of_a_persona_at_a_touchpoint_it_does_not_meet_are_told(tmp_path: Path) -> None:
    journey = load_text(JOURNEY.replace("{id: chat-agent, name: Chat with an agent, stage: help, channel: chat,",
                                        "{id: chat-agent, name: Chat with an agent, stage: help, channel: chat, personas: [regular],"))
    rows = csat_rows("chat-agent", 4, 3, 5, "new") + csat_rows("chat-agent", 4, 30, 40, "regular")
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER, rows))
    told = [(p.span.line, p.message) for p in data.problems if p.code == "persona-not-here"]
    assert told == [(2, "5 answers of persona 'new' are about 'chat-agent', a touchpoint the journey says 'new' does not meet:"
                        " they count for everyone, and the persona's view, without that touchpoint, does not show them")]
    assert data.points[("chat-agent", "csat")].n == 45
    # by month, a value's n is its latest month's: the warning counts every month's answers
    rows = csat_rows("chat-agent", 3, 1, 2, "new") + rows
    data = load_metric_data(journey, responses=csv(tmp_path, "b.csv", HEADER, rows), period="month")
    [told] = [p.message for p in data.problems if p.code == "persona-not-here"]
    assert told.startswith("7 answers of persona 'new'")
    # one answer is one: "1 answer of persona 'new' are about ..., they count for everyone ... does not show them"
    rows = csat_rows("chat-agent", 4, 1, 1, "new") + csat_rows("chat-agent", 4, 30, 40, "regular")
    data = load_metric_data(journey, responses=csv(tmp_path, "c.csv", HEADER, rows))
    [told] = [p.message for p in data.problems if p.code == "persona-not-here"]
    assert told == ("1 answer of persona 'new' is about 'chat-agent', a touchpoint the journey says 'new' does not meet:"
                    " it counts for everyone, and the persona's view, without that touchpoint, does not show it")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_metrics_table_row_of_a_persona_at_a_touchpoint_it_does_not_meet_is_told_as_the_personas_only(
    tmp_path: Path, engine: str
) -> None:
    """A metrics table's row for the new customers at the chat they do not meet was told "100 answers of persona
    'new' ... they count for everyone", but a table's persona row is that persona's only: everyone's CSAT stays
    the table's everyone row (70%), and the new customers' 40% shows nowhere. The warning now says so."""
    journey = load_text(JOURNEY.replace("{id: chat-agent, name: Chat with an agent, stage: help, channel: chat,",
                                        "{id: chat-agent, name: Chat with an agent, stage: help, channel: chat, personas: [regular],"))
    table = tmp_path / "m.csv"
    table.write_text("touchpoint,metric,value,n,period,persona\nchat-agent,csat,40%,100,2026-Q3,new\n"
                     "chat-agent,csat,70%,300,2026-Q3,\n", encoding="utf-8")
    data = load_metric_data(journey, metrics=table, engine=engine)
    told = [(p.span.line, p.message) for p in data.problems if p.code == "persona-not-here"]
    assert told == [(2, "a row of persona 'new' (n=100) is about 'chat-agent', a touchpoint the journey says 'new' does not"
                        " meet: a table's persona row is that persona's only, so it counts for no one, and the persona's"
                        " view, without that touchpoint, does not show it")]
    assert data.points[("chat-agent", "csat")].value == 0.7


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_personas_view_says_whose_each_value_is(tmp_path: Path, journey: Journey, engine: str) -> None:
    """`report --persona new` showed everyone's CSAT at the FAQ (answers that say no persona) beside the
    new customers' own at the chat, both as if the persona's: JSON, the text and Markdown tables and the
    map's chips now say whose each value is."""
    from journeymap.render.voice import markdown_section, text_section

    rows = csat_rows("chat-agent", 4, 10, 40, "new") + csat_rows("search-faq", 4, 30, 40, "")
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER, rows), engine=engine)
    new = analyze(journey, "new", data=data)
    assert new.touchpoints["chat-agent"].metrics["csat"].persona == "new"
    assert new.touchpoints["search-faq"].metrics["csat"].persona is None
    metrics = {t["id"]: t["metrics"] for t in new.to_json()["touchpoints"]}
    assert metrics["chat-agent"]["csat"]["persona"] == "new" and metrics["search-faq"]["csat"]["persona"] is None
    text = text_section(new)
    [faq] = [line for line in text if line.lstrip().startswith("search-faq")]
    [chat] = [line for line in text if line.lstrip().startswith("chat-agent")]
    assert " everyone's " in faq and " own " in chat and " own " not in faq
    assert any(line.strip().startswith("whose: own = the answers or rows of persona 'new'") for line in text)
    markdown = markdown_section(new, lambda s: s)
    assert "| Touchpoint | Metric | Value | 95% CI | n | Whose | Trend | Last period |" in markdown
    assert any(line.startswith("| `search-faq` |") and "| everyone's |" in line for line in markdown)
    # everyone's view has no such column
    overall = analyze(journey, data=data)
    assert "whose" not in " ".join(text_section(overall)) and "Whose" not in " ".join(markdown_section(overall, str))
    assert all(t["metrics"]["csat"]["persona"] is None for t in overall.to_json()["touchpoints"] if "csat" in t["metrics"])
    # the map: in the new customers' view the FAQ's CSAT chip is marked everyone's, the chat's is not
    html = render_html(overall, persona_analyses=analyze_personas(journey, data=data, overall=overall))
    start = html.index('<div data-metrics-for="new" hidden>')
    chips = re.findall(r'<li class="metric[^"]*">.*?</li>', html[start:], flags=re.S)
    faq_chips = [c for c in chips if "CSAT 75%" in c]
    chat_chips = [c for c in chips if "CSAT 25%" in c]
    assert faq_chips and chat_chips
    assert 'class="m-whose"' in faq_chips[0] and "Everyone's value: the data has none of this persona's own." in faq_chips[0]
    assert 'class="m-whose"' not in chat_chips[0]
    # everyone's own chips (outside the persona's) are never marked
    assert 'class="m-whose"' not in html[:html.index('<div data-metrics-for=')]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_personas_weak_reason_on_everyones_value_says_so(tmp_path: Path, journey: Journey, engine: str) -> None:
    """`report --persona new` called the FAQ weak for "CSAT 25% is below the 75% target", everyone's
    CSAT (answers that say no persona) worded as the new customers', beside their own CSAT at the
    chat: the reason now says it is everyone's value, in the text, Markdown and JSON reports and on
    the map's card, and JSON says whose value each reason rests on."""
    from journeymap.cli.report import format_text

    rows = csat_rows("chat-agent", 4, 10, 40, "new") + csat_rows("search-faq", 4, 10, 40, "")
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER, rows), engine=engine)
    new = analyze(journey, "new", data=data)
    [faq] = new.touchpoints["search-faq"].reasons
    [chat] = new.touchpoints["chat-agent"].reasons
    assert faq.startswith("CSAT 25% is below the 75% target (95% CI ")
    assert faq.endswith(", n=40) — everyone's value, none of this persona's own")
    assert "everyone's" not in chat
    touchpoints = {t["id"]: t for t in new.to_json()["touchpoints"]}
    assert touchpoints["search-faq"]["reason_whose"] == ["everyone's"]
    assert touchpoints["chat-agent"]["reason_whose"] == ["own"]
    assert touchpoints["search-faq"]["reasons"] == [faq]
    assert f"      - {faq}" in format_text(new).splitlines()
    assert "everyone's value, none of this persona's own" in render_markdown(new)
    # everyone's view: the same reason as measured, no mark, and no whose (it is everyone's by definition)
    overall = analyze(journey, data=data)
    [plain] = overall.touchpoints["search-faq"].reasons
    assert faq.startswith(plain) and "everyone's" not in plain
    assert {t["id"]: t["reason_whose"] for t in overall.to_json()["touchpoints"]}["search-faq"] == [None]
    # the map's card in the new customers' view shows the marked reason
    html = render_html(overall, persona_analyses=analyze_personas(journey, data=data, overall=overall))
    blob = json.loads(re.search(r'<script type="application/json" id="jm-data">(.*?)</script>', html, re.S).group(1))
    [shown] = blob["personas"]["new"]["reasons"]["search-faq"]
    assert shown.endswith("— everyone's value, none of this persona's own")


def test_a_friction_or_emotion_reason_rests_on_no_ones_value(tmp_path: Path) -> None:
    """A friction or emotion reason is the journey's design, not a measured value: whose is null."""
    journey = load_text(JOURNEY.replace("channel: chat, next:", "channel: chat, emotion: -2, next:"))
    rows = csat_rows("chat-agent", 4, 10, 40, "new")
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER, rows))
    new = analyze(journey, "new", data=data)
    chat = {t["id"]: t for t in new.to_json()["touchpoints"]}["chat-agent"]
    assert chat["reasons"][-1].startswith("emotion -2") and chat["reason_whose"] == ["own", None]


def test_a_personas_note_on_everyones_value_says_so(tmp_path: Path, journey: Journey) -> None:
    """A low-confidence miss in the new customers' view on everyone's 5 answers at the FAQ ("CSAT 20%
    misses the 75% target but rests on only 5 responses") read as theirs: the note says whose it is."""
    rows = csat_rows("chat-agent", 4, 10, 40, "new") + csat_rows("search-faq", 4, 1, 5, "")
    data = load_metric_data(journey, responses=csv(tmp_path, "a.csv", HEADER, rows))
    [note] = analyze(journey, "new", data=data).touchpoints["search-faq"].notes
    assert note == ("CSAT 20% misses the 75% target but rests on only 5 responses"
                    " — everyone's value, none of this persona's own")
    [plain] = analyze(journey, data=data).touchpoints["search-faq"].notes
    assert plain == "CSAT 20% misses the 75% target but rests on only 5 responses"
