"""`journeymap schema`: a valid JSON Schema that accepts every sample and documents every field."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from journeymap.cli import main
from journeymap.yamlio import parse

jsonschema = pytest.importorskip("jsonschema")

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = FIXTURES.parent.parent
SAMPLES = ROOT / "sample_journeys"


def _schema(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["schema", *args]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    result: dict[str, Any] = json.loads(out)
    return result


@pytest.fixture
def journey_schema(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return _schema(capsys)


@pytest.fixture
def library_schema(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return _schema(capsys, "--library")


def _data(path: Path) -> Any:
    """The data as journeymap reads it (YAML 1.2, merge keys applied, x- keys dropped); not yaml.safe_load (YAML 1.1)."""
    text = path.read_bytes().decode("utf-8-sig")
    data, problems = parse(text, str(path))
    assert problems == []
    return data


def _journeys() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*.yaml") if "library" not in p.parts) + sorted(
        (FIXTURES / "good").glob("*.yaml")
    )


def _errors(schema: dict[str, Any], data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_the_schemas_are_valid_draft_2020_12(journey_schema: dict[str, Any], library_schema: dict[str, Any]) -> None:
    for schema in (journey_schema, library_schema):
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_output_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    jsonschema.Draft202012Validator.check_schema(json.loads(target.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", _journeys(), ids=lambda p: p.name)
def test_every_sample_journey_validates_against_the_schema(journey_schema: dict[str, Any], path: Path) -> None:
    assert _errors(journey_schema, _data(path)) == []


def test_there_are_samples_to_check() -> None:
    assert len([p for p in _journeys() if p.is_relative_to(SAMPLES)]) >= 2


@pytest.mark.parametrize(
    "path",
    sorted(SAMPLES.glob("library/*.yaml")) + sorted(FIXTURES.glob("imports/*/lib/**/*.yaml")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_library_files_validate_against_the_library_schema(library_schema: dict[str, Any], path: Path) -> None:
    assert _errors(library_schema, _data(path)) == []


def test_every_field_has_a_description(journey_schema: dict[str, Any], library_schema: dict[str, Any]) -> None:
    missing = []
    for schema in (journey_schema, library_schema):
        models = {"(root)": schema, **schema.get("$defs", {})}
        for model_name, model in models.items():
            assert model.get("description"), f"{model_name} has no description"
            for field, prop in model.get("properties", {}).items():
                if not str(prop.get("description", "")).strip():
                    missing.append(f"{model_name}.{field}")
    assert missing == []


def test_descriptions_come_from_the_attribute_docstrings(journey_schema: dict[str, Any]) -> None:
    touchpoint = journey_schema["$defs"]["Touchpoint"]["properties"]
    assert "-2" in touchpoint["emotion"]["description"]
    assert journey_schema["properties"]["journeymap"]["description"].startswith("Format version")


MINIMAL = {
    "journeymap": 1,
    "id": "minimal",
    "title": "Minimal",
    "personas": [{"id": "shopper", "name": "Shopper"}],
    "channels": [{"id": "web", "name": "Website"}],
    "stages": [{"id": "buy", "name": "Buy"}],
    "touchpoints": [{"id": "visit", "name": "Visits", "stage": "buy", "channel": "web", "next": ["pay"]}],
}


def _with(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    change(data)
    return data


def test_minimal_journey_passes(journey_schema: dict[str, Any]) -> None:
    assert _errors(journey_schema, MINIMAL) == []


def test_x_keys_pass_anywhere(journey_schema: dict[str, Any]) -> None:
    def add(data: dict[str, Any]) -> None:
        data["x-defaults"] = {"anything": [1, 2]}
        data["touchpoints"][0]["x-jira"] = "CX-1"
        data["personas"][0]["x-segment"] = "B2C"

    assert _errors(journey_schema, _with(add)) == []


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d.update(titel="typo"), id="unknown top-level key"),
        pytest.param(lambda d: d["touchpoints"][0].update(chanel="web"), id="unknown touchpoint key"),
        pytest.param(lambda d: d["personas"][0].update(shares=0.5), id="unknown persona key"),
        pytest.param(lambda d: d.update(journeymap=2), id="version 2"),
        pytest.param(lambda d: d.pop("title"), id="missing title"),
        pytest.param(lambda d: d["touchpoints"][0].update(emotion=3), id="emotion out of range"),
        pytest.param(lambda d: d["touchpoints"][0].update(outcome="succes"), id="bad outcome"),
        pytest.param(lambda d: d["touchpoints"][0].update(friction=[{"type": "wait", "severity": 9}]), id="severity"),
        pytest.param(lambda d: d["touchpoints"][0].update(entry="yes"), id="entry: yes"),
        pytest.param(lambda d: d.update(id="Not A Slug"), id="bad id"),
    ],
)
def test_the_schema_refuses_bad_journeys(journey_schema: dict[str, Any], change: Any) -> None:
    assert _errors(journey_schema, _with(change)) != []


def test_a_file_with_an_unknown_key_fails_the_schema(journey_schema: dict[str, Any]) -> None:
    data = _data(FIXTURES / "bad" / "unknown-keys.yaml")
    errors = _errors(journey_schema, data)
    assert any("titel" in e for e in errors), errors
    assert any("chanel" in e for e in errors), errors
