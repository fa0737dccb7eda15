"""journeymap render FILE...: the workshop journey map (HTML) and the flow diagram (Graphviz)."""

from __future__ import annotations

import argparse
import sys

HELP = "render journey files: the HTML journey map and the flow diagram (SVG), or PNG, PDF, DOT, Mermaid, Markdown"

FORMAT_HELP = "html, svg, png, pdf, dot, mermaid, md, map-pdf, map-png (the map printed by Chromium: A3 PDF, PNG)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from . import DATA_HELP, add_column_arguments, add_engine_arguments, add_period_argument

    parser.add_argument("files", nargs="+", metavar="FILE", help="journey files")
    parser.add_argument(
        "-o", "--output", "--out-dir", dest="out_dir", metavar="DIR", default="journeymap-out",
        help="folder to write into (default: ./journeymap-out); files are named by journey id",
    )
    parser.add_argument(
        "--to", dest="formats", metavar="FORMATS", action="append", default=[],
        help=f"comma-separated formats: {FORMAT_HELP} (default: html,svg)",
    )
    parser.add_argument(
        "--persona", metavar="ID",
        help="render the journey as this persona meets it (files named <id>--<persona>.<ext>)",
    )
    parser.add_argument(
        "--metrics", metavar="FILE", action="append", default=[],
        help=f"{DATA_HELP['metrics']}; may be repeated",
    )
    parser.add_argument(
        "--responses", metavar="FILE", action="append", default=[],
        help=f"{DATA_HELP['responses']}; may be repeated",
    )
    parser.add_argument(
        "--events", metavar="FILE", action="append", default=[],
        help=f"{DATA_HELP['events']}; may be repeated",
    )
    add_column_arguments(parser)
    add_engine_arguments(parser)
    add_period_argument(parser)


def run(args: argparse.Namespace) -> int:
    import dataclasses
    import os
    from pathlib import Path

    from ..analysis import analyze, analyze_personas
    from ..data import add_persona_events, load_metric_data
    from ..loader import Loader
    from ..problems import did_you_mean, format_problems, visible
    from ..render.markdown import incomplete_text
    from ..render.output import (
        DEFAULT_FORMATS,
        file_stem,
        parse_formats,
        persona_figures_note,
        render_outputs,
        write_outputs,
    )
    from . import UsageError, check_data_paths, data_columns, engine_options, persona_written

    try:
        formats = parse_formats(args.formats) or list(DEFAULT_FORMATS)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    check_data_paths(args.files, args.events, [*args.metrics, *args.responses])
    columns = engine_options(args, data_columns(args))

    loader = Loader()
    journeys = []
    failed = False
    given: dict[tuple[int, int], str] = {}  # (device, inode) -> the path it was first given as
    for file in args.files:
        # journeys/*.yaml and one of them by name, or ./a and a: one file, rendered once (it was
        # an error that the journey id 'was already rendered' from itself)
        stat = os.stat(file)
        key = (stat.st_dev, stat.st_ino)
        if key in given:
            print(visible(f"{file}: note: the same file as {given[key]}, given twice: rendered once"), file=sys.stderr)
            continue
        given[key] = file
        result = loader.check(Path(file))
        sys.stderr.write(format_problems(result.problems))
        if result.journey is None:
            if result.is_library and not result.errors:
                print(f"{visible(file)}: this is a library file, not a journey", file=sys.stderr)
            failed = True
            continue
        journeys.append((file, result.journey))
    # Each journey reads --persona itself, as its data files' persona column is read: 'Busy parent'
    # may be 'busy-parent' in one journey and 'parent' in another. A journey that has no such
    # persona is an error naming it (the others are rendered); one that no journey has, a usage error.
    personas: dict[str, str | None] = {}
    noted: set[str] = set()
    for file, journey in journeys:
        personas[file] = persona_written(args.persona, journey.persona_by_id, "render", noted)
    if args.persona is not None and journeys and not any(personas[f] in j.persona_by_id for f, j in journeys):
        every = sorted({p for _, j in journeys for p in j.persona_by_id})
        hint = did_you_mean(args.persona, every)
        if len(journeys) == 1:
            raise UsageError(
                f"{journeys[0][0]}: unknown persona '{args.persona}'" + (f" ({hint})" if hint else "")
                + f"; personas: {', '.join(journeys[0][1].persona_by_id) or 'none'}"
            )
        raise UsageError(
            f"unknown persona '{args.persona}': no journey has it" + (f", {hint}" if hint else "")
            + f" (personas: {', '.join(every) or 'none'})"
        )

    found = sorted({personas[f] or "" for f, j in journeys if personas[f] in j.persona_by_id})
    rendered_from: dict[str, str] = {}
    for file, journey in journeys:
        persona = personas[file]
        if persona is not None and persona not in journey.persona_by_id:
            known = ", ".join(journey.persona_by_id) or "none"
            hint = did_you_mean(persona, journey.persona_by_id)
            named = found[0] if len(found) == 1 else persona  # 'student', as the others read 'students'
            print(
                visible(
                    f"{file}: error: journey '{journey.id}' has no persona '{named}' (personas: {known}); not rendered"
                    + (f" ({hint})" if hint else "")
                ),
                file=sys.stderr,
            )
            failed = True
            continue
        # planned vs actual per period, and the persona's customers only, as report reads the log
        event_options = dataclasses.replace(columns, period=args.period, segment=persona)
        # Data files are read once per journey and shared by the per-persona analyses.
        data = load_metric_data(
            journey, metrics=args.metrics, responses=args.responses, events=args.events, period=args.period,
            engine=args.engine, event_options=event_options,
        )
        analysis = analyze(journey, persona, data=data)
        sys.stderr.write(format_problems(analysis.data_problems))
        if any(p.is_error for p in analysis.data_problems):
            failed = True
        stem = file_stem(analysis)
        if stem in rendered_from:
            print(
                visible(
                    f"{file}: error: journey id '{journey.id}' was already rendered from {rendered_from[stem]}; "
                    "ids must be unique to share an output folder"
                ),
                file=sys.stderr,
            )
            failed = True
            continue
        rendered_from[stem] = file
        persona_analyses = None
        omitted: list[str] = []
        if "html" in formats and (incomplete := incomplete_text(analysis, visible, ", listed on stderr")) is not None:
            # the map of a log not read showed 'No customers in the event log', as if it had none
            omitted.append(incomplete)
        if "html" in formats and persona is None and journey.personas:
            # Each persona's conversion and expected touchpoints, for the map's persona filter
            # (one analysis per persona view: on a very big journey left out, and said so).
            note = persona_figures_note(journey)
            if note is None:
                if args.events:  # each persona's own volumes, drop-off and planned vs actual
                    add_persona_events(data, journey, args.events, engine=args.engine, options=event_options)
                persona_analyses = analyze_personas(journey, data=data, overall=analysis)
            else:
                omitted.append(note)
        if persona is not None and journey.touchpoints and not journey.touchpoints_for(persona):
            count = len(journey.touchpoints)
            print(
                visible(
                    f"{file}: note: persona '{persona}' meets none of the journey's {count:,} touchpoint{'s' * (count != 1)}:"
                    " the map and diagrams are empty (list it in a touchpoint's personas, or leave personas out there"
                    " for everyone)"
                ),
                file=sys.stderr,
            )
        rendered = render_outputs(analysis, formats, persona_analyses=persona_analyses, omitted=omitted)
        for path in write_outputs(rendered.outputs, args.out_dir, stem):
            print(visible(str(path)))
        for note in rendered.notes:
            print(visible(f"{file}: note: {note}"), file=sys.stderr)
        for fmt, message in rendered.errors.items():
            print(visible(f"{file}: error: cannot write {fmt.upper()}: {message}"), file=sys.stderr)
            failed = True
    return 1 if failed else 0
