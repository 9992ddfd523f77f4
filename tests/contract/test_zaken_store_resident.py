"""The contract of the zaken store for Mijn omgeving and for the writes every feature makes:
what a resident would notice, run against every implementation of the zaken store.

Each test sets up its zaken through the store's own writes, for a resident no persona is,
so the same test proves a remote zaaksysteem too.
"""

from datetime import timedelta

import pytest

from app.db import get_session
from app.zaken.services import today
from app.zaken.signals import status_set
from app.zaken.store import (
    Initiator,
    NewDocument,
    UnknownZaak,
    UnknownZaakType,
    ZaakTransitionError,
)
from tests.factories import PDF
from tests.openzaak_fixtures import (  # noqa: F401
    ZAKEN_STORES,
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
)

RESIDENT = "999993008"   # valid BSNs that no persona has
NEIGHBOUR = "999993021"
TEST_RESIDENTS = (RESIDENT, NEIGHBOUR)
ZAAKVERTROUWELIJK = "zaakvertrouwelijk"


@pytest.fixture(params=ZAKEN_STORES)
def store(request, app, db_connection):
    """The implementation on the test's transaction, in a request of the app."""
    implementation = request.param(request)
    with app.test_request_context():
        yield implementation(get_session())


def open_zaak(store, zaaktype: str = "VERHUIZING", *, bsn: str | None = RESIDENT,
              days_ago: int = 0, **extra) -> str:
    return store.open_zaak(
        zaaktype=zaaktype, omschrijving=f"Contract {zaaktype.lower()}", registered_by="contract",
        initiator=Initiator(naam="Rosa Contract", bsn=bsn, email="rosa@example.nl"),
        startdatum=today() - timedelta(days=days_ago), **extra).identificatie


def document(titel: str, level: str | None = None) -> NewDocument:
    return NewDocument(titel=titel, bestandsnaam=f"{titel}.pdf", formaat="application/pdf",
                       content=PDF, vertrouwelijkheidaanduiding=level)


# --------------------------------------------------------------------------- Mijn zaken


def test_the_residents_open_and_closed_zaken_newest_first_with_their_milestone(store):
    older = open_zaak(store, days_ago=3)
    newer = open_zaak(store, "HULPVRAAG_WMO")
    closed = open_zaak(store, days_ago=10)
    store.set_resultaat(closed, resultaattype="Verwerkt", gezet_door="contract")
    open_zaak(store, bsn=NEIGHBOUR)

    found = store.resident_zaken(RESIDENT, closed=False, limit=10)
    assert [zaak.identificatie for zaak in found.zaken] == [newer, older]
    assert found.total == 2 and store.count_resident_zaken(RESIDENT, closed=False) == 2
    assert found.zaken[0].status.omschrijving.get("nl") == "Ontvangen"
    assert not found.zaken[0].is_closed
    gesloten = store.resident_zaken(RESIDENT, closed=True, limit=10)
    assert [zaak.identificatie for zaak in gesloten.zaken] == [closed]
    assert gesloten.zaken[0].is_closed and gesloten.zaken[0].einddatum is not None


def test_a_page_of_zaken_and_the_total_of_them_all(store):
    for days_ago in range(5):
        open_zaak(store, days_ago=days_ago)
    second = store.resident_zaken(RESIDENT, closed=False, limit=2, offset=2)
    assert len(second.zaken) == 2 and second.total == 5
    assert store.resident_zaken(RESIDENT, closed=False, limit=2, offset=10).zaken == ()


# --------------------------------------------------------------------------- one zaak


def test_a_zaak_shows_its_milestones_folding_internal_steps_and_the_next_one(store):
    zaaknummer = open_zaak(store)
    store.set_status(zaaknummer, volgnummer=2, toelichting="We kijken ernaar.", gezet_door="c")
    store.set_status(zaaknummer, volgnummer=3, toelichting="Intern onderzoek.", gezet_door="c")
    zaak = store.resident_zaak(RESIDENT, zaaknummer, max_level=ZAAKVERTROUWELIJK)

    assert [m.omschrijving.get("nl") for m in zaak.milestones] == ["Ontvangen", "In behandeling"]
    assert zaak.milestones[1].statustoelichting == "We kijken ernaar."
    assert zaak.summary.status.omschrijving.get("nl") == "In behandeling"  # not the internal step
    assert zaak.next_step.get("nl") == "Afgehandeld"
    assert zaak.resultaat is None and zaak.zaaktype_identificatie == "VERHUIZING"


def test_a_decided_zaak_shows_its_result(store):
    zaaknummer = open_zaak(store)
    store.set_resultaat(zaaknummer, resultaattype="Verwerkt", toelichting="Klaar.",
                        gezet_door="contract")
    zaak = store.resident_zaak(RESIDENT, zaaknummer, max_level=ZAAKVERTROUWELIJK)
    assert zaak.resultaat.omschrijving.get("nl") == "Verwerkt"
    assert zaak.summary.is_closed and zaak.milestones[-1].omschrijving.get("nl") == "Afgehandeld"


def test_another_residents_zaak_is_not_found_like_a_missing_one(store):
    zaaknummer = open_zaak(store, bsn=NEIGHBOUR)
    assert store.resident_zaak(RESIDENT, zaaknummer, max_level=ZAAKVERTROUWELIJK) is None
    assert store.resident_zaak(RESIDENT, "ZAAK-2000-0000000001",
                               max_level=ZAAKVERTROUWELIJK) is None


def test_documents_up_to_the_residents_level_with_their_bytes(store):
    zaaknummer = open_zaak(store, documents=(document("aanvraag"),))
    store.add_document(zaaknummer, document("advies", "vertrouwelijk"), added_by="contract")
    zaak = store.resident_zaak(RESIDENT, zaaknummer, max_level=ZAAKVERTROUWELIJK)
    [shown] = zaak.documents
    assert shown.titel == "aanvraag" and shown.bestandsomvang == len(PDF)
    download = store.resident_document(RESIDENT, zaaknummer, shown.id,
                                       max_level=ZAAKVERTROUWELIJK)
    assert download.content == PDF and download.bestandsnaam == "aanvraag.pdf"
    assert store.resident_document(NEIGHBOUR, zaaknummer, shown.id,
                                   max_level=ZAAKVERTROUWELIJK) is None


# --------------------------------------------------------------------------- requests


def test_a_requested_document_is_answered_once(store):
    zaaknummer = open_zaak(store)
    store.request_document(zaaknummer, omschrijving="Een kopie van uw huurcontract",
                           requested_by="contract")
    [waiting] = store.open_document_requests(RESIDENT)
    assert waiting.omschrijving == "Een kopie van uw huurcontract"
    assert waiting.zaak_identificatie == zaaknummer
    assert store.open_document_request(NEIGHBOUR, zaaknummer, waiting.id) is None

    answer = dict(bestandsnaam="huurcontract.pdf", formaat="application/pdf", content=PDF,
                  added_by="contract")
    assert store.answer_document_request(RESIDENT, zaaknummer, waiting.id, **answer)
    assert not store.answer_document_request(RESIDENT, zaaknummer, waiting.id, **answer)
    zaak = store.resident_zaak(RESIDENT, zaaknummer, max_level=ZAAKVERTROUWELIJK)
    assert zaak.open_requests == () and [d.titel for d in zaak.documents] == [
        "Een kopie van uw huurcontract"]
    assert store.open_document_requests(RESIDENT) == []


# --------------------------------------------------------------------------- the writes


def test_every_status_change_is_announced_with_what_the_resident_may_be_told(store):
    changes = []

    def listen(change, **_extra):
        changes.append(change)

    zaaknummer = open_zaak(store, "HULPVRAAG_WMO")
    status_set.connect(listen)
    try:
        store.set_status(zaaknummer, volgnummer=2, toelichting="Dinsdag om 10 uur.",
                         gezet_door="contract")
        store.set_status(zaaknummer, volgnummer=4, gezet_door="contract")
    finally:
        status_set.disconnect(listen)
    told, internal = changes
    assert told.zaak_identificatie == zaaknummer and told.initiator_bsn == RESIDENT
    assert told.meant_for_the_resident and told.statustoelichting == "Dinsdag om 10 uur."
    assert not internal.meant_for_the_resident


def test_new_zaaknummers_are_never_handed_out_twice(store):
    numbers = {store.new_identificatie() for _ in range(5)}
    zaaknummer = open_zaak(store, identificatie=numbers.pop())
    assert len(numbers) == 4 and zaaknummer not in numbers
    opened = store.opened_zaak(zaaknummer)
    assert opened.identificatie == zaaknummer
    assert opened.uiterlijke_einddatum_afdoening >= opened.einddatum_gepland


def test_changes_a_zaak_cannot_make_are_refused(store):
    with pytest.raises(UnknownZaakType):
        open_zaak(store, "BESTAAT_NIET")
    with pytest.raises(UnknownZaak):
        store.set_status("ZAAK-2000-0000000001", volgnummer=2, gezet_door="contract")
    zaaknummer = open_zaak(store)
    with pytest.raises(ZaakTransitionError):
        store.set_status(zaaknummer, volgnummer=4, gezet_door="contract")  # the eindstatus
    store.set_resultaat(zaaknummer, resultaattype="Verwerkt", gezet_door="contract")
    with pytest.raises(ZaakTransitionError):
        store.add_document(zaaknummer, document("te laat"), added_by="contract")
    with pytest.raises(ZaakTransitionError):
        store.route(zaaknummer, team="vergunningen", door="contract")
