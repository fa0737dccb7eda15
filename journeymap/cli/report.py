"""journeymap report FILE: weak touchpoints with reasons, and the journey's KPIs."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..analysis import Analysis

HELP = "find the weak touchpoints of a journey (with reasons) and its KPIs: conversion, reach, stage funnel"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a journey file")
    parser.add_argument("--persona", metavar="ID", help="analyse the journey as this persona sees it")
    parser.add_argument(
        "--metrics", metavar="FILE", action="append", default=[],
        help="metrics table (CSV): touchpoint,metric,value[,n][,period]; may be repeated",
    )
    parser.add_argument(
        "--responses", metavar="FILE", action="append", default=[],
        help="raw survey answers (CSV): touchpoint,metric,score[,respondent][,date][,period][,persona][,comment]"
        " for nps, csat, ces; may be repeated",
    )
    parser.add_argument(
        "--events", metavar="FILE", action="append", default=[],
        help="event log (CSV): customer,timestamp,touchpoint[,outcome]; may be repeated",
    )
    parser.add_argument(
        "--period", choices=["week", "month", "quarter"],
        help="bucket dated survey answers into ISO weeks, months or quarters: each metric gets a series and a trend",
    )
    parser.add_argument(
        "--format", choices=["text", "markdown", "json"], default="text", help="output format (default: text)"
    )


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from ..analysis import analyze
    from ..loader import check
    from ..problems import did_you_mean, format_problems, visible, visible_json, visible_output
    from . import UsageError

    for path in [args.file, *args.metrics, *args.responses, *args.events]:
        if not Path(path).is_file():
            raise UsageError(f"no such file: {path}")
    result = check(args.file)
    sys.stderr.write(format_problems(result.problems))
    journey = result.journey
    if journey is None:
        if result.is_library and not result.errors:
            print(f"{visible(args.file)}: this is a library file, not a journey", file=sys.stderr)
        return 1
    if args.persona is not None and args.persona not in journey.persona_by_id:
        hint = did_you_mean(args.persona, journey.persona_by_id)
        known = ", ".join(journey.persona_by_id) or "none"
        raise UsageError(f"unknown persona '{args.persona}'" + (f" ({hint})" if hint else "") + f"; personas: {known}")
    analysis = analyze(
        journey, args.persona, metrics=args.metrics, responses=args.responses, events=args.events, period=args.period
    )
    sys.stderr.write(format_problems(analysis.data_problems))
    if args.format == "json":
        sys.stdout.write(visible_json(json.dumps(analysis.to_json(), indent=2, ensure_ascii=False)) + "\n")
    elif args.format == "markdown":
        from ..render.markdown import render_markdown

        sys.stdout.write(visible_output(render_markdown(analysis)))
    else:
        sys.stdout.write(format_text(analysis))
    return 1 if any(p.is_error for p in analysis.data_problems) else 0


def format_text(analysis: Analysis) -> str:
    """The terminal report: KPIs, weak touchpoints worst first with reasons, the stage funnel."""
    from ..render.markdown import entries_text, outcomes_text, percent, who
    from ..render.whatif import fix_first_rows, sensitivity_sentences, value_kpis

    journey = analysis.journey
    out: list[str] = []
    add = out.append
    add(f"{journey.title} ({journey.id}), {who(analysis)}")
    add("")
    add(f"  conversion            {percent(analysis.conversion)}")
    add(f"  entries               {entries_text(analysis)}")
    add(f"  expected touchpoints  {analysis.expected_touchpoints:.2f} per customer")
    if analysis.outcomes:
        add(f"  customers end         {outcomes_text(analysis)}")
    for label, text in value_kpis(analysis):
        add(f"  {label:<21} {text}")
    add("")
    if not analysis.weak:
        add("No weak touchpoints.")
    else:
        by_money = analysis.value is not None
        order = analysis.fix_first if by_money else analysis.weak
        add(
            f"Weak touchpoints ({len(analysis.weak)} of {len(analysis.touchpoints)}), "
            + (("most value at stake first" if analysis.value is not None and analysis.value.per_period is not None else "most value at stake per customer first") if by_money else "highest impact first")
        )
        add("")
        width = max(len("touchpoint"), *(len(t) for t in analysis.weak))
        stage_width = max(len("stage"), *(len(analysis.touchpoints[t].stage) for t in analysis.weak))
        stakes = dict((t, (money_text, points)) for t, money_text, points in fix_first_rows(analysis)) if by_money else {}
        stake_width = max([len("at stake"), *(len(m) for m, _ in stakes.values())])
        extra = f"  {'at stake':>{stake_width}}" if by_money else ""
        add(f"  {'#':>2}  {'touchpoint':<{width}}  {'stage':<{stage_width}}  {'reach':>6}  {'impact':>6}  {'removal':>7}{extra}")
        for rank, tp_id in enumerate(order, 1):
            r = analysis.touchpoints[tp_id]
            stake = f"  {stakes.get(tp_id, ('-', ''))[0]:>{stake_width}}" if by_money else ""
            add(
                f"  {rank:>2}  {tp_id:<{width}}  {r.stage:<{stage_width}}  {percent(r.reach):>6}"
                f"  {r.impact:>6.3f}  {percent(r.removal_effect):>7}{stake}"
            )
            for reason in r.reasons:
                add(f"      - {reason}")
            for note in [*r.notes, *r.overrides]:
                add(f"      ~ {note}")
    sentences = sensitivity_sentences(analysis)
    if sentences:
        add("")
        add("Where one point of drop-off is worth most")
        for sentence in sentences:
            add(f"  - {sentence}")
    add("")
    add("Stage funnel")
    stage_width = max([len("stage"), *(len(s.id) for s in analysis.stages)])
    add(f"  {'stage':<{stage_width}}  {'reach':>6}  {'drop-off':>8}")
    for s in analysis.stages:
        add(f"  {s.id:<{stage_width}}  {percent(s.reach):>6}  {percent(s.drop_off):>8}")
    other_notes = [(t, n) for t, r in analysis.touchpoints.items() if not r.weak for n in r.notes]
    replaced = sum(len(r.overrides) for r in analysis.touchpoints.values() if not r.weak)
    if replaced:
        other_notes.append(
            ("", f"data files replace {replaced} more value{'s' * (replaced != 1)} written in the journey file"
             " (listed in --format markdown and json)")
        )
    if analysis.notes or other_notes:
        add("")
        add("Notes")
        for note in analysis.notes:
            add(f"  - {note}")
        for tp_id, note in other_notes:
            add(f"  - {tp_id}: {note}" if tp_id else f"  - {note}")
    from ..render.voice import text_section

    out += text_section(analysis)
    if analysis.events is not None:
        e = analysis.events
        add("")
        add(f"Event log: {e.customers} customers, {e.succeeded} succeeded, {e.failed} failed, {e.left} left")
    add("")
    from ..problems import visible

    # Each add() is one line: a line break, an escape sequence or a bidi override from the
    # journey inside one is shown escaped, never sent to the terminal or the CI log.
    return "\n".join(visible(line) for line in out)
