"""The optional columns of a metrics-table row that give its value an interval.

A row ``touchpoint,metric,value,n`` is a summary of ``n`` answers. What else
an interval needs depends on the metric (:func:`journeymap.stats.summary_sample`):

- a share (CSAT, churn, retention, drop-off, any 0..1 metric): nothing more;
- NPS: ``promoters`` and ``detractors``, the shares of answers scoring 9-10 and
  0-6 (``45%`` or ``0.45``); they must agree with the value to within a point
  (NPS = 100 x (promoters - detractors), rounding allowed);
- a mean (CES, sentiment, response time, CLV, ...): ``sd``, the standard
  deviation of one answer, on the metric's own scale (``1.2``; ``90s`` for a
  duration).

A cell that cannot be read is an error and the row is skipped (like a bad
``n``); a column that does not apply to the row's metric is a warning and is
ignored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from ..metrics import MetricSpec, MetricValueError, parse_value, separator_hint
from ..problems import Problem, Span
from ..stats import Sample, summary_sample
from . import DataPoint

COLUMNS = ("sd", "promoters", "detractors")

#: The largest value, sd or n a data file may give (1,000 trillion: 31 million years in seconds).
#: Beyond it no measurement is meant (a pasted ID, ``1e300``), and the squares the intervals and
#: trends take overflow: ``sd`` 1e200 or a value of 1e300 stopped the report with an internal error.
LARGEST = 1e15


def too_large(what: str, raw: str) -> str:
    """The message for a number beyond :data:`LARGEST` (cut: never a 300-digit number in a message)."""
    shown = raw.strip() if len(raw.strip()) <= 24 else f"{raw.strip()[:12]}… ({len(raw.strip())} characters)"
    return f"{what} '{shown}' is too large: journeymap reads numbers up to 1e15 (1,000,000,000,000,000)"

_SHARE = MetricSpec("share", "share", 0.0, 1.0, None, kind="fraction")


def row_sample(
    spec: MetricSpec,
    value: float,
    n: int | None,
    cell: Callable[[str], str],
    span: Callable[[str], Span],
    problems: list[Problem],
) -> tuple[bool, Sample | None]:
    """Whether the row's summary cells are good (a problem for each bad one: skip the row), and
    the sample behind its value (None when the row says too little for one)."""
    raw_sd, raw_plus, raw_minus = cell("sd"), cell("promoters"), cell("detractors")
    ok = True
    sd: float | None = None
    promoters: float | None = None
    detractors: float | None = None
    proportion = spec.kind == "fraction" or (spec.low == 0 and spec.high == 1)
    if raw_sd:
        if spec.name == "nps" or proportion or spec.kind == "count" or spec.better is None:
            problems.append(
                Problem(
                    span("sd"),
                    "ignored-cell",
                    f"sd is not used for {spec.label}: {_why_not_sd(spec, proportion)}; it is ignored",
                    level="warning",
                )
            )
        else:
            sd_spec = replace(spec, label=f"{spec.label} sd", low=0.0, high=None)
            try:
                sd = parse_value(sd_spec, raw_sd)
            except MetricValueError as exc:
                problems.append(Problem(span("sd"), "invalid-sd", str(exc),
                                        separator_hint(raw_sd) or "sd is the standard deviation of one answer, >= 0"))
                ok = False
            else:
                if sd > LARGEST:
                    problems.append(Problem(span("sd"), "invalid-sd", too_large(f"{spec.label} sd", raw_sd),
                                            "sd is the standard deviation of one answer, >= 0"))
                    ok = False
                elif (most := largest_sd(spec, value, n)) is not None and sd > most * (1 + 1e-9) + 0.005:
                    # A variance written as the sd, or an sd in another unit: its interval would be far too wide.
                    problems.append(Problem(
                        span("sd"), "invalid-sd",
                        f"{spec.label} sd {raw_sd.strip()} is more than {n:,} answers on the {spec.low:g}..{spec.high:g}"
                        f" scale with a mean of {value:g} can have (at most {most:.3g})",
                        "sd is the standard deviation of one answer, on the metric's scale (not its variance)"))
                    ok = False
                elif (least := least_sd(spec, value, n, cell("value"))) is not None and sd < least - 0.005:
                    # sd 0 beside a mean of 4.8: no whole-number answers have it (a blank exported as 0),
                    # and the report said "every answer is the same".
                    problems.append(Problem(
                        span("sd"), "invalid-sd",
                        f"{spec.label} sd {raw_sd.strip()} is less than {n:,} whole-number answers on the {spec.low:g}..{spec.high:g}"
                        f" scale with a mean of {cell('value').strip()} can have (at least {least:.3g})",
                        ("an sd of 0 means every answer is the same, so the mean would be a whole number; leave sd empty"
                         " where it is not known" if sd == 0 else
                         "sd is the standard deviation of one answer, on the metric's scale")))
                    ok = False
    if raw_plus or raw_minus:
        if spec.name != "nps":
            column = "promoters" if raw_plus else "detractors"
            problems.append(
                Problem(
                    span(column),
                    "ignored-cell",
                    f"{column} is used for NPS only, not for {spec.label}; it is ignored",
                    level="warning",
                )
            )
        elif not (raw_plus and raw_minus):
            missing = "detractors" if raw_plus else "promoters"
            problems.append(
                Problem(
                    span("promoters" if raw_plus else "detractors"),
                    "invalid-share",
                    f"NPS {missing} share is blank: an interval needs both promoters and detractors",
                    "give both shares, or neither",
                )
            )
            ok = False
        else:
            shares: list[float] = []
            for column, raw in (("promoters", raw_plus), ("detractors", raw_minus)):
                try:
                    shares.append(parse_value(replace(_SHARE, label=f"NPS {column} share"), raw))
                except MetricValueError as exc:
                    problems.append(Problem(span(column), "invalid-share", str(exc), separator_hint(raw)
                                            or _meant_share(column, raw, raw_plus, raw_minus, value, n) or "write a share like 45% or 0.45"))
                    ok = False
            if len(shares) == 2:
                promoters, detractors = shares
                if promoters + detractors > 1 + 1e-9:
                    problems.append(
                        Problem(
                            span("promoters"),
                            "invalid-share",
                            f"NPS promoters {promoters:.0%} and detractors {detractors:.0%} add up to more than 100%",
                        )
                    )
                    ok = False
                elif abs(100 * (promoters - detractors) - value) > 1 + 1e-9:
                    problems.append(
                        Problem(
                            span("promoters"),
                            "invalid-share",
                            f"NPS {value:+g} does not match promoters {promoters:.0%} minus detractors"
                            f" {detractors:.0%} ({100 * (promoters - detractors):+.0f})",
                            "NPS = % promoters - % detractors; check the row",
                        )
                    )
                    ok = False
    if not ok:
        return False, None
    return True, summary_sample(spec, value, n, sd=sd, promoters=promoters, detractors=detractors)[0]


def _meant_share(column: str, raw: str, raw_plus: str, raw_minus: str, value: float, n: int | None) -> str | None:
    """What a promoters or detractors cell off the 0..1 scale means when the row's NPS tells: both cells
    as percentages without their sign (55 and 20 beside +35), or as counts of the n answers (220 and 80
    of 400, as a dashboard's table gives them); else None. Both were told only 'write a share like 45%'."""
    try:
        plus, minus, own = float(raw_plus), float(raw_minus), float(raw)
    except ValueError:
        return None
    for whole in (100.0, float(n or 0)):
        if whole <= 1 or not math.isfinite(plus + minus):
            continue
        share_plus, share_minus = plus / whole, minus / whole
        if (0 <= share_plus <= 1 and 0 <= share_minus <= 1 and share_plus + share_minus <= 1 + 1e-9
                and abs(100 * (share_plus - share_minus) - value) <= 1 + 1e-9):
            share = f"{round(100 * own / whole, 2):g}%"
            if whole == 100:
                return f"did you mean {share}? ({raw_plus}% promoters less {raw_minus}% detractors is the row's NPS, {value:+g})"
            return (f"{raw.strip()} looks like the number of {column}: {raw.strip()} of n={int(whole):,} answers is {share};"
                    f" write {share}")
    return None


def largest_sd(spec: MetricSpec, mean: float, n: int | None) -> float | None:
    """The largest sample standard deviation ``n`` answers on the metric's closed scale with this
    ``mean`` can have (Bhatia and Davis: the variance is at most (high - mean)(mean - low); the
    sample sd divides by n - 1), or None where nothing bounds it (an open scale, no n)."""
    if spec.low is None or spec.high is None or n is None or n < 2 or not spec.low <= mean <= spec.high:
        return None
    return math.sqrt((spec.high - mean) * (mean - spec.low) * n / (n - 1))


#: Metrics answered in whole numbers on their scale, whose mean bounds the least sd of n answers.
WHOLE_ANSWERS = ("ces",)
_DECIMALS = re.compile(r"[-+]?[0-9]*(?:\.([0-9]*))?")


def least_sd(spec: MetricSpec, mean: float, n: int | None, written: str) -> float | None:
    """The least sample standard deviation ``n`` whole-number answers (CES on 1..7) can have with a
    mean written ``written`` (``4.8``: any mean that rounds to it, 4.75 to 4.85): the answers
    nearest the mean, the whole numbers either side of it, in the shares that give it. None where
    nothing bounds it (another metric, no n, a mean that may be a whole number: then sd 0 is possible)."""
    if spec.name not in WHOLE_ANSWERS or n is None or n < 2 or spec.low is None or spec.high is None:
        return None
    if not spec.low <= mean <= spec.high or (shape := _DECIMALS.fullmatch(written.strip())) is None:
        return None
    half = 0.5 * 10.0 ** -len(shape.group(1) or "")
    low, high = mean - half, mean + half
    if math.floor(low) != math.floor(high) or float(low).is_integer():
        return None  # a whole number lies within the rounding of the mean
    whole = math.floor(low)
    spread = min((x - whole) * (1 - (x - whole)) for x in (low, high))
    return math.sqrt(spread * n / (n - 1))


def _why_not_sd(spec: MetricSpec, proportion: bool) -> str:
    if spec.name == "nps":
        return "an NPS interval comes from n and the promoters and detractors shares"
    if proportion:
        return "a share's interval comes from n alone"
    return "it is not an estimate from answers"


# -- dated rows: one value per period -----------------------------------------------


def date_period(raw: str, period: str | None) -> str | None:
    """The period a table row's ``date`` falls in: ``--period``'s bucket (``2026-04``), or the
    day itself (``2026-04-02``) without one; None when the cell is not a date."""
    from .responses import _date, period_label

    day = _date(raw)
    if day is None:
        return None
    return period_label(day, period or "day")


#: The warning for a metrics-table row whose n is 0, as read; pooled with rows of its period that
#: have answers, the row weighs nothing, and the warning says so instead (:func:`_pooled`).
NO_ANSWERS_KEPT = "n is 0: the value rests on no answers; it is kept, as low confidence"


def pool_periods(points: list[DataPoint], dated: dict[int, str], problems: list[Problem]) -> list[DataPoint]:
    """Rows whose ``date`` falls in the same period (and touchpoint, metric, persona) become one
    value: weighted by ``n`` when every row has one (their answers pooled: shares, NPS shares,
    means and the variance within and between the rows), else a plain mean without ``n`` (a
    warning says so). ``dated`` maps a row's index to its date as written. The same date twice
    (and touchpoint, metric, persona) is a ``duplicate-row``: the later row is used, as for a
    period written twice, and pooled with the period's other rows."""
    groups: dict[tuple[str, str, str | None, str | None], list[int]] = {}
    for index in dated:
        p = points[index]
        groups.setdefault((p.touchpoint, p.metric, p.persona, p.period), []).append(index)
    replaced: dict[int, DataPoint | None] = {}
    for members in groups.values():
        by_date: dict[str, int] = {}
        for index in members:
            earlier = by_date.get(dated[index])
            if earlier is not None:
                point = points[index]
                who = f" (persona {point.persona})" if point.persona else ""
                problems.append(Problem(
                    point.span, "duplicate-row",
                    f"a second row for '{point.touchpoint}' / {point.metric}{who} on {dated[index]}"
                    f" (the first is at {points[earlier].span}); this later row is used",
                    "keep one row per touchpoint, metric and date", related=(points[earlier].span,),
                ))
                replaced[earlier] = None
            by_date[dated[index]] = index
        kept = list(by_date.values())
        if len(kept) < 2:
            continue
        kept.sort()
        replaced[kept[0]] = _pooled([points[i] for i in kept], problems)
        replaced.update((i, None) for i in kept[1:])
    if not replaced:
        return points
    out: list[DataPoint] = []
    for index, point in enumerate(points):
        if index not in replaced:
            out.append(point)
        elif (pooled := replaced[index]) is not None:
            out.append(pooled)
    return out


def _pooled(rows: list[DataPoint], problems: list[Problem]) -> DataPoint:
    from dataclasses import replace as with_fields

    first = rows[0]
    counts = [r.n for r in rows]
    if any(n is None for n in counts) or not sum(n or 0 for n in counts):
        problems.append(
            Problem(
                first.span,
                "unweighted-period",
                "rows whose dates fall in one period are averaged without weights: "
                + ("not every row has n" if any(n is None for n in counts) else "every row's n is 0"),
                "give every row its n, so that larger samples count for more",
                level="warning",
            )
        )
        # Rows that all say n 0 rest on no answers together, as one such row alone does (kept, low
        # confidence): an n of None made CSAT 40% of no answers a target miss and a period with data.
        none = all(n == 0 for n in counts)
        return with_fields(first, value=math.fsum(r.value for r in rows) / len(rows), n=0 if none else None, sample=None)
    ns = [n or 0 for n in counts]
    total = sum(ns)
    # A row of no answers weighs nothing among rows with answers: it is left out of the pool, and its
    # warning, "it is kept, as low confidence", said what happens to it alone, not here.
    for row, n in zip(rows, ns, strict=True):
        if n == 0:
            _left_out_of_pool(row, problems)
    value = math.fsum(n * r.value for n, r in zip(ns, rows, strict=True)) / total
    # A row of no answers adds nothing at all, of any kind: it has no sample, and kept among the
    # samples it took away the period's (CSAT 90% then 60% on 400 answers each was "not tested", a
    # pooled NPS with its shares had "no 95% CI: ... needs its promoter and detractor shares").
    ns, rows = [n for n in ns if n], [r for n, r in zip(ns, rows, strict=True) if n]
    samples = [r.sample for r in rows]
    if {s.kind for s in samples if s is not None} == {"mean"}:
        # A row of one answer has no sample of its own (no sd can be estimated from it), but its
        # answer is known: it adds nothing within rows and its distance from the mean between them.
        # (Without this, one such row took the interval of a month of thousands of answers with their sd.)
        samples = [Sample("mean", 1, r.value, 0.0) if n == 1 and (s is None or math.isnan(s.variance)) else s
                   for n, r, s in zip(ns, rows, samples, strict=True)]
    sample: Sample | None = None
    if all(s is not None for s in samples):
        kinds = {s.kind for s in samples if s is not None}
        if kinds == {"proportion"}:
            sample = Sample("proportion", total, value, value * (1 - value))
        elif kinds == {"nps"}:
            d = value / 100
            if all(s is not None and s.exact for s in samples):
                # p+ + p- of each row from its variance, pooled over the answers
                either = math.fsum(n * (s.variance / 10000 + (s.value / 100) ** 2) for n, s in zip(ns, samples, strict=True) if s) / total
                sample = Sample("nps", total, value, 10000.0 * max(0.0, either - d * d))
            else:
                sample = Sample("nps", total, value, 10000.0 * max(0.0, 1 - d * d), exact=False)
        elif kinds == {"mean"} and total > 1 and all(s is not None and not math.isnan(s.variance) for s in samples):
            within = math.fsum((n - 1) * s.variance for n, s in zip(ns, samples, strict=True) if s)
            between = math.fsum(n * (s.value - value) ** 2 for n, s in zip(ns, samples, strict=True) if s)
            sample = Sample("mean", total, value, (within + between) / (total - 1))
    return with_fields(first, value=value, n=total, sample=sample)


def _left_out_of_pool(row: DataPoint, problems: list[Problem]) -> None:
    """Say of a row of n 0 pooled with rows that have answers that it is left out of its period's value."""
    for index, problem in enumerate(problems):
        if (problem.code == "invalid-count" and problem.message == NO_ANSWERS_KEPT and problem.span.file == row.span.file
                and problem.span.line == row.span.line):
            problems[index] = replace(problem, message=(
                f"n is 0: the value rests on no answers; it is left out of the {row.period} value of '{row.touchpoint}' /"
                f" {row.metric}, pooled from the period's rows with answers"))
            return


#: Period labels that sort as text in date order, one form per series. (A label no calendar has, '2026-13' or
#: '2026-Q5', is an impossible-period error at its cell and its row is left out: it is in no series.)
_PERIOD_FORMS = (
    re.compile(r"\d{4}-W\d{2}"),
    re.compile(r"\d{4}-\d{2}"),
    re.compile(r"\d{4}-Q\d"),
    re.compile(r"\d{4}-H[12]"),
    re.compile(r"\d{4}-\d{2}-\d{2}"),
    re.compile(r"\d{4}"),
)


_MONTH_NAMES = "January February March April May June July August September October November December".split()
_MONTHS = {name: number for number, full in enumerate((name.lower() for name in _MONTH_NAMES), 1)
           for name in (full, full[:3])} | {"sept": 9}
#: English writes a day 'Jan 26': a month of these names beside a number in two digits may be a day.
_ENGLISH_MONTHS = frozenset(_MONTHS)
#: Months named in German (and Austria's Jänner), French, Spanish and Dutch, as those BI exports write them, in full
#: and shortened ('Okt', 'janv.', 'déc', 'ene', 'mrt'): none is another month's English name.
_MONTHS |= {name: number for number, names in enumerate((
    "januar jänner janvier janv enero ene januari", "februar février fevrier févr fevr febrero februari",
    "märz mär maerz mars marzo maart mrt", "avril avr abril abr", "mai mayo mei", "juni juin junio",
    "juli juillet juil julio", "août aout agosto ago augustus", "septembre septiembre setiembre",
    "oktober okt octobre octubre", "noviembre", "dezember dez décembre decembre déc dic diciembre"), 1)
    for name in names.split()}
#: Months named in other languages, in full and as Excel's mmm and CLDR abbreviate them ('gen', 'mag', 'fev', 'out',
#: 'maj', 'sty', 'paź'), one group a month. Croatian and Czech are here for the names they share with Polish, or with each
#: other, for another month: 'lis' is November in Polish and Czech, October in Croatian; 'lip' July in Polish, June in
#: Croatian; 'srp' August in Czech, July in Croatian. Such a name is read as neither (:data:`_TWO_MONTHS`).
_LANGUAGE_MONTHS = {
    "Italian": "gennaio gen|febbraio feb|marzo mar|aprile apr|maggio mag|giugno giu|luglio lug|agosto ago|settembre set sett"
               "|ottobre ott|novembre nov|dicembre dic",
    "Portuguese": "janeiro jan|fevereiro fev|março marco mar|abril abr|maio mai|junho jun|julho jul|agosto ago|setembro set"
                  "|outubro out|novembro nov|dezembro dez",
    "Dutch": "januari jan|februari feb|maart mrt|april apr|mei|juni jun|juli jul|augustus aug|september sep|oktober okt"
             "|november nov|december dec",
    "Swedish": "januari jan|februari feb|mars mar|april apr|maj|juni jun|juli jul|augusti aug|september sep|oktober okt"
               "|november nov|december dec",
    "Danish": "januar jan|februar feb|marts mar|april apr|maj|juni jun|juli jul|august aug|september sep|oktober okt"
              "|november nov|december dec",
    "Norwegian": "januar jan|februar feb|mars mar|april apr|mai|juni jun|juli jul|august aug|september sep|oktober okt"
                 "|november nov|desember des",
    "Polish": "styczeń styczen sty|luty lut|marzec mar|kwiecień kwiecien kwi|maj|czerwiec cze|lipiec lip|sierpień sierpien sie"
              "|wrzesień wrzesien wrz|październik pazdziernik paź paz|listopad lis|grudzień grudzien gru",
    "Croatian": "siječanj sijecanj sij|veljača veljaca velj|ožujak ozujak ožu|travanj tra|svibanj svi|lipanj lip|srpanj srp"
                "|kolovoz kol|rujan ruj|listopad lis|studeni stu|prosinac pro",
    "Czech": "leden led|únor unor úno|březen brezen bře|duben dub|květen kveten kvě|červen cerven čvn|červenec cervenec čvc"
             "|srpen srp|září zari zář|říjen rijen říj|listopad lis|prosinec pro",
}


def _month_readings() -> dict[str, dict[int, list[str]]]:
    """Each name of :data:`_LANGUAGE_MONTHS`: its months, and the languages that give it each."""
    readings: dict[str, dict[int, list[str]]] = {}
    for language, groups in _LANGUAGE_MONTHS.items():
        for number, names in enumerate(groups.split("|"), 1):
            for name in names.split():
                readings.setdefault(name, {}).setdefault(number, []).append(language)
    return readings


_READINGS = _month_readings()
#: A name two languages give two months: not guessed, an ambiguous-period error naming both readings.
_TWO_MONTHS = {name: months for name, months in _READINGS.items() if len(months) > 1}
assert not set(_TWO_MONTHS) & set(_MONTHS), "a name the other languages read as one month is another's"
_MONTHS |= {name: next(iter(months)) for name, months in _READINGS.items() if len(months) == 1 and name not in _MONTHS}
assert all(_MONTHS[name] == next(iter(months)) for name, months in _READINGS.items() if len(months) == 1)
_MONTH_LABEL = re.compile(r"([^\W\d_]{3,12})\.?,?[ \t-]*([0-9]{4})|([0-9]{4})[ \t-]*([^\W\d_]{3,12})\.?")


def period_key(label: str) -> str:
    """What a period label sorts by: a month written with its name and year (``Jan 2026``,
    ``January 2026``, ``Sept-2026``, ``2026 Jan``, as BI tools export them; German, French, Spanish, Italian, Portuguese,
    Dutch, Swedish, Danish, Norwegian and Polish names too: ``Oktober 2026``, ``janv. 2026``, ``mag 2026``, ``sty 2026``;
    Excel's mmm-yy, ``gen-26``, ``out-26``, ``Jan-26``, ``jan.-26``, ``Mär 26``) as its
    ISO month (``2026-01``); any other label as written. Sorted as text, ``Apr 2026`` came before ``Jan 2026``
    and March was taken for the latest month.

    >>> sorted(["Apr 2026", "Feb 2026", "Jan 2026", "Mar 2026"], key=period_key)
    ['Jan 2026', 'Feb 2026', 'Mar 2026', 'Apr 2026']
    """
    if label[:1].isdigit() and not label[-1:].isalpha():
        return label
    named = _MONTH_LABEL.fullmatch(label.strip())
    if named is None:
        short = _short_year_month(label.strip())
        return short[0] if short is not None and short[0] is not None else label
    month = _MONTHS.get((named.group(1) or named.group(4)).lower())
    return f"{named.group(2) or named.group(3)}-{month:02d}" if month is not None else label


#: A month named with its year in two digits, as Excel shows a date formatted mmm-yy in every language ('Jan-26',
#: Dutch 'jan.-26', Spanish 'ene-26', German 'Mär 26', "Jan '26"); and a day named without its year, as Excel's d-mmm
#: writes it ('26-Jan', '5 Jan').
_NAMED_MONTH_SHORT_YEAR = re.compile(r"([^\W\d_]{3,12})(\.?[ \t]*(?:[-/'][ \t]*'?)?)([0-9]{2})")
_ENGLISH_DAY = re.compile(r"([A-Za-z]{3,9})\.?[ \t]+([0-9]{1,2})(?:st|nd|rd|th)?")
_DAY_OF_NAMED_MONTH = re.compile(r"([0-9]{1,2})\.?[ \t]*[-/ ]?[ \t]*([^\W\d_]{3,12})\.?")


def day_without_year(text: str) -> str | None:
    """The day a label names without its year ('26 January' for Excel's d-mmm '26-Jan', or for 'Jan 26' as English
    writes a day), else None.

    >>> day_without_year("26-Jan"), day_without_year("Jan 26"), day_without_year("Jan-26")
    ('26 January', '26 January', None)
    """
    if (found := _DAY_OF_NAMED_MONTH.fullmatch(text.strip())) is not None:
        number, month = int(found[1]), _MONTHS.get(found[2].lower())
    elif (found := _ENGLISH_DAY.fullmatch(text.strip())) is not None and found[1].lower() in _ENGLISH_MONTHS:
        number, month = int(found[2]), _MONTHS.get(found[1].lower())
    else:
        return None
    return f"{number} {_MONTH_NAMES[month - 1]}" if month is not None and 1 <= number <= 31 else None


def _two_months(text: str) -> str | None:
    """Why a label names no one month when its month's name is one two languages give two months ('lis 2026', 'lip-26',
    '5 srp', 'lis'), else None.

    >>> _two_months("lis 2026")
    "'lis' is November in Polish and Czech, and October in Croatian"
    """
    found = (_MONTH_LABEL.fullmatch(text) or _NAMED_MONTH_SHORT_YEAR.fullmatch(text) or _DAY_OF_NAMED_MONTH.fullmatch(text)
             or re.fullmatch(r"([^\W\d_]{3,12})\.?", text))
    if found is None:
        return None
    name = next((group for group in found.groups() if group and group[0].isalpha()), "")
    months = _TWO_MONTHS.get(name.lower())
    if months is None:
        return None
    readings = [f"{_MONTH_NAMES[month - 1]} in {' and '.join(languages)}"
                for month, languages in sorted(months.items(), key=lambda item: (-len(item[1]), item[0]))]
    return f"'{name}' is " + ", and ".join(readings)


def _short_year_month(text: str) -> tuple[str | None, str | None] | None:
    """A month named with its year in two digits as its ISO month (``('2026-01', None)``: 00 to 29 are 2000 to 2029, as
    Excel reads a year in two digits), or why it names no one period (``(None, why)``), or None when ``text`` is no such
    label. 'Jan 26' with a space may be 26 January, as English writes a day, and '26-Jan' is Excel's d-mmm day: neither
    is guessed; 'Mär 26' is German's month, whose day is written '26. Mär'. Read as text, 'Sep-26' sorted after 'Oct-26'.

    >>> _short_year_month("Jan-26"), _short_year_month("jan.-26"), _short_year_month("Mär 26")
    (('2026-01', None), ('2026-01', None), ('2026-03', None))
    >>> _short_year_month("Jan 26")[1]
    'it may be 26 January, a day whose year is not written, or January 2026 (write 2026-01 for the month)'
    """
    if (found := _NAMED_MONTH_SHORT_YEAR.fullmatch(text)) is not None and (month := _MONTHS.get(found[1].lower())) is not None:
        number, name = int(found[3]), _MONTH_NAMES[month - 1]
        if not any(mark in found[2] for mark in "-/'") and found[1].lower() in _ENGLISH_MONTHS:
            if number > 31:
                return None, "its year is written in two digits"
            if number > 29 or number == 0:
                return None, f"it is {number} {name}, a day whose year is not written"
            return None, (f"it may be {number} {name}, a day whose year is not written, or {name} 20{found[3]}"
                          f" (write 20{found[3]}-{month:02d} for the month)")
        if number > 29:  # as Excel reads a year in two digits: 00 to 29 are 2000 to 2029
            return None, "its year is written in two digits"
        return f"20{found[3]}-{month:02d}", None
    if (found := _DAY_OF_NAMED_MONTH.fullmatch(text)) is not None and (month := _MONTHS.get(found[2].lower())) is not None:
        number, name = int(found[1]), _MONTH_NAMES[month - 1]
        if len(found[1]) == 2 and number <= 29:
            return None, (f"it may be {number} {name}, a day whose year is not written (Excel's d-mmm), or {name}"
                          f" 20{found[1]} (write 20{found[1]}-{month:02d} for the month)")
        if 1 <= number <= 31:
            return None, f"it is {number} {name}, a day whose year is not written"
        return None, "its year is written in two digits"
    return None


_SEP = r"[ \t]*[-/._ \t]?[ \t]*"
#: A week's word: W, Wk, Week, and the German KW (Kalenderwoche) or its English CW; a quarter's: Q, Qtr, Quarter.
_WEEK_WORD = r"(?:[Ww](?:[Ee][Ee])?[Kk]\.?[ \t]*|[KkCc][Ww][ \t]*|[Ww][ \t]*)"
_QUARTER_WORD = r"(?:[Qq](?:[Uu][Aa][Rr][Tt][Ee][Rr]|[Tt][Rr])\.?[ \t]*|[Qq][ \t]*)"
#: A year in four digits, or in two ('26', "'26": 00 to 29 are 2000 to 2029, as Excel reads one, and as a fiscal
#: year's 'FY26' is read), where a quarter's, half's or week's letter tells it is no day.
_YEAR_OR_YY = r"(?:(?P<year>[0-9]{4})|'?(?P<yy>[0-9]{2}))"
_YEAR_OR_YY_FIRST = r"(?:(?P<year>[0-9]{4})|(?P<yy>[0-9]{2}))"
#: The year after a quarter's, half's or week's number: two digits only after a mark ('Q1-26', not 'Q126'; 'Week 100' is
#: no week 1 of 2000).
_THEN_YEAR = rf"(?:{_SEP}(?P<year>[0-9]{{4}})|[ \t]*[-/._ \t'][ \t]*'?(?P<yy>[0-9]{{2}}))"
#: Other spellings of the ISO quarter, week and month labels, as spreadsheets and BI tools write them.
_QUARTER_SPELLINGS = (
    re.compile(rf"{_YEAR_OR_YY_FIRST}{_SEP}[Qq]0?(?P<q>[0-9])", re.ASCII),  # 2026Q1, 2026-q1, 2026 Q1, 26Q1
    re.compile(rf"[Qq]0?(?P<q>[0-9]){_THEN_YEAR}", re.ASCII),  # Q1-2026, Q1 2026, Q1/2026, Q1-26, Q1 '26
    re.compile(rf"(?P<year>[0-9]{{4}}){_SEP}{_QUARTER_WORD}0?(?P<q>[0-9])", re.ASCII),  # 2026 Quarter 1, 2026 Qtr 1
    re.compile(rf"{_QUARTER_WORD}0?(?P<q>[0-9]),?{_SEP}(?P<year>[0-9]{{4}})", re.ASCII),  # Quarter 1 2026, Qtr 1, 2026
    re.compile(rf"(?P<q>[0-9])[Qq]{_SEP}{_YEAR_OR_YY}", re.ASCII),  # 1Q2026, 1Q 2026, 1Q26
    re.compile(rf"(?P<year>[0-9]{{4}}){_SEP}(?P<q>[0-9])[Qq]", re.ASCII),  # 2026 1Q
    # French, Spanish and Italian trimestre: INSEE's and INE's 2026T1, T1 2026, 1T 2026, 1T26, 2026 1T
    re.compile(rf"(?P<year>[0-9]{{4}}){_SEP}[Tt](?P<q>[0-9])", re.ASCII),  # T5 and T0 read, told impossible
    re.compile(rf"[Tt](?P<q>[0-9]){_THEN_YEAR}", re.ASCII),
    re.compile(rf"(?P<q>[0-9])[Tt]{_SEP}{_YEAR_OR_YY}", re.ASCII),
    re.compile(rf"(?P<year>[0-9]{{4}}){_SEP}(?P<q>[0-9])[Tt]", re.ASCII),
)
#: A quarter in words, German's and French's (Spanish's, Italian's): '1. Quartal 2026', 'Quartal 1 2026', '1er trimestre
#: 2026', '2ème trimestre 2026', '2e trimestre 2026', '1° trimestre 2026', 'trimestre 1 de 2026'. Sorted as text,
#: '1. Quartal 2026' came before '4. Quartal 2025', the latest.
_WORDED_QUARTERS = (
    re.compile(r"(?P<q>[0-9])\.?[ \t]*quartal[ \t,]*(?P<year>[0-9]{4})", re.IGNORECASE),  # '5. Quartal': impossible
    re.compile(r"quartal[ \t]*(?P<q>[0-9])[ \t]*[-/,]?[ \t]*(?P<year>[0-9]{4})", re.IGNORECASE),
    re.compile(r"(?P<q>[0-9])[ \t]*(?:er|re|e|ème|eme|è|o|do|ro|to|°|º|st|nd|rd|th)?\.?[ \t]*trimestre[ \t]*(?:del?[ \t]+)?"
               r"(?P<year>[0-9]{4})", re.IGNORECASE),
    re.compile(r"trimestre[ \t]*(?P<q>[0-9])[ \t]*(?:del?[ \t]+|[-/,][ \t]*)?(?P<year>[0-9]{4})", re.IGNORECASE),
)
#: Half-years, as finance and BI tools write them ('H1 2026', '2026 H1', '1H2026'): sorted as text,
#: 'H1 2026' came before 'H2 2025' and 2025's second half was taken for the latest.
_HALF_SPELLINGS = (
    re.compile(rf"{_YEAR_OR_YY_FIRST}{_SEP}[Hh](?P<h>[0-9])", re.ASCII),  # 2026H1, 2026-h1, 2026 H1
    re.compile(rf"[Hh](?P<h>[0-9]){_THEN_YEAR}", re.ASCII),  # H1-2026, H1 2026, H1-26
    re.compile(rf"(?P<h>[0-9])[Hh]{_SEP}{_YEAR_OR_YY}", re.ASCII),  # 1H2026, 1H 2026, 1H26
)  # H3 and H0 read, told impossible (:func:`impossible_period`)
_WEEK_SPELLINGS = (
    re.compile(rf"{_YEAR_OR_YY_FIRST}{_SEP}{_WEEK_WORD}(?P<w>[0-9]{{1,2}})", re.ASCII),  # 2026-w5, 2026W05, 2026 Week 5
    re.compile(rf"{_WEEK_WORD}(?P<w>[0-9]{{1,2}}),?{_THEN_YEAR}", re.ASCII),  # W05-2026, W5 2026, Week 5, 2026, KW 5 2026
)
_MONTH_SPELLINGS = (
    re.compile(r"(?P<year>[0-9]{4})[-/.](?P<m>[0-9]{1,2})", re.ASCII),  # 2026-3, 2026/03, 2026.03
    re.compile(r"(?P<m>[0-9]{1,2})[-/.](?P<year>[0-9]{4})", re.ASCII),  # 03/2026, 3-2026, 03.2026
    re.compile(r"(?P<year>[0-9]{4})-?[Mm](?P<m>[0-9]{1,2})", re.ASCII),  # 2026M03, 2026m3 (Eurostat, SAS, Stata), 2026-M03
)
#: Quarter or week labels whose year is in two digits (Q1-26, 26Q1, W05-26) or a fiscal year's (FY26 Q1).
_TWO_DIGIT_YEAR = (
    re.compile(rf"[Qq][0-9]{_SEP}'?[0-9]{{2}}|[0-9]{{2}}{_SEP}[Qq][0-9]|[0-9][Qq]{_SEP}'?[0-9]{{2}}", re.ASCII),
    re.compile(rf"[Ww][0-9]{{1,2}}{_SEP}'?[0-9]{{2}}|[0-9]{{2}}{_SEP}[Ww][0-9]{{1,2}}", re.ASCII),
    re.compile(rf"[Hh][12]{_SEP}'?[0-9]{{2}}|[0-9]{{2}}{_SEP}[Hh][12]|[12][Hh]{_SEP}'?[0-9]{{2}}", re.ASCII),
)
#: A month, quarter, ISO week or half-year without its year ('January', 'Jan', 'Q1', 'W5', 'Week 5', 'H2'), as a
#: dashboard of one year labels its columns: ordered as text, 'November' was the latest after 'January'.
_NO_YEAR = re.compile(rf"{_QUARTER_WORD}[ \t]?0?[1-4]|{_WEEK_WORD}[ \t.]?[0-9]{{1,2}}|[Hh][12]", re.ASCII)
_FISCAL = re.compile(r"(?:^|[^A-Za-z])FY(?:[^A-Za-z]|$)", re.IGNORECASE)
#: A year that runs over two calendar years, as UK fiscal, academic and season years are written ('2026/27',
#: '2026-27', '2026/2027'): '2026/27' was read as the month 27 of 2026, told 'months are 01 to 12'.
_SPLIT_YEAR = re.compile(r"(?:FY[ \t]*)?([0-9]{4})[ \t]*[-/\u2013][ \t]*([0-9]{2}|[0-9]{4})", re.ASCII | re.IGNORECASE)
#: A fiscal or retail (4-4-5) calendar's period with its year, 'P01' to 'P13': '2026-P03', 'P3 2026', '2026 Period 3'.
_FISCAL_PERIOD = re.compile(r"(?:[0-9]{4}[ \t]*[-/ ]?[ \t]*(?:[Pp]|[Pp]eriod[ \t]*)(?:0?[1-9]|1[0-3])"
                            r"|(?:[Pp]|[Pp]eriod[ \t]*)(?:0?[1-9]|1[0-3])[ \t]*[-/ ,]?[ \t]*[0-9]{4})", re.ASCII)
#: A fiscal or retail calendar's period with its year, of any number: 'P14 2026' is none (:func:`impossible_period`).
_ANY_FISCAL_PERIOD = re.compile(r"[0-9]{4}[ \t]*[-/ ]?[ \t]*(?:[Pp]|[Pp]eriod[ \t]*)(?P<p>[0-9]{1,2})"
                                r"|(?:[Pp]|[Pp]eriod[ \t]*)(?P<p2>[0-9]{1,2})[ \t]*[-/ ,]?[ \t]*[0-9]{4}", re.ASCII)
#: A number longer than any year, month, week or day's (a timestamp's nanoseconds have 19 digits), in a period label.
_LONG_NUMBER = re.compile(r"[0-9]{20,}")
_QUARTER_OR_WEEK = re.compile(r"(?:^|[^A-Za-z])[QqWwHh][0-9]|[0-9][QqHh](?:[^A-Za-z]|$)", re.ASCII)


#: A day written with dots, day first as every locale writing dates so does (responses' ``_DOTTED``): '05.01.2026'.
_DAY_SPELLINGS = (re.compile(r"(?P<d>[0-9]{1,2})\.(?P<m>[0-9]{1,2})\.(?P<year>[0-9]{4})", re.ASCII),)


_SPELLINGS: tuple[tuple[tuple[re.Pattern[str], ...], Callable[[re.Match[str], str], str]], ...] = (
    (_DAY_SPELLINGS, lambda m, year: f"{year}-{int(m['m']):02d}-{int(m['d']):02d}"),
    (_QUARTER_SPELLINGS, lambda m, year: f"{year}-Q{m['q']}"),
    (_HALF_SPELLINGS, lambda m, year: f"{year}-H{m['h']}"),
    (_WEEK_SPELLINGS, lambda m, year: f"{year}-W{int(m['w']):02d}"),
    (_MONTH_SPELLINGS, lambda m, year: f"{year}-{int(m['m']):02d}"),
)
"""Each kind of period's spellings, in the order they are tried, and its canonical form from a match and its year."""


def _spelt_period(text: str, spellings: Iterable[tuple[Iterable[re.Pattern[str]], Callable[[re.Match[str], str], str]]],
                  label: str) -> tuple[str, str | None] | None:
    """The canonical form of the first of ``spellings`` ``text`` is written in (a year in two digits from 00 to 29 is
    2000 to 2029, as Excel reads one; after 29, '95', is not guessed), or None when it is in none."""
    for patterns, canonical in spellings:
        for pattern in patterns:
            if (match := pattern.fullmatch(text)) is not None:
                two = match.groupdict().get("yy")
                if two is not None and int(two) > 29:
                    return label, "its year is written in two digits"
                return canonical(match, match["year"] if two is None else f"20{two}"), None
    return None


#: A period written as its first and last days, as BI tools and analytics exports write a report's range:
#: '2026-01-01 - 2026-01-31', '2026-01-05/2026-01-11' (ISO 8601's interval), '2026-01-01 to 2026-03-31'.
_DATE_RANGE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ \t]*(?:[-/\u2013\u2014]|\.\.|to|until|through)[ \t]*([0-9]{4}-[0-9]{2}-[0-9]{2})",
                         re.ASCII)  # ISO 8601's '2026-01-01/2026-03-31' and its '..' too


#: A week named by its first day, as BI tools and UK reports write it: 'Week of 2026-03-02', 'Week starting 2026-03-02',
#: 'w/c 2026-03-02' (week commencing), 'Week beginning 2026-03-02'.
_WEEK_OF = re.compile(r"(?i)(?:week[ \t]+(?:of|starting|beginning|commencing)|w/c|wc|wk[ \t]+of)[ \t:]*([0-9]{4}-[0-9]{2}-[0-9]{2})", re.ASCII)


#: A range of days written another way, as BI tools and US reports write a period: '1/1/2026 - 1/31/2026' (month first,
#: or day first), 'Jan 1, 2026 - Jan 31, 2026', '1 Jan 2026 - 31 Jan 2026'.
_SLASHED_RANGE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})[ \t]*(?:[-\u2013\u2014]|to|until|through)[ \t]*"
                            r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", re.ASCII)
_NAMED_DAY = r"(?:([A-Za-z]{3,9})\.?[ \t]+([0-9]{1,2}),?[ \t]+([0-9]{4})|([0-9]{1,2})[ \t]+([A-Za-z]{3,9})\.?,?[ \t]+([0-9]{4}))"
_NAMED_RANGE = re.compile(rf"{_NAMED_DAY}[ \t]*(?:[-\u2013\u2014]|to|until|through)[ \t]*{_NAMED_DAY}", re.ASCII)
#: A range of named days with its year written once, at the end, as Looker and Google Analytics write one: 'Jan 1 - Mar 31,
#: 2026', '1 Jan - 31 Mar 2026'.
_ONE_YEAR_DAY = r"(?:([A-Za-z]{3,9})\.?[ \t]+([0-9]{1,2})|([0-9]{1,2})[ \t]+([A-Za-z]{3,9})\.?)"
_ONE_YEAR_RANGE = re.compile(rf"{_ONE_YEAR_DAY}[ \t]*(?:[-\u2013\u2014]|to|until|through)[ \t]*{_ONE_YEAR_DAY},?[ \t]+([0-9]{{4}})",
                             re.ASCII)


def _iso_range(text: str) -> tuple[str, str] | None:
    """The first and last days of a range written month or day first with slashes (read only when one of its days
    tells which: '1/1/2026 - 1/31/2026' has no month 31; '1/1/2026 - 1/7/2026' is either) or with month names."""
    import datetime as dt

    def day(year: int, month: int, number: int) -> dt.date | None:
        try:
            return dt.date(year, month, number)
        except ValueError:
            return None

    if (span := _SLASHED_RANGE.fullmatch(text)) is not None:
        a, b, y1, c, d, y2 = (int(g) for g in span.groups())
        month_first = (day(y1, a, b), day(y2, c, d))
        day_first = (day(y1, b, a), day(y2, d, c))
        readings = [r for r in (month_first, day_first) if None not in r]
        if len(readings) == 1 or (len(readings) == 2 and readings[0] == readings[1]):
            first, last = readings[0]
            return (first.isoformat(), last.isoformat()) if first is not None and last is not None else None
        return None
    if (named := _NAMED_RANGE.fullmatch(text)) is not None:
        g = named.groups()
        ends = []
        for month_name, number, year in ((g[0] or g[4], g[1] or g[3], g[2] or g[5]), (g[6] or g[10], g[7] or g[9], g[8] or g[11])):
            month = _MONTHS.get(month_name.lower())
            found = day(int(year), month, int(number)) if month is not None else None
            if found is None:
                return None
            ends.append(found.isoformat())
        return ends[0], ends[1]
    if (once := _ONE_YEAR_RANGE.fullmatch(text)) is not None:  # 'Jan 1 - Mar 31, 2026'
        g, year = once.groups(), int(once[9])
        days = []
        for month_name, number in ((g[0] or g[3], g[1] or g[2]), (g[4] or g[7], g[5] or g[6])):
            month = _MONTHS.get(month_name.lower())
            found = day(year, month, int(number)) if month is not None else None
            if found is None:
                return None
            days.append(found)
        # 'Dec 29 - Jan 4, 2026': which year its first day is in is not written
        return (days[0].isoformat(), days[1].isoformat()) if days[0] <= days[1] else None
    return None


def _range_period(label: str, first: str, last: str) -> tuple[str, str | None]:
    """The calendar period from ``first`` to ``last`` (both included): the day, ISO week, month, quarter,
    half-year or year they span exactly; else the label as written (a range of its own)."""
    import datetime as dt

    try:
        start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    except ValueError:
        return label, None
    after = end + dt.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if start == end:
        return start.isoformat(), None
    if start.isoweekday() == 1 and (end - start).days == 6:
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}", None
    if start.day == 1 and after.day == 1 and months in (1, 3, 6, 12) and (start.month - 1) % months == 0:
        if months == 1:
            return f"{start.year:04d}-{start.month:02d}", None
        if months == 3:
            return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}", None
        return (f"{start.year:04d}-H{(start.month - 1) // 6 + 1}" if months == 6 else f"{start.year:04d}"), None
    return label, None


def canonical_period(label: str) -> tuple[str, str | None]:
    """A period label written another way than its ISO form, as that form, and why a label cannot
    be read as one period (None when it can, or is no quarter, week or month label: kept as written).

    A quarter ``2026Q1``, ``2026-q1``, ``2026 Q1``, ``Q1-2026``, ``Q1 2026``, ``1Q2026`` or ``2026 1Q``, the
    trimestre's ``T1 2026``, ``1T 2026``, ``1er trimestre 2026`` and the Quartal's ``1. Quartal 2026`` are ``2026-Q1``;
    a week ``2026-w5``, ``2026W05`` or ``W05 2026`` is ``2026-W05``; a month ``2026-3``,
    ``2026/03``, ``03/2026`` or ``2026M03`` is ``2026-03``; a half-year ``H1 2026``, ``2026H1`` or ``1H2026`` is ``2026-H1``; a day
    with dots, ``05.01.2026``, is ``2026-01-05`` (day first). As written they were periods of their own, ordered as
    text: ``Q2-2026`` was the latest after ``2026-Q3``. A year in two digits from 00 to 29 is 2000 to 2029, as Excel
    reads one (``Q1-26``, ``1Q26``, ``Q1 '26``); after 29 (``Q1-95``) it is not guessed, nor is a
    month, quarter, week or half-year without its year (``January``, ``Q4``, ``Week 5``). A month named with its year
    in two digits, Excel's ``Jan-26``, is kept as written, as ``Jan 2026`` is, and sorts as ``2026-01``
    (:func:`period_key`); ``Jan 26`` may be 26 January and ``26-Jan`` is Excel's day without a year: not guessed.
    A fiscal year's quarter, half, period or whole (``FY26 Q1``, ``Q1 FY2026``, ``FY26 P3``) is its fiscal label,
    ``FY2026-Q1``, ``FY2026-P03``: where that year starts is not written, so it is no calendar quarter, but it sorts
    among fiscal labels.

    >>> canonical_period("Q2 2026"), canonical_period("2026w5"), canonical_period("3/2026")
    (('2026-Q2', None), ('2026-W05', None), ('2026-03', None))
    >>> canonical_period("Q1-26"), canonical_period("T1 2026"), canonical_period("1. Quartal 2026")
    (('2026-Q1', None), ('2026-Q1', None), ('2026-Q1', None))
    >>> canonical_period("Q1-95")[1], canonical_period("Sep-26"), canonical_period("FY26 P3")
    ('its year is written in two digits', ('Sep-26', None), ('FY2026-P03', None))
    >>> canonical_period("2026-01-01 - 2026-01-31")[0], canonical_period("2026-01-05/2026-01-11")[0]
    ('2026-01', '2026-W02')
    >>> canonical_period("Week of 2026-03-02")[0], canonical_period("w/c 2026-03-01")[0]  # a Monday's week; a Sunday's is no ISO week
    ('2026-W10', 'w/c 2026-03-01')
    >>> canonical_period("FY26 Q1"), canonical_period("Q3 FY2027")[0], canonical_period("FY95 Q1")[1]
    (('FY2026-Q1', None), 'FY2027-Q3', 'its year is written in two digits')
    >>> canonical_period("January")[1], canonical_period("Q4")[1], canonical_period("Week 5")[1]
    ('its year is not written', 'its year is not written', 'its year is not written')
    """
    text = label.strip()
    if (span := _DATE_RANGE.fullmatch(text)) is not None:
        return _range_period(label, span[1], span[2])
    if len(text) > 16 and (ends := _iso_range(text)) is not None:  # '1/1/2026 - 1/31/2026', 'Jan 1, 2026 - Jan 31, 2026'
        return _range_period(label, *ends)
    if (start := _WEEK_OF.fullmatch(text)) is not None:  # 'Week of 2026-03-02', 'w/c 2026-03-02': a Monday's week
        import datetime as dt

        try:
            day = dt.date.fromisoformat(start[1])
        except ValueError:
            return label, None
        return (_range_period(label, start[1], (day + dt.timedelta(days=6)).isoformat()) if day.isoweekday() == 1
                else (label, None))
    if len(text) <= 32 and (quarter := _spelt_period(text, [(_WORDED_QUARTERS, lambda m, year: f"{year}-Q{m['q']}")],
                                                     label)) is not None:
        return quarter  # '1. Quartal 2026', '1er trimestre 2026'
    if len(text) <= 24 and (two := _two_months(text)) is not None:  # 'lis 2026': November in Polish, October in Croatian
        return label, two
    if len(text) <= 16 and (month := _short_year_month(text)) is not None:  # 'Jan-26', 'Mär 26'; '26-Jan' may be a day
        return (label, None) if month[1] is None else (label, month[1])  # kept as written, as 'Jan 2026' is
    if len(text) > 16 or not text.isascii():
        return label, None
    if (split := _SPLIT_YEAR.fullmatch(text)) is not None and int(split[2]) % 100 == (int(split[1]) + 1) % 100 and (
            len(split[2]) == 4 or int(split[2]) > 12):  # '2011/12' stays the month 2011-12
        return label, (f"it is a fiscal, academic or season year (from {split[1]} into {int(split[1]) + 1}), and where"
                       " that year starts is not written")
    if (spelt := _spelt_period(text, _SPELLINGS, label)) is not None:
        return spelt
    if (fiscal := _fiscal_label(text)) is not None:  # 'FY26 Q1' is FY2026-Q1: no calendar quarter is guessed
        return fiscal
    if _FISCAL.search(text) and _QUARTER_OR_WEEK.search(text):
        return label, "it is a fiscal year's, and where that year starts is not written"
    if _FISCAL.search(text) and any(c.isdigit() for c in text):  # 'FY2026', 'FY26 P3', 'FY2026-M03'
        return label, "it is in a fiscal year, and where that year starts is not written"
    if _FISCAL_PERIOD.fullmatch(text):  # '2026-P03'
        return label, "it is a period of a fiscal or retail calendar (P1 to P13), and where its year starts is not written"
    if any(pattern.fullmatch(text) for pattern in _TWO_DIGIT_YEAR):
        return label, "its year is written in two digits"
    if _NO_YEAR.fullmatch(text) or text.rstrip(".").lower() in _MONTHS:
        return label, "its year is not written"
    return label, None


#: A fiscal year's quarter, half or whole, as finance and BI tools label them: 'FY26 Q1', 'FY2026-Q1', 'Q1 FY26', 'FY26H2',
#: 'FY 2026'. Where the year starts (April, July, October?) is not written, so it is no calendar period.
_FISCAL_YEAR = r"[Ff][Yy][ \t]*'?(?P<year>[0-9]{4}|[0-9]{2})"
#: A fiscal or retail (4-4-5) calendar's period: P1 to P13 (twelve months, or thirteen periods of four weeks).
_FISCAL_PART = r"[Pp](?:[Ee][Rr][Ii][Oo][Dd][ \t]*)?0?(?P<part>[0-9]{1,2})"  # P14 and P0 read, told impossible
_FISCAL_SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"{_FISCAL_YEAR}{_SEP}{_FISCAL_PART}", re.ASCII), "P"),  # FY2026-P03, FY26 P3, FY27 Period 1
    (re.compile(rf"{_FISCAL_PART}{_SEP}{_FISCAL_YEAR}", re.ASCII), "P"),  # P03 FY26
    (re.compile(rf"{_FISCAL_YEAR}{_SEP}{_QUARTER_WORD}0?(?P<part>[0-9])", re.ASCII), "Q"),
    (re.compile(rf"{_QUARTER_WORD}0?(?P<part>[0-9]){_SEP}{_FISCAL_YEAR}", re.ASCII), "Q"),
    (re.compile(rf"{_FISCAL_YEAR}{_SEP}[Hh](?P<part>[0-9])", re.ASCII), "H"),  # H3 and H0 read, told impossible
    (re.compile(rf"[Hh](?P<part>[0-9]){_SEP}{_FISCAL_YEAR}", re.ASCII), "H"),
    (re.compile(_FISCAL_YEAR, re.ASCII), ""),
)
#: The fiscal labels :func:`canonical_period` writes: they sort by date among themselves, as the ISO forms do.
FISCAL_FORMS = (re.compile(r"FY\d{4}-Q[1-4]"), re.compile(r"FY\d{4}-H[12]"), re.compile(r"FY\d{4}-P(?:0[1-9]|1[0-3])"),
                re.compile(r"FY\d{4}"))
#: Every form a period label :func:`canonical_period` writes may take, calendar or fiscal.
LABEL_FORMS = (*_PERIOD_FORMS, *FISCAL_FORMS)


def _fiscal_label(text: str) -> tuple[str, str | None] | None:
    """A fiscal year's quarter, half or whole as its fiscal label ('FY26 Q1', 'Q1 FY2026': ``FY2026-Q1``; 'FY26 H2':
    ``FY2026-H2``; 'FY 2026': ``FY2026``), or why it is not read (a two-digit year after 29: 'FY95' may be 1995), or
    None when ``text`` is no such label. Read as a calendar quarter, 'FY26 Q1' would be wrong for every company whose
    year does not start in January (April 2025 to June 2025 in the UK's and India's FY26); as a fiscal label it sorts
    among the others of its series, and a series that mixes it with calendar periods is told that it may not sort."""
    for pattern, part in _FISCAL_SPELLINGS:
        if (match := pattern.fullmatch(text)) is not None:
            year = match["year"]
            if len(year) == 2:
                if int(year) > 29:  # as Excel reads a year in two digits: 00 to 29 are 2000 to 2029
                    return text, "its year is written in two digits"
                year = f"20{year}"
            number = f"{int(match['part']):02d}" if part == "P" else match["part"] if part else ""
            return f"FY{year}" + (f"-{part}{number}" if part else ""), None
    return None


def ambiguous_period_problem(span: Span, label: str, why: str, consequence: str) -> Problem:
    """The error for a period cell that names no one calendar period (:func:`canonical_period`)."""
    return Problem(
        span,
        "ambiguous-period",
        f"period '{label.strip()[:20]}' cannot be read as one calendar period: {why}; {consequence}",
        "write quarters as 2026-Q1, ISO weeks as 2026-W05, months as 2026-03 (calendar periods, the year in four digits)",
    )


def period_sort(label: str) -> tuple[str, str]:
    """The sort key of a period label: :func:`period_key`, then the label (two labels of one month)."""
    return period_key(label), label


def impossible_period(label: str) -> str | None:
    """Why a label written in one of the ISO forms names no period of the calendar (``2026-13``,
    ``2025-W53``, ``2026-W00``, ``2026-Q5``, ``2026-02-30``; a fiscal year's ``FY2026-P14``, ``FY2026-Q5``), or None when it names one (or is in
    no ISO form: those are told by :func:`mixed_period_forms`)."""
    import datetime as dt

    if (number := _LONG_NUMBER.search(label)) is not None:  # 5,000 nines: no year, and never shown whole
        return f"it holds a number of {len(number[0]):,} digits, which no year, month, quarter, week or day has"
    if re.fullmatch(r"\d{4}-\d{2}", label):
        return None if 1 <= int(label[5:]) <= 12 else "months are 01 to 12"
    if re.fullmatch(r"\d{4}-Q\d", label):
        return None if label[6] in "1234" else "quarters are Q1 to Q4"
    if re.fullmatch(r"FY\d{4}-Q\d", label):
        return None if label[8] in "1234" else "quarters are Q1 to Q4"
    if re.fullmatch(r"FY\d{4}-P\d{2}", label):
        return None if 1 <= int(label[8:]) <= 13 else "a fiscal year's periods are P01 to P13"
    if re.fullmatch(r"(?:FY)?\d{4}-H\d", label):
        return None if label[-1] in "12" else "a half-year is H1 or H2"
    if (part := _ANY_FISCAL_PERIOD.fullmatch(label)) is not None:  # '2026-P14', 'P00 2026': a calendar's, kept as written
        return None if 1 <= int(part["p"] or part["p2"]) <= 13 else "a fiscal year's periods are P01 to P13"
    if re.fullmatch(r"\d{4}-W\d{2}", label):
        year, week = int(label[:4]), int(label[6:])
        weeks = dt.date(year, 12, 28).isocalendar()[1] if year >= 1 else 52  # 28 December is in the last ISO week
        return None if 1 <= week <= weeks else f"{year} has ISO weeks W01 to W{weeks}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", label):
        try:
            dt.date.fromisoformat(label)
        except ValueError:
            return "no such day"
    return None


def impossible_period_problem(span: Span, label: str, why: str, consequence: str) -> Problem:
    """The error for a period label no calendar has (:func:`impossible_period`), as an ambiguous one's is
    (``consequence``: what happens to its row, 'the row is left out'). Kept under it as written, it sorted as text
    after every month: '2026-13' was the latest period, and its value the touchpoint's."""
    return Problem(
        span,
        "impossible-period",
        f"period '{label.strip()[:20]}' names no period of the calendar ({why}); {consequence}",
        "correct the label: write a month as 2026-01 to 2026-12, a quarter 2026-Q1 to 2026-Q4, an ISO week 2026-W01 to"
        " 2026-W52 or W53, a half-year 2026-H1 or 2026-H2, a fiscal year's period FY2026-P01 to FY2026-P13",
    )


def mixed_period_forms(labels: set[str]) -> bool:
    """Whether ``labels`` (two or more) do not share one of the forms that sort in date order (by
    :func:`period_key`: ``Jan 2026`` sorts as ``2026-01``), or two of them name one month."""
    if len(labels) < 2:
        return False
    keys = {period_key(x) for x in labels}
    return len(keys) < len(labels) or not any(all(form.fullmatch(x) for x in keys) for form in LABEL_FORMS)


_EXCEL_DAY = re.compile(r"([0-9]{5})(?:\.[0-9]+)?", re.ASCII)
_NUMBER_MONTH = re.compile(r"([0-9]{4})([0-9]{2})", re.ASCII)
_MIDNIGHT = re.compile(r"([0-9]{4}-[0-9]{2})-[0-9]{2}[ T]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?", re.ASCII)


def period_label_hint(labels: Iterable[str]) -> tuple[str, str] | None:
    """What to write for a period label an export writes as a number or a moment, none of the forms that sort by
    date, or a fiscal label beside calendar ones (``FY2026-Q1`` beside ``2026-Q2``): an Excel day number (``46023``, a period column saved without its date format), a month or ISO week
    written without its dash (``202601``: YYYYMM or YYYYWW, not told apart), a month's first moment
    (``2026-01-01 00:00:00``, as a BI tool writes a month it groups by): the first such label and the hint; None
    for other labels."""
    import datetime as dt

    fiscal = sorted(label for label in labels if any(form.fullmatch(label) for form in FISCAL_FORMS))
    if fiscal and len(fiscal) < len(set(labels)):  # 'FY2026-Q1' beside '2026-Q2': which comes first is not written
        return fiscal[0], (f"'{fiscal[0]}' is a fiscal year's, and where that year starts is not written, so it cannot be"
                           " placed among calendar periods: write the series in fiscal periods alone (FY2026-Q1) or in"
                           " calendar ones")
    for label in sorted(labels):
        text = label.strip()
        if (excel := _EXCEL_DAY.fullmatch(text)) is not None and 21916 <= int(excel[1]) < 73051:
            day = dt.date(1899, 12, 30) + dt.timedelta(days=int(excel[1]))
            return text, (f"'{text}' looks like an Excel day number ({day.isoformat()}): format the period column as"
                          " yyyy-mm (or yyyy-mm-dd) before saving")
        if (number := _NUMBER_MONTH.fullmatch(text)) is not None and 1 <= int(number[2]) <= 53:
            year, part = number[1], int(number[2])
            if part <= 12:
                return text, (f"'{text}' may be the month {year}-{part:02d} (YYYYMM) or the ISO week {year}-W{part:02d}"
                              f" (YYYYWW): write it with its dash, {year}-{part:02d} or {year}-W{part:02d}")
            return text, f"'{text}' is no month (YYYYMM): if it is an ISO week (YYYYWW), write {year}-W{part:02d}"
        if (moment := _MIDNIGHT.fullmatch(text)) is not None:
            return text, f"'{text}' is a moment at midnight: write its day, {text[:10]}, or the month {moment[1]} if it stands for one"
    return None


def check_period_forms(points: list[DataPoint], problems: list[Problem]) -> None:
    """Periods are ordered as text ("the latest wins"): warn where one series mixes forms, or
    uses a form that does not sort in date order (``Sprint 9``, ``April``), once per row. (A label no calendar has,
    ``2026-13``, is told at its cell as the row is read.)"""
    series: dict[tuple[str, str, str | None], list[DataPoint]] = {}
    for point in points:
        if point.period:
            series.setdefault((point.touchpoint, point.metric, point.persona), []).append(point)
    for rows in series.values():
        if not mixed_period_forms(labels := {p.period or "" for p in rows}):
            continue
        said = period_label_hint(labels)
        among = f"'{said[0][:20]}' is in none" if said else "these are not all in one"
        for point in rows:
            problems.append(
                Problem(
                    point.span,
                    "period-order",
                    f"periods are ordered as text, and {among} of the forms that sort by date"
                    " (2026-Q2, 2026-04 or Apr 2026, 2026-W14, 2026-04-02): the latest may not be the newest",
                    (f"{said[1]}; " if said else "") + "write every period of a series in one form: 2026-Q2, 2026-04, 2026-W14 or 2026-04-02",
                    level="warning",
                )
            )
