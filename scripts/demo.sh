#!/usr/bin/env bash
# Set up journeymap and do its main job on a sample journey: validate it, report
# its weak touchpoints, and render the HTML journey map and the flow diagram
# into ./journeymap-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
sample=${1:-sample_journeys/grocery-first-order.journey.yaml}
echo
echo "== journeymap validate $sample"
.venv/bin/journeymap validate "$sample"
echo
echo "== journeymap report $sample"
.venv/bin/journeymap report "$sample"
echo
echo "== journeymap render $sample -o journeymap-out"
.venv/bin/journeymap render "$sample" -o journeymap-out
echo
echo "Open the map in a browser: journeymap-out/$(basename "$sample" .journey.yaml).html"
