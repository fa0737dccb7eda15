"""Checks of the value model, scenarios and opportunities on the raw data (positions, "did you mean").

Run by the loader after the models have checked shapes and types, so that
what a schema cannot say is reported too: references to touchpoints, flows,
scenarios and outcomes; shares a change would push above 1; a metric set to a
target it does not have; links that are not http(s). Like the rest of the
loader this module stays light (no numpy, no networkx): ``validate`` uses it.
Metric values in changes are read on their scales and written back as floats.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from . import metrics as metric_catalogue
from .problems import Problem, Span, did_you_mean
from .shares import resolve_shares
from .yamlio import YList, YMap

SHARE_TOLERANCE = 0.001
_CHANGE_KEYS = ("touchpoint", "drop_off", "from", "to", "share", "metric", "value", "meets_targets", "remove", "add")
_KINDS_TEXT = (
    "a change is one of: {touchpoint, drop_off}, {from, to, share}, {touchpoint, metric, value},"
    " {touchpoint, meets_targets: true}, {touchpoint, remove: true}, {add, from, share, next}"
)


def check_value_model(name: str, data: YMap, catalogue: dict[str, metric_catalogue.MetricSpec]) -> list[Problem]:
    """Every problem of ``value``, ``scenarios``, ``opportunities`` and touchpoint ``cost`` in ``data``."""
    checker = _Checker(name, data, catalogue)
    checker.run()
    return checker.problems


def _slug_items(data: YMap, key: str) -> list[YMap]:
    items = data.get(key)
    return [i for i in items if isinstance(i, YMap)] if isinstance(items, YList) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Checker:
    def __init__(self, name: str, data: YMap, catalogue: dict[str, metric_catalogue.MetricSpec]) -> None:
        self.name = name
        self.data = data
        self.catalogue = catalogue
        self.problems: list[Problem] = []
        self.touchpoints: dict[str, YMap] = {}
        for item in _slug_items(data, "touchpoints"):
            ident = item.get("id")
            if isinstance(ident, str):
                self.touchpoints.setdefault(ident, item)
        self.stages = {i.get("id"): i for i in _slug_items(data, "stages")}
        self.removed: dict[str, int] = {}
        self.set_by: dict[tuple[str, ...], int] = {}
        self.change_number = 0

    def add(self, container: YMap | YList, key: Any, code: str, message: str, hint: str | None = None, level: str = "error", *, key_position: bool = False) -> None:
        if isinstance(container, YList):
            line, col = container.item_position(key)
        elif key is None:
            line, col = container.line, container.col
        elif key_position:
            line, col = container.key_position(key)
        else:
            line, col = container.value_position(key)
        self.problems.append(Problem(Span(self.name, line, col), code, message, hint, level))  # type: ignore[arg-type]

    # -- the parts ------------------------------------------------------------

    def run(self) -> None:
        # (a cost's size is checked with or without a value model: 1e16 is a typo either way)
        for name, tp in self.touchpoints.items():
            for key in ("cost", "revenue"):
                self.too_large(tp, key, f"touchpoint '{name}'", "the amount ")
        value = self.data.get("value")
        if isinstance(value, YMap):
            self.check_value(value)
        elif "value" not in self.data.pos:
            for name, tp in self.touchpoints.items():
                money = next((k for k in ("cost", "revenue") if k in tp.pos), None)
                if money is not None:
                    self.add(
                        tp, money, "cost-without-value", f"touchpoint '{name}' has a {money} but the journey has no value model",
                        "add 'value: {currency: EUR}' (your currency) at the top level", "warning", key_position=True,
                    )
                    break
        scenario_ids: dict[str, int] = {}
        for scenario in _slug_items(self.data, "scenarios"):
            ident = scenario.get("id")
            if isinstance(ident, str):
                if ident in scenario_ids:
                    self.add(scenario, "id", "duplicate-id", f"scenario id '{ident}' is used twice (first at line {scenario_ids[ident]})", "ids must be unique per kind within a journey")
                else:
                    scenario_ids[ident] = scenario.value_position("id")[0]
            self.check_changes(scenario.get("changes"), f"scenario '{ident}'")
        opportunity_ids: dict[str, int] = {}
        for opportunity in _slug_items(self.data, "opportunities"):
            ident = opportunity.get("id")
            if isinstance(ident, str):
                if ident in opportunity_ids:
                    self.add(opportunity, "id", "duplicate-id", f"opportunity id '{ident}' is used twice (first at line {opportunity_ids[ident]})", "ids must be unique per kind within a journey")
                else:
                    opportunity_ids[ident] = opportunity.value_position("id")[0]
            self.check_opportunity(opportunity, str(ident), scenario_ids)

    def too_large(self, node: YMap, key: Any, where: str, what: str) -> None:
        """An error where a number is beyond :data:`LARGEST` in size (its products overflow)."""
        number: Any = node.get(key)
        if _is_number(number) and LARGEST < abs(float(number)) < float("inf"):  # (inf and nan: the model's error)
            self.add(
                node, key, "out-of-range", f"{where}: {what}{float(number):g} is more than journeymap computes with",
                "amounts and volumes go up to 1e15 in size (a quadrillion); is the exponent a typo?",
            )

    def check_value(self, value: YMap) -> None:
        self.too_large(value, "volume", "value", "volume ")
        volume: Any = value.get("volume")
        if _is_number(volume) and volume == 0:
            self.add(
                value, "volume", "zero-volume", "value: volume 0: no customers enter, so every figure per period is 0",
                "give the customers entering per period, or leave volume out for figures per customer", "warning",
            )
        self.too_large(value, "leave", "value", "the amount ")
        amounts = value.get("outcomes")
        if isinstance(amounts, YMap):
            for key in amounts:
                self.too_large(amounts, key, "value", "the amount ")
        currency = value.get("currency")
        if isinstance(currency, str) and re.fullmatch(r"[A-Z]{3}", currency) and currency not in ISO_4217:
            hint = _CURRENCY_NICKNAMES.get(currency) or did_you_mean(currency, _COMMON_CURRENCIES) or (
                "ISO 4217 codes are such as EUR, GBP, USD, JPY; amounts are shown with the code as written"
            )
            self.add(value, "currency", "unknown-currency", f"value: '{currency}' is not a currency code of ISO 4217", hint, "warning")
        outcomes = value.get("outcomes")
        if not isinstance(outcomes, YMap):
            return
        outcome_ids = {i: t.get("outcome") for i, t in self.touchpoints.items() if t.get("outcome") in ("success", "failure")}
        # outcomes valued by id: one of a kind left out (and its kind not valued) counts 0, most likely forgotten
        for ident, kind in outcome_ids.items():
            named = [o for o, k in outcome_ids.items() if k == kind and o in outcomes.pos]
            if ident not in outcomes.pos and kind not in outcomes.pos and named:
                self.add(
                    outcomes, None, "outcome-without-value",
                    f"value: the {kind} outcome '{ident}' has no value (outcomes names {', '.join(repr(o) for o in named)},"
                    f" not '{ident}' or '{kind}'), so it counts 0",
                    f"add {ident}: AMOUNT (or {kind}: AMOUNT for every {kind} outcome not named) to outcomes", "warning",
                )
        for key in outcomes:
            if key in ("success", "failure") or key in outcome_ids:
                continue
            if key in self.touchpoints:
                self.add(
                    outcomes, key, "not-an-outcome", f"value: touchpoint '{key}' is not an outcome, so no customer ends there",
                    "outcome values are keyed by 'success', 'failure' or the id of a touchpoint with 'outcome'", key_position=True,
                )
                continue
            hint = did_you_mean(str(key), ["success", "failure", *outcome_ids]) or (
                "keys are 'success', 'failure' or an outcome touchpoint id" + (f" ({', '.join(sorted(outcome_ids))})" if 0 < len(outcome_ids) <= 12 else "")
            )
            self.add(outcomes, key, "unknown-reference", f"value: unknown outcome '{key}'", hint, key_position=True)

    def check_opportunity(self, opportunity: YMap, ident: str, scenario_ids: dict[str, int]) -> None:
        where = f"opportunity '{ident}'"
        touchpoints = opportunity.get("touchpoints")
        if isinstance(touchpoints, YList):
            for index, tp in enumerate(touchpoints):
                if isinstance(tp, str) and tp not in self.touchpoints:
                    self.add(touchpoints, index, "unknown-reference", f"{where}: unknown touchpoint '{tp}'", did_you_mean(tp, self.touchpoints))
        scenario = opportunity.get("scenario")
        if isinstance(scenario, str) and scenario not in scenario_ids:
            self.add(opportunity, "scenario", "unknown-reference", f"{where}: unknown scenario '{scenario}'", did_you_mean(scenario, scenario_ids) or (f"the scenarios are: {', '.join(sorted(scenario_ids))}" if 0 < len(scenario_ids) <= 12 else "define it under the top-level 'scenarios:'"))
        changes = opportunity.get("changes")
        if scenario is not None and isinstance(changes, YList) and len(changes) > 0:
            self.add(opportunity, "changes", "scenario-and-changes", f"{where} has both a scenario and changes", "give its effect once: a scenario id, or inline changes", key_position=True)
        self.check_changes(changes, where)
        effort: Any = opportunity.get("effort")
        low, high = EFFORT_RANGE
        if _is_number(effort) and 0 < effort < float("inf") and not low <= effort <= high:  # (0, below, inf: the model's)
            self.add(
                opportunity, "effort", "out-of-range", f"{where}: effort {float(effort):g} person-days is outside 0.01..1,000,000",
                "person-days from 0.01 (five minutes) to a million, or a size: XS, S, M, L, XL",
            )
        link = opportunity.get("link")
        if isinstance(link, str) and not _is_web_link(link):
            self.add(opportunity, "link", "invalid-link", f"{where}: the link is not an http(s) address", "write a full address such as https://tracker.example.com/ISSUE-12")

    def check_changes(self, changes: Any, where: str) -> None:
        if not isinstance(changes, YList):
            return
        # Shares as the changes leave them, per touchpoint, so that a later change sees the earlier ones.
        shares: dict[str, dict[str, float]] = {}
        added: set[str] = set()
        # Touchpoints removed by a change so far, with that change's number: a later change cannot name them.
        self.removed = {}
        self.set_by = {}  # a flow's share or a drop-off, and the change that set it
        for index, change in enumerate(changes):
            if isinstance(change, YMap):
                self.change_number = index + 1
                self.check_change(change, f"{where}, change #{index + 1}", shares, added)

    def entries(self) -> set[str]:
        """Declared entries, else the touchpoints no other touchpoint flows to (as the graph has it)."""
        declared = {i for i, t in self.touchpoints.items() if t.get("entry") is True}
        if declared:
            return declared
        pointed = set()
        for ident, tp in self.touchpoints.items():
            flows = tp.get("next")
            for flow in flows if isinstance(flows, YList) else ():
                to = flow if isinstance(flow, str) else flow.get("to") if isinstance(flow, YMap) else None
                if to != ident:
                    pointed.add(to)
        return set(self.touchpoints) - pointed

    def flows_of(self, ident: str, shares: dict[str, dict[str, float]]) -> dict[str, float]:
        if ident not in shares:
            tp = self.touchpoints[ident]
            raw = tp.get("next")
            pairs: list[tuple[str, float | None]] = []
            if isinstance(raw, YList):
                for flow in raw:
                    to = flow if isinstance(flow, str) else flow.get("to") if isinstance(flow, YMap) else None
                    share: Any = flow.get("share") if isinstance(flow, YMap) else None
                    if isinstance(to, str):
                        pairs.append((to, float(share) if _is_number(share) else None))
            shares[ident] = dict(zip((t for t, _ in pairs), resolve_shares(pairs), strict=True))
        return shares[ident]

    def known_touchpoint(self, change: YMap, key: str, where: str, added: set[str]) -> str | None:
        ident = change.get(key)
        if not isinstance(ident, str):
            return None
        if ident in self.removed:
            self.gone(change, key, where, ident)
            return None
        if ident in self.touchpoints or ident in added:
            return ident
        self.add(change, key, "unknown-reference", f"{where}: unknown touchpoint '{ident}'", did_you_mean(ident, [*self.touchpoints, *added]))
        return None

    def again(self, change: YMap, key: tuple[str, ...], where: str, what: str) -> None:
        """A warning where a change sets what an earlier change of the scenario set (the last counts)."""
        if key in self.set_by:
            self.add(change, None, "changed-again", f"{where}: sets {what} again, after change #{self.set_by[key]}", "only the last counts: remove the earlier change", "warning")
        self.set_by[key] = self.change_number

    def gone(self, node: YMap | YList, key: Any, where: str, ident: str) -> None:
        self.add(
            node, key, "removed-touchpoint", f"{where}: '{ident}' was removed by change #{self.removed[ident]}",
            "change it before it is removed, or leave the removal out",
        )

    def check_change(self, change: YMap, where: str, shares: dict[str, dict[str, float]], added: set[str]) -> None:
        present = [k for k in _CHANGE_KEYS if k in change.pos and not (k in ("meets_targets", "remove") and change.get(k) is False)]
        kind = None
        if "add" in present:
            kind = "add"
        elif "from" in present or "to" in present:
            kind = "flow"
        elif "drop_off" in present:
            kind = "drop_off"
        elif "metric" in present or "value" in present:
            kind = "metric"
        elif "meets_targets" in present:
            kind = "meets_targets"
        elif "remove" in present:
            kind = "remove"
        required = {
            "add": ("add", "from", "share"),
            "flow": ("from", "to", "share"),
            "drop_off": ("touchpoint", "drop_off"),
            "metric": ("touchpoint", "metric", "value"),
            "meets_targets": ("touchpoint", "meets_targets"),
            "remove": ("touchpoint", "remove"),
            None: (),
        }[kind]
        allowed = set(required) | ({"next", "name", "cost"} if kind == "add" else set())
        extra = [k for k in present if k not in allowed]
        missing = [k for k in required if k not in present]
        known = {*_CHANGE_KEYS, "next", "name", "cost"}
        if any(isinstance(k, str) and k not in known for k in change.pos):
            return  # an unknown key: the model says which, with "did you mean"
        if kind is None and present:
            self.add(change, None, "invalid-change", f"{where}: {', '.join(present)} alone make no change", _KINDS_TEXT)
            return
        if kind is None or extra or missing:
            what = []
            if missing:
                what.append("missing " + ", ".join(missing))
            if extra:
                what.append("does not go with " + ", ".join(extra))
            self.add(change, None, "invalid-change", f"{where}: " + ("; ".join(what) if what else "says nothing to change"), _KINDS_TEXT)
            return
        if kind == "add":
            self.check_add(change, where, shares, added)
            return
        if kind == "flow":
            source = self.known_touchpoint(change, "from", where, added)
            target = change.get("to")
            share: Any = change.get("share")
            if source is None or not isinstance(target, str) or source in added:
                return
            if target in self.removed:
                self.gone(change, "to", where, target)
                return
            flows = self.flows_of(source, shares)
            if target not in flows:
                hint = did_you_mean(target, flows) or (f"'{source}' flows to: {', '.join(flows)}" if flows else f"'{source}' has no next flows")
                self.add(change, "to", "unknown-flow", f"{where}: touchpoint '{source}' has no flow to '{target}'", hint)
                return
            if _is_number(share):
                total = sum(flows.values()) - flows[target] + float(share)
                if total > 1 + SHARE_TOLERANCE:
                    self.add(
                        change, "share", "share-sum",
                        f"{where}: with this change the shares of '{source}' add up to {total:.3g}, more than 1",
                        f"the other flows of '{source}' keep {total - float(share):.3g}; lower this share to at most {max(0.0, 1 - total + float(share)):.3g}, or change the others first",
                    )
                    return
                flows[target] = float(share)
                self.again(change, ("flow", source, target), where, f"the share of {source} -> {target}")
            return
        ident = self.known_touchpoint(change, "touchpoint", where, added)
        if ident is None or ident in added:
            return
        tp = self.touchpoints[ident]
        outcome = tp.get("outcome")
        if kind == "drop_off":
            drop_off: Any = change.get("drop_off")
            if outcome in ("success", "failure"):
                self.add(change, "touchpoint", "change-at-outcome", f"{where}: '{ident}' is an outcome; customers end there, they do not drop off", "change the drop-off of a touchpoint before it")
                return
            flows = self.flows_of(ident, shares)
            if _is_number(drop_off) and drop_off < 1 and sum(flows.values()) <= 0:
                self.add(change, "drop_off", "nowhere-to-go", f"{where}: '{ident}' has no next flows, so every customer there leaves", "add a next flow to the touchpoint first, or change a flow's share")
                return
            if _is_number(drop_off):
                total = sum(flows.values())
                scale = (1 - float(drop_off)) / total if total > 0 else 0.0
                shares[ident] = {t: s * scale for t, s in flows.items()}
                self.again(change, ("drop_off", ident), where, f"the drop-off of '{ident}'")
        elif kind == "remove":
            if outcome in ("success", "failure"):
                self.add(change, "touchpoint", "change-at-outcome", f"{where}: '{ident}' is an outcome and cannot be removed", "remove a step on the way, or change the flows into the outcome")
                return
            flows = {t: s for t, s in self.flows_of(ident, shares).items() if t != ident}
            if ident in self.entries():
                self.add(change, "touchpoint", "remove-entry", f"{where}: '{ident}' is where customers start and cannot be removed", "remove a later step, or change the flows out of it")
                return
            if sum(flows.values()) <= 0:
                self.add(change, "touchpoint", "nowhere-to-go", f"{where}: '{ident}' has no next flows, so its customers would have nowhere to go", "removing a step sends its customers on along its flows")
                return
            self.reroute(ident, flows, shares)
        elif kind == "metric":
            self.check_metric(change, ident, tp, where)
        elif kind == "meets_targets" and change.get("meets_targets") is not True:
            self.add(change, "meets_targets", "invalid-change", f"{where}: meets_targets can only be true", _KINDS_TEXT)

    def reroute(self, ident: str, onward: dict[str, float], shares: dict[str, dict[str, float]]) -> None:
        """``ident`` removed: the flows into it go on along its flows ``onward``, in their proportions
        (as :func:`journeymap.scenarios.apply_changes` does), so that later changes see them."""
        self.removed[ident] = self.change_number
        total = sum(onward.values())
        for other in self.touchpoints:
            if other == ident or other in self.removed:
                continue
            flows = self.flows_of(other, shares)
            if ident not in flows:
                continue
            through = flows.pop(ident)
            for to, share in onward.items():
                flows[to] = flows.get(to, 0.0) + through * share / total

    def check_metric(self, change: YMap, ident: str, tp: YMap, where: str) -> None:
        metric = change.get("metric")
        if not isinstance(metric, str):
            return
        spec = self.catalogue.get(metric)
        if spec is None:
            self.add(change, "metric", "unknown-metric", f"{where}: unknown metric '{metric}'", did_you_mean(metric, self.catalogue))
            return
        value = change.get("value")
        if value == "target":
            if self.target_of(tp, metric) is None:
                self.add(change, "value", "no-target", f"{where}: metric '{metric}' has no target at '{ident}'", "set a target (touchpoint, stage or journey), or give a value")
            return
        try:
            change["value"] = metric_catalogue.parse_value(spec, value)
        except metric_catalogue.MetricValueError as exc:
            self.add(change, "value", "metric-value", f"{where}: {exc}", exc.hint or "or write 'target' for the metric's target")
            return
        try:
            metric_catalogue.check_plausible(spec, value, change["value"])
        except metric_catalogue.MetricValueError as exc:  # read as written, with a warning, as a touchpoint's value is
            self.add(change, "value", "implausible-value", f"{where}: {exc}", exc.hint, "warning")

    def target_of(self, tp: YMap, metric: str) -> Any:
        values = tp.get("metrics")
        entry = values.get(metric) if isinstance(values, YMap) else None
        if isinstance(entry, YMap) and entry.get("target") is not None:
            return entry.get("target")
        stage = self.stages.get(tp.get("stage"))
        targets = stage.get("targets") if isinstance(stage, YMap) else None
        if isinstance(targets, YMap) and targets.get(metric) is not None:
            return targets.get(metric)
        definitions = self.data.get("metrics")
        definition = definitions.get(metric) if isinstance(definitions, YMap) else None
        return definition.get("target") if isinstance(definition, YMap) else None

    def check_add(self, change: YMap, where: str, shares: dict[str, dict[str, float]], added: set[str]) -> None:
        self.too_large(change, "cost", where, "the amount ")
        ident = change.get("add")
        if isinstance(ident, str):
            if (ident in self.touchpoints and ident not in self.removed) or ident in added:
                self.add(change, "add", "duplicate-id", f"{where}: touchpoint '{ident}' already exists", "a new touchpoint needs a new id")
                return
        source = self.known_touchpoint(change, "from", where, added)
        if isinstance(ident, str):
            # the id of a touchpoint an earlier change removed: a new touchpoint from here on (whatif applies the
            # changes in order), which later changes may name
            self.removed.pop(ident, None)
        if source is not None and source not in added:
            tp = self.touchpoints[source]
            if tp.get("outcome") in ("success", "failure"):
                self.add(change, "from", "change-at-outcome", f"{where}: '{source}' is an outcome; no flow leaves it")
                return
            share: Any = change.get("share")
            flows = self.flows_of(source, shares)
            if _is_number(share):
                total = sum(flows.values()) + float(share)
                if total > 1 + SHARE_TOLERANCE:
                    self.add(
                        change, "share", "share-sum",
                        f"{where}: with the new flow the shares of '{source}' add up to {total:.3g}, more than 1",
                        f"the new flow takes its share from those who leave at '{source}' ({max(0.0, 1 - total + float(share)):.3g})",
                    )
                    return
                if isinstance(ident, str):
                    flows[ident] = float(share)
        nexts = change.get("next")
        if isinstance(nexts, YList):
            for index, flow in enumerate(nexts):
                target = flow if isinstance(flow, str) else flow.get("to") if isinstance(flow, YMap) else None
                if isinstance(target, str) and target in self.removed:
                    self.gone(nexts, index, f"{where}: next", target)
                elif isinstance(target, str) and target not in self.touchpoints and target not in added and target != ident:
                    self.add(nexts, index, "unknown-reference", f"{where}: next points to unknown touchpoint '{target}'", did_you_mean(target, self.touchpoints))
        if isinstance(ident, str):
            added.add(ident)


#: The largest amount or volume (in size) the value figures are computed with: a volume times an
#: amount times a loop's visits stays far from a float's overflow (1e308), and no real journey is near it.
LARGEST = 1e15
#: An opportunity's effort in person-days: from 0.01 (five minutes) to a million.
EFFORT_RANGE = (0.01, 1e6)

#: ISO 4217's currency codes (the list in force, with its funds, metals and test codes; HRK, the kuna until 2023).
ISO_4217 = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
    CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
    GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD
    KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK
    NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP
    STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF
    XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL""".split()
)
#: The codes "did you mean" offers (a near miss of a fund's or metal's code is more likely one of these).
_COMMON_CURRENCIES = (
    "EUR USD GBP JPY CHF CNY CAD AUD NZD SEK NOK DKK PLN CZK HUF RON BGN INR BRL MXN ZAR KRW SGD HKD TRY ILS AED"
    " SAR RUB TWD THB IDR MYR PHP".split()
)
#: Three letters written for a currency that are not its code.
_CURRENCY_NICKNAMES = {
    code: f"the {name}'s ISO 4217 code is {iso}"
    for code, name, iso in (
        ("RMB", "renminbi", "CNY"), ("NTD", "New Taiwan dollar", "TWD"), ("UKP", "pound sterling", "GBP"),
        ("STG", "pound sterling", "GBP"), ("YEN", "yen", "JPY"), ("NIS", "shekel", "ILS"), ("SFR", "Swiss franc", "CHF"),
    )
}

_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def _is_web_link(link: str) -> bool:
    """An absolute http(s) address with a host and no spaces or control characters."""
    if _CONTROL.search(link):
        return False
    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
