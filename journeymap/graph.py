"""The journey graph: touchpoints and flows as a networkx ``DiGraph``, and the flow maths.

:class:`JourneyGraph` is public API. Its ``graph`` (alias ``g``) is a plain
``networkx.DiGraph`` keyed by touchpoint id whose attributes are plain data, so
users can run their own networkx algorithms on it::

    >>> import journeymap
    >>> jg = JourneyGraph(journeymap.load("sample_journeys/grocery-first-order.journey.yaml"))
    >>> jg.g.nodes["choose-delivery-slot"]["stage"]
    'checkout'
    >>> jg.g.edges["choose-delivery-slot", "apply-welcome-voucher"]["share"]
    0.63

Node attributes: ``name``, ``stage``, ``stage_index``, ``channel``,
``channel_kind``, ``order`` (position in the file), ``entry`` (declared
``entry: true``), ``outcome`` (None, "success" or "failure"), ``emotion``,
``friction`` (list of ``{type, severity, note}``), ``metrics`` (name -> value,
as written in the journey), ``leave`` (share of customers who leave the journey
here) and ``hidden_share`` (share of flows to touchpoints the persona does not
meet; see below). The analysis adds ``reach``, ``removal_effect``, ``weak`` and
``impact`` to its own copy.

Edge attributes: ``share`` (the resolved fraction of customers taking the
flow), ``declared_share`` (as written, None when implied), ``label`` and
``channel_switch``.

Shares. Flows with a ``share`` keep it. Flows without one split what is left of
1 after the explicit shares equally among them (all of 1 when no flow of the
touchpoint has a share). Where the shares add up to less than 1, the rest of
the customers leave the journey there (``leave``). Shares that add up to a hair
more than 1 (the loader allows 0.001) are scaled down to 1.

Personas. A persona sees only the touchpoints it meets. Flows into touchpoints
it does not meet are dropped, and the touchpoint's remaining flows and its
leave share are scaled up in proportion (the persona's customers are
distributed as the journey's are, given that they never take the hidden
paths). When every way on from a touchpoint is hidden, the persona's
customers leave there. Entries are the journey's entries the persona meets;
if it meets none of them, the touchpoints nobody points to in its subgraph.

:class:`FlowChain` is the absorbing Markov chain over the graph (exact linear algebra;
never simulation): dense numpy matrices for journeys of up to :data:`DENSE_LIMIT`
touchpoints, scipy's sparse ones above that. scipy.sparse takes ~0.4 s to import,
more than the whole analysis of a journey of a few hundred touchpoints, so a
command on such a journey never imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from .shares import resolve_shares

if TYPE_CHECKING:
    from .model import Journey

#: Journeys with at most this many touchpoints are solved with dense matrices (numpy's LAPACK
#: solve takes ~10 ms at 500); bigger ones with scipy's sparse LU.
DENSE_LIMIT = 500


class _Solver:
    """A square matrix A, ready to solve ``A x = b`` (``trans="T"``: ``A^T x = b``): numpy's
    dense solve, or scipy's sparse LU factorisation (made once, reused)."""

    def __init__(self, A: Any) -> None:
        if isinstance(A, np.ndarray):
            self._dense: np.ndarray | None = A
            self._lu: Any = None
        else:
            from scipy.sparse.linalg import splu

            self._dense = None
            self._lu = splu(A.tocsc())

    def solve(self, b: np.ndarray, trans: str = "N") -> np.ndarray:
        if self._dense is None:
            return self._lu.solve(b, trans=trans)  # type: ignore[no-any-return]
        return np.linalg.solve(self._dense.T if trans == "T" else self._dense, b)


def _identity_minus(Q: Any) -> Any:
    """I - Q, dense for a dense Q, sparse (CSC) for a sparse one."""
    if isinstance(Q, np.ndarray):
        return np.eye(Q.shape[0]) - Q
    from scipy import sparse

    return (sparse.identity(Q.shape[0], format="csc") - Q).tocsc()


def _entries(P: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, values) of the non-zero entries of ``P``, row by row."""
    if isinstance(P, np.ndarray):
        rows, cols = np.nonzero(P)
        return rows, cols, P[rows, cols]
    coo = P.tocoo()
    return coo.row, coo.col, coo.data

#: Shares closer than this to a bound count as the bound.
EPSILON = 1e-12


@dataclass(frozen=True)
class ChannelSwitch:
    """A flow along which customers change channel (app -> phone, say)."""

    source: str
    target: str
    from_channel: str
    to_channel: str
    share: float


class JourneyGraph:
    """A journey (optionally as one persona sees it) as a networkx ``DiGraph`` keyed by touchpoint id."""

    def __init__(self, journey: Journey, persona: str | None = None) -> None:
        if persona is not None and persona not in journey.persona_by_id:
            from .problems import did_you_mean

            hint = did_you_mean(persona, journey.persona_by_id)
            raise ValueError(f"unknown persona '{persona}'" + (f" ({hint})" if hint else ""))
        self.journey = journey
        self.persona = persona
        self.graph: nx.DiGraph = nx.DiGraph(journey=journey.id, persona=persona)
        self._build()

    @property
    def g(self) -> nx.DiGraph:
        """Short alias of :attr:`graph`."""
        return self.graph

    def for_persona(self, persona: str | None) -> JourneyGraph:
        """The graph as ``persona`` sees it (None: every touchpoint)."""
        return JourneyGraph(self.journey, persona)

    # -- building -------------------------------------------------------------

    def _build(self) -> None:
        journey = self.journey
        stage_index = {s.id: i for i, s in enumerate(journey.stages)}
        visible = {t.id for t in journey.touchpoints_for(self.persona)}
        g = self.graph
        for order, tp in enumerate(journey.touchpoints):
            if tp.id not in visible:
                continue
            channel = journey.channel_by_id.get(tp.channel)
            g.add_node(
                tp.id,
                name=tp.name,
                stage=tp.stage,
                stage_index=stage_index.get(tp.stage, len(stage_index)),
                channel=tp.channel,
                channel_kind=channel.kind if channel is not None else None,
                order=order,
                entry=tp.entry,
                outcome=tp.outcome,
                emotion=tp.emotion,
                friction=[{"type": f.type, "severity": f.severity, "note": f.note} for f in tp.friction],
                metrics={name: float(m.value) for name, m in tp.metrics.items()},
                leave=0.0,
                hidden_share=0.0,
                handoff=0.0,
            )
        for tp in journey.touchpoints:
            if tp.id not in visible:
                continue
            flows = resolve_shares([(f.to, f.share) for f in tp.next])
            # A flow into another journey is an exit of this one: not an edge, not hidden.
            out = [not f.leads_out(journey.id) for f in tp.next]
            kept = [(f, share) for f, share, here in zip(tp.next, flows, out, strict=True) if here and f.to in visible]
            hidden = sum(share for f, share, here in zip(tp.next, flows, out, strict=True) if here and f.to not in visible)
            handoff = sum(share for share, here in zip(flows, out, strict=True) if not here)
            leave = max(0.0, 1.0 - sum(flows))
            scale = 1.0
            if hidden > EPSILON:
                remaining = 1.0 - hidden
                scale = 1.0 / remaining if remaining > EPSILON else 0.0
                leave = leave * scale if remaining > EPSILON else 1.0
            g.nodes[tp.id]["leave"] = leave
            g.nodes[tp.id]["hidden_share"] = hidden
            g.nodes[tp.id]["handoff"] = handoff * scale if hidden <= EPSILON or 1.0 - hidden > EPSILON else 0.0
            for flow, share in kept:
                g.add_edge(
                    tp.id,
                    flow.to,
                    share=share * scale,
                    declared_share=flow.share,
                    label=flow.label,
                    channel_switch=g.nodes[tp.id]["channel"] != g.nodes[flow.to]["channel"],
                )

    # -- structure ------------------------------------------------------------

    @cached_property
    def order(self) -> list[str]:
        """Touchpoint ids in the order of the journey file."""
        return sorted(self.graph.nodes, key=lambda n: self.graph.nodes[n]["order"])

    @cached_property
    def entries(self) -> list[str]:
        """Where customers start, in journey order.

        Declared ``entry: true`` touchpoints; without any, the touchpoints
        nobody points to. For a persona: those of the journey's entries it
        meets, else the touchpoints nobody points to in its subgraph.
        """
        mine = [t for t in self.journey.entry_ids() if t in self.graph]
        if mine or self.persona is None:
            return mine
        return [n for n in self.order if not any(p != n for p in self.graph.predecessors(n))]

    @cached_property
    def outcomes(self) -> dict[str, str]:
        """Outcome touchpoints -> ``"success"`` or ``"failure"``, in journey order."""
        return {n: self.graph.nodes[n]["outcome"] for n in self.order if self.graph.nodes[n]["outcome"]}

    @property
    def successes(self) -> list[str]:
        return [n for n, o in self.outcomes.items() if o == "success"]

    @property
    def failures(self) -> list[str]:
        return [n for n, o in self.outcomes.items() if o == "failure"]

    def share(self, source: str, target: str) -> float:
        """The resolved share of customers at ``source`` who go on to ``target`` (0 if no flow)."""
        data = self.graph.get_edge_data(source, target)
        return float(data["share"]) if data else 0.0

    def flows(self, touchpoint: str) -> list[tuple[str, float]]:
        """``(next touchpoint, share)`` for the flows out of ``touchpoint``, in file order."""
        return [(to, float(data["share"])) for to, data in self.graph.adj[touchpoint].items()]

    def leave(self, touchpoint: str) -> float:
        """The share of customers who leave the journey at ``touchpoint`` (1 at an outcome)."""
        node = self.graph.nodes[touchpoint]
        return 0.0 if node["outcome"] else float(node["leave"])

    def channel_switches(self) -> list[ChannelSwitch]:
        """Flows that change channel, in journey order."""
        switches = []
        for source in self.order:
            for target, data in self.graph.adj[source].items():
                if data["channel_switch"]:
                    switches.append(
                        ChannelSwitch(
                            source,
                            target,
                            self.graph.nodes[source]["channel"],
                            self.graph.nodes[target]["channel"],
                            float(data["share"]),
                        )
                    )
        return switches

    def reachable(self, start: Iterable[str] | None = None) -> set[str]:
        """Touchpoints reachable along flows from ``start`` (default: the entries), including them."""
        seen: set[str] = set()
        frontier = list(self.entries if start is None else start)
        while frontier:
            current = frontier.pop()
            if current in seen or current not in self.graph:
                continue
            seen.add(current)
            frontier.extend(self.graph.successors(current))
        return seen

    def unreachable(self) -> list[str]:
        """Touchpoints no entry leads to, in journey order."""
        reached = self.reachable()
        return [n for n in self.order if n not in reached]

    @cached_property
    def _loop_groups(self) -> list[list[str]]:
        return self._cycle_groups(positive_only=False)

    def _cycle_groups(self, *, positive_only: bool) -> list[list[str]]:
        """Strongly connected groups with a cycle (more than one touchpoint, or a flow to itself),
        each in journey order, ordered by their first touchpoint. Found by scipy's strongly
        connected components in C on big journeys (networkx's took seconds on 200,000
        touchpoints, twice), by networkx's on the others (no scipy import)."""
        order = self.order
        n = len(order)
        if n == 0:
            return []
        position = {node: i for i, node in enumerate(order)}
        rows, cols = [], []
        for source, target, data in self.graph.edges(data=True):
            if positive_only and not data["share"] > 0:
                continue
            rows.append(position[source])
            cols.append(position[target])
        rows_a = np.array(rows, dtype=np.intp)
        cols_a = np.array(cols, dtype=np.intp)
        if n <= DENSE_LIMIT:
            components = nx.DiGraph()
            components.add_nodes_from(range(n))
            components.add_edges_from(zip(rows, cols, strict=True))
            labels = np.empty(n, dtype=np.intp)
            for number, component in enumerate(nx.strongly_connected_components(components)):
                labels[list(component)] = number
        else:
            from scipy import sparse
            from scipy.sparse.csgraph import connected_components

            adjacency = sparse.csr_matrix((np.ones(len(rows_a)), (rows_a, cols_a)), shape=(n, n))
            _, labels = connected_components(adjacency, directed=True, connection="strong")
        sizes = np.bincount(labels)
        looped = sizes > 1
        self_loops = rows_a[rows_a == cols_a]
        looped[labels[self_loops]] = True
        members = np.flatnonzero(looped[labels])  # in journey order already
        groups: dict[int, list[str]] = {}
        for i in members.tolist():
            groups.setdefault(int(labels[i]), []).append(order[i])
        return sorted(groups.values(), key=lambda group: position[group[0]])

    def loop_groups(self) -> list[list[str]]:
        """Groups of touchpoints that customers can cycle through (strongly connected, with a cycle).

        Each group in journey order; groups ordered by their first touchpoint.
        """
        return [list(group) for group in self._loop_groups]

    def loops(self, limit: int = 1000) -> list[list[str]]:
        """Simple cycles (at most ``limit``), each starting at its earliest touchpoint in journey order.

        >>> jg.loops()                                                  # doctest: +SKIP
        [['choose-delivery-slot', 'ask-chat-about-slots']]
        """
        position = {n: i for i, n in enumerate(self.order)}
        found: list[list[str]] = []
        for group in self.loop_groups():
            sub = self.graph.subgraph(group)
            for cycle in nx.simple_cycles(sub):
                first = min(range(len(cycle)), key=lambda i: position[cycle[i]])
                found.append(cycle[first:] + cycle[:first])
                if len(found) >= limit:
                    break
            if len(found) >= limit:
                break
        return sorted(found, key=lambda c: [position[n] for n in c])

    def closed_loops(self) -> list[list[str]]:
        """Loops customers can never leave: every share from their touchpoints stays inside.

        Such a loop is a modelling mistake (customers would cycle for ever); the
        flow maths treats a customer who enters one as stuck there, never
        succeeding.
        """
        return [list(group) for group in self._closed_loops]

    @cached_property
    def _closed_loops(self) -> list[list[str]]:
        closed = []
        for group in self._cycle_groups(positive_only=True):
            members = set(group)
            leaks = False
            for n in group:
                inside = sum(d["share"] for t, d in self.graph.adj[n].items() if t in members)
                if self.graph.nodes[n]["outcome"] or 1.0 - inside > 1e-9:
                    leaks = True
                    break
            if not leaks:
                closed.append(group)
        return closed

    def stage_of(self, touchpoint: str) -> str:
        return str(self.graph.nodes[touchpoint]["stage"])

    def chain(self, entry_weights: Mapping[str, float] | None = None) -> FlowChain:
        """The absorbing Markov chain of this graph; entries weighted equally unless given."""
        if entry_weights is None:
            entries = self.entries
            entry_weights = {e: 1.0 / len(entries) for e in entries} if entries else {}
        return FlowChain(self, entry_weights)


class FlowChain:
    """The journey as an absorbing Markov chain, solved exactly.

    States are touchpoints. Outcome touchpoints are absorbing (success or
    failure); so is leaving the journey, which takes the share missing to 1 at
    each touchpoint. Customers start at the entries with ``entry_weights``
    (normalised to sum to 1). With Q the transitions among non-outcome
    touchpoints and N = (I - Q)^-1 the expected visits:

    - expected visits to j: v = pi N (one solve);
    - reach of j (probability of ever visiting it): v_j / N_jj, where N_jj is
      the expected number of visits to j for a customer starting at j (1 unless
      j is on a loop; computed within j's loop group only);
    - success probability from each touchpoint: b = N r (one solve);
    - conversion: pi . b;
    - removal effect of t: reach_t * b_t / conversion, because the customers
      who succeed through t are exactly those who first reach t and then
      succeed from there (the strong Markov property), so removing t (its
      customers leave) loses P(success) * that fraction.

    Touchpoints in a closed loop (see :meth:`JourneyGraph.closed_loops`) are
    treated as absorbing "stuck" states: reaching one counts as reaching every
    touchpoint of the loop, and each counts as one visit.
    """

    def __init__(self, graph: JourneyGraph, entry_weights: Mapping[str, float]) -> None:
        self.journey_graph = graph
        g = graph.graph
        self.states: list[str] = graph.order
        self.index: dict[str, int] = {n: i for i, n in enumerate(self.states)}
        n = len(self.states)
        self.size = n
        self.is_outcome = np.array([bool(g.nodes[s]["outcome"]) for s in self.states], dtype=bool)
        self.is_success = np.array([g.nodes[s]["outcome"] == "success" for s in self.states], dtype=bool)
        self.closed_loops = graph.closed_loops()
        stuck = {s for group in self.closed_loops for s in group}
        self.is_stuck = np.array([s in stuck for s in self.states], dtype=bool)

        total = sum(max(0.0, float(w)) for w in entry_weights.values())
        self.start = np.zeros(n)
        for entry, weight in entry_weights.items():
            if entry in self.index and total > 0:
                self.start[self.index[entry]] += max(0.0, float(weight)) / total

        rows, cols, vals = [], [], []
        for source in self.states:
            i = self.index[source]
            if self.is_outcome[i] or self.is_stuck[i]:
                continue  # absorbing
            for target, data in g.adj[source].items():
                share = float(data["share"])
                if share > 0:
                    rows.append(i)
                    cols.append(self.index[target])
                    vals.append(share)
        #: One-step transition matrix over all touchpoints (absorbing rows are zero): a numpy
        #: array up to :data:`DENSE_LIMIT` touchpoints, a scipy CSR matrix above.
        self.dense = n <= DENSE_LIMIT
        if self.dense:
            self.P: Any = np.zeros((n, n))
            self.P[rows, cols] = vals  # a DiGraph has one flow per (source, target)
        else:
            from scipy import sparse

            self.P = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(targets, shares) of the flows out of touchpoint number ``i``."""
        if self.dense:
            cols = np.flatnonzero(self.P[i])
            return cols, self.P[i, cols]
        row = self.P.getrow(i)
        return row.indices, row.data

    # -- the core solves ------------------------------------------------------

    @cached_property
    def _transient(self) -> np.ndarray:
        return np.flatnonzero(~self.is_outcome)

    @cached_property
    def _lu(self) -> _Solver:
        t = self._transient
        return _Solver(_identity_minus(self.P[t][:, t]))

    @cached_property
    def visits(self) -> np.ndarray:
        """Expected number of visits to each touchpoint (outcomes: at most 1; a closed
        loop's touchpoints: the probability of getting stuck in it, one visit each)."""
        out = self._first_visits.copy()
        for group in self.closed_loops:
            idx = [self.index[s] for s in group]
            out[idx] = self._first_visits[idx].sum()
        return out

    @cached_property
    def _first_visits(self) -> np.ndarray:
        """Expected visits, where a closed loop's touchpoints absorb at the first one reached."""
        t = self._transient
        out = np.zeros(self.size)
        if len(t):
            out[t] = self._lu.solve(self.start[t].copy(), trans="T")
        outcome = np.flatnonzero(self.is_outcome)
        if len(outcome):
            out[outcome] = self.start[outcome] + (self.P[t][:, outcome].T @ out[t] if len(t) else 0.0)
        return np.maximum(out, 0.0)

    @cached_property
    def return_visits(self) -> np.ndarray:
        """N_jj: expected visits to j for a customer starting at j (1 off loops)."""
        out = np.ones(self.size)
        graph = self.journey_graph
        groups = []
        for group in graph.loop_groups():
            idx = np.array([self.index[s] for s in group])
            idx = idx[~self.is_outcome[idx] & ~self.is_stuck[idx]]
            if len(idx):
                groups.append(idx)
        if not groups:
            return out
        # The flows inside each group, read from P once (slicing P per group cost seconds on
        # thousands of small groups): each group's block of I - P as a small dense matrix.
        label = np.full(self.size, -1)
        for number, idx in enumerate(groups):
            label[idx] = number
        rows, cols, vals = _entries(self.P)
        inside = (label[rows] >= 0) & (label[rows] == label[cols])
        rows, cols, vals = rows[inside], cols[inside], vals[inside]
        by_group = np.argsort(label[rows], kind="stable")
        rows, cols, vals = rows[by_group], cols[by_group], vals[by_group]
        bounds = np.searchsorted(label[rows], np.arange(len(groups) + 1))
        local = np.zeros(self.size, dtype=np.intp)
        for idx in groups:
            local[idx] = np.arange(len(idx))
        for number, idx in enumerate(groups):
            lo, hi = bounds[number], bounds[number + 1]
            if len(idx) <= 400 or self.dense:
                A = np.eye(len(idx))
                np.subtract.at(A, (local[rows[lo:hi]], local[cols[lo:hi]]), vals[lo:hi])
                out[idx] = np.diag(np.linalg.inv(A))
                continue
            from scipy import sparse

            lu = _Solver(_identity_minus(
                sparse.csc_matrix((vals[lo:hi], (local[rows[lo:hi]], local[cols[lo:hi]])), shape=(len(idx), len(idx)))
            ))
            diag = np.empty(len(idx))
            block = 256
            for start in range(0, len(idx), block):
                stop = min(start + block, len(idx))
                rhs = np.zeros((len(idx), stop - start))
                rhs[np.arange(start, stop), np.arange(stop - start)] = 1.0
                sol = lu.solve(rhs)
                diag[start:stop] = sol[np.arange(start, stop), np.arange(stop - start)]
            out[idx] = diag
        return out

    @cached_property
    def reach(self) -> np.ndarray:
        """Probability that a customer entering the journey ever visits each touchpoint."""
        return np.clip(self.visits / self.return_visits, 0.0, 1.0)

    @cached_property
    def success_from(self) -> np.ndarray:
        """Probability of ending in a success outcome, starting at each touchpoint."""
        t = self._transient
        out = self.is_success.astype(float)
        if len(t):
            one_step = np.asarray(self.P[t][:, self.is_success].sum(axis=1)).ravel()
            out[t] = self._lu.solve(one_step)
        return np.clip(out, 0.0, 1.0)

    @cached_property
    def conversion(self) -> float:
        """Probability that a customer entering the journey ends in a success outcome."""
        return float(min(1.0, max(0.0, self.start @ self.success_from)))

    @cached_property
    def removal_effects(self) -> np.ndarray:
        """1 - P(success with t removed) / P(success) for every touchpoint, in one sweep."""
        if self.conversion <= EPSILON:
            return np.zeros(self.size)
        return np.clip(self.reach * self.success_from / self.conversion, 0.0, 1.0)

    @cached_property
    def expected_touchpoints(self) -> float:
        """Expected number of touchpoint visits until a customer leaves or ends (loops count again)."""
        return float(self.visits.sum())

    @cached_property
    def absorption(self) -> dict[str, float]:
        """Where customers end: ``success``, ``failure``, ``leave`` and (closed loops) ``stuck``;
        ``handoff`` (flows into other journeys) only when the journey has such flows."""
        success = float(self.visits[self.is_success].sum())
        failure = float(self.visits[self.is_outcome & ~self.is_success].sum())
        stuck = float(self._first_visits[self.is_stuck].sum())
        g = self.journey_graph.graph
        exits = np.array([float(g.nodes[s].get("handoff", 0.0)) for s in self.states])
        usable = ~self.is_outcome & ~self.is_stuck
        handoff = float((self.visits[usable] * exits[usable]).sum()) if exits.any() else 0.0
        result = {
            "success": success,
            "failure": failure,
            "leave": max(0.0, float(self.start.sum()) - success - failure - stuck - handoff),
            "stuck": stuck,
        }
        if handoff > 0:
            result["handoff"] = handoff
        return result

    # -- sets of touchpoints (stages) -----------------------------------------

    def first_hits(self, targets: Iterable[str]) -> np.ndarray:
        """Probability that the first touchpoint of ``targets`` a customer visits is each one."""
        mask = np.zeros(self.size, dtype=bool)
        mask[[self.index[s] for s in targets if s in self.index]] = True
        hits = np.where(mask, self.start, 0.0)
        other = np.flatnonzero(~mask)
        if len(other) and mask.any():
            before = _Solver(_identity_minus(self.P[other][:, other])).solve(self.start[other].copy(), trans="T")
            hits[mask] += self.P[other][:, mask].T @ before
        return np.clip(hits, 0.0, 1.0)

    def hit_probability(self, targets: Iterable[str]) -> np.ndarray:
        """Probability, from each touchpoint, of visiting one of ``targets`` (now or later)."""
        mask = np.zeros(self.size, dtype=bool)
        mask[[self.index[s] for s in targets if s in self.index]] = True
        out = mask.astype(float)
        other = np.flatnonzero(~mask)
        if len(other) and mask.any():
            one_step = np.asarray(self.P[other][:, mask].sum(axis=1)).ravel()
            out[other] = _Solver(_identity_minus(self.P[other][:, other])).solve(one_step)
        return np.clip(out, 0.0, 1.0)

    def stage_funnel(self, stages: list[str]) -> list[tuple[str, float, float]]:
        """``(stage, reach, drop_off)`` for each stage id, in the order given.

        Reach: probability of visiting at least one touchpoint of the stage.
        Drop-off: the share of customers reaching the stage who then neither
        reach a later stage nor end in success (for the last stage: who do not
        end in success). Skipping a stage is not dropping off.

        Each stage's two solves run only over the touchpoints that matter to it
        (found in one sweep of the graph, in C): before the stage, those
        customers can reach from the entries without passing it and that lead
        into it; after it, those its touchpoints lead to before a later stage
        or a success. On a long journey that is a small part of the whole, so
        the funnel grows with the journey instead of stages times journey.
        """
        g = self.journey_graph.graph
        stage_ids = [g.nodes[s]["stage"] for s in self.states]
        positions: dict[str, list[int]] = {}
        for i, stage in enumerate(stage_ids):
            positions.setdefault(stage, []).append(i)
        is_later = np.zeros(self.size, dtype=bool)  # later stages or a success, filled from the back
        is_later |= self.is_success
        found: dict[str, tuple[float, float]] = {}
        for position in range(len(stages) - 1, -1, -1):
            stage = stages[position]
            members = np.array(positions.get(stage, []), dtype=np.intp)
            if len(members) == 0:
                found[stage] = (0.0, 0.0)
                continue
            mask = np.zeros(self.size, dtype=bool)
            mask[members] = True
            first = self._first_hits(mask)
            reach = float(first.sum())
            moves_on = self._hit_probability(is_later, np.flatnonzero(first > 0))
            kept = float(first @ moves_on)
            drop_off = 1.0 - kept / reach if reach > EPSILON else 0.0
            found[stage] = (min(1.0, reach), min(1.0, max(0.0, drop_off)))
            is_later |= mask
        return [(stage, *found[stage]) for stage in stages]

    @cached_property
    def _flows_dense(self) -> np.ndarray:
        """Which touchpoint has a flow to which (a dense chain's boolean matrix)."""
        return np.asarray(self.P > 0)

    @cached_property
    def _flow_lists(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The flows as adjacency arrays (CSR ``indptr``, ``indices``), forwards and backwards."""
        from scipy import sparse

        forward = sparse.csr_matrix(self.P)
        backward = forward.T.tocsr()
        return forward.indptr, forward.indices, backward.indptr, backward.indices

    def _reached(self, sources: np.ndarray, blocked: np.ndarray, *, reverse: bool = False) -> np.ndarray:
        """Touchpoints reached from ``sources`` along flows (backwards with ``reverse``), never
        passing through a ``blocked`` one (which is reached but not left). One breadth-first
        sweep in C from a virtual touchpoint that leads to every source (on a dense chain, a
        sweep of boolean rows per step)."""
        n = self.size
        seen = np.zeros(n, dtype=bool)
        if len(sources) == 0:
            return seen
        if self.dense:
            flows = self._flows_dense.T if reverse else self._flows_dense
            seen[sources] = True
            frontier = seen.copy()
            while frontier.any():
                frontier = flows[frontier & ~blocked].any(axis=0) & ~seen
                seen |= frontier
            return seen
        from scipy import sparse
        from scipy.sparse.csgraph import breadth_first_order

        f_ptr, f_idx, b_ptr, b_idx = self._flow_lists
        indptr, indices = (b_ptr, b_idx) if reverse else (f_ptr, f_idx)
        lengths = np.diff(indptr)
        kept = np.repeat(~blocked, lengths)
        lengths = np.where(blocked, 0, lengths)
        new_indptr = np.zeros(n + 2, dtype=np.int64)
        np.cumsum(lengths, out=new_indptr[1 : n + 1])
        new_indptr[n + 1] = new_indptr[n] + len(sources)
        new_indices = np.concatenate([indices[kept], sources]).astype(np.int64)
        graph = sparse.csr_matrix((np.ones(len(new_indices)), new_indices, new_indptr), shape=(n + 1, n + 1))
        order = breadth_first_order(graph, n, directed=True, return_predecessors=False)
        seen[order[order < n]] = True
        return seen

    def _first_hits(self, mask: np.ndarray) -> np.ndarray:
        """:meth:`first_hits` for a boolean mask, solved over the touchpoints that matter only."""
        hits = np.where(mask, self.start, 0.0)
        starts = np.flatnonzero((self.start > 0) & ~mask)
        if len(starts) == 0 or not mask.any():
            return np.clip(hits, 0.0, 1.0)
        before = self._reached(starts, mask) & self._reached(np.flatnonzero(mask), np.zeros(self.size, dtype=bool), reverse=True)
        other = np.flatnonzero(before & ~mask)
        if len(other):
            visits = _Solver(_identity_minus(self.P[other][:, other])).solve(self.start[other].copy(), trans="T")
            hits[mask] += self.P[other][:, mask].T @ visits
        return np.clip(hits, 0.0, 1.0)

    def _hit_probability(self, targets: np.ndarray, sources: np.ndarray) -> np.ndarray:
        """:meth:`hit_probability` of a boolean mask, exact at ``sources`` (and on the touchpoints
        between them and the targets); elsewhere 0."""
        out = targets.astype(float)
        if not targets.any() or len(sources) == 0:
            return out
        between = self._reached(sources, targets) & self._reached(np.flatnonzero(targets), np.zeros(self.size, dtype=bool), reverse=True)
        other = np.flatnonzero(between & ~targets)
        if len(other):
            one_step = np.asarray(self.P[other][:, targets].sum(axis=1)).ravel()
            out[other] = _Solver(_identity_minus(self.P[other][:, other])).solve(one_step)
        return np.clip(out, 0.0, 1.0)

    def reach_of(self, touchpoint: str) -> float:
        return float(self.reach[self.index[touchpoint]])

    def as_dict(self, values: np.ndarray) -> dict[str, float]:
        """A per-touchpoint array as ``{touchpoint id: value}`` in journey order."""
        return {s: float(values[i]) for i, s in enumerate(self.states)}
