"""Mollie's Payments API v2 (https://docs.mollie.com/reference/v2/payments-api): iDEAL
through a PSP that many Dutch municipalities use, a maintained REST API, an idempotency key
on every create, and webhooks that carry only the payment's id (the portal fetches the
status itself, so a forged webhook changes nothing). ``mock`` is the same client pointed at
``python -m mock_psp``, which speaks this API."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from flask import Flask

from app.payments.port import NewPayment, ProviderPayment, ProviderRefund
from app.ports import PortConfigurationError
from app.remote import RemoteApi

MOLLIE_LOCALES = {"nl": "nl_NL", "en": "en_US"}


class MollieProvider:
    def __init__(self, name: str, base_url: str, api_key: str, *, timeout: float) -> None:
        self.name = name
        self.api = RemoteApi(f"payments ({name})", base_url, timeout=timeout,
                             headers=lambda: {"Authorization": f"Bearer {api_key}"},
                             credentials="MOLLIE_API_KEY")

    def create_payment(self, payment: NewPayment) -> ProviderPayment:
        body = {"amount": _money(payment.amount), "description": payment.description[:255],
                "redirectUrl": payment.redirect_url, "webhookUrl": payment.webhook_url,
                "method": "ideal", "locale": MOLLIE_LOCALES.get(payment.locale, "nl_NL")}
        return _payment(self.api.post("payments", body,
                                      headers={"Idempotency-Key": payment.idempotency_key}))

    def get_payment(self, payment_id: str) -> ProviderPayment:
        return _payment(self.api.get(f"payments/{_safe_id(payment_id)}"))

    def refund(self, payment_id: str, *, amount: Decimal, description: str,
               idempotency_key: str) -> ProviderRefund:
        answer = self.api.post(f"payments/{_safe_id(payment_id)}/refunds",
                               {"amount": _money(amount), "description": description[:255]},
                               headers={"Idempotency-Key": idempotency_key})
        return ProviderRefund(id=answer["id"], status=answer["status"])


def _money(amount: Decimal) -> dict:
    return {"currency": "EUR", "value": f"{amount:.2f}"}


def _safe_id(payment_id: str) -> str:
    """An id goes into a path: only Mollie's shape (tr_ and letters/digits)."""
    if not (payment_id.startswith("tr_") and payment_id[3:].isalnum()):
        raise ValueError("not a payment id")
    return payment_id


def _payment(answer: dict) -> ProviderPayment:
    checkout = (answer.get("_links") or {}).get("checkout") or {}
    paid_at = answer.get("paidAt")
    return ProviderPayment(
        id=answer["id"], status=answer["status"], amount=Decimal(answer["amount"]["value"]),
        checkout_url=checkout.get("href"),
        paid_at=(datetime.fromisoformat(paid_at).astimezone(UTC).replace(tzinfo=None)
                 if paid_at else None))


def setup_mollie(app: Flask) -> MollieProvider:
    key = app.config["MOLLIE_API_KEY"]
    if not key.startswith(("live_", "test_")):
        raise PortConfigurationError(
            "PAYMENT_PROVIDER=mollie needs MOLLIE_API_KEY (live_... or test_..., from "
            "Mollie's dashboard)")
    return MollieProvider("mollie", app.config["MOLLIE_API_URL"], key,
                          timeout=app.config["PAYMENT_TIMEOUT"])


def setup_mock(app: Flask) -> MollieProvider:
    if app.config["PORTAL_ENV"] == "production":
        raise PortConfigurationError("PAYMENT_PROVIDER=mock is for the demo and tests only")
    return MollieProvider("mock", app.config["MOCK_PSP_URL"].rstrip("/") + "/v2/",
                          "test_mock", timeout=app.config["PAYMENT_TIMEOUT"])
