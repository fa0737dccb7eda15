"""Event logs generated from a journey: a seeded random walk over its declared flows (for round-trip tests)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from journeymap.graph import resolve_shares
from journeymap.model import Journey


def walk_log(
    journey: Journey,
    path: Path,
    *,
    customers: int,
    seed: int = 7,
    start: float = 1_790_000_000.0,
    extra: dict[str, tuple[str, float]] | None = None,
) -> dict[tuple[str, str], int]:
    """Write ``customer,timestamp,touchpoint`` rows for ``customers`` walks; return the transition counts.

    Each walk starts at an entry (equally likely), then at each touchpoint takes a
    declared flow with its resolved share, or leaves with what is missing to 1.
    ``extra`` plants an undeclared flow: ``{source: (target, share)}`` taken first.
    """
    rng = random.Random(seed)
    entries = journey.entry_ids()
    options = {
        t.id: list(zip([f.to for f in t.next], resolve_shares([(f.to, f.share) for f in t.next]), strict=True))
        for t in journey.touchpoints
    }
    counts: dict[tuple[str, str], int] = {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["customer", "timestamp", "touchpoint"])
        for i in range(customers):
            customer = f"c{i:06d}"
            here = entries[rng.randrange(len(entries))]
            moment = start + i * 60
            steps = 0
            while True:
                out.writerow([customer, f"{moment:.0f}", here])
                steps += 1
                if journey.touchpoint_by_id[here].outcome or steps > 50:
                    break
                u = rng.random()
                chosen = None
                choices = list(options[here])
                if extra and here in extra:
                    choices.insert(0, extra[here])
                for target, share in choices:
                    if u < share:
                        chosen = target
                        break
                    u -= share
                if chosen is None:
                    break
                counts[(here, chosen)] = counts.get((here, chosen), 0) + 1
                moment += 30 + rng.random() * 600
                here = chosen
    return counts


def main() -> None:
    """Write the sample log for the README's calibrate walk-through.

    The customers follow the grocery journey with every declared share moved by
    up to a fifth (seeded), so that calibrating has something to correct::

        python tests/journey_walk.py
    """
    import sys

    from journeymap.loader import load

    root = Path(__file__).resolve().parent.parent
    journey = load(root / "sample_journeys" / "grocery-first-order.journey.yaml")
    rng = random.Random(2026)
    for tp in journey.touchpoints:
        shares = resolve_shares([(f.to, f.share) for f in tp.next])
        moved = [s * rng.uniform(0.8, 1.2) for s in shares]
        total = sum(moved)
        if total > 0.98:
            moved = [s * 0.98 / total for s in moved]
        for flow, share in zip(tp.next, moved, strict=True):
            flow.share = round(share, 4)
    out = root / "sample_journeys" / "data" / "grocery-first-order.calibrate.events.csv"
    walk_log(journey, out, customers=int(sys.argv[1]) if len(sys.argv) > 1 else 2_000, seed=2026)


if __name__ == "__main__":
    main()
