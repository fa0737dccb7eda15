"""Event-log rows: the columns, what a good row is, and one problem per kind of bad row.

Every engine applies the same rules, so every engine finds the same bad rows:

- ``customer``, ``timestamp`` and ``touchpoint`` must not be empty;
- ``timestamp`` is ISO 8601 (``2026-09-14T08:31:00Z``, ``2026-09-14 08:31``,
  ``2026-09-14``, fractions of a second (cut to microseconds), ``Z``, ``+02:00``,
  ``+0200`` or ``+02`` (as PostgreSQL and DuckDB write a zone), `` UTC`` (as BigQuery
  writes one), an offset after a space (`` -0700``, as Snowflake and Ruby write one); no zone means UTC) or a number since 1970: seconds (``1789374660``), or milliseconds,
  microseconds or nanoseconds, told apart by size (:data:`EPOCH_UNITS`), or a date with dots, day first
  (``05.01.2026 09:14``, :data:`DOTTED_PATTERN`);
  either way within the years 1 to 9999 (:data:`FIRST_SECOND`, :data:`END_SECOND`);
- ``outcome``, when present and not empty, is ``success`` or ``failure`` (any case);
- a CSV row has exactly the header's number of cells: fewer (even a missing
  trailing optional cell) or more is a ``row-shape`` problem, placed at the end
  of the row (too few) or at the first extra cell (too many);
- a JSON line is one JSON object (else a ``json`` problem at the line); a cell
  that is an object or a list is a ``not-scalar`` problem at the cell;
- bytes that are not UTF-8 make the whole file unreadable when they are in its
  first 64 KiB (a binary file, a Latin-1 export), else the row is an
  ``encoding`` problem at the byte.

A bad row is left out of the aggregates and reported: one problem per kind
(column and code) with its count, the first row's place as the problem's
position and the next few places in the message. The problems about a whole
file (its header, its encoding, a truncated gzip) are written here too, so
that every engine says the same thing in the same words.
"""

from __future__ import annotations

import json
import math
import re
import shlex
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path, PurePath
from zoneinfo import ZoneInfo

from ...problems import Problem, Span, did_you_mean

REQUIRED = ("customer", "timestamp", "touchpoint")
OPTIONAL = ("outcome", "segment", "persona")
SHOWN_POSITIONS = 5
"""Places listed for a problem that repeats over many rows."""

NUMBER_PATTERN = r"^[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"
# A fraction of a second after a point or a comma (ISO 8601 allows both; Python's logging writes
# 2026-09-01 10:00:00,123). A UTC offset is under 18 hours (Java's ZoneOffset, Spark's, stops at 18:00; the world's offsets
# run from -12:00 to +14:00): +25:00 moved a step by a day on two engines and was refused by Spark.
# One space may come before an offset: Snowflake's default output (2026-09-14 08:31:00.123 -0700),
# Ruby's and Rails' Time#to_s and git's dates (2026-09-14 08:31:00 +0200) write one.
ISO_PATTERN = (
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"([T ]([01][0-9]|2[0-3]):([0-9]{2})(:([0-9]{2})([.,]([0-9]{1,9}))?)?"
    r"(Z| UTC| ?([+-])(0[0-9]|1[0-7])(:?([0-5][0-9]))?)?)?$"
)
# A date written with dots, day.month.year, as every locale that writes dates with dots and the year last writes it
# (German, Swiss, Russian, Polish, Norwegian exports; none writes month.day.year with dots): read day first, as a
# survey file's date is (:func:`journeymap.data.responses._dotted`). Serbian ends it with a dot ('05.01.2026.'),
# Slovenian spaces it ('5. 1. 2026'), Excel's short date writes the year in two digits (00 to 29: 2000 to 2029, where
# Excel and POSIX agree); a 24-hour time may follow, after a space, a comma or a T. No zone: UTC, as ISO 8601's.
DOTTED_PATTERN = (
    r"^([0-9]{1,2})\. ?([0-9]{1,2})\. ?([0-9]{4}|[0-9]{2})\.?"
    r"(?:(?:,? +|T)([01]?[0-9]|2[0-3]):([0-9]{2})(?::([0-9]{2})([.,][0-9]{1,9})?)?)?$"
)
"""(An hour past 23 is no match: DuckDB's cast reads 24:00 as the next day's midnight, ISO 8601's pattern has no 24.)"""
_NUMBER = re.compile(NUMBER_PATTERN)
_ISO = re.compile(ISO_PATTERN)
_DOTTED = re.compile(DOTTED_PATTERN)
_DOTTED_ANY_HOUR = re.compile(DOTTED_PATTERN.replace("([01]?[0-9]|2[0-3])", "([0-9]{1,2})"))
""":data:`DOTTED_PATTERN` with any two digits for the hour, to tell why such a time is none."""


def dotted_iso(text: str) -> str | None:
    """ISO 8601's form of a date written with dots (:data:`DOTTED_PATTERN`), day first ('05.01.2026 09:14' is
    '2026-01-05 09:14:00'), or None for other text and a two-digit year past 29. Whether it names a day is
    left to the ISO reading (31.02.2026 is 2026-02-31: no moment, a bad row).

    >>> dotted_iso("5.1.2026 9:14"), dotted_iso("05.01.26"), dotted_iso("05.01.95")
    ('2026-01-05 09:14:00', '2026-01-05', None)
    """
    m = _DOTTED.match(text)
    if m is None or (len(m[3]) == 2 and int(m[3]) >= 30):
        return None
    date = f"{'20' * (len(m[3]) == 2)}{m[3]}-{m[2].zfill(2)}-{m[1].zfill(2)}"
    if m[4] is None:
        return date
    return f"{date} {m[4].zfill(2)}:{m[5]}:{m[6] or '00'}{(m[7] or '').replace(',', '.')}"


def dotted_iso_sql(cell: str, literal: Callable[[str], str]) -> str:
    """SQL (DuckDB and Spark alike) for :func:`dotted_iso` of a text ``cell`` known to match :data:`DOTTED_PATTERN`:
    the same text, or NULL. ``literal`` writes a string in the engine's SQL (Spark's reads a backslash as an escape)."""
    pattern = literal(DOTTED_PATTERN)

    def part(index: int) -> str:
        return f"regexp_extract({cell}, {pattern}, {index})"

    year, hour = part(3), part(4)
    clock = (f"CASE WHEN {hour} = '' THEN '' ELSE concat(' ', lpad({hour}, 2, '0'), ':', {part(5)}, ':',"
             f" CASE WHEN {part(6)} = '' THEN '00' ELSE {part(6)} END, replace({part(7)}, ',', '.')) END")
    return (f"CASE WHEN length({year}) = 4 OR {year} < '30' THEN concat(CASE WHEN length({year}) = 2 THEN '20' ELSE '' END,"
            f" {year}, '-', lpad({part(2)}, 2, '0'), '-', lpad({part(1)}, 2, '0'), {clock}) END")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

TIMESTAMP_HINT = "write ISO 8601 as YYYY-MM-DDTHH:MM:SS with Z or a UTC offset under 18 hours, such as +02:00 (2026-09-14T08:31:00Z), or seconds since 1970"

EPOCH_UNITS = ((1e11, 1), (1e14, 1_000), (1e17, 1_000_000), (1e20, 1_000_000_000))
"""A number as a timestamp, by its size: under 10^11 it counts seconds since 1970 (10^11 s is
the year 5138), under 10^14 milliseconds, under 10^17 microseconds, under 10^20 nanoseconds;
anything larger is not a timestamp. Analytics exports write all four, and for any moment
since March 1973 (10^8 s) a count in milliseconds is at least 10^11, in microseconds at least
10^14 and in nanoseconds at least 10^17, so each unit lands in its own range. (size, parts of
a second)."""

FIRST_SECOND = -62_135_596_800
"""0001-01-01T00:00:00Z in seconds since 1970: the first moment a timestamp may be."""
END_SECOND = 253_402_300_800
"""10000-01-01T00:00:00Z: every timestamp is before it (ISO 8601's four-digit years)."""


def seconds_of_number(value: float) -> float | None:
    """Seconds since 1970 for a number read as a timestamp (:data:`EPOCH_UNITS`); None if it is none
    (too large, NaN, infinite, or outside the years 1 to 9999).

    >>> seconds_of_number(1789374660123.0)
    1789374660.123
    """
    for size, parts in EPOCH_UNITS:
        if abs(value) < size:
            seconds = value if parts == 1 else value / parts
            return seconds if FIRST_SECOND <= seconds < END_SECOND else None
    return None


#: A date and time written as one number, by its digits: (14 digits, YYYYMMDDhhmmss; 12, YYYYMMDDhhmm) as (the
#: number's size, the place of each part: year, month, day, hour, minute, second as powers of 100 below it).
COMPACT_FORMS = ((10**13, (10**10, 10**8, 10**6, 10**4, 100, 1)), (10**11, (10**8, 10**6, 10**4, 100, 1, None)))
COMPACT_YEARS = (1900, 2199)


def is_compact_moment(value: float) -> bool:
    """Whether a number read as a timestamp is a date and time written without separators, YYYYMMDDhhmmss
    (20260914083100: SAP's, Oracle's YYYYMMDDHH24MISS, a phone system's call records) or YYYYMMDDhhmm, with a
    year from 1900 to 2199: by its size a count of milliseconds, it was the year 2612 (a far-timestamp warning)
    or 1976 (no word). Milliseconds of such digits are of the years past 2286 or of 1976 alone.

    >>> is_compact_moment(20260914083100.0), is_compact_moment(1757838660123.0), is_compact_moment(20261314083100.0)
    (True, False, False)
    """
    if not math.isfinite(value) or value != math.floor(value):
        return False
    for size, places in COMPACT_FORMS:
        if size <= value < size * 10:
            year = math.floor(value / places[0])
            month, day, hour, minute = (math.floor(value / place) % 100 for place in places[1:5])
            last = places[5]
            return (COMPACT_YEARS[0] <= year <= COMPACT_YEARS[1] and 1 <= month <= 12 and 1 <= day <= 31 and hour < 24
                    and minute < 60 and (last is None or math.floor(value / last) % 100 < 60))
    return False


def compact_moment_sql(number: str) -> str:
    """SQL (DuckDB and Spark alike) for :func:`is_compact_moment` of a DOUBLE expression."""
    forms = []
    for size, places in COMPACT_FORMS:
        _, month, day, hour, minute, second = (None if p is None else f"(floor({number} / {p}) % 100)" for p in places)
        checks = [f"{number} >= {size}", f"{number} < {size * 10}",
                  f"floor({number} / {places[0]}) BETWEEN {COMPACT_YEARS[0]} AND {COMPACT_YEARS[1]}",
                  f"{month} BETWEEN 1 AND 12", f"{day} BETWEEN 1 AND 31", f"{hour} < 24", f"{minute} < 60"]
        if second is not None:
            checks.append(f"{second} < 60")
        forms.append("(" + " AND ".join(checks) + ")")
    return f"({number} = floor({number}) AND ({' OR '.join(forms)}))"


def seconds_sql(number: str) -> str:
    """SQL (DuckDB and Spark alike) for :func:`seconds_of_number` of a DOUBLE expression: the same
    comparisons and the same one division, so every engine gets the same double. NaN is larger than
    every number in both dialects, so it fails each comparison, as in Python. A date and time written
    as one number (:func:`is_compact_moment`) is none (a bad timestamp, told its ISO 8601 form)."""
    cases = "".join(f" WHEN abs({number}) < {int(size)} THEN {number}" + ("" if parts == 1 else f" / {parts}")
                    for size, parts in EPOCH_UNITS)
    # only numbers of a compact moment's sizes are looked at closer (a log of seconds pays two comparisons), and
    # only they reach floor(), which Spark's ANSI mode makes a BIGINT: infinity and NaN overflowed it
    low, high = COMPACT_FORMS[1][0], COMPACT_FORMS[0][0] * 10
    bounded = f"(CASE WHEN {number} >= {low} AND {number} < {high} THEN {number} ELSE 0.0 END)"
    return f"CASE WHEN {number} >= {low} AND {number} < {high} AND {compact_moment_sql(bounded)} THEN NULL{cases} END"


def within_years_sql(seconds: str) -> str:
    """SQL: ``seconds`` (a DOUBLE column) if within the years 1 to 9999, else NULL."""
    return f"CASE WHEN {seconds} >= {FIRST_SECOND} AND {seconds} < {END_SECOND} THEN {seconds} END"


_ZONE: ContextVar[ZoneInfo | None] = ContextVar("journeymap_events_time_zone", default=None)


@cache
def _zone_names() -> frozenset[str]:
    """The IANA zone names of the zone database (a walk of its folder: 19 ms, once)."""
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone called ``name`` (``Europe/Paris``, ``America/New_York``, ``UTC``; ``CET`` and ``EST`` are
    zoneinfo's too), from the system's zone database (Debian's tzdata), else the ``tzdata`` package's. Raises
    ``ValueError`` with the closest name for an unknown one.

    >>> time_zone("Europe/Paris").key
    'Europe/Paris'
    """
    zones = _zone_names()
    if name == "localtime":  # the machine's own zone (a link in Debian's database): the output would depend on it
        raise ValueError("'localtime' is this machine's zone, not a zone's name: name the zone the log's times are"
                         " local time in (such as Europe/Paris), so that the report does not depend on the machine")
    if name in zones:  # not any file ZoneInfo opens ('posixrules'), nor a name DuckDB's and Spark's zone data lack
        return ZoneInfo(name)
    if not zones:
        raise ValueError(f"'{shown(name)}' cannot be looked up: this system has no time zone database"
                         " (Debian: apt-get install tzdata; or pip install tzdata)")
    hint = did_you_mean(name.strip(), sorted(zones))
    raise ValueError(f"'{shown(name)}' is no IANA time zone name ({hint or 'such as Europe/Paris, America/New_York or UTC'})")


@contextmanager
def events_time_zone(name: str | None) -> Iterator[None]:
    """Within this block, every reader of an event log (each engine, and the checks of the reference reader) reads a
    date and a time of day written without a zone as local time in the IANA zone ``name`` (:func:`time_zone`), as
    ``--events-time-zone`` asks; None: as UTC. A time with its offset or Z keeps it, a number since 1970 is a moment
    in UTC and a date alone is a day: they are read as without the option. In the hour the clocks skip, a time is
    read as the clock would have read it (02:30 as 03:30 summer time: zoneinfo's fold=0), and in the hour they
    repeat, as its first occurrence (fold=0), on every engine."""
    if name is None:
        yield
        return
    token = _ZONE.set(time_zone(name))
    try:
        yield
    finally:
        _ZONE.reset(token)


def zone_in_force() -> ZoneInfo | None:
    """The zone of :func:`events_time_zone` in force, None outside it."""
    return _ZONE.get()


LOCAL_PATTERN = ISO_PATTERN.replace(")?)?$", ")?)$").replace(r"(Z| UTC| ?([+-])(0[0-9]|1[0-7])(:?([0-5][0-9]))?)?", "")
"""A date and a time of day without a zone: the ISO 8601 timestamps :func:`events_time_zone` reads as local time."""
_LOCAL = re.compile(LOCAL_PATTERN)


def local_wall_time(text: str) -> datetime | None:
    """The date and time of day ``text`` writes without a zone (ISO 8601's, or a date with dots and a time), as a
    naive ``datetime``; None for any other text (a zone or an offset, a date alone, a number, no moment).

    >>> local_wall_time("2026-10-25 02:30"), local_wall_time("2026-10-25T02:30:00Z")
    (datetime.datetime(2026, 10, 25, 2, 30), None)
    """
    text = text.strip().upper()
    if text[1:3].count(".") and (dotted := dotted_iso(text)) is not None:
        text = dotted
    m = _LOCAL.match(text)
    if m is None:
        return None
    try:
        return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[5]), int(m[6]), int(m[8] or 0),
                        int((m[10] or "0")[:6].ljust(6, "0")))
    except ValueError:
        return None


def clock_change(wall: datetime, zone: ZoneInfo) -> str | None:
    """``gap`` for a local time the clocks skipped in ``zone`` (02:30 on the night they go forward), ``repeated``
    for one they showed twice (in the hour they go back), else None.

    >>> paris = ZoneInfo("Europe/Paris")
    >>> clock_change(datetime(2026, 3, 29, 2, 30), paris), clock_change(datetime(2026, 10, 25, 2, 30), paris)
    ('gap', 'repeated')
    """
    first = wall.replace(tzinfo=zone)
    try:
        if first.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != wall:
            return "gap"
    except OverflowError:
        return None
    return "repeated" if first.utcoffset() != wall.replace(tzinfo=zone, fold=1).utcoffset() else None


def parse_timestamp(text: str) -> float | None:
    """Seconds since 1970 (UTC) for an ISO 8601 timestamp or a number; None if unreadable. A date and a time
    without a zone are UTC, or local time in the zone of :func:`events_time_zone` within it.

    >>> parse_timestamp("2026-09-14T08:31:00Z")
    1789374660.0
    >>> parse_timestamp("1789374660000")  # milliseconds
    1789374660.0
    """
    text = text.strip().upper()
    if _NUMBER.match(text):
        number = float(text)
        return None if is_compact_moment(number) else seconds_of_number(number)
    if text[1:3].count(".") and (dotted := dotted_iso(text)) is not None:  # 05.01.2026: day first
        text = dotted
    match = _ISO.match(text)
    if match is None:
        return None
    year, month, day, _, hour, minute, _, second, _, fraction, zone, sign, zh, _, zm = match.groups()
    try:  # a fraction past microseconds is cut, as DuckDB and Spark cut it
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")), tzinfo=timezone.utc,
        )
    except ValueError:
        return None
    if sign:
        offset = timedelta(hours=int(zh), minutes=int(zm or 0))
        try:
            moment = moment - offset if sign == "+" else moment + offset
        except OverflowError:  # before the year 1 or past 9999 in UTC
            return None
    elif zone is None and hour is not None and (local := _ZONE.get()) is not None:
        moment = moment.replace(tzinfo=local)  # fold=0: a time in the gap shifted forward, a repeated one its first
    # Exact microseconds, then one rounding: what DuckDB and Spark compute too; then the same
    # bounds as theirs on that double (9999-12-31T23:59:59.999999 rounds to the end itself)
    try:
        seconds = (moment - _EPOCH) // timedelta(microseconds=1) / 1_000_000
    except OverflowError:  # a local time of the year 1 in a zone ahead of UTC
        return None
    return seconds if FIRST_SECOND <= seconds < END_SECOND else None


_MICROS = {"s": 1_000_000, "ms": 1_000, "us": 1, "ns": 1}
_DAY_MICROS = 86_400_000_000
_CYCLE_DAYS = 146_097
"""Days in 400 Gregorian years: the calendar repeats after them."""


def typed_timestamp_text(count: int, unit: str, zone: bool = False) -> str:
    """A typed timestamp (Parquet TIMESTAMP in ``unit`` s, ms, us or ns since 1970, or DATE: ``unit``
    ``day``) as DuckDB casts it to text, for any count: a year past 9999 or before 1 included, where
    Python's ``datetime`` stops (``'12000-01-01 00:00:00'``, ``'0010-01-01 (BC) 00:00:00'``, ``'infinity'``).
    :func:`parse_timestamp` reads the same moment from it, or none outside the years 1 to 9999. Nanoseconds
    past the microsecond are cut, as DuckDB's cast cuts them (an event log's timestamp column in nanoseconds
    is read as its count instead: :func:`.python._texts`). ``zone``: a TIMESTAMPTZ (``+00``, UTC).

    >>> typed_timestamp_text(1789374660500, "ms")
    '2026-09-14 08:31:00.5'
    """
    if unit == "day":
        if abs(count) == 2**31 - 1:  # DuckDB's infinite dates
            return "infinity" if count > 0 else "-infinity"
        micros = count * _DAY_MICROS
    else:
        if abs(count) == 2**63 - 1:
            return "infinity" if count > 0 else "-infinity"
        micros = count // 1_000 if unit == "ns" else count * _MICROS[unit]
    days, rest = divmod(micros, _DAY_MICROS)
    cycles, days = divmod(days, _CYCLE_DAYS)  # 1970-01-01 plus under 400 years: within datetime's years
    day = _EPOCH + timedelta(days=days)
    year = day.year + 400 * cycles
    text = f"{1 - year if year <= 0 else year:04d}-{day.month:02d}-{day.day:02d}" + " (BC)" * (year <= 0)
    if unit == "day":
        return text
    seconds, fraction = divmod(rest, 1_000_000)
    text += f" {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if fraction:
        text += f".{fraction:06d}".rstrip("0")
    return text + "+00" * zone


# Excel's General format: at most six digits, a capital E and a plus sign (1.78906E+12)
_EXPONENT = re.compile(r"[+-]?([0-9])(?:\.([0-9]{1,5}))?E\+([0-9]{1,2})")


def rounded_step(text: str) -> float | None:
    """The seconds one unit of a timestamp's last digit stands for, when it is a number written with an exponent
    as Excel shows a long number and saves it in a CSV file, six digits at most ('1.78906E+12': milliseconds to
    the 10,000,000th, 2.8 hours); None for any other text (Python's '1.7e9', a number of more digits), or a step
    under a minute."""
    m = _EXPONENT.fullmatch(text.strip())
    if m is None:
        return None
    value = float(text)
    if not value or (seconds := seconds_of_number(value)) is None:
        return None
    step = 10.0 ** (int(m[3]) - len(m[2] or "")) * seconds / value
    return step if step >= 60 else None


def _duration(seconds: float) -> str:
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")):
        if seconds >= size:
            amount = f"{seconds / size:.2g}"
            return f"{amount} {unit}{'s' * (amount != '1')}"
    return f"{seconds:.2g} seconds"


def rounded_timestamps(span: Span, text: str, step: float) -> Problem:
    """The warning for timestamps written with an exponent that rounds them (:func:`rounded_step`)."""
    return Problem(
        span, "rounded-timestamp",
        f"timestamps are numbers written with an exponent ('{shown(text)}'), as Excel shows a long number and saves it in a"
        f" CSV file: each keeps only its first digits, so it is rounded to {_duration(step)}, and the steps of a customer"
        " within that time come at one moment, their order a guess",
        "export the log again with the timestamps as text (in Excel, import the column as Text instead of opening the"
        " CSV file, or save from the source system directly)",
        level="warning",
    )


def float_timestamps(name: str) -> Problem:
    """The warning for a typed timestamp column (Parquet) of 32-bit floats (pandas' ``downcast='float'``, numpy's
    float32): 24 bits of a time since 1970 round it to about 2 minutes (128 s in seconds, 131 s in milliseconds),
    read without a word. Told from the column's type, once a file, no row looked at."""
    return Problem(
        Span(name, 1, 1), "rounded-timestamp",
        "column 'timestamp' holds FLOAT values, 32-bit numbers that keep about 7 digits: a time since 1970 in one is"
        " rounded to about 2 minutes (1775037600 seconds is kept as 1775037568), and the steps of a customer within"
        " that time come at one moment, their order a guess",
        "write the column from the source as a 64-bit number (BIGINT or DOUBLE) or a timestamp type: converting the"
        " floats does not bring their digits back",
        level="warning",
    )


def shown(text: str, limit: int = 60) -> str:
    """A data value as it may be shown in a message: control characters escaped, long ones cut."""
    if not text.isprintable():
        text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Found:
    """One kind of bad row: how many, and the first few places and values."""

    code: str
    column: str
    count: int = 0
    places: list[Span] = field(default_factory=list)
    values: list[str] = field(default_factory=list)

    def add(self, span: Span, value: str) -> None:
        self.count += 1
        if len(self.places) < SHOWN_POSITIONS:
            self.places.append(span)
            self.values.append(value)


class BadRows:
    """Bad rows grouped by kind, in the order first seen."""

    def __init__(self) -> None:
        self.kinds: dict[tuple[str, str], Found] = {}
        self.nested_rows = 0
        """JSON rows left out for an object or list cell, each once (a row may have several such cells)."""
        self.left_out: list[int] = []
        """JSON lines left out whole (not UTF-8, not JSON, not an object, a key named twice): their
        numbers. Engines read the file without them (:func:`.locate.without_lines`): their parsers
        take a trailing comma, keep a key's first value, or refuse the file."""
        self.numbers_as_text = False
        """A JSON text cell (an id, a touchpoint, a segment, an outcome) is a number Spark would write
        otherwise: a fraction or an exponent ('1e+16' to the reference, '1.0E16' to Spark), or an
        integer past 64 bits. Spark then reads a copy with such numbers written as the reference's
        text (:func:`.locate.without_lines`)."""
        self.rows_end: int | None = None
        """Set by a CSV reader that read the file to its end: the line where the file's last row of the
        header's shape ends (1, the header's, if none has). Row-shape rows all past it close the file."""
        self.lone: tuple[int, str] | None = None
        """The line and text of the first row-shape row when it is one cell: a note, as a report's footer."""
        self.blank: set[int] = set()
        """Lines of the first rows whose every cell is empty (',,,', as Excel saves rows whose cells were cleared)."""
        self.header_ends: str | None = None
        """The separator a CSV header ends with, leaving its last column without a name: set by the reader."""
        self.visitor: tuple[str, bool] | None = None
        """A column of the header that gives every visitor an id (:func:`visitor_column`), as written, and whether the
        customer is read from a user id (empty until a visitor signs in): the hint of the rows without a customer."""
        self.order: tuple[Span, str, str] | None = None
        """The first bad timestamp (on the file's first :data:`ORDER_LINES` lines) that is a date with slashes or dots whose
        order is sure, a part over 12: its place, its text, and 'day' or 'month' (first)."""

    def add(self, code: str, column: str, span: Span, value: str) -> None:
        key = (code, column)
        found = self.kinds.get(key)
        if found is None:
            found = self.kinds[key] = Found(code, column)
        found.add(span, value)
        if code == "invalid-timestamp" and self.order is None and span.line <= ORDER_LINES:
            if (first := slashed_first(value)) is not None:
                self.order = (span, value, first)

    def wants_order(self, counts: dict[tuple[str, str], int], line: int) -> bool:
        """Whether a scan that has the first places of ``counts`` and has read to ``line`` reads on for a bad
        timestamp that tells day from month (:attr:`order`): the first is a date with slashes that reads both
        ways, not every bad timestamp has been seen, and the scan is within the first :data:`ORDER_LINES` lines."""
        found = self.kinds.get(("invalid-timestamp", "timestamp"))
        return (found is not None and self.order is None and bool(found.values) and _both_ways(found.values[0])
                and found.count < counts.get(("invalid-timestamp", "timestamp"), 0) and line < ORDER_LINES)

    def full(self, counts: dict[tuple[str, str], int]) -> bool:
        """Whether every kind in ``counts`` has its first places (a scan may stop)."""
        return all(
            len(self.kinds[key].places) >= min(n, SHOWN_POSITIONS) if key in self.kinds else n == 0
            for key, n in counts.items()
        )

    def problems(self, file: str, counts: dict[tuple[str, str], int] | None = None) -> list[Problem]:
        """One problem per kind; ``counts`` (from an engine) gives the kinds and their counts."""
        if counts is None:
            counts = {key: found.count for key, found in self.kinds.items()}
        keys = [k for k in self.kinds if k in counts] + [k for k in counts if k not in self.kinds]
        keys.sort(key=lambda k: k[0] not in WHOLE_FILE_KINDS)  # stable: rows' kinds first, then cells'
        return [
            self._blank_rows(file, key, counts[key]) or
            (key == ("row-shape", "") and (self._footer(file, counts[key]) or self._header_ends(file, counts[key])))
            or _problem(file, self.kinds.get(key) or Found(*key), counts[key], self.order, self.visitor)
            for key in keys if counts[key]
        ]

    def _blank_rows(self, file: str, key: tuple[str, str], count: int) -> Problem | None:
        """A missing value whose first row is a row of empty cells: its hint says so, with the grep that deletes such
        rows (it was none: 'the customer is empty' three times, for the customer, the timestamp and the touchpoint)."""
        found = self.kinds.get(key)
        if key[0] != "missing-value" or found is None or not found.places or found.places[0].line not in self.blank:
            return None
        problem = _problem(file, found, count, self.order, self.visitor)
        return Problem(problem.span, problem.code, problem.message,
                       f"line {found.places[0].line} is a row of empty cells, as Excel saves rows whose cells were cleared:"
                       " delete such rows (grep -vE '^[,;|[:space:]]*$' FILE > NEW)", problem.level)

    def _header_ends(self, file: str, count: int) -> Problem | None:
        """The row-shape problem of rows one cell short of a header that ends with its separator ('customer,
        timestamp,touchpoint,outcome,'): its hint says to delete that separator, not to quote commas."""
        found = self.kinds.get(("row-shape", ""))
        if found is None or self.header_ends is None or not found.values:
            return None
        shapes = [value.split("/") for value in found.values]
        if not all(len(shape) == 2 and int(shape[0]) == int(shape[1]) - 1 for shape in shapes):
            return None
        problem = _problem(file, found, count, self.order, self.visitor)
        separator = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(self.header_ends, repr(self.header_ends))
        sed = {"\t": "\\t", "|": "\\|"}.get(self.header_ends, self.header_ends)
        return Problem(problem.span, problem.code, problem.message,
                       f"the header ends with a {separator}, which gives it a last column without a name that the rows do not"
                       f" have: delete it (sed -E '1s/{sed}(\\r?)$/\\1/' FILE > NEW, GNU sed), and every row is read", problem.level)

    def _footer(self, file: str, count: int) -> Problem | None:
        """The one problem of rows that are one cell each after the file's last row (Salesforce's report
        exports end with their company's name, 'Confidential Information - Do Not Distribute' and a
        'Generated By:' line): a footer, told with the line that keeps the rows. They were "this row has 1
        cells but the header has 4 columns", whose hint spoke of commas in double quotes."""
        found = self.kinds.get(("row-shape", ""))
        if found is None or self.rows_end is None or self.rows_end < 2 or self.lone is None or not found.places:
            return None
        line, text = self.lone
        if found.places[0].line != line or line <= self.rows_end:
            return None
        if not all(value.startswith("1/") for value in found.values):
            return None  # a row cut short, or of another separator: not a note
        lines = f"the {count} lines after the last row are" if count > 1 else "the line after the last row is"
        return Problem(
            Span(file, line, 1), "row-shape",
            f"{lines} not rows but text ('{shown(text)}'), as a report's footer is"
            f" ({'they are' if count > 1 else 'it is'} left out)",
            f"head -n {self.rows_end} FILE > NEW keeps the header and the rows (Salesforce's and other"
            " report exports end with such notes; export the report's details only, or delete them)",
        )


#: What Python's ``str.strip()`` removes, the reference's trim: the SQL engines are told the same
#: characters (DuckDB's TRIM keeps tabs and line breaks, Spark's keeps all but the space).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"
"""A regular-expression class of :data:`WHITESPACE` (``\\x{...}`` escapes: RE2 and Java read them)."""


LONGEST_ROW = 1 << 21
"""The most bytes one CSV row may hold (DuckDB's ``max_line_size``): every engine leaves out a longer row."""
LONG_ROW = "!longer than 2 MiB (2,097,152 bytes), the most one row may hold"
"""The row-shape value (and message) of a row past :data:`LONGEST_ROW`."""
OUTCOME_ALONE = "="
"""A missing touchpoint's value that starts so holds the row's outcome (``=success``): a row of an outcome alone."""
SECONDS_OBJECT = "{seconds}"
"""The not-scalar value of a timestamp written as an object of seconds (Firestore's ``_seconds``, protobuf's ``seconds``)."""
SECONDS_HINT = ("write its seconds: jq -c 'walk(if type == \"object\" and (has(\"_seconds\") or has(\"seconds\"))"
                " then ((._seconds // .seconds) | tonumber) + ((._nanoseconds // .nanos // 0) | tonumber) / 1e9 else . end)' FILE > NEW writes"
                " {\"_seconds\": 1789374660, \"_nanoseconds\": 0} as 1789374660")
MONGO_HINT = ("unwrap its values: jq -c 'walk(if type == \"object\" and length == 1 and (keys[0] | startswith(\"$\"))"
              " then .[] else . end)' FILE > NEW writes {\"$date\": \"2026-09-14T08:31:00Z\"} as \"2026-09-14T08:31:00Z\"")
"""The hint for a MongoDB extended-JSON cell (``{"$date": ...}``, ``{"$oid": ...}``, ``{"$numberLong": ...}``)."""
LONG_ROW_HINT = "a cell this long is no event's: is a column holding a document or a file?"

BACKSLASH_QUOTE = "!a quote in a cell is written \\\", with a backslash, where CSV doubles it: \"\""
"""The row-shape value (and message) of a row that escapes its quotes with a backslash (MySQL's and Spark's CSV)."""
BACKSLASH_QUOTE_HINT = ("MySQL's and Spark's CSV writers escape a quote so; sed 's/\\\\\"/\"\"/g' FILE > NEW doubles them"
                        " (and Spark writes CSV as others read it with .option(\"escape\", '\"'))")

FORMULA_SED = "sed -E 's/=\"([^\"]*)\"/\\1/g' FILE > NEW writes =\"00123\" as 00123"
"""How to write cells of Excel's text formula (``="00123"``) as their text."""
_FORMULA = re.compile(r'="([^"]*)"')

BOM_HINT = ("files joined with cat, each saved with a byte-order mark? sed '2,$s/^\\xEF\\xBB\\xBF//' FILE > NEW takes the marks"
            " out (GNU sed); so does saving each file as UTF-8 without one before joining them")
"""The hint for a JSON line that starts with a byte-order mark past the file's first line."""

COMMA_HINT = "delete the comma that ends each line: sed -E 's/,[[:space:]]*$//' FILE > NEW"
"""The hint for JSON lines that are an array's items, each object followed by a comma."""

SPACES_AFTER_QUOTE = "!a closing quote is followed by spaces, not by a separator"
"""The row-shape value (and message) of a row with spaces between a closing quote and its separator (``"c1" ,``)."""
SPACES_AFTER_QUOTE_HINT = ("a hand-aligned or fixed-width export writes them so; sed -E 's/\" +([,;|]|$)/\"\\1/g' FILE > NEW"
                           " deletes them (and every row is read)")

UNCLOSED_QUOTE = "!a quote opened in this row never closes, so the rest of the file is one cell"
"""The row-shape value (and message) of a row whose quote is still open at the end of the file."""

def _endless(column: str, number: str) -> str:
    """The message for a JSON number no engine reads as written (:func:`.locate.json_records`)."""
    if number.lstrip("-")[:1].isdigit():
        return f"this line's {column} is {number}, a number past a double's range: every engine reads it as infinity, not as its digits"
    return f"this line's {column} is {number}, which JSON does not allow (Python's json writes it for a float that is no number)"


def _as_1252(value: str) -> str:
    """``, which is é in Windows-1252, ...`` for a row's first byte that is not UTF-8, written in hex."""
    from ...sniff import as_windows_1252

    try:
        return as_windows_1252(int(value[:2], 16))
    except ValueError:
        return ""


_MESSAGES = {
    "row-shape": lambda column, value: (
        "this row has {} cell{} but the header has {} columns".format(
            value.split("/")[0], "s" * (value.split("/")[0] != "1"), value.split("/")[1]) if "/" in value
        else f"this row cannot be split into cells ({value[1:].rstrip('.')})" if value.startswith("!")
        else "this row does not have one cell per column"
    ),
    "encoding": lambda column, value: f"this row is not UTF-8 text (byte 0x{value}{_as_1252(value)})",
    "json": lambda column, value: (
        f"this line names {value} twice, so which value counts is unclear" if column == "twice"
        else "this line starts with a byte-order mark (U+FEFF), which only the start of a file may hold" if column == "bom"
        else "this line is a JSON object followed by a comma, as an array's items are written" if column == "comma"
        else _endless(*value.split(" ", 1)) if column in ("endless", "not-a-number")
        else f"this line is not a JSON object ({value})"
    ),
    "not-scalar": lambda column, value: (
        f'the {column} is a JSON object {{"{shown(value)}": ...}} (MongoDB\'s extended JSON, as mongoexport writes it), not text or a number'
        if value.startswith("$") else f"the {column} is a JSON object of seconds since 1970 {{\"_seconds\": ...}} (Firestore's and"
        " protobuf's timestamp), not text or a number" if value == SECONDS_OBJECT else f"the {column} is a JSON {value}, not text or a number"
    ),
    "missing-value": lambda column, value: (
        f"the {column} is '{shown(value)}', which analytics tools write for a visitor without an id"
        if column == "customer" and value.lower() in NO_ID
        else f"the {column} is '0', which loggers write for a visitor without an id: this log's 0 has {ZERO_ID_TIMES} times as"
        " many events as any other customer or more, no one person's path"
        if column == "customer" and value == ZERO_ID
        else f"the {column} is '{shown(value)}', a missing value as databases and pandas write one"
        if value and not value.startswith(OUTCOME_ALONE) else f"the {column} is empty"
    ),
    "invalid-timestamp": lambda column, value: f"'{shown(value)}' is not a timestamp",
    "skipped-call": lambda column, value: f"this row is Segment's '{shown(value)}' call, not a 'track' call: no event",
    "tool-event": lambda column, value: f"this row is an analytics tool's own event '{shown(value)}'",
    "invalid-outcome": lambda column, value: f"outcome '{shown(value)}' is neither success nor failure",
}
NO_ID_HINT = ("a row without a customer id is in no customer's path; if the log has another id for every visitor"
              " (GA4's user_pseudo_id, Segment's anonymousId), read it as the customer")
MIXPANEL_PROCESSED = "mp_processing_time_ms"
"""The moment Mixpanel processed an event, in milliseconds since 1970 in UTC: a property of every event of its export,
read to tell a time in its project's time zone (:func:`.locate.project_time_zone`), and not said to be ignored."""
VISITOR_IDS = ("user_pseudo_id", "anonymousid", "anonymous_id", "amplitude_id", "distinct_id", "device_id", "domain_userid")
"""Columns that give every visitor an id, in GA4's, Segment's, Amplitude's, Mixpanel's and Snowplow's exports, where
their user id (``user_id``, ``userId``) is empty until the visitor signs in."""
_USER_IDS = frozenset({"userid", "$userid"})


def visitor_column(header: Sequence[str]) -> tuple[str, bool] | None:
    """(a column of ``header`` that gives every visitor an id (:data:`VISITOR_IDS`), as written; whether the customer
    is read from a user id), when the customer is read from another column; None when it is not read or there is none.
    Names are read as the header's are, with the columns in force (:func:`columns_named`).

    >>> visitor_column(["amplitude_id", "customer", "event_type"])
    ('amplitude_id', False)
    """
    keys = [column_key(h) for h in header]
    if "customer" not in keys:
        return None
    read_from = squeezed(header[keys.index("customer")].strip().lstrip("\ufeff").lower())
    for usual in VISITOR_IDS:
        for cell, key in zip(header, keys, strict=True):
            if key != "customer" and squeezed(key) == squeezed(usual):
                return cell.strip().lstrip("\ufeff"), read_from in _USER_IDS
    return None


_HINTS = {
    "row-shape": "a cell holding a comma must be in double quotes; every row has one cell per column, empty ones included",
    "encoding": "save the file as UTF-8 (in Excel: 'CSV UTF-8')",
    "json": "one JSON object a line, each key once",
    "not-scalar": "write the value as text",
    "invalid-timestamp": TIMESTAMP_HINT,
    "invalid-outcome": "leave the outcome empty, or write success or failure",
    "skipped-call": ("only a track call is an event, named in its 'event' field; identify, page, screen, group and alias"
                     " calls have none, and are skipped (a page view that is a touchpoint: write it as a track call)"),
    "tool-event": ("Amplitude, Mixpanel, PostHog, Snowplow and GA4 send them on their own: read as touchpoints, each was an"
                   " ad hoc visit between a customer's steps, which cut the flow between them in two; nothing to do"),
}


def _problem(file: str, found: Found, count: int, order: tuple[Span, str, str] | None = None,
             visitor: tuple[str, bool] | None = None) -> Problem:
    first = found.places[0] if found.places else Span(file)
    message = _MESSAGES[found.code](found.column, found.values[0] if found.values else "")
    outcomes = list(dict.fromkeys(found.values)) if found.code == "invalid-outcome" else []
    if len(outcomes) > 1:  # the rows shown hold other values too: name them all, not the first for all
        message = f"outcomes {_listed([repr_outcome(v) for v in outcomes])} are neither success nor failure"
    if found.code == "skipped-call":
        calls = list(dict.fromkeys(v.lower() for v in found.values)) or ["identify, page or screen"]
        message = (f"{count:,} row{'s are' if count > 1 else ' is'} Segment's {_listed([repr(shown(c)) for c in calls])}"
                   f" call{'s' * (len(calls) > 1)}, not 'track' calls: no event{'s' * (count > 1)}")
    if found.code == "tool-event":
        events = list(dict.fromkeys(found.values)) or ["$identify"]
        message = (f"{count:,} row{'s are' if count > 1 else ' is'} an analytics tool's own event{'s' * (count > 1)}"
                   f" ({_listed([repr(shown(e)) for e in events])}), a record of who a visitor is or how long a page was open,"
                   f" not a step a customer took: no event{'s' * (count > 1)}")
    if count > 1:
        rest = [f"{p.line}" for p in found.places[1:]]
        where = f": line{'s' * (len(rest) > 1)} {', '.join(rest)}" if rest else ""
        more = ", ..." if count > len(found.places) and rest else ""
        message += (f" (the first at this line; then {where[2:]}{more}; those rows are skipped)" if found.code in SKIPPED_KINDS
                    else f" (and {count - 1:,} more row{'s' * (count > 2)}{where}{more}; those rows are left out)")
    else:
        message += " (the row is skipped)" if found.code in SKIPPED_KINDS else " (the row is left out)"
    value = found.values[0] if found.values else ""
    hint = (LONG_ROW_HINT if value == LONG_ROW else BACKSLASH_QUOTE_HINT if value == BACKSLASH_QUOTE
            else SPACES_AFTER_QUOTE_HINT if value == SPACES_AFTER_QUOTE else _HINTS.get(found.code))
    if found.code == "missing-value" and found.column == "timestamp":  # empty, NaT, NULL
        hint = f"every row needs the moment of its event: {TIMESTAMP_HINT}"
    if found.code == "missing-value" and found.column == "touchpoint":
        hint = "every row is a visit to a touchpoint: write the touchpoint's id (the journey's, or another for an ad hoc step)"
    alone = [(p.line, v[1:]) for p, v in zip(found.places, found.values, strict=True) if v.startswith(OUTCOME_ALONE)]
    if found.code == "missing-value" and alone:
        line, outcome = alone[0]
        hint = (f"every row is a visit to a touchpoint: a row of an outcome alone (line {line}: {outcome}) is left out, and"
                " its outcome with it, so its customer's path ends without one; write the outcome on the customer's last visit")
    if found.code == "missing-value" and found.column == "customer":  # empty, NULL, '(not set)', the 0 of no one
        hint = NO_ID_HINT
        if visitor is not None:
            column, user_id = visitor
            option = column_option("customer", column)
            hint = (f"a row without a customer id is in no customer's path: a user id is empty until the visitor signs in,"
                    f" and this log's '{shown(column)}' has an id for every visitor: read it as the customer ({option})"
                    if user_id else f"a row without a customer id is in no customer's path; if this log's '{shown(column)}'"
                    f" has an id for every visitor, read it as the customer ({option})")
    if found.code == "not-scalar" and value.startswith("$"):
        hint = MONGO_HINT
    if found.code == "not-scalar" and value == SECONDS_OBJECT:
        hint = SECONDS_HINT
    if found.code == "json" and found.column == "bom":
        hint = BOM_HINT
    if found.code == "json" and found.column == "comma":
        hint = COMMA_HINT
    if found.code == "json" and found.column in ("endless", "not-a-number"):
        hint = f'write the value as a JSON string ("{value.split(" ", 1)[-1]}")'
    if outcomes:
        hint = _outcome_hint(outcomes)
    if found.code == "invalid-timestamp" and value and (written := iso_form(value)) is not None:
        if order is not None and _both_ways(value):  # another row's date says which part is the month
            written = _in_order(value, order)
        seconds = _DECIMAL_COMMA.fullmatch(value.strip())  # a count of seconds: no ISO 8601 to speak of
        hint = (written if _impossible(value) or seconds or _dotted_hint(value.strip())
                else f"{written} (ISO 8601, with Z or a UTC offset; no zone means UTC)")
    if found.code in ("invalid-timestamp", "invalid-outcome") and value and column_key(value) == found.column:
        hint = REPEATED_HEADER_HINT  # 'timestamp' is not a timestamp: the header again
    return Problem(first, found.code, message, hint, "warning" if found.code in SKIPPED_KINDS else "error")


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
# Java's ZonedDateTime and RFC 9557 write the zone's name after the offset: 2026-09-01T10:00:00+02:00[Europe/Paris]
_BRACKETED = re.compile(r"(\d{4}-\d{2}-\d{2}[T ][0-9:.,]+(?:Z|[+-]\d{2}(?::?\d{2})?))\[[A-Za-z0-9/_+-]{1,40}\]", re.IGNORECASE)
# Go's time.String() writes the zone's abbreviation after the offset, and its monotonic clock after that
_ABBREVIATED = re.compile(r"(\d{4}-\d{2}-\d{2}[T ][0-9:.,]+ ?[+-]\d{2}:?\d{2}) [A-Za-z]{2,5}(?: m=[+-][0-9.]+)?")
# a 12-hour clock (.NET's and PowerShell's Export-Csv '9/14/2026 8:31:00 AM', SQL Server's 'Sep 14 2026  8:31AM')
_HALF = r"(?: ?([AaPp][Mm]))?"
_ZONE_NAMED = re.compile(r"(\d{4}-\d{2}-\d{2}[T ][0-9:.,]+) ?([A-Za-z]{1,5})")
_SLASHED = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?:[ T,]+(\d{1,2}:\d{2}(?::\d{2})?)" + _HALF + ")?")
_CLOCK_ALONE = re.compile(r"(\d{1,2}:\d{2}(?::\d{2})?)(?:[.,]\d{1,9})?" + _HALF)
# Oracle's default NLS formats (DD-MON-RR, and its TIMESTAMP's 'HH.MI.SSXFF AM'), and Excel's d-mmm-yyyy
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4}|\d{2})(?:[ :](\d{1,2})[.:](\d{2})(?:[.:](\d{2})(?:[.,](\d{1,9}))?)?" + _HALF + ")?")
# Kibana's Discover export: Sep 14, 2026 @ 08:31:00.123
_KIBANA = re.compile(r"([A-Za-z]{3,9}) (\d{1,2}), (\d{4}) @ (\d{2}:\d{2}:\d{2})(\.\d{1,9})?")
# DB2's timestamp: 2026-09-14-08.31.00.000000
_DB2 = re.compile(r"(\d{4}-\d{2}-\d{2})-(\d{2})\.(\d{2})\.(\d{2})(?:\.(\d{1,12}))?")
# a web server's access-log time, Apache's and nginx's $time_local (Common Log Format): [14/Sep/2026:08:31:00 +0200]
_ACCESS_LOG = re.compile(r"\[?(\d{2})/([A-Za-z]{3})/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})\]?")
# ISO 8601's end of a day (and PostgreSQL's): 2026-09-14T24:00:00, the start of the next
_END_OF_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]24:00(?::00(?:[.,]0{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?", re.IGNORECASE)
_ISO_HALF = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?) ?([AaPp][Mm])")
# JavaScript's Date.toString() (Mon Sep 14 2026 08:31:00 GMT+0200 (Central European Summer Time)) and
# Java's Date.toString() (Mon Sep 14 08:31:00 UTC 2026); RFC 2822's, e-mail's and HTTP's dates go to email.utils
_JAVASCRIPT = re.compile(r"[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{4}) (\d{2}:\d{2}:\d{2}) GMT([+-]\d{2})(\d{2})(?: \(.*\))?")
_JAVA = re.compile(r"[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{2}:\d{2}:\d{2}) (?:UTC|GMT) (\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T]+(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?))? ?(Z|[+-]\d{2}(?::?\d{2})?)?", re.IGNORECASE)
_BASIC = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{2}:?\d{2})?", re.IGNORECASE)
_NAMED = re.compile(r"(?:[A-Za-z]{3,9},? )?(?:(\d{1,2}) ([A-Za-z]{3,9})|([A-Za-z]{3,9}) (\d{1,2}),?) (\d{4})(?:,? +(\d{1,2}:\d{2}(?::\d{2})?)" + _HALF + ")?")


def _clock(time: str | None, half: str | None) -> str | None:
    """A time of a 12-hour clock (``8:31:00``, ``PM``) on a 24-hour one; the time as it is without ``half``."""
    if not time or not half:
        return time
    hour, rest = time.split(":", 1)
    if not 1 <= int(hour) <= 12:
        return None
    return f"{int(hour) % 12 + 12 * (half.upper() == 'PM'):02d}:{rest}"


def _rfc_2822(text: str) -> str | None:
    """ISO 8601 for an e-mail's or HTTP's date (Mon, 14 Sep 2026 08:31:00 GMT), JavaScript's or Java's Date.toString()."""
    from email.utils import parsedate_to_datetime

    if (m := _JAVASCRIPT.fullmatch(text)) is not None:
        text = f"{m[2]} {m[1]} {m[3]} {m[4]} {m[5]}{m[6]}"
    elif (m := _JAVA.fullmatch(text)) is not None:
        text = f"{m[2]} {m[1]} {m[4]} {m[3]} +0000"
    elif not re.fullmatch(r"(?:[A-Za-z]{3}, )?\d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UTC|UT|Z)", text):
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    written = moment.replace(tzinfo=moment.tzinfo or timezone.utc).isoformat()
    return written[:-6] + "Z" if written.endswith("+00:00") else written


# a count of seconds (or ms) with thousands separators, as Excel's number format writes it: 1,767,261,600
_DECIMAL_COMMA = re.compile(r"[-+]?[0-9]{4,},[0-9]+")
_EXCEL_COMMA = re.compile(r"([0-9]{5}),([0-9]+)")
EXCEL_DAYS = (21_916, 73_050)
"""The Excel day numbers of 1960-01-01 and 2099-12-31: a number between them with a fraction is a day and a time."""
"""A number with a decimal comma, as a locale that writes one saves it (1757838660,5); four digits or more before it, so
not a thousands separator (1,767)."""
_GROUPED = re.compile(r"\d{1,3}(?:([,. \u00a0\u202f'])\d{3})(?:\1\d{3})+")
# a time zone's IANA name after the time, as Java's and pandas' exports write it: 2026-09-14 08:31:00 Europe/Berlin
_ZONE_ID = re.compile(r"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?) ([A-Za-z]+(?:/[A-Za-z0-9_+-]+)+)")


def _offset_in(local: str, zone: str) -> str | None:
    """The UTC offset of the IANA time zone ``zone`` at the local time ``local`` (``+02:00``), or None when
    the zone is not known here (no time-zone database) or the time is none."""
    from zoneinfo import ZoneInfo

    try:
        moment = datetime.fromisoformat(local[:26]).replace(tzinfo=ZoneInfo(zone))
        offset = moment.utcoffset()
    except (ValueError, KeyError, OSError):
        return None
    if offset is None:
        return None
    minutes = int(offset.total_seconds()) // 60
    return f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# a month, a day or an hour in one digit, as Excel's yyyy-m-d h:mm writes them (2026-9-14 8:31)
_SHORT_PARTS = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _impossible(text: str) -> str | None:
    """Why a timestamp in ISO 8601's form names no moment (a 13th month, 30 February, a leap second), as words
    for a hint; None when it names one, or is not in that form. Its hint was the value itself ('write the
    zone as Z, right after the time: 2026-02-30T10:00:00Z' of '2026-02-30T10:00:00Z')."""
    import calendar

    m = _ISO.match(text.upper())
    if m is None:
        return None
    year, month, day, minute, second = int(m[1]), int(m[2]), int(m[3]), int(m[6] or 0), int(m[8] or 0)
    if not 1 <= month <= 12:
        return f"there is no month {m[2]}: months are 01 to 12 (is it year-day-month? Write it year-month-day)"
    days = _MONTH_DAYS[month - 1] + (month == 2 and year > 0 and calendar.isleap(year))
    if not 1 <= day <= days:
        return f"there is no day {m[3]} in {m[1]}-{m[2]}: it has days 01 to {days}"
    if second == 60 and minute == 59:
        return f"{m[5]}:59:60 is a leap second, which seconds since 1970 do not count: write {m[5]}:59:59"
    if minute > 59 or second > 59:
        return "minutes and seconds are 00 to 59"
    return None


ORDER_LINES = 200_000
"""The lines of a file whose bad timestamps are looked through for a date with slashes whose order is sure
(13/09/2026 is day first), when the first reads both ways (09/10/2026): every engine looks at the same rows
(the reference's scan of the first bad rows reads on that far at most: a second or two of a broken file)."""


def _slashed_readings(text: str) -> tuple[list[tuple[int, int]], re.Match[str]] | None:
    """The (day, month) readings of a date with slashes or dots, day first then month first, or None."""
    m = _SLASHED.fullmatch(text.strip())
    if m is None or (m[4] and _clock(m[4], m[5]) is None):
        return None
    first, second = int(m[1]), int(m[2])
    return [(d, mo) for d, mo in ((first, second), (second, first))[:1 + _slashed(m)] if 1 <= mo <= 12 and 1 <= d <= 31], m


def _slashed(m: re.Match[str]) -> bool:
    """Whether a date of :data:`_SLASHED` is written with slashes, which may be day or month first; a date with dots is
    day first (:data:`DOTTED_PATTERN`), whatever time follows it."""
    return m.string[m.end(1)] == "/"


def _dotted_hint(text: str) -> str | None:
    """Why a date written with dots (:data:`DOTTED_PATTERN`, read day first) names no moment, as words for a hint;
    None for other text."""
    m = _DOTTED_ANY_HOUR.match(text)
    if m is None:
        # a time with a zone after it (05.01.2026 09:14:00+01:00): the date day first, and the rest as ISO 8601 reads it
        then = re.fullmatch(r"([0-9]{1,2})\. ?([0-9]{1,2})\. ?([0-9]{4})\.?[ T]([0-9]{2}:.+)", text)
        if then is not None and parse_timestamp(stamp := f"{then[3]}-{then[2].zfill(2)}-{then[1].zfill(2)}T{then[4]}") is not None:
            return f"write it as {stamp} (a date with dots is day.month.year; its time is read so only without a zone)"
        return None
    day, month, written = int(m[1]), int(m[2]), text[: m.end(3)]
    if len(m[3]) == 2 and int(m[3]) >= 30:
        return (f"write the year whole (is '{m[3]}' 19{m[3]} or 20{m[3]}?): a date with dots is day.month.year, and a"
                " two-digit year is read from 00 to 29 only (2000 to 2029)")
    year = int(m[3]) + 2000 * (len(m[3]) == 2)
    if not 1 <= month <= 12:
        if 1 <= day <= 12 and _impossible(f"{year:04d}-{day:02d}-{month:02d}") is None:
            return (f"a date with dots is day.month.year, and there is no month {month}: if '{written}' is month first,"
                    f" it is {year:04d}-{day:02d}-{month:02d}; write the dates as year-month-day")
        return f"a date with dots is day.month.year, and there is no month {month}"
    if _impossible(f"{year:04d}-{month:02d}-{day:02d}") is not None or day == 0:
        return f"a date with dots is day.month.year, and {year:04d}-{month:02d} has no day {day}"
    if m[4] is not None and not (int(m[4]) < 24 and int(m[5]) < 60 and int(m[6] or 0) < 60):
        return f"'{written}' is {year:04d}-{month:02d}-{day:02d} (a date with dots is day.month.year), but '{text[m.start(4):]}' is no time of day"
    return None


def _both_ways(text: str) -> bool:
    """Whether a date with slashes or dots reads as two days (09/10/2026)."""
    found = _slashed_readings(text)
    return found is not None and len(found[0]) == 2 and found[0][0] != found[0][1]


def slashed_first(text: str) -> str | None:
    """'day' or 'month': which comes first in a date with slashes or dots that reads one way only
    (13/09/2026 is day first, 09/13/2026 month first); None for any other text."""
    found = _slashed_readings(text)
    if found is None or len(found[0]) != 1:
        return None
    return "day" if found[0][0] == (int(found[1][1]), int(found[1][2])) else "month"


def _in_order(value: str, order: tuple[Span, str, str]) -> str:
    """The hint for a date that reads both ways when another bad timestamp of the file reads one way only."""
    found = _slashed_readings(value)
    assert found is not None
    readings, m = found
    day, month = readings[0] if order[2] == "day" else readings[1]
    time = _clock(m[4], m[5]) if m[4] else None
    clock = f"T{(time if time.count(':') == 2 else f'{time}:00').zfill(8)}" if time else ""
    sure = _slashed_readings(order[1])
    assert sure is not None
    big = int(sure[1][1]) if order[2] == "day" else int(sure[1][2])  # the part over 12
    year = m[3] if len(m[3]) == 4 else f"20{m[3]}"
    whole = "" if len(m[3]) == 4 else f"write the year whole (is '{m[3]}' {year}?); "
    return (f"{whole}'{shown(value)}' is {order[2]} first ({year}-{month:02d}-{day:02d}{clock}), as line {order[0].line}'s"
            f" '{shown(order[1])}' shows (there is no month {big}): write the dates as year-month-day")


def iso_form(value: str) -> str | None:
    """What a timestamp written in a common other form is in ISO 8601, as words for a hint: a date
    with slashes or dots (day or month first: both readings unless one is over 12), year first with
    slashes, ISO's basic form (20260901T100000Z), a month by name; None for other text. A day its month
    has not ('Apr 31, 2026', '2026/02/30') is said to be none, as in ISO's form: it was told to be written 2026-04-31."""
    told = _iso_form(value)
    if told is None:
        return None
    import calendar

    for year, month, day in _ISO_DAY.findall(told):
        if 1 <= int(month) <= 12 and int(day) > (last := calendar.monthrange(int(year), int(month))[1]):
            return f"there is no day {int(day)} in {year}-{month}: it has days 01 to {last}"
    return told


# ISO 8601's other dates, which no engine reads: a week date (2026-W14-4, basic 2026W144; a week alone, 2026-W14) and an
# ordinal date (2026-092, with dashes: 2026092 is a number), either with a time after it; and a fraction of a second
# past nanoseconds (ten digits or more), which DuckDB's cast and Spark's refuse
_WEEK_DATE = re.compile(r"([0-9]{4})(-?)W([0-9]{2})(?:\2([0-9]))?([T ].*)?", re.IGNORECASE)
_ORDINAL_DATE = re.compile(r"([0-9]{4})-([0-9]{3})([T ].*)?", re.IGNORECASE)
_LONG_FRACTION = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}[.,][0-9]{9})[0-9]+(.*)", re.IGNORECASE)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _other_iso_dates(text: str) -> str | None:
    """The hint for an ISO 8601 week date, ordinal date or fraction of a second past nanoseconds: the calendar form
    to write (with the time written after it, when that reads), or why there is no such day; None for other text."""

    def with_time(day: date, rest: str | None) -> str:
        stamp = day.isoformat() + (rest or "")
        return stamp if parse_timestamp(stamp) is not None else f"{day.isoformat()}, then its time (YYYY-MM-DDTHH:MM:SS)"

    if (m := _WEEK_DATE.fullmatch(text)) is not None:
        year, week = int(m[1]), int(m[3])
        if not 1 <= year <= 9999:
            return f"'{shown(text)}' is an ISO week date outside the years 0001 to 9999"
        weeks = date(year, 12, 28).isocalendar()[1]  # the 28th of December is in the last week
        if not 1 <= week <= weeks:
            return f"'{shown(text)}' is an ISO week date, and {year} has weeks 01 to {weeks}"
        if m[4] is None:
            fourth = date(year, 1, 4)
            monday = max(date.min, fourth + timedelta(days=(week - 1) * 7 + 1 - fourth.isoweekday()))
            return (f"'{shown(text)}' is an ISO week, not a moment: write the calendar date of the event, such as the"
                    f" week's Monday, {with_time(monday, m[5])}")
        if not 1 <= int(m[4]) <= 7:
            return f"'{shown(text)}' is an ISO week date, and its day of the week is 1 (Monday) to 7 (Sunday)"
        fourth = date(year, 1, 4)  # in week 1
        try:
            day = fourth + timedelta(days=(week - 1) * 7 + int(m[4]) - fourth.isoweekday())
        except OverflowError:  # a day of the last week of 9999 in 10000
            return f"'{shown(text)}' is an ISO week date outside the years 0001 to 9999"
        return (f"'{shown(text)}' is an ISO week date ({_WEEKDAYS[int(m[4]) - 1]} of week {week} of {year:04d}):"
                f" write the calendar date, {with_time(day, m[5])}")
    if (m := _ORDINAL_DATE.fullmatch(text)) is not None:
        year, number = int(m[1]), int(m[2])
        days = 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365
        if not 1 <= number <= days or year == 0:
            return f"'{shown(text)}' is an ordinal date (a day of the year), and {year:04d} has days 001 to {days}"
        day = date(year, 1, 1) + timedelta(days=number - 1)
        return f"'{shown(text)}' is an ordinal date (day {number} of {year}): write the calendar date, {with_time(day, m[3])}"
    if (m := _LONG_FRACTION.fullmatch(text)) is not None and parse_timestamp(cut := m[1] + m[2]) is not None:
        return f"write at most nine digits after the second's point (nanoseconds; journeymap reads microseconds): {cut}"
    return None


#: A day in ISO 8601's form, in a hint.
_ISO_DAY = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")


def _iso_form(value: str) -> str | None:
    text = value.strip()

    def at(date: str, time: str | None) -> str:
        clock = (time if time.count(":") == 2 else f"{time}:00") if time else ""
        return f"{date}T{clock.zfill(8)}" if clock else date

    if (m := _FORMULA.fullmatch(text)) is not None:  # ="2026-09-14 08:31": Excel's text formula around a time
        inner, said = m[1].strip(), "the cell is Excel's text formula =\"...\": write the time as text alone"
        if parse_timestamp(inner) is not None:
            return f"{said}, {inner}"
        return f"{said}; {written}" if (written := iso_form(inner)) is not None else said
    if (m := _END_OF_DAY.fullmatch(text)) is not None:
        try:
            following = date.fromisoformat(m[1]) + timedelta(days=1)
        except (ValueError, OverflowError):
            following = None
        if following is not None:
            return (f"24:00 is the end of {m[1]}, the start of the next day:"
                    f" write {following.isoformat()}T00:00:00{(m[2] or '').upper()}")
    if (told := _other_iso_dates(text)) is not None:
        return told
    if (why := _impossible(text)) is not None:  # in ISO 8601's form, but no moment
        return why
    if (m := _CLOCK_ALONE.fullmatch(text)) is not None and (clock := _clock(m[1], m[2])) is not None:
        hour, minute, second = ([int(part) for part in clock.split(":")] + [0])[:3]
        if hour < 24 and minute < 60 and second < 60:
            return (f"'{shown(value)}' is a time of day without its date: a timestamp holds both, in one cell"
                    f" (2026-09-14T{hour:02d}:{minute:02d}:{second:02d}); a date in a column of its own goes into that cell")
    if _GROUPED.fullmatch(text) and parse_timestamp(plain := re.sub(r"[,. \u00a0\u202f']", "", text)) is not None:
        return f"write the number without thousands separators: {plain}"  # Excel's number format: 1,767,261,600
    if _NUMBER.match(text) and is_compact_moment(compact := float(text)):
        digits = str(int(compact))
        return (f"write it as {digits[:4]}-{digits[4:6]}-{digits[6:8]}T{digits[8:10]}:{digits[10:12]}:{digits[12:14] or '00'}:"
                f" the number is a date and time without separators ({'YYYYMMDDhhmmss' if len(digits) == 14 else 'YYYYMMDDhhmm'}),"
                " not a count of milliseconds since 1970")
    if (excel := _EXCEL_COMMA.fullmatch(text)) is not None and EXCEL_DAYS[0] <= int(excel[1]) <= EXCEL_DAYS[1]:
        # a date-time column in Excel's General format, saved where a comma is the decimal mark: with a point, it was
        # told to be written so, and read as seconds since 1970 it was 1970-01-01 (an early-timestamp warning)
        moment = datetime(1899, 12, 30) + timedelta(seconds=round(float(text.replace(",", ".")) * 86_400))
        return (f"'{shown(text)}' is an Excel day number and time ({moment:%Y-%m-%d %H:%M:%S}), saved in Excel's General"
                f" format: format the column as yyyy-mm-dd hh:mm:ss before saving, or write {moment:%Y-%m-%dT%H:%M:%S}")
    if _DECIMAL_COMMA.fullmatch(text) and parse_timestamp(pointed := text.replace(",", ".")) is not None:
        return f"write the number with a decimal point, not a comma: {pointed}"  # a locale's decimal comma: 1757838660,5
    if (m := _ZONE_ID.fullmatch(text)) is not None and _ISO.match(m[1].upper()) and (offset := _offset_in(m[1], m[2])) is not None:
        return f"write the zone as its offset from UTC then, right after the time: {m[1].replace(' ', 'T', 1)}{offset}"
    if (m := _SHORT_PARTS.fullmatch(text)) is not None:  # Excel's yyyy-m-d h:mm
        hours = f"T{int(m[4]):02d}:{m[5]}:{m[6] or '00'}" if m[4] else ""
        padded = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}{hours}"
        if (m[0] != padded or m[4]) and parse_timestamp(padded) is not None:
            return f"write each part with two digits: {padded}"
    if (m := _BRACKETED.fullmatch(text) or _ABBREVIATED.fullmatch(text)) is not None and _ISO.match(m[1].upper()):
        return f"write it without the zone's name (its offset says the moment): {m[1]}"
    if (m := _ZONE_NAMED.fullmatch(text)) is not None and _ISO.match(m[1].upper()) and m[2].upper() not in ("AM", "PM"):
        if m[2].upper() in ("Z", "GMT", "UT", "UTC"):
            return f"write the zone as Z, right after the time: {m[1]}Z"
        return f"write the zone as an offset from UTC, right after the time ('{shown(m[2])}' names none journeymap reads): {m[1]}+HH:MM"
    if (m := _ISO_HALF.fullmatch(text)) is not None and (clock := _clock(m[2], m[3])) is not None:
        return f"write the time on a 24-hour clock: {at(m[1], clock)}"
    if (written := _rfc_2822(text)) is not None:
        return f"write it as {written}"
    if (m := _ACCESS_LOG.fullmatch(text)) is not None and (named := _MONTHS.get(m[2].lower())) is not None and 1 <= int(m[1]) <= 31:
        return f"write it as {m[3]}-{named:02d}-{m[1]}T{m[4]}{m[5]}:{m[6]} (a web server's access-log time)"
    if (m := _KIBANA.fullmatch(text)) is not None and (named := _MONTHS.get(m[1][:3].lower())) is not None and 1 <= int(m[2]) <= 31:
        return (f"write it as {m[3]}-{named:02d}-{int(m[2]):02d}T{m[4]}{m[5] or ''} (Kibana's date format: set its"
                " dateFormat to ISO 8601 before exporting)")
    if (m := _DB2.fullmatch(text)) is not None:
        return f"write it as {m[1]}T{m[2]}:{m[3]}:{m[4]}{f'.{m[5]}' if m[5] else ''} (DB2's form has dots and a dash in the time)"
    if (m := _DAY_MONTH_YEAR.fullmatch(text)) is not None and (named := _MONTHS.get(m[2].lower())) is not None and 1 <= int(m[1]) <= 31:
        year = m[3] if len(m[3]) == 4 else f"{20 if int(m[3]) < 50 else 19}{m[3]}"  # Oracle's RR: 00-49 this century
        clock = _clock(f"{m[4]}:{m[5]}:{m[6] or '00'}", m[8]) if m[4] else None
        if m[4] and clock is None:
            return None
        fraction = f".{m[7]}" if m[7] else ""
        stamp = at(f"{year}-{named:02d}-{int(m[1]):02d}", clock) + (fraction if clock else "")
        return f"write the month as a number{'' if len(m[3]) == 4 else ' and the year whole'}: {stamp}"
    if (told := _dotted_hint(text)) is not None:
        return told
    if (m := _SLASHED.fullmatch(text)) is not None and len(m[3]) == 2:  # Excel's m/d/yy
        whole = iso_form(f"{text[:m.start(3)]}20{m[3]}{text[m.end(3):]}")
        return f"write the year whole (is '{m[3]}' 20{m[3]}?); {whole}" if whole else None
    if (m := _SLASHED.fullmatch(text)) is not None:
        first, second, year, time = int(m[1]), int(m[2]), m[3], _clock(m[4], m[5])
        if m[4] and time is None:
            return None
        readings = [(d, mo) for d, mo in ((first, second), (second, first))[:1 + _slashed(m)] if 1 <= mo <= 12 and 1 <= d <= 31]
        if not readings:
            return None
        if len(readings) == 1 or readings[0] == readings[1]:
            day, month = readings[0]
            return f"'{shown(value)}' reads only as {at(f'{year}-{month:02d}-{day:02d}', time)}: write it so"
        (d1, m1), (d2, m2) = readings
        return (f"'{shown(value)}' is day first ({at(f'{year}-{m1:02d}-{d1:02d}', time)}) or month first"
                f" ({at(f'{year}-{m2:02d}-{d2:02d}', time)}), as the export's locale wrote it: write the dates as year-month-day")
    if (m := _YEAR_FIRST.fullmatch(text)) is not None and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31:
        rest = (m[5] or "").upper()  # a zone
        return f"write the date with dashes: {at(f'{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}', m[4] and m[4].replace(',', '.'))}{rest}"
    if (m := _BASIC.fullmatch(text)) is not None:
        zone = (m[7] or "").upper()
        return f"write ISO 8601's extended form: {m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6] or '00'}{zone}"
    if (m := _NAMED.fullmatch(text)) is not None:
        number, name = (m[1], m[2]) if m[1] else (m[4], m[3])
        named = _MONTHS.get(name[:3].lower())
        if named is None or not 1 <= int(number) <= 31:
            return None
        if m[6] and (clock := _clock(m[6], m[7])) is None:
            return None
        return f"write the month as a number: {at(f'{m[5]}-{named:02d}-{int(number):02d}', m[6] and clock)}"
    return None


#: Outcome cells of CRM and analytics exports, and what journeymap's outcome is for them
#: (lower case): a hint, never a rewrite (the log may mean them otherwise).
OUTCOME_WORDS = {
    **dict.fromkeys(("converted", "conversion", "won", "closed won", "closed-won", "closed_won", "purchased",
                     "purchase", "bought", "ordered", "paid", "completed", "complete", "succeeded", "successful",
                     "resolved", "activated", "subscribed", "signed up", "signed-up"), "success"),
    **dict.fromkeys(("failed", "fail", "lost", "closed lost", "closed-lost", "closed_lost", "abandoned",
                     "abandon", "churned", "cancelled", "canceled", "rejected", "declined", "error", "bounced",
                     "dropped", "unresolved", "refunded", "expired"), "failure"),
    # a yes/no column (converted?) says whether, not how a path ends: no is no outcome yet
    **dict.fromkeys(("true", "yes", "y"), "success"),
    **dict.fromkeys(("false", "no", "n"), "empty (no outcome)"),
}


def repr_outcome(value: str) -> str:
    return f"'{shown(value)}'"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _outcome_hint(values: list[str]) -> str:
    """The hint for outcome cells that are neither success nor failure: what the usual words mean."""
    meant = [f"{repr_outcome(v)} → {OUTCOME_WORDS[v.strip().lower()]}" for v in values if v.strip().lower() in OUTCOME_WORDS]
    if not meant:
        return _HINTS["invalid-outcome"]
    return f"{_HINTS['invalid-outcome']}; if your log means {'it' if len(meant) == 1 else 'them'} so: {', '.join(meant)}"


REPEATED_HEADER_HINT = ("the row repeats the header: files joined with their headers (cat a.csv b.csv)?"
                        " Delete it, or join them with the header once (tail -n +2 b.csv >> a.csv)")


def check_cells(
    cells: dict[str, str], span_of: dict[str, Span], bad: BadRows
) -> tuple[str, float, str, str, str] | None:
    """The event of one row (customer, seconds, touchpoint, outcome, segment), or None if bad.

    ``cells`` holds the segment under ``segment`` whichever column it came from.
    """
    if "type" in cells and cells["type"].strip().lower() in SEGMENT_CALLS and calls_of(cells):
        bad.add(*CALL_KIND, span_of.get("type", span_of["touchpoint"]), cells["type"].strip())
        return None
    if (told := cells.get("touchpoint", "").strip()) in TOOL_EVENTS:
        bad.add(*TOOL_KIND, span_of["touchpoint"], told)  # an analytics tool's own event: no step of the customer's
        return None
    ok = True
    customer = cells.get("customer", "").strip()
    touchpoint = cells.get("touchpoint", "").strip()
    raw_time = cells.get("timestamp", "").strip()
    outcome = cells.get("outcome", "").strip().lower()
    if outcome in NO_OUTCOME:
        outcome = ""
    if not customer or customer.lower() in customer_marks():  # NULL as a customer made every such row one customer
        bad.add("missing-value", "customer", span_of["customer"], customer)
        ok = False
    seconds = None
    if not raw_time or raw_time.lower() in NO_TIME:  # pandas' NaT, a database's NULL: no time, said so
        bad.add("missing-value", "timestamp", span_of["timestamp"], raw_time)
        ok = False
    else:
        seconds = parse_timestamp(raw_time)
        if seconds is None:
            bad.add("invalid-timestamp", "timestamp", span_of["timestamp"], raw_time)
            ok = False
    if not touchpoint or touchpoint.lower() in NO_SEGMENT:  # NULL was an ad hoc touchpoint, 'NULL'
        # a row of an outcome alone: its outcome is lost with it (said in the hint)
        bad.add("missing-value", "touchpoint", span_of["touchpoint"], f"{OUTCOME_ALONE}{outcome}" if outcome in ("success", "failure") else touchpoint)
        ok = False
    if outcome and outcome not in ("success", "failure"):
        bad.add("invalid-outcome", "outcome", span_of["outcome"], cells.get("outcome", "").strip())
        ok = False
    if not ok or seconds is None:
        return None
    segment = cells.get("segment", "").strip()
    if segment.lower() in NO_SEGMENT:
        segment = ""
    return customer, seconds, touchpoint, outcome, segment


def reads_persona(keys: Iterable[str]) -> bool:
    """Whether a file's segment is read from its persona column, by its column keys (:func:`column_key`):
    it has one, and ``--events-column`` names no column for the segment (a column the option names wins
    over the file's own names, as for every other column)."""
    return "persona" in set(keys) and "segment" not in named_columns().by_name


def persona_as_segment(names: list[str]) -> list[str]:
    """Column keys (:func:`column_key`) with the one read as the segment called ``segment``: a persona
    column if there is one (:func:`reads_persona`), whose segment column beside it is then read as none."""
    if "persona" not in names:
        return names
    if not reads_persona(names):  # --events-column names the segment's column: the persona one is not read
        return ["\x00unread:persona" if n == "persona" else n for n in names]
    return ["segment" if n == "persona" else "\x00unread:segment" if n == "segment" else n for n in names]


NO_OUTCOME = ("null", "none", "nan", "na", "n/a", "#n/a", "-", "\\n")
"""Outcome cells that say "no outcome" (lower case): a database's NULL, pandas' NaN, Excel's #N/A, a
person's N/A or -, and the ``\\N`` of MySQL's INTO OUTFILE, Hive's text tables and PostgreSQL's COPY. They
are an empty outcome, as in survey files; they made the row a bad one, its visit lost (a customer who met the
journey's end was counted as leaving at its start)."""


def outcome_sql(lowered: str, literal: Callable[[str], str] = lambda text: "'" + text.replace("'", "''") + "'") -> str:
    """SQL (DuckDB and Spark): the outcome ``lowered`` (a lower-cased cell), '' for :data:`NO_OUTCOME`;
    ``literal`` writes a string in the engine's SQL (Spark's reads a backslash as an escape)."""
    marks = ", ".join(literal(mark) for mark in NO_OUTCOME)
    return f"CASE WHEN {lowered} IN ({marks}) THEN '' ELSE {lowered} END"


NO_SEGMENT = ("null", "none", "nan", "nat", "n/a", "#n/a", "\\n")
"""Segment cells that say "no segment" (lower case): a database's NULL (``\\N`` in MySQL's, Hive's and
PostgreSQL's text exports), pandas' None, NaN and NaT, Excel's #N/A. They were a segment of their own ('NULL')
in the report's breakdowns and for ``--segment``. (Not NA nor -, which may name a segment: North America.)
A customer cell of one is a bad row, as an empty one: they made every row without an id one customer,
'NULL', whose path ran through every anonymous visit. So is a touchpoint's (it was an ad hoc touchpoint,
'NULL') and a timestamp's (it was 'not a timestamp', with the hint to write ISO 8601)."""


NO_ID: tuple[str, ...] = ("(not set)", "(none)", "(null)", "(blank)", "undefined", "unknown", "na", "-", "--")
"""Customer cells (lower case) that analytics tools and languages write for a visitor without an id, beside
:data:`NO_SEGMENT`: Google Analytics' ``(not set)``, Amplitude's ``(none)``, JavaScript's ``undefined`` (a
tracker's ``String(undefined)``, as Mixpanel and Segment receive it), Objective-C's and C's ``(null)``, Excel's
and Power BI's ``(blank)``, an access log's ``-``, R's ``NA``, and ``unknown``. Each was one customer whose path
strung together every visitor without an id, without a word; they are bad rows, as an empty customer cell is.
(Not for the segment, where NA may be North America, nor the touchpoint, where a page titled ``(not set)`` is
an ad hoc touchpoint the report shows.)"""

NO_CUSTOMER = NO_SEGMENT + NO_ID
"""Customer cells that say "no customer" (lower case): a bad row, as an empty cell."""

ZERO_ID = "0"
"""The customer id loggers write for a visitor without one (an integer column's default). A real id in some systems,
so it is no customer only where :func:`zero_is_no_id` says so."""
ZERO_ID_TIMES = 10
ZERO_ID_EVENTS = 10


def zero_is_no_id(zero_events: int, most_of_others: int) -> bool:
    """Whether customer ``0`` is the placeholder for visitors without an id: it has at least :data:`ZERO_ID_EVENTS`
    events and :data:`ZERO_ID_TIMES` times as many as any other customer of the log (there being one). Anonymous
    visitors pooled under one id outnumber any one person's events; a real customer 0 among real customers does not."""
    return most_of_others > 0 and zero_events >= ZERO_ID_EVENTS and zero_events >= ZERO_ID_TIMES * most_of_others


_ZERO_NO_ID: ContextVar[bool] = ContextVar("journeymap_zero_is_no_id", default=False)


@contextmanager
def zero_no_id() -> Iterator[None]:
    """Within this block every engine reads customer ``0`` as no customer (:func:`customer_marks`)."""
    token = _ZERO_NO_ID.set(True)
    try:
        yield
    finally:
        _ZERO_NO_ID.reset(token)


def customer_marks() -> tuple[str, ...]:
    """The customer cells that are no customer's (lower case): :data:`NO_CUSTOMER`, and ``0`` where it stands for none."""
    return NO_CUSTOMER + (ZERO_ID,) if _ZERO_NO_ID.get() else NO_CUSTOMER


NO_TIME = tuple(mark for mark in NO_SEGMENT if mark != "nan")
"""Timestamp cells that say "no time": :data:`NO_SEGMENT` but NaN, which a Parquet DOUBLE of seconds holds
as a number, not as a missing value (read as text it is 'nan', an invalid timestamp on every engine)."""


def no_customer_sql(customer: str, literal: Callable[[str], str], marks: Sequence[str] = NO_SEGMENT) -> str:
    """SQL (DuckDB and Spark): whether the stripped ``customer`` (with ``marks`` :data:`NO_CUSTOMER`; a touchpoint
    with the default; a timestamp's text with :data:`NO_TIME`) is empty or one of ``marks`` (:data:`NO_SEGMENT`)."""
    return f"({customer} = '' OR {_missing_mark_sql(customer, literal, marks)})"


def segment_sql(segment: str, literal: Callable[[str], str]) -> str:
    """SQL (DuckDB and Spark): the stripped ``segment``, '' for :data:`NO_SEGMENT`."""
    return f"CASE WHEN {_missing_mark_sql(segment, literal)} THEN '' ELSE {segment} END"


def _missing_mark_sql(cell: str, literal: Callable[[str], str], marks: Sequence[str] = NO_SEGMENT) -> str:
    """SQL: whether ``cell`` is one of ``marks`` (:data:`NO_SEGMENT`) in any capitals. Only a cell as short as the
    marks is lower-cased: LOWER on every id of a 10M-row log cost 0.2 s, the length 0.07 s."""
    written = ", ".join(literal(mark) for mark in marks)
    return f"(CASE WHEN length({cell}) <= {max(len(mark) for mark in marks)} THEN LOWER({cell}) IN ({written}) ELSE false END)"


WHOLE_FILE_KINDS = ("encoding", "row-shape", "json")

#: The kinds of bad cell the engines count in SQL, (code, column), in the order of their bits.
KINDS = (
    ("missing-value", "customer"),
    ("missing-value", "timestamp"),
    ("invalid-timestamp", "timestamp"),
    ("missing-value", "touchpoint"),
    ("invalid-outcome", "outcome"),
)
"""Kinds of bad row that are about the row, not one cell: reported before the cells' kinds."""

CALL_KIND = ("skipped-call", "type")
"""Rows of Segment's calls that are no events (:func:`calls_of`): skipped, one warning with their count."""
CALL_BIT = 1 << (len(KINDS) + 1)
"""The bad-row bits of such a row in DuckDB's scan (alone: past :data:`KINDS` and a nested cell's bit)."""
SEGMENT_CALLS = ("identify", "page", "screen", "group", "alias")
"""Segment's (and RudderStack's) calls other than ``track``, as its ``type`` field names them: a user's traits, a page
or screen view, a group, an alias. Only a track call is an event, named in its ``event`` field; the others have none."""


TOOL_EVENTS = ("$identify", "$groupidentify", "$create_alias", "$merge_dangerously", "$set", "$set_once",
               "$feature_flag_called", "page_ping", "user_engagement")
"""Events analytics tools send on their own, which record who a visitor is or how long a page was open, not a step a
customer took: Amplitude's, Mixpanel's and PostHog's identity calls (``$identify``, ``$create_alias``, ...), PostHog's
``$set`` and ``$feature_flag_called``, the heartbeats of Snowplow's activity tracking (``page_ping``, every few seconds
a page is open) and of GA4 (``user_engagement``). No journey's touchpoint is named so (an id is a slug); read as touchpoints, each was an ad
hoc visit between a customer's steps, that cut the flow between them in two and made the customer ad hoc. (A
session's start, ``session_start``, stays a visit: a visitor with nothing else is an off-journey customer, told.)"""
TOOL_KIND = ("tool-event", "touchpoint")
"""Rows of :data:`TOOL_EVENTS`: skipped, one warning with their count."""
TOOL_BIT = 1 << (len(KINDS) + 2)
"""The bad-row bits of such a row in DuckDB's scan (alone, as :data:`CALL_BIT`)."""
SKIPPED_KINDS = ("skipped-call", "tool-event")
"""The kinds of row that are skipped, no events, rather than bad rows: warnings, and not counted as rows read."""


def tool_event_sql(cell: str, literal: Callable[[str], str]) -> str:
    """SQL (DuckDB and Spark): whether the stripped touchpoint ``cell`` is one of :data:`TOOL_EVENTS`, as the tools write
    them (one comparison a row: no LOWER on every touchpoint of a log)."""
    return f"({cell} IN ({', '.join(literal(event) for event in TOOL_EVENTS)}))"


def calls_of(keys: Iterable[str]) -> bool:
    """Whether a file (its column keys, :func:`column_key`) is Segment's spec: a ``type`` column, and the touchpoint
    read from its ``event`` column (``--events-column touchpoint=event``). Its rows of :data:`SEGMENT_CALLS` are
    skipped (:data:`CALL_KIND`): their touchpoint was empty, an error a row, though they are no events."""
    return "type" in keys and named_columns().by_name.get("touchpoint") == "event"


def call_sql(cell: str, literal: Callable[[str], str]) -> str:
    """SQL (DuckDB and Spark): whether the stripped text ``cell`` of a ``type`` column is one of :data:`SEGMENT_CALLS`."""
    return (f"(CASE WHEN length({cell}) <= {max(map(len, SEGMENT_CALLS))} THEN LOWER({cell}) IN"
            f" ({', '.join(literal(call) for call in SEGMENT_CALLS)}) ELSE false END)")


CONVENTIONS = {
    # GA4's user_pseudo_id and Segment's anonymousId before user_id: an export has both, and the
    # user id is empty for every visitor who never signed in
    "customer": ("case:concept:name", "case_id", "caseid", "case", "customer_id", "user_pseudo_id", "anonymousid",
                 "anonymous_id", "domain_userid", "mcvisid", "amplitude_id", "user_id", "userid", "distinct_id", "client_id", "visitor_id", "person_id", "account_id", "visitor", "user",
                 # a contact centre's call records: the caller's number (Automatic Number Identification) across calls
                 "ani", "caller_number", "calling_number", "caller_id"),
    "timestamp": ("time:timestamp", "event_timestamp", "event_time", "time", "received_at", "original_timestamp",
                  "sent_at", "derived_tstamp", "collector_tstamp", "hit_time_gmt", "occurred_at", "created_at", "createddate", "datetime", "ts",
                  "starttime", "start_time",
                  # a moment in a word, as a hand-made export or a script names it ('user,when,page')
                  "when", "at", "moment", "dt", "epoch", "created", "occurred", "date"),
    "touchpoint": ("concept:name", "activity", "event_name", "$event_name", "event", "event_type", "action", "step", "page", "screen_name",
                   "post_pagename", "pagename", "event_table_name", "queue", "queue_name"),
}
"""The names other tools give the columns (each one's first is process mining's, XES as pm4py writes it;
then GA4, Segment, Snowplow (its cookie id and the time it recommends), Adobe Analytics' data feed (mcvisid, post_pagename,
and hit_time_gmt, the hit's moment in UTC: its date_time is in the report suite's time zone), Heap (event_table_name), Amplitude, Mixpanel (its CSV export's $event_name), Celonis, Salesforce's CreatedDate,
a web analytics' visitor/date/page, a contact centre's queue: the service a customer reached, Genesys' and Amazon Connect's,
and its caller's number, ANI, across calls), as the header is compared: the rename a missing column's
hint suggests, before a name that is merely close."""


def moment_columns(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """The columns of ``header`` whose cells in ``rows`` (a log's first few) are each a date and time written as text
    as the log reads them (2026-09-14T08:31:00Z, 2026-09-14 08:31), none empty: the timestamp's guess when no
    column's name gives one. A column of numbers is none: ids and counts read as seconds since 1970 too."""
    rows = [list(row) for row in rows if any(cell.strip() for cell in row)]
    found = []
    for index, column in enumerate(header):
        cells = [row[index].strip() if index < len(row) else "" for row in rows]
        if cells and all(cell and not _NUMBER.match(cell.upper()) and re.search(r"[0-9]{1,4}[-/.][0-9]{1,2}", cell)
                         and parse_timestamp(cell) is not None for cell in cells):
            found.append(column)
    return found


def known_columns_hint() -> str:
    return f"the header must name the columns {', '.join(REQUIRED)} (and may name {', '.join(OPTIONAL)})"


HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
"""The folder value Hive and Spark write for a null partition value (``segment=__HIVE_DEFAULT_PARTITION__``)."""


def partition_segment(location: str) -> str:
    """The segment a hive-partitioned log's folders give its rows: the value of the innermost
    ``persona=...`` folder (else ``segment=...``) in the file's path, URL-decoded as Hive and Spark
    write it; '' when there is none. Spark's ``partitionBy("segment")`` leaves that column out of
    the files it writes, so the folder is the only place the segment is. A row's segment is its
    own cell, or, where that is empty, this value (every engine applies the same rule).
    ``segment=__HIVE_DEFAULT_PARTITION__`` is how Hive and Spark write a null segment: none."""
    from urllib.parse import unquote

    found: dict[str, str] = {}
    for part in re.split(r"[/\\]", location):
        key, equals, value = part.partition("=")
        if equals and key.strip().lower() in ("segment", "persona"):
            value = unquote(value).strip()
            found[key.strip().lower()] = "" if value == HIVE_NULL else value
    return found.get("persona") or found.get("segment") or ""


EVENT_COLUMNS_OPTION = "--events-column"
"""The command-line option that names the log's column for one of journeymap's (``NAME=COLUMN``)."""

_REPLACED = "\x00replaced:"
"""Starts the key of a column that has a journeymap name but is not read (the option names another
column for it): a key no engine reads. (:func:`header_problems` tells such a column by its name.)"""


@dataclass(frozen=True)
class NamedColumns:
    """The columns in force (:func:`columns_named`), each as :func:`column_key` compares names."""

    by_file: dict[str, str] = field(default_factory=dict)
    """the file's column -> journeymap's name"""
    by_name: dict[str, str] = field(default_factory=dict)
    """journeymap's name -> the file's column"""
    as_named: dict[str, str] = field(default_factory=dict)
    """journeymap's name -> the column as the option wrote it"""
    option: str = EVENT_COLUMNS_OPTION
    """the option that named them, for messages"""


_NONE_NAMED = NamedColumns()
_COLUMNS: ContextVar[NamedColumns | None] = ContextVar("journeymap_named_columns", default=None)


def named_columns() -> NamedColumns:
    """The columns in force (empty outside :func:`columns_named`)."""
    return _COLUMNS.get() or _NONE_NAMED


def parse_columns(specs: Iterable[str], known: Sequence[str] = ()) -> dict[str, str]:
    """``NAME=COLUMN`` specs (``customer=user_pseudo_id``) as {journeymap's name: the log's column}.

    ``NAME`` is one of ``known`` (default: an event log's, :data:`REQUIRED` and :data:`OPTIONAL`); the column is matched as the
    header is (case and surrounding spaces aside); a column named ``a=b`` is written
    ``NAME=a=b`` (the first ``=`` splits). Raises ``ValueError`` with every problem at once.

    >>> parse_columns(["customer=case:concept:name", "touchpoint=concept:name"])
    {'customer': 'case:concept:name', 'touchpoint': 'concept:name'}
    """
    found: dict[str, str] = {}
    errors: list[str] = []
    owners: dict[str, str] = {}
    known = tuple(known) or (*REQUIRED, *OPTIONAL)
    for spec in specs:
        name, equals, column = spec.partition("=")
        name = name.strip().lower()
        if not equals or not name:
            errors.append(f"'{shown(spec)}' is not NAME=COLUMN (e.g. {known[0]}=other_name)")
            continue
        if name not in known:
            hint = did_you_mean(name, known)
            errors.append(f"'{shown(name)}' is not one of {', '.join(known)}" + (f" ({hint})" if hint else ""))
            continue
        key = _key(column)
        if not key:
            errors.append(f"'{shown(spec)}' names no column after '='")
            continue
        if name in found:
            errors.append(f"{name} is named twice ('{shown(found[name])}' and '{shown(column.strip())}')")
            continue
        if key in owners:
            errors.append(f"column '{shown(column.strip())}' is named for both {owners[key]} and {name}")
            continue
        found[name], owners[key] = column.strip(), name
    if "segment" in found and "persona" in found and "segment" in known:
        errors.append("name a column for segment or for persona, not both (a persona column is read as the segment)")
    if errors:
        raise ValueError("; ".join(errors))
    return found


@contextmanager
def columns_named(columns: Mapping[str, str] | None, option: str = EVENT_COLUMNS_OPTION) -> Iterator[None]:
    """Within this block, every reader (each engine, and the survey and metrics readers) reads
    the file's column ``columns[name]`` as journeymap's ``name`` (from :func:`parse_columns`),
    and a column that is called ``name`` but not named is not read. ``option`` names the
    command-line option in messages. Empty or None: the header's own names."""
    if not columns:
        yield
        return
    by_name = {name: _key(column) for name, column in columns.items()}
    token = _COLUMNS.set(NamedColumns({key: name for name, key in by_name.items()}, by_name,
                                      {name: column.strip() for name, column in columns.items()}, option))
    try:
        yield
    finally:
        _COLUMNS.reset(token)


def _key(name: str) -> str:
    return name.strip().lower().lstrip("\ufeff")


def is_replaced(key: str) -> bool:
    """Whether a key from :func:`column_key` is a column the option in force replaces (it is not read)."""
    return key.startswith(_REPLACED)


def replaced_name(key: str) -> str:
    """The column's own name in a key for which :func:`is_replaced` holds."""
    return key[len(_REPLACED):]


def column_key(name: str) -> str:
    """The name a header cell is read by: journeymap's column name where the cell is one (case and
    surrounding spaces aside, a leading byte-order mark dropped), with the columns in force
    (:func:`columns_named`): the column named for ``customer`` is read as ``customer``, and a
    column called ``customer`` that is not that one is read as none of journeymap's."""
    key = _key(name)
    named = named_columns()
    by_file, by_name = named.by_file, named.by_name
    if not by_file:
        return key
    if key in by_file:
        return by_file[key]
    return _REPLACED + key if _stands_for(key, by_name) else key


def _stands_for(key: str, by_name: dict[str, str]) -> str | None:
    """The option's name whose column replaces a column called ``key`` (a journeymap name), or None.
    A ``persona`` named by the option replaces a ``segment`` column too (else the segment would win)."""
    if key in by_name:
        return key
    if key == "segment" and "persona" in by_name:
        return "persona"
    return None


def column_option(name: str, column: str) -> str:
    """``--events-column NAME=COLUMN`` (the option in force), quoted for a shell where it needs to be:
    a column whose name holds a control character is written in bash's ``$'...'`` with escapes
    (shown as text, ``'touchpoint=\x1b[31mtouchpoint'`` pasted back gave the same error)."""
    return f"{named_columns().option} {shell_quoted(f'{name}={column}')}"


def shell_quoted(text: str) -> str:
    """``text`` quoted for a shell where it needs to be (:func:`shlex.quote`); text holding a control character (a
    header cell's line break, typed with Alt+Enter) in bash's ``$'...'`` with escapes, so that a hint stays one line
    and pasted back gives that text."""
    if text.isprintable():
        return shlex.quote(text)

    def escaped(char: str) -> str:
        if char in "\\'":
            return "\\" + char
        if char.isprintable():
            return char
        if char in "\r\n\t":
            return {"\r": "\\r", "\n": "\\n", "\t": "\\t"}[char]
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}"

    return f"$'{''.join(map(escaped, text))}'"


def named_said(column: str) -> str:
    """A required column in a "has no column" message: as the option in force named it, else journeymap's name."""
    named = named_columns()
    if column in named.by_name:
        return f"'{shown(named.as_named[column])}' (named for {column} by {named.option})"
    if column in named.by_file:  # its own column is named for another of journeymap's names
        return f"for {column!r} (its column '{column}' is read as {named.by_file[column]} by {named.option})"
    return repr(column)


def optional_named_missing(
    name: str, line: int, kind: str, optional: Iterable[str], seen: Container[str], hint: Callable[[str], str] | None = None
) -> list[Problem]:
    """The warnings for optional columns the option in force names but the header (its names read:
    ``seen``) lacks, in the option's words; ``hint`` gives each one's hint from the column as named."""
    named = named_columns()
    return [
        Problem(
            Span(name, line, 1), "missing-column",
            f"the {kind} has no column '{shown(named.as_named[column])}' (named for {column} by {named.option}),"
            f" so its rows have no {column}",
            hint(_key(named.by_name[column])) if hint else None,
            level="warning",
        )
        for column in optional
        if column in named.by_name and column not in seen and not (column == "persona" and "segment" in seen)
    ]


def replaced_warning(name: str, line: int, column: str, as_written: str | None = None) -> Problem:
    """The warning for a column called ``column`` (one of journeymap's names, as read; ``as_written``
    in the header) that the option in force replaces with another column, so it is not read."""
    named = named_columns()
    stands = _stands_for(column, named.by_name) or column
    return Problem(
        Span(name, line, 1), "unknown-column",
        f"column '{shown(as_written or column)}' is not read: {column_option(stands, named.as_named[stands])} names"
        f" another column for {'the segment' if stands != column else column}", level="warning",
    )


def header_cell(name: str, line: int, places: Sequence[tuple[int, int]], index: int) -> Span:
    """Where the header's cell ``index`` starts: ``places`` are (lines after the header's first,
    column) of its cells, as :func:`~journeymap.data.table.cell_places` gives them (none for a
    Parquet or JSON file: its line's first column)."""
    if index < len(places):
        return Span(name, line + places[index][0], places[index][1])
    return Span(name, line, 1)


def unnamed_columns(name: str, line: int, header: Sequence[str]) -> Problem | None:
    """The warning for the header's columns without a name (Excel's trailing ``;;``), which no
    reader reads: said once, with their places, so a column of data under no name is not lost unseen."""
    places = [i + 1 for i, cell in enumerate(header) if not cell.strip()]
    if not places:
        return None
    return Problem(
        Span(name, line, 1), "unknown-column",
        f"{'a column' if len(places) == 1 else f'{len(places):,} columns'} of the header {'has' if len(places) == 1 else 'have'}"
        f" no name (column{'s' * (len(places) > 1)} {listed([str(p) for p in places])}), so {'it is' if len(places) == 1 else 'they are'} not read",
        "name a column in the header to have it read; a column a separator at the end of every line leaves"
        " empty holds nothing, and needs nothing",
        level="warning",
    )


def excel_separator_line(name: str, line: int, header: Sequence[str]) -> Problem | None:
    """The one error for a file whose first line is Excel's ``sep=;`` (which tells Excel the
    separator, and is no header): else a missing-column error and a warning per cell of it."""
    cells = [c.strip().lstrip("\ufeff") for c in header]
    if not cells or not re.fullmatch(r"sep=.?", cells[0], re.IGNORECASE) or any(cells[1:]) or len(cells) > 2:
        return None
    return Problem(Span(name, line, 1), "missing-column",
                   f"line {line} is Excel's separator line (sep=), not a header: the file is not read",
                   "delete the first line (in Excel, save as 'CSV UTF-8', which does not write it)")


def header_problems(name: str, line: int, header: Iterable[str], places: Sequence[tuple[int, int]] = (),
                    moments: Sequence[str] = ()) -> list[Problem]:
    """The problems of an event log's column names, as written in the file (every engine calls this).

    Names are compared without case and surrounding spaces, and read with the columns in
    force (:func:`columns_named`). ``moments``: columns (as written) whose first cells are dates and times
    (:func:`moment_columns`), the timestamp's guess when no name gives one.
    """
    header = list(header)
    if (excel := excel_separator_line(name, line, header)) is not None:
        return [excel]
    written = [_key(h) for h in header]
    as_header = ", ".join(shown(h.strip().lstrip("\ufeff")) for h in header)  # as the file writes it, for messages
    names = [column_key(h) for h in header]
    named = named_columns()
    by_file, mapped = named.by_file, named.by_name
    # a column called by one of journeymap's names that the option replaces with another column
    replaced = [w not in by_file and _stands_for(w, mapped) is not None for w in written]
    known = (*REQUIRED, *OPTIONAL)
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, (column, as_written) in enumerate(zip(names, written, strict=True)):
        if column in seen and column:  # columns without a name are told once, below
            problems.append(Problem(header_cell(name, line, places, index), "duplicate-column",
                                    f"column '{shown(as_written)}' appears twice in the header"))
        seen.add(column)
    if (unnamed := unnamed_columns(name, line, written)) is not None:
        problems.append(unnamed)
    missing = [c for c in REQUIRED if c not in seen]
    renames: dict[str, str] = {}  # a column of the header -> the missing column it stands for
    unknown = [w for c, w, r in zip(names, written, replaced, strict=True) if c not in known and not r]
    original: dict[str, str] = {}  # a column's key -> its name as the header writes it (for an option's text)
    for cell in header:
        original.setdefault(_key(cell), cell.strip().lstrip("\ufeff"))
    # columns named as keys inside an object column ('properties.distinct_id'), which no engine reads
    nested = {column: key for column, key in mapped.items() if column not in seen and _nested_in(key, original)}
    flatten = _flatten_hint(name, nested, original, seen) if nested else ""
    if missing:
        for column in (c for c in missing if c not in nested):  # another tool's name for it, else a name close to it
            # another tool's name in the order of CONVENTIONS ('User ID' and 'user-id' are 'user_id')
            close = next((c for usual in CONVENTIONS[column] for c in unknown
                          if squeezed(c) == squeezed(usual) and c not in renames), None)
            target = mapped.get(column, column)
            close = close or _by_words(column, [c for c in unknown if c not in renames], original)
            close = close or _closest(target, [c for c in unknown if c not in renames])
            if close is None and column == "timestamp":  # a column of dates and times under a name that says nothing
                close = next((c for c in unknown if c not in renames and c in {_key(m) for m in moments}), None)
            if close is not None:
                renames[close] = column
        # the date and the time of day in two columns (Five9's DATE and TIME, 'Call Date' and 'Call Time'): the
        # hint named the time's column for the timestamp, whose cells, '15:51:00', are no moment
        split = _date_and_time([original.get(c, c) for c in unknown]) if "timestamp" in missing and "timestamp" not in nested else None
        if split is not None:
            renames = {close: column for close, column in renames.items() if column != "timestamp"}
        # Adobe Analytics' visitor: two columns, post_visid_high and post_visid_low (visid_high and visid_low before
        # processing), whose pair Adobe counts visitors by; mcvisid beside them is empty without the Experience Cloud ID
        pair = _visitor_pair(unknown) if "customer" in missing and "customer" not in nested else None
        if pair is not None:
            renames = {close: column for close, column in renames.items() if column != "customer"}
        hints = [flatten] if nested.keys() & set(missing) else []
        if pair is not None:
            hints.append(_visitor_pair_hint(name, [original.get(c, c) for c in header_keys(header)], *pair))
        if split is not None:
            hints.append(f"the date and the time of day are two columns, '{shown(split[0])}' and '{shown(split[1])}', and a"
                         " timestamp is one cell: write them as one column, timestamp, of 2026-09-14T08:31:00 (ISO 8601, with Z"
                         " or a UTC offset; no zone means UTC)")
        # journeymap's own name in this file, replaced by the option's column: two exports with different
        # names read together (the hint said the header must name 'customer', which it did)
        own = [c for c in missing if c in mapped and c in written]
        if own:
            listed = ", ".join(f"'{shown(original.get(c, c))}'" for c in own)
            hints.append(f"this file has its own {listed} column{'s' * (len(own) > 1)}, which {named.option} replaces in every"
                         " file it reads: read files whose columns are named otherwise in runs of their own, or rename"
                         " the column in one of them")
        if renames:
            options = " ".join(column_option(column, original.get(close, close)) for close, column in renames.items())
            hints.append(f"read {'it' if len(renames) == 1 else 'them'} with {options}"
                         f", or rename the column{'s' * (len(renames) > 1)} in the header")
        if len(renames) + len(nested.keys() & set(missing)) + len(own) + (split is not None) + (pair is not None) < len(missing):
            hints.append(known_columns_hint())
        if (whole := _quoted_whole(header)) is not None:
            hints = [whole]
        problems.append(Problem(
            Span(name, line, 1), "missing-column",
            f"the event log has no column{'s' * (len(missing) > 1)} {', '.join(named_said(c) for c in missing)}"
            f" (its header: {as_header or 'empty'})",
            "; ".join(hints),
        ))
    # the file is not read: its columns are in the error's header, and the options its hint gives are the renames'
    # 'did you mean' (they were an unknown-column warning each besides, and the other columns one more: a wall of
    # warnings for one problem); a column that looks like an optional one keeps its warning, as in a metrics table
    unread = bool(missing)
    problems += optional_named_missing(
        name, line, "event log", OPTIONAL, seen,
        lambda column: flatten if _nested_in(column, original) else did_you_mean(column, unknown) or f"its header: {as_header or 'empty'}",
    )
    reported: set[str] = set()
    ignored: list[str] = []  # columns with nothing more to say of them than that: one warning for all
    first_cell: dict[str, Span] = {}  # each ignored column's header cell, as the header writes it
    for index, (column, as_written, not_read) in enumerate(zip(names, written, replaced, strict=True)):
        if not_read and column not in reported:
            reported.add(column)
            problems.append(replaced_warning(name, line, as_written, original[as_written]))
        elif column == "type" and calls_of(names):
            continue  # Segment's call type: read, to skip the calls that are no events
        elif column == MIXPANEL_PROCESSED and "timestamp" in names:
            continue  # read to tell Mixpanel's time in its project's time zone
        elif column and column not in known and column not in reported:
            reported.add(column)
            inside = [named.as_named[c] for c, key in nested.items() if key.partition(".")[0] == as_written]
            guess = (f"did you mean '{renames[as_written]}'?" if as_written in renames
                     else f"nested keys are not read ({', '.join(map(repr, inside))})" if inside
                     else segment_guess(original[as_written], seen) or _guessed(column, as_written, known))
            if unread and (as_written in renames or (inside and nested.keys() & set(missing))):
                continue  # the error's hint gives the option that reads it, or the jq line that flattens it
            at = first_cell.setdefault(original[as_written], header_cell(name, line, places, index))
            if guess:  # a column that looks like one of journeymap's: a warning of its own
                problems.append(ignored_columns(name, line, [original[as_written]], guess, at))
            elif not unread:
                ignored.append(original[as_written])
    if ignored:
        problems.append(ignored_columns(name, line, ignored, f"known columns: {', '.join(known)}", first_cell[ignored[0]]))
    if "segment" in seen and "persona" in seen:
        # one of the two is read (reads_persona); the other was left out without a word
        segment_written = next((original[w] for c, w in zip(names, written, strict=True) if c == "segment"), "segment")
        persona_written = next((original[w] for c, w in zip(names, written, strict=True) if c == "persona"), "persona")
        if reads_persona(seen):
            problems.append(Problem(Span(name, line, 1), "unknown-column",
                                    f"column '{shown(segment_written)}' is ignored: the '{shown(persona_written)}' column"
                                    " names each customer's persona, as in survey files",
                                    "keep one of the two columns, or read the other with"
                                    f" {column_option('segment', segment_written)}", level="warning"))
        else:
            problems.append(Problem(Span(name, line, 1), "unknown-column",
                                    f"column '{shown(persona_written)}' is ignored: {named.option} names"
                                    f" '{shown(segment_written)}' for each customer's segment", level="warning"))
    if (suite := _suite_time(name, line, places, names, written)) is not None:
        problems.append(suite)
    return problems


_ADOBE_FEED = frozenset(("post_pagename", "mcvisid", "post_visid_high", "post_visid_low", "visid_high", "visid_low",
                         "hit_time_gmt", "hitid_high", "hitid_low", "post_cust_hit_time_gmt", "cust_hit_time_gmt"))
"""Columns only Adobe Analytics' data feed writes (as :func:`_key` compares them)."""


def _suite_time(name: str, line: int, places: Sequence[tuple[int, int]], names: Sequence[str],
                written: Sequence[str]) -> Problem | None:
    """The warning for an Adobe Analytics data feed whose timestamp is read from its ``date_time``: the hit's time in
    the report suite's time zone, not UTC (Adobe's column reference), read as UTC without a word, every hit off by the
    suite's offset beside any other log; ``hit_time_gmt`` is the moment in UTC. None for any other log."""
    index = next((i for i, (c, w) in enumerate(zip(names, written, strict=True)) if c == "timestamp"), None)
    if index is None or written[index] != "date_time" or not _ADOBE_FEED & set(written):
        return None
    option = named_columns().option
    hint = (f"read the hit's moment in UTC, its hit_time_gmt, with {option} timestamp=hit_time_gmt" if "hit_time_gmt" in written
            else "add hit_time_gmt, the hit's moment in UTC (seconds since 1970), to the feed's columns and read it with"
                 f" {option} timestamp=hit_time_gmt")
    return Problem(header_cell(name, line, places, index), "report-suite-time-zone",
                   "'date_time' of an Adobe Analytics data feed is the hit's time in the report suite's time zone, not UTC:"
                   " read as UTC, every hit is off by the suite's offset from UTC", hint, level="warning")


#: The last word of a column's name that says it holds journeymap's column, when the name is none of
#: :data:`CONVENTIONS` (CRM and help-desk exports: HubSpot's 'Activity Date' and 'Activity Type', Salesforce's
#: WhoId and ActivityDate, ServiceNow's sys_created_on, Zendesk's ticket_id); a customer's id also names whose.
_LAST_WORDS = {
    "timestamp": {"date", "time", "timestamp", "tstamp", "datetime", "at", "on", "ts"},
    "touchpoint": {"type", "subtype", "activity", "event", "action", "step", "stage", "page", "screen"},
    "customer": {"id", "number"},
}
_CHANNEL_WORDS = {"media", "medium", "channel", "device", "browser", "platform", "os", "direction", "call", "message",
                  "disconnect", "connection", "content", "mime", "file", "record"}
"""Words of a type column's name that say it holds the channel, the device or the direction (Genesys' 'Media Type':
voice, email, chat; 'Call Type': inbound, outbound; Salesforce's 'Record Type'), not the step: no touchpoint's guess.
Read as the touchpoint, every path was voice -> email -> voice, none of the journey's touchpoints."""
_WHOSE_ID = {"contact", "customer", "client", "user", "visitor", "person", "account", "who", "lead", "member", "case", "caller",
             "ticket", "record", "subscriber", "patient", "shopper", "buyer", "guest", "profile", "anonymous"}


_TIME_SUFFIXES = {"utc", "gmt", "z", "local", "ms", "millis", "msec", "s", "sec", "secs", "seconds", "us", "ns", "iso", "epoch",
                  "unix"}
"""Words after a moment's name that say its zone or unit ('timestamp_utc', 'event_time_ms', 'ts_epoch'): the name
before them says it holds the timestamp."""


def _words(name: str) -> list[str]:
    """A column's name as lower-case words: 'ActivityDate', 'Activity Date' and activity_date are activity, date."""
    return [word.lower() for word in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+", name)]


def _by_words(column: str, choices: Sequence[str], original: Mapping[str, str]) -> str | None:
    """The first of ``choices`` (keys of the header's columns) whose name's words say it holds ``column``
    (:data:`_LAST_WORDS`), of two words or more: 'date' alone is one of :data:`CONVENTIONS` already."""
    for choice in choices:
        words = _words(original.get(choice, choice))
        suffixed = False
        while column == "timestamp" and len(words) > 1 and words[-1] in _TIME_SUFFIXES:
            words, suffixed = words[:-1], True
        if (len(words) < 2 and not suffixed) or words[-1] not in _LAST_WORDS[column]:
            continue
        if column == "touchpoint" and _CHANNEL_WORDS & set(words[:-1]):
            continue
        if column != "customer" or _WHOSE_ID & set(words[:-1]):
            return choice
    return None


SEGMENT_NAMES = ("customersegment", "usersegment", "segmentname", "segmentid", "segmentlabel", "personaname", "personaid",
                 "personalabel", "customerpersona", "userpersona", "buyerpersona", "customertype", "usertype", "customergroup",
                 "audience", "audiencesegment", "kundensegment", "kundentyp", "zielgruppe", "segmentclient", "typedeclient",
                 "segmentodecliente", "tipodecliente")
"""A segment column as CRMs, survey tools, BI exports and analytics name it (spaces, underscores, hyphens, dots and
colons left out, lower-cased): a CRM's 'Customer type', Qualtrics' embedded data 'persona_id', a BI export's 'Customer
Segment'. Each was ignored, told "did you mean 'segment'?" (a rename), "did you mean 'customer'?" (an event log's) or
the known columns alone, and --persona showed everyone's values. Not 'Plan', 'Tier' nor 'Cohort', which name a price
plan or a month of sign-up more often than a persona."""


def segment_guess(as_written: str, seen: Container[str]) -> str | None:
    """The hint of an event log's column named as a segment column (:data:`SEGMENT_NAMES`) where the log has none: the
    option that reads it; else None."""
    if "segment" in seen or "persona" in seen or squeezed(as_written).lower() not in SEGMENT_NAMES:
        return None
    return f"it looks like the segment column: read it with {column_option('segment', as_written)}"


def _guessed(column: str, as_written: str, known: Sequence[str]) -> str | None:
    """The 'did you mean' of a column journeymap does not read, but none for another tool's name of one of
    journeymap's columns that is close to a third: PostHog's person_id (a customer's id) was 'did you mean
    'persona'?', which read as a segment makes every customer a persona of their own."""
    guess = did_you_mean(column, known)
    usual = next((name for name, names in CONVENTIONS.items() if any(squeezed(as_written) == squeezed(u) for u in names)), None)
    return None if usual is not None and guess is not None and f"'{usual}'" not in guess else guess


def header_keys(header: Sequence[str]) -> list[str]:
    """The header's cells as :func:`_key` compares them."""
    return [_key(cell) for cell in header]


_VISITOR_PAIRS = (("post_visid_high", "post_visid_low"), ("visid_high", "visid_low"))


def _visitor_pair(columns: Sequence[str]) -> tuple[str, str] | None:
    """Adobe Analytics' visitor id columns among ``columns`` (keys), the processed pair first, or None."""
    for high, low in _VISITOR_PAIRS:
        if high in columns and low in columns:
            return high, low
    return None


def _visitor_pair_hint(name: str, header: Sequence[str], high: str, low: str) -> str:
    """How to write Adobe's visitor id pair as one column, ``visitor``, and read it: a column is one id a row, and
    neither half alone is a visitor (Adobe counts visitors by the pair)."""
    from .sources import file_format

    said = (f"Adobe Analytics' visitor is two columns, '{high}' and '{low}' (Adobe counts visitors by the pair; mcvisid"
            " is empty without the Experience Cloud ID): write them as one column, visitor, then read it with"
            f" {column_option('customer', 'visitor')}")
    fmt = file_format(Path(name))
    if fmt == "json":
        jq = f'. + {{visitor: "\\(.{high})_\\(.{low})"}}'
        return f"{said}: jq -c {shlex.quote(jq)} FILE > NEW.jsonl"
    lower = name.lower()
    if fmt == "csv" and lower.endswith((".tsv", ".tsv.gz")):  # a data feed's hit_data.tsv, its header written above it
        first, second = header.index(high) + 1, header.index(low) + 1
        awk = f"awk -F'\\t' -v OFS='\\t' '{{print (NR == 1 ? \"visitor\" : ${first} \"_\" ${second}), $0}}'"
        return f"{said}: {'gzip -dc FILE | ' + awk if lower.endswith('.gz') else awk + ' FILE'} > NEW.tsv"
    source = "read_csv('FILE', all_varchar = true)" if fmt == "csv" else "'FILE'"
    sql = f"COPY (SELECT {high} || '_' || {low} AS visitor, * FROM {source}) TO 'NEW.{'csv' if fmt == 'csv' else 'parquet'}'"
    return f'{said}: python -c "import duckdb; duckdb.sql(\\"{sql}\\")"'


def _date_and_time(columns: Sequence[str]) -> tuple[str, str] | None:
    """A column of dates and one of times named alike, as the header writes them ('DATE' and 'TIME', 'Call Date'
    and 'Call Time', start_date and start_time), or None."""
    times = {squeezed(c).lower(): c for c in columns}
    for column in columns:
        word = squeezed(column).lower()
        if word.endswith("date") and (partner := times.get(word[:-4] + "time")) is not None:
            return column, partner
    return None


def _quoted_whole(header: Sequence[str]) -> str | None:
    """The hint for a header that is one cell holding the columns' names with a separator between them
    (``"customer,timestamp,touchpoint"``): each line was quoted whole, as a sheet saves a log pasted into one
    column, so the file is one column. It was "no columns 'customer', ... (its header: customer,timestamp,...)"."""
    if len(header) != 1:
        return None
    cell = header[0].strip().lstrip("\ufeff")
    names = {squeezed(name).lower() for name in (*REQUIRED, *OPTIONAL, *(n for ns in CONVENTIONS.values() for n in ns))}
    for separator in (",", ";", "\t", "|"):
        if sum(squeezed(part.strip()).lower() in names for part in cell.split(separator)) >= 2:
            return (f"each line is one quoted cell (the header is '{shown(cell)}'), as a sheet saves a log pasted into one"
                    " column: take the quotes around the lines off and undouble the quotes inside,"
                    " sed -E 's/^\"(.*)\"(\\r?)$/\\1\\2/; s/\"\"/\"/g' FILE > NEW")
    return None


def ignored_columns(name: str, line: int, columns: Sequence[str], hint: str, at: Span | None = None) -> Problem:
    """The warning for the header's ``columns`` (as it writes them) that journeymap does not read: one
    for a whole export's columns (GA4 writes some twenty), so the warnings that matter are not lost among them.
    ``at``: the place of the first one's header cell (else the header's first column)."""
    quoted = [f"'{shown(c)}'" for c in columns]
    if len(columns) == 1:
        said = f"column {quoted[0]} is not one journeymap reads; it is ignored"
    else:
        said = f"{len(columns):,} columns are not ones journeymap reads; they are ignored: {listed(quoted)}"
    return Problem(at or Span(name, line, 1), "unknown-column", said, hint, level="warning")


def listed(items: Sequence[str], first: int = 8) -> str:
    """The ``first`` items, and how many more there are: ``'a', 'b' and 3 more``."""
    return ", ".join(items[:first]) + (f" and {len(items) - first:,} more" if len(items) > first else "")


def _nested_in(key: str, header: Mapping[str, str]) -> bool:
    """Whether a named column's ``key`` is a key inside one of the ``header``'s columns
    (``properties.distinct_id`` beside a ``properties`` column) rather than a column of its own."""
    outer, dot, _ = key.partition(".")
    return bool(dot) and key not in header and outer in header


def _flatten_hint(name: str, nested: Mapping[str, str], header: Mapping[str, str], seen: Container[str]) -> str:
    """The hint for columns named as keys inside an object column: no engine reads nested keys, so the
    log is flattened into journeymap's columns first (with jq, for JSON lines), and read as it is."""
    from .sources import file_format

    named = named_columns()
    keys = ", ".join(f"'{shown(named.as_named[c])}'" for c in nested)
    inside = ", ".join(dict.fromkeys(f"'{shown(header[key.partition('.')[0]])}'" for key in nested.values()))
    said = f"{keys} {'is a key' if len(nested) == 1 else 'are keys'} inside {inside}"
    if file_format(Path(name)) != "json":
        return f"nested keys are not read ({said}): write them as columns of their own first"

    def path(column: str) -> str:  # a jq path: .properties.distinct_id, ."$insert_id" where a key needs quotes
        if _nested_in(_key(column), header):
            outer, _, inner = column.partition(".")
            keys = [header[_key(outer)], *inner.split(".")]
        else:
            keys = [header.get(_key(column), column)]
        return "".join(f".{k}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) else f".{json.dumps(k)}" for k in keys)

    fields = {c: path(named.as_named[c]) for c in (*REQUIRED, *OPTIONAL) if c in named.by_name}
    fields |= {c: f".{c}" for c in (*REQUIRED, *OPTIONAL) if c in seen and c not in fields}
    jq = "{" + ", ".join(f"{c}: {fields[c]}" for c in (*REQUIRED, *OPTIONAL) if c in fields) + "}"
    return (f"nested keys are not read ({said}): flatten the log into journeymap's columns and read that without"
            f" {named.option}: jq -c {shlex.quote(jq)} {shlex.quote(name)} > flat.jsonl")


def squeezed(name: str) -> str:
    """A name with its spaces, underscores, dots, colons and hyphens left out ('User ID' is 'UserID'),
    to tell one name written two ways."""
    return re.sub(r"[\s_.:-]+", "", name)


def _closest(word: str, choices: list[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


_SAVE_AS_UTF8 = "save it as UTF-8 (in Excel: 'CSV UTF-8')"
_BINARY_STARTS = (
    (b"PK\x03\x04", "it is an Excel workbook or another zip archive", "in Excel, save it as 'CSV UTF-8'; unzip an archive first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "it is an old Excel workbook (.xls)", "in Excel, save it as 'CSV UTF-8'"),
    (b"\x1f\x8b", "it is gzip-compressed", "name it .csv.gz (or .jsonl.gz) to have it read as such"),
    (b"PAR1", "it is a Parquet file", "name it .parquet to have it read as such"),
    # UTF-32's byte-order marks start as UTF-16's do: told first
    (b"\xff\xfe\x00\x00", "it is UTF-32 text", "save it as UTF-8: iconv -f UTF-32 -t UTF-8 FILE > NEW converts it"),
    (b"\x00\x00\xfe\xff", "it is UTF-32 text", "save it as UTF-8: iconv -f UTF-32 -t UTF-8 FILE > NEW converts it"),
    (b"\xff\xfe", "it is UTF-16 text (Excel's 'Unicode text')", _SAVE_AS_UTF8),
    (b"\xfe\xff", "it is UTF-16 text", _SAVE_AS_UTF8),
    (b"BZh", "it is bzip2-compressed", "decompress it (bunzip2 FILE), or gzip it: a .csv.gz or .jsonl.gz is read as it is"),
    (b"\xfd7zXZ\x00", "it is xz-compressed", "decompress it (xz -d FILE), or gzip it: a .csv.gz or .jsonl.gz is read as it is"),
    (b"\x28\xb5\x2f\xfd", "it is zstd-compressed", "decompress it (zstd -d FILE), or gzip it: a .csv.gz or .jsonl.gz is read as it is"),
    (b"7z\xbc\xaf\x27\x1c", "it is a 7-Zip archive", "extract the file from it first"),
    (b"Obj\x01", "it is an Avro file (as BigQuery exports a table with nested columns, GA4's events_*, and as Kafka's"
     " connectors write)", "AVRO_HINT"),
    (b"ORC", "it is an ORC file (as Hive and Spark write a table)", "ORC_HINT"),
)
AVRO_HINT = ("export it as Parquet or JSON lines instead (bq extract --destination_format=PARQUET, or"
             " NEWLINE_DELIMITED_JSON), or convert it: spark.read.format('avro').load('FILE').write.parquet('NEW')")
ORC_HINT = "convert it to Parquet: spark.read.orc('FILE').write.parquet('NEW'), or write the table as Parquet"


def character_column(text: bytes, at: int) -> int:
    """The 1-based column, in characters as every other problem's, of the byte ``at`` of ``text``, the first byte that
    is not UTF-8: counted from the line's start (after a line feed, or a carriage return where the text has no line
    feed before ``at``) and after a byte-order mark. A row of 'Zoë' and 'café' placed its bad byte two columns late."""
    mark = 3 if text.startswith(b"\xef\xbb\xbf") else 0
    end = b"\r" if b"\r" in text[:at] and b"\n" not in text[:at] else b"\n"
    start = max(text.rfind(end, 0, at) + 1, mark)
    return len(text[start:at].decode("utf-8", errors="replace")) + 1


def not_utf8_problem(name: str, line: int, col: int, head: bytes, at: int, words: str = "UTF-8 text") -> Problem:
    """The error for a file whose start is not UTF-8 (``head``: its first bytes; ``at``: the first bad
    one): what the file is instead when its first bytes say so (:func:`what_it_is`), else the byte, with
    the lines that convert it and the option that reads it as it is (``--data-encoding``)."""
    from ...sniff import as_windows_1252
    from ..encoding import read_as_hint

    hint = convert_hint(name)
    which = as_windows_1252(head[at])
    code = "windows-1252"
    if b"\r" in head[:at] and b"\n" not in head[:at]:
        # lines ended by a carriage return alone, as Excel for Mac saves 'CSV (Macintosh)', in Mac Roman: the place is
        # counted in those lines (there is no line feed), and cp1252 would make its 'ö' (0x9a) an 'š'
        line = head.count(b"\r", 0, at) + 1
        col = character_column(head, at)
        hint = hint.replace("a Windows or Latin-1 file converts with", "a file saved by Excel for Mac as 'CSV (Macintosh)'"
                            " (its lines end in a carriage return alone) is Mac Roman text, and converts with").replace(
            _ICONV_1252, "iconv -f MACINTOSH -t UTF-8")
        which = as_windows_1252(head[at], "mac_roman")
        code = "mac-roman"
    return what_it_is(name, head, words) or Problem(
        Span(name, line, col), "encoding", f"the file is not {words} (byte 0x{head[at]:02x}{which})", hint + read_as_hint(code))


def what_it_is(name: str, head: bytes, words: str = "UTF-8 text") -> Problem | None:
    """The error for a file whose first bytes (``head``) say it is something else than text, with its fix:
    a workbook, a gzip or Parquet file named otherwise, UTF-16 or UTF-32, an image, a database, a
    program; else None. ``head`` of a ``.gz`` file is what it holds: a gzip or a Parquet file in it is
    told so, with a fix that decompresses it. Such a start can be valid UTF-8 (an SQLite database,
    whose header was read as columns '\\x00...')."""
    from ...sniff import binary_kind

    if name.lower().endswith(".gz"):
        suffixes = "".join(PurePath(name).suffixes[-2:])  # log.csv.gz: .csv.gz
        for start, what, hint in _INSIDE_GZIP:
            if head.startswith(start):
                return Problem(Span(name, 1, 1), "encoding", f"the file is not {words}: {what}", hint.replace("SUFFIXES", suffixes))
    if head[257:262] == b"ustar":  # POSIX and GNU tar write their magic at 257: was 'a binary file (it holds NUL bytes)'
        extract = "tar xzf" if name.lower().endswith((".gz", ".tgz")) else "tar xf"
        return Problem(Span(name, 1, 1), "encoding", f"the file is not {words}: it is a tar archive of files (as data feeds and"
                       " backups deliver them)", f"extract its files first ({extract} FILE), then read the one that holds the data")
    for start, what, hint in _BINARY_STARTS:
        if head.startswith(start):
            hint = AVRO_HINT if hint == "AVRO_HINT" else ORC_HINT if hint == "ORC_HINT" else hint
            return Problem(Span(name, 1, 1), "encoding", f"the file is not {words}: {what}", hint)
    if (wide := utf16_problem(name, head, words)) is not None:
        return wide
    if (kind := binary_kind(head[:64])) is not None:
        return Problem(Span(name, 1, 1), "encoding", f"the file is not {words}: it is {kind}", "export the data as CSV (UTF-8) instead")
    return None


_INSIDE_GZIP = (
    (b"\x1f\x8b", "it is gzip-compressed twice (a gzip file inside another)",
     "decompress it once: gzip -dc FILESUFFIXES > NEWSUFFIXES"),
    (b"PAR1", "it is a gzip-compressed Parquet file, which is read uncompressed (Parquet compresses its own pages)",
     "decompress it: gzip -dc FILE.gz > NEW.parquet"),
)
"""What a ``.gz`` file holds, by its first four bytes, that is read neither as text nor as it is."""


def convert_hint(name: str) -> str:
    """How to make UTF-8 of a file in a one-byte code page (Excel's 'CSV' on Windows: cp1252)."""
    if name.lower().endswith(".gz"):
        return f"{_SAVE_AS_UTF8}; a Windows or Latin-1 file converts with gzip -dc FILE.gz | {_ICONV_1252} > NEW"
    return f"{_SAVE_AS_UTF8}; a Windows or Latin-1 file converts with {_ICONV_1252} FILE > NEW"


_ICONV_1252 = "iconv -f WINDOWS-1252 -t UTF-8"


def utf16_problem(name: str, head: bytes, words: str = "UTF-8 text") -> Problem | None:
    """The error for a file whose first bytes are UTF-16 or UTF-32 without a byte-order mark
    (:func:`journeymap.sniff.utf16_without_bom`, :func:`~journeymap.sniff.utf32_without_bom`), as for
    one with the mark; None for another file.
    Its NULs are valid UTF-8: read as text, its header was columns such as '\\x00t\\x00o...'."""
    from ...sniff import utf16_without_bom, utf32_without_bom

    if (wide := utf32_without_bom(head)) is not None:  # before UTF-16: it has NULs in every other byte too
        return Problem(Span(name, 1, 1), "encoding", f"the file is not {words}: it is UTF-32 text",
                       f"save it as UTF-8: iconv -f {wide.upper().replace('-LE', 'LE').replace('-BE', 'BE')} -t UTF-8 FILE > NEW converts it")
    if (wide := utf16_without_bom(head)) is None:
        return None
    return Problem(Span(name, 1, 1), "encoding", f"the file is not {words}: it is UTF-16 text",
                   f"{_SAVE_AS_UTF8}, or convert it: iconv -f {wide.upper().replace('-LE', 'LE').replace('-BE', 'BE')} -t UTF-8 FILE > NEW")


def utf16_bom(raw: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when a file starts with UTF-16's byte-order mark (not UTF-32's), as Excel's
    'Unicode Text' and the 'Excel-compatible' exports of survey tools write it; else None."""
    if raw.startswith(b"\xff\xfe") and not raw.startswith(b"\xff\xfe\x00\x00"):
        return "utf-16-le"
    if raw.startswith(b"\xfe\xff"):
        return "utf-16-be"
    return None


def utf16_padding(tail: bytes, offset: int = 0) -> int | None:
    """Where the NULs and DOS end-of-file marks (0x1A) after the last row of a UTF-16 file start, in bytes after its
    byte-order mark, or None: ``tail`` holds the file's last bytes after the mark, from ``offset``. The run is looked
    for byte by byte (copy /b adds one 0x1A byte, an odd one for UTF-16) and starts after the last whole character
    (a line feed's NUL half, '\\n\\x00' in little-endian, is no padding)."""
    kept = tail.rstrip(b"\x00\x1a")
    if len(kept) == len(tail):
        return None
    start = offset + len(kept)
    start += start % 2
    if offset + len(tail) - start == 1 and tail.endswith(b"\x00"):
        return None  # one NUL byte alone: a big-endian character cut in half (told as such), more likely than padding
    return start if start < offset + len(tail) else None


def utf16_error(name: str, data: bytes, codec: str, exc: UnicodeDecodeError) -> Problem:
    """The error for a file whose byte-order mark says UTF-16 (``data``: the bytes after it) with bytes that are not
    (a lone surrogate, an odd byte at the end), at the character where they are."""
    before = data[: exc.start - exc.start % 2].decode(codec, errors="replace")
    line = len(re.findall(r"\r\n|\r|\n", before)) + 1
    col = len(before) - max(before.rfind("\n"), before.rfind("\r"))
    return Problem(Span(name, line, col), "encoding",
                   f"the file is UTF-16 text (its byte-order mark says so), but its bytes here are not ({exc.reason}); it is not read",
                   f"{_SAVE_AS_UTF8}: export it again")


def no_rows(name: str, line: int | None = 1) -> Problem:
    """The warning for a log with no rows: a text file's header line, or (``line`` None) a Parquet file's columns."""
    if line is None:
        return Problem(Span(name), "no-rows", "the event log has columns but no rows", level="warning")
    return Problem(Span(name, line, 1), "no-rows", "the event log has a header but no rows", level="warning")


def empty_file(name: str) -> Problem:
    return Problem(Span(name, 1, 1), "empty", "the file is empty", "the first line names the columns")


def nul_file(name: str, whole: bool, instead: str = "text", what: str = "log") -> Problem:
    """The error for a file of NUL bytes (zeros) only, or (not ``whole``) whose first 64 KiB are: what a
    copy or a write that never finished leaves (a crash, a full disk, a download cut off), not text.
    ``what``: the file as the hint names it ('log', 'file')."""
    where = "" if whole else " (its first 64 KiB at least)"
    return Problem(Span(name, 1, 1), "encoding",
                   f"the file is NUL bytes (zeros) only{where}, not {instead}: a write or a copy that never finished leaves such a file",
                   f"copy or export the {what} again")


def json_array(name: str) -> Problem:
    return _not_json_lines(name, "one JSON array", "'.[]'")


def pretty_json(name: str, wrapped: str | None = None) -> Problem:
    """The error for pretty-printed JSON (``jq .``, ``json.dump(indent=2)``): objects over many lines. ``wrapped``:
    the key of the list of objects an API's answer holds its events in (:func:`wrapped_hint`)."""
    if wrapped is not None:
        return Problem(Span(name, 1, 1), "json", "the file is pretty-printed JSON, an API's answer whose objects are in its list"
                       f" '{shown(wrapped)}', not JSON lines (one object a line), so none of its rows are read", wrapped_hint(wrapped))
    return _not_json_lines(name, "pretty-printed JSON", ".")


def wrapped_hint(key: str) -> str:
    """How to write the objects of the list ``key`` of an API's answer (Zendesk's ``ticket_events``, HubSpot's
    ``results``, Stripe's ``data``) one a line: ``jq -c .`` kept them inside the answer."""
    path = f".{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else f".[{json.dumps(key)}]"
    return f"write the objects one a line: jq -c {shlex.quote(path + '[]')} FILE > NEW.jsonl"


def cr_json_lines(name: str) -> Problem:
    """The error for JSON lines whose lines end at a lone carriage return (CR, as classic Mac OS ended
    them): JSON lines end at LF (or CRLF), so the file was one line that is no object."""
    return Problem(
        Span(name, 1, 1), "json",
        "the file's lines end at a lone carriage return (CR, as classic Mac OS ended them), not at a line feed (LF),"
        " which ends a JSON line, so none of its rows are read",
        "end its lines with LF: tr '\\r' '\\n' < FILE > NEW.jsonl converts it",
    )


def _not_json_lines(name: str, what: str, jq_filter: str) -> Problem:
    return Problem(
        Span(name, 1, 1), "json", f"the file is {what}, not JSON lines (one object a line), so none of its rows are read",
        f"write one object a line: jq -c {jq_filter} events.json > events.jsonl converts it",
    )


def html_file(name: str) -> Problem:
    """The error for an HTML page given as a data file: a download that returned a web page (a sign-in page), or a
    report saved as one. It was 'no columns customer, timestamp, touchpoint (its header: <html><head>...)'."""
    return Problem(
        Span(name, 1, 1), "format", "the file is an HTML page, not CSV, Parquet or JSON lines, so none of it is read",
        "a download that returned a web page (a sign-in page, when a session expired?), or a report saved as a web page"
        " (Salesforce's 'Formatted Report' .xls is one): export the log as CSV",
    )


_PAGE_START = re.compile(r"[\ufeff \t\r\n]*(?:(<!doctype html|<html)|<\?xml|(\{\\rtf))", re.IGNORECASE)


def page_instead(name: str, text: str, what: str) -> Problem | None:
    """The error for a web page, an XML document or rich text saved under a table's name (``text``: the file's text;
    ``what``: 'answers' or 'table', as the hint names them), at where it starts: a download whose session had expired
    saves the sign-in page, a storage bucket its XML error, Excel its 'XML Spreadsheet 2003', TextEdit a CSV it opened
    as RTF. Read as CSV, its first line was a header of one column, '<!DOCTYPE html>', told as a missing column and an
    unknown one; else None."""
    start = _PAGE_START.match(text)
    if start is None:
        return None
    at = start.start(1) if start.group(1) else start.start(2) if start.group(2) else start.end() - 5
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1 - (line == 1 and text.startswith("\ufeff"))
    if start.group(1):
        return Problem(Span(name, line, col), "format", "the file is an HTML page, not CSV or Parquet, so none of it is read",
                       "a download that returned a web page (a sign-in page, when a session expired?), or a report saved as"
                       f" a web page: export the {what} as CSV")
    if start.group(2):  # TextEdit's rich text, a CSV opened in it and saved without 'Make Plain Text'
        return Problem(Span(name, line, col), "format", "the file is rich text (RTF), as TextEdit saves a file it has not made"
                       " plain text, not CSV or Parquet, so none of it is read", "in TextEdit, choose Format > Make Plain Text"
                       f" and save it again (or export the {what} as CSV again)")
    if re.search(r"<\?mso-application progid=\"Excel\.Sheet\"|<(?:ss:)?Workbook\b", text):
        return Problem(Span(name, line, col), "format", "the file is Excel's XML Spreadsheet 2003, not CSV or Parquet, so none"
                       " of it is read", "in Excel, save it as 'CSV UTF-8'")
    return Problem(Span(name, line, col), "format", "the file is XML, not CSV or Parquet, so none of it is read",
                   "a download that returned an error (an expired link, a denied access?), or a report saved as XML: export"
                   f" the {what} as CSV")


def xml_file(name: str) -> Problem:
    """The error for an XML file (process mining's XES) given as an event log."""
    return Problem(
        Span(name, 1, 1), "xml",
        "the file is XML (an XES event log?), not CSV, Parquet or JSON lines, so none of it is read",
        "convert it: python -c \"import pm4py; pm4py.convert_to_dataframe(pm4py.read_xes('log.xes'))"
        ".to_csv('log.csv', index=False)\" and read log.csv with --events-column customer=case:concept:name"
        " --events-column touchpoint=concept:name --events-column timestamp=time:timestamp",
    )


def misnamed_file(name: str, what: str, suffix: str) -> Problem:
    """The error for an event log whose name says one format and whose first line another."""
    return Problem(
        Span(name, 1, 1), "format", f"the file is {what}, but its name says otherwise, so none of it is read",
        f"name it {suffix} (or {suffix}.gz when compressed) to have it read as such",
    )


def truncated_gzip(name: str) -> Problem:
    return Problem(
        Span(name), "gzip", "the gzip file is cut short or damaged, so none of its rows are read",
        "copy or download the file again (gzip -t checks it)",
    )


def after_the_gzip(name: str, line: int, column: int, ended: bool, size: int, zeros: bool, at: int) -> Problem:
    """The problem with the ``size`` bytes after a gzip file's members, from its byte ``at`` on, placed at the ``line``
    and ``column`` where the text they hold ends (``ended``: after a line break): zeros (a copy or a disk that
    stopped part-way) are a warning, other bytes (a file or a page appended) an error; the text is read either way."""
    after = f"after line {line - 1}" if ended else f"at the end of line {line}"
    count = f"{size:,} byte{'s' * (size != 1)}"
    keep = f"nothing of the text is lost; head -c {at} FILE > NEW.gz writes the compressed data alone"
    if zeros:
        return Problem(Span(name, line, column), "padding",
                       f"the file ends with {count} that are zeros (NULs) after its gzip-compressed data, {after} of its"
                       " text, as a copy or a disk that stopped part-way leaves: they are no rows and are ignored",
                       keep, level="warning")
    return Problem(Span(name, line, column), "gzip",
                   f"the file goes on for {count} after its gzip-compressed data ends (at byte {at:,}, {after} of its text),"
                   " bytes that are not gzip: another file joined to it, or a page or a log appended? They are not read;"
                   " the rows before them are", f"{keep} (gzip -t FILE names them 'trailing garbage')")


def type_name(kind: str) -> str:
    """A column type as every engine names it in messages: DuckDB's BLOB, pyarrow's binary and
    Spark's binary are BINARY; a map, struct or list is MAP, STRUCT or LIST, without its fields."""
    k = kind.strip().lower()
    if k in ("blob", "bytea") or k.startswith(("binary", "large_binary", "fixed_size_binary")):
        return "BINARY"
    if k in ("bool", "boolean"):
        return "BOOLEAN"
    for prefix, name in (("map", "MAP"), ("struct", "STRUCT"), ("list", "LIST"), ("large_list", "LIST"),
                         ("fixed_size_list", "LIST"), ("array", "LIST")):
        if k.startswith(prefix):
            return name
    return "LIST" if k.endswith("[]") else kind.upper()


_NESTED_PICK = {"STRUCT": ("{c}.FIELD", "its field"), "LIST": ("{c}[1]", "one of its items"), "MAP": ("{c}['KEY']", "one of its keys")}


def _nested_hint(column: str, kind: str) -> str | None:
    """How to make a nested column (STRUCT, LIST, MAP) one value a row: DuckDB's one statement; None for others."""
    if kind not in _NESTED_PICK:
        return None
    pick, what = _NESTED_PICK[kind]
    return (f"a {column} is one text or number a row: write {what} as the column, e.g. with DuckDB:"
            f" COPY (SELECT * REPLACE ({pick.format(c=column)} AS {column}) FROM 'FILE') TO 'flat.parquet'")


def column_type(name: str, column: str, kind: str) -> Problem:
    """The error for a typed column (Parquet, JSON) whose type journeymap cannot read."""
    kind = type_name(kind)
    if column == "timestamp":
        return Problem(Span(name, 1, 1), "column-type", f"column 'timestamp' holds {kind} values",
                       "write ISO 8601 text, a timestamp type or seconds since 1970")
    hint = ("bytes without a text type (older Spark, Hive and Impala write strings so): write the column as UTF-8 text"
            " (pyarrow: pa.string(); Spark: cast it to string)") if kind == "BINARY" else _nested_hint(column, kind)
    return Problem(Span(name, 1, 1), "column-type", f"column '{column}' holds {kind} values, not text or numbers", hint)
