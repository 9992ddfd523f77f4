#!/usr/bin/env bash
# Audits the locked dependencies (requirements/*.txt) for known vulnerabilities with
# pip-audit, which asks PyPI's JSON API. Exits non-zero on a finding, and (--strict) when a
# package could not be checked.
#   --if-reachable  when PyPI's JSON API does not answer (a machine that reaches only the
#                   package index, as the CI machine does), say so and exit 0
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${1:-}" = "--if-reachable" ] && ! .venv/bin/python - <<'PY'
import sys, urllib.request
try:
    # What pip-audit asks: one release's data (an index that answers only for the newest
    # release, as here, gives 404).
    urllib.request.urlopen("https://pypi.org/pypi/pip/24.0/json", timeout=10)
except Exception as error:
    sys.exit(f"!! PyPI's vulnerability data cannot be reached ({error}): audit not run")
PY
then
  exit 0
fi

[ -x .venv/bin/pip-audit ] || .venv/bin/python -m pip install -q pip-audit
for lock in requirements/lock.txt requirements/lock-test.txt; do
  echo "== pip-audit $lock =="
  .venv/bin/pip-audit --strict --disable-pip --require-hashes --progress-spinner off -r "$lock"
done
