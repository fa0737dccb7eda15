"""The precompiled validator (journeymap/_coreschema.py) must match the models."""

from __future__ import annotations

from pathlib import Path

import pytest

import journeymap._coreschema as coreschema
from journeymap.json_schema import core_schema_source
from journeymap.loader import Loader


def test_coreschema_is_generated_from_current_models(request: pytest.FixtureRequest) -> None:
    path = Path(coreschema.__file__)
    expected = core_schema_source()
    if request.config.getoption("--update-goldens"):
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected, (
        "journeymap/_coreschema.py is out of date: run "
        "`python -m journeymap.json_schema > journeymap/_coreschema.py` (or pytest --update-goldens)"
    )


def test_checking_without_models_finds_the_same_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.journey.yaml"
    bad.write_text(
        "journeymap: 1\nid: x\ntitle: X\npersonas: [{id: p, name: P}]\n"
        "channels: [{id: app, name: App, kind: digitl}]\nstages: [{id: s, name: S}]\n"
        "touchpoints:\n  - {id: a, name: A, stage: s, channel: app, emotion: 5, nmae: x}\n",
        encoding="utf-8",
    )
    fast = Loader(build=False).check(bad).problems
    full = Loader(build=True).check(bad).problems
    assert [(p.span, p.code) for p in fast] == [(p.span, p.code) for p in full]
    assert {p.code for p in fast} >= {"invalid-value", "out-of-range", "unknown-key"}


def test_build_false_checks_but_builds_nothing(sample_files: list[Path]) -> None:
    for path in sample_files:
        result = Loader(build=False).check(path)
        assert result.errors == []
        assert result.journey is None
        assert Loader().check(path).journey is not None
