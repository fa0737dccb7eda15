"""Survey responses through DuckDB give exactly what the row reader gives: values, intervals,
series, verbatims, and every problem with the same message and file:line:col."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.data import MetricData, load_metric_data
from journeymap.data.engines import survey
from journeymap.data.responses import ENGINE_FROM_BYTES, use_engine
from journeymap.loader import load_text
from journeymap.model import Journey

pytest.importorskip("duckdb")

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
HEADER = ["touchpoint", "metric", "score", "respondent", "date", "persona", "comment"]


@pytest.fixture(scope="module")
def journey() -> Journey:
    return load_text(JOURNEY)


def both(journey: Journey, paths: list[Path], period: str | None = None) -> tuple[MetricData, MetricData]:
    by_row = load_metric_data(journey, responses=paths, period=period, engine="python")
    by_duckdb = load_metric_data(journey, responses=paths, period=period, engine="duckdb")
    return by_row, by_duckdb


def engine_read(journey: Journey, paths: list[Path], period: str | None = None) -> bool:
    """Whether DuckDB read these files itself (rather than handing them to the row reader)."""
    try:
        survey.read_responses(paths, journey, period)
    except survey.Fallback:
        return False
    return True


def both_engine_read(journey: Journey, paths: list[Path], period: str | None = None) -> tuple[MetricData, MetricData, bool]:
    """:func:`both`, and whether DuckDB read the files itself in that run (what :func:`engine_read`
    tells, watched on the engine's own call rather than by reading the files a third time)."""
    read: list[bool] = []
    unwatched = survey.read_responses

    def watched(*args: Any, **kwargs: Any) -> Any:
        try:
            answers = unwatched(*args, **kwargs)
        except survey.Fallback:
            read.append(False)
            raise
        read.append(True)
        return answers

    survey.read_responses = watched  # type: ignore[assignment]
    try:
        by_row, by_duckdb = both(journey, paths, period)
    finally:
        survey.read_responses = unwatched  # type: ignore[assignment]
    assert len(read) == 1, read  # the DuckDB run read them once, the row reader's run not at all
    return by_row, by_duckdb, read[0]


def assert_same(a: MetricData, b: MetricData) -> None:
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert a.problems == b.problems
    assert a.points == b.points
    assert a.personas == b.personas
    assert a.verbatims == b.verbatims
    assert a.persona_verbatims == b.persona_verbatims
    assert a == b


def write_rows(path: Path, rows: list[list[str]], header: list[str] = HEADER, blank_every: int = 0) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for i, row in enumerate(rows):
        writer.writerow(row)
        if blank_every and i % blank_every == 0:
            out.write("\n" if i % 2 else " , ,\n")
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


# -- generated files: both paths agree ----------------------------------------------------

cells = {
    "touchpoint": st.sampled_from(["search-faq", "chat-agent", "solved", "chat-agnet", "", " chat-agent ", "Chat-Agent", "SOLVED"]),
    "metric": st.sampled_from(["csat", "nps", "ces", "csat", "nps", "churn", "csta", "", "CSAT", " Nps", "Churn"]),
    "score": st.sampled_from(["1", "2", "3", "4", "5", "0", "9", "10", "7", "11", "", "4.0", "x", " 5 ", "-1"]),
    "respondent": st.sampled_from(["", "r1", "r2", "r3", "r4"]),
    "date": st.sampled_from(["", "2026-04-02", "2026-04-30", "2026-05-01", "2026-07-15T10:00:00Z", "2026-02-30",
                             "yesterday", "2026-06-01 08:00", "2027-01-01", "2026-05-31 23:30:00 UTC",
                             "2026-05-31 20:30:00.5 -0700", "2026-04-02 10:15:32.123", "2026-05-01T23:59", "1970-01-01",
                             "2099-12-31 10:00", "2026-04-30 24:00", "2026-04-02 10:15:32.1", " 2026-04-02",
                             "04/13/2026 9:00 PM", "13/04/2026", "4/1/2026 10:15:32", " 04/01/2026 ", "02/30/2026",
                             "4/1/2026 13:00 PM", "4/13/26 9:14:03 AM", "4/1/45"]),
    "persona": st.sampled_from(["", "new", "regular", "nwe", "\u00a0regular\u3000"]),
    "comment": st.sampled_from(["", "", "", "Great help, thanks", "The wait time was awful", "wait time too long",
                                "Agent was friendly. Wait time long", "x" * 5200, "<script>alert(1)</script>",
                                "line one\nline two", "\x1b[31mred\x1b[0m, \"quoted\"", "  padded comment  "]),
}
row_strategy = st.tuples(*(cells[c] for c in HEADER)).map(list)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    rows=st.lists(row_strategy, min_size=1, max_size=40),
    period=st.sampled_from([None, "month", "week", "quarter"]),
    blank_every=st.sampled_from([0, 0, 3]),
)
def test_generated_files_give_the_same_data_on_both_paths(
    tmp_path_factory: pytest.TempPathFactory, journey: Journey, rows: list[list[str]], period: str | None, blank_every: int
) -> None:
    path = write_rows(tmp_path_factory.mktemp("gen") / "answers.csv", rows, blank_every=blank_every)
    by_row, by_duckdb, read_by_duckdb = both_engine_read(journey, [path], period)
    assert_same(by_row, by_duckdb)
    assert read_by_duckdb  # not handed back to the row reader


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=st.lists(row_strategy, min_size=1, max_size=25), second=st.lists(row_strategy, min_size=1, max_size=25))
def test_several_files_are_pooled_the_same_way(
    tmp_path_factory: pytest.TempPathFactory, journey: Journey, first: list[list[str]], second: list[list[str]]
) -> None:
    folder = tmp_path_factory.mktemp("two")
    paths = [write_rows(folder / "a.csv", first), write_rows(folder / "b.csv", second, HEADER[:3] + ["segment", "respondent", "comment"])]
    # The second file names its persona column 'segment' and has no date.
    rows_b = [[r[0], r[1], r[2], r[5], r[3], r[6]] for r in second]
    write_rows(paths[1], rows_b, ["touchpoint", "metric", "score", "segment", "respondent", "comment"])
    by_row, by_duckdb = both(journey, paths, "month")
    assert_same(by_row, by_duckdb)


def test_a_repeated_mistake_over_many_rows_is_one_problem_with_the_same_lines(tmp_path: Path, journey: Journey) -> None:
    rows = [["chat-agnet" if i % 7 == 0 else "chat-agent", "csat", str(1 + i % 5), f"r{i % 50}", f"2026-0{4 + i % 3}-01",
             "nwe" if i % 11 == 0 else "new", "Wait time" if i % 3 == 0 else ""] for i in range(3000)]
    path = write_rows(tmp_path / "many.csv", rows)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    unknown = [p for p in by_duckdb.problems if p.code == "unknown-touchpoint"]
    assert len(unknown) == 1 and "(429 rows: lines 2, 9, 16, 23, 30, ...)" in unknown[0].message
    assert str(unknown[0].span) == f"{path.name}:2:1" or str(unknown[0].span).endswith(":2:1")
    repeated = [p for p in by_duckdb.problems if p.code == "duplicate-respondent"]
    assert repeated and repeated[0].related  # points at the first answer
    assert engine_read(journey, [path], "month")


# -- broken files: the same clear problems, never a traceback -----------------------------

GOOD = "chat-agent,csat,4,r1,2026-04-02,new,Quick and kind\n"
BROKEN: dict[str, bytes] = {
    "bad dates and scores": (",".join(HEADER) + "\n" + GOOD + "chat-agent,csat,9,r2,2026-13-45,new,\nsearch-faq,nps,11,r3,soon,,\n").encode(),
    "fewer cells than the header": (",".join(HEADER) + "\n" + GOOD + "chat-agent,csat,5\n").encode(),
    "more cells than the header": (",".join(HEADER) + "\n" + GOOD + "chat-agent,csat,5,r9,2026-04-02,new,a,b,c\n").encode(),
    # empty cells past the last column hold nothing: dropped, on both paths; a blank one is a cell
    "empty cells past the last column": (",".join(HEADER) + "\n" + GOOD.replace("\n", ",,\n") + GOOD.replace("\n", ',""\n')
                                         + GOOD.replace("\n", ", \n")).encode(),
    "not UTF-8": (",".join(HEADER) + "\n" + GOOD).encode() + "chat-agent,csat,4,r2,2026-04-03,new,caf\u00e9\n".encode("latin-1"),
    "an Excel workbook": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xee\x9dh^\x01\x00\x00[Content_Types].xml",
    "UTF-16": (",".join(HEADER) + "\n" + GOOD).encode("utf-16"),
    "a byte order mark": b"\xef\xbb\xbf" + (",".join(HEADER) + "\n" + GOOD).encode(),
    "empty": b"",
    "only blanks": b"\n \n\n",
    "header only": (",".join(HEADER) + "\n").encode(),
    "header and blank rows": (",".join(HEADER) + "\n\n,,,,,,\n").encode(),
    "blank first line": ("\n" + ",".join(HEADER) + "\n" + GOOD).encode(),
    "windows line ends": (",".join(HEADER) + "\r\n" + GOOD.replace("\n", "\r\n") * 3).encode(),
    "old mac line ends": (",".join(HEADER) + "\r" + GOOD.replace("\n", "\r") * 3).encode(),
    "commas in a file of tabs": ("\t".join(HEADER) + "\n" + GOOD.replace(",", "\t") + ",,,\n \t\t\n").encode(),
    "a lone carriage return deep in the file": (",".join(HEADER) + "\n" + GOOD * 3000 + "chat-agent,csat,2,r2,2026-04-02,new,a\rb\n" + GOOD).encode(),
    "semicolons": (";".join(HEADER) + "\n" + GOOD.replace(",", ";")).encode(),
    # German Excel's one-decimal score column: whole ones read with one warning, '3,5' and '11,0' still errors
    "decimal-comma scores": (";".join(HEADER) + "\n" + GOOD.replace(",", ";") + "chat-agent;csat;4,0;r7;2026-04-02;new;gut\n"
                             "chat-agent;csat;5,00;r8;2026-05-02;;\nsearch-faq;nps;10,0;r9;2026-04-02;;\n"
                             "chat-agent;csat;3,5;r10;2026-04-02;;\nsearch-faq;nps;11,0;r11;2026-04-02;;\n").encode(),
    # Excel's separator line names the delimiter; the header is line 2
    "Excel's separator line": (b"\xef\xbb\xbfsep=;\r\n" + (";".join(HEADER) + "\r\n" + GOOD.replace(",", ";").replace("\n", "\r\n")
                               + "chat-agnet;csat;9;r2;2026-04-40;new;Gut, danke\r\n").encode()),
    "a separator line and quoted line breaks": ("sep=,\n" + ",".join(HEADER) + "\n" + GOOD
                                                + 'chat-agent,csat,1,r2,2026-04-02,nwe,"first\nsecond, third"\n').encode(),
    "a separator line of tabs": ("sep=\t\n" + "\t".join(HEADER) + "\n" + GOOD.replace(",", "\t") + "search-faq\tnps\t11\t\t\t\t\n").encode(),
    "tabs": ("\t".join(HEADER) + "\n" + GOOD.replace(",", "\t")).encode(),
    "pipes": ("|".join(HEADER) + "\n" + GOOD.replace(",", "|") + 'chat-agent|csat|2|r2|2026-04-03|new|"a|b, c"\n').encode(),
    "missing column": b"touchpoint,metric\nchat-agent,csat\n",
    "misspelt and unknown columns": b"touchpoint,metrc,score,mood\nchat-agent,csat,4,happy\n",
    "duplicate column": b"touchpoint,metric,score,score\nchat-agent,csat,4,5\n",
    "stray quote": (",".join(HEADER) + "\n" + GOOD + 'chat-agent,csat,4,r2,2026-04-02,new,say "hi" now\n').encode(),
    "quoted line breaks": (",".join(HEADER) + "\n" + GOOD + 'chat-agent,csat,1,r2,2026-04-02,nwe,"first\nsecond, third"\nchat-agnet,csat,2,r3,2026-04-02,new,\n').encode(),
    "hostile comment": (",".join(HEADER) + "\n" + GOOD + 'chat-agent,csat,2,r2,2026-04-02,new,"\x1b]8;;http://x\x07<b>hi</b>`rm -rf`"\n').encode(),
    "huge comment": (",".join(HEADER) + "\n" + GOOD + "chat-agent,csat,2,r2,2026-04-02,new," + "w" * 200_000 + "\n").encode(),
    "NUL byte": (",".join(HEADER) + "\n" + GOOD + "chat-agent,csat,2,r2,2026-04-02,new,a\x00b\n").encode(),
    "unicode spaces": (",".join(HEADER) + "\n\u00a0chat-agent\u3000,csat,\u20035,r1,2026-04-02,\u2028new,\u00a0hi\u00a0\n").encode(),
    "only comments": (",".join(HEADER) + "\nchat-agent,,,,2026-04-02,new,Slow reply\nnowhere,,,,2026-04-02,new,Lost\n").encode(),
    "period column": (
        b"touchpoint,metric,score,respondent,period,date,segment,comment\n"
        b"chat-agent,csat,4,r1,2026-Q1,,new,ok\nchat-agent,csat,2,r1,2026-Q2,,new,slow\nchat-agent,csat,5,r1,2026-Q2,2026-05-01,regular,\n"
        b"chat-agent,csat,3,r2,,not a date,new,\nchat-agent,csat,1,r3,,,,\n"
    ),
    "period forms that do not sort as text": (
        b"touchpoint,metric,score,respondent,period,date,persona\n"
        b"chat-agent,csat,4,r1,2026-9,,new\nchat-agent,csat,2,r2,2026-10,,new\nsearch-faq,nps,9,r1,Q4 2025,,\n"
        b"search-faq,nps,3,r2,Q1 2026,,regular\nsearch-faq,nps,7,r3,,2026-05-01,\nsearch-faq,csat,5,r3,2026-Q2,,\n"
    ),
    "quarters, weeks and months spelt another way": (
        b"touchpoint,metric,score,respondent,period,date,persona,comment\n"
        b"chat-agent,csat,5,r1,2026-Q3,,new,fine\nchat-agent,csat,1,r2,Q2-2026,,,slow\nchat-agent,csat,4,r3,2026q1,,,\n"
        b"chat-agent,csat,2,r4,2026 Q1,,new,meh\nchat-agent,csat,3,r5,Q1-26,,,two digits\nchat-agent,,,,FY2026 Q2,,,fiscal\n"
        b"search-faq,csat,4,r1,2026-w5,,,\nsearch-faq,csat,2,r2,2026W10,,,\nsearch-faq,nps,9,r1,2026/3,,,\nsearch-faq,nps,3,r2,10/2026,,,\n"
    ),
    "persona and segment columns": (
        b"touchpoint,metric,score,respondent,segment,persona\nchat-agent,csat,4,r1,UK,new\nchat-agent,csat,2,r2,US,\n"
    ),
    "missing-value marks as comments": (",".join(HEADER) + "\n" + GOOD
                                        + "chat-agent,csat,2,r2,2026-04-02,new,NA\nchat-agent,,,,2026-04-02,regular, n/a \n"
                                        + "search-faq,csat,4,r3,2026-04-02,,NULL\nsearch-faq,csat,4,r4,2026-04-02,,-\n"
                                        + "search-faq,csat,4,r5,2026-04-02,,4\nsearch-faq,,,r6,2026-04-02,, 4.5 \n").encode(),
    "only missing-value marks as comments": (",".join(HEADER) + "\nchat-agent,csat,2,r2,2026-04-02,new,NA\n"
                                             "search-faq,,,,2026-04-02,,#N/A\n").encode(),
    "non-answers as scores and comments": (",".join(HEADER) + "\n" + GOOD
                                           + "chat-agent,csat,Don't know,r2,2026-04-02,new,Not applicable\n"
                                           + "chat-agent,csat,Don\u2019t know,r3,2026-04-02,new,don\u2019t KNOW\n"
                                           + "search-faq,nps,Unoffered,r4,2026-04-02,,Prefer not to say\n"
                                           + "search-faq,nps,Prefer not to say (sic),r5,2026-04-02,,Skipped\n").encode(),
    "thumbs down and up as CSAT": (",".join(HEADER) + "\n" + "chat-agent,csat,1,r1,2026-04-02,new,\nchat-agent,csat,0,r2,2026-05-02,,\n" * 3
                                   + "search-faq,csat,1,r1,2026-04-02,,\nsearch-faq,csat,0,r2,2026-04-02,,\nsearch-faq,csat,4,r3,,,\n").encode(),
    "a Qualtrics export's header rows": (
        ",".join(HEADER) + "\nTouchpoint,Metric,How satisfied were you?,Response ID,Recorded Date,Persona,Comment\n"
        + ",".join(f'"{{""ImportId"":""{c}""}}"' for c in HEADER) + "\n" + GOOD
    ).encode(),
    # found by fuzzing: the header's quote swallowed every row into a column name ("no rows", a warning)
    "a stray quote in the header": (",".join(HEADER[:-1]) + ',"comment\n' + GOOD * 2).encode(),
    "a quoted header": (",".join(f'"{h}"' for h in HEADER) + "\n" + GOOD).encode(),
    "repeated respondent": (",".join(HEADER) + "\n" + GOOD * 3 + GOOD.replace("2026-04-02", "2026-04-20")).encode(),
    "metric names in capitals": (",".join(HEADER) + "\n" + GOOD + GOOD.replace(",csat,", ",CSAT,") + GOOD.replace(",csat,4,r1", ", Csat ,2,r2")
                                 + GOOD.replace(",csat,", ",Drop_Off,") + GOOD.replace(",csat,4,", ",NPS,9,")).encode(),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
@pytest.mark.parametrize("period", [None, "month"])
def test_broken_files_give_the_same_problems_on_both_paths(tmp_path: Path, journey: Journey, name: str, period: str | None) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(BROKEN[name])
    by_row, by_duckdb = both(journey, [path], period)
    assert_same(by_row, by_duckdb)
    for problem in by_duckdb.problems:
        assert problem.span.file.endswith("answers.csv")


@pytest.mark.parametrize(
    ("name", "read_by_duckdb"),
    [("bad dates and scores", True), ("quoted line breaks", True), ("unicode spaces", True), ("repeated respondent", True),
     ("only comments", True), ("more cells than the header", False), ("not UTF-8", False), ("old mac line ends", False),
     ("a lone carriage return deep in the file", False), ("windows line ends", True), ("huge comment", True),
     ("Excel's separator line", True), ("a separator line and quoted line breaks", True), ("a separator line of tabs", True),
     ("decimal-comma scores", True)],
)
def test_which_files_duckdb_reads_itself(tmp_path: Path, journey: Journey, name: str, read_by_duckdb: bool) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(BROKEN[name])
    assert engine_read(journey, [path]) is read_by_duckdb


def test_a_stray_quote_in_the_header_is_an_error_at_its_line_not_a_file_of_no_rows(tmp_path: Path, journey: Journey) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(BROKEN["a stray quote in the header"])
    for data in both(journey, [path]):
        assert [(p.code, p.span.line, p.is_error) for p in data.problems] == [("unclosed-quote", 1, True)]
        assert "lines 1-3 would be the header" in data.problems[0].message
    path.write_bytes(BROKEN["a quoted header"])
    for data in both(journey, [path]):
        assert not data.problems and data.points  # a header quoted throughout is a header


@pytest.mark.parametrize("name", ["bad dates and scores", "quoted line breaks", "a byte order mark", "not UTF-8"])
def test_a_gzip_compressed_answers_file_reads_as_the_text_it_holds(tmp_path: Path, journey: Journey, name: str) -> None:
    import gzip

    plain = tmp_path / "answers.csv"
    plain.write_bytes(BROKEN[name])
    packed = tmp_path / "answers.csv.gz"
    packed.write_bytes(gzip.compress(BROKEN[name]))
    expected = load_metric_data(journey, responses=[plain], period="month", engine="python")
    by_row, by_duckdb = both(journey, [packed], "month")
    assert_same(by_row, by_duckdb)
    # the same figures, comments and problems (at the same lines and columns), in the compressed file's name
    # (an encoding's hint says how to convert a gzip: gzip -dc first)
    assert repr(by_duckdb).replace("answers.csv.gz", "answers.csv").replace("gzip -dc FILE.gz | iconv -f WINDOWS-1252 -t UTF-8 > NEW",
                                                                           "iconv -f WINDOWS-1252 -t UTF-8 FILE > NEW") == repr(expected)
    assert by_duckdb.points or by_duckdb.problems
    assert engine_read(journey, [packed]) is False  # the row reader decompresses it


def test_a_row_not_in_utf8_past_the_files_start_is_one_error_and_the_other_rows_are_read(tmp_path: Path, journey: Journey) -> None:
    """One comment pasted from a Windows program (cp1252 'café') 70 KB into a file refused the whole
    file, on both paths: its thousand other answers were not read. Past the first 64 KiB (which
    decides whether a file is text at all, as for an event log) that row is an error at its byte."""
    good = GOOD.replace("r1", "") * 1400  # past 64 KiB
    bad_row = b'chat-agent,csat,1,r2,2026-04-03,new,"it was\nnot caf\xe9 at all"\n'
    path = tmp_path / "answers.csv"
    path.write_bytes((",".join(HEADER) + "\n" + good).encode() + bad_row + GOOD.encode())
    for engine in ("python", "duckdb"):
        data = load_metric_data(journey, responses=[path], period="month", engine=engine)
        [problem] = data.problems
        assert (problem.code, problem.is_error, problem.span.line, problem.span.col) == ("encoding", True, 1403, 8)
        assert "byte 0xe9" in problem.message and "not read" in problem.message
        csat = data.get("chat-agent", "csat")
        assert csat is not None and csat.n == 1401  # the good rows before and after it
    # a metrics table's row likewise, and the table's other rows still count
    table = tmp_path / "metrics.csv"
    from datetime import date, timedelta

    days = "".join(f"chat-agent,csat,71%,120,{date(2018, 1, 1) + timedelta(days=i)}\n" for i in range(2500))
    table.write_bytes(b"touchpoint,metric,value,n,date\n" + days.encode() + b"search-faq,clv,1300 \x80,100,2026-09-01\n")
    by_row, by_duckdb = both_tables(journey, [table])
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.span.line, p.span.col) for p in by_row.problems if p.code == "encoding"] == [("encoding", 2502, 21)]
    assert by_row.get("chat-agent", "csat") is not None
    # in the first 64 KiB it is still the whole file's error, with the iconv line
    path.write_bytes((",".join(HEADER) + "\n").encode() + bad_row + good.encode())
    for data in both(journey, [path]):
        assert [(p.code, p.span.line) for p in data.problems] == [("encoding", 3)] and "iconv" in (data.problems[0].hint or "")


def test_a_cut_short_gzip_answers_or_metrics_file_is_one_clear_error(tmp_path: Path, journey: Journey) -> None:
    import gzip

    packed = gzip.compress(BROKEN["bad dates and scores"])
    answers = tmp_path / "answers.csv.gz"
    answers.write_bytes(packed[:-12])
    metrics = tmp_path / "metrics.csv.gz"
    metrics.write_bytes(gzip.compress(b"touchpoint,metric,value,n,period\nchat-agent,csat,71%,120,2026-09\n")[:-12])
    # (it was one 'gzip' error without a place, and none of the rows were read: now the rows before the cut are, as
    # a text file's cut short are; tests/test_broken_surveys_more.py)
    for data in both(journey, [answers]):
        cut = [p for p in data.problems if p.code == "cut-short"]
        assert len(cut) == 1 and cut[0].is_error and cut[0].span.line is not None and "gzip" in cut[0].message
        assert "gzip" not in [p.code for p in data.problems]
    tables = load_metric_data(journey, metrics=[metrics], engine="python")
    assert [(p.code, p.span.line) for p in tables.problems if p.is_error] == [("cut-short", 2)]
    whole = tmp_path / "whole.csv.gz"
    whole.write_bytes(gzip.compress(b"touchpoint,metric,value,n,period\nchat-agent,csat,71%,120,2026-09\n"))
    for engine in ("python", "duckdb"):
        read = load_metric_data(journey, metrics=[whole], engine=engine)
        assert not read.problems and [(p.touchpoint, p.metric, p.value, p.n) for p in read.points.values()] == [("chat-agent", "csat", 0.71, 120)]


def test_a_missing_file_among_good_ones_is_told_the_same_way(tmp_path: Path, journey: Journey) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(BROKEN["bad dates and scores"])
    by_row, by_duckdb = both(journey, [good, tmp_path / "nowhere.csv"])
    assert_same(by_row, by_duckdb)
    assert any(p.code == "io" for p in by_duckdb.problems)


def test_a_file_larger_than_duckdbs_buffers_is_read_by_duckdb_in_file_order(tmp_path: Path, journey: Journey) -> None:
    """40 MB, past DuckDB's 32 MB read buffer: read in parallel, its rows lost their file order and the
    whole file went to the row reader (a 1,000,000-answer report took 20-40 s instead of 3-6 s)."""
    path = tmp_path / "big.csv"
    line = "chat-agent,csat,{},r{},2026-0{}-02,new,{}\n"
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\n")
        for i in range(750_000):
            # (in seven wordings: one comment of most rows is told as copies of one answer, copied-comment)
            out.write(line.format(1 + i % 5, i, 4 + i % 3, f"A comment long enough to fill the file {i % 7}" if i % 3 == 0 else ""))
        out.write("chat-agnet,csat,4,last,2026-06-02,new,\n")  # a problem on the last line, to be placed
    assert path.stat().st_size > 40_000_000
    assert engine_read(journey, [path], "month")
    data = load_metric_data(journey, responses=path, period="month", engine="duckdb")
    assert [(p.code, p.span.line) for p in data.problems] == [("unknown-touchpoint", 750_002)]


# -- a big file read in parts, side by side ------------------------------------------------
# Every file of the tests below is cut (survey.SPLIT_BYTES = 1) into survey._threads() parts: the parts are read by
# one thread each, and their rows must be the whole file's, in its order, with the same places.


def read_in_parts(monkeypatch: pytest.MonkeyPatch, parts: int) -> list[int]:
    """Cut every CSV file into ``parts`` (when it has as many rows); the list gets the parts each file was read in."""
    monkeypatch.setattr(survey, "SPLIT_BYTES", 1)
    monkeypatch.setattr(survey, "_threads", lambda con: parts)
    seen: list[int] = []
    unwatched = survey.load_file

    def watched(*args: Any, **kwargs: Any) -> Any:
        file = unwatched(*args, **kwargs)
        seen.append(file.parts)
        return file

    monkeypatch.setattr(survey, "load_file", watched)
    return seen


def cuts_by_brute_force(data: bytes, parts: int) -> list[int]:
    """:func:`survey._split`'s cuts, found one byte at a time: after each share of the file (one a byte at most), the
    first line feed after an even number of quotes."""
    cuts: list[int] = []
    parts = min(parts, survey.SPLIT_PARTS, len(data))
    for k in range(1, parts):
        target = max(len(data) * k // parts, cuts[-1] if cuts else 0)
        quotes = data[:target].count(b'"')
        for i in range(target, len(data)):
            if data[i:i + 1] == b'"':
                quotes += 1
            elif data[i:i + 1] == b"\n" and quotes % 2 == 0:
                if i + 1 < len(data):
                    cuts.append(i + 1)
                break
    return sorted(set(cuts))


@settings(max_examples=200, deadline=None)
@given(data=st.lists(st.sampled_from([b"a", b",", b'"', b"\n", b"\r\n", b'""', b"xyz"]), max_size=60).map(b"".join),
       parts=st.integers(2, 5), block=st.sampled_from([1, 2, 3, 7, 1 << 20]))
def test_a_file_is_cut_after_line_feeds_outside_quotes_in_blocks_of_any_size(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, parts: int, block: int
) -> None:
    path = tmp_path_factory.mktemp("cut") / "answers.csv"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(survey, "SPLIT_BYTES", 1)
        patch.setattr(survey, "SCAN_BLOCK", block)
        cuts = survey._split(path, parts)
    assert cuts == cuts_by_brute_force(data, parts)
    for cut in cuts:
        assert data[cut - 1:cut] == b"\n" and data[:cut].count(b'"') % 2 == 0


def test_a_file_of_one_quoted_cell_is_not_cut(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(b'comment\n"' + b"line\n" * 1000 + b'"\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(survey, "SPLIT_BYTES", 1)
        assert survey._split(path, 4) == []  # the only line feed outside quotes ends the file
        assert survey._split(path, 1) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    rows=st.lists(row_strategy, min_size=2, max_size=40),
    period=st.sampled_from([None, "month", "week"]),
    blank_every=st.sampled_from([0, 0, 3]),
    parts=st.integers(2, 4),
)
def test_a_file_read_in_parts_gives_what_the_row_reader_gives(
    tmp_path_factory: pytest.TempPathFactory, journey: Journey, rows: list[list[str]], period: str | None, blank_every: int,
    parts: int,
) -> None:
    path = write_rows(tmp_path_factory.mktemp("parts") / "answers.csv", rows, blank_every=blank_every)
    with pytest.MonkeyPatch.context() as patch:
        seen = read_in_parts(patch, parts)  # type: ignore[arg-type]
        cuts = survey._split(path, parts)
        by_row, by_duckdb, read_by_duckdb = both_engine_read(journey, [path], period)
    assert_same(by_row, by_duckdb)
    # read in the parts cut (none when the last row holds every share's end), not handed to the row reader
    assert read_by_duckdb and seen == [len(cuts) + 1]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_read_in_parts_give_the_same_problems_on_both_paths(
    tmp_path: Path, journey: Journey, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(BROKEN[name])
    read_in_parts(monkeypatch, 3)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)


def test_a_quoted_comment_across_the_middle_of_the_file_stays_whole(tmp_path: Path, journey: Journey, monkeypatch: pytest.MonkeyPatch) -> None:
    """The middle of this file is inside a comment of many lines: the cut is after the row that holds it."""
    long = "\n".join(f"line {i}, with a \"quote\"" for i in range(400))
    rows = [["chat-agent", "csat", "4", f"r{i}", "2026-04-02", "new", ""] for i in range(5)]
    rows += [["chat-agent", "csat", "1", "r9", "2026-05-02", "nwe", long]]
    rows += [["chat-agnet", "csat", "2", f"s{i}", "2026-06-02", "new", "after"] for i in range(3)]
    path = write_rows(tmp_path / "answers.csv", rows)
    seen = read_in_parts(monkeypatch, 2)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert seen == [2]
    data = path.read_bytes()
    (cut,) = survey._split(path, 2)
    assert data[cut:].startswith(b"chat-agnet,csat,2,s0")
    placed = {(p.code, p.span.line) for p in by_duckdb.problems}
    assert {("unknown-persona", 7), ("unknown-touchpoint", 407)} <= placed  # the rows' places, across the cut


@pytest.mark.parametrize(
    ("failing", "error", "parts"),
    [("_copy_range", "ENOSPC", 1),  # a full disk: the file is read whole
     ("copy_file_range", "EXDEV", 3)],  # no copy in the kernel there: the parts are copied by reading them
)
def test_parts_that_cannot_be_copied_as_planned_still_give_the_files_rows(
    tmp_path: Path, journey: Journey, monkeypatch: pytest.MonkeyPatch, failing: str, error: str, parts: int
) -> None:
    import errno
    import os

    rows = [["chat-agent", "csat", str(1 + i % 5), f"r{i}", "2026-04-02", "new", "ok" if i % 2 else ""] for i in range(50)]
    path = write_rows(tmp_path / "answers.csv", rows)
    seen = read_in_parts(monkeypatch, 3)

    def fails(*args: Any) -> int:
        raise OSError(getattr(errno, error), os.strerror(getattr(errno, error)))

    monkeypatch.setattr(survey if failing == "_copy_range" else os, failing, fails)
    by_row, by_duckdb = both(journey, [path])
    assert_same(by_row, by_duckdb)
    assert seen == [parts]


@pytest.mark.parametrize("period", [None, "day", "week", "month", "quarter"])
def test_dates_and_timestamps_of_one_period_count_alike_on_both_paths(tmp_path: Path, journey: Journey, period: str | None) -> None:
    """DuckDB checks each date of a period as the period's first day (a combination per period rather than per day or
    per second): the timestamps, the zoned moments that change their day, the placeholders, the impossible days and
    times and the padded dates still give the row reader's figures and problems, line for line."""
    forms = ["2026-{m:02d}-{d:02d}", "2026-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}", "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}",
             "2026-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}.250", "2026-{m:02d}-{d:02d}T2{h4}:{mi:02d}:00-05:00",
             "2026-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}.5", "2026-{m:02d}-{d:02d} 24:{mi:02d}", " 2026-{m:02d}-{d:02d}",
             "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}Z", "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.123+00:00",
             "2026-{m:02d}-{d:02d} {h:02d}:{mi:02d}Z", "2026-{m:02d}-{d:02d}T00:{mi:02d}:{s:02d}+01:00",  # zones that move the day
             "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+02:00", "2026-{m:02d}-{d:02d} {h:02d}:{mi:02d}-05:00",
             "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.123456+05:30", "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}-09:30",
             "2026-{m:02d}-{d:02d}T0{h4}:{mi:02d}:00+13:45", "2026-{m:02d}-{d:02d}T2{h4}:{mi:02d}:00-11:00",
             "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+0200", "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+02:00 ",
             "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+24:00", "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}-00:00",
             # BigQuery's ' UTC' and Snowflake's offset after a space, read by the row reader as the same moment
             "2026-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d} UTC", "2026-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}.123456 utc",
             "2026-{m:02d}-{d:02d} 0{h4}:{mi:02d}:{s:02d}.123 +03:00", "2026-{m:02d}-{d:02d} 2{h4}:{mi:02d} -04:00",
             "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}  +03:00", "2026-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d} UTC ",
             # Snowflake's offset without its colon, after a space or not, crossing midnight both ways
             "2026-{m:02d}-{d:02d} 0{h4}:{mi:02d}:{s:02d}.123 +0300", "2026-{m:02d}-{d:02d}T2{h4}:{mi:02d}-0430",
             "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+02",
             # numbers since 1970 in seconds, milliseconds, microseconds and nanoseconds (the day they count), padded, signed
             "{epoch}", "{epoch}123", "{epoch}123456", "{epoch}123456789", " {epoch}", "+{epoch}", "{epoch}.5", "0{epoch}"]
    # the ends of a month, a quarter and the year crossed by a zone, and zones that make a placeholder day or leave one
    odd = ["1970-01-01", "2099-12-31 08:00", "4102444800", "99999999", "100000000", "31535999", "4102444799999", "2026-02-30", "2026-13-01 10:00", "", "1969-12-31T23:00", "2026-12-31T22:00:00-05:00",
           "2026-01-01T01:00:00+02:00", "2026-03-31T23:30:00-01:00", "2026-06-30T20:00-08:00", "1970-01-01T01:00:00+02:00",
           "1970-01-02T00:30:00+01:00", "1969-12-31T23:00:00-01:00", "2099-12-31T23:00:00-02:00", "2026-02-28T23:30:00-05:00"]
    rows = []
    for i in range(3000):
        when = odd[i // 97 % len(odd)] if i % 97 == 0 else forms[i % len(forms)].format(
            m=1 + i % 12, d=1 + i % 28, h=(i * 7) % 24, h4=i % 4, mi=i % 60, s=(i * 13) % 60,
            epoch=1767225600 + i * 7919 + (86399 if i % 2 else 0))  # 2026 on, some a second before midnight
        rows.append(["chat-agent" if i % 3 else "search-faq", ["csat", "nps", "ces"][i % 3], str(1 + i % 5), f"r{i}", when,
                     ["new", "regular", ""][i % 3], "Wait time" if i % 4 == 0 else ""])
    path = write_rows(tmp_path / "dated.csv", rows)
    by_row, by_duckdb, read = both_engine_read(journey, [path], period)
    assert read
    assert_same(by_row, by_duckdb)
    assert {p.code for p in by_duckdb.problems} >= {"invalid-date", "placeholder-date"}


def test_moments_with_a_zone_are_checked_once_per_period_on_duckdb(
    tmp_path: Path, journey: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moments with a UTC offset other than UTC's ('2026-04-02T10:15:32+02:00', '-05:00', as most APIs write local
    time) were checked one distinct moment at a time, a combination per second: 200,000 such answers took 3.1-3.4 s,
    against 0.7 s written in UTC. Each is now counted as the first day of its UTC day's period, as a moment in UTC
    is: a combination per period, the row reader's figures (the ones that cross midnight too)."""
    from journeymap.data import responses

    rows = [["chat-agent", "csat", str(1 + i % 5), f"r{i}",
             f"2026-04-{1 + i % 30:02d}T{i % 24:02d}:{i % 60:02d}:{i * 7 % 60:02d}{['+02:00', '-05:00', '+05:30'][i % 3]}", "", ""]
            for i in range(1500)]
    path = write_rows(tmp_path / "zoned.csv", rows)
    calls = []
    evaluate = responses.evaluate

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0].cells["date"])
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(responses, "evaluate", counted)
    by_row, by_duckdb, read = both_engine_read(journey, [path], "month")
    assert read
    assert_same(by_row, by_duckdb)
    # five scores, in April or (crossing midnight backwards on April 1) in March
    assert sorted(set(calls)) == ["2026-03-31", "2026-04-01"] and len(calls) <= 10
    csat = by_duckdb.points[("chat-agent", "csat")]
    march = sum(1 for i in range(1500) if i % 30 == 0 and i % 24 < [2, 0, 5][i % 3] + (i % 3 == 2 and i % 60 < 30))
    assert [(p.period, p.n) for p in csat.series] == [("2026-03", march), ("2026-04", 1500 - march)] and march > 0


@pytest.mark.parametrize("order", ["month", "day"])
@pytest.mark.parametrize("period", [None, "week", "month"])
def test_slashed_dates_of_a_decided_column_count_alike_on_both_paths(
    tmp_path: Path, journey: Journey, order: str, period: str | None
) -> None:
    """A column of dates with slashes whose order one date decides (SurveyMonkey's '04/01/2026 10:15:32 AM') is checked
    a period at a time on DuckDB, as ISO dates are: the 12- and 24-hour times, two-digit years, impossible days and
    times, placeholders and padded cells still give the row reader's figures and problems. (One combination per
    second of the timestamps took a million answers 48 s.)"""
    def written(m: int, d: int) -> str:
        return f"{m:02d}/{d:02d}" if order == "month" else f"{d:02d}/{m:02d}"

    forms = ["{md}/2026", "{md}/2026 {h12}:{mi:02d}:{s:02d} {ampm}", "{md}/2026 {h:02d}:{mi:02d}", "{md}/26 {h}:{mi:02d}",
             "{md}/2026T{h:02d}:{mi:02d}:{s:02d}.5", "{md}/2026 {h12}:{mi:02d} {ampm}", " {md}/2026", "{md}/2026 13:05 PM",
             "{md}/2026 24:00", "{md}/2026 00:10 AM"]
    odd = ["12/31/2099" if order == "month" else "31/12/2099", "02/30/2026" if order == "month" else "30/02/2026", "", "1/1/1970"]
    rows = []
    for i in range(2000):
        m, d, h = 1 + i % 12, 1 + i % 28, (i * 7) % 24
        when = odd[i % len(odd)] if i % 89 == 0 else forms[i % len(forms)].format(
            md=written(m, d), h=h, h12=h % 12 or 12, ampm="AM" if h < 12 else "PM", mi=i % 60, s=(i * 13) % 60)
        rows.append(["chat-agent" if i % 3 else "search-faq", ["csat", "nps", "ces"][i % 3], str(1 + i % 5), f"r{i}", when,
                     ["new", "regular", ""][i % 3], "Wait time" if i % 4 == 0 else ""])
    rows.append(["chat-agent", "csat", "4", "last", written(4, 13) + "/2026", "new", ""])  # the date that decides
    path = write_rows(tmp_path / "slashed.csv", rows)
    by_row, by_duckdb, read = both_engine_read(journey, [path], period)
    assert read
    assert_same(by_row, by_duckdb)
    assert {p.code for p in by_duckdb.problems} >= {"date-order", "invalid-date", "placeholder-date"}
    if period is not None:
        assert len({p.period for point in by_duckdb.points.values() for p in point.series}) > 1, "the dates were read"


# -- Parquet ------------------------------------------------------------------------------


def test_parquet_answers_give_the_csv_files_values(tmp_path: Path, journey: Journey) -> None:
    import duckdb

    rows = [["chat-agent", "csat", str(1 + i % 5), f"r{i}", f"2026-0{4 + i % 3}-0{1 + i % 9}", ["new", "regular", ""][i % 3],
             "Wait time" if i % 4 == 0 else ""] for i in range(300)]
    csv_path = write_rows(tmp_path / "answers.csv", rows)
    parquet = tmp_path / "answers.parquet"
    con = duckdb.connect()
    # Odd but readable types: scores as integers, dates as DATE.
    con.execute(
        f"COPY (SELECT touchpoint, metric, CAST(score AS INTEGER) AS score, respondent, CAST(date AS DATE) AS date,"
        f" NULLIF(persona, '') AS persona, NULLIF(comment, '') AS comment FROM read_csv('{csv_path}', all_varchar = true))"
        f" TO '{parquet}' (FORMAT parquet)"
    )
    con.close()
    from_csv = load_metric_data(journey, responses=csv_path, period="month", engine="duckdb")
    from_parquet = load_metric_data(journey, responses=parquet, period="month")  # small, but Parquet: DuckDB
    assert not from_parquet.problems
    for key, point in from_csv.points.items():
        other = from_parquet.points[key]
        assert (other.value, other.n, [s.value for s in other.series]) == (point.value, point.n, [s.value for s in point.series])
        assert other.span.line == point.span.line  # rows numbered as if a header were line 1
    assert from_parquet.verbatims["chat-agent"].comments == from_csv.verbatims["chat-agent"].comments == 75


def test_parquet_with_nested_or_wrong_types_is_a_clear_problem(tmp_path: Path, journey: Journey) -> None:
    import duckdb

    parquet = tmp_path / "odd.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT 'chat-agent' AS touchpoint, 'csat' AS metric, 4.5::DOUBLE AS score, [1, 2] AS respondent,"
        f" TIMESTAMP '2026-04-02 10:00:00' AS date) TO '{parquet}' (FORMAT parquet)"
    )
    con.close()
    data = load_metric_data(journey, responses=parquet, engine="duckdb")  # never a traceback
    # read by DuckDB itself (the row reader would need pyarrow): the list is a respondent's text,
    # the score of 4.5 is not a whole number on CSAT's scale
    assert engine_read(journey, [parquet])
    assert [(p.code, p.span.line, p.message) for p in data.errors] == [("score", 2, "CSAT score 4.5 is not a whole number")]
    assert all(p.span.file.endswith("odd.parquet") for p in data.problems)


def test_parquet_from_a_warehouse_is_read_by_duckdb_without_pyarrow(tmp_path: Path, journey: Journey) -> None:
    """Decimal scores, a zoned timestamp for the date, an extra timestamp column, an enum persona:
    DuckDB reads them all (they fell back to the row reader, which needs pyarrow, not a dependency)."""
    import duckdb

    answers = tmp_path / "warehouse.parquet"
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE TYPE who AS ENUM ('new', 'regular')")
    con.execute(
        "COPY (SELECT 'chat-agent' AS touchpoint, 'csat' AS metric, CAST(1 + i % 5 AS DECIMAL(4, 1)) AS score,"
        " 'r' || i AS respondent, TIMESTAMPTZ '2026-04-30 23:30:00+00' + INTERVAL (i % 2) DAY AS date,"
        " CAST(CASE WHEN i % 2 = 0 THEN 'new' ELSE 'regular' END AS who) AS persona,"
        " TIMESTAMP '2026-06-01 08:00:00.5' AS exported_at, uuid() AS id"
        f" FROM range(40) t(i)) TO '{answers}' (FORMAT parquet)"
    )
    table = tmp_path / "metrics.parquet"
    con.execute(
        "COPY (SELECT 'chat-agent' AS touchpoint, 'csat' AS metric, CAST(0.7 + i / 100 AS DECIMAL(5, 2)) AS value,"
        " 200 + i AS n, '2026-Q' || (i + 1) AS period, TIMESTAMP '2026-06-01' AS loaded_at"
        f" FROM range(3) t(i)) TO '{table}' (FORMAT parquet)"
    )
    con.close()
    assert engine_read(journey, [answers], "month")
    data = load_metric_data(journey, responses=answers, period="month")
    assert [(p.level, p.code, p.message) for p in data.problems] == [  # exported_at, id: one warning
        ("warning", "unknown-column", "2 columns are not ones journeymap reads; they are ignored: 'exported_at', 'id'")]
    point = data.points[("chat-agent", "csat")]
    # 23:30 UTC on April 30 and on May 1 (the value is the latest month's): scores 4 and 5 are satisfied
    assert [(s.period, s.n, s.value) for s in point.series] == [("2026-04", 20, pytest.approx(0.4)), ("2026-05", 20, pytest.approx(0.4))]
    assert set(data.personas) == {"new", "regular"}
    tables = load_metric_data(journey, metrics=table)
    assert [(p.level, p.code) for p in tables.problems] == [("warning", "unknown-column")]  # loaded_at
    assert [(s.period, s.value) for s in tables.points[("chat-agent", "csat")].series] == [("2026-Q1", 0.7), ("2026-Q2", 0.71), ("2026-Q3", 0.72)]


# Cells kept as read by DuckDB and stripped in Python: every column in padded variants, so
# that combinations, respondents and comments differing only in spaces around them meet.
_SPACES = ["", " ", "\t", "\u00a0", "\u3000", "\u2028", "  "]


def _padded(values: list[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(_SPACES), st.sampled_from(values), st.sampled_from(_SPACES)).map("".join)


padded_rows = st.tuples(
    _padded(["chat-agent", "search-faq", "chat-agnet", ""]),
    _padded(["csat", "nps", "", ""]),
    _padded(["4", "5", "9", "", "x"]),
    _padded(["r1", "r2", "", "r3"]),
    _padded(["2026-04-02", "2026-05-10", ""]),
    _padded(["new", "regular", "", "nwe"]),
    _padded(["", "Slow reply", "slow reply", "Great, thanks", "x" * 5100, "\x1b[31mred\x1b[0m"]),
).map(list)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(padded_rows, min_size=1, max_size=40), period=st.sampled_from([None, "month"]))
def test_cells_with_spaces_around_them_give_the_same_data_on_both_paths(
    tmp_path_factory: pytest.TempPathFactory, journey: Journey, rows: list[list[str]], period: str | None
) -> None:
    path = write_rows(tmp_path_factory.mktemp("padded") / "answers.csv", rows)
    by_row, by_duckdb, read_by_duckdb = both_engine_read(journey, [path], period)
    assert_same(by_row, by_duckdb)
    assert read_by_duckdb


def test_a_moment_with_a_space_before_its_offset_is_dated_as_in_an_event_log(tmp_path: Path, journey: Journey) -> None:
    """Snowflake writes '2026-05-31 20:30:00.123 -0700' (Ruby and git '... +0200'): event logs read it, a
    survey's date was 'not a date' and the answer in no period."""
    path = write_rows(tmp_path / "answers.csv", [["chat-agent", "csat", "5", "r1", "2026-05-31 20:30:00.123 -0700", "", ""],
                                                 ["chat-agent", "csat", "1", "r2", "2026-05-31 20:30:00 +0200", "", ""]])
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert by_row.problems == []
    assert [(p.period, p.n) for p in by_row.get("chat-agent", "csat").series] == [("2026-05", 1), ("2026-06", 1)]


def test_a_big_us_export_whose_slashed_dates_one_date_orders_is_read_month_first_on_both_paths(
    tmp_path: Path, journey: Journey
) -> None:
    """A SurveyMonkey export past 1 MiB writes '04/01/2026 10:15:32 AM': every answer was in no period. The date that
    tells the column's order (no month 13) may be its last row; DuckDB finds it over the whole column, as the row
    reader does, and both read the column month first with one warning at that line."""
    rows = [["chat-agent", "csat", str(1 + k % 5), f"r{k}", f"{1 + k % 12:02d}/{1 + k % 12:02d}/2026 {1 + k % 12}:15:32"
             f" {'AM' if k % 2 else 'PM'}", "", ""] for k in range(24_000)]
    rows.append(["chat-agent", "csat", "5", "last", "04/13/2026 09:00:00 PM", "", "a good one"])
    path = write_rows(tmp_path / "answers.csv", rows)
    assert path.stat().st_size > ENGINE_FROM_BYTES
    by_row, by_duckdb, duckdb_read = both_engine_read(journey, [path], "quarter")
    assert duckdb_read
    assert_same(by_row, by_duckdb)
    assert [(p.span.line, p.code, p.message) for p in by_row.problems] == [
        (24_002, "date-order", "the date column's dates with slashes are read month first (month/day/year), as line"
         " 24002's '04/13/2026 09:00:00 PM' shows (there is no month 13)")]
    assert [(p.period, p.n) for p in by_row.get("chat-agent", "csat").series] == [
        ("2026-Q1", 6_000), ("2026-Q2", 6_001), ("2026-Q3", 6_000), ("2026-Q4", 6_000)]


def test_a_respondent_with_spaces_around_the_name_is_the_same_respondent(tmp_path: Path, journey: Journey) -> None:
    rows = [["chat-agent", "csat", "4", "r1", "2026-04-02", "new", "Quick"],
            ["chat-agent ", "csat", "2", "\u00a0r1\t", "2026-04-03", "new", " Quick\u3000"],
            ["chat-agent", " csat", "5", "r1", "2026-04-04", "new", ""],
            [" chat-agent", "", "", "", "2026-04-05", "new", "\tOnly a comment "],
            ["chat-agent", "\u3000", " ", "", "2026-04-05", "new", "Quick"]]
    path = write_rows(tmp_path / "answers.csv", rows)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert engine_read(journey, [path], "month")
    repeated = [p for p in by_duckdb.problems if p.code == "duplicate-respondent"]
    assert [p.span.line for p in repeated] == [3] and "(2 rows: lines 3, 4)" in repeated[0].message, [str(p) for p in repeated]
    chat = by_duckdb.verbatims["chat-agent"]
    assert chat.comments == 3  # 'Quick' twice (the repeat's padded one is left out with its answer), 'Only a comment'
    assert [q.text for q in chat.quotes if q.text == "Quick"] == ["Quick"]


def test_a_respondents_comment_repeated_on_each_of_their_rows_counts_once(tmp_path: Path, journey: Journey) -> None:
    """A long export writes a respondent's one comment on each of their answers' rows (CSAT, NPS, CES):
    10 respondents' comments at a touchpoint were 30 comments, the sentiment's n 30 and its interval as
    narrow as 30 comments give, a phrase counted three times. A comment repeated by its respondent at one
    touchpoint, in one period, counts once, with one warning; no one's ('Anonymous', blank) each count."""
    rows = []
    for i in range(10):
        text = "The wait was awful and the agent rude" if i < 3 else "Quick and friendly help"
        rows += [["chat-agent", metric, score, f"R{i}", "2026-04-02", "new", text if metric != "ces" else f" {text} "]
                 for metric, score in (("csat", "2" if i < 3 else "5"), ("nps", "3" if i < 3 else "9"), ("ces", "4"))]
    rows += [["chat-agent", "ces", "6", "R0", "2026-05-04", "new", "The wait was awful and the agent rude"],  # another month
             ["chat-agent", "csat", "4", "Anonymous", "2026-04-02", "new", "Fine"],
             ["chat-agent", "nps", "8", "Anonymous", "2026-04-02", "new", "Fine"],
             ["chat-agent", "csat", "4", "", "2026-04-02", "new", "Fine"],
             ["chat-agent", "nps", "8", "", "2026-04-02", "new", "Fine"],
             ["solved", "csat", "4", "R1", "2026-04-02", "new", "The wait was awful and the agent rude"]]  # another touchpoint
    path = write_rows(tmp_path / "long.csv", rows)
    by_row, by_duckdb, read = both_engine_read(journey, [path], "month")
    assert read
    assert_same(by_row, by_duckdb)
    chat = by_row.verbatims["chat-agent"]
    assert chat.comments == 10 + 1 + 4
    assert chat.phrases == [("friendly help", 7)]  # R3 to R9, once each (it was 21)
    sentiment = by_row.get("chat-agent", "sentiment")
    assert sentiment is not None and [(p.period, p.n) for p in sentiment.series] == [("2026-04", 14), ("2026-05", 1)]
    assert by_row.verbatims["solved"].comments == 1
    told = [p for p in by_row.problems if p.code == "repeated-comment"]
    assert [(p.level, p.span.line, p.span.col) for p in told] == [("warning", 3, 36)]
    assert told[0].message == (
        "a comment its respondent already wrote at this touchpoint in this period, on another of their rows (a long"
        " export repeats it on each answer's row), counts once (20 rows: lines 3, 4, 6, 7, 9, ...)")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    rows=st.lists(row_strategy, min_size=1, max_size=30),
    blank_every=st.sampled_from([0, 2, 3]),
    block=st.sampled_from([1, 7, 64, 300]),
    crlf=st.booleans(),
)
def test_the_scan_for_places_reads_in_blocks_of_any_size(
    tmp_path_factory: pytest.TempPathFactory, journey: Journey, monkeypatch: pytest.MonkeyPatch,
    rows: list[list[str]], blank_every: int, block: int, crlf: bool,
) -> None:
    # Blocks smaller than a line, blocks with and without rows of blanks, Windows line ends:
    # every problem, value and quote keeps the row reader's line.
    path = write_rows(tmp_path_factory.mktemp("blocks") / "answers.csv", rows, blank_every=blank_every)
    if crlf:
        path.write_bytes(path.read_bytes().replace(b"\r", b"").replace(b"\n", b"\r\n"))
    monkeypatch.setattr(survey, "SCAN_BLOCK", block)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)


@pytest.mark.parametrize("block", [5, 85, 86, 87, 1000])
@pytest.mark.parametrize("body", ["2\n3", "2 , ,\n3", "1\n\n1\n", "3\n", "3"])
def test_rows_of_blanks_at_the_edges_of_a_block_are_skipped(
    tmp_path: Path, journey: Journey, monkeypatch: pytest.MonkeyPatch, block: int, body: str
) -> None:
    # "2 , ,\n3": two wrong rows, a row of blanks, three wrong rows (each line of 43 bytes).
    wrong = "chat-agnet,csat,4,r1,2026-04-02,new,Quick\n"
    text = "".join(wrong * int(part) if part.isdigit() else part for part in re.split(r"(\d)", body))
    path = tmp_path / "answers.csv"
    path.write_text(",".join(HEADER) + "\n" + text, encoding="utf-8")
    monkeypatch.setattr(survey, "SCAN_BLOCK", block)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert any(p.code == "unknown-touchpoint" for p in by_duckdb.problems)


# -- choosing the path --------------------------------------------------------------------


def test_small_files_are_read_row_by_row_unless_duckdb_is_named(tmp_path: Path) -> None:
    small = tmp_path / "small.csv"
    small.write_text(",".join(HEADER) + "\n" + GOOD, encoding="utf-8")
    big = tmp_path / "big.csv"
    big.write_text(",".join(HEADER) + "\n" + GOOD * (ENGINE_FROM_BYTES // len(GOOD) + 1), encoding="utf-8")
    assert not use_engine([small], None)
    assert use_engine([small], "duckdb")
    assert use_engine([big], None)
    assert not use_engine([big], "python")
    assert use_engine([tmp_path / "small.parquet"], None)  # DuckDB reads Parquet at any size
    from journeymap.data import metrics_table

    assert not use_engine([big], None, metrics_table.ENGINE_FROM_BYTES)  # metrics tables from 4 MiB


def test_whitespace_is_what_python_strips() -> None:
    import sys

    assert survey.WHITESPACE == "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


# -- metrics tables -----------------------------------------------------------------------

TABLE_HEADER = ["touchpoint", "metric", "value", "n", "period", "persona"]
table_cells = {
    "touchpoint": st.sampled_from(["search-faq", "chat-agent", "chat-agnet", ""]),
    "metric": st.sampled_from(["csat", "nps", "sentiment", "churn", "clv", "csta", "", "NPS", "Sentiment"]),
    "value": st.sampled_from(["0.8", "82%", "45", "-20", "7m", "abc", "", "1.5", "120 EUR", "0.05"]),
    "n": st.sampled_from(["", "120", "0", "-3", "4.5", "many", "30"]),
    "period": st.sampled_from(["", "2026-Q1", "2026-Q2", "2026-Q3"]),
    "persona": st.sampled_from(["", "new", "regular", "nwe"]),
}


def both_tables(journey: Journey, paths: list[Path], period: str | None = None) -> tuple[MetricData, MetricData]:
    return (
        load_metric_data(journey, metrics=paths, period=period, engine="python"),
        load_metric_data(journey, metrics=paths, period=period, engine="duckdb"),
    )


@pytest.mark.parametrize("period", [None, "month", "quarter"])
def test_dated_tables_with_summary_columns_are_pooled_the_same_way_on_both_paths(
    tmp_path: Path, journey: Journey, period: str | None
) -> None:
    """Rows with a date fall in their period's bucket and are pooled by n; sd, promoters and
    detractors give intervals; a bad date and a row without n are told the same way."""
    path = tmp_path / "dated.csv"
    path.write_text(
        "touchpoint,metric,value,n,date,persona,sd,promoters,detractors\n"
        "chat-agent,csat,70%,100,2026-04-03,,,,\n"
        "chat-agent,csat,60%,50,2026-04-20,,,,\n"
        "chat-agent,csat,55%,80,2026-05-02,new,,,\n"
        "chat-agent,csat,50%,,2026-05-11,,,,\n"
        "chat-agent,csat,52%,40,2026-05-12,,,,\n"
        "search-faq,sentiment,0.2,30,2026-04-09,,0.4,,\n"
        "search-faq,sentiment,0.1,35,2026-06-09,,0.5,,\n"
        "chat-agent,csat,65%,100,2026-13-09,,,,\n",
        encoding="utf-8",
    )
    by_row, by_duckdb = both_tables(journey, [path], period)
    assert_same(by_row, by_duckdb)
    assert any(p.code == "invalid-date" and p.span.line == 9 for p in by_row.problems)
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None
    if period == "month":  # April pooled from two rows, May from the rows with an n
        assert [p.period for p in csat.series] == ["2026-04", "2026-05"]


def test_rows_on_one_day_are_pooled_and_only_the_same_moment_twice_is_a_duplicate(tmp_path: Path, journey: Journey) -> None:
    """Two rows a day (9:00 and 15:00), and one day written twice: any two rows on one day made the
    whole month one row's ('10% -> 66%, rising') with an error per pair of them."""
    path = tmp_path / "hourly.csv"
    path.write_text(
        "touchpoint,metric,value,n,date\n"
        "chat-agent,csat,60%,100,2026-04-01T09:00:00Z\n"
        "chat-agent,csat,70%,100,2026-04-01T15:00:00Z\n"
        "chat-agent,csat,10%,100,2026-04-02\n"
        "chat-agent,csat,80%,100,2026-04-02\n"
        "chat-agent,csat,50%,100,2026-05-02T09:00:00Z\n",
        encoding="utf-8",
    )
    for period in ("month", None):
        by_row, by_duckdb = both_tables(journey, [path], period)
        assert_same(by_row, by_duckdb)
        [problem] = by_row.problems
        assert (problem.code, problem.span.line, problem.related[0].line) == ("duplicate-row", 5, 4)
        assert "on 2026-04-02" in problem.message and "this later row is used" in problem.message
        csat = by_row.get("chat-agent", "csat")
        assert csat is not None
        if period == "month":  # April: 60%, 70% and the later 80%, 100 answers each
            assert [(p.period, round(p.value, 4), p.n) for p in csat.series] == [("2026-04", 0.7, 300), ("2026-05", 0.5, 100)]
        else:  # each day its own period: April 1st pooled from its two rows
            assert [(p.period, round(p.value, 4), p.n) for p in csat.series][:2] == [("2026-04-01", 0.65, 200), ("2026-04-02", 0.8, 100)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(*(table_cells[c] for c in TABLE_HEADER)).map(list), min_size=1, max_size=30),
       blank_every=st.sampled_from([0, 4]))
def test_generated_metrics_tables_give_the_same_data_on_both_paths(
    tmp_path_factory: pytest.TempPathFactory, journey: Journey, rows: list[list[str]], blank_every: int
) -> None:
    path = write_rows(tmp_path_factory.mktemp("tables") / "metrics.csv", rows, TABLE_HEADER, blank_every)
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"touchpoint,metric,value\n",
        b"touchpoint,metric\nchat-agent,csat\n",
        b"touchpoint,metric,value,n\nchat-agent,csat,0.8,10\nchat-agent,csat,0.7\n",
        b"touchpoint,metric,value,period\nchat-agent,csat,0.8,2026-Q1\nchat-agent,csat,0.7,2026-Q1\n",
        b'touchpoint,metric,value,period\n"chat-\nagent",csat,0.8,2026-Q1\nchat-agent,csat,"8\n0%",2026-Q2\n',
        b"touchpoint;metric;value\nchat-agent;csat;80%\n\n;;\nsearch-faq;csat;x\n",
        "touchpoint,metric,value\nchat-agent,csat,0.8\nsearch-faq,csat,\u00e9t\u00e9\n".encode("latin-1"),
        b'touchpoint,metric,value,n,"period\nchat-agent,csat,71%,120,2026-09\nchat-agent,csat,64%,130,2026-10\n',
    ],
    ids=["empty", "header only", "missing column", "ragged", "duplicate period", "line breaks", "semicolons", "latin-1",
         "stray quote in the header"],
)
def test_broken_metrics_tables_give_the_same_problems_on_both_paths(tmp_path: Path, journey: Journey, content: bytes) -> None:
    path = tmp_path / "metrics.csv"
    path.write_bytes(content)
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)


def test_a_duplicate_row_says_whether_its_value_conflicts_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """Two rows for one touchpoint, metric and period were told alike whether they said the same (a join that doubled
    its rows) or two values (which is right?): the message now gives both values, or says they are the same."""
    path = tmp_path / "twice.csv"
    path.write_text("touchpoint,metric,value,n,period\nchat-agent,csat,80%,100,2026-Q1\nchat-agent,csat,60%,100,2026-Q1\n"
                    "search-faq,nps,32,100,2026-Q1\nsearch-faq,nps,+32,100,Q1 2026\n", encoding="utf-8")
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert [p.message for p in by_row.problems] == [
        f"a second row for 'chat-agent' / csat for period 2026-Q1 (the first is at {path}:2:1, with 80%; this one 60%);"
        " this later row is used",
        f"a second row for 'search-faq' / nps for period 2026-Q1 (the first is at {path}:4:1, with the same value);"
        " this later row is used",
    ]


def test_one_month_written_two_ways_is_a_duplicate_row_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """A table joined from two exports, one writing its months 2026-01 and the other Jan 2026: January's two rows (70%
    and 60%) were two points of the series, one month shown twice, and neither row was said to conflict with the other."""
    path = tmp_path / "joined.csv"
    path.write_text(
        "touchpoint,metric,value,n,period\n"
        "chat-agent,csat,70%,100,2026-01\n"
        "chat-agent,csat,60%,100,Jan 2026\n"
        "chat-agent,csat,72%,100,Feb 2026\n"
        "search-faq,csat,65%,100,January 2026\n"
        "search-faq,csat,75%,100,2026-01\n",
        encoding="utf-8",
    )
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    said = [(p.span.line, p.related[0].line, p.message) for p in by_row.problems if p.code == "duplicate-row"]
    assert said == [
        (3, 2, f"a second row for 'chat-agent' / csat for period Jan 2026 (the first, 2026-01, is at {path}:2:1, with 70%;"
               " this one 60%); this later row is used"),
        (6, 5, f"a second row for 'search-faq' / csat for period 2026-01 (the first, January 2026, is at {path}:5:1, with"
               " 65%; this one 75%); this later row is used"),
    ]
    chat = by_row.get("chat-agent", "csat")
    assert chat is not None
    assert [(p.period, p.value) for p in chat.series] == [("Jan 2026", pytest.approx(0.6)), ("Feb 2026", pytest.approx(0.72))]
    faq = by_row.get("search-faq", "csat")
    assert faq is not None and (faq.period, faq.value, faq.series) == ("2026-01", pytest.approx(0.75), ())


def test_a_pivot_tables_labels_left_empty_below_each_group_are_told_how_to_repeat_them_on_both_paths(
    tmp_path: Path, journey: Journey
) -> None:
    """An Excel pivot table in tabular form writes a touchpoint and a metric on a group's first row alone: each row below
    was "the touchpoint is empty", with no hint; so was a row without its value."""
    path = tmp_path / "pivot.csv"
    path.write_text(
        "touchpoint,metric,value,n,period\n"
        "chat-agent,csat,80%,100,2026-01\n"
        ",,82%,100,2026-02\n"
        "search-faq,csat,,100,2026-01\n",
        encoding="utf-8",
    )
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    said = [(p.code, p.span.line, p.span.col, p.message, p.hint) for p in by_row.problems]
    assert said == [
        ("missing-value", 3, 1, "the touchpoint is empty",
         "write the touchpoint on every row: a pivot table that does not repeat its labels leaves them empty below a"
         " group's first row (Excel: PivotTable Design > Report Layout > Repeat All Item Labels); the row is left out"),
        ("missing-value", 3, 2, "the metric is empty",
         "write the metric on every row: a pivot table that does not repeat its labels leaves them empty below a"
         " group's first row (Excel: PivotTable Design > Report Layout > Repeat All Item Labels); the row is left out"),
        ("missing-value", 4, 17, "the value is empty",
         "write the row's value, such as 71% or 0.71 for CSAT; the row is left out, as a row without a value has nothing"
         " to show"),
    ]


def test_response_times_as_bi_tools_export_them_are_told_the_duration_to_write_on_both_paths(
    tmp_path: Path, journey: Journey
) -> None:
    """'PT5M', '300000 ms', '0 days 00:05:30' were told "write a duration like 45s, 2m, 1h30m, 3d"."""
    path = tmp_path / "times.csv"
    path.write_text(
        "touchpoint,metric,value,n,period\n"
        "chat-agent,response_time,PT5M,100,2026-01\n"
        "chat-agent,response_time,300000 ms,100,2026-02\n"
        "chat-agent,response_time,0 days 00:05:30,100,2026-03\n"
        "chat-agent,response_time,5m,100,2026-04\n",
        encoding="utf-8",
    )
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.span.line, p.span.col, p.hint) for p in by_row.problems] == [
        ("metric-value", 2, 26, "an ISO 8601 duration: write 5m"),
        ("metric-value", 3, 26, "milliseconds are not read: write 5m"),
        ("metric-value", 4, 26, "write 5m30s"),
    ]


def test_values_a_spreadsheet_wrapped_are_told_the_number_inside_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """Excel's text apostrophe, a formula exported as written and an accounting format's negative NPS were told
    "write a number"."""
    path = tmp_path / "wrapped.csv"
    path.write_text(
        "touchpoint,metric,value,n\n"
        "chat-agent,csat,'74%,100\n"
        'chat-agent,nps,"=""32""",100\n'
        "search-faq,nps,(12),100\n",
        encoding="utf-8",
    )
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.span.line, p.span.col, p.hint) for p in by_row.problems] == [
        ("metric-value", 2, 17, "the apostrophe that keeps a spreadsheet's cell as text was exported with it: write 74%"),
        ("metric-value", 3, 16, "a spreadsheet formula was exported, not its value: write 32"),
        ("metric-value", 4, 16, "an accounting number format writes a negative number in brackets: write -12"),
    ]


def test_negative_amounts_and_ranges_are_told_at_their_cells_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """'(12) EUR', '12 EUR-' and a score or value written '4-5' were told only "write a number" (or an amount's form)."""
    table = tmp_path / "values.csv"
    table.write_text("touchpoint,metric,value,n\nchat-agent,clv,(12) EUR,100\nchat-agent,csat,4-5,100\n"
                     "search-faq,clv,12 EUR-,100\n", encoding="utf-8")
    by_row, by_duckdb = both_tables(journey, [table])
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.level, p.span.line, p.span.col) for p in by_row.problems] == [
        ("metric-value", "error", 2, 16), ("metric-value", "error", 3, 17), ("metric-value", "error", 4, 16)]
    assert ["is -12 EUR" in (p.hint or "") or "share of answers that are 4 or 5" in (p.hint or "")
            for p in by_row.problems] == [True, True, True]
    answers = tmp_path / "answers.csv"
    answers.write_text("touchpoint,metric,score\nchat-agent,csat,4-5\nchat-agent,csat,4\n", encoding="utf-8")
    by_row, by_duckdb = both(journey, [answers])
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.level, p.span.line, p.span.col, p.hint) for p in by_row.problems] == [
        ("score", "error", 2, 17, "'4-5' is a range of answers, not one: a score is one respondent's answer; write the answer"
                                  " given, 4 or 5")]


@pytest.mark.parametrize("content", [
    '"Touchpoint","Metric","Value","n"\n"chat-agent","csat","71.5%","1240"\n"search-faq","csat","70%","300"\n'
    '"Grand Total","","71.2%","1540"\n',
    '\ufeffsep=;\r\n"touchpoint";"metric";"value";"n";"period"\r\n"chat-agent";"csat";"71,5 %";"1.240";"Jan 2026"\r\n'
    '"search-faq";"csat";"70,0 %";"300";"Jan 2026"\r\n"Gesamtergebnis";"";"71,2 %";"1.540";""\r\n',
], ids=["power bi", "german excel"])
def test_a_quoted_total_row_below_the_rows_is_a_summary_on_both_paths(tmp_path: Path, journey: Journey, content: str) -> None:
    """Power BI and Tableau quote every cell, so the grand total below the rows was an unknown touchpoint ('Grand Total',
    'Gesamtergebnis' with no hint) and an empty metric, two errors, where the same row unquoted is one summary-rows
    warning."""
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8")
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.level, p.span.line) for p in by_row.problems if p.code != "decimal-comma"] == [
        ("summary-rows", "warning", 5 if "sep=" in content else 4)]
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and (csat.value, csat.n) == (pytest.approx(0.715), 1240)


def test_an_n_marked_missing_beside_a_value_reads_the_value_without_a_count_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """A BI export writes 'n/a', '-' or NULL where it has no count: the row's value, 81%, was left out behind an error
    ("n 'n/a' is not a whole number >= 0"), where a blank n reads it without one. It is read so, with a warning; a row
    whose value and n are both marked has no answers (a warning, as for a blank n)."""
    path = tmp_path / "marked.csv"
    path.write_text(
        "touchpoint,metric,value,n,period\n"
        "chat-agent,csat,80%,100,2026-01\n"
        "chat-agent,csat,81%,n/a,2026-02\n"
        "search-faq,csat,70%,NULL,2026-02\n"
        "search-faq,csat,n/a,-,2026-03\n",
        encoding="utf-8",
    )
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.level, p.span.line, p.span.col, p.message) for p in by_row.problems] == [
        ("invalid-count", "warning", 3, 21, "n 'n/a' marks no count: the value is read without one, so it has no interval"),
        ("invalid-count", "warning", 4, 21, "n 'NULL' marks no count: the value is read without one, so it has no interval"),
        ("no-answers", "warning", 5, 17, "the row has 'n/a' for its value and no n: a period or segment without answers,"
                                         " with nothing to show; it is left out"),
    ]
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and [(p.period, p.value, p.n) for p in csat.series] == [
        ("2026-01", pytest.approx(0.8), 100), ("2026-02", pytest.approx(0.81), None)]
    faq = by_row.get("search-faq", "csat")
    assert faq is not None and (faq.period, faq.n) == ("2026-02", None)


def test_a_pivot_tables_blank_persona_is_told_what_it_is_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """A pivot table by persona groups the rows without one under '(blank)': its row was "unknown persona '(blank)'" with
    the journey's personas for a hint, as if it were a misspelt one."""
    path = tmp_path / "pivot.csv"
    path.write_text("touchpoint,metric,value,n,persona\nchat-agent,csat,80%,100,new\nchat-agent,csat,70%,40,(blank)\n"
                    "chat-agent,csat,77%,140,Grand Total\n", encoding="utf-8")
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.span.line, p.message, p.hint) for p in by_row.problems] == [
        ("unknown-persona", 3, "unknown persona '(blank)': a persona's value is not everyone's, so the row is left out",
         "'(blank)' is a pivot table's group of the rows without a persona, not everyone's value (that is its total): give"
         " those rows their persona in the source, or leave the row out")]
    everyone = by_row.get("chat-agent", "csat")
    assert everyone is not None and (everyone.value, everyone.n) == (pytest.approx(0.77), 140)


def test_values_off_their_scale_are_told_what_to_write_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """A BI export's CSAT 120%, NPS 150, CES 9 and a negative response time were errors without a hint."""
    path = tmp_path / "off.csv"
    path.write_text(
        "touchpoint,metric,value,n,period\n"
        "chat-agent,csat,120%,100,2026-01\n"
        "chat-agent,nps,150,100,2026-01\n"
        "chat-agent,ces,9,100,2026-01\n"
        "chat-agent,response_time,-30,100,2026-01\n"
        "chat-agent,csat,71%,100,2026-02\n",
        encoding="utf-8",
    )
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    said = [(p.code, p.span.line, p.span.col, p.hint) for p in by_row.problems]
    assert said == [
        ("metric-value", 2, 17, "a share is at most 100%: write the share itself, between 0% and 100%, such as 71% or 0.71"),
        ("metric-value", 3, 16, "an NPS is the percentage of promoters less that of detractors, from -100 to +100: write that,"
                                " such as +32"),
        ("metric-value", 4, 16, "a CES is the mean answer on the 1..7 scale, such as 5.2: answers on another scale make a metric"
                                " of their own, declared in the journey with its scale (metrics: {ces_10: {scale: [1, 10],"
                                " better: higher}})"),
        ("metric-value", 5, 26, "a duration is never negative (a difference of two times taken the wrong way round?): write the"
                                " time itself, such as 30s"),
    ]
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and csat.value == pytest.approx(0.71)


def test_a_share_under_one_percent_written_with_a_leading_zero_is_told_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """A CSAT of 0.71% on 400 answers (three satisfied customers) was read without a word: most likely
    a share of 1, 0.71, that an export suffixed with '%'. Read as written, with a warning; not for a
    share where lower is better (churn), nor a plain 0.0071."""
    path = tmp_path / "shares.csv"
    path.write_text(
        "touchpoint,metric,value,n,period\n"
        "chat-agent,csat,0.71%,400,2026-01\n"
        "search-faq,retention,0.92 %,1000,2026-01\n"
        "search-faq,churn,0.71%,1000,2026-01\n"
        "search-faq,csat,0.0071,400,2026-01\n"
        "chat-agent,retention,1.5%,400,2026-01\n",
        encoding="utf-8",
    )
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    said = [(p.code, p.level, p.span.line, p.span.col, p.message, p.hint) for p in by_row.problems]
    assert said == [
        ("share-scale", "warning", 2, 17, "CSAT 0.71% looks like a share of 1 (0.71) written with a percent sign;"
         " it is read as written, under 1%", "did you mean 71%?"),
        ("share-scale", "warning", 3, 22, "Retention 0.92 % looks like a share of 1 (0.92) written with a percent sign;"
         " it is read as written, under 1%", "did you mean 92%?"),
    ]
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and csat.value == pytest.approx(0.0071)


def test_an_amount_whose_dot_may_separate_thousands_is_told_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """German Excel's 1.250 EUR was read as 1.25 EUR without a word (its n of 1.240 was refused): a series
    of 1.200 EUR and 1200 EUR jumped 1000-fold. Read as written, with a warning naming the other reading."""
    path = tmp_path / "clv.csv"
    path.write_text(
        "touchpoint,metric,value,n,period\n"
        "chat-agent,clv,1.200 EUR,300,2026-01\n"
        "chat-agent,clv,€1.250,300,2026-02\n"
        "chat-agent,clv,1200.50 EUR,300,2026-03\n"
        "search-faq,clv,0.250 EUR,300,2026-03\n"
        "search-faq,clv,12.5 EUR,300,2026-04\n",
        encoding="utf-8",
    )
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    said = [(p.code, p.level, p.span.line, p.span.col, p.message, p.hint) for p in by_row.problems]
    assert said == [
        ("thousands-separator", "warning", 2, 16, "CLV '1.200 EUR' is read as written, 1.2 EUR, but a dot followed by three"
         " digits may separate thousands", "if the dot separates thousands, write 1200 EUR"),
        ("thousands-separator", "warning", 3, 16, "CLV '€1.250' is read as written, 1.25 EUR, but a dot followed by three"
         " digits may separate thousands", "if the dot separates thousands, write €1250"),
    ]
    clv = by_row.get("chat-agent", "clv")
    assert clv is not None and [p.value for p in clv.series] == [1.2, 1.25, 1200.5]


def test_a_row_of_n_0_pooled_with_rows_that_have_answers_is_said_to_be_left_out(tmp_path: Path, journey: Journey) -> None:
    """Under --period the n-weighting gave a row of n 0 no weight, while its warning said "it is kept,
    as low confidence": the message now says what happened. Alone in its period it is kept."""
    path = tmp_path / "n0.csv"
    path.write_text(
        "touchpoint,metric,value,n,date\n"
        "chat-agent,csat,80%,200,2026-03-02\n"
        "chat-agent,csat,20%,0,2026-03-20\n"
        "chat-agent,csat,30%,0,2026-04-20\n",
        encoding="utf-8",
    )
    by_row, by_duckdb = both_tables(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    said = [(p.code, p.span.line, p.span.col, p.message) for p in by_row.problems]
    assert said == [
        ("invalid-count", 3, 21, "n is 0: the value rests on no answers; it is left out of the 2026-03 value of 'chat-agent'"
         " / csat, pooled from the period's rows with answers"),
        ("invalid-count", 4, 21, "n is 0: the value rests on no answers; it is kept, as low confidence"),
    ]
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and [(p.period, p.value, p.n) for p in csat.series] == [("2026-03", 0.8, 200), ("2026-04", 0.3, 0)]


def test_a_ces_sd_below_what_whole_answers_with_its_mean_can_have_is_invalid_on_both_paths(
    tmp_path: Path, journey: Journey
) -> None:
    """A CES of 4.8 on 300 answers with sd 0 (a blank exported as 0) was accepted, and the report said
    "every answer is the same": whole-number answers averaging 4.75 to 4.85 have an sd of at least 0.358."""
    path = tmp_path / "ces.csv"
    path.write_text(
        "touchpoint,metric,value,n,period,sd\n"
        "chat-agent,ces,4.8,300,2026-01,0\n"
        "chat-agent,ces,4.8,300,2026-02,0.36\n"
        "chat-agent,ces,4.8,300,2026-03,0.3\n"
        "chat-agent,ces,5,300,2026-04,0\n"
        "chat-agent,ces,5.0,300,2026-05,0\n"
        "search-faq,ces,4.8,1,2026-05,0\n"
        "search-faq,sentiment,0.3,300,2026-05,0\n",
        encoding="utf-8",
    )
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    said = [(p.code, p.span.line, p.span.col, p.message) for p in by_row.problems]
    assert said == [
        ("invalid-sd", 2, 32, "CES sd 0 is less than 300 whole-number answers on the 1..7 scale with a mean of 4.8 can have"
         " (at least 0.358)"),
        ("invalid-sd", 4, 32, "CES sd 0.3 is less than 300 whole-number answers on the 1..7 scale with a mean of 4.8 can have"
         " (at least 0.358)"),
    ]
    assert "leave sd empty where it is not known" in (by_row.problems[0].hint or "")
    ces = by_row.get("chat-agent", "ces")
    assert ces is not None and [p.period for p in ces.series] == ["2026-02", "2026-04", "2026-05"]


@pytest.mark.parametrize("form", ["{m} 2026", "{month} 2026", "2026 {m}", "{month}, 2026"])
def test_months_written_with_their_names_are_in_time_order_on_both_paths(tmp_path: Path, journey: Journey, form: str) -> None:
    """'Jan 2026' ... 'Apr 2026' sorted as text put April first and took March for the latest: its
    value replaced April's, the JSON series was not oldest first, and the warning said the labels did
    not share one form, though they did. They are kept as written and ordered as the months they name."""
    names = [("Jan", "January"), ("Feb", "February"), ("Mar", "March"), ("Apr", "April")]
    labels = [form.format(m=m, month=month) for m, month in names]
    scores = dict(zip(labels, ["5554", "5541", "5411", "4111"], strict=True))
    answers = write_rows(tmp_path / "answers.csv", [
        ["chat-agent", "csat", score, f"r{i}", label, "Fine" if i % 2 else ""]
        for i, (label, score) in enumerate((label, score) for label in labels for score in scores[label])
    ], ["touchpoint", "metric", "score", "respondent", "period", "comment"])
    by_row, by_duckdb = both(journey, [answers])
    assert_same(by_row, by_duckdb)
    sentiment = by_row.get("chat-agent", "sentiment")  # the comments' series too
    assert sentiment is not None and [p.period for p in sentiment.series] == labels
    for data in (by_row, load_metric_data(journey, metrics=[_table(tmp_path, labels)], engine="python"),
                 load_metric_data(journey, metrics=[_table(tmp_path, labels)], engine="duckdb")):
        assert not data.problems
        csat = data.get("chat-agent", "csat")
        assert csat is not None and csat.period == labels[-1]
        assert [p.period for p in csat.series] == labels
        assert csat.value == pytest.approx(0.25)


def _table(tmp_path: Path, labels: list[str]) -> Path:
    path = tmp_path / "metrics.csv"
    path.write_text("touchpoint,metric,value,n,period\n" + "".join(
        f"chat-agent,csat,{share},400,{chr(34) + label + chr(34) if ',' in label else label}\n"  # 'January, 2026' quoted
        for share, label in zip(["100%", "75%", "50%", "25%"], labels, strict=True)
    ), encoding="utf-8")
    return path


def test_quarters_written_year_last_are_read_as_the_quarters_they_name(tmp_path: Path, journey: Journey) -> None:
    """'Q1 2026' ... 'Q4 2025' were four periods ordered as text: Q4 2025 was the latest (with a
    period-order warning). They are 2026-Q1 ... 2025-Q4, and 2026-Q3 is the latest."""
    path = _table(tmp_path, ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2025"])
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert by_row.problems == []
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and (csat.period, csat.value) == ("2026-Q3", 0.5)
    assert [p.period for p in csat.series] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_period_in_no_one_calendar_is_an_error_at_its_cell(tmp_path: Path, journey: Journey, engine: str) -> None:
    path = _table(tmp_path, ["2026-Q1", "Q2-96", "FY2026 W14", "2026q4"])
    data = load_metric_data(journey, metrics=[path], engine=engine)
    assert [(p.code, p.level, p.span.line, p.span.col) for p in data.problems] == [
        ("ambiguous-period", "error", 3, 25), ("ambiguous-period", "error", 4, 25)]
    assert data.problems[0].message == (
        "period 'Q2-96' cannot be read as one calendar period: its year is written in two digits; the row is left out")
    assert "it is a fiscal year's, and where that year starts is not written" in data.problems[1].message
    csat = data.get("chat-agent", "csat")
    assert csat is not None and [p.period for p in csat.series] == ["2026-Q1", "2026-Q4"]


def test_weeks_and_quarters_written_with_their_words_are_read_as_the_periods_they_name(tmp_path: Path, journey: Journey) -> None:
    """'Week 52 2025', 'KW 1 2026' (German), '2026 Week 2', 'Wk 3, 2026' were kept as written and ordered as text
    ('KW 1 2026' before 'Week 52 2025', a period-order warning, no trend); so were 'Quarter 1 2026' and 'Qtr 2, 2026'."""
    path = _table(tmp_path, ["Week 52 2025", "KW 1 2026", "2026 Week 2", "Wk. 3 2026"])
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert by_row.problems == []
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and [p.period for p in csat.series] == ["2025-W52", "2026-W01", "2026-W02", "2026-W03"]
    quarters = load_metric_data(journey, metrics=[_table(tmp_path, ["Quarter 3 2025", "Qtr 4 2025", "2026 Quarter 1", "Q 2 2026"])],
                                engine="python")
    csat = quarters.get("chat-agent", "csat")
    assert csat is not None and [p.period for p in csat.series] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    from journeymap.data.summary import canonical_period

    assert canonical_period("Week 05, 2026") == ("2026-W05", None) and canonical_period("Qtr 2, 2026") == ("2026-Q2", None)


def test_half_years_are_read_as_the_halves_they_name(tmp_path: Path, journey: Journey) -> None:
    """'H1 2026', 'H2 2025' were ordered as text: 'H2 2025' was the latest (a period-order warning said
    they may not sort), and 2026-H1's value was not the touchpoint's. 'H1-96' and 'FY95 H1' are not guessed ('FY26 H1' is
    the fiscal FY2026-H1, 'H1-26' the half 2026-H1: a year in two digits from 00 to 29, as Excel reads one)."""
    from journeymap.analysis import analyze

    path = _table(tmp_path, ["H2 2025", "2026H1", "2026-H2", "1H2027"])
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert by_row.problems == []
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and (csat.period, csat.value) == ("2027-H1", 0.25)
    assert [p.period for p in csat.series] == ["2025-H2", "2026-H1", "2026-H2", "2027-H1"]
    status = analyze(journey, data=by_row).touchpoints["chat-agent"].metrics["csat"]
    assert status.verdict is not None and status.verdict.startswith("CSAT 100% → 25% over 4 half-years")
    unread = load_metric_data(journey, metrics=[_table(tmp_path, ["H1-96", "FY95 H1", "2026-H1", "2026-H2"])], engine="python")
    assert [(p.code, p.span.line) for p in unread.problems] == [("ambiguous-period", 2), ("ambiguous-period", 3)]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_fiscal_quarters_are_read_as_fiscal_labels_in_fiscal_order_never_as_calendar_quarters(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """A finance or BI export labelled in fiscal quarters ('FY26 Q3', 'Q1 FY27') was an ambiguous-period error on every
    row: the whole history was left out. Where the fiscal year starts is not written, so no calendar quarter is
    guessed; each is read as its fiscal label, 'FY2026-Q3', which sorts by date among fiscal labels, and the trend
    counts quarters between them."""
    from journeymap.analysis import analyze

    path = _table(tmp_path, ["FY26 Q3", "Q4 FY2026", "FY27-Q1", "FY2026 Q2"])
    data = load_metric_data(journey, metrics=[path], engine=engine)
    assert data.problems == []
    csat = data.get("chat-agent", "csat")
    assert csat is not None and (csat.period, csat.value) == ("FY2027-Q1", 0.5)
    assert [(p.period, p.value) for p in csat.series] == [("FY2026-Q2", 0.25), ("FY2026-Q3", 1.0), ("FY2026-Q4", 0.75),
                                                         ("FY2027-Q1", 0.5)]
    status = analyze(journey, data=data).touchpoints["chat-agent"].metrics["csat"]
    assert status.verdict is not None and status.verdict.startswith("CSAT 25% → 50% over 4 quarters")
    # a fiscal half-year or year too; a fiscal year in two digits after FY29 (FY95: 1995?), or a fiscal week, is not guessed
    path = _table(tmp_path, ["FY26 H2", "FY2027 H1", "FY30 Q1", "FY26 W05"])
    data = load_metric_data(journey, metrics=[path], engine=engine)
    assert [(p.code, p.level, p.span.line, p.span.col) for p in data.problems] == [
        ("ambiguous-period", "error", 4, 25), ("ambiguous-period", "error", 5, 25)]
    assert data.problems[0].message == ("period 'FY30 Q1' cannot be read as one calendar period: its year is written in two"
                                        " digits; the row is left out")
    assert data.problems[1].message == ("period 'FY26 W05' cannot be read as one calendar period: it is a fiscal year's,"
                                        " and where that year starts is not written; the row is left out")
    csat = data.get("chat-agent", "csat")
    assert csat is not None and [p.period for p in csat.series] == ["FY2026-H2", "FY2027-H1"]
    # beside calendar periods a fiscal one cannot be placed: the series is told so
    data = load_metric_data(journey, metrics=[_table(tmp_path, ["2026-Q1", "FY2026", "2026-Q2", "2026-Q3"])], engine=engine)
    assert {(p.code, p.level, p.message, p.hint) for p in data.problems} == {(
        "period-order", "warning", "periods are ordered as text, and 'FY2026' is in none of the forms that sort by date"
        " (2026-Q2, 2026-04 or Apr 2026, 2026-W14, 2026-04-02): the latest may not be the newest (4 rows: lines 2, 3, 4, 5)",
        "'FY2026' is a fiscal year's, and where that year starts is not written, so it cannot be placed among calendar"
        " periods: write the series in fiscal periods alone (FY2026-Q1) or in calendar ones; write every period of a series"
        " in one form: 2026-Q2, 2026-04, 2026-W14 or 2026-04-02")}
    # a finance export written wide, a column a fiscal quarter, is still told how to write it long
    wide = tmp_path / "wide.csv"
    wide.write_text("touchpoint,metric,FY26 Q1,FY26 Q2\nchat-agent,csat,71%,72%\n", encoding="utf-8")
    told = load_metric_data(journey, metrics=[wide], engine=engine).problems
    assert [(p.code, p.span.line) for p in told] == [("missing-column", 1)]
    assert (told[0].hint or "").startswith("its columns 'FY26 Q1', 'FY26 Q2' are periods: the table is wide")


def test_months_written_as_statistics_offices_write_them_are_read_as_the_months_they_name(tmp_path: Path, journey: Journey) -> None:
    """Eurostat, the IMF, SAS and Stata write a month '2026M01' or '2026m1': kept as written and ordered as text, '2026M2'
    came after '2026M10' and February was taken for the latest month, behind a period-order warning."""
    path = _table(tmp_path, ["2025M12", "2026M1", "2026m10", "2026-M02"])
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert by_row.problems == []
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and (csat.period, csat.value) == ("2026-10", 0.5)
    assert [p.period for p in csat.series] == ["2025-12", "2026-01", "2026-02", "2026-10"]


def test_excel_months_with_their_year_in_two_digits_are_read_in_date_order_but_a_day_is_not_guessed(
    tmp_path: Path, journey: Journey
) -> None:
    """Excel's mmm-yy months ('Aug-26', 'Sep-26', 'Oct-26') were kept as written and ordered as text: 'Sep-26' was
    taken for the latest month, its value for the touchpoint's, behind a period-order warning; then every such row was
    an ambiguous-period error, and a history saved from Excel was left out. They are the months they name (a year in
    two digits from 00 to 29, as Excel reads one), kept as written and ordered as dates; 'Sep 26' may be 26 September,
    as English writes a day, and is not guessed."""
    path = _table(tmp_path, ["Jul-26", "Aug-26", "Oct-26", "Sep 26"])
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.span.line) for p in by_row.problems] == [("ambiguous-period", 5)]
    assert by_row.problems[0].message == (
        "period 'Sep 26' cannot be read as one calendar period: it may be 26 September, a day whose year is not written,"
        " or September 2026 (write 2026-09 for the month); the row is left out")
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and (csat.period, csat.value) == ("Oct-26", 0.5)
    assert [p.period for p in csat.series] == ["Jul-26", "Aug-26", "Oct-26"]


def test_a_period_written_as_its_first_and_last_days_is_the_period_they_span(tmp_path: Path, journey: Journey) -> None:
    """An analytics export writes a report's range, '2025-12-01 - 2025-12-31': such labels were kept as written
    and mixed with ISO months they sorted after ('2026-01' came before '2025-12-01 - ...'), with no trend.
    A range that is exactly one month, ISO week, quarter, half or year is that period; another stays as written."""
    path = _table(tmp_path, ["2025-12-01 - 2025-12-31", "2026-01", "2026-02-01/2026-02-28", "2026-03-01 to 2026-03-31"])
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert by_row.problems == []
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and [p.period for p in csat.series] == ["2025-12", "2026-01", "2026-02", "2026-03"]
    assert (csat.period, csat.value) == ("2026-03", 0.25)
    from journeymap.data.summary import canonical_period

    assert [canonical_period(x)[0] for x in ("2026-12-28/2027-01-03", "2026-04-01 - 2026-06-30", "2026-01-01 - 2026-01-15")] == [
        "2026-W53", "2026-Q2", "2026-01-01 - 2026-01-15"]


def test_a_file_of_comments_alone_is_read_as_comments(tmp_path: Path, journey: Journey) -> None:
    """A helpdesk's or an app store's texts (touchpoint, comment, date) were refused: 'no columns metric, score',
    though a row may hold only a comment. A row of neither answer nor comment is one empty-answer warning."""
    path = write_rows(tmp_path / "texts.csv", [["chat-agent", "Slow and rude", "2026-04-02"], ["chat-agent", "Great help", "2026-04-03"],
                                               ["chat-agent", "", "2026-04-03"]], ["touchpoint", "comment", "date"])
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.level, p.span.line) for p in by_row.problems] == [("empty-answer", "warning", 4)]
    assert by_row.verbatims["chat-agent"].comments == 2
    sentiment = by_row.get("chat-agent", "sentiment")
    assert sentiment is not None and sentiment.period == "2026-04"


def test_answers_of_no_one_are_each_counted_not_repeats(tmp_path: Path, journey: Journey) -> None:
    """An export writes 'Anonymous', 'NULL' or 'N/A' where no respondent is known: taken for one respondent,
    every such answer but the first was a repeat, left out (ten anonymous answers counted as one)."""
    rows = [["chat-agent", "csat", str(1 + i % 5), who, "2026-04-02", "", ""]
            for i, who in enumerate(["Anonymous", "Anonymous", "NULL", "NULL", "N/A", "N/A", "anonymous", "R1", "R1"])]
    path = write_rows(tmp_path / "answers.csv", rows)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.span.line) for p in by_row.problems] == [("duplicate-respondent", 10)]
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and csat.n == 8


def test_answers_asked_on_a_shorter_scale_are_one_warning(tmp_path: Path, journey: Journey) -> None:
    """A CES asked 1..5 ('5 = very easy') read on 1..7 gave a mean of 4 'below the 5 target' without a word: 40
    answers none above 5, a fifth of them 5. The value is kept; 1..7 answers that reach 6 or 7 are not told."""
    rows = [["chat-agent", "ces", str([2, 3, 4, 4, 5][i % 5]), f"r{i}", "2026-04-02", "", ""] for i in range(40)]
    rows += [["search-faq", "ces", str(1 + i % 7), f"s{i}", "2026-04-02", "", ""] for i in range(40)]
    path = write_rows(tmp_path / "answers.csv", rows)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.level, p.span.line) for p in by_row.problems] == [("shorter-scale", "warning", 2)]
    assert by_row.problems[0].message == ("the 40 CES answers for 'chat-agent' go no higher than 5, and 8 of them are 5: they"
                                          " look asked on a 1..5 scale, and are read on CES's 1..7")
    ces = by_row.get("chat-agent", "ces")
    assert ces is not None and ces.value == pytest.approx(3.6)


def test_answers_of_periods_asked_on_a_shorter_scale_among_others_are_one_warning(tmp_path: Path, journey: Journey) -> None:
    """A CES survey asked 1..5 until April and 1..7 from May (or two exports of the two surveys): the touchpoint's answers
    reach 7, so no shorter-scale warning, and the 1..5 months were averaged with the 1..7 ones without a word -- a
    CES 'rising' from 3.6 to 4.4 that is the scale's change. The periods whose answers go no higher than 5, often 5,
    beside periods that go higher, are one warning naming them; the values are kept, on both readers."""
    rows = [["chat-agent", "ces", str([1, 2, 3, 4, 5, 5, 5, 4][i % 8]), f"r{i}", f"2026-0{3 + i % 2}-02", "", ""] for i in range(80)]
    rows += [["chat-agent", "ces", str([1, 2, 3, 4, 5, 6, 7, 7][i % 8]), f"s{i}", "2026-05-02", "", ""] for i in range(40)]
    rows += [["search-faq", "ces", str(1 + i % 7), f"t{i}", f"2026-0{3 + i % 3}-02", "", ""] for i in range(60)]  # 1..7 each month
    # 1..7 answers whose 6s and 7s are rare (2 of 120): months without one come by chance, and are not told
    rows += [["solved", "ces", "6" if i in (90, 110) else str(3 + i % 3), f"u{i}", f"2026-0{3 + i // 40}-02", "", ""]
             for i in range(120)]
    path = write_rows(tmp_path / "answers.csv", rows)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.level, p.span.line) for p in by_row.problems] == [("mixed-scale", "warning", 2)]
    assert by_row.problems[0].message == (
        "the 80 CES answers for 'chat-agent' in 2026-03 and 2026-04 go no higher than 5, and 30 of them are 5, while those"
        " of 2026-05 reach 7: they look asked on a 1..5 scale then, and are read on CES's 1..7 with the others, so the"
        " CES and its trend mix two scales")
    assert by_row.problems[0].hint == (
        "if the survey asked 1..5 then, convert those answers to 1..7 (or leave those periods out of the file);"
        " if it asked 1..7 throughout, no one answered above 5 then")
    ces = by_row.get("chat-agent", "ces")
    assert ces is not None and [(p.period, p.n) for p in ces.series] == [("2026-03", 40), ("2026-04", 40), ("2026-05", 40)]
    assert by_row.get("solved", "ces") is not None
    by_row, by_duckdb = both(journey, [path], None)  # no periods: nothing to tell apart
    assert_same(by_row, by_duckdb)
    assert by_row.problems == []


def test_nps_answers_asked_on_one_to_ten_are_one_warning(tmp_path: Path, journey: Journey) -> None:
    """An NPS asked 1..10 (Medallia's and many form tools' default) has no 0 and many 1s, its lowest answer: read on
    0..10 without a word. 200 answers with 16 of 1 and no 0 are now one warning; 0..10 answers with their 0s, and a
    few 1s without a 0, are not told."""
    one_to_ten = [1, 1, 2, 3, 5, 6, 7, 8, 8, 9, 9, 10, 10, 10, 10, 8, 7, 9, 10, 10, 9, 8, 10, 6, 5]
    rows = [["chat-agent", "nps", str(one_to_ten[i % 25]), f"r{i}", "2026-04-02", "", ""] for i in range(200)]
    rows += [["search-faq", "nps", str(i % 11), f"s{i}", "2026-04-02", "", ""] for i in range(200)]  # 0..10
    few = [1, 4, 7, 8, 9, 10, 10, 9, 8, 7] * 5  # five 1s in 50, no 0: chance
    rows += [["solved", "nps", str(score), f"t{i}", "2026-04-02", "", ""] for i, score in enumerate(few)]
    path = write_rows(tmp_path / "answers.csv", rows)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.level, p.span.line) for p in by_row.problems] == [("one-to-ten-scale", "warning", 2)]
    assert by_row.problems[0].message == ("none of the 200 NPS answers for 'chat-agent' is 0, and 16 of them are 1: they look"
                                          " asked on a 1..10 scale, and are read on NPS's 0..10 (9 and 10 promoters, 1 to 6"
                                          " detractors)")
    nps = by_row.get("chat-agent", "nps")
    assert nps is not None and nps.n == 200


def test_a_row_of_neither_answer_nor_comment_is_one_warning(tmp_path: Path, journey: Journey) -> None:
    """A survey opened and left writes a row of its touchpoint and date alone: it was an error, 'the survey metric is
    empty' (exit 1 for a clean export), and a blank-score warning beside it."""
    path = write_rows(tmp_path / "answers.csv", [["chat-agent", "csat", "4", "r1", "2026-04-02", "", ""],
                                                 ["chat-agent", "", "", "r2", "2026-04-02", "new", ""]])
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.level, p.span.line) for p in by_row.problems] == [("empty-answer", "warning", 3)]


def test_a_week_named_by_its_monday_is_that_iso_week(tmp_path: Path, journey: Journey) -> None:
    """'Week of 2026-03-02', 'w/c 2026-03-09' (week commencing) were kept as written, mixed with ISO weeks they sorted
    after, with a period-order warning and no trend. A week named by its Monday is that ISO week."""
    path = _table(tmp_path, ["2026-W09", "Week of 2026-03-02", "w/c 2026-03-09", "Week starting 2026-03-16"])
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert by_row.problems == []
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and [p.period for p in csat.series] == ["2026-W09", "2026-W10", "2026-W11", "2026-W12"]


def test_a_period_without_its_year_is_an_error_not_ordered_as_text(tmp_path: Path, journey: Journey) -> None:
    """A dashboard of one year labels its columns 'November', 'December', 'January': ordered as text,
    'November' was the latest, its value the touchpoint's (behind a period-order warning); 'Q4' and 'Q1'
    across a year's end likewise. A month, quarter, week or half-year without its year is not guessed."""
    path = _table(tmp_path, ["November", "December", "January", "Q4"])
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.span.line) for p in by_row.problems] == [("ambiguous-period", line) for line in (2, 3, 4, 5)]
    assert by_row.problems[0].message == ("period 'November' cannot be read as one calendar period: its year is not"
                                          " written; the row is left out")
    assert by_row.get("chat-agent", "csat") is None
    answers = write_rows(tmp_path / "answers.csv", [["chat-agent", "csat", "5", "r1", "Week 5", ""]],
                         ["touchpoint", "metric", "score", "respondent", "period", "comment"])
    assert [p.code for p in load_metric_data(journey, responses=[answers], engine="python").problems] == ["ambiguous-period"]


def test_a_persona_written_as_its_label_or_name_is_that_persona(tmp_path: Path, journey: Journey) -> None:
    """A survey tool writes a segment as its label: 'New Customer' (the persona's name), 'new_customer'
    or 'REGULAR'. Only other capitals of the id were read; the others were unknown-persona warnings, and
    every such answer was lost to the persona's view."""
    answers = write_rows(tmp_path / "answers.csv", [
        ["chat-agent", "csat", "5", "r1", "2026-04-01", "New Customer", ""],
        ["chat-agent", "csat", "4", "r2", "2026-04-01", "new customer", ""],
        ["chat-agent", "csat", "1", "r3", "2026-04-01", "REGULAR", ""],
        ["chat-agent", "csat", "2", "r4", "2026-04-01", " regular ", ""],
    ])
    by_row, by_duckdb = both(journey, [answers])
    assert_same(by_row, by_duckdb)
    assert by_row.problems == []
    assert {persona: points[("chat-agent", "csat")].n for persona, points in by_row.personas.items()} == {"new": 2, "regular": 2}


def test_a_persona_written_in_the_plural_is_that_persona_with_a_warning(tmp_path: Path, journey: Journey) -> None:
    """A CRM writes a segment in the plural: 'Regulars', 'New customers' (the persona's name, plural). Each
    was an unknown-persona warning and its answers counted for no persona: the regulars' view showed
    everyone's CSAT as if nobody had said they were regulars. Such a value, the plural of one persona's id
    or name, is now that persona, with one warning per distinct value that counts its rows and says
    what to write; both readers, and a metrics table's row too."""
    answers = write_rows(tmp_path / "answers.csv", [
        ["chat-agent", "csat", "5", "r1", "2026-04-01", "Regulars", ""],
        ["chat-agent", "csat", "4", "r2", "2026-04-01", "Regulars", ""],
        ["chat-agent", "csat", "1", "r3", "2026-04-01", "New customers", ""],
    ])
    by_row, by_duckdb = both(journey, [answers])
    assert_same(by_row, by_duckdb)
    assert {persona: points[("chat-agent", "csat")].n for persona, points in by_row.personas.items()} == {"regular": 2, "new": 1}
    told = [(p.code, p.level, p.span.line, p.message, p.hint) for p in by_row.problems]
    assert told == [
        ("persona-plural", "warning", 2, "persona 'Regulars' is not an id of the journey: read as the plural of"
         " persona 'regular' (2 rows: lines 2, 3)", "write 'regular', the persona's id"),
        ("persona-plural", "warning", 4, "persona 'New customers' is not an id of the journey: read as the plural of"
         " persona 'new'", "write 'new', the persona's id"),
    ]
    table = tmp_path / "metrics.csv"
    table.write_text("touchpoint,metric,value,n,period,segment\nchat-agent,csat,50%,100,2026-Q3,regulars\n", encoding="utf-8")
    rows, duck = both_tables(journey, [table])
    assert_same(rows, duck)
    assert rows.personas["regular"][("chat-agent", "csat")].value == 0.5
    assert [p.code for p in rows.problems] == ["persona-plural"]


def test_a_metrics_row_for_all_personas_is_everyones(tmp_path: Path, journey: Journey) -> None:
    """A BI tool's table gives each segment's row and the total's, its segment 'All' (a pivot's '(All)',
    'Total'): that row was left out as an unknown persona's, and the journey file's value kept as everyone's."""
    path = tmp_path / "metrics.csv"
    path.write_text("touchpoint,metric,value,n,period,segment\n"
                    "chat-agent,csat,60%,400,2026-Q3,All\nchat-agent,csat,50%,100,2026-Q3,new\n"
                    "chat-agent,csat,70%,300,2026-Q3,regular\nsearch-faq,csat,80%,50,2026-Q3,(All)\n", encoding="utf-8")
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    assert by_row.problems == []
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and (csat.value, csat.n, csat.persona) == (0.6, 400, None)
    assert by_row.personas["new"][("chat-agent", "csat")].value == 0.5
    answers = write_rows(tmp_path / "answers.csv", [["chat-agent", "csat", "5", "r1", "2026-04-01", "Total", ""]])
    assert load_metric_data(journey, responses=[answers], engine="python").problems == []


def test_many_distinct_comments_analysed_by_a_pool_give_the_same_verbatims(
    tmp_path: Path, journey: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymap.data import verbatims

    words = ["slow", "quick", "rude", "kind", "agent", "wait", "time", "great", "awful", "refund"]
    rows = [["chat-agent" if i % 2 else "search-faq", "csat", str(1 + i % 5), f"r{i}", "2026-04-02", ["new", "regular", ""][i % 3],
             f"{words[i % 10]} {words[(i // 10) % 10]} {words[(i // 100) % 10]} order {i}"] for i in range(400)]
    path = write_rows(tmp_path / "free.csv", rows)
    alone = load_metric_data(journey, responses=path, engine="duckdb")
    monkeypatch.setattr(verbatims, "POOL_FROM", 10)
    pooled = load_metric_data(journey, responses=path, engine="duckdb")
    assert_same(alone, pooled)
    assert alone.verbatims["chat-agent"].comments == 200 and alone.verbatims["chat-agent"].sentiment is not None


def test_report_engine_option_reads_survey_files_either_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from journeymap.cli import main

    journey_file = tmp_path / "support.journey.yaml"
    journey_file.write_text(JOURNEY, encoding="utf-8")
    answers = tmp_path / "answers.csv"
    answers.write_bytes(BROKEN["bad dates and scores"])
    outputs = []
    for engine in ("python", "duckdb"):
        code = main(["report", str(journey_file), "--responses", str(answers), "--engine", engine, "--format", "json"])
        captured = capsys.readouterr()
        outputs.append((code, captured.out, captured.err))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 1 and "answers.csv:3:" in outputs[0][2]  # the score off its scale, with its place


def test_a_qualtrics_import_id_row_is_one_warning(tmp_path: Path, journey: Journey) -> None:
    """The row of {"ImportId": ...} cells under a Qualtrics header was an unknown touchpoint, an
    unknown metric and an invalid date: three errors that did not say what the row is."""
    path = tmp_path / "answers.csv"
    path.write_bytes(BROKEN["a Qualtrics export's header rows"])
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    third = [(p.code, p.level, p.span.col) for p in by_row.problems if p.span.line == 3]
    assert third == [("export-header", "warning", 1)]
    assert by_row.get("chat-agent", "csat") is not None


def test_qualtrics_header_rows_under_filled_in_columns_are_one_warning_each_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """A Qualtrics export whose touchpoint and metric columns were added and filled down into its question-text and
    import-id rows: the import ids were a score error (exit 1) and an invalid date, as only a touchpoint of import ids
    was told. Each header row is one export-header warning."""
    header = ["StartDate", "touchpoint", "metric", "Q1", "comment"]
    rows = [["Start Date", "chat-agent", "csat", "How satisfied were you?", "Anything else?"],
            ['{"ImportId":"startDate"}', "chat-agent", "csat", '{"ImportId":"QID1"}', '{"ImportId":"QID2_TEXT"}'],
            ["2026-04-02 10:00:00", "chat-agent", "csat", "5", "great"]]
    path = write_rows(tmp_path / "answers.csv", rows, header)
    for engine in ("python", "duckdb"):
        got = _read_as(journey, path, engine, {"score": "Q1", "date": "StartDate"})
        assert [(p.code, p.level, p.span.line, p.span.col) for p in got.problems] == [
            ("export-header", "warning", 2, 1), ("export-header", "warning", 3, 48)]
        csat = got.get("chat-agent", "csat")
        assert csat is not None and csat.n == 1 and got.verbatims["chat-agent"].comments == 1


def test_qualtrics_dates_in_the_surveys_time_zone_are_said_to_be_read_as_utc_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """Qualtrics writes its dates in the time zone its import-id row names ('{"ImportId":"recordedDate","timeZone":
    "America/Denver"}'), without an offset: they were read as UTC without a word, an answer at 6 pm on April 30th in
    Denver counted on that day though it was May 1st in UTC. One warning says so at that cell, with what to do."""
    header = ["RecordedDate", "touchpoint", "metric", "score"]
    rows = [["Recorded Date", "Touchpoint", "Metric", "How satisfied were you?"],
            ['{"ImportId":"recordedDate","timeZone":"America/Denver"}', '{"ImportId":"tp"}', '{"ImportId":"m"}',
             '{"ImportId":"QID1"}'],
            ["2026-04-30 18:00:00", "chat-agent", "csat", "5"]]
    path = write_rows(tmp_path / "answers.csv", rows, header)
    for engine in ("python", "duckdb"):
        got = _read_as(journey, path, engine, {"date": "RecordedDate"})
        told = [(p.code, p.level, p.span.line, p.span.col, p.message) for p in got.problems if p.code != "export-header"]
        assert told == [("date-zone", "warning", 3, 1, "Qualtrics' import-id row says the 'RecordedDate' column's times"
                         " are in America/Denver, written without their offset: they are read as UTC, so an answer near"
                         " midnight may be counted on the day before or after")], told
    # UTC, as an export set to it writes it: nothing to say
    rows[1][0] = '{"ImportId":"recordedDate","timeZone":"UTC"}'
    path = write_rows(tmp_path / "utc.csv", rows, header)
    got = _read_as(journey, path, "python", {"date": "RecordedDate"})
    assert [p.code for p in got.problems if p.code != "export-header"] == []


def test_a_qualtrics_question_text_row_is_one_warning(tmp_path: Path, journey: Journey) -> None:
    """The row of question texts above the import ids was an unknown touchpoint, an unknown metric, a bad
    date and an unknown persona: two errors (exit 1) and two warnings for a clean export's second row."""
    path = tmp_path / "answers.csv"
    path.write_bytes(BROKEN["a Qualtrics export's header rows"].replace(
        b"Touchpoint,Metric,How satisfied", b"Which step did you take?,Which survey?,How satisfied"))
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.level, p.span.line) for p in by_row.problems] == [("export-header", "warning", 2), ("export-header", "warning", 3)]
    assert "question texts" in by_row.problems[0].message and "sed -i '2,3d'" in (by_row.problems[0].hint or "")
    assert by_row.get("chat-agent", "csat") is not None


@pytest.mark.parametrize("score", ["\u00b2", "\u0664", "\u0669", "\uff14"])  # ², Arabic-Indic 4 and 9, full-width 4
def test_a_score_of_digits_that_are_not_0_to_9_is_a_score_problem_on_both_paths(
    tmp_path: Path, journey: Journey, score: str
) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(",".join(HEADER) + f"\nchat-agent,csat,{score},r1,2026-04-02,new,\nchat-agent,csat,4,r2,2026-04-02,new,\n", encoding="utf-8")
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    [problem] = by_row.problems
    assert (problem.code, problem.span.line, problem.span.col) == ("score", 2, 17)
    assert f"CSAT score '{score}' is not a number" in problem.message
    point = by_row.get("chat-agent", "csat")
    assert point is not None and point.n == 1


def test_metric_names_are_read_in_any_capitals_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """Exports write 'CSAT' and 'NPS': they are csat and nps (and a respondent is one respondent across them)."""
    path = tmp_path / "answers.csv"
    path.write_text(",".join(HEADER) + "\n" + GOOD + GOOD.replace(",csat,4,r1,", ",CSAT,2,r1,")
                    + GOOD.replace(",csat,4,r1,", ", Csat ,5,r2,") + GOOD.replace(",csat,4,r1,", ",NPS,9,r3,"), encoding="utf-8")
    for data in both(journey, [path]):
        csat, nps = data.get("chat-agent", "csat"), data.get("chat-agent", "nps")
        assert csat is not None and nps is not None
        assert (csat.n, csat.value, nps.n) == (2, 1.0, 1)
        assert [p.code for p in data.problems] == ["duplicate-respondent"]
    table = tmp_path / "table.csv"
    table.write_text("touchpoint,metric,value\nchat-agent,NPS,40\nsearch-faq,Csat,80%\n", encoding="utf-8")
    for data in both_tables(journey, [table]):
        nps, csat = data.get("chat-agent", "nps"), data.get("search-faq", "csat")
        assert nps is not None and csat is not None and (nps.value, csat.value) == (40.0, 0.8)
        assert not data.problems


def test_touchpoint_ids_are_read_in_any_capitals_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    """'Chat-Agent' was an unknown-touchpoint error with "did you mean 'chat-agent'?" (its answers lost), where 'CSAT'
    and 'Busy-Parent' were read. A journey's ids are lowercase slugs, so an id in other capitals names exactly one
    touchpoint: it is that touchpoint, in answers, comments, a respondent's repeats and a metrics table alike."""
    rows = [["chat-agent", "csat", "4", "r1", "2026-04-02", "new", "Quick and kind"],
            ["Chat-Agent", "csat", "2", "r2", "2026-04-03", "", "slow reply, not happy"],
            [" CHAT-AGENT ", "CSAT", "5", "r3", "2026-04-04", "", ""],
            ["Chat-Agent", "", "", "r4", "2026-04-05", "", "a comment on its own"],
            ["CHAT-agent", "csat", "1", "r1", "2026-04-06", "new", ""],  # r1 again: a repeat, whatever the capitals
            ["Search-FAQ", "nps", "10", "r5", "2026-04-02", "", ""],
            ["Chat-Agnet", "csat", "3", "r6", "2026-04-02", "", ""]]  # a typo is still told
    path = write_rows(tmp_path / "answers.csv", rows)
    lowered = write_rows(tmp_path / "lowered.csv", [[row[0].strip().lower(), *row[1:]] for row in rows])
    by_row, by_duckdb, read = both_engine_read(journey, [path])
    assert read
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.span.line, p.span.col) for p in by_row.problems] == [
        ("duplicate-respondent", 6, 19), ("unknown-touchpoint", 8, 1)]
    assert by_row.problems[1].message == "unknown touchpoint 'Chat-Agnet': the journey 'support' has no such touchpoint"
    assert by_row.problems[1].hint == "did you mean 'chat-agent'?"
    csat, nps = by_row.get("chat-agent", "csat"), by_row.get("search-faq", "nps")
    assert csat is not None and nps is not None and (csat.n, nps.n) == (3, 1)
    assert by_row.verbatims["chat-agent"].comments == 3 and list(by_row.verbatims) == ["chat-agent"]
    same = load_metric_data(journey, responses=[lowered], engine="python")
    def figures(data: MetricData) -> list[tuple[str, str, float, int | None]]:
        return sorted((p.touchpoint, p.metric, p.value, p.n) for p in data.points.values())

    assert figures(same) == figures(by_row)
    table = tmp_path / "table.csv"
    table.write_text("touchpoint,metric,value\nChat-Agent,nps,40\nSEARCH-FAQ,csat,80%\nSolveD,csat,75%\n", encoding="utf-8")
    by_row, by_duckdb = both_tables(journey, [table])
    assert_same(by_row, by_duckdb)
    assert by_row.problems == []
    assert [(p.touchpoint, p.metric, p.value) for p in by_row.points.values()] == [
        ("chat-agent", "nps", 40.0), ("search-faq", "csat", 0.8), ("solved", "csat", 0.75)]


# -- a file's own column names: --responses-column and --metrics-column -------------------------

RENAMED_RESPONSES = {"touchpoint": "Step", "metric": "KPI", "score": "Rating", "respondent": "Respondent ID",
                     "date": "Submitted At", "persona": "Cohort", "comment": "Feedback"}


def _read_as(journey: Journey, path: Path, engine: str, columns: dict[str, str] | None = None, metrics: bool = False,
             period: str | None = "month") -> MetricData:
    from journeymap.data.engines import EngineOptions

    pairs = tuple((columns or {}).items())
    options = EngineOptions(metric_columns=pairs) if metrics else EngineOptions(response_columns=pairs)
    files = {"metrics": [path]} if metrics else {"responses": [path]}
    return load_metric_data(journey, period=period, engine=engine, event_options=options, **files)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_survey_answers_under_their_own_column_names_read_as_under_journeymaps(tmp_path: Path, journey: Journey, engine: str) -> None:
    """The same answers (bad rows and comments among them), renamed and with a decoy 'metric' column
    at the end: the same figures, problems and verbatims, and one warning for the decoy."""
    rows = [["chat-agent", "csat", "4", "r1", "2026-04-02", "new", "Quick and kind"],
            ["chat-agent", "CSAT", "2", "r2", "2026-05-03", "", "slow reply, not happy"],
            ["chat-agent", "csat", "9", "r3", "2026-05-04", "", ""],  # out of range
            ["search-faq", "nps", "10", "r1", "2026-04-02", "nwe", ""],  # unknown persona
            ["chat-agent", "csat", "5", "r1", "2026-04-10", "new", "great"]]  # r1 again in April
    path = tmp_path / "answers.csv"
    write_rows(path, rows)
    expected = _read_as(journey, path, engine)
    write_rows(path, [[*row, "decoy"] for row in rows], header=[RENAMED_RESPONSES[c] for c in HEADER] + ["metric"])
    got = _read_as(journey, path, engine, RENAMED_RESPONSES)
    decoy = [p for p in got.problems if p.code == "unknown-column"]
    assert [p.message for p in decoy] == ["column 'metric' is not read: --responses-column metric=KPI names another column for metric"]
    got.problems = [p for p in got.problems if p.code != "unknown-column"]
    assert {p.code for p in expected.problems} >= {"score", "unknown-persona", "duplicate-respondent"}
    assert_same(got, expected)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_metrics_table_under_its_own_column_names_reads_as_under_journeymaps(tmp_path: Path, journey: Journey, engine: str) -> None:
    path = tmp_path / "table.csv"
    body = "chat-agent,csat,70%,100,2026-Q1\nchat-agent,csat,60%,80,2026-Q2\nsearch-faq,sentiment,0.2,30,2026-Q2\nchat-agent,csat,abc,1,2026-Q3\n"
    path.write_text("touchpoint,metric,value,n,period\n" + body, encoding="utf-8")
    expected = _read_as(journey, path, engine, metrics=True, period=None)
    path.write_text("Step,KPI,Score,Responses,Quarter\n" + body, encoding="utf-8")
    columns = {"touchpoint": "step", "metric": "kpi", "value": "score", "n": "responses", "period": "quarter"}
    got = _read_as(journey, path, engine, columns, metrics=True, period=None)
    assert_same(got, expected)
    assert [p.code for p in expected.problems] == ["metric-value"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_named_column_a_survey_file_lacks_is_said_in_the_options_words(tmp_path: Path, journey: Journey, engine: str) -> None:
    path = write_rows(tmp_path / "answers.csv", [["chat-agent", "csat", "4"]], header=["touchpoint", "metric", "rating"])
    got = _read_as(journey, path, engine, {"score": "Score Given", "comment": "Feedback"})
    errors = [p for p in got.problems if p.is_error]
    assert [p.code for p in errors] == ["missing-column"]
    assert errors[0].message.startswith("the responses table has no column 'Score Given' (named for score by --responses-column)")
    warned = [p.message for p in got.problems if not p.is_error and p.code == "missing-column"]
    assert warned == ["the responses table has no column 'Feedback' (named for comment by --responses-column), so its rows have no comment"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_surveymonkey_second_header_row_is_one_warning(tmp_path: Path, journey: Journey, engine: str) -> None:
    """The row of 'Response' / 'Open-Ended Response' under a SurveyMonkey header was two errors (exit 1)."""
    path = write_rows(tmp_path / "answers.csv", [["", "", "Response", "Open-Ended Response"], ["chat-agent", "csat", "4", "Quick"]],
                      header=["touchpoint", "metric", "score", "comment"])
    got = _read_as(journey, path, engine)
    assert [(p.code, p.level, p.span.line, p.span.col) for p in got.problems] == [("export-header", "warning", 2, 3)]
    csat = got.get("chat-agent", "csat")
    assert csat is not None and csat.n == 1 and got.verbatims["chat-agent"].comments == 1


def test_a_surveymonkey_second_header_row_under_filled_in_columns_is_one_warning_on_both_paths(
    tmp_path: Path, journey: Journey
) -> None:
    """A SurveyMonkey export to which touchpoint and metric columns were added and filled down (Excel's fill handle, or
    a constant column from a script) has them in its row of 'Response' / 'Open-Ended Response' too: that row was a score
    error (exit 1), and its 'Open-Ended Response' would be read as a customer's comment. It is the header row's one
    warning, and no comment."""
    path = write_rows(tmp_path / "answers.csv", [["chat-agent", "csat", "Response", "", "Open-Ended Response"],
                                                 ["chat-agent", "csat", "4", "04/13/2026 10:15:32 AM", "Quick"]],
                      header=["touchpoint", "metric", "score", "date", "comment"])
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert [(p.code, p.level, p.span.line, p.span.col) for p in by_row.problems if p.code != "date-order"] == [
        ("export-header", "warning", 2, 17)]
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and csat.n == 1 and by_row.verbatims["chat-agent"].comments == 1


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_column_named_for_another_is_said_to_be_read_as_that_one(tmp_path: Path, journey: Journey, engine: str) -> None:
    """score=metric read the metric column as the score, and the message said the header had no
    column 'metric' while its header, printed beside, showed one."""
    path = write_rows(tmp_path / "answers.csv", [["chat-agent", "csat", "4"]], header=["touchpoint", "metric", "score"])
    errors = [p for p in _read_as(journey, path, engine, {"score": "metric"}).problems if p.is_error]
    assert [p.code for p in errors] == ["missing-column"]
    assert errors[0].message.startswith(
        "the responses table has no column for 'metric' (its column 'metric' is read as score by --responses-column)")


@pytest.mark.parametrize("delimiter", [";", "\t"])
@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_comma_in_a_column_name_does_not_make_a_file_of_semicolons_or_tabs_comma_separated(
    tmp_path: Path, journey: Journey, delimiter: str, engine: str
) -> None:
    """A header cell 'notes (free text, optional)' made the whole header one comma-separated
    line: every column was missing. The delimiter is the one that splits the header."""
    rows = [["chat-agent", "csat", "4", "r1", "2026-04-02", "new", "Quick and kind"],
            ["search-faq", "nps", "9", "r2", "2026-04-03", "", "Found it"]]
    path = write_rows(tmp_path / "answers.csv", rows)
    expected = _read_as(journey, path, engine)
    path.write_text(delimiter.join([*HEADER, '"notes (free text, optional)"']) + "\n"
                    + "".join(delimiter.join([*row, "ok, thanks"]) + "\n" for row in rows), encoding="utf-8")
    got = _read_as(journey, path, engine)
    assert [(p.code, p.message) for p in got.problems] == [
        ("unknown-column", "column 'notes (free text, optional)' is not one journeymap reads; it is ignored")]
    assert got.points == expected.points and got.verbatims == expected.verbatims


def test_an_answers_file_named_like_a_glob_is_read_as_named(tmp_path: Path, journey: Journey) -> None:
    """DuckDB read 'answers [1].csv' as a pattern: the answers of 'answers 1.csv' instead, in silence."""
    named = tmp_path / "answers [1].csv"
    named.write_text("touchpoint,metric,score\n" + "search-faq,csat,5\n" * 4)
    (tmp_path / "answers 1.csv").write_text("touchpoint,metric,score\n" + "search-faq,csat,1\n" * 9)
    by_row, by_duckdb = both(journey, [named])
    assert engine_read(journey, [named]) is True
    assert_same(by_row, by_duckdb)
    point = by_duckdb.points[("search-faq", "csat")]
    assert (point.value, point.n) == (1.0, 4)


@pytest.mark.parametrize("pad", [b"\x1a", b"\x00" * 3000 + b"\x1a\x00"])
def test_nuls_or_a_dos_end_of_file_mark_after_the_last_row_are_one_padding_warning(tmp_path: Path, journey: Journey, pad: bytes) -> None:
    """A survey file copied with copy /b ends with ^Z, a preallocated one with NULs: the last line was a cut-short row
    error ('1 of the header's 7 cells'), on both readers, and DuckDB handed the file to the row reader. (Event logs
    got this fix: the same warning now, every row read, DuckDB reading a copy without the padding.)"""
    rows = (",".join(HEADER) + "\r\n" + "".join(GOOD.replace("4,r1", f"{4 - i % 2 * 2},r{i}") for i in range(40)).replace("\n", "\r\n")).encode()
    path = tmp_path / "answers.csv"
    path.write_bytes(rows + pad)
    by_row, by_duckdb, read_by_duckdb = both_engine_read(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert read_by_duckdb
    marks, nuls = pad.count(b"\x1a"), pad.count(b"\x00")
    said = ["a DOS end-of-file mark (0x1A, Ctrl-Z, as copy /b and old DOS and Windows tools end a file)" if marks == 1 else
            f"{marks:,} DOS end-of-file marks (0x1A, Ctrl-Z, as copy /b and old DOS and Windows tools end a file)"]
    if nuls:
        said.append(f"{nuls:,} NUL bytes (zeros, as a logger that preallocates its file, or a copy or a disk that stopped part-way, leaves)")
    assert [(p.span.line, p.span.col, p.level, p.code, p.message, p.hint) for p in by_row.problems] == [
        (42, 1, "warning", "padding", f"the file ends with {' and '.join(said)} after its last row, which"
         f" {'is no row and is' if len(pad) == 1 else 'are no rows and are'} ignored",
         f"nothing is lost; head -c {len(rows)} FILE > NEW writes the file without them")]
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and csat.n == 40
    # a metrics table likewise
    table = tmp_path / "metrics.csv"
    table.write_bytes(b"touchpoint,metric,value,n\nchat-agent,csat,71%,120\nsearch-faq,csat,64%,80\n" + pad)
    by_row, by_duckdb = both_tables(journey, [table])
    assert_same(by_row, by_duckdb)
    assert [(p.span.line, p.span.col, p.code) for p in by_row.problems] == [(4, 1, "padding")]
    assert [(p.value, p.n) for p in (by_row.get("chat-agent", "csat"), by_row.get("search-faq", "csat")) if p] == [(0.71, 120), (0.64, 80)]
    # beside a header's warning, the same on both
    table.write_bytes(b"touchpoint,metric,value,n,mood\nchat-agent,csat,71%,120,ok\n" + pad)
    by_row, by_duckdb = both_tables(journey, [table])
    assert_same(by_row, by_duckdb)
    assert [(p.span.line, p.code) for p in by_row.problems] == [(1, "unknown-column"), (3, "padding")]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf_16_with_a_byte_order_mark_is_read_with_its_places(tmp_path: Path, journey: Journey, codec: str) -> None:
    """Excel's 'Unicode Text' save and Qualtrics' and SurveyMonkey's 'Excel-compatible' exports are UTF-16 with a
    byte-order mark, tab-separated: each was an encoding error ("save it as UTF-8"), no row read. Its mark says how
    to decode it: read on both readers (DuckDB from a UTF-8 copy), its problems at their lines and columns."""
    mark = b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff"
    rows = ["\t".join(HEADER)] + [f"chat-agent\tcsat\t{4 + i % 2}\tr{i}\t2026-04-0{1 + i % 9}\tnew\tQuick help \u2014 the caf\u00e9 app works"
                                   for i in range(30)] + ["search-faq\tnps\t11\tr99\t2026-04-02\t\t\U0001f600 off the scale"]
    path = tmp_path / "answers.csv"
    path.write_bytes(mark + "\r\n".join(rows + [""]).encode(codec))
    by_row, by_duckdb, read_by_duckdb = both_engine_read(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert read_by_duckdb
    assert [(p.span.line, p.span.col, p.code) for p in by_row.problems] == [(32, 16, "score")]
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and (csat.n, csat.value) == (30, 1.0)
    assert "Quick help \u2014 the caf\u00e9 app works" in repr(by_row.verbatims["chat-agent"])
    # a metrics table likewise
    table = tmp_path / "metrics.csv"
    table.write_bytes(mark + "touchpoint\tmetric\tvalue\tn\r\nchat-agent\tcsat\t71%\t120\r\nsearch-faq\tcsat\t64 %x\t80\r\n".encode(codec))
    by_row, by_duckdb = both_tables(journey, [table])
    assert_same(by_row, by_duckdb)
    assert [(p.span.line, p.span.col, p.code) for p in by_row.problems] == [(3, 17, "metric-value")]
    point = by_row.get("chat-agent", "csat")
    assert point is not None and (point.value, point.n) == (0.71, 120)
    # a file cut after an odd byte: an error at its place (no row is read)
    path.write_bytes(mark + "\r\n".join(rows).encode(codec)[:-1])
    for data in both(journey, [path]):
        assert [(p.span.line, p.span.col, p.code, p.message) for p in data.problems] == [
            (32, 49, "encoding", "the file is UTF-16 text (its byte-order mark says so), but its bytes here are not"
             " (truncated data); it is not read")]
    # without the mark it stays an error, with the iconv line that converts it
    path.write_bytes("\r\n".join(rows).encode(codec))
    for data in both(journey, [path]):
        assert [(p.code, p.message, p.hint) for p in data.problems] == [
            ("encoding", "the file is not UTF-8: it is UTF-16 text",
             f"save it as UTF-8 (in Excel: 'CSV UTF-8'), or convert it: iconv -f UTF-16{codec[-2:].upper()} -t UTF-8 FILE > NEW")]


@pytest.mark.parametrize("pad", [b"\x1a", b"\x00" * 400, b"\x00\x00\x1a"])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_padding_after_the_last_row_of_a_utf_16_file_is_the_same_padding_warning(
    tmp_path: Path, journey: Journey, codec: str, pad: bytes
) -> None:
    """An Excel 'Unicode Text' file copied with copy /b ends with one 0x1A byte, an odd byte for UTF-16: the whole file
    was an encoding error ('truncated data'), no row read; NULs after it were a cut-short row at line 4, column 201."""
    mark = b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff"
    text = "touchpoint\ttouchpoint\u00e9\tmetric\tscore\r\nchat-agent\t\u00e9\tcsat\t5\r\nchat-agent\t\u00e9\tcsat\t4\r\n"
    body = mark + text.encode(codec)
    path = tmp_path / "answers.csv"
    path.write_bytes(body + pad)
    by_row, by_duckdb, read_by_duckdb = both_engine_read(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert read_by_duckdb
    padding = [p for p in by_row.problems if p.code == "padding"]
    assert [(p.span.line, p.span.col) for p in padding] == [(4, 1)]
    assert padding[0].hint == f"nothing is lost; head -c {len(body)} FILE > NEW writes the file without them"
    assert ("DOS end-of-file mark" in padding[0].message) == (b"\x1a" in pad)
    assert ("NUL byte" in padding[0].message) == (b"\x00" in pad)
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and csat.n == 2


@pytest.mark.parametrize(
    ("last", "end", "col"),
    [
        ('chat-agent,csat,5,r2,2026-04-03,new,"Great service', "\n", 37),  # the file cut inside a comment
        ('chat-agent,csat,5,r2,2026-04-03,new,"Great service', "", 37),  # ... and its line end
        ('chat-agent,csat,"5,r2,2026-04-03,new,Great service', "\n", 17),  # a quote typed before a score
        ('chat-agent,csat,5,r2,2026-04-03,new,"Great service\n\n', "", 37),  # blank lines below it
    ],
    ids=["comment", "no line end", "score", "blank lines below"],
)
def test_an_open_quote_in_the_last_row_is_an_error_at_the_quote_on_both_paths(
    tmp_path: Path, journey: Journey, last: str, end: str, col: int
) -> None:
    """A last row whose quote never closes (a download cut inside a comment) was read as it was, the comment
    'Great service' and its score counted, or its score the rest of the row ('5,r2,...': a score error that did
    not say why): no word of the quote. It is an unclosed-quote error at the quote, and the row is not read."""
    path = tmp_path / "answers.csv"
    path.write_text(",".join(HEADER) + "\nchat-agent,csat,4,r1,2026-04-02,new,fine\n" + last + end, encoding="utf-8")
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    [problem] = by_row.problems
    assert (problem.code, problem.level, problem.span.line, problem.span.col) == ("unclosed-quote", "error", 3, col)
    assert problem.message.startswith("a quoted cell on line 3 is never closed")
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and csat.n == 1  # r1's answer alone


def test_an_open_quote_in_a_metrics_tables_last_row_is_an_error_at_the_quote_on_both_paths(tmp_path: Path, journey: Journey) -> None:
    path = tmp_path / "metrics.csv"
    path.write_text('touchpoint,metric,value,n\nchat-agent,csat,71%,120\nsearch-faq,csat,64%,"1,30', encoding="utf-8")
    by_row, by_duckdb = both_tables(journey, [path])
    assert_same(by_row, by_duckdb)
    [problem] = by_row.problems
    assert (problem.code, problem.span.line, problem.span.col) == ("unclosed-quote", 3, 21)
    assert "the file ends inside it" in problem.message
    assert by_row.get("search-faq", "csat") is None and by_row.get("chat-agent", "csat") is not None


QUALTRICS = ["StartDate", "Status", "Finished", "ResponseId", "touchpoint", "metric", "score", "date", "comment"]


def _qualtrics(path: Path, statuses: list[str], header: list[str] = QUALTRICS, finished: str = "True") -> Path:
    rows = [["2026-04-02 10:00:00", status, "False" if k == 2 else finished, f"R_{k}", "chat-agent", "csat",
             "1" if status in ("Survey Preview", "Spam", "1", "8", "Survey Test") else "4", "2026-04-02", f"answer {k}"]
            for k, status in enumerate(statuses)]
    return write_rows(path, rows, header)


@pytest.mark.parametrize("period", [None, "month"])
def test_qualtrics_previews_tests_and_spam_are_one_warning_and_not_counted_on_both_paths(
    tmp_path: Path, journey: Journey, period: str | None
) -> None:
    """A Qualtrics export's Status column marks the answers given in the survey's preview, its tests and its spam: they
    were counted as customers' (every preview a 1 here: CSAT 40% for customers all satisfied). They are left out, with
    one warning naming their count and the first; an unfinished answer (Finished False) with a score still counts."""
    statuses = ["IP Address", "Survey Preview", "IP Address", "Spam", "IP Address", "Survey Preview", "Survey Test"]
    path = _qualtrics(tmp_path / "qualtrics.csv", statuses)
    by_row, by_duckdb, read = both_engine_read(journey, [path], period)
    assert_same(by_row, by_duckdb)
    assert read  # DuckDB leaves them out itself
    [problem] = [p for p in by_row.problems if p.code != "unknown-column"]
    assert (problem.code, problem.level, problem.span.line, problem.span.col) == ("qualtrics-status", "warning", 3, 21)
    assert problem.message == ("4 rows are answers of Qualtrics' survey preview, tests or spam ('Spam', 'Survey Preview',"
                               " 'Survey Test' in the Status column), not customers': they are not counted")
    csat = by_row.get("chat-agent", "csat")
    assert csat is not None and (csat.n, csat.value) == (3, 1.0)  # the unfinished answer on line 4 counts
    assert by_row.verbatims["chat-agent"].comments == 3  # nor a preview's comment
    # as codes ('Response Type' of a numeric export), beside Qualtrics' other columns
    path = _qualtrics(tmp_path / "codes.csv", ["0", "1", "0", "8", "0"])
    by_row, by_duckdb = both(journey, [path], period)
    assert_same(by_row, by_duckdb)
    [problem] = [p for p in by_row.problems if p.code != "unknown-column"]
    assert problem.message.startswith("2 rows are answers of Qualtrics' survey preview, tests or spam ('1', '8' in the Status")
    assert by_row.get("chat-agent", "csat").n == 3  # type: ignore[union-attr]


def test_a_status_column_that_is_not_qualtrics_is_said_not_read_and_every_row_counts(tmp_path: Path, journey: Journey) -> None:
    """A helpdesk's ticket Status ('Solved', 'Open'), or codes 0/1 without Qualtrics' other columns, is not Qualtrics':
    no row is left out, and the column is said not to be read."""
    header = ["Status", "touchpoint", "metric", "score", "date"]
    for statuses in (["Solved", "Open", "Solved"], ["0", "1", "1"]):
        path = write_rows(tmp_path / "tickets.csv", [[s, "chat-agent", "csat", "4", "2026-04-02"] for s in statuses], header)
        by_row, by_duckdb = both(journey, [path], "month")
        assert_same(by_row, by_duckdb)
        [problem] = by_row.problems
        assert (problem.code, problem.level, problem.span.line, problem.span.col) == ("unknown-column", "warning", 2, 1)
        assert problem.message.startswith("column 'Status' is not read: its values (")
        assert by_row.get("chat-agent", "csat").n == 3  # type: ignore[union-attr]


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_FULL_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"]


@pytest.mark.parametrize("period", [None, "week", "month"])
def test_google_forms_month_named_and_lower_case_iso_dates_count_alike_on_both_paths(
    tmp_path: Path, journey: Journey, period: str | None
) -> None:
    """Google Forms' downloaded timestamps ('2026/04/02 10:15:32 AM GMT+2'), dates with their month's name ('Apr 2,
    2026', '2 April 2026', 'April 2, 2026 10:15 AM') and ISO moments in lower case ('2026-04-02t10:15:32z') were
    invalid-date warnings, each answer in no period: no trend. They are read, a zoned one in its UTC day, and DuckDB
    counts them by period as it does ISO dates: impossible days and times, placeholders and padded cells still give
    the row reader's figures and problems, line for line."""
    forms = ["2026/{m:02d}/{d:02d} {h12}:{mi:02d}:{s:02d} {ampm} GMT+2", "2026/{m:02d}/{d:02d} {h12}:{mi:02d}:{s:02d} {ampm} GMT-5",
             "2026/{m:02d}/{d:02d} {h12}:{mi:02d}:{s:02d} {ampm} GMT", "2026/{m:02d}/{d:02d} {h12}:{mi:02d}:{s:02d} {ampm} GMT+5:30",
             "2026/{m}/{d} {h:02d}:{mi:02d}:{s:02d}", "2026/{m:02d}/{d:02d}", "{mon} {d}, 2026", "{d} {month} 2026",
             "{month} {d}, 2026 {h12}:{mi:02d} {ampm}", "{mon}. {d}, 2026", "{d}-{mon}-2026", "{day}, {month} {d}, 2026",
             "2026-{m:02d}-{d:02d}t{h:02d}:{mi:02d}:{s:02d}z", "2026-{m:02d}-{d:02d}T{h:02d}:{mi:02d}z",
             "2026-{m:02d}-{d:02d}t{h:02d}:{mi:02d}:{s:02d}+02:00", "2026-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}z",
             " {mon} {d}, 2026 ", "2026/{m:02d}/{d:02d} 0{h14}:{mi:02d}:{s:02d} AM GMT+3", "{month} {d}th, 2026",
             # JavaScript's Date, as a Node script's export writes it
             "{day3} {mon} {d:02d} 2026 0{h4}:{mi:02d}:{s:02d} GMT+0200 (Central European Summer Time)",
             "{day3} {mon} {d:02d} 2026 2{h4}:{mi:02d}:{s:02d} GMT-0700 (Pacific Daylight Time)",
             # Excel's d-mmm-yy, Oracle's DD-MON-YY
             "{d}-{mon}-26", "{d:02d}-{monu}-26",
             # an ISO day with a 12-hour time, as SQL Server's and some spreadsheets' exports write it
             "2026-{m:02d}-{d:02d} {h12}:{mi:02d}:{s:02d} {ampm}", "2026-{m:02d}-{d:02d} {h12:02d}:{mi:02d} {ampm}"]
    odd = ["2-Apr-95", "Feb 30, 2026", "2026/04/02 13:15:32 PM GMT+2", "2026/04/02 10:15:32 AM GMT+25",
           "Jan 1, 1970", "1970/01/01 01:00:00 AM GMT+2", "2099/12/31", "April 2, 2026 25:00", "Sept 31, 2026",
           "2026/12/31 11:30:00 PM GMT-5", "Foo 2, 2026", "2026/04/02 10:15:32 AM GMT+2 extra"]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    rows = []
    for i in range(2400):
        m, d, h = 1 + i % 12, 1 + i % 28, (i * 7) % 24
        when = odd[i // 83 % len(odd)] if i % 83 == 0 else forms[i % len(forms)].format(
            m=m, d=d, h=h, h12=h % 12 or 12, ampm="AM" if h < 12 else "PM", mi=i % 60, s=(i * 13) % 60, h4=i % 4,
            mon=_MONTHS[m - 1], month=_FULL_MONTHS[m - 1], day=days[i % 7], day3=days[i % 7][:3], h14=1 + i % 4, monu=_MONTHS[m - 1].upper())
        rows.append(["chat-agent" if i % 3 else "search-faq", ["csat", "nps", "ces"][i % 3], str(1 + i % 5), f"r{i}", when,
                     ["new", "regular", ""][i % 3], "Wait time" if i % 4 == 0 else ""])
    path = write_rows(tmp_path / "worded.csv", rows)
    by_row, by_duckdb, read = both_engine_read(journey, [path], period)
    assert read
    assert_same(by_row, by_duckdb)
    assert {p.code for p in by_duckdb.problems} >= {"invalid-date", "placeholder-date"}
    # the impossible days and times, the unknown month, the text after a zone and the zone past 24 hours only
    invalid = [p for p in by_row.problems if p.code == "invalid-date"]
    assert sum(int(re.search(r"\((\d+) rows", p.message)[1]) if " rows: " in p.message else 1  # type: ignore[index]
               for p in invalid) == sum(1 for i in range(0, 2400, 83) if i // 83 % 12 in (0, 1, 2, 3, 7, 8, 10, 11))
    if period == "month":  # every month of 2026 (and the placeholder 2099's none)
        periods = {p.period for point in by_duckdb.points.values() for p in point.series}
        assert {f"2026-{m:02d}" for m in range(1, 13)} <= periods and "2099-12" not in periods


def test_worded_and_google_forms_dates_are_read_in_their_utc_day(tmp_path: Path, journey: Journey) -> None:
    path = write_rows(tmp_path / "forms.csv", [
        ["chat-agent", "csat", "5", "r1", "2026/04/30 11:15:32 PM GMT-5", "", ""],  # 04:15 on May 1st in UTC
        ["chat-agent", "csat", "1", "r2", "2026/05/01 1:15:32 AM GMT+2", "", ""],  # 23:15 on April 30th
        ["chat-agent", "csat", "4", "r3", "April 30, 2026 11:59 PM", "", ""],  # no zone: UTC, as an ISO moment's
        ["chat-agent", "csat", "2", "r4", "1 May 2026", "", ""],
        ["chat-agent", "csat", "3", "r5", "2026-04-30t23:30:00-01:00", "", ""],  # 00:30 on May 1st
        ["chat-agent", "csat", "5", "r6", "2026-05-01T00:00:00z", "", ""],
    ])
    for data in both(journey, [path], "month"):
        assert not data.problems
        csat = data.points[("chat-agent", "csat")]
        assert [(p.period, p.n, p.value) for p in csat.series] == [("2026-04", 2, 0.5), ("2026-05", 4, 0.5)]


def test_worded_dates_are_checked_once_per_period_on_duckdb(
    tmp_path: Path, journey: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Google Forms' timestamps, one a second, were checked one distinct moment at a time on DuckDB (a combination per
    second); each is now counted as the first day of its UTC day's period, as an ISO moment is."""
    from journeymap.data import responses

    rows = [["chat-agent", "csat", str(1 + i % 5), f"r{i}",
             f"2026/04/{1 + i % 30:02d} {i % 12 + 1}:{i % 60:02d}:{i * 7 % 60:02d} {'AM' if i % 2 else 'PM'} GMT{['+2', '-5', ''][i % 3]}"
             if i % 2 else f"{_FULL_MONTHS[3]} {1 + i % 30}, 2026 {i % 12 + 1}:{i % 60:02d} PM", "", ""]
            for i in range(1500)]
    path = write_rows(tmp_path / "forms.csv", rows)
    calls = []
    evaluate = responses.evaluate

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0].cells["date"])
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(responses, "evaluate", counted)
    by_row, by_duckdb, read = both_engine_read(journey, [path], "month")
    assert read
    assert_same(by_row, by_duckdb)
    assert len(calls) <= 15, sorted(set(calls))[:20]
