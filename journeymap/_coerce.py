"""Before-validators shared by the pydantic models and the precompiled validator.

They live apart from :mod:`journeymap.model` so that ``journeymap validate`` can
check a file with :mod:`journeymap._coreschema` without importing pydantic's
model machinery.
"""

from __future__ import annotations

from typing import Any


def number_to_text(value: Any) -> Any:
    """`name: 2024` is text to an author; ints convert losslessly (`007` stays "007").

    A float does not (1.10 would become "1.1"), so it stays an error asking for quotes.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(getattr(value, "text", value))  # yamlio.YInt keeps `007` as written
    return value


def short_flow(value: Any) -> Any:
    """``next: [verify-email]`` is short for ``next: [{to: verify-email}]``."""
    if isinstance(value, str):
        return {"to": value}
    return value


def short_metric(value: Any) -> Any:
    """``csat: 0.7`` is short for ``csat: {value: 0.7}``."""
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return {"value": value}
    return value


def duration(value: Any) -> Any:
    """``4m``, ``1h30m``, ``3d`` or a number of seconds, as seconds; anything else is left for the type check."""
    if isinstance(value, str):
        from .metrics import parse_duration

        seconds = parse_duration(value.strip())
        if seconds is None:
            raise ValueError(f"'{value}' is not a duration: write 45s, 2m, 1h30m, 3d or a number of seconds")
        return seconds
    return value
