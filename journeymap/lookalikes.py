"""Characters a reader cannot see or cannot tell apart, named so that a non-programmer can fix them.

``unknown touchpoint 'pay' (did you mean 'pаy'?)`` is useless when the second
letter of ``pаy`` is the Cyrillic ``а``: the two words look the same. So is a
zero-width joiner in ``chan‍nel`` or a no-break space in ``w eb``. These
helpers say which character it is, where, and what it looks like.

    >>> describe("pаy")
    "its 2nd letter is the Cyrillic 'а' (U+0430 CYRILLIC SMALL LETTER A), not the Latin 'a'"
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

#: Letters from other scripts that look like a Latin letter or a digit (the common
#: ones of Unicode's confusables list); full-width forms are folded by NFKC instead.
LOOKS_LIKE: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "ӏ": "l", "һ": "h", "ү": "y", "ɡ": "g",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "У": "Y",
    # Greek
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Armenian, Latin look-alikes and letter-like symbols
    "օ": "o", "ս": "u", "հ": "h", "ı": "i", "ȷ": "j", "ℓ": "l", "ǀ": "l",
}

#: Dashes and hyphens that look like the keyboard's hyphen-minus, the one an id is written with (Word
#: types a non-breaking hyphen for Ctrl+Shift+- and an en dash for ' - ').
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe63\uff0d")

#: Categories of characters that show nothing (or only a gap) on the screen.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Mn", "Me"}
_MAX_NAMED = 3


def ordinal(n: int) -> str:
    """``1`` -> ``1st``, ``2`` -> ``2nd``, ``12`` -> ``12th``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _name(char: str) -> str:
    return unicodedata.name(char, "an unnamed character")


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def is_suspicious(char: str) -> bool:
    """A character that is not plain ASCII and is invisible, a space, or looks like ASCII."""
    if char.isascii() and (char.isprintable() or char in "\t\n"):
        return False
    category = unicodedata.category(char)
    return (
        category in _INVISIBLE_CATEGORIES
        or category == "Zs"
        or char in LOOKS_LIKE
        or char in DASHES
        or unicodedata.normalize("NFKC", char) != char
    )


def _describe_char(char: str, position: int) -> str:
    nth = ordinal(position)
    category = unicodedata.category(char)
    if char in LOOKS_LIKE:
        script = _name(char).split()[0].capitalize()
        return f"its {nth} letter is the {script} '{char}' ({_code(char)} {_name(char)}), not the Latin '{LOOKS_LIKE[char]}'"
    if category == "Zs":
        return f"its {nth} character is a {_name(char)} ({_code(char)}), not a plain space"
    if char in DASHES:
        return f"its {nth} character is '{char}' ({_code(char)} {_name(char)}), not the hyphen '-'"
    if category in ("Mn", "Me"):
        return f"its {nth} character is a {_name(char)} ({_code(char)}), a mark on the character before it"
    if category == "Cc":  # control characters have no Unicode name ('an invisible an unnamed character')
        return f"its {nth} character is an invisible control character ({_code(char)})"
    if category in _INVISIBLE_CATEGORIES:
        return f"its {nth} character is an invisible {_name(char)} ({_code(char)})"
    folded = unicodedata.normalize("NFKC", char)
    return f"its {nth} character is '{char}' ({_code(char)} {_name(char)}), not '{folded}'"


def describe(text: str) -> str | None:
    """Name the hidden and look-alike characters of ``text`` with their positions, or None.

    >>> describe("chan\\u200dnel")
    'its 5th character is an invisible ZERO WIDTH JOINER (U+200D)'
    >>> describe("pay") is None
    True
    """
    if text.isascii() and text.isprintable():
        return None
    found = [_describe_char(c, i) for i, c in enumerate(text, 1) if is_suspicious(c)]
    if not found:
        return None
    more = len(found) - _MAX_NAMED
    text = "; ".join(found[:_MAX_NAMED])
    return text + (f"; and {more} more such character{'s' * (more != 1)}" if more > 0 else "")


def plain(text: str) -> str:
    """``text`` as it looks: look-alike letters replaced by their Latin twins, invisible
    characters dropped, full-width forms folded, other spaces made plain spaces.

    >>> plain("p\\u0430y\\u200b")
    'pay'
    """
    if text.isascii():
        return text
    out = []
    for char in unicodedata.normalize("NFKC", text):
        if char in LOOKS_LIKE:
            out.append(LOOKS_LIKE[char])
        elif char in DASHES:
            out.append("-")
        elif unicodedata.category(char) == "Zs":
            out.append(" ")
        elif unicodedata.category(char) not in _INVISIBLE_CATEGORIES:
            out.append(char)
    return "".join(out)


def explain_near_miss(word: str, match: str) -> str | None:
    """Why ``word`` and ``match`` look alike but differ: the hidden characters of either, named.

    >>> explain_near_miss("pay", "p\\u0430y")
    "in 'pаy', its 2nd letter is the Cyrillic 'а' (U+0430 CYRILLIC SMALL LETTER A), not the Latin 'a'"
    """
    parts = []
    for text in (word, match):
        described = describe(text)
        if described is not None:
            parts.append(f"in '{text}', {described}")
    return "; ".join(parts) or None


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def _hidden(char: str) -> bool:
    """A character that shows nothing: a format character (zero-width space, joiner, word joiner,
    a byte-order mark inside a text, a soft hyphen, a bidi mark)."""
    return not char.isascii() and unicodedata.category(char) == "Cf"


def invisible_in_slug(text: str, prefer: Collection[str] = ()) -> tuple[str, int, bool] | None:
    """``(the slug as it reads, the index of the first character not as it reads, whether that
    character is replaced rather than deleted)`` for a slug that carries characters pasted from a
    web page, Confluence or Word: format characters anywhere (``pay\\u200bment``), a space other
    than the plain one at either end (``payment\\u00a0``, which YAML keeps: it trims plain spaces
    only) or inside (``pay\\u00a0ment``: deleted when that gives an id of ``prefer``, the ids and
    references of the file, else a hyphen, as a slug writes a space), or a dash for the hyphen
    (``pay\\u2010ment``, read as ``pay-ment``). None when ``text`` holds none, or is no slug without
    them either (``Pay Ment``: the id's other mistakes are told as before).

    >>> invisible_in_slug("pay\\u200bment"), invisible_in_slug("\\u00a0web\\u00a0"), invisible_in_slug("payment")
    (('payment', 3, False), ('web', 0, False), None)
    >>> invisible_in_slug("pay\\u00a0ment"), invisible_in_slug("pay\\u00a0ment", {"payment"})
    (('pay-ment', 3, True), ('payment', 3, False))
    """
    if text.isascii():
        return None

    def odd_space(char: str) -> bool:
        return not char.isascii() and unicodedata.category(char) == "Zs"

    kept = [(i, "-" if c in DASHES else c) for i, c in enumerate(text) if not _hidden(c)]
    start, end = 0, len(kept)
    while start < end and odd_space(kept[start][1]):
        start += 1
    while end > start and odd_space(kept[end - 1][1]):
        end -= 1
    inside = kept[start:end]
    if any(odd_space(c) for _, c in inside):
        deleted = [(i, c) for i, c in inside if not odd_space(c)]
        inside = deleted if "".join(c for _, c in deleted) in prefer else [(i, "-" if odd_space(c) else c) for i, c in inside]
    cleaned = "".join(c for _, c in inside)
    if cleaned == text or not _SLUG.fullmatch(cleaned):
        return None
    kept_at = {i for i, c in inside if c == text[i]}
    first = next(i for i in range(len(text)) if i not in kept_at)
    return cleaned, first, any(i == first for i, _ in inside)


def shown(text: str) -> str:
    """``text`` with the characters nobody sees written as escapes, so that a message shows them:
    ``'pay\\u200bment'``, not a word that reads 'payment'.

    >>> shown("pay\\u200bment\\u00a0")
    'pay\\\\u200bment\\\\u00a0'
    """
    if text.isascii():
        return text
    return "".join(
        f"\\u{ord(c):04x}" if not c.isascii() and unicodedata.category(c) in ("Cf", "Zs", "Zl", "Zp") else c
        for c in text
    )
