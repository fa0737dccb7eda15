"""journeymap serve [DIR]: the portfolio site on localhost, re-rendered on save; workshops with --workshop."""

from __future__ import annotations

import argparse
import sys
from typing import Any

HELP = "serve every journey under a folder on localhost, live-reloaded on save; --workshop for votes and comments"

LOCAL = ("127.0.0.1", "localhost", "::1")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", default=".", metavar="DIR", help="folder of journey files (default: .)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1; others need --workshop)")
    parser.add_argument("--workshop", action="store_true", help="let participants vote, comment and propose (needs the join link's token)")
    parser.add_argument("--votes", type=int, default=5, metavar="N", help="votes per participant in a workshop (default: 5)")


def run(args: argparse.Namespace) -> int:
    import asyncio
    import secrets
    import socket
    from pathlib import Path

    from . import UsageError

    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"no such folder: {args.folder}")
    if args.host not in LOCAL and not args.workshop:
        raise UsageError(
            f"--host {args.host} makes the server reachable from other machines: that needs --workshop "
            "(every request then needs a token)"
        )
    if not 0 <= args.port <= 65535:
        raise UsageError("--port is 0..65535")
    if args.votes < 1:
        raise UsageError("--votes is at least 1")
    try:
        import uvicorn

        from ..serve import ServeOptions, create_app
    except ImportError as exc:
        raise UsageError(
            f"journeymap serve needs Starlette, uvicorn and watchfiles ({exc.name} is missing): "
            "pip install 'journeymap[serve]'"
        ) from None
    from ..loader import find_journey_files

    if not any(True for _ in find_journey_files([folder])):
        raise UsageError(f"no journey files found under {args.folder} (a journey file is *.yaml declaring 'journeymap:')")

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    port = sock.getsockname()[1]
    options = ServeOptions(folder=folder, host=args.host, port=port, workshop=args.workshop, votes=args.votes,
                           say=lambda line: print(line, file=sys.stderr, flush=True))
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    if args.workshop and args.host in ("0.0.0.0", "::"):
        shown_host = socket.gethostname()
    base = f"http://{shown_host}:{port}/"
    if args.workshop:
        options.join_token = secrets.token_urlsafe(18)
        options.facilitator_token = secrets.token_urlsafe(18)
        print(f"join link (share it):      {base}?token={options.join_token}")
        print(f"facilitator link (keep it): {base}?token={options.facilitator_token}")
    else:
        print(f"serving {folder} at {base}")
    print("watching for saves; Ctrl-C stops", flush=True)
    app = create_app(options)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1, lifespan="on", access_log=False)

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            super().handle_exit(sig, frame)
            # An open page's event stream never ends by itself: uvicorn would wait for it, then cancel it
            # with a traceback. End the streams first (in the loop: this runs in a signal handler).
            try:
                asyncio.get_running_loop().call_soon_threadsafe(app.state.closing)
            except RuntimeError:  # not serving yet
                pass

    server = Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    print("stopped", file=sys.stderr)
    return 0
