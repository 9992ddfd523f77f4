#!/usr/bin/env bash
# Refreshes docs/screenshots/: the main pages at 360x640 (a phone's first screen) and 1280
# wide (the whole page), in Dutch and a few in English, so a reviewer sees the look without
# running anything. Starts its own demo (a fresh SQLite database with the demo zaken, the mock
# DigiD and the mock staff IdP on free ports), walks the pages with Chromium (Debian's
# /usr/bin/chromium when there is one) and stops everything again.
#
#   bash scripts/screenshots.sh [output directory, default docs/screenshots]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-docs/screenshots}"
bash scripts/setup.sh test >/dev/null

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { .venv/bin/python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
port="$(free_port)"; digid_port="$(free_port)"; staff_port="$(free_port)"
base="http://localhost:${port}"

export SECRET_KEY="screenshots-only" DATABASE_URL="sqlite:///${work}/portal.db" DEMO_DATA=true
export DOCUMENTS_PATH="${work}/documents" PORTAL_BASE_URL="$base"
export OIDC_DISCOVERY_URL="http://localhost:${digid_port}/.well-known/openid-configuration"
export STAFF_OIDC_DISCOVERY_URL="http://localhost:${staff_port}/.well-known/openid-configuration"

.venv/bin/flask --app wsgi db upgrade >/dev/null
.venv/bin/flask --app wsgi seed >/dev/null
.venv/bin/python -m mock_digid --port "$digid_port" --client-jwks "${base}/.well-known/jwks.json" \
  --redirect-uri "${base}/inloggen/digid/callback" --post-logout-redirect-uri "${base}/" \
  >"${work}/digid.log" 2>&1 &
pids+=($!)
.venv/bin/python -m mock_digid --staff --port "$staff_port" \
  --redirect-uri "${base}/backoffice/inloggen/callback" --post-logout-redirect-uri "${base}/" \
  >"${work}/staff-idp.log" 2>&1 &
pids+=($!)
.venv/bin/flask --app wsgi run --port "$port" >"${work}/portal.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 50); do
  curl -fsS "${base}/healthz" >/dev/null 2>&1 \
    && curl -fsS "http://localhost:${digid_port}/.well-known/openid-configuration" >/dev/null 2>&1 \
    && curl -fsS "http://localhost:${staff_port}/.well-known/openid-configuration" >/dev/null 2>&1 \
    && break
  sleep 0.2
done

.venv/bin/python scripts/screenshots.py "$base" "$out"
