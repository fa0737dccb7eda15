#!/usr/bin/env bash
# Run the whole test suite (the same command CI runs): set up, lint, type-check, test.
# Arguments go to pytest (bash scripts/test.sh -q -k fmt).
#
#   bash scripts/test.sh              # the locked versions (uv.lock): what CI tests
#   bash scripts/test.sh --latest     # the newest versions pyproject.toml allows, in
#                                     # .venv-latest: try an upgrade before locking it
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv
if [ "${1:-}" = "--latest" ]; then
  shift
  venv=.venv-latest
  export JOURNEYMAP_LATEST=1
fi
bash scripts/setup.sh
echo "== ruff"
"$venv/bin/ruff" check journeymap tests benchmarks
echo "== mypy"
"$venv/bin/mypy"
echo "== pytest"
# On every core (pytest-xdist), a test file to a worker: a file's module fixtures (a browser, a
# server, a Spark session) start once. JOURNEYMAP_TEST_WORKERS=0 runs in this process alone.
"$venv/bin/python" -m pytest -n "${JOURNEYMAP_TEST_WORKERS:-auto}" --dist loadfile "$@"
