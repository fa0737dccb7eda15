"""Survey response files as real tools export them and as people break them (a probe set of exports run through
both readers): each is read as it means, or told with its place and what to do, the same on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.data import load_metric_data
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
    rest read one point too low, a real 'satisfied' 4 counted as a 3: CSAT 52.8% of 36 answers, not the 72% it was."""
    journey = load(SAMPLE)
    codes = [0, 1, 2, 3, 3, 4, 4, 4] * 5
    path = write(tmp_path / "coded.csv", ["touchpoint,metric,score"] + [f"choose-delivery-slot,csat,{s}" for s in codes])
    data = load_metric_data(journey, responses=path, engine=engine)
    [scale] = [p for p in data.problems if p.code == "another-scale"]
    assert (scale.span.line, scale.level) == (2, "error")
    assert scale.message == (
        "the 40 CSAT answers for 'choose-delivery-slot' run from 0 to 4 (5 of 0, none of 5): they look like choice codes 0..4 for the"
        " answers 1..5, each one lower than the answer, so no CSAT is computed for 'choose-delivery-slot'")
    assert scale.hint == "add 1 to every answer, or leave csat out of the file"
    assert data.get("choose-delivery-slot", "csat") is None
