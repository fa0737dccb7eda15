"""Confidence intervals, significance tests and trends for survey metrics.

A value computed from survey answers is an estimate; these functions say how
sure it is. Everything here is pure arithmetic on a :class:`Sample` (the
sufficient statistics of the answers behind a value), with Student's t from
``scipy.special`` (what ``scipy.stats.t`` calls, without its ~1 s import)
imported only when a function needs it.

- CSAT (a proportion): the Wilson score interval (Wilson 1927; Newcombe 1998,
  method 3); a change is tested with the pooled two-proportion z test, or with
  Fisher's exact test when an expected count of the 2x2 table is under 5.
- NPS (promoters minus detractors): the normal interval with the multinomial
  variance of the difference, Var = (p+ + p- - (p+ - p-)^2) / n; a change is
  tested with z = (d2 - d1) / sqrt(se1^2 + se2^2).
- CES, sentiment and other means: the Student t interval; a change is tested
  with Welch's unequal-variance t test.

Trends (:func:`trend`) are called rising or falling only when the slope of a
line through every period's value is significant at the 5% level: weighted
least squares with each period weighted by its sampling precision (1 /
variance of its value) when every period carries its answers, ordinary least
squares over three or more periods when they do not; otherwise flat. With two
periods the weighted slope test is the z test of their difference.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

#: The 97.5th percentile of the standard normal distribution (a two-sided 95% interval).
Z95 = 1.959963984540054
#: Changes with a two-sided p-value below this are significant.
ALPHA = 0.05
#: A change of proportion whose 2x2 table has an expected count under this is tested with
#: Fisher's exact test instead of the z test (Cochran's rule).
SMALL_EXPECTED = 5.0

Kind = Literal["proportion", "nps", "mean"]

if TYPE_CHECKING:
    from .metrics import MetricSpec
Direction = Literal["rising", "falling", "flat"]


@dataclass(frozen=True)
class Sample:
    """What an interval or a test needs to know about the answers behind a value.

    ``value`` is on the metric's scale (a proportion 0..1, NPS -100..100, a mean);
    ``variance`` is the variance of one answer on the same scale (for a mean the
    sample variance with n - 1; for NPS p+ + p- - d^2 in NPS points squared).
    """

    kind: Kind
    n: int
    value: float
    variance: float
    exact: bool = True
    """False when ``variance`` is only an upper bound (an NPS summary without its promoter and
    detractor shares): tests of change stay valid, if cautious, but no interval is given."""

    @property
    def standard_error(self) -> float:
        return math.sqrt(max(self.variance, 0.0) / self.n) if self.n > 0 else math.inf


def proportion(successes: int, n: int) -> Sample:
    """A proportion: ``successes`` out of ``n``."""
    p = successes / n if n else 0.0
    return Sample("proportion", n, p, p * (1 - p))


def nps_sample(promoters: int, detractors: int, n: int) -> Sample:
    """NPS (-100..100) of ``n`` answers with that many promoters and detractors."""
    if not n:
        return Sample("nps", 0, 0.0, 0.0)
    plus, minus = promoters / n, detractors / n
    d = plus - minus
    return Sample("nps", n, 100.0 * d, 10000.0 * (plus + minus - d * d))


def mean_sample(total: float, total_of_squares: float, n: int) -> Sample:
    """A mean, from the sum and the sum of squares of ``n`` values (sample variance, n - 1)."""
    if not n:
        return Sample("mean", 0, 0.0, 0.0)
    mean = total / n
    variance = max(0.0, (total_of_squares - n * mean * mean) / (n - 1)) if n > 1 else math.nan
    return Sample("mean", n, mean, variance)


def mean_of(values: Sequence[float]) -> Sample:
    """A mean of ``values`` (two-pass, for accuracy)."""
    n = len(values)
    if not n:
        return Sample("mean", 0, 0.0, 0.0)
    mean = math.fsum(values) / n
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else math.nan
    return Sample("mean", n, mean, variance)


def mean_of_counted(counts: Mapping[float, int]) -> Sample:
    """:func:`mean_of` of each value repeated its count of times, without making that list:
    the same :class:`Sample`, bit for bit (each sum is exact, rounded once, as ``math.fsum``
    rounds it). A million comments hold a few thousand distinct sentiment scores.

    >>> mean_of_counted({0.5: 3, -0.25: 1}) == mean_of([0.5, 0.5, 0.5, -0.25])
    True
    """
    values = [(v, count) for v, count in counts.items() if count]
    n = sum(count for _, count in values)
    if not n:
        return Sample("mean", 0, 0.0, 0.0)
    mean = _counted_sum(values) / n
    variance = _counted_sum([((v - mean) ** 2, count) for v, count in values]) / (n - 1) if n > 1 else math.nan
    return Sample("mean", n, mean, variance)


def _counted_sum(values: Sequence[tuple[float, int]]) -> float:
    """``math.fsum`` of each value repeated its count of times: the exact sum (in integers, over
    the values' common power-of-two denominator), rounded once to the nearest float."""
    if not all(math.isfinite(v) for v, _ in values):
        return math.fsum(v for v, count in values for _ in range(count))
    ratios = [(v.as_integer_ratio(), count) for v, count in values]
    denominator = max((d for (_, d), _ in ratios), default=1)  # powers of two: the largest is a multiple of each
    return sum(n * count * (denominator // d) for (n, d), count in ratios) / denominator


def wilson(successes: int | float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (Newcombe 1998, method 3).

    >>> [round(x, 4) for x in wilson(81, 263)]
    [0.2553, 0.3662]
    """
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


@lru_cache(maxsize=1024)
def t_quantile(df: float) -> float:
    """The 97.5th percentile of Student's t with ``df`` degrees of freedom."""
    # scipy.stats.t.ppf is this function (its _ppf); scipy.special imports in ~0.25 s where
    # scipy.stats takes ~1 s more, paid by every report with survey data.
    from scipy.special import stdtrit  # type: ignore[import-untyped]

    return float(stdtrit(df, 1 - ALPHA / 2))


def interval(sample: Sample) -> tuple[float, float] | None:
    """The 95% confidence interval of the value; None when it cannot be given (n < 2 for a mean).

    >>> interval(nps_sample(50, 20, 100))   # doctest: +ELLIPSIS
    (14.69..., 45.30...)
    """
    if sample.n <= 0 or not sample.exact:
        return None
    if sample.kind == "proportion":
        return wilson(sample.value * sample.n, sample.n)
    if no_interval_reason(sample) is not None:
        return None
    if sample.kind == "nps":
        half = Z95 * sample.standard_error
        return (max(-100.0, sample.value - half), min(100.0, sample.value + half))
    half = t_quantile(sample.n - 1) * sample.standard_error
    return (sample.value - half, sample.value + half)


#: Why a value with an ``n`` has no interval (see :func:`summary_sample`).
NO_INTERVAL = {
    "nps": "no 95% CI: an NPS summary needs its promoter and detractor shares for one"
    " (metrics table columns promoters, detractors)",
    "mean": "no 95% CI: a mean needs its standard deviation for one (metrics table column sd)",
    "one": "no 95% CI from a single answer",
    "alike": "no 95% CI: every answer is the same, so the answers show no spread to give one",
    "one-class": "no 95% CI: every answer is of one class (all promoters, all passives or all detractors),"
    " so the answers show no spread to give one",
}


def no_interval_reason(sample: Sample) -> str | None:
    """Why an NPS or a mean computed from answers has no interval, or None when it has one: a single
    answer, or answers all alike (all promoters; CES 7, 7, 7), whose normal or t interval would have
    no width, "+100 to +100", as if 40 answers made the value certain."""
    if sample.kind == "proportion" or not sample.exact:
        return None
    if sample.n < 2 or math.isnan(sample.variance):
        return NO_INTERVAL["one"]
    if sample.variance <= 1e-12 * max(1.0, sample.value * sample.value):
        # NPS answers 0..6 are all detractors: not "the same", but one class, which is all NPS reads
        return NO_INTERVAL["one-class" if sample.kind == "nps" else "alike"]
    return None


def summary_sample(
    spec: MetricSpec,
    value: float,
    n: int | None,
    *,
    sd: float | None = None,
    promoters: float | None = None,
    detractors: float | None = None,
) -> tuple[Sample | None, str | None]:
    """What a summary value (a metrics-table row, a value in the journey file) with its ``n``
    says about the answers behind it, and why there is no interval when there is none.

    - a metric on a 0..1 scale (CSAT, churn, retention, drop-off, ...) is a share of
      ``n`` answers: Wilson's interval;
    - NPS with the ``promoters`` and ``detractors`` shares (0..1): the multinomial
      interval; with ``n`` alone only the largest variance its value allows is known
      (passives = 0), enough for a cautious test of change but not for an interval;
    - any other metric is a mean: Student's t interval with ``sd``, the standard
      deviation of one answer; none without it;
    - counts (``volume``) and metrics without a better direction: neither.

    >>> from journeymap.metrics import BUILTIN
    >>> sample, why = summary_sample(BUILTIN["csat"], 0.58, 1240)
    >>> [round(x, 3) for x in interval(sample)], why
    ([0.552, 0.607], None)
    >>> summary_sample(BUILTIN["ces"], 5.1, 200)[1]
    'no 95% CI: a mean needs its standard deviation for one (metrics table column sd)'
    """
    if not n or n <= 0 or spec.kind == "count" or spec.better is None:
        return None, None
    if spec.name == "nps":
        if promoters is not None and detractors is not None:
            d = promoters - detractors
            return Sample("nps", n, value, 10000.0 * max(0.0, promoters + detractors - d * d)), None
        d = value / 100
        return Sample("nps", n, value, 10000.0 * max(0.0, 1 - d * d), exact=False), NO_INTERVAL["nps"]
    if spec.kind == "fraction" or (spec.low == 0 and spec.high == 1):
        return Sample("proportion", n, value, value * (1 - value)), None
    if sd is None:
        return None, NO_INTERVAL["mean"]
    if n < 2:
        return Sample("mean", n, value, math.nan), NO_INTERVAL["one"]
    return Sample("mean", n, value, sd * sd), None


def _normal_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic."""
    return math.erfc(abs(z) / math.sqrt(2))


def change_p_value(before: Sample, after: Sample) -> float | None:
    """Two-sided p-value of the change from ``before`` to ``after``; None when untestable.

    Proportions: the pooled two-proportion z test (equal to Pearson's chi-square
    test of the 2x2 table without continuity correction). NPS: z = difference /
    sqrt(se1^2 + se2^2) with the multinomial variances. Means: Welch's t test.
    """
    if before.kind != after.kind or before.n <= 0 or after.n <= 0:
        return None
    if before.kind == "proportion":
        n1, n2 = before.n, after.n
        pooled = (before.value * n1 + after.value * n2) / (n1 + n2)
        if min(n1, n2) * min(pooled, 1 - pooled) < SMALL_EXPECTED:
            # An expected count under 5: the normal approximation fails (0 of 2 then 2 of 2 gave
            # z = 2, p = 0.046, "significant"); Fisher's exact test of the same 2x2 table does not.
            return fisher_exact_p(round(before.value * n1), n1, round(after.value * n2), n2)
        se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        if se == 0:
            return 1.0 if before.value == after.value else 0.0
        return _normal_p((after.value - before.value) / se)
    if before.n < 2 or after.n < 2 or math.isnan(before.variance) or math.isnan(after.variance):
        return None
    if before.kind == "nps" and before.exact and after.exact:
        classes = nps_classes(before), nps_classes(after)
        totals = [a + b for a, b in zip(*classes, strict=True)]
        everyone = before.n + after.n
        if min(before.n, after.n) * min(t for t in totals if t) / everyone < SMALL_EXPECTED:
            # An expected count under 5, as Fisher's test for a share: the normal test of the difference
            # called a detractor and a passive after 500 answers at +40 a significant fall (p = 0.011),
            # where 12% of any two answers under "no change" do as badly.
            exact = nps_exact_p(*classes)
            if exact is not None:
                return exact
    v1, v2 = before.variance / before.n, after.variance / after.n
    se = math.sqrt(v1 + v2)
    if se == 0 or _alike(before) or _alike(after):
        if before.value == after.value:
            return 1.0
        # Every answer alike within a period (7, 7 then 1, 1; a week of five 7s, or of four
        # detractors): that period's own standard error is 0 and the other's alone tested the
        # difference, so five CES answers of 7 after 300 averaging 6.6 were a significant rise
        # (p = 6e-22). Under "no change" the answers of both periods are one sample; its variance
        # tests the difference (p = 0.18 there; two answers each of 7, 7 then 1, 1: p = 0.22, not 0).
        return _pooled_p_value(before, after)
    statistic = (after.value - before.value) / se
    if before.kind == "nps":
        return _normal_p(statistic)
    # scipy.stats.t.sf(x, df) is stdtr(df, -x).
    from scipy.special import stdtr  # type: ignore[import-untyped]

    df = (v1 + v2) ** 2 / (v1 * v1 / (before.n - 1) + v2 * v2 / (after.n - 1))
    return float(2 * stdtr(df, -abs(statistic)))


def _alike(sample: Sample) -> bool:
    """Whether the answers behind an NPS or a mean are all alike (all of one NPS class), as
    :func:`no_interval_reason` tells them: their variance is no spread at all. An NPS summary
    without its shares has only the largest variance its value allows, which is none at +100
    and -100 only, where every answer is a promoter (a detractor): alike too."""
    return sample.variance <= 1e-12 * max(1.0, sample.value * sample.value)


def fisher_exact_p(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p-value of Fisher's exact test of ``k1`` successes of ``n1`` against ``k2`` of ``n2``:
    the probability, with the margins fixed (hypergeometric), of every table no more likely than
    this one (the sum over tables with P <= P(observed) x (1 + 1e-7), as R and scipy take it)."""
    k1, k2 = min(max(k1, 0), n1), min(max(k2, 0), n2)
    total, successes = n1 + n2, k1 + k2
    if total == 0:
        return 1.0

    def log_choose(n: int, k: int) -> float:
        return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)

    base = log_choose(total, n1)

    def log_p(x: int) -> float:  # x successes among the first n1
        return log_choose(successes, x) + log_choose(total - successes, n1 - x) - base

    observed = log_p(k1)
    cut = observed + math.log1p(1e-7)
    terms = [log_p(x) for x in range(max(0, successes - n2), min(successes, n1) + 1)]
    return min(1.0, math.fsum(math.exp(t) for t in terms if t <= cut))


def nps_classes(sample: Sample) -> tuple[int, int, int]:
    """``(promoters, passives, detractors)`` of the answers behind an NPS sample of answers (or of a summary
    with its shares), as whole numbers: its value and variance give its promoter and detractor shares."""
    d = sample.value / 100
    either = sample.variance / 10000 + d * d  # p+ + p-
    promoters, detractors = round(sample.n * (either + d) / 2), round(sample.n * (either - d) / 2)
    promoters, detractors = min(max(promoters, 0), sample.n), min(max(detractors, 0), sample.n)
    detractors = min(detractors, sample.n - promoters)
    return promoters, sample.n - promoters - detractors, detractors


#: The most tables :func:`nps_exact_p` adds up (~30 ms); past it (periods of hundreds of answers each, a class rare in
#: both) the normal test of the difference is used, as good there as Fisher's is for a share.
NPS_EXACT_TABLES = 50_000


def nps_exact_p(before: tuple[int, int, int], after: tuple[int, int, int]) -> float | None:
    """Two-sided p-value of the exact permutation test of a change of NPS between two periods' answers,
    ``(promoters, passives, detractors)`` each: with the three classes' totals fixed, the probability
    (multivariate hypergeometric) of every split of the answers between the periods whose NPS difference is
    at least as large as the observed one, in either direction. None past :data:`NPS_EXACT_TABLES` tables.

    >>> round(nps_exact_p((300, 100, 100), (0, 1, 1)), 3)   # +40 on 500 answers, then a passive and a detractor
    0.121
    """
    if sum(before) > sum(after):  # the splits of the smaller period's answers: fewer tables
        before, after = after, before
    m, other = sum(before), sum(after)
    total = m + other
    plus, neutral, minus = (a + b for a, b in zip(before, after, strict=True))
    if (min(plus, m) + 1) * (min(minus, neutral, m) + 1) > NPS_EXACT_TABLES:  # for each a, c spans the rarer of the two
        return None
    # The difference, times m x other, depends on the smaller period's promoters less detractors s alone:
    # s x total - (plus - minus) x m, in whole numbers.
    observed = abs((before[0] - before[2]) * total - (plus - minus) * m)

    def log_choose(n: int, k: int) -> float:
        return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)

    base = log_choose(total, m)
    of_plus = [log_choose(plus, a) for a in range(min(plus, m) + 1)]
    of_minus = [log_choose(minus, c) for c in range(min(minus, m) + 1)]
    of_neutral = [log_choose(neutral, b) for b in range(min(neutral, m) + 1)]
    terms = []
    for a, log_a in enumerate(of_plus):
        for c in range(max(0, m - a - neutral), min(minus, m - a) + 1):
            if abs((a - c) * total - (plus - minus) * m) >= observed:
                terms.append(log_a + of_minus[c] + of_neutral[m - a - c] - base)
    return min(1.0, math.fsum(math.exp(t) for t in terms))


def _pooled_p_value(before: Sample, after: Sample) -> float:
    """Two-sided p-value of the change between two samples of NPS or a mean whose answers
    are each all alike, with the variance of both samples' answers taken together (the
    variance under "no change"): a z test for NPS, Student's t with n1 + n2 - 2 df for a mean."""
    variance = variance_of_all_answers([before, after])
    se = math.sqrt(variance * (1 / before.n + 1 / after.n))
    if se == 0:
        return 1.0 if before.value == after.value else 0.0
    statistic = (after.value - before.value) / se
    if before.kind == "nps":
        return _normal_p(statistic)
    from scipy.special import stdtr  # type: ignore[import-untyped]

    return float(2 * stdtr(before.n + after.n - 2, -abs(statistic)))


def variance_of_all_answers(samples: Sequence[Sample]) -> float:
    """The variance of one answer over the answers of every sample taken together (NPS or a
    mean): within the samples and between their values."""
    n = sum(s.n for s in samples)
    if samples[0].kind == "nps":
        plus = minus = 0.0
        for sample in samples:  # each sample's promoter and detractor shares: their sum is var + d^2
            d = sample.value / 100
            total = sample.variance / 10000 + d * d
            plus += sample.n * (total + d) / 2
            minus += sample.n * (total - d) / 2
        plus, minus = plus / n, minus / n
        return 10000.0 * max(0.0, plus + minus - (plus - minus) ** 2)
    mean = math.fsum(s.value * s.n for s in samples) / n
    within = math.fsum((s.n - 1) * s.variance for s in samples if s.n > 1)
    between = math.fsum(s.n * (s.value - mean) ** 2 for s in samples)
    return (within + between) / (n - 1)


def _positions(n: int, xs: Sequence[float] | None) -> list[float]:
    return [float(x) for x in xs] if xs is not None else [float(x) for x in range(n)]


def slope_p_value(values: Sequence[float], xs: Sequence[float] | None = None) -> tuple[float, float] | None:
    """``(slope per period, two-sided p-value)`` of a least-squares line through ``values`` at
    positions ``xs`` (periods since the first; default equally spaced); None with fewer than three values."""
    n = len(values)
    if n < 3:
        return None
    xs = _positions(n, xs)
    mean_x = math.fsum(xs) / n
    mean_y = math.fsum(values) / n
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, values, strict=True))
    slope = sxy / sxx
    residual = math.fsum((y - mean_y - slope * (x - mean_x)) ** 2 for x, y in zip(xs, values, strict=True))
    scale = max(abs(mean_y), max(abs(v) for v in values), 1e-300)
    if residual <= (1e-12 * scale) ** 2 * n:
        return (slope, 0.0 if abs(slope) > 1e-12 * scale else 1.0)
    se = math.sqrt(residual / (n - 2) / sxx)
    from scipy.special import stdtr  # type: ignore[import-untyped]

    return (slope, float(2 * stdtr(n - 2, -abs(slope / se))))


def _variance_of_value(sample: Sample) -> float | None:
    """The sampling variance of a value (a proportion's as its own share gives it); None without one."""
    if sample.n <= 0:
        return None
    if sample.kind == "proportion":
        return sample.value * (1 - sample.value) / sample.n
    if math.isnan(sample.variance) or sample.n < 2:
        return None
    return sample.variance / sample.n


def weighted_slope_p_value(samples: Sequence[Sample], xs: Sequence[float] | None = None) -> tuple[float, float] | None:
    """``(slope per period, two-sided p-value)`` of the weighted least-squares line through the
    values of the periods at positions ``xs`` (periods since the first; default equally spaced),
    weights 1 / sampling variance: a z test on the slope, whose variance is 1 / sum(w (x - x_w)^2) (for a
    mean, whose variance of one answer is estimated, Student's t on its degrees of freedom, N - k).
    None when a period has no variance (a mean of one answer, or without its sd).

    The variance of one answer is that of every answer taken together, as "no trend" has it:
    for a proportion the pooled share p(1 - p), which makes this the Cochran-Armitage test for
    trend (a period of one answer, or at 0% or 100%, weighs by its n alone); for NPS the pooled
    promoter and detractor shares; for a mean the variance within periods, pooled.

    With three periods or more, the periods may scatter around the line more than their sampling
    error allows (a chi-square test of the weighted residuals, k - 2 df, at 5%): the values then
    vary for reasons sampling does not cover, and the slope's standard error is widened by that
    scatter (the residual chi-square over k - 2) and tested with Student's t on k - 2 df.
    """
    k = len(samples)
    variances = [_variance_of_value(s) for s in samples]
    if k < 2 or any(s.n <= 0 for s in samples):
        return None
    if any(v is None for v in variances):
        # A period of one answer (this week's first) has no variance of its own, but one answer's
        # variance is pooled over the periods below, so over three periods or more it takes part,
        # weighing as one answer: it sent the whole series to the unweighted slope, where it weighed
        # as much as 300 answers (NPS +60, +50, +40, +30, +20 on 300 each, then +100 on one: "flat").
        # Two periods stay the change between them, which one answer cannot test.
        one = [s for s, v in zip(samples, variances, strict=True) if v is None]
        if k < 3 or samples[0].kind == "proportion" or any(s.n != 1 for s in one) or all(s.n < 2 for s in samples):
            return None
    xs = _positions(k, xs)
    freedom: int | None = None  # the degrees of freedom of an estimated variance of one answer (a mean's)
    if samples[0].kind == "proportion":
        answers = sum(s.n for s in samples)
        share = math.fsum(s.value * s.n for s in samples) / answers
        variances = [share * (1 - share) / s.n for s in samples]
    elif samples[0].kind == "mean":
        # One answer's variance pooled over the periods: a small period's own estimate
        # (five answers that happen to agree) would otherwise get an enormous weight.
        freedom = sum(s.n - 1 for s in samples)
        pooled = math.fsum((s.n - 1) * s.variance for s in samples if s.n > 1) / freedom
        if pooled == 0:  # every answer alike within each period (7, 7 then 1, 1): all answers' spread
            pooled, freedom = variance_of_all_answers(samples), sum(s.n for s in samples) - 1
        variances = [pooled / s.n for s in samples]
    elif samples[0].kind == "nps":
        # A period whose answers are all promoters (or all detractors) has no sampling variance
        # of its own and would outweigh every other: every period gets that of all answers.
        pooled = variance_of_all_answers(samples)
        variances = [pooled / s.n for s in samples]
    scale = max(1.0, *(abs(s.value) for s in samples))
    if all(v is not None and v <= 1e-12 * scale**2 for v in variances):
        # Every answer of every period alike: the same value throughout, no trend.
        return (0.0, 1.0)
    floor = 1e-12 * scale**2
    weights = [1 / max(v, floor) for v in variances if v is not None]
    total = math.fsum(weights)
    mean_x = math.fsum(w * x for x, w in zip(xs, weights, strict=True)) / total
    mean_y = math.fsum(w * s.value for s, w in zip(samples, weights, strict=True)) / total
    sxx = math.fsum(w * (x - mean_x) ** 2 for x, w in zip(xs, weights, strict=True))
    sxy = math.fsum(w * (x - mean_x) * (s.value - mean_y) for x, s, w in zip(xs, samples, weights, strict=True))
    slope = sxy / sxx
    if samples[0].kind == "proportion" and k >= 3 and min(s.n for s in samples) * min(share, 1 - share) < SMALL_EXPECTED:
        # An expected count under 5, as for Fisher's test of two periods: the normal Cochran-Armitage test
        # called 0 of 2, 0 of 2, then 2 of 2 satisfied a rise (p = 0.034), where 2 of the 15 ways to place two
        # satisfied answers among the six lie as far from the middle (p = 0.13). Its exact test, when small enough.
        exact = cochran_armitage_exact_p([round(s.value * s.n) for s in samples], [s.n for s in samples], xs)
        if exact is not None:
            return (slope, exact)
    if samples[0].kind == "nps" and k >= 3 and all(s.exact for s in samples):
        # the same for NPS: -100, 0, +100 on two answers each was a rise (p = 0.046); exactly, p = 0.2
        classes = [nps_classes(s) for s in samples]
        totals = [sum(c[j] for c in classes) for j in range(3)]
        if min(s.n for s in samples) * min(t for t in totals if t) / sum(totals) < SMALL_EXPECTED:
            exact = nps_trend_exact_p(classes, xs)
            if exact is not None:
                return (slope, exact)
    if k >= 3:
        from scipy.special import chdtrc, stdtr  # type: ignore[import-untyped]

        scatter = math.fsum(w * (s.value - mean_y - slope * (x - mean_x)) ** 2
                            for x, s, w in zip(xs, samples, weights, strict=True))
        if float(chdtrc(k - 2, scatter)) < ALPHA:
            se = math.sqrt(scatter / (k - 2) / sxx)
            return (slope, float(2 * stdtr(k - 2, -abs(slope / se))))
    if freedom is not None:
        # A mean's variance is estimated, on the degrees of freedom of the answers within the periods: Student's t
        # on them (one-way ANOVA's linear contrast), not the normal (CES 1, 2 then 3, 4 then 6, 7 was p = 1.5e-12).
        from scipy.special import stdtr  # type: ignore[import-untyped]

        return (slope, float(2 * stdtr(freedom, -abs(slope) * math.sqrt(sxx))))
    return (slope, _normal_p(slope * math.sqrt(sxx)))


#: The most steps (states times answers) :func:`cochran_armitage_exact_p` takes (~30 ms); past it, periods of
#: hundreds of answers, the normal test is used, which is then good.
EXACT_TREND_STEPS = 50_000


def cochran_armitage_exact_p(successes: Sequence[int], totals: Sequence[int], xs: Sequence[float]) -> float | None:
    """Two-sided p-value of the exact Cochran-Armitage test for trend: with the total of successes fixed, the
    probability of every way to spread them over the periods (hypergeometric) whose T = sum x_i a_i lies at
    least as far from its mean as the observed one. None when a position is not a whole number or past
    :data:`EXACT_TREND_STEPS`.

    >>> round(cochran_armitage_exact_p([0, 0, 2], [2, 2, 2], [0, 1, 2]), 4)   # 2 of the 15 ways
    0.1333
    """
    if any(x != int(x) for x in xs):
        return None
    positions = [int(x) for x in xs]
    everyone, hits = sum(totals), sum(successes)
    # T N against hits sum n_i x_i: the distance from the mean, times N, in whole numbers
    centre = hits * sum(n * x for n, x in zip(totals, positions, strict=True))
    observed = abs(sum(a * x for a, x in zip(successes, positions, strict=True)) * everyone - centre)
    ways: dict[tuple[int, int], int] = {(0, 0): 1}  # (successes so far, T so far) -> ways (a product of binomials)
    steps = 0
    for n, x in zip(totals, positions, strict=True):
        steps += len(ways) * (min(n, hits) + 1)
        if steps > EXACT_TREND_STEPS:
            return None
        after: dict[tuple[int, int], int] = {}
        chances = [math.comb(n, a) for a in range(min(n, hits) + 1)]
        for (s, t), w in ways.items():
            for a in range(min(n, hits - s) + 1):
                key = (s + a, t + a * x)
                after[key] = after.get(key, 0) + w * chances[a]
        ways = after
    extreme = sum(w for (s, t), w in ways.items() if s == hits and abs(t * everyone - centre) >= observed)
    return min(1.0, extreme / math.comb(everyone, hits))


def nps_trend_exact_p(classes: Sequence[tuple[int, int, int]], xs: Sequence[float]) -> float | None:
    """Two-sided p-value of the exact test for a trend of NPS over periods of ``(promoters, passives, detractors)``:
    the Cochran-Armitage test with scores +1, 0, -1, the three classes' totals fixed (multivariate
    hypergeometric), T = sum x_i (promoters_i - detractors_i) at least as far from its mean as observed. None
    when a position is not a whole number or past :data:`EXACT_TREND_STEPS`.

    >>> round(nps_trend_exact_p([(0, 0, 2), (1, 0, 1), (2, 0, 0)], [0, 1, 2]), 4)  # -100, 0, +100 on two answers each
    0.2
    """
    if any(x != int(x) for x in xs):
        return None
    positions = [int(x) for x in xs]
    plus, neutral, minus = (sum(c[j] for c in classes) for j in range(3))
    everyone = plus + neutral + minus
    sizes = [sum(c) for c in classes]
    centre = (plus - minus) * sum(n * x for n, x in zip(sizes, positions, strict=True))
    observed = abs(sum((c[0] - c[2]) * x for c, x in zip(classes, positions, strict=True)) * everyone - centre)
    ways: dict[tuple[int, int, int], int] = {(0, 0, 0): 1}  # (promoters, detractors, T so far) -> ways
    steps, before = 0, 0
    for n, x in zip(sizes, positions, strict=True):
        steps += len(ways) * (min(n, plus) + 1) * (min(n, minus) + 1)
        if steps > EXACT_TREND_STEPS:
            return None
        after: dict[tuple[int, int, int], int] = {}
        for (a, c, t), w in ways.items():
            passives = before - a - c
            for more in range(min(n, plus - a) + 1):
                for fewer in range(max(0, n - more - (neutral - passives)), min(n - more, minus - c) + 1):
                    key = (a + more, c + fewer, t + (more - fewer) * x)
                    after[key] = after.get(key, 0) + w * math.comb(n, more) * math.comb(n - more, fewer)
        ways, before = after, before + n
    extreme = sum(w for (a, c, t), w in ways.items() if a == plus and c == minus and abs(t * everyone - centre) >= observed)
    return min(1.0, extreme / (math.comb(everyone, plus) * math.comb(everyone - plus, minus)))


@dataclass(frozen=True)
class Trend:
    """Where a metric went over its periods."""

    direction: Direction | None
    """``rising``/``falling`` when significant at 5%, else ``flat``; None with one period."""
    significant_change: bool | None
    """Whether the change over the last period (last vs the one before) is significant; None when untestable."""
    method: Literal["weighted", "slope"] | None
    """``weighted``: slope weighted by each period's sampling precision; ``slope``: ordinary least squares."""


def trend(values: Sequence[float], samples: Sequence[Sample | None], xs: Sequence[float] | None = None) -> Trend:
    """The trend of a series, oldest first.

    With sampling information for every period, the direction is the sign of
    the weighted least-squares slope (weights 1 / the variance of each
    period's value) when the slope's z test is significant (two-sided, 5%);
    otherwise, with three or more periods, the sign of an ordinary
    least-squares slope when its t test is. ``significant_change`` tests the
    last period against the one before with the metric's own test.
    """
    if len(values) < 2:
        return Trend(None, None, None)
    scale = max(1.0, *(abs(v) for v in values))
    if max(values) - min(values) <= 1e-12 * scale:
        # The same value in every period: flat, and no change to call significant, even where no test
        # applies (a mean of one answer: "7 -> 7 over 2 weeks" had no verdict).
        return Trend("flat", False, None)
    last_change: bool | None = None
    if samples[-1] is not None and samples[-2] is not None:
        p = change_p_value(samples[-2], samples[-1])  # type: ignore[arg-type]
        last_change = None if p is None else p < ALPHA
    if len(values) == 2 and last_change is not None:
        # Two periods: the trend is their change, by the metric's own test (for a proportion
        # with few answers Fisher's, where the slope's z test called 0 of 2 then 2 of 2 rising).
        return Trend(_sign(values[1] - values[0]) if last_change else "flat", last_change, "weighted")
    if all(s is not None for s in samples):
        fit = weighted_slope_p_value([s for s in samples if s is not None], xs)
        if fit is not None:
            slope, p = fit
            return Trend(_sign(slope) if p < ALPHA else "flat", last_change, "weighted")
    fit = slope_p_value(values, xs)
    if fit is None:
        return Trend(None, last_change, None)
    slope, p = fit
    return Trend(_sign(slope) if p < ALPHA else "flat", last_change, "slope")


def _sign(change: float) -> Direction:
    return "rising" if change > 0 else "falling" if change < 0 else "flat"


def meaning(direction: Direction | None, better: Literal["higher", "lower"] | None) -> Literal["improving", "worsening", "steady"] | None:
    """What a direction means for a metric: response time falling is improving."""
    if direction is None or better is None:
        return None
    if direction == "flat":
        return "steady"
    return "improving" if (direction == "rising") == (better == "higher") else "worsening"
