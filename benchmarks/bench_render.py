"""How fast the renderers are on a large journey.

    python benchmarks/bench_render.py               # 2,000 touchpoints
    python benchmarks/bench_render.py 500 --layout  # also time Graphviz on the diagram

Prints the best of a few runs for each step: loading the journey file,
analysing it, rendering the HTML map, the DOT source and the Mermaid export,
and (with ``--layout``) Graphviz laying the diagram out as SVG, which is
measured separately because it is Graphviz's time, not ours. The HTML map must
render in less time than loading the journey takes; the script says whether
it does and exits 1 when it does not.
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
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def best_of(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs, in seconds, and the last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("touchpoints", nargs="?", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--layout", action="store_true", help="also time Graphviz laying out the diagram (slow)")
    args = parser.parse_args(argv)

    import journeymap
    from benchmarks.generate import generate_journey
    from journeymap.render.dot import render_dot
    from journeymap.render.html import render_html
    from journeymap.render.mermaid import render_mermaid

    text = generate_journey(n_touchpoints=args.touchpoints, seed=args.seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.journey.yaml"
        path.write_text(text, encoding="utf-8")
        load_time, journey = best_of(args.repeat, lambda: journeymap.load(path))
    analyze_time, analysis = best_of(args.repeat, lambda: journeymap.analyze(journey))
    html_time, html = best_of(args.repeat, lambda: render_html(analysis))
    dot_time, dot = best_of(args.repeat, lambda: render_dot(analysis))
    mermaid_time, _ = best_of(args.repeat, lambda: render_mermaid(analysis))

    count = len(journey.touchpoints)
    print(f"journey: {count} touchpoints, {len(journey.stages)} stages, {len(text) / 1e6:.1f} MB of YAML")
    print(f"  load (read + validate)   {load_time * 1000:8.0f} ms")
    print(f"  analyze                  {analyze_time * 1000:8.0f} ms")
    print(f"  render HTML map          {html_time * 1000:8.0f} ms   ({len(html) / 1e6:.1f} MB, no diagram)")
    print(f"  render DOT               {dot_time * 1000:8.0f} ms")
    print(f"  render Mermaid           {mermaid_time * 1000:8.0f} ms")
    if args.layout:
        from journeymap.render.output import layout

        start = time.perf_counter()
        svg = layout(dot, "svg")
        print(f"  Graphviz layout (SVG)    {(time.perf_counter() - start) * 1000:8.0f} ms   ({len(svg) / 1e6:.1f} MB)")
    ratio = html_time / load_time
    verdict = "ok" if ratio < 1 else "TOO SLOW"
    print(f"HTML map vs load: {ratio:.2f}x ({verdict}: the map must render faster than the journey loads)")
    return 0 if ratio < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
