"""Benchmark of distinctive phrases: DuckDB (journeymap.data.phrases_sql) against the Python path.

    python benchmarks/bench_phrases.py                 # 300,000 and 1,000,000 distinct comments
    python benchmarks/bench_phrases.py 50000 --repeat 3 --threads 2

Makes survey-like comments (8-20 words in two or three clauses, a vocabulary
with a few phrases that each touchpoint uses more than the others, an order
number so that almost every text is distinct), spread over six touchpoints
(most texts once, a few written again at the same or another touchpoint), and
prints, for each size, the best of ``--repeat`` runs (wall and CPU seconds,
CPU counting DuckDB's threads) of:

- Python: ``phrases_of`` for each distinct text, then ``_phrases`` (one process);
- DuckDB: loading the texts and groups into tables (numpy columns), then
  ``text_phrases`` and ``distinctive_phrases``;

and checks that both give the same phrases. Not run by the tests.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KEYS = ["choose-delivery-slot", "apply-welcome-voucher", "rate-first-order", "create-account", "report-missing-items",
        "set-substitutions"]
#: Phrases a touchpoint's comments use more often than the others'.
FAVOURITES = {
    "choose-delivery-slot": ["delivery slot", "evening slot", "slot booking", "next day"],
    "apply-welcome-voucher": ["voucher code", "welcome discount", "promo code", "first order"],
    "rate-first-order": ["fresh food", "great service", "first order", "would recommend"],
    "create-account": ["password reset", "sign up", "email address", "account page"],
    "report-missing-items": ["missing items", "refund request", "bread missing", "customer service"],
    "set-substitutions": ["substitution choice", "oat milk", "similar product", "wrong brand"],
}
OPENERS = ["The", "My", "Our", "This time the", "Again the", "Honestly the", "Last week the", "Today the", "Overall the"]
SUBJECTS = ["driver", "delivery", "app", "voucher", "basket", "substitution", "refund", "slot", "order", "support agent",
            "checkout", "milk", "bread", "price", "website", "chat", "courier", "packaging", "account", "password"]
VERBS = ["was", "seemed", "felt", "arrived", "came", "looked", "is", "got", "stayed", "became"]
MOODS = ["really", "very", "quite", "not", "so", "never", "always", "a bit", "rather", "extremely"]
ADJECTIVES = ["late", "early", "great", "awful", "slow", "quick", "rude", "friendly", "confusing", "easy", "broken",
              "fresh", "missing", "cheap", "expensive", "helpful", "terrible", "fine", "excellent", "disappointing"]
TAILS = ["but the rest was fine", "and nobody called", "thanks", "not happy", "as usual", "will order again",
         "so I gave up", "which saved my evening", "and the refund took ages", "the packaging was wasteful",
         "customer service never answered", "I would recommend it to friends", "the bags were heavy and wet"]


def comment(rng: random.Random, key: str) -> str:
    """A comment of 8-20 words: a sentence, a favourite phrase of its touchpoint (or another's), a tail and an order."""
    favourite = rng.choice(FAVOURITES[key] if rng.random() < 0.6 else FAVOURITES[rng.choice(KEYS)])
    parts = [
        f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(MOODS)} {rng.choice(ADJECTIVES)}",
        f"{rng.choice(['the', 'my', 'and the', 'about the'])} {favourite} {rng.choice(VERBS)} {rng.choice(ADJECTIVES)}",
    ]
    if rng.random() < 0.7:
        parts.append(rng.choice(TAILS))
    rng.shuffle(parts)
    return ", ".join(parts) + f" (order {rng.randint(100000, 999999)})."


def corpus(n: int, seed: int) -> tuple[list[str], list[tuple[str, int, int]]]:
    """``n`` distinct texts and the groups (key, text index, count) of comments holding them."""
    rng = random.Random(seed)
    texts: list[str] = []
    seen: set[str] = set()
    groups: list[tuple[str, int, int]] = []
    while len(texts) < n:
        key = rng.choice(KEYS)
        text = comment(rng, key)
        if text in seen:
            continue
        seen.add(text)
        groups.append((key, len(texts), rng.choice([1, 1, 1, 1, 1, 1, 2, 3])))
        if rng.random() < 0.05:  # the same text again, at another touchpoint (or persona) too
            groups.append((rng.choice(KEYS), len(texts), 1))
        texts.append(text)
    return texts, groups


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(best wall seconds, CPU seconds of that run incl. threads, result)."""
    runs, result = [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = work()
        runs.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, used = min(runs)
    return wall, used, result


def python_path(texts: list[str], groups: list[tuple[str, int, int]]) -> dict[str, list[tuple[str, int]]]:
    from journeymap.data.verbatims import CommentGroup, _phrases, phrases_of

    made = [CommentGroup(key, texts[i], None, None, n, "f.csv", "f.csv") for key, i, n in groups]  # type: ignore[arg-type]
    by_touchpoint: dict[str, list[int]] = {}
    for index, group in enumerate(made):
        by_touchpoint.setdefault(group.touchpoint, []).append(index)
    cache = {text: frozenset(phrases_of(text)) for text in texts}
    return _phrases(made, by_touchpoint, cache)


def load(con: Any, texts: list[str], groups: list[tuple[str, int, int]]) -> None:
    import numpy as np

    con.register("texts_src", {"id": np.arange(len(texts), dtype=np.int64), "text": np.array(texts, dtype=object)})
    con.execute("CREATE OR REPLACE TEMP TABLE texts AS SELECT * FROM texts_src")
    con.unregister("texts_src")
    keys, ids, counts = zip(*groups, strict=True)
    con.register("groups_src", {"key": np.array(keys, dtype=object), "id": np.array(ids, dtype=np.int64),
                                "n": np.array(counts, dtype=np.int64)})
    con.execute("CREATE OR REPLACE TEMP TABLE comments AS SELECT * FROM groups_src")
    con.unregister("groups_src")


def run(size: int, args: argparse.Namespace) -> bool:
    """One size: DuckDB's figures, Python's and whether they agree."""
    import duckdb

    from journeymap.data.phrases_sql import distinctive_phrases, text_phrases

    texts, groups = corpus(size, args.seed)
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"\n{size:,} distinct comments ({len(groups):,} groups, {words:.1f} words a text on average)")
    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    wall, cpu, _ = best(args.repeat, lambda: load(con, texts, groups))
    print(f"  DuckDB load (numpy columns)  {wall:7.2f} s wall {cpu:7.2f} s CPU")
    wall, cpu, in_python = best(args.repeat, lambda: text_phrases(con, "texts", "text_phrases"))
    (rows,) = con.execute("SELECT count(*) FROM text_phrases").fetchall()[0]
    print(f"  DuckDB text_phrases          {wall:7.2f} s wall {cpu:7.2f} s CPU  ({rows:,} rows, {in_python} texts in Python)")
    wall2, cpu2, found = best(args.repeat, lambda: distinctive_phrases(con, "comments", "text_phrases"))
    print(f"  DuckDB distinctive_phrases   {wall2:7.2f} s wall {cpu2:7.2f} s CPU")
    print(f"  DuckDB both                  {wall + wall2:7.2f} s wall {cpu + cpu2:7.2f} s CPU")
    con.close()
    if args.no_python:
        return True
    wall, cpu, expected = best(args.repeat, lambda: python_path(texts, groups))
    print(f"  Python phrases_of + _phrases {wall:7.2f} s wall {cpu:7.2f} s CPU")
    same = bool(found == expected)
    print(f"  same phrases: {same}")
    for key in KEYS[:2]:
        print(f"    {key}: {expected[key]}")
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[300_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (0: its default)")
    parser.add_argument("--no-python", action="store_true", help="DuckDB only (no equality check)")
    args = parser.parse_args(argv)

    import duckdb

    print(f"duckdb {duckdb.__version__}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; best of {args.repeat}")
    for size in args.sizes:
        if not run(size, args):
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
