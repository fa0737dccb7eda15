"""The Spark engine in local mode (Java 17): the same numbers as DuckDB and the reference.

One Spark session for the module (started and stopped here); the logs are small, yet
the seven tests took 257 s on 2 cores at a load average of 1.4 (Spark's time goes to
planning its queries, not to the data). What only concerns reading a log is checked on the
events read (``checked_events``), not on a whole report: see tests/test_events_broken.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeymap.data.engines import EngineOptions, JourneyFacts, get_engine
from journeymap.loader import load, load_text

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java (Debian: openjdk-17-jre-headless)", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "events"
JOURNEY = (FIXTURES / "shop.journey.yaml").read_text()
PLANTED = (FIXTURES / "planted.csv").read_text()


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    """One local session for every test here (the engine uses the active one), on a JVM tuned for
    logs of a few thousand rows (tests/spark_helpers.py). With its first two tests this module took
    81 s instead of 154 s with the engine's own settings, both at a load average of 8-11 on 2 cores."""
    from spark_helpers import start_spark

    started = start_spark()
    yield started
    started.stop()


def run(engine: str, paths: list[Path], journey, **options: object):  # type: ignore[no-untyped-def]
    _, aggregate = get_engine(engine)
    return aggregate(paths, JourneyFacts.of(journey), EngineOptions(**options))  # type: ignore[arg-type]


def test_spark_finds_the_planted_deviations_like_duckdb(spark: object, tmp_path: Path) -> None:
    journey = load_text(JOURNEY)
    path = tmp_path / "log.csv"
    path.write_text(PLANTED + "c8,not a time,browse,,\nc8,2026-09-01,browse,won,\n")
    tables = run("spark", [path], journey)
    reference = run("python", [path], journey)
    assert tables.engine == "spark"
    assert tables.comparable() == reference.comparable() == run("duckdb", [path], journey).comparable()
    assert tables.conformance == {"conforming": 2, "ad_hoc": 1, "out_of_sequence": 2, "missing": 2, "failing": 2}
    codes = {(p.code, p.span.line, p.span.col) for p in tables.problems}
    assert codes == {("invalid-timestamp", 22, 4), ("invalid-outcome", 23, 22)}


def test_spark_agrees_on_a_simulated_log(spark: object, tmp_path: Path) -> None:
    from journeymap.data.simulate import simulate

    journey = load(ROOT / "sample_journeys" / "telecom-support.journey.yaml")
    parquet = tmp_path / "log.parquet"
    simulate(journey, parquet, customers=3000, seed=5)
    segment = journey.personas[0].id
    on_spark = run("spark", [parquet], journey, segment=segment)
    assert on_spark.problems == [] and 0 < on_spark.customers < 3000
    assert on_spark.comparable() == run("duckdb", [parquet], journey, segment=segment).comparable()


def test_spark_orders_events_that_tie_on_time_as_the_reference(spark: object, tmp_path: Path) -> None:
    """Events at one moment: the touchpoint, then the outcome, then the smallest segment
    decide which comes first (Spark does not sort on the segment either)."""
    journey = load_text(JOURNEY)
    path = tmp_path / "log.csv"
    path.write_text(
        "customer,timestamp,touchpoint,outcome,segment\n"
        "c1,2026-09-01T10:00:00Z,browse,,b\nc1,2026-09-01T10:00:00Z,browse,,a\n"
        "c1,2026-09-01T10:00:00Z,checkout,success,c\nc1,2026-09-01T10:00:00Z,browse,failure,0\n"
        "c2,2026-09-01T10:00:00Z,help,,z\nc2,2026-09-01T10:00:00Z,browse,,y\nc2,2026-09-01T10:00:05Z,browse,,a\n"
    )
    reference = run("python", [path], journey)
    assert sorted((c.segment, c.customers) for c in reference.cohorts) == [("a", 1), ("y", 1)]
    assert run("spark", [path], journey).comparable() == reference.comparable()
    assert run("duckdb", [path], journey).comparable() == reference.comparable()


def test_spark_chooses_a_segments_customers_whole_by_their_first_event(spark: object, tmp_path: Path) -> None:
    journey = load_text(JOURNEY)
    path = tmp_path / "log.csv"
    path.write_text(
        "customer,timestamp,touchpoint,outcome,segment\n"
        "c1,2026-09-01T10:00:00Z,browse,,new\nc1,2026-09-01T10:05:00Z,checkout,,\nc1,2026-09-01T10:06:00Z,paid,success,other\n"
        "c2,2026-09-01T10:00:00Z,browse,,\nc2,2026-09-01T10:05:00Z,checkout,,new\n"
        "c3,2026-09-01T10:00:00Z,browse,,other\nc3,2026-09-01T10:00:00Z,browse,,new\n"
    )
    reference = run("python", [path], journey, segment="new")
    assert reference.customers == 2 and reference.visits == {"browse": 2, "checkout": 1, "paid": 1}
    assert run("spark", [path], journey, segment="new").comparable() == reference.comparable()
    late = tmp_path / "late.csv"
    late.write_text("customer,timestamp,touchpoint,outcome,segment\nc2,2026-09-01T10:00:00Z,browse,,\nc2,2026-09-01T10:05:00Z,checkout,,new\n")
    on_spark = run("spark", [late], journey, segment="new")
    assert on_spark.customers == 1 and [p.code for p in on_spark.problems] == ["no-segments"]
    doubled = tmp_path / "doubled.csv"  # a double-fired first event, once without its segment: no segment
    doubled.write_text("customer,timestamp,touchpoint,outcome,segment\n"
                       "c4,2026-09-01T10:00:00Z,browse,,\nc4,2026-09-01T10:00:00Z,browse,,new\nc4,2026-09-01T10:05:00Z,checkout,,new\n")
    on_spark = run("spark", [doubled], journey, segment="new")
    assert on_spark.customers == 1 and [p.code for p in on_spark.problems] == ["no-segments"]


def test_spark_reads_a_file_or_folder_named_like_a_glob_as_named(spark: object, tmp_path: Path) -> None:
    """Hadoop reads a path as a glob: 'ev [1].csv' beside 'ev 1.csv' must read the file named."""
    from journeymap.data.engines import duckdb
    from journeymap.data.engines import spark as on_spark
    from tests.test_engines import _glob_named

    facts = JourneyFacts.of(load_text(JOURNEY))
    named = _glob_named(tmp_path / "csv", ".csv")
    # the three pattern characters, and a folder of Parquet: the events read (a whole report costs ~10 s a read here)
    for path in (named["bracket"], named["star"], named["question"], _glob_named(tmp_path / "parquet", ".parquet")["folder"]):
        events, rows, problems, _ = on_spark.checked_events([path], EngineOptions())
        assert rows == 2 and problems == [] and len({e[0] for e in events}) == 1, (path, events, problems)
        assert sorted(events) == sorted(duckdb.checked_events([path], facts, EngineOptions())[0])


def test_spark_reads_self_loops_as_the_reference(spark: object, tmp_path: Path) -> None:
    """At a touchpoint with a declared self-loop each event is a visit and each repeat the loop (the shared
    SQL's CASE), elsewhere repeats are one visit: the same figures on Spark, for everyone and one segment."""
    from test_engines import LOOPS

    journey = load_text(LOOPS)
    path = tmp_path / "log.csv"
    path.write_text(
        "customer,timestamp,touchpoint,outcome,segment\n"
        "c1,2026-09-01T10:00:00Z,browse,,a\nc1,2026-09-01T10:02:00Z,browse,,\nc1,2026-09-01T10:03:00Z,browse,,b\n"
        "c1,2026-09-01T10:10:00Z,checkout,,\nc1,2026-09-01T10:12:00Z,checkout,,\nc1,2026-09-01T10:15:00Z,paid,success,\n"
        "c2,2026-09-01T11:00:00Z,browse,,b\nc2,2026-09-01T11:01:00Z,help,,\nc2,2026-09-01T11:02:00Z,help,,\n"
        "c2,2026-09-01T11:03:00Z,faq,,\nc2,2026-09-01T11:09:00Z,checkout,,\nc2,2026-09-01T11:10:00Z,checkout,failure,\n"
        "c3,2026-09-01T12:00:00Z,checkout,,a\nc3,2026-09-01T12:00:00Z,checkout,,\nc3,2026-09-01T12:00:00Z,browse,,\n"
    )
    for options in ({"segment": None}, {"segment": "a"}, {"segment": "z", "segment_names": (" A",)}):  # 'a' by another name too
        reference = run("python", [path], journey, **options)
        assert run("spark", [path], journey, **options).comparable() == reference.comparable(), options
        assert run("duckdb", [path], journey, **options).comparable() == reference.comparable(), options
        # c1's: c3's first event is its browse (the journey's touchpoints in id order at one moment), of no segment
        if options["segment"]:
            assert reference.visits == {"browse": 3, "checkout": 2, "paid": 1}


def test_spark_reads_handoffs_and_personas_as_the_reference(spark: object, tmp_path: Path) -> None:
    """Steps by declared flows into other journeys (handoffs) and persona views: the same on every engine.

    The persona views are read as the map reads them, one session and one reading of the log for every
    persona (``aggregate_each``), and each is checked against DuckDB and the reference reading it alone
    (a segment chosen alone on Spark: test_spark_chooses_a_segments_customers_whole_by_their_first_event).
    Each persona read alone on Spark too made this the suite's slowest test (191 s): on a log this small
    every query costs Spark seconds of planning and compiling, whatever the rows (~25 s a persona)."""
    from journeymap.data.engines import aggregate_each

    journey = load_text((FIXTURES / "linked.journey.yaml").read_text())
    handoffs, personas = FIXTURES / "handoffs.csv", FIXTURES / "personas.csv"
    facts = JourneyFacts.of(journey)
    tables = {engine: get_engine(engine)[1]([handoffs], facts, EngineOptions()) for engine in ("spark", "duckdb", "python")}
    assert tables["spark"].problems == []
    assert tables["spark"].comparable() == tables["duckdb"].comparable() == tables["python"].comparable()
    runs = [(JourneyFacts.of(journey, persona), EngineOptions(segment=segment))
            for persona, segment in [(None, None), ("p", "p"), ("q", "Q"), ("q", "nobody")]]
    shared = aggregate_each("spark", [personas], runs)
    for engine in ("duckdb", "python"):
        alone = [get_engine(engine)[1]([personas], facts, options) for facts, options in runs]
        assert [t.comparable() for t in shared] == [t.comparable() for t in alone], engine
        assert [[p.code for p in t.problems] for t in shared] == [[p.code for p in t.problems] for t in alone], engine
    assert [t.problems for t in shared[:3]] == [[], [], []]  # 'Q' is persona q's segment, in other capitals
    assert shared[2].outcomes["handoff"] == 1 and shared[2].conformance["out_of_sequence"] == 2


@pytest.mark.parametrize(("size", "small"), [(1_000, True), (17 * 1024 * 1024, False)])
def test_a_small_log_gets_a_session_set_up_for_small_logs(size: int, small: bool, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A log of a few MB starts Spark with the JIT's quick tier, one shuffle partition and no adaptive
    planning (a report on the 2 MB sample log: 50-65 s against 93-132 s); a big one with Spark's own."""
    from journeymap.data.engines import spark as engine

    seen: list[bool] = []

    def session(options: EngineOptions, small: bool = False) -> tuple[object, bool]:
        seen.append(small)
        raise RuntimeError("stop here")

    monkeypatch.setattr(engine, "session", session)
    half = tmp_path / "a.csv"
    half.write_text("customer,timestamp,touchpoint\n" + "x" * (size // 2))
    (tmp_path / "b.csv").write_text("customer,timestamp,touchpoint\n" + "y" * (size // 2))  # two files, not one twice
    with pytest.raises(RuntimeError, match="stop here"):
        engine.aggregate([tmp_path], JourneyFacts.of(load_text(JOURNEY)), EngineOptions())
    assert seen == [small]
