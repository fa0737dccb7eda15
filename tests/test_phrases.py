"""The phrases of a comment: the one-scan tokenizer gives exactly what splitting into clauses
and then into words gave (the reference below is the earlier phrases_of, kept as it was, but for
the HTML tags both read first)."""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.data.verbatims import (
    _ADDRESS,
    _CLAUSE,
    _TERMINAL_ESCAPE,
    COMMENT_LIMIT,
    STOP_WORDS,
    phrases_of,
    without_tags,
    words,
)


def reference_phrases_of(text: str) -> set[str]:
    found = set()
    start = text[:COMMENT_LIMIT]
    if len(text) > COMMENT_LIMIT and re.fullmatch(r"[^\W_]{2}", text[COMMENT_LIMIT - 1 : COMMENT_LIMIT + 1]):
        start = re.sub(r"[^\W_]+\Z", "", start)  # not the piece of a word the cut leaves
    text = without_tags(start)  # HTML tags a web form leaves are breaks and spaces, before any tokenizer
    text = _ADDRESS.sub(" | ", text)  # a web or e-mail address is a break
    if "\x1b" in text:
        text = _TERMINAL_ESCAPE.sub(" ", text)
    for clause in _CLAUSE.split(text):
        tokens = words(clause)
        for size in (2, 3):
            for start in range(len(tokens) - size + 1):
                gram = tokens[start : start + size]
                if gram[0] in STOP_WORDS or gram[-1] in STOP_WORDS or gram[0].isdigit() or gram[-1].isdigit():
                    continue
                found.add(" ".join(gram))
    return found


WORDS = ["the", "The", "DRIVER", "driver", "was", "not", "very", "late", "Late", "don't", "won't", "it's", "slot",
         "fresh", "missing", "voucher", "code", "12345", "7", "²", "a", "I", "but", "BUT", "great", "awful", "app",
         "ΟΔΟΣ", "ΑΣ", "İSTANBUL", "Straße", "STRASSE", "ﬁne", "café", "naïve", "😀", "🙂", "x_y", "rock'n'roll", "o'"]
PIECES = ["@", "jane.doe@example.com", "://", "https://x.example/a?b=c", "www.", "WWW.", " ", " ", " ", ", ", ". ", "! ", "? ", "; ", ": ", " - ", "-", " – ", "—", "/", "|", "(", ")", "[", "]", '"',
          "“", "”", "…", "'", "’", "\t", "\n", "\u00a0", "\u3000", "\x1b[31m", "\x1b[0m", "\x1b]8;;", "_", "*", "<b>"]


def texts() -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(PIECES), st.text(max_size=3))
    return st.lists(piece, max_size=40).map("".join)


@settings(max_examples=3000, deadline=None)
@given(texts())
def test_phrases_are_those_of_the_clause_by_clause_reference(text: str) -> None:
    assert phrases_of(text) == reference_phrases_of(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=120))
def test_phrases_of_any_ascii_text_are_the_reference(text: str) -> None:
    assert phrases_of(text) == reference_phrases_of(text)


def test_greek_final_sigma_and_dotted_capital_i_go_clause_by_clause() -> None:
    # Lower-casing the whole text would make the sigma before "." medial and split "İ" apart.
    for text in ["ΟΔΟΣ.ΒΙΒΛΙΟ ΚΑΛΟ ΤΑΧΥ", "İSTANBUL DELIVERY WAS LATE", "ΑΣ’Β ΓΔ ΕΖ, ok"]:
        assert phrases_of(text) == reference_phrases_of(text)
    assert "slot was late" not in phrases_of("The SLOT. Was late")
    assert phrases_of("Driver late, fresh milk missing!") == {"driver late", "fresh milk", "milk missing", "fresh milk missing"}


def test_a_web_or_e_mail_address_is_a_break_between_phrases() -> None:
    """'jane doe', 'doe example com' and 'com or call' were phrases of a customer's e-mail address."""
    assert phrases_of("Email me at jane.doe@example.com or call back") == {"call back"}
    assert phrases_of("Reset link https://larder.example/reset?token=ab12 never arrived") == {"reset link", "never arrived"}
    assert phrases_of("Go to WWW.larder.example/help page, slot booking") == {"slot booking"}
    assert phrases_of("Emailed support@larder.co.uk twice, no reply") == set()
    # what is no address stays words: a mention, a bare domain, a time, an '@' between words
    assert phrases_of("@channel slot booking larder.example, meet @ noon") == {
        "channel slot", "channel slot booking", "slot booking", "booking larder", "slot booking larder", "meet noon"}


def test_a_long_comment_is_analysed_to_the_last_whole_word_before_the_cut() -> None:
    """A comment over 5,000 characters is analysed on its start, which was cut inside a word: 'fresh milk f' and
    'milk f' were phrases of "fresh milk fresh milk ...", and a card showed "word w"."""
    text = "late " + "fresh milk " * 600
    assert len(text) > COMMENT_LIMIT and text[COMMENT_LIMIT - 1 : COMMENT_LIMIT + 1] == "fr"
    assert phrases_of(text) == {"late fresh", "late fresh milk", "fresh milk", "milk fresh", "milk fresh milk",
                                "fresh milk fresh"}
    # a cut between two words, or after punctuation, loses nothing
    assert phrases_of("x" * (COMMENT_LIMIT - 11) + ". late slot fresh") == {"late slot"}
    assert phrases_of("x" * (COMMENT_LIMIT - 12) + ". late slot,fresh") == {"late slot"}
    assert phrases_of("x" * (COMMENT_LIMIT - 7) + ". late slot, fresh milk") == set()  # 'late sl' was one


def test_a_line_break_is_a_break_between_phrases_as_a_br_tag_is() -> None:
    """'Delivery was late' and 'Driver was rude' on two lines made the phrase 'late driver' (and three lines of a
    list more such), where the same lines joined by <br> made none."""
    for text in ["Delivery slot late\nDriver rude", "Delivery slot late\r\nDriver rude", "Delivery slot late\rDriver rude",
                 "Delivery slot late\u2028Driver rude", "Delivery slot late<br>Driver rude", "Délivery slot late\nDriver rude"]:
        assert not any("late driver" in p for p in phrases_of(text)), text
        assert {"slot late", "driver rude"} <= phrases_of(text), text
    assert "slot late" in phrases_of("slot\tlate")  # a tab is a space


def test_the_benchmark_corpora_and_long_comments() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import bench_responses as bench

    rng = random.Random(3)
    corpus = [bench.distinct_comment(rng) for _ in range(20_000)]
    corpus += [" ".join([rng.choice(bench.MOODS), *rng.sample(bench.WORDS, 3)]).capitalize() + "!" for _ in range(2000)]
    corpus += ["word " * 3000, ("Late, " * 2000) + "fresh milk", "x" * (COMMENT_LIMIT + 10) + " late slot"]
    for text in corpus:
        assert phrases_of(text) == reference_phrases_of(text)
    assert sum(len(phrases_of(text)) for text in corpus) > 50_000  # the corpus has phrases at all


def test_a_long_run_before_an_at_sign_is_read_in_linear_time() -> None:
    """The address patterns tried a match from every place inside a run of characters: a pasted 200,000-character
    blob with an '@' in it took minutes to quote (an hour for a megabyte); phrases_of read its 5,000 for a second."""
    import time

    from journeymap.data.verbatims import masked

    for text in ["x" * 200_000 + " @ y", "x" * 200_000 + "@", "a." * 100_000 + "@b", "a." * 100_000 + "://"]:
        start = time.perf_counter()
        masked(text)
        phrases_of(text)
        assert time.perf_counter() - start < 5, text[:20]
    assert masked("(jane@x.org) or Jane.Doe+cx@example.co.uk,") == "([e-mail address]) or [e-mail address],"


def test_combining_marks_belong_to_the_word_they_follow() -> None:
    """A combining mark (a decomposed accent, a Hindi vowel sign or virama, an Arabic vowel mark) is no letter to
    Python's ``\\w``: a decomposed 'café' (e and U+0301) lost its accent ('cafe delivery'), a Hindi comment's every word fell into letters ('ड ल वर'),
    an Arabic one's with its vowels marked into pieces ('م تأخ ر'). A mark is part of its word, and a decomposed
    letter reads as the composed one (the phrase 'café delivery' either way)."""
    assert phrases_of("Cafe\u0301 delivery was late") == phrases_of("Café delivery was late") == {
        "café delivery", "delivery was late"}
    assert phrases_of("डिलीवरी बहुत देर से आई") == {
        "डिलीवरी बहुत", "डिलीवरी बहुत देर", "बहुत देर", "बहुत देर से", "देर से", "देर से आई", "से आई"}
    late = unicodedata.normalize("NFC", "مُتأخِّر")  # its two vowel marks in canonical order
    assert phrases_of("التوصيل مُتأخِّر جدًا") == {f"التوصيل {late}", f"التوصيل {late} جدًا", f"{late} جدًا"}
    # a strike-through or 'Zalgo' word written with marks is one word too, not letters
    assert phrases_of("deliveryZ\u0335\u0321 was l\u0336a\u0336t\u0336e\u0336 and cold") == {
        "deliveryz\u0335\u0321 was l\u0336a\u0336t\u0336e\u0336", "l\u0336a\u0336t\u0336e\u0336 and cold"}
    assert words("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]
