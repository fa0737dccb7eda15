"""Big journeys stay linear (issue 8, item 6): the stage funnel's solves, running out of
memory said as what it is. The figures are in benchmarks/bench_big.py, not timed here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import journeymap
import journeymap.graph as graph_module
from benchmarks.generate import generate_journey
from journeymap.cli import main

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLES = sorted((ROOT / "sample_journeys").glob("*.journey.yaml"))


def funnel_by_the_definition(chain: graph_module.FlowChain, stages: list[str]) -> list[tuple[str, float, float]]:
    """The funnel as it was computed before: two solves over the whole journey per stage."""
    g = chain.journey_graph.graph
    by_stage: dict[str, list[str]] = {s: [] for s in stages}
    for s in chain.states:
        by_stage.setdefault(g.nodes[s]["stage"], []).append(s)
    successes = [s for s in chain.states if g.nodes[s]["outcome"] == "success"]
    result = []
    for position, stage in enumerate(stages):
        members = by_stage.get(stage, [])
        if not members:
            result.append((stage, 0.0, 0.0))
            continue
        first = chain.first_hits(members)
        reach = float(first.sum())
        later = [s for st in stages[position + 1 :] for s in by_stage.get(st, [])]
        kept = float(first @ chain.hit_probability(later + successes))
        drop_off = 1.0 - kept / reach if reach > 1e-12 else 0.0
        result.append((stage, min(1.0, reach), min(1.0, max(0.0, drop_off))))
    return result


@pytest.mark.parametrize("path", [*SAMPLES, "generated"], ids=lambda p: getattr(p, "stem", p))
def test_the_funnel_is_the_same_as_by_the_definition(path) -> None:
    journey = journeymap.load_text(generate_journey(1500, seed=5)) if path == "generated" else journeymap.load(path)
    stages = [s.id for s in journey.stages]
    for persona in [None, *[p.id for p in journey.personas][:2]]:
        chain = graph_module.JourneyGraph(journey, persona).chain()
        got = chain.stage_funnel(stages)
        expected = funnel_by_the_definition(chain, stages)
        assert [s for s, _, _ in got] == [s for s, _, _ in expected]
        for (_, reach, drop), (_, reach0, drop0) in zip(got, expected, strict=True):
            assert reach == pytest.approx(reach0, abs=1e-9) and drop == pytest.approx(drop0, abs=1e-9)


def test_the_funnel_solves_small_systems_not_the_whole_journey_per_stage(monkeypatch) -> None:
    """`stage_funnel` factorised the whole chain twice per stage (200,000 touchpoints: report 119 s
    against validate 18 s). Now each stage solves only over the touchpoints that lead into it,
    or from it onwards: all its systems together stay within a few times the journey."""
    journey = journeymap.load_text(generate_journey(3000, seed=2))
    chain = graph_module.JourneyGraph(journey).chain()
    sizes: list[int] = []
    assert not chain.dense  # 3,000 touchpoints: scipy's sparse LU

    class Counting(graph_module._Solver):
        def __init__(self, matrix) -> None:  # type: ignore[no-untyped-def]
            sizes.append(matrix.shape[0])
            super().__init__(matrix)

    monkeypatch.setattr(graph_module, "_Solver", Counting)
    chain.stage_funnel([s.id for s in journey.stages])
    stages = len(journey.stages)
    assert stages >= 16
    before = 2 * stages * len(chain.states)  # what the whole-journey solves cost
    assert sum(sizes) < before / 3, (sum(sizes), before)
    # The systems after each stage are about one stage long (loops back reach 30 touchpoints).
    assert sorted(sizes)[len(sizes) // 2] < 0.6 * len(chain.states)


def test_running_out_of_memory_is_said_as_such(tmp_path, capsys, monkeypatch) -> None:
    path = tmp_path / "j.journey.yaml"
    path.write_text(generate_journey(20, seed=1), encoding="utf-8")

    def no_memory(*args: object, **kwargs: object) -> object:
        raise MemoryError

    monkeypatch.setattr("journeymap.loader.Loader.check", no_memory)
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"journeymap validate: error: journeymap ran out of memory reading {path} (" in err
    assert "internal error" not in err and "safety check" not in err

    monkeypatch.setattr("journeymap.fmt.format_text", no_memory)
    monkeypatch.setattr("journeymap.cli.fmt.format_text", no_memory, raising=False)
    code = main(["fmt", "--check", str(path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "ran out of memory reading" in err and "the file was left as it is" in err
    assert "refused by the safety check" not in err and "internal error" not in err


def test_persona_analyses_share_the_touchpoint_verdicts(monkeypatch) -> None:
    """A 50,000-touchpoint map with five personas ran the whole analysis six times; the metric
    verdicts and weak reasons (which no persona changes) are now worked out once."""
    import journeymap.analysis as analysis_module

    journey = journeymap.load_text(generate_journey(600, seed=4))
    overall = journeymap.analyze(journey)
    calls = 0
    real = analysis_module._metric_statuses

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis_module, "_metric_statuses", counting)
    shared = analysis_module.analyze_personas(journey, overall=overall)
    assert calls == 0
    monkeypatch.setattr(analysis_module, "_metric_statuses", real)
    for persona, analysis in shared.items():
        alone = journeymap.analyze(journey, persona)
        assert analysis.to_json() == alone.to_json()


def test_fmt_under_a_real_memory_limit_says_out_of_memory(tmp_path) -> None:
    """Under `ulimit -v` fmt --check exited 3 with "internal error: MemoryError ... refused by
    the safety check". Here: a 10,000-touchpoint file, 40 MB above what the started process
    already holds (fmt needs about 150 MB more for it)."""
    import subprocess
    import sys

    path = tmp_path / "j.journey.yaml"
    path.write_text(generate_journey(10_000, seed=1), encoding="utf-8")
    script = (
        "import resource, sys\n"
        "from journeymap.cli import main\n"
        "import journeymap.fmt, journeymap.cli.fmt, journeymap.files, journeymap.yamlio, yaml._yaml, hashlib, difflib\n"
        "size = sum(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmSize')) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (size + 40_000_000,) * 2)\n"
        f"sys.exit(main(['fmt', '--check', {str(path)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 1, done.stderr
    assert f"{path}: error: journeymap ran out of memory reading {path} (3 MB)" in done.stderr
    assert "safety check" not in done.stderr and "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_the_memory_guard_fails_early_under_a_limit_and_is_absent_without_one() -> None:
    """Under `ulimit -v`, CPython 3.11 could spin for ever unwinding a MemoryError through a
    `finally` once the memory was exhausted; the guard raises it while some memory is left."""
    import subprocess
    import sys

    from journeymap.files import memory_guard

    assert memory_guard() is None  # the test process has no address-space limit
    script = (
        "import resource\n"
        "from journeymap.files import memory_guard\n"
        "size = sum(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmSize')) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (size + 64_000_000,) * 2)\n"
        "guard = memory_guard(32_000_000)\n"
        "guard()  # 64 MB free: nothing to say\n"
        "ballast = bytearray(40_000_000)\n"
        "try:\n"
        "    guard()\n"
        "except MemoryError as exc:\n"
        "    print('raised:', exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("raised: within 30 MB of the address-space limit"), done.stdout


def test_validate_under_a_real_memory_limit_says_out_of_memory(tmp_path) -> None:
    import subprocess
    import sys

    path = tmp_path / "j.journey.yaml"
    path.write_text(generate_journey(10_000, seed=1), encoding="utf-8")
    script = (
        "import resource, sys\n"
        "from journeymap.cli import main\n"
        "import journeymap.loader, journeymap.files, journeymap.yamlio, yaml._yaml\n"
        "size = sum(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmSize')) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (size + 30_000_000,) * 2)\n"
        f"sys.exit(main(['validate', {str(path)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "ran out of memory" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("size, seed", [(12, 3), (80, 4), (450, 5)])
def test_the_dense_and_the_sparse_chain_give_the_same_figures(monkeypatch, size: int, seed: int) -> None:
    """Journeys up to DENSE_LIMIT touchpoints are solved with numpy's dense solve (no scipy import);
    bigger ones with scipy's sparse LU. Both give every figure of the chain to the last few ulps."""
    from journeymap.analysis import analyze
    from journeymap.value import ValueChain

    value_model = "\nvalue:\n  currency: EUR\n  volume: 25000\n  outcomes: {success: 120, failure: -30}\n  leave: -2\n"
    journey = journeymap.load_text(generate_journey(size, seed=seed) + value_model)
    assert size <= graph_module.DENSE_LIMIT and journey.value is not None
    graph = graph_module.JourneyGraph(journey)
    entries = analyze(journey).entries

    def figures() -> dict[str, object]:
        chain = graph_module.FlowChain(graph_module.JourneyGraph(journey), entries)
        stages = [s.id for s in journey.stages]
        targets = [tp for tp in chain.states[: len(chain.states) // 3]]
        value = ValueChain(chain, journey, journey.value)
        some = chain.states[len(chain.states) // 2]
        return {
            "dense": chain.dense,
            "visits": chain.visits, "return_visits": chain.return_visits, "reach": chain.reach,
            "success_from": chain.success_from, "conversion": chain.conversion,
            "removal": chain.removal_effects, "absorption": chain.absorption,
            "funnel": chain.stage_funnel(stages), "first_hits": chain.first_hits(targets),
            "hit_probability": chain.hit_probability(targets),
            "loops": graph.loop_groups(), "closed": graph.closed_loops(),
            "rewards": value.rewards, "per_customer": value.per_customer,
            "drop_off_effect": value.drop_off_effect(some, 0.05), "sensitivities": value.drop_off_sensitivities(),
        }

    dense = figures()
    monkeypatch.setattr(graph_module, "DENSE_LIMIT", 0)
    sparse = figures()
    assert dense.pop("dense") is True and sparse.pop("dense") is False
    if size >= 80:
        assert dense["loops"], "the journey should have loops to compare"
    for name, value in dense.items():
        other = sparse[name]
        if name in ("loops", "closed"):
            assert value == other, name
        elif isinstance(value, dict):
            assert value == pytest.approx(other, abs=1e-12), name
        elif name == "funnel":
            assert [s for s, *_ in value] == [s for s, *_ in other]
            assert [x for _, *xs in value for x in xs] == pytest.approx([x for _, *xs in other for x in xs], abs=1e-12)
        elif name == "sensitivities":
            for ours, theirs in zip(value, other, strict=True):
                assert np.allclose(ours, theirs, rtol=0, atol=1e-9, equal_nan=True), name
        else:
            assert np.allclose(value, other, rtol=0, atol=1e-9), name
