"""Event logs made up from a journey: deterministic, seeded, with planted deviations.

:func:`simulate` walks customers through the journey's declared flows with
its shares (what a share leaves over is customers leaving), starting at its
entries with the model's entry weights, and writes one event per visit:
``customer,timestamp,touchpoint,outcome,segment``. Times between touchpoints
follow a log-normal law around a median per touchpoint (1 to 20 minutes);
first events spread over ``days`` days from ``start``. A share ``repeats`` of
visits log a second event at the same touchpoint (one visit all the same), but
at a touchpoint with a declared self-loop (``renew -> renew``): there the engines
read every event as a visit, so a repeat would be a loop taken, and the log's
loop share would no longer be the journey's. A customer who takes a flow into
another journey (``journey:``) ends there, with one event at its target (the id
as written in ``to``, no outcome, never repeated).

Each customer is one of the journey's personas (the ``segment`` column), drawn
by their shares as :func:`~journeymap.shares.resolve_shares` resolves them
(those without a share split what the others leave; what all the shares leave
over is customers of no persona, who walk the whole journey), and walks the
journey as the persona model sees it (:func:`~journeymap.analysis.analyze`
with the persona: flows into touchpoints it does not meet dropped, the others
scaled up, its own entries). A persona whose view has no entry has no customer
who starts: they are left out (:attr:`Simulated.left_out`, and a warning).
Where each persona is as likely and meets every touchpoint, the persona is
drawn after the walk, as it was before shares and views counted: such a
journey keeps its bytes.

Planted deviations, each for a share of customers (at most one per customer):
*ad hoc*: a visit to a touchpoint the journey does not have; *out of
sequence*: a visit to a random touchpoint of the journey between two steps;
*missing*: one step in the middle of the path dropped. The walk is vectorised
with numpy, chunk by chunk (a million customers at a time), and DuckDB writes
the file (CSV, gzipped CSV or Parquet), so a hundred million events take
minutes and bounded memory. The same journey, customers and seed give the
same bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Journey
    from ..problems import Problem

AD_HOC_TOUCHPOINTS = ("phone-callback", "store-visit", "partner-site", "social-dm", "email-reply")
MAX_STEPS = 64
"""A customer still walking after this many visits stops (and counts as having left)."""


@dataclass
class Simulated:
    """What was written: rows, customers and the customers planted with each deviation."""

    path: Path
    rows: int = 0
    customers: int = 0
    planted: dict[str, int] = field(default_factory=lambda: {"ad_hoc": 0, "out_of_sequence": 0, "missing": 0})
    left_out: dict[str, int] = field(default_factory=dict)
    """Per persona whose view of the journey has no entry: its customers, who never start (not in the log)."""
    problems: list[Problem] = field(default_factory=list)
    """Warnings on the log written (a persona whose customers never start)."""


def simulate(
    journey: Journey,
    path: str | Path,
    *,
    customers: int,
    seed: int = 0,
    ad_hoc: float = 0.02,
    out_of_sequence: float = 0.03,
    missing: float = 0.02,
    repeats: float = 0.05,
    start: date = date(2026, 9, 1),
    days: int = 28,
    chunk: int = 1_000_000,
) -> Simulated:
    """Write an event log of ``customers`` walking ``journey`` to ``path`` (.csv, .csv.gz, .parquet).

    >>> simulate(load("shop.journey.yaml"), "log.parquet", customers=100_000, seed=7)  # doctest: +SKIP
    Simulated(path=PosixPath('log.parquet'), rows=612034, customers=100000, planted={...})
    """
    import duckdb
    import numpy as np

    if customers < 0:
        raise ValueError("customers must be 0 or more")
    rates = np.array([ad_hoc, out_of_sequence, missing], dtype=float)
    if (rates < 0).any() or rates.sum() > 1 or not 0 <= repeats <= 1:
        raise ValueError("deviation rates are shares (0..1) and add up to at most 1")
    path = Path(path)
    if not "".join(path.suffixes[-2:]).lower().endswith((".csv", ".csv.gz", ".parquet", ".pq")):
        raise ValueError(f"{path.name}: the log must end in .csv, .csv.gz or .parquet")
    from ..files import through_link

    written = through_link(path)  # a link's target is written (a rename over the link replaced the link itself)
    kind = "parquet" if path.suffix.lower() in (".parquet", ".pq") else "csv"
    gzipped = path.suffix.lower() == ".gz"
    model = _Model.of(journey, seed)
    result = Simulated(path)
    scratch = Path(tempfile.mkdtemp(prefix="journeymap-simulate-", dir=written.parent if written.parent.exists() else None))
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET preserve_insertion_order = true")
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TABLE names (code INTEGER, name VARCHAR)")
        con.executemany("INSERT INTO names VALUES (?, ?)", list(enumerate(model.names)))
        con.execute("CREATE TABLE segments (code INTEGER, name VARCHAR)")
        con.executemany("INSERT INTO segments VALUES (?, ?)", list(enumerate(model.segments)))
        start_seconds = int(datetime(start.year, start.month, start.day, tzinfo=timezone.utc).timestamp())
        parts = []
        left_out = np.zeros(len(model.segments), dtype=np.int64)
        for index, first in enumerate(range(0, customers, chunk)):
            rng = np.random.default_rng([seed, index])
            columns, planted, unstarted = model.walk(rng, first, min(chunk, customers - first), rates, repeats,
                                                     start_seconds, days)
            for name, count in planted.items():
                result.planted[name] += count
            left_out += unstarted
            result.rows += len(columns["customer"])
            con.register("chunk", columns)
            part = scratch / f"part-{index:06d}.{kind}"
            timestamp = ("to_timestamp(c.seconds)" if kind == "parquet"
                         else "strftime(to_timestamp(c.seconds), '%Y-%m-%dT%H:%M:%SZ')")
            options = "FORMAT parquet, COMPRESSION zstd" if kind == "parquet" else "HEADER false"
            con.execute(
                f"COPY (SELECT printf('C%09d', c.customer) AS customer, {timestamp} AS timestamp,"
                " t.name AS touchpoint, CASE c.outcome WHEN 1 THEN 'success' WHEN 2 THEN 'failure' END AS outcome,"
                " s.name AS segment FROM chunk c JOIN names t ON t.code = c.touchpoint"
                " JOIN segments s ON s.code = c.segment ORDER BY c.row)"
                f" TO '{_quote(part)}' ({options})"
            )
            con.unregister("chunk")
            parts.append(part)
        result.customers = customers - int(left_out.sum())
        result.left_out = {str(p): int(k) for p, k in zip(model.segments, left_out, strict=True) if k}
        result.problems = _never_started(journey, result.left_out, customers)
        target = scratch / ("out" + "".join(path.suffixes))
        if kind == "parquet":
            if parts:
                con.execute(
                    f"COPY (SELECT * FROM read_parquet([{', '.join(repr(str(p)) for p in parts)}]))"
                    f" TO '{_quote(target)}' (FORMAT parquet, COMPRESSION zstd)"
                )
            else:
                con.execute(
                    "COPY (SELECT ''::VARCHAR AS customer, now() AS timestamp, ''::VARCHAR AS touchpoint,"
                    f" ''::VARCHAR AS outcome, ''::VARCHAR AS segment LIMIT 0) TO '{_quote(target)}' (FORMAT parquet)"
                )
        else:
            _concatenate(target, parts, gzipped)
        os.replace(target, written)  # atomic: the file is whole or not there
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def _never_started(journey: Journey, left_out: dict[str, int], customers: int) -> list[Problem]:
    from ..problems import Problem
    from ..rules.common import span_of

    return [
        Problem(
            span_of(journey, "personas", persona),
            "persona-never-starts",
            f"persona '{persona}' meets no touchpoint where the journey starts (its view has no entry):"
            f" its {count:,} customer{'s' * (count != 1)} ({count / customers:.1%})"
            f" {'are' if count != 1 else 'is'} left out of the log",
            "list the persona in the `personas:` of an entry touchpoint, or give it share: 0",
            level="warning",
        )
        for persona, count in left_out.items()
    ]


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _concatenate(target: Path, parts: list[Path], gzipped: bool) -> None:
    import gzip

    header = b"customer,timestamp,touchpoint,outcome,segment\n"
    with open(target, "wb") as out:
        # mtime=0: the same bytes on every run
        out.write(gzip.compress(header, mtime=0) if gzipped else header)
        for part in parts:
            with open(part, "rb") as stream:
                if gzipped:
                    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as packed:
                        shutil.copyfileobj(stream, packed, 1 << 20)
                else:
                    shutil.copyfileobj(stream, out, 1 << 20)


@dataclass
class _Model:
    names: list[str]
    """Touchpoint ids, then the ad hoc touchpoints, then the targets of links into other journeys."""
    known: int
    targets: Any
    """(views x names, flows + 1): the next name per choice, at row ``view * len(names) + name``;
    -1 for leaving (and after a link's target)."""
    cumulative: Any
    entries: Any
    """Each view's entries, one view after the other."""
    entry_weights: Any
    """Their cumulative weights, view v's running from v to v + 1."""
    entry_first: Any
    entry_last: Any
    """Per view: where its entries start and end in ``entries``."""
    started: Any
    """Per view: whether it has an entry (a persona's view may have none: its customers never start)."""
    outcomes: Any
    """1 success, 2 failure, 0 none, per name."""
    median_gap: Any
    segments: list[str | None]
    """The personas, then None (no segment) for the customers their shares leave over."""
    segment_weights: Any
    """Cumulative shares of the segments; None where each persona is as likely and meets every
    touchpoint: the segment is then drawn after the walk, as before personas had shares and views."""
    segment_last: int
    """The last segment with customers (a draw past the cumulative shares' rounding goes there)."""
    segment_view: Any
    """Per segment, its view (0: the journey as everyone sees it)."""
    looped: Any
    """True per name (ad hoc ones and link targets too) with a declared self-loop: no repeated events planted there."""

    @classmethod
    def of(cls, journey: Journey, seed: int) -> _Model:
        import numpy as np

        from ..analysis import analyze, analyze_personas
        from ..graph import EPSILON
        from ..shares import resolve_shares

        ids = [t.id for t in journey.touchpoints]
        index = {t: i for i, t in enumerate(ids)}
        # A flow into another journey ends the walk at that journey's touchpoint (one event, no outcome):
        # its id as written, after the ad hoc touchpoints, where no row leads on.
        links = list(dict.fromkeys(f.to for t in journey.touchpoints for f in t.next if f.leads_out(journey.id)))
        names = ids + list(AD_HOC_TOUCHPOINTS) + links
        link_index = {to: len(ids) + len(AD_HOC_TOUCHPOINTS) + k for k, to in enumerate(links)}
        # Each persona walks the journey as the model sees it for them (report --persona): flows into
        # touchpoints it does not meet dropped, the others scaled up, its own entries. Personas that meet
        # the same touchpoints share a view; view 0 is everyone's.
        overall = analyze(journey)
        views = [overall]
        segment_view = []
        by_persona = analyze_personas(journey, overall=overall)
        for persona in journey.personas:
            analysis = by_persona[persona.id]
            if not any(analysis is view for view in views):
                views.append(analysis)
            segment_view.append(next(v for v, view in enumerate(views) if view is analysis))
        shares = resolve_shares([(p.id, p.share) for p in journey.personas])
        segments: list[str | None] = [p.id for p in journey.personas]
        rest = 1.0 - sum(shares)
        if rest > EPSILON:  # customers of none of the personas: no segment, the whole journey
            segments.append(None)
            shares.append(rest)
            segment_view.append(0)
        uniform = len(views) == 1 and len(set(shares)) <= 1
        width = max([len(t.next) for t in journey.touchpoints] + [0]) + 1
        targets = np.full((len(views) * len(names), width), -1, dtype=np.int32)
        cumulative = np.ones((len(views) * len(names), width), dtype=float)
        outcomes = np.zeros(len(names), dtype=np.int8)
        for i, tp in enumerate(journey.touchpoints):
            if tp.outcome:
                outcomes[i] = 1 if tp.outcome == "success" else 2
        entries: list[int] = []
        entry_weights, entry_first, entry_last, started = [], [], [], []
        for v, view in enumerate(views):
            g = view.graph.graph
            for i, tp in enumerate(journey.touchpoints):
                if tp.outcome or tp.id not in g:
                    continue  # an outcome ends the journey; a touchpoint the view does not meet is never reached
                row = v * len(names) + i
                declared = resolve_shares([(f.to, f.share) for f in tp.next])
                out = sum(share for f, share in zip(tp.next, declared, strict=True) if f.leads_out(journey.id))
                total = 0.0
                j = 0
                for flow, share in zip(tp.next, declared, strict=True):
                    if flow.leads_out(journey.id):  # the view's share of links, split as declared
                        share = g.nodes[tp.id]["handoff"] * share / out if out > 0 else 0.0
                        targets[row, j] = link_index[flow.to]
                    elif g.has_edge(tp.id, flow.to):
                        share = g.edges[tp.id, flow.to]["share"]
                        targets[row, j] = index[flow.to]
                    else:
                        continue  # into a touchpoint this view does not meet
                    total += max(0.0, share)
                    cumulative[row, j] = total
                    j += 1
                cumulative[row, j:] = max(total, 1.0)
            weights = view.entries
            codes = np.array([index[e] for e in weights], dtype=np.int32)
            values = np.array(list(weights.values()), dtype=float)
            started.append(bool(len(codes)) or v == 0)
            if not len(codes):  # everyone's journey starts at its first touchpoint; a persona's never starts
                codes, values = np.array([0], dtype=np.int32), np.array([1.0])
            entry_first.append(len(entries))
            entries.extend(codes.tolist())
            entry_last.append(len(entries) - 1)
            entry_weights.append(np.cumsum(values / values.sum()) + v)
        fixed = np.random.default_rng([seed, 2**31])
        median_gap = 60.0 * np.exp(fixed.uniform(0.0, 3.0, len(ids) + len(AD_HOC_TOUCHPOINTS)))
        if links:  # drawn after the others: a journey without links keeps its times
            median_gap = np.concatenate([median_gap, 60.0 * np.exp(fixed.uniform(0.0, 3.0, len(links)))])
        from .engines import self_loops

        loops = self_loops(journey)
        looped = np.array([t in loops for t in ids] + [False] * (len(names) - len(ids)), dtype=bool)
        return cls(
            names, len(ids), targets, cumulative, np.array(entries, dtype=np.int32), np.concatenate(entry_weights),
            np.array(entry_first), np.array(entry_last), np.array(started), outcomes, median_gap, segments,
            None if uniform else np.cumsum(shares), max(k for k, share in enumerate(shares) if share > 0),
            np.array(segment_view, dtype=np.int64), looped,
        )

    def walk(
        self, rng: Any, first: int, n: int, rates: Any, repeats: float, start: int, days: int
    ) -> tuple[dict[str, Any], dict[str, int], Any]:
        """The chunk's columns, the customers planted with each deviation, and per segment the
        customers left out (their view has no entry)."""
        import numpy as np

        rows = np.arange(n)
        if self.segment_weights is None:
            segment = None
            base: Any = 0
            pick = np.searchsorted(self.entry_weights, rng.random(n), side="right").clip(0, self.entry_last[0])
            alive = np.ones(n, dtype=bool)
        else:
            segment = np.minimum(np.searchsorted(self.segment_weights, rng.random(n), side="right"), self.segment_last)
            view = self.segment_view[segment]
            base = view * len(self.names)
            pick = np.clip(np.searchsorted(self.entry_weights, rng.random(n) + view, side="right"),
                           self.entry_first[view], self.entry_last[view])
            alive = self.started[view]
        state = self.entries[pick]
        steps = [np.where(alive, state, -1)]
        for _ in range(MAX_STEPS - 1):
            u = rng.random(n)
            row = state + base
            choice = (u[:, None] >= self.cumulative[row]).sum(axis=1)
            nxt = self.targets[row, np.minimum(choice, self.targets.shape[1] - 1)]
            nxt = np.where(alive, nxt, -1)
            alive = nxt >= 0
            if not alive.any():
                break
            steps.append(nxt)
            state = np.where(alive, nxt, 0)
        path = np.stack(steps)  # (steps, customers), -1 past the end
        length = (path >= 0).sum(axis=0)
        # when each visit happens
        gaps = np.rint(self.median_gap[np.maximum(path, 0)] * np.exp(0.6 * rng.standard_normal(path.shape))).clip(1, None)
        gaps[0] = rng.integers(0, days * 86400, n)
        seconds = start + np.cumsum(gaps, axis=0).astype(np.int64)
        # planted deviations: 0 none, 1 ad hoc, 2 out of sequence, 3 missing
        planted = np.searchsorted(np.cumsum(rates), rng.random(n), side="right") + 1
        planted[(planted > 3) | (length < 1)] = 0
        planted[(planted == 2) & (length < 2)] = 0
        planted[(planted == 3) & (length < 3)] = 0
        where = np.floor(rng.random(n) * np.maximum(length - 1, 1)).astype(np.int64)  # a step before the last
        missing = planted == 3
        drop_at = np.where(missing, 1 + np.floor(rng.random(n) * np.maximum(length - 2, 1)).astype(np.int64), 0)
        keep = path >= 0
        keep[drop_at[missing], rows[missing]] = False
        step_index, customer = np.nonzero(keep)
        touchpoint = path[step_index, customer]
        times = seconds[step_index, customer]
        last = step_index == (length[customer] - 1)
        outcome = np.where(last, self.outcomes[touchpoint], 0)
        extra_customers, extra_times, extra_touchpoints = [], [], []
        for kind in (1, 2):
            chosen = rows[planted == kind]
            at = where[chosen]
            before = seconds[at, chosen]
            after = np.where(at + 1 < length[chosen], seconds[np.minimum(at + 1, len(path) - 1), chosen], before + 120)
            middle = before + np.maximum((after - before) // 2, 0)
            if kind == 1:
                tps = self.known + rng.integers(0, len(AD_HOC_TOUCHPOINTS), len(chosen))
            else:
                tps = rng.integers(0, self.known, len(chosen))
            extra_customers.append(chosen)
            extra_times.append(np.maximum(middle, before))
            extra_touchpoints.append(tps)
        # repeated events at the same touchpoint (one visit); none at a self-loop's touchpoint, where every
        # event is a visit and a repeat the loop taken (drawn all the same: a journey without one keeps its bytes),
        # nor at a link's target (one event)
        again = (rng.random(len(touchpoint)) < repeats) & (touchpoint < self.known) & ~self.looped[touchpoint]
        extra_customers.append(customer[again])
        extra_times.append(times[again])
        extra_touchpoints.append(touchpoint[again])
        all_customers = np.concatenate([customer, *extra_customers])
        all_times = np.concatenate([times, *extra_times])
        all_touchpoints = np.concatenate([touchpoint, *extra_touchpoints]).astype(np.int32)
        all_outcomes = np.concatenate([outcome, np.zeros(sum(len(c) for c in extra_customers), dtype=np.int8)])
        order = np.lexsort((all_touchpoints, all_times, all_customers))
        if segment is None:
            segment = rng.integers(0, len(self.segments), n)
        columns = {
            "row": np.arange(len(order), dtype=np.int64),
            "customer": (first + all_customers[order]).astype(np.int64),
            "seconds": all_times[order].astype(np.int64),
            "touchpoint": all_touchpoints[order],
            "outcome": all_outcomes[order].astype(np.int8),
            "segment": segment[all_customers[order]].astype(np.int32),
        }
        counts = {"ad_hoc": int((planted == 1).sum()), "out_of_sequence": int((planted == 2).sum()),
                  "missing": int(missing.sum())}
        left_out = np.bincount(segment[length == 0], minlength=len(self.segments))
        return columns, counts, left_out
