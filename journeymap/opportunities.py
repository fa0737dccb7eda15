"""Opportunities as first-class items: what each one is worth, for how much effort, ranked.

An opportunity's effect is its scenario (``scenario: ID``) or its inline
``changes``; what it is worth is that scenario's value gained per period (per
customer without a volume; conversion gained without a value model). Effort is
person-days, or a T-shirt size read as days (:data:`journeymap.value.EFFORT_DAYS`).
Ranked by value per person-day; opportunities without an effect or an effort
come last, in file order. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import Analysis
    from .model import Journey, Opportunity


@dataclass(frozen=True)
class OpportunityResult:
    id: str
    name: str
    touchpoints: list[str]
    status: str
    effort: str | None
    """As written: ``M`` or ``12`` (person-days)."""
    effort_days: float | None
    link: str | None
    owner: str | None
    scenario: str | None
    """The scenario it refers to (None for inline changes or none)."""
    has_effect: bool
    conversion_gained: float | None
    value_gained: float | None
    """Value gained per period (per customer without a volume); None without a value model or an effect."""
    per_period: bool
    """Whether ``value_gained`` is per period (else per customer)."""

    @property
    def worth(self) -> float | None:
        """What ranks it: value gained, or conversion gained without a value model."""
        return self.value_gained if self.value_gained is not None else self.conversion_gained

    @property
    def worth_per_day(self) -> float | None:
        if self.worth is None or not self.effort_days:
            return None
        return self.worth / self.effort_days

    def to_json(self) -> dict[str, Any]:
        from .analysis import _r

        return {
            "id": self.id,
            "name": self.name,
            "touchpoints": list(self.touchpoints),
            "status": self.status,
            "effort": self.effort,
            "effort_days": _r(self.effort_days),
            "scenario": self.scenario,
            "conversion_gained": _r(self.conversion_gained),
            "value_gained": _r(self.value_gained),
            "value_per_effort_day": _r(self.worth_per_day),
            "link": self.link,
            "owner": self.owner,
        }


def effort_days(opportunity: Opportunity) -> float | None:
    from .value import EFFORT_DAYS

    effort = opportunity.effort
    if effort is None:
        return None
    if isinstance(effort, str):
        return EFFORT_DAYS[effort]
    return float(effort)


def assess_opportunities(journey: Journey, before: Analysis | None = None) -> list[OpportunityResult]:
    """Every opportunity of the journey, best value per effort first (see the module's docstring)."""
    from .analysis import analyze
    from .scenarios import what_if

    if not journey.opportunities:
        return []
    # the scenario's 'after' is the journey file's alone: so must its 'before' be (a map drawn with data files
    # weighs entries and values by them)
    before = before if before is not None and before.persona is None and not before.from_data else analyze(journey)
    scenarios = {s.id: s for s in journey.scenarios}
    results = []
    for opportunity in journey.opportunities:
        changes = list(scenarios[opportunity.scenario].changes) if opportunity.scenario in scenarios else list(opportunity.changes)
        conversion = value = None
        per_period = False
        if changes:
            effect = what_if(journey, changes, scenario=opportunity.id, before=before)
            conversion = effect.conversion_gained
            value = effect.value_gained
            per_period = value is not None
            if value is None and before.value is not None and effect.after.value is not None:
                value = effect.after.value.per_customer - before.value.per_customer
        results.append(
            OpportunityResult(
                id=opportunity.id,
                name=opportunity.name,
                touchpoints=list(opportunity.touchpoints),
                status=opportunity.status,
                effort=None if opportunity.effort is None else str(opportunity.effort) if isinstance(opportunity.effort, str) else f"{opportunity.effort:g}",
                effort_days=effort_days(opportunity),
                link=opportunity.link,
                owner=opportunity.owner,
                scenario=opportunity.scenario,
                has_effect=bool(changes),
                conversion_gained=conversion,
                value_gained=value,
                per_period=per_period,
            )
        )
    order = {r.id: i for i, r in enumerate(results)}

    def rank(r: OpportunityResult) -> tuple[int, float, int]:
        per_day = r.worth_per_day
        return (0 if per_day is not None else 1, -round(per_day, 9) if per_day is not None else 0.0, order[r.id])

    return sorted(results, key=rank)
