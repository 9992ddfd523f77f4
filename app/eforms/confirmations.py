"""A sent form that a second person confirms with their own DigiD (a definition's
``confirmation``): the partner of a marriage notice, whom the law asks to give notice too.

The requester names the confirmer by BSN (the 11-proef, and known to the persons source,
checked at the step); the submit records a FormConfirmation and puts a message in the
confirmer's inbox; Mijn omgeving lists the requests waiting for the logged-in resident; the
confirmer reads what the two share and confirms or declines; only a confirmation moves the
zaak on (the definition's status), and either answer is told to the requester. Plain
arguments in; the caller owns the transaction.
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
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.berichten.services import send_message
from app.db import utcnow
from app.eforms.definitions import FormDefinition, get_definition
from app.eforms.models import CONFIRMED, DECLINED, FormConfirmation, FormRegistration
from app.persons.services import get_persons_source
from app.zaken.store import ZakenStore

log = logging.getLogger(__name__)

CONFIRMED_BY = "partner (DigiD)"  # who set the status the confirmation moves the zaak to


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


def confirmer_refusal(bsn: str, own_bsn: str | None):
    """Why this BSN cannot confirm the form (None: it can): not the requester's own, and a
    person the persons source knows (only whether they exist is asked, nothing shown)."""
    if bsn == own_bsn:
        return _l("This is your own BSN. Enter the BSN of your partner")
    if get_persons_source().get_person(bsn) is None:
        return _l("We cannot find anyone with this BSN. Check the number")
    return None


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
    if confirmed:
        store.set_status(zaaknummer, volgnummer=definition.confirmation.status,
                         toelichting="De partner heeft de melding bevestigd met DigiD.",
                         gezet_door=CONFIRMED_BY)
    _tell_requester(session, confirmation, definition, zaaknummer, confirmed)
    log.info("confirmation answered", extra={"form": confirmation.form_slug,
                                             "zaak": zaaknummer, "answer": confirmation.answer})


def _tell_requester(session: Session, confirmation: FormConfirmation,
                    definition: FormDefinition, zaaknummer: str, confirmed: bool) -> None:
    if confirmed:
        texts = _in_both(lambda: (
            gettext("Your partner has confirmed: %(form)s", form=_title(definition)),
            gettext("Your partner has confirmed the form with their own DigiD. We now check "
                    "the details.")))
    else:
        texts = _in_both(lambda: (
            gettext("Your partner has not confirmed: %(form)s", form=_title(definition)),
            gettext("Your partner has said that the form is not right. We will contact you "
                    "about what happens now.")))
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
