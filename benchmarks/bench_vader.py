"""Benchmark of VADER's compound score in DuckDB SQL (journeymap.data.vader_sql).

    python benchmarks/bench_vader.py                 # 300,000 and 1,000,000 distinct comments
    python benchmarks/bench_vader.py 100000 --sample 20000

Generates distinct survey-like comments (8-20 words: lexicon words, boosters,
negations, "but", "kind of", ALL CAPS words, "!"/"?", numbers, order ids like
#A12345, times like 14:30), loads them into DuckDB and prints, for each size:
the SQL's seconds wall and CPU (this process: DuckDB's threads included), the
Python analyzer's seconds on a sample (extrapolated to all texts), their
ratio, how many texts went to the analyzer, and an exact comparison of a
sample with the analyzer. Not run by the tests.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import time

POSITIVE = ["good", "great", "love", "loved", "excellent", "friendly", "helpful", "easy", "fast", "nice",
            "happy", "perfect", "amazing", "fresh", "thanks", "awesome", "best", "pleasant", "smooth", "fine"]
NEGATIVE = ["bad", "late", "awful", "terrible", "broken", "rude", "slow", "wrong", "missing", "hate",
            "worst", "annoying", "disappointed", "cold", "poor", "problem", "angry", "horrible", "sad", "damaged"]
NEUTRAL = ["the", "delivery", "driver", "app", "order", "was", "is", "and", "it", "my", "we", "checkout",
           "payment", "item", "items", "arrived", "store", "time", "again", "support", "with", "to", "a",
           "for", "on", "after", "i", "bag", "milk", "bread", "refund", "website", "courier", "call"]
BOOSTERS = ["very", "really", "so", "extremely", "totally", "quite", "slightly", "barely", "hardly", "most"]
NEGATIONS = ["not", "never", "isn't", "don't", "wasn't", "didn't", "no"]


def _comment(rng: random.Random) -> str:
    n = rng.randint(8, 20)
    words: list[str] = []
    while len(words) < n:
        r = rng.random()
        if r < 0.45:
            w = rng.choice(NEUTRAL)
        elif r < 0.60:
            w = rng.choice(POSITIVE)
        elif r < 0.72:
            w = rng.choice(NEGATIVE)
        elif r < 0.80:
            w = rng.choice(BOOSTERS)
        elif r < 0.86:
            w = rng.choice(NEGATIONS)
        elif r < 0.89:
            w = "but"
        elif r < 0.91:
            w = "kind of"
        elif r < 0.94:
            w = f"#{rng.choice('ABCDEFGH')}{rng.randint(10000, 99999)}"
        elif r < 0.96:
            w = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
        else:
            w = str(rng.randint(1, 500))
        if rng.random() < 0.04:
            w = w.upper()
        words.append(w)
    text = " ".join(words)
    r = rng.random()
    if r < 0.15:
        text += "!" * rng.randint(1, 5)
    elif r < 0.22:
        text += "?" * rng.randint(1, 4)
    elif r < 0.6:
        text += "."
    return text[0].upper() + text[1:]


def generate(n: int, seed: int = 1) -> list[str]:
    """``n`` distinct comments (deterministic for a seed)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        t = _comment(rng)
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def run(n: int, sample: int) -> None:
    import duckdb
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from journeymap.data.vader_sql import last_routing, score_texts

    texts = generate(n)
    con = duckdb.connect()
    con.execute(
        "CREATE TEMP TABLE texts AS SELECT CAST(i AS BIGINT) AS id, t AS text"
        " FROM (SELECT unnest($1::VARCHAR[]) AS t, generate_subscripts($1::VARCHAR[], 1) AS i)",
        [texts],
    )
    w0, c0 = time.perf_counter(), time.process_time()
    assert score_texts(con, "texts", "scores")
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    routing = last_routing()

    analyzer = SentimentIntensityAnalyzer()
    rng = random.Random(2)
    picked = rng.sample(range(n), min(sample, n))
    p0 = time.perf_counter()
    want = {i + 1: analyzer.polarity_scores(texts[i])["compound"] for i in picked}
    per_text = (time.perf_counter() - p0) / len(picked)
    got = dict(con.execute("SELECT id, score FROM scores").fetchall())
    wrong = sum(1 for i, s in want.items() if repr(got[i]) != repr(s))
    python_all = per_text * n
    print(f"{n:>9,} distinct texts: SQL {wall:.2f} s wall, {cpu:.2f} s CPU;"
          f" analyzer {per_text * 1e6:.1f} µs/text -> {python_all:.1f} s for all (sample {len(picked):,});"
          f" ratio {python_all / wall:.1f}x wall")
    print(f"{'':>9}  to the analyzer: {routing.python:,} ({routing.reasons}),"
          f" rounded in Python: {routing.rounded_in_python:,}; sample equal: {len(picked) - wrong:,}/{len(picked):,};"
          f" peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB;"
          f" load average {os.getloadavg()[0]:.2f}")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[300_000, 1_000_000])
    parser.add_argument("--sample", type=int, default=20_000, help="texts scored by the analyzer too")
    args = parser.parse_args()
    for n in args.sizes:
        run(n, args.sample)


if __name__ == "__main__":
    main()
