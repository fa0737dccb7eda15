"""Time ``journeymap diff`` on two large journeys.

Baseline: loading both files (read, parse, validate). On top of it: the
diff with both analyses (what ``journeymap diff OLD NEW`` does after
loading), and rendering. The goal: load + diff-with-analysis in less than
twice the baseline.

Two pairs of 2,000-touchpoint journeys from ``benchmarks/generate.py``:

- ``pull-request``: one journey and a copy with a pull request's worth of
  edits (shares, severities, metric values, a rename, a move, a touchpoint
  added and one removed);
- ``rewrite``: two journeys from different seeds: same ids, nearly every
  field different (the worst case for the diff's detail work).

    python benchmarks/bench_diff.py [--touchpoints 2000] [--repeat 5]

Exit status 0 always: the figures are for people; the verdict is printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_journey  # noqa: E402
from journeymap.analysis import analyze  # noqa: E402
from journeymap.changes import FileChanges, diff  # noqa: E402
from journeymap.loader import Loader  # noqa: E402
from journeymap.render.diff_text import render  # noqa: E402


def pull_request_edits(text: str) -> str:
    """A realistic change: a few dozen edits to the generated YAML text."""
    lines = text.splitlines()
    edited = []
    severities = shares = renames = 0
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("severity: 3") and severities < 15:
            line = line.replace("severity: 3", "severity: 5")
            severities += 1
        elif stripped.startswith("share: 0.") and shares < 15:
            line = line[: line.index("share:")] + "share: 0.05"
            shares += 1
        elif stripped.startswith("name: Check") and renames < 10:
            line = line.replace("name: Check", "name: Double-check")
            renames += 1
        edited.append(line)
    return "\n".join(edited) + "\n"


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs (seconds) and the last result.

    The best, not the median: on a shared machine the noise only ever adds time.
    """
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def bench(name: str, old_path: Path, new_path: Path, repeat: int) -> None:
    def load_both() -> tuple[Any, Any]:
        loader = Loader()
        old = loader.check(old_path).journey
        new = loader.check(new_path).journey
        assert old is not None and new is not None
        return old, new

    # Interleaved, so that a busy machine slows every phase alike; the best of each.
    phases: dict[str, list[float]] = {"load": [], "structure": [], "analyses": [], "full": []}
    results: dict[str, Any] = {}
    for _ in range(repeat):
        for phase, fn in (
            ("load", load_both),
            ("structure", lambda: diff(*results["load"])),
            ("analyses", lambda: (analyze(results["load"][0]), analyze(results["load"][1]))),
            (
                "full",
                lambda: diff(
                    *results["load"], old_analysis=analyze(results["load"][0]), new_analysis=analyze(results["load"][1])
                ),
            ),
        ):
            seconds, results[phase] = best(fn, 1)
            phases[phase].append(seconds)
    load_time, structure_time, analyses_time, full_time = (min(phases[p]) for p in ("load", "structure", "analyses", "full"))
    old, new = results["load"]
    structure, changes = results["structure"], results["full"]
    files = [FileChanges(str(new_path), "modified", changes, str(old_path))]
    render_times = {fmt: best(partial(render, files, fmt), repeat)[0] for fmt in ("text", "markdown", "json")}
    c = changes.consequences
    print(f"\n{name}: {len(old.touchpoints):,} vs {len(new.touchpoints):,} touchpoints, "
          f"{len(structure.items):,} changed elements, "
          f"{sum(len(i.details) for i in structure.items):,} details, "
          f"{len(c.became_weak)} became weak, {len(c.no_longer_weak)} no longer weak")
    print(f"  load both (baseline)          {load_time * 1000:9.1f} ms")
    print(f"  diff, structure only          {structure_time * 1000:9.1f} ms")
    print(f"  analyse both                  {analyses_time * 1000:9.1f} ms")
    print(f"  diff with both analyses       {full_time * 1000:9.1f} ms")
    for fmt, seconds in render_times.items():
        print(f"  render {fmt:<22} {seconds * 1000:9.1f} ms")
    total = load_time + full_time + render_times["markdown"]
    ratio = total / load_time
    verdict = "ok" if ratio < 2 else "SLOWER THAN GOAL"
    print(f"  load + diff + markdown        {total * 1000:9.1f} ms = {ratio:.2f} x baseline ({verdict}: goal < 2 x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = generate_journey(args.touchpoints, seed=1)
        paths = {
            "old": Path(folder) / "old.journey.yaml",
            "edited": Path(folder) / "edited.journey.yaml",
            "rewrite": Path(folder) / "rewrite.journey.yaml",
        }
        paths["old"].write_text(base, encoding="utf-8")
        paths["edited"].write_text(pull_request_edits(base), encoding="utf-8")
        paths["rewrite"].write_text(generate_journey(args.touchpoints, seed=2), encoding="utf-8")
        print(f"journeymap diff benchmark: best of {args.repeat} runs, Python {sys.version.split()[0]}")
        bench("pull-request", paths["old"], paths["edited"], args.repeat)
        bench("rewrite", paths["old"], paths["rewrite"], args.repeat)


if __name__ == "__main__":
    main()
