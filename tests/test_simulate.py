"""journeymap simulate: what the made-up log holds (links into other journeys, personas)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from journeymap.cli import main as cli
from journeymap.loader import load

pytest.importorskip("duckdb")

NO_DEVIATIONS = {"ad_hoc": 0.0, "out_of_sequence": 0.0, "missing": 0.0}

LINKS = """\
journeymap: 1
id: handoff
title: Handoff
personas: [{id: pa, name: PA}]
channels: [{id: web, name: Web}]
stages: [{id: s1, name: S1}]
touchpoints:
  - id: a
    name: A
    stage: s1
    channel: web
    entry: true
    next:
      - {to: c, share: 0.5}
      - {to: activate-card, journey: card-activation, share: 0.3}
  - id: b                              # an entry that hands every customer over at once
    name: B
    stage: s1
    channel: web
    entry: true
    next: [{to: c, journey: other}]    # 'c' of another journey, not this one's success
  - {id: c, name: C, stage: s1, channel: web, outcome: success}
"""


def paths(log: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Each customer's events in the file's order: (touchpoint, outcome, segment)."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    with open(log, newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            found.setdefault(row["customer"], []).append((row["touchpoint"], row["outcome"], row["segment"]))
    return found


def write(tmp_path: Path, text: str, name: str = "j.journey.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_customer_who_takes_a_link_leaves_at_its_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A flow into another journey was an internal error (KeyError on its target). The customer now ends
    there: one event at the target touchpoint as written, with no outcome, right after the link's source."""
    from journeymap.data.simulate import simulate

    journey = write(tmp_path, LINKS)
    assert cli(["simulate", str(journey), "-o", str(tmp_path / "cli.csv"), "--customers", "100"]) == 0
    assert "100 customers" in capsys.readouterr().err
    log = tmp_path / "log.csv"
    simulate(load(journey), log, customers=20_000, seed=3, repeats=0.5, **NO_DEVIATIONS)
    walked = paths(log)
    assert len(walked) == 20_000
    ends: Counter[tuple[str, ...]] = Counter()
    for events in walked.values():
        visits = [t for i, (t, _, _) in enumerate(events) if i == 0 or t != events[i - 1][0]]  # a repeat: one visit
        ends[tuple(visits)] += 1
    assert set(ends) == {("a",), ("a", "c"), ("a", "activate-card"), ("b", "c")}
    from_a = ends["a",] + ends["a", "c"] + ends["a", "activate-card"]
    assert ends["a", "activate-card"] / from_a == pytest.approx(0.3, abs=0.02)
    assert ends["a", "c"] / from_a == pytest.approx(0.5, abs=0.02)
    assert ends["b", "c"] / len(walked) == pytest.approx(0.5, abs=0.02)
    # the link's target is one event (never repeated) without an outcome; this journey's own 'c' is a success
    for events in walked.values():
        if events[0][0] == "b":
            assert [(t, o) for t, o, _ in events if t != "b"] == [("c", "")]
        elif events[-1][0] == "activate-card":
            assert events[-1][1] == "" and [t for t, _, _ in events].count("activate-card") == 1
        elif events[-1][0] == "c":  # (a repeated event has no outcome of its own)
            assert ("c", "success") in [(t, o) for t, o, _ in events]
