#!/usr/bin/env bash
# Set up everything the project needs on a fresh machine: a virtual environment in .venv with the
# package and all extras, and (for the browser tests) Debian's chromium. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "[setup] creating .venv"
  "$PY" -m venv .venv
fi
if ! .venv/bin/python -c "import abm, mesa, solara, altair, SALib, dask.distributed, duckdb, playwright, pytest" 2>/dev/null \
   || [ pyproject.toml -nt .venv/.installed ]; then
  echo "[setup] installing the package and its extras into .venv"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[all]"
  touch .venv/.installed
fi
# Browser tests need Debian's chromium and a CJK font (the lessons are also in Simplified Chinese).
if [ "${NEED_BROWSER:-0}" = "1" ] && { [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; }; then
  if [ "$(id -u)" = "0" ]; then
    echo "[setup] installing Debian chromium and fonts-noto-cjk for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
  else
    echo "[setup] warning: chromium or fonts-noto-cjk missing and not root; browser tests may be skipped" >&2
  fi
fi
