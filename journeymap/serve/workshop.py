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
import math
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
#: The keys of a workshop file, and of its entries (written without quotes).
TOP_KEYS = ("workshop", "journey", "votes_per_participant", "votes", "comments", "proposals")
_SURROGATE = re.compile("[\ud800-\udfff]")  # half a UTF-16 pair: "\\ud800" in a file written by an older version
_PLAIN_KEYS = frozenset({"id", "touchpoint", "participant", "kind", "text", "status", "request"})


class WorkshopError(Exception):
    """A request the workshop refuses (no votes left, unknown touchpoint, ...): ``status`` is the HTTP code."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _yaml_value(value: Any) -> str:
    """One value on one line that YAML reads back as ``value`` (strings double-quoted: inert whatever they say)."""
    if isinstance(value, str):
        return yaml_quoted(value)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_yaml_value(k)}: {_yaml_value(v)}" for k, v in value.items()) + "}"
    import yaml

    # A float (.nan, .inf), a date or a timestamp written by hand: YAML's own spelling, one line.
    return yaml.safe_dump(value, default_flow_style=True, width=float("inf")).removesuffix("\n").removesuffix("\n...").strip()


def _flow(item: dict[str, Any]) -> str:
    """``{key: "value", n: 3}``: a flow mapping of the item's keys, strings double-quoted."""
    return "{" + ", ".join(
        f"{key if key in _PLAIN_KEYS else _yaml_value(key)}: {_yaml_value(value)}" for key, value in item.items()
    ) + "}"


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

    text = clean(value).strip() if isinstance(value, str) else ""
    if not text:  # control characters are dropped first: a comment of them alone is empty
        raise WorkshopError(f"{what} is empty")
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
    extra: dict[Any, Any] = field(default_factory=dict)
    """Keys a person added to the file that journeymap does not know: written back as they were."""
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
        out += [f"{_yaml_value(key)}: {_yaml_value(value)}" for key, value in self.extra.items()]
        return "\n".join(out) + "\n"


class SidecarError(ValueError):
    """A workshop file that cannot be read as one: ``str(error)`` is ``file:line:col: error: ...``."""


def _where(name: str, node: Any) -> str:
    mark = getattr(node, "start_mark", None)
    return f"{name}:{mark.line + 1}:{mark.column + 1}" if mark is not None else name


def read_sidecar(
    raw: bytes, name: str, journey: str, votes_per_participant: int, touchpoints: set[str] | None = None
) -> tuple[Record, list[str]]:
    """A workshop file as a person may have left it: the record, and notes (``file:line:col: note: ...``) on
    what is odd in it but kept (unknown keys, entries for touchpoints the journey does not have, more votes
    than allowed, an id used twice, comments that the next write leaves out).

    Raises :class:`SidecarError` for a file that cannot be read as a workshop record (not UTF-8, not YAML,
    another format version, a list that is not one): the caller must not write over it.
    """
    import yaml

    def fail(where: str, message: str) -> SidecarError:
        return SidecarError(f"{where}: error: {message}")

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(f"{name}:{line}:{column}", f"byte 0x{raw[exc.start]:02x} is not UTF-8: save the file as UTF-8") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return Record(journey, votes_per_participant), []
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        data = yaml.SafeLoader("").construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark is not None else name
        raise fail(where, f"not valid YAML: {exc.problem or exc.context}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise fail(name, f"not valid YAML: {exc}") from None
    if data is None:
        return Record(journey, votes_per_participant), []
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise fail(_where(name, root), "not a journeymap workshop file (it is not a mapping starting 'workshop: 1')")
    nodes: dict[Any, tuple[Any, Any]] = {}
    for key_node, value_node in root.value:
        key = getattr(key_node, "value", None)
        if key in nodes and key in TOP_KEYS:
            first = nodes[key][0].start_mark.line + 1
            raise fail(
                _where(name, key_node),
                f"a second '{key}:' (the first is on line {first}): YAML keeps only the last one; "
                f"put the entries of both under the first '{key}:'",
            )
        nodes[key] = (key_node, value_node)
    version = data.get("workshop")
    if version != 1 or isinstance(version, bool):
        where = _where(name, nodes["workshop"][1]) if "workshop" in nodes else _where(name, root)
        if "workshop" not in data:
            raise fail(where, "not a journeymap workshop file (it lacks 'workshop: 1')")
        if isinstance(version, int) and not isinstance(version, bool) and version > 1:
            raise fail(
                where,
                f"written by a newer journeymap (workshop: {version}); this one reads 'workshop: 1' and cannot read "
                "it: upgrade journeymap",
            )
        raise fail(where, f"'workshop: {version}' is not a version this journeymap reads (it writes 'workshop: 1')")
    record = Record(journey, votes_per_participant)
    notes: list[str] = []
    positions: dict[str, list[Any]] = {}
    for kind in ("votes", "comments", "proposals"):
        items = data.get(kind)
        node = nodes.get(kind, (None, None))[1]
        if items is None:
            items = []
        if not isinstance(items, list) or (items and not isinstance(node, yaml.SequenceNode)):
            raise fail(
                _where(name, node),
                f"'{kind}' is a list of entries ('- {{id: ..., touchpoint: ...}}'), not {type(items).__name__}",
            )
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise fail(
                    _where(name, node.value[index]),
                    f"each of '{kind}' is a mapping ({{id: ..., touchpoint: ..., participant: ...}}), not {item!r:.60}",
                )
        setattr(record, kind, items)
        positions[kind] = list(node.value) if items else []
    for key, value in data.items():
        if key not in TOP_KEYS:
            record.extra[key] = value
            notes.append(
                f"{_where(name, nodes[key][0])}: note: unknown key {key!r} (a workshop file has "
                f"{', '.join(TOP_KEYS)}): kept as it is"
            )
    limit = data.get("votes_per_participant")
    if isinstance(limit, int) and not isinstance(limit, bool) and limit != votes_per_participant:
        notes.append(
            f"{_where(name, nodes['votes_per_participant'][1])}: note: the last session gave each participant {limit} "
            f"votes (votes_per_participant: {limit}); this one gives {votes_per_participant} "
            f"(--votes {votes_per_participant}), and writes that"
        )
    written_for = data.get("journey")
    if written_for is not None and written_for != journey:
        notes.append(
            f"{_where(name, nodes['journey'][1])}: note: it says journey {written_for!r}, but it is the workshop file "
            f"of journey {journey!r} (by its name): read as its record, and written with journey {journey!r}"
        )
    # What people will look for on the map and not find, and what they may not expect.
    seen: dict[str, Any] = {}
    gone: dict[str, list[Any]] = {}
    no_id: list[Any] = []
    for kind in ("votes", "comments", "proposals"):
        for item, node in zip(getattr(record, kind), positions[kind], strict=True):
            item_id = str(item.get("id"))
            if item.get("id") is None:
                no_id.append(node)
            elif item_id in seen:
                notes.append(
                    f"{_where(name, node)}: note: id {item_id!r} is used again (first on line "
                    f"{seen[item_id].start_mark.line + 1}): both are kept; new entries get new ids"
                )
            else:
                seen[item_id] = node
            touchpoint = item.get("touchpoint")
            if touchpoints is not None and touchpoint not in touchpoints:
                gone.setdefault(str(touchpoint), []).append(node)
    if no_id:
        notes.append(
            f"{_where(name, no_id[0])}: note: {len(no_id)} entr{'ies' if len(no_id) != 1 else 'y'} without an id: kept; "
            "new entries get ids of their own"
        )
    for touchpoint, places in gone.items():
        count = len(places)
        notes.append(
            f"{_where(name, places[0])}: note: {count} entr{'ies' if count != 1 else 'y'} for touchpoint {touchpoint!r}, "
            f"which journey {journey!r} does not have: kept in the file, not shown on the map"
        )
    used: dict[str, list[Any]] = {}
    for item, node in zip(record.votes, positions["votes"], strict=True):
        if touchpoints is None or not touchpoints or item.get("touchpoint") in touchpoints:  # else counts for no one
            used.setdefault(str(item.get("participant")), []).append(node)
    for participant, places in used.items():
        if len(places) > votes_per_participant:
            notes.append(
                f"{_where(name, places[votes_per_participant])}: note: participant {participant!r} has {len(places)} votes, "
                f"more than the {votes_per_participant} each may give (--votes): all kept; they have no vote left"
            )
    header = set(Record(journey).to_yaml().splitlines()[:2])
    hand = [i + 1 for i, line in enumerate(text.splitlines()) if line.lstrip().startswith("#") and line not in header]
    if hand:
        lines = ", ".join(map(str, hand[:5])) + (", ..." if len(hand) > 5 else "")
        notes.append(
            f"{name}:{hand[0]}:1: note: the comments written in it (line{'s' * (len(hand) > 1)} {lines}) are not kept "
            "when the workshop writes the file: move what they say into the journey file"
        )
    def line_col(note: str) -> tuple[int, int]:
        found = re.match(r":(\d+):(\d+):", note[len(name):])
        return (int(found.group(1)), int(found.group(2))) if found else (0, 0)

    return record, sorted(notes, key=line_col)


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
        name: str | None = None,
        say: Callable[[str], None] | None = None,
    ) -> None:
        from ..files import read_bytes, write_atomic

        self.path = path
        self.touchpoints = touchpoints
        self.broadcast = broadcast or (lambda event: None)
        self._write = write or write_atomic
        self.say = say or (lambda note: None)
        shown = self.name = name or path.name
        try:
            raw = read_bytes(path)
        except FileNotFoundError:
            raw = b""
        except OSError as exc:
            raise SidecarError(f"{shown}: error: cannot read it: {exc.strerror or exc}") from None
        self._on_disk: bytes | None = raw or None  # what the file held when last read or written
        self.record, self.notes = read_sidecar(raw, shown, journey, votes_per_participant, touchpoints())
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
        # touchpoints with votes that the journey does not have (any more): said once as they go (those of the file
        # as read, by read_sidecar's notes), and their votes leave the participants' count
        self._gone_said = self._gone()
        self._dirty = asyncio.Event()
        self._written = 0  # generation on disk
        self._generation = 0  # generation in memory
        # (generation, answered when it is on disk, what undoes the change if that write fails)
        self._waiters: list[tuple[int, asyncio.Future[None], Callable[[], None] | None]] = []
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
                await asyncio.to_thread(self._write_over, text)
                error: OSError | None = None
            except OSError as exc:
                error = exc
            self.writes += 1
            if error is None:
                self._written = generation
            still = []
            for wanted, future, undo in self._waiters:
                if future.done():
                    continue
                if error is not None:
                    # Undone before the next write is prepared: what the participant is told failed is
                    # never written later with someone else's change.
                    if undo is not None:
                        undo()
                    from ..files import CannotWrite

                    why = error.why if isinstance(error, CannotWrite) else (error.strerror or str(error)).lower()
                    future.set_exception(WorkshopError(f"cannot write {self.name}: {why}", 503))
                elif wanted <= generation:
                    future.set_result(None)
                else:
                    still.append((wanted, future, undo))
            self._waiters = still

    def _write_over(self, text: str) -> None:
        """Write the record; a file edited by hand while serving is first kept beside it (``.edited``), and said."""
        from ..files import read_bytes, write_atomic

        try:
            now: bytes | None = read_bytes(self.path)
        except FileNotFoundError:
            now = None
        if now and now != self._on_disk:
            kept = self.path.with_name(self.path.name + ".edited")
            write_atomic(kept, now)
            self.say(
                f"{self.name}: note: it was changed outside the server during the workshop; that version is kept as "
                f"{self.name}.edited and the server's record replaces it (edit the file while the server is stopped: "
                "it is read at start)"
            )
        data = text.encode("utf-8")
        self._write(self.path, text)
        self._on_disk = data

    async def _flush(self, undo: Callable[[], None] | None = None) -> None:
        if self._written >= self._generation:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((self._generation, future, undo))
        self._dirty.set()
        await future

    async def _commit(self, undo: Callable[[], None] | None = None) -> None:
        self._generation += 1
        await self._flush(undo)

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
        """The votes a participant may still give: a vote on a touchpoint the journey no longer has is kept in the
        record but does not count (it was counted until the server restarted)."""
        have = self.touchpoints()
        used = sum(1 for v in self.record.votes if v.get("participant") == participant and v.get("touchpoint") in have)
        return max(0, self.record.votes_per_participant - used)

    def _gone(self) -> frozenset[str]:
        """The touchpoints with votes that the journey does not have; none while it has no good version at all."""
        have = self.touchpoints()
        if not have:
            return frozenset()
        return frozenset(str(v.get("touchpoint")) for v in self.record.votes if v.get("touchpoint") not in have)

    def recount(self) -> None:
        """After the journey was read again: say once which touchpoints it lost that have votes; those votes no longer
        count against their participants' limit (:meth:`votes_left`), and a touchpoint back again counts again."""
        gone = self._gone()
        new = gone - self._gone_said
        if new:
            count = sum(1 for v in self.record.votes if v.get("touchpoint") in new)
            names = ", ".join(repr(t) for t in sorted(new))
            self.say(
                f"{self.name}: note: {count} vote{'s' * (count != 1)} on touchpoint{'s' * (len(new) != 1)} {names}, which"
                f" the journey no longer has: kept in the file; they no longer count against the"
                f" {self.record.votes_per_participant} votes each participant may give"
            )
        self._gone_said = gone

    async def _add(self, kind: str, prefix: str, item: dict[str, Any], request: str | None) -> dict[str, Any]:
        item = {"id": self._new_id(prefix), **item}
        if request:
            item["request"] = request
        items = getattr(self.record, kind)
        items.append(item)
        answer = {"ok": True, "id": item["id"]}
        if request:
            self._answers[request] = {**answer, "repeated": True}

        def undo() -> None:
            for index in range(len(items) - 1, -1, -1):
                if items[index] is item:
                    del items[index]
                    del self.record._lines.setdefault(kind, [])[index:]  # lines after it moved up
                    break
            if request:
                self._answers.pop(request, None)

        try:
            await self._commit(undo)
        except WorkshopError as exc:
            raise WorkshopError(f"{exc}. The {kind[:-1]} was not recorded: try again", exc.status) from None
        self.broadcast({"type": kind[:-1], "item": public(item)})
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
        """Record the facilitator's decision. If the file cannot take it, a rejection is undone (the facilitator
        tries again); an acceptance is not: the journey file already has the proposal, and it must not be
        accepted into it twice (it is written with the next change that is)."""
        item = self.proposal(proposal_id)
        before = item.get("status")
        item["status"] = status

        def undo() -> None:
            item["status"] = before

        try:
            await self._commit(None if status == "accepted" else undo)
        except WorkshopError as exc:
            if status == "accepted":
                self.broadcast({"type": "proposal", "item": public(item)})
                raise
            raise WorkshopError(f"{exc}. The decision was not recorded: try again", exc.status) from None
        self.broadcast({"type": "proposal", "item": public(item)})
        return public(item)

    def state(self) -> dict[str, Any]:
        """Everything a page needs to draw the workshop (requests ids left out)."""
        return {
            "votes_per_participant": self.record.votes_per_participant,
            "votes": [public(i) for i in self.record.votes],
            "gone": sorted(self._gone()),  # touchpoints whose votes count against no one's limit
            "comments": [public(i) for i in self.record.comments],
            "proposals": [public(i) for i in self.record.proposals],
        }


def public(item: dict[str, Any]) -> dict[str, Any]:
    """An entry as pages get it: without its request id, and JSON (a date or ``.nan`` written by hand is text)."""

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            return value if value.isprintable() or not _SURROGATE.search(value) else _SURROGATE.sub("\ufffd", value)
        if isinstance(value, int) or value is None:
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else str(value)
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        return str(value)

    return {str(k): plain(v) for k, v in item.items() if k != "request"}


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
    except OSError as exc:  # a read-only file or folder, a full disk: the file is as it was
        from ..files import CannotWrite

        why = exc.why if isinstance(exc, CannotWrite) else (exc.strerror or str(exc)).lower()
        raise WorkshopError(
            f"cannot write {name}: {why}. Proposal {proposal.get('id')} stays open: make the file writable and "
            "accept it again",
            409,
        ) from None
