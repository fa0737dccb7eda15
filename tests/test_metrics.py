"""The metric catalogue and NPS / CSAT / CES computed from raw survey answers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeymap import metrics
from journeymap.metrics import BUILTIN, MetricValueError


def test_nps_worked_example_is_zero() -> None:
    # 4 promoters (9, 9, 9, 10) and 4 detractors (1, 2, 3, 5) of 10: 40% - 40%
    assert metrics.nps([1, 2, 3, 5, 7, 8, 9, 9, 9, 10]) == 0.0


def test_nps_thirty_percent_promoters_twenty_percent_detractors_is_plus_ten() -> None:
    scores = [9, 10, 10] + [0, 6] + [7, 8, 7, 8, 8]
    assert metrics.nps(scores) == pytest.approx(10.0)
    assert metrics.nps([10] * 30 + [6] * 20 + [8] * 50) == pytest.approx(10.0)


def test_nps_bounds_and_the_boundaries_of_each_group() -> None:
    assert metrics.nps([9, 10]) == 100.0
    assert metrics.nps([0, 6]) == -100.0
    assert metrics.nps([7, 8]) == 0.0  # passives count in n only
    assert metrics.nps([6, 7, 9]) == pytest.approx(0.0)


def test_csat_is_the_share_of_fours_and_fives() -> None:
    assert metrics.csat([5, 4, 3, 2, 1, 5]) == 0.5
    assert metrics.csat([3, 3]) == 0.0
    assert metrics.csat([4]) == 1.0


def test_ces_is_the_mean() -> None:
    assert metrics.ces([7, 6, 2]) == 5.0
    assert metrics.ces([1, 2]) == 1.5
    assert metrics.ces([0.1] * 10) == pytest.approx(0.1)


def test_no_responses_is_an_error_not_a_zero() -> None:
    for compute in (metrics.nps, metrics.csat, metrics.ces):
        with pytest.raises(ValueError):
            compute([])


def test_from_responses_gives_value_and_n() -> None:
    assert metrics.from_responses("csat", [5, 4, 3, 2, 1, 5]) == (0.5, 6)
    assert metrics.from_responses("nps", [1, 2, 3, 5, 7, 8, 9, 9, 9, 10]) == (0.0, 10)
    assert metrics.from_responses("ces", [4, 5]) == (4.5, 2)


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=200))
def test_nps_stays_on_its_scale_and_matches_the_percentages(scores: list[int]) -> None:
    value = metrics.nps(scores)
    assert -100 <= value <= 100
    promoters = 100 * sum(s >= 9 for s in scores) / len(scores)
    detractors = 100 * sum(s <= 6 for s in scores) / len(scores)
    assert value == pytest.approx(promoters - detractors)


@pytest.mark.parametrize(
    ("metric", "raw", "expected"),
    [("nps", "0", 0), ("nps", "10", 10), ("nps", 9, 9), ("csat", " 5 ", 5), ("ces", "7.0", 7), ("ces", "1", 1)],
)
def test_parse_score_reads_whole_numbers_on_the_answer_scale(metric: str, raw: object, expected: int) -> None:
    assert metrics.parse_score(metric, raw) == expected


@pytest.mark.parametrize(
    ("metric", "raw", "message"),
    [
        ("nps", "11", "NPS score 11 is off the 0..10 answer scale"),
        ("nps", "-1", "NPS score -1 is off the 0..10 answer scale"),
        ("csat", "0", "CSAT score 0 is off the 1..5 answer scale"),
        ("csat", "6", "CSAT score 6 is off the 1..5 answer scale"),
        ("ces", "8", "CES score 8 is off the 1..7 answer scale"),
        ("csat", "four", "CSAT score 'four' is not a number"),
        ("csat", "4.5", "CSAT score 4.5 is not a whole number"),
        ("nps", None, "NPS score must be a whole number 0..10"),
        ("nps", True, "NPS score must be a whole number 0..10"),
    ],
)
def test_parse_score_rejects_answers_off_the_scale(metric: str, raw: object, message: str) -> None:
    with pytest.raises(MetricValueError, match="^" + message.replace(".", r"\.").replace("(", r"\(")):
        metrics.parse_score(metric, raw)


def test_parse_score_hints_when_a_computed_value_is_given_as_an_answer() -> None:
    with pytest.raises(MetricValueError) as caught:
        metrics.parse_score("csat", "0.8")
    assert caught.value.hint is not None and "--metrics" in caught.value.hint


def _hint(metric: str, raw: str) -> str | None:
    with pytest.raises(MetricValueError) as caught:
        metrics.parse_value(BUILTIN[metric], raw)
    return caught.value.hint


MEAN_RATING = ("looks like a mean rating on a 1..5 scale, which is not a CSAT share: a CSAT value is the share of"
               " satisfied answers (4 and 5 of 1..5), such as 71%; compute it from the answers (--responses), or give that share")


def test_a_csat_written_as_a_mean_rating_is_not_taken_for_a_percentage() -> None:
    """A CSAT of 4.2 (Zendesk's or an app store's mean rating) was told "did you mean 4.2%?": following
    the hint wrote a catastrophe into the data. 70 is still 70%, and so is a churn of 4.2."""
    assert _hint("csat", "4.2") == f"4.2 {MEAN_RATING}"
    assert _hint("csat", "1.5") == f"1.5 {MEAN_RATING}"
    assert _hint("csat", "5.5") is not None and "mean rating on a 1..7 scale" in _hint("csat", "5.5")
    assert _hint("csat", "70") == "did you mean 70%?"
    assert _hint("csat", "9") == "did you mean 9%?"
    assert _hint("churn", "4.2") == "did you mean 4.2%?"


@pytest.mark.parametrize(("metric", "raw", "hint"), [
    ("csat", "4.2/5", f"4.2/5 {MEAN_RATING}"),
    ("csat", "71/100", "write 71%"),
    ("csat", "4 out of 5", f"4 out of 5 {MEAN_RATING}"),
    ("nps", "35 pts", "write the number alone: 35"),
    ("nps", "+35 points", "write the number alone: +35"),
    ("ces", "5.5/7", "write the number alone: 5.5"),
    ("ces", "4.2/5", "write the value on the metric's own scale, 1..7"),
    ("churn", "3/40", "write it as a share: 7.5%"),
])
def test_a_value_written_with_its_scale_or_unit_gets_a_hint_naming_what_to_write(metric: str, raw: str, hint: str) -> None:
    assert _hint(metric, raw) == hint


def test_an_integer_past_the_largest_float_is_a_value_error_not_an_overflow() -> None:
    with pytest.raises(MetricValueError, match="too large"):
        metrics.parse_value(BUILTIN["volume"], 10**400)


@pytest.mark.parametrize(("raw", "message"), [
    ("120%", "CSAT 120% is outside its scale 0%..100%"),
    ("-5%", "CSAT -5% is outside its scale 0%..100%"),
    ("1.5", "CSAT 1.5 is outside its scale 0..1"),
])
def test_a_share_off_its_scale_is_told_in_the_unit_it_is_written_in(raw: str, message: str) -> None:
    """'120%' was "outside its scale 0..1": a percentage against a scale written as a fraction."""
    with pytest.raises(MetricValueError) as caught:
        metrics.parse_value(BUILTIN["csat"], raw)
    assert str(caught.value.args[0]) == message


@pytest.mark.parametrize(("metric", "raw", "hint"), [
    ("csat", "120%", "a share is at most 100%: write the share itself, between 0% and 100%, such as 71% or 0.71"),
    ("csat", "150", "a share is at most 100%: write the share itself, between 0% and 100%, such as 71% or 0.71"),
    ("churn", "-2%", "a share is never below 0% (-2% may be a change between periods): write the share itself, between"
                     " 0% and 100%"),
    ("nps", "150", "an NPS is the percentage of promoters less that of detractors, from -100 to +100: write that, such as +32"),
    ("ces", "9", "a CES is the mean answer on the 1..7 scale, such as 5.2: answers on another scale make a metric of their own,"
                 " declared in the journey with its scale (metrics: {ces_10: {scale: [1, 10], better: higher}})"),
    ("ces", "0", "a CES is the mean answer on the 1..7 scale, such as 5.2: answers on another scale make a metric of their own,"
                 " declared in the journey with its scale (metrics: {ces_10: {scale: [1, 10], better: higher}})"),
    ("sentiment", "3", "write a value on Sentiment's scale, -1..1"),
    ("response_time", "-30", "a duration is never negative (a difference of two times taken the wrong way round?): write the"
                             " time itself, such as 30s"),
    ("response_time", "-5m", "a duration is never negative (a difference of two times taken the wrong way round?): write the"
                             " time itself, such as 5m"),
    ("volume", "-3", "a count is never negative (-3 may be a change between periods): write the count itself"),
    ("clv", "-120", "write the amount itself, 0 or more (-120 may be a change between periods)"),
])
def test_a_value_off_its_scale_is_told_what_to_write(metric: str, raw: str, hint: str) -> None:
    """CSAT 120%, NPS 150, CES 9, a negative response time as BI exports write them: each error had no hint."""
    assert _hint(metric, raw) == hint


@pytest.mark.parametrize(("raw", "hint"), [
    ("PT5M", "an ISO 8601 duration: write 5m"),
    ("PT1H30M", "an ISO 8601 duration: write 1h30m"),
    ("P1DT2H", "an ISO 8601 duration: write 1d2h"),
    ("300000 ms", "milliseconds are not read: write 5m"),
    ("1500ms", "milliseconds are not read: write 1.5s"),
    ("00:05:00.000", "write 5m"),
    ("0 days 00:05:30", "write 5m30s"),
    ("5,5 min", "write the decimal point as a dot: 5.5 min"),
    ("5 Min.", "write 5m"),
    ("5'30\"", "write 5m30s"),
])
def test_a_response_time_as_bi_tools_and_databases_export_it_is_told_the_duration_to_write(raw: str, hint: str) -> None:
    """Power BI's and a database's ISO 8601 durations, milliseconds, pandas' '0 days 00:05:30', a clock with its fraction,
    a decimal comma: each was told "write a duration like 45s, 2m, 1h30m, 3d", not the one it is."""
    assert _hint("response_time", raw) == hint


@pytest.mark.parametrize(("metric", "raw", "hint"), [
    ("csat", "'74%", "the apostrophe that keeps a spreadsheet's cell as text was exported with it: write 74%"),
    ("nps", "\u201932", "the apostrophe that keeps a spreadsheet's cell as text was exported with it: write 32"),
    ("csat", '="75%"', "a spreadsheet formula was exported, not its value: write 75%"),
    ("clv", "=1200", "a spreadsheet formula was exported, not its value: write 1200"),
    ("nps", "(12)", "an accounting number format writes a negative number in brackets: write -12"),
    ("nps", "(12.5)", "an accounting number format writes a negative number in brackets: write -12.5"),
    ("csat", "(12)", "write a number, 0..1, or a percentage like 82%"),  # no share is negative
    ("csat", "####", "'####' is what a spreadsheet shows when its column is too narrow for the number: widen the column"
                     " before exporting, and export again"),
    ("nps", "TRUE", "'TRUE' is a spreadsheet's yes or no (a checkbox, or a formula's comparison), not a value: write the"
                    " number, or leave the row out"),
])
def test_a_value_a_spreadsheet_wrapped_is_told_the_number_inside(metric: str, raw: str, hint: str) -> None:
    """Excel's text apostrophe ('74%), a formula exported as written (="75%") and an accounting format's negative NPS
    ((12)) were told "write a number", not the number in them."""
    assert _hint(metric, raw) == hint


NEGATIVE_CLV = "write the amount itself, 0 or more (-12 EUR may be a change between periods)"


@pytest.mark.parametrize(("metric", "raw", "hint"), [
    ("clv", "(12) EUR", f"an accounting number format writes a negative number in brackets, so '(12) EUR' is -12 EUR; {NEGATIVE_CLV}"),
    ("clv", "(€12)", f"an accounting number format writes a negative number in brackets, so '(€12)' is -12 EUR; {NEGATIVE_CLV}"),
    ("clv", "EUR (12)", f"an accounting number format writes a negative number in brackets, so 'EUR (12)' is -12 EUR; {NEGATIVE_CLV}"),
    ("clv", "12 EUR-", "a minus after a number (as SAP and accounting exports write one) goes before it, so '12 EUR-' is"
                       f" -12 EUR; {NEGATIVE_CLV}"),
    ("nps", "12-", "a minus after a number (as SAP and accounting exports write one) goes before it: write -12"),
    ("csat", "(71%)", "an accounting number format writes a negative number in brackets, so '(71%)' is -71%; a share is never"
                      " below 0% (-71% may be a change between periods): write the share itself, between 0% and 100%"),
    ("csat", "4-5", "'4-5' is a range of answers, not a value: a CSAT value is the share of answers that are 4 or 5, written"
                    " as a percentage such as 71%"),
    ("csat", "70%-80%", "'70%-80%' is a range (70% to 80%), not one value: write the value itself, one number"),
    ("ces", "3 – 4", "'3 – 4' is a range (3 to 4), not one value: write the value itself, one number"),
])
def test_a_negative_amount_or_a_range_as_exports_write_them_is_told_what_it_is(metric: str, raw: str, hint: str) -> None:
    """'(12) EUR', '12 EUR-' and '4-5' were told "write an amount as a number with its currency's code" or "write a
    number", not what they are."""
    assert _hint(metric, raw) == hint


def test_a_negative_amount_of_a_metric_that_takes_one_is_told_the_amount_to_write() -> None:
    margin = metrics.MetricSpec("margin", "Margin", None, None, "higher", kind="amount", builtin=False)
    told = {}
    for raw in ("(12) EUR", "(€1,200.50)", "12 EUR-", "-€12"):
        with pytest.raises(MetricValueError) as caught:
            metrics.parse_value(margin, raw)
        told[raw] = caught.value.hint
    assert told == {
        "(12) EUR": "an accounting number format writes a negative number in brackets: write -12 EUR",
        "(€1,200.50)": "an accounting number format writes a negative number in brackets: write -1,200.50 EUR",
        "12 EUR-": "a minus after a number (as SAP and accounting exports write one) goes before it: write -12 EUR",
        "-€12": "the minus goes with the number, not before its currency sign: write -12 EUR",
    }
    assert metrics.parse_value(margin, "-1,200.50 EUR") == -1200.5  # the value each hint names is read


@pytest.mark.parametrize(("metric", "raw", "which"), [("csat", "4-5", "4 or 5"), ("nps", "9–10", "9 or 10"),
                                                      ("ces", "3 - 4", "3 or 4"), ("nps", "0-6", "one of 0 to 6")])
def test_a_score_written_as_a_range_is_told_to_write_the_answer_given(metric: str, raw: str, which: str) -> None:
    with pytest.raises(MetricValueError) as caught:
        metrics.parse_score(metric, raw)
    assert caught.value.hint == (f"'{raw}' is a range of answers, not one: a score is one respondent's answer; write the"
                                 f" answer given, {which}")


def test_a_custom_metrics_value_off_its_scale_is_told_the_scale_the_journey_declares() -> None:
    fcr = metrics.MetricSpec("fcr", "FCR", 0, 10, "higher", builtin=False)
    with pytest.raises(MetricValueError) as caught:
        metrics.parse_value(fcr, "12")
    assert caught.value.hint == "write a value on its scale, 0..10, or change the scale the journey declares for fcr"


def test_existing_parsing_still_reads_percentages_and_durations() -> None:
    assert metrics.parse_value(BUILTIN["csat"], "82%") == pytest.approx(0.82)
    assert metrics.parse_value(BUILTIN["response_time"], "7m") == 420.0
    assert metrics.format_value(BUILTIN["nps"], 12) == "+12"


def test_catalogue_adds_custom_metrics_and_keeps_builtins_fixed() -> None:
    from journeymap.model import MetricDef

    specs = metrics.catalogue(
        {"fcr": MetricDef(label="First-contact resolution", scale=[0, 1], better="higher", target=0.7),
         "csat": MetricDef(target=0.8)}
    )
    assert specs["fcr"].better == "higher" and specs["fcr"].kind == "fraction"
    assert specs["csat"] == BUILTIN["csat"]
    assert set(BUILTIN) <= set(specs)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("3 minutes", 180.0),
        ("1 hour 30 min", 5400.0),
        ("2 days", 172800.0),
        ("10 mins", 600.0),
        ("1d2h3m4s", 93784.0),
        ("2 hrs", 7200.0),
        ("5 sec", 5.0),
    ],
)
def test_durations_in_words(text: str, seconds: float) -> None:
    assert metrics.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["3 meters", "minutes", "3 minutesx", "1:30", "2 weeks"])
def test_not_durations(text: str) -> None:
    assert metrics.parse_duration(text) is None


def test_a_response_time_too_large_to_be_a_measurement_is_told_in_a_few_figures() -> None:
    """1e300 in a journey file (which has no 1e15 ceiling) was written out in 300 digits, its years in 290 more."""
    from journeymap.metrics import check_plausible

    with pytest.raises(MetricValueError) as told:
        check_plausible(BUILTIN["response_time"], 1e300, 1e300)
    assert str(told.value) == ("Response time 1e+300 is about 3.2e+292 years: over a year is implausible for a response"
                               " time; it is read as written")
    assert told.value.hint == "is it a value from another column, or an ID?"
    check_plausible(BUILTIN["response_time"], "365d", 365 * 86_400.0)  # a year is not over a year
    check_plausible(BUILTIN["csat"], 1, 1.0)  # no ceiling of plausibility: nothing to say
