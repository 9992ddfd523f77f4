#!/usr/bin/env bash
# Quick start 1: install, create and seed the SQLite database, start the mock
# DigiD and the portal. Stop both with Ctrl+C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

PORT="${PORT:-5000}"
DIGID_PORT="${MOCK_DIGID_PORT:-5001}"
mkdir -p instance
[ -f instance/secret-key ] || .venv/bin/python -c "import secrets; print(secrets.token_hex(32))" > instance/secret-key
export SECRET_KEY="${SECRET_KEY:-$(cat instance/secret-key)}"
export OIDC_DISCOVERY_URL="${OIDC_DISCOVERY_URL:-http://localhost:${DIGID_PORT}/.well-known/openid-configuration}"

.venv/bin/flask --app wsgi db upgrade
personas="$(.venv/bin/flask --app wsgi seed)"

.venv/bin/python -m mock_digid --port "$DIGID_PORT" \
  --redirect-uri "http://localhost:${PORT}/inloggen/digid/callback" \
  --redirect-uri "http://127.0.0.1:${PORT}/inloggen/digid/callback" \
  --post-logout-redirect-uri "http://localhost:${PORT}/" \
  --post-logout-redirect-uri "http://127.0.0.1:${PORT}/" &
digid_pid=$!
# A local mailbox instead of real mail: every mail lands in instance/mailbox/*.eml.
.venv/bin/python -m app.notifications.dev_mailbox --port "${SMTP_PORT:-8025}" --dir instance/mailbox &
mailbox_pid=$!
.venv/bin/flask --app wsgi mail worker --interval 2 &
worker_pid=$!
trap 'kill $digid_pid $mailbox_pid $worker_pid 2>/dev/null' EXIT

cat <<INFO

  Portal:      http://localhost:${PORT}
  Mock DigiD:  http://localhost:${DIGID_PORT}
  Sent mail:   instance/mailbox/*.eml (one line per mail in this terminal)

${personas}

INFO
.venv/bin/flask --app wsgi run --port "$PORT"
