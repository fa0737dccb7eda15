"""Survey exports of tools journeymap had not been tried on (a probe of 26 files: Microsoft Forms, Alchemer, Jotform,
LimeSurvey, SurveySparrow, Survicate, Pendo, Sprig, Retently, AskNicely, Satismeter, Freshdesk, HubSpot, Salesforce,
InMoment, Qualaroo, Userpilot, Trustpilot, Gainsight PX, ...): each is read as it means, or its error gives what reads
it, the same on both engines. The column names of most are as the tools' help pages show them, some a guess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeymap.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"

NPS = [10, 9, 9, 8, 7, 6, 3, 10]  # 4 promoters, 2 passives, 2 detractors: +25
CSAT = [5, 4, 4, 3, 2, 5, 4, 1]  # 5 of 8 satisfied: 62.5%
COMMENTS = ["Fast and friendly", "Great", "Slot was late", "ok", "Driver was rude", "Love it", "Meh", "Awful"]


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def category(score: int) -> str:
    return "Promoter" if score >= 9 else "Passive" if score >= 7 else "Detractor"


def report(args: list[str], engine: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["report", str(SAMPLE), *args, "--engine", engine, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def statement(hint: str) -> str:
    return hint.split("(with DuckDB: ")[1].split(" TO 'long.csv'")[0] + " TO 'long.csv'"


# One question's answers, a row a respondent, without a touchpoint or a metric column: the error said to add the two
# columns, with no way to; it gives the statement that writes them, each column the header names in the tool's words
# under journeymap's name, and the metric where the file tells it.
ONE_QUESTION = [
    # Retently (a guess): 'Score' beside its NPS category, 'Type'
    ("retently", "Customer,Email,Score,Feedback,Date,Type",
     [f"C{i},c{i}@example.com,{s},{c},2026-04-0{i + 2},{category(s)}" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))],
     "its column 'Score' holds NPS answers: the column 'Type' beside it names them Detractor, Passive, Promoter",
     "'TOUCHPOINT' AS touchpoint, 'nps' AS metric, \"Feedback\" AS comment, * EXCLUDE (\"Feedback\")", ("nps", 25.0)),
    # AskNicely: 'answer' 0..10, 'responded' (as README's list of survey names has it)
    ("asknicely", "Name,Email,Answer,Comment,Responded",
     [f"C{i},c{i}@example.com,{s},{c},2026-04-0{i + 2}" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))],
     "its column 'Answer' holds answers up to 10, on NPS's scale 0..10 (CSAT's is 1..5, CES's 1..7)",
     "'TOUCHPOINT' AS touchpoint, 'nps' AS metric, \"Answer\" AS score, \"Responded\" AS date, * EXCLUDE (\"Answer\", \"Responded\")",
     ("nps", 25.0)),
    # Pendo (a guess): the score column named for its metric
    ("pendo", "Visitor ID,Account ID,Browser Time,NPS Rating,NPS Feedback",
     [f"v{i},a1,2026-04-0{i + 2}T10:20:00.000Z,{s},{c}" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))],
     "its column 'NPS Rating' holds the answers to nps",
     "'TOUCHPOINT' AS touchpoint, 'nps' AS metric, \"NPS Rating\" AS score, * EXCLUDE (\"NPS Rating\")", ("nps", 25.0)),
    # Trustpilot: stars 1..5 are a CSAT, 4 and 5 stars satisfied
    ("trustpilot", "Review Created (UTC),Review Consumer User Id,Review Title,Review Content,Review Stars",
     [f"2026-04-0{i + 2} 10:20:00,u{i},t,{c},{s}" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))],
     "its column 'Review Stars' holds the answers to csat",
     "'TOUCHPOINT' AS touchpoint, 'csat' AS metric, \"Review Created (UTC)\" AS date, \"Review Content\" AS comment,"
     " \"Review Stars\" AS score, * EXCLUDE (\"Review Created (UTC)\", \"Review Content\", \"Review Stars\")", ("csat", 0.625)),
]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(("tool", "header", "rows", "why", "select", "read"), ONE_QUESTION, ids=[t[0] for t in ONE_QUESTION])
def test_a_one_question_export_is_given_the_statement_that_writes_its_touchpoint_and_metric(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], tool: str, header: str, rows: list[str], why: str,
        select: str, read: tuple[str, float]) -> None:
    """An NPS tool's export of its one question: every such file was "add a column 'touchpoint' ... and a column 'metric'
    ..., on each row" and nothing more, its 'Feedback' and 'Responded' columns a warning each with an option of its own
    (which the file the user wrote would no longer need). The statement writes both columns and names the tool's columns
    as journeymap's; the file it writes reads without an option, with the numbers of the answers."""
    import duckdb
    export = write(tmp_path / f"{tool}.csv", [header, *rows])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 1
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert missing["hint"].startswith(f"an export of one survey's answers names no touchpoint nor metric; {why}: write it")
    assert f"COPY (SELECT {select} FROM read_csv('{export}', all_varchar=true)) TO 'long.csv'" in missing["hint"]
    assert missing["hint"].endswith(", with the touchpoint's id for TOUCHPOINT)") or "' is not read:" in missing["hint"]
    # the columns the statement names are not told again, each with an option the written file would not need
    assert [p for p in out["problems"] if p["code"] == "unknown-column" and "read it with" in (p["hint"] or "")] == []
    long = tmp_path / "long.csv"
    duckdb.sql(statement(missing["hint"]).replace("'long.csv'", f"'{long}'").replace("TOUCHPOINT", "rate-first-order"))
    code, out = report(["--responses", str(long)], engine, capsys)
    assert code == 0
    assert [p for p in out["problems"] if p["level"] == "error" or p["code"] == "missing-column"] == []
    metrics = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]
    metric, value = read
    assert (metrics[metric]["value"], metrics[metric]["n"], metrics[metric]["source"]) == (value, 8, str(long))
    if "comment" in select or "Comment" in header:
        assert metrics["sentiment"]["n"] == 8  # the comments are read too


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_column_of_nps_categories_is_told_it_is_not_read_not_did_you_mean_segment(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """HubSpot's NPS export (a guess at its columns): 'Rating' and, beside it, 'Sentiment' holding Promoter, Passive and
    Detractor, which was "did you mean 'segment'?" (the persona's column). It names the answers an NPS, and the hint
    says the categories are not read, as a score's category is worked out from it."""
    export = write(tmp_path / "hubspot.csv", ["Contact,Submitted at,Rating,Sentiment"]
                   + [f"c{i},2026-04-0{i + 2} 10:20,{s},{category(s)}" for i, s in enumerate(NPS)])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 1
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert "its column 'Rating' holds NPS answers: the column 'Sentiment' beside it names them" in missing["hint"]
    assert "'nps' AS metric, \"Submitted at\" AS date, \"Rating\" AS score" in missing["hint"]
    assert missing["hint"].endswith("; 'Sentiment' is not read: an NPS answer's category is worked out from its score")
    assert [p for p in out["problems"] if p["code"] == "unknown-column"] == []


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_one_question_export_whose_metric_the_file_does_not_tell_leaves_it_to_fill_in(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A helpdesk's ratings 1..5 (Freshdesk's export, a guess at its columns): a CSAT or a CES, which the file does not
    say: the statement has METRIC to fill in, and says with what; 'Rated on' is the answer's date."""
    export = write(tmp_path / "ratings.csv", ["Ticket ID,Agent,Rating,Feedback,Rated on"]
                   + [f"{9000 + i},Ann,{s},{c},2026-04-0{i + 2}" for i, (s, c) in enumerate(zip(CSAT, COMMENTS, strict=True))])
    code, out = report(["--responses", str(export)], engine, capsys)
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert ("'TOUCHPOINT' AS touchpoint, 'METRIC' AS metric, \"Rating\" AS score, \"Feedback\" AS comment, \"Rated on\" AS date,"
            " * EXCLUDE (\"Rating\", \"Feedback\", \"Rated on\")") in missing["hint"]
    assert missing["hint"].endswith(
        ", with the touchpoint's id for TOUCHPOINT and the metric its answers are to, nps, csat or ces, for METRIC)")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_answer_written_with_its_metrics_own_scale_is_read_as_its_number(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Review widgets and form exports write a rating with its scale: '4 out of 5', '★★★★☆' (Trustpilot's and app
    stores' widgets), '9/10', '6/7'. Each was a score error whose hint named the number, and its answer was left out: a
    CSAT export of such ratings had no answer read. On the metric's own scale they are read, with one warning per form;
    on another scale ('5 out of 10' for a CSAT, '4 stars' of an unknown number) they are still errors."""
    rows = ([f"rate-first-order,csat,{s} out of 5" for s in CSAT[:4]]
            + ["rate-first-order,csat," + "\u2605" * s + "\u2606" * (5 - s) for s in CSAT[4:]]
            + [f"rate-first-order,nps,{s}/10" for s in NPS] + ["check-postcode,ces,6/7", "check-postcode,ces,7 of 7 points"]
            + ["choose-delivery-slot,csat,5 out of 10", "choose-delivery-slot,csat,\u2605\u2605\u2605\u2605"])
    export = write(tmp_path / "scaled.csv", ["touchpoint,metric,score", *rows])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 1
    told = [(p["line"], p["level"], p["code"], p["message"]) for p in out["problems"]]
    assert told[:2] == [
        (2, "warning", "score-label", "the score '5 out of 5' is read as 5, its number on the 1..5 scale written with it"),
        (3, "warning", "score-label", "the score '4 out of 5' is read as 4, its number on the 1..5 scale written with it"
                                      " (2 rows: lines 3, 4)"),
    ]
    assert (6, "warning", "score-label", "the score '\u2605\u2605\u2606\u2606\u2606' is read as 2, its number on the 1..5 scale"
            " written with it") in told
    assert [(line, level) for line, level, code, _message in told if code == "score"] == [(20, "error"), (21, "error")]
    metrics = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]
    assert (metrics["csat"]["value"], metrics["csat"]["n"]) == (0.625, 8)
    assert (metrics["nps"]["value"], metrics["nps"]["n"]) == (25.0, 8)
    ces = next(t for t in out["touchpoints"] if t["id"] == "check-postcode")["metrics"]["ces"]
    assert (ces["value"], ces["n"]) == (6.5, 2)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(("header", "on", "date"), [
    # Microsoft Forms in German: its questions were not seen as answers ("the header must name the columns ...")
    ("ID;Startzeit;Fertigstellungszeit;E-Mail;Name;Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?;"
     "Wie zufrieden waren Sie mit der Lieferung?;Kommentar",
     '"Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?" AS nps, "Wie zufrieden waren Sie mit der Lieferung?" AS csat',
     "Fertigstellungszeit"),
    # Typeform in Spanish: it was told to "rename 'Comentario' to 'metric'"
    ("#;¿Qué probabilidad hay de que nos recomiende?;¿Qué tan satisfecho está?;Comentario;Fecha de envío (UTC)",
     '"¿Qué probabilidad hay de que nos recomiende?" AS nps, "¿Qué tan satisfecho está?" AS csat', "Fecha de envío (UTC)"),
    # a French form's short names, with a note of the scale
    ("Identifiant;Date de soumission;Recommandation (0-10);Satisfaction;Commentaire",
     '"Recommandation (0-10)" AS nps, "Satisfaction" AS csat', "Date de soumission"),
], ids=["microsoft-forms-de", "typeform-es", "fr"])
def test_rating_questions_asked_in_german_spanish_or_french_are_written_long(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], header: str, on: str, date: str) -> None:
    """A wide export whose questions are in another language than English: its NPS and CSAT columns are named as the
    metrics they ask for, and the statement writes the file long, its date and comment columns as journeymap's."""
    import duckdb

    when = [f"2026-04-0{i + 2} 10:20:00" for i in range(len(NPS))]
    rows = [f"{i};{w};{w};anonymous;;{s};{c};{m}" if header.startswith("ID;") else f"t{i};{s};{c};{m};{w}" if header.startswith("#")
            else f"t{i};{w};{s};{c};{m}" for i, (w, s, c, m) in enumerate(zip(when, NPS, CSAT, COMMENTS, strict=True))]
    export = write(tmp_path / "export.csv", [header, *rows])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 1
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert f" ON {on} INTO NAME metric VALUE score" in missing["hint"]
    assert not any("to 'metric'" in (p["hint"] or "") for p in out["problems"])
    # the statement names the date's and the comment's columns as journeymap's: the file it writes needs no option
    assert f'"{date}" AS date' in missing["hint"]
    assert [p for p in out["problems"] if p["code"] == "unknown-column"] == []
    long = tmp_path / "long.csv"
    duckdb.sql(statement(missing["hint"]).replace("'long.csv'", f"'{long}'").replace("TOUCHPOINT", "rate-first-order"))
    code, out = report(["--responses", str(long)], engine, capsys)
    assert code == 0
    metrics = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]
    assert (metrics["nps"]["value"], metrics["nps"]["n"], metrics["csat"]["value"], metrics["csat"]["n"]) == (25.0, 8, 0.625, 8)
    assert metrics["sentiment"]["n"] == 8  # each respondent's comment once, not once a question
    assert [p["period"] for p in metrics["nps"]["series"]] == []  # no --period: pooled, but dated (no invalid-date)
    assert not any(p["code"] == "invalid-date" for p in out["problems"])


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_question_numbered_before_its_text_is_read_as_its_question(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An on-page survey's export numbers its questions ('Q1: How likely are you to recommend us?', as Qualaroo's does, a
    guess at its columns): the number hid the question, and the file was told only "the header must name the columns
    ..."."""
    export = write(tmp_path / "onpage.csv", ["Date,Page URL,Q1: How likely are you to recommend us?,Q2: Anything else to add?"]
                   + [f"2026-04-0{i + 2},https://example.com/thanks,{s},{c}" for i, (s, c) in enumerate(zip(NPS, COMMENTS, strict=True))])
    code, out = report(["--responses", str(export)], engine, capsys)
    [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
    assert "'nps' AS metric, \"Q1: How likely are you to recommend us?\" AS score, \"Q2: Anything else to add?\" AS comment" in (
        missing["hint"])


LABELS = ["", "Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize("labels", [
    LABELS,
    # Alchemer's capitals, a 'Neutral' middle, and LimeSurvey's 'unsatisfied' (guesses at how they write them)
    ["", "Very Dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very Satisfied"],
    ["", "Very unsatisfied", "Unsatisfied", "Neutral", "Satisfied", "Very satisfied"],
], ids=["labels", "capitals", "unsatisfied"])
def test_csat_answers_exported_as_the_satisfaction_scales_labels_are_read_as_their_numbers(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], labels: list[str]) -> None:
    """A form exported as choice texts (Alchemer, LimeSurvey's full answers, Microsoft Forms' Likert question): every
    CSAT answer was a score error that named its number, and no CSAT was read. In a column of those labels alone they
    are read as 1..5, with one warning, as Intercom's and Hotjar's words are."""
    export = write(tmp_path / "labels.csv", ["touchpoint,metric,score"] + [f"rate-first-order,csat,{labels[s]}" for s in CSAT])
    code, out = report(["--responses", str(export)], engine, capsys)
    assert code == 0
    told = [(p["line"], p["level"], p["code"], p["message"]) for p in out["problems"]]
    assert told == [(2, "warning", "likert-rating", "the CSAT answers are the labels of the 1..5 satisfaction scale, read as"
                     " their numbers: Very dissatisfied 1, Dissatisfied 2, Neither satisfied nor dissatisfied (Neutral) 3,"
                     " Satisfied 4, Very satisfied 5 (8 rows: lines 2, 3, 4, 5, 6, ...)")]
    csat = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["csat"]
    assert (csat["value"], csat["n"]) == (0.625, 8)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_satisfaction_labels_among_numbers_are_still_each_told_its_number(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Mixed with numbers (or another scale's words) a label is an error that names its number, as before: which scale
    the column is on cannot be told."""
    export = write(tmp_path / "mixed.csv", ["touchpoint,metric,score", "rate-first-order,csat,Very satisfied",
                                             "rate-first-order,csat,4", "rate-first-order,csat,Very unsatisfied"])
    code, out = report(["--responses", str(export)], engine, capsys)
    told = {p["line"]: (p["code"], p["hint"]) for p in out["problems"]}
    assert told == {
        2: ("score", "Likert labels are not read: 'Very satisfied' is 5 on the 1..5 scale (1 very dissatisfied to 5 very"
                     " satisfied): write 5"),
        4: ("score", "Likert labels are not read: 'Very unsatisfied' is 1 on the 1..5 scale (1 very dissatisfied to 5 very"
                     " satisfied): write 1"),
    }
    csat = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["csat"]
    assert (csat["value"], csat["n"]) == (1.0, 1)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_date_with_dashes_and_the_year_last_is_told_the_day_it_may_be(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Dutch and Danish Excel, and helpdesks such as Freshdesk, write dates with dashes and the year last ('13-04-2026
    10:20'): the warning's hint said only "write dates as YYYY-MM-DD", where one with slashes names the day it is, or the
    two it may be."""
    # (a file of both is read as its day-first date shows, with a date-order warning: test_survey_exports_round3)
    export = write(tmp_path / "dashed.csv", ["touchpoint,metric,score,date", "rate-first-order,csat,4,13-04-2026 10:20",
                                             "rate-first-order,csat,4,04-13-2026", "rate-first-order,csat,5,02-04-2026"])
    code, out = report(["--responses", str(export)], engine, capsys)
    hints = {p["line"]: (p["code"], p["hint"]) for p in out["problems"] if p["code"] != "date-order"}
    assert hints == {
        2: ("invalid-date", "write dates as YYYY-MM-DD (ISO 8601); '13-04-2026' is 2026-04-13"),
        3: ("invalid-date", "write dates as YYYY-MM-DD (ISO 8601); '04-13-2026' is 2026-04-13"),
        4: ("invalid-date", "write dates as YYYY-MM-DD (ISO 8601); '02-04-2026' may be 2026-04-02 (day first) or 2026-02-04"
                            " (month first)"),
    }


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_wide_exports_statement_names_its_date_and_comment_and_counts_each_comment_once(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Microsoft Forms' export (ID, Start time, Completion time, Email, Name, then the questions) and Alchemer's (its own
    'Comments' column, often empty, beside the question 'Why did you give that score?'). The UNPIVOT statement kept the
    date and comment columns as the export names them, each needing an option its warning gave (Alchemer's 'Comments',
    the first, was the one told to be the comment); with no respondent column, a row's comment, on its NPS and its CSAT
    rows, was counted twice: sentiment on 16 comments for 8. The statement names them as journeymap's, numbers the rows
    as respondents, and the file it writes reads without an option."""
    import duckdb

    when = [f"2026-04-{i + 12} 10:1{i}:00" for i in range(len(NPS))]
    forms = write(tmp_path / "forms.csv", [
        "ID,Start time,Completion time,Email,Name,How likely are you to recommend Freshcart to a friend or colleague?,"
        "How satisfied were you with your delivery?,Anything else you'd like to tell us?"]
        + [f"{i + 1},{w},{w},anonymous,,{s},{c},{m}" for i, (w, s, c, m) in enumerate(zip(when, NPS, CSAT, COMMENTS, strict=True))])
    alchemer = write(tmp_path / "alchemer.csv", [
        "Response ID,Date Submitted,Status,Comments,How likely are you to recommend us?,\"Overall, how satisfied are you?\","
        "Why did you give that score?"]
        + [f"{100 + i},{w},Complete,,{s},{c},{m}" for i, (w, s, c, m) in enumerate(zip(when, NPS, CSAT, COMMENTS, strict=True))])
    for export, head in ((forms, "'TOUCHPOINT' AS touchpoint, \"Completion time\" AS date, \"Anything else you'd like to tell"
                                 " us?\" AS comment, * EXCLUDE (\"Completion time\", \"Anything else you'd like to tell us?\")"
                                 " FROM (UNPIVOT (SELECT row_number() OVER () AS respondent, * FROM read_csv("),
                         (alchemer, "'TOUCHPOINT' AS touchpoint, \"Response ID\" AS respondent, \"Date Submitted\" AS date,"
                                    " \"Why did you give that score?\" AS comment, * EXCLUDE (\"Response ID\", \"Date"
                                    " Submitted\", \"Why did you give that score?\") FROM (UNPIVOT read_csv(")):
        code, out = report(["--responses", str(export)], engine, capsys)
        assert code == 1
        [missing] = [p for p in out["problems"] if p["code"] == "missing-column"]
        assert f"(with DuckDB: COPY (SELECT {head}'{export}'" in missing["hint"]
        assert [p for p in out["problems"] if p["code"] == "unknown-column"] == []  # no option to add, none to replace it
        long = tmp_path / "long.csv"
        duckdb.sql(statement(missing["hint"]).replace("'long.csv'", f"'{long}'").replace("TOUCHPOINT", "rate-first-order"))
        code, out = report(["--responses", str(long), "--period", "month"], engine, capsys)
        assert code == 0
        assert [p["code"] for p in out["problems"] if p["level"] == "error" or p["code"] in ("invalid-date", "missing-column")] == []
        metrics = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]
        assert (metrics["nps"]["value"], metrics["nps"]["n"], metrics["csat"]["value"], metrics["csat"]["n"]) == (25.0, 8, 0.625, 8)
        assert (metrics["sentiment"]["n"], metrics["nps"]["period"]) == (8, "2026-04")
