"""Registering submitted forms in a remote zaaksysteem (a store with ``registers_later``).

A remote system never joins a request's transaction: submit_draft records the submission
(a FormRegistration, in the draft's own transaction) and the resident gets its portal
reference at once. This worker registers it in steps, each recorded before the next, so
a crash or an outage neither loses a submission nor makes two zaken of it:

1. reserve the zaaknummer (``new_identificatie``) and record it;
2. make each document (the answers, then the uploads) and record its URL; a recorded URL
   is used again, and a resumed attempt first looks for a document it may have made but
   not recorded (by its identificatie, see document_identificatie);
3. register the zaak with that zaaknummer and those documents (atomic in the Zaken API:
   zaak, initiator rol, first status, documents); a resumed attempt first asks whether
   the zaak is there already (the previous attempt registered it and died before 4);
4. mark it registered, note the zaaknummer on the draft and queue the confirmation mail
   (deduplicated like the embedded store's), in one transaction; then drop the uploads.

Claims work as the mail outbox's and the notificaties inbox's do (one conditional UPDATE,
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a lease), so several workers may run. An outage
(RemoteUnavailable, or any unexpected error) is retried with backoff; a refusal (4xx) is
a fact about the submission: it is marked failed for an operator (`flask zaken
registrations`). Logs and last_error name the reference, the error's type and status,
never a BSN or an answer.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.catalog.facts import zaaktype_terms
from app.db import utcnow
from app.eforms.definitions import get_definition
from app.eforms.models import (
    REGISTRATION_CLAIMED,
    REGISTRATION_DONE,
    REGISTRATION_FAILED,
    REGISTRATION_PENDING,
    REGISTRATION_STATUSES,
    FormDraft,
    FormRegistration,
    reference_of,
)
from app.eforms.receipt import Receipt, receipt_attachment, receipt_of
from app.eforms.services import (
    REGISTERED_BY,
    UploadArea,
    betaling_from_record,
    confirmation_dedupe_key,
    record_form_sent,
    relevante_zaken,
    token_hash,
)
from app.notifications.services import send_mail
from app.remote import RemoteError, RemoteRefused
from app.worker import backoff, claim_batch
from app.zaken.store import Gemachtigde, Initiator, NewDocument, OpenedZaak, get_zaken_store

log = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 60  # with backoff capped at an hour: an outage of about two days
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
# Long enough for a batch of registrations with documents over a slow zaaksysteem; only a
# worker that died keeps its claims this long.
CLAIM_LEASE = timedelta(minutes=15)
# Refusals that a fix elsewhere or a wait may lift: retried, not failed.
RETRIED_REFUSALS = {401, 403, 408, 429}


class ClaimLost(RuntimeError):
    """Another worker took the registration over (our lease ran out)."""


@dataclass(frozen=True)
class RegistrationReport:
    claimed: int = 0
    registered: int = 0
    retrying: int = 0
    failed: int = 0

    def summary(self) -> str:
        return (f"{self.claimed} due, {self.registered} registered, {self.retrying} to retry, "
                f"{self.failed} failed")


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class PendingRegistration:
    """A resident's submission the zaaksysteem does not have yet (Mijn zaken shows it)."""

    reference: str
    form_slug: str
    created_at: datetime  # naive UTC


def registration_of_draft(session: Session, draft_id: str) -> FormRegistration | None:
    return session.scalar(select(FormRegistration).where(FormRegistration.draft_id == draft_id))


def pending_for_bsn(session: Session, bsn: str) -> list[PendingRegistration]:
    """The resident's submissions not registered yet, newest first: one query."""
    rows = session.execute(
        select(FormRegistration.id, FormRegistration.created_at, FormRegistration.form_slug)
        .where(FormRegistration.initiator_bsn == bsn,
               FormRegistration.status != REGISTRATION_DONE)
        .order_by(FormRegistration.created_at.desc(), FormRegistration.id.desc()))
    return [PendingRegistration(reference=reference_of(row.id, row.created_at),
                                form_slug=row.form_slug, created_at=row.created_at)
            for row in rows]


@dataclass(frozen=True)
class RegistrationsStatus:
    counts: dict[str, int]
    oldest_pending: datetime | None
    failed: list[FormRegistration]


def registrations_status(session: Session, *, failed_limit: int = 20) -> RegistrationsStatus:
    counts = dict.fromkeys(REGISTRATION_STATUSES, 0)
    counts.update(dict(session.execute(
        select(FormRegistration.status, func.count()).group_by(FormRegistration.status)).all()))
    oldest = session.scalar(select(func.min(FormRegistration.created_at)).where(
        FormRegistration.status.in_((REGISTRATION_PENDING, REGISTRATION_CLAIMED))))
    failed = list(session.scalars(
        select(FormRegistration).where(FormRegistration.status == REGISTRATION_FAILED)
        .order_by(FormRegistration.created_at.desc()).limit(failed_limit)))
    return RegistrationsStatus(counts=counts, oldest_pending=oldest, failed=failed)


def retry_failed(session: Session, ids: list[int], now: datetime | None = None) -> int:
    """Put failed registrations (all, or these ids) back in the queue."""
    statement = (update(FormRegistration)
                 .where(FormRegistration.status == REGISTRATION_FAILED)
                 .values(status=REGISTRATION_PENDING, next_attempt_at=now or utcnow())
                 .execution_options(synchronize_session=False))
    if ids:
        statement = statement.where(FormRegistration.id.in_(ids))
    return session.execute(statement).rowcount


# --------------------------------------------------------------------------- the worker


def register_due(session_factory: Callable[[], Session], uploads: UploadArea, *,
                 batch_size: int = 20, now: datetime | None = None,
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> RegistrationReport:
    """Register one batch of due submissions; one that cannot be registered now is
    retried later. Needs an app context (the zaken store, the mail templates)."""
    now = now or utcnow()
    token = secrets.token_hex(16)
    rows = claim_due(session_factory, token, batch_size, now)
    outcomes = dict.fromkeys((REGISTRATION_DONE, REGISTRATION_PENDING, REGISTRATION_FAILED,
                              None), 0)
    for row in rows:
        outcomes[_process(session_factory, uploads, row, token, now, max_attempts)] += 1
    return RegistrationReport(claimed=len(rows), registered=outcomes[REGISTRATION_DONE],
                              retrying=outcomes[REGISTRATION_PENDING],
                              failed=outcomes[REGISTRATION_FAILED])


def claim_due(session_factory: Callable[[], Session], token: str, batch_size: int,
              now: datetime) -> list[FormRegistration]:
    """Claim up to ``batch_size`` due registrations for ``token``, oldest first. A claim
    counts as an attempt: a worker killed mid-registration leaves attempts > 1 behind, and
    the next attempt knows to look for what the last one may have made unrecorded."""
    return claim_batch(session_factory, FormRegistration, token=token, batch_size=batch_size,
                       now=now, pending=REGISTRATION_PENDING, claimed=REGISTRATION_CLAIMED,
                       lease=CLAIM_LEASE,
                       order_by=(FormRegistration.created_at, FormRegistration.id),
                       attempts=FormRegistration.attempts + 1)


def _process(session_factory, uploads: UploadArea, row: FormRegistration, token: str,
             now: datetime, max_attempts: int) -> str | None:
    label = f"registration {row.reference} ({row.form_slug})"
    try:
        zaaknummer = register(session_factory, uploads, row, token)
    except ClaimLost:
        log.warning("%s: claim expired while registering; left to the other worker", label)
        return None
    except RemoteRefused as refused:
        if refused.status not in RETRIED_REFUSALS:
            reason = describe_error(refused)
            _release(session_factory, row, token, status=REGISTRATION_FAILED, last_error=reason)
            log.error("%s refused by the zaaksysteem: %s; left for an operator "
                      "(flask zaken registrations)", label, reason)
            return REGISTRATION_FAILED
        return _schedule_retry(session_factory, row, token, refused, now, max_attempts, label)
    except Exception as error:  # noqa: BLE001  (an outage, or anything unexpected: retried)
        return _schedule_retry(session_factory, row, token, error, now, max_attempts, label)
    log.info("%s registered as zaak %s (attempt %s)", label, zaaknummer, row.attempts)
    return REGISTRATION_DONE


def register(session_factory: Callable[[], Session], uploads: UploadArea,
             row: FormRegistration, token: str) -> str:
    """The steps, from the first one not recorded; the zaaknummer back."""
    resumed = row.attempts > 1
    with session_factory() as session:
        store = get_zaken_store(session)
        # 1. The zaaknummer.
        if row.zaaknummer is None:
            zaaknummer = store.new_identificatie()
            _record(session, row, token, zaaknummer=zaaknummer)
            row.zaaknummer = zaaknummer
        # 2. The documents, each recorded as soon as it is made.
        urls = list(row.document_urls or [])
        for index, document in enumerate(_documents(store, row, uploads)):
            if index < len(urls):
                continue
            urls.append(store.new_document(row.zaaktype, document,
                                           identificatie=document_identificatie(row, index),
                                           reuse=resumed))
            _record(session, row, token, document_urls=list(urls))
        # 3. The zaak, once.
        opened = store.opened_zaak(row.zaaknummer) if resumed else None
        if opened is None:
            opened = _open_zaak(store, row, tuple(urls))
        # 4. Done: recorded with the confirmation mail.
        _finish(session, row, token, opened)
    uploads.remove_all(row.draft_id)  # the files are zaak documents now
    return opened.identificatie


def document_identificatie(row: FormRegistration, index: int) -> str:
    """A document's identificatie in the Documenten API, unique to this submission (the
    reference alone is not: another portal database numbers from 1 too, and a zaaksysteem
    may hand out a deleted zaak's number again), so a resumed attempt finds its own."""
    return f"{row.reference}-{token_hash(row.draft_id)[:12]}-{index + 1}"


def _open_zaak(store, row: FormRegistration, urls: tuple[str, ...]) -> OpenedZaak:
    gemachtigde = (Gemachtigde(naam=row.gemachtigde_naam, bsn=row.gemachtigde_bsn, loa=row.loa)
                   if row.gemachtigde_bsn else None)
    initiator = Initiator(bsn=row.initiator_bsn, loa=None if gemachtigde else row.loa,
                          **row.initiator)
    try:
        return store.open_zaak(
            zaaktype=row.zaaktype, initiator=initiator, omschrijving=row.omschrijving,
            kenmerken=row.kenmerken, registered_by=REGISTERED_BY,
            startdatum=row.created_at.date(), identificatie=row.zaaknummer,
            gemachtigde=gemachtigde, document_urls=urls,
            betaling=betaling_from_record(row.betaling),
            relevante_andere_zaken=_relevante_zaken(row))
    except RemoteRefused:
        # The zaaknummer is taken: a registration that timed out on our side went through
        # after all. Then it is this one; otherwise the refusal stands.
        opened = store.opened_zaak(row.zaaknummer)
        if opened is None:
            raise
        return opened


def _relevante_zaken(row: FormRegistration) -> tuple:
    definition = get_definition(row.form_slug)
    return relevante_zaken(definition, row.answers or {}) if definition else ()


def _documents(store, row: FormRegistration, uploads: UploadArea) -> list[NewDocument]:
    """The answers as a document (the zaaksysteem keeps no aanvraaggegevens; the back
    office shows it as the answers), then the uploads, always in this order: a
    document's place is its key in document_urls."""
    documents = [store.answers_document(row.answers)]
    documents += [NewDocument(titel=item["titel"], bestandsnaam=item["bestandsnaam"],
                              formaat=item["formaat"],
                              content=uploads.read(row.draft_id, item["file_id"]))
                  for item in row.uploads]
    return documents


def _record(session: Session, row: FormRegistration, token: str, **values) -> None:
    """Record a step done, only while the claim is ours; its own short transaction."""
    result = session.execute(
        update(FormRegistration)
        .where(FormRegistration.id == row.id, FormRegistration.claimed_by == token)
        .values(**values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        session.rollback()
        raise ClaimLost(row.id)
    session.commit()


# Once the zaak is in the zaaksysteem, the portal keeps no copy of it: what the resident
# sent and who they are live there. Left: the reference, the zaaknummer and the steps'
# bookkeeping (the confirmation page and the operator's list need no more).
FORGOTTEN_WHEN_REGISTERED = {"answers": {}, "initiator": {}, "initiator_bsn": None,
                             "gemachtigde_naam": None, "gemachtigde_bsn": None, "loa": None,
                             "kenmerken": {}, "uploads": [], "confirmation_to": None,
                             "betaling": None}


def _finish(session: Session, row: FormRegistration, token: str, opened: OpenedZaak) -> None:
    result = session.execute(
        update(FormRegistration)
        .where(FormRegistration.id == row.id, FormRegistration.claimed_by == token)
        .values(status=REGISTRATION_DONE, registered_at=utcnow(), zaaknummer=opened.identificatie,
                claimed_by=None, claimed_until=None, last_error=None, **FORGOTTEN_WHEN_REGISTERED)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        session.rollback()
        raise ClaimLost(row.id)
    receipt = _last_receipt(session, row.draft_id, opened)
    session.execute(update(FormDraft).where(FormDraft.id == row.draft_id)
                    .values(zaak_identificatie=opened.identificatie, answers={}, receipt=None)
                    .execution_options(synchronize_session=False))
    definition = get_definition(row.form_slug)
    if definition is not None:
        record_form_sent(session, definition, opened, bsn=row.initiator_bsn,
                         namens=row.gemachtigde_bsn is not None)
    if row.confirmation_to and definition is not None:
        send_mail(session, "form_confirmation", to=row.confirmation_to, locale=row.locale,
                  dedupe_key=confirmation_dedupe_key(row.draft_id), definition=definition,
                  attachments=[receipt_attachment(receipt)] if receipt else [],
                  receipt_attached=receipt is not None, zaak=opened,
                  terms=zaaktype_terms(definition.zaaktype, get_zaken_store(session)))
    session.commit()


def _last_receipt(session: Session, draft_id: str, opened: OpenedZaak) -> Receipt | None:
    """The receipt, with the zaaknummer, for the confirmation mail: made here (a worker)
    and now, as the portal forgets what was sent once the zaaksysteem has it."""
    draft = session.get(FormDraft, draft_id)
    receipt = receipt_of(session, draft, current_app.config["MUNICIPALITY_NAME"]) if draft else None
    return replace(receipt, zaaknummer=opened.identificatie) if receipt else None


def _schedule_retry(session_factory, row: FormRegistration, token: str, error: Exception,
                    now: datetime, max_attempts: int, label: str) -> str | None:
    reason = describe_error(error)
    if row.attempts >= max_attempts:
        done = _release(session_factory, row, token, status=REGISTRATION_FAILED,
                        last_error=reason)
        if done:
            log.error("%s failed after %s attempts: %s; left for an operator "
                      "(flask zaken registrations)", label, row.attempts, reason)
        return REGISTRATION_FAILED if done else None
    next_attempt_at = now + backoff(row.attempts, base=RETRY_BASE, cap=RETRY_CAP)
    done = _release(session_factory, row, token, status=REGISTRATION_PENDING,
                    next_attempt_at=next_attempt_at, last_error=reason)
    if done:
        log.warning("%s not registered (attempt %s: %s); retry at %s UTC", label, row.attempts,
                    reason, f"{next_attempt_at:%Y-%m-%d %H:%M:%S}")
    return REGISTRATION_PENDING if done else None


def _release(session_factory, row: FormRegistration, token: str, **values) -> bool:
    """Record the outcome and end the claim, only while the claim is ours."""
    with session_factory() as session, session.begin():
        result = session.execute(
            update(FormRegistration)
            .where(FormRegistration.id == row.id, FormRegistration.claimed_by == token)
            .values(claimed_by=None, claimed_until=None, **values)
            .execution_options(synchronize_session=False))
        return result.rowcount == 1


def describe_error(error: Exception) -> str:
    """The error's type, and the register and status of a failed call; never its text,
    which may quote a BSN or an answer."""
    reason = type(error).__name__
    if isinstance(error, RemoteError):
        reason += f" from {error.api}" + (f" ({error.status})" if error.status else "")
    return reason[:300]
