"""journeymap fmt: golden files, and black-style properties on every YAML file we have.

Properties (on every sample journey and every valid YAML fixture, and on
messy generated documents): formatting is stable (``fmt(fmt(x)) == fmt(x)``),
equivalent (same data by ``yamlio.parse`` and by PyYAML's composer, which also
sees x- keys, tags and merge keys) and keeps every comment. The comment and
data checks here are independent of the formatter's own safety check: they
read tokens and composed nodes, not the formatter's events.
"""

from __future__ import annotations

import io
import math
import os
import random
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeymap import fmt
from journeymap.cli import main
from journeymap.fmt import FormatError, UnsafeFormatError, format_text
from journeymap.loader import Loader
from journeymap.yamlio import parse

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FMT_FIXTURES = sorted((FIXTURES / "fmt").glob("*.yaml"))
def _is_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


#: Every YAML file of the project that is text (fmt refusing a non-UTF-8 file is a CLI test below).
ALL_YAML = sorted(
    path
    for path in {
        *(ROOT / "sample_journeys").glob("**/*.yaml"),
        *FIXTURES.glob("**/*.yaml"),
        *FIXTURES.glob("**/*.yml"),
    }
    if _is_utf8(path)
)
#: Why fmt may refuse a file: it is not one YAML document, or has a key fmt cannot lay out.
REFUSALS = {"yaml-syntax", "multiple-documents", "too-deep", "alias-bomb", "fmt-unsupported"}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


#: Where libyaml ends a line (and so a comment): LF, and NEL, LS, PS (CR is gone by then).
LINE_BREAK = re.compile("[\n\x85\u2028\u2029]")


def comments(text: str) -> list[str]:
    """Every comment, found between PyYAML's *tokens* (libyaml's rule: a '#' outside a token)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    found = []
    pos = 0
    for token in yaml.scan(text, Loader=yaml.CSafeLoader):
        start, end = token.start_mark.index, token.end_mark.index
        found += _hashes(text, pos, start)
        if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
            header = LINE_BREAK.split(text[start:end], 1)[0]
            m = re.match(r"[|>][-+0-9]*[ \t]+(#.*)", header)
            if m:
                found.append(m.group(1).rstrip())
        pos = max(pos, end)
    return found + _hashes(text, pos, len(text))


def _hashes(text: str, a: int, b: int) -> list[str]:
    out = []
    while (h := text.find("#", a, b)) != -1:
        m = LINE_BREAK.search(text, h, b)
        eol = b if m is None else m.start()
        out.append(text[h:eol].rstrip())
        a = eol
    return out


def composed(text: str) -> Any:
    """Everything a document says, from PyYAML's composer: tags, x- keys and merge keys included."""

    def walk(node: Any) -> Any:
        if node is None:  # no document
            return None
        if isinstance(node, yaml.ScalarNode):
            return (node.tag, node.value)
        if isinstance(node, yaml.SequenceNode):
            return (node.tag, [walk(item) for item in node.value])
        return (node.tag, sorted((repr(walk(k)), repr(walk(v))) for k, v in node.value))

    try:
        return walk(yaml.compose(text.lstrip("\ufeff"), Loader=yaml.CSafeLoader))
    except yaml.composer.ComposerError as exc:  # an alias without an anchor: the same one after formatting
        return ("error", exc.problem)


def same(a: Any, b: Any) -> bool:
    """Equality for yamlio data: NaN equals NaN, 1 is not 1.0 or True."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def assert_formats_safely(text: str, name: str = "<string>") -> str:
    """Format and check the three properties; return the formatted text."""
    out = format_text(text, filename=name)
    assert format_text(out) == out, f"{name}: formatting is not stable"
    data_in, problems_in = parse(text.lstrip("\ufeff"), name)
    data_out, problems_out = parse(out, name)
    assert same(data_in, data_out), f"{name}: yamlio reads something else after formatting"
    assert sorted(p.code for p in problems_in) == sorted(p.code for p in problems_out)
    assert composed(text) == composed(out), f"{name}: the YAML (x- keys, tags, merge keys) changed"
    assert sorted(comments(text)) == sorted(comments(out)), f"{name}: a comment was lost or added"
    assert out == "" or out.endswith("\n")
    assert not out.endswith("\n\n") or re.search(r"[|>][1-9]?\+", out)  # blank lines ending a |+ scalar are its content
    assert "\r" not in out and not out.startswith("\ufeff")
    return out


# -- golden files -------------------------------------------------------------


@pytest.mark.parametrize("path", FMT_FIXTURES, ids=lambda p: p.stem)
def test_golden(path: Path, golden: Any) -> None:
    text = path.read_bytes().decode("utf-8")  # as written: CRLF and BOM included
    golden.check(f"fmt/{path.name}", assert_formats_safely(text, path.name))


@pytest.mark.parametrize("path", FMT_FIXTURES, ids=lambda p: p.stem)
def test_golden_is_already_formatted(path: Path) -> None:
    expected = Path(__file__).parent / "goldens" / "fmt" / path.name
    assert expected.exists(), "golden file missing: run pytest --update-goldens"
    text = expected.read_text(encoding="utf-8")
    assert format_text(text) == text


def test_canonical_fixture_is_left_alone() -> None:
    text = read(FIXTURES / "fmt" / "canonical.yaml")
    assert format_text(text) == text


# -- properties on every file ---------------------------------------------------


@pytest.mark.parametrize("path", ALL_YAML, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_formats_stably_and_equivalently(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    try:
        assert_formats_safely(text, str(path))
    except FormatError as exc:
        assert {p.code for p in exc.problems} <= REFUSALS
        assert all(p.span.line > 0 for p in exc.problems if p.code != "yaml-syntax" or p.span.line)


@pytest.mark.parametrize("path", sorted((ROOT / "sample_journeys").glob("**/*.yaml")), ids=lambda p: p.name)
def test_end_of_line_comments_stay_on_their_line(path: Path) -> None:
    """`key: value  # note` is still `key: value  # note` after formatting, only moved."""
    text = read(path)
    out_lines = {_squash(line) for line in format_text(text).splitlines()}
    for line in text.splitlines():
        content, sep, _ = line.partition("  #")
        if sep and content.strip() and not content.lstrip().startswith("#") and '"' not in content:
            assert _squash(line) in out_lines, f"lost its line: {line!r}"


@pytest.mark.parametrize("path", sorted((ROOT / "sample_journeys").glob("**/*.yaml")), ids=lambda p: p.name)
def test_comments_above_an_entry_move_with_it(path: Path) -> None:
    """A comment line keeps the entry below it (a touchpoint, a key) when keys are reordered."""
    before = _comment_neighbours(read(path))
    after = _comment_neighbours(format_text(read(path)))
    for comment, below in before.items():
        if below is not None and comment in after:
            assert after[comment] == below, f"{comment!r} was above {below!r}, now above {after[comment]!r}"


def _squash(line: str) -> str:
    return re.sub(r"\s+", "", line)


def _comment_neighbours(text: str) -> dict[str, str | None]:
    lines = text.splitlines()
    result: dict[str, str | None] = {}
    for i, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            below = next((x.strip() for x in lines[i + 1 :] if x.strip() and not x.lstrip().startswith("#")), None)
            result[line.strip()] = below
    return result


# -- the rules, one at a time -----------------------------------------------------


def test_keys_follow_the_format_order_and_comments_follow_their_keys() -> None:
    text = """\
touchpoints:
  # the only one
  - metrics: {csat: 0.9}   # March
    # why it is an entry
    entry: true
    name: Visits
    id: visit
title: T
journeymap: 1
id: t
"""
    assert format_text(text) == """\
journeymap: 1
id: t
title: T

touchpoints:
  # the only one
  - id: visit
    name: Visits
    # why it is an entry
    entry: true
    metrics: {csat: 0.9}   # March
"""


def test_an_anchor_stays_before_its_aliases() -> None:
    text = "touchpoints:\n  - description: &d Long text\n    name: *d\n    id: a\n"
    out = assert_formats_safely(text)
    assert out.index("&d") < out.index("*d")
    assert out.splitlines()[1] == "  - id: a"


def test_an_alias_at_the_top_level_waits_for_its_anchor() -> None:
    text = "personas:\n  - &p {id: p, name: P}\nx-copy: *p\njourneymap: 1\n"
    out = assert_formats_safely(text)
    assert out.index("&p") < out.index("*p")
    assert out.startswith("journeymap: 1\n")


def test_merge_keys_keep_their_place_and_order() -> None:
    text = "touchpoints:\n  - <<: *a\n    name: N\n    <<: *b\n    id: x\n"
    defs = "x-a: &a {owner: A}\nx-b: &b {owner: B}\n"
    out = assert_formats_safely(defs + text)
    assert out.index("<<: *a") < out.index("<<: *b")


def test_x_keys_go_first_at_the_top_and_stay_put_below() -> None:
    text = "id: x\nx-defaults: &d {owner: A}\njourneymap: 1\ntouchpoints:\n  - name: N\n    x-jira: CX-1\n    id: a\n"
    out = assert_formats_safely(text)
    assert out.splitlines()[:3] == ["journeymap: 1", "x-defaults: &d {owner: A}", "id: x"]
    assert "    name: N\n    x-jira: CX-1\n" in out


@pytest.mark.parametrize(
    "scalar",
    ['"no"', "'1:30'", '"0.5"', "'yes'", '"a: b"', "'see #3'", '"tab\\there"', "no", "1:30", "'it''s'", '"\\u00e9"'],
)
def test_scalars_are_written_exactly_as_they_were(scalar: str) -> None:
    out = assert_formats_safely(f"journeymap: 1\ntitle: {scalar}   # c\n")
    assert f"title: {scalar}   # c\n" in out


def test_block_scalars_are_reindented_not_rewritten() -> None:
    text = "touchpoints:\n    -   id: a\n        description: |\n            line one\n              indented\n\n            line three\n"
    out = assert_formats_safely(text)
    assert "    description: |\n      line one\n        indented\n\n      line three\n" in out


def test_block_scalar_at_end_of_file_without_newline() -> None:
    out = assert_formats_safely("journeymap: 1\ndescription: >\n  folded")
    assert out == "journeymap: 1\ndescription: >-\n  folded\n"  # same value, and a final newline


def test_short_flow_lists_stay_long_or_commented_ones_become_block() -> None:
    text = "journeymap: 1\ntags: [a,b ,  c]\nimports: [lib.yaml,  # shared\n  other.yaml]\n"
    out = assert_formats_safely(text)
    assert "tags: [a, b, c]\n" in out
    assert "imports:\n  - lib.yaml  # shared\n  - other.yaml\n" in out


def test_journey_structure_is_always_block_style() -> None:
    out = assert_formats_safely("journeymap: 1\nstages: [{id: a, name: A, targets: {csat: 0.9}}]\n")
    assert out == "journeymap: 1\n\nstages:\n  - id: a\n    name: A\n    targets: {csat: 0.9}\n"


@pytest.mark.parametrize("line_break, escape", [("\u2028", "\\L"), ("\u2029", "\\P")])
def test_a_scalar_with_a_unicode_line_break_moved_into_block_style(line_break: str, escape: str) -> None:
    """libyaml breaks lines at NEL, LS and PS too: a plain scalar holding one, moved out of a flow
    list into block style, was written with what follows it indented as a continuation line
    ('name: Web<LS>      site'), which libyaml reads as 'Web<LS>site' and an editor and YAML 1.2
    with the six spaces in the value. It is written in double quotes with the character's escape,
    which every reader reads alike."""
    text = f'journeymap: 1\nchannels: [{{id: web, name: Web{line_break}site}}, "a{line_break}b"]\n'
    out = assert_formats_safely(text)
    assert f'    name: "Web{escape}site"\n' in out
    assert f'  - "a{line_break}b"\n' in out  # quoted: needs no indentation, copied as written
    assert parse(out, "f")[0]["channels"][0]["name"] == f"Web{line_break}site"


@pytest.mark.parametrize(
    "text, line, col",
    [
        ("journeymap: 1\nchannels: [{id: web, name: Web\x85site}]\n", 2, 31),  # NEL: read as a space
        ("a: 1 # c\u2028b: 2\n", 1, 9),  # what follows is content for libyaml, comment for an editor
        ("a: |\u2029\n  x\n", 1, 5),  # a blank line of content for libyaml
        ("personas:\n  - description: |-\n      a literal\u2028\n", 3, 16),  # dropped by libyaml
        ('title: "A\u2028   b"\n', 1, 10),  # the spaces dropped by libyaml
    ],
)
def test_text_libyaml_reads_otherwise_than_an_editor_at_a_unicode_line_break_is_refused(
    text: str, line: int, col: int
) -> None:
    """A NEL, LS or PS where libyaml (which ends a line there) and an editor or YAML 1.2 read other
    text: fmt wrote what libyaml read, a silent change of the text as written. It refuses, at the
    character, as validate does."""
    with pytest.raises(FormatError) as info:
        format_text(text)
    assert [(p.code, p.span.line, p.span.col) for p in info.value.problems] == [("yaml-syntax", line, col)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (" ---\n", "  ---\n"),
        (" --- x  # c\n", "  --- x  # c\n"),
        (" ... x\n", "  ... x\n"),
        ("--- ---\n", "---\n  ---\n"),
        ("\n  \ufeff ]\n", "  \ufeff ]\n"),  # a byte-order mark is skipped at column 0 only
    ],
)
def test_a_document_that_is_text_like_a_document_marker_stays_indented(text: str, expected: str) -> None:
    """` ---` is the text '---'; at column 0 it would start a document (fmt refused: exit 3)."""
    assert assert_formats_safely(text) == expected


@pytest.mark.parametrize("key", ["--- x", "... x", "\ufeffname"])
def test_a_top_level_key_like_a_document_marker_is_refused(key: str) -> None:
    with pytest.raises(FormatError) as info:
        format_text(f" journeymap: 1\n {key}: 1\n")
    assert [(p.code, p.span.line, p.span.col) for p in info.value.problems] == [("fmt-unsupported", 2, 2)]
    assert format_text("---: 1\n") == "---: 1\n"  # not a marker: no blank after it


@pytest.mark.parametrize(
    "text",
    ["? \n: x\n", "a:\n  ?\n  : 1\n", "[a, {? : b}]\n", "!!null : 1\n", "channels: [{id: web, name:-\t Mob\u2028ile}]\n"],
)
def test_keys_fmt_cannot_write_are_refused_not_broken(text: str) -> None:
    """An empty key, or one that libyaml breaks at NEL/LS/PS, came out as invalid YAML (exit 3)."""
    with pytest.raises(FormatError) as info:
        format_text(text)
    assert [p.code for p in info.value.problems] == ["fmt-unsupported"]


@pytest.mark.parametrize("line_break", ["\x85", "\u2028", "\u2029"])
def test_a_comment_ends_where_libyaml_ends_the_line(line_break: str) -> None:
    """What follows NEL/LS/PS after a comment is content for libyaml and comment for an editor
    and YAML 1.2: fmt wrote it as content, which the file did not show. It is refused at the
    character (both of them, each once)."""
    text = f"channels: [{{id: web, #name: Web{line_break}site}}, {{id: app}}]\na: 1 # c{line_break}b: 2\n"
    with pytest.raises(FormatError) as info:
        format_text(text)
    assert [(p.code, p.span.line, p.span.col) for p in info.value.problems] == [("yaml-syntax", 1, 32), ("yaml-syntax", 2, 9)]
    assert "here ends the line for YAML" in info.value.problems[0].message


@pytest.mark.parametrize("line_break", ["\x85", "\u2028", "\u2029"])
def test_a_block_scalar_header_ends_where_libyaml_ends_the_line(line_break: str) -> None:
    """`|<LS>` then a blank line: the blank line is content for libyaml; an editor shows none."""
    with pytest.raises(FormatError) as info:
        format_text(f"a: |{line_break}\n  x\n")
    assert [(p.span.line, p.span.col) for p in info.value.problems] == [(1, 5)]


def test_a_block_scalar_line_ending_in_a_line_separator_keeps_it() -> None:
    """The break after a block scalar's last line is content: an LS there became a plain '\\n'
    (with |+, libyaml and YAML 1.2 read the same text; with | and |-, not: refused above)."""
    text = "personas:\n  - description: |+\n      a literal\u2028\n  - id: x\n"
    assert "      a literal\u2028\n" in assert_formats_safely(text)


def test_a_repeated_key_stays_after_the_first_one() -> None:
    """Only the first of two equal keys counts; an anchor that made the first one move after the
    second swapped them (fmt refused: exit 3)."""
    text = "touchpoints:\n  - description: &d Text\n    name: *d\n    id: a\n    name: Other\n"
    out = assert_formats_safely(text)
    assert out.index("name: *d") < out.index("name: Other")


def test_a_mapping_that_repeats_a_key_keeps_the_authors_order() -> None:
    """Two journeys joined in one file (`cat a.yaml b.yaml`): fmt sorted the top level's keys with
    both journeys' among each other -- journeymap, journeymap, id: a, id: b, title: A, title: B,
    the second's comment first -- the data the same, the file past splitting. A mapping that
    repeats a key (an error `validate` reports) keeps the author's order; its values are laid out."""
    text = (
        "journeymap: 1\nid: a\ntitle: A\npersonas: [{id: p, name: P}]\n"
        "# the second file\njourneymap: 1\nid: b\ntitle: B\npersonas: [{id: q, name: Q}]\n"
    )
    out = assert_formats_safely(text)
    assert out == (
        "journeymap: 1\nid: a\ntitle: A\n\npersonas:\n  - id: p\n    name: P\n\n"
        "# the second file\njourneymap: 1\nid: b\ntitle: B\n\npersonas:\n  - id: q\n    name: Q\n"
    )


def test_blank_lines_around_top_level_sections_only() -> None:
    text = "\n\njourneymap: 1\n\n\nid: x\ntags: [a]\npersonas:\n\n\n  - id: p\n\n\n  - id: q\nchannels: []\n\n\n"
    out = assert_formats_safely(text)
    assert out == "journeymap: 1\nid: x\ntags: [a]\n\npersonas:\n  - id: p\n\n  - id: q\n\nchannels: []\n"


def test_a_commented_out_key_stays_in_its_touchpoint() -> None:
    text = "touchpoints:\n  - name: A\n    id: a\n    # owner: someone\n  - id: b\n"
    out = assert_formats_safely(text)
    assert out == "touchpoints:\n  - id: a\n    name: A\n    # owner: someone\n  - id: b\n"


def test_crlf_and_bom_become_plain_newlines() -> None:
    out = assert_formats_safely("\ufeffjourneymap: 1\r\nid: x  # c\r\n")
    assert out == "journeymap: 1\nid: x  # c\n"


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# only a comment\n\n# and another\n"])
def test_documents_without_content(text: str) -> None:
    out = assert_formats_safely(text)
    assert out == text.strip(" \n").replace("\n\n", "\n\n") + ("\n" if text.strip() else "")


def test_same_input_same_bytes_whatever_the_hash_seed() -> None:
    sample = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
    code = "import sys; from journeymap.fmt import format_text; sys.stdout.write(format_text(open(sys.argv[1]).read()))"
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True, text=True, env=env, check=True)
        outputs.add(result.stdout)
    assert outputs == {format_text(read(sample))}


# -- what fmt refuses ----------------------------------------------------------


def test_a_syntax_error_is_a_problem_with_a_position() -> None:
    with pytest.raises(FormatError) as info:
        format_text("journeymap: 1\ntags: [a, b\n", filename="j.yaml")
    [problem] = info.value.problems
    assert (problem.span.file, problem.span.line, problem.code) == ("j.yaml", 3, "yaml-syntax")
    assert str(problem).startswith("j.yaml:3:1: error[yaml-syntax]: ")


@pytest.mark.parametrize(
    "text, code",
    [
        ("a: 1\n---\nb: 2\n", "multiple-documents"),
        ("? [a, b]\n: c\n", "fmt-unsupported"),
        ("? |\n  long key\n: c\n", "fmt-unsupported"),
    ],
)
def test_what_cannot_be_formatted_is_refused(text: str, code: str) -> None:
    with pytest.raises(FormatError) as info:
        format_text(text)
    assert info.value.problems[0].code == code


def test_the_safety_check_refuses_a_result_that_means_something_else(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fmt._render
    monkeypatch.setattr(fmt, "_render", lambda lines: real(lines).replace("0.8", "0.9"))
    with pytest.raises(UnsafeFormatError) as info:
        format_text("journeymap: 1\nweak: {emotion: 0.8}\n", filename="j.yaml")
    assert info.value.problem.code == "fmt-unsafe" and "change the data" in info.value.problem.message


def test_the_safety_check_refuses_a_result_that_lost_a_comment(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fmt._render
    monkeypatch.setattr(fmt, "_render", lambda lines: real(lines).replace("  # keep me", ""))
    with pytest.raises(UnsafeFormatError, match="keep me"):
        format_text("journeymap: 1\nid: x  # keep me\n")


# -- messy documents, generated -------------------------------------------------


_KEYS = [
    "journeymap", "id", "title", "tags", "personas", "channels", "stages", "touchpoints", "metrics", "weak",
    "name", "stage", "channel", "next", "friction", "to", "share", "type", "severity", "value", "n", "target",
    "x-a", "unknown", "<<", '"quoted"', "emotion", "outcome", "targets", "min_n",
]
_WORDS = ["alpha", "beta gamma", "no", "1:30", "0.5", "yes", "null", "~", "3", "-1.5", "a#b", "été 🛒"]


class _Messy:
    """A random, valid-looking journey-ish YAML document with comments and blank lines everywhere."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.anchors: list[str] = []
        self.lines: list[str] = []
        self.count = 0

    def comment(self) -> str:
        return "# " + self.r.choice(["note", "TODO: x", "#hash", "a: b", "ü", "- item"]) + str(self.r.randint(0, 99))

    def scalar(self, flow: bool = False) -> str:
        r, word = self.r, self.r.choice(_WORDS)
        c = r.random()
        if c < 0.3:
            return f'"{word}"' if flow and any(ch in word for ch in ",[]{}#:") else word
        if c < 0.5:
            return '"' + word + ("\\t" if r.random() < 0.3 else "") + '"'
        if c < 0.65:
            return "'" + word + "'"
        if c < 0.75 and self.anchors:
            return "*" + r.choice(self.anchors)
        return str(r.randint(-5, 100))

    def anchor(self) -> tuple[str | None, str]:
        if self.r.random() < 0.12:
            self.count += 1
            return f"a{self.count}", f"&a{self.count} "
        return None, ""

    def trailing(self) -> str:
        return " " * self.r.randint(1, 4) + self.comment() if self.r.random() < 0.25 else ""

    def between(self, indent: int) -> list[str]:
        out = []
        while self.r.random() < 0.25:
            if self.r.random() < 0.4:
                out.append("")
            else:
                out.append(" " * max(0, indent + self.r.choice([-2, 0, 0, 2, 4])) + self.comment())
        return out

    def value(self, indent: int, depth: int, head: str) -> None:
        r = self.r
        c = r.random()
        name, props = self.anchor()
        if depth > 3 or c < 0.35:
            text = self.scalar()
            self.lines.append(f"{head} {props}{text}{self.trailing()}")
            name = None if text.startswith("*") else name
        elif c < 0.45:
            style = r.choice(["|", ">", "|-", ">+", "|2", ">-"])
            self.lines.append(f"{head} {props}{style}{self.trailing()}")
            inner = indent + (int(style[-1]) if style[-1].isdigit() else r.choice([2, 4]))
            self.lines += [" " * inner + r.choice(["text", "  more", "x # not a comment", ""]) for _ in range(r.randint(1, 3))]
        elif c < 0.55:
            quote = r.choice(["", '"', "'"])
            self.lines.append(f"{head} {props}{quote}first line  ")
            self.lines.append(" " * (indent + r.choice([1, 2, 5])) + "second line" + quote + self.trailing())
        elif c < 0.7:
            items = [self.scalar(True) for _ in range(r.randint(0, 3))]
            text = "[" + ", ".join(items) + "]" if r.random() < 0.5 else "{" + ", ".join(f"k{i}: {v}" for i, v in enumerate(items)) + "}"
            if items and r.random() < 0.2:
                self.lines += [f"{head} {props}{text[0]} {self.comment()}", " " * (indent + 2) + text[1:]]
            else:
                self.lines.append(f"{head} {props}{text}{self.trailing()}")
        else:
            self.lines.append(head + (" " + props.strip() if props else "") + self.trailing())
            inner = indent + r.choice([2, 2, 4])
            if c < 0.85:
                self.mapping(inner, depth + 1)
            else:
                self.sequence(indent if r.random() < 0.3 and head.endswith(":") else inner, depth + 1)
        if name:
            self.anchors.append(name)

    def mapping(self, indent: int, depth: int, first: str | None = None) -> None:
        used: set[str] = set()
        for i in range(self.r.randint(1, 5)):
            key = self.r.choice(_KEYS)
            if key in used and key != "<<":
                continue
            used.add(key)
            if i > 0 or first is None:
                self.lines += self.between(indent)
            head = first if (i == 0 and first is not None) else " " * indent
            if key == "<<":
                if self.anchors:
                    self.lines.append(f"{head}<<: *{self.r.choice(self.anchors)}{self.trailing()}")
                continue
            self.value(indent, depth, f"{head}{key}:")

    def sequence(self, indent: int, depth: int) -> None:
        for _ in range(self.r.randint(1, 4)):
            self.lines += self.between(indent)
            c = self.r.random()
            if c < 0.4 and depth < 4:
                gap = self.r.choice([1, 1, 3])
                self.mapping(indent + 1 + gap, depth + 1, first=" " * indent + "-" + " " * gap)
            elif c < 0.5:
                self.lines.append(" " * indent + "-" + self.trailing())
            else:
                self.value(indent, depth, " " * indent + "-")

    def document(self) -> str:
        if self.r.random() < 0.5:
            self.lines.append(self.comment())
        self.mapping(0, 0)
        self.lines += self.between(0)
        return "\n".join(self.lines) + ("\n" if self.r.random() < 0.9 else "")


def test_messy_generated_documents() -> None:
    checked = 0
    for seed in range(400):
        text = _Messy(seed).document()
        if any(p.code == "yaml-syntax" for p in parse(text, "x")[1]):
            continue  # the generator does not always write valid YAML
        try:
            assert_formats_safely(text, f"seed {seed}")
        except AssertionError as exc:
            raise AssertionError(f"seed {seed}:\n{text}") from exc
        checked += 1
    assert checked > 300


# -- the command line ------------------------------------------------------------


MESSY = "title: T\nid: t  # slug\njourneymap: 1\n"
TIDY = "journeymap: 1\nid: t  # slug\ntitle: T\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_lists_what_would_change_and_exits_1(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("messy.yaml").write_text(MESSY)
    Path("tidy.yaml").write_text(TIDY)
    assert main(["fmt", "--check", "."]) == 1
    out, err = capsys.readouterr()
    assert out == "would reformat messy.yaml\n"
    assert "1 file would be reformatted, 1 unchanged" in err
    assert Path("messy.yaml").read_text() == MESSY
    assert main(["fmt", "--check", "tidy.yaml"]) == 0


def test_diff_prints_a_unified_diff_and_writes_nothing(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("messy.yaml").write_text(MESSY)
    assert main(["fmt", "--diff", "messy.yaml"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("--- messy.yaml\n+++ messy.yaml\n@@ ")
    assert "-journeymap: 1\n" in out and "+journeymap: 1\n" in out
    assert Path("messy.yaml").read_text() == MESSY
    assert main(["fmt", "--diff", "--check", "messy.yaml"]) == 1


def test_diff_of_a_file_without_a_final_newline_says_so_as_patch_reads_it(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The '+' line was glued to the last '-' line, which has no line end: a malformed patch.
    Path("nl.yaml").write_text("journeymap: 1\nid: x\ntitle:   X", encoding="utf-8")
    assert main(["fmt", "--diff", "nl.yaml"]) == 0
    out, _ = capsys.readouterr()
    assert out.endswith(" id: x\n-title:   X\n\\ No newline at end of file\n+title: X\n")


def test_diff_breaks_lines_where_yaml_does_not_at_a_line_separator_inside_a_value(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("ls.yaml").write_text("journeymap: 1\ntags: [a\u2028b, c\u2029d]\ntitle:   T\n", encoding="utf-8")
    assert main(["fmt", "--diff", "ls.yaml"]) == 0
    out, _ = capsys.readouterr()
    # One diff line for the value, its separators shown escaped (they are line breaks to a terminal).
    assert out.endswith("@@ -1,3 +1,3 @@\n journeymap: 1\n+title: T\n tags: [a\\u2028b, c\\u2029d]\n-title:   T\n")


def test_fmt_rewrites_in_place_atomically(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = Path("messy.yaml")
    path.write_text(MESSY)
    path.chmod(0o640)
    assert main(["fmt", "messy.yaml"]) == 0
    out, _ = capsys.readouterr()
    assert out == "reformatted messy.yaml\n"
    assert path.read_text() == TIDY
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in workdir.iterdir()) == ["messy.yaml"]  # no temporary file left
    mtime = path.stat().st_mtime_ns
    assert main(["fmt", "messy.yaml"]) == 0
    assert capsys.readouterr().out == ""
    assert path.stat().st_mtime_ns == mtime  # an unchanged file is not rewritten


def test_a_failed_write_leaves_the_file_as_it_was(workdir: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    Path("messy.yaml").write_text(MESSY)

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    assert main(["fmt", "messy.yaml"]) == 1  # the disk's doing, not a bug (it was exit 3, "internal error")
    assert (f"journeymap fmt: error: cannot write {os.path.realpath('messy.yaml')}: no space left on device;"
            " it was not changed") in capsys.readouterr().err
    assert Path("messy.yaml").read_text() == MESSY
    assert sorted(p.name for p in workdir.iterdir()) == ["messy.yaml"]


def test_a_file_that_is_not_yaml_is_reported_and_left_alone(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = b"journeymap: 1\ntags: [a, b\nid: x   # not closed\n"
    Path("broken.yaml").write_bytes(broken)
    Path("messy.yaml").write_text(MESSY)
    assert main(["fmt", "broken.yaml", "messy.yaml"]) == 1
    _, err = capsys.readouterr()
    assert re.search(r"^broken\.yaml:\d+:\d+: error\[yaml-syntax\]: ", err, re.MULTILINE)
    assert "Traceback" not in err
    assert Path("broken.yaml").read_bytes() == broken
    assert Path("messy.yaml").read_text() == TIDY  # the other files are still formatted


def test_a_file_that_is_not_utf8_is_reported(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("latin1.yaml").write_bytes("journeymap: 1\ntitle: Caf\xe9\n".encode("latin-1"))
    assert main(["fmt", "latin1.yaml"]) == 1
    assert "error[encoding]" in capsys.readouterr().err


def test_folders_mean_journey_files_only(workdir: Path) -> None:
    Path("ci.yaml").write_text("b: 1\na: 2\n")
    Path("j.yaml").write_text(MESSY)
    assert main(["fmt", "."]) == 0
    assert Path("ci.yaml").read_text() == "b: 1\na: 2\n"
    assert Path("j.yaml").read_text() == TIDY
    assert main(["fmt", "--journeys-only", "ci.yaml"]) == 0
    assert Path("ci.yaml").read_text() == "b: 1\na: 2\n"


def test_standard_input_to_standard_output(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MESSY.encode())))
    assert main(["fmt", "-"]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (TIDY, "")


def test_an_unsafe_result_is_never_written(workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    Path("messy.yaml").write_text(MESSY)
    real = fmt._render
    monkeypatch.setattr(fmt, "_render", lambda lines: real(lines).replace("  # slug", ""))
    assert main(["fmt", "messy.yaml"]) == 3
    assert "error[fmt-unsafe]" in capsys.readouterr().err
    assert Path("messy.yaml").read_text() == MESSY


def test_a_missing_path_is_a_usage_error(workdir: Path) -> None:
    assert main(["fmt", "nowhere.yaml"]) == 2


def test_the_safety_check_compares_digests_that_see_every_difference() -> None:
    """The check keeps digests of what each document says instead of both documents' data
    (fmt --check needed 2.7 GB on 200,000 touchpoints); the digests must still tell apart
    what the data did, and ignore only key order."""
    same = fmt._facts("a: 1\nb: [x, {c: 2, d: '3'}]\n")[0]
    assert fmt._facts("b: [x, {d: '3', c: 2}]\na: 1\n")[0] == same
    for other in ("a: 1\nb: [x, {c: 2, d: 3}]\n", "a: 1\nb: [{c: 2, d: '3'}, x]\n", "a: 1.0\nb: [x, {c: 2, d: '3'}]\n",
                  "a: 1\nb: [x, {c: 2, d: '3'}, null]\n", "a: !!str 1\nb: [x, {c: 2, d: '3'}]\n", "a: 1\nB: [x, {c: 2, d: '3'}]\n"):
        assert fmt._facts(other)[0] != same, other
    anchored = fmt._facts("x-a: &a {p: 1}\nt: *a\n")[0]
    assert anchored == fmt._facts("t: {p: 1}\nx-a: {p: 1}\n")[0] and anchored != fmt._facts("x-a: &a {p: 1}\nt: {p: 2}\n")[0]


@pytest.mark.parametrize("line_break", ["\u2028", "\u2029"])
def test_a_quoted_scalar_with_a_unicode_line_separator_is_copied_as_written(
    line_break: str, tmp_path: Path
) -> None:
    """A title pasted from a word processor holds a U+2028. libyaml ends a line there, editors and
    YAML 1.2 do not: fmt wrote the rest of the quoted text indented as a continuation line
    (`"Checkout<LS>  flow"`), spaces an editor shows inside the title and a YAML 1.2 reader keeps
    in its value. A quoted scalar needs no
    indentation after such a character, so it is copied byte for byte; the data is the same for
    libyaml, and the lines of the file are the lines an editor shows, so an error after it keeps
    its line:col."""
    text = (
        "journeymap: 1\n"
        "id: pasted\n"
        f'title: "Checkout{line_break}flow"\n'
        "personas:\n"
        f"  - {{id: p, name: 'Busy{line_break}parent'}}\n"
        "channels: [{id: web, name: Web}]\n"
        "stages: [{id: buy, name: Buy}]\n"
        "touchpoints:\n"
        f'  - {{id: a, name: "A{line_break}b", stage: buy, channel: webb, outcome: success}}\n'
    )
    out = assert_formats_safely(text)
    assert out == (
        "journeymap: 1\n"
        "id: pasted\n"
        f'title: "Checkout{line_break}flow"\n'
        "\n"
        "personas:\n"
        "  - id: p\n"
        f"    name: 'Busy{line_break}parent'\n"
        "\n"
        "channels:\n"
        "  - id: web\n"
        "    name: Web\n"
        "\n"
        "stages:\n"
        "  - id: buy\n"
        "    name: Buy\n"
        "\n"
        "touchpoints:\n"
        "  - id: a\n"
        f'    name: "A{line_break}b"\n'
        "    stage: buy\n"
        "    channel: webb\n"
        "    outcome: success\n"
    )
    path = tmp_path / "pasted.journey.yaml"
    path.write_text(out, encoding="utf-8")
    problems = Loader().check(path).problems
    # Line 21 as an editor (and grep -n) counts: only line feeds end lines.
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(21, 14, "unknown-reference")]
    assert out.split("\n")[20] == "    channel: webb"


def test_the_readme_key_order_is_fmt_s() -> None:
    """The README's canonical key order stopped at `weak` (no `value`, `scenarios`, `opportunities`),
    had no `cost`/`revenue` on a touchpoint, a flow without `journey` and `time`, `weak` without
    `worsening`, and no order for value, scenario, change or opportunity: each kind's list is now fmt's."""
    from journeymap.fmt import KEY_ORDER

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    bullet = readme.split("- **Key order** in every mapping whose kind is known:", 1)[1].split("Names chosen by", 1)[0]
    labels = {"top level": "journey", "persona": "persona", "channel": "channel", "stage": "stage",
              "touchpoint": "touchpoint", "flow (`next` long form)": "flow", "its time": "flow-time",
              "friction": "friction", "metric value": "metric-value", "metric definition": "metric-def",
              "`weak`": "weak", "`value`": "value", "scenario": "scenario", "change": "change", "opportunity": "opportunity"}
    said = {}
    for part in re.split(r";\s*|\n\s*- ", " ".join(bullet.split())):
        label, _, keys = part.strip(" -.").partition(": `")
        if label in labels:
            said[labels[label]] = tuple(re.findall(r"`([^`]+)`", "`" + keys.split(" (")[0]))
    assert said == KEY_ORDER
