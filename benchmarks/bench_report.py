"""Benchmark of `journeymap report`: loading vs. analysing a large journey.

    python benchmarks/bench_report.py            # 2,000 touchpoints
    python benchmarks/bench_report.py 5000 --repeat 5

Prints the best of ``--repeat`` runs for: loading the file (YAML + validation),
building the graph, the flow analytics (sparse solves), the whole analysis
after loading, the Markdown and JSON output, and the `report` command end to
end in a fresh process. The goal: the analysis after loading costs less than
the loading itself.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def journey_text(n: int, seed: int) -> str:
    try:
        from benchmarks.generate import generate_journey
    except ImportError:  # run from elsewhere without the shared generator
        raise SystemExit("benchmarks/generate.py is needed: run from the repository") from None
    return generate_journey(n_touchpoints=n, seed=seed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("touchpoints", nargs="?", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from journeymap.analysis import analyze
    from journeymap.graph import JourneyGraph
    from journeymap.loader import load
    from journeymap.render.markdown import render_markdown

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.journey.yaml"
        path.write_text(journey_text(args.touchpoints, args.seed), encoding="utf-8")
        load_time, journey = best(args.repeat, lambda: load(path))
        graph_time, graph = best(args.repeat, lambda: JourneyGraph(journey))
        chain_time, chain = best(
            args.repeat,
            lambda: (c := graph.chain(), c.reach, c.removal_effects, c.conversion, c.stage_funnel([s.id for s in journey.stages]))[0],
        )
        analysis_time, analysis = best(args.repeat, lambda: analyze(journey))
        markdown_time, _ = best(args.repeat, lambda: render_markdown(analysis))
        json_time, _ = best(args.repeat, lambda: json.dumps(analysis.to_json()))
        command_time, proc = best(
            args.repeat,
            lambda: subprocess.run(
                [sys.executable, "-m", "journeymap", "report", str(path), "--format", "json"],
                capture_output=True, cwd=ROOT, check=False,
            ),
        )
        if proc.returncode != 0:
            print(proc.stderr.decode(errors="replace"), file=sys.stderr)
            return 1

    size = path.stat().st_size if path.exists() else 0
    flows = graph.g.number_of_edges()
    print(f"journey: {args.touchpoints} touchpoints, {flows} flows, {len(journey.stages)} stages, "
          f"{len(graph.loop_groups())} loop groups (seed {args.seed}); best of {args.repeat}")
    rows = [
        ("load (YAML + validation)", load_time),
        ("graph (networkx)", graph_time),
        ("flow analytics (sparse solves)", chain_time),
        ("analysis after loading (total)", analysis_time),
        ("markdown", markdown_time),
        ("json", json_time),
        ("`journeymap report --format json` (process)", command_time),
    ]
    for label, seconds in rows:
        print(f"  {label:<45} {seconds * 1000:9.1f} ms")
    ratio = analysis_time / load_time if load_time else float("inf")
    verdict = "ok" if ratio < 1 else "SLOWER THAN LOADING"
    print(f"analysis / load = {ratio:.2f} ({verdict}); {len(analysis.weak)} weak touchpoints, "
          f"conversion {analysis.conversion:.1%}")
    del size
    return 0 if ratio < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
