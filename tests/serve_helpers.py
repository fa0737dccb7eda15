"""Starting and stopping ``journeymap serve`` for the tests: a subprocess on 127.0.0.1, a free port, bounded waits."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


class Server:
    """``journeymap serve FOLDER --port 0 ...`` in a subprocess; the links it prints are parsed."""

    def __init__(self, folder: Path, *args: str, timeout: float = 60) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "journeymap", "serve", str(folder), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.errors: list[str] = []  # stderr, read all along (a full pipe would block the server)
        threading.Thread(target=self._read, daemon=True).start()
        self._errors_thread = threading.Thread(target=self._read_errors, daemon=True)
        self._errors_thread.start()
        self.join_token = self.facilitator_token = ""
        deadline = time.monotonic() + timeout
        self.base = ""
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if match := re.search(r"(http://[^/]+/)\?token=(\S+)", line):
                if line.startswith("join"):
                    self.join_token = match.group(2)
                else:
                    self.facilitator_token = match.group(2)
                self.base = match.group(1)
            elif match := re.search(r"at (http://\S+/)", line):
                self.base = match.group(1)
            if line.startswith("watching"):
                break
        else:
            self.stop()
            raise RuntimeError("the server did not start in time: " + "".join(self.output))
        if not self.base:
            self.stop()
            raise RuntimeError("the server did not start: " + "".join(self.output) + "".join(self.errors))
        self.wait_ready()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def _read_errors(self) -> None:
        assert self.proc.stderr is not None
        try:
            for line in self.proc.stderr:
                self.errors.append(line)
        except ValueError:  # closed by stop()
            pass

    @property
    def origin(self) -> str:
        return self.base.rstrip("/")

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                r = httpx.get(self.base + "_jm/serve.js", headers={"x-journeymap-token": self.facilitator_token}, timeout=2)
                if r.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server does not answer")

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"origin": self.origin}
        if token:
            headers["x-journeymap-token"] = token
        return httpx.Client(base_url=self.base, headers=headers, timeout=kwargs.pop("timeout", 20), **kwargs)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._errors_thread.join(timeout=5)  # the process ended: its stderr is at its end
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._errors_thread.join(timeout=5)  # the process ended: its stderr is at its end
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


class Events:
    """The server's event stream read in a thread: ``next(match, timeout)`` waits for a matching event."""

    def __init__(self, server: Server, token: str | None = None) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.connected = threading.Event()
        self.closed = False
        self._client = server.client(token, timeout=httpx.Timeout(20, read=None))
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self.connected.wait(20):
            raise RuntimeError("no event stream")

    def _run(self) -> None:
        try:
            with self._client.stream("GET", "/events") as response:
                self.connected.set()
                for line in response.iter_lines():
                    if self.closed:
                        return
                    if line.startswith("data: "):
                        event = json.loads(line[6:])
                        event["_received"] = time.perf_counter()
                        self.events.put(event)
        except (httpx.HTTPError, RuntimeError):
            pass

    def next(self, match: Any, timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching event")
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                raise TimeoutError("no matching event") from None
            if match(event):
                return event

    def close(self) -> None:
        self.closed = True
        self._client.close()


def events_iter(server: Server) -> Iterator[Events]:
    events = Events(server)
    try:
        yield events
    finally:
        events.close()


def render_floor(path: Path) -> float:
    """Seconds to load, analyse and render ``path``'s map in this process right now (the best of two).

    The machine running the tests may be shared: a timing bound is "one second,
    or a small multiple of this floor when the machine is too busy for that".
    """
    from journeymap.analysis import analyze, analyze_personas
    from journeymap.loader import Loader
    from journeymap.render.output import render_outputs

    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        journey = Loader().check(path).journey
        assert journey is not None
        analysis = analyze(journey)
        personas = analyze_personas(journey, overall=analysis) if journey.personas else None
        render_outputs(analysis, ["html"], persona_analyses=personas)
        best = min(best, time.perf_counter() - start)
    return best


def time_limit(path: Path) -> float:
    return max(1.0, 2.5 * render_floor(path))


def slow_graphviz(folder: Path, seconds: float = 1.5) -> tuple[Path, Path]:
    """A ``dot`` that waits ``seconds`` while the returned flag file exists, then runs the real one.

    Put the returned folder first on ``PATH`` for the server: touching the flag
    makes the next layouts slow, so a test can see a map pushed before its diagram.
    """
    import shutil

    real = shutil.which("dot")
    assert real is not None, "Graphviz's dot is needed"
    bin_dir = folder / "slow-bin"
    bin_dir.mkdir()
    flag = folder / "slow-graphviz"
    script = bin_dir / "dot"
    script.write_text(f'#!/bin/sh\nif [ -e "{flag}" ]; then sleep {seconds}; fi\nexec "{real}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return bin_dir, flag
