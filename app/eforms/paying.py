"""The payment step of a form whose product has a fee (``fee`` in its definition).

Check your answers, then pay, then the zaak: the resident is sent to the payment provider's
checkout; the draft is submitted only once the provider itself says the payment is paid.
Three ways lead there, whichever comes first, and the draft is submitted once between them:
the browser's return (``settle`` from the return page), the provider's webhook (an id only;
the portal fetches the status) and `flask payments worker` (open payments nobody settled).
A cancelled, expired or failed payment leaves the draft as it was: the resident can pay
again. A payment that succeeded but cannot submit the draft (the address got a permit in
the meantime, or another payment of the same draft submitted it) is refunded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms.validators import ValidationError

from app.catalog.content import get_catalog
from app.catalog.services import ProductNotFound, get_product
from app.db import serialise, transaction
from app.eforms import uploads_path
from app.eforms.definitions import FormDefinition, get_definition, get_definitions
from app.eforms.engine import chosen_fees
from app.eforms.models import FormDraft
from app.eforms.services import Applicant, UploadArea, submit_draft
from app.payments import services as payments
from app.payments.models import CREATED, REFUND_DOUBLE, REFUND_NOT_SENT, Payment
from app.payments.port import FINAL_STATUSES, PAID, UNSUCCESSFUL_STATUSES, get_provider
from app.persons.services import KnownResident, known_resident
from app.zaken.store import Betaling, Gemachtigde, get_zaken_store

log = logging.getLogger(__name__)

# How a settled payment left the draft.
SUBMITTED = "submitted"        # paid: the draft is submitted (now or before)
WAITING = "waiting"            # not final yet at the provider (the bank has not confirmed)
UNSUCCESSFUL = "unsuccessful"  # cancelled, expired or failed: pay again
REFUNDED = "refunded"          # paid, but the draft could not be submitted: money goes back


class PaymentConfigurationError(RuntimeError):
    """A form's fee names no fee of its product in the catalogue."""


def fee_amount(definition: FormDefinition, answers: dict | None = None) -> Decimal | None:
    """What the form costs with these answers: the catalogue's amount for the fee the
    definition names, times the stored answer of its ``fee_quantity`` field, plus the fee of
    every option the answers chose (the server's catalogue and stored answers, never
    anything the browser sent); None when the form never costs anything. Zero (a free
    ceremony) is sent without paying."""
    if not definition.may_cost:
        return None
    answers = answers or {}
    amount = Decimal("0.00")
    if definition.fee:
        amount = _catalogue_fee(definition, definition.fee) * _quantity(definition, answers)
    return amount + sum((_catalogue_fee(definition, label, free_allowed=True)
                         for label in chosen_fees(definition, answers)), Decimal("0.00"))


def _quantity(definition: FormDefinition, answers: dict) -> int:
    if not definition.fee_quantity:
        return 1
    try:
        return max(1, int(answers.get(definition.fee_quantity) or 1))
    except (TypeError, ValueError):
        return 1


def _catalogue_fee(definition: FormDefinition, label: str, free_allowed: bool = False) -> Decimal:
    """The amount of the product's catalogue fee with this Dutch label. The form's own fee
    must cost something (else there is nothing to pay); an option may be free."""
    try:
        product = get_product(get_catalog(), definition.product)
    except ProductNotFound:
        raise PaymentConfigurationError(
            f"form {definition.slug}: product {definition.product!r} is not in the catalogue"
        ) from None
    fees = product.cost.fees if product.cost else ()
    amount = next((fee.amount for fee in fees if fee.label.nl == label), None)
    if amount is None or amount < 0 or (amount == 0 and not free_allowed):
        raise PaymentConfigurationError(
            f"form {definition.slug}: the catalogue's product {definition.product!r} has no "
            f"fee labelled {label!r} with an amount {'of 0 or more' if free_allowed else 'above 0'}")
    return amount


def check_fees() -> None:
    """Every fee a form or one of its options names is in the catalogue: checked at start,
    a wrong one stops the app."""
    for definition in get_definitions().values():
        fee_amount(definition)
        for label in definition.option_fees():
            _catalogue_fee(definition, label, free_allowed=True)


def applicant_for(definition: FormDefinition, known: KnownResident | None,
                  gemachtigde: Gemachtigde | None, loa: int | None) -> Applicant:
    """Who submits: the persons store's data of a logged-in resident, else nobody known."""
    if known is None:
        return Applicant()
    person = known.person
    return Applicant(naam=person.full_name, bsn=person.bsn,
                     adres=person.address_line if "adres" in definition.prefill else "",
                     email=known.contact.email, telefoon=known.contact.telefoon,
                     gemachtigde=gemachtigde, loa=loa)


# --------------------------------------------------------------------------- starting


@dataclass(frozen=True)
class Checkout:
    url: str


def start_payment(definition: FormDefinition, draft: FormDraft, *, applicant: Applicant,
                  locale: str, redirect_url: str, webhook_url: str) -> Checkout:
    """The checkout page to send the resident to. Clicking "Pay" again (or in two tabs)
    while a payment is open goes to the same payment; after an unsuccessful one, a new one.
    RemoteError when the provider is away: the draft stays as it is."""
    provider = get_provider()
    amount = fee_amount(definition, draft.answers)
    with transaction() as db:
        payment = payments.payment_for_draft(db, draft.id, lock=True)
        if payment is not None and payment.status == PAID and payment.refund_status is None:
            return Checkout(redirect_url)  # paid already: the return page submits it
        # An open payment for what the answers cost now is the one to go on with; after a
        # change of answers that changed the amount, a new one.
        reusable = payment is not None and payment.amount == amount
        if reusable and payment.status not in (CREATED, *FINAL_STATUSES) \
                and payment.checkout_url:
            return Checkout(payment.checkout_url)
        if not (reusable and payment.status == CREATED):
            gemachtigde = applicant.gemachtigde
            payment = payments.new_payment(
                db, draft_id=draft.id, form_slug=definition.slug, amount=amount,
                description=definition.title.get("nl"), locale=locale, provider=provider.name,
                loa=applicant.loa, gemachtigde_naam=gemachtigde.naam if gemachtigde else None,
                gemachtigde_bsn=gemachtigde.bsn if gemachtigde else None)
        payment_id = payment.id
    # The remote call between two transactions; a retry after a timeout reuses the row and
    # its idempotency key.
    created = payments.create_at_provider(provider, payment, redirect_url=redirect_url,
                                          webhook_url=webhook_url)
    with transaction() as db:
        payment = db.get(Payment, payment_id, populate_existing=True)
        if payment.provider_id is None:
            payments.record_created(db, payment, created)
    log.info("payment started", extra={"form": definition.slug, "payment": created.id})
    return Checkout(created.checkout_url)


# --------------------------------------------------------------------------- settling


@dataclass(frozen=True)
class Settled:
    outcome: str
    status: str                  # the provider's status
    submitted_as: str | None = None  # the zaaknummer or the portal reference


def settle(payment_id: int) -> Settled:
    """Ask the provider how the payment stands and act on it: submit the draft when paid
    (once, whoever asks), refund a paid payment that cannot submit it. Safe to call any
    number of times, in any order, from several processes. RemoteError when the provider
    does not answer (the webhook then answers 503 and the provider tries again)."""
    db = _session()
    payment = db.get(Payment, payment_id)
    if payment is None or payment.provider_id is None:
        return Settled(UNSUCCESSFUL, CREATED)
    answer = get_provider().get_payment(payment.provider_id)
    registers_later = get_zaken_store().registers_later
    with transaction() as db:
        # Locked and read afresh: settles of one payment (the return, the webhook, workers)
        # take turns, and each sees what the one before it did.
        payment = db.get(Payment, payment_id, with_for_update=True, populate_existing=True)
        payments.record_status(db, payment, answer)
        if not payments.amount_matches(payment, answer):
            # Never seen, but then a person must look: no zaak, no refund by itself.
            log.error("payment %s: the provider charged another amount", payment.reference)
            return Settled(WAITING, payment.status)
        settled = _act_on(db, payment)
    if settled.outcome == SUBMITTED and settled.submitted_as and not registers_later:
        UploadArea(uploads_path()).remove_all(payment.draft_id)  # zaak documents now
    return settled


def settle_draft(draft_id: str) -> Settled:
    """The return page's question: how do the draft's payments stand? Each one not settled
    yet is settled (the resident may have paid in another tab a payment that is not the
    newest); a submitted draft wins, otherwise the newest payment says."""
    db = _session()
    ids = payments.unsettled_for_draft(db, draft_id)
    outcomes = [settle(payment_id) for payment_id in ids]
    submitted = next((o for o in outcomes if o.outcome == SUBMITTED), None)
    if submitted is not None:
        return submitted
    latest = payments.payment_for_draft(db, draft_id)
    if latest is not None and ids and latest.id == ids[-1]:
        return outcomes[-1]
    return _as_settled(latest)


def _as_settled(payment: Payment | None) -> Settled:
    """What a payment settled before says, without asking the provider again."""
    if payment is None or payment.status == CREATED:
        return Settled(UNSUCCESSFUL, CREATED)
    if payment.submitted_at is not None:
        return Settled(SUBMITTED, payment.status, payment.outcome)
    if payment.refund_status is not None:
        return Settled(REFUNDED, payment.status)
    if payment.status in UNSUCCESSFUL_STATUSES:
        return Settled(UNSUCCESSFUL, payment.status)
    return Settled(WAITING, payment.status)


def settle_by_provider_id(provider_id: str) -> Settled | None:
    """The webhook's way in: None for an id the portal never made."""
    payment = payments.by_provider_id(_session(), provider_id)
    return settle(payment.id) if payment is not None else None


def _session() -> Session:
    from app.db import get_session

    return get_session()


def _act_on(db: Session, payment: Payment) -> Settled:
    if payment.status in UNSUCCESSFUL_STATUSES:
        return Settled(UNSUCCESSFUL, payment.status)
    if payment.status != PAID:
        return Settled(WAITING, payment.status)
    if payment.refund_status is not None:
        return Settled(REFUNDED, payment.status)
    if payment.submitted_at is not None:
        return Settled(SUBMITTED, payment.status, payment.outcome)
    # Payments of one draft take turns from here: the draft is read after the turn.
    serialise(db, "payment", payment.draft_id)
    draft = db.scalar(select(FormDraft).where(FormDraft.id == payment.draft_id)
                      .execution_options(populate_existing=True))
    definition = get_definition(payment.form_slug)
    if draft is None or definition is None or draft.submitted_at is not None:
        # Gone (expired, discarded), or sent with another payment of the same draft.
        reason = REFUND_DOUBLE if draft is not None and draft.submitted_at else REFUND_NOT_SENT
        payments.request_refund(db, payment, reason)
        return Settled(REFUNDED, payment.status)
    if payment.amount != fee_amount(definition, draft.answers):
        # The answers changed what it costs after this payment started (another number of
        # extracts): this payment does not pay for them. The resident pays again.
        payments.request_refund(db, payment, REFUND_NOT_SENT)
        return Settled(REFUNDED, payment.status)
    try:
        with db.begin_nested():
            submitted_as = submit_draft(
                db, draft.id, definition, applicant=_applicant(definition, draft, payment),
                uploads=UploadArea(uploads_path()), locale=payment.locale,
                betaling=Betaling(indicatie="geheel", betaaldatum=payment.paid_at,
                                  transactie=payment.provider_id))
    except ValidationError:  # the one-per-address rule: the address was taken meanwhile
        payments.request_refund(db, payment, REFUND_NOT_SENT)
        return Settled(REFUNDED, payment.status)
    payments.mark_submitted(db, payment, submitted_as)
    log.info("paid form submitted", extra={"form": payment.form_slug,
                                           "payment": payment.provider_id})
    return Settled(SUBMITTED, payment.status, submitted_as)


def _applicant(definition: FormDefinition, draft: FormDraft, payment: Payment) -> Applicant:
    known = known_resident(draft.owner_bsn) if draft.owner_bsn else None
    gemachtigde = (Gemachtigde(naam=payment.gemachtigde_naam, bsn=payment.gemachtigde_bsn,
                               loa=payment.loa) if payment.gemachtigde_bsn else None)
    return applicant_for(definition, known, gemachtigde, payment.loa)


def latest_payment(session: Session, draft_id: str) -> Payment | None:
    return payments.payment_for_draft(session, draft_id)


def webhook_url() -> str:
    from app.urls import external_url

    return external_url("payments.webhook")
