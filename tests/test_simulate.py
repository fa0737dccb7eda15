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


PLAIN = """\
journeymap: 1
id: plain
title: Personas that share nothing out
personas: [{id: p1, name: P1}, {id: p2, name: P2}, {id: p3, name: P3}]
channels: [{id: web, name: Web}, {id: chat, name: Chat}]
stages: [{id: buy, name: Buy}]
touchpoints:
  - id: ad
    name: Ad
    stage: buy
    channel: web
    entry: true
    metrics: {volume: 3000}
    next: [{to: browse, share: 0.7}]
  - id: mail
    name: Mail
    stage: buy
    channel: web
    entry: true
    metrics: {volume: 1000}
    next: [browse]
  - {id: browse, name: Browse, stage: buy, channel: web, next: [{to: checkout, share: 0.6}, {to: help, share: 0.2}]}
  - {id: help, name: Help, stage: buy, channel: chat, next: [{to: browse, share: 0.4}, {to: checkout, share: 0.4}]}
  - {id: checkout, name: Checkout, stage: buy, channel: web, next: [{to: paid, share: 0.9}, lost]}
  - {id: paid, name: Paid, stage: buy, channel: web, outcome: success}
  - {id: lost, name: Lost, stage: buy, channel: web, outcome: failure}
"""


def test_personas_without_shares_or_touchpoints_of_their_own_give_the_same_bytes_as_before(tmp_path: Path) -> None:
    """Where no persona has a share and each meets every touchpoint, each customer's persona is drawn as
    before shares and views counted: a log of such a journey keeps its bytes (these hashes are those of
    the generator before), chunks and planted deviations included."""
    import hashlib

    from journeymap.data.simulate import simulate

    journey = load(write(tmp_path, PLAIN))
    for name, options, digest in [
        ("a.csv", {"customers": 3000, "seed": 7, "chunk": 1000},
         "0144612e47d6c9549705ea384ee046e62de1e715b77ac5f306ffff1f37bca933"),
        ("b.csv", {"customers": 2000, "seed": 1, "ad_hoc": 0.2, "out_of_sequence": 0.3, "missing": 0.4, "repeats": 0.5},
         "f148fc716945367d207801f15ff92a7638ad0a228fd166b729c04f11f1ae8808"),
    ]:
        simulate(journey, tmp_path / name, **options)  # type: ignore[arg-type]
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == digest, name


SHARES = """\
journeymap: 1
id: shares
title: Shares
personas:
  - {id: most, name: Most, share: 0.9}
  - {id: few, name: Few, share: 0.1}
channels: [{id: w, name: W}]
stages: [{id: s, name: S}]
touchpoints:
  - {id: a, name: A, stage: s, channel: w, next: [{to: only-few, share: 0.5}, {to: win, share: 0.5}]}
  - {id: only-few, name: Only few, stage: s, channel: w, personas: [few], next: [win]}
  - {id: win, name: Win, stage: s, channel: w, outcome: success}
"""


def test_customers_are_drawn_by_the_personas_shares_and_walk_their_view(tmp_path: Path) -> None:
    """Segments came out 50/50 for shares of 0.9 and 0.1, and half the 'most' customers visited a
    touchpoint only 'few' meets. Now 90% are 'most' and go from 'a' to 'win' (their view drops the flow
    they never take and scales the other up to all of them); 'few' split at 'a' as the journey says."""
    from journeymap.data.simulate import simulate

    log = tmp_path / "log.csv"
    done = simulate(load(write(tmp_path, SHARES)), log, customers=20_000, seed=5, **NO_DEVIATIONS)
    walked = paths(log)
    assert done.customers == len(walked) == 20_000
    segments = Counter(events[0][2] for events in walked.values())
    assert segments["most"] / 20_000 == pytest.approx(0.9, abs=0.01) and set(segments) == {"most", "few"}
    assert all(segment == events[0][2] for events in walked.values() for _, _, segment in events)
    visits: dict[str, Counter[tuple[str, ...]]] = {"most": Counter(), "few": Counter()}
    for events in walked.values():
        visits[events[0][2]][tuple(dict.fromkeys(t for t, _, _ in events))] += 1
    assert set(visits["most"]) == {("a", "win")}
    assert set(visits["few"]) == {("a", "only-few", "win"), ("a", "win")}
    assert visits["few"]["a", "only-few", "win"] / segments["few"] == pytest.approx(0.5, abs=0.05)


def personas_journey(personas: str) -> str:
    return SHARES.replace("""\
  - {id: most, name: Most, share: 0.9}
  - {id: few, name: Few, share: 0.1}
""", personas).replace("personas: [few]", "personas: [x]")


@pytest.mark.parametrize(("personas", "expected"), [
    # those without a share split what the others leave, as the model resolves them
    ("  - {id: x, name: X, share: 0.5}\n  - {id: y, name: Y}\n  - {id: z, name: Z}\n", {"x": 0.5, "y": 0.25, "z": 0.25}),
    # shares that leave some customers over: those are of no persona (an empty segment); a share of 0 is nobody
    ("  - {id: x, name: X, share: 0.3}\n  - {id: y, name: Y, share: 0.3}\n  - {id: z, name: Z, share: 0}\n",
     {"x": 0.3, "y": 0.3, "": 0.4}),
], ids=["unshared-split-the-rest", "shares-leave-some-over"])
def test_personas_without_a_share_split_what_the_others_leave(tmp_path: Path, personas: str, expected: dict[str, float]) -> None:
    from journeymap.data.simulate import simulate

    log = tmp_path / "log.csv"
    simulate(load(write(tmp_path, personas_journey(personas))), log, customers=20_000, seed=2, **NO_DEVIATIONS)
    walked = paths(log)
    segments = Counter(events[0][2] for events in walked.values())
    assert set(segments) == set(expected)
    for segment, share in expected.items():
        assert segments[segment] / 20_000 == pytest.approx(share, abs=0.015), segment
    # customers of no persona walk the whole journey: 'only-few' is x's alone
    seen = {segment: {t for events in walked.values() if events[0][2] == segment for t, _, _ in events} for segment in segments}
    assert "only-few" in seen["x"] and "only-few" not in seen.get("y", set())
    assert "only-few" in seen.get("", {"only-few"})


ENTRIES = """\
journeymap: 1
id: entries
title: Where each persona starts
personas:
  - {id: p, name: P, share: 0.6}
  - {id: late, name: Late, share: 0.2}     # meets no entry of the journey: starts where nobody points in its view
  - {id: ghost, name: Ghost, share: 0.2}   # meets only a loop: no touchpoint starts its journey
channels: [{id: w, name: W}]
stages: [{id: s, name: S}]
touchpoints:
  - {id: start, name: Start, stage: s, channel: w, personas: [p], next: [mid]}
  - {id: mid, name: Mid, stage: s, channel: w, personas: [p, late], next: [{to: loop, share: 0.5}, end]}
  - {id: loop, name: Loop, stage: s, channel: w, next: [{to: back, share: 0.5}, end]}
  - {id: back, name: Back, stage: s, channel: w, next: [loop]}
  - {id: end, name: End, stage: s, channel: w, outcome: success}
"""


def test_each_persona_starts_at_its_views_entries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A persona starts where the model says it does (report --persona): at the journey's entries it meets,
    else where nobody points in its view. One whose view has no entry at all has no customers who start:
    they are left out of the log, and a warning says how many."""
    from journeymap.data.simulate import simulate

    journey = write(tmp_path, ENTRIES)
    log = tmp_path / "log.csv"
    done = simulate(load(journey), log, customers=10_000, seed=4, **NO_DEVIATIONS)
    walked = paths(log)
    firsts = Counter((events[0][2], events[0][0]) for events in walked.values())
    assert set(firsts) == {("p", "start"), ("late", "mid")}
    assert done.customers == len(walked) == 10_000 - done.left_out["ghost"]
    assert done.left_out["ghost"] / 10_000 == pytest.approx(0.2, abs=0.015)
    assert cli(["simulate", str(journey), "-o", str(tmp_path / "cli.csv"), "--customers", "1000", "--seed", "4"]) == 0
    err = capsys.readouterr().err
    written = len(paths(tmp_path / "cli.csv"))
    assert err.startswith(
        f"{journey}:7:5: warning[persona-never-starts]: persona 'ghost' meets no touchpoint where the journey starts"
        f" (its view has no entry): its {1000 - written} customers ({(1000 - written) / 1000:.1%}) are left out of the log"
    )
    assert f" {written} customers; planted" in err


@pytest.mark.parametrize("journey", ["grocery", "links"])
def test_each_personas_customers_end_as_the_model_says(tmp_path: Path, journey: str) -> None:
    """Per persona, the log's successes and hand-offs are the persona model's (report --persona): its
    flows into touchpoints the persona does not meet, links included, go to the others in proportion."""
    from journeymap.analysis import analyze
    from journeymap.data.simulate import simulate

    if journey == "grocery":
        path = Path(__file__).resolve().parents[1] / "sample_journeys" / "grocery-first-order.journey.yaml"
    else:  # 'most' does not meet only-few: half its customers hand over, half win
        path = write(tmp_path, SHARES.replace(
            "{to: win, share: 0.5}]}", "{to: card, journey: other, share: 0.25}, {to: win, share: 0.25}]}", 1))
    model = load(path)
    log = tmp_path / "log.csv"
    simulate(model, log, customers=30_000, seed=8, **NO_DEVIATIONS)
    ends: dict[str, Counter[str]] = {}
    for events in paths(log).values():
        outcome = next((o for _, o, _ in reversed(events) if o), "")
        ends.setdefault(events[0][2], Counter())[outcome or ("handoff" if events[-1][0] == "card" else "leave")] += 1
    for persona in model.personas:
        expected = analyze(model, persona.id).outcomes
        seen = ends[persona.id]
        customers = sum(seen.values())
        for outcome in ("success", "handoff"):
            assert seen[outcome] / customers == pytest.approx(expected.get(outcome, 0.0), abs=0.04), (persona.id, outcome)


def test_a_log_written_through_a_symlink_writes_its_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`simulate J -o log.csv` with log.csv a link (to data/log.csv, the log a benchmark reads) replaced the link with
    a file: the link was gone and the log it led to kept its old rows, without a word, where every other output is
    written through a link as the shell's `>` writes it. So is the log now; a link left dangling to a folder that is
    not there is refused, naming the link and its target, as other outputs are."""
    journey = write(tmp_path, LINKS)
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "log.csv"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "log.csv"
    link.symlink_to(Path("data") / "log.csv")
    assert cli(["simulate", str(journey), "-o", str(link), "--customers", "20"]) == 0
    capsys.readouterr()
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("customer,timestamp,touchpoint")
    dangling = tmp_path / "next.csv"
    dangling.symlink_to(tmp_path / "gone" / "next.csv")
    assert cli(["simulate", str(journey), "-o", str(dangling), "--customers", "20"]) == 1
    assert (f"cannot write {dangling}: it is a symbolic link to {tmp_path / 'gone' / 'next.csv'}, whose folder"
            f" {tmp_path / 'gone'} does not exist") in capsys.readouterr().err
    assert dangling.is_symlink() and not (tmp_path / "gone").exists()
