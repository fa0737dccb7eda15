"""The safe, positioned YAML reader: YAML 1.2 scalars, tags, duplicates, merges, limits, positions."""

from __future__ import annotations

import math
from typing import Any

import pytest

from journeymap.problems import visible
from journeymap.yamlio import (
    MAX_DEPTH,
    YInt,
    YList,
    YMap,
    decode,
    parse,
    position_of,
    resolve_plain,
)


def read(text: str) -> Any:
    data, problems = parse(text, "f.yaml")
    assert problems == [], [str(p) for p in problems]
    return data


def problems_of(text: str) -> list[tuple[int, int, str]]:
    _, problems = parse(text, "f.yaml")
    return [(p.span.line, p.span.col, p.code) for p in problems]


# -- scalars: YAML 1.2 core schema ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("N", "N"),
        ("1:30", "1:30"),
        ("2024-03-01", "2024-03-01"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("null", None),
        ("~", None),
        ("", None),
        ("42", 42),
        ("-7", -7),
        ("+3", 3),
        ("0o17", 15),
        ("0x1F", 31),
        ("3.5", 3.5),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("-.inf", -math.inf),
        (".Inf", math.inf),
        ("82%", "82%"),
        ("45s", "45s"),
        ("-", "-"),
        (".", "."),
        ("nullish", "nullish"),
        ("truely", "truely"),
    ],
)
def test_plain_scalars_resolve_by_the_yaml_12_core_schema(text: str, value: Any) -> None:
    assert resolve_plain(text) == value
    assert isinstance(resolve_plain(text), type(value))
    assert isinstance(resolve_plain(text), bool) == isinstance(value, bool)


@pytest.mark.parametrize("text", ["0755", "+3", "007", "0o17", "0x1F", "-0"])
def test_integers_not_written_as_their_digits_keep_their_text(text: str) -> None:
    value = resolve_plain(text)
    assert isinstance(value, YInt) and value.text == text


@pytest.mark.parametrize("text", ["42", "-7", "0"])
def test_canonical_integers_are_plain_ints(text: str) -> None:
    assert type(resolve_plain(text)) is int


@pytest.mark.parametrize(
    "text, value",
    [
        ("9" * 400, math.inf),
        ("-" + "9" * 400, -math.inf),
        ("1" + "0" * 5000, math.inf),  # past Python's 4,300-digit limit for int(text): a ValueError before
        ("0x" + "f" * 300, math.inf),
        (str(2**1024 - 1), math.inf),  # 309 digits, rounds past the largest float
        ("0" * 400 + "5", 5),
    ],
)
def test_integers_past_the_largest_float_are_infinity_like_1e999(text: str, value: float) -> None:
    assert resolve_plain(text) == value
    data, problems = parse(f"a: {text}\nb: !!float {text}\n", "f.yaml")
    assert problems == [] and data == {"a": value, "b": float(value)}


def test_the_largest_integers_a_float_holds_stay_integers() -> None:
    assert type(resolve_plain(str(2**1023))) is int
    assert resolve_plain("1" + "0" * 308) == 10**308


def test_nan_resolves_to_nan() -> None:
    assert math.isnan(resolve_plain(".nan"))


def test_quoted_scalars_are_always_text() -> None:
    data = read("a: '1'\nb: \"true\"\nc: 'null'\nd: \"1.5\"\n")
    assert data == {"a": "1", "b": "true", "c": "null", "d": "1.5"}


def test_keys_stay_text() -> None:
    data = read("yes: 1\nno: 2\non: 3\n1: 4\nnull: 5\ntrue: 6\n")
    assert list(data) == ["yes", "no", "on", "1", "null", "true"]


def test_block_scalars_keep_their_text() -> None:
    data = read("a: |\n  line one\n  line two\nb: >-\n  folded\n  text\n")
    assert data == {"a": "line one\nline two\n", "b": "folded text"}


# -- tags -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("!!str 123", "123"),
        ("!!int 3", 3),
        ("!!float 2", 2.0),
        ("!!bool true", True),
        ("!!null null", None),
        ("! 12", "12"),
    ],
)
def test_standard_tags_are_honoured(text: str, value: Any) -> None:
    data = read(f"a: {text}\n")
    assert data["a"] == value
    assert type(data["a"]) is type(value)


def test_standard_collection_tags_are_honoured() -> None:
    assert read("a: !!seq [1]\nb: !!map {c: 1}\n") == {"a": [1], "b": {"c": 1}}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a: !!python/object/apply:os.system [echo hi]\n", "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system\n", "!!python/name:os.system"),
        ("a: !!python/tuple [1, 2]\n", "!!python/tuple"),
        ("a: !custom x\n", "!custom"),
        ("a: !!binary aGk=\n", "!!binary"),
        ("a: !!timestamp 2024-03-01\n", "!!timestamp"),
        ("a: !!set {x}\n", "!!set"),
        ("a: !<tag:example.com,2024:thing> x\n", "tag:example.com,2024:thing"),
    ],
)
def test_other_tags_are_refused_and_shown_as_written(text: str, shown: str) -> None:
    data, problems = parse(text, "f.yaml")
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(1, 4, "bad-tag")]
    assert f"'{shown}'" in problems[0].message
    # The node is kept as plain data (text or a list), never constructed.
    assert isinstance(data["a"], (str, list, dict))


def test_standard_tag_with_a_bad_value_is_a_problem() -> None:
    assert problems_of("a: !!int one\n") == [(1, 4, "bad-tag")]
    assert problems_of("a: !!bool yes\n") == [(1, 4, "bad-tag")]


# -- mappings: duplicates, merges, x- keys -------------------------------------------


def test_duplicate_keys_are_problems_and_the_first_value_is_kept() -> None:
    data, problems = parse("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(3, 1, "duplicate-key")]
    assert "first at line 1" in problems[0].message
    assert data["a"] == 1


def test_duplicate_keys_in_flow_and_nested_mappings() -> None:
    assert problems_of("a: {x: 1, x: 2}\nb:\n  c: 1\n  c: 1\n") == [(1, 11, "duplicate-key"), (4, 3, "duplicate-key")]


def test_merge_keys_follow_yaml() -> None:
    data = read(
        "base: &base {a: 1, b: 2}\n"
        "other: &other {b: 20, c: 30}\n"
        "one: {<<: *base, b: 3}\n"
        "two:\n  <<: [*base, *other]\n  d: 4\n"
    )
    assert data["one"] == {"a": 1, "b": 3}
    assert data["two"] == {"a": 1, "b": 2, "c": 30, "d": 4}


def test_merged_keys_keep_the_anchor_position() -> None:
    data = read("base: &base\n  a: 1\none:\n  <<: *base\n  b: 2\n")
    assert data["one"].pos["a"][:2] == (2, 3)
    assert data["one"].pos["b"][:2] == (5, 3)


def test_merge_of_a_scalar_is_a_problem() -> None:
    assert problems_of("a:\n  <<: 5\n") == [(2, 7, "bad-merge")]
    assert problems_of("a:\n  <<: [1]\n") == [(2, 8, "bad-merge")]


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert read('a: {"<<": 1}\n') == {"a": {"<<": 1}}


def test_x_keys_are_dropped_but_their_anchors_work() -> None:
    data = read("x-defaults: &d {channel: web}\nitems:\n  - {<<: *d, id: a, x-note: hi}\n")
    assert list(data) == ["items"]
    assert data["items"][0] == {"channel": "web", "id": "a"}


def test_aliases_repeat_their_anchor() -> None:
    data = read("a: &list [1, 2]\nb: *list\nc: &s text\nd: *s\n")
    assert data["b"] == [1, 2] and data["d"] == "text"


def test_unknown_and_recursive_aliases_are_problems() -> None:
    assert problems_of("a: *nowhere\n") == [(1, 4, "unknown-alias")]
    assert problems_of("a: &x [1, *x]\n") == [(1, 11, "recursive-alias")]


def test_an_alias_as_a_key_is_text_and_a_broken_one_leaves_its_pair_out() -> None:
    data, problems = parse("a: [&one 1, &n null, &t true]\nm: {*one: x, *n: y, *t: z, *nowhere: w}\n", "f.yaml")
    assert data["m"] == {"1": "x", "null": "y", "true": "z"}
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(2, 28, "unknown-alias")]
    assert problems_of("a: &x {*x: 1}\n") == [(1, 8, "recursive-alias")]


def test_complex_keys_are_problems() -> None:
    assert problems_of("? [a, b]\n: 1\n") == [(1, 3, "complex-key")]


# -- limits -------------------------------------------------------------------------


def test_nesting_up_to_the_limit_reads() -> None:
    depth = MAX_DEPTH - 1
    data = read("[" * depth + "]" * depth)
    for _ in range(depth - 1):
        data = data[0]
    assert data == []


def test_nesting_past_the_limit_is_refused() -> None:
    data, problems = parse("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "f.yaml")
    assert data is None
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(1, MAX_DEPTH + 1, "too-deep")]


def test_alias_expansion_budget() -> None:
    lines = ["a0: &a0 [" + ", ".join(["x"] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    data, problems = parse("\n".join(lines) + "\n", "f.yaml")
    assert data is None
    assert [p.code for p in problems] == ["alias-bomb"]


def test_a_second_document_is_refused() -> None:
    assert problems_of("a: 1\n---\nb: 2\n") == [(2, 1, "multiple-documents")]


def test_an_explicit_single_document_reads() -> None:
    assert read("---\na: 1\n...\n") == {"a": 1}


# -- syntax errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        ("a:\n\t- b\n", (2, 1), "replace the tab with spaces"),
        # a line an editor left holding a tab only looks empty: "replace the tab with spaces" kept it
        ("a:\n  b: 1\n  \t\n  c: 2\n", (3, 3), "this line looks empty but holds a tab: delete the tab"),
        ("a: [1, 2\nb: 3\n", (2, 2), "bracket is not closed"),
        ("a: {x: 1\n", (2, 1), "bracket is not closed"),
        ("a: b: c\n", (1, 5), "write 'a: \"b: c\"': a value that holds"),
        ('a: "open\n', (1, 4), "close it where the text ends"),  # at the quote, not at the end of the file
        ('a: "runs on\nb: 1\nc: "x"\n', (1, 4), "close it where the text ends"),  # closed by the next line's quote
        ('a: "C:\\qpath"\n', (1, 7), "backslash"),
        ("- a\nb: 1\n", (2, 1), "items of one list"),
        ("a:\n  b: 1\n c: 2\n", (3, 2), "the keys of one mapping line up; write it 2 spaces in"),
        ("a: @x\n", (1, 4), "quote the value"),
        # A key of more than 1024 characters, which libyaml does not read: it was told a key needs a colon
        ("a:\n  " + "k" * 1100 + ": 1\n", (2, 3), "shorten the key (1,100 characters; YAML reads keys of at most 1,024)"),
    ],
)
def test_syntax_errors_have_positions_and_hints(text: str, where: tuple[int, int], hint: str) -> None:
    data, problems = parse(text, "f.yaml")
    assert data is None
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.span.line, problem.span.col, problem.code) == (*where, "yaml-syntax")
    assert problem.hint and hint in problem.hint, problem


def test_a_json_surrogate_pair_is_told_the_character_to_write() -> None:
    """Python's json.dump (ensure_ascii, its default) writes an emoji as two escapes, a UTF-16
    surrogate pair, which YAML does not read: that was "found invalid Unicode character escape
    code" with no hint, in a journey exported by a script."""
    _, problems = parse('{"id": "shop",\n "name": "Caf\\u00e9 \\ud83d\\ude00"}\n', "f.json")
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(2, 21, "yaml-syntax")]
    assert problems[0].message == "'\\ud83d\\ude00' is a JSON surrogate pair, which YAML does not read"
    assert problems[0].hint == "write the character itself, '😀', or \\U0001F600"
    _, problems = parse('name: "half \\udc00 of one"\n', "f.yaml")
    assert [(p.span.line, p.span.col, p.message) for p in problems] == [(1, 13, "'\\udc00' is half of a surrogate pair, not a character")]


def test_problems_before_a_syntax_error_are_kept() -> None:
    assert problems_of("a: 1\na: 2\nb: [\n") == [(2, 1, "duplicate-key"), (4, 1, "yaml-syntax")]


def test_control_characters_are_reported_at_their_position() -> None:
    assert problems_of("a: 1\nb: x\x07y\n") == [(2, 5, "yaml-syntax")]


def test_empty_documents_are_none() -> None:
    for text in ("", "   \n", "# only a comment\n"):
        assert parse(text, "f.yaml") == (None, [])


# -- positions -----------------------------------------------------------------------------


def test_positions_of_keys_values_and_items() -> None:
    data = read("top:\n  key: value\n  list:\n    - one\n    - {a: 1}\n")
    assert isinstance(data, YMap)
    assert (data.line, data.col) == (1, 1)
    top = data["top"]
    assert top.key_position("key") == (2, 3)
    assert top.value_position("key") == (2, 8)
    items = top["list"]
    assert isinstance(items, YList)
    assert items.item_position(0) == (4, 7)
    assert items.item_position(1) == (5, 7)
    assert items[1].value_position("a") == (5, 11)
    # Unknown keys and indexes fall back to the container's own position.
    assert top.key_position("missing") == (top.line, top.col)
    assert items.item_position(9) == (items.line, items.col)


def test_positions_with_crlf_line_endings() -> None:
    data = read("a: 1\r\nb:\r\n  - x\r\n  - y\r\n")
    assert data.value_position("a") == (1, 4)
    assert data["b"].item_position(1) == (4, 5)


def test_positions_count_characters_not_bytes() -> None:
    data = read("é: ü\nkey: 🙂 x\nnext: 1\n")
    assert data.value_position("é") == (1, 4)
    assert data.value_position("next") == (3, 7)


@pytest.mark.parametrize("line_break", ["\x85", "\u2028", "\u2029"])
def test_positions_after_a_unicode_line_separator_count_real_lines(line_break: str) -> None:
    """A title pasted from a word processor or a PDF holds a U+2028 (LS), U+2029 (PS) or U+0085
    (NEL). libyaml counts each as a line break, but editors, grep and GitHub count lines by
    their line feeds: every problem below one was reported a line too low, at a wrong column."""
    # (in comments, where libyaml and an editor read the same text: in a value, a NEL is read as a
    # space, which is an error of its own, below)
    data = read(f'title: Shop  # pasted{line_break}\r\nstages:\n  - id: a\n    name: "AB"  # c{line_break}\n  - x: 1\n')
    assert data.value_position("stages") == (3, 3)
    assert data["stages"].item_position(1) == (5, 5)
    assert data["stages"][1].key_position("x") == (5, 5)
    assert data["stages"][0].value_position("name") == (4, 11)
    _, problems = parse(f"a: 1  # note{line_break}b: 2\nc: [\n", "f.yaml")
    # the syntax error, and the character that made 'b: 2' content for libyaml (a comment to an editor)
    assert sorted((p.span.line, p.span.col, p.code) for p in problems) == [(1, 13, "yaml-syntax"), (3, 1, "yaml-syntax")]


@pytest.mark.parametrize(
    "text, read_as, written",
    [
        ("title: Checkout\u2028\n", "Checkout", "Checkout\u2028"),  # dropped at the end of a plain value
        ("a:\n  title: Check\u2028     out\n", "Check\u2028out", "Check\u2028     out"),  # spaces taken for indentation
        ("tags: [Check\x85out]\n", "Check out", "Check\x85out"),  # a NEL read as a space
        ('title: "Check\x85out"\n', "Check out", "Check\x85out"),  # in quotes too
        ("a: |\n  Check\x85  out\n", "Check\nout\n", "Check\x85  out\n"),  # a line break in a literal
    ],
)
def test_a_value_libyaml_reads_otherwise_at_a_unicode_line_break_is_an_error(text: str, read_as: str, written: str) -> None:
    """libyaml (YAML 1.1) ends a line at NEL, LS and PS; editors and YAML 1.2 do not. A value
    holding one pasted from a web page or a word processor was read cut or folded without a word:
    one error at the character, saying what is read and what is written."""
    data, problems = parse(text, "f.yaml")
    index = next(i for i, c in enumerate(text) if c in "\x85\u2028\u2029")
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(line, col, "yaml-syntax")]
    assert f"so the value is read as '{visible(read_as)}', not as written, '{visible(written)}'" in str(problems[0])
    assert "to keep it, write the value in double quotes with \\" in str(problems[0])


@pytest.mark.parametrize(
    "text, value",
    [
        ("tags: [Check\u2028out, b]\n", ["Check\u2028out", "b"]),
        ('tags: "Check\u2029out"\n', "Check\u2029out"),
        ("tags: |+\n  Check\u2028\n", "Check\u2028\n"),
    ],
)
def test_a_unicode_line_break_libyaml_reads_as_an_editor_does_is_read_as_written(text: str, value: Any) -> None:
    data, problems = parse(text, "f.yaml")
    assert problems == [] and data["tags"] == value


@pytest.mark.parametrize(
    ("line_break", "name"),
    [("\x85", "U+0085 NEXT LINE (NEL)"), ("\u2028", "U+2028 LINE SEPARATOR"), ("\u2029", "U+2029 PARAGRAPH SEPARATOR")],
)
def test_a_unicode_line_separator_that_breaks_a_line_is_named(line_break: str, name: str) -> None:
    """YAML 1.1 readers (libyaml) end a line at LS, PS and NEL: after one pasted into a comment or
    a plain value, the rest of the line is read as a new line. That was "missing ':' after 'more'"
    at column 1 of a line that does not exist in the editor; now the character is named, where it is."""
    _, problems = parse(f"journeymap: 1\ntitle: Shop  # note{line_break}more words\nid: x\n", "f.yaml")
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.span.line, problem.span.col, problem.code) == (2, 20, "yaml-syntax")
    assert name in problem.message
    assert problem.hint == f"remove the {name.split(' (')[0]} (an invisible character pasted with the text), or replace it with a space"


def test_position_of_follows_a_loc() -> None:
    data = read("touchpoints:\n  - id: a\n    friction:\n      - {type: wait, severity: 9}\n")
    assert position_of(data, ("touchpoints", 0, "friction", 0, "severity")) == (4, 32)
    assert position_of(data, ("touchpoints", 0, "friction", 0, "severity"), key=True) == (4, 22)
    # A step that does not exist: the deepest known position.
    assert position_of(data, ("touchpoints", 0, "nope", 3)) == (2, 5)


# -- decoding ---------------------------------------------------------------------------------------


def test_decode_drops_a_utf8_bom() -> None:
    assert decode(b"\xef\xbb\xbfa: 1\n", "f") == ("a: 1\n", [])


def test_decode_reports_the_first_bad_byte() -> None:
    text, problems = decode(b"a: 1\nb: caf" + b"\xe9\n", "f.yaml")
    assert text is None
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(2, 7, "encoding")]
    assert "0xE9" in problems[0].message


def test_decode_reads_utf16_as_yaml_allows() -> None:
    # YAML 1.2 (5.2) allows UTF-16 and UTF-32: such a journey is read and checked, not refused.
    for raw in ("a: 1\n".encode("utf-16"), b"\xfe\xff" + "a: 1\n".encode("utf-16-be")):
        text, problems = decode(raw, "f.yaml")
        assert (text, problems) == ("a: 1\n", [])
    _, problems = decode("a: 1\n".encode("utf-16") + b"\x00", "f.yaml")  # an odd byte at the end
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(2, 1, "encoding")]
    assert "UTF-16" in problems[0].message


def test_decode_position_after_multibyte_characters() -> None:
    _, problems = decode("é: ü".encode() + b"\xff", "f.yaml")
    assert (problems[0].span.line, problems[0].span.col) == (1, 5)


def test_the_alias_budget_counts_what_aliases_add_not_the_file(monkeypatch) -> None:
    """From about 68,000 touchpoints (20 MB) every command refused a valid journey as an
    alias bomb: the budget counted every node written in the file. Scaled down here: a
    generated journey with 10,000 nodes and a budget of 5,000 reads; aliases past it do not."""
    from benchmarks.generate import generate_journey
    from journeymap import yamlio

    monkeypatch.setattr(yamlio, "MAX_NODES", 5_000)
    text = generate_journey(n_touchpoints=400, seed=3)
    data, problems = parse(text, "big.journey.yaml")
    assert problems == [] and len(data["touchpoints"]) == 400
    assert text.count("<<: *") > 20  # its aliases are counted, and well within the budget
    lines = ["a0: &a0 [" + ", ".join(["x"] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 5)]
    data, problems = parse("\n".join(lines) + "\n", "f.yaml")
    assert data is None and [(p.code, p.span.line) for p in problems] == [("alias-bomb", 4)]
    assert "aliases add more than 5,000 nodes" in problems[0].message


def test_an_anchor_defined_twice_is_a_warning_where_it_is_defined_again() -> None:
    """`x-web: &defaults {...}` and, copied further down, `x-app: &defaults {...}`: YAML lets the second
    win for every alias after it, so a touchpoint's `<<: *defaults` silently took the other channel."""
    text = "x-web: &defaults {channel: web}\nx-app: &defaults {channel: app}\nt:\n  <<: *defaults\n"
    data, problems = parse(text, "f.yaml")
    assert data["t"] == {"channel": "app"}  # as YAML says
    assert [(p.span.line, p.span.col, p.code, p.level) for p in problems] == [(2, 8, "anchor-redefined", "warning")]
    assert problems[0].message == (
        "anchor '&defaults' is defined again (first at line 1): the aliases after this line refer to this one"
    )
    assert problems[0].hint == "give each anchor its own name"
    # a scalar anchor too; one anchor used many times is no problem
    assert problems_of("a: &n one\nb: &n two\nc: *n\n") == [(2, 4, "anchor-redefined")]
    assert problems_of("a: &n one\nb: *n\nc: *n\n") == []


def test_two_journeys_joined_in_one_file_are_one_error() -> None:
    """`cat a.journey.yaml b.journey.yaml > c.yaml`: each top-level key of the second was a duplicate-key
    error (16 errors for two sample journeys), and its keys the first lacks (value:, scenarios:) were read
    into the first journey, with errors of their own. One error where the second starts; the rest of
    the file is left out of the first."""
    text = "journeymap: 1\nid: a\ntitle: A\n# the second file\njourneymap: 1\nid: b\ntitle: B\nscenarios: []\n"
    data, problems = parse(text, "f.yaml")
    assert data == {"journeymap": 1, "id": "a", "title": "A"}
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(5, 1, "duplicate-key")]
    assert problems[0].message == (
        "a second 'journeymap:' at the top level: the file holds two journeys one after the other"
        " (the first from line 1); what follows is left out"
    )
    assert problems[0].hint == "split the file in two: a journey file holds one journey"


@pytest.mark.parametrize(
    "line, col, fix",
    [
        ("    name: Checkout:", 19, 'name: "Checkout:"'),
        ("    name: Step 1: Checkout", 17, 'name: "Step 1: Checkout"'),
        ("  - name: Note: the \"new\" flow", 15, 'name: "Note: the \\"new\\" flow"'),
        ("    thought: 'Why?': asks", 20, "thought: \"'Why?': asks\""),
    ],
)
def test_a_value_with_a_colon_is_told_the_line_to_write(line: str, col: int, fix: str) -> None:
    """'name: Checkout:' (a colon at the end) was told to quote a value that contains ': ', which it does not;
    'name: Step 1: Checkout' the same, without the line to write. The hint writes the value in double quotes."""
    text = f"touchpoints:\n  - id: a\n{line}\n" if not line.startswith("  -") else f"touchpoints:\n{line}\n"
    _, problems = parse(text, "f.yaml")
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(text.count("\n") - 0, col, "yaml-syntax")]
    assert problems[0].hint == f"write '{fix}': a value that holds ': ' or ends in ':' is written in quotes"


def test_two_keys_on_one_line_are_told_so() -> None:
    """'name: Visits stage: buy' (a line break lost when pasting): the hint says to put the key on a line of its own."""
    _, problems = parse("touchpoints:\n  - id: a\n    name: Visits stage: buy\n", "f.yaml")
    assert [(p.span.line, p.span.col) for p in problems] == [(3, 23)]
    assert problems[0].hint == ("'stage:' starts a key: put 'stage: buy' on a line of its own; or, if it is text,"
                                " write 'name: \"Visits stage: buy\"'")


@pytest.mark.parametrize(
    "text, place, hint",
    [
        ("stages:\n  - id: buy\n    name: Buy\n  touchpoints:\n  - id: pay\n", (4, 3),
         "'touchpoints:' is a top-level key: write it at the start of its line, without the 2 spaces before it"),
        ("journeymap: 1\n stages:\n  - id: buy\n", (2, 2),
         "'stages:' is a top-level key: write it at the start of its line, without the 1 space before it"),
    ],
)
def test_a_top_level_key_indented_is_told_to_start_its_line(text: str, place: tuple[int, int], hint: str) -> None:
    """'  touchpoints:' after the last stage, indented as the stages' items are: 'did not find expected '-' indicator',
    told to check the indentation of a list's items, as if the key were one."""
    _, problems = parse(text, "f.yaml")
    assert [((p.span.line, p.span.col), p.hint) for p in problems] == [(place, hint)]


_TWO = "touchpoints:\n  - id: visit\n    name: Visits\n    stage: buy\n"


@pytest.mark.parametrize(
    "text, place, hint",
    [
        # a key one space further in than the key above: read as the rest of that key's value
        (_TWO + "  - id: pay\n     name: Pays\n", (6, 6),
         "'name:' is 5 spaces in, and 'id:' on line 5 is 4: the keys of one mapping line up; write it 4 spaces in"),
        # a key one space less far in: libyaml looks for the list's next '-'
        (_TWO + "   channel: web\n", (5, 4),
         "'channel:' is 3 spaces in, and 'stage:' on line 4 is 4: the keys of one mapping line up; write it 4 spaces in"),
        # an item's '-' one space further in than the list's
        (_TWO + "   - id: pay\n", (5, 4),
         "this item's '-' is 3 spaces in, and the list's items from line 2 are 2: the items of one list line up;"
         " write it 2 spaces in"),
    ],
)
def test_a_line_indented_one_space_off_is_told_how_far_in_to_write_it(text: str, place: tuple[int, int], hint: str) -> None:
    """A key or an item one space off its neighbours: 'mapping values are not allowed' told to quote a value (there
    is none to quote), or 'did not find expected '-' indicator' told to check a list's indentation, nothing of which
    line is off and by how much."""
    _, problems = parse(text, "f.yaml")
    assert [((p.span.line, p.span.col), p.hint) for p in problems] == [(place, hint)]


def test_a_key_without_a_space_after_its_colon_is_told_so() -> None:
    """'name:Visits' was "missing ':' after 'name:Visits'": the colon is there, the space is not."""
    _, problems = parse("touchpoints:\n  - id: visit\n    name:Visits\n    stage: buy\n", "f.yaml")
    assert [(p.span.line, p.span.col, p.message, p.hint) for p in problems] == [
        (3, 5, "'name:Visits' has no space after its colon, so it is read as text, not as a key and its value",
         "write 'name: Visits'; a key needs a colon and a space after it")]


def test_a_dash_before_a_key_among_an_items_keys_is_told_so() -> None:
    """'- name: Visits' among the keys of a touchpoint: 'did not find expected key', told to check the indentation."""
    _, problems = parse("touchpoints:\n  - id: visit\n    - name: Visits\n    stage: buy\n", "f.yaml")
    assert [(p.span.line, p.span.col, p.hint) for p in problems] == [
        (3, 5, "'- name:' starts a list item among the keys of the item above: remove the '-' (the keys of one item"
               " line up under its first, without a dash)")]
