"""Graphviz SVG made safe to inline into the HTML map, by construction.

The SVG is parsed as XML and written out again element by element, keeping
only what a drawing needs: an allow-list of SVG elements and, per attribute,
an allow-list of names with values checked for their kind (numbers, colours,
``#fragment`` links, ``url(#id)`` paints). Everything else (``<script>``,
``<foreignObject>``, ``on…`` event attributes, external or ``javascript:``
links, entities) is left out and counted, so the caller can say what was
removed. Text is escaped on the way out, so a label that *reads*
``onclick=`` or ``javascript:`` is just text, and stays on the map.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

#: The elements Graphviz writes (and nothing that runs, embeds or fetches).
ELEMENTS = frozenset(
    {
        "svg", "g", "title", "desc", "a", "defs", "path", "polygon", "polyline", "line", "ellipse",
        "circle", "rect", "text", "tspan", "linearGradient", "radialGradient", "stop",
    }
)

_NUMBERS = re.compile(r"[-+0-9.eE ,]*\Z")
_PAINT = re.compile(r"(?:#[0-9a-fA-F]{3,8}|[a-zA-Z]+|url\(#[A-Za-z0-9_.:-]+\)|rgba?\([0-9., %]+\))\Z")
_WORD = re.compile(r"[-A-Za-z0-9_.%, ]*\Z")
_TRANSFORM = re.compile(r"(?:\s*(?:scale|rotate|translate|matrix)\([-+0-9.eE ,]*\)\s*)*\Z")
_FONT = re.compile(r"[-A-Za-z0-9 ,'\"]*\Z")
_STYLE = re.compile(r"(?:\s*(?:stop-color|stop-opacity|fill|stroke|opacity)\s*:\s*[#A-Za-z0-9.]+\s*;?)*\s*\Z")

#: Attribute -> the pattern its value must match (None: any text, written escaped).
ATTRIBUTES: dict[str, re.Pattern[str] | None] = {
    "id": None, "class": None,
    "width": _WORD, "height": _WORD, "viewBox": _NUMBERS, "transform": _TRANSFORM,
    "x": _NUMBERS, "y": _NUMBERS, "x1": _NUMBERS, "y1": _NUMBERS, "x2": _NUMBERS, "y2": _NUMBERS,
    "cx": _NUMBERS, "cy": _NUMBERS, "r": _NUMBERS, "rx": _NUMBERS, "ry": _NUMBERS, "fx": _NUMBERS, "fy": _NUMBERS,
    "points": _NUMBERS, "d": re.compile(r"[-+0-9.eE ,MmLlHhVvCcSsQqTtAaZz]*\Z"),
    "fill": _PAINT, "stroke": _PAINT, "stop-color": _PAINT,
    "fill-opacity": _NUMBERS, "stroke-opacity": _NUMBERS, "stop-opacity": _NUMBERS, "opacity": _NUMBERS,
    "stroke-width": _NUMBERS, "stroke-dasharray": _NUMBERS, "offset": _WORD,
    "gradientUnits": _WORD, "text-anchor": _WORD, "text-decoration": _WORD, "baseline-shift": _WORD,
    "font-family": _FONT, "font-size": _NUMBERS, "font-weight": _WORD, "font-style": _WORD,
    "style": _STYLE, "target": re.compile(r"_(?:self|top|parent)\Z"),
}
#: Link attributes: only a fragment of this page (``#tp-…``).
_FRAGMENT = re.compile(r"#[A-Za-z0-9_.:-]*\Z")
_TITLE_ATTRIBUTES = frozenset({"title"})


@dataclass
class CleanSvg:
    """The SVG as it may be inlined (None when it could not be read), and what was taken out."""

    svg: str | None
    removed: Counter[str] = field(default_factory=Counter)
    error: str | None = None

    def removed_text(self) -> str:
        """``2 <script> elements, 1 onclick attribute``: what the filter took out, for a warning."""
        return ", ".join(f"{count} {what}" for what, count in sorted(self.removed.items()))


def _local(name: str) -> tuple[str, str]:
    """``{ns}local`` -> ``(ns, local)``."""
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def _escape(text: str, quote: bool = False) -> str:
    from .escape import clean

    text = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


#: Cleaned drawings kept (SVG text -> result): rendering a map cleans its diagram twice (once to
#: check it, once to embed it), and ``serve`` re-renders maps whose diagram did not change.
CLEAN_CACHE = 8
#: Drawings larger than this (characters) are not kept: memory stays bounded.
CLEAN_CACHE_LARGEST = 4_000_000
_cleaned: OrderedDict[str, CleanSvg] = OrderedDict()
_cleaned_lock = threading.Lock()


def clean_svg(svg: str, *, root_attributes: str = "") -> CleanSvg:
    """Parse Graphviz's SVG and write back only allowed elements and attributes.

    ``root_attributes`` (our own, trusted) are put first on the ``<svg>`` element.
    The last :data:`CLEAN_CACHE` results are kept: the same SVG is cleaned once.

    >>> clean_svg('<svg><text onclick="x()">online = yes</text><script>x()</script></svg>').svg
    '<svg><text>online = yes</text></svg>'
    """
    with _cleaned_lock:
        cleaned = _cleaned.get(svg)
        if cleaned is not None:
            _cleaned.move_to_end(svg)
    if cleaned is None:
        cleaned = _clean(svg)
        if len(svg) <= CLEAN_CACHE_LARGEST:
            with _cleaned_lock:
                _cleaned[svg] = cleaned
                while len(_cleaned) > CLEAN_CACHE:
                    _cleaned.popitem(last=False)
    # A copy: the caller may not change what the next caller gets.
    body = cleaned.svg
    if body is not None and root_attributes:
        body = f"<svg {root_attributes}{body[4:]}"  # the root is always <svg (checked by _clean)
    return CleanSvg(body, Counter(cleaned.removed), cleaned.error)


def _clean(svg: str) -> CleanSvg:
    import xml.etree.ElementTree as ET

    removed: Counter[str] = Counter()
    if re.search(r"<!ENTITY", svg, re.IGNORECASE):
        # Graphviz never declares entities; a document that does could expand without bound.
        return CleanSvg(None, removed, "the SVG declares XML entities")
    body = re.sub(r"<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>", "", svg, count=1, flags=re.DOTALL)
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        return CleanSvg(None, removed, f"the SVG is not well-formed XML ({exc})")
    ns, local = _local(root.tag)
    if local != "svg" or ns not in ("", SVG_NS):
        return CleanSvg(None, removed, f"the document is a <{local}>, not an <svg>")
    out: list[str] = []

    def attributes(element: Any, local_name: str) -> str:
        parts = []
        for name, value in element.attrib.items():
            ns, attr = _local(name)
            if attr.lower().startswith("on"):
                removed[f"{attr} attribute"] += 1
                continue
            if ns == XLINK_NS or (ns == "" and attr == "href"):
                prefix = "xlink:" if ns == XLINK_NS else ""
                if attr == "href":
                    if local_name == "a" and _FRAGMENT.match(value.strip()):
                        parts.append(f'{prefix}href="{_escape(value.strip(), True)}"')
                    else:
                        removed["link to outside the page"] += 1
                elif attr in _TITLE_ATTRIBUTES:
                    parts.append(f'{prefix}{attr}="{_escape(value, True)}"')
                else:
                    removed[f"xlink:{attr} attribute"] += 1
                continue
            if ns:
                removed[f"{attr} attribute"] += 1
                continue
            if attr not in ATTRIBUTES:
                removed[f"{attr} attribute"] += 1
                continue
            pattern = ATTRIBUTES[attr]
            if pattern is not None and not pattern.match(value):
                removed[f"{attr} attribute"] += 1
                continue
            parts.append(f'{attr}="{_escape(value, True)}"')
        return (" " + " ".join(parts)) if parts else ""

    def walk(element: Any, first: bool) -> None:
        ns, local_name = _local(element.tag)
        if ns not in ("", SVG_NS) or local_name not in ELEMENTS:
            removed[f"<{local_name}> element"] += 1
            if element.tail:
                out.append(_escape(element.tail))
            return
        out.append(f"<{local_name}{attributes(element, local_name)}")
        children = list(element)
        if not children and not element.text:
            out.append("/>")
        else:
            out.append(">")
            if element.text:
                out.append(_escape(element.text))
            for child in children:
                walk(child, False)
            out.append(f"</{local_name}>")
        if element.tail and not first:
            out.append(_escape(element.tail))

    walk(root, True)
    return CleanSvg("".join(out), removed)
