"""Analysis: health, weak touchpoints with reasons, funnel and attribution.

CONTRACT (shared by render/, diff.py and the CLI; the implementation fills it):
the dataclasses below are the interface. ``analyze()`` computes them.

    >>> import journeymap
    >>> analysis = journeymap.analyze(journeymap.load("sample_journeys/bank-account-opening.journey.yaml"))
    >>> analysis.weak[:2]
    ['capture-id-document', 'call-about-application']
    >>> analysis.touchpoints["capture-id-document"].reasons[0]
    'CES 2.8 is below the 5 target'

Weak touchpoints. A touchpoint is weak when at least one of these signals
holds; each becomes a reason in plain words with its numbers:

- a metric misses its target (touchpoint > stage > journey target), unless
  the metric rests on fewer than ``weak.min_n`` responses, or its 95%
  confidence interval (values computed from survey answers) includes the
  target: then it is ``low_confidence``, noted, and cannot by itself make the
  touchpoint weak;
- with ``weak.worsening: true``, a metric whose trend over its periods is a
  significant change for the worse (:func:`journeymap.stats.trend`);
- friction at or above ``weak.friction_severity``;
- emotion at or below ``weak.emotion``.

Each signal has a severity in 0..1: friction s/5; emotion (2 - e)/4; a target
miss 0.5 + 0.5 * g, where g is the miss as a fraction of the room between the
target and the worst end of the metric's scale (for an open-ended scale, such
as durations: of the target itself), capped at 1. The impact of a weak
touchpoint is reach x the severity of its worst signal: the expected severity
per customer entering the journey. Weak touchpoints are ranked by impact, ties
in journey order.

The flow figures (reach, conversion, removal effect, funnel) come from
:class:`journeymap.graph.FlowChain`: an absorbing Markov chain solved exactly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ._cycles import without_cycle_collection

if TYPE_CHECKING:
    from .data import DataPoint, EventSummary, MetricData, Paths
    from .data.engines import EngineOptions
    from .data.verbatims import Verbatims
    from .graph import JourneyGraph
    from .metrics import MetricSpec
    from .model import Flow, Journey, Touchpoint
    from .problems import Problem
    from .value import Sensitivity, ValueAtStake, ValueSummary

Status = Literal["ok", "below_target", "above_target", "low_confidence", "no_target"]


@dataclass(frozen=True)
class MetricStatus:
    """A metric at a touchpoint, judged against its target."""

    name: str
    label: str
    value: float
    text: str
    """The value formatted for people: ``62%``, ``+12``, ``7m``."""
    n: int | None
    target: float | None
    target_text: str | None
    target_source: Literal["touchpoint", "stage", "journey"] | None
    better: Literal["higher", "lower"] | None
    status: Status
    low_confidence: bool
    """Backed by fewer than ``weak.min_n`` responses (n is known and below it), or a miss whose 95%
    interval includes the target (``ci_includes_target``)."""
    source: str = "journey"
    """Where the value comes from: ``journey`` (the journey file) or a data file's name."""
    ci: tuple[float, float] | None = None
    """95% confidence interval of a value computed from survey answers; None otherwise."""
    ci_text: str | None = None
    """The interval for people: ``55–61%``."""
    period: str | None = None
    """The period the value is for (the latest one when the data has several)."""
    series: tuple[SeriesPoint, ...] = ()
    """Every period's value, oldest first (empty without periods)."""
    trend: Literal["rising", "falling", "flat"] | None = None
    """The value's direction over the window: rising/falling when significant at 5%, else flat."""
    trend_meaning: Literal["improving", "worsening", "steady"] | None = None
    """What the trend means for this metric (response time falling is improving)."""
    significant_change: bool | None = None
    """Whether the change over the last period is significant; None when it cannot be tested."""
    verdict: str | None = None
    """The trend in words: ``CSAT 71% → 64% over 3 months, falling (worse)``."""
    ci_note: str | None = None
    """Why a value with an ``n`` has no interval (an NPS summary without its promoter and
    detractor shares, a mean without its standard deviation); None otherwise."""
    ci_includes_target: bool = False
    """Low confidence because the value misses its target by less than its 95% interval allows
    (on ``weak.min_n`` responses or more), not because it rests on too few."""
    unit: str | None = None
    """The unit of the value, target, interval and series: an amount's currency (the metric's declared
    ``unit``, else the one its amounts are written in: ``EUR``), ``s`` for a duration, a custom metric's
    declared ``unit``; None for shares, scores and counts (and an amount written without a currency)."""
    persona: str | None = None
    """Whose value it is: the persona's id where the data gives that persona's own (its answers, its
    rows of a metrics table), None for everyone's. A persona's view keeps everyone's value where the
    data has none of its own, and says so (``--persona``: a CSAT of everyone's read as the persona's)."""


@dataclass(frozen=True)
class SeriesPoint:
    """One period of a metric's series."""

    period: str
    value: float
    n: int | None


@dataclass(frozen=True)
class TouchpointResult:
    id: str
    stage: str
    channel: str
    reach: float
    """Probability that a customer entering the journey reaches this touchpoint."""
    removal_effect: float
    """1 - P(success without this touchpoint) / P(success); 0 when P(success) is 0."""
    weak: bool
    reasons: list[str]
    """Plain sentences with numbers, missed targets first, then friction, then emotion; empty when not weak."""
    impact: float
    """Ranking score for weak touchpoints (higher = fix first); 0 when not weak."""
    metrics: dict[str, MetricStatus]
    notes: list[str] = field(default_factory=list)
    """Signals that do not make it weak (low-confidence misses, ...)."""
    severity: float = 0.0
    """Severity (0..1) of the worst signal; 0 when not weak."""
    expected_visits: float = 0.0
    """Expected number of visits per customer entering (above reach on a loop)."""
    overrides: list[str] = field(default_factory=list)
    """Values from data files that replace values written in the journey file, in words."""
    value_at_stake: ValueAtStake | None = None
    """For a weak touchpoint: conversion and value if it met its targets (see journeymap.value)."""
    sensitivity: Sensitivity | None = None
    """Exact derivatives of conversion and value by its drop-off and its flows' shares (None at outcomes)."""
    verbatims: Verbatims | None = None
    """What customers wrote here (a ``comment`` column in survey responses); None without comments."""
    reason_metrics: list[str | None] = field(default_factory=list)
    """The metric each reason rests on (its missed target or its trend), by position in ``reasons``;
    None for a friction or an emotion reason (the journey's design, no one's measured value)."""

    def reason_whose(self, persona: str | None) -> list[str | None]:
        """Whose value each reason rests on in ``persona``'s view: ``own`` (the persona's answers or rows),
        ``everyone's`` (the data has none of the persona's own there); None for a friction or an emotion
        reason, and for every reason in everyone's view."""
        whose: list[str | None] = []
        for name in self.reason_metrics or [None] * len(self.reasons):
            status = self.metrics.get(name) if name is not None and persona is not None else None
            whose.append(None if status is None else "own" if status.persona == persona else "everyone's")
        return whose


@dataclass(frozen=True)
class StageResult:
    id: str
    reach: float
    """Probability that a customer reaches at least one touchpoint of this stage."""
    drop_off: float
    """Share of customers reaching this stage who do not reach the next stage
    (for the last stage: who do not end in success)."""


@dataclass
class Analysis:
    journey: Journey
    graph: JourneyGraph
    persona: str | None
    conversion: float
    entries: dict[str, float]
    entry_weighting: Literal["volume", "equal", "single"]
    expected_touchpoints: float
    stages: list[StageResult]
    touchpoints: dict[str, TouchpointResult]
    weak: list[str]
    data_problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Journey-level remarks on the model: entry weighting, hidden flows, closed loops."""
    events: EventSummary | None = None
    """What the event log said, when one was given."""
    outcomes: dict[str, float] = field(default_factory=dict)
    """Where customers end: ``success``, ``failure``, ``leave`` (and ``stuck`` in a closed loop)."""
    value: ValueSummary | None = None
    """The journey's value per customer and per period (None without a value model)."""
    fix_first: list[str] = field(default_factory=list)
    """The weak touchpoints in the order to fix them: by value at stake per period (per customer
    without a volume) where the journey has a value model, else as ``weak`` (by impact)."""
    from_data: bool = False
    """Whether data files gave values (metrics, survey answers, an event log): a scenario's figures are
    the journey file's alone, so they are compared with an analysis of the journey file alone."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON contract of ``journeymap report --format json`` (floats to 6 decimals)."""
        return {
            "journey": {"id": self.journey.id, "title": self.journey.title},
            "persona": self.persona,
            "conversion": _r(self.conversion),
            "entries": {k: _r(v) for k, v in self.entries.items()},
            "entry_weighting": self.entry_weighting,
            "expected_touchpoints": _r(self.expected_touchpoints),
            "stages": [{"id": s.id, "reach": _r(s.reach), "drop_off": _r(s.drop_off)} for s in self.stages],
            "touchpoints": [_touchpoint_json(t, self.persona) for t in self.touchpoints.values()],
            "weak": list(self.weak),
            "problems": [p.as_dict() for p in self.data_problems],
            "notes": list(self.notes),
            "outcomes": {k: _r(v) for k, v in self.outcomes.items()},
            "events": _events_json(self.events),
            "value": self.value.to_json() if self.value is not None else None,
            "fix_first": list(self.fix_first),
            "complete": self.complete,
        }

    @property
    def complete(self) -> bool:
        """Whether every data file was read whole: False when a data-file problem is an error (a file, or rows
        of it, not read), so that the figures leave out what the error names."""
        return not any(p.is_error for p in self.data_problems)

    @property
    def weak_touchpoints(self) -> list[TouchpointResult]:
        """The weak touchpoints, highest impact first."""
        return [self.touchpoints[t] for t in self.weak]


def _r(value: float | None) -> float | None:
    if value is None:
        return None
    rounded = round(float(value), 6)
    return rounded + 0.0 if rounded != 0 else 0.0


def _touchpoint_json(t: TouchpointResult, persona: str | None) -> dict[str, Any]:
    return {
        "id": t.id,
        "stage": t.stage,
        "channel": t.channel,
        "reach": _r(t.reach),
        "removal_effect": _r(t.removal_effect),
        "weak": t.weak,
        "reasons": list(t.reasons),
        "impact": _r(t.impact),
        "metrics": {name: _metric_json(m) for name, m in t.metrics.items()},
        "notes": list(t.notes),
        "overrides": list(t.overrides),
        "value_at_stake": t.value_at_stake.to_json() if t.value_at_stake is not None else None,
        "sensitivity": t.sensitivity.to_json() if t.sensitivity is not None else None,
        "verbatims": _verbatims_json(t.verbatims),
        # whose value each reason rests on in a persona's view (own / everyone's; null: friction, emotion, everyone's view)
        "reason_whose": t.reason_whose(persona),
    }


def _metric_json(m: MetricStatus) -> dict[str, Any]:
    from .data.summary import mixed_period_forms

    series = m.series
    # changes read off a series' order, where its labels say that order is time's (see _voice), between
    # the periods with answers, as the trend and its verdict are (a period of n 0 weighs nothing)
    answered = [p for p in series if p.n != 0]
    ordered = len(answered) > 1 and not mixed_period_forms({p.period for p in series})
    return {
        "value": _r(m.value),
        "n": m.n,
        "target": _r(m.target),
        "status": m.status,
        # why the value is low confidence (a JSON reader could not tell too few answers from a miss within its interval)
        "low_confidence": ("target_in_ci" if m.ci_includes_target else "few_responses") if m.low_confidence else None,
        "source": m.source,
        "ci": [_r(m.ci[0]), _r(m.ci[1])] if m.ci is not None else None,
        "period": m.period,
        "series": [{"period": p.period, "value": _r(p.value), "n": p.n} for p in series],
        "trend": m.trend,
        "trend_meaning": m.trend_meaning,
        "significant_change": m.significant_change,
        "change_last": _r(answered[-1].value - answered[-2].value) if ordered else None,
        "change_window": _r(answered[-1].value - answered[0].value) if ordered else None,
        "ci_note": m.ci_note,
        # 1700 was "1,700 EUR" in the text and Markdown reports, and in JSON a bare number
        "unit": m.unit,
        # whose value: a persona's view keeps everyone's where the data has none of the persona's own
        "persona": m.persona,
    }


def _verbatims_json(v: Verbatims | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {
        "comments": v.comments,
        "sentiment": _r(v.sentiment),
        "phrases": [{"phrase": phrase, "comments": count} for phrase, count in v.phrases],
        "quotes": [
            {"text": q.text, "sentiment": _r(q.sentiment), "kind": q.kind, "file": q.span.file, "line": q.span.line}
            for q in v.quotes
        ],
    }


def _events_json(events: EventSummary | None) -> dict[str, Any] | None:
    if events is None:
        return None
    from .data.engines import CONFORMANCE
    from .data.events import Breakdown, by_period, by_segment

    def breakdown(rows: list[Breakdown], key: str) -> list[dict[str, Any]]:
        return [
            {
                key: b.label,
                "customers": b.customers,
                "conversion_observed": _r(b.conversion_observed),
                "conformance": {k: _r(v / b.customers) if b.customers else None for k, v in b.conformance.items()},
            }
            for b in rows
        ]

    segments = by_segment(events.cohorts)
    return {
        "files": list(events.files),
        "customers": events.customers,
        "succeeded": events.succeeded,
        "failed": events.failed,
        "left": events.left,
        "flows": [
            {"from": f.source, "to": f.target, "count": f.count, "share": _r(f.share),
             "declared_share": _r(f.declared_share), "median_seconds": _r(f.median_seconds),
             "p90_seconds": _r(f.p90_seconds)}
            for f in events.flows
        ],
        "engine": events.engine,
        "rows": events.rows,
        "conversion_observed": _r(events.conversion_observed),
        "entries": dict(events.entries),
        # the five keys always (a log of no customers has no shares: each is null, as conversion_observed is)
        "conformance": {k: _r((events.conformance or {}).get(k)) for k in CONFORMANCE},
        "deviations": [
            {"type": d.type, "from": d.source, "to": d.target, "customers": d.customers, "examples": list(d.examples)}
            for d in events.deviations
        ],
        "segments": breakdown(segments, "segment") if any(b.label for b in segments) else [],
        "periods": breakdown(by_period(events.cohorts, events.period), "period") if events.period else [],
        "handed_off": events.handed_off,
    }


# -- the analysis -------------------------------------------------------------


@without_cycle_collection
def analyze(
    journey: Journey | str | Path,
    persona: str | None = None,
    *,
    metrics: Paths = None,
    responses: Paths = None,
    events: Paths = None,
    data: MetricData | Paths = None,
    known: Analysis | None = None,
    period: str | None = None,
    engine: str | None = None,
    event_options: EngineOptions | None = None,
) -> Analysis:
    """Analyse a journey (or a journey file) as ``persona`` sees it (None: everyone).

    ``known`` is an analysis of the same journey with the same data (another
    persona's, or everyone's): each touchpoint's metric verdicts and weak
    reasons do not depend on the persona, so they are taken from it instead of
    worked out again (:func:`analyze_personas` does this).

    ``metrics``, ``responses`` and ``events`` are data files (one path or
    several) merged over the journey's own values; ``data`` is metric data
    read before (a :class:`~journeymap.data.MetricData`), or more metrics
    tables. Raises ``ValueError`` for an unknown persona and
    :class:`~journeymap.problems.JourneyError` for a journey file with errors;
    problems in data files never raise: they are in ``data_problems``.
    ``period`` (``week``, ``month``, ``quarter``) buckets dated survey answers
    into a series per metric. With a persona, values the data gives for that
    persona (a ``persona`` column) replace everyone's.
    """
    from .data import MetricData, as_paths, load_metric_data
    from .graph import JourneyGraph
    from .metrics import catalogue

    if isinstance(journey, (str, Path)):
        from .loader import load

        journey = load(journey)
    if isinstance(data, MetricData):
        metric_data = data
    else:
        metric_data = load_metric_data(
            journey, metrics=as_paths(metrics) + as_paths(data), responses=responses, events=events, period=period,
            engine=engine, event_options=event_options,
        )
    # Values at touchpoints where only other personas answered: the persona's view keeps the journey
    # file's there, and is told so once when it has no value of its own (else it read as if the file
    # had been left out).
    hidden = metric_data.others_only(persona) if persona is not None else set()
    metric_data = metric_data.for_persona(persona)
    graph = JourneyGraph(journey, persona)
    specs = catalogue(journey.metrics)
    notes: list[str] = []

    statuses: dict[str, dict[str, MetricStatus]] = {}
    touchpoint_notes: dict[str, list[str]] = {}
    overrides: dict[str, list[str]] = {}
    shared = known.touchpoints if known is not None and known.journey is journey else {}
    # In a persona's view with values of its own, a reason or note that rests on everyone's value says so
    # ("CSAT 25% is below the 75% target" at one touchpoint, everyone's, beside the persona's own CSAT at
    # another read as its own); a persona with none of its own anywhere is told so once
    # (voice.whose_note), not per reason.
    met = set(graph.order)
    mine = persona is not None and any(p.persona == persona and t in met for (t, _), p in metric_data.points.items())
    for tp_id in graph.order:
        tp = journey.touchpoint_by_id[tp_id]
        if tp_id in shared:
            same = shared[tp_id]
            statuses[tp_id], touchpoint_notes[tp_id], overrides[tp_id] = same.metrics, list(same.notes), list(same.overrides)
            continue
        statuses[tp_id], touchpoint_notes[tp_id], overrides[tp_id] = _metric_statuses(
            tp, journey, metric_data, specs, persona if mine else None
        )

    mixed = _log_entries(graph.entries, statuses, metric_data, journey)
    entries, weighting = _entry_weights(graph.entries, statuses, notes, mixed)
    chain = graph.chain(entries)
    reach = chain.as_dict(chain.reach)
    removal = chain.as_dict(chain.removal_effects)
    visits = chain.as_dict(chain.visits)
    funnel = chain.stage_funnel([s.id for s in journey.stages])
    notes += _model_notes(graph, chain.conversion)
    if persona is not None and (no_own_values(persona, statuses.values())
                                or (not mine and any(t in met for t, _ in hidden))):
        notes.append(NO_OWN_VALUES_NOTE)

    from .value import assess

    all_signals: dict[str, list[tuple[float, int, int, str, str | None]]] = {}
    for tp_id in graph.order:
        if tp_id in shared:  # a verdict no persona changes: the overall analysis's
            same = shared[tp_id]
            all_signals[tp_id] = (
                [(same.severity, 0, 0, reason, name)
                 for reason, name in zip(same.reasons, same.reason_metrics or [None] * len(same.reasons), strict=True)]
                if same.weak else []
            )
        else:
            all_signals[tp_id] = _signals(journey.touchpoint_by_id[tp_id], statuses[tp_id], journey, specs)
            if mine:
                here = statuses[tp_id]
                all_signals[tp_id] = [
                    (*s[:3], s[3] + EVERYONES_MARK if s[4] is not None and here[s[4]].persona != persona else s[3], s[4])
                    for s in all_signals[tp_id]
                ]
    value, stakes, sensitivities = assess(chain, journey, entries, persona, [t for t in graph.order if all_signals[t]])
    if value is not None:
        for tp_id, note in _no_stake_notes(graph, chain, [t for t in graph.order if all_signals[t] and t not in stakes]).items():
            if note not in touchpoint_notes[tp_id]:
                touchpoint_notes[tp_id].append(note)
    for tp_id, stake in stakes.items():
        # the money comes from the flows' leave share; a drop_off metric that says otherwise is said beside it
        measured = statuses[tp_id].get("drop_off")
        if value is not None and measured is not None and abs(measured.value - stake.drop_off_before) > 0.005:
            note = (
                f"value at stake starts from the {specs['drop_off'].format(stake.drop_off_before)} its flows leave (1 − their shares),"
                f" not its {measured.label} {measured.text}: make them agree"
            )
            if note not in touchpoint_notes[tp_id]:
                touchpoint_notes[tp_id].append(note)
    if value is not None and weighting == "volume" and mixed is None:  # a mixed log's entries have their own note
        notes += _log_volume_note(metric_data, list(entries), value)
    results: dict[str, TouchpointResult] = {}
    for tp_id in graph.order:
        tp = journey.touchpoint_by_id[tp_id]
        signals = all_signals[tp_id]
        severity = max((s[0] for s in signals), default=0.0)
        weak = bool(signals)
        result = TouchpointResult(
            id=tp_id,
            stage=tp.stage,
            channel=tp.channel,
            reach=reach[tp_id],
            removal_effect=removal[tp_id],
            weak=weak,
            reasons=[s[3] for s in signals],
            reason_metrics=[s[4] for s in signals],
            impact=reach[tp_id] * severity if weak else 0.0,
            metrics=statuses[tp_id],
            notes=touchpoint_notes[tp_id],
            severity=severity,
            expected_visits=visits[tp_id],
            overrides=overrides[tp_id],
            value_at_stake=stakes.get(tp_id),
            sensitivity=sensitivities.get(tp_id),
            verbatims=metric_data.verbatims.get(tp_id),
        )
        results[tp_id] = result
        node = graph.graph.nodes[tp_id]
        node.update(
            reach=result.reach,
            removal_effect=result.removal_effect,
            expected_visits=result.expected_visits,
            weak=result.weak,
            impact=result.impact,
            reasons=list(result.reasons),
            metrics={name: m.value for name, m in result.metrics.items()},
        )
    position = {t: i for i, t in enumerate(graph.order)}
    weak_ids = sorted(
        (t for t, r in results.items() if r.weak), key=lambda t: (-round(results[t].impact, 9), position[t])
    )
    fix_first = list(weak_ids)
    if value is not None:
        def money_at_stake(t: str) -> float:
            stake = results[t].value_at_stake
            if stake is None:
                return 0.0
            gain = stake.value_per_period if stake.value_per_period is not None else stake.value_per_customer
            return round(gain or 0.0, 6)

        fix_first.sort(key=money_at_stake, reverse=True)  # stable: ties keep the impact order
    return Analysis(
        journey=journey,
        graph=graph,
        persona=persona,
        conversion=chain.conversion,
        entries=entries,
        entry_weighting=weighting,
        expected_touchpoints=chain.expected_touchpoints,
        stages=[StageResult(stage, r, d) for stage, r, d in funnel],
        touchpoints=results,
        weak=weak_ids,
        data_problems=list(metric_data.problems),
        notes=notes,
        events=_against_model(metric_data.events, graph),
        outcomes=chain.absorption if graph.order else {},
        value=value,
        fix_first=fix_first,
        from_data=bool(metric_data.points) or metric_data.events is not None,
    )


def _against_model(events: EventSummary | None, graph: JourneyGraph) -> EventSummary | None:
    """The log's flows against the model analysed: each declared share is the model's (a persona's view
    scales up the shares of flows into touchpoints it meets; the report compared a visitor's 25% with
    everyone's 80%), and every flow of the model nobody took out of a touchpoint the log's customers
    visited is there with count 0 (the largest gap of a journey, a declared 60% nobody took, was in
    neither the JSON nor the text). The event summary the data files gave (calibrate's) is left as it is."""
    if events is None:
        return None
    import dataclasses

    from .data import ObservedFlow

    g = graph.graph
    journey = graph.journey
    known = journey.touchpoint_by_id
    links = {(t.id, f.to): f for t in journey.touchpoints for f in t.next if f.leads_out(journey.id) and f.to not in known}

    def declared(f: ObservedFlow) -> float | None:
        if g.has_edge(f.source, f.target):
            return float(g.edges[f.source, f.target]["share"])
        if f.source in known and f.target in known and (f.source not in g or f.target not in g):
            return None  # into (or out of) a touchpoint the persona does not meet: no flow of its model
        if (f.source, f.target) in links:  # into another journey: the model's share of it
            return link_share(graph, f.source, links[f.source, f.target])
        return f.declared_share

    flows = [dataclasses.replace(f, declared_share=declared(f)) for f in events.flows]
    seen = {(f.source, f.target) for f in flows}
    flows += [
        ObservedFlow(source, target, 0, 0.0, share)
        for source, target, share in g.edges(data="share")
        if (source, target) not in seen and events.visitors.get(source, 0) > 0
    ]
    flows += [  # and the flows into other journeys
        ObservedFlow(source, target, 0, 0.0, share)
        for (source, target), flow in links.items()
        if (source, target) not in seen and events.visitors.get(source, 0) > 0
        and (share := link_share(graph, source, flow)) is not None
    ]
    order = {t.id: i for i, t in enumerate(graph.journey.touchpoints)}
    big = len(order)
    flows.sort(key=lambda f: (order.get(f.source, big), order.get(f.target, big), f.source, f.target))
    return dataclasses.replace(events, flows=flows)


def link_share(graph: JourneyGraph, source: str, flow: Flow) -> float | None:
    """The model's share of ``flow``, a flow of ``source`` into another journey: a persona's view scales it up
    as it scales the flows it keeps (None when the persona does not meet ``source``)."""
    from .graph import resolve_shares

    g = graph.graph
    if source not in g:
        return None
    touchpoint = graph.journey.touchpoint_by_id[source]
    shares = resolve_shares([(f.to, f.share) for f in touchpoint.next])
    share = next(s for f, s in zip(touchpoint.next, shares, strict=True) if f is flow)
    out = sum(s for f, s in zip(touchpoint.next, shares, strict=True) if f.leads_out(graph.journey.id))
    return share * float(g.nodes[source]["handoff"]) / out if out > 0 else share


def analyze_personas(journey: Journey, *, data: MetricData | None = None, overall: Analysis | None = None) -> dict[str, Analysis]:
    """Every persona's analysis (the map's persona filter shows their figures).

    A persona's analysis depends only on the touchpoints it meets (and, with a
    value model, on its share), so personas that meet the same ones share one
    analysis, and those that meet every touchpoint share ``overall`` (the
    journey for everyone) when it is given and the journey has no value model:
    300 personas on 1,000 touchpoints cost one analysis, not 300.
    """
    everything = frozenset(t.id for t in journey.touchpoints)
    # A value model scales the journey's volume by the persona's share (none without one): personas share
    # an analysis when they meet the same touchpoints and have the same share (the newcomers, 15% of the
    # bank's customers, showed the assisted customers' analysis, no value per month), and everyone's only
    # without a value model.
    by_view: dict[tuple[frozenset[str], float | None], Analysis] = {}
    if overall is not None and overall.persona is None and journey.value is None:
        by_view[everything, None] = overall
    result = {}
    for persona in journey.personas:
        if data is not None and (data.personas.get(persona.id) or data.persona_verbatims or data.others_only(persona.id)
                                 or persona.id in data.persona_events):
            # Its own metric values, or its own comments (none, when others wrote some), or none where
            # only other personas answered, or its own customers in the event log (perhaps none): an
            # analysis of its own.
            result[persona.id] = analyze(journey, persona.id, data=data)
            continue
        view = (frozenset(t.id for t in journey.touchpoints_for(persona.id)),
                persona.share if journey.value is not None else None)
        if view not in by_view:
            # Each touchpoint's verdicts are the same for every persona: worked out once.
            by_view[view] = analyze(journey, persona.id, data=data, known=overall)
        result[persona.id] = by_view[view]
    return result


# -- metrics against targets --------------------------------------------------


def short_label(spec: MetricSpec) -> str:
    """The label used in sentences: a custom metric's long label is cut at " (", or its name."""
    label = spec.label.split(" (")[0]
    return label if len(label) <= 32 else spec.name


def _target(name: str, tp: Touchpoint, journey: Journey) -> tuple[float | None, Literal["touchpoint", "stage", "journey"] | None]:
    written = tp.metrics.get(name)
    if written is not None and written.target is not None:
        return float(written.target), "touchpoint"
    stage = journey.stage_by_id.get(tp.stage)
    if stage is not None and name in stage.targets:
        return float(stage.targets[name]), "stage"
    definition = journey.metrics.get(name)
    if definition is not None and definition.target is not None:
        return float(definition.target), "journey"
    return None, None


def _misses(value: float, target: float, better: str) -> bool:
    tolerance = 1e-9 * max(1.0, abs(target))
    return value < target - tolerance if better == "higher" else value > target + tolerance


def _metric_statuses(
    tp: Touchpoint, journey: Journey, data: MetricData, specs: dict[str, MetricSpec], persona: str | None = None
) -> tuple[dict[str, MetricStatus], list[str], list[str]]:
    """Each metric judged against its target, the notes on low-confidence values, and
    the sentences saying which data-file values replace values in the journey file. With ``persona``
    (a persona's view with values of its own), a note on everyone's value says so."""
    from .metrics import in_currency

    min_n = journey.weak.min_n
    notes: list[str] = []
    overrides: list[str] = []
    from_data = data.for_touchpoint(tp.id)
    names = list(tp.metrics) + sorted(m for m in from_data if m not in tp.metrics)
    statuses = {}
    for name in names:
        point = from_data.get(name)
        written = tp.metrics.get(name)
        # an amount shows the currency it was written in, in the data file or the journey's (a clash is an error);
        # the journey file's own figures (its value, a target) in the currency it writes there, not a data file's
        # (a bare 600 read "600 USD" beside a table's 550 USD)
        own = journey.written_currency(tp.id, name)
        spec = in_currency(specs[name], (point.currency if point is not None else None) or own)
        goal = in_currency(specs[name], own)
        unit = "response"
        customers: int | None = None  # the customers behind an event log's drop-off, whose n is their visits
        if point is not None:
            value, n, source = point.value, point.n, point.source
            if point.how == "events":
                unit = "customer"
                if name == "drop_off" and n is not None and data.events is not None:
                    customers = data.events.visitors.get(tp.id, n)
            if written is not None:
                sample = f" (n={point.n:,})" if point.n is not None else ""
                if point.how == "events" and name == "volume":
                    # the log's customers over its span, beside a count per period: not one unit (calibrate scales it)
                    sample = f" ({_log_customers(data)}, not a {journey.value.period if journey.value else 'month'}'s)"
                overrides.append(
                    f"{short_label(spec)} {spec.format(value)}{sample} from {point.source} replaces"
                    f" {goal.format(float(written.value))}"
                    " in the journey file"
                )
        else:
            assert written is not None
            value, n, source = float(written.value), written.n, "journey"
        target, target_source = _target(name, tp, journey)
        # a drop-off per visit is judged on its customers, as min_n always judged it: one customer's loops are one customer
        judged = customers if customers is not None else n
        low_confidence = judged is not None and judged < min_n
        voice = _voice(point, spec, value, n, target, written.period if point is None and written is not None else None)
        ci = voice["ci"]
        extra = voice.pop("extra")
        text = spec.format(value, extra)
        includes_target = False
        if target is None or spec.better is None:
            status: Status = "no_target"
        elif low_confidence:
            status = "low_confidence"
            if _misses(value, target, spec.better):
                visits = f" ({n:,} visits)" if customers is not None and customers != n else ""
                notes.append(
                    f"{short_label(spec)} {text} misses the {goal.format(target)}"
                    f"{_target_word(target_source)} target but rests on only {judged} {unit}{'s' * (judged != 1)}{visits}"
                    + (EVERYONES_MARK if persona is not None and (point is None or point.persona != persona) else "")
                )
        elif _misses(value, target, spec.better) and ci is not None and ci[0] <= target <= ci[1]:
            status = "low_confidence"
            low_confidence = includes_target = True
            notes.append(
                f"{short_label(spec)} {text} misses the {goal.format(target)}"
                f"{_target_word(target_source)} target, but its 95% CI {voice['ci_text']} (n={n:,}) includes the target"
                + (EVERYONES_MARK if persona is not None and (point is None or point.persona != persona) else "")
            )
        elif _misses(value, target, spec.better):
            status = "below_target" if spec.better == "higher" else "above_target"
        else:
            status = "ok"
        statuses[name] = MetricStatus(
            name=name,
            label=spec.label,
            value=value,
            text=text,
            n=n,
            target=target,
            target_text=goal.format(target) if target is not None else None,
            target_source=target_source,
            better=spec.better,
            status=status,
            low_confidence=low_confidence,
            ci_includes_target=includes_target,
            source=source,
            unit=spec.unit or None,
            persona=point.persona if point is not None else None,
            **voice,
        )
    return statuses, notes, overrides


#: The most decimals an interval's bounds get beyond the metric's usual ones.
_MOST_EXTRA = 6


def _apart(spec: MetricSpec, value: float, other: float, least: int = 0) -> int:
    """The fewest decimals beyond the metric's usual ones (at least ``least``) that write ``value``
    otherwise than ``other``, within :data:`_MOST_EXTRA`."""
    extra = least
    while value != other and extra < _MOST_EXTRA and spec.format(value, extra) == spec.format(other, extra):
        extra += 1
    return extra


def ci_decimals(spec: MetricSpec, ci: tuple[float, float], apart_from: float | None = None) -> int:
    """The decimals beyond the metric's usual ones that :func:`ci_text` writes an interval with."""
    extra = _apart(spec, ci[0], ci[1])
    if apart_from is not None:
        extra = _apart(spec, ci[1], apart_from, _apart(spec, ci[0], apart_from, extra))
    return extra


def ci_text(spec: MetricSpec, ci: tuple[float, float], apart_from: float | None = None) -> str:
    """A 95% interval as people write it: ``55–61%``, ``3.9–4.4``, ``−4 to +12``, ``1,255–1,345 EUR``.

    Bounds that the usual decimals would write alike get more, until they differ: a narrow
    interval (100% of 10,000 answers, a sentiment over 100,000 comments) read ``100–100%`` or
    ``0.1–0.1``, as if the value were certain. So do bounds that would read as ``apart_from``
    (a target the interval excludes: "below the 75% target (95% CI 65.3–75%)" of 74.96%).
    """
    extra = ci_decimals(spec, ci, apart_from)
    low, high = spec.format(ci[0], extra), spec.format(ci[1], extra)
    if spec.kind == "amount" and ("." in low) != ("." in high):
        # cents under 100 and none over it: both bounds with the finer's decimals ("95.50–105.30 EUR",
        # not "95.50–105 EUR")
        places = max(len(t.split(" ")[0].partition(".")[2]) for t in (low, high))
        while places < 2 + _MOST_EXTRA and f"{ci[0]:,.{places}f}" == f"{ci[1]:,.{places}f}" and ci[0] != ci[1]:
            places += 1  # 99.996–100.004: "100.00–100.00" would read as no width
        low, high = (f"{b:,.{places}f}" + (f" {spec.unit}" if spec.unit else "") for b in ci)
    if spec.kind == "fraction" and low.endswith("%") and high.endswith("%"):
        low = low[:-1]
    if spec.kind == "amount" and spec.unit and low.endswith(f" {spec.unit}") and high.endswith(f" {spec.unit}"):
        low = low[: -len(spec.unit) - 1]  # the currency once, as a share's %: "1,255–1,345 EUR"
    if low.startswith(("-", "+")) or high.startswith(("-", "+")):
        return f"{low} to {high}"
    return f"{low}–{high}"


#: What a series' period labels count, for the verdict ("over 3 months").
_PERIOD_WORDS = (
    (r"^\d{4}-W\d{2}$", "week"),
    (r"^\d{4}-\d{2}$", "month"),
    (r"^\d{4}-Q[1-4]$", "quarter"),
    (r"^\d{4}-H[12]$", "half-year"),
    (r"^\d{4}-\d{2}-\d{2}$", "day"),
)


def _period_number(label: str, word: str) -> int:
    """A period label the calendar has (:func:`~journeymap.data.summary.impossible_period` says
    which do) as a count of its periods since year 0."""
    import datetime as dt

    if word == "week":
        return dt.date.fromisocalendar(int(label[:4]), int(label[6:]), 1).toordinal() // 7
    if word == "month":
        return int(label[:4]) * 12 + int(label[5:]) - 1
    if word == "quarter":
        return int(label[:4]) * 4 + int(label[6]) - 1
    if word == "half-year":
        return int(label[:4]) * 2 + int(label[6]) - 1
    return dt.date.fromisoformat(label).toordinal()


def period_positions(labels: Sequence[str]) -> tuple[list[float] | None, str]:
    """Where each period of a series lies in time, in periods since the first, and the word for
    one period (``month``): ``2026-01, 2026-02, 2026-12`` are at 0, 1 and 11 months. None (and
    ``period``) when the labels are not all of one calendar notation, or not in time order; the
    series is then taken as equally spaced."""
    from .data.summary import impossible_period, period_key

    labels = [period_key(label) for label in labels]  # 'Jan 2026' is 2026-01
    if labels and all(label.startswith("FY") for label in labels):  # fiscal quarters are as far apart as calendar ones
        labels = [label[2:] for label in labels]
        if all(re.fullmatch(r"\d{4}-P\d{2}", label) for label in labels):
            return _fiscal_period_positions(labels), "period"
    if len(labels) > 1 and all(re.fullmatch(r"\d{4}-\d{2}-01", label) for label in labels):
        labels = [label[:7] for label in labels]  # months exported as their first days: "over 60 days (3 with data)"
    word = next((w for pattern, w in _PERIOD_WORDS if labels and all(re.match(pattern, x) for x in labels)), "period")
    if word == "period" or any(impossible_period(label) for label in labels):
        return None, word
    numbers = [_period_number(label, word) for label in labels]
    if any(b <= a for a, b in zip(numbers, numbers[1:], strict=False)):
        return None, word
    return [float(n - numbers[0]) for n in numbers], word


def _fiscal_period_positions(labels: Sequence[str]) -> list[float] | None:
    """Where fiscal periods (``2026-P08``, their ``FY`` left off) lie, in periods since the first: within one fiscal
    year P08, P09, P11 are at 0, 1 and 3; across years only when a P13 in the series says a year has thirteen (a
    4-4-5 or 4-week calendar); else twelve or thirteen is not written, and None: the series is taken as evenly spaced."""
    per_year = 13 if any(label.endswith("-P13") for label in labels) else 12 if len({x[:4] for x in labels}) == 1 else None
    if per_year is None:
        return None
    numbers = [int(label[:4]) * per_year + int(label[6:]) - 1 for label in labels]
    if any(b <= a for a, b in zip(numbers, numbers[1:], strict=False)):
        return None
    return [float(n - numbers[0]) for n in numbers]


def _voice(point: DataPoint | None, spec: MetricSpec, value: float, n: int | None, target: float | None = None,
           written_period: str | None = None) -> dict[str, Any]:
    """A value's interval, series, trend and verdict (the keyword arguments of MetricStatus), and
    under ``extra`` the decimals beyond the usual ones that the value is written with.

    Values computed from answers carry their sample, and so do metrics-table rows with an
    ``n`` (:func:`journeymap.stats.summary_sample`); ``ci_note`` says why a row with an ``n``
    has none; so do values written in the journey file with an ``n`` (``csat: {value: 0.58,
    n: 1240}``: "CSAT 58% (95% CI 55–61%, n=1,240)"). Event-log counts have no interval.
    """

    from .stats import NO_INTERVAL, interval, meaning, no_interval_reason, summary_sample, trend

    empty: dict[str, Any] = {
        "ci": None, "ci_text": None, "period": None, "series": (), "trend": None,
        "trend_meaning": None, "significant_change": None, "verdict": None, "ci_note": None,
    }
    if point is not None and point.how == "events":
        sample, note = None, None
    elif point is not None and point.sample is not None:
        sample, note = point.sample, None if point.sample.exact else summary_sample(spec, value, n)[1]
    else:  # a metrics-table row, or a value in the journey file, with its n
        sample, note = summary_sample(spec, value, n)
    result = dict(empty, period=point.period if point is not None else None)
    ci = interval(sample) if sample is not None else None
    if ci is not None:
        # A mean's t interval knows no scale: CES 1 and 7 gave "-34.12 to 42.12" on a 1..7 scale.
        # Like Wilson's and NPS's intervals, it stays on the metric's scale.
        low, high = ci
        if spec.low is not None:
            low, high = max(low, spec.low), max(high, spec.low)
        if spec.high is not None:
            low, high = min(low, spec.high), min(high, spec.high)
        ci = (low, high)
    elif sample is not None and sample.exact:
        note = no_interval_reason(sample) or NO_INTERVAL["one"]
    result["ci_note"] = note
    # A miss by less than the usual decimals show ("CSAT 75% is below the 75% target" of 74.96%,
    # "CES 5 is below the 5 target" of 4.996) gets the decimals that show it, and so does an
    # interval's end that would read as the target it excludes. The value is written with as many
    # decimals as its interval ("+30" beside "95% CI +30.005 to +30.015" lay outside it), and so
    # is the verdict's last value ("→ +30" beside "NPS +29.97 is below the +30 target").
    missed = target is not None and spec.better is not None and _misses(value, target, spec.better)
    extra = 0
    if ci is not None:
        apart = target if missed and target is not None and not ci[0] <= target <= ci[1] else None
        extra = ci_decimals(spec, ci, apart)
        result["ci"], result["ci_text"] = ci, ci_text(spec, ci, apart)
    if missed and target is not None:
        extra = max(extra, _apart(spec, value, target))
    result["extra"] = extra
    if point is None:
        if written_period:
            # the journey file's value for its period (`period: 2026-Q3`): that period, and a series of one, as a
            # metrics table's row for one period is (its JSON said "period": null, "series": [])
            from .data.summary import canonical_period

            label = canonical_period(str(written_period))[0]
            result["period"], result["series"] = label, (SeriesPoint(label, value, n),)
        return result
    # one period is a series of one (its JSON said [] beside "period": "2026-05"), with no trend;
    # a data file's value for one period (a metrics table's row) too
    series = point.series or ((point,) if point.period and point.how != "events" else ())
    result["series"] = tuple(SeriesPoint(p.period or "", p.value, p.n) for p in series)
    if len(series) < 2:
        return result
    from .data.summary import mixed_period_forms

    labels = [p.period or "" for p in series]
    if mixed_period_forms(set(labels)):
        # Labels in no one sortable form ('Sprint 1', 'Sprint 10', 'Sprint 2')
        # are in text order, which may not be time order (the period-order warning says so): a
        # direction or a last change read off that order may be backwards, so there is none.
        result["verdict"] = f"{short_label(spec)} over {len(series)} periods labelled in mixed forms: no trend"
        return result
    # A period of no answers (a table row of n 0, kept as low confidence) weighs nothing: it stays in
    # the series, but the trend, the last change and the verdict's ends are those of the periods with
    # answers. (Without a sampling variance of its own, it sent the whole series to the unweighted
    # slope, where its value weighed as much as 2,000 answers: a real fall read "flat".)
    answered = [p for p in series if p.n != 0]
    if len(answered) < 2:
        return result
    labels = [p.period or "" for p in answered]
    positions, word = period_positions(labels)
    found = trend([p.value for p in answered], [p.sample for p in answered], positions)
    # the latest period is the value; of no answers, its change has nothing to be tested on
    result["trend"], result["significant_change"] = found.direction, found.significant_change if series[-1].n != 0 else None
    result["trend_meaning"] = meaning(found.direction, spec.better)
    # Without positions (a label no calendar has, labels out of time order) nothing says how much
    # time the series spans: "over 3 periods", not "over 3 days" for 2026-02-28, 2026-02-29, 2028-02-29.
    span, word = (len(answered), "period") if positions is None else (int(positions[-1]) + 1, word)
    # a rise or fall between ends the usual decimals write alike ("+30 → +30, rising") gets the decimals that show it
    ends = _apart(spec, answered[0].value, answered[-1].value) if found.direction in ("rising", "falling") else 0
    if answered[-1].value == value:  # the value itself: written as it is everywhere else
        ends = max(ends, extra)
    verdict = (
        f"{short_label(spec)} {spec.format(answered[0].value, ends)} → {spec.format(answered[-1].value, ends)}"
        f" over {span} {word}s" + (f" ({len(answered)} with data)" if span != len(answered) else "")
    )
    if found.direction is not None:
        sense = {"improving": " (better)", "worsening": " (worse)"}.get(result["trend_meaning"] or "", "")
        verdict += f", {found.direction}{sense}"
    elif spec.kind != "count" and spec.better is not None:
        # Two periods whose change no test applies to (a trend without samples needs three): say why,
        # where the verdict stopped at "5 → 6.5 over 2 months", neither rising, falling nor flat.
        # (A count, or a metric without a better direction, is no estimate: none is tested.)
        if any(p.sample is None for p in answered):
            column = "n" if any(p.n is None for p in answered) else "sd"
            verdict += f", not tested: two periods are compared with each one's {column} (metrics table column {column})"
        else:
            verdict += ", not tested: a period of a single answer"
    result["verdict"] = verdict
    return result


def _target_word(source: str | None) -> str:
    return {"stage": " stage", "touchpoint": " touchpoint"}.get(source or "", "")


# -- weak-touchpoint signals --------------------------------------------------

_KIND_RANK = {"target": 0, "trend": 1, "friction": 2, "emotion": 3}


def miss_severity(value: float, target: float, spec: MetricSpec) -> float:
    """0.5 + 0.5 x the miss as a fraction of the room between the target and the worst end
    of the scale (of the target itself where the scale is open on that side), capped at 1."""
    gap = abs(value - target)
    worst = spec.low if spec.better == "higher" else spec.high
    room = abs(target - worst) if worst is not None else 0.0
    if room <= 0:
        room = abs(target)
    fraction = gap / room if room > 0 else 1.0
    return 0.5 + 0.5 * min(1.0, fraction)


def no_own_values(persona: str, statuses: Iterable[dict[str, MetricStatus]]) -> bool:
    """Whether a persona's view shows values from data files and none of them is the persona's own: its
    reasons and chips are not marked one by one (they would all be), so the view says it once. (A view
    whose data-file values are all other personas' shows the journey file's: :func:`analyze` notes it too.)"""
    shown = [m for st in statuses for m in st.values()]
    return any(m.source != "journey" for m in shown) and not any(m.persona == persona for m in shown)


#: The report's note for a persona's view of :func:`no_own_values` (it names no persona: personas that
#: meet the same touchpoints share one analysis, see :func:`analyze_personas`).
NO_OWN_VALUES_NOTE = ("the data files have none of this persona's own values (no answer or row is its):"
                      " every metric value in this view is everyone's")


#: What a persona's reason or note that rests on everyone's value ends with.
EVERYONES_MARK = " — everyone's value, none of this persona's own"


def _signals(
    tp: Touchpoint, statuses: dict[str, MetricStatus], journey: Journey, specs: dict[str, MetricSpec]
) -> list[tuple[float, int, int, str, str | None]]:
    """``(severity, kind rank, index, reason, metric)`` of each weak signal, in the order they are told
    (``metric``: the metric whose target or trend it is; None for friction and emotion)."""
    config = journey.weak
    signals: list[tuple[float, int, int, str, str | None]] = []
    for index, status in enumerate(statuses.values()):
        if status.status not in ("below_target", "above_target"):
            continue
        assert status.target is not None
        spec = specs[status.name]
        side = "below" if status.status == "below_target" else "above"
        sample = f" (n={status.n:,})" if status.n is not None else ""
        if status.ci_text is not None:
            sample = f" (95% CI {status.ci_text}, n={status.n:,})"
        reason = (
            f"{short_label(spec)} {status.text} is {side} the {status.target_text}"
            f"{_target_word(status.target_source)} target{sample}"
        )
        signals.append((miss_severity(status.value, status.target, spec), _KIND_RANK["target"], index, reason, status.name))
    if config.worsening:
        for index, status in enumerate(statuses.values()):
            if status.trend_meaning != "worsening" or len(status.series) < 2:
                continue
            counted = [p.n for p in status.series if p.n is not None]
            if counted and sum(counted) < config.min_n:
                continue  # like a miss, a trend on fewer than min_n answers is not enough by itself
            spec = specs[status.name]
            first, last = status.series[0].value, status.series[-1].value
            reason = f"{status.verdict}: a significant change for the worse"
            signals.append((miss_severity(last, first, spec), _KIND_RANK["trend"], index, reason, status.name))
    for index, friction in enumerate(tp.friction):
        if friction.severity >= config.friction_severity:
            reason = f"friction '{friction.type}' severity {friction.severity}"
            if friction.note:
                reason += f": {friction.note}"
            signals.append((friction.severity / 5, _KIND_RANK["friction"], index, reason, None))
    if tp.emotion is not None and tp.emotion <= config.emotion:
        reason = f"emotion {_number(tp.emotion)} is at or below {_number(config.emotion)}"
        signals.append((min(1.0, max(0.0, (2 - tp.emotion) / 4)), _KIND_RANK["emotion"], 0, reason, None))
    # Measured evidence leads: missed targets (worst miss first), then friction
    # (most severe first), then emotion. Impact still takes the worst of them all.
    return sorted(signals, key=lambda s: (s[1], -s[0], s[2]))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- entries and model notes --------------------------------------------------


def _log_entries(
    entries: Sequence[str], statuses: dict[str, dict[str, MetricStatus]], data: MetricData, journey: Journey
) -> tuple[dict[str, float], str] | None:
    """Where some entries' volumes are an event log's customers and others' a count a period (the journey file's, a
    metrics table's): the log's scaled to customers a period, as calibrate writes them, with the note that says so;
    or, for a log that cannot say what a period of it is (under a week, or a customer dated 'no date'), no volumes
    and the note saying why the entries are weighted equally. None when the volumes are all of one kind. A log of
    one channel's entry weighed its year of customers against another entry's month (365 to 900: 28.9%, not 3.3%)."""
    from .calibrate import MIN_SPAN_DAYS, PERIOD_DAYS, _no_date_starts
    from .data.events import log_span

    if data.events is None or len(entries) < 2:
        return None
    logged: list[str] = []
    others: list[str] = []
    for e in entries:
        status = statuses[e].get("volume")
        if status is None:
            continue
        point = data.get(e, "volume")
        (logged if point is not None and point.how == "events" and point.value == status.value else others).append(e)
    if not logged or not others:
        return None
    period = journey.value.period if journey.value is not None else "month"
    span = log_span(data.events)
    days = span[2] if span is not None else 0
    over = f"who started over {days:,} day{'s' * (days != 1)}"
    beside = ", ".join(f"{'the journey file' if statuses[e]['volume'].source == 'journey' else statuses[e]['volume'].source}'s"
                       f" volume at {e} ({statuses[e]['volume'].value:,g})" for e in others)
    if days < MIN_SPAN_DAYS or _no_date_starts(data) is not None:
        listed = ", ".join(f"{e}" for e in logged)
        counts = ", ".join(f"{statuses[e]['volume'].value:,g}" for e in logged)
        return {}, (f"entries weighted equally: the event log's customers at {listed} ({counts}, {over}) are not customers"
                    f" a {period}, as {beside} {'is' if len(others) == 1 else 'are'}")
    factor = PERIOD_DAYS[period] / days
    scaled = {e: statuses[e]["volume"].value * factor for e in logged}
    said = ", ".join(f"{e} ({statuses[e]['volume'].value:,g}, {over}, {scaled[e]:,.0f} a {period})" for e in logged)
    return scaled, f"the entries are weighted by customers a {period}: the event log's at {said} beside {beside}"


def _entry_weights(
    entries: Sequence[str], statuses: dict[str, dict[str, MetricStatus]], notes: list[str],
    logged: tuple[dict[str, float], str] | None = None,
) -> tuple[dict[str, float], Literal["volume", "equal", "single"]]:
    if not entries:
        notes.append("no touchpoint starts the journey for this view: every figure is 0")
        return {}, "equal"
    if len(entries) == 1:
        return {entries[0]: 1.0}, "single"
    if logged is not None:
        notes.append(logged[1])
        if not logged[0]:  # the log's customers are of no period: not weighed against a period's count
            return {e: 1.0 / len(entries) for e in entries}, "equal"
    volumes = {e: statuses[e]["volume"].value for e in entries if "volume" in statuses[e]}
    if logged is not None:
        volumes.update(logged[0])
    try:
        total = math.fsum(volumes.values())
    except OverflowError:  # volumes near the largest float: their ratios are what counts
        largest = max(volumes.values())
        volumes = {e: v / largest for e, v in volumes.items()}
        total = math.fsum(volumes.values())
    if len(volumes) == len(entries) and total > 0:
        return {e: volumes[e] / total for e in entries}, "volume"
    if volumes:
        missing = [e for e in entries if e not in volumes]
        notes.append(
            f"entries weighted equally: {', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no volume"
        )
    return {e: 1.0 / len(entries) for e in entries}, "equal"


def _log_customers(data: MetricData) -> str:
    """'the log's customers, who started over 20 days': what an event log's volume counts."""
    from .data.events import log_span

    span = log_span(data.events) if data.events is not None else None
    if span is None:
        return "the log's customers"
    return f"the log's customers, who started over {span[2]:,} day{'s' * (span[2] != 1)}"


def _log_volume_note(data: MetricData, entries: list[str], value: ValueSummary) -> list[str]:
    """Say that the event log's customers weight the entries while the value per period counts the
    journey's volume: the log's count is its customers over its span, not a period's (a report of a
    7-day log said "Volume 2,574 replaces 9,400" and counted 11,000 a month beside it)."""
    from .data.events import log_span
    from .value import PERIOD_WORD

    logged = [e for e in entries if (p := data.get(e, "volume")) is not None and p.how == "events"]
    if not logged or data.events is None:
        return []
    span = log_span(data.events)
    over = f", who started over {span[2]:,} day{'s' * (span[2] != 1)}" if span is not None else ""
    counts = ", ".join(f"{data.points[(e, 'volume')].value:,.0f}" for e in logged)
    source = {"value.volume": "value.volume", "entries": "the entries' volumes"}.get(value.volume_source, value.volume_source)
    volume = f"{value.volume:,.0f} customers {PERIOD_WORD[value.period]}, from {source}" if value.volume is not None else "none"
    return [
        f"the entries are weighted by the event log's customers ({counts}{over}); the value"
        f" {PERIOD_WORD[value.period]} counts the journey file's volume ({volume}), not the log's:"
        f" journeymap calibrate writes the log's volumes as customers {PERIOD_WORD[value.period]}"
    ]


def _no_stake_notes(graph: JourneyGraph, chain: Any, weak: list[str]) -> dict[str, str]:
    """Why a weak touchpoint (not an outcome) has no value at stake: every customer leaves there, it is in
    a loop nobody leaves, or nobody leaving there would close one."""
    import networkx as nx

    notes: dict[str, str] = {}
    components: list[set[str]] | None = None
    position = {t: i for i, t in enumerate(graph.order)}
    for tp in weak:
        i = chain.index[tp]
        if chain.is_outcome[i]:
            continue
        if chain.is_stuck[i]:
            notes[tp] = f"no value at stake: customers who reach {tp} never leave the loop it is in"
        elif graph.leave(tp) >= 1.0 - 1e-12:
            notes[tp] = f"no value at stake: every customer leaves at {tp} (it has no next flows to keep them)"
        else:
            if components is None:
                flows = nx.DiGraph((a, b) for a, b, d in graph.graph.edges(data=True) if d.get("share", 0) > 0)
                components = [c for c in nx.strongly_connected_components(flows) if len(c) > 1]
            loop = next((c for c in components if tp in c), {tp})
            order = sorted(loop, key=lambda t: (t != tp, position.get(t, 0)))
            notes[tp] = f"no value at stake: with nobody leaving at {tp}, its customers would go round {' -> '.join(order)} for ever"
    return notes


def _model_notes(graph: JourneyGraph, conversion: float) -> list[str]:
    notes = []
    g = graph.graph
    hidden = [n for n in graph.order if g.nodes[n]["hidden_share"] > 0]
    if graph.persona is not None:
        unseen = len(graph.journey.touchpoints) - len(graph.order)
        if unseen:
            notes.append(
                f"persona '{graph.persona}' does not meet {unseen} touchpoint{'s' * (unseen != 1)};"
                + (
                    f" flows into {'it' if unseen == 1 else 'them'} from {', '.join(hidden)} are dropped"
                    " and the other shares scaled up"
                    if hidden
                    else f" no flow leads into {'it' if unseen == 1 else 'them'}"
                )
            )
    priced = graph.journey.value is not None
    for group in graph.closed_loops():
        notes.append(
            f"customers who reach the loop {' -> '.join(group)} never leave it (its shares stay inside);"
            " they are counted as stuck, never succeeding"
            + (
                "; their value counts one visit of each of its touchpoints (its cost and revenue once),"
                " not the endless visits its shares say"
                if priced
                else ""
            )
        )
    unreachable = graph.unreachable()
    if unreachable and graph.entries:
        notes.append(f"no entry leads to {', '.join(unreachable)}: reach 0")
    if graph.order and not graph.successes:
        notes.append("no touchpoint has outcome: success, so conversion and removal effects are 0")
    elif graph.order and graph.entries and conversion == 0:
        notes.append("no customer reaches a success outcome: conversion and removal effects are 0")
    return notes
