"""What does "is this a journey?" cost, next to the floor of reading the file?

    python benchmarks/bench_sniff.py                  # 5,000-touchpoint journeys
    python benchmarks/bench_sniff.py --touchpoints 20000 --runs 5

``validate FOLDER``, ``--journeys-only``, ``lint`` and ``fmt`` ask
:func:`journeymap.sniff.sniff` about every ``*.yaml`` file. The same generated
journey is written five ways (UTF-8 block style, which takes the fast path;
with a byte-order mark; UTF-16; JSON style; and a YAML file of the same size
that is not a journey, which is scanned to the end), and each sniff is timed
against reading the bytes (:func:`journeymap.files.read_bytes`) and against a
full ``journeymap validate`` of the UTF-8 file. Target: a sniff stays well under
the cost of validating the file it lets through. Minimum of N runs; not run by
the test suite.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_journey  # noqa: E402


def best_of(runs: int, work: Callable[[], object]) -> float:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import yaml

    from journeymap.files import read_bytes
    from journeymap.loader import Loader
    from journeymap.sniff import sniff

    text = generate_journey(args.touchpoints, seed=1)
    data = yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 (CSafeLoader is safe)
    variants = {
        "utf-8 block": text.encode("utf-8"),
        "utf-8 + BOM": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf-16": text.encode("utf-16"),
        "json style": ("# exported\n" + json.dumps(data, indent=1)).encode("utf-8"),
        "not a journey": text.replace("journeymap: 1", "tool: 1").encode("utf-8"),
    }
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name, raw in variants.items():
            paths[name] = Path(folder) / f"{name.replace(' ', '-')}.yaml"
            paths[name].write_bytes(raw)
        checker = Loader(build=False)
        checker.check(paths["utf-8 block"])  # warm up
        validate = best_of(args.runs, lambda: checker.check(paths["utf-8 block"]))
        print(f"{args.touchpoints} touchpoints, {len(variants['utf-8 block']) / 1e6:.1f} MB as UTF-8; "
              f"validate {validate * 1000:.0f} ms")
        print(f"{'file':<14} {'size MB':>8} {'read ms':>8} {'sniff ms':>9} {'sniff/read':>10} {'sniff/validate':>15}")
        for name, path in paths.items():
            read = best_of(args.runs, lambda path=path: read_bytes(path))
            raw = read_bytes(path)
            found = sniff(raw)
            assert found.declares_journeymap == (name != "not a journey"), (name, found)
            cost = best_of(args.runs, lambda raw=raw: sniff(raw))
            print(f"{name:<14} {len(raw) / 1e6:>8.1f} {read * 1000:>8.1f} {cost * 1000:>9.1f} "
                  f"{cost / read:>10.1f} {cost / validate:>15.3f}")


if __name__ == "__main__":
    main()
