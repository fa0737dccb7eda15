"""The voice of the customer in the reports: intervals, trends and verbatims.

The text report (``journeymap report``) and the Markdown report share these
rows; each renderer lays them out. Only metrics that carry an interval or a
series appear (values written in the journey file have neither), and only
touchpoints with comments get a verbatims entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .escape import one_line, shorten

#: A phrase is cut to this many characters where it is laid out (a chip on the card, the reports' phrases):
#: two customers' pasted token ('eyJhbGciOi... expired', 300-odd characters) made a chip hundreds of pixels
#: tall. Three words of a language run to 40 or so.
PHRASE_CHARACTERS = 60


def phrase_text(phrase: str) -> str:
    """A phrase as the reports lay it out: on one line, cut to :data:`PHRASE_CHARACTERS` with an ellipsis."""
    return shorten(phrase, PHRASE_CHARACTERS)

if TYPE_CHECKING:
    from ..analysis import Analysis, MetricStatus


@dataclass(frozen=True)
class VoiceRow:
    touchpoint: str
    metric: str
    value: str
    ci: str
    n: str
    trend: str
    last: str
    """Whether the change over the last period is significant: ``significant``, ``not significant`` or ``–``."""
    only: str | None = None
    """The period of a value from one period (a data file's label, shown as ``2026-01 only`` in the trend
    column): a persona's January beside everyone's June read as this month's, with ``–`` for its trend."""
    whose: str | None = None
    """In a persona's view, whose value it is: ``own`` (the persona's answers or rows) or ``everyone's``
    (the data has none of the persona's own there); None in everyone's view."""


def score_text(value: float) -> str:
    """A sentiment score with its sign, two decimals; a score that rounds to zero is ``+0.00``, never ``-0.00``.

    >>> score_text(-0.001), score_text(-0.456)
    ('+0.00', '-0.46')
    """
    text = f"{value:+.2f}"
    return "+0.00" if text == "-0.00" else text


def trend_text(m: MetricStatus) -> str:
    """``58% → 63% over 2 quarters, rising (better)`` without the metric's label, or ``–``."""
    if not m.verdict:
        return "–"
    prefix = m.label.split(" (")[0] + " "
    return m.verdict[len(prefix):] if m.verdict.startswith(prefix) else m.verdict


def voice_rows(analysis: Analysis) -> list[VoiceRow]:
    """One row per metric with an interval, a series of two periods or more, or a reason for having no
    interval, in journey order."""
    rows = []
    for tp_id, result in analysis.touchpoints.items():
        for m in result.metrics.values():
            # a series of one period without an interval (a metrics table's one row) says nothing the chips do not
            if m.ci is None and len(m.series) < 2 and m.ci_note is None:
                continue
            last = "–" if m.significant_change is None else "significant" if m.significant_change else "not significant"
            rows.append(
                VoiceRow(
                    tp_id,
                    one_line(m.label),
                    m.text,
                    m.ci_text or "–",
                    f"{m.n:,}" if m.n is not None else "–",
                    trend_text(m),
                    last,
                    m.series[0].period if not m.verdict and len(m.series) == 1 and m.series[0].period else None,
                    whose_text(analysis, m),
                )
            )
    return rows


def whose_text(analysis: Analysis, m: MetricStatus) -> str | None:
    """In a persona's view, ``own`` for the persona's own value and ``everyone's`` for everyone's; None in
    everyone's view."""
    if analysis.persona is None:
        return None
    return "own" if m.persona == analysis.persona else "everyone's"


def whose_note(analysis: Analysis) -> str | None:
    """The line under a persona's table saying what ``everyone's`` means, or None."""
    if analysis.persona is None:
        return None
    return (f"whose: own = the answers or rows of persona '{analysis.persona}'; everyone's = the data has none of"
            " this persona's own there, so everyone's value is shown")


#: Touchpoints named per reason in the "no interval" notes; the rest are counted.
NAMED = 5


def no_interval_notes(analysis: Analysis, name: Callable[[str], str] = str) -> list[str]:
    """Why values with an ``n`` have no interval, one line per reason (its count and the
    first few touchpoints): ``no 95% CI: a mean needs ... — 2 values: CES at a, CES at b``."""
    by_note: dict[str, list[str]] = {}
    for tp_id, result in analysis.touchpoints.items():
        for m in result.metrics.values():
            if m.ci_note:
                by_note.setdefault(m.ci_note, []).append(f"{name(one_line(m.label.split(' (')[0]))} at {tp_id}")
    lines = []
    for note, where in by_note.items():
        more = f", and {len(where) - NAMED:,} more" if len(where) > NAMED else ""
        lines.append(f"{note} — {len(where):,} value{'s' * (len(where) != 1)}: {', '.join(where[:NAMED])}{more}")
    return lines


def over_periods(analysis: Analysis, touchpoint: str) -> bool:
    """Whether a touchpoint's values are its latest period's, beside comments over every period (a
    metric with a series of two periods or more): "Sentiment +0.09" (May) beside "392 comments,
    sentiment +0.15" (all months) read as two sentiments of one thing."""
    result = analysis.touchpoints.get(touchpoint)
    return result is not None and any(len(m.series) > 1 for m in result.metrics.values())


def text_section(analysis: Analysis) -> list[str]:
    """The text report's lines (empty when no metric has an interval or a series)."""
    rows = voice_rows(analysis)
    out: list[str] = []
    if rows:
        header = VoiceRow("touchpoint", "metric", "value", "95% CI", "n", "trend", "last period",
                          whose="whose" if analysis.persona is not None else None)
        widths = [max(len(getattr(r, f)) for r in [header, *rows]) for f in ("touchpoint", "metric", "value", "ci", "n")]
        whose_width = max(len(r.whose or "") for r in [header, *rows])
        out += ["", "Survey metrics: 95% confidence intervals and trends"]
        for r in [header, *rows]:
            out.append(
                f"  {r.touchpoint:<{widths[0]}}  {r.metric:<{widths[1]}}  {r.value:>{widths[2]}}  {r.ci:<{widths[3]}}"
                f"  {r.n:>{widths[4]}}  " + (f"{r.whose:<{whose_width}}  " if r.whose is not None else "")
                + f"{f'{one_line(r.only)} only' if r.only else r.trend}"
                + (f" · last period {r.last}" if r is not header and r.last != "–" else "")
            )
        if (note := whose_note(analysis)) is not None:
            out.append(f"  {note}")
        out += [f"  {line}" for line in no_interval_notes(analysis)]
    said = [(t, r.verbatims) for t, r in analysis.touchpoints.items() if r.verbatims is not None]
    if said:
        out += ["", "What customers say"]
        for tp_id, v in said:
            assert v is not None
            mood = f", sentiment {score_text(v.sentiment)}" if v.sentiment is not None else ""
            span = " over all periods" if over_periods(analysis, tp_id) else ""
            out.append(f"  {tp_id}: {v.comments:,} comment{'s' * (v.comments != 1)}{span}{mood}")
            if v.phrases:
                out.append("    phrases: " + ", ".join(f'"{phrase_text(p)}" ({c:,})' for p, c in v.phrases))
            for q in v.quotes:
                score = f", {score_text(q.sentiment)}" if q.sentiment is not None else ""
                out.append(f'    "{one_line(q.text)}" ({q.kind}{score})')
    return out


def markdown_section(analysis: Analysis, cell: object) -> list[str]:
    """The Markdown report's sections; ``cell`` escapes text for a table cell."""
    from typing import cast

    table_cell = cast(Callable[[str], str], cell)

    def esc(text: str) -> str:
        return table_cell(one_line(text))

    def ours(text: str) -> str:  # figures journeymap wrote: only a pipe could break the cell
        return one_line(text).replace("|", "\\|")

    rows = voice_rows(analysis)
    out: list[str] = []
    if rows:
        out += ["", "## Survey metrics: confidence and trends", ""]
        mine = analysis.persona is not None
        out.append("| Touchpoint | Metric | Value | 95% CI | n |" + (" Whose |" if mine else "") + " Trend | Last period |")
        out.append("|---|---|---:|---|---:|" + ("---|" if mine else "") + "---|---|")
        for r in rows:
            out.append(
                f"| `{r.touchpoint}` | {esc(r.metric)} | {ours(r.value)} | {ours(r.ci)} | {r.n}"
                + (f" | {ours(r.whose or '')}" if mine else "")
                + f" | {f'{esc(r.only)} only' if r.only else ours(r.trend)} | {r.last} |"
            )
        out += [
            "",
            "Rising or falling only when the slope of a line through every period is significant at 5%",
            "(weighted by each period's sampling precision; for values without an n, ordinary least",
            "squares over three or more periods), otherwise flat. \"Last period\" tests the last change with",
            "the metric's own test (shares such as CSAT: two-proportion z, or Fisher's exact test when a cell's",
            "expected count is under 5; NPS: the difference over its standard error, or its exact permutation",
            "test when a cell's expected count is under 5; means: Welch's t; a period",
            "whose answers are all alike is tested with both periods' answers taken together). 95% CI:",
            "Wilson for shares, the NPS difference's own standard error, t for means; a metrics-table row",
            "needs its n (and for NPS its promoter and detractor shares, for a mean its sd).",
        ]
        if (note := whose_note(analysis)) is not None:
            out += ["", esc(note[0].upper() + note[1:]) + "."]
        notes = no_interval_notes(analysis, esc)
        if notes:
            out.append("")
            out += [f"- {line}" for line in notes]
    said = [(t, r.verbatims) for t, r in analysis.touchpoints.items() if r.verbatims is not None]
    if said:
        out += ["", "## What customers say", ""]
        out.append("| Touchpoint | Comments | Sentiment | Distinctive phrases | Quotes |")
        out.append("|---|---:|---:|---|---|")
        for tp_id, v in said:
            assert v is not None
            mood = score_text(v.sentiment) if v.sentiment is not None else "–"
            phrases = ", ".join(f"{esc(phrase_text(p))} ({c:,})" for p, c in v.phrases) or "–"
            quotes = "<br>".join(f"“{esc(q.text)}” ({q.kind})" for q in v.quotes) or "–"
            out.append(f"| `{tp_id}` | {v.comments:,} | {mood} | {phrases} | {quotes} |")
        if any(over_periods(analysis, tp_id) for tp_id, _ in said):
            out += ["", "Comments, their sentiment and phrases are over all periods; a metric's value above is its latest period's."]
    return out
