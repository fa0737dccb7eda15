"""The journey model: pydantic classes for the journey file format v1.

Every class and field here is a key of the format (``docs/FORMAT.md``);
the attribute docstrings become the descriptions an editor shows from the JSON
Schema (``journeymap schema`` reads them from this file's source; pydantic's
``use_attribute_docstrings`` would do the same at import time, which costs
every command a quarter of its start-up). Keys beginning with ``x-`` are dropped by the
YAML reader before validation, so the models forbid every other unknown key.

The loader (:mod:`journeymap.loader`) checks what a schema cannot: references
between ids, uniqueness, share sums, metric values on their scales. After a
successful load every metric value is a float on its metric's scale (durations
in seconds, percentages as fractions).
"""

# No `from __future__ import annotations` here: pydantic would have to eval every
# annotation string at import, which costs start-up time on every command.

from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    WithJsonSchema,
)

from ._coerce import duration as _duration
from ._coerce import number_to_text as _number_to_text
from ._coerce import short_flow as _short_flow
from ._coerce import short_metric as _short_metric
from .problems import Span

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


# Whole numbers are accepted where text is (`name: 2024`), so the JSON Schema says so too.
Text = Annotated[
    str,
    Field(strict=True),
    BeforeValidator(_number_to_text),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
]
Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, strict=True),
    BeforeValidator(_number_to_text),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": SLUG_PATTERN}, {"type": "integer", "minimum": 0}]}),
]
Flag = Annotated[bool, Field(strict=True)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
#: A metric value as written: a number, or a string such as ``82%`` or ``1h30m``.
#: After loading it is always a float (see :mod:`journeymap.metrics`).
MetricNumber = Annotated[float | str, Field(union_mode="left_to_right")]

FrictionType = Literal["effort", "wait", "error", "confusion", "handoff", "trust", "accessibility", "other"]
ChannelKind = Literal["digital", "human", "physical", "partner"]
Outcome = Literal["success", "failure"]
Better = Literal["higher", "lower"]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        validate_default=False,
        defer_build=True,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )


class Persona(_Model):
    """A kind of customer who takes the journey."""

    id: Slug
    """Unique persona id (a slug: lowercase letters, digits, hyphens)."""
    name: Text
    """Display name, e.g. "Busy parent"."""
    description: Text | None = None
    """Who this persona is."""
    goals: list[Text] = []
    """What this persona wants from the journey."""
    pains: list[Text] = []
    """What this persona struggles with."""
    share: Annotated[Number, Field(ge=0, le=1)] | None = None
    """Share of customers this persona represents, 0..1. Shares add up to at most 1."""
    override: Flag = False
    """Replace an imported persona with the same id (otherwise a clash is an error)."""


class Channel(_Model):
    """A medium through which the customer meets the organisation."""

    id: Slug
    """Unique channel id."""
    name: Text
    """Display name, e.g. "Mobile app"."""
    kind: ChannelKind = "digital"
    """digital | human | physical | partner."""
    description: Text | None = None
    """What this channel is (journeymap extension)."""
    override: Flag = False
    """Replace an imported channel with the same id (otherwise a clash is an error)."""


class Stage(_Model):
    """A column of the journey map; stages are ordered left to right."""

    id: Slug
    """Unique stage id."""
    name: Text
    """Display name, e.g. "Discover"."""
    goal: Text | None = None
    """What the customer wants to achieve in this stage."""
    description: Text | None = None
    """Longer description (journeymap extension)."""
    targets: dict[str, MetricNumber] = {}
    """Per-stage metric targets, overriding journey-wide ones, e.g. {csat: 0.85}."""


class Friction(_Model):
    """A pain point at a touchpoint."""

    type: FrictionType
    """effort | wait | error | confusion | handoff | trust | accessibility | other."""
    severity: Annotated[int, Field(ge=1, le=5, strict=True)]
    """1 (minor) .. 5 (blocking)."""
    note: Text | None = None
    """What the friction is."""
    evidence: Text | None = None
    """Where we know it from (research, tickets, analytics)."""


#: A duration: ``45s``, ``4m``, ``1h30m``, ``3d`` or a number of seconds; seconds after loading.
Duration = Annotated[
    float,
    Field(strict=True, ge=0, allow_inf_nan=False),
    BeforeValidator(_duration),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}]}),
]


class FlowTime(_Model):
    """How long customers take on a flow, from leaving one touchpoint to reaching the next (journeymap extension)."""

    median: Duration | None = None
    """Median time, e.g. 4m (durations like 45s, 2m, 1h30m, 3d, or seconds)."""
    p90: Duration | None = None
    """90th percentile: nine in ten customers take at most this long."""
    n: Annotated[int, Field(ge=0, strict=True)] | None = None
    """Number of customers the times were measured on."""


class Flow(_Model):
    """Where customers go next from a touchpoint."""

    to: Slug
    """Id of the next touchpoint."""
    share: Annotated[Number, Field(ge=0, le=1)] | None = None
    """Fraction of customers taking this path, 0..1."""
    label: Text | None = None
    """Why customers take this path."""
    time: FlowTime | None = None
    """How long customers take to get there: {median, p90, n}, e.g. written by `journeymap calibrate` (journeymap extension)."""
    journey: Slug | None = None
    """Id of another journey this flow leads into; ``to`` is then a touchpoint of that journey
    (journeymap extension). For the analysis it leaves this journey."""

    def leads_out(self, journey_id: str) -> bool:
        """Whether the flow leads into another journey than ``journey_id``."""
        return self.journey is not None and self.journey != journey_id


FlowEntry = Annotated[Flow, BeforeValidator(_short_flow, json_schema_input_type=Slug | Flow)]


class MetricValue(_Model):
    """A measured metric at a touchpoint."""

    value: MetricNumber
    """The value on the metric's scale (csat 0..1 or "82%", nps -100..100, response_time "90s", ...)."""
    n: Annotated[int, Field(ge=0, strict=True)] | None = None
    """Number of responses behind the value; below weak.min_n it is low confidence."""
    target: MetricNumber | None = None
    """Target at this touchpoint; overrides stage and journey targets."""
    period: Text | None = None
    """When it was measured, e.g. 2026-Q3."""
    source: Text | None = None
    """Where it comes from, e.g. Qualtrics."""


MetricEntry = Annotated[
    MetricValue, BeforeValidator(_short_metric, json_schema_input_type=float | str | MetricValue)
]


class Touchpoint(_Model):
    """A moment where the customer meets the organisation."""

    id: Slug
    """Unique touchpoint id."""
    name: Text
    """Display name, e.g. "Create account"."""
    stage: Slug
    """Id of the stage this touchpoint belongs to."""
    channel: Slug
    """Id of the channel it happens in."""
    personas: list[Slug] | None = None
    """Persona ids that meet this touchpoint; absent means every persona."""
    description: Text | None = None
    """What happens here."""
    action: Text | None = None
    """What the customer does."""
    thought: Text | None = None
    """A quote or thought of the customer."""
    emotion: Annotated[Number, Field(ge=-2, le=2)] | None = None
    """-2 (very negative) .. +2 (very positive); decimals allowed."""
    owner: Text | None = None
    """The team accountable (service blueprint)."""
    systems: list[Text] = []
    """Backstage systems involved."""
    backstage: list[Text] = []
    """Backstage actions."""
    opportunities: list[Text] = []
    """Improvement ideas."""
    entry: Flag = False
    """A journey may start here. Without any, touchpoints nobody points to are the entries."""
    outcome: Outcome | None = None
    """success | failure: marks a terminal touchpoint (which has no next)."""
    next: list[FlowEntry] = []
    """Where customers go next: touchpoint ids, or {to, share, label, time, journey}."""
    friction: list[Friction] = []
    """Pain points at this touchpoint."""
    metrics: dict[str, MetricEntry] = {}
    """Metric name -> value, or -> {value, n, target, period, source}."""
    cost: Annotated[Number, Field(ge=0)] | None = None
    """Cost of one visit, in the currency of the journey's value model (every visit costs, loops included)."""
    revenue: Annotated[Number, Field(ge=0)] | None = None
    """Value earned at each visit (a renewal's margin, a paid upgrade), in the journey's currency."""


class MetricDef(_Model):
    """A metric definition: a target for a built-in metric, or a custom metric."""

    label: Text | None = None
    """Display name, e.g. "First-contact resolution"."""
    scale: Annotated[list[Number], Field(min_length=2, max_length=2)] | None = None
    """[low, high]: the range values must lie in (custom metrics)."""
    better: Better | None = None
    """higher | lower: which way is better (custom metrics)."""
    target: MetricNumber | None = None
    """Journey-wide target."""
    unit: Text | None = None
    """Unit shown after values, e.g. "min" (journeymap extension)."""
    override: Flag = False
    """Replace an imported metric definition with the same name."""


class WeakConfig(_Model):
    """Thresholds for weak-touchpoint detection."""

    min_n: Annotated[int, Field(ge=0, strict=True)] = 30
    """Metrics backed by fewer responses are low confidence and cannot alone make a touchpoint weak."""
    friction_severity: Annotated[int, Field(ge=1, le=5, strict=True)] = 4
    """Friction at or above this severity makes a touchpoint weak."""
    emotion: Annotated[Number, Field(ge=-2, le=2)] = -1
    """Emotion at or below this makes a touchpoint weak."""
    worsening: Flag = False
    """A metric whose trend over its periods is a significant change for the worse makes a touchpoint weak."""


CURRENCY_PATTERN = r"^[A-Z]{3}$"
Currency = Annotated[
    str,
    StringConstraints(pattern=CURRENCY_PATTERN, strict=True),
    WithJsonSchema({"type": "string", "pattern": CURRENCY_PATTERN}),
]
Period = Literal["week", "month", "quarter", "year"]
Effort = Literal["XS", "S", "M", "L", "XL"]
OpportunityStatus = Literal["idea", "planned", "in-progress", "done", "dropped"]


class ValueModel(_Model):
    """What customers are worth: volume per period, a value per outcome, a currency."""

    currency: Currency
    """ISO 4217 currency code of every amount in the journey, e.g. EUR, GBP, USD."""
    volume: Annotated[Number, Field(ge=0)] | None = None
    """Customers entering the journey per period; absent: the sum of the entries' `volume` metrics."""
    period: Period = "month"
    """week | month | quarter | year: the period of `volume` and of the figures per period."""
    outcomes: dict[str, Number] = {}
    """Value of one customer ending at an outcome: keys are `success`, `failure` or an outcome touchpoint id (which wins)."""
    leave: Number = 0
    """Value of one customer who leaves the journey without an outcome (default 0)."""


class Change(_Model):
    """One what-if change: a drop-off, a flow's share, a metric, a touchpoint removed or added."""

    touchpoint: Slug | None = None
    """The touchpoint changed (with drop_off, metric, meets_targets or remove)."""
    drop_off: Annotated[Number, Field(ge=0, le=1)] | None = None
    """The touchpoint's new leave share; its flows keep their proportions."""
    from_: Annotated[Slug | None, Field(alias="from")] = None
    """With to and share: the flow whose share changes; with add: the touchpoint the new one is reached from."""
    to: Slug | None = None
    """With from and share: the flow whose share changes."""
    share: Annotated[Number, Field(ge=0, le=1)] | None = None
    """The flow's new share; the leave share of its touchpoint absorbs the difference."""
    metric: Text | None = None
    """With touchpoint and value: a metric of the touchpoint."""
    value: MetricNumber | None = None
    """The metric's new value, or `target` for its target."""
    meets_targets: Flag = False
    """The touchpoint meets every target: missed metrics at target, its drop-off at its drop_off target."""
    remove: Flag = False
    """The touchpoint is removed: customers who reached it go on along its flows, in proportion."""
    add: Slug | None = None
    """Id of a new touchpoint reached from `from` with `share` (taken from from's leave share)."""
    name: Text | None = None
    """With add: the new touchpoint's name."""
    next: list[FlowEntry] = []
    """With add: where customers go from the new touchpoint."""
    cost: Annotated[Number, Field(ge=0)] | None = None
    """With add: the new touchpoint's cost per visit."""


class Scenario(_Model):
    """A named what-if: changes to the journey whose effect `journeymap whatif` computes."""

    id: Slug
    """Unique scenario id."""
    name: Text
    """Display name, e.g. "ID photo accepted first time"."""
    description: Text | None = None
    """What the scenario assumes."""
    changes: Annotated[list[Change], Field(min_length=1)]
    """The changes, applied in order."""


class Opportunity(_Model):
    """An improvement idea as a first-class item: what it changes, what it costs, where it is tracked."""

    id: Slug
    """Unique opportunity id."""
    name: Text
    """Display name."""
    description: Text | None = None
    """What the idea is."""
    touchpoints: list[Slug] = []
    """Ids of the touchpoints it improves."""
    scenario: Slug | None = None
    """Id of the scenario that models its effect."""
    changes: list[Change] = []
    """Its effect as inline changes (instead of a scenario)."""
    effort: Effort | Annotated[Number, Field(gt=0)] | None = None
    """XS | S | M | L | XL, or person-days (a number from 0.01 to 1,000,000)."""
    status: OpportunityStatus = "idea"
    """idea | planned | in-progress | done | dropped."""
    owner: Text | None = None
    """Who would do it."""
    link: Text | None = None
    """An issue tracker URL (http or https)."""


class Library(_Model):
    """An imported file: personas, channels and metrics shared by journeys."""

    journeymap: Literal[1]
    """Format version; only 1 exists."""
    imports: list[Text] = []
    """Further library files to merge in (journeymap extension)."""
    personas: list[Persona] = []
    """Personas shared by the journeys that import this file."""
    channels: list[Channel] = []
    """Channels shared by the journeys that import this file."""
    metrics: dict[str, MetricDef] = {}
    """Metric definitions and targets shared by the journeys that import this file."""


class Journey(_Model):
    """One customer journey: personas, channels, stages and touchpoints with flows."""

    journeymap: Literal[1]
    """Format version; required; only 1 exists."""
    id: Slug
    """Journey id, unique within a repository of journeys."""
    title: Text
    """Display title."""
    description: Text | None = None
    """What the journey covers."""
    owner: Text | None = None
    """Who owns the journey (free text)."""
    version: Text | None = None
    """Version of the journey shown on the map (journeymap extension)."""
    tags: list[Text] = []
    """Free tags."""
    imports: list[Text] = []
    """Library files whose personas, channels and metrics are merged in; relative to this file."""
    personas: list[Persona] = []
    """The kinds of customer; may be empty only if every persona comes from imports."""
    channels: list[Channel] = []
    """The channels touchpoints happen in."""
    stages: list[Stage] = []
    """The stages, ordered left to right."""
    touchpoints: list[Touchpoint] = []
    """The touchpoints, with flows between them."""
    metrics: dict[str, MetricDef] = {}
    """Metric definitions and journey-wide targets."""
    weak: WeakConfig = WeakConfig()
    """Thresholds for weak-touchpoint detection."""
    value: ValueModel | None = None
    """The value model: currency, volume per period, value per outcome."""
    scenarios: list[Scenario] = []
    """Named what-if scenarios."""
    opportunities: list[Opportunity] = []
    """Improvement ideas with effect, effort, status and link."""

    _source: Path | None = PrivateAttr(default=None)
    _spans: dict[tuple[str, ...], Span] = PrivateAttr(default_factory=dict)
    _currencies: dict[tuple[str, str], str] = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> Path | None:
        """The file the journey was loaded from, if any."""
        return self._source

    def span(self, *path: str) -> Span | None:
        """Where an element was defined, e.g. ``span("touchpoints", "create-account")``.

        Paths: ``("personas"|"channels"|"stages"|"touchpoints", id)``,
        ``("touchpoints", id, "metrics", name)``, ``("touchpoints", id, "next", to)``,
        ``("touchpoints", id, "friction", index)`` (index as a string),
        ``("metrics", name)``, ``("journey",)``.
        """
        return self._spans.get(tuple(path))

    def written_currency(self, touchpoint: str, metric: str) -> str | None:
        """The currency a touchpoint's amount is written in in the file (``clv: 1300 EUR``: ``EUR``), if
        any: the loaded value is the number alone."""
        return self._currencies.get((touchpoint, metric))

    def local_flows(self, touchpoint: Touchpoint) -> list[Flow]:
        """The touchpoint's flows that stay in this journey (not into another journey)."""
        return [f for f in touchpoint.next if not f.leads_out(self.id)]

    def entry_ids(self) -> list[str]:
        """Where the journey starts, in file order: touchpoints marked ``entry: true``, else those
        no other touchpoint's flow points to."""
        marked = [t.id for t in self.touchpoints if t.entry]
        if marked:
            return marked
        pointed_to = {f.to for t in self.touchpoints for f in self.local_flows(t) if f.to != t.id}
        return [t.id for t in self.touchpoints if t.id not in pointed_to]

    @cached_property
    def touchpoint_by_id(self) -> dict[str, Touchpoint]:
        return {t.id: t for t in self.touchpoints}

    @cached_property
    def stage_by_id(self) -> dict[str, Stage]:
        return {s.id: s for s in self.stages}

    @cached_property
    def channel_by_id(self) -> dict[str, Channel]:
        return {c.id: c for c in self.channels}

    @cached_property
    def persona_by_id(self) -> dict[str, Persona]:
        return {p.id: p for p in self.personas}

    def touchpoints_for(self, persona: str | None) -> list[Touchpoint]:
        """Touchpoints a persona meets (all of them when ``persona`` is None)."""
        if persona is None:
            return list(self.touchpoints)
        return [t for t in self.touchpoints if t.personas is None or persona in t.personas]
