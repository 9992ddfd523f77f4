"""A sent form that a second person confirms with their own DigiD (a definition's
``confirmation``): the partner of a marriage notice, whom the law asks to give notice too.

The requester names the confirmer by BSN (the 11-proef, and known to the persons source,
checked at the step); the submit records a FormConfirmation and puts a message in the
confirmer's inbox; Mijn omgeving lists the requests waiting for the logged-in resident; the
confirmer reads what the two share and confirms or declines; only a confirmation moves the
zaak on (the definition's status), and either answer is told to the requester; a decline
refunds what was paid online. Until the confirmer said yes, nobody else moves the zaak on
(holding_confirmation), nor records a result that lets it go ahead (holding_resultaat). Both
reads of one resident's data for the other (the BSN checked,
the requester's name and answers read) go to the disclosure log. Plain arguments in; the
caller owns the transaction.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g
from flask_babel import force_locale, get_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.berichten.services import send_message
from app.db import utcnow
from app.eforms.definitions import FormDefinition, get_definition
from app.eforms.models import CONFIRMED, DECLINED, FormConfirmation, FormRegistration
from app.payments.models import REFUND_DECLINED
from app.payments.services import refund_zaak_payment
from app.persons.services import get_persons_source, log_disclosure
from app.zaken.store import ResultaatTypeRecord, ZakenStore

log = logging.getLogger(__name__)

CONFIRMED_BY = "partner (DigiD)"  # who set the status the confirmation moves the zaak to
# The disclosure log is the resident's record, in the municipality's language.
CHECKED_PURPOSE = "Controleren dat uw BSN bestaat, omdat u als partner bent genoemd in een melding"
READ_PURPOSE = "Uw melding lezen om die als partner te bevestigen"


class AwaitingConfirmation(Exception):
    """The zaak waits for the confirmer's yes: no status may move it on before that."""


class ConfirmationNotReady(Exception):
    """The remote zaaksysteem has not registered the zaak yet: try again in a few minutes."""


@dataclass(frozen=True)
class WaitingConfirmation:
    """A request in Mijn omgeving's list: whose, for which form, since when (the overview
    reads them with the drafts: app.eforms.services.forms_waiting_for)."""

    public_id: str
    form_slug: str
    requester_naam: str
    created_at: datetime


@dataclass(frozen=True)
class ZaakConfirmation:
    """How far the confirmation of a zaak is, as staff see it on the zaak page."""

    answer: str | None              # CONFIRMED, DECLINED, or None while waiting
    created_at: datetime
    answered_at: datetime | None

    @property
    def holds_zaak(self) -> bool:
        return self.answer != CONFIRMED


def confirmer_refusal(session: Session, bsn: str, own_bsn: str | None, *,
                      requester_naam: str):
    """Why this BSN cannot confirm the form (None: it can): not the requester's own, and a
    person the persons source knows (only whether they exist is asked, nothing shown). That
    question is a read of the person's data for the requester: it goes to their log."""
    if bsn == own_bsn:
        return _l("This is your own BSN. Enter the BSN of your partner")
    if get_persons_source().get_person(bsn) is None:
        return _l("We cannot find anyone with this BSN. Check the number")
    log_disclosure(session, bsn=bsn, recipient=requester_naam, purpose=CHECKED_PURPOSE,
                   data_categories=["bsn"], channel="portal")
    return None


def log_read_by_confirmer(session: Session, confirmation: FormConfirmation, *,
                          confirmer_naam: str) -> None:
    """The confirmer reads the requester's name and what they filled in: the requester
    finds that in their disclosure log."""
    log_disclosure(session, bsn=confirmation.requester_bsn, recipient=confirmer_naam,
                   purpose=READ_PURPOSE, data_categories=["naam", "zaakgegevens"],
                   zaak=confirmation.zaak, channel="portal")


def zaak_confirmation(session: Session, zaaknummer: str) -> ZaakConfirmation | None:
    """The confirmation this zaak waits for or got (None: it needs none). Found by the
    zaaknummer recorded at the submit, or the one a remote zaaksysteem's registration got."""
    registered = select(FormRegistration.draft_id).where(
        FormRegistration.zaaknummer == zaaknummer).scalar_subquery()
    found = session.scalar(select(FormConfirmation).where(or_(
        FormConfirmation.zaak == zaaknummer, FormConfirmation.draft_id == registered)))
    if found is None:
        return None
    return ZaakConfirmation(answer=found.answer, created_at=found.created_at,
                            answered_at=found.answered_at)


def holding_confirmation(session: Session, zaaknummer: str) -> None:
    """AwaitingConfirmation while the zaak waits for (or was declined by) its confirmer:
    the law asks both partners to give notice, so staff and chain partners set no status
    before that (the confirmation itself sets the next one)."""
    confirmation = zaak_confirmation(session, zaaknummer)
    if confirmation is not None and confirmation.holds_zaak:
        raise AwaitingConfirmation(f"The zaak {zaaknummer} waits for the confirmation of "
                                   "the person named in the form.")


def holding_resultaat(session: Session, zaaknummer: str,
                      resultaattype: ResultaatTypeRecord | None) -> None:
    """AwaitingConfirmation for a result that lets the application go ahead (the notice
    accepted) while the confirmer has not said yes; a result that ends it (Afgewezen,
    Ingetrokken) may close a zaak that waits or was declined."""
    if resultaattype is not None and resultaattype.goes_ahead:
        holding_confirmation(session, zaaknummer)


def request_confirmation(session: Session, definition: FormDefinition, *, draft_id: str,
                         answers: dict, requester_bsn: str, requester_naam: str,
                         zaak: str) -> None:
    """In the submit's transaction: the request, and the message that tells the confirmer."""
    rule = definition.confirmation
    confirmation = FormConfirmation(
        public_id=_new_public_id(), draft_id=draft_id, form_slug=definition.slug, zaak=zaak,
        requester_bsn=requester_bsn, requester_naam=requester_naam,
        confirmer_bsn=answers[rule.field],
        shown={name: answers[name] for name in rule.shows if name in answers},
        created_at=utcnow())
    session.add(confirmation)
    session.flush()
    (onderwerp, tekst), (onderwerp_en, tekst_en) = _in_both(lambda: (
        gettext("Please confirm: %(form)s", form=_title(definition)),
        gettext("%(name)s has sent the form \"%(form)s\" and named you as their partner. "
                "Please confirm it with your own DigiD. You find the request at the top of "
                "My portal.", name=requester_naam, form=_title(definition))))
    send_message(session, bsn=confirmation.confirmer_bsn, onderwerp=onderwerp, tekst=tekst,
                 onderwerp_en=onderwerp_en, tekst_en=tekst_en, afzender=_municipality(),
                 initiator_email=answers.get(rule.email, "") if rule.email else "",
                 dedupe_key=f"confirm:{confirmation.public_id}")
    log.info("confirmation requested", extra={"form": definition.slug})


def confirmation_for(session: Session, bsn: str, public_id: str) -> FormConfirmation | None:
    """The request with this id if this resident is its confirmer; None for anyone else,
    exactly as for an id that does not exist."""
    return session.scalar(select(FormConfirmation).where(
        FormConfirmation.public_id == public_id, FormConfirmation.confirmer_bsn == bsn))


def answer(session: Session, store: ZakenStore, confirmation: FormConfirmation, *,
           confirmed: bool) -> None:
    """Record the confirmer's answer, once (a second click, or a second tab, changes
    nothing); a confirmation moves the zaak on. The requester is told either way.
    ConfirmationNotReady while a remote zaaksysteem has not registered the zaak."""
    confirmation = session.get(FormConfirmation, confirmation.id, with_for_update=True,
                               populate_existing=True)
    if confirmation.answered_at is not None:
        return
    zaaknummer = _zaaknummer(session, confirmation)
    definition = get_definition(confirmation.form_slug)
    confirmation.answer, confirmation.answered_at = (CONFIRMED if confirmed else DECLINED,
                                                     utcnow())
    refunded = False
    if confirmed:
        store.set_status(zaaknummer, volgnummer=definition.confirmation.status,
                         toelichting="De partner heeft de melding bevestigd met DigiD.",
                         gezet_door=CONFIRMED_BY)
    else:  # the notice cannot go on: a ceremony paid online is paid back, as on a rejection
        refunded = refund_zaak_payment(session, store.staff_zaak(zaaknummer).kenmerken,
                                       REFUND_DECLINED)
    _tell_requester(session, confirmation, definition, zaaknummer, confirmed, refunded)
    log.info("confirmation answered", extra={"form": confirmation.form_slug,
                                             "zaak": zaaknummer, "answer": confirmation.answer})


def _tell_requester(session: Session, confirmation: FormConfirmation,
                    definition: FormDefinition, zaaknummer: str, confirmed: bool,
                    refunded: bool) -> None:
    if confirmed:
        texts = _in_both(lambda: (
            gettext("Your partner has confirmed: %(form)s", form=_title(definition)),
            gettext("Your partner has confirmed the form with their own DigiD. We now check "
                    "the details.")))
    else:
        texts = _in_both(lambda: (
            gettext("Your partner has not confirmed: %(form)s", form=_title(definition)),
            gettext("Your partner has said that the form is not right. We will contact you "
                    "about what happens now.")
            + (" " + gettext("We will pay back the amount you paid.") if refunded else "")))
    (onderwerp, tekst), (onderwerp_en, tekst_en) = texts
    send_message(session, bsn=confirmation.requester_bsn, onderwerp=onderwerp, tekst=tekst,
                 onderwerp_en=onderwerp_en, tekst_en=tekst_en, afzender=_municipality(),
                 zaak_identificatie=zaaknummer,
                 dedupe_key=f"confirmed:{confirmation.public_id}")


def _zaaknummer(session: Session, confirmation: FormConfirmation) -> str:
    """The zaak's number: recorded at the submit, or with a remote zaaksysteem the one its
    registration got from the worker."""
    registration = session.scalar(select(FormRegistration).where(
        FormRegistration.draft_id == confirmation.draft_id))
    if registration is None:
        return confirmation.zaak
    if registration.registered_at is None:
        raise ConfirmationNotReady(confirmation.form_slug)
    return registration.zaaknummer


def _in_both(texts: Callable[[], tuple[str, str]]) -> tuple[tuple[str, str], tuple[str, str]]:
    """A message's (onderwerp, tekst) in Dutch and in English (the inbox shows the one the
    resident reads the portal in)."""
    g.setdefault("confirmation_texts", True)  # Flask-Babel forces a locale only on a non-empty g
    with force_locale("nl"):
        dutch = texts()
    with force_locale("en"):
        english = texts()
    return dutch, english


def _title(definition: FormDefinition) -> str:
    return definition.title.get(str(get_locale()))


def _municipality() -> str:
    return current_app.config["MUNICIPALITY_NAME"]


def _new_public_id() -> str:
    return secrets.token_urlsafe(32)
