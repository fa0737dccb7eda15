"""Survey exports journeymap had not been tried on, third round: Freshdesk's happy/unhappy ratings, dates with dashes
and the year last, a date and a time of day in two columns, Salesforce's long export, and a sweep of more tools' exports
(Zendesk, Intercom, Hotjar, Zoho Survey, QuestionPro, Nicereply, Klaus, Survicate, Typeform's hidden fields, ...). Each
is read as it means, or its error gives what reads it, the same on both engines. Column names are as the tools' help
pages show them where a comment says so, else a guess."""

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


def report(args: list[str], engine: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["report", str(SAMPLE), *args, "--engine", engine, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def metrics(out: dict, touchpoint: str = "rate-first-order") -> dict:  # type: ignore[type-arg]
    return next(t for t in out["touchpoints"] if t["id"] == touchpoint)["metrics"]  # type: ignore[no-any-return]


def statement(hint: str) -> str:
    return hint.split("(with DuckDB: ")[1].split(" TO 'long.csv'")[0] + " TO 'long.csv'"


def follow(hint: str, tmp_path: Path) -> Path:
    """The file the hint's DuckDB statement writes, with the touchpoint filled in."""
    import duckdb

    long = tmp_path / "long.csv"
    duckdb.sql(statement(hint).replace("'long.csv'", f"'{long}'").replace("TOUCHPOINT", "rate-first-order"))
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
