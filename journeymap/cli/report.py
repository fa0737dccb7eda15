"""journeymap report FILE: weak touchpoints with reasons, and the journey's KPIs."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..analysis import Analysis

HELP = "find the weak touchpoints of a journey (with reasons) and its KPIs: conversion, reach, stage funnel"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from . import DATA_HELP, add_column_arguments, add_engine_arguments, add_period_argument

    parser.add_argument("file", metavar="FILE", help="a journey file")
    parser.add_argument("--persona", metavar="ID", help="analyse the journey as this persona sees it")
    parser.add_argument(
        "--metrics", metavar="FILE", action="append", default=[],
        help=f"{DATA_HELP['metrics']}; may be repeated",
    )
    parser.add_argument(
        "--responses", metavar="FILE", action="append", default=[],
        help=f"{DATA_HELP['responses']}; may be repeated",
    )
    parser.add_argument(
        "--events", metavar="LOG", action="append", default=[],
        help=f"{DATA_HELP['events']}; may be repeated",
    )
    add_column_arguments(parser)
    add_engine_arguments(parser)
    add_period_argument(parser)
    parser.add_argument(
        "--format", choices=["text", "markdown", "json"], default="text", help="output format (default: text)"
    )


def run(args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from ..analysis import analyze
    from ..loader import check
    from ..problems import did_you_mean, format_problems, visible, visible_json, visible_output
    from . import UsageError, check_data_paths, data_columns, engine_options, persona_written

    check_data_paths([args.file], args.events, [*args.metrics, *args.responses])
    if args.period and not (args.events or args.responses or args.metrics):
        raise UsageError("--period needs dated data: survey answers (--responses), a metrics table or an event log")
    columns = engine_options(args, data_columns(args))
    result = check(args.file)
    sys.stderr.write(format_problems(result.problems))
    journey = result.journey
    if journey is None:
        if result.is_library and not result.errors:
            print(f"{visible(args.file)}: this is a library file, not a journey", file=sys.stderr)
        return 1
    args.persona = persona_written(args.persona, journey.persona_by_id, "report")
    if args.persona is not None and args.persona not in journey.persona_by_id:
        hint = did_you_mean(args.persona, journey.persona_by_id)
        known = ", ".join(journey.persona_by_id) or "none"
        raise UsageError(f"unknown persona '{args.persona}'" + (f" ({hint})" if hint else "") + f"; personas: {known}")
    options = dataclasses.replace(columns, segment=args.persona, period=args.period)
    analysis = analyze(
        journey, args.persona, metrics=args.metrics, responses=args.responses, events=args.events,
        period=args.period, engine=args.engine, event_options=options,
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
    from ..render.markdown import (
        ended_text,
        entries_text,
        incomplete_text,
        outcomes_text,
        percent,
        who,
    )
    from ..render.whatif import fix_first_rows, sensitivity_sentences, value_kpis

    journey = analysis.journey
    out: list[str] = []
    add = out.append
    add(f"{journey.title} ({journey.id}), {who(analysis)}")
    if (incomplete := incomplete_text(analysis, str, ", listed on stderr")) is not None:
        add("INCOMPLETE: " + incomplete)
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
        if not e.files and not analysis.complete:  # no file of the log read: its errors say why
            add("Event log: not read (see the errors on stderr)")
        else:
            add(f"Event log: {e.customers:,} customer{'s' * (e.customers != 1)}, {ended_text(e, analysis)}")
        out.extend(planned_vs_actual_text(analysis))
    add("")
    from ..problems import no_workflow_commands, visible

    # Each add() is one line: a line break, an escape sequence or a bidi override from the
    # journey inside one is shown escaped, never sent to the terminal or the CI log; nor is a
    # workflow command led by a data value ('  ::error::x', a segment's row of the table).
    return no_workflow_commands("\n".join(visible(line) for line in out))


def planned_vs_actual_text(analysis: Analysis) -> list[str]:
    """The terminal's "Planned vs actual": conformance, top deviations, flows, segments, periods."""
    from ..data.engines.rows import shown
    from ..data.events import by_period, by_segment
    from ..problems import no_workflow_commands
    from ..render.markdown import (
        deviation_label,
        deviation_text,
        duration,
        flows_off,
        percent,
        top_deviations,
    )

    e = analysis.events
    if e is None or not e.customers or e.conformance is None:
        return []
    out = ["", f"Planned vs actual ({e.customers:,} customer{'s' * (e.customers != 1)}; {e.rows:,} event{'s' * (e.rows != 1)}"
                f" read by {e.engine})", ""]
    out.append(f"  conversion            observed {percent(e.conversion_observed or 0.0)}, model {percent(analysis.conversion)}")
    for kind, share in e.conformance.items():
        label, meaning = deviation_label(kind, analysis)
        out.append(f"  {label:<20}  {percent(share):>6}  {meaning}")
    if e.deviations:
        top = [(deviation_text(d.type, d.source, d.target), d) for d in top_deviations(e.deviations)]
        width = max(60, *(len(text) for text, _ in top))  # a long id pushed the count out of its column
        out += ["", f"  {'Top deviations of each type':<{width}}  customers  e.g."]
        for text, d in top:
            examples = ", ".join(shown(x, 20) for x in d.examples)
            out.append(f"  {text:<{width}}  {d.customers:>9,}  {examples}")
    off = flows_off(analysis, limit=10)
    if off:
        out += ["", "  Flows off the journey's shares (5+ points)       observed  declared    median       p90"]
        for f in off:
            name = f"{shown(f.source, 24)} -> {shown(f.target, 24)}"
            declared = percent(f.declared_share) if f.declared_share is not None else "none"
            out.append(
                f"  {name:<46}  {percent(f.share):>9}  {declared:>8}  {duration(f.median_seconds):>8}  {duration(f.p90_seconds):>8}"
            )
    tables = []
    segments = by_segment(e.cohorts)
    if any(b.label for b in segments):
        tables.append(("segment", segments))
    if e.period:
        tables.append((e.period, by_period(e.cohorts, e.period)))
    for title, rows in tables:
        out += ["", f"  {'by ' + title:<20}  customers  conversion  conforming  ad hoc  out of seq.  missing  failing"]
        for b in rows:
            c = {k: percent(v / b.customers) for k, v in b.conformance.items()}
            # a segment leads its row: one written '::error::x' is shown '\x3a:error::x' (not a workflow
            # command once the runner trims the indentation), escaped before the padding keeps the columns
            label = no_workflow_commands(shown(b.label, 20)) or "(none)"
            out.append(
                f"  {label:<20}  {b.customers:>9,}  {percent(b.conversion_observed or 0.0):>10}"
                f"  {c['conforming']:>10}  {c['ad_hoc']:>6}  {c['out_of_sequence']:>11}  {c['missing']:>7}  {c['failing']:>7}"
            )
    return out
