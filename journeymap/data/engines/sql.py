"""The aggregates of an event log, written once in SQL that DuckDB and Spark both run.

Input: a view ``events(customer, seconds, touchpoint, outcome, segment)`` of
the good rows (``outcome`` and ``segment`` are '' when empty; ``seconds``
since 1970 UTC, a DOUBLE) and four small tables of journey facts:
``jm_touchpoints(id, outcome)``, ``jm_flows(source, target)``,
``jm_entries(id)``, ``jm_requires(touchpoint, required)`` (the immediate
dominator of each touchpoint in the declared flows).

The SQL keeps to what both dialects share: window functions with ROW_NUMBER,
LAG, LEAD and COUNT, CASE, LEFT JOIN, MAX_BY, FLOOR and CAST. Percentiles are
nearest-rank, computed from ROW_NUMBER and COUNT over the flow, not with a
dialect's own percentile function (their definitions differ).
``MATERIALIZED`` names the tables an engine should compute once and keep
(DuckDB: a temporary table; Spark: a cached view); the others are queries whose
rows the engine returns.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import (
    CONFORMANCE,
    DEVIATION_TYPES,
    TOP_DEVIATIONS,
    Cohort,
    DeviationCount,
    EventTables,
    FlowCount,
)

# Each customer's events in order; a row is kept when it starts a visit (its
# touchpoint differs from the previous event's) or carries an outcome cell.
# LEAD runs over the visits only (partition by kept), so next_touchpoint is the
# next visit's touchpoint and gap the time from this visit's start to the next.
STEPS = """
SELECT customer, step, touchpoint, seconds, outcome, segment, kept,
  CASE WHEN kept = 1 THEN LEAD(touchpoint) OVER (PARTITION BY customer, kept ORDER BY step) END
    AS next_touchpoint,
  CASE WHEN kept = 1 THEN LEAD(seconds) OVER (PARTITION BY customer, kept ORDER BY step) - seconds END
    AS gap
FROM (
  SELECT customer, step, touchpoint, seconds, outcome, segment,
    CASE WHEN previous = touchpoint THEN 0 ELSE 1 END AS kept
  FROM (
    SELECT customer, touchpoint, seconds, outcome, segment,
      ROW_NUMBER() OVER (PARTITION BY customer ORDER BY seconds, touchpoint, outcome, segment) AS step,
      LAG(touchpoint) OVER (PARTITION BY customer ORDER BY seconds, touchpoint, outcome, segment) AS previous
    FROM events
  ) ordered
) marked
WHERE kept = 1 OR outcome <> ''
"""

# Each visit with what the journey says about it.
FLAGGED = """
SELECT s.customer, s.step, s.touchpoint, s.seconds, s.outcome, s.segment, s.kept,
  s.next_touchpoint, s.gap,
  CASE WHEN s.kept = 1 AND t.id IS NULL THEN 1 ELSE 0 END AS unknown,
  CASE WHEN s.next_touchpoint IS NOT NULL AND n.id IS NULL THEN 1 ELSE 0 END AS next_unknown,
  CASE WHEN s.next_touchpoint IS NOT NULL AND t.id IS NOT NULL AND n.id IS NOT NULL
       AND f.source IS NULL THEN 1 ELSE 0 END AS undeclared,
  CASE WHEN s.step = 1 AND t.id IS NOT NULL AND e.id IS NULL THEN 1 ELSE 0 END AS bad_entry
FROM jm_steps s
LEFT JOIN jm_touchpoints t ON t.id = s.touchpoint
LEFT JOIN jm_touchpoints n ON n.id = s.next_touchpoint
LEFT JOIN jm_flows f ON f.source = s.touchpoint AND f.target = s.next_touchpoint
LEFT JOIN jm_entries e ON e.id = s.touchpoint
"""

# A visited touchpoint whose immediate dominator the customer never visited.
# (Visiting t without a dominator d implies some visited touchpoint on the
# dominator chain from t to d lacks its immediate one, so this finds them all.)
MISSING = """
SELECT DISTINCT v.customer, v.touchpoint AS source, r.required AS target
FROM (SELECT DISTINCT customer, touchpoint FROM jm_steps WHERE kept = 1) v
JOIN jm_requires r ON r.touchpoint = v.touchpoint
LEFT JOIN (SELECT DISTINCT customer, touchpoint FROM jm_steps WHERE kept = 1) w
  ON w.customer = v.customer AND w.touchpoint = r.required
WHERE w.customer IS NULL
"""

CUSTOMERS = """
SELECT c.customer, c.first_seconds, c.segment, c.entry, c.last_touchpoint,
  CASE WHEN c.outcome_cell IS NOT NULL THEN c.outcome_cell
       WHEN t.outcome IS NOT NULL AND t.outcome <> '' THEN t.outcome
       ELSE 'left' END AS outcome,
  c.ad_hoc, c.out_of_sequence,
  CASE WHEN m.customer IS NULL THEN 0 ELSE 1 END AS missing
FROM (
  SELECT customer, MIN(seconds) AS first_seconds,
    MAX(CASE WHEN step = 1 THEN segment END) AS segment,
    MAX(CASE WHEN step = 1 THEN touchpoint END) AS entry,
    MAX(CASE WHEN kept = 1 AND next_touchpoint IS NULL THEN touchpoint END) AS last_touchpoint,
    MAX_BY(CASE WHEN outcome <> '' THEN outcome END, CASE WHEN outcome <> '' THEN step END) AS outcome_cell,
    MAX(unknown) AS ad_hoc,
    MAX(CASE WHEN undeclared = 1 OR bad_entry = 1 THEN 1 ELSE 0 END) AS out_of_sequence
  FROM jm_flagged
  GROUP BY customer
) c
LEFT JOIN jm_touchpoints t ON t.id = c.last_touchpoint
LEFT JOIN (SELECT DISTINCT customer FROM jm_missing) m ON m.customer = c.customer
"""

MATERIALIZED = (
    ("jm_steps", STEPS),
    ("jm_flagged", FLAGGED),
    ("jm_missing", MISSING),
    ("jm_customers", CUSTOMERS),
)

TOUCHPOINTS = """
SELECT touchpoint, COUNT(DISTINCT customer) AS visitors, COUNT(*) AS visits
FROM jm_steps WHERE kept = 1
GROUP BY touchpoint
"""

ENTRIES = "SELECT entry, COUNT(*) AS customers FROM jm_customers GROUP BY entry"

ENDED = """
SELECT last_touchpoint, COUNT(*) AS customers FROM jm_customers
WHERE outcome <> 'success' GROUP BY last_touchpoint
"""

# Nearest rank: the smallest gap whose rank r has r >= p * n (integers: r * 10 >= 9 * n).
FLOWS = """
SELECT source, target, MAX(n) AS flow_count,
  MIN(CASE WHEN rank_in_flow * 2 >= n THEN gap END) AS median_seconds,
  MIN(CASE WHEN rank_in_flow * 10 >= n * 9 THEN gap END) AS p90_seconds
FROM (
  SELECT touchpoint AS source, next_touchpoint AS target, gap,
    ROW_NUMBER() OVER (PARTITION BY touchpoint, next_touchpoint ORDER BY gap) AS rank_in_flow,
    COUNT(*) OVER (PARTITION BY touchpoint, next_touchpoint) AS n
  FROM jm_steps WHERE next_touchpoint IS NOT NULL
) ranked
GROUP BY source, target
"""

COHORTS = """
SELECT CAST(FLOOR(first_seconds / 86400) AS BIGINT) AS day, segment, COUNT(*) AS customers,
  SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS success,
  SUM(CASE WHEN outcome = 'failure' THEN 1 ELSE 0 END) AS failure,
  SUM(CASE WHEN outcome = 'left' THEN 1 ELSE 0 END) AS left_journey,
  SUM(CASE WHEN ad_hoc = 0 AND out_of_sequence = 0 AND missing = 0 AND outcome = 'success'
      THEN 1 ELSE 0 END) AS conforming,
  SUM(ad_hoc) AS ad_hoc, SUM(out_of_sequence) AS out_of_sequence, SUM(missing) AS missing,
  SUM(CASE WHEN outcome <> 'success' THEN 1 ELSE 0 END) AS failing
FROM jm_customers
GROUP BY CAST(FLOOR(first_seconds / 86400) AS BIGINT), segment
"""

# One row per (deviation, example customer): the deviation's customer count and
# up to three example customers, the smallest ids.
DEVIATIONS = """
SELECT type, source, target, customers, customer FROM (
  SELECT type, source, target, customer,
    COUNT(*) OVER (PARTITION BY type, source, target) AS customers,
    ROW_NUMBER() OVER (PARTITION BY type, source, target ORDER BY customer) AS example
  FROM (
    SELECT DISTINCT type, source, target, customer FROM (
      SELECT 'ad_hoc' AS type, CAST(NULL AS STRING) AS source, touchpoint AS target, customer
        FROM jm_flagged WHERE step = 1 AND unknown = 1
      UNION ALL
      SELECT 'ad_hoc', touchpoint, next_touchpoint, customer
        FROM jm_flagged WHERE next_unknown = 1
      UNION ALL
      SELECT 'out_of_sequence', CAST(NULL AS STRING), touchpoint, customer
        FROM jm_flagged WHERE bad_entry = 1
      UNION ALL
      SELECT 'out_of_sequence', touchpoint, next_touchpoint, customer
        FROM jm_flagged WHERE undeclared = 1
      UNION ALL
      SELECT 'missing', source, target, customer FROM jm_missing
      UNION ALL
      SELECT 'failing', last_touchpoint, CAST(NULL AS STRING), customer
        FROM jm_customers WHERE outcome <> 'success'
    ) found
  ) distinct_found
) ranked
WHERE example <= 3
"""

QUERIES = (
    ("touchpoints", TOUCHPOINTS),
    ("entries", ENTRIES),
    ("ended", ENDED),
    ("flows", FLOWS),
    ("cohorts", COHORTS),
    ("deviations", DEVIATIONS),
)


def collect(engine: str, results: dict[str, list[tuple]], rows: int) -> EventTables:
    """The :class:`EventTables` of the rows each query returned (any engine, any row order)."""
    tables = EventTables(engine, rows=rows)
    for touchpoint, visitors, visits in results["touchpoints"]:
        tables.visitors[touchpoint] = int(visitors)
        tables.visits[touchpoint] = int(visits)
    tables.visitors = dict(sorted(tables.visitors.items()))
    tables.visits = dict(sorted(tables.visits.items()))
    tables.entries = dict(sorted((e, int(n)) for e, n in results["entries"]))
    tables.ended_without_success = dict(sorted((t, int(n)) for t, n in results["ended"]))
    tables.flows = sorted(
        FlowCount(a, b, int(n), float(median), float(p90)) for a, b, n, median, p90 in results["flows"]
    )
    tables.cohorts = sorted(Cohort(int(day), segment, *(int(v) for v in rest)) for day, segment, *rest in results["cohorts"])
    for cohort in tables.cohorts:
        tables.customers += cohort.customers
        tables.outcomes["success"] += cohort.success
        tables.outcomes["failure"] += cohort.failure
        tables.outcomes["left"] += cohort.left
        for name in CONFORMANCE:
            tables.conformance[name] += getattr(cohort, name)
    grouped: dict[tuple[str, str | None, str | None], tuple[int, list[str]]] = {}
    for kind, source, target, customers, customer in results["deviations"]:
        count, examples = grouped.setdefault((kind, source, target), (int(customers), []))
        examples.append(customer)
    tables.deviations = rank_deviations(
        DeviationCount(kind, source, target, count, tuple(sorted(examples)))
        for (kind, source, target), (count, examples) in grouped.items()
    )
    return tables


def rank_deviations(deviations: Iterable[DeviationCount]) -> list[DeviationCount]:
    """Most customers first, then by type, source and target; the first TOP_DEVIATIONS."""
    order = {name: i for i, name in enumerate(DEVIATION_TYPES)}
    ranked = sorted(deviations, key=lambda d: (-d.customers, order[d.type], d.source or "", d.target or ""))
    return ranked[:TOP_DEVIATIONS]
