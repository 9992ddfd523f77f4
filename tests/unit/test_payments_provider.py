"""The payment provider port: the setting that chooses it, and what the Mollie client sends
and understands (Mollie's Payments API v2, field by field as its reference documents them)."""

import json
from datetime import datetime
from decimal import Decimal

import pytest
import requests

from app import create_app
from app.config import TestConfig
from app.payments.mollie import MollieProvider
from app.payments.port import NewPayment
from app.ports import PortConfigurationError


def config(**settings):
    return type("Config", (TestConfig,), {"DATABASE_URL": "sqlite://", **settings})


def test_a_wrong_provider_stops_the_app_at_start():
    with pytest.raises(PortConfigurationError, match=r"PAYMENT_PROVIDER='ideal'.*mock, mollie"):
        create_app(config(PAYMENT_PROVIDER="ideal"))


def test_mollie_without_a_key_stops_the_app_at_start():
    with pytest.raises(PortConfigurationError, match="MOLLIE_API_KEY"):
        create_app(config(PAYMENT_PROVIDER="mollie", MOLLIE_API_KEY=""))


def test_the_mock_provider_is_refused_in_production():
    with pytest.raises(PortConfigurationError, match="demo and tests only"):
        create_app(config(PAYMENT_PROVIDER="mock", PORTAL_ENV="production",
                          SECRET_KEY="x", RATELIMIT_STORAGE_URI="redis://localhost:6379/0"))


def test_mollie_is_chosen_and_its_checkout_is_a_form_action():
    app = create_app(config(PAYMENT_PROVIDER="mollie", MOLLIE_API_KEY="test_abc"))
    provider = app.extensions["payment_provider"]
    assert provider.name == "mollie"
    assert provider.api.base_url == "https://api.mollie.com/v2/"
    policy = app.test_client().get("/healthz").headers["Content-Security-Policy"]
    assert "https://www.mollie.com" in policy.split("form-action", 1)[1].split(";")[0]


class Recorder:
    """Stands in for the HTTP session: keeps each call, answers with the next answer."""

    def __init__(self, *answers: dict) -> None:
        self.answers = list(answers)
        self.calls: list[dict] = []

    def request(self, method, url, headers=None, timeout=None, stream=False, **kwargs):
        self.calls.append({"method": method, "url": url, "headers": headers, **kwargs})
        response = requests.Response()
        response.status_code = 201
        response._content = json.dumps(self.answers.pop(0)).encode()
        return response


def test_the_mollie_client_creates_an_ideal_payment_with_an_idempotency_key():
    provider = MollieProvider("mollie", "https://api.mollie.com/v2/", "test_abc", timeout=5)
    provider.api._session = Recorder({
        "resource": "payment", "id": "tr_WDqYK6vllg", "status": "open",
        "amount": {"currency": "EUR", "value": "30.20"},
        "_links": {"checkout": {"href": "https://www.mollie.com/checkout/select-method/x"}}})
    created = provider.create_payment(NewPayment(
        amount=Decimal("30.2"), description="Uittreksel BRP aanvragen",
        redirect_url="https://portaal.example/terug", webhook_url="https://portaal.example/hook",
        locale="en", idempotency_key="key-1"))
    (call,) = provider.api._session.calls
    assert (call["method"], call["url"]) == ("POST", "https://api.mollie.com/v2/payments")
    assert call["headers"]["Authorization"] == "Bearer test_abc"
    assert call["headers"]["Idempotency-Key"] == "key-1"
    assert call["json"] == {"amount": {"currency": "EUR", "value": "30.20"},
                            "description": "Uittreksel BRP aanvragen",
                            "redirectUrl": "https://portaal.example/terug",
                            "webhookUrl": "https://portaal.example/hook",
                            "method": "ideal", "locale": "en_US"}
    assert created.checkout_url.startswith("https://www.mollie.com/checkout/")
    assert created.amount == Decimal("30.20")


def test_the_mollie_client_reads_a_paid_payment_and_refunds_it():
    provider = MollieProvider("mollie", "https://api.mollie.com/v2/", "test_abc", timeout=5)
    provider.api._session = Recorder(
        {"resource": "payment", "id": "tr_WDqYK6vllg", "status": "paid",
         "amount": {"currency": "EUR", "value": "15.10"},
         "paidAt": "2026-12-06T10:31:05+01:00"},
        {"resource": "refund", "id": "re_4qqhO89gsT", "status": "pending"})
    paid = provider.get_payment("tr_WDqYK6vllg")
    assert (paid.status, paid.paid_at, paid.checkout_url) == (
        "paid", datetime(2026, 12, 6, 9, 31, 5), None)
    refund = provider.refund("tr_WDqYK6vllg", amount=Decimal("15.10"), description="Terug",
                             idempotency_key="refund-1")
    assert (refund.id, refund.status) == ("re_4qqhO89gsT", "pending")
    call = provider.api._session.calls[1]
    assert call["url"] == "https://api.mollie.com/v2/payments/tr_WDqYK6vllg/refunds"
    assert call["json"]["amount"] == {"currency": "EUR", "value": "15.10"}
    with pytest.raises(ValueError):
        provider.get_payment("../../customers")
