"""What a file is, from its bytes: its text encoding, whether it is a journeymap file, or not text at all.

One place answers "is this ours?" for every command (``validate FOLDER``,
``--journeys-only``, ``lint``, ``fmt``, ``diff``), however the file is encoded
(UTF-8 with or without a byte-order mark, UTF-16 or UTF-32 as YAML allows) or
styled (block YAML, or JSON-style ``{"journeymap": 1, ...}``). A file that
says ``journeymap`` but cannot be decoded still counts as ours, so that the
loader reports the bad byte instead of the file being passed over.

Light on purpose: ``re`` only, no YAML parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The fast path: UTF-8 block style with ``journeymap:`` at column 0 (almost every file).
_PLAIN_JOURNEYMAP = re.compile(rb"^journeymap[ \t]*:", re.MULTILINE)
_PLAIN_JOURNEY_KEY = re.compile(rb"^(?:id|title|stages|touchpoints)[ \t]*:", re.MULTILINE)

#: Top-level keys that make a journeymap file a journey rather than a library.
JOURNEY_KEYS = frozenset({"id", "title", "stages", "touchpoints"})

#: Blank lines, comments, directives and a document start before the content.
_PRELUDE = re.compile(r"(?:[ \t\r\n]+|#[^\n]*|%[^\n]*|---(?=[ \t\r\n]|$))*")

#: Flow-style tokens: white space and comments, quoted scalars (maybe unterminated),
#: indicators, plain scalars (which cannot hold flow indicators).
_FLOW_TOKEN = re.compile(
    r"""(?P<skip>[ \t\r\n]+|\#[^\n]*)
      | (?P<quoted>"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?)
      | (?P<indicator>[{}\[\],:])
      | (?P<plain>[^ \t\r\n{}\[\],:"'\#][^{}\[\],:\n]*)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)

#: Scanning a flow-style file stops here (a journey's ``journeymap`` key comes early).
_FLOW_SCAN_LIMIT = 4_000_000


@dataclass(frozen=True)
class Sniff:
    """What the start of a file says about it."""

    #: The codec the bytes are in (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ...).
    encoding: str
    #: It has a top-level ``journeymap`` key: a journey or a library.
    declares_journeymap: bool
    #: It also has a top-level journey key (``id``, ``title``, ``stages``, ``touchpoints``).
    is_journey: bool
    #: ``"flow"`` for a JSON-style document, ``"block"`` otherwise.
    style: str = "block"


def detect_encoding(raw: bytes) -> str:
    """The codec of a YAML text, as the YAML 1.2 spec detects it (5.2): byte-order mark,
    else the pattern of NUL bytes in the first four bytes, else UTF-8.

    >>> detect_encoding("journeymap: 1".encode("utf-16-le"))
    'utf-16-le'
    """
    head = raw[:4]
    if head.startswith(b"\x00\x00\xfe\xff"):
        return "utf-32-be"
    if head.startswith(b"\xff\xfe\x00\x00"):
        return "utf-32-le"
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith(b"\xfe\xff"):
        return "utf-16-be"
    if head.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if len(head) == 4 and head[:3] == b"\x00\x00\x00" and head[3]:
        return "utf-32-be"
    if len(head) == 4 and head[0] and head[1:] == b"\x00\x00\x00":
        return "utf-32-le"
    # Without a byte-order mark, UTF-16 shows as ASCII characters each next to a NUL byte. Two
    # in a row are asked for (when there are two), so that a UTF-8 text with a stray NUL as its
    # second byte is still read as UTF-8 and its NUL reported where it is.
    if len(head) >= 2 and head[0] == 0 and head[1] and (len(raw) < 4 or (raw[2] == 0 and raw[3])):
        return "utf-16-be"
    if len(head) >= 2 and head[0] and head[1] == 0 and (len(raw) < 4 or (raw[2] and raw[3] == 0)):
        return "utf-16-le"
    return "utf-8"


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when a file's first bytes (up to 64, four at least) are UTF-16
    without a byte-order mark: a NUL in every other position and none between, as the ASCII of a
    data file's header is; else None. The NULs are valid UTF-8, so such a file would be read as text
    whose columns are ``\\x00t\\x00o...`` (:func:`detect_encoding` asks two characters only, as YAML does).

    >>> utf16_without_bom("customer,timestamp".encode("utf-16-be"))
    'utf-16-be'
    >>> utf16_without_bom(b"customer,timestamp") is None
    True
    """
    sample = head[: min(len(head), 64) // 2 * 2]
    if len(sample) < 4:
        return None
    evens, odds = sample[0::2], sample[1::2]
    if not odds.strip(b"\x00") and b"\x00" not in evens:
        return "utf-16-le"
    if not evens.strip(b"\x00") and b"\x00" not in odds:
        return "utf-16-be"
    return None


def utf32_without_bom(head: bytes) -> str | None:
    """``utf-32-le`` or ``utf-32-be`` when a file's first bytes (up to 64, eight at least) are UTF-32
    without a byte-order mark: three NULs beside every ASCII character of a data file's header, as
    :func:`utf16_without_bom` tells UTF-16; else None.

    >>> utf32_without_bom("customer,timestamp".encode("utf-32-le"))
    'utf-32-le'
    >>> utf32_without_bom("customer,timestamp".encode("utf-16-le")) is None
    True
    """
    sample = head[: min(len(head), 64) // 4 * 4]
    if len(sample) < 8:
        return None
    chars, pads = sample[0::4], sample[1::4] + sample[2::4]
    if b"\x00" not in chars and not (pads + sample[3::4]).strip(b"\x00"):
        return "utf-32-le"
    chars = sample[3::4]
    if b"\x00" not in chars and not (sample[0::4] + pads).strip(b"\x00"):
        return "utf-32-be"
    return None


def as_windows_1252(byte: int, code_page: str = "cp1252") -> str:
    """``, which is “ in Windows-1252, ...``: what a byte that is not UTF-8 most likely stands for (Word,
    Excel and Notepad on Windows save text so: smart quotes, dashes, accented letters); '' for none.
    ``code_page`` ``mac_roman``: what Excel for Mac's 'CSV (Macintosh)' means by it."""
    try:
        char = bytes([byte]).decode(code_page)
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: no character there
        return ""
    if not char.isprintable() or char.isspace():
        return ""
    if code_page == "mac_roman":
        return f", which is {char} in Mac Roman, as Excel for Mac saves 'CSV (Macintosh)'"
    return f", which is {char} in Windows-1252, as Word, Excel and Notepad on Windows save text"


def encoding_name(codec: str) -> str:
    """How a codec is named to a user: ``UTF-16`` (little-endian), ``UTF-8 with a byte-order mark``."""
    return {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8 with a byte-order mark",
        "utf-16-le": "UTF-16 (little-endian)",
        "utf-16-be": "UTF-16 (big-endian)",
        "utf-32-le": "UTF-32 (little-endian)",
        "utf-32-be": "UTF-32 (big-endian)",
    }.get(codec, codec)


def decode_tolerantly(raw: bytes) -> tuple[str, str]:
    """``(text, codec)``: the text with undecodable bytes as U+FFFD and no byte-order mark."""
    codec = detect_encoding(raw)
    text = raw.decode(codec, errors="replace")
    return (text[1:] if text.startswith("\ufeff") else text), codec


def sniff(raw: bytes) -> Sniff:
    """Whether ``raw`` is a journeymap file, and which kind.

    >>> sniff(b'# a journey\\n{"journeymap": 1, "id": "x"}').is_journey
    True
    >>> sniff("journeymap: 1\\n".encode("utf-16")).declares_journeymap
    True
    """
    if _PLAIN_JOURNEYMAP.search(raw) is not None:  # plain UTF-8, block style
        codec = detect_encoding(raw)
        if codec in ("utf-8", "utf-8-sig"):
            return Sniff(codec, True, _PLAIN_JOURNEY_KEY.search(raw) is not None)
    text, codec = decode_tolerantly(raw)
    start = _PRELUDE.match(text).end()  # type: ignore[union-attr]  # matches the empty string
    if text.startswith("{", start):
        keys = _flow_keys(text, start)
        return Sniff(codec, "journeymap" in keys, bool(keys & JOURNEY_KEYS), "flow")
    keys = _block_keys(text, start)
    return Sniff(codec, "journeymap" in keys, bool(keys & JOURNEY_KEYS))


def declares_journeymap(raw: bytes) -> bool:
    """A text that says ``journeymap`` at the top level (a journey or a library), however written."""
    return sniff(raw).declares_journeymap


def is_journey_text(raw: bytes) -> bool:
    """A journeymap file that is a journey (has ``id``/``stages``/...), not a library."""
    found = sniff(raw)
    return found.declares_journeymap and found.is_journey


def _block_keys(text: str, start: int) -> set[str]:
    """The interesting top-level keys of a block mapping, at the indentation of its first line."""
    line_start = text.rfind("\n", 0, start) + 1
    indent = re.escape(text[line_start:start])
    if indent.strip(" \\"):  # tabs are not indentation in YAML
        indent = ""
    keys = re.finditer(
        rf"""^{indent}(["']?)(journeymap|id|title|stages|touchpoints)\1[ \t]*:""", text, re.MULTILINE
    )
    return {m.group(2) for m in keys}


def _flow_keys(text: str, start: int) -> set[str]:
    """The keys of the top-level flow mapping that opens at ``start`` (tolerant of broken files)."""
    keys: set[str] = set()
    depth = 0
    candidate: str | None = None
    key_position = True  # just after '{' or ',' at depth 1
    end = min(len(text), start + _FLOW_SCAN_LIMIT)
    pos = start
    while pos < end:
        match = _FLOW_TOKEN.match(text, pos)
        if match is None:  # pragma: no cover - the last alternative matches any character
            break
        pos = match.end()
        kind = match.lastgroup
        token = match.group()
        if kind == "skip":
            continue
        if kind == "indicator":
            if token in "{[":
                depth += 1
                key_position = depth == 1
            elif token in "}]":
                depth -= 1
                if depth <= 0:
                    break
            elif token == ",":
                key_position = depth == 1
            elif token == ":" and candidate is not None:
                keys.add(candidate)
                if "journeymap" in keys and keys & JOURNEY_KEYS:
                    break
            candidate = None
            continue
        if depth == 1 and key_position:
            word = token.strip()
            if kind == "quoted" and len(word) >= 2 and word[0] == word[-1]:
                word = word[1:-1]
            candidate = word
        else:
            candidate = None
        key_position = False
    else:
        if pos >= end and end < len(text):  # too long to scan: a plain search of the rest
            rest = re.findall(r"""["']?(journeymap|id|title|stages|touchpoints)["']?[ \t]*:""", text[end:])
            keys.update(rest)
    return keys


#: File signatures ("magic bytes") of what people import by mistake, and how to name them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document, which is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet table"),
)


def binary_kind(head: bytes) -> str | None:
    """What a file is when it is not text, from its first bytes: ``"a PNG image"``, or None for text.

    A file that says ``journeymap`` is text even with a stray NUL byte (the loader
    reports that byte at its position); UTF-16 and UTF-32 are text.

    >>> binary_kind(b"\\x89PNG\\r\\n\\x1a\\n...")
    'a PNG image'
    >>> binary_kind(b"journeymap: 1\\n") is None
    True
    """
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            if signature == b"MZ" and not head[2:4].strip(b"\x00"):
                continue  # "MZ" and two NULs or nothing: too short to tell
            return kind
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return "a WebP image"
    if head[4:8] == b"ftyp":
        return "a video or audio file (MP4 family)"
    if detect_encoding(head).startswith("utf-8") and b"\x00" in head and not sniff(head).declares_journeymap:
        return "a binary file (it holds NUL bytes, which text never does)"
    return None
