"""journeymap.changes: a semantic diff keyed by ids, from pairs of journey files.

shop-old/shop-new (tests/fixtures/diff) differ in every way the diff reports;
each test below picks one kind of change and checks it is reported in the
journey's own terms. Reversing the pair checks the "removed" side of each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from journeymap.analysis import Analysis, StageResult, TouchpointResult
from journeymap.changes import Change, Changes, Detail, FileChanges, diff, merge_order
from journeymap.loader import load
from journeymap.model import Journey
from journeymap.render.diff_text import detail_sentence, md_escape, render, summary_line

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "diff"


@pytest.fixture(scope="module")
def old() -> Journey:
    return load(FIXTURES / "shop-old.journey.yaml")


@pytest.fixture(scope="module")
def new() -> Journey:
    return load(FIXTURES / "shop-new.journey.yaml")


@pytest.fixture(scope="module")
def changes(old: Journey, new: Journey) -> Changes:
    return diff(old, new)


def edit(journey: Journey, change: Callable[[dict[str, Any]], object]) -> Journey:
    """A copy of ``journey`` with ``change`` applied to its plain data."""
    data = journey.model_dump()
    change(data)
    return Journey.model_validate(data)


def touchpoint(data: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(t for t in data["touchpoints"] if t["id"] == ident)


def find(changes: Changes, kind: str, ident: str) -> Change:
    matches = [c for c in changes.items if c.kind == kind and c.id == ident]
    assert len(matches) == 1, f"{kind} {ident}: {[(c.kind, c.id) for c in changes.items]}"
    return matches[0]


def sentences(changes: Changes, change: Change) -> list[str]:
    return [detail_sentence(changes, d, owner=change.id) for d in change.details]


def details(change: Change, aspect: str, subject: str | None = None) -> list[Detail]:
    return [d for d in change.details if d.aspect == aspect and (subject is None or d.subject == subject)]


# -- a file with itself ---------------------------------------------------------


def test_diff_of_a_journey_with_itself_is_empty(old: Journey) -> None:
    same = diff(old, old)
    assert same.items == []
    assert same.is_empty
    assert summary_line(same) == "no changes"
    assert "no changes" in render([FileChanges("a.yaml", "modified", same, "a.yaml")], "text")


def test_diff_of_two_loads_of_one_file_is_empty(old: Journey) -> None:
    again = load(FIXTURES / "shop-old.journey.yaml")
    assert diff(old, again).items == []


# -- touchpoints ------------------------------------------------------------------


def test_touchpoint_added_and_removed(changes: Changes) -> None:
    assert find(changes, "touchpoint", "apple-pay").change == "added"
    assert find(changes, "touchpoint", "write-review").change == "added"
    assert find(changes, "touchpoint", "newsletter-popup").change == "removed"


def test_touchpoint_renamed_is_reported_with_both_names(changes: Changes) -> None:
    search = find(changes, "touchpoint", "search")
    assert "renamed" in search.aspects
    assert "renamed \"Searches products\" → \"Searches the catalogue\"" in sentences(changes, search)


def test_an_id_changed_under_the_same_name_is_said_to_be_one(new: Journey) -> None:
    """`basket` renamed to `cart`, its name kept: a reviewer saw an unrelated removal and addition.
    Both are still listed (the diff is keyed by id), each saying the other is likely the same one."""

    def rename(data: dict[str, Any]) -> None:
        touchpoint(data, "basket")["id"] = "cart"
        for t in data["touchpoints"]:
            for flow in t["next"]:
                if flow["to"] == "basket":
                    flow["to"] = "cart"

    renamed = edit(new, rename)
    result = diff(new, renamed)
    cart, basket = find(result, "touchpoint", "cart"), find(result, "touchpoint", "basket")
    assert (cart.change, basket.change) == ("added", "removed")
    assert sentences(result, cart) == ["same name as the removed basket: the id likely changed basket → cart"]
    assert sentences(result, basket) == ["same name as the added cart: the id likely changed basket → cart"]
    assert "renamed" not in cart.aspects and cart.aspects == ("id",)
    markdown = render([FileChanges("b.yaml", "modified", result, "a.yaml")], "markdown")
    assert "  - same name as the removed `basket`: the id likely changed `basket` → `cart`\n" in markdown
    # Two touchpoints of one name on either side are no such pair: nothing is said.
    twice = edit(renamed, lambda d: touchpoint(d, "payment").update(name=touchpoint(d, "cart")["name"]))
    assert find(diff(new, twice), "touchpoint", "cart").details == ()


def test_a_rename_alone_is_a_renamed_change(changes: Changes) -> None:
    support = find(changes, "stage", "support")
    assert support.change == "renamed"
    assert [(d.old, d.new) for d in support.details] == [("Support", "Help")]


def test_touchpoint_moved_to_another_channel(changes: Changes) -> None:
    confirm = find(changes, "touchpoint", "confirm")
    assert confirm.change == "moved"
    assert "channel Email (email) → Mobile app (app)" in sentences(changes, confirm)


def test_touchpoint_moved_to_another_stage(new: Journey) -> None:
    moved = edit(new, lambda d: touchpoint(d, "payment").update(stage="support"))
    result = diff(new, moved)
    payment = find(result, "touchpoint", "payment")
    assert payment.change == "moved"
    assert details(payment, "stage")[0].old == "checkout"
    assert sentences(result, payment) == ["moved to stage Help (support) (from Checkout (checkout))"]


def test_touchpoint_field_changes_are_details(changes: Changes) -> None:
    search = sentences(changes, find(changes, "touchpoint", "search"))
    assert 'thought "Where is the filter?" → "Filters at last."' in search
    assert "emotion -1 → 0.5, improved" in search
    basket = sentences(changes, find(changes, "touchpoint", "basket"))
    assert 'owner "Web team" → "Checkout squad"' in basket
    confirm = sentences(changes, find(changes, "touchpoint", "confirm"))
    assert 'outcome "success" → none' in confirm


def test_touchpoint_personas_change(new: Journey) -> None:
    def narrow(d: dict[str, Any]) -> None:
        touchpoint(d, "apple-pay")["personas"] = ["shopper"]
        touchpoint(d, "land")["personas"] = ["shopper"]

    result = diff(new, edit(new, narrow))
    assert sentences(result, find(result, "touchpoint", "apple-pay")) == ["personas: − gift-buyer"]
    assert sentences(result, find(result, "touchpoint", "land")) == ["personas: all personas → shopper"]


# -- flows ------------------------------------------------------------------------------


def test_flow_added_removed_and_share_changed(changes: Changes) -> None:
    basket = sentences(changes, find(changes, "touchpoint", "basket"))
    assert "flow basket → payment share 70% → 50%" in basket
    assert "flow basket → apple-pay added, share 15%" in basket
    land = sentences(changes, find(changes, "touchpoint", "land"))
    assert "flow land → newsletter-popup removed" in land
    assert "flows" in find(changes, "touchpoint", "basket").aspects


# -- metrics and targets ----------------------------------------------------------------------


def test_metric_worse_when_a_higher_is_better_metric_falls(changes: Changes) -> None:
    [csat] = details(find(changes, "touchpoint", "basket"), "metric", "csat")
    assert (csat.old, csat.new, csat.direction) == (0.9, 0.72, "worse")
    assert "CSAT 90% → 72%, worse" in sentences(changes, find(changes, "touchpoint", "basket"))


def test_metric_worse_when_a_lower_is_better_metric_rises(changes: Changes) -> None:
    support = find(changes, "touchpoint", "call-support")
    assert "Response time 7m → 23m, worse" in sentences(changes, support)


def test_metric_improved_when_a_lower_is_better_metric_falls(changes: Changes) -> None:
    search = find(changes, "touchpoint", "search")
    [drop_off] = details(search, "metric", "drop_off")
    assert drop_off.direction == "improved"
    assert "Drop-off 30% → 20%, improved" in sentences(changes, search)


def test_custom_metric_direction_and_label_come_from_its_definition(changes: Changes) -> None:
    support = find(changes, "touchpoint", "call-support")
    assert "First-contact resolution 60% → 75%, improved" in sentences(changes, support)


def test_metric_added_with_a_touchpoint_target(changes: Changes) -> None:
    payment = sentences(changes, find(changes, "touchpoint", "payment"))
    assert "CSAT 90% added" in payment
    assert "CSAT target 90% set" in payment


def test_targets_changed_at_journey_and_stage_level(changes: Changes) -> None:
    csat = find(changes, "metric", "csat")
    assert sentences(changes, csat) == ["CSAT target 80% → 82% (stricter)"]
    checkout = find(changes, "stage", "checkout")
    assert sentences(changes, checkout) == ["CSAT target 85% → 80% (looser)"]
    assert find(changes, "metric", "ces").change == "added"


def test_touchpoint_target_change_is_stricter_or_looser_in_the_metric_sense(new: Journey) -> None:
    def target(seconds: float) -> Callable[[dict[str, Any]], None]:
        return lambda d: touchpoint(d, "call-support")["metrics"]["response_time"].update(target=seconds)

    ten, thirty = edit(new, target(600.0)), edit(new, target(1800.0))
    # Response time: lower is better, so a higher target asks for less.
    looser = diff(ten, thirty)
    assert sentences(looser, find(looser, "touchpoint", "call-support")) == ["Response time target 10m → 30m (looser)"]
    stricter = diff(thirty, ten)
    assert sentences(stricter, find(stricter, "touchpoint", "call-support")) == ["Response time target 30m → 10m (stricter)"]


def test_flow_time_n_change_is_a_detail_of_its_own(new: Journey) -> None:
    """calibrate rewrites a flow's time with its n from every log: a new n with the same median and
    p90 is still a change a reviewer should see (it was 'no changes')."""
    def timed(n: int | None) -> Callable[[dict[str, Any]], None]:
        def change(data: dict[str, Any]) -> None:
            source = next(t for t in data["touchpoints"] if t["next"])
            source["next"][0]["time"] = {"median": 240.0, "p90": 3600.0, "n": n}
        return change

    few, many, unknown = edit(new, timed(10)), edit(new, timed(99)), edit(new, timed(None))
    owner = next(t for t in new.touchpoints if t.next)
    grown = diff(few, many)
    assert sentences(grown, find(grown, "touchpoint", owner.id)) == [
        f"flow {owner.id} → {owner.next[0].to} time n 10 → 99"
    ]
    dropped = diff(few, unknown)
    assert sentences(dropped, find(dropped, "touchpoint", owner.id)) == [
        f"flow {owner.id} → {owner.next[0].to} time n 10 → none"
    ]
    assert diff(many, many).items == []


# -- friction ---------------------------------------------------------------------------


def test_friction_added_removed_and_rerated(changes: Changes) -> None:
    assert "friction 'confusion' (Too many filters) added, severity 2" in sentences(
        changes, find(changes, "touchpoint", "search")
    )
    assert "friction 'wait' (Slow first load) removed (severity was 2)" in sentences(
        changes, find(changes, "touchpoint", "land")
    )
    payment = find(changes, "touchpoint", "payment")
    assert "friction 'wait' (3-D Secure page hangs) severity 4 → 2, improved" in sentences(changes, payment)
    [rerated] = details(payment, "friction")
    assert (rerated.field, rerated.old, rerated.new) == ("severity", 4, 2)


def test_frictions_of_one_type_are_matched_by_note_then_by_order(new: Journey) -> None:
    slow = {"type": "wait", "severity": 2, "note": "slow page"}
    queue = {"type": "wait", "severity": 3, "note": "queue"}

    def with_friction(*frictions: dict[str, Any]) -> Journey:
        return edit(new, lambda d: touchpoint(d, "land").update(friction=[dict(f) for f in frictions]))

    # Swapping the order of two frictions is no change at all.
    assert diff(with_friction(slow, queue), with_friction(queue, slow)).items == []
    # Re-rating the second one is reported against the right friction.
    result = diff(with_friction(slow, queue), with_friction(slow, {**queue, "severity": 5}))
    assert sentences(result, find(result, "touchpoint", "land")) == ["friction 'wait' (queue) severity 3 → 5, worse"]
    # Same type, new note, no other match: the note changed.
    result = diff(with_friction(slow), with_friction({**slow, "note": "very slow page"}))
    assert sentences(result, find(result, "touchpoint", "land")) == [
        "friction 'wait' (very slow page) note \"slow page\" → \"very slow page\""
    ]


# -- stages, personas, channels, journey ----------------------------------------------------


def test_stage_persona_and_channel_changes(changes: Changes) -> None:
    assert find(changes, "stage", "review").change == "added"
    assert find(changes, "persona", "gift-buyer").change == "added"
    deal = find(changes, "persona", "bargain-hunter")
    assert sentences(changes, deal) == ['renamed "Bargain hunter" → "Deal seeker"', "share 30% → 25%"]
    assert find(changes, "channel", "app").change == "added"
    assert find(changes, "channel", "fax").change == "removed"
    assert find(changes, "channel", "phone").change == "renamed"


def test_touchpoints_reordered_within_a_stage_are_a_stage_change(new: Journey) -> None:
    """Moving a touchpoint above another of its stage moves its card on the map, and git shows the
    lines moved, but the diff said "no changes"."""

    def swap(data: dict[str, Any]) -> None:
        order = [t["id"] for t in data["touchpoints"]]
        i, j = order.index("basket"), order.index("payment")
        data["touchpoints"][i], data["touchpoints"][j] = data["touchpoints"][j], data["touchpoints"][i]

    result = diff(new, edit(new, swap))
    assert [(c.kind, c.id, c.change) for c in result.items] == [("stage", "checkout", "modified")]
    assert sentences(result, result.items[0]) == ["touchpoint order basket, payment, apple-pay → payment, basket, apple-pay"]
    assert "no changes" not in render([FileChanges("a.yaml", "modified", result, "a.yaml")], "text")
    # Touchpoints added or moved between stages are no reorder of the others.
    added = edit(new, lambda d: d["touchpoints"].insert(0, {**touchpoint(d, "basket"), "id": "wishlist", "name": "Wish list"}))
    assert find(diff(new, added), "touchpoint", "wishlist").change == "added"
    assert [c.id for c in diff(new, added).items if c.kind == "stage"] == []


def test_reversed_pair_reports_removals(old: Journey, new: Journey) -> None:
    back = diff(new, old)
    assert find(back, "touchpoint", "apple-pay").change == "removed"
    assert find(back, "stage", "review").change == "removed"
    assert find(back, "persona", "gift-buyer").change == "removed"
    assert find(back, "channel", "fax").change == "added"
    assert "CSAT 72% → 90%, improved" in sentences(back, find(back, "touchpoint", "basket"))
    assert "flow basket → apple-pay removed (share was 15%)" in sentences(back, find(back, "touchpoint", "basket"))


def test_journey_settings_and_stage_order(new: Journey) -> None:
    def reorder(d: dict[str, Any]) -> None:
        d["stages"] = [d["stages"][i] for i in (0, 1, 3, 2, 4)]
        d["title"] = "Shop | checkout"
        d["weak"]["friction_severity"] = 3

    result = diff(new, edit(new, reorder))
    journey = find(result, "journey", "online-shop")
    assert sentences(result, journey) == [
        'title "Online shop checkout" → "Shop | checkout"',
        "stage order browse, checkout, support, delivery, review → browse, checkout, delivery, support, review",
        "weak.friction_severity 4 → 3",
    ]


def test_inserting_a_stage_is_not_a_reorder(old: Journey, new: Journey) -> None:
    journey = find(diff(old, new), "journey", "online-shop")
    assert details(journey, "stage-order") == []


# -- ordering ------------------------------------------------------------------------------


def test_touchpoints_are_in_stage_order_then_journey_order(changes: Changes) -> None:
    ids = [c.id for c in changes.items if c.kind == "touchpoint"]
    assert ids == ["land", "newsletter-popup", "search", "basket", "payment", "apple-pay", "call-support", "confirm", "write-review"]
    kinds = [c.kind for c in changes.items]
    assert kinds == sorted(kinds, key=["touchpoint", "stage", "persona", "channel", "metric", "journey"].index)


def test_merge_order_keeps_removed_items_where_they_were() -> None:
    assert merge_order(["a", "b", "c"], ["a", "c", "d"]) == ["a", "b", "c", "d"]
    assert merge_order(["x", "a"], ["a"]) == ["x", "a"]
    assert merge_order([], ["a", "b"]) == ["a", "b"]


# -- consequences (from hand-made analyses: the diff's logic, not analyze()'s) -------------


def _analysis(journey: Journey, weak: dict[str, list[str]], conversion: float, reach: dict[str, float]) -> Analysis:
    touchpoints = {
        t.id: TouchpointResult(t.id, t.stage, t.channel, 1.0, 0.0, t.id in weak, weak.get(t.id, []), 0.0, {})
        for t in journey.touchpoints
    }
    stages = [StageResult(s.id, reach.get(s.id, 1.0), 0.0) for s in journey.stages]
    return Analysis(journey, None, None, conversion, {}, "equal", 0.0, stages, touchpoints, sorted(weak))  # type: ignore[arg-type]


def test_consequences_weakness_conversion_and_reach(old: Journey, new: Journey) -> None:
    before = _analysis(old, {"payment": ["friction 'wait' severity 4"], "call-support": ["friction 'handoff' severity 4"]}, 0.412, {"checkout": 0.8})
    after = _analysis(
        new,
        {
            "basket": ["CSAT 72% is below the 80% target"],
            "call-support": ["Response time 23m is above the 10m target", "friction 'handoff' severity 4"],
            "apple-pay": ["emotion -2"],
        },
        0.389,
        {"checkout": 0.75},
    )
    result = diff(old, new, old_analysis=before, new_analysis=after)
    c = result.consequences
    assert c is not None
    assert [(w.touchpoint, w.was) for w in c.became_weak] == [("basket", "not_weak"), ("apple-pay", "absent")]
    assert c.became_weak[0].reasons == ("CSAT 72% is below the 80% target",)
    assert [w.touchpoint for w in c.no_longer_weak] == ["payment"]
    assert [w.touchpoint for w in c.reasons_changed] == ["call-support"]
    assert c.conversion_delta == pytest.approx(-0.023)
    assert result.weaker
    checkout = next(s for s in c.stages if s.stage == "checkout")
    assert (checkout.old_reach, checkout.new_reach) == (0.8, 0.75)
    review = next(s for s in c.stages if s.stage == "review")
    assert review.old_reach is None and review.changed
    line = summary_line(result)
    assert line.endswith("2 became weak, 1 no longer weak, conversion 41.2% → 38.9% (−2.3 pts)")


def test_higher_conversion_and_no_new_weakness_is_not_weaker(old: Journey) -> None:
    before = _analysis(old, {"payment": ["x"]}, 0.40, {})
    after = _analysis(old, {}, 0.45, {})
    result = diff(old, old, old_analysis=before, new_analysis=after)
    assert result.consequences is not None and not result.weaker
    assert not result.is_empty  # the same file, but the data behind it changed
    lower = diff(old, old, old_analysis=after, new_analysis=before)
    assert lower.weaker


def test_identical_analyses_add_no_consequence(old: Journey) -> None:
    same = _analysis(old, {"payment": ["x"]}, 0.40, {})
    result = diff(old, old, old_analysis=same, new_analysis=same)
    assert result.is_empty and not result.weaker


def test_added_and_removed_journeys(old: Journey) -> None:
    analysis = _analysis(old, {"payment": ["friction 'wait' severity 4"]}, 0.4, {})
    added = diff(None, old, new_analysis=analysis)
    assert added.status == "added" and [(c.kind, c.change) for c in added.items] == [("journey", "added")]
    assert added.consequences is not None
    assert [w.touchpoint for w in added.consequences.became_weak] == ["payment"]
    assert summary_line(added) == "new journey with 4 stages and 7 touchpoints, 1 weak, conversion 40.0%"
    removed = diff(old, None, old_analysis=analysis)
    assert removed.status == "removed" and not removed.weaker
    assert summary_line(removed) == "journey removed (7 touchpoints)"


# -- rendering -----------------------------------------------------------------------------


def test_markdown_escapes_user_text() -> None:
    assert md_escape("a | b") == "a \\| b"
    assert md_escape("`code`") == "\\`code\\`"
    assert md_escape("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert md_escape("Tom & Jerry") == "Tom &amp; Jerry"
    assert md_escape("ask @cx-team") == "ask @&#8203;cx-team"
    assert md_escape("two\nlines") == "two lines"


def test_text_output_shows_terminal_control_characters_escaped(old: Journey) -> None:
    renamed = edit(old, lambda d: touchpoint(d, "payment").update(name="Pays\x1b[2J by card\x07\u202e"))
    text = render([FileChanges("x.yaml", "modified", diff(old, renamed), "x.yaml")], "text")
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert 'renamed "Pays by card" → "Pays\\u001b[2J by card\\u0007\\u202e"' in text
    assert "touchpoint Pays\\x1b[2J by card\\x07\\u202e (payment) renamed" in text


def test_markdown_table_survives_a_pipe_in_a_name(old: Journey) -> None:
    renamed = edit(old, lambda d: touchpoint(d, "payment").update(name="Pays | <b>card</b>"))
    before = _analysis(old, {}, 0.4, {})
    after = _analysis(renamed, {"payment": ["friction 'wait' | severity `5`"]}, 0.4, {})
    result = diff(old, renamed, old_analysis=before, new_analysis=after)
    text = render([FileChanges("x.yaml", "modified", result, "x.yaml")], "markdown")
    row = next(line for line in text.splitlines() if line.startswith("| **Became weak"))
    assert row.count(" | ") == 3  # four cells: no unescaped pipe from the name or the reason
    assert "<b>" not in text and "&lt;b&gt;" in text
    assert "\\`5\\`" in row


def test_json_shape(changes: Changes) -> None:
    data = json.loads(render([FileChanges("new.yaml", "modified", changes, "old.yaml")], "json"))
    assert set(data) == {"version", "path", "old_path", "status", "old", "new", "summary", "consequences", "changes", "problems"}
    assert data["version"] == 1
    assert data["old"] == {"file": "old.yaml", "id": "online-shop", "title": "Online shop checkout", "stages": 4, "touchpoints": 7, "conversion": None}
    assert data["summary"]["counts"]["touchpoint"] == {"added": 2, "removed": 1, "moved": 1, "modified": 5}
    assert list(data["summary"]["counts"]["touchpoint"]) == ["added", "removed", "moved", "modified"]
    assert data["summary"]["changed"] is True
    basket = next(c for c in data["changes"] if c["id"] == "basket")
    assert set(basket) == {"kind", "id", "name", "change", "aspects", "details"}
    assert basket["aspects"] == ["fields", "flows", "metrics"]
    share = next(d for d in basket["details"] if d["aspect"] == "flow" and d["field"] == "share")
    assert share == {
        "aspect": "flow",
        "op": "changed",
        "subject": "payment",
        "field": "share",
        "old": 0.7,
        "new": 0.5,
        "direction": None,
        "note": None,
        "text": "flow basket → payment share 70% → 50%",
    }


def test_json_consequences_shape(old: Journey, new: Journey) -> None:
    result = diff(old, new, old_analysis=_analysis(old, {}, 0.5, {}), new_analysis=_analysis(new, {"basket": ["r"]}, 0.4, {}))
    data = json.loads(render([FileChanges("n", "modified", result, "o")], "json"))
    c = data["consequences"]
    assert set(c) == {"persona", "became_weak", "no_longer_weak", "reasons_changed", "conversion", "stages", "value"}
    assert c["value"] is None  # no value model
    assert c["became_weak"] == [
        {"touchpoint": "basket", "name": "Reviews the basket", "was": "not_weak", "now": "weak", "reasons": ["r"], "old_reasons": []}
    ]
    assert c["conversion"] == {"old": 0.5, "new": 0.4, "delta": pytest.approx(-0.1)}
    assert [s["stage"] for s in c["stages"]] == ["browse", "checkout", "support", "delivery", "review"]
    assert data["summary"]["weaker"] is True
    assert data["new"]["conversion"] == 0.4


def test_renderers_are_deterministic(changes: Changes) -> None:
    files = [FileChanges("n", "modified", changes, "o")]
    for fmt in ("text", "markdown", "json"):
        assert render(files, fmt) == render([replace(files[0])], fmt)


# -- flows into other journeys ----------------------------------------------------


def test_a_flow_into_another_journey_is_keyed_by_journey_and_touchpoint() -> None:
    """Moving a handoff to another journey is a removed flow and an added one, and a
    local flow to a touchpoint of the same id is a different flow from the handoff."""
    journey = load(FIXTURES.parent / "links" / "account-opening.journey.yaml")

    def retarget(data: dict[str, Any]) -> None:
        flow = next(f for t in data["touchpoints"] for f in t["next"] if f.get("journey") == "card-activation")
        flow["journey"] = "card-replacement"

    moved = diff(journey, edit(journey, retarget))
    change = find(moved, "touchpoint", "account-ready")
    assert [(d.op, d.subject) for d in details(change, "flow")] == [
        ("removed", "card-activation:activate-card"),
        ("added", "card-replacement:activate-card"),
    ]

    def add_local_twin(data: dict[str, Any]) -> None:
        ready = touchpoint(data, "account-ready")
        twin = dict(ready, id="activate-card", next=[], outcome="success", entry=False)
        data["touchpoints"].append(twin)
        ready["next"].append({"to": "activate-card", "share": 0.1})

    twin = diff(journey, edit(journey, add_local_twin))
    change = find(twin, "touchpoint", "account-ready")
    flows = details(change, "flow")
    assert [(d.op, d.subject) for d in flows] == [("added", "activate-card")]
    assert flows[0].new == 0.1
