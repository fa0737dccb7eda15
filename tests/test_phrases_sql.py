"""Phrases counted in DuckDB (journeymap.data.phrases_sql) give exactly what the Python
path gives: ``phrases_of`` per text, ``_phrases`` per touchpoint."""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.data.verbatims import (
    COMMENT_LIMIT,
    STOP_WORDS,
    CommentGroup,
    _phrases,
    may_hold_address,
    phrases_of,
)

duckdb = pytest.importorskip("duckdb")

from journeymap.data.phrases_sql import (  # noqa: E402
    _UNPLAIN,
    count_phrases,
    distinctive_phrases,
    rank_phrases,
    text_phrases,
)

ASCII_WORDS = ["the", "The", "DRIVER", "driver", "Late", "late", "fresh", "MILK", "milk", "slot", "app", "crash", "code",
               "don't", "Don't", "it's", "won't", "i'm", "I", "a", "but", "BUT", "very", "12345", "7", "0x1", "x2",
               "O'Brien", "rock'n'roll", "o'", "'tis", "x_y", "_", "__init__", *sorted(STOP_WORDS)[:12]]
RICH_WORDS = ["café", "CAFÉ", "naïve", "İSTANBUL", "İ", "Straße", "STRASSE", "ß", "ΟΔΟΣ", "Σ", "ς", "ΑΣ", "²", "٣", "ﬁne",
              "Ǆ", "ǅ", "K", "Å", "😀", "𝒜", "ı"]
ASCII_PIECES = ["@", "a.b@c.d", "://", "www.", "WWW.x", "x@y.z ", " https://x.y/z", "mailto:", " ", " ", " ", ", ", ". ", "! ", "? ", "; ", ": ", "(", ")", "[", "]", '"', "/", "|", " - ", "-", "- ", " -",
                "'", "''", " ' ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x00", "\x7f",
                "_", "*", "<b>", "..."]
RICH_PIECES = ["\x1b[31m", "\x1b[0m", "\x1b", "\x1b]8;;", "“", "”", "…", "–", "—", "’", "\x85", "\xa0", "\u2028", "\u3000",
               " – ", " — ", "\t–\n"]


def ascii_texts() -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(ASCII_WORDS), st.sampled_from(ASCII_PIECES), st.text(st.characters(codec="ascii"), max_size=3))
    return st.lists(piece, max_size=40).map("".join)


PLAIN_WORDS = ["the", "The", "DRIVER", "late", "fresh", "milk", "Slot", "don't", "it's", "i'm", "O'Brien", "12345", "7",
               "x2", "a", "but", "very", "e-mail", "co-op", "well-known", *sorted(STOP_WORDS)[12:24]]
PLAIN_PIECES = [" ", " ", " ", ", ", ". ", "!", "?", ";", ":", "(", ")", "[", "]", '"', "/", "|", " - ", "-", "--", " -- ",
                "- ", " -", " - - ", "...", "'", "  "]


def plain_texts() -> st.SearchStrategy[str]:
    """Texts that are mostly plain (letters, digits, spaces, clause punctuation, hyphens, apostrophes in words):
    those are split without a regular expression."""
    piece = st.one_of(st.sampled_from(PLAIN_WORDS), st.sampled_from(PLAIN_PIECES))
    return st.lists(piece, max_size=40).map("".join)


def rich_texts() -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.sampled_from(ASCII_WORDS + RICH_WORDS),
        st.sampled_from(ASCII_PIECES + RICH_PIECES),
        st.text(max_size=3),
    )
    return st.lists(piece, max_size=40).map("".join)


@cache
def connection() -> Any:
    """One connection for all examples (each replaces its tables): connecting takes milliseconds."""
    return duckdb.connect()


def load(con: Any, name: str, columns: dict[str, Sequence[Any]]) -> None:
    """A TEMP table of Python columns (numpy arrays: no pandas)."""
    arrays = {
        column: np.array(values, dtype=np.int64 if column in ("id", "n") else object) for column, values in columns.items()
    }
    con.register(name + "_src", arrays)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_src")
    con.unregister(name + "_src")


def phrases_in_sql(texts: Sequence[str]) -> tuple[dict[int, list[str]], int]:
    """Each text's phrase rows (as a list: duplicates would show) and how many texts went to Python."""
    con = connection()
    load(con, "texts", {"id": list(range(len(texts))), "text": list(texts)})
    in_python = text_phrases(con, "texts", "text_phrases")
    rows: dict[int, list[str]] = {i: [] for i in range(len(texts))}
    for text_id, phrase in con.execute("SELECT id, phrase FROM text_phrases").fetchall():
        rows[text_id].append(phrase)
    return rows, in_python


def check_texts(texts: Sequence[str]) -> int:
    rows, in_python = phrases_in_sql(texts)
    for index, text in enumerate(texts):
        assert len(rows[index]) == len(set(rows[index])), text
        assert set(rows[index]) == phrases_of(text), text
    return in_python


@settings(max_examples=800, deadline=None)
@given(st.lists(st.one_of(ascii_texts(), plain_texts()), max_size=12))
def test_ascii_texts_have_the_phrases_of_phrases_of(texts: list[str]) -> None:
    in_python = check_texts(texts)
    # Every ASCII text without an escape character (or what may be an address) is split in SQL.
    assert in_python == sum("\x1b" in text or may_hold_address(text) for text in texts)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.one_of(rich_texts(), ascii_texts()), max_size=12))
def test_any_texts_have_the_phrases_of_phrases_of(texts: list[str]) -> None:
    in_python = check_texts(texts)
    assert in_python == sum(not text.isascii() or "\x1b" in text or may_hold_address(text) for text in texts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.characters(codec="ascii"), max_size=200), max_size=12))
def test_any_ascii_characters(texts: list[str]) -> None:
    check_texts(texts)


def test_a_text_with_a_web_or_e_mail_address_goes_to_phrases_of() -> None:
    texts = ["Email me at jane.doe@example.com or call back", "reset link HTTPS://LARDER.EXAMPLE/reset never arrived",
             "Go to Www.larder.example/help page", "@channel slot booking", "late slot, fresh milk"]
    assert check_texts(texts) == 4
    assert phrases_in_sql(texts)[0][0] == ["call back"]


def test_long_texts_are_cut_where_phrases_of_cuts_them() -> None:
    texts = [
        "x" * (COMMENT_LIMIT - 6) + " late slot, fresh milk",  # cut inside "slot"
        "late " + "fresh milk " * 600,  # cut inside "fresh"
        "late " + "Fresh Milk " * 600, "late " + "fresh milk " * 600 + "café",  # (the last in Python)
        "x" * (COMMENT_LIMIT - 10) + " late slot fresh", "x" * (COMMENT_LIMIT - 11) + " late slot,fresh",
        "x" * (COMMENT_LIMIT - 1) + "7 late slot", "x" * (COMMENT_LIMIT - 1) + "_y late slot",
        "late " * 3000 + "fresh milk",
        "word " * (COMMENT_LIMIT // 5) + "fresh milk",
        "x" * (COMMENT_LIMIT + 10) + " café late slot",  # not ASCII past the cut: Python
        "",
    ]
    check_texts(texts)


def bench_module() -> Any:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import bench_responses

    return bench_responses


def test_an_ascii_survey_corpus_is_split_in_sql() -> None:
    bench = bench_module()
    rng = random.Random(5)
    corpus = [bench.distinct_comment(rng) for _ in range(5000)]
    corpus += [" ".join([rng.choice(bench.MOODS), *rng.sample(bench.WORDS, 3)]).capitalize() + "!" for _ in range(500)]
    corpus += ["Le café était froid, livreur en retard", "The \x1b[1mdriver\x1b[0m was late"]
    rows, in_python = phrases_in_sql(corpus)
    assert in_python == 2  # the two that are not ASCII without escapes; a fallback for all would fail here
    plain = connection().execute(
        "SELECT count(*) FILTER (NOT regexp_matches(lower(text), $unplain)) FROM texts", {"unplain": _UNPLAIN}
    ).fetchall()[0][0]
    assert plain > 5000  # split without a regular expression (and equal to phrases_of below)
    assert all(set(rows[i]) == phrases_of(text) for i, text in enumerate(corpus))
    assert sum(len(found) for found in rows.values()) > 20_000


# -- distinctive phrases per touchpoint -------------------------------------------------------

VOCABULARY = ["late", "driver", "fresh", "milk", "slot", "app", "crash", "code", "the", "was", "very", "not", "great",
              "Éclair", "éclair", "zebra", "Zebra", "ßig", "Straße", "ΑΣ", "12", "don't", "a"]
BREAKS = [" ", " ", " ", " ", ", ", ". ", " - ", "…", "\x1b[0m "]


@st.composite
def survey(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, int, int]]]:
    """A pool of texts made of a few words (so that they share phrases) and groups (key, text, count)."""
    words = st.lists(st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(BREAKS)), min_size=1, max_size=7)
    pool = draw(st.lists(words.map(lambda pairs: "".join(w + b for w, b in pairs).strip()), min_size=1, max_size=14))
    keys = draw(st.lists(st.sampled_from(["checkout", "delivery", "app", "refund", "é-key", "Z"]), min_size=1, max_size=4, unique=True))
    groups = draw(
        st.lists(
            st.tuples(st.sampled_from(keys), st.integers(0, len(pool) - 1), st.integers(1, 4)),
            max_size=50,
        )
    )
    return pool, groups


def python_phrases(pool: list[str], groups: list[tuple[str, int, int]]) -> dict[str, list[tuple[str, int]]]:
    made = [CommentGroup(key, pool[text], None, None, count, lambda: None, "f.csv") for key, text, count in groups]  # type: ignore[arg-type, return-value]
    by_touchpoint: dict[str, list[int]] = {}
    for index, group in enumerate(made):
        by_touchpoint.setdefault(group.touchpoint, []).append(index)
    return _phrases(made, by_touchpoint)


def sql_phrases(pool: list[str], groups: list[tuple[str, int, int]], fetch: int) -> dict[str, list[tuple[str, int]]]:
    con = connection()
    load(con, "texts", {"id": list(range(len(pool))), "text": pool})
    text_phrases(con, "texts", "text_phrases")
    load(con, "comments", {"key": [g[0] for g in groups], "id": [g[1] for g in groups], "n": [g[2] for g in groups]})
    found = distinctive_phrases(con, "comments", "text_phrases", fetch=fetch)
    return found


@settings(max_examples=800, deadline=None)
@given(survey(), st.sampled_from([1, 2, 3, 100]))
def test_distinctive_phrases_are_those_of_the_python_path(data: tuple[list[str], list[tuple[str, int, int]]], fetch: int) -> None:
    pool, groups = data
    assert sql_phrases(pool, groups, fetch) == python_phrases(pool, groups)


def test_distinctive_phrases_of_a_survey_corpus() -> None:
    bench = bench_module()
    rng = random.Random(11)
    pool = [bench.distinct_comment(rng) for _ in range(3000)]
    pool += [" ".join([rng.choice(bench.MOODS), *rng.sample(bench.WORDS, 3)]).capitalize() + "!" for _ in range(300)]
    keys = list(bench.TOUCHPOINTS)
    groups = [(keys[i % len(keys)], rng.randrange(len(pool)), rng.choice([1, 1, 1, 2, 5])) for i in range(8000)]
    expected = python_phrases(pool, groups)
    assert sql_phrases(pool, groups, 100) == expected
    assert sql_phrases(pool, groups, 1) == expected
    assert all(len(chosen) == 5 for chosen in expected.values())


# -- a phrase repeated in one text, and counts shared by everyone and each persona -------------

REPEATED_WORDS = ["late", "Late", "slot", "fresh", "milk", "the", "The", "12", "don't", "it's", "e-mail", "again"]
REPEATED_BREAKS = [" ", " ", " ", ", ", ". ", " - ", "-", "|", "'", " (", ") "]


@st.composite
def repetitive_texts(draw: st.DrawFn) -> str:
    """A few words and breaks, repeated: the same phrase several times in one text, a phrase of two words
    followed by different third words, a phrase across a break one time and not another."""
    piece = st.tuples(st.sampled_from(REPEATED_WORDS), st.sampled_from(REPEATED_BREAKS)).map("".join)
    run = draw(st.lists(piece, min_size=1, max_size=5).map("".join))
    tail = draw(st.lists(piece, max_size=4).map("".join))
    return (run + draw(st.sampled_from([" ", ", ", " | ", "-"]))) * draw(st.integers(1, 4)) + tail


@settings(max_examples=400, deadline=None)
@given(st.lists(repetitive_texts(), min_size=1, max_size=10))
def test_a_phrase_repeated_in_a_text_is_one_row(texts: list[str]) -> None:
    check_texts(texts)  # each text's rows are phrases_of(text), none twice


def test_phrases_repeated_in_a_text_are_kept_once() -> None:
    texts = ["late slot, late slot fresh, late slot milk", "Fresh milk fresh milk FRESH MILK", "late slot" + " late slot" * 40,
             "late slot milk late slot milk", "late - slot late-slot", "the late slot the late slot"]
    rows, in_python = phrases_in_sql(texts)
    assert in_python == 0
    assert sorted(rows[0]) == ["late slot", "late slot fresh", "late slot milk", "slot fresh", "slot milk"]
    assert sorted(rows[1]) == ["fresh milk", "fresh milk fresh", "milk fresh", "milk fresh milk"]
    assert sorted(rows[2]) == ["late slot", "late slot late", "slot late", "slot late slot"]
    assert sorted(rows[4]) == ["late slot", "slot late", "slot late slot"]
    check_texts(texts)


PERSONAS = ["busy-parent", "student", None]


@st.composite
def survey_by_persona(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, int, int, str | None]]]:
    """A survey (as :func:`survey`) whose groups each have a persona (or none)."""
    pool, groups = draw(survey())
    return pool, [(key, text, count, draw(st.sampled_from(PERSONAS))) for key, text, count in groups]


@settings(max_examples=300, deadline=None)
@given(survey_by_persona(), st.sampled_from([1, 100]))
def test_counts_by_persona_rank_as_everyone_and_each_persona(
    data: tuple[list[str], list[tuple[str, int, int, str | None]]], fetch: int
) -> None:
    """The engine counts phrases once per (touchpoint, persona) and ranks everyone's from their sums and
    each persona's from its own: the same phrases as ``_phrases`` on everyone's and on each persona's groups."""
    pool, groups = data
    con = connection()
    load(con, "texts", {"id": list(range(len(pool))), "text": pool})
    text_phrases(con, "texts", "text_phrases")
    load(con, "comments", {"key": [g[0] for g in groups], "id": [g[1] for g in groups], "n": [g[2] for g in groups],
                           "persona": [g[3] for g in groups]})
    count_phrases(con, "comments", "text_phrases", "counts", by=("persona",))
    con.execute("CREATE OR REPLACE TEMP TABLE sizes AS SELECT key, persona, sum(n) AS n FROM comments GROUP BY key, persona")
    for persona in [None, *PERSONAS[:2]]:
        where = "" if persona is None else f" WHERE persona = '{persona}'"
        con.execute(f"CREATE OR REPLACE TEMP VIEW chosen AS SELECT key, id, n FROM comments{where}")
        con.execute(f"CREATE OR REPLACE TEMP VIEW chosen_sizes AS SELECT key, n FROM sizes{where}")
        con.execute(f"CREATE OR REPLACE TEMP VIEW chosen_counts AS SELECT key, phrase, sum(count) AS count FROM counts{where}"
                    " GROUP BY key, phrase")
        mine = [(key, text, count) for key, text, count, who in groups if persona is None or who == persona]
        expected = python_phrases(pool, mine)
        assert rank_phrases(con, "chosen_sizes", "chosen_counts", fetch) == expected
        assert rank_phrases(con, "chosen", "chosen_counts", fetch) == expected
        assert distinctive_phrases(con, "chosen", "text_phrases", fetch) == expected
