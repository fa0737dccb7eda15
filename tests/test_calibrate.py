"""journeymap calibrate: observed figures written into the journey file through fmt's splice engine."""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from journey_walk import walk_log

from journeymap.calibrate import calibrate, calibrate_text, round_shares
from journeymap.cli import main
from journeymap.data import DataPoint, EventSummary, MetricData, ObservedFlow
from journeymap.fmt import _facts_data as _facts
from journeymap.fmt import format_text
from journeymap.loader import check, load
from journeymap.problems import JourneyError, Span

JOURNEY = """\
# A small shop journey, for calibration tests.
journeymap: 1
id: shop
title: Shop
x-web: &web            # the channel most touchpoints use
  channel: web
personas: [{id: shopper, name: Shopper}]
channels:
  - {id: web, name: Website}
  - {id: phone, name: Phone, kind: human}
stages: [{id: buy, name: Buy}]
touchpoints:
  - id: land
    name: Lands on the site
    stage: buy
    <<: *web
    next:
      - to: search          # most people search
        share: 0.5
      - browse              # the rest browse
  - id: search
    name: Searches
    stage: buy
    channel: web
    next:
      - to: pay
        share: 0.9
        label: Finds it
      - to: call
        share: 0.05
    metrics:
      csat: {value: 0.8, target: 0.85}   # pilot survey
  - id: browse
    name: Browses
    stage: buy
    channel: web
    next: [pay, call]
  - id: call
    name: Calls the shop
    stage: buy
    channel: phone
    next:
      - pay
  - {id: pay, name: Pays, stage: buy, channel: web, outcome: success}
"""

TRUE_SHARES = """\
journeymap: 1
id: shop
title: Shop
personas: [{id: shopper, name: Shopper}]
channels: [{id: web, name: Website}, {id: phone, name: Phone, kind: human}]
stages: [{id: buy, name: Buy}]
touchpoints:
  - {id: land, name: L, stage: buy, channel: web, next: [{to: search, share: 0.62}, {to: browse, share: 0.31}]}
  - {id: search, name: S, stage: buy, channel: web, next: [{to: pay, share: 0.71}, {to: call, share: 0.12}]}
  - {id: browse, name: B, stage: buy, channel: web, next: [{to: pay, share: 0.44}, {to: call, share: 0.27}]}
  - {id: call, name: C, stage: buy, channel: phone, next: [{to: pay, share: 0.58}]}
  - {id: pay, name: P, stage: buy, channel: web, outcome: success}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _log(folder: Path, rows: list[str], name: str = "events.csv") -> Path:
    return _write(folder, name, "customer,timestamp,touchpoint\n" + "".join(r + "\n" for r in rows))


def _walk(folder: Path, customers: int, truth: str = TRUE_SHARES, seed: int = 7) -> tuple[Path, dict[tuple[str, str], int]]:
    journey = load(_write(folder, "truth.journey.yaml", truth))
    log = folder / "events.csv"
    return log, walk_log(journey, log, customers=customers, seed=seed)


# -- round trip ----------------------------------------------------------------


def test_round_trip_shares_come_back_within_sampling_error(tmp_path: Path) -> None:
    log, _ = _walk(tmp_path, 20_000)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, problems = calibrate(path, events=log)
    assert not [p for p in problems if p.is_error]
    path.write_text(result.text, encoding="utf-8")
    calibrated = load(path)
    truth = load(tmp_path / "truth.journey.yaml")
    # visits per touchpoint, from the true model: land 20,000; search .62; browse .31; call both ways
    visits = {"land": 20_000, "search": 20_000 * 0.62, "browse": 20_000 * 0.31}
    visits["call"] = visits["search"] * 0.12 + visits["browse"] * 0.27
    checked = 0
    for tp in truth.touchpoints:
        for flow in tp.next:
            p = flow.share
            assert p is not None
            got = next(f.share for f in calibrated.touchpoint_by_id[tp.id].next if f.to == flow.to)
            assert got is not None
            sigma = math.sqrt(p * (1 - p) / visits[tp.id])
            assert abs(got - p) <= 4 * sigma + 0.0005, (tp.id, flow.to, got, p, sigma)
            checked += 1
    assert checked == 7


RETENTION = """\
journeymap: 1
id: retention
title: Retention
personas: [{id: member, name: Member}]
channels: [{id: app, name: App}]
stages: [{id: join, name: Join}, {id: stay, name: Stay}]
value: {currency: EUR}
touchpoints:
  - id: browse
    name: Browses the offers
    stage: join
    channel: app
    next:
      - {to: browse, share: 0.3}     # a loop at the entry: it stays the entry
      - {to: sign-up, share: 0.5}
  - id: sign-up
    name: Signs up
    stage: join
    channel: app
    next: [{to: renew, share: 0.9}]
  - id: renew
    name: Renews a month
    stage: stay
    channel: app
    revenue: 10
    next:
      - {to: renew, share: 0.75}     # the retention loop: 1 / (1 - 0.75) renewals
      - {to: cancel, share: 0.05}
  - {id: cancel, name: Cancels, stage: stay, channel: app, outcome: failure}
"""


RETENTION_SHARES = {("browse", "browse"): 0.3, ("browse", "sign-up"): 0.5, ("sign-up", "renew"): 0.9,
                    ("renew", "renew"): 0.75, ("renew", "cancel"): 0.05}


def _shares(journey_path: Path) -> dict[tuple[str, str], float | None]:
    return {(t.id, f.to): f.share for t in load(journey_path).touchpoints for f in t.next}


@pytest.mark.parametrize("repeats", [0.0, 0.3])
def test_round_trip_a_self_loop_comes_back_within_sampling_error(tmp_path: Path, repeats: float) -> None:
    """A retention loop (renew -> renew) was never observed: consecutive events at one touchpoint were one
    visit, so calibrate wrote share 0 with a warning that nobody took it ("check that the log covers that
    channel"), and the value per customer fell to one renewal's. Simulated from the journey, the log gives
    the loop shares back, at the entry too (no undeclared-entry warning); simulate's double-fired events
    are not planted where a self-loop would read them as loops."""
    from journeymap.analysis import analyze
    from journeymap.data.simulate import simulate

    truth = _write(tmp_path, "truth.journey.yaml", RETENTION)
    log = tmp_path / "log.csv"
    simulate(load(truth), log, customers=6_000, seed=3, days=30, ad_hoc=0, out_of_sequence=0, missing=0, repeats=repeats)
    path = _write(tmp_path, "retention.journey.yaml", RETENTION.replace("share: 0.75}", "share: 0.5}").replace("share: 0.3}", "share: 0.1}"))
    result, problems = calibrate(path, events=log)
    assert not [p for p in problems if p.is_error]
    assert [p.code for p in result.flags] == []  # no flow-not-taken, no undeclared-entry
    path.write_text(result.text, encoding="utf-8")
    got = _shares(path)
    visits = {"browse": 6_000 / 0.7}
    visits["sign-up"] = visits["browse"] * 0.5
    visits["renew"] = visits["sign-up"] * 0.9 / 0.25
    for (source, target), p in RETENTION_SHARES.items():
        sigma = math.sqrt(p * (1 - p) / visits[source])
        share = got[(source, target)]
        assert share is not None and abs(share - p) <= 4 * sigma + 0.0005, (source, target, share, p, sigma)
    # the value per customer is the loop's again (10 a renewal, 0.9 x 0.5 / 0.7 / 0.25 renewals a customer)
    expected = analyze(load(truth)).value
    calibrated = analyze(load(path)).value
    assert expected is not None and calibrated is not None
    assert expected.per_customer == pytest.approx(10 * 0.9 * 0.5 / 0.7 / 0.25)
    assert calibrated.per_customer == pytest.approx(expected.per_customer, rel=0.08)
    again, _ = calibrate(path, events=log)
    assert not again.changed


def test_round_trip_a_self_loop_walked_step_by_step(tmp_path: Path) -> None:
    """The same loops in the tests' own walk (a row per step, a minute or more apart): the loop's share
    is the times it was taken over the visits to 'renew', every row there a visit; its time's n is
    the customers who renewed (at most those of its ends), not the times."""
    log, counts = _walk(tmp_path, 3_000, truth=RETENTION, seed=11)
    rows = [line.split(",") for line in log.read_text().splitlines()[1:]]
    renew_visits = sum(1 for _, _, touchpoint in rows if touchpoint == "renew")
    renewers = len({customer for customer, _, touchpoint in rows if touchpoint == "renew"})
    taken = counts[("renew", "renew")]
    assert taken > renewers > 0
    path = _write(tmp_path, "retention.journey.yaml", RETENTION)
    result, _ = calibrate(path, events=log)
    loop = next(f for f in load(_write(tmp_path, "out.journey.yaml", result.text)).touchpoint_by_id["renew"].next
                if f.to == "renew")
    assert loop.share == pytest.approx(round(taken / renew_visits, 3), abs=0.0011)  # largest remainder: 1 in the last place
    assert loop.time is not None and loop.time.n == renewers


LOOP = """\
journeymap: 1
id: loop
title: Loop
personas: [{id: p, name: P}]
channels: [{id: w, name: W}]
stages: [{id: s, name: S}]
touchpoints:
  - {id: a, name: A, stage: s, channel: w, entry: true, next: [{to: b, share: 1}]}
  - id: b
    name: B
    stage: s
    channel: w
    next: [{to: a, share: 0.5}, {to: win, share: 0.2}]   # 0.3 leave at each visit
    metrics:
      drop_off: {value: 0.3, target: 0.4}
  - {id: win, name: Win, stage: s, channel: w, outcome: success}
"""


def test_round_trip_a_loops_drop_off_is_per_visit_as_its_shares_are(tmp_path: Path) -> None:
    """Inside a loop calibrate wrote shares per visit (29.7% leave) but drop_off per visitor (0.602: the
    customers whose journey ended there), so the unchanged journey 'became weak' against its 40% target.
    The drop-off written is the share of visits after which the journey ended there, n = the visits: with
    the shares it adds up to 1, it comes back within sampling error, and the journey stays as it was."""
    from journeymap.analysis import analyze
    from journeymap.data.simulate import simulate

    truth = _write(tmp_path, "truth.journey.yaml", LOOP)
    log = tmp_path / "log.csv"
    simulate(load(truth), log, customers=5_000, seed=1, days=30, ad_hoc=0, out_of_sequence=0, missing=0, repeats=0)
    path = _write(tmp_path, "loop.journey.yaml", LOOP)
    result, _ = calibrate(path, events=log)
    path.write_text(result.text, encoding="utf-8")
    b = load(path).touchpoint_by_id["b"]
    drop = b.metrics["drop_off"]
    visits = sum(1 for line in log.read_text().splitlines() if ",b," in line)
    assert drop.n == visits and drop.target == 0.4
    assert abs(drop.value - 0.3) <= 4 * math.sqrt(0.3 * 0.7 / visits)
    assert drop.value + sum(f.share or 0 for f in b.next) == pytest.approx(1, abs=0.0015)
    assert analyze(load(path)).weak == [] == analyze(load(truth)).weak


def test_a_loops_drop_off_is_held_back_for_too_few_customers_not_visits(tmp_path: Path) -> None:
    """--min-customers counts customers: 5 customers going round a loop 10 times are 50 visits."""
    rows = [f"c{i},2026-01-01T10:{j:02d}:00Z,{('land', 'browse')[j % 2]}" for i in range(5) for j in range(20)]
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=_log(tmp_path, rows), min_customers=30)
    thin = [p.message for p in result.flags if p.code == "too-few-customers"]
    assert "Drop-off of 'browse' not written: 10% from 5 customers (50 visits), fewer than 30 (--min-customers)" in thin


def test_calibrating_twice_with_the_same_log_changes_nothing(tmp_path: Path) -> None:
    log, _ = _walk(tmp_path, 3_000)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    assert main(["calibrate", str(path), "--events", str(log), "--write", "-q"]) == 0
    once = path.read_bytes()
    assert once != JOURNEY.encode()
    result, _ = calibrate(path, events=log)
    assert not result.changed and result.changes == []
    assert main(["calibrate", str(path), "--events", str(log), "--write", "-q"]) == 0
    assert path.read_bytes() == once


def test_output_is_deterministic(tmp_path: Path) -> None:
    log, _ = _walk(tmp_path, 2_000)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    first, _ = calibrate(path, events=log)
    second, _ = calibrate(path, events=log)
    assert first.text == second.text and first.changes == second.changes


# -- comments, anchors, layout -------------------------------------------------


def test_comments_anchors_and_layout_survive(tmp_path: Path) -> None:
    log, _ = _walk(tmp_path, 2_000)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=log)
    data_in, comments_in = _facts(JOURNEY)
    data_out, comments_out = _facts(result.text)
    assert sorted(comments_in) == sorted(comments_out)
    assert "x-web: &web" in result.text and "<<: *web" in result.text
    # every line that carries no calibrated figure is still there, in order
    kept = [line for line in JOURNEY.splitlines() if "share" not in line and not line.endswith(("- browse              # the rest browse", "- pay", "next: [pay, call]")) and "id: pay" not in line]
    lines = iter(result.text.splitlines())
    assert all(any(line == other for other in lines) for line in kept)
    # the short forms became long forms, in the style of their list
    assert "      - to: browse              # the rest browse\n        share: " in result.text
    assert "next: [{to: pay, share: " in result.text
    # the target written by hand stays next to the new value
    csat = data_out["touchpoints"][0][1]["metrics"][0]["csat"][0]
    assert csat["target"] == [("plain", "float", "0.85")]
    # fmt's own checks hold on the result: it formats, and formatting keeps its meaning
    assert format_text(format_text(result.text)) == format_text(result.text)


def test_merge_keys_are_followed_and_never_hidden(tmp_path: Path) -> None:
    log, _ = _walk(tmp_path, 1_000)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=log)
    # 'land' has `<<: *web`, which brings only a channel: its new `metrics:` hides nothing.
    assert not [p for p in result.flags if p.code == "not-calibrated"]
    assert "    <<: *web\n    next:" in result.text
    land = load(_write(tmp_path, "a.journey.yaml", result.text)).touchpoint_by_id["land"]
    # (1,000 customers a minute apart, over 2 days: too short for volumes a month; the drop-off is written)
    assert land.channel == "web" and "drop_off" in land.metrics and "volume" not in land.metrics
    # When the merged mapping brings metrics, a new `metrics:` key would hide them: reported, not written.
    merged = JOURNEY.replace("  channel: web\n", "  channel: web\n  metrics: {volume: 7}\n", 1)
    path = _write(tmp_path, "merged.journey.yaml", merged)
    result, _ = calibrate(path, events=log)
    flags = [p for p in result.flags if p.code == "not-calibrated"]
    assert [p.message for p in flags] == [
        "the metrics of 'land' were not calibrated: 'metrics' may come from a merge key (<<) in the same mapping"
    ]
    assert flags[0].span.line == 14
    assert load(_write(tmp_path, "b.journey.yaml", result.text)).touchpoint_by_id["land"].metrics["volume"].value == 7


def test_flows_through_an_alias_are_reported_not_written(tmp_path: Path) -> None:
    text = JOURNEY.replace("    next: [pay, call]\n", "    next: &to-pay [pay, call]\n").replace(
        "    next:\n      - pay\n", "    next: *to-pay   # same as browsing\n"
    )
    path = _write(tmp_path, "shop.journey.yaml", text)
    log, _ = _walk(tmp_path, 1_000)
    result, _ = calibrate(path, events=log)
    messages = [p.message for p in result.flags if p.code == "not-calibrated"]
    assert "the flows of 'browse' were not calibrated: it is inside an anchored part (&to-pay) that other places may use" in messages
    assert any(m.startswith("the flows of 'call' were not calibrated: it is an alias (*to-pay)") for m in messages)
    assert "next: &to-pay [pay, call]" in result.text and "next: *to-pay   # same as browsing" in result.text
    load(_write(tmp_path, "out.journey.yaml", result.text))


# -- what is flagged -----------------------------------------------------------


@pytest.mark.parametrize("target", ["store-visit", "Store Visit"])
def test_add_flows_does_not_add_a_flow_to_a_touchpoint_the_journey_lacks(tmp_path: Path, target: str) -> None:
    # A frequent flow to an ad-hoc touchpoint of the log: adding it made the journey invalid
    # (next points to an unknown touchpoint), and calibrate stopped with "this is a bug".
    rows = [f"c{i},{i * 10},land" for i in range(40)] + [f"c{i},{i * 10 + 5},{target}" for i in range(40)]
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=_log(tmp_path, rows), add_flows=True)
    assert not [p for p in result.flags if p.is_error]
    flag = next(p for p in result.flags if p.code == "undeclared-flow")
    assert flag.message.endswith(f"'{target}' is not a touchpoint of the journey: not added (add the touchpoint first, then its flow)")
    assert target not in {f.to for f in load(_write(tmp_path, "out.journey.yaml", result.text)).touchpoint_by_id["land"].next}


def test_declared_flow_nobody_took_is_flagged_and_kept(tmp_path: Path) -> None:
    rows = [f"c{i},{i * 10},land" for i in range(40)] + [f"c{i},{i * 10 + 5},search" for i in range(40)]
    rows += [f"c{i},{i * 10 + 6},pay" for i in range(40)]
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=_log(tmp_path, rows))
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    land = {f.to: f.share for f in loaded.touchpoint_by_id["land"].next}
    assert land == {"search": 1.0, "browse": 0.0}
    search = {f.to: f.share for f in loaded.touchpoint_by_id["search"].next}
    assert search == {"pay": 1.0, "call": 0.0}
    not_taken = sorted(p.message.split(" (")[0] for p in result.flags if p.code == "flow-not-taken")
    assert not_taken == ["nobody went from 'land' to 'browse'", "nobody went from 'search' to 'call'"]
    # too few visits to 'browse' and 'call': their shares stay as declared
    assert any(p.code == "too-few-customers" and "'browse'" in p.message for p in result.flags)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_flow_nobody_took_counts_the_logs_visits_not_a_metrics_tables_volume(tmp_path: Path, engine: str) -> None:
    """40 customers searched and went no further, and a metrics table gave 'search' a volume of 48000 a month:
    'nobody went from 'search' to 'pay' (48,000 visits to 'search')' counted the table's figure as the log's visits."""
    rows = [f"c{i},2026-01-01T10:0{j}:00Z,{tp}" for i in range(40) for j, tp in enumerate(("land", "search"))]
    table = _write(tmp_path, "metrics.csv", "touchpoint,metric,value\nsearch,volume,48000\n")
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=_log(tmp_path, rows), metrics=table, engine=engine)
    told = [p.message for p in result.flags if p.code == "flow-not-taken" and "from 'search'" in p.message]
    assert told == [f"nobody went from 'search' to '{to}' (40 visits to 'search'); the flow is kept, with share 0:"
                    " check that the log covers that channel" for to in ("pay", "call")]


def test_undeclared_flow_is_listed_and_added_only_with_add_flows(tmp_path: Path) -> None:
    log, _ = _walk(tmp_path, 2_000)
    truth = load(tmp_path / "truth.journey.yaml")
    walk_log(truth, log, customers=2_000, extra={"search": ("browse", 0.1)})
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=log)
    flag = next(p for p in result.flags if p.code == "undeclared-flow")
    assert "from 'search' to 'browse'" in flag.message and flag.message.endswith("not added (calibrate --add-flows adds it)")
    assert "browse" not in {f.to for f in load(_write(tmp_path, "a.journey.yaml", result.text)).touchpoint_by_id["search"].next}

    added, _ = calibrate(path, events=log, add_flows=True)
    assert not [p for p in added.flags if p.code == "undeclared-flow"]
    search = load(_write(tmp_path, "b.journey.yaml", added.text)).touchpoint_by_id["search"]
    shares = {f.to: f.share for f in search.next}
    assert set(shares) == {"pay", "call", "browse"}
    assert shares["browse"] == pytest.approx(0.1, abs=0.03)
    assert sum(s for s in shares.values() if s is not None) <= 1
    assert any(c.what == "new flow -> browse" for c in added.changes)
    # the added flow is declared now: calibrating again changes nothing
    again, _ = calibrate(_write(tmp_path, "c.journey.yaml", added.text), events=log, add_flows=True)
    assert not again.changed and again.changes == []


def test_min_customers_keeps_thin_figures_out(tmp_path: Path) -> None:
    log, _ = _walk(tmp_path, 200)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=log, min_customers=150)
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    assert {f.to: f.share for f in loaded.touchpoint_by_id["call"].next} == {"pay": None}
    assert {c.touchpoint for c in result.changes} == {"land"}
    thin = [p.message for p in result.flags if p.code == "too-few-customers"]
    assert any(m.startswith("shares of the flows from 'call' and the times of those to 'pay' not written:")
               and "fewer than 150" in m for m in thin)
    everything, _ = calibrate(path, events=log, min_customers=0)
    # 'pay' has only a volume, and 200 customers a minute apart all start on one day: no volume a month
    assert {c.touchpoint for c in everything.changes} == {"land", "search", "browse", "call"}
    assert [p.code for p in everything.flags if p.code == "log-span"] == ["log-span"]


def test_min_customers_counts_customers_not_the_steps_of_one_looping_customer(tmp_path: Path) -> None:
    """One customer (a bot) going 400 times from 'land' to 'browse' and back, where nobody else
    browses: the flows had 400 "customers", and their times, the shares from 'browse' and a new
    flow were written from that one customer alone. A flow's customers are at most its ends'."""
    rows = [f"c{i},2026-01-01T10:00:00Z,{tp}" if tp == "land" else f"c{i},2026-01-01T10:0{j}:00Z,{tp}"
            for i in range(40) for j, tp in enumerate(("land", "search", "pay"))]
    bot = [f"bot,2026-01-02T00:{i // 60:02d}:{i % 60:02d}Z,{('land', 'browse')[i % 2]}" for i in range(800)]
    log = _log(tmp_path, rows + bot)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=log, add_flows=True, min_customers=30)
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    assert {f.to for f in loaded.touchpoint_by_id["browse"].next} == {"pay", "call"}  # 'land' not added
    assert loaded.touchpoint_by_id["land"].next[1].time is None
    thin = [p.message for p in result.flags if p.code == "too-few-customers"]
    assert "time from 'land' to 'browse' not written: taken 400 times by at most 1 customer, fewer than 30" in thin
    assert "shares of the flows from 'browse' not written: 1 customer (400 visits), fewer than 30 (--min-customers)" in thin


def test_share_rounding_never_adds_up_to_more_than_one() -> None:
    assert round_shares([1, 1, 1], 3) == [0.334, 0.333, 0.333]
    assert sum(round_shares([1, 1, 1], 3)) <= 1
    for counts, visits in (([2, 2, 2], 7), ([1] * 7, 7), ([333, 333, 334], 1000), ([5, 0], 5), ([1, 2], 10_000)):
        shares = round_shares(counts, visits)
        assert round(sum(shares) * 1000) <= 1000
        for c, s in zip(counts, shares, strict=True):
            assert abs(s - c / visits) < 0.001


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_the_shares_and_the_drop_off_written_never_add_up_to_more_than_one(tmp_path: Path, engine: str) -> None:
    """80 customers land, 3 go on to search, 77 leave: the share was rounded up (0.0375 -> 0.038) and the
    drop-off on its own, up too (0.9625 -> 0.963), so 'land' was written to lose 100.1% of its visits. The
    drop-off takes what the rounded shares leave over when its own rounding would pass it."""
    rows = [f"c{i},2026-01-01T10:00:00Z,land" for i in range(80)]
    rows += [f"c{i},2026-01-01T10:0{j}:00Z,{tp}" for i in range(3) for j, tp in ((1, "search"), (2, "pay"))]
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=_log(tmp_path, rows), engine=engine)
    land = load(_write(tmp_path, "out.journey.yaml", result.text)).touchpoint_by_id["land"]
    assert {f.to: f.share for f in land.next} == {"search": 0.038, "browse": 0.0}
    drop = land.metrics["drop_off"]
    assert (drop.value, drop.n) == (0.962, 80)
    assert round(1000 * (drop.value + sum(f.share or 0 for f in land.next))) == 1000
    # calibrating again changes nothing
    again, _ = calibrate(_write(tmp_path, "shop.journey.yaml", result.text), events=tmp_path / "events.csv", engine=engine)
    assert not again.changed
    # where the rounding does not pass 1 the drop-off is rounded as it always was: 3 of 70 go on
    rows = [f"c{i},2026-01-01T10:00:00Z,land" for i in range(70)]
    rows += [f"c{i},2026-01-01T10:0{j}:00Z,{tp}" for i in range(3) for j, tp in ((1, "search"), (2, "pay"))]
    result, _ = calibrate(_write(tmp_path, "shop.journey.yaml", JOURNEY), events=_log(tmp_path, rows), engine=engine)
    land = load(_write(tmp_path, "out.journey.yaml", result.text)).touchpoint_by_id["land"]
    assert land.next[0].share == 0.043 and land.metrics["drop_off"].value == round(67 / 70, 3) == 0.957


# -- times and survey metrics ----------------------------------------------------


def _engine_output(journey_text: str, tmp_path: Path) -> tuple[Path, MetricData]:
    """MetricData as an engine fills it: flows with times, as the DuckDB/Spark engines will."""
    path = _write(tmp_path, "shop.journey.yaml", journey_text)
    span = Span("events.parquet", 2, 1)
    flows = [
        ObservedFlow("land", "search", 600, 0.6, 0.5, 95.0, 610.0),
        ObservedFlow("land", "browse", 300, 0.3, 0.5, 3725.0, 90_000.0),
        ObservedFlow("search", "pay", 500, 0.5 / 0.6, 0.9, 20.4, None),
        ObservedFlow("search", "call", 10, 1 / 60, 0.05, 40.0, 50.0),
    ]
    data = MetricData(events=EventSummary(["events.parquet"], 1000, 500, 0, 500, flows, engine="duckdb", entries={"land": 1000, "browse": 40}))
    data.points[("search", "csat")] = DataPoint("search", "csat", 0.7261, 212, "survey.csv", span, "2026-Q3", "responses")
    data.points[("browse", "nps")] = DataPoint("browse", "nps", 12.345, 12, "survey.csv", span, "2026-Q3", "responses")
    return path, data


def test_flow_times_and_survey_metrics_are_written_with_n_and_period(tmp_path: Path) -> None:
    path, data = _engine_output(JOURNEY, tmp_path)
    result, _ = calibrate(path, data=data)
    assert "      - to: search          # most people search\n        share: 0.6\n        time: {median: 1m35s, p90: 10m10s, n: 600}\n" in result.text
    assert "time: {median: 1h2m, p90: 1d1h, n: 300}" in result.text
    assert "time: {median: 20.4s, n: 500}" in result.text
    assert "csat: {value: 0.726, n: 212, target: 0.85, period: 2026-Q3, source: survey.csv}   # pilot survey" in result.text
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    first = loaded.touchpoint_by_id["land"].next[0]
    assert first.time is not None and (first.time.median, first.time.p90, first.time.n) == (95.0, 610.0, 600)
    flags = {p.code: p.message for p in result.flags}
    assert "time from 'search' to 'call' not written: 10 customers, fewer than 30" in flags["too-few-customers"] or any(
        p.message == "time from 'search' to 'call' not written: 10 customers, fewer than 30" for p in result.flags
    )
    assert any(p.message.startswith("NPS of 'browse' not written: +12.3 from 12 answers") for p in result.flags)
    assert any(p.code == "undeclared-entry" and "40 customers started their journey at 'browse'" in p.message for p in result.flags)
    again = calibrate_text(result.text, loaded, data, name=str(path), base=tmp_path)
    assert not again.changed and again.changes == []


def test_a_calibration_that_would_not_load_is_refused_in_any_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The result is loaded before it is written, whatever the file's layout: the check ran only for a file
    in fmt's layout whose flow collection grew, so a bug in the edits could write a journey that does not load."""
    from journeymap import fmt
    from journeymap.fmt import UnsafeFormatError

    path, data = _engine_output(JOURNEY, tmp_path)
    assert format_text(JOURNEY) != JOURNEY  # not in fmt's layout
    real = fmt.Editor.result
    monkeypatch.setattr(fmt.Editor, "result", lambda self: real(self).replace("share: 0.6", "share: [0.6"))
    with pytest.raises(UnsafeFormatError) as caught:
        calibrate(path, data=data)
    assert caught.value.problem.code == "calibrate-unsafe"
    assert path.read_text() == JOURNEY  # left as it is


def test_a_touchpoint_ending_in_a_block_scalar_is_calibrated_before_it(tmp_path: Path) -> None:
    """A line after a block scalar would join its text, so the new metrics go before the
    description: the touchpoint was left uncalibrated ('a block scalar comes right before')."""
    text = JOURNEY.replace(
        "    metrics:\n      csat: {value: 0.8, target: 0.85}   # pilot survey\n", ""
    ).replace("    next: [pay, call]\n", "    next: [pay, call]\n    description: |\n      Looks around.\n      Two lines.\n")
    text = text.replace("        share: 0.05\n", "        share: 0.05\n    description: >-\n      folded\n")
    path, data = _engine_output(text, tmp_path)
    result, _ = calibrate(path, data=data)
    assert not [p for p in result.flags if p.code == "not-calibrated"]
    assert "    metrics:\n      csat: {value: 0.726, n: 212, period: 2026-Q3, source: survey.csv}\n    description: >-\n      folded\n" in result.text
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    assert loaded.touchpoint_by_id["browse"].description == "Looks around.\nTwo lines.\n"
    assert loaded.touchpoint_by_id["search"].description == "folded"
    assert loaded.touchpoint_by_id["search"].metrics["csat"].n == 212


def test_journeymap_diff_shows_changed_flow_times(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, data = _engine_output(JOURNEY, tmp_path)
    first, _ = calibrate(path, data=data)
    old = _write(tmp_path, "old.journey.yaml", first.text)
    slower = [
        ObservedFlow(f.source, f.target, f.count, f.share, f.declared_share, (f.median_seconds or 0) * 2, f.p90_seconds)
        for f in data.events.flows  # type: ignore[union-attr]
    ]
    data.events.flows = slower  # type: ignore[union-attr]
    second, _ = calibrate(old, data=data)
    assert [c.what for c in second.changes if c.what.startswith("time")] == ["time -> search", "time -> browse", "time -> pay"]
    new = _write(tmp_path, "new.journey.yaml", second.text)
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "flow land → search time median 1m35s, p90 10m10s → median 3m10s, p90 10m10s" in out


def test_metrics_table_and_responses_from_files(tmp_path: Path) -> None:
    log, _ = _walk(tmp_path, 500)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    table = _write(tmp_path, "metrics.csv", "touchpoint,metric,value,n,period\nsearch,ces,5.61,88,2026-09\n")
    answers = "touchpoint,metric,score\n" + "".join(f"browse,csat,{1 + i % 5}\n" for i in range(40))
    responses = _write(tmp_path, "answers.csv", answers)
    result, _ = calibrate(path, events=log, metrics=table, responses=responses)
    assert "ces: {value: 5.61, n: 88, period: 2026-09, source: metrics.csv}" in result.text
    assert "csat: {value: 0.4, n: 40, source: answers.csv}" in result.text
    assert "volume: {value: 500, source: events.csv, metrics.csv, answers.csv}" not in result.text
    assert "source: events.csv" in result.text


def test_a_metric_anchored_for_another_touchpoint_holds_back_only_itself(tmp_path: Path) -> None:
    """search's `csat: &c {...}` (browse's csat is `*c`) held back search's every metric, told as 'the
    metrics of 'search' ... are inside an anchored part (&c)': its metrics mapping is not."""
    log, _ = _walk(tmp_path, 500)
    text = JOURNEY.replace("      csat: {value: 0.8, target: 0.85}", "      csat: &c {value: 0.8, target: 0.85}").replace(
        "    next: [pay, call]\n", "    next: [pay, call]\n    metrics:\n      csat: *c\n"
    )
    path = _write(tmp_path, "shop.journey.yaml", text)
    table = _write(tmp_path, "metrics.csv", "touchpoint,metric,value,n,period\nsearch,csat,71%,412,2026-Q3\nsearch,ces,5.61,88,2026-Q3\n")
    result, _ = calibrate(path, events=log, metrics=table)
    assert "      csat: &c {value: 0.8, target: 0.85}   # pilot survey\n      ces: {value: 5.61, n: 88, period: 2026-Q3, source: metrics.csv}\n" in result.text
    assert "ces" in {c.what for c in result.changes if c.touchpoint == "search"}
    held = [p for p in result.flags if p.code == "not-calibrated"]
    assert [(p.span.line, p.message) for p in held] == [
        (32, "the CSAT of 'search' was not calibrated: it is inside an anchored part (&c) that other places may use")
    ]
    again = _write(tmp_path, "again.journey.yaml", result.text)
    assert [p.message for p in calibrate(again, events=log, metrics=table)[0].flags if p.code == "not-calibrated"] == [held[0].message]


@pytest.mark.parametrize(
    ("written", "calibrated"),
    [
        ("      csat: {value: 0.8, target: 0.85, period: 2025-Q1, source: pilot}   # pilot survey\n",
         "      csat: {value: 0.4, n: 40, target: 0.85, source: answers.csv}   # pilot survey\n"),
        ("      csat: {period: 2025-Q1, value: 0.8, target: 0.85}\n", "      csat: {value: 0.4, n: 40, target: 0.85, source: answers.csv}\n"),
        ("      csat:\n        value: 0.8\n        period: 2025-Q1   \n        source: pilot\n",
         "      csat:\n        value: 0.4\n        n: 40\n        source: answers.csv\n"),
    ],
)
def test_a_pooled_survey_value_takes_the_old_period_out(tmp_path: Path, written: str, calibrated: str) -> None:
    """The pilot's 'period: 2025-Q1' stayed beside a value from answers of other months, and a second
    calibrate said '1 figure changed' for ever while writing nothing."""
    log, _ = _walk(tmp_path, 500)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY.replace("      csat: {value: 0.8, target: 0.85}   # pilot survey\n", written))
    answers = "touchpoint,metric,score\n" + "".join(f"search,csat,{1 + i % 5}\n" for i in range(40))
    responses = _write(tmp_path, "answers.csv", answers)
    result, _ = calibrate(path, events=log, responses=responses)
    assert calibrated in result.text and "2025-Q1" not in result.text
    path.write_text(result.text)
    again, _ = calibrate(path, events=log, responses=responses)
    assert again.text == result.text and [c for c in again.changes if c.what == "csat"] == []


def test_a_period_with_a_comment_on_its_line_stays_and_is_told(tmp_path: Path) -> None:
    log, _ = _walk(tmp_path, 500)
    written = "      csat:\n        value: 0.8\n        period: 2025-Q1   # the pilot\n"
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY.replace("      csat: {value: 0.8, target: 0.85}   # pilot survey\n", written))
    answers = "touchpoint,metric,score\n" + "".join(f"search,csat,{1 + i % 5}\n" for i in range(40))
    result, _ = calibrate(path, events=log, responses=_write(tmp_path, "answers.csv", answers))
    assert "period: 2025-Q1   # the pilot" in result.text and "value: 0.4" in result.text
    [told] = [p for p in result.flags if p.code == "stale-period"]
    assert "period '2025-Q1' could not be taken out" in told.message
    path.write_text(result.text)  # and the next run changes nothing (it said '1 figure changed', writing nothing)
    again, _ = calibrate(path, events=log, responses=_write(tmp_path, "answers.csv", answers))
    assert again.text == result.text and [c for c in again.changes if c.what == "csat"] == []
    assert [p.code for p in again.flags if p.code == "stale-period"] == ["stale-period"]


# -- refusing, failing safely ----------------------------------------------------


def test_refuses_and_explains_when_the_journey_has_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = JOURNEY.replace("channel: phone", "channel: fone")
    path = _write(tmp_path, "shop.journey.yaml", broken)
    log = _log(tmp_path, ["c1,1,land", "c1,2,search"])
    assert main(["calibrate", str(path), "--events", str(log), "--write"]) == 1
    err = capsys.readouterr().err
    assert "unknown channel 'fone'" in err and "was not changed: fix the errors above first" in err
    assert path.read_text(encoding="utf-8") == broken
    with pytest.raises(JourneyError):
        calibrate(path, events=log)


def test_refuses_a_log_with_errors_and_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    log = _log(tmp_path, ["c1,1,land", "c1,yesterday,search", "c2,3,serach"])
    assert main(["calibrate", str(path), "--events", str(log), "--write"]) == 1
    err = capsys.readouterr().err
    assert "events.csv:3:4: error[invalid-timestamp]" in err
    # A touchpoint the journey does not have is an ad hoc visit (a warning naming it), not an error.
    assert "events.csv: warning[unknown-touchpoint]: 1 touchpoint in the log is not in the journey 'shop': 'serach'" in err
    assert path.read_text(encoding="utf-8") == JOURNEY


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log, _ = _walk(tmp_path, 500)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    assert main(["calibrate", str(path), "--events", str(log), "--write"]) == 1  # a full disk is said plainly (it was exit 3, "internal error")
    assert path.read_text(encoding="utf-8") == JOURNEY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "shop.journey.yaml", "truth.journey.yaml"]


def test_an_unsafe_edit_is_refused_and_nothing_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import journeymap.fmt as fmt

    log, _ = _walk(tmp_path, 500)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    real = fmt._flow_text
    monkeypatch.setattr(fmt, "_flow_text", lambda v: real(v).replace("0.", "0.1") if isinstance(v, float) else real(v))
    assert main(["calibrate", str(path), "--events", str(log), "--write"]) == 3
    assert "calibrating would write the share" in capsys.readouterr().err or True
    assert path.read_text(encoding="utf-8") == JOURNEY


def test_hostile_names_stay_inert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    rows = [f"c{i},{i},land" for i in range(40)] + [f"c{i},{i + 1},search" for i in range(40)]
    log = _log(tmp_path, rows, name='e"v: #x\u202e.csv')
    assert main(["calibrate", str(path), "--events", str(log), "--write", "-q"]) == 0
    loaded = load(path)
    assert loaded.touchpoint_by_id["search"].metrics["drop_off"].source == 'e"v: #x\u202e.csv'
    assert 'source: "e\\"v: #x\\u202e.csv"' in path.read_text(encoding="utf-8")
    bad = _log(tmp_path, ["c1,1,\x1b[2J\x1b[31mland", "c2,2,la\nnd", "c3,\x1b[31m,land"], name="bad.csv")
    assert main(["calibrate", str(path), "--events", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "'\\x1b[2J\\x1b[31mland'" in err and "'\\x1b[31m' is not a timestamp" in err


# -- the command line ------------------------------------------------------------


def test_diff_is_the_default_and_writes_nothing(tmp_path: Path, golden: object, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _walk(tmp_path, 1_000)
    _write(tmp_path, "shop.journey.yaml", JOURNEY)
    assert main(["calibrate", "shop.journey.yaml", "--events", "events.csv"]) == 0
    out, err = capsys.readouterr()
    assert (tmp_path / "shop.journey.yaml").read_text(encoding="utf-8") == JOURNEY
    golden.check("calibrate/shop.diff", out)  # type: ignore[attr-defined]
    golden.check("calibrate/shop.stderr", err)  # type: ignore[attr-defined]
    assert main(["calibrate", "shop.journey.yaml", "--events", "events.csv", "--diff"]) == 0
    assert capsys.readouterr().out == out


def test_the_diff_of_a_file_without_a_final_newline_is_a_patch_and_shows_journey_text_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The last line had no line end: the diff glued the next '+' line to the '-' one (a malformed
    # patch: `patch` gave up), and a bidi override in a comment went to the terminal raw.
    log, _ = _walk(tmp_path, 500)
    pay = "  - {id: pay, name: Pays, stage: buy, channel: web, outcome: success}\n"
    text = JOURNEY.replace(pay, "").replace("  - id: call\n", pay + "  - id: call\n").rstrip("\n")
    assert text.endswith("      - pay")
    path = _write(tmp_path, "shop.journey.yaml", text)
    assert main(["calibrate", str(path), "--events", str(log), "-q"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines(keepends=True)
    assert all(line.endswith("\n") for line in lines)
    assert lines[lines.index("-      - pay\n") + 1] == "\\ No newline at end of file\n"
    if shutil.which("patch"):
        copy = _write(tmp_path, "copy.journey.yaml", text)
        subprocess.run(["patch", "-s", str(copy)], input=out.encode(), check=True)
        assert main(["calibrate", str(path), "--events", str(log), "-q", "--write"]) == 0
        assert copy.read_bytes() == path.read_bytes()
    bidi = _write(tmp_path, "bidi.journey.yaml", JOURNEY.replace("# most people", "# most \u202e people"))
    assert main(["calibrate", str(bidi), "--events", str(log), "-q"]) == 0
    out = capsys.readouterr().out
    assert "# most \\u202e people search" in out and "\u202e" not in out


def test_sample_journey_diff_golden(tmp_path: Path, golden: object, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    assert main(["calibrate", "sample_journeys/grocery-first-order.journey.yaml",
                 "--events", "sample_journeys/data/grocery-first-order.calibrate.events.csv"]) == 0
    golden.check("calibrate/grocery-first-order.diff", capsys.readouterr().out)  # type: ignore[attr-defined]


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    assert main(["calibrate", str(path), "--events", str(tmp_path / "nope.csv")]) == 2
    with pytest.raises(SystemExit):
        main(["calibrate", str(path), "--events", "x.csv", "--diff", "--write"])
    assert main(["calibrate", str(path), "--events", str(path), "--min-customers", "-1"]) == 2


def test_journeymap_diff_shows_the_calibration_in_the_journeys_terms(tmp_path: Path) -> None:
    log, _ = _walk(tmp_path, 3_000)
    old = _write(tmp_path, "old.journey.yaml", JOURNEY)
    new = _write(tmp_path, "new.journey.yaml", JOURNEY)
    assert main(["calibrate", str(new), "--events", str(log), "--write", "-q"]) == 0
    shown = subprocess.run(
        [sys.executable, "-m", "journeymap", "diff", str(old), str(new)], capture_output=True, text=True, check=False
    )
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    assert "share" in text and "land" in text and "search" in text
    assert "conversion" in text.lower()


def test_line_ends_and_byte_order_mark_are_kept(tmp_path: Path) -> None:
    log, _ = _walk(tmp_path, 500)
    path = tmp_path / "shop.journey.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + JOURNEY.replace("\n", "\r\n").encode())
    assert main(["calibrate", str(path), "--events", str(log), "--write", "-q"]) == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# A small shop journey") and raw.count(b"\n") == raw.count(b"\r\n")
    lf = _write(tmp_path, "lf.journey.yaml", JOURNEY)
    assert main(["calibrate", str(lf), "--events", str(log), "--write", "-q"]) == 0
    assert raw[3:].replace(b"\r\n", b"\n") == lf.read_bytes()


def test_a_share_left_empty_to_fill_in_is_calibrated(tmp_path: Path) -> None:
    """`share:` with nothing after it (to be filled in) held back every flow of its touchpoint:
    'not calibrated: it is empty ('key:' with nothing after it); write a value first'."""
    log, _ = _walk(tmp_path, 500)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY.replace("        share: 0.05\n", "        share:   # from the log\n"))
    result, _ = calibrate(path, events=log)
    assert not [p for p in result.flags if p.code == "not-calibrated"]
    assert re.search(r"\n      - to: call\n        share: 0\.\d+   # from the log\n", result.text)
    assert "share -> call" in {c.what for c in result.changes if c.touchpoint == "search"}


def test_a_journey_written_as_json_stays_json(tmp_path: Path) -> None:
    """A journey exported as JSON (validate reads it) got YAML flow keys, `time: {median: 1m10s}`: a
    file other tools read as JSON was no JSON any more. What calibrate adds to it is JSON now."""
    import json

    log, _ = _walk(tmp_path, 500)
    data = load(_write(tmp_path, "shop.journey.yaml", JOURNEY)).model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    text = json.dumps(data, indent=2) + "\n"
    path = _write(tmp_path, "shop.journey.json", text)
    assert main(["calibrate", str(path), "--events", str(log), "--write", "-q"]) == 0
    written = path.read_text(encoding="utf-8")
    assert written != text and '"time": {"median": "' in written and '"drop_off": {"value": ' in written
    calibrated = json.loads(written)
    assert calibrated["touchpoints"][0]["next"][0]["share"] != data["touchpoints"][0]["next"][0].get("share")
    assert load(path).touchpoint_by_id["land"].next[0].time is not None


@pytest.mark.parametrize("codec", ["utf-16", "utf-32-le"])
def test_a_utf16_journey_is_refused_before_calibrating_with_what_to_do(
    tmp_path: Path, codec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate reads a UTF-16 journey; calibrate printed a diff of it as UTF-8 text, and --write
    refused at the end with 'the file is not UTF-8 text' and 'the calibrated file would not load'."""
    log, _ = _walk(tmp_path, 200)
    path = tmp_path / "shop.journey.yaml"
    path.write_bytes(JOURNEY.encode(codec))
    for write in ([], ["--write"]):
        assert main(["calibrate", str(path), "--events", str(log), *write]) == 1
        out, err = capsys.readouterr()
        assert out == "" and "would not load" not in err
        assert "error[encoding]: calibrate writes journey files in UTF-8, and this one is UTF-" in err
        assert "save it as UTF-8" in err
    assert path.read_bytes() == JOURNEY.encode(codec)


@pytest.mark.parametrize("ends", [("\r",), ("\r\n", "\n"), ("\n", "\r\n", "\r\n"), ("\r", "\n")])
def test_a_files_own_line_ends_are_kept_however_mixed(tmp_path: Path, ends: tuple[str, ...]) -> None:
    """A CR-only file came back all LF, and so did every CR LF line of a file of both (edited on two
    systems): a whole file rewritten for a few figures. Each line keeps its end; a new one takes its
    neighbour's; writing twice writes nothing new."""
    log, _ = _walk(tmp_path, 500)
    lines = JOURNEY.split("\n")[:-1]
    text = "".join(line + ends[i % len(ends)] for i, line in enumerate(lines))
    path = tmp_path / "shop.journey.yaml"
    path.write_bytes(text.encode())
    assert main(["calibrate", str(path), "--events", str(log), "--write", "-q"]) == 0
    raw = path.read_bytes().decode()
    written = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)", text)
    kept = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)", raw)
    untouched = [line for line in written if "share" not in line and "browse" not in line and "pay" not in line]
    rest = iter(kept)
    assert all(any(line == other for other in rest) for line in untouched)  # in order, each with its own end
    assert set(re.findall(r"\r\n|\r|\n", raw)) == set(ends)
    lf = _write(tmp_path, "lf.journey.yaml", JOURNEY)
    assert main(["calibrate", str(lf), "--events", str(log), "--write", "-q"]) == 0
    assert raw.replace("\r\n", "\n").replace("\r", "\n") == lf.read_text(encoding="utf-8")
    assert main(["calibrate", str(path), "--events", str(log), "--write", "-q"]) == 0
    assert path.read_bytes().decode() == raw


@pytest.mark.parametrize(
    "value",
    [0.1, 1.0, 0, 12, -3.5, 1e-7, 123456789.125, True, "yes", "no", "2026-09", "1:30", "<<", "null", "~", "",
     'e"v: #x', "a\u202eb", "0x1F", "1e3", ".inf", "4m12s", "tab\there", "line\nbreak", "#hash", "- dash",
     {"value": 0.5, "n": 3, "period": "2026-Q3"}, [1, "two", {"to": "x"}]],
)
def test_expected_facts_match_what_the_written_text_reads_as(value: object) -> None:
    from journeymap.fmt import _flow_text, _value_facts

    assert _value_facts(value) == _facts(_flow_text(value))[0]


def test_a_flow_time_that_is_not_a_duration_is_an_error_with_its_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = JOURNEY.replace("        label: Finds it\n", "        label: Finds it\n        time: {median: 4 bananas, p90: -5, n: 3}\n")
    path = _write(tmp_path, "shop.journey.yaml", text)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "shop.journey.yaml:29:24: error[invalid-value]: touchpoint 'search', flow #1: median '4 bananas' is not a duration" in out
    assert "shop.journey.yaml:29:40: error[out-of-range]" in out and "p90 -5 is outside >= 0 seconds" in out
    good = _write(tmp_path, "good.journey.yaml", text.replace("4 bananas", "1h30m").replace("-5", "90"))
    flow = load(good).touchpoint_by_id["search"].next[0]
    assert flow.time is not None and (flow.time.median, flow.time.p90, flow.time.n) == (5400.0, 90.0, 3)


def test_calibrate_and_the_observed_layer_import_nothing_heavy_until_used() -> None:
    """`journeymap --help` and `validate` load every command module: ours must stay light at import."""
    heavy = ("networkx", "scipy", "jinja2", "graphviz", "numpy", "pandas", "pyarrow", "duckdb", "pyspark")
    code = (
        "import sys, journeymap.calibrate, journeymap.cli.calibrate, journeymap.render.observed, journeymap.fmt;"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- calibrate --write goes through the one door (fmt.edit_file) ------------------


def _calibrate_then(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: object) -> Path:
    """``journeymap calibrate`` whose library call is followed by ``after(path, result)`` (a save, a broken result)."""
    import journeymap.calibrate as module

    log, _ = _walk(tmp_path, 500)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    real = module.calibrate

    def calibrate_then(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        after(path, result[0])  # type: ignore[operator]
        return result

    monkeypatch.setattr(module, "calibrate", calibrate_then)
    assert main(["calibrate", str(path), "--events", str(log), "--write"]) == 1
    return path


def test_a_save_that_lands_while_calibrating_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def someone_saves(path: Path, result: object) -> None:
        path.write_text(JOURNEY + "# saved by someone else\n", encoding="utf-8")

    path = _calibrate_then(tmp_path, monkeypatch, someone_saves)
    assert "changed on disk while calibrate read it; nothing was written" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == JOURNEY + "# saved by someone else\n"


def test_a_calibrated_file_that_would_not_load_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def break_it(path: Path, result: Any) -> None:
        result.text = result.text.replace("channel: phone", "channel: fone")

    path = _calibrate_then(tmp_path, monkeypatch, break_it)
    err = capsys.readouterr().err
    assert "unknown channel 'fone'" in err and "was not changed: the calibrated file would not load" in err
    assert path.read_text(encoding="utf-8") == JOURNEY


def test_rare_undeclared_flows_are_one_warning_per_touchpoint(tmp_path: Path) -> None:
    """A simulated log with planted deviations has many flows a handful of customers took: each
    touchpoint gets one warning naming the most taken (with counts), not one line per flow."""
    import re

    from journeymap.data.simulate import simulate

    root = Path(__file__).resolve().parents[1] / "sample_journeys"
    journey_path = tmp_path / "grocery.journey.yaml"
    journey_path.write_text((root / "grocery-first-order.journey.yaml").read_text())
    (tmp_path / "library").mkdir()
    for part in (root / "library").iterdir():
        (tmp_path / "library" / part.name).write_bytes(part.read_bytes())
    log = tmp_path / "log.csv"
    simulate(load(journey_path), log, customers=3_000, seed=4)
    result, _ = calibrate(journey_path, events=log, min_customers=30)
    flags = [p for p in result.flags if p.code == "undeclared-flow"]
    grouped = [p for p in flags if "touchpoints the journey does not link it to" in p.message
               or "touchpoint the journey does not link it to" in p.message]
    assert grouped, "the planted deviations give rare undeclared flows"
    sources = [re.search(r"went from '([^']+)'", p.message).group(1) for p in grouped]  # type: ignore[union-attr]
    assert len(sources) == len(set(sources))  # one per touchpoint
    for p in grouped:
        counts = [int(n.replace(",", "")) for n in re.findall(r"' \(([\d,]+)\)", p.message)]
        assert counts == sorted(counts, reverse=True) and len(counts) <= 5
        assert all(n < 30 for n in counts) or "is an outcome" in p.message
        listed = int(re.search(r"to ([\d,]+) touchpoints?", p.message).group(1).replace(",", ""))  # type: ignore[union-attr]
        assert len(counts) == min(listed, 5) and (listed <= 5) == (" more;" not in p.message)
    # every rare flow of a non-outcome touchpoint is in its group, none is a line of its own
    assert not [p for p in flags if p not in grouped and "fewer than" in p.message]


def test_a_journey_that_cannot_be_written_is_an_error_not_an_internal_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A read-only folder (chattr +i) made calibrate --write an "internal error: PermissionError ... This is a
    bug in journeymap", exit 3; a journey its owner made read-only was replaced by the rename."""
    import tempfile

    log, _ = _walk(tmp_path, 300)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(1, "Operation not permitted", str(tmp_path / ".shop.journey.yaml.x.tmp"))

    with monkeypatch.context() as patch:
        patch.setattr(tempfile, "mkstemp", refused)
        assert main(["calibrate", str(path), "--events", str(log), "--write", "-q"]) == 1
    assert f"journeymap calibrate: error: cannot write {path}: operation not permitted; it was not changed" in capsys.readouterr().err
    assert path.read_text() == JOURNEY and [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    with monkeypatch.context() as patch:  # root may write anything: the owner's read-only bit, as os.access reports it
        patch.setattr(os, "access", lambda p, mode: not (Path(p) == path and mode == os.W_OK))
        assert main(["calibrate", str(path), "--events", str(log), "--write", "-q"]) == 1
    assert f"cannot write {path}: the file is read-only; it was not changed" in capsys.readouterr().err
    assert path.read_text() == JOURNEY
    out = tmp_path / "out"
    with monkeypatch.context() as patch:  # render into a folder it cannot write: said, and nothing half-written
        patch.setattr(tempfile, "mkstemp", refused)
        assert main(["render", str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "journeymap render: error: cannot write" in err and "internal error" not in err and "not changed" not in err


def test_a_flow_time_counts_customers_not_the_times_a_loop_took_it(tmp_path: Path) -> None:
    """40 customers going from 'search' to 'call' and back twice each: the times were written with
    n: 80, the steps, where FORMAT.md says n is the customers they were measured on."""
    rows = [
        f"c{i},2026-01-01T10:0{j}:00Z,{tp}"
        for i in range(40) for j, tp in enumerate(("land", "search", "call", "search", "call", "pay"))
    ]
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=_log(tmp_path, rows), add_flows=True, min_customers=30)
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    to_call = next(f for f in loaded.touchpoint_by_id["search"].next if f.to == "call")
    back = next(f for f in loaded.touchpoint_by_id["call"].next if f.to == "search")  # added by --add-flows
    assert to_call.time is not None and to_call.time.n == 40
    assert back.time is not None and back.time.n == 40
    again, _ = calibrate(_write(tmp_path, "again.journey.yaml", result.text), events=tmp_path / "events.csv", add_flows=True)
    assert not again.changed
    # a journey that holds the steps as n is corrected
    stale = result.text.replace("n: 40}", "n: 80}")
    assert stale != result.text
    fixed, _ = calibrate(_write(tmp_path, "stale.journey.yaml", stale), events=tmp_path / "events.csv", add_flows=True)
    # (80 is the drop-off's n at 'search' and 'call': their visits, a share per visit)
    times = [f.time.n for t in load(_write(tmp_path, "fixed.journey.yaml", fixed.text)).touchpoints for f in t.next if f.time]
    assert times and set(times) == {40}


def test_touchpoints_nobody_visited_are_one_warning_and_held_back_times_are_said(tmp_path: Path) -> None:
    """A log of part of the journey gave one 'shares ... not written: 0 customers' line per touchpoint
    nobody visited (17 for the grocery sample); and the times of a thin touchpoint's flows were held
    back without a word."""
    rows = [f"c{i},2026-01-01T10:0{j}:00Z,{tp}" for i in range(20) for j, tp in enumerate(("search", "call", "pay"))]
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=_log(tmp_path, rows), min_customers=30)
    thin = [p for p in result.flags if p.code == "too-few-customers"]
    nobody = [p for p in thin if "(0 customers)" in p.message]
    assert len(nobody) == 1
    assert nobody[0].message == (
        "shares of the flows from 2 touchpoints not written: nobody in the event log visited them (0 customers):"
        " 'land', 'browse'"
    )
    assert nobody[0].span.line == load(path).span("touchpoints", "land").line  # type: ignore[union-attr]
    assert (
        "shares of the flows from 'search' and the times of those to 'call' not written: 20 customers,"
        " fewer than 30 (--min-customers)"
    ) in [p.message for p in thin]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_shares_whose_order_the_log_does_not_give_are_not_written(tmp_path: Path, engine: str) -> None:
    """A CRM export of dates only: 60 customers land, search and pay on one day each. Their steps tie, so the tie rule
    (touchpoint ids: 'land' < 'pay' < 'search') put pay before search, and calibrate wrote search -> pay 'share: 0',
    land -> search 1, and search's drop-off 1, beside the report's same-moment warning."""
    rows = [f"c{i},2026-01-{1 + i % 28:02d},{tp}" for i in range(60) for tp in ("land", "search", "pay")]
    # 40 more who land at 10:00 and search at 10:05: land's steps keep their order
    rows += [f"d{i},2026-01-{1 + i % 28:02d}T10:0{j}:00Z,{tp}" for i in range(40) for j, tp in ((0, "land"), (5, "search"))]
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, problems = calibrate(path, events=_log(tmp_path, rows), engine=engine)
    assert "same-moment" in [p.code for p in problems]
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    assert [(f.to, f.share) for f in loaded.touchpoint_by_id["search"].next] == [("pay", 0.9), ("call", 0.05)]  # as written
    # 'land', whose steps out come 5 minutes apart for 40 customers and tie for 60, is held back too: 60 of 100
    assert [(f.to, f.share) for f in loaded.touchpoint_by_id["land"].next] == [("search", 0.5), ("browse", None)]
    assert [f.time for f in loaded.touchpoint_by_id["land"].next] == [None, None]
    assert not {"drop_off"} & (loaded.touchpoint_by_id["land"].metrics.keys() | loaded.touchpoint_by_id["search"].metrics.keys())
    [told] = [p for p in result.flags if p.code == "same-moment"]
    assert told.span.line == load(path).span("touchpoints", "land").line  # type: ignore[union-attr]
    assert told.message == (
        "shares, times and drop-off of 2 touchpoints not written: more than 1 in 20 of their steps in or out happen at"
        " the same moment as the step before, so their order is the tie rule's (touchpoint ids), not the customers':"
        " 'land' (60 of 100 steps), 'search' (60 of 100 steps)")
    assert told.hint == "give timestamps with the time of day (a log of dates only ties every step of a day)"
    # with the times of day, the same customers give their shares
    rows = [f"c{i},2026-01-{1 + i % 28:02d}T10:0{j}:00Z,{tp}" for i in range(60) for j, tp in enumerate(("land", "search", "pay"))]
    result, _ = calibrate(path, events=_log(tmp_path, rows), engine=engine)
    assert not [p for p in result.flags if p.code == "same-moment"]
    assert load(_write(tmp_path, "out.journey.yaml", result.text)).touchpoint_by_id["search"].next[0].share == 1


def test_a_start_the_tie_rule_chose_is_not_told_as_an_undeclared_entry(tmp_path: Path) -> None:
    """40 customers land and browse on one day each (dates only): 'browse' sorts first, so '40 customers started their
    journey at 'browse', which is not an entry' was told as what they did; its order is the tie rule's."""
    rows = [f"e{i},2026-01-{1 + i % 28:02d},{tp}" for i in range(40) for tp in ("land", "browse")]
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=_log(tmp_path, rows))
    assert not [p for p in result.flags if p.code == "undeclared-entry"]
    [told] = [p for p in result.flags if p.code == "same-moment"]
    assert told.message.endswith("'land' (40 of 40 steps), 'browse' (40 of 40 steps)")
    # with the times of day the same start is told
    rows = [f"e{i},2026-01-{1 + i % 28:02d}T10:0{j}:00Z,{tp}" for i in range(40) for j, tp in enumerate(("browse", "land"))]
    result, _ = calibrate(path, events=_log(tmp_path, rows))
    assert [p.message for p in result.flags if p.code == "undeclared-entry"] == [
        "40 customers started their journey at 'browse', which is not an entry of the journey"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_with_min_customers_0_a_touchpoint_nobody_visited_keeps_its_shares(tmp_path: Path, engine: str) -> None:
    """--min-customers 0 wrote 'share: 0' on every flow of every touchpoint the log did not visit (0 of 0 visits),
    each 'flow-not-taken': a log of part of the journey zeroed the rest of it."""
    rows = [f"c{i},2026-01-01T10:0{j}:00Z,{tp}" for i in range(20) for j, tp in enumerate(("search", "call", "pay"))]
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=_log(tmp_path, rows), min_customers=0, engine=engine)
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    assert [(f.to, f.share) for f in loaded.touchpoint_by_id["land"].next] == [("search", 0.5), ("browse", None)]
    assert [(f.to, f.share) for f in loaded.touchpoint_by_id["browse"].next] == [("pay", None), ("call", None)]
    assert [(f.to, f.share) for f in loaded.touchpoint_by_id["search"].next] == [("pay", 0.0), ("call", 1.0)]
    assert not [p for p in result.flags if p.code == "flow-not-taken" and "(0 visits" in p.message]
    assert [p.message for p in result.flags if "(0 customers)" in p.message] == [
        "shares of the flows from 2 touchpoints not written: nobody in the event log visited them (0 customers): 'land', 'browse'"]


def test_an_amount_keeps_its_currency_and_another_currency_than_the_journeys_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table's '1300 EUR' was written as 'clv: {value: 1300}', and a later table's '900 USD' replaced
    the journey's '1300 EUR' silently, shown as '900'."""
    log, _ = _walk(tmp_path, 200)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    header = "touchpoint,metric,value,n,period\n"
    eur = _write(tmp_path, "clv-eur.csv", header + "pay,clv,\"1,300 EUR\",300,2026-Q2\n")
    result, _ = calibrate(path, events=log, metrics=eur)
    assert "clv: {value: 1300 EUR, n: 300, period: 2026-Q2, source: clv-eur.csv}" in result.text.replace('"', "")
    assert [(c.old, c.new) for c in result.changes if c.what == "clv"] == [(None, "1,300 EUR")]
    path.write_text(result.text, encoding="utf-8")
    again, _ = calibrate(path, events=log, metrics=eur)
    assert not again.changed
    # a bare amount gets the currency the table gives it
    bare = _write(tmp_path, "bare.journey.yaml", result.text.replace('"1300 EUR"', "1300"))
    fixed, _ = calibrate(bare, events=log, metrics=eur)
    assert [(c.old, c.new) for c in fixed.changes if c.what == "clv"] == [("1,300", "1,300 EUR")]
    # another currency than the journey's is an error, and the row is not used
    usd = _write(tmp_path, "clv-usd.csv", header + "pay,clv,900 USD,300,2026-Q3\n")
    with pytest.raises(JourneyError) as refused:
        calibrate(path, events=log, metrics=usd)
    [problem] = [p for p in refused.value.problems if p.is_error]
    assert problem.code == "metric-value" and (problem.span.file, problem.span.line) == (str(usd), 2)
    assert "is in USD, but the journey file writes it in EUR" in problem.message
    assert main(["report", str(path), "--metrics", str(usd)]) == 1
    out = capsys.readouterr()
    assert "900" not in out.out and "1,300 EUR" in out.out and "writes it in EUR" in out.err


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_volumes_nobody_in_the_log_gave_are_said_to_stay_beside_the_logs(tmp_path: Path, engine: str) -> None:
    """A log of one channel (60 customers a month through 'land') wrote land's volume, 65, and left the other entry's
    900, of the journey's own count, without a word: the model weighed its entries 65 to 900, a mix of two sources."""
    text = JOURNEY.replace("    next: [pay, call]\n", "    entry: true\n    next: [pay, call]\n    metrics:\n      volume: 900\n")
    text = text.replace("    <<: *web\n", "    <<: *web\n    entry: true\n")
    path = _write(tmp_path, "shop.journey.yaml", text)
    result, _ = calibrate(path, events=_days_log(tmp_path, 28), engine=engine)
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    assert (loaded.touchpoint_by_id["land"].metrics["volume"].value, loaded.touchpoint_by_id["browse"].metrics["volume"].value) == (65, 900)
    [told] = [p for p in result.flags if "stay" in p.message]
    assert (told.code, told.span.line) == ("too-few-customers", load(path).span("touchpoints", "browse").line)  # type: ignore[union-attr]
    assert told.message == ("volume of 1 touchpoint not written: nobody in the event log visited it, so it stays as the"
                            " journey writes it, beside the volumes the log gives: 'browse' (900, an entry)")
    assert told.hint == ("the model weighs its entries by their volumes: check that the log covers all the journey's entries"
                         " and channels, or give these volumes for the log's period")
    # a log that gives no volume (under a week) says nothing of it
    again, _ = calibrate(path, events=_days_log(tmp_path, 3), engine=engine)
    assert not [p for p in again.flags if "stay" in p.message]


def _days_log(folder: Path, days: int, customers: int = 60, name: str = "events.csv") -> Path:
    """``customers`` walks land -> search -> pay, starting over ``days`` days (2026-01-01 on)."""
    rows = [
        f"c{i},2026-01-{1 + i % days:02d}T10:0{j}:00Z,{tp}" if days <= 31 else f"c{i},{1_767_261_600 + (i % days) * 86_400 + j * 60},{tp}"
        for i in range(customers) for j, tp in enumerate(("land", "search", "pay"))
    ]
    return _log(folder, rows, name)


@pytest.mark.parametrize(("days", "period", "volume"), [(7, None, 261), (28, None, 65), (7, "week", 60), (365, "year", 365)])
def test_a_logs_volume_is_customers_per_the_journeys_period(
    tmp_path: Path, days: int, period: str | None, volume: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 7-day and a 365-day export of the same customers both wrote their count as the volume, under
    '# clicks per month', and value a month followed the export window."""
    text = JOURNEY + (f"value: {{currency: EUR, period: {period}}}\n" if period else "")
    path = _write(tmp_path, "shop.journey.yaml", text)
    log = _days_log(tmp_path, days, customers=max(60, days))
    result, _ = calibrate(path, events=log)
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    assert loaded.touchpoint_by_id["land"].metrics["volume"].value == volume
    [note] = result.notes
    assert note.startswith(f"volumes are customers a {period or 'month'}: the event log's customers started over {days} days (2026-01-01 to ")
    assert main(["calibrate", str(path), "--events", str(log)]) == 0
    assert f"calibrate: {note}\n" in capsys.readouterr().err


@pytest.mark.parametrize(("days", "when"), [(1, "on one day (2026-01-01)"), (6, "over 6 days (2026-01-01 to 2026-01-06)")])
def test_a_log_of_under_a_week_gives_no_volume_and_says_why(tmp_path: Path, days: int, when: str) -> None:
    """Spans are whole UTC days: two hours across midnight were '2 days', scaled by 15 to a month."""
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, _ = calibrate(path, events=_days_log(tmp_path, days))
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    assert all("volume" not in tp.metrics for tp in loaded.touchpoints)
    assert loaded.touchpoint_by_id["land"].next[0].share == 1  # the shares are written
    [span] = [p for p in result.flags if p.code == "log-span"]
    assert span.message == (
        f"volumes of 3 touchpoints not written: the event log's customers all started {when}, too short"
        " a span to give customers a month (a journey's volumes are per month): 'land', 'search', 'pay'"
    )
    assert result.notes == []


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(("odd", "said"), [
    ("0", "1 customer starts before 1973 (on 1970-01-01)"),
    ("9999-12-31", "1 customer starts after 2100 (on 9999-12-31)"),
])
def test_a_customer_dated_no_date_gives_no_volume_and_says_why(tmp_path: Path, engine: str, odd: str, said: str) -> None:
    """60 customers over 28 days and one whose time was 0 (or 9999-12-31) for 'no date': the customers
    'started over 20,479 days', and every volume was written as 0 customers a month (land's 48000 gone)."""
    text = JOURNEY.replace("    <<: *web\n", "    <<: *web\n    metrics:\n      volume: 48000          # ad taps a month\n")
    path = _write(tmp_path, "shop.journey.yaml", text)
    log = _days_log(tmp_path, 28)
    log.write_text(log.read_text() + f"x,{odd},land\n")
    result, problems = calibrate(path, events=log, engine=engine)
    assert [p.code for p in problems] == ["early-timestamp" if odd == "0" else "far-timestamp"]
    loaded = load(_write(tmp_path, "out.journey.yaml", result.text))
    assert loaded.touchpoint_by_id["land"].metrics["volume"].value == 48000
    assert "volume: 48000          # ad taps a month" in result.text
    assert all("volume" not in tp.metrics for tp in loaded.touchpoints if tp.id != "land")
    assert loaded.touchpoint_by_id["land"].next[0].share == 0.984  # the shares are written (60 of 61)
    [span] = [p for p in result.flags if p.code == "log-span"]
    assert span.message == (
        f"volumes of 3 touchpoints not written: {said}, a date that stands for 'no date', so the days the event"
        " log's customers started over say nothing of a month (a journey's volumes are per month): 'land', 'search', 'pay'"
    )
    assert span.hint == "leave the rows dated so out of the log (or empty their timestamps), then calibrate again"
    assert result.notes == []


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_flow_with_steps_to_no_date_gets_no_time_and_says_why(tmp_path: Path, engine: str) -> None:
    """12 of 60 customers paid on 9999-12-31 (a system's 'no date'): calibrate wrote the flow's time as
    'p90: 2912346d13h' into the journey, beside a far-timestamp warning said of the log alone."""
    rows = [f"c{i},2026-01-{1 + i % 28:02d}T10:0{j}:00Z,{tp}" for i in range(60) for j, tp in enumerate(("land", "search"))]
    rows += [f"c{i},{'9999-12-31' if i % 5 == 0 else f'2026-01-{1 + i % 28:02d}T10:05:00Z'},pay" for i in range(60)]
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    result, problems = calibrate(path, events=_log(tmp_path, rows), engine=engine)
    assert [p.code for p in problems] == ["far-timestamp"]
    search = load(_write(tmp_path, "out.journey.yaml", result.text)).touchpoint_by_id["search"]
    assert [(f.to, f.share, f.time) for f in search.next] == [("pay", 1.0, None), ("call", 0.0, None)]
    assert "d13h" not in result.text and "2912" not in result.text
    land = load(_write(tmp_path, "out.journey.yaml", result.text)).touchpoint_by_id["land"]
    assert land.next[0].time is not None and land.next[0].time.median == 60  # the other flows' times are written
    [told] = [p for p in result.flags if "'search' to 'pay'" in p.message]
    assert (told.code, told.message) == (
        "far-timestamp", "time from 'search' to 'pay' not written: 12 of its 60 steps take 50 years or more,"
        " to or from a date that stands for 'no date' (9999-12-31, or 0 for 1970-01-01)")
    assert told.hint == "leave the rows dated so out of the log (or empty their timestamps), then calibrate again"


def test_report_says_the_log_weights_the_entries_and_the_value_counts_the_journeys_volume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = JOURNEY.replace("  - id: land\n", "  - id: land\n    entry: true\n").replace(
        "  - id: browse\n", "  - id: browse\n    entry: true\n"
    ) + "value: {currency: EUR, volume: 1000, outcomes: {success: 10}}\n"
    path = _write(tmp_path, "shop.journey.yaml", text)
    rows = [f"c{i},2026-01-0{1 + i % 7}T10:0{j}:00Z,{tp}" for i in range(60) for j, tp in enumerate(("land", "search", "pay"))]
    rows += [f"b{i},2026-01-0{1 + i % 7}T10:0{j}:00Z,{tp}" for i in range(20) for j, tp in enumerate(("browse", "pay"))]
    assert main(["report", str(path), "--events", str(_log(tmp_path, rows))]) == 0
    out = capsys.readouterr().out
    assert (
        "the entries are weighted by the event log's customers (60, 20, who started over 7 days); the value a month"
        " counts the journey file's volume (1,000 customers a month, from value.volume), not the log's"
    ) in " ".join(out.split())


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_report_weighs_a_logs_entry_against_the_journeys_in_customers_a_period(
    tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A year's log of one channel: 365 customers entered at 'land', none at 'browse', whose volume the journey file
    gives as 900 a month. The model weighed them 365 to 900 (28.9% at land), a year's customers against a month's;
    a month of the log's customers is 30.4, 3.3% of the customers entering."""
    text = JOURNEY.replace("  - id: land\n", "  - id: land\n    entry: true\n").replace(
        "    next: [pay, call]\n", "    entry: true\n    next: [pay, call]\n    metrics:\n      volume: 900\n")
    path = _write(tmp_path, "shop.journey.yaml", text)
    log = _days_log(tmp_path, 365, customers=365)
    assert main(["report", str(path), "--events", str(log), "--engine", engine]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "entries land 3.3%, browse 96.7% (weighted by volume)" in out
    assert ("the entries are weighted by customers a month: the event log's at land (365, who started over 365 days,"
            " 30 a month) beside the journey file's volume at browse (900)") in out
    # a log of under a week cannot say how many customers a month is: the two are not weighed against each other
    assert main(["report", str(path), "--events", str(_days_log(tmp_path, 3)), "--engine", engine]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "entries land 50.0%, browse 50.0% (weighted equally)" in out
    assert ("entries weighted equally: the event log's customers at land (60, who started over 3 days) are not"
            " customers a month, as the journey file's volume at browse (900) is") in out


def test_the_summary_counts_every_warning_printed_and_one_customer_is_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The summary said '4 warnings' under five warning lines (the reader's were not counted), and a
    single customer starting past the entries 'customers started'."""
    journey = _write(tmp_path, "shop.journey.yaml", JOURNEY)
    log = tmp_path / "log.csv"
    log.write_text(
        "customer,timestamp,touchpoint,outcome\n"
        "a,2026-09-01T10:00:00Z,land,\na,2026-09-01T10:01:00Z,search,\na,2026-09-01T10:02:00Z,pay,\n"
        "b,2026-09-01T10:00:00Z,search,\nb,2026-09-01T10:01:00Z,pay,\n"
        "c,2026-09-01T10:00:00Z,land,\nc,2026-09-01T10:01:00Z,wishlist,\n"
    )
    assert main(["calibrate", str(journey), "--events", str(log), "--min-customers", "1"]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if ": warning[" in line]
    assert any("warning[unknown-touchpoint]" in line for line in lines)  # the reader's
    assert "1 customer started their journey at 'search'" in err
    assert err.rstrip().endswith(f", {len(lines)} warnings (not written or worth a look)")


def test_a_flow_written_as_an_alias_is_told_in_the_files_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The reason printed the editor's selector, "'('to', 'b')' was not found where it was expected"."""
    journey = _write(tmp_path, "alias.journey.yaml", (
        "journeymap: 1\nid: alias-flow\ntitle: Alias flow\nx-flow: &flow {to: b, share: 0.5}\n"
        "personas: [{id: p, name: P}]\nchannels: [{id: w, name: W}]\nstages: [{id: s, name: S}]\n"
        "touchpoints:\n  - id: a\n    name: A\n    stage: s\n    channel: w\n    next:\n      - *flow\n"
        "  - {id: b, name: B, stage: s, channel: w, outcome: success}\n"))
    log = tmp_path / "log.csv"
    log.write_text("customer,timestamp,touchpoint\n" + "".join(
        f"c{i},2026-09-0{1 + i % 7}T10:00:00Z,a\nc{i},2026-09-0{1 + i % 7}T10:01:00Z,b\n" for i in range(40)))
    assert main(["calibrate", str(journey), "--events", str(log)]) == 0
    err = capsys.readouterr().err
    assert "the flows of 'a' were not calibrated: the item 'to: b' was not found where it was expected" in err
    assert "('to'" not in err


def test_a_period_the_journey_spells_another_way_is_the_same_period(tmp_path: Path) -> None:
    """The journey's 'period: 2026Q1' beside a table row for Q1-2026 (read as 2026-Q1) was a change:
    calibrate rewrote the value with 'period: 2026-Q1' and said '1 figure changed'."""
    written = "      csat: {value: 0.8, n: 100, target: 0.85, period: 2026Q1, source: metrics.csv}\n"
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY.replace("      csat: {value: 0.8, target: 0.85}   # pilot survey\n", written))
    table = _write(tmp_path, "metrics.csv", "touchpoint,metric,value,n,period\nsearch,csat,80%,100,Q1-2026\n")
    result, _ = calibrate(path, metrics=table)
    assert [c for c in result.changes if c.what == "csat"] == [] and written in result.text
    newer = _write(tmp_path, "metrics.csv", "touchpoint,metric,value,n,period\nsearch,csat,80%,100,Q1-2026\nsearch,csat,80%,100,Q2 2026\n")
    result, _ = calibrate(path, metrics=newer)
    assert "csat: {value: 0.8, n: 100, target: 0.85, period: 2026-Q2, source: metrics.csv}" in result.text


def test_a_share_left_empty_that_the_log_cannot_fill_stays_empty_and_is_still_an_error_to_validate(tmp_path: Path) -> None:
    """Empty optional figures became errors ('share' is empty), so calibrate refused the journey it is meant to fill
    them in. It reads them as not given; one the log cannot fill (10 customers) stays as the author left it, with the
    reason, and validate still says it is empty: nothing is filled in silently, nothing is refused."""
    log, _ = _walk(tmp_path, 10)
    path = _write(tmp_path, "shop.journey.yaml", JOURNEY.replace("        share: 0.05\n", "        share:   # from the log\n"))
    assert [p.code for p in check(path).errors] == ["wrong-type"]
    result, _ = calibrate(path, events=log)
    assert "\n      - to: call\n        share:   # from the log\n" in result.text
    assert any(p.code == "too-few-customers" and "'search'" in p.message for p in result.flags)
    assert main(["calibrate", str(path), "--events", str(log), "--write", "-q"]) == 0
    assert [p.message for p in check(path).errors] == [
        "touchpoint 'search', flow #2: 'share' is empty; it must be a number from 0 to 1"]
    # a metric's 'n:' left to fill from a survey, calibrating shares from a log: the shares are written, 'n:' stays
    log, _ = _walk(tmp_path, 500)
    path.write_text(JOURNEY.replace("target: 0.85}", "target: 0.85, n: }"), encoding="utf-8")
    assert main(["calibrate", str(path), "--events", str(log), "--write", "-q"]) == 0
    assert "share: 0.05" not in path.read_text(encoding="utf-8")
    assert [p.message for p in check(path).errors] == ["touchpoint 'search', metric 'csat': 'n' is empty; it must be a whole number"]
