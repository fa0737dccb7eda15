"""Raw survey answers: ``touchpoint,metric,score[,respondent][,date][,period][,persona][,comment]``.

``metric`` is ``nps``, ``csat`` or ``ces`` and ``score`` a whole number on
that metric's answer scale (0..10, 1..5, 1..7). The value is computed exactly
(:mod:`journeymap.metrics`) with ``n`` = the number of answers counted, and
its 95% confidence interval comes from the answers (:mod:`journeymap.stats`).
A blank score is a skipped question: a warning, not counted. A respondent who
answers the same question at the same touchpoint twice in one period is counted
once (the first answer), with a warning.

Periods: a ``period`` column (``2026-Q2``, ``2026-04``...) or, with
``period="week"|"month"|"quarter"``, the ``date`` column bucketed into ISO
weeks (``2026-W14``), months (``2026-04``) or quarters (``2026-Q2``). With
periods each metric keeps its series (oldest first, by the label's text order,
which is date order for these labels) and its value is the latest period's.

Segments: a ``persona`` (or ``segment``) column naming a persona of the journey
gives that persona's own values too; its rows still count for everyone.

Verbatims: a ``comment`` column holds what the customer wrote. A row may carry
only a comment (metric and score blank). Comments give each touchpoint a
``sentiment`` value and a summary (:mod:`journeymap.data.verbatims`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..metrics import (
    BUILTIN,
    FACES,
    HOTJAR_RATINGS,
    INTERCOM_RATINGS,
    RESPONSE_SCALES,
    MetricValueError,
    good_bad_score,
    happy_rating,
    likert_number,
    parse_score,
    three_point_rating,
    whole_number,
)
from ..problems import Problem, Span, did_you_mean, quoted
from ..stats import Sample, mean_sample, nps_sample, proportion
from . import (
    DataPoint,
    check_metric,
    check_touchpoint,
    is_missing_mark,
    metric_named,
    nul_row,
    touchpoint_named,
)
from .summary import (
    ambiguous_period_problem,
    canonical_period,
    day_without_year,
    impossible_period,
    impossible_period_problem,
    mixed_period_forms,
    period_label_hint,
    period_sort,
)
from .table import Row, Table, bulk, collapse_counted, read_table

if TYPE_CHECKING:
    from ..model import Journey
    from .verbatims import Comment, Verbatims

REQUIRED = ("touchpoint", "metric", "score")
OPTIONAL = ("respondent", "date", "period", "persona", "segment", "comment", "status")
#: How ``--period`` buckets dates.
PERIODS = ("day", "week", "month", "quarter")


@dataclass
class Responses:
    """What survey files give: everyone's values, each persona's, the verbatims, the problems."""

    points: list[DataPoint] = field(default_factory=list)
    persona_points: list[DataPoint] = field(default_factory=list)
    verbatims: dict[str, Verbatims] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    persona_verbatims: dict[str, dict[str, Verbatims]] = field(default_factory=dict)


def period_label(day: date, period: str) -> str:
    """The label of the period ``day`` falls in: ``2026-04-02``, ``2026-W14`` (ISO week), ``2026-04``, ``2026-Q2``.

    >>> period_label(date(2027, 1, 1), "week")
    '2026-W53'
    >>> period_label(date(999, 5, 1), "month")  # four digits, as the day's label has
    '0999-05'
    """
    if period == "day":
        return day.isoformat()
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    raise ValueError(f"unknown period '{period}'; periods: {', '.join(PERIODS)}")


def check_persona(
    value: str, span: Span | Row, journey: Journey, problems: list[Problem], column: str = "persona",
    consequence: str = "the row counts for everyone but for no persona",
) -> str | None:
    """The persona a row is for (None when blank), or None and a warning when the journey has no such persona.
    A persona id in other capitals (``Busy-Parent``, as exports capitalise labels) is that persona, as a
    metric's cell in other capitals is that metric; so is its id with spaces or underscores for its
    hyphens (``Busy Parent``, ``busy_parent``) and its name (``Busy parent``), when they name one
    persona. A total's mark (``All``, ``Total``, ``(All)``: :func:`is_everyone`) is no persona, without a word."""
    if not value:
        return None
    if value in journey.persona_by_id:
        return value
    # Each distinct label is resolved once (a table of 84,000 rows by device spent 16 s guessing personas row by row);
    # its warnings are told at each row's place.
    key = (id(journey), value, consequence)
    known = _PERSONAS_SEEN.get(key)
    if known is None or known[0] is not journey:
        found: list[Problem] = []
        known = (journey, _resolve_persona(value, journey, found, consequence), tuple(found))
        if len(_PERSONAS_SEEN) >= 4096:
            _PERSONAS_SEEN.clear()
        _PERSONAS_SEEN[key] = known
    place = span.span(column) if isinstance(span, Row) else span
    problems += [replace(problem, span=place) for problem in known[2]]
    return known[1]


#: Persona labels resolved (:func:`check_persona`): (journey's id, label, consequence) -> (journey, persona, warnings).
_PERSONAS_SEEN: dict[tuple[int, str, str], tuple[Journey, str | None, tuple[Problem, ...]]] = {}


def _resolve_persona(value: str, journey: Journey, problems: list[Problem], consequence: str) -> str | None:
    """:func:`check_persona` of a label that is not a persona's id, its warnings placed nowhere."""
    span = Span("", 0, 1)
    if (items := listed(value)) is not None and len(items) < 2:
        # a list of one persona is that persona (its warnings, a plural's, name the item), an empty list none
        return _resolve_persona(items[0], journey, problems, consequence) if items else None
    same = [persona for persona in journey.persona_by_id if persona.casefold() == value.casefold()]
    if len(same) == 1:
        return same[0]
    if (named := persona_named(value, journey)) is not None:
        return named
    if is_everyone(value) or marks_no_persona(value):
        return None
    if (plural := persona_plural(value, journey)) is not None:
        problems.append(
            Problem(
                span,
                "persona-plural",
                f"persona '{quoted(value)}' is not an id of the journey: read as the plural of persona '{plural}'",
                f"write '{plural}', the persona's id",
                level="warning",
            )
        )
        return plural
    problems.append(
        Problem(
            span,
            "unknown-persona",
            f"unknown persona '{quoted(value)}': {consequence}",
            (f"'{quoted(value)}' is a pivot table's group of the rows without a persona, not everyone's value (that is its"
             " total): give those rows their persona in the source, or leave the row out"
             if value.strip().casefold() in ("(blank)", "(leer)", "(vide)", "(vacío)", "(vazio)", "(vuoto)") else None)
            or _several_personas(", ".join(items) if items is not None else value, journey)
            or did_you_mean(value, journey.persona_by_id) or persona_in_words(value, journey)
            or f"personas: {', '.join(journey.persona_by_id) or 'none'}",
            level="warning",
        )
    )
    return None


#: A cell holding a list, as an API export writes a multiple-choice answer (JSON's ``["busy-parent"]``) and pandas a
#: list column (``['Busy parent']``), or a value quoted once more than its CSV needs (``"busy-parent"``).
_LISTED = re.compile(r"\[(?P<items>[^\[\]]*)\]|(?P<quote>[\"'])(?P<quoted>[^\"']+)(?P=quote)")


def listed(value: str) -> list[str] | None:
    """The items of a persona cell written as a list or in quotes of its own (:data:`_LISTED`), each without its
    quotes, or None for a cell that is neither. Each such cell was an unknown persona, "did you mean 'busy-parent'?".

    >>> listed('["busy-parent", "wfh-professional"]'), listed("['Busy parent']"), listed('"student"'), listed("[]")
    (['busy-parent', 'wfh-professional'], ['Busy parent'], ['student'], [])
    >>> listed("busy-parent") is None, listed("[busy-parent") is None
    (True, True)
    """
    found = _LISTED.fullmatch(value.strip())
    if found is None:
        return None
    if found["quoted"] is not None:
        return [found["quoted"].strip()]
    items = [item.strip() for item in found["items"].split(",")]
    items = [item[1:-1].strip() if len(item) >= 2 and item[0] == item[-1] and item[0] in "\"'" else item for item in items]
    return [item for item in items if item]


def _several_personas(value: str, journey: Journey) -> str | None:
    """The hint for a label that names two or more personas, each by its id or name ('busy-parent, wfh-professional',
    as a multiple-choice question's answer is exported in one cell), or None. It was guessed as a typo of one of them."""
    parts = [part.strip() for part in re.split(r"[,;|]", value)]
    if len(parts) < 2 or not all(parts):
        return None
    named = []
    for part in parts:
        same = [p for p in journey.persona_by_id if p.casefold() == part.casefold()]
        persona = same[0] if len(same) == 1 else persona_named(part, journey)
        if persona is None:
            return None
        named.append(persona)
    named = list(dict.fromkeys(named))
    if len(named) < 2:
        return None
    return (f"it names {len(named)} personas, {', '.join(named[:-1])} and {named[-1]} (a multiple-choice answer): a row is"
            " one persona's; write one of them, or leave the cell empty")


#: An unknown-persona warning of a survey answer without a guess (:func:`check_persona`): its value.
_NO_PERSONA = re.compile(r"unknown persona '(?P<value>.*)': (?P<consequence>the row counts for everyone but for no persona|"
                         r"a persona's value is not everyone's, so the row is left out)", re.DOTALL)
#: What becomes of a segment column's rows (:func:`one_segment_warning`), as each row's warning says it (a survey answer's,
#: a metrics table's row's).
_FOR_THEIR_ROWS = {"the row counts for everyone but for no persona": "their rows count for everyone but for no persona",
                   "a persona's value is not everyone's, so the row is left out":
                   "a persona's value is not everyone's, so their rows are left out"}
#: The distinct values a segment column's one warning names (:func:`one_segment_warning`).
SEGMENT_VALUES_SHOWN = 4


def one_segment_warning(
    found: Sequence[tuple[Problem, int, Sequence[int]]], columns: Mapping[str, str]
) -> list[tuple[Problem, int, Sequence[int]]]:
    """Problems counted (``(problem, rows, lines)``, in the order told) with the unknown-persona warnings of a file's
    answers (or metrics table's rows) that name two or more values and guess no persona for them — a column of devices or channels, 'iOS',
    'Android', 'web' — made one for the column, at the first's place: it names the first few values and how many.
    ``columns``: each file's segment column as its header names it. A value with a guess keeps its own warning."""
    by_file: dict[str, list[int]] = {}
    for index, (problem, _n, _lines) in enumerate(found):
        if problem.code == "unknown-persona" and _NO_PERSONA.fullmatch(problem.message) and str(problem.hint).startswith("personas: "):
            by_file.setdefault(problem.span.file, []).append(index)
    merged: dict[int, tuple[Problem, int, Sequence[int]]] = {}
    dropped: set[int] = set()
    for file, indexes in by_file.items():
        values = list(dict.fromkeys(m["value"] for i in indexes if (m := _NO_PERSONA.fullmatch(found[i][0].message))))
        if len(values) < 2:
            continue
        first = min(indexes, key=lambda i: (found[i][0].span.line, found[i][0].span.col))
        shown = ", ".join(f"'{value}'" for value in values[:SEGMENT_VALUES_SHOWN])
        if len(values) > SEGMENT_VALUES_SHOWN:
            shown += f" and {len(values) - SEGMENT_VALUES_SHOWN:,} more"
        problem = found[first][0]
        consequence = _NO_PERSONA.fullmatch(problem.message)["consequence"]  # type: ignore[index]
        merged[min(indexes)] = (replace(
            problem,
            message=f"the {columns.get(file, 'segment')} column's values {shown} ({len(values):,} values) are no persona of the"
                    f" journey: {_FOR_THEIR_ROWS[consequence]}",
            hint=f"a column of devices, channels or plans is no persona's: leave it out of the file, or write persona ids in"
                 f" it ({problem.hint})"),
            sum(found[i][1] for i in indexes), sorted({line for i in indexes for line in found[i][2]}))
        dropped.update(indexes)
    return [merged[i] if i in merged else item for i, item in enumerate(found) if i in merged or i not in dropped]


#: A skipped question's warning, as :func:`_check_answer` tells it (Zendesk's 'Offered' has its own words).
_SKIPPED = re.compile(r"the score is (?:blank|'(?P<value>.*)') \(a skipped question\); the row is not counted", re.DOTALL)
#: The ways of writing a skipped question that its one warning names (:func:`one_skipped_warning`).
SKIPPED_SHOWN = 6


def one_skipped_warning(found: Sequence[tuple[Problem, int, Sequence[int]]]) -> list[tuple[Problem, int, Sequence[int]]]:
    """Problems counted (``(problem, rows, lines)``, in the order told) with the blank-score warnings of a file that
    writes its skipped questions two or more ways (blank, 'N/A', 'n/a', '-', '#N/A', 'NaN', 'null', as a sheet of pasted
    exports does) made one, at the first's place, naming the ways: each way was a warning of its own."""
    by_file: dict[str, list[int]] = {}
    for index, (problem, _n, _lines) in enumerate(found):
        if problem.code == "blank-score" and _SKIPPED.fullmatch(problem.message):
            by_file.setdefault(problem.span.file, []).append(index)
    merged: dict[int, tuple[Problem, int, Sequence[int]]] = {}
    dropped: set[int] = set()
    for indexes in by_file.values():
        ways = list(dict.fromkeys(m["value"] for i in indexes if (m := _SKIPPED.fullmatch(found[i][0].message))))
        if len(ways) < 2:
            continue
        first = min(indexes, key=lambda i: (found[i][0].span.line, found[i][0].span.col))
        shown = ", ".join("blank" if way is None else f"'{way}'" for way in ways[:SKIPPED_SHOWN])
        if len(ways) > SKIPPED_SHOWN:
            shown += f" and {len(ways) - SKIPPED_SHOWN:,} more: {len(ways):,} ways"
        merged[min(indexes)] = (
            replace(found[first][0], message=f"the score is blank or a mark of no answer ({shown}): skipped questions, not counted"),
            sum(found[i][1] for i in indexes), sorted({line for i in indexes for line in found[i][2]}))
        dropped.update(indexes)
    return [merged[i] if i in merged else item for i, item in enumerate(found) if i in merged or i not in dropped]


def segment_column_name(column: str) -> str:
    """A survey file's segment column ('persona' or 'segment') as its header names it: the column named for it with
    --responses-column, or its own name."""
    from .engines.rows import named_columns

    written = named_columns().as_named.get(column)
    return f"'{quoted(written)}'" if written else column


def persona_in_words(value: str, journey: Journey) -> str | None:
    """``did you mean 'x'?`` for a segment label that names one persona by some of its words, shortened or in the
    plural ('Student' and 'Students' for student-flatshare, 'WFH Pro', 'Parent' for busy-parent), or by its id's words
    with more ('Busy Parent (B2C)'), when they fit only that persona; else None. Such a label was told only the list
    of personas: the edit distance between 'student' and 'student-flatshare' is too far for a typo's guess."""
    def words(text: str) -> list[str]:
        return [w for w in re.split(r"[^0-9a-z]+", text.casefold()) if w]

    written = [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words(value)]
    if not written or not all(len(w) >= 3 for w in written):
        return None
    fits = set()
    for persona, spec in journey.persona_by_id.items():
        own = words(persona) + words(getattr(spec, "name", "") or "")
        if all(any(o.startswith(w) for o in own) for w in written) or set(words(persona)) <= set(words(value)):
            fits.add(persona)
    return f"did you mean '{fits.pop()}'?" if len(fits) == 1 else None


def persona_named(value: str, journey: Journey) -> str | None:
    """The one persona whose id or name ``value`` spells with other capitals, spaces, underscores or
    hyphens (``Busy Parent``, ``busy_parent``, the name ``Busy parent``), else None: a BI tool or a
    survey tool writes a segment as its label: each such answer was an unknown-persona warning, lost to the persona's view."""
    return persona_named_in(value, journey.persona_by_id)


def persona_named_in(value: str, personas: Mapping[str, Any]) -> str | None:
    """:func:`persona_named` among ``personas`` (id -> a persona with its ``name``)."""
    from .engines.rows import squeezed

    key = squeezed(value.casefold())
    found = {persona for persona, spec in personas.items()
             if key in (squeezed(persona.casefold()), squeezed(spec.name.casefold()))}
    return found.pop() if len(found) == 1 else None


def persona_plural(value: str, journey: Journey) -> str | None:
    """The one persona whose id or name ``value`` writes in the plural, as :func:`persona_named` reads
    it with an ``s`` more (``Regulars``, ``busy-parents``, ``New customers``), else None: a CRM's segment
    label, whose answers counted for no persona. The id or name must have four letters or more without
    the ``s`` ('news' is not the plural of a persona 'new')."""
    return persona_plural_in(value, journey.persona_by_id)


def persona_plural_in(value: str, personas: Mapping[str, Any]) -> str | None:
    """:func:`persona_plural` among ``personas`` (id -> a persona with its ``name``): also what
    ``--persona busy-parents`` on the command line stands for."""
    from .engines.rows import squeezed

    key = squeezed(value.casefold())
    if not key.endswith("s") or len(key) < 5:
        return None
    stem = key[:-1]
    found = {persona for persona, spec in personas.items()
             if stem in (squeezed(persona.casefold()), squeezed(spec.name.casefold()))}
    return found.pop() if len(found) == 1 else None


#: What a persona or segment cell holds on a total's row, everyone's: a BI tool's 'All', a pivot's '(All)'
#: or 'Grand Total' (casefolded).
EVERYONE = frozenset({"all", "(all)", "[all]", "all personas", "all segments", "all customers", "all users", "all respondents",
                      "everyone", "everybody", "total", "grand total", "overall", "(total)"})


def marks_no_persona(value: str) -> bool:
    """Whether a persona or segment cell is a missing value as a database or pandas writes one (``NULL``, ``\\N``,
    ``None``, ``NaN``, ``NaT``, ``N/A``, ``#N/A``: an event log's :data:`~.engines.rows.NO_SEGMENT`), no persona as an
    empty cell is. Each was an unknown persona: told with the list of personas, and a metrics table's row so marked
    (everyone's, as a ``ROLLUP`` writes it) left out."""
    from .engines.rows import NO_SEGMENT

    return value.strip().lower() in NO_SEGMENT


def is_everyone(value: str) -> bool:
    """Whether a persona or segment cell marks a row as everyone's (:data:`EVERYONE`): a metrics
    table's 'All' row was left out as an unknown persona's, and the journey's value kept."""
    return value.strip().casefold() in EVERYONE


# (touchpoint, metric, persona or None, period or None) -> answers counted per score
_Key = tuple[str, str, str | None, str | None]


#: Survey files smaller than this (all together) are read row by row when no engine is named:
#: below it DuckDB's start costs more than it saves (see ``benchmarks/bench_responses.py``).
ENGINE_FROM_BYTES = 1 << 20


def read_responses(
    paths: Sequence[Path], journey: Journey, *, period: str | None = None, engine: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> Responses:
    """NPS, CSAT and CES per touchpoint computed from the answers in ``paths`` (pooled), per period
    and per persona when the files say so, and sentiment and verbatims from the comments.

    ``engine``: ``duckdb`` counts the answers in DuckDB (the same results); ``python`` reads
    them row by row; None: DuckDB when it is installed and the files hold at least
    :data:`ENGINE_FROM_BYTES`. A file DuckDB cannot read exactly as the row reader does is
    read row by row (:mod:`journeymap.data.engines.survey`). ``columns``: the files' own names
    for journeymap's columns (``--responses-column``, see :func:`.engines.rows.parse_columns`).
    """
    from .engines.rows import columns_named
    from .workbooks import as_csv

    with columns_named(columns, RESPONSE_COLUMNS_OPTION), as_csv(paths, REQUIRED, "responses table") as files:
        return files.placed_responses(_read_responses(files.paths, journey, period, engine) if files.paths else Responses())


RESPONSE_COLUMNS_OPTION = "--responses-column"


def _read_responses(paths: Sequence[Path], journey: Journey, period: str | None, engine: str | None) -> Responses:
    if use_engine(paths, engine):
        from .engines.survey import Fallback
        from .engines.survey import read_responses as read_with_duckdb

        try:
            answers: Responses = read_with_duckdb(paths, journey, period)
            return answers
        except Fallback:
            pass
    return read_responses_by_row(paths, journey, period=period)


def use_engine(paths: Sequence[Path], engine: str | None, threshold: int = ENGINE_FROM_BYTES) -> bool:
    """Whether DuckDB reads these data files (see :func:`read_responses`)."""
    if engine == "python":
        return False
    import importlib.util

    if importlib.util.find_spec("duckdb") is None:
        return False
    if engine == "duckdb":
        return True
    from .table import PARQUET_SUFFIXES

    if any(Path(path).suffix.lower() in PARQUET_SUFFIXES for path in paths):
        return True  # the row reader needs pyarrow for Parquet; DuckDB reads it at any size
    size = 0
    for path in paths:
        try:
            size += Path(path).stat().st_size
        except OSError:
            pass
    return size >= threshold


def read_responses_by_row(paths: Sequence[Path], journey: Journey, *, period: str | None = None) -> Responses:
    """The row reader: the reference the engine is held to (and the reader of small files)."""

    problems: list[Problem] = []
    counts: dict[_Key, list[int]] = {}
    first_row: dict[tuple[str, str], Span] = {}
    files: dict[tuple[str, str], list[str]] = {}
    # (touchpoint, metric, respondent, period) -> where first answered: file number << 32 | line, with its persona
    # when it has one
    answered: dict[tuple[str, str, str, str | None], int | tuple[int, str]] = {}
    repeats: list[tuple[Problem, Repeat]] = []  # each repeated answer's warning, told again once all are found
    # (touchpoint, period, persona, respondent, comment) of each comment counted with its respondent: a long
    # export writes a respondent's one comment on each of their rows, and it counts once
    said: set[tuple[str, str | None, str | None, str, str]] = set()
    read_files: list[str] = []
    # Cells already found good -> what they mean: a million answers repeat a few thousand
    # combinations of touchpoint, metric, score, date and persona; each is checked once.
    checked: dict[tuple[str, ...], tuple[int, str | None, str | None]] = {}
    comments: list[Comment] = []
    undated: dict[tuple[str, str], Span] = {}
    off_scale: dict[tuple[str, str], dict[int, int]] = {}  # whole-number answers off their metric's scale, per score
    words: dict[tuple[str, str], dict[str, int]] = {}  # CSAT answers written as words (verbal_scale)
    firsts: dict[tuple[str, str, str], Any] = {}  # the first of those and of the answers off the scale
    segment_columns: dict[str, str] = {}  # each file's segment column as its header names it
    for path in paths:
        table, found = read_table(path, REQUIRED, OPTIONAL, kind="responses table", whole=whole_cell)
        problems += found
        if table is None:
            continue
        segment_columns[table.file] = segment_column_name("persona" if "persona" in table.header else "segment")
        with bulk():
            _count_answers(table, journey, period, problems, checked, counts, answered, read_files, comments, first_row, files,
                           undated, off_scale, words, firsts, said, repeats)
    if repeats:
        again = dict(zip((id(problem) for problem, _ in repeats), duplicate_respondents([repeat for _, repeat in repeats]), strict=True))
        problems = [again.get(id(problem), problem) for problem in problems]
    result = Responses()
    everyone: dict[tuple[str, str], dict[str | None, list[int]]] = {}
    by_persona: dict[tuple[str, str, str], dict[str | None, list[int]]] = {}
    for (touchpoint, metric, persona, label), tally in counts.items():
        _add(everyone.setdefault((touchpoint, metric), {}), label, tally)
        if persona is not None:
            _add(by_persona.setdefault((touchpoint, metric, persona), {}), label, tally)
    unread, withdrawn = unread_scales(everyone, off_scale, words, first_row, firsts)
    problems = [p for p in problems if not (p.code == "good-bad-rating" and p.message in withdrawn)]
    for key, problem in unread:
        problems.append(problem)
        everyone.pop(key, None)  # a metric of another scale for two reasons is left out once
        by_persona = {k: v for k, v in by_persona.items() if k[:2] != key}
    problems += shorter_scale(everyone, first_row)
    for (touchpoint, metric), periods in everyone.items():
        source = ", ".join(files[(touchpoint, metric)])
        result.points.append(_point(touchpoint, metric, periods, source, first_row[(touchpoint, metric)], None))
        if None in periods and len(periods) > 1:
            problems.append(_undated(touchpoint, metric, periods[None], undated.get((touchpoint, metric))))
        if (order := _period_order(touchpoint, metric, periods, first_row[(touchpoint, metric)])) is not None:
            problems.append(order)
    for (touchpoint, metric, persona), periods in by_persona.items():
        source = ", ".join(files[(touchpoint, metric)])
        result.persona_points.append(_point(touchpoint, metric, periods, source, first_row[(touchpoint, metric)], persona))
    if comments:
        from .verbatims import Summary, group_comments, long_comments, split_missing, summarise

        problems += long_comments(comments)
        groups, missing = split_missing(group_comments(comments))
        summary = summarise(groups) if groups else Summary()
        if missing is not None:
            summary.problems.insert(0, missing)
        result.verbatims = summary.verbatims
        result.persona_verbatims = summary.persona_verbatims
        result.points += summary.points
        result.persona_points += summary.persona_points
        problems += summary.problems
    result.problems = collapse_counted(one_skipped_warning(one_segment_warning([(p, 1, (p.span.line,)) for p in problems],
                                                                               segment_columns)))
    return result


def _count_answers(
    table: Table,
    journey: Journey,
    period: str | None,
    problems: list[Problem],
    checked: dict[tuple[str, ...], tuple[int, str | None, str | None]],
    counts: dict[_Key, list[int]],
    answered: dict[tuple[str, str, str, str | None], int | tuple[int, str]],
    read_files: list[str],
    comments: list[Comment],
    first_row: dict[tuple[str, str], Span],
    files: dict[tuple[str, str], list[str]],
    undated: dict[tuple[str, str], Span],
    off_scale: dict[tuple[str, str], dict[int, int]],
    words: dict[tuple[str, str], dict[str, int]],
    firsts: dict[tuple[str, str, str], Any],
    said: set[tuple[str, str | None, str | None, str, str]],
    repeats: list[tuple[Problem, Repeat]],
) -> None:
    """Count one table's answers into ``counts`` (and the rest), checking each distinct
    combination of cells once."""
    from .verbatims import Comment, repeated_comment

    def keep(touchpoint: str, comment: str, persona: str | None, label: str | None, respondent: str,
             record: tuple[int, list[str], list[int] | str]) -> None:
        """Count a comment, unless its respondent already wrote it at the touchpoint in the period."""
        if respondent and not no_respondent(respondent):
            key = (touchpoint, label, persona, respondent, comment)
            if key in said:
                problems.append(repeated_comment(table.row(record).span("comment")))
                return
            said.add(key)
        comments.append(Comment(touchpoint, comment, persona, label, (table, record)))

    segment_column = "persona" if "persona" in table.header else "segment"
    file_number = len(read_files) << 32
    read_files.append(table.file)
    # Cells are read by position: a Row (with its dict of cells) is made only for a row
    # that has a problem or a comment, not for each of a million good answers.
    positions = [table.index.get(c, -1) for c in (*REQUIRED, "respondent", "date", "period", segment_column, "comment")]
    last = max(positions)
    question_texts = question_text_row(table)
    # the file's CSAT answers written as one tool's words (Intercom's ratings), decided over the whole column
    scale = word_scale({(record[1][positions[1]], record[1][positions[2]]) for record in table.records
                        if len(record[1]) > max(positions[1], positions[2])})
    order = None
    if (column := table.index.get("date")) is not None:
        found = _date_order_of(table, column)
        if found is not None:
            problems.append(found.problem())
            order = found.order
    not_customers: frozenset[str] = frozenset()  # Qualtrics' Status of a preview, a test or spam
    at = len(problems)
    status_at = status = table.index.get("status", -1)
    if status >= 0:
        statuses = {record[1][status].strip() for record in table.records if status < len(record[1])}
        decided = qualtrics_status(statuses, table.header)
        if decided is None:  # not Qualtrics': said not to be read, at its first value
            first_value = next(record for record in table.records if status < len(record[1]) and record[1][status].strip())
            problems.append(status_not_read(table.row(first_value).span("status"), statuses))
        else:
            not_customers = decided
    skipped: list[Span] = []
    for record in table.records:
        line, raw_cells = record[0], record[1]
        if not_customers and status < len(raw_cells) and raw_cells[status].strip() in not_customers:
            if not skipped:
                skipped.append(table.row(record).span("status"))
            skipped.append(Span(table.file, line, 1))
            continue
        if record is question_texts:
            problems.append(question_text_problem(Span(table.file, line, 1)))
            continue
        if len(raw_cells) <= last:
            raw_cells = raw_cells + [""] * (last + 1 - len(raw_cells))
        values = [raw_cells[i].strip() if i >= 0 else "" for i in positions]
        touchpoint, metric, raw, respondent, when, written, segment, comment = values
        metric = metric_named(metric, RESPONSE_SCALES)  # 'CSAT' is csat (and one combination with it)
        touchpoint = touchpoint_named(touchpoint, journey)  # 'Choose-Delivery-Slot' is choose-delivery-slot
        combination = (touchpoint, metric, raw, when, written, segment, order or "", scale or "")
        known = checked.get(combination)
        if known is None:
            row = table.row(record)
            cells = row.cells
            if comment and not metric and not raw:  # a comment on its own
                if check_touchpoint(touchpoint, row.span("touchpoint"), journey, problems):
                    label = _period(row, period, problems, order)
                    persona = check_persona(cells.get(segment_column, ""), row, journey, problems, segment_column)
                    keep(touchpoint, comment, persona, label, respondent, record)
                continue
            before = len(problems)
            answer = _check_answer(row, journey, period, problems, segment_column, off_scale, words=words, order=order,
                                   scale=scale, firsts=firsts, decimal_comma=decimal_comma_file(table.delimiter))
            if answer is None:
                if comment and touchpoint in journey.touchpoint_by_id and not _header_row(problems, before):
                    label = _period(row, period, [], order)
                    persona = check_persona(cells.get(segment_column, ""), row, journey, [], segment_column)
                    keep(touchpoint, comment, persona, label, respondent, record)
                continue
            if len(problems) == before:
                checked[combination] = answer
            known = answer
        score, label, persona = known
        if respondent and not no_respondent(respondent):
            seen = answered.get((touchpoint, metric, respondent, label))
            if seen is not None:
                at, first_persona = (seen, None) if isinstance(seen, int) else seen
                first = Span(read_files[at >> 32], at & 0xFFFFFFFF, 1)
                repeat = (table.row(record).span("respondent"), respondent, metric, touchpoint, label, first,
                          period is None and "date" in table.index, (first_persona, persona))
                problems.append(duplicate_respondent(*repeat))  # told again by duplicate_respondents, once all are found
                repeats.append((problems[-1], repeat))
                continue  # the repeat's comment is not counted either (its sentiment would count twice)
            answered[(touchpoint, metric, respondent, label)] = file_number | line if persona is None else (file_number | line, persona)
        if comment:
            keep(touchpoint, comment, persona, label, respondent, record)
        tally = counts.get((touchpoint, metric, persona, label))
        if tally is None:
            low, high = RESPONSE_SCALES[metric]
            tally = counts[(touchpoint, metric, persona, label)] = [0] * (high - low + 1)
        tally[score - RESPONSE_SCALES[metric][0]] += 1
        key = (touchpoint, metric)
        if key not in first_row:
            first_row[key] = Span(table.file, line, 1)
            files[key] = []
        if table.file not in files[key]:
            files[key].append(table.file)
        if label is None and key not in undated:
            undated[key] = Span(table.file, line, 1)
    if skipped:
        problems.insert(at, qualtrics_skipped(skipped[0], len(skipped) - 1, _statuses(table, status_at, not_customers)))


def _statuses(table: Table, status: int, not_customers: frozenset[str]) -> set[str]:
    """The Status values of a table's rows that are not customers' (as written, stripped)."""
    return {record[1][status].strip() for record in table.records
            if status < len(record[1]) and record[1][status].strip() in not_customers}


#: Qualtrics' Status column (its 'Response Type'): in words (case-folded) and as the codes of a numeric export.
QUALTRICS_STATUS_WORDS = frozenset({"ip address", "survey preview", "survey test", "spam", "imported", "offline",
                                    "offline survey preview"})
QUALTRICS_STATUS_CODES = frozenset({"0", "1", "2", "4", "8", "16", "17"})
#: Those that are no customer's answer: the survey's preview, its tests, spam.
QUALTRICS_NOT_CUSTOMERS = frozenset({"survey preview", "survey test", "spam", "offline survey preview", "1", "2", "8", "17"})
#: Columns of a Qualtrics export besides Status (their keys), which tell its Status codes from another tool's 0/1.
QUALTRICS_COLUMNS = frozenset({"responseid", "finished", "recordeddate", "ipaddress", "progress", "duration (in seconds)",
                               "distributionchannel", "userlanguage", "externalreference"})


#: Alchemer's (SurveyGizmo's) Status column, case-folded, and those of answers not to count: a respondent a screening
#: question disqualified, an answer deleted in Alchemer (its API and some exports still list them).
ALCHEMER_STATUSES = frozenset({"complete", "partial", "disqualified", "deleted"})
ALCHEMER_NOT_COUNTED = frozenset({"disqualified", "deleted"})


def qualtrics_status(values: Iterable[str], header: Sequence[str]) -> frozenset[str] | None:
    """Of a responses file's Status column (its distinct cells, stripped; its header's column keys): the values that
    mark answers no customer gave (a preview, a test, spam), when the column is Qualtrics' (every value one of its
    words, or of its codes beside another of its columns), or answers not to count when it is Alchemer's (every value
    'Complete', 'Partial', 'Disqualified' or 'Deleted': the last two); None when it is neither (or holds nothing), and
    is not read.
    The rows above the answers a Qualtrics export writes (the question text 'Response Type', an import id) are no value.

    >>> sorted(qualtrics_status(["IP Address", "Survey Preview", "", "Response Type"], ["status"]))
    ['Survey Preview']
    >>> qualtrics_status(["0", "1"], ["status"]), sorted(qualtrics_status(["0", "1"], ["status", "responseid"]))
    (None, ['1'])
    """
    found = {v for v in values if v and not v.startswith('{"ImportId"') and v.casefold() != "response type"}
    if not found:
        return frozenset()
    if all(v.casefold() in QUALTRICS_STATUS_WORDS for v in found) or (
            found <= QUALTRICS_STATUS_CODES and any(column in QUALTRICS_COLUMNS for column in header)):
        return frozenset(v for v in found if v.casefold() in QUALTRICS_NOT_CUSTOMERS)
    if all(v.casefold() in ALCHEMER_STATUSES for v in found):
        return frozenset(v for v in found if v.casefold() in ALCHEMER_NOT_COUNTED)
    return None


def qualtrics_skipped(span: Span, count: int, values: Iterable[str]) -> Problem:
    """The one warning for a file's rows that Qualtrics' Status marks as no customer's, or Alchemer's as not to count
    (at the first one's Status)."""
    listed = ", ".join(f"'{quoted(v)}'" for v in sorted(values))
    one = count == 1
    if all(v.casefold() in ALCHEMER_NOT_COUNTED for v in values):
        return Problem(
            span, "alchemer-status",
            f"{count:,} row{'' if one else 's'} {'is an answer' if one else 'are answers'} Alchemer marks"
            f" {listed.replace(', ', ' or ')} in the Status column (deleted, or screened out), not customers' answers to"
            f" count: {'it is' if one else 'they are'} not counted",
            "nothing to do; a 'Partial' answer counts, as an answer the customer gave", level="warning")
    return Problem(
        span, "qualtrics-status",
        f"{count:,} row{'' if one else 's'} {'is an answer' if one else 'are answers'} of Qualtrics' survey preview, tests"
        f" or spam ({listed} in the Status column), not customers': {'it is' if one else 'they are'} not counted",
        "nothing to do; an export of the responses whose Status (Response Type) is 'IP Address' leaves them out",
        level="warning",
    )


def status_not_read(span: Span, values: Iterable[str]) -> Problem:
    """The warning for a Status column that is not Qualtrics' (a helpdesk's ticket status): it is not read."""
    found = sorted(v for v in values if v and not v.startswith('{"ImportId"') and v.casefold() != "response type")
    listed = ", ".join(f"'{quoted(v)}'" for v in found[:3]) + (", ..." if len(found) > 3 else "")
    return Problem(
        span, "unknown-column",
        f"column 'Status' is not read: its values ({listed}) are not Qualtrics' response types, the status journeymap"
        " reads; every row is counted",
        "a Qualtrics export's Status is 'IP Address', 'Survey Preview', 'Survey Test' or 'Spam' (or their codes 0, 1, 2"
        " and 8, beside its ResponseId column)",
        level="warning",
    )


def _date_order_of(table: Table, column: int) -> DateOrder | None:
    """The :func:`date_order` of a table's date column (at ``column``), from the first date of each one-way order."""
    firsts: dict[str, tuple[Span, str]] = {}
    for record in table.records:
        cells = record[1]
        if (column < len(cells) and might_be_one_way(cell := cells[column]) and (way := one_way(cell)) is not None
                and way not in firsts):
            firsts[way] = (table.row(record).span("date"), cell.strip())
            if len(firsts) == 2:
                break
    return date_order(firsts)


def repeated_header(touchpoint: str, metric: str) -> bool:
    """Whether a row's touchpoint and metric cells are the header's names again, as files joined with their headers
    repeat them (each file saved as 'CSV UTF-8' starts with a byte-order mark, before 'touchpoint')."""
    return touchpoint.lstrip("\ufeff").strip().lower() == "touchpoint" and metric.strip().lower() == "metric"


def header_moved(cells: Mapping[str, str]) -> str | None:
    """The columns a header in another order moved, as a message names them ("'metric' under touchpoint"), when a row's
    touchpoint and metric cells are two other names of journeymap's columns (files joined with their headers, the
    second's columns in another order); else None. Only the cells every engine gives a row are looked at."""
    written = {column: cells.get(column, "").lstrip("\ufeff").strip().lower()
               for column in ("touchpoint", "metric", "score", "date", "period")}
    names = {*REQUIRED, *OPTIONAL}
    if not {written["touchpoint"], written["metric"]} <= names or written["touchpoint"] == written["metric"]:
        return None
    moved = [(column, name) for column, name in written.items() if name and name != column]
    return ", ".join(f"'{name}' under {column}" for column, name in moved) or None


def whole_cell(cells: Mapping[str, str], column: str) -> bool:
    """Whether the last cell of a short last row with no line end after it (in ``column``) is a whole value, so that the
    row was typed without its last, empty cells rather than cut short: a day that reads (``2026-04-02``) or a score on
    its metric's scale that no digit more would keep on it (a CSAT ``4``, an NPS ``7`` or ``0``; not an NPS ``1``,
    which may be a 10 cut short)."""
    value = cells.get(column, "").strip()
    if column == "date":
        return _DATE.fullmatch(value) is not None and _date(value) is not None
    if column == "score" and value.isascii() and value.isdigit():
        scale = RESPONSE_SCALES.get(metric_named(cells.get("metric", "").strip(), RESPONSE_SCALES))
        return scale is not None and scale[0] <= whole_number(value) <= scale[1] and (value[0] == "0" or whole_number(value) * 10 > scale[1])
    return False


def import_ids(cells: Sequence[str]) -> bool:
    """Whether a row's cells (those of the columns read) are a Qualtrics export's import ids (``{"ImportId": "QID1"}``)."""
    return any(cell.lstrip().startswith('{"ImportId"') for cell in cells)


def question_text_row(table: Table) -> tuple[int, list[str], list[int] | str] | None:
    """The first row of a Qualtrics export whose second row is its import ids: the questions' texts
    (``How likely are you to recommend us?``), told as an unknown touchpoint, an unknown metric and a
    bad score or date, errors that did not say what the row is; else None."""
    records = table.records
    if len(records) < 2:
        return None
    first, second = ({name: cells[i] if i < len(cells) else "" for name, i in table.index.items()} for cells in (records[0][1], records[1][1]))
    return records[0] if question_texts(first, second) else None


def question_texts(first: Mapping[str, str], second: Mapping[str, str]) -> bool:
    """Whether a file's first row (its cells by column) is a Qualtrics export's question texts: the row
    under it is import ids, and it is not the header's names again (told as such)."""
    header_again = first.get("touchpoint", "").strip().lower() == "touchpoint" and first.get("metric", "").strip().lower() == "metric"
    return import_ids(list(second.values())) and not import_ids(list(first.values())) and not header_again


def question_text_problem(span: Span) -> Problem:
    return Problem(
        span, "export-header",
        "this row holds a Qualtrics export's question texts (the row above its import ids), not answers; it is skipped",
        "a Qualtrics export has two rows under its header, question texts and then import ids: delete both (sed -i '2,3d' FILE)",
        level="warning",
    )


def evaluate(
    row: Row, journey: Journey, period: str | None, segment_column: str, alone: bool, problems: list[Problem],
    off_scale: dict[tuple[str, str], dict[int, int]] | None = None, n: int = 1,
    words: dict[tuple[str, str], dict[str, int]] | None = None, order: str | None = None, scale: str | None = None,
    firsts: dict[tuple[str, str, str], Any] | None = None, place: Any = None, decimal_comma: bool = False,
) -> tuple[tuple[int, str | None, str | None] | None, tuple[str, str | None, str | None] | None]:
    """What :func:`_count_answers` makes of a row, for an engine that checks each combination of
    cells once: ``(score, period, persona)`` when the answer counts, and ``(touchpoint, period,
    persona)`` that a comment on the row is filed under (None: the comment is not kept).
    ``alone``: the row holds a comment and neither a metric nor a score. ``order``: the file's :func:`date_order`;
    ``scale``: its :func:`word_scale`; ``firsts``, ``place`` and ``decimal_comma``: :func:`_check_answer`'s."""
    cells = row.cells
    touchpoint = touchpoint_named(cells.get("touchpoint", ""), journey)
    if alone:
        if check_touchpoint(touchpoint, row.span("touchpoint"), journey, problems):
            label = _period(row, period, problems, order)
            persona = check_persona(cells.get(segment_column, ""), row, journey, problems, segment_column)
            return None, (touchpoint, label, persona)
        return None, None
    before = len(problems)
    answer = _check_answer(row, journey, period, problems, segment_column, off_scale, n, words, order, scale, firsts, place,
                           decimal_comma)
    if answer is None:
        if touchpoint in journey.touchpoint_by_id and not _header_row(problems, before):
            label = _period(row, period, [], order)
            persona = check_persona(cells.get(segment_column, ""), row, journey, [], segment_column)
            return None, (touchpoint, label, persona)
        return None, None
    return answer, (touchpoint, answer[1], answer[2])


#: The time zone a Qualtrics import-id cell names for a date column ('{"ImportId":"recordedDate","timeZone":"America/Denver"}').
_QUALTRICS_ZONE = re.compile(r'"timeZone"\s*:\s*"([^"]{1,64})"')
_UTC_NAMES = frozenset({"UTC", "GMT", "Z", "ETC/UTC", "ETC/GMT", "UNIVERSAL", "ZULU"})


def _header_row(problems: Sequence[Problem], before: int) -> bool:
    """Whether the problems found for a row from ``before`` on say it is an export's header row (its comment cell is a
    column's title, no customer's comment)."""
    return any(problem.code == "export-header" for problem in problems[before:])


def _check_answer(
    row: Row, journey: Journey, period: str | None, problems: list[Problem], segment_column: str,
    off_scale: dict[tuple[str, str], dict[int, int]] | None = None, n: int = 1,
    words: dict[tuple[str, str], dict[str, int]] | None = None, order: str | None = None, scale: str | None = None,
    firsts: dict[tuple[str, str, str], Any] | None = None, place: Any = None, decimal_comma: bool = False,
) -> tuple[int, str | None, str | None] | None:
    """``(score, period label, persona)`` of an answer row, or None (and its problems) when it cannot count.
    ``words``: the CSAT answers written as words per touchpoint and metric, Good/Bad ratings read (under '') and
    the others by their text, for :func:`verbal_scale`. ``scale``: the file's :func:`word_scale`. ``firsts``: per
    touchpoint, metric and 'off' or 'word', the place of the first answer off the scale or written as a word, for the
    errors of :func:`unread_scales`: the row's (its line, column 1), or ``place``, an engine's ordered token for it.
    ``decimal_comma``: the file is separated by semicolons or tabs, where a comma is a decimal mark (:func:`decimal_comma_file`)."""

    def first(kind: str) -> None:
        if firsts is not None:  # the row reader's rows come in the files' order; an engine's place is ordered so
            key = (touchpoint, metric, kind)
            if key not in firsts:
                firsts[key] = place if place is not None else Span(row.file, row.line, 1)
            elif place is not None and place < firsts[key]:
                firsts[key] = place

    cells = row.cells
    touchpoint, metric, raw = cells["touchpoint"], metric_named(cells.get("metric", ""), RESPONSE_SCALES), cells.get("score", "")
    touchpoint = touchpoint_named(touchpoint, journey)
    # three errors a row said less than this one warning (its touchpoint and metric columns may be filled down into it)
    imported = next((c for c in ("touchpoint", "metric", "score", "date", "period") if cells.get(c, "").startswith('{"ImportId"')),
                    None)
    if imported is not None:
        problems.append(
            Problem(
                row.span(imported),
                "export-header",
                "this row holds a Qualtrics export's import ids ({\"ImportId\": ...}), not answers; it is skipped",
                "a Qualtrics export has two rows under its header, question texts and then import ids: delete both",
                level="warning",
            )
        )
        if (zone := _QUALTRICS_ZONE.search(cells.get("date", ""))) is not None and zone[1].upper() not in _UTC_NAMES:
            problems.append(Problem(
                row.span("date"), "date-zone",
                f"Qualtrics' import-id row says {_date_column()}'s times are in {quoted(zone[1])},"
                " written without their offset: they are read as UTC, so an answer near midnight may be counted on the"
                " day before or after",
                "set the export's time zone to UTC before downloading, so that the times are read as written",
                level="warning",
            ))
        return None
    if raw in ("Response", "Open-Ended Response") and (
            not touchpoint and not cells.get("metric")
            # touchpoint and metric columns added to the export and filled down: the row has no date nor period either
            or not cells.get("date") and not cells.get("period")):
        problems.append(
            Problem(
                row.span("score"),
                "export-header",
                f"this row is a SurveyMonkey export's second header row ('{raw}'), not answers; it is skipped",
                "a SurveyMonkey export has a row of 'Response' and 'Open-Ended Response' under its header: delete it",
                level="warning",
            )
        )
        return None
    if (repeated_header(touchpoint, cells.get("metric", "")) and touchpoint not in journey.touchpoint_by_id):
        # the header again: files joined with their headers, or a survey export's question texts
        problems.append(
            Problem(
                row.span("touchpoint"),
                "export-header",
                "this row repeats the header's names (touchpoint, metric), not answers; it is skipped",
                "files joined with their headers repeat it, and a Qualtrics export has two rows under its header"
                " (question texts, then import ids): delete such rows",
                level="warning",
            )
        )
        return None
    if (moved := header_moved(cells)) and touchpoint not in journey.touchpoint_by_id:
        # two exports joined with their headers, the second's columns in another order: its header was an unknown
        # touchpoint 'metric', and nothing said why every row below it was wrong
        problems.append(Problem(
            row.span("touchpoint"), "export-header",
            f"this row is a header again with its columns in another order ({moved}): the rows below it, another file's,"
            " are read in this file's columns",
            "files joined with their headers need their columns in one order: give each file with its own --responses"))
        return None
    if (nuls := nul_row(touchpoint, row.span("touchpoint"), (metric, raw))) is not None:  # not a survey left
        problems.append(nuls)
        return None
    if not metric and not raw:  # neither an answer nor a comment: a survey opened and left, or a comments file's empty row
        problems.append(Problem(
            row.span("touchpoint"), "empty-answer",
            "the row holds no metric, score or comment: there is nothing to count, and it is skipped",
            "a survey started and not finished writes such rows: leave them out of the export", level="warning"))
        return None
    ok = touchpoint in journey.touchpoint_by_id or check_touchpoint(touchpoint, row.span("touchpoint"), journey, problems)
    if metric not in RESPONSE_SCALES:
        metric = metric_named(metric, [*BUILTIN, *journey.metrics])
        if metric in BUILTIN or metric in journey.metrics:
            problems.append(
                Problem(
                    row.span("metric"),
                    "not-a-survey-metric",
                    f"{metric} cannot be computed from survey answers; only nps, csat and ces can",
                    "put computed values in a metrics table (--metrics)",
                )
            )
            ok = False
        else:
            ok = check_metric(metric, row.span("metric"), list(RESPONSE_SCALES), problems, what="survey metric") and ok
    score: int | None = None
    if not raw or is_missing_mark(raw) or offered(raw) or raw == "-99":  # a skipped question, as a tool writes it
        problems.append(
            Problem(
                row.span("score"),
                "blank-score",
                OFFERED_SAID if offered(raw) else
                ("the score is blank" if not raw else f"the score is '{raw}'") + " (a skipped question); the row is not counted",
                # no answer on any scale, and Qualtrics' mark: it was "an NPS value, not an answer", an error
                QUALTRICS_UNANSWERED if raw == "-99" else None,
                level="warning",
            )
        )
    elif metric in RESPONSE_SCALES:
        if scale == "intercom" and metric == "csat" and (score := INTERCOM_RATINGS.get(raw.casefold())) is not None:
            problems.append(intercom_problem(row.span("score")))
        elif scale == "hotjar" and metric == "csat" and (score := HOTJAR_RATINGS.get(raw.casefold())) is not None:
            problems.append(hotjar_problem(row.span("score")))
        elif scale == "faces" and metric == "csat" and (score := FACES.get(raw.replace("\ufe0f", ""))) is not None:
            problems.append(faces_problem(row.span("score")))
        elif scale == "likert" and metric == "csat" and (likert := likert_number("csat", raw)) is not None:
            score = likert[0]
            problems.append(likert_problem(row.span("score")))
        elif scale == "happy" and metric == "csat" and (score := happy_rating(raw)) is not None:
            problems.append(happy_problem(row.span("score")))
        elif scale == "three" and metric == "csat" and (score := three_point_rating(raw)) is not None:
            problems.append(three_point_problem(row.span("score")))
        # ASCII only: str.isdigit() is true of '²' (int() fails) and '٤' (int() reads 4, parse_score does not)
        elif raw.isascii() and raw.isdigit():
            score = whole_number(raw)
            low, high = RESPONSE_SCALES[metric]
            if not low <= score <= high:
                score = None
                if off_scale is not None and ok:  # a whole number off the scale: another scale's answer?
                    counted = off_scale.setdefault((touchpoint, metric), {})
                    counted[whole_number(raw)] = counted.get(whole_number(raw), 0) + n
                    first("off")
        if score is None:
            try:
                score = parse_score(metric, raw)
            except MetricValueError as exc:
                score = labelled_score(metric, raw)
                scaled = score is None and (score := scaled_score(metric, raw)) is not None
                whole = _WHOLE_WITH_COMMA.fullmatch(raw) if score is None and decimal_comma else None
                comma = whole is not None and RESPONSE_SCALES[metric][0] <= int(whole[1]) <= RESPONSE_SCALES[metric][1]
                if whole is not None and comma:  # '4,0' from a German Excel's CSV: its number, told once for the file
                    score = int(whole[1])
                    problems.append(decimal_comma_score(row.span("score"), score))
                if score is None and metric == "csat" and (score := good_bad_score(raw)) is not None:
                    problems.append(good_bad_problem(row.span("score"), touchpoint))
                    if words is not None and ok:
                        counted_words = words.setdefault((touchpoint, metric), {})
                        counted_words[""] = counted_words.get("", 0) + n
                        first("word")
                elif score is None:
                    problems.append(Problem(row.span("score"), "score", str(exc), exc.hint))
                    if words is not None and ok and metric == "csat" and _A_WORD.search(raw):  # another scale's word?
                        counted_words = words.setdefault((touchpoint, metric), {})
                        counted_words[raw] = counted_words.get(raw, 0) + n
                        first("word")
                elif not comma and scaled:  # '4 out of 5', '★★★★☆': the metric's own scale, written with the answer
                    low, high = RESPONSE_SCALES[metric]
                    problems.append(Problem(
                        row.span("score"), "score-label",
                        f"the score '{raw[:40]}' is read as {score}, its number on the {low}..{high} scale written with it",
                        f"write the answer as the number alone: {score}", level="warning"))
                elif not comma:
                    problems.append(Problem(
                        row.span("score"), "score-label",
                        f"the score '{raw[:40]}' is read as {score}, its number: the scale's label written with it is not read",
                        f"write the answer as the number alone: {score}", level="warning"))
            else:
                if "e" in raw.lower():  # 1e0: an answer on a scale is a plain number; read, and told
                    from .metrics_table import exponent_warning

                    problems.append(exponent_warning(row.span("score"), f"{BUILTIN[metric].label} score", raw, str(score),
                                                     "an answer on a scale"))
    label, dated = _period_of(row, period, problems, order=order)
    persona = check_persona(cells.get(segment_column, ""), row, journey, problems, segment_column)
    if not ok or score is None or not dated:
        return None
    return score, label, persona


#: A whole number written with a decimal comma and zeros after it ('4,0'), as Excel saves a number formatted with decimals.
_WHOLE_WITH_COMMA = re.compile(r"([0-9]{1,2}),0{1,6}")


def decimal_comma_file(delimiter: str) -> bool:
    """Whether a file separated by ``delimiter`` is one whose comma may be a decimal mark: semicolons, as Excel saves CSV
    where the comma is the decimal mark (German, French), or tabs, as its 'Unicode Text' does."""
    return delimiter in (";", "\t")


def decimal_comma_score(span: Span, score: int) -> Problem:
    """The warning for a whole score written with a decimal comma ('4,0') in a file of semicolons or tabs, read as
    ``score``: one message for the file's rows, so that they are one warning with their count."""
    return Problem(span, "decimal-comma", "the score is written with a decimal comma and no decimals, as Excel saves a number"
                   " formatted with decimals in a semicolon- or tab-separated file where a comma is the decimal mark: it is"
                   " read as its whole number",
                   f"format the score column as a number without decimals before saving, to write {score}", level="warning")


#: Zendesk's satisfaction ratings of a survey sent and not answered (upper case, spaces for '_' and '-').
OFFERED = frozenset({"OFFERED", "UNOFFERED", "NOT OFFERED"})
#: Their one warning's words (one message for the three, so that a file's rows of them are one warning with its count).
QUALTRICS_UNANSWERED = ("Qualtrics writes -99 for a question seen and not answered (its export option 'Export viewed but"
                        " unanswered questions as -99')")
OFFERED_SAID = ("the score marks a satisfaction survey offered and not answered (Zendesk's 'Offered', 'Unoffered',"
                " 'Not Offered'); the row is not counted")


def offered(raw: str) -> bool:
    """Whether a (stripped) score cell is Zendesk's rating of a survey offered and not answered, in any capitals:
    'Offered', 'Unoffered', 'Not Offered' ('not_offered', 'Not-Offered')."""
    return len(raw) <= 11 and raw.upper().replace("_", " ").replace("-", " ") in OFFERED


#: What a respondent cell holds for an answer of no one known, beside :data:`journeymap.data.MISSING` (upper-cased).
ANONYMOUS = frozenset({"ANONYMOUS", "ANON", "ANON.", "UNKNOWN", "GUEST", "(ANONYMOUS)", "(UNKNOWN)", "(NONE)", "\\N"})


def no_respondent(respondent: str) -> bool:
    """Whether a (stripped) respondent cell names no one: a missing-value mark (``NULL``, ``N/A``, ``-``) or
    an anonymous answer's (``Anonymous``, ``Unknown``). Taken for one respondent, every such answer but the
    first was a repeat, left out: 10,000 anonymous answers counted as one.

    >>> no_respondent("Anonymous"), no_respondent("null"), no_respondent("R_1")
    (True, True, False)
    """
    from . import is_missing_mark

    return is_missing_mark(respondent) or (respondent.isascii() and respondent.upper() in ANONYMOUS)


def duplicate_respondent(span: Span, respondent: str, metric: str, touchpoint: str, label: str | None, first: Span,
                         dated: bool, personas: tuple[str | None, str | None] = (None, None)) -> Problem:
    """The warning for a respondent's second answer to one metric at one touchpoint (in one period).
    ``dated``: the file has dates and no --period buckets them, so a tracking survey's later answers
    (a customer asked every quarter) were left out with no word of the option that counts them.
    ``personas``: the first answer's persona and this one's; when they differ (a join that lists a customer under two
    segments), the warning names both and which one counts the answer: the second lost it without a word of personas."""
    before, here = personas
    two = before != here
    first_as = f"persona '{before}'" if before else "no persona"
    here_as = f"'{here}'" if here else "no persona"
    as_said = f" as {first_as}, here as {here_as}" if two else ""
    counted = (", for everyone" + (f" and for '{before}'" if before else "")) if two else ""
    hints = [("a respondent is one persona's: a join that lists a customer under two segments writes their answer once"
              " for each; give each respondent one persona in the source") if two else None,
             "if the survey asks each customer again over time, give --period week, month or quarter: a respondent's"
             " answers in different periods are each counted" if dated else None]
    return Problem(
        span,
        "duplicate-respondent",
        f"respondent '{respondent}' already answered {BUILTIN[metric].label} for"
        f" '{touchpoint}'{f' in {label}' if label else ''} at {first}{as_said}; only the first answer and its comment are"
        f" counted{counted}",
        "; ".join(hint for hint in hints if hint) or None,
        level="warning",
        related=(first,),
    )


#: A repeat of :func:`duplicate_respondents`: the repeat's place, respondent, metric, touchpoint, period, the
#: place of the respondent's first answer in that period, whether the file has dates no --period buckets, and the
#: first answer's persona and this one's.
Repeat = tuple[Span, str, str, str, str | None, Span, bool, tuple[str | None, str | None]]
#: The periods a respondent's repeats in many periods name, with the place of the first answer of each.
REPEAT_PERIODS_SHOWN = 3


def duplicate_respondents(repeats: Sequence[Repeat]) -> list[Problem]:
    """The warning of each repeat (:func:`duplicate_respondent`), in their order. A respondent who answered one metric
    at one touchpoint again in several periods (a bot, a test account) has one message for all of those repeats, naming
    how many periods and the first :data:`REPEAT_PERIODS_SHOWN` with their first answers' places: a bot answering every
    month was a warning per month, each with its own rows."""
    periods: dict[tuple[str, str, str, str], dict[str | None, Span]] = {}
    for span, respondent, metric, touchpoint, label, first, _dated, _personas in repeats:
        periods.setdefault((span.file, respondent, metric, touchpoint), {}).setdefault(label, first)
    told: list[Problem] = []
    for span, respondent, metric, touchpoint, label, first, dated, personas in repeats:
        seen = periods[(span.file, respondent, metric, touchpoint)]
        if len(seen) == 1:
            told.append(duplicate_respondent(span, respondent, metric, touchpoint, label, first, dated, personas))
            continue
        labels = sorted(seen, key=lambda label: (label is None, label or ""))
        named = ", ".join(f"{label or 'no period'} (first at {seen[label]})" for label in labels[:REPEAT_PERIODS_SHOWN])
        told.append(Problem(
            span,
            "duplicate-respondent",
            f"respondent '{respondent}' answered {BUILTIN[metric].label} for '{touchpoint}' more than once in each of"
            f" {len(seen)} periods: {named}{', ...' if len(seen) > REPEAT_PERIODS_SHOWN else ''}; only the first answer"
            " of each period and its comment are counted",
            None,
            level="warning",
            related=(seen[labels[0]],),
        ))
    return told


#: An answer written with the label of its point on the scale, as an export of choice texts writes the
#: scale's ends: '10 - Extremely likely', '0 - Not at all likely', '5: Very satisfied' (an en or em dash for the hyphen,
#: as a word processor makes of a typed ' - ').
_LABELLED = re.compile(r"([0-9]{1,2})[ \t]*[-\u2013\u2014:=][ \t]*[A-Za-z].*", re.ASCII | re.DOTALL)


#: Words of a scale's labels: a number beside one without a dash ('10 Extremely likely', '0 (Not at all likely)',
#: 'Extremely likely 10', 'Very easy - 7', as the scale's ends are exported) is that answer; beside other words
#: ('5 out of 10', '4 stars') it is not read.
_LABEL_WORDS = (r"(?:likely|unlikely|satisfied|dissatisfied|agree|disagree|neutral|easy|difficult|effort\w*|recommend|"
                r"happy|unhappy|poor|excellent|good|bad|great|terrible|awful|average)")
_LABEL = rf"(?:not|very|extremely|somewhat|fairly|strongly|neither|nor|at|all|completely|quite|slightly|a|an|and|or|\s)*{_LABEL_WORDS}"
_LABELLED_SPACED = (
    re.compile(rf"([0-9]{{1,2}})[ \t]*(?:[ \t]|\([ \t]*(?={_LABEL}[ \t]*\)$)){_LABEL}[ \t]*\)?", re.IGNORECASE),
    re.compile(rf"{_LABEL}[ \t]*(?:[-\u2013\u2014:=][ \t]*|\([ \t]*(?=[0-9]{{1,2}}[ \t]*\)$)|[ \t])([0-9]{{1,2}})[ \t]*\)?", re.IGNORECASE),
)


def word_scale(answers: Iterable[tuple[str, str]]) -> str | None:
    """How a file's CSAT answers are written, from its (metric, score) cells: 'intercom' when every one that is not blank
    is one of Intercom's conversation ratings (:data:`~journeymap.metrics.INTERCOM_RATINGS`, in any capitals), one of
    them other than 'Bad' (alone, Zendesk's Good/Bad rating's); 'hotjar' when every one is one of Hotjar's feedback
    ratings (:data:`~journeymap.metrics.HOTJAR_RATINGS`: Hate to Love); 'faces' when every one is a face of a 1..5 emoji
    scale (:data:`~journeymap.metrics.FACES`, 😠 to 🤩, as those tools show their ratings); None otherwise: a column mixing
    them with numbers or other words reads none of them (each an error), as which scale it is cannot be told."""
    intercom = hotjar = faces = likert = happy = three = True
    some = False
    somewhat = plain = False  # a 'Somewhat' label and a plain 'Satisfied' or 'Dissatisfied': a 7-point scale's
    for metric, raw in answers:
        text = raw.strip()
        if not text or is_missing_mark(text) or offered(text) or metric_named(metric.strip(), RESPONSE_SCALES) != "csat":
            continue
        word = text.casefold()
        intercom = intercom and word in INTERCOM_RATINGS
        hotjar = hotjar and word in HOTJAR_RATINGS
        faces = faces and text.replace("\ufe0f", "") in FACES
        likert = likert and likert_number("csat", text) is not None
        label = " ".join(word.split())
        somewhat, plain = somewhat or label.startswith("somewhat "), plain or label in ("satisfied", "dissatisfied", "unsatisfied")
        likert = likert and not (somewhat and plain)
        happy = happy and happy_rating(text) is not None
        three = three and three_point_rating(text) is not None
        if not (intercom or hotjar or faces or likert or happy or three):
            return None
        some = some or word != "bad"
    return (None if not some else "intercom" if intercom else "hotjar" if hotjar else "faces" if faces else "likert" if likert
            else "happy" if happy else "three")


def hotjar_problem(span: Span) -> Problem:
    """The note that a file's CSAT answers are read as Hotjar's feedback ratings (:func:`word_scale`): one message for
    every such answer, so that a file's are told once with their count."""
    return Problem(
        span, "emoji-rating",
        "the CSAT answers are Hotjar's feedback ratings (an emoji scale's words), read on its 1..5 scale: Hate 1,"
        " Dislike 2, Neutral 3, Like 4, Love 5",
        "nothing to do; a CSAT of them is the share of Like and Love, as of 4 and 5 (export the ratings as their numbers"
        " 1..5 to leave this out)",
        level="warning",
    )


def faces_problem(span: Span) -> Problem:
    """The note that a file's CSAT answers are read as the faces of a 1..5 emoji scale (:func:`word_scale`): one message
    for every such answer, so that a file's are told once with their count."""
    return Problem(
        span, "emoji-rating",
        "the CSAT answers are emoji faces, read on a 1..5 scale as Intercom and Hotjar show their ratings: \U0001f620 1,"
        " \U0001f641 2, \U0001f610 3, \U0001f603 4, \U0001f929 5",
        "nothing to do; a CSAT of them is the share of the two happiest faces, as of 4 and 5 (export the ratings as their"
        " numbers 1..5 to leave this out)",
        level="warning",
    )


def likert_problem(span: Span) -> Problem:
    """The note that a file's CSAT answers are read as the labels of the usual 1..5 satisfaction scale
    (:func:`word_scale`): one message for every such answer, so that a file's are told once with their count."""
    return Problem(
        span, "likert-rating",
        "the CSAT answers are the labels of the 1..5 satisfaction scale, read as their numbers: Very dissatisfied 1,"
        " Dissatisfied 2, Neither satisfied nor dissatisfied (Neutral) 3, Satisfied 4, Very satisfied 5",
        "nothing to do; a CSAT of them is the share of Satisfied and Very satisfied, as of 4 and 5 (export the answers as"
        " their numbers 1..5, choice numbers rather than texts, to leave this out)",
        level="warning",
    )


def happy_problem(span: Span) -> Problem:
    """The note that a file's CSAT answers are read as a happy/unhappy scale's ratings, Freshdesk's (:func:`word_scale`):
    one message for every such answer, so that a file's are told once with their count."""
    return Problem(
        span, "happy-rating",
        "the CSAT answers are the ratings of a happy/unhappy scale (Freshdesk's satisfaction ratings), read as: Extremely"
        " or Very unhappy 1, Unhappy 2, Neutral 3, Happy 4, Very or Extremely happy 5",
        "nothing to do; a CSAT of them is the share of happy answers (Happy, Very and Extremely happy), as Freshdesk's is"
        " of its positive ratings: Neutral and every unhappy answer are not satisfied (export the ratings as numbers 1..5"
        " to leave this out)",
        level="warning",
    )


def three_point_problem(span: Span) -> Problem:
    """The note that a file's CSAT answers are read as a helpdesk's 3-point ratings (:func:`word_scale`): one message for
    every such answer, so that a file's are told once with their count."""
    return Problem(
        span, "three-point-rating",
        "the CSAT answers are a 3-point rating's words (Help Scout's Great, Okay, Not Good; Freshdesk's Awesome, Just Okay,"
        " Not Good), read as: Great or Awesome 5, Okay or Just Okay 3, Not Good 1",
        "nothing to do; a CSAT of them is the share of Great (or Awesome) answers, the satisfied ones (export the ratings"
        " as numbers 1..5 to leave this out)",
        level="warning",
    )


def intercom_problem(span: Span) -> Problem:
    """The note that a file's CSAT answers are read as Intercom's conversation ratings (:func:`word_scale`): one
    message for every such answer, so that a file's are told once with their count."""
    return Problem(
        span, "intercom-rating",
        "the CSAT answers are Intercom's conversation ratings, read on its 1..5 scale: Terrible 1, Bad 2, OK 3, Great 4,"
        " Amazing 5",
        "nothing to do; a CSAT of them is the share of Great and Amazing, as of 4 and 5 (export the ratings as their"
        " numbers 1..5 to leave this out)",
        level="warning",
    )


def good_bad_problem(span: Span, touchpoint: str) -> Problem:
    """The note that a Good/Bad rating is read as a CSAT answer (:func:`~journeymap.metrics.good_bad_score`): one
    message for every such answer at a touchpoint, so that a file's are told once with their count."""
    return Problem(
        span, "good-bad-rating",
        f"a Good/Bad rating (Zendesk's satisfaction rating) for '{quoted(touchpoint)}' is read as a CSAT answer, Good as"
        " satisfied (5) and Bad as dissatisfied (1): their CSAT is the share of Good among the rated answers",
        "a rating offered and not given ('Offered') is not counted; to keep Good/Bad ratings apart from 1..5 answers,"
        " give them in a file of their own, at a touchpoint of their own",
        level="warning",
    )


def labelled_score(metric: str, raw: str) -> int | None:
    """The number of an answer written with its scale label (:data:`_LABELLED`, or beside a label's
    words: :data:`_LABEL_WORDS`) when it is on the metric's answer scale, else None. Told only as
    errors, these answers were left out, and they are the scale's ends: an NPS without its
    '10 - Extremely likely' answers lost every 10.

    >>> labelled_score("nps", "10 Extremely likely"), labelled_score("nps", "Not at all likely (0)"), labelled_score("csat", "5 out of 10")
    (10, 0, None)
    """
    written = _LABELLED.fullmatch(raw) or next((m for p in _LABELLED_SPACED if (m := p.fullmatch(raw.strip()))), None)
    if written is None:
        return None
    low, high = RESPONSE_SCALES[metric]
    number = int(written[1])
    return number if low <= number <= high else None


#: An answer written with the top of its scale: '4 out of 5', '9/10', '6 of 7', '4/5 stars'.
_OUT_OF = re.compile(r"([0-9]{1,2})[ \t]*(?:/|out[ \t]+of|of)[ \t]*([0-9]{1,2})(?:[ \t]*(?:stars?|points?|pts?)\.?)?",
                     re.IGNORECASE)
#: An answer written as stars filled then empty, a review widget's '★★★★☆' (a black star or a star emoji, a white star).
_STARS_OF = re.compile("((?:\u2605|\u2b50\ufe0f?)+)(\u2606*)")


def scaled_score(metric: str, raw: str) -> int | None:
    """The number of an answer written with its metric's own scale, its top ('4 out of 5' and '★★★★☆' for a CSAT, '9/10'
    for an NPS), else None: another scale's ('5 out of 10' for a CSAT) is no answer of the metric. Told only as errors,
    these answers were left out: a CSAT export of '4 out of 5' had no answer read.

    >>> scaled_score("csat", "4 out of 5"), scaled_score("nps", "9/10"), scaled_score("csat", "\u2605\u2605\u2605\u2605\u2606"), scaled_score("csat", "5 out of 10")
    (4, 9, 4, None)
    """
    low, high = RESPONSE_SCALES[metric]
    text = raw.strip()
    if (written := _OUT_OF.fullmatch(text)) is not None:
        number = int(written[1])
        return number if int(written[2]) == high and low <= number <= high else None
    if (stars := _STARS_OF.fullmatch(text)) is not None:
        filled = stars[1].count("\u2605") + stars[1].count("\u2b50")
        return filled if filled + len(stars[2]) == high and low <= filled <= high else None
    return None


#: Off-scale answers of one metric that, when more than those on the scale, say the metric was asked on another scale
#: (fewer are typos, told one by one).
ANOTHER_SCALE_FROM = 10
THUMBS_DOWN_FROM = 3
"""The fewest 0s among CSAT answers of only 0 and 1 that make them a thumbs survey (with a twentieth of the answers)."""


def another_scale(
    everyone: dict[tuple[str, str], dict[str | None, list[int]]], off_scale: dict[tuple[str, str], dict[int, int]],
    spans: Mapping[tuple[str, str], Span],
) -> list[tuple[tuple[str, str], Problem]]:
    """The metrics whose answers are mostly whole numbers off their scale (a CSAT asked 0..10), with
    the error that leaves them out: the answers that fit the scale are of that other scale too, and
    a CSAT of them (79 of 200 answers) would be no CSAT; at least :data:`ANOTHER_SCALE_FROM` of them (a
    few are typos). A CSAT answered only 0 and 1 (some 0s) is a thumbs down/up survey: its 1s were
    counted as "very dissatisfied", a CSAT of 0%. ``off_scale``: the answers off the scale per
    score; ``spans``: each metric's first counted answer."""
    found = []
    for key in sorted(k for k in off_scale if k in everyone):
        off, fit = sum(off_scale[key].values()), sum(sum(tally) for tally in everyone[key].values())
        touchpoint, metric = key
        low, high = RESPONSE_SCALES[metric]
        label = BUILTIN[metric].label
        # thumbs: some 0s among only 1s, at least THUMBS_DOWN_FROM of them and a twentieth of the answers (one
        # stray 0 among forty 1s, 'very dissatisfied' on 1..5, read as '98% thumbs up')
        thumbs = off >= THUMBS_DOWN_FROM and off >= 0.05 * (off + fit)
        if (metric == "csat" and thumbs and set(off_scale[key]) == {0}
                and not any(any(tally[1:]) for tally in everyone[key].values())):
            found.append((key, Problem(
                spans[key], "another-scale",
                f"the {off + fit:,} {label} answers for '{touchpoint}' are all 0 or 1 ({off:,} of 0, {fit:,} of 1): a thumbs"
                f" down/up survey, not {low}..{high} answers, so no {label} is computed for '{touchpoint}'",
                f"its share of thumbs up, {fit / (off + fit):.0%} here, is not a CSAT of {low}..{high} answers: give it in"
                f" a metrics table (--metrics) if it stands for CSAT, or leave {metric} out of the file",
            )))
        elif (shift := _choice_codes(metric, off_scale[key], everyone[key].values(), thumbs)) is not None:
            code, none = (high + 1, low) if shift > 0 else (low - 1, high)
            # 0s and no 5 are also what 1..5 answers with their blanks exported as 0 look like (no 5 at a weak
            # touchpoint): adding 1 to those would make each 4 a 5, a CSAT of mostly satisfied answers
            blanks = (f", or {low}..{high} answers whose skipped questions were written as 0 (and none of them {high})"
                      if shift < 0 else "")
            found.append((key, Problem(
                spans[key], "another-scale",
                f"the {off + fit:,} {label} answers for '{touchpoint}' run from {low + shift} to {high + shift}"
                f" ({off_scale[key][code]:,} of {code}, none of {none}): they look like choice codes"
                f" {low + shift}..{high + shift} for the answers {low}..{high}, each one {'higher' if shift > 0 else 'lower'}"
                f" than the answer{blanks}, so no {label} is computed for '{touchpoint}'",
                f"subtract 1 from every answer (in Qualtrics: Recode Values, {low} to {high}, before exporting), or leave"
                f" {metric} out of the file" if shift > 0
                else "if the 0s are questions skipped, write them as empty cells (a blank score is not counted); if the"
                     f" answers are choice codes, add 1 to every answer; or leave {metric} out of the file",
            )))
        elif off > fit and off >= ANOTHER_SCALE_FROM:
            found.append((key, Problem(
                spans[key], "another-scale",
                f"{off:,} of the {off + fit:,} {label} answers for '{touchpoint}' are off the {low}..{high} answer scale:"
                f" the {fit:,} on it {'is' if fit == 1 else 'are'} likely of the same other scale, so no {label} is computed"
                f" for '{touchpoint}'",
                f"convert every answer to {low}..{high}, or leave {metric} out of the file",
            )))
        elif thumbs and metric != "nps" and all(high < score <= high + 5 for score in off_scale[key]):
            # a CSAT asked 1..7 (a 7-point satisfaction scale), most answers at 5 or under: those were read as if on 1..5
            tally = [sum(column) for column in zip(*everyone[key].values(), strict=True)]
            least = low + next((i for i, count in enumerate(tally) if count), 0) if fit else min(off_scale[key])
            found.append((key, Problem(
                spans[key], "another-scale",
                f"the {off + fit:,} {label} answers for '{touchpoint}' run from {least} to {max(off_scale[key])} ({off:,} above"
                f" {high}):"
                f" answers of a longer scale than {label}'s {low}..{high}, so no {label} is computed for '{touchpoint}'",
                f"convert every answer to {low}..{high}, or give that scale's {label} (its share of top answers) in a metrics"
                f" table (--metrics), or leave {metric} out of the file",
            )))
    return found


def _choice_codes(metric: str, off: Mapping[int, int], tallies: Iterable[Sequence[int]], enough: bool) -> int | None:
    """1 when a metric's answers are its scale written one higher (NPS 1..11: 11s, no 0), -1 when one lower (CSAT
    0..4: 0s, no 5), as a form writes the choices' numbers (codes) for the answers; else None. ``off``: the answers
    off the scale per score; ``enough``: there are enough of them (as for a thumbs survey) to tell."""
    if not enough or metric not in ("nps", "csat"):
        return None
    low, high = RESPONSE_SCALES[metric]
    tally = [sum(column) for column in zip(*tallies, strict=True)]
    if set(off) == {high + 1} and not tally[0]:
        return 1
    if low == 1 and set(off) == {low - 1} and not tally[-1]:
        return -1
    return None


def unread_scales(
    everyone: dict[tuple[str, str], dict[str | None, list[int]]], off_scale: dict[tuple[str, str], dict[int, int]],
    words: Mapping[tuple[str, str], Mapping[str, int]], spans: Mapping[tuple[str, str], Span],
    firsts: Mapping[tuple[str, str, str], Span] | None = None,
) -> tuple[list[tuple[tuple[str, str], Problem]], set[str]]:
    """The metrics whose answers are of another scale (:func:`another_scale`, :func:`verbal_scale`), each with its
    error, for an engine to leave out; and the messages of the Good/Bad notes (:func:`good_bad_problem`) those errors
    withdraw: such a touchpoint's Good and Bad answers were not read after all."""
    firsts = firsts or {}
    # each error at the first answer of the other scale (a word, a number off the scale), else the metric's first
    verbal = verbal_scale(everyone, words, {key: firsts.get((*key, "word"), span) for key, span in spans.items()})
    withdrawn = {good_bad_problem(problem.span, key[0]).message for key, problem in verbal}
    off = another_scale(everyone, off_scale, {key: firsts.get((*key, "off"), span) for key, span in spans.items()})
    return [*off, *verbal], withdrawn


#: How :func:`verbal_scale`'s error starts.
VERBAL = "the CSAT answers"
#: A letter: a score written as a word.
_A_WORD = re.compile(r"[^\W\d_]")


def verbal_scale(
    everyone: Mapping[tuple[str, str], object], words: Mapping[tuple[str, str], Mapping[str, int]],
    spans: Mapping[tuple[str, str], Span],
) -> list[tuple[tuple[str, str], Problem]]:
    """The CSATs whose Good/Bad answers, read as satisfied and dissatisfied (Zendesk's ratings), stand among answers
    written as other words (a verbal scale's 'Poor, Fair, Good, Very good, Excellent', where Good is its middle),
    with the error that leaves them out: read alone, the Good answers made a CSAT of 100% of the words that were
    read. ``words``: per touchpoint and metric, the Good/Bad answers read (under '') and the other words by text."""
    found = []
    for key in sorted(k for k in words if k in everyone):
        counted = words[key]
        others = sorted(((text, n) for text, n in counted.items() if text), key=lambda item: (-item[1], item[0]))
        if not counted.get("") or not others:
            continue
        touchpoint, metric = key
        label = BUILTIN[metric].label
        shown = ", ".join(f"'{quoted(text[:30])}'" for text, _n in others[:4]) + (", ..." if len(others) > 4 else "")
        found.append((key, Problem(
            spans[key], "another-scale",
            f"{VERBAL} for '{touchpoint}' are words: {counted['']:,} of Good or Bad among {sum(n for _t, n in others):,}"
            f" of others ({shown}), a verbal scale's, where Good is not surely satisfied (Poor, Fair, Good, Very good,"
            f" Excellent), so no {label} is computed for '{touchpoint}'",
            f"export the answers as their numbers 1..5 (choice numbers, not texts), or leave {metric} out of the file",
        )))
    return found


#: The fewest answers, and the least share of them at the highest answer given, that make answers which stop short
#: of their scale's top a warning (:func:`shorter_scale`).
SHORTER_SCALE_FROM = 30
SHORTER_SCALE_TOP_SHARE = 0.15
#: NPS answers of 1 among at least :data:`SHORTER_SCALE_FROM` with no 0 that make them look asked 1..10 (at least this
#: many, and this share of them): on 0..10 a 0 is at least as likely as a 1, so ten 1s and no 0 happen by chance about
#: once in a thousand (one in 2**10).
ONE_TO_TEN_FROM = 10
ONE_TO_TEN_SHARE = 0.05


def shorter_scale(everyone: Mapping[tuple[str, str], Mapping[str | None, Sequence[int]]],
                  spans: Mapping[tuple[str, str], Span]) -> list[Problem]:
    """A warning for each metric whose answers look asked on a shorter scale than its own: at least
    :data:`SHORTER_SCALE_FROM` answers, none above 5 (or 7) on a longer scale, and that top answer given
    often (:data:`SHORTER_SCALE_TOP_SHARE`), as a ceiling is. A CES asked 1..5 ('5 = very easy') read on
    1..7 made a CES of 4.4 'below the 5 target' without a word, and an NPS asked as 1..5 stars was -100. NPS answers
    with no 0 and many 1s (:data:`ONE_TO_TEN_FROM`) look asked 1..10, and are a warning too."""
    found = []
    for key in sorted(everyone):
        touchpoint, metric = key
        low, high = RESPONSE_SCALES[metric]
        tally = [sum(column) for column in zip(*everyone[key].values(), strict=True)]
        n = sum(tally)
        given = [low + i for i, count in enumerate(tally) if count]
        if n < SHORTER_SCALE_FROM or not given:
            continue
        top = given[-1]
        if top in (5, 7) and top < high and tally[top - low] >= SHORTER_SCALE_TOP_SHARE * n:
            label = BUILTIN[metric].label
            found.append(Problem(
                spans[key], "shorter-scale",
                f"the {n:,} {label} answers for '{touchpoint}' go no higher than {top}, and {tally[top - low]:,} of them are"
                f" {top}: they look asked on a 1..{top} scale, and are read on {label}'s {low}..{high}",
                (f"an NPS is asked on 0..10: if the survey asked 1..{top}, its answers give no NPS, so leave nps out of the"
                 f" file (or name them csat if they are 1..5 satisfaction); if it asked 0..10, no one answered above {top}"
                 if metric == "nps" else
                 f"if the survey asked 1..{top}, convert each answer to {low}..{high} (or leave {metric} out of the file);"
                 f" if it asked {low}..{high}, no one answered above {top}"),
                level="warning",
            ))
        elif metric == "nps" and not tally[0] and tally[1] >= ONE_TO_TEN_FROM and tally[1] >= ONE_TO_TEN_SHARE * n:
            found.append(Problem(
                spans[key], "one-to-ten-scale",
                f"none of the {n:,} NPS answers for '{touchpoint}' is 0, and {tally[1]:,} of them are 1: they look asked"
                " on a 1..10 scale, and are read on NPS's 0..10 (9 and 10 promoters, 1 to 6 detractors)",
                "an NPS is asked on 0..10, where 0 is as common a lowest answer as 1 is here: a 1..10 scale's NPS is not"
                " comparable with one asked 0..10 (ask 0..10, or keep it apart); if the survey asked 0..10, no one answered 0",
                level="warning",
            ))
        elif (mixed := _mixed_scale(touchpoint, metric, everyone[key], spans[key])) is not None:
            found.append(mixed)
    return found


#: The periods a mixed-scale warning names (:func:`_mixed_scale`).
MIXED_PERIODS_SHOWN = 4
#: How unlikely, by the other periods' answers, none of the shorter-looking periods' answers above their top must be for a
#: mixed-scale warning: a 1..7 CES whose 6s and 7s are rare has months without one by chance.
MIXED_SCALE_CHANCE = 0.001


def _mixed_scale(touchpoint: str, metric: str, periods: Mapping[str | None, Sequence[int]], span: Span) -> Problem | None:
    """The warning for a metric whose answers of some periods look asked on a shorter scale (as :func:`shorter_scale`
    tells it of all of them: at least :data:`SHORTER_SCALE_FROM` answers, none above 5 or 7, that top often given) while
    another period's answers go higher: a survey that changed its scale (CES 1..5, then 1..7), whose answers were
    averaged into one value and trend without a word; else None."""
    low, high = RESPONSE_SCALES[metric]
    tops = {label: max(low + i for i, count in enumerate(tally) if count) for label, tally in periods.items()
            if label is not None and any(tally)}
    for top in (5, 7):
        if top >= high:
            continue
        shorter = sorted(label for label in tops if tops[label] <= top)
        higher = sorted(label for label in tops if tops[label] > top)
        if not shorter or not higher:
            continue
        n = sum(sum(periods[label]) for label in shorter)
        at_top = sum(periods[label][top - low] for label in shorter)
        if n < SHORTER_SCALE_FROM or at_top < SHORTER_SCALE_TOP_SHARE * n:
            continue
        # as likely as the other periods' answers make it that none of n is above the top: rarely, when few go above it
        others = [sum(column) for column in zip(*(periods[label] for label in higher), strict=True)]
        if (1 - sum(others[top - low + 1:]) / sum(others)) ** n > MIXED_SCALE_CHANCE:
            continue
        name = BUILTIN[metric].label

        def listed(labels: list[str]) -> str:
            shown = labels[:MIXED_PERIODS_SHOWN]
            words = ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]
            return words if len(labels) <= MIXED_PERIODS_SHOWN else f"{', '.join(shown)} and {len(labels) - len(shown):,} more"

        reach = max(tops[label] for label in higher)
        return Problem(
            span, "mixed-scale",
            f"the {n:,} {name} answers for '{touchpoint}' in {listed(shorter)} go no higher than {top}, and {at_top:,} of them"
            f" are {top}, while those of {listed(higher)} reach {reach}: they look asked on a 1..{top} scale then, and are"
            f" read on {name}'s {low}..{high} with the others, so the {name} and its trend mix two scales",
            f"if the survey asked 1..{top} then, convert those answers to {low}..{high} (or leave those periods out of the file);"
            f" if it asked {low}..{high} throughout, no one answered above {top} then",
            level="warning",
        )
    return None


def _add(periods: dict[str | None, list[int]], label: str | None, tally: list[int]) -> None:
    total = periods.get(label)
    if total is None:
        periods[label] = list(tally)
    else:
        for index, count in enumerate(tally):
            total[index] += count


def sample_of(metric: str, tally: Sequence[int]) -> Sample:
    """The :class:`~journeymap.stats.Sample` of answers counted per score (``tally[i]`` answers of score low + i)."""
    low, _high = RESPONSE_SCALES[metric]
    n = sum(tally)
    if metric == "nps":
        return nps_sample(tally[9] + tally[10], sum(tally[:7]), n)
    if metric == "csat":
        return proportion(tally[3] + tally[4], n)
    total = sum((low + i) * c for i, c in enumerate(tally))
    squares = sum((low + i) ** 2 * c for i, c in enumerate(tally))
    return mean_sample(float(total), float(squares), n)


def _point(
    touchpoint: str,
    metric: str,
    periods: dict[str | None, list[int]],
    source: str,
    span: Span,
    persona: str | None,
) -> DataPoint:
    labelled = sorted((p for p in periods if p is not None), key=period_sort)
    series = tuple(
        DataPoint(touchpoint, metric, (s := sample_of(metric, periods[p])).value, s.n, source, span, p, "responses", s, (), persona)
        for p in labelled
    )
    if series:
        latest = series[-1]
        return DataPoint(touchpoint, metric, latest.value, latest.n, source, span, latest.period, "responses", latest.sample, series, persona)
    sample = sample_of(metric, periods[None])
    return DataPoint(touchpoint, metric, sample.value, sample.n, source, span, None, "responses", sample, (), persona)


def _undated(touchpoint: str, metric: str, tally: list[int], span: Span | None) -> Problem:
    n = sum(tally)
    return Problem(
        span or Span("responses"),
        "no-period",
        f"{n} {BUILTIN[metric].label} answer{'s' * (n != 1)} for '{touchpoint}' {'has' if n == 1 else 'have'} no period"
        " (a date makes one only with --period, and an unreadable one never);"
        f" {'it is' if n == 1 else 'they are'} left out of the series and of the latest period's value",
        "give every row a period, or a date and --period day|week|month|quarter",
        level="warning",
    )


def _period_order(touchpoint: str, metric: str, periods: dict[str | None, list[int]], span: Span) -> Problem | None:
    """A warning when the series' period labels are ordered as text but are not all in one form that
    sorts by date (``Sprint 9`` after ``Sprint 10``; ``2026-9`` and ``Q4 2025`` and ``H1 2026`` are read as 2026-09, 2025-Q4 and 2026-H1): its latest may not be the newest."""
    labels = sorted((p for p in periods if p is not None), key=period_sort)
    if not mixed_period_forms(set(labels)):
        return None
    shown = ", ".join(f"'{label[:20]}'" for label in labels[:4]) + (f" and {len(labels) - 4:,} more" if len(labels) > 4 else "")
    return Problem(
        span,
        "period-order",
        f"the {BUILTIN[metric].label} periods of '{touchpoint}' ({shown}) are not all in one of the forms that sort by"
        f" date, and periods are ordered as text: the latest, '{labels[-1][:20]}', may not be the newest",
        (f"{said[1]}; " if (said := period_label_hint(labels)) else "")
        + "write every period in one form: 2026-Q2, 2026-04 (or Apr 2026), 2026-W14 or 2026-04-02, or give dates and --period",
        level="warning",
    )


#: The form of each ``--period``'s labels, and an example.
_PERIOD_FORM = {
    "day": (re.compile(r"\d{4}-\d{2}-\d{2}"), "2026-04-02"),
    "week": (re.compile(r"\d{4}-W\d{2}"), "2026-W14"),
    "month": (re.compile(r"\d{4}-\d{2}"), "2026-04"),
    "quarter": (re.compile(r"\d{4}-Q[1-4]"), "2026-Q2"),
}


def check_written_period(row: Row, written: str, period: str | None, problems: list[Problem]) -> None:
    """A warning when ``--period`` is given and a row's period column is not in its form: the
    column is used as written (a column of dates named 'period' made each day a period, and the
    value was the last day's)."""
    form = _PERIOD_FORM.get(period or "")
    if form is not None and not form[0].fullmatch(written):
        problems.append(
            Problem(
                row.span("period"),
                "period-as-written",
                f"the period column is used as written, not as a {period}: --period buckets only the date column",
                f"write {period}s like {form[1]} in the period column, or name a column of dates 'date'",
                level="warning",
            )
        )


def _period(row: Row, period: str | None, problems: list[Problem], order: str | None = None) -> str | None:
    """The period label of a row that holds only a comment."""
    return _period_of(row, period, problems, "the comment is in no period", order)[0]


def _period_of(
    row: Row, period: str | None, problems: list[Problem], consequence: str = "the answer is not counted",
    order: str | None = None,
) -> tuple[str | None, bool]:
    """The period label of an answer row, and whether the row may count (False: its period
    column names no one calendar period, an error). ``order``: how the file's date column writes its
    dates with slashes ('day' or 'month' first, :func:`date_order`), None when it does not tell."""
    written = row.cells.get("period", "")
    if written:
        written, why = canonical_period(written)  # 'Q2-2026' is 2026-Q2
        if why is not None:
            problems.append(ambiguous_period_problem(row.span("period"), written, why, consequence))
            return None, False
        if (impossible := impossible_period(written)) is not None:  # '2026-13' sorted after '2026-12': the latest
            problems.append(impossible_period_problem(row.span("period"), written, impossible, consequence))
            return None, False
        check_written_period(row, written, period, problems)
        if (future := future_period(row.span("period"), written, consequence.replace("is not counted", "is in no period"),
                                    "write the period the answer was given in, or leave it empty where it is not known")):
            problems.append(future)
            return None, True
        if (old := old_period(row.span("period"), written, consequence.replace("is not counted", "is in no period"),
                              ANSWERS_SINCE)):
            problems.append(old)
            return None, True
        return written, True
    when = row.cells.get("date", "")
    if not when:
        return None, True
    label = _label(when, period)
    day = slashed_day(when, order) if label is None and order is not None else None
    if day is not None:
        label = period_label(day, period) if period else ""
    in_no_period = consequence.replace("is not counted", "is in no period")  # the answer's, or a comment's alone
    if label is None:
        problems.append(
            placeholder_date(row.span("date"), when, in_no_period)  # a zero date, '0000-00-00'
            or Problem(
                row.span("date"),
                "invalid-date",
                not_a_date(when),
                date_hint(when),
                level="warning",
            )
        )
        return None, True
    if (placeholder := placeholder_date(row.span("date"), when, in_no_period, day, ANSWERS_SINCE)) is not None:
        problems.append(placeholder)
        return None, True
    return label or None, True


#: Dates systems write for "no date": the ends of their calendars, Excel's and Unix's day 0.
_PLACEHOLDER_DAYS = frozenset({date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1), date(1969, 12, 31), date(1970, 1, 1),
                               date(2099, 12, 31)})


_PERIOD_START = re.compile(r"([0-9]{4})(?:-(?:([0-9]{2})(?:-([0-9]{2}))?|W([0-9]{2})|Q([1-4])|H([12])))?")


def period_start(label: str) -> date | None:
    """The first day of a period written in its ISO-like form (``2026-04-02``, ``2026-W14``, ``2026-04``,
    ``2026-Q2``, ``2026-H1``, ``2026``: :func:`canonical_period`'s), or None (another label, or no calendar's)."""
    found = _PERIOD_START.fullmatch(label)
    if found is None:
        return None
    year, month, day, week, quarter, half = found.groups()
    try:
        if week is not None:
            return date.fromisocalendar(int(year), int(week), 1)
        first = int(month) if month is not None else 3 * int(quarter) - 2 if quarter is not None else 6 * int(half) - 5 if half else 1
        return date(int(year), first, int(day) if day is not None else 1)
    except ValueError:
        return None


def future_period(span: Span, label: str, consequence: str, write: str) -> Problem | None:
    """The warning for a period (canonical) that starts after tomorrow in UTC, still to come (2026 typed 2028: one
    answer's or metrics-table row's 2028-Q1 was the latest period, its value the touchpoint's), else None. ``write``:
    what the hint says to write. A month named, 'Jan 2028' or Excel's 'Jan-28', is its ISO month's (it was the latest
    period, unwarned)."""
    from .summary import period_key

    if (start := period_start(period_key(label))) is None or start <= today() + timedelta(days=1):
        return None
    return Problem(span, "future-period", f"the period '{quoted(label, 40)}' starts on {start.isoformat()}, still to come:"
                   f" {consequence}", f"is the year a typo? {write}", level="warning")


def old_period(span: Span, label: str, consequence: str, since: int) -> Problem | None:
    """The warning for a period (canonical) that starts before the year ``since`` (:data:`ANSWERS_SINCE` for a survey
    answer, 1900 for a metrics table's row), a placeholder or a typo as such a date is (:func:`placeholder_date`), else
    None: one answer's ``0001-01`` was a period of its own, unwarned, the first of its series, "over 24300 months"."""
    from .summary import period_key

    if (start := period_start(period_key(label))) is None or start.year >= since:
        return None
    return Problem(span, "placeholder-period", f"the period '{quoted(label, 40)}' starts on {start.isoformat()}, before"
                   f" {since}: a placeholder for no period or a typo, not a period of the data: {consequence}",
                   "is the year a typo? write the period, or leave it empty where it is not known", level="warning")


def today() -> date:
    """Today's date in UTC (a function, for tests to set)."""
    return datetime.now(timezone.utc).date()


#: The first year a survey answer is dated in: an answer dated 1985-06-01 or 1999-12-31 (a default or a typo) was
#: counted into its own period, the series "over 497 months". A metrics table's series may be older (from 1900).
ANSWERS_SINCE = 2000
#: A zero date: Excel's day 0 as Excel shows it, a database's (MySQL's) zero date, with or without a midnight.
_ZERO_DATE = re.compile(r"(?:1900-01-00|0000-00-00)(?:[T ]00:00(?::00(?:\.0+)?)?)?")


def placeholder_date(span: Span, when: str, consequence: str, day: date | None = None, since: int = 1900) -> Problem | None:
    """The warning for a date a system writes for "no date" (``9999-12-31``, ``1900-01-01``,
    ``1970-01-01`` and, west of UTC, ``1969-12-31``; any year from 2100 or before ``since``, 1900 or
    :data:`ANSWERS_SINCE` for a survey answer; a zero date, ``0000-00-00``, ``1900-01-00``, which is no day),
    else None. Read as a date, one answer dated 9999-12-31 was the latest period: its value replaced the journey's,
    "over 95684 months".

    So is a day still to come (after tomorrow in UTC: a day's slack for a date written in a zone ahead of UTC), a
    ``future-date``: one answer dated 2028-03-01 (2026 typed 2028) was the latest period, its value the touchpoint's.
    Its message does not name today, so that a report says the same each day until that day comes."""
    day = day or _date(when)
    if day is None:
        if _ZERO_DATE.fullmatch(when.strip()):
            return Problem(
                span, "placeholder-date",
                f"'{when.strip()[:40]}' is a placeholder for no date (a zero date: Excel's day 0 or a database's"
                f" 0000-00-00), not a day an answer was given: {consequence}",
                "leave the date empty where it is not known",
                level="warning",
            )
        return None
    if day.year < 2100 and day > today() + timedelta(days=1):
        return Problem(
            span, "future-date", f"'{when.strip()[:40]}' is a day still to come: {consequence}",
            "is the year a typo? write the day it was, or leave the date empty where it is not known",
            level="warning",
        )
    if not (day in _PLACEHOLDER_DAYS or day.year >= 2100 or day.year < since):
        return None
    if 1900 <= day.year < since and day not in _PLACEHOLDER_DAYS:
        return Problem(
            span, "placeholder-date",
            f"'{when.strip()[:40]}' is a day before {since}, a placeholder for no date or a typo, not a day an answer"
            f" was given: {consequence}",
            "write the day the answer was given (is the year a typo?), or leave the date empty where it is not known",
            level="warning",
        )
    return Problem(
        span, "placeholder-date",
        f"'{when.strip()[:40]}' is a placeholder for no date, not a day an answer was given: {consequence}",
        "leave the date empty where it is not known",
        level="warning",
    )


def _epoch_date(text: str) -> date | None:
    """The UTC day of a number since 1970 (seconds, milliseconds, microseconds or nanoseconds, told
    apart by size, as event logs' timestamps are: an analytics export's dates), from 1973 on (10^8 s):
    smaller numbers are not taken for dates (an Excel day number, 46173, is told by its hint)."""
    from .engines.rows import NUMBER_PATTERN, seconds_of_number

    if not (text[:1].isdigit() and re.match(NUMBER_PATTERN, text)):
        return None
    number = float(text)
    seconds = seconds_of_number(number) if number >= 1e8 else None
    if seconds is None:
        return None
    return date(1970, 1, 1) + timedelta(days=int(seconds // 86400))


@lru_cache(maxsize=4096)
def _label(when: str, period: str | None) -> str | None:
    """The period label of a date cell ("" without a period); None when it is not a date.
    Cached: a million answers carry a few hundred distinct dates."""
    day = _date(when)
    if day is None:
        return None
    return period_label(day, period) if period else ""


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SPACED_OFFSET = re.compile(r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?) ([+-]\d{2}(?::?\d{2})?)$")
"""A moment with one space before its UTC offset (``2026-09-14 08:31:00.123 -0700``)."""
_SLASHED = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T].*)?")
#: A date with dashes and the year last, '13-04-2026', '4-13-2026 10:15': its day and month are told as with slashes.
_DASHED = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})(?:[ T].*)?")
#: The same with the year in two digits, as Excel's short date format (m/d/yy) saves it: '1/5/26 9:14:03 AM'.
_SLASHED_SHORT = re.compile(r"(\d{1,2})([/.])(\d{1,2})\2(\d{2})(?:[ T].*)?")
#: A date written with dots, read day.month.year: every locale that writes dates with dots and the year last writes
#: the day first (glibc's 298 locales have 63 numeric date formats with dots: 57 day.month.year, as de_DE, de_CH,
#: ru, pl, fi, cs, uk write them; six year first; none month.day.year). Serbian ends it with a dot ('05.01.2026.'),
#: Slovenian spaces it
#: ('5. 1. 2026'); Excel's short date (TT.MM.JJ) writes the year in two digits; a 24-hour time may follow.
_DOTTED = re.compile(r"(\d{1,2})\. ?(\d{1,2})\. ?(\d{4}|\d{2})\.?(?:(?:,? +|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?")
#: A date with dots and its year in four digits, then something else than :data:`_DOTTED`'s time.
_DOTTED_THEN = re.compile(r"(\d{1,2})\. ?(\d{1,2})\. ?(\d{4})\.?(?=[ T,])")
#: The two-digit years read: 00 to 29 are 2000 to 2029 both in Excel (1930-2029) and in POSIX's strptime (1969-2068);
#: other centuries are not guessed.
_TWO_DIGIT_YEARS = range(30)
#: Excel's day numbers (days since 1899-12-30) from 1960 to 2099: a date column saved as General.
_EXCEL_DAYS = range(21916, 73051)


_YEAR_FIRST = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})(?=$|[ T])")
_BASIC = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_MONTH_NAMES = "january february march april may june july august september october november december".split()
_MONTH_NAMED = re.compile(r"(?:([0-9]{1,2})[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+([0-9]{4})|([A-Za-z]{3,9})\.?\s+([0-9]{1,2}),?\s+([0-9]{4}))")


#: A weekday before a date ('Mon Sep 14 2026', 'Monday, 14 September 2026') and a time after it ('8:31 AM', 'at 08:31').
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_AT_TIME = re.compile(r"(?:,?\s+(?:at\s+)?|T)[0-9]{1,2}:[0-9]{2}.*$", re.IGNORECASE | re.DOTALL)


_GMT = re.compile(r"(?:GMT|UTC)([+-])([0-9]{1,2})(?::?([0-9]{2}))?\b")


def _zone_note(text: str) -> str:
    """How a date's zone written as Google Forms writes it ('GMT+1', 'GMT-5:30') is written in ISO 8601.

    >>> _zone_note("2026/09/14 8:31:00 PM GMT+1")
    ' (and a zone is written +01:00, not GMT+1)'
    >>> _zone_note("2026/09/14 8:31:00 PM GMT+25")
    ' (and GMT+25 is no time zone: offsets run from -12:00 to +14:00)'
    """
    zone = _GMT.search(text)
    if zone is None:
        return ""
    if int(zone[2]) > 14 or int(zone[3] or 0) > 59:  # no zone is: 'GMT+25' is no offset to write
        return f" (and {zone[0]} is no time zone: offsets run from -12:00 to +14:00)"
    return f" (and a zone is written {zone[1]}{int(zone[2]):02d}:{zone[3] or '00'}, not {zone[0]})"


def _period_kind(text: str) -> tuple[str, str] | None:
    """The ISO period a date cell names, with its kind (``('2026-01', 'month')``), when it is a month, quarter,
    ISO week or half-year label rather than a day; else None."""
    from .summary import period_key

    label, why = canonical_period(text)
    if why is not None:
        return None
    label = period_key(label)  # 'Sep 2026' is the month 2026-09
    if impossible_period(label) is not None:  # '2026-13' is no month: not told to be one
        return None
    for kind, form in (("a month", r"\d{4}-\d{2}"), ("a quarter", r"\d{4}-Q[1-4]"), ("an ISO week", r"\d{4}-W\d{2}"),
                       ("a half-year", r"\d{4}-H[12]")):
        if re.fullmatch(form, label):
            return label, kind
    return None


_EXCEL_MOMENT = re.compile(r"([0-9]{5})\.([0-9]+)", re.ASCII)


def _excel_day(text: str) -> date | datetime | None:
    """The day (or, with a fraction of a day, the moment) an Excel day number from 1960 to 2099 names, as a date
    or date-time column saved in Excel's General format writes it ('46023', '46023.375': Google Forms' Timestamp),
    else None."""
    if text.isascii() and text.isdigit() and whole_number(text) in _EXCEL_DAYS:
        return date(1899, 12, 30) + timedelta(days=whole_number(text))
    if (moment := _EXCEL_MOMENT.fullmatch(text)) is not None and int(moment[1]) in _EXCEL_DAYS:
        return datetime(1899, 12, 30) + timedelta(minutes=round(float(text) * 1440))  # to the minute: 0.3 of a day is 07:12
    return None


def _dotted(text: str) -> tuple[date | None, str, str] | None:
    """A date cell written with dots (:data:`_DOTTED`), read day first: ``(day, "", "")``, or ``(None, message, what
    the hint adds)`` when it is no day read so; None for a cell not so written (or with a two-digit year whose century
    is not guessed, told as one with slashes is).

    >>> _dotted("5.1.2026")
    (datetime.date(2026, 1, 5), '', '')
    >>> _dotted("31.02.2026")[1:]
    ("'31.02.2026' is not a date", 'a date with dots is day.month.year, and 2026-02 has no day 31')
    """
    found = _DOTTED.fullmatch(text) if text.isascii() else None
    if found is None and text.isascii() and (dated := _DOTTED_THEN.match(text)) is not None:
        # a zone, a 12-hour clock or a word after the time ('05.01.2026 09:14 +01:00', '5.1.2026 um 09:14')
        day, month, year = int(dated[1]), int(dated[2]), int(dated[3])
        if _valid(year, month, day):
            return (None, "a date written day.month.year with a time in another form than hh:mm:ss is not read",
                    f"'{dated.group(0)[:dated.end(3)]}' is {date(year, month, day).isoformat()} (a date with dots is"
                    " day.month.year): write the date alone, or with a 24-hour time after it")
    if found is None or (len(found[3]) == 2 and int(found[3]) not in _TWO_DIGIT_YEARS):
        return None
    day, month, year = int(found[1]), int(found[2]), int(found[3]) + (2000 if len(found[3]) == 2 else 0)
    shown = f"'{text[:40]}' is not a date"
    if month > 12:
        if 1 <= day <= 12 and month <= 31 and _valid(year, day, month):  # a month-first date: a column of them is one warning
            return (None, "a date written with dots whose month would be over 12 is not read (a date with dots is day.month.year)",
                    f"if '{found.group(0)[:found.end(3)]}' is month first, it is {date(year, day, month).isoformat()}")
        return None, shown, f"a date with dots is day.month.year, and there is no month {month}"
    if not _valid(year, month, day):
        return None, shown, f"a date with dots is day.month.year, and {year}-{month:02d} has no day {day}"
    if found[4] is not None and not (int(found[4]) < 24 and int(found[5]) < 60 and int(found[6] or 0) < 60):
        clock = text[found.start(4):]
        return (None, shown, f"'{found.group(0)[:found.end(3)]}' is {date(year, month, day).isoformat()}, but {clock[:20]}"
                " is no time of day")
    return date(year, month, day), "", ""


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


#: A date with slashes and its year in four digits, or in two as Excel's short date (m/d/yy) saves it, then a time or
#: nothing: the cells a date column's order is decided on (:func:`one_way`), by Python and, as this pattern, by DuckDB's
#: SQL over the whole column.
SLASHED_DATE = r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}|[0-9]{2})(?:$|[ T])"
_SLASHED_DATE = re.compile(SLASHED_DATE)
#: A date with slashes as survey tools export it, read once its column's order is known: SurveyMonkey's
#: '04/01/2026 10:15:32 AM', Google Forms' '4/1/2026 10:15:32', a European '13/04/2026'.
_SLASHED_MOMENT = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}|[0-9]{2})(?:[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]{1,9})?)?"
                             r"(?: ?([AaPp][Mm]))?)?")


#: A date with dashes and its year last in four digits, at the start of a cell (Freshdesk's, Dutch and Danish Excel's
#: '13-04-2026 10:20'): read as the same date with slashes (:func:`as_slashed`). With a two-digit year ('13-04-26') it
#: is not: that may be year first.
DASHED_DATE = r"[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}"
_DASHED_START = re.compile(rf"({DASHED_DATE})(?=$|[ T])")


def as_slashed(text: str) -> str:
    """A (stripped) date cell whose date is written with dashes, the year last (:data:`DASHED_DATE`), with slashes for
    its dashes, so that it is read as a date with slashes is; another cell as it is.

    >>> as_slashed("13-04-2026 10:20"), as_slashed("2026-04-13"), as_slashed("13-04-26")
    ('13/04/2026 10:20', '2026-04-13', '13-04-26')
    """
    found = _DASHED_START.match(text) if "-" in text[1:3] else None
    return text if found is None else found[1].replace("-", "/") + text[found.end():]


def dashed(text: str) -> bool:
    """Whether a (stripped) date cell is written with dashes, the year last (:data:`DASHED_DATE`)."""
    return as_slashed(text) != text


def might_be_one_way(cell: str) -> bool:
    """Whether a date cell may be one :func:`one_way` tells: one with slashes, or with dashes after a day or month's one
    or two digits (not ISO 8601's year); a cheap test, before the pattern."""
    return "/" in cell or "-" in cell[1:3]


def one_way(text: str) -> str | None:
    """'day' or 'month' for a date cell with slashes (or dashes, :func:`as_slashed`) that reads only day first
    (``13/04/2026``: no month 13) or only month first (``04/13/2026``); None for another cell, or one that reads both
    ways or neither."""
    found = _SLASHED_DATE.match(as_slashed(text.strip()))
    if found is None or (year := _slashed_year(found[3])) is None:
        return None
    first, second = int(found[1]), int(found[2])
    if first > 12 and second <= 12 and _valid(year, second, first):
        return "day"
    if second > 12 and first <= 12 and _valid(year, first, second):
        return "month"
    return None


@dataclass(frozen=True)
class DateOrder:
    """The order a file's date column writes its dates with slashes in: ``order`` ('day' or 'month', first) as the
    date at ``span`` (``text``) shows, or None when the column writes both orders (``other``: the first of the other)."""

    order: str | None
    span: Span
    text: str
    other: tuple[Span, str] | None = None

    def problem(self) -> Problem:
        texts = [self.text] + ([self.other[1]] if self.other else [])
        written = ("dashes" if all(dashed(t) for t in texts) else "slashes" if not any(dashed(t) for t in texts)
                   else "slashes or dashes")
        if self.order is not None:
            sep = "-" if written == "dashes" else "/"
            form = f"day{sep}month{sep}year" if self.order == "day" else f"month{sep}day{sep}year"
            return Problem(
                self.span, "date-order",
                f"{_date_column()}'s dates with {written} are read {self.order} first ({form}), as line {self.span.line}'s"
                f" '{self.text[:40]}' shows (there is no month {_big_part(self.text)})"
                + ("; a year in two digits is read from 00 to 29, as 2000 to 2029" if _two_digit_year(self.text) else ""),
                "write dates as YYYY-MM-DD (ISO 8601), which reads one way only", level="warning")
        assert self.other is not None
        (month_span, month_text), (day_span, day_text) = sorted(((self.span, self.text), self.other),
                                                                key=lambda side: one_way(side[1]) != "month")
        first, second = sorted((month_span, day_span), key=lambda span: span.line)
        return Problem(
            first, "date-order",
            f"{_date_column()}'s dates with {written} are written month first (line {month_span.line}'s '{month_text[:40]}':"
            f" there is no month {_big_part(month_text)}) and day first (line {day_span.line}'s '{day_text[:40]}': there is"
            f" no month {_big_part(day_text)}): neither order is read, and such dates are in no period",
            "write dates as YYYY-MM-DD (ISO 8601); a file joined from two locales' exports writes both orders",
            related=(second,))


def _date_column() -> str:
    """The date column as the file names it: 'the date column', or the column named for it with --responses-column or
    --metrics-column ('the 'Timestamp' column'), which the file has (it has no 'date')."""
    from .engines.rows import named_columns

    written = named_columns().as_named.get("date")
    return f"the '{quoted(written)}' column" if written else "the date column"


def _slashed_year(written: str) -> int | None:
    """The year of a date with slashes: four digits as written, two from 00 to 29 as 2000 to 2029 (where Excel and POSIX
    agree, as a date with dots); None for another two-digit year, whose century is not guessed."""
    if len(written) == 4:
        return int(written)
    return 2000 + int(written) if int(written) in _TWO_DIGIT_YEARS else None


def _big_part(text: str) -> int:
    """The part over 12 of a date with slashes (or dashes) that reads one way only."""
    found = _SLASHED_DATE.match(as_slashed(text.strip()))
    assert found is not None
    return max(int(found[1]), int(found[2]))


def _two_digit_year(text: str) -> bool:
    found = _SLASHED_DATE.match(text.strip())
    return found is not None and len(found[3]) == 2


def date_order(firsts: Mapping[str, tuple[Span, str]]) -> DateOrder | None:
    """The order of a date column from the first date of each one-way order it holds (:func:`one_way`: 'day' and
    'month' to the place and text of the first such date), or None when it holds neither."""
    if len(firsts) == 2:
        (span, text), other = firsts["month"], firsts["day"]
        return DateOrder(None, span, text, other)
    for order, (span, text) in firsts.items():
        return DateOrder(order, span, text)
    return None


def slashed_day(text: str, order: str) -> date | None:
    """The day of a date cell with slashes (:data:`_SLASHED_MOMENT`) read ``order`` first ('day' or 'month'), a 12-hour
    time after it too; None for another cell, a day that does not exist or a time that is none."""
    found = _SLASHED_MOMENT.fullmatch(as_slashed(text.strip())) if text.isascii() else None
    if found is None or (year := _slashed_year(found[3])) is None:
        return None
    first, second = int(found[1]), int(found[2])
    day, month = (first, second) if order == "day" else (second, first)
    if not _valid(year, month, day):
        return None
    if found[4] is not None:
        hour, minute, second_of = int(found[4]), int(found[5]), int(found[6] or 0)
        hours = range(1, 13) if found[7] else range(24)
        if hour not in hours or minute > 59 or second_of > 59:
            return None
    return date(year, month, day)


def not_a_date(when: str) -> str:
    """The message of a date cell that is not a date. One written in a form a whole column is written in (an Excel
    day number; day/month/year or month/day/year, as a locale's export writes them) names the form, not the
    cell, so that the column is one warning with its count (its hint gives the first cell's date): a US export's
    'Start Date' column was a warning per distinct date, 20 of them and 'N more like the ones above'."""
    text = when.strip()
    if _excel_day(text) is not None:
        return "a date written as an Excel day number is not read"
    if (dotted := _dotted(text)) is not None and dotted[0] is None:
        return dotted[1]
    slashed = _SLASHED.fullmatch(text) if text.isascii() else None
    if slashed is None:
        if text.isascii() and _SLASHED_SHORT.fullmatch(text):  # Excel's m/d/yy, as Microsoft Forms' times are saved
            return "a date written with its year in two digits is not read"
        if (form := _year_first_form(text)) is not None:  # '2026.4.1' ('2026/04/01 1:15:32 PM GMT+2' is read: worded_date)
            if form == "year/month/day":  # a day that exists, and a time or a zone that does not ('13:15 PM', 'GMT+25')
                return f"'{when[:40]}' is not a date: its time or zone is not one"
            return f"a date written {form} is not read"
        if _month_named(text) is not None:  # 'Apr 1, 2026 25:00' ('Apr 1, 2026 10:15 AM' is read: worded_date)
            return f"'{when[:40]}' is not a date: its time or zone is not one"
        return f"'{when[:40]}' is not a date"
    first, second, year = (int(g) for g in slashed.groups())
    sep = text[len(slashed[1])]
    readings: list[date | None] = []
    for d, m in ((first, second), (second, first)):
        try:
            readings.append(date(year, m, d))
        except ValueError:
            readings.append(None)
    day_first, month_first = readings
    if day_first is not None and month_first is not None:
        form = f"day{sep}month{sep}year or month{sep}day{sep}year (either may be meant)"
    elif day_first is not None:
        form = f"day{sep}month{sep}year"
    elif month_first is not None:
        form = f"month{sep}day{sep}year, as a US export writes it,"
    else:
        return f"'{when[:40]}' is not a date"
    return f"a date written {form} is not read"


def _month_named(text: str) -> tuple[str, date] | None:
    """The date a cell writes with its month's English name, and that date: '1 Apr 2026', 'April 1, 2026'; after a
    weekday and before a time too: 'Mon Sep 14 2026', 'September 14, 2026 8:31 AM'. None for another text, or a day
    that does not exist."""
    if not text.isascii():
        return None
    core = _AT_TIME.sub("", _WEEKDAY.sub("", text.strip(), count=1), count=1)
    named = _MONTH_NAMED.fullmatch(core)
    if named is None:
        return None
    day_text, month_text = (named.group(1) or named.group(5)), (named.group(2) or named.group(4))
    month = next((i for i, name in enumerate(_MONTH_NAMES, 1) if name.startswith(month_text.lower())), None)
    if month is None:
        return None
    try:
        return core, date(int(named.group(3) or named.group(6)), month, int(day_text))
    except ValueError:
        return None


def _year_first_form(text: str) -> str | None:
    """The form of a date written year first in another form than ISO 8601's, a day that exists ('2026/04/01', as
    Google Forms' Timestamp writes it, '2026.4.1', '2026-4-1'), as a message names it: 'year/month/day'; else None."""
    written = _YEAR_FIRST.match(text)
    if written is None or (written[2] == "-" and len(written[3]) == len(written[4]) == 2):
        return None
    try:
        date(int(written[1]), int(written[3]), int(written[4]))
    except ValueError:
        return None
    sep = written[2]
    return f"year{sep}month{sep}day"


_EITHER_WAY = re.compile(r"'([^']+)' may be (\S+) \(day first\) or (\S+) \(month first\)")


def date_order_notes(problems: list[Problem]) -> list[Problem]:
    """``problems`` with the order a file's other dates show added to the hint of its dates that read both ways: a US
    export's '8/1/2026' may be 1 August or 8 January, but its '3/19/2026' has no month 19, so the file writes month
    first. (Not read so: each date is still told, never guessed; the hint says what it is if the file is consistent.)"""
    from dataclasses import replace

    orders: dict[str, dict[str, Problem]] = {}
    for problem in problems:
        if problem.code == "invalid-date" and problem.message.startswith("a date written "):
            form = problem.message[len("a date written "):]
            for order in ("month", "day"):
                if form.startswith(order) and not form.split(" is not read")[0].count(" or "):
                    orders.setdefault(problem.span.file, {}).setdefault(order, problem)
    told = []
    for problem in problems:
        known = orders.get(problem.span.file, {})
        either = _EITHER_WAY.search(problem.hint or "") if problem.code == "invalid-date" and len(known) == 1 else None
        if either is not None:
            order, other = next(iter(known.items()))
            example = _EITHER_WAY_SHOWN.search(other.hint or "")
            meant = either[3] if order == "month" else either[2]
            problem = replace(problem, hint=f"{problem.hint}; the file's other dates are written {order} first"
                              f"{f' ({example[1]}, line {other.span.line})' if example else f' (line {other.span.line})'}:"
                              f" if these are too, '{either[1]}' is {meant}")
        told.append(problem)
    return told


_EITHER_WAY_SHOWN = re.compile(r"; ('[^']+' is \S+)$")


def date_hint(text: str) -> str:
    """What to write instead of a date cell that is not a date (:func:`_date_hint`), or else what an event log's
    timestamp written so is told (:func:`~journeymap.data.engines.rows.iso_form`: '2026-02-30', '2026-09-14 8:31 PM',
    a zone's name, thousands separators, Excel's ="..." formula): those were told only "write dates as YYYY-MM-DD"."""
    told = _date_hint(text)
    if told == _PLAIN_DATE_HINT and len(text) <= 80:
        from .engines.rows import iso_form

        if (form := iso_form(text.strip())) is not None:
            return f"{told}; {form}"
    return told


_PLAIN_DATE_HINT = "write dates as YYYY-MM-DD (ISO 8601)"


def _date_hint(text: str) -> str:
    """What to write instead of a date cell that is not a date: the date it would be when that
    can be told (an Excel day number, day/month/year with a day over 12), else the form.

    >>> date_hint("46173")
    'write dates as YYYY-MM-DD (ISO 8601); 46173 looks like an Excel day number (2026-05-31): format the column as yyyy-mm-dd before saving'
    """
    plain = "write dates as YYYY-MM-DD (ISO 8601)"
    text = text.strip()
    if (two := _NAMED_DAY.fullmatch(text)) is not None and two[3] is not None and len(two[3]) == 2 \
            and int(two[3]) not in _TWO_DIGIT_YEARS:  # Excel's d-mmm-yy of a year it does not read as 20yy
        return (f"{plain}; write the year whole (is '{two[3]}' 19{two[3]} or 20{two[3]}?): a two-digit year is"
                " read from 00 to 29 only, as 2000 to 2029")
    if (dotted := _dotted(text)) is not None:
        return f"{plain}; {dotted[2]}" if dotted[2] else plain
    if not _DATE.match(text) and (period := _period_kind(text)) is not None:  # a BI tool's 'Month' column named date
        return (f"'{text}' is {period[1]}{f' ({period[0]})' if period[0] != text else ''}, not a day: name the column"
                " 'period', where such labels are read")
    if (yearless := day_without_year(text)) is not None:  # Excel's d-mmm, '26-Jan': no year to place it in
        return f"{plain}; '{text}' is {yearless} without its year, as Excel's d-mmm format shows a date: format the column as yyyy-mm-dd before saving"
    from .engines.rows import _ZONE_ID, _offset_in

    if (zoned := _ZONE_ID.fullmatch(text)) is not None and (offset := _offset_in(zoned[1], zoned[2])) is not None:
        # a time with its zone's IANA name, as Java and pandas export it: the offset at that time (+01:00 in
        # winter, +02:00 in summer in Europe/Berlin) says the moment, and the UTC day its answer falls in
        moment = f"{zoned[1].replace(' ', 'T', 1)}{offset}"
        day = _date(moment)
        if day is not None:
            return (f"write the zone as its offset from UTC at that time, right after the time: {moment};"
                    f" its answer's day is then its UTC day, {day.isoformat()}")
    if (excel := _excel_day(text)) is not None:
        if isinstance(excel, date) and not isinstance(excel, datetime):
            return f"{plain}; {text} looks like an Excel day number ({excel.isoformat()}): format the column as yyyy-mm-dd before saving"
        return (f"{plain}; {text} looks like an Excel day number and time ({excel.isoformat(sep=' ', timespec='minutes')}):"
                " format the column as yyyy-mm-dd hh:mm before saving")
    if text.isascii() and (basic := _BASIC.fullmatch(text)) is not None:  # ISO 8601's basic form: 20260201
        try:
            day = date(int(basic.group(1)), int(basic.group(2)), int(basic.group(3)))
        except ValueError:
            return plain
        return f"'{text}' is {day.isoformat()} in ISO 8601's basic form: write dates in its extended form, YYYY-MM-DD"
    if text.isascii() and (ymd := _YEAR_FIRST.match(text)) is not None:  # 2026/04/01 (Google Forms), 2026.04.01, 2026-4-1
        if ymd.group(2) == "-" and _DATE.match(text):
            return plain  # YYYY-MM-DD already: its day or its time is what is wrong
        try:
            day = date(int(ymd.group(1)), int(ymd.group(3)), int(ymd.group(4)))
        except ValueError:
            return plain
        return f"{plain}; '{ymd.group(0).strip()}' is {day.isoformat()}" + _zone_note(text)
    if (named := _month_named(text)) is not None:
        return f"{plain}; '{named[0]}' is {named[1].isoformat()}"
    core = _AT_TIME.sub("", _WEEKDAY.sub("", text, count=1), count=1) if text.isascii() else text
    if text.isascii() and _MONTH_NAMED.fullmatch(core) is not None:
        return plain
    # with dashes, as Dutch and Danish Excel and some helpdesks (Freshdesk) write them: '13-04-2026' was told only the form
    match = (_SLASHED.fullmatch(text) or _DASHED.fullmatch(text)) if text.isascii() else None
    if match is None:
        if text.isascii() and (short := _SLASHED_SHORT.fullmatch(text)) is not None:
            written = short.group(0)[: short.end(4)]
            return f"{plain}, the year in four digits ('{written}' has two, whose century is not guessed)"
        return plain
    first, second, year = (int(g) for g in match.groups())
    readings = []
    for day_first in (True, False):
        d, m = (first, second) if day_first else (second, first)
        try:
            readings.append(date(year, m, d).isoformat())
        except ValueError:
            continue
    shown = match.group(0)[: match.end(3)]
    if not readings and (month := next((m for m in (second, first) if 1 <= m <= 12), None)) is not None:
        past = first if month == second else second
        if 1 <= past <= 31:  # a day past its month's end, either way ('31/02/2026'): it was told to be written 2026-02-31
            return f"{plain}; '{shown}' is no day, day first or month first: {year}-{month:02d} has no day {past}"
    if len(readings) == 2 and readings[0] != readings[1]:
        return f"{plain}; '{shown}' may be {readings[0]} (day first) or {readings[1]} (month first)"
    return f"{plain}; '{shown}' is {readings[0]}" if readings else plain


#: A time's fraction of seconds, after a dot or a comma, and a UTC offset at its end, without its colon or its minutes.
_FRACTION = re.compile(r"(:\d{2})[.,](\d+)")
_SHORT_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})?$")


def _as_python_310_reads(time: str) -> str:
    """A moment's time (after its day) as Python 3.10's ``datetime.fromisoformat`` reads it, as 3.11's reads more:
    its fraction in six digits (Spark's nine, '.5', '08:31:00,25') and its offset with a colon and minutes ('-0700',
    Snowflake's; '+02'). The same moment on 3.11, and on 3.10 no invalid date."""
    time = _FRACTION.sub(lambda m: f"{m[1]}.{(m[2] + '000000')[:6]}", time, count=1)
    return _SHORT_OFFSET.sub(lambda m: f"{m[1]}{m[2]}:{m[3] or '00'}", time, count=1)


#: A time after a day written with slashes year first or with its month's name: 24-hour, or 12-hour with AM or PM, seconds
#: optional, and a zone as Google Forms writes it ('GMT+2', 'GMT-5:30', 'GMT'; 'UTC' too), or none (UTC, as an ISO
#: moment's). Groups: hour, minute, second, AM/PM, the zone's sign, hours and minutes.
_CLOCK_AFTER = (r"(?:,? +(?:at +)?([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))? ?([AaPp][Mm])?"
                # (JavaScript's Date writes the zone's name after its offset: 'GMT+0200 (Central European Summer Time)')
                r"(?: +(?:GMT|UTC)(?:([+-])([0-9]{1,2})(?::?([0-9]{2}))?)?(?: \([A-Za-z .'-]+\))?)?)?")
#: Google Forms' downloaded timestamp, '2026/04/02 10:15:32 AM GMT+2': a day with slashes, year first (no locale writes
#: year, day, month).
_YEAR_SLASHED = re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})" + _CLOCK_AFTER)
#: A date with its month's English name, after a weekday or not: 'Apr 2, 2026', '2 April 2026', '2-Apr-2026' (Excel's
#: '2-Apr-26' too, its year from 00 to 29), 'Thursday,
#: April 2, 2026 10:15 AM', 'April 2nd, 2026', JavaScript's 'Thu Apr 02 2026 10:15:32 GMT+0200 (Central European Summer Time)'.
_NAMED_DAY = re.compile(r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? +)?"
                        r"(?:([0-9]{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]{3,9})\.?,?[ -]([0-9]{4}|[0-9]{2})"
                        r"|([A-Za-z]{3,9})\.? ([0-9]{1,2})(?:st|nd|rd|th)?,? ([0-9]{4}))"
                        + _CLOCK_AFTER, re.IGNORECASE)


#: An ISO day with a 12-hour time after it: the day, the hour.
_ISO_TWELVE_HOUR = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{1,2}):[0-5][0-9](?::[0-5][0-9](?:[.,][0-9]{1,9})?)? ?[AaPp][Mm]")
#: The start of a date written day first with its month's name ('2 April 2026', '12-Apr-2026', '2nd April 2026').
_DAY_FIRST = re.compile(r"[0-9]{1,2}(?:st|nd|rd|th)?[ -]", re.IGNORECASE)


def worded_date(text: str) -> date | None:
    """The (UTC) day of a date written year first with slashes, as Google Forms' download writes its timestamp ('2026/04/02
    10:15:32 AM GMT+2'), or with its month's English name ('Apr 2, 2026', '2 April 2026', 'April 2, 2026 10:15 AM'):
    none of them is ambiguous. A time without a zone is UTC's, as an ISO moment's; None for another text, a day, time or
    zone that does not exist ('Feb 30', '13:15 PM', 'GMT+25').

    >>> worded_date("2026/04/30 11:15:32 PM GMT-5"), worded_date("1 May 2026"), worded_date("Sept 31, 2026")
    (datetime.date(2026, 5, 1), datetime.date(2026, 5, 1), None)
    """
    if not text.isascii():
        return None
    if (found := _YEAR_SLASHED.fullmatch(text)) is not None:
        year, month, day, clock = int(found[1]), int(found[2]), int(found[3]), list(found.groups()[3:])
    elif (found := _NAMED_DAY.fullmatch(text)) is not None:
        name = (found[2] or found[4]).lower()
        named = next((i for i, month_name in enumerate(_MONTH_NAMES, 1) if month_name.startswith(name)), None)
        if named is None:
            return None
        year, month, day, clock = int(found[3] or found[6]), named, int(found[1] or found[5]), list(found.groups()[6:])
        if found[3] is not None and len(found[3]) == 2:  # Excel's d-mmm-yy ('2-Apr-26'), Oracle's '02-APR-26'
            if year not in _TWO_DIGIT_YEARS:  # 00 to 29, 2000 to 2029, where Excel and POSIX agree; another is not guessed
                return None
            year += 2000
    else:
        return None
    hour_text, minute, second, half, sign, zone_hours, zone_minutes = clock
    hour = int(hour_text or 0)
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.upper() == "PM" else 0)
    offset = 0
    if sign is not None:
        if int(zone_hours) > 14 or int(zone_minutes or 0) > 59:
            return None
        offset = (1 if sign == "+" else -1) * (int(zone_hours) * 60 + int(zone_minutes or 0))
    try:
        moment = datetime(year, month, day, hour, int(minute or 0), int(second or 0))
        return (moment - timedelta(minutes=offset)).date()
    except (ValueError, OverflowError):
        return None


@lru_cache(maxsize=4096)
def _date(text: str) -> date | None:
    """The day of a date cell, or None. Cached, as :func:`_label` is: the placeholder check asks again
    for each distinct combination of cells (25,000 of them for a million answers over 168 days)."""
    text = text.strip()
    if text[-4:].upper() == " UTC":  # as BigQuery writes a timestamp
        text = text[:-4]
    text = _SPACED_OFFSET.sub(r"\1\2", text)  # as Snowflake and Ruby write one, and event logs read it
    if not _DATE.match(text):
        if (dotted := _dotted(text)) is not None:  # day.month.year, as every locale writing dates with dots does
            return dotted[0]
        if text[:1].isalpha() or text[4:5] == "/" or _DAY_FIRST.match(text):
            worded = worded_date(text)  # Google Forms' '2026/04/02 10:15:32 AM GMT+2', 'Apr 2, 2026', '2 April 2026'
            if worded is not None:
                return worded
        return _epoch_date(text)
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        if text[-1:] in "Mm" and (twelve := _ISO_TWELVE_HOUR.fullmatch(text)) is not None:
            # '2026-04-02 10:15:32 PM', as SQL Server's and some spreadsheets' exports write it: no zone, so the day's
            return date.fromisoformat(twelve[1]) if 1 <= int(twelve[2]) <= 12 else None
        if text[-1:] == "z":  # '2026-04-02t10:15:32z', ISO 8601 in lower case (Python reads the 't', not the 'z')
            text = text[:-1] + "Z"
        moment = datetime.fromisoformat(text[:10] + _as_python_310_reads(text[10:].replace("Z", "+00:00")))
        # a moment with a zone falls in its UTC day (as a Parquet TIMESTAMPTZ does, and an event log's days)
        return (moment.astimezone(timezone.utc) if moment.tzinfo is not None else moment).date()
    except (ValueError, OverflowError):
        return None
