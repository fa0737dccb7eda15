"""Metrics-table rows with an n carry a 95% interval and take part in the confidence rule and
the tests of change: Wilson for shares, NPS with its promoter and detractor shares, t for a
mean with its sd; where none applies the report says why."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from scipy import stats as scipy_stats  # type: ignore[import-untyped]

from journeymap.analysis import analyze
from journeymap.data import load_metric_data
from journeymap.loader import load_text
from journeymap.model import Journey
from journeymap.render.markdown import render_markdown
from journeymap.stats import NO_INTERVAL, nps_sample, wilson
from tests.test_voice import JOURNEY

HEADER = "touchpoint,metric,value,n,period,sd,promoters,detractors"


@pytest.fixture
def journey() -> Journey:
    return with_targets("  nps: {target: 30}\n  ces: {target: 5}\n  churn: {target: 0.1}\n")


def with_targets(lines: str, tail: str = "") -> Journey:
    return load_text(JOURNEY.replace("  sentiment: {target: 0}\n", "  sentiment: {target: 0}\n" + lines) + tail)


def table(tmp_path: Path, rows: list[str], header: str = HEADER, name: str = "m.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def metric(journey: Journey, path: Path, name: str, tp: str = "chat-agent") -> dict[str, object]:
    data = analyze(journey, metrics=path).to_json()
    result = next(t for t in data["touchpoints"] if t["id"] == tp)
    return dict(result["metrics"][name], _reasons=result["reasons"], _notes=result["notes"], _weak=result["weak"])


def test_a_share_with_n_has_the_wilson_interval(tmp_path: Path, journey: Journey) -> None:
    path = table(tmp_path, ["chat-agent,csat,58%,1240,,,,", "chat-agent,churn,12%,400,,,,"])
    csat = metric(journey, path, "csat")
    low, high = wilson(0.58 * 1240, 1240)
    assert csat["ci"] == [round(low, 6), round(high, 6)] and csat["ci_note"] is None
    # The issue's own example: "CSAT 58% (95% CI 55–61%, n=1,240)"
    assert "CSAT 58% is below the 75% target (95% CI 55.2–60.7%, n=1,240)" in csat["_reasons"]
    churn = metric(journey, path, "churn")
    assert churn["ci"] == [round(x, 6) for x in wilson(0.12 * 400, 400)]
    # 12% churn against a 10% target: the interval 9.2–15.5% includes it, so a note, not a reason.
    assert churn["status"] == "low_confidence"
    assert any("Churn 12% misses the 10% target, but its 95% CI 9.2–15.6% (n=400) includes the target" in n for n in churn["_notes"])
    assert not any("Churn" in r for r in csat["_reasons"])


def test_a_miss_whose_table_interval_straddles_the_target_cannot_make_it_weak(tmp_path: Path, journey: Journey) -> None:
    path = table(tmp_path, ["chat-agent,csat,70%,50,,,,"])  # 95% CI 56–81% includes 75%
    csat = metric(journey, path, "csat")
    assert csat["status"] == "low_confidence" and csat["_weak"] is False and csat["_reasons"] == []
    assert csat["_notes"] == ["CSAT 70% misses the 75% target, but its 95% CI 56.2–80.9% (n=50) includes the target"]


def test_nps_with_n_alone_says_why_there_is_no_interval(tmp_path: Path, journey: Journey) -> None:
    path = table(tmp_path, ["chat-agent,nps,20,100,,,,"])
    nps = metric(journey, path, "nps")
    assert nps["ci"] is None and nps["ci_note"] == NO_INTERVAL["nps"]
    # no interval to weigh it: a plain miss, as before
    assert nps["status"] == "below_target" and nps["_weak"] is True


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_nps_written_on_a_minus_one_to_one_scale_is_told_with_the_nps_it_means(tmp_path: Path, journey: Journey, engine: str) -> None:
    """NPS 0.30 after 35 read as +0.3: a collapse, without a word. It is read as written (a weighted
    NPS may be +0.5), with a warning."""
    from journeymap.data import load_metric_data

    path = table(tmp_path, ["chat-agent,nps,35,100,2026-01,,,", "chat-agent,nps,0.30,100,2026-02,,,",
                            "chat-agent,nps,-0.05,100,2026-03,,,", "chat-agent,nps,0,100,2026-04,,,"])
    data = load_metric_data(journey, metrics=path, engine=engine)
    told = [(p.span.line, p.level, p.message, p.hint) for p in data.problems if p.code == "nps-scale"]
    assert told == [
        (3, "warning", "NPS 0.30 looks written on a -1..1 scale, but NPS runs from -100 to +100; it is read as written", "did you mean +30?"),
        (4, "warning", "NPS -0.05 looks written on a -1..1 scale, but NPS runs from -100 to +100; it is read as written", "did you mean -5?"),
    ]
    assert [p.value for p in data.points[("chat-agent", "nps")].series] == [35, 0.3, -0.05, 0]
    # one period of a metrics table is a series of one in JSON, as answers' are
    nps = metric(journey, table(tmp_path, ["chat-agent,nps,35,100,2026-01,,,"], name="one.csv"), "nps")
    assert nps["series"] == [{"period": "2026-01", "value": 35, "n": 100}] and nps["trend"] is None


def test_nps_with_its_shares_has_the_multinomial_interval(tmp_path: Path, journey: Journey) -> None:
    path = table(tmp_path, ["chat-agent,nps,+20,100,,,45%,25%"])
    nps = metric(journey, path, "nps")
    sample = nps_sample(45, 25, 100)
    half = 1.959963984540054 * math.sqrt(sample.variance / 100)
    assert nps["ci"] == [round(20 - half, 6), round(20 + half, 6)] and nps["ci_note"] is None
    # +20 against +30 with a CI of about +3.4 to +36.6: low confidence, not weak
    assert nps["status"] == "low_confidence" and nps["_weak"] is False


def test_a_mean_needs_its_sd_and_then_has_the_t_interval(tmp_path: Path, journey: Journey) -> None:
    path = table(tmp_path, ["chat-agent,ces,4.6,40,,1.5,,", "search-faq,ces,4.6,40,,,,"])
    ces = metric(journey, path, "ces")
    t = scipy_stats.t.interval(0.95, 39, loc=4.6, scale=1.5 / math.sqrt(40))
    assert ces["ci"] == pytest.approx([t[0], t[1]], abs=1e-6)
    assert ces["status"] == "low_confidence"  # 4.12–5.08 includes 5
    bare = metric(journey, path, "ces", "search-faq")
    assert bare["ci"] is None and bare["ci_note"] == NO_INTERVAL["mean"]
    assert bare["status"] == "below_target"


def test_a_mean_interval_stays_on_the_metrics_scale(tmp_path: Path, journey: Journey) -> None:
    """Two CES answers, 1 and 7: Student's t interval is 4 +- 38, and the report said
    "-34.12 to 42.12" on a 1..7 scale; a response time's interval went below 0 s."""
    answers = tmp_path / "a.csv"
    answers.write_text("touchpoint,metric,score,respondent\nchat-agent,ces,1,a\nchat-agent,ces,7,b\n", encoding="utf-8")
    t = scipy_stats.t.interval(0.95, 1, loc=4, scale=math.sqrt(18) / math.sqrt(2))
    assert t[0] < 1 and t[1] > 7
    ces = analyze(journey, responses=answers).to_json()
    point = next(x for x in ces["touchpoints"] if x["id"] == "chat-agent")["metrics"]["ces"]
    assert point["ci"] == [1.0, 7.0]
    rt = metric(with_targets("  response_time: {target: 5m}\n"), table(tmp_path, ["chat-agent,response_time,30s,3,,5m,,"]), "response_time")
    half = scipy_stats.t.ppf(0.975, 2) * 300 / math.sqrt(3)
    assert 30 - half < 0 and rt["ci"] == pytest.approx([0.0, 30 + half], abs=1e-6)


def test_a_duration_sd_is_read_on_its_own_scale(tmp_path: Path) -> None:
    journey = with_targets("  response_time: {target: 5m}\n")
    path = table(tmp_path, ["chat-agent,response_time,6m,200,,3m,,"])
    rt = metric(journey, path, "response_time")
    half = scipy_stats.t.ppf(0.975, 199) * 180 / math.sqrt(200)
    assert rt["ci"] == pytest.approx([360 - half, 360 + half], abs=1e-6)
    assert rt["status"] == "above_target"  # 5m is outside 5.6m–6.4m


def test_changes_between_table_periods_are_tested_like_answers(tmp_path: Path, journey: Journey) -> None:
    rows = [
        "chat-agent,csat,80%,1000,2026-Q1,,,",
        "chat-agent,csat,76%,1000,2026-Q2,,,",
        "chat-agent,ces,5.4,300,2026-Q1,1.3,,",
        "chat-agent,ces,5.2,250,2026-Q2,1.4,,",
    ]
    path = table(tmp_path, rows)
    csat = metric(journey, path, "csat")
    # Pearson's chi-square without continuity correction is the pooled two-proportion z test.
    chi = scipy_stats.chi2_contingency([[800, 200], [760, 240]], correction=False)
    assert (chi.pvalue < 0.05) == csat["significant_change"] is True
    ces = metric(journey, path, "ces")
    welch = scipy_stats.ttest_ind_from_stats(5.4, 1.3, 300, 5.2, 1.4, 250, equal_var=False)
    assert welch.pvalue > 0.05 and ces["significant_change"] is False
    assert csat["trend"] == "falling"  # two periods with n: the weighted slope is the z test of the difference


def test_a_significant_table_fall_is_a_weak_signal_when_asked(tmp_path: Path) -> None:
    journey = with_targets("", "weak: {worsening: true}\n")
    path = table(tmp_path, ["search-faq,csat,90%,1000,2026-Q1,,,", "search-faq,csat,85%,1000,2026-Q2,,,"])
    faq = metric(journey, path, "csat", "search-faq")
    assert faq["_weak"] is True
    assert faq["_reasons"] == ["CSAT 90% → 85% over 2 quarters, falling (worse): a significant change for the worse"]


def test_bad_summary_cells_are_errors_with_their_place_and_the_row_is_skipped(tmp_path: Path, journey: Journey) -> None:
    rows = [
        "chat-agent,nps,+20,100,,,45%,35%",  # 45 - 35 = +10, not +20
        "search-faq,nps,+20,100,,,70%,50%",  # more than 100%
        "solved,nps,+20,100,,,45%,",  # one share only
        "chat-agent,ces,4.6,40,,-1,,",  # a negative sd
        "search-faq,ces,4.6,40,,lots,,",  # not a number
        "chat-agent,csat,70%,50,,0.2,,",  # sd on a share: ignored
        "search-faq,csat,70%,50,,,10%,5%",  # shares on CSAT: ignored
    ]
    path = table(tmp_path, rows)
    data = load_metric_data(journey, metrics=path)
    told = {(p.span.line, p.span.col, p.code, p.level) for p in data.problems}
    assert told == {
        (2, 26, "invalid-share", "error"),
        (3, 26, "invalid-share", "error"),
        (4, 22, "invalid-share", "error"),
        (5, 24, "invalid-sd", "error"),
        (6, 24, "invalid-sd", "error"),
        (7, 25, "ignored-cell", "warning"),
        (8, 26, "ignored-cell", "warning"),
    }
    messages = " | ".join(p.message for p in data.problems)
    assert "NPS +20 does not match promoters 45% minus detractors 35% (+10)" in messages
    assert "add up to more than 100%" in messages and "detractors share is blank" in messages
    # Skipped rows are skipped (and said); the share rows with an ignored cell are kept.
    assert data.get("chat-agent", "nps") is None and data.get("chat-agent", "ces") is None
    assert data.get("chat-agent", "csat") is not None and data.get("search-faq", "csat") is not None


@pytest.mark.parametrize(
    ("row", "col", "code", "told"),
    [
        ("chat-agent,ces,4.5,100,2026-Q3,1e200,,", 32, "invalid-sd", "CES sd '1e200' is too large"),  # OverflowError
        ("chat-agent,ces,4.5,100,2026-Q3,1e300,,", 32, "invalid-sd", "CES sd '1e300' is too large"),  # ZeroDivisionError
        ("chat-agent,response_time,1e300,100,2026-Q3,1,,", 26, "metric-value", "Response time value '1e300' is too large"),
        ("chat-agent,response_time,1e308,,2026-Q3,,,", 26, "metric-value", "Response time value '1e308' is too large"),
        ("chat-agent,ces,4.5,1e300,2026-Q3,1,,", 20, "invalid-count", "n '1e300' is too large"),
    ],
)
def test_numbers_too_large_for_the_arithmetic_are_errors_not_an_internal_error(
    tmp_path: Path, journey: Journey, row: str, col: int, code: str, told: str
) -> None:
    """sd 1e200 or a value of 1e300 beside two good periods stopped the report with exit 3
    (OverflowError or ZeroDivisionError in the trend); now the row is an error at its cell."""
    metric_name = row.split(",")[1]
    good = [f"chat-agent,{metric_name},{v},100,{p},1,," for v, p in (("4.1" if metric_name == "ces" else "5m", "2026-Q1"), ("4.3" if metric_name == "ces" else "6m", "2026-Q2"))]
    path = table(tmp_path, [*good, row])
    data = load_metric_data(journey, metrics=path)
    [problem] = data.problems
    assert (problem.span.line, problem.span.col, problem.code, problem.level) == (4, col, code, "error")
    assert f"{told}: journeymap reads numbers up to 1e15" in problem.message
    result = analyze(journey, metrics=path).to_json()  # and the report is made from the two good rows
    point = next(t for t in result["touchpoints"] if t["id"] == "chat-agent")["metrics"][metric_name]
    assert [s["period"] for s in point["series"]] == ["2026-Q1", "2026-Q2"]
    # 1e15 itself is read (an sd of 1e15 then is one no answers on 1..7 can have: test_an_sd_no_answers_...)
    errors = load_metric_data(journey, metrics=table(tmp_path, [*good, row.replace(told.split("'")[1], "1e15")], name="ok.csv")).errors
    assert [e.message.split(" is more than")[0] for e in errors] == (["CES sd 1e15"] if code == "invalid-sd" else [])


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_n_with_commas_between_thousands_is_read_with_one_warning(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Excel's and Sheets' '#,##0' format writes n as "1,240" (quoted in a CSV): each such row was an error and left out,
    though an n is a whole number and 1,240 in groups of three can only be 1240. Read so, with one warning for the file;
    a comma that is not between groups of three ('1,24') or a decimal comma ('1,5') stays an error saying what to write."""
    path = table(tmp_path, ['chat-agent,csat,58%,"1,240",2026-01,,,', 'chat-agent,csat,61%,"12,400",2026-02,,,',
                            'search-faq,csat,58%,"1,5",,,,', 'search-faq,ces,4.1,"1,24",,0.9,,',
                            'chat-agent,ces,4.2," 1,000,000 ",,1.1,,', 'search-faq,nps,30,"2,050.00",,,,'])
    data = load_metric_data(journey, metrics=path, engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.level, p.message, p.hint) for p in data.problems] == [
        (2, 21, "comma-thousands", "warning", "the file writes n with a comma between thousands, as Excel's and Sheets'"
         " number format '#,##0' exports a count: n is a whole number, so they are read so, '1,240' as 1240 (4 cells)",
         "nothing to do; write n without thousands separators (1240) to leave this out"),
        # a decimal comma is told as in every numeric cell (it said only what n is)
        (4, 21, "invalid-count", "error", "n '1,5' is not a whole number >= 0",
         "write the decimal point as a dot: 1.5 (n is the number of responses behind the value, a whole number)"),
        (5, 20, "invalid-count", "error", "n '1,24' is not a whole number >= 0",
         "write n as the whole number of responses, with digits alone: a comma between thousands is read only in groups of"
         " three (1,240)"),
    ]
    csat, ces = data.get("chat-agent", "csat"), data.get("chat-agent", "ces")
    assert csat is not None and [(p.period, p.n) for p in csat.series] == [("2026-01", 1240), ("2026-02", 12400)]
    assert ces is not None and ces.n == 1_000_000
    nps = data.get("search-faq", "nps")  # '#,##0.00': its decimals are zeros
    assert nps is not None and nps.n == 2050
    assert data.get("search-faq", "csat") is None and data.get("search-faq", "ces") is None
    # a semicolon file read with decimal commas keeps '1,240' an error (1.24 there, or 1240?), as its warning says
    rows = ["chat-agent;csat;71,5 %;1,240", "search-faq;csat;60 %;300"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint;metric;value;n", name="de.csv"), engine=engine)
    assert [(p.span.line, p.code) for p in data.problems] == [(2, "decimal-comma"), (2, "invalid-count")]
    # a Parquet file's n is a number: a text '1,240' there is no export's number format, and is told as before
    import duckdb

    parquet = tmp_path / "m.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT 'chat-agent' AS touchpoint, 'csat' AS metric, '58%' AS value, '1,240' AS n) TO '{parquet}'"
                " (FORMAT parquet)")
    con.close()
    data = load_metric_data(journey, metrics=parquet, engine="duckdb")
    assert [(p.span.line, p.code, p.hint) for p in data.problems] == [(2, "invalid-count", "write n without thousands separators: 1240")]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_volume_or_clv_with_commas_between_thousands_is_read_with_the_ns_one_warning(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """A BI export's '#,##0' writes every count and amount so: a volume of "1,240" was an error ("write the decimal point
    as a dot: 1.240"), each row left out, while a CLV of "1,240" was read as 1240 without a word. Both are read as n is,
    with the one comma-thousands warning for the file, counting every such cell; '1,24' is an error saying what to write."""
    path = table(tmp_path, ['chat-agent,volume,"1,240",,2026-01,,,', 'chat-agent,volume,"12,400",,2026-02,,,',
                            'chat-agent,clv,"1,240.50 EUR",,2026-01,,,', 'chat-agent,csat,58%,"2,400",2026-01,,,',
                            'search-faq,volume,"1,24",,2026-01,,,', 'search-faq,clv,"€1,300",,2026-01,,,'])
    data = load_metric_data(journey, metrics=path, engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.level, p.message, p.hint) for p in data.problems] == [
        (2, 19, "comma-thousands", "warning", "the file writes n, Volume and CLV with a comma between thousands, as Excel's"
         " and Sheets' number format '#,##0' exports them: commas between groups of three in a file without decimal commas"
         " are read so, '1,240' as 1240 (5 cells)",
         "nothing to do; write numbers without thousands separators (1240) to leave this out"),
        (6, 19, "metric-value", "error", "Volume value '1,24' is not a number",
         "write the count as a whole number, with digits alone: a comma between thousands is read only in groups of three"
         " (1,240)"),
    ]
    volume, clv = data.get("chat-agent", "volume"), data.get("chat-agent", "clv")
    assert volume is not None and [(p.period, p.value) for p in volume.series] == [("2026-01", 1240), ("2026-02", 12400)]
    assert clv is not None and clv.value == 1240.5
    faq = data.get("search-faq", "clv")
    assert faq is not None and faq.value == 1300 and data.get("search-faq", "volume") is None
    # n alone keeps its words; a semicolon file with decimal commas keeps a volume's '1,240' an error (1.24 there?)
    rows = ["chat-agent;csat;71,5 %;120", "chat-agent;volume;1,240;"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint;metric;value;n", name="de.csv"), engine=engine)
    assert [(p.span.line, p.code) for p in data.problems] == [(2, "decimal-comma"), (3, "metric-value")]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_n_shortened_as_a_dashboard_shows_it_is_told_the_count_it_stands_for(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """A dashboard's export writes n as '1.2k': the error said only what n is."""
    path = table(tmp_path, ["chat-agent,csat,58%,1.2k,,,,", "search-faq,csat,58%,3M,,,,"])
    data = load_metric_data(journey, metrics=path, engine=engine)
    assert [(p.span.line, p.code, p.hint) for p in data.problems] == [
        (2, "invalid-count", "write n as the whole number of responses, not shortened: '1.2k' is about 1200, and the exact"
                             " count is what the interval needs"),
        (3, "invalid-count", "write n as the whole number of responses, not shortened: '3M' is about 3000000, and the exact"
                             " count is what the interval needs"),
    ]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_n_written_with_its_name_is_read_with_one_warning(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A report's cell writes n as 'n=412', '(n=120)', '412 responses' or '120 resp.': each row was an error that gave
    the number, and the row was left out. Such a cell is exactly a count with its name: read, with one warning for
    the file. A bare '(412)' is no such cell (an accounting format's negative): still an error that gives the number."""
    path = table(tmp_path, ["chat-agent,csat,58%,n=412,2026-01,,,", "chat-agent,csat,60%,(n=120),2026-02,,,",
                            "search-faq,csat,58%,412 responses,2026-01,,,", "search-faq,csat,61%,120 resp.,2026-02,,,",
                            "search-faq,ces,4,(412),,,,", "chat-agent,ces,4,n=12 of 40,,,,"])
    data = load_metric_data(journey, metrics=path, engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.level, p.message, p.hint) for p in data.problems] == [
        (2, 21, "worded-count", "warning", "n is written with its name or a word beside the number, as a report's cell"
         " shows it; the number is read (4 rows: lines 2, 3, 4, 5)", "write n as the number alone: 412"),
        (6, 18, "invalid-count", "error", "n '(412)' is not a whole number >= 0", "write n as the number alone: 412"),
        (7, 18, "invalid-count", "error", "n 'n=12 of 40' is not a whole number >= 0", "n is the number of responses behind the value"),
    ]
    csat, faq = data.get("chat-agent", "csat"), data.get("search-faq", "csat")
    assert csat is not None and [(p.period, p.n) for p in csat.series] == [("2026-01", 412), ("2026-02", 120)]
    assert faq is not None and [(p.period, p.n) for p in faq.series] == [("2026-01", 412), ("2026-02", 120)]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_dash_for_the_value_with_a_blank_n_is_a_period_without_answers(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A BI export writes an empty cell as '—' (or '–', 'n/a') and leaves n blank: each was a metric-value error.
    Such a row is a period without answers, as '—' beside n 0 is; an empty value, or a real one, with a blank n is
    unchanged."""
    path = table(tmp_path, ["chat-agent,csat,—,,2026-01,,,", "chat-agent,csat,–,,2026-02,,,", "chat-agent,csat,n/a,,2026-03,,,",
                            "chat-agent,csat,70%,,2026-04,,,", "search-faq,csat,,,2026-01,,,"])
    data = load_metric_data(journey, metrics=path, engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.level, p.message) for p in data.problems] == [
        (2, 17, "no-answers", "warning", "the row has '—' for its value and no n: a period or segment without answers,"
         " with nothing to show; it is left out"),
        (3, 17, "no-answers", "warning", "the row has '–' for its value and no n: a period or segment without answers,"
         " with nothing to show; it is left out"),
        (4, 17, "no-answers", "warning", "the row has 'n/a' for its value and no n: a period or segment without answers,"
         " with nothing to show; it is left out"),
        (6, 17, "missing-value", "error", "the value is empty"),
    ]
    csat = data.get("chat-agent", "csat")
    assert csat is not None and (csat.period, csat.value, csat.n) == ("2026-04", 0.7, None)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_row_left_out_is_not_said_to_be_kept_for_its_n_of_0(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A BI export's empty period, 'n/a' beside n 0, was a value error and 'n is 0: ... it is kept, as low confidence'.
    (It is now one no-answers warning: a period without answers, left out; exit 0 for a clean export.)"""
    path = table(tmp_path, ["chat-agent,csat,n/a,0,,,,", "search-faq,csat,50%,0,,,,"])
    data = load_metric_data(journey, metrics=path, engine=engine)
    assert [(p.span.line, p.code, p.level) for p in data.problems] == [(2, "no-answers", "warning"), (3, "invalid-count", "warning")]


def test_a_spreadsheet_formulas_error_is_told_as_such(tmp_path: Path, journey: Journey) -> None:
    """'#DIV/0!' (a share of no answers), '#REF!' in a value, an n or a score were told 'write a number'."""
    path = table(tmp_path, ["chat-agent,csat,#DIV/0!,,,,,", "search-faq,csat,50%,#REF!,,,,"])
    hints = [p.hint for p in load_metric_data(journey, metrics=path).problems]
    assert hints == ["'#DIV/0!' is a spreadsheet formula's error, not a value (a division by 0: no answers?): fix the formula"
                     " before exporting, or leave the row out",
                     "'#REF!' is a spreadsheet formula's error, not a value: fix the formula before exporting, or leave the row out"]
    from journeymap.metrics import MetricValueError, parse_score

    with pytest.raises(MetricValueError) as caught:
        parse_score("nps", "#VALUE!")
    assert caught.value.hint is not None and caught.value.hint.startswith("'#VALUE!' is a spreadsheet formula's error")


def test_an_nps_written_as_a_percentage_is_told_the_points_to_write(tmp_path: Path, journey: Journey) -> None:
    """A dashboard shows an NPS as '35%': the hint said only 'write the value on the metric's own scale'."""
    path = table(tmp_path, ["chat-agent,nps,35%,400,,,,", "search-faq,nps,-12.5%,400,,,,"])
    assert [p.hint for p in load_metric_data(journey, metrics=path).problems] == [
        "write it without the percent sign: 35 (an NPS is written in points, -100..100)",
        "write it without the percent sign: -12.5 (an NPS is written in points, -100..100)"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_promoters_and_detractors_as_percent_numbers_or_counts_are_told_the_shares(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A dashboard's table gives promoters and detractors as 55 and 20 (percent without the sign) or as counts, 220 and 80
    of n=400: each was told only 'write a share like 45% or 0.45'. The row's NPS tells which reading it is."""
    path = table(tmp_path, ["chat-agent,nps,35,400,,,55,20", "search-faq,nps,35,400,,,220,80"])
    data = load_metric_data(journey, metrics=path, engine=engine)
    assert [(p.span.line, p.hint) for p in data.problems] == [
        (2, "did you mean 55%? (55% promoters less 20% detractors is the row's NPS, +35)"),
        (2, "did you mean 20%? (55% promoters less 20% detractors is the row's NPS, +35)"),
        (3, "220 looks like the number of promoters: 220 of n=400 answers is 55%; write 55%"),
        (3, "80 looks like the number of detractors: 80 of n=400 answers is 20%; write 20%"),
    ]


def test_the_reports_say_why_a_value_has_no_interval(tmp_path: Path, journey: Journey) -> None:
    path = table(tmp_path, ["chat-agent,nps,+20,100,,,,", "search-faq,ces,4.6,40,,,,", "chat-agent,ces,4.6,40,,,,"])
    analysis = analyze(journey, metrics=path)
    from journeymap.render.voice import text_section

    text = "\n".join(text_section(analysis))
    assert f"{NO_INTERVAL['mean']} — 2 values: CES at search-faq, CES at chat-agent" in text
    assert f"{NO_INTERVAL['nps']} — 1 value: NPS at chat-agent" in text
    markdown = render_markdown(analysis)
    assert f"- {NO_INTERVAL['nps']} — 1 value: NPS at chat-agent" in markdown


# -- dated rows ------------------------------------------------------------------


def test_dated_rows_are_bucketed_by_period_and_pooled_by_n(tmp_path: Path, journey: Journey) -> None:
    rows = [
        "chat-agent,csat,80%,100,2026-04-03",
        "chat-agent,csat,70%,300,2026-04-20",
        "chat-agent,csat,60%,200,2026-05-07",
        "chat-agent,csat,50%,200,2026-05-28",
    ]
    path = table(tmp_path, rows, header="touchpoint,metric,value,n,date")
    data = analyze(journey, metrics=path, period="month").to_json()
    csat = next(t for t in data["touchpoints"] if t["id"] == "chat-agent")["metrics"]["csat"]
    april = (0.8 * 100 + 0.7 * 300) / 400
    assert csat["series"] == [{"period": "2026-04", "value": round(april, 6), "n": 400}, {"period": "2026-05", "value": 0.55, "n": 400}]
    assert csat["ci"] == [round(x, 6) for x in wilson(0.55 * 400, 400)]
    # without --period every day is its own period, the latest wins
    by_day = analyze(journey, metrics=path).to_json()
    latest = next(t for t in by_day["touchpoints"] if t["id"] == "chat-agent")["metrics"]["csat"]
    assert latest["period"] == "2026-05-28" and latest["value"] == 0.5 and len(latest["series"]) == 4


def test_pooled_means_have_the_variance_of_every_answer(tmp_path: Path, journey: Journey) -> None:
    import random

    rng = random.Random(7)
    days = {f"2026-04-{d:02d}": [rng.randint(1, 7) for _ in range(rng.randint(5, 40))] for d in (2, 9, 16, 23)}
    rows = []
    for day, answers in days.items():
        mean = sum(answers) / len(answers)
        sd = math.sqrt(sum((a - mean) ** 2 for a in answers) / (len(answers) - 1))
        rows.append(f"chat-agent,ces,{mean!r},{len(answers)},{day},{sd!r}")
    path = table(tmp_path, rows, header="touchpoint,metric,value,n,date,sd")
    ces = metric_with(journey, path, "ces", period="month")
    everything = [a for answers in days.values() for a in answers]
    t = scipy_stats.t.interval(0.95, len(everything) - 1, loc=scipy_stats.tmean(everything), scale=scipy_stats.sem(everything))
    assert ces["n"] == len(everything)
    assert ces["ci"] == pytest.approx(list(t), abs=1e-6)  # the same as from the raw answers


def test_pooled_nps_uses_the_pooled_shares(tmp_path: Path, journey: Journey) -> None:
    rows = ["chat-agent,nps,+20,100,2026-04-02,50%,30%", "chat-agent,nps,+40,300,2026-04-20,60%,20%"]
    path = table(tmp_path, rows, header="touchpoint,metric,value,n,date,promoters,detractors")
    nps = metric_with(journey, path, "nps", period="month")
    pooled = nps_sample(50 + 180, 30 + 60, 400)  # 230 promoters, 90 detractors of 400
    half = 1.959963984540054 * math.sqrt(pooled.variance / 400)
    assert nps["value"] == 35.0 and nps["ci"] == pytest.approx([35 - half, 35 + half], abs=1e-6)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_row_of_n_0_pooled_into_a_period_leaves_it_its_interval_and_its_test(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """A row of n 0 among a period's dated rows is left out of its value, but it took away the period's
    sampling information: CSAT 90% then 60% on 400 answers each read "not tested: two periods are compared
    with each one's sd", and a pooled NPS with its shares lost its interval ("needs its promoter and
    detractor shares"), though every row with answers gave them."""
    rows = [
        "chat-agent,csat,90%,400,2026-01-05,,",
        "chat-agent,csat,50%,0,2026-01-12,,",
        "chat-agent,csat,60%,400,2026-02-05,,",
        "chat-agent,nps,+20,100,2026-02-02,50%,30%",
        "chat-agent,nps,+40,300,2026-02-20,60%,20%",
        "chat-agent,nps,0,0,2026-02-27,40%,40%",
    ]
    path = table(tmp_path, rows, header="touchpoint,metric,value,n,date,promoters,detractors")
    data = load_metric_data(journey, metrics=path, period="month", engine=engine)
    assert [(p.code, p.span.line) for p in data.problems] == [("invalid-count", 3), ("invalid-count", 7)]
    status = analyze(journey, data=data).touchpoints["chat-agent"].metrics
    csat = status["csat"]
    assert (csat.trend, csat.significant_change) == ("falling", True)
    assert csat.verdict == "CSAT 90% → 60% over 2 months, falling (worse)"
    nps = status["nps"]
    pooled = nps_sample(50 + 180, 30 + 60, 400)  # the two rows with answers: 230 promoters, 90 detractors of 400
    half = 1.959963984540054 * math.sqrt(pooled.variance / 400)
    assert (nps.value, nps.n, nps.ci_note) == (35.0, 400, None)
    assert nps.ci == pytest.approx((35 - half, 35 + half), abs=1e-9)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_period_whose_dated_rows_all_have_n_0_rests_on_no_answers(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Two rows of n 0 in one month were averaged into a value without an n, as if no n were written:
    CSAT 40% on no answers was "below the 75% target" and made the touchpoint weak, and the month
    counted in the trend as one with data ("90% → 40% over 3 months, flat", where one such row gave
    "90% → 60% over 2 months, falling"). It is a period of no answers, as one row of n 0 is."""
    rows = ["chat-agent,csat,90%,400,2026-01-05", "chat-agent,csat,60%,400,2026-02-05",
            "chat-agent,csat,50%,0,2026-03-12", "chat-agent,csat,30%,0,2026-03-15"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint,metric,value,n,date"),
                            period="month", engine=engine)
    assert sorted((p.code, p.span.line) for p in data.problems) == [
        ("invalid-count", 4), ("unweighted-period", 4)]
    result = analyze(journey, data=data).touchpoints["chat-agent"]
    csat = result.metrics["csat"]
    assert [(p.period, p.value, p.n) for p in csat.series] == [
        ("2026-01", 0.9, 400), ("2026-02", 0.6, 400), ("2026-03", pytest.approx(0.4), 0)]
    assert (csat.n, csat.status, csat.low_confidence, csat.ci_includes_target) == (0, "low_confidence", True, False)
    assert csat.verdict == "CSAT 90% → 60% over 2 months, falling (worse)"
    assert not any("CSAT" in reason for reason in result.reasons)


def test_dated_rows_without_n_are_averaged_with_a_warning_and_bad_dates_told(tmp_path: Path, journey: Journey) -> None:
    rows = ["chat-agent,csat,80%,,2026-04-03", "chat-agent,csat,70%,,2026-04-20", "search-faq,csat,70%,,2026-02-30"]
    path = table(tmp_path, rows, header="touchpoint,metric,value,n,date")
    data = load_metric_data(journey, metrics=path, period="month")
    point = data.get("chat-agent", "csat")
    assert point is not None and point.value == pytest.approx(0.75) and point.n is None
    told = {(p.code, p.span.line, p.level) for p in data.problems}
    assert told == {("unweighted-period", 2, "warning"), ("invalid-date", 4, "warning")}
    assert data.get("search-faq", "csat") is None
    assert any("'2026-02-30' is not a date; the row is left out" == p.message for p in data.problems)


def test_the_same_date_twice_is_a_duplicate_not_a_pool(tmp_path: Path, journey: Journey) -> None:
    rows = ["chat-agent,csat,80%,100,2026-04-03", "chat-agent,csat,70%,100,2026-04-03"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint,metric,value,n,date"), period="month")
    assert [p.code for p in data.problems] == ["duplicate-row"]
    point = data.get("chat-agent", "csat")
    assert point is not None and point.value == 0.7


def metric_with(journey: Journey, path: Path, name: str, period: str) -> dict[str, object]:
    data = analyze(journey, metrics=path, period=period).to_json()
    return next(t for t in data["touchpoints"] if t["id"] == "chat-agent")["metrics"][name]


def test_periods_in_mixed_forms_are_warned_once_with_their_rows(tmp_path: Path, journey: Journey) -> None:
    rows = ["chat-agent,csat,80%,100,2026-Q2", "chat-agent,csat,70%,100,Spring 2026", "search-faq,csat,70%,100,2026-Q1",
            "search-faq,csat,75%,100,2026-Q2"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint,metric,value,n,period"))
    told = [p for p in data.problems if p.code == "period-order"]
    assert len(told) == 1 and told[0].level == "warning" and told[0].span.line == 2
    assert told[0].message.endswith("the latest may not be the newest (2 rows: lines 2, 3)")
    # "Spring 2026" sorts after "2026-Q2" as text, so the older season is taken: hence the warning
    point = data.get("chat-agent", "csat")
    assert point is not None and point.period == "Spring 2026"


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_quarters_and_weeks_spelt_another_way_in_a_metrics_table_are_those_periods(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """'Q2-2026' sorted after '2026-Q3' as text: CSAT 0% was the latest, beside a period-order warning."""
    rows = ["chat-agent,csat,100%,100,2026-Q3", "chat-agent,csat,0%,100,Q2-2026", "chat-agent,csat,50%,100,2026 q1",
            "search-faq,csat,70%,100,2026w5", "search-faq,csat,60%,100,W10-2026", "search-faq,csat,65%,100,2026-W09"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint,metric,value,n,period"), engine=engine)
    assert data.problems == []
    csat = data.get("chat-agent", "csat")
    assert csat is not None and (csat.period, csat.value) == ("2026-Q3", 1.0)
    assert [p.period for p in csat.series] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    weeks = data.get("search-faq", "csat")
    assert weeks is not None and [p.period for p in weeks.series] == ["2026-W05", "2026-W09", "2026-W10"]
    # one quarter in two spellings is one period: the second row is a duplicate, as if written alike
    again = table(tmp_path, ["chat-agent,csat,50%,100,2026-Q1", "chat-agent,csat,40%,100,2026Q1"], header="touchpoint,metric,value,n,period")
    assert [(p.code, p.span.line) for p in load_metric_data(journey, metrics=again, engine=engine).problems] == [("duplicate-row", 3)]


def test_a_series_whose_labels_mix_forms_gets_no_trend(tmp_path: Path, journey: Journey) -> None:
    """'Sprint 1', 'Sprint 10', 'Sprint 2' are in text order, not time order: CSAT 90% → 50% → 70% was
    called a trend read off that order (a significant change, even) next to the warning that the order may be wrong."""
    rows = [f"chat-agent,csat,{value}%,400,{label}" for value, label in ((90, "Sprint 1"), (50, "Sprint 2"), (70, "Sprint 10"))]
    metric = metric_with(journey, table(tmp_path, rows, header="touchpoint,metric,value,n,period"), "csat", "week")
    assert (metric["trend"], metric["significant_change"]) == (None, None)
    assert [p["period"] for p in metric["series"]] == ["Sprint 1", "Sprint 10", "Sprint 2"]  # as they are ordered
    assert (metric["change_last"], metric["change_window"]) == (None, None)
    status = analyze(journey, metrics=table(tmp_path, rows, header="touchpoint,metric,value,n,period")).touchpoints["chat-agent"]
    assert status.metrics["csat"].verdict == "CSAT over 3 periods labelled in mixed forms: no trend"
    # '2026-W1', '2026-W2', '2026-W10' are ISO weeks without their zero (2026-W01, ...): in time order, a trend
    weeks = [row.replace("Sprint ", "2026-W") for row in rows]
    metric = metric_with(journey, table(tmp_path, weeks, header="touchpoint,metric,value,n,period"), "csat", "week")
    assert [p["period"] for p in metric["series"]] == ["2026-W01", "2026-W02", "2026-W10"] and metric["trend"] is not None


def test_an_sd_no_answers_on_the_scale_can_have_is_an_error(tmp_path: Path, journey: Journey) -> None:
    """CES 4.2 with sd 9.4 (a variance written as the sd) gave an interval of 2.9 to 5.5 on a 1..7
    scale, and made a miss low confidence; 200 answers on 1..7 with that mean have an sd of at most 3."""
    from journeymap.data.summary import largest_sd
    from journeymap.metrics import BUILTIN

    rows = ["chat-agent,ces,4.2,200,2026-Q1,9.4,,", "chat-agent,ces,4.2,200,2026-Q2,2.99,,",
            "chat-agent,ces,7,50,2026-Q3,0.004,,", "search-faq,ces,6.5,2,2026-Q1,0.71,,"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint,metric,value,n,period,sd,promoters,detractors"))
    assert [(p.code, p.span.line, p.message) for p in data.problems] == [
        ("invalid-sd", 2, "CES sd 9.4 is more than 200 answers on the 1..7 scale with a mean of 4.2 can have (at most 3)")]
    ces = BUILTIN["ces"]
    assert largest_sd(ces, 4, 2) == pytest.approx(4.242640687)  # answers 1 and 7: sd 4.24
    import statistics

    assert statistics.stdev([1, 7]) == pytest.approx(largest_sd(ces, 4, 2))
    assert statistics.stdev([1] * 3 + [7] * 3) <= largest_sd(ces, 4, 6)  # type: ignore[operator]
    assert largest_sd(ces, 4, None) is None and largest_sd(BUILTIN["response_time"], 40, 100) is None


def test_a_row_of_one_answer_pools_into_its_periods_mean_with_an_interval(tmp_path: Path, journey: Journey) -> None:
    """Hourly rows with n=1 (no sd can be estimated from one answer) took the interval of a whole
    month of CES rows with their sd: "no 95% CI: a mean needs its standard deviation", trend flat."""
    rows = ["chat-agent,ces,5,100,2026-01-03,1", "chat-agent,ces,6,100,2026-01-23,1", "chat-agent,ces,4,1,2026-01-24,1.5",
            "chat-agent,ces,3,0,2026-01-25,", "chat-agent,ces,5,150,2026-02-03,1"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint,metric,value,n,date,sd"), period="month")
    point = data.get("chat-agent", "ces")
    assert point is not None
    january = point.series[0]
    assert (january.period, january.n) == ("2026-01", 201) and january.sample is not None
    # by hand: the three rows' answers, within-row (99 + 99) * 1 plus between-row squares, over 200
    mean = (500 + 600 + 4) / 201
    variance = (99 + 99 + 100 * (5 - mean) ** 2 + 100 * (6 - mean) ** 2 + (4 - mean) ** 2) / 200
    assert january.value == pytest.approx(mean) and january.sample.variance == pytest.approx(variance)
    status = analyze(journey, data=data).touchpoints["chat-agent"].metrics["ces"]
    assert status.ci is not None and status.ci_note is None
    low, high = scipy_stats.t.interval(0.95, 149, loc=5, scale=1 / math.sqrt(150))  # February's own
    assert status.ci == pytest.approx((low, high), abs=1e-6)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_every_numeric_cell_with_a_decimal_comma_or_thousands_separators_gets_the_same_hint(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """A value of 5,5 was told to use a dot, an sd of 1,2 only that it "is not a number", a CLV of
    1.234,56 € to "write a number", a survey score of 4,0 to "write a whole number 1..5"."""
    rows = ['chat-agent,ces,"5,5",100,2026-01,,,', 'chat-agent,ces,5.5,100,2026-02,"1,2",,',
            'chat-agent,clv,"1.234,56 €",100,2026-01,,,', 'search-faq,nps,30,100,2026-01,,"45,5%",15%',
            'search-faq,csat,"1.234.567",100,2026-01,,,', 'search-faq,ces,5.5,"1 240",2026-01,,,']
    header = "touchpoint,metric,value,n,period,sd,promoters,detractors"
    answers = tmp_path / "a.csv"
    answers.write_text('touchpoint,metric,score\nchat-agent,csat,"4,0"\nchat-agent,nps,"8,5"\n', encoding="utf-8")
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header=header), responses=answers, engine=engine)
    assert sorted((Path(p.span.file).name, p.span.line, p.code, p.hint) for p in data.problems) == [
        ("a.csv", 2, "score", "write the decimal point as a dot: 4.0 (CSAT answers are whole numbers 1..5)"),
        ("a.csv", 3, "score", "write the decimal point as a dot: 8.5 (NPS answers are whole numbers 0..10)"),
        ("m.csv", 2, "metric-value", "write the decimal point as a dot: 5.5"),
        ("m.csv", 3, "invalid-sd", "write the decimal point as a dot: 1.2"),
        ("m.csv", 4, "metric-value", "write the number without thousands separators, with a dot for decimals: 1234.56 €"),
        ("m.csv", 5, "invalid-share", "write the decimal point as a dot: 45.5%"),
        ("m.csv", 6, "metric-value", "write the number without thousands separators: 1234567"),
        ("m.csv", 7, "invalid-count", "write n without thousands separators: 1240"),
    ]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_value_in_typographic_quotes_is_told_to_drop_them(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A table pasted from Word ('“4.2”', '‘70%’'): told only "write a number", nothing of the quotes."""
    rows = ["chat-agent,ces,“4.2”,100,2026-01,,,", "search-faq,csat,‘70%’,100,2026-01,,,"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header=HEADER), engine=engine)
    assert sorted((p.span.line, p.span.col, p.code, p.message, p.hint) for p in data.problems) == [
        (2, 16, "metric-value", "CES value '“4.2”' is not a number",
         "write 4.2 without the quotes: “ and ” are typographic quotes, which make it text"),
        (3, 17, "metric-value", "CSAT value '‘70%’' is not a number",
         "write 70% without the quotes: ‘ and ’ are typographic quotes, which make it text"),
    ]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_count_or_a_score_written_with_an_exponent_is_read_and_told(tmp_path: Path, journey: Journey, engine: str) -> None:
    """An n of 1e3 was read as 1000 and a survey score of 1e0 as 1 without a word: a spreadsheet's
    scientific format (1.23457E+06) may have rounded a count, and a score in it is no answer as given."""
    rows = ["chat-agent,csat,80%,1e3,,,,", "search-faq,csat,70%,1.24E+03,,,,"]
    answers = tmp_path / "a.csv"
    answers.write_text("touchpoint,metric,score\nchat-agent,ces,1e0\nchat-agent,ces,5\n", encoding="utf-8")
    data = load_metric_data(journey, metrics=table(tmp_path, rows), responses=answers, engine=engine)
    told = sorted((Path(p.span.file).name, p.span.line, p.span.col, p.code, p.level, p.message) for p in data.problems
                  if p.code == "exponent")
    assert told == [
        ("a.csv", 2, 16, "exponent", "warning", "CES score '1e0' is written with an exponent; it is read as 1"),
        ("m.csv", 2, 21, "exponent", "warning", "n '1e3' is written with an exponent; it is read as 1,000"),
        ("m.csv", 3, 21, "exponent", "warning", "n '1.24E+03' is written with an exponent; it is read as 1,240"),
    ]
    csat, ces = data.get("chat-agent", "csat"), data.get("chat-agent", "ces")
    assert csat is not None and csat.n == 1000 and ces is not None and (ces.n, ces.value) == (2, 3.0)


def test_a_period_of_no_answers_weighs_nothing_in_the_trend(tmp_path: Path, journey: Journey) -> None:
    """A BI export's month with n 0 (kept, as low confidence, with a warning) has no sampling
    variance: it sent the whole series to the unweighted slope, where its value, resting on no
    answers, weighed as much as 2,000 answers, and a real fall of CSAT over five months of 2,000
    answers each was "flat". It also counted as a month "with data"."""
    months = ["80%,2000,2026-01", "79%,2000,2026-02", "78.5%,2000,2026-03", "95%,0,2026-04", "77.5%,2000,2026-05", "77%,2000,2026-06"]
    with_empty = metric(journey, table(tmp_path, [f"chat-agent,csat,{m},,," for m in months]), "csat")
    without = metric(journey, table(tmp_path, [f"chat-agent,csat,{m},,," for m in months if ",0," not in m], name="w.csv"), "csat")
    assert without["trend"] == with_empty["trend"] == "falling"
    data = analyze(journey, metrics=tmp_path / "m.csv")
    csat = data.touchpoints["chat-agent"].metrics["csat"]
    assert csat.verdict == "CSAT 80% → 77% over 6 months (5 with data), falling (worse)"
    assert [p.n for p in csat.series] == [2000, 2000, 2000, 0, 2000, 2000]  # still listed, with its n of 0
    assert [p.code for p in data.data_problems] == ["invalid-count"]
    # the weighted slope over the months with answers is the Cochran-Armitage test: scipy's linear regression of
    # the 0/1 answers on the month gives the same slope
    xs = [0, 1, 2, 4, 5]
    shares = [0.80, 0.79, 0.785, 0.775, 0.77]
    answers_x = [x for x, s in zip(xs, shares, strict=True) for _ in range(2000)]
    answers_y = [1 if i < round(s * 2000) else 0 for s in shares for i in range(2000)]
    assert scipy_stats.linregress(answers_x, answers_y).pvalue < 0.05
    # a period of no answers last: the trend and its ends are those of the months with answers
    last = metric(journey, table(tmp_path, [f"chat-agent,csat,{m},,," for m in ["80%,2000,2026-01", "78%,2000,2026-02", "76%,2000,2026-03", "95%,0,2026-04"]], name="l.csv"), "csat")
    assert last["trend"] == "falling" and last["value"] == 0.95 and last["significant_change"] is None
    verdict = analyze(journey, metrics=tmp_path / "l.csv").touchpoints["chat-agent"].metrics["csat"].verdict
    assert verdict == "CSAT 80% → 76% over 3 months, falling (worse)"


def test_the_jsons_changes_are_those_of_the_periods_with_answers(tmp_path: Path, journey: Journey) -> None:
    """With a last month of n 0 at 95% (kept, as low confidence), the trend and the verdict are those of
    the months with answers ("80% → 76%, falling"), but the JSON's change_last said +0.19 and its
    change_window +0.15: a rise, read off a value that rests on no answers."""
    rows = ["80%,2000,2026-01", "78%,2000,2026-02", "76%,2000,2026-03", "95%,0,2026-04"]
    csat = metric(journey, table(tmp_path, [f"chat-agent,csat,{r},,," for r in rows]), "csat")
    assert csat["trend"] == "falling" and csat["value"] == 0.95
    assert (csat["change_last"], csat["change_window"]) == (-0.02, -0.04)
    assert [p["n"] for p in csat["series"]] == [2000, 2000, 2000, 0]  # the series still lists it
    # a month of n 0 between: the last change is the one between the months with answers, as tested
    rows = ["80%,2000,2026-01", "95%,0,2026-02", "76%,2000,2026-03"]
    csat = metric(journey, table(tmp_path, [f"chat-agent,csat,{r},,," for r in rows], name="b.csv"), "csat")
    assert (csat["change_last"], csat["change_window"]) == (-0.04, -0.04)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_semicolon_table_whose_numbers_use_a_decimal_comma_is_read_with_one_warning(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """German and French Excel save a table with semicolons and decimal commas: '71,5 %', '4,2', '1.240,50 EUR', n '1.240'.
    Every such cell was an error ('write the decimal point as a dot'), every row left out. A semicolon file whose numbers
    never use a dot as a decimal point writes its decimals with commas: read so, one warning naming the convention.
    '1,240' (1.24, or 1240 with a comma between thousands?) stays an error."""
    header = "touchpoint;metric;value;n;period;sd"
    rows = ["chat-agent;csat;71,5 %;1.240;2026-01;", "chat-agent;ces;4,2;300;2026-01;1,1", "search-faq;clv;1.240,50 EUR;80;2026-01;",
            "search-faq;csat;1,240;80;2026-01;", "search-faq;ces;5;1.000;2026-01;0,9", "search-faq;nps;35,5 %;400;2026-01;"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header=header), engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.level, p.message, p.hint) for p in data.problems] == [
        (2, 17, "decimal-comma", "warning", "the file writes its numbers with a decimal comma and dots or spaces between"
         " thousands, as Excel saves a semicolon- or tab-separated file in German, French and other locales: they are read so, '71,5 %' as 71.5 %"
         " (8 cells)", "nothing to do; a number such as '1,240' (1.24, or 1240?) is still an error: write it 1,24 or 1240"),
        (5, 17, "metric-value", "error", "CSAT value '1,240' is not a number",
         "a comma is this file's decimal point, but one between thousands is written so too: write 1240 if it is 1240;"
         " if it is 1.240, write 1,2400"),
        # a row with a problem is told with its number as read (DuckDB's second look at it read the commas as written)
        (7, 16, "metric-value", "error", "NPS '35.5 %' is a percentage, but NPS is on the scale -100..100",
         "write it without the percent sign: 35.5 (an NPS is written in points, -100..100)"),
    ]
    values = {(tp, m): data.get(tp, m) for tp, m in [("chat-agent", "csat"), ("chat-agent", "ces"), ("search-faq", "clv"),
                                                     ("search-faq", "ces")]}
    assert {key: (p.value, p.n, p.currency) for key, p in values.items() if p} == {
        ("chat-agent", "csat"): (0.715, 1240, None), ("chat-agent", "ces"): (4.2, 300, None),
        ("search-faq", "clv"): (1240.5, 80, "EUR"), ("search-faq", "ces"): (5.0, 1000, None)}
    ces = values[("chat-agent", "ces")]
    assert ces is not None and ces.sample is not None and ces.sample.variance == pytest.approx(1.21)  # its sd 1,1 was read
    # a dot used as a decimal point anywhere: the commas are no decimal commas, each told as before
    rows[-1] = "search-faq;churn;0.12;80;2026-01;"
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header=header, name="dot.csv"), engine=engine)
    assert "decimal-comma" not in {p.code for p in data.problems}
    assert [(p.span.line, p.code) for p in data.problems if p.is_error][:2] == [(2, "metric-value"), (2, "invalid-count")]
    # and a comma file keeps its commas
    data = load_metric_data(journey, metrics=table(tmp_path, [r.replace(";", ",", 5) for r in rows[:2]], name="comma.csv"),
                            engine=engine)
    assert "decimal-comma" not in {p.code for p in data.problems}
    # an n of '1.240' has a dot between thousands (n is whole): a file without a decimal comma, whose CLV '1.240 EUR' was
    # read as 1.24 EUR (with a warning that the dot may separate thousands), and whose n was an error
    rows = ["chat-agent;csat;71 %;1.240", "search-faq;clv;1.240 EUR;80"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint;metric;value;n", name="n.csv"), engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.message.split(": ")[-1]) for p in data.problems] == [
        (2, 22, "decimal-comma", "they are read so, '1.240' as 1240 (2 cells)")]
    csat, clv = data.get("chat-agent", "csat"), data.get("search-faq", "clv")
    assert csat is not None and clv is not None and (csat.n, clv.value) == (1240, 1240)
    # German Excel's 'Unicode Text' is tab-separated, French Excel's thousands are (narrow) no-break spaces
    rows = ["chat-agent\tclv\t1\u202f240,5 \u20ac\t1\u00a0000", "chat-agent\tces\t4,2\t300"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint\tmetric\tvalue\tn", name="tab.csv"),
                            engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.message.split(": ")[-1]) for p in data.problems] == [
        (2, 16, "decimal-comma", "they are read so, '1\u202f240,5 \u20ac' as 1240.5 \u20ac (3 cells)")]
    clv = data.get("chat-agent", "clv")
    assert clv is not None and (clv.value, clv.n, clv.currency) == (1240.5, 1000, "EUR")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_swiss_table_whose_thousands_are_apostrophes_is_read_with_one_warning(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """Swiss Excel and Swiss reports write thousands with an apostrophe, '1'240' (or the typographic '1’240'), and a
    decimal point: an n of 1'240 was an error and the row left out; 1’240 was 'not a whole number'; a CLV of
    1'240.50 CHF was 'not a number'. When every such number of the file is well-formed (groups of three), they are
    read so, with one warning naming the convention; a file with one that is not (12'40) reads none of them."""
    header = "touchpoint,metric,value,n,period,sd"
    rows = ["chat-agent,csat,71.5%,1'240,2026-01,", "chat-agent,ces,4.2,2’050,2026-01,1.1",
            "search-faq,clv,1'240.50,80,2026-01,", "search-faq,csat,80%,1'000'000,2026-01,"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header=header), engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.level, p.message, p.hint) for p in data.problems] == [
        (2, 23, "apostrophe-thousands", "warning", "the file writes its numbers with an apostrophe between thousands, as"
         " Swiss Excel and reports write them: they are read so, '1'240' as 1240 (4 cells)",
         "nothing to do; write numbers without thousands separators (1240) to leave this out")]
    read = {(tp, m): data.get(tp, m) for tp, m in [("chat-agent", "csat"), ("chat-agent", "ces"), ("search-faq", "clv"),
                                                   ("search-faq", "csat")]}
    assert {key: (p.value, p.n) for key, p in read.items() if p} == {
        ("chat-agent", "csat"): (0.715, 1240), ("chat-agent", "ces"): (4.2, 2050), ("search-faq", "clv"): (1240.5, 80),
        ("search-faq", "csat"): (0.8, 1_000_000)}
    rows.append("chat-agent,nps,30,12'40,2026-01,")
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header=header, name="bad.csv"), engine=engine)
    assert [(p.span.line, p.code) for p in data.problems] == [(2, "invalid-count"), (3, "invalid-count"), (4, "metric-value"),
                                                             (6, "invalid-count")]  # line 2's error names line 5 too
    assert [key for key in read if data.get(*key) is not None] == []


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_division_by_zero_beside_n_0_is_a_period_without_answers(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Excel's share of no answers, '=A2/B2' over 0 answers, is '#DIV/0!' beside n 0: it was an error ('fix the formula'),
    exit 1 for a clean export whose other periods were read. With n 0 it says no answers, as '—' beside n 0 does: a
    no-answers warning. Beside another n, or '#REF!' beside n 0 (a broken formula), it stays an error."""
    rows = ["chat-agent;csat;#DIV/0!;0;2026-01", "chat-agent;csat;71%;120;2026-02", "search-faq;csat;#DIV/0!;40;2026-01",
            "search-faq;csat;#REF!;0;2026-02"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint;metric;value;n;period"), engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.level) for p in data.problems] == [
        (2, 17, "no-answers", "warning"), (4, 17, "metric-value", "error"), (5, 17, "metric-value", "error")]
    assert data.problems[0].message == ("the row has '#DIV/0!' for its value and n 0: a period or segment without answers,"
                                        " with nothing to show; it is left out")
    csat = data.get("chat-agent", "csat")
    assert csat is not None and (csat.period, csat.value, csat.n) == ("2026-02", 0.71, 120)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_segment_column_of_devices_is_one_warning_in_a_metrics_table_too(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A BI export's CSAT by device ('iOS', 'Android', 'web', and 'All' for everyone) was one unknown-persona warning per
    device; each such row is left out (a persona's value is not everyone's). One warning for the column names the
    values and their rows; 'All' is everyone's value, read."""
    rows = ["chat-agent,csat,71%,120,iOS", "chat-agent,csat,73%,100,Android", "chat-agent,csat,70%,80,web",
            "chat-agent,csat,72%,300,All", "search-faq,csat,60%,50,iOS"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint,metric,value,n,segment"), engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.message) for p in data.problems] == [
        (2, 25, "unknown-persona", "the segment column's values 'iOS', 'Android', 'web' (3 values) are no persona of the"
         " journey: a persona's value is not everyone's, so their rows are left out (4 rows: lines 2, 3, 4, 6)")]
    csat = data.get("chat-agent", "csat")
    assert csat is not None and (csat.value, csat.n) == (0.72, 300) and data.get("search-faq", "csat") is None


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_segment_label_is_resolved_once_not_once_a_row(
    tmp_path: Path, journey: Journey, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A BI export of CSAT by device and day, 84,000 rows, took 15 s to read (22 s on DuckDB): each row's 'iOS' was
    looked for among the personas' ids, names, plurals and words again, 16 s of it. Each distinct label is resolved
    once, its warning told at every row as before (5 s and 9 s)."""
    from journeymap.data import responses

    calls: list[str] = []
    in_words = responses.persona_in_words

    def counted(value: str, journey: Journey) -> str | None:
        calls.append(value)
        return in_words(value, journey)

    monkeypatch.setattr(responses, "persona_in_words", counted)
    monkeypatch.setattr(responses, "_PERSONAS_SEEN", {}, raising=False)
    from datetime import date, timedelta

    rows = [f"chat-agent,csat,{70 + k % 9}%,100,{date(2026, 1, 1) + timedelta(days=k // 4)},{['iOS', 'Android', 'web', 'All'][k % 4]}"
            for k in range(300)]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header="touchpoint,metric,value,n,date,segment"), engine=engine)
    assert sorted(calls) == ["Android", "iOS", "web"]
    [told] = data.problems
    assert told.message.endswith("so their rows are left out (225 rows: lines 2, 3, 4, 6, 7, ...)")
    csat = data.get("chat-agent", "csat")
    assert csat is not None and csat.n == 100 and len(csat.series) == 75


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize("label", ["Total", "Grand Total", "(All)", "Gesamtergebnis", "YTD"])
def test_a_total_in_the_period_column_is_no_period_and_not_the_latest_value(
    tmp_path: Path, journey: Journey, engine: str, label: str
) -> None:
    """Tableau, Power BI and Excel's pivots export a long table with the grand total over the periods as one more row,
    its period 'Total' (Tableau's '(All)', German Excel's 'Gesamtergebnis'). It was a period of its own, sorted as text
    after '2026-02': the touchpoint's CSAT was the total's 65% and not February's 60%, and the trend ran through it,
    behind a period-order warning that did not say why. It is left out, with a warning at its cell; alone in its series
    it is the value, without a period."""
    rows = ["chat-agent,csat,71%,120,2026-01,,,", "chat-agent,csat,60%,130,2026-02,,,", f"chat-agent,csat,65%,250,{label},,,"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows), engine=engine)
    assert [(p.code, p.level, p.span.line, p.span.col, p.message, p.hint) for p in data.problems] == [(
        "total-period", "warning", 4, 25,
        f"period '{label}' is a total over the periods, as BI tools and pivot tables write a grand total, not a period of"
        " its own: the row is left out, and the periods' own rows are read",
        "nothing is lost where the periods' rows are in the file; export without totals to leave this out, or leave"
        " the period empty to read the total as a value without a period")]
    csat = data.get("chat-agent", "csat")
    assert csat is not None and (csat.value, csat.period) == (0.6, "2026-02")
    assert [p.period for p in csat.series] == ["2026-01", "2026-02"]
    # a total whose series has no periods is the value, read without a period
    alone = load_metric_data(journey, metrics=table(tmp_path, [f"search-faq,csat,65%,250,{label},,,"]), engine=engine)
    assert [(p.code, p.span.line, p.span.col, p.message, p.hint) for p in alone.problems] == [(
        "total-period", 2, 25, f"period '{label}' is a total over the periods, as BI tools and pivot tables write a grand total,"
        " not a period of its own: it is read as the value without a period",
        "write the period it covers (2026-Q1) to have it in a series")]
    faq = alone.get("search-faq", "csat")
    assert faq is not None and (faq.value, faq.n, faq.period) == (0.65, 250, None)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_quarter_or_year_beside_its_own_months_is_a_subtotal_not_the_latest_period(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """A BI export of a date hierarchy writes a quarter's or a year's subtotal beside its months ('2026-Q1' after
    2026-01..03). Sorted as text, '2026-Q1' came after '2026-04': the touchpoint's CSAT was the quarter's 64% and not
    April's 66%, and the trend ran through it twice, behind a period-order warning that did not say why."""
    rows = ["chat-agent,csat,71%,120,2026-01,,,", "chat-agent,csat,60%,130,2026-02,,,", "chat-agent,csat,62%,100,2026-03,,,",
            "chat-agent,csat,64%,350,2026-Q1,,,", "chat-agent,csat,66%,100,2026-04,,,",
            "search-faq,csat,50%,100,Dec 2025,,,", "search-faq,csat,55%,300,2026,,,", "search-faq,csat,56%,100,Jan 2026,,,",
            "solved,csat,70%,100,2025-Q4,,,", "solved,csat,72%,100,2026-01,,,"]  # quarters, then months: no subtotal
    data = load_metric_data(journey, metrics=table(tmp_path, rows), engine=engine)
    told = [(p.code, p.level, p.span.line, p.span.col, p.message, p.hint) for p in data.problems if p.code == "subtotal-period"]
    hint = "nothing is lost; export the periods without subtotals to leave this out"
    assert told == [
        ("subtotal-period", "warning", 5, 1, "period '2026-Q1' holds periods of its series (2026-01, 2026-02, 2026-03): it"
         " is their subtotal, as a BI tool exports a quarter's or a year's beside its months, not a period of its own;"
         " the row is left out, and theirs are read", hint),
        ("subtotal-period", "warning", 8, 1, "period '2026' holds a period of its series (Jan 2026): it is its subtotal,"
         " as a BI tool exports a quarter's or a year's beside its months, not a period of its own; the row is left out,"
         " and its own is read", hint),
    ]
    # 2025-Q4 and 2026-01, a quarter and a month after it, are told as before
    assert [(p.code, p.span.line, p.message[-22:]) for p in data.problems if p.code != "subtotal-period"] == [
        ("period-order", 10, "(2 rows: lines 10, 11)")]
    csat = data.get("chat-agent", "csat")
    assert csat is not None and (csat.value, csat.period) == (0.66, "2026-04")
    assert [p.period for p in csat.series] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    faq = data.get("search-faq", "csat")
    assert faq is not None and [p.period for p in faq.series] == ["Dec 2025", "Jan 2026"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_semicolon_table_whose_amounts_have_dots_between_thousands_reads_them_so(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """German Excel saves whole amounts and counts with dots between thousands ('1.234 €', a volume '12.500') and no
    decimal comma anywhere: read as written, with a thousands-separator warning, the CLV was 1.23 EUR. An amount or a
    count with dots between groups of three is that convention's sign, as an n's is: read so, one decimal-comma warning.
    A decimal point elsewhere in the file (0.12) still leaves them as written, each told."""
    header = "touchpoint;metric;value;n;period"
    rows = ["chat-agent;clv;1.234 €;120;2026-01", "search-faq;clv;€ 12.500;80;2026-01", "search-faq;volume;12.500;;2026-01",
            "chat-agent;nps;12;120;2026-01"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header=header), engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.level, p.message) for p in data.problems] == [
        (2, 16, "decimal-comma", "warning", "the file writes its numbers with a decimal comma and dots or spaces between"
         " thousands, as Excel saves a semicolon- or tab-separated file in German, French and other locales: they are read"
         " so, '1.234 €' as 1234 € (3 cells)")]
    assert [(tp, m, p.value, p.currency) for (tp, m), p in sorted(data.points.items())] == [
        ("chat-agent", "clv", 1234.0, "EUR"), ("chat-agent", "nps", 12.0, None), ("search-faq", "clv", 12500.0, "EUR"),
        ("search-faq", "volume", 12500.0, None)]
    rows[-1] = "chat-agent;churn;0.12;120;2026-01"
    data = load_metric_data(journey, metrics=table(tmp_path, rows, header=header), engine=engine)
    assert [(p.span.line, p.code) for p in data.problems] == [(2, "thousands-separator"), (3, "thousands-separator")]
    clv = data.get("chat-agent", "clv")
    assert clv is not None and clv.value == 1.234


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_amount_written_with_a_currency_journeymap_does_not_read_is_told_how_to_write_one(
    tmp_path: Path, engine: str
) -> None:
    """A CLV written '1234 kr' (Swedish, Norwegian, Danish crowns) or 'US$1234' was told only "write a number", though
    it was one: the hint now says how an amount is written, with its currency's code, in the journey's currency."""
    journey = with_targets("  clv: {unit: SEK}\n")
    rows = ["chat-agent,clv,1234 kr,120,2026-01,,,", "search-faq,clv,US$1234,80,2026-01,,,"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows), engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.message, p.hint) for p in data.problems] == [
        (2, 16, "metric-value", "CLV value '1234 kr' is not a number",
         "write an amount as a number with its currency's ISO 4217 code or sign: 1200 SEK"),
        (3, 16, "metric-value", "CLV value 'US$1234' is not a number",
         "write an amount as a number with its currency's ISO 4217 code or sign: 1200 SEK"),
    ]
    nameless = load_metric_data(load_text(JOURNEY), metrics=table(tmp_path, rows[:1]), engine=engine).problems
    assert [p.hint for p in nameless] == ["write an amount as a number with its currency's ISO 4217 code or sign: 1200 EUR,"
                                          " $1200 or 1200 (the journey's own currency, metrics: {clv: {unit: EUR}})"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_value_a_bi_tool_suppressed_on_too_few_answers_is_told_so_and_left_out(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """Dashboards hide a value backed by too few answers ('*', 'n<30', 'Suppressed', '<5%'): each such row was an error
    told to "write a number, 0..1, or a percentage like 82%", as if the export were broken. It is a value the tool
    withheld: a warning, and the row is left out. A value with a footnote mark or an arrow ('71%*', '71% ▲') is told the
    value to write."""
    rows = ["chat-agent,csat,*,3,2026-01,,,", "chat-agent,csat,n<30,12,2026-02,,,", "chat-agent,csat,Suppressed,,2026-03,,,",
            "chat-agent,csat,<5%,40,2026-04,,,", "chat-agent,csat,72%,130,2026-05,,,", "search-faq,csat,71%*,120,2026-05,,,",
            "search-faq,nps,+12 \u25b2,120,2026-05,,,"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows), engine=engine)
    said = ("a value a BI tool withholds when too few answers are behind it (or shows as a bound): there is nothing to read;"
            " the row is left out")
    hint = "nothing to do where the tool hid it on purpose; export the values themselves to have them read"
    assert [(p.span.line, p.span.col, p.code, p.level, p.message, p.hint) for p in data.problems] == [
        (2, 17, "suppressed-value", "warning", f"CSAT '*' is {said}", hint),
        (3, 17, "suppressed-value", "warning", f"CSAT 'n<30' is {said}", hint),
        (4, 17, "suppressed-value", "warning", f"CSAT 'Suppressed' is {said}", hint),
        (5, 17, "suppressed-value", "warning", f"CSAT '<5%' is {said}", hint),
        (7, 17, "metric-value", "error", "CSAT value '71%*' is not a number",
         "write 71%: a footnote mark or an arrow beside a value is not part of it"),
        (8, 16, "metric-value", "error", "NPS value '+12 \u25b2' is not a number",
         "write +12: a footnote mark or an arrow beside a value is not part of it"),
    ]
    csat = data.get("chat-agent", "csat")
    assert csat is not None and (csat.value, csat.period, csat.series) == (0.72, "2026-05", ())


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_months_labelled_by_their_first_day_are_counted_in_months(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Looker, Power BI and Tableau export a month they group by as its first day ('2026-01-01', '2026-02-01'): the
    trend said "over 60 days (3 with data)" of three monthly values. Days that are all a month's first are counted in
    months; a series with another day stays in days."""
    rows = ["chat-agent,csat,80%,400,2026-01-01,,,", "chat-agent,csat,75%,400,2026-02-01,,,", "chat-agent,csat,70%,400,2026-03-01,,,",
            "search-faq,csat,80%,400,2026-01-01,,,", "search-faq,csat,75%,400,2026-01-15,,,", "search-faq,csat,70%,400,2026-03-01,,,"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows), engine=engine)
    assert data.problems == []
    statuses = analyze(journey, data=data).touchpoints
    monthly, daily = statuses["chat-agent"].metrics["csat"].verdict, statuses["search-faq"].metrics["csat"].verdict
    assert monthly is not None and monthly.startswith("CSAT 80% → 70% over 3 months, falling (worse)")
    assert daily is not None and daily.startswith("CSAT 80% → 70% over 60 days (3 with data)")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_duration_with_commas_between_thousands_is_told_the_number_to_write(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A response time exported as seconds with Excel's '#,##0.0' ('1,234.5') was told "write a duration like 45s, 2m,
    1h30m, 3d, or a number of seconds", not the one it is; '12,600 s' was told to write 12.600 s alone."""
    rows = ["chat-agent,response_time,\"1,234.5\",120,2026-01,,,", "search-faq,response_time,\"12,600 s\",80,2026-01,,,"]
    data = load_metric_data(journey, metrics=table(tmp_path, rows), engine=engine)
    assert [(p.span.line, p.span.col, p.code, p.message, p.hint) for p in data.problems] == [
        (2, 26, "metric-value", "Response time '1,234.5' is not a duration",
         "write the number without thousands separators: 1234.5 (seconds)"),
        # 12.6 seconds, or 12,600? both are told, as for any such number
        (3, 26, "metric-value", "Response time '12,600 s' is not a duration",
         "if the comma separates thousands, write 12600 s (3h30m); if it is a decimal comma, write 12.600 s"),
    ]
