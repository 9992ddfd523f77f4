"""Payments of forms with a fee, and their refunds."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base

CREATED = "created"  # our row exists; the provider has not answered the create yet

REFUND_REQUESTED = "requested"  # to be sent to the provider by the worker
REFUND_SENT = "sent"            # the provider accepted it (refund_id)
REFUND_FAILED = "failed"        # the provider refused it: for an operator

# Why money goes back.
REFUND_REJECTED = "rejected"    # staff rejected the application
REFUND_NOT_SENT = "not_sent"    # paid, but the application could not be sent (address taken)
REFUND_DOUBLE = "double"        # a second payment for an application sent already
REFUND_DECLINED = "declined"    # the partner did not confirm the notice (app.eforms.confirmations)


class Payment(Base):
    """One attempt to pay for one draft. A draft may have several (cancelled, then paid);
    at most one of them submits it; a paid one that could not is refunded.

    ``amount`` comes from the catalogue when the payment starts, never from the browser.
    ``reference`` is ours: the provider's idempotency key. The status mirrors the
    provider's, which the portal only ever fetches from the provider itself (the webhook
    carries an id, nothing else). ``submitted_at`` is set in the transaction that submits
    the draft, so the return page, the webhook and the worker submit it once between them.
    The gemachtigde's name and BSN and the login's level are kept until then: the webhook
    or the worker submits without the resident's session.
    """

    __tablename__ = "payments"
    __table_args__ = (
        # The worker's queries: payments still open at the provider, refunds to send.
        Index("ix_payments_status_next_check_at", "status", "next_check_at"),
        Index("ix_payments_refund_status", "refund_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    draft_id: Mapped[str] = mapped_column(String(64), index=True)
    form_slug: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    description: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(8))
    provider: Mapped[str] = mapped_column(String(20))
    provider_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    checkout_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default=CREATED)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime)
    next_check_at: Mapped[datetime] = mapped_column(DateTime)
    loa: Mapped[int | None] = mapped_column(Integer)
    gemachtigde_naam: Mapped[str | None] = mapped_column(String(200))
    gemachtigde_bsn: Mapped[str | None] = mapped_column(String(9))
    # What paying did: the draft submitted (its zaaknummer or reference).
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str | None] = mapped_column(String(40))
    refund_status: Mapped[str | None] = mapped_column(String(20))
    refund_reason: Mapped[str | None] = mapped_column(String(20))
    refund_id: Mapped[str | None] = mapped_column(String(64))
    refund_requested_at: Mapped[datetime | None] = mapped_column(DateTime)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime)
    refund_attempts: Mapped[int] = mapped_column(Integer, default=0)
    refund_next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)

    def __repr__(self) -> str:  # no BSN: reprs end up in logs
        return f"<Payment {self.reference} {self.form_slug} {self.status}>"
