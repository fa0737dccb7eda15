"""Engines that read an event log and compute its aggregates.

An engine turns event-log files into :class:`EventTables`: plain counts, flows,
deviations and cohorts, nothing engine-specific. Three engines share one
definition of what is counted:

- ``duckdb`` (the default when installed): embedded, streaming, bounded memory;
- ``spark``: PySpark, local mode or a cluster, for logs that outgrow one machine;
- ``python``: the pure-Python reference (small logs, no extra dependency; the
  tests hold the other two to it).

DuckDB and Spark run the same SQL (:mod:`.sql`); the Python engine is a
literal transcription of it, kept small so that it is easy to trust. The engine
is chosen once, at the edge (``report --engine``); nothing else imports one.

Definitions (all engines):

- a customer's events are put in order of (seconds, touchpoint, outcome,
  segment); the order of rows in the file never matters, so every engine gives
  the same path; the customer's *segment* is that of their first event;
- consecutive events at the same touchpoint are one *visit*, except at a
  touchpoint whose journey declares a self-loop (a flow to itself, a retention
  loop ``renew -> renew``): there each event is a visit of its own, and each
  repeat is that flow;
- a *flow* is a visit followed by the customer's next visit; its time runs
  from the last event of the first visit to the first event of the next;
- median and p90 are *nearest-rank* percentiles (SQL's PERCENTILE_DISC): the
  smallest time t such that at least 50% (90%) of the flow's times are <= t;
- a *handoff* is a step from a touchpoint to the touchpoint of another journey
  that one of its flows leads to (``next: [{to: X, journey: other}]``): the
  declared flow out of this journey. The same touchpoint met anywhere else (first,
  or after another touchpoint) is an ad hoc visit;
- a customer's *outcome* is the last non-empty ``outcome`` cell of their events,
  else the outcome the journey declares for the touchpoint they ended at, else
  ``handoff`` when their last step was a handoff, else ``left``;
- deviations (CJML, Halvorsrud et al. 2016), per customer:
  *ad hoc*: a visit to a touchpoint the journey does not have;
  *out of sequence*: a flow between two touchpoints of the journey that it does
  not declare, or a first visit at a touchpoint that is not an entry;
  *missing*: a touchpoint they visited is reachable from the entries only
  through a touchpoint they never visited (a dominator in the declared flows);
  *failing*: the outcome is neither ``success`` nor ``handoff``;
  *conforming*: none of the four;
- with a persona (``--persona``: :meth:`JourneyFacts.of` of the persona, chosen by
  :func:`~journeymap.data.events.read_events`), "the journey" above is the persona's
  view of it: its declared flows, its entries and what they require. A touchpoint
  it does not meet is still the journey's (not ad hoc): a step into it is out of
  sequence, and so is a first visit at another persona's entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ...problems import Problem

if TYPE_CHECKING:
    from ...model import Journey

ENGINES = ("duckdb", "spark", "python")
DEVIATION_TYPES = ("ad_hoc", "out_of_sequence", "missing", "failing")
CONFORMANCE = ("conforming", *DEVIATION_TYPES)
EXAMPLES = 3
"""Example customer ids kept per deviation (the smallest ids)."""
TOP_DEVIATIONS = 200
"""Deviations kept of each type, most customers first (all engines cut at the same place)."""
LONG_STEP = 50 * 365 * 86_400
"""A step between touchpoints of this many seconds (50 years of 365 days) or more is counted (:attr:`FlowCount.long`):
no journey takes so long, and a date far in the future is how many systems write "no date"."""


@dataclass(frozen=True)
class JourneyFacts:
    """What the engines need to know about the journey, as plain values."""

    outcomes: dict[str, str]
    """Every touchpoint id -> its declared outcome ('' for none)."""
    flows: frozenset[tuple[str, str]]
    entries: frozenset[str]
    requires: frozenset[tuple[str, str]]
    """(touchpoint, required): ``required`` is the immediate dominator of ``touchpoint``:
    the last touchpoint every declared path from an entry to it passes."""
    loops: frozenset[str] = frozenset()
    """The touchpoints with a declared self-loop (a flow to themselves, not into another journey):
    there consecutive events are separate visits, each repeat the self-loop flow."""
    links: frozenset[tuple[str, str]] = frozenset()
    """(touchpoint, target): a declared flow from ``touchpoint`` into another journey, whose
    touchpoint ``target`` this journey does not have (a step there is a handoff)."""

    def touchpoint_rows(self) -> list[tuple[str, str, int]]:
        """(id, outcome, 1 if an entry else 0), by id."""
        return [(t, outcome, int(t in self.entries)) for t, outcome in sorted(self.outcomes.items())]

    @classmethod
    def of(cls, journey: Journey, persona: str | None = None) -> JourneyFacts:
        """The facts of ``journey``; with ``persona`` (a persona id), of the persona's view of it, as the model
        of that persona has it (:class:`~journeymap.graph.JourneyGraph`): the flows between the touchpoints
        it meets and from them into other journeys, its entries, and the touchpoints those flows require.
        Every touchpoint stays the journey's: one the persona does not meet is not ad hoc, and a step into
        it (or from it) is a flow the persona's view does not declare, out of sequence."""
        import networkx as nx

        own = {t.id for t in journey.touchpoints}
        met = {t.id for t in journey.touchpoints_for(persona)}
        flows = frozenset((t.id, f.to) for t in journey.touchpoints if t.id in met for f in t.next
                          if f.to in met or f.to not in own)
        loops = frozenset(t for t in self_loops(journey) if t in met)
        if persona is None:
            entries = frozenset(journey.entry_ids())
        else:
            from ...graph import JourneyGraph

            entries = frozenset(JourneyGraph(journey, persona).entries)
        declared = nx.DiGraph()
        root = ("entry",)  # not a string: cannot clash with a touchpoint id
        declared.add_node(root)
        declared.add_nodes_from(own)
        # between the journey's touchpoints only: a flow into another journey's touchpoint made it a
        # node, 'required' by its source in the reference (missing when met first) and in no SQL engine
        declared.add_edges_from((a, b) for a, b in flows if a != b and b in own)
        declared.add_edges_from((root, e) for e in entries)
        idom = nx.immediate_dominators(declared, root)
        requires = {(t, up) for t, up in idom.items() if t != root and up != root}
        links = frozenset((t.id, f.to) for t in journey.touchpoints if t.id in met for f in t.next
                          if f.leads_out(journey.id) and f.to not in own)
        return cls(
            {t.id: t.outcome or "" for t in journey.touchpoints}, flows, entries, frozenset(requires), loops=loops, links=links
        )


def self_loops(journey: Journey) -> frozenset[str]:
    """The touchpoints of ``journey`` with a flow to themselves (``renew -> renew``); a flow to a
    touchpoint of the same id in another journey is no loop."""
    return frozenset(t.id for t in journey.touchpoints for f in t.next if f.to == t.id and not f.leads_out(journey.id))


@dataclass(frozen=True, order=True)
class FlowCount:
    source: str
    target: str
    count: int
    median_seconds: float
    p90_seconds: float
    ties: int = 0
    """Steps of the flow taken at the same moment as the step before (a gap of 0): their order is the
    tie rule's, not time's (a log of dates only has many)."""
    long: int = 0
    """Steps of the flow that took :data:`LONG_STEP` seconds or more: a step to a date that stands for "no
    date" (9999-12-31, 2099-12-31), whose time counts in the flow's median and p90."""


@dataclass(frozen=True)
class DeviationCount:
    type: str
    source: str | None
    target: str | None
    customers: int
    examples: tuple[str, ...]


@dataclass(frozen=True, order=True)
class Cohort:
    """Customers by the UTC day of their first event and their segment."""

    day: int
    """Days since 1970-01-01 (UTC) of the customer's first event."""
    segment: str
    customers: int
    success: int
    failure: int
    left: int
    conforming: int
    ad_hoc: int
    out_of_sequence: int
    missing: int
    failing: int
    handoff: int = 0
    """Customers whose outcome is ``handoff`` (their last step a declared flow into another journey)."""


@dataclass
class EventTables:
    """An event log's aggregates: the same values from every engine."""

    engine: str
    customers: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: {"success": 0, "failure": 0, "left": 0, "handoff": 0})
    visitors: dict[str, int] = field(default_factory=dict)
    visits: dict[str, int] = field(default_factory=dict)
    ended_without_success: dict[str, int] = field(default_factory=dict)
    """Customers whose path ended at a touchpoint with another outcome than success or handoff."""
    entries: dict[str, int] = field(default_factory=dict)
    flows: list[FlowCount] = field(default_factory=list)
    conformance: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CONFORMANCE, 0))
    deviations: list[DeviationCount] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    rows: int = 0
    """Event rows read (bad rows included)."""
    busiest: tuple[str, int] | None = None
    """The customer with the most events, and their count (the smallest id of those tied): a bot or a
    test account looping through the journey weighs in every share and time of its flows."""
    off_journey: int = 0
    """Customers who visited none of the journey's touchpoints (only ad hoc ones)."""
    exponent_ids: tuple[int, str] | None = None
    """The customers whose id is a number written with an exponent (``1.23457E+11``, :data:`.sql.EXPONENT_ID`),
    and the smallest such id; None for none: Excel shows a long id so, keeping its first six digits, and a log
    saved from it makes the customers whose ids differ after them one customer."""
    cased_ids: tuple[int, int, str, str] | None = None
    """Customer ids that are e-mail addresses or UUIDs and differ from another only in the capitals of their ASCII
    letters (``Ann@Example.com``, ``ann@example.com``): how many such ids name one in other capitals, in how many
    customers, and the two ids (smallest and largest) of the group whose lower-case id is smallest; None for none.
    Read as written they are customers apart, where an address or a UUID names one whatever its capitals."""
    number_ids: tuple[int, int, str, str] | None = None
    """Customer ids that write one whole number two ways: with leading zeros (``00123`` beside ``123``, a file
    saved from Excel) or as pandas writes a number column with an empty cell (``12345.0`` beside ``12345``):
    how many numbers are so written, in how many ids, and the two ids (smallest and largest) of the group of
    the smallest number (text order); None for none. Read as written they are customers apart."""
    formula_ids: tuple[int, str] | None = None
    """The customers whose id is written as Excel's text formula, ``="00123"`` (an export that keeps Excel from
    dropping an id's leading zeros), and the smallest such id; None for none: read as written, it is another
    customer than the ``00123`` of a file that writes the id plainly."""
    met_ad_hoc: dict[str, int] = field(default_factory=dict)
    """Each touchpoint of another journey a declared flow leads to (:attr:`JourneyFacts.links`), by id:
    the customers who met it other than right after that flow's source (ad hoc; 0 when every visit
    was a handoff). The other touchpoints the journey does not have are met ad hoc by all their
    :attr:`visitors`."""
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add_cohort_totals(self) -> None:
        """Customers, outcomes and conformance summed over :attr:`cohorts` (every engine's last step)."""
        for cohort in self.cohorts:
            self.customers += cohort.customers
            self.outcomes["success"] += cohort.success
            self.outcomes["failure"] += cohort.failure
            self.outcomes["left"] += cohort.left
            self.outcomes["handoff"] += cohort.handoff
            for name in CONFORMANCE:
                self.conformance[name] += getattr(cohort, name)

    def comparable(self) -> tuple[object, ...]:
        """Everything but the engine name, files and problems: what engines must agree on."""
        return (
            self.customers, self.outcomes, self.visitors, self.visits, self.ended_without_success,
            self.entries, self.flows, self.conformance, self.deviations, self.cohorts, self.rows, self.busiest,
            self.off_journey, self.met_ad_hoc, self.exponent_ids, self.formula_ids, self.cased_ids, self.number_ids,
        )


@dataclass(frozen=True)
class EngineOptions:
    segment: str | None = None
    """Only the customers of this segment (the log's ``segment`` or ``persona`` column): a segment cell
    names it when it spells it, or one of ``segment_names``, in any capitals, spaces, underscores, dots or
    hyphens (:func:`chosen_segments`)."""
    segment_names: tuple[str, ...] = ()
    """Other names of ``segment`` its cells may be written as: the persona's name (``Busy parent`` for
    ``busy-parent``), as a BI tool or a CRM writes a segment by its label."""
    spark_master: str | None = None
    spark_remote: str | None = None
    memory_limit: str | None = None
    threads: int | None = None
    period: str | None = None
    """``day``, ``week`` or ``month``: planned vs actual per period (engines give days; see events.by_period)."""
    columns: tuple[tuple[str, str], ...] = ()
    """(journeymap's name, the log's column) pairs: the log's columns read as journeymap's
    (``--events-column customer=user_id``; see :func:`.rows.parse_columns`)."""
    response_columns: tuple[tuple[str, str], ...] = ()
    """The same for survey responses files (``--responses-column score=rating``)."""
    metric_columns: tuple[tuple[str, str], ...] = ()
    """The same for metrics tables (``--metrics-column value=score``)."""
    events_time_zone: str | None = None
    """The IANA time zone (``Europe/Paris``) in which the log's dates and times written without a zone are local
    time (``--events-time-zone``; see :func:`.rows.events_time_zone`); None: they are UTC."""
    encoding: str | None = None
    """The encoding of the data files (event logs, survey responses, metrics tables) when it is not UTF-8:
    ``windows-1252``, ``latin-1``, ``mac-roman`` or another of Python's codecs (``--data-encoding``; see
    :mod:`journeymap.data.encoding`). None: UTF-8, or UTF-16 with a byte-order mark."""


def segment_key(text: str) -> str:
    """How a segment cell is compared with ``--persona``'s: casefolded, without spaces, underscores, dots,
    colons and hyphens (``Busy Parent``, ``busy_parent`` and ``BUSY-PARENT`` are one), as a survey file's
    persona column is read."""
    from .rows import squeezed

    return squeezed(text.casefold())


def chosen_segments(values: Iterable[str], options: EngineOptions) -> list[str]:
    """The segment cells of ``values`` (as the log writes them) that name ``options.segment``: it or one of
    ``options.segment_names`` by :func:`segment_key`; sorted. Every engine chooses a persona's customers by
    these, so they agree whatever the capitals (SQL's LOWER and Python's differ on some letters)."""
    keys = {segment_key(name) for name in (options.segment or "", *options.segment_names)} - {""}
    return sorted({value for value in values if value and segment_key(value) in keys})


def no_segments(files: Sequence[str], segment: str) -> Problem:
    """The warning when ``--persona`` asks for a segment and no customer has one (a customer's
    segment is that of their first event)."""
    from ...problems import Span

    return Problem(
        Span(", ".join(files) or "event log"), "no-segments",
        f"no customer's first event in the event log has a segment or persona, so it is not narrowed to '{segment}'"
        " (a customer's segment is that of their first event)",
        "add a segment (or persona) column, filled on each customer's first event at least, to compare personas",
        level="warning",
    )


class Engine(Protocol):
    def __call__(
        self, paths: Sequence[Path], facts: JourneyFacts, options: EngineOptions
    ) -> EventTables: ...


def get_engine(name: str | None) -> tuple[str, Engine]:
    """The engine called ``name`` (None: DuckDB when installed, else Python).

    Raises ``ValueError`` for an unknown name and ``ImportError`` (with the pip
    command) when the engine's package is missing.
    """
    if name is None:
        import importlib.util

        name = "duckdb" if importlib.util.find_spec("duckdb") else "python"
    if name not in ENGINES:
        raise ValueError(f"unknown engine '{name}' (engines: {', '.join(ENGINES)})")
    import importlib

    package = {"duckdb": "duckdb", "spark": "pyspark"}.get(name)
    if package is not None:
        try:
            importlib.import_module(package)
        except ImportError as exc:
            raise ImportError(f"the {name} engine needs {package}: pip install 'journeymap[{name}]'") from exc
    module = importlib.import_module(f"{__name__}.{name}")
    return name, _with_columns(module.aggregate, getattr(module, "TELLS_CLOCK_CHANGES", False))


def _with_columns(aggregate: Engine, tells_clock_changes: bool = False) -> Engine:
    """``aggregate`` reading the log's columns under the names ``options.columns`` gives them; an engine that
    ``tells_clock_changes`` (``--events-time-zone``'s warnings, :func:`.locate.local_times`) gives them itself."""
    from functools import wraps

    from .rows import columns_named

    @wraps(aggregate)
    def engine(paths: Sequence[Path], facts: JourneyFacts, options: EngineOptions) -> EventTables:
        from ..encoding import read_as
        from .rows import events_time_zone

        with columns_named(dict(options.columns)), events_time_zone(options.events_time_zone), read_as(options.encoding):
            tables = _segment_told(aggregate(paths, facts, options), aggregate, paths, facts, options)
            tables.problems, zones = _zones_told(paths, tables.problems, tables_told=tells_clock_changes)
            tables.problems += zones
            return tables

    return engine


def _zones_told(paths: Sequence[Path], problems: list[Problem], tables_told: bool) -> tuple[list[Problem], list[Problem]]:
    """(``problems`` without the clock changes' warnings the engine told, when it ``tables_told`` them; the warnings
    of :func:`.locate.zone_mix`, those among them, where the reference's pass puts them)."""
    from .locate import CLOCK_CODES, zone_mix

    if not tables_told:
        return problems, zone_mix(paths)
    clock = [p for p in problems if p.code in CLOCK_CODES]
    return [p for p in problems if p.code not in CLOCK_CODES], zone_mix(paths, clock)


def _segment_told(tables: EventTables, aggregate: Engine, paths: Sequence[Path], facts: JourneyFacts,
                  options: EngineOptions) -> EventTables:
    """``tables`` of ``options.segment``, told which segments the log has when it has none of that one."""
    if (options.segment is not None and tables.customers == 0 and tables.rows > 0
            and not any(p.code in ("no-segments", "gzip", "io") or p.is_error and p.span.line is None
                        for p in tables.problems)):
        # Every row read and none of that segment: most likely the log writes it otherwise
        # ('Busy Parent' for busy-parent). Say which segments it has (a second pass, only here).
        from dataclasses import replace

        everyone = aggregate(paths, facts, replace(options, segment=None))
        tables.problems.append(no_such_segment(tables.files, options.segment, everyone.cohorts))
    return tables


def aggregate_each(name: str | None, paths: Sequence[Path], runs: Sequence[tuple[JourneyFacts, EngineOptions]]) -> list[EventTables]:
    """The tables of engine ``name`` (as :func:`get_engine` names it) for each ``(facts, options)`` of
    ``runs``, whose options differ in ``segment`` only: the same as one call each, with the log read
    once where the engine can share the reading (DuckDB; Spark, in one session), else one read a run."""
    import importlib

    engine_name, aggregate = get_engine(name)
    module = importlib.import_module(f"{__name__}.{engine_name}")
    each = getattr(module, "aggregate_each", None)
    if each is None or not runs:
        return [aggregate(paths, facts, options) for facts, options in runs]
    from ..encoding import read_as
    from .rows import columns_named, events_time_zone

    tells = getattr(module, "TELLS_CLOCK_CHANGES", False)
    with columns_named(dict(runs[0][1].columns)), events_time_zone(runs[0][1].events_time_zone), read_as(runs[0][1].encoding):
        found = each(paths, runs)
        done = []
        for tables, (facts, options) in zip(found, runs, strict=True):
            told = _segment_told(tables, module.aggregate, paths, facts, options)
            problems, zones = _zones_told(paths, told.problems, tables_told=tells)
            done.append(replace(told, problems=problems + zones))
        return done


def no_such_segment(files: Sequence[str], segment: str, cohorts: Sequence[Cohort]) -> Problem:
    """The warning when ``--persona`` narrows a log with segments to no customer at all."""
    from ...problems import Span, did_you_mean
    from .rows import listed, shown

    counts: dict[str, int] = {}
    for cohort in cohorts:
        if cohort.segment:
            counts[cohort.segment] = counts.get(cohort.segment, 0) + cohort.customers
    ranked = sorted(counts, key=lambda s: (-counts[s], s))
    segments = listed([f"'{shown(s)}' ({counts[s]:,})" for s in ranked])

    # the closest segment is the log's spelling of the persona, not a persona to ask for (--persona refuses it)
    close = did_you_mean(segment, ranked)
    match = next((s for s in ranked if close is not None and close.startswith(f"did you mean '{s}'?")), None)
    hint = (f"is '{shown(match)}' the log's spelling of '{shown(segment)}'? Write the persona's id there, in the log's"
            " segment (or persona) column") if match is not None else None
    return Problem(
        Span(", ".join(files) or "event log"), "no-such-segment",
        f"no customer in the event log has the segment '{shown(segment)}', so the report for it has no customers;"
        f" the log's segments (customers): {segments or 'none'}",
        hint or "write the persona's id in the log's segment (or persona) column",
        level="warning",
    )
