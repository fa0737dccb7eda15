"""Safe YAML to plain data, with positions.

This is the one place where parser marks become :class:`~journeymap.problems.Span`
values. It reads with libyaml's C parser (PyYAML's ``CParser``) at the *event*
level and builds the data itself, which is both faster than PyYAML's own
construction and safer:

- scalars resolve by the YAML 1.2 core schema (``no``/``on``/``1:30`` stay
  strings, ``2024-03-01`` is a string, not a date);
- only YAML's standard tags are accepted; any other tag (``!!python/...``,
  ``!custom``) is a problem, never constructed;
- a mapping that repeats a key is a problem;
- merge keys (``<<: *base``) and aliases work as YAML says, but every alias
  counts the nodes it stands for against a budget (only what aliases add;
  the nodes written out in the file are free), so an alias bomb
  ("billion laughs") is refused at once instead of exhausting memory;
- nesting deeper than :data:`MAX_DEPTH` is refused (PyYAML's own composer
  recurses in C and crashes the interpreter on 100,000 nested brackets);
- keys that begin with ``x-`` are left out of the data (authors park anchors
  there), but their anchors still work.

Mappings come back as :class:`YMap` (a ``dict``) and sequences as :class:`YList`
(a ``list``); both carry the 1-based position of every entry.
"""

from __future__ import annotations

import bisect
import math
import re
from typing import Any

from . import lookalikes
from .problems import Problem, Span, quoted

#: Deeper nesting is refused. A journey file needs about eight levels.
MAX_DEPTH = 100
#: The most nodes aliases may add to a document when they are expanded (the nodes written
#: out in the file do not count: a 70,000-touchpoint journey has millions and is no bomb).
MAX_NODES = 2_000_000

IGNORED_PREFIX = "x-"
MERGE_KEY = "<<"

_TAG_PREFIX = "tag:yaml.org,2002:"
_STANDARD_TAGS = {_TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null", "map", "seq")}

_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
# The first character of every plain scalar that could resolve to something
# other than a string; anything else is a string without running a regex.
_MAYBE_NOT_STR = frozenset("0123456789+-.~nNtTfF")

Position = tuple[int, int]

#: Characters libyaml (YAML 1.1) takes for line breaks, and editors, grep and GitHub do not: NEL, LS, PS.
_ODD_BREAKS = {"\x85": "U+0085 NEXT LINE (NEL)", "\u2028": "U+2028 LINE SEPARATOR", "\u2029": "U+2029 PARAGRAPH SEPARATOR"}
_ODD_BREAK = re.compile("[\x85\u2028\u2029]")
_REAL_BREAK = re.compile("\r\n|\r|\n")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


class _Lines:
    """1-based (line, column) of a libyaml mark as an editor counts them.

    libyaml counts a line at NEL, LS and PS too (a title pasted from a word processor holds a
    U+2028): in a text with one, every position after it was a line too low. A mark's index is
    right (in characters), so the position is counted from it; texts without such a character,
    nearly all, take the mark's own line and column.
    """

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        self.starts: list[int] | None = None
        if _ODD_BREAK.search(text) is not None:
            self.starts = [0, *(m.end() for m in _REAL_BREAK.finditer(text))]

    def at(self, mark: Any) -> Position:
        if self.starts is None:
            return mark.line + 1, mark.column + 1
        return self.of_index(mark.index)

    def of_index(self, index: int) -> Position:
        assert self.starts is not None
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1


#: An integer with more significant digits than this is past the largest float (1.8e308).
_MAX_DIGITS = 309


class YInt(int):
    """An integer written in another form than its digits (``0755``, ``+3``, ``0x1F``).

    It is the number everywhere; ``text`` keeps it as written, so that a text
    field (``version: 007``) gets "007" and not "7".
    """

    text: str

    @classmethod
    def written(cls, number: int, text: str) -> YInt:
        value = cls(number)
        value.text = text
        return value


class YMap(dict):  # type: ignore[type-arg]
    """A mapping read from YAML. ``pos[key]`` is ``(key_line, key_col, value_line, value_col)``."""

    __slots__ = ("pos", "line", "col")

    def __init__(self, line: int = 0, col: int = 0) -> None:
        super().__init__()
        self.pos: dict[str, tuple[int, int, int, int]] = {}
        self.line = line
        self.col = col

    def key_position(self, key: str) -> Position:
        p = self.pos.get(key)
        return (p[0], p[1]) if p else (self.line, self.col)

    def value_position(self, key: str) -> Position:
        p = self.pos.get(key)
        return (p[2], p[3]) if p else (self.line, self.col)


class YList(list):  # type: ignore[type-arg]
    """A sequence read from YAML. ``pos[i]`` is the ``(line, col)`` of item ``i``."""

    __slots__ = ("pos", "line", "col")

    def __init__(self, line: int = 0, col: int = 0) -> None:
        super().__init__()
        self.pos: list[Position] = []
        self.line = line
        self.col = col

    def item_position(self, index: int) -> Position:
        if 0 <= index < len(self.pos):
            return self.pos[index]
        return (self.line, self.col)


class _Abort(Exception):
    """Stop reading: the document is unsafe or unreadable past this point."""


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Decode a YAML text: UTF-8, or UTF-16/UTF-32 as YAML allows (found by the byte-order
    mark or the pattern of NUL bytes, :func:`journeymap.sniff.detect_encoding`); a byte-order
    mark is dropped. A bad byte is reported at its line and column."""
    from .sniff import as_windows_1252, detect_encoding, encoding_name

    codec = detect_encoding(raw)
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode(codec, errors="replace").lstrip("\ufeff")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        bad = raw[exc.start : max(exc.end, exc.start + 1)].hex().upper()
        if codec.startswith("utf-8"):
            message = f"the file is not UTF-8 (byte 0x{bad}{as_windows_1252(raw[exc.start])})"
            hint = "save the file as UTF-8"
        else:
            message = f"the file looks like {encoding_name(codec)}, but bytes 0x{bad} are not valid {encoding_name(codec).split()[0]}"
            hint = "save the file as UTF-8"
        return None, [Problem(Span(file, line, col), "encoding", message, hint)]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


def resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if not text:
        return None
    if text[0] not in _MAYBE_NOT_STR:
        return text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        if len(text.lstrip("+-0")) > _MAX_DIGITS:  # past any float (and Python's int-to-text limit)
            return -math.inf if text[0] == "-" else math.inf
        number = int(text)
        return _integer(number, text) if str(number) == text else _integer(YInt.written(number, text), text)
    if _FLOAT.match(text):
        return float(text)
    if _OCT.match(text):
        return _integer(YInt.written(int(text[2:], 8), text), text)
    if _HEX.match(text):
        return _integer(YInt.written(int(text[2:], 16), text), text)
    if _INF.match(text):
        return -math.inf if text[0] == "-" else math.inf
    if _NAN.match(text):
        return math.nan
    return text


def _integer(number: int, text: str) -> int | float:
    """An integer as it is, or, past the largest float (about 1.8e308), infinity like ``1e999``.

    Every number in a journey is used as a float; a larger integer would raise
    OverflowError wherever it is added, compared with a float or shown.
    """
    try:
        float(number)
    except OverflowError:
        return -math.inf if number < 0 else math.inf
    return number


def _tagged(tag: str, text: str) -> Any:
    """Construct a scalar with an explicit standard tag (``!!int 3``); raise ValueError if it can't."""
    kind = tag[len(_TAG_PREFIX) :]
    if kind == "str":
        return text
    value = resolve_plain(text)
    if kind == "null" and value is None:
        return None
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise ValueError(f"'{text}' is not a valid !!{kind}")


def _bad_tag(tag: str) -> tuple[str, str]:
    """Message and hint for a tag that is not allowed, with the tag shown as written (``!!python/...``)."""
    shown = "!!" + tag[len(_TAG_PREFIX) :] if tag.startswith(_TAG_PREFIX) else tag
    return (
        f"tag '{shown}' is not allowed",
        "journeymap reads plain YAML only and never constructs objects; remove the tag",
    )


class _Frame:
    __slots__ = ("container", "is_map", "key", "key_plain", "key_pos", "anchor", "size", "merges", "skip", "second")

    def __init__(self, container: YMap | YList, is_map: bool, anchor: str | None) -> None:
        self.container = container
        self.is_map = is_map
        self.key: Any = _NO_KEY
        self.key_plain = False
        self.key_pos: Position = (0, 0)
        self.anchor = anchor
        self.size = 1
        self.merges: list[tuple[YMap, Position]] = []
        self.skip = False
        self.second = False  # the top level met a second 'journeymap:': two files joined, the rest left out


_NO_KEY = object()
_BAD_KEY = object()


def parse(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document into plain data (YMap/YList/scalars) and problems.

    Returns ``(None, problems)`` when nothing usable could be read. Problems
    found before a syntax error are kept, so a file reports everything up to
    the point where the parser had to stop.
    """
    # Imported here: the C extension is the costly part of importing yaml.
    from yaml import MarkedYAMLError, YAMLError
    from yaml._yaml import CParser
    from yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
    )
    from yaml.reader import ReaderError

    from .files import memory_guard

    problems: list[Problem] = []
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    # The text of each scalar anchor: an alias used as a key is text like every key.
    anchor_texts: dict[str, str] = {}
    open_anchors: set[str] = set()
    root: list[Any] = []
    documents = 0
    expanded = 0

    def problem(line: int, col: int, code: str, message: str, hint: str | None = None, level: str = "error") -> None:
        problems.append(Problem(Span(file, line, col), code, message, hint, level))  # type: ignore[arg-type]

    defined: dict[str, int] = {}  # anchor -> the line it was first defined on

    def define(anchor: str, mark: Any) -> None:
        """A second anchor of one name is legal YAML (the aliases after it refer to it), and most
        likely a copied block: a warning where it is defined again."""
        line, col = at(mark)
        first = defined.setdefault(anchor, line)
        if first != line or anchor in anchors or anchor in open_anchors:
            problem(
                line, col, "anchor-redefined",
                f"anchor '&{anchor}' is defined again (first at line {first}): the aliases after this line refer to this one",
                "give each anchor its own name", "warning",
            )

    def add(value: Any, line: int, col: int, size: int, plain_scalar: bool) -> None:
        """Put a finished node into the container being built."""
        if not stack:
            root.append(value)
            return
        frame = stack[-1]
        frame.size += size
        container = frame.container
        if isinstance(container, YList):
            container.append(value)
            container.pos.append((line, col))
            return
        if frame.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                problem(line, col, "complex-key", "a mapping key must be plain text, not a mapping or list")
                frame.key = _BAD_KEY
            else:
                frame.key = value
            frame.key_plain = plain_scalar
            frame.key_pos = (line, col)
            return
        key = frame.key
        frame.key = _NO_KEY
        if key is _BAD_KEY:
            return
        kline, kcol = frame.key_pos
        assert isinstance(container, YMap)
        if frame.second:
            return
        if key == "journeymap" and key in container.pos and len(stack) == 1 and frame.key_plain:
            # `cat a.journey.yaml b.journey.yaml`: every key of b repeats one of a
            frame.second = True
            problem(
                kline, kcol, "duplicate-key",
                "a second 'journeymap:' at the top level: the file holds two journeys one after the other"
                f" (the first from line {container.pos[key][0]}); what follows is left out",
                "split the file in two: a journey file holds one journey",
            )
            return
        if key == MERGE_KEY and frame.key_plain:
            sources = value if isinstance(value, list) else [value]
            for i, source in enumerate(sources):
                if isinstance(source, YMap):
                    frame.merges.append((source, (line, col)))
                else:
                    sline, scol = value.item_position(i) if isinstance(value, YList) else (line, col)
                    problem(sline, scol, "bad-merge", "a merge key (<<) takes a mapping or a list of mappings")
            return
        if key in container.pos and len(stack) == 1 and key in _ITEM_LISTS and isinstance(value, YList) \
                and isinstance(earlier := container.get(key), YList):
            # a second `touchpoints:` appended at the end of the file: its items are the journey's too, so
            # a flow to one of them is no 'unknown touchpoint' besides
            first = container.pos[key]
            problem(
                kline, kcol, "duplicate-key",
                f"key '{key}' appears twice in this mapping (first at line {first[0]}): its items are read after the first one's",
                f"move them under the first '{key}:' and remove this line",
            )
            earlier.extend(value)
            earlier.pos.extend(value.pos)
            return
        if key in container.pos:
            first = container.pos[key]
            problem(
                kline,
                kcol,
                "duplicate-key",
                f"key '{key}' appears twice in this mapping (first at line {first[0]})",
                "remove one of them; YAML does not let the last one win here",
            )
            return
        container.pos[key] = (kline, kcol, line, col)
        if isinstance(key, str) and key.startswith(IGNORED_PREFIX):
            return
        container[key] = value

    def start_container(ev: Any, is_map: bool) -> None:
        line, col = at(ev.start_mark)
        if len(stack) >= MAX_DEPTH:
            problem(line, col, "too-deep", f"nesting deeper than {MAX_DEPTH} levels is not allowed")
            raise _Abort
        tag = ev.tag
        if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
            problem(line, col, "bad-tag", *_bad_tag(tag))
        container: YMap | YList = YMap(line, col) if is_map else YList(line, col)
        if ev.anchor is not None:
            define(ev.anchor, ev.start_mark)
            open_anchors.add(ev.anchor)
            anchor_texts.pop(ev.anchor, None)
        stack.append(_Frame(container, is_map, ev.anchor))

    def end_container() -> None:
        frame = stack.pop()
        container = frame.container
        if frame.is_map and frame.key is not _NO_KEY and frame.key is not _BAD_KEY:
            pass  # libyaml always pairs keys with values; nothing to do.
        if frame.merges:
            assert isinstance(container, YMap)
            for source, _ in frame.merges:
                for key, value in source.items():
                    if key not in container.pos:
                        container[key] = value
                        container.pos[key] = source.pos[key]
        if frame.anchor is not None:
            anchors[frame.anchor] = (container, frame.size)
            open_anchors.discard(frame.anchor)
        add(container, container.line, container.col, frame.size, False)

    lines = _Lines(text)
    at = lines.at
    odd = lines.starts is not None
    # a carriage return alone in a file of LF (or CRLF) lines: inside quotes, a line break folded into a space
    stray_cr = _LONE_CR.search(text) is not None and "\n" in text
    scalars: list[tuple[int, int, str]] = []  # (start, end, text) of each scalar, in a text with NEL, LS or PS
    parser = CParser(text)
    get_event = parser.get_event
    guard = memory_guard()  # under `ulimit -v` only: see journeymap.files.memory_guard
    count = 0
    try:
        while True:
            ev: Any = get_event()
            if ev is None:
                break
            count += 1
            if guard is not None and not count & 4095:
                guard()
            kind = type(ev)
            if kind is ScalarEvent:
                value_text = ev.value
                tag = ev.tag
                plain = ev.style == "" or ev.style is None
                # Keys are names: they keep their text (`1:`, `no:`, `null:` stay text),
                # but their tags are checked like a value's (`!!python/... key:` is refused).
                is_key = bool(stack) and stack[-1].is_map and stack[-1].key is _NO_KEY
                if tag is None:
                    value = value_text if is_key else resolve_plain(value_text) if plain else value_text
                elif tag == "!":
                    value = value_text
                elif tag in _STANDARD_TAGS:
                    try:
                        value = _tagged(tag, value_text)
                    except ValueError as exc:
                        mark = ev.start_mark
                        problem(*at(mark), "bad-tag", str(exc))
                        value = value_text
                else:
                    mark = ev.start_mark
                    problem(*at(mark), "bad-tag", *_bad_tag(tag))
                    value = value_text
                if is_key:
                    value = value_text
                mark = ev.start_mark
                if ev.anchor is not None:
                    define(ev.anchor, ev.start_mark)
                    anchors[ev.anchor] = (value, 1)
                    anchor_texts[ev.anchor] = value_text
                if odd:
                    line, col = lines.of_index(mark.index)
                else:
                    line, col = mark.line + 1, mark.column + 1
                if odd:
                    scalars.append((mark.index, ev.end_mark.index, value_text))
                if stray_cr and not plain and (cr := _lone_cr_in(text, mark.index, ev.end_mark.index)) is not None:
                    problem(*_index_position(text, cr), "yaml-syntax",
                            f"a carriage return (U+000D) alone in this quoted value: YAML reads a line break there,"
                            f" so the value is read as '{quoted(value_text)}'",
                            "remove the carriage return (an invisible character pasted with the text, as Windows ends"
                            " its lines); to keep a line break in the value, write \\n in double quotes")
                if plain and value_text[:1] in TYPOGRAPHIC_OPENING and not is_key:
                    cut = _cut_by_comment(text, ev.end_mark.index, value_text)
                    if cut is not None:
                        problem(line, col, "typographic-quote", *cut)
                add(value, line, col, 1, plain and tag is None)
            elif kind is MappingStartEvent:
                start_container(ev, True)
            elif kind is SequenceStartEvent:
                start_container(ev, False)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                end_container()
            elif kind is AliasEvent:
                mark = ev.start_mark
                line, col = at(mark)
                name = ev.anchor
                # Keys are text: an alias of a scalar as a key is its text (`*one:` is the key
                # '1', as `1:` is), and a key whose alias is broken leaves its pair out.
                as_key = bool(stack) and stack[-1].is_map and stack[-1].key is _NO_KEY
                if name in open_anchors:
                    problem(line, col, "recursive-alias", f"alias '*{name}' refers to a node that contains it")
                    add(_BAD_KEY if as_key else None, line, col, 1, False)
                    continue
                if name not in anchors:
                    problem(line, col, "unknown-alias", f"alias '*{name}' has no anchor '&{name}' before it")
                    add(_BAD_KEY if as_key else None, line, col, 1, False)
                    continue
                value, size = anchors[name]
                if as_key and name in anchor_texts:
                    value = anchor_texts[name]
                # Only what aliases add counts: a big file written out in full is not a bomb.
                expanded += size
                if expanded > MAX_NODES:
                    problem(
                        line,
                        col,
                        "alias-bomb",
                        f"aliases add more than {MAX_NODES:,} nodes to this document; refusing to read it",
                        "an alias that repeats an alias that repeats an alias grows exponentially",
                    )
                    raise _Abort
                add(value, line, col, size, False)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = ev.start_mark
                    problem(
                        *at(mark),
                        "multiple-documents",
                        "a journey file holds one YAML document; found a second one here",
                        "remove the '---' line, or split the file",
                    )
                    raise _Abort
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        if "nesting depth" in (exc.problem or "") and mark is not None and 0 < mark.index < len(text):
            # libyaml 0.2.6+ (PyYAML 6.0.3+) has its own nesting limit of 1,000, which its
            # scanner reaches while looking ahead, before we see the event at our depth 100.
            # Read the text up to that point again: our limit then speaks first, so the
            # verdict and its position do not depend on the PyYAML release.
            data, again = parse(text[: mark.index], file)
            if any(p.code == "too-deep" for p in again):
                return None, again
        problems.append(syntax_problem(exc, file, text, lines))
        if odd:
            problems.extend(_odd_break_problems(text, file, lines, scalars, problems, complete=False))
        return None, problems
    except ReaderError as exc:
        encoded = text.encode("utf-8")[: exc.position]
        line = encoded.count(b"\n") + 1
        col = len(encoded[encoded.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        code = exc.character if isinstance(exc.character, int) else 0
        problems.append(
            Problem(
                Span(file, line, col),
                "yaml-syntax",
                f"character U+{code:04X} is not allowed in YAML ({exc.reason})",
                "remove the control character",
            )
        )
        return None, problems
    except YAMLError as exc:  # any other reader complaint, without a mark
        problems.append(Problem(Span(file, 0, 0), "yaml-syntax", str(exc).splitlines()[0]))
        return None, problems
    except _Abort:
        return None, problems
    if odd:
        problems.extend(_odd_break_problems(text, file, lines, scalars, problems, complete=True))
    return (root[0] if root else None), problems


def _as_yaml_12(text: str) -> tuple[dict[int, tuple[int, str]], int]:
    """The scalars of ``text`` as YAML 1.2 reads them, where NEL, LS and PS are characters like
    any other (libyaml, a YAML 1.1 reader, ends a line at each): ``{start: (end, value)}``, and
    the index where that reading failed (past the text if it did not).

    Each is read as a private-use character the text does not hold (one character for one, so
    every index stays), which libyaml reads as text, and put back in the values."""
    from yaml import MarkedYAMLError
    from yaml._yaml import CParser
    from yaml.events import ScalarEvent

    used = set(_PRIVATE_USE.findall(text))
    spare = [c for c in map(chr, range(0xE000, 0xF900)) if c not in used][:3]
    if len(spare) < 3:  # every private-use character is in the text: nothing to compare with
        return {}, 0
    there = dict(zip(map(ord, _ODD_BREAKS), spare, strict=True))
    back = {ord(c): b for c, b in zip(spare, _ODD_BREAKS, strict=True)}
    scalars: dict[int, tuple[int, str]] = {}
    parser = CParser(text.translate(there))
    try:
        while (ev := parser.get_event()) is not None:
            if type(ev) is ScalarEvent:
                event: Any = ev
                scalars[event.start_mark.index] = (event.end_mark.index, event.value.translate(back))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return scalars, mark.index if mark is not None else 0
    return scalars, len(text) + 1


def _odd_break_problems(
    text: str, file: str, lines: _Lines, scalars: list[tuple[int, int, str]], found: list[Problem], *, complete: bool
) -> list[Problem]:
    """Where a NEL, LS or PS makes libyaml read other text than the file shows.

    libyaml ends a line at each of them; editors, GitHub and YAML 1.2 readers do not. An LS
    pasted with a title, in a plain value ('name: Visit<LS>   the shop'), was read as
    'Visit<LS>the shop' (the spaces after it dropped as a continuation line's indentation), a NEL
    as a space, one that ends a value was dropped, and one after a comment made what follows it
    content: all without a word. Each scalar is compared with its YAML 1.2 reading; where the two
    differ, one error at the character (each character once). Where they agree ('[a<LS>b]' in a
    flow list), the value is read as written."""
    yaml12, failed_at = _as_yaml_12(text)
    breaks = [m.start() for m in _ODD_BREAK.finditer(text)]
    told = {(p.span.line, p.span.col) for p in found}
    out: list[Problem] = []

    def tell(index: int | None, read: str | None, written: str | None) -> None:
        if index is None:
            return
        line, col = lines.of_index(index)
        if (line, col) in told:
            return
        told.add((line, col))
        char = text[index]
        name = _ODD_BREAKS[char]
        short = name.split(" (")[0]
        escape = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}[char]
        if read is None or written is None:
            message = f"a {name} here ends the line for YAML, so the text after it is read as a new line"
        else:
            message = (
                f"a {name} in this value: YAML (libyaml) reads a line break there, so the value is read as"
                f" '{quoted(read)}', not as written, '{quoted(written)}'"
            )
        hint = f"remove the {short} (an invisible character pasted with the text), or replace it with a space"
        if read is not None:
            hint += f"; to keep it, write the value in double quotes with {escape} in its place"
        if char == "\x85":
            hint += " (a NEL is what '…' becomes when Windows-1252 text is read as Latin-1: write … if that was meant)"
        out.append(Problem(Span(file, line, col), "yaml-syntax", message, hint))

    def first_in(start: int, end: int) -> int | None:
        i = bisect.bisect_left(breaks, start)
        return breaks[i] if i < len(breaks) and breaks[i] < end else None

    def last_before(start: int) -> int | None:
        i = bisect.bisect_left(breaks, start)
        return breaks[i - 1] if i else None

    starts = set()
    for start, end, value in scalars:
        starts.add(start)
        if start >= failed_at:
            continue
        other = yaml12.get(start)
        if other is None:  # libyaml reads a value where YAML 1.2 reads none: after a line it ended
            tell(last_before(start + 1), None, None)
        elif other[1] != value:
            tell(first_in(start, max(end, other[0]) + 1), value, other[1])
    if complete:
        for start, (end, _) in yaml12.items():
            if start not in starts:
                inside = first_in(start, end + 1)
                tell(inside if inside is not None else last_before(start), None, None)
        if failed_at <= len(text) and not out:
            tell(last_before(failed_at + 1), None, None)
    return out


def syntax_problem(exc: Any, file: str, text: str = "", lines: _Lines | None = None) -> Problem:
    """Turn a PyYAML MarkedYAMLError into a Problem with a plain-words message."""
    if lines is None:
        lines = _Lines(text)
    mark = exc.problem_mark or exc.context_mark
    line, col = lines.at(mark) if mark is not None else (0, 0)
    what = (exc.problem or "invalid YAML").strip()
    context = (exc.context or "").strip()
    context_mark = exc.context_mark
    if context and context_mark is not None and mark is not None and lines.at(context_mark)[0] != line:
        context += " that starts at line {}, column {}".format(*lines.at(context_mark))
    hint = None
    at = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    broken = _broken_at(text, lines, mark, context_mark)
    if broken is not None:
        # `title: Shop  # note<LS>more words`: libyaml ends the line at the U+2028 and reads
        # 'more words' as a line of its own; the editor shows one line and no reason.
        where, name = broken
        line, col = lines.of_index(where)
        what, context = f"a {name} here ends the line for YAML, so the text after it is read as a new line", ""
        hint = f"remove the {name.split(' (')[0]} (an invisible character pasted with the text), or replace it with a space"
    elif (bom := source_line(text, line).find("\ufeff", 0, max(col, 1))) >= 0 and not source_line(text, line)[:bom].strip():
        # `cat head.yaml body.yaml`, body.yaml saved by Notepad: a byte-order mark starts a line inside
        # the file, and libyaml reads what follows it one column further in.
        what, context, col = "an invisible byte-order mark (U+FEFF) starts this line, inside the file", "", bom + 1
        hint = "delete it: it starts files saved by Windows Notepad and came with text joined from such a file"
    elif (long_key := _long_key(source_line(text, line))) is not None:
        # libyaml reads a key of at most 1024 characters: it said "could not find expected ':'" (the
        # colon is there) or "mapping values are not allowed" at that colon
        col, size = long_key
        what, context = f"a key of {size:,} characters is not read as a key", ""
        hint = f"shorten the key ({size:,} characters; YAML reads keys of at most 1,024); a long text goes in a value"
    elif at == "\t" or "\\t" in what:
        what = "tab character where YAML expects indentation or a value"
        context = ""
        hint = "YAML indents with spaces only; replace the tab with spaces"
        if at == "\t" and not source_line(text, line).strip(" \t"):
            hint = "this line looks empty but holds a tab: delete the tab (YAML indents with spaces only)"
    elif "could not find expected ':'" in what:
        hint = "a key needs a colon and a space after it ('key: value')"
        if context_mark is not None and "simple key" in context:
            # libyaml notices on the next line; the colon is missing where the key starts.
            line, col = lines.at(context_mark)
            # (str.strip would take a no-break space after the colon too, the very character to tell)
            written = text[context_mark.index :].split("\n", 1)[0].strip(" \t\r")
            odd = _odd_colon_or_space(written)
            if odd is not None:
                # 'name:\u00a0Browses' (pasted from a word processor) shows as 'name: Browses', and was
                # told "missing ':' after 'name: Browses'", or to write 'next:\u00a0[pay,: call]'
                what, context = f"'{written}' is not read as a key and its value: {odd}", ""
                fixed = lookalikes.plain(written).strip()
                hint = f"write '{fixed}' with a plain ':'" + (", nothing after it" if fixed.endswith(":") else " and a plain space after it")
            elif (glued := re.fullmatch(r"([A-Za-z_][A-Za-z0-9_-]*):(\S.*)", written)) is not None and len(written) <= 60:
                # `name:Visits`: the colon is there, the space after it is not
                what, context = f"'{written}' has no space after its colon, so it is read as text, not as a key and its value", ""
                hint = f"write '{glued.group(1)}: {glued.group(2)}'; a key needs a colon and a space after it"
            elif 0 < len(written) <= 60:
                key, _, value = written.partition(" ")
                what, context = (f"missing ':' in '{written}'" if value else f"missing ':' after '{written}'"), ""
                if value:
                    hint = f"write '{key}: {value.strip()}'; a key needs a colon and a space after it"
    elif "expected ',' or ']'" in what or "expected ',' or '}'" in what:
        hint = "a bracket is not closed, or a comma is missing"
    elif "found unexpected ':'" in what:
        # `{to: call, share:}`: a key left empty in a flow mapping, or a colon in a value
        hint = "in [...] or {...} a key needs a space after its colon ('share: 0.4'); a ':' inside a value needs quotes"
    elif "mapping values are not allowed" in what and (
        curly := _typographic_value(source_line(text, line), col)
    ) is not None:
        # `name: “Checkout: pay by card”`: quoted, with autocorrect's quotes; it was told to quote it
        col, hint = curly
    elif "mapping values are not allowed" in what and (
        top := _indented_top_level_key(source_line(text, line), len(source_line(text, line)) - len(source_line(text, line).lstrip(" ")) + 1)
    ) is not None and col == top[1] + len(top[0]) + 1:
        # `journeymap: 1` then ` stages:`: libyaml reads 'stages' into the value above and stops at its colon
        key, spaces = top
        col = spaces + 1
        hint = (f"'{key}:' is a top-level key: write it at the start of its line, without the {spaces}"
                f" space{'s' * (spaces != 1)} before it")
    elif "mapping values are not allowed" in what:
        hint = "quote a value that contains ': ' (\"like: this\"), or check the indentation of this line and the one above"
        if (off := _misaligned(text, line, col, None)) is not None:
            # `     name: Pays` a space further in than `- id: pay` above: read into its value
            col, hint = off
        elif (doubled := _doubled_colon(source_line(text, line), col)) is not None:
            # `name: : Visits`: a second colon typed after the key's
            hint = doubled
        elif (fix := _colon_value_fix(source_line(text, line), col)) is not None:
            # `name: Checkout:`, `name: Step 1: Checkout`: the line to write, not a rule to apply
            hint = f"write '{fix}': a value that holds ': ' or ends in ':' is written in quotes"
            before = re.search(r"(?:^|[ \t])([a-z_]+)\Z", source_line(text, line)[: col - 1])
            if before is not None and before.group(1) in _FORMAT_KEYS:
                # `name: Visits stage: buy`: a line break lost when pasting
                rest = source_line(text, line)[before.start(1) :].strip()
                hint = f"'{before.group(1)}:' starts a key: put '{rest}' on a line of its own; or, if it is text, write '{fix}'"
    elif "control characters are not allowed" in what:
        hint = "the file contains a control character; remove it"
    elif (runaway := _runaway_quote(text, mark, line)) is not None and (
        "did not find expected key" in what or "expected <block end>" in what or "expected '-' indicator" in what
    ):
        # `thought: "Hmm` swallows every line up to the next `"`; libyaml complains there.
        opened = runaway
        what, context = f'the quote opened here is not closed: the text runs on to line {line}', ""
        line, col = opened
        hint = 'close it where the text ends: "like this"'
    elif (top := _indented_top_level_key(source_line(text, line), col)) is not None and (
        "did not find expected key" in what or "expected <block end>" in what or "expected '-' indicator" in what
    ):
        # `  touchpoints:` two spaces in, after the last stage: a top-level key written inside the list above
        key, spaces = top
        hint = (f"'{key}:' is a top-level key: write it at the start of its line, without the {spaces}"
                f" space{'s' * (spaces != 1)} before it")
    elif "did not find expected key" in what and (dashed := re.match(r"( *)- +([A-Za-z_][A-Za-z0-9_-]*):", source_line(text, line))) \
            and col == len(dashed.group(1)) + 1 and context_mark is not None and context_mark.column == len(dashed.group(1)):
        # `- name: Visits` among the keys of a touchpoint, lined up with them
        hint = (f"'- {dashed.group(2)}:' starts a list item among the keys of the item above: remove the '-' (the keys"
                " of one item line up under its first, without a dash)")
        context = ""
    elif (
        "did not find expected key" in what or "expected <block end>" in what or "expected '-' indicator" in what
    ) and (off := _misaligned(text, line, col, context_mark if "expected '-' indicator" in what else None)) is not None:
        # `   channel: web` one space short of the keys above, `   - id: pay` one further in than the list's
        # items: which line is off, by how much, and where to write it
        col, hint = off
        context = ""
    elif "did not find expected key" in what or "expected <block end>" in what:
        hint = "check the indentation: items of one mapping line up in the same column"
    elif "expected '-' indicator" in what:
        hint = "check the indentation: items of one list line up in the same column"
    elif "end of stream" in what and "quoted scalar" in context:
        hint = 'close it where the text ends: "like this"'
        if context_mark is not None:  # point at the quote that was opened, not at the end of the file
            what, context = "the quote opened here is never closed", ""
            line, col = lines.at(context_mark)
    elif "invalid Unicode character escape" in what and (surrogate := _surrogate_escape(text, mark)) is not None:
        # Python's json.dump writes an emoji as two escapes, '\ud83d\ude00', UTF-16's surrogate pair
        (line, col), what, hint = _index_position(text, surrogate[0]), *surrogate[1:]
        context = ""
    elif "unknown escape character" in what:
        hint = "in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single quotes"
    elif "undefined tag handle" in what:
        hint = "a value starting with '!' needs quotes"
    elif "expected node content" in what and (doubled := _doubled_colon_in_flow(source_line(text, line), col)) is not None:
        # `{id: visit, name: : Visits}`: a second colon typed after the key's, in curly brackets
        hint = doubled
    elif "expected node content" in what:
        hint = "a value is missing here, or starts with a character that needs quotes"
    elif "cannot start any token" in what and at:
        what = f"character {at!r} cannot start a value here"
        hint = "quote the value"
    message = what if not context or context in what else f"{what} ({context})"
    return Problem(Span(file, line, col), "yaml-syntax", message, hint)


#: Quotes a word processor's autocorrect types (“…”, ‘…’, „…“, «…»): text to YAML, not quotes.
TYPOGRAPHIC_OPENING = "\u201c\u2018\u201e\u201a\u00ab\u00bb"
TYPOGRAPHIC_CLOSING = "\u201d\u2019\u201c\u2018\u00bb\u00ab"
_QUOTE_THEN_COMMENT = re.compile(r"[ \t]+#([^\r\n\x85\u2028\u2029]*)")


def typographic_inner(text: str) -> str | None:
    """What ``text`` holds inside typographic quotes (``“true”`` -> ``true``), or None when it is not so written."""
    if len(text) >= 2 and text[0] in TYPOGRAPHIC_OPENING and text[-1] in TYPOGRAPHIC_CLOSING:
        return text[1:-1].strip()
    return None


def lone_typographic_quote(text: str) -> tuple[str, str] | None:
    """What ``text`` holds beside one typographic quote at its start or its end, its other lost (``“0.40``,
    ``true”``), and that quote; None when it has none there, or one at each end (:func:`typographic_inner`)."""
    if len(text) < 2 or typographic_inner(text) is not None:
        return None
    quotes = TYPOGRAPHIC_OPENING + TYPOGRAPHIC_CLOSING
    if text[0] in quotes and text[-1] not in quotes:
        return text[1:].strip(), text[0]
    if text[-1] in quotes and text[0] not in quotes:
        return text[:-1].strip(), text[-1]
    return None


def _quote_name(char: str) -> str:
    import unicodedata

    return f"{char} (U+{ord(char):04X} {unicodedata.name(char, '')})"


def _cut_by_comment(text: str, end: int, value: str) -> tuple[str, str] | None:
    """``name: “Order #1”``: a plain value that opens a typographic quote and does not close it, where
    ``' #'`` then starts a comment that does close it: YAML read the value up to the ``#`` and the rest
    as a comment. The message and hint of that problem, or None."""
    if value[-1:] in TYPOGRAPHIC_CLOSING and len(value) > 1:
        return None
    found = _QUOTE_THEN_COMMENT.match(text, end)
    if found is None:
        return None
    comment = found.group(1)
    closing = next((i for i, char in enumerate(comment) if char in TYPOGRAPHIC_CLOSING), None)
    if closing is None:
        return None
    meant = f"{value[1:]} #{comment[:closing]}".replace('"', '\\"')
    return (
        f"the text '{value}' starts with a typographic quote {_quote_name(value[0])}, which YAML does not read"
        f" as a quote: ' #{comment.rstrip()}' after it is read as a comment and left out",
        f'write straight quotes: "{meant}"',
    )


def _typographic_value(line_text: str, col: int) -> tuple[int, str] | None:
    """The column of a value opened with a typographic quote before column ``col`` of ``line_text`` (after
    ``key:`` or ``-``), and the hint to write it in straight quotes; None if there is none."""
    found = None
    for match in re.finditer(rf"(?:^|[:\-,\[{{])[ \t]+([{TYPOGRAPHIC_OPENING}])", line_text[: max(col - 1, 0)]):
        found = match
    if found is None:
        return None
    start = found.start(1)
    rest = line_text[start + 1 :]
    closing = next((i for i, char in enumerate(rest) if char in TYPOGRAPHIC_CLOSING), len(rest))
    meant = rest[:closing].replace('"', '\\"')
    return start + 1, (
        f"the value starts with {_quote_name(line_text[start])}, a typographic quote, which YAML does not read as"
        f' a quote; write straight quotes: "{meant}"'
    )


#: Keys of a journey's items that a line holding two keys (a line break lost) may hold second.
_FORMAT_KEYS = frozenset({
    "id", "name", "stage", "channel", "next", "personas", "outcome", "entry", "emotion", "thought", "action",
    "description", "owner", "share", "to", "label", "type", "severity", "note", "evidence", "metrics", "friction",
    "value", "target", "kind", "goal", "systems", "backstage", "opportunities", "journey",
})
#: A journey's top-level lists of items: one written twice is read as one.
_ITEM_LISTS = frozenset({"personas", "channels", "stages", "touchpoints", "scenarios", "opportunities"})
#: Keys a journey file has at its top level only (``personas``, ``metrics``, ``id`` are an item's too).
_ONLY_TOP_LEVEL = frozenset({"journeymap", "imports", "channels", "stages", "touchpoints", "weak", "scenarios"})


def _indented_top_level_key(line_text: str, col: int) -> tuple[str, int] | None:
    """``('touchpoints', 2)`` when the line at whose ``col`` libyaml stopped starts, after spaces, with a
    key only the top level of a journey has."""
    m = re.match(r"( +)([a-z]+):(?:[ \t]|$)", line_text)
    if m is None or col != len(m.group(1)) + 1:
        return None
    key = m.group(2)
    return (key, len(m.group(1))) if key in _ONLY_TOP_LEVEL else None


_LINE_KEY = re.compile(r"( *)((?:-[ ]+)*)([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]+(.*))?$")


def _misaligned(text: str, line: int, col: int, sequence: Any) -> tuple[int, str] | None:
    """The column and hint for a line one or two spaces off its neighbours, where libyaml stopped on it:
    a key further in or less far in than the key of the line above (not its child: that line's value is
    not empty), or (``sequence``: the mark of the list libyaml was reading) an item whose '-' is not in
    the list's column. None when the line is not so."""
    here = source_line(text, line)
    m = _LINE_KEY.match(here)
    if m is None:
        return None
    indent = len(m.group(1))
    if m.group(2):  # an item: its '-' against the list's
        if sequence is None or indent + 1 != col:
            return None
        column = sequence.column
        if column == indent or abs(column - indent) > 2:
            return None
        return col, (f"this item's '-' is {_spaces(indent)} in, and the list's items from line {sequence.line + 1}"
                     f" are {column}: the items of one list line up; write it {_spaces(column)} in")
    if not indent + 1 <= col <= indent + len(m.group(3)) + 1:
        return None  # libyaml stopped elsewhere on the line (a colon inside the value)
    above = line - 1
    while above >= 1 and (not source_line(text, above).strip() or source_line(text, above).lstrip().startswith("#")):
        above -= 1
    p = _LINE_KEY.match(source_line(text, above)) if above >= 1 else None
    if p is None:
        return None
    column = len(p.group(1)) + len(p.group(2))
    if column == indent or abs(column - indent) > 2 or (indent > column and not (p.group(4) or "").strip()):
        return None
    return indent + 1, (f"'{m.group(3)}:' is {_spaces(indent)} in, and '{p.group(3)}:' on line {above} is {column}:"
                        f" the keys of one mapping line up; write it {_spaces(column)} in")


def _spaces(n: int) -> str:
    return f"{n} space{'s' * (n != 1)}"


_KEY_AND_VALUE = re.compile(r"[ \t]*(?:-[ \t]+)?([A-Za-z_][A-Za-z0-9_-]*):[ \t]+")


_LONE_CR = re.compile(r"\r(?!\n)")


def _lone_cr_in(text: str, start: int, end: int) -> int | None:
    """The index of the first carriage return not followed by a line feed in ``text[start:end]``, or None."""
    found = _LONE_CR.search(text, start, end)
    return found.start() if found is not None else None


def _doubled_colon(line_text: str, col: int) -> str | None:
    """The hint for ``name: : Visits`` (or ``name:: Visits``), where libyaml found a second ':' at ``col`` right after
    the key's: the line without it, or quoted if the colon is part of the value; None otherwise."""
    m = re.match(r"([ \t]*(?:-[ \t]+)?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:[ \t]*(?=:)", line_text)
    if m is None or col - 1 != m.end():
        return None
    value = line_text[m.end() + 1 :]
    if (comment := re.search(r"[ \t]#", value)) is not None:
        value = value[: comment.start()]
    value = value.strip()
    if not value or len(value) > 80:
        return None
    escaped = (":" + (" " if line_text[m.end() + 1 : m.end() + 2] == " " else "") + value).replace("\\", "\\\\").replace('"', '\\"')
    return (f"'{m.group(2)}' has two colons: write '{m.group(2)}: {value}'; if the second colon belongs to the value,"
            f" write it in quotes, '{m.group(2)}: \"{escaped}\"'")


def _doubled_colon_in_flow(line_text: str, col: int) -> str | None:
    """:func:`_doubled_colon` in curly brackets, ``{id: visit, name: : Visits}``, where libyaml found no value at the
    second ':' (``col``); and ``{name: :Visits}``, a value starting with ':', which a flow mapping reads as no value
    (in block style it loads as written). None otherwise."""
    m = re.search(r"[{,][ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:[ \t]*\Z", line_text[: col - 1])
    if m is None or line_text[col - 1 : col] != ":":
        return None
    key, rest = m.group(1), line_text[col:]
    value = re.split(r"[,{}\[\]#]", rest, maxsplit=1)[0].strip()
    if not value or len(value) > 80:
        return None
    if rest[:1] in (" ", "\t"):
        escaped = (": " + value).replace("\\", "\\\\").replace('"', '\\"')
        return (f"'{key}' has two colons: write '{key}: {value}'; if the second colon belongs to the value,"
                f" write it in quotes, '{key}: \"{escaped}\"'")
    escaped = (":" + value).replace("\\", "\\\\").replace('"', '\\"')
    return f"in curly brackets a value starting with ':' is written in quotes: '{key}: \"{escaped}\"'"


def _colon_value_fix(line_text: str, col: int) -> str | None:
    """``name: "Checkout:"`` for ``name: Checkout:``, where libyaml found a second ':' at ``col``
    inside the value (not where a key of a line indented too far has its colon); None otherwise."""
    m = _KEY_AND_VALUE.match(line_text)
    if m is None or col - 1 <= m.end():
        return None
    value = line_text[m.end() :]
    if (comment := re.search(r"[ \t]#", value)) is not None:
        value = value[: comment.start()]
    value = value.strip()
    if not value or len(value) > 80 or col - 1 >= m.end() + len(value):
        return None
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{m.group(1)}: "{escaped}"'


def _long_key(line_text: str) -> tuple[int, int] | None:
    """``(column, length)`` of a key longer than libyaml reads (1024 characters) that starts
    ``line_text`` (after its indentation and a list's dash), or None."""
    found = re.match(r"[ \t]*(?:-[ \t]+)*([^\s#:\-?'\"\[{][^:#]{1024,}?):(?=[ \t]|$)", line_text)
    return (found.start(1) + 1, len(found.group(1))) if found is not None else None


def _broken_at(text: str, lines: _Lines, *marks: Any) -> tuple[int, str] | None:
    """The index and name of the NEL, LS or PS that began the line (as libyaml counts lines) of
    one of ``marks``, when the text has one; else None."""
    if lines.starts is None:
        return None
    for mark in marks:
        if mark is None:
            continue
        begin = mark.index - mark.column  # where libyaml's line of the mark starts
        if 0 < begin <= len(text) and text[begin - 1] in _ODD_BREAKS:
            return begin - 1, _ODD_BREAKS[text[begin - 1]]
    return None


#: Characters that look like a colon but are not YAML's (a full-width one from a CJK keyboard).
_COLON_LOOKALIKES = "\uff1a\ufe55\ufe13\u2236\ua789\u02d0"


def _odd_colon_or_space(written: str) -> str | None:
    """What hides the key of a line libyaml could not read as ``key: value``: a colon followed by a
    space that is not a plain one (a no-break space a word processor pasted), or a look-alike colon;
    the characters named (``lookalikes.describe``). None when neither is there."""
    if written.isascii():
        return None
    for i, char in enumerate(written):
        after = written[i + 1 : i + 2]
        odd_space = after.isspace() and after not in " \t"
        if (char == ":" and odd_space) or (char in _COLON_LOOKALIKES and (after in ("", " ", "\t") or odd_space)):
            return lookalikes.describe(written)
    return None


_SURROGATE = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?|\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def _surrogate_escape(text: str, mark: Any) -> tuple[int, str, str | None] | None:
    """Where a ``\\uD83D\\uDE00`` surrogate-pair escape (or half of one) starts, with the message and
    the hint, when libyaml stopped at one; else None."""
    if mark is None:
        return None
    start = text.rfind("\\u", max(0, mark.index - 2), mark.index + 1)
    found = _SURROGATE.match(text, start) if start >= 0 else None
    if found is None:
        return None
    high, low = found.group(1), found.group(2)
    if high is None or low is None:
        return start, f"'{found.group(0)}' is half of a surrogate pair, not a character", "write the character itself"
    code = 0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00)
    return (
        start,
        f"'{found.group(0)}' is a JSON surrogate pair, which YAML does not read",
        f"write the character itself, '{chr(code)}', or \\U{code:08X}",
    )


def _index_position(text: str, index: int) -> Position:
    """1-based (line, column) of ``index`` in ``text``, as editors count them (for an error: it reads
    the text up to ``index``)."""
    ends = [m.end() for m in _REAL_BREAK.finditer(text, 0, index)]
    return len(ends) + 1, index - (ends[-1] if ends else 0) + 1


def _runaway_quote(text: str, mark: Any, line: int) -> Position | None:
    """Where a double quote that was never closed on its line was opened, when the problem
    sits right after the ``"`` that closed it lines later; None when that is not the story."""
    if mark is None or not 0 < mark.index <= len(text):
        return None
    before = text[: mark.index].rstrip(" ")
    if not before.endswith('"'):
        return None
    lines = text.split("\n")
    for number in range(line - 2, -1, -1):  # the lines above the mark's (``line`` is 1-based)
        quotes = [m.start() for m in re.finditer(r'(?<!\\)"', lines[number])] if number < len(lines) else []
        if len(quotes) % 2 == 1:
            return number + 1, quotes[-1] + 1
    return None


def position_of(data: Any, path: tuple[Any, ...], *, key: bool = False) -> Position:
    """The deepest known position along ``path`` (a pydantic ``loc``).

    With ``key=True`` the last step's *key* is pointed at (for an unknown key)
    rather than its value.
    """
    line, col = getattr(data, "line", 1) or 1, getattr(data, "col", 1) or 1
    node = data
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, YMap) and isinstance(step, str) and step in node.pos:
            p = node.pos[step]
            line, col = (p[0], p[1]) if (key and last) else (p[2], p[3])
            node = node.get(step)
        elif isinstance(node, YList) and isinstance(step, int) and 0 <= step < len(node):
            line, col = node.pos[step]
            node = node[step]
        else:
            break
    return line, col


def source_line(text: str, line: int) -> str:
    """Line ``line`` (1-based) of ``text`` as editors count lines (by line feeds), without its end."""
    start = 0
    for _ in range(line - 1):
        found = _REAL_BREAK.search(text, start)
        if found is None:
            return ""
        start = found.end()
    found = _REAL_BREAK.search(text, start)
    return text[start : found.start() if found else len(text)]


def char_column(line_text: str, col: int, value: str, index: int) -> int:
    """The column of ``value[index]`` in a one-line scalar that starts at ``col`` of ``line_text``
    (plain, or in quotes; a double-quoted escape is pointed at by its backslash). ``col`` itself
    when the scalar is not written so (a folded one, escapes before the character)."""
    at = col - 1
    if at < len(line_text) and line_text[at] in "'\"":
        at += 1
    for char in value[:index]:
        if line_text[at : at + 1] != char:
            return col
        at += 1
    if line_text[at : at + 1] == value[index : index + 1] or line_text[at : at + 1] == "\\":
        return at + 1
    return col
