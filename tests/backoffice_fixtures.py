"""Helpers for the back-office zaken tests: zaken in given states, the forms of a page."""

import html
import re
from datetime import date

from sqlalchemy import select

from app.db import get_session
from app.persons.models import Disclosure
from app.zaken.models import Zaak
from app.zaken.services import (
    Initiator,
    add_document,
    get_zaak,
    open_zaak,
    request_document,
    set_resultaat,
    set_status,
)

FATIMA = "999990019"      # Fatima El Amrani
JOHANNES = "999990020"    # Johannes van den Berg
PDF = b"%PDF-1.4\n" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MISSING = "ZAAK-2000-0000000001"
ZAAKNUMMER = re.compile(r"ZAAK-\d{4}-\d{10}")


def zaaknummers(page: str) -> list[str]:
    return list(dict.fromkeys(ZAAKNUMMER.findall(page)))


def new_zaak(app, zaaktype: str = "VERHUIZING", *, bsn: str | None = FATIMA,
             naam: str = "Fatima El Amrani", startdatum: date | None = None,
             team: str | None = None,
             statussen=(), documents=(), requests=(), resultaat: str | None = None,
             aanvraaggegevens: dict | None = None, email: str = "") -> str:
    """A zaak in the given state, committed in the test's transaction; its zaaknummer."""
    with app.app_context():
        db = get_session()
        zaak = open_zaak(db, zaaktype=zaaktype,
                         initiator=Initiator(naam=naam, bsn=bsn, email=email,
                                             adres="Vischpoortstraat 14, 8081 BP Elburg"),
                         omschrijving=f"Test {zaaktype.lower()}", registered_by="test",
                         aanvraaggegevens=aanvraaggegevens, startdatum=startdatum)
        if team:
            zaak.team = team
        for volgnummer in statussen:
            set_status(db, zaak, volgnummer=volgnummer, toelichting=f"toelichting {volgnummer}",
                       gezet_door="test")
        for titel, level in documents:
            add_document(db, zaak, titel=titel, bestandsnaam=f"{titel}.pdf",
                         formaat="application/pdf", content=PDF,
                         vertrouwelijkheidaanduiding=level, added_by="test")
        for omschrijving in requests:
            request_document(db, zaak, omschrijving=omschrijving, requested_by="test")
        if resultaat:
            set_resultaat(db, zaak, resultaattype=resultaat, gezet_door="test")
        db.commit()
        return zaak.identificatie


def zaak_of(app, zaaknummer: str) -> Zaak:
    with app.app_context():
        zaak = get_zaak(get_session(), zaaknummer)
        _ = (zaak.documenten, zaak.document_requests, zaak.rollen,
             zaak.resultaat and zaak.resultaat.resultaattype,
             [s.statustype for s in zaak.statussen], zaak.zaaktype.statustypen)
        return zaak


def disclosures(app, bsn: str = FATIMA, zaak: str | None = None) -> list[Disclosure]:
    with app.app_context():
        query = select(Disclosure).where(Disclosure.bsn == bsn).order_by(Disclosure.id)
        if zaak:
            query = query.where(Disclosure.zaak_identificatie == zaak)
        return list(get_session().scalars(query))


FORM = re.compile(r'<form[^>]*action="(?P<action>[^"]+)"[^>]*>(?P<body>.*?)</form>', re.S)
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def form_fields(page: str, action_ends_with: str) -> tuple[str, dict]:
    """The action and the hidden fields (CSRF token, one-time token, ...) of the page's form
    whose action ends with this path."""
    for match in FORM.finditer(page):
        action = html.unescape(match.group("action"))
        if action.endswith(action_ends_with):
            fields = {}
            for tag in HIDDEN.findall(match.group("body")):
                attrs = dict(ATTR.findall(tag))
                fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
            return action, fields
    raise AssertionError(f"no form for {action_ends_with}")


