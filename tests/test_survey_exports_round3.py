"""Survey exports journeymap had not been tried on, third round: Freshdesk's happy/unhappy ratings, dates with dashes
and the year last, a date and a time of day in two columns, Salesforce's long export, and a sweep of more tools' exports
(Zendesk, Intercom, Hotjar, Zoho Survey, QuestionPro, Nicereply, Klaus, Survicate, Typeform's hidden fields, ...). Each
is read as it means, or its error gives what reads it, the same on both engines. Column names are as the tools' help
pages show them where a comment says so, else a guess."""

from __future__ import annotations

from pathlib import Path

import pytest

# the second round's answers and helpers: the same sample, the same eight answers, the same report call
from tests.test_survey_exports_more import COMMENTS, CSAT, NPS, SAMPLE, report, statement, write


def metrics(out: dict, touchpoint: str = "rate-first-order") -> dict:  # type: ignore[type-arg]
    return next(t for t in out["touchpoints"] if t["id"] == touchpoint)["metrics"]  # type: ignore[no-any-return]


def follow(hint: str, tmp_path: Path, metric: str = "METRIC") -> Path:
    """The file the hint's DuckDB statement writes, with the touchpoint (and the metric, where it says) filled in."""
    import duckdb

    long = tmp_path / "long.csv"
    duckdb.sql(statement(hint).replace("'long.csv'", f"'{long}'").replace("TOUCHPOINT", "rate-first-order")
               .replace("'METRIC'", f"'{metric}'"))
    return long


# --- Freshdesk's happy/unhappy ratings -------------------------------------------------------------------------------

HAPPY = "the CSAT answers are the ratings of a happy/unhappy scale (Freshdesk's satisfaction ratings), read as:"


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(("ratings", "satisfied"), [
    # Freshdesk's 3-point survey: Happy, Neutral, Unhappy (5 happy of 8)
    (["Happy", "Happy", "Happy", "Neutral", "Unhappy", "Happy", "Happy", "Unhappy"], 0.625),
    # its 5-point survey, in other capitals
    (["Extremely happy", "HAPPY", "happy", "Neutral", "Unhappy", "Extremely Happy", "Happy", "Extremely unhappy"], 0.625),
    # its 7-point survey: every happy answer, mild or not, is a positive rating (Freshdesk's CSAT counts them)
    (["Very Happy", "Happy", "Extremely Happy", "Neutral", "Very Unhappy", "Unhappy", "Neutral", "Extremely Unhappy"], 0.375),
], ids=["3-point", "5-point", "7-point"])
def test_freshdesk_happy_and_unhappy_ratings_are_read_as_satisfied_or_not(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], ratings: list[str], satisfied: float) -> None:
    """Freshdesk's satisfaction export writes its ratings as words, Happy, Neutral, Unhappy (Extremely happy ... on its
    longer scales): every one was a score error ('Neutral' told it was Hotjar's 3) and no CSAT was read. Each names its
    meaning: a happy answer is satisfied, a neutral or unhappy one is not. Read so, with one warning naming the reading."""
    export = write(tmp_path / "freshdesk.csv", ["touchpoint,metric,score"] + [f"rate-first-order,csat,{r}" for r in ratings])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 0
    told = [(p["line"], p["level"], p["code"], p["message"]) for p in out["problems"]]
    assert told == [(2, "warning", "happy-rating", f"{HAPPY} Extremely or Very unhappy 1, Unhappy 2, Neutral 3, Happy 4,"
                     " Very or Extremely happy 5 (8 rows: lines 2, 3, 4, 5, 6, ...)")]
    csat = metrics(out)["csat"]
    assert (csat["value"], csat["n"]) == (satisfied, 8)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_happy_ratings_among_numbers_are_each_told_what_they_mean(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Among numbers, which scale a word is on cannot be told: each stays an error, whose hint says what it means."""
    export = write(tmp_path / "mixed.csv", ["touchpoint,metric,score", "rate-first-order,csat,Happy", "rate-first-order,csat,4",
                                             "rate-first-order,csat,Very unhappy"])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 1
    told = {p["line"]: (p["code"], p["hint"]) for p in out["problems"]}
    assert told == {
        2: ("score", "a happy/unhappy scale's ratings (Freshdesk's) are read in a column of them alone, and this one holds"
                     " other answers: 'Happy' is a satisfied answer, 4 on 1..5: write 4"),
        4: ("score", "a happy/unhappy scale's ratings (Freshdesk's) are read in a column of them alone, and this one holds"
                     " other answers: 'Very unhappy' is a dissatisfied answer, 1 on 1..5: write 1"),
    }
    assert (metrics(out)["csat"]["value"], metrics(out)["csat"]["n"]) == (1.0, 1)


# --- dates with dashes, the year last ----------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_dates_with_dashes_and_the_year_last_are_read_in_the_order_one_of_them_shows(tmp_path: Path, engine: str) -> None:
    """Freshdesk, Dutch and Danish Excel write '13-04-2026 10:20': every such date was an invalid-date warning (its hint
    naming the day) and the answers were in no period. As with slashes, a column one of whose dates reads day first only
    (no month 13) and none month first only is read day first, with one warning naming that line; a US export's
    '04-13-2026' month first. A two-digit year with dashes ('13-04-26') is not read: it may be year first."""
    from journeymap.data import load_metric_data
    from journeymap.loader import load

    eu = write(tmp_path / "eu.csv", ["touchpoint,metric,score,date", "rate-first-order,csat,5,02-04-2026",
                                     "rate-first-order,csat,4,13-04-2026 10:20", "rate-first-order,csat,1,01-05-2026 23:59:59"])
    us = write(tmp_path / "us.csv", ["touchpoint,metric,score,date", "choose-delivery-slot,csat,5,03-31-2026 10:15:32 AM",
                                     "choose-delivery-slot,csat,4,4-1-2026"])
    data = load_metric_data(load(SAMPLE), responses=[eu, us], period="month", engine=engine)
    told = [(Path(p.span.file).name, p.span.line, p.level, p.code, p.message) for p in data.problems]
    assert told == [
        ("eu.csv", 3, "warning", "date-order", "the date column's dates with dashes are read day first (day-month-year), as"
         " line 3's '13-04-2026 10:20' shows (there is no month 13)"),
        ("us.csv", 2, "warning", "date-order", "the date column's dates with dashes are read month first (month-day-year), as"
         " line 2's '03-31-2026 10:15:32 AM' shows (there is no month 31)"),
    ]
    series = {key: [(p.period, p.n) for p in point.series] for key, point in data.points.items()}
    assert series[("rate-first-order", "csat")] == [("2026-04", 2), ("2026-05", 1)]
    assert series[("choose-delivery-slot", "csat")] == [("2026-03", 1), ("2026-04", 1)]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_dates_with_dashes_in_both_orders_or_none_are_not_read(tmp_path: Path, engine: str) -> None:
    """A column of both orders ('13-04-2026' and '04-13-2026': two locales' exports joined) is one date-order error and
    none of its dashed dates is read; one that shows no order is each date's warning, as before; a two-digit year is
    not read however the column is written."""
    from journeymap.data import load_metric_data
    from journeymap.loader import load

    both = write(tmp_path / "both.csv", ["touchpoint,metric,score,date", "rate-first-order,csat,5,13-04-2026",
                                         "rate-first-order,csat,4,04-13-2026", "rate-first-order,csat,4,02-04-2026"])
    short = write(tmp_path / "short.csv", ["touchpoint,metric,score,date", "check-postcode,ces,5,13-04-2026",
                                           "check-postcode,ces,4,14-04-26"])
    data = load_metric_data(load(SAMPLE), responses=[both, short], period="month", engine=engine)
    told = [(Path(p.span.file).name, p.span.line, p.level, p.code) for p in data.problems if p.code != "no-period"]
    assert told[0] == ("both.csv", 2, "error", "date-order")
    assert data.problems[0].message == (
        "the date column's dates with dashes are written month first (line 3's '04-13-2026': there is no month 13) and day"
        " first (line 2's '13-04-2026': there is no month 13): neither order is read, and such dates are in no period")
    assert ("both.csv", 4, "warning", "invalid-date") in told and ("short.csv", 3, "warning", "invalid-date") in told
    assert data.get("rate-first-order", "csat") is not None
    assert [p.period for p in data.points[("rate-first-order", "csat")].series] == []
    assert [(p.period, p.n) for p in data.points[("check-postcode", "ces")].series] == [("2026-04", 1)]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_metrics_tables_dates_with_dashes_are_read_in_the_order_one_of_them_shows(tmp_path: Path, engine: str) -> None:
    """A BI export's daily CSAT in a Dutch locale, '14-03-2026': every row was an invalid-date warning and left out."""
    from journeymap.data import load_metric_data
    from journeymap.loader import load

    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,date", "choose-delivery-slot,csat,71%,100,01-04-2026",
                                       "choose-delivery-slot,csat,73%,100,14-03-2026", "choose-delivery-slot,csat,75%,100,02-05-2026"])
    data = load_metric_data(load(SAMPLE), metrics=[table], period="month", engine=engine)
    assert [(p.span.line, p.level, p.code) for p in data.problems] == [(3, "warning", "date-order")]
    csat = data.get("choose-delivery-slot", "csat")
    assert csat is not None and [p.period for p in csat.series] == ["2026-03", "2026-04", "2026-05"]


# --- a date and a time of day in two columns ---------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(("date", "time"), [
    ("Submitted Date", "Submitted Time"),  # SurveySparrow's (a guess): 'Submitted Time' was taken for the date
    ("Response Date", "Response Time"),  # 'Response Time' was "did you mean 'respondent'?"
], ids=["submitted", "response"])
def test_a_time_of_day_column_beside_the_date_is_not_taken_for_the_date(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], date: str, time: str) -> None:
    """An export with the answer's date and its time of day in two columns: the time's column (a tool's name for the
    date, 'Submitted Time') was told to be read as the date, every answer then an invalid date, and the date's
    column was ignored. The date's column is the one the option reads; the time's is told it is a time of day."""
    rows = [f"rate-first-order,csat,{s},2026-0{4 + i % 2}-0{i + 1},1{i}:20:00" for i, s in enumerate(CSAT)]
    for header in (f"touchpoint,metric,score,{date},{time}", f"touchpoint,metric,score,{time},{date}"):
        first = header.endswith(time)
        lines = [header, *rows] if first else [header] + [",".join(r.split(",")[:3] + r.split(",")[:2:-1]) for r in rows]
        export = write(tmp_path / "answers.csv", lines)
        code, out = report(["--responses", str(export)], engine, capsys)
        told = {p["message"].split("'")[1]: p["hint"] for p in out["problems"] if p["code"] == "unknown-column"}
        assert told == {date: f"it looks like the date column: read it with --responses-column 'date={date}'",
                        time: f"it is a time, not the answers' date, which is the column '{date}': it is not read"}
        code, out = report(["--responses", str(export), "--responses-column", f"date={date}", "--period", "month"], engine, capsys)
        assert [p["code"] for p in out["problems"] if p["code"] != "unknown-column"] == []
        csat = metrics(out)["csat"]
        assert [(p["period"], p["n"]) for p in csat["series"]] == [("2026-04", 4), ("2026-05", 4)]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_one_question_exports_statement_takes_the_date_not_the_time_of_day(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A one-question export with 'Submitted Time' before 'Submitted Date': its statement wrote the time as the date,
    and the file it wrote had answers in no period."""
    export = write(tmp_path / "sparrow.csv", ["Respondent ID,Submitted Time,Submitted Date,How likely are you to recommend us?,Comment"]
                   + [f"r{i},10:2{i},2026-0{4 + i % 2}-0{i + 1},{s},{c}" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))])
    code, out = report(["--responses", str(export)], engine, capsys)
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert '"Submitted Date" AS date' in missing["hint"] and '"Submitted Time" AS' not in missing["hint"]
    code, out = report(["--responses", str(follow(missing["hint"], tmp_path)), "--period", "month"], engine, capsys)
    assert [p["code"] for p in out["problems"] if p["level"] == "error" or p["code"] == "invalid-date"] == []
    nps = metrics(out)["nps"]
    assert [(p["period"], p["n"]) for p in nps["series"]] == [("2026-04", 4), ("2026-05", 4)]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_wide_exports_statement_takes_the_date_not_the_time_of_day(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A wide export (a column a question) with 'Submitted Time' and 'Submitted Date': the same in its UNPIVOT statement."""
    export = write(tmp_path / "wide.csv", ["Respondent ID,Submitted Time,Submitted Date,NPS,CSAT"]
                   + [f"r{i},10:2{i},2026-0{4 + i % 2}-0{i + 1},{s},{c}" for i, (s, c) in enumerate(zip(NPS, CSAT, strict=True))])
    code, out = report(["--responses", str(export)], engine, capsys)
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert '"Submitted Date" AS date' in missing["hint"] and '"Submitted Time" AS' not in missing["hint"]
    code, out = report(["--responses", str(follow(missing["hint"], tmp_path)), "--period", "month"], engine, capsys)
    assert [p["code"] for p in out["problems"] if p["level"] == "error" or p["code"] == "invalid-date"] == []
    assert [(p["period"], p["n"]) for p in metrics(out)["csat"]["series"]] == [("2026-04", 4), ("2026-05", 4)]


# --- a long export a row an answer, its question's text in a column: Salesforce's -------------------------------------

NPS_Q = "How likely are you to recommend us to a friend?"
CSAT_Q = "How satisfied are you with your delivery?"
COMMENT_Q = "Anything else you would like to tell us?"


def salesforce(tmp_path: Path, header: str = "Survey Response: Survey Response Name,Question: Question Name,Response Value,"
               "Number Value,Created Date") -> Path:
    """Salesforce Feedback Management's survey question responses as a report exports them (a guess at the report's
    columns; the object's fields are ResponseValue, a text, and NumberValue): a row an answer, its question's text in a
    column, the answer as text and, for a rating, as a number; a comment's row has its text and no number."""
    rows = []
    for i, (n, c, m) in enumerate(zip(NPS, CSAT, COMMENTS, strict=True)):
        day = f"2026-04-{i + 10}"
        rows += [f"SR-{i},{NPS_Q},{n},{n},{day}", f"SR-{i},{CSAT_Q},{c},{c},{day}", f"SR-{i},{COMMENT_Q},{m},,{day}"]
    return write(tmp_path / "salesforce.csv", [header, *rows])


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_long_export_with_a_question_column_is_written_with_each_rows_metric_and_its_numeric_answer(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Salesforce's long export was taken for one question's answers: its statement wrote every row as an NPS answer
    (the CSAT's too) and took 'Response Value', a text holding the comments too, for the score. It writes each row's
    metric from its question, the numeric answer as the score, and the comment question's text as the comment."""
    export = salesforce(tmp_path)
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 1
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    question = '"Question: Question Name"'
    assert (f"CASE {question} WHEN '{NPS_Q}' THEN 'nps' WHEN '{CSAT_Q}' THEN 'csat' END AS metric, \"Number Value\" AS score,"
            f" \"Created Date\" AS date, CASE WHEN {question} = '{COMMENT_Q}' THEN \"Response Value\" END AS comment") in missing["hint"]
    assert missing["hint"].startswith("an export of survey answers a row an answer names no touchpoint nor metric; its column"
                                      " 'Question: Question Name' names each row's question (2 ratings, nps and csat, and a"
                                      " comment): write it with 'touchpoint' and 'metric' on each row")
    code, out = report(["--responses", str(follow(missing["hint"], tmp_path))], engine, capsys)
    assert [p for p in out["problems"] if p["level"] == "error"] == []
    found = metrics(out)
    assert (found["nps"]["value"], found["nps"]["n"], found["csat"]["value"], found["csat"]["n"]) == (25.0, 8, 0.625, 8)
    assert found["sentiment"]["n"] == 8


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_one_question_export_with_a_text_and_a_number_column_takes_the_number_as_the_score(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Of two columns a tool names for the answer, 'Response Value' (a text) and 'Number Value', the statement took the
    first, whose texts are no scores: the numeric one is the score."""
    export = write(tmp_path / "one.csv", ["Response Value,Number Value,Created Date"]
                   + [f"{s} - {'Promoter' if s > 8 else 'Other'},{s},2026-04-1{i}" for i, s in enumerate(NPS)])
    code, out = report(["--responses", str(export)], engine, capsys)
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert "'nps' AS metric, \"Number Value\" AS score, \"Created Date\" AS date" in missing["hint"]
    code, out = report(["--responses", str(follow(missing["hint"], tmp_path))], engine, capsys)
    assert (metrics(out)["nps"]["value"], metrics(out)["nps"]["n"]) == (25.0, 8)


# --- the sweep's fixes -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_columns_name_that_ends_in_a_tools_name_for_the_answer_is_that_column(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Zendesk Explore's satisfaction export (a guess at its attribute names): 'Ticket satisfaction rating' and 'Ticket
    satisfaction comment' were no columns journeymap knew, and the file was told only "the header must name the columns
    ...". A name ending in a tool's name for the answer or the comment ('Satisfaction rating') is that column; the
    statement writes the file, whose Good/Bad ratings read as Zendesk's score."""
    good_bad = ["Good" if c >= 4 else "Bad" for c in CSAT]
    export = write(tmp_path / "zendesk.csv", ["Ticket ID,Ticket satisfaction rating,Ticket satisfaction comment,Ticket solved - Date"]
                   + [f"{100 + i},{g},{c},2026-04-1{i}" for i, (g, c) in enumerate(zip(good_bad, COMMENTS, strict=True))]
                   + ["120,Offered,,2026-04-19"])
    code, out = report(["--responses", str(export)], engine, capsys)
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert ("'csat' AS metric, \"Ticket satisfaction rating\" AS score, \"Ticket satisfaction comment\" AS comment,"
            " \"Ticket solved - Date\" AS date") in missing["hint"]
    code, out = report(["--responses", str(follow(missing["hint"], tmp_path))], engine, capsys)
    assert code == 0
    assert {p["code"] for p in out["problems"]} == {"good-bad-rating", "blank-score", "unknown-column"}
    found = metrics(out)
    assert (found["csat"]["value"], found["csat"]["n"], found["sentiment"]["n"]) == (0.625, 8, 8)


SOMEWHAT = ["", "Very dissatisfied", "Somewhat dissatisfied", "Neither satisfied nor dissatisfied", "Somewhat satisfied",
            "Very satisfied"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize("labels", [
    SOMEWHAT,  # SurveyMonkey's (Momentive's) 5-point satisfaction question
    ["", "Extremely dissatisfied", "Somewhat dissatisfied", "Neither satisfied nor dissatisfied", "Somewhat satisfied",
     "Extremely satisfied"],  # Qualtrics' 5-point one
], ids=["surveymonkey", "qualtrics"])
def test_the_somewhat_and_extremely_labels_of_five_point_satisfaction_scales_are_read(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], labels: list[str]) -> None:
    """SurveyMonkey's and Qualtrics' 5-point satisfaction questions exported as choice texts: 'Somewhat satisfied' and
    'Extremely satisfied' were score errors (no number named), and no CSAT was read."""
    export = write(tmp_path / "labels.csv", ["touchpoint,metric,score"] + [f"rate-first-order,csat,{labels[s]}" for s in CSAT])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 0
    assert [p["code"] for p in out["problems"]] == ["likert-rating"]
    assert (metrics(out)["csat"]["value"], metrics(out)["csat"]["n"]) == (0.625, 8)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_seven_point_satisfaction_scales_labels_are_not_read_as_five_points(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """'Somewhat satisfied' beside 'Satisfied' and 'Very satisfied' is a 7-point scale, whose top two are not 4 and 5 of
    1..5: such a column is not read (each answer an error), as its CSAT would count 'Somewhat satisfied' satisfied."""
    seven = ["Very satisfied", "Satisfied", "Somewhat satisfied", "Neither satisfied nor dissatisfied", "Somewhat dissatisfied",
             "Dissatisfied", "Very dissatisfied"]
    export = write(tmp_path / "seven.csv", ["touchpoint,metric,score"] + [f"rate-first-order,csat,{label}" for label in seven])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 1
    assert [p["code"] for p in out["problems"] if p["code"] != "likert-rating"] == ["score"] * 7
    assert "csat" not in metrics(out) or metrics(out)["csat"]["source"] != str(export)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_long_name_for_when_the_answer_was_given_is_the_date(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Intercom's conversation ratings export (a guess at its columns): 'Conversation rated at' was not seen as the date,
    and the file the statement wrote had its answers in no period. A name of the answer ('Conversation', 'Survey',
    'Feedback', ...) before a tool's name for when it was given ('rated at') is the date; a contact's or a ticket's
    'Created At' is not (when the contact or the ticket was made)."""
    export = write(tmp_path / "intercom.csv", ["Conversation ID,Conversation rating,Conversation rating remark,"
                                               "Conversation rated at,Contact created at"]
                   + [f"c{i},{s},{c},2026-04-1{i} 10:20:00,2025-01-0{i + 1}" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))])
    code, out = report(["--responses", str(export)], engine, capsys)
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert '"Conversation rated at" AS date' in missing["hint"] and '"Contact created at" AS' not in missing["hint"]
    code, out = report(["--responses", str(follow(missing["hint"], tmp_path, "csat")), "--period", "month"], engine, capsys)
    csat = metrics(out)["csat"]
    assert (csat["value"], csat["n"], csat["period"]) == (0.625, 8, "2026-04")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_time_taken_beside_the_date_is_not_the_date_either(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """QuestionPro's export (as its help page lists the columns): 'Time Taken to Complete (Seconds)' beside 'Timestamp
    (mm/dd/yyyy)' is a duration, told it is no date, not a time of day."""
    export = write(tmp_path / "questionpro.csv", ["touchpoint,metric,score,Timestamp (mm/dd/yyyy),Time Taken to Complete (Seconds)"]
                   + [f"rate-first-order,nps,{s},04/1{i}/2026 10:20:31,62" for i, s in enumerate(NPS)])
    code, out = report(["--responses", str(export)], engine, capsys)
    told = {p["message"].split("'")[1]: p["hint"] for p in out["problems"] if p["code"] == "unknown-column"}
    assert told == {"Timestamp (mm/dd/yyyy)": "it looks like the date column: read it with --responses-column"
                                              " 'date=Timestamp (mm/dd/yyyy)'",
                    "Time Taken to Complete (Seconds)": "it is a time, not the answers' date, which is the column 'Timestamp"
                                                        " (mm/dd/yyyy)': it is not read"}


THREE = "the CSAT answers are a 3-point rating's words (Help Scout's Great, Okay, Not Good; Freshdesk's Awesome, Just Okay, Not Good), read as:"


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize("words", [
    {5: "Great", 4: "Great", 3: "Okay", 2: "Not Good", 1: "Not Good"},  # Help Scout's satisfaction ratings
    {5: "Awesome", 4: "awesome", 3: "Just Okay", 2: "Not good", 1: "NOT GOOD"},  # Freshdesk's classic survey
], ids=["helpscout", "freshdesk-classic"])
def test_a_helpdesks_three_point_ratings_are_read_as_satisfied_neutral_or_not(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], words: dict[int, str]) -> None:
    """Help Scout's ratings (Great, Okay, Not Good, as its Happiness report's help page names them) and Freshdesk's classic
    survey's (Awesome, Just Okay, Not Good: from memory, a guess): each was a score error ('Great' told it was Intercom's
    4) and no CSAT was read. Each names its meaning, satisfied, neither or not: read on 1..5 as 5, 3 and 1, with one
    warning."""
    export = write(tmp_path / "three.csv", ["touchpoint,metric,score"] + [f"rate-first-order,csat,{words[s]}" for s in CSAT])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 0
    assert [(p["line"], p["code"], p["message"]) for p in out["problems"]] == [
        (2, "three-point-rating", f"{THREE} Great or Awesome 5, Okay or Just Okay 3, Not Good 1 (8 rows: lines 2, 3, 4, 5, 6, ...)")]
    assert (metrics(out)["csat"]["value"], metrics(out)["csat"]["n"]) == (0.625, 8)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_good_and_bad_written_as_rated_are_good_bad_ratings(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A chat tool's ratings written 'rated good', 'rated bad' and 'not rated' (LiveChat's, a guess at its export): the
    first two were score errors; they are Good/Bad ratings, as Zendesk's, and 'not rated' a skipped question."""
    rated = {5: "rated good", 4: "rated good", 3: "rated bad", 2: "Rated Bad", 1: "rated bad"}
    export = write(tmp_path / "chat.csv", ["touchpoint,metric,score"] + [f"rate-first-order,csat,{rated[s]}" for s in CSAT]
                   + ["rate-first-order,csat,not rated"])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 0
    assert [p["code"] for p in out["problems"]] == ["good-bad-rating", "blank-score"]
    assert (metrics(out)["csat"]["value"], metrics(out)["csat"]["n"]) == (0.625, 8)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_review_score_column_is_the_score(tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A reviews export's 'Review Score' (Yotpo's, a guess at its columns) was no column journeymap knew ('Review Stars'
    was): the file was told only "the header must name the columns ..."."""
    export = write(tmp_path / "reviews.csv", ["Review ID,Review Title,Review Content,Review Score,Review Date"]
                   + [f"{i},t,{c},{s},2026-04-1{i}" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))])
    code, out = report(["--responses", str(export)], engine, capsys)
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert ("'csat' AS metric, \"Review ID\" AS respondent, \"Review Content\" AS comment, \"Review Score\" AS score,"
            " \"Review Date\" AS date") in missing["hint"]
    code, out = report(["--responses", str(follow(missing["hint"], tmp_path))], engine, capsys)
    assert (metrics(out)["csat"]["value"], metrics(out)["csat"]["n"]) == (0.625, 8)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_when_the_answer_was_scored_is_the_date_not_when_the_survey_was_sent(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Gorgias' satisfaction surveys export (a guess at its columns): 'Scored Datetime' (when the customer answered) beside
    'Sent Datetime' (when the survey went out) was not seen as the date, and the answers were in no period."""
    export = write(tmp_path / "gorgias.csv", ["Ticket ID,Score,Body text,Sent Datetime,Scored Datetime"]
                   + [f"{i},{s},{c},2026-03-2{i} 10:20:00,2026-04-1{i} 10:20:00" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))])
    code, out = report(["--responses", str(export)], engine, capsys)
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert '"Scored Datetime" AS date' in missing["hint"] and '"Sent Datetime" AS' not in missing["hint"]
    code, out = report(["--responses", str(follow(missing["hint"], tmp_path, "csat")), "--period", "month"], engine, capsys)
    csat = metrics(out)["csat"]
    assert (csat["value"], csat["n"], csat["period"]) == (0.625, 8, "2026-04")


# --- the sweep: exports of tools not yet in the tests, each read right after following journeymap's hint --------------

def _csat_words(words: dict[int, str]) -> list[str]:
    return [words[s] for s in CSAT]


GOOD_BAD = {5: "Good", 4: "Good", 3: "Bad", 2: "Bad", 1: "Bad"}
SURVEYMONKEY = {5: "Very satisfied", 4: "Somewhat satisfied", 3: "Neither satisfied nor dissatisfied", 2: "Somewhat dissatisfied",
                1: "Very dissatisfied"}
FRESHDESK = {5: "Happy", 4: "Happy", 3: "Neutral", 2: "Unhappy", 1: "Unhappy"}
HELPSCOUT = {5: "Great", 4: "Great", 3: "Okay", 2: "Not Good", 1: "Not Good"}
BOTH = {"nps": 25.0, "csat": 0.625}

#: (tool, header, rows, the metrics read (NPS +25, CSAT 62.5%, CES 5.5, of 8 answers each), the metric for a statement's
#: METRIC). Column names as the tools' help pages show them where the comment says so, else a guess.
SWEEP: list[tuple[str, str, list[str], dict[str, float], str]] = [
    ("zendesk-explore", "Ticket ID,Ticket satisfaction rating,Ticket satisfaction comment,Ticket solved - Date",
     [f"{100 + i},{g},{c},2026-04-1{i}" for i, (g, c) in enumerate(zip(_csat_words(GOOD_BAD), COMMENTS, strict=True))]
     + ["120,Offered,,2026-04-19"], {"csat": 0.625}, "csat"),
    ("intercom", "Conversation ID,Conversation rating,Conversation rating remark,Conversation rated at,Teammate",
     [f"c{i},{s},{c},2026-04-1{i} 10:20:00,Ann" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))], {"csat": 0.625}, "csat"),
    ("delighted-v2", "Response ID,Person ID,Email,Survey type,Score,Comment,Created,Updated",
     [f"r{i},p{i},c{i}@x.com,nps,{s},{c},2026-04-1{i} 10:20:00 UTC,2026-04-2{i}" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))],
     {"nps": 25.0}, "nps"),
    ("hotjar", "Number,User,Date Submitted,Country,Source URL,Device,Browser,OS,Hotjar User ID,"
     "How likely are you to recommend us to a friend?,What is the main reason for your score?",
     [f"{i + 1},,2026-04-1{i} 10:20:00,NL,https://x.com/thanks,desktop,Chrome,Mac,u{i},{s},{c}"
      for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))], {"nps": 25.0}, "nps"),
    ("zoho-survey", "Response ID,Start Date,End Date,IP Address,Response Status,How likely are you to recommend us?,"
     "How satisfied are you with your order?,Any other comments?",
     [f"{900 + i},13/04/2026 10:1{i},13/04/2026 10:2{i},1.2.3.4,Completed,{s},{c},{m}"
      for i, (s, c, m) in enumerate(zip(NPS, CSAT, COMMENTS, strict=True))], BOTH, "nps"),
    # QuestionPro: as its help page lists the columns
    ("questionpro", "Response ID,IP Address,Timestamp (mm/dd/yyyy),Duplicate,Time Taken to Complete (Seconds),Response Status,"
     "Country Code,How likely is it that you would recommend us to a friend or colleague?,Comments",
     [f"{5000 + i},1.2.3.4,04/1{i}/2026 10:20:31,,62,Completed,NL,{s},{c}" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))],
     {"nps": 25.0}, "nps"),
    ("gainsight-cs", "Company Name,Contact Email,Survey Name,NPS Score,Comments,Responded Date",
     [f"Acme {i},c{i}@x.com,Q2 Relationship NPS,{s},{c},2026-04-1{i}" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))],
     {"nps": 25.0}, "nps"),
    ("wootric", "id,end_user_id,email,score,text,created_at,survey_type",
     [f"{i},{i},c{i}@x.com,{s},{c},2026-04-1{i}T10:20:00.000Z,NPS" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))],
     {"nps": 25.0}, "nps"),
    ("refiner-long", "Response ID,Contact Email,Survey Name,Question,Answer,Completed At",
     [line for i, (s, m) in enumerate(zip(NPS, COMMENTS, strict=True)) for line in (
         f"r{i},c{i}@x.com,NPS,How likely are you to recommend us to a friend?,{s},2026-04-1{i}",
         f"r{i},c{i}@x.com,NPS,What is the main reason for your score?,{m},2026-04-1{i}")], {"nps": 25.0}, "nps"),
    ("nicereply", "Rating ID,Ticket ID,Customer,Agent,Score,Comment,Created",
     [f"{i},{700 + i},c{i}@x.com,Ann,{s},{c},2026-04-1{i} 10:20:00" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))],
     {"csat": 0.625}, "csat"),
    ("klaus", "Conversation ID,CSAT,Comment,Created,Assignee",
     [f"k{i},{s},{c},2026-04-1{i},Ann" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))], {"csat": 0.625}, "csat"),
    ("survicate-v2", "Respondent ID,Date,Time,Email,Q1: How likely are you to recommend us to a friend?,"
     "Q2: What's the main reason for your score?",
     [f"{i},2026-04-1{i},10:2{i}:00,c{i}@x.com,{s},{c}" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))], {"nps": 25.0}, "nps"),
    ("typeform-hidden-fields", "#,How likely are you to recommend Freshcart?,How satisfied were you with your delivery?,"
     "Anything else you'd like to tell us?,touchpoint,user_id,Start Date (UTC),Submit Date (UTC),Network ID,Tags",
     [f"t{i},{s},{c},{m},rate-first-order,u{i},2026-04-1{i} 10:10:00,2026-04-1{i} 10:20:00,n{i},"
      for i, (s, c, m) in enumerate(zip(NPS, CSAT, COMMENTS, strict=True))], BOTH, "nps"),
    ("momentive", "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,"
     "How likely is it that you would recommend Freshcart to a friend or colleague?,"
     "\"Overall, how satisfied or dissatisfied are you with Freshcart?\"",
     [f"{9000 + i},44,04/1{i}/2026 10:15:32 AM,04/1{i}/2026 10:18:02 AM,1.2.3.4,,,,{s},{SURVEYMONKEY[c]}"
      for i, (s, c) in enumerate(zip(NPS, CSAT, strict=True))], BOTH, "nps"),
    ("freshdesk", "Ticket ID,Agent,Group,Rating,Feedback,Rated on",
     [f"{9000 + i},Ann,Support,{r},{c},13-04-2026 10:2{i}" for i, (r, c) in enumerate(zip(_csat_words(FRESHDESK), COMMENTS, strict=True))],
     {"csat": 0.625}, "csat"),
    ("userpilot-ces", "User ID,Company ID,Survey,How easy was it to place your order?,Submitted At",
     [f"u{i},a1,CES,{s},2026-04-1{i}" for i, s in enumerate([7, 6, 5, 4, 7, 6, 5, 4])], {"ces": 5.5}, "ces"),
    # Help Scout: its ratings as its help pages name them (the columns a guess)
    ("helpscout", "Conversation,Customer,Rating,Comments,Rated At,User",
     [f"#{100 + i},c{i}@x.com,{r},{c},2026-04-1{i} 10:20,Ann" for i, (r, c) in enumerate(zip(_csat_words(HELPSCOUT), COMMENTS, strict=True))],
     {"csat": 0.625}, "csat"),
    # Gorgias: its satisfaction survey's fields as its API reference names them
    ("gorgias", "Ticket ID,Customer email,Score,Body text,Sent Datetime,Scored Datetime",
     [f"{i},c{i}@x.com,{s},{c},2026-03-2{i} 10:20:00,2026-04-1{i} 10:20:00" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))],
     {"csat": 0.625}, "csat"),
    ("appcues", "User ID,Score,Feedback,Timestamp,Flow Name",
     [f"u{i},{s},{c},2026-04-1{i}T10:20:00Z,NPS" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))], {"nps": 25.0}, "nps"),
    ("tally", "Submission ID,Respondent ID,Submitted at,How likely are you to recommend us to a friend?,What could we do better?",
     [f"s{i},r{i},2026-04-1{i} 10:20:00,{s},{c}" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))], {"nps": 25.0}, "nps"),
    ("formbricks", "Response ID,Timestamp,Finished,Survey ID,Formbricks User ID,User ID,Notes,Tags,url,country,"
     "How likely are you to recommend us to a friend or colleague?,What is the main reason for your score?",
     [f"r{i},2026-04-1{i} 10:20:00,true,s1,f{i},u{i},,,https://x.com,NL,{s},{c}" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))],
     {"nps": 25.0}, "nps"),
    ("yotpo", "Review ID,Product ID,Review Title,Review Content,Review Score,Review Date,Reviewer Email",
     [f"{i},p1,t,{c},{s},2026-04-1{i},c{i}@x.com" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))], {"csat": 0.625}, "csat"),
    ("mopinion", "Date,Time,Page URL,How satisfied are you with our website?,Please tell us why",
     [f"1{i}-04-2026,10:2{i},https://x.com,{s},{c}" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))], {"csat": 0.625}, "csat"),
    ("kustomer", "Conversation ID,Customer Name,CSAT Rating,CSAT Comment,CSAT Response Date",
     [f"k{i},C {i},{s},{c},2026-04-1{i}" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))], {"csat": 0.625}, "csat"),
]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(("tool", "header", "rows", "read", "fill"), SWEEP, ids=[case[0] for case in SWEEP])
def test_a_tools_export_is_read_right_after_following_its_hint(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], tool: str, header: str, rows: list[str],
        read: dict[str, float], fill: str) -> None:
    """Each export names no touchpoint (one touchpoint's survey): its missing-column error gives a DuckDB statement; the
    file it writes (the touchpoint, and METRIC where the file does not tell it, filled in) reads the answers' numbers,
    8 answers each, all in April's period, with no error and no date left unread. On main, 13 of these 24 tools did."""
    export = write(tmp_path / f"{tool}.csv", [header, *rows])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 1
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    code, out = report(["--responses", str(follow(missing["hint"], tmp_path, fill)), "--period", "month"], engine, capsys)
    assert [p["code"] for p in out["problems"] if p["level"] == "error" or p["code"] in ("invalid-date", "no-period")] == []
    found = metrics(out)
    assert {m: (found[m]["value"], found[m]["n"], found[m]["period"]) for m in read} == {
        m: (value, 8, "2026-04") for m, value in read.items()}


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_column_of_texts_that_never_repeat_is_no_question_column(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A long export names each question on every respondent's row, so its question texts repeat; a column of notes
    whose texts each come once, two of them read as questions ('How easy was it?', 'Satisfaction'), is no question
    column: the one-question statement stays, its answers an NPS."""
    notes = ["How easy was it?", "Satisfaction", "called back", "vip", "late", "asked for refund", "new", "moved"]
    export = write(tmp_path / "notes.csv", ["Answer,Notes,Responded"]
                   + [f"{s},{n},2026-04-1{i}" for i, (s, n) in enumerate(zip(NPS, notes, strict=True))])
    code, out = report(["--responses", str(export)], engine, capsys)
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert "'nps' AS metric, \"Answer\" AS score" in missing["hint"] and "CASE" not in missing["hint"]
