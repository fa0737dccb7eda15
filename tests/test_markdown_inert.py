"""Journey text is inert in every Markdown output, proved with a real CommonMark/GFM renderer.

``report --format markdown``, ``render --to md`` and ``diff --format markdown``
go into pull-request comments and wikis. A friction note ``![x](https://...)``
must not become a tracking pixel, ``[y](javascript:...)`` not a link, and
``a | b`` not a new table column. Each output of a hostile journey is parsed
by markdown-it-py (CommonMark, with GFM tables, strikethrough, bare-URL
autolinks through linkify-it-py, and footnotes), and the token tree is
compared with the one of the same journey written in harmless words: the
journey text adds no link, image, HTML, code span, emphasis, heading, list,
table cell or footnote, and every character of it is still there as text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown_it  # the test extra installs markdown-it-py, linkify-it-py and mdit-py-plugins
import pytest
import yaml
from markdown_it.token import Token
from mdit_py_plugins import footnote

from journeymap.cli import main
from journeymap.render.escape import markdown_text

SENTINEL = "QZX"
#: Everything Markdown (CommonMark + GFM + GitHub) could read as markup, on one line.
INLINE = (
    f"{SENTINEL} ![x](https://evil.com/p.png) [y](javascript:alert(1)) [z][ref] <http://evil.com/a>"
    " www.evil.com https://evil.com/b x@evil.com *em* **strong** _u_ __uu__ ~~s~~ ~t~"
    " `code` ``co`de`` <img src=x onerror=alert(1)> <b>bold</b> <!-- c --> &amp; &#x41; &copy; [^1]"
    " $x^2$ @someone #123 | cell | \\| \\* trailing\\"
)
#: What GitHub links by itself in a comment (docs.github.com, "Autolinked references and URLs"): an issue
#: as GH-123 or owner/repo#123, a commit as its SHA (7 to 40 hex digits: a customer id deadbeef1 is one),
#: owner@SHA or owner/repo@SHA, a custom autolink prefix before a number (JIRA-42), and a URL.
REFERENCES = (
    f"{SENTINEL} GH-123 gh-7 owner/repo#123 owner@deadbeef1 owner/repo@a5c3785 deadbeef1 1234567"
    " a5c3785ed8d6a35868bc169f07e40e889087fd2e JIRA-42 WWW.evil.com ftp://evil.com/d :rage: :+1:"
)
#: The same, as patterns over the text a reader sees (the rendered page's text, where escapes are gone and
#: where GitHub looks for references: it links them after rendering, outside links and code), with the
#: extended autolinks of GFM (www., scheme://) for a linker that would run there too. None may match.
GITHUB_AUTOLINKS = {
    "mention": r"(?<![A-Za-z0-9_])@[A-Za-z0-9]",
    "issue": r"#[0-9]",
    "prefix and number (GH-123, a custom autolink)": r"(?<![A-Za-z0-9_])[A-Za-z]+-[0-9]",
    "commit SHA": r"(?<![A-Za-z0-9_])[0-9A-Fa-f]{7,40}(?![A-Za-z0-9_])",
    "www": r"(?i)(?<![A-Za-z0-9_.])www\.",
    "scheme": r"(?i)[a-z]+://",
    "emoji shortcode (:rage: is an image of an angry face)": r":[A-Za-z0-9_+-]+:",
}


def seen_text(tokens: list[Token]) -> str:
    """The text a reader sees, one line for each paragraph, heading or table cell."""
    return "\n".join(text_of([t]) for t in tokens if t.type == "inline")


def github_autolinks(text: str) -> list[str]:
    """Every piece of ``text`` that GitHub (or GFM's autolinker, run on the rendered text) would link."""
    return [f"{name}: {m.group()!r} in {text[max(0, m.start() - 20) : m.end() + 20]!r}"
            for name, pattern in GITHUB_AUTOLINKS.items() for m in re.finditer(pattern, text)]
#: Block structure at the start of lines (a note can hold several lines).
BLOCKS = (
    f"{SENTINEL} first\n# heading\n- item\n1. item\n> quote\n<div>block</div>\n    indented code\n---\n"
    "=====\n```\nfence\n```\n[ref]: https://evil.com/ref\n[^1]: footnote text\n| a | b |\n|---|---|\n| c | d |\n"
    "line with two spaces  \nend\\"
)


def journey(text: str, blocks: str, *, severity: int = 5, suffix: str = "") -> dict[str, Any]:
    return {
        "journeymap": 1,
        "id": "markdown-hostile",
        "title": f"{text}{suffix}",
        "personas": [{"id": "shopper", "name": f"{text} persona"}],
        "channels": [{"id": "web", "name": f"{text} channel"}],
        "stages": [{"id": "browse", "name": f"{text} stage"}, {"id": "buy", "name": blocks}],
        "touchpoints": [
            {
                "id": "visit",
                "name": f"{text} visit{suffix}",
                "stage": "browse",
                "channel": "web",
                "entry": True,
                "emotion": -2,
                "friction": [{"type": "effort", "severity": severity, "note": blocks}],
                "next": [{"to": "pay", "share": 0.6, "label": text}],
            },
            {"id": "pay", "name": blocks, "stage": "buy", "channel": "web", "outcome": "success", "emotion": -1},
        ],
    }


def write(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def parser() -> Any:
    import linkify_it  # noqa: F401  (markdown-it's linkify rule needs it; fail here, not silently)

    md = markdown_it.MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
    md.use(footnote.footnote_plugin)
    return md


def outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str], inline: str, blocks: str) -> dict[str, str]:
    """Every Markdown output journeymap writes, for a journey holding ``inline`` and ``blocks``."""
    folder = tmp_path / ("harmless" if "plain" in inline else "hostile")
    folder.mkdir(exist_ok=True)
    old = write(folder, "old.journey.yaml", journey(inline, blocks))
    new = write(folder, "new.journey.yaml", journey(inline, blocks, severity=2, suffix=f" {inline}"))
    result = {}
    assert main(["report", "--format", "markdown", str(old)]) == 0
    result["report"] = capsys.readouterr().out
    assert main(["render", "--to", "md", "-o", str(folder / "out"), str(old)]) == 0
    capsys.readouterr()
    result["render"] = (folder / "out" / "markdown-hostile.md").read_text(encoding="utf-8")
    main(["diff", "--format", "markdown", str(old), str(new)])
    result["diff"] = capsys.readouterr().out
    return result


def flatten(tokens: list[Token]) -> list[Token]:
    found = []
    for token in tokens:
        found.append(token)
        if token.children:
            found += flatten(token.children)
    return found


#: Token types that are only text: escapes and entities make text_special tokens.
TEXTUAL = {"text", "text_special", "softbreak", "hardbreak"}


def skeleton(tokens: list[Token]) -> list[str]:
    """The structure of a rendered document: every token that is not text, with the tag of HTML."""
    shape = []
    for token in flatten(tokens):
        if token.type in TEXTUAL or token.type == "inline":
            continue
        shape.append(f"{token.type}:{token.content}" if token.type.startswith("html") else token.type)
    return shape


def text_of(tokens: list[Token]) -> str:
    return "".join(t.content for t in flatten(tokens) if t.type in ("text", "text_special"))




@pytest.mark.parametrize("which", ["report", "render", "diff"])
def test_journey_text_adds_no_markup(which: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    md = parser()
    hostile = outputs(tmp_path, capsys, INLINE, BLOCKS)[which]
    harmless = outputs(tmp_path, capsys, f"{SENTINEL} plain words", f"{SENTINEL} plain note\nsecond line")[which]
    hostile_tokens, harmless_tokens = md.parse(hostile), md.parse(harmless)
    # The same structure as the harmless journey: no heading, list, quote, code block, table
    # cell, link, image, HTML, code span, emphasis or footnote came from the journey text.
    assert skeleton(hostile_tokens) == skeleton(harmless_tokens), hostile
    for token in flatten(hostile_tokens):
        assert token.type not in {"link_open", "image", "footnote_ref", "footnote_block_open"}, token
        if token.type.startswith("html"):  # ours only: <br> in a table cell, <details> in a diff
            assert re.fullmatch(r"<br>|</?details>\n?|<details><summary>[\w :,]+</summary>\n", token.content), token
        if token.type == "code_inline":
            assert SENTINEL not in token.content and "evil" not in token.content, token
    # Emphasis, strikethrough and code only ever wrap our own words.
    for inline in (t for t in hostile_tokens if t.type == "inline"):
        depth = 0
        for child in inline.children or []:
            if child.type in ("em_open", "strong_open", "s_open", "link_open"):
                depth += 1
            elif child.type in ("em_close", "strong_close", "s_close", "link_close"):
                depth -= 1
            elif depth and child.type == "text":
                assert SENTINEL not in child.content and "evil" not in child.content, child
    # Nothing was dropped: every character of the journey text reads back as text (with a
    # zero-width space after '@', so that '@someone' notifies nobody on GitHub, and after a '#'
    # before a digit, so that '#123' links no issue).
    # A name longer than a table cell shows is cut at a word with an ellipsis: what is shown
    # reads back exactly.
    from journeymap.render.escape import ELLIPSIS, shorten

    text = text_of(hostile_tokens).replace("\u200b", "")
    for written in (" ".join(INLINE.split()), " ".join(BLOCKS.split())):
        assert written in text or shorten(written).removesuffix(ELLIPSIS) + ELLIPSIS in text, written


@pytest.mark.parametrize("which", ["report", "render", "diff"])
def test_journey_text_links_no_github_reference(which: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'#123' and '@someone' were made inert before; 'GH-123', 'owner@deadbeef1', a customer id
    'deadbeef1' (a commit SHA to GitHub, when a commit starts so) and 'www.evil.com' / 'ftp://' were
    still there in the rendered text, where GitHub finds references after rendering. A zero-width
    space now breaks each (every 6th hex digit of a run of 7 or more, after the '-' of a prefix
    before a number, after 'www' and the ':' of 'scheme://'), and the text reads the same."""
    md = parser()
    tokens = md.parse(outputs(tmp_path, capsys, REFERENCES, f"{SENTINEL} note {REFERENCES}")[which])
    text = seen_text(tokens)
    assert github_autolinks(text) == [], text
    assert " ".join(REFERENCES.split()) in text.replace("\u200b", "")
    assert not [t for t in flatten(tokens) if t.type in ("link_open", "code_inline") and SENTINEL in t.content]


@pytest.mark.parametrize("which", ["report", "render", "diff"])
def test_table_rows_keep_their_column_count(which: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tokens = parser().parse(outputs(tmp_path, capsys, INLINE, BLOCKS)[which])
    tables = 0
    widths: list[int] = []
    for token in tokens:
        if token.type == "table_open":
            tables += 1
            widths = []
        elif token.type == "tr_open":
            widths.append(0)
        elif token.type in ("th_open", "td_open"):
            widths[-1] += 1
        elif token.type == "table_close":
            assert len(set(widths)) == 1, widths
    assert tables >= 1


def test_markdown_text_round_trips_every_ascii_punctuation() -> None:
    md = parser()
    for char in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~":
        for text in (char, f"{char}{char}x{char}{char}", f"a {char} b", f"{char}a{char}"):
            tokens = md.parse(f"| h |\n|---|\n| {markdown_text(text)} |\n\n- {markdown_text(text)}\n")
            cells = [t for t in tokens if t.type in ("th_open", "td_open")]
            assert len(cells) == 2, text
            assert skeleton(tokens) == skeleton(md.parse("| h |\n|---|\n| x |\n\n- x\n")), text
            got = text_of(tokens).replace("\u200b", "")
            assert got == f"h{text}{text}", (text, markdown_text(text), got)


@pytest.mark.parametrize(
    "text",
    [
        "1. item", "12) item", "- item", "+ item", "* item", "> quote", "# heading", "=== x", "--- x",
        "www.evil.com", "evil.com/path", "https://1.2.3.4/x", "//evil.com", "mailto:x@evil.com",
        "x@evil.com", "_u_ snake_case_name __b__", "a*b*c", "x~~y~~z", "$1 + $2$", "end\\", "&copy; &#65;",
        "<https://evil.com>", "[a]: https://evil.com", "[^1]", "`a` ``b``", "3.2 v1.0 a.b",
        "GH-123", "owner/repo#123", "owner@deadbeef1", "deadbeef1", "a5c3785ed8d6a35868bc169f07e40e889087fd2e",
        "-1234567.", "1234567. item", "https://github.com/o/r/issues/1", "WWW.evil.com", ":smile: :+1: 10:30:00",
    ],
)
def test_markdown_text_is_literal_text(text: str) -> None:
    md = parser()
    tokens = md.parse(f"- {markdown_text(text)}\n\n{markdown_text(text)}\n")
    assert [t.type for t in tokens] == [
        "bullet_list_open", "list_item_open", "paragraph_open", "inline", "paragraph_close", "list_item_close",
        "bullet_list_close", "paragraph_open", "inline", "paragraph_close",
    ], (text, markdown_text(text))
    assert skeleton(tokens) == skeleton(md.parse("- x\n\nx\n")), (text, markdown_text(text))
    assert text_of(tokens).replace("\u200b", "") == text + text, (text, markdown_text(text))
    assert github_autolinks(seen_text(tokens)) == [], (text, markdown_text(text))


def test_data_file_text_mentions_nobody(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Customer ids and segments from an event log are escaped with a backslash before every
    punctuation mark, '@' too; but GitHub finds mentions in the rendered text, where '\\@jsmith'
    is '@jsmith' again: a log keyed by social handles (a social customer-care export) notified
    @jsmith and the @cx-team from the report's pull-request comment. An '@' that could start a
    mention is now followed by a zero-width space, as in journey text; an e-mail address cannot
    start one and is written as before."""
    journey = Path(__file__).resolve().parent.parent / "sample_journeys" / "grocery-first-order.journey.yaml"
    log = tmp_path / "handles.csv"
    rows = ["customer,timestamp,touchpoint,segment"]
    for who in ("@jsmith", "@jdoe", "ann@example.com"):
        rows += [f"{who},2026-09-10T10:00:00Z,see-social-ad,@cx-team", f"{who},2026-09-10T10:05:00Z,dm-us,@cx-team"]
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["report", "--format", "markdown", "--events", str(log), str(journey)]) == 0
    out = capsys.readouterr().out
    text = text_of(parser().parse(out))
    assert "@\u200bjsmith" in text and "@\u200bcx-team" in text and "ann@example.com" in text  # all shown
    assert re.search(r"(?<![A-Za-z0-9_])@[A-Za-z0-9]", text) is None, text
    assert "ann\\@example\\.com" in out  # as before


def test_an_order_number_in_a_comment_or_an_id_links_no_issue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """GitHub links '#4521' in a comment's text to issue or pull request 4521 of the repository,
    and puts a 'mentioned this' on its timeline; a backslash does not stop it (it finds references
    in the rendered text). Survey comments name order numbers ("Order #4521 never came"), and a
    log of Shopify orders has '#1001' as its customer ids: the report's pull-request comment linked
    them all. A '#' before a digit is now followed by a zero-width space, in every Markdown text."""
    journey = Path(__file__).resolve().parent.parent / "sample_journeys" / "grocery-first-order.journey.yaml"
    answers = tmp_path / "survey.csv"
    answers.write_text(
        "touchpoint,metric,score,comment\n"
        + "".join(f"report-missing-items,csat,{1 + i % 2},Order #45{i:02d} never came and #{i} is gone\n" for i in range(40)),
        encoding="utf-8",
    )
    log = tmp_path / "orders.csv"
    log.write_text(
        "customer,timestamp,touchpoint\n"
        + "".join(f"#10{i:02d},2026-09-10T10:00:00Z,see-social-ad\n#10{i:02d},2026-09-10T10:05:00Z,refund\n" for i in range(3)),
        encoding="utf-8",
    )
    assert main(["report", "--format", "markdown", "--responses", str(answers), "--events", str(log), str(journey)]) == 0
    out = capsys.readouterr().out
    text = text_of(parser().parse(out))
    assert "Order #\u200b45" in text and "#\u200b1000" in text, out  # shown, with the space
    assert re.search(r"#[0-9]", text) is None, re.findall(r".{20}#[0-9].{20}", text)


def test_data_file_text_links_no_commit_issue_or_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Customer ids from an event log are often hex (deadbeef1, a hash: a commit SHA to GitHub, linked
    when a commit starts so) or a ticket (GH-12, JIRA-42), and a survey comment names a site: each was
    a link, a commit or an issue in the report's pull-request comment. Shown the same, linked nowhere."""
    journey = Path(__file__).resolve().parent.parent / "sample_journeys" / "grocery-first-order.journey.yaml"
    log = tmp_path / "hex.csv"
    ids = ("deadbeef1", "GH-12", "ann@cafebabe1")  # the report shows 3 examples
    log.write_text("customer,timestamp,touchpoint\n" + "".join(
        f"{who},2026-09-10T10:00:00Z,see-social-ad\n{who},2026-09-10T10:05:00Z,dm-us\n" for who in ids),
        encoding="utf-8")
    answers = tmp_path / "survey.csv"
    answers.write_text(
        "touchpoint,metric,score,comment\n"
        + "".join(f"report-missing-items,csat,{1 + i % 2},see www.example.com or https://example.com/{i}"
                  f" and owner/repo#{i} fixed in 1a2b3c4d GH-{i} :rage:\n" for i in range(40)),
        encoding="utf-8",
    )
    assert main(["report", "--format", "markdown", "--responses", str(answers), "--events", str(log), str(journey)]) == 0
    out = capsys.readouterr().out
    tokens = parser().parse(out)
    text = seen_text(tokens)
    assert github_autolinks(text) == [], text
    shown = text.replace("\u200b", "")
    assert all(who in shown for who in ids), shown
    assert "see www.example.com or https://example.com/" in shown and "fixed in 1a2b3c4d GH-" in shown, shown
    assert ":rage:" in shown
    assert not [t for t in flatten(tokens) if t.type == "link_open"]
