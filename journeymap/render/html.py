"""The workshop journey map: one self-contained HTML file.

Columns are stages, one sub-column per touchpoint; rows are the lanes of a
hand-drawn journey map (touchpoint cards with channel badges, what the customer
does, thinks and feels, pain points, metrics, opportunities, and below the
line of visibility the backstage). Weak touchpoints carry an icon, the word
"Weak" and their reasons, and are listed by impact above the map. A persona
filter hides the touchpoints a persona does not meet; its data is computed
here and embedded, so the page needs no server and makes no request.

:func:`render_html` returns a string; laying out the flow diagram (which needs
Graphviz) happens at the edge and arrives here as ``diagram_svg``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from ..problems import visible
from .escape import (
    NAME_CHARACTERS,
    TEXT_CHARACTERS,
    TITLE_CHARACTERS,
    clean,
    json_for_script,
    one_line,
    percent_text,
    shorten,
    utf8,
    xml_text,
)
from .voice import PHRASE_CHARACTERS

if TYPE_CHECKING:
    import jinja2

    from ..analysis import Analysis, MetricStatus
    from ..data.verbatims import Verbatims
    from ..model import Touchpoint
    from ..problems import Problem
    from .observed import PlannedVsActual

#: The "Fix first" strip above the map names this many weak touchpoints (the panel lists all).
STRIP_SIZE = 8
#: At most this many touchpoint columns on one printed A3 sheet.
PRINT_COLUMNS = 10
#: Journeys longer than this print as one poster instead of sheets (nobody tapes 12 sheets together).
PRINT_SHEETS_UP_TO = 120
#: A weak card on screen lists its worst reasons; the rest open on a click (all are in the ranked
#: panel and on paper). More would make the card row taller than a 1280x800 screen.
CARD_REASONS = 2
#: Height of the emotion lane's drawing, in CSS pixels.
CURVE_HEIGHT = 168
_CURVE_PAD = 22

#: What each metric status is called and shown as (never colour alone).
STATUS_WORDS = {
    "ok": ("✓", "on target"),
    "below_target": ("✗", "below target"),
    "above_target": ("✗", "above target"),
    "low_confidence": ("?", "low confidence"),
    "no_target": ("–", "no target"),
}
FRICTION_WORDS = {
    "effort": "Effort",
    "wait": "Waiting",
    "error": "Error",
    "confusion": "Confusion",
    "handoff": "Hand-off",
    "trust": "Trust",
    "accessibility": "Accessibility",
    "other": "Other",
}
OUTCOME_WORDS = {
    "success": "success",
    "failure": "failure",
    "leave": "leave on the way",
    "stuck": "stuck in a loop",
    "handoff": "continue in another journey",
}


def template_dirs() -> list[Path]:
    """Where templates are looked for: inside the package (wheel), then next to it (checkout)."""
    package_dir = Path(__file__).resolve().parent.parent
    return [package_dir / "templates", package_dir.parent / "templates"]


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment: every template autoescaped, undefined names are errors."""
    import jinja2

    dirs = [str(d) for d in template_dirs() if d.is_dir()]
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# -- the view model ------------------------------------------------------------


def percent(value: float | None) -> str:
    """``0.423`` -> ``42%``; small values keep a decimal (``0.4%``)."""
    if value is None:
        return "–"
    return percent_text(value)


def signed(value: float) -> str:
    """Emotion as people read it: ``+1``, ``−1.5`` (a real minus sign), ``0``."""
    text = f"{value:+.1f}".rstrip("0").rstrip(".")
    if text in ("+0", "-0"):
        return "0"
    return text.replace("-", "−")


#: A hyphen-minus that signs a figure (``-25``, ``-0.54``, ``-46 to -4``, ``→ -25``), not one
#: inside a word, an id or a number (``Drop-off``, ``step-2``, ``2026-05``).
_FIGURE_MINUS = re.compile(r"(?<![\w.,\-−])-(?=\.?[0-9])")


def real_minus(text: str) -> str:
    """journeymap's figures with a real minus sign (U+2212), as the map shows an emotion and a
    sentiment: ``NPS −25``, ``95% CI −46 to −4``. The reports keep the hyphen-minus (and every
    number a file is to be written with keeps it: a data file's ``−12`` is told to be ``-12``).

    >>> real_minus("NPS +33.3 → -25 over 2 months, falling (worse)"), real_minus("Drop-off 2026-05 step-2")
    ('NPS +33.3 → −25 over 2 months, falling (worse)', 'Drop-off 2026-05 step-2')
    """
    return _FIGURE_MINUS.sub("−", text)


def reason_shown(reason: str) -> str:
    """A reason as the map shows it: the figures journeymap wrote with a real minus; a friction's
    note is the journey's own text, shown as written."""
    return one_line(reason) if reason.startswith("friction '") else real_minus(one_line(reason))


@dataclass
class MetricView:
    name: str
    label: str
    text: str
    status: str
    icon: str
    word: str
    target_text: str | None
    target_source: str | None
    n: int | None
    low_confidence: bool
    better: str | None
    period: str | None = None
    source: str | None = None
    value_from: str | None = None
    ci_text: str | None = None
    verdict: str | None = None
    sparkline: str | None = None
    """An inline SVG of the series (numbers only, no user text), or None without one."""
    ci_note: str | None = None
    """Why a value with an n has no interval (journeymap's own words)."""
    ci_includes_target: bool = False
    """Low confidence because the interval includes the target, not for too few responses."""
    last_change: str | None = None
    """Whether the change over the last period is ``significant`` or ``not significant``, as the
    reports say it; None when no test applies."""
    everyone: bool = False
    """In a persona's view, everyone's value: the data has none of the persona's own there."""

    @property
    def trend_line(self) -> str | None:
        """The verdict and, as the text report puts it, whether the last change is significant."""
        if not self.verdict:
            return None
        return self.verdict + (f" · last period {self.last_change}" if self.last_change else "")

    @property
    def detail(self) -> str:
        """Everything behind the value, in one sentence (n, target and where it is set, confidence),
        as HTML: the texts from data files (the verdict's period labels, the period, the files) each
        in a ``<bdi>``, so that a right-to-left override in one ends with it, not with the sentence."""

        def data(text: str) -> str:
            return f"<bdi>{_e(text)}</bdi>"

        parts = [_e(f"{self.label} {self.text}: {self.word}.")]
        if self.target_text:
            where = f", set for the {self.target_source}" if self.target_source else ""
            parts.append(_e(f"Target {self.target_text}{where}."))
        else:
            parts.append("No target set.")
        if self.better:
            parts.append(_e(f"{self.better.capitalize()} is better."))
        if self.n is not None:
            few = self.low_confidence and not self.ci_includes_target
            parts.append(f"n = {self.n:,}" + (": low confidence, too few responses to judge." if few else "."))
        else:
            parts.append("Number of responses not given.")
        if self.ci_text and self.ci_includes_target:
            parts.append(_e(f"95% CI {self.ci_text}: low confidence, the interval includes the target, so the miss may be chance."))
        elif self.ci_text:
            parts.append(_e(f"95% CI {self.ci_text}."))
        elif self.ci_note:
            parts.append(data(f"{self.ci_note[0].upper()}{self.ci_note[1:]}") + ".")
        if self.verdict:
            parts.append(data(self.verdict) + (_e(f" · last period {self.last_change}") if self.last_change else "") + ".")
        if self.period:
            parts.append(f"Period {data(self.period)}.")
        if self.source:
            parts.append(f"Source {data(self.source)}.")
        if self.value_from:
            parts.append(f"Value from {data(self.value_from)}.")
        if self.everyone:
            parts.append("Everyone's value: the data has none of this persona's own.")
        return " ".join(parts)


@dataclass
class QuoteView:
    text: str
    kind: str
    sentiment: str | None


@dataclass
class VerbatimsView:
    comments: int
    sentiment: str | None
    phrases: list[tuple[str, int]]
    quotes: list[QuoteView]
    over_periods: bool = False
    """The comments are over every period, beside chips that are the latest period's."""


def sparkline(values: list[float], low: float | None = None, high: float | None = None,
              positions: Sequence[float] | None = None) -> str | None:
    """A small inline SVG line through ``values`` (oldest first), the last point marked; None for fewer than 2.
    ``positions``: where each value lies in time (elapsed periods: 0, 1, 5 for January, February
    and June), so that a gap of months is a gap on the line, not drawn across (a line from February
    to June showed March to May as if they had values between); evenly spaced without them. A
    period with no neighbour on either side is a dot. ``low`` and ``high``: the metric's scale (CSAT 0 and 1);
    the line's height stands for at least a tenth of it, or of the largest value's size without both ends
    (CSAT 70.4%, 70.2%, 70.0% was drawn from top to bottom, as steep as a fall from 90% to 50%).

    Only numbers go into it, so it needs no escaping and no script.
    """
    if len(values) < 2:
        return None
    xs = list(positions) if positions is not None and len(positions) == len(values) else list(range(len(values)))
    # More than 24 periods (two years of weeks) in 60 px were half a pixel each under a 1.5 px stroke,
    # a solid band: a long series gets 2.5 px a period, up to twice the width, and a finer line.
    periods = int(round(xs[-1] - xs[0])) + 1
    long = periods > 24
    width, height, pad = (min(120, round(2.5 * periods)) if long else 60), 16, 2
    stroke = "1" if long else "1.5"
    top, bottom = max(values), min(values)
    least = (high - low if low is not None and high is not None else max(abs(top), abs(bottom))) / 10
    if top - bottom < least:  # a change smaller than a tenth of the scale: drawn as small, about its middle
        middle = (top + bottom) / 2
        top, bottom = middle + least / 2, middle - least / 2
    if top == bottom:
        top, bottom = top + 1, bottom - 1
    span = (xs[-1] - xs[0]) or 1
    points = [
        (pad + (x - xs[0]) / span * (width - 2 * pad), pad + (top - v) / (top - bottom) * (height - 2 * pad))
        for x, v in zip(xs, values, strict=True)
    ]
    runs: list[list[tuple[float, float]]] = [[points[0]]]
    for i in range(1, len(points)):
        if xs[i] - xs[i - 1] > 1 + 1e-9:  # periods without data between: the line breaks
            runs.append([])
        runs[-1].append(points[i])
    drawn = []
    for run in runs:
        if len(run) > 1:
            line = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            drawn.append(f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="{stroke}"/>')
        elif run[0] is not points[-1]:
            drawn.append(f'<circle cx="{run[0][0]:.1f}" cy="{run[0][1]:.1f}" r="1.2" fill="currentColor"/>')
    x, y = points[-1]
    return (
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-hidden="true" focusable="false">'
        + "".join(drawn)
        + f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="currentColor"/></svg>'
    )


@dataclass
class FrictionView:
    kind: str
    severity: int
    note: str | None
    evidence: str | None
    high: bool


@dataclass
class FlowView:
    to: str
    name: str
    share: str | None
    label: str | None
    journey: str | None = None
    """Set for a flow into another journey (its id); the link goes to that journey's map."""

    @property
    def href(self) -> str:
        return f"{self.journey}.html#tp-{self.to}" if self.journey else f"#tp-{self.to}"


@dataclass
class TouchpointView:
    id: str
    index: int
    name: str
    stage: str
    channel: str
    channel_kind: str
    description: str | None
    action: str | None
    thought: str | None
    emotion: float | None
    emotion_text: str | None
    owner: str | None
    systems: list[str]
    backstage: list[str]
    opportunities: list[str]
    verbatims: VerbatimsView | None
    persona_metrics: dict[str, list[MetricView]]
    """Metrics as one persona's customers rated them (persona id -> views), where they differ."""
    entry: str | None
    outcome: str | None
    flows: list[FlowView]
    leave: str | None
    friction: list[FrictionView]
    metrics: list[MetricView]
    reach: str | None
    removal_effect: str | None
    weak: bool
    weak_rank: int | None
    reasons: list[str]
    notes: list[str]
    impact: str | None
    personas: list[str]
    persona_verbatims: dict[str, VerbatimsView | None] = field(default_factory=dict)
    """What one persona's customers wrote (persona id -> view; None: nothing here), where it differs."""

    @property
    def short_name(self) -> str:
        """The name as laid out in a narrow place (a chip, a cell): at most about 120 characters."""
        return shorten(self.name)


@dataclass
class StageView:
    id: str
    name: str
    goal: str | None
    description: str | None
    reach: str | None
    drop_off: str | None
    touchpoints: list[TouchpointView] = field(default_factory=list)

    @property
    def weak_count(self) -> int:
        return sum(t.weak for t in self.touchpoints)


@dataclass
class CurvePoint:
    x: str
    y: float
    label_y: float
    emotion: str
    weak: bool
    tone: str
    title: str


@dataclass
class CurveSegment:
    x1: str
    y1: float
    x2: str
    y2: float
    gap: bool


@dataclass
class Curve:
    persona: str
    points: list[CurvePoint]
    segments: list[CurveSegment]

    @property
    def svg(self) -> Markup:
        """The drawing, built here rather than in the template: it is thousands of numbers on a
        long journey, and only the point titles are user text (escaped)."""
        levels = _curve_levels()
        zero = levels[2][1]
        label = "Emotion curve" + (" for one persona" if self.persona else "")
        out = [
            f'<svg width="100%" height="{CURVE_HEIGHT}" role="img" aria-label="{label}: {len(self.points)} '
            'touchpoints rated from −2 (frustrated) to +2 (delighted)">',
            f'<rect class="band-pos" x="0" y="0" width="100%" height="{zero}"/>',
            f'<rect class="band-neg" x="0" y="{zero}" width="100%" height="{round(CURVE_HEIGHT - zero, 1)}"/>',
        ]
        for level, y, _ in levels:
            out.append(f'<line class="grid{" zero" if level == 0 else ""}" x1="0" x2="100%" y1="{y}" y2="{y}"/>')
        for s in self.segments:
            out.append(f'<line class="seg{" gap" if s.gap else ""}" x1="{s.x1}" y1="{s.y1}" x2="{s.x2}" y2="{s.y2}"/>')
        for p in self.points:
            marker = (
                f'<use href="#m-weak" x="{p.x}" y="{p.y}"/>' if p.weak else f'<circle cx="{p.x}" cy="{p.y}" r="7"/>'
            )
            out.append(
                f'<g class="pt tone-{p.tone}{" weak" if p.weak else ""}"><title>{escape(p.title)}</title>{marker}'
                f'<text x="{p.x}" y="{p.label_y}" text-anchor="middle">{escape(p.emotion)}</text></g>'
            )
        out.append("</svg>")
        return Markup("\n".join(out))


@dataclass
class SheetPart:
    """A stage (or the part of a long stage) on one sheet."""

    stage: StageView
    number: int
    touchpoints: list[TouchpointView]
    continued: bool


@dataclass
class Sheet:
    """One map table: the whole journey on screen, or one printed sheet."""

    parts: list[SheetPart]
    curves: list[Curve]

    @property
    def touchpoints(self) -> list[TouchpointView]:
        return [t for part in self.parts for t in part.touchpoints]

    @property
    def count(self) -> int:
        return len(self.touchpoints)

    def cells(self, lane: str, screen: bool, weak_total: int = 0) -> Markup:
        """All cells of one lane of this table, as HTML (see :func:`lane_cell`)."""
        if lane == "cards":
            return Markup("".join(card_cell(t, screen, weak_total) for t in self.touchpoints))
        return Markup("".join(lane_cell(t, lane, screen) for t in self.touchpoints))


@dataclass
class PersonaView:
    id: str
    name: str
    share: str | None
    description: str | None
    goals: list[str]
    pains: list[str]
    count: int


def files_shown(source: str) -> str:
    """The data files a value comes from, as the map names them: each file by its name (the
    analyst's folders mean nothing in a workshop), a folder or glob read as several files
    (``logs/*.csv (12 files)``) by its last folder and pattern, so ``*.csv`` says which."""
    from ..data.engines.rows import shown as as_told

    shown = []
    for part in source.split(", "):
        if (many := re.fullmatch(r"(.*) (\([\d,]+ files\))", part)) is not None:
            path = Path(many[1])
            shown.append(f"{Path(*path.parts[-2:]) if any(c in path.name for c in '*?[') else path.name} {many[2]}")
        else:
            shown.append(Path(part).name)
    # a file's name as the terminal and the Markdown show it: a bidi override or an escape
    # sequence in it escaped (a U+202E showed 'survey\u202evsc.exe' as 'surveyexe.csv')
    return ", ".join(dict.fromkeys(as_told(name, NAME_CHARACTERS) for name in shown))


def _text(value: str | None) -> str | None:
    """User text as shown: control characters dropped; None stays None, blank becomes None."""
    if value is None:
        return None
    value = clean(value).strip()
    return value or None


def _metric_view(status: MetricStatus, touchpoint: Touchpoint, persona: str | None = None,
                 own: frozenset[str] = frozenset()) -> MetricView:
    """The chip of a metric; in ``persona``'s view, marked as everyone's where it is not the persona's own
    and the persona has values of its own of that metric (``own``: their names) at other touchpoints."""
    from ..analysis import period_positions

    icon, word = STATUS_WORDS.get(status.status, ("–", status.status.replace("_", " ")))
    written = touchpoint.metrics.get(status.name)
    drawn = [p for p in status.series if p.n != 0]
    from_data = status.source != "journey"
    return MetricView(
        name=status.name,
        label=one_line(status.label),
        text=real_minus(one_line(status.text)),
        status=status.status,
        icon=icon,
        word=word,
        target_text=real_minus(one_line(status.target_text)) if status.target_text else None,
        target_source=status.target_source,
        n=status.n,
        low_confidence=status.low_confidence,
        better=status.better,
        # A value from a data file is that file's latest period, not the journey file's
        # (whose period and source belong to the value it replaced).
        period=_text(status.period) if from_data else _text(written.period) if written is not None else None,
        source=None if from_data or written is None else _text(written.source),
        value_from=None if status.source == "journey" else files_shown(status.source),
        ci_text=real_minus(status.ci_text) if status.ci_text else None,
        verdict=real_minus(one_line(status.verdict)) if status.verdict else None,
        # a period of no answers (a table row of n 0) is a gap, as it weighs nothing in the trend
        sparkline=sparkline([p.value for p in drawn], *_scale(status.name),
                            positions=period_positions([p.period for p in drawn])[0]),
        ci_note=status.ci_note,
        ci_includes_target=status.ci_includes_target,
        last_change=None if status.significant_change is None else "significant" if status.significant_change else "not significant",
        everyone=persona is not None and status.persona != persona and status.name in own,
    )


def _scale(metric: str) -> tuple[float | None, float | None]:
    """A built-in metric's scale (CSAT 0 and 1, NPS -100 and 100); None for an end it lacks and for a custom metric."""
    from ..metrics import BUILTIN

    spec = BUILTIN.get(metric)
    return (spec.low, spec.high) if spec is not None else (None, None)


def _verbatims_view(analysis: Analysis, touchpoint_id: str) -> VerbatimsView | None:
    from .voice import over_periods

    result = analysis.touchpoints.get(touchpoint_id)
    return _said(result.verbatims if result is not None else None, over_periods(analysis, touchpoint_id))


def _said(v: Verbatims | None, periods: bool = False) -> VerbatimsView | None:
    from .voice import score_text

    if v is None:
        return None
    return VerbatimsView(
        comments=v.comments,
        sentiment=score_text(v.sentiment).replace("-", "−") if v.sentiment is not None else None,
        phrases=[(one_line(p), c) for p, c in v.phrases],
        quotes=[
            QuoteView(one_line(q.text), q.kind, score_text(q.sentiment).replace("-", "−") if q.sentiment is not None else None)
            for q in v.quotes
        ],
        over_periods=periods,
    )


def _graph_share(analysis: Analysis, source: str, target: str) -> float | None:
    """The resolved share of a flow from the analysis' graph, if it has one."""
    graph = getattr(getattr(analysis, "graph", None), "graph", None)
    if graph is None:
        return None
    data = graph.get_edge_data(source, target)
    if not data or data.get("share") is None:
        return None
    return float(data["share"])


def _touchpoint_view(
    analysis: Analysis,
    touchpoint: Touchpoint,
    index: int,
    weak_rank: dict[str, int],
    shown: set[str],
) -> TouchpointView:
    journey = analysis.journey
    channel = journey.channel_by_id.get(touchpoint.channel)
    result = analysis.touchpoints.get(touchpoint.id)
    weak_config = journey.weak
    names = journey.touchpoint_by_id
    flows = []
    total_share = 0.0
    known_share = True
    resolved = None
    for number, flow in enumerate(touchpoint.next):
        if flow.leads_out(journey.id):
            from ..graph import resolve_shares

            resolved = resolved or resolve_shares([(f.to, f.share) for f in touchpoint.next])
            total_share += resolved[number]
            flows.append(
                FlowView(
                    to=flow.to,
                    name=f"{flow.journey}: {flow.to}",
                    share=percent(resolved[number]),
                    label=_text(flow.label),
                    journey=flow.journey,
                )
            )
            continue
        if flow.to not in shown:
            continue
        share = flow.share if flow.share is not None else _graph_share(analysis, touchpoint.id, flow.to)
        if share is None:
            known_share = False
        else:
            total_share += share
        flows.append(
            FlowView(
                to=flow.to,
                name=one_line(names[flow.to].name) if flow.to in names else flow.to,
                share=percent(share) if share is not None else None,
                label=_text(flow.label),
            )
        )
    leave = None
    if flows and known_share and touchpoint.outcome is None and total_share < 0.999:
        leave = percent(1 - total_share)
    metrics = []
    if result is not None:
        # a map of one persona (render --persona) marks everyone's chips as the persona filter does
        own = own_metrics(analysis, analysis.persona) if analysis.persona is not None else frozenset()
        metrics = [_metric_view(result.metrics[name], touchpoint, analysis.persona, own) for name in sorted(result.metrics)]
    entry = None
    if touchpoint.id in analysis.entries:
        entry = percent(analysis.entries[touchpoint.id]) if len(analysis.entries) > 1 else "all"
    personas = journey.persona_by_id
    return TouchpointView(
        id=touchpoint.id,
        index=index,
        name=one_line(touchpoint.name) or touchpoint.id,
        stage=touchpoint.stage,
        channel=one_line(channel.name) if channel is not None else touchpoint.channel,
        channel_kind=channel.kind if channel is not None else "digital",
        description=_text(touchpoint.description),
        action=_text(touchpoint.action),
        thought=_text(touchpoint.thought),
        emotion=touchpoint.emotion,
        emotion_text=signed(touchpoint.emotion) if touchpoint.emotion is not None else None,
        owner=_text(touchpoint.owner),
        systems=[s for s in (_text(x) for x in touchpoint.systems) if s],
        backstage=[s for s in (_text(x) for x in touchpoint.backstage) if s],
        opportunities=[s for s in (_text(x) for x in touchpoint.opportunities) if s],
        verbatims=_verbatims_view(analysis, touchpoint.id),
        persona_metrics={},
        entry=entry,
        outcome=touchpoint.outcome,
        flows=flows,
        leave=leave,
        friction=[
            FrictionView(
                kind=FRICTION_WORDS.get(f.type, f.type),
                severity=f.severity,
                note=_text(f.note),
                evidence=_text(f.evidence),
                high=f.severity >= weak_config.friction_severity,
            )
            for f in sorted(touchpoint.friction, key=lambda f: -f.severity)
        ],
        metrics=metrics,
        reach=percent(result.reach) if result is not None else None,
        removal_effect=percent(result.removal_effect) if result is not None else None,
        weak=bool(result is not None and result.weak),
        weak_rank=weak_rank.get(touchpoint.id),
        reasons=[reason_shown(r) for r in result.reasons] if result is not None and result.weak else [],
        notes=[real_minus(one_line(n)) for n in result.notes] if result is not None else [],
        impact=f"{result.impact:.2f}" if result is not None and result.weak else None,
        personas=(
            [one_line(personas[p].name) for p in touchpoint.personas if p in personas]
            if touchpoint.personas is not None
            else []
        ),
    )


def _curve(persona: str, touchpoints: list[TouchpointView]) -> Curve:
    """The emotion curve over ``touchpoints`` (x as a percentage of the lane, so it fits any width)."""
    count = len(touchpoints)
    span = CURVE_HEIGHT - 2 * _CURVE_PAD
    points: list[CurvePoint] = []
    segments: list[CurveSegment] = []
    previous: tuple[str, float, int] | None = None
    for i, tp in enumerate(touchpoints):
        if tp.emotion is None:
            continue
        x = f"{(i + 0.5) / count * 100:.3f}%"
        y = round(_CURVE_PAD + (2 - tp.emotion) / 4 * span, 1)
        tone = "pos" if tp.emotion > 0 else "neg" if tp.emotion < 0 else "neutral"
        label_y = y - 15 if tp.emotion <= 1.2 else y + 24
        title = f"{tp.name}: {tp.emotion_text}" + (" (weak)" if tp.weak else "")
        points.append(CurvePoint(x, y, round(label_y, 1), tp.emotion_text or "", tp.weak, tone, title))
        if previous is not None:
            segments.append(CurveSegment(previous[0], previous[1], x, y, gap=i - previous[2] > 1))
        previous = (x, y, i)
    return Curve(persona, points, segments)


# -- the cells of the map -----------------------------------------------------------
#
# The map has a cell per touchpoint and lane: 20,000 of them on a 2,000-touchpoint
# journey. They are built here with plain string formatting, every user string
# escaped once with markupsafe, because a template spends most of its time on
# per-expression overhead at that size. The page around them is the template's.


_e = xml_text


def _icon(name: str) -> str:
    return f'<svg class="icon" aria-hidden="true" focusable="false"><use href="#i-{name}"/></svg>'


ICONS = {name: _icon(name) for name in ("digital", "human", "physical", "partner", "weak", "entry", "success", "failure", "idea")}


def _items(values: list[str], tag: str = "li") -> str:
    return "".join(f'<{tag} dir="auto">{_long(v)}</{tag}>' for v in values)


def _short(text: str, limit: int = NAME_CHARACTERS) -> str:
    """A name as laid out: escaped, cut to ``limit`` characters with an ellipsis, and then the
    whole text on hover (a 100 KB name made a card 219,769 px tall)."""
    if len(text) <= limit:
        return _e(text)
    return f'<span title="{_e(text)}">{_e(shorten(text, limit))}</span>'


def _long(text: str, limit: int = TEXT_CHARACTERS) -> str:
    """A longer text as laid out: escaped; past ``limit`` characters its start, and the whole
    text one click away in a ``<details>`` (so a card stays a card until asked)."""
    if len(text) <= limit:
        return _e(text)
    return (
        f'<details class="long-text"><summary>{_e(shorten(text, limit))}</summary>'
        f'<span class="full-text">{_e(text)}</span></details>'
    )


def card_cell(tp: TouchpointView, screen: bool, weak_total: int) -> str:
    """The touchpoint card: channel, name, reach, entry/outcome, and for a weak one the icon,
    the word "Weak", its rank and every reason. On screen it carries the ``data-`` hooks."""
    classes = "card" + (" is-weak" if tp.weak else "") + (f" is-{tp.outcome}" if tp.outcome else "")
    if screen:
        hooks = f' id="tp-{_e(tp.id)}" data-touchpoint="{_e(tp.id)}"'
    else:
        hooks = f' data-col="{_e(tp.id)}"'
    weak_hook = ' data-weak="true"' if tp.weak and screen else ""
    out = [
        f'<td class="{classes}"{hooks} data-stage-of="{_e(tp.stage)}"{weak_hook}>',
        f'<p class="card-top"><span class="channel kind-{tp.channel_kind}" title="{tp.channel_kind.capitalize()} channel">'
        f"{ICONS.get(tp.channel_kind, ICONS['digital'])}<bdi>{_e(tp.channel)}</bdi></span></p>",
        f'<h3 class="tp-name" dir="auto">{_short(tp.name)}</h3>',
    ]
    if tp.reach:
        out.append(f'<p class="reach" title="Share of customers entering the journey who reach this touchpoint">Reach <b>{_e(tp.reach)}</b></p>')
    if tp.entry or tp.outcome:
        badges = []
        if tp.entry:
            share = f" · {_e(tp.entry)} start here" if tp.entry != "all" else ""
            badges.append(f'<span class="badge badge-entry">{ICONS["entry"]}Entry{share}</span>')
        if tp.outcome == "success":
            badges.append(f'<span class="badge badge-success">{ICONS["success"]}Success outcome</span>')
        elif tp.outcome == "failure":
            badges.append(f'<span class="badge badge-failure">{ICONS["failure"]}Failure outcome</span>')
        out.append(f'<p class="badges">{"".join(badges)}</p>')
    if tp.weak:
        rank = f'<span class="weak-rank">#{tp.weak_rank} of {weak_total}</span>' if tp.weak_rank else ""
        shown, more = (tp.reasons[:CARD_REASONS], tp.reasons[CARD_REASONS:]) if screen else (tp.reasons, [])
        rest = (
            f'<details class="more-reasons"><summary>{len(more)} more reason{"s" * (len(more) != 1)}</summary>'
            f'<ul class="reasons">{_items(more)}</ul></details>'
            if more
            else ""
        )
        out.append(
            f'<div class="weak-flag"><p class="weak-head">{ICONS["weak"]}<strong>Weak</strong>{rank}</p>'
            f'<ul class="reasons">{_items(shown)}</ul>{rest}</div>'
        )
    if screen and tp.persona_metrics:
        out.append('<div class="persona-weak" hidden></div>')
    if tp.description:
        out.append(f'<p class="tp-desc" dir="auto">{_long(tp.description)}</p>')
    if tp.personas:
        names = ", ".join(f"<bdi>{_e(name)}</bdi>" for name in tp.personas)
        out.append(f'<p class="tp-personas">Only for: {names}</p>')
    if tp.notes:
        out.append(f'<ul class="notes" aria-label="Notes">{_items(tp.notes)}</ul>')
    if screen and (tp.flows or tp.leave):
        paths = f"{len(tp.flows)} path{'' if len(tp.flows) == 1 else 's'}" + (f" · {_e(tp.leave)} leave" if tp.leave else "")
        flows = []
        for flow in tp.flows:
            share = f" <b>{_e(flow.share)}</b>" if flow.share else ""
            label = f' <span class="flow-label" dir="auto">{_short(flow.label)}</span>' if flow.label else ""
            into = "continues in journey " if flow.journey else ""
            hook = f' data-journey-link="{_e(flow.journey)}:{_e(flow.to)}"' if flow.journey else ""
            flows.append(f'<li{hook}><a href="{_e(flow.href)}">→ {into}<bdi>{_short(flow.name)}</bdi></a>{share}{label}</li>')
        if tp.leave:
            flows.append(f'<li class="leave">{_e(tp.leave)} leave the journey here</li>')
        removal = (
            f'<p class="removal">Without this touchpoint {_e(tp.removal_effect)} of successes would be lost.</p>'
            if tp.removal_effect
            else ""
        )
        out.append(f'<details class="flows"><summary>Next: {paths}</summary><ul>{"".join(flows)}</ul>{removal}</details>')
    out.append("</td>")
    return "".join(out)


def _metric(m: MetricView, screen: bool) -> str:
    head = (
        f'<span class="m-icon" aria-hidden="true">{m.icon}</span><span class="m-label">{_e(m.label)}</span> '
        f'<b class="m-value">{_e(m.text)}</b>'
        + (f' <span class="m-target">target {_e(m.target_text)}</span>' if m.target_text else "")
        + (f' <span class="m-low">{"target in CI" if m.ci_includes_target else "low n"}</span>' if m.low_confidence else "")
        + (' <span class="m-whose" title="the data has none of this persona\'s own">everyone\'s</span>' if m.everyone else "")
        # role="img": the sparkline is an image named by its title, the trend in words (the SVG is hidden)
        + (f'<span class="m-spark" role="img" title="{_e(visible(m.trend_line or ""))}">{m.sparkline}</span>' if m.sparkline else "")
        + (f' <span class="m-ci">95% CI {_e(m.ci_text)}</span>' if m.ci_text else "")
    )
    low = " low" if m.low_confidence else ""
    if screen:
        body = (
            f'<details><summary>{head}<span class="visually-hidden">, {m.word}</span></summary>'
            f'<p class="m-detail" dir="auto">{m.detail}</p></details>'
        )
    else:
        n = f' <span class="m-n">n={m.n:,}</span>' if m.n is not None else ""
        body = f'<p class="metric-line">{head}{n}</p>'
    return f'<li class="metric st-{m.status}{low}">{body}</li>'


def text_direction(text: str) -> str:
    """``rtl`` when a text's first strong character (a letter, or a directional mark) is right to left (Arabic,
    Hebrew, ...), else ``ltr``: what ``dir="auto"`` decides for the text alone.

    >>> text_direction("123 שלום"), text_direction("«The app» شكرا"), text_direction("123")
    ('rtl', 'ltr', 'ltr')
    """
    import unicodedata

    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def _verbatims(v: VerbatimsView) -> str:
    """What customers wrote: the count, sentiment, distinctive phrases and a few quotes (all escaped)."""
    mood = f", sentiment {v.sentiment}" if v.sentiment else ""
    span = " over all periods" if v.over_periods else ""
    out = [f'<div class="voice"><p class="voice-head">{v.comments:,} comment{"s" * (v.comments != 1)}{span}{mood}</p>']
    if v.phrases:
        # <bdi>: a phrase ending in Arabic or Hebrew drew its count inside it ("late 3 جدا"), as a number
        # after a right-to-left word joins its run; the chip takes no direction from the phrase.
        phrases = "".join(f'<li><bdi>{_short(p, PHRASE_CHARACTERS)}</bdi> <span class="voice-n">{c:,}</span></li>'
                          for p, c in v.phrases)
        out.append(f'<ul class="voice-phrases" aria-label="Distinctive phrases">{phrases}</ul>')
    for q in v.quotes:
        score = f", {q.sentiment}" if q.sentiment else ""
        # <bdi>: a right-to-left override in a comment ends with the comment, not with the card. dir="auto" on the
        # quote skipped that <bdi> and took its direction from the kind, '(typical': an Arabic quote was laid out left
        # to right; it takes the comment's own, and the kind, isolated, reads left to right in either (the space
        # before it outside it: inside, it fell at the kind's far end in a right-to-left quote, '(typical)أخرى').
        out.append(
            f'<blockquote class="voice-quote" dir="{text_direction(q.text)}"><bdi>{_e(q.text)}</bdi>'
            f' <span class="voice-kind" dir="ltr">({_e(q.kind)}{score})</span></blockquote>'
        )
    out.append("</div>")
    return "".join(out)


def _data_problem(problem: Problem) -> str:
    """A data-file problem for the map's list: the file's name, the message and the hint as the
    terminal shows them (:func:`~journeymap.problems.visible`), so a bidi override in a value
    (``'pay\u202e'``) or in the file's name is shown, not obeyed by the rest of the line, and the
    hint that names it is there."""
    from ..problems import visible

    where = f"{visible(Path(problem.span.file).name)}{':' + str(problem.span.line) if problem.span.line else ''}"
    hint = f" ({visible(problem.hint)})" if problem.hint else ""
    return one_line(f"{where}: {visible(problem.message)}{hint}")


def _friction(f: FrictionView) -> str:
    pips = "".join('<i class="on"></i>' if i < f.severity else '<i class="off"></i>' for i in range(5))
    high = f'<span class="f-high">{ICONS["weak"]}high</span>' if f.high else ""
    note = f'<span class="f-note" dir="auto">{_long(f.note)}</span>' if f.note else ""
    evidence = f'<span class="f-evidence" dir="auto">Evidence: {_long(f.evidence)}</span>' if f.evidence else ""
    return (
        f'<li class="sev-{f.severity}{" high" if f.high else ""}"><span class="f-head"><span class="f-type">{_e(f.kind)}</span>'
        f'<span class="sev" role="img" aria-label="severity {f.severity} of 5">{pips}</span>'
        f'<span class="sev-num">{f.severity}/5</span>{high}</span>{note}{evidence}</li>'
    )


def lane_cell(tp: TouchpointView, lane: str, screen: bool) -> str:
    """One touchpoint's cell in a lane: action, thought, friction, metrics, opportunities, backstage."""
    body = ""
    if lane == "action":
        body = f'<p dir="auto">{_long(tp.action)}</p>' if tp.action else ""
    elif lane == "thought":
        body = f'<blockquote class="quote" dir="auto">{_long(tp.thought)}</blockquote>' if tp.thought else ""
    elif lane == "friction":
        body = f'<ul class="friction">{"".join(_friction(f) for f in tp.friction)}</ul>' if tp.friction else ""
    elif lane == "metrics":
        body = f'<ul class="metrics">{"".join(_metric(m, screen) for m in tp.metrics)}</ul>' if tp.metrics else ""
        if tp.persona_metrics:
            # The persona filter shows the chosen persona's own ratings (map.js.j2), on screen and on the printed
            # sheets (which took the persona's reach and stage figures beside everyone's chips).
            views = [f'<div class="metric-views"><div data-metrics-for="">{body}</div>']
            for persona, metrics in sorted(tp.persona_metrics.items()):
                items = "".join(_metric(m, screen) for m in metrics)
                views.append(f'<div data-metrics-for="{_e(persona)}" hidden><ul class="metrics">{items}</ul></div>')
            body = "".join(views) + "</div>"
        if tp.persona_verbatims:
            # The persona filter shows what the chosen persona's own customers wrote (map.js.j2).
            everyone = _verbatims(tp.verbatims) if tp.verbatims is not None else ""
            views = [f'<div class="voice-views"><div data-voice-for="">{everyone}</div>']
            for persona, said in sorted(tp.persona_verbatims.items()):
                inner = (
                    _verbatims(said)
                    if said is not None
                    else '<div class="voice"><p class="voice-head">No comments from this persona here</p></div>'
                )
                views.append(f'<div data-voice-for="{_e(persona)}" hidden>{inner}</div>')
            body += "".join(views) + "</div>"
        elif tp.verbatims is not None:
            body += _verbatims(tp.verbatims)
    elif lane == "opportunities":
        ideas = "".join(f'<li dir="auto">{ICONS["idea"]}<span>{_long(idea)}</span></li>' for idea in tp.opportunities)
        body = f'<ul class="ideas">{ideas}</ul>' if ideas else ""
    elif lane == "backstage":
        parts = []
        if tp.owner:
            parts.append(f'<p class="owner"><span class="k">Owner</span> <bdi>{_short(tp.owner)}</bdi></p>')
        if tp.systems:
            parts.append(f'<ul class="systems" aria-label="Systems">{_items(tp.systems)}</ul>')
        if tp.backstage:
            parts.append(f'<ul class="backstage">{_items(tp.backstage)}</ul>')
        body = "".join(parts)
    else:
        raise ValueError(f"unknown lane {lane!r}")
    weak = ' class="col-weak"' if tp.weak else ""
    return f'<td data-col="{_e(tp.id)}"{weak}>{body}</td>'


def weak_item(tp: TouchpointView, stage_name: str, stake: str = "") -> str:
    """One entry of the ranked "Weak touchpoints" panel, linking to the card (``stake``: its value at stake, in words)."""
    reach = f" · reach {_e(tp.reach)}" if tp.reach else ""
    ideas = ""
    if tp.opportunities:
        listed = "; ".join(f"<bdi>{_e(idea)}</bdi>" for idea in tp.opportunities)
        ideas = f'<p class="ideas-inline">{ICONS["idea"]}<span>Ideas: {listed}</span></p>'
    return (
        f'<li data-weak-item="{_e(tp.id)}"><span class="rank" aria-hidden="true">{tp.weak_rank}</span><div>'
        f'<h3><a href="#tp-{_e(tp.id)}" dir="auto">{_short(tp.name)}</a></h3>'
        f'<p class="where">{_short(stage_name)} · <bdi>{_short(tp.channel)}</bdi>{reach} · impact score {tp.impact}</p>'
        + (f'<p class="stake">{_e(stake)}</p>' if stake else "")
        + f'<ul class="reasons">{_items(tp.reasons)}</ul>{ideas}</div></li>'
    )


def _sheet(parts: list[SheetPart]) -> Sheet:
    """A sheet with everyone's emotion curve. A persona's curve is drawn by the page's script
    from the points embedded in the data (:func:`_curve_data`), when the persona is chosen."""
    return Sheet(parts, [_curve("", [t for part in parts for t in part.touchpoints])])


def _curve_data(touchpoints: list[TouchpointView]) -> dict[str, Any]:
    """What the script needs to draw any persona's curve: each emotion's height, tone and title."""
    curve = _curve("", touchpoints)
    emotional = [t for t in touchpoints if t.emotion is not None]
    points = {
        t.id: [p.y, p.label_y, p.emotion, p.tone, 1 if p.weak else 0, p.title]
        for t, p in zip(emotional, curve.points, strict=True)
    }
    levels = [[level, y] for level, y, _ in _curve_levels()]
    return {"height": CURVE_HEIGHT, "levels": levels, "points": points}


def _print_sheets(stages: list[StageView]) -> list[Sheet]:
    """Whole stages per sheet, at most :data:`PRINT_COLUMNS` touchpoints; a longer stage is split."""
    sheets: list[Sheet] = []
    current: list[SheetPart] = []
    used = 0

    def flush() -> None:
        nonlocal current, used
        if current:
            sheets.append(_sheet(current))
        current, used = [], 0

    for number, stage in enumerate(stages, 1):
        remaining = list(stage.touchpoints)
        if used and used + len(remaining) > PRINT_COLUMNS:
            flush()
        continued = False
        while remaining:
            take, remaining = remaining[: PRINT_COLUMNS - used], remaining[PRINT_COLUMNS - used :]
            current.append(SheetPart(stage, number, take, continued))
            used += len(take)
            continued = True
            if used >= PRINT_COLUMNS:
                flush()
    flush()
    return sheets


def _curve_levels() -> list[tuple[int, float, str]]:
    span = CURVE_HEIGHT - 2 * _CURVE_PAD
    words = {2: "+2", 1: "+1", 0: "0", -1: "−1", -2: "−2"}
    return [(level, round(_CURVE_PAD + (2 - level) / 4 * span, 1), words[level]) for level in (2, 1, 0, -1, -2)]


@lru_cache(maxsize=1)
def _script() -> tuple[str, str]:
    """The page's script and its CSP hash (so that no other script could ever run)."""
    text = environment().get_template("map.js.j2").render()
    if re.search(r"</script", text, re.IGNORECASE):
        raise ValueError("map.js.j2 must not contain '</script'")
    digest = base64.b64encode(hashlib.sha256(utf8(text)).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


def embeddable_svg(svg: str) -> str | None:
    """Graphviz SVG for inlining into the page, rebuilt from its parsed elements (see
    :func:`journeymap.render.svg.clean_svg`); None when it cannot be read as SVG."""
    from .svg import clean_svg

    return clean_svg(svg, root_attributes='class="flow-svg" role="img" aria-labelledby="flow-title"').svg


def map_context(
    analysis: Analysis,
    *,
    diagram_svg: str | None = None,
    persona_analyses: Mapping[str, Analysis] | None = None,
    diagram_note: str | None = None,
    omitted: Sequence[str] = (),
) -> dict[str, Any]:
    """Everything the template shows, computed and sorted here (the template only lays it out).

    ``diagram_note`` says what the flow diagram shows when it is not the full
    diagram; ``omitted`` lists the parts left out of the map and why (each
    shown in a notice at the top of the page).
    """
    from .. import __version__
    from ..analysis import NO_OWN_VALUES_NOTE
    from .dot import shown_touchpoints
    from .observed import planned_vs_actual

    journey = analysis.journey
    touchpoints = shown_touchpoints(analysis)
    shown = {t.id for t in touchpoints}
    # With a value model the list is ranked by value at stake (journeymap.value); else by impact.
    weak_ids = [tid for tid in (analysis.fix_first or analysis.weak) if tid in shown]
    weak_rank = {tid: i + 1 for i, tid in enumerate(weak_ids)}
    stage_results = {s.id: s for s in analysis.stages}

    views = [_touchpoint_view(analysis, t, i, weak_rank, shown) for i, t in enumerate(touchpoints)]
    by_id = {v.id: v for v in views}
    stages: list[StageView] = []
    for stage in journey.stages:
        members = [v for v in views if v.stage == stage.id]
        if not members:
            continue
        result = stage_results.get(stage.id)
        stages.append(
            StageView(
                id=stage.id,
                name=shorten(stage.name, TITLE_CHARACTERS) or stage.id,
                goal=_text(stage.goal),
                description=_text(stage.description),
                reach=percent(result.reach) if result is not None else None,
                drop_off=percent(result.drop_off) if result is not None else None,
                touchpoints=members,
            )
        )
    ordered = [v for s in stages for v in s.touchpoints]
    stage_names = {s.id: s.name for s in stages}

    # Personas: who meets what, each one's curve, and (when analysed) their KPIs.
    persona_ids = [p.id for p in journey.personas]
    single = analysis.persona
    persona_views = []
    data: dict[str, Any] = {"all": {"touchpoints": [v.id for v in ordered]}, "personas": {}}
    if single is not None:  # the page's figures are this persona's
        data["all"]["name"] = one_line(journey.persona_by_id[single].name) if single in journey.persona_by_id else single
    meets: dict[str, set[str]] = {}  # persona -> the touchpoints it meets
    observed_personas: list[PersonaObserved] = []  # each persona's own planned vs actual, for the filter
    if single is None:
        for persona in journey.personas:
            met = {t.id for t in journey.touchpoints_for(persona.id)}
            meets[persona.id] = met
            entry: dict[str, Any] = {
                "touchpoints": [v.id for v in ordered if v.id in met],
                "name": shorten(persona.name) or persona.id,
            }
            other = (persona_analyses or {}).get(persona.id)
            if other is not None:
                entry["kpis"] = _kpi_texts(other)
                # The figures on the cards and stage headers, as this persona's customers see them.
                entry["reach"] = {
                    v.id: percent(r.reach) for v in ordered if v.id in met and (r := other.touchpoints.get(v.id)) is not None
                }
                entry["stages"] = {s.id: [percent(s.reach), percent(s.drop_off)] for s in other.stages}
                entry["weak"] = [v.id for v in ordered if v.id in met and v.id in other.weak]
                # The persona's own reasons where they differ from everyone's (shown as text by the script).
                entry["reasons"] = {
                    v.id: [reason_shown(r) for r in mine.reasons]
                    for v in ordered
                    if v.id in met
                    and (mine := other.touchpoints.get(v.id)) is not None
                    and mine.weak
                    and (everyone := analysis.touchpoints.get(v.id)) is not None
                    and mine.reasons != everyone.reasons
                }
                _persona_metrics(persona.id, other, analysis, ordered)
                if (line := no_own_values_line(other, persona.id)) is not None:
                    entry["note"] = line
                if other.events is not None and other.events.persona == persona.id:
                    # the persona's own customers in the log (render reads it once more per persona)
                    mine_observed = planned_vs_actual(other, shown & met)
                    if mine_observed is not None:
                        entry["observed"] = list(_observed_tile(mine_observed))
                        observed_personas.append(PersonaObserved(persona.id, entry["name"], mine_observed))
            data["personas"][persona.id] = entry
    numbered = [SheetPart(stage, i, stage.touchpoints, False) for i, stage in enumerate(stages, 1)]
    screen_sheet = _sheet(numbered)
    print_sheets = _print_sheets(stages) if len(ordered) <= PRINT_SHEETS_UP_TO else []
    if meets:
        data["curve"] = _curve_data(ordered)
    data["all"]["kpis"] = _kpi_texts(analysis)
    observed = planned_vs_actual(analysis, shown)
    if observed is not None:
        data["all"]["observed"] = list(_observed_tile(observed))
    for persona in journey.personas:
        if single is not None and persona.id != single:
            continue
        persona_views.append(
            PersonaView(
                id=persona.id,
                name=shorten(persona.name) or persona.id,
                share=percent(persona.share) if persona.share is not None else None,
                description=_text(persona.description),
                goals=[g for g in (_text(x) for x in persona.goals) if g],
                pains=[p for p in (_text(x) for x in persona.pains) if p],
                count=sum(1 for t in journey.touchpoints_for(persona.id) if t.id in shown),
            )
        )

    lanes = {
        "action": any(v.action for v in ordered),
        "thought": any(v.thought for v in ordered),
        "emotion": any(v.emotion is not None for v in ordered),
        "friction": any(v.friction for v in ordered),
        "metrics": any(v.metrics or v.verbatims for v in ordered),
        "opportunities": any(v.opportunities for v in ordered),
        "backstage": any(v.owner or v.systems or v.backstage for v in ordered),
    }
    entries = [
        (by_id[tid].short_name, tid, percent(weight))
        for tid, weight in sorted(analysis.entries.items(), key=lambda kv: by_id[kv[0]].index if kv[0] in by_id else 0)
        if tid in by_id
    ]
    persona_name = one_line(journey.persona_by_id[single].name) if single in journey.persona_by_id else None
    source = journey.source.name if journey.source is not None else None
    script, script_hash = _script()
    embedded = embeddable_svg(diagram_svg) if diagram_svg else None
    notices = [one_line(text) for text in omitted]
    # A stage drafted ahead of its touchpoints has no column; the page says so (not a persona's view).
    staged = {t.stage for t in journey.touchpoints}
    notices += [
        one_line(f"stage '{shorten(s.name) or s.id}' ({s.id}): it has no touchpoints (add one with stage: {s.id})")
        for s in journey.stages
        if s.id not in staged
    ]
    if diagram_svg and embedded is None:
        notices.append("the flow diagram: Graphviz's drawing could not be read as SVG")
    stakes = _stake_texts(analysis)
    return {
        "journey": {
            "id": journey.id,
            "title": shorten(journey.title, TITLE_CHARACTERS) or journey.id,
            "description": _text(journey.description),
            "owner": _text(journey.owner),
            "version": _text(journey.version),
            "tags": [t for t in (_text(x) for x in journey.tags) if t],
        },
        "source": source,
        "version": __version__,
        "persona": persona_name,
        "persona_id": single,
        "persona_note": no_own_values_line(analysis, single) if single is not None else None,
        "personas": persona_views,
        "persona_ids": persona_ids,
        "stages": stages,
        "stage_names": stage_names,
        "touchpoints": ordered,
        "count": len(ordered),
        "weak": [by_id[tid] for tid in weak_ids if tid in by_id],
        "weak_items": Markup(
            "\n".join(
                weak_item(by_id[tid], stage_names.get(by_id[tid].stage, ""), stakes.get(tid, ""))
                for tid in weak_ids
                if tid in by_id
            )
        ),
        "weak_order": (
            "most impact first"
            if analysis.value is None
            else "most value at stake first"
            if analysis.value.per_period is not None
            else "most value at stake per customer first"
        ),
        "opportunities_panel": Markup(_opportunities_panel(analysis)),
        "strip_size": STRIP_SIZE,
        "lanes": lanes,
        "screen_sheet": screen_sheet,
        "print_sheets": print_sheets,
        "curve_height": CURVE_HEIGHT,
        "curve_levels": _curve_levels(),
        "kpis": _kpi_texts(analysis),
        "entries": entries,
        "entry_note": _entry_note(analysis, entries),
        "outcomes": _outcomes_text(analysis),
        # Why the figures are what they are (no success outcome, a loop nobody leaves, a persona who
        # meets nothing), as the report says; the no-own-values note is the header's persona line.
        # (a note naming thousands of touchpoints opens to them all, as a long text does)
        "model_notes": [Markup(_long(real_minus(one_line(n)))) for n in analysis.notes if n != NO_OWN_VALUES_NOTE],
        "journey_count": len(journey.touchpoints),
        "diagram": embedded,
        "diagram_note": one_line(diagram_note) if diagram_note else None,
        "omitted": notices,
        "observed": observed,
        "observed_tile": _observed_tile(observed) if observed is not None else None,
        "observed_personas": observed_personas,
        "data_problems": [_data_problem(p) for p in analysis.data_problems],
        "data_json": json_for_script(data),
        "script": script,
        "script_hash": script_hash,
    }


def _stake_texts(analysis: Analysis) -> dict[str, str]:
    """A weak touchpoint's value at stake in words, for the ranked list (empty without a value model)."""
    from ..value import PERIOD_WORD, money

    value = analysis.value
    if value is None:
        return {}
    out = {}
    for tid in analysis.fix_first:
        stake = analysis.touchpoints[tid].value_at_stake
        if stake is None:
            continue
        amount = stake.value_per_period if stake.value_per_period is not None else stake.value_per_customer
        word = PERIOD_WORD[value.period] if stake.value_per_period is not None else "per customer"
        goal = "its drop-off target" if stake.basis == "drop_off_target" else "nobody leaving there"
        if stake.drop_off_after >= stake.drop_off_before:
            out[tid] = (
                f"At stake: nothing in the flows: its drop-off {percent(stake.drop_off_before)} already meets its target"
                if stake.basis == "drop_off_target"
                else f"At stake: nothing in the flows: nobody leaves at {tid}"
            )
            continue
        out[tid] = (
            f"At stake: {money(amount or 0.0, value.currency, sign=True)} {word}"
            f" ({(stake.conversion_after - stake.conversion_before) * 100:+.1f} pts conversion)"
            f" with drop-off {percent(stake.drop_off_before)} → {percent(stake.drop_off_after)}, {goal}"
        )
    return out


def _opportunities_panel(analysis: Analysis) -> str:
    """The opportunities panel (value/effort matrix and ranking) for the whole journey's map."""
    journey = analysis.journey
    if not journey.opportunities or analysis.persona is not None:
        return ""
    from ..opportunities import assess_opportunities
    from .opportunities import opportunities_panel

    value = analysis.value
    return opportunities_panel(
        assess_opportunities(journey, analysis),
        value.currency if value is not None else None,
        value.period if value is not None else None,
    )
def own_metrics(analysis: Analysis, persona: str) -> frozenset[str]:
    """The metrics ``persona`` has values of its own of in ``analysis`` (its view)."""
    return frozenset(m.name for result in analysis.touchpoints.values() for m in result.metrics.values() if m.persona == persona)


def no_own_values_line(analysis: Analysis, persona: str) -> str | None:
    """The map's line for a persona's view whose data-file values are all everyone's (its chips are not
    marked one by one), or None."""
    from ..analysis import NO_OWN_VALUES_NOTE

    if NO_OWN_VALUES_NOTE not in analysis.notes:  # analyze's no_own_values, or only other personas' values
        return None
    found = analysis.journey.persona_by_id.get(persona)
    name = (shorten(found.name) if found is not None else None) or persona
    return f"The data has none of {name}'s own values: every metric shown is everyone's."


def _persona_metrics(persona: str, other: Analysis, analysis: Analysis, ordered: list[TouchpointView]) -> None:
    """Give each card the persona's own metric views and verbatims where they differ from everyone's."""
    journey = analysis.journey
    # The metrics the persona has values of its own of: where it has none of one of them, its chip says
    # the value is everyone's (a CSAT of everyone's beside the persona's own CSAT elsewhere read as its own).
    own = own_metrics(other, persona)
    for view in ordered:
        mine, everyone = other.touchpoints.get(view.id), analysis.touchpoints.get(view.id)
        if mine is None or everyone is None:
            continue
        if mine.verbatims != everyone.verbatims:
            from .voice import over_periods

            view.persona_verbatims[persona] = _said(mine.verbatims, over_periods(other, view.id))
        if mine.metrics == everyone.metrics and own.isdisjoint(mine.metrics):
            continue
        touchpoint = journey.touchpoint_by_id[view.id]
        view.persona_metrics[persona] = [_metric_view(mine.metrics[name], touchpoint, persona, own) for name in sorted(mine.metrics)]


def _entry_note(analysis: Analysis, entries: list[tuple[str, str, str]]) -> str:
    if not entries:
        return "none"
    if len(entries) == 1:
        return entries[0][0]
    how = {"volume": "weighted by volume", "equal": "weighted equally"}.get(analysis.entry_weighting, "")
    return how


def _outcomes_text(analysis: Analysis) -> str:
    return " · ".join(f"{OUTCOME_WORDS.get(k, k)} {percent(v)}" for k, v in analysis.outcomes.items() if v > 0 or k == "success")


@dataclass(frozen=True)
class PersonaObserved:
    """One persona's own "Planned vs actual" panel (its customers in the event log), shown by the filter."""

    id: str
    name: str
    observed: PlannedVsActual


def _observed_tile(observed: PlannedVsActual) -> tuple[str, str]:
    """The observed KPI tile's figure and note; the persona filter swaps in a persona's (map.js.j2)."""
    n = observed.customers  # rounded as the Conversion tile beside it (71%, not 'modelled 70.9%')
    return (
        percent(observed.observed_value),
        f"conversion in the event log ({n:,} customer{'' if n == 1 else 's'}) · modelled {percent(observed.modelled_value)}",
    )


def _kpi_texts(analysis: Analysis) -> dict[str, str]:
    """The header's figures; the persona filter swaps in a persona's (see map.js.j2)."""
    names = analysis.journey.touchpoint_by_id
    entries = [(shorten(names[tid].name) if tid in names else tid, tid, percent(w)) for tid, w in analysis.entries.items()]
    return {
        "conversion": percent(analysis.conversion),
        "expected": f"{analysis.expected_touchpoints:.1f}",
        "weak": str(len(analysis.weak)),
        "entries": str(len(analysis.entries)),
        "entries_label": "Entry" if len(analysis.entries) == 1 else "Entries",
        "entry_note": _entry_note(analysis, entries),
        "outcomes": _outcomes_text(analysis),
        **_value_kpi(analysis),
    }


def _value_kpi(analysis: Analysis) -> dict[str, str]:
    """The value figure of the header (journeymap.value): per period, else per customer; none without a model."""
    from ..value import PERIOD_WORD, money, money_short

    value = analysis.value
    if value is None:
        return {"value": "", "value_note": ""}
    if value.per_period is not None:
        return {"value": money_short(value.per_period, value.currency), "value_note": f"{PERIOD_WORD[value.period]} · {money(value.per_customer, value.currency)} per customer"}
    return {"value": money(value.per_customer, value.currency), "value_note": "per customer entering"}


def render_html(
    analysis: Analysis,
    *,
    diagram_svg: str | None = None,
    persona_analyses: Mapping[str, Analysis] | None = None,
    diagram_note: str | None = None,
    omitted: Sequence[str] = (),
) -> str:
    """The journey map as one self-contained HTML page (inline CSS, JS and SVG; no requests).

    ``diagram_svg`` is the flow diagram laid out by Graphviz (see
    :func:`journeymap.render.output.diagram_svg`), embedded when given.
    ``persona_analyses`` (persona id -> its analysis) lets the persona filter
    show each persona's conversion and expected touchpoints too.
    ``diagram_note`` and ``omitted``: see :func:`map_context`; a part left out
    is named at the top of the page, never silently missing.

    >>> html = render_html(journeymap.analyze(journeymap.load("j.journey.yaml")))  # doctest: +SKIP
    """
    from markupsafe import Markup

    context = map_context(
        analysis, diagram_svg=diagram_svg, persona_analyses=persona_analyses, diagram_note=diagram_note, omitted=omitted
    )
    # Both are produced here, not from user text: the JSON is escaped for a
    # script element and the SVG came through Graphviz from escaped DOT.
    context["data_json"] = Markup(context["data_json"])
    context["script"] = Markup(context["script"])
    if context["diagram"] is not None:
        context["diagram"] = Markup(context["diagram"])
    return environment().get_template("map.html.j2").render(context)
