"""``--events-column NAME=COLUMN``: a log exported by another tool, read under its own column names.

A log whose columns are renamed, reordered and joined by a decoy column called
``customer`` must give, with the option naming its columns, exactly what the log
with journeymap's own names gives: the same aggregates and the same bad rows in
the same lines, each placed at the column that holds it. Every format, through
DuckDB and the pure-Python reference (Spark: ``test_events_broken.py``).
"""

from __future__ import annotations

import csv
import io
import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.data.engines import EngineOptions, EventTables, JourneyFacts, get_engine
from journeymap.data.engines.rows import column_key, columns_named, header_problems, parse_columns
from journeymap.loader import load

pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[1]
JOURNEY = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
AD, POSTCODE, ACCOUNT = "see-social-ad", "check-postcode", "create-account"

#: journeymap's name -> the column the other tool writes (process mining's XES names, and a result column).
XES = {"customer": "case:concept:name", "timestamp": "time:timestamp", "touchpoint": "concept:name",
       "outcome": "Result", "segment": "Cohort"}
#: The renamed log's columns, in its order: a decoy called 'customer' (never read) among them.
ORDER = ["concept:name", "customer", "time:timestamp", "Cohort", "case:concept:name", "Result"]

ROWS = [  # customer, timestamp, touchpoint, outcome, segment; bad rows among them
    ("c1", "2026-09-01T10:00:00Z", AD, "", "busy-parent"),
    ("c1", "2026-09-01T10:05:00Z", POSTCODE, "", "busy-parent"),
    ("c1", "2026-09-01T10:09:00Z", ACCOUNT, "failure", "busy-parent"),
    ("c2", "2026-09-02T08:00:00Z", AD, "", "student"),
    ("", "2026-09-02T08:01:00Z", POSTCODE, "", "student"),  # no customer
    ("c3", "yesterday", AD, "", ""),  # a bad timestamp
    ("c3", "2026-09-03T09:00:00Z", AD, "maybe", ""),  # a bad outcome
    ("c4", "1788422400", POSTCODE, "", "student"),  # seconds since 1970
    ("c4", "1788422460000", ACCOUNT, "success", "student"),  # milliseconds
]


def canonical_rows() -> list[dict[str, str]]:
    return [dict(zip(("customer", "timestamp", "touchpoint", "outcome", "segment"), row, strict=True)) for row in ROWS]


def renamed_rows() -> list[dict[str, str]]:
    """The rows under the other tool's names, with the decoy 'customer' column holding nonsense."""
    return [{XES[k]: v for k, v in row.items()} | {"customer": f"decoy-{i % 2}"} for i, row in enumerate(canonical_rows())]


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str], spaced: bool = False) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    text = out.getvalue()
    if spaced:  # a quote after a space (in the segment): DuckDB reads such a file from the reference's split
        extra = {"customer": "c9", "timestamp": "2026-09-05T10:00:00Z", "touchpoint": AD, "outcome": "", "segment": ' "x"'}
        if "customer" not in columns or "timestamp" not in columns:
            extra = {XES[k]: v for k, v in extra.items()} | {"customer": "decoy"}
        text += ",".join(extra[c] for c in columns) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_parquet(path: Path, rows: list[dict[str, str]], columns: list[str]) -> Path:
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE TABLE t ({', '.join(_quote(c) + ' VARCHAR' for c in columns)})")
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' for _ in columns)})", [[r[c] for c in columns] for r in rows])
    con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    con.close()
    return path


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@pytest.fixture(scope="module")
def facts() -> JourneyFacts:
    return JourneyFacts.of(load(JOURNEY))


def read(engine: str, path: Path, facts: JourneyFacts, columns: dict[str, str] | None = None) -> EventTables:
    return get_engine(engine)[1]([path], facts, EngineOptions(columns=tuple((columns or {}).items())))


def said(tables: EventTables) -> list[tuple[int, str, str, str]]:
    """The problems but their file and column: (line, level, code, message)."""
    return sorted((p.span.line, p.level, p.code, p.message.replace(p.span.file, "LOG")) for p in tables.problems)


def both(tmp_path: Path, kind: str) -> tuple[Path, Path]:
    canonical, renamed = tmp_path / "canonical", tmp_path / "renamed"
    canonical.mkdir()
    renamed.mkdir()
    names = ["customer", "timestamp", "touchpoint", "outcome", "segment"]
    if kind == "json":
        return write_jsonl(canonical / "log.jsonl", canonical_rows()), write_jsonl(renamed / "log.jsonl", renamed_rows())
    if kind == "parquet":
        return (write_parquet(canonical / "log.parquet", canonical_rows(), names),
                write_parquet(renamed / "log.parquet", renamed_rows(), ORDER))
    spaced = kind == "csv-spaced"
    return (write_csv(canonical / "log.csv", canonical_rows(), names, spaced),
            write_csv(renamed / "log.csv", renamed_rows(), ORDER, spaced))


ENGINES = [("duckdb", "csv"), ("duckdb", "csv-spaced"), ("duckdb", "json"), ("duckdb", "parquet"),
           ("python", "csv"), ("python", "csv-spaced"), ("python", "json")]


@pytest.mark.parametrize(("engine", "kind"), ENGINES)
def test_a_renamed_log_reads_as_the_log_under_journeymaps_names(engine: str, kind: str, tmp_path: Path, facts: JourneyFacts) -> None:
    canonical, renamed = both(tmp_path, kind)
    expected = read(engine, canonical, facts)
    got = read(engine, renamed, facts, XES)
    assert got.customers == expected.customers >= 3
    assert got.comparable() == expected.comparable()
    replaced = [p for p in got.problems if p.code == "unknown-column"]
    assert [p.message for p in replaced] == [
        "column 'customer' is not read: --events-column customer=case:concept:name names another column for customer"
    ]
    assert said(EventTables(engine, problems=[p for p in got.problems if p.code != "unknown-column"])) == said(expected)
    assert {p.code for p in expected.problems} >= {"missing-value", "invalid-timestamp", "invalid-outcome"}


@pytest.mark.parametrize(("engine", "kind"), [("duckdb", "csv"), ("python", "csv"), ("duckdb", "csv-spaced"), ("python", "json")])
def test_a_bad_cell_is_placed_at_the_column_that_holds_it(engine: str, kind: str, tmp_path: Path, facts: JourneyFacts) -> None:
    _, renamed = both(tmp_path, kind)
    got = {p.code: p for p in read(engine, renamed, facts, XES).problems}
    text = renamed.read_text(encoding="utf-8").splitlines()
    for code, column, value in (("missing-value", "case:concept:name", ""), ("invalid-timestamp", "time:timestamp", "yesterday"),
                                ("invalid-outcome", "Result", "maybe")):
        span = got[code].span
        line = text[span.line - 1]
        if kind == "json":
            assert line[span.col - 1:].startswith(json.dumps(value)), (code, line, span.col)
            assert line[: span.col - 1].rstrip(": ").endswith(json.dumps(column))
        else:
            cells = next(csv.reader([line]))
            assert cells[ORDER.index(column)] == value
            assert span.col == len(",".join(cells[: ORDER.index(column)])) + (1 if ORDER.index(column) == 0 else 2), (code, span)


def test_engine_results_equal_across_engines_for_the_renamed_log(tmp_path: Path, facts: JourneyFacts) -> None:
    _, renamed = both(tmp_path, "csv")
    duck, reference = read("duckdb", renamed, facts, XES), read("python", renamed, facts, XES)
    assert duck.comparable() == reference.comparable()
    assert sorted((p.span.line, p.span.col, p.code, p.message) for p in duck.problems) == sorted(
        (p.span.line, p.span.col, p.code, p.message) for p in reference.problems)


def test_names_are_matched_as_the_header_is_case_and_spaces_aside() -> None:
    with columns_named(parse_columns(["Customer = User_ID ", "touchpoint=Event Name"])):
        assert column_key(" user_id") == "customer"
        assert column_key("EVENT NAME") == "touchpoint"
        assert column_key("customer").startswith("\x00")  # called customer, but another column is
        assert column_key("timestamp") == "timestamp"
    assert column_key("user_id") == "user_id"  # only within the block
    with columns_named(parse_columns(["customer=customer"])):
        assert column_key("Customer") == "customer"
    with columns_named(parse_columns(["customer=touchpoint", "touchpoint=customer"])):  # a swap
        assert (column_key("touchpoint"), column_key("customer")) == ("customer", "touchpoint")


@pytest.mark.parametrize(("specs", "words"), [
    (["customer"], "'customer' is not NAME=COLUMN"),
    (["=user_id"], "'=user_id' is not NAME=COLUMN"),
    (["custmer=user_id"], "'custmer' is not one of customer, timestamp, touchpoint, outcome, segment, persona"
                          " (did you mean 'customer'?)"),
    (["customer="], "'customer=' names no column after '='"),
    (["customer=a", "customer=b"], "customer is named twice ('a' and 'b')"),
    (["customer=id", "touchpoint=ID"], "column 'ID' is named for both customer and touchpoint"),
    (["segment=a", "persona=b"], "name a column for segment or for persona, not both"),
])
def test_a_bad_spec_is_refused_with_its_reason(specs: list[str], words: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_columns(specs)
    assert words in str(caught.value)


def test_every_bad_spec_is_said_at_once() -> None:
    with pytest.raises(ValueError) as caught:
        parse_columns(["cust=a", "b", "touchpoint="])
    assert str(caught.value).count(";") == 2


def test_a_column_named_with_an_equals_sign_splits_at_the_first() -> None:
    assert parse_columns(["segment=plan=tier"]) == {"segment": "plan=tier"}


def test_a_named_column_the_log_lacks_is_said_in_the_users_words() -> None:
    with columns_named({"customer": "userid", "outcome": "result"}):
        found = header_problems("log.csv", 1, ["user_id", "timestamp", "touchpoint", "customer"])
    errors = [p for p in found if p.is_error]
    assert [p.code for p in errors] == ["missing-column"]
    assert errors[0].message.startswith("the event log has no column 'userid' (named for customer by --events-column)")
    assert errors[0].hint is not None and "--events-column customer=user_id" in errors[0].hint
    outcome = [p for p in found if p.code == "missing-column" and not p.is_error]
    assert len(outcome) == 1 and "no column 'result' (named for outcome" in outcome[0].message
    assert "so its rows have no outcome" in outcome[0].message


def test_the_missing_column_hint_gives_options_that_read_the_log(tmp_path: Path, facts: JourneyFacts) -> None:
    """GA4's names: the error's hint, pasted into a shell, reads the log."""
    import duckdb

    log = tmp_path / "ga4.parquet"
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('u1', 1788422400000000, 'see-social-ad'),"
                " ('u1', 1788422460000000, 'check-postcode'), ('u2', 1788422520000000, 'see-social-ad'))"
                " v(user_pseudo_id, event_timestamp, event_name)")
    con.execute(f"COPY t TO '{log}' (FORMAT parquet)")
    con.close()
    refused = read("duckdb", log, facts)
    error = next(p for p in refused.problems if p.code == "missing-column")
    assert refused.customers == 0 and error.hint is not None
    options = shlex.split(error.hint.split(" with ", 1)[1].split(", or rename", 1)[0])
    assert options == ["--events-column", "customer=user_pseudo_id", "--events-column", "timestamp=event_timestamp",
                       "--events-column", "touchpoint=event_name"]
    read_now = read("duckdb", log, facts, parse_columns(options[1::2]))
    assert read_now.customers == 2 and read_now.rows == 3
    assert not [p for p in read_now.problems if p.code in ("missing-column", "unknown-column")]


@pytest.mark.parametrize(("header", "options"), [
    ("CaseID,Activity,StartTime,EndTime", ["customer=CaseID", "timestamp=StartTime", "touchpoint=Activity"]),  # Celonis
    ("visitor,date,page", ["customer=visitor", "timestamp=date", "touchpoint=page"]),  # a web analytics export
    # Snowplow's atomic.events: its cookie id and the time it recommends had no guess (the hint named event_name alone)
    ("app_id,collector_tstamp,derived_tstamp,domain_userid,network_userid,event_name",
     ["customer=domain_userid", "timestamp=derived_tstamp", "touchpoint=event_name"]),
    # Amplitude's export: user_id is empty for every visitor who never signed in; amplitude_id is everyone's
    ("user_id,event_type,event_time,amplitude_id", ["customer=amplitude_id", "timestamp=event_time", "touchpoint=event_type"]),
    # CRM and help-desk exports, named by the words of their columns: had no guess, or one or two of three
    ("Record ID,Activity Date,Activity Type", ["customer=Record ID", "timestamp=Activity Date", "touchpoint=Activity Type"]),  # HubSpot
    ("WhoId,ActivityDate,TaskSubtype", ["customer=WhoId", "timestamp=ActivityDate", "touchpoint=TaskSubtype"]),  # Salesforce
    ("ticket_id,timestamp,event_type", ["customer=ticket_id", "touchpoint=event_type"]),  # Zendesk's ticket events
    ("documentkey,sys_created_on,fieldname", ["timestamp=sys_created_on"]),  # ServiceNow's audit
    # a contact centre's export (Genesys Cloud's interactions): 'Media Type' (voice, email, chat) is the channel,
    # not the step, and was the touchpoint's guess; the queue the customer reached is
    ("Conversation ID,Date,Media Type,Direction,Queue,Wrap-up,ANI", ["customer=ANI", "timestamp=Date", "touchpoint=Queue"]),
    # a contact centre's call records: the caller's number (ANI, 'Caller Number') is who the customer is across calls;
    # they had no guess, and the hint said only that the header must name 'customer' ('Call ID' is a call's id)
    ("Call ID,Caller Number,Start Time,Duration,Queue,Disposition", ["customer=Caller Number", "timestamp=Start Time", "touchpoint=Queue"]),
    ("call_id,calling_number,start_time,duration_sec,queue_name", ["customer=calling_number", "timestamp=start_time", "touchpoint=queue_name"]),
    ("Conversation ID,Start Date,Media Type,Interaction Type,Queue", ["timestamp=Start Date", "touchpoint=Queue"]),
    # a type column named for the channel or the device is passed over for the next one that names a step
    ("Contact ID,Activity Date,Channel Type,Device Type,Activity Type",
     ["customer=Contact ID", "timestamp=Activity Date", "touchpoint=Activity Type"]),
    # Adobe Analytics' data feed: date_time is in the report suite's time zone, read as UTC without a word (hours off
    # beside any other log); hit_time_gmt, seconds since 1970 in UTC, is the hit's moment
    ("mcvisid,date_time,hit_time_gmt,post_pagename", ["customer=mcvisid", "timestamp=hit_time_gmt", "touchpoint=post_pagename"]),
    ("Visitor ID,Date Time,Hit Time GMT,Page Name", ["customer=Visitor ID", "timestamp=Hit Time GMT", "touchpoint=Page Name"]),
    # Heap Connect's all_events: the event's name is event_table_name, which had no guess
    ("event_id,user_id,session_id,time,event_table_name", ["customer=user_id", "timestamp=time", "touchpoint=event_table_name"]),
])
def test_other_tools_column_names_are_each_given_their_option(tmp_path: Path, facts: JourneyFacts, header: str, options: list[str]) -> None:
    """StartTime, visitor and date had no guess: the hint named one or two of the three columns."""
    log = tmp_path / "log.csv"
    log.write_text(header + "\n" + "c1,2026-09-01T10:00:00Z,see-social-ad,x\n".replace(",x", ",x" * (header.count(",") - 2)), encoding="utf-8")
    error = next(p for p in read("python", log, facts).problems if p.code == "missing-column")
    assert error.hint is not None
    assert shlex.split(error.hint.split(" with ", 1)[1].split(", or rename", 1)[0])[1::2] == options


def test_a_date_and_a_time_in_two_columns_are_told_to_be_one_timestamp(tmp_path: Path, facts: JourneyFacts) -> None:
    """Five9's call log writes DATE and TIME apart: the hint said '--events-column timestamp=TIME', whose cells
    ('15:51:00') were then each 'not a timestamp' with the hint for ISO 8601 alone."""
    log = tmp_path / "calls.csv"
    log.write_text("CALL ID,DATE,TIME,ANI,SKILL\n1,2026/09/10,15:51:00,4155550100,see-social-ad\n"
                   "2,2026/09/10,3:52 PM,4155550100,check-postcode\n", encoding="utf-8")
    split = ("the date and the time of day are two columns, 'DATE' and 'TIME', and a timestamp is one cell: write them as one"
             " column, timestamp, of 2026-09-14T08:31:00 (ISO 8601, with Z or a UTC offset; no zone means UTC)")
    for engine in ("python", "duckdb"):
        error = next(p for p in read(engine, log, facts).problems if p.code == "missing-column")
        assert error.hint is not None and error.hint.startswith(
            split + "; read it with --events-column customer=ANI, or rename the column in the header; the header must name the columns"), engine
        tables = read(engine, log, facts, {"customer": "ANI", "timestamp": "TIME", "touchpoint": "SKILL"})
        (bad,) = [p for p in tables.problems if p.code == "invalid-timestamp"]
        assert (bad.span.line, bad.span.col) == (2, 14), engine
        assert bad.hint == ("'15:51:00' is a time of day without its date: a timestamp holds both, in one cell (2026-09-14T15:51:00);"
                            " a date in a column of its own goes into that cell (ISO 8601, with Z or a UTC offset; no zone means UTC)")
    # named alike, with spaces, and in camel case; a start time without a start date stays the timestamp's guess
    for header, pair in (("Call Date,Call Time,Caller,Queue", ("Call Date", "Call Time")),
                         ("start_date,start_time,visitor,page", ("start_date", "start_time")),
                         ("CreatedDate,CreatedTime,UserId,Event", ("CreatedDate", "CreatedTime"))):
        (error,) = [p for p in header_problems("log.csv", 1, header.split(",")) if p.code == "missing-column"]
        assert error.hint is not None and f"two columns, '{pair[0]}' and '{pair[1]}'" in error.hint, header
        assert "timestamp=" not in error.hint, header
    (error,) = [p for p in header_problems("log.csv", 1, ["visitor", "start_time", "page"]) if p.code == "missing-column"]
    assert error.hint is not None and "timestamp=start_time" in error.hint and "two columns" not in error.hint


@pytest.mark.parametrize("column", ["when", "When", "at", "moment", "dt", "epoch", "created", "occurred", "timestamp_utc",
                                    "event_time_utc", "time_ms", "ts_ms", "unix_ts", "EventTimeUTC", "date_time_local"])
def test_a_timestamp_column_under_another_name_is_suggested(column: str) -> None:
    """'user,when,page' was told to read customer=user and touchpoint=page, and nothing of 'when': the hint then said
    the header must name a timestamp, as if the log had none. Short names for a moment, and a moment's name with its
    zone or unit after it (_utc, _ms), are the timestamp's guess."""
    (error,) = [p for p in header_problems("log.csv", 1, ["user", column, "page"]) if p.code == "missing-column"]
    assert error.hint == (f"read them with --events-column customer=user --events-column timestamp={column}"
                          " --events-column touchpoint=page, or rename the columns in the header")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_log_of_user_when_page_is_told_every_rename(engine: str, tmp_path: Path, facts: JourneyFacts) -> None:
    log = tmp_path / "log.csv"
    log.write_text("user,when,page\nu1,2026-01-01T10:00:00Z,browse\n")
    (error,) = [p for p in read(engine, log, facts).problems if p.code == "missing-column"]
    assert (error.span.line, error.span.col, error.message) == (
        1, 1, "the event log has no columns 'customer', 'timestamp', 'touchpoint' (its header: user, when, page)")
    assert error.hint == ("read them with --events-column customer=user --events-column timestamp=when"
                          " --events-column touchpoint=page, or rename the columns in the header")
    assert read(engine, log, facts, {"customer": "user", "timestamp": "when", "touchpoint": "page"}).customers == 1


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_timestamp_column_whose_name_says_nothing_is_found_by_its_cells(engine: str, tmp_path: Path, facts: JourneyFacts) -> None:
    """'user,col2,page' (a spreadsheet's unnamed column, renamed by hand): no name gives the timestamp, but its cells
    are dates and times, so the hint reads it; a column of numbers beside it (a count, an id) is no guess."""
    log = tmp_path / "log.csv"
    log.write_text("user,n,col2,page\nu1,1789374660,2026-09-14T08:31:00Z,browse\nu1,2,2026-09-14 08:35,checkout\n")
    (error,) = [p for p in read(engine, log, facts).problems if p.code == "missing-column"]
    assert error.hint == ("read them with --events-column customer=user --events-column timestamp=col2"
                          " --events-column touchpoint=page, or rename the columns in the header")
    log.write_text("user,n,col2,page\nu1,1789374660,2026-09-14T08:31:00Z,browse\nu1,2,soon,checkout\n")
    (error,) = [p for p in read(engine, log, facts).problems if p.code == "missing-column"]
    assert error.hint is not None and "timestamp=" not in error.hint


def test_a_column_that_names_the_channel_is_not_guessed_to_be_the_touchpoint() -> None:
    """Genesys' 'Media Type' (voice, email, chat) was the hint's touchpoint, and its warning 'did you mean
    'touchpoint'?': read so, every customer's path was voice -> email -> voice, none of the journey's touchpoints."""
    header = ["Conversation ID", "Date", "Media Type", "Message Type", "Queue"]
    problems = header_problems("log.csv", 1, header)
    (error,) = [p for p in problems if p.code == "missing-column"]
    assert error.hint is not None and "touchpoint=Queue" in error.hint and "Media Type" not in error.hint
    assert not [p for p in problems if "Media Type" in p.message and "did you mean" in (p.hint or "")]


def test_another_tools_name_for_a_customer_is_not_guessed_to_be_a_persona() -> None:
    """PostHog's export has distinct_id and person_id, both customers' ids: person_id was 'did you mean
    'persona'?', and read so, every customer was a persona of their own. A name close to journeymap's own
    keeps its guess ('Outcomes', 'time' beside a timestamp)."""
    header = ["uuid", "event", "distinct_id", "timestamp", "person_id", "Outcomes", "time", "touchpoint", "customer"]
    guesses = {p.message.split("'")[1]: p.hint for p in header_problems("log.csv", 1, header)
               if p.code == "unknown-column" and p.message.startswith("column ")}
    assert "person_id" not in guesses
    assert guesses["Outcomes"] == "did you mean 'outcome'?" and guesses["time"] == "did you mean 'timestamp'?"
    (listed,) = [p for p in header_problems("log.csv", 1, header) if "columns are not ones" in p.message]
    assert "'person_id'" in listed.message


def test_the_option_for_a_column_with_a_control_character_pastes_into_bash(tmp_path: Path, facts: JourneyFacts) -> None:
    """Shown as text, 'touchpoint=\\x1b[31mtouchpoint' pasted back gave the same error with the same hint."""
    import subprocess

    log = tmp_path / "log.csv"
    log.write_text("customer,timestamp,\x1b[31mtouchpoint\nc1,2026-09-01T10:00:00Z,see-social-ad\n", encoding="utf-8")
    error = next(p for p in read("python", log, facts).problems if p.code == "missing-column")
    assert error.hint is not None and "--events-column $'touchpoint=\\x1b[31mtouchpoint'" in error.hint
    quoted = error.hint.split("--events-column ", 1)[1].split(", or rename", 1)[0]
    spec = subprocess.run(["bash", "-c", f"printf %s {quoted}"], capture_output=True, text=True, check=True).stdout
    assert spec == "touchpoint=\x1b[31mtouchpoint"
    read_now = read("python", log, facts, parse_columns([spec]))
    assert read_now.customers == 1 and not [p for p in read_now.problems if p.is_error]


def test_a_persona_column_named_by_the_option_wins_over_a_segment_column(tmp_path: Path, facts: JourneyFacts) -> None:
    """Else the log's own 'segment' would be read (a segment wins over a persona) and the option ignored."""
    log = tmp_path / "log.csv"
    log.write_text("customer,timestamp,touchpoint,segment,cohort\n"
                   f"c1,2026-09-01T10:00:00Z,{AD},old,busy-parent\nc2,2026-09-01T11:00:00Z,{AD},old,student\n")
    for engine in ("duckdb", "python"):
        tables = get_engine(engine)[1]([log], facts, EngineOptions(segment="student", columns=(("persona", "cohort"),)))
        assert tables.customers == 1, engine
        warned = [p.message for p in tables.problems if p.code == "unknown-column"]
        assert warned == ["column 'segment' is not read: --events-column persona=cohort names another column for the segment"]


def test_a_column_name_that_needs_quoting_is_quoted_in_the_hint() -> None:
    found = header_problems("log.csv", 1, ["user id", "timestamp", "touchpoint"])
    hint = next(p.hint for p in found if p.code == "missing-column")
    assert hint is not None and "--events-column 'customer=user id'" in hint


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "journeymap", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_report_reads_a_renamed_log_with_the_option(tmp_path: Path) -> None:
    canonical, renamed = both(tmp_path, "csv")
    plain = run_cli("report", str(JOURNEY), "--events", str(canonical), "--format", "json")
    mapped = run_cli("report", str(JOURNEY), "--events", str(renamed), "--format", "json",
                     *(arg for name, column in XES.items() for arg in ("--events-column", f"{name}={column}")))
    assert plain.returncode == mapped.returncode == 1  # the bad rows are errors
    ours, theirs = json.loads(plain.stdout)["events"], json.loads(mapped.stdout)["events"]
    for key in ("customers", "conformance", "flows", "deviations", "conversion_observed", "rows"):
        assert ours[key] == theirs[key], key
    assert "warning[unknown-column]: column 'customer' is not read" in mapped.stderr


def test_render_and_calibrate_take_the_option_too(tmp_path: Path) -> None:
    _, renamed = both(tmp_path, "csv")
    options = [arg for name, column in XES.items() for arg in ("--events-column", f"{name}={column}")]
    calibrated = run_cli("calibrate", str(JOURNEY), "--events", str(renamed), *options, "--min-customers", "1")
    assert "missing-column" not in calibrated.stderr and "error[missing-value]" in calibrated.stderr
    rendered = run_cli("render", str(JOURNEY), "--events", str(renamed), *options, "-o", str(tmp_path / "out"), "--to", "html")
    assert "missing-column" not in rendered.stderr and list((tmp_path / "out").glob("*.html"))
    without = run_cli("render", str(JOURNEY), "--events", str(renamed), "-o", str(tmp_path / "out2"), "--to", "html")
    assert "error[missing-column]" in without.stderr and "--events-column timestamp=time:timestamp" in without.stderr


@pytest.mark.parametrize(("args", "words"), [
    (["--events-column", "customer=user_id"], "--events-column needs an event log (--events LOG)"),
    (["--events", "LOG", "--events-column", "client=user_id"], "--events-column: 'client' is not one of customer, timestamp"),
])
def test_a_bad_option_is_a_usage_error(args: list[str], words: str, tmp_path: Path) -> None:
    _, renamed = both(tmp_path, "csv")
    args = [str(renamed) if a == "LOG" else a for a in args]
    for command in ("report", "calibrate", "diff"):
        extra = [str(JOURNEY), str(JOURNEY)] if command == "diff" else [str(JOURNEY)]
        if command == "calibrate" and "--events" not in args:
            continue  # calibrate requires --events; argparse says so first
        done = run_cli(command, *extra, *args)
        assert done.returncode == 2, (command, done.stderr)
        assert words in done.stderr, (command, done.stderr)
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("args", "words"), [
    (["--responses-column", "score=rating"], "--responses-column needs survey responses (--responses FILE)"),
    (["--metrics-column", "value=score"], "--metrics-column needs a metrics table (--metrics FILE)"),
    (["--responses", "ANSWERS", "--responses-column", "scor=rating"],
     "--responses-column: 'scor' is not one of touchpoint, metric, score"),
    (["--metrics", "ANSWERS", "--metrics-column", "customer=id"], "--metrics-column: 'customer' is not one of touchpoint, metric, value"),
])
def test_a_bad_survey_or_metrics_column_option_is_a_usage_error(args: list[str], words: str, tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_text("touchpoint,metric,score\ncreate-account,csat,4\n", encoding="utf-8")
    done = run_cli("report", str(JOURNEY), *[str(answers) if a == "ANSWERS" else a for a in args])
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_report_reads_survey_answers_and_a_metrics_table_under_their_own_names(tmp_path: Path) -> None:
    answers, table = tmp_path / "answers.csv", tmp_path / "table.csv"
    answers.write_text("Step,KPI,Rating\ncreate-account,CSAT,4\ncreate-account,csat,2\n", encoding="utf-8")
    table.write_text("Step,KPI,Score\nrate-first-order,nps,35\n", encoding="utf-8")
    done = run_cli("report", str(JOURNEY), "--responses", str(answers), "--metrics", str(table), "--format", "json",
                   "--responses-column", "touchpoint=Step", "--responses-column", "metric=KPI", "--responses-column", "score=Rating",
                   "--metrics-column", "touchpoint=step", "--metrics-column", "metric=kpi", "--metrics-column", "value=score")
    assert done.returncode == 0, done.stderr
    metrics = {t["id"]: t["metrics"] for t in json.loads(done.stdout)["touchpoints"]}
    assert (metrics["create-account"]["csat"]["value"], metrics["create-account"]["csat"]["n"]) == (0.5, 2)
    assert metrics["rate-first-order"]["nps"]["value"] == 35


def test_a_column_named_for_another_name_is_said_so_when_its_own_name_goes_missing(tmp_path: Path, facts: JourneyFacts) -> None:
    # --events-column customer=touchpoint: the log's touchpoint column is read as the customer, so
    # nothing is read as the touchpoint; "the event log has no column 'touchpoint'" alone was false.
    log = tmp_path / "log.csv"
    log.write_text("customer,timestamp,touchpoint\nc1,2026-01-01T10:00:00Z,see-social-ad\n", encoding="utf-8")
    for engine in ("python", "duckdb"):
        tables = read(engine, log, facts, {"customer": "touchpoint"})
        missing = [p.message for p in tables.problems if p.code == "missing-column"]
        assert missing == ["the event log has no column for 'touchpoint' (its column 'touchpoint' is read as customer by"
                           " --events-column) (its header: customer, timestamp, touchpoint)"]


def test_a_missing_column_shows_the_log_s_header_as_it_writes_it(tmp_path: Path, facts: JourneyFacts) -> None:
    log = tmp_path / "log.csv"
    log.write_text("UserID,EventTime,PageName\nu1,2026-01-01T10:00:00Z,see-social-ad\n", encoding="utf-8")
    for engine in ("python", "duckdb"):
        missing = [p for p in read(engine, log, facts).problems if p.code == "missing-column"]
        assert [p.message for p in missing] == [
            "the event log has no columns 'customer', 'timestamp', 'touchpoint' (its header: UserID, EventTime, PageName)"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_survey_or_metrics_file_in_utf_16_without_a_byte_order_mark_is_said_so(codec: str, tmp_path: Path) -> None:
    """Its NULs are valid UTF-8: the header was read as '\\x00t\\x00o...', missing columns, as for an event log."""
    table = tmp_path / "table.csv"
    table.write_bytes("touchpoint,metric,value\nsee-social-ad,csat,0.8\n".encode(codec))
    for option in ("--metrics", "--responses"):
        done = run_cli("report", str(JOURNEY), option, str(table), "--format", "json")
        assert done.returncode == 1
        assert [(p["code"], p["message"]) for p in json.loads(done.stdout)["problems"] if p["level"] == "error"] == [
            ("encoding", "the file is not UTF-8: it is UTF-16 text")], option


def test_a_file_with_its_own_column_beside_one_the_option_names_is_told_why() -> None:
    """Two exports read together, one with 'customer', one with 'user_id': the first's error said its header
    must name 'customer', which it did."""
    with columns_named({"customer": "user_id"}):
        problem, replaced = header_problems("a.csv", 1, ["customer", "timestamp", "touchpoint"])
    assert replaced.code == "unknown-column" and problem.code == "missing-column" and problem.hint == (
        "this file has its own 'customer' column, which --events-column replaces in every file it reads: read files whose"
        " columns are named otherwise in runs of their own, or rename the column in one of them")


SEGMENT_EXPORT = [  # Segment's (and RudderStack's) spec, as its S3 and warehouse exports write it: one object a call
    {"type": "identify", "anonymousId": "a1", "userId": "u1", "timestamp": "2026-01-01T09:59:00Z", "traits": {"plan": "pro"}},
    {"type": "page", "anonymousId": "a1", "name": "Home", "timestamp": "2026-01-01T09:59:30Z", "properties": {"path": "/"}},
    {"type": "track", "event": "see-social-ad", "anonymousId": "a1", "timestamp": "2026-01-01T10:00:00Z", "properties": {}},
    {"type": "track", "event": "check-postcode", "anonymousId": "a1", "timestamp": "2026-01-01T10:05:00Z"},
    {"type": "Screen", "anonymousId": "a2", "name": "Cart", "timestamp": "2026-01-01T10:06:00Z"},
    {"type": "track", "event": "see-social-ad", "anonymousId": "a2", "timestamp": "2026-01-01T10:07:00Z"},
    {"type": "track", "anonymousId": "a3", "timestamp": "2026-01-01T10:08:00Z"},  # a track call without its event: a bad row
]
SEGMENT_COLUMNS = {"customer": "anonymousId", "touchpoint": "event"}


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_segments_calls_other_than_track_are_skipped_with_one_counted_warning(kind: str, tmp_path: Path, facts: JourneyFacts) -> None:
    """A Segment export read with the options its hint gives had every identify, page and screen call as an error, 'the
    touchpoint is empty', a row at a time: they are no events. Only a track call is; the others are one warning."""
    if kind == "jsonl":
        log = tmp_path / "segment.jsonl"
        log.write_text("".join(json.dumps(row) + "\n" for row in SEGMENT_EXPORT), encoding="utf-8")
        places = (1, 10)  # the type's value
    else:
        columns = ["type", "event", "anonymousId", "timestamp"]
        log = write_csv(tmp_path / "segment.csv", [{k: str(v) for k, v in row.items() if k in columns} for row in SEGMENT_EXPORT],
                        columns)
        places = (2, 1)
    found = {}
    for engine in ("python", "duckdb"):
        tables = read(engine, log, facts, SEGMENT_COLUMNS)
        found[engine] = tables
        assert (tables.rows, tables.customers) == (4, 2), engine  # the calls are no rows; the track call without an event is
        problems = {p.code: p for p in tables.problems}
        skipped = problems["skipped-call"]
        assert (skipped.level, skipped.span.line, skipped.span.col) == ("warning", *places), engine
        assert skipped.message == ("3 rows are Segment's 'identify', 'page' and 'screen' calls, not 'track' calls: no events"
                                   f" (the first at this line; then lines {places[0] + 1}, {places[0] + 4}; those rows are skipped)")
        assert skipped.hint is not None and skipped.hint.startswith("only a track call is an event, named in its 'event' field")
        assert problems["missing-value"].message == "the touchpoint is empty (the row is left out)"
        # the type column is read (it was said to be ignored among the columns journeymap does not read)
        assert all("'type'" not in p.message for p in tables.problems if p.code == "unknown-column"), engine
    assert found["python"].comparable() == found["duckdb"].comparable()
    assert [p.message for p in found["python"].problems] == [p.message for p in found["duckdb"].problems]
    # a 'type' column in a log whose touchpoint is not Segment's event: read as before, every row
    (tmp_path / "other").mkdir()
    other = write_csv(tmp_path / "other" / "log.csv", [{"customer": "c1", "timestamp": "2026-01-01T10:00:00Z", "touchpoint": "page",
                                                       "type": "page"}], ["customer", "timestamp", "touchpoint", "type"])
    assert read("duckdb", other, facts).rows == 1


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_an_analytics_tools_own_identify_events_are_skipped_not_ad_hoc_visits(kind: str, tmp_path: Path, facts: JourneyFacts) -> None:
    """Amplitude's, Mixpanel's and PostHog's exports hold '$identify' (and '$create_alias', '$set', ...) among a visitor's
    events: each was an ad hoc visit that cut the flow see-social-ad -> check-postcode in two and made the customer ad hoc,
    with only the unknown-touchpoint warning. They are no steps: skipped, one warning with their count."""
    rows = [("1", "2026-01-01 10:00:00.000000", AD), ("1", "2026-01-01 10:00:30.000000", "$identify"),
            ("1", "2026-01-01 10:01:00.000000", POSTCODE), ("2", "2026-01-01 10:00:00.000000", AD),
            ("2", "2026-01-01 10:00:10.000000", "$set"), ("2", "2026-01-01 10:01:00.000000", POSTCODE),
            ("3", "2026-01-01 10:02:00.000000", "$create_alias")]
    names = ["amplitude_id", "event_time", "event_type"]
    records = [dict(zip(names, row, strict=True)) for row in rows]
    log = write_jsonl(tmp_path / "amplitude.jsonl", records) if kind == "jsonl" else write_csv(tmp_path / "amplitude.csv", records, names)
    columns = {"customer": "amplitude_id", "timestamp": "event_time", "touchpoint": "event_type"}
    found = {}
    for engine in ("python", "duckdb"):
        tables = read(engine, log, facts, columns)
        found[engine] = tables
        assert (tables.rows, tables.customers) == (4, 2), engine
        assert [(f.source, f.target, f.count) for f in tables.flows if f.count] == [(AD, POSTCODE, 2)], engine
        assert tables.conformance["ad_hoc"] == 0, engine
        (problem,) = [p for p in tables.problems if p.code != "unknown-column"]
        assert (problem.code, problem.level, problem.span.line) == ("tool-event", "warning", 2 + (kind == "csv")), engine
        assert problem.message == ("3 rows are an analytics tool's own events ('$identify', '$set' and '$create_alias'), a record"
                                   " of who a visitor is or how long a page was open, not a step a customer took: no events (the"
                                   f" first at this line; then lines {5 + (kind == 'csv')}, {7 + (kind == 'csv')}; those rows are"
                                   " skipped)"), engine
    assert found["python"].comparable() == found["duckdb"].comparable()


def test_snowplows_page_pings_between_two_pages_are_skipped_not_a_visit_that_cuts_the_flow(tmp_path: Path, facts: JourneyFacts) -> None:
    """Snowplow's activity tracking sends a page_ping every few seconds a page is open (GA4 a user_engagement): between
    two page views each was an ad hoc visit, so no customer went see-social-ad -> check-postcode, all 'ad hoc'."""
    names = ["domain_userid", "derived_tstamp", "event_name"]
    rows = [("d1", "2026-01-01 10:00:00.000", AD), ("d1", "2026-01-01 10:00:10.000", "page_ping"),
            ("d1", "2026-01-01 10:00:20.000", "page_ping"), ("d1", "2026-01-01 10:00:30.000", POSTCODE),
            ("d2", "2026-01-01 11:00:00.000", AD), ("d2", "2026-01-01 11:00:05.000", "user_engagement"),
            ("d2", "2026-01-01 11:00:30.000", POSTCODE)]
    log = write_csv(tmp_path / "atomic_events.csv", [dict(zip(names, row, strict=True)) for row in rows], names)
    columns = {"customer": "domain_userid", "timestamp": "derived_tstamp", "touchpoint": "event_name"}
    for engine in ("python", "duckdb"):
        tables = read(engine, log, facts, columns)
        assert [(f.source, f.target, f.count, f.median_seconds) for f in tables.flows if f.count] == [(AD, POSTCODE, 2, 30.0)], engine
        assert (tables.rows, tables.conformance["ad_hoc"], [p.code for p in tables.problems]) == (4, 0, ["tool-event"]), engine


def test_mixpanels_event_name_column_is_the_touchpoints_option(tmp_path: Path, facts: JourneyFacts) -> None:
    """A Mixpanel CSV export names its event '$event_name': the hint gave the options for distinct_id and time,
    and for the touchpoint only "the header must name the columns ...", though the column was there."""
    log = tmp_path / "mixpanel.csv"
    log.write_text("$event_name,distinct_id,time,$insert_id,$city\n"
                   f"{AD},u1,1775124932,i1,London\n{POSTCODE},u1,1775125032,i2,London\n", encoding="utf-8")
    for engine in ("python", "duckdb"):
        error = next(p for p in read(engine, log, facts).problems if p.code == "missing-column")
        assert error.hint == ("read them with --events-column customer=distinct_id --events-column timestamp=time"
                              " --events-column 'touchpoint=$event_name', or rename the columns in the header"), engine
        tables = read(engine, log, facts, {"customer": "distinct_id", "timestamp": "time", "touchpoint": "$event_name"})
        assert (tables.customers, tables.visitors, tables.flows[0].median_seconds) == (1, {AD: 1, POSTCODE: 1}, 100), engine
        assert [p.code for p in tables.problems] == ["unknown-column"], engine


def test_an_empty_user_id_is_told_the_column_every_visitor_has(tmp_path: Path, facts: JourneyFacts) -> None:
    """Amplitude's export, read by its user_id (empty until a visitor signs in): the anonymous visitors' rows were
    "the customer is empty" with no hint, though the amplitude_id beside it has an id for every visitor."""
    log = tmp_path / "amplitude.csv"
    log.write_text("amplitude_id,user_id,event_type,event_time\n"
                   f"111,,{AD},2026-04-02 10:15:32.123456\n111,u1,{POSTCODE},2026-04-02 10:17:02.000001\n"
                   f"222,,{AD},2026-04-02 11:00:00.5\n222,,{POSTCODE},2026-04-02 11:01:00\n", encoding="utf-8")
    (log.parent / "amplitude.jsonl").write_text("".join(json.dumps(row) + "\n" for row in csv.DictReader(io.StringIO(log.read_text()))))
    columns = {"customer": "user_id", "timestamp": "event_time", "touchpoint": "event_type"}
    import duckdb

    with duckdb.connect() as con:  # as a warehouse writes it: the empty user ids are NULL
        con.execute(f"COPY (SELECT * FROM read_csv('{log}', all_varchar = true)) TO '{log.with_suffix('.parquet')}' (FORMAT parquet)")
    for path, lines in ((log, (2, 4, 5)), (log.parent / "amplitude.jsonl", (1, 3, 4)),  # a JSON line has no header
                        (log.with_suffix(".parquet"), (2, 4, 5))):
        for engine in ("duckdb",) if path.suffix == ".parquet" else ("python", "duckdb"):  # pyarrow is optional
            tables = read(engine, path, facts, columns)
            (empty,) = [p for p in tables.problems if p.code == "missing-value"]
            assert (empty.span.line, empty.message) == (
                lines[0], f"the customer is empty (and 2 more rows: lines {lines[1]}, {lines[2]}; those rows are left out)"), (path.name, engine)
            assert empty.hint == ("a row without a customer id is in no customer's path: a user id is empty until the visitor"
                                  " signs in, and this log's 'amplitude_id' has an id for every visitor: read it as the"
                                  " customer (--events-column customer=amplitude_id)"), (path.name, engine)
            assert tables.customers == 1, engine
            visitors = read(engine, path, facts, columns | {"customer": "amplitude_id"})
            assert (visitors.customers, [p.code for p in visitors.problems]) == (2, ["unknown-column"]), engine
    # a log without such a column: the hint says what to look for
    plain = tmp_path / "plain.csv"
    plain.write_text(f"customer,timestamp,touchpoint\n,2026-04-02T10:00:00Z,{AD}\nc1,2026-04-02T10:00:00Z,{AD}\n", encoding="utf-8")
    for engine in ("python", "duckdb"):
        (empty,) = read(engine, plain, facts).problems
        assert empty.hint is not None and empty.hint.startswith("a row without a customer id is in no customer's path; if the log"), engine


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_log_without_its_columns_is_one_error_not_a_wall_of_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, engine: str
) -> None:
    """A web analytics export (user_id, event_time, page and five more columns) printed the missing-column error
    and four unknown-column warnings besides: three said again, as 'did you mean', what the error's hint had
    said as options, and one named the five columns its header had named already. Now one error, its hint
    giving the options; a column that looks like an optional one ('Outcomes') keeps its warning."""
    from journeymap.cli import main as cli

    log = tmp_path / "export.csv"
    log.write_text("user_id,event_time,page,Outcomes,browser,device,country,utm_source,utm_medium\n"
                   f"u1,2026-09-01T10:00:00Z,{AD},success,chrome,mobile,NL,fb,cpc\n")
    code = cli(["report", str(JOURNEY), "--events", str(log), "--engine", engine])
    err = capsys.readouterr().err
    assert code == 1
    line, outcomes = err.splitlines()
    assert line.startswith(f"{log}:1:1: error[missing-column]: the event log has no columns 'customer', 'timestamp',"
                           " 'touchpoint' (its header: user_id, event_time, page, Outcomes, browser, device, country,")
    assert line.endswith("(read them with --events-column customer=user_id --events-column timestamp=event_time"
                         " --events-column touchpoint=page, or rename the columns in the header)")
    # at its header cell (it was at the header's start, 1:1)
    assert outcomes == (f"{log}:1:25: warning[unknown-column]: column 'Outcomes' is not one journeymap reads; it is ignored"
                        " (did you mean 'outcome'?)")


def test_a_header_without_its_columns_keeps_the_guesses_its_errors_hint_does_not_give() -> None:
    """The header lacks the customer: the columns like an optional one keep their warnings; the others (uuid, os)
    are in the error's header, with no warning that lists them as ignored."""
    header = ["uuid", "event", "distinct_id", "timestamp", "person_id", "Outcomes", "time", "touchpoint", "os"]
    error, *warnings = header_problems("log.csv", 1, header)
    assert error.code == "missing-column" and error.hint == (
        "read it with --events-column customer=distinct_id, or rename the column in the header")
    assert [(p.code, p.message.split("'")[1], p.hint) for p in warnings] == [
        ("unknown-column", "Outcomes", "did you mean 'outcome'?"), ("unknown-column", "time", "did you mean 'timestamp'?")]
