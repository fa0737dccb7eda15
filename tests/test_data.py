"""Data files: metrics tables, survey responses, event logs. Every bad row is a problem
naming the file, the CSV line and the column; nothing is dropped silently."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from journeymap.data import load_metric_data
from journeymap.loader import load_text
from journeymap.model import Journey
from journeymap.problems import Problem

JOURNEY = """\
journeymap: 1
id: shop
title: Shop
personas: [{id: p, name: P}]
channels: [{id: web, name: Web}, {id: chat, name: Chat}]
stages: [{id: buy, name: Buy}]
metrics:
  fcr: {label: First-contact resolution, scale: [0, 1], better: higher, target: 0.7}
touchpoints:
  - {id: browse, name: Browse, stage: buy, channel: web, next: [{to: checkout, share: 0.6}, {to: help, share: 0.2}]}
  - {id: help, name: Help, stage: buy, channel: chat, next: [{to: checkout, share: 0.5}]}
  - {id: checkout, name: Checkout, stage: buy, channel: web, metrics: {csat: 0.7}, next: [{to: paid, share: 0.9}]}
  - {id: paid, name: Paid, stage: buy, channel: web, outcome: success}
"""


@pytest.fixture
def journey() -> Journey:
    return load_text(JOURNEY)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, f"expected one {code}, got {[str(p) for p in problems]}"
    return found[0]


def where(problem: Problem) -> tuple[str, int, int]:
    return Path(problem.span.file).name, problem.span.line, problem.span.col


# -- metrics tables -------------------------------------------------------------


def test_metrics_table_values_are_read_like_journey_values(tmp_path: Path, journey: Journey) -> None:
    path = write(
        tmp_path,
        "m.csv",
        "touchpoint,metric,value,n,period\n"
        "checkout,csat,82%,410,2026-Q3\n"
        "help,response_time,7m,,\n"
        "help,fcr,0.41,880,2026-Q3\n",
    )
    data = load_metric_data(journey, metrics=path)
    assert data.problems == []
    csat = data.get("checkout", "csat")
    assert csat is not None
    assert (csat.value, csat.n, csat.period, csat.how) == (pytest.approx(0.82), 410, "2026-Q3", "table")
    assert (csat.span.line, Path(csat.source).name) == (2, "m.csv")
    rt = data.get("help", "response_time")
    assert rt is not None and (rt.value, rt.n) == (420.0, None)


@pytest.mark.parametrize(
    ("row", "code", "column", "message"),
    [
        ("chekout,csat,0.8", "unknown-touchpoint", 1, "unknown touchpoint 'chekout'"),
        ("checkout,csta,0.8", "unknown-metric", 10, "unknown metric 'csta'"),
        ("checkout,csat,good", "metric-value", 15, "CSAT value 'good' is not a number"),
        ("checkout,csat,1.5", "metric-value", 15, "CSAT 1.5 is outside its scale 0..1"),
        ("checkout,nps,150", "metric-value", 14, "NPS 150 is outside its scale -100..100"),
        ("checkout,response_time,soon", "metric-value", 24, "Response time 'soon' is not a duration"),
        ("checkout,csat,", "missing-value", 15, "the value is empty"),
        (",csat,0.8", "missing-value", 1, "the touchpoint is empty"),
        ("checkout,csat,0.8,lots", "invalid-count", 19, "n 'lots' is not a whole number >= 0"),
        ("checkout,csat,0.8,-3", "invalid-count", 19, "n '-3' is not a whole number >= 0"),
        ("checkout,csat,0.8,40,Q3,extra", "row-shape", 25, "this row has 6 cells but the header has 5 columns"),
    ],
)
def test_each_bad_metrics_row_is_a_problem_at_its_line_and_column(
    tmp_path: Path, journey: Journey, row: str, code: str, column: int, message: str
) -> None:
    path = write(tmp_path, "metrics.csv", f"touchpoint,metric,value,n,period\nhelp,fcr,0.5\n{row}\n")
    data = load_metric_data(journey, metrics=path)
    problem = only(data.problems, code)
    assert where(problem) == ("metrics.csv", 3, column)
    assert problem.message.startswith(message)
    assert problem.is_error
    assert data.get("help", "fcr") is not None  # the good row is still used
    assert data.get("checkout", "csat") is None


def test_survey_dates_as_databases_write_them() -> None:
    from journeymap.data.responses import _date

    assert [_date(t) for t in ("2026-05-31 23:30:00 UTC", "2026-05-31T23:30:00+00", "2026-05-31 23:30:00.123456789Z",
                               "2026-05-31UTC", "31/05/2026")] == [date(2026, 5, 31)] * 3 + [None, None]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_decimal_comma_is_named_with_the_number_to_write(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A European spreadsheet's semicolon export writes 58,3%: an error that says what to write. (A semicolon file
    whose numbers never use a decimal point is now read with its decimal commas: tests/test_voice_tables.py.) Where a
    number uses a dot for decimals, its commas are no decimal point, each told."""
    path = write(tmp_path, "m.csv", "touchpoint;metric;value;n\ncheckout;csat;58,3%;400\nhelp;fcr;0,41;100\nhelp;response_time;7m;\n"
                 "checkout;nps;1,234;10\nhelp;csat;0.8;10\n")
    data = load_metric_data(journey, metrics=path, engine=engine)
    assert [(p.span.line, p.message, p.hint) for p in data.problems] == [
        (2, "CSAT value '58,3%' is not a number", "write the decimal point as a dot: 58.3%"),
        (3, "First-contact resolution value '0,41' is not a number", "write the decimal point as a dot: 0.41"),
        (5, "NPS value '1,234' is not a number", "write the decimal point as a dot: 1.234 (or 1234 if the comma separates thousands)"),
    ]
    assert data.get("help", "response_time") is not None
    # read with its decimal commas, '1,234' is still an error, whose hint does not say to write 1.234 (1234 there)
    path = write(tmp_path, "m.csv", "touchpoint;metric;value;n\ncheckout;csat;58,3%;400\ncheckout;nps;1,234;10\n")
    data = load_metric_data(journey, metrics=path, engine=engine)
    assert [(p.span.line, p.code, p.hint) for p in data.problems] == [
        (2, "decimal-comma", "nothing to do; a number such as '1,240' (1.24, or 1240?) is still an error: write it 1,24 or 1240"),
        (3, "metric-value", "a comma is this file's decimal point, but one between thousands is written so too: write 1234 if"
                            " it is 1234; if it is 1.234, write 1,2340"),
    ]


def test_did_you_mean_for_unknown_touchpoints_and_metrics(tmp_path: Path, journey: Journey) -> None:
    path = write(tmp_path, "m.csv", "touchpoint,metric,value\nchekout,csat,0.8\ncheckout,fcrr,0.5\n")
    data = load_metric_data(journey, metrics=path)
    assert only(data.problems, "unknown-touchpoint").hint == "did you mean 'checkout'?"
    assert only(data.problems, "unknown-metric").hint == "did you mean 'fcr'?"


def test_missing_columns_are_one_problem_on_the_header(tmp_path: Path, journey: Journey) -> None:
    path = write(tmp_path, "m.csv", "touchpoint,metrc,valu\ncheckout,csat,0.8\n")
    data = load_metric_data(journey, metrics=path)
    problem = only(data.problems, "missing-column")
    assert where(problem) == ("m.csv", 1, 1)
    assert "'metric', 'value'" in problem.message
    assert problem.hint == "rename 'metrc' to 'metric'; rename 'valu' to 'value'"
    assert data.points == {}


def test_unknown_column_is_a_warning_and_ignored(tmp_path: Path, journey: Journey) -> None:
    path = write(tmp_path, "m.csv", "touchpoint,metric,value,comment\ncheckout,csat,0.8,fine\n")
    data = load_metric_data(journey, metrics=path)
    problem = only(data.problems, "unknown-column")
    assert problem.level == "warning"
    assert data.get("checkout", "csat") is not None


def test_bom_semicolons_and_crlf_are_tolerated(tmp_path: Path, journey: Journey) -> None:
    path = write(tmp_path, "m.csv", "\ufefftouchpoint;metric;value\r\ncheckout;csat;82%\r\n")
    data = load_metric_data(journey, metrics=path)
    assert data.problems == []
    point = data.get("checkout", "csat")
    assert point is not None and point.value == pytest.approx(0.82)


def test_not_utf8_is_a_problem_with_the_line(tmp_path: Path, journey: Journey) -> None:
    path = write(tmp_path, "m.csv", "touchpoint,metric,value\ncheckout,csat,0.8\nhelp,fcr,caf\u00e9\n", "latin-1")
    problem = only(load_metric_data(journey, metrics=path).problems, "encoding")
    assert where(problem)[:2] == ("m.csv", 3)


def test_empty_and_missing_files(tmp_path: Path, journey: Journey) -> None:
    assert only(load_metric_data(journey, metrics=write(tmp_path, "e.csv", "")).problems, "empty").is_error
    assert only(load_metric_data(journey, metrics=tmp_path / "nope.csv").problems, "io").message == "file not found"
    header_only = load_metric_data(journey, metrics=write(tmp_path, "h.csv", "touchpoint,metric,value\n"))
    assert only(header_only.problems, "no-rows").level == "warning"


def test_a_quoted_cell_with_a_line_break_keeps_later_line_numbers_right(tmp_path: Path, journey: Journey) -> None:
    path = write(
        tmp_path,
        "m.csv",
        'touchpoint,metric,value,n,period\ncheckout,csat,0.8,10,"2026\nQ3"\nhelp,fcr,bad\n',
    )
    problem = only(load_metric_data(journey, metrics=path).problems, "metric-value")
    assert where(problem) == ("m.csv", 4, 10)


def test_history_latest_period_wins_and_true_duplicates_are_errors(tmp_path: Path, journey: Journey) -> None:
    path = write(
        tmp_path,
        "m.csv",
        "touchpoint,metric,value,n,period\n"
        "checkout,csat,0.61,380,2026-Q2\n"
        "checkout,csat,0.58,412,2026-Q3\n"
        "checkout,csat,0.60,300,2026-Q1\n"
        "help,fcr,0.4,,\n"
        "help,fcr,0.5,,\n",
    )
    data = load_metric_data(journey, metrics=path)
    csat = data.get("checkout", "csat")
    assert csat is not None and (csat.value, csat.period) == (0.58, "2026-Q3")
    duplicate = only(data.problems, "duplicate-row")
    assert where(duplicate) == ("m.csv", 6, 1)
    assert "m.csv:5:1" in duplicate.message
    fcr = data.get("help", "fcr")
    assert fcr is not None and fcr.value == 0.5


def test_parquet_without_pyarrow_says_how_to_read_it(tmp_path: Path, journey: Journey) -> None:
    # a file of text under a Parquet name is said to be text, not sent to a Parquet reader
    told = only(load_metric_data(journey, metrics=write(tmp_path, "t.parquet", "x")).problems, "format")
    assert (told.message, told.hint) == ("the file is text, not Parquet, so none of it is read", "export the file as CSV or Parquet")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        path = tmp_path / "m.parquet"
        path.write_bytes(b"PAR1" + b"\x00" * 8 + b"PAR1")  # starts as Parquet does: the Parquet reader is asked
        problem = only(load_metric_data(journey, metrics=path).problems, "parquet")
        assert problem.hint is not None and "pyarrow" in problem.hint
    else:
        pytest.skip("pyarrow is installed")


# -- survey responses -----------------------------------------------------------


def test_responses_are_computed_exactly_with_n(tmp_path: Path, journey: Journey) -> None:
    rows = ["touchpoint,metric,score,respondent,date"]
    rows += [f"paid,nps,{s},r{i},2026-09-0{1 + i % 9}" for i, s in enumerate([1, 2, 3, 5, 7, 8, 9, 9, 9, 10])]
    rows += [f"checkout,csat,{s},,2026-09-01" for s in [5, 4, 3, 2, 1, 5]]
    rows += [f"help,ces,{s},," for s in [7, 6, 2]]
    data = load_metric_data(journey, responses=write(tmp_path, "r.csv", "\n".join(rows) + "\n"))
    assert data.problems == []
    nps, csat, ces = data.get("paid", "nps"), data.get("checkout", "csat"), data.get("help", "ces")
    assert nps is not None and (nps.value, nps.n, nps.how) == (0.0, 10, "responses")
    assert csat is not None and (csat.value, csat.n) == (0.5, 6)
    assert csat.span.line == 12  # the first answer used
    assert ces is not None and (ces.value, ces.n) == (5.0, 3)


@pytest.mark.parametrize(
    ("row", "code", "level", "column", "message"),
    [
        ("checkout,csat,6", "score", "error", 15, "CSAT score 6 is off the 1..5 answer scale"),
        ("checkout,nps,11", "score", "error", 14, "NPS score 11 is off the 0..10 answer scale"),
        ("checkout,ces,0", "score", "error", 14, "CES score 0 is off the 1..7 answer scale"),
        ("checkout,csat,great", "score", "error", 15, "CSAT score 'great' is not a number"),
        ("checkout,csat,4.5", "score", "error", 15, "CSAT score 4.5 is not a whole number"),
        ("checkout,drop_off,1", "not-a-survey-metric", "error", 10, "drop_off cannot be computed from survey answers"),
        ("checkout,fcr,1", "not-a-survey-metric", "error", 10, "fcr cannot be computed"),
        ("checkout,cast,4", "unknown-metric", "error", 10, "unknown survey metric 'cast'"),
        ("chekout,csat,4", "unknown-touchpoint", "error", 1, "unknown touchpoint 'chekout'"),
        ("checkout,csat,", "blank-score", "warning", 15, "the score is blank"),
        ("checkout,csat,4,r9,yesterday", "invalid-date", "warning", 20, "'yesterday' is not a date"),
    ],
)
def test_each_bad_response_row_is_a_problem_at_its_line(
    tmp_path: Path, journey: Journey, row: str, code: str, level: str, column: int, message: str
) -> None:
    text = f"touchpoint,metric,score,respondent,date\ncheckout,csat,5,r1,2026-09-01\n{row}\n"
    data = load_metric_data(journey, responses=write(tmp_path, "answers.csv", text))
    problem = only(data.problems, code)
    assert where(problem) == ("answers.csv", 3, column)
    assert problem.message.startswith(message), problem.message
    assert problem.level == level
    csat = data.get("checkout", "csat")
    assert csat is not None
    expected_n = 2 if code == "invalid-date" else 1
    assert csat.n == expected_n


def test_a_respondent_answering_twice_is_counted_once(tmp_path: Path, journey: Journey) -> None:
    text = "touchpoint,metric,score,respondent\ncheckout,csat,5,r1\ncheckout,csat,1,r1\ncheckout,csat,4,r2\n"
    data = load_metric_data(journey, responses=write(tmp_path, "a.csv", text))
    problem = only(data.problems, "duplicate-respondent")
    assert (problem.level, problem.span.line) == ("warning", 3)
    csat = data.get("checkout", "csat")
    assert csat is not None and (csat.value, csat.n) == (1.0, 2)


def test_responses_pool_across_files(tmp_path: Path, journey: Journey) -> None:
    a = write(tmp_path, "a.csv", "touchpoint,metric,score\ncheckout,csat,5\n")
    b = write(tmp_path, "b.csv", "touchpoint,metric,score\ncheckout,csat,1\n")
    csat = load_metric_data(journey, responses=[a, b]).get("checkout", "csat")
    assert csat is not None and (csat.value, csat.n) == (0.5, 2)
    assert [Path(s.strip()).name for s in csat.source.split(",")] == ["a.csv", "b.csv"]


def test_precedence_events_then_table_then_responses_with_clash_warnings(tmp_path: Path, journey: Journey) -> None:
    table = write(tmp_path, "m.csv", "touchpoint,metric,value,n\ncheckout,csat,0.9,100\n")
    answers = write(tmp_path, "r.csv", "touchpoint,metric,score\ncheckout,csat,1\ncheckout,csat,5\n")
    data = load_metric_data(journey, metrics=table, responses=answers)
    csat = data.get("checkout", "csat")
    assert csat is not None and (csat.value, csat.how) == (0.5, "responses")
    clash = only(data.problems, "data-clash")
    assert clash.level == "warning"
    assert "the value computed from responses wins" in clash.message
    # which counts (and periods, when the values have them) are compared
    assert clash.message.startswith("CSAT of 'checkout' is 50% (n=2) here and 90% (n=100) at ")


def test_a_clash_says_which_periods_of_the_weaker_file_leave_the_series(tmp_path: Path, journey: Journey) -> None:
    """A metrics table of CSAT history (January to March) and this month's survey answers: the answers win, and
    their series is April alone, the table's three months gone from the series and the trend, while the warning
    said only "the value computed from responses wins", as if one value had replaced another."""
    table = write(tmp_path, "m.csv", "touchpoint,metric,value,n,period\ncheckout,csat,0.9,300,2026-01\n"
                  "checkout,csat,0.88,300,2026-02\ncheckout,csat,0.86,300,2026-03\ncheckout,csat,0.7,40,2026-04\n")
    rows = "".join(f"checkout,csat,{5 if i % 2 else 1},2026-04-{1 + i % 28:02d}\n" for i in range(100))
    answers = write(tmp_path, "r.csv", "touchpoint,metric,score,date\n" + rows)
    data = load_metric_data(journey, metrics=table, responses=answers, period="month")
    csat = data.get("checkout", "csat")
    assert csat is not None and [(p.period, p.n) for p in csat.series] == [("2026-04", 100)]
    clash = only(data.problems, "data-clash")
    assert clash.message == (
        f"CSAT of 'checkout' is 50% (period 2026-04, n=100) here and 70% (period 2026-04, n=40) at {table}:5:1;"
        " the value computed from responses wins, and 3 periods of the metrics table that it does not have"
        " (2026-01 to 2026-03) are in no series or trend")
    # answers without dates: the table's four months are in no series
    undated = write(tmp_path, "u.csv", "touchpoint,metric,score\ncheckout,csat,5\ncheckout,csat,1\n")
    told = only(load_metric_data(journey, metrics=table, responses=undated, period="month").problems, "data-clash")
    assert told.message.endswith("; the value computed from responses wins, and 4 periods of the metrics table that it does"
                                 " not have (2026-01 to 2026-04) are in no series or trend")
    # the same periods in both: nothing more to say
    april = write(tmp_path, "a.csv", "touchpoint,metric,value,n,period\ncheckout,csat,0.7,40,2026-04\n")
    again = only(load_metric_data(journey, metrics=april, responses=answers, period="month").problems, "data-clash")
    assert again.message.endswith("; the value computed from responses wins")
# -- event logs -----------------------------------------------------------------

EVENTS = """\
customer,timestamp,touchpoint,outcome
c1,2026-09-01T10:00:00Z,browse,
c1,2026-09-01T10:05:00Z,checkout,
c1,2026-09-01T10:06:00Z,paid,
c2,2026-09-01T11:00:00Z,browse,
c2,2026-09-01T11:01:00Z,help,
c2,2026-09-01T11:02:00Z,help,
c2,2026-09-01T11:09:00Z,checkout,
c3,2026-09-01T12:05:00Z,checkout,
c3,2026-09-01T12:00:00Z,browse,
c4,1788000000,browse,
"""


def test_event_log_gives_volumes_drop_off_flows_and_endings(tmp_path: Path, journey: Journey) -> None:
    data = load_metric_data(journey, events=write(tmp_path, "ev.csv", EVENTS))
    assert data.problems == []
    volume = {t: data.points[(t, "volume")].value for t in ("browse", "help", "checkout", "paid")}
    assert volume == {"browse": 4, "help": 1, "checkout": 3, "paid": 1}
    drop = data.get("checkout", "drop_off")
    # c2 and c3 end at checkout (c3's events are out of file order, but in time order)
    assert drop is not None and (drop.value, drop.n) == (pytest.approx(2 / 3), 3)
    browse_drop = data.get("browse", "drop_off")
    assert browse_drop is not None and browse_drop.value == 0.25
    assert data.get("paid", "drop_off") is None  # an outcome
    events = data.events
    assert events is not None
    assert (events.customers, events.succeeded, events.failed, events.left) == (4, 1, 0, 3)
    flows = {(f.source, f.target): (f.count, f.share, f.declared_share) for f in events.flows}
    assert flows[("browse", "checkout")] == (2, 0.5, 0.6)
    assert flows[("browse", "help")] == (1, 0.25, 0.2)
    assert ("help", "help") not in flows  # repeats in a row are one visit


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_event_logs_drop_off_is_a_share_of_visits_as_the_flows_are(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Drop-off was the share of a touchpoint's visitors whose journey ended there, while its flows' shares are
    per visit: in a loop the two did not add up (a visit either goes on or is the customer's last), so the
    model's leave share, 0.3, read as a drop-off of 0.6. It is the share of visits after which the journey
    ended there, n = the visits; without repeat visits, the visitors as before."""
    log = write(tmp_path, "ev.csv", "customer,timestamp,touchpoint,outcome\n" + "".join(
        f"{c},2026-09-01T10:{i:02d}:00Z,{tp},\n" for c, path in (
            ("c1", ("browse", "help", "browse", "checkout", "paid")),
            ("c2", ("browse", "help", "browse", "help")),
            ("c3", ("browse",)),
        ) for i, tp in enumerate(path)))
    data = load_metric_data(journey, events=log, engine=engine)
    assert data.events is not None
    drop = {t: (data.points[(t, "drop_off")].value, data.points[(t, "drop_off")].n) for t in ("browse", "help", "checkout")}
    assert drop == {"browse": (0.2, 5), "help": (pytest.approx(1 / 3), 3), "checkout": (0.0, 1)}
    assert data.get("browse", "volume").value == 3  # type: ignore[union-attr]  # volumes stay customers
    for touchpoint, (value, _) in drop.items():  # every visit went on or was the last
        assert value + sum(f.share for f in data.events.flows if f.source == touchpoint) == pytest.approx(1)


@pytest.mark.parametrize(
    ("row", "code", "level", "column"),
    [
        ("c9,2026-13-45,browse,", "invalid-timestamp", "error", 4),
        ("c9,,browse,", "missing-value", "error", 4),
        (",2026-09-01,browse,", "missing-value", "error", 1),
        ("c9,2026-09-01,browse,won", "invalid-outcome", "error", 22),
    ],
)
@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_each_bad_event_row_is_a_problem(
    tmp_path: Path, journey: Journey, row: str, code: str, level: str, column: int, engine: str
) -> None:
    text = "customer,timestamp,touchpoint,outcome\nc9,2026-08-31,browse,\n" + row + "\n"
    data = load_metric_data(journey, events=write(tmp_path, "log.csv", text), engine=engine)
    problem = only(data.problems, code)
    assert problem.level == level
    assert where(problem) == ("log.csv", 3, column)
    assert "(the row is left out)" in problem.message
    assert data.events is not None and data.events.rows == 2 and data.events.customers == 1


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_unknown_touchpoints_are_ad_hoc_visits_with_one_warning(tmp_path: Path, journey: Journey, engine: str) -> None:
    """An event log with touchpoints the journey lacks is normal data: ad hoc, not an error per row."""
    text = ("customer,timestamp,touchpoint\n" + "".join(f"c{i},2026-09-01,old-step\n" for i in range(5)) + "c9,2026-09-01,brows\n"
            + "c8,2026-09-01,browse\n")  # one the journey has: with none, the log is another journey's (an error)
    data = load_metric_data(journey, events=write(tmp_path, "log.csv", text), engine=engine)
    problem = only(data.problems, "unknown-touchpoint")
    assert problem.level == "warning"
    assert "'old-step' (5 customers), 'brows' (1 customer)" in problem.message
    assert problem.hint == "'brows': did you mean 'browse'?"
    assert data.events is not None and data.events.conformance is not None
    assert data.events.conformance["ad_hoc"] == pytest.approx(6 / 7)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_undeclared_flows_are_one_warning(tmp_path: Path, journey: Journey, engine: str) -> None:
    text = "customer,timestamp,touchpoint,outcome\nc9,2026-08-31,help,\nc9,2026-09-01,paid,\nc8,1,help,\nc8,2,paid,\nc8,3,browse,\n"
    problem = only(load_metric_data(journey, events=write(tmp_path, "log.csv", text), engine=engine).problems, "undeclared-flow")
    assert problem.level == "warning"
    assert "2 flows the journey does not declare: 'help' -> 'paid' (2), 'paid' -> 'browse' (1)" in problem.message


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_undeclared_flows_under_a_persona_are_those_of_the_personas_view(tmp_path: Path, engine: str) -> None:
    """Its customers' paths are replayed against the persona's view (the flows between touchpoints it meets):
    a step the journey declares but that view does not was out of sequence, 'declared: none' in the flow
    table, and no undeclared flow (the warning counted against the whole journey)."""
    from journeymap.data.engines import EngineOptions
    from journeymap.data.events import read_events
    from journeymap.loader import load

    grocery = load(Path(__file__).resolve().parents[1] / "sample_journeys" / "grocery-first-order.journey.yaml")
    # assisted-customer does not meet see-social-ad: the journey's flow from it is no flow of the persona's
    log = write(tmp_path, "log.csv", "customer,timestamp,touchpoint,segment\n"
                "c1,2026-01-01T10:00:00Z,see-social-ad,assisted-customer\nc1,2026-01-01T10:05:00Z,check-postcode,assisted-customer\n"
                "c2,2026-01-01T10:00:00Z,scan-leaflet-qr,assisted-customer\nc2,2026-01-01T10:05:00Z,check-postcode,assisted-customer\n")
    _, summary, problems = read_events([log], grocery, engine=engine, options=EngineOptions(segment="assisted-customer"))
    problem = only(problems, "undeclared-flow")
    assert problem.message == ("customers took 1 flow the journey does not declare for persona 'assisted-customer':"
                               " 'see-social-ad' -> 'check-postcode' (1)")
    assert [(d.type, d.source, d.target) for d in summary.deviations if d.type == "out_of_sequence" and d.source] == [
        ("out_of_sequence", "see-social-ad", "check-postcode")]
    _, _, problems = read_events([log], grocery, engine=engine)  # the whole journey declares it
    assert "undeclared-flow" not in [p.code for p in problems]


def test_an_outcome_cell_overrides_where_the_customer_stopped(tmp_path: Path, journey: Journey) -> None:
    text = "customer,timestamp,touchpoint,outcome\nc1,1,browse,\nc1,2,checkout,success\nc2,1,browse,failure\n"
    data = load_metric_data(journey, events=write(tmp_path, "log.csv", text))
    assert data.events is not None
    assert (data.events.succeeded, data.events.failed, data.events.left) == (1, 1, 0)
    checkout = data.get("checkout", "drop_off")
    assert checkout is not None and checkout.value == 0.0


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_customers_starting_before_1973_are_told(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Excel day numbers (45567.5) and 0 for "no time" are numbers under 10^8: seconds in 1970, without a word."""
    text = "customer,timestamp,touchpoint\nc1,45567.5,browse\nc1,45567.6,checkout\nc2,0,browse\nc3,2026-09-01T10:00:00Z,browse\n"
    data = load_metric_data(journey, events=write(tmp_path, "log.csv", text), engine=engine)
    problem = only(data.problems, "early-timestamp")
    assert (problem.level, problem.message) == ("warning", (
        "2 customers start before 1973 (the first on 1970-01-01), earlier than any journey's log goes back: a timestamp"
        " that is a number under 10^8 is read as seconds since 1970"))
    assert problem.hint is not None and "45567.5 is 2024-10-02 12:00" in problem.hint


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_ids_and_touchpoints_written_as_excels_text_formula_are_told(tmp_path: Path, journey: Journey, engine: str) -> None:
    """An export for Excel writes ="00123" to keep the zeros: another customer than 00123, in silence, and an ad hoc
    touchpoint '="browse"' whose hint guessed nothing."""
    text = ('customer,timestamp,touchpoint\n="00123",2026-09-01T10:00:00Z,="browse"\n00123,2026-09-01T10:01:00Z,checkout\n'
            '"=""00124""",2026-09-01T10:00:00Z,browse\n')
    problems = load_metric_data(journey, events=write(tmp_path, "log.csv", text), engine=engine).problems
    problem = only(problems, "formula-id")
    assert (problem.level, problem.message) == ("warning", (
        "2 of the log's 3 customer ids are written as Excel's text formula ('=\"00123\"', which keeps Excel from dropping"
        " leading zeros): read as written, such an id is another customer than the same id written plainly in another file or row"))
    assert problem.hint == "write the ids as text alone: sed -E 's/=\"([^\"]*)\"/\\1/g' FILE > NEW writes =\"00123\" as 00123"
    assert only(problems, "unknown-touchpoint").hint == (
        "1 of them is written as Excel's text formula ('=\"browse\"'): write the touchpoints as text alone"
        " (sed -E 's/=\"([^\"]*)\"/\\1/g' FILE > NEW writes =\"00123\" as 00123)")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_email_and_uuid_ids_in_other_capitals_are_told(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A CRM writes Ann@Example.com, the web shop ann@example.com; one system's UUIDs in capitals: two customers each, in silence."""
    text = ("customer,timestamp,touchpoint\nAnn@Example.com,2026-09-01T10:00:00Z,browse\nann@example.com,2026-09-01T10:05:00Z,checkout\n"
            "0A1B2C3D-0000-4000-8000-00000000000A,2026-09-01T10:00:00Z,browse\n0a1b2c3d-0000-4000-8000-00000000000a,2026-09-01T10:05:00Z,checkout\n"
            "003AbC,2026-09-01T10:00:00Z,browse\n003abc,2026-09-01T10:00:00Z,browse\n")  # a Salesforce id: its capitals count
    problem = only(load_metric_data(journey, events=write(tmp_path, "log.csv", text), engine=engine).problems, "cased-ids")
    assert (problem.level, problem.message) == ("warning", (
        "4 customer ids are e-mail addresses or UUIDs that differ from another only in capitals"
        " ('0A1B2C3D-0000-4000-8000-00000000000A' and '0a1b2c3d-0000-4000-8000-00000000000a' and more): read as written,"
        " they are 4 customers where they name 2, and each one's path is cut in pieces"))
    plain = "customer,timestamp,touchpoint\nann@example.com,2026-09-01T10:00:00Z,browse\n003AbC,2026-09-01,browse\n003abc,2026-09-01,browse\n"
    assert not [p for p in load_metric_data(journey, events=write(tmp_path, "plain.csv", plain), engine=engine).problems
                if p.code == "cased-ids"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_ids_that_write_one_number_two_ways_are_told(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A CRM's 00123 and the web shop's 123 after Excel dropped its zeros, pandas' 12345.0 beside 12345: two customers
    each, in silence. Zero-padded ids alone, or numbers with a '.0' alone, are one way each: nothing to tell."""
    text = ("customer,timestamp,touchpoint\n00123,2026-09-01T10:00:00Z,browse\n123,2026-09-01T10:05:00Z,checkout\n"
            "12345.0,2026-09-01T10:00:00Z,browse\n12345,2026-09-01T10:05:00Z,checkout\n0012345,2026-09-01T10:05:00Z,checkout\n")
    problem = only(load_metric_data(journey, events=write(tmp_path, "log.csv", text), engine=engine).problems, "number-ids")
    assert (problem.level, problem.message) == ("warning", (
        "5 customer ids write 2 whole numbers in more than one way ('00123' and '123' and more), with leading zeros or a"
        " '.0': read as written, they are 5 customers where they name 2, and each one's path is cut in pieces"))
    assert problem.hint is not None and "dtype=str" in problem.hint
    one_way = "customer,timestamp,touchpoint\n00123,2026-09-01,browse\n00124,2026-09-01,browse\n5.0,2026-09-01,browse\n6.0,2026-09-01,browse\n"
    assert not [p for p in load_metric_data(journey, events=write(tmp_path, "one.csv", one_way), engine=engine).problems
                if p.code == "number-ids"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_far_future_dates_that_stand_for_no_date_are_told(tmp_path: Path, journey: Journey, engine: str) -> None:
    """9999-12-31 for 'no date' made a step of 7,973 years, its flow's p90 '2912441d 14h', without a word."""
    text = ("customer,timestamp,touchpoint\nc1,2026-09-01T10:00:00Z,browse\nc1,9999-12-31,checkout\n"
            "c2,2026-09-01T10:00:00Z,browse\nc2,2099-12-31T00:00:00Z,checkout\nc3,2026-09-01T10:00:00Z,browse\n"
            "c3,2026-09-01T10:05:00Z,checkout\nc4,2100-06-01,browse\n")
    problem = only(load_metric_data(journey, events=write(tmp_path, "log.csv", text), engine=engine).problems, "far-timestamp")
    assert (problem.level, problem.message) == ("warning", (
        "2 steps between touchpoints take 50 years or more ('browse' -> 'checkout' (2)); 1 customer starts after 2100"
        " (the first on 2100-06-01): no journey takes so long or starts so late, so such dates stand for 'no date'"
        " (9999-12-31 or 2099-12-31 in many systems, 0 or 1970-01-01 in others); a step's time counts in its flow's median and p90"))
    near = "customer,timestamp,touchpoint\nc1,2026-09-01T10:00:00Z,browse\nc1,2075-12-31,checkout\n"  # 49 years
    assert not [p for p in load_metric_data(journey, events=write(tmp_path, "near.csv", near), engine=engine).problems
                if p.code == "far-timestamp"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_dates_written_as_numbers_are_told_so(tmp_path: Path, journey: Journey, engine: str) -> None:
    """GA4's event_date (20260914) read as seconds starts every customer in August 1970: the hint blamed Excel day numbers."""
    text = "customer,timestamp,touchpoint\nc1,20260914,browse\nc1,20260914,checkout\nc2,19991231,browse\n"
    problem = only(load_metric_data(journey, events=write(tmp_path, "log.csv", text), engine=engine).problems, "early-timestamp")
    assert problem.message.startswith("2 customers start before 1973 (the first on 1970-08-20)")
    assert problem.hint == ("are the timestamps dates written as numbers, YYYYMMDD (20260914, as GA4's event_date writes them)?"
                            " Write them as ISO 8601 dates (2026-09-14), or read a column with the time of day"
                            " (--events-column timestamp=event_timestamp)")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_customer_ids_excel_wrote_with_an_exponent_are_told(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Excel saves a long id as it shows it, 1.23457E+11: customers 123456789012 and 123457000000 were one, in silence."""
    text = ("customer,timestamp,touchpoint\n1.23457E+11,2026-09-01T10:00:00Z,browse\n1.23457E+11,2026-09-01T10:01:00Z,checkout\n"
            "9.8E+11,2026-09-01T10:00:00Z,browse\n1E+5,2026-09-01T10:00:00Z,browse\nc1,2026-09-01T10:00:00Z,browse\n"
            "1.5E-5,2026-09-01T10:00:00Z,browse\nE+5,2026-09-01T10:00:00Z,browse\n1.E+5,2026-09-01T10:00:00Z,browse\n")
    data = load_metric_data(journey, events=write(tmp_path, "log.csv", text), engine=engine)
    problem = only(data.problems, "exponent-id")
    assert (problem.level, problem.message) == ("warning", (
        "3 of the log's 7 customer ids are numbers written with an exponent ('1.23457E+11'), as Excel shows a long number"
        " and saves it in a CSV file: such an id keeps only its first digits, so customers whose ids differ after them are"
        " read as one customer"))
    plain = load_metric_data(journey, events=write(tmp_path, "plain.csv", "customer,timestamp,touchpoint\n123456789012,2026-09-01,browse\n"),
                             engine=engine)
    assert not [p for p in plain.problems if p.code == "exponent-id"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_customer_with_fifty_times_the_events_of_the_others_is_told(tmp_path: Path, journey: Journey, engine: str) -> None:
    """One customer looping 4,000 times between two steps made a flow's share 0.986 and its time 1s, without a word."""
    rows = [f"c{i},2026-09-01T10:00:0{j}Z,{tp}" for i in range(20) for j, tp in enumerate(("browse", "checkout"))]
    rows += [f"bot,2026-09-02T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z,{('browse', 'help')[i % 2]}" for i in range(600)]
    data = load_metric_data(journey, events=write(tmp_path, "log.csv", "customer,timestamp,touchpoint\n" + "\n".join(rows) + "\n"), engine=engine)
    problem = only(data.problems, "busy-customer")
    assert problem.message == (
        "customer 'bot' has 600 of the log's 640 events (94%), 300 times as many as a typical customer's 2.0: a bot or a"
        " test account? Its steps count in every share and time of the flows it takes, in the report and in calibrate")
    fewer = "\n".join(rows[:40] + rows[40:40 + 499]) + "\n"  # 499 events: under the floor
    assert not [p for p in load_metric_data(journey, events=write(tmp_path, "few.csv", "customer,timestamp,touchpoint\n" + fewer),
                                             engine=engine).problems if p.code == "busy-customer"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_response_time_of_years_is_read_with_a_warning(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A response time of 1e9 (seconds: 31 years; an export's milliseconds, 11 days) or 40 years was read
    without a word, and made the touchpoint weak by a response time no one waits. Now a warning, with the
    value read as written and, for a bare number, what it is in milliseconds."""
    from journeymap.data.metrics_table import read_metrics_tables
    from journeymap.metrics import catalogue

    if engine == "duckdb":
        pytest.importorskip("duckdb")
    path = write(tmp_path, "m.csv", "touchpoint,metric,value\nhelp,response_time,1000000000\n"
                                    "checkout,response_time,14600d\nbrowse,response_time,3d\n")
    points, problems = read_metrics_tables([path], journey, catalogue(journey.metrics), engine=engine)
    assert {p.touchpoint: p.value for p in points} == {"help": 1e9, "checkout": 14600 * 86400.0, "browse": 3 * 86400.0}
    said = [(p.code, p.level, where(p), p.message, p.hint) for p in problems]
    assert said == [
        ("implausible-value", "warning", ("m.csv", 2, 20),
         "Response time 1000000000 is 11574d1h, about 32 years: over a year is implausible for a response time;"
         " it is read as written",
         "a number is read as seconds: if it counts milliseconds, as tools often export durations, write 11d13h46m40s"),
        ("implausible-value", "warning", ("m.csv", 3, 24),
         "Response time 14600d is 14600d, about 40 years: over a year is implausible for a response time;"
         " it is read as written",
         "check the value and its unit: a duration is written 45s, 7m, 1h30m or 3d"),
    ]


def test_a_response_time_of_years_in_a_journey_file_is_a_warning() -> None:
    """The same in a journey file, for a value and a target: a warning at the value, the journey loaded."""
    from journeymap.loader import Loader

    text = JOURNEY.replace("metrics: {csat: 0.7}", "metrics: {csat: 0.7, response_time: 1e9}").replace(
        "target: 0.7}", "target: 0.7}\n  response_time: {target: 40 years}").replace("40 years", "14600d")
    result = Loader(root=Path.cwd()).check(Path.cwd() / "j.yaml", raw=text.encode(), name="j.yaml")
    assert result.journey is not None and not result.errors
    said = [(p.code, p.level, p.span.line, p.message) for p in result.problems if p.code == "implausible-value"]
    assert said == [
        ("implausible-value", "warning", 9, "metric 'response_time', target: Response time 14600d is 14600d, about 40"
         " years: over a year is implausible for a response time; it is read as written"),
        ("implausible-value", "warning", 13, "touchpoint 'checkout': Response time 1000000000 is 11574d1h, about 32"
         " years: over a year is implausible for a response time; it is read as written"),
    ]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_table_without_its_columns_is_one_error_not_the_error_and_warnings(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """A BI export's 'Touch Point, Metric Name, Value, Notes, Owner' printed the missing-column error (whose hint gives
    the option for each) and two unknown-column warnings: 'Touch Point: did you mean touchpoint' said again, and
    'Metric Name', 'Notes', 'Owner' ignored, though the file is not read and the error names its header. Now the error
    alone; a guess its hint does not give ('Segmnt') keeps its warning."""
    from journeymap.data.metrics_table import read_metrics_tables
    from journeymap.metrics import catalogue

    if engine == "duckdb":
        pytest.importorskip("duckdb")
    specs = catalogue(journey.metrics)
    path = write(tmp_path, "m.csv", "Touch Point,Metric Name,Value,Notes,Owner\ncheckout,csat,0.8,x,y\n")
    _, problems = read_metrics_tables([path], journey, specs, engine=engine)
    (error,) = problems
    assert error.code == "missing-column" and error.hint == (
        "read them with --metrics-column 'touchpoint=Touch Point' --metrics-column 'metric=Metric Name', or rename"
        " 'Touch Point' to 'touchpoint', 'Metric Name' to 'metric'")
    path = write(tmp_path, "m.csv", "tp,metric,value,Segmnt,Notes\ncheckout,csat,0.8,p,x\n")
    _, problems = read_metrics_tables([path], journey, specs, engine=engine)
    assert [(p.code, p.message, p.hint) for p in problems] == [
        ("missing-column", "the metrics table has no column 'touchpoint' (its header: tp, metric, value, Segmnt, Notes)",
         "the header must name the columns touchpoint, metric, value, n, period, date, persona, segment, sd, promoters,"
         " detractors"),
        ("unknown-column", "column 'Segmnt' is not one journeymap reads; it is ignored", "did you mean 'segment'?")]
