"""Semantic diff of two versions of a journey, keyed by ids.

Like dbt's ``state:modified`` selection, old and new are matched by id and
compared through named aspects: an element is ``added``, ``removed``,
``renamed`` (same id, new name), ``moved`` (a touchpoint in another stage or
channel) or ``modified``; every difference is a :class:`Detail` (a field, a
flow, a metric value or target, a friction). With the two analyses, the diff
also says what the change *means*: touchpoints that became weak or stopped
being weak, the change in conversion and each stage's reach
(:class:`Consequences`).

This module returns data only; :mod:`journeymap.render.diff_text` turns it
into text, Markdown or JSON.

>>> changes = diff(load("old.journey.yaml"), load("new.journey.yaml"))  # doctest: +SKIP
>>> [(c.kind, c.id, c.change) for c in changes.items]  # doctest: +SKIP
[('touchpoint', 'pay', 'moved'), ('touchpoint', 'choose-slot', 'modified')]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ._cycles import without_cycle_collection
from .metrics import BUILTIN, MetricSpec, spec_from_definition

if TYPE_CHECKING:
    from .analysis import Analysis
    from .model import Journey, Touchpoint
    from .problems import Problem

Kind = Literal["journey", "stage", "touchpoint", "persona", "channel", "metric"]
ChangeType = Literal["added", "removed", "renamed", "moved", "modified"]
Op = Literal["added", "removed", "changed"]
Direction = Literal["improved", "worse", "stricter", "looser"]
WeakState = Literal["weak", "not_weak", "absent"]

#: The order kinds are reported in: what reviewers look at first.
KINDS: tuple[Kind, ...] = ("touchpoint", "stage", "persona", "channel", "metric", "journey")

#: Change types in the order they are counted and listed.
CHANGE_TYPES: tuple[ChangeType, ...] = ("added", "removed", "renamed", "moved", "modified")

#: A conversion or reach change smaller than this is float noise, not a change.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Detail:
    """One difference inside a changed element.

    ``aspect`` says what differs:

    - ``name`` (old/new names), ``stage`` and ``channel`` (old/new ids);
    - ``id``: on a removed and an added touchpoint of one name, the old and the new id
      it likely changed from and to;
    - ``field``: a plain field, ``subject`` names it (``emotion``, ``thought``,
      ``owner``, ``personas``, ``systems``, ``kind``, ``share``, ``title``, ...);
    - ``flow``: ``subject`` is the target touchpoint id (``journey:touchpoint`` for a flow
      into another journey); ``op`` added/removed
      (``old``/``new`` hold the share) or changed with ``field`` ``share``/``label``/``time``
      (a flow's times as words, ``median 4m12s, p90 1h5m``);
    - ``metric``: ``subject`` is the metric name, ``field`` one of ``value``,
      ``n``, ``target``, ``period``, ``source``;
    - ``target``: a stage target (``subject`` = metric name);
    - ``friction``: ``subject`` is the friction type, ``note`` its note;
      added/removed (``old``/``new`` = severity) or changed with ``field``
      ``severity``/``note``/``evidence``;
    - ``definition``: a metric definition's ``label``/``scale``/``better``/``unit``/``target``;
    - ``weak``: a threshold of weak-touchpoint detection (``subject`` = key);
    - ``stage-order``: the order of the stages (``old``/``new`` are id lists);
    - ``touchpoint-order``: on a stage, the order of its touchpoints (id lists);
    - ``value``: a key of the value model (``subject``: ``currency``, ``volume``,
      ``period``, ``leave`` or ``outcomes.<key>``);
    - ``scenario``, ``opportunity``: ``subject`` is its id; added, removed or changed.

    ``direction`` is judged in the metric's own sense: ``improved``/``worse``
    for values (and emotion, friction severity), ``stricter``/``looser`` for
    targets; None when there is no better direction.
    """

    aspect: str
    op: Op
    subject: str | None = None
    field: str | None = None
    old: Any = None
    new: Any = None
    direction: Direction | None = None
    note: str | None = None


@dataclass(frozen=True)
class Change:
    """An element (touchpoint, stage, ...) that differs between old and new."""

    kind: Kind
    id: str
    change: ChangeType
    details: tuple[Detail, ...] = ()

    @property
    def aspects(self) -> tuple[str, ...]:
        """Named aspects of the change, dbt-style: ``renamed``, ``moved``, ``fields``,
        ``flows``, ``metrics``, ``targets``, ``friction``, ... (sorted)."""
        names = {_ASPECT_NAMES.get(d.aspect, d.aspect) for d in self.details}
        return tuple(sorted(names))


_ASPECT_NAMES = {
    "name": "renamed",
    "stage": "moved",
    "channel": "moved",
    "field": "fields",
    "flow": "flows",
    "metric": "metrics",
    "target": "targets",
    "definition": "definition",
}


@dataclass(frozen=True)
class WeakChange:
    """A touchpoint whose weakness changed. ``reasons`` are the new reasons
    (for one that became weak) or the old ones (for one that is no longer weak)."""

    touchpoint: str
    was: WeakState
    now: WeakState
    reasons: tuple[str, ...] = ()
    old_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class StageReach:
    """A stage's reach and drop-off before and after (None where the stage is absent)."""

    stage: str
    old_reach: float | None
    new_reach: float | None
    old_drop_off: float | None
    new_drop_off: float | None

    @property
    def delta(self) -> float | None:
        if self.old_reach is None or self.new_reach is None:
            return None
        return self.new_reach - self.old_reach

    @property
    def changed(self) -> bool:
        delta = self.delta
        return delta is None or abs(delta) > TOLERANCE


@dataclass(frozen=True)
class Consequences:
    """What the change means for customers, from the analyses of both sides."""

    persona: str | None
    became_weak: tuple[WeakChange, ...]
    no_longer_weak: tuple[WeakChange, ...]
    reasons_changed: tuple[WeakChange, ...]
    old_conversion: float | None
    new_conversion: float | None
    stages: tuple[StageReach, ...]
    old_value: float | None = None
    """Value per period (per customer when a side has no volume) of the old side; None without a value model."""
    new_value: float | None = None
    currency: str | None = None
    value_unit: str | None = None
    """``a month`` (the period, in words) or ``per customer``."""
    old_currency: str | None = None
    """The old side's currency (``currency`` is the new side's, or the old one's without a new value model)."""
    value_not_compared: str | None = None
    """Why the two sides' values are not compared, though one has a value model: ``the currency changed
    (EUR → USD)``, ``the new side has no value model`` (None when they are, or neither side has one)."""
    old_per_customer: float | None = None
    """Value per customer of the old side (whatever ``value_unit`` is); None without a value model."""
    new_per_customer: float | None = None

    @property
    def value_delta_per_customer(self) -> float | None:
        """What the change is worth per customer; None unless both sides have a value model in one currency."""
        if self.old_per_customer is None or self.new_per_customer is None or self.value_not_compared is not None:
            return None
        return self.new_per_customer - self.old_per_customer

    @property
    def value_delta(self) -> float | None:
        """What the change is worth (new minus old value); None unless both sides have a value model in one currency."""
        if self.old_value is None or self.new_value is None or self.value_not_compared is not None:
            return None
        return self.new_value - self.old_value

    @property
    def value_changed(self) -> bool:
        delta = self.value_delta
        return delta is not None and abs(delta) > 0.005

    @property
    def conversion_delta(self) -> float | None:
        if self.old_conversion is None or self.new_conversion is None:
            return None
        return self.new_conversion - self.old_conversion

    @property
    def conversion_changed(self) -> bool:
        delta = self.conversion_delta
        return delta is not None and abs(delta) > TOLERANCE

    @property
    def weaker(self) -> bool:
        """Whether any touchpoint became weak (an added weak touchpoint counts) or conversion fell."""
        delta = self.conversion_delta
        return bool(self.became_weak) or (delta is not None and delta < -TOLERANCE)

    @property
    def is_empty(self) -> bool:
        return not (
            self.became_weak
            or self.no_longer_weak
            or self.reasons_changed
            or self.conversion_changed
            or any(s.changed for s in self.stages)
            or self.value_changed
            or self.value_not_compared is not None
        )


@dataclass
class Changes:
    """The semantic diff of two versions of one journey.

    ``old``/``new`` are the journeys (None for an added or removed journey);
    ``items`` are in a stable order (kinds as in :data:`KINDS`, touchpoints in
    stage order then journey order); ``consequences`` is None unless both
    analyses (or one, for an added or removed journey) were given.
    """

    old: Journey | None
    new: Journey | None
    items: list[Change]
    consequences: Consequences | None = None
    specs: dict[str, MetricSpec] = field(default_factory=dict)
    """Metric specs of both sides (new wins), to format values."""
    stage_order: list[str] = field(default_factory=list)
    """Stage ids of both sides, merged: new order, removed stages where they were."""

    @property
    def status(self) -> Literal["added", "removed", "modified"]:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "modified"

    @property
    def different_journeys(self) -> tuple[str, str] | None:
        """``(old id, new id)`` when the two sides are not one journey (the two sample journeys
        compared, or a journey whose id changed): everything is then compared as removed and added."""
        if self.old is None or self.new is None or self.old.id == self.new.id:
            return None
        return self.old.id, self.new.id

    @property
    def is_empty(self) -> bool:
        """No structural change and no consequence: "no changes"."""
        return not self.items and (self.consequences is None or self.consequences.is_empty)

    @property
    def weaker(self) -> bool:
        return self.consequences is not None and self.consequences.weaker

    def of_kind(self, kind: Kind) -> list[Change]:
        return [c for c in self.items if c.kind == kind]

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {change: count}}`` for every kind that changed."""
        result: dict[str, dict[str, int]] = {}
        for kind in KINDS:
            items = [c.change for c in self.items if c.kind == kind]
            if items:
                result[kind] = {change: items.count(change) for change in CHANGE_TYPES if change in items}
        return result

    def spec(self, metric: str) -> MetricSpec:
        return self.specs.get(metric) or BUILTIN.get(metric) or MetricSpec(metric, metric, None, None, None, builtin=False)


@dataclass
class FileChanges:
    """One journey file's diff in a multi-file (``--git``) comparison."""

    path: str
    """The file as named to the user (new path; old path for a deleted file)."""
    status: Literal["added", "removed", "modified", "renamed"]
    changes: Changes | None
    """None when either side had errors (see ``problems``)."""
    old_path: str | None = None
    problems: list[Problem] = field(default_factory=list)
    imports_changed: list[str] = field(default_factory=list)
    """Imported library files that changed (the journey may be unchanged itself)."""
    broken: str = "one side has errors"
    """Why ``changes`` is None, in words: one side, both sides, or the file compared with itself."""


# -- the diff ----------------------------------------------------------------


@without_cycle_collection
def diff(
    old: Journey | None,
    new: Journey | None,
    *,
    old_analysis: Analysis | None = None,
    new_analysis: Analysis | None = None,
) -> Changes:
    """Compare two versions of a journey by id.

    Either side may be None (a journey added or removed): then the diff holds
    one ``journey`` change and, with the analysis of the present side, the
    consequences (every weak touchpoint of an added journey is new).
    """
    if old is None and new is None:
        raise ValueError("diff needs at least one journey")
    specs = {**_specs(old), **_specs(new)}
    old_stages = [s.id for s in old.stages] if old else []
    new_stages = [s.id for s in new.stages] if new else []
    stage_order = merge_order(old_stages, new_stages)
    changes = Changes(old, new, [], None, specs, stage_order)
    if old is None or new is None:
        present = new if new is not None else old
        assert present is not None
        changes.items.append(Change("journey", present.id, "added" if old is None else "removed"))
    else:
        items = changes.items
        items += _touchpoint_changes(old, new, stage_order, specs)
        items += _stage_changes(old, new, specs)
        items += _simple_changes("persona", old.personas, new.personas, _PERSONA_FIELDS)
        items += _simple_changes("channel", old.channels, new.channels, _CHANNEL_FIELDS)
        items += _metric_definition_changes(old, new, specs)
        journey_change = _journey_change(old, new, old_stages, new_stages)
        if journey_change is not None:
            items.append(journey_change)
    if old_analysis is not None or new_analysis is not None:
        changes.consequences = consequences(old, new, old_analysis, new_analysis, stage_order)
    return changes


def consequences(
    old: Journey | None,
    new: Journey | None,
    old_analysis: Analysis | None,
    new_analysis: Analysis | None,
    stage_order: Sequence[str] | None = None,
) -> Consequences:
    """Touchpoints that became weak or stopped being weak, conversion and stage reach."""
    old_results = old_analysis.touchpoints if old_analysis else {}
    new_results = new_analysis.touchpoints if new_analysis else {}
    order = _touchpoint_order(old, new, stage_order)
    became: list[WeakChange] = []
    recovered: list[WeakChange] = []
    reasons_changed: list[WeakChange] = []
    for touchpoint_id in order:
        before = old_results.get(touchpoint_id)
        after = new_results.get(touchpoint_id)
        was: WeakState = "absent" if before is None else "weak" if before.weak else "not_weak"
        now: WeakState = "absent" if after is None else "weak" if after.weak else "not_weak"
        old_reasons = tuple(before.reasons) if before is not None and before.weak else ()
        new_reasons = tuple(after.reasons) if after is not None and after.weak else ()
        if now == "weak" and was != "weak":
            # An added weak touchpoint counts: the change brings a weak touchpoint in.
            became.append(WeakChange(touchpoint_id, was, now, new_reasons, old_reasons))
        elif was == "weak" and now != "weak":
            recovered.append(WeakChange(touchpoint_id, was, now, old_reasons, old_reasons))
        elif was == "weak" and now == "weak" and old_reasons != new_reasons:
            reasons_changed.append(WeakChange(touchpoint_id, was, now, new_reasons, old_reasons))
    old_stage_results = {s.id: s for s in old_analysis.stages} if old_analysis else {}
    new_stage_results = {s.id: s for s in new_analysis.stages} if new_analysis else {}
    if stage_order is None:
        stage_order = merge_order(
            [s.id for s in old.stages] if old else [], [s.id for s in new.stages] if new else []
        )
    stages = []
    for stage_id in stage_order:
        before_stage = old_stage_results.get(stage_id)
        after_stage = new_stage_results.get(stage_id)
        if before_stage is None and after_stage is None:
            continue
        stages.append(
            StageReach(
                stage_id,
                before_stage.reach if before_stage else None,
                after_stage.reach if after_stage else None,
                before_stage.drop_off if before_stage else None,
                after_stage.drop_off if after_stage else None,
            )
        )
    either = new_analysis or old_analysis
    persona = either.persona if either is not None else None
    return Consequences(
        persona,
        tuple(became),
        tuple(recovered),
        tuple(reasons_changed),
        old_analysis.conversion if old_analysis else None,
        new_analysis.conversion if new_analysis else None,
        tuple(stages),
        *_values(old_analysis, new_analysis),
    )


def _values(old: Analysis | None, new: Analysis | None) -> tuple[Any, ...]:
    """(old value, new value, currency, unit, old currency, why not compared, old and new value per
    customer): per period when both sides know their volume, else per customer. Amounts in two currencies
    are not compared (a change of currency is not a change of value), nor a value model on one side of
    two journeys."""
    from .value import PERIOD_WORD

    a = old.value if old is not None else None
    b = new.value if new is not None else None
    present = b or a
    if present is None:
        return None, None, None, None, None, None, None, None
    per_customer = (a.per_customer if a else None), (b.per_customer if b else None)
    why = None
    if a is not None and b is not None and a.currency != b.currency:
        why = f"the currency changed ({a.currency} → {b.currency})"
    elif old is not None and new is not None and (a is None or b is None):
        why = f"the {'new' if b is None else 'old'} side has no value model"
    old_currency = a.currency if a is not None else None
    sides = [v for v in (a, b) if v is not None]
    if all(v.per_period is not None for v in sides) and len({v.period for v in sides}) == 1:
        unit = PERIOD_WORD[present.period]
        return (a.per_period if a else None), (b.per_period if b else None), present.currency, unit, old_currency, why, *per_customer
    return *per_customer, present.currency, "per customer", old_currency, why, *per_customer


def merge_order(old: Sequence[str], new: Sequence[str]) -> list[str]:
    """New order, with each id only in ``old`` placed right after its old predecessor.

    >>> merge_order(["a", "b", "c"], ["a", "c", "d"])
    ['a', 'b', 'c', 'd']
    """
    result = list(new)
    present = set(result)
    for index, ident in enumerate(old):
        if ident in present:
            continue
        position = 0
        for previous in reversed(old[:index]):
            if previous in present:
                position = result.index(previous) + 1
                break
        result.insert(position, ident)
        present.add(ident)
    return result


# -- element comparisons ------------------------------------------------------


_PERSONA_FIELDS = ("description", "goals", "pains", "share")
_CHANNEL_FIELDS = ("kind", "description")
_STAGE_FIELDS = ("goal", "description")
_TOUCHPOINT_FIELDS = (
    "personas",
    "description",
    "action",
    "thought",
    "emotion",
    "owner",
    "systems",
    "backstage",
    "opportunities",
    "entry",
    "outcome",
    "cost",
    "revenue",
)
_JOURNEY_FIELDS = ("id", "title", "description", "owner", "version", "tags", "imports")


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


def _field_details(old: Any, new: Any, names: Iterable[str]) -> list[Detail]:
    details = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if _same(before, after):
            continue
        direction: Direction | None = None
        if name == "emotion" and before is not None and after is not None:
            direction = "improved" if after > before else "worse"
        details.append(Detail("field", "changed", name, None, _plain(before), _plain(after), direction))
    return details


def _plain(value: Any) -> Any:
    """JSON-ready: lists stay lists, tuples become lists."""
    if isinstance(value, tuple):
        return list(value)
    return value


def _name_detail(old: Any, new: Any) -> list[Detail]:
    if old.name == new.name:
        return []
    return [Detail("name", "changed", old=old.name, new=new.name)]


def _classify(details: Sequence[Detail]) -> ChangeType:
    aspects = {d.aspect for d in details}
    if aspects & {"stage", "channel"}:
        return "moved"
    if aspects == {"name"}:
        return "renamed"
    return "modified"


def _simple_changes(kind: Kind, old_items: Sequence[Any], new_items: Sequence[Any], fields: Sequence[str]) -> list[Change]:
    old_by_id = {item.id: item for item in old_items}
    new_by_id = {item.id: item for item in new_items}
    changes = []
    for ident in merge_order(list(old_by_id), list(new_by_id)):
        before, after = old_by_id.get(ident), new_by_id.get(ident)
        if before is None:
            changes.append(Change(kind, ident, "added"))
        elif after is None:
            changes.append(Change(kind, ident, "removed"))
        else:
            details = _name_detail(before, after) + _field_details(before, after, fields)
            if details:
                changes.append(Change(kind, ident, _classify(details), tuple(details)))
    return changes


def _stage_changes(old: Journey, new: Journey, specs: dict[str, MetricSpec]) -> list[Change]:
    changes = _simple_changes("stage", old.stages, new.stages, _STAGE_FIELDS)
    by_id = {c.id: c for c in changes}
    result = []
    old_by_id, new_by_id = old.stage_by_id, new.stage_by_id
    old_members, new_members = _stage_members(old), _stage_members(new)
    for ident in merge_order(list(old_by_id), list(new_by_id)):
        change = by_id.get(ident)
        if ident in old_by_id and ident in new_by_id:
            targets = _target_details(old_by_id[ident].targets, new_by_id[ident].targets, specs)
            order = _touchpoint_order_detail(old_members.get(ident, []), new_members.get(ident, []), ident)
            if order is not None:
                targets.append(order)
            if targets:
                details = (change.details if change else ()) + tuple(targets)
                change = Change("stage", ident, _classify(details), details)
        if change is not None:
            result.append(change)
    return result


def _stage_members(journey: Journey) -> dict[str, list[str]]:
    """Stage id -> the ids of its touchpoints, in journey order."""
    members: dict[str, list[str]] = {}
    for touchpoint in journey.touchpoints:
        members.setdefault(touchpoint.stage, []).append(touchpoint.id)
    return members


def _touchpoint_order_detail(before: list[str], after: list[str], stage: str) -> Detail | None:
    """The order of a stage's touchpoints, when those in it on both sides come in another order
    (the order of the cards on the map); touchpoints added, removed or moved to another stage
    are not a reorder of the others."""
    kept = set(before) & set(after)
    if [i for i in before if i in kept] == [i for i in after if i in kept]:
        return None
    return Detail("touchpoint-order", "changed", stage, old=before, new=after)


def _target_direction(spec: MetricSpec, before: float, after: float) -> Direction | None:
    if spec.better is None:
        return None
    raised = after > before
    return "stricter" if raised == (spec.better == "higher") else "looser"


def _value_direction(spec: MetricSpec, before: float, after: float) -> Direction | None:
    if spec.better is None:
        return None
    higher = after > before
    return "improved" if higher == (spec.better == "higher") else "worse"


def _target_details(old: dict[str, Any], new: dict[str, Any], specs: dict[str, MetricSpec]) -> list[Detail]:
    details = []
    for name in merge_order(list(old), list(new)):
        before, after = old.get(name), new.get(name)
        if _same(before, after):
            continue
        if before is None:
            details.append(Detail("target", "added", name, new=after))
        elif after is None:
            details.append(Detail("target", "removed", name, old=before))
        else:
            direction = _target_direction(specs.get(name) or _fallback_spec(name), before, after)
            details.append(Detail("target", "changed", name, None, before, after, direction))
    return details


def _touchpoint_changes(
    old: Journey, new: Journey, stage_order: Sequence[str], specs: dict[str, MetricSpec]
) -> list[Change]:
    old_by_id, new_by_id = old.touchpoint_by_id, new.touchpoint_by_id
    changes = []
    for ident in _touchpoint_order(old, new, stage_order):
        before, after = old_by_id.get(ident), new_by_id.get(ident)
        if before is None:
            changes.append(Change("touchpoint", ident, "added"))
            continue
        if after is None:
            changes.append(Change("touchpoint", ident, "removed"))
            continue
        if before == after:  # pydantic compares every field: the common case, fast
            continue
        details = _name_detail(before, after)
        for aspect in ("stage", "channel"):
            if getattr(before, aspect) != getattr(after, aspect):
                details.append(Detail(aspect, "changed", old=getattr(before, aspect), new=getattr(after, aspect)))
        details += _field_details(before, after, _TOUCHPOINT_FIELDS)
        details += _flow_details(before, after, old.id, new.id)
        details += _friction_details(before, after)
        details += _metric_details(before, after, specs)
        if details:
            changes.append(Change("touchpoint", ident, _classify(details), tuple(details)))
    return _same_name_pairs(changes, old_by_id, new_by_id)


def _same_name_pairs(changes: list[Change], old_by_id: dict[str, Touchpoint], new_by_id: dict[str, Touchpoint]) -> list[Change]:
    """A removed and an added touchpoint of one name (the only one of that name on each side, and
    among the removed and added): most likely one touchpoint whose id changed. Both stay listed,
    the diff is keyed by id, and each gets an ``id`` detail that names the other."""

    def key(name: str) -> str:
        return " ".join(name.split()).casefold()

    def unique(touchpoints: dict[str, Touchpoint], change: str) -> dict[str, str]:
        counts: dict[str, int] = {}
        for touchpoint in touchpoints.values():
            counts[key(touchpoint.name)] = counts.get(key(touchpoint.name), 0) + 1
        ids = [c.id for c in changes if c.change == change]
        return {key(touchpoints[i].name): i for i in ids if counts[key(touchpoints[i].name)] == 1}

    removed, added = unique(old_by_id, "removed"), unique(new_by_id, "added")
    pairs = {old_id: added[name] for name, old_id in removed.items() if name in added}
    if not pairs:
        return changes
    partner = {**pairs, **{new_id: old_id for old_id, new_id in pairs.items()}}
    result = []
    for change in changes:
        if change.id in partner and change.change in ("added", "removed"):
            old_id, new_id = (change.id, partner[change.id]) if change.change == "removed" else (partner[change.id], change.id)
            change = Change("touchpoint", change.id, change.change, (Detail("id", "changed", old=old_id, new=new_id),))
        result.append(change)
    return result


def _touchpoint_order(old: Journey | None, new: Journey | None, stage_order: Sequence[str] | None) -> list[str]:
    """Touchpoint ids of both sides: by stage (merged stage order), then journey order."""
    old_ids = [t.id for t in old.touchpoints] if old else []
    new_ids = [t.id for t in new.touchpoints] if new else []
    merged = merge_order(old_ids, new_ids)
    if stage_order is None:
        stage_order = merge_order([s.id for s in old.stages] if old else [], [s.id for s in new.stages] if new else [])
    stage_rank = {stage: index for index, stage in enumerate(stage_order)}
    old_by_id = old.touchpoint_by_id if old else {}
    new_by_id = new.touchpoint_by_id if new else {}

    def stage_of(ident: str) -> int:
        touchpoint = new_by_id.get(ident) or old_by_id.get(ident)
        assert touchpoint is not None
        return stage_rank.get(touchpoint.stage, len(stage_rank))

    position = {ident: index for index, ident in enumerate(merged)}
    return sorted(merged, key=lambda ident: (stage_of(ident), position[ident]))


def _flow_key(flow: Any, journey_id: str) -> str:
    """How a flow is named in a diff: ``to``, or ``journey:to`` when it leads into another journey.

    Keyed by both, a flow into another journey's ``pay`` and a flow to this
    journey's ``pay`` are two flows, and moving a flow to another journey is a
    removed flow and an added one.
    """
    return f"{flow.journey}:{flow.to}" if flow.leads_out(journey_id) else flow.to


def _flow_details(old: Touchpoint, new: Touchpoint, old_journey: str = "", new_journey: str = "") -> list[Detail]:
    old_flows = {_flow_key(f, old_journey): f for f in old.next}
    new_flows = {_flow_key(f, new_journey): f for f in new.next}
    details = []
    for to in merge_order(list(old_flows), list(new_flows)):
        before, after = old_flows.get(to), new_flows.get(to)
        if before is None:
            assert after is not None
            details.append(Detail("flow", "added", to, new=after.share, note=after.label))
        elif after is None:
            details.append(Detail("flow", "removed", to, old=before.share, note=before.label))
        else:
            for name in ("share", "label"):
                if not _same(getattr(before, name), getattr(after, name)):
                    details.append(Detail("flow", "changed", to, name, getattr(before, name), getattr(after, name)))
            time_before, time_after = _flow_time(before.time), _flow_time(after.time)
            if time_before != time_after:
                details.append(Detail("flow", "changed", to, "time", time_before, time_after))
            # the count the times were measured on (calibrate rewrites it with every log)
            n_before, n_after = (t.n if t is not None else None for t in (before.time, after.time))
            if n_before != n_after and time_before is not None and time_after is not None:
                details.append(Detail("flow", "changed", to, "time n", n_before, n_after))
    return details


def _flow_time(time: Any) -> str | None:
    """A flow's ``time`` as words (``median 4m12s, p90 1h5m``); None when it has none."""
    from .metrics import format_duration

    if time is None:
        return None
    parts = [f"{name} {format_duration(value)}" for name, value in (("median", time.median), ("p90", time.p90)) if value is not None]
    return ", ".join(parts) or None


def _friction_details(old: Touchpoint, new: Touchpoint) -> list[Detail]:
    """Frictions have no id: match same type and note first, then same type in order."""
    unmatched_old = list(range(len(old.friction)))
    pairs: list[tuple[int | None, int | None]] = []
    matched_new: dict[int, int] = {}
    for by_note in (True, False):
        for j, after in enumerate(new.friction):
            if j in matched_new:
                continue
            for i in unmatched_old:
                before = old.friction[i]
                if before.type == after.type and (not by_note or before.note == after.note):
                    matched_new[j] = i
                    unmatched_old.remove(i)
                    break
    for j in range(len(new.friction)):
        pairs.append((matched_new.get(j), j))
    # Removed frictions go where they were, after the last kept one before them.
    for i in unmatched_old:
        position = 0
        for index, (old_index, _) in enumerate(pairs):
            if old_index is not None and old_index < i:
                position = index + 1
        pairs.insert(position, (i, None))
    details = []
    for old_at, new_at in pairs:
        was = old.friction[old_at] if old_at is not None else None
        now = new.friction[new_at] if new_at is not None else None
        if was is None:
            assert now is not None
            details.append(Detail("friction", "added", now.type, new=now.severity, note=now.note))
        elif now is None:
            details.append(Detail("friction", "removed", was.type, old=was.severity, note=was.note))
        else:
            if was.severity != now.severity:
                direction: Direction = "worse" if now.severity > was.severity else "improved"
                details.append(
                    Detail("friction", "changed", now.type, "severity", was.severity, now.severity, direction, now.note)
                )
            for name in ("note", "evidence"):
                if getattr(was, name) != getattr(now, name):
                    details.append(
                        Detail("friction", "changed", now.type, name, getattr(was, name), getattr(now, name), note=now.note)
                    )
    return details


def _metric_details(old: Touchpoint, new: Touchpoint, specs: dict[str, MetricSpec]) -> list[Detail]:
    details = []
    for name in merge_order(list(old.metrics), list(new.metrics)):
        spec = specs.get(name) or _fallback_spec(name)
        before, after = old.metrics.get(name), new.metrics.get(name)
        if before is None:
            assert after is not None
            details.append(Detail("metric", "added", name, "value", new=after.value))
            if after.target is not None:
                details.append(Detail("metric", "added", name, "target", new=after.target))
            continue
        if after is None:
            details.append(Detail("metric", "removed", name, "value", old=before.value))
            if before.target is not None:
                details.append(Detail("metric", "removed", name, "target", old=before.target))
            continue
        if not _same(before.value, after.value):
            direction = None
            if isinstance(before.value, (int, float)) and isinstance(after.value, (int, float)):
                direction = _value_direction(spec, float(before.value), float(after.value))
            details.append(Detail("metric", "changed", name, "value", before.value, after.value, direction))
        for name_ in ("n", "target", "period", "source"):
            b, a = getattr(before, name_), getattr(after, name_)
            if _same(b, a):
                continue
            op: Op = "added" if b is None else "removed" if a is None else "changed"
            direction = None
            if name_ == "target" and op == "changed":
                direction = _target_direction(spec, float(b), float(a))
            details.append(Detail("metric", op, name, name_, b, a, direction))
    return details


def _metric_definition_changes(old: Journey, new: Journey, specs: dict[str, MetricSpec]) -> list[Change]:
    changes = []
    for name in merge_order(list(old.metrics), list(new.metrics)):
        before, after = old.metrics.get(name), new.metrics.get(name)
        if before is None:
            changes.append(Change("metric", name, "added"))
            continue
        if after is None:
            changes.append(Change("metric", name, "removed"))
            continue
        details = []
        for key in ("label", "scale", "better", "unit", "target"):
            b, a = getattr(before, key), getattr(after, key)
            if _same(b, a):
                continue
            op: Op = "added" if b is None else "removed" if a is None else "changed"
            direction = None
            if key == "target" and op == "changed":
                direction = _target_direction(specs.get(name) or _fallback_spec(name), float(b), float(a))
            details.append(Detail("definition", op, name, key, _plain(b), _plain(a), direction))
        if details:
            changes.append(Change("metric", name, "modified", tuple(details)))
    return changes


def _journey_change(old: Journey, new: Journey, old_stages: list[str], new_stages: list[str]) -> Change | None:
    details = _field_details(old, new, _JOURNEY_FIELDS)
    kept_old = [s for s in old_stages if s in set(new_stages)]
    kept_new = [s for s in new_stages if s in set(old_stages)]
    if kept_old != kept_new:
        details.append(Detail("stage-order", "changed", old=old_stages, new=new_stages))
    for key in ("min_n", "friction_severity", "emotion", "worsening"):
        b, a = getattr(old.weak, key), getattr(new.weak, key)
        if not _same(b, a):
            details.append(Detail("weak", "changed", key, None, b, a))
    details += _value_model_details(old, new)
    if not details:
        return None
    return Change("journey", new.id, "modified", tuple(details))


def _value_model_details(old: Journey, new: Journey) -> list[Detail]:
    """The value model key by key (``outcomes.success``), and scenarios and opportunities by id."""
    details: list[Detail] = []

    def flat(journey: Journey) -> dict[str, Any]:
        if journey.value is None:
            return {}
        data = journey.value.model_dump()
        outcomes = data.pop("outcomes")
        return {**data, **{f"outcomes.{k}": v for k, v in outcomes.items()}}

    before, after = flat(old), flat(new)
    for key in dict.fromkeys([*before, *after]):
        b, a = before.get(key), after.get(key)
        if not _same(b, a):
            op: Op = "added" if key not in before else "removed" if key not in after else "changed"
            details.append(Detail("value", op, key, None, b, a))
    for aspect, olds, news in (("scenario", old.scenarios, new.scenarios), ("opportunity", old.opportunities, new.opportunities)):
        by_old = {item.id: item.model_dump() for item in olds}
        by_new = {item.id: item.model_dump() for item in news}
        for ident in dict.fromkeys([*by_old, *by_new]):
            b, a = by_old.get(ident), by_new.get(ident)
            if b != a:
                item_op: Op = "added" if b is None else "removed" if a is None else "changed"
                details.append(Detail(aspect, item_op, ident, None, None, None))
    return details


def _fallback_spec(name: str) -> MetricSpec:
    return BUILTIN.get(name) or MetricSpec(name, name, None, None, None, builtin=False)


def _specs(journey: Journey | None) -> dict[str, MetricSpec]:
    if journey is None:
        return {}
    specs = dict(BUILTIN)
    for name, definition in journey.metrics.items():
        specs[name] = spec_from_definition(
            name,
            label=definition.label,
            scale=definition.scale,
            better=definition.better,
            unit=definition.unit,
        )
    return specs


#: Touchpoint-name lookup used by renderers: new side first, then old.
def touchpoint_name(changes: Changes, ident: str) -> str | None:
    for journey in (changes.new, changes.old):
        if journey is not None and ident in journey.touchpoint_by_id:
            return journey.touchpoint_by_id[ident].name
    return None


def element_name(changes: Changes, kind: Kind, ident: str) -> str | None:
    """The display name of an element (new side first), or None."""
    lookup: dict[str, Callable[[Journey], dict[str, Any]]] = {
        "touchpoint": lambda j: j.touchpoint_by_id,
        "stage": lambda j: j.stage_by_id,
        "persona": lambda j: j.persona_by_id,
        "channel": lambda j: j.channel_by_id,
    }
    if kind == "journey":
        journey = changes.new or changes.old
        return journey.title if journey is not None else None
    if kind == "metric":
        spec = changes.specs.get(ident)
        return spec.label if spec is not None else None
    for journey in (changes.new, changes.old):
        if journey is not None:
            items = lookup[kind](journey)
            if ident in items:
                return str(items[ident].name)
    return None
