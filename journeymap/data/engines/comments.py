"""Verbatims summed up in DuckDB: :func:`journeymap.data.verbatims.summarise` for comments
that stay in the engine.

Free-text survey comments are mostly distinct: a million answers hold hundreds of
thousands of texts. Built as Python objects, one per text and place, and walked
per touchpoint, persona and period, they cost more than reading the file. Here
they stay in DuckDB: the groups (touchpoint, period, persona, file, text), each
distinct text's sentiment and phrases, and the sums over them are tables; Python
receives only what the summary holds (a count per distinct score and bucket, the
few comments quoted, the top phrase candidates) and the result is the same
:class:`~journeymap.data.verbatims.Summary`, figure for figure, as
``summarise`` over the same groups (the tests compare the two).

A group's order is that of its first comment in the files (file, then row): the
order ``summarise`` receives its groups in, which decides ties (the first of the
lowest scores is the most negative quote).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ...problems import Problem
from ...stats import mean_of_counted
from .. import MISSING, MISSING_LONGEST
from .. import verbatims as V
from .duckdb import literal, stripped
from .rows import SPACE_CLASS

GROUPS = "jm_comment_groups"
TEXTS = "jm_comment_texts"
SCORES = "jm_comment_scores"
PHRASES = "jm_comment_phrases"
#: Each phrase's comments, and all comments, per (touchpoint, persona): everyone's and each persona's
#: phrases are ranked from their sums (one join of the groups with the phrases, not one a ranking).
PHRASE_COUNTS = "jm_comment_phrase_counts"
SIZES = "jm_comment_sizes"
#: A group's order is its first comment's (file, row ordinal), as one number: the file in the
#: bits above these (no sort needed to number the groups).
ORDINAL_BITS = 40


def summarise_groups(
    con: Any,
    found: str,
    targets: dict[int, tuple[str, str | None, str | None]],
    names: dict[int, str],
    place: Callable[[int, int], Any],
    prepare: Callable[[Iterable[tuple[int, int]], bool], None],
) -> V.Summary | None:
    """The summary of the comments ``found`` selects (``target, raw, f, o``: each comment as
    read, with its target id, file and row ordinal), or None without any.

    ``targets`` gives a target id's (touchpoint, period, persona), ``names`` a file's name,
    ``place(f, o)`` the lazy place of a row's comment cell; ``prepare`` is told, once, every
    (file, row) whose place the summary will ask for, and whether a comment is longer than
    :data:`~journeymap.data.verbatims.COMMENT_LIMIT`."""
    from .survey import _register

    _register(con, "jm_comment_targets", ("target", "tp", "period", "persona"),
              [(k, *v) for k, v in sorted(targets.items())] or [(-1, "", None, None)])
    # Texts stripped as Python strips them; texts that differ only in spaces around them are
    # one group, in the place of its first comment.
    con.execute(
        f"CREATE TEMP TABLE {GROUPS} AS"
        f" SELECT (f::BIGINT << {ORDINAL_BITS}) + o AS g, t.tp, t.period, t.persona, text,"
        " (hash(text) >> 1)::BIGINT AS id, f, n, o"
        " FROM (SELECT target, text, f, COUNT(*) AS n, MIN(o) AS o"
        f"       FROM (SELECT target, {stripped('raw')} AS text, f, o FROM ({found}))"
        "       WHERE text <> '' GROUP BY target, text, f) c"
        " JOIN jm_comment_targets t USING (target)"
    )
    # Missing-value marks ('NA', 'NULL', '-'): not comments (V.split_missing), counted and told.
    # (as :func:`~journeymap.data.is_missing_mark` reads them: a curly apostrophe as a straight one)
    marks = ", ".join(literal(m) for m in sorted(MISSING))
    straight = "replace(text, chr(8217), chr(39))"
    is_mark = (f"((length(text) <= {MISSING_LONGEST} AND strlen({straight}) = length(text) AND upper({straight}) IN ({marks}))"
               f" OR (strlen(text) = length(text) AND regexp_full_match(text, {literal(V.NUMBER_ONLY)}))"
               # only punctuation: '.', '...', '?', a required comment box's filler
               f" OR (strlen(text) = length(text) AND regexp_full_match(text, {literal(V.PUNCTUATION_ONLY)}))"
               # a word that there is none: 'No comment', 'Nothing to add'
               f" OR (strlen(text) = length(text) AND regexp_full_match(lower(text), {literal(V.NO_COMMENT)}))"
               # nothing visible: only invisible format characters and spaces (a stripped text starts with neither a space nor ASCII)
               f" OR (ord(text) > 127 AND regexp_full_match(text, {literal('[' + V.INVISIBLE + SPACE_CLASS[1:-1] + ']+')}))"
               # only HTML markup that shows nothing: a web form's empty '<p></p>', '<br>', '&nbsp;'
               f" OR ((contains(text, '<') OR contains(text, '&')) AND regexp_full_match(text, {literal(V.MARKUP_ONLY)})))")
    marked, mark_f, mark_o = con.execute(f"SELECT SUM(n), arg_min(f, g), arg_min(o, g) FROM {GROUPS} WHERE {is_mark}").fetchall()[0]
    if marked:
        con.execute(f"DELETE FROM {GROUPS} WHERE {is_mark}")
    # every comment holding HTML markup? (then every comment is read decoded, as summarise does)
    if (markup := _markup(con)) is not None:
        _decode(con)
    first = con.execute(f"SELECT text, n, f, o FROM {GROUPS} ORDER BY g LIMIT {V.LANGUAGE_SAMPLE}").fetchall()
    count, total, longest = con.execute(f"SELECT COUNT(*), SUM(n), MAX(length(text)) FROM {GROUPS}").fetchall()[0]
    if not count:
        if not marked:
            return None
        prepare([(mark_f, mark_o)], False)
        return V.Summary(problems=[V.missing_comments(int(marked), place(mark_f, mark_o)())])
    con.execute(f"CREATE TEMP TABLE {TEXTS} AS SELECT DISTINCT id, text FROM {GROUPS}")
    if con.execute(f"SELECT COUNT(*) - COUNT(DISTINCT id) FROM {TEXTS}").fetchall()[0][0]:
        # Two texts share a hash (about once in 10^7 sets of a million texts): number them.
        con.execute(f"DROP TABLE {TEXTS}")
        con.execute(f"CREATE TEMP TABLE {TEXTS} AS SELECT (row_number() OVER ())::BIGINT AS id, text"
                    f" FROM (SELECT DISTINCT text FROM {GROUPS})")
        con.execute(f"CREATE OR REPLACE TEMP TABLE {GROUPS} AS SELECT g.* EXCLUDE (id), t.id"
                    f" FROM {GROUPS} g JOIN {TEXTS} t USING (text)")
    scored = _analyse(con)
    summary = V.Summary()

    # Touchpoints in the order of their first group; their comments; their files in order.
    touchpoints = con.execute(
        f"SELECT tp, MIN(g), SUM(n) FROM {GROUPS} GROUP BY tp ORDER BY MIN(g)"
    ).fetchall()
    files: dict[str, list[str]] = {}
    for tp, f in con.execute(f"SELECT tp, f FROM {GROUPS} GROUP BY tp, f ORDER BY tp, MIN(g)").fetchall():
        files.setdefault(tp, []).append(names[f])
    persona_comments = {
        (p, tp): (n, first) for p, tp, n, first in con.execute(
            f"SELECT persona, tp, SUM(n), MIN(g) FROM {GROUPS} WHERE persona IS NOT NULL GROUP BY persona, tp"
        ).fetchall()
    }
    personas = sorted({p for p, _tp in persona_comments})

    # How many comments have each score, per touchpoint, persona and period.
    counted: dict[str, dict[str | None, dict[str | None, dict[float, int]]]] = {}
    persona_order: dict[str, list[str]] = {}
    if scored:
        for tp, persona, period, score, n in con.execute(
            f"SELECT tp, persona, period, s.score, SUM(n) FROM {GROUPS} JOIN {SCORES} s USING (id)"
            " GROUP BY tp, persona, period, s.score"
        ).fetchall():
            by_persona = counted.setdefault(tp, {})
            for who in (None, persona) if persona is not None else (None,):
                counts = by_persona.setdefault(who, {}).setdefault(period, {})
                counts[score] = counts.get(score, 0) + int(n)
        # Each touchpoint's personas in the order of their first comment there.
        for (persona, tp), (_n, _first) in sorted(persona_comments.items(), key=lambda item: item[1][1]):
            persona_order.setdefault(tp, []).append(persona)

    picks = _picks(con, scored, counted)
    chosen = {g for pick in picks.values() for g, _ in pick} | {first for _tp, first, _n in touchpoints}
    rows = {
        g: (tp, text, persona, period, int(n), f, o, score)
        for g, tp, text, persona, period, n, f, o, score in con.execute(
            f"SELECT g, tp, text, persona, period, n, f, o, {'s.score' if scored else 'NULL'} FROM {GROUPS}"
            f"{f' JOIN {SCORES} s USING (id)' if scored else ''} WHERE g IN ({', '.join(map(str, sorted(chosen)))})"
        ).fetchall()
    }
    places = [(rows[g][5], rows[g][6]) for g in sorted(rows)]
    language = None
    # the first comments, in their order: in another language than English?
    if scored and (check := V.language_check([(text, int(n)) for text, n, _f, _o in first])) is not None:
        language = (first[check[0]][2], first[check[0]][3], check[1])
        places = sorted({*places, language[:2]})
    # each touchpoint's first comments too, when the file's are mostly English (as summarise looks at them)
    languages: list[tuple[int, int, Any]] = []
    if scored and language is None:
        samples: dict[str, list[tuple[str, int, int, int]]] = {}
        for tp, text, n, f, o in con.execute(
            f"SELECT tp, text, n, f, o FROM {GROUPS} QUALIFY row_number() OVER (PARTITION BY tp ORDER BY g)"
            f" <= {V.LANGUAGE_SAMPLE_TOUCHPOINT} ORDER BY g"
        ).fetchall():
            samples.setdefault(tp, []).append((text, int(n), f, o))
        for tp, sample in samples.items():
            if (check := V.language_check([(text, n) for text, n, _f, _o in sample], tp)) is not None:
                languages.append((sample[check[0]][2], sample[check[0]][3], check[1]))
        places = sorted({*places, *((f, o) for f, o, _told in languages)})
    if markup is not None:
        places = sorted({*places, markup[:2]})
    copied = _copied(con, {tp: int(n) for tp, _first, n in touchpoints})
    places = sorted({*places, *((f, o) for f, o, _told in copied)})
    prepare(sorted({*places, (mark_f, mark_o)}) if marked else places, int(longest) > V.COMMENT_LIMIT)
    if marked:
        summary.problems.append(V.missing_comments(int(marked), place(mark_f, mark_o)()))
    first_group = min(rows)
    groups = {
        g: V.CommentGroup(tp, text, persona, period, n, place(f, o), names[f])
        for g, (tp, text, persona, period, n, f, o, _score) in rows.items()
    }
    scores: dict[int, float | None] = {g: row[7] for g, row in rows.items()}
    if not scored and V.sentiment_scorer() is None:
        summary.problems.append(
            Problem(
                groups[first_group].span,
                "no-sentiment",
                f"{int(total):,} comments, but computing their sentiment needs the vaderSentiment package;"
                " the comments are counted and quoted without it",
                "pip install 'journeymap[sentiment]'",
                level="warning",
            )
        )
    if language is not None:
        summary.problems.append(language[2](place(language[0], language[1])()))
    summary.problems += [told(place(f, o)()) for f, o, told in languages]
    if markup is not None:
        summary.problems.append(markup[2](place(markup[0], markup[1])()))
    summary.problems += [told(place(f, o)()) for f, o, told in copied]
    phrases = _phrases(con, None)
    for tp, first, n in touchpoints:
        mean = None
        if scored:
            everyone = counted[tp][None]
            mean = mean_of_counted(_merged(everyone.values())).value
            buckets: dict[str | None, dict[str | None, dict[float, int]]] = {None: everyone}
            buckets.update((p, counted[tp][p]) for p in persona_order.get(tp, []))
            V.bucket_points(summary, tp, buckets, ", ".join(dict.fromkeys(files[tp])), groups[first].span)
        summary.verbatims[tp] = V.Verbatims(
            tp, int(n), mean, phrases.get(tp, []), V._quotes(groups, picks[(None, tp)], scores)
        )
    for persona in personas:
        own = [(tp, first) for (p, tp), (_n, first) in persona_comments.items() if p == persona]
        own.sort(key=lambda item: item[1])
        persona_phrases = _phrases(con, persona)
        summary.persona_verbatims[persona] = {
            tp: V.Verbatims(
                tp,
                int(persona_comments[(persona, tp)][0]),
                mean_of_counted(_merged(counted[tp][persona].values())).value if scored else None,
                persona_phrases.get(tp, []),
                V._quotes(groups, picks[(persona, tp)], scores),
            )
            for tp, _first in own
        }
    return summary


def _markup(con: Any) -> tuple[int, int, Callable[[Any], Problem]] | None:
    """:func:`~journeymap.data.verbatims.markup_check` over the comment groups: the file and row of the first comment
    holding HTML markup and the warning, or None. Only the texts holding '&' or '<' are matched, in SQL."""
    holds = (f"(contains(text, '&') OR contains(text, '<'))"
             f" AND regexp_matches(left(text, {V.COMMENT_LIMIT}), {literal(V.MARKUP)})")
    total, marked, f, o = con.execute(
        f"SELECT SUM(n), SUM(n) FILTER (WHERE {holds}), arg_min(f, g) FILTER (WHERE {holds}),"
        f" arg_min(o, g) FILTER (WHERE {holds}) FROM {GROUPS}").fetchall()[0]
    if not marked:
        return None
    shown = [text for (text,) in con.execute(
        f"SELECT text FROM {GROUPS} WHERE {holds} ORDER BY g LIMIT {V.MARKUP_SHOWN}").fetchall()]
    told = V.markup_warning(int(marked), int(total), [V.marks(text) for text in shown])
    return None if told is None else (int(f), int(o), told)


def _copied(con: Any, totals: dict[str, int]) -> list[tuple[int, int, Callable[[Any], Problem]]]:
    """:func:`~journeymap.data.verbatims.copied_comments` over the comment groups: each touchpoint's most written text
    (the first seen of texts as often written), counted in SQL, its first comment's file and row, and the warning."""
    found = []
    for tp, text, n, f, o in con.execute(
        f"SELECT tp, text, n, f, o FROM (SELECT tp, text, SUM(n) AS n, MIN(g) AS g FROM {GROUPS} GROUP BY tp, text"
        f" HAVING SUM(n) >= {V.COPIED_MIN} QUALIFY row_number() OVER (PARTITION BY tp ORDER BY SUM(n) DESC, MIN(g)) = 1)"
        f" JOIN (SELECT g, f, o FROM {GROUPS}) USING (g) ORDER BY g"
    ).fetchall():
        if (told := V.copied_comment(text, int(n), totals[tp], tp)) is not None:
            found.append((int(f), int(o), told))
    return found


def _decode(con: Any) -> None:
    """The comment groups with their texts :func:`~journeymap.data.verbatims.decoded` (HTML entities as their
    characters), those alike once decoded one group in the place of the first (as ``decoded_groups``)."""
    from .survey import _register

    marked = [text for (text,) in con.execute(f"SELECT DISTINCT text FROM {GROUPS} WHERE contains(text, '&')").fetchall()]
    _register(con, "jm_comment_decoded", ("raw", "decoded"), [(text, V.decoded(text)) for text in marked] or [("", "")])
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {GROUPS} AS"
        " SELECT MIN(g) AS g, tp, period, persona, text, (hash(text) >> 1)::BIGINT AS id, f, SUM(n)::BIGINT AS n, MIN(o) AS o"
        f" FROM (SELECT g.* EXCLUDE (text), COALESCE(d.decoded, g.text) AS text FROM {GROUPS} g"
        "       LEFT JOIN jm_comment_decoded d ON d.raw = g.text)"
        " GROUP BY tp, period, persona, text, f"
    )


def _merged(buckets: Iterable[dict[float, int]]) -> dict[float, int]:
    merged: dict[float, int] = {}
    for counts in buckets:
        for value, n in counts.items():
            merged[value] = merged.get(value, 0) + n
    return merged


def _analyse(con: Any) -> bool:
    """Each distinct text's phrases (``jm_comment_phrases``) and sentiment (``jm_comment_scores``,
    VADER's compound score of its first :data:`~journeymap.data.verbatims.COMMENT_LIMIT`
    characters; False without VADER), computed in the engine."""
    from ..phrases_sql import count_phrases, text_phrases
    from ..vader_sql import score_texts

    text_phrases(con, TEXTS, PHRASES)
    con.execute(f"CREATE OR REPLACE TEMP VIEW jm_comment_personas AS SELECT tp AS key, persona, id, n FROM {GROUPS}")
    count_phrases(con, "jm_comment_personas", PHRASES, PHRASE_COUNTS, by=("persona",))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {SIZES} AS SELECT tp AS key, persona, sum(n) AS n FROM {GROUPS} GROUP BY tp, persona")
    if V.sentiment_scorer() is None:
        return False
    # as verbatims.scored_text: the first characters, without the invisible format characters
    invisible = "[" + V.INVISIBLE + "]"
    # and its HTML tags read as breaks and spaces (verbatims.without_tags)
    # (every invisible character is outside ASCII: a text of one byte a character has none to drop)
    assert not any(c.isascii() for c in V.INVISIBLE)
    cut = (f"CASE WHEN strlen(text) = length(text) THEN left(text, {V.COMMENT_LIMIT})"
           f" ELSE regexp_replace(left(text, {V.COMMENT_LIMIT}), '{invisible}', '', 'g') END")
    untagged = (f"regexp_replace(regexp_replace(t, {literal(V.HTML_BREAK)}, ' . ', 'g'), {literal(V.HTML_INLINE)}, ' ', 'g')")
    con.execute(f"CREATE TEMP VIEW jm_comment_cut AS SELECT id, CASE WHEN contains(t, '<') THEN {untagged} ELSE t END AS text"
                f" FROM (SELECT id, {cut} AS t FROM {TEXTS})")
    return bool(score_texts(con, "jm_comment_cut", SCORES))


def _picks(
    con: Any, scored: bool, counted: dict[str, dict[str | None, dict[str | None, dict[float, int]]]]
) -> dict[tuple[str | None, str], list[tuple[int, str]]]:
    """The groups to quote per (persona or None, touchpoint): what ``summarise``'s picks are."""
    picks: dict[tuple[str | None, str], list[tuple[int, str]]] = {}
    keys = "CASE WHEN k = 0 THEN NULL ELSE persona END AS who, tp"
    # Every group twice: once for everyone (k = 0), once for its persona (k = 1).
    both = f"SELECT k, {keys}, g, n, id FROM {GROUPS}, (VALUES (0), (1)) AS ks(k) WHERE k = 0 OR persona IS NOT NULL"
    if not scored:
        for who, tp, g in con.execute(
            f"SELECT who, tp, g FROM ({both}) QUALIFY row_number() OVER (PARTITION BY k, who, tp ORDER BY g) <= {V.QUOTES * 4}"
            " ORDER BY k, who, tp, g"
        ).fetchall():
            picks.setdefault((who, tp), []).append((g, "comment"))
        return picks
    scored_groups = f"SELECT b.*, s.score FROM ({both}) b JOIN {SCORES} s USING (id)"
    medians = []
    for tp, by_persona in counted.items():
        for who in by_persona:
            written = _merged(by_persona[who].values())
            middle = sum(written.values()) // 2
            seen = 0
            median = 0.0
            for value, count in sorted(written.items()):
                seen += count
                if seen > middle:
                    median = value
                    break
            medians.append((0 if who is None else 1, who, tp, median))
    from .survey import _register

    _register(con, "jm_comment_medians", ("k", "who", "tp", "median"), medians)
    # The first (in group order) of the lowest, of the highest and of the nearest the median.
    for who, tp, low, high, negative, positive, typical in con.execute(
        f"SELECT s.who, s.tp, MIN(s.score), MAX(s.score), arg_min(s.g, (s.score, s.g)), arg_max(s.g, (s.score, -s.g)),"
        f" arg_min(s.g, (abs(s.score - m.median), s.g))"
        f" FROM ({scored_groups}) s JOIN jm_comment_medians m"
        " ON m.k = s.k AND m.tp = s.tp AND m.who IS NOT DISTINCT FROM s.who GROUP BY s.k, s.who, s.tp"
    ).fetchall():
        chosen: list[tuple[int, str]] = []
        if low < 0:
            chosen.append((negative, "most negative"))
        if high > 0:
            chosen.append((positive, "most positive"))
        chosen.append((typical, "typical"))
        picks[(who, tp)] = chosen
    return picks


def _phrases(con: Any, persona: str | None) -> dict[str, list[tuple[str, int]]]:
    """The distinctive phrases per touchpoint among everyone's comments, or one persona's."""
    from ..phrases_sql import rank_phrases

    # (from the counts _analyse made: everyone's are the sums over personas, a persona's its own)
    where = "" if persona is None else f" WHERE persona = {literal(persona)}"
    con.execute(f"CREATE OR REPLACE TEMP VIEW jm_comment_keys AS SELECT key, n FROM {SIZES}{where}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW jm_comment_key_counts AS SELECT key, phrase, sum(count) AS count"
                f" FROM {PHRASE_COUNTS}{where} GROUP BY key, phrase")
    return rank_phrases(con, "jm_comment_keys", "jm_comment_key_counts")
