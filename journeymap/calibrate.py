"""Observed figures -> edits of the journey file (``journeymap calibrate``).

An event log (and metrics tables, survey responses) says what customers
actually did; :func:`calibrate` writes it into the journey file through the
formatter's splice engine (:class:`journeymap.fmt.Editor`): every comment,
anchor and line the figures do not touch stays byte for byte, the result is
read back and must mean the original plus the new figures, and it must load
without errors. It returns the new text and what changed and what was flagged;
writing the file is the caller's, through :func:`journeymap.fmt.edit_file` (the
one write path: content-hash check, validation, atomic write).

What is written, and how:

- **Flow shares.** A touchpoint's flows are calibrated together: each declared
  flow gets ``share: customers who took it / visits to the touchpoint``,
  rounded to 3 decimals by largest remainder, so the shares never add up to
  more than the observed total (at most 1); what is missing to 1 is the share
  who left there (or went somewhere the journey does not declare). A
  short-form flow (``- verify-email``) becomes ``- to: verify-email`` with a
  ``share:`` under it. A declared flow nobody took is flagged and kept, with
  ``share: 0``; it is never removed.
- **Flow times.** When the engine measured them, ``time: {median, p90, n}``
  on the flow (durations such as ``4m12s``); ``n`` is the flow's customers,
  as for its share's --min-customers: at most the times it was taken and the
  customers of each of its ends (a loop taken twice is not twice the customers).
- **Touchpoint metrics.** ``volume`` (customers who visited, per the journey's
  period: the log's count scaled by the days its customers started over; not
  written from a log of under a week, or one with a customer who starts before 1973 or after
  2100, dates that stand for "no date"), ``drop_off``
  (share of the visits after which the customer's journey ended there without
  success, n = the visits: per visit, as the flow shares; rounded to 3 decimals,
  and never more than what the shares written for its flows leave to 1) from the log,
  and every metric of a metrics table or survey responses, as
  ``{value, n, period, source}``; a ``target`` already there stays.
- **Not written, but reported:** a figure from fewer than ``min_customers``
  customers (answers, for a survey metric); a flow the journey does not declare
  (added, with its share, only with ``add_flows`` and when frequent enough);
  customers starting at a touchpoint that is not an entry; and any place that
  cannot be edited on its own: reached through an alias, inside an anchored
  part other places may use, or a new key that would hide one a merge key
  (``<<``) brings in.
  Touchpoints are never defined in imported library files, so nothing is ever
  written into a library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import JourneyError, Problem, Span

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .data import MetricData, ObservedFlow, Paths
    from .data.engines import EngineOptions
    from .metrics import MetricSpec
    from .model import Journey, Touchpoint

__all__ = ["Calibration", "Change", "calibrate", "calibrate_text", "DEFAULT_MIN_CUSTOMERS", "SHARE_DECIMALS"]

#: Figures from fewer customers than this are reported, not written.
DEFAULT_MIN_CUSTOMERS = 30
#: Shares are written with this many decimals.
SHARE_DECIMALS = 3
#: Days in each period a journey's volumes are per (``value.period``; month without a value model).
PERIOD_DAYS = {"week": 7.0, "month": 365.25 / 12, "quarter": 365.25 / 4, "year": 365.25}
#: A log whose customers started over fewer days than this gives no volume per period: the span is
#: counted in whole UTC days, so two hours across midnight were "2 days" (x15 to a month) and the same
#: two hours at noon one day (no volume); over a week, a day more or less is at most a seventh.
MIN_SPAN_DAYS = 7


@dataclass(frozen=True)
class Change:
    """One figure written into the journey file."""

    touchpoint: str
    what: str
    """``share -> verify-email``, ``time -> verify-email``, ``new flow -> help``, or a metric name."""
    old: str | None
    new: str


@dataclass
class Calibration:
    """The journey text with the observed figures written in, and what changed and what was flagged."""

    name: str
    original: str
    text: str
    changes: list[Change] = field(default_factory=list)
    flags: list[Problem] = field(default_factory=list)
    """What was not written, or looks wrong: warnings with the place in the journey file."""
    notes: list[str] = field(default_factory=list)
    """How figures were derived, for the summary (the span of the log the volumes were scaled by)."""

    @property
    def changed(self) -> bool:
        return self.text != self.original


RARE_LISTED = 5
"""Undeclared flows named in the one warning for a touchpoint's rare ones (fewer than --min-customers)."""

def calibrate(
    path: str | Path,
    *,
    events: Paths = None,
    metrics: Paths = None,
    responses: Paths = None,
    add_flows: bool = False,
    min_customers: int = DEFAULT_MIN_CUSTOMERS,
    data: MetricData | None = None,
    engine: str | None = None,
    event_options: EngineOptions | None = None,
) -> tuple[Calibration, list[Problem]]:
    """Calibrate the journey file at ``path`` from data files; returns the result and the data problems.

    Raises :class:`JourneyError` when the journey has errors (nothing to calibrate
    safely) or the data files have errors (a figure from a half-read file is not
    written into a journey). ``data`` is metric data read already (by an engine);
    then the paths are not read again. ``engine`` reads them (None: DuckDB when installed);
    ``event_options`` go to it (e.g. the log's column names).

    >>> result, _ = calibrate("shop.journey.yaml", events="events.csv")   # doctest: +SKIP
    >>> [c.what for c in result.changes]                                  # doctest: +SKIP
    ['share -> pay', 'volume']
    """
    from .data import load_metric_data
    from .files import read_bytes
    from .loader import check, display_name
    from .sniff import detect_encoding, encoding_name
    from .yamlio import decode

    path = Path(path)
    name = display_name(path)
    result = check(path, to_fill=True)  # 'share:' left empty for calibrate to fill is no error here
    if result.journey is None or result.errors:
        if result.is_library and not result.errors:
            raise JourneyError([Problem(Span(name), "not-a-journey", "this is a library file, not a journey: nothing to calibrate")])
        raise JourneyError(result.problems)
    raw = read_bytes(path)
    codec = detect_encoding(raw)
    if not codec.startswith("utf-8"):
        # the one write path writes UTF-8: a UTF-16 file was calibrated, then refused at the write
        # ('the file is not UTF-8 text' and '... would not load'), and its diff was of another file
        raise JourneyError([Problem(
            Span(name), "encoding", f"calibrate writes journey files in UTF-8, and this one is {encoding_name(codec)}",
            "save it as UTF-8 (journeymap fmt does, and lays it out), then calibrate it",
        )])
    text, problems = decode(raw, name)
    if text is None:
        raise JourneyError(problems)
    written = text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # The file's own line ends and byte-order mark come back in the result: only the figures change.
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    journey = result.journey
    if data is None:
        data = load_metric_data(journey, metrics=metrics, responses=responses, events=events, engine=engine,
                                event_options=event_options)
    if data.errors:
        raise JourneyError(data.problems)
    logs = ", ".join(Path(p).name for p in _as_list(events)) or None
    calibration = calibrate_text(
        text, journey, data, name=name, base=path.parent, add_flows=add_flows, min_customers=min_customers, source=logs
    )
    if written != text or bom:
        calibration.text = bom + _with_line_ends(written, text, calibration.text)
        calibration.original = bom + written
    return calibration, data.problems


def _with_line_ends(written: str, before: str, after: str) -> str:
    """``after`` (``before`` calibrated, both with LF line ends) with the line ends of ``written`` (``before``
    as the file has it): a file of CR LF or of CR alone keeps its kind; in one of several kinds (edited on
    two systems) a line of the file keeps its own end and a new line takes the end of the line above it.
    (Every line of a CR-only file, and every CR LF line of a mixed one, came back as LF.)"""
    import difflib
    import re

    ends = re.findall(r"\r\n|\r|\n", written)
    kinds = set(ends)
    if not kinds or kinds == {"\n"}:
        return after
    if len(kinds) == 1:
        return after.replace("\n", ends[0])

    def end(i: int) -> str:
        return ends[min(max(i, 0), len(ends) - 1)]

    old, new = before.split("\n"), after.split("\n")
    new_ends: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        for k in range(j2 - j1):
            new_ends.append(end(i1 + k) if tag == "equal" else end(min(i1 + k, i2 - 1)) if i2 > i1 else end(i1 - 1))
    return "".join(line + line_end for line, line_end in zip(new[:-1], new_ends, strict=False)) + new[-1]


def _as_list(value: Paths) -> list[str | Path]:
    from .data import as_paths

    return list(as_paths(value))


def calibrate_text(
    text: str,
    journey: Journey,
    data: MetricData,
    *,
    name: str = "<string>",
    base: Path | None = None,
    add_flows: bool = False,
    min_customers: int = DEFAULT_MIN_CUSTOMERS,
    source: str | None = None,
) -> Calibration:
    """Write the figures of ``data`` into ``text`` (the file ``journey`` was loaded from). See the module.

    ``source`` names the event logs in the ``source:`` of the figures they gave
    (default: the file names the engine reported).
    """
    from .fmt import Editor
    from .metrics import catalogue

    editor = Editor(text, filename=name)
    out = Calibration(name, text, text)
    specs = catalogue(journey.metrics)
    written_shares: dict[tuple[str, str], float] = {}
    tied = _tied(journey, data)
    if tied:
        out.flags.append(_tied_flag(journey, tied, name))
    if data.events is not None:
        _calibrate_flows(editor, journey, data, out, add_flows, min_customers, written_shares, frozenset(tied))
        _flag_entries(journey, data, out, min_customers, frozenset(tied))
    _calibrate_metrics(editor, journey, data, specs, out, min_customers, source, written_shares, frozenset(tied))
    out.text = editor.result()
    if out.changed:
        _check_result(out, journey, base, written_shares)
    out.flags.sort(key=lambda p: p.sort_key())
    return out


# -- flows ---------------------------------------------------------------------


def _visits(flows: list[ObservedFlow], visitors: int) -> int:
    """Visits to a touchpoint: a flow's count over its share (the share's denominator), else its visitors in the log
    (without a flow from it each visit was a customer's last: one a customer). Not its ``volume``, which a metrics
    table gives over the log's ('48,000 visits' of a touchpoint 40 customers of the log visited)."""
    for flow in flows:
        if flow.share > 0:
            return round(flow.count / flow.share)
    return visitors


def _taken(times: int, customers: int) -> str:
    """How many customers took a flow: ``times`` when each could have taken it once, else at most ``customers``."""
    if customers >= times:
        return f"{times:,} customers"
    return f"taken {times:,} times by at most {customers:,} customer{'s' * (customers != 1)}"


def _customers(data: MetricData, touchpoint: str, otherwise: int) -> int:
    """The customers who visited a touchpoint, as the event log counts them, else ``otherwise``
    (not the volume the data gives: a metrics table's volume wins over the log's there)."""
    if data.events is not None and touchpoint in data.events.visitors:
        return data.events.visitors[touchpoint]
    return otherwise


def round_shares(counts: list[int], visits: int, decimals: int = SHARE_DECIMALS) -> list[float]:
    """``counts / visits`` rounded to ``decimals`` so that their sum is the rounded sum, never more than 1.

    >>> round_shares([1, 1, 1], 3)
    [0.334, 0.333, 0.333]
    """
    if visits <= 0:
        return [0.0] * len(counts)
    unit = 10**decimals
    exact = [c * unit / visits for c in counts]
    total = min(unit, round(sum(counts) * unit / visits))
    floors = [math.floor(x) for x in exact]
    missing = total - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: max(missing, 0)]:
        floors[i] += 1
    return [f / unit for f in floors]


def _tied(journey: Journey, data: MetricData) -> dict[str, tuple[int, int]]:
    """The touchpoints (not outcomes) whose steps in or out tie with the step before in more than 1 in 20 (the log's
    same-moment warning's threshold), with those ties and steps, in the journey's order: the tie rule (touchpoint ids)
    ordered those steps, not the customers, so their shares, times and drop-off would be its guess. A self-loop's
    steps are not counted (one touchpoint has no order to guess)."""
    from .data.events import TIES_TOLD

    if data.events is None:
        return {}
    counts: dict[str, list[int]] = {}
    for flow in data.events.flows:
        if flow.source != flow.target:
            for end in (flow.source, flow.target):
                tally = counts.setdefault(end, [0, 0])
                tally[0] += flow.ties
                tally[1] += flow.count
    return {t.id: (ties, steps) for t in journey.touchpoints if not t.outcome and t.id in counts
            for ties, steps in [counts[t.id]] if ties > TIES_TOLD * steps}


def _tied_flag(journey: Journey, tied: dict[str, tuple[int, int]], name: str) -> Problem:
    """The one warning for the touchpoints :func:`_tied` holds back."""
    count = len(tied)
    listed = ", ".join(f"'{tp}' ({ties:,} of {steps:,} steps)" for tp, (ties, steps) in list(tied.items())[:UNVISITED_LISTED])
    more = f" and {count - UNVISITED_LISTED:,} more" if count > UNVISITED_LISTED else ""
    return Problem(
        journey.span("touchpoints", next(iter(tied))) or Span(name),
        "same-moment",
        f"shares, times and drop-off of {count:,} touchpoint{'s' * (count != 1)} not written: more than 1 in 20 of"
        f" {'their' if count != 1 else 'its'} steps in or out happen at the same moment as the step before, so their order"
        f" is the tie rule's (touchpoint ids), not the customers': {listed}{more}",
        "give timestamps with the time of day (a log of dates only ties every step of a day)",
        level="warning",
    )


def _no_date_steps(here: Span, source: str, target: str, seen: ObservedFlow) -> Problem:
    """Why a flow's time is not written: some of its steps take 50 years or more, to or from a date that stands for
    "no date" (9999-12-31, 0), and its p90 (or median) was written as thousands of years (``p90: 2912346d13h``)."""
    return Problem(
        here, "far-timestamp",
        f"time from '{source}' to '{target}' not written: {seen.long:,} of its {seen.count:,} step{'s' * (seen.count != 1)}"
        f" take{'s' * (seen.long == 1)} 50 years or more, to or from a date that stands for 'no date' (9999-12-31, or 0"
        " for 1970-01-01)",
        "leave the rows dated so out of the log (or empty their timestamps), then calibrate again",
        level="warning",
    )


def _not_found(step: object) -> str:
    """Why an edit found no place, in the file's words: a flow item is named by its ``to`` (it printed the
    selector, ``'('to', 'b')'``); one written as an alias of an item elsewhere (``- *flow``) is not there."""
    what = f"the item '{step[0]}: {step[1]}'" if isinstance(step, tuple) and len(step) == 2 else f"'{step}'"
    return f"{what} was not found where it was expected (an alias, *name, of an item written elsewhere is not edited)"


def _share_text(share: float | None) -> str | None:
    return None if share is None else f"{share:.{SHARE_DECIMALS}f}".rstrip("0").rstrip(".")


def _calibrate_flows(
    editor: object,
    journey: Journey,
    data: MetricData,
    out: Calibration,
    add_flows: bool,
    min_customers: int,
    written: dict[tuple[str, str], float],
    tied: frozenset[str] = frozenset(),
) -> None:
    from .fmt import Editor, Inline, NotEditable
    from .graph import resolve_shares
    from .metrics import format_duration

    assert isinstance(editor, Editor) and data.events is not None
    unvisited: list[str] = []  # touchpoints with flows nobody in the log visited: one warning for all
    by_source: dict[str, list[ObservedFlow]] = {}
    for seen_flow in data.events.flows:
        by_source.setdefault(seen_flow.source, []).append(seen_flow)
    for tp in journey.touchpoints:
        observed = {f.target: f for f in by_source.get(tp.id, [])}
        declared = [f.to for f in tp.next]
        if not declared and not observed or tp.id in tied:  # tied: its steps' order is the tie rule's (_tied_flag)
            continue
        here = journey.span("touchpoints", tp.id) or Span(out.name)
        volume = data.get(tp.id, "volume")  # the log's, where an engine's summary counts no visitors
        visitors = data.events.visitors.get(tp.id, int(volume.value) if volume and volume.how == "events" else 0)
        visits = _visits(list(observed.values()), visitors)
        # --min-customers counts customers, not steps: one customer looping 4,000 times between two
        # touchpoints (a bot, a test account) wrote a share and a time measured on that customer alone.
        # A touchpoint's customers are its visitors; a flow's are at most those of both its ends.
        customers = _customers(data, tp.id, visits)
        took = {b: min(f.count, customers, _customers(data, b, f.count)) for b, f in observed.items()}

        extra = [b for b in observed if b not in declared]
        frequent = [b for b in extra if took[b] >= min_customers]
        # a flow to a touchpoint the journey does not have (an ad-hoc one in the log) cannot be added
        known = journey.touchpoint_by_id
        added = [b for b in frequent if add_flows and not tp.outcome and b in known] if customers >= min_customers else []
        # one warning for a touchpoint's rare ones (a log of a few thousand customers has hundreds),
        # and for all of an outcome's
        rare = sorted((b for b in extra if tp.outcome or took[b] < min_customers),
                      key=lambda b: (-observed[b].count, b))
        reason = (f"'{tp.id}' is an outcome, which has no next: not added" if tp.outcome
                  else f"each fewer than {min_customers} customers: not added")
        if rare:
            listed = ", ".join(f"'{b}' ({observed[b].count:,})" for b in rare[:RARE_LISTED])
            more = f" and {len(rare) - RARE_LISTED:,} more" if len(rare) > RARE_LISTED else ""
            taken = sum(observed[b].count for b in rare)
            out.flags.append(
                Problem(
                    here,
                    "undeclared-flow",
                    f"customers went from '{tp.id}' to {len(rare):,} touchpoint{'s' * (len(rare) != 1)} the journey"
                    f" does not link it to, {taken:,} time{'s' * (taken != 1)} in all ({taken / visits if visits else 0:.1%}"
                    f" of its visits): {listed}{more}; {reason}",
                    level="warning",
                )
            )
        for b in extra:
            count = observed[b].count
            if b in added or b in rare:
                continue
            if customers < min_customers:
                why = f"'{tp.id}' has fewer than {min_customers} customers: not added"
            elif b not in known:
                why = f"'{b}' is not a touchpoint of the journey: not added (add the touchpoint first, then its flow)"
            else:
                why = "not added (calibrate --add-flows adds it)"
            out.flags.append(
                Problem(
                    here,
                    "undeclared-flow",
                    f"customers went from '{tp.id}' to '{b}' {count:,} time{'s' * (count != 1)}"
                    f" ({observed[b].share:.1%} of its visits), but the journey has no such flow; {why}",
                    level="warning",
                )
            )
        if not declared and not added:
            continue
        if customers == 0 and visits == 0:  # no share observed (0 of 0 visits), whatever --min-customers says:
            unvisited.append(tp.id)          # with 0 it wrote 'share: 0' on every flow of a part the log did not cover
            continue
        if customers < min_customers:
            said = f"{customers:,} customer{'s' * (customers != 1)}" + (f" ({visits:,} visits)" if visits != customers else "")
            # the times of its flows are held back too (none has more customers than the touchpoint): say so
            timed = [f"'{f.to}'" for f in tp.next if (seen := observed.get(f.to)) is not None and seen.median_seconds is not None]
            times = f" and the times of those to {', '.join(timed)}" if timed else ""
            out.flags.append(
                Problem(
                    here,
                    "too-few-customers",
                    f"shares of the flows from '{tp.id}'{times} not written: {said},"
                    f" fewer than {min_customers} (--min-customers)",
                    level="warning",
                )
            )
            continue
        group = declared + added
        shares = round_shares([observed[b].count if b in observed else 0 for b in group], visits)
        old_shares = resolve_shares([(f.to, f.share) for f in tp.next])
        mark = editor.mark()
        changes: list[Change] = []
        flags: list[Problem] = []
        try:
            for flow, old, share in zip(tp.next, old_shares, shares, strict=False):
                values: dict[str, object] = {}
                if flow.share is None or abs(flow.share - share) > 1e-9:
                    values["share"] = share
                    changes.append(
                        Change(tp.id, f"share -> {flow.to}", _share_text(flow.share) or f"({_share_text(old)} implied)", _share_text(share) or "0")
                    )
                seen = observed.get(flow.to)
                if seen is not None and seen.median_seconds is not None and seen.long:
                    flags.append(_no_date_steps(here, tp.id, flow.to, seen))
                elif seen is not None and seen.median_seconds is not None and took[flow.to] >= min_customers:
                    time = {"median": format_duration(seen.median_seconds)}
                    if seen.p90_seconds is not None:
                        time["p90"] = format_duration(seen.p90_seconds)
                    old_time = flow.time
                    before = None
                    if old_time is not None:
                        before = {k: format_duration(v) for k, v in (("median", old_time.median), ("p90", old_time.p90)) if v is not None}
                    # n is the customers the time was measured on (FORMAT.md), not its steps: a support
                    # loop taken twice by 50 customers wrote n: 100. The engines count steps per flow, so
                    # n is the bound the shares use: at most the flow's steps and the customers of both ends.
                    if before != time or (old_time is not None and old_time.n != took[flow.to]):
                        values["time"] = Inline({**time, "n": took[flow.to]})
                        shown = ", ".join(f"{k} {v}" for k, v in time.items())
                        changes.append(Change(tp.id, f"time -> {flow.to}", None if before is None else ", ".join(f"{k} {v}" for k, v in before.items()), shown))
                elif seen is not None and seen.median_seconds is not None:
                    flags.append(
                        Problem(here, "too-few-customers", f"time from '{tp.id}' to '{flow.to}' not written: {_taken(seen.count, took[flow.to])},"
                                f" fewer than {min_customers}", level="warning")
                    )
                if seen is None:
                    flags.append(
                        Problem(
                            journey.span("touchpoints", tp.id, "next", flow.to) or here,
                            "flow-not-taken",
                            f"nobody went from '{tp.id}' to '{flow.to}' ({visits:,} visits to '{tp.id}');"
                            " the flow is kept, with share 0: check that the log covers that channel",
                            level="warning",
                        )
                    )
                written[(tp.id, flow.to)] = share
                if values:
                    editor.update(("touchpoints", ("id", tp.id), "next", ("to", flow.to)), values, promote="to")
            new_flows: list[dict[str, object]] = []
            for b, s in zip(added, shares[len(declared) :], strict=True):
                item: dict[str, object] = {"to": b, "share": s}
                seen = observed.get(b)
                if seen is not None and seen.median_seconds is not None and seen.long:
                    flags.append(_no_date_steps(here, tp.id, b, seen))
                elif seen is not None and seen.median_seconds is not None and took[b] >= min_customers:
                    # A new flow gets its time at once: calibrating again must change nothing.
                    time = {"median": format_duration(seen.median_seconds)}
                    if seen.p90_seconds is not None:
                        time["p90"] = format_duration(seen.p90_seconds)
                    item["time"] = Inline({**time, "n": took[b]})
                new_flows.append(item)
            for item in new_flows:
                written[(tp.id, str(item["to"]))] = float(str(item["share"]))
                changes.append(Change(tp.id, f"new flow -> {item['to']}", None, f"share {_share_text(float(str(item['share'])))}"))
            if new_flows and declared:
                for item in new_flows:
                    editor.append(("touchpoints", ("id", tp.id), "next"), item)
            elif new_flows:
                editor.update(("touchpoints", ("id", tp.id)), {"next": new_flows})
        except (NotEditable, KeyError) as exc:
            editor.rollback(mark)
            for flow in tp.next:
                written.pop((tp.id, flow.to), None)
            for b in added:
                written.pop((tp.id, b), None)
            reason = str(exc) if isinstance(exc, NotEditable) else _not_found(exc.args[0])
            out.flags.append(
                Problem(
                    here,
                    "not-calibrated",
                    f"the flows of '{tp.id}' were not calibrated: {reason}",
                    "write them out in the touchpoint itself to calibrate them",
                    level="warning",
                )
            )
            continue
        out.changes += changes
        out.flags += flags
    if unvisited:
        out.flags.append(_unvisited(journey, unvisited, out.name))


UNVISITED_LISTED = 10
"""Touchpoints named in the one warning for those nobody in the log visited."""


def _listed(touchpoints: list[str]) -> str:
    """The first UNVISITED_LISTED touchpoints quoted, and how many more."""
    more = len(touchpoints) - UNVISITED_LISTED
    return ", ".join(f"'{t}'" for t in touchpoints[:UNVISITED_LISTED]) + (f" and {more:,} more" if more > 0 else "")


def _unvisited(journey: Journey, touchpoints: list[str], name: str) -> Problem:
    """One warning for the touchpoints whose flows were not calibrated because nobody in the log visited
    them: a log of part of a journey (one channel, one campaign) gave one line each, 17 for a sample."""
    count = len(touchpoints)
    return Problem(
        journey.span("touchpoints", touchpoints[0]) or Span(name),
        "too-few-customers",
        f"shares of the flows from {count:,} touchpoint{'s' * (count != 1)} not written: nobody in the event log"
        f" visited {'them' if count != 1 else 'it'} (0 customers): {_listed(touchpoints)}",
        "check that the log covers these parts of the journey: all its channels and entries",
        level="warning",
    )


def _flag_entries(journey: Journey, data: MetricData, out: Calibration, min_customers: int,
                  tied: frozenset[str] = frozenset()) -> None:
    assert data.events is not None
    # the journey's own rule: a touchpoint's flow to itself (a loop at an entry) does not make it one
    # others point to; every customer starting there was an "undeclared entry"
    entries = set(journey.entry_ids())
    for tp_id, count in sorted(data.events.entries.items()):
        if tp_id in entries or count < min_customers or tp_id not in journey.touchpoint_by_id or tp_id in tied:
            continue  # tied: where its customers started is the tie rule's guess (the same-moment flag says so)
        out.flags.append(
            Problem(
                journey.span("touchpoints", tp_id) or Span(out.name),
                "undeclared-entry",
                f"{count:,} customer{'s' * (count != 1)} started their journey at '{tp_id}', which is not an entry of the journey",
                "add 'entry: true' to it if customers really start there (then only touchpoints marked so are entries)",
                level="warning",
            )
        )


# -- metrics -------------------------------------------------------------------


def _rounded(spec: MetricSpec, value: float) -> float | int | str:
    from .metrics import format_duration

    if spec.kind == "fraction":
        return round(value, 3)
    if spec.kind == "count":
        return int(round(value))
    if spec.kind == "duration":
        return format_duration(value)
    if spec.name == "nps":
        return round(value, 1)
    return round(value, 2)


def _within_shares(drop_off: float, shares: list[float]) -> float:
    """A touchpoint's drop-off as written beside the shares written for its flows: each rounded on its own (the shares
    together, by largest remainder), the two could add up to 1.001 (3 of 80 go on, 0.038; 77 leave, 0.963), so where
    they would the drop-off takes what the shares leave over (0.962). Both are fractions of its visits."""
    unit = 10**SHARE_DECIMALS
    left = unit - round(sum(shares) * unit)
    return min(drop_off, max(left, 0) / unit)


def _volume_scale(journey: Journey, data: MetricData, out: Calibration) -> tuple[float | None, list[str]]:
    """The factor from the event log's customers to customers per the journey's period (None when the log's
    span is too short to say), with a note saying which span was used; and an empty list for the
    touchpoints whose volumes are then not written."""
    from .data.events import log_span

    if data.events is None or not any(m == "volume" and p.how == "events" for (_, m), p in data.points.items()):
        return None, []
    span = log_span(data.events)
    if span is None or span[2] < MIN_SPAN_DAYS or _no_date_starts(data) is not None:
        return None, []
    first, last, days = span
    period = journey.value.period if journey.value is not None else "month"
    factor = PERIOD_DAYS[period] / days
    out.notes.append(
        f"volumes are customers a {period}: the event log's customers started over {days:,} days"
        f" ({first.isoformat()} to {last.isoformat()}), scaled by {PERIOD_DAYS[period]:g}/{days:,} = {factor:.3g}"
    )
    return factor, []


def _no_date_starts(data: MetricData) -> str | None:
    """The customers who start on a date that stands for "no date" (before 1973: 0 or an Excel day number read as
    seconds; after 2100: 9999-12-31), said with their first day, as the log's early- and far-timestamp warnings
    count them; None for none. One such customer stretched the days a log's customers started over to decades, and
    every volume was written as 0 customers a month."""
    from .data.events import _EPOCH, EARLIEST_PLAUSIBLE_DAY, LATEST_PLAUSIBLE_DAY

    if data.events is None:
        return None
    said = []
    for side, odd in (("before 1973", [c for c in data.events.cohorts if c.customers and c.day < EARLIEST_PLAUSIBLE_DAY]),
                      ("after 2100", [c for c in data.events.cohorts if c.customers and c.day >= LATEST_PLAUSIBLE_DAY])):
        if odd:
            count = sum(c.customers for c in odd)
            first = (_EPOCH + timedelta(days=min(c.day for c in odd))).isoformat()
            said.append(f"{count:,} customer{'s' * (count != 1)} start{'s' * (count == 1)} {side}"
                        f" ({'the first ' if len(odd) > 1 else ''}on {first})")
    if not said:
        return None
    one = len(said) == 1 and said[0].startswith("1 customer ")
    return " and ".join(said) + (", a date that stands" if one else ", dates that stand") + " for 'no date'"


def _no_volumes(journey: Journey, data: MetricData, touchpoints: list[str], name: str) -> Problem:
    """The one warning for the volumes a log too short to scale did not give."""
    from .data.events import log_span

    period = journey.value.period if journey.value is not None else "month"
    count = len(touchpoints)
    no_date = _no_date_starts(data)
    if no_date is not None:
        return Problem(
            journey.span("touchpoints", touchpoints[0]) or Span(name),
            "log-span",
            f"volumes of {count:,} touchpoint{'s' * (count != 1)} not written: {no_date},"
            f" so the days the event log's customers started over say nothing of a {period} (a journey's volumes are"
            f" per {period}): {_listed(touchpoints)}",
            "leave the rows dated so out of the log (or empty their timestamps), then calibrate again",
            level="warning",
        )
    span = log_span(data.events) if data.events is not None else None
    when = ("on no day (no customers)" if span is None else f"on one day ({span[0].isoformat()})" if span[2] == 1
            else f"over {span[2]} days ({span[0].isoformat()} to {span[1].isoformat()})")
    return Problem(
        journey.span("touchpoints", touchpoints[0]) or Span(name),
        "log-span",
        f"volumes of {count:,} touchpoint{'s' * (count != 1)} not written: the event log's customers all started {when},"
        f" too short a span to give customers a {period} (a journey's volumes are per {period}): {_listed(touchpoints)}",
        f"calibrate from a log whose customers started over at least {MIN_SPAN_DAYS} days (a whole {period} is best)",
        level="warning",
    )


def _volumes_stay(journey: Journey, touchpoints: list[Touchpoint], name: str) -> Problem:
    """The one warning for the volumes the journey writes for touchpoints nobody in the log visited, which stay beside
    the volumes the log gave (the model weighs entries by them)."""
    entries = set(journey.entry_ids())
    count = len(touchpoints)
    listed = ", ".join(f"'{t.id}' ({t.metrics['volume'].value:,g}{', an entry' if t.id in entries else ''})"
                       for t in touchpoints[:UNVISITED_LISTED])
    more = f" and {count - UNVISITED_LISTED:,} more" if count > UNVISITED_LISTED else ""
    return Problem(
        journey.span("touchpoints", touchpoints[0].id) or Span(name),
        "too-few-customers",
        f"volume{'s' * (count != 1)} of {count:,} touchpoint{'s' * (count != 1)} not written: nobody in the event log visited"
        f" {'them, so they stay' if count != 1 else 'it, so it stays'} as the journey writes {'them' if count != 1 else 'it'},"
        f" beside the volumes the log gives: {listed}{more}",
        "the model weighs its entries by their volumes: check that the log covers all the journey's entries and channels,"
        " or give these volumes for the log's period",
        level="warning",
    )


def _with_currency(value: float | int | str, currency: str | None) -> float | int | str:
    """An amount as the journey format writes it with its currency: ``1300 EUR`` (FORMAT.md, ``clv``)."""
    if currency is None or not isinstance(value, (int, float)):
        return value
    return f"{f'{value:.2f}'.rstrip('0').rstrip('.')} {currency}"


def _calibrate_metrics(
    editor: object,
    journey: Journey,
    data: MetricData,
    specs: dict[str, MetricSpec],
    out: Calibration,
    min_customers: int,
    source: str | None,
    shares: Mapping[tuple[str, str], float] | None = None,
    tied: frozenset[str] = frozenset(),
) -> None:
    from .data.summary import canonical_period
    from .fmt import Editor, Inline, NotEditable
    from .metrics import format_value, in_currency, parse_duration

    assert isinstance(editor, Editor)
    order = {t.id: i for i, t in enumerate(journey.touchpoints)}
    by_touchpoint: dict[str, list[tuple[str, Inline, Change]]] = {}
    stale: dict[str, list[tuple[str, str, bool]]] = {}  # a metric's period the new value is not for; whether all else is the same
    per_period, unscaled = _volume_scale(journey, data, out)
    for (tp_id, metric), point in sorted(data.points.items(), key=lambda kv: (order.get(kv[0][0], 1 << 30), kv[0][1])):
        tp = journey.touchpoint_by_id.get(tp_id)
        spec = specs.get(metric)
        if tp is None or spec is None:
            continue
        if metric == "drop_off" and point.how == "events" and tp_id in tied:  # who ended there is the tie rule's
            continue
        if metric == "volume" and point.how == "events" and per_period is None:
            unscaled.append(tp_id)  # a log too short to say how many customers a period has
            continue
        customers = point.n if point.n is not None else (int(point.value) if metric == "volume" else None)
        visits = ""
        if metric == "drop_off" and point.how == "events" and point.n is not None:
            # its n is the visits (a share per visit); --min-customers counts the customers who made them
            customers = _customers(data, tp_id, point.n)
            if customers != point.n:
                visits = f" ({point.n:,} visits)"
        if customers is not None and customers < min_customers:
            what = "answers" if point.how == "responses" else "customers"
            out.flags.append(
                Problem(
                    journey.span("touchpoints", tp_id) or Span(out.name),
                    "too-few-customers",
                    f"{spec.label} of '{tp_id}' not written: "
                    + (f"{format_value(spec, point.value)} from " if metric != "volume" else "")
                    + f"{customers:,} {what if customers != 1 else what[:-1]}{visits},"
                    f" fewer than {min_customers} (--min-customers)",
                    level="warning",
                )
            )
            continue
        # A journey's volumes are customers per period (value.period, FORMAT.md): the log's customers are
        # those of its span, so a 7-day and a 365-day export of one journey both wrote ~2,574 "a month".
        # They are scaled by the days the log's customers started over (--min-customers counts them as read).
        value = _rounded(spec, point.value * per_period if metric == "volume" and point.how == "events" and per_period else point.value)
        if metric == "drop_off" and point.how == "events" and shares and isinstance(value, float):
            value = _within_shares(value, [s for (a, _), s in shares.items() if a == tp_id])
        # an amount keeps the currency it was read with (a table's '1300 EUR'), else the journey's own
        currency = (point.currency or journey.written_currency(tp_id, metric)) if spec.kind == "amount" else None
        new: dict[str, object] = {"value": _with_currency(value, currency)}
        old = tp.metrics.get(metric)
        # A volume is a count of customers: an n beside it would only repeat it (unless one was written).
        n = point.n if point.n is not None else (customers if metric == "volume" and old is not None and old.n is not None else None)
        if n is not None:
            new["n"] = n
        if point.period:
            new["period"] = point.period
        if point.how == "events" and (source or data.events is not None):
            new["source"] = source or ", ".join(Path(f).name for f in data.events.files)  # type: ignore[union-attr]
        elif point.source:
            new["source"] = ", ".join(Path(s.strip()).name for s in point.source.split(","))
        numeric = parse_duration(value) if isinstance(value, str) else float(value)
        if old is not None:
            same_value = isinstance(old.value, float) and numeric is not None and abs(old.value - numeric) < 1e-9
            same = (same_value and old.n == new.get("n") and old.source == new.get("source")
                    and journey.written_currency(tp_id, metric) == currency)
            # the journey's period in another spelling of the same one (2026Q1, written by hand) is that period
            if same and (old.period is None and "period" not in new
                         or old.period is not None and canonical_period(str(old.period))[0] == new.get("period")):
                continue
            if old.n is not None and "n" not in new:
                out.flags.append(
                    Problem(
                        journey.span("touchpoints", tp_id, "metrics", metric) or Span(out.name),
                        "not-calibrated",
                        f"{spec.label} of '{tp_id}' not written: the journey gives n={old.n} and the data file gives no n",
                        "add an n column to the metrics table",
                        level="warning",
                    )
                )
                continue
        was = journey.written_currency(tp_id, metric)
        before = None if old is None or not isinstance(old.value, float) else format_value(in_currency(spec, was), old.value)
        after = format_value(in_currency(spec, currency), numeric if numeric is not None else point.value)
        by_touchpoint.setdefault(tp_id, []).append((metric, Inline(new), Change(tp_id, metric, before, after)))
        if old is not None and old.period is not None and "period" not in new:
            # answers pooled over their dates have no one period: the journey's old one would label the new value
            stale.setdefault(tp_id, []).append((metric, old.period, same))
    if unscaled:
        out.flags.append(_no_volumes(journey, data, unscaled, out.name))
    if per_period is not None and data.events is not None:
        # a log of one channel wrote its entry's volume beside the journey's own count for another entry, which the
        # model then weighed them by, without a word
        stays = [t for t in journey.touchpoints if (old := t.metrics.get("volume")) is not None and old.value is not None
                 and not data.events.visitors.get(t.id) and data.get(t.id, "volume") is None]
        if stays:
            out.flags.append(_volumes_stay(journey, stays, out.name))
    for tp_id, items in by_touchpoint.items():
        values = {metric: inline for metric, inline, _ in items}
        mark = editor.mark()
        failed: set[str] = set()
        has_metrics = True
        try:
            try:
                editor.update(("touchpoints", ("id", tp_id), "metrics"), dict(values))
            except KeyError:
                has_metrics = False
                editor.update(("touchpoints", ("id", tp_id)), {"metrics": dict(values)})
        except (NotEditable, KeyError) as exc:
            editor.rollback(mark)
            # One metric that cannot be edited (its value anchored for another touchpoint: `csat: &c
            # {...}`) held back all of them, with a reason said of the touchpoint's whole metrics: each
            # is tried alone, and only those that fail are told, by name.
            held = _metrics_one_by_one(editor, tp_id, values) if has_metrics else None
            if held is None:
                out.flags.append(
                    Problem(
                        journey.span("touchpoints", tp_id) or Span(out.name),
                        "not-calibrated",
                        f"the metrics of '{tp_id}' were not calibrated: {exc}",
                        "write them out in the touchpoint itself to calibrate them",
                        level="warning",
                    )
                )
                continue
            for metric, why in held:
                out.flags.append(
                    Problem(
                        journey.span("touchpoints", tp_id, "metrics", metric) or journey.span("touchpoints", tp_id) or Span(out.name),
                        "not-calibrated",
                        f"the {specs[metric].label} of '{tp_id}' was not calibrated: {why}",
                        "write it out in the touchpoint itself to calibrate it",
                        level="warning",
                    )
                )
            failed = {metric for metric, _ in held}
            items = [item for item in items if item[0] not in failed]
        for metric, period, only_period in stale.get(tp_id, []):
            if metric in failed:
                continue
            mark = editor.mark()
            try:
                editor.remove(("touchpoints", ("id", tp_id), "metrics", metric), "period")
            except (NotEditable, KeyError) as exc:
                editor.rollback(mark)
                if only_period:  # nothing else to write: no change (every later run said '1 figure changed')
                    items = [item for item in items if item[0] != metric]
                out.flags.append(
                    Problem(
                        journey.span("touchpoints", tp_id, "metrics", metric) or Span(out.name),
                        "stale-period",
                        f"{specs[metric].label} of '{tp_id}' was calibrated from answers of no one period, but its"
                        f" period '{period}' could not be taken out ({exc}), so it now labels the new value",
                        "delete the period by hand, or calibrate from a metrics table with a period column",
                        level="warning",
                    )
                )
        out.changes += [change for _, _, change in items]


def _metrics_one_by_one(editor: object, tp_id: str, values: Mapping[str, object]) -> list[tuple[str, str]] | None:
    """Write each metric of a touchpoint alone (its ``metrics`` mapping is there); the metrics that
    could not be written, with why (None: the mapping itself cannot be edited, an alias or anchored)."""
    from .fmt import Editor, NotEditable

    assert isinstance(editor, Editor)
    try:
        editor.value_at(("touchpoints", ("id", tp_id), "metrics"))
    except NotEditable:
        return None
    held = []
    for metric, value in values.items():
        mark = editor.mark()
        try:
            editor.update(("touchpoints", ("id", tp_id), "metrics"), {metric: value})
        except (NotEditable, KeyError) as exc:
            editor.rollback(mark)
            held.append((metric, str(exc) if isinstance(exc, NotEditable) else _not_found(exc.args[0])))
    return held


# -- the safety check ----------------------------------------------------------


def _check_result(out: Calibration, journey: Journey, base: Path | None, shares: dict[tuple[str, str], float]) -> None:
    """The calibrated text must load without errors and hold the shares that were meant."""
    from .fmt import UnsafeFormatError
    from .loader import Loader, repository_root

    def unsafe(what: str) -> UnsafeFormatError:
        return UnsafeFormatError(
            Problem(
                Span(out.name),
                "calibrate-unsafe",
                f"calibrating would {what}; the file was left as it is",
                "this is a bug in journeymap calibrate: please report it with the file",
            )
        )

    path = (base or Path.cwd()).resolve() / (Path(out.name).name if out.name != "<string>" else "<string>.yaml")
    # figures left empty that the data could not fill stay empty, as the author left them
    result = Loader(root=repository_root(path), to_fill=True).check(path, raw=out.text.encode("utf-8"), name=out.name)
    loaded = result.journey
    if loaded is None or result.errors:
        raise unsafe(f"make the journey invalid ({JourneyError(result.problems)})")
    for tp in loaded.touchpoints:
        for flow in tp.next:
            meant = shares.get((tp.id, flow.to))
            if meant is not None and (flow.share is None or abs(flow.share - meant) > 1e-9):
                raise unsafe(f"write the share of '{tp.id}' -> '{flow.to}' wrong")
    if [t.id for t in loaded.touchpoints] != [t.id for t in journey.touchpoints]:
        raise unsafe("change the touchpoints")
