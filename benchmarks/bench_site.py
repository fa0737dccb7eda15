"""How fast ``journeymap site`` is against rendering each journey on its own.

    python benchmarks/bench_site.py                 # 50 journeys of 100 touchpoints
    python benchmarks/bench_site.py 20 --touchpoints 200

The floor, measured in the same run: every journey loaded, analysed (with its
personas) and rendered as an HTML map (Graphviz included) one by one, as
``journeymap render`` does for each file. Then the whole site: the same maps
plus the index, weak, channel and persona pages. The target is a ratio of at
most 2 (shared work, such as parsing the shared library, is done once). The
script prints the figures and the ratio; it exits 1 when the ratio is above 2.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def write_journeys(folder: Path, count: int, touchpoints: int) -> list[Path]:
    """``count`` generated journeys with distinct ids (different seeds) in ``folder``."""
    from benchmarks.generate import generate_journey

    paths = []
    for i in range(count):
        text = generate_journey(n_touchpoints=touchpoints, seed=i + 1)
        path = folder / f"journey-{i:03d}.journey.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def one_by_one(paths: list[Path]) -> float:
    from journeymap.analysis import analyze, analyze_personas
    from journeymap.loader import Loader
    from journeymap.render.output import render_outputs

    start = time.perf_counter()
    for path in paths:
        result = Loader().check(path)  # a fresh loader per file, as separate runs would have
        assert result.journey is not None, result.problems[:3]
        analysis = analyze(result.journey)
        personas = analyze_personas(result.journey, overall=analysis) if result.journey.personas else None
        render_outputs(analysis, ["html"], persona_analyses=personas)
    return time.perf_counter() - start


def whole_site(folder: Path) -> tuple[float, int]:
    from journeymap.site import collect, render_site

    start = time.perf_counter()
    portfolio = collect(folder, git=False)
    site = render_site(portfolio)
    return time.perf_counter() - start, len(site.files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journeys", nargs="?", type=int, default=50)
    parser.add_argument("--touchpoints", type=int, default=100)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_journeys(folder, args.journeys, args.touchpoints)
        one_by_one(paths[:2])  # warm imports and templates for both
        floor = one_by_one(paths)
        site_time, pages = whole_site(folder)
    ratio = site_time / floor
    print(f"{args.journeys} journeys of {args.touchpoints} touchpoints")
    print(f"  one by one (load + analyse + HTML map each): {floor:7.2f} s")
    print(f"  journeymap site ({pages} pages):              {site_time:7.2f} s")
    print(f"  ratio: {ratio:.2f} (target: at most 2.00) -> {'ok' if ratio <= 2 else 'TOO SLOW'}")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
