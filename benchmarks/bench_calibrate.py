"""Time ``journeymap calibrate`` on a large generated journey.

Floor: ``fmt.format_text`` on the same file, measured in the same run — the
comment-preserving engine calibrate writes through (read the nodes, write,
check). Calibrate on top of it: load the journey, compute the figures, splice
every share, volume and drop-off in, read the result back (the edit check)
and load it again (the result must validate with the intended shares). The
goal: at most 4 x the floor (calibrate does two full loads that fmt does not).

The figures come from a synthetic event summary with every declared flow
taken (as an engine would return it), so the event reading is not measured
here; that is the engines' benchmark.

    python benchmarks/bench_calibrate.py [--touchpoints 2000] [--repeat 3]

Exit status 0 always: the figures are for people; the verdict is printed.
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

from benchmarks.generate import generate_journey  # noqa: E402
from journeymap.calibrate import calibrate  # noqa: E402
from journeymap.data import DataPoint, EventSummary, MetricData, ObservedFlow  # noqa: E402
from journeymap.fmt import format_text  # noqa: E402
from journeymap.loader import load  # noqa: E402
from journeymap.problems import Span  # noqa: E402


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def observed(path: Path) -> MetricData:
    journey = load(path)
    rng = random.Random(1)
    flows = []
    data = MetricData()
    span = Span("events.parquet", 2, 1)
    for tp in journey.touchpoints:
        visits = rng.randint(1_000, 50_000)
        counts = [rng.randint(1, visits // max(1, len(tp.next))) for _ in tp.next]
        for flow, count in zip(tp.next, counts, strict=True):
            flows.append(ObservedFlow(tp.id, flow.to, count, count / visits, flow.share, 60.0 + count % 600, 900.0 + count % 3600))
        data.points[(tp.id, "volume")] = DataPoint(tp.id, "volume", float(visits), None, "events.parquet", span, None, "events")
        if not tp.outcome:
            drop = sum(counts) / visits
            data.points[(tp.id, "drop_off")] = DataPoint(tp.id, "drop_off", 1 - drop, visits, "events.parquet", span, None, "events")
    data.events = EventSummary(["events.parquet"], 100_000, 30_000, 20_000, 50_000, flows, engine="duckdb")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.journey.yaml"
        text = format_text(generate_journey(args.touchpoints))
        path.write_text(text, encoding="utf-8")
        data = observed(path)
        calibrate(path, data=data)  # warm-up: the first call imports networkx and scipy
        # Floor and calibrate take turns, so that a busy machine slows both alike.
        floors, tooks = [], []
        for _ in range(args.repeat):
            floors.append(best(lambda: format_text(text), 1)[0])
            took, (result, _) = best(lambda: calibrate(path, data=data), 1)
            tooks.append(took)
        floor, took = min(floors), min(tooks)
        path.write_text(result.text, encoding="utf-8")
        agains = []
        for _ in range(args.repeat):
            floors.append(best(lambda: format_text(text), 1)[0])
            again, (second, _) = best(lambda: calibrate(path, data=data), 1)
            agains.append(again)
        floor, again = min(floors), min(agains)
    lines = text.count("\n")
    print(f"journey: {args.touchpoints:,} touchpoints, {lines:,} lines, {len(text) / 1e6:.2f} MB")
    print(f"floor  fmt.format_text                      {floor * 1000:8.0f} ms")
    print(f"calibrate (first run, {len(result.changes):,} figures written) {took * 1000:8.0f} ms = {took / floor:.2f}x the floor")
    print(f"calibrate again (nothing to change: {len(second.changes)})  {again * 1000:8.0f} ms = {again / floor:.2f}x the floor")
    print(f"goal <= 4x: {'met' if took / floor <= 4 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
