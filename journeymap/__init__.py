"""journeymap: customer journeys as code.

The public API (everything the command line does is one of these):

>>> import journeymap
>>> journey = journeymap.load("sample_journeys/telecom-support.journey.yaml")
>>> [p.message for p in journeymap.check("broken.journey.yaml").problems]  # doctest: +SKIP

Names are imported lazily so that ``import journeymap`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "analyze": "analysis",
    "JourneyGraph": "graph",
    "load": "loader",
    "load_text": "loader",
    "check": "loader",
    "find_journey_files": "loader",
    "LoadResult": "loader",
    "Journey": "model",
    "Persona": "model",
    "Channel": "model",
    "Stage": "model",
    "Touchpoint": "model",
    "Flow": "model",
    "Friction": "model",
    "MetricValue": "model",
    "MetricDef": "model",
    "Problem": "problems",
    "Span": "problems",
    "JourneyError": "problems",
    "format_problems": "problems",
    "schema": "json_schema",
    "diff": "changes",
    "format_text": "fmt",
    "lint": "rules",
    "render_html": "render.html",
    "render_dot": "render.dot",
    "render_mermaid": "render.mermaid",
    "what_if": "scenarios",
    "what_ifs": "scenarios",
    "assess_opportunities": "opportunities",
    "calibrate": "calibrate",
}

__all__ = [*_EXPORTS, "__version__"]

if TYPE_CHECKING:
    from .analysis import analyze
    from .calibrate import calibrate
    from .changes import diff
    from .fmt import format_text
    from .graph import JourneyGraph
    from .json_schema import schema
    from .loader import LoadResult, check, find_journey_files, load, load_text
    from .model import (
        Channel,
        Flow,
        Friction,
        Journey,
        MetricDef,
        MetricValue,
        Persona,
        Stage,
        Touchpoint,
    )
    from .opportunities import assess_opportunities
    from .problems import JourneyError, Problem, Span, format_problems
    from .render.dot import render_dot
    from .render.html import render_html
    from .render.mermaid import render_mermaid
    from .rules import lint
    from .scenarios import what_if, what_ifs


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'journeymap' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value
