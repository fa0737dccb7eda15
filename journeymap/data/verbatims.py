"""Verbatims: what customers wrote, per touchpoint.

From the ``comment`` column of survey responses, each touchpoint gets the
number of comments, their mean ``sentiment`` (VADER's compound score, -1..1,
from the optional ``vaderSentiment`` package: ``pip install
'journeymap[sentiment]'``), its most distinctive phrases and a few
representative quotes. Everything is deterministic: the same comments give the
same phrases and quotes in the same order.

Sentiment is English only (VADER's lexicon is English); without the package
the comments are still counted, phrased and quoted, and a warning says why
there is no sentiment.

Distinctive phrases: two- and three-word phrases (lower case; a phrase never
starts or ends with a stop word) found in at least two comments of the
touchpoint, ranked by how much more often they appear there than in the other
touchpoints' comments (share of comments here minus share elsewhere), ties by
count, then alphabetically. Phrases never run across punctuation; a phrase
inside one already chosen, or sharing a word and its count with one (a piece
of the same sentence), is skipped.

Quotes: the most negative, the most positive and the most typical comment (the
one whose sentiment is nearest the median), distinct, cut at
:data:`QUOTE_LENGTH` characters; without sentiment, the first comments.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..problems import Problem, Span
from ..stats import Sample, mean_of
from . import DataPoint
from .table import Row, Table

#: A quote on the map is cut at this many characters.
QUOTE_LENGTH = 160
#: Comments longer than this are analysed on their first this-many characters only.
COMMENT_LIMIT = 5000
#: Phrases and quotes kept per touchpoint.
PHRASES = 5
QUOTES = 3

STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not of off on once only or other our ours ourselves out over own same she should so some
    such than that the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your yours
    yourself yourselves i'm it's don't didn't can't won't isn't wasn't i've i'd you're they're we're
    that's there's also got get really just even still much many lot""".split()
)
_CLAUSE = re.compile(r"[.,;:!?()\[\]\"“”…–—/|]+|\s-\s")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_TERMINAL_ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|.)")


@dataclass(frozen=True)
class Comment:
    touchpoint: str
    text: str
    persona: str | None
    period: str | None
    where: Span | Row | tuple[Table, tuple[int, list[str], list[int] | str]]
    """The comment's cell, or its row (the cell column is worked out only when asked for)."""

    @property
    def span(self) -> Span:
        where = self.where
        if isinstance(where, Span):
            return where
        row = where if isinstance(where, Row) else where[0].row(where[1])
        return row.span("comment")

    @property
    def file(self) -> str:
        where = self.where
        return where.file if isinstance(where, (Span, Row)) else where[0].file


@dataclass(frozen=True)
class Quote:
    text: str
    """The comment, cut at :data:`QUOTE_LENGTH` characters (with an ellipsis when cut)."""
    sentiment: float | None
    span: Span
    kind: str
    """``most negative``, ``most positive``, ``typical`` or ``comment`` (without sentiment)."""


@dataclass(frozen=True)
class Verbatims:
    """The comments at one touchpoint, summed up."""

    touchpoint: str
    comments: int
    sentiment: float | None
    """Mean VADER compound score, -1..1; None without the sentiment package."""
    phrases: list[tuple[str, int]]
    """Distinctive phrases and the number of comments holding each, most distinctive first."""
    quotes: list[Quote]


@dataclass
class Summary:
    verbatims: dict[str, Verbatims] = field(default_factory=dict)
    points: list[DataPoint] = field(default_factory=list)
    persona_points: list[DataPoint] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    persona_verbatims: dict[str, dict[str, Verbatims]] = field(default_factory=dict)


def sentiment_scorer() -> Callable[[str], float] | None:
    """VADER's compound score of a text, -1..1; None when vaderSentiment is not installed."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # type: ignore[import-not-found]
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    return lambda text: float(analyzer.polarity_scores(text)["compound"])


def summarise(comments: Sequence[Comment], scorer: Callable[[str], float] | None | bool = True) -> Summary:
    """Sentiment values (everyone, per persona, per period) and per-touchpoint verbatims.

    ``scorer`` is a function text -> -1..1, None for no sentiment, or True for VADER when installed.
    """
    summary = Summary()
    score_of: Callable[[str], float] | None = sentiment_scorer() if scorer is True else scorer or None
    if scorer is True:
        if score_of is None:
            summary.problems.append(
                Problem(
                    comments[0].span,
                    "no-sentiment",
                    f"{len(comments):,} comments, but computing their sentiment needs the vaderSentiment package;"
                    " the comments are counted and quoted without it",
                    "pip install 'journeymap[sentiment]'",
                    level="warning",
                )
            )
    cache: dict[str, float] = {}
    scores: list[float | None] = []
    for comment in comments:
        text = comment.text
        if len(text) > COMMENT_LIMIT:
            summary.problems.append(
                Problem(
                    comment.span,
                    "long-comment",
                    f"a comment longer than {COMMENT_LIMIT:,} characters; only its start is analysed",
                    level="warning",
                )
            )
            text = text[:COMMENT_LIMIT]
        if score_of is None:
            scores.append(None)
            continue
        score = cache.get(text)
        if score is None:
            score = cache[text] = score_of(text)
        scores.append(score)
    by_touchpoint: dict[str, list[int]] = {}
    for index, comment in enumerate(comments):
        by_touchpoint.setdefault(comment.touchpoint, []).append(index)
    phrases = _phrases(comments, by_touchpoint)
    for touchpoint, indexes in by_touchpoint.items():
        values = [scores[i] for i in indexes]
        mean = None
        if score_of is not None:
            numbers = [v for v in values if v is not None]
            mean = mean_of(numbers).value
            _sentiment_points(summary, touchpoint, [comments[i] for i in indexes], numbers)
        summary.verbatims[touchpoint] = Verbatims(
            touchpoint,
            len(indexes),
            mean,
            phrases.get(touchpoint, []),
            _quotes([comments[i] for i in indexes], values),
        )
    # Each persona's own verbatims: its comments, phrases distinctive among its own comments.
    personas = sorted({c.persona for c in comments if c.persona is not None})
    for persona in personas:
        own: dict[str, list[int]] = {}
        for index, comment in enumerate(comments):
            if comment.persona == persona:
                own.setdefault(comment.touchpoint, []).append(index)
        mine = [i for indexes in own.values() for i in indexes]
        position = {i: k for k, i in enumerate(mine)}
        local = {tp: [position[i] for i in indexes] for tp, indexes in own.items()}
        persona_phrases = _phrases([comments[i] for i in mine], local)
        summary.persona_verbatims[persona] = {
            tp: Verbatims(
                tp,
                len(indexes),
                mean_of([v for v in (scores[i] for i in indexes) if v is not None]).value if score_of is not None else None,
                persona_phrases.get(tp, []),
                _quotes([comments[i] for i in indexes], [scores[i] for i in indexes]),
            )
            for tp, indexes in own.items()
        }
    return summary


def _sentiment_points(summary: Summary, touchpoint: str, comments: list[Comment], values: list[float]) -> None:
    files = ", ".join(dict.fromkeys(c.file for c in comments))
    span = comments[0].span
    groups: dict[str | None, dict[str | None, list[float]]] = {None: {}}
    for comment, value in zip(comments, values, strict=True):
        groups[None].setdefault(comment.period, []).append(value)
        if comment.persona is not None:
            groups.setdefault(comment.persona, {}).setdefault(comment.period, []).append(value)
    for persona, periods in groups.items():
        labelled = sorted(p for p in periods if p is not None)
        series = tuple(_point(touchpoint, mean_of(periods[p]), files, span, p, persona) for p in labelled)
        if series:
            last = series[-1]
            point = DataPoint(touchpoint, "sentiment", last.value, last.n, files, span, last.period, "responses", last.sample, series, persona)
        else:
            point = _point(touchpoint, mean_of(periods[None]), files, span, None, persona)
        (summary.points if persona is None else summary.persona_points).append(point)


def _point(touchpoint: str, sample: Sample, files: str, span: Span, period: str | None, persona: str | None) -> DataPoint:
    value = min(1.0, max(-1.0, sample.value))
    return DataPoint(touchpoint, "sentiment", value, sample.n, files, span, period, "responses", sample, (), persona)


def words(text: str) -> list[str]:
    """Lower-case words of a text (letters and digits; ``don't`` stays one word)."""
    return _WORD.findall(text.lower())


def phrases_of(text: str) -> set[str]:
    """The two- and three-word phrases of a text that neither start nor end with a stop word
    (nor run across punctuation: "Great, a slot" has no phrase "great a")."""
    found = set()
    text = text[:COMMENT_LIMIT]
    if "\x1b" in text:  # a terminal colour code is not a phrase ("31mred", "0m swaps")
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


def _phrases(comments: Sequence[Comment], by_touchpoint: dict[str, list[int]]) -> dict[str, list[tuple[str, int]]]:
    cache: dict[str, frozenset[str]] = {}
    counts: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    for touchpoint, indexes in by_touchpoint.items():
        here: Counter[str] = Counter()
        for i in indexes:
            text = comments[i].text
            grams = cache.get(text)
            if grams is None:
                grams = cache[text] = frozenset(phrases_of(text))
            here.update(grams)
        counts[touchpoint] = here
        total.update(here)
    everyone = len(comments)
    result: dict[str, list[tuple[str, int]]] = {}
    for touchpoint, here in counts.items():
        n_here = len(by_touchpoint[touchpoint])
        n_other = everyone - n_here
        ranked = []
        for phrase, count in here.items():
            if count < 2:
                continue
            other = total[phrase] - count
            lift = count / n_here - (other / n_other if n_other else 0.0)
            if lift > 0:
                ranked.append((-lift, -count, phrase))
        ranked.sort()
        chosen: list[tuple[str, int]] = []
        for _lift, count, phrase in ranked:
            words_here = set(phrase.split())
            # The same phrase again, or a piece of the same sentence (a shared word, the same count).
            if any(
                phrase in kept or kept in phrase or (kept_count == -count and words_here & set(kept.split()))
                for kept, kept_count in chosen
            ):
                continue
            chosen.append((phrase, -count))
            if len(chosen) == PHRASES:
                break
        result[touchpoint] = chosen
    return result


def _cut(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_LENGTH:
        return text
    cut = text[: QUOTE_LENGTH - 1]
    space = cut.rfind(" ")
    if space > QUOTE_LENGTH // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _quotes(comments: list[Comment], scores: list[float | None]) -> list[Quote]:
    order = list(range(len(comments)))
    picks: list[tuple[int, str]] = []
    if scores and all(s is not None for s in scores):
        values = [s for s in scores if s is not None]
        negative = min(order, key=lambda i: (values[i], i))
        positive = max(order, key=lambda i: (values[i], -i))
        ranked = sorted(values)
        median = ranked[len(ranked) // 2]
        typical = min(order, key=lambda i: (abs(values[i] - median), i))
        if values[negative] < 0:
            picks.append((negative, "most negative"))
        if values[positive] > 0:
            picks.append((positive, "most positive"))
        picks.append((typical, "typical"))
    else:
        picks = [(i, "comment") for i in order[: QUOTES * 4]]
    quotes: list[Quote] = []
    seen: set[str] = set()
    for index, kind in picks:
        text = _cut(comments[index].text)
        if not text or text in seen:
            continue
        seen.add(text)
        quotes.append(Quote(text, scores[index], comments[index].span, kind))
        if len(quotes) == QUOTES:
            break
    return quotes
