"""Canonical, comment-preserving formatting of journey files (``text ──fmt──▶ text``).

:func:`format_text` lays a journey file out one way — key order as in the
format, two-space indentation, block style for the journey's structure — and
keeps every comment, every anchor and every scalar exactly as written.

How it works: a re-emitter driven by libyaml's event positions, in the spirit
of pre-commit's ``migrate_config`` (which splices text at node positions):

1. libyaml's events give every node with its start and end in the text.
   Comments are not events; they are what libyaml skips between nodes, so
   they are found in the gaps between nodes with libyaml's own rule (a ``#``
   where a token could start begins a comment).
2. Each comment is attached to a node: an end-of-line comment to the node it
   follows on its line; a comment on a line of its own to the entry below it
   — or, when it is indented deeper than that entry, to the end of the block
   above it, so a commented-out key stays inside its touchpoint.
3. The document is written out again: mappings in canonical key order, lists
   and mappings re-indented, every scalar copied from the source (quotes,
   escapes and block scalars untouched; only their continuation lines are
   re-indented), comments where they were attached.
4. Like black's ``--safe``, the result is read back before it is returned by
   a separate, simpler reader (:func:`_facts`): it must hold the same data
   (``x-`` keys, tags, anchors, aliases and merge keys included) and the same
   comments, otherwise :class:`UnsafeFormatError` is raised and nothing is
   written.

>>> print(format_text("title: T\\nid: t   # slug\\njourneymap: 1\\n"), end="")
journeymap: 1
id: t   # slug
title: T
"""

from __future__ import annotations

import bisect
import gc
import heapq
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .problems import JourneyError, Problem, Span

__all__ = ["KEY_ORDER", "FormatError", "UnsafeFormatError", "format_text"]

#: Indentation of one level.
INDENT = 2

#: Canonical key order of every known mapping, by kind (FORMAT.md plus the
#: model's extensions: ``override`` right after ``id``, ``version``, ``unit``).
KEY_ORDER: dict[str, tuple[str, ...]] = {
    "journey": (
        "journeymap", "id", "title", "description", "owner", "version", "tags", "imports",
        "personas", "channels", "stages", "touchpoints", "metrics", "weak",
        "value", "scenarios", "opportunities",
    ),
    "persona": ("id", "override", "name", "description", "goals", "pains", "share"),
    "channel": ("id", "override", "name", "kind", "description"),
    "stage": ("id", "name", "goal", "description", "targets"),
    "touchpoint": (
        "id", "name", "stage", "channel", "personas", "description", "action", "thought",
        "emotion", "owner", "systems", "backstage", "opportunities", "entry", "outcome",
        "next", "friction", "metrics", "cost", "revenue",
    ),
    "flow": ("to", "journey", "share", "label", "time"),
    "flow-time": ("median", "p90", "n"),
    "friction": ("type", "severity", "note", "evidence"),
    "metric-value": ("value", "n", "target", "period", "source"),
    "metric-def": ("override", "label", "scale", "better", "target", "unit"),
    "weak": ("min_n", "friction_severity", "emotion", "worsening"),
    "value": ("currency", "volume", "period", "outcomes", "leave"),
    "scenario": ("id", "name", "description", "changes"),
    "change": (
        "touchpoint", "add", "name", "from", "to", "share", "drop_off", "metric", "value",
        "meets_targets", "remove", "next", "cost",
    ),
    "opportunity": ("id", "name", "description", "touchpoints", "scenario", "changes", "effort", "status", "owner", "link"),
}
_RANK = {kind: {key: float(i) for i, key in enumerate(keys)} for kind, keys in KEY_ORDER.items()}
#: Top-level ``x-`` keys (where authors park anchors) come right after ``journeymap``.
_ROOT_X_RANK = 0.5
# (kind of a mapping, key) -> kind of the value
_CHILD_KIND = {
    ("journey", "personas"): "personas",
    ("journey", "channels"): "channels",
    ("journey", "stages"): "stages",
    ("journey", "touchpoints"): "touchpoints",
    ("journey", "metrics"): "metric-defs",
    ("journey", "weak"): "weak",
    ("touchpoint", "next"): "flows",
    ("flow", "time"): "flow-time",
    ("touchpoint", "friction"): "frictions",
    ("touchpoint", "metrics"): "metric-values",
    ("journey", "value"): "value",
    ("journey", "scenarios"): "scenarios",
    ("journey", "opportunities"): "opportunities",
    ("scenario", "changes"): "changes",
    ("opportunity", "changes"): "changes",
    ("change", "next"): "flows",
}
# kind of a list -> kind of its items
_ITEM_KIND = {
    "personas": "persona",
    "channels": "channel",
    "stages": "stage",
    "touchpoints": "touchpoint",
    "flows": "flow",
    "frictions": "friction",
    "scenarios": "scenario",
    "opportunities": "opportunity",
    "changes": "change",
}
# kind of a mapping of user-chosen names -> kind of its values
_VALUE_KIND = {"metric-defs": "metric-def", "metric-values": "metric-value"}
_LIST_KINDS = frozenset(_ITEM_KIND)
_MAP_KINDS = frozenset(KEY_ORDER) | frozenset(_VALUE_KIND)
#: Always written in block style, even where the author wrote them in flow style.
_BLOCK_KINDS = frozenset(
    {"journey", "personas", "channels", "stages", "touchpoints", "persona", "channel", "stage", "touchpoint"}
)
#: yamlio problems that leave nothing to format.
_FATAL = frozenset({"yaml-syntax", "multiple-documents", "too-deep", "alias-bomb"})
#: What libyaml takes for a line break inside a block scalar (YAML 1.2 has only \n and \r).
_BREAKS = re.compile("[\n\x85\u2028\u2029]")
_SPLIT_BREAKS = re.compile("([\n\x85\u2028\u2029])")
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_BREAK_ESCAPES = str.maketrans({"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\t": "\\t"})
#: What libyaml reads otherwise at the start of a line: a document start or end marker, or a
#: byte-order mark (skipped there, content anywhere else).
_COLUMN_0 = re.compile(r"\ufeff|(?:---|\.\.\.)(?=[ \t\r\n\x85\u2028\u2029\x00]|\Z)")
_HEADER = re.compile(r"[|>]([-+1-9]{0,2})")
_TRAILING_BLANKS = re.compile(r"(?:[ \t]*\n)*")
_HEADER_COMMENT = re.compile(r"[|>][-+1-9]{0,2}[ \t]+(#.*)$")
_PROPERTY_END = re.compile(r"[\s,\[\]{}]")

_SCALAR, _ALIAS, _MAP, _SEQ = range(4)


class FormatError(JourneyError):
    """The text cannot be formatted (not YAML, several documents, ...); ``problems`` says where."""


class UnsafeFormatError(Exception):
    """The formatted text would mean something else or lose a comment: a bug in fmt; never written.

    ``problem`` names the file and what differed (code ``fmt-unsafe``).
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def format_text(text: str, *, filename: str = "<string>") -> str:
    """Return ``text`` in journeymap's canonical layout, every comment kept.

    Line ends become ``\\n``, a byte-order mark is dropped, and the result ends
    with exactly one newline (an empty document stays empty). A file with
    journey-level problems (an unknown key, a bad reference) is formatted like
    any other: layout is not validation. Raises :class:`FormatError` for text
    that is not one readable YAML document and :class:`UnsafeFormatError` if
    the result failed the safety check.

    >>> format_text("tags:   [a,b]\\njourneymap: 1")
    'journeymap: 1\\ntags: [a, b]\\n'
    """
    from .yamlio import parse

    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # yamlio gives the syntax errors their plain-words messages and refuses
    # alias bombs and absurd nesting before anything below walks the nodes.
    problems = parse(text, filename)[1]  # the data itself is not needed: let it go at once
    fatal = [p for p in problems if p.code in _FATAL]
    if fatal:
        raise FormatError(fatal)
    # Reading builds a node per scalar and no reference cycles: the cyclic
    # collector would only rescan them (about half the time on a large file).
    collecting = gc.isenabled()
    gc.disable()
    try:
        doc = _read(text, filename)
        out = _Writer(doc).write()
        del doc  # the safety check reads both texts afresh
        _check_same(text, out, filename)
    finally:
        if collecting:
            gc.enable()
    return out


# -- reading: events -> nodes with positions ---------------------------------


class _Node:
    """A node and where it is in the text. Collections get their extra fields from ``collection``."""

    __slots__ = (
        "type", "is_leaf", "start", "end", "props", "props_end", "content_start", "content_end",
        "style", "value", "tag", "anchor", "last", "parent_col", "kind", "inline",
        # collections only:
        "flow", "entries", "open_end", "close_start", "col", "leads", "closing",
    )

    def __init__(self, type_: int, start: int, end: int, anchor: str | None, tag: str | None) -> None:
        self.type = type_
        self.is_leaf = type_ <= _ALIAS
        self.start = start
        self.end = end
        self.props = ""  # "&anchor !tag" as written
        self.props_end = start
        self.content_start = start
        self.content_end = end
        self.style = ""  # a scalar's: "" plain, "'", '"', "|", ">"
        self.value = ""  # a scalar's value, an alias's anchor name
        self.tag = tag
        self.anchor = anchor
        self.last = end  # where the node's last written piece ends
        self.parent_col = 0  # a block scalar's: column of the block it is in
        #: What the node is in a journey ("touchpoint", "touchpoints", ...), None if nothing known.
        self.kind: str | None = None
        #: Written on one line (scalars, aliases, short flow collections).
        self.inline = True

    def collection(self, flow: bool) -> None:
        self.flow = flow
        #: (key, value) for mappings, (None, item) for sequences.
        self.entries: list[tuple[_Node | None, _Node]] = []
        self.open_end = -1  # just after '[' or '{'
        self.close_start = -1  # at ']' or '}'
        self.col = 0  # column of a block collection's keys or dashes
        self.leads: list[list[_Trivia]] = []  # comments and blank lines above each entry
        self.closing: list[_Trivia] = []  # comments after the last entry

    @property
    def block_scalar(self) -> bool:
        return self.type == _SCALAR and self.style in ("|", ">")

    def first_start(self) -> int:
        key, value = self.entries[0]
        return (key or value).start


class _Trivia:
    """A comment, a blank line, or a raw line (``---``, ``%YAML 1.2``) outside every node."""

    __slots__ = ("index", "col", "text", "kind", "forced", "gap")

    def __init__(self, index: int, col: int, text: str, kind: str, forced: bool = False) -> None:
        self.index = index
        self.col = col
        self.text = text
        self.kind = kind  # "comment" | "blank" | "raw"
        #: A comment after a '-' or '?' on its line: it leads the next entry.
        self.forced = forced
        #: An end-of-line comment's spaces before the '#', as written.
        self.gap = 2


class _Doc:
    def __init__(self, text: str, filename: str) -> None:
        self.text = text
        self.filename = filename
        self.root: _Node | None = None
        self.raws: list[tuple[int, int]] = []  # explicit '---' (with directives) and '...'
        self.trivia: list[_Trivia] = []  # comments on their own lines, blank lines, raw lines
        #: end-of-line comments by the piece they follow: (node or ("raw", i), part) -> comment
        self.owned: dict[tuple[object, str], _Trivia] = {}
        #: where anchors are defined and aliases used: sorted (index, name)
        self.anchors: list[tuple[int, str]] = []
        self.aliases: list[tuple[int, str]] = []


def _line_end(text: str, pos: int, limit: int | None = None) -> int:
    """Where the line at ``pos`` ends (or ``limit``/the end): a comment runs to it.

    libyaml ends a line at NEL, LS and PS too, so a comment ends there and what follows is content.
    """
    m = _BREAKS.search(text, pos) if limit is None else _BREAKS.search(text, pos, limit)
    return m.start() if m else (len(text) if limit is None else limit)


def _col(text: str, index: int) -> int:
    return index - text.rfind("\n", 0, index) - 1


def _skip_space(text: str, pos: int, limit: int) -> int:
    """Skip white space, line breaks and comments."""
    while pos < limit:
        ch = text[pos]
        if ch in " \t\n":
            pos += 1
        elif ch == "#":
            pos = _line_end(text, pos, limit)
        else:
            break
    return pos


def _split_props(text: str, start: int, limit: int) -> tuple[str, int, int]:
    """``&anchor !tag`` at ``start``: (as written, where they end, where the node's content starts)."""
    pos = start
    props: list[str] = []
    end = start
    while pos < limit and text[pos] in "&!":
        if text.startswith("!<", pos):
            end = text.index(">", pos) + 1
        else:
            m = _PROPERTY_END.search(text, pos, limit)
            end = m.start() if m else limit
        props.append(text[pos:end])
        pos = end
        while pos < limit and text[pos] in " \t\n":
            pos += 1
    return " ".join(props), end, _skip_space(text, end, limit)


def _read(text: str, filename: str) -> _Doc:
    """Read one YAML document into nodes with positions, comments and blank lines."""
    from yaml import MarkedYAMLError, YAMLError
    from yaml._yaml import CParser
    from yaml.events import (
        AliasEvent,
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
    )

    from .files import memory_guard
    from .yamlio import syntax_problem

    doc = _Doc(text, filename)
    stack: list[_Node] = []
    keys: list[_Node | None] = []  # per open mapping: the key waiting for its value

    def add(node: _Node) -> None:
        if not stack:
            doc.root = node
            return
        parent = stack[-1]
        if parent.type == _SEQ:
            parent.entries.append((None, node))
        elif keys[-1] is None:
            if not parent.entries and not parent.flow:
                parent.col = _col(text, node.start)
            keys[-1] = node
        else:
            parent.entries.append((keys[-1], node))
            keys[-1] = None

    parser = CParser(text)
    guard = memory_guard()
    count = 0
    try:
        while True:
            ev: Any = parser.get_event()
            if ev is None:
                break
            count += 1
            if guard is not None and not count & 4095:
                guard()
            kind = type(ev)
            if kind is ScalarEvent:
                node = _Node(_SCALAR, ev.start_mark.index, ev.end_mark.index, ev.anchor, ev.tag)
                node.style = ev.style or ""
                node.value = ev.value
                if ev.anchor is not None or ev.tag is not None:
                    node.props, node.props_end, node.content_start = _split_props(text, node.start, node.end)
                    if ev.anchor is not None:
                        doc.anchors.append((node.start, ev.anchor))
                if node.style in ("|", ">"):
                    node.parent_col = stack[-1].col if stack else 0
                add(node)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                start, end = ev.start_mark.index, ev.end_mark.index
                node = _Node(_MAP if kind is MappingStartEvent else _SEQ, start, end, ev.anchor, ev.tag)
                node.collection(bool(ev.flow_style))
                bracket = node.flow and end > start and text[end - 1] in "[{"
                if bracket:
                    node.open_end = end
                if ev.anchor is not None or ev.tag is not None:
                    node.props, node.props_end, _ = _split_props(text, start, end - 1 if bracket else end)
                    if ev.anchor is not None:
                        doc.anchors.append((start, ev.anchor))
                if node.type == _SEQ and not node.flow:
                    node.col = _col(text, _skip_space(text, node.props_end, len(text)))  # the first '-'
                add(node)
                if len(stack) >= 1000:  # yamlio refuses far less deep nesting first
                    raise FormatError([Problem(Span(filename, 0, 0), "too-deep", "nesting is too deep")])
                stack.append(node)
                keys.append(None)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                node = stack.pop()
                keys.pop()
                start, end = ev.start_mark.index, ev.end_mark.index
                if node.flow and end > start and text[start] in "]}":
                    node.close_start = start
                node.end = max(end, node.start)
            elif kind is AliasEvent:
                node = _Node(_ALIAS, ev.start_mark.index, ev.end_mark.index, None, None)
                node.value = ev.anchor
                doc.aliases.append((node.start, ev.anchor))
                add(node)
            elif (kind is DocumentStartEvent or kind is DocumentEndEvent) and ev.explicit:
                doc.raws.append((ev.start_mark.index, ev.end_mark.index))
    except MarkedYAMLError as exc:
        raise FormatError([syntax_problem(exc, filename, text)]) from None
    except YAMLError as exc:
        raise FormatError([Problem(Span(filename, 0, 0), "yaml-syntax", str(exc).splitlines()[0])]) from None
    _check_supported(doc)
    _scan(doc)
    return doc


def _check_supported(doc: _Doc) -> None:
    """Refuse what fmt cannot lay out without changing it: keys that are lists, mappings or span lines."""
    text = doc.text
    problems: list[Problem] = []

    def visit(node: _Node) -> None:
        for key, value in node.entries:
            if key is not None:
                bad = None
                if not key.is_leaf:
                    bad = "a mapping key that is a list or a mapping"
                elif key.block_scalar or _BREAKS.search(text, key.start, key.end):
                    bad = "a mapping key that spans several lines"
                elif key.type == _SCALAR and not key.style and key.content_start >= key.content_end:
                    bad = "an empty mapping key ('?' with nothing after it)"
                elif key.end - key.start > 1024:
                    bad = "a mapping key longer than 1024 characters"
                elif node is doc.root and _COLUMN_0.match(text, key.start):
                    bad = "a top-level key that starts like a document marker ('---' or '...') or with a byte-order mark"
                if bad:
                    problems.append(
                        Problem(
                            Span(doc.filename, text.count("\n", 0, key.start) + 1, _col(text, key.start) + 1),
                            "fmt-unsupported",
                            f"fmt cannot lay out {bad}; the file was left as it is",
                            "write the key as plain text on one line",
                        )
                    )
            if not value.is_leaf:
                visit(value)

    if doc.root is not None and not doc.root.is_leaf:
        visit(doc.root)
    if problems:
        raise FormatError(problems)


def _block_scalar_layout(text: str, node: _Node) -> tuple[str, list[str], list[str], int, int | None]:
    """A block scalar as (header, content lines, the breaks after them, content indent, explicit indicator).

    Sets ``node.content_end`` to the end of its last content line, so that
    blank lines after a clipped or stripped block scalar count as blank lines
    between entries, and a comment after it is never taken for its own.
    """
    start, end = node.content_start, node.end
    m_break = _BREAKS.search(text, start, end)  # libyaml ends the header at NEL, LS and PS too
    nl = -1 if m_break is None else m_break.start()
    header_end = end if nl == -1 else nl
    header = text[start:header_end].rstrip()
    m = _HEADER.match(header)
    indicators = m.group(1) if m else ""
    digits = [c for c in indicators if c.isdigit()]
    explicit = int(digits[0]) if digits else None
    keep = "+" in indicators
    if keep and nl != -1 and text[end - 1] == "\n":
        # Every blank line after a |+ scalar is its content, but libyaml's end
        # mark sometimes stops before them (when a less indented key follows).
        end = _TRAILING_BLANKS.match(text, end).end()  # type: ignore[union-attr]
    body = text[header_end + 1 : end] if nl != -1 else ""
    lines = _BREAKS.split(body)
    breaks = _BREAKS.findall(body)
    if len(lines) > len(breaks) and lines[-1] == "" and breaks:
        lines.pop()  # what follows the last break is not a line
    if explicit is not None:
        indent = node.parent_col + explicit  # libyaml: the enclosing block's indentation + the indicator
    else:
        indent = next((len(x) - len(x.lstrip(" ")) for x in lines if x.strip(" ")), max(map(len, lines), default=0))
    if not keep:  # trailing blank lines are not content: leave them to the layout
        count = 0
        for i, line in enumerate(lines):
            if len(line) > indent:
                count = i + 1
        lines = lines[:count]
    node.content_end = header_end + sum(len(x) + 1 for x in lines)  # the end of the last line
    if keep and lines:
        node.content_end = min(node.content_end + 1, len(text))  # and its line break: content too
    return header, lines, breaks[: len(lines)], indent, explicit


def _header_comment(header: str) -> str | None:
    """The comment on a block scalar's header line (``| # note``), if any."""
    m = _HEADER_COMMENT.match(header)
    return m.group(1).rstrip() if m else None


def _parts(doc: _Doc) -> list[tuple[int, int, object, str]]:
    """Every piece of text the nodes are written with, in order: (start, end, owner, part).

    Sets every node's ``last`` on the way.
    """
    parts: list[tuple[int, int, object, str]] = []
    append = parts.append
    text = doc.text

    def walk(node: _Node) -> int:
        if node.props:
            append((node.start, node.props_end, node, "props"))
        if node.type == _SCALAR:
            if node.style in ("|", ">"):
                _block_scalar_layout(text, node)
            append((node.content_start, node.content_end, node, "content"))
            node.last = node.content_end
            return node.last
        if node.type == _ALIAS:
            append((node.start, node.end, node, "content"))
            return node.end
        if node.open_end >= 0:
            append((node.open_end - 1, node.open_end, node, "open"))
        last = max(node.props_end, node.open_end)
        for key, value in node.entries:
            if key is not None:
                last = max(last, walk(key))
            last = max(last, walk(value))
        if node.close_start >= 0:
            append((node.close_start, node.end, node, "close"))
            last = node.end
        node.last = last
        node.leads = [[] for _ in node.entries]
        return last

    if doc.root is not None:
        walk(doc.root)
    for i, (start, end) in enumerate(doc.raws):
        append((start, end, ("raw", i), "raw"))
    parts.sort(key=lambda p: p[0])
    return parts


_BLANK_LINE = re.compile(r"^[ \t]*\n", re.MULTILINE)


def _uncovered(text: str, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """The '#' that start comments and the starts of blank lines, outside the (sorted, disjoint) spans.

    libyaml's rule: outside a node, a '#' begins a comment running to the end
    of the line. Only the few '#' and blank lines in a file are looked at.
    """
    hashes: list[int] = []
    h = text.find("#")
    while h != -1:
        i = bisect.bisect_right(starts, h) - 1
        if i >= 0 and h < ends[i]:  # inside a node: skip the node
            h = text.find("#", ends[i])
            continue
        hashes.append(h)
        h = text.find("#", _line_end(text, h))
    blanks = []
    for m in _BLANK_LINE.finditer(text):
        x = m.start()
        i = bisect.bisect_right(starts, x) - 1
        if i < 0 or x >= ends[i]:
            blanks.append(x)
    return hashes, blanks


def _scan(doc: _Doc) -> None:
    """Find the comments and blank lines outside the nodes; attach end-of-line comments to their part."""
    text = doc.text
    parts = _parts(doc)
    starts = [p[0] for p in parts]
    ends = [p[1] for p in parts]
    hashes, blanks = _uncovered(text, starts, ends)
    trivia = doc.trivia
    for h in hashes:
        comment = _Trivia(h, _col(text, h), text[h : _line_end(text, h)].rstrip(), "comment")
        i = bisect.bisect_right(starts, h) - 1  # the part before the comment
        gap_start = ends[i] if i >= 0 else 0
        line_start = text.rfind("\n", 0, h) + 1
        if line_start < gap_start:  # a node ends on this line before the comment: it follows that node
            before = text[line_start:h]
            comment.gap = len(before) - len(before.rstrip())
            doc.owned[(parts[i][2], parts[i][3])] = comment
        elif text[line_start:h].strip():  # '- # note': nothing on its line to follow
            comment.forced = True
            trivia.append(comment)
        else:
            trivia.append(comment)
    trivia += [_Trivia(x, 0, "", "blank") for x in blanks]
    trivia += [_Trivia(start, 0, text[start:end], "raw") for start, end in doc.raws]
    trivia.sort(key=lambda t: t.index)


# -- attaching comments and blank lines to entries ----------------------------


class _Distributor:
    """Give each comment line and blank line to an entry (above it) or a block (after its last entry)."""

    def __init__(self, doc: _Doc) -> None:
        self.doc = doc
        self.trivia = doc.trivia
        self.i = 0
        self.header: list[_Trivia] = []
        self.footer: list[_Trivia] = []

    def take_before(self, pos: int) -> list[_Trivia]:
        start = self.i
        trivia = self.trivia
        while self.i < len(trivia) and trivia[self.i].index < pos:
            self.i += 1
        return trivia[start : self.i]

    def run(self) -> None:
        root = self.doc.root
        everything = len(self.doc.text) + 1
        if root is None:
            self.header = self.take_before(everything)
        elif root.is_leaf or not root.entries:
            self.header = self.take_before(root.last)
            if not root.is_leaf:
                root.closing = self.take_before(root.end)
            self.footer = self.take_before(everything)
        else:
            self.header = self.take_before(root.first_start())
            self.walk(root)
            rest = self.take_before(everything)
            self.footer = rest if root.flow else self.gap(root, len(root.entries), rest)

    def walk(self, node: _Node) -> None:
        if not node.entries:
            node.closing = self.take_before(node.end)
            return
        for k, (key, value) in enumerate(node.entries):
            here = self.take_before((key or value).start)
            node.leads[k] = here if k == 0 else self.gap(node, k, here)
            if value.is_leaf:  # a comment between a key and its value goes above the entry
                node.leads[k] += self.take_before(value.last)
            else:
                if key is not None:
                    node.leads[k] += self.take_before(key.last)
                self.walk(value)
        if node.flow:
            node.closing += self.take_before(node.end)

    def gap(self, node: _Node, k: int, items: list[_Trivia]) -> list[_Trivia]:
        """Trivia between entries k-1 and k: what belongs to the blocks ending above, then entry k's leads.

        A comment indented deeper than the entries of ``node`` closes the
        deepest block ending there whose entries it reaches; the first comment
        that does not starts the leads of entry k (so the order never changes).
        """
        if not items:
            return items
        chain: list[_Node] = []
        if not node.flow:
            x = node.entries[k - 1][1]
            while not x.is_leaf and not x.flow and x.entries:
                chain.append(x)
                x = x.entries[-1][1]
        deepest = len(chain) - 1
        leading = False
        pending: list[_Trivia] = []
        lead: list[_Trivia] = []
        for item in items:
            if item.kind == "blank":
                pending.append(item)
                continue
            if not leading and not item.forced and item.kind == "comment":
                for j in range(deepest, -1, -1):
                    if node.col < chain[j].col <= item.col:
                        chain[j].closing += [*pending, item]
                        pending = []
                        deepest = j
                        break
                else:
                    leading = True
                if not leading:
                    continue
            leading = True
            lead += [*pending, item]
            pending = []
        return lead + pending


# -- writing -----------------------------------------------------------------


class _Line:
    __slots__ = (
        "indent", "text", "parts", "trail_ok", "before_ok", "verbatim", "trivia", "comment", "before", "keep_end",
    )

    def __init__(
        self,
        indent: int,
        text: str,
        *,
        trail_ok: bool = True,
        before_ok: bool = True,
        verbatim: bool = False,
        trivia: bool = False,
    ) -> None:
        self.indent = indent
        self.text = text
        #: the pieces of nodes that end on this line: their end-of-line comments go here
        self.parts: list[tuple[object, str]] = []
        self.trail_ok = trail_ok  # may end with a comment
        self.before_ok = before_ok  # a comment line may go above it
        self.verbatim = verbatim  # block scalar content: written exactly, white space and all
        self.trivia = trivia
        self.comment: _Trivia | None = None
        self.before: list[_Trivia] = []
        #: the last line of a block scalar with keep chomping (|+): a blank line after it would be content
        self.keep_end = False


def _blank_line() -> _Line:
    return _Line(0, "", trail_ok=False, before_ok=False, trivia=True)


def _key_name(key: _Node | None) -> str | None:
    return key.value if key is not None and key.type == _SCALAR else None


def _fit(kind: str | None, node: _Node) -> str | None:
    """A kind applies only to a node of its shape (a list for "touchpoints", a mapping for "touchpoint")."""
    if kind in _LIST_KINDS:
        return kind if node.type == _SEQ else None
    if kind in _MAP_KINDS:
        return kind if node.type == _MAP else None
    return None


class _Writer:
    def __init__(self, doc: _Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.comment_at = sorted(
            [t.index for t in doc.trivia if t.kind == "comment"] + [c.index for c in doc.owned.values()]
        )
        if doc.root is not None:
            self.annotate(doc.root, "journey")

    # -- decisions

    def annotate(self, node: _Node, kind: str | None) -> None:
        """Set every node's kind and whether it is written on one line."""
        node.kind = kind = _fit(kind, node)
        if node.is_leaf:
            return
        for key, value in node.entries:
            if key is None:
                child = _ITEM_KIND.get(kind) if kind else None
            elif kind in _VALUE_KIND:
                name = _key_name(key)
                child = None if name is None or name.startswith("x-") else _VALUE_KIND[kind]
            else:
                child = _CHILD_KIND.get((kind, _key_name(key))) if kind else None  # type: ignore[arg-type]
            self.annotate(value, child)
        node.inline = self.inline(node)

    def inline(self, node: _Node) -> bool:
        """A flow collection stays on one line if it holds only one-line scalars and no comments."""
        if not node.flow:
            return False
        if not node.entries:
            return True
        if node.kind in _BLOCK_KINDS:
            return False
        text = self.text
        for key, value in node.entries:
            if not value.is_leaf or "\n" in text[value.start : value.last]:
                return False
            if key is not None and not key.is_leaf:
                return False
        lo = node.open_end if node.open_end >= 0 else node.start
        hi = node.close_start if node.close_start >= 0 else node.last
        i = bisect.bisect_left(self.comment_at, lo)
        return not (i < len(self.comment_at) and self.comment_at[i] < hi)

    def order(self, node: _Node) -> list[int]:
        """Entry indices in canonical order; an anchor stays before its aliases.

        Where the canonical order would put an alias before its anchor, the
        entries that share anchors keep their relative order and the rest is
        canonical around them. Should that order not be stable (a second run
        would order it otherwise), the mapping keeps the author's order.
        """
        n = len(node.entries)
        if node.type != _MAP or node.kind not in _RANK or n < 2:
            return list(range(n))
        # A mapping that repeats a key (an error validate reports; two journeys joined in one file)
        # keeps the author's order: sorted, the two journeys' keys went among each other.
        names = [name for key, _ in node.entries if (name := _key_name(key)) is not None]
        if len(set(names)) < len(names):
            return list(range(n))
        must_follow = self.constraints(node) if self.doc.aliases else {}
        result = self.sort(node, list(range(n)), must_follow)
        if must_follow and self.sort(node, result, must_follow) != result:
            return list(range(n))
        return result

    def sort(self, node: _Node, current: list[int], must_follow: dict[int, set[int]]) -> list[int]:
        """Sort entries (given in their ``current`` order) canonically, keeping ``must_follow``."""
        kind = node.kind
        assert kind is not None
        ranks = _RANK[kind]
        keys: dict[int, tuple[float, int, int, int]] = {}
        after_rank, after = -1.0, -1
        for position, k in enumerate(current):
            name = _key_name(node.entries[k][0])
            if name is not None and name in ranks:
                after_rank, after = ranks[name], k
                keys[k] = (after_rank, position, 0, 0)
            elif kind == "journey" and name is not None and name.startswith("x-"):
                keys[k] = (_ROOT_X_RANK, position, 0, 0)
            else:  # unknown keys, x- keys, merge keys: stay after the known key they follow
                keys[k] = (after_rank, current.index(after) if after >= 0 else -1, 1, position)
        if not must_follow:
            return sorted(current, key=keys.__getitem__)
        waiting = {k: set(v) for k, v in must_follow.items()}
        for k, key in keys.items():  # an unknown key waits for the key it follows, should that wait
            if key[2] == 1 and key[1] >= 0:
                waiting.setdefault(k, set()).add(current[key[1]])
        unlocks: dict[int, list[int]] = {}
        for k, earlier in waiting.items():
            for e in sorted(earlier):
                unlocks.setdefault(e, []).append(k)
        heap = [(keys[k], k) for k in current if k not in waiting]
        heapq.heapify(heap)
        result: list[int] = []
        while heap:
            _, k = heapq.heappop(heap)
            result.append(k)
            for j in unlocks.get(k, ()):
                waiting[j].discard(k)
                if not waiting[j]:
                    del waiting[j]
                    heapq.heappush(heap, (keys[j], j))
        return result

    def constraints(self, node: _Node) -> dict[int, set[int]]:
        """Entry -> entries that must stay before it: anchor before alias, a redefined anchor, merge keys."""
        doc = self.doc
        info = []
        for k, (key, value) in enumerate(node.entries):
            assert key is not None
            start, last = key.start, max(key.last, value.last)
            defs = _names_within(doc.anchors, start, last)
            uses = _names_within(doc.aliases, start, last)
            merge = key.type == _SCALAR and key.style == "" and key.tag is None and key.value == "<<"
            if defs or uses or merge:
                info.append((k, defs, uses, merge))
        must_follow: dict[int, set[int]] = {}
        for i, (a, defs_a, uses_a, merge_a) in enumerate(info):
            for b, defs_b, uses_b, merge_b in info[i + 1 :]:
                if (defs_a & (defs_b | uses_b)) or (uses_a & defs_b) or (merge_a and merge_b):
                    must_follow.setdefault(b, set()).add(a)
        return must_follow

    # -- pieces of text

    def leaf(
        self, node: _Node, cont: int, parent: int, *, flow: bool = False
    ) -> tuple[str, list[_Line], bool, list[tuple[object, str]]]:
        """An inline node: (first line, further lines, whether the first takes a comment, parts on the first).

        ``cont`` is the column of continuation lines, ``parent`` the column of
        the block the node is in (a block scalar's content goes two further).
        """
        text = self.text
        props = node.props
        parts: list[tuple[object, str]] = [(node, "props")] if props else []
        if node.type == _ALIAS:
            return f"*{node.value}", [], True, [(node, "content")]
        if node.type != _SCALAR:
            return self.flow_text(node, parts), [], True, parts
        if node.style in ("|", ">"):
            header, lines, breaks, old, explicit = _block_scalar_layout(text, node)
            new = parent + (explicit if explicit is not None else INDENT)
            rest: list[_Line] = []
            for i, line in enumerate(lines):
                content = " " * new + line[old:] if len(line) > old else ""
                if i > 0 and breaks[i - 1] != "\n":  # NEL, LS, PS: libyaml's line breaks, kept as written
                    rest[-1].text += breaks[i - 1] + content
                else:
                    rest.append(_Line(0, content, trail_ok=False, before_ok=False, verbatim=True))
            if rest and len(breaks) == len(lines) and breaks[-1] != "\n":
                rest[-1].text += breaks[-1]  # the last line's break is content too (LS, PS stay themselves)
            if len(lines) > len(breaks):
                # The last line ends the file without a line break, so the value ends
                # without one; strip chomping says the same once the file ends in '\n'.
                m = _HEADER.match(header)
                assert m is not None
                digits = "".join(c for c in m.group(1) if c.isdigit())
                header = header[0] + digits + "-" + header[m.end() :]
                while rest and not rest[-1].text:  # empty last lines are no content once stripped
                    rest.pop()
            first = f"{props} {header}" if props else header
            (rest[-1].parts if rest else parts).append((node, "content"))
            if rest and "+" in header.split("#")[0]:
                rest[-1].keep_end = True
            return first, rest, _header_comment(header) is None, parts
        raw = text[node.content_start : node.content_end]
        parts.append((node, "content"))
        # A quoted scalar needs no indentation after NEL, LS or PS (libyaml reads what follows
        # them as a continuation line whatever its indentation, and drops that indentation):
        # there they are content, copied as written with what is around them, as editors and
        # YAML 1.2 read them. A plain scalar's continuation must be indented, so there what
        # follows them is indented like a continuation line.
        quoted = node.style in ("'", '"')
        if not quoted and not flow and _ODD_BREAKS.search(raw):
            # A plain scalar with an LS or PS that libyaml and YAML 1.2 read alike ('[Web<LS>site]':
            # in a flow collection, followed by text; yamlio refuses any other), written in block
            # style: there libyaml would end the line at it, and indented as a continuation, an
            # editor and YAML 1.2 would read the indentation into the value. In double quotes, as
            # escapes, every reader reads it alike.
            escaped = node.value.replace("\\", "\\\\").replace('"', '\\"').translate(_BREAK_ESCAPES)
            return (f'{props} "{escaped}"' if props else f'"{escaped}"'), [], True, parts
        if ("\n" not in raw) if quoted else (_BREAKS.search(raw) is None):
            if not raw:
                return props, [], True, parts
            return (f"{props} {raw}" if props else raw), [], True, parts
        # A multi-line plain or quoted scalar: the indentation of its continuation
        # lines and white space at their ends are not content; re-indent them.
        pieces = raw.split("\n") if quoted else _SPLIT_BREAKS.split(raw)
        if quoted:
            pieces = [piece for line in pieces for piece in (line, "\n")][:-1]
        lines, breaks = pieces[0::2], pieces[1::2]
        double = node.style == '"'
        first = _rstrip_flow(lines[0], double)
        rest = []
        for i, (line_break, line) in enumerate(zip(breaks, lines[1:], strict=True), start=1):
            body = line.lstrip(" \t")
            if i < len(lines) - 1:
                body = _rstrip_flow(body, double)
            if line_break == "\n":
                rest.append(_Line(cont if body else 0, body, trail_ok=False, before_ok=False))
            elif rest:
                rest[-1].text += line_break + (" " * cont + body if body else "")
            else:
                first += line_break + (" " * cont + body if body else "")
        if not rest:
            return (f"{props} {first}" if props else first), [], True, parts
        parts.pop()
        rest[-1].trail_ok = True
        rest[-1].parts.append((node, "content"))
        return (f"{props} {first}" if props else first), rest, False, parts

    def flow_text(self, node: _Node, parts: list[tuple[object, str]]) -> str:
        """``[a, b]`` or ``{k: v}`` on one line; collects the parts written on it."""
        items = []
        for k in self.order(node):
            key, value = node.entries[k]
            value_text, _, _, value_parts = self.leaf(value, 0, 0, flow=True)
            if key is None:
                items.append(value_text)
                parts += value_parts
                continue
            key_text, _, _, key_parts = self.leaf(key, 0, 0, flow=True)
            if key.type == _ALIAS:
                key_text += " "  # `*a:` would read as an alias named 'a:' elsewhere
            parts += key_parts + value_parts
            items.append(f"{key_text}: {value_text}" if value_text else key_text)
        if node.open_end >= 0:
            parts.append((node, "open"))
        if node.close_start >= 0:
            parts.append((node, "close"))
        brackets = "[]" if node.type == _SEQ else "{}"
        result = brackets[0] + ", ".join(items) + brackets[1]
        return f"{node.props} {result}" if node.props else result

    # -- lines

    def trivia_lines(
        self,
        items: list[_Trivia],
        col: int,
        *,
        strip_leading: bool,
        strip_trailing: bool = False,
        blank: bool | None = None,
    ) -> list[_Line]:
        """Comment, blank and raw lines; a run of blank lines becomes one.

        ``blank`` (top level only) replaces the blank lines before the first
        comment with exactly one (True) or none (False).
        """
        out: list[_Line] = []
        seen_blank = False
        for item in items:
            if item.kind == "blank":
                seen_blank = True
                continue
            if seen_blank and (out or not strip_leading):
                out.append(_blank_line())
            seen_blank = False
            if item.kind == "raw":
                out += [_Line(0, raw.rstrip(), trivia=True) for raw in item.text.split("\n")]
                raw_index = self.doc.raws.index((item.index, item.index + len(item.text)))
                out[-1].parts.append((("raw", raw_index), "raw"))
            else:
                out.append(_Line(col, item.text, trail_ok=False, trivia=True))
        if seen_blank and not strip_trailing and (out or not strip_leading):
            out.append(_blank_line())
        if blank is not None:
            while out and out[0].text == "" and not out[0].parts:
                out.pop(0)
            if blank:
                out.insert(0, _blank_line())
        return out

    def block(self, node: _Node, col: int, *, top: bool = False) -> list[_Line]:
        """The entries of a mapping or list in block style, at column ``col``."""
        lines: list[_Line] = []
        previous_block = False
        for position, k in enumerate(self.order(node)):
            key, value = node.entries[k]
            is_block = not value.inline
            if top:  # exactly one blank line around every top-level block section
                blank = position > 0 and (is_block or previous_block)
                lines += self.trivia_lines(node.leads[k], col, strip_leading=True, blank=blank)
            else:
                lines += self.trivia_lines(node.leads[k], col, strip_leading=position == 0)
            previous_block = is_block
            lines += self.item(value, col) if key is None else self.entry(key, value, col)
        lines += self.trivia_lines(node.closing, col, strip_leading=False, strip_trailing=True)
        return lines

    def entry(self, key: _Node, value: _Node, col: int) -> list[_Line]:
        key_text, _, _, key_parts = self.leaf(key, 0, 0)
        if key.type == _ALIAS:
            key_text += " "
        if not value.inline:
            line = _Line(col, f"{key_text}: {value.props}" if value.props else f"{key_text}:")
            line.parts = key_parts + ([(value, "props")] if value.props else [])
            return [line, *self.block(value, col + INDENT)]
        first, rest, first_ok, parts = self.leaf(value, col + INDENT, col)
        line = _Line(col, f"{key_text}: {first}" if first else f"{key_text}:", trail_ok=first_ok)
        line.parts = key_parts + parts
        line.before += _inline_closing(value)
        return [line, *rest]

    def item(self, value: _Node, col: int) -> list[_Line]:
        if value.inline:
            first, rest, first_ok, parts = self.leaf(value, col + INDENT, col)
            line = _Line(col, f"- {first}" if first else "-", trail_ok=first_ok)
            line.parts = parts
            line.before += _inline_closing(value)
            return [line, *rest]
        if value.props:  # `- &anchor` on a line of its own: on the dash line it would anchor the first key
            line = _Line(col, f"- {value.props}")
            line.parts = [(value, "props")]
            return [line, *self.block(value, col + INDENT)]
        lines = self.block(value, col + INDENT)
        for line in lines:  # the first entry goes on the dash line, comments above it above the dash
            if line.trivia:
                if line.indent == col + INDENT:
                    line.indent = col
                continue
            line.indent = col
            line.text = "- " + line.text
            break
        return lines

    def write(self) -> str:
        doc = self.doc
        dist = _Distributor(doc)
        dist.run()
        self.route_brackets()
        root = doc.root
        lines = self.trivia_lines(dist.header, 0, strip_leading=True)
        if root is not None:
            if root.inline:
                first, rest, first_ok, parts = self.leaf(root, INDENT, 0)
                # ` --- x` is the text '--- x'; at column 0 it would start a document.
                line = _Line(INDENT if _COLUMN_0.match(first) else 0, first, trail_ok=first_ok)
                line.parts = parts
                line.before += _inline_closing(root)
                lines += [line, *rest]
            else:
                if root.props:
                    line = _Line(0, root.props)
                    line.parts = [(root, "props")]
                    lines.append(line)
                lines += self.block(root, 0, top=root.type == _MAP)
        lines += self.trivia_lines(dist.footer, 0, strip_leading=not lines, strip_trailing=True)
        _attach(lines, doc.owned)
        return _render(lines)

    def route_brackets(self) -> None:
        """A comment after '[' or ']' of a flow collection now written in block style gets its own line."""
        owned = self.doc.owned
        for (owner, part), comment in list(owned.items()):
            if part not in ("open", "close") or not isinstance(owner, _Node) or owner.inline:
                continue
            del owned[(owner, part)]
            if part == "open":
                owner.leads[0].insert(0, comment)
            else:
                owner.closing.append(comment)


def _names_within(marks: list[tuple[int, str]], start: int, last: int) -> set[str]:
    i = bisect.bisect_left(marks, (start, ""))
    names = set()
    while i < len(marks) and marks[i][0] < last:
        names.add(marks[i][1])
        i += 1
    return names


def _inline_closing(node: _Node) -> list[_Trivia]:
    """Comment lines inside an empty flow collection (``[  # none yet``) go above its line."""
    return [t for t in node.closing if t.kind == "comment"] if not node.is_leaf else []


def _rstrip_flow(line: str, double: bool) -> str:
    """Strip the white space at the end of a line of a multi-line flow scalar, which is never content —
    except an escaped space or tab at the end of a double-quoted line."""
    stripped = line.rstrip(" \t")
    if double and len(stripped) < len(line):
        backslashes = len(stripped) - len(stripped.rstrip("\\"))
        if backslashes % 2 == 1:
            stripped = line[: len(stripped) + 1]
    return stripped


def _attach(lines: list[_Line], owned: dict[tuple[object, str], _Trivia]) -> None:
    """Put each end-of-line comment on the line its node ends on; one that does not fit goes above the entry."""
    if not owned:
        return
    structural = 0
    for i, line in enumerate(lines):
        if line.before_ok:
            structural = i
        if not line.parts:
            continue
        found = [owned[p] for p in line.parts if p in owned]
        if not found:
            continue
        found.sort(key=lambda c: c.index)
        if line.trail_ok and line.comment is None:
            line.comment = found.pop()
        lines[structural].before += found


def _render(lines: list[_Line]) -> str:
    out: list[str] = []
    keep_open = False  # right after a |+ block scalar, where a blank line would become its content
    verbatim_end = 0
    for line in lines:
        if keep_open and line.trivia and line.text == "" and not line.before:
            continue
        keep_open = line.keep_end
        pad = " " * line.indent
        for comment in line.before:
            out.append(pad + comment.text)
        if line.verbatim:
            out.append(line.text)
            verbatim_end = len(out)
            continue
        text = pad + line.text if line.text else ""
        if line.comment is not None:  # the author's spacing, at least two spaces
            text += " " * max(2, line.comment.gap) + line.comment.text
        out.append(text)
    while len(out) > verbatim_end and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n" if out else ""


# -- the safety check ---------------------------------------------------------


def _hash(data: bytes) -> bytes:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).digest()


def _digest(value: Any) -> bytes:
    """A scalar's (or a marker tuple's) digest: equal exactly when the values are."""
    return _hash(b"S" + repr(value).encode("utf-8", "surrogatepass"))


def _facts(text: str) -> tuple[Any, list[str]]:
    """What a document says — every key (x- and merge keys too), tag, scalar and alias target — and its comments.

    What it says comes back as a digest (BLAKE2b) of that data: two documents say the same
    thing exactly when their digests are equal. fmt checks its output with this one.
    """
    return _read_back(text, as_digest=True)


def _facts_data(text: str) -> tuple[Any, list[str]]:
    """What a document says, as data (the form :class:`Editor` checks its edits against), and its comments.

    Mappings are ``{key: [values]}`` (a repeated key keeps every value), scalars
    as :func:`_facts` reads them.
    """
    return _read_back(text, as_digest=False)


def _read_back(text: str, *, as_digest: bool) -> tuple[Any, list[str]]:
    """The one reading behind :func:`_facts` (digests, little memory) and :func:`_facts_data` (data).

    Deliberately independent of :func:`_read`: a plain event loop; a '#' that
    no event's text covers starts a comment.
    """
    from yaml._yaml import CParser
    from yaml.events import (
        AliasEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
    )

    from .yamlio import resolve_plain

    hashes: list[int] = []
    h = text.find("#")
    while h != -1:
        hashes.append(h)
        h = text.find("#", h + 1)
    comments: list[str] = []
    next_hash = 0  # hashes before it are classified

    def covered(start: int, end: int) -> None:
        """Text from start to end is a node: a '#' before it is a comment, one inside it is not."""
        nonlocal next_hash
        while next_hash < len(hashes) and hashes[next_hash] < start:
            h = hashes[next_hash]
            eol = _line_end(text, h)
            comments.append(text[h:eol].rstrip())
            while next_hash < len(hashes) and hashes[next_hash] < eol:
                next_hash += 1
        while next_hash < len(hashes) and hashes[next_hash] < end:
            next_hash += 1

    leaf: Callable[[Any], Any] = _digest if as_digest else (lambda value: value)
    # As digests, containers are kept as digests of what they hold, not as data: only the open
    # ones hold their children, so fmt's check needs little memory beyond the text (a
    # 200,000-touchpoint file once needed 2.7 GB for both documents' data side by side).
    anchors: dict[str, Any] = {}
    open_anchors: set[str] = set()
    #: per open container: (is a mapping, anchor, tag, items of a list, {key: [values]} of a mapping, [pending key])
    stack: list[tuple[bool, str | None, str | None, list[Any], dict[Any, list[Any]], list[Any]]] = []
    root: list[Any] = []

    def add(value: Any) -> None:
        if not stack:
            root.append(value)
            return
        is_map, _, _, items, pairs, pending = stack[-1]
        if not is_map:
            items.append(value)
        elif not pending:
            if not as_digest:
                try:
                    hash(value)
                except TypeError:
                    value = ("complex key", repr(value))
            pending.append(value)
        else:
            pairs.setdefault(pending.pop(), []).append(value)

    parser = CParser(text)
    while True:
        ev: Any = parser.get_event()
        if ev is None:
            break
        kind = type(ev)
        start, end = ev.start_mark.index, ev.end_mark.index
        if kind is ScalarEvent:
            tag, style = ev.tag, ev.style
            if ev.anchor is not None or tag is not None:
                _, props_end, content_start = _split_props(text, start, end)
                covered(start, props_end)
                covered(content_start, end)
            else:
                covered(start, end)
            if style in ("|", ">"):
                header = _BREAKS.split(text[start:end], 1)[0]
                header_comment = _HEADER_COMMENT.search(header)
                if header_comment:
                    comments.append(header_comment.group(1).rstrip())
            if tag is None and not style:
                plain = resolve_plain(ev.value)
                if type(plain) is str:
                    value: Any = ("merge",) if plain == "<<" else plain
                else:  # 1 and 1.0 and true differ; NaN equals NaN
                    value = ("plain", type(plain).__name__, repr(plain))
            elif tag is None or tag == "!":
                value = ev.value
            else:
                value = ("tagged", tag, ev.value)
            value = leaf(value)
            if ev.anchor is not None:
                anchors[ev.anchor] = value
            add(value)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            bracket = ev.flow_style and end > start and text[end - 1] in "[{"
            if ev.anchor is not None or ev.tag is not None:
                covered(start, _split_props(text, start, end - 1 if bracket else end)[1])
            if bracket:
                covered(end - 1, end)
            if ev.anchor is not None:
                open_anchors.add(ev.anchor)
            stack.append((kind is MappingStartEvent, ev.anchor, ev.tag, [], {}, []))
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            covered(start, end)
            is_map, anchor, tag, items, pairs, _ = stack.pop()
            if not as_digest:
                value = pairs if is_map else items
                if tag is not None:
                    value = ("tagged", tag, value)
            else:
                if is_map:
                    # Keys in any order (fmt sorts them); a repeated key's values in order.
                    body = b"".join(sorted(key + len(values).to_bytes(4, "big") + b"".join(values) for key, values in pairs.items()))
                    value = _hash(b"M" + body)
                else:
                    value = _hash(b"L" + b"".join(items))
                if tag is not None:
                    value = _hash(b"T" + tag.encode("utf-8", "surrogatepass") + value)
            if anchor is not None:
                anchors[anchor] = value
                open_anchors.discard(anchor)
            add(value)
        elif kind is AliasEvent:
            covered(start, end)
            if ev.anchor in open_anchors:
                add(leaf(("recursive alias", ev.anchor)))
            else:
                found = anchors.get(ev.anchor)
                add(found if found is not None else leaf(("unknown alias", ev.anchor)))
        else:  # '---', '...' and the stream's start and end
            covered(start, end)
    covered(len(text) + 1, len(text) + 1)
    return (root[0] if root else None), comments


def _refusal(filename: str, code: str, doing: str, hint: str) -> Callable[[str], UnsafeFormatError]:
    """How a check refuses a result: ``refuse("change the data")`` says '<doing> would change the data; ...'."""

    def refuse(what: str) -> UnsafeFormatError:
        return UnsafeFormatError(Problem(Span(filename), code, f"{doing} would {what}; the file was left as it is", hint))

    return refuse


def _read_both(
    text: str, out: str, refuse: Callable[[str], UnsafeFormatError], *, as_digest: bool
) -> tuple[Any, list[str], Any, list[str]]:
    """``text`` and the result ``out`` read back: (data in, comments in, data out, comments out); ``out`` not YAML is refused."""
    from yaml import YAMLError

    try:
        data_out, comments_out = _read_back(out, as_digest=as_digest)
    except YAMLError as exc:
        raise refuse(f"not give valid YAML ({str(exc).splitlines()[0]})") from None
    data_in, comments_in = _read_back(text, as_digest=as_digest)
    return data_in, comments_in, data_out, comments_out


def _check_same(text: str, out: str, filename: str) -> None:
    """Refuse a result that says something else or lost a comment (like black's --safe)."""
    unsafe = _refusal(filename, "fmt-unsafe", "formatting", "this is a bug in journeymap fmt: please report it with the file")
    data_in, comments_in, data_out, comments_out = _read_both(text, out, unsafe, as_digest=True)
    if data_in != data_out:
        raise unsafe("change the data")
    if sorted(comments_in) != sorted(comments_out):
        lost = sorted(set(comments_in) - set(comments_out))
        raise unsafe(f"lose the comment {lost[0]!r}" if lost else "repeat a comment")


# -- editing: new values spliced in at node positions --------------------------
#
# Every change to a journey file goes through here (calibrate's figures, a
# workshop proposal through add_to_touchpoint below): the text is read with the
# same node positions as above, each edit is a splice at a node (a scalar
# replaced, a key or an item inserted after its neighbour), everything else is
# left byte for byte, and the result is read back with :func:`_facts_data`: it
# must say exactly what the original said plus the edits, with the same
# comments, or nothing is returned. :func:`edit_file` is the one write path.


class Inline(dict):  # type: ignore[type-arg]
    """A mapping :class:`Editor` writes in flow style (``{value: 0.42, n: 310}``) even in a block."""


class NotEditable(Exception):
    """The place cannot be edited without changing something else (an alias, an anchor, a merge key)."""


Selector = str | int | tuple[str, str]
"""A step of an edit path: a key, an index, or ``("id", x)`` / ``("to", x)`` for the list item with that id or target."""

_BIDI = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SAFE_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./+-]*\Z")


def _scalar_text(value: object, as_json: bool = False) -> str:
    """A Python scalar as YAML text that reads back as the same value (``as_json``: as JSON text too,
    every string double-quoted, for a journey written as JSON)."""
    import json

    from .yamlio import resolve_plain

    if isinstance(value, _Raw):
        return str(value)
    if isinstance(value, _Quoted):
        return yaml_quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    text = str(value)
    if not as_json and _SAFE_PLAIN.match(text) and resolve_plain(text) == text:
        return text
    # Control and bidi characters are written as escapes: the file stays readable and inert.
    return json.dumps(text, ensure_ascii=not all(ch.isprintable() and ch not in _BIDI for ch in text))


def _flow_text(value: object, as_json: bool = False) -> str:
    if isinstance(value, dict):
        pairs = (f"{_scalar_text(k, as_json)}: {_flow_text(v, as_json)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow_text(v, as_json) for v in value) + "]"
    return _scalar_text(value, as_json)


def _is_json(text: str) -> bool:
    """Whether a journey is written as JSON (an export, a file other tools read as JSON): then what the
    editor adds is JSON too (``"time": {"median": "4m12s"}``); a YAML flow key there made it no JSON."""
    import json

    if not text.lstrip().startswith("{"):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _block_value(value: object, col: int) -> str:
    """What follows ``key:`` for a value in a block at column ``col`` (nested blocks indented by INDENT)."""
    if isinstance(value, dict) and not isinstance(value, Inline) and value:
        return "".join(f"\n{' ' * (col + INDENT)}{_scalar_text(k)}:{_block_value(v, col + INDENT)}" for k, v in value.items())
    if isinstance(value, list) and value:
        return "".join(f"\n{' ' * (col + INDENT)}- {_block_item(v, col + INDENT + 2)}" for v in value)
    return " " + _flow_text(value)


def _block_item(value: object, col: int) -> str:
    """A list item after its ``- ``, the item's own keys at column ``col``."""
    if isinstance(value, dict) and not isinstance(value, Inline) and value:
        lines = [f"{_scalar_text(k)}:{_block_value(v, col)}" for k, v in value.items()]
        return f"\n{' ' * col}".join(lines)
    return _flow_text(value)


class Editor:
    """Edits of a journey file's text, spliced at node positions and checked before they are returned.

    >>> editor = Editor("next:\\n  - pay   # the main path\\n")
    >>> editor.update(("next", ("to", "pay")), {"share": 0.9}, promote="to")
    >>> print(editor.result(), end="")
    next:
      - to: pay   # the main path
        share: 0.9

    Paths are keys, indexes and ``("id", x)`` / ``("to", x)`` selectors. A place
    reached through an alias, inside an anchored node (other places may use it)
    or possibly filled by a merge key (``<<``) raises :class:`NotEditable`
    instead of being edited.
    """

    def __init__(self, text: str, *, filename: str = "<string>") -> None:
        self.text = text
        self.filename = filename
        self.doc = _read(text, filename)
        self._splices: list[tuple[int, int, str]] = []
        #: (path as keys and indexes, the new value, whether it is appended to the list at the path)
        self._expect: list[tuple[tuple[str | int, ...], object, bool]] = []
        self._touched: list[int] = []  # ids of nodes already edited
        self._by_field: dict[tuple[int, str], dict[str, int]] = {}
        self._flow_path = False  # whether the last node found is inside a flow collection
        self._anchors: list[tuple[int, str, _Node]] | None = None
        self._json = _is_json(text)

    def mark(self) -> tuple[int, int, int]:
        """A point to :meth:`rollback` to, so that a group of edits is made whole or not at all."""
        return len(self._splices), len(self._expect), len(self._touched)

    def rollback(self, mark: tuple[int, int, int]) -> None:
        del self._splices[mark[0] :], self._expect[mark[1] :], self._touched[mark[2] :]

    # -- finding nodes

    def _find(self, path: tuple[Selector, ...]) -> tuple[_Node, tuple[str | int, ...]]:
        node = self.doc.root
        plain: list[str | int] = []
        if node is None:
            raise NotEditable("the file is empty")
        self._check_node(node, ())
        in_flow = False
        for step in path:
            child, index = self._child(node, step, tuple(plain))
            if child is None:
                raise KeyError(step)
            in_flow = in_flow or (not node.is_leaf and node.flow)
            plain.append(index)
            self._check_node(child, tuple(plain))
            node = child
        self._flow_path = in_flow
        return node, tuple(plain)

    def _check_node(self, node: _Node, where: tuple[str | int, ...]) -> None:
        if node.type == _ALIAS:
            raise NotEditable(f"it is an alias (*{node.value}) of a part written elsewhere in the file")
        if node.anchor is not None:
            raise NotEditable(f"it is inside an anchored part (&{node.anchor}) that other places may use")

    def _child(self, node: _Node, step: Selector, where: tuple[str | int, ...]) -> tuple[_Node | None, str | int]:
        if node.is_leaf:
            return None, 0
        if isinstance(step, int):
            if node.type != _SEQ or step >= len(node.entries):
                return None, step
            return node.entries[step][1], step
        if isinstance(step, tuple):
            field, wanted = step
            if node.type != _SEQ:
                return None, 0
            index = self._by_field.get((id(node), field))
            if index is None:  # built once per list: a journey's edits look up every touchpoint
                index = {}
                for i, (_, item) in enumerate(node.entries):
                    if item.type == _SCALAR and field == "to":
                        index.setdefault(item.value, i)
                    elif item.type == _MAP:
                        for k, v in item.entries:
                            if k is not None and k.type == _SCALAR and k.value == field and v.type == _SCALAR:
                                index.setdefault(v.value, i)
                self._by_field[(id(node), field)] = index
            found = index.get(wanted)
            return (None, 0) if found is None else (node.entries[found][1], found)
        if node.type != _MAP:
            return None, step
        for key, value in node.entries:
            if key is not None and key.type == _SCALAR and key.value == step:
                return value, step
        if self._merges(node, str(step)):
            raise NotEditable(f"'{step}' may come from a merge key (<<) in the same mapping")
        return None, step

    def _merges(self, node: _Node, key: str, depth: int = 0) -> bool:
        """Whether a merge key (``<<``) of ``node`` may bring ``key`` (then a new ``key`` would hide it)."""
        merged = [v for k, v in node.entries if k is not None and k.type == _SCALAR and not k.style and k.value == "<<"]
        if not merged:
            return False
        if depth > 50:
            return True
        sources: list[_Node] = []
        for value in merged:
            sources += [item for _, item in value.entries] if value.type == _SEQ else [value]
        for source in sources:
            if source.type == _ALIAS:
                target = self._anchored(source)
                if target is None:
                    return True
                source = target
            if source.type != _MAP:
                return True
            if any(k is not None and k.type == _SCALAR and k.value == key for k, _ in source.entries):
                return True
            if self._merges(source, key, depth + 1):
                return True
        return False

    def _anchored(self, alias: _Node) -> _Node | None:
        """The node an alias refers to: the last one anchored with its name before it."""
        if self._anchors is None:
            self._anchors = []
            stack = [self.doc.root] if self.doc.root is not None else []
            while stack:
                node = stack.pop()
                if node.anchor is not None:
                    self._anchors.append((node.start, node.anchor, node))
                if not node.is_leaf:
                    stack += [n for pair in node.entries for n in pair if n is not None]
            self._anchors.sort(key=lambda a: a[0])
        found = None
        for start, name, node in self._anchors:
            if start >= alias.start:
                break
            if name == alias.value:
                found = node
        return found

    def value_at(self, path: tuple[Selector, ...]) -> str | None:
        """The scalar written at ``path`` (None when there is none); raises :class:`NotEditable` like an edit."""
        try:
            node, _ = self._find(path)
        except KeyError:
            return None
        return node.value if node.type == _SCALAR else None

    # -- edits

    def update(
        self, path: tuple[Selector, ...], values: dict[str, object], *, promote: str | None = None, at_end: bool = False
    ) -> None:
        """Set keys of the mapping at ``path`` (inserting missing keys after their neighbour in canonical order).

        A dict value for a key that holds a mapping updates that mapping (other keys stay). With ``promote``,
        a scalar at ``path`` becomes a mapping ``{promote: scalar, **values}`` (a short-form flow gets a share).
        With ``at_end``, missing keys go after the mapping's last key instead (where a person adding one looks).
        Raises :class:`NotEditable` (nothing is changed then) and ``KeyError`` if ``path`` does not exist.
        """
        node, plain = self._find(path)
        if id(node) in self._touched:
            raise NotEditable("it was edited already")
        if node.type == _SCALAR and promote is not None:
            self._promote(node, plain, promote, values)
            return
        if node.type != _MAP:
            raise NotEditable("it is not a mapping")
        self._update_map(node, plain, values, at_end=at_end)

    def remove(self, path: tuple[Selector, ...], key: str) -> bool:
        """Take ``key`` out of the mapping at ``path`` (False: it is not there). Only a one-line scalar
        entry that is not the mapping's only one and has no comment on its line; otherwise :class:`NotEditable`
        (a comment would go with it). In a block mapping the entry's line goes; in a flow mapping, the entry
        and the comma before it (after it, for the first)."""
        node, plain = self._find(path)
        if node.type != _MAP:
            raise NotEditable("it is not a mapping")
        found = [i for i, (k, _) in enumerate(node.entries) if k is not None and k.type == _SCALAR and k.value == key]
        if not found:
            return False
        index = found[0]
        name, value = node.entries[index]
        assert name is not None
        self._check_node(value, (*plain, key))
        if len(node.entries) < 2 or not value.is_leaf or value.props or value.block_scalar or id(value) in self._touched:
            raise NotEditable(f"its '{key}' is not a plain one-line value")
        text = self.text
        if node.flow:
            if index > 0:
                start, end = self._end_of(node.entries[index - 1][1]), value.end
            else:
                following = node.entries[1][0]
                start, end = name.start, following.start if following is not None else node.entries[1][1].start
        else:
            line_start = text.rfind("\n", 0, name.start) + 1
            line_end = _line_end(text, value.end)
            if text[line_start:name.start].strip() or text[value.end:line_end].strip() or line_start == 0:
                raise NotEditable(f"its '{key}' shares its line with a comment or another entry")
            start, end = line_start - 1, line_end  # from the line break before it: a key added after it follows on
        if "#" in text[start:end] or _BREAKS.search(text, name.start, value.end):
            raise NotEditable(f"its '{key}' has a comment or a line break beside it")
        self._touched.append(id(value))
        self._splice(start, end, "")
        self._expect.append(((*plain, key), _REMOVED, False))
        return True

    def append(self, path: tuple[Selector, ...], item: object) -> None:
        """Add ``item`` at the end of the list at ``path``."""
        node, plain = self._find(path)
        if node.type != _SEQ:
            raise NotEditable("it is not a list")
        text = self.text
        if node.flow:
            if node.entries:
                at = self._end_of(node.entries[-1][1])
                self._splice(at, at, ", " + _flow_text(item, self._json))
            else:
                self._splice(node.open_end, node.open_end, _flow_text(item, self._json))
        else:
            at = _line_end(text, self._end_of(node.entries[-1][1]))
            self._splice(at, at, f"\n{' ' * node.col}- {_block_item(item, node.col + 2)}")
        self._expect.append((plain, item, True))

    def _promote(self, node: _Node, plain: tuple[str | int, ...], key: str, values: dict[str, object]) -> None:
        text = self.text
        if node.props or node.style in ("|", ">") or _BREAKS.search(text, node.start, node.end):
            raise NotEditable("the short form is not a plain one-line value")
        written = text[node.start : node.end]
        mapping = {key: _Raw(written), **values}
        self._touched.append(id(node))
        if self._flow_path:
            self._splice(node.start, node.end, _flow_text(mapping, self._json))
        else:
            col = _col(text, node.start)
            self._splice(node.start, node.end, f"{key}: {written}")
            at = _line_end(text, node.end)
            rest = "".join(f"\n{' ' * col}{_scalar_text(k)}:{_block_value(v, col)}" for k, v in values.items())
            self._splice(at, at, rest)
        self._expect.append((plain, mapping, False))

    def _update_map(self, node: _Node, plain: tuple[str | int, ...], values: dict[str, object], *, at_end: bool = False) -> None:
        existing = {k.value: (k, v) for k, v in node.entries if k is not None and k.type == _SCALAR}
        new: list[tuple[str, object]] = []
        for key, value in values.items():
            if key in existing:
                child = existing[key][1]
                here = (*plain, key)
                self._check_node(child, here)
                if isinstance(value, dict) and not isinstance(value, Inline) and child.type == _MAP:
                    self._update_map(child, here, value)
                elif isinstance(value, Inline) and child.type == _MAP:
                    self._update_map(child, here, dict(value))
                elif child.type == _SCALAR and not isinstance(value, dict) and _same_scalar(child, value):
                    continue
                elif child.type == _SCALAR and child.start == child.end and not child.props and not child.style:
                    self._fill(existing[key][0], child, here, value)
                else:
                    self._replace(child, here, value)
            else:
                if self._merges(node, key):
                    raise NotEditable(f"'{key}' may come from a merge key (<<) in the same mapping")
                new.append((key, value))
        if not new:
            return
        # No ranks: every new key ranks after every present one.
        kind_rank = {} if at_end else self._ranks(values, [k.value for k, _ in node.entries if k is not None])
        after: dict[int, list[tuple[str, object]]] = {}
        for key, value in sorted(new, key=lambda kv: kind_rank.get(kv[0], 1e9)):
            rank = kind_rank.get(key, 1e9)
            before = [i for i, (k, _) in enumerate(node.entries) if k is not None and kind_rank.get(k.value, 1e9) <= rank]
            # after the last key that does not end in a block scalar (a line after one would join it)
            before = [i for i in before if not self._ends_in_block_scalar(node.entries[i][1])] or before
            anchor = before[-1] if before else len(node.entries) - 1
            after.setdefault(anchor, []).append((key, value))
        text = self.text
        for anchor, pairs in sorted(after.items()):
            if anchor < 0:  # an empty mapping: only a flow mapping can be empty
                self._splice(node.open_end, node.open_end, ", ".join(f"{_scalar_text(k, self._json)}: {_flow_text(v, self._json)}" for k, v in pairs))
            elif node.flow:
                at = self._end_of(node.entries[anchor][1])
                self._splice(at, at, "".join(f", {_scalar_text(k, self._json)}: {_flow_text(v, self._json)}" for k, v in pairs))
            else:
                at = _line_end(text, self._end_of(node.entries[anchor][1]))
                self._splice(
                    at, at, "".join(f"\n{' ' * node.col}{_scalar_text(k)}:{_block_value(v, node.col)}" for k, v in pairs)
                )
            for key, value in pairs:
                self._expect.append(((*plain, key), value, False))

    @staticmethod
    def _ranks(values: dict[str, object], present: list[str]) -> dict[str, float]:
        """Canonical rank of keys: the KEY_ORDER row that holds every key being set and most keys present."""
        keys = set(values)
        rows = [order for order in KEY_ORDER.values() if keys <= set(order)]
        if not rows:
            return {}
        best = max(rows, key=lambda order: len(set(order) & set(present)))
        return {k: float(i) for i, k in enumerate(best)}

    def _replace(self, node: _Node, plain: tuple[str | int, ...], value: object) -> None:
        if node.props:
            raise NotEditable(f"it carries a tag or an anchor ({node.props})")
        if node.block_scalar or (not node.is_leaf and not node.flow):
            raise NotEditable("it is written as a block; not replaced")
        if node.type == _SCALAR and node.start == node.end:
            raise NotEditable("it is empty ('key:' with nothing after it); write a value first")
        self._touched.append(id(node))
        self._splice(node.start, node.end, _flow_text(value, self._json))
        self._expect.append((plain, value, False))

    def _fill(self, key: _Node, node: _Node, plain: tuple[str | int, ...], value: object) -> None:
        """Give an empty value (``share:`` left to be filled in, which reads as no share) its value, right
        after the key's colon: the flows of a touchpoint with one were all left out of calibrate."""
        text = self.text
        colon = key.end
        while colon < len(text) and text[colon] in " \t":
            colon += 1
        if key.props or key.style or colon >= len(text) or text[colon] != ":":
            raise NotEditable("it is empty ('key:' with nothing after it); write a value first")
        after = colon + 1
        while after < len(text) and text[after] in " \t":
            after += 1
        # in a flow mapping the spaces before the next ',' or '}' go (`share: , label` -> `share: 0.4, label`);
        # before a comment they stay, as its column does
        end = after if after < len(text) and text[after] in ",}]" else colon + 1
        self._touched.append(id(node))
        self._splice(colon + 1, end, " " + _flow_text(value, self._json))
        self._expect.append((plain, value, False))

    @staticmethod
    def _ends_in_block_scalar(node: _Node) -> bool:
        while not node.is_leaf and not node.flow and node.entries:
            node = node.entries[-1][1]
        return node.block_scalar

    def _end_of(self, node: _Node) -> int:
        """Where the text of ``node`` ends (a block collection: where its last value ends)."""
        while not node.is_leaf and not node.flow and node.entries:
            node = node.entries[-1][1]
        if node.block_scalar:
            raise NotEditable("a block scalar (| or >) comes right before the place of the new key")
        return node.end

    def _splice(self, start: int, end: int, text: str) -> None:
        self._splices.append((start, end, text))

    # -- the result

    def changed(self) -> bool:
        return bool(self._splices)

    def result(self) -> str:
        """The edited text; raises :class:`UnsafeFormatError` if it would say anything else than intended."""
        # At one position, what was spliced first comes first (a flow's new share before the next key).
        order = sorted(range(len(self._splices)), key=lambda i: (self._splices[i][0], self._splices[i][1], i))
        pieces: list[str] = []
        done = 0
        for i in order:
            start, end, text = self._splices[i]
            pieces += [self.text[done:start], text]
            done = max(done, end)
        pieces.append(self.text[done:])
        out = "".join(pieces)
        if out != self.text:
            self._check(out)
        return out

    def _check(self, out: str) -> None:
        unsafe = _refusal(self.filename, "edit-unsafe", "the edit", "this is a bug in journeymap: please report it with the file")
        expected, comments_in, data_out, comments_out = _read_both(self.text, out, unsafe, as_digest=False)
        for plain, new, append in self._expect:
            container = expected
            for step in plain[:-1] if not append else plain:
                container = container[step][0] if isinstance(container, dict) else container[step]
            if new is _REMOVED:
                del container[plain[-1]]
                continue
            value = _value_facts(new)
            if append:
                container.append(value)
            elif isinstance(container, dict):
                container[plain[-1]] = [value]
            else:
                container[plain[-1]] = value
        if expected != data_out:
            raise unsafe("change more than the values it sets")
        if sorted(comments_in) != sorted(comments_out):
            raise unsafe("lose or repeat a comment")


_REMOVED = object()
"""What an :meth:`Editor.remove` expects in the result: no such key."""


class _Raw(str):
    """Source text copied as written (a short-form flow's target)."""


class _Quoted(str):
    """A string always written double-quoted (text from a person: inert, whatever it says)."""


def _value_facts(value: object) -> Any:
    """What :func:`_facts` reads from the text :func:`_flow_text` writes for ``value`` (without reading it)."""
    from .yamlio import resolve_plain

    if isinstance(value, dict):
        return {_value_facts(k): [_value_facts(v)] for k, v in value.items()}
    if isinstance(value, list):
        return [_value_facts(v) for v in value]
    if isinstance(value, _Raw):  # written by the author: read it as _facts does
        return _facts_data(str(value))[0]
    text = _scalar_text(value)
    if text.startswith('"'):
        return str(value)
    plain = resolve_plain(text)
    if type(plain) is str:
        return ("merge",) if plain == "<<" else plain
    return ("plain", type(plain).__name__, repr(plain))


def _same_scalar(node: _Node, value: object) -> bool:
    from .yamlio import resolve_plain

    written: object = resolve_plain(node.value) if not node.style else node.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and isinstance(written, (int, float)):
        return float(written) == float(value)
    return written == value and type(written) is type(value)


# -- a workshop proposal: one Editor edit, written through edit_file -----------

#: Touchpoint list keys an edit may append to, and what an item looks like.
EDITABLE_LISTS = ("opportunities", "friction")


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar that reads back as ``text`` (inert: no tag, anchor or comment).

    >>> yaml_quoted('say "hi" # now')
    '"say \\\\"hi\\\\" # now"'
    """
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch.isprintable() and ch not in "\x85\u2028\u2029\ufeff":
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


class EditError(JourneyError):
    """An edit that cannot be made safely (unknown touchpoint, a list it cannot reach); ``problems`` says why."""


def _edit_problem(filename: str, message: str, hint: str | None = None) -> EditError:
    return EditError([Problem(Span(filename), "edit-refused", message, hint)])


def add_to_touchpoint(text: str, touchpoint: str, key: str, item: Any, *, filename: str = "<string>") -> str:
    """``text`` with ``item`` appended to the touchpoint's ``key`` list, every other byte unchanged.

    ``key`` is ``opportunities`` (``item`` a string) or ``friction`` (``item``
    a mapping of ``type``, ``severity``, ``note``, ``evidence``). The item is
    written in flow style with double-quoted strings, so no text in it can
    become YAML syntax. The edit is one :class:`Editor` edit (an item appended,
    or the key inserted with a one-item list), so it is read back like every
    other: it must say exactly what the old text said plus the item, with the
    same comments, or :class:`EditError` is raised. A list that may come from
    a merge key (``<<: *x``, where an addition would replace the inherited
    list), an alias or an anchored part is refused the same way.

    >>> print(add_to_touchpoint("touchpoints:\\n  - id: a  # first\\n", "a", "opportunities", "Faster"), end="")
    touchpoints:
      - id: a  # first
        opportunities:
          - "Faster"
    """
    if key not in EDITABLE_LISTS:
        raise ValueError(f"cannot add to '{key}'")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    # The editor splices with \n: a file written with \r\n throughout gets them back.
    crlf = "\r\n" in body and body.count("\r\n") == body.count("\n")
    if crlf:
        body = body.replace("\r\n", "\n")
    written = _written_item(item)
    place = ("touchpoints", ("id", touchpoint))
    try:
        editor = Editor(body, filename=filename)
        try:
            if editor.value_at((*place, key)) is not None:
                raise NotEditable("it is not a list")
            editor.append((*place, key), written)
        except KeyError:
            try:
                editor.update(place, {key: [written]}, at_end=True)
            except KeyError:
                raise _edit_problem(filename, f"touchpoint '{touchpoint}' is not in the file", "was it renamed or removed?") from None
        new = editor.result()
    except FormatError as exc:
        raise EditError(exc.problems) from None
    except NotEditable as exc:
        raise _edit_problem(
            filename,
            f"cannot add to '{key}' of touchpoint '{touchpoint}': {exc}; the file was left as it is",
            f"add it by hand under touchpoint '{touchpoint}'",
        ) from None
    except UnsafeFormatError as exc:
        raise EditError([exc.problem]) from None
    return bom + (new.replace("\n", "\r\n") if crlf else new)


def _written_item(item: Any) -> object:
    """``item`` as the editor writes it: every string double-quoted, a mapping in flow style."""
    if isinstance(item, str):
        return _Quoted(item)
    if isinstance(item, dict):
        return Inline({k: _Quoted(v) if isinstance(v, str) else v for k, v in item.items() if v is not None})
    raise TypeError(f"cannot write {type(item).__name__}")


class EditConflict(EditError):
    """The file changed on disk since it was read: the edit was not written."""


def edit_file(
    path: str | Path,
    edit: Callable[[str], str],
    *,
    expected_hash: str | None = None,
    name: str | None = None,
    to_fill: bool = False,
) -> str:
    """Apply ``edit`` (text -> text) to a journey file: the one door for writing journey files.

    Refused, with nothing written, when the file's SHA-256 is not
    ``expected_hash`` (it changed since the caller read it: :class:`EditConflict`),
    when the edit raises :class:`EditError`, or when the edited file would not
    load without errors (:class:`EditError` carrying the loader's problems;
    ``to_fill``: as ``calibrate`` loads it, figures left empty for it to fill being none).
    The file is read again just before the atomic write, so a save that lands
    while the edit is being checked is not overwritten. Returns the new
    content's SHA-256.
    """
    import hashlib

    from .files import read_bytes, write_atomic
    from .loader import Loader

    path = Path(path)
    label = name or path.name
    raw = read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    changed = EditConflict(
        [
            Problem(
                Span(label),
                "edit-conflict",
                "the file changed on disk since it was read; nothing was written",
                "reload and try again",
            )
        ]
    )
    if expected_hash is not None and digest != expected_hash:
        raise changed
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _edit_problem(label, "the file is not UTF-8 text") from None
    new = edit(text)
    result = Loader(to_fill=to_fill).check(path, raw=new.encode("utf-8"), name=label)
    errors = [p for p in result.problems if p.is_error]
    if errors:
        raise EditError(errors)
    if read_bytes(path) != raw:
        raise changed
    write_atomic(path, new)
    return hashlib.sha256(new.encode("utf-8")).hexdigest()
