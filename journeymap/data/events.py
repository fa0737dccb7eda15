"""Event logs: ``customer,timestamp,touchpoint[,outcome][,segment|persona]``.

An engine (:mod:`journeymap.data.engines`: DuckDB by default, Spark, or the
pure-Python reference) reads the log and computes its aggregates; this module
turns them into the journey's terms:

- ``volume`` of a touchpoint: the number of customers who visited it;
- ``drop_off`` of a non-outcome touchpoint: the share of its visits after which
  the customer's journey ended there without success (n = its visits), the
  leave share per visit the journey's model, whatif and value at stake use: in
  a loop a customer's every visit but the last went on (the share of its
  visitors who ended there said 60% where 30% of visits left);
- observed flows: how often customers went from one touchpoint to the next,
  as a share of the visits to the first (compare with the journey's shares),
  with the median and p90 time between them;
- how customers ended (success, failure, left, or handoff: their last step a
  declared flow into another journey), where they entered, and
  planned vs actual: the customers who conform and those with each deviation
  (ad hoc, out of sequence, missing, failing), with the top deviations.

The log is taken to hold whole journeys: a customer still on the way when the
log was cut counts as having left. Touchpoints the journey does not have are
normal data (ad hoc visits): one warning names them with their counts. Flows
the journey does not declare are one warning too (the journey may be out of
date). The rules for rows, and what each figure means exactly, are in
:mod:`journeymap.data.engines`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import Problem, Span, did_you_mean
from . import DataPoint, Deviation, EventSummary, ObservedFlow
from .engines import (
    CONFORMANCE,
    Cohort,
    EngineOptions,
    EventTables,
    JourneyFacts,
    get_engine,
    self_loops,
)
from .engines.rows import FORMULA_SED, named_columns, parse_timestamp, shown
from .engines.sql import is_formula_id

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["Breakdown", "by_period", "by_segment", "log_span", "parse_timestamp", "read_events", "summary_of"]


#: Above this share of steps at the same moment as the step before, a warning says the order is a guess.
TIES_TOLD = 0.05
BUSIEST_TOLD = 500
"""A customer with at least this many events, and 50 times a typical customer's, is told (``busy-customer``)."""
ONE_VISIT_TOLD = 100
"""A log of at least this many customers, nearly all of one visit, is told (``one-visit-customers``)."""
EARLIEST_PLAUSIBLE_DAY = 1157
"""1973-03-03 (10^8 seconds since 1970): customers whose first step is before it are told (``early-timestamp``):
a log's number under 10^8 is seconds since 1970, and such numbers are Excel day numbers or 0 for "no time"."""


LATEST_PLAUSIBLE_DAY = 47_482
"""2100-01-01: customers whose first step is on or after it are told (``far-timestamp``), as steps of 50 years
or more are (:data:`~journeymap.data.engines.LONG_STEP`)."""
DATES_AS_NUMBERS = (19_000_101 // 86_400, 21_001_231 // 86_400)
"""The days since 1970 that numbers 19000101 to 21001231 fall on when read as seconds (1970-08-09 to
1970-08-31): a timestamp column of dates written YYYYMMDD (GA4's ``event_date``) starts its customers there."""


def _early_hint(days: list[int]) -> str:
    """The hint of the early-timestamp warning for customers who start on ``days`` (since 1970)."""
    low, high = DATES_AS_NUMBERS
    if all(low <= day <= high for day in days):
        return ("are the timestamps dates written as numbers, YYYYMMDD (20260914, as GA4's event_date writes them)?"
                f" Write them as ISO 8601 dates (2026-09-14), or read a column with the time of day"
                f" ({named_columns().option} timestamp=event_timestamp)")
    return ("is the column Excel day numbers (45567.5 is 2024-10-02 12:00: format it as a date before saving),"
            " or 0 or -1 for a time not known? Write ISO 8601 times")


def read_events(
    paths: Sequence[Path],
    journey: Journey,
    *,
    engine: str | None = None,
    options: EngineOptions | None = None,
) -> tuple[list[DataPoint], EventSummary, list[Problem]]:
    """Read event logs with ``engine`` (None: DuckDB when installed, else Python).

    ``paths`` may be files, globs or folders (DuckDB and Spark; the Python engine
    reads files). Raises ``ImportError`` when the engine's package is missing.
    """
    options = with_names(options or EngineOptions(), journey)
    name, aggregate = get_engine(engine)
    # the customers of a persona (--persona) walk the persona's view of the journey, as its model does
    persona = persona_of(journey, options.segment)
    facts = JourneyFacts.of(journey, persona)
    tables = aggregate(list(paths), facts, options)
    points, summary, problems = summary_of(tables, journey, facts.flows if persona is not None else None, persona)
    summary.period = options.period
    return points, summary, problems + plurals_read(summary, journey, persona)


def read_events_each(
    paths: Sequence[Path], journey: Journey, runs: Sequence[EngineOptions], *, engine: str | None = None,
) -> list[tuple[list[DataPoint], EventSummary, list[Problem]]]:
    """:func:`read_events` for each options of ``runs`` (alike but for ``segment``), the log read once
    where the engine can share the reading (:func:`.engines.aggregate_each`)."""
    from .engines import aggregate_each

    runs = [with_names(options, journey) for options in runs]
    personas = [persona_of(journey, options.segment) for options in runs]
    facts = [JourneyFacts.of(journey, persona) for persona in personas]
    found = aggregate_each(engine, list(paths), list(zip(facts, runs, strict=True)))
    done = []
    for tables, persona, own, options in zip(found, personas, facts, runs, strict=True):
        points, summary, problems = summary_of(tables, journey, own.flows if persona is not None else None, persona)
        summary.period = options.period
        done.append((points, summary, problems + plurals_read(summary, journey, persona)))
    return done


def with_names(options: EngineOptions, journey: Journey) -> EngineOptions:
    """``options`` with the other names its segment's cells may have (:func:`persona_names`)."""
    import dataclasses

    if options.segment is None or options.segment_names:
        return options
    return dataclasses.replace(options, segment_names=persona_names(journey, options.segment))


def persona_names(journey: Journey, persona: str) -> tuple[str, ...]:
    """The names a log may write the persona ``persona``'s segment as, besides its id: its name (``Busy parent``,
    written ``Busy Parent`` by a CRM's label), and the plural of its id or name (``busy-parents``, as
    :func:`.responses.persona_plural` reads a survey's: four letters or more without the ``s``), unless another
    persona's id or name (or their plural) is written alike (:func:`.engines.segment_key`), as a survey file's
    persona column is read."""
    from .engines import segment_key

    spec = journey.persona_by_id.get(persona)
    if spec is None:
        return ()
    others: set[str] = set()
    for other, them in journey.persona_by_id.items():
        if other != persona:
            for text in (other, them.name or ""):
                others |= {segment_key(text), segment_key(text) + "s"}
    names: list[str] = []
    if spec.name and (key := segment_key(spec.name)) not in others and key != segment_key(persona):
        names.append(spec.name)
    for text in (persona, spec.name or ""):
        key = segment_key(text)
        if len(key) >= 4 and key + "s" not in others and key + "s" not in {segment_key(n) for n in (persona, *names)}:
            names.append(text + "s")
    return tuple(dict.fromkeys(names))


def plurals_read(summary: EventSummary, journey: Journey, persona: str | None) -> list[Problem]:
    """A ``persona-plural`` warning for each segment of ``persona``'s customers that the log writes as the
    plural of its id or name (:func:`persona_names`), with its customers, as a survey's is told."""
    from .engines import segment_key
    from .engines.rows import shown

    spec = journey.persona_by_id.get(persona) if persona is not None else None
    if spec is None:
        return []
    exact = {segment_key(persona or ""), segment_key(spec.name or "")}
    counts: dict[str, int] = {}
    for cohort in summary.cohorts:
        if cohort.segment and cohort.customers and segment_key(cohort.segment) not in exact:
            counts[cohort.segment] = counts.get(cohort.segment, 0) + cohort.customers
    return [
        Problem(
            Span(", ".join(summary.files) or "event log"), "persona-plural",
            f"the log's segment '{shown(segment)}' ({n:,} customer{'s' * (n != 1)}) is read as the plural of persona '{persona}'",
            f"write '{persona}', the persona's id",
            level="warning",
        )
        for segment, n in sorted(counts.items())
    ]


def persona_of(journey: Journey, segment: str | None) -> str | None:
    """The persona of ``journey`` whose customers the log's ``segment`` names (any capitals, as the engines
    choose them), or None."""
    if segment is None:
        return None
    if segment in journey.persona_by_id:
        return segment
    return next((p for p in journey.persona_by_id if p.lower() == segment.lower()), None)


def _spelling(touchpoint: str) -> str:
    """A touchpoint id as compared for the '_'-for-'-' hint: underscores, hyphens and spaces alike, any capitals."""
    return re.sub(r"[\s_-]+", "-", touchpoint.strip()).casefold()


def _guesses(unknown: list[tuple[int, str]], journey: Journey) -> str:
    """The hint for touchpoints of a log the journey lacks (most customers first): the ones that are a
    touchpoint's name (a BI export of the labelled dimension wrote 'Checks the postcode' for 'check-postcode',
    with no suggestion), told together; then an id in other capitals or the closest id for the first five."""
    by_name = {" ".join(t.name.split()).casefold(): t.id for t in journey.touchpoints}
    by_id = {t.id.casefold(): t.id for t in journey.touchpoints}
    names = [(t, by_name[key]) for _, t in unknown if (key := " ".join(t.split()).casefold()) in by_name]
    said: list[str] = []
    formulas = [t for _, t in unknown if is_formula_id(t)]
    if formulas:  # ="check-postcode": Excel's text formula around an id
        said.append(f"{len(formulas):,} of them {'are' if len(formulas) > 1 else 'is'} written as Excel's text formula"
                    f" ('{shown(formulas[0])}'): write the touchpoints as text alone ({FORMULA_SED})")
    if names:
        shown_names = ", ".join(f"'{shown(t)}' is '{i}'" for t, i in names[:3]) + (", ..." if len(names) > 3 else "")
        said.append(f"{len(names):,} of them {'are' if len(names) > 1 else 'is'} the journey's touchpoint"
                    f" name{'s' * (len(names) > 1)}, not ids ({shown_names}): the log's touchpoint column must hold ids")
    named = {t for t, _ in names} | set(formulas)
    # the journey's ids with '_' or spaces for '-' (GA4's event names may hold no '-': check_postcode), each told
    # 'did you mean' alone, five at most, with no word of what they have in common
    by_spelling = {_spelling(t.id): t.id for t in journey.touchpoints}
    respelt = [(t, by_spelling[key]) for _, t in unknown
               if t not in named and "_" in t and (key := _spelling(t)) in by_spelling and "-" in by_spelling[key]]
    if len(respelt) > 1:
        listed = ", ".join(f"'{shown(t)}' is '{i}'" for t, i in respelt[:3]) + (", ..." if len(respelt) > 3 else "")
        said.append(f"{len(respelt):,} of them are the journey's ids written with '_' for '-' ({listed}), as GA4's event"
                    " names must be: ids are matched as written, so write the log's touchpoints as the journey's ids"
                    " (or the journey's ids as the log writes them)")
        named |= {t for t, _ in respelt}
    for _, t in [u for u in unknown if u[1] not in named][:5]:
        same = by_id.get(" ".join(t.split()).casefold())
        guess = f"did you mean '{same}'? (ids are matched as written)" if same else did_you_mean(t, journey.touchpoint_by_id)
        if guess:
            said.append(f"'{shown(t)}': {guess}")
    return "; ".join(said)


HEADER_CODES = ("missing-column", "unknown-column", "rounded-timestamp", "report-suite-time-zone")
"""Problems of a file's header (and a column's type, at line 1), which the parts of one export (Amplitude's hourly
files, Spark's parts) share."""


def same_header_once(problems: list[Problem]) -> list[Problem]:
    """The header problems that several files of the log have alike (the same words, at line 1), once, at the first
    file, with how many more files have them and the next few: a folder of 720 hourly Amplitude exports printed its
    missing-column error and four unknown-column warnings 720 times, 3,600 lines. Other problems are as they were."""
    groups: dict[tuple[str, str, str, str | None], list[Problem]] = {}
    for problem in problems:
        if problem.code in HEADER_CODES and problem.span.line <= 1:
            groups.setdefault((problem.level, problem.code, problem.message, problem.hint), []).append(problem)
    told: set[int] = set()
    out: list[Problem] = []
    for problem in problems:
        key = (problem.level, problem.code, problem.message, problem.hint)
        same = groups.get(key, []) if problem.code in HEADER_CODES and problem.span.line <= 1 else []
        if len(same) < 2:
            out.append(problem)
        elif id(same[0]) not in told:
            told.add(id(same[0]))
            import os.path

            root = os.path.commonpath([p.span.file for p in same]) if all(p.span.file for p in same) else ""
            others = [os.path.relpath(p.span.file, root) if root else p.span.file for p in same[1:4]]
            more = ", ..." if len(same) > 4 else ""
            out.append(Problem(problem.span, problem.code, f"{problem.message} (and the same in {len(same) - 1:,} more"
                               f" file{'s' * (len(same) > 2)}: {', '.join(shown(o) for o in others)}{more})", problem.hint,
                               problem.level))
    return out


def summary_of(
    tables: EventTables, journey: Journey, view: frozenset[tuple[str, str]] | None = None, persona: str | None = None,
) -> tuple[list[DataPoint], EventSummary, list[Problem]]:
    """The data points, summary and problems of an engine's aggregates. ``view``: the flows of ``persona``'s
    view of the journey (:meth:`JourneyFacts.of`), which its customers' paths were replayed against: a
    flow it does not declare is an undeclared flow (the journey's flows were, though the report called
    such a step out of sequence and its flow table 'declared: none')."""
    from ..graph import resolve_shares

    problems = same_header_once(list(tables.problems))
    source = ", ".join(tables.files)
    where = Span(source or "event log")
    known = journey.touchpoint_by_id
    declared: dict[tuple[str, str], float] = {}
    for tp in journey.touchpoints:
        for flow, share in zip(tp.next, resolve_shares([(f.to, f.share) for f in tp.next]), strict=True):
            declared[(tp.id, flow.to)] = share
    order = {t.id: i for i, t in enumerate(journey.touchpoints)}
    flows = []
    undeclared = []
    for counted in tables.flows:
        visits = tables.visits.get(counted.source, 0)
        flows.append(
            ObservedFlow(
                counted.source, counted.target, counted.count, counted.count / visits if visits else 0.0,
                declared.get((counted.source, counted.target)), counted.median_seconds, counted.p90_seconds,
                ties=counted.ties, long=counted.long,
            )
        )
        if counted.source in known and counted.target in known and (counted.source, counted.target) not in (
                declared if view is None else view):
            undeclared.append(counted)
    big = len(order)
    flows.sort(key=lambda f: (order.get(f.source, big), order.get(f.target, big), f.source, f.target))
    if undeclared:
        undeclared.sort(key=lambda f: (-f.count, f.source, f.target))
        listed = ", ".join(f"'{f.source}' -> '{f.target}' ({f.count:,})" for f in undeclared[:5])
        more = f" and {len(undeclared) - 5} more" if len(undeclared) > 5 else ""
        problems.append(Problem(
            where, "undeclared-flow",
            f"customers took {len(undeclared)} flow{'s' * (len(undeclared) != 1)} the journey does not declare"
            f"{'' if persona is None else f' for persona {persona!r}'}: {listed}{more}",
            "add them to the touchpoints' next if these paths are real (out of sequence in planned vs actual)"
            + ("" if persona is None else "; a flow the journey declares between touchpoints the persona does not"
               " both meet needs the persona in those touchpoints' personas"),
            level="warning",
        ))
    # a self-loop's steps at one moment are not a question of order (one touchpoint): told apart below
    looped = self_loops(journey)
    loops = [f for f in tables.flows if f.source == f.target and f.source in looped]
    steps = sum(f.count for f in tables.flows) - sum(f.count for f in loops)
    ties = sum(f.ties for f in tables.flows) - sum(f.ties for f in loops)
    if steps >= 20 and ties > TIES_TOLD * steps:
        problems.append(Problem(
            where, "same-moment",
            f"{ties:,} of {steps:,} steps between touchpoints ({ties / steps:.0%}) happen at the same moment as the"
            " step before: their order is not known from the log, so it is taken from the touchpoints' ids"
            " (journey touchpoints first), and out-of-sequence and undeclared-flow figures may come from that order",
            "give timestamps with the time of day (a log of dates only ties every step of a day)",
            level="warning",
        ))
    steps, ties = sum(f.count for f in loops), sum(f.ties for f in loops)
    if steps >= 20 and ties > TIES_TOLD * steps:
        # at a touchpoint with a self-loop every event is a visit: an event a tracker fired twice is the loop taken
        named = ", ".join(f"'{f.source}' ({f.ties:,} of {f.count:,})" for f in sorted(loops, key=lambda f: (-f.ties, f.source)) if f.ties)
        problems.append(Problem(
            where, "same-moment-loop",
            f"{ties:,} of the {steps:,} times customers went round a self-loop ({ties / steps:.0%}) came at the same moment"
            f" as the visit before: {named}. Where the journey declares a self-loop every event is a visit, so an event"
            " logged twice counts as the loop taken, in its share and its times",
            "leave out the events logged twice (the same customer, touchpoint and time) if they are not repeat visits",
            level="warning",
        ))
    if tables.busiest is not None and tables.customers > 1:
        customer, events = tables.busiest
        typical = max(tables.rows - events, 1) / (tables.customers - 1)  # the others'
        if events >= BUSIEST_TOLD and events >= 50 * typical:
            # one customer looping 4,000 times between two steps made a flow's share 0.986 and its time 1s
            problems.append(Problem(
                where, "busy-customer",
                f"customer '{shown(customer)}' has {events:,} of the log's {tables.rows:,} events ({events / tables.rows:.0%}),"
                f" {events / typical:,.0f} times as many as a typical customer's {typical:.1f}: a bot or a test account?"
                " Its steps count in every share and time of the flows it takes, in the report and in calibrate",
                "leave it out of the log if it is not a customer",
                level="warning",
            ))
    if tables.exponent_ids is not None:
        # Excel shows a long id as 1.23457E+11 and saves it so: the ids that differ after their first six
        # digits became one customer, whose paths were one path, without a word
        count, first = tables.exponent_ids
        problems.append(Problem(
            where, "exponent-id",
            f"{count:,} of the log's {tables.customers:,} customer ids {'are numbers' if count > 1 else 'is a number'}"
            f" written with an exponent ('{shown(first)}'), as Excel shows a long number and saves it in a CSV file:"
            " such an id keeps only its first digits, so customers whose ids differ after them are read as one customer",
            "export the log again with the ids as text (in Excel, import the column as Text instead of opening the"
            " CSV file, or save from the source system directly)",
            level="warning",
        ))
    if tables.cased_ids is not None:
        # Ann@Example.com and ann@example.com, a UUID in capitals from one system and in small letters from another:
        # one person or record, read as customers apart, each path cut in two, without a word
        groups, count, a, b = tables.cased_ids
        problems.append(Problem(
            where, "cased-ids",
            f"{count:,} customer ids are e-mail addresses or UUIDs that differ from another only in capitals ('{shown(a)}'"
            f" and '{shown(b)}'{' and more' if groups > 1 or count > 2 else ''}): read as written, they are {count:,}"
            f" customers where they name {groups:,}, and each one's path is cut in pieces",
            "write such ids in one case (lower case, say) before reading the log: an address or a UUID names one"
            " person or record whatever its capitals",
            level="warning",
        ))
    if tables.number_ids is not None:
        # 00123 in one file and 123 in another opened and saved in Excel, or 12345.0 where pandas wrote a number
        # column with an empty cell: one customer read as two, each path cut in pieces, without a word
        groups, count, a, b = tables.number_ids
        problems.append(Problem(
            where, "number-ids",
            f"{count:,} customer ids write {groups:,} whole {'numbers' if groups > 1 else 'number'} in more than one way"
            f" ('{shown(a)}' and '{shown(b)}'{' and more' if groups > 1 or count > 2 else ''}), with leading zeros or"
            f" a '.0': read as written, they are {count:,} customers where they name {groups:,}, and each one's path"
            " is cut in pieces",
            "write the ids one way in every file, as text with their zeros as the source system has them: a"
            " spreadsheet drops the leading zeros of a column it reads as numbers, and pandas writes '12345.0' for a"
            " number column with an empty cell (read it with dtype=str)",
            level="warning",
        ))
    if tables.formula_ids is not None:
        # an export for Excel writes ="00123" to keep the leading zeros: read as written, another customer than 00123
        count, first = tables.formula_ids
        problems.append(Problem(
            where, "formula-id",
            f"{count:,} of the log's {tables.customers:,} customer ids {'are' if count > 1 else 'is'} written as Excel's"
            f" text formula ('{shown(first)}', which keeps Excel from dropping leading zeros): read as written, such an id"
            " is another customer than the same id written plainly in another file or row",
            f"write the ids as text alone: {FORMULA_SED}",
            level="warning",
        ))
    if 0 < tables.off_journey < tables.customers:
        # a raw analytics export's visitors who only fired session_start halved the observed conversion,
        # with nothing but the list of unknown touchpoints to say why
        off = tables.off_journey
        problems.append(Problem(
            where, "off-journey-customers",
            f"{off:,} of the log's {tables.customers:,} customers ({off / tables.customers:.1%}) visited none of the"
            f" journey's touchpoints, only others: they count as customers who left, in the observed conversion"
            " and every share of planned vs actual",
            "leave them out of the log (keep the customers who met the journey), or add their touchpoints to the journey",
            level="warning",
        ))
    visits = sum(tables.visits.values())
    if tables.customers >= ONE_VISIT_TOLD and visits <= 1.05 * tables.customers:
        # a customer column mapped to an event or row id: every "customer" one event, 83% out of
        # sequence, and calibrate would write every share 0 and every drop-off 1, without a word
        problems.append(Problem(
            where, "one-visit-customers",
            f"the log's {tables.customers:,} customers visit {visits / tables.customers:.2f} touchpoints each on average:"
            " almost every customer is one visit, so there are no paths to compare with the journey",
            "is the customer column an event, row or session id? Name the column that holds who the customer is"
            f" ({named_columns().option} customer=COLUMN)",
            level="warning",
        ))
    early = sum(c.customers for c in tables.cohorts if c.day < EARLIEST_PLAUSIBLE_DAY)
    if early:
        # a number under 10^8 is seconds since 1970: an Excel day number (45567.5), or 0 for "no time",
        # made customers start in January 1970 without a word
        problems.append(Problem(
            where, "early-timestamp",
            f"{early:,} customer{'s' * (early != 1)} start{'s' * (early == 1)} before 1973 (the first on"
            f" {(_EPOCH + timedelta(days=min(c.day for c in tables.cohorts))).isoformat()}), earlier than any journey's"
            " log goes back: a timestamp that is a number under 10^8 is read as seconds since 1970",
            _early_hint([c.day for c in tables.cohorts if c.day < EARLIEST_PLAUSIBLE_DAY]),
            level="warning",
        ))
    late = sum(c.customers for c in tables.cohorts if c.day >= LATEST_PLAUSIBLE_DAY)
    long = sorted(((f.long, f.source, f.target) for f in tables.flows if f.long), key=lambda x: (-x[0], x[1], x[2]))
    if late or long:
        # 9999-12-31 for 'no date' (a ticket's closing time, a record's end of validity) made a step of 7,973 years,
        # the p90 of its flow '2912441d 14h', without a word
        said = []
        if long:
            steps = sum(n for n, _, _ in long)
            took = ", ".join(f"'{shown(a)}' -> '{shown(b)}' ({n:,})" for n, a, b in long[:3]) + (" and more" if len(long) > 3 else "")
            said.append(f"{steps:,} step{'s' * (steps != 1)} between touchpoints take{'s' * (steps == 1)} 50 years or more ({took})")
        if late:
            day = min(c.day for c in tables.cohorts if c.day >= LATEST_PLAUSIBLE_DAY)
            said.append(f"{late:,} customer{'s' * (late != 1)} start{'s' * (late == 1)} after 2100 (the first on"
                        f" {(_EPOCH + timedelta(days=day)).isoformat()})")
        problems.append(Problem(
            where, "far-timestamp",
            "; ".join(said) + f": no journey {'takes so long' if not late else 'starts so late' if not long else 'takes so long or starts so late'},"
            " so such dates stand for 'no date'"
            " (9999-12-31 or 2099-12-31 in many systems, 0 or 1970-01-01 in others); a step's time counts in its"
            " flow's median and p90",
            "leave the rows dated so out of the log (or empty their timestamps: such rows are then told as bad rows)",
            level="warning",
        ))
    # a touchpoint of another journey that a declared flow leads to counts its ad hoc customers only: a step
    # there by that flow is the flow (a handoff), not a touchpoint to add to this journey
    unknown = sorted(((n, t) for t, v in tables.visitors.items() if t not in known and (n := tables.met_ad_hoc.get(t, v))),
                     key=lambda x: (-x[0], x[1]))
    if unknown and not any(t in known for t in tables.visitors):
        # nothing to compare: "conversion observed 100%" and 100% ad hoc read like findings
        listed = ", ".join(f"'{shown(t)}'" for _, t in unknown[:5]) + (f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else "")
        problems.append(Problem(
            where, "no-journey-touchpoints",
            f"none of the log's {len(unknown):,} touchpoint{'s' * (len(unknown) != 1)} ({listed}) is in the journey"
            f" '{journey.id}', so nothing in it can be compared with the journey",
            _guesses(unknown, journey) or "is it the log of another journey? Its touchpoint column must hold the journey's touchpoint ids",
        ))
    elif unknown:
        listed = ", ".join(f"'{shown(t)}' ({n:,} customer{'s' * (n != 1)})" for n, t in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        hint = _guesses(unknown, journey)
        problems.append(Problem(
            where, "unknown-touchpoint",
            f"{len(unknown)} touchpoint{'s' * (len(unknown) != 1)} in the log"
            f" {'are' if len(unknown) != 1 else 'is'} not in the journey '{journey.id}': {listed}{more};"
            " counted as ad hoc visits",
            hint or "add them to the journey if they belong to it",
            level="warning",
        ))
    points = []
    for touchpoint in sorted((t for t in tables.visitors if t in known), key=order.__getitem__):
        visitors = tables.visitors[touchpoint]
        points.append(DataPoint(touchpoint, "volume", float(visitors), None, source, where, None, "events"))
        if not known[touchpoint].outcome:
            # per visit, as the flows' shares are (a journey ends once, after its last visit there)
            visits = tables.visits.get(touchpoint, visitors)
            share = tables.ended_without_success.get(touchpoint, 0) / visits
            points.append(DataPoint(touchpoint, "drop_off", share, visits, source, where, None, "events"))
    customers = tables.customers
    summary = EventSummary(
        list(tables.files), customers, tables.outcomes["success"], tables.outcomes["failure"],
        tables.outcomes["left"], flows, engine=tables.engine, handed_off=tables.outcomes["handoff"],
        entries=dict(sorted(tables.entries.items(), key=lambda kv: (order.get(kv[0], big), kv[0]))),
        conformance={k: v / customers for k, v in tables.conformance.items()} if customers else None,
        deviations=[
            Deviation(d.type, d.source, d.target, d.customers, d.examples)  # type: ignore[arg-type]
            for d in tables.deviations
        ],
        rows=tables.rows,
        conformance_counts=dict(tables.conformance),
        cohorts=list(tables.cohorts),
        visitors=dict(tables.visitors),
    )
    if any(p.code == "no-journey-touchpoints" for p in problems):
        # another journey's log: no figure of it is about this journey ("conversion observed 0%", "ad hoc 100%")
        return [], EventSummary(list(tables.files), 0, 0, 0, 0, [], engine=tables.engine, rows=tables.rows), problems
    return points, summary, problems


def log_span(summary: EventSummary) -> tuple[date, date, int] | None:
    """The days an event log's customers started on: the first and the last customer's first-event day
    (UTC) and the days from one to the other, both counted (a week's export: 7); None without customers."""
    days = [c.day for c in summary.cohorts if c.customers]
    if not days:
        return None
    first, last = min(days), max(days)
    return _EPOCH + timedelta(days=first), _EPOCH + timedelta(days=last), last - first + 1


# -- planned vs actual per period and per segment ------------------------------


@dataclass
class Breakdown:
    """Planned vs actual for one period or segment: customers, successes, customers per conformance type."""

    label: str
    customers: int = 0
    succeeded: int = 0
    conformance: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CONFORMANCE, 0))

    @property
    def conversion_observed(self) -> float | None:
        return self.succeeded / self.customers if self.customers else None

    def add(self, cohort: Cohort) -> None:
        self.customers += cohort.customers
        self.succeeded += cohort.success
        for name in CONFORMANCE:
            self.conformance[name] += getattr(cohort, name)


_EPOCH = date(1970, 1, 1)


def period_label(day: int, period: str) -> str:
    """The period of a day since 1970: ``2026-09-14``, ``2026-W38`` (ISO week), ``2026-09`` or ``2026-Q3``
    (the same labels as survey answers get)."""
    from .responses import period_label as label_of_date

    return label_of_date(_EPOCH + timedelta(days=day), period)


def by_period(cohorts: Iterable[Cohort], period: str) -> list[Breakdown]:
    """Customers by the period (UTC) of their first event, oldest first."""
    found: dict[str, Breakdown] = {}
    for cohort in sorted(cohorts):
        label = period_label(cohort.day, period)
        found.setdefault(label, Breakdown(label)).add(cohort)
    return list(found.values())


def by_segment(cohorts: Iterable[Cohort]) -> list[Breakdown]:
    """Customers by segment (that of their first event; '' for none), by name."""
    found: dict[str, Breakdown] = {}
    for cohort in sorted(cohorts, key=lambda c: c.segment):
        found.setdefault(cohort.segment, Breakdown(cohort.segment)).add(cohort)
    return list(found.values())
