#!/usr/bin/env bash
# Install the real programs the test suite feeds journeymap's outputs to
# (tests/clients/: Mermaid and axe-core, run in Chromium; Ajv with the yaml
# package, run with node), exactly as tests/clients/package-lock.json pins them.
# Safe to run again: it installs Debian's nodejs/npm only when node is missing,
# and runs `npm ci` only when node_modules is missing or was installed from
# another lock file.
set -euo pipefail
cd "$(dirname "$0")/../tests/clients"

need=()
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ "${#need[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup-clients: installing Debian packages: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

stamp=node_modules/.journeymap-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "setup-clients: tests/clients/node_modules is up to date"
  exit 0
fi
echo "setup-clients: npm ci in tests/clients"
# Mermaid declares node >= 22 but runs in Chromium here, not in node: the engine warning is noise.
npm ci --no-audit --no-fund --loglevel=error
echo "$want" >"$stamp"
echo "setup-clients: ready (node $(node --version))"
