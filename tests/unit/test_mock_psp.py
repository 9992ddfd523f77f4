"""The mock payment provider holds the portal to Mollie's rules: a key, valid amounts,
idempotency keys, no refund of more than was paid, and a checkout that reports back."""

import pytest

from mock_psp.app import Settings, create_app

KEY = {"Authorization": "Bearer test_unit"}
NEW = {"amount": {"currency": "EUR", "value": "15.10"}, "description": "Uittreksel",
       "redirectUrl": "http://portal/terug", "webhookUrl": "http://127.0.0.1:9/hook"}


@pytest.fixture
def psp():
    return create_app(Settings(url="http://psp", webhook_retry_seconds=0)).test_client()


def test_without_a_key_or_with_a_wrong_amount_nothing_is_made(psp):
    assert psp.post("/v2/payments", json=NEW).status_code == 401
    wrong = {**NEW, "amount": {"currency": "EUR", "value": "15.1"}}
    assert psp.post("/v2/payments", json=wrong, headers=KEY).status_code == 422


def test_an_idempotency_key_makes_one_payment(psp):
    headers = {**KEY, "Idempotency-Key": "k1"}
    first = psp.post("/v2/payments", json=NEW, headers=headers).get_json()
    again = psp.post("/v2/payments", json=NEW, headers=headers).get_json()
    assert first["id"] == again["id"] and first["status"] == "open"
    assert first["_links"]["checkout"]["href"] == f"http://psp/checkout/{first['id']}"


def test_the_checkout_pays_and_a_refund_cannot_exceed_the_payment(psp):
    payment = psp.post("/v2/payments", json=NEW, headers=KEY).get_json()
    refund = {"amount": {"currency": "EUR", "value": "15.10"}}
    assert psp.post(f"/v2/payments/{payment['id']}/refunds", json=refund,
                    headers=KEY).status_code == 422  # not paid yet
    answer = psp.post(f"/checkout/{payment['id']}", data={"scenario": "paid"})
    assert (answer.status_code, answer.headers["Location"]) == (303, "http://portal/terug")
    paid = psp.get(f"/v2/payments/{payment['id']}", headers=KEY).get_json()
    assert paid["status"] == "paid" and paid["paidAt"] and "_links" not in paid
    headers = {**KEY, "Idempotency-Key": "r1"}
    assert psp.post(f"/v2/payments/{payment['id']}/refunds", json=refund,
                    headers=headers).status_code == 201
    assert psp.post(f"/v2/payments/{payment['id']}/refunds", json=refund,
                    headers=headers).status_code == 201  # the same refund
    assert psp.post(f"/v2/payments/{payment['id']}/refunds", json=refund,
                    headers=KEY).status_code == 422  # nothing left to refund
    assert "15.10" in psp.get("/refunds").get_data(as_text=True)
