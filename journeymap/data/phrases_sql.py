"""Distinctive phrases of survey comments, counted in DuckDB.

The same answers as :func:`journeymap.data.verbatims.phrases_of` and
:func:`journeymap.data.verbatims._phrases`, for many distinct comments at once:
the phrases of each text, their counts per touchpoint and their lift are
computed by vectorised SQL; only the last few steps (the best candidates of
each touchpoint through the "chosen" loop) run in Python.

- :func:`text_phrases` finds the phrases of every text of a table. Texts that
  are pure ASCII without an escape character (``\\x1b``) are split in SQL: that
  is the ASCII branch of :func:`~journeymap.data.verbatims.phrases_of` (the same
  lower-casing, letter by letter on ASCII in both). Plain ones (letters, digits,
  spaces, clause punctuation, hyphens, apostrophes inside words: most survey
  comments) are split at spaces after ``replace`` marks the breaks; the others
  are scanned with ``phrases_of``'s own regular expression (its classes are
  spelt out in ASCII, so RE2 reads it as Python does). Every other text goes
  through ``phrases_of`` itself: Python's Unicode word classes, digits and case
  mappings (a whole word's, "İ", or the context's, a final sigma) are not
  DuckDB's, and texts with an escape are rare enough not to prove DuckDB's
  removal of it equal; so are texts that may hold a web or e-mail address
  (an '@', '://' or 'www.'), whose addresses ``phrases_of`` reads as breaks.
- :func:`distinctive_phrases` ranks them per touchpoint as ``_phrases`` does: :func:`count_phrases`
  counts each phrase's comments per touchpoint (once, by persona too, for a report: everyone's counts
  are their sums) and :func:`rank_phrases` ranks them.

Table names are SQL identifiers given by the caller (not quoted here).
"""

from __future__ import annotations

from typing import Any

from .verbatims import (
    _TOKENS,
    COMMENT_LIMIT,
    HTML_BREAK,
    HTML_INLINE,
    PHRASES,
    STOP_WORDS,
    choose_phrases,
    phrases_of,
)

#: A token that may neither start nor end a phrase, in lower-cased ASCII: a clause break ('|'),
#: a stop word or a number (``str.isdigit`` on an ASCII token is ``[0-9]+``). Matched whole (RE2).
_NOT_AN_END = r"(?:\||[0-9]+|" + "|".join(sorted(STOP_WORDS)) + ")"
#: Best candidates fetched per touchpoint at first (the chosen loop rarely needs more than a
#: dozen); more are fetched for the touchpoints whose loop runs out before :data:`PHRASES`.
FETCH = 100

# The SQL branch relies on these: stop words are plain lower-case ASCII words (no regex
# metacharacter but the apostrophe), and the token scan is the one phrases_of uses.
assert all(word.isascii() and word.replace("'", "").isalpha() and word.islower() for word in STOP_WORDS)


def _ascii(column: str) -> str:
    """SQL: the text is pure ASCII (one byte a character) and has no escape character, nor anything that may
    be a web or e-mail address (:func:`~journeymap.data.verbatims.may_hold_address`: few texts, left to Python)."""
    return (f"(strlen({column}) = length({column}) AND NOT contains({column}, chr(27))"
            f" AND NOT regexp_matches({column}, '(?i)@|://|www\\.'))")


#: Lower-cased ASCII text that is not plain (see :func:`_plain_split`): a character other than
#: letters, digits, the space, clause punctuation, the hyphen and the apostrophe; or an apostrophe
#: that is not inside a word (both sides letters or digits, no other apostrophe in the same word).
_UNPLAIN = r"""[^a-z0-9 .,;:!?()\[\]"/|'-]|'[a-z0-9]*'|(?:^|[^a-z0-9])'|'(?:[^a-z0-9]|$)"""
#: Clause punctuation: each becomes a break ('|').
_BREAKS = '.,;:!?()[]"/'


def _plain_split(column: str) -> str:
    """SQL: a plain lower-cased ASCII text with each clause break a '|' between spaces, other
    characters between words spaces, ready to be split at spaces (empty pieces dropped).

    In a plain text the tokens of ``_TOKENS`` are found without a regular expression: the
    apostrophes are all inside words, the only space is ' ', and the only characters that are
    neither word, space nor clause punctuation are hyphens. So the words are the runs of
    ``[a-z0-9']``, the breaks the runs of punctuation and the ' - ' found left to right (they
    use no punctuation, so the two never overlap: ``replace`` finds the same ones as the scan),
    and every other hyphen separates words. A run of punctuation gives several breaks here
    instead of one: the same phrases, as no phrase has a break in it.
    """
    sql = column
    for char in _BREAKS:
        sql = f"replace({sql}, '{char.replace(chr(39), chr(39) * 2)}', '|')"
    return f"replace(replace(replace({sql}, ' - ', '|'), '-', ' '), '|', ' | ')"


def _start(column: str) -> str:
    """SQL: :func:`~journeymap.data.verbatims.analysed_start` of an ASCII text (``isalnum`` is ``[A-Za-z0-9]`` there)."""
    return (f"CASE WHEN length({column}) > {COMMENT_LIMIT} AND regexp_full_match(substr({column}, {COMMENT_LIMIT}, 2),"
            f" '[A-Za-z0-9]{{2}}') THEN regexp_replace(left({column}, {COMMENT_LIMIT}), '[A-Za-z0-9]+$', '')"
            f" ELSE left({column}, {COMMENT_LIMIT}) END")


def _without_tags(column: str) -> str:
    """SQL: :func:`~journeymap.data.verbatims.without_tags` of a text (its HTML tags read as breaks and spaces)."""
    return (f"CASE WHEN contains({column}, '<') THEN regexp_replace(regexp_replace({column}, $html_break, ' . ', 'g'),"
            f" $html_inline, ' ', 'g') ELSE {column} END")


def text_phrases(con: Any, texts_table: str, out_table: str) -> int:
    """Create TEMP table ``out_table(id BIGINT, phrase VARCHAR)`` holding, for each row of
    ``texts_table(id BIGINT, text VARCHAR)``, the set ``phrases_of(text)``: one row a phrase.

    Texts are cut at :data:`~journeymap.data.verbatims.COMMENT_LIMIT` characters here, before a word the cut
    would split (as ``phrases_of`` does); a NULL text has no phrases. Returns how many texts were not
    pure ASCII without escapes or addresses and so went through ``phrases_of`` in Python.
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE {out_table} (id BIGINT, phrase VARCHAR)")
    # Words of each text in order, NULL or '|' for a clause break. Then one row per position:
    # the word there and the next two (NULL past the end). A two-word phrase is two words that
    # may each start or end a phrase; a three-word one such a word, any word, such a word. A
    # break is not a word, so no phrase runs across it. (Flat rows rather than list lambdas: a
    # lambda reading the list it indexes copies it for each element. MATERIALIZED: inlined, the
    # words would be found once per use, up to four times.)
    con.execute(
        f"""
        INSERT INTO {out_table}
        WITH words AS MATERIALIZED (
            SELECT id, CASE WHEN regexp_matches(l, $unplain) THEN regexp_extract_all(l, $tokens, 1)
                            ELSE list_filter(string_split({_plain_split("l")}, ' '), lambda x: x <> '') END AS w
            FROM (
                SELECT id, {_without_tags(f"lower({_start('text')})")} AS l
                FROM {texts_table}
                WHERE text IS NOT NULL AND {_ascii("text")}
            )
        ), windows AS (
            SELECT id, unnest(w) AS a, unnest(w[2:]) AS b, unnest(w[3:]) AS c FROM words
        ), starts AS MATERIALIZED (
            SELECT id, a || ' ' || b AS ab, NOT regexp_full_match(b, $ends) AS pair, c
            FROM windows
            WHERE a <> '|' AND b <> '|' AND NOT regexp_full_match(a, $ends)
        )
        SELECT DISTINCT id, phrase FROM (
            SELECT id, ab AS phrase FROM starts WHERE pair
            UNION ALL
            SELECT id, ab || ' ' || c FROM starts WHERE NOT regexp_full_match(c, $ends)
        )
        """,
        {"tokens": _TOKENS.pattern, "unplain": _UNPLAIN, "ends": _NOT_AN_END, "html_break": HTML_BREAK,
         "html_inline": HTML_INLINE},
    )
    rest = con.execute(f"SELECT id, text FROM {texts_table} WHERE text IS NOT NULL AND NOT {_ascii('text')}").fetchall()
    if rest:
        ids: list[int] = []
        phrases: list[str] = []
        for text_id, text in rest:
            found = phrases_of(text)
            ids += [text_id] * len(found)
            phrases += found
        if ids:
            _insert(con, out_table, ids, phrases)
    return len(rest)


def _insert(con: Any, table: str, ids: list[int], phrases: list[str]) -> None:
    import numpy as np

    source = f"_jm_rows_of_{table}"
    con.register(source, {"id": np.array(ids, dtype=np.int64), "phrase": np.array(phrases, dtype=object)})
    try:
        con.execute(f"INSERT INTO {table} SELECT id, phrase FROM {source}")
    finally:
        con.unregister(source)


def count_phrases(con: Any, comments_table: str, phrases_table: str, out_table: str, by: tuple[str, ...] = ()) -> None:
    """Create TEMP table ``out_table(key, *by, phrase, count)``: how many comments of each key (and
    each value of the columns ``by``, e.g. a persona) have each phrase.

    ``comments_table(key VARCHAR, *by, id BIGINT, n BIGINT)``: groups of ``n`` comments with the
    text ``id`` (several rows may share them); ``phrases_table(id BIGINT, phrase VARCHAR)``: the
    phrases of each text, each once (:func:`text_phrases`). A count is the integer sum of ``n``
    over the texts with the phrase, as ``_phrases`` counts it.

    This is the one join of comments with phrases (a row per text and phrase: the costly step);
    counts for coarser groups are sums of these (everyone's: the sum over personas), so the
    rankings of everyone and of each persona (:func:`rank_phrases`) need not join again.
    """
    columns = "".join(f"{column}, " for column in by)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {out_table} AS
        SELECT key, {columns}phrase, sum(per_text.n) AS count
        FROM (SELECT key, {columns}id, sum(n) AS n FROM {comments_table} GROUP BY ALL) AS per_text
        JOIN {phrases_table} AS p USING (id)
        GROUP BY key, {columns}phrase
        """
    )


def distinctive_phrases(
    con: Any, comments_table: str, phrases_table: str, fetch: int = FETCH
) -> dict[str, list[tuple[str, int]]]:
    """Each key's distinctive phrases, as ``_phrases`` gives them for the same comments.

    ``comments_table(key VARCHAR, id BIGINT, n BIGINT)``: groups of ``n`` comments with the text
    ``id`` at the touchpoint ``key`` (several rows may share a key and an id);
    ``phrases_table(id BIGINT, phrase VARCHAR)``: the phrases of each text, as made by
    :func:`text_phrases`. Every key gets a list (empty when nothing stands out), keys in order.
    (:func:`count_phrases`, then :func:`rank_phrases`.)
    """
    counts = "_jm_phrase_counts"
    count_phrases(con, comments_table, phrases_table, counts)
    try:
        return rank_phrases(con, comments_table, counts, fetch)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {counts}")


def rank_phrases(con: Any, comments_table: str, counts: str, fetch: int = FETCH) -> dict[str, list[tuple[str, int]]]:
    """Each key's distinctive phrases, as ``_phrases`` gives them, from the phrases' counts.

    ``comments_table(key VARCHAR, n BIGINT)``: the comments, ``n`` at ``key`` a row (several rows may
    share a key: the comments themselves, or their number per key and persona summed up);
    ``counts``: a table or view ``(key, phrase, count)`` of those comments, as :func:`count_phrases`
    makes it (no phrase of another comment in it).

    Shares and lifts are computed in SQL with the operations ``_phrases`` uses (integer sums;
    lift = count / n_here - other / n_other in doubles, exact as long as the counts are below
    2**53), and the best candidates of each key (all of those tied with the ``fetch``-th, more
    when needed) go through the same Python loop.
    """
    ranked = "_jm_ranked_phrases"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {ranked} AS
        WITH sizes AS (
            SELECT key, sum(n) AS n_here, sum(sum(n)) OVER () - sum(n) AS n_other
            FROM {comments_table} GROUP BY key
        ), here AS (
            SELECT key, phrase, count FROM {counts}
        ), totals AS (
            SELECT phrase, sum(count) AS total FROM here GROUP BY phrase
        ), lifted AS (
            SELECT key, phrase, count,
                   count::DOUBLE / n_here::DOUBLE
                   - CASE WHEN n_other = 0 THEN 0.0 ELSE (total - count)::DOUBLE / n_other::DOUBLE END AS lift
            FROM here JOIN sizes USING (key) JOIN totals USING (phrase)
            WHERE count >= 2
        )
        SELECT key, phrase, count::BIGINT AS count, lift,
               rank() OVER (PARTITION BY key ORDER BY lift DESC, count DESC) AS place
        FROM lifted
        WHERE lift > 0
        """
    )
    try:
        keys = [key for (key,) in con.execute(f"SELECT DISTINCT key FROM {comments_table} ORDER BY key").fetchall()]
        available = dict(con.execute(f"SELECT key, count(*) FROM {ranked} GROUP BY key").fetchall())
        result: dict[str, list[tuple[str, int]]] = {key: [] for key in keys}
        todo = [key for key in keys if available.get(key, 0)]
        limit = max(1, fetch)
        while todo:
            rows: dict[str, list[tuple[float, int, str]]] = {key: [] for key in todo}
            fetched = con.execute(
                f"SELECT key, phrase, count, lift FROM {ranked} WHERE place <= $limit AND list_contains($keys, key)",
                {"limit": limit, "keys": todo},
            ).fetchall()
            for key, phrase, count, lift in fetched:
                rows[key].append((-lift, -count, phrase))
            again = []
            for key in todo:
                candidates = sorted(rows[key])
                chosen = choose_phrases(candidates)
                result[key] = chosen
                if len(chosen) < PHRASES and len(candidates) < available[key]:
                    again.append(key)
            todo = again
            limit *= 4
    finally:
        con.execute(f"DROP TABLE IF EXISTS {ranked}")
    return result
