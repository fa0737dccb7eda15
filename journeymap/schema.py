"""The JSON Schema of the journey file format, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://journeymap.invalid/schema/v1.json"


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
            prop = definition.get("properties", {}).get(field)
            if prop is not None:
                prop["description"] = description
    result = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **result}
    result["title"] = "journeymap library file" if library else "journeymap journey file"
    # A `# yaml-language-server: $schema=...` comment is a comment; nothing to add.
    return result


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
        for statement, following in zip(body, body[1:]):
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
