"""A folder of journeys -> a static site: the portfolio view of a CX team's journeys.

:func:`collect` loads and analyses every journey file under a folder (shared
library files are parsed once, by one :class:`~journeymap.loader.Loader`);
:func:`render_site` turns that into a map of relative paths to bytes, like the
renderers in :mod:`journeymap.render`; :func:`write_site` writes them
all or nothing. Pages:

- ``index.html``: every journey (title, owner, tags, conversion, weak
  touchpoints, value at stake where a value model exists, last change from git),
  the files with problems (each problem with file:line:col), the links between
  journeys;
- ``weak.html``: the weak touchpoints of every journey in one ranked list;
- ``channels.html``: each channel's touchpoints across journeys, their metrics
  and how many are weak (the omnichannel view);
- ``personas.html``: each persona across journeys (which journeys, where it suffers);
- ``journeys/<id>.html``: each journey's map, the same page ``render`` writes,
  with a link back to the index.

Every link is relative, so the site works from the file system and from any
sub-path of a web server (GitHub Pages). The same folder (and git state) gives
byte-identical files: no clock, no absolute path, everything sorted.

>>> portfolio = collect("sample_journeys")                      # doctest: +SKIP
>>> sorted(render_site(portfolio).files)[:2]                   # doctest: +SKIP
['channels.html', 'index.html']
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .problems import Problem, Span, sort_problems

if TYPE_CHECKING:
    from .analysis import Analysis
    from .loader import Loader
    from .model import Journey

#: Where each journey's map goes, relative to the site root.
MAP_FOLDER = "journeys"
PAGES = ("index.html", "weak.html", "channels.html", "personas.html")


@dataclass
class SiteJourney:
    """One journey file of the folder: loaded and analysed, or with the problems that stopped it."""

    file: str
    """Path relative to the folder, with ``/`` (what the site shows and problems name)."""
    path: Path
    journey: Journey | None = None
    problems: list[Problem] = field(default_factory=list)
    analysis: Analysis | None = None
    persona_analyses: dict[str, Analysis] = field(default_factory=dict)
    last_change: str | None = None
    """Date of the last commit touching the file (``2026-11-22``), when the folder is in git."""
    is_library: bool = False
    """A library file (personas, channels, metrics shared by journeys), not a journey."""

    @property
    def ok(self) -> bool:
        return self.analysis is not None

    @property
    def page(self) -> str:
        """The map's path relative to the site root (only for a journey that loaded)."""
        assert self.journey is not None
        return f"{MAP_FOLDER}/{self.journey.id}.html"


@dataclass
class Portfolio:
    """Every journey file under a folder, plus the library files they share."""

    folder: Path
    journeys: list[SiteJourney]
    libraries: list[SiteJourney] = field(default_factory=list)

    @property
    def loaded(self) -> list[SiteJourney]:
        return [j for j in self.journeys if j.ok]

    @property
    def broken(self) -> list[SiteJourney]:
        """Journey (and library) files with errors: listed on the index with their problems."""
        return [j for j in [*self.journeys, *self.libraries] if any(p.is_error for p in j.problems)]

    @property
    def problems(self) -> list[Problem]:
        return sort_problems([p for j in [*self.journeys, *self.libraries] for p in j.problems])


@dataclass
class Site:
    """What :func:`render_site` produced: relative path -> bytes, and notes for the terminal."""

    files: dict[str, bytes]
    notes: list[str] = field(default_factory=list)


# -- collecting ----------------------------------------------------------------


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(os.path.realpath(path)).relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def last_changes(folder: Path, files: Iterable[Path]) -> dict[Path, str]:
    """The date of the last commit that touched each file (``YYYY-MM-DD``), when ``folder`` is in git.

    One ``git log`` for the whole folder; files never committed (or no git at
    all) are simply absent. Commit dates, not file times: the same repository
    state gives the same dates.
    """
    wanted = {Path(os.path.realpath(p)) for p in files}  # not resolve(): a symlink loop raised RuntimeError
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True, timeout=30, check=False
        )
        if top.returncode != 0:
            return {}
        root = Path(top.stdout.strip()).resolve()
        log = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--no-renames", "-z", "--", "."],
            cwd=folder, capture_output=True, text=True, timeout=120, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if log.returncode != 0:
        return {}
    found: dict[Path, str] = {}
    date = ""
    for token in log.stdout.split("\x00"):
        token = token.strip("\n")
        if not token:
            continue
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", token):
            date = token
            continue
        path = (root / token).resolve()
        if path in wanted and path not in found and date:
            found[path] = date
    return found


def check_file(
    loader: Loader,
    path: Path,
    folder: Path,
    last_change: str | None = None,
    *,
    analysed: Callable[[Analysis], None] | None = None,
) -> SiteJourney:
    """Load and analyse one file of the folder (never raises for a bad file).

    ``analysed`` is called with the journey's analysis before its personas are
    analysed (``serve`` starts laying out the flow diagram there, in parallel).
    """
    from .analysis import analyze, analyze_personas

    rel = _relative(path, folder)
    result = loader.check(path, name=rel)
    entry = SiteJourney(rel, path, problems=list(result.problems), last_change=last_change)
    entry.is_library = result.is_library
    if result.journey is not None:
        entry.journey = result.journey
        entry.analysis = analyze(result.journey)
        if analysed is not None:
            analysed(entry.analysis)
        if result.journey.personas:
            entry.persona_analyses = analyze_personas(result.journey, overall=entry.analysis)
    return entry


def assemble(folder: Path, entries: Iterable[SiteJourney]) -> Portfolio:
    """A portfolio of checked files: libraries apart; a journey id used twice is an error on the later file."""
    from dataclasses import replace

    journeys: list[SiteJourney] = []
    libraries: list[SiteJourney] = []
    taken: dict[str, SiteJourney] = {}
    for entry in sorted(entries, key=lambda e: e.file):
        if entry.is_library:
            libraries.append(entry)
            continue
        journey = entry.journey
        if journey is not None and journey.id in taken:
            first = taken[journey.id]
            span = journey.span("journey") or Span(entry.file)
            problem = Problem(
                span,
                "duplicate-journey-id",
                f"journey id '{journey.id}' is already used by {first.file}",
                "journey ids are unique within a folder of journeys: rename one",
            )
            entry = replace(entry, journey=None, analysis=None, persona_analyses={}, problems=[*entry.problems, problem])
        elif journey is not None:
            taken[journey.id] = entry
        journeys.append(entry)
    # Flows into other journeys are checked here, where every journey is known.
    from .links import check_links

    by_id = {e.journey.id: e for e in journeys if e.journey is not None}
    for problem in check_links(e.journey for e in by_id.values() if e.journey is not None):
        owner = next((e for e in by_id.values() if e.file == problem.span.file), None)
        if owner is not None:
            index = journeys.index(owner)
            journeys[index] = replace(owner, problems=sort_problems([*owner.problems, problem]))
    return Portfolio(folder, journeys, libraries)


def collect(folder: str | Path, *, git: bool = True) -> Portfolio:
    """Load and analyse every journey file under ``folder`` (never raises for a bad file).

    A file with errors stays in the portfolio with its problems; a second
    journey using an id already taken is an error on its ``id``; library files
    (``personas``/``channels``/``metrics`` only) are listed apart.
    """
    from .loader import Loader, find_journey_files

    folder = Path(folder)
    loader = Loader()  # one loader: a library imported by many journeys is parsed once
    # A file linked into the folder under a second name is one journey (shown by its real name), as in serve.
    files: list[Path] = []
    read: set[str] = set()
    for path in find_journey_files([folder]):
        if os.path.realpath(path) not in read:
            read.add(os.path.realpath(path))
            files.append(path)
    dates = last_changes(folder, files) if git else {}
    return assemble(folder, [check_file(loader, path, folder, dates.get(Path(os.path.realpath(path)))) for path in files])


# -- the view model -------------------------------------------------------------


def money(amount: float | None, currency: str | None) -> str:
    """``12345.6, "EUR"`` -> ``EUR 12,346``; None -> ``–``."""
    if amount is None:
        return "–"
    text = f"{amount:,.0f}"
    return f"{currency} {text}" if currency else text


def _stake(analysis: Analysis, touchpoint_id: str) -> float | None:
    """What fixing one weak touchpoint is worth a period (None: no value model, or no volume)."""
    stake = analysis.touchpoints[touchpoint_id].value_at_stake
    return stake.value_per_period if stake is not None else None


def _journey_stake(analysis: Analysis) -> float | None:
    """The value at stake of a journey: its weak touchpoints' values at stake a period, added up
    (each is what fixing that one touchpoint alone is worth; fixing several may overlap)."""
    stakes = [s for s in (_stake(analysis, t) for t in analysis.weak) if s is not None]
    return sum(stakes) if stakes else None


def _money_per_period(analysis: Analysis, amount: float | None) -> str:
    value = analysis.value
    if value is None or amount is None:
        return ""
    return f"{money(amount, value.currency)} a {value.period}"


def _metrics_text(analysis: Analysis, touchpoint_id: str) -> list[dict[str, str]]:
    from .render.html import STATUS_WORDS, real_minus

    result = analysis.touchpoints[touchpoint_id]
    shown = []
    for name, m in sorted(result.metrics.items()):
        icon, word = STATUS_WORDS.get(m.status, ("", m.status))
        shown.append(
            {
                "name": name,
                "label": m.label,
                "text": real_minus(m.text),
                "status": m.status,
                "icon": icon,
                "word": word,
                "target": real_minus(m.target_text or ""),
            }
        )
    return shown


def _journey_row(entry: SiteJourney) -> dict[str, Any]:
    from .render.escape import one_line
    from .render.html import percent

    journey, analysis = entry.journey, entry.analysis
    assert journey is not None and analysis is not None
    return {
        "id": journey.id,
        "title": one_line(journey.title) or journey.id,
        "owner": one_line(journey.owner) if journey.owner else "",
        "tags": [one_line(t) for t in journey.tags if one_line(t)],
        "conversion": percent(analysis.conversion),
        "weak": len(analysis.weak),
        "touchpoints": len(journey.touchpoints),
        "value": _money_per_period(analysis, _journey_stake(analysis)),
        "last_change": entry.last_change or "",
        "file": entry.file,
        "page": entry.page,
        "warnings": sum(not p.is_error for p in entry.problems),
    }


def _weak_rows(portfolio: Portfolio) -> list[dict[str, Any]]:
    """Every weak touchpoint of every journey, highest impact first (ties: journey file, then rank)."""
    from .render.escape import one_line
    from .render.html import percent, reason_shown

    rows: list[dict[str, Any]] = []
    for entry in portfolio.loaded:
        journey, analysis = entry.journey, entry.analysis
        assert journey is not None and analysis is not None
        for rank, tid in enumerate(analysis.weak, 1):
            result = analysis.touchpoints[tid]
            tp = journey.touchpoint_by_id[tid]
            rows.append(
                {
                    "journey": one_line(journey.title) or journey.id,
                    "journey_id": journey.id,
                    "id": tid,
                    "name": one_line(tp.name) or tid,
                    "stage": one_line(journey.stage_by_id[tp.stage].name) if tp.stage in journey.stage_by_id else tp.stage,
                    "channel": one_line(journey.channel_by_id[tp.channel].name) if tp.channel in journey.channel_by_id else tp.channel,
                    "owner": one_line(tp.owner) if tp.owner else "",
                    "reach": percent(result.reach),
                    "impact": result.impact,
                    "impact_text": f"{result.impact:.3f}",
                    "rank_in_journey": rank,
                    "reasons": [reason_shown(r) for r in result.reasons],
                    "value": _money_per_period(analysis, _stake(analysis, tid)),
                    "href": f"{entry.page}#tp-{tid}",
                    "sort": (-result.impact, entry.file, rank),
                }
            )
    rows.sort(key=lambda r: r["sort"])
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return rows


def _channel_rows(portfolio: Portfolio) -> list[dict[str, Any]]:
    """Channels across journeys, joined by channel id (shared libraries keep ids the same)."""
    from .render.escape import one_line
    from .render.html import percent, reason_shown

    channels: dict[str, dict[str, Any]] = {}
    for entry in portfolio.loaded:
        journey, analysis = entry.journey, entry.analysis
        assert journey is not None and analysis is not None
        for tp in journey.touchpoints:
            channel = journey.channel_by_id.get(tp.channel)
            row = channels.setdefault(
                tp.channel,
                {
                    "id": tp.channel,
                    "name": one_line(channel.name) if channel else tp.channel,
                    "kind": channel.kind if channel else "digital",
                    "touchpoints": [],
                    "journeys": set(),
                    "weak": 0,
                    "missed": 0,
                },
            )
            result = analysis.touchpoints.get(tp.id)
            if result is None:
                continue
            metrics = _metrics_text(analysis, tp.id)
            row["journeys"].add(journey.id)
            row["weak"] += result.weak
            row["missed"] += sum(m["status"] in ("below_target", "above_target") for m in metrics)
            row["touchpoints"].append(
                {
                    "journey": one_line(journey.title) or journey.id,
                    "id": tp.id,
                    "name": one_line(tp.name) or tp.id,
                    "reach": percent(result.reach),
                    "weak": result.weak,
                    "reasons": [reason_shown(r) for r in result.reasons],
                    "metrics": metrics,
                    "href": f"{entry.page}#tp-{tp.id}",
                }
            )
    shown = []
    for row in channels.values():
        count = len(row["touchpoints"])
        row["journeys"] = len(row["journeys"])
        row["count"] = count
        row["weak_share"] = percent(row["weak"] / count) if count else "–"
        shown.append(row)
    # Worst first: the share of weak touchpoints, then how many, then the name.
    shown.sort(key=lambda r: (-(r["weak"] / r["count"] if r["count"] else 0), -r["weak"], r["name"], r["id"]))
    return shown


def _persona_rows(portfolio: Portfolio) -> list[dict[str, Any]]:
    """Each persona (by id) across journeys: its conversion in each, and the weak touchpoints it meets."""
    from .render.escape import one_line
    from .render.html import percent, reason_shown

    personas: dict[str, dict[str, Any]] = {}
    for entry in portfolio.loaded:
        journey, analysis = entry.journey, entry.analysis
        assert journey is not None and analysis is not None
        for persona in journey.personas:
            row = personas.setdefault(
                persona.id, {"id": persona.id, "name": one_line(persona.name) or persona.id, "journeys": [], "suffers": 0}
            )
            own = entry.persona_analyses.get(persona.id, analysis)
            met = {t.id for t in journey.touchpoints_for(persona.id)}
            weak = []
            for tid in own.weak:
                if tid not in met:
                    continue
                result = own.touchpoints[tid]
                weak.append(
                    {
                        "id": tid,
                        "name": one_line(journey.touchpoint_by_id[tid].name) or tid,
                        "reasons": [reason_shown(r) for r in result.reasons],
                        "href": f"{entry.page}#tp-{tid}",
                    }
                )
            row["suffers"] += len(weak)
            row["journeys"].append(
                {
                    "title": one_line(journey.title) or journey.id,
                    "id": journey.id,
                    "href": entry.page,
                    "conversion": percent(own.conversion),
                    "touchpoints": len(met),
                    "weak": weak,
                }
            )
    return sorted(personas.values(), key=lambda r: (r["name"].casefold(), r["id"]))


def _link_rows(portfolio: Portfolio) -> list[dict[str, Any]]:
    """Flows from one journey into another (journeys of journeys), with the share of customers taking each."""
    from .links import journey_links
    from .render.escape import one_line
    from .render.html import percent

    entries = {e.journey.id: e for e in portfolio.loaded if e.journey is not None}
    analyses = {jid: e.analysis for jid, e in entries.items() if e.analysis is not None}
    rows = []
    for link in journey_links(analyses):
        source = entries[link.journey]
        target = entries.get(link.to_journey)
        assert source.journey is not None
        target_tp = target.journey.touchpoint_by_id.get(link.to_touchpoint) if target and target.journey else None
        rows.append(
            {
                "from_journey": one_line(source.journey.title) or link.journey,
                "from_touchpoint": one_line(source.journey.touchpoint_by_id[link.touchpoint].name) or link.touchpoint,
                "from_href": f"{source.page}#tp-{link.touchpoint}",
                "to_journey": one_line(target.journey.title) if target and target.journey else link.to_journey,
                "to_touchpoint": one_line(target_tp.name) if target_tp else link.to_touchpoint,
                "to_href": f"{target.page}#tp-{link.to_touchpoint}" if target_tp and target else "",
                "to_id": f"{link.to_journey}:{link.to_touchpoint}",
                "from_id": f"{link.journey}:{link.touchpoint}",
                "share": percent(link.share),
                "customers": percent(link.customers) if link.customers is not None else "–",
                "label": one_line(link.label) if link.label else "",
            }
        )
    return rows


def _problem_rows(portfolio: Portfolio) -> list[dict[str, Any]]:
    from .render.escape import one_line

    rows = []
    for entry in portfolio.broken:
        rows.append(
            {
                "file": entry.file,
                "problems": [
                    {
                        "where": str(p.span),
                        "level": p.level,
                        "code": p.code,
                        "message": one_line(p.message),
                        "hint": one_line(p.hint) if p.hint else "",
                    }
                    for p in entry.problems
                ],
            }
        )
    return rows


def site_context(portfolio: Portfolio) -> dict[str, Any]:
    """Everything the site's pages show, computed and sorted here (templates only lay it out)."""
    from . import __version__

    journeys = sorted((_journey_row(j) for j in portfolio.loaded), key=lambda r: (r["title"].casefold(), r["id"]))
    weak = _weak_rows(portfolio)
    links = _link_rows(portfolio)
    return {
        "version": __version__,
        "folder": portfolio.folder.resolve().name,
        "journeys": journeys,
        "weak": weak,
        "channels": _channel_rows(portfolio),
        "personas": _persona_rows(portfolio),
        "broken": _problem_rows(portfolio),
        "links": links,
        "libraries": sorted(j.file for j in portfolio.libraries),
        "has_value": any(r["value"] for r in journeys) or any(r["value"] for r in weak),
        "has_dates": any(r["last_change"] for r in journeys),
    }


# -- rendering -----------------------------------------------------------------

_BODY_OPEN = re.compile(r"<body[^>]*>\n?")


def add_site_nav(html: str, index_href: str = "../index.html", arrivals: list[tuple[str, str]] | None = None) -> str:
    """Put a "back to all journeys" bar at the top of a rendered map page, with the journeys
    customers arrive from (``arrivals``: (text, href) pairs, already plain text).

    The map template stays the one ``render`` uses; this is the only change a
    site makes to it. Raises ValueError if the page has no ``<body>``.
    """
    from .render.escape import xml_text

    match = _BODY_OPEN.search(html)
    if match is None:
        raise ValueError("the map page has no <body>")
    nav = (
        '<nav class="site-nav" aria-label="Journey portfolio" style="font:14px/1.4 system-ui,sans-serif;'
        'padding:6px 16px;background:#1d2b3a;color:#fff">'
        f'<a href="{index_href}" style="color:#fff">&larr; All journeys</a> · '
        f'<a href="{index_href.replace("index.html", "weak.html")}" style="color:#fff">Weak touchpoints</a>'
        + (
            " · Customers arrive from: "
            + ", ".join(
                f'<a data-arrives-from href="{xml_text(href)}" style="color:#fff">{xml_text(text)}</a>' for text, href in arrivals
            )
            if arrivals
            else ""
        )
        + "</nav>\n"
    )
    return html[: match.end()] + nav + html[match.end():]


def arrivals_of(links: list[dict[str, Any]], entry: SiteJourney) -> list[tuple[str, str]]:
    """The "arrives from" links of a journey's map: (text, href relative to the map page)."""
    assert entry.journey is not None
    prefix = f"{entry.journey.id}:"
    return [
        (f"{row['from_journey']} · {row['from_touchpoint']} → {row['to_touchpoint']} ({row['share']})", "../" + row["from_href"])
        for row in links
        if row["to_id"].startswith(prefix)
    ]


def render_site(
    portfolio: Portfolio,
    *,
    graphviz: Callable[[str, str], bytes] | None = None,
) -> Site:
    """Every page of the site as bytes, keyed by its path relative to the site root."""
    from .render.escape import utf8
    from .render.html import environment
    from .render.output import layout, render_outputs

    env = environment()  # one template environment for the maps and the portfolio pages
    context = site_context(portfolio)
    files: dict[str, bytes] = {}
    notes: list[str] = []
    for name in PAGES:
        template = env.get_template(f"site_{name.removesuffix('.html')}.html.j2")
        files[name] = utf8(template.render(context, page=name))
    for entry in portfolio.loaded:
        assert entry.analysis is not None
        rendered = render_outputs(
            entry.analysis, ["html"], persona_analyses=entry.persona_analyses or None, graphviz=graphviz or layout
        )
        notes += [f"{entry.file}: note: {n}" for n in rendered.notes]
        html = rendered.outputs["html"].decode("utf-8")
        files[entry.page] = utf8(add_site_nav(html, arrivals=arrivals_of(context["links"], entry)))
    return Site(dict(sorted(files.items())), notes)


def write_site(
    files: dict[str, bytes], out_dir: str | Path, *, waiting: Callable[[], None] | None = None
) -> list[Path]:
    """Write every page under ``out_dir``, all or nothing; return the paths, sorted.

    Every page is written beside its old one first, then all are put in place together
    (:func:`journeymap.files.write_all_atomic`): a build cut short (Ctrl-C, SIGTERM, a page that cannot
    be written) leaves the old site whole, never a mix of old and new pages. Other files in
    ``out_dir`` (a CNAME, pages of an earlier build) are left as they are. Two builds into one
    folder at once write one after the other (:class:`journeymap.files.folder_lock`; ``waiting`` is
    called if this one has to wait), never a mix of both sites."""
    from .files import folder_lock, write_all_atomic

    root = Path(out_dir)
    pages = [(root.joinpath(*name.split("/")), data) for name, data in sorted(files.items())]
    with folder_lock(root, waiting):
        write_all_atomic(pages)
    return [target for target, _ in pages]


GENERATOR_MARK = b'<meta name="generator" content="journeymap'
"""In the head of every page journeymap writes (a site page, a map), since the first of them."""


def foreign_pages(out_dir: str | Path, files: Iterable[str]) -> list[str]:
    """Pages of ``files`` that are in ``out_dir`` already and that journeymap did not write (no
    :data:`GENERATOR_MARK` in their first 8 KB): a project's own ``docs/index.html`` that the site
    would replace. Files that cannot be read are left to the write, which says why."""
    found = []
    for name in sorted(files):
        path = Path(out_dir).joinpath(*name.split("/"))
        if not os.path.isfile(path):  # not there (the common case), a folder, a FIFO (opening it waits)
            continue
        try:
            with open(path, "rb") as page:
                head = page.read(8192)
        except OSError:  # unreadable: the write says why
            continue
        if GENERATOR_MARK not in head:
            found.append(name)
    return found


def stale_pages(out_dir: str | Path, files: Iterable[str]) -> list[str]:
    """Map pages left in ``out_dir/journeys`` by an earlier build that this build did not write."""
    folder = Path(out_dir) / MAP_FOLDER
    if not folder.is_dir():
        return []
    keep = set(files)
    return sorted(
        f"{MAP_FOLDER}/{name}" for name in os.listdir(folder) if name.endswith(".html") and f"{MAP_FOLDER}/{name}" not in keep
    )
