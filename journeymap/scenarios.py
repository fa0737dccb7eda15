"""What-if scenarios: changes to a journey, applied to a copy, and their effect before and after.

A change is one of (FORMAT.md, "Scenarios"):

- ``{touchpoint, drop_off}``: the touchpoint's leave share becomes ``drop_off``;
  its flows keep their proportions;
- ``{from, to, share}``: one flow's share; the leave share of ``from`` absorbs
  the difference;
- ``{touchpoint, metric, value}``: a metric's value (``target``: its target);
- ``{touchpoint, meets_targets: true}``: every missed metric at its target, and
  its drop-off at its ``drop_off`` target (without one: nobody leaves there);
- ``{touchpoint, remove: true}``: the step is skipped: customers who reached it
  go on along its flows, in proportion (its leavers included);
- ``{add, from, share, next}``: a new touchpoint (in the stage and channel of
  ``from``) reached by ``share`` of the customers at ``from``, taken from those
  who leave there.

On the command line (:func:`parse_set`), ``--set`` takes the same changes:
``TOUCHPOINT.drop_off=0.15``, ``FROM->TO.share=0.7``, ``TOUCHPOINT.csat=target``
(any metric), ``TOUCHPOINT.targets=met``, ``TOUCHPOINT=removed``.

:func:`what_if` returns a :class:`WhatIf`: the analyses before and after, with
the value figures; deltas come from re-solving the changed chain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import Analysis
    from .model import Change, Journey, Scenario


class ScenarioError(ValueError):
    """A change that cannot apply to this journey (the message says why, with a hint)."""


# -- the command line's --set ---------------------------------------------------

_SET = re.compile(r"^\s*(?P<subject>[^=]+?)\s*=\s*(?P<value>.*?)\s*$")


def parse_set(
    text: str, journey: Journey, gone: frozenset[str] | set[str] = frozenset(), warnings: list[str] | None = None,
) -> dict[str, Any]:
    """One ``--set`` as change data (the keys of a change in the journey file), checked against ``journey``
    (the journey as the earlier ``--set`` left it; ``gone``: the touchpoints they removed). A value read as written
    that the journey file would warn about (``implausible-value``: a response time of 1e9 seconds) is added to
    ``warnings``, in the journey file's words.

    >>> parse_set("capture-id-document.drop_off=0.15", journey)     # doctest: +SKIP
    {'touchpoint': 'capture-id-document', 'drop_off': 0.15}
    >>> parse_set("plan-page->checkout.share=0.7", journey)          # doctest: +SKIP
    {'from': 'plan-page', 'to': 'checkout', 'share': 0.7}
    """
    from .problems import did_you_mean

    grammar = (
        "write TOUCHPOINT.drop_off=0.15, FROM->TO.share=0.7, TOUCHPOINT.METRIC=VALUE (or =target),"
        " TOUCHPOINT.targets=met or TOUCHPOINT=removed"
    )
    match = _SET.match(text)
    if match is None:
        raise ScenarioError(f"--set {text!r}: {'nothing before' if text.strip().startswith('=') else 'no'} '='; {grammar}")
    subject, value = match.group("subject"), match.group("value")
    ids = journey.touchpoint_by_id

    def touchpoint(word: str) -> str:
        if word in gone and word not in ids:
            raise ScenarioError(f"--set {text!r}: '{word}' was removed by an earlier --set")
        if word not in ids:
            hint = did_you_mean(word, ids)
            raise ScenarioError(f"--set {text!r}: unknown touchpoint '{word}'" + (f" ({hint})" if hint else ""))
        return word

    def number(word: str, what: str) -> float:
        from .metrics import separator_hint

        try:
            result = float(word.rstrip("%")) / (100 if word.endswith("%") else 1)
        except ValueError:
            hint = separator_hint(word)
            raise ScenarioError(f"--set {text!r}: {what} must be a number from 0 to 1, not '{word}'" + (f" ({hint})" if hint else "")) from None
        if not 0 <= result <= 1:
            percent = 1 < result <= 100 and not word.endswith("%")
            raise ScenarioError(f"--set {text!r}: {what} {word} is outside 0..1" + (f" (did you mean {word}%? write {result / 100:g})" if percent else ""))
        return result

    if "." not in subject:
        if value != "removed":
            close = did_you_mean(value, ["removed"])
            raise ScenarioError(f"--set {text!r}: " + (f"write {subject}=removed to skip the step" if close else grammar))
        removed = touchpoint(subject)
        from .graph import JourneyGraph

        tp = ids[removed]
        if tp.outcome is not None:
            raise ScenarioError(f"--set {text!r}: '{removed}' is an outcome and cannot be removed")
        if removed in JourneyGraph(journey).entries:
            raise ScenarioError(f"--set {text!r}: '{removed}' is where customers start; remove a later step")
        if not [f for f in tp.next if f.to != removed]:
            raise ScenarioError(f"--set {text!r}: '{removed}' has no next flows, so its customers would have nowhere to go")
        return {"touchpoint": removed, "remove": True}
    left, _, key = subject.rpartition(".")
    if "->" in left:
        source, _, target = (part.strip() for part in left.partition("->"))
        if key != "share":
            hint = did_you_mean(key, ["share"])
            raise ScenarioError(f"--set {text!r}: a flow has a share, not '{key}'" + (f" ({hint})" if hint else ""))
        touchpoint(source)
        flows = [f.to for f in ids[source].next]
        if target not in flows:
            hint = did_you_mean(target, flows) or (f"'{source}' flows to: {', '.join(flows)}" if flows else f"'{source}' has no next flows")
            raise ScenarioError(f"--set {text!r}: touchpoint '{source}' has no flow to '{target}' ({hint})")
        share = number(value, "a share")
        from .graph import resolve_shares

        resolved = resolve_shares([(f.to, f.share) for f in ids[source].next])
        others = sum(s for f, s in zip(ids[source].next, resolved, strict=True) if f.to != target)
        if others + share > 1.001:
            raise ScenarioError(
                f"--set {text!r}: with this share the shares of '{source}' add up to {others + share:.3g}, more than 1"
                f" (its other flows keep {others:.3g}; give at most {max(0.0, 1 - others):.3g})"
            )
        return {"from": source, "to": target, "share": share}
    touchpoint(left)
    if key == "drop_off":
        if value == "target":
            goal = drop_off_target(journey, left)
            if goal is None:
                raise ScenarioError(f"--set {text!r}: '{left}' has no drop_off target (touchpoint, stage or journey)")
            return {"touchpoint": left, "drop_off": goal}
        return {"touchpoint": left, "drop_off": number(value, "a drop-off")}
    if key == "targets":
        if value != "met":
            raise ScenarioError(f"--set {text!r}: write {left}.targets=met")
        return {"touchpoint": left, "meets_targets": True}
    from .metrics import catalogue, parse_value

    specs = catalogue(journey.metrics)
    if key not in specs:
        hint = did_you_mean(key, ["drop_off", "targets", *specs])
        raise ScenarioError(f"--set {text!r}: unknown metric '{key}'" + (f" ({hint})" if hint else f"; {grammar}"))
    if value == "target":
        if target_of(journey, left, key) is None:
            raise ScenarioError(
                f"--set {text!r}: metric '{key}' has no target at '{left}'"
                f" (set a target (touchpoint, stage or journey), or give a value: {left}.{key}=VALUE)"
            )
        return {"touchpoint": left, "metric": key, "value": "target"}
    try:
        parsed = parse_value(specs[key], value)
    except ValueError as exc:
        hint = getattr(exc, "hint", None)
        raise ScenarioError(f"--set {text!r}: {exc}" + (f" ({hint})" if hint else "")) from None
    if warnings is not None:
        from .metrics import MetricValueError, check_plausible

        try:
            check_plausible(specs[key], value, parsed)
        except MetricValueError as exc:  # read as written, with a warning: as in the journey file or a data file
            warnings.append(f"--set {text!r}: {exc}" + (f" ({exc.hint})" if exc.hint else ""))
    return {"touchpoint": left, "metric": key, "value": parsed}


# -- applying changes ---------------------------------------------------------------


def _resolved(tp: dict[str, Any]) -> dict[str, float]:
    from .graph import resolve_shares

    flows = [(f["to"], f.get("share")) for f in tp.get("next", [])]
    return dict(zip((t for t, _ in flows), resolve_shares(flows), strict=True))


def _write_flows(tp: dict[str, Any], shares: dict[str, float]) -> None:
    labels = {f["to"]: f.get("label") for f in tp.get("next", [])}
    tp["next"] = [
        {"to": to, "share": min(1.0, max(0.0, share)), **({"label": labels[to]} if labels.get(to) else {})}
        for to, share in shares.items()
    ]


def target_of(journey: Journey, touchpoint: str, metric: str) -> float | None:
    """The target of ``metric`` at ``touchpoint`` (touchpoint > stage > journey), or None."""
    from .analysis import _target

    return _target(metric, journey.touchpoint_by_id[touchpoint], journey)[0]


def drop_off_target(journey: Journey, touchpoint: str) -> float | None:
    """The drop-off a touchpoint should have: its ``drop_off`` target (touchpoint > stage > journey)."""
    return target_of(journey, touchpoint, "drop_off")


def apply_changes(journey: Journey, changes: list[Change] | list[dict[str, Any]]) -> Journey:
    """A copy of ``journey`` with the changes applied in order; raises :class:`ScenarioError`."""
    from .metrics import catalogue
    from .model import Change, Journey

    data = journey.model_dump(by_alias=True, exclude_defaults=True)
    touchpoints: list[dict[str, Any]] = data["touchpoints"]
    by_id = {tp["id"]: tp for tp in touchpoints}
    if not any(tp.get("entry") for tp in touchpoints):
        # Entries are the touchpoints nobody points to; a change must not make new ones.
        from .graph import JourneyGraph

        for entry in JourneyGraph(journey).entries:
            by_id[entry]["entry"] = True
    specs = catalogue(journey.metrics)
    removed: set[str] = set()
    for raw in changes:
        change = raw if isinstance(raw, Change) else Change.model_validate(raw)
        _check_form(change)
        named = [change.touchpoint, change.from_, change.to, *(f.to for f in change.next)]
        gone = next((t for t in named if t in removed and t not in by_id), None)
        if gone is not None:
            raise ScenarioError(f"'{gone}' was removed by an earlier change (change it before it is removed, or leave the removal out)")
        # (a journey file's scenarios are checked when it loads; changes from Python are checked here)
        unknown = next((t for t in named if t is not None and t not in by_id and t != change.add), None)  # (a new one's loop)
        if unknown is not None:
            from .problems import did_you_mean

            hint = did_you_mean(unknown, list(by_id))
            raise ScenarioError(f"unknown touchpoint '{unknown}'" + (f" ({hint})" if hint else ""))
        if change.add is not None:
            assert change.from_ is not None and change.share is not None
            if change.add in by_id:
                raise ScenarioError(f"touchpoint '{change.add}' already exists")
            source = by_id[change.from_]
            shares = _resolved(source)
            if sum(shares.values()) + change.share > 1.001:
                raise ScenarioError(f"the shares of '{change.from_}' would add up to more than 1")
            shares[change.add] = change.share
            _write_flows(source, shares)
            new = {
                "id": change.add,
                "name": change.name or change.add,
                "stage": source["stage"],
                "channel": source["channel"],
                "next": [f.model_dump(exclude_defaults=True) for f in change.next],
            }
            if change.cost is not None:
                new["cost"] = change.cost
            touchpoints.insert(touchpoints.index(source) + 1, new)
            by_id[change.add] = new
            continue
        if change.from_ is not None:
            assert change.to is not None and change.share is not None
            source = by_id[change.from_]
            shares = _resolved(source)
            if change.to not in shares:
                raise ScenarioError(f"touchpoint '{change.from_}' has no flow to '{change.to}'")
            shares[change.to] = change.share
            if sum(shares.values()) > 1.001:
                raise ScenarioError(f"the shares of '{change.from_}' would add up to more than 1")
            _write_flows(source, shares)
            continue
        assert change.touchpoint is not None
        tp = by_id[change.touchpoint]
        if change.drop_off is not None:
            _set_drop_off(tp, change.drop_off)
        elif change.metric is not None:
            value: Any = change.value
            if value == "target":
                value = target_of(journey, change.touchpoint, change.metric)
                if value is None:
                    raise ScenarioError(f"metric '{change.metric}' has no target at '{change.touchpoint}'")
            if change.metric not in specs:
                raise ScenarioError(f"unknown metric '{change.metric}'")
            metrics = tp.setdefault("metrics", {})
            previous: dict[str, Any] = metrics.get(change.metric) or {}
            metrics[change.metric] = {**previous, "value": float(value)}
        elif change.meets_targets:
            _meet_targets(journey, tp, specs)
        elif change.remove:
            _remove(tp, touchpoints, by_id)
            removed.add(change.touchpoint)
    changed = Journey.model_validate(data)
    changed._source = journey._source
    changed._spans = dict(journey._spans)
    return changed


def _check_form(change: Change) -> None:
    """A :class:`ScenarioError` unless the change's keys make one of the forms (as the loader checks a file's)."""
    from .value_check import _KINDS_TEXT

    said = {k: getattr(change, k) for k in change.model_fields_set}
    given = {k.rstrip("_") for k, v in said.items() if v is not None and v is not False and v != []}  # (0 is a value)
    forms = [{"add", "from", "share"}, {"from", "to", "share"}, {"touchpoint", "drop_off"},
             {"touchpoint", "metric", "value"}, {"touchpoint", "meets_targets"}, {"touchpoint", "remove"}]
    extras = {"next", "name", "cost"}
    if not any(form <= given and given - form <= (extras if "add" in form else set()) for form in forms):
        raise ScenarioError(f"a change needs the keys of one form, not {', '.join(sorted(given)) or 'none'} ({_KINDS_TEXT})")


def _set_drop_off(tp: dict[str, Any], drop_off: float) -> None:
    if tp.get("outcome"):
        raise ScenarioError(f"'{tp['id']}' is an outcome; customers end there, they do not drop off")
    shares = _resolved(tp)
    total = sum(shares.values())
    if total <= 0:
        if drop_off < 1:
            raise ScenarioError(f"'{tp['id']}' has no next flows, so every customer there leaves")
        return
    _write_flows(tp, {to: s * (1.0 - drop_off) / total for to, s in shares.items()})


def _meet_targets(journey: Journey, tp: dict[str, Any], specs: dict[str, Any]) -> None:
    from .analysis import _misses

    for name, entry in tp.get("metrics", {}).items():
        spec = specs.get(name)
        target = target_of(journey, tp["id"], name)
        if spec is None or spec.better is None or target is None:
            continue
        if _misses(float(entry["value"]), target, spec.better):
            entry["value"] = target
    if tp.get("outcome"):
        return
    shares = _resolved(tp)
    leave = max(0.0, 1.0 - sum(shares.values()))
    goal = drop_off_target(journey, tp["id"])
    goal = 0.0 if goal is None else goal
    if leave > goal and sum(shares.values()) > 0:
        _set_drop_off(tp, goal)


def _remove(tp: dict[str, Any], touchpoints: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> None:
    ident = tp["id"]
    if tp.get("outcome"):
        raise ScenarioError(f"'{ident}' is an outcome and cannot be removed")
    onward = {to: s for to, s in _resolved(tp).items() if to != ident}
    total = sum(onward.values())
    if total <= 0:
        raise ScenarioError(f"'{ident}' has no next flows, so its customers would have nowhere to go")
    if tp.get("entry"):
        raise ScenarioError(f"'{ident}' is where customers start; remove a later step")
    for other in touchpoints:
        if other is tp:
            continue
        shares = _resolved(other)
        if ident not in shares:
            continue
        through = shares.pop(ident)
        for to, s in onward.items():
            shares[to] = shares.get(to, 0.0) + through * s / total
        _write_flows(other, shares)
    touchpoints.remove(tp)
    del by_id[ident]
    for other in touchpoints:  # opportunities and personas may name it; flows are rewritten above
        if other.get("next"):
            other["next"] = [f for f in other["next"] if f["to"] != ident]


def parse_sets(texts: list[str], journey: Journey, warnings: list[str] | None = None) -> list[dict[str, Any]]:
    """Every ``--set``, each checked against the journey as the ones before it changed it (a share beside
    a flow an earlier one scaled, a touchpoint an earlier one removed); ``warnings``: :func:`parse_set`'s."""
    changes: list[dict[str, Any]] = []
    current = journey
    for index, text in enumerate(texts):
        change = parse_set(text, current, set(journey.touchpoint_by_id) - set(current.touchpoint_by_id), warnings)
        changes.append(change)
        if index < len(texts) - 1:
            current = apply_changes(current, [change])
    return changes


def scenario_changes(journey: Journey, scenario_id: str) -> Scenario:
    """The journey's scenario with this id; raises :class:`ScenarioError` with "did you mean"."""
    from .problems import did_you_mean

    for scenario in journey.scenarios:
        if scenario.id == scenario_id:
            return scenario
    known = [s.id for s in journey.scenarios]
    hint = did_you_mean(scenario_id, known) or (f"scenarios: {', '.join(known)}" if known else "the journey has no scenarios")
    raise ScenarioError(f"unknown scenario '{scenario_id}' ({hint})")


# -- before and after -----------------------------------------------------------------


@dataclass
class WhatIf:
    """A scenario's effect: the journey's figures before and after its changes."""

    scenario: str
    name: str
    before: Analysis
    after: Analysis
    changes: list[dict[str, Any]]

    @property
    def currency(self) -> str | None:
        return self.before.value.currency if self.before.value is not None else None

    @property
    def value_gained(self) -> float | None:
        """Value per period after minus before (None without a value model or a volume)."""
        b, a = self.before.value, self.after.value
        if b is None or a is None or b.per_period is None or a.per_period is None:
            return None
        return a.per_period - b.per_period

    @property
    def conversion_gained(self) -> float:
        return self.after.conversion - self.before.conversion

    @property
    def notes(self) -> list[str]:
        """What the changed journey's model notes that the journey's does not (a loop nobody leaves, say)."""
        notes = [
            f"{c['touchpoint']} has no {c['metric']} value: this change gives it one, which cannot make it less weak"
            for c in self.changes
            if "metric" in c and c.get("touchpoint") in self.before.touchpoints
            and c["metric"] not in self.before.touchpoints[c["touchpoint"]].metrics
        ]
        return notes + [n for n in self.after.notes if n not in self.before.notes]

    def to_json(self) -> dict[str, Any]:
        from .analysis import _r

        b, a = self.before, self.after
        bv, av = b.value, a.value
        before_weak, after_weak = list(b.weak), list(a.weak)
        return {
            "scenario": self.scenario,
            "name": self.name,
            "changes": self.changes,
            "conversion": {"before": _r(b.conversion), "after": _r(a.conversion)},
            "outcomes": {
                key: {"before": _r(b.outcomes.get(key, 0.0)), "after": _r(a.outcomes.get(key, 0.0))}
                for key in dict.fromkeys([*b.outcomes, *a.outcomes])
            },
            "expected_touchpoints": {"before": _r(b.expected_touchpoints), "after": _r(a.expected_touchpoints)},
            "cost_per_period": {
                "before": _r(bv.cost_per_period) if bv else None,
                "after": _r(av.cost_per_period) if av else None,
                "currency": self.currency,
            },
            "value_per_customer": {
                "before": _r(bv.per_customer) if bv else None,
                "after": _r(av.per_customer) if av else None,
                "currency": self.currency,
            },
            "value_per_period": {
                "before": _r(bv.per_period) if bv else None,
                "after": _r(av.per_period) if av else None,
                "currency": self.currency,
                "period": bv.period if bv else None,
            },
            "value_gained": _r(self.value_gained),
            "weak": {
                "before": before_weak,
                "after": after_weak,
                "no_longer_weak": [t for t in before_weak if t not in after_weak],
                "newly_weak": [t for t in after_weak if t not in before_weak],
            },
            "notes": self.notes,
        }


def what_if(journey: Journey, changes: list[Any], *, scenario: str = "command-line", name: str = "", before: Analysis | None = None) -> WhatIf:
    """The effect of ``changes`` on ``journey`` (the whole journey, every persona)."""
    from .analysis import analyze
    from .model import Change

    parsed = [c if isinstance(c, Change) else Change.model_validate(c) for c in changes]
    after = analyze(apply_changes(journey, parsed))
    return WhatIf(
        scenario=scenario,
        name=name or scenario,
        # (an analysis with data files, or a persona's, is not what 'after', the journey file's alone, compares with)
        before=before if before is not None and not before.from_data and before.persona is None else analyze(journey),
        after=after,
        changes=[c.model_dump(by_alias=True, exclude_defaults=True) for c in parsed],
    )


def what_ifs(journey: Journey, scenario_ids: list[str] | None = None) -> list[WhatIf]:
    """Every scenario of the journey (or those named), ranked by value gained per period
    (by conversion gained without a value model), ties in file order."""
    from .analysis import analyze

    before = analyze(journey)
    chosen = [scenario_changes(journey, s) for s in dict.fromkeys(scenario_ids)] if scenario_ids else list(journey.scenarios)
    results = [what_if(journey, s.changes, scenario=s.id, name=s.name, before=before) for s in chosen]
    order = {r.scenario: i for i, r in enumerate(results)}

    def rank(r: WhatIf) -> tuple[float, int]:
        # rounded: two scenarios ending at the same chain differ by float noise (1e-11), not in worth
        worth = round(r.value_gained, 6) if r.value_gained is not None else round(r.conversion_gained, 9)
        return -worth + 0.0, order[r.scenario]

    return sorted(results, key=rank)
