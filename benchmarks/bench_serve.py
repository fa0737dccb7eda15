"""How fast ``journeymap serve`` pushes a re-rendered map after a save.

    python benchmarks/bench_serve.py               # a 100-touchpoint journey, 10 saves
    python benchmarks/bench_serve.py 300 --saves 5

Starts ``journeymap serve`` on 127.0.0.1 (a free port) over a folder holding
one generated journey, listens to its event stream, and saves the file
``--saves`` times (each save changes a metric value, so the analysis and the
map change; every other save also changes a touchpoint name, so the flow
diagram is laid out again). For each save it prints the server's own figure —
milliseconds from the file event to the push — and the wall time from the
write to the browser-side event (which adds watchfiles' 20 ms quiet period and
the operating system's notification). Target: under 300 ms from the file event
to the push (median). The floor, measured in the same run, is rendering the
same journey once in this process (load, analyse, map with Graphviz).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "tests"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))


def render_once(path: Path) -> float:
    from journeymap.analysis import analyze, analyze_personas
    from journeymap.loader import Loader
    from journeymap.render.output import render_outputs

    start = time.perf_counter()
    journey = Loader().check(path).journey
    assert journey is not None
    analysis = analyze(journey)
    render_outputs(analysis, ["html"], persona_analyses=analyze_personas(journey, overall=analysis) if journey.personas else None)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("touchpoints", nargs="?", type=int, default=100)
    parser.add_argument("--saves", type=int, default=10)
    args = parser.parse_args(argv)

    from serve_helpers import Events, Server

    from benchmarks.generate import generate_journey

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.journey.yaml"
        text = generate_journey(n_touchpoints=args.touchpoints, seed=1)
        path.write_text(text, encoding="utf-8")
        render_once(path)
        floor = min(render_once(path) for _ in range(3))
        server = Server(Path(tmp))
        events = Events(server)
        pushes, walls = [], []
        try:
            time.sleep(0.5)
            marker = "drop_off: "
            assert marker in text, "the generated journey has no drop_off to change"
            for i in range(args.saves):
                changed = text.replace(marker, f"{marker}0.0{i % 9 + 1} #", 1)
                if i % 2:
                    changed = changed.replace("name: ", f"name: Save {i} ", 1)
                start = time.perf_counter()
                path.write_text(changed, encoding="utf-8")
                event = events.next(lambda e: e["type"] == "reload", timeout=30)
                walls.append((event["_received"] - start) * 1000)
                pushes.append(event["took_ms"])
                time.sleep(0.3)
        finally:
            events.close()
            server.stop()
    print(f"re-render on save, {args.touchpoints} touchpoints, {args.saves} saves")
    print(f"  floor: rendering it once in-process          {floor * 1000:7.0f} ms")
    print(f"  file event -> push (server), median / max     {statistics.median(pushes):7.0f} / {max(pushes):.0f} ms")
    print(f"  write -> event received (wall), median / max  {statistics.median(walls):7.0f} / {max(walls):.0f} ms")
    ratio = statistics.median(pushes) / (floor * 1000)
    print(f"  push / floor: {ratio:.2f}; target < 300 ms -> {'ok' if statistics.median(pushes) < 300 else 'TOO SLOW'}")
    return 0 if statistics.median(pushes) < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
