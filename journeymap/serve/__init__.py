"""``journeymap serve``: the portfolio site, live, and workshops on it (the only async code).

- :mod:`.site_state` keeps every page of the site, re-rendering a journey when its file is saved;
- :mod:`.workshop` keeps a workshop's votes, comments and proposals in a sidecar file;
- :mod:`.app` is the Starlette app: pages, server-sent events, the workshop API, the file watcher.

Starlette, uvicorn and watchfiles come with the ``journeymap[serve]`` extra and
are imported only here.
"""

from __future__ import annotations

from .app import ServeOptions, create_app

__all__ = ["ServeOptions", "create_app"]
