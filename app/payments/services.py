"""The rules of payments: one payment per attempt, the status only from the provider, and
refunds through the port. Plain arguments in, domain objects out; the caller owns the
transaction, and no remote call is made inside one."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.db import serialise, utcnow
from app.payments.models import (
    CREATED,
    REFUND_FAILED,
    REFUND_REJECTED,
    REFUND_REQUESTED,
    REFUND_SENT,
    Payment,
)
from app.payments.port import (
    FINAL_STATUSES,
    PAID,
    UNSUCCESSFUL_STATUSES,
    NewPayment,
    PaymentProvider,
    ProviderPayment,
    ProviderRefund,
)
from app.remote import RemoteError, RemoteRefused
from app.worker import backoff

log = logging.getLogger(__name__)

# How often the worker asks the provider about a payment no webhook has settled: soon at
# first (a webhook that did not come), then less often; iDEAL payments expire within an hour.
CHECK_BASE = timedelta(minutes=2)
CHECK_CAP = timedelta(minutes=30)
REFUND_RETRY_BASE = timedelta(minutes=1)
REFUND_RETRY_CAP = timedelta(hours=1)
MAX_REFUND_ATTEMPTS = 30


@dataclass(frozen=True)
class PaymentView:
    """A payment as staff see it on the zaak page."""

    reference: str
    provider: str
    provider_id: str | None
    amount: Decimal
    status: str
    paid_at: datetime | None
    refund_status: str | None
    refund_reason: str | None
    refund_id: str | None
    refunded_at: datetime | None


def _view(payment: Payment) -> PaymentView:
    return PaymentView(reference=payment.reference, provider=payment.provider,
                       provider_id=payment.provider_id, amount=payment.amount,
                       status=payment.status, paid_at=payment.paid_at,
                       refund_status=payment.refund_status, refund_reason=payment.refund_reason,
                       refund_id=payment.refund_id, refunded_at=payment.refunded_at)


# --------------------------------------------------------------------------- starting


def payment_for_draft(session: Session, draft_id: str, *, lock: bool = False) -> Payment | None:
    """The draft's newest payment. ``lock``: first make the transactions that start a
    payment for this draft take turns (ten clicks on "Pay" make one payment)."""
    if lock:
        serialise(session, "payment", draft_id)
    return session.scalar(select(Payment).where(Payment.draft_id == draft_id)
                          .order_by(Payment.id.desc()).limit(1)
                          .execution_options(populate_existing=True))


def unsettled_for_draft(session: Session, draft_id: str) -> list[int]:
    """The ids of the draft's payments that may still change or act, oldest first: known to
    the provider, not cancelled, expired or failed, not submitted, nothing to refund."""
    return list(session.scalars(
        select(Payment.id).where(Payment.draft_id == draft_id,
                                 Payment.provider_id.is_not(None),
                                 Payment.status.not_in(UNSUCCESSFUL_STATUSES),
                                 Payment.submitted_at.is_(None),
                                 Payment.refund_status.is_(None))
        .order_by(Payment.id)))


def new_payment(session: Session, *, draft_id: str, form_slug: str, amount: Decimal,
                description: str, locale: str, provider: str, loa: int | None,
                gemachtigde_naam: str | None, gemachtigde_bsn: str | None,
                now: datetime | None = None) -> Payment:
    """A payment row before the provider knows it: its reference is the idempotency key,
    so a create that timed out and is tried again makes no second payment."""
    now = now or utcnow()
    payment = Payment(reference=secrets.token_hex(16), draft_id=draft_id, form_slug=form_slug,
                      amount=amount, description=description, locale=locale, provider=provider,
                      status=CREATED, created_at=now, updated_at=now, next_check_at=now,
                      loa=loa, gemachtigde_naam=gemachtigde_naam,
                      gemachtigde_bsn=gemachtigde_bsn, refund_attempts=0)
    session.add(payment)
    session.flush()
    return payment


def create_at_provider(provider: PaymentProvider, payment: Payment, *, redirect_url: str,
                       webhook_url: str) -> ProviderPayment:
    """The remote call, outside any transaction; RemoteError when the provider is away."""
    return provider.create_payment(NewPayment(
        amount=payment.amount, description=payment.description, redirect_url=redirect_url,
        webhook_url=webhook_url, locale=payment.locale, idempotency_key=payment.reference))


def record_created(session: Session, payment: Payment, created: ProviderPayment,
                   now: datetime | None = None) -> None:
    now = now or utcnow()
    payment.provider_id = created.id
    payment.checkout_url = created.checkout_url
    payment.status = created.status
    payment.updated_at = now
    payment.next_check_at = now + CHECK_BASE
    session.flush()


# --------------------------------------------------------------------------- the status


def by_provider_id(session: Session, provider_id: str) -> Payment | None:
    return session.scalar(select(Payment).where(Payment.provider_id == provider_id))


def record_status(session: Session, payment: Payment, answer: ProviderPayment,
                  now: datetime | None = None) -> None:
    """What the provider said about the payment. A final status never changes back (the
    webhook and the return page may both report it, in any order)."""
    now = now or utcnow()
    if answer.id != payment.provider_id:
        raise ValueError("the provider answered about another payment")
    if payment.status not in FINAL_STATUSES:
        payment.status = answer.status
        payment.paid_at = answer.paid_at or (now if answer.status == PAID else None)
    payment.updated_at = now
    checks_so_far = max(1, int((now - payment.created_at) / CHECK_BASE))
    payment.next_check_at = now + backoff(checks_so_far, base=CHECK_BASE, cap=CHECK_CAP)
    session.flush()


def amount_matches(payment: Payment, answer: ProviderPayment) -> bool:
    """The provider charged what the catalogue asked (it always should)."""
    return answer.amount == payment.amount


def mark_submitted(session: Session, payment: Payment, outcome: str,
                   now: datetime | None = None) -> None:
    payment.submitted_at = now or utcnow()
    payment.outcome = outcome
    payment.gemachtigde_naam = payment.gemachtigde_bsn = None
    session.flush()


def payments_to_check(session: Session, now: datetime, limit: int) -> list[Payment]:
    """Payments the worker asks the provider about: still open there and due, or paid
    with the draft not submitted yet (a return and a webhook that both never came)."""
    return list(session.scalars(
        select(Payment).where(or_(
            Payment.status.not_in((*FINAL_STATUSES, CREATED)) & (Payment.next_check_at <= now),
            (Payment.status == PAID) & Payment.submitted_at.is_(None)
            & Payment.refund_status.is_(None)))
        .order_by(Payment.next_check_at).limit(limit)))


# --------------------------------------------------------------------------- refunds


def request_refund(session: Session, payment: Payment, reason: str,
                   now: datetime | None = None) -> bool:
    """Queue the refund of a paid payment for the worker (in the caller's transaction, so a
    rolled-back rejection takes it with it); False when there is nothing to refund."""
    if payment.status != PAID or payment.refund_status is not None:
        return False
    now = now or utcnow()
    payment.refund_status = REFUND_REQUESTED
    payment.refund_reason = reason
    payment.refund_requested_at = now
    payment.refund_next_attempt_at = now
    session.flush()
    log.info("payment %s: refund requested (%s)", payment.reference, reason)
    return True


# The results (resultaattype omschrijving.nl) that refuse what was paid for: the fee goes back.
REJECTING_RESULTS = frozenset({"Afgewezen"})


def refund_if_rejected(session: Session, kenmerken: dict, resultaattype: str) -> bool:
    """Staff closed a zaak: when the result rejects the application and the zaak was paid
    online, queue the refund in the same transaction."""
    return (resultaattype in REJECTING_RESULTS
            and refund_zaak_payment(session, kenmerken, REFUND_REJECTED))


def refund_zaak_payment(session: Session, kenmerken: dict, reason: str) -> bool:
    """Queue the refund of what the zaak was paid with online (its kenmerk "betaling"), in
    the caller's transaction; False when nothing was paid or it is refunded already."""
    payment = _payment_of(session, kenmerken)
    return payment is not None and request_refund(session, payment, reason)


def _payment_of(session: Session, kenmerken: dict) -> Payment | None:
    """The payment a zaak was opened with, by its kenmerk "betaling" (both zaken stores
    keep it)."""
    from app.zaken.store import BETALING_KENMERK

    transactie = kenmerken.get(BETALING_KENMERK)
    return by_provider_id(session, str(transactie)) if transactie else None


def refunds_due(session: Session, now: datetime, limit: int) -> list[Payment]:
    return list(session.scalars(
        select(Payment).where(Payment.refund_status == REFUND_REQUESTED,
                              Payment.refund_next_attempt_at <= now)
        .order_by(Payment.refund_requested_at).limit(limit)))


def call_refund(provider: PaymentProvider, payment: Payment) -> ProviderRefund | RemoteError:
    """Ask the provider to refund, outside any transaction; the idempotency key makes a
    call repeated after a crash refund once. The refund, or the error it answered with."""
    try:
        return provider.refund(payment.provider_id, amount=payment.amount,
                               description=f"Terugbetaling {payment.description}",
                               idempotency_key=f"refund-{payment.reference}")
    except RemoteError as error:
        return error


def record_refund(session: Session, payment: Payment, result: ProviderRefund | RemoteError,
                  now: datetime | None = None) -> str:
    """Record what call_refund gave; the refund status back."""
    now = now or utcnow()
    if payment.refund_status != REFUND_REQUESTED:
        return payment.refund_status  # another worker recorded it first
    if isinstance(result, RemoteRefused):
        payment.refund_status = REFUND_FAILED
        log.error("payment %s: refund refused by the provider (%s); for an operator",
                  payment.reference, result.status)
    elif isinstance(result, RemoteError):
        payment.refund_attempts += 1
        if payment.refund_attempts >= MAX_REFUND_ATTEMPTS:
            payment.refund_status = REFUND_FAILED
        payment.refund_next_attempt_at = now + backoff(
            payment.refund_attempts, base=REFUND_RETRY_BASE, cap=REFUND_RETRY_CAP)
    else:
        payment.refund_status = REFUND_SENT
        payment.refund_id = result.id
        payment.refunded_at = now
    payment.updated_at = now
    session.flush()
    return payment.refund_status


def payment_of_zaak(session: Session, kenmerken: dict) -> PaymentView | None:
    """The payment a zaak was opened with, for the back office."""
    payment = _payment_of(session, kenmerken)
    return _view(payment) if payment else None
