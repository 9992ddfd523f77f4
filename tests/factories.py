"""Test data, made in one place: zaken in any state through the zaken store's port, so
the same data works whatever store the test runs on.

Each factory takes the Session to write in; ``new_zaak(app, ...)`` commits one in the
test's transaction (tests/conftest.py rolls it back) for tests that drive the app through
the test client.
"""

from __future__ import annotations

from datetime import date

from app.db import get_session
from app.zaken.sql.demo import SARA as DEMO_CONTACT_PERSON
from app.zaken.store import ContactPerson, Initiator, NewDocument, get_zaken_store
from tests.personas import FATIMA

PDF = b"%PDF-1.4\n" + b"\x00" * 64  # passes the upload checks on content
ADDRESS = "Vischpoortstraat 14, 8081 BP Elburg"
# Sara Smit of the social domain, as the demo data makes her a contact person.
SARA = DEMO_CONTACT_PERSON


def make_zaak(session, zaaktype: str = "VERHUIZING", *, bsn: str | None = FATIMA,
              naam: str = "Fatima El Amrani", email: str = "", adres: str = ADDRESS,
              omschrijving: str | None = None, startdatum: date | None = None,
              aanvraaggegevens: dict | None = None, team: str | None = None,
              statussen=(), documents=(), requests=(), resultaat: str | None = None,
              contact_person: ContactPerson | None = None) -> str:
    """A zaak initiated by this BSN (None: without DigiD) that went through the given
    statussen (volgnummers, each with a toelichting), has these documents ((titel,
    vertrouwelijkheidaanduiding) pairs) and open document requests, was routed to `team`,
    has this contact person and, with a resultaat, is closed. Returns its zaaknummer."""
    store = get_zaken_store(session)
    # The documents come with the zaak, as a resident's uploads do: staff adding one
    # would also tell the resident (a message), which tests of other things do not expect.
    zaaknummer = store.open_zaak(
        zaaktype=zaaktype, initiator=Initiator(naam=naam, bsn=bsn, email=email, adres=adres),
        omschrijving=omschrijving or f"Test {zaaktype.lower()}", registered_by="test",
        aanvraaggegevens=aanvraaggegevens, startdatum=startdatum,
        documents=tuple(NewDocument(titel=titel, bestandsnaam=f"{titel}.pdf",
                                    formaat="application/pdf", content=PDF,
                                    vertrouwelijkheidaanduiding=level)
                        for titel, level in documents)).identificatie
    for volgnummer in statussen:
        store.set_status(zaaknummer, volgnummer=volgnummer,
                         toelichting=f"toelichting {volgnummer}", gezet_door="test")
    for omschrijving_verzoek in requests:
        store.request_document(zaaknummer, omschrijving=omschrijving_verzoek,
                               requested_by="test")
    if team:
        store.route(zaaknummer, team=team, door="test")
    if contact_person:
        store.set_contact_person(zaaknummer, contact_person, door="test")
    if resultaat:
        store.set_resultaat(zaaknummer, resultaattype=resultaat, gezet_door="test")
    return zaaknummer


def new_zaak(app, zaaktype: str = "VERHUIZING", **details) -> str:
    """make_zaak, committed (in the test's transaction); its zaaknummer."""
    with app.app_context():
        session = get_session()
        zaaknummer = make_zaak(session, zaaktype, **details)
        session.commit()
        return zaaknummer
