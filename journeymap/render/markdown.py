"""The Markdown report of an analysis: journey KPIs, weak touchpoints with reasons, stage funnel.

Used by ``journeymap report --format markdown`` and ``journeymap render --to md``;
it pastes into a pull request, a wiki or an issue as it is.

    >>> text = render_markdown(journeymap.analyze("sample_journeys/grocery-first-order.journey.yaml"))  # doctest: +SKIP
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .escape import TITLE_CHARACTERS, markdown_text, shorten

if TYPE_CHECKING:
    from ..analysis import Analysis


#: What may go into a code span as it is: an id (a slug), a metric name.
_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def percent(value: float) -> str:
    """``0.4112`` -> ``41.1%``."""
    return f"{value * 100:.1f}%"


def _cell(text: str) -> str:
    """Journey text that stays text in a paragraph, a list item or a table cell
    (:func:`journeymap.render.escape.markdown_text`)."""
    return markdown_text(text)


def _ours(text: str) -> str:
    """Figures and words journeymap wrote itself (no journey text): only a pipe could break the cell."""
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    """An id as a code span (our formatting); anything that is not a plain id as escaped text."""
    return f"`{text}`" if _PLAIN_ID.fullmatch(text) else markdown_text(text)


def who(analysis: Analysis) -> str:
    """``all personas`` or ``persona Busy parent (`busy-parent`)``."""
    if analysis.persona is None:
        return "all personas"
    persona = analysis.journey.persona_by_id.get(analysis.persona)
    name = persona.name if persona is not None else analysis.persona
    return f"persona {name} ({analysis.persona})"


def entries_text(analysis: Analysis) -> str:
    """``a 85.5%, b 14.5% (weighted by volume)``."""
    if not analysis.entries:
        return "none"
    parts = ", ".join(f"{e} {percent(w)}" for e, w in analysis.entries.items())
    how = {"volume": "weighted by volume", "equal": "weighted equally", "single": "the only entry"}
    return f"{parts} ({how[analysis.entry_weighting]})"


def outcomes_text(analysis: Analysis) -> str:
    """``success 30.4% · failure 1.3% · leave 68.4%`` (stuck only when some are)."""
    return " · ".join(
        f"{k} {percent(v)}" for k, v in analysis.outcomes.items() if k != "stuck" or v > 0
    )


def render_markdown(analysis: Analysis) -> str:
    """The Markdown report of ``analysis``."""
    journey = analysis.journey
    lines: list[str] = []
    add = lines.append
    add(f"# {_cell(shorten(journey.title, TITLE_CHARACTERS))}: weak touchpoints")
    add("")
    add(f"Journey {_code(journey.id)}, {_cell(who(analysis))}.")
    add("")
    add("| Journey KPI | Value |")
    add("|---|---|")
    add(f"| Conversion (ends in success) | {percent(analysis.conversion)} |")
    add(f"| Entries | {_cell(entries_text(analysis))} |")
    add(f"| Expected touchpoints per customer | {analysis.expected_touchpoints:.2f} |")
    if analysis.outcomes:
        add(f"| Where customers end | {outcomes_text(analysis)} |")
    from .whatif import fix_first_rows, sensitivity_sentences, value_kpis

    for label, text in value_kpis(analysis):
        add(f"| {_ours(label[0].upper() + label[1:])} | {_ours(text)} |")
    add(f"| Weak touchpoints | {len(analysis.weak)} of {len(analysis.touchpoints)} |")
    add("")
    by_money = analysis.value is not None
    add("## Weak touchpoints, " + (("most value at stake first" if analysis.value is not None and analysis.value.per_period is not None else "most value at stake per customer first") if by_money else "highest impact first"))
    add("")
    stakes = {t: m for t, m, _ in fix_first_rows(analysis)} if by_money else {}
    if not analysis.weak:
        add("None: no touchpoint misses a target, carries severe friction or pulls the emotion curve down.")
    else:
        add("| # | Touchpoint | Stage | Channel | Reach | Impact | Removal effect |" + (" At stake |" if by_money else "") + " Why |")
        add("|---:|---|---|---|---:|---:|---:|" + ("---:|" if by_money else "") + "---|")
        for rank, tp_id in enumerate(analysis.fix_first if by_money else analysis.weak, 1):
            result = analysis.touchpoints[tp_id]
            touchpoint = journey.touchpoint_by_id[tp_id]
            stage = journey.stage_by_id.get(result.stage)
            channel = journey.channel_by_id.get(result.channel)
            why = "<br>".join(_cell(r) for r in result.reasons)
            add(
                f"| {rank} | {_cell(shorten(touchpoint.name))} ({_code(tp_id)}) "
                f"| {_cell(shorten(stage.name) if stage else result.stage)} "
                f"| {_cell(shorten(channel.name) if channel else result.channel)} "
                f"| {percent(result.reach)} | {result.impact:.3f} | {percent(result.removal_effect)} |"
                + (f" {_ours(stakes.get(tp_id, '-'))} |" if by_money else "")
                + f" {why} |"
            )
    add("")
    add("Impact = reach x severity of the worst signal (friction s/5, emotion (2 - e)/4,")
    add("target miss 0.5-1 by how far it misses). Removal effect = share of conversions lost")
    add("if customers reaching the touchpoint left the journey there.")
    if by_money:
        add("At stake = value gained if the touchpoint's drop-off fell to its drop_off target")
        add("(nobody leaving there when it has none), its flows keeping their proportions.")
    sentences = sensitivity_sentences(analysis)
    if sentences:
        add("")
        add("## Where one point of drop-off is worth most")
        add("")
        for sentence in sentences:
            add(f"- {_cell(sentence)}")
    add("")
    add("## Stage funnel")
    add("")
    add("| Stage | Reach | Drop-off |")
    add("|---|---:|---:|")
    for stage_result in analysis.stages:
        stage = journey.stage_by_id.get(stage_result.id)
        add(
            f"| {_cell(shorten(stage.name) if stage else stage_result.id)} | {percent(stage_result.reach)} "
            f"| {percent(stage_result.drop_off)} |"
        )
    add("")
    add("Drop-off: share of the customers reaching a stage who neither reach a later stage nor end in success.")
    notes = [
        (tp_id, note)
        for tp_id, result in analysis.touchpoints.items()
        for note in [*result.notes, *result.overrides]
    ]
    if notes or analysis.notes:
        add("")
        add("## Notes")
        add("")
        for note in analysis.notes:
            add(f"- {_cell(note)}")
        for tp_id, note in notes:
            add(f"- {_code(tp_id)}: {_cell(note)}")
    from .voice import markdown_section

    lines += markdown_section(analysis, _cell)
    if analysis.events is not None:
        events = analysis.events
        add("")
        add("## Event log")
        add("")
        add(
            f"{events.customers} customers in {_cell(', '.join(events.files))}: {events.succeeded} succeeded,"
            f" {events.failed} failed, {events.left} left."
        )
        off = [f for f in events.flows if f.declared_share is None or abs(f.share - f.declared_share) >= 0.05]
        if off:
            add("")
            add("| Flow | Observed | Journey says |")
            add("|---|---:|---:|")
            for flow in off:
                declared = percent(flow.declared_share) if flow.declared_share is not None else "no such flow"
                add(
                    f"| {_code(flow.source)} -> {_code(flow.target)} | {percent(flow.share)} ({flow.count})"
                    f" | {declared} |"
                )
    if analysis.data_problems:
        add("")
        add("## Problems in the data files")
        add("")
        for problem in analysis.data_problems:
            add(f"- {_cell(str(problem))}")
    add("")
    return "\n".join(lines)
