#!/usr/bin/env bash
# Refreshes the lock files in requirements/ from pyproject.toml: every package pinned with
# its hashes, for any platform on Python 3.11 (the lowest the portal supports). Run after a
# change to the dependencies, and to take up new releases (security fixes); commit the result.
# Extra arguments go to uv, e.g. --upgrade-package authlib (or --upgrade: everything).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV="${UV:-.venv/bin/uv}"
[ -x "$UV" ] || .venv/bin/python -m pip install -q uv
lock() {  # lock FILE [--extra NAME]
  local file="$1"; shift
  "$UV" pip compile pyproject.toml "$@" "${uv_args[@]}" --quiet --output-file "$file"
}
uv_args=(--generate-hashes --universal --python-version 3.11 --no-header
         --index-url https://pypi.org/simple "$@")
lock requirements/lock.txt                  # production
lock requirements/lock-demo.txt --extra demo  # scripts/demo.sh
lock requirements/lock-test.txt --extra test  # scripts/test.sh and CI
