"""Event-log engines: DuckDB (and Spark, in test_spark.py) agree exactly with the
pure-Python reference; deviations are found on logs whose answers are known."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.data.engines import EngineOptions, JourneyFacts, get_engine
from journeymap.data.engines.python import summarise
from journeymap.loader import load_text
from journeymap.model import Journey

FIXTURES = Path(__file__).parent / "fixtures" / "events"
JOURNEY = (FIXTURES / "shop.journey.yaml").read_text()
# Planted deviations (planted.csv):
PLANTED = (FIXTURES / "planted.csv").read_text()
# c1, c2 conform; c3: browse -> paid is undeclared and skips checkout; c4 starts at
# checkout (not an entry) and skips browse; c5 meets 'faq' (ad hoc); c6 leaves at
# help; c7 fails at checkout.


@pytest.fixture(scope="module")
def journey() -> Journey:
    return load_text(JOURNEY)


ENGINES = ["python", "duckdb"]


def run(engine: str, path: Path, journey: Journey, **options: object):
    _, aggregate = get_engine(engine)
    return aggregate([path], JourneyFacts.of(journey), EngineOptions(**options))  # type: ignore[arg-type]


def test_the_required_touchpoints_are_the_immediate_dominators(journey: Journey) -> None:
    facts = JourneyFacts.of(journey)
    assert facts.requires == {("checkout", "browse"), ("help", "browse"), ("paid", "checkout")}
    assert facts.entries == {"browse"}


@pytest.mark.parametrize("engine", ENGINES)
def test_planted_deviations_are_found(tmp_path: Path, journey: Journey, engine: str) -> None:
    path = tmp_path / "log.csv"
    path.write_text(PLANTED)
    tables = run(engine, path, journey)
    assert tables.problems == []
    assert tables.customers == 7 and tables.rows == 20
    assert tables.outcomes == {"success": 5, "failure": 1, "left": 1, "handoff": 0}
    assert tables.conformance == {"conforming": 2, "ad_hoc": 1, "out_of_sequence": 2, "missing": 2, "failing": 2}
    found = {(d.type, d.source, d.target): (d.customers, d.examples) for d in tables.deviations}
    assert found == {
        ("out_of_sequence", "browse", "paid"): (1, ("c3",)),
        ("missing", "paid", "checkout"): (1, ("c3",)),
        ("out_of_sequence", None, "checkout"): (1, ("c4",)),
        ("missing", "checkout", "browse"): (1, ("c4",)),
        ("ad_hoc", "browse", "faq"): (1, ("c5",)),
        ("failing", "help", None): (1, ("c6",)),
        ("failing", "checkout", None): (1, ("c7",)),
    }
    assert tables.entries == {"browse": 6, "checkout": 1}
    assert tables.visitors["help"] == 2 and tables.visits["help"] == 2  # c2's repeat is one visit
    flows = {(f.source, f.target): (f.count, f.median_seconds, f.p90_seconds) for f in tables.flows}
    # browse -> checkout: c1 300 s, c7 120 s; nearest rank: median is the 1st of 2, p90 the 2nd
    assert flows[("browse", "checkout")] == (2, 120.0, 300.0)
    # help -> checkout is timed from the last event of the visit to help (c2: 11:02 -> 11:09)
    assert flows[("help", "checkout")] == (1, 420.0, 420.0)
    assert tables.ended_without_success == {"checkout": 1, "help": 1}
    by_cohort = {(c.day, c.segment): (c.customers, c.conforming, c.failing) for c in tables.cohorts}
    day = 20697  # 2026-09-01
    assert by_cohort == {
        (day, "new"): (2, 2, 0),
        (day + 1, "new"): (1, 0, 0),
        (day + 1, "returning"): (2, 0, 0),
        (day + 2, ""): (1, 0, 1),
        (day + 2, "new"): (1, 0, 1),
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_a_segment_keeps_only_its_customers(tmp_path: Path, journey: Journey, engine: str) -> None:
    path = tmp_path / "log.csv"
    path.write_text(PLANTED)
    tables = run(engine, path, journey, segment="returning")
    assert tables.customers == 2 and tables.conformance["out_of_sequence"] == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_a_segment_chooses_whole_customers_by_their_first_event(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Web events without a segment, then CRM events with one: --persona kept the rows, so its
    customers all started mid-journey (out of sequence 100%, missing 100%)."""
    path = tmp_path / "log.csv"
    path.write_text("customer,timestamp,touchpoint,outcome,segment\n"
                    "c1,2026-09-01T10:00:00Z,browse,,new\n"        # new from its first event on
                    "c1,2026-09-01T10:05:00Z,checkout,,\n"
                    "c1,2026-09-01T10:06:00Z,paid,success,returning\n"
                    "c2,2026-09-01T10:00:00Z,browse,,\n"           # no segment at its first event
                    "c2,2026-09-01T10:05:00Z,checkout,,new\n"
                    "c2,2026-09-01T10:06:00Z,paid,success,new\n"
                    "c3,2026-09-01T10:00:00Z,browse,,returning\n"
                    "c3,2026-09-01T10:00:00Z,browse,,new\n")       # ties for first: the smallest segment
    new = run(engine, path, journey, segment="new")
    assert new.problems == [] and new.customers == 2 and new.rows == 8
    assert new.conformance == {"conforming": 1, "ad_hoc": 0, "out_of_sequence": 0, "missing": 0, "failing": 1}
    assert new.entries == {"browse": 2} and new.visits == {"browse": 2, "checkout": 1, "paid": 1}
    assert run(engine, path, journey, segment="returning").customers == 0
    everyone = run(engine, path, journey)
    assert sorted((c.segment, c.customers) for c in everyone.cohorts) == [("", 1), ("new", 2)]
    no_first = tmp_path / "late.csv"
    no_first.write_text("customer,timestamp,touchpoint,outcome,segment\n"
                        "c2,2026-09-01T10:00:00Z,browse,,\nc2,2026-09-01T10:05:00Z,checkout,,new\n")
    told = run(engine, no_first, journey, segment="new")
    assert told.customers == 1 and [p.code for p in told.problems] == ["no-segments"]
    assert "no customer's first event in the event log has a segment" in told.problems[0].message
    # a double-fired first event, once without its segment: the customer has none (the smallest), so the log
    # has no segments; DuckDB and Spark counted rows, took the log as segmented and chose nobody
    doubled = tmp_path / "doubled.csv"
    doubled.write_text("customer,timestamp,touchpoint,outcome,segment\n"
                       "c4,2026-09-01T10:00:00Z,browse,,\nc4,2026-09-01T10:00:00Z,browse,,new\nc4,2026-09-01T10:05:00Z,checkout,,new\n")
    told = run(engine, doubled, journey, segment="new")
    assert told.customers == 1 and [p.code for p in told.problems] == ["no-segments"]
    # a segment in other capitals is the persona, as in a survey file ('NEW' customers were left out, unsaid)
    capitals = tmp_path / "capitals.csv"
    capitals.write_text("customer,timestamp,touchpoint,outcome,segment\n"
                        "c1,2026-09-01T10:00:00Z,browse,,NEW\nc2,2026-09-01T10:00:00Z,browse,,New\nc3,2026-09-01T10:00:00Z,browse,,old\n")
    chosen = run(engine, capitals, journey, segment="new")
    assert chosen.problems == [] and chosen.customers == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_at_one_moment_the_journeys_touchpoints_come_before_the_others(
    tmp_path: Path, journey: Journey, engine: str
) -> None:
    """'about' is not in the journey and sorts before 'browse' by id; at the same second,
    'browse' is still the customer's first step, so the entry is declared and the ad hoc
    step comes after it."""
    path = tmp_path / "log.csv"
    path.write_text("customer,timestamp,touchpoint,outcome\n"
                    "c1,2026-09-01T10:00:00Z,about,\n"
                    "c1,2026-09-01T10:00:00Z,browse,\n"
                    "c1,2026-09-01T10:05:00Z,checkout,success\n")
    tables = run(engine, path, journey)
    assert tables.entries == {"browse": 1}
    found = {(d.type, d.source, d.target) for d in tables.deviations}
    assert ("ad_hoc", "browse", "about") in found and ("ad_hoc", None, "about") not in found
    assert {(f.source, f.target) for f in tables.flows} == {("browse", "about"), ("about", "checkout")}


@pytest.mark.parametrize("engine", ENGINES)
def test_row_order_in_the_file_never_matters(tmp_path: Path, journey: Journey, engine: str) -> None:
    lines = PLANTED.splitlines()
    forward, backward = tmp_path / "a.csv", tmp_path / "b.csv"
    forward.write_text(PLANTED)
    backward.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    assert run(engine, forward, journey).comparable() == run(engine, backward, journey).comparable()


# -- self-loops: a repeat at a touchpoint that declares one is the loop taken ----

LOOPS = """\
journeymap: 1
id: loops
title: Loops
personas: [{id: p, name: P}]
channels: [{id: web, name: Web}]
stages: [{id: s, name: S}]
touchpoints:
  - {id: browse, name: Browse, stage: s, channel: web, next: [{to: browse, share: 0.3}, {to: checkout, share: 0.4}, {to: help, share: 0.1}]}
  - {id: help, name: Help, stage: s, channel: web, next: [{to: checkout, share: 0.5}]}
  - {id: checkout, name: Checkout, stage: s, channel: web, next: [{to: paid, share: 0.8}, {to: checkout, share: 0.1}]}
  - {id: paid, name: Paid, stage: s, channel: web, outcome: success}
"""


@pytest.fixture(scope="module")
def loops() -> Journey:
    return load_text(LOOPS)


def test_a_self_loop_is_a_loop_and_a_flow_into_another_journey_is_not(loops: Journey) -> None:
    facts = JourneyFacts.of(loops)
    assert facts.loops == {"browse", "checkout"}
    assert facts.entries == {"browse"}  # its flow to itself does not make it a touchpoint others point to
    linked = load_text(LOOPS.replace("{to: checkout, share: 0.1}", "{to: checkout, journey: other, share: 0.1}"))
    assert JourneyFacts.of(linked).loops == {"browse"}


@pytest.mark.parametrize("engine", ENGINES)
def test_repeats_at_a_self_loop_are_visits_and_elsewhere_one_visit(tmp_path: Path, loops: Journey, engine: str) -> None:
    """A retention loop (renew -> renew) could never be observed: consecutive events at one touchpoint
    were one visit, so the loop's share was 0% of visits, whatever the customers did. Where the journey
    declares a self-loop, each event is a visit and each repeat the loop, with its time; elsewhere
    (help) repeats stay one visit, not an undeclared help -> help."""
    path = tmp_path / "log.csv"
    path.write_text("customer,timestamp,touchpoint,outcome,segment\n"
                    "c1,2026-09-01T10:00:00Z,browse,,\n"       # browse three times: the loop twice
                    "c1,2026-09-01T10:02:00Z,browse,,\n"
                    "c1,2026-09-01T10:03:00Z,browse,,\n"
                    "c1,2026-09-01T10:10:00Z,checkout,,\n"
                    "c1,2026-09-01T10:12:00Z,checkout,,\n"
                    "c1,2026-09-01T10:15:00Z,paid,success,\n"
                    "c2,2026-09-01T11:00:00Z,browse,,\n"
                    "c2,2026-09-01T11:01:00Z,help,,\n"          # help has no self-loop: one visit
                    "c2,2026-09-01T11:02:00Z,help,,\n"
                    "c2,2026-09-01T11:09:00Z,checkout,,\n"
                    "c2,2026-09-01T11:10:00Z,paid,success,\n"
                    "c3,2026-09-01T12:00:00Z,browse,,\n"        # a double-fired event: the loop, in 0 s
                    "c3,2026-09-01T12:00:00Z,browse,,\n")
    tables = run(engine, path, loops)
    assert tables.problems == []
    assert tables.visits == {"browse": 6, "checkout": 3, "help": 1, "paid": 2}
    assert tables.visitors == {"browse": 3, "checkout": 2, "help": 1, "paid": 2}
    flows = {(f.source, f.target): (f.count, f.median_seconds, f.p90_seconds, f.ties) for f in tables.flows}
    assert flows == {
        ("browse", "browse"): (3, 60.0, 120.0, 1),   # c1: 120 s, 60 s; c3: 0 s
        ("browse", "checkout"): (1, 420.0, 420.0, 0),
        ("browse", "help"): (1, 60.0, 60.0, 0),
        ("checkout", "checkout"): (1, 120.0, 120.0, 0),
        ("checkout", "paid"): (2, 60.0, 180.0, 0),
        ("help", "checkout"): (1, 420.0, 420.0, 0),  # from the last event of the one visit to help
    }
    assert tables.conformance == {"conforming": 2, "ad_hoc": 0, "out_of_sequence": 0, "missing": 0, "failing": 1}
    assert tables.entries == {"browse": 3} and tables.ended_without_success == {"browse": 1}
    assert tables.busiest == ("c1", 6)
    assert tables.comparable() == summarise(
        [(c, datetime.fromisoformat(t).timestamp(), tp, o, g) for c, t, tp, o, g in csv.reader(path.read_text().splitlines()[1:])],
        JourneyFacts.of(loops), 13,
    ).comparable()


@pytest.mark.parametrize("engine", ENGINES)
def test_events_logged_twice_at_a_self_loop_are_told(tmp_path: Path, loops: Journey, engine: str) -> None:
    """At a self-loop's touchpoint an event a tracker fired twice is the loop taken, in 0 s: one warning
    says how often that happened, and the ties are not taken for a question of order (same-moment)."""
    from journeymap.data.events import read_events

    def told(later: list[int]) -> list:  # 30 customers browsing twice, the second time `later[i]` seconds on
        path = tmp_path / "log.csv"
        path.write_text("customer,timestamp,touchpoint,outcome\n" + "".join(
            f"c{i},2026-09-01T10:{i:02d}:00Z,browse,\nc{i},2026-09-01T10:{i:02d}:{later[i]:02d}Z,browse,\n"
            f"c{i},2026-09-01T10:{i:02d}:30Z,checkout,\nc{i},2026-09-01T10:{i:02d}:40Z,paid,success\n" for i in range(30)))
        return read_events([path], loops, engine=engine)[2]

    [twice] = told([0] * 30)
    assert twice.code == "same-moment-loop" and twice.message.startswith(
        "30 of the 30 times customers went round a self-loop (100%) came at the same moment as the visit before:"
        " 'browse' (30 of 30). Where the journey declares a self-loop every event is a visit")
    assert [p.code for p in told([10] + [0] * 29)] == ["same-moment-loop"]
    assert told([10] * 30) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_a_repeat_without_a_declared_self_loop_is_still_one_visit(tmp_path: Path, journey: Journey, engine: str) -> None:
    """The shop journey declares no self-loop: the same log reads as it always did (a repeat is one
    visit; the customer's one browse -> checkout is in sequence)."""
    path = tmp_path / "log.csv"
    path.write_text("customer,timestamp,touchpoint,outcome\n"
                    "c1,2026-09-01T10:00:00Z,browse,\nc1,2026-09-01T10:02:00Z,browse,\n"
                    "c1,2026-09-01T10:05:00Z,checkout,\nc1,2026-09-01T10:06:00Z,paid,success\n")
    tables = run(engine, path, journey)
    assert tables.visits == {"browse": 1, "checkout": 1, "paid": 1}
    assert {(f.source, f.target) for f in tables.flows} == {("browse", "checkout"), ("checkout", "paid")}
    assert tables.conformance["conforming"] == 1 and tables.conformance["out_of_sequence"] == 0


LINKED = (FIXTURES / "linked.journey.yaml").read_text()
# browse -> card (journey 'cards') and help -> agent (journey 'support') lead into other journeys.


@pytest.fixture(scope="module")
def linked() -> Journey:
    return load_text(LINKED)


@pytest.mark.parametrize("engine", ENGINES)
def test_another_journeys_touchpoint_requires_nothing(tmp_path: Path, linked: Journey, engine: str) -> None:
    """A flow into another journey made its touchpoint a node of the dominators: the reference said
    'missing: browse skipped before card' of a customer who met 'card' first, DuckDB and Spark did not."""
    facts = JourneyFacts.of(linked)
    assert {t for t, _ in facts.requires} <= set(facts.outcomes)
    path = tmp_path / "log.csv"
    path.write_text("customer,timestamp,touchpoint,outcome\n"
                    "c1,2026-09-01T10:00:00Z,card,\nc1,2026-09-01T10:01:00Z,checkout,\n")
    found = {(d.type, d.source, d.target) for d in run(engine, path, linked).deviations}
    assert found == {("ad_hoc", None, "card"), ("failing", "checkout", None)}


HANDOFFS = (FIXTURES / "handoffs.csv").read_text()
# h1, h6 (two events, one visit) and h8 (twice) end in 'card' of journey 'cards' right after browse, by the
# flow browse declares: a handoff. h2 comes back and pays. h3 meets 'card' first and h4 after help (whose
# link is 'agent'): ad hoc, and they left. h5's outcome cell says failure. h7 goes on to an ad hoc 'faq'.


@pytest.mark.parametrize("engine", ENGINES)
def test_a_step_by_a_declared_link_is_a_handoff_not_an_ad_hoc_visit(tmp_path: Path, linked: Journey, engine: str) -> None:
    """report --events called the customers who took a flow into another journey ad hoc and failing
    ('ad hoc: card after browse', 'failing: ended at card'), where the model ends them in handoff."""
    path = tmp_path / "log.csv"
    path.write_text(HANDOFFS)
    tables = run(engine, path, linked)
    assert tables.problems == []
    assert tables.outcomes == {"success": 1, "failure": 1, "left": 3, "handoff": 3}
    assert tables.conformance == {"conforming": 4, "ad_hoc": 3, "out_of_sequence": 0, "missing": 0, "failing": 4}
    found = {(d.type, d.source, d.target): d.examples for d in tables.deviations}
    assert found == {
        ("ad_hoc", None, "card"): ("h3",), ("ad_hoc", "help", "card"): ("h4",), ("ad_hoc", "card", "faq"): ("h7",),
        ("failing", "browse", None): ("h3",), ("failing", "card", None): ("h4",), ("failing", "agent", None): ("h5",),
        ("failing", "faq", None): ("h7",),
    }
    assert tables.met_ad_hoc == {"agent": 0, "card": 2} and tables.visitors["card"] == 7
    assert tables.ended_without_success == {"agent": 1, "browse": 1, "card": 1, "faq": 1}
    assert [(c.customers, c.handoff, c.conforming) for c in tables.cohorts] == [(8, 3, 4)]
    flows = {(f.source, f.target): f.count for f in tables.flows}
    assert flows[("browse", "card")] == 6 and flows[("help", "agent")] == 1


PERSONAS = (FIXTURES / "personas.csv").read_text()
# On linked.journey.yaml, p never meets the app and q never meets help. p1 and p3 walk p's view and q1 and
# q3 (a handoff) q's; p2 starts at the app and p4 at help; q2 goes through help to its flow into 'support'
# and q4 starts at checkout.


def test_a_personas_facts_are_its_view_of_the_journey(linked: Journey) -> None:
    everyone, p, q = JourneyFacts.of(linked), JourneyFacts.of(linked, "p"), JourneyFacts.of(linked, "q")
    assert everyone.outcomes == p.outcomes == q.outcomes  # every touchpoint stays the journey's
    assert everyone.entries == q.entries == {"browse", "app"} and p.entries == {"browse"}
    assert ("app", "checkout") in everyone.flows and ("app", "checkout") not in p.flows
    assert ("browse", "help") not in q.flows and not any("help" in flow for flow in q.flows)
    assert everyone.links == p.links == {("browse", "card"), ("help", "agent")} and q.links == {("browse", "card")}
    # checkout is reached from the app too, but not by p's customers: p's checkout requires browse
    assert ("checkout", "browse") in p.requires and ("checkout", "browse") not in everyone.requires
    assert JourneyFacts.of(load_text(JOURNEY), "p") == JourneyFacts.of(load_text(JOURNEY))  # meets every touchpoint


@pytest.mark.parametrize("engine", ENGINES)
def test_a_personas_customers_are_replayed_against_its_view(tmp_path: Path, linked: Journey, engine: str) -> None:
    """--persona conformed 100% where the persona's own flow table said 'declared none' for a flow into a
    touchpoint it does not meet, and a first step at another persona's entry was no deviation."""
    path = tmp_path / "log.csv"
    path.write_text(PERSONAS)
    aggregate = get_engine(engine)[1]

    def read(persona: str) -> tuple[dict[str, int], dict[tuple[str, str | None, str | None], tuple[str, ...]]]:
        tables = aggregate([path], JourneyFacts.of(linked, persona), EngineOptions(segment=persona))
        assert tables.problems == [] and tables.customers == 4
        return tables.conformance, {(d.type, d.source, d.target): d.examples for d in tables.deviations}

    conformance, found = read("p")
    assert conformance == {"conforming": 2, "ad_hoc": 0, "out_of_sequence": 2, "missing": 2, "failing": 0}
    assert found == {
        ("out_of_sequence", None, "app"): ("p2",), ("out_of_sequence", "app", "checkout"): ("p2",),
        ("out_of_sequence", None, "help"): ("p4",), ("missing", "help", "browse"): ("p4",),
        ("missing", "checkout", "browse"): ("p2", "p4"),  # p's checkout requires browse
    }
    conformance, found = read("q")
    assert conformance == {"conforming": 2, "ad_hoc": 1, "out_of_sequence": 2, "missing": 0, "failing": 1}
    assert found == {  # help -> agent is no flow of q's (q never meets help): 'agent' is ad hoc there
        ("out_of_sequence", "browse", "help"): ("q2",), ("ad_hoc", "help", "agent"): ("q2",),
        ("failing", "agent", None): ("q2",), ("out_of_sequence", None, "checkout"): ("q4",),
    }
    everyone = aggregate([path], JourneyFacts.of(linked), EngineOptions())
    assert everyone.conformance == {"conforming": 6, "ad_hoc": 0, "out_of_sequence": 2, "missing": 1, "failing": 0}


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(walks=st.lists(st.tuples(st.sampled_from(["c1", "c2", "c3", "c4"]),
                                st.lists(st.sampled_from(["browse", "app", "help", "checkout", "paid", "card", "agent"]), min_size=1, max_size=5),
                                st.sampled_from(["", "success", "failure"]), st.sampled_from(["", "p", "q", "P"])), min_size=1, max_size=6),
       bad=st.booleans())
def test_one_reading_for_every_persona_is_one_reading_each(
    tmp_path_factory: pytest.TempPathFactory, linked: Journey, walks: list, bad: bool
) -> None:
    """The map's persona filter reads the log once for every persona (DuckDB: the files checked once, the
    window pass again for each view of the journey): the same tables and problems as a reading each,
    a segment nobody has and a bad row included."""
    from dataclasses import replace

    from journeymap.data.engines import aggregate_each

    path = tmp_path_factory.mktemp("log") / "log.csv"
    write_log(path, walked(walks, []))
    if bad:
        with path.open("a") as stream:
            stream.write(",1788000000,browse,,p\nc9,yesterday,browse,,q\n")
    options = EngineOptions(period="week")
    runs = [(JourneyFacts.of(linked, persona), replace(options, segment=segment))
            for persona, segment in [("p", "p"), ("q", "Q"), ("q", "p"), ("p", "p"), (None, None), ("q", "nobody")]]
    each = aggregate_each("duckdb", [path], runs)
    one_by_one = [get_engine("duckdb")[1]([path], facts, own) for facts, own in runs]
    assert [t.comparable() for t in each] == [t.comparable() for t in one_by_one]
    assert [t.problems for t in each] == [t.problems for t in one_by_one]
    assert [(t.rows, t.files) for t in each] == [(t.rows, t.files) for t in one_by_one]


# -- every engine against the reference, on logs hypothesis makes up ----------

TOUCHPOINTS = ["browse", "help", "checkout", "paid", "faq", "x'y"]
event = st.tuples(
    st.sampled_from(["c1", "c2", "c3", "c10", "C1", "ü"]),
    st.integers(min_value=1_788_000_000, max_value=1_788_000_000 + 3 * 86_400).map(float)
    | st.sampled_from([1_788_000_000.5, 1_788_000_000.25]),
    st.sampled_from(TOUCHPOINTS),
    st.sampled_from(["", "", "", "success", "failure"]),
    st.sampled_from(["", "a", "b"]),
)


def write_log(path: Path, events: list[tuple[str, float, str, str, str]]) -> None:
    with path.open("w", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(["customer", "timestamp", "touchpoint", "outcome", "segment"])
        for customer, seconds, touchpoint, outcome, segment in events:
            # every third timestamp as ISO 8601 text, the others as seconds since 1970
            when = repr(seconds)
            if int(seconds) % 3 == 0:
                moment = datetime.fromtimestamp(seconds, timezone.utc)
                when = moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{moment.microsecond:06d}" if moment.microsecond else "") + "Z"
            out.writerow([customer, when, touchpoint, outcome, segment])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(event, min_size=1, max_size=40))
def test_duckdb_agrees_with_the_reference(tmp_path_factory: pytest.TempPathFactory, journey: Journey, events: list) -> None:
    path = tmp_path_factory.mktemp("log") / "log.csv"
    write_log(path, events)
    facts = JourneyFacts.of(journey)
    reference = summarise(events, facts, len(events))
    for engine in ENGINES:
        tables = run(engine, path, journey)
        assert tables.problems == []
        assert tables.comparable() == reference.comparable(), engine


LINKED_TOUCHPOINTS = ["browse", "app", "help", "checkout", "paid", "card", "agent", "faq"]
linked_event = st.tuples(
    st.sampled_from(["c1", "c2", "c3"]),
    st.integers(min_value=1_788_000_000, max_value=1_788_000_000 + 600).map(float),
    st.sampled_from(LINKED_TOUCHPOINTS),
    st.sampled_from(["", "", "", "success", "failure"]),
    st.sampled_from(["", "p", "q"]),
)
# a customer's walk, a minute a step (two walks of one customer interleave, and tie), its outcome cell last;
# most end in a link's target
linked_walk = st.tuples(
    st.sampled_from(["c1", "c2", "c3", "c4"]),
    st.builds(lambda path, end: path + end, st.lists(st.sampled_from(LINKED_TOUCHPOINTS), max_size=5),
              st.sampled_from([["browse"], ["browse", "card"], ["help", "agent"], ["browse", "card", "card"], ["app", "card"]])),
    st.sampled_from(["", "", "success", "failure"]),
    st.sampled_from(["", "p", "q"]),
)


def walked(walks: list, events: list) -> list:
    return events + [
        (customer, 1_788_000_000.0 + 60 * k, touchpoint, outcome if k == len(path) - 1 else "", segment)
        for customer, path, outcome, segment in walks for k, touchpoint in enumerate(path)
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(walks=st.lists(linked_walk, min_size=1, max_size=6), events=st.lists(linked_event, max_size=8))
def test_duckdb_agrees_with_the_reference_on_a_journey_with_links_and_personas(
    tmp_path_factory: pytest.TempPathFactory, linked: Journey, walks: list, events: list
) -> None:
    """Steps into other journeys' touchpoints, by their declared flows or not, first, last and between,
    against the journey and each persona's view of it."""
    events = walked(walks, events)
    path = tmp_path_factory.mktemp("log") / "log.csv"
    write_log(path, events)
    for persona in (None, "p", "q"):  # each persona's view of the journey too
        facts = JourneyFacts.of(linked, persona)
        reference = summarise(events, facts, len(events))
        for engine in ENGINES:
            tables = get_engine(engine)[1]([path], facts, EngineOptions())
            assert tables.problems == []
            assert tables.comparable() == reference.comparable(), (engine, persona)


tied_event = st.tuples(
    st.sampled_from(["c1", "c2"]),
    st.sampled_from([1_788_000_000.0, 1_788_000_060.0]),
    st.sampled_from(["browse", "help", "zzz", "about"]),  # "about" and "zzz": not in the journey
    st.sampled_from(["", "success", "failure"]),
    st.sampled_from(["", "a", "b", "B", "é"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(tied_event, min_size=1, max_size=12))
def test_events_that_tie_on_time_are_ordered_as_the_reference_orders_them(
    tmp_path_factory: pytest.TempPathFactory, journey: Journey, events: list
) -> None:
    """Two moments only: most events tie on time, many on touchpoint and outcome too, and
    then the segment decides which is first (the window pass does not sort on it)."""
    path = tmp_path_factory.mktemp("log") / "log.csv"
    write_log(path, events)
    reference = summarise(events, JourneyFacts.of(journey), len(events))
    for engine in ENGINES:
        assert run(engine, path, journey).comparable() == reference.comparable(), engine


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(event, min_size=1, max_size=40), segment=st.sampled_from([None, "a"]))
def test_engines_agree_with_the_reference_on_a_journey_with_self_loops(
    tmp_path_factory: pytest.TempPathFactory, loops: Journey, events: list, segment: str | None
) -> None:
    """Self-loops at an entry (browse) and further on (checkout), beside a touchpoint without one
    (help), on logs made up by hypothesis, for everyone and for one segment (--persona)."""
    path = tmp_path_factory.mktemp("log") / "log.csv"
    write_log(path, events)
    if segment is None:
        reference = summarise(events, JourneyFacts.of(loops), len(events))
    else:
        reference = run("python", path, loops, segment=segment)
    tables = run("duckdb", path, loops, segment=segment)
    assert [p.code for p in tables.problems] == [p.code for p in reference.problems]
    assert tables.comparable() == reference.comparable()


_EDGE_TEXT = st.text(
    alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2003\u2028\u202f\u3000\u0600\u0301\u200d\x00\x7fab1é😀")),
    max_size=8,
) | st.text(max_size=12)


@pytest.fixture(scope="module")
def strip_query() -> Iterator[tuple[Any, str]]:
    """One connection for every example (connecting took 50 ms an example, the query 2 ms)."""
    import duckdb

    from journeymap.data.engines.duckdb import stripped

    con = duckdb.connect()
    yield con, f"SELECT {stripped('c')} FROM (SELECT ? AS c)"
    con.close()


@settings(max_examples=400, deadline=None)
@given(text=_EDGE_TEXT)
def test_duckdb_strips_cells_exactly_as_python_does(strip_query: tuple[Any, str], text: str) -> None:
    """The cheap first/last-character check in front of the exact strip never lets a cell through
    that Python's str.strip() would change (combining marks, prepended marks, CRLF, emoji)."""
    con, query = strip_query
    assert con.execute(query, [text]).fetchone() == (text.strip(),)


def _chain_journey(length: int) -> Journey:
    """A journey t000 -> t001 -> ... (each step required by the next), with a
    shortcut from every fifth touchpoint over the next one: longer than one
    63-touchpoint word of the visited-set bitmask."""
    lines = ["journeymap: 1", "id: chain", "title: Chain", "personas: [{id: p, name: P}]",
             "channels: [{id: web, name: Web}]", "stages: [{id: s, name: S}]", "touchpoints:"]
    for i in range(length):
        targets = [f"t{j:03d}" for j in (i + 1, i + 2) if j < length and (j == i + 1 or i % 5 == 0)]
        nexts = ", ".join(f"{{to: {t}, share: {0.9 / len(targets):.2f}}}" for t in targets)
        outcome = ", outcome: success" if i == length - 1 else ""
        lines.append(f"  - {{id: t{i:03d}, name: T{i}, stage: s, channel: web{outcome}, next: [{nexts}]}}"
                     if targets else f"  - {{id: t{i:03d}, name: T{i}, stage: s, channel: web{outcome}}}")
    return load_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_journeys_past_one_bitmask_word_agree_with_the_reference(tmp_path: Path, suffix: str) -> None:
    """140 touchpoints are three words of the visited-set bitmask: visitors and missing steps
    (a dominator in another word than its touchpoint included) agree with the reference."""
    import duckdb

    journey = _chain_journey(140)
    facts = JourneyFacts.of(journey)
    assert ("t063", "t062") in facts.requires and ("t126", "t125") in facts.requires  # across words
    events: list[tuple[str, float, str, str, str]] = []
    for c in range(40):
        # each customer walks from t000 and skips one touchpoint per stretch of 17 (a missing step
        # unless a declared shortcut goes over it), and the last few meet an ad hoc touchpoint
        path = [f"t{i:03d}" for i in range(0, 40 + 3 * c) if (i + c) % 17 != 16]
        if c >= 35:
            path.insert(3, "faq")
        events += [(f"c{c:02d}", 1_788_000_000 + 60 * k, t, "", "") for k, t in enumerate(path)]
    reference = summarise(events, facts, len(events))
    assert {d.type for d in reference.deviations} >= {"missing", "ad_hoc", "out_of_sequence"}
    assert any(d.type == "missing" and d.target == "t062" for d in reference.deviations)
    path = tmp_path / "log.csv"
    write_log(path, events)
    if suffix == ".parquet":
        parquet = tmp_path / "log.parquet"
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true)) TO '{parquet}' (FORMAT parquet)")
        path = parquet
    tables = run("duckdb", path, journey)
    assert tables.problems == []
    assert tables.comparable() == reference.comparable()
    assert tables.visitors["t100"] == reference.visitors["t100"] > 0


bad_row = st.tuples(
    st.sampled_from(["", "c1", "c9"]),
    st.sampled_from(["", "not a time", "2026-09-01T10:00:00Z"]),
    st.sampled_from(["", *TOUCHPOINTS]),
    st.sampled_from(["", "maybe", "success"]),
    st.sampled_from(["", "a"]),
).filter(lambda row: row[0] == "" or row[1] in ("", "not a time") or row[2] == "" or row[3] == "maybe")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(event, min_size=0, max_size=30), bad=st.lists(bad_row, max_size=6), data=st.data())
def test_parquet_counts_bad_rows_in_the_window_pass_as_a_csv_table_does(
    tmp_path_factory: pytest.TempPathFactory, journey: Journey, events: list, bad: list, data: st.DataObject
) -> None:
    """A Parquet log's bad rows are counted from the window pass's own table (one read of the
    file); a CSV log's, from the table of its checked rows. Same rows, same figures, same problems."""
    import duckdb

    folder = tmp_path_factory.mktemp("log")
    csv_path = folder / "log.csv"
    write_log(csv_path, events)
    rows = list(csv.reader(csv_path.open(newline="")))
    for row in bad:
        rows.insert(data.draw(st.integers(1, len(rows))), list(row))
    with csv_path.open("w", newline="") as stream:
        csv.writer(stream).writerows(rows)
    parquet = folder / "log.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true, quote = '\"')) TO '{parquet}' (FORMAT parquet)")
    from_csv, from_parquet = run("duckdb", csv_path, journey), run("duckdb", parquet, journey)
    assert from_parquet.rows == from_csv.rows == len(rows) - 1
    assert from_parquet.comparable() == from_csv.comparable()
    # (a file with no rows is a warning of its own, in words that differ: a Parquet file has no header line)
    assert [p.code for p in from_csv.problems if p.code == "no-rows"] == [
        p.code for p in from_parquet.problems if p.code == "no-rows"]
    from_csv.problems = [p for p in from_csv.problems if p.code != "no-rows"]
    from_parquet.problems = [p for p in from_parquet.problems if p.code != "no-rows"]
    assert [(p.code, p.span.line, p.message) for p in from_parquet.problems] == [
        (p.code, p.span.line, p.message) for p in from_csv.problems]
    assert bool(from_parquet.problems) == bool(bad)
    reference = summarise(events, JourneyFacts.of(journey), len(rows) - 1)
    assert from_parquet.comparable() == reference.comparable()


def test_bad_rows_of_several_parquet_files_are_counted_per_file(tmp_path: Path, journey: Journey) -> None:
    """Bad rows counted from the window pass keep their file: each file's problems name it,
    with the counts of that file, as the CSV files' do."""
    import duckdb

    (tmp_path / "csv").mkdir()
    (tmp_path / "parquet").mkdir()
    header = "customer,timestamp,touchpoint,outcome,segment\n"
    contents = {
        "a": header + "c1,2026-09-01T10:00:00Z,browse,,\n,2026-09-01T10:01:00Z,browse,,\nc1,2026-09-01T10:02:00Z,checkout,,\n",
        "b": header + "c2,2026-09-01T11:00:00Z,browse,,\nc2,later,checkout,,\nc2,2026-09-01T11:05:00Z,paid,maybe,\n"
             + "c3,2026-09-01T12:00:00Z,browse,,\nc3,2026-09-01T12:01:00Z,,,\n",
    }
    for stem, text in contents.items():
        (tmp_path / "csv" / f"{stem}.csv").write_text(text)
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{tmp_path / 'csv' / f'{stem}.csv'}', all_varchar = true))"
                   f" TO '{tmp_path / 'parquet' / f'{stem}.parquet'}' (FORMAT parquet)")
    from_csv, from_parquet = run("duckdb", tmp_path / "csv", journey), run("duckdb", tmp_path / "parquet", journey)
    assert from_parquet.rows == from_csv.rows == 8
    assert from_parquet.customers == from_csv.customers == 3
    assert from_parquet.comparable() == from_csv.comparable()
    found = sorted((p.span.file, p.span.line, p.code) for p in from_parquet.problems)
    assert [(Path(f).stem, line, code) for f, line, code in found] == [
        ("a", 3, "missing-value"), ("b", 3, "invalid-timestamp"), ("b", 4, "invalid-outcome"), ("b", 6, "missing-value")]
    assert [(Path(f).stem, line, code) for f, line, code in sorted((p.span.file, p.span.line, p.code) for p in from_csv.problems)] == [
        (Path(f).stem, line, code) for f, line, code in found]


def _glob_named(folder: Path, suffix: str) -> dict[str, Path]:
    """Files and folders whose names hold glob characters, each beside a decoy its pattern would match."""
    import duckdb

    rows = {"a": "A1,2026-09-01T10:00:00Z,browse,,\nA1,2026-09-01T10:05:00Z,checkout,,\n",
            "b": "B1,2026-09-01T11:00:00Z,browse,,\nB2,2026-09-01T11:00:00Z,help,,\nB3,2026-09-01T11:00:00Z,browse,,\n"}
    header = "customer,timestamp,touchpoint,outcome,segment\n"

    def write(path: Path, which: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = header + rows[which]
        if suffix == ".csv":
            path.write_text(text)
        else:
            scratch = folder / f"scratch-{which}.csv"
            scratch.write_text(text)
            con = duckdb.connect()
            if suffix == ".jsonl":
                con.execute(f"COPY (SELECT * FROM read_csv('{scratch}', all_varchar = true)) TO '{path}' (FORMAT json)")
            else:
                con.execute(f"COPY (SELECT * FROM read_csv('{scratch}', all_varchar = true)) TO '{path}' (FORMAT parquet)")
            con.close()
            scratch.unlink()
        return path

    made = {}
    for kind, named, decoy in (("bracket", "ev [1]", "ev 1"), ("star", "a*", "ab"), ("question", "c?", "cd")):
        made[kind] = write(folder / kind / f"{named}{suffix}", "a")
        write(folder / kind / f"{decoy}{suffix}", "b")
    made["folder"] = write(folder / "dir [1]" / f"part{suffix}", "a").parent
    write(folder / "dir 1" / f"part{suffix}", "b")
    return made


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_a_file_or_folder_named_like_a_glob_is_read_as_named(tmp_path: Path, suffix: str) -> None:
    """DuckDB read a path as a glob: 'ev [1].csv' read 'ev 1.csv' instead, 'a*.csv' read 'ab.csv' too, and
    a folder read one file twice and the other never, in silence (exit 0)."""
    journey = load_text(JOURNEY)
    for kind, path in _glob_named(tmp_path, suffix).items():
        tables = run("duckdb", path, journey)
        assert tables.problems == [] and tables.customers == 1 and tables.rows == 2, (kind, tables.customers, tables.problems)
        if suffix != ".parquet":  # the reference reads Parquet with pyarrow, an extra
            assert tables.comparable() == run("python", path, journey).comparable()
    folder = tmp_path / "bracket"
    assert run("duckdb", folder, journey).customers == 4  # each file once: A1, and the decoy's three
