"""journeymap serve: a real uvicorn on 127.0.0.1 (a subprocess on a free port), driven over HTTP."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from serve_helpers import Events, Server, slow_graphviz, time_limit

from journeymap.cli import main

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "sample_journeys"
GROCERY = "grocery-first-order.journey.yaml"


def copy_samples(target: Path) -> Path:
    shutil.copytree(SAMPLES, target, ignore=shutil.ignore_patterns("*.csv", "README.md", "*.json"))
    return target


def wait_for(condition: object, timeout: float = 10, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(step)
    raise AssertionError("condition not met in time")


# -- live reload (no workshop) ----------------------------------------------------


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    folder = copy_samples(tmp_path_factory.mktemp("live") / "journeys")
    server = Server(folder)
    try:
        yield server, folder
    finally:
        server.stop()


def test_pages_are_served_with_the_live_script(live: tuple[Server, Path]) -> None:
    server, _ = live
    with server.client() as client:
        index = client.get("/")
        assert index.status_code == 200
        assert 'href="journeys/grocery-first-order.html"' in index.text
        assert '<script src="/_jm/serve.js"></script>' in index.text
        assert "connect-src 'self'" in index.text
        page = client.get("/journeys/grocery-first-order.html")
        assert page.status_code == 200 and "First online grocery order" in page.text
        # The map's own script still runs: its hash stays in the widened policy.
        assert "script-src 'sha256-" in page.text and "'self'" in page.text
        assert page.headers["referrer-policy"] == "no-referrer"
        assert client.get("/journeys/nope.html").status_code == 404
        assert client.get("/_jm/serve.js").headers["content-type"].startswith("text/javascript")


def test_writes_need_workshop_mode(live: tuple[Server, Path]) -> None:
    server, _ = live
    with server.client() as client:
        r = client.post("/api/workshop/grocery-first-order/vote", json={"touchpoint": "x", "participant": "p"})
        assert r.status_code == 403 and "--workshop" in r.json()["error"]


def test_a_foreign_host_header_is_refused(live: tuple[Server, Path]) -> None:
    server, _ = live
    with server.client() as client:
        assert client.get("/", headers={"host": "evil.example"}).status_code == 403


def test_save_pushes_a_reload_within_a_second_and_a_broken_save_shows_an_overlay(live: tuple[Server, Path]) -> None:
    server, folder = live
    path = folder / GROCERY
    original = path.read_text(encoding="utf-8")
    events = Events(server)
    try:
        limit = time_limit(path)  # a second, or 2.5x rendering it here when the machine is busy
        time.sleep(0.3)  # the watcher is running; let the stream settle
        start = time.perf_counter()
        path.write_text(original.replace("title: First online grocery order", "title: First grocery order, renamed"), encoding="utf-8")
        event = events.next(lambda e: e["type"] == "reload" and "journeys/grocery-first-order.html" in e["pages"], timeout=10)
        assert event["_received"] - start < limit, f"reload pushed after {event['_received'] - start:.2f} s (limit {limit:.2f})"
        with server.client() as client:
            assert "First grocery order, renamed" in client.get("/journeys/grocery-first-order.html").text
            # A broken save: the last good map, with the problems over it.
            path.write_text(original.replace("stage: checkout", "stage: checkuot", 1), encoding="utf-8")
            events.next(lambda e: e["type"] == "reload" and "journeys/grocery-first-order.html" in e["pages"], timeout=10)
            page = client.get("/journeys/grocery-first-order.html").text
            # The portfolio pages follow the map, in their own push.
            index_event = events.next(lambda e: e["type"] == "reload" and "index.html" in e["pages"], timeout=10)
            assert "journeys/grocery-first-order.html" not in index_event["pages"]
            assert 'id="jm-overlay"' in page
            overlay = page.split('id="jm-overlay"', 1)[1].split("</div></div>", 1)[0]
            assert re.search(r"<code>grocery-first-order\.journey\.yaml:\d+:\d+</code>", overlay)
            assert "unknown stage &#x27;checkuot&#x27;" in overlay
            assert "First grocery order, renamed" in page  # the last good map is still there
            assert 'data-broken-file="grocery-first-order.journey.yaml"' in client.get("/").text
            # The next good save clears it.
            path.write_text(original, encoding="utf-8")
            events.next(lambda e: e["type"] == "reload" and "journeys/grocery-first-order.html" in e["pages"], timeout=10)
            page = client.get("/journeys/grocery-first-order.html").text
            assert 'id="jm-overlay"' not in page and "First online grocery order" in page
    finally:
        path.write_text(original, encoding="utf-8")
        events.close()


def test_a_save_that_changes_nothing_pushes_nothing(live: tuple[Server, Path]) -> None:
    """An editor saving an unchanged buffer (Ctrl-S out of habit, a format-on-save that changed nothing) rendered
    the journey again and reloaded every open page: the room's scroll and open panels jumped for nothing. So did
    a library saved unchanged, for every map."""
    server, folder = live
    path = folder / GROCERY
    library = folder / "library" / "shared.yaml"
    events = Events(server)
    try:
        deadline = time.monotonic() + 20  # the pushes of earlier saves (diagrams, portfolio pages) are over
        while time.monotonic() < deadline:
            try:
                events.next(lambda e: True, timeout=1)
            except TimeoutError:
                break
        path.write_bytes(path.read_bytes())
        library.write_bytes(library.read_bytes())
        with pytest.raises(TimeoutError):
            events.next(lambda e: e["type"] in ("reload", "diagram", "error"), timeout=2)
        # A real change after it is still pushed.
        original = path.read_text(encoding="utf-8")
        try:
            path.write_text(original.replace("title: First online grocery order", "title: Grocery, unchanged save test"), encoding="utf-8")
            events.next(lambda e: e["type"] == "reload" and "journeys/grocery-first-order.html" in e["pages"], timeout=10)
        finally:
            path.write_text(original, encoding="utf-8")
            events.next(lambda e: e["type"] == "reload" and "journeys/grocery-first-order.html" in e["pages"], timeout=10)
    finally:
        events.close()


def test_a_yaml_file_that_is_no_journey_changes_no_page(live: tuple[Server, Path]) -> None:
    """``journeymap serve .`` in a repository: saving its mkdocs.yml (or docker-compose.yml, any YAML that is no
    journey and no library a journey imports) rebuilt every journey and reloaded every open page of the room."""
    server, folder = live
    other = folder / "mkdocs.yml"
    events = Events(server)
    try:
        deadline = time.monotonic() + 20  # the pushes of earlier saves are over
        while time.monotonic() < deadline:
            try:
                events.next(lambda e: True, timeout=1)
            except TimeoutError:
                break
        other.write_text("site_name: CX journeys\n", encoding="utf-8")
        other.write_text("site_name: CX journeys, renamed\n", encoding="utf-8")
        other.unlink()
        with pytest.raises(TimeoutError):
            events.next(lambda e: e["type"] in ("reload", "diagram", "error"), timeout=2)
        # A new journey file is still picked up.
        new = folder / "copy.journey.yaml"
        new.write_text((folder / GROCERY).read_text(encoding="utf-8").replace("id: grocery-first-order", "id: grocery-copy", 1), encoding="utf-8")
        try:
            events.next(lambda e: e["type"] == "reload" and "journeys/grocery-copy.html" in e["pages"], timeout=10)
        finally:
            new.unlink()
            events.next(lambda e: e["type"] == "reload" and "index.html" in e["pages"], timeout=10)
    finally:
        events.close()


def test_stopping_with_a_page_open_ends_its_stream_at_once_without_a_traceback(tmp_path: Path) -> None:
    """Ctrl-C (SIGTERM) while a browser had a page open: the event stream never ended by itself, so uvicorn waited
    its grace period and then cancelled it, printing 'Cancel 1 running task(s)' and a CancelledError traceback."""
    folder = copy_samples(tmp_path / "journeys")
    server = Server(folder)
    events = Events(server)
    try:
        start = time.monotonic()
        server.stop()
        took = time.monotonic() - start
    finally:
        events.close()
    said = "".join(server.errors)
    # uvicorn says 'Cancel N running task(s)' when its grace period (1 s) ran out with a stream still open: its absence
    # is what shows the stream ended first (a bound on the time itself failed on a loaded CI machine: 1.71 s).
    assert "Traceback" not in said and "Cancel" not in said, f"stopped after {took:.2f} s: {said}"


def test_a_library_outside_the_folder_is_watched_too(tmp_path: Path) -> None:
    """``journeymap serve journeys`` in a repository whose journeys import ``../shared/shared.yaml``: only the
    folder was watched, so a save of the library left every map as it was, silently, until a journey was saved."""
    import subprocess

    repo = tmp_path / "repo"
    folder = copy_samples(repo / "journeys")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    shutil.move(str(folder / "library"), str(repo / "shared"))
    for path in folder.glob("*.journey.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("library/shared.yaml", "../shared/shared.yaml"), encoding="utf-8")
    library = repo / "shared" / "shared.yaml"
    text = library.read_text(encoding="utf-8")
    assert "    name: Website\n" in text
    server = Server(folder)
    events = Events(server)
    try:
        with server.client() as client:
            assert 'id="jm-overlay"' not in client.get("/journeys/grocery-first-order.html").text
            library.write_text(text.replace("    name: Website\n", "    name: Web shop\n", 1), encoding="utf-8")
            events.next(lambda e: e["type"] == "reload" and "journeys/grocery-first-order.html" in e["pages"], timeout=10)
            assert "Web shop" in client.get("/journeys/grocery-first-order.html").text
            # A library newly imported from outside is watched from then on.
            other = repo / "shared" / "more.yaml"
            other.write_text("journeymap: 1\nchannels:\n  - id: kiosk\n    name: Kiosk v1\n", encoding="utf-8")
            path = folder / "telecom-support.journey.yaml"
            source = path.read_text(encoding="utf-8")
            path.write_text(source.replace("  - ../shared/shared.yaml\n", "  - ../shared/shared.yaml\n  - ../shared/more.yaml\n", 1), encoding="utf-8")
            events.next(lambda e: e["type"] == "reload" and "journeys/telecom-support.html" in e["pages"], timeout=10)
            for attempt in range(20):  # the watch of the new library starts within a moment
                other.write_text(f"journeymap: 1\nchannels:\n  - id: kiosk\n    name: Kiosk v{attempt + 2}\n", encoding="utf-8")
                try:
                    events.next(lambda e: e["type"] == "reload" and "journeys/telecom-support.html" in e["pages"], timeout=1)
                    break
                except TimeoutError:
                    continue
            else:
                raise AssertionError("a save of the newly imported library was not pushed")
        assert not any("Traceback" in line for line in server.errors)
    finally:
        events.close()
        server.stop()


def test_a_changed_diagram_is_pushed_after_its_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Graphviz is slow here (a wrapper): the new map is pushed at once, its diagram when laid out."""
    folder = copy_samples(tmp_path / "journeys")
    bin_dir, flag = slow_graphviz(tmp_path)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    server = Server(folder)
    events = Events(server)
    page = "journeys/grocery-first-order.html"
    path = folder / GROCERY
    try:
        time.sleep(0.3)
        flag.touch()
        path.write_text(path.read_text(encoding="utf-8").replace("name: Chooses a delivery slot", "name: Picks a slot", 1), encoding="utf-8")
        event = events.next(lambda e: e["type"] == "reload" and page in e["pages"], timeout=20)
        assert event["diagram_pending"] == [page]
        with server.client() as client:
            html = client.get("/" + page).text
            assert "Picks a slot" in html and 'class="jm-diagram-pending"' in html and '"diagram":"pending"' in html
            flow = html.split('<div class="flow-scroll"', 1)[1].split("</div>", 1)[0]
            assert "Picks a slot" not in flow and "flow-tp-" not in flow  # no old drawing passed off as new
            done = events.next(lambda e: e["type"] == "diagram", timeout=20)
            assert done["pages"] == [page] and done["took_ms"] > event["took_ms"]
            html = client.get("/" + page).text
            flow = html.split('<div class="flow-scroll"', 1)[1].split("</div>", 1)[0]
            assert "jm-diagram-pending" not in html and '"diagram":"ready"' in html
            assert "Picks a slot" in flow and 'id="flow-tp-choose-delivery-slot"' in flow
            # A metric-only save: the layout is reused, the map is complete in the first push.
            path.write_text(path.read_text(encoding="utf-8").replace("      csat: 0.88\n", "      csat: 0.89\n", 1), encoding="utf-8")
            event = events.next(lambda e: e["type"] == "reload" and page in e["pages"], timeout=20)
            assert event["diagram_pending"] == []
            assert "jm-diagram-pending" not in client.get("/" + page).text
    finally:
        events.close()
        server.stop()


def test_source_serves_only_yaml_files_inside_the_folder(live: tuple[Server, Path], tmp_path: Path) -> None:
    server, folder = live
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    link = folder / "escape.yaml"
    os.symlink(secret, link)
    (folder / "notes.txt").write_text("not yaml", encoding="utf-8")
    try:
        with server.client() as client:
            assert client.get("/source/" + GROCERY).text.startswith("# yaml-language-server")
            assert client.get("/source/library/shared.yaml").status_code == 200
            for bad in (
                "/source/../" + GROCERY,
                "/source/%2e%2e/%2e%2e/etc/passwd",
                "/source/..%2f..%2fetc%2fpasswd",
                "/source/%2E%2E%2Fsecret.yaml",
                "/source/library/..%2F..%2Fsecret.yaml",
                "/source//etc/passwd",
                "/source/escape.yaml",
                "/source/notes.txt",
                "/source/missing.yaml",
                "/source/" + "%00.yaml",
            ):
                r = client.get(bad)
                assert r.status_code in (403, 404), bad
                assert "hunter2" not in r.text and "root:" not in r.text, bad
    finally:
        link.unlink()
        (folder / "notes.txt").unlink()


def test_source_of_a_file_whose_name_has_a_percent_sign(live: tuple[Server, Path]) -> None:
    """The path was percent-decoded twice (by the server, then by the route): ``a%20b.journey.yaml``, asked for
    correctly as ``/source/a%2520b.journey.yaml``, was looked up as ``a b.journey.yaml`` (404), and a file named
    ``a b.journey.yaml`` was served for it instead when there was one."""
    from urllib.parse import quote

    server, folder = live
    odd = folder / "a%20b.yaml"
    plain = folder / "a b.yaml"
    odd.write_text("journeymap: 1\nchannels: [{id: odd, name: Odd}]\n", encoding="utf-8")
    plain.write_text("journeymap: 1\nchannels: [{id: plain, name: Plain}]\n", encoding="utf-8")
    try:
        with server.client() as client:
            r = client.get("/source/" + quote(odd.name))
            assert r.status_code == 200 and "Odd" in r.text
            r = client.get("/source/" + quote(plain.name))
            assert r.status_code == 200 and "Plain" in r.text
    finally:
        odd.unlink()
        plain.unlink()


def test_a_journey_linked_from_outside_the_folder_is_not_served_and_that_is_said(tmp_path: Path) -> None:
    """A link in DIR to a journey file elsewhere: ``serve`` leaves it out (it reads only files under DIR), which is
    right, but it said nothing, while ``journeymap site`` of the same folder shows that journey."""
    folder = copy_samples(tmp_path / "journeys")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    source = (folder / GROCERY).read_text(encoding="utf-8").replace("id: grocery-first-order", "id: grocery-elsewhere", 1)
    (elsewhere / "grocery.journey.yaml").write_text(source.replace("library/shared.yaml", "../journeys/library/shared.yaml"), encoding="utf-8")
    (folder / "linked.journey.yaml").symlink_to(elsewhere / "grocery.journey.yaml")
    server = Server(folder)
    try:
        wait_for(lambda: server.errors)
        assert [line.strip() for line in server.errors] == [
            "linked.journey.yaml: note: a link to a journey file outside the folder: not served "
            "(serve reads only the files under the folder): move the file in, or serve a folder that holds both"
        ]
        with server.client() as client:
            assert client.get("/journeys/grocery-elsewhere.html").status_code == 404
    finally:
        server.stop()


# -- the workshop -------------------------------------------------------------------


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    folder = copy_samples(tmp_path_factory.mktemp("workshop") / "journeys")
    server = Server(folder, "--workshop", "--votes", "3")
    try:
        yield server, folder
    finally:
        server.stop()


def test_workshop_prints_two_different_tokens(workshop: tuple[Server, Path]) -> None:
    server, _ = workshop
    assert len(server.join_token) >= 20 and len(server.facilitator_token) >= 20
    assert server.join_token != server.facilitator_token


def test_no_token_no_entry(workshop: tuple[Server, Path]) -> None:
    server, _ = workshop
    with server.client() as client:
        for path in ("/", "/journeys/grocery-first-order.html", "/events", "/_jm/serve.js", "/source/" + GROCERY, "/api/workshop/grocery-first-order"):
            assert client.get(path).status_code == 403, path
        assert client.get("/", headers={"x-journeymap-token": "wrong"}).status_code == 403
        r = client.post("/api/workshop/grocery-first-order/vote", json={"touchpoint": "choose-delivery-slot", "participant": "p"})
        assert r.status_code == 403


def test_the_join_link_sets_a_cookie_and_drops_the_token_from_the_address(workshop: tuple[Server, Path]) -> None:
    server, _ = workshop
    with server.client() as client:
        r = client.get(f"/journeys/grocery-first-order.html?token={server.join_token}")
        assert r.status_code == 303 and r.headers["location"] == "/journeys/grocery-first-order.html"
        cookie = r.headers["set-cookie"]
        assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
        page = client.get("/journeys/grocery-first-order.html")  # the cookie now carries the token
        assert page.status_code == 200 and '"role":"participant"' in page.text


def test_votes_are_limited_persisted_and_broadcast(workshop: tuple[Server, Path]) -> None:
    server, folder = workshop
    events = Events(server, server.join_token)
    try:
        with server.client(server.join_token) as client:
            url = "/api/workshop/bank-account-opening/vote"
            touchpoint = yaml.safe_load((folder / "bank-account-opening.journey.yaml").read_text())["touchpoints"][0]["id"]
            for i in range(3):
                r = client.post(url, json={"touchpoint": touchpoint, "participant": "ann", "request": f"ann-{i}"})
                assert r.status_code == 200, r.text
            event = events.next(lambda e: e["type"] == "workshop" and e["kind"] == "vote" and e["item"]["participant"] == "ann")
            assert event["journey"] == "bank-account-opening" and event["item"]["touchpoint"] == touchpoint
            r = client.post(url, json={"touchpoint": touchpoint, "participant": "ann"})
            assert r.status_code == 409 and "no votes left" in r.json()["error"]
            # A retry of a request already recorded is answered again, and recorded once.
            again = client.post(url, json={"touchpoint": touchpoint, "participant": "ann", "request": "ann-0"})
            assert again.status_code == 200 and again.json()["repeated"] is True
            assert client.post(url, json={"touchpoint": "nope", "participant": "bob"}).status_code == 404
            assert client.post(url, json={"touchpoint": touchpoint, "participant": "bad id!"}).status_code == 400
        record = yaml.safe_load((folder / "bank-account-opening.workshop.yaml").read_text(encoding="utf-8"))
        assert record["workshop"] == 1 and record["journey"] == "bank-account-opening"
        assert [v["request"] for v in record["votes"] if v["participant"] == "ann"] == ["ann-0", "ann-1", "ann-2"]
    finally:
        events.close()


SMALL = """\
journeymap: 1
id: small
title: Small
personas: [{id: shopper, name: Shopper}]
channels: [{id: web, name: Website}]
stages: [{id: buy, name: Buy}]
touchpoints:
  - {id: visit, name: Visits, stage: buy, channel: web}
  - {id: pay, name: Pays, stage: buy, channel: web}
"""


def test_votes_on_a_touchpoint_removed_during_the_session_leave_the_limit_and_that_is_said_once(tmp_path: Path) -> None:
    """Votes on a touchpoint removed from the journey while serving still counted against their participants' limit
    until the server restarted: ann, who had given her 3 votes to 'help', had none left, for a touchpoint nobody can
    see. On each journey reload they are counted again (kept in the file), and the server says so once."""
    folder = tmp_path / "journeys"
    folder.mkdir()
    journey = folder / "small.journey.yaml"
    journey.write_text(SMALL + "  - {id: help, name: Asks for help, stage: buy, channel: web}\n", encoding="utf-8")
    server = Server(folder, "--workshop", "--votes", "3")
    events = Events(server, server.join_token)
    try:
        with server.client(server.join_token) as client:
            url = "/api/workshop/small/vote"
            for i in range(3):
                assert client.post(url, json={"touchpoint": "help", "participant": "ann", "request": f"a{i}"}).status_code == 200
            assert client.post(url, json={"touchpoint": "visit", "participant": "ann"}).status_code == 409
            assert client.get("/api/workshop/small").json()["gone"] == []
            journey.write_text(SMALL, encoding="utf-8")  # 'help' removed
            events.next(lambda e: e["type"] == "reload")
            wait_for(lambda: any("no longer has" in line for line in server.errors))
            r = client.post(url, json={"touchpoint": "visit", "participant": "ann", "request": "a3"})
            assert r.status_code == 200, r.text
            state = client.get("/api/workshop/small").json()
            assert state["gone"] == ["help"] and len(state["votes"]) == 4  # kept, for the record
            journey.write_text(SMALL.replace("title: Small", "title: Smaller"), encoding="utf-8")  # another reload
            events.next(lambda e: e["type"] == "reload")
            journey.write_text(SMALL.replace("title: Small", "title: Small again"), encoding="utf-8")
            events.next(lambda e: e["type"] == "reload")
        notes = [line.strip() for line in server.errors if "no longer has" in line]
        assert notes == [
            "small.workshop.yaml: note: 3 votes on touchpoint 'help', which the journey no longer has: kept in the file;"
            " they no longer count against the 3 votes each participant may give"
        ]
        record = yaml.safe_load((folder / "small.workshop.yaml").read_text(encoding="utf-8"))
        assert [v["touchpoint"] for v in record["votes"]] == ["help", "help", "help", "visit"]
        assert not any("Traceback" in line for line in server.errors)
    finally:
        events.close()
        server.stop()


def test_cross_origin_writes_are_refused(workshop: tuple[Server, Path]) -> None:
    server, _ = workshop
    body = {"touchpoint": "choose-delivery-slot", "participant": "eve", "text": "hi"}
    url = server.base + "api/workshop/grocery-first-order/comment"
    import httpx

    token = {"x-journeymap-token": server.join_token}
    assert httpx.post(url, json=body, headers={**token, "origin": "http://evil.example"}).status_code == 403
    assert httpx.post(url, json=body, headers=token).status_code == 403  # no Origin at all
    assert httpx.post(url, json=body, headers={**token, "origin": server.origin}).status_code == 200
    # A form post (what a cross-site page could send without CORS) is not JSON.
    r = httpx.post(url, data={"text": "x"}, headers={**token, "origin": server.origin})
    assert r.status_code == 415


def test_request_bodies_have_a_size_limit(workshop: tuple[Server, Path]) -> None:
    server, _ = workshop
    with server.client(server.join_token) as client:
        big = {"touchpoint": "choose-delivery-slot", "participant": "p", "text": "x" * 20_000}
        r = client.post("/api/workshop/grocery-first-order/comment", json=big)
        assert r.status_code == 413

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
            yield b'{"text": "'
            for _ in range(100):
                yield b"x" * 1000
            yield b'"}'

        r = client.post(
            "/api/workshop/grocery-first-order/comment", content=chunks(), headers={"content-type": "application/json"}
        )
        assert r.status_code == 413
        long_text = {"touchpoint": "choose-delivery-slot", "participant": "p", "text": "y" * 1500}
        assert client.post("/api/workshop/grocery-first-order/comment", json=long_text).status_code == 413


def test_comments_stay_text_everywhere(workshop: tuple[Server, Path]) -> None:
    server, folder = workshop
    hostile = '</script><script>window.__pwned=1</script> "quotes" & {{ 7*7 }} \u202e'
    with server.client(server.join_token) as client:
        r = client.post(
            "/api/workshop/grocery-first-order/comment",
            json={"touchpoint": "choose-delivery-slot", "participant": "mallory", "text": hostile},
        )
        assert r.status_code == 200
        state = client.get("/api/workshop/grocery-first-order").json()
        assert any(c["text"] == hostile.strip() for c in state["comments"])
        # The page embeds no comment: the script adds them with textContent.
        assert "__pwned" not in client.get("/journeys/grocery-first-order.html").text
    record = yaml.safe_load((folder / "grocery-first-order.workshop.yaml").read_text(encoding="utf-8"))
    assert any(c["text"] == hostile.strip() for c in record["comments"])


def test_a_comment_of_control_characters_only_is_empty(workshop: tuple[Server, Path]) -> None:
    """A comment of NULs and escape characters (a paste from a terminal) was checked for emptiness before its
    control characters were dropped: it was recorded, and shown, as an empty comment."""
    server, folder = workshop
    with server.client(server.join_token) as client:
        for text in ("\x00\x1b\x07", " \x00 \x7f ", "\x1b\n\t\x08"):
            r = client.post(
                "/api/workshop/grocery-first-order/comment",
                json={"touchpoint": "choose-delivery-slot", "participant": "ctl", "text": text},
            )
            assert r.status_code == 400 and r.json()["error"] == "comment is empty", (text, r.text)
        state = client.get("/api/workshop/grocery-first-order").json()
        assert not [c for c in state["comments"] if c["participant"] == "ctl"]


def test_only_the_facilitator_accepts_and_the_proposal_lands_in_the_journey_file(workshop: tuple[Server, Path]) -> None:
    server, folder = workshop
    path = folder / "saas-onboarding.journey.yaml"
    before = path.read_text(encoding="utf-8")
    touchpoint = yaml.safe_load(before)["touchpoints"][1]["id"]
    with server.client(server.join_token) as participant, server.client(server.facilitator_token) as facilitator:
        r = participant.post(
            "/api/workshop/saas-onboarding/propose",
            json={"touchpoint": touchpoint, "participant": "ann", "kind": "opportunity", "text": 'Send a "how-to" video # not a comment'},
        )
        assert r.status_code == 200
        pid = r.json()["id"]
        assert participant.post(f"/api/workshop/saas-onboarding/proposals/{pid}/accept", json={}).status_code == 403
        # A stale page (the file changed since it was read) is refused with a clear message.
        stale = facilitator.post(f"/api/workshop/saas-onboarding/proposals/{pid}/accept", json={"source_hash": "0" * 64})
        assert stale.status_code == 409 and "changed on disk" in stale.json()["error"]
        assert path.read_text(encoding="utf-8") == before
        ok = facilitator.post(f"/api/workshop/saas-onboarding/proposals/{pid}/accept", json={})
        assert ok.status_code == 200 and ok.json()["status"] == "accepted"
        assert facilitator.post(f"/api/workshop/saas-onboarding/proposals/{pid}/accept", json={}).status_code == 409
    after = path.read_text(encoding="utf-8")
    data = yaml.safe_load(after)
    tp = next(t for t in data["touchpoints"] if t["id"] == touchpoint)
    assert tp["opportunities"][-1] == 'Send a "how-to" video # not a comment'
    # Every comment of the file is still there, and nothing else changed.
    assert [line for line in before.splitlines() if "#" in line] == [
        line for line in after.splitlines() if "#" in line and "how-to" not in line
    ]
    assert len(after.splitlines()) - len(before.splitlines()) in (1, 2)
    record = yaml.safe_load((folder / "saas-onboarding.workshop.yaml").read_text(encoding="utf-8"))
    assert [p["status"] for p in record["proposals"] if p["id"] == pid] == ["accepted"]


def test_accepting_into_a_read_only_journey_file_says_so_and_keeps_the_proposal_open(workshop: tuple[Server, Path]) -> None:
    """A journey file the facilitator's account may not write (checked out read-only, a shared drive): accepting
    was a 500 with a traceback on the server's stderr."""
    server, folder = workshop
    path = folder / "telecom-support.journey.yaml"
    before = path.read_bytes()
    touchpoint = yaml.safe_load(before)["touchpoints"][0]["id"]
    with server.client(server.join_token) as participant, server.client(server.facilitator_token) as facilitator:
        pid = participant.post(
            "/api/workshop/telecom-support/propose",
            json={"touchpoint": touchpoint, "participant": "ann", "kind": "pain", "text": "Hold music: too loud"},
        ).json()["id"]
        path.chmod(0o444)
        try:
            r = facilitator.post(f"/api/workshop/telecom-support/proposals/{pid}/accept", json={})
        finally:
            path.chmod(0o644)
        assert r.status_code == 409, r.text
        assert r.json()["error"] == (
            "cannot write telecom-support.journey.yaml: the file is read-only; it was not changed. "
            f"Proposal {pid} stays open: make the file writable and accept it again"
        )
        assert path.read_bytes() == before
        assert [p["status"] for p in participant.get("/api/workshop/telecom-support").json()["proposals"] if p["id"] == pid] == ["open"]
        assert facilitator.post(f"/api/workshop/telecom-support/proposals/{pid}/accept", json={}).status_code == 200
    assert "Hold music: too loud" in path.read_text(encoding="utf-8")
    assert not any("Traceback" in line for line in server.errors)


def test_a_vote_the_workshop_file_cannot_take_is_not_recorded_anywhere(workshop: tuple[Server, Path]) -> None:
    """A read-only sidecar (a file checked out read-only, a full disk): the vote was answered 500, yet kept in
    memory and so written with the next vote once the file could be written again — a vote the participant was
    told failed, and gave again (two), and that counted against their limit meanwhile."""
    server, folder = workshop
    path = folder / "grocery-first-order.workshop.yaml"
    with server.client(server.join_token) as client:
        url = "/api/workshop/grocery-first-order/vote"
        assert client.post(url, json={"touchpoint": "choose-delivery-slot", "participant": "ro-1", "request": "ro-a"}).status_code == 200
        before = path.read_bytes()
        path.chmod(0o444)
        try:
            r = client.post(url, json={"touchpoint": "choose-delivery-slot", "participant": "ro-2", "request": "ro-b"})
            assert r.status_code == 503, r.text
            assert r.json()["error"] == (
                "cannot write grocery-first-order.workshop.yaml: the file is read-only; it was not changed. "
                "The vote was not recorded: try again"
            )
            assert path.read_bytes() == before
            state = client.get("/api/workshop/grocery-first-order").json()
            assert [v["participant"] for v in state["votes"] if v["participant"].startswith("ro-")] == ["ro-1"]
        finally:
            path.chmod(0o644)
        # The same click again (its request id) is recorded now, once.
        again = client.post(url, json={"touchpoint": "choose-delivery-slot", "participant": "ro-2", "request": "ro-b"})
        assert again.status_code == 200 and "repeated" not in again.json()
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [(v["participant"], v["request"]) for v in record["votes"] if v["participant"].startswith("ro-")] == [("ro-1", "ro-a"), ("ro-2", "ro-b")]
    assert not any("Traceback" in line for line in server.errors)


def test_accepting_while_the_journey_file_is_broken_says_so_instead_of_changed_on_disk(workshop: tuple[Server, Path]) -> None:
    """The file saved with an error (the map shows its last good version under the overlay): accepting was refused
    as "changed on disk since the map was loaded ... The page reloads with the new version: accept the proposal
    again" — the page reloaded, to the same last good map, and the next accept said the same, for ever."""
    server, folder = workshop
    path = folder / "bank-account-opening.journey.yaml"
    original = path.read_text(encoding="utf-8")
    touchpoint = yaml.safe_load(original)["touchpoints"][1]["id"]
    events = Events(server, server.facilitator_token)
    try:
        with server.client(server.join_token) as participant, server.client(server.facilitator_token) as facilitator:
            pid = participant.post(
                "/api/workshop/bank-account-opening/propose",
                json={"touchpoint": touchpoint, "participant": "ann", "kind": "opportunity", "text": "Pre-fill the form"},
            ).json()["id"]
            broken = original.replace("\ntouchpoints:\n", "\ntouchpoints:\n  - id: Bad Id\n", 1)
            assert broken != original
            path.write_text(broken, encoding="utf-8")
            events.next(lambda e: e["type"] == "reload" and "journeys/bank-account-opening.html" in e["pages"], timeout=10)
            r = facilitator.post(f"/api/workshop/bank-account-opening/proposals/{pid}/accept", json={})
            assert r.status_code == 409
            assert r.json()["error"] == (
                "bank-account-opening.journey.yaml has errors since its last save (the map shows its last good "
                f"version): fix the file, then accept proposal {pid}"
            )
            assert path.read_text(encoding="utf-8") == broken
            path.write_text(original, encoding="utf-8")
            events.next(lambda e: e["type"] == "reload" and "journeys/bank-account-opening.html" in e["pages"], timeout=10)
            assert facilitator.post(f"/api/workshop/bank-account-opening/proposals/{pid}/accept", json={}).status_code == 200
    finally:
        events.close()


def test_a_write_to_no_endpoint_is_a_404_that_says_so(workshop: tuple[Server, Path]) -> None:
    """A journey id with a '/' (``a%2Fb``: the slash is decoded before routing) or a typo in the path of a write
    fell through to the page route, which only serves GET: "405 Method Not Allowed", as if POST were the mistake."""
    server, _ = workshop
    with server.client(server.join_token) as client:
        for path in ("/api/workshop/a%2Fb/vote", "/api/workshop/grocery-first-order/votes/1", "/api/presenterr", "/index.html"):
            r = client.post(path, json={"touchpoint": "choose-delivery-slot", "participant": "p"})
            assert r.status_code == 404, (path, r.status_code)
            message = (
                "no such endpoint: the workshop writes to /api/workshop/<journey>/vote, /comment, /propose and "
                "/proposals/<id>/accept or /reject"
            )
            assert (r.json()["error"] if path.startswith("/api/") else r.text) == (message if path.startswith("/api/") else f"404: {message}\n")
        r = client.put("/api/workshop/grocery-first-order/vote", json={})
        assert r.status_code == 405 and r.json()["error"] == "Method Not Allowed"


def test_a_decision_the_workshop_file_cannot_take(workshop: tuple[Server, Path]) -> None:
    """A read-only sidecar: a rejection was answered 503 yet kept in memory (the next accept or reject of it: "already
    rejected", while the file said open); an accepted proposal, already in the journey file, was answered as if
    nothing had happened."""
    server, folder = workshop
    sidecar = folder / "saas-onboarding.workshop.yaml"
    journey = folder / "saas-onboarding.journey.yaml"
    touchpoint = yaml.safe_load(journey.read_text(encoding="utf-8"))["touchpoints"][2]["id"]
    with server.client(server.join_token) as participant, server.client(server.facilitator_token) as facilitator:
        ids = [
            participant.post(
                "/api/workshop/saas-onboarding/propose",
                json={"touchpoint": touchpoint, "participant": "ro", "kind": "opportunity", "text": f"Read-only idea {n}"},
            ).json()["id"]
            for n in (1, 2)
        ]
        sidecar.chmod(0o444)
        try:
            r = facilitator.post(f"/api/workshop/saas-onboarding/proposals/{ids[0]}/reject", json={})
            assert r.status_code == 503
            assert r.json()["error"] == (
                "cannot write saas-onboarding.workshop.yaml: the file is read-only; it was not changed. "
                "The decision was not recorded: try again"
            )
            r = facilitator.post(f"/api/workshop/saas-onboarding/proposals/{ids[1]}/accept", json={})
            assert r.status_code == 503
            assert r.json()["error"] == (
                f"proposal {ids[1]} is in saas-onboarding.journey.yaml now, but cannot write saas-onboarding.workshop.yaml: "
                "the file is read-only; it was not changed. It is accepted here, and written there with the next change"
            )
        finally:
            sidecar.chmod(0o644)
        assert "Read-only idea 2" in journey.read_text(encoding="utf-8")
        state = {p["id"]: p["status"] for p in participant.get("/api/workshop/saas-onboarding").json()["proposals"]}
        assert (state[ids[0]], state[ids[1]]) == ("open", "accepted")
        assert facilitator.post(f"/api/workshop/saas-onboarding/proposals/{ids[0]}/reject", json={}).status_code == 200
    record = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    assert [p["status"] for p in record["proposals"] if p["id"] in ids] == ["rejected", "accepted"]
    assert not any("Traceback" in line for line in server.errors)


def test_a_workshop_file_edited_while_serving_is_kept_not_written_over_silently(workshop: tuple[Server, Path]) -> None:
    """The facilitator removed a comment from the sidecar by hand during the session: the next vote wrote the
    server's record over it, and the edit was gone without a word."""
    server, folder = workshop
    sidecar = folder / "telecom-support.workshop.yaml"
    touchpoint = yaml.safe_load((folder / "telecom-support.journey.yaml").read_text(encoding="utf-8"))["touchpoints"][1]["id"]
    with server.client(server.join_token) as client:
        url = "/api/workshop/telecom-support/"
        assert client.post(url + "vote", json={"touchpoint": touchpoint, "participant": "ed-1"}).status_code == 200
        edited = sidecar.read_text(encoding="utf-8") + "# reviewed by the facilitator\n"
        sidecar.write_text(edited, encoding="utf-8")
        assert client.post(url + "vote", json={"touchpoint": touchpoint, "participant": "ed-2"}).status_code == 200
        assert client.post(url + "vote", json={"touchpoint": touchpoint, "participant": "ed-3"}).status_code == 200
    assert (folder / "telecom-support.workshop.yaml.edited").read_text(encoding="utf-8") == edited
    record = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    assert [v["participant"] for v in record["votes"] if v["participant"].startswith("ed-")] == ["ed-1", "ed-2", "ed-3"]
    notes = [line.strip() for line in server.errors if "telecom-support.workshop.yaml: note: it was changed" in line]
    assert notes == [
        "telecom-support.workshop.yaml: note: it was changed outside the server during the workshop; that version is "
        "kept as telecom-support.workshop.yaml.edited and the server's record replaces it (edit the file while the "
        "server is stopped: it is read at start)"
    ]


def test_presenter_events_reach_participants(workshop: tuple[Server, Path]) -> None:
    server, _ = workshop
    events = Events(server, server.join_token)
    try:
        with server.client(server.facilitator_token) as facilitator, server.client(server.join_token) as participant:
            body = {"page": "journeys/grocery-first-order.html", "x": 0.25, "y": 0.5, "selected": "choose-delivery-slot"}
            assert participant.post("/api/presenter", json=body).status_code == 403
            assert facilitator.post("/api/presenter", json=body).status_code == 200
            event = events.next(lambda e: e["type"] == "presenter")
            assert (event["page"], event["x"], event["y"], event["selected"]) == (body["page"], 0.25, 0.5, "choose-delivery-slot")
            assert facilitator.post("/api/presenter", json={**body, "x": 7}).status_code == 400
            # true is no fraction (JSON booleans were read as Python's 1 and 0, and pushed as true).
            for wrong in (True, False, "0.5", None):
                r = facilitator.post("/api/presenter", json={**body, "y": wrong})
                assert r.status_code == 400 and r.json()["error"] == "y is a fraction 0..1", wrong
            assert facilitator.post("/api/presenter", json={**body, "page": "../../etc/passwd"}).status_code == 400
    finally:
        events.close()


def test_a_lone_surrogate_or_a_deeply_nested_body_is_refused_and_the_workshop_still_answers(workshop: tuple[Server, Path]) -> None:
    """JSON may spell half of a UTF-16 pair ("\\ud800"): Python reads it as a string no UTF-8 can hold. Such a
    comment was recorded, and then every read of the workshop's state (and every event stream it was pushed to)
    failed with a 500; a body of 5,000 nested lists was a RecursionError, a 500 as well."""
    server, folder = workshop
    url = "/api/workshop/telecom-support/comment"
    touchpoint = yaml.safe_load((folder / "telecom-support.journey.yaml").read_text(encoding="utf-8"))["touchpoints"][0]["id"]
    json_headers = {"content-type": "application/json"}
    with server.client(server.join_token) as client:
        for text in ("half \\ud800 a pair", "\\udfff"):
            body = f'{{"touchpoint": "{touchpoint}", "participant": "sue", "text": "{text}"}}'.encode()
            r = client.post(url, content=body, headers=json_headers)
            assert r.status_code == 400, r.text
            assert r.json()["error"] == '"text" holds half of a UTF-16 surrogate pair (\\ud800-\\udfff alone): that is not text'
        r = client.post(url, content=b'{"touchpoint": "x", "\\ud800": 1}', headers=json_headers)
        assert r.status_code == 400 and '"\\ud800" holds half of a UTF-16 surrogate pair' in r.json()["error"]
        r = client.post(url, content=b"[" * 5000 + b"]" * 5000, headers=json_headers)
        assert r.status_code == 400 and r.json()["error"] == "the body is JSON nested too deep"
        # A whole pair is one character, and welcome.
        body = f'{{"touchpoint": "{touchpoint}", "participant": "sue", "text": "ok \\ud83d\\ude00"}}'.encode()
        assert client.post(url, content=body, headers=json_headers).status_code == 200
        state = client.get("/api/workshop/telecom-support")
        assert state.status_code == 200
        assert [c["text"] for c in state.json()["comments"] if c["participant"] == "sue"] == ["ok \U0001f600"]
    record = yaml.safe_load((folder / "telecom-support.workshop.yaml").read_text(encoding="utf-8"))
    assert [c["text"] for c in record["comments"] if c["participant"] == "sue"] == ["ok \U0001f600"]
    assert not any("Traceback" in line for line in server.errors)



# -- the sidecar file as people edit it between sessions ------------------------------


def run_store(path: Path, touchpoints: set[str], work: object, votes: int = 3) -> object:
    """A WorkshopStore on ``path`` in its own event loop: ``work(store)`` is awaited, then the store stops."""
    import asyncio

    from journeymap.serve.workshop import WorkshopStore

    async def main() -> object:
        store = WorkshopStore(path, "grocery-first-order", lambda: touchpoints, votes_per_participant=votes)
        store.start()
        try:
            return await work(store)  # type: ignore[operator]
        finally:
            await store.stop()

    return asyncio.run(main())


def test_two_entries_with_one_id_are_both_kept_as_they_are(tmp_path: Path) -> None:
    """A sidecar merged by hand (two laptops' files) can hold two votes called v1. Lines are written once and
    reused, and they were looked up by id: the second v1 was written as a copy of the first (ann's vote on
    one touchpoint twice, bob's vote gone)."""
    path = tmp_path / "grocery-first-order.workshop.yaml"
    path.write_text(
        'workshop: 1\njourney: "grocery-first-order"\nvotes_per_participant: 3\nvotes:\n'
        '  - {id: "v1", touchpoint: "choose-delivery-slot", participant: "ann"}\n'
        '  - {id: "v1", touchpoint: "checkout", participant: "bob"}\n'
        'comments:\n  - {id: "c2", touchpoint: "checkout", participant: "ann", text: "one"}\n'
        '  - {id: "c2", touchpoint: "checkout", participant: "bob", text: "two"}\nproposals: []\n',
        encoding="utf-8",
    )

    async def work(store: object) -> object:
        return await store.vote({"touchpoint": "checkout", "participant": "cy"})  # type: ignore[attr-defined]

    answer = run_store(path, {"choose-delivery-slot", "checkout"}, work)
    assert answer == {"ok": True, "id": "v3"}
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [(v["id"], v["participant"], v["touchpoint"]) for v in record["votes"]] == [
        ("v1", "ann", "choose-delivery-slot"), ("v1", "bob", "checkout"), ("v3", "cy", "checkout"),
    ]
    assert [(c["participant"], c["text"]) for c in record["comments"]] == [("ann", "one"), ("bob", "two")]


def test_a_session_with_another_vote_limit_says_so(tmp_path: Path) -> None:
    """The first session ran with --votes 3, the next one was started without --votes (5): the file's limit was
    replaced without a word, and each participant had two votes more than the room agreed."""
    from journeymap.serve.workshop import WorkshopStore

    path = tmp_path / "grocery-first-order.workshop.yaml"
    path.write_text(
        'workshop: 1\njourney: "grocery-first-order"\nvotes_per_participant: 3\n'
        'votes:\n  - {id: "v1", touchpoint: "checkout", participant: "ann"}\ncomments: []\nproposals: []\n',
        encoding="utf-8",
    )
    store = WorkshopStore(path, "grocery-first-order", lambda: {"checkout"}, votes_per_participant=5, name=path.name)
    assert store.notes == [
        "grocery-first-order.workshop.yaml:3:24: note: the last session gave each participant 3 votes "
        "(votes_per_participant: 3); this one gives 5 (--votes 5), and writes that"
    ]
    assert store.votes_left("ann") == 4
    same = WorkshopStore(path, "grocery-first-order", lambda: {"checkout"}, votes_per_participant=3, name=path.name)
    assert same.notes == []


def test_more_votes_than_the_limit_are_said_and_votes_on_a_touchpoint_gone_count_for_no_one(tmp_path: Path) -> None:
    from journeymap.serve.workshop import WorkshopStore

    path = tmp_path / "grocery-first-order.workshop.yaml"
    path.write_text(
        'workshop: 1\njourney: "grocery-first-order"\nvotes_per_participant: 2\nvotes:\n'
        + "".join(f'  - {{id: "v{i}", touchpoint: "{tp}", participant: "ann"}}\n' for i, tp in enumerate(["checkout"] * 3 + ["gone"] * 2))
        + "comments: []\nproposals: []\n",
        encoding="utf-8",
    )
    touchpoints = {"checkout", "pay"}
    said: list[str] = []
    store = WorkshopStore(path, "grocery-first-order", lambda: set(touchpoints), votes_per_participant=2, name=path.name, say=said.append)
    assert ("grocery-first-order.workshop.yaml:7:5: note: participant 'ann' has 3 votes, more than the 2 each"
            " may give (--votes): all kept; they have no vote left") in store.notes
    assert store.votes_left("ann") == 0 and store.state()["gone"] == ["gone"]
    touchpoints.discard("checkout")  # the journey saved without it
    store.recount()
    store.recount()  # said once
    assert said == ["grocery-first-order.workshop.yaml: note: 3 votes on touchpoint 'checkout', which the journey no longer"
                    " has: kept in the file; they no longer count against the 2 votes each participant may give"]
    assert store.votes_left("ann") == 2 and store.state()["gone"] == ["checkout", "gone"]
    touchpoints.add("checkout")  # and back: its votes count again
    store.recount()
    assert store.votes_left("ann") == 0 and len(said) == 1


def test_entries_written_by_hand_without_an_id_are_kept_and_said_once(tmp_path: Path) -> None:
    """Votes added by hand without an id: the note said "id 'None' is used again (first on line 5)" for the
    second one, as if they shared an id called None."""
    from journeymap.serve.workshop import WorkshopStore

    path = tmp_path / "grocery-first-order.workshop.yaml"
    path.write_text(
        "workshop: 1\nvotes:\n  - {touchpoint: checkout, participant: ann}\n  - {touchpoint: checkout, participant: bob}\n",
        encoding="utf-8",
    )
    store = WorkshopStore(path, "grocery-first-order", lambda: {"checkout"}, votes_per_participant=3, name=path.name)
    assert store.notes == [
        "grocery-first-order.workshop.yaml:3:5: note: 2 entries without an id: kept; new entries get ids of their own"
    ]
    assert [v["participant"] for v in store.state()["votes"]] == ["ann", "bob"]


SIDECARS = {
    # A merge conflict resolved by hand, half done.
    "grocery-first-order": 'workshop: 1\njourney: "grocery-first-order"\nvotes: [\n  - {id: "v1"\n',
    "bank-account-opening": 'workshop: 2\njourney: "bank-account-opening"\nvotes: []\n',
    "telecom-support": "workshop: 1\nvotes: {v1: choose-plan}\n",
    # Kept, with what is odd in it said: a note of the facilitator's, a renamed journey, a touchpoint since
    # removed, a vote over the limit, an id used twice, an entry with keys of its own.
    "saas-onboarding": (
        "# March session\nworkshop: 1\njourney: \"saas-onboard\"\nnotes: \"focus on the trial\"\nvotes:\n"
        + '  - {id: "v1", touchpoint: "old-step", participant: "ann"}\n' * 2
        + "".join(f'  - {{id: "v{i}", touchpoint: "old-step", participant: "ann"}}\n' for i in (2, 3))
        + 'comments:\n  - {id: "c5", touchpoint: "old-step", participant: "bob", text: "hi", tags: [1, two], '
        "score: .nan, held: 2024-01-02}\n"
    ),
}


def test_a_workshop_file_edited_by_hand_is_read_or_left_alone_and_what_is_odd_is_said(tmp_path: Path) -> None:
    """A sidecar with a YAML error made every request of that journey's workshop a 500 with a traceback; one of a
    newer format a 500 'lacks workshop: 1'; an unknown key was dropped at the next write and a list in an entry
    written back as a string; a date or .nan in an entry made the state a 500. Now the server says at start, as
    file:line:col, what it cannot read (and then never writes over it: requests are 409 with that message) and
    what it reads but finds odd; what it reads is written back as it was, plus the new entries."""
    folder = copy_samples(tmp_path / "journeys")
    for journey_id, text in SIDECARS.items():
        (folder / f"{journey_id}.workshop.yaml").write_text(text, encoding="utf-8")
    server = Server(folder, "--workshop", "--votes", "3")
    try:
        wait_for(lambda: any("telecom-support.workshop.yaml" in line for line in server.errors))
        said = "".join(server.errors)
        tail = "records nothing until the file is fixed (it is left as it is)"
        assert "grocery-first-order.workshop.yaml:4:3: error: not valid YAML: did not find expected node content; the workshop on journey 'grocery-first-order' " + tail in said
        assert "bank-account-opening.workshop.yaml:1:11: error: written by a newer journeymap (workshop: 2); this one reads 'workshop: 1' and cannot read it: upgrade journeymap;" in said
        assert "telecom-support.workshop.yaml:2:8: error: 'votes' is a list of entries ('- {id: ..., touchpoint: ...}'), not dict;" in said
        notes = [line.strip() for line in server.errors if line.startswith("saas-onboarding.workshop.yaml")]
        assert notes == [
            "saas-onboarding.workshop.yaml:1:1: note: the comments written in it (line 1) are not kept when the workshop writes the file: move what they say into the journey file",
            "saas-onboarding.workshop.yaml:3:10: note: it says journey 'saas-onboard', but it is the workshop file of journey 'saas-onboarding' (by its name): read as its record, and written with journey 'saas-onboarding'",
            "saas-onboarding.workshop.yaml:4:1: note: unknown key 'notes' (a workshop file has workshop, journey, votes_per_participant, votes, comments, proposals): kept as it is",
            "saas-onboarding.workshop.yaml:6:5: note: 5 entries for touchpoint 'old-step', which journey 'saas-onboarding' does not have: kept in the file, not shown on the map",
            "saas-onboarding.workshop.yaml:7:5: note: id 'v1' is used again (first on line 6): both are kept; new entries get new ids",
        ]  # ann's 4 votes are all on 'old-step', which the journey does not have: they count against no one's limit
        with server.client(server.join_token) as client:
            for journey_id in ("grocery-first-order", "bank-account-opening", "telecom-support"):
                state = client.get(f"/api/workshop/{journey_id}")
                assert state.status_code == 409 and state.json()["error"].endswith(tail), state.text
                touchpoint = yaml.safe_load((folder / f"{journey_id}.journey.yaml").read_text(encoding="utf-8"))["touchpoints"][0]["id"]
                vote = client.post(f"/api/workshop/{journey_id}/vote", json={"touchpoint": touchpoint, "participant": "cy"})
                assert vote.status_code == 409 and f"{journey_id}.workshop.yaml:" in vote.json()["error"]
                assert (folder / f"{journey_id}.workshop.yaml").read_text(encoding="utf-8") == SIDECARS[journey_id]
            state = client.get("/api/workshop/saas-onboarding")
            assert state.status_code == 200
            assert state.json()["comments"][0] == {
                "id": "c5", "touchpoint": "old-step", "participant": "bob", "text": "hi", "tags": [1, "two"], "score": "nan", "held": "2024-01-02",
            }
            touchpoint = yaml.safe_load((folder / "saas-onboarding.journey.yaml").read_text(encoding="utf-8"))["touchpoints"][0]["id"]
            assert client.post("/api/workshop/saas-onboarding/vote", json={"touchpoint": touchpoint, "participant": "ann"}).json()["id"] == "v6"
            assert client.post("/api/workshop/saas-onboarding/vote", json={"touchpoint": touchpoint, "participant": "cy"}).json()["id"] == "v7"
            # Fixed while serving: the next request reads it.
            (folder / "grocery-first-order.workshop.yaml").write_text('workshop: 1\nvotes:\n  - {id: "v1", touchpoint: "choose-delivery-slot", participant: "ann"}\n', encoding="utf-8")
            fixed = client.get("/api/workshop/grocery-first-order")
            assert fixed.status_code == 200 and [v["participant"] for v in fixed.json()["votes"]] == ["ann"]
        before = yaml.safe_load(SIDECARS["saas-onboarding"])
        after = yaml.safe_load((folder / "saas-onboarding.workshop.yaml").read_text(encoding="utf-8"))
        assert after["notes"] == "focus on the trial" and after["journey"] == "saas-onboarding"
        assert after["votes"] == before["votes"] + [
            {"id": "v6", "touchpoint": touchpoint, "participant": "ann"}, {"id": "v7", "touchpoint": touchpoint, "participant": "cy"}]
        comment = after["comments"][0]
        assert comment["tags"] == [1, "two"] and comment["score"] != comment["score"] and str(comment["held"]) == "2024-01-02"
        assert not any("Traceback" in line for line in server.errors)
    finally:
        server.stop()


def test_two_journey_files_that_would_share_one_workshop_file_do_not(tmp_path: Path) -> None:
    """``onboarding.yaml`` and ``onboarding.journey.yaml`` (a copy kept while renaming) are two journeys whose
    workshop file is the same ``onboarding.workshop.yaml``: each journey's store wrote its own record over the
    other's, so the votes on one map vanished with each vote on the other."""
    folder = copy_samples(tmp_path / "journeys")
    source = (folder / GROCERY).read_text(encoding="utf-8")
    (folder / "grocery-first-order.yaml").write_text(source.replace("id: grocery-first-order", "id: grocery-copy", 1), encoding="utf-8")
    server = Server(folder, "--workshop")
    try:
        wait_for(lambda: any("grocery-first-order.workshop.yaml" in line for line in server.errors))
        message = (
            "grocery-first-order.workshop.yaml: error: the workshop file of journey 'grocery-first-order' "
            "(grocery-first-order.journey.yaml) is also the one of journey 'grocery-copy' (grocery-first-order.yaml): "
            "rename one of the two files; the workshop on journey 'grocery-first-order' records nothing until then"
        )
        assert [line.strip() for line in server.errors] == [message]
        with server.client(server.join_token) as client:
            vote = {"touchpoint": "choose-delivery-slot", "participant": "ann"}
            assert client.post("/api/workshop/grocery-copy/vote", json=vote).status_code == 200
            refused = client.post("/api/workshop/grocery-first-order/vote", json=vote)
            assert refused.status_code == 409 and refused.json()["error"] == message
            assert client.post("/api/workshop/grocery-copy/vote", json={**vote, "participant": "bob"}).status_code == 200
        record = yaml.safe_load((folder / "grocery-first-order.workshop.yaml").read_text(encoding="utf-8"))
        assert record["journey"] == "grocery-copy" and [v["participant"] for v in record["votes"]] == ["ann", "bob"]
    finally:
        server.stop()


def test_a_journey_file_renamed_during_a_workshop_says_where_its_record_is(tmp_path: Path) -> None:
    """The journey file renamed while serving: the workshop went on in the old sidecar (right: its record is
    there), without a word — and the next session, reading the sidecar of the new name, started empty."""
    folder = copy_samples(tmp_path / "journeys")
    server = Server(folder, "--workshop")
    events = Events(server, server.join_token)
    try:
        with server.client(server.join_token) as client:
            vote = {"touchpoint": "choose-delivery-slot", "participant": "ann"}
            assert client.post("/api/workshop/grocery-first-order/vote", json=vote).status_code == 200
            (folder / GROCERY).rename(folder / "groceries.journey.yaml")
            events.next(lambda e: e["type"] == "reload" and "journeys/grocery-first-order.html" in e["pages"], timeout=10)
            assert client.post("/api/workshop/grocery-first-order/vote", json={**vote, "participant": "bob"}).status_code == 200
            assert client.post("/api/workshop/grocery-first-order/vote", json={**vote, "participant": "cy"}).status_code == 200
        record = yaml.safe_load((folder / "grocery-first-order.workshop.yaml").read_text(encoding="utf-8"))
        assert [v["participant"] for v in record["votes"]] == ["ann", "bob", "cy"]
        assert [line.strip() for line in server.errors] == [
            "grocery-first-order.workshop.yaml: note: journey 'grocery-first-order' is now in groceries.journey.yaml: "
            "its workshop record stays in grocery-first-order.workshop.yaml for this session; rename it "
            "groceries.workshop.yaml before the next one, which reads that name"
        ]
    finally:
        events.close()
        server.stop()


# -- load: 50 participants, 2,000 votes and comments at once ------------------------


def test_fifty_participants_two_thousand_writes_each_persisted_once(tmp_path: Path) -> None:
    import httpx

    folder = copy_samples(tmp_path / "journeys")
    server = Server(folder, "--workshop", "--votes", "20")
    sidecar = folder / "grocery-first-order.workshop.yaml"
    touchpoints = [t["id"] for t in yaml.safe_load((folder / GROCERY).read_text())["touchpoints"]]
    stop = threading.Event()
    torn: list[str] = []
    reads = [0]
    health: list[int] = []

    def reader() -> None:  # the sidecar must be valid YAML at every moment
        while not stop.is_set():
            try:
                text = sidecar.read_text(encoding="utf-8")
            except FileNotFoundError:
                continue
            try:
                data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
                assert data["workshop"] == 1
                reads[0] += 1
            except Exception as exc:  # noqa: BLE001
                torn.append(f"{type(exc).__name__}: {text[-200:]}")

    def pinger() -> None:  # and the server answers the whole time
        with server.client(server.join_token, timeout=10) as client:
            while not stop.is_set():
                start = time.perf_counter()
                r = client.get("/index.html")
                health.append(r.status_code)
                if time.perf_counter() - start > 5:
                    health.append(-1)
                time.sleep(0.05)

    def participant(n: int, results: list[tuple[str, int]]) -> None:
        with httpx.Client(
            base_url=server.base, headers={"origin": server.origin, "x-journeymap-token": server.join_token}, timeout=60,
        ) as client:
            for i in range(40):
                request = f"p{n}-{i}"
                body = {"touchpoint": touchpoints[(n + i) % len(touchpoints)], "participant": f"p{n}", "request": request}
                if i % 2:
                    action, body = "comment", {**body, "text": f"comment {i} from p{n}: <b>&</b>"}
                else:
                    action = "vote"
                r = client.post(f"/api/workshop/grocery-first-order/{action}", json=body)
                results.append((request, r.status_code))

    threads = [threading.Thread(target=reader), threading.Thread(target=pinger)]
    results: list[list[tuple[str, int]]] = [[] for _ in range(50)]
    workers = [threading.Thread(target=participant, args=(n, results[n])) for n in range(50)]
    try:
        for t in threads:
            t.start()
        start = time.perf_counter()
        for t in workers:
            t.start()
        for t in workers:
            t.join(timeout=240)
        took = time.perf_counter() - start
        assert not any(t.is_alive() for t in workers), "participants still posting after 240 s"
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        server.stop()
    answered = [r for rs in results for r in rs]
    assert len(answered) == 2000
    assert all(status == 200 for _, status in answered), {s for _, s in answered}
    record = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    recorded = [item["request"] for kind in ("votes", "comments") for item in record[kind]]
    assert sorted(recorded) == sorted(request for request, _ in answered)  # every one, exactly once
    assert len(record["votes"]) == 1000 and len(record["comments"]) == 1000
    assert torn == [], torn[:3]
    assert reads[0] > 10
    assert health and all(code == 200 for code in health), set(health)
    print(f"2,000 writes from 50 participants in {took:.1f} s; {reads[0]} reads of the sidecar, all valid")


# -- killed in the middle of writing -------------------------------------------------


def test_killed_mid_write_leaves_old_or_new_files_never_torn(tmp_path: Path) -> None:
    import httpx

    folder = copy_samples(tmp_path / "journeys")
    path = folder / GROCERY
    sidecar = folder / "grocery-first-order.workshop.yaml"
    versions = {path.read_bytes()}
    for round_ in range(3):
        server = Server(folder, "--workshop", "--votes", "1000")
        headers = {"origin": server.origin}
        with httpx.Client(base_url=server.base, headers={**headers, "x-journeymap-token": server.join_token}, timeout=30) as p, \
             httpx.Client(base_url=server.base, headers={**headers, "x-journeymap-token": server.facilitator_token}, timeout=30) as f:
            r = p.post("/api/workshop/grocery-first-order/propose", json={
                "touchpoint": "choose-delivery-slot", "participant": "ann", "kind": "pain", "text": f"Round {round_}"})
            pid = r.json()["id"]
            stop = threading.Event()

            def flood(stop: threading.Event = stop, p: httpx.Client = p) -> None:
                i = 0
                while not stop.is_set():
                    try:
                        p.post("/api/workshop/grocery-first-order/comment", json={
                            "touchpoint": "choose-delivery-slot", "participant": "ann", "text": "x" * 900 + str(i)})
                    except httpx.HTTPError:
                        return
                    i += 1

            thread = threading.Thread(target=flood)
            thread.start()
            time.sleep(0.3 + 0.2 * round_)

            def accept(pid: str = pid, f: httpx.Client = f) -> None:
                try:
                    f.post(f"/api/workshop/grocery-first-order/proposals/{pid}/accept", json={})
                except httpx.HTTPError:
                    pass

            acceptor = threading.Thread(target=accept)
            acceptor.start()
            time.sleep(0.02 * round_)
            server.kill()
            stop.set()
            thread.join(timeout=30)
            acceptor.join(timeout=30)
        now = path.read_bytes()
        data = yaml.safe_load(now)  # never torn: it parses
        assert data["id"] == "grocery-first-order"
        if now not in versions:
            notes = [fr.get("note") for t in data["touchpoints"] if t["id"] == "choose-delivery-slot" for fr in t.get("friction", [])]
            assert f"Round {round_}" in notes
            versions.add(now)
        record = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        assert record["workshop"] == 1 and isinstance(record["comments"], list)


# -- the command line ---------------------------------------------------------------------


def test_binding_beyond_localhost_needs_workshop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_samples(tmp_path / "j")
    assert main(["serve", str(folder), "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "needs --workshop" in capsys.readouterr().err
    assert main(["serve", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_a_content_length_of_other_digits_is_refused_not_an_internal_error(workshop: tuple[Server, Path]) -> None:
    """HTTP headers are Latin-1: a Content-Length of '²' (byte 0xB2) passed str.isdigit() and then
    failed int() inside the handler. It is refused like any other bad length."""
    import socket
    from urllib.parse import urlsplit

    server, _ = workshop
    url = urlsplit(server.base)
    body = b'{"touchpoint": "choose-delivery-slot", "participant": "p", "text": "x"}'
    request = (
        b"POST /api/workshop/grocery-first-order/comment HTTP/1.1\r\n"
        + f"Host: {url.netloc}\r\nOrigin: {server.origin}\r\nX-Journeymap-Token: {server.join_token}\r\n".encode()
        + b"Content-Type: application/json\r\nContent-Length: \xb2\r\nConnection: close\r\n\r\n" + body
    )
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(request)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    status = int(reply.split(b" ", 2)[1])
    assert 400 <= status < 500, reply[:300]
    assert not any("Traceback" in line for line in server.output)
