"""Messages a non-programmer can act on.

- A hidden or look-alike character is named, with its place in the word, its
  code point and its Unicode name: ``'pay'`` and ``'pаy'`` look the same.
- An import that is not a text file (a folder, a FIFO, a PNG, a program) is
  reported at the import line with advice that fits, never "save as UTF-8" and
  never "did you mean" the very name that was written.
- One mistake in an imported library gives one error, not knock-on errors in
  the importing journey ("the journey has no personas (none are imported either)").
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.loader import Loader
from journeymap.lookalikes import describe, explain_near_miss, ordinal, plain
from journeymap.problems import did_you_mean
from journeymap.sniff import binary_kind

JOURNEY = """\
journeymap: 1
id: shop
title: Shop
{imports}personas: [{{id: shopper, name: Shopper}}]
channels: [{{id: web, name: Website}}]
stages: [{{id: buy, name: Buy}}]
touchpoints:
  - {{id: {defined}, name: Pays, stage: buy, channel: web, entry: true, outcome: success}}
  - {{id: visit, name: Visits, stage: buy, channel: web, entry: true, next: [{referenced}]}}
"""


def check(text: str, tmp_path: Path, name: str = "shop.journey.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [f"{p.span.line}:{p.span.col} {p.code}: {p.message} ({p.hint})" for p in Loader().check(path).problems]


# -- (a) hidden characters are named ---------------------------------------------------


def test_a_cyrillic_letter_in_the_defined_id_is_named(tmp_path: Path) -> None:
    problems = check(JOURNEY.format(imports="", defined="p\u0430y", referenced="pay"), tmp_path)
    assert any(
        "unknown touchpoint 'pay'" in p
        and "did you mean 'pаy'? In 'pаy', its 2nd letter is the Cyrillic 'а' (U+0430 CYRILLIC SMALL LETTER A),"
        " not the Latin 'a'" in p
        for p in problems
    ), problems
    # The definition itself is not a valid id: the same explanation, and the id it should be.
    assert any(
        "invalid-id" in p and "its 2nd letter is the Cyrillic 'а' (U+0430" in p and "e.g. 'pay'" in p for p in problems
    ), problems


def test_a_cyrillic_letter_in_the_reference_is_named(tmp_path: Path) -> None:
    problems = check(JOURNEY.format(imports="", defined="pay", referenced="p\u0430y"), tmp_path)
    assert any(
        "unknown touchpoint 'pаy' (did you mean 'pay'? In 'pаy', its 2nd letter is the Cyrillic 'а' (U+0430" in p
        for p in problems
    ), problems


@pytest.mark.parametrize(
    ("referenced", "named"),
    [
        ("ch\u0430nn\u0435l", "its 3rd letter is the Cyrillic 'а' (U+0430 CYRILLIC SMALL LETTER A), not the Latin 'a';"
         " its 6th letter is the Cyrillic 'е' (U+0435 CYRILLIC SMALL LETTER IE), not the Latin 'e'"),
        ("ch\u03b1nnel", "its 3rd letter is the Greek 'α' (U+03B1 GREEK SMALL LETTER ALPHA), not the Latin 'a'"),
        ("\uff43hannel", "its 1st character is 'ｃ' (U+FF43 FULLWIDTH LATIN SMALL LETTER C), not 'c'"),
    ],
)
def test_invisible_and_look_alike_characters_are_pointed_out(referenced: str, named: str, tmp_path: Path) -> None:
    problems = check(JOURNEY.format(imports="", defined="channel", referenced=f'"{referenced}"'), tmp_path)
    unknown = [p for p in problems if "unknown-reference" in p]
    assert len(unknown) == 1 and "did you mean 'channel'?" in unknown[0] and named in unknown[0], problems
    invalid = [p for p in problems if "invalid-id" in p]
    assert len(invalid) == 1 and named in invalid[0] and "e.g. 'channel'" in invalid[0], problems


@pytest.mark.parametrize(
    ("referenced", "named"),
    [
        ("chan\u200dnel", "its 5th character is an invisible ZERO WIDTH JOINER (U+200D)"),
        ("channel\u200b", "its 8th character is an invisible ZERO WIDTH SPACE (U+200B)"),
        ("chan\u00adnel", "its 5th character is an invisible SOFT HYPHEN (U+00AD)"),
        ("\ufeffchannel", "its 1st character is an invisible ZERO WIDTH NO-BREAK SPACE (U+FEFF)"),
        # (a no-break space inside: deleted, as that gives the defined id)
        ("chan\u00a0nel", "its 5th character is a NO-BREAK SPACE (U+00A0), not a plain space"),
    ],
)
def test_an_invisible_character_in_a_reference_is_named_where_it_is(referenced: str, named: str, tmp_path: Path) -> None:
    """An invisible character was two errors at the reference (unknown, and an invalid id): it is
    one, at the character (the quoted reference starts at column 77), saying what to write."""
    problems = check(JOURNEY.format(imports="", defined="channel", referenced=f'"{referenced}"'), tmp_path)
    column = 78 + referenced.index(next(c for c in referenced if not c.isascii()))
    shown = "".join(c if c.isascii() else f"\\u{ord(c):04x}" for c in referenced)
    assert problems == [
        f"9:{column} invalid-id: touchpoint 'visit': next '{shown}':"
        f" {named} (delete it: write 'channel'; text copied from a web page, Confluence or Word can carry"
        " characters nobody sees)"
    ]


def test_plain_ascii_near_misses_are_unchanged() -> None:
    assert did_you_mean("chanel", ["channel", "stage"]) == "did you mean 'channel'?"
    assert did_you_mean("café", ["cafe"]) == "did you mean 'cafe'?"  # an accent is not hidden


def test_lookalike_helpers() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th",
    ]
    assert describe("pay") is None and describe("Café au lait") is None  # accents are not hidden
    assert plain("p\u0430y\u200b") == "pay" and plain("\uff30\uff41\uff59") == "Pay" and plain("w\u00a0eb") == "w eb"
    assert explain_near_miss("pay", "pay") is None
    assert describe("cafe\u0301") == "its 5th character is a COMBINING ACUTE ACCENT (U+0301), a mark on the character before it"
    assert describe("\ufb01le") == "its 1st character is 'ﬁ' (U+FB01 LATIN SMALL LIGATURE FI), not 'fi'"
    # A control character has no Unicode name: it was "an invisible an unnamed character (U+001B)".
    assert describe("busy-parent\x1b[2J\x85") == (
        "its 12th character is an invisible control character (U+001B);"
        " its 16th character is an invisible control character (U+0085)"
    )
    many = describe("\u200b" * 5)
    assert many is not None and many.endswith("; and 2 more such characters")


# -- (b) an import that is not a text file --------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


@pytest.mark.parametrize(
    ("entry", "make", "message"),
    [
        ("logo.png", lambda p: p.write_bytes(PNG), "import 'logo.png' is not a journey library: it is a PNG image"),
        ("photo.yaml", lambda p: p.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF"), "it is a JPEG image"),
        ("tool.yaml", lambda p: p.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 9), "it is a program (ELF executable)"),
        ("lib.xlsx", lambda p: p.write_bytes(b"PK\x03\x04\x14\x00\x06\x00"), "it is a ZIP archive"),
        ("data.yaml", lambda p: p.write_bytes(b"abc\x00\x01\x02\x00def"), "it is a binary file (it holds NUL bytes"),
        ("report.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n"), "it is a PDF document"),
        ("pipe.yaml", lambda p: os.mkfifo(p), "import 'pipe.yaml' is not a journey library: it is a named pipe (FIFO)"),
        ("libs", lambda p: p.mkdir(), "import 'libs' is a folder, not a file"),
    ],
)
def test_an_import_that_is_not_a_text_file_is_reported_at_the_import(
    entry: str, make: object, message: str, tmp_path: Path
) -> None:
    if entry == "pipe.yaml" and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    make(tmp_path / entry)  # type: ignore[operator]
    text = JOURNEY.format(imports=f"imports: [{entry}]\n", defined="pay", referenced="pay")
    problems = check(text, tmp_path)
    assert len(problems) == 1, problems  # nothing about the file's bytes, nothing in the journey
    assert problems[0].startswith("4:")  # the import line of the importing file
    assert message in problems[0]
    assert "UTF-8" not in problems[0] and "did you mean" not in problems[0]


def test_a_folder_import_lists_the_libraries_in_it(tmp_path: Path) -> None:
    (tmp_path / "libs").mkdir()
    (tmp_path / "libs" / "people.yaml").write_text("journeymap: 1\npersonas: [{id: shopper, name: S}]\n")
    problems = check(JOURNEY.format(imports="imports: [libs]\n", defined="pay", referenced="pay"), tmp_path)
    assert problems == ["4:11 import-missing: import 'libs' is a folder, not a file (import a library file in it: 'libs/people.yaml')"]


def test_a_link_to_nowhere_is_not_did_you_mean_itself(tmp_path: Path) -> None:
    (tmp_path / "shared.yaml").symlink_to(tmp_path / "gone.yaml")
    problems = check(JOURNEY.format(imports="imports: [shared.yaml]\n", defined="pay", referenced="pay"), tmp_path)
    assert len(problems) == 1 and "did you mean 'shared.yaml'" not in problems[0], problems
    assert "'shared.yaml' is a link to" in problems[0] and "which does not exist" in problems[0]


def test_a_library_with_a_stray_nul_byte_is_text_with_a_bad_character() -> None:
    assert binary_kind(b"journeymap: 1\npersonas: [{id: a, name: \x00}]\n") is None
    assert binary_kind("journeymap: 1\n".encode("utf-16")) is None
    assert binary_kind(b"name: plain text\n") is None


def test_validate_reports_a_png_import_at_the_import_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG)
    path = tmp_path / "shop.journey.yaml"
    path.write_text(JOURNEY.format(imports="imports:\n  - logo.png\n", defined="pay", referenced="pay"))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert out == (
        f"{path}:5:5: error[import-not-library]: import 'logo.png' is not a journey library: it is a PNG image"
        " (a journey library is a YAML text file that starts with 'journeymap: 1' and holds personas, channels"
        " or metrics)\n"
    )


# -- (c) one mistake in a library, one error ------------------------------------------------

USES_LIBRARY = """\
journeymap: 1
id: shop
title: Shop
imports: [lib/people.yaml]
stages: [{id: buy, name: Buy}]
touchpoints:
  - {id: visit, name: Visits, stage: buy, channel: web, personas: [shopper], entry: true, outcome: success,
     metrics: {effort_score: 3}}
"""
LIBRARY = """\
journeymap: 1
personas:
  - {id: shopper, name: Shopper}
channels: [{id: web, name: Website}]
metrics:
  effort_score: {label: Effort, scale: [1, 7], better: lower}
"""


def library_case(tmp_path: Path, library: str | None, journey: str = USES_LIBRARY) -> list[str]:
    (tmp_path / "lib").mkdir(exist_ok=True)
    if library is not None:
        (tmp_path / "lib" / "people.yaml").write_text(library)
    path = tmp_path / "shop.journey.yaml"
    path.write_text(journey)
    return [f"{Path(p.span.file).name}:{p.span.line}:{p.span.col} {p.code}" for p in Loader().check(path).problems]


def test_the_library_fixture_is_good(tmp_path: Path) -> None:
    assert library_case(tmp_path, LIBRARY) == []


@pytest.mark.parametrize(
    ("library", "expected"),
    [
        (LIBRARY.replace("name: Shopper}", "name: Shopper, colour: red}"), ["people.yaml:3:34 unknown-key"]),
        (LIBRARY.replace("[{id: web, name: Website}]", "[{id: web, name: Website"), ["people.yaml:5:8 yaml-syntax"]),
        (LIBRARY.replace("journeymap: 1", "journeymap: 2"), ["people.yaml:1:13 version"]),
        (LIBRARY.replace("scale: [1, 7]", "scale: [7, 1]"), ["people.yaml:6:40 invalid-value"]),
        (None, ["shop.journey.yaml:4:11 import-missing"]),
        (LIBRARY.encode("latin-1").decode("latin-1").replace("Shopper}", "Sh\x00pper}"), ["people.yaml:3:27 yaml-syntax"]),
    ],
    ids=["unknown-key", "yaml-syntax", "version", "bad-scale", "missing", "nul"],
)
def test_one_mistake_in_a_library_is_one_error(tmp_path: Path, library: str | None, expected: list[str]) -> None:
    problems = library_case(tmp_path, library)
    assert problems == expected


def test_the_journeys_own_mistakes_are_still_reported(tmp_path: Path) -> None:
    broken_library = LIBRARY.replace("name: Shopper}", "name: Shopper, colour: red}")
    journey = USES_LIBRARY.replace("stage: buy", "stage: bye")
    assert library_case(tmp_path, broken_library, journey) == [
        "people.yaml:3:34 unknown-key",
        "shop.journey.yaml:5:15 empty-stage",
        "shop.journey.yaml:7:38 unknown-reference",  # unknown stage: no import could define it
    ]


def test_a_good_library_still_reports_unknown_references(tmp_path: Path) -> None:
    journey = USES_LIBRARY.replace("channel: web", "channel: webb")
    problems = library_case(tmp_path, LIBRARY, journey)
    assert problems == ["shop.journey.yaml:7:52 unknown-reference"]


def test_the_id_suggested_for_an_accented_one_keeps_the_letter() -> None:
    """'café' was told 'e.g. caf': the accent is dropped, not the letter."""
    from journeymap.loader import slugify

    assert slugify("Café Crème") == "cafe-creme"
    assert slugify("Create Account") == "create-account"


NESTED = """\
journeymap: 1
id: shop
title: Shop
personas: [{id: shopper, name: Shopper}]
channels: [{id: web, name: Website}]
stages:
  - id: buy
    name: Buy
    touchpoints:
      - {id: pay, name: Pays, channel: web, outcome: success}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NESTED, "9:5 unknown-key: stage 'buy': unknown key 'touchpoints' (touchpoints are"
                 " listed once, under the top-level 'touchpoints:', each naming its stage ('stage: <stage id>'))"),
        (JOURNEY.format(imports="", defined="pay", referenced="pay") + "flows:\n  - {from: visit, to: pay}\n",
         "10:1 unknown-key: unknown key 'flows' (a flow is written on the touchpoint it leaves:"
         " 'next: [<touchpoint id>]', or 'next: [{to: <touchpoint id>, share: 0.3}]')"),
        (NESTED.replace("touchpoints:", "Touchpoint:"), "unknown key 'Touchpoint' (touchpoints are listed once"),
        (JOURNEY.format(imports="", defined="pay", referenced="pay") + "transitions: []\n",
         "unknown key 'transitions' (a flow is written on the touchpoint it leaves"),
        # on a touchpoint: the words of a flow chart and of CX workshops for 'next', 'friction' and 'metrics'
        (JOURNEY.format(imports="", defined="pay", referenced="pay").replace("next: [pay]", "flows: [{to: pay}]"),
         "9:70 unknown-key: touchpoint 'visit': unknown key 'flows' (a touchpoint's flows are under 'next:':"
         " 'next: [<touchpoint id>]', or 'next: [{to: <touchpoint id>, share: 0.3}]')"),
        (JOURNEY.format(imports="", defined="pay", referenced="pay").replace("next: [pay]", "transitions: [pay]"),
         "unknown key 'transitions' (a touchpoint's flows are under 'next:'"),
        (JOURNEY.format(imports="", defined="pay", referenced="pay").replace("next: [pay]", "Pain Points: [slow]"),
         "unknown key 'Pain Points' (pain points are written under 'friction:', each with its 'type' (effort, wait,"
         " error, ...), 'severity' (1..5) and 'note')"),
        (JOURNEY.format(imports="", defined="pay", referenced="pay").replace("next: [pay]", "pain_points: [slow]"),
         "unknown key 'pain_points' (pain points are written under 'friction:'"),
        (JOURNEY.format(imports="", defined="pay", referenced="pay").replace("next: [pay]", "KPIs: {csat: 0.8}"),
         "unknown key 'KPIs' (measures are written under 'metrics:', a name and its value: 'metrics: {csat: 0.8,"
         " drop_off: 0.35}')"),
        # other unknown keys keep the list of known keys or the near spelling
        (NESTED.replace("touchpoints:", "colour: red\n    x:"), "unknown key 'colour' (known keys: id, name, goal"),
        (NESTED.replace("touchpoints:", "nmae: Buy\n    x:"), "unknown key 'nmae' (did you mean 'name'?)"),
    ],
    ids=["touchpoints-in-a-stage", "a-list-of-flows", "one-touchpoint-capitalised", "transitions", "touchpoint-flows",
         "touchpoint-transitions", "pain-points-spaced", "pain-points", "kpis", "colour", "near-spelling"],
)
def test_a_journey_shaped_otherwise_gets_the_shape_it_needs(text: str, expected: str, tmp_path: Path) -> None:
    problems = check(text, tmp_path)
    assert any(expected in p for p in problems), problems


# -- (a2) an id carrying an invisible character copied from Markdown, Confluence or Word ----------

PASTED = """\
journeymap: 1
id: shop
title: Shop
personas: [{{id: shopper, name: Shopper}}]
channels: [{{id: web, name: Website}}]
stages: [{{id: buy, name: Buy}}]
touchpoints:
  - id: {defined}
    name: Pays
    stage: buy
    channel: web
    outcome: success
  - id: visit
    name: Visits
    stage: buy
    channel: {channel}
    entry: true
    next: [{referenced}]
"""


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u200b", "ZERO WIDTH SPACE (U+200B)"),
        ("\u200c", "ZERO WIDTH NON-JOINER (U+200C)"),
        ("\u200d", "ZERO WIDTH JOINER (U+200D)"),
        ("\u2060", "WORD JOINER (U+2060)"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE (U+FEFF)"),
        ("\u00ad", "SOFT HYPHEN (U+00AD)"),
    ],
)
def test_an_invisible_character_in_a_defined_id_is_one_error_at_the_character(
    char: str, name: str, tmp_path: Path
) -> None:
    """`id: pay\u200bment` and `next: [payment]` were two errors: the reference 'payment' unknown
    (did you mean 'pay\u200bment'? -- a suggestion to write the invisible character) and the
    definition an invalid id at the start of the value. One mistake: one error, at the column of
    the character (8:12, as an editor counts), naming it and saying what to write."""
    text = PASTED.format(defined=f"pay{char}ment", channel="web", referenced="payment")
    problems = check(text, tmp_path)
    assert problems == [
        f"8:12 invalid-id: touchpoint id 'pay\\u{ord(char):04x}ment': its 4th character is an invisible {name}"
        " (delete it: write 'payment'; text copied from a web page, Confluence or Word can carry characters"
        " nobody sees)"
    ]


def test_a_no_break_space_after_a_pasted_id_is_one_error(tmp_path: Path) -> None:
    """A no-break space after the id (Word's, or `&nbsp;` from a wiki) is kept by YAML, which trims
    only plain spaces: 'payment\\u00a0' looked like 'payment' in every message."""
    text = PASTED.format(defined="payment\u00a0", channel="web", referenced="payment")
    assert check(text, tmp_path) == [
        "8:16 invalid-id: touchpoint id 'payment\\u00a0': its 8th character is a NO-BREAK SPACE (U+00A0),"
        " not a plain space (delete it: write 'payment'; text copied from a web page, Confluence or Word"
        " can carry characters nobody sees)"
    ]


@pytest.mark.parametrize(
    ("channel", "referenced", "expected"),
    [
        ("web", "pay\u200bment", "18:15 invalid-id: touchpoint 'visit': next 'pay\\u200bment': its 4th character is"
         " an invisible ZERO WIDTH SPACE (U+200B)"),
        ("web", "'pay\u2060ment'", "18:16 invalid-id: touchpoint 'visit': next 'pay\\u2060ment': its 4th character is"
         " an invisible WORD JOINER (U+2060)"),
        ("\ufeffweb", "payment", "16:14 invalid-id: touchpoint 'visit': channel '\\ufeffweb': its 1st character is"
         " an invisible ZERO WIDTH NO-BREAK SPACE (U+FEFF)"),
    ],
)
def test_an_invisible_character_in_a_reference_is_one_error_at_the_character(
    channel: str, referenced: str, expected: str, tmp_path: Path
) -> None:
    text = PASTED.format(defined="payment", channel=channel, referenced=referenced)
    problems = check(text, tmp_path)
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    assert problems[0].endswith(" (delete it: write '" + ("web" if "web" in channel and channel != "web" else "payment")
                                + "'; text copied from a web page, Confluence or Word can carry characters nobody sees)")


def test_a_reference_still_unknown_without_its_invisible_character_gets_did_you_mean(tmp_path: Path) -> None:
    """The character is one mistake, the misspelling another: the reference is checked as it reads."""
    text = PASTED.format(defined="payment", channel="web", referenced="pay\u200bmnet")
    problems = check(text, tmp_path)
    assert len(problems) == 2, problems
    assert problems[1].startswith("18:15 invalid-id: touchpoint 'visit': next 'pay\\u200bmnet': its 4th character")
    assert problems[0] == (
        "18:12 unknown-reference: touchpoint 'visit': next points to unknown touchpoint 'paymnet' (did you mean 'payment'?)"
    )


def test_validate_shows_the_invisible_character_in_a_pasted_id(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "shop.journey.yaml"
    path.write_text(PASTED.format(defined="pay\u200bment", channel="web", referenced="payment"), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{path}:8:12: error[invalid-id]: touchpoint id 'pay\\u200bment': its 4th character is")
    assert "\u200b" not in out and out.count("\n") == 1


def test_a_paragraph_pasted_into_an_id_is_quoted_short(tmp_path: Path) -> None:
    """A paragraph pasted into `stage:` (or an id) was quoted whole, up to three times in one message:
    a 100,000-character value gave a 300,000-character line. Each value is quoted to its first 200
    characters and an ellipsis; the line:col points at the whole of it."""
    paragraph = "customers compare delivery slots across apps " * 2000
    text = PASTED.format(defined="payment", channel="web", referenced="payment").replace(
        "  - id: visit\n", f"  - id: Visit {paragraph}\n"
    ).replace("    stage: buy\n    channel: web\n    outcome", f"    stage: {paragraph}\n    channel: web\n    outcome")
    problems = Loader().check(tmp_path / "shop.journey.yaml", raw=text.encode("utf-8")).problems
    # (the stage is one problem: an unknown stage, the stages there are; not also an invalid id there)
    assert [(p.span.line, p.span.col, p.code) for p in problems] == [(10, 12, "unknown-reference"), (13, 9, "invalid-id")]
    for problem in problems:
        assert len(str(problem)) < 1000, str(problem)[:300]
        assert "customers compare delivery slots across apps customers" in str(problem)
        assert "…'" in str(problem)


def test_a_long_value_of_the_wrong_type_is_cut_in_the_hint_too(tmp_path: Path) -> None:
    """The message cut a long value of the wrong type ('xxx...'), but its hint repeated all of it: a 300-character
    `next:` was written back whole as the list to write, so was a typographic-quoted share's inner text, a
    '- csat: ...' list's values, and an 80-digit number in both. Every value is cut as messages cut them."""
    long = "slot " * 60
    digits = "1234567890" * 8
    text = JOURNEY.format(imports="", defined="payment", referenced="payment").replace(
        "personas: [{id: shopper, name: Shopper}]",
        f"personas:\n  - {{id: shopper, name: Shopper, share: \u201c0.5 {long}\u201d}}\n  - {{id: other, name: Other,"
        f" share: 0.5}}").replace("next: [payment]}", f"next: {long}}}\n  - {{id: b, name: B, stage: buy, channel: web,"
                                 f" outcome: success, next: {digits}, metrics: [csat: {long}]}}")
    told = check(text, tmp_path)
    assert [line.split(": ", 1)[0] for line in told] == ["5:41 wrong-type", "11:76 wrong-type", "12:72 wrong-type",
                                                         "12:163 wrong-type"]
    for line in told:
        assert len(line) < 400, line
        assert long * 2 not in line and digits not in line
    assert told[1].endswith("(a list goes in square brackets, even with one item: write"
                            " [slot slot slot slot slot slot slot slot slot slot slot slot…])")
    assert told[2].endswith("(a list goes in square brackets, even with one item: write [12345678901234567890123456789012345678901234567890123456789…])")
    assert told[3].endswith("in curly brackets: {csat: slot slot slot slot slot slot slot slot slot slot slot slot…})")


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u2010", "U+2010 HYPHEN"),
        ("\u2011", "U+2011 NON-BREAKING HYPHEN"),  # Word's Ctrl+Shift+-
        ("\u2013", "U+2013 EN DASH"),  # Word's autocorrect of ' - '
        ("\u2212", "U+2212 MINUS SIGN"),
    ],
)
def test_a_dash_that_looks_like_the_hyphen_in_an_id_is_one_error(char: str, name: str, tmp_path: Path) -> None:
    """`id: pay‐ment` (a Unicode hyphen from Word) and `next: [pay-ment]` look the same: it was an unknown
    touchpoint 'pay-ment' (did you mean 'pay‐ment'?, no word of the difference) and an invalid id whose
    suggestion was 'payment', the dash dropped. One error at the dash, naming it, and the id to write."""
    text = PASTED.format(defined=f"pay{char}ment", channel="web", referenced="pay-ment")
    assert check(text, tmp_path) == [
        f"8:12 invalid-id: touchpoint id 'pay{char}ment': its 4th character is '{char}' ({name}), not the hyphen '-'"
        " (replace it: write 'pay-ment'; text copied from a web page, Confluence or Word can carry characters"
        " nobody sees)"
    ]
    assert plain(f"pay{char}ment") == "pay-ment"


@pytest.mark.parametrize(
    ("defined", "referenced", "expected"),
    [
        # the reference shows what the author meant: the space is a slip, 'payment'
        ("pay\u00a0ment", "payment", "8:12 invalid-id: touchpoint id 'pay\\u00a0ment': its 4th character is a NO-BREAK"
         " SPACE (U+00A0), not a plain space (delete it: write 'payment'; "),
        # nothing says otherwise: the space of a slug is a hyphen
        ("pay\u00a0ment", "pay-ment", "8:12 invalid-id: touchpoint id 'pay\\u00a0ment': its 4th character is a NO-BREAK"
         " SPACE (U+00A0), not a plain space (replace it: write 'pay-ment'; "),
        # in the reference: the id it stands for is the defined one
        ("payment", "pay\u00a0ment", "18:15 invalid-id: touchpoint 'visit': next 'pay\\u00a0ment': its 4th character is"
         " a NO-BREAK SPACE (U+00A0), not a plain space (delete it: write 'payment'; "),
    ],
)
def test_a_no_break_space_inside_an_id_is_one_error(defined: str, referenced: str, expected: str, tmp_path: Path) -> None:
    """`id: pay\u00a0ment` (Word's no-break space) and `next: [payment]` were two errors: the reference unknown,
    did you mean 'pay ment' (the no-break space again), and the definition an invalid id at the value's start
    with the suggestion 'pay-ment'. One error at the space, with the id the file's other ids point to."""
    problems = check(PASTED.format(defined=defined, channel="web", referenced=referenced), tmp_path)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


@pytest.mark.parametrize(("defined", "written"), [("Payment", "payment"), ("Pay Now", "pay-now"), ("pay_now", "pay-now")])
def test_an_id_written_as_a_name_that_the_file_refers_to_as_its_slug_is_one_error(
    defined: str, written: str, tmp_path: Path
) -> None:
    """`id: Payment` with `next: [payment]`: the reference was unknown, with "did you mean 'Payment'?" -- the
    very id that is not valid -- beside the invalid id. One error at the definition, with the id to write."""
    problems = check(PASTED.format(defined=defined, channel="web", referenced=written), tmp_path)
    assert problems == [
        f"8:9 invalid-id: touchpoint '{defined}': '{defined}' is not a valid id (ids use lowercase letters, digits"
        f" and hyphens: write '{written}', as the file refers to it)"
    ]


MINIMAL = """\
journeymap: 1
id: shop
title: Shop
personas: [{id: shopper, name: Shopper}]
channels: [{id: web, name: Website}]
stages: [{id: buy, name: Buy}]
touchpoints:
"""


@pytest.mark.parametrize(
    ("touchpoint", "expected"),
    [
        # a quoted id with a carriage return pasted before its closing quote: read as 'visit ', told an invalid id
        # with a space nobody wrote
        ('  - id: "visit\r"\n    name: Visits\n    stage: buy\n    channel: web\n',
         ["8:9 invalid-id: touchpoint 'visit ': 'visit ' is not a valid id",
          "8:15 yaml-syntax: a carriage return (U+000D) alone in this quoted value: YAML reads a line break there, so the"
          " value is read as 'visit ' (remove the carriage return (an invisible character pasted with the text, as"
          " Windows ends its lines); to keep a line break in the value, write \\n in double quotes)"]),
        # in a name, single quotes: 'Visits ' without a word
        ("  - id: visit\n    name: 'Visits\r'\n    stage: buy\n    channel: web\n",
         ["9:18 yaml-syntax: a carriage return (U+000D) alone in this quoted value: YAML reads a line break there, so the"
          " value is read as 'Visits ' ("]),
    ],
)
def test_a_carriage_return_alone_in_a_quoted_value_is_named_at_its_place(
    touchpoint: str, expected: list[str], tmp_path: Path
) -> None:
    problems = check(MINIMAL + touchpoint, tmp_path)
    assert len(problems) == len(expected) and all(p.startswith(e) for p, e in zip(problems, expected, strict=True)), problems


def test_a_file_whose_lines_end_in_carriage_returns_alone_is_read(tmp_path: Path) -> None:
    text = (MINIMAL + "  - {id: visit, name: \"Visits\", stage: buy, channel: web}\n").replace("\n", "\r")
    assert check(text, tmp_path) == []
    assert check(text.replace("\r", "\r\n"), tmp_path) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("    name: : Visits", "9:11 yaml-syntax: mapping values are not allowed in this context ('name' has two colons: write"
         " 'name: Visits'; if the second colon belongs to the value, write it in quotes, 'name: \": Visits\"')"),
        ("    name:  : Visits  # typed twice", "9:12 yaml-syntax: mapping values are not allowed in this context ('name' has"
         " two colons: write 'name: Visits'; if the second colon belongs to the value, write it in quotes, 'name: \": Visits\"')"),
    ],
)
def test_a_second_colon_after_a_key_gets_the_line_to_write(line: str, expected: str, tmp_path: Path) -> None:
    # Before: "quote a value that contains ': ' ("like: this"), or check the indentation of this line and the one above"
    problems = check(MINIMAL + f"  - id: visit\n{line}\n    stage: buy\n    channel: web\n", tmp_path)
    assert problems == [expected]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  - {id: visit, name: : Visits, stage: buy, channel: web}", "8:23 yaml-syntax: did not find expected node content"
         " (while parsing a flow node) ('name' has two colons: write 'name: Visits'; if the second colon belongs to the"
         " value, write it in quotes, 'name: \": Visits\"')"),
        # ':Visits' loads as written in block style; in curly brackets it is no value
        ("  - {id: visit, stage: buy, channel: web, name: :Visits}", "8:49 yaml-syntax: did not find expected node content"
         " (while parsing a flow node) (in curly brackets a value starting with ':' is written in quotes:"
         " 'name: \":Visits\"')"),
        ("  - {id: visit, stage: buy, channel: web, name:  :  Visits }", "8:50 yaml-syntax: did not find expected node"
         " content (while parsing a flow node) ('name' has two colons: write 'name: Visits'; if the second colon belongs"
         " to the value, write it in quotes, 'name: \": Visits\"')"),
    ],
)
def test_a_second_colon_after_a_key_in_curly_brackets_gets_the_value_to_write(line: str, expected: str, tmp_path: Path) -> None:
    """`{id: visit, name: : Visits}` got the generic "a value is missing here, or starts with a character that needs
    quotes", where the same line in block style names the key and the two ways to write it."""
    problems = check(MINIMAL + line + "\n", tmp_path)
    assert problems == [expected]


def test_a_number_or_boolean_with_one_typographic_quote_is_told_the_quote(tmp_path: Path) -> None:
    """`share: “0.40` (autocorrect's opening quote, the closing one lost) got the plain hint of a share, "a share is a
    fraction of the customers, from 0 to 1", where `share: “0.40”` is told the quotes: one quote is told too."""
    text = MINIMAL.replace("personas: [{id: shopper, name: Shopper}]", "personas:\n  - {id: shopper, name: Shopper,"
                           " share: 0.60}\n  - id: other\n    name: Other\n    share: \u201c0.40") + (
        "  - id: visit\n    name: Visits\n    stage: buy\n    channel: web\n    entry: true\u201d\n"
        "    metrics: {csat: \u201c0.8}\n    next:\n      - to: pay\n        share: 0.5\u2019\n"
        "  - {id: pay, name: Pays, stage: buy, channel: web, outcome: success}\n")
    assert check(text, tmp_path) == [
        "8:12 wrong-type: persona 'other': 'share' must be a number, not the text '\u201c0.40' (write 0.40 without the"
        " \u201c: a typographic quote is text to YAML)",
        "16:12 wrong-type: touchpoint 'visit': 'entry' must be true or false, not the text 'true\u201d' (write true"
        " without the \u201d: a typographic quote is text to YAML)",
        "17:21 metric-value: touchpoint 'visit': CSAT value '\u201c0.8' is not a number (write 0.8 without the \u201c:"
        " a typographic quote makes it text)",
        "20:16 wrong-type: touchpoint 'visit', flow #1: 'share' must be a number, not the text '0.5\u2019' (write 0.5"
        " without the \u2019: a typographic quote is text to YAML)"]


@pytest.mark.parametrize(
    ("flow", "hint"),
    [
        ("      - journey: card-activation\n        share: 0.5\n",
         "a flow into journey 'card-activation' names the touchpoint of that journey it leads to: add 'to: TOUCHPOINT-ID'"
         " beside 'journey:'"),
        ("      - share: 0.5\n", "a flow names the touchpoint it leads to: write 'to: TOUCHPOINT-ID'"),
    ],
)
def test_a_flow_without_to_says_what_to_write(flow: str, hint: str, tmp_path: Path) -> None:
    # Before: "the required key 'to' is missing", without a hint, beside a journey named and no touchpoint of it
    problems = check(MINIMAL + "  - id: visit\n    name: Visits\n    stage: buy\n    channel: web\n    next:\n" + flow, tmp_path)
    assert problems == [f"13:9 missing-key: touchpoint 'visit', flow #1: the required key 'to' is missing ({hint})"]


@pytest.mark.parametrize(
    ("friction", "expected"),
    [
        # a list of words, as on a sticky note: each kept as the note of a pain point to type and grade
        ("[slow page]", "15:16 wrong-type: touchpoint 'visit', friction #1 must be a mapping, not the text 'slow page'"
                        " (a pain point is a mapping: write '- {type: other, severity: 3, note: \"slow page\"}', its"
                        " type one of effort, wait, error, confusion, handoff, trust, accessibility, other, its severity"
                        " 1 (minor) to 5 (blocking))"),
        # a type alone: the type kept
        ("[Wait]", "friction #1 must be a mapping, not the text 'Wait' (a pain point is a mapping: write"
                   " '- {type: wait, severity: 3}', its type"),
        # a note with a colon, a quote and a comma stays one YAML string
        ("['Says: \"no slots\", again']", "write '- {type: other, severity: 3, note: \"Says: \\\"no slots\\\", again\"}'"),
        # a long note is not cut where it would be pasted
        ("['" + "The slot page shows slots that are gone by the time you pay for them" + "']",
         "write '- {type: other, severity: 3, note: <the text, in double quotes>}'"),
    ],
    ids=["words", "a-type", "quotes-and-colons", "long-note"],
)
def test_a_pain_point_written_as_text_gets_the_mapping_to_write(friction: str, expected: str, tmp_path: Path) -> None:
    text = JOURNEY.format(imports="", defined="pay", referenced="pay").replace(
        "  - {id: visit, name: Visits, stage: buy, channel: web, entry: true, next: [pay]}\n",
        f"  - id: visit\n    name: Visits\n    stage: buy\n    channel: web\n    entry: true\n    next: [pay]\n    friction: {friction}\n",
    )
    problems = check(text, tmp_path)
    assert len(problems) == 1 and expected in problems[0], problems
    # the hint's mapping is what the loader takes
    if "write '- " in problems[0] and "<the text" not in problems[0]:
        written = problems[0].split("write '- ", 1)[1].split("', its type", 1)[0]
        fixed = text.replace(f"friction: {friction}", f"friction: [{written}]")
        assert check(fixed, tmp_path) == []


def test_personas_channels_and_stages_written_as_names_get_the_mappings_to_write(tmp_path: Path) -> None:
    """`personas: [Busy parent, Student]`, `channels: [web, email]`, `stages: [Discover, Buy]`: a workshop's lists of
    names were told 'must be a mapping, not the text' without what the mapping holds."""
    text = (
        "journeymap: 1\nid: shop\ntitle: Shop\npersonas: [Busy parent, Student]\nchannels: [web, E-mail]\n"
        "stages: [Discover, Buy]\ntouchpoints:\n"
        "  - {id: visit, name: Visits, stage: discover, channel: web, next: [pay]}\n"
        "  - {id: pay, name: Pays, stage: buy, channel: web, outcome: won}\n"
    )
    problems = check(text, tmp_path)
    assert problems[:6] == [
        "4:12 wrong-type: persona #1 must be a mapping, not the text 'Busy parent' (a persona is a mapping of an id and"
        " a name: write '- {id: busy-parent, name: Busy parent}')",
        "4:25 wrong-type: persona #2 must be a mapping, not the text 'Student' (a persona is a mapping of an id and a"
        " name: write '- {id: student, name: Student}')",
        "5:12 wrong-type: channel #1 must be a mapping, not the text 'web' (a channel is a mapping of an id and a name:"
        " write '- {id: web, name: web}')",
        "5:17 wrong-type: channel #2 must be a mapping, not the text 'E-mail' (a channel is a mapping of an id and a"
        " name: write '- {id: e-mail, name: E-mail}')",
        "6:10 wrong-type: stage #1 must be a mapping, not the text 'Discover' (a stage is a mapping of an id and a name:"
        " write '- {id: discover, name: Discover}')",
        "6:20 wrong-type: stage #2 must be a mapping, not the text 'Buy' (a stage is a mapping of an id and a name:"
        " write '- {id: buy, name: Buy}')",
    ]
    # a long name is neither repeated nor cut in the mapping to paste; its id is cut at a word
    long = check(text.replace("[Busy parent, Student]", "[" + "Parents who order for a family of five " * 8 + "]"), tmp_path)
    assert ("(a persona is a mapping of an id and a name: write '- {id: parents-who-order-for-a-family-of-five,"
            " name: <the name, in double quotes>}')") in long[0], long[0]
    # the references to them say where the stage or channel is, not "unknown" alone
    assert "8:38 unknown-reference: touchpoint 'visit': unknown stage 'discover' (stage #1 is written as the text" \
           " 'Discover': written as a mapping, its id 'discover' is read)" in problems
    assert "9:48 unknown-reference: touchpoint 'pay': unknown channel 'web' (channel #1 is written as the text 'web':" \
           " written as a mapping, its id 'web' is read)" in problems
    # an outcome in a sales team's words gets the outcome it means
    assert "9:62 invalid-value: touchpoint 'pay': the text 'won' is not a valid 'outcome'; expected 'success' or 'failure'" \
           " (did you mean 'success'?)" in problems
    # the mappings written as told, the journey loads (its ids as the touchpoints name them)
    fixed = text.replace("[Busy parent, Student]", "[{id: busy-parent, name: Busy parent}, {id: student, name: Student}]") \
        .replace("[web, E-mail]", "[{id: web, name: Web}, {id: e-mail, name: E-mail}]") \
        .replace("[Discover, Buy]", "[{id: discover, name: Discover}, {id: buy, name: Buy}]").replace("won", "success")
    assert check(fixed, tmp_path) == []
