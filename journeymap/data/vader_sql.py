"""VADER's compound score of many texts at once, in DuckDB SQL.

``vaderSentiment`` scores one text at a time in Python (~80 µs a text). This module
computes the same number -- bit for bit what
``SentimentIntensityAnalyzer().polarity_scores(text)["compound"]`` returns -- for a whole
table of texts with three vectorised DuckDB statements (the texts, their distinct words,
the scores), and hands the texts it cannot prove equal to the real analyzer.

The query encodes the rules of vaderSentiment 3.3.2 (read from its source, not copied);
the lexicon, the booster words, the negations, the idioms and the constants are read
from the installed package at run time. With another version every text goes to the
analyzer (correct, only slow).

What the SQL does, per text (the analyzer's steps in the same order, with the same
floating-point operations, so that the doubles agree operation by operation):

- pure ASCII texts only: split on ASCII whitespace, strip ``string.punctuation`` from
  each word unless that leaves two characters or fewer (no emoji is an ASCII character,
  so the analyzer's emoji translation changes nothing there); the stripping is done
  once per distinct word (a table of the words that some rule looks at: the lexicon's,
  the boosters', the negations', the idioms' and the words the rules name), not once
  per word of every text -- a word outside that table stands for '' (no rule tells two
  such words apart);
- only words in the lexicon (and not booster words) can have a non-zero valence, so
  only they are computed, with their three preceding and two following words: the
  "no" rules, ALL CAPS, the three preceding boosters/negations with 0.95/0.9 damping
  and the sign of the valence at that step, "never so/this", "without doubt", the
  idioms, "least", "kind of";
- "but": the words before the first "but" are halved and those after it are
  multiplied by 1.5;
- the sum is an ordered fold from 0.0 (Python's ``sum`` on 3.11 adds left to right;
  zeros change nothing but a zero's sign, which never reaches the result), then the
  "!"/"?" emphasis, ``normalize`` and the rounding to 4 decimals.

What goes to the analyzer instead (:func:`last_routing` says how many):

- texts with a character outside printable ASCII, tab, newline, CR, VT and FF;
- "but" texts where ``_but_check``'s ``sentiments.index(sentiment)`` would find an
  earlier equal value (it scales the first equal element instead of the current one):
  detected exactly, as "a non-zero valence equals an earlier word's scaled valence";
- on Python 3.12+ (where ``sum`` of floats is compensated), texts with more than two
  non-zero valences.

The rounding of the compound to 4 decimals is done in SQL as round(x * 10000) / 10000,
which is Python's ``round(x, 4)`` unless x * 10000 is within 1e-6 of a half; those few
values are rounded by Python's ``round`` (the unrounded value is exact either way).
"""

from __future__ import annotations

import importlib.metadata
import re
import string
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: The version whose rules the SQL encodes.
VADER_VERSION = "3.3.2"

#: Characters a text may have for the SQL path (all others: the analyzer).
_ASCII_OK = r"^[\t\n\x0B\x0C\r\x20-\x7E]*$"
#: Python's ``str.split()`` on those characters.
_SPACE = r"[\t\n\x0B\x0C\r ]+"
#: Texts that are not printable ASCII words separated by single spaces (an ASCII text
#: without a match is on the SQL path as it is: one regular expression instead of two).
_ODD = r"[\x00-\x1F\x7F]|  |^ | $"
#: In a text of words separated by single spaces: a word that ``isupper()``, and one that is not.
_UPPER_WORD = r"(^| )[^a-z ]*[A-Z][^a-z ]*( |$)"
_OTHER_WORD = r"(^| )([^A-Z ]+|[^ ]*[a-z][^ ]*)( |$)"


#: The words that the SQL compares a word with by name (besides the lexicon's, the
#: boosters', the negations' and the idioms' words): in ``_vader_dict`` too, so that a word
#: outside ``_vader_dict`` (and without "n't") is a word that no rule looks at.
_RULE_WORDS = ("no", "or", "nor", "never", "so", "this", "without", "doubt", "kind", "of", "least", "at", "very",
               "but")


@dataclass
class Routing:
    """How the texts of the last :func:`score_texts` call were scored."""

    texts: int = 0
    sql: int = 0  # scored by the SQL
    python: int = 0  # scored by the real analyzer
    rounded_in_python: int = 0  # scored by the SQL, rounded by Python's round()
    reasons: dict[str, int] | None = None


_last = Routing()


def last_routing() -> Routing:
    """The routing figures of the last :func:`score_texts` call in this process."""
    return _last


@dataclass(frozen=True)
class _Vader:
    version: str
    analyzer: Any
    lexicon: Mapping[str, float]
    emojis: Mapping[str, str]
    boosters: Mapping[str, float]
    negate: Sequence[str]
    special_cases: Mapping[str, float]
    b_incr: float
    c_incr: float
    n_scalar: float


@lru_cache(maxsize=1)
def _vader() -> _Vader | None:
    try:
        from vaderSentiment import vaderSentiment as vs  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        version = importlib.metadata.version("vaderSentiment")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    analyzer = vs.SentimentIntensityAnalyzer()
    return _Vader(
        version=version,
        analyzer=analyzer,
        lexicon=dict(analyzer.lexicon),
        emojis=dict(analyzer.emojis),
        boosters=dict(vs.BOOSTER_DICT),
        negate=list(vs.NEGATE),
        special_cases=dict(vs.SPECIAL_CASES),
        b_incr=float(vs.B_INCR),
        c_incr=float(vs.C_INCR),
        n_scalar=float(vs.N_SCALAR),
    )


# --- SQL text helpers -------------------------------------------------------------------


def _num(x: float) -> str:
    """A DOUBLE literal with exactly the value of ``x`` (a bare 0.95 would be a DECIMAL)."""
    return f"CAST('{float(x)!r}' AS DOUBLE)"


def _str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _in(col: str, words: Sequence[str]) -> str:
    return f"{col} IN ({', '.join(_str(w) for w in words)})" if words else "FALSE"


def _phrases(table: Mapping[str, float], size: int) -> list[tuple[list[str], float]]:
    """The keys of ``table`` that ``"{0} {1}".format(...)`` of ``size`` words can equal.

    Words are whitespace-free and non-empty, so a key matches only when it is exactly
    ``size`` such words joined by single spaces."""
    found = []
    for key, value in table.items():
        parts = key.split(" ")
        if len(parts) == size and all(p and not any(c.isspace() for c in p) for p in parts):
            found.append((parts, float(value)))
    return found


def _match(cols: Sequence[str], table: Mapping[str, float]) -> tuple[str, str]:
    """(condition, value) SQL: the words in ``cols`` joined by spaces are a key of ``table``."""
    found = _phrases(table, len(cols))
    if not found:
        return "FALSE", "NULL"
    conds = ["(" + " AND ".join(f"{c} = {_str(p)}" for c, p in zip(cols, parts, strict=True)) + ")"
             for parts, _ in found]
    value = "CASE " + " ".join(f"WHEN {c} THEN {_num(v)}" for c, (_, v) in zip(conds, found, strict=True)) + " END"
    return "(" + " OR ".join(conds) + ")", value


def _scalar(boost: str, upper: str, v: str, c_incr: str) -> str:
    """``scalar_inc_dec`` of a preceding word (its booster value, ALL CAPS flag) for valence ``v``."""
    signed = f"CASE WHEN {v} < 0 THEN -{boost} ELSE {boost} END"
    return (
        f"CASE WHEN {boost} IS NULL THEN CAST(0 AS DOUBLE)"
        f" WHEN {upper} AND cap THEN (CASE WHEN {v} > 0 THEN ({signed}) + {c_incr} ELSE ({signed}) - {c_incr} END)"
        f" ELSE {signed} END"
    )


def _is_upper(col: str) -> str:
    """Python's ``str.isupper()`` of an ASCII string: a capital letter and no small one.
    (A word and the word stripped of punctuation agree: punctuation has no case.)"""
    return f"({col} <> lower({col}) AND {col} = upper({col}))"


def _strip(col: str) -> str:
    """``_strip_punc_if_word``: ``string.punctuation`` (RE2's ASCII [[:punct:]]) stripped
    from both ends, unless that leaves two characters or fewer."""
    edges = "'^[[:punct:]]+|[[:punct:]]+$'"
    stripped = f"regexp_replace({col}, {edges}, '', 'g')"
    # Whether a word has punctuation at an edge, from its first and last characters: a quarter
    # of the time of a regular expression over 4 million words (ASCII texts only come here).
    punctuation = _str(string.punctuation)
    edge = f"(contains({punctuation}, {col}[1]) OR contains({punctuation}, {col}[-1]))"
    return (f"CASE WHEN {edge} THEN"
            f" (CASE WHEN length({stripped}) <= 2 THEN {col} ELSE {stripped} END) ELSE {col} END")


def _before(k: int, source: str, valence: str, name: str, result: str, damping: float, ns: str, c: str) -> str:
    """The CTEs for the k-th word before (k = 2, 3): its booster scaled by the current valence's
    sign and damped, then "never so/this", "without doubt" or a negation; ``result`` is the
    valence after it (``valence`` where the word is not looked at)."""
    looked = f"p > {k} AND NOT in{k}"
    return f"""{name} AS (  -- {k} words before
    SELECT {source}.*, CASE WHEN {looked} THEN ({_scalar(f'b{k}', f'u{k}', valence, c)}) END AS sc{k} FROM {source}
),
{name}b AS (
    SELECT {name}.*, CASE WHEN {looked} THEN
        {valence} + (CASE WHEN sc{k} <> 0 THEN sc{k} * {_num(damping)} ELSE sc{k} END) END AS {result}a FROM {name}
),
{name}c AS (
    SELECT {name}b.*, CASE WHEN {looked} THEN (CASE
            WHEN never{k} THEN {result}a * {_num(1.25)}
            WHEN without{k} THEN {result}a
            WHEN neg{k} THEN {result}a * {ns}
            ELSE {result}a END)
        ELSE {valence} END AS {result} FROM {name}b
),
"""


def _query(v: _Vader, texts_table: str, stage: str) -> list[str]:
    """The statements creating TEMP table ``stage``(id, x, route): the unrounded compound and
    whether the text goes to the analyzer (and on the way ``stage``_t, the texts, and
    ``stage``_w, the words that the rules look at)."""
    ns, c = _num(v.n_scalar), _num(v.c_incr)
    zero = "CAST(0 AS DOUBLE)"
    emoji_ascii = sorted({k for k in v.emojis if len(k) == 1 and k.isascii()})
    ok = f"regexp_matches(text, {_str(_ASCII_OK)})"
    if emoji_ascii:  # none in 3.3.2; kept so that the SQL never skips a translation
        ok += " AND NOT regexp_matches(text, " + _str("[" + "".join(f"\\x{ord(e):02X}" for e in emoji_ascii) + "]") + ")"

    def negated(k: str) -> str:  # ``negated([word])`` of the k-th word before
        return f"coalesce(g{k} OR contains(l{k}, 'n''t'), FALSE)"

    so_this = ["so", "this"]
    # the idioms checked at the third preceding word (i > 2)
    first = [  # first match wins, in the analyzer's order
        _match(["l1", "lw"], v.special_cases),
        _match(["l2", "l1", "lw"], v.special_cases),
        _match(["l2", "l1"], v.special_cases),
        _match(["l3", "l2", "l1"], v.special_cases),
        _match(["l3", "l2"], v.special_cases),
    ]
    idiom_first = "CASE " + " ".join(f"WHEN {cond} THEN {val}" for cond, val in first) + " END"
    zo_cond, zo_val = _match(["lw", "r1"], v.special_cases)
    zot_cond, zot_val = _match(["lw", "r1", "r2"], v.special_cases)
    grams = [_match(["l3", "l2", "l1"], v.boosters), _match(["l3", "l2"], v.boosters),
             _match(["l2", "l1"], v.boosters)]
    py312 = sys.version_info >= (3, 12)

    # The texts (norm: words separated by single spaces; bi: where the first "but" is).
    texts = f"""
CREATE OR REPLACE TEMP TABLE {stage}_t AS
WITH
src AS (
    SELECT id, text, odd, strlen(text) = length(text) AND (NOT odd OR {ok}) AS ok
    FROM (SELECT id, text, regexp_matches(text, {_str(_ODD)}) AS odd FROM {texts_table})
),
t AS (  -- words separated by single spaces
    SELECT id, ok,
        CASE WHEN NOT ok THEN NULL WHEN odd
            THEN trim(regexp_replace(text, {_str(_SPACE)}, ' ', 'g')) ELSE text END AS norm,
        least(strlen(text) - strlen(replace(text, '!', '')), 4) AS ep,
        strlen(text) - strlen(replace(text, '?', '')) AS qm
    FROM src
)
SELECT id, ok, ep, qm, norm, CASE WHEN contains(lower(norm), 'but') THEN
    list_position(list_transform(string_split(lower(norm), ' '), lambda x: {_strip('x')}), 'but') END AS bi
FROM t
"""
    # Each distinct word once (as written): stripped and in lower case (lw), ALL CAPS or not
    # (up), and what _vader_dict says of it; only the words that a rule looks at: the others
    # are in no table and equal no word that the rules name, and they are many (one strip
    # per distinct word instead of one per word of every text, and a small table to join).
    # A table, not a CTE, so that the joins below know how small it is.
    words = f"""
CREATE OR REPLACE TEMP TABLE {stage}_w AS
SELECT v.w, v.lw, v.up, d.lex, d.boost, d.neg, d.idiom
FROM (
    SELECT w, {_strip('lower(w)')} AS lw, {_is_upper('w')} AS up
    FROM (SELECT DISTINCT unnest(string_split(norm, ' ')) AS w FROM {stage}_t WHERE ok)
) v LEFT JOIN _vader_dict d ON d.word = v.lw
WHERE d.word IS NOT NULL OR contains(v.lw, 'n''t')
"""
    return [texts, words, f"""
CREATE OR REPLACE TEMP TABLE {stage} AS
WITH
t3 AS (SELECT id, ep, qm, norm, bi, string_split(norm, ' ') AS ws FROM {stage}_t WHERE ok),
tok AS (
    SELECT id, len(ws) AS n, norm, bi, ep, qm, ws, unnest(ws) AS w, generate_subscripts(ws, 1) AS p FROM t3
),
lt AS (  -- the words that carry a valence: in the lexicon, not boosters
    SELECT tok.*, v.lw, v.lex, v.idiom AS iw0, v.up AS u0 FROM tok JOIN {stage}_w v ON v.w = tok.w
    WHERE v.lex IS NOT NULL AND v.boost IS NULL
),
nb AS (  -- the words as written around it
    SELECT id, n, norm, bi, ep, qm, p, lw, lex, iw0, u0,
        CASE WHEN p > 1 THEN ws[p - 1] END AS w1,
        CASE WHEN p > 2 THEN ws[p - 2] END AS w2,
        CASE WHEN p > 3 THEN ws[p - 3] END AS w3,
        ws[p + 1] AS wr1,
        ws[p + 2] AS wr2
    FROM lt
),
fj AS (
    SELECT nb.*,
        -- the neighbours stripped and in lower case; '' for a word that no rule looks at
        -- (it equals no rule word and is in no table), NULL for none
        CASE WHEN w1 IS NOT NULL THEN coalesce(d1.lw, '') END AS l1,
        CASE WHEN w2 IS NOT NULL THEN coalesce(d2.lw, '') END AS l2,
        CASE WHEN w3 IS NOT NULL THEN coalesce(d3.lw, '') END AS l3,
        CASE WHEN wr1 IS NOT NULL THEN coalesce(dr.lw, '') END AS r1,
        CASE WHEN wr2 IS NOT NULL THEN coalesce(dr2.lw, '') END AS r2,
        -- two neighbouring words of the idioms (the phrases need two words at least)
        coalesce(d3.idiom AND d2.idiom, FALSE) OR coalesce(d2.idiom AND d1.idiom, FALSE)
            OR coalesce(d1.idiom AND iw0, FALSE) OR coalesce(iw0 AND dr.idiom, FALSE) AS phrase,
        coalesce(d1.neg, FALSE) AS g1, coalesce(d2.neg, FALSE) AS g2, coalesce(d3.neg, FALSE) AS g3,
        d1.lex IS NOT NULL AS in1, d1.boost AS b1, coalesce(d1.up, FALSE) AS u1,
        d2.lex IS NOT NULL AS in2, d2.boost AS b2, coalesce(d2.up, FALSE) AS u2,
        d3.lex IS NOT NULL AS in3, d3.boost AS b3, coalesce(d3.up, FALSE) AS u3,
        dr.lex IS NOT NULL AS inr1
    FROM nb
    LEFT JOIN {stage}_w d1 ON d1.w = nb.w1
    LEFT JOIN {stage}_w d2 ON d2.w = nb.w2
    LEFT JOIN {stage}_w d3 ON d3.w = nb.w3
    LEFT JOIN {stage}_w dr ON dr.w = nb.wr1
    LEFT JOIN {stage}_w dr2 ON dr2.w = nb.wr2
),
f AS MATERIALIZED (  -- all that the valence needs and that does not depend on it (no words)
    SELECT id, bi, ep, qm, p, lex, in1, in2, in3, b1, b2, b3, u0, u1, u2, u3,
        -- allcap_differential, only where an ALL CAPS word can count (else it changes nothing)
        CASE WHEN u0 OR u1 OR u2 OR u3 THEN regexp_matches(norm, {_str(_UPPER_WORD)})
            AND regexp_matches(norm, {_str(_OTHER_WORD)}) ELSE FALSE END AS cap,
        coalesce((p > 1 AND l1 = 'no') OR (p > 2 AND l2 = 'no') OR (p > 3 AND l3 = 'no' AND l1 IN ('or', 'nor')),
            FALSE) AS no_before,
        coalesce(lw = 'no' AND p < n AND inr1, FALSE) AS no_self,
        {negated('1')} AS neg1, {negated('2')} AS neg2, {negated('3')} AS neg3,
        coalesce(l2 = 'never' AND {_in('l1', so_this)}, FALSE) AS never2,
        coalesce(l2 = 'without' AND l1 = 'doubt', FALSE) AS without2,
        coalesce((l3 = 'never' AND {_in('l2', so_this)}) OR {_in('l1', so_this)}, FALSE) AS never3,
        coalesce(l3 = 'without' AND (l2 = 'doubt' OR l1 = 'doubt'), FALSE) AS without3,
        CASE WHEN phrase THEN {idiom_first} END AS idiom,  -- NULL: none
        CASE WHEN phrase AND p < n AND {zo_cond} THEN {zo_val} END AS idiom_next,
        CASE WHEN phrase AND p < n - 1 AND {zot_cond} THEN {zot_val} END AS idiom_next2,
        CASE WHEN phrase AND {grams[0][0]} THEN {grams[0][1]} END AS gram321,
        CASE WHEN phrase AND {grams[1][0]} THEN {grams[1][1]} END AS gram32,
        CASE WHEN phrase AND {grams[2][0]} THEN {grams[2][1]} END AS gram21,
        coalesce(lw = 'kind' AND r1 = 'of', FALSE) AS kind_of,
        CASE WHEN p > 2 AND NOT in1 AND l1 = 'least' THEN coalesce(l2 <> 'at' AND l2 <> 'very', FALSE)
            WHEN p > 1 AND NOT in1 AND l1 = 'least' THEN TRUE ELSE FALSE END AS least_neg
    FROM fj
),
s1 AS (  -- the "no" rules
    SELECT f.*, CASE
        WHEN no_before THEN lex * {ns}
        WHEN no_self THEN {zero}
        ELSE lex END AS v1
    FROM f
),
s2 AS (  -- ALL CAPS
    SELECT s1.*, CASE WHEN u0 AND cap THEN (CASE WHEN v1 > 0 THEN v1 + {c} ELSE v1 - {c} END) ELSE v1 END AS v2
    FROM s1
),
s3 AS (  -- the word before
    SELECT s2.*, CASE WHEN p > 1 AND NOT in1 THEN v2 + ({_scalar('b1', 'u1', 'v2', c)}) END AS v3a FROM s2
),
s3b AS (
    SELECT s3.*, CASE WHEN p > 1 AND NOT in1 THEN (CASE WHEN neg1 THEN v3a * {ns} ELSE v3a END)
        ELSE v2 END AS v3 FROM s3
),
{_before(2, 's3b', 'v3', 's4', 'v4', 0.95, ns, c)}{_before(3, 's4c', 'v4', 's5', 'v5', 0.9, ns, c)}s6 AS (  -- the idioms (only where the third word before was looked at)
    SELECT s5c.*, CASE WHEN p > 3 AND NOT in3 THEN coalesce(idiom, v5) ELSE v5 END AS v6a FROM s5c
),
s6b AS (
    SELECT s6.*, CASE WHEN p > 3 AND NOT in3 AND idiom_next IS NOT NULL THEN idiom_next ELSE v6a END AS v6b FROM s6
),
s6c AS (
    SELECT s6b.*, CASE WHEN p > 3 AND NOT in3 AND idiom_next2 IS NOT NULL THEN idiom_next2 ELSE v6b END AS v6c
    FROM s6b
),
s6d AS (
    SELECT s6c.*, CASE WHEN p > 3 AND NOT in3 AND gram321 IS NOT NULL THEN v6c + gram321 ELSE v6c END AS v6d
    FROM s6c
),
s6e AS (
    SELECT s6d.*, CASE WHEN p > 3 AND NOT in3 AND gram32 IS NOT NULL THEN v6d + gram32 ELSE v6d END AS v6e
    FROM s6d
),
s6f AS (
    SELECT s6e.*, CASE WHEN p > 3 AND NOT in3 AND gram21 IS NOT NULL THEN v6e + gram21 ELSE v6e END AS v6
    FROM s6e
),
s7 AS (  -- "least", then "kind of" (a zero before any of the above in the analyzer)
    SELECT id, p, bi, ep, qm, CASE
        WHEN kind_of THEN {zero}
        WHEN least_neg THEN v6 * {ns}
        ELSE v6 END AS v
    FROM s6f
),
vals AS (  -- "but"
    SELECT id, p, bi, ep, qm, v, CASE
        WHEN bi IS NULL OR bi = 0 THEN v
        WHEN p < bi THEN v * {_num(0.5)}
        WHEN p > bi THEN v * {_num(1.5)}
        ELSE v END AS m
    FROM s7
),
agg AS (  -- the words with a valence, in order when the order can matter
    SELECT id, ep, qm, bi, nonzero,
        CASE WHEN len(es) > 2 OR bi > 0 THEN list_sort(es) ELSE es END AS es
    FROM (
        SELECT id, any_value(ep) AS ep, any_value(qm) AS qm, any_value(bi) AS bi,
            list({{'p': p, 'v': v, 'm': m}}) AS es, count(*) FILTER (WHERE v <> 0) AS nonzero
        FROM vals GROUP BY id
    )
),
agg2 AS (  -- two numbers add up the same in any order
    SELECT id, ep, qm, nonzero,
        CASE WHEN len(es) = 1 THEN {zero} + es[1].m WHEN len(es) = 2 THEN ({zero} + es[1].m) + es[2].m
            ELSE list_reduce(list_prepend({zero}, list_transform(es, lambda e: e.m)), lambda a, b: a + b) END AS s,
        -- _but_check's sentiments.index(sentiment) would find an earlier equal element
        CASE WHEN bi > 0 THEN coalesce(len(list_filter(range(2, len(es) + 1), lambda k: es[k].v <> 0
            AND list_contains(list_transform(es[1:k - 1], lambda e: e.m), es[k].v))) > 0, FALSE) ELSE FALSE END AS quirk
    FROM agg
),
sc AS (
    SELECT id, nonzero, quirk, s, CAST(ep AS DOUBLE) * {_num(0.292)}
        + (CASE WHEN qm > 1 THEN (CASE WHEN qm <= 3 THEN CAST(qm AS DOUBLE) * {_num(0.18)} ELSE {_num(0.96)} END)
           ELSE {zero} END) AS amp
    FROM agg2
),
sc2 AS (
    SELECT id, nonzero, quirk, CASE WHEN s > 0 THEN s + amp WHEN s < 0 THEN s - amp ELSE s END AS s FROM sc
),
cx AS (
    SELECT id, nonzero, quirk, s / sqrt(s * s + {_num(15.0)}) AS x FROM sc2
)
SELECT src.id,
    CASE WHEN cx.x < {_num(-1.0)} THEN {_num(-1.0)} WHEN cx.x > {_num(1.0)} THEN {_num(1.0)}
        ELSE coalesce(cx.x, {zero}) END AS x,
    CASE WHEN NOT src.ok THEN 'text'
        WHEN cx.quirk THEN 'but'
        {"WHEN cx.nonzero > 2 THEN 'sum'" if py312 else ""}
    END AS route
FROM {stage}_t src LEFT JOIN cx ON cx.id = src.id
"""]


def _register_dict(con: Any, v: _Vader) -> None:
    """TEMP table _vader_dict(word, lex, boost, neg, idiom): the lexicon's, the booster,
    the negation and the idioms' words, and the words the rules name (:data:`_RULE_WORDS`);
    (lex: the lexicon's valence or NULL; boost: the
    booster's or NULL; neg: in NEGATE; idiom: a word of a phrase of SPECIAL_CASES or of
    BOOSTER_DICT that a sequence of words can match)."""
    negate = set(v.negate)
    idiom = {w for table in (v.special_cases, v.boosters) for size in (2, 3)
             for parts, _ in _phrases(table, size) for w in parts}
    words = sorted(set(v.lexicon) | set(v.boosters) | negate | idiom | set(_RULE_WORDS))
    lex = [v.lexicon.get(w) for w in words]
    boost = [v.boosters.get(w) for w in words]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _vader_dict AS SELECT unnest($1::VARCHAR[]) AS word,"
        " unnest($2::DOUBLE[]) AS lex, unnest($3::DOUBLE[]) AS boost, unnest($4::BOOLEAN[]) AS neg,"
        " unnest($5::BOOLEAN[]) AS idiom",
        [words, [None if x is None else float(x) for x in lex], [None if x is None else float(x) for x in boost],
         [w in negate for w in words], [w in idiom for w in words]],
    )


def _check_literals(con: Any) -> None:
    """The DOUBLE literals of the query are the Python constants (not DECIMALs)."""
    values = [0.95, 0.9, 1.25, 0.5, 1.5, 0.292, 0.18, 0.96, 15.0, 10000.0, 0.5]
    got = con.execute("SELECT [" + ", ".join(_num(x) for x in values) + "]").fetchone()[0]
    if [float(x) for x in got] != values:  # pragma: no cover - a DuckDB that parses doubles differently
        raise RuntimeError("DuckDB does not read the constants exactly")


def _round4(x: str) -> tuple[str, str]:
    """SQL for Python's ``round(x, 4)`` of a DOUBLE in -1..1, and for "too near a half to
    trust it".

    round(x * 10000) is the integer Python's correctly rounded decimal rounding picks
    unless x * 10000 is within its rounding error (< 1e-12 here) of a half; then
    k / 10000 is the double nearest k/10000, which is what ``round`` returns (the sign
    of a zero kept, as ``round(-0.00001, 4)`` gives -0.0). Values within 1e-6 of a half
    are flagged for Python's ``round``."""
    ten, half = _num(10000.0), _num(0.5)
    y = f"({x} * {ten})"
    score = (f"(CASE WHEN {y} = 0 THEN {x} WHEN {y} < 0 THEN -floor(-{y} + {half}) / {ten}"
             f" ELSE floor({y} + {half}) / {ten} END)")
    near = f"(abs(abs({y} - trunc({y})) - {half}) < {_num(1e-6)})"
    return score, near


def score_texts(con: Any, texts_table: str, out_table: str) -> bool:
    """VADER's compound score of every text of ``texts_table`` (id BIGINT, text VARCHAR):
    creates TEMP table ``out_table``(id BIGINT, score DOUBLE), one row per id, each score
    exactly ``polarity_scores(text)["compound"]``. False (and nothing created) without
    vaderSentiment."""
    global _last
    v = _vader()
    if v is None:
        return False
    stage = "_vader_stage_" + re.sub(r"\W", "_", out_table)
    routing = Routing(reasons={})
    if v.version != VADER_VERSION:
        rows = con.execute(f"SELECT id, text FROM {texts_table}").fetchall()
        _store(con, out_table, [(i, _python_score(v, t)) for i, t in rows])
        routing.texts = routing.python = len(rows)
        routing.reasons = {"version": len(rows)}
        _last = routing
        return True
    _register_dict(con, v)
    _check_literals(con)
    for statement in _query(v, texts_table, stage):
        con.execute(statement)
    # the compound rounded to 4 decimals; near a half at the 5th decimal, Python's round()
    score, near = _round4("x")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {stage}_r AS SELECT id, x, route, {score} AS score, {near} AS near"
                f" FROM {stage}")
    routed = con.execute(
        f"SELECT {stage}_r.id, route, text FROM {stage}_r JOIN {texts_table} t ON t.id = {stage}_r.id"
        " WHERE route IS NOT NULL"
    ).fetchall()
    near = con.execute(f"SELECT id, x FROM {stage}_r WHERE near AND route IS NULL").fetchall()
    fixes = [(i, _python_score(v, text)) for i, _, text in routed] + [(i, round(x, 4)) for i, x in near]
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {stage}_fix AS SELECT unnest($1::BIGINT[]) AS id, unnest($2::DOUBLE[]) AS score",
        [[i for i, _ in fixes], [s for _, s in fixes]],
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {out_table} AS
        SELECT r.id AS id, CAST(coalesce(f.score, r.score) AS DOUBLE) AS score
        FROM {stage}_r r LEFT JOIN {stage}_fix f ON f.id = r.id
    """)
    total = con.execute(f"SELECT count(*) FROM {stage}_r").fetchone()[0]
    for name in (stage, f"{stage}_t", f"{stage}_w", f"{stage}_r", f"{stage}_fix", "_vader_dict"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    reasons: dict[str, int] = {}
    for _, route, _ in routed:
        reasons[route] = reasons.get(route, 0) + 1
    routing.texts = int(total)
    routing.python = len(routed)
    routing.sql = int(total) - len(routed)
    routing.rounded_in_python = len(near)
    routing.reasons = reasons
    _last = routing
    return True


def _python_score(v: _Vader, text: str) -> float:
    return float(v.analyzer.polarity_scores(text)["compound"])


def _store(con: Any, out_table: str, rows: list[tuple[int, float]]) -> None:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {out_table} AS SELECT unnest($1::BIGINT[]) AS id, unnest($2::DOUBLE[]) AS score",
        [[i for i, _ in rows], [s for _, s in rows]],
    )


def compound_scores(texts: list[str]) -> list[float] | None:
    """VADER's compound score of each text (in order), through :func:`score_texts`;
    None without vaderSentiment."""
    import duckdb

    if _vader() is None:
        return None
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TEMP TABLE _vader_texts AS SELECT CAST(i AS BIGINT) - 1 AS id, t AS text"
            " FROM unnest($1::VARCHAR[]) WITH ORDINALITY AS u(t, i)",
            [texts],
        )
        if not score_texts(con, "_vader_texts", "_vader_scores"):
            return None
        rows = con.execute("SELECT score FROM _vader_scores ORDER BY id").fetchall()
        return [float(r[0]) for r in rows]
    finally:
        con.close()
