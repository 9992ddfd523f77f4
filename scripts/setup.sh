#!/usr/bin/env bash
# Installs what the portal needs into .venv and builds the assets and translations.
# Sourced by demo.sh and test.sh; pass "test" to include the test dependencies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

extra="${1:-}"

if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    # Debian and Ubuntu ship venv separately.
    if [ "$(id -u)" = 0 ]; then
      apt-get update -q && apt-get install -y -q python3-venv
    else
      sudo apt-get update -q && sudo apt-get install -y -q python3-venv
    fi
    rm -rf .venv
    python3 -m venv .venv
  fi
fi

.venv/bin/python -m pip install -q --upgrade pip
if [ "$extra" = "test" ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi

npm ci --no-audit --no-fund --loglevel=error
npm run --silent build

.venv/bin/pybabel compile -d translations >/dev/null
