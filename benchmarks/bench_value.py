"""Benchmark of the value analysis: value at stake and sensitivities for every touchpoint.

    python benchmarks/bench_value.py             # 2,000 touchpoints
    python benchmarks/bench_value.py 5000 --repeat 3

The floor, measured in the same run: `report`'s analysis of the journey (load
excluded; it includes the value figures of the weak touchpoints). Then, on
the chain that analysis factorised once: value at stake for *every*
touchpoint (as if all were weak) and every sensitivity (each touchpoint's
drop-off, each flow's share). The goal: within 2x the floor. For scale, a
brute-force re-solve per touchpoint (a new chain and factorisation for each
changed journey) is timed on a sample and extrapolated.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VALUE = "\nvalue:\n  currency: EUR\n  volume: 25000\n  outcomes: {success: 120, failure: -30}\n  leave: -2\n"


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("touchpoints", nargs="?", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--brute-sample", type=int, default=20, help="touchpoints re-solved by brute force (extrapolated)")
    args = parser.parse_args(argv)

    from benchmarks.generate import generate_journey
    from journeymap.analysis import analyze
    from journeymap.graph import FlowChain, JourneyGraph
    from journeymap.loader import load
    from journeymap.value import ValueChain, assess

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.journey.yaml"
        path.write_text(generate_journey(n_touchpoints=args.touchpoints, seed=args.seed) + VALUE, encoding="utf-8")
        journey = load(path)

    report_time, analysis = best(args.repeat, lambda: analyze(journey))
    every = [t for t in analysis.graph.order if not analysis.graph.graph.nodes[t]["outcome"]]

    def value_for_all() -> tuple[Any, ...]:
        # A fresh chain each time: the factorisation is counted, once.
        chain = JourneyGraph(journey).chain(analysis.entries)
        return assess(chain, journey, analysis.entries, None, every)

    value_time, (summary, stakes, sensitivities) = best(args.repeat, value_for_all)

    # Brute force: for a sample of touchpoints, a new graph and factorisation for the changed chain.
    graph = analysis.graph
    sample = every[:: max(1, len(every) // args.brute_sample)][: args.brute_sample]

    def brute() -> None:
        for tp in sample:
            chain = FlowChain(graph, analysis.entries)
            i = chain.index[tp]
            row = chain.P[i].copy() if chain.dense else chain.P[i].toarray().ravel()
            flows = row.sum()
            if flows <= 0:
                continue
            if chain.dense:
                chain.P[i, :] = row * (1.0 - 0.0) / flows
            else:
                chain.P = chain.P.tolil()
                chain.P[i, :] = row * (1.0 - 0.0) / flows
                chain.P = chain.P.tocsr()
            ValueChain(chain, journey, journey.value).per_customer  # noqa: B018 (the solve is the work)

    brute_time, _ = best(1, brute)
    brute_all = brute_time / max(1, len(sample)) * len(every)

    flows = graph.g.number_of_edges()
    print(f"journey: {args.touchpoints} touchpoints, {flows} flows, {len(graph.loop_groups())} loop groups "
          f"(seed {args.seed}); best of {args.repeat}")
    rows = [
        ("floor: report's analysis (after loading)", report_time),
        (f"value at stake ({len(stakes)}) + sensitivities ({len(sensitivities)} touchpoints, "
         f"{sum(len(s.flows) for s in sensitivities.values())} flows)", value_time),
        (f"brute force, re-solve per touchpoint (extrapolated from {len(sample)})", brute_all),
    ]
    for label, seconds in rows:
        print(f"  {label:<78} {seconds * 1000:9.1f} ms")
    ratio = value_time / report_time if report_time else float("inf")
    print(f"value for every touchpoint / report = {ratio:.2f} ({'ok' if ratio <= 2 else 'OVER 2x'}); "
          f"brute force / exact = {brute_all / value_time:.0f}x; value {summary.per_period:,.0f} EUR a month")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
