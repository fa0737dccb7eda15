"""The Markdown report of an analysis: journey KPIs, weak touchpoints with reasons, stage funnel.

Used by ``journeymap report --format markdown`` and ``journeymap render --to md``;
it pastes into a pull request, a wiki or an issue as it is.

    >>> text = render_markdown(journeymap.analyze("sample_journeys/grocery-first-order.journey.yaml"))  # doctest: +SKIP
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .escape import TITLE_CHARACTERS, github_inert, markdown_text, shorten

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..analysis import Analysis
    from ..data import Deviation, EventSummary, ObservedFlow


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


def data_text(text: str) -> str:
    """Text from a data file (a customer id, an unknown touchpoint) made inert in Markdown.

    Every ASCII punctuation mark is backslash-escaped (CommonMark allows it for
    all of them), so no emphasis, link, HTML or table syntax can start. An ``@``
    that could start a mention (not after a letter, digit or ``_``: ``@jsmith``,
    not ``ann@example.com``) is followed by a zero-width space, as in journey text
    (:func:`~journeymap.render.escape.markdown_text`): GitHub finds mentions in the
    rendered text, where ``\\@jsmith`` is ``@jsmith`` again; so is a ``#`` before a
    digit (an order number as a customer id, ``#1001``), which GitHub links to that
    issue or pull request, and so are ``GH-12``, a hex id (``deadbeef1``: a commit),
    ``www.`` and ``scheme://`` (:func:`~journeymap.render.escape.github_inert`).

    >>> data_text("@jsmith, ann@example.com")
    '\\\\@&#8203;jsmith\\\\, ann\\\\@example\\\\.com'
    """
    from ..data.engines.rows import shown

    text = shown(text)
    text = "".join(f"\\{c}" if c in _PUNCTUATION else c for c in text).replace("<", "&lt;")
    if "#" in text:
        text = _REFERENCE.sub(r"\\#&#8203;", text)
    if "@" in text:
        text = _MENTION.sub(r"\\@&#8203;", text)
    return github_inert(text)


_PUNCTUATION = set("!\"#$%&'()*+,-./:;=>?@[\\]^_`{|}~")
#: An ``@`` where GitHub may read a mention: not after a letter, a digit or ``_`` (an e-mail address).
_MENTION = re.compile(r"(?<![A-Za-z0-9_])\\@")
#: A ``#`` before a digit: ``#1001`` is an issue or pull request on GitHub.
_REFERENCE = re.compile(r"\\#(?=[0-9])")


def duration(seconds: float | None) -> str:
    """``75`` -> ``1m 15s``; ``93784`` -> ``1d 2h``: the two largest units."""
    if seconds is None:
        return "-"
    sign = "-" if seconds < 0 else ""
    left = round(abs(seconds))
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if left >= size or (unit == "s" and not parts):
            parts.append(f"{left // size}{unit}")
            left %= size
    return sign + " ".join(parts[:2])


DEVIATION_LABELS = {
    "conforming": ("conforming", "every step a declared flow from an entry, nothing required skipped, ended in success"),
    "ad_hoc": ("ad hoc", "met a touchpoint the journey does not have"),
    "out_of_sequence": ("out of sequence", "took a flow the journey does not declare, or started past an entry"),
    "missing": ("missing", "skipped a touchpoint every declared path to where they went requires"),
    "failing": ("failing", "ended in failure or left"),
}
HANDOFF_CONFORMING = ("conforming", "every step a declared flow from an entry, nothing required skipped,"
                      " ended in success or went on into another journey")
"""The conforming customers of a journey with flows into other journeys: the customers who take one end
in the outcome ``handoff`` (not failing; see :mod:`journeymap.data.engines`)."""


def deviation_label(kind: str, analysis: Analysis) -> tuple[str, str]:
    """(label, meaning) of a conformance type, for the journey of ``analysis``."""
    from ..links import has_links

    if kind == "conforming" and has_links(analysis.journey):
        return HANDOFF_CONFORMING
    return DEVIATION_LABELS[kind]


def incomplete_text(analysis: Analysis, file_text: Callable[[str], str], where: str = "") -> str | None:
    """``1 error in the data files (export.csv)``... of a report whose data files have errors, the files as
    ``file_text`` writes them, ``where`` after them (where the errors are listed); None for a complete report
    (:attr:`Analysis.complete`). The report is printed all the same (the rest of the data is read): this says, at its
    top, that it is not the whole data's."""
    errors = [p for p in analysis.data_problems if p.is_error]
    if not errors:
        return None
    files = list(dict.fromkeys(p.span.file for p in errors if p.span.file))
    shown_files = ", ".join(file_text(f) for f in files[:3]) + (f" and {len(files) - 3:,} more" if len(files) > 3 else "")
    what = "it names" if len(errors) == 1 else "they name"
    return (f"{len(errors):,} error{'s' * (len(errors) > 1)} in the data files" + (f" ({shown_files})" if files else "")
            + where + f": what {what} was not read, and the figures below leave it out")


def ended_text(events: EventSummary, analysis: Analysis) -> str:
    """``50 succeeded, 0 failed, 20 left``, and ``, 30 went on into another journey`` for a journey with
    flows into other journeys (the observed ``handoff`` outcome)."""
    from ..links import has_links

    text = f"{events.succeeded:,} succeeded, {events.failed:,} failed, {events.left:,} left"
    if has_links(analysis.journey) or events.handed_off:
        text += f", {events.handed_off:,} went on into another journey"
    return text


def deviation_text(kind: str, source: str | None, target: str | None, *, markup: bool = False) -> str:
    """``out of sequence: browse -> paid``, in words for each CJML deviation type."""

    def name(text: str | None) -> str:
        text = text or ""
        if not markup:
            return shown_text(text)
        safe = text.isprintable() and "`" not in text and "|" not in text
        return _code(text) if safe and text else data_text(text)

    if kind == "ad_hoc":
        return f"ad hoc: {name(target)}" + (f" after {name(source)}" if source else " first")
    if kind == "out_of_sequence":
        return f"out of sequence: {name(source)} -> {name(target)}" if source else f"out of sequence: started at {name(target)}"
    if kind == "missing":
        return f"missing: {name(target)} skipped before {name(source)}"
    return f"failing: ended at {name(source)}"


def top_deviations(deviations: Sequence[Deviation], each: int = 3) -> list[Deviation]:
    """The first ``each`` deviations of every type (they come most customers first), by type."""
    order = list(DEVIATION_LABELS)
    found = [d for kind in order for d in [x for x in deviations if x.type == kind][:each]]
    return found


def shown_text(text: str) -> str:
    from ..data.engines.rows import shown

    return shown(text)


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


def flows_off(analysis: Analysis, limit: int | None = None) -> list[ObservedFlow]:
    """The log's flows 5 points or more off the model's shares, between the journey's touchpoints (and
    its declared flows into other journeys), in journey order (largest gaps first with ``limit``): a
    flow the journey lacks counts as 0% declared, a declared one nobody took as 0% taken (an undeclared
    1.3% flow was listed as off, pushing out larger gaps, and a declared 60% nobody took was not)."""
    events = analysis.events
    if events is None:
        return []
    known = analysis.journey.touchpoint_by_id
    off = [
        f for f in events.flows
        if f.source in known and (f.target in known or f.declared_share is not None)
        and abs(f.share - (f.declared_share or 0.0)) >= 0.05
    ]
    if limit is not None:
        off = sorted(off, key=lambda f: -abs(f.share - (f.declared_share or 0.0)))[:limit]
    return off


def render_markdown(analysis: Analysis) -> str:
    """The Markdown report of ``analysis``."""
    journey = analysis.journey
    lines: list[str] = []
    add = lines.append
    add(f"# {_cell(shorten(journey.title, TITLE_CHARACTERS))}: weak touchpoints")
    add("")
    if (incomplete := incomplete_text(analysis, _cell)) is not None:
        add(f"> **Incomplete:** {incomplete}"
            " (see [Problems in the data files](#problems-in-the-data-files)).")
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
        if not events.files and not analysis.complete:  # no file of the log read: its errors say why
            add("Not read: see the problems in the data files.")
        else:
            add(
                f"{events.customers:,} customer{'s' * (events.customers != 1)} in {_cell(', '.join(events.files))}:"
                f" {ended_text(events, analysis)}."
            )
        off = flows_off(analysis)
        if off:
            add("")
            add("| Flow | Observed | Journey says | Median time | p90 time |")
            add("|---|---:|---:|---:|---:|")
            for flow in off:
                declared = percent(flow.declared_share) if flow.declared_share is not None else "no such flow"
                add(
                    f"| {deviation_text('out_of_sequence', flow.source, flow.target, markup=True)[17:]}"
                    f" | {percent(flow.share)} ({flow.count:,}) | {declared}"
                    f" | {duration(flow.median_seconds)} | {duration(flow.p90_seconds)} |"
                )
        lines.extend(planned_vs_actual_markdown(analysis))
    if analysis.data_problems:
        add("")
        add("## Problems in the data files")
        add("")
        for problem in analysis.data_problems:
            add(f"- {_cell(str(problem))}")
    add("")
    return "\n".join(lines)


def planned_vs_actual_markdown(analysis: Analysis) -> list[str]:
    """The "Planned vs actual" section: conformance, top deviations, per segment and period."""
    from ..data.events import by_period, by_segment

    events = analysis.events
    if events is None or not events.customers or events.conformance is None:
        return []
    out = ["", "## Planned vs actual", ""]
    out.append(
        f"Observed conversion {percent(events.conversion_observed or 0.0)} next to the model's"
        f" {percent(analysis.conversion)}, over {events.customers:,} customer{'s' * (events.customers != 1)}"
        f" ({events.rows:,} events, read by {events.engine})."
    )
    out += ["", "| Customers | Share | Meaning |", "|---|---:|---|"]
    for kind, share in events.conformance.items():
        label, meaning = deviation_label(kind, analysis)
        out.append(f"| {label} | {percent(share)} | {meaning} |")
    if events.deviations:
        out += ["", "| Top deviations of each type | Customers | For example |", "|---|---:|---|"]
        for d in top_deviations(events.deviations):
            examples = ", ".join(data_text(e) for e in d.examples)
            out.append(f"| {deviation_text(d.type, d.source, d.target, markup=True)} | {d.customers:,} | {examples} |")
    tables = []
    segments = by_segment(events.cohorts)
    if any(b.label for b in segments):
        tables.append(("Segment", segments))
    if events.period:
        tables.append((events.period.capitalize(), by_period(events.cohorts, events.period)))
    for title, rows in tables:
        out += ["", f"| {title} | Customers | Conversion | Conforming | Ad hoc | Out of sequence | Missing | Failing |",
                "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for b in rows:
            shares = " | ".join(percent(b.conformance[k] / b.customers) for k in DEVIATION_LABELS)
            out.append(f"| {data_text(b.label) or '(none)'} | {b.customers:,} | {percent(b.conversion_observed or 0.0)} | {shares} |")
    return out
