"""The mock payment provider's Flask app: Mollie's API (the part the portal uses), the
checkout page with the test scenarios, webhooks, and the list of refunds."""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import requests
from flask import Blueprint, Flask, abort, current_app, jsonify, redirect, render_template, request

log = logging.getLogger(__name__)

bp = Blueprint("mock_psp", __name__)

AMOUNT = re.compile(r"^\d{1,7}\.\d{2}$")
WEBHOOK_ATTEMPTS = 10


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 5003
    url: str = "http://127.0.0.1:5003"
    late_seconds: float = 5.0
    webhook_retry_seconds: float = 2.0
    slow_seconds: float = 3.0


@dataclass(frozen=True)
class Scenario:
    label: str            # Dutch, with the English in the template
    label_en: str
    status: str           # the status it ends in
    returns: bool = True  # the browser is sent back to the portal
    webhook: bool = True  # the portal is told (a webhook)
    late: bool = False    # "pending" first; paid and the webhook only after late_seconds
    slow: bool = False    # every read of the payment through the API takes slow_seconds


SCENARIOS = {
    "paid": Scenario("Betaald", "Paid", "paid"),
    "canceled": Scenario("Geannuleerd", "Cancelled", "canceled"),
    "expired": Scenario("Verlopen", "Expired", "expired"),
    "failed": Scenario("Mislukt", "Failed", "failed"),
    "late": Scenario("Betaald, de bank bevestigt later (late webhook)",
                     "Paid, the bank confirms later (late webhook)", "paid", late=True),
    "paid-no-return": Scenario("Betaald, de browser komt niet terug",
                               "Paid, the browser does not come back", "paid", returns=False),
    "paid-unnoticed": Scenario("Betaald, geen terugkeer en geen webhook (alleen de worker)",
                               "Paid, no return and no webhook (only the worker)", "paid",
                               returns=False, webhook=False),
    "paid-unnoticed-slow": Scenario(
        "Betaald, geen terugkeer en geen webhook, trage API (de worker wacht)",
        "Paid, no return and no webhook, slow API (the worker waits)", "paid",
        returns=False, webhook=False, slow=True),
}


@dataclass
class Store:
    """All payments and refunds, in memory, behind one lock."""

    payments: dict[str, dict] = field(default_factory=dict)
    refunds: list[dict] = field(default_factory=list)
    keys: dict[str, dict] = field(default_factory=dict)  # idempotency key -> answer
    lock: threading.Lock = field(default_factory=threading.Lock)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    app = Flask(__name__)
    app.extensions["mock_psp"] = Store()
    app.config["MOCK_PSP"] = settings
    app.register_blueprint(bp)

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; frame-ancestors 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return app


def _store() -> Store:
    return current_app.extensions["mock_psp"]


def _settings() -> Settings:
    return current_app.config["MOCK_PSP"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _problem(status: int, detail: str):
    return jsonify(status=status, title="Error", detail=detail), status


def _authorised() -> bool:
    return request.headers.get("Authorization", "").startswith("Bearer test_")


# --------------------------------------------------------------------------- the API


@bp.post("/v2/payments")
def create_payment():
    if not _authorised():
        return _problem(401, "Missing authentication, or failed to authenticate")
    body = request.get_json(silent=True) or {}
    amount = body.get("amount") or {}
    if amount.get("currency") != "EUR" or not AMOUNT.match(str(amount.get("value", ""))):
        return _problem(422, "The amount is invalid")
    for name in ("description", "redirectUrl", "webhookUrl"):
        if not isinstance(body.get(name), str) or not body[name]:
            return _problem(422, f"The '{name}' field is missing")
    store, key = _store(), request.headers.get("Idempotency-Key", "")
    with store.lock:
        if key and key in store.keys:
            return jsonify(_public(store.keys[key])), 201
        payment_id = "tr_" + secrets.token_hex(5)
        payment = {"resource": "payment", "id": payment_id, "mode": "test", "status": "open",
                   "createdAt": _now(), "amount": amount, "description": body["description"],
                   "method": body.get("method"), "redirectUrl": body["redirectUrl"],
                   "webhookUrl": body["webhookUrl"], "locale": body.get("locale", "nl_NL"),
                   "expiresAt": (datetime.now(UTC) + timedelta(minutes=15)).isoformat(),
                   "webhooks": []}
        store.payments[payment_id] = payment
        if key:
            store.keys[key] = payment
    log.info("payment %s created: EUR %s", payment_id, amount["value"])
    return jsonify(_public(payment)), 201


@bp.get("/v2/payments/<payment_id>")
def get_payment(payment_id: str):
    if not _authorised():
        return _problem(401, "Missing authentication, or failed to authenticate")
    payment = _store().payments.get(payment_id)
    if payment is None:
        return _problem(404, "No payment exists with token " + payment_id)
    if payment.get("slow"):
        time.sleep(_settings().slow_seconds)  # a worker killed now dies mid-call
    return jsonify(_public(payment))


@bp.post("/v2/payments/<payment_id>/refunds")
def create_refund(payment_id: str):
    if not _authorised():
        return _problem(401, "Missing authentication, or failed to authenticate")
    store, key = _store(), request.headers.get("Idempotency-Key", "")
    body = request.get_json(silent=True) or {}
    with store.lock:
        if key and key in store.keys:
            return jsonify(store.keys[key]), 201
        payment = store.payments.get(payment_id)
        if payment is None:
            return _problem(404, "No payment exists with token " + payment_id)
        if payment["status"] != "paid":
            return _problem(422, "The payment is not paid")
        value = str((body.get("amount") or {}).get("value", ""))
        if not AMOUNT.match(value) or float(value) > _refundable(store, payment):
            return _problem(422, "The amount is higher than what can be refunded")
        refund = {"resource": "refund", "id": "re_" + secrets.token_hex(5),
                  "paymentId": payment_id, "amount": {"currency": "EUR", "value": value},
                  "description": body.get("description", ""), "status": "pending",
                  "createdAt": _now()}
        store.refunds.append(refund)
        if key:
            store.keys[key] = refund
    log.info("refund %s of %s: EUR %s", refund["id"], payment_id, value)
    return jsonify(refund), 201


@bp.get("/v2/payments/<payment_id>/refunds")
def list_refunds(payment_id: str):
    if not _authorised():
        return _problem(401, "Missing authentication, or failed to authenticate")
    refunds = [r for r in _store().refunds if r["paymentId"] == payment_id]
    return jsonify(count=len(refunds), _embedded={"refunds": refunds})


def _refundable(store: Store, payment: dict) -> float:
    refunded = sum(float(r["amount"]["value"]) for r in store.refunds
                   if r["paymentId"] == payment["id"])
    return float(payment["amount"]["value"]) - refunded


def _public(payment: dict) -> dict:
    answer = {k: v for k, v in payment.items() if k not in ("webhooks", "slow")}
    if payment["status"] == "open":
        answer["_links"] = {"checkout": {
            "href": f"{_settings().url}/checkout/{payment['id']}", "type": "text/html"}}
    return answer


# --------------------------------------------------------------------------- the checkout


@bp.route("/checkout/<payment_id>", methods=["GET", "POST"])
def checkout(payment_id: str):
    payment = _store().payments.get(payment_id)
    if payment is None:
        abort(404)
    if payment["status"] != "open":
        return render_template("closed.html", payment=payment)
    if request.method == "GET":
        return render_template("checkout.html", payment=payment, scenarios=SCENARIOS)
    scenario = SCENARIOS.get(request.form.get("scenario", ""))
    if scenario is None:
        return render_template("checkout.html", payment=payment, scenarios=SCENARIOS,
                               error=True), 400
    app = current_app._get_current_object()
    payment["slow"] = scenario.slow
    if scenario.late:
        _set_status(payment, "pending")
        threading.Thread(target=_confirm_late, args=(app, payment), daemon=True).start()
    else:
        _set_status(payment, scenario.status)
        if scenario.webhook:
            _send_webhook(app, payment)
    if scenario.returns:
        return redirect(payment["redirectUrl"], code=303)
    return render_template("done.html", payment=payment)


def _set_status(payment: dict, status: str) -> None:
    with _store().lock:
        payment["status"] = status
        if status == "paid":
            payment["paidAt"] = _now()
        if status == "canceled":
            payment["canceledAt"] = _now()
    log.info("payment %s: %s", payment["id"], status)


def _confirm_late(app: Flask, payment: dict) -> None:
    time.sleep(app.config["MOCK_PSP"].late_seconds)
    with app.app_context():
        _set_status(payment, "paid")
        _send_webhook(app, payment)


def _send_webhook(app: Flask, payment: dict) -> None:
    threading.Thread(target=_deliver, args=(app, payment), daemon=True).start()


def _deliver(app: Flask, payment: dict) -> None:
    """Post the id, as Mollie does, until the portal answers 200 (a few tries)."""
    retry = app.config["MOCK_PSP"].webhook_retry_seconds
    for _attempt in range(WEBHOOK_ATTEMPTS):
        try:
            status = requests.post(payment["webhookUrl"], data={"id": payment["id"]},
                                   timeout=10).status_code
        except requests.RequestException as error:
            status = type(error).__name__
        payment["webhooks"].append({"at": _now(), "answer": status})
        if status == 200:
            return
        time.sleep(retry)


# --------------------------------------------------------------------------- pages for testers


@bp.get("/")
def index():
    payments = sorted(_store().payments.values(), key=lambda p: p["createdAt"], reverse=True)
    return render_template("index.html", payments=payments)


@bp.get("/refunds")
def refunds():
    return render_template("refunds.html", refunds=list(reversed(_store().refunds)))


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")
