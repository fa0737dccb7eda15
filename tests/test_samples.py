"""The sample journeys are the first thing a newcomer sees: they must be exemplary."""

from __future__ import annotations

from pathlib import Path

import pytest

import journeymap
from journeymap.fmt import format_text
from journeymap.loader import check

ROOT_DIR = Path(__file__).resolve().parent.parent
SAMPLES = ROOT_DIR / "sample_journeys"


def test_there_are_at_least_four_rich_samples(sample_files: list[Path]) -> None:
    assert len(sample_files) >= 4
    for path in sample_files:
        journey = journeymap.load(path)
        assert len(journey.touchpoints) >= 15, path
        assert len(journey.personas) >= 3 and len(journey.channels) >= 4, path
        outcomes = {t.outcome for t in journey.touchpoints}
        assert {"success", "failure"} <= outcomes, path
        assert any(f.share is not None for t in journey.touchpoints for f in t.next), path
        assert any(t.friction for t in journey.touchpoints) and any(t.metrics for t in journey.touchpoints), path
    assert any(journeymap.load(p).imports for p in sample_files)


def test_samples_validate_without_warnings(sample_files: list[Path]) -> None:
    for path in sample_files:
        assert check(path).problems == [], path


def test_samples_are_in_canonical_layout(sample_files: list[Path]) -> None:
    for path in sample_files:
        text = path.read_text(encoding="utf-8")
        assert format_text(text, filename=str(path)) == text, f"run: journeymap fmt {path}"


def test_every_sample_has_weak_touchpoints_with_reasons(sample_files: list[Path]) -> None:
    for path in sample_files:
        analysis = journeymap.analyze(journeymap.load(path))
        assert 1 <= len(analysis.weak) < len(analysis.touchpoints), path
        for ident in analysis.weak:
            assert analysis.touchpoints[ident].reasons, (path, ident)
        assert 0 < analysis.conversion < 1, path


def test_committed_json_schemas_are_current(request: pytest.FixtureRequest) -> None:
    """sample_journeys/*.schema.json let an editor opened on the repository complete and check the samples."""
    from journeymap.json_schema import schema_json

    for name, library in (("journeymap.schema.json", False), ("journeymap-library.schema.json", True)):
        path = SAMPLES / name
        expected = schema_json(library=library)
        if request.config.getoption("--update-goldens"):
            path.write_text(expected, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == expected, f"regenerate: journeymap schema{' --library' * library} -o {path}"


def test_samples_name_the_committed_schema(sample_files: list[Path]) -> None:
    for path in sample_files:
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=./journeymap.schema.json\n")


def test_format_contract_only_grows() -> None:
    """docs/FORMAT.md grew from the shared format contract (../shared/FORMAT.md): fields are added,
    never renamed or re-meant, so every line of the shared contract is still there, in order."""
    shared = ROOT_DIR.parent / "shared" / "FORMAT.md"
    ours = ROOT_DIR / "docs" / "FORMAT.md"
    assert ours.exists()
    if shared.exists():  # beside the repository in development and CI
        lines = iter(ours.read_text(encoding="utf-8").splitlines())
        missing = [line for line in shared.read_text(encoding="utf-8").splitlines() if not any(line == o for o in lines)]
        assert missing == [], f"docs/FORMAT.md changed or dropped lines of the shared contract: {missing[:3]}"
