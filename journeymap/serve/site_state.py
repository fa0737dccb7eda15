"""The served site: every page of ``journeymap site``, kept up to date as files change.

Synchronous and thread-safe (one lock): the ASGI app calls it from a worker
thread so the event loop keeps answering while a journey is re-rendered.

A save that breaks a journey keeps its last good map: the page shows it with
an overlay listing the problems (file:line:col), until a good save replaces
both.

A save is pushed as soon as the new map is ready. Graphviz lays out the flow
diagram in its own process, started as soon as the journey is analysed; when
the diagram is unchanged (a metric-only save) its layout is reused, and when
it has not finished by the time the rest of the page is rendered, the map goes
out with a placeholder of the same size and :meth:`ServedSite.finish` renders
the complete page once the layout is in (``serve`` then pushes a ``diagram``
event, and open pages swap in the new drawing). The portfolio pages (index,
weak, channels, personas) cover every journey and follow the saved map:
:meth:`ServedSite.refresh_portfolio`.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..site import MAP_FOLDER, PAGES, Portfolio, SiteJourney, _link_rows, add_site_nav, arrivals_of

#: Graphviz layouts kept (DOT source hash -> SVG): a save that does not change the diagram skips Graphviz.
LAYOUT_CACHE = 256
#: The placeholder's size when the journey had no diagram before (Graphviz's units, points).
PLACEHOLDER_SIZE = ("600pt", "200pt")
PENDING_TEXT = "Laying out the new flow diagram…"

_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([0-9.]+pt)"[^>]*?\sheight="([0-9.]+pt)"')


@dataclass
class GoodMap:
    """The last map of a journey that loaded."""

    file: Path
    html: str
    """The page as served: the map with the site's bar."""
    source_hash: str
    touchpoints: frozenset[str] = frozenset()
    map_html: str = ""
    """The map as ``journeymap render`` writes it (the bar is added to it)."""
    arrivals: tuple[tuple[str, str], ...] = ()
    """The journeys customers arrive from, shown in the bar."""
    diagram_pending: tuple[str, str] | None = None
    """The layout (DOT digest, format) the page still waits for: it shows a placeholder until then."""


@dataclass
class _Waiting:
    """A map pushed with a placeholder diagram, to render again when its layout is in."""

    entry: SiteJourney
    key: tuple[str, str]


def placeholder_svg(size: tuple[str, str] = PLACEHOLDER_SIZE) -> bytes:
    """What the map shows while Graphviz lays out a changed diagram (the size of the last drawing)."""
    width, height = size
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"><g class="jm-diagram-pending">'
        f'<text x="16" y="28" font-size="16" fill="#5b6b7b">{PENDING_TEXT}</text></g></svg>'
    ).encode()


def svg_size(svg: bytes) -> tuple[str, str] | None:
    """The ``width`` and ``height`` Graphviz gave a drawing (``"812pt"``), if it says."""
    match = _SIZE.search(svg[:2000])
    return (match.group(1).decode("ascii"), match.group(2).decode("ascii")) if match else None


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ServedSite:
    """Pages by path (``index.html``, ``journeys/<id>.html``), rebuilt from the folder on demand."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.lock = threading.RLock()
        self.entries: dict[Path, SiteJourney] = {}
        self.hashes: dict[Path, str] = {}
        self.good: dict[str, GoodMap] = {}
        self.ids: dict[Path, str] = {}  # file -> the id of its last good journey
        self.pages: dict[str, str] = {}
        self.portfolio = Portfolio(self.folder, [])
        self._version = 0  # of the journeys' state, one more after each render of maps
        self._portfolio_version = 0  # the version the portfolio pages show
        self._layouts: dict[tuple[str, str], bytes] = {}
        self._loader: Any = None
        self._pending: dict[tuple[str, str], Future[bytes]] = {}
        self._waiting: dict[str, _Waiting] = {}  # journey id -> its map waiting for a layout
        self._sizes: dict[str, tuple[str, str]] = {}  # journey id -> the size of its last drawing
        self._links_out: set[str] = set()
        self._said: set[str] = set()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="journeymap-layout")

    # -- files ------------------------------------------------------------------

    def inside(self, path: Path) -> bool:
        """Whether ``path`` (symlinks resolved) is under the folder."""
        try:
            Path(os.path.realpath(path)).relative_to(self.folder)
        except (ValueError, OSError):
            return False
        return True

    def journey_files(self) -> list[Path]:
        from ..loader import find_journey_files

        files = []
        for path in find_journey_files([self.folder]):
            if self.inside(path):
                files.append(Path(os.path.realpath(path)))
            else:  # a symlink leading out of the folder is not part of it; said once (see notes())
                self._links_out.add(path.relative_to(self.folder).as_posix() if path.is_relative_to(self.folder) else str(path))
        return files

    def notes(self) -> list[str]:
        """What the terminal has not been told yet about the folder (links to journeys outside it)."""
        with self.lock:
            new = sorted(self._links_out - self._said)
            self._said.update(new)
        return [
            f"{name}: note: a link to a journey file outside the folder: not served (serve reads only the files "
            "under the folder): move the file in, or serve a folder that holds both"
            for name in new
        ]

    @staticmethod
    def _layout_now(dot: str, fmt: str) -> bytes:
        from ..render.output import layout

        return layout(dot, fmt)

    @staticmethod
    def _key(dot: str, fmt: str) -> tuple[str, str]:
        return hashlib.sha256(dot.encode("utf-8")).hexdigest(), fmt

    def _submit(self, key: tuple[str, str], dot: str) -> None:
        if key not in self._layouts and key not in self._pending:
            self._pending[key] = self._pool.submit(self._layout_now, dot, key[1])

    def _settle(self, key: tuple[str, str], dot: str) -> bytes:
        """The layout, waited for if it is running (a failure is raised, and not kept)."""
        cached = self._layouts.get(key)
        if cached is not None:
            return cached
        pending = self._pending.pop(key, None)
        try:
            cached = pending.result() if pending is not None else self._layout_now(dot, key[1])
        except CancelledError:
            from ..render.output import RenderError

            raise RenderError("the server is stopping") from None
        if len(self._layouts) >= LAYOUT_CACHE:
            self._layouts.pop(next(iter(self._layouts)))
        self._layouts[key] = cached
        return cached

    def _layout(self, dot: str, fmt: str) -> bytes:
        """Graphviz through the cache: a layout started early is waited for, an unchanged diagram reused."""
        return self._settle(self._key(dot, fmt), dot)

    # -- building ---------------------------------------------------------------

    def build(self, *, wait: bool = True) -> set[str]:
        """Check every file again (a library changed, a file came or went); return the pages that changed.

        ``wait``: every map complete with its diagram (the first build); else a diagram still
        being laid out is a placeholder until :meth:`finish`.
        """
        from ..loader import Loader
        from ..site import last_changes

        with self.lock:
            files = self.journey_files()
            dates = last_changes(self.folder, files)
            loader = self._loader = Loader()
            self.entries = {}
            for path in files:
                self._check(loader, path, dates.get(path))
            for gone in set(self.ids) - set(files):
                journey_id = self.ids.pop(gone)
                self.good.pop(journey_id, None)
                self._waiting.pop(journey_id, None)
            pages = self._render(set(files), wait=wait)
        return pages | self.refresh_portfolio()

    def update(self, changed: Iterable[Path]) -> set[str]:
        """Re-check the journey files that changed; anything else (a library, a new or removed file) rebuilds all.

        Returns the map pages that changed; the portfolio pages follow with :meth:`refresh_portfolio`
        (a rebuild includes them). A map whose diagram is still being laid out gets a placeholder:
        see :meth:`waiting` and :meth:`finish`.
        """
        from ..loader import Loader

        with self.lock:
            paths = {p.resolve() for p in changed}
            # An editor saving an unchanged buffer: nothing to render, nothing to push.
            paths -= {p for p in paths if p in self.entries and self._unchanged(p)}
            paths -= {p for p in paths if self._foreign(p)}
            if not paths:
                return set()
            known = {p for p in paths if p in self.entries and not self.entries[p].is_library and p.is_file()}
            if known != paths:
                return self.build(wait=False)
            # No library changed (that would have rebuilt everything): the libraries parsed for the last
            # build are still right, so the saved journeys are checked with the same loader.
            loader = self._loader or Loader()
            for path in known:
                self._check(loader, path, self.entries[path].last_change)
            return self._render(known, wait=False)

    def outside_files(self) -> frozenset[Path]:
        """The library files journeys import from outside the folder (a library shared in one repository)."""
        with self.lock:
            loader = self._loader
            if loader is None:
                return frozenset()
            return frozenset(p for p in (Path(os.path.realpath(f)) for f in loader.libraries()) if not self.inside(p))

    def _foreign(self, path: Path) -> bool:
        """A YAML file that is no journey and no library a journey imports (``mkdocs.yml`` in ``serve .``):
        its saves change no page. While an import is missing, any file might be it: none is foreign."""
        from ..loader import declares_journeymap

        if path in self.entries or (self._loader is not None and path in self._loader.libraries()):
            return False
        if any(p.code == "import-missing" for entry in self.entries.values() for p in entry.problems):
            return False
        return not path.is_file() or not declares_journeymap(path)

    def _unchanged(self, path: Path) -> bool:
        """Whether the file holds the bytes it held when it was last checked."""
        from ..files import read_bytes

        try:
            return file_hash(read_bytes(path)) == self.hashes.get(path)
        except OSError:
            return False

    def waiting(self) -> list[Future[bytes]]:
        """The layouts maps are waiting for (call :meth:`finish` as each one ends)."""
        with self.lock:
            return [self._pending[w.key] for w in self._waiting.values() if w.key in self._pending]

    def pending_pages(self) -> list[str]:
        """The map pages showing a placeholder while their diagram is laid out."""
        with self.lock:
            return sorted(w.entry.page for w in self._waiting.values())

    def finish(self) -> set[str]:
        """Render again, complete, every map whose layout has ended; return their pages."""
        with self.lock:
            pages: set[str] = set()
            for journey_id, waiting in list(self._waiting.items()):
                pending = self._pending.get(waiting.key)
                if pending is not None and not pending.done():
                    continue
                del self._waiting[journey_id]
                good = self.good.get(journey_id)
                if good is None or good.diagram_pending != waiting.key:
                    continue  # a later save replaced this map
                self.good[journey_id] = self._map(waiting.entry, good.source_hash, good.arrivals, wait=True)
                pages.add(waiting.entry.page)
            return pages

    def _check(self, loader: Any, path: Path, date: str | None) -> None:
        from ..files import read_bytes
        from ..site import check_file

        try:
            raw = read_bytes(path)
        except OSError:
            raw = b""
        self.hashes[path] = file_hash(raw)
        self.entries[path] = check_file(loader, path, self.folder, date, analysed=self._start_layout)

    def _start_layout(self, analysis: Any) -> None:
        """Start Graphviz on the map's diagram now, while the personas are analysed (it runs in its own process)."""
        from ..render.dot import diagram_plan, render_dot, render_stage_dot

        dot = render_dot(analysis, links=True) if diagram_plan(analysis).kind == "full" else render_stage_dot(analysis)
        self._submit(self._key(dot, "svg"), dot)

    def _map(self, entry: SiteJourney, source_hash: str, arrivals: tuple[tuple[str, str], ...], *, wait: bool) -> GoodMap:
        """A journey's page; without ``wait``, a diagram not laid out yet is a placeholder."""
        from ..render.output import render_outputs

        assert entry.journey is not None and entry.analysis is not None
        journey_id = entry.journey.id
        placeholder: tuple[str, str] | None = None

        def graphviz(dot: str, fmt: str) -> bytes:
            nonlocal placeholder
            key = self._key(dot, fmt)
            if not wait and key not in self._layouts:
                self._submit(key, dot)
                if not self._pending[key].done():
                    placeholder = key
                    return placeholder_svg(self._sizes.get(journey_id, PLACEHOLDER_SIZE))
            svg = self._settle(key, dot)
            size = svg_size(svg)
            if size is not None:
                self._sizes[journey_id] = size
            return svg

        rendered = render_outputs(entry.analysis, ["html"], persona_analyses=entry.persona_analyses or None, graphviz=graphviz)
        map_html = rendered.outputs["html"].decode("utf-8")
        if placeholder is not None:
            self._waiting[journey_id] = _Waiting(entry, placeholder)
        else:
            self._waiting.pop(journey_id, None)
        return GoodMap(
            entry.path.resolve(),
            add_site_nav(map_html, arrivals=list(arrivals)),
            source_hash,
            frozenset(entry.journey.touchpoint_by_id),
            map_html,
            arrivals,
            placeholder,
        )

    def _render(self, changed: set[Path], *, wait: bool) -> set[str]:
        from ..site import assemble

        portfolio = assemble(self.folder, self.entries.values())
        self.portfolio = portfolio
        links = _link_rows(portfolio)
        pages: set[str] = set()
        by_file = {entry.path.resolve(): entry for entry in portfolio.journeys}
        for path in sorted(changed):
            entry = by_file.get(path)
            if entry is None:
                continue
            if entry.ok:
                assert entry.journey is not None
                old = self.ids.get(path)
                if old is not None and old != entry.journey.id:
                    self.good.pop(old, None)
                    self._waiting.pop(old, None)
                    pages.add(f"{MAP_FOLDER}/{old}.html")
                arrivals = tuple(arrivals_of(links, entry))
                self.good[entry.journey.id] = self._map(entry, self.hashes.get(path, ""), arrivals, wait=wait)
                self.ids[path] = entry.journey.id
                pages.add(entry.page)
            elif path in self.ids:
                pages.add(f"{MAP_FOLDER}/{self.ids[path]}.html")  # the overlay changes
        # A link into a journey is drawn on its map too (where customers arrive from): a save of one
        # journey can change another's bar.
        for entry in portfolio.journeys:
            good = self.good.get(entry.journey.id) if entry.ok and entry.journey is not None else None
            if good is None or good.file != entry.path.resolve():
                continue
            arrivals = tuple(arrivals_of(links, entry))
            if arrivals != good.arrivals:
                good.arrivals = arrivals
                good.html = add_site_nav(good.map_html, arrivals=list(arrivals))
                pages.add(entry.page)
        # Layouts of journeys that did not get a map (a duplicate id) are not waited for.
        needed = {w.key for w in self._waiting.values()}
        for key in [k for k in self._pending if k not in needed]:
            del self._pending[key]
        self._version += 1
        return pages

    def refresh_portfolio(self) -> set[str]:
        """Render the index, weak, channel and persona pages for the journeys as they are now; return those that changed.

        :meth:`update` leaves them to this (they cover every journey: in a folder of fifty they take
        longer than the saved map), and it runs outside the lock, so pages keep being served meanwhile.
        """
        from ..render.html import environment
        from ..site import site_context

        with self.lock:
            portfolio, version = self.portfolio, self._version
            if version <= self._portfolio_version:
                return set()
        context = site_context(portfolio)
        env = environment()
        rendered = {
            name: env.get_template(f"site_{name.removesuffix('.html')}.html.j2").render(context, page=name) for name in PAGES
        }
        with self.lock:
            if version <= self._portfolio_version:
                return set()  # a later refresh got there first
            self._portfolio_version = version
            changed = {name for name, html in rendered.items() if self.pages.get(name) != html}
            self.pages.update(rendered)
            return changed

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- reading ----------------------------------------------------------------

    def map_id(self, page: str) -> str | None:
        match = re.fullmatch(rf"{MAP_FOLDER}/([a-z0-9][a-z0-9-]*)\.html", page)
        return match.group(1) if match else None

    def page(self, name: str) -> tuple[str, list[dict[str, str]]] | None:
        """A page's HTML and the problems to overlay on it (a broken save of that journey); None if unknown."""
        with self.lock:
            if name in self.pages:
                return self.pages[name], []
            journey_id = self.map_id(name)
            if journey_id is None or journey_id not in self.good:
                return None
            good = self.good[journey_id]
            entry = self.entries.get(good.file)
            problems = []
            if entry is not None and not entry.ok:
                problems = [
                    {"where": str(p.span), "level": p.level, "code": p.code, "message": p.message, "hint": p.hint or ""}
                    for p in entry.problems
                ]
            return good.html, problems

    def diagram_pending(self, journey_id: str) -> bool:
        """Whether the journey's map shows a placeholder while its diagram is laid out."""
        with self.lock:
            good = self.good.get(journey_id)
            return good is not None and good.diagram_pending is not None

    def broken_since(self, journey_id: str) -> bool:
        """Whether the journey's file was saved with errors after its last good version (the map has the overlay)."""
        with self.lock:
            good = self.good.get(journey_id)
            entry = self.entries.get(good.file) if good is not None else None
            return entry is not None and not entry.ok

    def journey_file(self, journey_id: str) -> GoodMap | None:
        with self.lock:
            return self.good.get(journey_id)

    def touchpoints(self, journey_id: str) -> set[str]:
        """The touchpoint ids of the journey's last good version."""
        with self.lock:
            good = self.good.get(journey_id)
            return set(good.touchpoints) if good else set()
