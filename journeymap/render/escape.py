"""Escaping user text for each output format.

A journey file is untrusted input: every name, note and quote in it reaches a
renderer through one of these functions. Each one is specific to the grammar
it writes into, and each one first drops the characters no format can carry
(:func:`clean`).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

# C0/C1 control characters except tab and newline, and the XML non-characters.
# XML (SVG) refuses them outright, and they have no business in a label.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_WHITESPACE = re.compile(r"\s+")


_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8(text: str) -> bytes:
    """``text`` as UTF-8 bytes, for a file journeymap writes (a page, a diagram, a report).

    A file name that is not UTF-8 (``caf\\xe9.yaml``) reaches Python as ``caf\\udce9.yaml``: written
    into a page, it stopped the command ('surrogates not allowed'). Such a character is shown as the
    byte it stands for (``\\xe9``, as a message shows it), and the rest is as it was.

    >>> utf8("caf\\udce9.yaml")
    b'caf\\\\xe9.yaml'
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        from ..problems import visible

        return _SURROGATE.sub(lambda m: visible(m.group()), text).encode("utf-8")


def clean(text: str) -> str:
    """Normalise line ends and drop control characters (tab and newline stay)."""
    if text.isprintable():
        return text  # no control characters, no line ends: the common case, without a regex
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    """:func:`clean` and fold every run of whitespace (newlines too) into one space."""
    if text.isprintable() and "  " not in text:
        return text.strip()  # the common case, without a regular expression
    return _WHITESPACE.sub(" ", clean(text)).strip()


#: Where texts are laid out (cards, diagram labels, Mermaid, Markdown tables) they are cut to
#: about this many characters, with an ellipsis; the full text stays available (a title on
#: hover, a ``<details>`` on the map, the tooltip of the diagram). A 100 KB name once made a
#: card 219,769 px tall and broke Graphviz (16,384 characters at most in one string).
NAME_CHARACTERS = 120
#: A longer text (a description, a quote, a note) in a cell or a tooltip.
TEXT_CHARACTERS = 600
#: A title on the page or the diagram.
TITLE_CHARACTERS = 200
ELLIPSIS = "…"


def shorten(text: str, limit: int = NAME_CHARACTERS) -> str:
    """:func:`one_line`, cut to at most ``limit`` characters at a word boundary, with an ellipsis.

    >>> shorten("Sign up online in two minutes", 16)
    'Sign up online…'
    """
    line = one_line(text)
    if len(line) <= limit:
        return line
    cut = line[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


# -- HTML / XML --------------------------------------------------------------


def xml_text(text: str) -> str:
    """Escape for XML/HTML text and attribute values (``&``, ``<``, ``>``, both quotes).

    >>> xml_text('<b title="x">')
    '&lt;b title=&quot;x&quot;&gt;'
    """
    text = clean(text)
    # Most text has nothing to escape; five substring tests are cheaper than escaping it.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text, quote=True)
    return text


def json_for_script(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c`` and friends, so ``</script>``
    or ``<!--`` in user text cannot end or confuse the script element; U+2028
    and U+2029 are escaped for old JavaScript parsers. Keys are sorted so that
    the output is the same on every run.

    >>> json_for_script({"name": "</script>"})
    '{"name":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if not text.isascii():  # a name that is not UTF-8 (caf\udce9.yaml): a \u escape, valid JSON
        text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# -- Graphviz DOT ---------------------------------------------------------------

#: Graphviz reads backslash escapes (``\\N`` is the node's name, ``\\G`` the
#: graph's, ``\\n`` a newline) in labels, HTML-like labels included, and in
#: tooltips, and its versions disagree on how many passes undo a doubled
#: backslash (2.43 needs four backslashes in a tooltip for one). So a backslash
#: in user text becomes U+2216 SET MINUS, which looks the same and means
#: nothing to Graphviz.
DOT_BACKSLASH = "\u2216"


def dot_html(text: str) -> str:
    """Text for a Graphviz HTML-like label (``label=<...>``): XML-escaped, newlines as ``<BR/>``."""
    lines = clean(text).replace("\\", DOT_BACKSLASH).split("\n")
    return '<BR ALIGN="CENTER"/>'.join(html.escape(line, quote=True) for line in lines)


def dot_string(text: str) -> str:
    """A double-quoted DOT string, e.g. for a ``tooltip``.

    Quotes are escaped, newlines become ``\\n`` and backslashes
    :data:`DOT_BACKSLASH`, so ``\\N`` in user text stays text.

    >>> dot_string('say "hi"')
    '"say \\\\"hi\\\\""'
    """
    body = clean(text).replace("\\", DOT_BACKSLASH).replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


# -- Mermaid ---------------------------------------------------------------------

# What Mermaid's journey grammar (user-journey/parser/journey.jison) cannot hold
# in a title, section or task name: ``:`` separates the score and the actors,
# ``#`` starts a comment, ``;`` ends a statement, ``%%`` starts a comment, a
# newline ends the line. They become their full-width look-alikes, and so do
# ``<`` and ``>``: Mermaid may render labels as HTML, and a journey file is untrusted.
_MERMAID_REPLACE = str.maketrans({":": "\uff1a", "#": "\uff03", ";": "\uff1b", "<": "\uff1c", ">": "\uff1e"})
# Words the lexer matches before a task name (case-insensitive, first match wins).
_MERMAID_KEYWORD = re.compile(r"(?i)(journey|title\s|section\s|acctitle|accdescr)")
_MERMAID_PERCENTS = re.compile(r"%{2,}")
# An invisible character that is not whitespace to JavaScript's \s: it keeps a
# keyword at the start of a name from being read as a keyword.
_ZERO_WIDTH_SPACE = "\u200b"


def mermaid_text(text: str, *, extra: str = "") -> str:
    """One line of text that Mermaid's journey grammar reads back as the same text.

    ``extra`` names further characters to replace with look-alikes (``","``
    for actor names, which are separated by commas).

    >>> mermaid_text("Pay: now; #1")
    'Pay： now； ＃1'
    """
    line = one_line(text).translate(_MERMAID_REPLACE)
    line = _MERMAID_PERCENTS.sub("%", line)
    if "," in extra:
        line = line.replace(",", "\u201a")  # single low-9 quotation mark: looks like a comma
    if _MERMAID_KEYWORD.match(line):
        line = _ZERO_WIDTH_SPACE + line
    return line


# -- Markdown (CommonMark + GitHub Flavored Markdown) -----------------------------------

# A backslash before ASCII punctuation makes it literal in CommonMark, and an escaped
# character also splits the text GFM's autolinker scans. What is escaped: everything
# that opens or closes inline markup (` * ~ [ ] | $ \, and _ at a word edge; ! ( ) and
# ^ only mean something after a [), the first character when it could start a block
# (# - + = > or a number followed by . or ) at the start of a line), the parts of a
# bare link (the : and / of scheme://, the . before a letter in www.example.com), and
# a backslash at the end. ``&``, ``<`` and ``>`` become entities instead (a backslash
# does not stop every renderer from seeing a tag), ``@`` is followed by a
# zero-width space so that ``@name`` notifies nobody on GitHub, and so is a ``#``
# before a digit, so that ``#123`` (an order number in a comment) links no issue or
# pull request: GitHub finds both in the rendered text, where a backslash is gone.
_MARKDOWN_SYNTAX = re.compile(
    r"""[`*~\[\]|$\\]              # inline markup, everywhere
      | (?<![A-Za-z0-9])_|_(?![A-Za-z0-9])  # emphasis with _ (not snake_case)
      | ^[#+=>-]                       # a heading, list, setext line or quote at the line start
      | (?<=^[0-9])[.)] | (?<=^[0-9]{2})[.)] | (?<=^[0-9]{3})[.)] | (?<=^[0-9]{4})[.)]
      | (?<=^[0-9]{5})[.)] | (?<=^[0-9]{6})[.)] | (?<=^[0-9]{7})[.)] | (?<=^[0-9]{8})[.)]
      | (?<=^[0-9]{9})[.)]             # an ordered list item (1. or 1), up to 9 digits)
      | :(?=/) | /(?=/) | (?<=/)/      # scheme://, //host
      | \.(?=[A-Za-z])                 # www.example.com, example.com
      | \#(?=[0-9])                    # #123, an issue reference on GitHub
      | [&<>@]""",
    re.VERBOSE,
)
_MARKDOWN_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "@&#8203;"}


def _markdown_escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "#":  # a heading at the line start; before a digit, an issue reference
        escaped = "\\#" if match.start() == 0 else "#"
        after = match.string[match.end() : match.end() + 1]
        return escaped + "&#8203;" if after and after in "0123456789" else escaped
    return _MARKDOWN_ENTITY.get(char) or "\\" + char


def markdown_text(text: str) -> str:
    """Journey text as inert Markdown on one line: safe in a paragraph, a list item or a
    table cell, rendered by CommonMark or GitHub as exactly the characters written.

    Line breaks fold into one space; control characters and bidi controls are shown as
    escapes (``\\u202e``), not passed on.

    >>> markdown_text("![x](https://e.example/p.png) *hi* | <b>")
    '!\\\\[x\\\\](https\\\\:&#8203;\\\\/\\\\/e\\\\.example/p\\\\.png) \\\\*hi\\\\* \\\\| &lt;b&gt;'
    """
    from ..problems import visible

    return github_inert(_MARKDOWN_SYNTAX.sub(_markdown_escape, visible(" ".join(str(text).split()))))


# GitHub links references in a comment after rendering it, in the text a reader sees, where a
# backslash escape is gone: '#123' and '@name' (see _markdown_escape), and also 'GH-123' (and a
# repository's custom autolinks, a prefix before a number: 'JIRA-42'), a commit as 7 to 40 hex
# digits ('deadbeef1', a customer id, is linked when a commit starts so), 'owner@SHA'. A zero-width
# space (U+200B, written &#8203;) breaks each while the text reads the same: after the '-' of a
# prefix before a digit, and after every 6th digit of a run of 7 or more hex digits. So does one after
# 'www' before its '.' and after the ':' of 'scheme://' (and of ':rage:', which GitHub shows as an
# emoji, an angry face where a customer wrote the word): CommonMark's escapes already keep a
# parser's autolinker (GFM's extended autolinks) off them, and a linker that ran on the rendered
# text, as GitHub's references do, finds no 'www.' nor '://' there.
_GITHUB_REFERENCE = re.compile(
    r"""(?<=[A-Za-z])\\?-(?=[0-9])                      # GH-123, JIRA-42 (data text escapes the -)
      | (?<![0-9A-Za-z_])[0-9A-Fa-f]{7,}(?![0-9A-Za-z_])   # a commit SHA (or what could be one)
      | (?<![0-9A-Za-z_.])(?i:www)(?=\\\.)              # www\.example
      | \\:(?=\\/\\/)                                 # scheme\:\/\/
      | \\?:(?=(?:\\?[A-Za-z0-9_+-])+\\?:)            # :rage: (an emoji shortcode)""",
    re.VERBOSE,
)


def _github_break(match: re.Match[str]) -> str:
    found = match.group()
    if found[0] in "0123456789abcdefABCDEF" and len(found) >= 7:
        return "&#8203;".join(found[i : i + 6] for i in range(0, len(found), 6))
    return found + "&#8203;"


def github_inert(markdown: str) -> str:
    """Escaped Markdown (of :func:`markdown_text`, or of data-file text) with a zero-width space
    where GitHub would read a reference or a link in the rendered text: ``GH-123``, a run of 7 or
    more hex digits (a commit), ``www.``, ``scheme://`` and ``:emoji:``.

    >>> github_inert("GH-12 deadbeef1")
    'GH-&#8203;12 deadbe&#8203;ef1'
    """
    return _GITHUB_REFERENCE.sub(_github_break, markdown)


def percent_text(value: float) -> str:
    """A share as the map and the diagram write it: ``42%``; under 1% with a decimal (``0.4%``), from
    99.5% too (``99.6%``); a share that is not 0 or 1 but would be written so is ``<0.1%`` or ``>99.9%``
    (4 declined payments in 10,000 were '0.0%' beside '100%').

    >>> [percent_text(v) for v in (0, 0.0004, 0.004, 0.42, 0.996, 0.9996, 1)]
    ['0%', '<0.1%', '0.4%', '42%', '99.6%', '>99.9%', '100%']
    """
    pct = value * 100
    if pct and abs(pct) < 1:
        text = f"{pct:.1f}"
        return "<0.1%" if 0 < pct and float(text) == 0 else f"{text}%"
    if 99.5 <= pct < 100:
        text = f"{pct:.1f}"
        return ">99.9%" if text == "100.0" else f"{text}%"
    return f"{pct:.0f}%"

