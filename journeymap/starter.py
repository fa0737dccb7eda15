"""A starter journey file: what ``journeymap init`` writes.

:func:`starter_journey` returns the text of a small journey that validates clean
and that ``journeymap fmt`` leaves as it is: the author's stages (one touchpoint
each, chained by ``next`` to a success outcome), personas and channels, with the
optional parts (friction, metrics, shares, targets) shown as comments in the
format's own shape. Names are the author's; ids are made from them (``Busy
parent`` is ``busy-parent``, a second ``Buy`` is ``buy-2``). Every name is written
as a YAML scalar that reads back as itself (quoted where plain text would not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_STAGES = ("Discover", "Decide", "Buy", "Use")
DEFAULT_PERSONAS = ("Customer",)
DEFAULT_CHANNELS = ("Website", "Email")
SCHEMA_FILE = "./journeymap.schema.json"
#: Longest name taken (a title or a stage is a line on the map, not a paragraph).
LONGEST_NAME = 200
#: Where the comments beside the starter's lines begin (1-based column of the '#').
COMMENT_COLUMN = 37

_PLAIN = re.compile(r"[^\W\d_][\w .'()&/+-]*")


class StarterError(ValueError):
    """A name that cannot make a journey (empty, too long, or a control character in it); the message says which."""


@dataclass(frozen=True)
class Named:
    id: str
    name: str


def scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back as itself: plain where that is safe, else double-quoted."""
    from .fmt import yaml_quoted
    from .yamlio import resolve_plain

    if (_PLAIN.fullmatch(text) and not text.endswith((" ", ".")) and "  " not in text
            and resolve_plain(text) == text):
        return text
    return yaml_quoted(text)


def _check(names: Sequence[str], what: str) -> list[str]:
    cleaned = [" ".join(name.split()) for name in names]
    for written, name in zip(names, cleaned, strict=True):
        if not name:
            raise StarterError(f"an empty {what} name ({written!r}): give each {what} a name")
        if len(name) > LONGEST_NAME:
            raise StarterError(f"{what} name of {len(name)} characters: at most {LONGEST_NAME}")
        if any(not ch.isprintable() for ch in name):
            raise StarterError(f"{what} name {name!r} holds a control character")
    return cleaned


def named(names: Sequence[str], what: str) -> list[Named]:
    """Names with the ids made from them, each id once (``buy``, ``buy-2``); a name with no letter or digit
    (``???``) gets ``{what}-N``."""
    from .loader import slugify

    out: list[Named] = []
    taken: set[str] = set()
    for number, name in enumerate(_check(names, what), 1):
        base = slugify(name) or f"{what}-{number}"
        ident, k = base, 2
        while ident in taken:
            ident, k = f"{base}-{k}", k + 1
        taken.add(ident)
        out.append(Named(ident, name))
    return out


def starter_journey(
    journey_id: str,
    title: str,
    stages: Sequence[str] = DEFAULT_STAGES,
    personas: Sequence[str] = DEFAULT_PERSONAS,
    channels: Sequence[str] = DEFAULT_CHANNELS,
    schema: str | None = SCHEMA_FILE,
) -> str:
    """The text of a starter journey (see the module's docstring); ``schema``: the JSON Schema the editor modeline
    names (a path or URL), None for none. :class:`StarterError` for a name it cannot take."""
    from .loader import slugify

    (title,) = _check([title], "title")
    ident = slugify(journey_id) or slugify(title) or "journey"
    if not stages:
        raise StarterError("no stages: give at least one stage")
    if not personas:
        raise StarterError("no personas: give at least one persona")
    if not channels:
        raise StarterError("no channels: give at least one channel")
    stage_items = named(stages, "stage")
    persona_items = named(personas, "persona")
    channel_items = named(channels, "channel")

    lines: list[str] = []
    if schema:
        lines.append(f"# yaml-language-server: $schema={schema}")
    lines += [
        "# A starter journey written by `journeymap init`: replace the examples with what your customers do.",
        "# `journeymap validate` checks it, `journeymap render` draws the map; the format: docs/FORMAT.md.",
        "journeymap: 1",
        f"id: {scalar(ident)}",
        f"title: {scalar(title)}",
        "description: What the customer wants to get done, from the first moment to the last.",
        "owner: The team accountable for this journey",
        "",
        "personas:",
    ]
    for i, persona in enumerate(persona_items):
        lines += [f"  - id: {scalar(persona.id)}", f"    name: {scalar(persona.name)}"]
        if i == 0:
            lines += ["    goals: [What this persona wants to get done]",
                      _commented("    # share: 0.4", "optional: their share of all customers, 0..1")]
    lines += ["", "channels:"]
    for channel in channel_items:
        lines += [f"  - id: {scalar(channel.id)}", f"    name: {scalar(channel.name)}",
                  _commented("    kind: digital", "digital | human | physical | partner")]
    lines += ["", "stages:"]
    for i, stage in enumerate(stage_items):
        lines += [f"  - id: {scalar(stage.id)}", f"    name: {scalar(stage.name)}", "    goal: What the customer wants from this stage"]
        if i == 0:
            lines += [_commented("    # targets: {csat: 0.8}", "optional: targets for the touchpoints of this stage")]
    lines += ["", "touchpoints:"]
    for i, stage in enumerate(stage_items):
        channel = channel_items[i % len(channel_items)]
        last = i == len(stage_items) - 1
        lines += [
            f"  - id: {scalar(stage.id + '-touchpoint')}",
            f"    name: {scalar(_touchpoint_name(stage.name))}",
            f"    stage: {scalar(stage.id)}",
            f"    channel: {scalar(channel.id)}",
            "    action: What the customer does here",
            "    thought: What the customer thinks here",
            _commented("    emotion: 0", "-2 (frustrated) .. 2 (delighted)"),
        ]
        if i == 0:
            lines.append("    entry: true")
        if last:
            lines.append(_commented("    outcome: success", "success | failure: where the journey ends"))
        else:
            lines += ["    next:", f"      - to: {scalar(stage_items[i + 1].id + '-touchpoint')}",
                      _commented("        share: 0.7", "optional: the fraction of customers who go on, 0..1")]
        if i == 0:
            lines += [
                _commented("    # friction:", "optional: pain points"),
                _commented("    #   - type: effort", "effort | wait | error | confusion | handoff | trust | accessibility | other"),
                _commented("    #     severity: 3", "1 (minor) .. 5 (blocking)"),
                "    #     note: 11 mandatory fields",
                _commented("    # metrics:", "optional: csat 0..1 (or 82%), nps -100..100, ces 1..7, drop_off 0..1,"),
                _commented("    #   csat: 0.78", "response_time 90s, sentiment -1..1, churn, retention, clv"),
            ]
        if not last:
            lines.append("")
    return "\n".join(lines) + "\n"


def _commented(code: str, comment: str) -> str:
    """A line with its comment at :data:`COMMENT_COLUMN` (one space after the code when the code is longer)."""
    return f"{code.ljust(COMMENT_COLUMN - 1)} # {comment}"


def _touchpoint_name(stage: str) -> str:
    return f"First touchpoint of {stage}" if len(stage) <= LONGEST_NAME - 24 else "A touchpoint"
