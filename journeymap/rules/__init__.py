"""Lint: style and content rules for journeys that load without errors.

A format error stops a file from loading (``journeymap validate``); a lint
rule flags what loads fine but will mislead a reader or the analysis: a
touchpoint nobody reaches, a dead end, friction nobody can explain, a weak
touchpoint without an owner.

Each rule is a module in this package with ``ID`` (a slug, also the problem's
code), ``LEVEL`` (``warning`` or ``error``), optional ``CONF`` (option
defaults), a docstring whose first line is its summary and which shows a bad
and a good example, and ``check(journey, conf)``, a generator of problems.
:data:`RULES` lists them; :func:`lint` runs them.

>>> from journeymap import load, lint
>>> for problem in lint(load("sample_journeys/saas-onboarding.journey.yaml")):  # doctest: +SKIP
...     print(problem)
"""

from __future__ import annotations

import dataclasses
from types import ModuleType

from .._cycles import without_cycle_collection
from ..model import Journey
from ..problems import Problem, sort_problems
from . import (
    channel_unused,
    closed_loop,
    dead_end,
    duplicate_name,
    emotion_missing_on_main_path,
    empty_stage,
    entry_volume_missing,
    metric_without_target,
    no_success_outcome,
    persona_met_nowhere,
    shares_unaccounted,
    success_unreachable,
    undocumented_friction,
    unreachable_touchpoint,
    weak_without_owner,
)
from .config import ConfigFinder, LintConfig, config_from_data, read_config

#: Rule id -> rule module, in the order ``journeymap lint --list-rules`` shows them.
RULES: dict[str, ModuleType] = {
    rule.ID: rule
    for rule in (
        unreachable_touchpoint,
        success_unreachable,
        no_success_outcome,
        dead_end,
        closed_loop,
        shares_unaccounted,
        empty_stage,
        persona_met_nowhere,
        channel_unused,
        entry_volume_missing,
        emotion_missing_on_main_path,
        metric_without_target,
        weak_without_owner,
        undocumented_friction,
        duplicate_name,
    )
}

#: Loader warnings that a lint rule reports instead (so that turning the rule
#: off silences them, and nothing is said twice).
SUPERSEDED_LOADER_CODES = {"unreachable": "unreachable-touchpoint", "empty-stage": "empty-stage"}

__all__ = [
    "RULES",
    "SUPERSEDED_LOADER_CODES",
    "ConfigFinder",
    "LintConfig",
    "config_from_data",
    "lint",
    "read_config",
    "summary",
]


def summary(rule: ModuleType) -> str:
    """A rule's one-line summary: the first line of its docstring."""
    return (rule.__doc__ or "").strip().splitlines()[0].strip()


@without_cycle_collection
def lint(journey: Journey, config: LintConfig | None = None) -> list[Problem]:
    """Run every enabled rule on a loaded journey; problems sorted by position.

    ``config`` turns rules off, changes their level or their options
    (see :mod:`journeymap.rules.config`); None means every rule at its default.
    """
    config = config or LintConfig()
    problems: list[Problem] = []
    for rule in RULES.values():
        level, options = config.settings(rule)
        if level is None:
            continue
        for found in rule.check(journey, options):
            problems.append(dataclasses.replace(found, code=rule.ID, level=level))
    return sort_problems(problems)
