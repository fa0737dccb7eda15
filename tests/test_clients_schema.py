"""The JSON Schemas in an independent validator reading YAML 1.2, as an editor does (issue 8, items 7 and 8).

tests/clients/schema-check.mjs runs Ajv (draft 2020-12) with node over files read
by the npm ``yaml`` package, not by journeymap's reader: the committed schemas
load together; every sample, good fixture and library passes; every bad file the
schema can judge fails, and so does the loader; and JavaScript's RegExp reads the
metric patterns as Python's ``re`` and the loader do. One node process for all.
Never skipped: scripts/setup-clients.sh installs node and tests/clients.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from journeymap.loader import Loader
from journeymap.metrics import BUILTIN, text_pattern

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLES = ROOT / "sample_journeys"
FIXTURES = HERE / "fixtures"
SCRIPT = HERE / "clients" / "schema-check.mjs"

JOURNEYS = sorted(SAMPLES.glob("*.journey.yaml")) + sorted((FIXTURES / "good").glob("*.yaml"))
LIBRARIES = sorted(SAMPLES.glob("library/*.yaml")) + sorted(FIXTURES.glob("imports/*/lib/**/*.yaml"))

#: Bad files whose mistakes a schema can see (shapes, keys, scales, text forms), with
#: what Ajv must say: a JSON pointer (an error there or below), or the start of its message. Reference, uniqueness and share-sum
#: errors need the whole journey and are the loader's alone.
BAD: dict[str, str | list[str]] = {
    "metric-csat-82": "/touchpoints/0/metrics/csat",
    "metric-scales": [
        "/stages/0/targets/drop_off",
        "/touchpoints/0/metrics/nps",
        "/touchpoints/0/metrics/ces",
        "/touchpoints/0/metrics/conversion/target",
        "/touchpoints/0/metrics/error_rate",
        "/touchpoints/0/metrics/volume",
        "/touchpoints/0/metrics/sentiment",
        "/metrics/csat/target",
    ],
    "metric-text": [
        "/stages/0/targets/csat",
        "/touchpoints/0/metrics/csat",
        "/touchpoints/0/metrics/drop_off",
        "/touchpoints/0/metrics/response_time",
        "/touchpoints/0/metrics/nps",
        "/touchpoints/1/metrics/response_time/value",
        "/touchpoints/1/metrics/response_time/target",
        "/touchpoints/1/metrics/ces",
        "/metrics/error_rate/target",
    ],
    "duration-unparseable": "/touchpoints/1/metrics/response_time",
    "unknown-keys": ["/: must NOT have additional properties", "/personas/0: must NOT have additional properties"],
    "emotion-out-of-range": "/touchpoints/0/emotion",
    "severity-out-of-range": "/touchpoints/0/friction/0/severity",
    "enum-values": ["/channels/0/kind", "/touchpoints/0/outcome"],
    "version-2": "/journeymap",
    "version-missing": "/: must have required property 'journeymap'",
    "missing-keys": ["/: must have required property 'title'", "/touchpoints/0: must have required property 'stage'"],
    "invalid-ids": "/id",
    "entry-yes": "/touchpoints/0/entry",
    "wrong-shapes": ["/tags: must be array", "/personas: must be array"],
    "stage-not-text": "/touchpoints/0/stage",
    "float-as-text": "/title: must be string",
    "top-level-list": "/: must be object",
}


def _bad_file(name: str) -> Path:
    return FIXTURES / "bad" / f"{name}.yaml"


@pytest.fixture(scope="module")
def answer(clients: Path) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: run bash scripts/setup-clients.sh", pytrace=False)
    texts = _texts()
    request = {
        "schemas": {
            "journey": str(SAMPLES / "journeymap.schema.json"),
            "library": str(SAMPLES / "journeymap-library.schema.json"),
        },
        "files": [{"path": str(p), "schema": "journey"} for p in JOURNEYS]
        + [{"path": str(p), "schema": "library"} for p in LIBRARIES]
        + [{"path": str(_bad_file(name)), "schema": "journey"} for name in BAD],
        "patterns": [{"pattern": text_pattern(spec), "strings": texts} for spec in BUILTIN.values()],
    }
    proc = subprocess.run(
        [node, str(SCRIPT)], input=json.dumps(request), capture_output=True, text=True, cwd=SCRIPT.parent, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _texts() -> list[str]:
    """The metric-text table plus generated texts, the same for every run."""
    import yaml

    table = yaml.safe_load((FIXTURES / "schema" / "metric-texts.yaml").read_text(encoding="utf-8"))
    texts = {text for cases in table.values() for kind in ("accepted", "refused") for text in cases.get(kind, [])}
    pieces = ["0", "1", "7", "9", "00", "100", "101", "5", ".", "-", "+", "%", " ", "\u00a0", "\u2003", "\ufeff",
              "\x85", "\t", "h", "m", "s", "d", "min", "hours", "Sec", "x", "0.5", "\u0668", "\u017f"]  # fmt: skip
    rng = random.Random(8)
    texts |= {"".join(rng.choices(pieces, k=rng.randint(1, 6))) for _ in range(3000)}
    return sorted(texts)


def _beyond(text: str) -> bool:
    """An exponent or a numeral of more than 15 digits: the schema leaves its range to the loader
    (as in tests/test_schema.py)."""
    import re

    from journeymap.metrics import SCHEMA_EXACT_DIGITS

    return bool(re.search(r"[0-9.][eE][-+]?[0-9]", text)) or any(
        len(run.replace(".", "")) > SCHEMA_EXACT_DIGITS for run in re.findall(r"[0-9.]+", text)
    )


def test_both_schemas_load_into_one_ajv(answer: dict[str, Any]) -> None:
    """schema-check.mjs adds both to one Ajv; with one shared $id the second addSchema threw."""
    ids = {json.loads((SAMPLES / name).read_text(encoding="utf-8"))["$id"] for name in ("journeymap.schema.json", "journeymap-library.schema.json")}
    assert len(ids) == 2
    assert answer["files"]


@pytest.mark.parametrize("path", JOURNEYS + LIBRARIES, ids=lambda p: str(p.relative_to(ROOT)))
def test_samples_and_good_files_pass_ajv(answer: dict[str, Any], path: Path) -> None:
    assert answer["files"][str(path)] == {"valid": True, "errors": []}


@pytest.mark.parametrize(("name", "pointers"), BAD.items(), ids=list(BAD))
def test_bad_files_fail_ajv_and_the_loader(answer: dict[str, Any], name: str, pointers: str | list[str]) -> None:
    path = _bad_file(name)
    verdict = answer["files"][str(path)]
    assert verdict["valid"] is False
    for pointer in [pointers] if isinstance(pointers, str) else pointers:
        starts = (pointer,) if ": " in pointer else (pointer + ":", pointer + "/")
        assert any(e.startswith(starts) for e in verdict["errors"]), (pointer, verdict["errors"])
    assert Loader().check(path).errors


def test_javascript_reads_the_metric_patterns_as_the_loader_does(answer: dict[str, Any]) -> None:
    from journeymap.metrics import MetricValueError, parse_value

    texts = _texts()
    disagreements = []
    for (name, spec), verdicts in zip(BUILTIN.items(), answer["patterns"], strict=True):
        for text, schema in zip(texts, verdicts, strict=True):
            try:
                parse_value(spec, text)
                loader = True
            except MetricValueError:
                loader = False
            if (loader and not schema) or (schema and not loader and not _beyond(text)):
                disagreements.append(f"{name} {text!r}: loader {loader}, Ajv's RegExp {schema}")
    assert disagreements == []


# -- the YAML language server: what VS Code shows ------------------------------------

MODELINE = "# yaml-language-server: $schema=./{}\n"


@pytest.fixture(scope="module")
def editor(clients: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Diagnostics of the YAML language server for every good and bad file, each opened as
    an author would have it: with the committed schema named on its first line."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: run bash scripts/setup-clients.sh", pytrace=False)
    folder = tmp_path_factory.mktemp("editor")
    for name in ("journeymap.schema.json", "journeymap-library.schema.json"):
        shutil.copy(SAMPLES / name, folder / name)
    opened: dict[str, tuple[Path, int]] = {}
    cases = [(p, "journeymap.schema.json") for p in JOURNEYS + [_bad_file(n) for n in BAD]]
    cases += [(p, "journeymap-library.schema.json") for p in LIBRARIES]
    for index, (path, schema) in enumerate(cases):
        lines = path.read_bytes().decode("utf-8-sig").splitlines(keepends=True)
        shift = 1
        if lines and lines[0].startswith("# yaml-language-server:"):
            lines, shift = lines[1:], 0
        copy = folder / f"{index}-{path.name}"
        copy.write_text(MODELINE.format(schema) + "".join(lines), encoding="utf-8")
        opened[str(path)] = (copy, shift)
    proc = subprocess.run(
        [node, str(HERE / "clients" / "editor-check.cjs"), *(str(c) for c, _ in opened.values())],
        capture_output=True, text=True, cwd=HERE / "clients", timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    diagnostics = json.loads(proc.stdout)
    # Back to the positions in the file as committed.
    return {
        path: [{**d, "line": d["line"] - shift} for d in diagnostics[str(copy)]] for path, (copy, shift) in opened.items()
    }


@pytest.mark.parametrize("path", JOURNEYS + LIBRARIES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_editor_shows_nothing_on_good_files(editor: dict[str, Any], path: Path) -> None:
    assert editor[str(path)] == []


@pytest.mark.parametrize("name", ["metric-text", "metric-scales", "metric-csat-82", "duration-unparseable"])
def test_the_editor_marks_every_metric_value_the_loader_refuses(editor: dict[str, Any], name: str) -> None:
    """`csat: 1.7` gets its squiggle in VS Code, where `journeymap validate` puts its error.

    Exactly there, but for a second mistake in one `{value, target}` entry: the language
    server reports the first branch of an anyOf that fails, so that line has one squiggle."""
    path = _bad_file(name)
    refused = {(p.span.line, p.span.col) for p in Loader().check(path).errors if p.code == "metric-value"}
    marked = {(d["line"], d["col"]) for d in editor[str(path)]}
    missed = sorted(refused - marked)
    assert refused and len(missed) <= 1, (missed, editor[str(path)])
    assert all(line in {m[0] for m in marked} for line, _ in missed), (missed, editor[str(path)])


@pytest.mark.parametrize("name", list(BAD))
def test_the_editor_marks_every_bad_file(editor: dict[str, Any], name: str) -> None:
    assert editor[str(_bad_file(name))] != []
