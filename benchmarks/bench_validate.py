"""How fast is validation, next to the floor of just parsing the YAML?

    python benchmarks/bench_validate.py            # both measurements
    python benchmarks/bench_validate.py --runs 20 --touchpoints 5000

(a) In process: checking a generated journey (what ``journeymap validate``
    does, and a full ``load`` that also builds the Journey objects) against a
    plain PyYAML ``yaml.load(text, Loader=yaml.CSafeLoader)`` of the same text.
    Target: validate <= 1.5x the floor.
(b) Cold start: ``python -m journeymap validate SAMPLE`` in a fresh process
    against ``python -c "import yaml, pydantic"``. Target: <= 2x.

Each figure is the minimum of N runs (the least disturbed one). Not run by the
test suite.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_journey  # noqa: E402


def best_of(runs: int, work: Callable[[], object]) -> float:
    """Minimum wall time of ``runs`` calls, with the garbage collector quiet during each."""
    times = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        finally:
            gc.enable()
    return min(times)


def in_process(n_touchpoints: int, runs: int) -> dict[str, float]:
    import yaml

    from journeymap.loader import Loader

    text = generate_journey(n_touchpoints, seed=1)
    raw = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.journey.yaml"
        path.write_bytes(raw)

        try:
            checker = Loader(build=False)  # what `journeymap validate` uses
        except TypeError:  # an older Loader without the option
            checker = Loader()

        def validate() -> None:
            result = checker.check(path)
            assert not result.errors, result.errors[:3]

        def load() -> None:
            result = Loader().check(path)
            assert result.journey is not None, result.errors[:3]

        def floor() -> None:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # noqa: S506 (CSafeLoader is safe)

        validate()  # warm up: imports, the validator build
        load()
        floor()
        return {
            "size": len(raw),
            "floor": best_of(runs, floor),
            "validate": best_of(runs, validate),
            "load": best_of(runs, load),
        }


def cold(sample: Path, runs: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # An installed package has its bytecode compiled; without .pyc files every
    # start would recompile the sources (~12 ms for loader.py alone).
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def run(*args: str) -> Callable[[], object]:
        def go() -> None:
            proc = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True)
            assert proc.returncode in (0, 1), proc.stderr[-500:]

        return go

    run("-c", "pass")()  # warm the file cache
    run("-m", "journeymap", "validate", str(sample))()  # and write the .pyc files
    return {
        "python": best_of(runs, run("-c", "pass")),
        "floor": best_of(runs, run("-c", "import yaml, pydantic")),
        "validate": best_of(runs, run("-m", "journeymap", "validate", str(sample))),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--touchpoints", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--sample", type=Path, default=None, help="journey for the cold start (default: the first sample)")
    parser.add_argument("--only", choices=["in-process", "cold"], default=None)
    args = parser.parse_args(argv)

    ok = True
    if args.only in (None, "in-process"):
        r = in_process(args.touchpoints, args.runs)
        ratio = r["validate"] / r["floor"]
        ok &= ratio <= 1.5
        print(f"(a) {args.touchpoints} touchpoints, {r['size'] / 1e3:.0f} kB, min of {args.runs} runs")
        print(f"    yaml.load(CSafeLoader)   {r['floor'] * 1e3:8.1f} ms   (floor)")
        print(f"    validate (build=False)   {r['validate'] * 1e3:8.1f} ms   {ratio:.2f}x   target <= 1.5x  {'ok' if ratio <= 1.5 else 'MISSED'}")
        print(f"    load (Journey objects)   {r['load'] * 1e3:8.1f} ms   {r['load'] / r['floor']:.2f}x")
    if args.only in (None, "cold"):
        sample = args.sample or sorted((ROOT / "sample_journeys").glob("*.journey.yaml"))[0]
        r = cold(sample, args.runs)
        ratio = r["validate"] / r["floor"]
        ok &= ratio <= 2
        print(f"(b) cold start, {sample.relative_to(ROOT) if sample.is_relative_to(ROOT) else sample}, min of {args.runs} runs")
        print(f"    python -c pass               {r['python'] * 1e3:8.1f} ms")
        print(f"    python -c 'import yaml, pydantic' {r['floor'] * 1e3:8.1f} ms   (floor)")
        print(f"    journeymap validate          {r['validate'] * 1e3:8.1f} ms   {ratio:.2f}x   target <= 2x  {'ok' if ratio <= 2 else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
