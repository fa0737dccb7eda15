"""``--events-time-zone ZONE``: an event log written in local time without its offset (a contact centre's,
a shop till's, many CRMs' exports), read as local time in ZONE and converted to UTC.

The logs cross both 2026 changes of Europe/Paris (29 March, 25 October) and of America/New_York
(8 March, 1 November), with times in the spring gap (which did not exist) and in the autumn's repeated
hour (which happened twice). Every engine reads them alike, row for row (Spark: the last test, slow).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from journeymap.data.engines import EngineOptions, JourneyFacts, get_engine
from journeymap.data.engines.rows import events_time_zone, parse_timestamp, time_zone
from journeymap.loader import load_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "events"
JOURNEY = (FIXTURES / "shop.journey.yaml").read_text()


def utc(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp()


PARIS = """customer,timestamp,touchpoint,outcome
p1,2026-03-29 01:50:00,browse,
p1,2026-03-29 03:10:00,checkout,
p1,2026-03-29T03:20:00,paid,
p2,2026-03-29 02:30:00,browse,
p2,2026-03-29 03:45:00,checkout,
p3,2026-10-25 01:50:00,browse,
p3,2026-10-25 02:50:00,checkout,
p3,2026-10-25 02:05:00,paid,
p4,2026-10-25T02:30:00+01:00,browse,
p4,1792891800,checkout,
p5,2026-10-25,browse,
p5,29.03.2026 02:30,checkout,
p5,2026-10-25t02:40:00.250,paid,
p6,2026-07-01 12:00:00 UTC,browse,
p6,2026-07-01 14:05:00,help,
"""
"""p1: 01:50 CET to 03:10 CEST is 20 minutes (80 read as UTC); p2: 02:30 is in the spring gap; p3 writes its steps
in the order they happened, through the repeated hour twice (02:50 the first time, 02:05 the second); p4 has its
offset and a number since 1970, which stay as written; p5 a date alone (a day: kept), a date with dots and a lower-case
t; p6 UTC said, then local summer time."""

NEW_YORK = """customer,timestamp,touchpoint,outcome
n1,2026-03-08 01:59:00,browse,
n1,2026-03-08 02:30:00,checkout,
n1,2026-03-08 03:30:00,paid,
n2,2026-11-01 00:59:00,browse,
n2,2026-11-01 01:30:00,checkout,
n2,2026-11-01 01:10:00,paid,
n3,2026-11-01 02:00:00,browse,success
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def events_of(engine: str, path: Path, zone: str | None) -> list:
    from journeymap.data.engines import duckdb, python

    with events_time_zone(zone):
        if engine == "python":
            return sorted(python.checked_events([path])[0])
        return sorted(duckdb.checked_events([path], JourneyFacts.of(load_text(JOURNEY)), EngineOptions())[0])


def seconds(events: list, customer: str) -> list[float]:
    return sorted(e[1] for e in events if e[0] == customer)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_local_times_are_read_in_the_zone_and_the_others_as_written(tmp_path: Path, engine: str) -> None:
    path = write(tmp_path, "paris.csv", PARIS)
    events = events_of(engine, path, "Europe/Paris")
    assert seconds(events, "p1") == [utc("2026-03-29 00:50"), utc("2026-03-29 01:10"), utc("2026-03-29 01:20")]
    # the gap's 02:30 as the clock would have read it: 03:30 CEST (zoneinfo's fold=0)
    assert seconds(events, "p2") == [utc("2026-03-29 01:30"), utc("2026-03-29 01:45")]
    # the repeated hour's first occurrence (fold=0): 02:05 and 02:50 CEST
    assert seconds(events, "p3") == [utc("2026-10-24 23:50"), utc("2026-10-25 00:05"), utc("2026-10-25 00:50")]
    assert seconds(events, "p4") == [utc("2026-10-25 01:30"), utc("2026-10-25 01:30")]
    assert seconds(events, "p5") == [utc("2026-03-29 01:30"), utc("2026-10-25 00:00"), utc("2026-10-25 00:40:00.25")]
    assert seconds(events, "p6") == [utc("2026-07-01 12:00"), utc("2026-07-01 12:05")]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_new_yorks_changes(tmp_path: Path, engine: str) -> None:
    events = events_of(engine, write(tmp_path, "ny.csv", NEW_YORK), "America/New_York")
    assert seconds(events, "n1") == [utc("2026-03-08 06:59"), utc("2026-03-08 07:30"), utc("2026-03-08 07:30")]
    assert seconds(events, "n2") == [utc("2026-11-01 04:59"), utc("2026-11-01 05:10"), utc("2026-11-01 05:30")]
    assert seconds(events, "n3") == [utc("2026-11-01 07:00")]


def minutes_log(tmp_path: Path) -> Path:
    """Every 7th minute of the days of the 2026 changes in Paris, New York, Lord Howe (half an hour) and Santiago (at
    midnight: 23:00 to 24:00 on 4 April is repeated, 00:00 to 01:00 on 6 September skipped), with fractions."""
    rows = ["customer,timestamp,touchpoint,outcome"]
    for day in ("2026-03-29", "2026-10-25", "2026-03-08", "2026-11-01", "2026-04-05", "2026-10-04", "2026-04-04", "2026-09-06"):
        for minute in range(0, 24 * 60, 7):
            rows.append(f"c{day}-{minute % 5},{day} {minute // 60:02d}:{minute % 60:02d}:0{minute % 10}.{minute:06d},browse,")
    return write(tmp_path, "minutes.csv", "\n".join(rows) + "\n")


@pytest.mark.parametrize("zone", [None, "UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "America/Santiago"])
def test_duckdb_agrees_with_the_reference_row_for_row(tmp_path: Path, zone: str | None) -> None:
    path = minutes_log(tmp_path)
    assert events_of("duckdb", path, zone) == events_of("python", path, zone)


def test_without_the_option_nothing_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "paris.csv", PARIS)
    assert seconds(events_of("python", path, None), "p1")[1] == utc("2026-03-29 03:10")
    assert parse_timestamp("2026-03-29 03:10:00") == utc("2026-03-29 03:10")


def test_an_unknown_zone_is_a_value_error_with_a_guess() -> None:
    with pytest.raises(ValueError, match="did you mean 'Europe/Paris'"):
        time_zone("Europe/Pari")
    assert time_zone("CET").key == "CET" and time_zone("EST").key == "EST"
    for name in ("../../etc/passwd", "posixrules", "europe/paris", " Europe/Paris", ""):
        with pytest.raises(ValueError, match="no IANA time zone name"):
            time_zone(name)
    with pytest.raises(ValueError, match="this machine's zone"):  # DuckDB has no such zone, and the machine's is no answer
        time_zone("localtime")


def report(tmp_path: Path, log: Path, *options: str) -> subprocess.CompletedProcess[str]:
    journey = write(tmp_path, "shop.journey.yaml", JOURNEY)
    return subprocess.run([sys.executable, "-m", "journeymap", "report", str(journey), "--events", str(log), "--format", "json",
                           *options], capture_output=True, text=True, cwd=tmp_path)


def problems_of(engine: str, path: Path, zone: str | None) -> list:
    _, aggregate = get_engine(engine)
    return aggregate([path], JourneyFacts.of(load_text(JOURNEY)), EngineOptions(events_time_zone=zone)).problems


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_the_gap_and_the_repeated_hour_are_told_once_each(tmp_path: Path, engine: str) -> None:
    found = {p.code: p for p in problems_of(engine, write(tmp_path, "paris.csv", PARIS), "Europe/Paris")}
    gap, repeated = found["local-time-gap"], found["local-time-repeated"]
    assert (gap.span.line, gap.span.col) == (5, 4) and gap.level == "warning"
    assert "2 times" in gap.message and "03:30" in gap.message
    assert (repeated.span.line, repeated.span.col) == (8, 4)
    assert "3 times" in repeated.message and "first" in repeated.message
    # p3's 02:05 written after its 02:50: the log's order goes back, said, not a negative step
    assert "1 step" in repeated.message and "line 9" in repeated.message
    assert "no-zone" not in found


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_without_the_option_the_mix_is_still_told(tmp_path: Path, engine: str) -> None:
    codes = {p.code for p in problems_of(engine, write(tmp_path, "paris.csv", PARIS), None)}
    assert "no-zone" in codes and "local-time-gap" not in codes
    assert "--events-time-zone" in next(p for p in problems_of(engine, tmp_path / "paris.csv", None) if p.code == "no-zone").hint


def test_a_change_at_midnight_is_told(tmp_path: Path) -> None:
    """Santiago's clocks change at midnight: the day a time is on is the day looked at, not the night before."""
    found = {p.code: p for p in problems_of("duckdb", minutes_log(tmp_path), "America/Santiago")}
    assert "2026-09-06 00:" in found["local-time-gap"].message and "2026-04-04 23:" in found["local-time-repeated"].message


def test_an_option_that_changes_nothing_is_told(tmp_path: Path) -> None:
    path = write(tmp_path, "zoned.csv", "customer,timestamp,touchpoint\nc1,2026-09-01T10:00:00+02:00,browse\nc1,1789374660,checkout\n")
    found = [p for p in problems_of("duckdb", path, "Europe/Paris") if p.code == "time-zone-unused"]
    assert len(found) == 1 and "Europe/Paris" in found[0].message
    assert not [p for p in problems_of("duckdb", write(tmp_path, "bare.csv", NEW_YORK), "America/New_York")
                if p.code == "time-zone-unused"]


def test_the_cli_reads_the_option_and_refuses_an_unknown_zone(tmp_path: Path) -> None:
    log = write(tmp_path, "paris.csv", PARIS)
    bad = report(tmp_path, log, "--events-time-zone", "Europe/Pari")
    assert bad.returncode == 2 and "did you mean 'Europe/Paris'" in bad.stderr and "Traceback" not in bad.stderr
    good = report(tmp_path, log, "--events-time-zone", "Europe/Paris")
    assert good.returncode in (0, 1), good.stderr
    assert "local-time-gap" in good.stdout + good.stderr
    alone = subprocess.run([sys.executable, "-m", "journeymap", "report", str(write(tmp_path, "shop.journey.yaml", JOURNEY)),
                            "--events-time-zone", "UTC"], capture_output=True, text=True, cwd=tmp_path)
    assert alone.returncode == 2 and "--events" in alone.stderr


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")
def test_spark_agrees_with_the_reference_row_for_row(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    from journeymap.data.engines import python
    from journeymap.data.engines import spark as on_spark

    paris, new_york = write(tmp_path, "paris.csv", PARIS), write(tmp_path, "ny.csv", NEW_YORK)
    for path, zone in ((paris, "Europe/Paris"), (new_york, "America/New_York"), (minutes_log(tmp_path), "Europe/Paris"),
                       (minutes_log(tmp_path), "America/New_York")):
        with events_time_zone(zone):
            assert sorted(on_spark.checked_events([path], EngineOptions())[0]) == sorted(python.checked_events([path])[0])
    # a Parquet timestamp not adjusted to UTC (Spark's TIMESTAMP_NTZ) is local time; one adjusted to UTC is not
    for kind in ("TIMESTAMP", "TIMESTAMPTZ"):
        path, _ = parquet_log(tmp_path, kind)
        with events_time_zone("Europe/Paris"):
            assert sorted(on_spark.checked_events([path], EngineOptions())[0]) == events_of("duckdb", path, "Europe/Paris"), kind


MIXPANEL = [("u1", "browse", 1775124932, 2), ("u1", "checkout", 1775125032, 5), ("u2", "browse", 1775128532, 1),
            ("u2", "checkout", 1775128600, 40), ("u3", "browse", 1775130000, 3), ("u3", "checkout", 1775130100, 2)]
"""(customer, touchpoint, the moment in UTC, seconds until Mixpanel processed it): 2 April 2026, Pacific summer time."""


def mixpanel_log(tmp_path: Path, as_text: bool) -> Path:
    """Mixpanel's events with ``time`` in the project's time zone (US/Pacific, UTC-07:00 then): as its raw export's
    numbers, or as text without a zone (a date and a time, as a UI export or a converted file writes it)."""
    import json

    def time(t: int) -> object:
        local = t - 7 * 3600
        return datetime.fromtimestamp(local, timezone.utc).strftime("%Y-%m-%d %H:%M:%S") if as_text else local

    path = tmp_path / f"mixpanel-{'text' if as_text else 'numbers'}.jsonl"
    path.write_text("".join(json.dumps({"event": tp, "time": time(t), "distinct_id": c, "mp_processing_time_ms": (t + lag) * 1000})
                            + "\n" for c, tp, t, lag in MIXPANEL))
    return path


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_mixpanels_project_time_zone_names_the_option_where_it_is_the_fix(tmp_path: Path, engine: str) -> None:
    columns = (("customer", "distinct_id"), ("timestamp", "time"), ("touchpoint", "event"))
    facts = JourneyFacts.of(load_text(JOURNEY))

    def told(path: Path, zone: str | None) -> list:
        tables = get_engine(engine)[1]([path], facts, EngineOptions(columns=columns, events_time_zone=zone))
        return [p for p in tables.problems if p.code == "project-time-zone"]

    numbers, text = mixpanel_log(tmp_path, False), mixpanel_log(tmp_path, True)
    # numbers since 1970 are moments in UTC: the option does not change them, and the warning says so
    (plain,) = told(numbers, None)
    assert "--events-time-zone" not in plain.message + (plain.hint or "") and "add 25200 seconds" in (plain.hint or "")
    (given,) = told(numbers, "America/Los_Angeles")
    assert "not for numbers since 1970" in given.message and "add 25200 seconds" in (given.hint or "")
    # times as text without a zone: the option is the fix, and the right zone leaves nothing to tell
    (local,) = told(text, None)
    assert "--events-time-zone America/Los_Angeles" in (local.hint or "")
    assert told(text, "America/Los_Angeles") == []
    (wrong,) = told(text, "Europe/Paris")
    assert "read as local time in Europe/Paris" in wrong.message and "not Europe/Paris" in (wrong.hint or "")


def parquet_log(tmp_path: Path, kind: str) -> tuple[Path, list[datetime]]:
    """The minutes of Paris' two nights of change as a typed Parquet timestamp column (DuckDB's type ``kind``),
    with their wall times."""
    duckdb = pytest.importorskip("duckdb")
    walls = [datetime(2026, month, day, hour, minute) for month, day in ((3, 29), (10, 25)) for hour in (1, 2, 3) for minute in (0, 30)]
    path = tmp_path / f"typed-{kind.replace(' ', '-')}.parquet"
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"CREATE TABLE t (customer VARCHAR, timestamp {kind}, touchpoint VARCHAR)")
    con.executemany(f"INSERT INTO t VALUES (?, CAST(CAST(? AS TIMESTAMP) AS {kind}), 'browse')",
                    [[f"c{i % 3}", wall.isoformat(sep=" ")] for i, wall in enumerate(walls)])
    con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    con.close()
    return path, walls


@pytest.mark.parametrize("kind", ["TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_S", "TIMESTAMPTZ", "TIMESTAMP_NS"])
def test_a_parquet_timestamp_not_adjusted_to_utc_is_local_time(tmp_path: Path, kind: str) -> None:
    """A Parquet TIMESTAMP not adjusted to UTC (pandas' naive datetimes) is a time without a zone; one adjusted to
    UTC is a moment; one in nanoseconds is read as its count, a number since 1970, as without the option."""
    from zoneinfo import ZoneInfo

    path, walls = parquet_log(tmp_path, kind)
    local = kind in ("TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_S")
    paris = ZoneInfo("Europe/Paris")
    expected = sorted((wall.replace(tzinfo=paris) if local else wall.replace(tzinfo=timezone.utc)).timestamp() for wall in walls)
    assert [e[1] for e in sorted(events_of("duckdb", path, "Europe/Paris"), key=lambda e: e[1])] == expected
    pytest.importorskip("pyarrow")  # the reference reads Parquet through pyarrow
    assert events_of("python", path, "Europe/Paris") == events_of("duckdb", path, "Europe/Paris")


@pytest.mark.parametrize("kind", ["TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_NS"])
def test_a_parquet_logs_clock_changes_are_told(tmp_path: Path, kind: str) -> None:
    path, _ = parquet_log(tmp_path, kind)
    codes = {p.code for p in problems_of("duckdb", path, "Europe/Paris")}
    assert ({"local-time-gap", "local-time-repeated"} <= codes) == (kind == "TIMESTAMP")
    assert ("time-zone-unused" in codes) == (kind != "TIMESTAMP")


def test_duckdbs_zone_data_are_held_to_the_systems() -> None:
    """DuckDB's ICU data and the system's tzdata are releases apart: a zone whose rules changed in one and not the other
    is read an hour apart by the two engines, said once. Which zones differ depends on both releases (here Vancouver,
    Havana and Casablanca did from late 2026): the warning is held to an offset-by-offset look of its own."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    import duckdb as duckdb_package

    from journeymap.data.engines.duckdb import zone_data

    con = duckdb_package.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name in ("UTC", "Europe/Paris", "America/Vancouver", "America/Winnipeg", "Africa/Casablanca", "America/Havana"):
        moments = [datetime(2020, 1, 1, 12, tzinfo=timezone.utc) + timedelta(days=day) for day in range(0, 11 * 365, 3)]
        theirs = con.execute(f"SELECT epoch_us(timezone('{name}', t)) - epoch_us(t) FROM"
                             f" unnest(CAST(? AS TIMESTAMPTZ[])) AS u(t)", [moments]).fetchall()
        differ = any(offset != m.astimezone(ZoneInfo(name)).utcoffset() // timedelta(microseconds=1)
                     for (offset,), m in zip(theirs, moments, strict=True))
        found = zone_data(con, name, ["log.csv"])
        assert bool(found) == differ, name
        if found:
            assert found[0].code == "zone-data" and name in found[0].message and "--engine python" in (found[0].hint or "")
