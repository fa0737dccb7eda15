"""What several lint rules need: positions, entries, reachability, targets, the main path.

Plain Python over the :class:`~journeymap.model.Journey` model, so that a rule
is a short generator and a rule's test needs nothing but a journey.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..metrics import BUILTIN
from ..model import Journey, Touchpoint
from ..problems import Problem, Span


def journey_file(journey: Journey) -> str:
    """The name the journey's file goes by in messages."""
    span = journey.span("journey")
    if span is not None:
        return span.file
    return str(journey.source) if journey.source is not None else "<journey>"


def span_of(journey: Journey, *path: str) -> Span:
    """Where ``path`` was defined, falling back to its parent, then to the journey."""
    for end in range(len(path), 0, -1):
        span = journey.span(*path[:end])
        if span is not None:
            return span
    return journey.span("journey") or Span(journey_file(journey))


def problem(
    journey: Journey,
    rule: str,
    path: tuple[str, ...],
    message: str,
    hint: str | None = None,
    related: Iterable[Span] = (),
) -> Problem:
    """A lint problem at ``journey.span(*path)``; :func:`journeymap.rules.lint` sets its level."""
    return Problem(span_of(journey, *path), rule, message, hint, "warning", tuple(related))


def is_own(journey: Journey, kind: str, ident: str) -> bool:
    """Whether a persona/channel is defined in the journey file itself (not only imported)."""
    span = journey.span(kind, ident)
    return span is None or span.file == journey_file(journey)


def successors(journey: Journey) -> dict[str, list[str]]:
    """Touchpoint id -> the ids its ``next`` flows point to, in file order."""
    known = journey.touchpoint_by_id
    return {t.id: [f.to for f in journey.local_flows(t) if f.to in known] for t in journey.touchpoints}


def entries(journey: Journey) -> list[str]:
    """Where the journey starts: touchpoints marked ``entry: true``, else those nobody points to."""
    return journey.entry_ids()


def reachable(journey: Journey, start: Iterable[str] | None = None) -> set[str]:
    """Touchpoint ids reachable from ``start`` (default: the entries), the start included."""
    graph = successors(journey)
    seen: set[str] = set()
    frontier = list(entries(journey) if start is None else start)
    while frontier:
        current = frontier.pop()
        if current in seen:
            continue
        seen.add(current)
        frontier.extend(graph.get(current, ()))
    return seen


def metric_value(touchpoint: Touchpoint, name: str) -> float | None:
    entry = touchpoint.metrics.get(name)
    if entry is None or not isinstance(entry.value, (int, float)):
        return None
    return float(entry.value)


def effective_shares(touchpoint: Touchpoint) -> list[float]:
    """The share of each ``next`` flow; flows without one split what the others leave."""
    given = [f.share for f in touchpoint.next]
    left = max(0.0, 1.0 - sum(s for s in given if s is not None))
    unknown = sum(s is None for s in given)
    return [s if s is not None else left / unknown for s in given]


def main_path(journey: Journey) -> list[str]:
    """The path most customers take, as touchpoint ids.

    It starts at the entry with the highest ``volume`` (the first entry when no
    entry has one) and follows the flow with the largest share (the first
    listed on a tie; flows without a share split what the others leave) to an
    outcome or a dead end. A flow back to a touchpoint already on the path is
    passed over for the largest flow that goes somewhere new.
    """
    starts = entries(journey)
    if not starts:
        return []
    by_id = journey.touchpoint_by_id
    volumes = [metric_value(by_id[s], "volume") or 0.0 for s in starts]
    current = starts[volumes.index(max(volumes))]
    path = [current]
    on_path = {current}  # `in path` would make a long chain quadratic
    while by_id[current].outcome is None:
        touchpoint = by_id[current]
        options = [
            (share, -index, flow.to)
            for index, (flow, share) in enumerate(zip(touchpoint.next, effective_shares(touchpoint), strict=True))
            if flow.to in by_id and flow.to not in on_path
        ]
        if not options:
            break
        current = max(options)[2]
        path.append(current)
        on_path.add(current)
    return path


def metric_better(journey: Journey, name: str) -> str | None:
    """``higher``/``lower`` for a metric with a direction; None for a weight like volume."""
    definition = journey.metrics.get(name)
    if definition is not None and definition.better is not None:
        return definition.better
    spec = BUILTIN.get(name)
    return spec.better if spec is not None else None


def has_target(journey: Journey, touchpoint: Touchpoint, name: str) -> bool:
    """Whether a target applies to ``name`` at the touchpoint, stage or journey level."""
    value = touchpoint.metrics.get(name)
    if value is not None and value.target is not None:
        return True
    stage = journey.stage_by_id.get(touchpoint.stage)
    if stage is not None and name in stage.targets:
        return True
    definition = journey.metrics.get(name)
    return definition is not None and definition.target is not None


def weak_touchpoints(journey: Journey) -> dict[str, list[str]]:
    """Weak touchpoint id -> reasons, as :func:`journeymap.analysis.analyze` judges them.

    Until the analysis exists (or if it cannot run on this journey), a
    touchpoint counts as weak when it carries friction at or above
    ``weak.friction_severity`` or its emotion is at or below ``weak.emotion``.
    """
    try:
        from ..analysis import analyze  # type: ignore[attr-defined]

        result = analyze(journey)
        return {tid: list(r.reasons) for tid, r in result.touchpoints.items() if r.weak}
    except (ImportError, NotImplementedError):
        pass
    weak: dict[str, list[str]] = {}
    for touchpoint in journey.touchpoints:
        reasons = [
            f"friction '{f.type}' severity {f.severity}"
            for f in sorted(touchpoint.friction, key=lambda f: -f.severity)
            if f.severity >= journey.weak.friction_severity
        ]
        if touchpoint.emotion is not None and touchpoint.emotion <= journey.weak.emotion:
            reasons.append(f"emotion {touchpoint.emotion:g}")
        if reasons:
            weak[touchpoint.id] = reasons
    return weak
