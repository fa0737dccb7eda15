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
    try:
        import pyarrow  # noqa: F401
    except ImportError:  # the reference reads Parquet through pyarrow (not in the lock): without it, it says so, reads none
        assert [p.code for p in problems_of("python", path, "Europe/Paris") if p.is_error] == ["parquet"]
        return
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


CLOCK_CODES = ("local-time-gap", "local-time-repeated", "time-zone-unused")


def changes_log(tmp_path: Path) -> list[Path]:
    """Three files of Paris' 2026 nights of change and a summer's day, every 3rd minute from 00:00 to 04:00 for 7
    customers, written in an order of their own (each file takes every 3rd row, from a shuffled order), so that many
    customers' steps go back in the repeated hour; a file that has times only with an offset, and one with no times in
    either hour."""
    import random

    shuffled = random.Random(7)
    rows = [f"c{(minute + day) % 7},{date} {minute // 60:02d}:{minute % 60:02d}:{minute % 60:02d},browse,"
            for day, date in enumerate(("2026-03-29", "2026-10-25", "2026-07-14")) for minute in range(0, 4 * 60, 3)
            for _ in range(3)]
    shuffled.shuffle(rows)
    header = "customer,timestamp,touchpoint,outcome\n"
    paths = [write(tmp_path, f"part-{i}.csv", header + "\n".join(rows[i::3]) + "\n") for i in range(3)]
    paths.append(write(tmp_path, "zoned.csv", header + "c1,2026-10-25T02:30:00+01:00,browse,\n"))
    paths.append(write(tmp_path, "quiet.csv", header + "c2,2026-07-14 10:00:00,browse,\nc3,2026-07-14 11:00:00,browse,\n"))
    return paths


def clock_problems(engine: str, paths: list[Path], zone: str) -> list[tuple[str, object, str]]:
    _, aggregate = get_engine(engine)
    found = aggregate(paths, JourneyFacts.of(load_text(JOURNEY)), EngineOptions(events_time_zone=zone)).problems
    return [(p.code, p.span, p.message) for p in found if p.code in CLOCK_CODES]


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "Australia/Lord_Howe"])
def test_the_clock_warnings_agree_across_engines(tmp_path: Path, zone: str) -> None:
    """Counts, places and backward steps the same on DuckDB (in SQL) and on the reference (row by row), over several
    files read in their order, with many times in both hours and customers whose steps go back."""
    paths = changes_log(tmp_path)
    reference = clock_problems("python", paths, zone)
    assert clock_problems("duckdb", paths, zone) == reference
    if zone == "Europe/Paris":
        codes = [code for code, _, _ in reference]
        assert codes == ["local-time-gap", "local-time-repeated"]
        assert "steps of a customer go back" in reference[1][2]
    # each file alone, and the files in another order: another first place, other steps back
    for some in (paths[1:2], paths[::-1], paths[3:]):
        assert clock_problems("duckdb", some, zone) == clock_problems("python", some, zone), some


def test_duckdb_tells_the_clock_changes_without_the_row_by_row_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The DuckDB engine counts the times in the gap and the repeated hour in SQL over the rows it reads: the reference's
    pass over every row (its cost: seconds a 200,000 rows) is not run."""
    from journeymap.data.engines import locate

    expected = clock_problems("python", changes_log(tmp_path), "Europe/Paris")

    def refused(files: object) -> list:
        raise AssertionError("the row-by-row pass ran")

    monkeypatch.setattr(locate, "local_times", refused)
    assert clock_problems("duckdb", changes_log(tmp_path), "Europe/Paris") == expected
    zoned = write(tmp_path, "only-zoned.csv", "customer,timestamp,touchpoint\nc1,2026-09-01T10:00:00+02:00,browse\n")
    assert [code for code, _, _ in clock_problems("duckdb", [zoned], "Europe/Paris")] == ["time-zone-unused"]


def test_times_outside_the_listed_years_are_looked_at_alone(tmp_path: Path) -> None:
    """New York's clocks changed in 1965 and will in 2150, outside the years whose changes are listed for SQL: such a
    time is looked at by itself, as the reference looks at every one."""
    path = write(tmp_path, "old.csv", "customer,timestamp,touchpoint\nc1,1965-04-25 02:30:00,browse\nc1,1965-10-31 01:40:00,browse\n"
                 "c1,1965-10-31 01:20:00,checkout\nc2,2150-03-08 02:10:00,browse\nc2,2026-11-01 01:30:00,browse\n")
    reference = clock_problems("python", [path], "America/New_York")
    assert [code for code, _, _ in reference] == ["local-time-gap", "local-time-repeated"]
    assert "2 times" in reference[0][2] and "3 times" in reference[1][2] and "1 step" in reference[1][2]
    assert clock_problems("duckdb", [path], "America/New_York") == reference


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Santiago", "Australia/Lord_Howe", "Asia/Tehran", "Africa/Casablanca"])
def test_the_listed_changes_say_what_clock_change_says(zone: str) -> None:
    """Each wall time every 5 minutes of the days around each change of 2020-2030 is in the gap or the repeated hour of
    :func:`~journeymap.data.engines.locate.clock_intervals` exactly when :func:`~.rows.clock_change` says so."""
    from datetime import timedelta

    from journeymap.data.engines.locate import clock_intervals
    from journeymap.data.engines.rows import clock_change

    listed = clock_intervals(zone)
    days = sorted({day for day, *_ in listed if 2020 <= day.year <= 2030})
    assert days
    for day in days:
        for minute in range(-24 * 60, 48 * 60, 5):
            wall = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
            found = next((kind for on, first, after, kind in listed if on == wall.date() and first <= wall < after), None)
            assert found == clock_change(wall, time_zone(zone)), wall


QUOTED = """customer,timestamp,touchpoint,outcome
q1,2026-03-29 01:00:00,"browse
on two lines",
q0,2026-07-01 10:00:00,browse,
q1,29.03.2026 02:10,browse,
q2,"2026-03-29 02:20:00",checkout,
q3,25.10.26 02:40,browse,
q3,25. 10. 2026 02:10,paid,
q4,2026-10-25T02:05:00,"help,
 then browse",
q4,2026-10-25t02:01:00,browse,
"""
"""Times in the gap and the repeated hour written with dots (a two-digit year, spaces), in quotes, and after cells
that hold a line break: DuckDB's warnings place them where the reference does."""


def test_places_past_quoted_line_breaks_and_dates_with_dots(tmp_path: Path) -> None:
    paths = [write(tmp_path, "quoted.csv", QUOTED), *changes_log(tmp_path)[:1]]
    reference = clock_problems("python", paths, "Europe/Paris")
    gap, repeated = reference
    assert (gap[1].line, gap[1].col) == (5, 4) and "20 times" in gap[2]
    assert (repeated[1].line, repeated[1].col) == (7, 4) and "23 times" in repeated[2]
    assert "6 steps of a customer go back in that hour in the log's order (the first at line 8)" in repeated[2]
    assert clock_problems("duckdb", paths, "Europe/Paris") == reference
    assert clock_problems("duckdb", paths[::-1], "Europe/Paris") == clock_problems("python", paths[::-1], "Europe/Paris")


def test_a_json_lines_log_is_placed_alike(tmp_path: Path) -> None:
    import csv
    import json

    part = changes_log(tmp_path)[0]
    with part.open() as stream:
        rows = list(csv.DictReader(stream))
    path = tmp_path / "part.jsonl"
    path.write_text("".join(json.dumps({k: v for k, v in row.items() if v}) + "\n" for row in rows))
    reference = clock_problems("python", [path], "Europe/Paris")
    assert [code for code, _, _ in reference] == ["local-time-gap", "local-time-repeated"]
    assert clock_problems("duckdb", [path], "Europe/Paris") == reference


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "America/Santiago"])
def test_half_hours_and_changes_at_midnight_are_placed_alike(tmp_path: Path, zone: str) -> None:
    """Lord Howe's half-hour change, Santiago's at midnight, and hours written with one digit after a date with dots:
    the lines DuckDB's placement reads as rows are those of the hours a change overlaps, none missed."""
    dotted = write(tmp_path, "dotted.csv", "customer,timestamp,touchpoint\nd1,4.4.2026 23:59,browse\nd1,6.9.26 0:30,browse\n"
                   "d2,25.10.2026 2:15,browse\nd2,25.10.2026 2:05,browse\nd3,5.4.2026 1:45,browse\nd3,5.4.2026 1:40,browse\n"
                   "d4,1.11.2026 1:20,browse\nd4,1.11.2026 1:10,browse\nd5,8.3.2026 2:30,browse\nd6,29.3.2026 2:45,browse\n"
                   "d6,4.10.26 2:10,browse\n")
    paths = [dotted, minutes_log(tmp_path)]
    reference = clock_problems("python", paths, zone)
    assert [code for code, _, _ in reference] == ["local-time-gap", "local-time-repeated"]
    assert all(span.file.endswith("dotted.csv") for _, span, _ in reference)
    assert clock_problems("duckdb", paths, zone) == reference
    assert clock_problems("duckdb", paths[::-1], zone) == clock_problems("python", paths[::-1], zone)
