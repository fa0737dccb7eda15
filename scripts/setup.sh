#!/usr/bin/env bash
# Set up everything journeymap needs on a Debian machine: the Debian packages
# (graphviz for diagrams, chromium for the browser tests and the map as PDF/PNG,
# a Java runtime for the Spark engine's tests) and a virtual environment in .venv
# holding exactly the versions in uv.lock, journeymap itself and its test tools.
# Safe to run again: it skips what is already there.
#
#   JOURNEYMAP_LATEST=1 bash scripts/setup.sh   # .venv-latest: the newest versions
#                                              # pyproject.toml allows, ignoring uv.lock
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
if [ "${#need[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# uv installs from the lock file; it lives in its own small venv so that
# `uv sync` can keep .venv exactly as the lock says.
python=${PYTHON:-python3}
if [ "$(.tools/bin/uv --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  echo "setup: installing uv $UV_VERSION into .tools"
  rm -rf .tools
  "$python" -m venv .tools
  .tools/bin/python -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
fi
export UV_PYTHON_DOWNLOADS=never UV_PYTHON="$python"
# Bytecode is compiled at install, as pip does and uv does not by default: with
# PYTHONDONTWRITEBYTECODE set (as on CI machines and in containers), every run
# of the CLI would otherwise compile ~700 modules again (2.3 s of a 3.3 s `report`).
export UV_COMPILE_BYTECODE=1

if [ "${JOURNEYMAP_LATEST:-}" = 1 ]; then
  # Everything the ranges in pyproject.toml allow, newest first: what a user of
  # `pip install journeymap` may get tomorrow. uv.lock is left alone.
  [ -x .venv-latest/bin/python ] || .tools/bin/uv venv -q .venv-latest
  VIRTUAL_ENV=.venv-latest .tools/bin/uv pip install -q --upgrade --reinstall-package journeymap -e ".[test]"
  .venv-latest/bin/python -m compileall -q journeymap
  echo "setup: ready (.venv-latest, newest allowed versions: $(.venv-latest/bin/journeymap --version))"
else
  UV_PROJECT_ENVIRONMENT=.venv .tools/bin/uv sync -q --locked --extra test
  # journeymap itself is installed editable (its sources stay here): compile them too.
  # A source edited later is compiled again at import; its stale .pyc is never used.
  .venv/bin/python -m compileall -q journeymap
  echo "setup: ready ($(.venv/bin/journeymap --version), locked versions from uv.lock)"
fi

# npm packages for the real-client tests (Mermaid, axe-core, Ajv), if the project has them.
if [ -f scripts/setup-clients.sh ]; then
  bash scripts/setup-clients.sh
fi
