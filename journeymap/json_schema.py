"""The JSON Schema of the journey file format, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://journeymap.invalid/schema/v1.json"
#: The library schema's own id: a validator that loads both (Ajv) refuses two schemas with one id.
LIBRARY_SCHEMA_ID = "https://journeymap.invalid/schema/v1-library.json"
#: A metric name as the loader takes it; `x-` keys are dropped before it looks.
METRIC_NAME_PATTERN = r"^(?:[a-z][a-z0-9_]*|x-.*)$"


def schema(*, library: bool = False) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a journey file, or of a library file.

    Descriptions come from the models' attribute docstrings, so an editor with
    the YAML language server shows them while the author types.
    """
    from .model import Journey, Library

    model = Library if library else Journey
    result = model.model_json_schema(mode="validation")
    docs = field_docstrings()
    for name, definition in [(model.__name__, result), *result.get("$defs", {}).items()]:
        for field, description in docs.get(name, {}).items():
            # `from_` is spelt `from` in a file (a Python keyword needs the underscore).
            prop = definition.get("properties", {}).get(field.rstrip("_"))
            if prop is not None:
                prop["description"] = description
    _never_empty(result)
    _metric_values(result)
    _ranges(result)
    schema_id = LIBRARY_SCHEMA_ID if library else SCHEMA_ID
    result = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id, **result}
    result["title"] = "journeymap library file" if library else "journeymap journey file"
    # A `# yaml-language-server: $schema=...` comment is a comment; nothing to add.
    return result


def _never_empty(result: dict[str, Any]) -> None:
    """An optional number, list or choice may be left out but not left empty (``emotion:``): the
    loader refuses the null it reads as (:data:`journeymap.loader.NOT_EMPTY`), and so does the schema."""
    from .loader import NOT_EMPTY

    defs = result.get("$defs", {})
    for kind, fields in NOT_EMPTY.items():
        names = {"persona": "Persona", "touchpoint": "Touchpoint", "flow": "Flow", "time": "FlowTime", "metric value": "MetricValue"}
        definition = defs.get(names[kind])
        for field in fields if definition is not None else ():
            prop = definition.get("properties", {}).get(field)
            if prop is None or "anyOf" not in prop:
                continue
            kept = [option for option in prop["anyOf"] if option != {"type": "null"}]
            del prop["anyOf"]
            if prop.get("default", 0) is None:
                del prop["default"]
            if len(kept) == 1:
                prop.update(kept[0])
            else:
                prop["anyOf"] = kept


def _ranges(result: dict[str, Any]) -> None:
    """The ranges :mod:`journeymap.value_check` checks, beyond the models' own: an opportunity's
    effort in person-days, and amounts and volumes up to :data:`~journeymap.value_check.LARGEST` in size."""
    from .value_check import EFFORT_RANGE, LARGEST

    defs = result.get("$defs", {})

    def numbers(prop: dict[str, Any]) -> list[dict[str, Any]]:
        options = prop.get("anyOf", [prop])
        return [option for option in options if option.get("type") == "number"]

    def plain(x: float) -> float:
        return int(x) if x == int(x) else x  # 1e15 written 1000000000000000

    def bound(prop: dict[str, Any] | None, low: float | None, high: float) -> None:
        for number in numbers(prop or {}):
            number.pop("exclusiveMinimum", None)
            if low is not None:
                number["minimum"] = plain(max(low, number.get("minimum", low)))
            number["maximum"] = plain(high)

    opportunity = defs.get("Opportunity", {}).get("properties", {})
    bound(opportunity.get("effort"), *EFFORT_RANGE)
    value = defs.get("ValueModel", {}).get("properties", {})
    bound(value.get("volume"), None, LARGEST)
    bound(value.get("leave"), -LARGEST, LARGEST)
    bound(value.get("outcomes", {}).get("additionalProperties"), -LARGEST, LARGEST)
    for model in ("Touchpoint", "Change"):
        props = defs.get(model, {}).get("properties", {})
        for field in ("cost", "revenue"):
            bound(props.get(field), None, LARGEST)


def _metric_values(result: dict[str, Any]) -> None:
    """Give the schema what the loader knows about metric values (journeymap/metrics.py).

    Each built-in metric's value, target and stage target gets its scale and the
    text it may be written as (`82%`, `1h30m`); a built-in's definition may not
    change its scale or direction; every metric name follows the loader's rule; a
    custom metric's text is a number or a percentage (its scale is the file's, so
    the loader checks its range). A target is never null: the loader refuses one.

    Each built-in gets its own copy of MetricValue and MetricDef rather than a
    ``$ref`` with narrowing siblings: the YAML language server merges such siblings
    into the referenced object and then flags its other keys (``source:``) as extra.
    """
    import copy

    from .metrics import BUILTIN, custom_text_pattern, value_schema

    defs = result.setdefault("$defs", {})
    custom = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": custom_text_pattern()}]}
    defs["MetricNumber"] = {"description": "A metric value: a number, or text such as 82% or 1h30m.", **custom}

    def value(name: str | None) -> dict[str, Any]:
        return {"$ref": f"#/$defs/metric-{name}" if name else "#/$defs/MetricNumber"}

    def narrowed(model: str, name: str | None) -> dict[str, Any]:
        """``model`` with its value and target taking ``name``'s values (a custom metric's if None)."""
        schema: dict[str, Any] = copy.deepcopy(defs[model])
        props = schema["properties"]
        for field in ("value", "target"):
            if field in props:
                props[field] = {**value(name), "description": props[field]["description"]}
        if name is not None:
            # A built-in's scale and direction are fixed (the loader's `builtin-metric` error).
            props.pop("scale", None)
            props.pop("better", None)
            schema["title"] = f"{schema['title']} ({BUILTIN[name].label})"
        return schema

    models = [m for m in ("MetricValue", "MetricDef") if m in defs]
    for name, spec in BUILTIN.items():
        defs[f"metric-{name}"] = value_schema(spec)
        for model in models:
            defs[f"{model}-{name}"] = narrowed(model, name)
    for model in models:
        defs[model] = narrowed(model, None)

    def metric_map(prop: dict[str, Any], each: Any) -> None:
        """A name -> metric mapping: built-ins by name, the rest by ``each(None)``."""
        prop["properties"] = {name: each(name) for name in BUILTIN}
        prop["additionalProperties"] = each(None)
        prop["propertyNames"] = {"pattern": METRIC_NAME_PATTERN}
        prop["patternProperties"] = {"^x-": {}}

    def entry(name: str | None) -> dict[str, Any]:
        measured = f"#/$defs/MetricValue-{name}" if name else "#/$defs/MetricValue"
        return {"anyOf": [value(name), {"$ref": measured}]}

    def definition(name: str | None) -> dict[str, Any]:
        return {"$ref": f"#/$defs/MetricDef-{name}" if name else "#/$defs/MetricDef"}

    if "Touchpoint" in defs:
        metric_map(defs["Touchpoint"]["properties"]["metrics"], entry)
    if "Stage" in defs:
        metric_map(defs["Stage"]["properties"]["targets"], value)
    metric_map(result["properties"]["metrics"], definition)


def field_docstrings() -> dict[str, dict[str, str]]:
    """Attribute docstrings of the model classes: ``{class: {field: docstring}}``.

    Read from the source of :mod:`journeymap.model` (a string literal right
    after an annotated attribute documents it, as in mkdocs' config).
    """
    import ast
    import inspect

    from . import model

    tree = ast.parse(inspect.getsource(model))
    docs: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields: dict[str, str] = {}
        body = node.body
        for statement, following in zip(body, body[1:], strict=False):
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                fields[statement.target.id] = inspect.cleandoc(following.value.value)
        docs[node.name] = fields
    return docs


def schema_json(*, library: bool = False) -> str:
    return json.dumps(schema(library=library), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


# -- the precompiled validator ------------------------------------------------
#
# `journeymap validate` checks files with a pydantic-core SchemaValidator built
# from journeymap/_coreschema.py, a plain-data copy of the models' core schema,
# so that it never imports pydantic's model machinery (half of its start-up
# time). The copy is generated from the models by core_schema_source() and a
# test fails when it is out of date: regenerate with
#     python -m journeymap.json_schema > journeymap/_coreschema.py


class _Code:
    """A name that pprint writes without quotes (a function in the generated module)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


def _plain(node: Any, functions: dict[Any, str]) -> Any:
    """The core schema as plain data: models become their field schemas, metadata goes."""
    if isinstance(node, dict):
        if node.get("type") == "model":
            inner = dict(node["schema"])
            inner["ref"] = node["ref"].split(":")[0]
            inner["extra_behavior"] = node.get("config", {}).get("extra_fields_behavior", "ignore")
            return _plain(inner, functions)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("metadata", "cls", "serialization", "custom_init", "root_model", "post_init"):
                continue
            if key == "default":
                value = None  # defaults don't matter for checking (validate_default is off)
            elif key in ("schema_ref", "ref") and isinstance(value, str):
                value = value.split(":")[0]
            out[key] = _plain(value, functions)
        return out
    if isinstance(node, list):
        return [_plain(item, functions) for item in node]
    if callable(node):
        if node not in functions:
            raise ValueError(f"core schema refers to {node!r}, which _coreschema.py cannot import")
        return _Code(functions[node])
    return node


def core_schema_source() -> str:
    """The text of journeymap/_coreschema.py for the current models."""
    import pprint

    from . import _coerce
    from .model import Journey, Library

    functions = {
        _coerce.number_to_text: "number_to_text",
        _coerce.short_flow: "short_flow",
        _coerce.short_metric: "short_metric",
        _coerce.duration: "duration",
    }
    parts = [
        '"""Generated by `python -m journeymap.json_schema` from journeymap/model.py: do not edit.',
        "",
        "The models' core schema as plain data, for a validator that needs no pydantic",
        "model machinery (see journeymap/json_schema.py).",
        '"""',
        "",
        "# fmt: off",
        "from ._coerce import duration, number_to_text, short_flow, short_metric",
        "",
    ]
    for name, model in (("JOURNEY", Journey), ("LIBRARY", Library)):
        model.model_rebuild()
        plain = _plain(model.__pydantic_core_schema__, functions)
        parts.append(f"{name} = {pprint.pformat(plain, width=100, sort_dicts=False)}")
        parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    import sys

    sys.stdout.write(core_schema_source())
