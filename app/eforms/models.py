"""Drafts of e-forms: the answers a resident has given so far, saved at every step; and the
submissions the worker still has to register in a remote zaaksysteem."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class FormDraft(Base):
    """One resident's (or one anonymous browser session's) filling-in of one form.

    ``id`` is an opaque random token that appears in URLs; the owner is the
    logged-in BSN, or, for anonymous drafts, the server-side session that
    started it (the route keeps the ids there). ``zaak_identificatie`` is set
    once, by a conditional UPDATE, when the draft is submitted: that claim
    makes submitting idempotent. With a remote zaaksysteem the claim sets only
    ``submitted_at`` (its FormRegistration holds the reference) and the worker
    sets ``zaak_identificatie`` once the zaak is registered.
    """

    __tablename__ = "form_draft"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    form_slug: Mapped[str] = mapped_column(String(64))
    owner_bsn: Mapped[str | None] = mapped_column(String(9))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    completed_steps: Mapped[list] = mapped_column(JSON, default=list)
    current_step: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    # sha256 of the resume-link token; the token itself is only in the mail.
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    resume_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    zaak_identificatie: Mapped[str | None] = mapped_column(String(40))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # What the receipt says of the answers, written at the submit (app.eforms.receipt).
    receipt: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_form_draft_owner_bsn_form_slug", "owner_bsn", "form_slug"),)


REGISTRATION_PENDING = "pending"        # waiting for its (next) attempt at next_attempt_at
REGISTRATION_CLAIMED = "registering"    # claimed by a worker until claimed_until
REGISTRATION_DONE = "registered"        # the zaak is in the zaaksysteem (zaaknummer)
REGISTRATION_FAILED = "failed"          # refused by the zaaksysteem, or out of attempts

REGISTRATION_STATUSES = (REGISTRATION_PENDING, REGISTRATION_CLAIMED, REGISTRATION_DONE,
                         REGISTRATION_FAILED)


class FormRegistration(Base):
    """A submitted form on its way to a remote zaaksysteem (ZAKEN_STORE=zgw).

    Written in the submit's own transaction, with everything the zaak needs (the uploads
    stay in the UploadArea until it is registered), so nothing remote happens in the
    request. The worker (app.eforms.registrations) registers it in steps, recording each
    before the next: the reserved ``zaaknummer``, each created document's URL in
    ``document_urls``, then the zaak itself (``registered_at``). A retry resumes at the
    first step not recorded. ``reference`` (from the id) is what the resident is told.

    BSNs are kept as the other tables keep them (form_draft.owner_bsn, messages.bsn) until
    the zaak is registered; then the answers, the initiator and the BSNs are emptied (the
    zaaksysteem holds them; app.eforms.registrations.FORGOTTEN_WHEN_REGISTERED).
    ``last_error`` holds an error's type and status, never its text.
    """

    __tablename__ = "form_registrations"
    __table_args__ = (
        # The worker's query: due pending rows, and claimed rows whose lease expired.
        Index("ix_form_registrations_status_next_attempt_at", "status", "next_attempt_at"),
        # Mijn zaken: the resident's registrations not registered yet.
        Index("ix_form_registrations_initiator_bsn_status", "initiator_bsn", "status"),
        # The zaak page: the confirmation of a zaak a remote zaaksysteem numbered.
        Index("ix_form_registrations_zaaknummer", "zaaknummer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[str] = mapped_column(String(64), unique=True)
    form_slug: Mapped[str] = mapped_column(String(64))
    zaaktype: Mapped[str] = mapped_column(String(50))  # its identificatie in the catalogue
    created_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC: the submit
    # What open_zaak is given: the initiator's naam, email, telefoon and adres; the BSN apart.
    initiator: Mapped[dict] = mapped_column(JSON)
    initiator_bsn: Mapped[str | None] = mapped_column(String(9))
    gemachtigde_naam: Mapped[str | None] = mapped_column(String(200))
    gemachtigde_bsn: Mapped[str | None] = mapped_column(String(9))
    # The DigiD level of the login that sent it (app.auth.loa.Loa): the gemachtigde's when
    # they acted; None for an anonymous form.
    loa: Mapped[int | None] = mapped_column(Integer)
    omschrijving: Mapped[str] = mapped_column(String(200))
    kenmerken: Mapped[dict] = mapped_column(JSON, default=dict)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # aanvraaggegevens, no files
    # [{"file_id", "titel", "bestandsnaam", "formaat"}]: the files in the UploadArea.
    uploads: Mapped[list] = mapped_column(JSON, default=list)
    locale: Mapped[str] = mapped_column(String(8))
    # Paid online first (app.payments): {"indicatie", "betaaldatum" (ISO, UTC), "transactie"}.
    betaling: Mapped[dict | None] = mapped_column(JSON)
    confirmation_to: Mapped[str | None] = mapped_column(String(254))
    # The steps done.
    zaaknummer: Mapped[str | None] = mapped_column(String(40))
    document_urls: Mapped[list] = mapped_column(JSON, default=list)  # by document, in order
    registered_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The queue's bookkeeping.
    status: Mapped[str] = mapped_column(String(20), default=REGISTRATION_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # claims so far
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(300))

    @property
    def reference(self) -> str:
        return reference_of(self.id, self.created_at)

    def __repr__(self) -> str:  # no BSN, no answers: reprs end up in logs
        return (f"<FormRegistration {self.id} {self.form_slug} {self.status} "
                f"attempts={self.attempts}>")


def reference_of(registration_id: int, created_at: datetime) -> str:
    """The portal's reference for a submission: "AANVR-2026-00123" (short, readable, unique
    by the row's id)."""
    return f"AANVR-{created_at:%Y}-{registration_id:05d}"


CONFIRMED = "confirmed"
DECLINED = "declined"


class FormConfirmation(Base):
    """A sent form that waits for a second person to confirm it with their own DigiD (the
    partner of a marriage notice: the law asks both to give notice; `confirmation` in the
    form's definition). Written in the submit's transaction; the zaak moves on to the
    definition's status only when the confirmer says yes (app.eforms.confirmations).

    ``public_id`` is the opaque id in the confirmer's URL; the page is found only with the
    confirmer's own BSN as well. ``shown`` holds the answers the confirmer reads (what the
    two share: never the requester's BSN, birth date, address or contact details).
    ``zaak`` is the zaaknummer, or with a remote zaaksysteem the portal reference until the
    worker registered the zaak (the draft's registration then has the zaaknummer).
    """

    __tablename__ = "form_confirmations"
    __table_args__ = (
        # Mijn omgeving: the requests still waiting for this resident.
        Index("ix_form_confirmations_confirmer_bsn_answered_at", "confirmer_bsn", "answered_at"),
        # The zaak page and the status rule: the confirmation of a zaak.
        Index("ix_form_confirmations_zaak", "zaak"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    draft_id: Mapped[str] = mapped_column(String(64), unique=True)
    form_slug: Mapped[str] = mapped_column(String(64))
    zaak: Mapped[str] = mapped_column(String(40))
    requester_bsn: Mapped[str] = mapped_column(String(9))
    requester_naam: Mapped[str] = mapped_column(String(200))
    confirmer_bsn: Mapped[str] = mapped_column(String(9))
    shown: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    answer: Mapped[str | None] = mapped_column(String(10))  # CONFIRMED or DECLINED

    def __repr__(self) -> str:  # no BSN: reprs end up in logs
        return f"<FormConfirmation {self.id} {self.form_slug} {self.answer or 'open'}>"
