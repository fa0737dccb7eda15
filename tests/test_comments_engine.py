"""Comments summed up in DuckDB (``engines/comments.py``) give what the row reader's
``summarise`` gives: counts, sentiment per persona and period, phrases and quotes, ties included."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.data import load_metric_data
from journeymap.model import Journey
from tests.test_survey_engine import JOURNEY, assert_same, both, both_engine_read, write_rows

WORDS = ["slow", "quick", "rude", "kind", "agent", "wait", "time", "great", "awful", "refund", "not", "very", "but",
         "the", "was", "never", "so", "good", "bad", "app", "crash", "!", ",", ".", "really", "helpful", "GREAT", "2"]

comment = st.one_of(
    st.just(""),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=9).map(" ".join),
    st.sampled_from(["Great help, thanks", "  Great help, thanks ", "wait time too long", "wait time too long!",
                     "Café très lent 😡", "\u00a0padded\u3000", "x" * 5100, "<b>bold</b> & `tick`",
                     "good\ufeff", "zero\u200bwidth\u200d bad\u00ad", "x" * 4999 + "\u200bgood", "\u200b", "\u200e \u2069",
                     "<p>The app was terrible</p><P CLASS=x>slot booking <B>never</B> works", "Late<br/>\nslot <a\nhref=x>booking</a>",
                     "<sigh> rude agent <3", "Très <i>lent</i><br>agent", "mail jane.doe@example.com agent rude",
                     "see https://larder.example/help?q=1 wait time", "WWW.Larder.example slow agent"]),
)
row = st.tuples(
    st.sampled_from(["chat-agent", "search-faq", "solved", "chat-agnet"]),
    st.sampled_from(["csat", "nps", "ces", ""]),
    st.sampled_from(["1", "3", "5", "9", ""]),
    st.sampled_from(["", "r1", "r2"]),
    st.sampled_from(["2026-04-02", "2026-05-10", "2026-06-30", ""]),
    st.sampled_from(["", "new", "regular"]),
    comment,
).map(list)


@pytest.fixture(scope="module")
def journey() -> Journey:
    from journeymap.loader import load_text

    return load_text(JOURNEY)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=st.lists(row, min_size=1, max_size=60), second=st.lists(row, max_size=20), period=st.sampled_from([None, "month"]))
def test_comments_summed_up_in_the_engine_match_the_row_reader(
    tmp_path_factory: pytest.TempPathFactory, journey: Journey, first: list[list[str]], second: list[list[str]], period: str | None
) -> None:
    folder = tmp_path_factory.mktemp("comments")
    paths = [write_rows(folder / "a.csv", first)] + ([write_rows(folder / "b.csv", second)] if second else [])
    by_row, by_duckdb, read_by_duckdb = both_engine_read(journey, paths, period)
    assert_same(by_row, by_duckdb)
    assert read_by_duckdb


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_invisible_character_glued_to_a_word_does_not_hide_its_sentiment(tmp_path: Path, journey: Journey, engine: str) -> None:
    """'good\\ufeff' (a byte-order mark an export left) was no word VADER knows: the comment scored 0."""
    path = write_rows(tmp_path / "a.csv", [["chat-agent", "csat", "5", "r1", "2026-04-02", "", "\u2068good\u2069\ufeff service\u200b"]])
    plain = write_rows(tmp_path / "b.csv", [["chat-agent", "csat", "5", "r1", "2026-04-02", "", "good service"]])
    glued = load_metric_data(journey, responses=path, engine=engine).points[("chat-agent", "sentiment")].value
    assert glued == load_metric_data(journey, responses=plain, engine=engine).points[("chat-agent", "sentiment")].value > 0.4


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_html_tags_in_a_comment_are_not_words(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A helpdesk or web form export's '<p>The app was terrible</p>' scored 0 (VADER knew no word
    'terrible</p>'), and '</p><p>' made the phrase 'p p', the commonest of a file of such comments."""
    tagged = ["<p>The app was terrible</p><p>Slot booking <b>never</b> works</p>", "Terrible.<br>Slot booking never works",
              "<div>Slot booking never works</div>"]
    plain = ["The app was terrible. Slot booking never works", "Terrible. Slot booking never works", "Slot booking never works"]
    rows = [["chat-agent", "csat", "1", f"r{i}", "2026-04-02", "", text] for i, text in enumerate(tagged)]
    data = load_metric_data(journey, responses=write_rows(tmp_path / "a.csv", rows), engine=engine)
    for row, text in zip(rows, plain, strict=True):
        row[-1] = text
    same = load_metric_data(journey, responses=write_rows(tmp_path / "b.csv", rows), engine=engine)
    sentiment = data.points[("chat-agent", "sentiment")].value
    assert sentiment == same.points[("chat-agent", "sentiment")].value < -0.2
    assert data.verbatims["chat-agent"].phrases == same.verbatims["chat-agent"].phrases
    # quoted with its tags as spaces, as a reader reads it (it was quoted as written, '<p>The app ...')
    assert [q.text for q in data.verbatims["chat-agent"].quotes][0] == "The app was terrible Slot booking never works"


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_web_or_e_mail_address_in_comments_is_no_phrase(tmp_path: Path, journey: Journey, engine: str) -> None:
    """Customers who wrote their e-mail address or a link ('Email me at jane.doe@example.com or call back') made
    phrases of its pieces: 'jane doe', 'doe example com', 'com or call', the card's top phrases on a projected map.
    An address is a break between phrases, in both engines."""
    texts = ["Email me at jane.doe@example.com or call back", "Email me at jane.doe@example.com or call back",
             "Reset link https://larder.example/reset?token=ab12 never arrived",
             "reset link HTTPS://LARDER.EXAMPLE/reset never arrived", "Go to www.larder.example/help page",
             "go to WWW.larder.example/help page"]
    rows = [["chat-agent", "csat", "1", f"r{i}", "2026-04-02", "", text] for i, text in enumerate(texts)]
    rows += [["search-faq", "csat", "5", f"s{i}", "2026-04-02", "", "quick answer"] for i in range(2)]
    data = load_metric_data(journey, responses=write_rows(tmp_path / "a.csv", rows), engine=engine)
    assert data.verbatims["chat-agent"].phrases == [("call back", 2), ("never arrived", 2), ("reset link", 2)]
    if engine == "duckdb":
        assert data.verbatims == load_metric_data(journey, responses=tmp_path / "a.csv", engine="python").verbatims


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_quote_shows_no_e_mail_address_or_international_phone_number(tmp_path: Path, journey: Journey, engine: str) -> None:
    """'Email me at jane.doe@example.com or call +44 7700 900123' was quoted as written: a customer's address and
    number on the card of a map projected in a workshop. A quote masks them, and keeps other numbers (an order's)."""
    texts = ["Terrible! Email me at Jane.Doe+cx@example.co.uk or call +44 7700 900123, order 12345678",
             "Great, thanks (call me on +1 (415) 555-0100 if needed)", "ok, it was fine"]
    rows = [["chat-agent", "csat", "3", f"r{i}", "2026-04-02", "", text] for i, text in enumerate(texts)]
    data = load_metric_data(journey, responses=write_rows(tmp_path / "a.csv", rows), engine=engine)
    assert [(q.kind, q.text) for q in data.verbatims["chat-agent"].quotes] == [
        ("most negative", "Terrible! Email me at [e-mail address] or call [phone number], order 12345678"),
        ("most positive", "Great, thanks (call me on [phone number] if needed)"),
        ("typical", "ok, it was fine"),
    ]
    if engine == "duckdb":
        assert data.verbatims == load_metric_data(journey, responses=tmp_path / "a.csv", engine="python").verbatims


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_line_break_in_a_comment_ends_its_phrases(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A list of one word a line ('Late', 'Rude driver' on the next) made the phrase 'late rude' and 'late rude
    driver', in both engines: a line break ends a phrase, as a <br> does."""
    texts = ["Late\nRude driver", "Late\r\nRude driver", "Late<br>Rude driver"]
    rows = [["chat-agent", "csat", "1", f"r{i}", "2026-04-02", "", text] for i, text in enumerate(texts)]
    rows += [["search-faq", "csat", "5", f"s{i}", "2026-04-02", "", "quick answer"] for i in range(2)]
    data = load_metric_data(journey, responses=write_rows(tmp_path / "a.csv", rows), engine=engine)
    assert data.verbatims["chat-agent"].phrases == [("rude driver", 3)]
    if engine == "duckdb":
        assert data.verbatims == load_metric_data(journey, responses=tmp_path / "a.csv", engine="python").verbatims


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_comment_of_only_punctuation_is_no_comment(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A form whose comment box must be filled gets '.', '...', '?' or '!!!!!!!! ??????? ........': each was a
    comment of sentiment 0 that pulled the mean to neutral, and the card quoted '!!!!!!!! ??????? ........' as its
    typical comment. Such a cell is told as a missing comment, as 'NA' is; an emoticon (':(', ':-)', '<3') is kept,
    VADER scores it."""
    texts = ["Great help, thanks", ".", "...", "?", "!!!!!!!! ??????? ........", "- - -", "*", "\u201c...\u201d", ":(", "<3"]
    rows = [["chat-agent", "csat", "5", f"r{i}", "2026-04-02", "", text] for i, text in enumerate(texts)]
    data = load_metric_data(journey, responses=write_rows(tmp_path / "a.csv", rows), engine=engine)
    v = data.verbatims["chat-agent"]
    assert v.comments == 4  # the thanks, the curly-quoted dots (not ASCII: kept, as before), ':(' and '<3'
    assert not any(set(q.text) <= set(".?! -*") for q in v.quotes)
    [missing] = [p for p in data.problems if p.code == "missing-comment"]
    assert missing.message.startswith("6 comment cells hold") and "only punctuation" in missing.message
    assert missing.span.line == 3
    if engine == "duckdb":
        python = load_metric_data(journey, responses=tmp_path / "a.csv", engine="python")
        assert data.verbatims == python.verbatims
        assert data.points[("chat-agent", "sentiment")].value == python.points[("chat-agent", "sentiment")].value


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_comment_of_nothing_visible_is_no_comment(tmp_path: Path, journey: Journey, engine: str) -> None:
    """A cell holding only a zero-width space or direction marks was a comment: counted, scored 0 (pulling
    the sentiment to neutral) and shown as a blank quote. It is told as a missing comment, as 'NA' is."""
    rows = [["chat-agent", "csat", "5", f"r{i}", "2026-04-02", "", text]
            for i, text in enumerate(["Great help, thanks", "\u200b", "\u200e \u200f", "\ufeff\u00ad", "\u2066\u2069"])]
    rows.append(["chat-agent", "", "", "", "2026-04-02", "", "\u200b\u200b"])  # a row of only such a comment
    data = load_metric_data(journey, responses=write_rows(tmp_path / "a.csv", rows), engine=engine)
    plain = load_metric_data(journey, responses=write_rows(tmp_path / "b.csv", rows[:1]), engine=engine)
    assert data.verbatims["chat-agent"].comments == 1
    assert data.points[("chat-agent", "sentiment")].value == plain.points[("chat-agent", "sentiment")].value > 0.4
    [missing] = [p for p in data.problems if p.code == "missing-comment"]
    assert (missing.span.line, missing.message.split(" hold")[0]) == (3, "5 comment cells")
    assert "nothing visible" in missing.message


def test_without_vader_the_engine_counts_and_quotes_like_the_row_reader(
    tmp_path: Path, journey: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymap.data import verbatims

    monkeypatch.setattr(verbatims, "sentiment_scorer", lambda: None)
    rows = [["chat-agent" if i % 3 else "search-faq", "csat", str(1 + i % 5), f"r{i}", f"2026-0{4 + i % 3}-02",
             ["new", "regular", ""][i % 3], f"{WORDS[i % 11]} {WORDS[i % 7]} wait time {i % 13}"] for i in range(300)]
    path = write_rows(tmp_path / "answers.csv", rows)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert [p.code for p in by_duckdb.problems].count("no-sentiment") == 1
    chat = by_duckdb.verbatims["chat-agent"]
    assert chat.sentiment is None and chat.comments == 200 and len(chat.quotes) == 3
    assert chat.phrases and all(count >= 2 for _phrase, count in chat.phrases)


def test_ties_pick_the_first_comment_in_the_files(tmp_path: Path, journey: Journey) -> None:
    # Three texts with one score each: the first written of the lowest is the most negative quote.
    rows = [["chat-agent", "csat", "3", f"r{i}", "2026-04-02", "new", text]
            for i, text in enumerate(["fine", "awful wait", "terrible wait", "awful wait", "great", "superb"])]
    path = write_rows(tmp_path / "ties.csv", rows)
    by_row, by_duckdb = both(journey, [path])
    assert_same(by_row, by_duckdb)
    quotes = {q.kind: q.text for q in by_duckdb.verbatims["chat-agent"].quotes}
    assert quotes["most negative"] in ("awful wait", "terrible wait")
    assert by_row.verbatims["chat-agent"].quotes == by_duckdb.verbatims["chat-agent"].quotes


def test_a_million_answers_worth_of_groups_is_not_needed_to_show_the_summary(tmp_path: Path, journey: Journey) -> None:
    # Many distinct comments: the engine's summary equals the row reader's.
    rows = [["chat-agent" if i % 2 else "search-faq", "csat", str(1 + i % 5), f"r{i}", f"2026-0{4 + i % 3}-1{i % 10}",
             ["new", "regular", ""][i % 3], f"{WORDS[i % 28]} {WORDS[(i // 28) % 28]} {WORDS[(i // 7) % 28]} order {i % 997}"]
            for i in range(6000)]
    path = write_rows(tmp_path / "many.csv", rows)
    by_row, by_duckdb = both(journey, [path], "month")
    assert_same(by_row, by_duckdb)
    assert by_duckdb.verbatims["chat-agent"].comments == 3000
    assert load_metric_data(journey, responses=path, period="month", engine="duckdb") == by_duckdb  # deterministic


def test_the_same_file_given_twice_is_read_once(tmp_path: Path, journey: Journey) -> None:
    rows = [["chat-agent", "csat", str(1 + i % 5), f"r{i}", "2026-04-02", "new", f"quick reply {i % 4}"] for i in range(20)]
    path = write_rows(tmp_path / "answers.csv", rows)
    by_row, by_duckdb = both(journey, [path, path])
    assert_same(by_row, by_duckdb)
    point = by_duckdb.points[("chat-agent", "sentiment")]
    # its comments once (they counted twice, silently), and a word that it was named twice
    assert point.source.count("answers.csv") == 1 and by_duckdb.verbatims["chat-agent"].comments == 20
    assert [p.code for p in by_duckdb.problems] == ["duplicate-file"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_long_comment_is_cut_between_characters_as_shown(tmp_path: Path, journey: Journey, engine: str) -> None:
    """The 160-character cut split an emoji family (a lone zero-width joiner), an accent from its letter,
    a skin tone from its hand and a flag into its two halves."""
    family, flag = "\U0001F469\u200d\U0001F469\u200d\U0001F467", "\U0001F1EB\U0001F1F7"
    texts = ["a" * 158 + family + " more", "b" * 158 + "e\u0301" * 5, "c" * 157 + flag * 3, "d" * 158 + "\U0001F44D\U0001F3FD" * 3]
    wanted = ["a" * 158 + "…", "b" * 158 + "…", "c" * 157 + flag + "…", "d" * 158 + "…"]
    for i, (text, cut) in enumerate(zip(texts, wanted, strict=True)):
        path = write_rows(tmp_path / f"{i}.csv", [["chat-agent", "csat", "3", "r1", "2026-04-02", "", text]])
        (quote,) = load_metric_data(journey, responses=path, engine=engine).verbatims["chat-agent"].quotes
        assert quote.text == cut


def test_a_touchpoint_whose_comments_vader_cannot_read_is_told_even_when_the_file_is_mostly_english(
    tmp_path: Path, journey: Journey
) -> None:
    """36 Japanese comments at one touchpoint ('very good', 'wonderful', 'the best') among 400 English ones
    elsewhere: 8% of the file, under the file's one in ten, so no warning, and VADER scored each 0: "Sentiment
    0 is below the +0.1 target", a weak touchpoint, said of comments it cannot read. Each touchpoint's comments
    are looked at too (its first 200 distinct texts), and a warning names the touchpoint."""
    rows = [["search-faq", "csat", "4", "", "2026-04-02", "", text] for text in ["とても良い", "素晴らしい", "最高です"] * 12]
    rows += [["chat-agent", "csat", "4", "", "2026-04-02", "", text] for text in ["great", "good help", "fine thanks", "quick"] * 100]
    rows += [["solved", "csat", "4", "", "2026-04-02", "", text] for text in ["Die App ist toll", "ok"] + ["thanks"] * 40]
    path = write_rows(tmp_path / "a.csv", rows)
    by_row, by_duckdb, read = both_engine_read(journey, [path], "month")
    assert read
    assert_same(by_row, by_duckdb)
    told = [(p.code, p.level, p.span.line, p.span.col, p.message) for p in by_row.problems if p.code == "other-language"]
    assert told == [("other-language", "warning", 2, 32,
                     "at 'search-faq', 36 of the 36 comments look written in another language than English (words like"
                     " 'とても良い', '素晴らしい', '最高です'); their sentiment is not to be trusted: VADER reads English only")]
    # one German comment of 42 at 'solved' (under three) is not told; a file mostly in another language is told once
    foreign = write_rows(tmp_path / "b.csv", rows[:36] + [["chat-agent", "csat", "4", "", "2026-04-02", "", "ok"]])
    once = [p.message for p in load_metric_data(journey, responses=foreign).problems if p.code == "other-language"]
    assert once == ["36 of the 37 comments look written in another language than English (words like 'とても良い', '素晴らしい',"
                    " '最高です'); their sentiment is not to be trusted: VADER reads English only"]
