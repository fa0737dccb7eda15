"""What the journey is worth, and what changing it is worth: value, value at stake, sensitivities.

All exact, on :class:`journeymap.graph.FlowChain` (no simulation, no finite
differences), reusing its factorisation of ``I - Q``. No I/O.

Rewards. A customer collects the value of the outcome they end at (``value.outcomes``:
an outcome touchpoint's id wins over its kind, ``success`` or ``failure``),
``value.leave`` if they leave without an outcome, and at every visit of a
touchpoint (loops included; an outcome touchpoint once) its ``revenue`` less its
``cost`` (below, ``cost`` is that net cost). With N =
(I - Q)^-1 the expected visits, the expected value of a customer starting at each
touchpoint is ``R = N rho`` (one solve), where ``rho`` is the one-step reward:
``rho_i = -cost_i + sum_k P_ik (value_k - cost_k) + leave_i * value.leave`` over
outcomes k. The value per entering customer is ``pi . R`` =
``sum P(outcome) x value - sum expected visits x cost + P(leave) x leave value``.

Changing one touchpoint's drop-off. Convention: the touchpoint's flows keep their
proportions (every share of row i of P is scaled by alpha = (1 - d') / (1 - d)).
Customers behave as before until they first reach i, so the value changes by
``reach_i x (R'_i - R_i)``, and R'_i has a closed form: with f_i = 1 - 1/N_ii the
probability of coming back to i and ``Y_i = sum_j P_ij R_j - f_i R_i`` the value
collected after leaving i until the first return,
``R'_i = (-cost_i + d' L + alpha Y_i) / (1 - alpha f_i)``. So value at stake for
every touchpoint costs O(1) each after one solve.

Sensitivities. Convention: raising the share of flow i -> j takes the customers
from those who leave at i (the leave share absorbs the change). Then
``d value / d share_ij = v_i (R_j - L)`` with v = pi N the expected visits (the
adjoint solve) and R the forward one; for conversion take the success reward
(``b = N r``, L = 0). Raising the drop-off of i scales its flows down:
``d value / d drop_off_i = -v_i (sum_j P_ij R_j - (1 - d_i) L) / (1 - d_i)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .value_check import LARGEST  # beyond it: refused in a journey file, no figures per period

if TYPE_CHECKING:
    from .graph import FlowChain
    from .model import Journey, ValueModel

#: Periods a value model's volume can be given per, and the words used in sentences.
PERIOD_WORD = {"week": "a week", "month": "a month", "quarter": "a quarter", "year": "a year"}
#: Where effort is a T-shirt size: person-days it stands for (the value/effort matrix and ranking).
EFFORT_DAYS = {"XS": 2.0, "S": 5.0, "M": 15.0, "L": 40.0, "XL": 90.0}


def outcome_values(chain: FlowChain, model: ValueModel | None) -> np.ndarray:
    """Value of a customer ending at each touchpoint (0 for touchpoints that are not outcomes)."""
    g = chain.journey_graph.graph
    out = np.zeros(chain.size)
    if model is None:
        return out
    for i, state in enumerate(chain.states):
        kind = g.nodes[state]["outcome"]
        if kind:
            out[i] = float(model.outcomes.get(state, model.outcomes.get(kind, 0.0)))
    return out


def visit_costs(chain: FlowChain, journey: Journey, *, revenue: bool = False) -> np.ndarray:
    """Cost (``revenue``: revenue) of one visit of each touchpoint (0 where none is given)."""
    out = np.zeros(chain.size)
    for i, state in enumerate(chain.states):
        tp = journey.touchpoint_by_id[state]
        amount = tp.revenue if revenue else tp.cost
        if amount is not None:
            out[i] = float(amount)
    return out


@dataclass
class ValueChain:
    """A :class:`FlowChain` with rewards: value per customer, drop-off effects and sensitivities.

    Without a value model (``model`` None) the value figures are 0 and the
    conversion figures still hold.
    """

    chain: FlowChain
    journey: Journey
    model: ValueModel | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # -- rewards --------------------------------------------------------------

    @property
    def leave_value(self) -> float:
        return float(self.model.leave) if self.model is not None else 0.0

    def _get(self, key: str, make: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def costs(self) -> np.ndarray:
        """Net cost of one visit of each touchpoint: its cost less its revenue."""
        return self._get(  # type: ignore[no-any-return]
            "costs", lambda: visit_costs(self.chain, self.journey) - visit_costs(self.chain, self.journey, revenue=True)
        )

    @property
    def outcome_value(self) -> np.ndarray:
        return self._get("outcome_value", lambda: outcome_values(self.chain, self.model))  # type: ignore[no-any-return]

    @property
    def leave_shares(self) -> np.ndarray:
        """The share of customers leaving at each touchpoint (0 at outcomes and in closed loops)."""

        def make() -> np.ndarray:
            c = self.chain
            flows = np.asarray(c.P.sum(axis=1)).ravel()
            out = np.clip(1.0 - flows, 0.0, 1.0)
            out[c.is_outcome | c.is_stuck] = 0.0
            return out

        return self._get("leave", make)  # type: ignore[no-any-return]

    @property
    def rewards(self) -> np.ndarray:
        """R: the expected value of a customer from each touchpoint on (one solve with the chain's LU)."""

        def make() -> np.ndarray:
            c = self.chain
            terminal = self.outcome_value - self.costs  # at an outcome: its value, less its cost
            out = np.where(c.is_outcome, terminal, 0.0)
            t = c._transient
            if len(t):
                one_step = -self.costs + np.asarray(c.P @ np.where(c.is_outcome, terminal, 0.0)).ravel()
                one_step = one_step + self.leave_shares * self.leave_value
                for group in c.closed_loops:  # reaching a closed loop counts one visit of each of its touchpoints
                    idx = [c.index[s] for s in group]
                    one_step[idx] = -self.costs[idx].sum()
                out[t] = c._lu.solve(one_step[t])
            return out

        return self._get("rewards", make)  # type: ignore[no-any-return]

    @property
    def success_value(self) -> np.ndarray:
        """B: probability of success from each touchpoint (1 at a success outcome, 0 at a failure)."""
        return self.chain.success_from

    # -- figures --------------------------------------------------------------

    @property
    def per_customer(self) -> float:
        """Expected value per customer entering: sum P(outcome) x value - sum visits x cost + P(leave) x leave."""
        c = self.chain
        visits = c.visits
        ended = float(visits[c.is_outcome] @ self.outcome_value[c.is_outcome])
        spent = float(visits @ self.costs)
        left = c.absorption["leave"] if c.size else 0.0
        return ended - spent + left * self.leave_value

    @property
    def cost_per_customer(self) -> float:
        """Expected cost per customer entering (every visit, loops included; revenue not deducted)."""
        return float(self.chain.visits @ visit_costs(self.chain, self.journey))

    def outcome_figures(self) -> dict[str, float]:
        """Expected value collected per entering customer at each outcome touchpoint."""
        c = self.chain
        return {s: float(c.visits[i] * self.outcome_value[i]) for i, s in enumerate(c.states) if c.is_outcome[i]}

    # -- one touchpoint's drop-off ----------------------------------------------

    def can_change_drop_off(self, i: int) -> bool:
        c = self.chain
        return not (c.is_outcome[i] or c.is_stuck[i]) and self.leave_shares[i] < 1.0 - 1e-15

    def drop_off_effect(self, touchpoint: str, drop_off: float) -> tuple[float, float] | None:
        """``(change in conversion, change in value per customer)`` if ``touchpoint``'s drop-off
        became ``drop_off`` (its flows keep their proportions); None where that cannot be (an
        outcome, a touchpoint without flows, or a change that would close a loop)."""
        c = self.chain
        i = c.index[touchpoint]
        if not self.can_change_drop_off(i):
            return None
        d = float(self.leave_shares[i])
        alpha = (1.0 - drop_off) / (1.0 - d)
        back = 1.0 - 1.0 / float(c.return_visits[i])  # f_i: probability of coming back to i
        if 1.0 - alpha * back <= 1e-12:
            return None
        reach = float(c.reach[i])
        cols, shares = c.row(i)
        b = self.success_value
        b_after = alpha * (float(shares @ b[cols]) - back * b[i]) / (1.0 - alpha * back)
        R = self.rewards
        L = self.leave_value
        Y = float(shares @ R[cols]) - back * R[i]
        R_after = (-self.costs[i] + drop_off * L + alpha * Y) / (1.0 - alpha * back)
        return reach * (b_after - b[i]), reach * (R_after - R[i])

    # -- sensitivities -----------------------------------------------------------

    def drop_off_sensitivities(self) -> tuple[np.ndarray, np.ndarray]:
        """``(d conversion / d drop_off, d value / d drop_off)`` at every touchpoint (NaN where its
        drop-off cannot change: outcomes, closed loops, touchpoints without flows)."""

        def make() -> tuple[np.ndarray, np.ndarray]:
            c = self.chain
            v = c._first_visits
            P = c.P
            flows_total = 1.0 - self.leave_shares
            with np.errstate(divide="ignore", invalid="ignore"):
                conv = -v * np.asarray(P @ self.success_value).ravel() / flows_total
                value = -v * (np.asarray(P @ self.rewards).ravel() - flows_total * self.leave_value) / flows_total
            unchangeable = np.array([not self.can_change_drop_off(i) for i in range(c.size)], dtype=bool)
            conv[unchangeable] = np.nan
            value[unchangeable] = np.nan
            return conv, value

        return self._get("drop_off_sens", make)  # type: ignore[no-any-return]

    def flow_sensitivities(self, touchpoint: str) -> list[tuple[str, float, float, float]]:
        """``(to, share, d conversion / d share, d value / d share)`` for each flow out of ``touchpoint``
        (raising a share takes customers from those who leave there)."""
        c = self.chain
        i = c.index[touchpoint]
        if c.is_outcome[i] or c.is_stuck[i]:
            return []
        v = float(c._first_visits[i])
        b, R, L = self.success_value, self.rewards, self.leave_value
        return [
            (to, share, v * float(b[c.index[to]]), v * (float(R[c.index[to]]) - L))
            for to, share in c.journey_graph.flows(touchpoint)
        ]


# -- the journey's volume -------------------------------------------------------


def volume_per_period(journey: Journey, entries: dict[str, float], persona: str | None = None) -> tuple[float | None, str]:
    """Customers entering per period and where the figure comes from (``value.volume``,
    ``entries`` for the sum of the entries' ``volume`` metrics, or ``none``; ``no-share`` for a persona
    without a ``share``; ``too-large`` for
    entries' volumes adding up to more than :data:`LARGEST`, which gives no figures per period).

    For a persona: the journey's volume times the persona's ``share`` (none without a share).
    """
    model = journey.value
    volume: float | None = None
    source = "none"
    if model is not None and model.volume is not None:
        volume, source = float(model.volume), "value.volume"
    else:
        found = []
        for entry in entries:
            metric = journey.touchpoint_by_id[entry].metrics.get("volume") if entry in journey.touchpoint_by_id else None
            if metric is None:
                break
            found.append(float(metric.value))
        else:
            if found:
                volume, source = float(sum(found)), "entries"
    if volume is not None and volume > LARGEST:
        # (the value model's volume is checked when the file is loaded; an entry's may come from a data file)
        return None, "too-large"
    if volume is not None and persona is not None:
        share = journey.persona_by_id[persona].share if persona in journey.persona_by_id else None
        if share is None:
            return None, "no-share"
        volume *= float(share)
    return volume, source


# -- money in words -------------------------------------------------------------

_SYMBOL = {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"}

#: ISO 4217 currencies whose minor unit is not a hundredth: no minor unit (a yen has no cents), or a
#: thousandth (a Bahraini dinar has 1,000 fils); every other code is written with two decimals.
MINOR_DIGITS = {
    **dict.fromkeys(
        ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"), 0
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}


def money(amount: float, currency: str, *, sign: bool = False) -> str:
    """An amount for people: ``€12,300``, ``-£8,100``, ``+$950`` (``sign``: always a sign); whole units
    from 100 up, below in the currency's minor unit (cents; none for JPY, ``¥69``; fils for BHD, ``68.950 BHD``)."""
    symbol = _SYMBOL.get(currency)
    decimals = MINOR_DIGITS.get(currency, 2)
    if abs(round(amount, decimals)) >= 100:  # (99.996 rounds to 100: whole units, as 100 is written)
        decimals = 0
    rounded = round(amount, decimals)
    if rounded == 0:
        rounded = 0
    digits = f"{abs(rounded):,.{decimals}f}"
    body = f"{symbol}{digits}" if symbol else f"{digits} {currency}"
    if rounded < 0:
        return "-" + body
    return ("+" + body) if sign and rounded > 0 else body


# -- what the analysis reports ------------------------------------------------------


@dataclass(frozen=True)
class ValueSummary:
    """The journey's value: per entering customer and per period."""

    currency: str
    period: str
    volume: float | None
    """Customers entering per period (None: unknown, so no figures per period)."""
    volume_source: str
    per_customer: float
    per_period: float | None
    cost_per_customer: float
    cost_per_period: float | None

    def to_json(self) -> dict[str, Any]:
        from .analysis import _r

        return {
            "currency": self.currency,
            "period": self.period,
            "volume": _r(self.volume),
            "volume_source": self.volume_source,
            "per_customer": _r(self.per_customer),
            "per_period": _r(self.per_period),
            "cost_per_customer": _r(self.cost_per_customer),
            "cost_per_period": _r(self.cost_per_period),
        }


@dataclass(frozen=True)
class ValueAtStake:
    """What a weak touchpoint meeting its targets is worth: its drop-off at its ``drop_off``
    target (``basis: drop_off_target``), or nobody leaving there when it has none
    (``basis: no_leavers``, a ceiling); its flows keep their proportions."""

    basis: str
    drop_off_before: float
    drop_off_after: float
    conversion_before: float
    conversion_after: float
    value_per_customer: float | None
    """Value gained per entering customer (None without a value model)."""
    value_per_period: float | None
    """Value gained per period (None without a value model or a volume)."""

    def to_json(self) -> dict[str, Any]:
        from .analysis import _r

        return {
            "basis": self.basis,
            "drop_off": {"before": _r(self.drop_off_before), "after": _r(self.drop_off_after)},
            "conversion": {"before": _r(self.conversion_before), "after": _r(self.conversion_after)},
            "value_per_customer": _r(self.value_per_customer),
            "value_per_period": _r(self.value_per_period),
        }


@dataclass(frozen=True)
class FlowSensitivity:
    to: str
    share: float
    conversion: float
    """d conversion / d share (the leave share absorbs the change)."""
    value_per_customer: float | None
    value_per_period: float | None


@dataclass(frozen=True)
class Sensitivity:
    """Exact derivatives at one touchpoint (per unit of share: 1.0 = every customer there)."""

    drop_off_conversion: float | None
    """d conversion / d drop-off (flows keep their proportions); None where the drop-off cannot change."""
    drop_off_value_per_customer: float | None
    drop_off_value_per_period: float | None
    flows: list[FlowSensitivity]

    def to_json(self) -> dict[str, Any]:
        from .analysis import _r

        return {
            "drop_off": {
                "conversion": _r(self.drop_off_conversion),
                "value_per_customer": _r(self.drop_off_value_per_customer),
                "value_per_period": _r(self.drop_off_value_per_period),
            },
            "flows": [
                {
                    "to": f.to,
                    "share": _r(f.share),
                    "conversion": _r(f.conversion),
                    "value_per_customer": _r(f.value_per_customer),
                    "value_per_period": _r(f.value_per_period),
                }
                for f in self.flows
            ],
        }


def _finite(x: float) -> float | None:
    return None if x != x else float(x)


def assess(chain: FlowChain, journey: Journey, entries: dict[str, float], persona: str | None, weak: list[str]) -> tuple[ValueSummary | None, dict[str, ValueAtStake], dict[str, Sensitivity]]:
    """The value summary, value at stake of each weak touchpoint and every touchpoint's sensitivity."""
    from .scenarios import drop_off_target

    model = journey.value
    vc = ValueChain(chain, journey, model)
    volume, source = volume_per_period(journey, entries, persona) if model is not None else (None, "none")
    summary = None
    if model is not None:
        per_customer = vc.per_customer
        cost = vc.cost_per_customer
        summary = ValueSummary(
            currency=model.currency,
            period=model.period,
            volume=volume,
            volume_source=source,
            per_customer=per_customer,
            per_period=per_customer * volume if volume is not None else None,
            cost_per_customer=cost,
            cost_per_period=cost * volume if volume is not None else None,
        )

    def scaled(x: float | None) -> tuple[float | None, float | None]:
        if model is None or x is None:
            return None, None
        return x, (x * volume if volume is not None else None)

    stakes: dict[str, ValueAtStake] = {}
    leave = vc.leave_shares
    for tp in weak:
        i = chain.index[tp]
        if not vc.can_change_drop_off(i):
            continue
        goal = drop_off_target(journey, tp)
        before = float(leave[i])
        after = min(before, goal) if goal is not None else 0.0
        effect = vc.drop_off_effect(tp, after) if after < before else (0.0, 0.0)
        if effect is None:
            continue
        gain_customer, gain_period = scaled(effect[1])
        stakes[tp] = ValueAtStake(
            basis="drop_off_target" if goal is not None else "no_leavers",
            drop_off_before=before,
            drop_off_after=after,
            conversion_before=chain.conversion,
            conversion_after=chain.conversion + effect[0],
            value_per_customer=gain_customer,
            value_per_period=gain_period,
        )
    sens: dict[str, Sensitivity] = {}
    conv, value = vc.drop_off_sensitivities()
    for i, tp in enumerate(chain.states):
        if chain.is_outcome[i] or chain.is_stuck[i]:
            continue
        by_customer, by_period = scaled(_finite(value[i]))
        flows = []
        for to, share, dc, dv in vc.flow_sensitivities(tp):
            fc, fp = scaled(dv)
            flows.append(FlowSensitivity(to, share, dc, fc, fp))
        sens[tp] = Sensitivity(_finite(conv[i]), by_customer, by_period, flows)
    return summary, stakes, sens


def money_short(amount: float, currency: str) -> str:
    """A headline amount: ``£587k``, ``-€1.52M``, ``€2.4B``, ``€1.5T``; below ten thousand as :func:`money`."""
    size = abs(amount)
    if size < 10_000:
        return money(amount, currency)
    units = [(1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T")]
    step = max(i for i, (scale, _) in enumerate(units) if size >= scale)
    # a number that rounds to 1000 of a unit is 1 of the next (999,999: '1M', not '1000k')
    while step + 1 < len(units) and float(f"{size / units[step][0]:.3g}") >= 1000:
        step += 1
    number, suffix = size / units[step][0], units[step][1]
    digits = f"{number:.3g}" if number < 100 else f"{number:,.0f}"
    symbol = _SYMBOL.get(currency)
    body = f"{symbol}{digits}{suffix}" if symbol else f"{digits}{suffix} {currency}"
    return ("-" if amount < 0 else "") + body
