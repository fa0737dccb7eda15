"""A journey file is never skipped silently, however it is encoded or styled.

``validate FOLDER``, ``validate --journeys-only`` (the pre-commit hooks),
``lint`` and ``fmt --check`` once decided "is this a journey?" on the raw
bytes: a UTF-8 byte-order mark, UTF-16 or a JSON-style file made them pass
over a broken journey and exit 0. Each case runs through each command here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.gitfiles import is_journey_text
from journeymap.loader import Loader
from journeymap.sniff import detect_encoding, sniff
from journeymap.yamlio import decode

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = (FIXTURES / "good" / "minimal.journey.yaml").read_text(encoding="utf-8")
#: One wrong reference: the stage 'bye' does not exist.
BROKEN = MINIMAL.replace("stage: buy", "stage: bye")
BROKEN_DATA = {
    "journeymap": 1,
    "id": "minimal",
    "title": "T",
    "personas": [{"id": "shopper", "name": "Shopper"}],
    "channels": [{"id": "web", "name": "Website"}],
    "stages": [{"id": "buy", "name": "Buy"}],
    "touchpoints": [{"id": "visit", "name": "Visits", "stage": "bye", "channel": "web"}],
}


def _encodings(text: str) -> dict[str, bytes]:
    """The same journey text, written the ways a YAML file can be."""
    return {
        "utf-8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf-16-le-bom": text.encode("utf-16"),  # Python writes little-endian with a BOM
        "utf-16-be-bom": b"\xfe\xff" + text.encode("utf-16-be"),
        "utf-16-le": text.encode("utf-16-le"),  # no BOM: found by its NUL bytes, as YAML says
        "utf-32-bom": text.encode("utf-32"),
        "utf-8-bom-crlf": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
    }


def _styles() -> dict[str, bytes]:
    return {
        "json": json.dumps(BROKEN_DATA, indent=2).encode(),
        "json-one-line": json.dumps(BROKEN_DATA).encode(),
        "json-after-comments": b"# A journey written as JSON\n\n  # indented comment\n" + json.dumps(BROKEN_DATA).encode(),
        "json-after-document-start": b"%YAML 1.2\n---\n" + json.dumps(BROKEN_DATA, indent=1).encode(),
        "json-key-not-first": json.dumps({"id": "minimal", **BROKEN_DATA}).encode(),
        "flow-yaml": b"{journeymap: 1, id: minimal, title: T, personas: [{id: shopper, name: Shopper}],\n"
        b" channels: [{id: web, name: Website}], stages: [{id: buy, name: Buy}],\n"
        b" touchpoints: [{id: visit, name: Visits, stage: bye, channel: web}]}\n",
        "json-utf-16": json.dumps(BROKEN_DATA).encode("utf-16"),
        "quoted-block-keys": BROKEN.replace("journeymap:", '"journeymap":').replace("id: minimal", "'id': minimal").encode(),
        "indented-block": "".join("  " + line + "\n" for line in BROKEN.splitlines()).encode(),
    }


CASES = {**_encodings(BROKEN), **_styles()}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(params=sorted(CASES))
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = tmp_path / "journeys"
    folder.mkdir()
    path = folder / f"{request.param}.yaml"
    path.write_bytes(CASES[request.param])
    (folder / "other-tool.yaml").write_text("name: some other tool's config\n")
    return path


def test_the_sniff_sees_every_case() -> None:
    for name, raw in CASES.items():
        found = sniff(raw)
        assert found.declares_journeymap and found.is_journey, name
        assert is_journey_text(raw), name


def test_the_sniff_does_not_claim_other_files() -> None:
    for raw in [
        b"name: some other tool's config\n",
        b'{"name": "x", "nested": {"journeymap": 1, "id": "x"}}',
        b"settings:\n  journeymap: 1\n  id: x\n",
        b"[1, 2, 3]\n",
        b"",
        "name: ünïcode\n".encode("utf-16"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ]:
        assert not sniff(raw).declares_journeymap, raw


def test_a_library_in_json_style_is_a_library() -> None:
    found = sniff(b'{"journeymap": 1, "personas": [{"id": "p", "name": "P"}]}')
    assert found.declares_journeymap and not found.is_journey
    assert found.style == "flow"


def test_encodings_are_detected_as_yaml_does() -> None:
    assert detect_encoding(b"journeymap: 1") == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbfj") == "utf-8-sig"
    assert detect_encoding("j".encode("utf-16-le")) == "utf-16-le"
    assert detect_encoding("j".encode("utf-16-be")) == "utf-16-be"
    assert detect_encoding("j".encode("utf-32-le")) == "utf-32-le"
    assert detect_encoding("j".encode("utf-32-be")) == "utf-32-be"
    assert detect_encoding(b"\xff\xfej\x00") == "utf-16-le"
    assert detect_encoding(b"\xfe\xff\x00j") == "utf-16-be"
    # A UTF-8 text with a stray NUL is UTF-8 (its NUL is reported where it is), not UTF-16.
    assert detect_encoding(b"j\x00ourneymap: 1") == "utf-8"
    assert detect_encoding(b"\x00journeymap: 1") == "utf-8"
    assert detect_encoding("jo".encode("utf-16-be")) == "utf-16-be"


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_loader_reports_the_error_at_its_line(name: str) -> None:
    result = Loader().check(f"{name}.yaml", raw=CASES[name])
    assert [p.code for p in result.errors] == ["unknown-reference"], [str(p) for p in result.problems]
    assert "unknown stage 'bye'" in result.errors[0].message
    if name in _encodings(BROKEN):  # the same text, so the same place
        assert (result.errors[0].span.line, result.errors[0].span.col) == (8, 38)


def test_validate_folder_checks_it(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    code, out, err = run(capsys, "validate", str(broken.parent))
    assert code == 1
    assert f"{broken}:" in out and "unknown stage 'bye'" in out
    assert "failed: 1 file, 1 error" in err


def test_validate_journeys_only_checks_it(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    other = broken.parent / "other-tool.yaml"
    code, out, err = run(capsys, "validate", "--journeys-only", str(broken), str(other))
    assert code == 1
    assert "unknown stage 'bye'" in out
    assert "failed: 1 file, 1 error" in err


def test_lint_checks_it(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    code, out, _ = run(capsys, "lint", str(broken.parent))
    assert code == 1 and "unknown stage 'bye'" in out
    code, out, _ = run(capsys, "lint", "--journeys-only", str(broken))
    assert code == 1 and "unknown stage 'bye'" in out


def test_fmt_check_does_not_pass_it_over(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    before = broken.read_bytes()
    code, out, err = run(capsys, "fmt", "--check", str(broken.parent))
    assert code == 1
    assert f"would reformat {broken}" in out
    code, out, err = run(capsys, "fmt", "--check", "--journeys-only", str(broken))
    assert code == 1
    assert f"would reformat {broken}" in out
    assert broken.read_bytes() == before  # --check writes nothing


@pytest.mark.parametrize("name", ["utf-16-le-bom", "utf-16-be-bom", "utf-32-bom", "json", "json-utf-16"])
def test_fmt_says_what_it_changes_and_keeps_the_meaning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    good = json.loads(json.dumps(BROKEN_DATA))
    good["touchpoints"][0]["stage"] = "buy"
    raw = (
        _encodings(MINIMAL)[name]
        if name in _encodings(MINIMAL)
        else json.dumps(good, indent=2).encode("utf-16" if name == "json-utf-16" else "utf-8")
    )
    path = tmp_path / "j.yaml"
    path.write_bytes(raw)
    code, out, _ = run(capsys, "fmt", "--check", str(path))
    assert code == 1
    why = {
        "utf-16-le-bom": "UTF-16 (little-endian) -> UTF-8",
        "utf-16-be-bom": "UTF-16 (big-endian) -> UTF-8",
        "utf-32-bom": "UTF-32 (little-endian) -> UTF-8",
        "json": "JSON style -> block style",
        "json-utf-16": "UTF-16 (little-endian) -> UTF-8, JSON style -> block style",
    }[name]
    assert out == f"would reformat {path} ({why})\n"
    code, out, _ = run(capsys, "fmt", str(path))
    assert (code, out) == (0, f"reformatted {path} ({why})\n")
    written = path.read_bytes()
    # UTF-8, block style (fmt keeps how each scalar was quoted, so JSON keys stay quoted).
    assert written.decode("utf-8").startswith(("journeymap: 1\n", '"journeymap": 1\n"id": "minimal"\n'))
    # The same journey, with the same problems (none), and fmt is now satisfied.
    assert Loader().check(path).errors == []
    before = Loader().check("before.yaml", raw=raw).journey
    after = Loader().check(path).journey
    assert before is not None and after is not None
    assert before.model_dump() == after.model_dump()
    assert run(capsys, "fmt", "--check", str(path))[0] == 0


def test_a_bom_file_keeps_working_with_fmt(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    code, out, _ = run(capsys, "fmt", "--journeys-only", str(path))
    assert code == 0 and out == f"reformatted {path} (byte-order mark dropped)\n"
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run(capsys, "fmt", "--check", str(path))[0] == 0
    assert run(capsys, "validate", str(path))[0] == 0


def test_a_journey_that_cannot_be_decoded_is_reported_not_skipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "j"
    folder.mkdir()
    (folder / "latin1.yaml").write_bytes(MINIMAL.replace("Visits", "Caf\xe9").encode("latin-1"))
    odd = "journeymap: 1\nid: x\n".encode("utf-16-le") + b"\x00\xdc"  # a lone low surrogate
    (folder / "odd.yaml").write_bytes(b"\xff\xfe" + odd)
    code, out, _ = run(capsys, "validate", str(folder))
    assert code == 1
    assert f"{folder / 'latin1.yaml'}:8:26: error[encoding]: the file is not UTF-8 (byte 0xE9, which is é in Windows-1252" in out
    assert f"{folder / 'odd.yaml'}:3:1: error[encoding]: the file looks like UTF-16 (little-endian), but bytes 0x00DC are not valid UTF-16" in out
    for command in (["lint"], ["fmt", "--check"]):
        code, out, err = run(capsys, *command, "--journeys-only", str(folder / "latin1.yaml"))
        assert code == 1 and "encoding" in out + err, command


def test_utf16_positions_are_in_characters() -> None:
    text, problems = decode("journeymap: 1\nid: é\n".encode("utf-16"), "x.yaml")
    assert problems == [] and text == "journeymap: 1\nid: é\n"
