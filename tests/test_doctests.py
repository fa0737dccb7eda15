"""The examples in the package's docstrings run and print what they show (``>>>`` lines are documentation users
copy: an example that no longer holds is a wrong document). Run from the project's folder, as the examples' paths
(``sample_journeys/...``) are written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import journeymap

ROOT = Path(__file__).resolve().parent.parent
# (``journeymap.__main__`` runs the command line when imported)
MODULES = sorted(info.name for info in pkgutil.walk_packages(journeymap.__path__, "journeymap.") if info.name != "journeymap.__main__")


def test_the_package_has_examples_to_run() -> None:
    finder = doctest.DocTestFinder()
    examples = sum(len(test.examples) for name in MODULES for test in finder.find(importlib.import_module(name)))
    assert examples >= 50


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_of_a_module_hold(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failed: list[str] = []
    for test in doctest.DocTestFinder().find(module):
        result = runner.run(test, out=failed.append)
        assert result.failed == 0, "".join(failed)
