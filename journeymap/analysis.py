"""Analysis: health, weak touchpoints with reasons, funnel and attribution.

CONTRACT (shared by render/, diff.py and the CLI; the implementation fills it):
the dataclasses below are the interface. ``analyze()`` computes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .graph import JourneyGraph
    from .model import Journey
    from .problems import Problem

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
    """Backed by fewer than ``weak.min_n`` responses (n is known and below it)."""


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
    """Plain sentences with numbers, worst first; empty when not weak."""
    impact: float
    """Ranking score for weak touchpoints (higher = fix first); 0 when not weak."""
    metrics: dict[str, MetricStatus]
    notes: list[str] = field(default_factory=list)
    """Signals that do not make it weak (low-confidence misses, ...)."""


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

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError
