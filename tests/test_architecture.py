"""The shape of the code: a core that never talks to the terminal, and a cheap start-up.

Core modules (everything in journeymap/ but journeymap/cli/ and __main__.py)
never import the command line or argparse, never print and never exit: they
return values and problems, and the CLI decides what to show and which exit
code to give (STYLE.md, habit 4).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "journeymap"
ROOT = PACKAGE.parent
CORE = sorted(
    p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts[:-1] and p.name != "__main__.py"
)
FORBIDDEN_MODULES = {"argparse", "journeymap.cli"}
FORBIDDEN_CALLS = {"print", "exit", "quit", "sys.exit", "os._exit", "breakpoint"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Absolute names of every module imported anywhere in the file (top level or inside functions)."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return ""


def test_there_is_a_core_to_check() -> None:
    names = {p.name for p in CORE}
    assert {"loader.py", "yamlio.py", "model.py", "problems.py", "metrics.py"} <= names


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_modules_never_import_the_cli_print_or_exit(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    module = _module_name(path)
    offences = []
    for line, name in _imported_modules(tree, module, path.name == "__init__.py"):
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_MODULES):
            offences.append(f"line {line}: imports {name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) in FORBIDDEN_CALLS:
            offences.append(f"line {node.lineno}: calls {_call_name(node)}()")
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "SystemExit":
                offences.append(f"line {node.lineno}: raises SystemExit")
    assert offences == [], f"{path.relative_to(ROOT)}: " + "; ".join(offences)


def test_the_architecture_check_catches_offences() -> None:
    tree = ast.parse("from ..cli import main\nimport argparse\nprint('x')\nsys.exit(1)\n")
    names = [n for _, n in _imported_modules(tree, "journeymap.render.html", False)]
    assert "journeymap.cli" in names and "argparse" in names
    calls = {_call_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert {"print", "sys.exit"} <= calls


HEAVY = ("networkx", "scipy", "jinja2", "graphviz", "numpy", "pandas", "pyarrow", "markdown_it", "linkify_it", "starlette", "uvicorn", "watchfiles", "playwright", "httpx", "vaderSentiment", "duckdb", "pyspark", "py4j")
ENGINES = ("duckdb", "pyspark", "py4j")


def test_validate_does_not_import_heavy_libraries(sample_files: list[Path]) -> None:
    assert sample_files
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "journeymap", "validate", str(sample_files[0])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    imported = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            imported.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "journeymap" in imported and "yaml" in imported
    assert sorted(imported & set(HEAVY)) == []


def test_validating_a_value_model_and_scenarios_stays_light() -> None:
    """The value checks run in validate (journeymap.value_check), the value maths does not."""
    bank = ROOT / "sample_journeys" / "bank-account-opening.journey.yaml"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "journeymap", "validate", str(bank)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:") and "|" in line}
    assert "journeymap.value_check" in modules
    assert not modules & {"journeymap.value", "journeymap.scenarios", "journeymap.opportunities", *HEAVY}


def _imports_of(*argv: str) -> set[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "journeymap", *argv],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_commands_without_an_event_log_never_import_an_engine(sample_files: list[Path]) -> None:
    journey = next(p for p in sample_files if p.name.startswith("grocery"))
    assert sorted(_imports_of("report", str(journey)) & set(ENGINES)) == []


def test_an_event_log_imports_only_the_engine_asked_for(sample_files: list[Path]) -> None:
    pytest.importorskip("duckdb")
    journey = next(p for p in sample_files if p.name.startswith("grocery"))
    log = ROOT / "sample_journeys" / "data" / "grocery-first-order.events.csv"
    imported = _imports_of("report", str(journey), "--events", str(log), "--engine", "duckdb")
    assert "duckdb" in imported and not imported & {"pyspark", "py4j"}


def test_a_report_on_a_journey_of_a_few_hundred_touchpoints_never_imports_scipy(sample_files: list[Path]) -> None:
    """scipy.sparse takes ~0.4 s to import, more than the whole analysis of such a journey:
    journeys up to graph.DENSE_LIMIT touchpoints are solved with numpy alone."""
    journeys = [p for p in sample_files if p.name.endswith(".journey.yaml")]
    assert len(journeys) >= 4
    for journey in journeys:
        imported = _imports_of("report", str(journey))
        assert "numpy" in imported and "scipy" not in imported, journey.name
