#!/usr/bin/env bash
# Quick start 2: install what the tests need and run the whole suite.
# Extra arguments go to pytest (e.g. -m "not browser").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh test

if ! command -v chromium >/dev/null; then
  # The browser tests drive Debian's Chromium (Playwright cannot download its own here).
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium
fi

.venv/bin/python -m pytest "$@"
