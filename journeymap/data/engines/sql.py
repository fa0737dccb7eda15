"""The aggregates of an event log, written once in SQL that DuckDB and Spark both run.

Input: a view ``events(customer, seconds, touchpoint, outcome, segment)`` of
the good rows (``outcome`` and ``segment`` are '' when empty; ``seconds``
since 1970 UTC, a DOUBLE) and three small tables of journey facts:
``jm_touchpoints`` (:data:`TOUCHPOINT_COLUMNS`: id, declared outcome, entry 1
or 0, and the touchpoint's bit in a visited-set bitmask, with the bit of its
immediate dominator, and its number), ``jm_flows(source, target)`` (the
declared flows, as touchpoint numbers), ``jm_requires(touchpoint, required)``
(the immediate dominator of each touchpoint in the declared flows) and
``jm_links(source, target)`` (the declared flows into another journey: a
touchpoint number and the other journey's touchpoint id); see :func:`fact_tables`.

How it stays cheap at 10^8 events: one window pass sorts each customer's
events; everything after it reads that pass's rows once or twice. The set of
journey touchpoints a customer visited is a bitmask per 63 touchpoints
(``BIT_OR``) in the customer's one row, so visitors per touchpoint and
*missing* steps are read from that row, not from a DISTINCT over every
(customer, touchpoint) pair or an anti-join against every visit.

The SQL keeps to what both dialects share: window functions with ROW_NUMBER,
LAG, LEAD and COUNT, CASE, LEFT JOIN, MAX_BY, BIT_OR and ``&``,
SUM ... OVER (... ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), FLOOR
and CAST. :func:`statements` gives the tables an engine should compute
once and keep (DuckDB: a temporary table; Spark: a cached view) and the
queries whose rows the engine returns.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from . import (
    DEVIATION_TYPES,
    LONG_STEP,
    TOP_DEVIATIONS,
    Cohort,
    DeviationCount,
    EventTables,
    FlowCount,
    JourneyFacts,
)

WORD_BITS = 63
"""Touchpoints per word of a visited-set bitmask (bits 0..62 of a BIGINT)."""

TOUCHPOINT_COLUMNS = ("id", "outcome", "entry", "word", "bit", "required_word", "required_bit", "number")
"""``jm_touchpoints``: a touchpoint, its declared outcome, 1 if an entry, its place in the
visited-set bitmask (word and bit value), that of its immediate dominator (NULL if none),
and its number (0, 1, ... in id order)."""

# Each customer's events in one order, in one window pass. A row *starts* a
# visit when the previous event was at another touchpoint and *ends* it when the
# next one is; a flow goes from a visit's last event to the next visit's first.
# At a touchpoint with a declared self-loop (``{merged}``: ``AND tp NOT IN (...)``,
# the numbers of :func:`loop_numbers`; nothing for a journey without one) every
# event starts and ends a visit, so a repeat there is the self-loop flow: a CASE
# on the row, no join and no other window function.
# Kept: the rows that start or end a visit or carry an outcome cell, and the
# first events (below).
#
# A touchpoint travels through the pass as two columns: ``tp``, the journey's
# number for it (:data:`TOUCHPOINT_COLUMNS`, numbered in id order), or
# ``{unknown}`` (the count of the journey's touchpoints) for a touchpoint the
# journey does not have, whose id is then ``other`` ('' for the journey's own).
# The journey's table is joined once, before the sort, and the sort, the LAG and
# LEAD, and the table written carry a number and an empty text where they carried
# an id: ~1.3 s less at 10^7 events (of ~7 s). ``entry`` (1 for an entry) rides along.
#
# A touchpoint written in other capitals ('Checkout') is the journey's (its ids are lowercase slugs): the join
# folds ASCII capitals alone, as the reference does (``python.journey_touchpoint``); one the journey lacks keeps
# its spelling in ``other``. Only a touchpoint that lower() changes is folded: DuckDB's translate() took 5.9 s
# over 10^7 events (the join on the cell as written 0.03 s, lower() and the test 0.08 s), and a cell lower()
# leaves alone has no ASCII capital, so translate() would leave it alone too.
#
# The order is the reference's: (seconds, the journey's touchpoints in id order
# before the others in id order, outcome, segment), sorted on less: the outcome of
# a good row is '', 'failure' or 'success', so a number in that order stands for it
# (:data:`OUTCOMES`, in the sort and in the table), and the segment is not a sort
# key. Events equal on the first three differ in nothing the aggregates read but the
# segment, and a customer's segment is that of the first event: the smallest segment
# among the events that tie for first place (RANK 1), whose rows are all kept for it.
STEPS = """
SELECT {checked_columns}customer, step, tp, other, outcome, starts, ends, entry,
  CASE WHEN step = 1 THEN seconds END AS first_seconds,
  CASE WHEN peer = 1 THEN segment END AS segment,
  CASE WHEN ends = 1 THEN next_tp END AS next_tp,
  CASE WHEN ends = 1 THEN next_other END AS next_other,
  CASE WHEN ends = 1 THEN next_seconds - seconds END AS gap
FROM (
  SELECT {checked}customer, step, peer, tp, other, entry, seconds, outcome, segment, next_tp, next_other, next_seconds,
    CAST(CASE WHEN previous = tp AND previous_other = other{merged} THEN 0 ELSE 1 END AS TINYINT) AS starts,
    CAST(CASE WHEN next_tp = tp AND next_other = other{merged} THEN 0 ELSE 1 END AS TINYINT) AS ends
  FROM (
    SELECT {checked}customer, tp, other, entry, seconds, outcome, segment,
      ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY {order}) AS step,
      RANK() OVER (PARTITION BY {partition} ORDER BY {order}) AS peer,
      LAG(tp) OVER (PARTITION BY {partition} ORDER BY {order}) AS previous,
      LAG(other) OVER (PARTITION BY {partition} ORDER BY {order}) AS previous_other,
      LEAD(tp) OVER (PARTITION BY {partition} ORDER BY {order}) AS next_tp,
      LEAD(other) OVER (PARTITION BY {partition} ORDER BY {order}) AS next_other,
      LEAD(seconds) OVER (PARTITION BY {partition} ORDER BY {order}) AS next_seconds
    FROM (
      SELECT {checked_events}e.customer, e.seconds, e.segment,
        CAST(CASE WHEN t.id IS NULL THEN {unknown} ELSE t.number END AS INTEGER) AS tp,
        CASE WHEN t.id IS NULL THEN e.touchpoint ELSE '' END AS other,
        CAST(CASE WHEN t.entry = 1 THEN 1 ELSE 0 END AS TINYINT) AS entry,
        CAST({outcome_code} AS TINYINT) AS outcome
      FROM {events} e LEFT JOIN jm_touchpoints t ON t.id = CASE WHEN e.touchpoint = lower(e.touchpoint) THEN e.touchpoint
        ELSE translate(e.touchpoint, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') END
    ) coded
  ) ordered
) marked
WHERE {keep}starts = 1 OR ends = 1 OR outcome <> 0 OR peer = 1
"""

ORDER = "seconds, tp, other, outcome"
"""The window pass's order. ``outcome`` is a number there (:data:`OUTCOMES`)."""

OUTCOMES = ("", "failure", "success")
"""A good row's outcome cells in the reference's order, numbered 0, 1, 2 in the window pass and its
table (anything else is 3: bad rows, in partitions of their own); the view ``jm_steps`` gives the text."""


def outcome_code(text: str) -> str:
    """SQL: the number of the outcome ``text`` (an expression), by :data:`OUTCOMES`."""
    return f"CASE {text}" + "".join(f" WHEN '{o}' THEN {i}" for i, o in enumerate(OUTCOMES)) + f" ELSE {len(OUTCOMES)} END"


def outcome_text(code: str, otherwise: str = "''") -> str:
    """SQL: the outcome text of the number ``code`` (an expression), ``otherwise`` for 0 or none."""
    return f"CASE {code}" + "".join(f" WHEN {i} THEN '{o}'" for i, o in enumerate(OUTCOMES) if o) + f" ELSE {otherwise} END"

# Each kept row with what the journey says about it. ``flagged`` = 1 on the few
# rows a customer-level figure needs (first and last rows, the events that tie
# for first place, outcome cells, deviations).
# The touchpoints' bitmask places are joined where they are used, and the seven
# 0/1 columns are kept as the bits of one TINYINT, ``flags`` (:data:`FLAG_COLUMNS`;
# the view ``jm_steps`` names them again): at 10^7 rows, every byte of a row here
# is 10 MB to write and read, and each column written costs its own pass (seven
# columns as one made writing the table ~0.7 s shorter at 10^7 rows).
FLAGGED = """
SELECT {checked}customer, step, tp, other, outcome, first_seconds, segment, next_tp, next_other, gap, {flags}
FROM (
SELECT {checked}customer, step, tp, other, outcome, starts, ends, first_seconds, segment, next_tp, next_other, gap,
  unknown, next_unknown, undeclared, bad_entry,
  CAST(CASE WHEN step = 1 OR segment IS NOT NULL OR (ends = 1 AND next_tp IS NULL) OR outcome <> 0 OR unknown = 1
       OR next_unknown = 1 OR undeclared = 1 OR bad_entry = 1 THEN 1 ELSE 0 END AS TINYINT) AS flagged
FROM (
  SELECT {checked_s}s.customer, s.step, s.tp, s.other, s.outcome, s.starts, s.ends, s.first_seconds, s.segment,
    s.next_tp, s.next_other, s.gap,
    CAST(CASE WHEN s.starts = 1 AND s.tp = {unknown} THEN 1 ELSE 0 END AS TINYINT) AS unknown,
    CAST(CASE WHEN s.next_tp = {unknown} THEN 1 ELSE 0 END AS TINYINT) AS next_unknown,
    CAST(CASE WHEN s.next_tp IS NOT NULL AND s.tp <> {unknown} AND s.next_tp <> {unknown}
         AND f.source IS NULL THEN 1 ELSE 0 END AS TINYINT) AS undeclared,
    CAST(CASE WHEN s.step = 1 AND s.tp <> {unknown} AND s.entry = 0 THEN 1 ELSE 0 END AS TINYINT) AS bad_entry
  FROM ({steps}) s
  LEFT JOIN jm_flows f ON f.source = s.tp AND f.target = s.next_tp
) joined
) flagged_rows
"""

FLAG_COLUMNS = ("starts", "ends", "unknown", "next_unknown", "undeclared", "bad_entry", "flagged")
"""The 0/1 columns of the window pass's rows, in the order of their bits in ``flags``."""

STEP_COLUMNS = ("customer", "step", "tp", "other", "outcome", "first_seconds", "segment", "next_tp", "next_other", "gap")
"""The window pass's other columns (and, when checked, ``bad`` and ``file`` first)."""

PACKED = "CAST(" + " + ".join(f"{1 << i} * {c}" for i, c in enumerate(FLAG_COLUMNS)) + " AS TINYINT) AS flags"


def flag(name: str) -> str:
    """SQL: whether a packed row's flag ``name`` (of :data:`FLAG_COLUMNS`) is set."""
    return f"(flags & {1 << FLAG_COLUMNS.index(name)}) <> 0"


def unpacked(table: str, where: str = "") -> str:
    """SELECT the window pass's rows from ``table`` with the flags as named 0/1 columns, and the outcome
    as text (``outcome``) and as its number (``outcome_code``, 0 for none)."""
    flags = ", ".join(f"CAST(CASE WHEN {flag(c)} THEN 1 ELSE 0 END AS TINYINT) AS {c}" for c in FLAG_COLUMNS)
    columns = ", ".join(f"{outcome_text('outcome')} AS outcome" if c == "outcome" else c for c in STEP_COLUMNS)
    return f"SELECT {columns}, outcome AS outcome_code, {flags} FROM {table}{where}"


# One row per customer: what the flagged rows say (entry, last touchpoint, outcome
# cell, ad hoc and out-of-sequence steps) and the journey's touchpoints the
# customer visited, as bitmasks ``v0``, ``v1``, ... (63 touchpoints a word), in one
# grouping. *Missing* steps are read from those words: a visited touchpoint whose
# immediate dominator the customer never visited. (Visiting t without a dominator
# d implies some visited touchpoint on the dominator chain from t to d lacks its
# immediate one, so this finds them all.) The words and the test for missing steps
# are written for the journey at hand by :func:`statements`. The entry and the last
# touchpoint are grouped as their numbers and the outcome as its number; a
# touchpoint the journey does not have is joined from the few rows that name one:
# a text kept per customer in a grouping costs a copy and a state for each of
# 1.5 million customers.
CUSTOMERS = """
SELECT c.customer, c.first_seconds, c.segment,
  CASE WHEN e.id IS NOT NULL THEN e.id ELSE other_entry.other END AS entry,
  CASE WHEN t.id IS NOT NULL THEN t.id ELSE other_last.other END AS last_touchpoint,
  {outcome} AS outcome,
  {ad_hoc} AS ad_hoc, c.out_of_sequence,
  CASE WHEN {missing} THEN 1 ELSE 0 END AS missing, c.steps, {words}
FROM (
  SELECT s.customer, MAX(s.first_seconds) AS first_seconds, MAX(s.step) AS steps,
    MIN(s.segment) AS segment,
    MAX(CASE WHEN s.step = 1 THEN s.tp END) AS entry_number,
    MAX(CASE WHEN s.ends = 1 AND s.next_tp IS NULL THEN s.tp END) AS last_number,
    MAX_BY(CASE WHEN s.outcome_code <> 0 THEN s.outcome_code END,
           CASE WHEN s.outcome_code <> 0 THEN s.step END) AS outcome_cell,
    {unknown_visits} AS ad_hoc,
    MAX(CASE WHEN s.undeclared = 1 OR s.bad_entry = 1 THEN 1 ELSE 0 END) AS out_of_sequence,{handoff_columns}
    {visited}
  FROM jm_steps s LEFT JOIN jm_touchpoints p ON p.number = s.tp
  WHERE s.starts = 1 OR s.flagged = 1
  GROUP BY s.customer
) c
LEFT JOIN jm_touchpoints e ON e.number = c.entry_number
LEFT JOIN jm_touchpoints t ON t.number = c.last_number
LEFT JOIN (SELECT customer, other FROM jm_steps WHERE step = 1 AND unknown = 1) other_entry
  ON other_entry.customer = c.customer
LEFT JOIN (
  SELECT customer, other FROM jm_steps WHERE ends = 1 AND next_tp IS NULL AND tp = {unknown}
) other_last ON other_last.customer = c.customer{handoff_join}
"""

# A journey with flows into other journeys (``jm_links``): the steps that take one, a handoff each
# (a customer's few rows that step to a touchpoint the journey does not have, joined with a few
# facts after the window pass). A customer whose last visit starts right after a handoff ends in
# the outcome ``handoff``, and only their visits to a touchpoint the journey lacks that no handoff
# leads to are ad hoc. Written into :data:`CUSTOMERS` by :func:`statements` only for such a journey.
HANDOFFS = """
SELECT s.customer, s.step FROM jm_steps s JOIN jm_links l ON l.source = s.tp AND l.target = s.next_other
WHERE s.next_unknown = 1
"""

HANDOFF_COLUMNS = """
    MAX(CASE WHEN s.starts = 1 THEN s.step END) AS last_start,"""

HANDOFF_JOIN = """
LEFT JOIN (SELECT customer, COUNT(*) AS handoffs, MAX(step) AS last_handoff FROM jm_handoffs GROUP BY customer) h
  ON h.customer = c.customer"""

# Customers who met a link's target other than right after its source (ad hoc), per target.
MET_AD_HOC = """
SELECT u.other, COUNT(DISTINCT u.customer) AS customers
FROM jm_steps u JOIN (SELECT DISTINCT target FROM jm_links) l ON l.target = u.other
LEFT JOIN jm_handoffs h ON h.customer = u.customer AND h.step + 1 = u.step
WHERE u.unknown = 1 AND h.customer IS NULL
GROUP BY u.other
"""


def loop_numbers(facts: JourneyFacts) -> list[int]:
    """The numbers (:data:`TOUCHPOINT_COLUMNS`) of the touchpoints with a declared self-loop, in order."""
    number = {row[0]: row[-1] for row in touchpoint_table(facts)}
    return sorted(number[t] for t in facts.loops if t in number)


def steps_flagged(unknown: int, checked: bool = False, loops: Iterable[int] = (), events: str = "events") -> str:
    """The window pass and the journey's facts in one table: one pass over the events.

    ``unknown`` is the number of a touchpoint the journey does not have (the count of
    its touchpoints); ``loops`` the numbers of those with a declared self-loop
    (:func:`loop_numbers`), where consecutive events are not merged into one visit.
    Its flags are packed (see :func:`unpacked`). With ``checked``,
    ``events`` is every row read, with its ``bad`` bits (0 for a good row) and its
    ``file`` index: the good rows are sorted per customer as without it, and every bad
    row is kept too, in a partition of its own kind, with its file; so the rows are read
    once for both the counts of bad rows and the window pass. Read the good rows with
    ``WHERE bad = 0``. ``events`` names the view or table of the rows (a name of journeymap's)."""
    n = int(unknown)
    looped = sorted({int(t) for t in loops})  # whole numbers only: nothing from the journey's text
    merged = f" AND tp NOT IN ({', '.join(str(t) for t in looped)})" if looped else ""
    if checked:
        steps = STEPS.format(checked_columns="bad, CASE WHEN bad <> 0 THEN file END AS file, ",
                             checked="bad, file, ", checked_events="e.bad, e.file, ", partition="customer, bad",
                             order=ORDER, keep="bad <> 0 OR ", outcome_code=outcome_code("e.outcome"), unknown=n,
                             merged=merged, events=events)
    else:
        steps = STEPS.format(checked_columns="", checked="", checked_events="", partition="customer", order=ORDER,
                             keep="", outcome_code=outcome_code("e.outcome"), unknown=n, merged=merged, events=events)
    return FLAGGED.format(checked="bad, file, " if checked else "", checked_s="s.bad, s.file, " if checked else "",
                          flags=PACKED, unknown=n, steps=steps)


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
  MIN(CASE WHEN 10 * below >= 9 * total THEN gap END) AS p90_seconds,
  SUM(CASE WHEN gap = 0 THEN gaps ELSE 0 END) AS ties,
  SUM(CASE WHEN gap >= {long} THEN gaps ELSE 0 END) AS long_steps
FROM (
  SELECT source, target, gap, visits, gaps,
    SUM(gaps) OVER (PARTITION BY source, target ORDER BY gap ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS below,
    SUM(gaps) OVER (PARTITION BY source, target) AS total
  FROM (
    SELECT CASE WHEN a.id IS NOT NULL THEN a.id ELSE h.other END AS source,
      CASE WHEN h.next_tp IS NULL THEN NULL WHEN b.id IS NOT NULL THEN b.id ELSE h.next_other END AS target,
      h.gap, h.visits, h.gaps
    FROM (
      SELECT tp, other, next_tp, next_other, gap, CAST(SUM(starts) AS BIGINT) AS visits, COUNT(gap) AS gaps
      FROM jm_steps
      GROUP BY tp, other, next_tp, next_other, gap
    ) h
    LEFT JOIN jm_touchpoints a ON a.number = h.tp
    LEFT JOIN jm_touchpoints b ON b.number = h.next_tp
  ) histogram
) ranked
GROUP BY source, target
"""

# Visitors of touchpoints the journey does not have (ad hoc: few rows).
VISITORS_AD_HOC = """
SELECT other, COUNT(DISTINCT customer) AS visitors
FROM jm_steps WHERE unknown = 1
GROUP BY other
"""

ENTRIES = "SELECT entry, COUNT(*) AS customers FROM jm_customers GROUP BY entry"

# The customer with the most events (a customer's last step is kept, flagged, so MAX(step) counts them).
BUSIEST = "SELECT customer, steps FROM jm_customers ORDER BY steps DESC, customer LIMIT 1"

EXPONENT_ID = r"[0-9]+(\.[0-9]+)?[eE]\+[0-9]+"
"""A customer id that is a number written with an exponent, ``1.23457E+11``, as Excel shows a long number
(the reference's regular expression, for ids of at most :data:`EXPONENT_ID_LONGEST` characters;
:data:`EXPONENT_IDS` says the same in the SQL both dialects share)."""
EXPONENT_ID_LONGEST = 24
"""The longest id told as written with an exponent (a double's 17 digits, a point, E+ and three digits fit)."""

# The ids EXPONENT_ID matches, without a regular expression (DuckDB's and Spark's functions for one differ):
# with its digits taken out an id is 'E+' or '.E+' (in either case), and it starts with a digit, has a digit
# after its point and one after its '+'. The length and LIKE go first: translate() costs ~1 s a million ids
# in DuckDB, so it runs on the few that hold 'E+'.
EXPONENT_IDS = f"""
SELECT COUNT(*), MIN(customer) FROM jm_customers
WHERE substr(customer, 1, 1) BETWEEN '0' AND '9' AND length(customer) <= {EXPONENT_ID_LONGEST}
  AND CASE WHEN (customer LIKE '%E+%' OR customer LIKE '%e+%') AND customer NOT LIKE '%.E%' AND customer NOT LIKE '%.e%'
    AND customer NOT LIKE '%+' THEN translate(customer, '0123456789', '') IN ('E+', '.E+', 'e+', '.e+') ELSE false END
"""

# The ids written as Excel's text formula, ="00123" (:func:`is_formula_id`).
FORMULA_IDS = """SELECT COUNT(*), MIN(customer) FROM jm_customers WHERE customer LIKE '="%"'"""

# E-mail addresses and UUIDs that differ only in capitals (:func:`cased_key`), of ASCII ids only (LOWER differs
# between the dialects and Python on a few other letters), grouped by their lower-case form: the groups of more
# than one id, their ids counted, and the smallest group's smallest and largest id. Two ids of one group differ
# in a letter's case, so without an id with a capital and one with a small letter there is none: the grouping
# runs on no rows then (a log of lower-case UUIDs, or SQL Server's upper-case ones, costs a scan, not a grouping).
CASED_IDS = """
SELECT COUNT(*), SUM(n), MIN_BY(a, folded), MIN_BY(b, folded) FROM (
  SELECT folded, COUNT(*) AS n, MIN(customer) AS a, MAX(customer) AS b FROM (
    SELECT customer, LOWER(customer) AS folded FROM jm_cased_ids
    WHERE (SELECT MAX(capital) * MAX(small) FROM jm_cased_ids) = 1
  ) ids GROUP BY folded HAVING COUNT(*) > 1
) groups
"""
CASED_CANDIDATES = """
SELECT customer, CASE WHEN customer <> LOWER(customer) THEN 1 ELSE 0 END AS capital,
  CASE WHEN customer <> UPPER(customer) THEN 1 ELSE 0 END AS small
FROM jm_customers
WHERE (customer LIKE '%@%' OR length(customer) = 36 AND customer LIKE '%-%-%-%-%')
  AND bit_length(customer) = 8 * length(customer)
"""


# Customer ids that are one whole number written two ways: with the leading zeros a spreadsheet drops ('00123'
# beside '123', a file opened and saved in Excel) or as pandas writes a number column that has an empty cell
# ('12345.0' beside '12345'). The candidates are the ids that start with 0 or end in '.0', each with the plain
# id it writes (its '.0' and leading zeros left out); a group is a plain id with two ids or more (the plain id
# itself when some customer has it) that is a whole number, counted as :data:`CASED_IDS` counts its groups.
# Only the plain ids of groups are checked for digits (translate() costs ~1 s a million ids in DuckDB, and a
# log of zero-padded account numbers has a candidate for every customer); the CASE on the count keeps the
# check from being pushed below the grouping. Without an id that ends in '.0' or starts with 1..9 (a log of
# zero-padded ids alone, or of ids that are not numbers) no id can be another's plain id or '.0' form: the
# candidates are not listed (ids padded to two widths alone, 0123 and 00123, are not told).
NUMBER_ID_CANDIDATES = """
SELECT customer, plain FROM (
  SELECT customer, regexp_replace(CASE WHEN customer LIKE '%.0' THEN substr(customer, 1, length(customer) - 2)
    ELSE customer END, '^0+', '') AS plain
  FROM jm_customers WHERE (customer LIKE '0%' OR customer LIKE '%.0') AND length(customer) <= 40
    AND EXISTS (SELECT 1 FROM jm_customers WHERE customer >= '1' AND customer < ':' OR customer LIKE '%.0')
) ids WHERE plain <> ''
"""
NUMBER_IDS = """
SELECT COUNT(*), SUM(n), MIN_BY(a, plain), MIN_BY(b, plain) FROM (
  SELECT plain, COUNT(*) AS n, MIN(customer) AS a, MAX(customer) AS b FROM (
    SELECT customer, plain FROM jm_number_ids
    UNION ALL
    SELECT c.customer, c.customer AS plain FROM jm_customers c JOIN (SELECT DISTINCT plain FROM jm_number_ids) p
      ON p.plain = c.customer
  ) ids GROUP BY plain
) groups WHERE CASE WHEN n > 1 THEN translate(plain, '0123456789', '') = '' ELSE false END
"""


def plain_number_id(customer: str) -> str | None:
    """The plain id a candidate of :data:`NUMBER_ID_CANDIDATES` writes (``00123``: ``123``; ``12345.0``: ``12345``),
    else None; it is told only when it is a whole number written two ways (:func:`is_whole_number`) and some id
    ends in '.0' or starts with 1..9 (:func:`may_write_numbers_two_ways`)."""
    if not (customer.startswith("0") or customer.endswith(".0")) or len(customer) > 40:
        return None
    return (customer[:-2] if customer.endswith(".0") else customer).lstrip("0") or None


def may_write_numbers_two_ways(customer: str) -> bool:
    """Whether ``customer`` ends in '.0' or starts with 1..9: without such an id, :data:`NUMBER_ID_CANDIDATES` lists none."""
    return customer.endswith(".0") or "1" <= customer[:1] <= "9"


def is_whole_number(plain: str) -> bool:
    """Whether ``plain`` is ASCII digits alone, as SQL's ``translate(plain, '0123456789', '') = ''``."""
    return plain.translate(_NO_DIGITS) == ""


_NO_DIGITS = str.maketrans("", "", "0123456789")


def cased_key(customer: str) -> str | None:
    """The id in lower case, for an ASCII e-mail address (an ``@`` in it) or UUID (36 characters, four dashes
    at least), as :data:`CASED_IDS` chooses them; else None."""
    if ("@" in customer or len(customer) == 36 and customer.count("-") >= 4) and customer.isascii():
        return customer.lower()
    return None


def is_formula_id(customer: str) -> bool:
    """Whether ``customer`` is written as Excel's text formula, ``="00123"``: as SQL's ``LIKE '="%"'``."""
    return len(customer) >= 3 and customer.startswith('="') and customer.endswith('"')

ENDED = """
SELECT last_touchpoint, COUNT(*) AS customers FROM jm_customers
WHERE outcome NOT IN ('success', 'handoff') GROUP BY last_touchpoint
"""

COHORTS = """
SELECT CAST(FLOOR(first_seconds / 86400) AS BIGINT) AS day, segment, COUNT(*) AS customers,
  SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS success,
  SUM(CASE WHEN outcome = 'failure' THEN 1 ELSE 0 END) AS failure,
  SUM(CASE WHEN outcome = 'left' THEN 1 ELSE 0 END) AS left_journey,
  SUM(CASE WHEN ad_hoc = 0 AND out_of_sequence = 0 AND missing = 0 AND outcome IN ('success', 'handoff')
      THEN 1 ELSE 0 END) AS conforming,
  SUM(ad_hoc) AS ad_hoc, SUM(out_of_sequence) AS out_of_sequence, SUM(missing) AS missing,
  SUM(CASE WHEN outcome NOT IN ('success', 'handoff') THEN 1 ELSE 0 END) AS failing,
  SUM(CASE WHEN outcome = 'handoff' THEN 1 ELSE 0 END) AS handoff
FROM jm_customers
GROUP BY CAST(FLOOR(first_seconds / 86400) AS BIGINT), segment
"""

# Each (deviation, customer) once: ``source`` and ``target`` are '' where a
# deviation has none (an entry has no source; a failing customer, no target).
# The missing steps' rows join each customer with a missing step to the touchpoints
# that have an immediate dominator (``jm_dominated``, a few rows), on the visited words.
# Failing customers are one row each already (no DISTINCT over them).
FOUND = """
SELECT DISTINCT type, source, target, customer FROM (
  SELECT 'ad_hoc' AS type, '' AS source, other AS target, customer
    FROM jm_steps WHERE step = 1 AND unknown = 1
  UNION ALL
  SELECT 'ad_hoc', CASE WHEN a.id IS NOT NULL THEN a.id ELSE s.other END, s.next_other, s.customer
    FROM jm_steps s LEFT JOIN jm_touchpoints a ON a.number = s.tp
    LEFT JOIN jm_links l ON l.source = s.tp AND l.target = s.next_other WHERE s.next_unknown = 1 AND l.source IS NULL
  UNION ALL
  SELECT 'out_of_sequence', '', a.id, s.customer
    FROM jm_steps s JOIN jm_touchpoints a ON a.number = s.tp WHERE s.bad_entry = 1
  UNION ALL
  SELECT 'out_of_sequence', a.id, b.id, s.customer
    FROM jm_steps s JOIN jm_touchpoints a ON a.number = s.tp JOIN jm_touchpoints b ON b.number = s.next_tp
    WHERE s.undeclared = 1
  UNION ALL
  SELECT 'missing', d.id, d.required, c.customer
    FROM jm_customers c JOIN jm_dominated d
    ON c.missing = 1 AND ({word} & d.bit) <> 0 AND ({required_word} & d.required_bit) = 0
) found
UNION ALL
SELECT 'failing', last_touchpoint, '', customer FROM jm_customers WHERE outcome NOT IN ('success', 'handoff')
"""

# Per deviation, its customers and the three smallest customer ids as examples,
# one row per example: three rounds of MIN, each above the last (a ROW_NUMBER
# over each deviation's customers would sort them all).
DEVIATIONS = """
WITH ex1 AS (
  SELECT type, source, target, COUNT(*) AS customers, MIN(customer) AS customer
  FROM jm_found GROUP BY type, source, target
), ex2 AS (
  SELECT d.type, d.source, d.target, MIN(d.customer) AS customer
  FROM jm_found d JOIN ex1 e ON d.type = e.type AND d.source = e.source AND d.target = e.target
  WHERE d.customer > e.customer GROUP BY d.type, d.source, d.target
), ex3 AS (
  SELECT d.type, d.source, d.target, MIN(d.customer) AS customer
  FROM jm_found d JOIN ex2 e ON d.type = e.type AND d.source = e.source AND d.target = e.target
  WHERE d.customer > e.customer GROUP BY d.type, d.source, d.target
)
SELECT c.type, c.source, c.target, c.customers, e.customer FROM ex1 c JOIN (
  SELECT type, source, target, customer FROM ex1
  UNION ALL SELECT type, source, target, customer FROM ex2
  UNION ALL SELECT type, source, target, customer FROM ex3
) e ON e.type = c.type AND e.source = c.source AND e.target = c.target
"""

# The touchpoints that have an immediate dominator, with both places in the bitmask.
DOMINATED = """
SELECT t.id, r.required, t.word, t.bit, t.required_word, t.required_bit
FROM jm_touchpoints t JOIN jm_requires r ON r.touchpoint = t.id
"""


def persona_customers(steps: str, where: str = "") -> str:
    """SQL: the customers of the segment whose cells, as the log writes them, are the rows of ``jm_segment(segment)``
    (:func:`.chosen_segments` of :func:`distinct_segments`), from the window
    pass's rows in ``steps`` (``where``: more conditions on them). A customer's segment is that of
    their first event (the smallest among the events that tie for first place, whose rows alone
    carry a segment there), so ``--persona`` chooses whole customers: a later event written with
    another segment (or none) neither adds a customer nor cuts one's path."""
    return (f"SELECT c.customer FROM (SELECT customer, MIN(segment) AS segment FROM {steps}"
            f" WHERE segment IS NOT NULL{where} GROUP BY customer) c JOIN jm_segment g ON g.segment = c.segment")


def distinct_segments(steps: str, where: str = "") -> str:
    """SQL: the segment cells of customers' first events (as written), from the window pass's rows in ``steps``:
    the few values :func:`.chosen_segments` matches with ``--persona``'s segment, in Python, once each."""
    return f"SELECT DISTINCT segment FROM {steps} WHERE segment IS NOT NULL AND segment <> ''{where}"


def segmented(steps: str, where: str = "") -> str:
    """SQL: how many customers' first events have a segment, from the window pass's rows in ``steps``, by
    :func:`persona_customers`' rule: a customer whose first event is there twice, once without a segment
    and once with one (a double-fired event), has none, as in the reference (rows were counted, so the log
    was taken to have segments and ``--persona`` chose no customer, with "the log's segments: none")."""
    return (f"SELECT COUNT(*) FROM (SELECT customer, MIN(segment) AS segment FROM {steps}"
            f" WHERE segment IS NOT NULL{where} GROUP BY customer) c WHERE c.segment <> ''")


VIEWS = frozenset({"jm_steps"})
"""The entries of :func:`statements`' tables that an engine makes a view (computed as read), not a table."""


def statements(facts: JourneyFacts) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(tables to materialise in order, but :data:`VIEWS`; queries whose rows :func:`collect` reads), for ``facts``.

    Only whole numbers of the journey's shape are written into the SQL (how many
    bitmask words, the bits of its touchpoints), never a name from the journey."""
    table = touchpoint_table(facts)
    words = max(1, -(-len(table) // WORD_BITS))

    def word(column: str) -> str:  # the visited word a column numbers
        if words == 1:
            return "c.v0"
        return "CASE " + column + "".join(f" WHEN {w} THEN c.v{w}" for w in range(words)) + " END"

    missing = " OR ".join(
        f"((c.v{w} & {bit}) <> 0 AND (c.v{rw} & {rbit}) = 0)"
        for _, _, _, w, bit, rw, rbit, _ in table if rw is not None and rbit is not None
    ) or "1 = 0"
    links = bool(facts.links)
    handoff = " WHEN h.last_handoff + 1 = c.last_start THEN 'handoff'" if links else ""
    declared = f"CASE WHEN t.outcome IS NOT NULL AND t.outcome <> '' THEN t.outcome{handoff} ELSE 'left' END"
    customers = CUSTOMERS.format(
        unknown=unknown_number(facts),
        outcome=outcome_text("c.outcome_cell", declared),
        unknown_visits="SUM(s.unknown)" if links else "MAX(s.unknown)",
        ad_hoc="CASE WHEN c.ad_hoc > COALESCE(h.handoffs, 0) THEN 1 ELSE 0 END" if links else "c.ad_hoc",
        handoff_columns=HANDOFF_COLUMNS if links else "",
        handoff_join=HANDOFF_JOIN if links else "",
        missing=missing,
        words=", ".join(f"c.v{w}" for w in range(words)),
        visited=",\n    ".join(
            f"BIT_OR(CASE WHEN s.starts = 1 AND p.word = {w} THEN p.bit ELSE 0 END) AS v{w}" for w in range(words)
        ),
    )
    # each touchpoint's visitors, and last the customers who visited none of them (only ad hoc ones)
    nowhere = " AND ".join(f"v{w} = 0" for w in range(words))
    visitors = ("SELECT " + ", ".join(
        f"SUM(CASE WHEN (v{w} & {bit}) <> 0 THEN 1 ELSE 0 END) AS b{i}" for i, (_, _, _, w, bit, _, _, _) in enumerate(table)
    ) + f", SUM(CASE WHEN {nowhere} THEN 1 ELSE 0 END) AS off_journey\nFROM jm_customers") if table else "SELECT COUNT(*) FROM jm_customers"
    found = FOUND.replace("{word}", word("d.word")).replace("{required_word}", word("d.required_word"))
    materialized = [("jm_packed_steps", steps_flagged(unknown_number(facts), loops=loop_numbers(facts))),
                    ("jm_steps", unpacked("jm_packed_steps")),
                    ("jm_dominated", DOMINATED), ("jm_customers", customers), ("jm_found", found),
                    ("jm_cased_ids", CASED_CANDIDATES), ("jm_number_ids", NUMBER_ID_CANDIDATES)]
    queries = [
        ("flows", FLOWS.replace("{long}", str(int(LONG_STEP)))),
        ("visitors", visitors),
        ("visitors_ad_hoc", VISITORS_AD_HOC),
        ("entries", ENTRIES),
        ("busiest", BUSIEST),
        ("exponent_ids", EXPONENT_IDS),
        ("formula_ids", FORMULA_IDS),
        ("cased_ids", CASED_IDS),
        ("number_ids", NUMBER_IDS),
        ("ended", ENDED),
        ("cohorts", COHORTS),
        ("deviations", DEVIATIONS),
    ]
    if links:  # the steps into other journeys, read by the customers' table (after the window pass's table)
        materialized.insert(materialized.index(("jm_customers", customers)), ("jm_handoffs", HANDOFFS))
        queries.append(("met_ad_hoc", MET_AD_HOC))
    return materialized, queries


TouchpointRow = tuple[str, str, int, int, int, int | None, int | None, int]

FACT_COLUMNS = {
    "jm_touchpoints": TOUCHPOINT_COLUMNS,
    "jm_flows": ("source", "target"),
    "jm_requires": ("touchpoint", "required"),
    "jm_links": ("source", "target"),
}
"""The journey's small tables, by name: their columns."""

NUMBER_COLUMNS = {
    "jm_touchpoints": {"entry": "INTEGER", "word": "INTEGER", "bit": "BIGINT", "required_word": "INTEGER",
                       "required_bit": "BIGINT", "number": "INTEGER"},
    "jm_flows": {"source": "INTEGER", "target": "INTEGER"},
    "jm_requires": {},
    "jm_links": {"source": "INTEGER"},
}
"""The columns of :data:`FACT_COLUMNS` that hold whole numbers, with their SQL type (the
others hold text)."""


def unknown_number(facts: JourneyFacts) -> int:
    """The number the window pass gives a touchpoint the journey does not have: one past its own."""
    return len(facts.outcomes)


def fact_tables(facts: JourneyFacts) -> dict[str, list[tuple]]:
    """The rows of the journey's small tables (:data:`FACT_COLUMNS`): ``jm_flows`` holds the
    declared flows as touchpoint numbers, as the window pass's rows do."""
    table = touchpoint_table(facts)
    number = {row[0]: row[-1] for row in table}
    return {
        "jm_touchpoints": list(table),
        "jm_flows": sorted((number[a], number[b]) for a, b in facts.flows if a in number and b in number),
        "jm_requires": sorted(facts.requires),
        "jm_links": sorted((number[a], b) for a, b in facts.links if a in number),
    }



def touchpoint_table(facts: JourneyFacts) -> list[TouchpointRow]:
    """The rows of ``jm_touchpoints`` (:data:`TOUCHPOINT_COLUMNS`), by id."""
    rows = facts.touchpoint_rows()
    place = {t: divmod(i, WORD_BITS) for i, (t, _, _) in enumerate(rows)}
    required = dict(facts.requires)
    table: list[TouchpointRow] = []
    for t, outcome, entry in rows:
        word, bit = place[t]
        up = place.get(required.get(t, ""))
        table.append((t, outcome, entry, word, 1 << bit, up[0] if up else None, 1 << up[1] if up else None, len(table)))
    return table


def collect(engine: str, results: dict[str, list[tuple]], rows: int, facts: JourneyFacts) -> EventTables:
    """The :class:`EventTables` of the rows each query returned (any engine, any row order)."""
    tables = EventTables(engine, rows=rows)
    for source, target, visits, count, median, p90, ties, long in results["flows"]:
        if visits:
            tables.visits[source] = tables.visits.get(source, 0) + int(visits)
        if count:
            tables.flows.append(FlowCount(source, target, int(count), float(median), float(p90), int(ties or 0), int(long or 0)))
    names = [t for t, *_ in facts.touchpoint_rows()]
    for row in results["visitors"][:1]:
        for name, visitors in zip(names, row, strict=False):
            if visitors:
                tables.visitors[name] = int(visitors)
        tables.off_journey = int(row[len(names)] or 0)
    for touchpoint, visitors in results["visitors_ad_hoc"]:
        tables.visitors[touchpoint] = int(visitors)
    tables.visitors = dict(sorted(tables.visitors.items()))
    tables.visits = dict(sorted(tables.visits.items()))
    tables.entries = dict(sorted((e, int(n)) for e, n in results["entries"]))
    tables.busiest = next(((str(c), int(n)) for c, n in results["busiest"]), None)
    tables.exponent_ids = next(((int(n), str(c)) for n, c in results["exponent_ids"] if n), None)
    tables.formula_ids = next(((int(n), str(c)) for n, c in results["formula_ids"] if n), None)
    tables.cased_ids = next(((int(g), int(n), str(a), str(b)) for g, n, a, b in results["cased_ids"] if g), None)
    tables.number_ids = next(((int(g), int(n), str(a), str(b)) for g, n, a, b in results["number_ids"] if g), None)
    tables.ended_without_success = dict(sorted((t, int(n)) for t, n in results["ended"]))
    met_ad_hoc = {t: int(n) for t, n in results.get("met_ad_hoc", [])}
    tables.met_ad_hoc = {target: met_ad_hoc.get(target, 0) for target in sorted({t for _, t in facts.links})}
    tables.flows.sort(key=astuple_of_flow)  # FlowCount's own order, without a Python __lt__ per comparison
    tables.cohorts = sorted(Cohort(int(day), segment, *(int(v) for v in rest)) for day, segment, *rest in results["cohorts"])
    tables.add_cohort_totals()
    grouped: dict[tuple[str, str | None, str | None], tuple[int, list[str]]] = {}
    for kind, source, target, customers, customer in results["deviations"]:
        count, examples = grouped.setdefault((kind, source, target), (int(customers), []))
        examples.append(customer)
    tables.deviations = rank_deviations(
        DeviationCount(kind, source or None, target or None, count, tuple(sorted(examples)))
        for (kind, source, target), (count, examples) in grouped.items()
    )
    return tables


def astuple_of_flow(flow: FlowCount) -> tuple[str, str, int, float, float]:
    """The fields of a :class:`FlowCount` in order: the key of its dataclass order."""
    return flow.source, flow.target, flow.count, flow.median_seconds, flow.p90_seconds


def rank_deviations(deviations: Iterable[DeviationCount]) -> list[DeviationCount]:
    """Most customers first, then by type, source and target; the first TOP_DEVIATIONS of each type
    (cut over all types, 250 ad hoc pages left no out-of-sequence or missing deviation to show)."""
    order = {name: i for i, name in enumerate(DEVIATION_TYPES)}
    by_type: dict[str, list[DeviationCount]] = {}
    for deviation in deviations:
        by_type.setdefault(deviation.type, []).append(deviation)

    def key(d: DeviationCount) -> tuple[int, int, str, str]:
        return -d.customers, order[d.type], d.source or "", d.target or ""

    # nsmallest is sorted(...)[:n] (stable, the same ties), without sorting every deviation of a log
    # whose ad hoc touchpoints are page addresses (10^5 deviations and more)
    return sorted((d for kind in by_type.values() for d in heapq.nsmallest(TOP_DEVIATIONS, kind, key=key)), key=key)
