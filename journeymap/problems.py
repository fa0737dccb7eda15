"""Problems are values with positions.

Every message journeymap gives about a journey file is a :class:`Problem` with
a :class:`Span` (file, 1-based line and column), a stable ``code`` slug, a
level and an optional hint. Problems are collected, never raised one at a time;
:class:`JourneyError` carries all of them when a caller asked for a journey and
the file had errors.
"""

from __future__ import annotations

import difflib
import functools
import heapq
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]

# What a terminal or a CI log must never receive raw from a journey file: C0 and C1
# control characters (ESC starts the sequences that retitle a window or clear the
# screen; NEL is a line break), DEL, the line and paragraph separators, and the bidi
# marks, embeddings, overrides and isolates that make text read in another order.
# And lone surrogates: a file name that is not UTF-8 (caf\xe9.yaml from a Latin-1 archive) reaches
# Python as caf\udce9.yaml, which no UTF-8 output can hold ('surrogates not allowed': exit 3); each
# shows as the byte it stands for, \xe9.
_BREAKS_AND_BIDI = r"\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_IN_VALUE = re.compile(rf"[\x00-\x1f{_BREAKS_AND_BIDI}]")
_UNSAFE_IN_OUTPUT = re.compile(rf"[\x00-\x08\x0b-\x1f{_BREAKS_AND_BIDI}]")  # keeps tab and LF
_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# GitHub's runner reads a workflow command from any line of a job's log: ``::error::`` at the
# line's start once its leading white space is trimmed, and the legacy ``##[error]`` anywhere in
# the line (actions/runner, ActionCommand.TryParseV2 and TryParse). A value shows ``##[`` as
# ``#\x23[``, and a line that would start with ``::`` after its indentation shows ``\x3a:``.
_LEGACY_COMMAND = "##["
_LEGACY_SHOWN = "#\\x23["
_COMMAND_AT_LINE_START = re.compile(r"^([^\S\n]*):(?=:)", re.MULTILINE)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode keeps it
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text for one line of a terminal or a CI log: control characters, line breaks and
    bidi controls become visible escapes, so a value can neither run escape sequences,
    start a new line (a GitHub workflow command such as ``::error``) nor reorder what
    is around it.

    A legacy workflow command (``##[error]``), which GitHub reads anywhere in a line, shows
    its second ``#`` escaped.

    >>> visible("pay\\x1b[2J\\n::add-mask::x\\u202e")
    'pay\\\\x1b[2J\\\\n::add-mask::x\\\\u202e'
    >>> visible("##[error]pwned")
    '#\\\\x23[error]pwned'
    """
    if not text.isprintable():  # Cc, Cf, Zl, Zp: the common case has none, and needs no regular expression
        text = _UNSAFE_IN_VALUE.sub(_escape_char, text)
    return text.replace(_LEGACY_COMMAND, _LEGACY_SHOWN) if _LEGACY_COMMAND in text else text


def visible_json(text: str) -> str:
    """JSON text whose strings show C1 controls, DEL, line separators and bidi controls as
    ``\\uXXXX`` escapes (``json.dumps`` already escapes C0), and ``##[`` (a workflow command GitHub
    reads anywhere in a line, so in a string) as ``#\\u0023[``: the same JSON value, inert on a
    terminal and in a CI log."""
    if _LEGACY_COMMAND in text:  # only ever inside a string: '#' is no JSON syntax
        text = text.replace(_LEGACY_COMMAND, "#\\u0023[")
    if text.isprintable() or not _UNSAFE_IN_OUTPUT.search(text):
        return text
    return _UNSAFE_IN_OUTPUT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def visible_output(text: str) -> str:
    """:func:`visible` for a whole output of many lines: its own line ends and tabs stay, and no
    line is a workflow command (:func:`no_workflow_commands`)."""
    if not text.isprintable():
        text = _UNSAFE_IN_OUTPUT.sub(_escape_char, text)
    return no_workflow_commands(text)


#: A value from a data file is quoted in a message up to this many characters (an event log's are
#: too, :func:`journeymap.data.engines.rows.shown`).
QUOTED_CHARACTERS = 60


def quoted(value: str, limit: int = QUOTED_CHARACTERS) -> str:
    """A value as a message quotes it: whole, or its first characters and an ellipsis when it is
    longer than ``limit`` (a comment shifted into the persona column, a pasted page: the message
    quoted all 100,000 characters of it, on one line of the terminal).

    >>> quoted("busy-parent"), quoted("x" * 100, 10)
    ('busy-parent', 'xxxxxxxxx…')
    """
    return value if len(value) <= limit else value[: limit - 1] + "…"


def no_workflow_commands(text: str) -> str:
    """Lines that GitHub's runner reads as no workflow command: an indented line that starts
    with ``::`` (a table row led by a data value, ``  ::error::pwned``; the runner trims the
    indentation) shows its first ``:`` as ``\\x3a``, and ``##[`` (read anywhere in a line) as
    ``#\\x23[``. Text that holds neither is returned as it is.

    >>> no_workflow_commands("ok\\n  ::error::pwned  2\\n  a ::b::c ##[warning]x")
    'ok\\n  \\\\x3a:error::pwned  2\\n  a ::b::c #\\\\x23[warning]x'
    """
    if _LEGACY_COMMAND in text:
        text = text.replace(_LEGACY_COMMAND, _LEGACY_SHOWN)
    if "::" in text:
        text = _COMMAND_AT_LINE_START.sub(r"\1\\x3a", text)
    return text


@dataclass(frozen=True, order=True)
class Span:
    """A place in a file. ``line`` and ``col`` are 1-based; 0 means "whole file"."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a journey file."""

    span: Span
    code: str
    message: str
    hint: str | None = None
    level: Level = "error"
    #: Other places the problem involves (the first of two duplicates, say).
    related: tuple[Span, ...] = field(default=())

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        return (
            self.span.file,
            self.span.line,
            self.span.col,
            0 if self.level == "error" else 1,
            self.code,
            self.message,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.span.file,
            "line": self.span.line,
            "col": self.span.col,
            "code": self.code,
            "level": self.level,
            "message": self.message,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        """``FILE:LINE:COL: level[code]: message (hint)`` on one line, with :func:`visible` text."""
        text = f"{visible(str(self.span))}: {self.level}[{visible(self.code)}]: {visible(self.message)}"
        if self.hint:
            text += f" ({visible(self.hint)})"
        return text


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sort by position and drop exact repeats (an alias can repeat a problem)."""
    unique = {(p.sort_key(), p.hint): p for p in problems}
    return [unique[k] for k in sorted(unique, key=lambda k: (k[0], k[1] or ""))]


class JourneyError(Exception):
    """A journey file (or several) had errors. ``problems`` holds every one of them."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sort_problems(problems)
        errors = [p for p in self.problems if p.is_error]
        first = str(errors[0]) if errors else "no problems"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """Return ``"did you mean 'x'?"`` for the closest choice, or None.

    >>> did_you_mean("chanel", ["channel", "stage"])
    "did you mean 'channel'?"

    Choices that are not text are ignored. The result does not depend on the
    order of the choices, and the cost of a call stays small when thousands
    of unknown references are checked against thousands of ids.
    """
    if not isinstance(word, str):
        return None
    key = tuple(choices)
    try:
        guesser = _guesser(key)
    except TypeError:  # unhashable choices: not worth keeping
        guesser = _Guesser(key)
    match = guesser.closest(word, cutoff)
    if match is None:
        return None
    hint = f"did you mean '{match}'?"
    if not (word.isascii() and match.isascii()):
        # 'pay' and 'pаy' look the same: say which letter is the Cyrillic one.
        from .lookalikes import explain_near_miss

        why = explain_near_miss(word, match)
        if why:
            hint += f" {why[0].upper()}{why[1:]}"
    return hint


#: A word longer than this gets no fuzzy guess, only a case-insensitive match: comparing
#: two strings costs about the product of their lengths.
_LONGEST_GUESS = 100
#: Above this many choices, a word is compared with a shortlist of them, not with each.
_MANY_CHOICES = 300


class _Guesser:
    """The choices of :func:`did_you_mean`, prepared once for many words.

    With many choices, a word is compared with the few that share the most
    of its rarer trigrams (three-letter pieces): a close match shares most of
    them. Trigrams that most choices share (``tou`` of ``touchpoint-...``)
    say nothing and are left out.
    """

    SHORTLIST = 12

    def __init__(self, choices: tuple[object, ...]) -> None:
        self.choices = sorted({c for c in choices if isinstance(c, str)})
        self.lowered = {c.lower(): c for c in self.choices}
        self.postings: dict[str, list[str]] | None = None

    def closest(self, word: str, cutoff: float) -> str | None:
        if not self.choices:
            return None
        if len(word) <= _LONGEST_GUESS:
            candidates = self.choices if len(self.choices) <= _MANY_CHOICES else self.shortlist(word)
            matches = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
            if matches:
                return matches[0]
        return self.lowered.get(word.lower())

    def shortlist(self, word: str) -> list[str]:
        if self.postings is None:
            postings: dict[str, list[str]] = {}
            for choice in self.choices:
                for gram in _trigrams(choice[: 2 * _LONGEST_GUESS]):
                    postings.setdefault(gram, []).append(choice)
            rare = max(64, len(self.choices) // 20)
            self.postings = {gram: found for gram, found in postings.items() if len(found) <= rare}
        counts: dict[str, int] = {}
        for gram in _trigrams(word):
            for choice in self.postings.get(gram, ()):
                counts[choice] = counts.get(choice, 0) + 1
        # Most shared trigrams first, then the length nearest the word's, then by name.
        return heapq.nsmallest(self.SHORTLIST, counts, key=lambda c: (-counts[c], abs(len(c) - len(word)), c))


def _trigrams(text: str) -> set[str]:
    padded = f"\x02{text}\x03"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@functools.lru_cache(maxsize=32)
def _guesser(choices: tuple[object, ...]) -> _Guesser:
    return _Guesser(choices)


# -- output formats: small functions chosen by name ---------------------------


def _escape_github(text: str, *, property_value: bool = False) -> str:
    """GitHub's escaping for workflow-command data (``%``, CR, LF) and properties (also ``:``, ``,``),
    after :func:`visible` has made every other control character and line break an escape."""
    text = visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_text(problems: Sequence[Problem]) -> str:
    """``FILE:LINE:COL: error[CODE]: message (hint)``, one problem a line."""
    return "".join(f"{p}\n" for p in problems)


def format_json(problems: Sequence[Problem]) -> str:
    """A JSON list of ``{file, line, col, code, level, message, hint}``."""
    import json

    return visible_json(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False)) + "\n"


def format_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands, shown as annotations on the pull request."""
    lines = []
    for p in problems:
        command = "error" if p.is_error else "warning"
        props = f"file={_escape_github(p.span.file, property_value=True)}"
        if p.span.line > 0:
            props += f",line={p.span.line},col={p.span.col}"
        props += f",title={_escape_github(p.code, property_value=True)}"
        message = p.message + (f" ({p.hint})" if p.hint else "")
        lines.append(f"::{command} {props}::{_escape_github(message)}\n")
    return "".join(lines)


REPORTERS = {"text": format_text, "json": format_json, "github": format_github}


def format_problems(problems: Sequence[Problem], fmt: str = "text") -> str:
    """Format problems by reporter name: ``text``, ``json`` or ``github``."""
    return REPORTERS[fmt](problems)
