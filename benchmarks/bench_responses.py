"""Benchmark of survey responses: one million answers with comments, read and analysed.

    python benchmarks/bench_responses.py              # 1,000,000 answers, 30% with a comment
    python benchmarks/bench_responses.py 200000 --repeat 3

Writes a responses CSV for the grocery-first-order sample journey
(``touchpoint,metric,score,respondent,date,persona,comment``; six months of
dates, three personas, comments drawn from a few hundred distinct texts, as
real survey exports repeat their short answers) and prints the best of
``--repeat`` runs of:

- the floor: reading the same file with DuckDB alone (``duckdb.read_csv`` into
  numpy arrays, every column) when duckdb is installed, else with pyarrow's CSV reader;
- journeymap reading it (``load_metric_data(..., period="month")``: values,
  intervals, series per month and persona, sentiment and verbatims);
- the whole analysis (``analyze`` with those data), and its ratio to the floor.

The goal in the issue: the report within 3x the floor. Not run by the tests.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
JOURNEY = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"

TOUCHPOINTS = {
    "choose-delivery-slot": "csat",
    "apply-welcome-voucher": "csat",
    "rate-first-order": "nps",
    "create-account": "ces",
    "report-missing-items": "csat",
    "set-substitutions": "csat",
}
WORDS = (
    "slot delivery driver late early fresh missing voucher code app crash easy quick slow rude friendly "
    "refund basket price cheap expensive great awful substitution milk bread helpful confusing"
).split()
MOODS = ["really", "very", "quite", "not", "so", "never", "always"]
PERSONAS = ["busy-parent", "wfh-professional", "student-flatshare", ""]


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def write_responses(path: Path, n: int, seed: int, comment_share: float) -> None:
    rng = random.Random(seed)
    texts = [
        '"' + " ".join([rng.choice(MOODS), *rng.sample(WORDS, 3)]).capitalize() + rng.choice([".", "!", ", thanks.", " again."]) + '"'
        for _ in range(400)
    ]
    scales = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
    names = list(TOUCHPOINTS)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("touchpoint,metric,score,respondent,date,persona,comment\n")
        for i in range(n):
            touchpoint = names[i % len(names)]
            metric = TOUCHPOINTS[touchpoint]
            low, high = scales[metric]
            comment = rng.choice(texts) if rng.random() < comment_share else ""
            out.write(
                f"{touchpoint},{metric},{rng.randint(low, high)},R{i:07d},2026-{rng.randint(4, 9):02d}-{rng.randint(1, 28):02d},"
                f"{rng.choice(PERSONAS)},{comment}\n"
            )


def floor_reader() -> tuple[str, Callable[[Path], Any]]:
    try:
        import duckdb
    except ImportError:
        import pyarrow.csv as pacsv  # type: ignore[import-not-found]

        return "pyarrow.csv.read_csv", lambda p: pacsv.read_csv(p).to_pydict()
    # Every column materialised (as numpy arrays): the file really read, not just counted.
    return "duckdb.read_csv -> numpy", lambda p: duckdb.read_csv(str(p)).fetchnumpy()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("answers", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--comments", type=float, default=0.3, help="share of answers with a comment (default 0.3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)

    from journeymap.analysis import analyze
    from journeymap.data import load_metric_data
    from journeymap.loader import load

    journey = load(JOURNEY)
    name, read_floor = floor_reader()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.csv"
        write_responses(path, args.answers, args.seed, args.comments)
        size = path.stat().st_size
        floor, table = best(args.repeat, lambda: read_floor(path))
        reading, data = best(args.repeat, lambda: load_metric_data(journey, responses=path, period="month"))
        analysing, result = best(args.repeat, lambda: analyze(journey, data=load_metric_data(journey, responses=path, period="month")))
    errors = [p for p in data.problems if p.is_error]
    print(f"{args.answers:,} answers ({size / 1e6:.1f} MB, {args.comments:.0%} with a comment); best of {args.repeat}")
    rows = len(next(iter(table.values())))
    print(f"  floor: {name:<28} {floor:7.2f} s  ({rows:,} rows)")
    print(f"  journeymap reads the answers      {reading:7.2f} s  = {reading / floor:.1f}x the floor")
    print(f"  report (read + analyse)           {analysing:7.2f} s  = {analysing / floor:.1f}x the floor (goal: 3x)")
    slot = result.touchpoints["choose-delivery-slot"].metrics["csat"]
    print(f"  check: CSAT at choose-delivery-slot {slot.text} (95% CI {slot.ci_text}, n={slot.n}), {len(slot.series)} months;"
          f" {len(errors)} errors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
