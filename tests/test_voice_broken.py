"""Broken and hostile survey files through ``report`` in every format and ``render``: every
problem told with its place, no traceback, no row lost without a word, every text inert."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.data import load_metric_data
from journeymap.loader import load

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
HOSTILE = (  # strongly negative, so it is the card's "most negative" quote
    "<script>alert(1)</script> terrible awful horrible **x** [a](javascript:1) | pipe `tick` \x1b[2J\x1b[31mRED"
    " \u202egnp.exe \u2028 sep\u0085nel <!-- c --> ]]> {{ x }}"
)
UNSAFE = ("\x1b", "\u202e", "\u2028", "\x85")


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def broken(tmp_path: Path) -> Path:
    hostile = HOSTILE.replace('"', '""')
    return write(
        tmp_path / "broken.csv",
        [
            "touchpoint,metric,score,respondent,date,persona,comment",
            "choose-delivery-slot,csat,9,r1,2026-04-01,busy-parent,off scale",
            "choose-delivery-slot,csat,1e308,r2,2026-04-01,,huge",
            "choose-delivery-slot,csat,4,r3,2026-02-30,,bad date",
            f'choose-delivery-slot,csat,2,r4,2026-04-02,busy-parent,"{hostile}"',
            "choose-delivery-slot,csat,5,r5,2026-05-02,busy-parent,fine",
            'choose-delivery-slot,csat,4,r6,2026-05-02,,"never closed',
            "choose-delivery-slot,csat,4,r7,2026-05-03,,swallowed",
        ],
    )


def test_a_quote_never_closed_is_told_and_the_rows_before_it_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = broken(tmp_path)
    assert main(["report", str(SAMPLE), "--responses", str(path), "--period", "month", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    told = {(p["line"], p["code"]) for p in data["problems"]}
    assert {(2, "score"), (3, "score"), (4, "invalid-date"), (7, "unclosed-quote")} <= told
    unclosed = next(p for p in data["problems"] if p["code"] == "unclosed-quote")
    assert unclosed["message"] == "a quoted cell on line 7 is never closed: lines 7-8 would be one row; they are not read"
    huge = next(p for p in data["problems"] if p["line"] == 3)
    assert huge["message"] == "CSAT score 1e308 is off the 1..5 answer scale"
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    # r4 and r5 count (r3's date is unreadable: told, and left out of the monthly series)
    assert [(p["period"], p["n"]) for p in slot["metrics"]["csat"]["series"]] == [("2026-04", 1), ("2026-05", 1)]


@pytest.mark.parametrize("form", ["text", "markdown", "json"])
def test_every_report_format_keeps_hostile_comments_inert(tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str) -> None:
    path = broken(tmp_path)
    code = main(["report", str(SAMPLE), "--responses", str(path), "--period", "month", "--format", form])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err
    assert not any(c in out for c in UNSAFE)
    assert "<script>" not in out and "alert(1)" not in out  # a script element is markup, left out of quotes with its code
    if form == "markdown":
        assert "\\*\\*x\\*\\*" in out and "\\[a\\](javascript:1)" in out
    if form == "json":
        quotes = [q["text"] for t in json.loads(out)["touchpoints"] if t["verbatims"] for q in t["verbatims"]["quotes"]]
        assert any(q.startswith("terrible awful horrible **x** [a](javascript:1)") for q in quotes)  # data, escaped by JSON


def test_render_keeps_hostile_comments_inert_in_every_output(tmp_path: Path) -> None:
    path = broken(tmp_path)
    out = tmp_path / "out"
    main(["render", str(SAMPLE), "--responses", str(path), "--period", "month", "--to", "html,md,dot,mermaid", "-o", str(out)])
    html = (out / "grocery-first-order.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "alert(1)" not in html  # a script element is markup, left out with its code
    for name in ("grocery-first-order.html", "grocery-first-order.md", "grocery-first-order.dot", "grocery-first-order.mmd"):
        text = (out / name).read_text(encoding="utf-8")
        assert not any(c in text for c in ("\x1b", "\x85")), name
    # The map's quote keeps its override inside an isolate.
    assert "<bdi>terrible awful horrible **x** [a](javascript:1)" in html


def test_terminal_colour_codes_make_no_phrases() -> None:
    from journeymap.data.verbatims import phrases_of

    found = phrases_of("\x1b[31mred alert\x1b[0m swaps ruined dinner \x1b[2J")
    assert "ruined dinner" in found and "red alert" in found
    assert not any(part in phrase for phrase in found for part in ("31m", "0m", "2j"))


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_file_given_twice_is_read_once_with_a_word(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score", *(f"choose-delivery-slot,csat,{s}" for s in (4, 5, 1, 2, 5))])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n", "doorstep-handover,csat,0.9,200"])
    (tmp_path / "link.csv").symlink_to(answers)
    once = ["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers), "--metrics", str(table)]
    assert main(once) == 0
    alone = json.loads(capsys.readouterr().out)
    twice = [*once, "--responses", str(tmp_path / "." / "a.csv"), "--responses", str(tmp_path / "link.csv"),
             "--metrics", str(table)]
    assert main(twice) == 0
    data = json.loads(capsys.readouterr().out)
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (slot["n"], slot["source"]) == (5, str(answers))
    assert slot == next(t for t in alone["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    said = sorted((p["file"], p["message"]) for p in data["problems"] if p["code"] == "duplicate-file")
    assert said == sorted([
        (str(tmp_path / "a.csv"), "--responses names this file twice: it is read once"),
        (str(tmp_path / "link.csv"), "--responses names this file twice (as a.csv): it is read once"),
        (str(table), "--metrics names this file twice: it is read once"),
    ])


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_copy_or_a_gzip_of_a_file_named_beside_it_is_read_once_with_a_word(tmp_path: Path, engine: str) -> None:
    """Without a respondent column, a file and its gzip counted every answer twice, silently."""
    import gzip
    import shutil

    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score", *(f"choose-delivery-slot,csat,{s}" for s in (4, 5, 1, 2, 5))])
    (tmp_path / "a.csv.gz").write_bytes(gzip.compress(answers.read_bytes()))
    shutil.copy(answers, tmp_path / "copy.csv")
    other = write(tmp_path / "b.csv", ["touchpoint,metric,score", *(f"choose-delivery-slot,csat,{s}" for s in (1, 2, 3, 4, 5))])
    data = load_metric_data(load(SAMPLE), responses=[answers, tmp_path / "a.csv.gz", tmp_path / "copy.csv", other], engine=engine)
    said = [(Path(p.span.file).name, p.message) for p in data.problems if p.code == "duplicate-file"]
    assert said == [(name, "--responses names a file with the same content as a.csv (a copy of it, or its gzip): it is read once")
                    for name in ("a.csv.gz", "copy.csv")]
    slot = data.get("choose-delivery-slot", "csat")
    assert slot is not None and slot.n == 10  # a.csv and b.csv (same size, other content)


@pytest.mark.parametrize(
    ("label", "why"),
    [
        ("2026-13", "months are 01 to 12"), ("2026-00", "months are 01 to 12"), ("2026-Q5", "quarters are Q1 to Q4"),
        ("2025-W53", "2025 has ISO weeks W01 to W52"), ("2026-W00", "2026 has ISO weeks W01 to W53"),
        ("2026-02-30", "no such day"), ("2026-W53", None), ("2026-12", None), ("2026-Q4", None), ("Q3 2026", None),
    ],
)
def test_a_period_label_no_calendar_has_is_told(label: str, why: str | None) -> None:
    from journeymap.data.summary import impossible_period

    assert impossible_period(label) == why


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_impossible_periods_are_errors_in_tables_and_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """'2026-13' and '2025-W53' were warnings whose rows were kept: '2026-13' sorted after '2026-12', and its 70% was the
    touchpoint's CSAT. Each is an error at its cell, and its rows are left out."""
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,csat,0.5,100,2026-11",
                                       "choose-delivery-slot,csat,0.6,100,2026-12", "choose-delivery-slot,csat,0.7,100,2026-13"])
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,period", "rate-first-order,nps,9,2025-W52",
                                         "rate-first-order,nps,9,2025-W53", "rate-first-order,nps,3,2025-W53"])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table), "--responses", str(answers)]) == 1
    data = json.loads(capsys.readouterr().out)
    told = [(p["file"], p["line"], p["level"], p["message"]) for p in data["problems"] if p["code"] == "impossible-period"]
    assert told == [
        (str(answers), 3, "error", "period '2025-W53' names no period of the calendar (2025 has ISO weeks W01 to W52);"
         " the answer is not counted (2 rows: lines 3, 4)"),
        (str(table), 4, "error", "period '2026-13' names no period of the calendar (months are 01 to 12); the row is left out"),
    ]
    metrics = {t["id"]: t["metrics"] for t in data["touchpoints"]}
    assert (metrics["choose-delivery-slot"]["csat"]["value"], metrics["choose-delivery-slot"]["csat"]["period"]) == (0.6, "2026-12")
    assert (metrics["rate-first-order"]["nps"]["value"], metrics["rate-first-order"]["nps"]["period"]) == (100.0, "2025-W52")


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_survey_columns_without_a_name_are_one_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    answers = write(tmp_path / "a.csv", ["touchpoint;metric;;score;;", "choose-delivery-slot;csat;x;4;;", "choose-delivery-slot;csat;;5;;"])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["code"], p["message"]) for p in data["problems"]] == [
        (1, "unknown-column", "3 columns of the header have no name (columns 3, 5, 6), so they are not read"),
    ]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (slot["value"], slot["n"]) == (1.0, 2)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_rows_without_the_headers_trailing_unnamed_columns_are_not_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A header with separators after its last name ('touchpoint,metric,score,,,': a sheet's formatted empty columns) over
    rows that end at the score: beside the one warning that the unnamed columns are not read, every row was 'fewer
    cells than the header's 6 columns', its hint a line break in a cell or a row ending early, where nothing is
    missing. Only a row without a named column's cell is short; on both readers, answers and metrics tables."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,,,", "choose-delivery-slot,csat,4", "choose-delivery-slot,csat,5",
                                         "choose-delivery-slot,csat"])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,,", "choose-delivery-slot,csat,0.7,120", "rate-first-order,csat,0.8,90"])
    told = []
    for option, path in (("--responses", answers), ("--metrics", table)):
        main(["report", str(SAMPLE), "--format", "json", "--engine", engine, option, str(path)])
        told += [(Path(p["file"]).name, p["line"], p["code"], p["message"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    assert told == [
        ("a.csv", 1, "unknown-column", "3 columns of the header have no name (columns 4, 5, 6), so they are not read"),
        ("a.csv", 4, "blank-score", "the score is blank (a skipped question); the row is not counted"),
        ("a.csv", 4, "short-row", "a row has fewer cells than the header's 6 columns (line 4): the missing cells are read as empty"),
        ("m.csv", 1, "unknown-column", "2 columns of the header have no name (columns 5, 6), so they are not read"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_metrics_row_with_n_0_is_kept_as_low_confidence_with_a_word(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n", "choose-delivery-slot,csat,0.2,0"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table)])
    data = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["col"], p["level"], p["message"]) for p in data["problems"]] == [
        (2, 31, "warning", "n is 0: the value rests on no answers; it is kept, as low confidence"),
    ]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert (slot["metrics"]["csat"]["n"], slot["metrics"]["csat"]["status"]) == (0, "low_confidence")
    assert not any("CSAT" in reason for reason in slot["reasons"])  # 20% against 85%, on no answers: not a reason


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_rows_with_fewer_cells_are_read_and_said_once(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    # A comment's line break without quotes makes a row of one cell; a row can also end early.
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,respondent,comment", "choose-delivery-slot,csat,5,r1,fine",
                                         "choose-delivery-slot,csat,1,r2,awful", "really awful", "choose-delivery-slot,csat,4"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)])
    data = json.loads(capsys.readouterr().out)
    short = [(p["line"], p["level"], p["message"]) for p in data["problems"] if p["code"] == "short-row"]
    assert short == [(4, "warning", "2 rows have fewer cells than the header's 5 columns (lines 4, 5): the missing cells are read as empty")]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert slot["n"] == 3  # r1, r2 and the row that ended early; 'really awful' is no answer (and is told)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
@pytest.mark.parametrize(("delimiter", "named"), [(",", "a comma"), (";", "a semicolon"), ("\t", "a tab"), ("|", "a pipe (|)")])
def test_a_row_with_more_cells_is_told_of_the_files_own_delimiter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, delimiter: str, named: str,
) -> None:
    # a TSV export's row with a stray tab was told "a cell holding a comma must be in double quotes"
    rows = ["touchpoint,metric,score,comment", "choose-delivery-slot,csat,5,fine", "choose-delivery-slot,csat,1,awful,really"]
    answers = write(tmp_path / "a.csv", [row.replace(",", delimiter) for row in rows])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)])
    [shape] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "row-shape"]
    assert (shape["line"], shape["col"], shape["hint"]) == (3, 35, f"a cell holding {named} must be in double quotes")


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_date_with_a_zone_falls_in_its_utc_day_in_csv_and_parquet_alike(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    import duckdb

    rows = [("choose-delivery-slot", "csat", "5", "2026-08-31T23:30:00-05:00"),  # 2026-09-01 04:30 UTC
            ("choose-delivery-slot", "csat", "1", "2026-09-01T01:30:00+02:00"),  # 2026-08-31 23:30 UTC
            ("choose-delivery-slot", "csat", "4", "2026-09-15 10:00")]
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,date", *(",".join(r) for r in rows)])
    parquet = tmp_path / "a.parquet"
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE TABLE t (touchpoint VARCHAR, metric VARCHAR, score INTEGER, date TIMESTAMPTZ)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ))", [list(r) for r in rows])
    con.execute(f"COPY t TO '{parquet}' (FORMAT parquet)")
    con.close()
    series = []
    # (the row reader reads Parquet only with pyarrow, an optional extra: its CSV is held to DuckDB's Parquet)
    for path in (answers, parquet) if engine == "duckdb" else (answers,):
        main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--period", "month", "--responses", str(path)])
        slot = next(t for t in json.loads(capsys.readouterr().out)["touchpoints"] if t["id"] == "choose-delivery-slot")
        series.append([(p["period"], p["value"], p["n"]) for p in slot["metrics"]["csat"]["series"]])
    assert all(found == [("2026-08", 0.0, 1), ("2026-09", 1.0, 2)] for found in series)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_repeated_header_or_a_question_text_row_is_one_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    # A Qualtrics export's question-text row gave two errors and a warning (exit 1); files joined
    # with `cat` repeat the header mid-file.
    answers = write(tmp_path / "a.csv", [
        "touchpoint,metric,score,respondent", "Touchpoint,Metric,How satisfied were you?,Response ID",
        '"{""ImportId"":""QID1""}","{""ImportId"":""QID2""}","{""ImportId"":""QID3""}","{""ImportId"":""_recordId""}"',
        "choose-delivery-slot,csat,4,r1", "touchpoint,metric,score,respondent", "choose-delivery-slot,csat,5,r2",
    ])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["code"], p["level"]) for p in data["problems"]] == [(2, "export-header", "warning"), (3, "export-header", "warning")]
    assert "(2 rows: lines 2, 5)" in data["problems"][0]["message"]  # one warning for the header's repeats
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (slot["value"], slot["n"]) == (1.0, 2)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_dates_as_numbers_since_1970_are_read_as_event_logs_read_them(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    # An analytics export writes dates as seconds, milliseconds or microseconds since 1970; they
    # were 'not a date' here, while an event log read them. An Excel day number still gets its hint.
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,date", "choose-delivery-slot,csat,5,1789374660",
                                         "choose-delivery-slot,csat,4,1785000000000", "choose-delivery-slot,csat,1,1789374660000000",
                                         "choose-delivery-slot,csat,2,46173"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--period", "month", "--responses", str(answers)])
    data = json.loads(capsys.readouterr().out)
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert [(p["period"], p["n"]) for p in slot["series"]] == [("2026-07", 1), ("2026-09", 2)]
    invalid = [p for p in data["problems"] if p["code"] == "invalid-date"]
    assert [p["line"] for p in invalid] == [5] and "Excel day number" in invalid[0]["hint"]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_missing_column_shows_the_header_as_written_and_the_option_to_paste(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    answers = write(tmp_path / "a.csv", ["Touch Point,Metric,Score", "choose-delivery-slot,csat,4"])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)]) == 1
    problem = json.loads(capsys.readouterr().out)["problems"][0]
    assert problem["message"] == "the responses table has no column 'touchpoint' (its header: Touch Point, Metric, Score)"
    assert problem["hint"] == "read it with --responses-column 'touchpoint=Touch Point', or rename 'Touch Point' to 'touchpoint'"
    # pasted back, the hint's option reads the file
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers),
                 "--responses-column", "touchpoint=Touch Point"]) == 0
    slot = next(t for t in json.loads(capsys.readouterr().out)["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert slot["metrics"]["csat"]["n"] == 1


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_header_warnings_name_columns_as_the_export_writes_them(tmp_path: Path, engine: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A Qualtrics-like export's own columns were a warning each (a dozen lines before the one
    that mattered), lower-cased; a replaced or repeated column was named lower-cased too."""
    path = write(tmp_path / "export.csv", [
        "IPAddress,Browser,Finished,Touchpoint,Metric,Rating,Score,Comentario,UserLanguage",
        "10.0.0.1,Firefox,True,choose-delivery-slot,csat,4,x,ok,EN",
    ])
    assert main(["report", str(SAMPLE), "--responses", str(path), "--responses-column", "score=Rating",
                 "--engine", engine, "--format", "json"]) == 0
    said = [(p["code"], p["message"], p.get("hint")) for p in json.loads(capsys.readouterr().out)["problems"]]
    assert ("unknown-column", "4 columns are not ones journeymap reads; they are ignored:"
            " 'IPAddress', 'Browser', 'Finished', 'UserLanguage'", "known columns: touchpoint, metric, score, respondent,"
            " date, period, persona, segment, comment, status") in said, said
    assert ("unknown-column", "column 'Comentario' is not one journeymap reads; it is ignored",
            "it looks like the comment column: read it with --responses-column comment=Comentario") in said
    assert any(code == "unknown-column" and message.startswith("column 'Score' is not read: --responses-column score=Rating")
               for code, message, _ in said), said
    assert len(said) == 3, said
    twice = write(tmp_path / "twice.csv", ["Touchpoint,Metric,Score,Score", "choose-delivery-slot,csat,4,5"])
    assert main(["report", str(SAMPLE), "--responses", str(twice), "--engine", engine, "--format", "json"]) == 1
    said = [(p["code"], p["message"], p["line"], p["col"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    # at the second 'Score' (it was at 1:1, the header's start)
    assert ("duplicate-column", "column 'Score' appears twice in the header", 1, 25) in said, said


def test_review_sites_and_typeforms_column_names_are_told_the_option_that_reads_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Trustpilot's 'Review stars', 'Review Content' and 'Review Created (UTC)', and Typeform's 'Submit Date (UTC)',
    were ignored columns with only the list of known ones. The error's command line reads the first of each (the
    comment and the date with the score); the second date column keeps its own warning."""
    export = write(tmp_path / "reviews.csv", ["Review stars,Review Content,Review Created (UTC),Submit Date (UTC),touchpoint,metric",
                                              "5,Good,2026-09-14T08:31:00Z,2026-09-14 08:31:00,rate-first-order,csat"])
    assert main(["report", str(SAMPLE), "--responses", str(export), "--format", "json"]) == 1
    said = {p["message"]: p["hint"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert said["the responses table has no column 'score' (its header: Review stars, Review Content, Review Created (UTC),"
                " Submit Date (UTC), touchpoint, metric)"] == (
        "read them with --responses-column 'score=Review stars' --responses-column 'comment=Review Content'"
        " --responses-column 'date=Review Created (UTC)', or rename 'Review stars' to 'score', 'Review Content' to"
        " 'comment', 'Review Created (UTC)' to 'date'")
    assert "column 'Review Content' is not one journeymap reads; it is ignored" not in said
    assert said["column 'Submit Date (UTC)' is not one journeymap reads; it is ignored"] == (
        "it looks like the date column: read it with --responses-column 'date=Submit Date (UTC)'")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_survey_tools_own_column_names_are_told_the_option_that_reads_them(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Delighted's 'Score, Comment, Created At' export was told only "the header must name the columns
    touchpoint, metric, ...", and its 'Created At' (Typeform's 'Submitted At', Google Forms' 'Timestamp')
    was one of the ignored columns: once read, the answers had no date, so no period and no trend. A
    score column named for its metric or question ('CSAT (1-5)') got no hint either."""
    delighted = write(tmp_path / "delighted.csv", ["Response ID,Email,Score,Comment,Created At,Touchpoint",
                                                   "1,a@example.com,9,Great,1789374660,rate-first-order"])
    assert main(["report", str(SAMPLE), "--responses", str(delighted), "--engine", engine, "--format", "json"]) == 1
    said = {p["message"]: p["hint"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert said["the responses table has no column 'metric' (its header: Response ID, Email, Score, Comment, Created At,"
                " Touchpoint)"] == (
        "an export of one survey's answers names no metric; its column 'Score' holds answers up to 9, on NPS's scale"
        " 0..10 (CSAT's is 1..5, CES's 1..7): write it with 'metric' on each row, and its columns under journeymap's names"
        " (with DuckDB: COPY (SELECT 'nps' AS metric, \"Response ID\" AS respondent, \"Created At\" AS date, * EXCLUDE"
        f" (\"Response ID\", \"Created At\") FROM read_csv('{delighted}', all_varchar=true)) TO 'long.csv')")
    # the statement reads 'Created At' and 'Response ID' (they were a warning each, with an option of its own)
    assert "column 'Created At' is not one journeymap reads; it is ignored" not in said
    assert "column 'Response ID' is not one journeymap reads; it is ignored" not in said
    typeform = write(tmp_path / "typeform.csv", ["Touchpoint,Metric,Rating,Submitted At", "rate-first-order,nps,9,2026-09-14 08:31:00"])
    assert main(["report", str(SAMPLE), "--responses", str(typeform), "--engine", engine, "--format", "json"]) == 1
    said = {p["message"]: p["hint"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert said["the responses table has no column 'score' (its header: Touchpoint, Metric, Rating, Submitted At)"] == (
        "read them with --responses-column score=Rating --responses-column 'date=Submitted At', or rename 'Rating' to"
        " 'score', 'Submitted At' to 'date'")
    # Google Forms: the question is the score's column, and no touchpoint nor metric is written
    google = write(tmp_path / "google.csv", ["Timestamp,How likely are you to recommend us to a friend?,Why?",
                                             "2026/09/14 8:31:00 AM GMT+2,9,Fast"])
    assert main(["report", str(SAMPLE), "--responses", str(google), "--engine", engine, "--format", "json"]) == 1
    [missing] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
    assert missing["hint"] == (
        "an export of one survey's answers names no touchpoint nor metric; its column 'How likely are you to recommend us"
        " to a friend?' holds the answers to nps: write it with 'touchpoint' and 'metric' on each row, and its columns"
        " under journeymap's names (with DuckDB: COPY (SELECT 'TOUCHPOINT' AS touchpoint, 'nps' AS metric, \"Timestamp\""
        " AS date, \"How likely are you to recommend us to a friend?\" AS score, * EXCLUDE (\"Timestamp\", \"How likely"
        f" are you to recommend us to a friend?\") FROM read_csv('{google}', all_varchar=true)) TO 'long.csv', with the"
        " touchpoint's id for TOUCHPOINT)")
    scale = write(tmp_path / "scale.csv", ["Touchpoint,Metric,CSAT (1-5)", "choose-delivery-slot,csat,4"])
    assert main(["report", str(SAMPLE), "--responses", str(scale), "--engine", engine, "--format", "json"]) == 1
    [missing] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
    assert missing["hint"] == "read it with --responses-column 'score=CSAT (1-5)', or rename 'CSAT (1-5)' to 'score'"
    assert main(["report", str(SAMPLE), "--responses", str(typeform), "--engine", engine, "--format", "json", "--period", "month",
                 "--responses-column", "score=Rating", "--responses-column", "date=Submitted At"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["problems"] == []
    nps = next(t for t in data["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]
    assert [(p["period"], p["n"]) for p in nps["series"]] == [("2026-09", 1)]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_bi_tools_month_and_responses_columns_are_told_the_option_that_reads_them(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A metrics table with 'Month' and 'Responses' columns: both were among the ignored columns, and each
    month after the first was "a second row for 'choose-delivery-slot' / csat", an error."""
    table = write(tmp_path / "bi.csv", ["Touchpoint,Metric,Value,Responses,Month", "choose-delivery-slot,csat,70%,120,2026-08",
                                        "choose-delivery-slot,csat,75%,130,2026-09"])
    assert main(["report", str(SAMPLE), "--metrics", str(table), "--engine", engine, "--format", "json"]) == 1
    said = {p["message"]: p["hint"] for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "unknown-column"}
    assert said == {"column 'Month' is not one journeymap reads; it is ignored":
                    "it looks like the period column: read it with --metrics-column period=Month",
                    "column 'Responses' is not one journeymap reads; it is ignored":
                    "it looks like the n column: read it with --metrics-column n=Responses"}
    assert main(["report", str(SAMPLE), "--metrics", str(table), "--engine", engine, "--format", "json",
                 "--metrics-column", "period=Month", "--metrics-column", "n=Responses"]) == 0
    csat = next(t for t in json.loads(capsys.readouterr().out)["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert [(p["period"], p["n"]) for p in csat["series"]] == [("2026-08", 120), ("2026-09", 130)]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_value_column_named_in_percent_reads_its_shares_as_percentages(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A BI export's 'Value (%)' column, read as the hint says with --metrics-column 'value=Value (%)': its CSAT of 72 was
    "CSAT 72 is outside its scale 0..1", an error on every share's row. A share's number there is the percentage its
    header says (one warning); an NPS or a CES in the same column is read as written."""
    table = write(tmp_path / "bi.csv", ["Touchpoint,Metric,Value (%),n,period",
                                        "choose-delivery-slot,csat,72,120,2026-08",
                                        "choose-delivery-slot,csat,75.5,130,2026-09",
                                        "choose-delivery-slot,nps,32,130,2026-09",
                                        "choose-delivery-slot,drop_off,12%,130,2026-09"])
    assert main(["report", str(SAMPLE), "--metrics", str(table), "--engine", engine, "--format", "json",
                 "--metrics-column", "value=Value (%)"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["level"], p["line"], p["col"], p["message"], p["hint"]) for p in data["problems"]] == [
        ("percent-column", "warning", 2, 27,
         "the column 'Value (%)' holds percentages, as its name says: a share's number in it is read as a percentage,"
         " '72' as 72% (2 cells)",
         "nothing to do; write shares with their percent sign (72%) to leave this out")]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]
    assert [(p["period"], p["value"]) for p in slot["csat"]["series"]] == [("2026-08", 0.72), ("2026-09", 0.755)]
    assert (slot["nps"]["value"], slot["drop_off"]["value"]) == (32, 0.12)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_value_column_named_in_minutes_reads_its_durations_in_minutes(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A helpdesk export's 'Avg handle time (min)', read with --metrics-column 'value=Avg handle time (min)': its 5 was read
    as 5 seconds without a word, as a plain number of a duration is seconds. A duration's plain number there is in the
    unit its name gives (one warning); '4m' and a share in the same column are read as written."""
    table = write(tmp_path / "bi.csv", ["Touchpoint,Metric,Avg handle time (min),period",
                                        "choose-delivery-slot,response_time,5,2026-08",
                                        "choose-delivery-slot,response_time,4.5,2026-09",
                                        "rate-first-order,response_time,4m,2026-09"])
    assert main(["report", str(SAMPLE), "--metrics", str(table), "--engine", engine, "--format", "json",
                 "--metrics-column", "value=Avg handle time (min)"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["level"], p["line"], p["col"], p["message"]) for p in data["problems"]] == [
        ("unit-column", "warning", 2, 36,
         "the column 'Avg handle time (min)' gives its unit, minutes: a duration's number in it is read in minutes,"
         " '5' as 5 min (2 cells)")]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["response_time"]
    assert [(p["period"], p["value"]) for p in slot["series"]] == [("2026-08", 300), ("2026-09", 270)]
    rate = next(t for t in data["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["response_time"]
    assert rate["value"] == 240


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_wide_metrics_table_a_column_a_metric_is_told_how_to_write_it_long(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Looker's and Power BI's table of a touchpoint's measures, a column each ('Avg CSAT', 'NPS', 'Drop-off rate'): the
    error said only "the header must name the columns touchpoint, metric, value, ...". Its hint names the metric columns
    and the DuckDB statement that writes the table long, each column named as its metric's id; the file it writes reads."""
    import duckdb

    # 'Handle time (min)' is left out of the statement: its unit would be lost with its name, 5 minutes read as 5 seconds
    table = write(tmp_path / "wide.csv", ["Touchpoint,Avg CSAT,NPS,Drop-off rate,Responses,Response time (min)",
                                          "choose-delivery-slot,72%,32,12%,120,5"])
    assert main(["report", str(SAMPLE), "--metrics", str(table), "--engine", engine, "--format", "json"]) == 1
    [missing] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
    statement = (f"COPY (UNPIVOT (SELECT * EXCLUDE (\"Response time (min)\") FROM read_csv('{table}', all_varchar=true))"
                 " ON \"Avg CSAT\" AS csat, \"NPS\" AS nps, \"Drop-off rate\" AS drop_off INTO NAME metric VALUE value)"
                 " TO 'long.csv'")
    assert missing["hint"] == (
        "its columns 'Avg CSAT', 'NPS', 'Drop-off rate' are metrics: the table is wide, a column a metric; write it long, a"
        " row a touchpoint and metric, with the metric's id in a 'metric' column and the number in a 'value' column (with"
        f" DuckDB: {statement}); 'Response time (min)' is left out: the unit in a column's name would be lost with it;"
        " write such numbers with their unit (5m, 72%) in rows of their own")
    long = tmp_path / "long.csv"
    duckdb.sql(statement.replace("'long.csv'", f"'{long}'"))
    assert main(["report", str(SAMPLE), "--metrics", str(long), "--engine", engine, "--format", "json",
                 "--metrics-column", "n=Responses"]) == 0
    slot = next(t for t in json.loads(capsys.readouterr().out)["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]
    assert (slot["csat"]["value"], slot["nps"]["value"], slot["drop_off"]["value"], slot["csat"]["n"]) == (0.72, 32, 0.12, 120)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_bi_exports_named_columns_are_told_the_option_that_reads_each(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Looker's and Power BI's 'Touchpoint Name', 'Metric Name', 'Metric Value' and an Excel pivot's 'Average of value' and
    'Sum of n': 'Metric Value' (the number) was told "did you mean 'metric'?", and the error said only that the header must
    name the column value; 'Sum of n' was among the ignored columns."""
    table = write(tmp_path / "bi.csv", ["Touchpoint Name,Metric Name,Metric Value,Responses",
                                        "choose-delivery-slot,csat,70%,120"])
    assert main(["report", str(SAMPLE), "--metrics", str(table), "--engine", engine, "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    [missing] = [p for p in problems if p["code"] == "missing-column"]
    assert missing["hint"] == (
        "read them with --metrics-column 'touchpoint=Touchpoint Name' --metrics-column 'metric=Metric Name'"
        " --metrics-column 'value=Metric Value' --metrics-column n=Responses, or rename 'Touchpoint Name' to 'touchpoint',"
        " 'Metric Name' to 'metric', 'Metric Value' to 'value', 'Responses' to 'n'")
    assert not any("did you mean" in (p["hint"] or "") for p in problems)
    pivot = write(tmp_path / "pivot.csv", ["touchpoint,KPI,Average of value,Sum of n", "choose-delivery-slot,csat,70%,120"])
    assert main(["report", str(SAMPLE), "--metrics", str(pivot), "--engine", engine, "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    [missing] = [p for p in problems if p["code"] == "missing-column"]
    assert missing["hint"] == ("read them with --metrics-column metric=KPI --metrics-column 'value=Average of value'"
                               " --metrics-column 'n=Sum of n', or rename 'KPI' to 'metric', 'Average of value' to 'value',"
                               " 'Sum of n' to 'n'")
    assert not [p for p in problems if p["code"] == "unknown-column"]  # 'Sum of n': in the error's command line
    assert main(["report", str(SAMPLE), "--metrics", str(pivot), "--engine", engine, "--format", "json", "--metrics-column",
                 "metric=KPI", "--metrics-column", "value=Average of value", "--metrics-column", "n=Sum of n"]) == 0
    csat = next(t for t in json.loads(capsys.readouterr().out)["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (csat["value"], csat["n"]) == (0.7, 120)


@pytest.mark.parametrize("total", ["Grand Total", "Gesamtergebnis", "Total général", "Total general", "Eindtotaal",
                                   "Totale complessivo", "Total Geral"])
@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_pivot_tables_total_row_is_told_as_a_total_not_a_misspelt_touchpoint(
        tmp_path: Path, engine: str, total: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A 'Grand Total' row under a pivot table's rows was only "unknown touchpoint 'Grand Total'", with no hint; so was a
    German, French, Spanish, Dutch, Italian or Portuguese Excel's ('Gesamtergebnis', 'Total général', ...)."""
    table = write(tmp_path / "pivot.csv", ["touchpoint,metric,value,n", "choose-delivery-slot,csat,70%,120",
                                           "rate-first-order,csat,80%,100", f"{total},csat,75%,220"])
    assert main(["report", str(SAMPLE), "--metrics", str(table), "--engine", engine, "--format", "json"]) == 1
    [total] = json.loads(capsys.readouterr().out)["problems"]
    assert (total["line"], total["code"], total["hint"]) == (
        4, "unknown-touchpoint", "this looks like a spreadsheet's or pivot table's total row, not a touchpoint: delete the row;"
                                 " journeymap pools rows itself")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_excels_separator_line_names_the_delimiter_and_the_header_is_the_line_below(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Excel's 'sep=;' first line (which Excel writes and reads: it names the delimiter) was an error, and no answer or
    row of the file was read. It names the delimiter now, the header is line 2, and places below it stay right; a
    'sep=' line that names no delimiter journeymap reads is still the error."""
    excel = tmp_path / "excel.csv"
    excel.write_bytes(b"\xef\xbb\xbfsep=;\r\ntouchpoint;metric;score;comment\r\nchoose-delivery-slot;csat;4;Schnell, gut\r\n"
                      b"choose-delivery-slot;csat;9;x\r\n")
    tabs = tmp_path / "tabs.csv"
    tabs.write_text("sep=\t\ntouchpoint\tmetric\tscore\nrate-first-order\tnps\t9\nrate-first-order\tnps\t10\n", encoding="utf-8")
    commas = tmp_path / "commas.csv"
    commas.write_text('sep=,\ntouchpoint,metric,score,comment\nrate-first-order,nps,6,"a; b"\n', encoding="utf-8")
    table = tmp_path / "m.csv"
    table.write_text("sep=;\ntouchpoint;metric;value;n\napply-welcome-voucher;csat;71%;120\n", encoding="utf-8")
    args = ["report", str(SAMPLE), "--engine", engine, "--format", "json", "--metrics", str(table)]
    assert main([*args, "--responses", str(excel), "--responses", str(tabs), "--responses", str(commas)]) == 1
    out = json.loads(capsys.readouterr().out)
    said = [(Path(p["file"]).name, p["line"], p["col"], p["code"], p["message"]) for p in out["problems"]]
    assert said == [("excel.csv", 4, 27, "score", "CSAT score 9 is off the 1..5 answer scale")]
    metrics = {t["id"]: t["metrics"] for t in out["touchpoints"]}
    assert (metrics["choose-delivery-slot"]["csat"]["value"], metrics["choose-delivery-slot"]["csat"]["n"]) == (1.0, 1)
    assert metrics["rate-first-order"]["nps"]["n"] == 3
    assert (metrics["apply-welcome-voucher"]["csat"]["value"], metrics["apply-welcome-voucher"]["csat"]["n"]) == (0.71, 120)
    alone = tmp_path / "alone.csv"
    alone.write_bytes(b"\xef\xbb\xbfsep=;\r\n")
    main(["report", str(SAMPLE), "--responses", str(alone), "--engine", engine, "--format", "json"])
    said = [(p["line"], p["code"], p["message"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    assert said == [(1, "empty", "the file holds only Excel's separator line (sep=;): no header and no rows")]
    odd = tmp_path / "odd.csv"
    odd.write_bytes(b"sep=:\ntouchpoint:metric:score\nchoose-delivery-slot:csat:4\n")
    assert main(["report", str(SAMPLE), "--responses", str(odd), "--engine", engine, "--format", "json"]) == 1
    said = [(p["line"], p["code"], p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    assert said == [(1, "missing-column", "line 1 is Excel's separator line (sep=), not a header: the file is not read",
                     "delete the first line (in Excel, save as 'CSV UTF-8', which does not write it)")]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_scores_and_metrics_as_exports_write_them_get_hints_that_say_what_to_write(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """'N/A' was an error where a blank score is a skipped question; '9/10', '4 stars' and Likert labels
    were only "not a number"; a CSAT of 8 (a 0..10 scale) was said to look like a computed CSAT;
    'Customer Effort Score' and 'ｎｐｓ' got no suggestion."""
    path = write(tmp_path / "export.csv", [
        "touchpoint,metric,score,respondent",
        "rate-first-order,nps,N/A,r1", "rate-first-order,nps,9/10,r2", "choose-delivery-slot,csat,4 stars,r3",
        "choose-delivery-slot,csat,Very satisfied,r4", "choose-delivery-slot,csat,8,r5", "choose-delivery-slot,csat,0.8,r6",
        "create-account,Customer Effort Score,5,r7", "rate-first-order,ｎｐｓ,9,r8", "rate-first-order,nps,10,r9",
    ])
    assert main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json"]) == 1
    said = {p["line"]: (p["level"], p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]}
    assert said[2] == ("warning", "the score is 'N/A' (a skipped question); the row is not counted", None)
    assert said[3][2] == "write the answer as the number alone: 9" and said[4][2] == "write the answer as the number alone: 4"
    assert said[5][2] == "Likert labels are not read: 'Very satisfied' is 5 on the 1..5 scale (1 very dissatisfied to 5 very satisfied): write 5"
    assert said[6][2] == ("CSAT answers are 1..5; a 0..10 score is another scale: convert the answers to 1..5,"
                          " or survey them on that scale")
    assert said[7][2] == "this looks like a CSAT value, not an answer; put computed values in a --metrics table"
    assert said[8][1:] == ("unknown survey metric 'Customer Effort Score'", "did you mean 'ces'? (a data file names a metric by its id)")
    assert said[9][2] == "did you mean 'nps'? (a data file names a metric by its id)"
    assert 10 not in said


def test_a_ces_likert_label_is_told_its_number() -> None:
    """A CES exported as agreement ('Strongly agree') or ease ('Very difficult') was told only "write a whole
    number 1..7", a CSAT's label only the scale: each label is told the number it stands for."""
    from journeymap.metrics import MetricValueError, parse_score

    hints = {}
    for metric, label in [("ces", "Strongly agree"), ("ces", "Very difficult"), ("ces", "Neither agree nor disagree"), ("csat", "Dissatisfied")]:
        with pytest.raises(MetricValueError) as caught:
            parse_score(metric, label)
        hints[label] = caught.value.hint
    assert hints["Strongly agree"] == ("Likert labels are not read: 'Strongly agree' is 7 on the 1..7 scale"
                                       " (1 strongly disagree to 7 strongly agree): write 7")
    assert hints["Very difficult"] is not None and hints["Very difficult"].endswith("(1 very difficult to 7 very easy): write 1")
    assert hints["Neither agree nor disagree"] is not None and hints["Neither agree nor disagree"].endswith("write 4")
    assert hints["Dissatisfied"] is not None and hints["Dissatisfied"].endswith("write 2")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_answer_written_with_its_scale_label_is_read_as_its_number_with_a_warning(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An export of choice texts labels the scale's ends: '10 - Extremely likely', '0 - Not at all likely'.
    Those rows were errors and left out, so the NPS lost every 10 and every 0: "NPS 0" (n=3) where the
    six answers give +16.7. They are read as their numbers, with a warning per label."""
    path = write(tmp_path / "labels.csv", [
        "touchpoint,metric,score,respondent", "rate-first-order,nps,10 - Extremely likely,a1",
        "rate-first-order,nps,10 - Extremely likely,a2", "rate-first-order,nps,9,a3",
        "rate-first-order,nps,0 - Not at all likely,a4", "rate-first-order,nps,7,a5", "rate-first-order,nps,6,a6",
        "choose-delivery-slot,csat,5: Very satisfied,b1", "choose-delivery-slot,csat,9 - Great,b2",
    ])
    assert main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    said = [(p["line"], p["level"], p["code"], p["message"]) for p in out["problems"]]
    assert said[:3] == [
        (2, "warning", "score-label", "the score '10 - Extremely likely' is read as 10, its number: the scale's label written"
                                      " with it is not read (2 rows: lines 2, 3)"),
        (5, "warning", "score-label", "the score '0 - Not at all likely' is read as 0, its number: the scale's label written"
                                      " with it is not read"),
        (8, "warning", "score-label", "the score '5: Very satisfied' is read as 5, its number: the scale's label written"
                                      " with it is not read"),
    ]
    assert (said[3][0], said[3][2]) == (9, "score")  # 9 is no CSAT answer, label or not
    nps = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]
    assert (nps["value"], nps["n"]) == (pytest.approx(100 / 6), 6)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_answer_beside_its_label_without_a_dash_is_read_as_its_number(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """'10 Extremely likely', '0 (Not at all likely)', 'Extremely likely 10' and 'Not likely - 0' (a label
    before or beside its number, as survey tools write the scale's ends) were errors that said only
    'write a whole number 0..10', and the NPS lost its 10s and 0s; '5 out of 10' is still no answer."""
    path = write(tmp_path / "labels.csv", [
        "touchpoint,metric,score,respondent", "rate-first-order,nps,10 Extremely likely,a1",
        "rate-first-order,nps,Extremely likely 10,a2", "rate-first-order,nps,0 (Not at all likely),a3",
        "rate-first-order,nps,Not likely - 0,a4", "rate-first-order,nps,9,a5", "choose-delivery-slot,csat,5 out of 10,b1",
        # an em dash, as Word and Google Docs make a typed ' - ', was 'not a number' where the en dash is read
        "rate-first-order,nps,10 \u2014 Extremely likely,a6", "rate-first-order,nps,Not at all likely \u2014 0,a7",
    ])
    assert main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    said = [(p["line"], p["code"]) for p in out["problems"]]
    assert said == [(2, "score-label"), (3, "score-label"), (4, "score-label"), (5, "score-label"), (7, "score"),
                    (8, "score-label"), (9, "score-label")]
    nps = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]
    assert (nps["value"], nps["n"]) == (pytest.approx(100 * (4 - 3) / 7), 7)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_non_answers_in_a_score_cell_are_skipped_questions_like_na(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """'Don't know', 'Not applicable', 'Skipped', Zendesk's 'Offered' and 'NaN' were errors that said
    "write a whole number 1..5" (exit 1 on a clean export), while 'N/A' was a skipped question; a
    comment of 'Not applicable' is no comment, by the same list. A file that writes its skipped questions several
    ways ('N/A', 'n/a', '-', '#N/A', 'NaN', 'null' and blanks, as a sheet of pasted exports does) had a warning for
    each way: they are one warning naming them, with their rows counted."""
    marks = ["Don't know", "Don\u2019t Know", "Not applicable", "Prefer not to say", "Skipped", "No answer", "Offered",
             "Unoffered", "NaN", "null", "", "N/A", "n/a", "-", "#N/A", "NaN"]
    path = write(tmp_path / "export.csv", ["touchpoint,metric,score,respondent,comment"]
                 + [f"choose-delivery-slot,csat,{mark},r{i}," for i, mark in enumerate(marks)]
                 + ["choose-delivery-slot,csat,4,s1,Not applicable", "choose-delivery-slot,csat,5,s2,Quick and easy"])
    assert main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json"]) == 0
    problems = json.loads(capsys.readouterr().out)["problems"]
    said = {p["line"]: (p["level"], p["code"], p["message"]) for p in problems if p["code"] == "blank-score"}
    assert said == {
        2: ("warning", "blank-score", "the score is blank or a mark of no answer ('Don't know', 'Don\u2019t Know', 'Not"
            " applicable', 'Prefer not to say', 'Skipped', 'No answer' and 7 more: 13 ways): skipped questions, not counted"
            " (14 rows: lines 2, 3, 4, 5, 6, ...)"),
        8: ("warning", "blank-score", "the score marks a satisfaction survey offered and not answered (Zendesk's"
            " 'Offered', 'Unoffered', 'Not Offered'); the row is not counted (2 rows: lines 8, 9)"),
    }
    data = load_metric_data(load(SAMPLE), responses=path, engine=engine)
    csat = data.get("choose-delivery-slot", "csat")
    assert csat is not None and (csat.n, csat.value) == (2, 1.0)  # none read as 0 or 1: the two answers only
    comment = next(p for p in problems if p["code"] == "missing-comment")
    assert comment["line"] == len(marks) + 2 and "'Don't know', 'Not applicable'" in comment["message"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_csat_answered_thumbs_down_or_up_is_another_scale_not_a_csat_of_zero(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A Zendesk or Intercom CSAT exported 0/1: the 0s were errors "a 0..10 score is another scale" and
    the thirty 1s counted as very dissatisfied, "CSAT 0% (95% CI 0-11.4%, n=30)", a weak reason."""
    scores = ["0", "1", "1", "1"] * 10
    path = write(tmp_path / "thumbs.csv", ["touchpoint,metric,score,respondent"]
                 + [f"report-missing-items,csat,{s},z{i}" for i, s in enumerate(scores)]
                 + ["choose-delivery-slot,csat,1,a1", "choose-delivery-slot,csat,0,a2"]  # 1..5 answers with a typo: told, counted
                 + ["choose-delivery-slot,csat,5,a3"]
                 # forty 1s (very dissatisfied) and one stray 0: no thumbs survey ('98% thumbs up' was the opposite)
                 + [f"set-substitutions,csat,{0 if i == 40 else 1},s{i}" for i in range(41)])
    assert main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    [thumbs] = [p for p in out["problems"] if p["code"] == "another-scale"]
    assert (thumbs["line"], thumbs["level"]) == (2, "error")  # the first thumbs down
    assert thumbs["message"] == ("the 40 CSAT answers for 'report-missing-items' are all 0 or 1 (10 of 0, 30 of 1):"
                                 " a thumbs down/up survey, not 1..5 answers, so no CSAT is computed for 'report-missing-items'")
    assert "its share of thumbs up, 75% here, is not a CSAT of 1..5 answers" in thumbs["hint"]
    [zero] = [p for p in out["problems"] if p["code"] == "score" and p["line"] == 2]
    assert "a thumbs down/up survey's 0/1" in zero["hint"]
    metrics = {t["id"]: t["metrics"] for t in out["touchpoints"]}
    assert metrics["report-missing-items"]["csat"]["source"] == "journey"  # not "CSAT 0%, n=30" from the file
    assert metrics["choose-delivery-slot"]["csat"]["n"] == 2
    assert (metrics["set-substitutions"]["csat"]["n"], metrics["set-substitutions"]["csat"]["value"]) == (40, 0.0)


@pytest.mark.parametrize(("written", "hint"), [
    ("2026-2-1", "write dates as YYYY-MM-DD (ISO 8601); '2026-2-1' is 2026-02-01"),
    ("01-Feb-2026", "write dates as YYYY-MM-DD (ISO 8601); '01-Feb-2026' is 2026-02-01"),
    ("20260201", "'20260201' is 2026-02-01 in ISO 8601's basic form: write dates in its extended form, YYYY-MM-DD"),
    # an impossible day, or a moment an event log's timestamp would be told what to write of: only the form was said
    ("2026-02-30", "write dates as YYYY-MM-DD (ISO 8601); there is no day 30 in 2026-02: it has days 01 to 28"),
    ("2026-02-01T25:00", "write dates as YYYY-MM-DD (ISO 8601)"),
    ("2026-09-14 8:31 PM", "write dates as YYYY-MM-DD (ISO 8601); write the time on a 24-hour clock: 2026-09-14T20:31:00"),
    ("2026-09-14 08:31:00 Europe/Berlin", "write the zone as its offset from UTC at that time, right after the time:"
                                          " 2026-09-14T08:31:00+02:00; its answer's day is then its UTC day, 2026-09-14"),
    ("1,789,374,660", "write dates as YYYY-MM-DD (ISO 8601); write the number without thousands separators: 1789374660"),
    ("20260914T083100Z", "write dates as YYYY-MM-DD (ISO 8601); write ISO 8601's extended form: 2026-09-14T08:31:00Z"),
    ("05/06/2026", "write dates as YYYY-MM-DD (ISO 8601); '05/06/2026' may be 2026-06-05 (day first) or 2026-05-06 (month first)"),
    # with a time after it (Typeform, SurveyMonkey) or a weekday before it, the date was not named
    ("September 14, 2026 8:31 AM", "write dates as YYYY-MM-DD (ISO 8601); 'September 14, 2026' is 2026-09-14"),
    ("Mon Sep 14 2026", "write dates as YYYY-MM-DD (ISO 8601); 'Sep 14 2026' is 2026-09-14"),
    ("Monday, 14 September 2026 at 08:31", "write dates as YYYY-MM-DD (ISO 8601); '14 September 2026' is 2026-09-14"),
])
def test_a_date_with_one_reading_is_named_as_its_iso_date(written: str, hint: str) -> None:
    """'2026-2-1', '01-Feb-2026' and '20260201' got only "write dates as YYYY-MM-DD (ISO 8601)", though
    each has one reading, and 20260201 is ISO 8601 (its basic form)."""
    from journeymap.data.responses import date_hint

    assert date_hint(written) == hint


@pytest.mark.parametrize(("metric", "written", "hint"), [
    ("nps", "10 - Extremely likely", "write the answer as the number alone: 10"),
    ("csat", "4 out of 5", "write the answer as the number alone: 4"),
    ("csat", "5: Very satisfied", "write the answer as the number alone: 5"),
    ("csat", "9 - Great", "CSAT answers are 1..5; a 0..10 score is another scale: convert the answers to 1..5, or survey them"
                          " on that scale"),  # it was told to write 9, itself an error
    ("nps", "12 - Extremely likely", "its number, 12, is off the 0..10 answer scale"),
    ("csat", "\u2605\u2605\u2605\u2605\u2606", "write the answer as the number of stars filled: 4"),  # a review widget's stars
    ("nps", "Promoter", "a promoter, passive or detractor is an NPS group, not an answer: read the column of 0..10 answers"
                        " (an export writes the group in a column of its own beside it)"),  # Qualtrics' Q1_NPS_GROUP
    ("csat", "\u2b50\ufe0f\u2b50\ufe0f", "write the answer as the number of stars filled: 2"),
    # (Zendesk's Good/Bad ratings are read: test_zendesk_good_bad_ratings_are_a_csat_of_their_share_of_good_...)
    ("csat", "\U0001f603", "emoji faces are read in a column of them alone, and this one holds other answers: '\U0001f603'"
                            " is 4 on the 1..5 faces (\U0001f620 1, \U0001f641 2, \U0001f610 3, \U0001f603 4, \U0001f929 5,"
                            " as Intercom rates): write 4"),  # was 'write a whole number 1..5'
    # a thumbs widget's emoji, a 'Were you satisfied?' question's Yes/No, a boolean column: 'write a whole number 1..5'
    *(("csat", thumb, f"'{thumb}' is an answer of a thumbs up/down or yes/no survey, not of 1..5: its share of thumbs up"
                      " is not a CSAT of 1..5 answers; give it in a metrics table (--metrics) if it stands for CSAT")
      for thumb in ("\U0001f44d", "\U0001f44e\U0001f3fd", "Yes", "no", "TRUE", "False")),
    ("nps", "Yes", "write a whole number 0..10"),  # an NPS is never a yes/no survey's
    # another script's digits (a Japanese input method's full-width, Arabic-Indic): 'write a whole number 0..10'
    ("nps", "\uff19", "write the answer in ASCII digits: 9"), ("nps", "\u0661\u0660", "write the answer in ASCII digits: 10"),
    ("csat", "\uff16", "write the answer in ASCII digits: 6 (which is off the 1..5 answer scale)"),
    # Hotjar's feedback ratings, exported as words, among other answers: 'write a whole number 1..5'
    *(("csat", word, f"Hotjar's feedback ratings are read in a column of them alone, and this one holds other answers:"
                     f" '{word}' is {number} on its 1..5 scale (1 Hate, 2 Dislike, 3 Neutral, 4 Like, 5 Love): write {number}")
      for word, number in (("Love", 5), ("dislike", 2))),
    # a review widget's number beside its star: 'write a whole number 1..5'
    ("csat", "4\u2605", "write the answer as the number alone: 4"), ("csat", "5 \u2b50\ufe0f", "write the answer as the number alone: 5"),
    # a spreadsheet's mark that a cell is text, pasted or exported with it: 'write a whole number 0..10'
    ("nps", "'9", "the apostrophe before 9 is a spreadsheet's mark that the cell is text, not part of the answer: write 9"),
    ("csat", "\u20194", "the apostrophe before 4 is a spreadsheet's mark that the cell is text, not part of the answer: write 4"),
])
def test_a_score_written_with_its_label_or_scale_is_told_the_number_to_write(metric: str, written: str, hint: str) -> None:
    from journeymap.metrics import MetricValueError, parse_score

    with pytest.raises(MetricValueError) as caught:
        parse_score(metric, written)
    assert caught.value.hint == hint


@pytest.mark.parametrize(("written", "meant"), [("NPS\u00ae", "nps"), ("CSAT Score", "csat"), ("CSAT (1-5)", "csat"),
                                               ("NPS [0-10]", "nps"), ("CES Score (1-7)", "ces"),
                                               # a BI tool's measure named for its unit or aggregate: no suggestion
                                               ("CSAT %", "csat"), ("Avg. CES", "ces"), ("% CSAT", "csat"),
                                               # named for the survey that asks it or how it is counted: no suggestion
                                               ("tNPS", "nps"), ("Transactional NPS", "nps"), ("NPS - Relationship", "nps"),
                                               ("CSAT Top 2 Box", "csat"), ("T2B CSAT", "csat"), ("CES 2.0", "ces"),
                                               # Qualtrics' and Delighted's effort question
                                               ("Effort", "ces"), ("Effort Score", "ces")])
def test_a_metric_named_with_its_mark_scale_or_score_is_told_its_id(written: str, meant: str) -> None:
    """'NPS®', 'CSAT Score' and 'CSAT (1-5)' got only "known: nps, csat, ces"."""
    from journeymap.data import check_metric
    from journeymap.problems import Problem, Span

    problems: list[Problem] = []
    assert not check_metric(written, Span("a.csv", 2, 1), ["nps", "csat", "ces"], problems)
    assert [p.hint for p in problems] == [f"did you mean '{meant}'? (a data file names a metric by its id)"]


@pytest.mark.parametrize("written", ["LTR", "Likelihood to Recommend", "likelihood_to_recommend", "LTR Score"])
def test_medallias_likelihood_to_recommend_is_told_it_is_the_nps_question(written: str) -> None:
    """Medallia and many dashboards name the NPS question 'LTR' (likelihood to recommend): it got only "known: nps,
    csat, ces", no word that its 0..10 answers are NPS answers."""
    from journeymap.data import check_metric
    from journeymap.problems import Problem, Span

    problems: list[Problem] = []
    assert not check_metric(written, Span("a.csv", 2, 1), ["nps", "csat", "ces"], problems, what="survey metric")
    assert [p.hint for p in problems] == [
        "LTR, likelihood to recommend, is the NPS question: its 0..10 answers are NPS answers, written nps (a mean of"
        " them, as a dashboard may show it, is no NPS)"]


def weekly_exports(folder: Path) -> list[Path]:
    """A survey tool's weekly exports in a folder, one a sub-folder down, with what such folders hold beside them."""
    (folder / "2026").mkdir(parents=True)
    week1 = write(folder / "week-40.csv", ["touchpoint,metric,score,respondent,date",
                                           *(f"set-substitutions,csat,{1 + i % 5},a{i},2026-10-0{1 + i % 7}" for i in range(30))])
    week2 = write(folder / "2026" / "week-41.csv.gz", [])
    import gzip

    week2.write_bytes(gzip.compress(b"touchpoint,metric,score,respondent,date\n"
                                    + "".join(f"set-substitutions,csat,{1 + i % 4},b{i},2026-10-1{i % 7}\n" for i in range(40)).encode()))
    write(folder / "README.md", ["Weekly exports from the survey tool"])
    write(folder / ".~lock.week-40.csv#", ["a spreadsheet's lock file"])
    return [week2, week1]


def test_a_folder_or_a_glob_of_survey_exports_is_read_as_its_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One export a week in a folder: a folder was refused ("is a folder: ... give each file its own --responses"),
    a glob was "no such file"."""
    files = weekly_exports(tmp_path / "answers")

    def report(*given: str) -> tuple[int, dict[str, object], str]:
        code = main(["report", str(SAMPLE), *given, "--format", "json"])
        out, err = capsys.readouterr()
        return code, json.loads(out)["weak"], err

    each = report(*(w for f in files for w in ("--responses", str(f))))
    assert each[0] in (0, 1) and "set-substitutions" in json.dumps(each[1])
    for given in (str(tmp_path / "answers"), str(tmp_path / "answers" / "**" / "*.csv*")):
        code, weak, err = report("--responses", given)
        assert (code, weak) == each[:2], given
        assert "week-40.csv" not in err and "lock" not in err
    assert "answers/README.md: warning[io]: left out of the folder: not a CSV, Parquet or workbook file's name" in report(
        "--responses", str(tmp_path / "answers"))[2]
    assert main(["report", str(SAMPLE), "--responses", str(tmp_path / "answers" / "*.xlsx")]) == 1
    assert "answers/*.xlsx: error[io]: no file matches this pattern" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["report", str(SAMPLE), "--metrics", str(tmp_path / "empty")]) == 1
    assert "empty: error[io]: the folder holds no CSV, Parquet or workbook files" in capsys.readouterr().err
    assert main(["report", str(SAMPLE), "--responses", str(tmp_path / "missing.csv")]) == 2
    assert f"no such file: {tmp_path / 'missing.csv'}" in capsys.readouterr().err


def test_metrics_tables_in_a_folder_are_read_as_named_one_by_one(tmp_path: Path) -> None:
    journey = load(SAMPLE)
    (tmp_path / "tables").mkdir()
    q3 = write(tmp_path / "tables" / "2026-Q3.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,csat,58%,412,2026-Q3"])
    q4 = write(tmp_path / "tables" / "2026-Q4.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,csat,63%,455,2026-Q4"])
    folder, named = load_metric_data(journey, metrics=tmp_path / "tables"), load_metric_data(journey, metrics=[q3, q4])
    assert folder.points == named.points and folder.problems == named.problems == []
    assert [(p.period, p.value) for p in folder.get("choose-delivery-slot", "csat").series] == [("2026-Q3", 0.58), ("2026-Q4", 0.63)]


def test_parquet_answers_with_the_row_reader_are_told_duckdb_reads_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--engine python on a Parquet file said only "needs pyarrow" though DuckDB, installed, reads it."""
    duckdb = pytest.importorskip("duckdb")
    import importlib.util

    if importlib.util.find_spec("pyarrow") is not None:
        pytest.skip("pyarrow is installed: the row reader reads Parquet")
    path = tmp_path / "answers.parquet"
    duckdb.sql(f"COPY (SELECT 'choose-delivery-slot' AS touchpoint, 'csat' AS metric, 4 AS score) TO '{path}' (FORMAT parquet)")
    assert main(["report", str(SAMPLE), "--responses", str(path), "--engine", "python", "--format", "json"]) == 1
    [problem] = json.loads(capsys.readouterr().out)["problems"]
    assert (problem["code"], problem["hint"]) == (
        "parquet", "use --engine duckdb, which reads Parquet; or pip install pyarrow, or export the table as CSV")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_persona_in_other_capitals_is_that_persona(tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """'Busy-Parent' was an unknown persona (its answers counted for no persona), where 'CSAT' is csat."""
    path = write(tmp_path / "export.csv", ["touchpoint,metric,score,persona"]
                 + [f"choose-delivery-slot,csat,{1 + i % 5},{'Busy-Parent' if i % 2 else 'busy-parent'}" for i in range(20)])
    assert main(["report", str(SAMPLE), "--responses", str(path), "--persona", "busy-parent", "--engine", engine,
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["problems"] == []
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert slot["metrics"]["csat"]["n"] == 20


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_csat_asked_on_another_scale_gives_no_csat(tmp_path: Path, engine: str) -> None:
    """CSAT answers 0..10: the 1..5 among them made "CSAT 41.8% (n=79) replaces 58% in the journey file",
    a figure of the answers that happened to fit, next to an error per off-scale score."""
    journey = load(SAMPLE)
    scores = [i % 11 for i in range(220)]  # 0..10 evenly: 100 on 1..5, 120 off it
    path = write(tmp_path / "ten.csv", ["touchpoint,metric,score,respondent"]
                 + [f"choose-delivery-slot,csat,{s},r{i}" for i, s in enumerate(scores)] + ["rate-first-order,nps,9,q1"])
    data = load_metric_data(journey, responses=path, engine=engine)
    [scale] = [p for p in data.problems if p.code == "another-scale"]
    assert (scale.span.line, scale.level, scale.message) == (  # at the first answer off the scale, a 0
        2, "error", "120 of the 220 CSAT answers for 'choose-delivery-slot' are off the 1..5 answer scale: the 100 on it"
        " are likely of the same other scale, so no CSAT is computed for 'choose-delivery-slot'")
    assert data.get("choose-delivery-slot", "csat") is None and data.get("rate-first-order", "nps") is not None
    few = write(tmp_path / "few.csv", ["touchpoint,metric,score"] + [f"choose-delivery-slot,csat,{s}" for s in (4, 5, 3, 9)])
    kept = load_metric_data(journey, responses=few, engine=engine)  # one stray 9 among answers on the scale: a typo
    assert [p.code for p in kept.problems] == ["score"] and kept.get("choose-delivery-slot", "csat") is not None


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize("kind", ["responses", "metrics"])
@pytest.mark.parametrize("lines", [
    ['[{"touchpoint": "choose-delivery-slot", "metric": "csat", "score": 5, "value": 0.5}]'],
    ['{"touchpoint": "choose-delivery-slot", "metric": "csat", "score": 5, "value": 0.5}',
     '{"touchpoint": "choose-delivery-slot", "metric": "csat", "score": 4, "value": 0.5}'],
], ids=["array", "lines"])
def test_json_named_as_csv_is_told_as_json_with_the_command_that_converts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, kind: str, lines: list[str],
) -> None:
    path = write(tmp_path / "answers.csv", lines)
    assert main(["report", str(SAMPLE), f"--{kind}", str(path), "--engine", engine]) == 1
    err = capsys.readouterr().err
    what = "a JSON array of objects" if len(lines) == 1 else "JSON lines (one object a line)"
    assert f"answers.csv:1:1: error[json]: the file is {what}, not CSV, so none of its rows are read" in err
    assert "rename" not in err and "missing-column" not in err
    # the hint's command converts it (jq, where the machine has it)
    import shutil
    import subprocess

    if shutil.which("jq") and kind == "responses":
        command = err.split("convert it to CSV: ", 1)[1].split(" FILE > NEW.csv")[0]
        converted = subprocess.run(["bash", "-c", f"{command} {path} > {tmp_path / 'new.csv'}"], check=True)
        assert converted.returncode == 0
        assert main(["report", str(SAMPLE), "--responses", str(tmp_path / "new.csv"), "--format", "json"]) == 0


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_file_with_both_dates_and_periods_says_the_periods_win(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    path = write(tmp_path / "both.csv", ["touchpoint,metric,score,date,period"]
                 + ["choose-delivery-slot,csat,5,2026-01-05,2026-03"] * 5 + ["choose-delivery-slot,csat,1,2026-02-05,2026-01"] * 5)
    assert main(["report", str(SAMPLE), "--responses", str(path), "--period", "month", "--engine", engine, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    told = [p for p in data["problems"] if p["code"] == "period-and-date"]
    assert [(p["line"], p["message"]) for p in told] == [(1, (
        "column 'date' is read only where a row's 'period' is empty: a period written wins over a date,"
        " and --period buckets only the dates"))]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_placeholder_date_is_no_period(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """One answer dated 9999-12-31 (a system's "no date") was the latest period: its value replaced the
    journey's, "over 95684 months"."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,date"] + ["choose-delivery-slot,csat,2,2026-05-01"] * 6
                    + ["choose-delivery-slot,csat,5,9999-12-31", "choose-delivery-slot,csat,5,1970-01-01",
                       "choose-delivery-slot,csat,5,1970-01-01T00:00:00+01:00"])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,date", "choose-delivery-slot,csat,60%,100,2026-04-01",
                                       "choose-delivery-slot,csat,99%,100,2100-01-01"])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--period", "month", "--engine", engine, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["message"]) for p in data["problems"] if p["code"] == "placeholder-date"]
    assert told == [(8, "'9999-12-31' is a placeholder for no date, not a day an answer was given: the answer is in no period"),
                    (9, "'1970-01-01' is a placeholder for no date, not a day an answer was given: the answer is in no period"),
                    (10, "'1970-01-01T00:00:00+01:00' is a placeholder for no date, not a day an answer was given: the answer is in no period")]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (slot["value"], slot["period"]) == (0.0, "2026-05")
    assert main(["report", str(SAMPLE), "--metrics", str(table), "--engine", engine, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["code"]) for p in data["problems"]] == [(3, "placeholder-date")]
    assert next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]["value"] == 0.6


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_answer_dated_before_2000_is_no_period(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """Answers from 2026 and a few dated 1985-06-01, 1999-12-31 (a default or a typo), Excel's day 0 as Excel shows it
    (1900-01-00) and a database's zero date (0000-00-00): the first two were counted into their own periods, 1985-06
    and 1999-12, the series "over 497 months" without a word; the last two were "not a date" with a hint to write
    it year-month-day. A survey answer is not dated before 2000: each is a placeholder-date warning, its answer in
    no period; a metrics table keeps a 1999 row (a tracked series may be that old)."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,date"] + ["choose-delivery-slot,csat,2,2026-05-01"] * 6
                    + ["choose-delivery-slot,csat,5,1985-06-01", "choose-delivery-slot,csat,5,1999-12-31",
                       "choose-delivery-slot,csat,5,1900-01-00", "choose-delivery-slot,csat,5,0000-00-00 00:00:00",
                       "choose-delivery-slot,csat,5,1985-06-01", "choose-delivery-slot,csat,5,2000-01-01"])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--period", "month", "--engine", engine, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["col"], p["code"], p["message"], p["hint"]) for p in data["problems"] if p["code"] != "no-period"]
    typo = "write the day the answer was given (is the year a typo?), or leave the date empty where it is not known"
    empty = "leave the date empty where it is not known"
    assert told == [
        (8, 29, "placeholder-date", "'1985-06-01' is a day before 2000, a placeholder for no date or a typo, not a day"
         " an answer was given: the answer is in no period (2 rows: lines 8, 12)", typo),
        (9, 29, "placeholder-date", "'1999-12-31' is a day before 2000, a placeholder for no date or a typo, not a day"
         " an answer was given: the answer is in no period", typo),
        (10, 29, "placeholder-date", "'1900-01-00' is a placeholder for no date (a zero date: Excel's day 0 or a"
         " database's 0000-00-00), not a day an answer was given: the answer is in no period", empty),
        (11, 29, "placeholder-date", "'0000-00-00 00:00:00' is a placeholder for no date (a zero date: Excel's day 0 or a"
         " database's 0000-00-00), not a day an answer was given: the answer is in no period", empty)]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (slot["period"], [p["period"] for p in slot["series"]]) == ("2026-05", ["2000-01", "2026-05"])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,date", "choose-delivery-slot,csat,60%,100,1999-04-01",
                                       "choose-delivery-slot,csat,70%,100,0000-00-00"])
    assert main(["report", str(SAMPLE), "--metrics", str(table), "--engine", engine, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["code"]) for p in data["problems"]] == [(3, "placeholder-date")]
    assert next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]["value"] == 0.6


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_comment_with_a_placeholder_date_is_said_to_be_a_comment(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                    engine: str) -> None:
    """A file of comments alone (a helpdesk's texts) with a placeholder date or a day before 2000 was told "the answer
    is in no period": it holds no answer. The comment is said to be in no period; it still counts over all periods."""
    rows = [f"choose-delivery-slot,Slot was late again {i},2026-0{1 + i % 6}-1{i % 10}" for i in range(12)]
    answers = write(tmp_path / "c.csv", ["touchpoint,comment,date", *rows, "choose-delivery-slot,Old one,1985-06-01",
                                         "choose-delivery-slot,Zero,0000-00-00", "choose-delivery-slot,End,9999-12-31"])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--period", "month", "--engine", engine,
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["code"], p["message"].rsplit(": ", 1)[-1]) for p in data["problems"]]
    assert told == [(14, "placeholder-date", "the comment is in no period"),
                    (15, "placeholder-date", "the comment is in no period"),
                    (16, "placeholder-date", "the comment is in no period")]
    said = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["verbatims"]
    assert said["comments"] == 15


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_metrics_table_period_still_to_come_is_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A metrics table's row labelled 2028-Q1 (2026 typed 2028) was the latest period: its 99% replaced the slot's
    62%, without a word, where a survey answer's period still to come is a future-period warning. The same warning
    here, and the row is left out; the current quarter, begun, is kept."""
    from datetime import date

    import journeymap.data.responses as responses

    monkeypatch.setattr(responses, "today", lambda: date(2026, 7, 14))
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,csat,60%,100,2026-Q1",
                                       "choose-delivery-slot,csat,62%,100,2026-Q3", "choose-delivery-slot,csat,99%,100,2028-Q1",
                                       "choose-delivery-slot,ces,4.1,100,2026-08", "choose-delivery-slot,ces,3.9,100,2026-07"])
    assert main(["report", str(SAMPLE), "--metrics", str(table), "--engine", engine, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["col"], p["code"], p["level"], p["message"], p["hint"]) for p in data["problems"]] == [
        (4, 35, "future-period", "warning", "the period '2028-Q1' starts on 2028-01-01, still to come: the row is left out",
         "is the year a typo? write the period the value is for"),
        (5, 34, "future-period", "warning", "the period '2026-08' starts on 2026-08-01, still to come: the row is left out",
         "is the year a typo? write the period the value is for")]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]
    assert (slot["csat"]["value"], slot["csat"]["period"]) == (0.62, "2026-Q3")
    assert (slot["ces"]["value"], slot["ces"]["period"]) == (3.9, "2026-07")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_date_still_to_come_is_no_period(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """500 answers from January to June 2026 and one dated 2028-03-01 (2026 typed 2028): its month was the latest
    period, so the slot's CSAT was that one answer's 0% ("rests on only 1 response"), replacing the journey file's
    58%, its trend "over 27 months (7 with data)", without a word. No answer is given on a day still to come: a
    date after tomorrow (a day's slack for the zones ahead of UTC) is a future-date warning, and its answer is in
    no period, as a placeholder date's; a metrics-table row so dated is left out."""
    from datetime import date

    import journeymap.data.responses as responses

    monkeypatch.setattr(responses, "today", lambda: date(2026, 7, 14))
    rows = [f"choose-delivery-slot,csat,{4 if i % 4 else 2},r{i},2026-0{1 + i % 6}-1{i % 10}" for i in range(500)]
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,respondent,date"] + rows
                    + ["choose-delivery-slot,csat,1,x1,2028-03-01", "choose-delivery-slot,csat,1,x2,2026-07-16T09:30:00Z",
                       "choose-delivery-slot,csat,5,x3,2026-07-15", "choose-delivery-slot,csat,5,x4,2026-07-14"])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--period", "month", "--engine", engine, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["col"], p["level"], p["message"], p["hint"]) for p in data["problems"] if p["code"] == "future-date"]
    hint = "is the year a typo? write the day it was, or leave the date empty where it is not known"
    assert told == [
        (502, 32, "warning", "'2028-03-01' is a day still to come: the answer is in no period", hint),
        (503, 32, "warning", "'2026-07-16T09:30:00Z' is a day still to come: the answer is in no period",
         hint)]
    assert {p["code"] for p in data["problems"]} == {"future-date", "no-period"}  # the two answers are in no period
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    # 2026-07 (tomorrow's answer and today's) is the latest period, not 2028-03
    assert (slot["value"], slot["n"], slot["period"]) == (1.0, 2, "2026-07")
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,date", "choose-delivery-slot,csat,60%,100,2026-04-01",
                                       "choose-delivery-slot,csat,99%,100,2027-04-01"])
    assert main(["report", str(SAMPLE), "--metrics", str(table), "--engine", engine, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["code"], p["message"]) for p in data["problems"]] == [
        (3, "future-date", "'2027-04-01' is a day still to come: the row is left out")]
    assert next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]["value"] == 0.6


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_one_comment_copied_over_most_of_a_touchpoints_answers_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str,
) -> None:
    """300 customers' answers at the slot step and 10,000 rows of one answer, word for word ('This is awful awful
    awful', CSAT 1: a bot, a test account, a kiosk left on the page), in a file without a respondent column: CSAT
    2.9% and sentiment -0.80, quoted as the customers' voice, without a word. One comment that is more than half of
    a touchpoint's comments, 100 times or more and of four words or more (a one-word 'Great' may be most of them),
    is now a copied-comment warning at its first copy; the rows still count (nothing tells which is a customer's)."""
    rows = [f"choose-delivery-slot,csat,{4 + i % 2},2026-04-02,nice slot number {i}" for i in range(300)]
    rows += ["choose-delivery-slot,csat,1,2026-04-02,This is awful awful awful"] * 10_000
    rows += [f"create-account,csat,5,2026-04-02,{'Quick sign up with my email' if i % 3 else 'Easy'}" for i in range(300)]
    rows += ["create-account,csat,5,2026-04-02,Great"] * 400  # one word: most of its comments, and no copy
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,date,comment", *rows])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--engine", engine, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["col"], p["code"], p["level"], p["message"], p["hint"]) for p in data["problems"]] == [
        (302, 40, "copied-comment", "warning",
         "one comment, 'This is awful awful awful', is 10,000 of the 10,300 comments at 'choose-delivery-slot' (97%), word"
         " for word: copies of one answer (a bot, a test account, a kiosk, rows pasted twice)? They count, with their"
         " answers, in its sentiment, phrases and quotes",
         "give the file a respondent column (a respondent's first answer counts), or take the copies out")]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert slot["verbatims"]["comments"] == 10_300 and slot["metrics"]["csat"]["n"] == 10_300  # still counted


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_period_still_to_come_is_no_period(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A period column of quarters with one row of '2028-Q1' (2026 typed 2028) made 2028-Q1 the latest period: the
    slot's CSAT was that row's 0%, without a word, as a date still to come was. A period that starts after tomorrow
    is a future-period warning, and its row is in no period (the answer counts, as an undated one)."""
    from datetime import date

    import journeymap.data.responses as responses

    monkeypatch.setattr(responses, "today", lambda: date(2026, 7, 14))
    rows = [f"choose-delivery-slot,csat,{4 if i % 4 else 2},r{i},2026-Q{1 + i % 3}" for i in range(90)]
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,respondent,period"] + rows
                    + ["choose-delivery-slot,csat,1,x1,2028-Q1", "choose-delivery-slot,csat,1,x2,Q4 2026",
                       "choose-delivery-slot,csat,5,x3,2026-Q3", "choose-delivery-slot,csat,5,x4,2026-W30"])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--engine", engine, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["col"], p["message"], p["hint"]) for p in data["problems"] if p["code"] == "future-period"]
    hint = "is the year a typo? write the period the answer was given in, or leave it empty where it is not known"
    assert told == [(92, 32, "the period '2028-Q1' starts on 2028-01-01, still to come: the answer is in no period", hint),
                    (93, 32, "the period '2026-Q4' starts on 2026-10-01, still to come: the answer is in no period", hint),
                    (95, 32, "the period '2026-W30' starts on 2026-07-20, still to come: the answer is in no period", hint)]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (slot["period"], slot["n"]) == ("2026-Q3", 31)  # this quarter's 30 answers and x3's


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_survey_answers_given_as_a_metrics_table_or_the_other_way_round_are_told_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str,
) -> None:
    # the hint was "the header must name the columns touchpoint, metric, value, ...": the file was fine, the option not
    answers = write(tmp_path / "answers.csv", ["touchpoint,metric,score,respondent", "choose-delivery-slot,csat,5,r1"])
    table = write(tmp_path / "table.csv", ["touchpoint,metric,value,n", "choose-delivery-slot,csat,71%,120"])
    for option, path, hint in (("--metrics", answers, "give the file with --responses"), ("--responses", table, "give the file with --metrics")):
        main(["report", str(SAMPLE), "--format", "json", "--engine", engine, option, str(path)])
        [missing] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
        assert missing["hint"].endswith(hint), missing


def test_a_long_cell_is_quoted_cut_in_its_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A survey's or a metrics table's cell quoted in a message was quoted whole: a comment shifted
    into the persona, metric or score column (a row with a comma too few), or a pasted page, made
    one line of 100,000 characters on the terminal, the CI log and the report's problem list. An
    event log's values were already cut at 60 characters; these are now cut the same way."""
    text = "Shifted comment " + "x" * 100_000
    answers = write(tmp_path / "answers.csv", [
        "touchpoint,metric,score,respondent,date,persona",
        f"choose-delivery-slot,csat,4,r1,2026-04-01,{text}",
        f"{text},csat,4,r2,2026-04-01,",
        f"choose-delivery-slot,{text},4,r3,2026-04-01,",
        f"choose-delivery-slot,csat,{text},r4,2026-04-01,",
    ])
    table = write(tmp_path / "table.csv", [
        "touchpoint,metric,value,n,period",
        f"choose-delivery-slot,csat,{text},10,2026-04",
        f"choose-delivery-slot,csat,50%,{text},2026-05",
    ])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--metrics", str(table)]) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 6, err[:2000]
    for line in lines:
        assert len(line) < 400 and "'Shifted comment xxxxxxxx" in line and "x…'" in line, line[:500]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_fiscal_and_split_years_and_fiscal_calendar_periods_are_not_guessed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A UK fiscal or academic year '2026/27' was read as the month 27 of 2026 (told 'months are 01 to 12' and kept
    as '2026-27', the latest after 2026-12); 'FY2026', 'FY2026-P03' and a retail calendar's '2026-P03' were kept as
    written with only a period-order warning, where 'FY26 Q1' was an ambiguous-period error. ('FY2026' alone is now
    read as the fiscal label it is, as 'FY26 Q1' is: test_fiscal_quarters_are_read_as_fiscal_labels_...; and so is
    'FY2026-P03', a fiscal period: tests/test_period_forms.py. Beside the calendar month it cannot be placed.)"""
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,csat,50%,100,2026-12",
                                       "choose-delivery-slot,csat,60%,100,2026/27", "choose-delivery-slot,csat,70%,100,FY2026-P03",
                                       "choose-delivery-slot,csat,70%,100,2026-P03",
                                       "choose-delivery-slot,csat,55%,100,2011/12"])
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,period,comment", "rate-first-order,nps,9,2026-Q1,",
                                         "rate-first-order,nps,3,2025-26,slow"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table), "--responses", str(answers)])
    data = json.loads(capsys.readouterr().out)
    told = [(Path(p["file"]).name, p["line"], p["level"], p["message"]) for p in data["problems"]
            if p["code"] in ("ambiguous-period", "impossible-period", "period-order")]
    split = "it is a fiscal, academic or season year (from {} into {}), and where that year starts is not written"
    assert told == [
        ("a.csv", 3, "error", f"period '2025-26' cannot be read as one calendar period: {split.format(2025, 2026)};"
         " the answer is not counted"),
        ("m.csv", 2, "warning", "periods are ordered as text, and 'FY2026-P03' is in none of the forms that sort by date (2026-Q2,"
         " 2026-04 or Apr 2026, 2026-W14, 2026-04-02): the latest may not be the newest (3 rows: lines 2, 4, 6)"),
        ("m.csv", 3, "error", f"period '2026/27' cannot be read as one calendar period: {split.format(2026, 2027)};"
         " the row is left out"),
        ("m.csv", 5, "error", "period '2026-P03' cannot be read as one calendar period: it is a period of a fiscal or"
         " retail calendar (P1 to P13), and where its year starts is not written; the row is left out"),
    ]
    read = load_metric_data(load(SAMPLE), metrics=table, responses=answers, engine=engine)
    csat, nps = read.get("choose-delivery-slot", "csat"), read.get("rate-first-order", "nps")
    assert csat is not None and [p.period for p in csat.series] == ["2011-12", "2026-12", "FY2026-P03"]  # '2011/12' is still December 2011
    assert nps is not None and (nps.period, nps.n) == ("2026-Q1", 1)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_wide_metrics_table_a_column_a_period_is_told_how_to_write_it_long(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A BI tool's pivot or a dashboard exports a metric's history a column a period ('Touchpoint,Metric,Jan 2026,
    Feb 2026,Mar 2026'): it was told only 'the header must name the columns touchpoint, metric, value, ...'."""
    table = write(tmp_path / "wide.csv", ["Touchpoint,Metric,Persona,Jan 2026,2026-02,Q1 2026",
                                          "choose-delivery-slot,csat,busy-parent,71%,68%,60%"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table)])
    told = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
    assert [(p["line"], p["level"]) for p in told] == [(1, "error")]
    assert told[0]["hint"] == (
        "its columns 'Jan 2026', '2026-02', 'Q1 2026' are periods: the table is wide, a column a period; write it long,"
        " a row a touchpoint, metric and period, with the period in a 'period' column and the number in a 'value'"
        f" column (with DuckDB: COPY (UNPIVOT read_csv('{table}', all_varchar=true) ON COLUMNS(* EXCLUDE"
        " (\"Touchpoint\", \"Metric\", \"Persona\")) INTO NAME period VALUE value) TO 'long.csv')")
    duckdb = pytest.importorskip("duckdb")
    long = tmp_path / "long.csv"
    duckdb.sql(told[0]["hint"].split("with DuckDB: ")[1][:-1].replace("'long.csv'", f"'{long}'"))
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(long)])
    read = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in read["problems"] if p["level"] == "error"] == []
    one_column = write(tmp_path / "one.csv", ["touchpoint,metric,2026-01", "choose-delivery-slot,csat,71%"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(one_column)])
    hint = next(p["hint"] for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column")
    assert hint.startswith("the header must name the columns")  # one period column is no sign of a wide table


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_parquet_export_with_a_wrong_header_is_told_its_header_not_to_use_duckdb(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A Parquet export whose header is wrong (a survey tool's 'Rating' for score, a metrics table given as answers)
    went from DuckDB to the row reader, which needs pyarrow: it was told "reading Parquet needs pyarrow (use
    --engine duckdb ...)" with DuckDB the engine, and never what was wrong with its header."""
    duckdb = pytest.importorskip("duckdb")
    answers, table = tmp_path / "answers.parquet", tmp_path / "history.parquet"
    duckdb.sql(f"COPY (SELECT 'choose-delivery-slot' AS Touchpoint, 'csat' AS Metric, 4 AS Rating) TO '{answers}' (FORMAT parquet)")
    duckdb.sql(f"COPY (SELECT 'choose-delivery-slot' AS touchpoint, 'csat' AS metric, '71%' AS value) TO '{table}' (FORMAT parquet)")
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers), "--responses", str(table)])
    told = [(Path(p["file"]).name, p["code"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"] if p["level"] == "error"]
    assert told == [
        ("answers.parquet", "missing-column", "read it with --responses-column score=Rating, or rename 'Rating' to 'score'"),
        ("history.parquet", "missing-column", "its 'value' column holds metric values, not survey answers: give the file with --metrics"),
    ]
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers), "--responses-column", "score=Rating"])
    read = json.loads(capsys.readouterr().out)
    if engine == "duckdb" or importlib.util.find_spec("pyarrow") is not None:
        assert [p for p in read["problems"] if p["level"] == "error"] == []
    else:  # a header that is right still needs a reader of Parquet
        assert [p["code"] for p in read["problems"] if p["level"] == "error"] == ["parquet"]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_period_labels_an_export_writes_as_numbers_or_moments_are_told_what_to_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A period column saved from Excel without its date format (46023), a month written YYYYMM as SQL's
    TO_CHAR(d, 'YYYYMM') does (202601, which SAP's weeks also write), or a month's first moment as a BI tool
    groups by it ('2026-01-01 00:00:00'): only "not all in one of the forms that sort by date" and no trend,
    never which date or period the label is, nor what to write."""
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period",
                                       *(f"choose-delivery-slot,csat,{70 - k}%,100,{46023 + 31 * k}" for k in range(2)),
                                       *(f"rate-first-order,nps,{30 - k},100,20260{k + 1}" for k in range(2)),
                                       *(f"apply-welcome-voucher,csat,{70 - k}%,100,2026-0{k + 1}-01 00:00:00" for k in range(2)),
                                       *(f"doorstep-handover,csat,{70 - k}%,100,20261{k + 3}" for k in range(2))])
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,period", "rate-first-order,nps,9,46023", "rate-first-order,nps,3,46054"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table), "--responses", str(answers)])
    told = {(Path(p["file"]).name, p["line"]): p["hint"] for p in json.loads(capsys.readouterr().out)["problems"]
            if p["code"] == "period-order"}
    rest = "; write every period of a series in one form: 2026-Q2, 2026-04, 2026-W14 or 2026-04-02"
    assert told == {
        ("a.csv", 2): "'46023' looks like an Excel day number (2026-01-01): format the period column as yyyy-mm (or yyyy-mm-dd)"
                      " before saving; write every period in one form: 2026-Q2, 2026-04 (or Apr 2026), 2026-W14 or 2026-04-02,"
                      " or give dates and --period",
        ("m.csv", 2): "'46023' looks like an Excel day number (2026-01-01): format the period column as yyyy-mm (or yyyy-mm-dd)"
                      f" before saving{rest}",
        ("m.csv", 4): "'202601' may be the month 2026-01 (YYYYMM) or the ISO week 2026-W01 (YYYYWW): write it with its dash,"
                      f" 2026-01 or 2026-W01{rest}",
        ("m.csv", 6): "'2026-01-01 00:00:00' is a moment at midnight: write its day, 2026-01-01, or the month 2026-01 if it"
                      f" stands for one{rest}",
        ("m.csv", 8): f"'202613' is no month (YYYYMM): if it is an ISO week (YYYYWW), write 2026-W13{rest}",
    }


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_column_of_dates_in_a_locales_form_is_one_warning_per_form_with_its_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A US export's dates (Google Forms' and SurveyMonkey's m/d/yyyy, Microsoft Forms' times saved by Excel as
    m/d/yy h:mm:ss AM) were a warning per distinct date: a month of answers made 20 warnings and "N more invalid-date
    problems like the ones above". Each form is now one warning with its count and first lines, its hint the first
    cell's date; a date of another kind keeps its own message."""
    days = [f"3/{d}/2026 9:{d:02d}" for d in range(13, 29)] + [f"3/{d}/2026" for d in range(1, 13)]
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,date",
                                         *(f"rate-first-order,nps,{k % 11},{day}" for k, day in enumerate(days)),
                                         *(f"rate-first-order,nps,9,{d}/4/26 9:14:03 AM" for d in range(1, 25)),
                                         "rate-first-order,nps,9,25/4/2026", "rate-first-order,nps,9,46023",
                                         "rate-first-order,nps,9,46024", "rate-first-order,nps,9,yesterday"])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,date", "choose-delivery-slot,csat,71%,100,3/14/2026",
                                       "choose-delivery-slot,csat,72%,100,3/15/2026"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--period", "month", "--responses", str(answers),
          "--metrics", str(table)])
    told = [(Path(p["file"]).name, p["line"], p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]
            if p["code"] == "invalid-date"]
    iso = "write dates as YYYY-MM-DD (ISO 8601)"
    assert told == [
        ("a.csv", 2, "a date written month/day/year, as a US export writes it, is not read (16 rows: lines 2, 3, 4, 5, 6, ...)",
         f"{iso}; '3/13/2026' is 2026-03-13"),
        ("a.csv", 18, "a date written day/month/year or month/day/year (either may be meant) is not read (12 rows: lines 18,"
         " 19, 20, 21, 22, ...)", f"{iso}; '3/1/2026' may be 2026-01-03 (day first) or 2026-03-01 (month first)"),
        ("a.csv", 30, "a date written with its year in two digits is not read (24 rows: lines 30, 31, 32, 33, 34, ...)",
         f"{iso}, the year in four digits ('1/4/26' has two, whose century is not guessed)"),
        ("a.csv", 54, "a date written day/month/year is not read", f"{iso}; '25/4/2026' is 2026-04-25"),
        ("a.csv", 55, "a date written as an Excel day number is not read (2 rows: lines 55, 56)",
         f"{iso}; 46023 looks like an Excel day number (2026-01-01): format the column as yyyy-mm-dd before saving"),
        ("a.csv", 57, "'yesterday' is not a date", iso),
    ]  # (m.csv's dates, month first only, are read so: test_a_metrics_tables_slashed_dates_are_read_in_the_order_...)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_persona_named_by_some_of_its_words_is_told_the_persona_it_may_be(tmp_path: Path, engine: str) -> None:
    """A segment column written as a CRM labels it ('Students', 'WFH Pro', 'Parent', 'Busy Parent (B2C)') was
    told only the list of personas: too far from 'student-flatshare' for a typo's guess. A label whose words fit
    one persona's id or name (shortened, or in the plural) is told it; one that fits none or several is not."""
    labels = ["Students", "WFH Pro", "Parent", "Busy Parent (B2C)", "Busy Mum", "busy parnet"]
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,persona",
                                         *(f"choose-delivery-slot,csat,4,{label}" for label in labels)])
    data = load_metric_data(load(SAMPLE), responses=answers, engine=engine)
    hints = [p.hint for p in data.problems if p.code == "unknown-persona"]
    assert hints == ["did you mean 'student-flatshare'?", "did you mean 'wfh-professional'?", "did you mean 'busy-parent'?",
                     "did you mean 'busy-parent'?", "personas: first-time-customer, digital-native, assisted-customer,"
                     " busy-parent, wfh-professional, student-flatshare", "did you mean 'busy-parent'?"]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_grid_question_a_column_a_touchpoint_is_told_how_to_write_it_long(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Google Forms exports a multiple-choice grid a column a row of the grid ('How satisfied were you? [Checkout]'),
    several touchpoints' answers on one row: it was told to read one of the grid's columns as the score."""
    answers = write(tmp_path / "form.csv", [
        "Timestamp,How satisfied were you? [choose-delivery-slot],How satisfied were you? [apply-welcome-voucher],Anything else?",
        "2026/01/05 9:14:03 AM GMT+1,4,5,nice", "2026/01/05 10:14:03 AM GMT+1,2,,"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)])
    [told] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
    assert told["hint"].startswith(
        "its columns 'How satisfied were you? [choose-delivery-slot]', 'How satisfied were you? [apply-welcome-voucher]'"
        " are a grid question's, a column a touchpoint: write it long, a row an answer with its touchpoint, metric and score"
        " (with DuckDB: COPY (SELECT regexp_extract(touchpoint, ")
    duckdb = pytest.importorskip("duckdb")
    long = tmp_path / "long.csv"
    duckdb.sql(told["hint"].split("with DuckDB: ")[1].split("; then")[0].replace("'long.csv'", f"'{long}'"))
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(long)])
    read = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in read["problems"] if p["level"] == "error"] == []
    slot = next(t for t in read["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert slot["metrics"]["csat"]["n"] == 2


@pytest.mark.parametrize(("header", "said"), [
    # AskNicely's columns: 'person_id' was "did you mean 'persona'?", 'responded' "did you mean 'respondent'?"
    ("touchpoint,metric,score,person_id,responded", {"person_id": "respondent", "responded": "date"}),
    ("touchpoint,metric,score,LTR Comment,answer comment", {"LTR Comment": "comment", "answer comment": "comment"}),
    # Microsoft Forms' and SurveySparrow's answer times: ignored among the other columns, the answers had no date
    ("touchpoint,metric,score,Start time,Completion time", {"Completion time": "date"}),
    ("touchpoint,metric,score,Submitted Time,x", {"Submitted Time": "date"}),
    # Zendesk Explore's 'Ticket created - Date' and Delighted's 'Response timestamp': ignored among the other columns
    ("touchpoint,metric,score,Ticket created - Date,Ticket ID", {"Ticket created - Date": "date"}),
    ("touchpoint,metric,score,Response timestamp,Person ID", {"Response timestamp": "date", "Person ID": "respondent"}),
    # Google Play Console's reviews export (once saved as UTF-8)
    ("touchpoint,metric,score,Review Submit Date and Time,Review Text", {"Review Submit Date and Time": "date",
                                                                         "Review Text": "comment"}),
])
def test_more_survey_tools_column_names_are_told_the_option_that_reads_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str, said: dict[str, str]) -> None:
    export = write(tmp_path / "a.csv", [header, "rate-first-order,nps,9,x,y"])
    main(["report", str(SAMPLE), "--responses", str(export), "--format", "json"])
    hints = {p["message"]: p["hint"] for p in json.loads(capsys.readouterr().out)["problems"]}
    import shlex

    for column, meant in said.items():
        assert hints[f"column '{column}' is not one journeymap reads; it is ignored"] == (
            f"it looks like the {meant} column: read it with --responses-column {shlex.quote(f'{meant}={column}')}")


@pytest.mark.parametrize("column", ["Response", "answer", "Answer Value", "LTR"])
def test_a_score_column_a_survey_tool_names_otherwise_is_told_the_option_not_another_column(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str) -> None:
    """A form's 'Response' column of answers was "did you mean 'respondent'?" and AskNicely's 'answer' or Medallia's
    'LTR' only the list of known columns, while the file had no score."""
    export = write(tmp_path / "a.csv", [f"touchpoint,metric,{column}", "rate-first-order,nps,9"])
    main(["report", str(SAMPLE), "--responses", str(export), "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    [missing] = [p for p in problems if p["code"] == "missing-column"]
    import shlex

    assert missing["hint"] == f"read it with --responses-column {shlex.quote(f'score={column}')}, or rename '{column}' to 'score'"
    assert not any("did you mean" in (p["hint"] or "") for p in problems)


def test_an_employee_nps_is_told_to_be_a_metric_of_its_own() -> None:
    """An HR export's eNPS beside the customers' metrics got only the list of known metrics; it is no 'nps'."""
    from journeymap.data import check_metric
    from journeymap.problems import Problem, Span

    problems: list[Problem] = []
    assert not check_metric("eNPS", Span("a.csv", 2, 1), ["nps", "csat", "ces"], problems)
    assert [p.hint for p in problems] == ["an eNPS is the employees' NPS, not the customers': give it a metric of its own"
                                          " under the journey's metrics: (enps, with scale [-100, 100]) to show it"]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_metrics_value_that_marks_no_value_is_told_to_leave_the_row_out(tmp_path: Path, engine: str) -> None:
    """A BI export writes a period without answers as 'n/a', '-', 'NULL' or a pivot's '(blank)': each was told
    "write a number or a percentage like 82%" (a duration "write a duration like 45s"), as if a number were mistyped."""
    marks = ["n/a", "-", "NULL", "(blank)", "\u2014"]
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period",
                                       *(f"choose-delivery-slot,csat,{mark},0,2026-0{k + 1}" for k, mark in enumerate(marks)),
                                       "choose-delivery-slot,csat,71%,100,2026-06", "report-missing-items,response_time,N/A,40,2026-06",
                                       "report-missing-items,response_time,N/A,,2026-07"])
    data = load_metric_data(load(SAMPLE), metrics=table, engine=engine)
    told = [(p.span.line, p.level, p.hint) for p in data.problems if p.code == "metric-value"]
    assert told == [(8, "error", "'N/A' marks no value (a period or segment without answers?): leave the row out,"
                     " as a row without a value has nothing to show")]
    # beside n 0 the mark says the period had no answers: a warning each, the rows left out (they were errors, exit 1)
    assert [(p.span.line, p.level, p.message) for p in data.problems if p.code == "no-answers"] == [
        (line, "warning", f"the row has '{mark}' for its value and n 0: a period or segment without answers, with nothing"
         " to show; it is left out") for line, mark in zip(range(2, 7), marks, strict=True)] + [
        # beside a blank n too (a BI export's empty cell; it was the error above); beside n 40 it stays one
        (9, "warning", "the row has 'N/A' for its value and no n: a period or segment without answers, with nothing"
         " to show; it is left out")]
    csat = data.get("choose-delivery-slot", "csat")
    assert csat is not None and (csat.period, csat.value) == ("2026-06", 0.71)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_an_excel_day_number_with_its_time_is_told_the_moment_it_is(tmp_path: Path, engine: str) -> None:
    """A date-time column saved in Excel's General format (Google Forms' Timestamp: 46023.3) was told only "write dates
    as YYYY-MM-DD", where a whole day number (46023) was told its date."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,date", "rate-first-order,nps,9,46023.3",
                                         "rate-first-order,nps,3,46024.5", "rate-first-order,nps,7,46025"])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,date", "choose-delivery-slot,csat,71%,100,46023.75"])
    data = load_metric_data(load(SAMPLE), responses=answers, metrics=table, period="month", engine=engine)
    told = [(Path(p.span.file).name, p.span.line, p.message, p.hint) for p in data.problems if p.code == "invalid-date"]
    iso = "write dates as YYYY-MM-DD (ISO 8601)"
    assert told == [
        ("a.csv", 2, "a date written as an Excel day number is not read (3 rows: lines 2, 3, 4)",
         f"{iso}; 46023.3 looks like an Excel day number and time (2026-01-01 07:12): format the column as yyyy-mm-dd hh:mm"
         " before saving"),
        ("m.csv", 2, "a date written as an Excel day number is not read; the row is left out",
         f"{iso}; 46023.75 looks like an Excel day number and time (2026-01-01 18:00): format the column as yyyy-mm-dd"
         " hh:mm before saving"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_comments_holding_html_markup_are_one_warning(tmp_path: Path, engine: str) -> None:
    """A helpdesk's or a CRM's export keeps its comments' HTML ('late &amp; cold', 'didn&#39;t', 'call<br>me'): read as
    text, 'amp' and 't call' became distinctive phrases and "didn&#39;t" no negation for VADER, without a word."""
    rows = [*(f'choose-delivery-slot,csat,2,"Slot was late &amp; the driver didn&#39;t call<br>Annoying {k}"' for k in range(4)),
            *(f"apply-welcome-voucher,csat,5,Voucher worked fine {k}" for k in range(6))]
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,comment", *rows])
    data = load_metric_data(load(SAMPLE), responses=answers, engine=engine)
    told = [(p.span.line, p.span.col, p.level, p.message) for p in data.problems if p.code == "comment-markup"]
    assert told == [(2, 29, "warning", "4 of the 10 comments hold HTML markup ('&amp;', '&#39;', '<br>'): read decoded, entities"
                     " as the characters they stand for ('&amp;' as '&', \"didn&#39;t\" as \"didn't\") and tags as spaces,"
                     " in phrases, sentiment and quotes")]
    plain = write(tmp_path / "b.csv", ["touchpoint,metric,score,comment", *["choose-delivery-slot,csat,2,Fish & chips <3 AT&T",
                                       "choose-delivery-slot,csat,2,a <b and c> d", "choose-delivery-slot,csat,2,x<p or y>z"] * 2])
    assert not [p for p in load_metric_data(load(SAMPLE), responses=plain, engine=engine).problems if p.code == "comment-markup"]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_period_written_as_a_range_of_us_or_named_dates_is_the_period_it_spans(tmp_path: Path, engine: str) -> None:
    """A BI tool's or a US report's date range ('1/1/2026 - 1/31/2026', Looker Studio's 'Jan 1, 2026 - Jan 31, 2026',
    '1 Feb 2026 - 28 Feb 2026') was kept as written: ordered as text, a period-order warning and no trend, where the
    same range in ISO dates was the month. A range whose days read both ways ('1/5/2026 - 1/11/2026') is not guessed."""
    labels = ["1/1/2026 - 1/31/2026", "1 Feb 2026 - 28 Feb 2026", "Mar 1, 2026 - Mar 31, 2026"]
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period",
                                       *(f'choose-delivery-slot,csat,{70 - 5 * k}%,400,"{label}"' for k, label in enumerate(labels)),
                                       'rate-first-order,nps,30,400,"1/5/2026 - 1/11/2026"'])
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,period",
                                         *(f'apply-welcome-voucher,csat,{5 - k},"{label}"' for k, label in enumerate(labels))])
    data = load_metric_data(load(SAMPLE), metrics=table, responses=answers, engine=engine)
    assert [p.code for p in data.problems] == []
    for touchpoint in ("choose-delivery-slot", "apply-welcome-voucher"):
        csat = data.get(touchpoint, "csat")
        assert csat is not None and [p.period for p in csat.series] == ["2026-01", "2026-02", "2026-03"]
    nps = data.get("rate-first-order", "nps")
    assert nps is not None and nps.period == "1/5/2026 - 1/11/2026"


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_range_with_its_year_written_once_or_two_dots_is_the_period_it_spans(tmp_path: Path, engine: str) -> None:
    """Looker's and Google Analytics' 'Jan 1 - Mar 31, 2026' (the year once, at the end) and ISO 8601's '2026-04-01..2026-06-30'
    were kept as written and ordered as text: 'Apr 1 - Jun 30, 2026' came before 'Jan 1 - Mar 31, 2026', so the first
    quarter was taken for the latest, behind a period-order warning. Each is the quarter it spans."""
    labels = ["Oct 1 - Dec 31, 2025", "Jan 1 - Mar 31, 2026", "2026-04-01..2026-06-30", "1 Jul - 30 Sep 2026"]
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period",
                                       *(f'choose-delivery-slot,csat,{70 - 5 * k}%,400,"{label}"' for k, label in enumerate(labels)),
                                       'rate-first-order,nps,30,400,"Dec 29 - Jan 4, 2026"'])
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,period",
                                         *(f'apply-welcome-voucher,csat,{5 - k},"{label}"' for k, label in enumerate(labels))])
    data = load_metric_data(load(SAMPLE), metrics=table, responses=answers, engine=engine)
    assert [p.code for p in data.problems] == []
    for touchpoint in ("choose-delivery-slot", "apply-welcome-voucher"):
        csat = data.get(touchpoint, "csat")
        assert csat is not None and [p.period for p in csat.series] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    slot = data.get("choose-delivery-slot", "csat")
    assert slot is not None and (slot.period, slot.value) == ("2026-Q3", 0.55)
    nps = data.get("rate-first-order", "nps")  # which year Dec 29 is in is not written: kept as written
    assert nps is not None and nps.period == "Dec 29 - Jan 4, 2026"


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_dates_that_read_both_ways_are_read_in_the_order_the_files_other_dates_show(tmp_path: Path, engine: str) -> None:
    """A US export's '8/1/2026' may be 1 August or 8 January; its '3/19/2026' (no month 19) shows the file writes month
    first, but the hint of the first said only "may be either" (and later, what it is if the file is consistent, still
    unread). Now the file's dates are read month first; a file of both orders is told neither, and none is read."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,date", "rate-first-order,nps,9,3/19/2026 9:14",
                                         "rate-first-order,nps,9,8/1/2026 10:00", "rate-first-order,nps,9,8/2/2026"])
    mixed = write(tmp_path / "b.csv", ["touchpoint,metric,score,date", "rate-first-order,nps,9,3/19/2026",
                                       "rate-first-order,nps,9,19/3/2026", "rate-first-order,nps,9,8/1/2026"])
    data = load_metric_data(load(SAMPLE), responses=[answers], period="month", engine=engine)
    assert [(p.span.line, p.code) for p in data.problems] == [(2, "date-order")]
    nps = data.get("rate-first-order", "nps")
    assert nps is not None and [(p.period, p.n) for p in nps.series] == [("2026-03", 1), ("2026-08", 2)]
    data = load_metric_data(load(SAMPLE), responses=[mixed], period="month", engine=engine)
    hints = [(p.span.line, p.hint) for p in data.problems if p.code == "invalid-date"]
    iso = "write dates as YYYY-MM-DD (ISO 8601)"
    assert hints == [(2, f"{iso}; '3/19/2026' is 2026-03-19"), (3, f"{iso}; '19/3/2026' is 2026-03-19"),
                     (4, f"{iso}; '8/1/2026' may be 2026-01-08 (day first) or 2026-08-01 (month first)")]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_column_of_slashed_dates_whose_order_one_date_tells_is_read_in_that_order(tmp_path: Path, engine: str) -> None:
    """SurveyMonkey's '04/01/2026 10:15:32 AM', Google Forms' '4/1/2026 10:15:32' and a European '13/04/2026' were each an
    unread date: a US export's answers were in no period, and the report had no trend at all. Where one date of the
    column reads one way only (no month 13) and none reads only the other way, every date with slashes of the column is
    read that way, 12-hour times too, with one warning naming the order and the line that decided it."""
    us = write(tmp_path / "us.csv", ["touchpoint,metric,score,date", "rate-first-order,nps,9,03/30/2026 10:15:32 AM",
                                     "rate-first-order,nps,10,04/01/2026 10:15:32 AM", "rate-first-order,nps,3,04/13/2026 09:00:00 PM",
                                     "rate-first-order,nps,9,05/01/2026 12:30:00 AM"])
    forms = write(tmp_path / "forms.csv", ["touchpoint,metric,score,date", "choose-delivery-slot,csat,5,3/31/2026 23:59:59",
                                           "choose-delivery-slot,csat,4,4/1/2026 10:15:32", "choose-delivery-slot,csat,2,4/20/2026 0:05:00"])
    eu = write(tmp_path / "eu.csv", ["touchpoint,metric,score,date", "apply-welcome-voucher,csat,5,01/05/2026",
                                     "apply-welcome-voucher,csat,4,13/04/2026", "apply-welcome-voucher,csat,1,02/05/2026"])
    data = load_metric_data(load(SAMPLE), responses=[us, forms, eu], period="month", engine=engine)
    told = [(Path(p.span.file).name, p.span.line, p.span.col, p.level, p.code, p.message) for p in data.problems]
    assert told == [
        ("eu.csv", 3, 30, "warning", "date-order", "the date column's dates with slashes are read day first (day/month/year),"
         " as line 3's '13/04/2026' shows (there is no month 13)"),
        ("forms.csv", 2, 29, "warning", "date-order", "the date column's dates with slashes are read month first"
         " (month/day/year), as line 2's '3/31/2026 23:59:59' shows (there is no month 31)"),
        ("us.csv", 2, 24, "warning", "date-order", "the date column's dates with slashes are read month first"
         " (month/day/year), as line 2's '03/30/2026 10:15:32 AM' shows (there is no month 30)"),
    ]
    series = {key: [(p.period, p.n) for p in point.series] for key, point in data.points.items()}
    assert series[("rate-first-order", "nps")] == [("2026-03", 1), ("2026-04", 2), ("2026-05", 1)]
    assert series[("choose-delivery-slot", "csat")] == [("2026-03", 1), ("2026-04", 2)]
    assert series[("apply-welcome-voucher", "csat")] == [("2026-04", 1), ("2026-05", 2)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_column_of_excels_short_us_dates_is_read_month_first_when_one_of_them_tells(tmp_path: Path, engine: str) -> None:
    """A US Excel saves a CSV's dates in its short form, m/d/yy ('4/13/26 10:15', Microsoft Forms' times '4/1/26 9:14:03
    AM'): every one was 'a date written with its year in two digits is not read'. When the column tells the order, its
    dates are read so, the year from 00 to 29 as 2000 to 2029 (as a date with dots); another two-digit year is still
    not guessed."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,date", "rate-first-order,nps,9,3/1/26",
                                         "rate-first-order,nps,10,4/13/26 10:15", "rate-first-order,nps,3,4/1/26 9:14:03 AM",
                                         "rate-first-order,nps,8,4/1/45"])
    data = load_metric_data(load(SAMPLE), responses=[answers], period="month", engine=engine)
    assert [(p.span.line, p.level, p.code, p.message) for p in data.problems] == [
        (3, "warning", "date-order", "the date column's dates with slashes are read month first (month/day/year), as line 3's"
         " '4/13/26 10:15' shows (there is no month 13); a year in two digits is read from 00 to 29, as 2000 to 2029"),
        (5, "warning", "no-period", "1 NPS answer for 'rate-first-order' has no period (a date makes one only with"
         " --period, and an unreadable one never); it is left out of the series and of the latest period's value"),
        (5, "warning", "invalid-date", "a date written with its year in two digits is not read")]
    nps = data.get("rate-first-order", "nps")
    assert nps is not None and [(p.period, p.n) for p in nps.series] == [("2026-03", 1), ("2026-04", 2)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_metrics_tables_slashed_dates_are_read_in_the_order_one_of_them_tells(tmp_path: Path, engine: str) -> None:
    """A US BI export's daily CSAT, '3/14/2026', '4/1/2026': every row was an invalid-date warning and left out, so the
    table gave nothing. As a survey file's date column, a column one of whose dates reads month first only (no month 14)
    and none day first only is read month first, with one warning naming that line."""
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,date", "choose-delivery-slot,csat,71%,100,4/1/2026",
                                       "choose-delivery-slot,csat,73%,100,3/14/2026", "choose-delivery-slot,csat,75%,100,5/2/2026 10:00 AM"])
    data = load_metric_data(load(SAMPLE), metrics=[table], period="month", engine=engine)
    assert [(p.span.line, p.span.col, p.level, p.code, p.message) for p in data.problems] == [
        (3, 35, "warning", "date-order", "the date column's dates with slashes are read month first (month/day/year), as"
         " line 3's '3/14/2026' shows (there is no month 14)")]
    csat = data.get("choose-delivery-slot", "csat")
    assert csat is not None and [(p.period, p.value) for p in csat.series] == [("2026-03", 0.73), ("2026-04", 0.71),
                                                                               ("2026-05", 0.75)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_column_of_slashed_dates_written_both_ways_is_an_error_naming_a_line_of_each(tmp_path: Path, engine: str) -> None:
    """Exports of two locales joined into one file: '04/13/2026' is month first, '13/04/2026' day first, and '01/05/2026'
    is either. No order is read; an error names one line of each, and the dates are told as before."""
    both = write(tmp_path / "a.csv", ["touchpoint,metric,score,date", "rate-first-order,nps,9,01/05/2026",
                                      "rate-first-order,nps,9,04/13/2026", "rate-first-order,nps,9,13/04/2026",
                                      "rate-first-order,nps,9,14/04/2026"])
    data = load_metric_data(load(SAMPLE), responses=[both], period="month", engine=engine)
    orders = [(p.span.line, p.span.col, p.level, p.message, p.hint, [s.line for s in p.related]) for p in data.problems
              if p.code == "date-order"]
    assert orders == [(3, 24, "error", "the date column's dates with slashes are written month first (line 3's '04/13/2026':"
                       " there is no month 13) and day first (line 4's '13/04/2026': there is no month 13): neither order"
                       " is read, and such dates are in no period",
                       "write dates as YYYY-MM-DD (ISO 8601); a file joined from two locales' exports writes both orders",
                       [4])]
    assert sum(1 for p in data.problems if p.code == "invalid-date") == 3
    nps = data.get("rate-first-order", "nps")
    assert nps is not None and [p.period for p in nps.series] == [] and nps.n == 4


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_report_title_or_notes_above_the_header_are_one_error_naming_the_header_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A BI report's export puts its title and notes above the header ('CSAT by touchpoint', 'Generated ...'), Google
    Analytics '# Start date: 20260101': the first line was taken for the header and told "rename 'CSAT by touchpoint'
    to 'touchpoint'; the header must also name the columns metric, value", beside an unknown-column warning."""
    table = write(tmp_path / "m.csv", ["CSAT by touchpoint", "Generated 2026-01-05 09:14", "", "touchpoint,metric,value,n,period",
                                       "choose-delivery-slot,csat,71%,100,2026-01"])
    answers = write(tmp_path / "a.csv", ["# Start date: 20260101", "# End date: 20260131", "touchpoint;metric;score",
                                         "choose-delivery-slot;csat;4"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table), "--responses", str(answers)])
    told = [(Path(p["file"]).name, p["line"], p["code"], p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    assert told == [
        ("a.csv", 1, "missing-column", "the header is line 3, not line 1: lines 1-2 above it ('# Start date: 20260101') hold a"
         " report's title or notes, not the names of the columns; the file is not read",
         "delete the lines above the header: tail -n +3 FILE > NEW keeps the lines from the header on"),
        ("m.csv", 1, "missing-column", "the header is line 4, not line 1: lines 1-3 above it ('CSAT by touchpoint') hold a"
         " report's title or notes, not the names of the columns; the file is not read",
         "delete the lines above the header: tail -n +4 FILE > NEW keeps the lines from the header on"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_medallias_question_texts_above_a_row_of_their_short_names_are_one_error_with_the_sed_that_deletes_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Medallia's export writes the questions' texts on line 1 and their short names on line 2 ('LTR', 'LTR Comment'):
    line 1 was taken for the header and told to rename 'Which touchpoint?' to 'touchpoint' and to read the score's
    whole question with --responses-column, beside three unknown-column warnings, and line 2 was never looked at. It is
    one error naming both lines, with the sed that deletes the texts and what the names then need."""
    export = write(tmp_path / "medallia.csv", [
        '"Which touchpoint?","Which metric?","Based on your experience, how likely are you to recommend us to a friend?'
        ' (Likelihood to Recommend)","Why did you give us that score?"',
        "touchpoint,metric,LTR,LTR Comment", "rate-first-order,nps,9,Great", "rate-first-order,nps,3,Slow"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(export)])
    told = [(Path(p["file"]).name, p["line"], p["col"], p["code"], p["message"], p["hint"])
            for p in json.loads(capsys.readouterr().out)["problems"]]
    assert told == [
        ("medallia.csv", 1, 1, "missing-column",
         "the header is line 2, not line 1: line 1 above it ('\"Which touchpoint?\",\"Which metric?\",\"Based on your experien…')"
         " holds the questions' texts, and line 2 their names ('touchpoint', 'metric', 'LTR', 'LTR Comment'); the file is not read",
         "delete line 1: sed 1d FILE > NEW.csv; then, for its names: read them with --responses-column score=LTR"
         " --responses-column 'comment=LTR Comment', or rename 'LTR' to 'score', 'LTR Comment' to 'comment'"),
    ]
    # done so, the file is read, with its comments
    fixed = write(tmp_path / "fixed.csv", export.read_text(encoding="utf-8").splitlines()[1:])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(fixed), "--responses-column", "score=LTR",
          "--responses-column", "comment=LTR Comment"])
    out = json.loads(capsys.readouterr().out)
    assert out["problems"] == []
    assert next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["verbatims"]["comments"] == 2
    # a first data row of words under a header that lacks a column is no row of names
    plain = write(tmp_path / "plain.csv", ["Which touchpoint?,metric,score", "rate-first-order,nps,9"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(plain)])
    assert "the header is line 2" not in capsys.readouterr().out


@pytest.mark.parametrize("written", ["05.01.2026 09:14:03 +01:00", "05.01.2026 9:14 PM", "05.01.2026T09:14:03Z", "5.1.2026 um 09:14"])
def test_a_date_with_dots_and_a_time_in_another_form_is_told_day_first_not_either_way(written: str) -> None:
    """A date with dots is read day first; with a zone, a 12-hour clock or a word after it, it is not read, and was
    told "day.month.year or month.day.year (either may be meant)", '05.01.2026' "2026-01-05 or 2026-05-01"."""
    from journeymap.data.responses import _date, date_hint, not_a_date

    assert _date(written) is None
    assert not_a_date(written) == "a date written day.month.year with a time in another form than hh:mm:ss is not read"
    shown = written.split("T")[0].split(" ")[0]
    assert date_hint(written) == (f"write dates as YYYY-MM-DD (ISO 8601); '{shown}' is 2026-01-05 (a date with dots is"
                                  " day.month.year): write the date alone, or with a 24-hour time after it")


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_dates_written_with_dots_are_read_day_first_and_a_dotted_cell_that_is_no_day_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A German, Swiss, Austrian, Russian, Polish or Norwegian export writes day.month.year ('05.01.2026', '5.1.2026',
    Excel's 'TT.MM.JJ' '05.01.26'): no locale writes month.day.year with dots (glibc's 298 locales have 63 numeric date
    formats with dots: 57 day first, 6 year first), yet every such cell was 'day.month.year or month.day.year
    (either may be meant) is not read' and its answer was in no period. They are now read day first; a dotted cell
    that is no day read so (31 February, a 13th month, a bad time, a two-digit year whose century tools disagree on)
    is one warning at its cell, and a column of month-first ones is one warning with its count."""
    answers = write(tmp_path / "a.csv", [
        "touchpoint,metric,score,date",
        "choose-delivery-slot,csat,5,05.01.2026", "choose-delivery-slot,csat,4,5.1.2026", "choose-delivery-slot,csat,1,05.01.26",
        "choose-delivery-slot,csat,5,14.03.2026 08:31", "choose-delivery-slot,csat,2,14.03.2026 08:31:00",
        "choose-delivery-slot,csat,5,05.01.2026.", "choose-delivery-slot,csat,5,5. 1. 2026",  # Serbian, Slovenian
        "choose-delivery-slot,csat,3,31.02.2026", "choose-delivery-slot,csat,3,05.13.2026", "choose-delivery-slot,csat,3,05.14.2026",
        "choose-delivery-slot,csat,3,14.03.2026 25:00", "choose-delivery-slot,csat,3,05.01.45",
    ])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,date", "choose-delivery-slot,ces,4.1,100,14.03.2026",
                                       "choose-delivery-slot,ces,4.5,100,1.4.2026", "choose-delivery-slot,ces,4.9,100,04.13.2026"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--period", "month", "--responses", str(answers),
          "--metrics", str(table)])
    data = json.loads(capsys.readouterr().out)
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]
    assert [(p["period"], p["n"]) for p in slot["csat"]["series"]] == [("2026-01", 5), ("2026-03", 2)]
    assert [(p["period"], p["value"]) for p in slot["ces"]["series"]] == [("2026-03", 4.1), ("2026-04", 4.5)]
    iso = "write dates as YYYY-MM-DD (ISO 8601)"
    told = [(Path(p["file"]).name, p["line"], p["col"], p["level"], p["message"], p["hint"]) for p in data["problems"]
            if p["code"] == "invalid-date"]
    assert told == [
        ("a.csv", 9, 29, "warning", "'31.02.2026' is not a date", f"{iso}; a date with dots is day.month.year, and 2026-02"
         " has no day 31"),
        ("a.csv", 10, 29, "warning", "a date written with dots whose month would be over 12 is not read (a date with dots is"
         " day.month.year) (2 rows: lines 10, 11)", f"{iso}; if '05.13.2026' is month first, it is 2026-05-13"),
        ("a.csv", 12, 29, "warning", "'14.03.2026 25:00' is not a date", f"{iso}; '14.03.2026' is 2026-03-14, but 25:00 is no"
         " time of day"),
        ("a.csv", 13, 29, "warning", "a date written with its year in two digits is not read",
         f"{iso}, the year in four digits ('05.01.45' has two, whose century is not guessed)"),
        ("m.csv", 4, 34, "warning", "a date written with dots whose month would be over 12 is not read (a date with dots is"
         " day.month.year); the row is left out", f"{iso}; if '04.13.2026' is month first, it is 2026-04-13"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_summary_block_below_the_rows_is_one_warning_naming_its_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """SurveyMonkey's, Qualtrics' and Excel users' exports end with a blank row and a summary ('Total,,,1240',
    'Average,,,7.9'): each of its rows was read as an answer or a table row, an unknown touchpoint 'Total', an empty
    metric, an empty value, an empty answer 'a survey started and not finished writes', fewer cells than the header:
    four or five problems, exit 1 for a table. The block is now one warning naming its lines, and left out."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,respondent,date", "choose-delivery-slot,csat,4,r1,2026-01-05",
                                         "choose-delivery-slot,csat,5,r2,2026-01-06", "choose-delivery-slot,csat,2,r3,2026-01-07",
                                         "", "", "Total,,,1240", "Average,,,7.9"])
    wide = write(tmp_path / "b.csv", ["touchpoint,metric,score,respondent,date", "rate-first-order,nps,9,r1,2026-01-05",
                                      ",,,,", "Total:,,9,,", "Mean,,9.0,,", "Count,,1,,", "Std. Dev.,,,,"])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,ces,4.1,100,2026-01",
                                       "choose-delivery-slot,ces,4.3,120,2026-02", ",,,,", 'Grand Total,,,"1,220",',
                                       "Average,,4.2,,"])
    code = main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers), "--responses", str(wide),
                 "--metrics", str(table)])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    told = [(Path(p["file"]).name, p["line"], p["col"], p["code"], p["level"], p["message"], p["hint"]) for p in data["problems"]
            if p["code"] != "data-clash"]
    below = "a summary a spreadsheet or survey tool writes below the rows, not rows to read: they are left out"
    assert told == [
        ("a.csv", 7, 1, "summary-rows", "warning", f"lines 7-8 after the blank lines 5-6 ('Total', 'Average') are {below}",
         "delete them, or export the rows alone: head -n 4 FILE > NEW keeps the lines above them"),
        ("b.csv", 4, 1, "summary-rows", "warning", f"lines 4-7 after the blank line 3 ('Total:', 'Mean', 'Count', ...) are"
         f" {below}", "delete them, or export the rows alone: head -n 2 FILE > NEW keeps the lines above them"),
        ("m.csv", 5, 1, "summary-rows", "warning", f"lines 5-6 after the blank line 4 ('Grand Total', 'Average') are {below}",
         "delete them, or export the rows alone: head -n 3 FILE > NEW keeps the lines above them"),
    ]
    touchpoints = {t["id"]: t["metrics"] for t in data["touchpoints"]}
    assert (touchpoints["choose-delivery-slot"]["csat"]["n"], touchpoints["rate-first-order"]["nps"]["n"]) == (3, 1)
    assert [p["value"] for p in touchpoints["choose-delivery-slot"]["ces"]["series"]] == [4.1, 4.3]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_html_in_comments_is_decoded_for_phrases_sentiment_and_quotes_and_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Zendesk's, Medallia's and web forms' exports keep their comments' HTML: it was warned about (comment-markup),
    but 'amp' and 'nbsp' were words of the top phrases, "didn&#39;t like" was no negation for VADER, and the quotes
    read '<p>Slot was late &amp; ...'. The same comments written plainly now give the same verbatims, figure for
    figure; the warning says what was done, and the quotes are still escaped in HTML."""
    said = ["Slot was late {} cold, the driver didn{}t call", "{}The driver was rude and I didn{}t like it{}",
            "Loved the slots!{}The prices are fair", "Fine{}overall, {}ok{}"]
    marked = [said[0].format("&amp;", "&#39;"), said[1].format("<p>", "&#39;", "</p>"), said[2].format("<br>", ""),
              said[3].format("&nbsp;", "&quot;", "&quot;")]
    plain = [said[0].format("&", "'"), said[1].format("", "'", ""), said[2].format(" ", ""), said[3].format(" ", '""', '""')]
    rows = {name: write(tmp_path / f"{name}.csv", ["touchpoint,metric,score,comment", *(
        f'choose-delivery-slot,csat,{1 + k % 5},"{text}"' for k, text in enumerate(texts * 3))])
        for name, texts in (("marked", marked), ("plain", plain))}

    def verbatims(path: Path) -> tuple[object, ...]:
        data = load_metric_data(load(SAMPLE), responses=path, engine=engine)
        v = data.verbatims["choose-delivery-slot"]
        return (v.comments, v.sentiment, v.phrases, [(q.text, q.sentiment, q.kind) for q in v.quotes],
                [p.message for p in data.problems])

    got, want = verbatims(rows["marked"]), verbatims(rows["plain"])
    assert got[:4] == want[:4]
    assert not {"amp", "nbsp", "br", "p", "39", "quot"} & {w for phrase, _n in got[2] for w in phrase.split()}
    assert got[4] == ["12 of the 12 comments hold HTML markup ('&amp;', '&#39;', '<p>', '</p>'): read decoded, entities as the"
                      " characters they stand for ('&amp;' as '&', \"didn&#39;t\" as \"didn't\") and tags as spaces, in"
                      " phrases, sentiment and quotes"]
    assert want[4] == []
    out = tmp_path / "out"
    main(["render", str(SAMPLE), "--responses", str(rows["marked"]), "--engine", engine, "--to", "html", "-o", str(out)])
    capsys.readouterr()
    html = (out / "grocery-first-order.html").read_text(encoding="utf-8")
    import html as html_module

    assert all(f"<bdi>{html_module.escape(text)}</bdi>" in html for text, _s, _k in got[3])  # escaped once, as decoded
    import re

    shown = " ".join(re.findall(r'<blockquote class="voice-quote".*?</blockquote>|<ul class="voice-phrases".*?</ul>', html))
    assert shown and not any(mark in shown for mark in ("&amp;amp;", "&lt;p&gt;", "&amp;#39;", "nbsp"))


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_image_and_script_tags_in_comments_are_markup_and_stay_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A helpdesk export keeps its inline pictures ('<img src="cid:photo1.png" width="200">') and a web form a probe's
    '<script>alert(1)</script>': the comment-markup warning counted '<br>' and '<b>' but not them ('2 of the 9
    comments'), 'script alert' was the top phrase and every quote showed the tags. They are markup: counted, read as
    spaces (a script element with its code), left out of quotes, in the map, the Markdown and the text report alike;
    a comment of a probe only is quoted as written, escaped."""
    rows = [*(f'choose-delivery-slot,csat,2,"<img src=""cid:photo{k}.png"" width=""200""> The bag was torn open {k}"'
              for k in range(3)),
            *(f'choose-delivery-slot,csat,1,"<script>alert({k})</script> Driver was late again {k}"' for k in range(3)),
            "choose-delivery-slot,csat,2,Slot was late<br>again", "choose-delivery-slot,csat,2,<b>Rude</b> driver",
            "choose-delivery-slot,csat,1,<img src=x onerror=alert(9)>"]
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,comment", *rows])
    data = load_metric_data(load(SAMPLE), responses=answers, engine=engine)
    told = [(p.span.line, p.message) for p in data.problems if p.code == "comment-markup"]
    assert told == [(2, "9 of the 9 comments hold HTML markup ('<img>', '<script>', '<br>', '<b>'): read"
                     " decoded, entities as the characters they stand for ('&amp;' as '&', \"didn&#39;t\" as \"didn't\")"
                     " and tags as spaces, in phrases, sentiment and quotes")]
    said = data.verbatims["choose-delivery-slot"]
    words = {w for phrase, _n in said.phrases for w in phrase.split()}
    assert words and not words & {"script", "alert", "img", "src", "cid", "width", "png"}
    assert all("<" not in q.text and "alert" not in q.text for q in said.quotes if "onerror" not in q.text), said.quotes
    out = tmp_path / "out"
    assert main(["render", str(SAMPLE), "--responses", str(answers), "--engine", engine, "--to", "html", "-o", str(out)]) == 0
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--engine", engine, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--engine", engine, "--format", "text"]) == 0
    text = capsys.readouterr().out
    page = (out / "grocery-first-order.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(9)&gt;" in page or "onerror" not in page  # the probe alone: escaped, if quoted
    for shown in (markdown, page):
        assert "<img" not in shown and "<script>alert" not in shown
    for quote in said.quotes:
        assert quote.text.split()[0] in text
    assert "script alert" not in text and "script alert" not in markdown


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_bi_exports_column_of_counts_with_thousands_separators_is_read_with_one_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Looker's and Tableau's exports write every n with its separators ('1,240', '12,400'): each row was an error of
    its own, "n '1,240' is not a whole number >= 0", then one error for the column, every row left out. An n is whole,
    so commas between groups of three are thousands: the column is read, with one warning and its count; '1.240' in a
    file that writes commas is still one error for its rows, and another mistake in n keeps its own message."""
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period", *(
        f'choose-delivery-slot,csat,{70 + k}%,"{k + 1},240",2026-{k + 1:02d}' for k in range(8)),
        'choose-delivery-slot,ces,4.1,"1.240",2026-01', "choose-delivery-slot,nps,30,lots,2026-01"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table)])
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["col"], p["level"], p["code"], p["message"], p["hint"]) for p in data["problems"]
            if p["code"] in ("invalid-count", "comma-thousands")]
    assert told == [
        (2, 31, "warning", "comma-thousands", "the file writes n with a comma between thousands, as Excel's and Sheets'"
         " number format '#,##0' exports a count: n is a whole number, so they are read so, '1,240' as 1240 (8 cells)",
         "nothing to do; write n without thousands separators (1240) to leave this out"),
        (10, 30, "error", "invalid-count", "n is written with thousands separators, which are not read; the row is left out",
         "write n without thousands separators: 1240"),
        (11, 29, "error", "invalid-count", "n 'lots' is not a whole number >= 0", "n is the number of responses behind the value"),
    ]
    csat = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert [(p["period"], p["n"]) for p in csat["series"]] == [(f"2026-{k + 1:02d}", (k + 1) * 1000 + 240) for k in range(8)]


@pytest.mark.parametrize(("header", "score", "comment"), [
    # Typeform's NPS question starts with its scale; its 'Anything else?' is no comment it can tell
    ('#,"On a scale from 0 to 10, how likely are you to recommend us?",Anything else?,Submit Date (UTC)',
     "On a scale from 0 to 10, how likely are you to recommend us?", None),
    # Hotjar's rating question and its reason, as SurveyMonkey words the reason too
    ("Number,User,Date Submitted,How would you rate your experience?,What's the main reason for your score?",
     "How would you rate your experience?", "What's the main reason for your score?"),
    # an App Store reviews export: 'Review' is the customer's text ('Version' was "did you mean 'persona'?")
    ("Date,Rating,Title,Review,Version,Territory,Nickname", "Rating", "Review"),
    # Medallia heads its question with a clause before 'how likely', its short name after it in brackets
    ('Survey ID,Response Date,"Based on your experience, how likely are you to recommend Larder to a friend or colleague?'
     ' (Likelihood to Recommend)",Comments',
     "Based on your experience, how likely are you to recommend Larder to a friend or colleague? (Likelihood to Recommend)",
     "Comments"),
    ('Survey ID,"Overall, how satisfied were you with your delivery? (OSAT)",Likelihood to Recommend Comment',
     "Overall, how satisfied were you with your delivery? (OSAT)", "Likelihood to Recommend Comment"),
])
def test_rating_questions_and_reviews_as_typeform_hotjar_and_app_stores_head_them_are_told_the_option(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str, score: str, comment: str | None) -> None:
    """Typeform's 'On a scale from 0 to 10, how likely ...' and Hotjar's 'How would you rate your experience?' were
    told only "the header must name the columns touchpoint, metric, score, ..."; Hotjar's 'What's the main reason for
    your score?' and an app store's 'Review' were ignored among a list of columns, and 'Version' was "did you mean
    'persona'?"."""
    export = write(tmp_path / "a.csv", [header, ",".join("x" for _ in header.split(","))])
    main(["report", str(SAMPLE), "--responses", str(export), "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    missing = next(p for p in problems if p["code"] == "missing-column")
    # the statement that writes the touchpoint and the metric on each row names the score's column (and the comment's)
    assert missing["hint"].startswith("an export of one survey's answers names no touchpoint nor metric")
    assert f'"{score}" AS score' in missing["hint"]
    hints = {p["message"]: p["hint"] for p in problems}
    if comment is not None:  # read by the error's statement, and not told again
        assert f'"{comment}" AS comment' in missing["hint"]
        assert f"column '{comment}' is not one journeymap reads; it is ignored" not in hints
    assert not any("did you mean 'persona'" in (p["hint"] or "") for p in problems)


@pytest.mark.parametrize("name", ["text", "Text", "Comment Text", "Feedback Text", "Remarks", "Verbatims"])
def test_a_comment_column_named_text_or_remarks_is_told_the_option(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """A survey file's comments in a column named 'text' (as a helpdesk or form export names the customer's words),
    'Comment Text', 'Remarks' or 'Verbatims' were ignored with the list of columns journeymap reads, where 'verbatim'
    and 'feedback' were told the option that reads them as the comments."""
    import shlex

    answers = write(tmp_path / "a.csv", [f"touchpoint,metric,score,{name}",
                                         "choose-delivery-slot,csat,2,the slot was gone"])
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--format", "json"]) == 0
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["line"], p["code"], p["message"], p["hint"]) for p in problems] == [
        (1, "unknown-column", f"column '{name}' is not one journeymap reads; it is ignored",
         f"it looks like the comment column: read it with --responses-column {shlex.quote(f'comment={name}')}")]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_qualtrics_export_is_told_which_q_column_holds_the_answers_from_its_question_texts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A Qualtrics export names its questions Q1, Q2, ... and writes their texts on its second line and import ids on
    its third: it was told only "the header must name the columns touchpoint, metric, score, ...", though its second
    line says Q1 asks 'How likely are you to recommend us?' (and Q1_NPS_GROUP beside it that it is an NPS)."""
    export = write(tmp_path / "q.csv", [
        "StartDate,EndDate,RecordedDate,ResponseId,Q1_NPS_GROUP,Q1,Q2,Q3",
        "Start Date,End Date,Recorded Date,Response ID,How likely are you to recommend us? - Group,How likely are you to"
        " recommend us?,What is the main reason for your score?,How satisfied were you with the delivery slot?",
        '"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""recordedDate""}",'
        '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1_NPS_GROUP""}","{""ImportId"":""QID1""}",'
        '"{""ImportId"":""QID2_TEXT""}","{""ImportId"":""QID3""}"',
        "2026-01-05 09:14:03,2026-01-05 09:15:40,2026-01-05 09:15:41,R_1abc,Promoter,9,Fast,4",
    ])
    assert main(["report", str(SAMPLE), "--responses", str(export), "--engine", engine, "--format", "json"]) == 1
    missing = next(p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column")
    # its two questions of two metrics are written long at once (read one question at a time, the other was left out)
    statement = (f"COPY (SELECT 'TOUCHPOINT' AS touchpoint, * FROM (UNPIVOT (SELECT * FROM read_csv('{export}',"
                 " all_varchar=true) OFFSET 2) ON \"Q1\" AS nps, \"Q3\" AS csat INTO NAME metric VALUE score)) TO 'long.csv'")
    assert missing["hint"] == (
        "a Qualtrics export names its questions Q1, Q2, ...; its second line gives their texts: Q1 'How likely are you"
        " to recommend us?' (an NPS: Q1_NPS_GROUP), Q3 'How satisfied were you with the delivery slot?' hold scores and"
        " Q2 'What is the main reason for your score?' comments: write them long, a row an answer with its metric (Q1 nps,"
        f" Q3 csat), without the lines of texts and import ids (with DuckDB: {statement}, with the touchpoint's id for"
        " TOUCHPOINT); then read it with --responses-column comment=Q2 --responses-column respondent=ResponseId")
    duckdb = pytest.importorskip("duckdb")
    long = tmp_path / "long.csv"
    duckdb.sql(statement.replace("'long.csv'", f"'{long}'").replace("TOUCHPOINT", "rate-first-order"))
    assert main(["report", str(SAMPLE), "--responses", str(long), "--engine", engine, "--format", "json",
                 "--responses-column", "comment=Q2", "--responses-column", "respondent=ResponseId"]) == 0
    read = json.loads(capsys.readouterr().out)
    metrics = next(t for t in read["touchpoints"] if t["id"] == "rate-first-order")["metrics"]
    assert (metrics["nps"]["n"], metrics["csat"]["n"], metrics["sentiment"]["n"]) == (1, 1, 1)  # its comment once


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_tableau_date_part_column_is_told_the_option_that_reads_it_as_the_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Tableau names a date's part for its field ('Month of Date', 'Quarter of Order Date', 'Week of Survey Date'): the
    column was ignored with only the list of known ones, and its months' rows became duplicate-row errors."""
    table = write(tmp_path / "m.csv", ["Touchpoint,Metric,Month of Date,Value,n", "choose-delivery-slot,CSAT,January 2026,71.2%,1240",
                                       "choose-delivery-slot,CSAT,February 2026,72.0%,1310"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table)])
    hints = {p["message"]: p["hint"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert hints["column 'Month of Date' is not one journeymap reads; it is ignored"] == (
        "it looks like the period column: read it with --metrics-column 'period=Month of Date'")
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table), "--metrics-column",
          "period=Month of Date"])
    data = json.loads(capsys.readouterr().out)
    assert not [p for p in data["problems"] if p["level"] == "error"]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert [(p["period"], p["value"], p["n"]) for p in slot["series"]] == [("January 2026", 0.712, 1240), ("February 2026", 0.72, 1310)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_value_written_with_the_minus_sign_is_read_and_a_dash_is_told_to_write_a_hyphen_minus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Apple Numbers, Tableau and Excel or Power BI in some locales (Swedish, Norwegian, Finnish) write a negative NPS
    with the minus sign U+2212 ('−12', as journeymap's own map shows a fall): it means minus and nothing else, and
    every such row of an export was an error and left out. It is read, with one warning for the file. A pasted en
    dash ('–12') may be a dash of a list or a range: it is still an error, told to write a hyphen-minus."""
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,nps,\u221212,100,2026-01",
                                       "apply-welcome-voucher,nps,\u20133.5,100,2026-01", "choose-delivery-slot,nps,\u2212 8,100,2026-02",
                                       "rate-first-order,nps,\u2212,100,2026-01"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table)])
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["col"], p["level"], p["code"], p["message"], p["hint"]) for p in data["problems"]
            if p["code"] in ("metric-value", "minus-sign")]
    assert told[:2] == [
        (2, 26, "warning", "minus-sign", "the file writes negative values with the minus sign U+2212 (\u2212), as Apple"
         " Numbers, Tableau and Excel in some locales export them: it is read as a minus, '\u221212' as -12 (2 cells)",
         "nothing to do; write the minus as '-' to leave this out"),
        (3, 27, "error", "metric-value", "NPS value '\u20133.5' is not a number", "write the minus sign as the ASCII hyphen-minus, '-': -3.5"),
    ]
    assert told[2][:4] == (5, 22, "error", "metric-value") and "hyphen-minus" not in (told[2][5] or "")
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["nps"]
    assert [(p["period"], p["value"]) for p in slot["series"]] == [("2026-01", -12), ("2026-02", -8)]
    # with a decimal comma, as Swedish Excel saves a semicolon-separated file: both read, each told once
    swedish = tmp_path / "sv.csv"
    swedish.write_text("touchpoint;metric;value;n;period\nchoose-delivery-slot;sentiment;\u22120,25;100;2026-01\n", encoding="utf-8")
    read = load_metric_data(load(SAMPLE), metrics=swedish, engine=engine)
    sentiment = read.get("choose-delivery-slot", "sentiment")
    assert sentiment is not None and sentiment.value == -0.25
    assert [(p.code, p.level, p.span.line, p.span.col) for p in read.problems] == [
        ("decimal-comma", "warning", 2, 32), ("minus-sign", "warning", 2, 32)]
    # an n written so is no count: it was told to write '-120', which is no count either
    count = write(tmp_path / "n.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,csat,71%,\u2212120,2026-01"])
    told = [(p.code, p.level, p.span.line, p.span.col, p.message, p.hint)
            for p in load_metric_data(load(SAMPLE), metrics=count, engine=engine).problems]
    assert told == [("invalid-count", "error", 2, 31, "n '\u2212120' is not a whole number >= 0",
                     "n is the number of responses behind the value: a whole number, never negative")]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_total_row_right_below_the_rows_is_the_same_one_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Excel's total row and Looker's 'Totals' come right below the rows, without a blank one: each was an unknown
    touchpoint 'Grand Total' and an empty metric, errors (exit 1). A row of a summary label and numbers alone is no
    answer nor table row (those name a touchpoint and a metric), so a block of them ending the file is the summary
    warning too."""
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,ces,4.1,100,2026-01",
                                       "choose-delivery-slot,ces,4.3,120,2026-02", "Grand Total,,4.2,220,"])
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score", "choose-delivery-slot,csat,4", "choose-delivery-slot,csat,5",
                                         "Total,,9", "Average,,4.5"])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table),
                 "--responses", str(answers)]) == 0
    told = [(Path(p["file"]).name, p["line"], p["code"], p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]
            if p["code"] != "data-clash"]
    below = "a summary a spreadsheet or survey tool writes below the rows, not rows to read"
    assert told == [
        ("a.csv", 4, "summary-rows", f"lines 4-5 below the last row ('Total', 'Average') are {below}: they are left out",
         "delete them, or export the rows alone: head -n 3 FILE > NEW keeps the lines above them"),
        ("m.csv", 4, "summary-rows", f"line 4 below the last row ('Grand Total') is {below}: it is left out",
         "delete it, or export the rows alone: head -n 3 FILE > NEW keeps the lines above it"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_months_named_in_german_french_spanish_or_dutch_sort_as_the_months_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A German, French, Spanish or Dutch BI export names its months in its language ('Oktober 2026', 'déc. 2025',
    'marzo 2026', 'mrt 2026'): they sorted as text, so 'Oktober 2026' came after 'November 2026' and was taken for
    the latest month, with only a period-order warning. They now sort as the months they are, as English names do."""
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period",
                                       "choose-delivery-slot,csat,80%,100,November 2026", "choose-delivery-slot,csat,70%,100,Oktober 2026",
                                       "choose-delivery-slot,csat,75%,100,Dezember 2026",
                                       "apply-welcome-voucher,csat,60%,100,janv. 2026", "apply-welcome-voucher,csat,50%,100,déc. 2025",
                                       "rate-first-order,csat,90%,100,marzo 2026", "rate-first-order,csat,85%,100,febrero 2026",
                                       "report-missing-items,csat,40%,100,mrt 2026", "report-missing-items,csat,45%,100,mei 2026"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table)])
    data = json.loads(capsys.readouterr().out)
    assert not [p for p in data["problems"] if p["code"] == "period-order"]
    csat = {t["id"]: t["metrics"].get("csat") for t in data["touchpoints"]}
    assert [(tp, csat[tp]["value"], [p["period"] for p in csat[tp]["series"]]) for tp in (
        "choose-delivery-slot", "apply-welcome-voucher", "rate-first-order", "report-missing-items")] == [
        ("choose-delivery-slot", 0.75, ["Oktober 2026", "November 2026", "Dezember 2026"]),
        ("apply-welcome-voucher", 0.6, ["déc. 2025", "janv. 2026"]),
        ("rate-first-order", 0.9, ["febrero 2026", "marzo 2026"]),
        ("report-missing-items", 0.45, ["mrt 2026", "mei 2026"]),
    ]


@pytest.mark.parametrize(("written", "hint"), [
    ("31/02/2026", "write dates as YYYY-MM-DD (ISO 8601); '31/02/2026' is no day, day first or month first: 2026-02 has"
                   " no day 31"),
    ("30/02/2026 10:00", "write dates as YYYY-MM-DD (ISO 8601); '30/02/2026' is no day, day first or month first: 2026-02"
                         " has no day 30"),
    ("02/31/2026", "write dates as YYYY-MM-DD (ISO 8601); '02/31/2026' is no day, day first or month first: 2026-02 has"
                   " no day 31"),
    # a month by its name, and Google Forms' year first: 'write the month as a number: 2026-04-31', a day that is none
    ("Apr 31, 2026", "write dates as YYYY-MM-DD (ISO 8601); there is no day 31 in 2026-04: it has days 01 to 30"),
    ("31 April 2026 10:00", "write dates as YYYY-MM-DD (ISO 8601); there is no day 31 in 2026-04: it has days 01 to 30"),
    ("2026/02/30", "write dates as YYYY-MM-DD (ISO 8601); there is no day 30 in 2026-02: it has days 01 to 28"),
])
def test_a_slashed_date_that_is_no_day_either_way_is_not_told_to_be_written_as_an_impossible_date(written: str, hint: str) -> None:
    """'31/02/2026' in a survey file was told "'31/02/2026' reads only as 2026-02-31: write it so", a day February
    has not, which is then told "there is no day 31 in 2026-02"."""
    from journeymap.data.responses import date_hint

    assert date_hint(written) == hint


@pytest.mark.parametrize(("written", "number"), [("Extremely likely", 10), ("Not at all likely", 0), ("extremely  LIKELY", 10),
                                                 ("Not likely at all", 0), ("Very likely", 10)])
def test_an_nps_answer_written_as_its_scales_end_label_is_told_its_number(written: str, number: int) -> None:
    """A Qualtrics or SurveyMonkey export of choice texts writes an NPS question's ends as their labels ('Extremely
    likely' for 10, 'Not at all likely' for 0, the numbers between as numbers): told only "write a whole number
    0..10"."""
    from journeymap.metrics import MetricValueError, parse_score

    with pytest.raises(MetricValueError) as told:
        parse_score("nps", written)
    assert told.value.hint == (f"the ends of the 0..10 scale are written as their labels: '{written.strip()}' is {number}"
                               f" (0 not at all likely, 10 extremely likely): write {number}, or export the answers as numbers")


@pytest.mark.parametrize("labels", [("Summe", "Mittelwert", "Anzahl"), ("Gesamtergebnis",), ("Somme", "Moyenne"),
                                    ("Suma", "Promedio"), ("Totaal", "Gemiddelde")])
def test_a_summary_in_a_german_french_spanish_or_dutch_export_is_the_same_one_warning(
    tmp_path: Path, labels: tuple[str, ...]
) -> None:
    """A German, French, Spanish or Dutch Excel names its summary rows in its language ('Summe;;;1240',
    'Mittelwert;;;7,9', a pivot table's 'Gesamtergebnis'): each was read as a row, an unknown touchpoint and an empty
    metric."""
    answers = write(tmp_path / "a.csv", ["touchpoint;metric;score", "choose-delivery-slot;csat;4", "choose-delivery-slot;csat;5",
                                         "", *(f"{label};;4,5" for label in labels)])
    data = load_metric_data(load(SAMPLE), responses=answers)
    assert [(p.code, p.span.line) for p in data.problems] == [("summary-rows", 5)]
    assert data.points[("choose-delivery-slot", "csat")].n == 2


@pytest.mark.parametrize("engine", ["duckdb", "python"])
@pytest.mark.parametrize("labels", [("Average Rating", "Response Count", "answered question", "skipped question"),
                                    ("Weighted Average", "Total"), ("Mean", "Std Dev", "Median", "N"),
                                    ("Mean Score", "Std. Error", "Mode", "Range")])
def test_a_survey_tools_or_a_statistics_summary_below_the_rows_is_the_same_one_warning(
    tmp_path: Path, labels: tuple[str, ...], engine: str
) -> None:
    """SurveyMonkey's summary under its answers starts 'Average Rating' ('Weighted Average'), a statistics tool's ends
    with 'N' and names 'Std. Error', 'Mode', 'Range': such a label was read as a row (an unknown touchpoint and an empty
    metric, an error), and split the summary in two."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score", "choose-delivery-slot,csat,4", "choose-delivery-slot,csat,5",
                                         "", *(f"{label},,4.5" for label in labels)])
    data = load_metric_data(load(SAMPLE), responses=answers, engine=engine)
    assert [(p.code, p.span.line) for p in data.problems] == [("summary-rows", 5)]
    assert data.points[("choose-delivery-slot", "csat")].n == 2


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_header_repeated_by_files_joined_with_cat_is_one_warning_with_or_without_a_byte_order_mark(
    tmp_path: Path, engine: str
) -> None:
    """Two exports saved by Excel as 'CSV UTF-8' (each starting with a byte-order mark) and joined with cat: the second
    header, its mark before 'touchpoint', was an unknown touchpoint shown as 'touchpoint' (the mark unseen) and an
    unknown metric 'metric'; in a metrics table any repeated header was three errors (touchpoint, metric, n 'n').
    Each is now the export-header warning a survey file's repeated header is, and the row is skipped."""
    answers = tmp_path / "a.csv"
    answers.write_bytes(b"\xef\xbb\xbftouchpoint,metric,score\r\napply-welcome-voucher,nps,9\r\n" * 2)
    table = tmp_path / "m.csv"
    table.write_bytes(b"\xef\xbb\xbftouchpoint,metric,value,n\r\nchoose-delivery-slot,csat,71%,100\r\n"
                      b"\xef\xbb\xbftouchpoint,metric,value,n\r\nrate-first-order,csat,72%,100\r\n"
                      b"Touchpoint,Metric,Value,N\r\napply-welcome-voucher,csat,73%,100\r\n")
    data = load_metric_data(load(SAMPLE), responses=[answers], metrics=[table], engine=engine)
    told = [(Path(p.span.file).name, p.span.line, p.code, p.level, p.message) for p in data.problems]
    assert told == [
        ("a.csv", 3, "export-header", "warning", "this row repeats the header's names (touchpoint, metric), not answers;"
         " it is skipped"),
        ("m.csv", 3, "export-header", "warning", "this row repeats the header's names (touchpoint, metric), not values;"
         " it is skipped (2 rows: lines 3, 5)"),
    ]
    assert data.points[("apply-welcome-voucher", "nps")].n == 2
    assert [data.points[(tp, "csat")].value for tp in ("rate-first-order", "apply-welcome-voucher")] == [0.72, 0.73]


def test_tableaus_measure_names_and_values_are_told_the_options_and_its_count_rows_the_n_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tableau exports a view's measures long, as 'Measure Names' and 'Measure Values' columns, with its count as rows of
    its own ('Number of Records'): the header was told only the list of journeymap's columns, and read with the
    options, each count row was "unknown metric 'Number of Records'" with a list of metrics."""
    table = write(tmp_path / "m.csv", ["Touchpoint,Month of Date,Measure Names,Measure Values",
                                       "choose-delivery-slot,January 2026,CSAT,71.2%",
                                       "choose-delivery-slot,January 2026,Number of Records,1240"])
    main(["report", str(SAMPLE), "--format", "json", "--metrics", str(table)])
    missing = next(p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column")
    assert missing["hint"] == ("read them with --metrics-column 'metric=Measure Names' --metrics-column 'value=Measure Values'"
                               " --metrics-column 'period=Month of Date', or rename 'Measure Names' to 'metric', 'Measure"
                               " Values' to 'value', 'Month of Date' to 'period'")
    main(["report", str(SAMPLE), "--format", "json", "--metrics", str(table), "--metrics-column", "metric=Measure Names",
          "--metrics-column", "value=Measure Values", "--metrics-column", "period=Month of Date"])
    told = [(p["line"], p["code"], p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]
            if p["level"] == "error"]
    assert told == [(3, "unknown-metric", "unknown metric 'Number of Records'",
                     "'Number of Records' is the number of answers behind a value: give it as the value's n, in an 'n'"
                     " column beside it on the value's row")]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_period_column_of_days_written_with_dots_is_the_days_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A German export's daily table names its days in the period column with dots ('05.01.2026', '12.01.2026',
    '02.02.2026'): as written they sorted as text, so 12 January was taken for the latest day (its value shown),
    with a period-order warning. A day with dots is day first, so it is that day, 2026-01-05, as a date column's is."""
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,csat,70%,100,05.01.2026",
                                       "choose-delivery-slot,csat,75%,100,12.01.2026", "choose-delivery-slot,csat,80%,100,02.02.2026",
                                       "apply-welcome-voucher,csat,70%,100,31.02.2026"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table)])
    data = json.loads(capsys.readouterr().out)
    assert not [p for p in data["problems"] if p["code"] == "period-order"]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (slot["value"], [p["period"] for p in slot["series"]]) == (0.8, ["2026-01-05", "2026-01-12", "2026-02-02"])
    assert [(p["line"], p["code"]) for p in data["problems"]] == [(5, "impossible-period")]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_summary_between_two_blocks_of_rows_is_one_warning_and_the_rows_below_it_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Two survey waves exported each with its summary and pasted one below the other: the first wave's 'Total' and
    'Average' rows were read as answers (an unknown touchpoint 'Total', an empty metric: errors, exit 1) where the
    same rows ending the file were one summary-rows warning. They are now that warning too, the rows below them are
    read, and a row that names a metric ('Total,csat,5') is still a bad row, told."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,respondent,date",
                                         "choose-delivery-slot,csat,2,r1,2026-10-01", "choose-delivery-slot,csat,4,r2,2026-10-02",
                                         "Total,,6,,", "Average,,3,,", "", "touchpoint,metric,score,respondent,date",
                                         "choose-delivery-slot,csat,5,r3,2026-11-01", "Total,csat,5,,",
                                         "choose-delivery-slot,csat,5,r4,2026-11-02", "", "Total,,10,,"])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,ces,4.1,100,2026-01", "",
                                       'Grand Total,,4.1,100,', "choose-delivery-slot,ces,4.3,120,2026-02"])
    # the label in a column journeymap does not read (an export's response id)
    ids = write(tmp_path / "b.csv", ["id,touchpoint,metric,score", "1,rate-first-order,nps,9", "Total,,,9",
                                     "2,rate-first-order,nps,10"])
    code = main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--period", "month",
                 "--responses", str(answers), "--responses", str(ids), "--metrics", str(table)])
    data = json.loads(capsys.readouterr().out)
    assert code == 1  # the 'Total,csat,5' row
    told = sorted((Path(p["file"]).name, p["line"], p["code"], p["message"], p["hint"]) for p in data["problems"]
                  if p["code"] not in ("data-clash", "unknown-column"))
    between = ("a summary a spreadsheet or survey tool writes below rows (a subtotal, or exports pasted one below another),"
               " not rows to read")
    assert told == [
        ("a.csv", 4, "summary-rows", f"lines 4-5 between rows ('Total', 'Average') are {between}: they are left out, and"
         " the rows below them are read", "delete them: sed -i '4,5d;7d' FILE deletes them and the header repeated on line"
         " 7; or export the rows without subtotals or summaries"),
        ("a.csv", 7, "export-header", "this row repeats the header's names (touchpoint, metric), not answers; it is skipped",
         "files joined with their headers repeat it, and a Qualtrics export has two rows under its header (question texts,"
         " then import ids): delete such rows"),
        ("a.csv", 9, "unknown-touchpoint", "unknown touchpoint 'Total': the journey 'grocery-first-order' has no such"
         " touchpoint", "this looks like a spreadsheet's or pivot table's total row, not a touchpoint: delete the row;"
         " journeymap pools rows itself"),
        ("a.csv", 12, "summary-rows", "line 12 after the blank line 11 ('Total') is a summary a spreadsheet or survey tool"
         " writes below the rows, not rows to read: it is left out",
         "delete it, or export the rows alone: head -n 10 FILE > NEW keeps the lines above it"),
        ("b.csv", 3, "summary-rows", f"line 3 between rows ('Total') is {between}: it is left out, and the rows below it"
         " are read", "delete it: sed -i '3,3d' FILE deletes it; or export the rows without subtotals or summaries"),
        ("m.csv", 4, "summary-rows", f"line 4 between rows ('Grand Total') is {between}: it is left out, and the rows"
         " below it are read", "delete it: sed -i '4,4d' FILE deletes it; or export the rows without subtotals or summaries"),
    ]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]
    assert [(p["period"], p["n"]) for p in slot["csat"]["series"]] == [("2026-10", 2), ("2026-11", 2)]
    assert [(p["period"], p["value"]) for p in slot["ces"]["series"]] == [("2026-01", 4.1), ("2026-02", 4.3)]
    assert next(t for t in data["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]["n"] == 2


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_html_markup_first_seen_past_the_first_two_thousand_comments_is_decoded_too(tmp_path: Path, engine: str) -> None:
    """Whether comments held HTML markup was decided on the first 2,000 comments: a helpdesk's tickets appended below
    2,000 plain survey comments kept '&amp;' and '&#39;' as written, so 'amp' was a phrase's word and "didn&#39;t like"
    no negation for VADER. Every comment is looked at now (those holding '&' or '<' matched, in SQL on DuckDB), and
    the marked-up comments give what the same comments written plainly give."""
    plain_rows = [f"apply-welcome-voucher,csat,5,Voucher code number {k} worked" for k in range(2000)]
    said = ["Slot was late {} cold and I didn{}t like it", "The driver didn{}t call, not good{}"]
    marked = [said[0].format("&amp;", "&#39;"), said[1].format("&#39;", "<br>")]
    plain = [said[0].format("&", "'"), said[1].format("'", "")]

    def verbatims(texts: list[str]) -> tuple[object, ...]:
        path = write(tmp_path / "a.csv", ["touchpoint,metric,score,comment", *plain_rows,
                                          *(f'choose-delivery-slot,csat,2,"{t}"' for t in texts * 3)])
        data = load_metric_data(load(SAMPLE), responses=path, engine=engine)
        v = data.verbatims["choose-delivery-slot"]
        return (v.comments, v.sentiment, v.phrases, [(q.sentiment, q.kind) for q in v.quotes],
                [(p.span.line, p.message) for p in data.problems])

    got, want = verbatims(marked), verbatims(plain)
    assert got[:4] == want[:4]
    assert got[1] is not None and got[1] < 0
    assert not {"amp", "39", "br"} & {w for phrase, _n in got[2] for w in phrase.split()}
    assert got[4] == [(2002, "6 of the 2,006 comments hold HTML markup ('&amp;', '&#39;', '<br>'): read decoded, entities"
                       " as the characters they stand for ('&amp;' as '&', \"didn&#39;t\" as \"didn't\") and tags as"
                       " spaces, in phrases, sentiment and quotes")]
    assert want[4] == []


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_zendesk_good_bad_ratings_are_a_csat_of_their_share_of_good_and_medallias_osat_is_csat(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Zendesk exports its satisfaction ratings as 'Good' and 'Bad' ('Offered': sent, not rated), and Medallia names
    overall satisfaction 'OSAT': every Good/Bad answer was an error ("write a whole number 1..5", a hint to give
    their share in a metrics table) and 'OSAT' an unknown metric, so no CSAT was computed from either. A Good/Bad
    rating is now a CSAT answer, Good satisfied and Bad not (the CSAT is the share of Good among the rated, as
    Zendesk's satisfaction score is), told once with its count; 'OSAT' is csat, in answers and metrics tables."""
    answers = write(tmp_path / "zendesk.csv", ["ticket,touchpoint,metric,score,comment",
                                               "101,report-missing-items,CSAT,Good,Quick refund",
                                               "102,report-missing-items,CSAT,Bad,Nobody answered",
                                               "103,report-missing-items,CSAT,good,", "104,report-missing-items,CSAT,Offered,",
                                               '105,report-missing-items,CSAT,"Bad, I\'m unsatisfied",',
                                               "106,report-missing-items,CSAT,GOOD,", "107,rate-first-order,OSAT,4,",
                                               "108,rate-first-order,osat,2,", "109,rate-first-order,nps,Good,"])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,OSAT,82%,120,2026-Q3"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers), "--metrics", str(table)])
    data = json.loads(capsys.readouterr().out)
    told = sorted((p["line"], p["col"], p["code"], p["message"]) for p in data["problems"]
                  if p["code"] not in ("data-clash", "unknown-column"))
    assert told == [
        (2, 31, "good-bad-rating", "a Good/Bad rating (Zendesk's satisfaction rating) for 'report-missing-items' is read as"
         " a CSAT answer, Good as"
         " satisfied (5) and Bad as dissatisfied (1): their CSAT is the share of Good among the rated answers (5 rows:"
         " lines 2, 3, 4, 6, 7)"),
        (5, 31, "blank-score", "the score marks a satisfaction survey offered and not answered (Zendesk's 'Offered',"
         " 'Unoffered', 'Not Offered'); the row is not counted"),
        (10, 26, "score", "NPS score 'Good' is not a number"),
    ]
    metrics = {t["id"]: t["metrics"] for t in data["touchpoints"]}
    assert (metrics["report-missing-items"]["csat"]["value"], metrics["report-missing-items"]["csat"]["n"]) == (0.6, 5)
    assert (metrics["rate-first-order"]["csat"]["value"], metrics["rate-first-order"]["csat"]["n"]) == (0.5, 2)
    assert (metrics["choose-delivery-slot"]["csat"]["value"], metrics["choose-delivery-slot"]["csat"]["n"]) == (0.82, 120)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_zendesks_offered_unoffered_and_not_offered_are_one_warning_beside_good_bad_ratings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Zendesk writes a satisfaction survey sent and not answered as 'Offered', 'Unoffered' or 'Not Offered': 'Not
    Offered' was a score error per row ("write a whole number 1..5"), and as a word among Good/Bad ratings it made them
    a verbal scale's, an another-scale error, so no CSAT was computed at all; 'Offered' and 'Unoffered' were a warning
    each. They are one warning for the file with its count and first line, and the Good/Bad ratings are read."""
    offered = ["Offered", "Not Offered", "Unoffered", "not offered", "OFFERED", "Not_Offered"]
    answers = write(tmp_path / "zendesk.csv", ["ticket,touchpoint,metric,score", "101,report-missing-items,CSAT,Good",
                                               *(f"{102 + k},report-missing-items,CSAT,{word}" for k, word in enumerate(offered)),
                                               "120,report-missing-items,CSAT,Bad", "121,report-missing-items,CSAT,Good"])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)]) == 0
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["col"], p["level"], p["code"], p["message"]) for p in data["problems"] if p["code"] != "unknown-column"]
    assert told == [
        (2, 31, "warning", "good-bad-rating", "a Good/Bad rating (Zendesk's satisfaction rating) for 'report-missing-items'"
         " is read as a CSAT answer, Good as satisfied (5) and Bad as dissatisfied (1): their CSAT is the share of Good"
         " among the rated answers (3 rows: lines 2, 9, 10)"),
        (3, 31, "warning", "blank-score", "the score marks a satisfaction survey offered and not answered (Zendesk's"
         " 'Offered', 'Unoffered', 'Not Offered'); the row is not counted (6 rows: lines 3, 4, 5, 6, 7, ...)"),
    ]
    csat = {t["id"]: t["metrics"] for t in data["touchpoints"]}["report-missing-items"]["csat"]
    assert (round(csat["value"], 4), csat["n"]) == (0.6667, 3)


def test_a_medallia_osat_column_is_told_to_be_read_as_the_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Medallia export's OSAT column was "not one journeymap reads", with the list of journeymap's columns."""
    answers = write(tmp_path / "medallia.csv", ["Response ID,touchpoint,metric,OSAT", "1,report-missing-items,osat,4"])
    main(["report", str(SAMPLE), "--format", "json", "--responses", str(answers)])
    missing = next(p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column")
    assert missing["hint"] == ("read them with --responses-column score=OSAT --responses-column 'respondent=Response ID',"
                               " or rename 'OSAT' to 'score', 'Response ID' to 'respondent'")


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_file_cut_short_in_its_last_row_is_an_error_and_the_cut_row_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A download or a copy interrupted leaves a file that ends mid-row: 'rate-first-order,nps,1' where the answer was
    10. It was read as a row that ends early (a short-row warning), the 1 counted as a detractor: NPS -100 for one
    promoter's answer. With no line end after it, fewer cells than every other row has, it is now an error at the
    cut, and the row is not read; the same row ended by a line end is a row that ends early, as before."""
    rows = ["touchpoint,metric,score,respondent,date", "rate-first-order,nps,9,r1,2026-01-05", "rate-first-order,nps,10,r2,2026-01-06",
            "rate-first-order,nps,1"]
    cut = tmp_path / "cut.csv"
    cut.write_text("\n".join(rows), encoding="utf-8")
    table = tmp_path / "m.csv"
    table.write_text("touchpoint,metric,value,n,period\nchoose-delivery-slot,csat,80%,100,2026-01\nchoose-delivery-slot,csat,7",
                     encoding="utf-8")
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(cut), "--metrics", str(table)]) == 1
    data = json.loads(capsys.readouterr().out)
    told = sorted((Path(p["file"]).name, p["line"], p["col"], p["code"], p["message"]) for p in data["problems"]
                  if p["code"] != "data-clash")
    assert told == [
        ("cut.csv", 4, 23, "cut-short", "the file ends in the middle of line 4: it has 3 of the header's 5 cells and no line"
         " end, as a file cut short (a download or a copy interrupted) ends; the row is not read, and rows after it may be"
         " missing"),
        ("m.csv", 3, 28, "cut-short", "the file ends in the middle of line 3: it has 3 of the header's 5 cells and no line end,"
         " as a file cut short (a download or a copy interrupted) ends; the row is not read, and rows after it may be"
         " missing"),
    ]
    metrics = {t["id"]: t["metrics"] for t in data["touchpoints"]}
    assert (metrics["rate-first-order"]["nps"]["value"], metrics["rate-first-order"]["nps"]["n"]) == (100.0, 2)
    assert metrics["choose-delivery-slot"]["csat"]["value"] == 0.8
    cut.write_text("\n".join(rows) + "\n", encoding="utf-8")  # ended: a row that ends early, read
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(cut)])
    data = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in data["problems"] if p["code"] != "data-clash"] == ["short-row"]
    assert next(t for t in data["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]["n"] == 3


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_hand_edited_last_row_whose_cells_are_whole_is_not_cut_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A last row typed by hand, without its trailing empty cells (no comment) and without a final line end, was a
    cut-short error and the answer was not read. A short last row whose last cell is a whole value — a date that reads,
    a score that no digit more would keep on its scale (a CSAT 4, an NPS 7 or 0) — is read, as a row that ends early;
    one whose last cell may go on (an NPS 1 of a 10, a date cut to '2026-04-0') is still cut short."""
    header = "touchpoint,metric,score,date,comment"
    cases = {
        "dated.csv": [header, "rate-first-order,nps,9,2026-04-01,fine", "rate-first-order,nps,7,2026-04-02"],
        "csat.csv": [header, "choose-delivery-slot,csat,5,2026-04-01,quick", "choose-delivery-slot,csat,4"],
        "zero.csv": [header, "apply-welcome-voucher,nps,9,2026-04-01,ok", "apply-welcome-voucher,nps,0"],
        "one.csv": [header, "rate-first-order,nps,9,2026-04-01,ok", "rate-first-order,nps,1"],
        "day.csv": [header, "rate-first-order,nps,9,2026-04-01,ok", "rate-first-order,nps,8,2026-04-0"],
    }
    paths = []
    for name, rows in cases.items():
        (path := tmp_path / name).write_text("\n".join(rows), encoding="utf-8")
        paths += ["--responses", str(path)]
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, *paths])
    data = json.loads(capsys.readouterr().out)
    told = sorted((Path(p["file"]).name, p["line"], p["code"]) for p in data["problems"] if p["code"] != "data-clash")
    assert told == [("csat.csv", 3, "short-row"), ("dated.csv", 3, "short-row"), ("day.csv", 3, "cut-short"),
                    ("one.csv", 3, "cut-short"), ("zero.csv", 3, "short-row")]
    metrics = {t["id"]: t["metrics"] for t in data["touchpoints"]}
    assert metrics["rate-first-order"]["nps"]["n"] == 4  # dated.csv's two, one.csv's and day.csv's first
    assert metrics["choose-delivery-slot"]["csat"]["n"] == 2
    assert metrics["apply-welcome-voucher"]["nps"]["n"] == 2


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_google_forms_timestamp_column_is_one_warning_with_its_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Google Forms' Timestamp writes '2026/04/01 1:15:32 PM GMT+2', year first with slashes: each row was a warning of
    its own ("'2026/04/01 1:15:32 PM GMT+2' is not a date"), 40 answers 40 warnings, then one for the column. No
    locale writes year, day, month: the column is read, each answer in its UTC day's month; a day that does not exist
    is still told on its own, and another year-first form ('2026.4.1') is one warning for the column."""
    rows = [f"2026/04/{1 + i % 28:02d} {1 + i % 12}:15:32 {'AM' if i % 2 else 'PM'} GMT+2,rate-first-order,nps,{i % 11}"
            for i in range(40)]
    answers = write(tmp_path / "form.csv", ["Timestamp,touchpoint,metric,score", *rows, "2026/02/30 1:00:00 PM GMT+2,rate-first-order,nps,9"])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,date", "choose-delivery-slot,csat,80%,100,2026.4.1",
                                       "choose-delivery-slot,csat,70%,100,2026.4.2"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--period", "month", "--responses", str(answers),
          "--responses-column", "date=Timestamp", "--metrics", str(table)])
    data = json.loads(capsys.readouterr().out)
    told = sorted((Path(p["file"]).name, p["line"], p["message"], p["hint"]) for p in data["problems"] if p["code"] == "invalid-date")
    iso = "write dates as YYYY-MM-DD (ISO 8601)"
    assert told == [
        ("form.csv", 42, "'2026/02/30 1:00:00 PM GMT+2' is not a date", iso),
        ("m.csv", 2, "a date written year.month.day is not read; the row is left out (2 rows: lines 2, 3)",
         f"{iso}; '2026.4.1' is 2026-04-01"),
    ]
    nps = next(t for t in data["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]
    assert [(p["period"], p["n"]) for p in nps["series"]] == [("2026-04", 40)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_column_of_dates_with_month_names_is_one_warning_with_its_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """An app store's reviews or a CRM's report write 'Apr 1, 2026 3:15 PM': each row was a warning of its own, quoting
    its cell, 30 answers 30 warnings, then one for the column, every answer in no period. A date written with its month's
    name is read (it cannot be ambiguous); one that is no day is told on its own, with why."""
    rows = [f'"Apr {1 + i % 28}, 2026 {1 + i % 12}:15 PM",rate-first-order,nps,{i % 11}' for i in range(30)]
    answers = write(tmp_path / "reviews.csv", ["Date,touchpoint,metric,score", *rows, "14 April 2026,rate-first-order,nps,9",
                                               '"Apr 31, 2026",rate-first-order,nps,9'])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--period", "month", "--responses", str(answers),
          "--responses-column", "date=Date"])
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["message"], p["hint"]) for p in data["problems"] if p["code"] == "invalid-date"]
    iso = "write dates as YYYY-MM-DD (ISO 8601)"
    assert told == [(33, "'Apr 31, 2026' is not a date", f"{iso}; there is no day 31 in 2026-04: it has days 01 to 30")]
    nps = next(t for t in data["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]
    assert [(p["period"], p["n"]) for p in nps["series"]] == [("2026-04", 31)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_column_not_read_named_twice_is_a_warning_and_the_file_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A Google Form asking 'Anything else?' in two sections exports two columns of that name: the header was an error
    (duplicate-column) and none of the file's answers were read, for a column journeymap does not read at all. Such a
    column named twice is a warning now, and the answers are read; a column journeymap reads, named twice, is still an
    error, which says what to do."""
    answers = write(tmp_path / "form.csv", ["touchpoint,metric,score,Anything else?,Anything else?",
                                            "choose-delivery-slot,csat,4,no,", "choose-delivery-slot,csat,2,,late"])
    twice = write(tmp_path / "twice.csv", ["touchpoint,metric,score,comment,Comment", "choose-delivery-slot,csat,4,a,b"])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["col"], p["level"], p["message"], p["hint"]) for p in data["problems"] if p["code"] == "duplicate-column"] == [
        (1, 40, "warning", "column 'Anything else?' appears twice in the header; it is not one journeymap reads, so neither"
         " is read", "two questions of a form with one title (Google Forms, Excel) are two columns of one name: name them"
         " apart to read one with an option")]
    assert next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]["n"] == 2
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(twice)]) == 1
    assert [(p["level"], p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]
            if p["code"] == "duplicate-column"] == [
        ("error", "column 'Comment' appears twice in the header", "which of the two to read cannot be told: rename the other"
         " one, or leave it out")]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_good_among_a_verbal_scales_words_is_not_read_as_satisfied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """An export of choice texts writes a CSAT's 1..5 as 'Poor, Fair, Good, Very good, Excellent': once Zendesk's Good/Bad
    were read, its Good answers (the scale's middle) counted as satisfied while the other words were errors, a CSAT of
    100% from a fifth of the answers. Good or Bad among other words is now an another-scale error, and no CSAT is
    computed there; Good/Bad ratings alone at another touchpoint are still read."""
    words = ["Poor", "Fair", "Good", "Very good", "Excellent"]
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score", *(f"choose-delivery-slot,csat,{words[i % 5]}" for i in range(25)),
                                         *(f"report-missing-items,csat,{['Good', 'Bad'][i % 2]}" for i in range(6))])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)]) == 1
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["code"], p["message"]) for p in data["problems"] if p["code"] in ("another-scale", "good-bad-rating")]
    assert told == [
        (2, "another-scale", "the CSAT answers for 'choose-delivery-slot' are words: 5 of Good or Bad among 20 of others"
         " ('Excellent', 'Fair', 'Poor', 'Very good'), a verbal scale's, where Good is not surely satisfied (Poor, Fair, Good,"
         " Very good, Excellent), so no CSAT is computed for 'choose-delivery-slot'"),
        (27, "good-bad-rating", "a Good/Bad rating (Zendesk's satisfaction rating) for 'report-missing-items' is read as a"
         " CSAT answer, Good as satisfied (5) and Bad as dissatisfied (1): their CSAT is the share of Good among the rated"
         " answers (6 rows: lines 27, 28, 29, 30, 31, ...)"),
    ]
    metrics = {t["id"]: t["metrics"] for t in data["touchpoints"]}
    assert metrics["choose-delivery-slot"]["csat"]["source"] == "journey"
    assert (metrics["report-missing-items"]["csat"]["value"], metrics["report-missing-items"]["csat"]["n"]) == (0.5, 6)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_comment_of_html_markup_alone_is_no_comment(tmp_path: Path, engine: str) -> None:
    """A web form or a helpdesk exports an empty answer as '<p></p>', '<br>' or '&nbsp;': each was a comment (after
    decoding, nothing to read) of sentiment 0, counted in the comments and lowering the mean. It is now nothing visible,
    as a cell of invisible characters is: one missing-comment warning, and the verbatims are those of the other
    comments."""
    empty = ["<p></p>", "&nbsp;", "<br/>", "<p>&nbsp;</p>", "<P> <BR> </P>"]
    said = ["Great, quick slot", "The driver was late and rude"]
    marked = write(tmp_path / "a.csv", ["touchpoint,metric,score,comment", *(f'choose-delivery-slot,csat,3,"{t}"' for t in empty + said)])
    plain = write(tmp_path / "b.csv", ["touchpoint,metric,score,comment", *(f'choose-delivery-slot,csat,3,"{t}"' for t in said)])
    got = load_metric_data(load(SAMPLE), responses=marked, engine=engine)
    want = load_metric_data(load(SAMPLE), responses=plain, engine=engine)
    g, w = got.verbatims["choose-delivery-slot"], want.verbatims["choose-delivery-slot"]
    assert (g.comments, g.sentiment, g.phrases, [(q.text, q.sentiment) for q in g.quotes]) == (
        w.comments, w.sentiment, w.phrases, [(q.text, q.sentiment) for q in w.quotes])
    assert g.comments == 2
    assert [(p.code, p.span.line, p.message.split(" hold")[0]) for p in got.problems] == [("missing-comment", 2, "5 comment cells")]
    # an image's tag shows something: a comment of one is what its writer typed (a probe of the form), a comment
    typed = write(tmp_path / "c.csv", ["touchpoint,metric,score,comment", 'choose-delivery-slot,csat,3,"<img src=x onerror=alert(1)>"'])
    v = load_metric_data(load(SAMPLE), responses=typed, engine=engine).verbatims["choose-delivery-slot"]
    assert v.comments == 1 and [q.text for q in v.quotes] == ["<img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_excels_subtotal_rows_are_summary_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """Excel's Data > Subtotal writes a row below each group, named after it: 'choose-delivery-slot Total' (German
    '... Ergebnis', French 'Total ...'). Each was three errors, an unknown touchpoint 'choose-delivery-slot Total' told
    "did you mean 'choose-delivery-slot'?", an empty metric, an empty value. They are summary rows now, between the
    rows or ending the file."""
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,period", "choose-delivery-slot,csat,71%,120,2026-01",
                                       "choose-delivery-slot,csat,75%,130,2026-02", "choose-delivery-slot Total,,,250,",
                                       "apply-welcome-voucher,csat,60%,100,2026-01", "apply-welcome-voucher Ergebnis,,,100,",
                                       "rate-first-order,csat,90%,50,2026-01", "Total rate-first-order,,,50,", "Grand Total,,,400,"])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table)]) == 0
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["code"], p["message"].split(" (")[0]) for p in data["problems"] if p["code"] != "data-clash"]
    assert told == [(4, "summary-rows", "line 4 between rows"), (6, "summary-rows", "line 6 between rows"),
                    (8, "summary-rows", "lines 8-9 below the last row")]
    metrics = {t["id"]: t["metrics"] for t in data["touchpoints"]}
    assert [(p["period"], p["n"]) for p in metrics["choose-delivery-slot"]["csat"]["series"]] == [("2026-01", 120), ("2026-02", 130)]
    assert (metrics["apply-welcome-voucher"]["csat"]["n"], metrics["rate-first-order"]["csat"]["n"]) == (100, 50)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_intercoms_conversation_ratings_are_read_on_its_scale_in_a_column_of_them_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Intercom exports its conversation ratings as words: 'Terrible', 'Bad', 'OK', 'Great', 'Amazing' (its faces 1 to
    5). Each was an error ("write a whole number 1..5") and no CSAT was computed; its 'Bad' was read as Zendesk's
    dissatisfied and withdrawn as a verbal scale's. A column whose CSAT answers are all these five words (blanks aside)
    is read on Intercom's scale, with one warning; in a column that mixes them with numbers, or with another word (a
    typo), each stays an error, with the number to write or a did-you-mean."""
    intercom = write(tmp_path / "intercom.csv", [
        "Conversation ID,touchpoint,metric,score,Remark",
        "1,report-missing-items,csat,Amazing,Quick refund", "2,report-missing-items,csat,Great,",
        "3,report-missing-items,csat,OK,", "4,report-missing-items,csat,Bad,", "5,report-missing-items,csat,Terrible,",
        "6,report-missing-items,csat,amazing,", "7,report-missing-items,csat,,", "8,rate-first-order,CSAT, great ,"])
    mixed = write(tmp_path / "mixed.csv", ["touchpoint,metric,score", "choose-delivery-slot,csat,Great",
                                           "choose-delivery-slot,csat,4", "choose-delivery-slot,csat,Amazng"])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(intercom),
                 "--responses", str(mixed)]) == 1
    data = json.loads(capsys.readouterr().out)
    told = [(Path(p["file"]).name, p["line"], p["col"], p["code"], p["level"], p["message"], p["hint"]) for p in data["problems"]
            if p["code"] not in ("data-clash", "unknown-column")]
    assert told == [
        ("intercom.csv", 2, 29, "intercom-rating", "warning", "the CSAT answers are Intercom's conversation ratings, read on its"
         " 1..5 scale: Terrible 1, Bad 2, OK 3, Great 4, Amazing 5 (7 rows: lines 2, 3, 4, 5, 6, ...)",
         "nothing to do; a CSAT of them is the share of Great and Amazing, as of 4 and 5 (export the ratings as their numbers"
         " 1..5 to leave this out)"),
        ("intercom.csv", 8, 29, "blank-score", "warning", "the score is blank (a skipped question); the row is not counted", None),
        ("mixed.csv", 2, 27, "score", "error", "CSAT score 'Great' is not a number",
         "Intercom's conversation ratings are read in a column of them alone, and this one holds other answers: 'Great' is 4"
         " on its 1..5 scale (1 Terrible, 2 Bad, 3 OK, 4 Great, 5 Amazing): write 4"),
        ("mixed.csv", 4, 27, "score", "error", "CSAT score 'Amazng' is not a number",
         "write a whole number 1..5 (did you mean 'Amazing', Intercom's 5?)"),
    ]
    metrics = {t["id"]: t["metrics"] for t in data["touchpoints"]}
    assert (metrics["report-missing-items"]["csat"]["value"], metrics["report-missing-items"]["csat"]["n"]) == (0.5, 6)
    assert (metrics["rate-first-order"]["csat"]["value"], metrics["rate-first-order"]["csat"]["n"]) == (1.0, 1)
    assert (metrics["choose-delivery-slot"]["csat"]["value"], metrics["choose-delivery-slot"]["csat"]["n"]) == (1.0, 1)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_hotjars_feedback_words_are_read_on_its_scale_in_a_column_of_them_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Hotjar's feedback widget (and other emoji scales) exports its ratings as words: 'Hate', 'Dislike', 'Neutral',
    'Like', 'Love' (1 to 5). Each was an error with the number to write, and no CSAT was computed. A column whose CSAT
    answers are all these words (blanks aside) is read on that scale with one warning naming the mapping; a column that
    mixes them with numbers keeps an error per such answer."""
    hotjar = write(tmp_path / "hotjar.csv", [
        "Date submitted,touchpoint,metric,score,Message",
        "1,report-missing-items,csat,Love,Quick refund", "2,report-missing-items,csat,Like,",
        "3,report-missing-items,csat,Neutral,", "4,report-missing-items,csat,Dislike,", "5,report-missing-items,csat,hate,",
        "6,report-missing-items,csat,LOVE,", "7,report-missing-items,csat,,"])
    mixed = write(tmp_path / "mixed.csv", ["touchpoint,metric,score", "choose-delivery-slot,csat,Love",
                                           "choose-delivery-slot,csat,4"])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(hotjar),
                 "--responses", str(mixed)]) == 1
    data = json.loads(capsys.readouterr().out)
    told = [(Path(p["file"]).name, p["line"], p["col"], p["code"], p["level"], p["message"], p["hint"]) for p in data["problems"]
            if p["code"] not in ("data-clash", "unknown-column")]
    assert told == [
        ("hotjar.csv", 2, 29, "emoji-rating", "warning", "the CSAT answers are Hotjar's feedback ratings (an emoji scale's"
         " words), read on its 1..5 scale: Hate 1, Dislike 2, Neutral 3, Like 4, Love 5 (6 rows: lines 2, 3, 4, 5, 6, ...)",
         "nothing to do; a CSAT of them is the share of Like and Love, as of 4 and 5 (export the ratings as their numbers"
         " 1..5 to leave this out)"),
        ("hotjar.csv", 8, 29, "blank-score", "warning", "the score is blank (a skipped question); the row is not counted", None),
        ("mixed.csv", 2, 27, "score", "error", "CSAT score 'Love' is not a number",
         "Hotjar's feedback ratings are read in a column of them alone, and this one holds other answers: 'Love' is 5 on"
         " its 1..5 scale (1 Hate, 2 Dislike, 3 Neutral, 4 Like, 5 Love): write 5"),
    ]
    metrics = {t["id"]: t["metrics"] for t in data["touchpoints"]}
    assert (metrics["report-missing-items"]["csat"]["value"], metrics["report-missing-items"]["csat"]["n"]) == (0.5, 6)
    assert (metrics["choose-delivery-slot"]["csat"]["value"], metrics["choose-delivery-slot"]["csat"]["n"]) == (1.0, 1)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_the_date_order_names_the_files_own_date_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A Google Forms or SurveyMonkey export's dates are in its 'Timestamp' column, read with --responses-column
    date=Timestamp: the date-order warning said "the date column's dates", a column the file does not have. It names
    the file's own column, in a metrics table read with --metrics-column too, and in the error of both orders."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,Timestamp", "choose-delivery-slot,csat,4,04/13/2026 10:15:32 AM",
                                         "choose-delivery-slot,csat,5,04/02/2026 10:15:32 AM"])
    both = write(tmp_path / "b.csv", ["touchpoint,metric,score,Submitted", "choose-delivery-slot,csat,4,04/13/2026",
                                      "choose-delivery-slot,csat,5,13/04/2026"])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n,Day", "rate-first-order,csat,71%,100,13/04/2026"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--period", "month", "--responses", str(answers),
          "--responses-column", "date=Timestamp", "--metrics", str(table), "--metrics-column", "date=Day"])
    told = [(Path(p["file"]).name, p["message"].split(" with slashes")[0]) for p in json.loads(capsys.readouterr().out)["problems"]
            if p["code"] == "date-order"]
    assert told == [("a.csv", "the 'Timestamp' column's dates"), ("m.csv", "the 'Day' column's dates")]
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(both),
          "--responses-column", "date=Submitted"])
    told = [(p["line"], p["level"], p["message"].split(" with slashes")[0]) for p in json.loads(capsys.readouterr().out)["problems"]
            if p["code"] == "date-order"]
    assert told == [(2, "error", "the 'Submitted' column's dates")]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_segment_column_of_devices_is_one_warning_naming_a_few_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """An app survey's export has a 'segment' column of the device or channel answered on ('iOS', 'Android', 'web'):
    each distinct value was an unknown-persona warning of its own, five lines in the report for one column that names
    no persona. It is one warning for the column, naming the first few values and how many there are, at the line of
    the first; a value that may be a persona's typo keeps its own warning with its guess."""
    devices = ["iOS", "Android", "web", "Web", "ipad", "Windows"]
    answers = write(tmp_path / "app.csv", ["touchpoint,metric,score,segment",
                                           *(f"choose-delivery-slot,csat,{1 + i % 5},{devices[i % 6]}" for i in range(60)),
                                           "choose-delivery-slot,csat,4,busy-parent", "choose-delivery-slot,csat,4,parent",
                                           "choose-delivery-slot,csat,4,"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)])
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["col"], p["level"], p["message"], p["hint"]) for p in data["problems"] if p["code"] == "unknown-persona"]
    assert told == [
        (2, 29, "warning", "the segment column's values 'iOS', 'Android', 'web', 'Web' and 2 more (6 values) are no persona of"
         " the journey: their rows count for everyone but for no persona (60 rows: lines 2, 3, 4, 5, 6, ...)",
         "a column of devices, channels or plans is no persona's: leave it out of the file, or write persona ids in it"
         " (personas: first-time-customer, digital-native, assisted-customer, busy-parent, wfh-professional,"
         " student-flatshare)"),
        (63, 29, "warning", "unknown persona 'parent': the row counts for everyone but for no persona",
         "did you mean 'busy-parent'?"),
    ]
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert slot["metrics"]["csat"]["n"] == 63


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_answers_of_another_scale_and_of_a_verbal_scale_at_one_touchpoint_are_two_errors_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Two exports joined for one touchpoint, a 0..10 satisfaction question (mostly 6 to 10) and a verbal scale's words
    ('Poor', 'Good', 'Excellent'), are of another scale twice over: the report stopped with a KeyError (the CSAT was
    left out once for each reason). Each is told, and no CSAT is computed there."""
    answers = write(tmp_path / "joined.csv", ["touchpoint,metric,score",
                                              *(f"report-missing-items,csat,{6 + i % 5}" for i in range(15)),
                                              *(f"report-missing-items,csat,{w}" for w in ["Poor", "Good", "Excellent", "Good", "Fair"])])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)]) == 1
    data = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["message"].split(", so")[0]) for p in data["problems"] if p["code"] == "another-scale"]
    assert told == [
        (2, "15 of the 17 CSAT answers for 'report-missing-items' are off the 1..5 answer scale: the 2 on it are likely of"
            " the same other scale"),
        (17, "the CSAT answers for 'report-missing-items' are words: 2 of Good or Bad among 3 of others ('Excellent', 'Fair',"
            " 'Poor'), a verbal scale's, where Good is not surely satisfied (Poor, Fair, Good, Very good, Excellent)"),
    ]
    metrics = {t["id"]: t["metrics"] for t in data["touchpoints"]}
    assert metrics["report-missing-items"]["csat"]["source"] == "journey"


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_file_saved_by_excel_for_mac_as_csv_macintosh_is_told_its_encoding_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Excel for Mac's 'CSV (Macintosh)' writes Mac Roman, its lines ended by a carriage return alone: the error was
    placed at line 1 (lines were counted by their line feeds, and there are none) and its hint converted from cp1252,
    which makes Mac Roman's 'ö' (0x9a) an 's' with a caron in every comment. It is at the byte's line and column, and
    the hint converts from Mac Roman."""
    answers = tmp_path / "mac.csv"
    answers.write_bytes("touchpoint,metric,score,comment\rrate-first-order,csat,4,Sch\u00f6n\r".encode("mac_roman"))
    table = tmp_path / "m.csv"
    table.write_bytes("touchpoint,metric,value,n\rrate-first-order,csat,71%,120\rchoose-delivery-slot,csat,70%,40 (Z\u00fcrich)\r"
                      .encode("mac_roman"))
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)]) == 1
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table)]) == 1
    told = [(Path(p["file"]).name, p["line"], p["col"], p["message"], p["hint"]) for out in capsys.readouterr().out.split("\n{")
            for p in json.loads(out if out.startswith("{") else "{" + out)["problems"] if p["code"] == "encoding"]
    hint = ("save it as UTF-8 (in Excel: 'CSV UTF-8'); a file saved by Excel for Mac as 'CSV (Macintosh)' (its lines end in a"
            " carriage return alone) is Mac Roman text, and converts with iconv -f MACINTOSH -t UTF-8 FILE > NEW, or is read"
            " as it is with --data-encoding mac-roman (EngineOptions(encoding='mac-roman') in Python)")
    mac = "in Mac Roman, as Excel for Mac saves 'CSV (Macintosh)'"
    assert told == [("mac.csv", 2, 28, f"the file is not UTF-8 (byte 0x9a, which is \u00f6 {mac})", hint),
                    ("m.csv", 3, 36, f"the file is not UTF-8 (byte 0x9f, which is \u00fc {mac})", hint)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_file_saved_as_windows_1252_is_told_which_character_its_byte_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Excel on Windows saves 'CSV' in Windows-1252: a comment's 'It’s' is the byte 0x92. The error said 'byte 0x92',
    which nobody can place, while a journey file's names the character; it now does too, on both survey readers and
    for a metrics table, with the iconv line that converts from Windows-1252 -- and for a row past the file's
    first 64 KiB, which is left out alone."""
    answers = tmp_path / "answers.csv"
    answers.write_bytes("touchpoint,metric,score,comment\nrate-first-order,csat,4,It\u2019s quick\n".encode("cp1252"))
    table = tmp_path / "m.csv"
    table.write_bytes("touchpoint,metric,value,n,period\nrate-first-order,csat,71%,120,2026-04\n"
                      "choose-delivery-slot,csat,70%,40,2026-04 \u201cpeak\u201d\n".encode("cp1252"))
    late = tmp_path / "late.csv"
    late.write_bytes(("touchpoint,metric,score,comment\n" + "rate-first-order,csat,4,fine\n" * 3000
                      + "rate-first-order,csat,5,caf\u00e9\n").encode("cp1252"))
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)]) == 1
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table)]) == 1
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(late)]) == 1
    told = [(Path(p["file"]).name, p["line"], p["col"], p["message"], p["hint"]) for out in capsys.readouterr().out.split("\n{")
            for p in json.loads(out if out.startswith("{") else "{" + out)["problems"] if p["code"] == "encoding"]
    hint = ("save it as UTF-8 (in Excel: 'CSV UTF-8'); a Windows or Latin-1 file converts with iconv -f WINDOWS-1252 -t UTF-8"
            " FILE > NEW, or is read as it is with --data-encoding windows-1252 (EngineOptions(encoding='windows-1252') in Python)")
    saved = "in Windows-1252, as Word, Excel and Notepad on Windows save text"
    assert told == [
        ("answers.csv", 2, 27, f"the file is not UTF-8 (byte 0x92, which is \u2019 {saved})", hint),
        ("m.csv", 3, 42, f"the file is not UTF-8 (byte 0x93, which is \u201c {saved})", hint),
        ("late.csv", 3002, 28, f"this row is not UTF-8 text (byte 0xe9, which is \u00e9 {saved}); it is not read",
         "save the file as UTF-8 (in Excel: 'CSV UTF-8'), or write the row's text again in UTF-8; a Windows or Latin-1"
         " file converts with iconv -f WINDOWS-1252 -t UTF-8 FILE > NEW"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_score_or_an_n_with_an_invisible_character_is_told_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A score pasted from a web page keeps a zero-width space ('4\u200b'), and files joined with 'cat' a byte-order mark
    before a cell ('\ufeff5'): the error read "CSAT score '4' is not a number (write a whole number 1..5)", showing the
    very number it asks for. The hint names the invisible character and the number to write, as a metric value's does;
    in a metrics table's n too."""
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score", "rate-first-order,csat,4\u200b", "rate-first-order,nps,\ufeff9",
                                         "rate-first-order,csat,5"])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,value,n", "choose-delivery-slot,csat,71%,120\u2060"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers), "--metrics", str(table)])
    told = [(Path(p["file"]).name, p["line"], p["code"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]
            if p["level"] == "error"]
    assert told == [
        ("a.csv", 2, "score", "its 2nd character is an invisible ZERO WIDTH SPACE (U+200B): write 4"),
        ("a.csv", 3, "score", "its 1st character is an invisible ZERO WIDTH NO-BREAK SPACE (U+FEFF): write 9"),
        ("m.csv", 2, "invalid-count", "its 4th character is an invisible WORD JOINER (U+2060): write 120"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_an_answer_scale_error_points_at_the_first_answer_of_that_scale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A touchpoint's CSAT answers given in two files, the second of a verbal scale's words (or of 0..10): the
    another-scale error pointed at the touchpoint's first answer, line 2 of the first file, a plain '4' that is no
    word. It points at the first word, and the first answer off the scale, where the other scale shows."""
    plain = write(tmp_path / "a.csv", ["touchpoint,metric,score", "report-missing-items,csat,4", "rate-first-order,csat,5",
                                       "rate-first-order,csat,4"])
    words = write(tmp_path / "b.csv", ["touchpoint,metric,score", "rate-first-order,csat,3",
                                       *(f"report-missing-items,csat,{w}" for w in ["Poor", "Good", "Excellent", "Fair"]),
                                       *(f"rate-first-order,csat,{6 + i % 5}" for i in range(12))])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(plain), "--responses", str(words)])
    told = [(Path(p["file"]).name, p["line"], p["message"].split(" for ")[0]) for p in json.loads(capsys.readouterr().out)["problems"]
            if p["code"] == "another-scale"]
    assert told == [("b.csv", 3, "the CSAT answers"), ("b.csv", 7, "12 of the 15 CSAT answers")]
    # the files in the other order, the first file's first word (not the first file name's)
    more = write(tmp_path / "0.csv", ["touchpoint,metric,score", "report-missing-items,csat,Fair", "rate-first-order,csat,0"])
    main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(words), "--responses", str(more)])
    told = [(Path(p["file"]).name, p["line"]) for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "another-scale"]
    assert told == [("b.csv", 3), ("b.csv", 7)]


#: What Python 3.10's datetime.fromisoformat reads (journeymap supports 3.10): a time's fraction in 3 or 6 digits, an
#: offset with its colon. 3.11 reads more ('+0200', '+02', '.5', nine digits).
_PY310_ISO = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d{3}|\.\d{6})?)?)?(?:[+-]\d{2}:\d{2}(?::\d{2}(?:\.\d{6})?)?)?)?"


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_moments_read_on_python_3_11_are_read_on_3_10_too(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Snowflake's '2026-09-14 08:31:00.123 -0700' (the README says it is read), Spark's nine-digit fractions and a
    '+02' offset were read by Python 3.11's fromisoformat and were invalid dates on 3.10, which journeymap supports: the
    same file's answers fell in no period there. They are written in the form both read before they are parsed."""
    import re
    from datetime import datetime

    from journeymap.data import responses

    class Strict(datetime):  # 3.10's fromisoformat, on any Python
        @classmethod
        def fromisoformat(cls, text: str) -> Strict:
            if not re.fullmatch(_PY310_ISO, text):
                raise ValueError(f"Invalid isoformat string: {text!r}")
            return super().fromisoformat(text)  # type: ignore[return-value]

    monkeypatch.setattr(responses, "datetime", Strict)
    responses._date.cache_clear()
    responses._label.cache_clear()
    moments = ["2026-04-14 08:31:00.123 -0700", "2026-04-14T08:31:00-0700", "2026-04-14T08:31:00.123456789Z",
               "2026-04-14T08:31:00+02", "2026-04-14 08:31:00.5", "2026-04-14T23:31:00,25-05:00", "2026-04-30T23:30:00-0100"]
    answers = write(tmp_path / "a.csv", ["touchpoint,metric,score,date", *(f'rate-first-order,csat,4,"{m}"' for m in moments)])
    try:
        data = load_metric_data(load(SAMPLE), responses=answers, engine=engine, period="month")
    finally:
        responses._date.cache_clear()
        responses._label.cache_clear()
    assert [str(p) for p in data.problems] == []
    csat = data.get("rate-first-order", "csat")
    assert csat is not None and [(p.period, p.n) for p in csat.series] == [("2026-04", 6), ("2026-05", 1)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_web_page_or_an_xml_error_saved_as_a_csv_is_one_error_saying_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A download whose session had expired saves the tool's sign-in page (or a storage bucket's XML error) under the
    export's name: it was 'no columns touchpoint, metric, score (its header: <!DOCTYPE html>)' with an unknown-column
    warning for '<!DOCTYPE html>', as if the header were misspelt. It is one error saying it is a web page (XML), on
    both readers, for answers and metrics tables alike; a page over 1 MiB, which DuckDB would read, too."""
    page = ('<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Sign in</title></head>\n'
            "<body><form>email,password</form></body>\n</html>\n")
    answers = tmp_path / "answers.csv"
    answers.write_text(page, encoding="utf-8")
    big = tmp_path / "big.csv"
    big.write_bytes(b"\xef\xbb\xbf\n  " + page.replace("<!DOCTYPE", "<!doctype").encode() + b"<p>x</p>\n" * 130_000)
    table = tmp_path / "m.csv"
    table.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code></Error>\n', encoding="utf-8")
    told = []
    for option, path in (("--responses", answers), ("--responses", big), ("--metrics", table)):
        assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, option, str(path)]) == 1
        told += [(Path(p["file"]).name, p["line"], p["col"], p["code"], p["message"], p["hint"])
                 for p in json.loads(capsys.readouterr().out)["problems"]]
    page_hint = ("a download that returned a web page (a sign-in page, when a session expired?), or a report saved as a web"
                 " page: export the {} as CSV")
    assert told == [
        ("answers.csv", 1, 1, "format", "the file is an HTML page, not CSV or Parquet, so none of it is read",
         page_hint.format("answers")),
        ("big.csv", 2, 3, "format", "the file is an HTML page, not CSV or Parquet, so none of it is read",
         page_hint.format("answers")),
        ("m.csv", 1, 1, "format", "the file is XML, not CSV or Parquet, so none of it is read",
         "a download that returned an error (an expired link, a denied access?), or a report saved as XML: export the"
         " table as CSV"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_whole_scores_with_a_decimal_comma_in_a_semicolon_file_are_read_with_one_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """German or French Excel saves a score column formatted with one decimal as '4,0' in its semicolon-separated CSV
    (tab-separated 'Unicode Text' alike): each was a score error ('write the decimal point as a dot: 4.0') and the
    row left out, a CSAT of none of the answers. A whole score written so in a file of semicolons or tabs is read
    as its number, with one decimal-comma warning for the file; '3,5' is no whole answer, and a comma-separated
    file's quoted '4,0' is still an error, as a metrics table's is."""
    rows = ["touchpoint;metric;score;date;comment", "rate-first-order;csat;4,0;2026-04-02;Schnell",
            "rate-first-order;csat;5,0;2026-04-03;", "rate-first-order;csat;2,0;2026-04-03;", "rate-first-order;nps;10,0;2026-04-03;",
            "rate-first-order;csat;3,5;2026-04-04;", "rate-first-order;csat;4;2026-04-04;"]
    answers = write(tmp_path / "de.csv", rows)
    tabs = tmp_path / "unicode.txt"
    tabs.write_bytes(("\ufeff" + "\n".join(r.replace(";", "\t") for r in rows) + "\n").encode("utf-16-le"))
    commas = write(tmp_path / "en.csv", ["touchpoint,metric,score", 'rate-first-order,csat,"4,0"', "rate-first-order,csat,5"])
    for path in (answers, tabs, commas):
        main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(path)])
        data = json.loads(capsys.readouterr().out)
        told = [(p["line"], p["col"], p["code"], p["level"], p["message"], p["hint"]) for p in data["problems"]]
        csat = next(t for t in data["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["csat"]
        if path is commas:
            assert told == [(2, 23, "score", "error", "CSAT score '4,0' is not a number",
                             "write the decimal point as a dot: 4.0 (CSAT answers are whole numbers 1..5)")]
            assert csat["n"] == 1
            continue
        assert told == [
            (2, 23, "decimal-comma", "warning", "the score is written with a decimal comma and no decimals, as Excel"
             " saves a number formatted with decimals in a semicolon- or tab-separated file where a comma is the decimal"
             " mark: it is read as its whole number (4 rows: lines 2, 3, 4, 5)",
             "format the score column as a number without decimals before saving, to write 4"),
            (6, 23, "score", "error", "CSAT score '3,5' is not a number",
             "write the decimal point as a dot: 3.5 (CSAT answers are whole numbers 1..5)"),
        ]
        assert (csat["n"], round(csat["value"], 2)) == (4, 0.75)  # 4, 5, 2 and 4: three of four satisfied


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_delighted_and_typeform_columns_for_the_date_and_the_respondent_are_told_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Delighted's export dates each answer in 'Created' (seconds since 1970, which a date cell reads), and Typeform
    numbers each response in '#': both were among the columns 'not ones journeymap reads', so the answers had no period
    and no trend, and nothing said which column would give them one. Each is told the option that reads it; Typeform's
    'Network ID' (one for everyone behind a network) is no respondent and stays ignored."""
    delighted = write(tmp_path / "delighted.csv", ["touchpoint,metric,Response ID,Email,Score,Comment,Created,Updated",
                                                   "rate-first-order,nps,1,a@example.com,9,Great,1775124000,1775124000"])
    typeform = write(tmp_path / "typeform.csv", ["#,touchpoint,metric,score,Start Date (UTC),Submit Date (UTC),Network ID",
                                                 "a1b2,rate-first-order,csat,4,2026-04-02 10:00:00,2026-04-02 10:03:00,f00ba4"])
    told = []
    for path in (delighted, typeform):
        main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(path)])
        told += [(Path(p["file"]).name, p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    # each at its header cell, left to right
    assert told == [
        ("delighted.csv", "column 'Response ID' is not one journeymap reads; it is ignored",
         "it looks like the respondent column: read it with --responses-column 'respondent=Response ID'"),
        ("delighted.csv", "column 'Email' is not one journeymap reads; it is ignored",
         "known columns: touchpoint, metric, score, respondent, date, period, persona, segment, comment, status"),
        ("delighted.csv", "column 'Created' is not one journeymap reads; it is ignored",
         "it looks like the date column: read it with --responses-column date=Created"),
        ("delighted.csv", "column 'Updated' is not one journeymap reads; it is ignored",
         "it is when each row was last changed, not when the answer was given: the answers' date is 'Created'"),
        ("typeform.csv", "column '#' is not one journeymap reads; it is ignored",
         "it looks like the respondent column: read it with --responses-column 'respondent=#'"),
        ("typeform.csv", "2 columns are not ones journeymap reads; they are ignored: 'Start Date (UTC)', 'Network ID'",
         "known columns: touchpoint, metric, score, respondent, date, period, persona, segment, comment, status"),
        ("typeform.csv", "column 'Submit Date (UTC)' is not one journeymap reads; it is ignored",
         "it looks like the date column: read it with --responses-column 'date=Submit Date (UTC)'"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_column_of_when_a_row_was_last_changed_is_not_told_to_be_the_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Delighted's 'Updated' (beside 'Created') was "did you mean 'date'?" for the letters they share: read so, every
    answer edited later would move to the period of its edit. A column of when a row was last changed ('Updated',
    'Last Modified', 'Date Modified') names the answers' date column when there is one, else says what it may be."""
    beside_date = write(tmp_path / "crm.csv", ["touchpoint,metric,score,date,Last Modified,Date Modified (UTC)",
                                               "rate-first-order,nps,9,2026-04-02,2026-04-03,2026-04-03"])
    alone = write(tmp_path / "alone.csv", ["touchpoint,metric,score,Updated", "rate-first-order,nps,9,2026-04-02"])
    renamed = write(tmp_path / "delighted.csv", ["touchpoint,metric,Score,Created,Updated", "rate-first-order,nps,9,1775124000,1775124000"])
    told = []
    for path, options in ((beside_date, []), (alone, []), (renamed, ["--responses-column", "date=Created"])):
        main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(path), *options])
        told += [(Path(p["file"]).name, p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    changed = "it is when each row was last changed, not when the answer was given: the answers' date is read from"
    assert told == [
        ("crm.csv", "column 'Last Modified' is not one journeymap reads; it is ignored", f"{changed} 'date'"),
        ("crm.csv", "column 'Date Modified (UTC)' is not one journeymap reads; it is ignored", f"{changed} 'date'"),
        ("alone.csv", "column 'Updated' is not one journeymap reads; it is ignored",
         "if it is when each answer was given, read it as the date with --responses-column date=Updated;"
         " an export's 'Updated' is often when a row was last changed"),
        ("delighted.csv", "column 'Updated' is not one journeymap reads; it is ignored", f"{changed} 'Created'"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_file_of_nul_bytes_only_is_one_error_saying_so(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """A copy or a download that never finished leaves a file of NUL bytes (a preallocated 4 KiB, or a whole export's
    size): as an event log it is told so, but as survey answers or a metrics table it was 'no columns touchpoint,
    metric, score (its header: \\x00\\x00\\x00...)' and an unknown column of NULs. It is the same one error, on both
    readers; NULs after rows stay a padding warning."""
    answers = tmp_path / "answers.csv"
    answers.write_bytes(b"\x00" * 4096)
    big = tmp_path / "big.csv"
    big.write_bytes(b"\x00" * (1 << 20) + b"\r\n")
    table = tmp_path / "m.csv"
    table.write_bytes(b"\x00" * 300)
    told = []
    for option, path in (("--responses", answers), ("--responses", big), ("--metrics", table)):
        assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, option, str(path)]) == 1
        told += [(Path(p["file"]).name, p["line"], p["col"], p["code"], p["message"], p["hint"])
                 for p in json.loads(capsys.readouterr().out)["problems"]]
    said = ("encoding", "the file is NUL bytes (zeros) only, not text: a write or a copy that never finished leaves such a file",
            "copy or export the file again")
    assert told == [("answers.csv", 1, 1, *said), ("big.csv", 1, 1, *said), ("m.csv", 1, 1, *said)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_column_named_with_a_note_or_a_line_break_is_told_the_option_that_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A header cell with its scale or a note after the name ('score (0-10)', 'Comment (optional)'), or typed with
    Alt+Enter before the note ('Score' and '(0-10)' on two lines of the cell), was told only 'the header must name the
    columns touchpoint, metric, score, ...'. Each is told the option that reads it; a name with a line break is
    written in bash's $'...' (the hint had the line break itself, splitting the report's line), and that option
    reads the file."""
    noted = write(tmp_path / "noted.csv", ["touchpoint,metric,score (0-10),Comment (optional)", "rate-first-order,nps,9,Quick"])
    broken = tmp_path / "broken.csv"
    broken.write_text('touchpoint,metric,"Score\r\n(0-10)"\r\nrate-first-order,nps,9\r\nrate-first-order,nps,10\r\n', encoding="utf-8")
    told = []
    for path in (noted, broken):
        assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(path)]) == 1
        told += [(p["file"] and Path(p["file"]).name, p["code"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    # the comment's column is read by the error's command line too, and not told again (the file is not read)
    assert told == [
        ("noted.csv", "missing-column", "read them with --responses-column 'score=score (0-10)' --responses-column"
         " 'comment=Comment (optional)', or rename 'score (0-10)' to 'score', 'Comment (optional)' to 'comment'"),
        ("broken.csv", "missing-column",
         "read it with --responses-column $'score=Score\\r\\n(0-10)', or rename 'Score\\r\\n(0-10)' to 'score'"),
    ]
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(broken),
                 "--responses-column", "score=Score\r\n(0-10)"]) == 0
    nps = next(t for t in json.loads(capsys.readouterr().out)["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]
    assert (nps["value"], nps["n"]) == (100, 2)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_rich_text_and_excels_xml_spreadsheet_saved_as_a_csv_are_told_what_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A CSV edited in TextEdit and saved as rich text ('{\\rtf1\\ansi...' before the rows) was 'no columns touchpoint,
    metric, score (its header: {\\rtf1\\ansi\\ansicpg1252...)'; Excel's 'XML Spreadsheet 2003' was told as a download's XML
    error. Each says what it is and how to save it as CSV, on both readers."""
    rtf = tmp_path / "answers.csv"
    rtf.write_text("{\\rtf1\\ansi\\ansicpg1252\\cocoartf2639\n\\f0\\fs24 \\cf0 touchpoint,metric,score\\\nrate-first-order,csat,4}\n",
                   encoding="utf-8")
    sheet = tmp_path / "m.csv"
    sheet.write_text('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                     '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">\n</Workbook>\n', encoding="utf-8")
    told = []
    for option, path in (("--responses", rtf), ("--metrics", sheet)):
        assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, option, str(path)]) == 1
        told += [(Path(p["file"]).name, p["line"], p["code"], p["message"], p["hint"])
                 for p in json.loads(capsys.readouterr().out)["problems"]]
    assert told == [
        ("answers.csv", 1, "format", "the file is rich text (RTF), as TextEdit saves a file it has not made plain text, not CSV"
         " or Parquet, so none of it is read", "in TextEdit, choose Format > Make Plain Text and save it again (or export"
         " the answers as CSV again)"),
        ("m.csv", 1, "format", "the file is Excel's XML Spreadsheet 2003, not CSV or Parquet, so none of it is read",
         "in Excel, save it as 'CSV UTF-8'"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_file_of_blank_lines_or_empty_cells_is_told_what_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A file of blank lines (a script that wrote its line ends and no rows) or of separators only (a sheet's empty rows
    saved as ',,,') was 'the file is empty', which its author, who sees its lines in an editor, cannot square with it.
    It says what it holds; a file of no bytes is still empty."""
    files = {"blank.csv": b"\n \r\n\t\n", "cells.csv": b",,,\r\n,,\r\n, ,\r\n", "empty.csv": b""}
    told = []
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(path)]) == 1
        told += [(Path(p["file"]).name, p["line"], p["code"], p["message"], p["hint"])
                 for p in json.loads(capsys.readouterr().out)["problems"]]
    hint = "the first line names the columns"
    assert told == [
        ("blank.csv", 1, "empty", "the file holds only blank lines (3 lines): no header and no rows", hint),
        ("cells.csv", 1, "empty", "the file holds only empty cells (3 lines of separators): no header and no rows", hint),
        ("empty.csv", 1, "empty", "the file is empty", hint),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_csv_file_named_parquet_is_told_to_be_named_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """A survey export or metrics table saved as CSV under a '.parquet' name (a pipeline's output path kept when the
    format changed) was 'reading Parquet needs pyarrow, which is not installed: use --engine duckdb' at line 0 -- on
    DuckDB too, which had failed to read it -- where an event log's says what the file is. Survey files and metrics
    tables now do too, on both readers."""
    answers = write(tmp_path / "answers.parquet", ["touchpoint,metric,score", "rate-first-order,csat,4"])
    table = write(tmp_path / "m.parquet", ["touchpoint;metric;value", "rate-first-order;csat;0,7"])
    told = []
    for option, path in (("--responses", answers), ("--metrics", table)):
        assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, option, str(path)]) == 1
        told += [(Path(p["file"]).name, p["line"], p["col"], p["code"], p["message"], p["hint"])
                 for p in json.loads(capsys.readouterr().out)["problems"]]
    said = ("format", "the file is CSV text (its first line is a header), not Parquet, so none of it is read",
            "name it .csv to have it read as such")
    assert told == [("answers.parquet", 1, 1, *said), ("m.parquet", 1, 1, *said)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_markdown_table_saved_as_a_csv_is_read_without_its_line_of_dashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A table copied from a wiki, a chat or a README ('| touchpoint | metric | score |' over '|---|---|---|') and saved as
    a CSV: its rows were read, but its line of dashes was an answer -- unknown touchpoint '---' and unknown survey metric
    '---', two errors (exit 1) and nothing said of the format. That line is one markdown-table warning and is skipped,
    for answers and metrics tables, on both readers."""
    answers = write(tmp_path / "answers.csv", ["| touchpoint | metric | score |", "|:---|---|---:|",
                                               "| rate-first-order | csat | 4 |", "| rate-first-order | csat | 5 |"])
    table = write(tmp_path / "m.csv", ["|touchpoint|metric|value|n|", "|--|--|--|--|", "|choose-delivery-slot|csat|0.7|120|"])
    told = []
    for option, path in (("--responses", answers), ("--metrics", table)):
        assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, option, str(path)]) == 0
        out = json.loads(capsys.readouterr().out)
        told += [(Path(p["file"]).name, p["line"], p["code"], p["message"]) for p in out["problems"]]
    said = ("markdown-table", "the file is a Markdown table (as a wiki, a chat or a README writes one): its line of dashes"
            " under the header is no row, and is skipped, and the '|' at each line's ends make two columns without a name")
    assert told == [("answers.csv", 2, *said), ("m.csv", 2, *said)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_missing_column_above_a_comment_of_two_lines_is_told_not_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A review export (Trustpilot's 'Review Stars', a review of two lines in quotes) read without naming its score's
    column: looking below the header for a header under a report's title split each row's raw text as one line, and a
    quoted line break in it was an internal error, exit 3, on both readers, for an answers file and a metrics table alike.
    It is the missing-column error, with the option that reads the column."""
    answers = write(tmp_path / "reviews.csv", [
        "Review Created (UTC),Review Title,Review Content,Review Stars,touchpoint,metric",
        '2026-04-02 10:15:32,Great,"Quick delivery, fresh food",5,doorstep-handover,csat',
        '2026-04-03 10:15:32,Awful,"Half the order missing.', 'No refund yet.",1,doorstep-handover,csat'])
    table = write(tmp_path / "m.csv", ["touchpoint,metric,Value (%),notes", 'choose-delivery-slot,csat,71,"from the', 'panel"'])
    told = []
    for option, path in (("--responses", answers), ("--metrics", table)):
        assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, option, str(path)]) == 1
        told += [(Path(p["file"]).name, p["line"], p["col"], p["code"], p["message"], p["hint"])
                 for p in json.loads(capsys.readouterr().out)["problems"] if p["level"] == "error"]
    assert told == [
        ("reviews.csv", 1, 1, "missing-column", "the responses table has no column 'score' (its header: Review Created (UTC),"
         " Review Title, Review Content, Review Stars, touchpoint, metric)",
         "read them with --responses-column 'score=Review Stars' --responses-column 'date=Review Created (UTC)'"
         " --responses-column 'comment=Review Content', or rename 'Review Stars' to 'score', 'Review Created (UTC)' to"
         " 'date', 'Review Content' to 'comment'"),
        ("m.csv", 1, 1, "missing-column", "the metrics table has no column 'value' (its header: touchpoint, metric, Value (%), notes)",
         "read it with --metrics-column 'value=Value (%)', or rename 'Value (%)' to 'value'"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_nul_bytes_in_the_middle_of_a_file_are_told_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """NUL bytes inside a file, as a write or a copy that never finished leaves a block of them (past the first 64 KiB,
    where DuckDB reads the file itself): a line of NULs alone was 'a survey started and not finished' and a row with
    fewer cells than the header, and NULs run into the next row made it an unknown touchpoint of 59 '\\x00's, the
    touchpoint written after them out of sight. The first is one warning, the row skipped; the second an error naming
    the NULs and the text after them, the row not read."""
    rows = [f"rate-first-order,nps,{i % 11},comment number {i}" for i in range(3000)]
    path = tmp_path / "answers.csv"
    path.write_bytes(("touchpoint,metric,score,comment\n" + "\n".join(rows) + "\n").encode()
                     + b"\x00" * 40 + b"\n" + b"\x00" * 4096 + b"rate-first-order,nps,3,late\nrate-first-order,nps,10,fine\n")
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(path)]) == 1
    out = json.loads(capsys.readouterr().out)
    told = [(p["line"], p["col"], p["level"], p["code"], p["message"], p["hint"]) for p in out["problems"]]
    hint = ("rows may be missing where the NULs are: compare the file with its source, or export it again (tr -d '\\000'"
            " < FILE > NEW.csv writes it without them)")
    assert told == [
        (3002, 1, "warning", "nul-bytes", "the row is 40 NUL bytes (zeros) and nothing else, as a write or a copy that never"
         " finished leaves them: it is skipped", hint),
        (3003, 1, "error", "nul-bytes", "the row starts with 4,096 NUL bytes (zeros), as a write or a copy that never finished"
         " leaves them, before its touchpoint 'rate-first-order': the row is not read", hint),
    ]
    nps = next(t for t in out["touchpoints"] if t["id"] == "rate-first-order")["metrics"]["nps"]
    assert nps["n"] == 3001
    # a metrics table's: the line of NULs was two missing-value errors
    table = tmp_path / "m.csv"
    table.write_bytes(b"touchpoint,metric,value,n\nchoose-delivery-slot,csat,0.7,100\n" + b"\x00" * 6 + b"\n"
                      + b"\x00" * 4 + b"check-postcode,csat,0.5,20\n")
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--metrics", str(table)]) == 1
    told = [(p["line"], p["level"], p["code"], p["message"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    assert told == [
        (3, "warning", "nul-bytes", "the row is 6 NUL bytes (zeros) and nothing else, as a write or a copy that never"
         " finished leaves them: it is skipped"),
        (4, "error", "nul-bytes", "the row starts with 4 NUL bytes (zeros), as a write or a copy that never finished"
         " leaves them, before its touchpoint 'check-postcode': the row is not read"),
    ]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_emoji_faces_are_read_on_a_1_to_5_scale_in_a_column_of_them_alone_and_not_rated_is_no_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Intercom's and Hotjar's ratings exported as the faces they show (😠 🙁 😐 😃 🤩, an emoji keyboard's variants and
    a variation selector too): a file of 300 such answers was 5 errors, each naming the number the face stands for, and
    no CSAT, where the same ratings as words were read. A column whose CSAT answers are all faces (blanks aside) is
    read on that 1..5 scale with one warning; among numbers each face stays an error. Intercom's 'Not rated' (a
    conversation closed without a rating) was an error, 'write a whole number 1..5': it is a skipped question."""
    faces = write(tmp_path / "faces.csv", [
        "touchpoint,metric,score,comment",
        "report-missing-items,csat,\U0001f929,Quick refund", "report-missing-items,csat,\U0001f603,",
        "report-missing-items,csat,\U0001f610,", "report-missing-items,csat,\U0001f641,", "report-missing-items,csat,\U0001f620,",
        "report-missing-items,csat,\u2639\ufe0f,", "report-missing-items,csat,Not rated,"])
    mixed = write(tmp_path / "mixed.csv", ["touchpoint,metric,score", "choose-delivery-slot,csat,\U0001f929",
                                           "choose-delivery-slot,csat,4"])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(faces),
                 "--responses", str(mixed)]) == 1
    data = json.loads(capsys.readouterr().out)
    told = [(Path(p["file"]).name, p["line"], p["col"], p["code"], p["level"], p["message"], p["hint"]) for p in data["problems"]
            if p["code"] != "data-clash"]
    assert told == [
        ("faces.csv", 2, 27, "emoji-rating", "warning", "the CSAT answers are emoji faces, read on a 1..5 scale as Intercom and"
         " Hotjar show their ratings: \U0001f620 1, \U0001f641 2, \U0001f610 3, \U0001f603 4, \U0001f929 5 (6 rows: lines 2,"
         " 3, 4, 5, 6, ...)",
         "nothing to do; a CSAT of them is the share of the two happiest faces, as of 4 and 5 (export the ratings as their"
         " numbers 1..5 to leave this out)"),
        ("faces.csv", 8, 27, "blank-score", "warning", "the score is 'Not rated' (a skipped question); the row is not counted",
         None),
        ("mixed.csv", 2, 27, "score", "error", "CSAT score '\U0001f929' is not a number",
         "emoji faces are read in a column of them alone, and this one holds other answers: '\U0001f929' is 5 on the 1..5"
         " faces (\U0001f620 1, \U0001f641 2, \U0001f610 3, \U0001f603 4, \U0001f929 5, as Intercom rates): write 5"),
    ]
    metrics = {t["id"]: t["metrics"] for t in data["touchpoints"]}
    assert (round(metrics["report-missing-items"]["csat"]["value"], 4), metrics["report-missing-items"]["csat"]["n"]) == (0.3333, 6)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_header_again_with_its_columns_in_another_order_is_told_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Two exports joined with their headers (cat a.csv b.csv), the second's columns in another order: its header was
    an unknown touchpoint 'metric' and an unknown metric 'touchpoint', and nothing said why each row below it was
    wrong. It is an error at that row naming the moved columns, with what to do; the rows below stay errors."""
    answers = write(tmp_path / "joined.csv", ["touchpoint,metric,score", "rate-first-order,nps,9",
                                              "metric,touchpoint,score", "nps,rate-first-order,3"])
    assert main(["report", str(SAMPLE), "--format", "json", "--engine", engine, "--responses", str(answers)]) == 1
    told = [(p["line"], p["col"], p["code"], p["message"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    assert told[0] == (
        3, 1, "export-header", "this row is a header again with its columns in another order ('metric' under touchpoint,"
        " 'touchpoint' under metric): the rows below it, another file's, are read in this file's columns",
        "files joined with their headers need their columns in one order: give each file with its own --responses")
    assert [(line, code) for line, _col, code, _message, _hint in told[1:]] == [(4, "unknown-touchpoint"), (4, "unknown-metric")]
