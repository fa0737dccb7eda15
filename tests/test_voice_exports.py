"""Survey response files as real tools export them and as people break them (a probe set of exports run through
both readers): each is read as it means, or told with its place and what to do, the same on both engines."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.data import load_metric_data
from journeymap.data.engines import EngineOptions
from journeymap.data.engines.rows import shell_quoted
from journeymap.loader import load

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_nps_answers_coded_1_to_11_are_another_scale_not_an_nps_of_shifted_answers(tmp_path: Path, engine: str) -> None:
    """A survey tool's choice codes 1..11 for the NPS answers 0..10 (Qualtrics' default for an 11-point question whose
    values were not recoded): every 11 was a score error, and the rest were read as they were, each answer one point
    too high, a real 6 (a detractor) counted as a 7 (a passive): NPS -16.7 of 48 answers replaced the journey's."""
    journey = load(SAMPLE)
    codes = [1, 2, 4, 7, 7, 8, 9, 10, 10, 11, 11, 11] * 5  # the answers 0..10 written one higher: 11s, no 0
    path = write(tmp_path / "coded.csv", ["touchpoint,metric,score,respondent"]
                 + [f"rate-first-order,nps,{s},r{i}" for i, s in enumerate(codes)]
                 + ["check-postcode,nps,10,p1", "check-postcode,nps,11,p2", "check-postcode,nps,0,p3"])  # a typo: told, kept
    data = load_metric_data(journey, responses=path, engine=engine)
    [scale] = [p for p in data.problems if p.code == "another-scale"]
    assert (scale.span.line, scale.level) == (11, "error")  # the first 11
    assert scale.message == (
        "the 60 NPS answers for 'rate-first-order' run from 1 to 11 (15 of 11, none of 0): they look like choice codes 1..11 for the"
        " answers 0..10, each one higher than the answer, so no NPS is computed for 'rate-first-order'")
    assert scale.hint == ("subtract 1 from every answer (in Qualtrics: Recode Values, 0 to 10, before exporting), or leave"
                          " nps out of the file")
    assert data.get("rate-first-order", "nps") is None
    kept = data.get("check-postcode", "nps")
    assert kept is not None and kept.n == 2


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_csat_answers_coded_0_to_4_are_another_scale_not_a_csat_of_shifted_answers(tmp_path: Path, engine: str) -> None:
    """Choice codes 0..4 for the CSAT answers 1..5 (a form that numbers its choices from 0): the 0s were errors and the
    rest read one point too low, a real 'satisfied' 4 counted as a 3: CSAT 52.8% of 36 answers, not the 72% it was.
    The same answers are also 1..5 answers of a weak touchpoint (no 5) with their blanks exported as 0, where adding 1,
    as the hint said alone, makes every 4 a 5: the message names both, and the hint says what to do in each case."""
    journey = load(SAMPLE)
    codes = [0, 1, 2, 3, 3, 4, 4, 4] * 5
    path = write(tmp_path / "coded.csv", ["touchpoint,metric,score"] + [f"choose-delivery-slot,csat,{s}" for s in codes])
    data = load_metric_data(journey, responses=path, engine=engine)
    [scale] = [p for p in data.problems if p.code == "another-scale"]
    assert (scale.span.line, scale.level) == (2, "error")
    assert scale.message == (
        "the 40 CSAT answers for 'choose-delivery-slot' run from 0 to 4 (5 of 0, none of 5): they look like choice codes 0..4 for the"
        " answers 1..5, each one lower than the answer, or 1..5 answers whose skipped questions were written as 0 (and none"
        " of them 5), so no CSAT is computed for 'choose-delivery-slot'")
    assert scale.hint == ("if the 0s are questions skipped, write them as empty cells (a blank score is not counted); if the"
                          " answers are choice codes, add 1 to every answer; or leave csat out of the file")
    assert data.get("choose-delivery-slot", "csat") is None


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(("header", "rows", "on", "named"), [
    # a row a respondent, a column a question, as every survey tool exports its answers
    ("ResponseId,RecordedDate,touchpoint,NPS,CSAT", ["R_1,2026-04-01,rate-first-order,9,4", "R_2,2026-04-02,rate-first-order,3,"],
     '"NPS" AS nps, "CSAT" AS csat', ('"ResponseId" AS respondent, "RecordedDate" AS date', '"ResponseId", "RecordedDate"')),
    # with a comment column it was read as a file of comments alone: the NPS and CSAT columns ignored, exit 0
    ("ResponseId,touchpoint,NPS,CSAT,Comment", ["R_1,rate-first-order,9,4,great", "R_2,rate-first-order,3,,bad"],
     '"NPS" AS nps, "CSAT" AS csat', ('"ResponseId" AS respondent', '"ResponseId"')),
    # the questions' own texts, and Medallia's LTR and OSAT
    ("Response ID,Touchpoint,How likely are you to recommend us to a friend?,How satisfied were you with your order?",
     ["R_1,rate-first-order,9,4", "R_2,rate-first-order,3,"],
     '"How likely are you to recommend us to a friend?" AS nps, "How satisfied were you with your order?" AS csat',
     ('"Response ID" AS respondent', '"Response ID"')),
    # no respondent column beside the comments: each row's number is its respondent (its comment counts once)
    ("touchpoint,LTR,OSAT,LTR Comment", ["rate-first-order,9,4,great", "rate-first-order,3,,bad"], '"LTR" AS nps, "OSAT" AS csat',
     ('"LTR Comment" AS comment', '"LTR Comment"')),
], ids=["wide", "with-comment", "question-texts", "medallia"])
def test_a_wide_survey_export_a_column_a_question_is_told_how_to_write_it_long(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], header: str, rows: list[str], on: str,
        named: tuple[str, str]) -> None:
    """A survey export a row a respondent and a column a question ('NPS', 'CSAT'): the hint said to read one of them as
    the score (--responses-column score=NPS), which loses the other; beside a comment column the file was read as
    comments alone, its scores ignored with a warning, exit 0. It is a missing-column error whose hint names the
    questions' columns and gives the DuckDB statement that writes the answers long, each column named as its metric's
    id; the file it writes reads."""
    answers = write(tmp_path / "wide.csv", [header, *rows])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--engine", engine, "--format", "json"]) == 1
    [missing] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
    assert missing["message"].startswith("the responses table has no columns 'metric', 'score'")
    # the export's respondent, date and comment columns named as journeymap's, which the written file needed an option for
    source = f"read_csv('{answers}', all_varchar=true)"
    if "comment" in named[0]:
        source = f"(SELECT row_number() OVER () AS respondent, * FROM {source})"
    statement = (f"COPY (SELECT {named[0]}, * EXCLUDE ({named[1]}) FROM (UNPIVOT {source} ON {on} INTO NAME metric VALUE score))"
                 " TO 'long.csv'")
    shown = ", ".join(column.split('" AS')[0].strip('" ') for column in on.split(", "))
    assert shown in missing["hint"].replace("'", "")
    assert missing["hint"].endswith(
        "are answers to the metrics nps, csat: the file is wide, a column a question; write it long, a row an answer,"
        " with the metric's id in a 'metric' column and the answer in a 'score' column (with DuckDB:"
        f" {statement})")
    duckdb = pytest.importorskip("duckdb")
    long = tmp_path / "long.csv"
    duckdb.sql(statement.replace("'long.csv'", f"'{long}'"))
    assert main(["report", str(SAMPLE), "--responses", str(long), "--engine", engine, "--format", "json"]) == 0
    read = json.loads(capsys.readouterr().out)
    assert [p for p in read["problems"] if p["level"] == "error"] == []
    metrics = next(t for t in read["touchpoints"] if t["id"] == "rate-first-order")["metrics"]
    assert (metrics["nps"]["n"], metrics["nps"]["value"], metrics["csat"]["n"]) == (2, 0, 1)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_wide_export_of_one_touchpoints_survey_is_told_to_name_its_touchpoint(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A post-order survey's export names no touchpoint: the statement writes the answers long with the touchpoint the
    user names in place of TOUCHPOINT."""
    answers = write(tmp_path / "wide.csv", ["ResponseId,NPS,CSAT,Comment", "R_1,9,4,great", "R_2,3,2,bad"])
    main(["report", str(SAMPLE), "--responses", str(answers), "--engine", engine, "--format", "json"])
    [missing] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
    statement = (f"COPY (SELECT 'TOUCHPOINT' AS touchpoint, \"ResponseId\" AS respondent, * EXCLUDE (\"ResponseId\") FROM"
                 f" (UNPIVOT read_csv('{answers}', all_varchar=true) ON \"NPS\" AS nps, \"CSAT\" AS csat INTO NAME metric VALUE"
                 " score)) TO 'long.csv'")
    assert missing["hint"].endswith(f"(with DuckDB: {statement}, with the touchpoint's id for TOUCHPOINT)")
    duckdb = pytest.importorskip("duckdb")
    long = tmp_path / "long.csv"
    duckdb.sql(statement.replace("'long.csv'", f"'{long}'").replace("TOUCHPOINT", "rate-first-order"))
    main(["report", str(SAMPLE), "--responses", str(long), "--engine", engine, "--format", "json"])
    read = json.loads(capsys.readouterr().out)
    assert [p for p in read["problems"] if p["level"] == "error"] == []
    metrics = next(t for t in read["touchpoints"] if t["id"] == "rate-first-order")["metrics"]
    assert (metrics["nps"]["n"], metrics["csat"]["n"]) == (2, 2)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(("start", "before"), [(b"\xef\xbb\xbf", "caf"), (b"", "Caf\u00e9 ok, caf"), (b"\xef\xbb\xbf", "Caf\u00e9 ok, caf")],
                         ids=["bom", "utf8-before", "bom-and-utf8-before"])
def test_a_byte_that_is_not_utf8_after_a_byte_order_mark_is_named_at_its_place(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], start: bytes, before: str) -> None:
    """A file saved as 'CSV UTF-8' (a byte-order mark) with a row pasted from a Windows program ('café' in Windows-1252):
    the error named the byte three places before the bad one ("byte 0x63, which is c") at its column, as the mark was
    not counted; and a column counted bytes where every other problem counts characters."""
    prefix = "choose-delivery-slot,csat,4,"
    path = tmp_path / "answers.csv"
    path.write_bytes(start + b"touchpoint,metric,score,comment\n" + (prefix + before).encode() + b"\xe9\n")
    assert main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine]) == 1
    err = capsys.readouterr().err
    assert f"answers.csv:2:{len(prefix + before) + 1}: error[encoding]: the file is not UTF-8 (byte 0xe9, which is é in" in err


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_qualtrics_minus_99_for_a_question_seen_and_not_answered_is_a_skipped_question(tmp_path: Path, engine: str) -> None:
    """Qualtrics' export option 'Export viewed but unanswered questions as -99': each such NPS was a score error that
    said "this looks like an NPS value, not an answer; put computed values in a --metrics table", exit 1. It is a
    skipped question, as a blank or 'N/A' is: a blank-score warning, the row not counted."""
    journey = load(SAMPLE)
    path = write(tmp_path / "q.csv", ["touchpoint,metric,score,respondent", "rate-first-order,nps,9,r1",
                                      "rate-first-order,nps,-99,r2", "choose-delivery-slot,csat,-99,r3",
                                      "choose-delivery-slot,csat,4,r4", "rate-first-order,nps,-98,r5"])
    data = load_metric_data(journey, responses=path, engine=engine)
    told = [(p.span.line, p.code, p.level, p.message, p.hint) for p in data.problems]
    said = ("the score is '-99' (a skipped question); the row is not counted (2 rows: lines 3, 4)",
            "Qualtrics writes -99 for a question seen and not answered (its export option 'Export viewed but unanswered"
            " questions as -99')")
    assert told[0] == (3, "blank-score", "warning", *said)
    assert [t[:2] for t in told] == [(3, "blank-score"), (6, "score")]  # -98 is no such mark: an error as before
    nps, csat = data.get("rate-first-order", "nps"), data.get("choose-delivery-slot", "csat")
    assert nps is not None and csat is not None and (nps.n, csat.n) == (1, 1)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_quoted_cell_after_a_space_is_told_the_space_not_to_quote_the_comma(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A file written with a space after each comma, its comment quoted after it (', "fine, really"'): a quote after a
    space begins no quoted cell, so the row had a cell too many, and the hint said "a cell holding a comma must be in
    double quotes" of a cell that is; with a warning that the table "has a header but no rows" beside its row's error."""
    path = write(tmp_path / "spaced.csv", ["touchpoint, metric, score, comment",
                                           'choose-delivery-slot, csat, 4, "fine, really"'])
    assert main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json"]) == 1
    problems = [(p["line"], p["col"], p["code"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    assert problems == [(2, 32, "row-shape", "a quote after a space begins no quoted cell (', \"fine, really\"'): write it"
                         " right after the comma, with no space before it")]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_qualtrics_export_of_one_scored_question_is_told_to_read_it(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """One question with a score (and one comment): its column is read as the score, as before; the statement that
    writes answers long is for two or more."""
    export = write(tmp_path / "q.csv", [
        "ResponseId,Q1,Q2", "Response ID,How likely are you to recommend us?,What is the main reason for your score?",
        '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}"', "R_1,9,Fast"])
    main(["report", str(SAMPLE), "--responses", str(export), "--engine", engine, "--format", "json"])
    missing = next(p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column")
    assert missing["hint"].startswith(
        "a Qualtrics export names its questions Q1, Q2, ...; its second line gives their texts: Q1 'How likely are you to"
        " recommend us?' holds scores and Q2 'What is the main reason for your score?' comments: read one question at a"
        " time, --responses-column score=Q1 --responses-column comment=Q2; ")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_surveymonkey_wide_export_is_written_long_and_its_closing_question_is_the_comment(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """SurveyMonkey's export: its questions' texts as the header, a row of 'Response' under it, and a closing 'Any other
    comments?' that was ignored among the columns journeymap does not read, without a word that it is the comment."""
    export = write(tmp_path / "sm.csv", [
        'Respondent ID,End Date,"How likely is it that you would recommend us to a friend or colleague?",'
        "How satisfied were you with your delivery?,Any other comments?",
        ",,Response,Response,Open-Ended Response", "1140,04/01/2026 10:02:00 AM,9,4,great"])
    main(["report", str(SAMPLE), "--responses", str(export), "--engine", engine, "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    missing = next(p for p in problems if p["code"] == "missing-column")
    statement = missing["hint"].split("(with DuckDB: ")[1].split(", with the touchpoint's id")[0]
    assert '"How satisfied were you with your delivery?" AS csat' in statement
    # the statement names its closing question the comment (and its respondent and date columns as journeymap's), where a
    # warning of its own gave the option that reads it, one of three the written file needed
    assert statement.startswith('COPY (SELECT \'TOUCHPOINT\' AS touchpoint, "Respondent ID" AS respondent, "End Date" AS date,'
                                ' "Any other comments?" AS comment, * EXCLUDE ("Respondent ID", "End Date", "Any other comments?")')
    assert not any(p["code"] == "unknown-column" for p in problems)
    duckdb = pytest.importorskip("duckdb")
    long = tmp_path / "long.csv"
    duckdb.sql(statement.replace("'long.csv'", f"'{long}'").replace("TOUCHPOINT", "rate-first-order"))
    assert main(["report", str(SAMPLE), "--responses", str(long), "--engine", engine, "--format", "json"]) == 0
    read = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in read["problems"] if p["level"] == "error"] == []
    metrics = next(t for t in read["touchpoints"] if t["id"] == "rate-first-order")["metrics"]
    assert (metrics["nps"]["n"], metrics["csat"]["n"], metrics["sentiment"]["n"]) == (1, 1, 1)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_persona_cell_naming_two_personas_is_told_so_not_guessed_as_one(tmp_path: Path, engine: str) -> None:
    """A multiple-choice 'Which describes you?' exported as one cell ('busy-parent, wfh-professional'): the warning
    guessed "did you mean 'wfh-professional'?", as if a typo of one."""
    journey = load(SAMPLE)
    path = write(tmp_path / "p.csv", ["touchpoint,metric,score,persona",
                                      'choose-delivery-slot,csat,4,"busy-parent, wfh-professional"',
                                      "choose-delivery-slot,csat,2,Busy parent;Student flat-share"])
    data = load_metric_data(journey, responses=path, engine=engine)
    told = [(p.span.line, p.code, p.message, p.hint) for p in data.problems]
    assert told == [
        (2, "unknown-persona", "unknown persona 'busy-parent, wfh-professional': the row counts for everyone but for no"
         " persona", "it names 2 personas, busy-parent and wfh-professional (a multiple-choice answer): a row is one"
         " persona's; write one of them, or leave the cell empty"),
        (3, "unknown-persona", "unknown persona 'Busy parent;Student flat-share': the row counts for everyone but for no"
         " persona", "it names 2 personas, busy-parent and student-flatshare (a multiple-choice answer): a row is one"
         " persona's; write one of them, or leave the cell empty"),
    ]
    csat = data.get("choose-delivery-slot", "csat")
    assert csat is not None and csat.n == 2


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_comment_saying_there_is_none_is_no_comment(tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A required comment box's 'No comment', 'Nothing to add', 'Nope': each was a comment, and VADER reads 'no' as
    negative, so 'No comment' (-0.30) was the card's most negative quote and pulled the sentiment down. They are told
    with the missing-value marks, and not counted; a comment that says something with such words still is."""
    fillers = ["No comment", "no comments.", "Nothing to add", "nothing else to add!", "Nope", "No, thanks", "None at this time",
               "N/A - no comment", "No further comments", "nothing", "No"]
    kept = ["No delivery slot before Friday", "Nothing works on the app", "no more plastic bags please"]
    path = write(tmp_path / "c.csv", ["touchpoint,metric,score,comment"]
                 + [f'choose-delivery-slot,csat,{3 + i % 3},"{text}"' for i, text in enumerate(fillers + kept)])
    assert main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    [told] = [p for p in out["problems"] if p["code"] == "missing-comment"]
    assert told["message"].startswith(f"{len(fillers)} comment cells hold a missing-value mark")
    assert "a word that there is none ('No comment', 'Nothing to add', 'Nope')" in told["message"]
    said = next(t for t in out["touchpoints"] if t["id"] == "choose-delivery-slot")["verbatims"]
    assert said["comments"] == len(kept)
    assert {q["text"] for q in said["quotes"]} <= set(kept)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_csat_answered_on_a_seven_point_scale_is_another_scale_when_its_top_is_not_the_most(tmp_path: Path, engine: str) -> None:
    """A CSAT asked on a 7-point satisfaction scale, 16 of 40 answers 6 or 7: each was a score error, and the 24 from 1
    to 5 made a CSAT of those (a 4 or 5 on 1..7 is no 'satisfied'), which replaced the journey's. The majority rule
    let it pass, as the answers above 5 were fewer than those on the scale."""
    journey = load(SAMPLE)
    codes = [1, 2, 3, 4, 4, 5, 6, 6, 7, 7] * 4
    path = write(tmp_path / "seven.csv", ["touchpoint,metric,score"] + [f"choose-delivery-slot,csat,{s}" for s in codes]
                 + [f"set-substitutions,csat,{s}" for s in [4, 5, 3, 6] + [5] * 36])  # one stray 6 in 40: a typo, told
    data = load_metric_data(journey, responses=path, engine=engine)
    [scale] = [p for p in data.problems if p.code == "another-scale"]
    assert (scale.span.line, scale.level) == (8, "error")  # the first 6
    assert scale.message == (
        "the 40 CSAT answers for 'choose-delivery-slot' run from 1 to 7 (16 above 5): answers of a longer scale than"
        " CSAT's 1..5, so no CSAT is computed for 'choose-delivery-slot'")
    assert scale.hint == ("convert every answer to 1..5, or give that scale's CSAT (its share of top answers) in a metrics"
                          " table (--metrics), or leave csat out of the file")
    assert data.get("choose-delivery-slot", "csat") is None
    kept = data.get("set-substitutions", "csat")
    assert kept is not None and kept.n == 39


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(("encoded", "reads"), [
    # Excel's 'Unicode Text' and the survey tools' 'Excel-compatible' export: UTF-16, tab-separated
    (lambda text: b"\xff\xfe" + text.replace(",", "\t").encode("utf-16-le"), "all_varchar=true, encoding='utf-16'"),
    # Excel's separator line above the header
    (lambda text: ("sep=;\n" + text.replace(",", ";")).encode(), "all_varchar=true, skip=1"),
], ids=["utf16", "sep-line"])
def test_the_statement_that_writes_a_wide_export_long_reads_the_file_as_it_is_written(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], encoded: object, reads: str) -> None:
    """The UNPIVOT statement a wide file's hint gives read it with read_csv's defaults: DuckDB could not read a UTF-16
    export ("It was not possible to automatically detect the CSV parsing dialect"), and took Excel's 'sep=;' line for
    the header. It reads such a file as journeymap does."""
    import duckdb

    answers = tmp_path / "wide.csv"
    answers.write_bytes(encoded("touchpoint,NPS,CSAT\nrate-first-order,9,4\nrate-first-order,3,2\n"))  # type: ignore[operator]
    main(["report", str(SAMPLE), "--responses", str(answers), "--engine", engine, "--format", "json"])
    [missing] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
    assert f"read_csv('{answers}', {reads}) ON" in missing["hint"]
    long = tmp_path / "long.csv"
    duckdb.sql(missing["hint"].split("(with DuckDB: ")[1].removesuffix(")").replace("'long.csv'", f"'{long}'"))
    assert main(["report", str(SAMPLE), "--responses", str(long), "--engine", engine, "--format", "json"]) == 0
    metrics = next(t for t in json.loads(capsys.readouterr().out)["touchpoints"] if t["id"] == "rate-first-order")["metrics"]
    assert (metrics["nps"]["n"], metrics["csat"]["n"]) == (2, 2)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_file_without_the_column_an_option_names_but_with_journeymaps_own_is_told_the_option_is_for_every_file(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Two exports, one with 'Rating' (read by --responses-column score=Rating), one with 'score': the second was told
    "the header must name the columns touchpoint, metric, score", though it does; the option is for every file."""
    rated = write(tmp_path / "rated.csv", ["touchpoint,metric,Rating", "choose-delivery-slot,csat,4"])
    scored = write(tmp_path / "scored.csv", ["touchpoint,metric,score", "choose-delivery-slot,csat,2"])
    assert main(["report", str(SAMPLE), "--responses", str(rated), "--responses", str(scored), "--engine", engine,
                 "--responses-column", "score=Rating", "--format", "json"]) == 1
    [missing] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
    assert missing["file"].endswith("scored.csv")
    assert missing["hint"] == ("--responses-column score=Rating names the column of every file given; this one calls it"
                               " 'score': rename it to 'Rating' here, or 'Rating' to 'score' in the others and leave the"
                               " option out")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_qualtrics_nps_group_column_read_as_the_score_is_an_error_naming_the_answers_column(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Qualtrics writes an NPS question's group beside its answers, Q1_NPS_GROUP: 1 detractor, 2 passive, 3 promoter.
    Read as the score (--responses-column score=Q1_NPS_GROUP) every answer was a 1, 2 or 3, a detractor: NPS -100
    without a word, for answers whose NPS is +25."""
    export = write(tmp_path / "q.csv", ["touchpoint,metric,Q1,Q1_NPS_GROUP", "rate-first-order,nps,9,3",
                                        "rate-first-order,nps,10,3", "rate-first-order,nps,7,2", "rate-first-order,nps,3,1"])
    assert main(["report", str(SAMPLE), "--responses", str(export), "--engine", engine, "--format", "json",
                 "--responses-column", "score=Q1_NPS_GROUP"]) == 1
    out = json.loads(capsys.readouterr().out)
    [told] = [p for p in out["problems"] if p["level"] == "error"]
    assert (told["line"], told["col"], told["code"]) == (1, 22, "nps-group")
    assert told["message"] == ("column 'Q1_NPS_GROUP' holds Qualtrics' NPS groups (1 detractor, 2 passive, 3 promoter),"
                               " not the answers 0..10: read as scores, every answer is a detractor; the file is not read")
    assert told["hint"] == "read the answers' column: --responses-column score=Q1"
    nps = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]
    assert nps["source"] == "journey"
    good = main(["report", str(SAMPLE), "--responses", str(export), "--engine", engine, "--format", "json",
                 "--responses-column", "score=Q1"])
    nps = next(t for t in json.loads(capsys.readouterr().out)["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]
    assert (good, nps["value"]) == (0, 25)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_comments_file_with_one_column_of_a_metrics_answers_is_told_how_to_read_both(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A helpdesk export of comments with their satisfaction rating ('touchpoint,Satisfaction,comment', Good/Bad): it
    was read as comments alone, the ratings ignored with a warning that listed the known columns. The column is
    answers to CSAT: an error whose statement writes the file long; the file it writes reads both."""
    export = write(tmp_path / "desk.csv", ["touchpoint,Satisfaction,comment", "choose-delivery-slot,Good,fast",
                                           "choose-delivery-slot,Bad,late"])
    assert main(["report", str(SAMPLE), "--responses", str(export), "--engine", engine, "--format", "json"]) == 1
    [missing] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
    statement = f"COPY (UNPIVOT read_csv('{export}', all_varchar=true) ON \"Satisfaction\" AS csat INTO NAME metric VALUE score) TO 'long.csv'"
    assert missing["hint"] == (
        "its column 'Satisfaction' holds answers to the metric csat, and no column names the metric: write the file long,"
        " a row an answer, with the metric's id in a 'metric' column and the answer in a 'score' column (with DuckDB:"
        f" {statement})")
    duckdb = pytest.importorskip("duckdb")
    long = tmp_path / "long.csv"
    duckdb.sql(statement.replace("'long.csv'", f"'{long}'"))
    main(["report", str(SAMPLE), "--responses", str(long), "--engine", engine, "--format", "json"])
    read = json.loads(capsys.readouterr().out)
    slot = next(t for t in read["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert (slot["metrics"]["csat"]["n"], slot["metrics"]["csat"]["value"], slot["verbatims"]["comments"]) == (2, 0.5, 2)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(("header", "row", "hint"), [
    ("Kontaktpunkt;Kennzahl;Bewertung;Kommentar;Datum", "rate-first-order;nps;9;Schnell und freundlich;02.04.2026",
     "read them with --responses-column touchpoint=Kontaktpunkt --responses-column metric=Kennzahl --responses-column"
     " score=Bewertung --responses-column comment=Kommentar --responses-column date=Datum, or rename 'Kontaktpunkt' to"
     " 'touchpoint', 'Kennzahl' to 'metric', 'Bewertung' to 'score', 'Kommentar' to 'comment', 'Datum' to 'date'"),
    ("point de contact,indicateur,note,commentaire,horodateur", "rate-first-order,nps,9,Rapide,2026-04-02",
     "read them with --responses-column 'touchpoint=point de contact' --responses-column metric=indicateur"
     " --responses-column score=note --responses-column comment=commentaire --responses-column date=horodateur, or"
     " rename 'point de contact' to 'touchpoint', 'indicateur' to 'metric', 'note' to 'score', 'commentaire' to"
     " 'comment', 'horodateur' to 'date'"),
    ("touchpoint,metric,Puntuación,Comentario,Fecha", "rate-first-order,nps,9,Rápido,2026-04-02",
     "read them with --responses-column 'score=Puntuación' --responses-column comment=Comentario --responses-column"
     " date=Fecha, or rename 'Puntuación' to 'score', 'Comentario' to 'comment', 'Fecha' to 'date'"),
], ids=["german", "french", "spanish"])
def test_a_header_in_german_french_or_spanish_is_told_the_options_that_read_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, header: str, row: str, hint: str) -> None:
    """A survey export or a sheet written in German, French or Spanish ('Bewertung', 'commentaire', 'puntuación'): the
    missing-column error said only that the header must name the columns touchpoint, metric, score, respondent, ...
    (or 'rename Metrik to metric' for the one name close to English), and 'Kommentar' was ignored without a guess.
    Then the error gave the options for the missing columns, and the comment's and date's columns were a warning each
    with an option of their own: two command lines to piece together. The error's one command line reads them all,
    and run as it is, reads the file: the answer, its comment and its date, without a word more."""
    answers = write(tmp_path / "antworten.csv", [header, row])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--engine", engine, "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    [missing] = [p for p in problems if p["code"] == "missing-column"]
    assert missing["hint"] == hint
    assert [p for p in problems if p["code"] == "unknown-column"] == []
    options = shlex.split(hint.removeprefix("read them with ").partition(", or rename")[0])
    assert main(["report", str(SAMPLE), "--responses", str(answers), *options, "--engine", engine, "--period", "month",
                 "--format", "json"]) == 0
    read = json.loads(capsys.readouterr().out)
    assert read["problems"] == []
    nps = next(t for t in read["touchpoints"] if t["id"] == "rate-first-order")
    assert (nps["metrics"]["nps"]["n"], nps["verbatims"]["comments"]) == (1, 1)
    assert [point["period"] for point in nps["metrics"]["nps"]["series"]] == ["2026-04"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_column_not_read_is_told_at_its_header_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """The warnings for the header's columns that are not read were all placed at the header's start, 1:1, whichever
    column they named: an editor or a CI annotation marked the first column. Each is at its own column's cell (a
    group's at its first column's), for answers and a metrics table alike, on both readers."""
    answers = write(tmp_path / "answers.csv", ["touchpoint,metric,score,Datum,Kommentar,Browser,Device",
                                               "rate-first-order,nps,9,02.04.2026,Schnell,Firefox,mobile"])
    table = write(tmp_path / "metrics.csv", ["touchpoint,metric,value,Owner", "choose-delivery-slot,csat,70%,Ops"])
    told = []
    for option, path in (("--responses", answers), ("--metrics", table)):
        assert main(["report", str(SAMPLE), option, str(path), "--engine", engine, "--format", "json"]) == 0
        told += [(Path(p["file"]).name, p["line"], p["col"], p["message"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    assert told == [
        ("answers.csv", 1, 25, "column 'Datum' is not one journeymap reads; it is ignored"),
        ("answers.csv", 1, 31, "column 'Kommentar' is not one journeymap reads; it is ignored"),
        ("answers.csv", 1, 41, "2 columns are not ones journeymap reads; they are ignored: 'Browser', 'Device'"),
        ("metrics.csv", 1, 25, "column 'Owner' is not one journeymap reads; it is ignored"),
    ]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize("column", ["Comment, optional", "Comment - optional", "Anything else you'd like to tell us?",
                                    "Conversation rating remark", "Message", "What did you like most?",
                                    "What could we improve?"],
                         ids=["comma", "dash", "typeform", "intercom", "hotjar", "liked", "improve"])
def test_a_comment_column_with_a_qualifier_or_a_tools_name_is_told_the_option_that_reads_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, column: str) -> None:
    """A form's 'Comment, optional' (a qualifier after a comma or a dash, where '(optional)' was told), Typeform's closing
    question, Intercom's remark beside its rating and Hotjar's message: each was one of the columns ignored, 'known
    columns: touchpoint, metric, ...', and the customers' words left out of the report; so were a form's open questions
    ('What did you like most?', 'What could we improve?'). Each is told the option that reads it, and read with it. Trustpilot's 'Reply Content', the company's reply, is not "did you mean 'respondent'?"."""
    quoted = '"' + column + '"' if "," in column else column
    answers = write(tmp_path / "answers.csv", [f"touchpoint,metric,score,{quoted},Reply Content",
                                               "rate-first-order,nps,9,Fast and friendly,Thanks!"])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--engine", engine, "--format", "json"]) == 0
    told = sorted((p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"])
    assert told == sorted([
        (f"column '{column}' is not one journeymap reads; it is ignored",
         f"it looks like the comment column: read it with --responses-column {shell_quoted('comment=' + column)}"),
        ("column 'Reply Content' is not one journeymap reads; it is ignored",
         "known columns: touchpoint, metric, score, respondent, date, period, persona, segment, comment, status"),
    ])
    data = load_metric_data(load(SAMPLE), responses=answers, engine=engine,
                            event_options=EngineOptions(response_columns=(("comment", column),)))
    assert data.verbatims["rate-first-order"].comments == 1


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_second_column_of_comments_is_told_how_to_join_it_to_the_first(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """Two columns of comments side by side ('comment' and 'Comment 2', a form's two open questions): the second was
    "did you mean 'comment'?", which the file has, and its texts were not among the verbatims. It is told that only the
    first is read, with the DuckDB statement that joins the two; the file it writes reads both."""
    answers = write(tmp_path / "answers.csv", ["touchpoint,metric,score,comment,Comment 2",
                                               "rate-first-order,nps,9,great,and fresh", "rate-first-order,nps,3,,late again"])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--engine", engine, "--format", "json"]) == 0
    [(message, hint)] = [(p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    statement = (f"COPY (SELECT * EXCLUDE (\"comment\", \"Comment 2\"), concat_ws(' / ', \"comment\", \"Comment 2\") AS comment"
                 f" FROM read_csv('{answers}', all_varchar=true)) TO 'joined.csv'")
    assert message == "column 'Comment 2' is not one journeymap reads; it is ignored"
    assert hint == ("a second column of comments: only 'comment' is read as the comment, so the texts in this one are not"
                    f" among the verbatims; join the two into one column to read both (with DuckDB: {statement}), or read"
                    " this one instead with --responses-column 'comment=Comment 2'")
    duckdb = pytest.importorskip("duckdb")
    joined = tmp_path / "joined.csv"
    duckdb.sql(statement.replace("'joined.csv'", f"'{joined}'"))
    data = load_metric_data(load(SAMPLE), responses=joined, engine=engine)
    assert data.errors == [] and data.verbatims["rate-first-order"].comments == 2
    assert [p.message for p in data.problems] == []


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_alchemers_disqualified_and_deleted_responses_are_left_out_with_one_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """An Alchemer (SurveyGizmo) export's Status column: 'Complete', 'Partial', 'Disqualified' (a respondent a screening
    question sent away) and 'Deleted' (an answer deleted in Alchemer, which its API and some exports still list). The
    column was 'not read: its values are not Qualtrics' response types', and every row counted: two answers of 0 from
    respondents who were screened out or deleted made NPS -20 of 5, not 33 of 3. They are left out with one warning,
    at the first one's Status; a partial answer counts, as an unfinished Qualtrics answer does."""
    answers = write(tmp_path / "alchemer.csv", [
        "Response ID,Time Started,Date Submitted,Status,touchpoint,metric,score",
        "1,2026-04-02 10:00:00,2026-04-02 10:05:00,Complete,rate-first-order,nps,9",
        "2,2026-04-02 11:00:00,,Partial,rate-first-order,nps,10",
        "3,2026-04-02 12:00:00,2026-04-02 12:05:00,Disqualified,rate-first-order,nps,0",
        "4,2026-04-02 13:00:00,2026-04-02 13:05:00,Deleted,rate-first-order,nps,0",
        "5,2026-04-02 14:00:00,2026-04-02 14:05:00,Complete,rate-first-order,nps,3",
    ])
    data = load_metric_data(load(SAMPLE), responses=answers, engine=engine)
    [status] = [p for p in data.problems if p.code == "alchemer-status"]
    assert (status.span.line, status.span.col, status.level) == (4, 43, "warning")
    assert status.message == ("2 rows are answers Alchemer marks 'Deleted' or 'Disqualified' in the Status column (deleted, or"
                              " screened out), not customers' answers to count: they are not counted")
    assert status.hint == "nothing to do; a 'Partial' answer counts, as an answer the customer gave"
    assert not [p for p in data.problems if "Status" in p.message and p is not status]
    nps = data.get("rate-first-order", "nps")
    assert nps is not None and (nps.n, round(nps.value, 1)) == (3, 33.3)
