"""Mijn omgeving's rules, the work its forms do and the items of personal data it shows,
whatever store answers for the zaken.

Services take the caller's Session and plain values (no request, no session cookie) and
never commit: the views own the transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.berichten.conversations import Topic
from app.notifications.services import send_mail
from app.persons.services import Persoon, get_contact_details
from app.ui.dates import long_date
from app.uploads import AcceptedFile
from app.urls import external_url
from app.zaken.store import (
    OVERDUE_LEGAL,
    Gemachtigde,
    Initiator,
    NewDocument,
    ResidentZaak,
    ZaakDates,
    get_zaken_store,
)

log = logging.getLogger(__name__)

UPLOADED_BY = "inwoner via Mijn omgeving"
CORRECTION_ZAAKTYPE = "CORRECTIEVERZOEK"
REGISTERED_BY = "mijn-omgeving"


@dataclass(frozen=True)
class Deadlines:
    target: date | None  # einddatum_gepland: start + servicenorm, what we aim for
    legal: date          # uiterlijke_einddatum_afdoening: start + doorlooptijd, moved by
                         # suspensions and an extension (app.zaken.terms)
    target_passed: bool
    legal_passed: bool
    suspended: bool      # the term stands still: nothing has passed


def deadlines(zaak: ZaakDates, today: date) -> Deadlines:
    """What passed, as ZaakDates.overdue_on says (a suspended term never passed)."""
    overdue, _days = zaak.overdue_on(today)
    return Deadlines(target=zaak.einddatum_gepland, legal=zaak.uiterlijke_einddatum_afdoening,
                     target_passed=overdue is not None, legal_passed=overdue == OVERDUE_LEGAL,
                     suspended=zaak.opgeschort and not zaak.is_closed)


def next_step(zaak: ResidentZaak, locale: str) -> str | None:
    """What happens next on an open zaak, as the resident reads it. While we wait for a
    document from them, that is the next step (not the next milestone, which only comes
    after it); else the next milestone's name; nothing once the zaak is closed."""
    if zaak.summary.is_closed:
        return None
    if zaak.open_requests:
        return str(_l("You send us the document we asked for."))
    return zaak.next_step.get(locale) if zaak.next_step else None


# --------------------------------------------------------------------------- the resident's forms


def zaak_topic(identificatie: str | None) -> Topic | None:
    """What a resident's question about their zaak is about: the zaak, the team that handles
    it now (none when there is no such zaak any more) and its contact person, who is told.
    The caller knows the zaak is theirs."""
    if not identificatie:
        return None
    zaak = get_zaken_store().staff_zaak(identificatie)
    if zaak is None:
        return Topic.zaak(identificatie, "")
    return Topic.zaak(identificatie, zaak.team, zaak.contact_person)


def upload_requested_document(session: Session, bsn: str, zaak_identificatie: str,
                              request_id: int, accepted: AcceptedFile) -> bool:
    """The resident's answer to a document request: the file on the zaak, the request
    fulfilled. False when it was answered already (a second tab), which changes nothing."""
    answered = get_zaken_store(session).answer_document_request(
        bsn, zaak_identificatie, request_id, bestandsnaam=accepted.name,
        formaat=accepted.formaat, content=accepted.content, added_by=UPLOADED_BY)
    if answered:
        log.info("pip: requested document uploaded", extra={"zaak": zaak_identificatie})
    return answered


@dataclass(frozen=True)
class CorrectionRequest:
    """What the resident asks to correct: one item of their BRP data."""

    veld: str                # the item's key, e.g. "geboorteplaats"
    veld_omschrijving: str   # the BRP's own name, e.g. "Geboorteplaats"
    huidige_waarde: str      # as the resident saw it
    juiste_waarde: str
    toelichting: str         # what is wrong, in the resident's words


def request_correction(session: Session, person: Persoon, request: CorrectionRequest, *,
                       evidence: AcceptedFile | None, gemachtigde: Gemachtigde | None,
                       item_label: str, locale: str) -> str:
    """Open the correction zaak for Burgerzaken (the BRP's data is never written here) with
    the evidence as its document, and confirm it by mail when the resident gave an address;
    returns the zaaknummer."""
    contact = get_contact_details(session, person.bsn)
    name = request.veld_omschrijving.lower()
    documents = () if evidence is None else (NewDocument(
        titel=f"Bewijsstuk correctie {name}", bestandsnaam=evidence.name,
        formaat=evidence.formaat, content=evidence.content),)
    zaak = get_zaken_store(session).open_zaak(
        zaaktype=CORRECTION_ZAAKTYPE,
        initiator=Initiator(naam=person.full_name, bsn=person.bsn, email=contact.email,
                            telefoon=contact.telefoon, adres=person.address_line),
        omschrijving=f"Correctie {name}", gemachtigde=gemachtigde,
        aanvraaggegevens=vars(request), registered_by=REGISTERED_BY, documents=documents)
    if contact.email:
        # Which item and the zaaknummer, never the value asked for nor the BSN (mail is not a
        # secure channel); in the language the resident used the page in.
        send_mail(session, "correction_received", to=contact.email, locale=locale,
                  dedupe_key=f"correction:{zaak.identificatie}", zaak=zaak, item=item_label,
                  link=external_url("pip.zaak", zaaknummer=zaak.identificatie))
    return zaak.identificatie


# --------------------------------------------------------------------------- the data held


@dataclass(frozen=True)
class Item:
    """One item of the personal data as the BRP shows it (Mijn gegevens, and the back
    office's correction page shows the current value the same way)."""

    key: str
    label: str          # lazy text
    brp_name: str       # the BRP's own Dutch name, for the back office
    group: str          # "persoon" | "adres"

    def value(self, person: Persoon) -> str:
        return ITEM_VALUES[self.key](person)


ITEMS = (
    Item("voornamen", _l("First names"), "Voornamen", "persoon"),
    Item("achternaam", _l("Surname"), "Geslachtsnaam", "persoon"),
    Item("geboortedatum", _l("Date of birth"), "Geboortedatum", "persoon"),
    Item("geboorteplaats", _l("Place of birth"), "Geboorteplaats", "persoon"),
    Item("geslacht", _l("Sex"), "Geslacht", "persoon"),
    Item("nationaliteit", _l("Nationality"), "Nationaliteit", "persoon"),
    Item("straat", _l("Street"), "Straatnaam", "adres"),
    Item("huisnummer", _l("House number"), "Huisnummer", "adres"),
    Item("postcode", _l("Postcode"), "Postcode", "adres"),
    Item("woonplaats", _l("Town"), "Woonplaats", "adres"),
    Item("adres_sinds", _l("Living at this address since"), "Datum aanvang adreshouding", "adres"),
)
ITEMS_BY_KEY = {item.key: item for item in ITEMS}
SEX_LABELS = {"vrouw": _l("Female"), "man": _l("Male"), "onbekend": _l("Unknown")}
ITEM_VALUES = {
    "voornamen": lambda p: p.naam.voornamen,
    "achternaam": lambda p: p.naam.achternaam,
    "geboortedatum": lambda p: _day(p.geboorte.datum),
    "geboorteplaats": lambda p: p.geboorte.plaats,
    "geslacht": lambda p: str(SEX_LABELS.get(p.geslacht, p.geslacht)),
    # As a correction of this item is written: all of them, separated by commas.
    "nationaliteit": lambda p: ", ".join(p.nationaliteiten) or "-",
    "straat": lambda p: p.verblijfplaats.straat,
    "huisnummer": lambda p: p.verblijfplaats.house_number_text,
    "postcode": lambda p: p.verblijfplaats.postcode,
    "woonplaats": lambda p: p.verblijfplaats.woonplaats,
    "adres_sinds": lambda p: _day(p.verblijfplaats.datum_aanvang_adreshouding),
}


def _day(day) -> str:
    """A date of the BRP's; it may know one only in part, or not at all (None)."""
    return long_date(day) if day else str(SEX_LABELS["onbekend"])
