"""The aggregates of an event log, written once in SQL that DuckDB and Spark both run.

Input: a view ``events(customer, seconds, touchpoint, outcome, segment)`` of
the good rows (``outcome`` and ``segment`` are '' when empty; ``seconds``
since 1970 UTC, a DOUBLE) and three small tables of journey facts:
``jm_touchpoints`` (:data:`TOUCHPOINT_COLUMNS`: id, declared outcome, entry 1
or 0, and the touchpoint's bit in a visited-set bitmask, with the bit of its
immediate dominator), ``jm_flows(source, target)`` and
``jm_requires(touchpoint, required)`` (the immediate dominator of each
touchpoint in the declared flows).

How it stays cheap at 10^8 events: one window pass sorts each customer's
events; everything after it reads that pass's rows once or twice. The set of
journey touchpoints a customer visited is a bitmask per 63 touchpoints
(``BIT_OR``), so visitors per touchpoint and *missing* steps are a grouping
by customer and a join against it, not a DISTINCT over every (customer,
touchpoint) pair or an anti-join against every visit.

The SQL keeps to what both dialects share: window functions with ROW_NUMBER,
LAG, LEAD and COUNT, CASE, LEFT JOIN, MAX_BY, BIT_OR and ``&``,
SUM ... OVER (... ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), FLOOR
and CAST. ``MATERIALIZED`` names the tables an engine should compute
once and keep (DuckDB: a temporary table; Spark: a cached view); the others
are queries whose rows the engine returns.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import (
    DEVIATION_TYPES,
    TOP_DEVIATIONS,
    Cohort,
    DeviationCount,
    EventTables,
    FlowCount,
    JourneyFacts,
)

WORD_BITS = 63
"""Touchpoints per word of a visited-set bitmask (bits 0..62 of a BIGINT)."""

TOUCHPOINT_COLUMNS = ("id", "outcome", "entry", "word", "bit", "required_word", "required_bit")
"""``jm_touchpoints``: a touchpoint, its declared outcome, 1 if an entry, its place in the
visited-set bitmask (word and bit value) and that of its immediate dominator (NULL if none)."""

# Each customer's events in one order, in one window pass. A row *starts* a
# visit when the previous event was at another touchpoint and *ends* it when the
# next one is; a flow goes from a visit's last event to the next visit's first.
# Kept: the rows that start or end a visit or carry an outcome cell.
STEPS = """
SELECT customer, step, touchpoint, outcome, starts, ends,
  CASE WHEN step = 1 THEN seconds END AS first_seconds,
  CASE WHEN step = 1 THEN segment END AS segment,
  CASE WHEN ends = 1 THEN next_touchpoint END AS next_touchpoint,
  CASE WHEN ends = 1 THEN next_seconds - seconds END AS gap
FROM (
  SELECT customer, step, touchpoint, seconds, outcome, segment, next_touchpoint, next_seconds,
    CAST(CASE WHEN previous = touchpoint THEN 0 ELSE 1 END AS TINYINT) AS starts,
    CAST(CASE WHEN next_touchpoint = touchpoint THEN 0 ELSE 1 END AS TINYINT) AS ends
  FROM (
    SELECT customer, touchpoint, seconds, outcome, segment,
      ROW_NUMBER() OVER (PARTITION BY customer ORDER BY seconds, touchpoint, outcome, segment) AS step,
      LAG(touchpoint) OVER (PARTITION BY customer ORDER BY seconds, touchpoint, outcome, segment) AS previous,
      LEAD(touchpoint) OVER (PARTITION BY customer ORDER BY seconds, touchpoint, outcome, segment) AS next_touchpoint,
      LEAD(seconds) OVER (PARTITION BY customer ORDER BY seconds, touchpoint, outcome, segment) AS next_seconds
    FROM events
  ) ordered
) marked
WHERE starts = 1 OR ends = 1 OR outcome <> ''
"""

# Each kept row with what the journey says about it. ``flagged`` = 1 on the few
# rows a customer-level figure needs (first and last rows, outcome cells, deviations).
# The 0/1 columns are TINYINT and the touchpoints' bitmask places are joined where
# they are used: at 10^7 rows, every byte of a row here is 10 MB to write and read.
FLAGGED = """
SELECT customer, step, touchpoint, outcome, starts, ends, first_seconds, segment, next_touchpoint, gap,
  unknown, next_unknown, undeclared, bad_entry,
  CAST(CASE WHEN step = 1 OR (ends = 1 AND next_touchpoint IS NULL) OR outcome <> '' OR unknown = 1
       OR next_unknown = 1 OR undeclared = 1 OR bad_entry = 1 THEN 1 ELSE 0 END AS TINYINT) AS flagged
FROM (
  SELECT s.customer, s.step, s.touchpoint, s.outcome, s.starts, s.ends, s.first_seconds, s.segment,
    s.next_touchpoint, s.gap,
    CAST(CASE WHEN s.starts = 1 AND t.id IS NULL THEN 1 ELSE 0 END AS TINYINT) AS unknown,
    CAST(CASE WHEN s.next_touchpoint IS NOT NULL AND n.id IS NULL THEN 1 ELSE 0 END AS TINYINT) AS next_unknown,
    CAST(CASE WHEN s.next_touchpoint IS NOT NULL AND t.id IS NOT NULL AND n.id IS NOT NULL
         AND f.source IS NULL THEN 1 ELSE 0 END AS TINYINT) AS undeclared,
    CAST(CASE WHEN s.step = 1 AND t.id IS NOT NULL AND t.entry = 0 THEN 1 ELSE 0 END AS TINYINT) AS bad_entry
  FROM jm_steps s
  LEFT JOIN jm_touchpoints t ON t.id = s.touchpoint
  LEFT JOIN jm_touchpoints n ON n.id = s.next_touchpoint
  LEFT JOIN jm_flows f ON f.source = s.touchpoint AND f.target = s.next_touchpoint
) joined
"""

# The journey's touchpoints each customer visited, as bitmasks (one row per word).
VISITED = """
SELECT s.customer, t.word, BIT_OR(t.bit) AS visited
FROM jm_steps s JOIN jm_touchpoints t ON t.id = s.touchpoint
WHERE s.starts = 1
GROUP BY s.customer, t.word
"""

# A visited touchpoint whose immediate dominator the customer never visited.
# (Visiting t without a dominator d implies some visited touchpoint on the
# dominator chain from t to d lacks its immediate one, so this finds them all.)
MISSING = """
SELECT DISTINCT s.customer, s.touchpoint AS source, d.required AS target
FROM jm_steps s
JOIN (
  SELECT t.id, t.required_word, t.required_bit, r.required
  FROM jm_touchpoints t JOIN jm_requires r ON r.touchpoint = t.id
) d ON d.id = s.touchpoint
LEFT JOIN jm_visited v ON v.customer = s.customer AND v.word = d.required_word
WHERE s.starts = 1 AND (v.visited IS NULL OR (v.visited & d.required_bit) = 0)
"""

CUSTOMERS = """
SELECT c.customer, c.first_seconds, c.segment, c.entry, c.last_touchpoint,
  CASE WHEN c.outcome_cell IS NOT NULL THEN c.outcome_cell
       WHEN t.outcome IS NOT NULL AND t.outcome <> '' THEN t.outcome
       ELSE 'left' END AS outcome,
  c.ad_hoc, c.out_of_sequence,
  CASE WHEN m.customer IS NULL THEN 0 ELSE 1 END AS missing
FROM (
  SELECT customer, MAX(first_seconds) AS first_seconds,
    MAX(segment) AS segment,
    MAX(CASE WHEN step = 1 THEN touchpoint END) AS entry,
    MAX(CASE WHEN ends = 1 AND next_touchpoint IS NULL THEN touchpoint END) AS last_touchpoint,
    MAX_BY(CASE WHEN outcome <> '' THEN outcome END, CASE WHEN outcome <> '' THEN step END) AS outcome_cell,
    MAX(unknown) AS ad_hoc,
    MAX(CASE WHEN undeclared = 1 OR bad_entry = 1 THEN 1 ELSE 0 END) AS out_of_sequence
  FROM jm_steps
  WHERE flagged = 1
  GROUP BY customer
) c
LEFT JOIN jm_touchpoints t ON t.id = c.last_touchpoint
LEFT JOIN (SELECT DISTINCT customer FROM jm_missing) m ON m.customer = c.customer
"""

# The window pass and the journey's facts in one table: one pass over the events.
STEPS_FLAGGED = FLAGGED.replace("FROM jm_steps s", "FROM (" + STEPS + ") s")

MATERIALIZED = (
    ("jm_steps", STEPS_FLAGGED),
    ("jm_visited", VISITED),
    ("jm_missing", MISSING),
    ("jm_customers", CUSTOMERS),
)

# Visits per touchpoint and flows with their times, in one grouping: a flow row
# has a gap; a visit's last row has none (its next touchpoint is NULL).
# Median and p90 are nearest rank (SQL's PERCENTILE_DISC): the smallest gap g
# such that at least p of the flow's gaps are <= g. They are read from a
# histogram, a count per (flow, gap) and its running sum in gap order, not
# from PERCENTILE_DISC itself: that aggregate keeps every gap of a flow in
# memory (DuckDB runs out of it past ~10^8 gaps), where a grouping and a
# window spill. The gaps are whole seconds in most logs, so the histogram is small.
FLOWS = """
SELECT source, target, SUM(visits) AS visits, SUM(gaps) AS flow_count,
  MIN(CASE WHEN 2 * below >= total THEN gap END) AS median_seconds,
  MIN(CASE WHEN 10 * below >= 9 * total THEN gap END) AS p90_seconds
FROM (
  SELECT source, target, gap, visits, gaps,
    SUM(gaps) OVER (PARTITION BY source, target ORDER BY gap ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS below,
    SUM(gaps) OVER (PARTITION BY source, target) AS total
  FROM (
    SELECT touchpoint AS source, next_touchpoint AS target, gap,
      CAST(SUM(starts) AS BIGINT) AS visits, COUNT(gap) AS gaps
    FROM jm_steps
    GROUP BY touchpoint, next_touchpoint, gap
  ) histogram
) ranked
GROUP BY source, target
"""

# Visitors of the journey's touchpoints: per word, how many customers have each bit.
VISITORS = (
    "SELECT word, "
    + ", ".join(f"SUM(CASE WHEN (visited & {1 << b}) <> 0 THEN 1 ELSE 0 END) AS b{b}" for b in range(WORD_BITS))
    + "\nFROM jm_visited GROUP BY word"
)

# Visitors of touchpoints the journey does not have (ad hoc: few rows).
VISITORS_AD_HOC = """
SELECT touchpoint, COUNT(DISTINCT customer) AS visitors
FROM jm_steps WHERE unknown = 1
GROUP BY touchpoint
"""

ENTRIES = "SELECT entry, COUNT(*) AS customers FROM jm_customers GROUP BY entry"

ENDED = """
SELECT last_touchpoint, COUNT(*) AS customers FROM jm_customers
WHERE outcome <> 'success' GROUP BY last_touchpoint
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
# up to three example customers, the smallest ids. Failing customers are one
# row each already (no DISTINCT over them).
DEVIATIONS = """
SELECT type, source, target, customers, customer FROM (
  SELECT type, source, target, customer,
    COUNT(*) OVER (PARTITION BY type, source, target) AS customers,
    ROW_NUMBER() OVER (PARTITION BY type, source, target ORDER BY customer) AS example
  FROM (
    SELECT DISTINCT type, source, target, customer FROM (
      SELECT 'ad_hoc' AS type, CAST(NULL AS STRING) AS source, touchpoint AS target, customer
        FROM jm_steps WHERE step = 1 AND unknown = 1
      UNION ALL
      SELECT 'ad_hoc', touchpoint, next_touchpoint, customer
        FROM jm_steps WHERE next_unknown = 1
      UNION ALL
      SELECT 'out_of_sequence', CAST(NULL AS STRING), touchpoint, customer
        FROM jm_steps WHERE bad_entry = 1
      UNION ALL
      SELECT 'out_of_sequence', touchpoint, next_touchpoint, customer
        FROM jm_steps WHERE undeclared = 1
      UNION ALL
      SELECT 'missing', source, target, customer FROM jm_missing
    ) found
  ) distinct_found
) ranked
WHERE example <= 3
UNION ALL
SELECT 'failing', last_touchpoint, CAST(NULL AS STRING), customers, customer FROM (
  SELECT last_touchpoint, customer,
    COUNT(*) OVER (PARTITION BY last_touchpoint) AS customers,
    ROW_NUMBER() OVER (PARTITION BY last_touchpoint ORDER BY customer) AS example
  FROM jm_customers WHERE outcome <> 'success'
) failing
WHERE example <= 3
"""

QUERIES = (
    ("flows", FLOWS),
    ("visitors", VISITORS),
    ("visitors_ad_hoc", VISITORS_AD_HOC),
    ("entries", ENTRIES),
    ("ended", ENDED),
    ("cohorts", COHORTS),
    ("deviations", DEVIATIONS),
)


def touchpoint_table(facts: JourneyFacts) -> list[tuple[str, str, int, int, int, int | None, int | None]]:
    """The rows of ``jm_touchpoints`` (:data:`TOUCHPOINT_COLUMNS`), by id."""
    rows = facts.touchpoint_rows()
    place = {t: divmod(i, WORD_BITS) for i, (t, _, _) in enumerate(rows)}
    required = dict(facts.requires)
    table = []
    for t, outcome, entry in rows:
        word, bit = place[t]
        up = place.get(required.get(t, ""))
        table.append((t, outcome, entry, word, 1 << bit, up[0] if up else None, 1 << up[1] if up else None))
    return table


def collect(engine: str, results: dict[str, list[tuple]], rows: int, facts: JourneyFacts) -> EventTables:
    """The :class:`EventTables` of the rows each query returned (any engine, any row order)."""
    tables = EventTables(engine, rows=rows)
    for source, target, visits, count, median, p90 in results["flows"]:
        if visits:
            tables.visits[source] = tables.visits.get(source, 0) + int(visits)
        if count:
            tables.flows.append(FlowCount(source, target, int(count), float(median), float(p90)))
    names = [t for t, *_ in facts.touchpoint_rows()]
    for word, *bits in results["visitors"]:
        for bit, visitors in enumerate(bits):
            if visitors:
                tables.visitors[names[int(word) * WORD_BITS + bit]] = int(visitors)
    for touchpoint, visitors in results["visitors_ad_hoc"]:
        tables.visitors[touchpoint] = int(visitors)
    tables.visitors = dict(sorted(tables.visitors.items()))
    tables.visits = dict(sorted(tables.visits.items()))
    tables.entries = dict(sorted((e, int(n)) for e, n in results["entries"]))
    tables.ended_without_success = dict(sorted((t, int(n)) for t, n in results["ended"]))
    tables.flows.sort()
    tables.cohorts = sorted(Cohort(int(day), segment, *(int(v) for v in rest)) for day, segment, *rest in results["cohorts"])
    tables.add_cohort_totals()
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
