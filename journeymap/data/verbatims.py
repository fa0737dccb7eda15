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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from ..problems import Problem, Span, quoted
from ..stats import Sample, mean_of_counted
from . import MISSING as _MISSING
from . import MISSING_SHOWN, DataPoint, is_missing_mark
from .engines.rows import SPACE_CLASS, WHITESPACE
from .summary import period_sort
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
#: A clause break: punctuation, a dash between spaces, or a line break (as a <br> is: 'Late' and 'Rude driver' on
#: two lines made the phrase 'late rude').
_CLAUSE = re.compile(r"[.,;:!?()\[\]\"“”…–—/|\n\r\x85\u2028\u2029]+|\s-\s")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
#: A clause break (matched as '') or a word, in lower-cased ASCII text: :data:`_CLAUSE` and
#: :data:`_WORD` in one scan, their classes spelt out for ASCII (``\\s`` there is these ten).
_ASCII_SPACE = r"[\t\n\x0b\x0c\r\x1c-\x1f ]"
_TOKENS = re.compile(rf"""(?:[.,;:!?()\[\]"/|\n\r]+|{_ASCII_SPACE}-{_ASCII_SPACE})|([a-z0-9]+(?:'[a-z0-9]+)?)""")
#: A terminal's escape sequence: a colour or cursor code (CSI, '\x1b[31m'), a title or link (OSC,
#: '\x1b]0;title\x07', with its end), or ESC and one character.
_TERMINAL_ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|.)")
#: An e-mail address, and a phone number written with its country code ('+44 7700 900123', '+1 (415) 555-0100'),
#: which a quote masks (:func:`masked`): a customer's own, on a map projected in a workshop. Other numbers (an
#: order's, a phone number without its '+') cannot be told apart and are quoted as written.
#: (Each match starts where a run of such characters does: from every place inside one, a 20,000-character run before
#: an '@' took a second to mask, and a megabyte an hour.)
_EMAIL = re.compile(r"(?<![^\s@<>()\[\]\"',;:])[^\s@<>()\[\]\"',;:]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])\+\d[\d ().-]{6,}\d(?!\w)")
EMAIL_MASK = "[e-mail address]"
PHONE_MASK = "[phone number]"


def masked(text: str) -> str:
    """``text`` with its e-mail addresses and phone numbers with a country code (8 to 15 digits) masked.

    >>> masked("Mail jane.doe@example.com or call +44 7700 900123, order 12345678")
    'Mail [e-mail address] or call [phone number], order 12345678'
    """
    if "@" in text:
        text = _EMAIL.sub(EMAIL_MASK, text)
    if "+" in text:
        text = _PHONE.sub(lambda m: PHONE_MASK if 8 <= sum(c.isdigit() for c in m.group()) <= 15 else m.group(), text)
    return text


#: Control characters a quote leaves out (those ``str.split`` reads as spaces stay, and are spaces).
_QUOTE_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
#: A web address or an e-mail address in a comment ('https://larder.example/reset?token=ab12', 'www.larder.example',
#: 'jane.doe@example.com'). Its pieces are no phrase a customer wrote ('doe example com', 'com or call', 'https
#: larder'), and an e-mail address is a customer's own: in phrases it is a clause break.
#: (A match starts where a run of its characters does, as :data:`_EMAIL`'s: linear in the text.)
_ADDRESS = re.compile(r"(?i)(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://\S*|\bwww\.\S*"
                      r"|(?<![^\s@<>()\[\]\"',;:])[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[^\s@<>()\[\]\"',;:]+")
#: What every text :data:`_ADDRESS` finds something in holds (DuckDB gives such texts to :func:`phrases_of`).
_MAY_HOLD_ADDRESS = re.compile(r"(?i)@|://|www\.")


def may_hold_address(text: str) -> bool:
    """Whether ``text`` may hold a web or e-mail address (:data:`_ADDRESS`): an '@', a '://' or a 'www.' in any case."""
    return _MAY_HOLD_ADDRESS.search(text) is not None
#: HTML tags a web form or a helpdesk leaves in its exported comments ("<p>The app was terrible</p>",
#: "Great!<br/>Loved it"): VADER read "terrible</p>" as no word it knows and scored the comment 0,
#: and "p p" or "late br slot" were phrases. Tags that end a line or a block are read as a clause
#: break, the ones inside a sentence (<b>, <a href=...>) as a space; only these names, so that a
#: customer's "<sigh>" or "<3" stays as written. (The same patterns in DuckDB: RE2 reads them alike.)
HTML_BREAK = r"(?i)</?(?:br|p|div|li|ul|ol|tr|td|th|h[1-6]|hr|table|tbody|thead|blockquote|pre)(?:[ \t\r\n/][^<>]*)?>"
_INLINE_NAMES = "a|b|i|u|s|em|strong|span|font|small|big|sub|sup|mark|code|abbr|strike"
#: A script element with its code (no customer's words: '<script>alert(1)</script> slow' made 'script alert' a phrase),
#: read as a space whole; a lone '<script>' or '</script>' tag, as an image's tag, is read as a space too.
SCRIPT_ELEMENT = r"<script(?:[ \t\r\n/][^<>]*)?>[^<]*</script[ \t\r\n]*>"
HTML_INLINE = rf"(?i){SCRIPT_ELEMENT}|</?(?:{_INLINE_NAMES}|img|script)(?:[ \t\r\n/][^<>]*)?>"
_HTML_BREAK = re.compile(HTML_BREAK)
_HTML_INLINE = re.compile(HTML_INLINE)


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


@dataclass
class CommentGroup:
    """Comments of one text at one touchpoint, persona and period: how many, and where the first is.

    Survey exports repeat their short answers; every computation below weighs a
    distinct text by its count, so a million comments cost what their distinct
    texts cost (and the answer is the same as one comment at a time).
    """

    touchpoint: str
    text: str
    persona: str | None
    period: str | None
    count: int
    where: Span | Row | tuple[Table, tuple[int, list[str], list[int] | str]] | Callable[[], Span]
    """The first comment's cell, its row, or a function giving its place (worked out only when asked for)."""
    file: str

    @property
    def span(self) -> Span:
        where = self.where
        if isinstance(where, Span):
            return where
        if isinstance(where, Row):
            return where.span("comment")
        if isinstance(where, tuple):
            return where[0].row(where[1]).span("comment")
        return where()


def group_comments(comments: Sequence[Comment]) -> list[CommentGroup]:
    """Comments with the same touchpoint, text, persona, period and file as one group, in the order first seen."""
    groups: dict[tuple[str, str, str | None, str | None, str], CommentGroup] = {}
    for comment in comments:
        key = (comment.touchpoint, comment.text, comment.persona, comment.period, comment.file)
        group = groups.get(key)
        if group is None:
            groups[key] = CommentGroup(*key[:4], 1, comment.where, comment.file)
        else:
            group.count += 1
    return list(groups.values())


#: Comment cells that mean "no comment" as a database (NULL), R (NA), pandas (NaN), Excel (#N/A),
#: a survey tool ("Don't know") or a person (N/A, -) writes it: the one list score cells are read
#: with too. Read as comments, each counted with a sentiment of 0: a file of 900 'NA' and 100
#: comments said "1,000 comments, sentiment +0.03".
MISSING = _MISSING


#: A comment that is only a number (``4``, ``-1``, ``4.5``): a score or an ID in the comment
#: column, not something a customer wrote (every one was a comment with sentiment 0).
NUMBER_ONLY = "[-+]?[0-9]+(?:[.,][0-9]+)?"
_NUMBER_ONLY = re.compile(NUMBER_ONLY)
#: A comment of only punctuation ('.', '...', '?', '!!!!!!!! ??????? ........'): a required comment box's filler,
#: each a comment of sentiment 0 that pulled the mean to neutral, quoted as the typical one. No emoticon VADER
#: scores (':(', ':-)', '<3', ';)') is made of these characters alone.
PUNCTUATION_ONLY = r"""[.,?!*_~'"/-]+(?: +[.,?!*_~'"/-]+)*"""
_PUNCTUATION_ONLY = re.compile(PUNCTUATION_ONLY)


#: A comment that says there is none, in words alone ('No comment', 'Nothing to add', 'Nope', 'None at this time',
#: 'N/A - no comment'): a required comment box's filler. Each was a comment, and VADER reads 'no' as negative, so
#: 'No comment' (-0.30) was a card's most negative quote. Lower case, ASCII: a sentence of only these words, the
#: first a 'no' word, carries nothing ('No delivery slot' and 'Nothing works' are comments).
_NO_WORD = r"(?:no|nope|nah|nil|nothing|none|n/a|na)"
_FILLER_WORD = (r"(?:no|nope|nah|nil|nothing|none|n/a|na|comments?|feedback|thanks|thank you|to add|to say|else|further"
                r"|additional|other|more|really|at all|at this time|at this point|at the moment|for now|that's all|all)")
NO_COMMENT = _NO_WORD + r"(?:[ ,.;:!/-]+" + _FILLER_WORD + r")*[ .!]*"
_NO_COMMENT = re.compile(NO_COMMENT)


def is_missing(text: str) -> bool:
    """Whether a (stripped) comment is a missing-value mark of :data:`MISSING` (in any case), only a
    number (:data:`NUMBER_ONLY`), only punctuation (:data:`PUNCTUATION_ONLY`) or nothing visible: only :data:`INVISIBLE` characters (and spaces
    between them), a zero-width space or a direction mark an export left in an empty cell, which
    was a comment of sentiment 0 and a blank quote; or only HTML markup (:data:`MARKUP_ONLY`: a web form's
    empty '<p></p>', '<br>', '&nbsp;'), which was a comment too, of sentiment 0, that lowered the mean."""
    if ("<" in text or "&" in text) and _MARKUP_ONLY.fullmatch(text):
        return True
    if text.isascii():
        return (is_missing_mark(text) or _NUMBER_ONLY.fullmatch(text) is not None or _PUNCTUATION_ONLY.fullmatch(text) is not None
                or _NO_COMMENT.fullmatch(text.lower()) is not None)
    return is_missing_mark(text) or not text.translate(_DROP_INVISIBLE).strip()


def missing_comments(count: int, span: Span) -> Problem:
    """The warning for ``count`` comment cells that are missing-value marks, the first at ``span``."""
    return Problem(
        span,
        "missing-comment",
        f"{count:,} comment cell{'s' * (count != 1)} {'hold' if count != 1 else 'holds'} a missing-value mark"
        f" ({MISSING_SHOWN}), nothing visible, only a number or only punctuation, or a word that there is none ('No"
        " comment', 'Nothing to add', 'Nope'); not counted as comments or in sentiment",
        "leave the comment cell empty when there is no comment; is a column of scores or IDs named 'comment'?",
        level="warning",
    )


#: Function words of German, French, Spanish, Dutch, Italian, Portuguese, Swedish, Danish, Norwegian
#: and Polish comments that are no words of English comments ('die', 'war', 'van', 'per', 'non',
#: 'com', 'os', 'men', 'ale', 'jest', 'heel', 'jag' are left out: a delivery van, per item, non-refundable, amazon.com,
#: Android OS, men's sizes, ginger ale, in jest, a shoe's heel, a Jag).
OTHER_LANGUAGE_WORDS = frozenset(
    """und ist nicht der das ich sehr mit auf wir ein eine einen auch noch aber wurde kein keine zu bei
    est les et pas très une avec je mais dans sur été nous vous leur du des
    el los las muy pero una por está fue del que
    het een niet zijn ik maar ook wel naar veel geen niemand werd
    il che è molto sono della gli anche questo stato stata
    não muito uma foi também
    och inte är mycket också ingen för ikke jeg meget og også
    nie się był była bardzo że nikt jestem""".split()
)
#: English function words: a comment that has as many of these as of the words above is English.
ENGLISH_WORDS = frozenset(
    """the and to was is it my of for with not but very this that i you they we me have had be are on in at
    so no a an were been would will can could did do from our your their there just""".split()
)
#: The comments (in the order of their first appearance) the language check reads.
LANGUAGE_SAMPLE = 2000
#: The comments of each touchpoint (its first distinct texts) the language check reads when the file's first
#: :data:`LANGUAGE_SAMPLE` are mostly English: one touchpoint's comments in Japanese, 8% of a file, were scored 0 each.
LANGUAGE_SAMPLE_TOUCHPOINT = 200
_LETTERS = re.compile(r"[^\W\d_]+")


def _latin(word: str) -> bool:
    """Whether a word is written in Latin letters (Basic Latin to Latin Extended-B, and Latin
    Extended Additional: Vietnamese), full-width ones (ｇｏｏｄ) too."""
    if word.isascii():
        return True
    import unicodedata

    return all(ch < "\u0250" or "\u1e00" <= ch <= "\u1eff" for ch in unicodedata.normalize("NFKC", word))


def other_language(text: str) -> str | None:
    """The first word of another language than English in ``text`` when such words outnumber
    English function words (``Die App ist toll``: 'ist'), or when it is mostly written in
    another script than Latin (its first such word), else None."""
    words = _LETTERS.findall(text[:COMMENT_LIMIT].lower())
    # a comment mostly in another script (Japanese, Cyrillic, Arabic...): VADER scores it 0, "neutral"
    latin = sum(len(w) for w in words if _latin(w))
    if (scripts := [w for w in words if not _latin(w)]) and sum(map(len, scripts)) > latin:
        return scripts[0][:12]
    other = [w for w in words if w in OTHER_LANGUAGE_WORDS]
    if other and len(other) > sum(w in ENGLISH_WORDS for w in words):
        return other[0]
    return None


def language_check(first: Sequence[tuple[str, int]], touchpoint: str | None = None) -> tuple[int, Callable[[Span], Problem]] | None:
    """Whether many of the first :data:`LANGUAGE_SAMPLE` comment groups (text, comments) look
    written in another language than English: VADER reads English only, and scores German
    'Die App ist toll' -0.6 ('die'). None when at most one comment in ten looks so (or fewer
    than three); else the index of the first such group and the warning, given its place.
    With ``touchpoint``: the first :data:`LANGUAGE_SAMPLE_TOUCHPOINT` groups of that touchpoint's, and the
    warning names it."""
    found = [(i, word) for i, (text, _n) in enumerate(first) if (word := other_language(text)) is not None]
    total = sum(n for _text, n in first)
    other = sum(first[i][1] for i, _word in found)
    if other < 3 or 10 * other <= total:
        return None
    words = ", ".join(f"'{w}'" for w in list(dict.fromkeys(word for _i, word in found))[:4])
    whole = LANGUAGE_SAMPLE if touchpoint is None else LANGUAGE_SAMPLE_TOUCHPOINT
    sample = f"the first {total:,} comments" if len(first) >= whole else f"the {total:,} comments"
    where = f"at '{touchpoint}', " if touchpoint is not None else ""
    return found[0][0], lambda span: Problem(
        span, "other-language",
        f"{where}{other:,} of {sample} look written in another language than English (words like {words});"
        " their sentiment is not to be trusted: VADER reads English only",
        "read the sentiment of English comments only, or translate the others first",
        level="warning",
    )


#: HTML markup an export leaves in its comments (Zendesk's, a CRM's: 'late &amp; cold', 'didn&#39;t', 'call<br>me'):
#: an entity or a formatting tag. 'amp' was a phrase's word and 'didn&#39;t' no negation for VADER.
#: (Spaces spelt out as ASCII's, as RE2 reads ``\s``, so that DuckDB finds the same marks: :data:`MARKUP`.)
#: So is an image's tag (a helpdesk's inline picture, '<img src="cid:photo.png">', or a probe's '<img src=x onerror=...>'),
#: and a script element or tag: they were not counted, and a quote showed them.
_MARKUP_TAGS = (r"<(?:br|p|div|span|b|i|u|strong|em|a|li|ul|ol)(?:[ \t\n\r\f]+[a-z-]+=(?:\"[^\"<>]{0,200}\"|'[^'<>]{0,200}'))*"
                r"[ \t\n\r\f]*/?>|</(?:p|div|span|b|i|u|strong|em|a|li|ul|ol)>"
                r"|<script(?:[ \t\n\r\f/][^<>]{0,200})?>[^<]{0,400}</script[ \t\n\r\f]*>|</?script(?:[ \t\n\r\f/][^<>]{0,200})?>"
                r"|<img(?:[ \t\n\r\f/][^<>]{0,400})?>")
#: An HTML entity or a formatting tag, for Python and DuckDB (RE2) alike.
MARKUP = r"(?i)&(?:[A-Za-z]{2,8}|#[0-9]{2,5}|#[xX][0-9A-Fa-f]{2,4});|" + _MARKUP_TAGS
_MARKUP = re.compile(MARKUP)
#: The comments holding markup (in the order of their first appearance) whose marks the markup warning shows.
MARKUP_SHOWN = 100


#: An HTML entity, with the semicolon that ends it ('&amp;', '&#39;', '&#x2019;', '&nbsp;'): HTML reads '&not' in
#: 'this&nothing' as '¬' too, a customer's text never means that.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: The tags :data:`_MARKUP` counts, read as a space in a quote ('<p>Late</p>': 'Late').
_TAG = re.compile(_MARKUP_TAGS, re.IGNORECASE)


def decoded(text: str) -> str:
    """A comment's HTML entities as the characters they stand for, a no-break space as a space; its tags are kept,
    read as breaks and spaces by the analysis (:func:`without_tags`) and left out of quotes (:func:`readable`).

    >>> decoded("late &amp; cold, didn&#39;t&nbsp;call &bogus; AT&T")
    "late & cold, didn't call &bogus; AT&T"
    """
    if "&" not in text:
        return text
    import html

    return _ENTITY.sub(lambda entity: html.unescape(entity.group()), text).replace("\xa0", " ").strip() or text


def readable(text: str) -> str:
    """A comment as a quote shows it: :func:`decoded`, and its tags (:data:`_TAG`) as spaces; a comment of tags only
    (a probe's '<img src=x onerror=alert(1)>') is what its writer typed, quoted as written (and escaped)."""
    text = decoded(text)
    return (_TAG.sub(" ", text).strip() or text) if "<" in text else text


def markup_check(groups: Iterable[tuple[str, int]]) -> tuple[int, Callable[[Span], Problem]] | None:
    """Whether the comment groups (text, comments), all of them, hold HTML markup (entities such as '&amp;', tags such
    as '<br>'): the index of the first such group and the note of what is done (every comment's entities are then read
    :func:`decoded`), given its place; None when fewer than three comments (or not all of fewer) hold any, and nothing
    is decoded. Only a text holding '&' or '<' is looked at (DuckDB: ``comments._markup``)."""
    total = marked = 0
    first: int | None = None
    shown: list[list[str]] = []
    for i, (text, n) in enumerate(groups):
        total += n
        if ("&" in text or "<" in text) and (some := marks(text)):
            marked += n
            if first is None:
                first = i
            if len(shown) < MARKUP_SHOWN:
                shown.append(some)
    if first is None:
        return None
    told = markup_warning(marked, total, shown)
    return None if told is None else (first, told)


def marks(text: str) -> list[str]:
    """The HTML entities and tags (:data:`MARKUP`) in a comment's first :data:`COMMENT_LIMIT` characters."""
    return [_MARK_NAMED.get(mark[:4].lower(), mark) if mark[:4].lower() in ("<scr", "<img") else mark
            for mark in _MARKUP.findall(text[:COMMENT_LIMIT])]


#: How the markup warning names a script element or tag and an image's tag (each image's source differs).
_MARK_NAMED = {"<scr": "<script>", "<img": "<img>"}


def markup_warning(marked: int, total: int, found: Sequence[Sequence[str]]) -> Callable[[Span], Problem] | None:
    """The note that ``marked`` of ``total`` comments hold HTML markup, read decoded (the marks of the first
    :data:`MARKUP_SHOWN` comments holding any, ``found``, are shown), given its place; None when fewer than three
    comments hold markup, but for all of fewer."""
    if not marked or (marked < 3 and marked < total):
        return None
    shown = ", ".join(f"'{m[:20]}'" for m in list(dict.fromkeys(mark.lower() for some in found for mark in some))[:4])
    return lambda span: Problem(
        span, "comment-markup",
        f"{marked:,} of the {total:,} comments hold HTML markup ({shown}): read decoded, entities as the characters they"
        " stand for ('&amp;' as '&', \"didn&#39;t\" as \"didn't\") and tags as spaces, in phrases, sentiment and quotes",
        "to read them as written, export the comments as plain text",
        level="warning",
    )


def decoded_groups(groups: Sequence[CommentGroup]) -> list[CommentGroup]:
    """``groups`` with their texts :func:`decoded`, those alike once decoded (at one touchpoint, persona, period and
    file) one group in the place of the first, in the order of their first comment."""
    merged: dict[tuple[str, str, str | None, str | None, str], CommentGroup] = {}
    for group in groups:
        text = decoded(group.text)
        key = (group.touchpoint, text, group.persona, group.period, group.file)
        if (seen := merged.get(key)) is None:
            merged[key] = CommentGroup(group.touchpoint, text, group.persona, group.period, group.count, group.where, group.file)
        else:
            seen.count += group.count
    return list(merged.values())


def split_missing(groups: list[CommentGroup]) -> tuple[list[CommentGroup], Problem | None]:
    """The groups that are comments, and the warning for those that are missing-value marks."""
    missing = [g for g in groups if is_missing(g.text)]
    if not missing:
        return groups, None
    kept = [g for g in groups if not is_missing(g.text)]
    # Groups come in the order of their first comment: the first missing group holds the first mark.
    return kept, missing_comments(sum(g.count for g in missing), missing[0].span)


#: One comment at least this many times, more than half of its touchpoint's comments, and of at least
#: :data:`COPIED_WORDS` words, is told as copies of one answer (:func:`copied_comment`).
COPIED_MIN = 100
COPIED_WORDS = 4


def copied_comment(text: str, copies: int, total: int, touchpoint: str) -> Callable[[Span], Problem] | None:
    """The warning that one comment, word for word, is most of a touchpoint's comments (``copies`` of ``total``), or
    None: 10,000 rows of one answer ('This is awful awful awful', a bot, a test account, a kiosk) among 300 customers'
    made the slot's sentiment -0.80 and its quotes, without a word, in a file without a respondent column to tell
    them by. Short texts are not told ('Great' may be most of a touchpoint's comments)."""
    if copies < COPIED_MIN or copies * 2 <= total or len(words(text)) < COPIED_WORDS:
        return None
    shown = quoted(_cut(masked(readable(text))), 60)

    def told(span: Span) -> Problem:
        return Problem(
            span, "copied-comment",
            f"one comment, '{shown}', is {copies:,} of the {total:,} comments at '{touchpoint}' ({copies / total:.0%}),"
            " word for word: copies of one answer (a bot, a test account, a kiosk, rows pasted twice)? They count,"
            " with their answers, in its sentiment, phrases and quotes",
            "give the file a respondent column (a respondent's first answer counts), or take the copies out",
            level="warning",
        )

    return told


def copied_comments(groups: Sequence[CommentGroup], by_touchpoint: Mapping[str, list[int]]) -> list[tuple[int, Callable[[Span], Problem]]]:
    """:func:`copied_comment` for each touchpoint: the group of its most written text's first comment and the
    warning (the first seen of texts as often written). DuckDB: ``comments._copied``."""
    found: list[tuple[int, Callable[[Span], Problem]]] = []
    for touchpoint, indexes in by_touchpoint.items():
        counts: dict[str, list[int]] = {}
        for i in indexes:
            counted = counts.setdefault(groups[i].text, [0, i])
            counted[0] += groups[i].count
        text, (copies, first) = max(counts.items(), key=lambda item: (item[1][0], -item[1][1]))
        total = sum(groups[i].count for i in indexes)
        if (told := copied_comment(text, copies, total, touchpoint)) is not None:
            found.append((first, told))
    return found


def long_comments(comments: Sequence[Comment]) -> list[Problem]:
    """A warning for each comment longer than :data:`COMMENT_LIMIT` (collapsed into one by the caller)."""
    return [long_comment(c.span) for c in comments if len(c.text) > COMMENT_LIMIT]


def long_comment(span: Span) -> Problem:
    return Problem(
        span,
        "long-comment",
        f"a comment longer than {COMMENT_LIMIT:,} characters; only its start is analysed",
        level="warning",
    )


def repeated_comment(span: Span) -> Problem:
    """The warning for a comment its respondent already wrote at the same touchpoint in the same period (and persona),
    on another of their rows: a long export writes one comment on each answer's row. It counts once (collapsed into one
    warning by the caller)."""
    return Problem(
        span,
        "repeated-comment",
        "a comment its respondent already wrote at this touchpoint in this period, on another of their rows"
        " (a long export repeats it on each answer's row), counts once",
        level="warning",
    )


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


@lru_cache(maxsize=1)
def sentiment_scorer() -> Callable[[str], float] | None:
    """VADER's compound score of a text, -1..1; None when vaderSentiment is not installed.
    (Made once per process: loading VADER's lexicon takes ~16 ms, and each chunk of texts a
    scoring process receives asked for it again.)"""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # type: ignore[import-not-found]
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    return lambda text: float(analyzer.polarity_scores(text)["compound"])


#: More distinct comments than this are analysed by a pool of processes (one per core).
POOL_FROM = 20_000


def analyse_texts(texts: Sequence[str]) -> tuple[list[float] | None, list[frozenset[str]]]:
    """VADER's compound score of each text (cut at :data:`COMMENT_LIMIT`; None without
    vaderSentiment) and its phrases.

    Many distinct texts are analysed by one process per core: VADER takes about
    80 µs a text and the phrases a third of that, and survey free text is mostly distinct.
    """
    import os

    cores = os.cpu_count() or 1
    if len(texts) < POOL_FROM or cores < 2:
        return _analyse(list(texts))
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(texts) // (cores * 4))
    chunks = [list(texts[i : i + size]) for i in range(0, len(texts), size)]
    scores: list[float] | None = []
    grams: list[frozenset[str]] = []
    with ProcessPoolExecutor(max_workers=cores) as pool:
        for part_scores, part_grams in pool.map(_analyse, chunks):
            if part_scores is None or scores is None:
                scores = None
            else:
                scores += part_scores
            grams += part_grams
    return scores, grams


#: Invisible format characters (soft hyphen, Mongolian vowel separator, zero-width space and
#: joiners, direction marks, embeddings, overrides and isolates, word joiner, byte-order mark) that an export leaves glued to words: VADER read
#: "good\ufeff" as no word it knows, and the comment scored 0. Left out of the text scored, in
#: every engine (:func:`scored_text`; DuckDB: ``comments._analyse``).
INVISIBLE = ("\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
             "\u2066\u2067\u2068\u2069\ufeff")
_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
#: HTML markup that shows nothing: the tags of :data:`HTML_BREAK` and :data:`HTML_INLINE` but an image's (``<img ...>``
#: shows one: a comment of one is what its writer typed, quoted as written), and entities of spaces.
_EMPTY_MARKUP = (HTML_BREAK.removeprefix("(?i)") + "|" + rf"</?(?:{_INLINE_NAMES})(?:[ \t\r\n/][^<>]*)?>"
                 + "|&(?:nbsp|ensp|emsp|thinsp|#160|#32|#x[aA]0|#x20);")
assert "img" not in _EMPTY_MARKUP and "script" not in _EMPTY_MARKUP  # a comment of only a probe is quoted as written
#: A comment of only HTML markup that shows nothing, spaces and :data:`INVISIBLE` characters, for DuckDB (RE2: the
#: spaces spelt as ``\\x{...}``); :data:`_MARKUP_ONLY` is the same for Python.
MARKUP_ONLY = f"(?i)(?:{SPACE_CLASS}|[{INVISIBLE}]|{_EMPTY_MARKUP})+"
_MARKUP_ONLY = re.compile(f"(?i)(?:[{re.escape(WHITESPACE)}]|[{INVISIBLE}]|{_EMPTY_MARKUP})+")


def without_tags(text: str) -> str:
    """``text`` with its HTML tags (:data:`HTML_BREAK`, :data:`HTML_INLINE`) read as " . " and " "."""
    if "<" not in text:
        return text
    return _HTML_INLINE.sub(" ", _HTML_BREAK.sub(" . ", text))


def scored_text(text: str) -> str:
    """The text VADER scores: the comment's first :data:`COMMENT_LIMIT` characters, without
    :data:`INVISIBLE` and with its HTML tags read as breaks and spaces (:func:`without_tags`)."""
    return without_tags(text[:COMMENT_LIMIT].translate(_DROP_INVISIBLE))


def _analyse(texts: list[str]) -> tuple[list[float] | None, list[frozenset[str]]]:
    score_of = sentiment_scorer()
    scores = [score_of(scored_text(t)) for t in texts] if score_of is not None else None
    return scores, [frozenset(phrases_of(t)) for t in texts]


def summarise(
    groups: Sequence[CommentGroup],
    scorer: Callable[[str], float] | None | bool = True,
    prepare: Callable[[list[CommentGroup]], None] | None = None,
) -> Summary:
    """Sentiment values (everyone, per persona, per period) and per-touchpoint verbatims.

    ``scorer`` is a function text -> -1..1, None for no sentiment, or True for VADER when
    installed. ``prepare`` is told, once, the groups whose places will be asked for (so
    that a reader can find them all in one pass).
    """
    summary = Summary()
    total = sum(g.count for g in groups)
    markup = markup_check((g.text, g.count) for g in groups)
    marked_up = groups[markup[0]] if markup is not None else None
    if markup is not None:  # every comment read decoded; comments alike once decoded are one group
        groups = decoded_groups(groups)
    texts = list(dict.fromkeys(g.text for g in groups))
    grams: dict[str, frozenset[str]] = {}  # the phrases of each distinct text, found once
    by_text: dict[str, float] | None = None
    if scorer is True:
        found, phrases_found = analyse_texts(texts)
        grams = dict(zip(texts, phrases_found, strict=True))
        if found is not None:
            by_text = dict(zip(texts, found, strict=True))
    elif scorer:
        by_text = {t: scorer(scored_text(t)) for t in texts}
    scores: list[float | None] = [by_text[g.text] if by_text is not None else None for g in groups]
    by_touchpoint: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        by_touchpoint.setdefault(group.touchpoint, []).append(index)
    personas = sorted({g.persona for g in groups if g.persona is not None})
    own_of: dict[str, dict[str, list[int]]] = {persona: {} for persona in personas}
    for index, group in enumerate(groups):
        if group.persona is not None:
            own_of[group.persona].setdefault(group.touchpoint, []).append(index)
    picks = {tp: _picks(groups, indexes, scores) for tp, indexes in by_touchpoint.items()}
    persona_picks = {p: {tp: _picks(groups, ix, scores) for tp, ix in own.items()} for p, own in own_of.items()}
    language = language_check([(g.text, g.count) for g in groups[:LANGUAGE_SAMPLE]]) if by_text is not None else None
    # a file mostly in English may hold a touchpoint whose comments are not: each is scored 0 (another script) or
    # read wrongly, and its sentiment is that touchpoint's alone, so each touchpoint's first comments are looked at too
    languages: list[tuple[int, Callable[[Span], Problem]]] = []
    if by_text is not None and language is None:
        for touchpoint, indexes in by_touchpoint.items():
            sample = indexes[:LANGUAGE_SAMPLE_TOUCHPOINT]
            if (check := language_check([(groups[i].text, groups[i].count) for i in sample], touchpoint)) is not None:
                languages.append((sample[check[0]], check[1]))
    copied = copied_comments(groups, by_touchpoint)
    if prepare is not None:
        needed = {indexes[0] for indexes in by_touchpoint.values()} | {0}
        needed |= {i for i, _told in copied}
        needed |= {language[0]} if language is not None else set()
        needed |= {i for i, _told in languages}
        needed |= {i for chosen in picks.values() for i, _ in chosen}
        needed |= {i for own in persona_picks.values() for chosen in own.values() for i, _ in chosen}
        prepare([groups[i] for i in sorted(needed) if i < len(groups)] + ([marked_up] if marked_up is not None else []))
    if scorer is True and by_text is None and groups:
        summary.problems.append(
            Problem(
                groups[0].span,
                "no-sentiment",
                f"{total:,} comments, but computing their sentiment needs the vaderSentiment package;"
                " the comments are counted and quoted without it",
                "pip install 'journeymap[sentiment]'",
                level="warning",
            )
        )
    if language is not None:
        summary.problems.append(language[1](groups[language[0]].span))
    summary.problems += [told(groups[i].span) for i, told in languages]
    if markup is not None and marked_up is not None:
        summary.problems.append(markup[1](marked_up.span))
    summary.problems += [told(groups[i].span) for i, told in copied]
    phrases = _phrases(groups, by_touchpoint, grams)
    for touchpoint, indexes in by_touchpoint.items():
        mean = None
        if by_text is not None:
            mean = mean_of_counted(_counted(groups, indexes, scores)).value
            _sentiment_points(summary, touchpoint, [groups[i] for i in indexes], [scores[i] for i in indexes])
        summary.verbatims[touchpoint] = Verbatims(
            touchpoint,
            sum(groups[i].count for i in indexes),
            mean,
            phrases.get(touchpoint, []),
            _quotes(groups, picks[touchpoint], scores),
        )
    # Each persona's own verbatims: its comments, phrases distinctive among its own comments.
    for persona in personas:
        own = own_of[persona]
        mine = [i for indexes in own.values() for i in indexes]
        position = {i: k for k, i in enumerate(mine)}
        local = {tp: [position[i] for i in indexes] for tp, indexes in own.items()}
        persona_phrases = _phrases([groups[i] for i in mine], local, grams)
        summary.persona_verbatims[persona] = {
            tp: Verbatims(
                tp,
                sum(groups[i].count for i in indexes),
                mean_of_counted(_counted(groups, indexes, scores)).value if by_text is not None else None,
                persona_phrases.get(tp, []),
                _quotes(groups, persona_picks[persona][tp], scores),
            )
            for tp, indexes in own.items()
        }
    return summary


def _counted(groups: Sequence[CommentGroup], indexes: list[int], scores: list[float | None]) -> dict[float, int]:
    """How many comments have each score (``mean_of_counted`` weighs them exactly)."""
    counts: dict[float, int] = {}
    for i in indexes:
        score = scores[i]
        if score is not None:
            counts[score] = counts.get(score, 0) + groups[i].count
    return counts


def _sentiment_points(summary: Summary, touchpoint: str, groups: list[CommentGroup], values: list[float | None]) -> None:
    files = ", ".join(dict.fromkeys(g.file for g in groups))
    span = groups[0].span
    # How many comments have each score, per persona (None: everyone) and period.
    buckets: dict[str | None, dict[str | None, dict[float, int]]] = {None: {}}
    for group, value in zip(groups, values, strict=True):
        if value is None:
            continue
        counts = buckets[None].setdefault(group.period, {})
        counts[value] = counts.get(value, 0) + group.count
        if group.persona is not None:
            counts = buckets.setdefault(group.persona, {}).setdefault(group.period, {})
            counts[value] = counts.get(value, 0) + group.count
    bucket_points(summary, touchpoint, buckets, files, span)


def bucket_points(
    summary: Summary, touchpoint: str, buckets: dict[str | None, dict[str | None, dict[float, int]]], files: str, span: Span
) -> None:
    """The sentiment values of a touchpoint from its comments counted per score, per persona
    (None: everyone, first) and period: everyone's in ``summary.points``, each persona's in
    ``summary.persona_points``, in the order of ``buckets``."""
    for persona, periods in buckets.items():
        labelled = sorted((p for p in periods if p is not None), key=period_sort)
        series = tuple(_point(touchpoint, mean_of_counted(periods[p]), files, span, p, persona) for p in labelled)
        if series:
            last = series[-1]
            point = DataPoint(touchpoint, "sentiment", last.value, last.n, files, span, last.period, "responses", last.sample, series, persona)
        else:
            point = _point(touchpoint, mean_of_counted(periods[None]), files, span, None, persona)
        (summary.points if persona is None else summary.persona_points).append(point)


def _point(touchpoint: str, sample: Sample, files: str, span: Span, period: str | None, persona: str | None) -> DataPoint:
    value = min(1.0, max(-1.0, sample.value))
    return DataPoint(touchpoint, "sentiment", value, sample.n, files, span, period, "responses", sample, (), persona)


@lru_cache(maxsize=1)
def _marked_word() -> re.Pattern[str]:
    """:data:`_WORD` with the combining marks (Unicode's categories Mn, Mc and Me) a letter or digit may carry:
    Python's ``\\w`` has none of them, so a decomposed 'cafe' + U+0301, a Hindi word's vowel signs and virama or an
    Arabic word's vowel marks split it into pieces ('ca fe', 'ड ल वर'). Built on the first text that is not
    ASCII (the code points up to U+2FFFF and the variation selectors of U+E0100, a tenth of a second)."""
    import unicodedata

    marks = [cp for cp in (*range(0x300, 0x30000), *range(0xE0000, 0xE1000)) if unicodedata.category(chr(cp))[0] == "M"]
    ranges: list[list[int]] = []
    for cp in marks:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    mark = "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    letter = rf"[^\W_][{mark}]*"
    return re.compile(rf"(?:{letter})+(?:'(?:{letter})+)?")


def words(text: str) -> list[str]:
    """Lower-case words of a text (letters and digits, with the combining marks they carry; ``don't`` stays one
    word). A text that is not ASCII is read in Unicode's composed form (NFC): 'cafe' + U+0301 is 'café'."""
    if text.isascii():
        return _WORD.findall(text.lower())
    import unicodedata

    return _marked_word().findall(unicodedata.normalize("NFC", text).lower())


def analysed_start(text: str) -> str:
    """The start of a comment its phrases are found in: its first :data:`COMMENT_LIMIT` characters, without the
    piece of a word the cut leaves at their end ("fresh milk f" was a phrase of "fresh milk fresh milk ...").
    (DuckDB: ``phrases_sql._start``.)"""
    if len(text) <= COMMENT_LIMIT:
        return text
    start = text[:COMMENT_LIMIT]
    if start[-1].isalnum() and text[COMMENT_LIMIT].isalnum():
        end = COMMENT_LIMIT - 1
        while end and start[end - 1].isalnum():
            end -= 1
        start = start[:end]
    return start


def phrases_of(text: str) -> set[str]:
    """The two- and three-word phrases of a text that neither start nor end with a stop word
    (nor run across punctuation: "Great, a slot" has no phrase "great a")."""
    found: set[str] = set()
    text = without_tags(analysed_start(text))
    if may_hold_address(text):
        text = _ADDRESS.sub(" | ", text)
    if "\x1b" in text:  # a terminal colour code is not a phrase ("31mred", "0m swaps")
        text = _TERMINAL_ESCAPE.sub(" ", text)
    if text.isascii():
        # One scan for words and clause breaks (''). Lower-casing ASCII is letter by letter, so
        # the whole text at once gives each clause's words; elsewhere it depends on the
        # neighbours (a Greek final sigma before "." and a letter) and may change a word's
        # length ("İ"): those texts are split into clauses first, each lower-cased alone.
        run: list[str] = []
        for token in _TOKENS.findall(text.lower()):
            if token:
                run.append(token)
            else:
                _grams(run, found)
                run = []
        _grams(run, found)
        return found
    for clause in _CLAUSE.split(text):
        _grams(words(clause), found)
    return found


def _grams(tokens: list[str], found: set[str]) -> None:
    """Add the two- and three-word phrases of one clause's words (first and last word neither
    a stop word nor a number) to ``found``."""
    if len(tokens) < 2:
        return
    ok = [not (token in STOP_WORDS or token.isdigit()) for token in tokens]
    last = len(tokens) - 1
    for i in range(last):
        if ok[i]:
            if ok[i + 1]:
                found.add(f"{tokens[i]} {tokens[i + 1]}")
            if i + 2 <= last and ok[i + 2]:
                found.add(f"{tokens[i]} {tokens[i + 1]} {tokens[i + 2]}")


def _phrases(
    groups: Sequence[CommentGroup], by_touchpoint: dict[str, list[int]], cache: dict[str, frozenset[str]] | None = None
) -> dict[str, list[tuple[str, int]]]:
    cache = {} if cache is None else cache
    counts: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    for touchpoint, indexes in by_touchpoint.items():
        # Each distinct text once, with its comments here (groups differ by persona and period too).
        per_text: dict[str, int] = {}
        for i in indexes:
            group = groups[i]
            per_text[group.text] = per_text.get(group.text, 0) + group.count
        here: Counter[str] = Counter()
        once: list[frozenset[str]] = []  # the phrases of texts written once, counted by Counter in C
        for text, count in per_text.items():
            grams = cache.get(text)
            if grams is None:
                grams = cache[text] = frozenset(phrases_of(text))
            if count == 1:
                once.append(grams)
                continue
            for gram in grams:
                here[gram] += count
        here.update(chain.from_iterable(once))
        counts[touchpoint] = here
        total.update(here)
    everyone = sum(g.count for g in groups)
    result: dict[str, list[tuple[str, int]]] = {}
    for touchpoint, here in counts.items():
        n_here = sum(groups[i].count for i in by_touchpoint[touchpoint])
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
        result[touchpoint] = choose_phrases(ranked)
    return result


def choose_phrases(ranked: Iterable[tuple[float, int, str]]) -> list[tuple[str, int]]:
    """The first :data:`PHRASES` phrases of ``ranked`` ((-lift, -count, phrase), best first),
    as (phrase, count), skipping a phrase inside or around one kept, or sharing a word with
    one kept with the same count. Fewer when ``ranked`` runs out."""
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
    return chosen


def _joins(char: str) -> bool:
    """Whether ``char`` belongs to the character before it on screen: a combining mark, a zero-width
    joiner, a variation selector, a skin tone or an emoji tag (a cut before it would split what is
    shown as one character: 'e' and its accent, an emoji family)."""
    import unicodedata

    code = ord(char)
    return bool(unicodedata.combining(char)) or char == "\u200d" or 0xFE00 <= code <= 0xFE0F \
        or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F or 0xE0100 <= code <= 0xE01EF \
        or unicodedata.category(char) in ("Mn", "Me", "Mc")


def _grapheme_end(text: str, end: int) -> int:
    """``end``, or before it, where a cut of ``text`` splits no character as shown (see :func:`_joins`;
    a flag is two regional indicators, kept whole)."""
    while 0 < end < len(text) and (_joins(text[end]) or text[end - 1] == "\u200d"):
        end -= 1
    indicators = 0
    while indicators < end and 0x1F1E6 <= ord(text[end - 1 - indicators]) <= 0x1F1FF:
        indicators += 1
    if indicators % 2 and end < len(text) and 0x1F1E6 <= ord(text[end]) <= 0x1F1FF:
        end -= 1  # the first half of a flag
    return end


def _cut(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_LENGTH:
        return text
    cut = text[: _grapheme_end(text, QUOTE_LENGTH - 1)]
    space = cut.rfind(" ")
    if space > QUOTE_LENGTH // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _picks(groups: Sequence[CommentGroup], indexes: list[int], scores: list[float | None]) -> list[tuple[int, str]]:
    """The comments to quote, as group indexes: the most negative, the most positive and the
    typical one (nearest the median; the first seen on a tie), or the first few without sentiment."""
    values = [scores[i] for i in indexes]
    if not values or any(v is None for v in values):
        return [(i, "comment") for i in indexes[: QUOTES * 4]]
    numbers = [v for v in values if v is not None]
    # The first of the lowest and of the highest (``index`` finds the first equal value).
    negative = numbers.index(min(numbers))
    positive = numbers.index(max(numbers))
    # The median of every comment's value (each group's value counted as often as it was written).
    written: dict[float, int] = {}
    for i, value in zip(indexes, numbers, strict=True):
        written[value] = written.get(value, 0) + groups[i].count
    middle = sum(written.values()) // 2
    seen = 0
    median = numbers[0]
    for value, count in sorted(written.items()):
        seen += count
        if seen > middle:
            median = value
            break
    distances = [abs(value - median) for value in numbers]
    typical = distances.index(min(distances))
    picks: list[tuple[int, str]] = []
    if numbers[negative] < 0:
        picks.append((indexes[negative], "most negative"))
    if numbers[positive] > 0:
        picks.append((indexes[positive], "most positive"))
    picks.append((indexes[typical], "typical"))
    return picks


def _quotes(
    groups: Sequence[CommentGroup] | Mapping[int, CommentGroup],
    picks: list[tuple[int, str]],
    scores: Sequence[float | None] | Mapping[int, float | None],
) -> list[Quote]:
    quotes: list[Quote] = []
    seen: set[str] = set()
    for index, kind in picks:
        text = readable(groups[index].text)
        if not text.isprintable():
            # a terminal's colour codes are no words ('\x1b[31mred' was quoted '[31mred', its ESC dropped on output)
            text = _QUOTE_CONTROL.sub("", _TERMINAL_ESCAPE.sub("", text) if "\x1b" in text else text)
        text = _cut(masked(text))
        if not text or text in seen:
            continue
        seen.add(text)
        quotes.append(Quote(text, scores[index], groups[index].span, kind))
        if len(quotes) == QUOTES:
            break
    return quotes
