"""The contract of PartnerZaken (app.zaken.store): what a chain partner would notice through
the zaken API, run against every implementation of the zaken store.

Each test sets up its zaken through the store's own writes, so the same test proves a
remote zaaksysteem too. Lists are read in a zaaktype's scope and compared with what was
there before, so zaken of other tests or the demo data do not count.
"""

from datetime import timedelta

import pytest

from app.db import get_session
from app.texts import Text
from app.zaken.services import today
from app.zaken.sql import SqlZakenStore
from app.zaken.store import Gemachtigde, Initiator, NewDocument, ZaakTransitionError
from tests.backoffice_fixtures import FATIMA, JOHANNES, MISSING, PDF

IMPLEMENTATIONS = [pytest.param(SqlZakenStore, id="local")]
WMO = "HULPVRAAG_WMO"
SCOPE = [WMO]
NAME = "Contractia Partnermans"
ADRES = "Vischpoortstraat 14, 8081 BP Elburg"


@pytest.fixture(params=IMPLEMENTATIONS)
def store(request, app, db_connection):
    """The implementation on the test's transaction, in a request of the app."""
    with app.test_request_context():
        yield request.param(get_session())


def open_zaak(store, zaaktype: str = WMO, *, bsn: str | None = FATIMA, **extra) -> str:
    return store.open_zaak(
        zaaktype=zaaktype, omschrijving="Hulp bij het huishouden", registered_by="contract",
        initiator=Initiator(naam=NAME, bsn=bsn, email="fatima@example.nl", telefoon="0612345678",
                            adres=ADRES),
        **extra).identificatie


def numbers(page) -> list[str]:
    return [zaak.identificatie for zaak in page.zaken]


# --------------------------------------------------------------------------- one zaak


def test_a_zaak_with_its_statussen_and_rollen(store):
    zaaknummer = open_zaak(store, gemachtigde=Gemachtigde(naam="Johannes van den Berg",
                                                         bsn=JOHANNES),
                           startdatum=today() - timedelta(days=3))
    store.set_status(zaaknummer, volgnummer=2, toelichting="Gesprek op 3 maart",
                     gezet_door="Zorgaanbieder De Linde")
    zaak = store.partner_zaak(SCOPE, zaaknummer)

    head = zaak.summary
    assert (head.identificatie, head.zaaktype, head.omschrijving, head.toelichting) == (
        zaaknummer, WMO, "Hulp bij het huishouden", "")
    assert head.registratiedatum == today() and head.startdatum == today() - timedelta(days=3)
    assert head.uiterlijke_einddatum_afdoening > head.einddatum_gepland > head.startdatum
    assert head.vertrouwelijkheidaanduiding == "zaakvertrouwelijk"
    assert head.einddatum is None and head.resultaat is None
    assert [(s.statustype.volgnummer, s.statustoelichting, s.gezet_door)
            for s in zaak.statussen] == [(1, "", "contract"),
                                         (2, "Gesprek op 3 maart", "Zorgaanbieder De Linde")]
    assert head.status == zaak.statussen[-1]
    assert head.status.statustype.omschrijving == Text("Gesprek gepland", "Meeting planned")
    assert head.status.statustype.informeren and not head.status.statustype.is_eindstatus
    initiator, gemachtigde = zaak.rollen
    assert (initiator.omschrijving_generiek, initiator.betrokkene_type, initiator.naam,
            initiator.adres, initiator.email, initiator.telefoon,
            initiator.indicatie_machtiging) == (
        "initiator", "natuurlijk_persoon", NAME, ADRES, "fatima@example.nl", "0612345678",
        "machtiginggever")
    assert (gemachtigde.naam, gemachtigde.indicatie_machtiging) == (
        "Johannes van den Berg", "gemachtigde")
    assert head.initiator_bsn == FATIMA                 # for the resident's disclosure log
    assert FATIMA not in repr(zaak) and JOHANNES not in repr(zaak)


def test_a_zaak_outside_the_scope_is_none_like_a_missing_one(store):
    verhuizing = open_zaak(store, "VERHUIZING")
    for read in (store.partner_zaak, store.partner_zaak_for_change):
        assert read(SCOPE, verhuizing) is None
        assert read(SCOPE, MISSING) is None
        assert read([], verhuizing) is None
        assert read(["VERHUIZING", WMO], verhuizing) is not None


def test_an_initiator_without_digid_has_no_bsn(store):
    zaaknummer = open_zaak(store, bsn=None)
    assert store.partner_zaak(SCOPE, zaaknummer).summary.initiator_bsn is None
    assert store.partner_zaak_for_change(SCOPE, zaaknummer).initiator_bsn is None
    [listed] = [zaak for zaak in store.partner_zaken(SCOPE, limit=5).zaken
                if zaak.identificatie == zaaknummer]
    assert listed.initiator_bsn is None


# --------------------------------------------------------------------------- the list


def test_the_list_shows_the_newest_first_with_their_status_and_result(store):
    before = store.partner_zaken(SCOPE, limit=1).total
    first, second, third = open_zaak(store), open_zaak(store), open_zaak(store)
    store.set_status(second, volgnummer=3, gezet_door="contract")
    store.set_resultaat(third, resultaattype="Toegekend", toelichting="Vanaf 1 maart",
                        gezet_door="contract")
    page = store.partner_zaken(SCOPE, limit=3)
    assert numbers(page) == [third, second, first] and page.total == before + 3
    newest, middle, oldest = page.zaken
    assert oldest.status.statustype.volgnummer == 1 and oldest.resultaat is None
    assert middle.status.statustype.omschrijving.nl == "Onderzoek"
    assert newest.einddatum == today() and newest.status.statustype.is_eindstatus
    assert newest.resultaat.resultaattype.omschrijving == Text("Toegekend", "Granted")
    assert newest.resultaat.resultaattype.toelichting.nl.startswith("U krijgt de ondersteuning")
    assert newest.resultaat.toelichting == "Vanaf 1 maart"
    assert newest.initiator_bsn == FATIMA and FATIMA not in repr(page)


def test_the_list_is_paged_and_a_page_past_the_end_is_empty(store):
    before = store.partner_zaken(SCOPE, limit=1).total
    opened = [open_zaak(store) for _ in range(5)]
    first = store.partner_zaken(SCOPE, limit=3)
    second = store.partner_zaken(SCOPE, limit=3, offset=3)
    assert numbers(first) + numbers(second)[:2] == opened[::-1]
    assert first.total == second.total == before + 5
    past = store.partner_zaken(SCOPE, limit=3, offset=before + 5)
    assert past.zaken == () and past.total == before + 5


def test_the_list_filters_on_open_or_closed_and_on_zaaktypen(store):
    open_one, closed_one = open_zaak(store), open_zaak(store)
    store.set_resultaat(closed_one, resultaattype="Afgewezen", gezet_door="contract")
    other = open_zaak(store, "PARKEERVERGUNNING")
    limit = {"limit": 1000}
    assert {open_one, closed_one} <= set(numbers(store.partner_zaken(SCOPE, **limit)))
    only_open = numbers(store.partner_zaken(SCOPE, closed=False, **limit))
    only_closed = numbers(store.partner_zaken(SCOPE, closed=True, **limit))
    assert open_one in only_open and closed_one not in only_open
    assert closed_one in only_closed and open_one not in only_closed
    assert other not in numbers(store.partner_zaken(SCOPE, **limit))
    both = numbers(store.partner_zaken([WMO, "PARKEERVERGUNNING"], **limit))
    assert {open_one, closed_one, other} <= set(both)
    nothing = store.partner_zaken([], **limit)
    assert nothing.zaken == () and nothing.total == 0


# --------------------------------------------------------------------------- changes


def test_a_zaak_held_for_a_change_knows_its_steps_and_results(store):
    zaaknummer = open_zaak(store)
    zaak = store.partner_zaak_for_change(SCOPE, zaaknummer)
    assert zaak.identificatie == zaaknummer and zaak.initiator_bsn == FATIMA
    assert zaak.zaaktype.identificatie == WMO
    assert zaak.zaaktype.statustype(2).omschrijving.nl == "Gesprek gepland"
    assert zaak.zaaktype.statustype(99) is None
    assert zaak.zaaktype.eindstatustype.volgnummer == 5
    assert zaak.zaaktype.resultaattype("Toegekend") is not None
    assert zaak.zaaktype.resultaattype("Misschien") is None
    assert FATIMA not in repr(zaak)


def test_the_writes_answer_with_what_the_next_read_shows(store):
    zaaknummer = open_zaak(store)
    status = store.set_status(zaaknummer, volgnummer=2, toelichting="Gesprek gepland",
                              gezet_door="Zorgaanbieder De Linde")
    assert (status.statustype.volgnummer, status.statustoelichting, status.gezet_door) == (
        2, "Gesprek gepland", "Zorgaanbieder De Linde")
    assert store.partner_zaak(SCOPE, zaaknummer).statussen[-1] == status

    document = store.add_document(zaaknummer, NewDocument(
        titel="Indicatiebesluit", bestandsnaam="../indicatie.pdf", formaat="application/pdf",
        content=PDF), added_by="Zorgaanbieder De Linde")
    assert (document.titel, document.formaat, document.bestandsomvang, document.added_by) == (
        "Indicatiebesluit", "application/pdf", len(PDF), "Zorgaanbieder De Linde")
    assert "/" not in document.bestandsnaam              # a name, never a path
    assert document.vertrouwelijkheidaanduiding == "zaakvertrouwelijk"   # the zaak's
    assert document.creatiedatum == today()
    assert [d.id for d in store.staff_zaak(zaaknummer).documenten] == [document.id]
    secret = store.add_document(zaaknummer, NewDocument(
        titel="Advies", bestandsnaam="advies.pdf", formaat="application/pdf", content=PDF,
        vertrouwelijkheidaanduiding="vertrouwelijk"), added_by="Zorgaanbieder De Linde")
    assert secret.vertrouwelijkheidaanduiding == "vertrouwelijk"

    resultaat = store.set_resultaat(zaaknummer, resultaattype="Toegekend",
                                    toelichting="Vanaf 1 maart", gezet_door="Zorgaanbieder")
    assert (resultaat.resultaattype.omschrijving.nl, resultaat.toelichting,
            resultaat.gezet_door) == ("Toegekend", "Vanaf 1 maart", "Zorgaanbieder")
    read = store.partner_zaak(SCOPE, zaaknummer)
    assert read.summary.resultaat == resultaat
    assert read.summary.status.statustype.is_eindstatus
    assert read.summary.status.statustoelichting == "Vanaf 1 maart"


def test_a_closed_zaak_refuses_every_change(store):
    zaaknummer = open_zaak(store)
    store.set_resultaat(zaaknummer, resultaattype="Toegekend", gezet_door="contract")
    with pytest.raises(ZaakTransitionError):
        store.set_status(zaaknummer, volgnummer=2, gezet_door="contract")
    with pytest.raises(ZaakTransitionError):
        store.add_document(zaaknummer, NewDocument(
            titel="x", bestandsnaam="x.pdf", formaat="application/pdf", content=PDF),
            added_by="contract")
    with pytest.raises(ZaakTransitionError):
        store.set_resultaat(zaaknummer, resultaattype="Afgewezen", gezet_door="contract")
    zaak = store.partner_zaak(SCOPE, zaaknummer)
    assert zaak.summary.resultaat.resultaattype.omschrijving.nl == "Toegekend"
    assert len(zaak.statussen) == 2


def test_known_zaaktypen_are_those_of_the_catalogi(store):
    assert store.known_zaaktypen([WMO, "VERHUIZING", "ONBEKEND"]) == {WMO, "VERHUIZING"}
    assert store.known_zaaktypen([]) == set()
