"""What-if results as text (the terminal) and Markdown: before, after and the change.

    >>> print(whatif_text(what_ifs(journeymap.load("sample_journeys/bank-account-opening.journey.yaml"))))  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .escape import one_line
from .markdown import _cell, _code, percent

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..metrics import MetricSpec
    from ..scenarios import WhatIf


def change_text(change: dict[str, Any], specs: dict[str, MetricSpec] | None = None) -> str:
    """A change in words: ``capture-id-document drop-off 15%``, ``plan-page -> checkout share 70%``,
    ``form csat at 90%`` (a metric on its scale, with ``specs``: the journey's metric catalogue)."""
    if "add" in change:
        return f"new touchpoint {change['add']} after {change['from']} ({percent(change['share'])} of its customers)"
    if "from" in change:
        return f"{change['from']} -> {change['to']} share {percent(change['share'])}"
    tp = change.get("touchpoint", "?")
    if "drop_off" in change:
        return f"{tp} drop-off {percent(change['drop_off'])}"
    if "metric" in change:
        value = change["value"]
        spec = (specs or {}).get(change["metric"])
        if value == "target":
            return f"{tp} {change['metric']} at its target"
        return f"{tp} {change['metric']} at {spec.format(float(value)) if spec is not None else f'{value:g}'}"
    if change.get("meets_targets"):
        return f"{tp} meets its targets"
    if change.get("remove"):
        return f"{tp} removed (its customers go on along its flows)"
    return str(change)


def _points(delta: float) -> str:
    points = delta * 100
    return f"{points:+.1f} pts" if abs(points) >= 0.05 else "0.0 pts"


def _money(amount: float | None, currency: str | None, *, sign: bool = False) -> str:
    from ..value import money

    if amount is None or currency is None:
        return "-"
    return money(amount, currency, sign=sign)


def _rows(result: WhatIf) -> list[tuple[str, str, str, str]]:
    """(figure, before, after, change) for each line of the comparison."""
    from ..value import PERIOD_WORD

    b, a = result.before, result.after
    rows = [("conversion", percent(b.conversion), percent(a.conversion), _points(a.conversion - b.conversion))]
    for key in dict.fromkeys([*b.outcomes, *a.outcomes]):
        before, after = b.outcomes.get(key, 0.0), a.outcomes.get(key, 0.0)
        if key == "stuck" and before == 0 and after == 0:
            continue
        rows.append((f"  ends: {key}", percent(before), percent(after), _points(after - before)))
    rows.append(
        (
            "expected touchpoints",
            f"{b.expected_touchpoints:.2f}",
            f"{a.expected_touchpoints:.2f}",
            f"{a.expected_touchpoints - b.expected_touchpoints:+.2f}",
        )
    )
    bv, av = b.value, a.value
    if bv is not None and av is not None:
        c = bv.currency
        if bv.per_period is not None and av.per_period is not None and bv.cost_per_period is not None and av.cost_per_period is not None:
            word = PERIOD_WORD[bv.period]
            rows.append((f"cost {word}", _money(bv.cost_per_period, c), _money(av.cost_per_period, c), _money(av.cost_per_period - bv.cost_per_period, c, sign=True)))
            rows.append((f"value {word}", _money(bv.per_period, c), _money(av.per_period, c), _money(av.per_period - bv.per_period, c, sign=True)))
        rows.append(("value per customer", _money(bv.per_customer, c), _money(av.per_customer, c), _money(av.per_customer - bv.per_customer, c, sign=True)))
    return rows


def _weak_lines(result: WhatIf) -> list[str]:
    before, after = result.before.weak, result.after.weak
    gone = [t for t in before if t not in after]
    new = [t for t in after if t not in before]
    lines = []
    if gone:
        lines.append(f"no longer weak: {', '.join(gone)}")
    if new:
        lines.append(f"newly weak: {', '.join(new)}")
    if not lines:
        lines.append(f"unchanged ({len(before)})")
    return lines


def _ranking_word(results: list[WhatIf]) -> str:
    from ..value import PERIOD_WORD

    value = results[0].before.value if results else None
    if value is not None and value.per_period is not None:
        return f"by value gained {PERIOD_WORD[value.period]}"
    return "by conversion gained"


def _value_note(results: list[WhatIf]) -> str | None:
    """Why the figures stop short of money: no value model, or no volume (None when neither)."""
    value = results[0].before.value
    if value is None:
        return "no value model: conversion only (add 'value: {currency: EUR, volume: ..., outcomes: {success: ...}}' for cost and value)"
    if value.per_period is None and value.volume_source == "too-large":
        return "value per customer only: the entries' volumes add up to more than journeymap computes with (1e15)"
    if value.per_period is None:
        return "no volume: value per customer only (set value.volume, or a volume on every entry)"
    return None


def whatif_text(results: list[WhatIf]) -> str:
    """The terminal report: each scenario's figures before and after, best scenario first."""
    from ..metrics import catalogue

    out: list[str] = []
    if not results:
        return "No scenarios: add some under 'scenarios:' in the journey, or give changes with --set (TOUCHPOINT.drop_off=0.15, say).\n"
    journey = results[0].before.journey
    out.append(f"{one_line(journey.title)} ({journey.id}): what if")
    if (note := _value_note(results)) is not None:
        out.append(note)
    if len(results) > 1:
        out.append(f"{len(results)} scenarios, {_ranking_word(results)}")
    for rank, result in enumerate(results, 1):
        out.append("")
        title = one_line(result.name)
        head = f"{rank}. {result.scenario}" if len(results) > 1 else result.scenario
        out.append(f"{head}: {title}" if title != result.scenario else head)
        specs = catalogue(result.before.journey.metrics)
        for change in result.changes:
            out.append(f"   - {one_line(change_text(change, specs))}")
        rows = _rows(result)
        width = max(len(r[0]) for r in rows)
        cols = [max(len("before"), *(len(r[i]) for r in rows)) for i in (1, 2, 3)]
        out.append(f"   {'':<{width}}  {'before':>{cols[0]}}  {'after':>{cols[1]}}  {'change':>{cols[2]}}")
        for name, before, after, delta in rows:
            out.append(f"   {name:<{width}}  {before:>{cols[0]}}  {after:>{cols[1]}}  {delta:>{cols[2]}}")
        out.append(f"   weak touchpoints: {'; '.join(_weak_lines(result))}")
        for note in result.notes:
            out.append(f"   note: {one_line(note)}")
    out.append("")
    return "\n".join(out)


def whatif_markdown(results: list[WhatIf]) -> str:
    """The Markdown report: a table per scenario, best scenario first."""
    from ..metrics import catalogue

    if not results:
        return "No scenarios: add some under `scenarios:` in the journey, or give changes with `--set` (`TOUCHPOINT.drop_off=0.15`, say).\n"
    journey = results[0].before.journey
    lines = [f"# {_cell(journey.title)}: what if", ""]
    if (note := _value_note(results)) is not None:
        lines += [_cell(note[0].upper() + note[1:] + "."), ""]
    if len(results) > 1:
        lines += [f"{len(results)} scenarios of {_code(journey.id)}, {_ranking_word(results)}.", ""]
    for rank, result in enumerate(results, 1):
        prefix = f"{rank}. " if len(results) > 1 else ""
        lines.append(f"## {prefix}{_cell(one_line(result.name))} ({_code(result.scenario)})")
        lines.append("")
        specs = catalogue(result.before.journey.metrics)
        for change in result.changes:
            lines.append(f"- {_cell(change_text(change, specs))}")
        lines.append("")
        lines.append("| | Before | After | Change |")
        lines.append("|---|---:|---:|---:|")
        for name, before, after, delta in _rows(result):
            lines.append(f"| {_cell(name.strip())} | {before} | {after} | {delta} |")
        lines.append("")
        lines.append("Weak touchpoints: " + "; ".join(_cell(line) for line in _weak_lines(result)) + ".")
        lines.append("")
        for note in result.notes:
            lines += [f"Note: {_cell(one_line(note))}.", ""]
    return "\n".join(lines)


def fix_first_rows(analysis: Analysis) -> list[tuple[str, str, str]]:
    """(touchpoint, value at stake, conversion gained) of the fix-first list (for reports)."""
    rows = []
    value = analysis.value
    for tp in analysis.fix_first:
        stake = analysis.touchpoints[tp].value_at_stake
        if stake is None:
            continue
        amount = stake.value_per_period if stake.value_per_period is not None else stake.value_per_customer
        currency = value.currency if value is not None else None
        rows.append((tp, _money(amount, currency, sign=True), _points(stake.conversion_after - stake.conversion_before)))
    return rows


def value_kpis(analysis: Analysis) -> list[tuple[str, str]]:
    """(label, text) of the value figures for the report's KPI block; empty without a value model."""
    from ..value import PERIOD_WORD, money

    value = analysis.value
    if value is None:
        return []
    word = PERIOD_WORD[value.period]
    rows = [("value per customer", money(value.per_customer, value.currency))]
    if value.per_period is not None and value.cost_per_period is not None and value.volume is not None:
        source = {"value.volume": "value.volume", "entries": "the entries' volumes"}.get(value.volume_source, value.volume_source)
        persona = analysis.journey.persona_by_id.get(analysis.persona) if analysis.persona is not None else None
        if persona is not None and persona.share is not None:
            source += f" × persona {analysis.persona}'s share {persona.share * 100:g}%"
        rows.append((f"value {word}", f"{money(value.per_period, value.currency)} ({value.volume:,.0f} customers {word}, from {source})"))
        rows.append((f"cost {word}", money(value.cost_per_period, value.currency)))
    else:
        rows.append(("value per period", f"unknown: {_no_volume(analysis)}"))
    return rows


def _no_volume(analysis: Analysis) -> str:
    """Why there are no figures per period: no volume, or entries' volumes too large to compute with."""
    from ..value import LARGEST

    if analysis.value is not None and analysis.value.volume_source == "no-share":
        return f"persona {analysis.persona} has no share (give it share: 0.4, say: its part of the customers)"
    if analysis.value is not None and analysis.value.volume_source == "too-large":
        total = sum(float(m.value) for e in analysis.entries if (m := analysis.journey.touchpoint_by_id[e].metrics.get("volume")) is not None)
        return f"the entries' volumes add up to {total:g}, more than journeymap computes with ({LARGEST:.0e})".replace("e+15", "e15")
    return "no volume (set value.volume, or a volume on every entry)"


def sensitivity_sentences(analysis: Analysis, limit: int = 5) -> list[str]:
    """"1 point less drop-off at X is worth +0.4 points of conversion (£12,300 a month)" for the
    touchpoints where one point matters most (by value, or by conversion without a volume)."""
    from ..value import PERIOD_WORD, money

    value = analysis.value
    if value is None:
        return []
    ranked = []
    for tp, result in analysis.touchpoints.items():
        s = result.sensitivity
        if s is None or s.drop_off_conversion is None:
            continue
        leave = analysis.graph.leave(tp)
        if leave < 0.01 - 1e-12:
            continue  # one point less is not possible
        if result.reach <= 0:
            continue  # nobody is there: a point less is worth nothing
        gain = -(s.drop_off_value_per_period if s.drop_off_value_per_period is not None else s.drop_off_value_per_customer or 0.0) / 100
        ranked.append((-round(gain, 6), list(analysis.touchpoints).index(tp), tp, -s.drop_off_conversion, gain))
    ranked.sort()
    sentences = []
    word = PERIOD_WORD[value.period] if value.per_period is not None else "per customer"
    for _, _, tp, points, gain in ranked[:limit]:
        sentences.append(
            f"1 point less drop-off at {tp} is worth {points:+.2f} points of conversion"
            f" ({money(gain, value.currency, sign=True)} {word})"
        )
    return sentences
