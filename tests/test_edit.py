"""Edits of journey files through fmt's splice engine: add_to_touchpoint and edit_file (the one door)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.fmt import (
    EditConflict,
    EditError,
    _facts,
    add_to_touchpoint,
    edit_file,
    yaml_quoted,
)

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "sample_journeys"

BLOCK = """journeymap: 1
id: j   # the id
touchpoints:
  - id: a   # first
    name: A
    opportunities:
      - Old idea   # keep me
    # a comment about metrics
    metrics: {csat: 0.5}

  - id: b
    name: B
    friction: [{type: wait, severity: 2}]
  - {id: c, name: C}
# the end
"""


def _load(text: str) -> dict:
    return yaml.safe_load(text)


def test_appends_to_a_block_list_keeping_every_comment() -> None:
    out = add_to_touchpoint(BLOCK, "a", "opportunities", "New idea")
    assert "      - Old idea   # keep me\n      - \"New idea\"\n    # a comment about metrics\n" in out
    assert _load(out)["touchpoints"][0]["opportunities"] == ["Old idea", "New idea"]
    assert sorted(_facts(out)[1]) == sorted(_facts(BLOCK)[1])


def test_appends_to_a_flow_list_and_a_flow_mapping() -> None:
    out = add_to_touchpoint(BLOCK, "b", "friction", {"type": "other", "severity": 3, "note": "Slow"})
    assert _load(out)["touchpoints"][1]["friction"][-1] == {"type": "other", "severity": 3, "note": "Slow"}
    out = add_to_touchpoint(BLOCK, "c", "opportunities", "Idea")
    assert _load(out)["touchpoints"][2] == {"id": "c", "name": "C", "opportunities": ["Idea"]}


def test_adds_the_key_when_the_touchpoint_has_none() -> None:
    out = add_to_touchpoint(BLOCK, "b", "opportunities", "Idea")
    assert "    friction: [{type: wait, severity: 2}]\n    opportunities:\n      - \"Idea\"\n  - {id: c" in out


def test_unknown_touchpoint_and_inherited_lists_are_refused() -> None:
    with pytest.raises(EditError, match="touchpoint 'zz' is not in the file"):
        add_to_touchpoint(BLOCK, "zz", "opportunities", "x")
    merged = "x-base: &base\n  opportunities: [Inherited]\ntouchpoints:\n  - id: a\n    <<: *base\n"
    with pytest.raises(EditError, match="merge key"):
        add_to_touchpoint(merged, "a", "opportunities", "x")


def test_crlf_and_bom_are_kept() -> None:
    text = "\ufeff" + BLOCK.replace("\n", "\r\n")
    out = add_to_touchpoint(text, "b", "opportunities", "Idea")
    assert out.startswith("\ufeff") and "\n" not in out.replace("\r\n", "")


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_text_is_written_as_text(text: str) -> None:
    out = add_to_touchpoint(BLOCK, "a", "opportunities", text)
    assert _load(out)["touchpoints"][0]["opportunities"][-1] == text
    assert yaml.safe_load(yaml_quoted(text)) == text


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.journey.yaml")), ids=lambda p: p.name)
def test_every_touchpoint_of_the_samples_can_take_both_kinds(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for tp in _load(text)["touchpoints"]:
        add_to_touchpoint(text, tp["id"], "opportunities", "An idea: #1")
        add_to_touchpoint(text, tp["id"], "friction", {"type": "other", "severity": 3, "note": "n"})


def test_edit_file_writes_validates_and_refuses_stale_reads(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES / "library", tmp_path / "library")
    path = tmp_path / "g.journey.yaml"
    shutil.copy(SAMPLES / "grocery-first-order.journey.yaml", path)
    before = path.read_bytes()
    digest = hashlib.sha256(before).hexdigest()
    with pytest.raises(EditConflict):
        edit_file(path, lambda t: t, expected_hash="0" * 64)
    with pytest.raises(EditError) as caught:  # an edit that breaks the file is never written
        edit_file(path, lambda t: t.replace("stage: checkout", "stage: nowhere", 1), expected_hash=digest)
    assert "unknown stage 'nowhere'" in str(caught.value)
    assert path.read_bytes() == before
    new_hash = edit_file(
        path, lambda t: add_to_touchpoint(t, "choose-delivery-slot", "opportunities", "Earlier slots"), expected_hash=digest
    )
    assert new_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "Earlier slots" in path.read_text(encoding="utf-8")


def test_edit_file_refuses_a_save_that_lands_while_it_works(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES / "library", tmp_path / "library")
    path = tmp_path / "g.journey.yaml"
    shutil.copy(SAMPLES / "grocery-first-order.journey.yaml", path)

    def edit(text: str) -> str:
        path.write_text(text + "# saved by someone else\n", encoding="utf-8")
        return add_to_touchpoint(text, "choose-delivery-slot", "opportunities", "x")

    with pytest.raises(EditConflict):
        edit_file(path, edit)
    assert path.read_text(encoding="utf-8").endswith("# saved by someone else\n")


# -- one door: add_to_touchpoint is an Editor edit ---------------------------------


def test_a_new_list_goes_before_a_trailing_block_scalar() -> None:
    text = "touchpoints:\n  - id: a   # first\n    name: A\n    description: |\n      Long\n      text\n\n  - id: b\n"
    out = add_to_touchpoint(text, "a", "opportunities", "Idea")
    assert out == text.replace("    description: |", '    opportunities:\n      - "Idea"\n    description: |')
    assert _load(out)["touchpoints"][0]["description"] == "Long\ntext\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("touchpoints:\n  - &t\n    id: a\n    name: A\n", "anchored part (&t)"),
        ("touchpoints:\n  - id: a\n    opportunities: &o [x]\n", "anchored part (&o)"),
        ("x-o: &o [x]\ntouchpoints:\n  - id: a\n    opportunities: *o\n", "alias (*o)"),
        ("touchpoints:\n  - id: a\n    opportunities:\n", "not a list"),
        ("touchpoints:\n  - id: a\n    opportunities: {x: 1}\n", "not a list"),
    ],
)
def test_places_other_parts_may_share_are_refused_by_the_engine(text: str, reason: str) -> None:
    with pytest.raises(EditError) as caught:
        add_to_touchpoint(text, "a", "opportunities", "x")
    assert reason in str(caught.value) and "the file was left as it is" in str(caught.value)


def test_an_unsafe_splice_is_refused_not_written(monkeypatch: pytest.MonkeyPatch) -> None:
    import journeymap.fmt as fmt

    monkeypatch.setattr(fmt, "yaml_quoted", lambda text: '"something else"')
    with pytest.raises(EditError, match="edit-unsafe"):
        add_to_touchpoint(BLOCK, "a", "opportunities", "New idea")


def test_the_digest_and_the_data_readings_agree() -> None:
    from journeymap.fmt import _facts_data

    texts = [
        BLOCK,
        "a: &x {p: [1, 1.0, true, '1']}\nb: *x\nc: !t {q: 2}\n? [k]\n: v\n",
        "a: 1\na: 2\n<<: {b: 3}\n",
    ]
    for one in texts:
        for other in texts:
            assert (_facts(one)[0] == _facts(other)[0]) == (_facts_data(one)[0] == _facts_data(other)[0])
        assert _facts(one)[1] == _facts_data(one)[1]
    assert _facts_data("c: !t {q: 2}\n? !t {k: 1}\n: v\n")[0]["c"] == [("tagged", "!t", {"q": [("plain", "int", "2")]})]


@pytest.mark.parametrize(
    ("written", "filled"),
    [
        ("next:\n  - to: pay\n    share:\n", "next:\n  - to: pay\n    share: 0.4\n"),
        ("next:\n  - to: pay\n    share:    # to fill in\n", "next:\n  - to: pay\n    share: 0.4    # to fill in\n"),
        ("next: [{to: pay, share: , label: Pays}]\n", "next: [{to: pay, share: 0.4, label: Pays}]\n"),
        ("next: [{to: pay, share: }]\n", "next: [{to: pay, share: 0.4}]\n"),
    ],
)
def test_an_empty_value_is_filled_after_its_colon(written: str, filled: str) -> None:
    """'share:' left to fill in (a null: no share) made the editor refuse the place ('it is empty'), so
    calibrate left every flow of the touchpoint out."""
    from journeymap.fmt import Editor

    editor = Editor(written)
    editor.update(("next", ("to", "pay")), {"share": 0.4})
    assert editor.result() == filled
