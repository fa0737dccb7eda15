"""Benchmark of every command on big generated journeys: time and peak memory against `validate`.

    python benchmarks/bench_big.py                    # 50,000 and 200,000 touchpoints
    python benchmarks/bench_big.py 2000 10000 --only validate,report

For each size it generates a journey (``generate.py``, five personas), a second
version with a few edits (for ``diff``), and runs each command once in a fresh
process under ``/usr/bin/time``: CPU seconds (user + system: on a shared
machine the wall clock mostly measures the neighbours), wall-clock seconds,
peak resident memory, and the ratio of the CPU time to that file's
``validate`` (the floor measured in the same run). Targets (issue 8): within 2x of validate at 50,000 touchpoints,
3x at 200,000, peak memory under 1.5 GB. Nothing is asserted: the figures
depend on the machine; the script prints them as a Markdown table.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMANDS = {
    "validate": ["validate", "{file}"],
    "report": ["report", "{file}"],
    "render html": ["render", "{file}", "--to", "html", "-o", "{out}"],
    "lint": ["lint", "{file}"],
    "fmt --check": ["fmt", "--check", "{file}"],
    "diff": ["diff", "{file}", "{other}"],
}


def run(words: list[str]) -> tuple[float, float, int, int]:
    """Wall-clock and CPU (user + system) seconds, peak RSS in bytes and exit code of
    ``python -m journeymap WORDS`` in a fresh process."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S %M", sys.executable, "-m", "journeymap", *words],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    wall, user, system, kb = done.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(kb) * 1024, done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[50_000, 200_000])
    parser.add_argument("--only", default=",".join(COMMANDS), help="comma-separated commands")
    args = parser.parse_args(argv)
    from benchmarks.generate import generate_journey

    chosen = [c.strip() for c in args.only.split(",") if c.strip()]
    print("| touchpoints | MB | command | CPU s | × validate | wall s | peak RSS | exit |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            text = generate_journey(size, seed=1)
            path = Path(folder) / f"big-{size}.journey.yaml"
            path.write_text(text, encoding="utf-8")
            # The same journey a week later: a renamed touchpoint, a changed share, a new emotion.
            other = Path(folder) / f"big-{size}-edited.journey.yaml"
            edited = text.replace("name: Open", "name: Opens", 3).replace("share: 0.1\n", "share: 0.12\n", 2)
            other.write_text(edited, encoding="utf-8")
            del text, edited
            megabytes = path.stat().st_size / 1_000_000
            floor = None
            for name in ["validate", *[c for c in chosen if c != "validate"]]:
                words = [w.format(file=path, other=other, out=Path(folder) / "out") for w in COMMANDS[name]]
                wall, cpu, peak, code = run(words)
                if name == "validate":
                    floor = cpu
                ratio = f"{cpu / floor:.1f}×" if floor else "–"
                print(
                    f"| {size:,} | {megabytes:.0f} | {name} | {cpu:.1f} | {ratio} | {wall:.1f} | {peak / 1e9:.2f} GB | {code} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
