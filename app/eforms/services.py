"""Drafts, uploads and submitting: the rules of the form engine.

Plain arguments in, domain objects out; the caller owns the transaction.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, delete, literal_column, null, select, union_all, update
from sqlalchemy.orm import Session

from app.catalog.facts import zaaktype_terms
from app.contacts.services import INWONER, Kanaal, Soort, record_contact, soort_of_zaaktype
from app.db import serialise, utcnow
from app.eforms.confirmations import WaitingConfirmation, request_confirmation
from app.eforms.definitions import FormDefinition, get_definitions
from app.eforms.engine import (
    address_line,
    decided_zaken_for,
    summary_rows,
    visible_answers,
    zaak_answer,
)
from app.eforms.models import (
    REGISTRATION_CLAIMED,
    REGISTRATION_DONE,
    REGISTRATION_PENDING,
    FormConfirmation,
    FormDraft,
    FormRegistration,
)
from app.eforms.receipt import later_receipt, receipt_rows
from app.eforms.validators import OnePerAddress
from app.notifications.services import send_mail
from app.zaken.store import (
    Betaling,
    DecidedZaak,
    Gemachtigde,
    Initiator,
    NewDocument,
    OpenedZaak,
    RelevanteZaak,
    ZakenStore,
    get_zaken_store,
)

log = logging.getLogger(__name__)

REGISTERED_BY = "e-formulier"


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --------------------------------------------------------------------------- drafts


def record_form_sent(session: Session, definition: FormDefinition, zaak: OpenedZaak, *,
                     bsn: str | None, namens: bool) -> None:
    """The zaak a form opened, in the contact ledger: sent online by the resident, or on
    their behalf by a gemachtigde."""
    record_contact(session, kanaal=Kanaal.NAMENS if namens else Kanaal.ONLINE,
                   soort=soort_of_zaaktype(definition.zaaktype), geregistreerd_door=INWONER,
                   product=definition.product or "", onderwerp=definition.omschrijving.nl,
                   bsn=bsn, zaak=zaak)


def create_draft(session: Session, definition: FormDefinition, *, owner_bsn: str | None,
                 lifetime: timedelta, now: datetime | None = None) -> FormDraft:
    now = now or utcnow()
    draft = FormDraft(id=new_token(), form_slug=definition.slug, owner_bsn=owner_bsn, answers={},
                      completed_steps=[], current_step=definition.steps[0].id, created_at=now,
                      updated_at=now, expires_at=now + lifetime)
    session.add(draft)
    # A form started online: what the share of forms sent is measured against.
    record_contact(session, kanaal=Kanaal.ONLINE, soort=Soort.FORMULIER,
                   geregistreerd_door=INWONER, product=definition.product or "", now=now)
    return draft


def find_draft(session: Session, draft_id: str, *, form_slug: str, owner_bsn: str | None,
               session_draft_ids: list[str], now: datetime | None = None) -> FormDraft | None:
    """The draft when this resident may see it: theirs by BSN, or an anonymous draft started
    in this browser session. Anything else is None, exactly like a missing draft."""
    draft = session.get(FormDraft, draft_id) if draft_id else None
    if draft is None or draft.form_slug != form_slug:
        return None
    if draft.submitted_at is None and draft.expires_at <= (now or utcnow()):
        return None
    if draft.owner_bsn is not None:
        return draft if draft.owner_bsn == owner_bsn else None
    return draft if draft.id in session_draft_ids else None


def save_step(session: Session, draft: FormDraft, *, answers: dict, step_id: str, completed: bool,
              lifetime: timedelta, now: datetime | None = None) -> None:
    now = now or utcnow()
    draft.answers = answers
    if completed and step_id not in draft.completed_steps:
        draft.completed_steps = [*draft.completed_steps, step_id]
    draft.current_step = step_id
    draft.updated_at = now
    draft.expires_at = now + lifetime
    session.flush()


@dataclass(frozen=True)
class OpenDraft:
    id: str
    form_slug: str
    current_step: str | None
    updated_at: datetime


@dataclass(frozen=True)
class FormsWaiting:
    """What Mijn omgeving's overview shows of the forms: the resident's open drafts, newest
    first, and the forms others sent that wait for the resident's confirmation, oldest
    first."""

    drafts: list[OpenDraft]
    confirmations: list[WaitingConfirmation]


def forms_waiting_for(session: Session, bsn: str, now: datetime | None = None) -> FormsWaiting:
    """Both in one query (the overview's number of queries stays as it was)."""
    # Constants written into the SQL, not bound: PostgreSQL cannot type a bound parameter
    # that only a UNION's other branch would explain.
    drafts = (select(literal_column("'draft'").label("kind"), FormDraft.id,
                     FormDraft.form_slug, FormDraft.current_step,
                     FormDraft.updated_at.label("moment"), literal_column("''").label("naam"))
              .where(FormDraft.owner_bsn == bsn, FormDraft.submitted_at.is_(None),
                     FormDraft.expires_at > (now or utcnow())))
    confirmations = (select(literal_column("'confirm'"), FormConfirmation.public_id,
                            FormConfirmation.form_slug, null(),
                            FormConfirmation.created_at, FormConfirmation.requester_naam)
                     .where(FormConfirmation.confirmer_bsn == bsn,
                            FormConfirmation.answered_at.is_(None)))
    rows = session.execute(union_all(drafts, confirmations)).all()
    return FormsWaiting(
        drafts=sorted((OpenDraft(row.id, row.form_slug, row.current_step, row.moment)
                       for row in rows if row.kind == "draft"),
                      key=lambda draft: draft.updated_at, reverse=True),
        confirmations=sorted((WaitingConfirmation(row.id, row.form_slug, row.naam, row.moment)
                              for row in rows if row.kind == "confirm"),
                             key=lambda waiting: waiting.created_at))


def create_resume_token(session: Session, draft: FormDraft, *, lifetime: timedelta,
                        now: datetime | None = None) -> str:
    """A new resume-link token for an anonymous draft; only its hash is stored.
    The draft lives at least as long as the link."""
    now = now or utcnow()
    token = new_token()
    draft.resume_token_hash = token_hash(token)
    draft.resume_expires_at = now + lifetime
    draft.expires_at = max(draft.expires_at, now + lifetime)
    session.flush()
    return token


def find_draft_by_resume_token(session: Session, token: str, now: datetime | None = None
                               ) -> FormDraft | None:
    draft = session.scalar(select(FormDraft).where(FormDraft.resume_token_hash == token_hash(token)))
    now = now or utcnow()
    if (draft is None or draft.submitted_at is not None or draft.resume_expires_at is None
            or draft.resume_expires_at <= now or draft.expires_at <= now):
        return None
    return draft


# --------------------------------------------------------------------------- uploads

class UploadArea:
    """Files of drafts, outside the web root, under generated names, until submit."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _folder(self, draft_id: str) -> Path:
        # The draft id is a secret token; the folder is named by its hash.
        return self.root / token_hash(draft_id)[:32]

    def save(self, draft_id: str, content: bytes) -> str:
        file_id = secrets.token_hex(16)
        folder = self._folder(draft_id)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / file_id).write_bytes(content)
        return file_id

    def read(self, draft_id: str, file_id: str) -> bytes:
        return (self._folder(draft_id) / _safe_file_id(file_id)).read_bytes()

    def remove(self, draft_id: str, file_id: str) -> None:
        (self._folder(draft_id) / _safe_file_id(file_id)).unlink(missing_ok=True)

    def remove_all(self, draft_id: str) -> None:
        shutil.rmtree(self._folder(draft_id), ignore_errors=True)


def _safe_file_id(file_id: str) -> str:
    if not (len(file_id) == 32 and all(ch in "0123456789abcdef" for ch in file_id)):
        raise ValueError("not a file id")
    return file_id


# --------------------------------------------------------------------------- submitting

@dataclass(frozen=True)
class Applicant:
    """Who submits: from the persons store when logged in (prefill), else from the answers."""

    naam: str = ""
    bsn: str | None = None
    adres: str = ""
    email: str = ""
    telefoon: str = ""
    gemachtigde: Gemachtigde | None = None  # DigiD Machtigen: who fills in the form for them
    loa: int | None = None  # the DigiD login's level (of the gemachtigde's login when acting)


# The claim (see submit_draft), built once: a fresh statement's cache key costs more
# Python time than the UPDATE takes in the database.
_CLAIM = (update(FormDraft)
          .where(FormDraft.id == bindparam("draft_id"), FormDraft.zaak_identificatie.is_(None))
          .values(zaak_identificatie=bindparam("identificatie"), submitted_at=bindparam("now"))
          .returning(FormDraft.answers)
          .execution_options(synchronize_session=False))


# The claim when a remote zaaksysteem registers the zaak later: the draft is submitted, and
# its FormRegistration (unique by draft) holds the reference; the worker notes the
# zaaknummer on the draft when it is known.
_CLAIM_FOR_REGISTRATION = (
    update(FormDraft)
    .where(FormDraft.id == bindparam("draft_id"), FormDraft.submitted_at.is_(None),
           FormDraft.zaak_identificatie.is_(None))
    .values(submitted_at=bindparam("now"))
    .returning(FormDraft.answers)
    .execution_options(synchronize_session=False))


def confirmation_dedupe_key(draft_id: str) -> str:
    """One confirmation mail per draft, whichever way its zaak was opened."""
    return f"eform-confirmation:{token_hash(draft_id)[:40]}"


def submit_draft(session: Session, draft_id: str, definition: FormDefinition, *, applicant: Applicant,
                 uploads: UploadArea, locale: str, now: datetime | None = None,
                 betaling: Betaling | None = None) -> str:
    """Open the zaak for this draft, once, and mail the confirmation in ``locale`` (the
    language the form was filled in). Returns the zaaknummer; with a store that
    ``registers_later`` (a remote zaaksysteem), the portal reference of the submission
    the worker will register (see submit_for_registration).

    The draft row is claimed with a conditional UPDATE first: of any number of
    submits of the same draft (double click, refresh, two tabs) exactly one
    finds ``zaak_identificatie IS NULL`` and opens the zaak, in the same
    transaction; the others wait for that row lock (PostgreSQL) or the write
    lock (SQLite) and then find the zaaknummer. A rollback undoes the claim.
    ``betaling``: the online payment a form with a fee was paid with (app.eforms.paying).
    """
    now = now or utcnow()
    # The zaaknummer first and the claim with it: no second update of the draft
    # afterwards. A submit that loses the claim leaves a gap in the numbers, which is fine.
    store = get_zaken_store(session)
    if store.registers_later:
        return submit_for_registration(session, draft_id, definition, applicant=applicant,
                                       uploads=uploads, locale=locale, now=now,
                                       betaling=betaling)
    identificatie = store.new_identificatie()
    stored_answers = session.execute(_CLAIM, {"draft_id": draft_id, "identificatie": identificatie,
                                              "now": now}).scalar_one_or_none()
    if stored_answers is None:
        return session.scalar(select(FormDraft.zaak_identificatie).where(FormDraft.id == draft_id))
    _check_address_under_lock(session, definition, applicant)
    answers = visible_answers(definition, stored_answers)
    _write_receipt(session, draft_id, definition, answers, locale)
    initiator = _initiator(definition, answers, applicant)
    zaak = store.open_zaak(
        zaaktype=definition.zaaktype, initiator=initiator,
        omschrijving=definition.omschrijving.nl, aanvraaggegevens=_without_files(definition, answers),
        kenmerken=_kenmerken(definition, answers, applicant), registered_by=REGISTERED_BY,
        identificatie=identificatie, gemachtigde=applicant.gemachtigde,
        documents=_uploaded_documents(definition, answers, draft_id, uploads), betaling=betaling,
        relevante_andere_zaken=relevante_zaken(definition, answers))
    record_form_sent(session, definition, zaak, bsn=initiator.bsn,
                     namens=applicant.gemachtigde is not None)
    _ask_confirmation(session, definition, draft_id, answers, applicant, zaak.identificatie)
    recipient = confirmation_address(definition, answers, applicant)
    if recipient:
        send_mail(session, "form_confirmation", to=recipient, locale=locale,
                  dedupe_key=confirmation_dedupe_key(draft_id),
                  attachments=[later_receipt(draft_id, zaak.identificatie, locale)],
                  receipt_attached=True, definition=definition, zaak=zaak,
                  terms=zaaktype_terms(definition.zaaktype, store))
    log.info("e-form submitted", extra={"form": definition.slug, "zaak": zaak.identificatie})
    return zaak.identificatie


def submit_for_registration(session: Session, draft_id: str, definition: FormDefinition, *,
                            applicant: Applicant, uploads: UploadArea, locale: str,
                            now: datetime | None = None, betaling: Betaling | None = None) -> str:
    """Record the submission for the worker (app.eforms.registrations), in the caller's
    transaction, nothing remote: the draft is claimed as submit_draft claims it (one
    registration of any number of submits) and a FormRegistration holds what the zaak
    needs; the uploads stay in ``uploads`` until it is registered. Returns the reference.
    The confirmation mail goes when the zaak is registered, with its zaaknummer."""
    now = now or utcnow()
    stored_answers = session.execute(_CLAIM_FOR_REGISTRATION,
                                     {"draft_id": draft_id, "now": now}).scalar_one_or_none()
    if stored_answers is None:
        registration = session.scalar(
            select(FormRegistration).where(FormRegistration.draft_id == draft_id))
        return registration.reference if registration is not None else None
    _check_address_under_lock(session, definition, applicant)
    answers = visible_answers(definition, stored_answers)
    _write_receipt(session, draft_id, definition, answers, locale)
    initiator = _initiator(definition, answers, applicant)
    registration = FormRegistration(
        draft_id=draft_id, form_slug=definition.slug, zaaktype=definition.zaaktype,
        created_at=now, initiator={"naam": initiator.naam, "email": initiator.email,
                                   "telefoon": initiator.telefoon, "adres": initiator.adres},
        initiator_bsn=initiator.bsn,
        gemachtigde_naam=applicant.gemachtigde.naam if applicant.gemachtigde else None,
        gemachtigde_bsn=applicant.gemachtigde.bsn if applicant.gemachtigde else None,
        loa=applicant.loa,
        omschrijving=definition.omschrijving.nl,
        kenmerken=_kenmerken(definition, answers, applicant),
        answers=_without_files(definition, answers),
        uploads=[{"file_id": item["id"], "titel": field.label.nl,
                  "bestandsnaam": item["filename"], "formaat": item["formaat"]}
                 for field in definition.all_fields() if field.type == "file"
                 for item in answers.get(field.name, [])],
        locale=locale, betaling=_betaling_record(betaling),
        confirmation_to=confirmation_address(definition, answers, applicant) or None,
        document_urls=[], status=REGISTRATION_PENDING, attempts=0, next_attempt_at=now)
    session.add(registration)
    session.flush()
    _ask_confirmation(session, definition, draft_id, answers, applicant, registration.reference)
    log.info("e-form submitted for registration",
             extra={"form": definition.slug, "reference": registration.reference})
    return registration.reference


def _ask_confirmation(session: Session, definition: FormDefinition, draft_id: str,
                      answers: dict, applicant: Applicant, zaak: str) -> None:
    """A form a second person must confirm (the partner of a marriage notice) asks them."""
    if definition.confirmation is not None:
        request_confirmation(session, definition, draft_id=draft_id, answers=answers,
                             requester_bsn=applicant.bsn, requester_naam=applicant.naam,
                             zaak=zaak)


def _betaling_record(betaling: Betaling | None) -> dict | None:
    if betaling is None:
        return None
    return {"indicatie": betaling.indicatie, "betaaldatum": betaling.betaaldatum.isoformat(),
            "transactie": betaling.transactie}


def betaling_from_record(record: dict | None) -> Betaling | None:
    """The Betaling a FormRegistration keeps (see _betaling_record)."""
    if not record:
        return None
    return Betaling(indicatie=record["indicatie"],
                    betaaldatum=datetime.fromisoformat(record["betaaldatum"]),
                    transactie=record["transactie"])


def _write_receipt(session: Session, draft_id: str, definition: FormDefinition, answers: dict,
                   locale: str) -> None:
    """What the receipt says, as the resident saw it now; its PDF is made when asked for."""
    session.execute(update(FormDraft).where(FormDraft.id == draft_id)
                    .values(receipt=receipt_rows(definition, answers, locale))
                    .execution_options(synchronize_session=False))


# --------------------------------------------------------------------------- zaken a form is about

# The decided zaken a `zaak` field offers: the newest this many (an objection is about a
# recent decision; an older one is a phone call).
DECIDED_ZAKEN_OFFERED = 50


def decided_zaken(store: ZakenStore, bsn: str) -> list[DecidedZaak]:
    """The resident's own closed zaken, newest first: those a `zaak` field may offer. Only
    the BSN's own: another resident's zaak cannot be chosen, whatever is posted."""
    found = store.resident_zaken(bsn, closed=True, limit=DECIDED_ZAKEN_OFFERED)
    return [DecidedZaak(identificatie=z.identificatie, zaaktype=z.zaaktype,
                        zaaktype_identificatie=z.zaaktype_identificatie, einddatum=z.einddatum)
            for z in found.zaken if z.einddatum is not None]


def forms_about(zaaktype: str) -> list[FormDefinition]:
    """The forms whose `zaak` field offers a decided zaak of this zaaktype (bezwaar, klacht):
    the links on that zaak's page."""
    return [d for d in get_definitions().values()
            if any(f.type == "zaak" and zaaktype not in f.exclude_zaaktypen
                   for f in d.all_fields())]


def relevante_zaken(definition: FormDefinition, answers: dict) -> tuple[RelevanteZaak, ...]:
    """The zaken the answers of `zaak` fields name: the new zaak's relevante andere zaken."""
    return tuple(RelevanteZaak(identificatie=answers[f.name]["identificatie"])
                 for f in definition.all_fields()
                 if f.type == "zaak" and isinstance(answers.get(f.name), dict))


def choose_zaak(session: Session, draft: FormDraft, definition: FormDefinition,
                zaak: DecidedZaak, *, lifetime: timedelta) -> None:
    """Answer the form's first `zaak` field with this zaak (the resident came from its page),
    without marking the step done: the resident still sees and confirms it."""
    field = next((f for f in definition.all_fields() if f.type == "zaak"), None)
    if field is None or not decided_zaken_for(field, [zaak]):
        return
    save_step(session, draft, answers={**draft.answers, field.name: zaak_answer(zaak)},
              step_id=draft.current_step, completed=False, lifetime=lifetime)


# --------------------------------------------------------------------------- one per address

def check_address_free(session: Session, definition: FormDefinition, adres: str) -> None:
    """The form's one-per-address rule (OnePerAddress), when it has one: raises its
    ValidationError when the address has a permit or an application, counting the
    submissions a remote zaaksysteem has not registered yet (zaken in a moment)."""
    if not (definition.one_per_address and adres):
        return
    rule = OnePerAddress(definition.zaaktype)
    if _registration_waiting_at(session, definition.zaaktype, adres):
        raise rule.refusal()
    rule.check(get_zaken_store(session), adres)


def _check_address_under_lock(session: Session, definition: FormDefinition,
                              applicant: Applicant) -> None:
    """check_address_free in the submit's transaction, after the draft's claim and before
    the zaak: submits for one address and zaaktype take turns (app.db.serialise), so the
    second one counts the first one's zaak or registration. A refusal rolls back the claim."""
    if definition.one_per_address and applicant.adres:
        serialise(session, "one-per-address", f"{definition.zaaktype}\x1f{applicant.adres}")
        check_address_free(session, definition, applicant.adres)


def _registration_waiting_at(session: Session, zaaktype: str, adres: str) -> bool:
    """A submission of this zaaktype for this address that the worker has yet to register
    (or is registering); a refused one (failed) is no application."""
    return session.scalar(select(FormRegistration.id).where(
        FormRegistration.zaaktype == zaaktype,
        FormRegistration.status.in_((REGISTRATION_PENDING, REGISTRATION_CLAIMED)),
        FormRegistration.kenmerken["adres"].as_string() == adres).limit(1)) is not None


def _initiator(definition: FormDefinition, answers: dict, applicant: Applicant) -> Initiator:
    def answer(role: str) -> str:
        name = definition.initiator.get(role)
        value = answers.get(name) if name else None
        return address_line(value) if isinstance(value, dict) else str(value or "")

    return Initiator(naam=applicant.naam or answer("naam") or "Anoniem", bsn=applicant.bsn,
                     email=answer("email") or applicant.email,
                     telefoon=answer("telefoon") or applicant.telefoon,
                     adres=applicant.adres or answer("adres"),
                     loa=None if applicant.gemachtigde else applicant.loa)


def confirmation_address(definition: FormDefinition, answers: dict, applicant: Applicant) -> str:
    names = [definition.confirmation_email, definition.initiator.get("email")]
    names += [f.name for f in definition.all_fields() if f.type == "email"]
    for name in names:
        if name and answers.get(name):
            return str(answers[name])
    return applicant.email


def _kenmerken(definition: FormDefinition, answers: dict, applicant: Applicant) -> dict:
    kenmerken = {name: answers[name] for name in definition.kenmerken if name in answers}
    if applicant.adres and "adres" in definition.prefill:
        kenmerken["adres"] = applicant.adres
    return kenmerken


def _without_files(definition: FormDefinition, answers: dict) -> dict:
    """Files become documents; aanvraaggegevens keeps only their names."""
    result = dict(answers)
    for field in definition.all_fields():
        if field.type == "file" and field.name in result:
            result[field.name] = [item["filename"] for item in result[field.name]]
    return result


def _uploaded_documents(definition: FormDefinition, answers: dict, draft_id: str,
                        uploads: UploadArea) -> tuple[NewDocument, ...]:
    return tuple(NewDocument(titel=field.label.nl, bestandsnaam=item["filename"],
                             formaat=item["formaat"], content=uploads.read(draft_id, item["id"]))
                 for field in definition.all_fields() if field.type == "file"
                 for item in answers.get(field.name, []))


def submitted_zaak(session: Session, draft: FormDraft) -> OpenedZaak | None:
    if draft.zaak_identificatie is None:
        return None
    return get_zaken_store(session).opened_zaak(draft.zaak_identificatie)


def discard_draft(session: Session, draft: FormDraft, uploads: UploadArea) -> None:
    uploads.remove_all(draft.id)
    session.delete(draft)
    session.flush()


# --------------------------------------------------------------------------- cleaning up

@dataclass(frozen=True)
class CleanupResult:
    expired_deleted: int
    submitted_deleted: int


def cleanup_drafts(session: Session, uploads: UploadArea, *, submitted_retention: timedelta,
                   now: datetime | None = None) -> CleanupResult:
    """Delete expired unsubmitted drafts, and the raw answers of drafts submitted longer ago
    than the retention (the zaak keeps what was registered). Uploaded files go with them."""
    now = now or utcnow()
    expired = list(session.scalars(select(FormDraft.id).where(
        FormDraft.submitted_at.is_(None), FormDraft.expires_at <= now)))
    # A submission a remote zaaksysteem has not registered yet keeps its draft and uploads.
    unregistered = select(FormRegistration.draft_id).where(
        FormRegistration.status != REGISTRATION_DONE)
    submitted = list(session.scalars(select(FormDraft.id).where(
        FormDraft.submitted_at.is_not(None), FormDraft.submitted_at <= now - submitted_retention,
        FormDraft.id.not_in(unregistered))))
    for draft_id in (*expired, *submitted):
        uploads.remove_all(draft_id)
    if expired or submitted:
        session.execute(delete(FormDraft).where(FormDraft.id.in_([*expired, *submitted])))
    # A registered submission's answers and BSN go the same way (the zaak keeps them).
    session.execute(delete(FormRegistration).where(
        FormRegistration.status == REGISTRATION_DONE,
        FormRegistration.registered_at <= now - submitted_retention)
        .execution_options(synchronize_session=False))
    session.flush()
    return CleanupResult(expired_deleted=len(expired), submitted_deleted=len(submitted))


# --------------------------------------------------------------------------- submitted answers


def answer_rows(aanvraaggegevens: dict | None, zaaktype: str, locale: str) -> list[dict]:
    """A zaak's submitted answers (its aanvraaggegevens) with the labels of the e-form of its
    zaaktype, as {"key", "value"} rows: the resident's zaak page and the back office's show
    them alike. Without such a form, the answers' own names."""
    answers = dict(aanvraaggegevens or {})
    definition = next((d for d in get_definitions().values() if d.zaaktype == zaaktype), None)
    if definition is None:
        return [{"key": key.replace("_", " ").capitalize(), "value": str(value)}
                for key, value in answers.items()]
    for field in definition.all_fields():
        # The zaak keeps only the names of uploaded files; the files are its documents.
        if field.type == "file" and isinstance(answers.get(field.name), list):
            answers[field.name] = [{"filename": str(name)} for name in answers[field.name]]
    return [{"key": row.key, "value": row.value}
            for row in summary_rows(definition, answers, locale)]
