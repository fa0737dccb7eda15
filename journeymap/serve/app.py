"""The ASGI app of ``journeymap serve``: the portfolio site, live, and the workshop.

Routes (every page is the one ``journeymap site`` writes, with a small script
added that listens for changes):

- ``GET /``, ``/index.html``, ``/weak.html``, ``/channels.html``, ``/personas.html``,
  ``/journeys/<id>.html``: the pages;
- ``GET /events``: server-sent events — ``reload`` (pages re-rendered after a
  save), ``diagram`` (a map pushed with a placeholder now has its new flow
  diagram: the page swaps it in), ``workshop`` (a vote, comment or proposal), ``presenter`` (the
  facilitator's scroll and selection);
- ``GET /source/<path>``: a journey or library file under the folder, as text;
- ``GET /api/workshop/<id>``; ``POST /api/workshop/<id>/vote|comment|propose``;
  ``POST /api/workshop/<id>/proposals/<pid>/accept|reject`` (facilitator);
  ``POST /api/presenter`` (facilitator).

Security: in workshop mode every request needs a token (the join link's or
the facilitator's; ``?token=`` once, then a SameSite=Lax cookie), else 403; a
write also needs a same-origin ``Origin`` and a JSON body within
:data:`MAX_BODY` bytes; the ``Host`` must be one the server was started for
(no DNS rebinding) unless the workshop binds to every interface. Nothing but
``*.yaml`` files under the folder is ever read from disk by a request.
"""

from __future__ import annotations

import asyncio
import hmac
import html as html_lib
import json
import os
import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from ..problems import visible
from ..render.escape import json_for_script, xml_text
from ..site import _relative
from .site_state import ServedSite
from .workshop import DEFAULT_VOTES, SidecarError, WorkshopError, WorkshopStore, sidecar_path

#: Largest request body accepted, in bytes.
MAX_BODY = 16 * 1024
#: Events a slow browser may fall behind before it is dropped (it reconnects and reloads).
QUEUE_SIZE = 10_000
COOKIE = "jm_token"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def _silent(line: str) -> None:
    """The default of :attr:`ServeOptions.say`: an app built without a CLI (tests, an embedding program) says nothing."""


@dataclass
class ServeOptions:
    folder: Path
    host: str = "127.0.0.1"
    port: int = 8000
    workshop: bool = False
    votes: int = DEFAULT_VOTES
    join_token: str | None = None
    facilitator_token: str | None = None
    watch: bool = True
    max_body: int = MAX_BODY
    timings: list[float] = field(default_factory=list)
    """Milliseconds from each file event to its push (the last 1,000), for benchmarks."""
    diagram_timings: list[float] = field(default_factory=list)
    """Milliseconds from a file event to the push of a changed diagram laid out after its map (the last 1,000)."""
    say: Callable[[str], None] = _silent
    """Where the server's notes and errors for the person who started it go (the CLI: standard error); each is one
    line of text from journey and workshop files, made visible (no terminal escapes) before it is handed over."""


class Hub:
    """Fans events out to every open event stream."""

    def __init__(self) -> None:
        self.queues: set[asyncio.Queue[dict[str, Any] | None]] = set()

    def subscribe(self) -> asyncio.Queue[dict[str, Any] | None]:
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(QUEUE_SIZE)
        self.queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any] | None]) -> None:
        self.queues.discard(queue)

    def publish(self, event: dict[str, Any]) -> None:
        for queue in list(self.queues):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:  # too far behind: end its stream; the browser reconnects and reloads
                self.queues.discard(queue)
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(None)

    def close(self) -> None:
        for queue in list(self.queues):
            try:
                queue.put_nowait(None)
            except asyncio.QueueFull:
                pass
        self.queues.clear()


def _csp_with_self(html: str) -> str:
    """Let the page load the live script and talk to this server (and nothing else)."""

    def widen(match: re.Match[str]) -> str:
        directives = [d.strip() for d in html_lib.unescape(match.group(2)).split(";") if d.strip()]
        out = []
        seen = set()
        for directive in directives:
            name = directive.split()[0]
            seen.add(name)
            if name in ("script-src", "connect-src"):
                directive += " 'self'"
            out.append(directive)
        out += [f"{name} 'self'" for name in ("script-src", "connect-src") if name not in seen]
        return match.group(1) + html_lib.escape("; ".join(out), quote=False).replace('"', "&quot;") + match.group(3)

    return re.sub(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', widen, html, count=1)


def _overlay(problems: list[dict[str, str]]) -> str:
    if not problems:
        return ""
    items = "".join(
        f'<li><code>{xml_text(p["where"])}</code>: <b>{xml_text(p["level"])}</b>[{xml_text(p["code"])}]: '
        f'<span dir="auto">{xml_text(p["message"])}</span>'
        + (f' <i dir="auto">({xml_text(p["hint"])})</i>' if p["hint"] else "")
        + "</li>"
        for p in problems
    )
    count = len(problems)
    return (
        f'<div id="jm-overlay" role="alert" data-problems="{count}"><div class="jm-overlay-box">'
        f"<p><b>The last save has {count} problem{'s' * (count != 1)}</b>; below is the last good map. "
        f"Fix the file and save again.</p><ul>{items}</ul></div></div>\n"
    )


def decorate(html: str, config: dict[str, Any], problems: list[dict[str, str]], style: str) -> str:
    """A site page as served: the CSP widened to this server, the overlay, the config and the live script."""
    html = _csp_with_self(html)
    html = html.replace("</head>", f"<style>{style}</style>\n</head>", 1)
    body = re.search(r"<body[^>]*>\n?", html)
    if body is not None:
        html = html[: body.end()] + _overlay(problems) + html[body.end():]
    tail = (
        f'<script type="application/json" id="jm-serve">{json_for_script(config)}</script>\n'
        '<script src="/_jm/serve.js"></script>\n'
    )
    index = html.rfind("</body>")
    return html[:index] + tail + html[index:]


def create_app(options: ServeOptions) -> Starlette:
    """The Starlette app serving ``options.folder``; the file watcher runs in its lifespan."""
    from ..render.html import environment

    folder = options.folder.resolve()
    site = ServedSite(folder)
    hub = Hub()
    stores: dict[str, WorkshopStore] = {}
    moved: dict[str, Path] = {}  # journey id -> the file it was renamed to while serving (said once)
    unreadable: dict[str, str] = {}  # journey id -> why its workshop file cannot be read (as said on stderr)
    journey_lock = asyncio.Lock()  # one write to a journey file at a time
    env = environment()
    script = env.get_template("serve.js.j2").render()
    style = env.get_template("serve.css.j2").render()
    stop = asyncio.Event()
    followers: set[asyncio.Task[None]] = set()  # renders after a save's push: diagrams, portfolio pages
    portfolio_due = asyncio.Event()  # a save happened since the portfolio pages were last rendered
    outside: list[frozenset[Path]] = [frozenset()]  # the imported files outside the folder being watched
    outside_stop = asyncio.Event()  # ends that watch: to start it again on other files, or for good

    # -- access -----------------------------------------------------------------

    def host_allowed(request: Request) -> bool:
        if options.workshop and options.host not in LOCAL_HOSTS:
            return True  # reachable from the room: the tokens guard it
        host = request.headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in LOCAL_HOSTS or name == options.host

    def role_of(request: Request) -> str:
        if not host_allowed(request):
            raise HTTPException(403, "unknown Host header (start the server for this host name)")
        if not options.workshop:
            return "viewer"
        token = request.query_params.get("token") or request.cookies.get(COOKIE) or request.headers.get("x-journeymap-token") or ""
        if options.facilitator_token and hmac.compare_digest(token.encode(), options.facilitator_token.encode()):
            return "facilitator"
        if options.join_token and hmac.compare_digest(token.encode(), options.join_token.encode()):
            return "participant"
        raise HTTPException(403, "a workshop token is needed: open the join link the facilitator shared")

    def check_write(request: Request, facilitator: bool = False) -> str:
        role = role_of(request)
        if not options.workshop:
            raise HTTPException(403, "start the server with --workshop to vote and comment")
        if facilitator and role != "facilitator":
            raise HTTPException(403, "only the facilitator may do this")
        origin = request.headers.get("origin")
        expected = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin is None:
            if request.headers.get("sec-fetch-site") != "same-origin":
                raise HTTPException(403, "cross-origin request refused (no Origin header)")
        elif origin != expected:
            raise HTTPException(403, "cross-origin request refused")
        return role

    async def read_json(request: Request) -> dict[str, Any]:
        length = request.headers.get("content-length")
        if length is not None and (not (length.isascii() and length.isdigit()) or int(length) > options.max_body):
            raise HTTPException(413, f"the request body is larger than {options.max_body} bytes")
        if not request.headers.get("content-type", "").split(";")[0].strip() == "application/json":
            raise HTTPException(415, "send JSON (Content-Type: application/json)")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > options.max_body:
                raise HTTPException(413, f"the request body is larger than {options.max_body} bytes")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise HTTPException(400, "the body is not JSON") from None
        except RecursionError:
            raise HTTPException(400, "the body is JSON nested too deep") from None
        if not isinstance(data, dict):
            raise HTTPException(400, "the body is not a JSON object")
        # JSON may spell half of a UTF-16 pair ("\ud800"): a string no UTF-8 file or answer can hold.
        for key, value in data.items():
            try:
                json.dumps([key, value], ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                raise HTTPException(
                    400, f"{json.dumps(key)} holds half of a UTF-16 surrogate pair (\\ud800-\\udfff alone): that is not text"
                ) from None
            except (RecursionError, ValueError):
                raise HTTPException(400, "the body is JSON nested too deep") from None
        return data

    # -- pages ------------------------------------------------------------------

    def token_redirect(request: Request) -> Response | None:
        """``?token=`` once: set the cookie and drop the token from the address (and from Referer headers)."""
        token = request.query_params.get("token")
        if not options.workshop or token is None:
            return None
        response = RedirectResponse(request.url.path, status_code=303)
        # Lax, not Strict: the link is opened from a chat or a mail on another site, and a Strict cookie is not
        # sent on this redirect of a navigation another site started. Writes stay same-origin (Origin checked).
        response.set_cookie(COOKIE, token, httponly=True, samesite="lax", path="/")
        return response

    def headers() -> dict[str, str]:
        return {
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Content-Security-Policy": "frame-ancestors 'none'",
        }

    async def page(request: Request) -> Response:
        role = role_of(request)
        redirect = token_redirect(request)
        if redirect is not None:
            return redirect
        name = request.path_params.get("name") or "index.html"
        found = site.page(name)
        if found is None:
            raise HTTPException(404, "no such page")
        html, problems = found
        journey_id = site.map_id(name)
        good = site.journey_file(journey_id) if journey_id else None
        config = {
            "page": name,
            "journey": journey_id,
            "role": role,
            "workshop": options.workshop and journey_id is not None,
            "source_hash": good.source_hash if good else None,
            "diagram": "pending" if good is not None and good.diagram_pending else "ready",
        }
        return Response(decorate(html, config, problems, style), media_type="text/html; charset=utf-8", headers=headers())

    async def serve_script(request: Request) -> Response:
        role_of(request)
        return Response(script, media_type="text/javascript; charset=utf-8", headers=headers())

    async def source(request: Request) -> Response:
        role_of(request)
        relative = request.path_params["path"]  # percent-decoded once, by the server: a '%' left is in the name
        parts = Path(relative).parts
        if not relative or relative.startswith("/") or ".." in parts or "\\" in relative or "\x00" in relative:
            raise HTTPException(404, "no such file")
        target = folder / relative
        if not target.name.endswith((".yaml", ".yml")) or not site.inside(target):
            raise HTTPException(404, "no such file")
        from ..files import read_bytes

        try:
            data = await asyncio.to_thread(read_bytes, target.resolve())
        except OSError:
            raise HTTPException(404, "no such file") from None
        return Response(data, media_type="text/plain; charset=utf-8", headers=headers())

    # -- live -------------------------------------------------------------------

    async def events(request: Request) -> Response:
        role_of(request)
        queue = hub.subscribe()

        async def stream() -> AsyncIterator[str]:
            try:
                yield "retry: 1000\n\n"
                while not stop.is_set():
                    try:
                        event = await asyncio.wait_for(queue.get(), 5)
                    except asyncio.TimeoutError:
                        yield ": ping\n\n"
                        continue
                    if event is None:
                        break
                    yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
            finally:
                hub.unsubscribe(queue)

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={**headers(), "X-Accel-Buffering": "no"}
        )

    def say(notes: list[str]) -> None:
        for note in notes:
            options.say(visible(note))

    async def saved(paths: set[Path], start: float) -> None:
        """Files changed on disk: re-render, push the saved maps, then their diagrams and the portfolio pages."""
        try:
            pages = await asyncio.to_thread(site.update, paths)
        except Exception as exc:  # keep serving the last good pages; say why in the browser
            hub.publish({"type": "error", "message": f"{type(exc).__name__}: {exc}"})
            return
        took = (time.perf_counter() - start) * 1000
        options.timings.append(took)
        del options.timings[:-1000]
        say(site.notes())
        for store in stores.values():  # a touchpoint removed: its votes leave the participants' limits, said once
            store.recount()
        if pages:  # else no map changed (a save of the same bytes): no page reloads for nothing
            hub.publish(
                {"type": "reload", "pages": sorted(pages), "took_ms": round(took, 1), "diagram_pending": site.pending_pages()}
            )
        layouts = site.waiting()
        if layouts:
            follow(diagrams(layouts, start))
        portfolio_due.set()
        if not any(t.get_name() == "journeymap-portfolio" for t in followers):
            follow(portfolio(start), "journeymap-portfolio")
        if site.outside_files() != outside[0]:  # an import from outside the folder came or went
            outside_stop.set()

    async def watch() -> None:
        import watchfiles

        def wanted(change: Any, path: str) -> bool:
            name = Path(path).name
            return name.endswith((".yaml", ".yml")) and not name.endswith(".workshop.yaml") and not name.startswith(".")

        async for changes in watchfiles.awatch(folder, stop_event=stop, step=20, watch_filter=wanted, rust_timeout=500):
            await saved({Path(p) for _, p in changes}, time.perf_counter())

    async def watch_outside() -> None:
        """Library files journeys import from outside the folder (``../shared/x.yaml`` in one repository): their
        folders, not recursively, restarted when the set of those files changes."""
        import watchfiles

        while not stop.is_set():
            outside_stop.clear()
            files = outside[0] = site.outside_files()
            if not files:
                await outside_stop.wait()
                continue
            names = {str(p) for p in files}

            def wanted(change: Any, path: str, names: set[str] = names) -> bool:
                return os.path.realpath(path) in names

            try:
                async for changes in watchfiles.awatch(
                    *sorted({str(p.parent) for p in files}), stop_event=outside_stop, step=20, watch_filter=wanted,
                    recursive=False, rust_timeout=500,
                ):
                    await saved({Path(p) for _, p in changes}, time.perf_counter())
            except (OSError, RuntimeError):  # a folder removed meanwhile: watch what there is now
                await asyncio.sleep(0.5)

    def follow(work: Any, name: str | None = None) -> None:
        task = asyncio.get_running_loop().create_task(work, name=name)
        followers.add(task)
        task.add_done_callback(followers.discard)

    async def portfolio(start: float) -> None:
        """The index, weak, channel and persona pages, after the saved maps were pushed (one refresh at a time)."""
        while portfolio_due.is_set():
            portfolio_due.clear()
            try:
                pages = await asyncio.to_thread(site.refresh_portfolio)
            except Exception as exc:
                hub.publish({"type": "error", "message": f"{type(exc).__name__}: {exc}"})
                return
            if pages:
                hub.publish({"type": "reload", "pages": sorted(pages), "took_ms": round((time.perf_counter() - start) * 1000, 1)})

    async def diagrams(layouts: list[Any], start: float) -> None:
        """Maps pushed with a placeholder: render each again when its layout ends, and say so."""
        waiting = {asyncio.wrap_future(f) for f in layouts}
        while waiting:
            _, waiting = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            try:
                pages = await asyncio.to_thread(site.finish)
            except Exception as exc:
                hub.publish({"type": "error", "message": f"{type(exc).__name__}: {exc}"})
                return
            if pages:
                took = (time.perf_counter() - start) * 1000
                options.diagram_timings.append(took)
                del options.diagram_timings[:-1000]
                hub.publish({"type": "diagram", "pages": sorted(pages), "took_ms": round(took, 1)})

    # -- workshop ---------------------------------------------------------------

    def store_for(journey_id: str) -> WorkshopStore:
        store = stores.get(journey_id)
        good = site.journey_file(journey_id)
        if store is not None:
            if good is not None and sidecar_path(good.file) != store.path and moved.get(journey_id) != good.file:
                moved[journey_id] = good.file  # renamed while serving: the record stays where it is, and that is said
                options.say(visible(
                    f"{store.name}: note: journey '{journey_id}' is now in {_relative(good.file, folder)}: its workshop "
                    f"record stays in {store.name} for this session; rename it "
                    f"{_relative(sidecar_path(good.file), folder)} before the next one, which reads that name"
                ))
            return store
        if good is None:
            raise WorkshopError(f"no journey '{journey_id}'", 404)

        def broadcast(event: dict[str, Any]) -> None:
            hub.publish({"type": "workshop", "kind": event["type"], "journey": journey_id, "item": event["item"]})

        path = sidecar_path(good.file)
        name = _relative(path, folder)

        def refuse(said: str) -> WorkshopError:
            if unreadable.get(journey_id) != said:  # said once on the terminal, and to every request
                unreadable[journey_id] = said
                options.say(visible(said))
            return WorkshopError(said, 409)

        # x.yaml and x.journey.yaml both have x.workshop.yaml: two stores would write over each other's record.
        for other_id, other in stores.items():
            other_file = site.journey_file(other_id)
            if other.path == path and other_id != journey_id and other_file is not None:
                raise refuse(
                    f"{name}: error: the workshop file of journey '{journey_id}' ({_relative(good.file, folder)}) is "
                    f"also the one of journey '{other_id}' ({_relative(other_file.file, folder)}): rename one of the "
                    f"two files; the workshop on journey '{journey_id}' records nothing until then"
                )
        try:
            store = WorkshopStore(
                path, journey_id, lambda: site.touchpoints(journey_id),
                votes_per_participant=options.votes, broadcast=broadcast, name=name,
                say=lambda note: options.say(visible(note)),
            )
        except SidecarError as exc:
            # Never written over: the people who wrote it may still want what is in it.
            raise refuse(
                f"{exc}; the workshop on journey '{journey_id}' records nothing until the file is fixed "
                "(it is left as it is)"
            ) from None
        unreadable.pop(journey_id, None)
        for note in store.notes:
            options.say(visible(note))
        store.start()
        stores[journey_id] = store
        return store

    async def workshop_state(request: Request) -> Response:
        role_of(request)
        if not options.workshop:
            raise HTTPException(404, "not a workshop")
        return JSONResponse(store_for(request.path_params["journey"]).state(), headers=headers())

    async def workshop_write(request: Request) -> Response:
        check_write(request)
        body = await read_json(request)
        store = store_for(request.path_params["journey"])
        action = request.path_params["action"]
        if action == "vote":
            answer = await store.vote(body)
        elif action == "comment":
            answer = await store.comment(body)
        elif action == "propose":
            answer = await store.propose(body)
        else:
            raise HTTPException(404, "no such action")
        return JSONResponse(answer, headers=headers())

    async def decide(request: Request) -> Response:
        check_write(request, facilitator=True)
        body = await read_json(request)
        journey_id = request.path_params["journey"]
        store = store_for(journey_id)
        proposal = store.proposal(request.path_params["proposal"])
        if proposal.get("status") != "open":
            raise WorkshopError(f"proposal {proposal['id']} is already {proposal.get('status')}", 409)
        if request.path_params["decision"] == "reject":
            return JSONResponse(await store.mark(proposal["id"], "rejected"), headers=headers())
        if request.path_params["decision"] != "accept":
            raise HTTPException(404, "no such decision")
        from .workshop import accept_into_journey

        async with journey_lock:
            good = site.journey_file(journey_id)
            if good is None:
                raise WorkshopError(f"no journey '{journey_id}'", 404)
            if site.broken_since(journey_id):  # not "changed on disk": reloading the page would not help
                raise WorkshopError(
                    f"{_relative(good.file, folder)} has errors since its last save (the map shows its last good "
                    f"version): fix the file, then accept proposal {proposal['id']}",
                    409,
                )
            expected = body.get("source_hash") if isinstance(body.get("source_hash"), str) else good.source_hash
            await asyncio.to_thread(accept_into_journey, good.file, proposal, expected, folder)
            try:
                item = await store.mark(proposal["id"], "accepted")
            except WorkshopError as exc:
                raise WorkshopError(
                    f"proposal {proposal['id']} is in {_relative(good.file, folder)} now, but {exc}. It is accepted "
                    "here, and written there with the next change",
                    exc.status,
                ) from None
        return JSONResponse(item, headers=headers())

    async def presenter(request: Request) -> Response:
        check_write(request, facilitator=True)
        body = await read_json(request)
        name = body.get("page")
        if not isinstance(name, str) or site.page(name) is None:
            raise HTTPException(400, "unknown page")
        event: dict[str, Any] = {"type": "presenter", "page": name}
        for axis in ("x", "y"):
            value = body.get(axis, 0)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise HTTPException(400, f"{axis} is a fraction 0..1")
            event[axis] = value
        selected = body.get("selected")
        if selected is not None and (not isinstance(selected, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,200}", selected)):
            raise HTTPException(400, "selected is a touchpoint id")
        event["selected"] = selected
        hub.publish(event)
        return JSONResponse({"ok": True}, headers=headers())

    async def no_endpoint(request: Request) -> Response:
        # Not "405 Method Not Allowed" from the page route, as if POST were the mistake.
        role_of(request)
        raise HTTPException(
            404,
            "no such endpoint: the workshop writes to /api/workshop/<journey>/vote, /comment, /propose and "
            "/proposals/<id>/accept or /reject",
        )

    # -- errors and lifespan ----------------------------------------------------

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=headers())
        return PlainTextResponse(f"{exc.status_code}: {exc.detail}\n", status_code=exc.status_code, headers=headers())

    async def workshop_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WorkshopError)
        return JSONResponse({"error": str(exc)}, status_code=exc.status, headers=headers())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await asyncio.to_thread(site.build)
        say(site.notes())
        if options.workshop:  # each workshop file read now: what is odd or unreadable in it is said at once
            for journey_id in sorted(site.good):
                try:
                    store_for(journey_id)
                except WorkshopError:
                    pass
        loop = asyncio.get_running_loop()
        tasks = [loop.create_task(watch()), loop.create_task(watch_outside())] if options.watch else []
        try:
            yield
        finally:
            stop.set()
            outside_stop.set()
            hub.close()
            for pending in [*followers, *tasks]:
                pending.cancel()
                try:
                    await pending
                except (asyncio.CancelledError, Exception):
                    pass
            site.close()
            for store in stores.values():
                await store.stop()

    app = Starlette(
        routes=[
            Route("/", page),
            Route("/events", events),
            Route("/_jm/serve.js", serve_script),
            Route("/source/{path:path}", source),
            Route("/api/workshop/{journey}", workshop_state),
            Route("/api/workshop/{journey}/proposals/{proposal}/{decision}", decide, methods=["POST"]),
            Route("/api/workshop/{journey}/{action}", workshop_write, methods=["POST"]),
            Route("/api/presenter", presenter, methods=["POST"]),
            Route("/{name:path}", page),
            Route("/{name:path}", no_endpoint, methods=["POST"]),
        ],
        exception_handlers={HTTPException: http_error, WorkshopError: workshop_error},
        lifespan=lifespan,
    )
    def closing() -> None:
        """The server is stopping (Ctrl-C, SIGTERM): end the event streams now, or open pages hold it up."""
        stop.set()
        outside_stop.set()
        hub.close()

    app.state.closing = closing
    app.state.site = site
    app.state.hub = hub
    app.state.options = options
    return app
