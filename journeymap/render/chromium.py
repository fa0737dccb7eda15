"""The journey map printed by headless Chromium: the A3 PDF (its print layout) and a PNG.

Workshops hand the map out. Chromium prints the HTML map's own print layout
(A3 landscape sheets, see ``templates/map.css.j2``) through Playwright; the
Chromium is Debian's ``/usr/bin/chromium`` or ``$JOURNEYMAP_CHROMIUM`` (no
browser is downloaded). Output is deterministic: a fixed viewport, the same
fonts, no network (the page makes no request), and Chromium's creation and
modification dates in the PDF replaced by a fixed date of the same length (so
the cross-reference offsets stay right). The same map gives the same bytes.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from .output import RenderError

#: Where Chromium is looked for when ``$JOURNEYMAP_CHROMIUM`` is not set.
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
VIEWPORT_WIDTH, VIEWPORT_HEIGHT = 1600, 1000
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--font-render-hinting=none",
    "--disable-lcd-text",
    "--force-color-profile=srgb",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    # Without these two, one PNG in three or four came out with the anti-aliased edges of a few
    # pill buttons a shade different (partial raster of tiles drawn in an order that varies).
    "--disable-partial-raster",
    "--run-all-compositor-stages-before-draw",
]
FIXED_DATE = b"D:20000101000000+00'00'"
_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+\-Z][^)]*\)")
#: Seconds Chromium may take for one map.
TIMEOUT = 120.0
#: An A3 landscape page inside the map's 9 mm margins (``@page`` in templates/map.css.j2), in CSS pixels.
PAGE_WIDTH, PAGE_HEIGHT = round((420 - 18) / 25.4 * 96), int((297 - 18) / 25.4 * 96)
#: The smallest a sheet is scaled to: below it the text is too small to read, and the sheet goes on over a page.
LEAST_ZOOM = 0.6
#: Scales each printed sheet that is taller than its page (the first shares its page with the map's heading) down to
#: fit it: the voice of the customer on the cards made the grocery map's second sheet 1,193 px tall for a page of
#: 1,054, and its last rows went on to a page of their own. Run with the print layout laid out at the page's width.
FIT_SHEETS = """([height, least]) => {
    const sheets = Array.from(document.querySelectorAll('.print-map .sheet'));
    const scaled = [];
    sheets.forEach((sheet, i) => {
        const room = i === 0 ? height - (sheet.getBoundingClientRect().top + window.scrollY) : height;
        const tall = sheet.getBoundingClientRect().height;
        if (tall > room && room > 0) {
            const zoom = Math.max(least, Math.floor(room / tall * 1000) / 1000);
            sheet.style.zoom = String(zoom);
            scaled.push(zoom);
        }
    });
    return scaled;
}"""

CHROMIUM_HINT = (
    "the map as PDF or PNG is printed by Chromium: install it (Debian/Ubuntu: apt-get install chromium) "
    "or set JOURNEYMAP_CHROMIUM to its path; and pip install 'journeymap[map]' for Playwright"
)


class ChromiumMissing(RenderError):
    """Chromium (or Playwright, which drives it) is not installed."""


def find_chromium() -> str | None:
    """``$JOURNEYMAP_CHROMIUM`` if set (must exist), else the first of :data:`CHROMIUM_PATHS` that exists."""
    chosen = os.environ.get("JOURNEYMAP_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for candidate in CHROMIUM_PATHS:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


def normalise_pdf(pdf: bytes) -> bytes:
    """Chromium's creation and modification dates replaced by :data:`FIXED_DATE` (same length)."""

    def fixed(match: re.Match[bytes]) -> bytes:
        original = match.group(0)
        replacement = b"/" + match.group(1) + b" (" + FIXED_DATE + b")"
        if len(replacement) != len(original):  # keep every byte offset of the xref table right
            replacement = replacement[: len(original) - 1].ljust(len(original) - 1) + b")"
        return replacement

    return _DATES.sub(fixed, pdf)


def print_map(html: str, formats: list[str]) -> dict[str, bytes]:
    """``{"map-pdf": ..., "map-png": ...}`` for the requested formats, from one Chromium run."""
    chromium = find_chromium()
    if chromium is None:
        raise ChromiumMissing("Chromium was not found: " + CHROMIUM_HINT)
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ChromiumMissing("Playwright is not installed: " + CHROMIUM_HINT) from None
    out: dict[str, bytes] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS, timeout=TIMEOUT * 1000)
            try:
                page = browser.new_page(
                    viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT}, device_scale_factor=1
                )
                page.set_default_timeout(TIMEOUT * 1000)
                page.route("**/*", lambda route: route.abort())  # the map makes no request; make sure
                page.set_content(html, wait_until="load")
                if "map-png" in formats:
                    out["map-png"] = page.screenshot(full_page=True, animations="disabled")
                if "map-pdf" in formats:
                    page.set_viewport_size({"width": PAGE_WIDTH, "height": PAGE_HEIGHT})
                    page.emulate_media(media="print")
                    page.evaluate(FIT_SHEETS, [PAGE_HEIGHT, LEAST_ZOOM])
                    pdf = page.pdf(format="A3", landscape=True, print_background=True, prefer_css_page_size=True)
                    out["map-pdf"] = normalise_pdf(pdf)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise RenderError(f"Chromium could not print the map: {str(exc).splitlines()[0]}") from None
    return out
