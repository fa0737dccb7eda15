"""Generate the voice-of-the-customer sample data for grocery-first-order (deterministic).

    python scripts/generate_voc_sample.py            # writes sample_journeys/data/grocery-first-order.survey.csv
                                                     # and sample_journeys/data/grocery-first-order.history.csv

Six months of survey answers (April to September 2026) with dates, personas and
comments, and a metrics table over the same six months. What is in it, on purpose:

- a real trend: CSAT at choose-delivery-slot falls from about 74% to about 60%,
  worst for busy parents (the slot promise of the ads);
- a real low-confidence case: CSAT at apply-welcome-voucher is about 80% against
  the 85% checkout target, on about 45 answers a month: the interval includes the target;
- steady NPS at rate-first-order and CES at create-account (flat trends);
- response time at report-missing-items improving month by month, churn rising.

All figures are made up. The same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "sample_journeys" / "data"
MONTHS = [4, 5, 6, 7, 8, 9]
PERSONAS = ["busy-parent", "wfh-professional", "student-flatshare"]

COMMENTS = {
    "choose-delivery-slot": {
        "bad": [
            "No delivery slot before next week, the ad said tomorrow. Disappointing",
            "Frustrating: every delivery slot was gone by Wednesday again",
            "The only delivery slot left was at 7am on a school day, useless",
            "Annoying, slots keep disappearing while I fill the basket",
            "Misleading ads: no delivery slot for days",
        ],
        "good": ["Found an evening slot easily", "Great, a delivery slot for tomorrow morning"],
    },
    "apply-welcome-voucher": {
        "bad": ["The voucher code was rejected at checkout", "Minimum basket rule for the voucher was not clear"],
        "good": ["Voucher worked first time, nice discount", "Easy to apply the welcome voucher"],
    },
    "rate-first-order": {
        "bad": ["Two items missing and a squashed loaf", "Driver was late and did not call"],
        "good": ["Fresh produce and a friendly driver", "Really happy, will order again", "Great first order, everything arrived"],
    },
    "create-account": {
        "bad": ["The password rules are annoying"],
        "good": ["Quick sign up with my email", "Simple and fast account setup"],
    },
}


def _day(rng: random.Random, month: int) -> date:
    return date(2026, month, 1) + timedelta(days=rng.randrange(28))


def survey() -> str:
    rng = random.Random(20260401)
    rows: list[list[str]] = []
    counter = 0

    def answer(touchpoint: str, metric: str, score: int, month: int, persona: str, good: bool) -> None:
        nonlocal counter
        counter += 1
        comment = ""
        if touchpoint in COMMENTS and rng.random() < 0.4:
            comment = rng.choice(COMMENTS[touchpoint]["good" if good else "bad"])
        rows.append(
            [touchpoint, metric, str(score), f"R{counter:05d}", _day(rng, month).isoformat(), persona, comment]
        )

    for index, month in enumerate(MONTHS):
        # choose-delivery-slot: CSAT falls ~74% -> ~60%; busy parents fare worst.
        for _ in range(160):
            persona = rng.choices(PERSONAS, weights=[0.45, 0.35, 0.20])[0]
            base = 0.74 - 0.028 * index + {"busy-parent": -0.08, "wfh-professional": 0.08, "student-flatshare": 0.02}[persona]
            good = rng.random() < base
            answer("choose-delivery-slot", "csat", rng.choice([4, 5]) if good else rng.choice([1, 2, 3]), month, persona, good)
        # apply-welcome-voucher: ~80% against an 85% target, few answers: low confidence.
        for _ in range(45):
            good = rng.random() < 0.80
            answer("apply-welcome-voucher", "csat", rng.choice([4, 5]) if good else rng.choice([2, 3]), month, rng.choice(PERSONAS), good)
        # rate-first-order: NPS steady around +35.
        for _ in range(120):
            draw = rng.random()
            score = rng.choice([9, 10]) if draw < 0.52 else rng.choice([7, 8]) if draw < 0.83 else rng.randrange(0, 7)
            answer("rate-first-order", "nps", score, month, rng.choice(PERSONAS), score >= 7)
        # create-account: CES steady around 5.3.
        for _ in range(60):
            score = min(7, max(1, round(rng.gauss(5.3, 1.2))))
            answer("create-account", "ces", score, month, rng.choice(PERSONAS), score >= 5)
    rows.sort(key=lambda r: (r[4], r[3]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["touchpoint", "metric", "score", "respondent", "date", "persona", "comment"])
    writer.writerows(rows)
    return out.getvalue()


def history() -> str:
    # Monthly aggregates with what an interval needs: n (chats, customers in the month's
    # cohort) and, for the mean response time, its standard deviation.
    rows = [["touchpoint", "metric", "value", "n", "period", "sd"]]
    chats = zip(MONTHS, [14, 12, 11, 9, 8, 6], [210, 198, 225, 240, 236, 251], [9, 8, 8, 7, 6, 5], strict=True)
    for month, minutes, n, sd in chats:
        rows.append(["report-missing-items", "response_time", f"{minutes}m", str(n), f"2026-{month:02d}", f"{sd}m"])
    cohorts = [1180, 1240, 1210, 1305, 1290, 1320]
    for month, churn, n in zip(MONTHS, ["9.0%", "8.6%", "9.1%", "9.8%", "10.6%", "11.3%"], cohorts, strict=True):
        rows.append(["rate-first-order", "churn", churn, str(n), f"2026-{month:02d}", ""])
    for month, retention, n in zip(MONTHS, ["71%", "72%", "70%", "71%", "70%", "71%"], cohorts, strict=True):
        rows.append(["rate-first-order", "retention", retention, str(n), f"2026-{month:02d}", ""])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in (("grocery-first-order.survey.csv", survey()), ("grocery-first-order.history.csv", history())):
        path = OUT / name
        path.write_text(text, encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(text.encode()):,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
