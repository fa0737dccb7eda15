"""Period labels as spreadsheets, BI tools and other languages write them, in a metrics table's and in survey
responses' ``period`` column: each unambiguous one is the period it names, sorted among its kind, the same on
both engines; an ambiguous or impossible one is told at its cell, never read as a wrong period."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from journeymap.data import MetricData, load_metric_data
from journeymap.data.summary import canonical_period
from journeymap.loader import load_text
from journeymap.model import Journey

pytest.importorskip("duckdb")

JOURNEY = """\
journeymap: 1
id: support
title: Support
personas: [{id: new, name: New customer}]
stages: [{id: help, name: Help}]
channels: [{id: chat, name: Chat}]
metrics:
  csat: {target: 0.75}
touchpoints:
  - {id: chat-agent, name: Chat with an agent, stage: help, channel: chat, next: [{to: solved, share: 0.8}]}
  - {id: solved, name: Solved, stage: help, channel: chat, outcome: success}
"""


@pytest.fixture(scope="module")
def journey() -> Journey:
    return load_text(JOURNEY)


#: Three periods in time order (their values 80%, 70%, 60%), and the series read from them, oldest first, as the
#: report shows it: a month named keeps its own label (as 'Jan 2026' always has); other forms their ISO one.
READ = [
    (["Nov-25", "Dec-25", "Jan-26"], ["Nov-25", "Dec-25", "Jan-26"]),  # Excel's mmm-yy
    (["nov.-25", "dec.-25", "jan.-26"], ["nov.-25", "dec.-25", "jan.-26"]),  # Dutch and German Excel's
    (["ene-26", "feb-26", "mar-26"], ["ene-26", "feb-26", "mar-26"]),  # Spanish Excel's
    (["Okt 25", "Dez 25", "Mär 26"], ["Okt 25", "Dez 25", "Mär 26"]),  # German Excel's MMM JJ: no English day
    (["Nov '25", "Dec '25", "Jan '26"], ["Nov '25", "Dec '25", "Jan '26"]),
    (["Nov-2025", "Dec-2025", "Jan-2026"], ["Nov-2025", "Dec-2025", "Jan-2026"]),
    (["2025 4Q", "2026 1Q", "2026 2Q"], ["2025-Q4", "2026-Q1", "2026-Q2"]),
    (["4Q25", "1Q26", "2Q26"], ["2025-Q4", "2026-Q1", "2026-Q2"]),
    (["Q4-25", "Q1-26", "Q2-26"], ["2025-Q4", "2026-Q1", "2026-Q2"]),
    (["Q4 '25", "Q1 '26", "Q2 '26"], ["2025-Q4", "2026-Q1", "2026-Q2"]),
    (["T4 2025", "T1 2026", "T2 2026"], ["2025-Q4", "2026-Q1", "2026-Q2"]),  # French and Spanish trimestre
    (["4T 2025", "2026T1", "2T 2026"], ["2025-Q4", "2026-Q1", "2026-Q2"]),
    (["4. Quartal 2025", "1. Quartal 2026", "Quartal 2 2026"], ["2025-Q4", "2026-Q1", "2026-Q2"]),
    (["4e trimestre 2025", "1er trimestre 2026", "2ème trimestre 2026"], ["2025-Q4", "2026-Q1", "2026-Q2"]),
    (["H2-25", "1H26", "H2 '26"], ["2025-H2", "2026-H1", "2026-H2"]),
    (["W52-25", "W01-26", "W5 '26"], ["2025-W52", "2026-W01", "2026-W05"]),
    (["FY2026-P08", "FY2026-P09", "FY2026-P10"], ["FY2026-P08", "FY2026-P09", "FY2026-P10"]),
    (["FY26 P8", "FY26 P9", "FY26 P10"], ["FY2026-P08", "FY2026-P09", "FY2026-P10"]),
    (["P12 FY26", "P13 FY2026", "FY27 Period 1"], ["FY2026-P12", "FY2026-P13", "FY2027-P01"]),
    # Italian, Portuguese, Dutch, Swedish, Danish, Norwegian and Polish Excel's mmm-yy and Month YYYY (sorted as text
    # each series came out of order: 'dic-25', 'gen-26', 'ott-25')
    (["ott-25", "dic-25", "gen-26"], ["ott-25", "dic-25", "gen-26"]),
    (["set 2025", "mag 2026", "giu 2026"], ["set 2025", "mag 2026", "giu 2026"]),
    (["out-25", "dez-25", "fev-26"], ["out-25", "dez-25", "fev-26"]),
    (["outubro 2025", "dezembro 2025", "março 2026"], ["outubro 2025", "dezembro 2025", "março 2026"]),
    (["okt 2025", "mrt 2026", "mei 2026"], ["okt 2025", "mrt 2026", "mei 2026"]),
    (["okt-25", "maj-26", "jun-26"], ["okt-25", "maj-26", "jun-26"]),
    (["okt-25", "des-25", "mai-26"], ["okt-25", "des-25", "mai-26"]),
    (["paź 2025", "gru 2025", "sty 2026"], ["paź 2025", "gru 2025", "sty 2026"]),
    (["wrzesień 2025", "grudzień 2025", "styczeń 2026"], ["wrzesień 2025", "grudzień 2025", "styczeń 2026"]),
]

#: Labels that name no one period, with the code told at the period cell of each row.
TOLD = [
    (["Nov 25", "Dec 25", "Jan 26"], "ambiguous-period", "it may be 25 November, a day whose year is not written"),
    (["25-Nov", "25-Dec", "26-Jan"], "ambiguous-period", "it may be 25 November, a day whose year is not written"),
    (["5-Jan", "12 Jan", "31-Jan"], "ambiguous-period", "it is 5 January, a day whose year is not written"),
    (["Nov-95", "Dec-95", "Jan-96"], "ambiguous-period", "its year is written in two digits"),
    (["Q4-95", "Q1-96", "Q2-96"], "ambiguous-period", "its year is written in two digits"),
    (["FY2026-P14", "FY26 P0", "FY26 Q5"], "impossible-period", "(a fiscal year's periods are P01 to P13)"),
    # a name two languages give two months: 'lip' is July in Polish, June in Croatian (read as either, a month is wrong)
    (["lip 2026", "srp 2026", "lis 2026"], "ambiguous-period", "'lip' is June in Croatian, and July in Polish"),
    (["listopad 2025", "lis-25", "srp-26"], "ambiguous-period", "'listopad' is November in Polish and Czech, and October in Croatian"),
    (["FY26 M03", "FY26 M04", "FY26 M05"], "ambiguous-period", "it is in a fiscal year, and where that year starts is not written"),
]


def _metrics(tmp_path: Path, labels: list[str]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["touchpoint", "metric", "value", "n", "period"])
    for value, label in zip(["80%", "70%", "60%"], labels, strict=True):
        writer.writerow(["chat-agent", "csat", value, "400", label])
    path = tmp_path / "metrics.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _responses(tmp_path: Path, labels: list[str]) -> Path:
    """Ten answers a period, 8, 7 then 6 of them satisfied (CSAT 80%, 70%, 60%)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["touchpoint", "metric", "score", "respondent", "period"])
    for index, (satisfied, label) in enumerate(zip([8, 7, 6], labels, strict=True)):
        for r in range(10):
            writer.writerow(["chat-agent", "csat", 5 if r < satisfied else 2, f"r{index}-{r}", label])
    path = tmp_path / "survey.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _read(journey: Journey, tmp_path: Path, kind: str, labels: list[str]) -> MetricData:
    path = (_metrics if kind == "metrics" else _responses)(tmp_path, labels)
    by_row = load_metric_data(journey, **{kind: [path]}, engine="python")  # type: ignore[arg-type]
    by_duckdb = load_metric_data(journey, **{kind: [path]}, engine="duckdb")  # type: ignore[arg-type]
    assert [str(p) for p in by_row.problems] == [str(p) for p in by_duckdb.problems]
    assert by_row == by_duckdb
    return by_row


@pytest.mark.parametrize("kind", ["metrics", "responses"])
@pytest.mark.parametrize(("labels", "series"), READ, ids=[labels[-1] for labels, _ in READ])
def test_a_period_written_another_way_is_the_period_it_names_in_time_order(
    tmp_path: Path, journey: Journey, kind: str, labels: list[str], series: list[str]
) -> None:
    from journeymap.analysis import analyze

    data = _read(journey, tmp_path, kind, labels)
    assert data.problems == []
    csat = data.get("chat-agent", "csat")
    assert csat is not None
    assert [(p.period, round(p.value, 2)) for p in csat.series] == list(zip(series, [0.8, 0.7, 0.6], strict=True))
    assert csat.period == series[-1]
    status = analyze(journey, data=data).touchpoints["chat-agent"].metrics["csat"]
    assert status.trend is not None and status.verdict is not None and "mixed forms" not in status.verdict


@pytest.mark.parametrize("kind", ["metrics", "responses"])
@pytest.mark.parametrize(("labels", "code", "why"), TOLD, ids=[labels[-1] for labels, _, _ in TOLD])
def test_a_period_that_names_no_one_period_is_told_at_its_cell_and_never_read(
    tmp_path: Path, journey: Journey, kind: str, labels: list[str], code: str, why: str
) -> None:
    data = _read(journey, tmp_path, kind, labels)
    col = 25 if kind == "metrics" else 24  # the period cell: after 'chat-agent,csat,80%,400,' or 'chat-agent,csat,5,r0-0,'
    assert {(p.code, p.level, p.span.col) for p in data.problems} == {(code, "error", col)}
    assert why in data.problems[0].message
    assert "write" in (data.problems[0].hint or "")
    assert data.get("chat-agent", "csat") is None


@pytest.mark.parametrize("kind", ["metrics", "responses"])
def test_excel_months_over_a_year_end_sort_by_date_not_as_text(tmp_path: Path, journey: Journey, kind: str) -> None:
    """Sorted as text, 'Sep-26' came after 'Oct-26' and was taken for the latest month; Jan-27 is the latest."""
    labels = ["Jan-26", "Feb-26", "Mar-26", "Apr-26", "May-26", "Jun-26", "Jul-26", "Aug-26", "Sep-26", "Oct-26",
              "Nov-26", "Dec-26", "Jan-27"]
    shuffled = labels[5:] + labels[:5]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if kind == "metrics":
        writer.writerow(["touchpoint", "metric", "value", "n", "period"])
        for label in shuffled:
            writer.writerow(["chat-agent", "csat", f"{50 + labels.index(label)}%", "400", label])
    else:
        writer.writerow(["touchpoint", "metric", "score", "respondent", "period"])
        for label in shuffled:  # one more satisfied answer of 20 each month
            for r in range(20):
                writer.writerow(["chat-agent", "csat", 5 if r < 4 + labels.index(label) else 2, f"{label}-{r}", label])
    path = tmp_path / "months.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    by_row = load_metric_data(journey, **{kind: [path]}, engine="python")  # type: ignore[arg-type]
    by_duckdb = load_metric_data(journey, **{kind: [path]}, engine="duckdb")  # type: ignore[arg-type]
    assert by_row == by_duckdb
    assert by_row.problems == []
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None
    assert [p.period for p in csat.series] == labels
    assert csat.period == "Jan-27"
    values = [p.value for p in csat.series]
    assert values == sorted(values)


@pytest.mark.parametrize("kind", ["metrics", "responses"])
def test_a_month_beside_a_quarter_in_one_series_is_told_it_may_not_sort(tmp_path: Path, journey: Journey, kind: str) -> None:
    data = _read(journey, tmp_path, kind, ["Sep-25", "Q4 2025", "Jan-26"])
    assert {p.code for p in data.problems} == {"period-order"}


def test_a_month_written_as_excel_does_in_a_date_column_is_told_it_is_a_month(tmp_path: Path, journey: Journey) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("touchpoint,metric,score,respondent,date\nchat-agent,csat,5,a,Jan-26\n", encoding="utf-8")
    for engine in ("python", "duckdb"):
        data = load_metric_data(journey, responses=[path], engine=engine)
        assert [(p.code, p.span.line, p.span.col) for p in data.problems] == [("invalid-date", 2, 21)]
        assert "2026-01" in (data.problems[0].hint or "") + data.problems[0].message


@pytest.mark.parametrize("kind", ["metrics", "responses"])
def test_a_named_month_still_to_come_is_told_as_an_iso_one_is(
    tmp_path: Path, journey: Journey, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Jan-28' (2026 typed 2028) was the latest period, its value the touchpoint's, where '2028-01' is a future-period
    warning and left out; so was 'Jan 2028'."""
    from datetime import date

    import journeymap.data.responses as responses

    monkeypatch.setattr(responses, "today", lambda: date(2026, 7, 14))
    for labels in (["Jun-26", "Jul-26", "Jan-28"], ["Jun 2026", "Jul 2026", "Jan 2028"]):
        data = _read(journey, tmp_path, kind, labels)
        told = [p for p in data.problems if p.code == "future-period"]
        assert [p.level for p in told] == ["warning"]  # (a survey's answers in no period are a no-period warning too)
        assert {p.code for p in data.problems} <= {"future-period", "no-period"}
        assert f"the period '{labels[-1]}' starts on 2028-01-01, still to come" in told[0].message
        csat = data.get("chat-agent", "csat")
        assert csat is not None and [p.period for p in csat.series] == labels[:2]


def test_a_day_without_its_year_in_a_date_column_is_told_so(tmp_path: Path, journey: Journey) -> None:
    """Excel's d-mmm ('26-Jan') in a date column was told only 'write dates as YYYY-MM-DD'."""
    path = tmp_path / "survey.csv"
    path.write_text("touchpoint,metric,score,respondent,date\nchat-agent,csat,5,a,26-Jan\nchat-agent,csat,5,b,Jan 5\n",
                    encoding="utf-8")
    for engine in ("python", "duckdb"):
        data = load_metric_data(journey, responses=[path], engine=engine)
        assert [(p.code, p.span.line, p.span.col) for p in data.problems] == [("invalid-date", 2, 21), ("invalid-date", 3, 21)]
        assert "'26-Jan' is 26 January without its year" in (data.problems[0].hint or "")
        assert "'Jan 5' is 5 January without its year" in (data.problems[1].hint or "")


#: Series whose latest label no calendar has (their values 80%, 70%, 60%: the impossible one's 60% is left out).
IMPOSSIBLE = [["2026-11", "2026-12", "2026-13"], ["Q3 2026", "Q4 2026", "Q5 2026"], ["2026-02-27", "2026-02-28", "2026-02-30"],
              ["2025-W51", "2025-W52", "2025-W53"], ["FY2026-P12", "FY2026-P13", "FY2026-P14"]]


@pytest.mark.parametrize("labels", IMPOSSIBLE, ids=[labels[-1] for labels in IMPOSSIBLE])
def test_a_metrics_table_period_no_calendar_has_is_an_error_at_its_cell_and_its_row_is_left_out(
    tmp_path: Path, journey: Journey, labels: list[str]
) -> None:
    """'2026-13' was a warning and its row was kept under it: sorted as text after '2026-12', it was the latest period,
    and its 60% the touchpoint's CSAT. It is an error at its cell, as an ambiguous label is, and the row is left out."""
    data = _read(journey, tmp_path, "metrics", labels)
    assert {p.code for p in data.problems} == {"impossible-period"}  # 'Q5 2026' was a period-order warning too
    assert [(p.level, p.span.line, p.span.col) for p in data.problems] == [("error", 4, 25)]
    assert data.problems[0].message.endswith("; the row is left out")
    assert "write a month as 2026-01 to 2026-12" in (data.problems[0].hint or "")
    csat = data.get("chat-agent", "csat")
    assert csat is not None
    read = [canonical_period(label)[0] for label in labels[:2]]  # 'Q4 2026' is 2026-Q4
    assert (csat.value, csat.period, [p.period for p in csat.series]) == (0.7, read[1], read)


@pytest.mark.parametrize(("labels", "over"), [
    (["FY26 P8", "FY26 P9", "FY26 P11"], "over 4 periods (3 with data)"),  # one fiscal year: P10 is missing
    (["FY26 P12", "FY26 P13", "FY27 P2"], "over 4 periods (3 with data)"),  # a P13: thirteen periods a year
    (["FY26 P11", "FY26 P12", "FY27 P2"], "over 3 periods,"),  # twelve or thirteen a year is not written: evenly spaced
])
def test_a_trend_over_fiscal_periods_counts_the_periods_between_them_where_it_can(
    tmp_path: Path, journey: Journey, labels: list[str], over: str
) -> None:
    from journeymap.analysis import analyze

    data = _read(journey, tmp_path, "metrics", labels)
    status = analyze(journey, data=data).touchpoints["chat-agent"].metrics["csat"]
    assert status.verdict is not None and status.verdict.startswith(f"CSAT 80% → 60% {over}")


@pytest.mark.parametrize("labels", IMPOSSIBLE[:4], ids=[labels[-1] for labels in IMPOSSIBLE[:4]])
def test_a_survey_period_no_calendar_has_is_an_error_at_its_first_answer_and_its_answers_are_not_counted(
    tmp_path: Path, journey: Journey, labels: list[str]
) -> None:
    """'2026-13' was a warning and its ten answers were counted under it, the latest period: CSAT 60%. As an ambiguous
    label's, they are not counted: one error at the first answer's period cell, with the rows it stands for."""
    path = _responses(tmp_path, labels)
    with path.open("a", encoding="utf-8") as out:  # a comment on an answer in it: counted, in no period
        out.write(f"chat-agent,csat,2,r9-9,{labels[-1]}\n")
    rows = [row + "," for row in path.read_text(encoding="utf-8").splitlines()]
    rows[0] += "comment"
    rows[-1] += "the slots were gone"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    by_row = load_metric_data(journey, responses=[path], engine="python")
    by_duckdb = load_metric_data(journey, responses=[path], engine="duckdb")
    assert [str(p) for p in by_row.problems] == [str(p) for p in by_duckdb.problems]
    assert by_row == by_duckdb
    assert [(p.code, p.level, p.span.line, p.span.col) for p in by_row.problems] == [("impossible-period", "error", 22, 24)]
    assert by_row.problems[0].message.endswith("the answer is not counted (11 rows: lines 22, 23, 24, 25, 26, ...)")
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None
    read = [canonical_period(label)[0] for label in labels[:2]]  # 'Q4 2026' is 2026-Q4
    assert (round(csat.value, 2), csat.period, [p.period for p in csat.series]) == (0.7, read[1], read)
    assert by_row.verbatims["chat-agent"].comments == 1  # its comment is still read, in no period


def test_a_month_name_two_languages_read_as_two_months_is_never_read_as_one() -> None:
    """Every such name is told with both readings, in each form a month is written; a name the languages agree on
    ('set' is September in Italian and Portuguese, 'mar' March in several, 'dez' and 'dic' December) is its month."""
    from journeymap.data.summary import _TWO_MONTHS, period_key

    assert sorted(_TWO_MONTHS) == ["lip", "lis", "listopad", "srp"]
    for name in _TWO_MONTHS:
        for label in (f"{name} 2026", f"{name}-26", f"{name.title()}. 2026", f"2026 {name}", name):
            label_read, why = canonical_period(label)
            assert label_read == label and why is not None and why.count(" in ") == 2, label
    assert [period_key(label) for label in ("set 2026", "mar-26", "dez 2026", "dic-26", "maj 2026", "mai-26")] == [
        "2026-09", "2026-03", "2026-12", "2026-12", "2026-05", "2026-05"]


def test_a_label_no_calendar_has_in_a_date_column_is_not_told_it_is_a_month(tmp_path: Path, journey: Journey) -> None:
    """'2026-13' in a date column was told "'2026-13' is a month, not a day: name the column 'period'", where it would be
    an impossible-period error."""
    path = tmp_path / "survey.csv"
    path.write_text("touchpoint,metric,score,respondent,date\nchat-agent,csat,5,a,2026-13\n", encoding="utf-8")
    for engine in ("python", "duckdb"):
        data = load_metric_data(journey, responses=[path], engine=engine)
        assert [(p.code, p.span.line, p.span.col) for p in data.problems] == [("invalid-date", 2, 21)]
        assert "is a month" not in (data.problems[0].hint or "")
