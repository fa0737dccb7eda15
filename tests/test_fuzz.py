"""A deterministic mutation fuzzer: broken and hostile journeys never crash or hang a command.

Each case takes a sample journey or a fixture and applies one to three
mutations: structural ones on the data (ids that collide, flows to nowhere,
closed loops, every share 0, every touchpoint an outcome, a value of another
type, NaN, 1e308 and 400-digit numbers) — half the cases gently, on a valid
journey, so that the analysis and the renderers see it — and textual ones on
the bytes (a deleted, repeated, swapped or re-indented line, a file cut at a
random byte, NUL bytes, a BOM, line separators or control characters in the
middle). Every command runs on the mutant in-process: ``validate``, ``lint``,
``report`` (text, JSON, and Markdown for a persona), ``render`` (HTML, DOT,
Mermaid, Markdown; SVG every 50th case), ``fmt --check`` and ``--diff``, and
``diff`` both ways. Each run must exit 0 or 1, print no traceback and no
"internal error", finish within :data:`BUDGET` seconds and write strict JSON;
``format_text`` must raise nothing but its documented errors and never change
what ``yamlio.parse`` reads.

Also here: fmt alone on 400 more mutants, ``report``/``render`` with broken
data files, ``diff --git`` in a repository, hand-written hostile journeys that
are valid (every share 0, a loop with no exit, a 500-touchpoint chain, 300
entries, ...) with checks on their analysis, and the fixtures of the bugs the
fuzzer found.

The cases are fixed by :data:`SEED` and each case's number, so a failure is
reproduced by its test id (the mutant is kept where the message says). To fuzz
harder outside the suite::

    JOURNEYMAP_FUZZ_CASES=5000 JOURNEYMAP_FUZZ_SEED=7 pytest tests/test_fuzz.py -q -x
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import random
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeymap.cli import main
from journeymap.fmt import FormatError, UnsafeFormatError, format_text
from journeymap.yamlio import decode, parse

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

SEED = int(os.environ.get("JOURNEYMAP_FUZZ_SEED", "20240611"))
CASES = int(os.environ.get("JOURNEYMAP_FUZZ_CASES", "240"))
FIRST = int(os.environ.get("JOURNEYMAP_FUZZ_FIRST", "0"))
#: Seconds one command may take on one mutant (the slowest honest run is well under 1 s).
BUDGET = 10.0
#: Every how many cases the render includes SVG (Graphviz in a process: slow).
SVG_EVERY = 50


@pytest.fixture(autouse=True)
def _quick_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dense mutant fails its diagram after 5 s (render says so) rather than waiting a minute."""
    monkeypatch.setenv("JOURNEYMAP_GRAPHVIZ_TIMEOUT", "5")


# -- the corpus ------------------------------------------------------------------


def _corpus() -> list[Path]:
    files = sorted((ROOT / "sample_journeys").glob("*.journey.yaml"))
    files += sorted(p for p in FIXTURES.glob("**/*.yaml"))
    return files


CORPUS = _corpus()
#: Journeys of the corpus that load without errors (PyYAML reads them the same way as journeymap).
VALID = [
    *sorted((ROOT / "sample_journeys").glob("*.journey.yaml")),
    *(FIXTURES / name for name in (
        "hostile.journey.yaml", "render/small.journey.yaml", "diff/shop-old.journey.yaml", "diff/shop-new.journey.yaml",
        "good/minimal.journey.yaml", "good/metric-forms.journey.yaml", "good/unicode.journey.yaml", "good/anchors-merge.journey.yaml",
        "lint/clean.journey.yaml", "lint/no-success.journey.yaml", "lint/warnings.journey.yaml",
        "imports/nested/nested.journey.yaml", "imports/override/override.journey.yaml", "fmt/canonical.yaml",
    )),
]


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of sample_journeys/ and tests/fixtures/, so that mutants sit beside their imports."""
    import shutil

    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "sample_journeys", root / "sample_journeys")
    shutil.copytree(FIXTURES, root / "fixtures")
    return root


def _mirrored(mirror: Path, path: Path) -> Path:
    if path.is_relative_to(FIXTURES):
        return mirror / "fixtures" / path.relative_to(FIXTURES)
    return mirror / path.relative_to(ROOT)


# -- mutations on the data ---------------------------------------------------------

#: Values of every type a scalar may be replaced with.
VALUES: list[Any] = [
    0, 1, -1, 2, -7, 0.5, 1.5, 100, 10**30, -(10**30), int("9" * 400), 1e308, -1e308, 1e-308,
    float("nan"), float("inf"), float("-inf"), True, False, None,
    "", " ", "text", "82%", "150%", "-5%", "1h30m", "0s", "-3m", "99999999999d", "nan", "1e308",
    "a-b", "Ünïcödé ✓", "\u202eevil", "x" * 5000, "<script>alert(1)</script>", "{{ x }}", "--",
    "line\nbreak", "tab\there", "]]>", "*/", "`", "|", "%", "{", "\"", "'",
    [], [1, 2], ["a", "b"], [[]], [None], {}, {"a": 1}, {"value": None}, {"to": "x"},
]

#: Ids a flow may point to besides the journey's own.
STRANGE_IDS: list[Any] = ["nowhere", "", "UPPER", "a" * 300, 0, -1, None, 1.5, True, [], {}, ["x"]]

KINDS = ("personas", "channels", "stages", "touchpoints")
REQUIRED = ("journeymap", "id", "title", "name", "stage", "channel", "to", "type", "severity", "touchpoints", "stages")


def _items(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    value = data.get(kind)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def _ids(data: dict[str, Any], kind: str) -> list[Any]:
    return [item.get("id") for item in _items(data, kind)]


def _slots(node: Any, containers: bool) -> Iterator[tuple[Any, Any]]:
    """(container, key) of every value below node (scalars, and containers too if asked)."""
    stack = [node]
    while stack:
        current = stack.pop()
        pairs = list(current.items()) if isinstance(current, dict) else list(enumerate(current))
        for key, value in pairs:
            if isinstance(value, (dict, list)):
                if containers:
                    yield current, key
                stack.append(value)
            else:
                yield current, key


def m_replace_scalar(rng: random.Random, data: dict[str, Any]) -> None:
    slots = list(_slots(data, containers=False))
    if slots:
        container, key = rng.choice(slots)
        container[key] = copy.deepcopy(rng.choice(VALUES))


def m_replace_node(rng: random.Random, data: dict[str, Any]) -> None:
    slots = list(_slots(data, containers=True))
    if slots:
        container, key = rng.choice(slots)
        container[key] = copy.deepcopy(rng.choice(VALUES))


def m_retype_field(rng: random.Random, data: dict[str, Any]) -> None:
    """The same field of every item of a kind gets one strange value (emotion: .nan everywhere)."""
    kind = rng.choice(KINDS)
    items = _items(data, kind)
    fields = sorted({k for item in items for k in item if isinstance(k, str)})
    if fields:
        field = rng.choice(fields)
        value = rng.choice(VALUES)
        for item in items:
            item[field] = copy.deepcopy(value)


def m_remove_key(rng: random.Random, data: dict[str, Any]) -> None:
    maps = [c[k] for c, k in _slots(data, containers=True) if isinstance(c[k], dict)] + [data]
    target = rng.choice(maps)
    keys = list(target)
    if not keys:
        return
    required = [k for k in keys if k in REQUIRED]
    key = rng.choice(required) if required and rng.random() < 0.7 else rng.choice(keys)
    del target[key]


def m_add_key(rng: random.Random, data: dict[str, Any]) -> None:
    maps = [c[k] for c, k in _slots(data, containers=True) if isinstance(c[k], dict)] + [data]
    target = rng.choice(maps)
    key = rng.choice(["x-extra", "nmae", "id", "entry", "outcome", "next", "personas", "metrics", "override", 1, None, True, 1.5, "targets", "share"])
    target[key] = copy.deepcopy(rng.choice(VALUES + STRANGE_IDS))


def m_add_flow(rng: random.Random, data: dict[str, Any]) -> None:
    tps = _items(data, "touchpoints")
    if not tps:
        return
    tp = rng.choice(tps)
    pool = _ids(data, "touchpoints") + _ids(data, "stages") + _ids(data, "personas") + STRANGE_IDS
    target = copy.deepcopy(rng.choice(pool))
    edge: Any = target if rng.random() < 0.5 else {"to": target, "share": copy.deepcopy(rng.choice(VALUES))}
    nxt = tp.get("next")
    tp["next"] = ([*nxt, edge] if isinstance(nxt, list) else [edge])


def m_shares(rng: random.Random, data: dict[str, Any]) -> None:
    """Every flow gets the same share: 0, 1, or something odd."""
    share = rng.choice([0, 1, 0, 1, 0.0001, 0.999, 1.0005, float("nan"), float("inf"), -0.0])
    for tp in _items(data, "touchpoints"):
        nxt = tp.get("next")
        if isinstance(nxt, list):
            tp["next"] = [
                {**e, "share": share} if isinstance(e, dict) else {"to": e, "share": share} for e in nxt
            ]


def m_all_outcomes(rng: random.Random, data: dict[str, Any]) -> None:
    drop_next = rng.random() < 0.5
    for tp in _items(data, "touchpoints"):
        tp["outcome"] = rng.choice(["success", "failure"])
        if drop_next:
            tp.pop("next", None)


def m_no_outcomes(rng: random.Random, data: dict[str, Any]) -> None:
    for tp in _items(data, "touchpoints"):
        tp.pop("outcome", None)


def m_self_loops(rng: random.Random, data: dict[str, Any]) -> None:
    tps = _items(data, "touchpoints")
    chosen = tps if rng.random() < 0.5 else rng.sample(tps, min(len(tps), 2))
    for tp in chosen:
        tp.pop("outcome", None)
        edge: Any = tp.get("id") if rng.random() < 0.5 else {"to": tp.get("id"), "share": rng.choice([1, 0.5, 0])}
        nxt = tp.get("next")
        tp["next"] = [*nxt, edge] if isinstance(nxt, list) and rng.random() < 0.5 else [edge]


def m_closed_loop(rng: random.Random, data: dict[str, Any]) -> None:
    """A ring of touchpoints that only point at each other, with no outcome (everybody circles)."""
    tps = _items(data, "touchpoints")
    if not tps:
        return
    ring = tps if rng.random() < 0.3 else rng.sample(tps, min(len(tps), rng.randint(2, 4)))
    share = rng.choice([None, 1, 0.5])
    for i, tp in enumerate(ring):
        tp.pop("outcome", None)
        to = ring[(i + 1) % len(ring)].get("id")
        tp["next"] = [to if share is None else {"to": to, "share": share}]


def m_collide_ids(rng: random.Random, data: dict[str, Any]) -> None:
    kind = rng.choice(KINDS)
    items = _items(data, kind)
    if len(items) >= 2:
        a, b = rng.sample(items, 2)
        b["id"] = a.get("id")
    elif items:
        other = rng.choice(KINDS)
        ids = _ids(data, other)
        if ids:
            items[0]["id"] = rng.choice(ids)


def m_empty_kind(rng: random.Random, data: dict[str, Any]) -> None:
    data[rng.choice(KINDS)] = copy.deepcopy(rng.choice([[], [], None, {}, "", [None], [[]], [{}]]))


def m_few_touchpoints(rng: random.Random, data: dict[str, Any]) -> None:
    tps = _items(data, "touchpoints")
    data["touchpoints"] = rng.sample(tps, min(len(tps), rng.choice([0, 1, 1, 2])))


def m_persona_lists(rng: random.Random, data: dict[str, Any]) -> None:
    personas = _ids(data, "personas")
    how = rng.choice(["empty", "first", "unknown", "one-each", "nested"])
    for i, tp in enumerate(_items(data, "touchpoints")):
        if how == "empty":
            tp["personas"] = []
        elif how == "first":
            tp["personas"] = personas[:1]
        elif how == "unknown":
            tp["personas"] = ["nobody"]
        elif how == "one-each" and personas:
            tp["personas"] = [personas[i % len(personas)]]
        else:
            nested: Any = personas[:1]
            for _ in range(rng.choice([3, 30, 90])):
                nested = [nested]
            tp["personas"] = nested


def m_entries(rng: random.Random, data: dict[str, Any]) -> None:
    value = rng.choice([True, False, None])
    for tp in _items(data, "touchpoints"):
        if value is None:
            tp.pop("entry", None)
        else:
            tp["entry"] = value


def m_stage_shuffle(rng: random.Random, data: dict[str, Any]) -> None:
    stages = _items(data, "stages")
    tps = _items(data, "touchpoints")
    how = rng.choice(["empty-stages", "one-stage", "reverse", "unused"])
    if how == "empty-stages":
        data["stages"] = [*stages, {"id": "nothing-here", "name": "Nothing here"}, {"id": "nor-here", "name": "Nor here"}]
    elif how == "one-stage" and stages:
        for tp in tps:
            tp["stage"] = stages[-1].get("id")
    elif how == "reverse":
        stages.reverse()
        data["stages"] = stages
    else:
        data["stages"] = [{"id": "unused", "name": "Unused"}]


def m_metrics(rng: random.Random, data: dict[str, Any]) -> None:
    names = ["nps", "csat", "ces", "drop_off", "conversion", "response_time", "sentiment", "error_rate", "volume", "fcr", "custom", "nope"]
    tps = _items(data, "touchpoints")
    how = rng.choice(["tp", "tp", "definitions", "weak", "targets"])
    if how == "tp" and tps:
        for tp in rng.sample(tps, min(len(tps), 3)):
            value = copy.deepcopy(rng.choice(VALUES))
            if rng.random() < 0.4:
                value = {"value": value, "n": rng.choice([0, -1, 1, 10**12, 0.5, float("nan"), "many"]), "target": rng.choice(VALUES)}
            metrics = tp.get("metrics") if isinstance(tp.get("metrics"), dict) else {}
            metrics[rng.choice(names)] = value
            tp["metrics"] = metrics
    elif how == "definitions":
        data["metrics"] = {
            rng.choice(names): {
                "label": rng.choice(["", "L", None]),
                "scale": copy.deepcopy(rng.choice([[0, 1], [1, 0], [0, 0], [float("nan"), 1], [float("-inf"), float("inf")], [0], [], "0..1", [-1e308, 1e308]])),
                "better": rng.choice(["higher", "lower", "sideways", None]),
                "target": copy.deepcopy(rng.choice(VALUES)),
            }
            for _ in range(rng.randint(1, 3))
        }
    elif how == "weak":
        data["weak"] = {
            k: copy.deepcopy(rng.choice(VALUES)) for k in rng.sample(["min_n", "friction_severity", "emotion", "other"], 2)
        }
    else:
        for stage in _items(data, "stages"):
            stage["targets"] = {rng.choice(names): copy.deepcopy(rng.choice(VALUES))}


def m_persona_shares(rng: random.Random, data: dict[str, Any]) -> None:
    share = rng.choice([0, 1, 0.5, 1.0005, float("nan"), -0.1, 1e308, "50%"])
    for persona in _items(data, "personas"):
        persona["share"] = share


def m_imports(rng: random.Random, data: dict[str, Any]) -> None:
    data["imports"] = copy.deepcopy(
        rng.choice(
            [
                ["."], ["library"], [""], ["/dev/null"], ["/etc/passwd"], ["../../../../../etc"],
                ["missing.yaml"], ["library/shared.yaml", "library/shared.yaml"], ["grocery-first-order.journey.yaml"],
                ["library/shared.yaml", "library/../library/shared.yaml"], [None], [1], [["a"]], "library/shared.yaml",
                ["lib/shared.yaml"], ["lib"], ["\x00"], ["a" * 5000], ["library/shared.yaml\x00x"], ["~/x.yaml"],
            ]
        )
    )


def m_duplicate_item(rng: random.Random, data: dict[str, Any]) -> None:
    kind = rng.choice(KINDS)
    items = data.get(kind)
    if isinstance(items, list) and items:
        items.append(copy.deepcopy(rng.choice(items)))


def m_friction(rng: random.Random, data: dict[str, Any]) -> None:
    tps = _items(data, "touchpoints")
    if tps:
        tp = rng.choice(tps)
        tp["friction"] = [
            {
                "type": rng.choice(["effort", "wait", "other", "bogus", None, 1]),
                "severity": copy.deepcopy(rng.choice([1, 5, 0, 6, 4.5, float("nan"), "high", None])),
                "note": rng.choice(["n", "", None, "x" * 3000]),
            }
            for _ in range(rng.randint(0, 3))
        ]


def m_strange_keys(rng: random.Random, data: dict[str, Any]) -> None:
    maps = [c[k] for c, k in _slots(data, containers=True) if isinstance(c[k], dict)] + [data]
    target = rng.choice(maps)
    target[rng.choice([1, None, True, 1.5, "", "<<", "x-", "ID"])] = copy.deepcopy(rng.choice(VALUES))


# -- mutations that keep a journey valid, for the analysis and the renderers -------------

HUGE = int("9" * 400)  # past a float: float(HUGE) raises OverflowError


def g_shares(rng: random.Random, data: dict[str, Any]) -> None:
    """Every flow's share 0, 1/n, tiny, or the flows of one touchpoint summing to exactly 1."""
    how = rng.choice(["zero", "even", "tiny", "one-each", "none"])
    for tp in _items(data, "touchpoints"):
        nxt = tp.get("next")
        if not isinstance(nxt, list) or not nxt:
            continue
        targets = [e.get("to") if isinstance(e, dict) else e for e in nxt]
        share = {"zero": 0, "even": 1 / len(targets), "tiny": 1e-12, "one-each": 1.0 if len(targets) == 1 else 0.0}.get(how)
        tp["next"] = [t if share is None else {"to": t, "share": share} for t in targets]


def g_chain(rng: random.Random, data: dict[str, Any]) -> None:
    """Touchpoints in one long chain (first to last), with or without an outcome at the end."""
    tps = _items(data, "touchpoints")
    for tp, following in zip(tps, tps[1:], strict=False):
        tp.pop("outcome", None)
        tp["next"] = [following.get("id")]
        tp.pop("entry", None)
    if tps:
        tps[-1].pop("next", None)
        if rng.random() < 0.5:
            tps[-1]["outcome"] = "success"
        else:
            tps[-1].pop("outcome", None)


def g_loop_from_entry(rng: random.Random, data: dict[str, Any]) -> None:
    """The entry flows into a ring that nobody leaves (share 1 all round, or no shares)."""
    tps = _items(data, "touchpoints")
    if len(tps) < 2:
        return
    ring = tps[1 : 1 + rng.randint(1, min(5, len(tps) - 1))]
    tps[0].pop("outcome", None)
    tps[0]["entry"] = True
    tps[0]["next"] = [ring[0].get("id")]
    share = rng.choice([None, 1, 0.999999])
    for i, tp in enumerate(ring):
        tp.pop("outcome", None)
        tp.pop("entry", None)
        to = ring[(i + 1) % len(ring)].get("id")
        tp["next"] = [to if share is None else {"to": to, "share": share}]


def g_self_loop(rng: random.Random, data: dict[str, Any]) -> None:
    """A touchpoint flows to itself with share 1 (or everything loops on itself)."""
    tps = _items(data, "touchpoints")
    for tp in tps if rng.random() < 0.3 else tps[:1] + rng.sample(tps, min(1, len(tps))):
        tp.pop("outcome", None)
        tp["next"] = [{"to": tp.get("id"), "share": rng.choice([1, 1, 0.5, 0])}]


def g_outcomes(rng: random.Random, data: dict[str, Any]) -> None:
    """Every touchpoint an outcome, only failure outcomes, or no outcome at all."""
    how = rng.choice(["all-success", "all-failure", "none", "failures-only"])
    for tp in _items(data, "touchpoints"):
        if how == "none":
            tp.pop("outcome", None)
        elif how == "failures-only":
            if "outcome" in tp:
                tp["outcome"] = "failure"
        else:
            tp.pop("next", None)
            tp["outcome"] = how[4:]
            tp["entry"] = True


def g_entries(rng: random.Random, data: dict[str, Any]) -> None:
    how = rng.choice(["all", "last", "outcome"])
    tps = _items(data, "touchpoints")
    for tp in tps:
        if how == "all" or (how == "outcome" and "outcome" in tp):
            tp["entry"] = True
    if how == "last" and tps:
        for tp in tps:
            tp.pop("entry", None)
        tps[-1]["entry"] = True


def g_personas(rng: random.Random, data: dict[str, Any]) -> None:
    """Touchpoints restricted to one persona, one each, or to a persona nobody else has."""
    personas = [p for p in _ids(data, "personas") if isinstance(p, str)]
    if not personas:
        return
    how = rng.choice(["first", "last", "one-each", "new"])
    if how == "new":
        data["personas"].append({"id": "lonely", "name": "Lonely", "share": 0})
    for i, tp in enumerate(_items(data, "touchpoints")):
        tp["personas"] = {"first": personas[:1], "last": personas[-1:], "one-each": [personas[i % len(personas)]], "new": personas[:1]}[how]


def g_stages(rng: random.Random, data: dict[str, Any]) -> None:
    stages = _items(data, "stages")
    tps = _items(data, "touchpoints")
    how = rng.choice(["empty-stages", "one-stage", "reverse", "id-shared"])
    if how == "empty-stages":
        stages[:0] = [{"id": "before", "name": "Before"}]
        stages.append({"id": "after", "name": "After", "targets": {"csat": 1}})
    elif how == "one-stage" and stages:
        for tp in tps:
            tp["stage"] = stages[-1].get("id")
    elif how == "reverse":
        stages.reverse()
    elif stages and tps:  # a stage and a touchpoint with the same id (ids are unique per kind only)
        old = stages[0].get("id")
        stages[0]["id"] = tps[0].get("id")
        for tp in tps:
            if tp.get("stage") == old:
                tp["stage"] = tps[0].get("id")


def g_few(rng: random.Random, data: dict[str, Any]) -> None:
    tps = _items(data, "touchpoints")
    keep = rng.sample(tps, min(len(tps), rng.choice([1, 1, 2])))
    ids = {tp.get("id") for tp in keep}
    for tp in keep:
        nxt = tp.get("next")
        if isinstance(nxt, list):
            tp["next"] = [e for e in nxt if (e.get("to") if isinstance(e, dict) else e) in ids]
    data["touchpoints"] = keep


def g_metric_values(rng: random.Random, data: dict[str, Any]) -> None:
    """Extreme but valid metric values, counts and targets."""
    choices: dict[str, list[Any]] = {
        "csat": [0, 1, "0%", "100%", 0.5],
        "nps": [-100, 100, 0],
        "ces": [1, 7],
        "drop_off": [0, 1, 0.999999],
        "conversion": [0, 1],
        "error_rate": [0, 1],
        "sentiment": [-1, 1, 0],
        "response_time": [0, "0s", "99999d", 1e300, "1h30m"],
        "volume": [0, 1, 1e308, HUGE, 10**18, 0.5],
    }
    for tp in _items(data, "touchpoints"):
        if rng.random() < 0.5:
            continue
        name = rng.choice(sorted(choices))
        value = rng.choice(choices[name])
        if rng.random() < 0.5:
            value = {"value": value, "n": rng.choice([0, 1, 29, 30, 10**12, HUGE]), "target": rng.choice(choices[name])}
        metrics = tp.get("metrics") if isinstance(tp.get("metrics"), dict) else {}
        metrics[name] = value
        tp["metrics"] = metrics


def g_weak(rng: random.Random, data: dict[str, Any]) -> None:
    data["weak"] = {
        "min_n": rng.choice([0, 1, 10**9, HUGE]),
        "friction_severity": rng.choice([1, 5]),
        "emotion": rng.choice([-2, 2, 0]),
    }


def g_feelings(rng: random.Random, data: dict[str, Any]) -> None:
    """Every emotion at an end of the scale, every friction blocking."""
    emotion = rng.choice([-2, 2, 0, -1e-300])
    for tp in _items(data, "touchpoints"):
        tp["emotion"] = emotion
        if rng.random() < 0.5:
            tp["friction"] = [{"type": "other", "severity": 5, "note": "x"}] * rng.choice([1, 3])


def g_persona_shares(rng: random.Random, data: dict[str, Any]) -> None:
    share = rng.choice([0, 1, 0.0, 1e-300])
    for i, persona in enumerate(_items(data, "personas")):
        persona["share"] = share if i == 0 or share == 0 else 0


def g_text(rng: random.Random, data: dict[str, Any]) -> None:
    """Hostile text in names, descriptions, labels and notes (escaped per output format)."""
    texts = [
        "<script>alert(1)</script>", "\u202eevil", "a" * 3000, "```", "| pipe |", "-->", "]]>", "{{ x }}", '"quoted"',
        "# heading", "[link](javascript:alert(1))", "\\", "%s %d {0}", "emoji \U0001f600 e\u0301", "  ", "\t", "x\ny",
        "ⓘ 日本語 עברית", "&amp; &lt;", "label\\l", "subgraph end", "click x call alert()",
    ]
    slots = [(c, k) for c, k in _slots(data, containers=False) if k in ("name", "title", "description", "note", "label", "action", "thought", "goal", "owner")]
    for container, key in rng.sample(slots, min(len(slots), rng.randint(1, 6))):
        container[key] = rng.choice(texts)


GENTLE: list[Callable[[random.Random, dict[str, Any]], None]] = [
    g_shares, g_chain, g_loop_from_entry, g_loop_from_entry, g_self_loop, g_outcomes, g_entries, g_personas,
    g_personas, g_stages, g_few, g_metric_values, g_metric_values, g_weak, g_feelings, g_persona_shares, g_text,
]


STRUCTURAL: list[Callable[[random.Random, dict[str, Any]], None]] = [
    m_replace_scalar, m_replace_scalar, m_replace_node, m_retype_field, m_remove_key, m_add_key,
    m_add_flow, m_add_flow, m_shares, m_all_outcomes, m_no_outcomes, m_self_loops, m_closed_loop,
    m_closed_loop, m_collide_ids, m_empty_kind, m_few_touchpoints, m_persona_lists, m_entries,
    m_stage_shuffle, m_metrics, m_metrics, m_persona_shares, m_imports, m_duplicate_item, m_friction,
    m_strange_keys,
]


# -- mutations on the bytes --------------------------------------------------------

GADGETS = [
    b"\x00", b"\xef\xbb\xbf", b"\t", b"\r", b"\x1b[31m", b"\x7f", b"\x85", "\u2028".encode(), "\u202e".encode(),
    "\U0001f600".encode(), "e\u0301".encode(), b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"&a ", b"*a", b"*nope",
    b"<<: *a", b"!!binary ", b"!!python/object:os.system ", b"!custom ", b"? ", b"---\n", b"...\n", b"%YAML 1.1\n",
    b"{", b"[", b"}", b"]", b"|", b">-", b"'", b'"', b"#", b": ", b"- ", b"\n", b"\n\n", b" " * 7, b"~", b"\\",
    b"=", b"@", b"`", b"%", b",",
]


def t_delete_line(rng: random.Random, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def t_duplicate_line(rng: random.Random, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return b"\n".join(lines)


def t_swap_lines(rng: random.Random, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def t_indent(rng: random.Random, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    i = rng.randrange(len(lines))
    change = rng.choice([-4, -2, -1, 1, 2, 4, 40])
    lines[i] = b" " * change + lines[i] if change > 0 else lines[i][-change:] if lines[i][:-change].strip() == b"" else lines[i]
    return b"\n".join(lines)


def t_truncate(rng: random.Random, raw: bytes) -> bytes:
    return raw[: rng.randrange(len(raw) + 1)]


def t_insert(rng: random.Random, raw: bytes) -> bytes:
    at = rng.randrange(len(raw) + 1)
    return raw[:at] + rng.choice(GADGETS) + raw[at:]


def t_replace_token(rng: random.Random, raw: bytes) -> bytes:
    words = raw.split(b" ")
    i = rng.randrange(len(words))
    token = rng.choice([b"0", b"-1", b"1e308", b".nan", b".inf", b"-.inf", b"null", b"[]", b"{}", b"true", b"x", b"''", b"9" * 400])
    tail = b"\n" if words[i].endswith(b"\n") else b""
    words[i] = token + tail
    return b" ".join(words)


def t_crlf(rng: random.Random, raw: bytes) -> bytes:
    return raw.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n"]))


TEXTUAL: list[Callable[[random.Random, bytes], bytes]] = [
    t_delete_line, t_delete_line, t_duplicate_line, t_swap_lines, t_indent, t_indent, t_truncate,
    t_insert, t_insert, t_insert, t_replace_token, t_crlf,
]


def _dump(data: Any) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120).encode("utf-8")


def make_case(index: int, seed: int = SEED) -> tuple[Path, bytes, list[str]]:
    """The base file, the mutant's bytes and the mutations applied, all fixed by (seed, index).

    Half the cases mutate a valid journey gently (it mostly stays valid, so the
    analysis and the renderers see it); the rest break any file of the corpus.
    """
    rng = random.Random(f"{seed}:{index}")
    gentle = rng.random() < 0.5
    base = rng.choice(VALID if gentle else CORPUS)
    raw = base.read_bytes()
    applied: list[str] = []
    data = None
    if gentle or rng.random() < 0.7:
        with contextlib.suppress(Exception):
            data = yaml.load(raw, Loader=yaml.CSafeLoader)
    if isinstance(data, dict):
        for _ in range(rng.choice([1, 1, 2, 3])):
            mutation = rng.choice(GENTLE if gentle else STRUCTURAL + GENTLE)
            mutation(rng, data)
            applied.append(mutation.__name__)
        raw = _dump(data)
    if not applied or (not gentle and rng.random() < 0.35) or (gentle and rng.random() < 0.05):
        for _ in range(rng.choice([1, 1, 2])):
            if not raw:
                break
            textual = rng.choice(TEXTUAL)
            raw = textual(rng, raw)
            applied.append(textual.__name__)
    return base, raw, applied


# -- running the commands ------------------------------------------------------------


class Hang(BaseException):
    """Raised by the alarm inside a command that ran past the budget (main() cannot swallow it)."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    def ring(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    if not hasattr(signal, "setitimer"):  # Windows: the wall-clock check after the run still holds
        yield
        return
    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_cli(argv: list[str], budget: float = BUDGET) -> tuple[int, str, str, float]:
    """Run journeymap in-process; return (exit code, stdout, stderr, seconds). A hang fails the test."""
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    try:
        with _deadline(budget * 3), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except Hang:
        pytest.fail(f"journeymap {' '.join(argv)} hung (> {budget * 3} s)")
    except SystemExit as exc:  # argparse: a usage error
        code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - start


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def persona_of(raw: bytes, index: int) -> str | None:
    """A persona of the mutant to view it as (every few cases), if it has one."""
    if index % 4:
        return None
    try:
        data = yaml.load(raw, Loader=yaml.CSafeLoader)
    except Exception:
        return None
    personas = data.get("personas") if isinstance(data, dict) else None
    ids = [p.get("id") for p in personas if isinstance(p, dict)] if isinstance(personas, list) else []
    ids = [i for i in ids if isinstance(i, str)]
    return ids[index % len(ids)] if ids else None


def _commands(original: Path, mutant: Path, out_dir: Path, svg: bool, persona: str | None = None) -> list[list[str]]:
    m, o = str(mutant), str(original)
    as_persona = [
        ["report", "--persona", persona, "--format", "markdown", m],
        ["render", m, "--persona", persona, "--to", "html,dot", "-o", str(out_dir)],
    ] if persona else []
    return as_persona + [
        ["validate", m],
        ["lint", m],
        ["report", "--format", "json", m],
        ["report", m],
        ["render", m, "--to", "html,dot,mermaid,md" + (",svg" if svg else ""), "-o", str(out_dir)],
        ["fmt", "--check", m],
        ["fmt", "--diff", m],
        ["diff", o, m, "--format", "markdown"],
        ["diff", m, o, "--format", "json"],
    ]


def check_commands(
    original: Path, mutant: Path, out_dir: Path, *, svg: bool = False, persona: str | None = None, label: str = ""
) -> None:
    for argv in _commands(original, mutant, out_dir, svg, persona):
        code, stdout, stderr, seconds = run_cli(argv)
        output = stdout + stderr
        where = f"{label}\njourneymap {' '.join(argv)}\n{output[-3000:]}"
        assert code in (0, 1), f"exit {code}: {where}"
        assert "Traceback" not in output, where
        assert "internal error" not in output, where
        assert seconds < BUDGET, f"took {seconds:.1f} s: {where}"
        if "json" in argv and stdout:  # strict JSON: no NaN or Infinity
            json.loads(stdout, parse_constant=_no_constant)


def _same(a: Any, b: Any) -> bool:
    """Equal data, NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        if len(a) != len(b):
            return False
        by_key = {repr(k): v for k, v in b.items()}
        return all(repr(k) in by_key and _same(v, by_key[repr(k)]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def check_fmt(raw: bytes, label: str) -> None:
    text, problems = decode(raw, "mutant.yaml")
    if text is None:
        return
    try:
        out = format_text(text, filename="mutant.yaml")
    except (FormatError, UnsafeFormatError):
        return
    before, _ = parse(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), "mutant.yaml")
    after, after_problems = parse(out, "mutant.yaml")
    assert _same(before, after), f"fmt changed the data: {label}"


# -- the fuzz cases --------------------------------------------------------------------


@pytest.mark.parametrize("index", range(FIRST, FIRST + CASES))
def test_mutant(index: int, mirror: Path, tmp_path: Path) -> None:
    base, raw, applied = make_case(index)
    original = _mirrored(mirror, base)
    mutant = original.with_name(f"fuzz-{index}.{base.name}")
    mutant.write_bytes(raw)
    label = f"case {index} (seed {SEED}): {base.relative_to(ROOT)} + {', '.join(applied)}; mutant kept at {mutant}"
    check_fmt(raw, label)
    check_commands(original, mutant, tmp_path, svg=index % SVG_EVERY == 0, persona=persona_of(raw, index), label=label)
    mutant.unlink()  # kept when the case fails, to look at


# -- fmt alone: many more mutants, cheaply ------------------------------------------------

#: Text that makes layout hard: markers, comments, anchors, tags, odd keys, every kind of line break.
FMT_GADGETS = [
    b"---", b"--- ", b"...", b"... ", b"# c", b" #c", b"&a", b"*a", b"!!str ", b"? x\n: y\n", b"?", b"|+\n", b">-\n",
    b"|2\n", b"- ", b"-\t", b"\t", b"  ", b"\n  ", b"\r\n", b"'", b'"', b"\\", b"{", b"}", b"[", b"]", b",", b": ", b":",
    b"\x85", "\u2028".encode(), "\u2029".encode(), b"\xef\xbb\xbf", b"%TAG ! x\n", b"<<: {a: 1}\n", b"x-a: &z 1\n",
]


@pytest.mark.parametrize("batch", range(4))
def test_fmt_mutants(batch: int) -> None:
    """format_text on 100 mutants a batch: only FormatError, and never other data or comments."""
    for index in range(FIRST + batch * 100, FIRST + batch * 100 + 100):
        rng = random.Random(f"{SEED}:fmt:{index}")
        raw = rng.choice(CORPUS).read_bytes()
        for _ in range(rng.choice([1, 2, 3, 4])):
            if raw and rng.random() < 0.5:
                raw = rng.choice(TEXTUAL)(rng, raw)
            else:
                at = rng.randrange(len(raw) + 1)
                raw = raw[:at] + rng.choice(FMT_GADGETS + GADGETS) + raw[at:]
        text, _ = decode(raw, "mutant.yaml")
        if text is None:
            continue
        try:
            out = format_text(text)
        except FormatError:
            continue
        except UnsafeFormatError as exc:
            pytest.fail(f"fmt case {index} (seed {SEED}): {exc.problem.message}\n{raw!r}")
        assert format_text(out) == out, f"fmt case {index} (seed {SEED}) is not stable:\n{raw!r}"


# -- data files and git ------------------------------------------------------------------

DATA = ROOT / "sample_journeys" / "data"
#: Cells a data file's value may be replaced with.
CELLS = [
    "", " ", "nan", "inf", "-inf", "1e400", "-1", "0", "9" * 400, "1e308", "150%", "1:30", "99999d", "0000-00-00",
    "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "2026-13-45", "x" * 3000, "\x00", "\ufeff", '"', "a,b",
    "see-social-ad", "nope", "csat", "nps", "volume", "success", "maybe", "11", "4", "2026-10-01",
]


def mutate_table(rng: random.Random, text: str) -> str:
    """A data table with cells replaced, rows deleted, repeated or cut, separators changed."""
    lines = text.split("\n")[: rng.randint(2, 80)]
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        how = rng.random()
        if how < 0.5:
            cells = lines[i].split(",")
            cells[rng.randrange(len(cells))] = rng.choice(CELLS)
            lines[i] = ",".join(cells)
        elif how < 0.6 and len(lines) > 1:
            del lines[i]
        elif how < 0.7:
            lines.insert(i, lines[i])
        elif how < 0.8:
            lines[i] += "," + rng.choice(CELLS)
        else:
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + rng.choice(["\x00", "\ufeff", '"', ";", "\t", "\r", "\u2028"]) + lines[i][at:]
    text = "\n".join(lines)
    return text.replace(",", rng.choice([";", "\t"])) if rng.random() < 0.1 else text


@pytest.mark.parametrize("index", range(FIRST, FIRST + CASES, 10))
def test_mutant_with_broken_data_files(index: int, mirror: Path, tmp_path: Path) -> None:
    """report and render with a metrics table, survey responses and an event log, each mutated."""
    rng = random.Random(f"{SEED}:data:{index}")
    journey = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
    if rng.random() < 0.5:
        base, raw, _ = make_case(index)
        journey = _mirrored(mirror, base).with_name(f"fuzz-data-{index}.{base.name}")
        journey.write_bytes(raw)
    options = []
    for kind in ("metrics", "responses", "events"):
        if rng.random() < 0.7:
            table = tmp_path / f"{kind}.csv"
            table.write_bytes(mutate_table(rng, (DATA / f"grocery-first-order.{kind}.csv").read_text("utf-8")).encode("utf-8"))
            options += [f"--{kind}", str(table)]
    label = f"data case {index} (seed {SEED}): {journey} {' '.join(options)}"
    for argv in (
        ["report", str(journey), "--format", "json", *options],
        ["render", str(journey), "--to", "md", "-o", str(tmp_path / "out"), *options],
    ):
        code, stdout, stderr, seconds = run_cli(argv)
        output = stdout + stderr
        assert code in (0, 1) and "internal error" not in output and "Traceback" not in output, f"{label}\n{output[-3000:]}"
        assert seconds < BUDGET, label
        if "json" in argv and stdout:
            json.loads(stdout, parse_constant=_no_constant)


@pytest.mark.parametrize("index", range(FIRST, FIRST + CASES, 50))
def test_mutant_in_a_git_repository(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """diff --git HEAD with the mutant in the working tree over its original (and a copy, and a
    mutated library): the old side is read from git, imports and all."""
    import shutil
    import subprocess

    base, raw, applied = make_case(index)
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "sample_journeys", repo, ignore=shutil.ignore_patterns("data", "*.md"))
    shutil.copytree(base.parent, repo / "case", ignore=shutil.ignore_patterns("*.expected"))

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=f", "-c", "user.email=f@example.invalid", "-c", "commit.gpgsign=false", *args],
                       cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    (repo / "case" / base.name).write_bytes(raw)
    (repo / "case" / f"copy-{base.name}").write_bytes(raw)
    (repo / "library" / "shared.yaml").write_bytes(raw if index % 100 == 0 else b"journeymap: 1\nchannels: []\n")
    monkeypatch.chdir(repo)
    label = f"git case {index} (seed {SEED}): {base.relative_to(ROOT)} + {', '.join(applied)}"
    for argv in (["diff", "--git", "HEAD", "--format", "json"], ["diff", "--git", "HEAD", "--format", "markdown", "case"]):
        code, stdout, stderr, seconds = run_cli(argv)
        output = stdout + stderr
        assert code in (0, 1) and "internal error" not in output and "Traceback" not in output, f"{label}\n{output[-3000:]}"
        assert seconds < BUDGET * 2, label
        if "json" in argv:
            json.loads(stdout, parse_constant=_no_constant)


# -- hand-written hostile journeys that are valid ---------------------------------------


def build(touchpoints: list[dict[str, Any]], *, personas: tuple[str, ...] = ("p",), stages: tuple[str, ...] = ("s",)) -> str:
    """A journey file: one channel, the given personas and stages; touchpoint fields as YAML text."""
    lines = ["journeymap: 1", "id: hostile", "title: Hostile", "personas:"]
    lines += [f"  - {{id: {p}, name: {p.upper()}}}" for p in personas]
    lines += ["channels: [{id: web, name: Web}]", "stages:"]
    lines += [f"  - {{id: {s}, name: {s.upper()}}}" for s in stages]
    lines.append("touchpoints:")
    for tp in touchpoints:
        fields = {"name": str(tp["id"]).upper(), "stage": stages[0], "channel": "web", **tp}
        lines.append("  - {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}")
    return "\n".join(lines) + "\n"


def _chain(n: int, **last: Any) -> list[dict[str, Any]]:
    return [{"id": f"t{i}", "next": f"[t{i + 1}]", "emotion": i % 5 - 2} for i in range(n - 1)] + [{"id": f"t{n - 1}", **last}]


def _every_share_0(a: Any) -> None:
    assert a.conversion == 0 and a.outcomes["leave"] == pytest.approx(1)


def _stuck_in_the_loop(a: Any) -> None:
    assert a.outcomes["stuck"] == pytest.approx(1) and a.conversion == 0
    assert any("never leave" in note for note in a.notes)


def _chain_of_500(a: Any) -> None:
    assert a.conversion == pytest.approx(1) and a.expected_touchpoints == pytest.approx(500)


def _300_entries(a: Any) -> None:
    assert len(a.entries) == 300 and a.entry_weighting == "volume" and a.entries["t0"] == 0


def _half_stuck_on_itself(a: Any) -> None:
    assert a.outcomes["stuck"] == pytest.approx(0.5) and a.touchpoints["b"].reach == pytest.approx(0.5)


def _empty_stages(a: Any) -> None:
    assert [s.reach for s in a.stages] == [1, 0, 0]


def _only_failures(a: Any) -> None:
    assert a.conversion == 0 and a.outcomes["failure"] == pytest.approx(1)


def _nothing_for_this_persona(a: Any) -> None:
    assert a.touchpoints == {} and a.conversion == 0 and a.notes


def _half_succeed(a: Any) -> None:
    assert a.conversion == pytest.approx(0.5)


def _finite(a: Any) -> None:
    assert 0 <= a.conversion <= 1 and math.isfinite(a.expected_touchpoints)


#: name -> (journey text, persona to view it as or None, a check on its analysis, or None: not valid)
HOSTILE: dict[str, tuple[str, str | None, Callable[[Any], None] | None]] = {
    "every-share-0": (
        build([{"id": f"t{i}", "next": f"[{{to: t{i + 1}, share: 0}}]"} for i in range(5)] + [{"id": "t5", "outcome": "success"}]),
        None,
        _every_share_0,
    ),
    "closed-loop-from-the-entry": (
        build([
            {"id": "a", "entry": "true", "next": "[b]"},
            {"id": "b", "next": "[{to: c, share: 1}]"},
            {"id": "c", "next": "[{to: b, share: 1}]"},
            {"id": "done", "outcome": "success"},
        ]),
        None,
        _stuck_in_the_loop,
    ),
    "chain-of-500": (build(_chain(500, outcome="success")), None, _chain_of_500),
    "300-entries": (
        build([{"id": f"t{i}", "entry": "true", "next": "[end]", "metrics": f"{{volume: {i}}}"} for i in range(300)] + [{"id": "end", "outcome": "success"}]),
        None,
        _300_entries,
    ),
    "flows-to-itself-with-share-1": (
        build([{"id": "a", "entry": "true", "next": "[b]"}, {"id": "b", "next": "[{to: b, share: 1}]"}, {"id": "c", "outcome": "success", "entry": "true"}]),
        None,
        _half_stuck_on_itself,
    ),
    "personas-nested-95-deep": (build([{"id": "a", "personas": "[" * 95 + "p" + "]" * 95}]), None, None),
    "personas-nested-past-the-limit": (build([{"id": "a", "personas": "[" * 150 + "p" + "]" * 150}]), None, None),
    "stages-without-touchpoints": (build([{"id": "a", "outcome": "success"}], stages=("s", "empty-1", "empty-2")), None, _empty_stages),
    "only-failure-outcomes": (
        build([{"id": "a", "next": "[b, c]"}, {"id": "b", "outcome": "failure"}, {"id": "c", "outcome": "failure"}]),
        None,
        _only_failures,
    ),
    "every-touchpoint-another-persona": (
        build([{"id": "a", "personas": "[p]", "next": "[b]"}, {"id": "b", "personas": "[p]", "outcome": "success"}], personas=("p", "q")),
        "q",
        _nothing_for_this_persona,
    ),
    "no-touchpoint-for-the-last-persona": (
        build([{"id": f"t{i}", "personas": f"[p{i}]", "entry": "true"} for i in range(20)], personas=tuple(f"p{i}" for i in range(21))),
        "p20",
        _nothing_for_this_persona,
    ),
    "every-touchpoint-an-outcome-and-an-entry": (
        build([{"id": f"t{i}", "outcome": "success" if i % 2 else "failure", "entry": "true"} for i in range(200)]),
        None,
        _half_succeed,
    ),
    "a-loop-that-leaks-one-in-ten-billion": (
        build([
            {"id": "a", "entry": "true", "next": "[b]"},
            {"id": "b", "next": "[{to: c, share: 0.9999999999}, {to: d, share: 1e-10}]"},
            {"id": "c", "next": "[{to: b, share: 1}]"},
            {"id": "d", "outcome": "success"},
        ]),
        None,
        _finite,
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_journey(name: str, tmp_path: Path) -> None:
    from journeymap.analysis import analyze
    from journeymap.loader import Loader

    text, persona, check = HOSTILE[name]
    path = tmp_path / f"{name}.journey.yaml"
    path.write_text(text, encoding="utf-8")
    check_fmt(text.encode(), name)
    check_commands(FIXTURES / "good" / "minimal.journey.yaml", path, tmp_path / "out", persona=persona, label=name)
    result = Loader().check(path)
    if check is not None:
        assert result.journey is not None, [str(p) for p in result.problems]
        check(analyze(result.journey, persona))


# -- the bugs the fuzzer found, each a fixture ------------------------------------------

REGRESSIONS = sorted(
    [
        *FIXTURES.glob("fuzz/*.yaml"),  # valid journeys that crashed the analysis, or fmt
        FIXTURES / "bad" / "alias-keys.yaml",  # an alias as a key: TypeError in the metric checks
        FIXTURES / "bad" / "stage-not-text.yaml",  # a list as a stage: unhashable YList
        FIXTURES / "bad" / "huge-integers.yaml",  # ints past a float: OverflowError, ValueError
        FIXTURES / "imports" / "unopenable" / "unopenable.journey.yaml",  # NUL, ENAMETOOLONG, a folder
    ]
)


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_regression(path: Path, tmp_path: Path) -> None:
    check_fmt(path.read_bytes(), path.name)
    check_commands(FIXTURES / "good" / "minimal.journey.yaml", path, tmp_path, svg=True, label=str(path))
