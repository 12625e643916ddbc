#!/usr/bin/env bash
# The main job on embedded defaults. Usage:
#   bash scripts/run.sh              # the dashboard on http://localhost:8765 (baseline scenario)
#   bash scripts/run.sh --headless   # a headless 20-year baseline run, printed as a table
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${1:-}" = "--headless" ]; then
  shift
  exec .venv/bin/python -m abm run "$@"
fi
if [ -f dashboards/__main__.py ]; then
  exec .venv/bin/python -m dashboards "$@"
fi
echo "[run] the dashboard is not installed in this checkout; running the headless baseline" >&2
exec .venv/bin/python -m abm run "$@"
