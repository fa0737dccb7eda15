"""analyze(): metric statuses against targets, weak touchpoints with reasons, impact
ranking, entry weighting, data-file overrides, and the JSON contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import journeymap
from journeymap.analysis import analyze
from journeymap.loader import load, load_text
from journeymap.model import Journey

SAMPLES = Path(__file__).resolve().parent.parent / "sample_journeys"

TEXT = """\
journeymap: 1
id: t
title: Test journey
personas: [{id: p, name: P}, {id: q, name: Q}]
channels: [{id: web, name: Web}]
stages:
  - {id: one, name: One, targets: {csat: 0.85}}
  - {id: two, name: Two}
metrics:
  csat: {target: 0.80}
  drop_off: {target: 0.2}
weak: {min_n: 30, friction_severity: 4, emotion: -1}
touchpoints:
  - id: a
    name: A
    stage: one
    channel: web
    metrics: {csat: {value: 0.80, n: 2000}, volume: 300}
    next: [{to: b, share: 0.5}, {to: c, share: 0.4}]
  - id: b
    name: B
    stage: one
    channel: web
    personas: [p]
    metrics: {csat: {value: 0.55, n: 12}}
    friction: [{type: effort, severity: 3, note: Long form}]
    next: [win]
  - id: c
    name: C
    stage: two
    channel: web
    emotion: -1.5
    metrics: {csat: {value: 0.9, target: 0.95}, drop_off: 0.35}
    friction: [{type: error, severity: 4, note: Card declined}]
    next: [{to: win, share: 0.5}, {to: lose, share: 0.3}]
  - {id: win, name: W, stage: two, channel: web, outcome: success, metrics: {nps: 35}}
  - {id: lose, name: L, stage: two, channel: web, outcome: failure}
"""


@pytest.fixture
def journey() -> Journey:
    return load_text(TEXT)


def test_targets_touchpoint_over_stage_over_journey_and_statuses(journey: Journey) -> None:
    analysis = analyze(journey)
    a, b, c, win = (analysis.touchpoints[t].metrics for t in ("a", "b", "c", "win"))
    assert (a["csat"].target, a["csat"].target_source, a["csat"].status) == (0.85, "stage", "below_target")
    assert (c["csat"].target, c["csat"].target_source, c["csat"].status) == (0.95, "touchpoint", "below_target")
    assert (c["drop_off"].target, c["drop_off"].target_source) == (0.2, "journey")
    assert c["drop_off"].status == "above_target"  # lower is better
    assert (b["csat"].status, b["csat"].low_confidence, b["csat"].n) == ("low_confidence", True, 12)
    assert win["nps"].status == "no_target"
    assert a["volume"].status == "no_target"
    assert a["csat"].text == "80%" and a["csat"].target_text == "85%"
    assert a["csat"].source == "journey"


def test_weak_touchpoints_with_reasons_evidence_first(journey: Journey) -> None:
    analysis = analyze(journey)
    assert analysis.weak == ["a", "c"]
    assert analysis.touchpoints["a"].reasons == ["CSAT 80% is below the 85% stage target (95% CI 78.2–81.7%, n=2,000)"]
    # Missed targets first (worst miss first), then friction, then emotion, though the
    # emotion is the worst signal here (it sets the impact, below).
    assert analysis.touchpoints["c"].reasons == [
        "Drop-off 35% is above the 20% target",
        "CSAT 90% is below the 95% touchpoint target",
        "friction 'error' severity 4: Card declined",
        "emotion -1.5 is at or below -1",
    ]
    b = analysis.touchpoints["b"]
    assert not b.weak and b.reasons == [] and b.impact == 0.0
    assert b.notes == ["CSAT 55% misses the 85% stage target but rests on only 12 responses"]


def test_impact_is_reach_times_worst_severity(journey: Journey) -> None:
    analysis = analyze(journey)
    a, c = analysis.touchpoints["a"], analysis.touchpoints["c"]
    assert a.reach == pytest.approx(1.0) and c.reach == pytest.approx(0.4)
    assert a.severity == pytest.approx(0.5 + 0.5 * 0.05 / 0.85)  # CSAT 5 points short of 85, room 85
    assert c.severity == pytest.approx((2 + 1.5) / 4)  # the emotion is its worst signal
    assert a.impact == pytest.approx(a.reach * a.severity)
    assert c.impact == pytest.approx(0.4 * 0.875)


def test_flow_figures(journey: Journey) -> None:
    analysis = analyze(journey)
    assert analysis.conversion == pytest.approx(0.5 + 0.4 * 0.5)
    assert analysis.entries == {"a": 1.0} and analysis.entry_weighting == "single"
    assert analysis.touchpoints["b"].removal_effect == pytest.approx(0.5 / 0.7)
    assert analysis.touchpoints["c"].removal_effect == pytest.approx(0.2 / 0.7)
    assert [s.id for s in analysis.stages] == ["one", "two"]
    assert analysis.stages[0].reach == 1.0
    assert analysis.stages[0].drop_off == pytest.approx(0.1)  # a leaves 0.1; b and c move on or succeed
    assert analysis.stages[1].drop_off == pytest.approx(1 - 0.7 / 0.9)
    assert analysis.outcomes == pytest.approx({"success": 0.7, "failure": 0.12, "leave": 0.18, "stuck": 0.0})
    # the analysis writes its figures onto its graph for users' own algorithms
    assert analysis.graph.g.nodes["c"]["reach"] == pytest.approx(0.4)
    assert analysis.graph.g.nodes["c"]["weak"] is True


def test_thresholds_come_from_the_weak_block(journey: Journey) -> None:
    strict = load_text(TEXT.replace("friction_severity: 4", "friction_severity: 3").replace("min_n: 30", "min_n: 10"))
    analysis = analyze(strict)
    b = analysis.touchpoints["b"]
    assert b.weak
    # the CSAT miss (0.5 + 0.5 * 30/85) is worse than friction 3 (3/5)
    assert b.reasons == ["CSAT 55% is below the 85% stage target (95% CI 29.3–78.3%, n=12)", "friction 'effort' severity 3: Long form"]
    lenient = analyze(load_text(TEXT.replace("emotion: -1}", "emotion: -2}")))
    assert "emotion -1.5 is at or below -1" not in lenient.touchpoints["c"].reasons


def test_a_low_confidence_miss_alone_never_makes_a_touchpoint_weak() -> None:
    text = TEXT.replace("friction: [{type: effort, severity: 3, note: Long form}]", "friction: []")
    analysis = analyze(load_text(text))
    b = analysis.touchpoints["b"]
    assert not b.weak and b.reasons == []
    assert b.metrics["csat"].status == "low_confidence"
    assert b.notes == ["CSAT 55% misses the 85% stage target but rests on only 12 responses"]
    meets = analyze(load_text(text.replace("{value: 0.55, n: 12}", "{value: 0.95, n: 12}"))).touchpoints["b"]
    assert meets.metrics["csat"].status == "low_confidence" and meets.notes == []


def test_a_drop_off_from_an_event_log_is_judged_on_its_customers_not_their_visits(tmp_path: Path) -> None:
    """An event log's drop-off is a share of visits (n = visits): 10 customers going round a loop 6 times
    are 60 visits, still 10 customers, too few to make the touchpoint weak (min_n), as before."""
    journey = load_text(TEXT.replace("drop_off: {target: 0.2}", "drop_off: {target: 0.05}"))
    first, second = journey.touchpoints[0].id, journey.touchpoints[1].id
    log = tmp_path / "log.csv"
    log.write_text("customer,timestamp,touchpoint\n" + "".join(
        f"c{c},2026-09-01T{c:02d}:{i:02d}:00Z,{(first, second)[i % 2]}\n" for c in range(10) for i in range(11)))
    analysis = analyze(journey, events=log)
    drop = analysis.touchpoints[first].metrics["drop_off"]
    assert (drop.value, drop.n, drop.status) == (pytest.approx(10 / 60), 60, "low_confidence")
    assert "Drop-off 16.7% misses the 5% target but rests on only 10 customers (60 visits)" in analysis.touchpoints[first].notes


def test_ties_in_impact_keep_journey_order() -> None:
    text = TEXT.replace("{to: b, share: 0.5}, {to: c, share: 0.4}", "{to: c, share: 0.5}, {to: b, share: 0.5}")
    text = text.replace("friction: [{type: effort, severity: 3, note: Long form}]", "friction: [{type: effort, severity: 4}]")
    text = text.replace("emotion: -1.5", "emotion: 0")
    text = text.replace("metrics: {csat: {value: 0.9, target: 0.95}, drop_off: 0.35}", "metrics: {}")
    analysis = analyze(load_text(text))
    assert analysis.touchpoints["b"].impact == pytest.approx(analysis.touchpoints["c"].impact)
    assert analysis.weak == ["a", "b", "c"]


def test_entries_weighted_by_volume_only_when_all_have_one(tmp_path: Path) -> None:
    text = TEXT.replace("  - id: b\n", "  - id: b\n    entry: true\n").replace(
        "  - id: a\n", "  - id: a\n    entry: true\n"
    )
    analysis = analyze(load_text(text))
    assert analysis.entry_weighting == "equal"
    assert analysis.entries == {"a": 0.5, "b": 0.5}
    assert "entries weighted equally: b has no volume" in analysis.notes
    table = tmp_path / "m.csv"
    table.write_text("touchpoint,metric,value\nb,volume,100\n", encoding="utf-8")
    weighted = analyze(load_text(text), metrics=table)
    assert weighted.entry_weighting == "volume"
    assert weighted.entries == pytest.approx({"a": 0.75, "b": 0.25})


def test_entry_volumes_near_the_largest_float_are_weighted_by_their_ratio() -> None:
    """math.fsum overflowed on two volumes of 1e308 (found by test_fuzz): report and render crashed."""
    analysis = analyze(load(Path(__file__).parent / "fixtures" / "fuzz" / "huge-volumes.journey.yaml"))
    assert analysis.entry_weighting == "volume"
    assert analysis.entries == pytest.approx({"a": 1 / 2.7, "b": 1.7 / 2.7})
    assert analysis.conversion == 1.0


def test_a_data_file_value_overrides_the_inline_one_and_says_so(tmp_path: Path, journey: Journey) -> None:
    table = tmp_path / "m.csv"
    table.write_text("touchpoint,metric,value,n\na,csat,90%,200\n", encoding="utf-8")
    analysis = analyze(journey, metrics=table)
    a = analysis.touchpoints["a"]
    assert not a.weak
    assert (a.metrics["csat"].value, a.metrics["csat"].n, a.metrics["csat"].status) == (0.9, 200, "ok")
    assert Path(a.metrics["csat"].source).name == "m.csv"
    assert a.notes == []
    assert len(a.overrides) == 1
    assert a.overrides[0].startswith("CSAT 90% (n=200) from ")
    assert a.overrides[0].endswith("m.csv replaces 80% in the journey file")


def test_data_accepts_metric_data_or_more_tables(tmp_path: Path, journey: Journey) -> None:
    from journeymap.data import load_metric_data

    table = tmp_path / "m.csv"
    table.write_text("touchpoint,metric,value\na,csat,0.9\n", encoding="utf-8")
    by_path = analyze(journey, data=[str(table)])
    by_data = analyze(journey, data=load_metric_data(journey, metrics=table))
    assert by_path.touchpoints["a"].metrics["csat"].value == 0.9
    assert by_data.to_json() == by_path.to_json()


def test_data_problems_are_carried_not_raised(tmp_path: Path, journey: Journey) -> None:
    table = tmp_path / "m.csv"
    table.write_text("touchpoint,metric,value\nzz,csat,0.9\n", encoding="utf-8")
    analysis = analyze(journey, metrics=table)
    assert [p.code for p in analysis.data_problems] == ["unknown-touchpoint"]
    assert analysis.to_json()["problems"][0]["line"] == 2


def test_persona_view(journey: Journey) -> None:
    q = analyze(journey, "q")
    assert "b" not in q.touchpoints
    assert q.conversion == pytest.approx(0.8 * 0.5)  # a -> c gets 0.4 / (1 - 0.5 hidden); c -> win 0.5
    assert "persona 'q' does not meet 1 touchpoint; flows into it from a are dropped and the other shares scaled up" in q.notes
    with pytest.raises(ValueError, match="unknown persona 'x'"):
        analyze(journey, "x")


def test_personas_that_meet_the_same_touchpoints_share_one_analysis(journey: Journey) -> None:
    """render analysed every persona again: 300 personas on 1,000 touchpoints took 18 s."""
    from journeymap.analysis import analyze_personas

    text = TEXT.replace("personas: [{id: p, name: P}, {id: q, name: Q}]", "personas: [{id: p, name: P}, {id: q, name: Q}, {id: r, name: R}]")
    journey = load_text(text)
    overall = analyze(journey)
    views = analyze_personas(journey, overall=overall)
    assert views["p"] is overall  # p meets every touchpoint
    assert views["q"] is views["r"] and views["q"] is not overall  # neither meets b
    for persona in ("p", "q", "r"):
        alone = analyze(journey, persona)
        assert (views[persona].conversion, views[persona].expected_touchpoints) == (alone.conversion, alone.expected_touchpoints)
        assert {t: r.reach for t, r in views[persona].touchpoints.items()} == {t: r.reach for t, r in alone.touchpoints.items()}


def test_to_json_is_the_stable_contract(journey: Journey) -> None:
    data = analyze(journey).to_json()
    assert list(data) == [
        "journey", "persona", "conversion", "entries", "entry_weighting", "expected_touchpoints",
        "stages", "touchpoints", "weak", "problems", "notes", "outcomes", "events", "value", "fix_first", "complete",
    ]
    assert data["journey"] == {"id": "t", "title": "Test journey"}
    assert data["persona"] is None
    assert data["conversion"] == 0.7
    assert data["stages"][1] == {"id": "two", "reach": 0.9, "drop_off": round(1 - 0.7 / 0.9, 6)}
    tp = data["touchpoints"][2]
    assert list(tp) == [
        "id", "stage", "channel", "reach", "removal_effect", "weak", "reasons", "impact", "metrics", "notes", "overrides",
        "value_at_stake", "sensitivity",
        "verbatims", "reason_whose",
    ]
    assert tp["id"] == "c" and tp["weak"] is True and tp["impact"] == 0.35
    assert tp["metrics"]["csat"] == {
        "value": 0.9, "n": None, "target": 0.95, "status": "below_target", "low_confidence": None, "source": "journey",
        # a value written in the journey file has no interval and no series
        "ci": None, "period": None, "series": [], "trend": None, "trend_meaning": None,
        "significant_change": None, "change_last": None, "change_window": None, "ci_note": None, "unit": None,
        "persona": None,
    }
    assert tp["verbatims"] is None
    assert data["weak"] == ["a", "c"]
    assert json.loads(json.dumps(data)) == data
    assert analyze(journey).to_json() == data  # reproducible


def test_floats_are_rounded_to_six_decimals() -> None:
    def decimals(value: object) -> None:
        if isinstance(value, float):
            assert value == round(value, 6)
        elif isinstance(value, dict):
            for v in value.values():
                decimals(v)
        elif isinstance(value, list):
            for v in value:
                decimals(v)

    decimals(analyze(load(SAMPLES / "bank-account-opening.journey.yaml")).to_json())


def test_public_api() -> None:
    assert journeymap.analyze is analyze
    from journeymap.graph import JourneyGraph

    assert journeymap.JourneyGraph is JourneyGraph
    analysis = journeymap.analyze(SAMPLES / "grocery-first-order.journey.yaml")
    assert analysis.journey.id == "grocery-first-order"


# The sample authors name their weak spots in each file's header comment.
SAMPLE_WEAK = {
    "bank-account-opening": {"capture-id-document", "manual-review", "call-about-application", "application-declined"},
    "grocery-first-order": {"choose-delivery-slot", "apply-welcome-voucher", "report-missing-items"},
    "saas-onboarding": {"teammate-accepts-invite", "connect-crm", "choose-plan"},
    "telecom-support": {"call-fault-line", "engineer-visit"},
}


@pytest.mark.parametrize("sample", sorted(SAMPLE_WEAK))
def test_samples_weak_touchpoints_are_the_ones_their_authors_name(sample: str) -> None:
    path = SAMPLES / f"{sample}.journey.yaml"
    if not path.exists():
        pytest.skip(f"{path} is not there")
    analysis = analyze(load(path))
    assert set(analysis.weak) == SAMPLE_WEAK[sample]
    impacts = [analysis.touchpoints[t].impact for t in analysis.weak]
    assert impacts == sorted(impacts, reverse=True)
    assert all(analysis.touchpoints[t].reasons for t in analysis.weak)


def test_low_confidence_sample_metrics_are_notes_not_reasons() -> None:
    analysis = analyze(load(SAMPLES / "grocery-first-order.journey.yaml"))
    substitutions = analysis.touchpoints["set-substitutions"]
    assert not substitutions.weak
    assert substitutions.metrics["csat"].status == "low_confidence"
    assert substitutions.notes == ["CSAT 55% misses the 80% target but rests on only 12 responses"]


def test_personas_that_share_a_view_keep_their_own_value_per_period() -> None:
    """The bank sample's newcomers (15% of customers) meet the same touchpoints as the assisted customers
    (no share): the map's persona filter showed the newcomers the assisted customers' analysis, with no
    value per month, where `report --persona newcomer-to-uk` says £85,181. A persona's value scales the
    journey's volume by its share, so personas share an analysis only when they share the view and the
    share, and one that meets every touchpoint shares everyone's only without a value model."""
    from journeymap.analysis import analyze_personas
    from journeymap.loader import load

    journey = load(Path(__file__).resolve().parent.parent / "sample_journeys" / "bank-account-opening.journey.yaml")
    overall = analyze(journey)
    views = analyze_personas(journey, overall=overall)
    for persona in journey.personas:
        alone = analyze(journey, persona.id)
        assert views[persona.id].value is not None and alone.value is not None
        assert views[persona.id].value.to_json() == alone.value.to_json(), persona.id
        assert views[persona.id].fix_first == alone.fix_first, persona.id
    assert round(views["newcomer-to-uk"].value.per_period or 0) == 85181
    # everyone's: a persona without a share has no volume of its own, so no value per month
    shareless = load_text(TEXT.replace("personas: [{id: p, name: P}, {id: q, name: Q}]",
                                       "personas: [{id: p, name: P, share: 0.4}, {id: q, name: Q}]")
                          + "value: {currency: EUR, period: month, outcomes: {success: 10}}\n")
    overall = analyze(shareless)
    assert overall.value is not None and overall.value.per_period is not None
    p = analyze_personas(shareless, overall=overall)["p"]
    assert p is not overall and p.value is not None and p.value.per_period == pytest.approx(0.4 * overall.value.per_period)
