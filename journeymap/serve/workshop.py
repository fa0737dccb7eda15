"""The workshop's record: votes, comments and proposals in a sidecar file next to the journey.

``grocery.journey.yaml`` gets ``grocery.workshop.yaml``: plain YAML, so the
workshop's outcome can be reviewed in a pull request. One :class:`WorkshopStore`
per journey holds the record in memory; one writer task per store writes it
(atomically: a temporary file and a rename, so a reader — or a crash — only
ever sees a whole file), taking every change that arrived while it was writing
in the next write (group commit). A request is answered after the write that
holds its change, so an answered vote is on disk.

Each change may carry the client's ``request`` id: a retry of a request that
was already recorded returns the first answer and records nothing.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..fmt import yaml_quoted

#: Limits on what a participant may send.
MAX_TEXT = 1000
MAX_ID = 64
DEFAULT_VOTES = 5
PROPOSAL_KINDS = ("pain", "opportunity")
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class WorkshopError(Exception):
    """A request the workshop refuses (no votes left, unknown touchpoint, ...): ``status`` is the HTTP code."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _flow(item: dict[str, Any]) -> str:
    """``{key: "value", n: 3}``: a flow mapping of known keys with double-quoted strings."""
    parts = []
    for key, value in item.items():
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            value = str(value)
        parts.append(f"{key}: {yaml_quoted(value) if isinstance(value, str) else value}")
    return "{" + ", ".join(parts) + "}"


def sidecar_path(journey_file: Path) -> Path:
    """``x.journey.yaml`` -> ``x.workshop.yaml``; ``x.yaml`` -> ``x.workshop.yaml`` (same folder)."""
    name = journey_file.name
    for suffix in (".journey.yaml", ".journey.yml", ".yaml", ".yml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return journey_file.with_name(f"{name}.workshop.yaml")


def check_id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise WorkshopError(f"{what} must be 1 to {MAX_ID} letters, digits, '-' or '_'")
    return value


def check_text(value: Any, what: str) -> str:
    from ..render.escape import clean

    if not isinstance(value, str) or not value.strip():
        raise WorkshopError(f"{what} is empty")
    text = clean(value).strip()
    if len(text) > MAX_TEXT:
        raise WorkshopError(f"{what} is longer than {MAX_TEXT} characters", 413)
    return text


@dataclass
class Record:
    """What a workshop on one journey has said so far (the sidecar file's content)."""

    journey: str
    votes_per_participant: int = DEFAULT_VOTES
    votes: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)
    _lines: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)
    """Each vote's and comment's line, by list and position (they are only ever appended; ids may repeat in a
    file merged by hand)."""

    def as_data(self) -> dict[str, Any]:
        return {
            "workshop": 1,
            "journey": self.journey,
            "votes_per_participant": self.votes_per_participant,
            "votes": self.votes,
            "comments": self.comments,
            "proposals": self.proposals,
        }

    def to_yaml(self) -> str:
        """The sidecar file: one line per vote, comment and proposal (easy to review in a diff).

        Written by hand rather than by a YAML dumper: every value is a
        double-quoted scalar or a number, so it is valid YAML whatever the
        text says, and writing 2,000 items takes a millisecond, not a quarter
        of a second (a vote's line is computed once).
        """
        out = [
            "# Workshop record written by `journeymap serve --workshop`: votes, comments and proposals.",
            "# Review it like code; proposals the facilitator accepted are already in the journey file.",
            "workshop: 1",
            f"journey: {yaml_quoted(self.journey)}",
            f"votes_per_participant: {int(self.votes_per_participant)}",
        ]
        for name in ("votes", "comments", "proposals"):
            items = getattr(self, name)
            if not items:
                out.append(f"{name}: []")
                continue
            out.append(f"{name}:")
            if name == "proposals":  # they change status
                out += ["  - " + _flow(item) for item in items]
                continue
            cache = self._lines.setdefault(name, [])
            cache += ["  - " + _flow(item) for item in items[len(cache):]]
            out += cache
        return "\n".join(out) + "\n"

    @classmethod
    def from_yaml(cls, text: str, journey: str, votes_per_participant: int) -> Record:
        """Read a sidecar written before (a new workshop continues the old one); refuse a foreign file."""
        import yaml

        data = yaml.safe_load(text) if text.strip() else None
        if data is None:
            return cls(journey, votes_per_participant)
        if not isinstance(data, dict) or data.get("workshop") != 1:
            raise ValueError("not a journeymap workshop file (it lacks 'workshop: 1')")
        record = cls(journey, votes_per_participant)
        for name in ("votes", "comments", "proposals"):
            items = data.get(name) or []
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise ValueError(f"'{name}' is not a list of mappings")
            setattr(record, name, items)
        return record


class WorkshopStore:
    """One journey's workshop record, its single writer, and the changes it broadcasts."""

    def __init__(
        self,
        path: Path,
        journey: str,
        touchpoints: Callable[[], set[str]],
        *,
        votes_per_participant: int = DEFAULT_VOTES,
        broadcast: Callable[[dict[str, Any]], None] | None = None,
        write: Callable[[Path, str], None] | None = None,
    ) -> None:
        from ..files import read_bytes, write_atomic

        self.path = path
        self.touchpoints = touchpoints
        self.broadcast = broadcast or (lambda event: None)
        self._write = write or write_atomic
        try:
            text = read_bytes(path).decode("utf-8")
        except FileNotFoundError:
            text = ""
        self.record = Record.from_yaml(text, journey, votes_per_participant)
        self.record.votes_per_participant = votes_per_participant
        self._answers: dict[str, dict[str, Any]] = {}
        for kind in ("votes", "comments", "proposals"):
            for item in getattr(self.record, kind):
                if item.get("request"):
                    self._answers[str(item["request"])] = {"ok": True, "id": item.get("id"), "repeated": True}
        self._counter = 1 + max(
            (int(str(i.get("id", ""))[1:] or 0) for k in ("votes", "comments", "proposals") for i in getattr(self.record, k)
             if re.fullmatch(r"[vcp]\d+", str(i.get("id", "")))),
            default=0,
        )
        self._dirty = asyncio.Event()
        self._written = 0  # generation on disk
        self._generation = 0  # generation in memory
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None
        self.writes = 0

    # -- the writer ---------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._writer())

    async def stop(self) -> None:
        if self._task is not None:
            await self._flush()
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _writer(self) -> None:
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            generation = self._generation
            text = self.record.to_yaml()
            try:
                await asyncio.to_thread(self._write, self.path, text)
                error: BaseException | None = None
            except OSError as exc:
                error = exc
            self.writes += 1
            if error is None:
                self._written = generation
            still = []
            for wanted, future in self._waiters:
                if future.done():
                    continue
                if error is not None:
                    future.set_exception(WorkshopError(f"cannot write the workshop file: {error}", 500))
                elif wanted <= generation:
                    future.set_result(None)
                else:
                    still.append((wanted, future))
            self._waiters = still

    async def _flush(self) -> None:
        if self._written >= self._generation:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((self._generation, future))
        self._dirty.set()
        await future

    async def _commit(self) -> None:
        self._generation += 1
        await self._flush()

    # -- changes ------------------------------------------------------------------

    def _new_id(self, prefix: str) -> str:
        value = f"{prefix}{self._counter}"
        self._counter += 1
        return value

    def _touchpoint(self, value: Any) -> str:
        touchpoint = check_id(value, "touchpoint")
        if touchpoint not in self.touchpoints():
            raise WorkshopError(f"unknown touchpoint '{touchpoint}'", 404)
        return touchpoint

    def votes_left(self, participant: str) -> int:
        used = sum(1 for v in self.record.votes if v.get("participant") == participant)
        return max(0, self.record.votes_per_participant - used)

    async def _add(self, kind: str, prefix: str, item: dict[str, Any], request: str | None) -> dict[str, Any]:
        item = {"id": self._new_id(prefix), **item}
        if request:
            item["request"] = request
        getattr(self.record, kind).append(item)
        answer = {"ok": True, "id": item["id"]}
        if request:
            self._answers[request] = {**answer, "repeated": True}
        await self._commit()
        self.broadcast({"type": kind[:-1], "item": item})
        return answer

    def _repeat(self, body: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
        request = body.get("request")
        if request is None:
            return None, None
        request = check_id(request, "request")
        return request, self._answers.get(request)

    async def vote(self, body: dict[str, Any]) -> dict[str, Any]:
        request, repeated = self._repeat(body)
        if repeated:
            await self._flush()  # the first request's change may still be on its way to the disk
            return repeated
        participant = check_id(body.get("participant"), "participant")
        touchpoint = self._touchpoint(body.get("touchpoint"))
        if self.votes_left(participant) <= 0:
            raise WorkshopError(f"no votes left: each participant has {self.record.votes_per_participant}", 409)
        return await self._add("votes", "v", {"touchpoint": touchpoint, "participant": participant}, request)

    async def comment(self, body: dict[str, Any]) -> dict[str, Any]:
        request, repeated = self._repeat(body)
        if repeated:
            await self._flush()  # the first request's change may still be on its way to the disk
            return repeated
        participant = check_id(body.get("participant"), "participant")
        touchpoint = self._touchpoint(body.get("touchpoint"))
        text = check_text(body.get("text"), "comment")
        return await self._add("comments", "c", {"touchpoint": touchpoint, "participant": participant, "text": text}, request)

    async def propose(self, body: dict[str, Any]) -> dict[str, Any]:
        request, repeated = self._repeat(body)
        if repeated:
            await self._flush()  # the first request's change may still be on its way to the disk
            return repeated
        participant = check_id(body.get("participant"), "participant")
        touchpoint = self._touchpoint(body.get("touchpoint"))
        kind = body.get("kind")
        if kind not in PROPOSAL_KINDS:
            raise WorkshopError("kind must be 'pain' or 'opportunity'")
        text = check_text(body.get("text"), "proposal")
        item = {"touchpoint": touchpoint, "participant": participant, "kind": kind, "text": text, "status": "open"}
        return await self._add("proposals", "p", item, request)

    def proposal(self, proposal_id: str) -> dict[str, Any]:
        for item in self.record.proposals:
            if item.get("id") == proposal_id:
                return item
        raise WorkshopError(f"no proposal '{proposal_id}'", 404)

    async def mark(self, proposal_id: str, status: str) -> dict[str, Any]:
        item = self.proposal(proposal_id)
        item["status"] = status
        await self._commit()
        self.broadcast({"type": "proposal", "item": item})
        return item

    def state(self) -> dict[str, Any]:
        """Everything a page needs to draw the workshop (requests ids left out)."""
        strip = lambda items: [{k: v for k, v in i.items() if k != "request"} for i in items]  # noqa: E731
        return {
            "votes_per_participant": self.record.votes_per_participant,
            "votes": strip(self.record.votes),
            "comments": strip(self.record.comments),
            "proposals": strip(self.record.proposals),
        }


def proposal_item(proposal: dict[str, Any]) -> tuple[str, Any]:
    """What an accepted proposal adds to its touchpoint: ``(list key, item)``."""
    text = str(proposal.get("text", ""))
    if proposal.get("kind") == "opportunity":
        return "opportunities", text
    return "friction", {
        "type": "other",
        "severity": 3,
        "note": text,
        "evidence": f"workshop proposal {proposal.get('id')}",
    }


def accept_into_journey(path: Path, proposal: dict[str, Any], expected_hash: str | None, folder: Path) -> str:
    """Write an accepted proposal into the journey file (through :func:`journeymap.fmt.edit_file`).

    Raises :class:`WorkshopError` 409 when the file changed on disk since the
    map was loaded, 422 when the edit cannot be made or would break the file.
    Returns the file's new SHA-256.
    """
    from ..fmt import EditConflict, EditError, add_to_touchpoint, edit_file
    from ..site import _relative

    key, item = proposal_item(proposal)
    name = _relative(path, folder)
    touchpoint = str(proposal.get("touchpoint"))
    try:
        return edit_file(
            path,
            lambda text: add_to_touchpoint(text, touchpoint, key, item, filename=name),
            expected_hash=expected_hash,
            name=name,
        )
    except EditConflict:
        raise WorkshopError(
            f"{name} changed on disk since the map was loaded; nothing was written. "
            "The page reloads with the new version: accept the proposal again.",
            409,
        ) from None
    except EditError as exc:
        first = exc.problems[0] if exc.problems else None
        raise WorkshopError(f"cannot write the proposal into {name}: {first}", 422) from None
