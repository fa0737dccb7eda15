"""Mermaid ``journey`` export: golden files, and a port of Mermaid's journey lexer to read it back.

The lexer below follows mermaid-js ``user-journey/parser/journey.jison`` rule
for rule (case-insensitive, first matching rule wins, as Jison does without
``%options flex``); the parser follows its grammar and ``journeyDb.addTask``.
Reading our output back with it shows that every title, section, task name,
score and actor survives Mermaid's grammar as the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import journeymap
from journeymap.render.escape import mermaid_text, one_line
from journeymap.render.mermaid import mermaid_score, render_mermaid

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "fixtures" / "hostile.journey.yaml"
SMALL = HERE / "fixtures" / "render" / "small.journey.yaml"
#: Three stages without touchpoints: Mermaid draws a section only around its tasks, so they have no section (the
#: flow diagram draws them empty; a placeholder task would carry a score, an emotion the stage does not have).
EMPTY_STAGES = HERE / "fixtures" / "render" / "empty-stages.journey.yaml"
SAMPLES = sorted((HERE.parent / "sample_journeys").glob("*.journey.yaml"))

_I = re.IGNORECASE
# (pattern, token or None to skip) in journey.jison's order, INITIAL state.
RULES = [
    (re.compile(r"%%(?!\{)[^\n]*", _I), None),
    (re.compile(r"[^\}]%%[^\n]*", _I), None),
    (re.compile(r"[\n]+", _I), "NEWLINE"),
    (re.compile(r"\s+", _I), None),
    (re.compile(r"#[^\n]*", _I), None),
    (re.compile(r"journey", _I), "journey"),
    (re.compile(r"title\s[^#\n;]+", _I), "title"),
    (re.compile(r"accTitle\s*:\s*", _I), "acc_title"),
    (re.compile(r"accDescr\s*:\s*", _I), "acc_descr"),
    (re.compile(r"accDescr\s*\{\s*", _I), "acc_descr_multiline"),
    (re.compile(r"section\s[^#:\n;]+", _I), "section"),
    (re.compile(r"[^#:\n;]+", _I), "taskName"),
    (re.compile(r":[^#\n;]+", _I), "taskData"),
    (re.compile(r":", _I), ":"),
    (re.compile(r".", _I | re.DOTALL), "INVALID"),
]


def tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        for pattern, kind in RULES:
            match = pattern.match(text, pos)
            if match is None or not match.group(0):
                continue
            pos = match.end()
            if kind in ("acc_title", "acc_descr"):
                value = re.compile(r"[^\n]*").match(text, pos)
                assert value is not None
                out.append((kind, match.group(0)))
                out.append((kind + "_value", value.group(0)))
                pos = value.end()
            elif kind is not None:
                out.append((kind, match.group(0)))
            break
    return out


@dataclass
class Parsed:
    title: str | None = None
    description: str | None = None
    sections: list[str] = field(default_factory=list)
    tasks: list[tuple[str, str, float, list[str]]] = field(default_factory=list)


def parse(text: str) -> Parsed:
    """Mermaid's journey grammar; raises AssertionError where Mermaid would raise a parse error."""
    toks = [t for t in tokens(text) if t[0] != "NEWLINE"]
    assert toks and toks[0][0] == "journey", toks[:3]
    parsed = Parsed()
    section = ""
    i = 1
    while i < len(toks):
        kind, value = toks[i]
        assert kind != "INVALID", f"invalid character {value!r}"
        if kind == "title":
            parsed.title = value[6:]
        elif kind == "section":
            section = value[8:]
            parsed.sections.append(section)
        elif kind == "acc_descr":
            i += 1
            parsed.description = toks[i][1].strip()
        elif kind == "acc_title":
            i += 1
        elif kind == "taskName":
            assert i + 1 < len(toks) and toks[i + 1][0] == "taskData", f"task {value!r} has no ': score'"
            pieces = toks[i + 1][1][1:].split(":")
            score = float(pieces[0])
            people = [p.strip() for p in pieces[1].split(",")] if len(pieces) > 1 else []
            parsed.tasks.append((section, value, score, people))
            i += 1
        else:
            raise AssertionError(f"unexpected token {kind} {value!r}")
        i += 1
    return parsed


_BACK = str.maketrans({"\uff1a": ":", "\uff03": "#", "\uff1b": ";", "\uff1c": "<", "\uff1e": ">", "\u201a": ","})


def unescape(text: str) -> str:
    return text.strip().replace("\u200b", "").translate(_BACK)


def as_written(text: str) -> str:
    """What the journey said, as Mermaid can show it: one line, ``%%`` as ``%``."""
    return re.sub("%{2,}", "%", one_line(text))


@pytest.mark.parametrize("path", [SMALL, HOSTILE, EMPTY_STAGES, *SAMPLES], ids=lambda p: p.name)
def test_mermaid_matches_golden(path: Path, golden) -> None:
    journey = journeymap.load(path)
    golden.check(f"mermaid/{journey.id}.mmd", render_mermaid(journey))


@pytest.mark.parametrize("path", [SMALL, HOSTILE, EMPTY_STAGES, *SAMPLES], ids=lambda p: p.name)
def test_mermaid_reads_back_as_the_journey(path: Path) -> None:
    journey = journeymap.load(path)
    parsed = parse(render_mermaid(journey))
    assert parsed.title is not None and unescape(parsed.title) == as_written(journey.title)
    used = [s for s in journey.stages if any(t.stage == s.id for t in journey.touchpoints)]
    assert [unescape(s) for s in parsed.sections] == [as_written(s.name) for s in used]
    expected = []
    names = {p.id: p.name for p in journey.personas}
    for stage in used:
        for t in journey.touchpoints:
            if t.stage != stage.id:
                continue
            people = [names[p] for p in (t.personas if t.personas is not None else names)]
            score = 3.0 if t.emotion is None else round(t.emotion + 3, 1)
            expected.append((as_written(stage.name), as_written(t.name), score, [as_written(p) for p in people]))
    got = [(unescape(s), unescape(n), score, [unescape(p) for p in people]) for s, n, score, people in parsed.tasks]
    assert got == expected


def test_mermaid_for_a_persona() -> None:
    analysis = journeymap.analyze(journeymap.load(SMALL), "visitor")
    parsed = parse(render_mermaid(analysis))
    assert [task[1].strip() for task in parsed.tasks] == [
        "Gets the reminder letter",
        "Fills in the renewal form",
        "Gets the new permit",
        "Gives up",
    ]
    assert all(task[3] == ["Visitor"] for task in parsed.tasks)


def test_scores() -> None:
    assert [mermaid_score(e) for e in (-2, -1, -0.5, 0, None, 0.25, 1, 2)] == ["1", "2", "2.5", "3", "3", "3.2", "4", "5"]


@pytest.mark.parametrize(
    "text",
    [
        "Pay: now",
        "a # comment",
        "semi; colon",
        "100%% sure",
        "%%{init: {}}%%",
        "journey planner",
        "Title page",
        "SECTION 2",
        "accTitle: x",
        "accDescr { y }",
        "line\nbreak\r\nand\ttab",
        "<script>alert(1)</script>",
    ],
)
def test_one_task_name_survives_the_grammar(text: str) -> None:
    source = f"journey\n    title T\n    section S\n        {mermaid_text(text)}: 3: A\n"
    parsed = parse(source)
    assert parsed.title == "T" and parsed.sections == ["S"]
    assert len(parsed.tasks) == 1
    assert unescape(parsed.tasks[0][1]) == as_written(text)


def test_actor_names_with_commas_stay_one_actor() -> None:
    source = f"journey\n    section S\n        Task: 3: {mermaid_text('Smith, John', extra=',')}, B\n"
    assert [unescape(p) for p in parse(source).tasks[0][3]] == ["Smith, John", "B"]
