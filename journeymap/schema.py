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
    result = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **result}
    result["title"] = "journeymap library file" if library else "journeymap journey file"
    # A `# yaml-language-server: $schema=...` comment is a comment; nothing to add.
    return result


def schema_json(*, library: bool = False) -> str:
    return json.dumps(schema(library=library), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
