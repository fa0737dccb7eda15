"""journeymap.value: value per customer, drop-off effects and sensitivities, checked against
chains solved by hand, closed forms, and an independent dense solver (numpy, brute force)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.analysis import analyze
from journeymap.graph import JourneyGraph
from journeymap.loader import load_text
from journeymap.model import Journey
from journeymap.scenarios import apply_changes
from journeymap.value import ValueChain, money, money_short, volume_per_period

HEADER = """\
journeymap: 1
id: t
title: Test journey
personas:
  - {id: p, name: P}
channels:
  - {id: web, name: Web}
stages:
  - {id: one, name: One}
"""


def journey(value: str, touchpoints: str) -> Journey:
    return load_text(HEADER + value + "touchpoints:\n" + touchpoints)


def value_chain(j: Journey) -> ValueChain:
    jg = JourneyGraph(j)
    return ValueChain(jg.chain(), j, j.value)


# -- an independent dense solver ---------------------------------------------------


def dense(j: Journey, rows: dict[str, dict[str, float]] | None = None) -> tuple[float, float]:
    """(conversion, value per customer) of a journey by brute force: the full matrix, inverted.

    ``rows`` replaces the flows of some touchpoints ({touchpoint: {to: share}}).
    """
    ids = [t.id for t in j.touchpoints]
    at = {t: i for i, t in enumerate(ids)}
    n = len(ids)
    P = np.zeros((n, n))
    jg = JourneyGraph(j)
    for t in ids:
        for to, share in (rows or {}).get(t, dict(jg.flows(t))).items():
            P[at[t], at[to]] = share
    outcome = np.array([j.touchpoint_by_id[t].outcome is not None for t in ids])
    success = np.array([j.touchpoint_by_id[t].outcome == "success" for t in ids])
    model = j.value
    values = np.array(
        [
            (model.outcomes.get(t, model.outcomes.get(j.touchpoint_by_id[t].outcome or "", 0.0)) if model and j.touchpoint_by_id[t].outcome else 0.0)
            for t in ids
        ]
    )
    net = np.array([(j.touchpoint_by_id[t].cost or 0.0) - (j.touchpoint_by_id[t].revenue or 0.0) for t in ids])
    leave_value = model.leave if model else 0.0
    start = np.zeros(n)
    for e in jg.entries:
        start[at[e]] = 1.0 / len(jg.entries)
    t_idx = np.flatnonzero(~outcome)
    o_idx = np.flatnonzero(outcome)
    Q = P[np.ix_(t_idx, t_idx)]
    N = np.linalg.inv(np.eye(len(t_idx)) - Q)
    visits = np.zeros(n)
    visits[t_idx] = start[t_idx] @ N
    visits[o_idx] = start[o_idx] + visits[t_idx] @ P[np.ix_(t_idx, o_idx)]
    leave = np.clip(1 - P.sum(axis=1), 0, 1)
    leave[outcome] = 0
    conversion = float(visits[success].sum())
    value = float(visits[outcome] @ values[outcome] - visits @ net + visits @ leave * leave_value)
    return conversion, value


# -- hand-solved chains ---------------------------------------------------------------

BRANCH = """\
  - {id: a, name: A, stage: one, channel: web, cost: 2, next: [{to: win, share: 0.6}, {to: lose, share: 0.3}]}
  - {id: win, name: W, stage: one, channel: web, outcome: success}
  - {id: lose, name: L, stage: one, channel: web, outcome: failure}
"""
VALUE = "value: {currency: EUR, volume: 1000, outcomes: {success: 100, failure: -5}}\n"


def test_value_of_a_branch_solved_by_hand() -> None:
    vc = value_chain(journey(VALUE, BRANCH))
    # 0.6 x 100 + 0.3 x -5 - one visit of a at 2 (0.1 leave, worth 0)
    assert vc.per_customer == pytest.approx(60 - 1.5 - 2)
    analysis = analyze(journey(VALUE, BRANCH))
    assert analysis.value is not None
    assert analysis.value.per_period == pytest.approx(56_500)
    assert analysis.value.cost_per_period == pytest.approx(2_000)
    assert analysis.to_json()["value"] == {
        "currency": "EUR", "period": "month", "volume": 1000.0, "volume_source": "value.volume",
        "per_customer": 56.5, "per_period": 56500.0, "cost_per_customer": 2.0, "cost_per_period": 2000.0,
    }


def test_an_outcome_touchpoint_id_wins_over_its_kind_and_leavers_have_a_value() -> None:
    value = "value: {currency: GBP, outcomes: {success: 100, win: 250, failure: -5}, leave: -1}\n"
    vc = value_chain(journey(value, BRANCH))
    assert vc.per_customer == pytest.approx(0.6 * 250 - 1.5 - 2 - 0.1)


def test_loop_costs_count_every_visit() -> None:
    # form -> help (0.4) -> form (0.5): visits of form v = 1 / (1 - 0.2) = 1.25; help 0.5
    loop = """\
  - {id: form, name: F, stage: one, channel: web, entry: true, cost: 1, next: [{to: done, share: 0.5}, {to: help, share: 0.4}]}
  - {id: help, name: H, stage: one, channel: web, cost: 8, next: [{to: form, share: 0.5}]}
  - {id: done, name: D, stage: one, channel: web, outcome: success}
"""
    vc = value_chain(journey("value: {currency: EUR, outcomes: {success: 40}}\n", loop))
    assert vc.chain.visits[vc.chain.index["form"]] == pytest.approx(1.25)
    assert vc.per_customer == pytest.approx(1.25 * 0.5 * 40 - 1.25 * 1 - 0.5 * 8)
    assert vc.per_customer == pytest.approx(dense(journey("value: {currency: EUR, outcomes: {success: 40}}\n", loop))[1])
    assert float(vc.chain.start @ vc.rewards) == pytest.approx(vc.per_customer)


@pytest.mark.parametrize("p", [0.0, 0.3, 0.8, 0.95, 0.999])
def test_clv_of_a_geometric_retention_loop_is_its_closed_form(p: float) -> None:
    # Each renewal earns a margin m and costs c; a customer renews with probability p:
    # expected renewals 1 / (1 - p), so CLV = (m - c) / (1 - p).
    loop = f"""\
  - {{id: renewal, name: R, stage: one, channel: web, entry: true, revenue: 120, cost: 15, next: [{{to: renewal, share: {p}}}]}}
"""
    vc = value_chain(journey("value: {currency: EUR}\n", loop))
    assert vc.per_customer == pytest.approx((120 - 15) / (1 - p), rel=1e-12)
    assert vc.chain.visits[0] == pytest.approx(1 / (1 - p), rel=1e-12)


def test_volume_comes_from_the_value_model_else_from_the_entries() -> None:
    j = journey("value: {currency: EUR}\n", BRANCH.replace("cost: 2,", "cost: 2, metrics: {volume: 700},"))
    assert volume_per_period(j, {"a": 1.0}) == (700.0, "entries")
    j = journey("value: {currency: EUR, volume: 10}\n", BRANCH.replace("cost: 2,", "cost: 2, metrics: {volume: 700},"))
    assert volume_per_period(j, {"a": 1.0}) == (10.0, "value.volume")
    assert volume_per_period(journey("value: {currency: EUR}\n", BRANCH), {"a": 1.0}) == (None, "none")


def test_money_in_words() -> None:
    assert money(12345.6, "EUR") == "€12,346"
    assert money(-8100, "GBP", sign=True) == "-£8,100"
    assert money(950, "USD", sign=True) == "+$950"
    assert money(3.456, "CHF") == "3.46 CHF"
    assert money(0.001, "EUR", sign=True) == "€0.00"
    assert money_short(586_716.8, "GBP") == "£587k"
    assert money_short(-1_519_695, "EUR") == "-€1.52M"
    assert money_short(12_345, "CHF") == "12.3k CHF"
    assert money_short(950, "USD") == "$950"


@pytest.mark.parametrize(
    ("amount", "text"),
    # Before: '€1000k' for 999,999, '€1000M' for 999,999,999 and '€1500000M' for 1.5e12 on the map's headline.
    [(999_999, "€1M"), (999_499, "€999k"), (999_999_999, "€1B"), (1.5e12, "€1.5T"), (-2.345e9, "-€2.35B"), (4.2e15, "€4,200T")],
)
def test_headline_amounts_step_up_a_unit_when_they_round_to_a_thousand(amount: float, text: str) -> None:
    assert money_short(amount, "EUR") == text


@pytest.mark.parametrize(
    ("amount", "currency", "sign", "text"),
    [
        # Before: '¥68.95', '+9.60 KRW', '68.95 BHD': every currency was given two decimals below 100.
        (68.95, "JPY", False, "¥69"),
        (9.6, "KRW", True, "+10 KRW"),
        (0.4, "JPY", True, "¥0"),
        (-23.1, "ISK", False, "-23 ISK"),
        (68.9504, "BHD", False, "68.950 BHD"),
        (0.0123, "KWD", True, "+0.012 KWD"),
        (1234.7, "BHD", False, "1,235 BHD"),
        (68.95, "EUR", False, "€68.95"),
        (99.996, "EUR", False, "€100"),  # before: '€100.00', an amount from 100 up in cents
        (-99.9996, "BHD", False, "-100 BHD"),
    ],
)
def test_amounts_have_their_currency_s_minor_unit(amount: float, currency: str, sign: bool, text: str) -> None:
    assert money(amount, currency, sign=sign) == text


def test_whatif_and_report_write_yen_without_decimals(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from journeymap.cli import main

    path = tmp_path / "yen.journey.yaml"
    path.write_text(HEADER + VALUE.replace("EUR", "JPY") + "touchpoints:\n" + LOOPY, encoding="utf-8")
    assert main(["whatif", str(path), "--set", "form.drop_off=0"]) == 0
    out = capsys.readouterr().out
    assert "value per customer" in out
    assert re.findall(r"¥[\d,]+\.\d", out) == []  # before: '¥45.25', '+¥9.62'
    assert main(["report", str(path)]) == 0
    out = capsys.readouterr().out
    assert "¥" in out and re.findall(r"¥[\d,]+\.\d", out) == []


# -- drop-off changes: closed form against a re-solve -----------------------------------


def _drop_off_rows(j: Journey, tp: str, drop_off: float) -> dict[str, dict[str, float]]:
    flows = dict(JourneyGraph(j).flows(tp))
    total = sum(flows.values())
    return {tp: {to: s * (1 - drop_off) / total for to, s in flows.items()}}


LOOPY = """\
  - {id: start, name: S, stage: one, channel: web, cost: 1, next: [{to: form, share: 0.9}]}
  - {id: form, name: F, stage: one, channel: web, cost: 3, next: [{to: done, share: 0.5}, {to: help, share: 0.3}, {to: form, share: 0.1}]}
  - {id: help, name: H, stage: one, channel: web, cost: 7, next: [{to: form, share: 0.6}, {to: lost, share: 0.2}]}
  - {id: done, name: D, stage: one, channel: web, outcome: success}
  - {id: lost, name: L, stage: one, channel: web, outcome: failure}
"""
LOOPY_VALUE = "value: {currency: EUR, outcomes: {success: 90, failure: -20}, leave: -2}\n"


@pytest.mark.parametrize("tp", ["start", "form", "help"])
@pytest.mark.parametrize("drop_off", [0.0, 0.05, 0.5, 1.0])
def test_drop_off_effect_equals_a_dense_re_solve(tp: str, drop_off: float) -> None:
    j = journey(LOOPY_VALUE, LOOPY)
    vc = value_chain(j)
    effect = vc.drop_off_effect(tp, drop_off)
    assert effect is not None
    conversion, value = dense(j)
    conversion_after, value_after = dense(j, _drop_off_rows(j, tp, drop_off))
    assert effect[0] == pytest.approx(conversion_after - conversion, abs=1e-12)
    assert effect[1] == pytest.approx(value_after - value, abs=1e-10)


def test_value_at_stake_is_the_scenario_of_meeting_the_drop_off_target() -> None:
    body = LOOPY.replace("cost: 7,", "cost: 7, friction: [{type: wait, severity: 5}], metrics: {drop_off: {value: 0.2, target: 0.05}},")
    j = journey(LOOPY_VALUE.replace("leave: -2", "leave: -2, volume: 500"), body)
    analysis = analyze(j)
    stake = analysis.touchpoints["help"].value_at_stake
    assert stake is not None and stake.basis == "drop_off_target"
    assert (stake.drop_off_before, stake.drop_off_after) == pytest.approx((0.2, 0.05))
    after = analyze(apply_changes(j, [{"touchpoint": "help", "meets_targets": True}]))
    assert after.value is not None and analysis.value is not None
    assert stake.conversion_after == pytest.approx(after.conversion, abs=1e-12)
    assert stake.value_per_period == pytest.approx(after.value.per_period - analysis.value.per_period, abs=1e-8)


def test_without_a_drop_off_target_value_at_stake_is_the_ceiling_of_nobody_leaving() -> None:
    body = LOOPY.replace("cost: 7,", "cost: 7, friction: [{type: wait, severity: 5}],")
    analysis = analyze(journey(LOOPY_VALUE, body))
    stake = analysis.touchpoints["help"].value_at_stake
    assert stake is not None and stake.basis == "no_leavers" and stake.drop_off_after == 0.0
    assert stake.value_per_customer is not None and stake.value_per_customer > 0


# -- sensitivities: exact derivatives against central differences of a dense solve -------


def _flow_rows(j: Journey, tp: str, to: str, delta: float) -> dict[str, dict[str, float]]:
    flows = dict(JourneyGraph(j).flows(tp))
    flows[to] = flows[to] + delta
    return {tp: flows}


def test_sensitivities_of_a_loop_equal_central_differences() -> None:
    j = journey(LOOPY_VALUE, LOOPY)
    vc = value_chain(j)
    conv, value = vc.drop_off_sensitivities()
    h = 1e-6
    for tp in ("start", "form", "help"):
        i = vc.chain.index[tp]
        d = float(vc.leave_shares[i])
        up, down = dense(j, _drop_off_rows(j, tp, d + h)), dense(j, _drop_off_rows(j, tp, d - h))
        assert conv[i] == pytest.approx((up[0] - down[0]) / (2 * h), abs=1e-6)
        assert value[i] == pytest.approx((up[1] - down[1]) / (2 * h), abs=1e-5)
        for to, _, dc, dv in vc.flow_sensitivities(tp):
            up, down = dense(j, _flow_rows(j, tp, to, h)), dense(j, _flow_rows(j, tp, to, -h))
            assert dc == pytest.approx((up[0] - down[0]) / (2 * h), abs=1e-6)
            assert dv == pytest.approx((up[1] - down[1]) / (2 * h), abs=1e-5)


@st.composite
def random_journeys(draw: st.DrawFn) -> Journey:
    n = draw(st.integers(2, 7))
    ids = [f"t{i}" for i in range(n)]
    lines = []
    for i, ident in enumerate(ids):
        targets = draw(st.lists(st.sampled_from([*ids, "win", "lose"]), min_size=1, max_size=4, unique=True))
        weights = draw(st.lists(st.floats(0.05, 1.0), min_size=len(targets) + 1, max_size=len(targets) + 1))
        total = sum(weights)
        shares = [round(w / total, 4) for w in weights[:-1]]  # the last weight leaves
        cost = draw(st.floats(0, 20))
        flows = ", ".join(f"{{to: {t}, share: {s}}}" for t, s in zip(targets, shares, strict=True))
        entry = "entry: true, " if i == 0 else ""
        lines.append(f"  - {{id: {ident}, name: X, stage: one, channel: web, {entry}cost: {cost:.3f}, next: [{flows}]}}\n")
    lines.append("  - {id: win, name: W, stage: one, channel: web, outcome: success}\n")
    lines.append("  - {id: lose, name: L, stage: one, channel: web, outcome: failure}\n")
    success = draw(st.floats(1, 500))
    return journey(f"value: {{currency: EUR, outcomes: {{success: {success:.2f}, failure: -7}}, leave: -1}}\n", "".join(lines))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_journeys())
def test_random_chains_value_effects_and_sensitivities_match_the_dense_solve(j: Journey) -> None:
    vc = value_chain(j)
    if vc.chain.closed_loops:
        return  # a modelling mistake the chain treats as "stuck"; not what this test is about
    conversion, value = dense(j)
    assert vc.chain.conversion == pytest.approx(conversion, abs=1e-9)
    assert vc.per_customer == pytest.approx(value, rel=1e-9, abs=1e-9)
    conv, val = vc.drop_off_sensitivities()
    h = 1e-6
    for tp in [t.id for t in j.touchpoints if t.outcome is None]:
        i = vc.chain.index[tp]
        d = float(vc.leave_shares[i])
        effect = vc.drop_off_effect(tp, 0.0)
        if effect is not None:
            after = dense(j, _drop_off_rows(j, tp, 0.0))
            assert effect[0] == pytest.approx(after[0] - conversion, abs=1e-9)
            assert effect[1] == pytest.approx(after[1] - value, rel=1e-7, abs=1e-7)
        if d > 2 * h and not math.isnan(conv[i]):
            up, down = dense(j, _drop_off_rows(j, tp, d + h)), dense(j, _drop_off_rows(j, tp, d - h))
            assert conv[i] == pytest.approx((up[0] - down[0]) / (2 * h), rel=1e-4, abs=1e-6)
            assert val[i] == pytest.approx((up[1] - down[1]) / (2 * h), rel=1e-4, abs=1e-4)
        for to, _, dc, dv in vc.flow_sensitivities(tp):
            if d < 2 * h:
                continue
            up, down = dense(j, _flow_rows(j, tp, to, h)), dense(j, _flow_rows(j, tp, to, -h))
            assert dc == pytest.approx((up[0] - down[0]) / (2 * h), rel=1e-4, abs=1e-6)
            assert dv == pytest.approx((up[1] - down[1]) / (2 * h), rel=1e-4, abs=1e-4)


def test_report_json_carries_value_at_stake_and_sensitivity_for_every_touchpoint() -> None:
    body = LOOPY.replace("cost: 7,", "cost: 7, friction: [{type: wait, severity: 5}],")
    data = analyze(journey(LOOPY_VALUE.replace("leave: -2", "leave: -2, volume: 100"), body)).to_json()
    by_id = {t["id"]: t for t in data["touchpoints"]}
    assert by_id["done"]["sensitivity"] is None and by_id["done"]["value_at_stake"] is None
    assert by_id["form"]["value_at_stake"] is None  # not weak
    help_ = by_id["help"]
    assert set(help_["value_at_stake"]) == {"basis", "drop_off", "conversion", "value_per_customer", "value_per_period"}
    assert help_["sensitivity"]["drop_off"]["value_per_period"] == pytest.approx(
        100 * help_["sensitivity"]["drop_off"]["value_per_customer"], rel=1e-5
    )
    assert [f["to"] for f in help_["sensitivity"]["flows"]] == ["form", "lost"]
    assert data["fix_first"] == ["help"]
    assert analyze(journey("", body.replace("cost: 1, ", "").replace("cost: 3, ", "").replace("cost: 7, ", ""))).to_json()["value"] is None


def test_a_closed_loop_costs_each_of_its_touchpoints_once_and_earns_nothing() -> None:
    body = """\
  - {id: start, name: S, stage: one, channel: web, cost: 1, next: [{to: win, share: 0.5}, {to: a, share: 0.5}]}
  - {id: a, name: A, stage: one, channel: web, cost: 3, next: [b]}
  - {id: b, name: B, stage: one, channel: web, cost: 5, next: [a]}
  - {id: win, name: W, stage: one, channel: web, outcome: success}
"""
    vc = value_chain(journey("value: {currency: EUR, outcomes: {success: 10}}\n", body))
    assert vc.chain.closed_loops == [["a", "b"]]
    assert vc.per_customer == pytest.approx(0.5 * 10 - 1 - 0.5 * (3 + 5))
    assert float(vc.chain.start @ vc.rewards) == pytest.approx(vc.per_customer)


def test_a_persona_s_value_per_period_is_its_share_of_the_volume() -> None:
    text = HEADER.replace("  - {id: p, name: P}\n", "  - {id: p, name: P, share: 0.25}\n  - {id: q, name: Q}\n")
    j = load_text(text + VALUE + "touchpoints:\n" + BRANCH)
    everyone, p, q = analyze(j), analyze(j, "p"), analyze(j, "q")
    assert everyone.value is not None and p.value is not None and q.value is not None
    assert p.value.per_period == pytest.approx(0.25 * everyone.value.per_period)  # type: ignore[operator]
    assert q.value.per_period is None and q.value.per_customer == pytest.approx(everyone.value.per_customer)


def test_the_json_schema_knows_the_value_model() -> None:
    import jsonschema

    from journeymap.json_schema import schema

    validator = jsonschema.Draft202012Validator(schema())
    base = {
        "journeymap": 1, "id": "t", "title": "T", "personas": [], "channels": [], "stages": [],
        "touchpoints": [{"id": "a", "name": "A", "stage": "s", "channel": "c", "cost": 2.5}],
        "value": {"currency": "EUR", "volume": 10, "outcomes": {"success": 1}},
        "scenarios": [{"id": "x", "name": "X", "changes": [{"from": "a", "to": "b", "share": 0.5}, {"touchpoint": "a", "drop_off": 0.1}]}],
        "opportunities": [{"id": "o", "name": "O", "effort": "M", "status": "planned", "link": "https://x.example/1"}],
    }
    assert list(validator.iter_errors(base)) == []
    for bad in (
        {"value": {"currency": "eur"}},
        {"value": {"currency": "EUR", "period": "fortnight"}},
        {"scenarios": [{"id": "x", "name": "X", "changes": []}]},
        {"opportunities": [{"id": "o", "name": "O", "effort": "XXL"}]},
        {"touchpoints": [{"id": "a", "name": "A", "stage": "s", "channel": "c", "cost": -1}]},
    ):
        assert list(validator.iter_errors({**base, **bad})), bad


def test_fmt_lays_out_the_value_model_scenarios_and_opportunities_canonically() -> None:
    from journeymap.fmt import format_text

    text = HEADER + "touchpoints:\n" + BRANCH + (
        "opportunities:\n  - {status: idea, name: O, id: o}\n"
        "scenarios:\n  - changes:\n      - {share: 0.5, to: win, from: a}\n    name: S\n    id: s\n"
        "value:\n  outcomes: {success: 1}\n  currency: EUR\n"
    )
    out = format_text(text)
    assert out.index("value:") < out.index("scenarios:") < out.index("opportunities:")
    assert "  currency: EUR\n  outcomes:" in out
    assert "  - id: s\n    name: S\n    changes:\n      - {from: a, to: win, share: 0.5}" in out
    assert format_text(out) == out
    assert load_text(out).model_dump() == load_text(text).model_dump()


@pytest.mark.parametrize(
    ("where", "written", "hint"),
    [
        # Before: "'success' must be a number, not the text '€180'", with no hint.
        ("outcomes", "€180", "write 180 without the currency: every amount is in the value model's currency, EUR"),
        ("outcomes", "180 EUR", "write 180 without the currency: every amount is in the value model's currency, EUR"),
        ("outcomes", "EUR 1,250.50", "write 1250.50 without the currency: every amount is in the value model's currency, EUR"),
        ("outcomes", "$180", "every amount is in the value model's currency, EUR: write this USD amount in EUR, as a number"),
        ("cost", "€2", "write 2 without the currency: every amount is in the value model's currency, EUR"),
        ("cost", "2.50 eur", "write 2.50 without the currency: every amount is in the value model's currency, EUR"),
    ],
)
def test_an_amount_written_with_its_currency_is_told_to_write_the_number(tmp_path: Path, where: str, written: str, hint: str) -> None:
    from journeymap.loader import check

    value = f"value: {{currency: EUR, outcomes: {{success: '{written}'}}}}\n" if where == "outcomes" else "value: {currency: EUR}\n"
    cost = f", cost: '{written}'" if where == "cost" else ""
    path = tmp_path / "a.journey.yaml"
    path.write_text(
        HEADER + value + "touchpoints:\n"
        f"  - {{id: start, name: S, stage: one, channel: web{cost}, next: [{{to: done, share: 0.5}}]}}\n"
        "  - {id: done, name: D, stage: one, channel: web, outcome: success}\n",
        encoding="utf-8",
    )
    problems = [p for p in check(path).problems if p.code == "wrong-type"]
    assert [p.hint for p in problems] == [hint]
    assert (problems[0].span.line, problems[0].span.col) == ((10, 44) if where == "outcomes" else (12, 58))


@pytest.mark.parametrize(
    ("currency", "hint"),
    [
        # Before: any three capitals were taken as a currency, silently: '2,872 EUO' a month.
        ("EUO", "did you mean 'EUR'?"),
        ("ABC", "ISO 4217 codes are such as EUR, GBP, USD, JPY; amounts are shown with the code as written"),
        ("RMB", "the renminbi's ISO 4217 code is CNY"),
    ],
)
def test_a_currency_code_iso_4217_does_not_list_is_a_warning(tmp_path: Path, currency: str, hint: str) -> None:
    from journeymap.loader import check

    path = tmp_path / "c.journey.yaml"
    path.write_text(HEADER + f"value: {{currency: {currency}}}\ntouchpoints:\n" + BRANCH, encoding="utf-8")
    result = check(path)
    assert [(p.level, p.code, p.span.line, p.span.col, p.message, p.hint) for p in result.problems] == [
        ("warning", "unknown-currency", 10, 19, f"value: '{currency}' is not a currency code of ISO 4217", hint)
    ]
    assert result.journey is not None


@pytest.mark.parametrize("currency", ["EUR", "CHF", "XOF", "BHD", "CNY", "XXX"])
def test_currency_codes_iso_4217_lists_give_no_warning(tmp_path: Path, currency: str) -> None:
    from journeymap.loader import check

    path = tmp_path / "c.journey.yaml"
    path.write_text(HEADER + f"value: {{currency: {currency}}}\ntouchpoints:\n" + BRANCH, encoding="utf-8")
    assert check(path).problems == []


def test_a_closed_loop_in_a_journey_with_a_value_model_says_its_value_counts_one_visit() -> None:
    # Before: a renewal loop written with share 1.0 (renew -> renew) earned its revenue once, and the note
    # said only that customers are stuck: an endless lifetime value reported as one month's, silently.
    body = """\
  - {id: start, name: S, stage: one, channel: web, next: [{to: win, share: 0.5}, {to: renew, share: 0.5}]}
  - {id: renew, name: R, stage: one, channel: web, cost: 1, revenue: 12, next: [{to: renew, share: 1.0}]}
  - {id: win, name: W, stage: one, channel: web, outcome: success}
"""
    analysis = analyze(journey("value: {currency: EUR, outcomes: {success: 10}}\n", body))
    assert analysis.value is not None and analysis.value.per_customer == pytest.approx(0.5 * 10 + 0.5 * 11)
    assert (
        "customers who reach the loop renew never leave it (its shares stay inside); they are counted as stuck,"
        " never succeeding; their value counts one visit of each of its touchpoints (its cost and revenue once),"
        " not the endless visits its shares say" in analysis.notes
    )
    plain = analyze(journey("", body.replace(", cost: 1, revenue: 12", "")))
    assert "customers who reach the loop renew never leave it (its shares stay inside); they are counted as stuck, never succeeding" in plain.notes


@pytest.mark.parametrize(
    ("value", "cost", "line", "col", "message"),
    [
        # Before: '€inf' a month in the report, and Infinity in its JSON (not JSON).
        ("{currency: EUR, volume: 1e308}", "", 10, 32, "value: volume 1e+308 is more than journeymap computes with"),
        ("{currency: EUR, outcomes: {success: 1e307}}", "", 10, 44, "value: the amount 1e+307 is more than journeymap computes with"),
        ("{currency: EUR, leave: -2e16}", "", 10, 31, "value: the amount -2e+16 is more than journeymap computes with"),
        ("{currency: EUR}", ", cost: 1e300", 12, 66, "touchpoint 'a': the amount 1e+300 is more than journeymap computes with"),
    ],
)
def test_amounts_and_volumes_beyond_what_a_float_multiplies_are_errors(
    tmp_path: Path, value: str, cost: str, line: int, col: int, message: str
) -> None:
    from journeymap.loader import check

    path = tmp_path / "big.journey.yaml"
    path.write_text(HEADER + f"value: {value}\ntouchpoints:\n" + BRANCH.replace("cost: 2", "cost: 2" + cost.replace(", cost:", ", revenue:")), encoding="utf-8")
    problems = check(path).problems
    assert [(p.code, p.span.line, p.span.col, p.message) for p in problems] == [("out-of-range", line, col, message)]
    assert problems[0].hint == "amounts and volumes go up to 1e15 in size (a quadrillion); is the exponent a typo?"


def test_entries_volumes_beyond_what_a_float_multiplies_give_no_figures_per_period(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import json

    from journeymap.cli import main

    body = BRANCH.replace("cost: 2,", "cost: 2, entry: true, metrics: {volume: 1e308},")
    path = tmp_path / "big.journey.yaml"
    path.write_text(HEADER + VALUE.replace("volume: 1000, ", "") + "touchpoints:\n" + body, encoding="utf-8")
    assert main(["report", str(path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
    assert data["value"]["per_period"] is None and data["value"]["volume"] is None and data["value"]["volume_source"] == "too-large"
    assert main(["report", str(path)]) == 0
    out = capsys.readouterr().out
    assert "inf" not in out
    assert "value per period      unknown: the entries' volumes add up to 1e+308, more than journeymap computes with (1e15)" in out


def test_a_volume_of_zero_is_a_warning_that_every_figure_per_period_is_zero(tmp_path: Path) -> None:
    # Before: every amount a month was €0.00 and value at stake ranked nothing, in silence.
    from journeymap.loader import check

    path = tmp_path / "z.journey.yaml"
    path.write_text(HEADER + "value: {currency: EUR, volume: 0, outcomes: {success: 100}}\ntouchpoints:\n" + BRANCH, encoding="utf-8")
    result = check(path)
    assert [(p.level, p.code, p.span.line, p.span.col, p.message, p.hint) for p in result.problems] == [
        ("warning", "zero-volume", 10, 32, "value: volume 0: no customers enter, so every figure per period is 0",
         "give the customers entering per period, or leave volume out for figures per customer"),
    ]
    assert result.journey is not None


def test_a_drop_off_metric_the_flows_disagree_with_is_noted_where_value_at_stake_is_shown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Before: 'Drop-off 30% is above the 10% target' beside a value at stake computed from the 10% the flows leave
    # (1 - 0.6 - 0.3), with no word that the two differ.
    from journeymap.cli import main

    body = BRANCH.replace("cost: 2,", "cost: 2, metrics: {drop_off: {value: 30%, target: 5%}},")
    path = tmp_path / "d.journey.yaml"
    path.write_text(HEADER + VALUE + "touchpoints:\n" + body, encoding="utf-8")
    analysis = analyze(load_text(path.read_text(encoding="utf-8")))
    stake = analysis.touchpoints["a"].value_at_stake
    assert stake is not None and stake.drop_off_before == pytest.approx(0.1)
    note = "value at stake starts from the 10% its flows leave (1 − their shares), not its Drop-off 30%: make them agree"
    assert analysis.touchpoints["a"].notes == [note]
    assert main(["report", str(path)]) == 0
    assert f"      ~ {note}\n" in capsys.readouterr().out
    agreeing = analyze(load_text(path.read_text(encoding="utf-8").replace("value: 30%", "value: 10%")))
    assert agreeing.touchpoints["a"].notes == []


def test_a_persona_without_a_share_is_told_as_the_reason_for_no_figures_per_period(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Before: 'value per period  unknown: no volume (set value.volume, ...)' though the journey has one.
    from journeymap.cli import main

    text = HEADER.replace("  - {id: p, name: P}\n", "  - {id: p, name: P}\n  - {id: q, name: Q, share: 0.3}\n")
    path = tmp_path / "p.journey.yaml"
    path.write_text(text + VALUE + "touchpoints:\n" + BRANCH, encoding="utf-8")
    assert main(["report", str(path), "--persona", "p"]) == 0
    out = capsys.readouterr().out
    assert "  value per period      unknown: persona p has no share (give it share: 0.4, say: its part of the customers)\n" in out
    assert main(["report", str(path), "--persona", "q"]) == 0
    out = capsys.readouterr().out
    assert "  value a month         €" in out and "(300 customers a month, from value.volume × persona q's share 30%)" in out


def test_an_outcome_left_out_of_outcomes_keyed_by_id_is_a_warning(tmp_path: Path) -> None:
    # Before: 'upgraded', a second success outcome, was worth 0 in silence when 'done' was valued by its id.
    from journeymap.loader import check

    body = (
        "  - {id: a, name: A, stage: one, channel: web, next: [{to: done, share: 0.5}, {to: upgraded, share: 0.2}, {to: lose, share: 0.2}]}\n"
        "  - {id: done, name: D, stage: one, channel: web, outcome: success}\n"
        "  - {id: upgraded, name: U, stage: one, channel: web, outcome: success}\n"
        "  - {id: lose, name: L, stage: one, channel: web, outcome: failure}\n"
    )
    path = tmp_path / "o.journey.yaml"
    path.write_text(HEADER + "value: {currency: EUR, outcomes: {done: 180}}\ntouchpoints:\n" + body, encoding="utf-8")
    assert [(p.level, p.code, p.span.line, p.span.col, p.message, p.hint) for p in check(path).problems] == [
        ("warning", "outcome-without-value", 10, 34,
         "value: the success outcome 'upgraded' has no value (outcomes names 'done', not 'upgraded' or 'success'), so it counts 0",
         "add upgraded: AMOUNT (or success: AMOUNT for every success outcome not named) to outcomes"),
    ]
    for outcomes in ("{done: 180, upgraded: 240}", "{done: 180, success: 150}", "{success: 180}"):
        path.write_text(HEADER + f"value: {{currency: EUR, outcomes: {outcomes}}}\ntouchpoints:\n" + body, encoding="utf-8")
        assert check(path).problems == [], outcomes


def test_a_weak_touchpoint_without_a_value_at_stake_says_why(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Before: '-' in the 'at stake' column and null in the JSON, with no word why.
    from journeymap.cli import main

    body = """\
  - {id: a, name: A, stage: one, channel: web, next: [{to: win, share: 0.6}, {to: help, share: 0.3}]}
  - {id: help, name: H, stage: one, channel: web, metrics: {csat: {value: 50%, target: 80%}}, next: [{to: desk, share: 0.8}]}
  - {id: desk, name: D, stage: one, channel: web, next: [{to: help, share: 1.0}]}
  - {id: gone, name: G, stage: one, channel: web, metrics: {csat: {value: 50%, target: 80%}}}
  - {id: win, name: W, stage: one, channel: web, outcome: success}
"""
    body = body.replace("{to: help, share: 0.3}]", "{to: help, share: 0.3}, {to: gone, share: 0.05}]")
    path = tmp_path / "w.journey.yaml"
    path.write_text(HEADER + VALUE + "touchpoints:\n" + body, encoding="utf-8")
    analysis = analyze(load_text(path.read_text(encoding="utf-8")))
    assert analysis.touchpoints["help"].value_at_stake is None and analysis.touchpoints["gone"].value_at_stake is None
    loop = "no value at stake: with nobody leaving at help, its customers would go round help -> desk for ever"
    gone = "no value at stake: every customer leaves at gone (it has no next flows to keep them)"
    assert loop in analysis.touchpoints["help"].notes and gone in analysis.touchpoints["gone"].notes
    assert main(["report", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"      ~ {loop}\n" in out and f"      ~ {gone}\n" in out


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        # Before: '1,000' was told 'write the decimal point as a dot: 1.000 (or 1000 ...)' (a thousandth of a
        # customer), '12k' and '1000 customers' no hint at all.
        ("'1,000'", "write the number without thousands separators: 1000"),
        ("12k", "write 12000: a volume is a number of customers"),
        ("1.5M", "write 1500000: a volume is a number of customers"),
        ("1000 customers", "write 1000: a volume is a number of customers"),
        ("2.5 million customers", "write 2500000: a volume is a number of customers"),
    ],
)
def test_a_volume_written_as_people_write_it_is_told_the_number(tmp_path: Path, written: str, hint: str) -> None:
    from journeymap.loader import check

    path = tmp_path / "v.journey.yaml"
    path.write_text(HEADER + f"value:\n  currency: EUR\n  volume: {written}\ntouchpoints:\n" + BRANCH, encoding="utf-8")
    problems = check(path).problems
    assert [(p.code, p.span.line, p.span.col, p.hint) for p in problems] == [("wrong-type", 12, 11, hint)]


# -- sensitivities against exact derivatives (rational arithmetic with dual numbers) -----------------

_CHAINS = {
    # a loop visited twice on the way (b <-> c), a self-loop, two entries weighed by their volumes
    "loop": [("a", {"b": "0.9"}, 1, None), ("b", {"c": "0.5", "a": "0.3"}, 2, None), ("c", {"b": "0.4", "win": "0.5", "lose": "0.05"}, 5, None)],
    "self": [("a", {"a": "0.3", "b": "0.6"}, 1, None), ("b", {"b": "0.2", "win": "0.5", "lose": "0.2"}, 3, None)],
    "entries": [("a", {"b": "0.7"}, 1, 600), ("x", {"b": "0.5", "win": "0.2"}, 0, 400), ("b", {"a": "0.1", "win": "0.6", "lose": "0.1"}, 4, None)],
}


class _Dual:
    """a + b·ε with ε² = 0, over fractions: the exact value and derivative of a rational function."""

    def __init__(self, a: object, b: object = 0) -> None:
        from fractions import Fraction

        self.a, self.b = Fraction(a), Fraction(b)  # type: ignore[arg-type]

    def __add__(self, o: _Dual) -> _Dual:
        return _Dual(self.a + o.a, self.b + o.b)

    def __sub__(self, o: _Dual) -> _Dual:
        return _Dual(self.a - o.a, self.b - o.b)

    def __mul__(self, o: _Dual) -> _Dual:
        return _Dual(self.a * o.a, self.a * o.b + self.b * o.a)

    def __truediv__(self, o: _Dual) -> _Dual:
        return _Dual(self.a / o.a, (self.b * o.a - self.a * o.b) / (o.a * o.a))


def _exact(rows: list[tuple[str, dict[str, str], int, int | None]], shares: dict[str, dict[str, _Dual]]) -> tuple[_Dual, _Dual]:
    """(conversion, value per customer) of the chain, solved exactly by Gauss-Jordan on (I - Q)ᵀ v = π."""
    ids = [r[0] for r in rows]
    n, zero, one = len(ids), _Dual(0), _Dual(1)
    volumes = {r[0]: r[3] for r in rows if r[3]}
    total = sum(volumes.values())
    pi = [_Dual(volumes.get(t, 0)) / _Dual(total) for t in ids] if volumes else [one if t == "a" else zero for t in ids]
    A = [[(one if i == j else zero) - shares[ids[j]].get(ids[i], zero) for j in range(n)] for i in range(n)]
    b = list(pi)
    for c in range(n):
        p = next(r for r in range(c, n) if A[r][c].a != 0)
        A[c], A[p], b[c], b[p] = A[p], A[c], b[p], b[c]
        for r in range(n):
            if r != c:
                f = A[r][c] / A[c][c]
                A[r] = [A[r][k] - f * A[c][k] for k in range(n)]
                b[r] = b[r] - f * b[c]
    v = [b[i] / A[i][i] for i in range(n)]
    win = lose = leave = spent = zero
    for i, (ident, _, cost, _) in enumerate(rows):
        out = shares[ident]
        win, lose = win + v[i] * out.get("win", zero), lose + v[i] * out.get("lose", zero)
        flows = zero
        for s in out.values():
            flows = flows + s
        leave, spent = leave + v[i] * (one - flows), spent + v[i] * _Dual(cost)
    return win, win * _Dual(100) - lose * _Dual(5) - leave * _Dual(2) - spent


@pytest.mark.parametrize("name", sorted(_CHAINS))
def test_sensitivities_are_the_exact_derivatives(name: str) -> None:
    from fractions import Fraction

    rows = _CHAINS[name]
    lines = []
    for ident, flows, cost, volume in rows:
        entry = f", entry: true, metrics: {{volume: {volume}}}" if volume else (", entry: true" if ident == "a" else "")
        nexts = ", ".join(f"{{to: {to}, share: {s}}}" for to, s in flows.items())
        lines.append(f"  - {{id: {ident}, name: {ident}, stage: one, channel: web, cost: {cost}{entry}, next: [{nexts}]}}\n")
    body = "".join(lines) + BRANCH.split("\n", 1)[1]
    analysis = analyze(journey("value: {currency: EUR, outcomes: {success: 100, failure: -5}, leave: -2}\n", body))
    plain = {t: {to: _Dual(s) for to, s in flows.items()} for t, flows, _, _ in rows}
    for ident, flows, _, _ in rows:
        s = analysis.touchpoints[ident].sensitivity
        assert s is not None and s.drop_off_conversion is not None and s.drop_off_value_per_customer is not None
        kept = sum(Fraction(x) for x in flows.values())  # raising the drop-off d scales each share s to s (1 - d) / kept
        scaled = {**plain, ident: {to: _Dual(x, -Fraction(x) / kept) for to, x in flows.items()}}
        conversion, value = _exact(rows, scaled)
        assert s.drop_off_conversion == pytest.approx(float(conversion.b), abs=1e-9)
        assert s.drop_off_value_per_customer == pytest.approx(float(value.b), abs=1e-9)
        for flow in s.flows:
            raised = {**plain, ident: {to: _Dual(x, 1 if to == flow.to else 0) for to, x in flows.items()}}
            conversion, value = _exact(rows, raised)
            assert flow.conversion == pytest.approx(float(conversion.b), abs=1e-9)
            assert flow.value_per_customer == pytest.approx(float(value.b), abs=1e-9)


@pytest.mark.parametrize("volume", [".inf", "1e400", "-.inf"])
def test_an_infinite_volume_is_one_error_that_it_is_not_finite(tmp_path: Path, volume: str) -> None:
    from journeymap.loader import check

    path = tmp_path / "i.journey.yaml"
    path.write_text(HEADER + f"value:\n  currency: EUR\n  volume: {volume}\ntouchpoints:\n" + BRANCH, encoding="utf-8")
    assert [(p.code, p.span.line, p.message) for p in check(path).problems] == [("invalid-value", 12, "'volume' must be a finite number")]
