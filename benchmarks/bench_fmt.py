"""Time ``journeymap fmt`` on a large generated journey.

Baseline: ``yamlio.parse``, the plain read of the file every command starts
with. On top of it, what ``format_text`` does: the same guard parse, reading
the nodes with positions and comments, writing the canonical layout, and the
safety check (both texts read again by a separate reader and compared). The
goal: formatting in less than 6 x the baseline, linear in the file's size.

The journey is ``benchmarks/generate.py``'s (2,000 touchpoints by default,
with comments added so that comment handling is measured too):

- ``messy``: the generated file, whose key order is not canonical (metrics
  and weak before stages, next before friction): a real reformat;
- ``formatted``: fmt's own output, the steady state under pre-commit.

Also ``journeymap fmt --check`` end to end (a fresh process, as pre-commit
runs it) and a scaling series.

    python benchmarks/bench_fmt.py [--touchpoints 2000] [--repeat 5]

Exit status 0 always: the figures are for people; the verdict is printed.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_journey  # noqa: E402
from journeymap import fmt  # noqa: E402
from journeymap.yamlio import parse  # noqa: E402


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(best wall time, best CPU time, result) over ``repeat`` runs."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus), result


def with_comments(text: str) -> str:
    """Comments where people put them: above every touchpoint, after some values."""
    out = []
    for i, line in enumerate(text.splitlines()):
        if line.startswith("  - id: tp-"):
            out.append("  # --- a touchpoint ---")
        if line.strip().startswith("share: ") and i % 3 == 0:
            line += "   # estimated"
        out.append(line)
    return "\n".join(out) + "\n"


def stages(text: str, repeat: int) -> list[tuple[str, float]]:
    """Time each step of format_text on its own (with the cyclic GC paused, as format_text does)."""
    guard = best(lambda: parse(text, "bench"), repeat)[0]
    gc.disable()
    try:
        read = best(lambda: fmt._read(text, "bench"), repeat)[0]
        write, _, out = best(lambda: fmt._Writer(fmt._read(text, "bench")).write(), repeat)
        check = best(lambda: fmt._check_same(text, out, "bench"), repeat)[0]
    finally:
        gc.enable()
    return [
        ("guard parse (yamlio)", guard),
        ("read nodes + comments", read),
        ("write the layout", write - read),
        ("safety check (2 reads)", check),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    messy = with_comments(generate_journey(args.touchpoints, args.seed))
    formatted = fmt.format_text(messy)
    print(f"journeymap fmt benchmark: best of {args.repeat} runs, Python {sys.version.split()[0]}")
    print(
        f"\n{args.touchpoints:,} touchpoints: {len(messy.encode()) / 1e6:.2f} MB, "
        f"{messy.count(chr(10)):,} lines, {messy.count('#'):,} comments"
    )

    base_wall, base_cpu, _ = best(lambda: parse(messy, "bench"), args.repeat)
    print(f"  yamlio.parse (baseline)        {base_wall * 1000:8.1f} ms wall {base_cpu * 1000:8.1f} ms CPU")
    results = {}
    for name, text in (("messy", messy), ("formatted", formatted)):
        wall, cpu, out = best(lambda text=text: fmt.format_text(text), args.repeat)
        results[name] = (wall, cpu)
        change = "unchanged" if out == text else "reformatted"
        print(f"  format_text, {name:<10} {wall * 1000:8.1f} ms wall {cpu * 1000:8.1f} ms CPU  ({change})")
    wall, cpu = results["messy"]
    print(f"  throughput                     {len(messy.encode()) / 1e6 / wall:8.2f} MB/s, {args.touchpoints / wall:,.0f} touchpoints/s")
    print("  where the time goes (messy):")
    for step, seconds in stages(messy, args.repeat):
        print(f"    {step:<28} {seconds * 1000:8.1f} ms")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.journey.yaml"
        path.write_text(formatted, encoding="utf-8")
        command = [sys.executable, "-m", "journeymap", "fmt", "--check", "-q", str(path)]
        cli_wall, _, done = best(lambda: subprocess.run(command, capture_output=True, cwd=ROOT), max(1, args.repeat // 2))
        print(f"  journeymap fmt --check (new process) {cli_wall * 1000:8.1f} ms  (exit {done.returncode})")

    print("  scaling (format_text, messy):")
    for n in (args.touchpoints // 4, args.touchpoints, args.touchpoints * 4):
        text = with_comments(generate_journey(n, args.seed))
        seconds = best(lambda text=text: fmt.format_text(text), max(1, args.repeat // 2))[0]
        print(f"    {n:>6,} touchpoints {seconds * 1000:9.1f} ms  {seconds / n * 1e6:6.1f} µs per touchpoint")

    ratio = wall / base_wall
    verdict = "ok" if ratio < 6 else "SLOW"
    print(f"\n  format_text = {ratio:.1f} x yamlio.parse ({verdict}: goal < 6 x)")


if __name__ == "__main__":
    main()
