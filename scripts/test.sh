#!/usr/bin/env bash
# Set up (including Debian chromium for the browser tests) and run the whole test suite with pytest.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m "not e2e"`.
set -euo pipefail
cd "$(dirname "$0")/.."
NEED_BROWSER=1 bash scripts/setup.sh
exec .venv/bin/python -m pytest -q "$@"
