"""Scenarios and journeymap whatif: every change kind against a brute-force dense re-solve,
the --set grammar and its errors, the validation of scenarios, goldens for text and Markdown."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from journeymap.analysis import analyze
from journeymap.cli import main
from journeymap.loader import check, load, load_text
from journeymap.model import Journey
from journeymap.scenarios import (
    ScenarioError,
    apply_changes,
    parse_set,
    parse_sets,
    what_if,
    what_ifs,
)

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "sample_journeys" / "bank-account-opening.journey.yaml"
TELECOM = ROOT / "sample_journeys" / "telecom-support.journey.yaml"

HEADER = """\
journeymap: 1
id: t
title: Test journey
personas: [{id: p, name: P}]
channels: [{id: web, name: Web}]
stages: [{id: one, name: One}]
metrics: {csat: {target: 0.8}}
value: {currency: EUR, volume: 1000, outcomes: {success: 100, failure: -10}, leave: -1}
touchpoints:
  - {id: start, name: S, stage: one, channel: web, next: [{to: form, share: 0.9}, {to: help, share: 0.05}]}
  - {id: form, name: F, stage: one, channel: web, cost: 2, metrics: {csat: 0.6}, next: [{to: done, share: 0.5}, {to: help, share: 0.3}]}
  - {id: help, name: H, stage: one, channel: web, cost: 9, next: [{to: form, share: 0.6}, {to: lost, share: 0.2}]}
  - {id: done, name: D, stage: one, channel: web, outcome: success}
  - {id: lost, name: L, stage: one, channel: web, outcome: failure}
"""


def base() -> Journey:
    return load_text(HEADER)


# The chain written out by hand, as a dense matrix, independent of journeymap's code.
IDS = ["start", "form", "help", "done", "lost"]
BASE_ROWS = {"start": {"form": 0.9, "help": 0.05}, "form": {"done": 0.5, "help": 0.3}, "help": {"form": 0.6, "lost": 0.2}}
COST = {"form": 2.0, "help": 9.0}


def dense(rows: dict[str, dict[str, float]], ids: list[str] = IDS, cost: dict[str, float] = COST) -> tuple[float, float]:
    at = {t: i for i, t in enumerate(ids)}
    n = len(ids)
    P = np.zeros((n, n))
    for source, flows in rows.items():
        for to, share in flows.items():
            P[at[source], at[to]] = share
    transient = [at[t] for t in ids if t not in ("done", "lost")]
    Q = P[np.ix_(transient, transient)]
    N = np.linalg.inv(np.eye(len(transient)) - Q)
    visits = N[transient.index(at["start"])]
    success = float(visits @ P[np.ix_(transient, [at["done"]])].ravel())
    failure = float(visits @ P[np.ix_(transient, [at["lost"]])].ravel())
    leave = float(visits @ (1 - P[transient].sum(axis=1)))
    spent = sum(visits[transient.index(at[t])] * c for t, c in cost.items() if t in at)
    return success, (100 * success - 10 * failure - leave - spent) * 1000


def after(changes: list[dict[str, object]]) -> tuple[float, float]:
    result = what_if(base(), changes)
    value = result.after.value
    assert value is not None and value.per_period is not None
    return result.after.conversion, value.per_period


def test_the_base_chain_matches_the_dense_solve() -> None:
    analysis = analyze(base())
    assert analysis.value is not None
    assert (analysis.conversion, analysis.value.per_period) == pytest.approx(dense(BASE_ROWS), abs=1e-9)


@pytest.mark.parametrize(
    ("changes", "rows"),
    [
        pytest.param([{"touchpoint": "form", "drop_off": 0.1}], {"form": {"done": 0.5 * 0.9 / 0.8, "help": 0.3 * 0.9 / 0.8}}, id="drop-off"),
        pytest.param([{"touchpoint": "help", "drop_off": 1.0}], {"help": {}}, id="everyone leaves"),
        pytest.param([{"from": "form", "to": "done", "share": 0.65}], {"form": {"done": 0.65, "help": 0.3}}, id="flow share"),
        pytest.param(
            [{"from": "form", "to": "done", "share": 0.65}, {"touchpoint": "form", "drop_off": 0.0}],
            {"form": {"done": 0.65 / 0.95, "help": 0.3 / 0.95}},
            id="changes apply in order",
        ),
        pytest.param(
            [{"touchpoint": "form", "meets_targets": True}],
            {"form": {"done": 0.5 / 0.8, "help": 0.3 / 0.8}},
            id="meets targets: no drop_off target, nobody leaves",
        ),
    ],
)
def test_every_scenario_equals_a_dense_re_solve_of_the_changed_chain(changes: list[dict[str, object]], rows: dict[str, dict[str, float]]) -> None:
    assert after(changes) == pytest.approx(dense({**BASE_ROWS, **rows}), abs=1e-9)


def test_removing_a_step_sends_its_customers_on_along_its_flows() -> None:
    # help removed: start -> help (0.05) goes on as help would (0.6 form, 0.2 lost, of 0.8);
    # form -> help (0.3) likewise; help's cost is gone.
    rows = {
        "start": {"form": 0.9 + 0.05 * 0.75, "lost": 0.05 * 0.25},
        "form": {"done": 0.5, "form": 0.3 * 0.75, "lost": 0.3 * 0.25},
    }
    ids = ["start", "form", "done", "lost"]
    assert after([{"touchpoint": "help", "remove": True}]) == pytest.approx(dense(rows, ids, {"form": 2.0}), abs=1e-9)


def test_adding_a_step_takes_its_customers_from_those_who_leave() -> None:
    changes = [{"add": "chat", "name": "Chat", "from": "form", "share": 0.15, "next": [{"to": "done", "share": 0.5}], "cost": 1.0}]
    rows = {**BASE_ROWS, "form": {"done": 0.5, "help": 0.3, "chat": 0.15}, "chat": {"done": 0.5}}
    ids = ["start", "form", "chat", "help", "done", "lost"]
    assert after(changes) == pytest.approx(dense(rows, ids, {**COST, "chat": 1.0}), abs=1e-9)


def test_a_metric_at_its_target_stops_a_touchpoint_being_weak() -> None:
    result = what_if(base(), [{"touchpoint": "form", "metric": "csat", "value": "target"}])
    assert result.before.weak == ["form"] and result.after.weak == []
    assert result.to_json()["weak"] == {"before": ["form"], "after": [], "no_longer_weak": ["form"], "newly_weak": []}
    assert result.conversion_gained == 0


def test_whatif_json_has_the_documented_keys() -> None:
    data = what_if(base(), [{"touchpoint": "form", "drop_off": 0.1}], scenario="s").to_json()
    assert {"scenario", "conversion", "value_per_period", "weak", "outcomes", "expected_touchpoints", "cost_per_period"} <= set(data)
    assert set(data["conversion"]) == {"before", "after"}
    assert data["value_per_period"]["currency"] == "EUR" and data["value_per_period"]["period"] == "month"
    assert data["value_gained"] == pytest.approx(data["value_per_period"]["after"] - data["value_per_period"]["before"], abs=1e-5)


def test_scenarios_are_ranked_by_value_gained() -> None:
    results = what_ifs(load(BANK))
    gains = [r.value_gained for r in results]
    assert all(g is not None for g in gains)
    assert gains == sorted(gains, reverse=True)  # type: ignore[type-var]
    assert [r.scenario for r in results][0] == "id-check-first-time"


def test_apply_changes_leaves_the_journey_alone() -> None:
    journey = base()
    before = journey.model_dump()
    apply_changes(journey, [{"touchpoint": "help", "remove": True}])
    assert journey.model_dump() == before


# -- --set ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("form.drop_off=0.1", {"touchpoint": "form", "drop_off": 0.1}),
        ("form.drop_off=10%", {"touchpoint": "form", "drop_off": 0.1}),
        ("form->done.share=0.6", {"from": "form", "to": "done", "share": 0.6}),
        ("form.csat=target", {"touchpoint": "form", "metric": "csat", "value": "target"}),
        ("form.csat=85%", {"touchpoint": "form", "metric": "csat", "value": 0.85}),
        ("form.targets=met", {"touchpoint": "form", "meets_targets": True}),
        ("help=removed", {"touchpoint": "help", "remove": True}),
    ],
)
def test_set_grammar(text: str, change: dict[str, object]) -> None:
    assert parse_set(text, base()) == pytest.approx(change)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("frm.drop_off=0.1", "unknown touchpoint 'frm' (did you mean 'form'?)"),
        ("form.drop_of=0.1", "unknown metric 'drop_of' (did you mean 'drop_off'?)"),
        ("form->dne.share=0.6", "has no flow to 'dne' (did you mean 'done'?)"),
        ("form->done.shar=0.6", "a flow has a share, not 'shar' (did you mean 'share'?)"),
        ("form.drop_off=1.5", "outside 0..1"),
        ("form.drop_off=lots", "must be a number from 0 to 1"),
        ("form.drop_off", "no '='"),
        ("form.drop_off=target", "has no drop_off target"),
        ("form.csat=2", "csat"),
        ("start=removed", "'start' is where customers start; remove a later step"),
        ("done=removed", "'done' is an outcome and cannot be removed"),
        ("start->form.share=0.99", "the shares of 'start' add up to 1.04, more than 1 (its other flows keep 0.05; give at most 0.95)"),
    ],
)
def test_set_errors_say_what_and_did_you_mean(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=None) as info:
        parse_set(text, base())
    assert message in str(info.value)


# -- validation in the journey file ----------------------------------------------------------


def problems_of(tmp_path: Path, extra: str) -> list[str]:
    path = tmp_path / "j.journey.yaml"
    path.write_text(HEADER + extra, encoding="utf-8")
    return [f"{p.span.line}:{p.span.col} {p.code} {p.message}" + (f" ({p.hint})" if p.hint else "") for p in check(path).problems]


def test_scenario_problems_are_all_reported_with_positions(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        "scenarios:\n"
        "  - id: s\n"
        "    name: S\n"
        "    changes:\n"
        "      - {touchpoint: frm, drop_off: 0.1}\n"
        "      - {from: form, to: dne, share: 0.2}\n"
        "      - {from: form, to: done, share: 0.8}\n"
        "      - {touchpoint: done, drop_off: 0.1}\n"
        "      - {touchpoint: start, metric: csat, value: target}\n"
        "      - {touchpoint: form, share: 0.2}\n"
        "      - {touchpoint: start, remove: true}\n"
        "  - id: s\n"
        "    name: Again\n"
        "    changes: [{touchpoint: form, meets_targets: true}]\n",
    )
    assert found == [
        "19:22 unknown-reference scenario 's', change #1: unknown touchpoint 'frm' (did you mean 'form'?)",
        "20:26 unknown-flow scenario 's', change #2: touchpoint 'form' has no flow to 'dne' (did you mean 'done'?)",
        "21:39 share-sum scenario 's', change #3: with this change the shares of 'form' add up to 1.1, more than 1"
        " (the other flows of 'form' keep 0.3; lower this share to at most 0.7, or change the others first)",
        "22:22 change-at-outcome scenario 's', change #4: 'done' is an outcome; customers end there, they do not drop off"
        " (change the drop-off of a touchpoint before it)",
        "24:9 invalid-change scenario 's', change #6: touchpoint, share alone make no change (a change is one of:"
        " {touchpoint, drop_off}, {from, to, share}, {touchpoint, metric, value}, {touchpoint, meets_targets: true},"
        " {touchpoint, remove: true}, {add, from, share, next})",
        "25:22 remove-entry scenario 's', change #7: 'start' is where customers start and cannot be removed"
        " (remove a later step, or change the flows out of it)",
        "26:9 duplicate-id scenario id 's' is used twice (first at line 16) (ids must be unique per kind within a journey)",
    ]  # change #5 is fine: csat has a journey-wide target


def test_value_model_problems(tmp_path: Path) -> None:
    text = HEADER.replace(
        "value: {currency: EUR, volume: 1000, outcomes: {success: 100, failure: -10}, leave: -1}",
        "value: {currency: euro, volume: -5, outcomes: {sucess: 1, form: 2}, period: fortnight}",
    )
    path = tmp_path / "v.journey.yaml"
    path.write_text(text, encoding="utf-8")
    found = [(p.code, p.message, p.hint) for p in check(path).problems]
    assert ("invalid-value", "'euro' is not an ISO 4217 currency code", "three capital letters, e.g. EUR, GBP, USD") in found
    assert any(code == "out-of-range" and "volume" in message for code, message, _ in found)
    assert any(code == "invalid-value" and "fortnight" in message for code, message, _ in found)
    assert ("unknown-reference", "value: unknown outcome 'sucess'", "did you mean 'success'?") in found
    assert any(code == "not-an-outcome" and "'form'" in message for code, message, _ in found)


def test_cost_without_a_value_model_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "c.journey.yaml"
    path.write_text(HEADER.replace("value: {currency: EUR, volume: 1000, outcomes: {success: 100, failure: -10}, leave: -1}\n", ""), encoding="utf-8")
    result = check(path)
    assert [(p.code, p.level, p.span.line) for p in result.problems] == [("cost-without-value", "warning", 10)]


def test_opportunity_problems(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        "opportunities:\n"
        "  - {id: o, name: O, touchpoints: [frm], scenario: nope, effort: XXL, link: 'javascript:alert(1)'}\n"
        "  - {id: p, name: P, link: 'https://tracker.example/1', changes: [{touchpoint: form, drop_off: 0.1}], effort: 3}\n",
    )
    assert any("unknown touchpoint 'frm' (did you mean 'form'?)" in f for f in found)
    assert any("unknown scenario 'nope'" in f for f in found)
    assert any("invalid-link" in f for f in found)
    assert any("effort" in f and "invalid-value" in f for f in found)
    assert not any(f.startswith("14:") for f in found)  # the second opportunity is fine


# -- the command ---------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["whatif", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_whatif_text_golden(capsys: pytest.CaptureFixture[str], golden: object) -> None:
    code, out, err = run(capsys, BANK)
    assert code == 0 and err == ""
    golden.check("whatif/bank.txt", out)  # type: ignore[attr-defined]


def test_whatif_markdown_golden(capsys: pytest.CaptureFixture[str], golden: object) -> None:
    code, out, err = run(capsys, TELECOM, "--format", "markdown")
    assert code == 0 and err == ""
    golden.check("whatif/telecom.md", out)  # type: ignore[attr-defined]


def test_whatif_markdown_renders_in_commonmark(capsys: pytest.CaptureFixture[str]) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    _, out, _ = run(capsys, BANK, "--format", "markdown")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(out)
    assert html.count("<table>") == 3
    assert "<td>conversion</td>" in html and "&lt;script" not in out


def test_whatif_json_for_set_and_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, BANK, "--set", "capture-id-document.drop_off=0.15", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["scenario"] == "command-line"
    assert data["conversion"]["after"] > data["conversion"]["before"]
    code, out, _ = run(capsys, BANK, "--scenario", "agents-see-kyc-case", "--format", "json")
    assert json.loads(out)["scenario"] == "agents-see-kyc-case"
    code, out, _ = run(capsys, BANK, "--format", "json")
    assert [d["scenario"] for d in json.loads(out)] == ["id-check-first-time", "agents-see-kyc-case", "review-status-in-app"]


def test_whatif_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, BANK, "--scenario", "id-check-first")
    assert code == 2 and "unknown scenario 'id-check-first' (did you mean 'id-check-first-time'?)" in err
    code, _, err = run(capsys, BANK, "--set", "capture-id-documnt.drop_off=0.1")
    assert code == 2 and "did you mean 'capture-id-document'?" in err
    code, _, err = run(capsys, tmp_path / "missing.yaml")
    assert code == 2 and "no such file" in err
    code, _, err = run(capsys, BANK, "--scenario", "x", "--set", "a.drop_off=0")
    assert code == 2 and "not both" in err


def test_scenario_names_are_inert_in_the_terminal_and_markdown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "x.journey.yaml"
    path.write_text(
        HEADER + "scenarios:\n  - id: s\n    name: \"<script>x</script> | \\e[31mred\"\n    changes: [{touchpoint: form, drop_off: 0.1}]\n",
        encoding="utf-8",
    )
    _, out, _ = run(capsys, path)
    assert "\x1b" not in out
    _, out, _ = run(capsys, path, "--format", "markdown")
    assert "<script>" not in out and "\\|" in out


# -- value in the report ---------------------------------------------------------------------


def test_report_text_has_the_value_section_fix_first_by_money_and_sensitivity_sentences(
    capsys: pytest.CaptureFixture[str], golden: object
) -> None:
    code = main(["report", str(BANK)])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "  value a month         £586,717 (11,000 customers a month, from the entries' volumes)" in out
    assert "Weak touchpoints (4 of 20), most value at stake first" in out
    assert "1 point less drop-off at capture-id-document is worth +0.36 points of conversion (+£6,845 a month)" in out
    golden.check("report/bank-value.txt", out)  # type: ignore[attr-defined]


def test_report_markdown_value_golden_and_commonmark(capsys: pytest.CaptureFixture[str], golden: object) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    code = main(["report", str(TELECOM), "--format", "markdown"])
    out, _ = capsys.readouterr()
    assert code == 0
    golden.check("report/telecom-value.md", out)  # type: ignore[attr-defined]
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(out)
    assert '<th style="text-align:right">At stake</th>' in html
    assert "<h2>Where one point of drop-off is worth most</h2>" in html


def test_journeys_without_a_value_model_keep_their_report() -> None:
    grocery = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
    from journeymap.cli.report import format_text

    analysis = analyze(load(grocery))
    assert analysis.value is None and analysis.fix_first == analysis.weak
    text = format_text(analysis)
    assert "highest impact first" in text and "at stake" not in text and "point less drop-off" not in text


def test_value_at_stake_in_the_report_equals_the_meets_targets_scenario() -> None:
    journey = load(BANK)
    analysis = analyze(journey)
    for tp in analysis.fix_first:
        stake = analysis.touchpoints[tp].value_at_stake
        if stake is None:
            continue
        result = what_if(journey, [{"touchpoint": tp, "drop_off": stake.drop_off_after}], before=analysis)
        assert stake.conversion_after == pytest.approx(result.after.conversion, abs=1e-9)
        assert stake.value_per_period == pytest.approx(result.value_gained, abs=1e-6)


def test_a_change_naming_a_touchpoint_an_earlier_change_removed_is_an_error_at_its_position(tmp_path: Path) -> None:
    # Before: the file loaded clean and whatif stopped with "internal error: KeyError: 'help'".
    found = problems_of(
        tmp_path,
        "scenarios:\n"
        "  - id: s\n"
        "    name: S\n"
        "    changes:\n"
        "      - {touchpoint: help, remove: true}\n"
        "      - {from: help, to: form, share: 0.8}\n"
        "      - {touchpoint: help, drop_off: 0.1}\n"
        "      - {from: start, to: help, share: 0.1}\n"
        "      - {add: bot, from: start, share: 0.01, next: [help]}\n",
    )
    gone = "'help' was removed by change #1 (change it before it is removed, or leave the removal out)"
    assert found == [
        f"20:16 removed-touchpoint scenario 's', change #2: {gone}",
        f"21:22 removed-touchpoint scenario 's', change #3: {gone}",
        f"22:27 removed-touchpoint scenario 's', change #4: {gone}",
        f"23:53 removed-touchpoint scenario 's', change #5: next: {gone}",
    ]


def test_a_touchpoint_removed_then_added_again_is_a_new_touchpoint(tmp_path: Path) -> None:
    """A scenario that replaces a step (remove 'help', then add a new 'help' elsewhere) was told "touchpoint 'help'
    already exists" (duplicate-id), though the change before removed it and whatif applies the two in order. The
    added one is a new touchpoint from that change on: later changes may name it; one before the adding still may not."""
    scenario = ("scenarios:\n  - id: s\n    name: S\n    changes:\n"
                "      - {touchpoint: help, remove: true}\n"
                "      - {from: start, to: help, share: 0.01}\n"
                "      - {add: help, from: start, share: 0.05, next: [{to: done, share: 0.5}], cost: 1}\n"
                "      - {touchpoint: help, drop_off: 0.2}\n")
    gone = "'help' was removed by change #1 (change it before it is removed, or leave the removal out)"
    assert problems_of(tmp_path, scenario) == [f"20:27 removed-touchpoint scenario 's', change #2: {gone}"]
    assert problems_of(tmp_path, scenario.replace("      - {from: start, to: help, share: 0.01}\n", "")) == []
    journey = load(tmp_path / "j.journey.yaml")
    result = what_if(journey, journey.scenarios[0].changes)
    # help removed: start's and form's flows to it go on along its flows (form 0.6, lost 0.2 of 0.8); then a new help
    # from start (0.05 of those who left there), on to done 0.5 of its customers, 0.8 once its drop-off is 0.2
    rows = {"start": {"form": 0.9 + 0.05 * 0.6 / 0.8, "lost": 0.05 * 0.2 / 0.8, "help": 0.05},
            "form": {"done": 0.5, "form": 0.3 * 0.6 / 0.8, "lost": 0.3 * 0.2 / 0.8}, "help": {"done": 0.8}}
    conversion, value = dense(rows, cost={"form": 2.0, "help": 1.0})
    assert result.after.conversion == pytest.approx(conversion, abs=1e-12)


def test_after_a_removal_the_flows_it_rerouted_can_be_changed(tmp_path: Path) -> None:
    # start -> help is rerouted to help's flows (form, lost) when help is removed: start now flows to lost.
    scenario = "scenarios:\n  - id: s\n    name: S\n    changes:\n      - {touchpoint: help, remove: true}\n      - {from: start, to: lost, share: 0.01}\n"
    assert problems_of(tmp_path, scenario) == []
    path = tmp_path / "j.journey.yaml"
    journey = load(path)
    rows = {"start": {"form": 0.9 + 0.05 * 0.6 / 0.8}, "form": {"done": 0.5, "lost": 0.3 * 0.2 / 0.8}}
    rows["start"]["lost"] = 0.01
    rows["form"]["form"] = 0.3 * 0.6 / 0.8
    result = what_if(journey, journey.scenarios[0].changes)
    conversion, value = dense(rows, ids=["start", "form", "done", "lost"], cost={"form": 2.0})
    assert result.after.conversion == pytest.approx(conversion, abs=1e-12)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_an_implausible_set_value_is_warned_as_in_a_journey_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    """--set form.response_time=1e9 (31 years: an export's milliseconds, 11 days) was taken without a word, where the
    same value in the journey file or a metrics table is an implausible-value warning. It is the same check and words,
    on standard error; the what-if is computed with the value as written."""
    path = tmp_path / "j.journey.yaml"
    path.write_text(HEADER, encoding="utf-8")
    code, out, err = run(capsys, path, "--set", "form.response_time=1e9", "--set", "help.response_time=2h", "--format", fmt)
    assert code == 0 and out
    assert err == ("journeymap whatif: warning: --set 'form.response_time=1e9': Response time 1e9 is 11574d1h,"
                   " about 32 years: over a year is implausible for a response time; it is read as written (a number is"
                   " read as seconds: if it counts milliseconds, as tools often export durations, write 11d13h46m40s)\n")
    assert "form response_time at 11574d1h" in out or '"value": 1000000000.0' in out  # read as written
    assert parse_sets(["form.response_time=1e9"], base()) == [{"touchpoint": "form", "metric": "response_time", "value": 1e9}]


def test_an_implausible_scenario_value_is_warned_as_a_touchpoints_is(tmp_path: Path) -> None:
    """The same response time of 1e9 seconds in a scenario of the journey file passed validate without a word, where
    a touchpoint's metric gets an implausible-value warning: a scenario's value is checked alike."""
    scenario = "scenarios:\n  - id: s\n    name: S\n    changes:\n      - {touchpoint: form, metric: response_time, value: 1e9}\n"
    assert problems_of(tmp_path, scenario) == [
        "19:58 implausible-value scenario 's', change #1: Response time 1000000000 is 11574d1h, about 32 years: over a year is"
        " implausible for a response time; it is read as written (a number is read as seconds: if it counts milliseconds,"
        " as tools often export durations, write 11d13h46m40s)"]
    assert check(tmp_path / "j.journey.yaml").journey is not None


def test_set_after_removing_the_same_touchpoint_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "j.journey.yaml"
    path.write_text(HEADER, encoding="utf-8")
    code, out, err = run(capsys, path, "--set", "help=removed", "--set", "help->form.share=0.8")
    assert code == 2 and out == ""
    assert "journeymap whatif: error: --set 'help->form.share=0.8': 'help' was removed by an earlier --set" in err and "internal error" not in err


def test_apply_changes_refuses_a_change_to_a_touchpoint_it_removed() -> None:
    with pytest.raises(ScenarioError, match="'help' was removed by an earlier change"):
        apply_changes(base(), [{"touchpoint": "help", "remove": True}, {"touchpoint": "help", "drop_off": 0.5}])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ([{"touchpoint": "pay", "drop_off": 0.1}], "unknown touchpoint 'pay'"),
        ([{"touchpoint": "hepl", "remove": True}], "unknown touchpoint 'hepl' (did you mean 'help'?)"),
        ([{"from": "strat", "to": "form", "share": 0.5}], "unknown touchpoint 'strat' (did you mean 'start'?)"),
        ([{"add": "chat", "from": "form", "share": 0.1, "next": ["dnoe"]}], "unknown touchpoint 'dnoe' (did you mean 'done'?)"),
        ([{"touchpoint": "form"}], "a change needs"),
    ],
)
def test_what_if_from_python_says_which_touchpoint_it_does_not_know(changes: list[dict[str, object]], message: str) -> None:
    """The README's `journeymap.what_if(journey, [{"touchpoint": "pay", "drop_off": 0.1}])` on a journey
    with no 'pay' raised a bare KeyError: 'pay' (and a change of no form an AssertionError), where
    apply_changes promises a ScenarioError that says why."""
    with pytest.raises(ScenarioError, match=re.escape(message)):
        what_if(base(), changes)
    # zeros are values: a drop-off of 0 or a share of 0 is a change of its form
    assert what_if(base(), [{"touchpoint": "form", "drop_off": 0}]).after.conversion > what_if(base(), []).after.conversion
    what_if(base(), [{"from": "start", "to": "help", "share": 0}])


def test_a_scenario_with_an_empty_changes_list_says_so(tmp_path: Path) -> None:
    # Before: "'changes' must be [low, high]", the message of a metric's scale.
    found = problems_of(tmp_path, "scenarios:\n  - id: s\n    name: S\n    changes: []\n")
    assert found == [
        "18:14 invalid-value scenario 's': 'changes' is an empty list; a scenario needs at least one change"
        " (for example: changes: [{touchpoint: ID, drop_off: 0.1}])"
    ]


def test_whatif_without_a_value_model_says_it_shows_conversion_only(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Before: the cost and value rows were just missing, with no word why.
    path = tmp_path / "j.journey.yaml"
    path.write_text(HEADER.replace("value: {currency: EUR, volume: 1000, outcomes: {success: 100, failure: -10}, leave: -1}\n", ""), encoding="utf-8")
    note = "no value model: conversion only (add 'value: {currency: EUR, volume: ..., outcomes: {success: ...}}' for cost and value)"
    code, out, _ = run(capsys, path, "--set", "form.drop_off=0.1")
    assert code == 0 and out.splitlines()[1] == note
    assert "cost a month" not in out and "value per customer" not in out
    code, out, _ = run(capsys, path, "--set", "form.drop_off=0.1", "--format", "markdown")
    assert code == 0 and out.splitlines()[2] == note[0].upper() + note[1:] + "."


def test_whatif_without_a_volume_says_its_values_are_per_customer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "j.journey.yaml"
    path.write_text(HEADER.replace("currency: EUR, volume: 1000,", "currency: EUR,"), encoding="utf-8")
    code, out, _ = run(capsys, path, "--set", "form.drop_off=0.1")
    assert code == 0
    assert out.splitlines()[1] == "no volume: value per customer only (set value.volume, or a volume on every entry)"
    assert "value per customer" in out and " a month" not in out


def test_a_metric_change_is_shown_on_the_metric_s_scale(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Before: '- form csat at 0.9' for --set form.csat=90%.
    path = tmp_path / "j.journey.yaml"
    path.write_text(HEADER, encoding="utf-8")
    code, out, _ = run(capsys, path, "--set", "form.csat=90%", "--set", "form.ces=6.5")
    assert code == 0
    assert "   - form csat at 90%\n   - form ces at 6.5\n" in out
    code, out, _ = run(capsys, path, "--set", "form.csat=90%", "--format", "markdown")
    assert "- form csat at 90%\n" in out
    code, out, _ = run(capsys, path, "--set", "form.csat=target")
    assert "   - form csat at its target\n" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Before: "no '='" (there is one), no hint, or an error without the --set it came from.
        ("=0.1", "--set '=0.1': nothing before '='; write TOUCHPOINT.drop_off=0.15"),
        ("help=remove", "--set 'help=remove': write help=removed to skip the step"),
        ("form.drop_off=0,15", "--set 'form.drop_off=0,15': a drop-off must be a number from 0 to 1, not '0,15' (write the decimal point as a dot: 0.15)"),
        ("form.drop_off=15", "--set 'form.drop_off=15': a drop-off 15 is outside 0..1 (did you mean 15%? write 0.15)"),
        ("form->done.share=60", "--set 'form->done.share=60': a share 60 is outside 0..1 (did you mean 60%? write 0.6)"),
        ("form.csat=99", "--set 'form.csat=99': CSAT 99 is outside its scale 0..1 (did you mean 99%?)"),
        ("start.nps=target", "--set 'start.nps=target': metric 'nps' has no target at 'start' (set a target (touchpoint, stage or journey), or give a value: start.nps=VALUE)"),
    ],
)
def test_set_errors_say_what_to_write(text: str, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_set(text, base())
    assert str(info.value).startswith(message)


def test_where_one_point_is_worth_most_leaves_out_touchpoints_nobody_reaches(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Before: '1 point less drop-off at orphan is worth +0.00 points of conversion (€0.00 a month)', for a
    # touchpoint no entry leads to.
    path = tmp_path / "j.journey.yaml"
    text = HEADER.replace("{id: start, name: S,", "{id: start, name: S, entry: true,")
    path.write_text(text + "  - {id: orphan, name: O, stage: one, channel: web, next: [{to: done, share: 0.5}]}\n", encoding="utf-8")
    assert main(["report", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Where one point of drop-off is worth most" in out and "orphan is worth" not in out
    assert "  - 1 point less drop-off at form is worth" in out


def test_a_new_touchpoint_s_cost_beyond_what_journeymap_computes_with_is_an_error(tmp_path: Path) -> None:
    # Before: the scenario's value a month was '-€inf', and its JSON -Infinity.
    found = problems_of(tmp_path, "scenarios:\n  - id: s\n    name: S\n    changes:\n      - {add: bot, from: start, share: 0.01, next: [form], cost: 1e300}\n")
    assert found == [
        "19:66 out-of-range scenario 's', change #1: the amount 1e+300 is more than journeymap computes with"
        " (amounts and volumes go up to 1e15 in size (a quadrillion); is the exponent a typo?)"
    ]


def test_scenarios_of_equal_worth_keep_file_order_and_a_repeated_scenario_is_shown_once(tmp_path: Path) -> None:
    # Before: 'twice' and 'once' end with the same shares, but float rounding made 'once' worth 1.5e-11 more and put
    # it first; '--scenario once --scenario once' showed it twice.
    path = tmp_path / "j.journey.yaml"
    path.write_text(
        HEADER + "scenarios:\n"
        "  - {id: twice, name: Twice, changes: [{touchpoint: form, drop_off: 0.3}, {touchpoint: form, drop_off: 0.1}]}\n"
        "  - {id: once, name: Once, changes: [{touchpoint: form, drop_off: 0.1}]}\n",
        encoding="utf-8",
    )
    journey = load(path)
    results = what_ifs(journey)
    assert results[0].value_gained == pytest.approx(results[1].value_gained, abs=1e-6)
    assert [r.scenario for r in results] == ["twice", "once"]
    assert [r.scenario for r in what_ifs(journey, ["once", "once", "twice"])] == ["once", "twice"]


def test_a_second_change_to_the_same_flow_or_drop_off_is_a_warning(tmp_path: Path) -> None:
    # Before: both were applied in silence, the first one for nothing.
    found = problems_of(
        tmp_path,
        "scenarios:\n"
        "  - id: s\n"
        "    name: S\n"
        "    changes:\n"
        "      - {from: form, to: done, share: 0.6}\n"
        "      - {touchpoint: help, drop_off: 0.1}\n"
        "      - {from: form, to: done, share: 0.65}\n"
        "      - {touchpoint: help, drop_off: 0.05}\n",
    )
    assert found == [
        "21:9 changed-again scenario 's', change #3: sets the share of form -> done again, after change #1"
        " (only the last counts: remove the earlier change)",
        "22:9 changed-again scenario 's', change #4: sets the drop-off of 'help' again, after change #2"
        " (only the last counts: remove the earlier change)",
    ]
    path = tmp_path / "j.journey.yaml"
    assert [p.level for p in check(path).problems] == ["warning", "warning"]


@pytest.mark.parametrize(
    ("change", "col", "hint"),
    [
        # Before: no hint; a change in --set's words is a natural thing to paste into the file.
        ("form.drop_off=0.1", 9, "write it as a mapping: {touchpoint: form, drop_off: 0.1}"),
        ("'start->form.share=0.8'", 9, "write it as a mapping: {from: start, to: form, share: 0.8}"),
        ("form.csat=target", 9, "write it as a mapping: {touchpoint: form, metric: csat, value: target}"),
        ("form.targets=met", 9, "write it as a mapping: {touchpoint: form, meets_targets: true}"),
        ("help=removed", 9, "write it as a mapping: {touchpoint: help, remove: true}"),
    ],
)
def test_a_change_written_as_set_is_told_its_mapping(tmp_path: Path, change: str, col: int, hint: str) -> None:
    found = problems_of(tmp_path, f"scenarios:\n  - id: s\n    name: S\n    changes:\n      - {change}\n")
    text = change.strip("'")
    assert found == [f"19:{col} wrong-type scenario 's', change #1: 'changes' item #1 must be a mapping, not the text '{text}' ({hint})"]


def test_a_drop_off_written_as_a_percentage_is_told_the_fraction(tmp_path: Path) -> None:
    found = problems_of(tmp_path, "scenarios:\n  - id: s\n    name: S\n    changes:\n      - {touchpoint: form, drop_off: 10%}\n")
    assert found == [
        "19:38 wrong-type scenario 's', change #1: 'drop_off' must be a number, not the text '10%'"
        " (write 0.1; a drop-off is a fraction of the customers, from 0 to 1)"
    ]


def test_whatif_says_when_a_change_makes_a_loop_nobody_leaves(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Before: 12.8% of customers 'stuck' appeared in the table with no word why.
    path = tmp_path / "j.journey.yaml"
    path.write_text(
        HEADER + "scenarios:\n  - {id: bot, name: Bot, changes: [{add: bot, from: form, share: 0.1, next: [{to: bot, share: 1.0}]}]}\n",
        encoding="utf-8",
    )
    note = (
        "customers who reach the loop bot never leave it (its shares stay inside); they are counted as stuck, never succeeding;"
        " their value counts one visit of each of its touchpoints (its cost and revenue once), not the endless visits its shares say"
    )
    code, out, _ = run(capsys, path)
    assert code == 0 and f"   note: {note}\n" in out
    code, out, _ = run(capsys, path, "--format", "markdown")
    assert f"Note: {note}.\n" in out
    code, out, _ = run(capsys, path, "--scenario", "bot", "--format", "json")
    assert json.loads(out)["notes"] == [note]


def test_a_metric_change_at_a_touchpoint_without_that_metric_says_it_measures_nothing_there(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Before: 'start csat at its target' and an unchanged table: start has no CSAT to bring to its target.
    path = tmp_path / "j.journey.yaml"
    path.write_text(HEADER, encoding="utf-8")
    code, out, _ = run(capsys, path, "--set", "start.csat=target")
    assert code == 0
    assert "   note: start has no csat value: this change gives it one, which cannot make it less weak\n" in out
    code, out, _ = run(capsys, path, "--set", "form.csat=target")
    assert "note:" not in out


def test_whatif_on_a_journey_without_scenarios_says_what_to_do(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Before: '... or give --scenario or --set' (--scenario names a scenario there is none of); Markdown 'No scenarios.'
    path = tmp_path / "j.journey.yaml"
    path.write_text(HEADER, encoding="utf-8")
    said = "No scenarios: add some under 'scenarios:' in the journey, or give changes with --set (TOUCHPOINT.drop_off=0.15, say)."
    code, out, _ = run(capsys, path)
    assert code == 0 and out == said + "\n"
    code, out, _ = run(capsys, path, "--format", "markdown")
    assert code == 0 and out == said.replace("'scenarios:'", "`scenarios:`").replace("--set (TOUCHPOINT.drop_off=0.15, say)", "`--set` (`TOUCHPOINT.drop_off=0.15`, say)") + "\n"


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        # Before: "the shares of 'form' would add up to more than 1" (no --set, no numbers), and "its other flows
        # keep 0.5" for a flow an earlier --set had scaled to 0.625.
        (["form->done.share=0.7", "form->help.share=0.35"],
         "--set 'form->help.share=0.35': with this share the shares of 'form' add up to 1.05, more than 1 (its other flows keep 0.7; give at most 0.3)"),
        (["form.drop_off=0", "form->help.share=0.6"],
         "--set 'form->help.share=0.6': with this share the shares of 'form' add up to 1.23, more than 1 (its other flows keep 0.625; give at most 0.375)"),
        (["help=removed", "help.drop_off=0.1"], "--set 'help.drop_off=0.1': 'help' was removed by an earlier --set"),
    ],
)
def test_each_set_is_checked_against_the_journey_the_earlier_ones_made(capsys: pytest.CaptureFixture[str], tmp_path: Path, sets: list[str], message: str) -> None:
    path = tmp_path / "j.journey.yaml"
    path.write_text(HEADER, encoding="utf-8")
    code, out, err = run(capsys, path, *[f"--set={s}" for s in sets])
    assert code == 2 and out == ""
    assert f"journeymap whatif: error: {message}" in err
