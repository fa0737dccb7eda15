"""The served site: every page of ``journeymap site``, kept up to date as files change.

Synchronous and thread-safe (one lock): the ASGI app calls it from a worker
thread so the event loop keeps answering while a journey is re-rendered.

A save that breaks a journey keeps its last good map: the page shows it with
an overlay listing the problems (file:line:col), until a good save replaces
both.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..site import MAP_FOLDER, PAGES, Portfolio, SiteJourney, _link_rows, add_site_nav, arrivals_of

#: Graphviz layouts kept (DOT source hash -> SVG): a save that does not change the diagram skips Graphviz.
LAYOUT_CACHE = 256


@dataclass
class GoodMap:
    """The last map of a journey that loaded."""

    file: Path
    html: str
    source_hash: str
    touchpoints: frozenset[str] = frozenset()


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
        self._layouts: dict[tuple[str, str], bytes] = {}
        self._loader: Any = None
        self._pending: dict[tuple[str, str], Future[bytes]] = {}
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="journeymap-layout")

    # -- files ------------------------------------------------------------------

    def inside(self, path: Path) -> bool:
        """Whether ``path`` (symlinks resolved) is under the folder."""
        try:
            path.resolve().relative_to(self.folder)
        except (ValueError, OSError):
            return False
        return True

    def journey_files(self) -> list[Path]:
        from ..loader import find_journey_files

        # A symlink leading out of the folder is not part of it.
        return [p.resolve() for p in find_journey_files([self.folder]) if self.inside(p)]

    @staticmethod
    def _layout_now(dot: str, fmt: str) -> bytes:
        from ..render.output import layout

        return layout(dot, fmt)

    def _layout(self, dot: str, fmt: str) -> bytes:
        """Graphviz through the cache: a layout started early is waited for, an unchanged diagram reused."""
        key = (hashlib.sha256(dot.encode("utf-8")).hexdigest(), fmt)
        cached = self._layouts.get(key)
        if cached is None:
            pending = self._pending.pop(key, None)
            cached = pending.result() if pending is not None else self._layout_now(dot, fmt)
            if len(self._layouts) >= LAYOUT_CACHE:
                self._layouts.pop(next(iter(self._layouts)))
            self._layouts[key] = cached
        return cached

    # -- building ---------------------------------------------------------------

    def build(self) -> set[str]:
        """Check every file again (a library changed, a file came or went); return the pages that changed."""
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
            return self._render(set(files))

    def update(self, changed: Iterable[Path]) -> set[str]:
        """Re-check the journey files that changed; anything else (a library, a new or removed file) rebuilds all."""
        from ..loader import Loader

        with self.lock:
            paths = {p.resolve() for p in changed}
            known = {p for p in paths if p in self.entries and not self.entries[p].is_library and p.is_file()}
            if known != paths:
                return self.build()
            # No library changed (that would have rebuilt everything): the libraries parsed for the last
            # build are still right, so the saved journeys are checked with the same loader.
            loader = self._loader or Loader()
            for path in known:
                self._check(loader, path, self.entries[path].last_change)
            return self._render(known)

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
        from ..render.dot import render_dot

        dot = render_dot(analysis, links=True)
        key = (hashlib.sha256(dot.encode("utf-8")).hexdigest(), "svg")
        if key in self._layouts or key in self._pending:
            return
        self._pending[key] = self._pool.submit(self._layout_now, dot, "svg")

    def _render(self, changed: set[Path]) -> set[str]:
        from ..render.html import environment
        from ..render.output import render_outputs
        from ..site import assemble, site_context

        portfolio = assemble(self.folder, self.entries.values())
        self.portfolio = portfolio
        pages: set[str] = set()
        by_file = {entry.path.resolve(): entry for entry in portfolio.journeys}
        for path in sorted(changed):
            entry = by_file.get(path)
            if entry is None:
                continue
            if entry.ok:
                assert entry.journey is not None and entry.analysis is not None
                old = self.ids.get(path)
                if old is not None and old != entry.journey.id:
                    self.good.pop(old, None)
                    pages.add(f"{MAP_FOLDER}/{old}.html")
                rendered = render_outputs(
                    entry.analysis, ["html"], persona_analyses=entry.persona_analyses or None, graphviz=self._layout
                )
                html = rendered.outputs["html"].decode("utf-8")
                html = add_site_nav(html, arrivals=arrivals_of(_link_rows(portfolio), entry))
                self.good[entry.journey.id] = GoodMap(
                    path, html, self.hashes.get(path, ""), frozenset(entry.journey.touchpoint_by_id)
                )
                self.ids[path] = entry.journey.id
                pages.add(entry.page)
            elif path in self.ids:
                pages.add(f"{MAP_FOLDER}/{self.ids[path]}.html")  # the overlay changes
        self._pending.clear()  # layouts of journeys that did not get a map (a duplicate id) are not waited for
        context = site_context(portfolio)
        env = environment()
        for name in PAGES:
            html = env.get_template(f"site_{name.removesuffix('.html')}.html.j2").render(context, page=name)
            if self.pages.get(name) != html:
                self.pages[name] = html
                pages.add(name)
        return pages

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

    def journey_file(self, journey_id: str) -> GoodMap | None:
        with self.lock:
            return self.good.get(journey_id)

    def touchpoints(self, journey_id: str) -> set[str]:
        """The touchpoint ids of the journey's last good version."""
        with self.lock:
            good = self.good.get(journey_id)
            return set(good.touchpoints) if good else set()
