"""Confidence intervals, tests of change and trends (journeymap.stats), checked against
published worked examples, scipy, and coverage simulations on generated data."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from journeymap.stats import (
    NO_INTERVAL,
    Sample,
    Trend,
    change_p_value,
    cochran_armitage_exact_p,
    fisher_exact_p,
    interval,
    mean_of,
    mean_of_counted,
    mean_sample,
    meaning,
    no_interval_reason,
    nps_exact_p,
    nps_sample,
    proportion,
    slope_p_value,
    summary_sample,
    trend,
    variance_of_all_answers,
    weighted_slope_p_value,
    wilson,
)

# -- published worked examples --------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe RG (1998), "Two-sided confidence intervals for the single proportion:
        # comparison of seven methods", Statistics in Medicine 17:857-872, Table II,
        # method 3 (Wilson score interval without continuity correction).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe_1998(successes: int, n: int, low: float, high: float) -> None:
    got = wilson(successes, n)
    assert (round(got[0], 4), round(got[1], 4)) == (low, high)
    assert interval(proportion(successes, n)) == pytest.approx(got)


def test_nps_variance_matches_the_cross_validated_worked_example() -> None:
    # stats.stackexchange.com question 18603 ("How can I calculate margin of error in a NPS
    # result?", answer by whuber): 1/2 promoters, 1/3 passives, 1/6 detractors give
    # NPS = 1/3 and a variance of 5/9 per answer, so SE = sqrt(5/9 / n).
    sample = nps_sample(300, 100, 600)
    assert sample.value == pytest.approx(100 / 3)
    assert sample.variance == pytest.approx(10000 * 5 / 9)
    low, high = interval(sample)  # type: ignore[misc]
    half = 1.959963984540054 * 100 * math.sqrt(5 / 9 / 600)
    assert (low, high) == pytest.approx((100 / 3 - half, 100 / 3 + half))
    assert half == pytest.approx(5.964, abs=1e-3)  # +-6 NPS points with 600 answers


def test_t_interval_of_a_mean_matches_scipy() -> None:
    values = [5, 6, 2, 7, 4, 4, 5, 3, 6, 6]
    sample = mean_of(values)
    expected = scipy_stats.t.interval(
        0.95, len(values) - 1, loc=np.mean(values), scale=scipy_stats.sem(values)
    )
    assert interval(sample) == pytest.approx(expected)
    assert interval(mean_of([4.0])) is None  # one answer: no interval
    # answers all alike: a t interval of no width would call the mean certain; there is none, and the reason
    assert interval(mean_of([4.0, 4.0, 4.0])) is None
    assert no_interval_reason(mean_of([4.0, 4.0, 4.0])) == NO_INTERVAL["alike"]
    assert no_interval_reason(mean_of([4.0])) == NO_INTERVAL["one"] and no_interval_reason(sample) is None


def test_nps_interval_never_leaves_its_scale() -> None:
    low, high = interval(nps_sample(9, 0, 10))  # type: ignore[misc]
    assert -100 <= low <= high <= 100
    low, high = interval(nps_sample(1, 9, 10))  # type: ignore[misc]
    assert low == -100.0 < high


@pytest.mark.parametrize(("promoters", "detractors", "n"), [(0, 10, 10), (40, 0, 40), (0, 0, 50), (1, 0, 1), (0, 1, 1)])
def test_nps_from_one_answer_or_answers_all_alike_has_no_interval(promoters: int, detractors: int, n: int) -> None:
    # All promoters gave "+100 to +100": a standard error of 0, as if 40 answers made +100 certain.
    sample = nps_sample(promoters, detractors, n)
    assert interval(sample) is None
    assert no_interval_reason(sample) == NO_INTERVAL["one" if n == 1 else "one-class"]


# -- coverage: the interval holds the true value at its nominal rate -----------------


def _coverage(hits: list[bool]) -> float:
    return sum(hits) / len(hits)


def test_wilson_interval_covers_the_true_csat_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(20261129)
    truth, n, runs = 0.3, 120, 4000
    successes = rng.binomial(n, truth, size=runs)
    hits = [interval(proportion(int(k), n))[0] <= truth <= interval(proportion(int(k), n))[1] for k in successes]  # type: ignore[index]
    assert 0.935 <= _coverage(hits) <= 0.965


def test_nps_interval_covers_the_true_nps_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(7)
    shares = [0.45, 0.35, 0.20]  # promoters, passives, detractors: true NPS +25
    truth, n, runs = 25.0, 200, 4000
    draws = rng.multinomial(n, shares, size=runs)
    hits = []
    for promoters, _passives, detractors in draws:
        low, high = interval(nps_sample(int(promoters), int(detractors), n))  # type: ignore[misc]
        hits.append(low <= truth <= high)
    assert 0.935 <= _coverage(hits) <= 0.965


def test_t_interval_covers_the_true_ces_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(11)
    scale = np.arange(1, 8)
    weights = np.array([0.05, 0.05, 0.1, 0.15, 0.25, 0.25, 0.15])
    truth, n, runs = float(scale @ weights), 40, 3000
    answers = rng.choice(scale, p=weights, size=(runs, n))
    totals, squares = answers.sum(axis=1), (answers**2).sum(axis=1)
    hits = []
    for total, square in zip(totals, squares, strict=True):
        mean = total / n
        sample = Sample("mean", n, mean, (square - n * mean * mean) / (n - 1))
        low, high = interval(sample)  # type: ignore[misc]
        hits.append(low <= truth <= high)
    assert 0.93 <= _coverage(hits) <= 0.965


def test_intervals_agree_with_a_bootstrap_of_the_same_answers() -> None:
    """The closed forms against brute force: 4,000 bootstrap resamples of one survey."""
    rng = np.random.default_rng(3)
    answers = rng.choice(np.arange(0, 11), size=500, p=[0.04] * 7 + [0.1, 0.12, 0.2, 0.30])
    coded = np.where(answers >= 9, 100.0, np.where(answers <= 6, -100.0, 0.0))
    resamples = rng.choice(coded, size=(4000, coded.size)).mean(axis=1)
    boot = np.percentile(resamples, [2.5, 97.5])
    low, high = interval(nps_sample(int((answers >= 9).sum()), int((answers <= 6).sum()), answers.size))  # type: ignore[misc]
    assert low == pytest.approx(boot[0], abs=1.5) and high == pytest.approx(boot[1], abs=1.5)
    satisfied = (rng.random(300) < 0.62).astype(float)
    boot = np.percentile(rng.choice(satisfied, size=(4000, satisfied.size)).mean(axis=1), [2.5, 97.5])
    low, high = wilson(int(satisfied.sum()), satisfied.size)
    assert low == pytest.approx(boot[0], abs=0.01) and high == pytest.approx(boot[1], abs=0.01)


# -- tests of change against scipy ---------------------------------------------------


def test_two_proportion_z_test_equals_the_chi_square_test_of_the_2x2_table() -> None:
    for (k1, n1), (k2, n2) in [((640, 1000), (590, 1000)), ((30, 64), (41, 70)), ((5, 20), (15, 22))]:
        table = [[k1, n1 - k1], [k2, n2 - k2]]
        expected = scipy_stats.chi2_contingency(table, correction=False)[1]
        assert change_p_value(proportion(k1, n1), proportion(k2, n2)) == pytest.approx(expected, rel=1e-9)


def test_fisher_exact_test_matches_scipy_on_every_small_table() -> None:
    for n1 in range(1, 9):
        for n2 in range(1, 9):
            for k1 in range(n1 + 1):
                for k2 in range(n2 + 1):
                    expected = scipy_stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]])[1]
                    assert fisher_exact_p(k1, n1, k2, n2) == pytest.approx(expected, rel=1e-9, abs=1e-15)
    for k1, n1, k2, n2 in [(3, 1000, 12, 1000), (1, 40, 9, 45), (0, 5000, 4, 5000), (2, 3, 400, 2000)]:
        expected = scipy_stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]])[1]
        assert fisher_exact_p(k1, n1, k2, n2) == pytest.approx(expected, rel=1e-9)


def test_a_change_of_proportion_with_an_expected_count_under_5_is_tested_exactly() -> None:
    """0 of 2 satisfied, then 2 of 2: the z test said p = 0.046 ('significant'); Fisher says 1/3."""
    assert change_p_value(proportion(0, 2), proportion(2, 2)) == pytest.approx(1 / 3)
    assert trend([0.0, 1.0], [proportion(0, 2), proportion(2, 2)]) == Trend("flat", False, "weighted")
    # 3 of 1000 then 12 of 1000: an expected count of 7.5, so still the z test (chi-square without correction)
    table = [[3, 997], [12, 988]]
    assert change_p_value(proportion(3, 1000), proportion(12, 1000)) == pytest.approx(
        scipy_stats.chi2_contingency(table, correction=False)[1], rel=1e-9)
    # 1 of 1000 then 8 of 1000: expected 4.5, Fisher's exact test
    assert change_p_value(proportion(1, 1000), proportion(8, 1000)) == pytest.approx(
        scipy_stats.fisher_exact([[1, 999], [8, 992]])[1], rel=1e-9)
    # enough answers for a clear fall: the two-period trend follows the change's own test
    before, after = proportion(70, 100), proportion(45, 100)
    assert change_p_value(before, after) < 0.05  # type: ignore[operator]
    assert trend([0.70, 0.45], [before, after]) == Trend("falling", True, "weighted")


def test_welch_t_test_of_means_matches_scipy() -> None:
    rng = np.random.default_rng(5)
    a = rng.integers(1, 8, size=35).astype(float)
    b = rng.integers(2, 8, size=52).astype(float)
    expected = scipy_stats.ttest_ind(a, b, equal_var=False).pvalue
    assert change_p_value(mean_of(list(a)), mean_of(list(b))) == pytest.approx(expected, rel=1e-9)


def test_nps_change_uses_the_difference_with_its_own_standard_error() -> None:
    before, after = nps_sample(400, 200, 1000), nps_sample(450, 150, 1000)  # +20 -> +30
    se = math.sqrt(before.variance / 1000 + after.variance / 1000)
    z = (after.value - before.value) / se
    assert change_p_value(before, after) == pytest.approx(2 * scipy_stats.norm.sf(abs(z)))
    assert change_p_value(before, after) < 0.05  # type: ignore[operator]
    assert change_p_value(nps_sample(40, 20, 100), nps_sample(45, 15, 100)) > 0.05  # type: ignore[operator]


def permutation_p(before: tuple[int, int, int], after: tuple[int, int, int]) -> float:
    """The permutation test of an NPS difference by brute force: every way of choosing the second period's
    answers among all of them, the share whose NPS difference is at least the observed one."""
    from itertools import combinations

    scores = [1] * (before[0] + after[0]) + [0] * (before[1] + after[1]) + [-1] * (before[2] + after[2])
    n2, total = sum(after), len(scores)

    def difference(chosen: tuple[int, ...]) -> float:
        second = sum(scores[i] for i in chosen)
        return second / n2 - (sum(scores) - second) / (total - n2)

    observed = abs((after[0] - after[2]) / n2 - (before[0] - before[2]) / sum(before))
    splits = [abs(difference(chosen)) for chosen in combinations(range(total), n2)]
    return sum(1 for d in splits if d >= observed - 1e-12) / len(splits)


@pytest.mark.parametrize(
    ("before", "after"),
    [((5, 2, 1), (0, 1, 1)), ((6, 2, 2), (0, 0, 2)), ((3, 3, 3), (1, 1, 1)), ((4, 0, 4), (0, 3, 0)), ((2, 5, 1), (3, 0, 1)),
     ((7, 1, 0), (1, 0, 3))],
)
def test_the_exact_nps_test_is_the_permutation_test(before: tuple[int, int, int], after: tuple[int, int, int]) -> None:
    assert nps_exact_p(before, after) == pytest.approx(permutation_p(before, after), rel=1e-9)
    assert nps_exact_p(after, before) == pytest.approx(permutation_p(before, after), rel=1e-9)


def test_an_nps_change_on_a_few_answers_is_tested_exactly() -> None:
    """+40 on 500 answers, then a detractor and a passive (-50): the normal test of the difference called it a
    significant fall (p = 0.011, a weak touchpoint with worsening: true), where 12% of any two answers under
    "no change" do as badly. With an expected count under 5 the test is exact, as Fisher's is for a share."""
    before, after = nps_sample(300, 100, 500), nps_sample(0, 1, 2)
    assert change_p_value(before, after) == pytest.approx(0.2 * 0.2 + 2 * 0.2 * 0.2 * (498 / 500), abs=0.01)
    assert change_p_value(before, after) == pytest.approx(nps_exact_p((300, 100, 100), (0, 1, 1)))
    found = trend([before.value, after.value], [before, after])
    assert (found.direction, found.significant_change) == ("flat", False)
    # two detractors: exactly the chance of two detractors in a row (~0.2 x 0.2), significant, just
    assert change_p_value(before, nps_sample(0, 2, 2)) == pytest.approx(nps_exact_p((300, 100, 100), (0, 0, 2)))
    assert 0.03 < change_p_value(before, nps_sample(0, 2, 2)) < 0.05  # type: ignore[operator]
    # expected counts of 5 or more: the difference over its standard error, as before
    big = nps_sample(45, 10, 100)
    se = math.sqrt(before.variance / 500 + big.variance / 100)
    assert change_p_value(before, big) == pytest.approx(2 * scipy_stats.norm.sf(abs(big.value - before.value) / se))


def linear_contrast(groups: list[list[float]]) -> tuple[float, float]:
    """The test for a linear trend among the means of groups at 0, 1, 2, ... (one-way ANOVA's linear contrast,
    weights n_i): slope and two-sided p-value by Student's t on the N - k degrees of freedom of the variance within."""
    n = np.array([len(g) for g in groups], dtype=float)
    means, x = np.array([np.mean(g) for g in groups]), np.arange(float(len(groups)))
    within = sum(((np.array(g) - np.mean(g)) ** 2).sum() for g in groups) / (n.sum() - len(groups))
    xm = (n * x).sum() / n.sum()
    sxx = (n * (x - xm) ** 2).sum()
    slope = (n * (x - xm) * means).sum() / sxx
    return slope, float(2 * scipy_stats.t.sf(abs(slope / math.sqrt(within / sxx)), n.sum() - len(groups)))


def test_a_trend_of_means_is_tested_with_the_degrees_of_freedom_of_their_variance() -> None:
    """CES 1, 2 then 3, 4 then 6, 7: six answers were a rise at p = 1.5e-12, the variance within the periods,
    estimated from three degrees of freedom, taken for known (a z test). The linear contrast of one-way ANOVA
    tests it with Student's t on the N - k degrees of freedom of that variance: p = 0.006."""
    groups = [[1.0, 2.0], [3.0, 4.0], [6.0, 7.0]]
    slope, p = weighted_slope_p_value([mean_of(g) for g in groups])  # type: ignore[misc]
    assert (slope, p) == pytest.approx(linear_contrast(groups))
    assert 0.001 < p < 0.01
    # many answers: t on 897 degrees of freedom, as good as the z test it was
    big = [[float(v) for v in range(1, 8)] * 40 + [c] * 20 for c in (3.0, 4.0, 4.5)]
    assert weighted_slope_p_value([mean_of(g) for g in big]) == pytest.approx(linear_contrast(big))


def test_slope_test_matches_scipy_linregress() -> None:
    values = [0.71, 0.69, 0.70, 0.66, 0.65, 0.64]
    slope, p = slope_p_value(values)  # type: ignore[misc]
    fit = scipy_stats.linregress(range(len(values)), values)
    assert (slope, p) == pytest.approx((fit.slope, fit.pvalue))
    assert slope_p_value([1.0, 2.0]) is None


# -- trends on hand-made series ---------------------------------------------------------


def test_a_real_fall_in_csat_is_falling_and_worsening() -> None:
    series = [proportion(710, 1000), proportion(690, 1000), proportion(640, 1000)]
    found = trend([s.value for s in series], series)
    assert (found.direction, found.method, found.significant_change) == ("falling", "weighted", True)
    assert meaning(found.direction, "higher") == "worsening"


def test_the_weighted_slope_of_two_periods_is_the_pooled_two_proportion_test() -> None:
    before, after = proportion(300, 500), proportion(360, 520)
    _slope, p = weighted_slope_p_value([before, after])  # type: ignore[misc]
    chi2 = scipy_stats.chi2_contingency([[300, 200], [360, 160]], correction=False)
    assert p == pytest.approx(chi2.pvalue)


def cochran_armitage_p(successes: list[int], totals: list[int], scores: list[float]) -> float:
    """The Cochran-Armitage test for trend as textbooks write it (Agresti, Categorical Data Analysis):
    T = sum t_i (a_i - n_i A / N), Var T = p(1 - p) (sum t_i^2 n_i - (sum t_i n_i)^2 / N)."""
    total, hits = sum(totals), sum(successes)
    share = hits / total
    statistic = sum(t * (a - n * hits / total) for t, a, n in zip(scores, successes, totals, strict=True))
    variance = share * (1 - share) * (sum(t * t * n for t, n in zip(scores, totals, strict=True))
                                      - sum(t * n for t, n in zip(scores, totals, strict=True)) ** 2 / total)
    return float(2 * scipy_stats.norm.sf(abs(statistic) / math.sqrt(variance)))


@pytest.mark.parametrize(
    ("successes", "totals", "scores"),
    [
        ([71, 69, 64], [100, 100, 100], [0, 1, 2]),
        ([45, 41, 36, 20], [50, 50, 50, 50], [0, 1, 2, 11]),  # months with a gap: the scores are elapsed months
        ([0, 30, 50], [40, 60, 50], [0, 1, 2]),  # a period at 0% and one at 100%: weighed by n alone
    ],
)
def test_a_proportion_s_trend_is_the_cochran_armitage_test(successes: list[int], totals: list[int], scores: list[float]) -> None:
    samples = [proportion(a, n) for a, n in zip(successes, totals, strict=True)]
    xs = [float(x) for x in scores]
    _slope, p = weighted_slope_p_value(samples, xs)  # type: ignore[misc]
    assert p == pytest.approx(cochran_armitage_p(successes, totals, xs))


def exact_trend_p(successes: list[int], totals: list[int], scores: list[int]) -> float:
    """The exact Cochran-Armitage test by brute force: every way of choosing which answers are the successes,
    the share whose T = sum of the successes' scores lies at least as far from its mean as the observed one."""
    from itertools import combinations

    answers = [x for x, n in zip(scores, totals, strict=True) for _ in range(n)]
    hits = sum(successes)
    mean = hits * sum(answers) / len(answers)
    observed = abs(sum(a * x for a, x in zip(successes, scores, strict=True)) - mean)
    spreads = [abs(sum(answers[i] for i in chosen) - mean) for chosen in combinations(range(len(answers)), hits)]
    return sum(1 for d in spreads if d >= observed - 1e-9) / len(spreads)


@pytest.mark.parametrize(
    ("successes", "totals", "scores"),
    [
        ([1, 0, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1], [0, 1, 2, 3, 4, 5]),  # one answer a month
        ([0, 0, 2], [2, 2, 2], [0, 1, 2]),  # 0 of 2, 0 of 2, 2 of 2: the normal test said p = 0.034, rising
        ([1, 1, 1, 0], [1, 1, 1, 3], [0, 1, 2, 3]),  # the normal test said p = 0.034, falling
        ([0, 3, 5], [4, 6, 5], [0, 1, 2]),
        ([2, 0, 1, 3], [3, 2, 2, 4], [0, 1, 5, 6]),  # months with gaps
    ],
)
def test_a_proportions_trend_on_few_answers_is_the_exact_cochran_armitage_test(
    successes: list[int], totals: list[int], scores: list[int]
) -> None:
    """With an expected count under 5 (as Fisher's test for two periods), the normal approximation called six
    answers a rise or a fall; the exact test, with the satisfied answers' total fixed, does not."""
    samples = [proportion(a, n) for a, n in zip(successes, totals, strict=True)]
    _slope, p = weighted_slope_p_value(samples, [float(x) for x in scores])  # type: ignore[misc]
    assert p == pytest.approx(exact_trend_p(successes, totals, scores), rel=1e-9)
    assert cochran_armitage_exact_p(successes, totals, scores) == pytest.approx(p)


def exact_nps_trend_p(classes: list[tuple[int, int, int]], scores: list[int]) -> float:
    """The exact test of an NPS trend by brute force: every way of choosing which answers are the promoters and
    which the detractors, the share whose T = sum of x (+1 a promoter, -1 a detractor) is as far from its mean."""
    from itertools import combinations

    answers = [x for x, c in zip(scores, classes, strict=True) for _ in range(sum(c))]
    plus, minus = sum(c[0] for c in classes), sum(c[2] for c in classes)
    mean = (plus - minus) * sum(answers) / len(answers)
    observed = abs(sum((c[0] - c[2]) * x for c, x in zip(classes, scores, strict=True)) - mean)
    spreads = []
    for promoters in combinations(range(len(answers)), plus):
        rest = [i for i in range(len(answers)) if i not in promoters]
        for detractors in combinations(rest, minus):
            spreads.append(abs(sum(answers[i] for i in promoters) - sum(answers[i] for i in detractors) - mean))
    return sum(1 for d in spreads if d >= observed - 1e-9) / len(spreads)


@pytest.mark.parametrize(
    ("classes", "scores"),
    [
        ([(0, 0, 2), (1, 0, 1), (2, 0, 0)], [0, 1, 2]),  # -100, 0, +100 on two answers each: the normal test said 0.046
        ([(1, 1, 1), (0, 2, 1), (2, 1, 0), (0, 0, 2)], [0, 1, 2, 3]),
        ([(1, 0, 1), (0, 1, 1), (2, 0, 1)], [0, 2, 3]),  # months with a gap
    ],
)
def test_an_nps_trend_on_few_answers_is_tested_exactly(classes: list[tuple[int, int, int]], scores: list[int]) -> None:
    samples = [nps_sample(c[0], c[2], sum(c)) for c in classes]
    _slope, p = weighted_slope_p_value(samples, [float(x) for x in scores])  # type: ignore[misc]
    assert p == pytest.approx(exact_nps_trend_p(classes, scores), rel=1e-9)


def test_six_single_answers_are_no_trend() -> None:
    series = [proportion(a, 1) for a in (1, 0, 1, 0, 0, 0)]
    found = trend([s.value for s in series], series)
    assert found.direction == "flat"
    _slope, p = weighted_slope_p_value(series)  # type: ignore[misc]
    assert p == pytest.approx(exact_trend_p([1, 0, 1, 0, 0, 0], [1] * 6, [0, 1, 2, 3, 4, 5])) and p > 0.1
    # the tables of the periods with few answers: 0 of 2, 0 of 2, then 2 of 2 is no rise (2 of the 15 ways, p = 0.13)
    few = [proportion(0, 2), proportion(0, 2), proportion(2, 2)]
    assert trend([s.value for s in few], few).direction == "flat"


def test_periods_that_scatter_more_than_sampling_allows_are_tested_by_their_scatter() -> None:
    # CLV 450, 1200, 1200, 500 from 300 answers each (sd 200): the sampling error of a month is
    # 11.5, the months jump by 750; the z test on sampling error alone called this rising.
    series = [mean_sample(v * 300, (200**2 * 299) + 300 * v * v, 300) for v in (450, 1200, 1200, 500)]
    assert all(s.variance == pytest.approx(200**2) for s in series)
    _slope, p = weighted_slope_p_value(series)  # type: ignore[misc]
    assert p == pytest.approx(scipy_stats.linregress(range(4), [450, 1200, 1200, 500]).pvalue)  # equal n: plain regression
    assert trend([s.value for s in series], series).direction == "flat"


def test_an_unweighted_slope_is_taken_against_elapsed_time() -> None:
    values, months = [10.0, 20, 30, 40], [0.0, 1, 2, 11]
    slope, p = slope_p_value(values, months)  # type: ignore[misc]
    fit = scipy_stats.linregress(months, values)
    assert (slope, p) == (pytest.approx(fit.slope), pytest.approx(fit.pvalue))
    assert p > 0.05  # equally spaced, the same values would be a perfect line (p = 0)
    assert slope_p_value(values) == (pytest.approx(10.0), 0.0)


def test_means_pool_the_variance_of_one_answer_over_the_periods() -> None:
    # Five answers that happen to agree must not outweigh a large, noisy period.
    periods = [mean_of([4.0, 4, 4, 4, 4.1]), mean_of([3.0, 6, 2, 7, 5, 4, 3, 6] * 10), mean_of([4.0, 4, 4.1, 4, 4])]
    pooled = sum((s.n - 1) * s.variance for s in periods) / sum(s.n - 1 for s in periods)
    slope, p = weighted_slope_p_value(periods)  # type: ignore[misc]
    x, w = np.arange(3), np.array([s.n / pooled for s in periods])
    y = np.array([s.value for s in periods])
    xm = (w * x).sum() / w.sum()
    expected = (w * (x - xm) * (y - (w * y).sum() / w.sum())).sum() / (w * (x - xm) ** 2).sum()
    assert slope == pytest.approx(expected)
    assert p > 0.05  # type: ignore[operator]


def test_a_period_of_one_answer_weighs_as_one_answer_in_the_trend() -> None:
    # NPS +60, +50, +40, +30, +20 on 300 answers a week, then this week's first answer, a promoter:
    # the single answer has no variance of its own, and the series went to the unweighted slope,
    # where +100 weighed as much as 300 answers: "flat". Pooled, it weighs as the one answer it is.
    shares = [(180, 90), (165, 90), (150, 90), (135, 90), (120, 90)]  # promoters, detractors of 300
    weeks = [nps_sample(plus, minus, 300) for plus, minus in shares] + [nps_sample(1, 0, 1)]
    found = trend([s.value for s in weeks], weeks)
    assert (found.direction, found.method) == ("falling", "weighted")
    # its weight is that of one answer of the answers' pooled variance, as any period's is
    pooled = variance_of_all_answers(weeks)
    slope, _p = weighted_slope_p_value(weeks)  # type: ignore[misc]
    x, w, y = np.arange(6), np.array([s.n / pooled for s in weeks]), np.array([s.value for s in weeks])
    xm = (w * x).sum() / w.sum()
    assert slope == pytest.approx((w * (x - xm) * (y - (w * y).sum() / w.sum())).sum() / (w * (x - xm) ** 2).sum())
    # a CES of one answer among months of 300 (sd 1.5): its variance is the pooled 2.25
    months = [mean_sample(v * 300, 2.25 * 299 + 300 * v * v, 300) for v in (5.5, 5.3, 5.1, 4.9, 4.7)]
    months.append(mean_sample(7.0, 49.0, 1))
    assert trend([s.value for s in months], months).direction == "falling"
    # two periods stay the change between them, which one answer cannot test; single answers throughout
    # have no pooled variance, and keep the unweighted slope
    pair = [months[0], months[-1]]
    assert trend([s.value for s in pair], pair) == Trend(None, None, None)
    singles = [mean_sample(v, v * v, 1) for v in (5.0, 4.0, 6.0, 3.0)]
    assert weighted_slope_p_value(singles) is None and trend([s.value for s in singles], singles).method == "slope"


def test_a_period_of_one_answer_keeps_the_false_alarm_rate_at_5_percent() -> None:
    # No trend at all: five weeks of 300 NPS answers and one week of one, in any place.
    rng = np.random.default_rng(5)
    alarms, runs = 0, 2000
    for _ in range(runs):
        weeks = []
        for n in [300] * 5:
            answers = rng.random(n)
            weeks.append(nps_sample(int((answers < 0.5).sum()), int((answers >= 0.8).sum()), n))
        one = rng.random()
        weeks.insert(int(rng.integers(6)), nps_sample(int(one < 0.5), int(one >= 0.8), 1))
        alarms += trend([s.value for s in weeks], weeks).direction != "flat"
    assert 0.03 < alarms / runs < 0.07


def test_the_weighted_slope_matches_wls_with_known_variances() -> None:
    # Weighted least squares by hand with numpy: beta = (X'WX)^-1 X'Wy, Var(beta) = (X'WX)^-1,
    # each period's variance the pooled share's p(1 - p) / n ("no trend").
    series = [proportion(700, 1000), proportion(330, 500), proportion(680, 1000), proportion(320, 500)]
    slope, p = weighted_slope_p_value(series)  # type: ignore[misc]
    x = np.column_stack([np.ones(4), np.arange(4)])
    share = sum(s.value * s.n for s in series) / sum(s.n for s in series)
    w = np.diag([s.n / (share * (1 - share)) for s in series])
    xtwx = x.T @ w @ x
    y = np.array([s.value for s in series])
    beta = np.linalg.solve(xtwx, x.T @ w @ y)
    residual = y - x @ beta
    assert scipy_stats.chi2.sf(residual @ w @ residual, 2) > 0.05  # scatter within sampling error
    se = math.sqrt(np.linalg.inv(xtwx)[1, 1])
    assert slope == pytest.approx(beta[1])
    assert p == pytest.approx(2 * scipy_stats.norm.sf(abs(beta[1] / se)))


def test_one_noisy_end_point_does_not_make_a_trend() -> None:
    # +52, +29, +45, +48, +47, +29: first against last alone would call it a fall (p = 0.009);
    # the line through every month is not significant (p = 0.24).
    series = [nps_sample(70, 8, 120), nps_sample(53, 18, 120), nps_sample(66, 12, 120), nps_sample(68, 10, 120),
              nps_sample(66, 10, 120), nps_sample(53, 18, 120)]
    assert change_p_value(series[0], series[-1]) < 0.05  # type: ignore[operator]
    assert trend([s.value for s in series], series).direction == "flat"


def test_noise_is_flat() -> None:
    series = [proportion(36, 50), proportion(33, 50), proportion(34, 50)]
    found = trend([s.value for s in series], series)
    assert (found.direction, found.significant_change) == ("flat", False)
    assert meaning(found.direction, "higher") == "steady"


def test_response_time_falling_is_improving() -> None:
    # Values from a metrics table without sampling information: the slope decides.
    found = trend([600.0, 540.0, 480.0, 420.0, 400.0], [None] * 5)
    assert (found.direction, found.method, found.significant_change) == ("falling", "slope", None)
    assert meaning(found.direction, "lower") == "improving"


def test_two_periods_without_samples_have_no_trend_and_one_period_none() -> None:
    assert trend([1.0, 2.0], [None, None]).direction is None
    # ...unless nothing changed: CES 7, 7 then 7 (a mean of one answer, no test applies) was no verdict
    assert trend([7.0, 7.0], [mean_sample(14, 98, 2), mean_sample(7, 49, 1)]) == Trend("flat", False, None)
    assert trend([100.0, 100.0], [None, None]).direction == "flat"
    assert trend([1.0], [None]).direction is None
    assert meaning(None, "higher") is None


# -- a mean of counted values: the same Sample as the list it stands for ---------------------

_scores = st.one_of(
    st.integers(-10000, 10000).map(lambda k: k / 10000),  # VADER's compound: four decimals
    st.floats(-1.0, 1.0),
    st.sampled_from([0.0, -0.0, 0.1, 0.2, 0.3, 1 / 3, 5e-324, -5e-324, 1e-300, 0.9999]),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e150, max_value=1e150),
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.tuples(_scores, st.integers(0, 40)), min_size=1, max_size=12))
def test_a_mean_of_counted_values_is_the_mean_of_the_values_repeated(pairs: list[tuple[float, int]]) -> None:
    counts: dict[float, int] = {}
    for value, count in pairs:
        counts[value] = counts.get(value, 0) + count
    expanded = [value for value, count in pairs for _ in range(count)]
    expected, got = mean_of(expanded), mean_of_counted(counts)
    # Bit for bit: the same floats (NaN variance of one value compared by its repr).
    assert (got.kind, got.n, repr(got.value), repr(got.variance)) == (expected.kind, expected.n, repr(expected.value), repr(expected.variance))


def test_a_mean_of_counted_values_on_a_million_comments() -> None:
    import random

    rng = random.Random(7)
    counts = {round(rng.uniform(-1, 1), 4): rng.randint(1, 500) for _ in range(4000)}
    expanded = [value for value, count in counts.items() for _ in range(count)]
    assert mean_of_counted(counts) == mean_of(expanded)
    assert mean_of_counted({}) == mean_of([])
    assert mean_of_counted({0.5: 0}) == mean_of([])


def test_t_quantile_and_p_values_are_scipy_stats_own_numbers_without_importing_it() -> None:
    import subprocess
    import sys

    from journeymap.stats import t_quantile

    for df in [1, 2, 3, 4.5, 7, 29, 30, 99.25, 1000, 10**6]:
        assert t_quantile(df) == float(scipy_stats.t.ppf(0.975, df))
    before, after = Sample("mean", 12, 4.0, 1.5), Sample("mean", 9, 3.1, 2.25)
    v1, v2 = before.variance / before.n, after.variance / after.n
    df = (v1 + v2) ** 2 / (v1 * v1 / (before.n - 1) + v2 * v2 / (after.n - 1))
    assert change_p_value(before, after) == float(2 * scipy_stats.t.sf(abs((after.value - before.value) / (v1 + v2) ** 0.5), df))
    code = ("import sys; from journeymap.stats import interval, mean_of, change_p_value; interval(mean_of([1.0, 2.0, 4.0]));"
            "change_p_value(mean_of([1.0, 2.0]), mean_of([3.0, 5.0])); print('scipy.stats' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_answers_all_alike_in_each_period_are_tested_with_the_spread_of_all_answers() -> None:
    """CES 7, 7 then 1, 1: each period's variance is 0, so the unpooled standard error was 0 and
    the change was 'significant' (p = 0) and the trend 'falling' from four answers. Under "no
    change" the four answers are one sample; Student's t on it is what scipy gives for them."""
    before, after = mean_of([7.0, 7.0]), mean_of([1.0, 1.0])
    answers = [7.0, 7.0, 1.0, 1.0]
    pooled_se = float(np.std(answers, ddof=1)) * math.sqrt(1 / 2 + 1 / 2)
    expected = 2 * scipy_stats.t.sf(6 / pooled_se, df=2)
    assert change_p_value(before, after) == pytest.approx(expected)
    assert change_p_value(before, after) > 0.2  # type: ignore[operator]
    assert trend([7.0, 1.0], [before, after]) == Trend("flat", False, "weighted")
    # Fifty answers each, all alike: still a clear fall.
    assert trend([7.0, 1.0], [mean_of([7.0] * 50), mean_of([1.0] * 50)]) == Trend("falling", True, "weighted")
    # NPS: five passives (NPS 0) then five detractors (-100): it was p = 0; the shares of all ten answers
    # (5 passives, 5 detractors: NPS -50, variance 2500) gave the z test, p = 0.0016; with expected counts
    # of 2.5 the test is exact: 2 of the 252 ways to split the ten answers are as far apart.
    p = change_p_value(nps_sample(0, 0, 5), nps_sample(0, 5, 5))
    assert p == pytest.approx(2 / 252) and p == pytest.approx(permutation_p((0, 5, 0), (0, 0, 5)))
    # A period of all promoters no longer outweighs the others in the slope (weight 1e12 before).
    series = [nps_sample(30, 20, 100), nps_sample(3, 0, 3), nps_sample(31, 20, 100)]
    assert trend([s.value for s in series], series).direction == "flat"


def test_a_period_of_answers_all_alike_beside_one_with_spread_is_tested_with_both_periods_spread() -> None:
    """Five CES answers of 7 after 300 averaging 6.6 (sd 0.66): the five have no spread, so the
    300's standard error alone (0.04) tested the difference: p = 6e-22, 'rising', 'significant'.
    Seven is the answer of 70% of the 300: five of them in a row is p = 0.17 by itself. Under
    "no change" the answers of both periods are one sample, as when both are alike."""
    answers = [7.0] * 210 + [6.0] * 60 + [5.0] * 30
    before, after = mean_of(answers), mean_of([7.0] * 5)
    everyone = answers + [7.0] * 5
    pooled_se = float(np.std(everyone, ddof=1)) * math.sqrt(1 / 300 + 1 / 5)
    expected = 2 * scipy_stats.t.sf((7.0 - before.value) / pooled_se, df=303)
    assert change_p_value(before, after) == pytest.approx(expected) and expected > 0.15
    assert change_p_value(after, before) == pytest.approx(expected)
    assert trend([before.value, 7.0], [before, after]) == Trend("flat", False, "weighted")
    # NPS +90 on 300 answers, then five promoters (+100): p = 8e-9 before; four detractors after
    # an NPS of +13 (a fifth of detractors: four in a row is p = 0.0016) is still a fall
    assert change_p_value(nps_sample(270, 0, 300), nps_sample(5, 0, 5)) > 0.4  # type: ignore[operator]
    fall = [nps_sample(100, 60, 300), nps_sample(0, 4, 4)]
    assert trend([s.value for s in fall], fall) == Trend("falling", True, "weighted")
    # periods with spread of their own are tested as before, by Welch's t
    spread = mean_of([7.0, 6.0, 7.0, 7.0, 5.0])
    welch = scipy_stats.ttest_ind(answers, [7.0, 6.0, 7.0, 7.0, 5.0], equal_var=False).pvalue
    assert change_p_value(before, spread) == pytest.approx(welch)


def test_an_nps_summary_of_plus_100_without_its_shares_is_tested_as_answers_all_alike() -> None:
    """A metrics table's NPS +90 on 300 answers, then +100 on 5, without promoter and detractor
    shares: +100 leaves no variance (every answer a promoter), so +90's bound alone tested the
    change, p = 7e-5, 'rising'. The answers of both periods together test it, as for survey answers."""
    from journeymap.metrics import BUILTIN

    before, _ = summary_sample(BUILTIN["nps"], 90, 300)
    after, _ = summary_sample(BUILTIN["nps"], 100, 5)
    assert before is not None and after is not None and not after.exact
    p = change_p_value(before, after)
    # all answers' shares with no passives (the largest variance each value allows): 95.2% promoters
    plus = (300 * 0.95 + 5) / 305
    expected = 2 * scipy_stats.norm.sf(10 / (100 * math.sqrt((1 - (2 * plus - 1) ** 2) * (1 / 300 + 1 / 5))))
    assert p == pytest.approx(expected) and p > 0.5  # type: ignore[operator]
    assert trend([90.0, 100.0], [before, after]).direction == "flat"
