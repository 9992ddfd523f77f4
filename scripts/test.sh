#!/usr/bin/env bash
# Quick start 2: install what the tests need and run the whole suite.
# Extra arguments go to pytest (e.g. -m "not browser").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh test

# The browser tests drive Debian's Chromium (Playwright cannot download its own here); the
# W3C Nu Html Checker (vnu.jar from npm) that checks every page the tests render needs Java.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q && $SUDO apt-get install -y -q "${missing[@]}"
fi

.venv/bin/python -m pytest "$@"
