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
