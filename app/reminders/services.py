"""Who gets a reminder, and sending each once.

A reminder is a Berichten message whose dedupe_key names what ends (a travel document, a
zaak's decision): the job can run as often as it likes, on several nodes at once, and a
resident hears of each thing once. Travel documents come from the persons source, for the
residents who gave us contact details (the BRP cannot be searched by a document's end);
decisions with an end date from the zaken store. Services take the caller's Session, flush
and never commit.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.berichten.services import already_sent, send_message
from app.catalog.content import Product, get_catalog
from app.persons.services import (
    IDENTITEITSKAART,
    PASPOORT,
    Reisdocument,
    get_persons_source,
    notice_until,
    reminders_off,
    residents_with_contact_details,
)
from app.texts import Text
from app.ui.dates import long_date
from app.urls import external_url
from app.zaken.store import EndingDecision, get_zaken_store

log = logging.getLogger(__name__)

# The catalogue's product for each kind of travel document: where to renew it.
DOCUMENT_PRODUCTS = {PASPOORT: "paspoort", IDENTITEITSKAART: "identiteitskaart"}


@dataclass(frozen=True)
class Reminder:
    """One message to send: to whom, once per dedupe_key."""

    bsn: str = field(repr=False)
    dedupe_key: str
    onderwerp: Text
    tekst: Text
    zaak_identificatie: str | None = None


def due_reminders(session: Session, *, today: date) -> list[Reminder]:
    """What ends soon and was not told yet, for residents who did not switch reminders off."""
    due = [*_travel_document_reminders(session, today), *_decision_reminders(session, today)]
    off = reminders_off(session, {reminder.bsn for reminder in due})
    sent = already_sent(session, {reminder.dedupe_key for reminder in due})
    return [reminder for reminder in due
            if reminder.bsn not in off and reminder.dedupe_key not in sent]


def send_reminders(session: Session, *, today: date) -> int:
    """Send the due reminders; how many. Each in a savepoint: when another node sends the
    same one at the same moment, this insert fails on the dedupe_key and only it is skipped.
    The zaken store then forgets the ends of the decisions told (and of those passed)."""
    sent, told = 0, set()
    for reminder in due_reminders(session, today=today):
        try:
            with session.begin_nested():
                send_message(session, bsn=reminder.bsn, onderwerp=reminder.onderwerp.nl,
                             tekst=reminder.tekst.nl, onderwerp_en=reminder.onderwerp.en,
                             tekst_en=reminder.tekst.en,
                             afzender=current_app.config["MUNICIPALITY_NAME"],
                             zaak_identificatie=reminder.zaak_identificatie,
                             dedupe_key=reminder.dedupe_key)
            sent += 1
        except IntegrityError:
            log.info("reminder %s was sent by another node", reminder.dedupe_key)
        if reminder.zaak_identificatie:  # a decision's (app.reminders: its dedupe_key)
            told.add(reminder.zaak_identificatie)
    get_zaken_store(session).decisions_told(told, today=today)
    return sent


# --------------------------------------------------------------------------- travel documents


def _travel_document_reminders(session: Session, today: date) -> list[Reminder]:
    source, until = get_persons_source(), notice_until(today)
    reminders = []
    for bsn in residents_with_contact_details(session):
        person = source.get_person(bsn)
        for document in _current_documents(person.reisdocumenten if person else None):
            if today <= document.datum_einde_geldigheid <= until:
                reminders.append(_document_reminder(bsn, document))
    return reminders


def _current_documents(documents: tuple[Reisdocument, ...] | None) -> list[Reisdocument]:
    """The newest document of each kind the portal can renew (an older one was replaced)."""
    newest: dict[str, Reisdocument] = {}
    for document in documents or ():  # the one that ends last first
        if document.soort in DOCUMENT_PRODUCTS:
            newest.setdefault(document.soort, document)
    return list(newest.values())


def _document_reminder(bsn: str, document: Reisdocument) -> Reminder:
    product = _product(DOCUMENT_PRODUCTS[document.soort])
    ends = document.datum_einde_geldigheid

    def texts(locale: str) -> tuple[str, str]:
        title = product.title.get(locale)
        name = title[:1].lower() + title[1:]  # "Uw paspoort", "your passport"
        return (gettext("Your %(document)s expires soon", document=name),
                gettext("Your %(document)s is valid until %(date)s. Apply for a new one in "
                        "time: making it takes about a week.",
                        document=name, date=long_date(ends, locale)))

    # A hash: the key tells the documents apart without holding a document's number.
    which = hashlib.sha256(f"{bsn}:{document.documentnummer}".encode()).hexdigest()[:40]
    return Reminder(bsn=bsn, dedupe_key=f"reminder:reisdocument:{which}",
                    **_message(texts, product))


# --------------------------------------------------------------------------- decisions


def _decision_reminders(session: Session, today: date) -> list[Reminder]:
    decisions = get_zaken_store(session).decisions_ending(since=today, until=notice_until(today))
    return [_decision_reminder(decision) for decision in decisions]


def _decision_reminder(decision: EndingDecision) -> Reminder:
    def texts(locale: str) -> tuple[str, str]:
        return (gettext("%(zaaktype)s: renew in time", zaaktype=decision.zaaktype.get(locale)),
                gettext("What we decided on your case %(zaaknummer)s ends on %(date)s. Do you "
                        "still need it? Apply again in time.",
                        zaaknummer=decision.zaak_identificatie,
                        date=long_date(decision.vervaldatum, locale)))

    return Reminder(bsn=decision.initiator_bsn,
                    dedupe_key=f"reminder:besluit:{decision.zaak_identificatie}",
                    zaak_identificatie=decision.zaak_identificatie,
                    **_message(texts, _product(decision.product)))


# --------------------------------------------------------------------------- texts and links


def _message(texts: Callable[[str], tuple[str, str]], product: Product) -> dict:
    """onderwerp and tekst in Dutch and English: what ends and when (texts), where to renew
    the product, and how to stop these reminders."""
    parts = {}
    for locale in ("nl", "en"):
        with force_locale(locale):
            onderwerp, tekst = texts(locale)
            parts[locale] = (onderwerp, "\n\n".join((
                tekst, where_to_renew(product),
                gettext("Do you not want these reminders? You can switch them off in "
                        "My details."))))
    return {"onderwerp": Text(parts["nl"][0], parts["en"][0]),
            "tekst": Text(parts["nl"][1], parts["en"][1])}


def where_to_renew(product: Product) -> str:
    """A line with the link to renew the product: its form online, else a booking for it,
    else its page (which says how)."""
    channels = product.channels
    if channels.online_available and channels.online:
        link = current_app.config["PORTAL_BASE_URL"].rstrip("/") + channels.online
        return gettext("Apply online: %(link)s", link=link)
    if channels.appointment and current_app.config["APPOINTMENTS_ENABLED"]:
        return gettext("Make an appointment: %(link)s",
                       link=external_url("appointments.start", product=product.slug))
    return gettext("How to apply: %(link)s",
                   link=external_url("catalog.product", slug=product.slug))


def _product(slug: str) -> Product:
    product = get_catalog().product(slug)
    if product is None:
        raise LookupError(f"no product {slug!r} in the catalogue")
    return product
