"""Metric data kept outside the journey file: metric tables, survey responses, event logs.

Metrics change weekly; structure does not. :func:`load_metric_data` reads the
data files given for a journey and returns a :class:`MetricData`: one
:class:`DataPoint` per (touchpoint, metric) and every problem found, each with
the file and CSV line. A bad row is reported and skipped, never silently
dropped; a file is never a traceback.

Which value wins, from weakest to strongest: the journey file, an event log,
a metrics table, survey responses (raw answers beat an aggregate). Each time a
data file replaces a value from a weaker source it says so (a note on the
touchpoint for the journey file, a ``data-clash`` warning between data files).

Errors (the report exits 1): unreadable files, missing columns, values that
cannot be read or lie off their scale, unknown touchpoints or metrics,
duplicate rows. Warnings (exit 0): ignored columns, blank survey answers,
repeated respondents, unreadable survey dates, flows seen in an event log that
the journey does not declare, clashes between data files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..problems import Problem, Span, did_you_mean, quoted, sort_problems

if TYPE_CHECKING:
    from ..metrics import MetricSpec
    from ..model import Journey
    from ..stats import Sample
    from .engines import Cohort, EngineOptions
    from .verbatims import Verbatims

PathLike = str | Path
Paths = PathLike | Sequence[PathLike] | None


@dataclass(frozen=True)
class DataPoint:
    """A metric value for a touchpoint, read or computed from a data file."""

    touchpoint: str
    metric: str
    value: float
    n: int | None
    source: str
    """The data file's name (several, comma-separated, when responses were pooled)."""
    span: Span
    """The row it comes from (for computed values: the first row used)."""
    period: str | None = None
    how: Literal["table", "responses", "events"] = "table"
    sample: Sample | None = None
    """The answers behind a value computed from responses (for its interval and tests of change)."""
    series: tuple[DataPoint, ...] = ()
    """Every period's value, oldest first, when the data has periods (the value is the latest's)."""
    persona: str | None = None
    """The persona (segment) the value is for; None: everyone."""
    currency: str | None = None
    """The currency a metrics-table amount was written in (``1200 EUR``, ``€1200``: EUR), if any."""


@dataclass(frozen=True)
class ObservedFlow:
    """A transition seen in an event log: ``count`` times out of the visits to ``source``."""

    source: str
    target: str
    count: int
    share: float
    declared_share: float | None
    """The journey's resolved share for this flow; None when the journey has no such flow."""
    median_seconds: float | None = None
    """Median time from ``source`` to ``target`` (None when the engine gave no times)."""
    p90_seconds: float | None = None
    """90th percentile of the time from ``source`` to ``target``."""
    ties: int = 0
    """Steps of the flow taken at the same moment as the step before: their order is the tie rule's (touchpoint ids),
    not the customers' (a log of dates only ties every step of a day)."""
    long: int = 0
    """Steps of the flow that took 50 years or more (:data:`.engines.LONG_STEP`): to or from a date that stands
    for "no date" (9999-12-31, 0), whose time counts in the median and p90."""


DeviationType = Literal["ad_hoc", "out_of_sequence", "missing", "failing"]


@dataclass(frozen=True)
class Deviation:
    """One way customers left the designed journey (CJML deviation types).

    ``ad_hoc``: ``target`` is a touchpoint the journey does not have (``source`` is
    where they came from, or None); ``out_of_sequence``: ``source`` -> ``target`` is not
    a declared flow; ``missing``: ``target`` is a required touchpoint they skipped on
    the way to ``source``; ``failing``: they ended at ``source`` in failure or left.
    """

    type: DeviationType
    source: str | None
    target: str | None
    customers: int
    examples: tuple[str, ...] = ()
    """A few customer ids, smallest first."""


@dataclass
class EventSummary:
    """What an event log says about the journey as a whole."""

    files: list[str]
    customers: int
    succeeded: int
    failed: int
    left: int
    flows: list[ObservedFlow]
    engine: str = "python"
    """The engine that read the log: ``python``, ``duckdb`` or ``spark``."""
    entries: dict[str, int] = field(default_factory=dict)
    """Customers whose journey started at each touchpoint."""
    conformance: dict[str, float] | None = None
    """Shares of customers (0..1): conforming, ad_hoc, out_of_sequence, missing, failing."""
    deviations: list[Deviation] = field(default_factory=list)
    rows: int = 0
    """Event rows read, bad rows included."""
    conformance_counts: dict[str, int] = field(default_factory=dict)
    """Customers (counts, not shares) per conformance type."""
    cohorts: list[Cohort] = field(default_factory=list)
    """Customers by the day of their first event and their segment (for ``--period``)."""
    period: str | None = None
    """``day``, ``week`` or ``month`` when planned vs actual was asked per period."""
    visitors: dict[str, int] = field(default_factory=dict)
    """Customers who visited each touchpoint of the log (the journey's and others)."""
    persona: str | None = None
    """The persona whose customers these are (:func:`add_persona_events`); None: the log's customers."""
    handed_off: int = 0
    """Customers whose last step was a declared flow into another journey (the outcome ``handoff``:
    neither success nor failure nor left)."""

    @property
    def conversion_observed(self) -> float | None:
        return self.succeeded / self.customers if self.customers else None


@dataclass
class MetricData:
    """Metric values from data files, keyed by ``(touchpoint, metric)``, and the problems found."""

    points: dict[tuple[str, str], DataPoint] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    events: EventSummary | None = None
    personas: dict[str, dict[tuple[str, str], DataPoint]] = field(default_factory=dict)
    """Per-persona values (data rows with a ``persona`` or ``segment`` column), by persona id."""
    verbatims: dict[str, Verbatims] = field(default_factory=dict)
    """What customers wrote at each touchpoint (the ``comment`` column of responses)."""
    persona_verbatims: dict[str, dict[str, Verbatims]] = field(default_factory=dict)
    """Each persona's own verbatims, by persona id and touchpoint."""
    persona_events: dict[str, EventSummary] = field(default_factory=dict)
    """Each persona's own reading of the event log (:func:`add_persona_events`), by persona id."""
    _by_touchpoint: dict[str, dict[str, DataPoint]] | None = field(default=None, repr=False, compare=False)
    _indexed: int = field(default=0, repr=False, compare=False)

    def get(self, touchpoint: str, metric: str) -> DataPoint | None:
        return self.points.get((touchpoint, metric))

    def for_touchpoint(self, touchpoint: str) -> dict[str, DataPoint]:
        """The data points of one touchpoint, by metric name."""
        if not self.points:
            return {}
        if self._by_touchpoint is None or self._indexed != len(self.points):
            index: dict[str, dict[str, DataPoint]] = {}
            for (t, m), point in self.points.items():
                index.setdefault(t, {})[m] = point
            self._by_touchpoint, self._indexed = index, len(self.points)
        return dict(self._by_touchpoint.get(touchpoint, {}))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def for_persona(self, persona: str | None) -> MetricData:
        """The data as one persona's customers gave it: their own values where the data has
        them, everyone's elsewhere. Comments are the persona's own only: when comments say who wrote
        them, a persona that wrote none has none (not everyone's). The same object when the persona
        has no values of its own and the comments say nothing of personas."""
        own = self.personas.get(persona) if persona is not None else None
        said = self.persona_verbatims.get(persona) if persona is not None else None
        if said is None and persona is not None and self.persona_verbatims:
            said = {}
        others = self.others_only(persona)
        events = self.persona_events.get(persona) if persona is not None else None
        if events is not None:  # the persona's own log figures: none of everyone's where its customers had none
            others |= {k for k, p in self.points.items() if p.how == "events"}
        if not own and said is None and not others:
            return self
        return MetricData(
            points={**{k: p for k, p in self.points.items() if k not in others}, **(own or {})},
            problems=self.problems,
            events=events if events is not None else self.events,
            personas=self.personas,
            verbatims=said if said is not None else self.verbatims,
            persona_verbatims=self.persona_verbatims,
            persona_events=self.persona_events,
        )


    def others_only(self, persona: str | None) -> set[tuple[str, str]]:
        """The values everyone's survey answers give that other personas' answers alone make up: every
        answer behind them (in every period) says whose it is, and none is ``persona``'s. They are not
        that persona's (one persona's five CSAT answers showed as another's "CSAT 0%", a weak reason in
        its view), so its view keeps the journey file's value there. A value with answers that say no
        persona, and a metrics table's value (a summary, whose n may count otherwise), stay everyone's."""
        if persona is None or not self.personas:
            return set()
        own = self.personas.get(persona) or {}
        counted: dict[tuple[str, str], int] = {}
        for name, points in self.personas.items():
            if name != persona:
                for key, point in points.items():
                    if point.how == "responses":
                        counted[key] = counted.get(key, 0) + _answers(point)
        return {
            key for key, n in counted.items()
            if key not in own and (everyone := self.points.get(key)) is not None and everyone.how == "responses"
            and 0 < _answers(everyone) <= n
        }


def _answers(point: DataPoint) -> int:
    """The answers behind a value computed from responses, in all its periods."""
    if point.series:
        return sum(p.n or 0 for p in point.series)
    return point.n or 0


def as_paths(value: Paths) -> list[Path]:
    """None, one path or several, as a list of paths."""
    if value is None:
        return []
    if isinstance(value, (str, Path)):
        return [Path(value)]
    return [Path(v) for v in value]


def _read_once(paths: list[Path], option: str) -> tuple[list[Path], list[Problem]]:
    """The files ``paths`` name (a folder or a glob names the files in it: :func:`.engines.sources.table_files`),
    each once: a file given twice (or by two names, a link to it) is read once, as event logs are, with a
    warning (its rows would otherwise count twice)."""
    from .engines.sources import distinct_contents, named_twice, table_files

    kept: dict[Path, Path] = {}
    problems: list[Problem] = []
    files: list[Path] = []
    for path in paths:
        found, told = table_files(path, option)
        files += found
        problems += told
    for file in files:
        try:
            real = file.resolve()
        except (OSError, RuntimeError):
            real = file
        if real in kept:
            problems.append(named_twice(file, kept[real], option))
            continue
        kept[real] = file
    from .encoding import transcoded

    read, told = transcoded(distinct_contents(list(kept.values()), option, problems))  # --data-encoding: UTF-8 copies
    return read, problems + told


def load_metric_data(
    journey: Journey,
    *,
    metrics: Paths = None,
    responses: Paths = None,
    events: Paths = None,
    period: str | None = None,
    engine: str | None = None,
    event_options: EngineOptions | None = None,
) -> MetricData:
    """Read every data file given for ``journey`` and merge their values.

    ``period`` (``week``, ``month`` or ``quarter``) buckets dated survey answers
    into periods, so each metric gets a series (see :mod:`journeymap.data.responses`).
    ``event_options`` go to the event-log engine; their ``response_columns`` and
    ``metric_columns`` name the survey and metrics files' own columns, and their
    ``encoding`` (``windows-1252``, ``mac-roman``, ...) is every data file's.

    >>> data = load_metric_data(journey, responses="survey.csv")    # doctest: +SKIP
    >>> data.get("create-account", "csat").value                     # doctest: +SKIP
    0.62
    """
    from .encoding import read_as

    with read_as(event_options.encoding if event_options else None):
        return _load_metric_data(journey, metrics, responses, events, period, engine, event_options)


def _load_metric_data(journey: Journey, metrics: Paths, responses: Paths, events: Paths, period: str | None,
                      engine: str | None, event_options: EngineOptions | None) -> MetricData:
    from ..metrics import catalogue
    from .events import read_events
    from .metrics_table import read_metrics_tables
    from .responses import read_responses

    specs = catalogue(journey.metrics)
    result = MetricData()
    layers: list[list[DataPoint]] = []
    event_files = as_paths(events)
    if event_files:
        points, summary, problems = read_events(event_files, journey, engine=engine, options=event_options)
        layers.append(points)
        result.events = summary
        result.problems += problems
    persona_layers: list[list[DataPoint]] = []
    table_files, problems = _read_once(as_paths(metrics), "--metrics")
    result.problems += problems
    if table_files:
        points, problems = read_metrics_tables(table_files, journey, specs, period, engine=_survey_engine(engine),
                                               columns=dict(event_options.metric_columns) if event_options else None)
        points = _same_currency(points, journey, problems)
        layers.append([p for p in points if p.persona is None])
        persona_layers.append([p for p in points if p.persona is not None])
        result.problems += problems
    response_files, problems = _read_once(as_paths(responses), "--responses")
    result.problems += problems
    if response_files:
        answers = read_responses(response_files, journey, period=period, engine=_survey_engine(engine),
                                 columns=dict(event_options.response_columns) if event_options else None)
        layers.append(answers.points)
        persona_layers.append(answers.persona_points)
        result.problems += answers.problems
        result.verbatims = answers.verbatims
        result.persona_verbatims = answers.persona_verbatims
    for layer in layers:
        for point in layer:
            key = (point.touchpoint, point.metric)
            earlier = result.points.get(key)
            if earlier is not None:
                result.problems.append(_clash(point, earlier, specs))
            result.points[key] = point
    # (touchpoint, persona, a table's rows) the journey does not join
    elsewhere: dict[tuple[str, str, bool], list[DataPoint]] = {}
    for layer in persona_layers:
        for point in layer:
            assert point.persona is not None
            result.personas.setdefault(point.persona, {})[(point.touchpoint, point.metric)] = point
            met_by = journey.touchpoint_by_id[point.touchpoint].personas if point.touchpoint in journey.touchpoint_by_id else None
            if met_by is not None and point.persona not in met_by:
                elsewhere.setdefault((point.touchpoint, point.persona, point.how == "table"), []).append(point)
    result.problems += [_not_met(touchpoint, persona, points) for (touchpoint, persona, _), points in elsewhere.items()]
    from .responses import date_order_notes

    result.problems = sort_problems(date_order_notes(result.problems))
    return result


def _same_currency(points: list[DataPoint], journey: Journey, problems: list[Problem]) -> list[DataPoint]:
    """The points without the amounts written in another currency than the journey file writes the same
    touchpoint's metric in, each an error, as a row in another currency than its series' first is: a
    table's '900 USD' silently replaced the journey's '1300 EUR'. (A metric that declares its unit
    refuses any other currency when the row is read.)"""
    kept = []
    for point in points:
        own = journey.written_currency(point.touchpoint, point.metric)
        if point.currency is not None and own is not None and point.currency != own:
            where = journey.span("touchpoints", point.touchpoint, "metrics", point.metric)
            problems.append(Problem(
                point.span, "metric-value",
                f"this {point.metric} amount for '{point.touchpoint}' is in {point.currency}, but the journey file"
                f" writes it in {own}{f' (at {where})' if where else ''}; the row is left out (journeymap never"
                " converts currencies)",
                f"write the amounts in one currency, or declare it (metrics: {{{point.metric}: {{unit: {own}}}}})",
                related=(where,) if where else (),
            ))
            continue
        kept.append(point)
    return kept


def add_persona_events(
    data: MetricData, journey: Journey, events: Paths, *, engine: str | None = None, options: EngineOptions | None = None
) -> None:
    """Read the event log again for each persona whose id or name is a segment in it (as ``--persona`` reads
    it: any capitals, spaces, underscores or hyphens), so that a
    persona's view has its own customers' volumes, drop-off and planned vs actual (the map's persona
    filter swapped the CSAT chip to the persona's and kept every customer's drop-off beside it). The
    log's files are read and checked once for all of them on DuckDB (one read per persona on the other
    engines); the problems are the first reading's, already told."""
    import dataclasses

    from .engines import EngineOptions, chosen_segments
    from .events import persona_names, read_events_each

    if data.events is None or not journey.personas:
        return
    segments = {c.segment for c in data.events.cohorts if c.segment and c.customers}
    nobody: EventSummary | None = None
    reads: list[str] = []
    for persona in journey.personas:
        named = EngineOptions(segment=persona.id, segment_names=persona_names(journey, persona.id))
        if not chosen_segments(segments, named):
            if segments:  # the log says whose each customer is, and none is this persona's (as --persona reads it)
                if nobody is None:
                    from .engines import EventTables
                    from .events import summary_of

                    _, nobody, _ = summary_of(EventTables(data.events.engine, rows=data.events.rows, files=data.events.files), journey)
                    nobody.period = data.events.period
                data.persona_events[persona.id] = dataclasses.replace(nobody, persona=persona.id)
            continue
        reads.append(persona.id)
    runs = [dataclasses.replace(options or EngineOptions(), segment=p, period=data.events.period) for p in reads]
    for persona_id, (points, summary, told) in zip(reads, read_events_each(as_paths(events), journey, runs, engine=engine), strict=True):
        # the first reading told the log's problems; a segment read as a persona's plural only a persona's reading can
        data.problems += [p for p in told if p.code == "persona-plural"]
        own = data.personas.setdefault(persona_id, {})
        for point in points:  # a data file's value for the persona stays (as everyone's does over the log's)
            own.setdefault((point.touchpoint, point.metric), dataclasses.replace(point, persona=persona_id))
        summary.persona = persona_id
        data.persona_events[persona_id] = summary
    order = [p.id for p in journey.personas]  # in the journey's order of personas, as one read at a time gave them
    data.persona_events = dict(sorted(data.persona_events.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def _not_met(touchpoint: str, persona: str, points: list[DataPoint]) -> Problem:
    """The warning for a persona's values at a touchpoint the journey says the persona does not meet:
    the data or the journey is wrong, and the persona's view, which has no such touchpoint, shows none."""
    first = min(points, key=lambda p: (p.span.file, p.span.line or 0))
    hint = f"add '{persona}' to the personas of '{touchpoint}' in the journey, or check the file's persona column"
    if all(p.how == "table" for p in points):
        # a metrics table's persona row is that persona's only (not everyone's, as a survey answer is)
        rows = sum(len(p.series) or 1 for p in points)
        sample = f" (n={first.n:,})" if rows == 1 and first.n is not None else ""
        return Problem(
            first.span, "persona-not-here",
            f"{'a row' if rows == 1 else f'{rows:,} rows'} of persona '{persona}'{sample} {'is' if rows == 1 else 'are'}"
            f" about '{touchpoint}', a touchpoint the journey says '{persona}' does not meet: a table's persona row is"
            f" that persona's only, so {'it counts' if rows == 1 else 'they count'} for no one, and the persona's view,"
            f" without that touchpoint, does not show {'it' if rows == 1 else 'them'}",
            hint, level="warning",
        )
    # one row's CSAT and comment are two metrics of one answer; under --period a value's n is its
    # latest period's, so its series is counted whole
    n = max(sum(q.n or 0 for q in p.series) if p.series else p.n or 0 for p in points)
    what = f"{n:,} answer{'s' * (n != 1)}" if n else "values"
    return Problem(
        first.span, "persona-not-here",
        f"{what} of persona '{persona}' {'is' if n == 1 else 'are'} about '{touchpoint}', a touchpoint the journey says"
        f" '{persona}' does not meet: {'it counts' if n == 1 else 'they count'} for everyone, and the persona's view,"
        f" without that touchpoint, does not show {'it' if n == 1 else 'them'}",
        hint, level="warning",
    )


def _survey_engine(engine: str | None) -> str | None:
    """The engine for survey and metric files: DuckDB or the row reader (Spark is for event logs)."""
    return engine if engine in ("duckdb", "python") else None


def _clash(point: DataPoint, earlier: DataPoint, specs: dict[str, MetricSpec]) -> Problem:
    spec = specs[point.metric]
    # The winner's series is the value's: the periods only the other file has leave the series and the trend
    # (a table's history of January to March beside April's answers), which "wins" did not say.
    kept = {p.period for p in point.series or (point,)}
    lost = [p.period for p in earlier.series or (earlier,) if p.period and p.period not in kept]
    gone = ""
    if lost:
        which = lost[0] if len(lost) == 1 else f"{lost[0]} to {lost[-1]}"
        gone = (f", and {len(lost)} period{'s' * (len(lost) != 1)} of {_HOW[earlier.how]} that it does not have"
                f" ({which}) {'is' if len(lost) == 1 else 'are'} in no series or trend")
    return Problem(
        point.span,
        "data-clash",
        f"{spec.label} of '{point.touchpoint}' is {spec.format(point.value)}{_which(point)} here"
        f" and {spec.format(earlier.value)}{_which(earlier)} at {earlier.span}; {_HOW[point.how]} wins{gone}",
        level="warning",
        related=(earlier.span,),
    )


def _which(point: DataPoint) -> str:
    """The period and count a value is for, in a clash: the latest period's value of a series of
    another file's first row was compared without a word of which periods they were."""
    said = [f"period {point.period}"] if point.period else []
    if point.n is not None:
        said.append(f"n={point.n:,}")
    return f" ({', '.join(said)})" if said else ""


_HOW = {"table": "the metrics table", "responses": "the value computed from responses", "events": "the event log"}


# -- checks shared by the readers ---------------------------------------------


#: Cells that say "no answer" rather than give one, in a score cell and in a comment cell alike
#: (upper case; read in any case, with a curly apostrophe as a straight one): a database's NULL,
#: R's NA, pandas' NaN, Excel's #N/A, a person's N/A or -, and the answer options survey tools
#: export for a question not answered ("Don't know", "Prefer not to say", Zendesk's "Offered",
#: "Unoffered" and "Not Offered": a survey sent, not answered). A score written so was an error that said "write a
#: whole number", though no number is the right fix and the row was left out either way.
MISSING = frozenset({
    "NA", "N/A", "N.A.", "#N/A", "NULL", "NAN", "NONE", "-", "--", "(BLANK)",
    "DON'T KNOW", "DONT KNOW", "DO NOT KNOW", "NOT APPLICABLE", "PREFER NOT TO SAY", "PREFER NOT TO ANSWER",
    "SKIPPED", "NO ANSWER", "NO RESPONSE", "NOT ANSWERED", "REFUSED", "DECLINED", "OFFERED", "UNOFFERED", "NOT OFFERED",
    # a conversation closed without a rating (Intercom's, a helpdesk's): it was "write a whole number 1..5", an error
    "NOT RATED", "UNRATED", "NO RATING",
})
#: The longest of :data:`MISSING` (a longer cell is never one).
MISSING_LONGEST = max(len(mark) for mark in MISSING)
#: How :data:`MISSING` is shown in messages.
MISSING_SHOWN = "'NA', 'N/A', '#N/A', 'NULL', 'NaN', 'None', '-', 'Don't know', 'Not applicable', 'Prefer not to say', 'Skipped'"


def is_missing_mark(text: str) -> bool:
    """Whether a (stripped) cell is a mark of :data:`MISSING`, in any case (ASCII only: an engine's
    SQL upper-cases it alike; a curly apostrophe is read as a straight one).

    >>> is_missing_mark("Don\u2019t know"), is_missing_mark("n/a"), is_missing_mark("4")
    (True, True, False)
    """
    if len(text) > MISSING_LONGEST:
        return False
    text = text.replace("\u2019", "'")
    return text.isascii() and text.upper() in MISSING


def empty_label_hint(column: str) -> str:
    """The hint for a data row whose touchpoint or metric is empty: an Excel pivot table in tabular form writes its labels
    on a group's first row alone (it was told no hint)."""
    return (f"write the {column} on every row: a pivot table that does not repeat its labels leaves them empty below a"
            " group's first row (Excel: PivotTable Design > Report Layout > Repeat All Item Labels); the row is left out")


#: ASCII capitals to small letters, and no other character: a journey's ids are slugs of small ASCII letters, digits
#: and hyphens, so only ASCII capitals can be another spelling of one (every engine folds alike: SQL's translate()).
ASCII_SMALL = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def touchpoint_named(row_value: str, journey: Journey) -> str:
    """The touchpoint id a data file's cell names: itself when it is one of the journey's, else the id it writes in
    other capitals ('Choose-Delivery-Slot', as an export or a spreadsheet's autocorrect writes it), else itself
    (:func:`check_touchpoint` then says it is unknown). A journey's ids are lowercase slugs, so at most one matches."""
    if row_value in journey.touchpoint_by_id:
        return row_value
    folded = row_value.translate(ASCII_SMALL)
    return folded if folded in journey.touchpoint_by_id else row_value


def check_touchpoint(row_value: str, span: Span, journey: Journey, problems: list[Problem]) -> bool:
    """Whether ``row_value`` names a touchpoint of the journey; if not, report it."""
    if not row_value:
        problems.append(Problem(span, "missing-value", "the touchpoint is empty", empty_label_hint("touchpoint")))
        return False
    if row_value in journey.touchpoint_by_id:
        return True
    if row_value.startswith("\x00"):
        # NULs a write that never finished left, run into the row below: an unknown touchpoint of '\x00's, the
        # touchpoint written after them out of sight
        nuls = len(row_value) - len(row_value.lstrip("\x00"))
        problems.append(Problem(
            span, "nul-bytes",
            f"the row starts with {nuls:,} NUL bytes (zeros), {NUL_CAUSE}, before its touchpoint"
            f" '{quoted(row_value[nuls:])}': the row is not read", NUL_HINT))
        return False
    problems.append(
        Problem(
            span,
            "unknown-touchpoint",
            f"unknown touchpoint '{quoted(row_value)}': the journey '{journey.id}' has no such touchpoint",
            # a pivot table's or a spreadsheet's total row ('Grand Total', 72%, n=220), no touchpoint's
            "this looks like a spreadsheet's or pivot table's total row, not a touchpoint: delete the row;"
            " journeymap pools rows itself" if _TOTAL_ROW.fullmatch(row_value)
            else did_you_mean(row_value, journey.touchpoint_by_id),
        )
    )
    return False


#: Where NUL bytes inside a data file come from, and what to do about them (:func:`check_touchpoint`).
NUL_CAUSE = "as a write or a copy that never finished leaves them"
NUL_HINT = ("rows may be missing where the NULs are: compare the file with its source, or export it again (tr -d '\\000'"
            " < FILE > NEW.csv writes it without them)")


def nul_row(touchpoint: str, span: Span, others: Iterable[str]) -> Problem | None:
    """The warning for a row that is NUL bytes and nothing else (a block a write that never finished left, read as its
    first cell, ``touchpoint``; ``others``: the row's other cells), which is skipped; else None."""
    if not touchpoint or touchpoint.strip("\x00") or any(others):
        return None
    return Problem(span, "nul-bytes", f"the row is {len(touchpoint):,} NUL bytes (zeros) and nothing else, {NUL_CAUSE}:"
                   " it is skipped", NUL_HINT, level="warning")


#: A spreadsheet's or a pivot table's total row, named in its first column; as German, French, Spanish, Dutch, Italian and
#: Portuguese Excel name a pivot table's grand total too ('Gesamtergebnis', 'Total général', 'Eindtotaal').
_TOTAL_ROW = re.compile(r"(?i)(?:(?:grand[ _-]?)?totals?|overall|all|all touchpoints|sum|average|mean|gesamt(?:ergebnis|summe)?|summe"
                        r"|total (?:g[ée]n[ée]ral|geral)|(?:eind)?totaal|totale(?: complessivo)?):?")


def metric_named(row_value: str, known: Iterable[str]) -> str:
    """The metric id a data file's cell names: itself when it is one of ``known``, else the one
    ``known`` id it spells in other capitals (exports write ``NPS``, ``CSAT``, ``Drop_Off``), else
    itself (:func:`check_metric` then says it is unknown).

    >>> metric_named("NPS", ["nps", "csat"])
    'nps'
    """
    known = list(known)
    if row_value in known:
        return row_value
    folded = row_value.casefold()
    same = [k for k in known if k.casefold() == folded]
    if not same and (alias := METRIC_ALIASES.get(folded)) in known:
        return alias  # Medallia's 'OSAT'
    return same[0] if len(same) == 1 else row_value


#: Other names a survey tool gives a built-in metric (case-folded), read as it when the journey has no metric of that
#: name: Medallia's overall satisfaction, 'OSAT', is a CSAT (a 1..5 answer, or a share of satisfied answers).
METRIC_ALIASES = {"osat": "csat"}


def check_metric(
    row_value: str, span: Span, known: Iterable[str], problems: list[Problem], *, what: str = "metric"
) -> bool:
    known = list(known)
    if not row_value:
        problems.append(Problem(span, "missing-value", f"the {what} is empty", empty_label_hint(what)))
        return False
    if row_value in known:
        return True
    import unicodedata

    from .engines.rows import squeezed

    # 'NPS®', 'CSAT (1-5)', 'NPS [0-10]': the name without its mark or its scale
    bare = re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*$", "", re.sub("[\u00ae\u2122\u00a9]", "", row_value)) or row_value
    # 'CSAT %', '% CSAT', 'csat_pct', 'Avg. CES', 'Mean CES', 'NPS value': a BI tool's measure named for its aggregate or unit
    measure = re.sub(r"(?i)^\s*(?:%|avg\.?|average|mean)\s*|[\s_-]*(?:%|pct|percent|percentage|rate|value|avg|average|mean)\s*$",
                     "", bare) or bare
    spelled = next((_SPELLED_OUT[key] for name in (bare, measure)
                    if (key := squeezed(unicodedata.normalize("NFKC", name).casefold())) in _SPELLED_OUT), None)
    problems.append(
        Problem(
            span,
            "unknown-metric",
            f"unknown {what} '{quoted(row_value)}'",
            (f"did you mean '{spelled}'? (a data file names a metric by its id)" if spelled in known else None)
            or (f"'{quoted(row_value)}' is the number of answers behind a value: give it as the value's n, in an 'n' column"
                " beside it on the value's row" if what == "metric" and _COUNT_MEASURE.fullmatch(row_value.strip()) else None)
            or ("LTR, likelihood to recommend, is the NPS question: its 0..10 answers are NPS answers, written nps (a mean"
                " of them, as a dashboard may show it, is no NPS)"
                if "nps" in known and squeezed(bare.casefold()) in _LIKELIHOOD_TO_RECOMMEND else None)
            or ("an eNPS is the employees' NPS, not the customers': give it a metric of its own under the journey's"
                " metrics: (enps, with scale [-100, 100]) to show it" if squeezed(bare.casefold()) == "enps" else None)
            or did_you_mean(row_value, known) or f"known: {', '.join(known)}",
        )
    )
    return False


#: A count written as a measure of its own, as Tableau's 'Number of Records' and a BI tool's 'Responses' are: the n of
#: the values beside it, no metric.
_COUNT_MEASURE = re.compile(r"(?i)number of (?:records|responses|respondents|answers|surveys)|count of .+|(?:response|record)s?"
                            r"(?: count)?|n|sample size|count")


#: Metrics' names written out, as exports and spreadsheets head them (their NFKC form folded and
#: squeezed), with the id a data file writes: 'Customer Effort Score', 'N.P.S.', 'ｎｐｓ'.
#: Medallia's and dashboards' names of the NPS question, squeezed: its answers are NPS answers, a mean of them no NPS.
_LIKELIHOOD_TO_RECOMMEND = frozenset({"ltr", "ltrscore", "likelihoodtorecommend", "likelihoodtorecommendscore", "ltrnps"})
_SPELLED_OUT = {
    "nps": "nps", "netpromoterscore": "nps", "netpromoter": "nps", "npsscore": "nps",
    "csat": "csat", "customersatisfaction": "csat", "customersatisfactionscore": "csat", "satisfaction": "csat",
    "csatscore": "csat",
    "ces": "ces", "customereffort": "ces", "customereffortscore": "ces", "effortscore": "ces", "cesscore": "ces",
    "effort": "ces",
    "dropoff": "drop_off", "dropoffrate": "drop_off", "responsetime": "response_time",
    "customerlifetimevalue": "clv", "lifetimevalue": "clv", "churnrate": "churn", "retentionrate": "retention",
    # an NPS named for the survey that asks it (a touchpoint's transactional tNPS, the relationship rNPS), a CSAT for
    # how it is counted (the top two boxes, 4 and 5, which is journeymap's CSAT), Gartner's CES 2.0
    "tnps": "nps", "transactionalnps": "nps", "npstransactional": "nps", "rnps": "nps", "relationshipnps": "nps",
    "npsrelationship": "nps", "touchpointnps": "nps",
    "csattop2box": "csat", "top2boxcsat": "csat", "csatt2b": "csat", "t2bcsat": "csat", "top2box": "csat",
    "csattoptwobox": "csat", "ces20": "ces", "ces2": "ces",
}



def metric_of_column(name: str) -> str | None:
    """The built-in metric a wide table's column is named for, as BI tools name a measure ('Avg CSAT', 'NPS', 'CSAT %',
    'Drop-off rate', 'Net Promoter Score'), or None."""
    import unicodedata

    from ..metrics import BUILTIN
    from .engines.rows import squeezed

    bare = re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*$", "", re.sub("[\u00ae\u2122\u00a9]", "", name)) or name
    measure = re.sub(r"(?i)^\s*(?:%|avg\.?|average|mean)\s*|[\s_-]*(?:%|pct|percent|percentage|rate|value|avg|average|mean)\s*$",
                     "", bare) or bare
    builtin = {squeezed(metric): metric for metric in BUILTIN}
    for candidate in (bare, measure):
        key = squeezed(unicodedata.normalize("NFKC", candidate).casefold())
        if (found := builtin.get(key) or _SPELLED_OUT.get(key)) is not None:
            return found
    return None


def file_names(points: Iterable[DataPoint]) -> str:
    return ", ".join(dict.fromkeys(p.source for p in points))
