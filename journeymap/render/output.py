"""Rendering to files: the edge where renderers meet the file system and Graphviz.

:func:`render_outputs` turns an analysis into the bytes of each requested
format (running Graphviz's ``dot`` for SVG, PNG and PDF); :func:`write_outputs`
writes them all or nothing with :func:`journeymap.files.write_all_atomic`;
:func:`render_files` does both.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .._cycles import without_cycle_collection
from .escape import utf8

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..model import Journey

#: Format name -> file extension, in the order ``--to`` lists them.
FORMATS: dict[str, str] = {
    "html": "html",
    "svg": "svg",
    "png": "png",
    "pdf": "pdf",
    "dot": "dot",
    "mermaid": "mmd",
    "md": "md",
    "map-pdf": "map.pdf",
    "map-png": "map.png",
}
DEFAULT_FORMATS = ("html", "svg")
#: Formats that need Graphviz's ``dot`` program.
GRAPHVIZ_FORMATS = ("svg", "png", "pdf")
#: The HTML map printed by headless Chromium (see :mod:`journeymap.render.chromium`).
CHROMIUM_FORMATS = ("map-pdf", "map-png")

GRAPHVIZ_HINT = (
    "Graphviz's 'dot' program is needed for SVG, PNG and PDF diagrams: install the graphviz package "
    "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; Windows: winget install graphviz)"
)


#: Up to this many touchpoints the map's persona filter shows each persona's own figures
#: (conversion, reach on the cards, the stage funnel), which costs one analysis per persona
#: view; beyond it the filter still shows and hides each persona's touchpoints, and the page
#: says that the figures are everyone's.
PERSONA_FIGURES_UP_TO = 20_000


def persona_figures_note(journey: Journey) -> str | None:
    """Why the map leaves out each persona's own figures (None when it shows them)."""
    count = len(journey.touchpoints)
    if count <= PERSONA_FIGURES_UP_TO or not journey.personas:
        return None
    return (
        f"each persona's own figures in the persona filter (conversion, reach, stage funnel): the journey has "
        f"{count:,} touchpoints, more than {PERSONA_FIGURES_UP_TO:,}, so the filter shows and hides each persona's "
        "touchpoints with everyone's figures; render --persona ID or report --persona ID gives one persona's"
    )


#: Seconds Graphviz may take to lay out one diagram. A sparse 2,000-touchpoint journey takes
#: about 5 s; a dense one (every touchpoint flowing to dozens of others) can take hours.
LAYOUT_TIMEOUT = 60.0


class RenderError(Exception):
    """A format could not be produced (not a bug: a missing program, a layout failure)."""


class GraphvizMissing(RenderError):
    """Graphviz's ``dot`` program is not installed."""

    def __init__(self) -> None:
        super().__init__(GRAPHVIZ_HINT)


def graphviz_available() -> bool:
    """Whether Graphviz's ``dot`` program is on the PATH."""
    return shutil.which("dot") is not None


class LayoutTimeout(RenderError):
    """Graphviz ran past the time limit (a dense diagram: thousands of crossing flows)."""


def layout_timeout() -> float:
    """Seconds Graphviz may take for one diagram: ``$JOURNEYMAP_GRAPHVIZ_TIMEOUT``, else :data:`LAYOUT_TIMEOUT`."""
    import os

    try:
        seconds = float(os.environ.get("JOURNEYMAP_GRAPHVIZ_TIMEOUT", LAYOUT_TIMEOUT))
    except ValueError:
        return LAYOUT_TIMEOUT
    return seconds if seconds > 0 else LAYOUT_TIMEOUT


def layout(dot_source: str, fmt: str, *, timeout: float | None = None) -> bytes:
    """Lay out DOT source with Graphviz: ``svg``, ``png`` or ``pdf`` bytes.

    Raises :class:`GraphvizMissing` when ``dot`` is not installed,
    :class:`LayoutTimeout` when it runs past ``timeout`` seconds (default
    :func:`layout_timeout`; the process is killed) and :class:`RenderError`
    when it fails.
    """
    import subprocess

    seconds = layout_timeout() if timeout is None else timeout
    try:
        done = subprocess.run(
            ["dot", f"-T{fmt}"], input=utf8(dot_source), capture_output=True, timeout=seconds, check=False
        )
    except FileNotFoundError:
        raise GraphvizMissing() from None
    except subprocess.TimeoutExpired:
        flows = dot_source.count(" -> ")
        raise LayoutTimeout(
            f"Graphviz did not finish laying out the diagram ({flows:,} flows) within {seconds:g} s; "
            "render --to dot and lay it out with a faster engine (sfdp), "
            "or set JOURNEYMAP_GRAPHVIZ_TIMEOUT to wait longer"
        ) from None
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(graphviz_failure(dot_source, stderr, done.returncode))
    return done.stdout


#: Graphviz refuses a quoted string or label longer than this (its scanner's buffer).
GRAPHVIZ_STRING_LIMIT = 16384
_DOT_LINE = re.compile(r"\bline (\d+)")
_DOT_ELEMENT = re.compile(r'\s*"([^"]*)"(?:\s*->\s*"([^"]*)")?')


def graphviz_failure(dot_source: str, stderr: str, returncode: int) -> str:
    """Graphviz's complaint in plain words, naming the touchpoint (or stage, or flow) on the line
    it refused and the likely cause, e.g. a text past its 16,384-character limit.

    >>> graphviz_failure(source_with_a_20_000_character_name, "Error: syntax error in line 9", 1)  # doctest: +SKIP
    "Graphviz could not lay out the diagram: it refused the line of touchpoint 'pay' (its text is 20,002 ..."
    """
    from .escape import one_line, shorten

    said = shorten(one_line(stderr), 300) if stderr else f"dot exited with {returncode}"
    match = _DOT_LINE.search(stderr)
    lines = dot_source.split("\n")
    if match is None or not 0 < int(match.group(1)) <= len(lines):
        if returncode < 0 or "free()" in stderr or "Segmentation" in stderr:
            return (
                f"Graphviz crashed while laying out the diagram ({said}); "
                "a journey this size may be past what this Graphviz version can draw"
            )
        return f"Graphviz could not lay out the diagram: {said}"
    number = int(match.group(1))
    line = lines[number - 1]
    element = _DOT_ELEMENT.match(line)
    what = "a line of the diagram"
    if element is not None and element.group(2) is not None:
        what = f"the flow from '{element.group(1)}' to '{element.group(2)}'"
    elif element is not None:
        name = element.group(1)
        what = f"touchpoint '{name}'" if not name.startswith("cluster_") else f"stage '{name[len('cluster_'):]}'"
    elif "cluster_" in line or (number > 1 and "cluster_" in lines[number - 2]):
        what = "a stage"
    cause = "Graphviz could not read it"
    strings = re.findall(r'"(?:[^"\\]|\\.)*"|<[^\n]*>', line)
    longest = max((len(text) for text in strings), default=0)
    if longest > GRAPHVIZ_STRING_LIMIT:
        cause = (
            f"its text is {longest:,} characters long, past Graphviz's limit of {GRAPHVIZ_STRING_LIMIT:,} "
            "characters in one string; shorten it in the journey file"
        )
    return f"Graphviz could not lay out the diagram: it refused the line of {what} ({cause}; Graphviz said: {said})"


def file_stem(analysis: Analysis) -> str:
    """``<journey id>`` or ``<journey id>--<persona id>`` (both slugs, safe as file names)."""
    stem = analysis.journey.id
    if analysis.persona:
        stem += f"--{analysis.persona}"
    return stem


def parse_formats(values: Iterable[str]) -> list[str]:
    """``["html,svg", "md"]`` -> ``["html", "svg", "md"]``; raise ValueError naming an unknown format,
    or a value that names none (``--to "$FORMATS"`` with the variable unset rendered the default formats)."""
    formats: list[str] = []
    for value in values:
        if not re.sub(r"[,\s]+", "", value):
            raise ValueError(f"--to '{value}' names no format (an unset shell variable?); formats: {', '.join(FORMATS)}")
        for name in re.split(r"[,\s]+", value.strip().lower()):
            if not name:
                continue
            if name == "markdown":
                name = "md"
            if name not in FORMATS:
                from ..problems import did_you_mean

                hint = did_you_mean(name, FORMATS)
                raise ValueError(
                    f"unknown format '{name}'" + (f" ({hint})" if hint else "") + f"; formats: {', '.join(FORMATS)}"
                )
            if name not in formats:
                formats.append(name)
    return formats


@dataclass
class Rendered:
    """What rendering one analysis produced: format -> bytes, and what could not be produced."""

    outputs: dict[str, bytes] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@without_cycle_collection
def render_outputs(
    analysis: Analysis,
    formats: Iterable[str],
    *,
    persona_analyses: Mapping[str, Analysis] | None = None,
    graphviz: Callable[[str, str], bytes] | None = None,
    omitted: Iterable[str] = (),
) -> Rendered:
    """Every requested format as bytes; a format that fails is in ``errors``, the others still render.

    ``graphviz`` lays out DOT source (default :func:`layout`, looked up when called).
    ``omitted`` names further parts the caller left out of the map and why (see
    :func:`persona_figures_note`): the page shows them, and they are in ``notes``.
    """
    if graphviz is None:
        graphviz = layout
    from .dot import diagram_plan, render_dot, render_stage_dot

    formats = list(formats)
    result = Rendered()
    dot_source: str | None = None
    linked_svg: str | None = None
    missing: str | None = None  # Graphviz is not installed, or timed out on this diagram: no second try

    def dot() -> str:
        nonlocal dot_source
        if dot_source is None:
            dot_source = render_dot(analysis)
        return dot_source

    printed = [f for f in formats if f in CHROMIUM_FORMATS]
    if printed and "html" not in formats:
        formats = [*formats, "html"]  # printed from the map; not written unless asked for
        keep_html = False
    else:
        keep_html = True
    # The diagram drawn is decided from the journey's size before Graphviz runs (never by waiting
    # for a time-out): every touchpoint, or beyond a documented size the stage overview.
    plan = diagram_plan(analysis)
    if plan.note is not None and (set(formats) & {"html", "dot", *GRAPHVIZ_FORMATS}):
        result.notes.append(plan.note)
        if "dot" in formats:
            result.notes.append(
                f"the DOT file has all {plan.touchpoints:,} touchpoints and {plan.flows:,} flows: "
                "Graphviz's dot may take very long or fail on it (try sfdp)"
            )

    def drawing(links: bool) -> str:
        return render_dot(analysis, links=links) if plan.kind == "full" else render_stage_dot(analysis)

    for fmt in formats:
        if fmt in CHROMIUM_FORMATS:
            continue  # after the HTML map
        if fmt == "dot":
            result.outputs[fmt] = utf8(dot())
        elif fmt in GRAPHVIZ_FORMATS:
            if missing is not None:
                result.errors[fmt] = missing
                continue
            try:
                result.outputs[fmt] = graphviz(dot() if plan.kind == "full" else drawing(False), fmt)
            except (GraphvizMissing, LayoutTimeout) as exc:
                missing = str(exc)
                result.errors[fmt] = missing
            except RenderError as exc:
                result.errors[fmt] = str(exc)
        elif fmt == "html":
            from .html import render_html
            from .svg import clean_svg

            left_out: list[str] = list(omitted)
            result.notes.extend(f"the map leaves out {what}" for what in left_out)
            reason: str | None = None
            if missing is None:
                try:
                    # The embedded diagram links each node to its card.
                    linked_svg = graphviz(drawing(True), "svg").decode("utf-8")
                except (GraphvizMissing, LayoutTimeout) as exc:
                    missing = str(exc)
                except RenderError as exc:
                    reason = str(exc)
            if missing is not None:
                reason = missing
            if linked_svg is not None:
                cleaned = clean_svg(linked_svg)
                if cleaned.svg is None:
                    reason = f"Graphviz's drawing could not be read ({cleaned.error})"
                    linked_svg = None
                elif cleaned.removed:
                    result.notes.append(
                        "left out of the map's diagram as unsafe: " + cleaned.removed_text()
                    )
            if reason is not None:
                left_out.append(f"the flow diagram: {reason}")
                result.notes.append(f"the map has no flow diagram: {reason}")
            html = render_html(
                analysis,
                diagram_svg=linked_svg,
                persona_analyses=persona_analyses,
                diagram_note=plan.note,
                omitted=left_out,
            )
            result.outputs[fmt] = utf8(html)
        elif fmt == "mermaid":
            from .mermaid import render_mermaid

            result.outputs[fmt] = utf8(render_mermaid(analysis))
        elif fmt == "md":
            from .markdown import render_markdown

            result.outputs[fmt] = utf8(render_markdown(analysis))
        else:
            raise ValueError(f"unknown format '{fmt}'")
    if printed:
        from .chromium import print_map

        try:
            result.outputs.update(print_map(result.outputs["html"].decode("utf-8"), printed))
        except RenderError as exc:
            for fmt in printed:
                result.errors[fmt] = str(exc)
        if not keep_html:
            del result.outputs["html"]
    return result


def write_outputs(outputs: Mapping[str, bytes], out_dir: str | Path, stem: str) -> list[Path]:
    """Write ``<out_dir>/<stem>.<ext>`` for each format, all or nothing (a map and its diagram are of
    one version of the journey, never one new and one old); return the paths in format order."""
    from ..files import write_all_atomic

    folder = Path(out_dir)
    files = [(folder / f"{stem}.{FORMATS[fmt]}", outputs[fmt]) for fmt in FORMATS if fmt in outputs]
    write_all_atomic(files)
    return [path for path, _ in files]


def render_files(
    analysis: Analysis,
    formats: Iterable[str] = DEFAULT_FORMATS,
    out_dir: str | Path = "journeymap-out",
    *,
    persona_analyses: Mapping[str, Analysis] | None = None,
) -> tuple[list[Path], Rendered]:
    """Render ``formats`` and write them into ``out_dir`` as ``<id>[--<persona>].<ext>``.

    Returns the paths written and the :class:`Rendered` result (whose
    ``errors`` name the formats that could not be produced).

    >>> paths, rendered = render_files(journeymap.analyze("j.journey.yaml"))  # doctest: +SKIP
    """
    rendered = render_outputs(analysis, formats, persona_analyses=persona_analyses)
    return write_outputs(rendered.outputs, out_dir, file_stem(analysis)), rendered
