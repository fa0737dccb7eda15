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


_VALIDATORS: dict[int, Any] = {}


def _validator(schema: dict[str, Any]) -> Any:
    """One validator per schema (it caches what its $refs resolve to)."""
    validator = _VALIDATORS.get(id(schema))
    if validator is None or validator.schema is not schema:
        validator = _VALIDATORS[id(schema)] = jsonschema.Draft202012Validator(schema)
    return validator


def _errors(schema: dict[str, Any], data: Any) -> list[str]:
    validator = _validator(schema)
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


@pytest.mark.parametrize(
    ("change", "where"),
    [
        pytest.param(lambda d: d["touchpoints"][0].update(emotion=None), ["touchpoints", 0, "emotion"], id="emotion"),
        pytest.param(lambda d: d["touchpoints"][0].update(personas=None), ["touchpoints", 0, "personas"], id="personas"),
        pytest.param(lambda d: d["touchpoints"][0].update(outcome=None), ["touchpoints", 0, "outcome"], id="outcome"),
        pytest.param(lambda d: d["personas"][0].update(share=None), ["personas", 0, "share"], id="persona share"),
    ],
)
def test_an_empty_optional_number_or_list_is_refused_by_loader_and_schema(
    journey_schema: dict[str, Any], change: Any, where: list[Any]
) -> None:
    """`emotion:` with nothing after it was read as absent by both; the loader now refuses it (an
    empty value is not an absent one), and the schema must squiggle what the loader refuses."""
    from journeymap.loader import Loader

    data = _with(change)
    result = Loader().check("empty.journey.yaml", raw=json.dumps(data).encode("utf-8"))
    assert any(p.code == "wrong-type" and f"'{where[-1]}' is empty; it must be" in p.message for p in result.errors)
    assert any(e.startswith(f"{where}:") for e in _errors(journey_schema, data)), _errors(journey_schema, data)


def test_a_file_with_an_unknown_key_fails_the_schema(journey_schema: dict[str, Any]) -> None:
    data = _data(FIXTURES / "bad" / "unknown-keys.yaml")
    errors = _errors(journey_schema, data)
    assert any("titel" in e for e in errors), errors
    assert any("chanel" in e for e in errors), errors


# -- the schema agrees with the loader (issue 8, item 7) ----------------------------


@pytest.fixture(scope="module")
def schema_once() -> dict[str, Any]:
    """The journey schema, made once for the many table cases below."""
    from journeymap.json_schema import schema

    return schema()

METRIC_TEXTS = FIXTURES / "schema" / "metric-texts.yaml"


def _metric_texts() -> dict[str, dict[str, list[str]]]:
    import yaml

    table: dict[str, dict[str, list[str]]] = yaml.safe_load(METRIC_TEXTS.read_text(encoding="utf-8"))
    return table


def _loader_accepts(metric: str, text: str) -> bool:
    from journeymap.metrics import BUILTIN, MetricValueError, parse_value

    try:
        parse_value(BUILTIN[metric], text)
    except MetricValueError:
        return False
    return True


def _text_cases(*kinds: str) -> list[Any]:
    return [
        pytest.param(metric, text, kind, id=f"{metric}-{kind}-{text!r}")
        for metric, cases in _metric_texts().items()
        for kind in kinds
        for text in cases.get(kind, [])
    ]


def test_the_table_covers_every_builtin_metric() -> None:
    from journeymap.metrics import BUILTIN

    table = _metric_texts()
    assert set(table) == set(BUILTIN)
    assert all(cases["accepted"] and cases["refused"] for cases in table.values())


@pytest.mark.parametrize(("metric", "text", "kind"), _text_cases("accepted", "refused"))
def test_loader_and_schema_agree_on_metric_text(schema_once: dict[str, Any], metric: str, text: str, kind: str) -> None:
    """Both directions: what the loader reads the schema accepts, what it refuses the schema refuses."""
    accepted = kind == "accepted"
    assert _loader_accepts(metric, text) is accepted
    fine = _metric_texts()[metric]["accepted"][0]
    value_schema = schema_once["$defs"][f"metric-{metric}"]
    assert (_errors(value_schema, text) == []) is accepted
    # ... and in place: in a touchpoint, as {value}, as a target, as a stage target, as a journey target.
    data = copy.deepcopy(MINIMAL)
    first = data["touchpoints"][0]
    data["touchpoints"] = [
        {**first, "id": "short", "metrics": {metric: text}},
        {**first, "id": "long", "metrics": {metric: {"value": text, "n": 40}}},
        {**first, "id": "target", "metrics": {metric: {"value": fine, "target": text}}},
    ]
    data["stages"][0]["targets"] = {metric: text}
    data["metrics"] = {metric: {"target": text}}
    flagged = {tuple(e.absolute_path)[:3] for e in _validator(schema_once).iter_errors(data)}
    places = {("touchpoints", 0, "metrics"), ("touchpoints", 1, "metrics"), ("touchpoints", 2, "metrics"),
              ("stages", 0, "targets"), ("metrics", metric, "target")}  # fmt: skip
    assert flagged == (places if not accepted else set())


@pytest.mark.parametrize(("metric", "text", "kind"), _text_cases("beyond"))
def test_numerals_beyond_exact_checking_are_left_to_the_loader(schema_once: dict[str, Any], metric: str, text: str, kind: str) -> None:
    """An exponent or more than 15 digits: the pattern cannot compare the value with the
    scale, so it accepts the numeral (no false squiggle) and the loader decides."""
    assert _errors(schema_once["$defs"][f"metric-{metric}"], text) == []


def _pieces() -> list[str]:
    return [
        "0", "1", "7", "9", "00", "100", "101", "99", "5", ".", "-", "+", "e", "E", "%", " ", "\u00a0",
        "\u2003", "\ufeff", "\x85", "\t", "h", "m", "s", "d", "min", "hours", "Sec", "DAYS", "x",
        "0.5", "1e2", "\u0668", "\u017f",
    ]  # fmt: skip


def _beyond(text: str) -> bool:
    """Text with an exponent or a numeral of more than 15 digits: the schema leaves its range to the loader."""
    import re

    from journeymap.metrics import SCHEMA_EXACT_DIGITS

    return bool(re.search(r"[0-9.][eE][-+]?[0-9]", text)) or any(
        len(run.replace(".", "")) > SCHEMA_EXACT_DIGITS for run in re.findall(r"[0-9.]+", text)
    )


def test_loader_and_schema_agree_on_generated_metric_text() -> None:
    """Thousands of texts built from the pieces metric values are made of, on every built-in metric."""
    import random
    import re

    from journeymap.metrics import BUILTIN, text_pattern

    pieces = _pieces()
    rng = random.Random(8)
    texts = sorted({"".join(rng.choices(pieces, k=rng.randint(1, 6))) for _ in range(4000)})
    disagreements = []
    for metric, spec in BUILTIN.items():
        pattern = re.compile(text_pattern(spec))
        for text in texts:
            loader, schema = _loader_accepts(metric, text), bool(pattern.search(text))
            if (loader and not schema) or (schema and not loader and not _beyond(text)):
                disagreements.append(f"{metric} {text!r}: loader {loader}, schema {schema}")
    assert disagreements == []


def test_the_whitespace_the_patterns_name_is_what_the_loader_strips() -> None:
    import re
    import sys

    from journeymap.metrics import _WS

    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    assert set(re.findall(_WS, everything)) == {c for c in everything if c.isspace()}


@pytest.mark.parametrize(
    ("change", "where"),
    [
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"csat": 1.7}), "csat", id="csat 1.7"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"csat": -0.1}), "csat", id="csat -0.1"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"nps": 150}), "nps", id="nps 150"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"ces": 0}), "ces", id="ces 0"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"sentiment": -1.5}), "sentiment", id="sentiment"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"volume": -1}), "volume", id="volume -1"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"response_time": -5}), "response_time", id="negative time"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"response_time": float("inf")}), "response_time", id="time .inf"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"csat": True}), "csat", id="csat true"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"csat": None}), "csat", id="csat null"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"csat": {"value": 0.5, "target": None}}), "target", id="target null"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"fcr": "7m"}), "fcr", id="custom metric as a duration"),
        pytest.param(lambda d: d["touchpoints"][0].update(metrics={"CSAT": 0.5}), "CSAT", id="metric name in capitals"),
        pytest.param(lambda d: d["stages"][0].update(targets={"drop_off": 1.5}), "drop_off", id="stage target"),
        pytest.param(lambda d: d.update(metrics={"csat": {"target": 85}}), "csat", id="journey target 85"),
        pytest.param(lambda d: d.update(metrics={"csat": {"scale": [1, 5]}}), "'scale' does not match", id="built-in scale"),
        pytest.param(lambda d: d.update(metrics={"nps": {"better": "lower"}}), "'better' does not match", id="built-in direction"),
        pytest.param(lambda d: d.update(metrics={"First Contact": {"label": "FCR"}}), "First Contact", id="bad metric name"),
    ],
)
def test_the_schema_refuses_what_the_loader_refuses_in_metrics(schema_once: dict[str, Any], change: Any, where: str) -> None:
    from journeymap.loader import Loader

    data = _with(change)
    data["touchpoints"][0].pop("next")  # a lone touchpoint: the loader has nothing else to say
    data["touchpoints"][0]["outcome"] = "success"
    text = json.dumps(data, allow_nan=True).replace("Infinity", ".inf")
    result = Loader().check("metrics.journey.yaml", raw=text.encode("utf-8"))
    assert result.errors, "the loader must refuse this too"
    errors = _errors(schema_once, data)
    assert any(where in e for e in errors), errors


def test_custom_metrics_and_x_keys_in_metric_maps_pass(journey_schema: dict[str, Any]) -> None:
    def add(data: dict[str, Any]) -> None:
        data["metrics"] = {"fcr": {"label": "First-contact resolution", "scale": [0, 1], "better": "higher", "target": "80%"}}
        data["touchpoints"][0]["metrics"] = {"fcr": {"value": 0.7, "target": "75%"}, "csat": "82%", "x-note": [1]}
        data["stages"][0]["targets"] = {"fcr": 0.8, "x-why": "board"}

    assert _errors(journey_schema, _with(add)) == []


def test_each_schema_has_its_own_id(journey_schema: dict[str, Any], library_schema: dict[str, Any]) -> None:
    assert journey_schema["$id"] != library_schema["$id"]
    # both in one registry, as an editor or Ajv holds them: each resolves to itself
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    registry = Registry().with_resources(
        (s["$id"], DRAFT202012.create_resource(s)) for s in (journey_schema, library_schema)
    )
    assert registry.contents(journey_schema["$id"])["title"] == "journeymap journey file"
    assert registry.contents(library_schema["$id"])["title"] == "journeymap library file"


def test_the_library_schema_checks_metric_definitions_as_the_loader_does(library_schema: dict[str, Any], tmp_path: Path) -> None:
    from journeymap.loader import Loader

    library = {
        "journeymap": 1,
        "metrics": {
            "csat": {"target": 85},
            "nps": {"scale": [0, 10]},
            "fcr": {"target": "7m", "better": "higher"},
            "Bad Name": {"label": "x"},
        },
    }
    (tmp_path / "lib.yaml").write_text(json.dumps(library), encoding="utf-8")
    journey = {**MINIMAL, "imports": ["lib.yaml"]}
    journey["touchpoints"] = [{**MINIMAL["touchpoints"][0], "next": [], "outcome": "success"}]
    (tmp_path / "j.journey.yaml").write_text(json.dumps(journey), encoding="utf-8")
    loader_lines = sorted(p.span.line for p in Loader().check(tmp_path / "j.journey.yaml").errors)
    assert len(loader_lines) == 4
    flagged = set()
    for error in _validator(library_schema).iter_errors(library):
        path = tuple(error.absolute_path)[:2]
        # a name that breaks propertyNames is reported on the mapping, naming the key
        flagged.add(("metrics", "Bad Name") if path == ("metrics",) and "'Bad Name'" in error.message else path)
    assert flagged == {("metrics", "csat"), ("metrics", "nps"), ("metrics", "fcr"), ("metrics", "Bad Name")}
    assert _errors(library_schema, {"journeymap": 1, "metrics": {"csat": {"target": "85%"}, "fcr": {"target": 0.8}}}) == []


# -- effort and amounts: the ranges the loader checks (value_check.py) are the schema's --------------

MONEY = {"currency": "EUR"}
OPPORTUNITY = {"id": "o", "name": "O", "touchpoints": ["visit"], "changes": [{"touchpoint": "visit", "metric": "csat", "value": 0.9}]}


def _money(where: str, number: float, *, value_model: bool = True) -> Any:
    def change(data: dict[str, Any]) -> None:
        data["touchpoints"][0]["next"] = []
        data["touchpoints"][0]["outcome"] = "success"
        if value_model:
            data["value"] = dict(MONEY)
        if where == "effort":
            data["opportunities"] = [{**OPPORTUNITY, "effort": number}]
        elif where in ("volume", "leave"):
            data["value"][where] = number
        elif where == "outcome":
            data["value"]["outcomes"] = {"success": number}
        elif where in ("cost", "revenue"):
            data["touchpoints"][0][where] = number
        else:  # a scenario's new touchpoint
            data["touchpoints"][0].update(outcome=None, next=[])
            del data["touchpoints"][0]["outcome"]
            data["touchpoints"].append({"id": "pay", "name": "Pays", "stage": "buy", "channel": "web", "outcome": "success"})
            data["touchpoints"][0]["next"] = [{"to": "pay", "share": 0.5}]
            data["scenarios"] = [{"id": "s", "name": "S", "changes": [
                {"add": "chat", "name": "Chat", "from": "visit", "share": 0.1, "next": ["pay"], "cost": number}]}]
    return change


@pytest.mark.parametrize(
    ("where", "number", "refused"),
    [
        ("effort", 0.001, True), ("effort", 0.01, False), ("effort", 1e6, False), ("effort", 2e6, True),
        ("volume", 1e15, False), ("volume", 2e15, True),
        ("leave", -1e15, False), ("leave", -2e15, True), ("outcome", 1e16, True), ("outcome", -1e15, False),
        ("cost", 1e15, False), ("cost", 1e16, True), ("revenue", 2e15, True),
        ("change cost", 1e15, False), ("change cost", 1e16, True),
    ],
)
def test_the_schema_refuses_the_effort_and_amounts_the_loader_refuses(
    schema_once: dict[str, Any], where: str, number: float, refused: bool
) -> None:
    """An opportunity's effort of 0.001 or 2,000,000 person-days, a volume or an amount beyond 1e15
    was an `out-of-range` error for `validate` and passed the schema: an editor showed no squiggle."""
    from journeymap.loader import Loader

    data = _with(_money(where, number))
    result = Loader().check("value.journey.yaml", raw=json.dumps(data).encode("utf-8"))
    loader = [p.message for p in result.errors if p.code == "out-of-range"]
    schema = _errors(schema_once, data)
    assert bool(loader) == refused, result.errors
    assert bool(schema) == refused, schema


@pytest.mark.parametrize("where", ["cost", "revenue"])
def test_a_cost_beyond_1e15_is_refused_without_a_value_model_too(schema_once: dict[str, Any], where: str) -> None:
    """`cost: 1e16` was an error with a value model and passed without one (a warning that the
    journey has no value model): the size is a typo either way, and the schema cannot tell the two apart."""
    from journeymap.loader import Loader

    data = _with(_money(where, 1e16, value_model=False))
    result = Loader().check("value.journey.yaml", raw=json.dumps(data).encode("utf-8"))
    assert [p.message for p in result.errors] == ["touchpoint 'visit': the amount 1e+16 is more than journeymap computes with"]
    assert [p.code for p in result.warnings] == ["cost-without-value"]
    assert _errors(schema_once, data) != []


# -- every field the loader takes is in docs/FORMAT.md, in the section of its kind -------------------

FORMAT = ROOT / "docs" / "FORMAT.md"
#: the FORMAT.md sections (## headings) where each model's fields are written
SECTIONS = {
    "(root)": ["Top level"], "(library)": ["Top level"], "Persona": ["Personas"],
    "Channel": ["Channels"], "Stage": ["Stages"],
    "Touchpoint": ["Touchpoints", "Value, cost and revenue (journeymap extension)"],
    "Flow": ["Touchpoints", "Links between journeys (journeymap extension)"], "FlowTime": ["Touchpoints"],
    "Friction": ["Touchpoints"], "MetricValue": ["Touchpoints"], "MetricDef": ["Metrics"],
    "WeakConfig": ["Weak touchpoints"], "ValueModel": ["Value, cost and revenue (journeymap extension)"],
    "Change": ["Scenarios (journeymap extension)"], "Scenario": ["Scenarios (journeymap extension)"],
    "Opportunity": ["Opportunities, long form (journeymap extension)"],
}


def _format_sections() -> dict[str, str]:
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in FORMAT.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        else:
            current.append(line)
    return {name: "\n".join(lines) for name, lines in sections.items()}


def test_every_field_of_the_schema_is_in_format_md(journey_schema: dict[str, Any], library_schema: dict[str, Any]) -> None:
    """A newcomer reads docs/FORMAT.md, not the models: the top level's `version`, a channel's and a
    stage's `description` and a library's `imports` were taken by the loader and the schema, and
    FORMAT.md did not name them (it said a library holds only journeymap, personas, channels, metrics)."""
    import re

    sections = _format_sections()
    models = {"(root)": journey_schema, "(library)": library_schema, **journey_schema["$defs"]}
    missing = []
    for model, names in SECTIONS.items():
        text = "\n".join(sections[name] for name in names)
        for field in models[model].get("properties", {}):
            # a key written in a YAML example (`field:`), in text (`field`), or in a flow mapping
            if not re.search(rf"(^|[\s{{,\[`]){re.escape(field)}:|`{re.escape(field)}`|[{{,] ?{re.escape(field)}[,}}]", text, re.M):
                missing.append(f"{model}.{field}")
    assert missing == []
    documented = {m for m in models if not m.startswith(("metric-", "MetricValue-", "MetricDef-"))} - {"MetricNumber"}
    assert documented == set(SECTIONS), "a model the table above does not place in FORMAT.md"


def test_every_choice_of_the_schema_is_in_format_md(journey_schema: dict[str, Any]) -> None:
    sections = _format_sections()
    defs = journey_schema["$defs"]
    missing = []
    for model, names in SECTIONS.items():
        if model.startswith("("):
            continue
        text = "\n".join(sections[name] for name in names)
        for field, prop in defs[model].get("properties", {}).items():
            for option in [prop, *prop.get("anyOf", [])]:
                missing += [f"{model}.{field}: {choice}" for choice in option.get("enum", []) if str(choice) not in text]
    assert missing == []


def test_every_default_of_the_schema_is_the_one_format_md_says(journey_schema: dict[str, Any]) -> None:
    """`kind` digital, `status` idea, `period` month, `leave` 0, the weak thresholds: FORMAT.md says
    "(default X)" or "# default X" for each, and X is the schema's (the model's) default."""
    sections = _format_sections()
    defs = journey_schema["$defs"]
    wrong = []
    for model, names in SECTIONS.items():
        if model.startswith("("):
            continue
        text = "\n".join(sections[name] for name in names)
        for field, prop in defs[model].get("properties", {}).items():
            default = prop.get("default")
            if default is None or isinstance(default, (bool, list, dict)):
                continue
            if f"default {default})" not in text and f"# default {default}\n" not in text:
                wrong.append(f"{model}.{field}: default {default}")
    assert wrong == []


def test_the_effort_range_is_described_as_format_md_says_it(journey_schema: dict[str, Any]) -> None:
    """An editor's hover said "person-days (a number)"; FORMAT.md and the loader say 0.01 to 1,000,000."""
    description = journey_schema["$defs"]["Opportunity"]["properties"]["effort"]["description"]
    assert "from 0.01 to 1,000,000" in description
    assert "person-days (a number from 0.01 to 1,000,000)" in _format_sections()["Opportunities, long form (journeymap extension)"]


def test_the_next_description_names_every_key_of_a_flow(journey_schema: dict[str, Any]) -> None:
    """The hover on `next:` said "{to, share, label}"; a flow also takes `time` and `journey`."""
    description = journey_schema["$defs"]["Touchpoint"]["properties"]["next"]["description"]
    for key in journey_schema["$defs"]["Flow"]["properties"]:
        assert key in description, key


def test_every_problem_code_of_the_value_checks_is_named_in_format_md() -> None:
    """The scenario, opportunity and value checks' codes (`unknown-flow`, `change-at-outcome`,
    `nowhere-to-go`, `remove-entry`, `no-target`, `invalid-change`, `scenario-and-changes`, `invalid-link`,
    `cost-without-value`) were in no doc; a user filtering `--format json` by code had nothing to go by."""
    import re

    source = (ROOT / "journeymap" / "value_check.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'self\.add\(\s*[^,]+,\s*[^,]+,\s*"([a-z][a-z-]+)"', source))
    codes |= set(re.findall(r'Problem\(\s*[^,]+,\s*"([a-z][a-z-]+)"', source))
    text = FORMAT.read_text(encoding="utf-8") + (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(codes) >= 15
    assert sorted(c for c in codes if f"`{c}`" not in text) == []
