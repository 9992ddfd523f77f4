"""A status set in the zaaksysteem reaches the resident once, however it is announced."""

from datetime import UTC, datetime

from app.berichten.services import messages_for_bsn
from app.db import get_session
from app.notificaties import Notificatie
from app.zaken.store import Initiator
from app.zaken.zgw.notifications import announce_status, refresh_the_residents_pages
from tests.openzaak_fixtures import needs_open_zaak, open_zaak_catalogue, open_zaak_store  # noqa: F401

RESIDENT = "999993069"
TEST_RESIDENTS = (RESIDENT,)

pytestmark = needs_open_zaak


def status_notificatie(status: dict) -> Notificatie:
    return Notificatie(kanaal="zaken", hoofd_object=status["zaak"], resource="status",
                       resource_url=status["url"], actie="create",
                       aanmaakdatum=datetime.now(UTC))


def opened_in_open_zaak(store) -> dict:
    number = store.open_zaak(zaaktype="HULPVRAAG_WMO", omschrijving="Hulp bij het huishouden",
                             registered_by="test",
                             initiator=Initiator(naam="Rosa", bsn=RESIDENT)).identificatie
    return store._zaak(number)


def test_a_status_set_in_the_zaaksysteem_itself_becomes_one_message(
        app, db_connection, open_zaak_store, monkeypatch):
    monkeypatch.setitem(app.extensions, "zaken_store", open_zaak_store)
    with app.test_request_context():
        session = get_session()
        store = open_zaak_store(session)
        zaak = opened_in_open_zaak(store)
        zaaktype = store.catalogue.zaaktype(zaak["zaaktype"])
        # A behandelaar sets the status in the zaaksysteem's own screens, not the portal's.
        status = store.apis.zaken.post("statussen", {
            "zaak": zaak["url"], "statustype": zaaktype.statustype(2).url,
            "datumStatusGezet": datetime.now(UTC).isoformat(),
            "statustoelichting": "Wij bellen u dinsdag."})

        announce_status(session, status_notificatie(status))
        announce_status(session, status_notificatie(status))  # delivered again

        [message] = messages_for_bsn(session, RESIDENT, limit=10)
    assert message.zaak_identificatie == zaak["identificatie"]
    assert "Wij bellen u dinsdag." in message.tekst


def test_a_status_the_back_office_set_and_its_notificatie_make_one_message(
        app, db_connection, open_zaak_store, monkeypatch):
    monkeypatch.setitem(app.extensions, "zaken_store", open_zaak_store)
    with app.test_request_context():
        session = get_session()
        store = open_zaak_store(session)
        zaak = opened_in_open_zaak(store)
        store.set_status(zaak["identificatie"], volgnummer=2, toelichting="Afspraak gemaakt.",
                         gezet_door="bas")
        [status] = [s for s in store._statussen(zaak["url"])
                    if s.get("statustoelichting") == "Afspraak gemaakt."]

        announce_status(session, status_notificatie(status))

        messages = messages_for_bsn(session, RESIDENT, limit=10)
    assert [m.tekst.count("Afspraak gemaakt.") for m in messages] == [1]


def test_mijn_zaken_is_read_once_and_a_notificatie_makes_it_new(
        app, db_connection, open_zaak_store, monkeypatch):
    monkeypatch.setitem(app.extensions, "zaken_store", open_zaak_store)
    with app.test_request_context():
        session = get_session()
        store = open_zaak_store(session)
        zaak = opened_in_open_zaak(store)
        calls = []
        request = store.apis.zaken.request
        monkeypatch.setattr(store.apis.zaken, "request",
                            lambda *a, **k: calls.append(a) or request(*a, **k))

        first = store.resident_zaken(RESIDENT, closed=False, limit=10)
        read_calls = len(calls)
        again = store.resident_zaken(RESIDENT, closed=False, limit=10)
        assert again == first and len(calls) == read_calls  # nothing asked the second time

        zaaktype = store.catalogue.zaaktype(zaak["zaaktype"])
        status = store.apis.zaken.post("statussen", {
            "zaak": zaak["url"], "statustype": zaaktype.statustype(2).url,
            "datumStatusGezet": datetime.now(UTC).isoformat()})
        refresh_the_residents_pages(session, status_notificatie(status))

        [shown] = store.resident_zaken(RESIDENT, closed=False, limit=10).zaken
    assert shown.status.omschrijving.get("nl") == zaaktype.statustype(2).omschrijving.nl
