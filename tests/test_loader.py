"""The loader on good input: edge cases load, values are normalised, imports merge, spans point home."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from benchmarks.generate import generate_journey
from journeymap.loader import Loader, check, find_journey_files, load, load_text
from journeymap.problems import JourneyError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = sorted(FIXTURES.glob("good/*.yaml"))
IMPORTS_GOOD = [FIXTURES / "imports/nested/nested.journey.yaml", FIXTURES / "imports/override/override.journey.yaml"]


@pytest.mark.parametrize("path", GOOD + IMPORTS_GOOD, ids=lambda p: p.name)
def test_good_edge_cases_load_without_any_problem(path: Path) -> None:
    result = check(path)
    assert result.problems == [], [str(p) for p in result.problems]
    assert result.journey is not None
    assert result.journey.source == path


def test_sample_journeys_have_no_errors(sample_files: list[Path]) -> None:
    assert sample_files, "no sample journeys"
    for path in sample_files:
        result = check(path)
        assert result.errors == [], [str(p) for p in result.errors]
        assert result.journey is not None


def test_the_readmes_format_example_is_a_whole_valid_journey(tmp_path: Path) -> None:
    """An author copies it to start a journey: it must load as written, with no problem."""
    readme = (FIXTURES.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The journey file format") :]
    example = section[section.index("```yaml\n") + len("```yaml\n") : section.index("\n```\n")]
    path = tmp_path / "example.journey.yaml"
    path.write_text(example + "\n", encoding="utf-8")
    result = check(path)
    assert result.problems == [], [str(p) for p in result.problems]


@pytest.mark.parametrize(("n", "seed"), [(3, 1), (50, 2), (500, 3), (2000, 1)])
def test_generated_journeys_load_cleanly(n: int, seed: int) -> None:
    journey = load_text(generate_journey(n, seed), "generated.yaml")
    assert len(journey.touchpoints) == n


def test_minimal_journey() -> None:
    journey = load(FIXTURES / "good/minimal.journey.yaml")
    assert journey.id == "minimal"
    assert [t.id for t in journey.touchpoints] == ["visit"]
    assert journey.weak.min_n == 30
    assert journey.touchpoints[0].personas is None


def test_anchors_aliases_and_merge_keys() -> None:
    journey = load(FIXTURES / "good/anchors-merge.journey.yaml")
    call, chat = journey.touchpoints
    assert (call.channel, call.owner, call.systems) == ("phone", "Contact centre", ["crm", "ticketing"])
    # <<: [*web, *phone]: the first source wins a key; the mapping's own key wins over both.
    assert (chat.channel, chat.owner, chat.systems) == ("web", "Chat team", ["crm", "ticketing"])
    assert [(f.type, f.severity) for f in chat.friction] == [("wait", 3), ("wait", 4)]


def test_x_keys_are_ignored_everywhere() -> None:
    journey = load(FIXTURES / "good/x-keys.journey.yaml")
    dumped = repr(journey.model_dump())
    for ignored in ("x-owner-email", "x-segment", "x-jira", "CX-123", "x-ticket", "x-weight", "x-raw", "x-why", "x-note"):
        assert ignored not in dumped
    assert journey.touchpoints[0].metrics["csat"].value == 0.9


def test_metric_values_are_normalised() -> None:
    journey = load(FIXTURES / "good/metric-forms.journey.yaml")
    by_id = journey.touchpoint_by_id
    assert by_id["t45s"].metrics["csat"].value == pytest.approx(0.82)
    assert by_id["t45s"].metrics["response_time"].value == 45
    assert by_id["t2m"].metrics["response_time"].value == 120
    assert by_id["t1h30m"].metrics["response_time"].value == 5400
    assert by_id["t1h30m"].metrics["response_time"].target == 1800
    assert by_id["t3d"].metrics["response_time"].value == 3 * 86400
    assert by_id["t90"].metrics["response_time"].value == 90
    assert by_id["t90"].metrics["conversion"].value == 1.0
    csat = by_id["t2m"].metrics["csat"]
    assert (csat.value, csat.n, csat.target, csat.period, csat.source) == (0.62, 340, 0.7, "2026-Q3", "Qualtrics")
    assert by_id["t1h30m"].metrics["fcr"].value == pytest.approx(0.7)
    assert journey.stages[0].targets == {"csat": pytest.approx(0.85), "response_time": 3600}
    assert journey.metrics["response_time"].target == 600
    for touchpoint in journey.touchpoints:
        for value in touchpoint.metrics.values():
            assert isinstance(value.value, float)


def test_yaml_12_scalars_are_text_where_text_is_expected() -> None:
    journey = load(FIXTURES / "good/yaml12-scalars.journey.yaml")
    assert (journey.title, journey.description, journey.owner, journey.version) == ("no", "on", "off", "1:30")
    assert journey.tags == ["yes", "no", "on", "off", "y", "n", "2024-03-01", "0755", "1_000"]
    touchpoint = journey.touchpoints[0]
    assert (touchpoint.id, touchpoint.stage, touchpoint.channel, touchpoint.personas) == ("yes", "off", "on", ["no"])
    assert touchpoint.thought == "12:30"


def test_bom_and_crlf_keep_positions_right() -> None:
    path = FIXTURES / "good/bom-crlf.journey.yaml"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()
    journey = load(path)
    assert journey.title == "BOM and CRLF line endings"
    span = journey.span("touchpoints", "visit")
    assert span is not None and (span.line, span.col) == (8, 5)
    # And problems in such a file point at the right place.
    raw = path.read_bytes().replace(b"stage: buy, channel", b"stage: bye, channel")
    problems = Loader().check(path, raw=raw).problems
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(6, 15, "empty-stage"), (8, 38, "unknown-reference")]


def test_unicode_names() -> None:
    journey = load(FIXTURES / "good/unicode.journey.yaml")
    assert journey.title == "Première commande — 初めての注文 🛒"
    assert journey.personas[0].name == "Zoë Ångström"
    assert journey.stages[0].name == "購入"
    span = journey.span("touchpoints", "pay")
    assert span is not None and (span.line, span.col) == (15, 5)


# -- imports --------------------------------------------------------------------------------


def test_nested_imports_merge_personas_channels_and_metrics() -> None:
    journey = load(FIXTURES / "imports/nested/nested.journey.yaml")
    assert [p.id for p in journey.personas] == ["deep-persona", "mid-persona", "local"]
    assert [c.id for c in journey.channels] == ["phone", "web", "kiosk"]
    assert set(journey.metrics) == {"fcr", "recontact", "csat"}
    assert journey.metrics["fcr"].target == pytest.approx(0.7)
    assert journey.touchpoint_by_id["call"].metrics["recontact"].value == pytest.approx(0.1)
    deep = journey.span("personas", "deep-persona")
    assert deep is not None and deep.file.endswith(os.path.join("deeper", "base.yaml"))


def test_override_replaces_an_imported_definition_in_place() -> None:
    journey = load(FIXTURES / "imports/override/override.journey.yaml")
    assert [(p.id, p.name, p.share) for p in journey.personas] == [("shopper", "Local shopper", 0.5), ("visitor", "Visitor", None)]
    assert [(c.id, c.name) for c in journey.channels] == [("web", "Our website"), ("app", "App")]
    assert (journey.metrics["fcr"].label, journey.metrics["fcr"].target) == ("FCR (ours)", pytest.approx(0.9))
    own = journey.span("personas", "shopper")
    imported = journey.span("personas", "visitor")
    assert own is not None and own.file.endswith("override.journey.yaml")
    assert imported is not None and imported.file.endswith(os.path.join("lib", "shared.yaml"))


def test_a_library_imported_twice_is_read_once() -> None:
    loader = Loader()
    first = loader.check(FIXTURES / "imports/override/override.journey.yaml")
    second = loader.check(FIXTURES / "imports/override/override.journey.yaml")
    assert first.journey is not None and second.journey is not None
    assert len(loader._libraries) == 1


def test_an_import_through_a_symlink_loop_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "loop-a.yaml").symlink_to(tmp_path / "loop-b.yaml")
    (tmp_path / "loop-b.yaml").symlink_to(tmp_path / "loop-a.yaml")
    text = (FIXTURES / "good/minimal.journey.yaml").read_text().replace("title:", "imports: [loop-a.yaml]\ntitle:", 1)
    result = Loader(root=tmp_path).check(tmp_path / "j.yaml", raw=text.encode())
    assert [p.code for p in result.problems] == ["import-missing"], [str(p) for p in result.problems]


def test_a_journey_reached_through_a_symlink_imports_as_the_file_itself_does(tmp_path: Path) -> None:
    """The repository was the real file's, the imports relative to the link: a journey linked into
    another folder had 'import-escape' (or 'import-missing') for the library beside the real file."""
    shutil.copytree(FIXTURES / "imports/override", tmp_path / "team")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "override.journey.yaml").symlink_to(tmp_path / "team" / "override.journey.yaml")
    result = check(tmp_path / "docs" / "override.journey.yaml")
    assert result.problems == [], [str(p) for p in result.problems]
    assert result.journey is not None and [p.id for p in result.journey.personas] == ["shopper", "visitor"]


def test_checking_a_library_file_directly() -> None:
    result = check(FIXTURES / "imports/nested/lib/shared.yaml")
    assert result.is_library and result.problems == [] and result.journey is None
    with pytest.raises(JourneyError) as info:
        load(FIXTURES / "imports/nested/lib/shared.yaml")
    assert [p.code for p in info.value.problems] == ["not-a-journey"]


# -- load / check / load_text ------------------------------------------------------------------


def test_load_raises_with_every_problem() -> None:
    with pytest.raises(JourneyError) as info:
        load(FIXTURES / "bad/every-problem.yaml")
    assert len(info.value.errors) >= 10
    assert "(and " in str(info.value)
    positions = [(p.span.line, p.span.col) for p in info.value.problems]
    assert positions == sorted(positions)


def test_warnings_do_not_stop_a_load() -> None:
    text = (FIXTURES / "good/minimal.journey.yaml").read_text()
    text = text.replace("stages: [{id: buy, name: Buy}]", "stages: [{id: buy, name: Buy}, {id: unused, name: Unused}]")
    result = Loader().check("w.yaml", raw=text.encode())
    assert [(p.code, p.level) for p in result.problems] == [("empty-stage", "warning")]
    assert result.journey is not None


def test_load_text() -> None:
    text = (FIXTURES / "good/minimal.journey.yaml").read_text()
    journey = load_text(text, "inline.yaml")
    assert journey.id == "minimal"
    with pytest.raises(JourneyError) as info:
        load_text(text.replace("stage: buy", "stage: bye"), "inline.yaml")
    assert [str(p.span) for p in info.value.errors] == ["inline.yaml:8:38"]


def test_a_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    result = check(tmp_path / "nope.yaml")
    assert [p.code for p in result.problems] == ["io"]


def test_spans_point_at_definitions() -> None:
    journey = load(FIXTURES / "good/metric-forms.journey.yaml")
    span = journey.span("touchpoints", "t2m", "metrics", "csat")
    assert span is not None and (span.line, span.col) == (29, 7)
    span = journey.span("touchpoints", "t45s", "next", "t2m")
    assert span is not None and (span.line, span.col) == (15, 12)
    span = journey.span("metrics", "fcr")
    assert span is not None and (span.line, span.col) == (59, 3)
    assert journey.span("journey") is not None
    assert journey.span("touchpoints", "nope") is None


def test_find_journey_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("journeymap: 1\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yml").write_text("# comment\njourneymap: 1\n")
    (tmp_path / "sub" / "other.yaml").write_text("name: not a journey\n")
    (tmp_path / "sub" / "nested.yaml").write_text("x:\n  journeymap: 1\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.yaml").write_text("journeymap: 1\n")
    (tmp_path / "notes.txt").write_text("journeymap: 1\n")
    found = list(find_journey_files([tmp_path]))
    assert found == [tmp_path / "a.yaml", tmp_path / "sub" / "b.yml"]
    # A file named directly is taken as it is.
    assert list(find_journey_files([tmp_path / "notes.txt"])) == [tmp_path / "notes.txt"]


def test_numeric_ids_are_slugs_and_references_to_them_work() -> None:
    text = (
        "journeymap: 1\nid: 2024\ntitle: Numeric ids\n"
        "personas: [{id: 1, name: First}]\nchannels: [{id: 2, name: Second}]\n"
        "stages: [{id: 2024, name: This year}]\ntouchpoints:\n"
        "  - {id: 10, name: Ten, stage: 2024, channel: 2, personas: [1], next: [12]}\n"
        "  - {id: 12, name: Twelve, stage: 2024, channel: 2, next: [{to: 14}]}\n"
        "  - {id: 14, name: Fourteen, stage: 2024, channel: 2}\n"
    )
    journey = load_text(text, "numeric.yaml")
    assert journey.id == "2024"
    assert [(t.id, t.stage, t.channel, [f.to for f in t.next]) for t in journey.touchpoints] == [
        ("10", "2024", "2", ["12"]),
        ("12", "2024", "2", ["14"]),
        ("14", "2024", "2", []),
    ]
    assert journey.touchpoints[0].personas == ["1"]
    assert journey.span("touchpoints", "12") is not None


def test_integers_in_text_fields_keep_how_they_were_written() -> None:
    text = (FIXTURES / "good/minimal.journey.yaml").read_text()
    text = text.replace("title: The smallest valid journey", "title: 0x1F\nversion: 007")
    text = text.replace("{id: shopper, name: Shopper}", "{id: 01, name: +3}").replace("- {id: visit,", "- {id: 010, personas: [01],")
    journey = load_text(text, "zeros.yaml")
    assert (journey.title, journey.version) == ("0x1F", "007")
    assert (journey.personas[0].id, journey.personas[0].name) == ("01", "+3")
    assert (journey.touchpoints[0].id, journey.touchpoints[0].personas) == ("010", ["01"])


def test_a_mapping_written_as_a_list_in_square_brackets_is_told_the_curly_ones(tmp_path: Path) -> None:
    """'targets: [csat: 0.9]' (a flow list of one pair) was told only that it must be a mapping."""
    path = tmp_path / "t.journey.yaml"
    path.write_text(
        "journeymap: 1\nid: t\ntitle: T\npersonas: [{id: p, name: P}]\nchannels: [{id: web, name: Web}]\n"
        "stages:\n  - {id: buy, name: Buy, targets: [csat: 0.9]}\n"
        "touchpoints:\n  - {id: pay, name: Pays, stage: buy, channel: web, outcome: success}\n", encoding="utf-8")
    assert [(p.span.line, p.span.col, p.code, p.hint) for p in check(path).problems] == [
        (7, 35, "wrong-type",
         "'targets' is a mapping: write its keys one under another without a '-' before each, or in curly brackets: {csat: 0.9}")]
