"""JourneyGraph and FlowChain: structure, shares, personas, and the Markov figures
checked against chains solved by hand and against an independent dense solver."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.graph import JourneyGraph, resolve_shares
from journeymap.loader import load_text
from journeymap.model import Journey

HEADER = """\
journeymap: 1
id: t
title: Test journey
personas:
  - {id: p, name: P}
  - {id: q, name: Q}
channels:
  - {id: web, name: Web}
  - {id: phone, name: Phone, kind: human}
stages:
  - {id: one, name: One}
  - {id: two, name: Two}
touchpoints:
"""


def journey(touchpoints: str) -> Journey:
    return load_text(HEADER + touchpoints)


LOOP = """\
  - {id: start, name: S, stage: one, channel: web, next: [{to: form, share: 0.8}]}
  - {id: form, name: F, stage: one, channel: web, next: [{to: done, share: 0.5}, {to: help, share: 0.4}]}
  - {id: help, name: H, stage: two, channel: phone, next: [{to: form, share: 0.5}]}
  - {id: done, name: D, stage: two, channel: web, outcome: success}
"""

BRANCH = """\
  - {id: a, name: A, stage: one, channel: web, next: [{to: b, share: 0.6}, {to: c, share: 0.3}]}
  - {id: b, name: B, stage: one, channel: web, next: [win]}
  - {id: c, name: C, stage: two, channel: phone, next: [{to: win, share: 0.5}, {to: lose, share: 0.5}]}
  - {id: win, name: W, stage: two, channel: web, outcome: success}
  - {id: lose, name: L, stage: two, channel: web, outcome: failure}
"""


# -- shares ---------------------------------------------------------------------


def test_resolve_shares_splits_the_rest_equally_among_flows_without_a_share() -> None:
    assert resolve_shares([("a", 0.4), ("b", None), ("c", None)]) == pytest.approx([0.4, 0.3, 0.3])
    assert resolve_shares([("a", None), ("b", None)]) == [0.5, 0.5]
    assert resolve_shares([("a", 0.7), ("b", 0.5), ("c", None)]) == pytest.approx([0.7 / 1.2, 0.5 / 1.2, 0.0])
    assert resolve_shares([("a", 0.3)]) == [0.3]
    assert resolve_shares([]) == []


def test_edges_carry_resolved_and_declared_shares_and_leave_is_the_rest() -> None:
    jg = JourneyGraph(journey(BRANCH))
    assert jg.share("a", "b") == 0.6
    assert jg.g.edges["b", "win"]["share"] == 1.0
    assert jg.g.edges["b", "win"]["declared_share"] is None
    assert jg.leave("a") == pytest.approx(0.1)
    assert jg.leave("b") == 0.0
    assert jg.leave("win") == 0.0
    assert jg.flows("c") == [("win", 0.5), ("lose", 0.5)]


def test_node_attributes_are_plain_data() -> None:
    jg = JourneyGraph(journey(LOOP))
    node = jg.graph.nodes["help"]
    assert node["stage"] == "two" and node["channel"] == "phone" and node["channel_kind"] == "human"
    assert node["outcome"] is None and jg.graph.nodes["done"]["outcome"] == "success"
    assert node["order"] == 2 and node["stage_index"] == 1
    # users can run their own networkx algorithms on it
    assert nx.shortest_path(jg.g, "start", "done") == ["start", "form", "done"]


# -- structure ------------------------------------------------------------------


def test_entries_are_touchpoints_nobody_points_to_unless_declared() -> None:
    assert JourneyGraph(journey(LOOP)).entries == ["start"]
    declared = LOOP.replace("{id: form, name: F,", "{id: form, name: F, entry: true,")
    assert JourneyGraph(journey(declared)).entries == ["form"]


def test_outcomes_loops_channel_switches_and_reachability() -> None:
    jg = JourneyGraph(journey(LOOP))
    assert jg.outcomes == {"done": "success"}
    assert jg.loops() == [["form", "help"]]
    assert jg.loop_groups() == [["form", "help"]]
    switches = [(s.source, s.target, s.from_channel, s.to_channel) for s in jg.channel_switches()]
    assert switches == [("form", "help", "web", "phone"), ("help", "form", "phone", "web")]
    assert jg.reachable() == {"start", "form", "help", "done"}
    assert jg.reachable(["help"]) == {"help", "form", "done"}
    assert jg.unreachable() == []
    assert jg.closed_loops() == []


def test_persona_sees_only_its_touchpoints_and_hidden_shares_are_scaled_out() -> None:
    text = """\
  - {id: a, name: A, stage: one, channel: web, next: [{to: b, share: 0.5}, {to: c, share: 0.3}]}
  - {id: b, name: B, stage: one, channel: web, personas: [q], next: [win]}
  - {id: c, name: C, stage: two, channel: web, next: [win]}
  - {id: win, name: W, stage: two, channel: web, outcome: success}
"""
    everyone = JourneyGraph(journey(text))
    assert set(everyone.g) == {"a", "b", "c", "win"}
    p = everyone.for_persona("p")
    assert set(p.g) == {"a", "c", "win"}
    # 0.5 went to b, which p never meets: c gets 0.3 / 0.5, leaving 0.2 / 0.5
    assert p.share("a", "c") == pytest.approx(0.6)
    assert p.leave("a") == pytest.approx(0.4)
    assert p.g.nodes["a"]["hidden_share"] == pytest.approx(0.5)
    assert p.chain().conversion == pytest.approx(0.6)
    with pytest.raises(ValueError, match="did you mean 'p'"):
        JourneyGraph(everyone.journey, "pp")


def test_persona_whose_every_way_on_is_hidden_leaves() -> None:
    text = """\
  - {id: a, name: A, stage: one, channel: web, next: [b]}
  - {id: b, name: B, stage: one, channel: web, personas: [q], next: [win]}
  - {id: win, name: W, stage: two, channel: web, outcome: success}
"""
    p = JourneyGraph(journey(text), "p")
    assert p.leave("a") == 1.0
    assert p.chain().conversion == 0.0


def test_persona_that_meets_no_journey_entry_starts_where_nobody_points() -> None:
    text = """\
  - {id: a, name: A, stage: one, channel: web, personas: [q], next: [b]}
  - {id: b, name: B, stage: one, channel: web, next: [win]}
  - {id: win, name: W, stage: two, channel: web, outcome: success}
"""
    assert JourneyGraph(journey(text), "p").entries == ["b"]


# -- Markov figures on chains solved by hand ------------------------------------


def test_loop_chain_solved_by_hand() -> None:
    # From form: success b = 0.5 + 0.4 * 0.5 * b, so b = 0.625; conversion 0.8 * b = 0.5.
    # Visits to form: 0.8 / (1 - 0.2) = 1.0, but reach (visiting probability) is 0.8.
    # help: reached from form with 0.4 before leaving or ending: 0.8 * 0.4 = 0.32; visits 0.4.
    chain = JourneyGraph(journey(LOOP)).chain()
    reach, visits = chain.as_dict(chain.reach), chain.as_dict(chain.visits)
    assert chain.conversion == pytest.approx(0.5)
    assert reach == pytest.approx({"start": 1.0, "form": 0.8, "help": 0.32, "done": 0.5})
    assert visits == pytest.approx({"start": 1.0, "form": 1.0, "help": 0.4, "done": 0.5})
    # Without help: 0.8 * 0.5 = 0.4 succeed, so removal effect 1 - 0.4/0.5 = 0.2.
    removal = chain.as_dict(chain.removal_effects)
    assert removal == pytest.approx({"start": 1.0, "form": 1.0, "help": 0.2, "done": 1.0})
    assert chain.expected_touchpoints == pytest.approx(2.9)
    assert chain.absorption == pytest.approx({"success": 0.5, "failure": 0.0, "leave": 0.5, "stuck": 0.0})
    # Stage one: 0.72 of customers reach stage two or succeed (0.8 * 0.9); stage two
    # is first entered at help (0.32) or done (0.4); from help 0.5 * 0.625 succeed.
    funnel = chain.stage_funnel(["one", "two"])
    assert funnel[0] == ("one", 1.0, pytest.approx(0.28))
    assert funnel[1][1] == pytest.approx(0.72)
    assert funnel[1][2] == pytest.approx(1 - (0.32 * 0.3125 + 0.4) / 0.72)


def test_branch_with_shares_summing_below_one() -> None:
    chain = JourneyGraph(journey(BRANCH)).chain()
    assert chain.conversion == pytest.approx(0.6 + 0.3 * 0.5)
    removal = chain.as_dict(chain.removal_effects)
    assert removal["a"] == pytest.approx(1.0)
    assert removal["b"] == pytest.approx(0.6 / 0.75)
    assert removal["c"] == pytest.approx(0.15 / 0.75)
    assert removal["lose"] == 0.0
    assert chain.absorption == pytest.approx({"success": 0.75, "failure": 0.15, "leave": 0.1, "stuck": 0.0})
    assert chain.expected_touchpoints == pytest.approx(1 + 0.6 + 0.3 + 0.9)


def test_two_entries_weighted() -> None:
    text = """\
  - {id: e1, name: E1, stage: one, channel: web, next: [x]}
  - {id: e2, name: E2, stage: one, channel: web, next: [{to: y, share: 0.5}]}
  - {id: x, name: X, stage: two, channel: web, next: [{to: win, share: 0.4}]}
  - {id: y, name: Y, stage: two, channel: web, next: [win]}
  - {id: win, name: W, stage: two, channel: web, outcome: success}
"""
    jg = JourneyGraph(journey(text))
    assert jg.entries == ["e1", "e2"]
    assert jg.chain({"e1": 300, "e2": 100}).conversion == pytest.approx(0.75 * 0.4 + 0.25 * 0.5)
    assert jg.chain().conversion == pytest.approx(0.5 * 0.4 + 0.5 * 0.5)


def test_self_loop_counts_visits_not_reach() -> None:
    text = """\
  - {id: a, name: A, stage: one, channel: web, next: [{to: a, share: 0.5}, {to: win, share: 0.5}]}
  - {id: win, name: W, stage: two, channel: web, outcome: success}
"""
    chain = JourneyGraph(journey(text)).chain()
    assert chain.reach_of("a") == pytest.approx(1.0)
    assert chain.as_dict(chain.visits)["a"] == pytest.approx(2.0)
    assert chain.conversion == pytest.approx(1.0)


def test_closed_loop_is_stuck_not_a_crash() -> None:
    text = """\
  - {id: a, name: A, stage: one, channel: web, next: [{to: b, share: 0.5}, {to: win, share: 0.5}]}
  - {id: b, name: B, stage: one, channel: web, next: [c]}
  - {id: c, name: C, stage: two, channel: web, next: [b]}
  - {id: win, name: W, stage: two, channel: web, outcome: success}
"""
    jg = JourneyGraph(journey(text))
    assert jg.closed_loops() == [["b", "c"]]
    chain = jg.chain()
    assert chain.conversion == pytest.approx(0.5)
    assert chain.reach_of("b") == pytest.approx(0.5)
    assert chain.reach_of("c") == pytest.approx(0.5)
    assert chain.absorption["stuck"] == pytest.approx(0.5)


def test_no_success_outcome_gives_zero_conversion_and_removal() -> None:
    text = """\
  - {id: a, name: A, stage: one, channel: web, next: [b]}
  - {id: b, name: B, stage: two, channel: web, outcome: failure}
"""
    chain = JourneyGraph(journey(text)).chain()
    assert chain.conversion == 0.0
    assert list(chain.removal_effects) == [0.0, 0.0]
    assert chain.reach_of("b") == 1.0


# -- an independent dense solver, and random journeys -----------------------------


def dense_figures(jg: JourneyGraph, start: dict[str, float]) -> tuple[float, dict[str, float], dict[str, float]]:
    """Conversion, reach and removal effects by brute force: one dense solve per question."""
    states = jg.order
    idx = {s: i for i, s in enumerate(states)}
    n = len(states)
    P = np.zeros((n, n))
    for s in states:
        if jg.g.nodes[s]["outcome"]:
            continue
        for t, share in jg.flows(s):
            P[idx[s], idx[t]] = share
    pi = np.zeros(n)
    total = sum(start.values())
    for e, w in start.items():
        pi[idx[e]] = w / total

    def absorb(targets: set[str], removed: str | None = None) -> float:
        # probability of hitting `targets` from pi, where `removed` is a dead end
        M = P.copy()
        if removed is not None:
            M[idx[removed], :] = 0.0
        mask = np.array([s in targets and s != removed for s in states])
        other = ~mask
        h = mask.astype(float)
        A = np.eye(other.sum()) - M[np.ix_(other, other)]
        b = M[np.ix_(other, mask)].sum(axis=1)
        try:
            h[other] = np.linalg.solve(A, b)
        except np.linalg.LinAlgError:
            h[other] = np.linalg.lstsq(A, b, rcond=None)[0]
        return float(pi @ h)

    successes = {s for s in states if jg.g.nodes[s]["outcome"] == "success"}
    conversion = absorb(successes)
    reach = {s: absorb({s}) for s in states}
    removal = {
        s: (1 - absorb(successes, removed=s) / conversion) if conversion > 1e-12 else 0.0 for s in states
    }
    return conversion, reach, removal


@st.composite
def random_journeys(draw: st.DrawFn) -> str:
    n = draw(st.integers(min_value=2, max_value=7))
    ids = [f"t{i}" for i in range(n)]
    outcomes: dict[int, str] = {}
    for i in range(1, n):
        kind = draw(st.sampled_from([None, None, "success", "failure"]))
        if kind:
            outcomes[i] = kind
    if not any(v == "success" for v in outcomes.values()):
        outcomes[n - 1] = "success"
    lines = []
    for i, ident in enumerate(ids):
        parts = [f"id: {ident}", f"name: T{i}", f"stage: {'one' if i < n / 2 else 'two'}", "channel: web"]
        if i == 0:
            parts.append("entry: true")
        if i in outcomes:
            parts.append(f"outcome: {outcomes[i]}")
        else:
            targets = draw(st.lists(st.sampled_from(ids), min_size=0, max_size=3, unique=True))
            flows, budget = [], 1.0
            for target in targets:
                share = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=10).map(lambda k: k / 10)))
                if share is not None:
                    share = min(share, round(budget, 6))
                    budget -= share
                    flows.append(f"{{to: {target}, share: {share}}}")
                else:
                    flows.append(target)
            if flows:
                parts.append(f"next: [{', '.join(flows)}]")
        lines.append("  - {" + ", ".join(parts) + "}\n")
    return "".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_journeys())
def test_random_journeys_match_a_dense_brute_force(text: str) -> None:
    jg = JourneyGraph(journey(text))
    chain = jg.chain()
    reach = chain.as_dict(chain.reach)
    removal = chain.as_dict(chain.removal_effects)
    assert 0.0 <= chain.conversion <= 1.0
    assert all(0.0 <= r <= 1.0 for r in reach.values())
    assert all(0.0 <= r <= 1.0 for r in removal.values())
    assert chain.conversion == pytest.approx(sum(reach[s] for s in jg.successes), abs=1e-9)
    assert chain.expected_touchpoints >= sum(reach.values()) - 1e-9
    assert sum(chain.absorption.values()) == pytest.approx(1.0)
    if jg.closed_loops():
        return  # the brute force has no notion of "stuck"
    conversion, dense_reach, dense_removal = dense_figures(jg, {e: 1.0 for e in jg.entries})
    assert chain.conversion == pytest.approx(conversion, abs=1e-9)
    assert reach == pytest.approx(dense_reach, abs=1e-9)
    assert removal == pytest.approx(dense_removal, abs=1e-7)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_journeys())
def test_a_touchpoint_on_every_path_to_success_has_removal_effect_one(text: str) -> None:
    jg = JourneyGraph(journey(text))
    chain = jg.chain()
    if chain.conversion <= 1e-9:
        return
    positive = nx.DiGraph((s, t) for s, t, d in jg.g.edges(data=True) if d["share"] > 0)
    positive.add_nodes_from(jg.g)
    for t in jg.order:
        rest = positive.copy()
        rest.remove_node(t)
        cut = t in jg.entries or not any(
            nx.has_path(rest, e, s) for e in jg.entries if e != t for s in jg.successes if s != t
        )
        if cut:
            assert chain.as_dict(chain.removal_effects)[t] == pytest.approx(1.0)


def test_a_bridge_has_removal_effect_one_and_a_side_branch_less() -> None:
    text = """\
  - {id: a, name: A, stage: one, channel: web, next: [{to: b, share: 0.5}, {to: side, share: 0.5}]}
  - {id: side, name: S, stage: one, channel: web, next: [bridge]}
  - {id: b, name: B, stage: one, channel: web, next: [bridge]}
  - {id: bridge, name: Br, stage: two, channel: web, next: [{to: win, share: 0.7}]}
  - {id: win, name: W, stage: two, channel: web, outcome: success}
"""
    chain = JourneyGraph(journey(text)).chain()
    removal = chain.as_dict(chain.removal_effects)
    assert removal["bridge"] == pytest.approx(1.0)
    assert removal["side"] == pytest.approx(0.5)
    assert chain.conversion == pytest.approx(0.7)


def test_sample_journeys_build_and_solve(sample_files: list) -> None:
    from journeymap.loader import load

    assert sample_files, "no sample journeys found"
    for path in sample_files:
        jg = JourneyGraph(load(path))
        chain = jg.chain()
        assert jg.entries
        assert 0 < chain.conversion < 1
        conversion, reach, _ = dense_figures(jg, {e: 1.0 for e in jg.entries})
        assert chain.conversion == pytest.approx(conversion)
        assert chain.as_dict(chain.reach) == pytest.approx(reach)
