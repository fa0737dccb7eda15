"""Persona and segment columns of survey files and metrics tables as real exports write them (a probe set run through
both readers, round 3): the missing-value marks a database or pandas writes in the column, a tool's own name for the
column, one respondent under two personas. Each is read as it means, or told with its place, the same on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.data import load_metric_data
from journeymap.loader import load

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
ENGINES = ["python", "duckdb"]


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: The cells a database, pandas or Excel writes for a missing persona (as an event log's segment, each is no segment).
NO_PERSONA_MARKS = ["NULL", "\\N", "None", "NaN", "NaT", "N/A", "#N/A", "null"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_persona_cell_that_marks_none_is_no_persona_as_an_empty_one(tmp_path: Path, engine: str) -> None:
    """A survey export joined to a CRM writes the respondents without a segment as `NULL` (a database's text export,
    `\\N` in MySQL's), `None`, `NaN` (pandas) or `#N/A` (Excel's lookup): each distinct mark was an unknown-persona
    warning listing the journey's personas, as if 'NULL' were a persona misspelt. The answers counted for everyone then
    too; now they do without a word, as an empty cell's and as an event log's segment of the same marks."""
    journey = load(SAMPLE)
    rows = [f"choose-delivery-slot,csat,{4 + i % 2},n{i},{mark}" for i, mark in enumerate(NO_PERSONA_MARKS)]
    rows += [f"choose-delivery-slot,csat,2,b{i},busy-parent" for i in range(3)]
    path = write(tmp_path / "joined.csv", ["touchpoint,metric,score,respondent,persona", *rows])
    data = load_metric_data(journey, responses=path, engine=engine)
    assert [(p.code, p.message) for p in data.problems] == []
    everyone = data.get("choose-delivery-slot", "csat")
    assert everyone is not None and everyone.n == len(NO_PERSONA_MARKS) + 3
    assert sorted(data.personas) == ["busy-parent"]
    own = data.personas["busy-parent"][("choose-delivery-slot", "csat")]
    assert (own.n, own.value) == (3, 0.0)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mark", ["NULL", "\\N", "NaN", "#N/A"])
def test_a_metrics_row_whose_persona_marks_none_is_everyones_as_an_empty_cell(tmp_path: Path, engine: str, mark: str) -> None:
    """A metrics table written from a query (`GROUP BY ROLLUP (touchpoint, metric, persona)`, exported as text, or
    pandas' NaN) writes everyone's row with `NULL` in the persona column: it was an unknown persona's row, left out
    with a warning listing the personas, and the journey file's 58% stayed the touchpoint's CSAT. As an empty persona
    cell, it is everyone's value; the personas' rows stay theirs."""
    journey = load(SAMPLE)
    path = write(tmp_path / "rollup.csv", ["touchpoint,metric,value,n,persona",
                                           "choose-delivery-slot,csat,50%,100,busy-parent",
                                           "choose-delivery-slot,csat,80%,100,wfh-professional",
                                           f"choose-delivery-slot,csat,65%,200,{mark}"])
    data = load_metric_data(journey, metrics=path, engine=engine)
    assert [(p.code, p.message) for p in data.problems] == []
    everyone = data.get("choose-delivery-slot", "csat")
    assert everyone is not None and (everyone.value, everyone.n) == (0.65, 200)
    assert {persona: points[("choose-delivery-slot", "csat")].value for persona, points in data.personas.items()} == {
        "busy-parent": 0.5, "wfh-professional": 0.8}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rollup_tables_null_row_is_everyones_in_the_report_and_a_personas_row_its_own(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The same table through `journeymap report`, with and without `--persona`: everyone's CSAT is the NULL row's 65%
    (it was the journey file's 58%, the row told as an unknown persona's), the persona's view its own row's 50%."""
    path = write(tmp_path / "rollup.csv", ["touchpoint,metric,value,n,persona",
                                           "choose-delivery-slot,csat,50%,100,busy-parent",
                                           "choose-delivery-slot,csat,65%,200,NULL"])
    shown = {}
    for persona in (None, "busy-parent"):
        args = ["report", str(SAMPLE), "--metrics", str(path), "--engine", engine, "--format", "json"]
        assert main(args + (["--persona", persona] if persona else [])) == 0
        read = json.loads(capsys.readouterr().out)
        assert [p["code"] for p in read["problems"]] == []
        csat = next(t for t in read["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
        shown[persona] = (csat["value"], csat["n"], csat["persona"])
    assert shown == {None: (0.65, 200, None), "busy-parent": (0.5, 100, "busy-parent")}
    assert main(["report", str(SAMPLE), "--metrics", str(path), "--engine", engine]) == 0
    captured = capsys.readouterr()
    assert "unknown-persona" not in captured.err and "CSAT 65% (n=200) from " in captured.out


#: A segment column as CRMs, survey tools and BI exports name it: each was ignored with "did you mean 'segment'?" (to
#: rename it) or with the list of known columns alone, and `--persona` showed everyone's values.
SEGMENT_HEADERS = ["Customer segment", "Segment name", "persona_id", "Persona Name", "Customer type", "User type",
                   "Audience", "Buyer persona", "Kundensegment"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("header", SEGMENT_HEADERS)
def test_a_segment_column_under_a_tools_name_is_told_the_option_that_reads_it(
        tmp_path: Path, engine: str, header: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A survey export's `Customer segment` (a CRM's `Customer type`, Qualtrics' embedded data `persona_id`): the
    warning at its header cell names the option that reads it as the persona column, and read so, the persona's
    view has its own CSAT (it was everyone's)."""
    path = write(tmp_path / "export.csv", [f"touchpoint,metric,score,respondent,{header}"]
                 + [f"choose-delivery-slot,csat,2,b{i},busy-parent" for i in range(4)]
                 + [f"choose-delivery-slot,csat,5,w{i},wfh-professional" for i in range(4)])
    args = ["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json", "--persona", "busy-parent"]
    assert main(args) == 0
    read = json.loads(capsys.readouterr().out)
    from journeymap.data.engines.rows import shell_quoted
    assert [(p["code"], p["line"], p["col"], p["message"], p["hint"]) for p in read["problems"]] == [
        ("unknown-column", 1, 36, f"column '{header}' is not one journeymap reads; it is ignored",
         f"it looks like the persona column: read it with --responses-column {shell_quoted(f'persona={header}')}")]
    assert main([*args, "--responses-column", f"persona={header}"]) == 0
    read = json.loads(capsys.readouterr().out)
    assert read["problems"] == []
    csat = next(t for t in read["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (csat["value"], csat["n"], csat["persona"]) == (0.0, 4, "busy-parent")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_metrics_tables_segment_column_under_a_tools_name_is_told_the_option_that_reads_it(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A BI export's `Customer Segment` column: its rows were read as everyone's, each persona's a duplicate-row error
    ("this later row is used": the last persona's 80% became everyone's CSAT)."""
    path = write(tmp_path / "bi.csv", ["touchpoint,metric,value,n,Customer Segment",
                                       "choose-delivery-slot,csat,50%,100,busy-parent",
                                       "choose-delivery-slot,csat,80%,100,wfh-professional",
                                       "choose-delivery-slot,csat,65%,200,All"])
    args = ["report", str(SAMPLE), "--metrics", str(path), "--engine", engine, "--format", "json"]
    main(args)
    told = [(p["code"], p["line"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    assert told[0] == ("unknown-column", 1, "it looks like the persona column: read it with --metrics-column"
                                            " 'persona=Customer Segment'")
    assert main([*args, "--metrics-column", "persona=Customer Segment", "--persona", "wfh-professional"]) == 0
    read = json.loads(capsys.readouterr().out)
    assert read["problems"] == []
    csat = next(t for t in read["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (csat["value"], csat["n"], csat["persona"]) == (0.8, 100, "wfh-professional")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("read", "other"), [("Segment", "Customer type"), ("persona", "Customer segment"),
                                              ("Persona", "persona_id")])
def test_a_second_segment_column_is_told_which_one_is_read(
        tmp_path: Path, engine: str, read: str, other: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Two candidate columns, a `Segment` read as the persona and a CRM's `Customer type` beside it: the second was
    "did you mean 'segment'?" (renamed so, the file has two segment columns) or one of the ignored columns. The warning
    says which column is read and how to read the other instead; the personas come from the first."""
    path = write(tmp_path / "two.csv", [f"touchpoint,metric,score,respondent,{read},{other}",
                                        "choose-delivery-slot,csat,2,b1,busy-parent,Enterprise",
                                        "choose-delivery-slot,csat,5,w1,wfh-professional,SMB"])
    assert main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json",
                 "--persona", "busy-parent"]) == 0
    read_json = json.loads(capsys.readouterr().out)
    from journeymap.data.engines.rows import shell_quoted
    assert [(p["code"], p["line"], p["col"], p["message"], p["hint"]) for p in read_json["problems"]] == [
        ("unknown-column", 1, 37 + len(read), f"column '{other}' is not one journeymap reads; it is ignored",
         f"it looks like a second persona column: each row's persona is read from the '{read}' column; keep one of the"
         f" two, or read this one instead with --responses-column {shell_quoted(f'persona={other}')}")]
    csat = next(t for t in read_json["touchpoints"] if t["id"] == "choose-delivery-slot")["metrics"]["csat"]
    assert (csat["value"], csat["n"], csat["persona"]) == (0.0, 1, "busy-parent")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_respondent_under_two_personas_is_told_which_persona_keeps_the_answer(tmp_path: Path, engine: str) -> None:
    """A survey joined to a CRM that lists a customer under two segments writes their answer twice, once per persona:
    the second was the plain duplicate-respondent warning, and the second persona lost the answer without a word of
    personas. The warning names both and which one counts it."""
    journey = load(SAMPLE)
    path = write(tmp_path / "joined.csv", ["touchpoint,metric,score,respondent,persona",
                                           "choose-delivery-slot,csat,2,c1,busy-parent",
                                           "choose-delivery-slot,csat,4,c2,wfh-professional",
                                           "choose-delivery-slot,csat,2,c1,wfh-professional",
                                           "choose-delivery-slot,csat,4,c2,wfh-professional"])
    data = load_metric_data(journey, responses=path, engine=engine)
    told = [(p.code, p.span.line, p.span.col, p.message, p.hint) for p in data.problems]
    assert told == [
        ("duplicate-respondent", 4, 29, f"respondent 'c1' already answered CSAT for 'choose-delivery-slot' at {path}:2:1 as"
         " persona 'busy-parent', here as 'wfh-professional'; only the first answer and its comment are counted, for"
         " everyone and for 'busy-parent'",
         "a respondent is one persona's: a join that lists a customer under two segments writes their answer once for"
         " each; give each respondent one persona in the source"),
        ("duplicate-respondent", 5, 29, f"respondent 'c2' already answered CSAT for 'choose-delivery-slot' at {path}:3:1;"
         " only the first answer and its comment are counted", None)]
    everyone = data.get("choose-delivery-slot", "csat")
    assert everyone is not None and everyone.n == 2
    assert {persona: points[("choose-delivery-slot", "csat")].n for persona, points in data.personas.items()} == {
        "busy-parent": 1, "wfh-professional": 1}


@pytest.mark.parametrize("engine", ENGINES)
def test_the_missing_columns_command_line_reads_a_segment_column_only_where_the_file_has_none(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that lacks a column gets one command line for every column named a tool's way: its `Customer type` is
    read there as the persona, but not beside a `Segment` column the file has (the option would replace it)."""
    def hint(header: str) -> str:
        path = write(tmp_path / "export.csv", [header, "choose-delivery-slot,csat,4,busy-parent,busy-parent"])
        assert main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json"]) == 1
        [missing] = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "missing-column"]
        return str(missing["hint"])

    assert hint("Touchpoint,Metric,Rating,Customer type,Comment") == (
        "read them with --responses-column score=Rating --responses-column 'persona=Customer type', or rename 'Rating' to"
        " 'score', 'Customer type' to 'persona'")
    assert hint("Touchpoint,Metric,Rating,Segment,Customer type") == (
        "read it with --responses-column score=Rating, or rename 'Rating' to 'score'")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_persona_cell_written_as_a_list_or_in_quotes_is_read_as_its_items(tmp_path: Path, engine: str) -> None:
    """A survey tool's API export writes a multiple-choice answer as a JSON array (`["busy-parent"]`), pandas writes a
    list column as `['Busy parent']`, and a cell quoted twice keeps its quotes (`"wfh-professional"`): each was an
    unknown persona ("did you mean 'busy-parent'?"), its answers no persona's. A list of one persona is that persona,
    an empty list none, and a list of two is told as a cell naming two personas (it was "did you mean
    'wfh-professional'?", a guess at one of them)."""
    journey = load(SAMPLE)
    path = write(tmp_path / "api.csv", ["touchpoint,metric,score,respondent,persona",
                                        'choose-delivery-slot,csat,2,a1,"[""busy-parent""]"',
                                        "choose-delivery-slot,csat,3,a2,['Busy parent']",
                                        'choose-delivery-slot,csat,5,a3,"""wfh-professional"""',
                                        "choose-delivery-slot,csat,5,a4,[]",
                                        'choose-delivery-slot,csat,4,a5,"[""busy-parent"", ""wfh-professional""]"'])
    data = load_metric_data(journey, responses=path, engine=engine)
    told = [(p.code, p.span.line, p.message, p.hint) for p in data.problems]
    assert told == [("unknown-persona", 6, "unknown persona '[\"busy-parent\", \"wfh-professional\"]': the row counts for"
                     " everyone but for no persona", "it names 2 personas, busy-parent and wfh-professional (a"
                     " multiple-choice answer): a row is one persona's; write one of them, or leave the cell empty")]
    everyone = data.get("choose-delivery-slot", "csat")
    assert everyone is not None and everyone.n == 5
    assert {persona: points[("choose-delivery-slot", "csat")].n for persona, points in data.personas.items()} == {
        "busy-parent": 2, "wfh-professional": 1}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("header", ["Customer segment", "user_type", "Audience", "persona_id"])
def test_an_event_logs_segment_column_under_a_tools_name_is_told_the_option_that_reads_it(
        tmp_path: Path, engine: str, header: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An event log's `Customer segment` was "did you mean 'customer'?" (read so, every customer one of a few), beside
    a no-segments warning saying to add the column the log has. The warning names the option that reads it, and read
    so, `--persona` narrows the log to the persona's customers."""
    from journeymap.data.engines.rows import shell_quoted

    path = write(tmp_path / "events.csv", [f"customer,timestamp,touchpoint,{header}",
                                           "c1,2026-10-01T10:00:00Z,see-social-ad,busy-parent",
                                           "c1,2026-10-01T10:05:00Z,check-postcode,busy-parent",
                                           "c2,2026-10-01T11:00:00Z,see-social-ad,wfh-professional"])
    args = ["report", str(SAMPLE), "--events", str(path), "--engine", engine, "--format", "json", "--persona", "busy-parent"]
    assert main(args) == 0
    told = [(p["code"], p["line"], p["col"], p["hint"]) for p in json.loads(capsys.readouterr().out)["problems"]
            if p["code"] == "unknown-column"]
    assert told == [("unknown-column", 1, 31, "it looks like the segment column: read it with --events-column"
                     f" {shell_quoted(f'segment={header}')}")]
    assert main([*args, "--events-column", f"segment={header}"]) == 0
    read = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in read["problems"]] == []
    assert read["events"]["customers"] == 1
