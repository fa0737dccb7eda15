"""render --to map-pdf,map-png: the HTML map printed by headless Chromium, byte for byte the same each time."""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.render.chromium import FIXED_DATE, normalise_pdf

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "sample_journeys" / "telecom-support.journey.yaml"
HOSTILE = HERE / "fixtures" / "hostile.journey.yaml"

if not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium); in CI it must be", allow_module_level=True)


def test_the_map_prints_as_a3_pdf_and_png_the_same_every_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for run in ("a", "b"):
        assert main(["render", str(SAMPLE), "-o", str(tmp_path / run), "--to", "map-pdf,map-png"]) == 0
    # Chromium's rasteriser once gave one PNG in three or four a few different edge pixels: a third print.
    assert main(["render", str(SAMPLE), "-o", str(tmp_path / "c"), "--to", "map-png"]) == 0
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["telecom-support.map.pdf", "telecom-support.map.png"]
    pdf = (tmp_path / "a" / "telecom-support.map.pdf").read_bytes()
    png = (tmp_path / "a" / "telecom-support.map.png").read_bytes()
    assert pdf == (tmp_path / "b" / "telecom-support.map.pdf").read_bytes()
    assert png == (tmp_path / "b" / "telecom-support.map.png").read_bytes() == (tmp_path / "c" / "telecom-support.map.png").read_bytes()
    assert pdf.startswith(b"%PDF-") and FIXED_DATE in pdf
    assert re.search(rb"/CreationDate \(D:20\d\d", pdf.replace(FIXED_DATE, b"")) is None
    # A3 landscape: 420 x 297 mm = 1190.55 x 841.89 points.
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(abs(float(w) - 1190.55) < 1 and abs(float(h) - 841.89) < 1 for w, h in boxes)
    assert len(boxes) >= 2  # the telecom journey prints on several sheets
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1600 and height > 1000


def test_hostile_text_prints_without_running_anything(tmp_path: Path) -> None:
    assert main(["render", str(HOSTILE), "-o", str(tmp_path), "--to", "map-pdf,html"]) == 0
    assert (tmp_path / "hostile-journey.map.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "hostile-journey.html").is_file()  # asked for, so written too


def test_a_missing_chromium_is_a_clear_error_and_the_rest_is_still_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYMAP_CHROMIUM", str(tmp_path / "no-chromium"))
    assert main(["render", str(SAMPLE), "-o", str(tmp_path), "--to", "map-pdf,md"]) == 1
    err = capsys.readouterr().err
    assert "cannot write MAP-PDF: Chromium was not found" in err and "JOURNEYMAP_CHROMIUM" in err
    assert "Traceback" not in err
    assert (tmp_path / "telecom-support.md").is_file() and not (tmp_path / "telecom-support.map.pdf").exists()


def test_normalise_pdf_keeps_every_byte_offset() -> None:
    pdf = b"%PDF-1.4\n1 0 obj\n<</CreationDate (D:20261129191241+00'00')\n/ModDate (D:20261129191241+00'00')>>\nendobj\n"
    fixed = normalise_pdf(pdf)
    assert len(fixed) == len(pdf)
    assert fixed.count(FIXED_DATE) == 2 and b"2026" not in fixed


def test_a_sheet_taller_than_the_page_is_scaled_to_fit_it(tmp_path: Path) -> None:
    """The grocery map with its survey and history (comments, phrases and quotes on the cards) has a sheet 1,193 px
    tall, where an A3 page less its margins holds 1,054: its last rows went on to a page of their own, a fifth page
    beside the four the map prints without data. Each sheet is scaled to fit its page."""
    grocery = HERE.parent / "sample_journeys" / "grocery-first-order.journey.yaml"
    data = HERE.parent / "sample_journeys" / "data"
    assert main(["render", str(grocery), "-o", str(tmp_path / "plain"), "--to", "map-pdf"]) == 0
    assert main(["render", str(grocery), "-o", str(tmp_path / "voice"), "--to", "map-pdf", "--period", "month",
                 "--responses", str(data / "grocery-first-order.survey.csv"),
                 "--metrics", str(data / "grocery-first-order.history.csv")]) == 0

    def pages(pdf: Path) -> int:
        return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))

    plain, voice = pages(tmp_path / "plain" / "grocery-first-order.map.pdf"), pages(tmp_path / "voice" / "grocery-first-order.map.pdf")
    assert plain >= 4 and voice == plain
