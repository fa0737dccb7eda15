"""Benchmark of `journeymap report --events` against one plain DuckDB query, pm4py and Spark.

    python benchmarks/bench_events.py                       # 10M events, CSV and Parquet
    python benchmarks/bench_events.py --events 1000000 --pm4py-python /tmp/pm4py-venv/bin/python --spark
    python benchmarks/bench_events.py --events 100000000 --formats parquet   # the big one

Generates a log of the grocery sample journey with `journeymap simulate`
(cached in --work), then, each in a fresh process, with peak memory (max RSS):

- the floor: the same aggregates written as one plain DuckDB SQL statement
  over the same file (visits, flows with counts and nearest-rank median/p90,
  visitors, entries, outcomes, the four deviation types per customer, every
  deviation with its customers and example ids, and the figures per first day
  and segment): everything the report prints, and the run says whether the
  two found the same figures (``JM_DIGEST=1`` prints what each digest covers,
  to see where they differ);
- `journeymap report JOURNEY --events LOG --format json` end to end (load the
  journey, check every row, aggregate, analyse, print);
- with --pm4py-python PYTHON: pandas reads the log, `pm4py.format_dataframe`
  and `pm4py.discover_dfg` find the directly-follows graph, the usual
  process-mining route, run by that interpreter (a separate virtualenv with
  pm4py, pandas and pyarrow: pm4py is AGPL and heavy, so never in ours);
- with --spark: the Spark engine in local[2] mode, and whether its numbers
  equal DuckDB's.

Each measurement prints its wall time, its CPU time (user + system of the
process and everything it waited for) and the load average when it started.
Ratios are against the floor measured in the same run. With ``--repeat N`` the
measurements run N rounds, one of each kind per round in turn (floor, report,
pm4py, ...), and the ratios are of each kind's fastest run: a single run is
at the mercy of what ran just before it (the report measured right after the
floor's 3.9 GB query took 12-14 s where it takes 8.4-8.7 s alone). The machine may be
shared: run it alone when the figures matter (the figures in the README went
through `flock /tmp/jm-bench.lock`, so no two benchmarks overlapped).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
JOURNEY = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
EVENTS_PER_CUSTOMER = 6.38  # what simulate gives on this journey


def plain_query(log: Path, facts: object) -> str:
    """What the report computes, as one DuckDB statement: the floor a tool on DuckDB cannot beat by much.

    Written as an analyst would, with no trick of the report's engine: one window
    pass, then plain GROUP BYs, IN lists and an anti-join. It gives every figure
    ``report --events`` prints, so that the ratio compares equal work: visits and
    visitors per touchpoint, flows with counts and nearest-rank median and p90,
    entries, outcomes, the four deviation types per customer, every deviation
    (type, from, to) with its customers and three example ids, and customers,
    outcomes and conformance per first day and segment (the periods and segments).
    """
    from journeymap.data.engines import JourneyFacts

    assert isinstance(facts, JourneyFacts)

    def values(rows: Sequence[tuple[object, ...]], columns: str) -> str:
        body = ", ".join("(" + ", ".join(repr(v) for v in row) + ")" for row in rows) or "(NULL" + ", NULL" * (columns.count(",")) + ")"
        return f"(VALUES {body}) AS v({columns})"

    reader = f"read_parquet('{log}')" if log.suffix == ".parquet" else f"read_csv('{log}', header = true)"
    ts = "epoch(timestamp)" if log.suffix == ".parquet" else "epoch(CAST(timestamp AS TIMESTAMPTZ))"
    return f"""
    WITH tp AS (SELECT * FROM {values(facts.touchpoint_rows(), 'id, outcome, entry')}),
    fl AS (SELECT * FROM {values(sorted(facts.flows), 'source, target')}),
    rq AS (SELECT * FROM {values(sorted(facts.requires), 'touchpoint, required')}),
    ev AS (
      SELECT customer, touchpoint, {ts} AS seconds, COALESCE(outcome, '') AS outcome, COALESCE(segment, '') AS segment,
        ROW_NUMBER() OVER w AS step, LAG(touchpoint) OVER w AS previous,
        LEAD(touchpoint) OVER w AS next_tp, LEAD({ts}) OVER w AS next_seconds
      FROM (SELECT r.*, tp.id IS NULL AS unknown FROM {reader} r LEFT JOIN tp ON tp.id = r.touchpoint)
      WINDOW w AS (PARTITION BY customer ORDER BY {ts}, unknown, touchpoint, outcome)
    ),
    visits AS (SELECT * FROM ev WHERE previous IS DISTINCT FROM touchpoint OR next_tp IS DISTINCT FROM touchpoint),
    flows AS (
      SELECT touchpoint, next_tp, count(*) AS n, quantile_disc(next_seconds - seconds, 0.5) AS median,
        quantile_disc(next_seconds - seconds, 0.9) AS p90
      FROM visits WHERE next_tp IS DISTINCT FROM touchpoint AND next_tp IS NOT NULL GROUP BY ALL
    ),
    per_tp AS (SELECT touchpoint, count(DISTINCT customer) AS visitors, count(*) AS visits FROM visits
               WHERE previous IS DISTINCT FROM touchpoint GROUP BY ALL),
    missing AS (
      SELECT DISTINCT v.customer, rq.touchpoint, rq.required FROM visits v JOIN rq ON rq.touchpoint = v.touchpoint
      ANTI JOIN visits w ON w.customer = v.customer AND w.touchpoint = rq.required
    ),
    customers AS (
      SELECT customer, min(seconds) AS first_seconds, arg_min(segment, step) AS segment,
        arg_min(touchpoint, step) AS entry, arg_max(touchpoint, step) AS last_tp,
        arg_max(NULLIF(outcome, ''), step) AS outcome_cell,
        bool_or(v.touchpoint NOT IN (SELECT id FROM tp)) AS ad_hoc,
        bool_or(next_tp <> v.touchpoint AND next_tp IN (SELECT id FROM tp) AND v.touchpoint IN (SELECT id FROM tp)
                AND (v.touchpoint, next_tp) NOT IN (SELECT (source, target) FROM fl))
          OR bool_or(step = 1 AND v.touchpoint IN (SELECT id FROM tp WHERE entry = 0)) AS out_of_sequence
      FROM visits v GROUP BY customer
    ),
    ends AS (
      SELECT c.*, COALESCE(c.outcome_cell, NULLIF(tp.outcome, ''), 'left') AS ending,
        c.customer IN (SELECT customer FROM missing) AS missing
      FROM customers c LEFT JOIN tp ON tp.id = c.last_tp
    ),
    found AS (
      SELECT 'ad_hoc' AS type, NULL AS source, entry AS target, customer FROM ends WHERE entry NOT IN (SELECT id FROM tp)
      UNION ALL
      SELECT 'out_of_sequence', NULL, entry, customer FROM ends WHERE entry IN (SELECT id FROM tp WHERE entry = 0)
      UNION ALL
      SELECT CASE WHEN next_tp NOT IN (SELECT id FROM tp) THEN 'ad_hoc' ELSE 'out_of_sequence' END,
        touchpoint, next_tp, customer
      FROM visits WHERE next_tp IS NOT NULL AND next_tp <> touchpoint
        AND (next_tp NOT IN (SELECT id FROM tp) OR (touchpoint IN (SELECT id FROM tp)
             AND (touchpoint, next_tp) NOT IN (SELECT (source, target) FROM fl)))
      UNION ALL
      SELECT 'missing', touchpoint, required, customer FROM missing
      UNION ALL
      SELECT 'failing', last_tp, NULL, customer FROM ends WHERE ending <> 'success'
    ),
    deviations AS (
      SELECT type, source, target, count(DISTINCT customer) AS customers, min(DISTINCT customer, 3) AS examples
      FROM found GROUP BY ALL
    ),
    cohorts AS (
      SELECT floor(first_seconds / 86400) AS day, segment, count(*) AS customers,
        count(*) FILTER (ending = 'success') AS success, count(*) FILTER (ending = 'failure') AS failure,
        count(*) FILTER (NOT ad_hoc AND NOT out_of_sequence AND NOT missing AND ending = 'success') AS conforming,
        count(*) FILTER (ad_hoc) AS ad_hoc, count(*) FILTER (out_of_sequence) AS out_of_sequence,
        count(*) FILTER (missing) AS missing, count(*) FILTER (ending <> 'success') AS failing
      FROM ends GROUP BY ALL
    )
    SELECT (SELECT count(*) FROM flows), (SELECT sum(n) FROM flows), (SELECT count(*) FROM per_tp),
      (SELECT sum(customers) FROM cohorts), (SELECT list((entry, n)) FROM (SELECT entry, count(*) AS n FROM ends GROUP BY ALL)),
      (SELECT list((last_tp, n)) FROM (SELECT last_tp, count(*) AS n FROM ends WHERE ending <> 'success' GROUP BY ALL)),
      (SELECT list((type, source, target, customers, examples)) FROM deviations),
      (SELECT list((day, segment, customers, success, failure, conforming, ad_hoc, out_of_sequence, missing, failing))
       FROM cohorts)
    """


def digest_of_floor(row: tuple) -> str:
    """What the floor found, in the words the report's JSON uses (compared with it in the same run)."""
    from journeymap.data.engines import DEVIATION_TYPES, TOP_DEVIATIONS

    flows, transitions, _, customers, _, _, deviations, cohorts = row
    order = {name: i for i, name in enumerate(DEVIATION_TYPES)}

    def key(d: tuple) -> tuple:
        return -d[3], order[d[0]], d[1] or "", d[2] or ""

    # the first TOP_DEVIATIONS of each type, most customers first (as the report keeps them)
    ranked = sorted((d for kind in DEVIATION_TYPES for d in sorted((d for d in deviations if d[0] == kind), key=key)[:TOP_DEVIATIONS]),
                    key=key)
    conformance = {name: round(sum(c[5 + i] for c in cohorts) / customers, 6) + 0.0
                   for i, name in enumerate(("conforming", *DEVIATION_TYPES))}
    segments = sorted({c[1] for c in cohorts})
    return digest(customers, flows, transitions, conformance,
                  [(d[0], d[1], d[2], d[3], list(d[4])) for d in ranked], segments)


def digest(customers: int, flows: int, transitions: int, conformance: dict[str, int],
           deviations: list[tuple[object, ...]], segments: list[str]) -> str:
    body = json.dumps([conformance, deviations, segments], sort_keys=True, default=str)
    if os.environ.get("JM_DIGEST"):
        print(body)
    import hashlib

    return (f"customers {customers:,}, flows {flows}, transitions {transitions:,},"
            f" deviations {len(deviations)}, digest {hashlib.sha256(body.encode()).hexdigest()[:12]}")


def measure(argv: list[str]) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, stdout) of a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[:4]} failed:\n{proc.stderr[-3000:]}")
    text, _, peak = proc.stdout.rpartition("PEAK ")
    return elapsed, cpu, float(peak), text


def load_average() -> str:
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--formats", default="csv,parquet")
    parser.add_argument("--work", type=Path, default=Path("/tmp/journeymap-bench"))
    parser.add_argument("--pm4py-python", type=Path, help="a Python with pm4py, pandas and pyarrow: measure pm4py too")
    parser.add_argument("--spark", action="store_true")
    parser.add_argument("--skip", default="", help="measurements to leave out, e.g. floor,report")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of measurements, one of each kind per round in turn; ratios of the fastest runs")
    parser.add_argument("--only", choices=["floor", "report", "pm4py", "spark"], help="one measurement (a fresh max RSS)")
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        return run_one(args)
    args.work.mkdir(parents=True, exist_ok=True)
    customers = int(args.events / EVENTS_PER_CUSTOMER)
    print(f"journey: {JOURNEY.name}; {customers:,} customers (~{args.events:,} events); {os.cpu_count()} cores")
    for fmt in args.formats.split(","):
        log = args.work / f"grocery-{customers}.{fmt}"
        if not log.exists():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "journeymap", "simulate", str(JOURNEY), "--customers", str(customers),
                            "--seed", "1", "-o", str(log)], cwd=ROOT, check=True)
            print(f"  generated {log.name} ({log.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s")
        kinds = ["floor", "report"] + (["pm4py"] if args.pm4py_python else []) + (["spark"] if args.spark else [])
        kinds = [k for k in kinds if k not in args.skip.split(",")]
        figures: dict[str, tuple[float, float]] = {}
        outputs: dict[str, str] = {}
        for _ in range(max(1, args.repeat)):
            for kind in kinds:
                python = str(args.pm4py_python) if kind == "pm4py" else sys.executable
                load = load_average()
                elapsed, cpu, peak, out = measure([python, __file__, "--only", kind, "--log", str(log)])
                if kind not in figures or elapsed < figures[kind][0]:
                    figures[kind] = (elapsed, cpu)
                outputs[kind] = out.strip()
                print(f"  {fmt:8} {kind:7} {elapsed:7.1f} s wall {cpu:7.1f} s CPU {peak:7.0f} MB  load {load}  {out.strip()}",
                      flush=True)
        if args.repeat > 1:
            print(f"  {fmt:8} fastest of {args.repeat}: " + ", ".join(f"{k} {w:.1f} s ({c:.1f} s CPU)" for k, (w, c) in figures.items()))
        if "floor" in outputs and "report" in outputs:
            print(f"  {fmt:8} the floor and the report found the same figures: {outputs['floor'] == outputs['report']}")
        if "floor" in figures:
            wall, cpu = figures["floor"]
            for kind in kinds:
                if kind != "floor":
                    print(f"  {fmt:8} {kind:7} / floor = {figures[kind][0] / wall:.2f}x wall, {figures[kind][1] / cpu:.2f}x CPU")
        if "pm4py" in figures and "report" in figures:
            print(f"  {fmt:8} report is {figures['pm4py'][0] / figures['report'][0]:.2f}x faster than pm4py (wall),"
                  f" {figures['pm4py'][1] / figures['report'][1]:.2f}x (CPU)")


def run_one(args: argparse.Namespace) -> None:
    log: Path = args.log
    if args.only == "pm4py":  # in pm4py's own interpreter: no journeymap import
        import pandas as pd
        import pm4py

        frame = pd.read_parquet(log) if log.suffix == ".parquet" else pd.read_csv(log)
        frame = pm4py.format_dataframe(frame, case_id="customer", activity_key="touchpoint", timestamp_key="timestamp")
        dfg, starts, ends = pm4py.discover_dfg(frame)
        print(f"flows {len(dfg)}, transitions {sum(dfg.values()):,}")
        return

    from journeymap.data.engines import EngineOptions, JourneyFacts
    from journeymap.loader import load

    if args.only == "floor":
        import duckdb

        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        row = con.execute(plain_query(log, JourneyFacts.of(load(JOURNEY)))).fetchall()[0]
        print(digest_of_floor(row))
    elif args.only == "report":
        proc = subprocess.run([sys.executable, "-m", "journeymap", "report", str(JOURNEY), "--events", str(log),
                               "--format", "json"], cwd=ROOT, capture_output=True, text=True)
        if proc.returncode not in (0, 1):  # exit 3, so that measure() shows the error, not a missing PEAK
            print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
            raise SystemExit(3)
        events = json.loads(proc.stdout)["events"]
        print(digest(events["customers"], len(events["flows"]), sum(f["count"] for f in events["flows"]),
                     events["conformance"], [(d["type"], d["from"], d["to"], d["customers"], d["examples"])
                                             for d in events["deviations"]],
                     sorted(s["segment"] for s in events["segments"])))
    else:
        from journeymap.data.engines import get_engine

        journey = load(JOURNEY)
        facts = JourneyFacts.of(journey)
        start = time.perf_counter()
        spark = get_engine("spark")[1]([log], facts, EngineOptions())
        took = time.perf_counter() - start
        duck = get_engine("duckdb")[1]([log], facts, EngineOptions())
        same = spark.comparable() == duck.comparable()
        print(f"customers {spark.customers:,}, flows {len(spark.flows)}; spark alone {took:.1f} s;"
              f" same numbers as duckdb: {same}")


def peak_mb() -> float:
    """The largest resident set of this process and its children, in MB (Linux: ru_maxrss in KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


if __name__ == "__main__":
    main()
    if "--only" in sys.argv:
        print(f"PEAK {peak_mb():.0f}")
