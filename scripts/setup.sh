#!/usr/bin/env bash
# Installs what the portal needs into .venv and builds the assets and translations.
# Run by demo.sh and test.sh; pass "demo" or "test" to include what those need.
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

# The locked versions, each checked against its hash (requirements/, refreshed by
# scripts/lock.sh), then the portal itself without resolving anything again.
case "$extra" in
  "") lock=requirements/lock.txt ;;
  demo | test) lock="requirements/lock-$extra.txt" ;;
  *) echo "usage: setup.sh [demo|test]" >&2; exit 2 ;;
esac
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q --require-hashes -r "$lock"
.venv/bin/python -m pip install -q --no-deps -e .

npm ci --no-audit --no-fund --loglevel=error
npm run --silent build

.venv/bin/pybabel compile -d translations >/dev/null
