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

from collections.abc import Callable
from dataclasses import replace

from ..metrics import MetricSpec, MetricValueError, parse_value
from ..problems import Problem, Span
from ..stats import Sample, summary_sample

COLUMNS = ("sd", "promoters", "detractors")

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
                problems.append(Problem(span("sd"), "invalid-sd", str(exc), "sd is the standard deviation of one answer, >= 0"))
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
                    problems.append(Problem(span(column), "invalid-share", str(exc), "write a share like 45% or 0.45"))
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


def _why_not_sd(spec: MetricSpec, proportion: bool) -> str:
    if spec.name == "nps":
        return "an NPS interval comes from n and the promoters and detractors shares"
    if proportion:
        return "a share's interval comes from n alone"
    return "it is not an estimate from answers"
