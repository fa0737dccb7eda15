"""Shared test fixtures.

Golden files: ``golden.check("dot/telecom.dot", text)`` compares ``text`` with
``tests/goldens/dot/telecom.dot``. Run ``pytest --update-goldens`` to (re)write
the golden files after an intended change, then review the diff in git.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_journeys"
GOLDENS = Path(__file__).resolve().parent / "goldens"

try:  # hypothesis's per-example deadline is a timing assertion: on a loaded CI machine it failed tests that were right
    from hypothesis import settings

    settings.register_profile("journeymap", deadline=None)
    settings.load_profile("journeymap")
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """A survey date after tomorrow is a future-date warning (journeymap.data.responses.today): tests whose made-up
    answers are dated in late 2026 or later would change with the day they run on. Their today is the last day
    before the placeholder years; a test of future dates sets its own."""
    from datetime import date

    import journeymap.data.responses

    monkeypatch.setattr(journeymap.data.responses, "today", lambda: date(2099, 12, 30))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing",
    )


class Golden:
    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, name: str, actual: str) -> None:
        path = GOLDENS / name
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="")
            return
        if not path.exists():
            pytest.fail(f"golden file {path} is missing; run pytest --update-goldens to create it")
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    fromfile=f"golden/{name}",
                    tofile="actual",
                    n=2,
                )
            )
            pytest.fail(f"output differs from golden file {name} (pytest --update-goldens to accept):\n{diff[:6000]}")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--update-goldens")))


@pytest.fixture(scope="session")
def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.journey.yaml"))


CLIENTS = Path(__file__).resolve().parent / "clients"


@pytest.fixture(scope="session")
def clients() -> Path:
    """tests/clients/node_modules: the real programs our outputs go into (Mermaid, axe-core,
    Ajv, yaml), as tests/clients/package-lock.json pins them. Never skipped: the README's
    test command installs them, so a missing or stale install is a failure that says how to fix it."""
    import hashlib

    modules = CLIENTS / "node_modules"
    stamp = modules / ".journeymap-lock.sha256"
    if not modules.is_dir():
        pytest.fail("tests/clients/node_modules is missing: run bash scripts/setup-clients.sh", pytrace=False)
    wanted = hashlib.sha256((CLIENTS / "package-lock.json").read_bytes()).hexdigest()
    if not stamp.is_file() or stamp.read_text(encoding="utf-8").strip() != wanted:
        pytest.fail(
            "tests/clients/node_modules was not installed from the current package-lock.json: "
            "run bash scripts/setup-clients.sh",
            pytrace=False,
        )
    return modules
