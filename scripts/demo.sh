#!/usr/bin/env bash
# Quick start 1: install, create and seed the SQLite database, start the mock
# DigiD, the mock staff IdP, the mock payment provider, a local mailbox and the portal.
# Stop all with Ctrl+C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh demo

PORT="${PORT:-5000}"
DIGID_PORT="${MOCK_DIGID_PORT:-5001}"
STAFF_IDP_PORT="${MOCK_STAFF_IDP_PORT:-5002}"
PSP_PORT="${MOCK_PSP_PORT:-5003}"
mkdir -p instance
[ -f instance/secret-key ] || .venv/bin/python -c "import secrets; print(secrets.token_hex(32))" > instance/secret-key
export SECRET_KEY="${SECRET_KEY:-$(cat instance/secret-key)}"
export OIDC_DISCOVERY_URL="${OIDC_DISCOVERY_URL:-http://localhost:${DIGID_PORT}/.well-known/openid-configuration}"
# Links in mail and the login are built on this address; the portal answers only to its host.
export PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://localhost:${PORT}}"
export STAFF_OIDC_DISCOVERY_URL="${STAFF_OIDC_DISCOVERY_URL:-http://localhost:${STAFF_IDP_PORT}/.well-known/openid-configuration}"
# Demo zaken for the personas, and a partner token to try the API with (demo only).
export DEMO_DATA="${DEMO_DATA:-true}"
export API_DEMO_TOKEN="${API_DEMO_TOKEN:-demo-partner-token-de-linde}"
# Forms with a fee are paid at the mock payment provider (it speaks Mollie's API).
export PAYMENT_PROVIDER="${PAYMENT_PROVIDER:-mock}"
export MOCK_PSP_URL="${MOCK_PSP_URL:-http://localhost:${PSP_PORT}}"

.venv/bin/flask --app wsgi db upgrade
personas="$(.venv/bin/flask --app wsgi seed)"

# DigiD login signs each token request with the portal's own key (private_key_jwt): the portal
# makes a development key pair in instance/ at first start, and the mock reads its public half
# from the portal's /.well-known/jwks.json, as a DigiD broker reads a registered JWKS URL.
.venv/bin/python -m mock_digid --port "$DIGID_PORT" \
  --client-jwks "http://localhost:${PORT}/.well-known/jwks.json" \
  --redirect-uri "http://localhost:${PORT}/inloggen/digid/callback" \
  --redirect-uri "http://127.0.0.1:${PORT}/inloggen/digid/callback" \
  --post-logout-redirect-uri "http://localhost:${PORT}/" \
  --post-logout-redirect-uri "http://127.0.0.1:${PORT}/" &
digid_pid=$!
.venv/bin/python -m mock_digid --staff --port "$STAFF_IDP_PORT" \
  --redirect-uri "http://localhost:${PORT}/backoffice/inloggen/callback" \
  --redirect-uri "http://127.0.0.1:${PORT}/backoffice/inloggen/callback" \
  --post-logout-redirect-uri "http://localhost:${PORT}/" \
  --post-logout-redirect-uri "http://127.0.0.1:${PORT}/" &
staff_idp_pid=$!
# A local mailbox instead of real mail: every mail lands in instance/mailbox/*.eml.
.venv/bin/python -m app.notifications.dev_mailbox --port "${SMTP_PORT:-8025}" --dir instance/mailbox &
mailbox_pid=$!
.venv/bin/flask --app wsgi mail worker --interval 2 &
worker_pid=$!
# Sums the contact ledger per month for the channel dashboard (backoffice/dashboard).
.venv/bin/flask --app wsgi contacts worker --interval 30 &
contacts_pid=$!
.venv/bin/python -m mock_psp --port "$PSP_PORT" --url "http://localhost:${PSP_PORT}" &
psp_pid=$!
# Settles payments no browser and no webhook reported, and sends refunds.
.venv/bin/flask --app wsgi payments worker --interval 5 &
payments_pid=$!
trap 'kill $digid_pid $staff_idp_pid $mailbox_pid $worker_pid $contacts_pid $psp_pid $payments_pid 2>/dev/null' EXIT

cat <<INFO

  Portal:          http://localhost:${PORT}
  Back office:     http://localhost:${PORT}/backoffice/ (staff: karin = KCC, bas = Burgerzaken,
                   vera = Vergunningen, sara = Sociaal domein, olaf = Openbare ruimte, bea = beheerder)
  Zaken API:       http://localhost:${PORT}/api/v1/openapi.json
                   (header "Authorization: Token ${API_DEMO_TOKEN}": Zorgaanbieder De Linde, WMO zaken)
  Mock DigiD:      http://localhost:${DIGID_PORT}
  Mock staff IdP:  http://localhost:${STAFF_IDP_PORT}
  Mock payments:   http://localhost:${PSP_PORT} (payments; /refunds lists the refunds)
  Sent mail:       instance/mailbox/*.eml (one line per mail in this terminal)

${personas}

INFO
.venv/bin/flask --app wsgi run --port "$PORT"
