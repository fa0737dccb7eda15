"""Event-log rows: the columns, what a good row is, and one problem per kind of bad row.

Every engine applies the same rules, so every engine finds the same bad rows:

- ``customer``, ``timestamp`` and ``touchpoint`` must not be empty;
- ``timestamp`` is ISO 8601 (``2026-09-14T08:31:00Z``, ``2026-09-14 08:31``,
  ``2026-09-14``, fractions of a second, ``Z`` or ``+02:00``; no zone means
  UTC) or seconds since 1970 (``1789374660``);
- ``outcome``, when present and not empty, is ``success`` or ``failure`` (any case).

A bad row is left out of the aggregates and reported: one problem per kind
(column and code) with its count, the first row's place as the problem's
position and the next few places in the message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from ...problems import Problem, Span

REQUIRED = ("customer", "timestamp", "touchpoint")
OPTIONAL = ("outcome", "segment", "persona")
SHOWN_POSITIONS = 5
"""Places listed for a problem that repeats over many rows."""

NUMBER_PATTERN = r"^[-+]?[0-9]+(\.[0-9]+)?$"
ISO_PATTERN = (
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"([T ]([0-9]{2}):([0-9]{2})(:([0-9]{2})(\.([0-9]{1,6}))?)?)?"
    r"(Z|([+-])([0-9]{2}):?([0-9]{2}))?$"
)
_NUMBER = re.compile(NUMBER_PATTERN)
_ISO = re.compile(ISO_PATTERN)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

TIMESTAMP_HINT = "write ISO 8601 (2026-09-14T08:31:00Z) or seconds since 1970"


def parse_timestamp(text: str) -> float | None:
    """Seconds since 1970 (UTC) for an ISO 8601 timestamp or a number; None if unreadable.

    >>> parse_timestamp("2026-09-14T08:31:00Z")
    1789374660.0
    """
    text = text.strip().upper()
    if _NUMBER.match(text):
        return float(text)
    match = _ISO.match(text)
    if match is None:
        return None
    year, month, day, _, hour, minute, _, second, _, fraction, zone, sign, zh, zm = match.groups()
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            int((fraction or "0").ljust(6, "0")), tzinfo=timezone.utc,
        )
    except ValueError:
        return None
    if sign:
        offset = timedelta(hours=int(zh), minutes=int(zm))
        moment = moment - offset if sign == "+" else moment + offset
    # Exact microseconds, then one rounding: what DuckDB and Spark compute too.
    return (moment - _EPOCH) // timedelta(microseconds=1) / 1_000_000


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

    def add(self, code: str, column: str, span: Span, value: str) -> None:
        key = (code, column)
        found = self.kinds.get(key)
        if found is None:
            found = self.kinds[key] = Found(code, column)
        found.add(span, value)

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
        return [
            _problem(file, self.kinds.get(key) or Found(*key), counts[key]) for key in keys if counts[key]
        ]


_MESSAGES = {
    "missing-value": lambda column, value: f"the {column} is empty",
    "invalid-timestamp": lambda column, value: f"'{shown(value)}' is not a timestamp",
    "invalid-outcome": lambda column, value: f"outcome '{shown(value)}' is neither success nor failure",
}
_HINTS = {
    "invalid-timestamp": TIMESTAMP_HINT,
    "invalid-outcome": "leave the outcome empty, or write success or failure",
}


def _problem(file: str, found: Found, count: int) -> Problem:
    first = found.places[0] if found.places else Span(file)
    message = _MESSAGES[found.code](found.column, found.values[0] if found.values else "")
    if count > 1:
        rest = [f"{p.line}" for p in found.places[1:]]
        where = f": line{'s' * (len(rest) > 1)} {', '.join(rest)}" if rest else ""
        more = ", ..." if count > len(found.places) and rest else ""
        message += f" (and {count - 1:,} more row{'s' * (count > 2)}{where}{more}; those rows are left out)"
    else:
        message += " (the row is left out)"
    return Problem(first, found.code, message, _HINTS.get(found.code))


def check_cells(
    cells: dict[str, str], span_of: dict[str, Span], bad: BadRows
) -> tuple[str, float, str, str, str] | None:
    """The event of one row (customer, seconds, touchpoint, outcome, segment), or None if bad.

    ``cells`` holds the segment under ``segment`` whichever column it came from.
    """
    ok = True
    customer = cells.get("customer", "").strip()
    touchpoint = cells.get("touchpoint", "").strip()
    raw_time = cells.get("timestamp", "").strip()
    outcome = cells.get("outcome", "").strip().lower()
    if not customer:
        bad.add("missing-value", "customer", span_of["customer"], "")
        ok = False
    seconds = None
    if not raw_time:
        bad.add("missing-value", "timestamp", span_of["timestamp"], "")
        ok = False
    else:
        seconds = parse_timestamp(raw_time)
        if seconds is None:
            bad.add("invalid-timestamp", "timestamp", span_of["timestamp"], raw_time)
            ok = False
    if not touchpoint:
        bad.add("missing-value", "touchpoint", span_of["touchpoint"], "")
        ok = False
    if outcome and outcome not in ("success", "failure"):
        bad.add("invalid-outcome", "outcome", span_of["outcome"], cells.get("outcome", "").strip())
        ok = False
    if not ok or seconds is None:
        return None
    segment = cells.get("segment", "").strip()
    return customer, seconds, touchpoint, outcome, segment


def segment_column(header: Iterable[str]) -> str | None:
    """The column holding the customer's segment: ``segment``, else ``persona``."""
    names = set(header)
    return "segment" if "segment" in names else "persona" if "persona" in names else None
