#!/usr/bin/env bash
# Set up, lint (ruff check, ruff format --check), then test with pytest.
#   bash scripts/test.sh          # the fast set: every test not marked slow or e2e (about 5 min on 2 cores)
#   bash scripts/test.sh --all    # every test, browser end-to-end tests included (what CI runs: .ci/run)
#   NIS_TEST_ALL=1 bash scripts/test.sh   # the same as --all
# Other arguments go to pytest, e.g. `bash scripts/test.sh -k dashboard` or `bash scripts/test.sh --all -x`;
# a -m of your own replaces the default selection.
set -euo pipefail
cd "$(dirname "$0")/.."
all=${NIS_TEST_ALL:-0}
args=()
for arg in "$@"; do
  if [ "$arg" = "--all" ]; then all=1; else args+=("$arg"); fi
done
if [ "$all" = "1" ]; then
  NEED_BROWSER=1 bash scripts/setup.sh
else
  bash scripts/setup.sh
fi
echo "[test] ruff check ." >&2
.venv/bin/ruff check .
echo "[test] ruff format --check ." >&2
.venv/bin/ruff format --check .
select=()
if [ "$all" != "1" ] && [[ " ${args[*]-} " != *" -m "* ]]; then
  select=(-m "not slow and not e2e")
  echo "[test] fast set (not slow, not e2e); bash scripts/test.sh --all runs everything" >&2
fi
exec .venv/bin/python -m pytest -q ${select[@]+"${select[@]}"} ${args[@]+"${args[@]}"}
