"""The payment provider port: what the portal asks of a PSP, and the typed values it
answers with. Implementations (app.ports PAYMENT_PROVIDER): ``mollie`` and ``mock``, both
app.payments.mollie.MollieProvider (the mock PSP speaks Mollie's API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from app.ports import PAYMENT_PROVIDER, implementation

# A payment's status at the provider (Mollie's names). Final: it never changes again.
OPEN, PENDING, AUTHORIZED, PAID = "open", "pending", "authorized", "paid"
CANCELED, EXPIRED, FAILED = "canceled", "expired", "failed"
FINAL_STATUSES = (PAID, CANCELED, EXPIRED, FAILED)
UNSUCCESSFUL_STATUSES = (CANCELED, EXPIRED, FAILED)


@dataclass(frozen=True)
class NewPayment:
    amount: Decimal               # euros, from the catalogue
    description: str              # shown on the bank statement
    redirect_url: str             # where the browser comes back
    webhook_url: str              # where the provider tells a change (an id only)
    locale: str                   # "nl" or "en"
    idempotency_key: str          # the same key never makes a second payment


@dataclass(frozen=True)
class ProviderPayment:
    id: str                       # the provider's transaction id (tr_...)
    status: str
    amount: Decimal
    checkout_url: str | None      # only while the payment is open
    paid_at: datetime | None      # naive UTC


@dataclass(frozen=True)
class ProviderRefund:
    id: str                       # re_...
    status: str                   # queued, pending, processing, refunded, failed, canceled


class PaymentProvider(Protocol):
    name: str

    def create_payment(self, payment: NewPayment) -> ProviderPayment: ...

    def get_payment(self, payment_id: str) -> ProviderPayment: ...

    def refund(self, payment_id: str, *, amount: Decimal, description: str,
               idempotency_key: str) -> ProviderRefund:
        """Give the amount back; the same key never refunds twice."""


def get_provider() -> PaymentProvider:
    return implementation(PAYMENT_PROVIDER)
