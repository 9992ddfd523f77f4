"""The contract of PartnerZaken (app.zaken.store): what a chain partner would notice through
the zaken API, run against every implementation of the zaken store.

Each test sets up its zaken through the store's own writes, so the same test proves a
remote zaaksysteem too. Lists are read in a zaaktype's scope and compared with what was
there before, so zaken of other tests or the demo data do not count. A ZGW zaaksysteem may
be shared (other tests open zaken of these zaaktypen at the same moment): there a list's
assertions are about the test's own zaken (OWN), picked from a longer page, and totals
count at least them.
"""

from datetime import timedelta

import pytest

from app.db import get_session
from app.texts import Text
from app.zaken.services import today
from app.zaken.store import Gemachtigde, Initiator, NewDocument, ZaakTransitionError
from tests.backoffice_fixtures import MISSING, PDF
from tests.openzaak_fixtures import (  # noqa: F401
    ZAKEN_STORES,
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
    remove_zaken,
)

RESIDENT = "999993100"  # valid BSNs that no persona and no other module has
GEMACHTIGDE = "999993112"
TEST_RESIDENTS = (RESIDENT, GEMACHTIGDE)  # their zaken in Open Zaak are removed before and after
WMO = "HULPVRAAG_WMO"
SCOPE = [WMO]
NAME = "Contractia Partnermans"
ADRES = "Vischpoortstraat 14, 8081 BP Elburg"
OWN: list[str] = []  # the zaaknummers the running test opened
LONG_PAGE = 500


@pytest.fixture(params=ZAKEN_STORES)
def store(request, app, db_connection):
    """The implementation on the test's transaction, in a request of the app."""
    implementation = request.param(request)
    OWN.clear()
    with app.test_request_context():
        made = implementation(get_session())
        yield made
        if made.registers_later:  # a zaaksysteem: the anonymous ones too
            remove_zaken(made.apis, OWN)


def open_zaak(store, zaaktype: str = WMO, *, bsn: str | None = RESIDENT, **extra) -> str:
    zaaknummer = store.open_zaak(
        zaaktype=zaaktype, omschrijving="Hulp bij het huishouden", registered_by="contract",
        initiator=Initiator(naam=NAME, bsn=bsn, email="fatima@example.nl", telefoon="0612345678",
                            adres=ADRES),
        **extra).identificatie
    OWN.append(zaaknummer)
    return zaaknummer


def numbers(page) -> list[str]:
    """The test's own zaken on the page, in its order."""
    return [zaak.identificatie for zaak in page.zaken if zaak.identificatie in OWN]


def shared(store) -> bool:
    """Whether other zaken of the test's zaaktypen may come and go while it runs."""
    return store.registers_later


def page_of(store, zaaktypen, **options):
    """A page to find the test's own zaken on: as asked, or a long first page where the
    zaaksysteem is shared (others' zaken may come first)."""
    if shared(store):
        options = {**options, "limit": LONG_PAGE, "offset": 0}
    return store.partner_zaken(zaaktypen, **options)


# --------------------------------------------------------------------------- one zaak


def test_a_zaak_with_its_statussen_and_rollen(store):
    zaaknummer = open_zaak(store, gemachtigde=Gemachtigde(naam="Johannes van den Berg",
                                                         bsn=GEMACHTIGDE),
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
    # A zaaksysteem names who set a status by a rol in the zaak; the first status is set
    # by registering the zaak, before anyone has one: it names nobody there.
    registered_by = "" if store.registers_later else "contract"
    assert [(s.statustype.volgnummer, s.statustoelichting, s.gezet_door)
            for s in zaak.statussen] == [(1, "", registered_by),
                                         (2, "Gesprek op 3 maart", "Zorgaanbieder De Linde")]
    assert head.status == zaak.statussen[-1]
    assert head.status.statustype.omschrijving == Text("Gesprek gepland", "Meeting planned")
    assert head.status.statustype.informeren and not head.status.statustype.is_eindstatus
    initiator, gemachtigde = zaak.rollen
    assert (initiator.omschrijving_generiek, initiator.betrokkene_type, initiator.naam,
            initiator.email, initiator.telefoon, initiator.indicatie_machtiging) == (
        "initiator", "natuurlijk_persoon", NAME, "fatima@example.nl", "0612345678",
        "machtiginggever")
    # A ZGW rol's verblijfsadres needs the BAG's id of the address, which the e-form does
    # not have: there the partner gets no address.
    assert initiator.adres == ("" if store.registers_later else ADRES)
    assert (gemachtigde.naam, gemachtigde.indicatie_machtiging) == (
        "Johannes van den Berg", "gemachtigde")
    assert head.initiator_bsn == RESIDENT               # for the resident's disclosure log
    assert RESIDENT not in repr(zaak) and GEMACHTIGDE not in repr(zaak)


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
    [listed] = [zaak for zaak in page_of(store, SCOPE, limit=5).zaken
                if zaak.identificatie == zaaknummer]
    assert listed.initiator_bsn is None


# --------------------------------------------------------------------------- the list


def counts(store, page, before: int, own: int) -> bool:
    """The total grew by the test's own zaken: exactly, or at least them where others'
    zaken come and go meanwhile."""
    return page.total >= own if shared(store) else page.total == before + own


def test_the_list_shows_the_newest_first_with_their_status_and_result(store):
    before = store.partner_zaken(SCOPE, limit=1).total
    first, second, third = open_zaak(store), open_zaak(store), open_zaak(store)
    store.set_status(second, volgnummer=3, gezet_door="contract")
    store.set_resultaat(third, resultaattype="Toegekend", toelichting="Vanaf 1 maart",
                        gezet_door="contract")
    page = page_of(store, SCOPE, limit=3)
    assert numbers(page) == [third, second, first] and counts(store, page, before, 3)
    newest, middle, oldest = [zaak for zaak in page.zaken if zaak.identificatie in OWN]
    assert oldest.status.statustype.volgnummer == 1 and oldest.resultaat is None
    assert middle.status.statustype.omschrijving.nl == "Onderzoek"
    assert middle.status.gezet_door == "contract"
    assert newest.einddatum == today() and newest.status.statustype.is_eindstatus
    assert newest.resultaat.resultaattype.omschrijving == Text("Toegekend", "Granted")
    assert newest.resultaat.resultaattype.toelichting.nl.startswith("U krijgt de ondersteuning")
    assert (newest.resultaat.toelichting, newest.resultaat.gezet_door) == (
        "Vanaf 1 maart", "contract")
    assert newest.initiator_bsn == RESIDENT and RESIDENT not in repr(page)


def identificaties(page) -> list[str]:
    return [zaak.identificatie for zaak in page.zaken]


def unchanged_list(store, reads):
    """The whole list (as identificaties) and reads(whole)'s answers, read while the list
    did not change: on a shared zaaksysteem another test's zaak may come or go in between,
    and then they are read again."""
    for _ in range(5):
        whole = identificaties(store.partner_zaken(SCOPE, limit=LONG_PAGE))
        answers = reads(whole)
        if identificaties(store.partner_zaken(SCOPE, limit=LONG_PAGE)) == whole:
            return whole, answers
    pytest.fail("the list kept changing while it was read")


def test_the_list_is_paged_and_a_page_past_the_end_is_empty(store):
    opened = [open_zaak(store) for _ in range(5)]
    whole, (first, second, past) = unchanged_list(store, lambda whole: (
        store.partner_zaken(SCOPE, limit=3), store.partner_zaken(SCOPE, limit=3, offset=3),
        store.partner_zaken(SCOPE, limit=3, offset=len(whole))))
    assert [number for number in whole if number in OWN] == opened[::-1]
    assert identificaties(first) + identificaties(second) == whole[:6]
    assert first.total == second.total == past.total == len(whole) >= 5
    assert past.zaken == ()


def test_the_list_filters_on_open_or_closed_and_on_zaaktypen(store):
    open_one, closed_one = open_zaak(store), open_zaak(store)
    store.set_resultaat(closed_one, resultaattype="Afgewezen", gezet_door="contract")
    other = open_zaak(store, "PARKEERVERGUNNING")
    limit = {"limit": LONG_PAGE}
    assert {open_one, closed_one} <= set(numbers(store.partner_zaken(SCOPE, **limit)))
    only_open = numbers(store.partner_zaken(SCOPE, closed=False, **limit))
    only_closed = store.partner_zaken(SCOPE, closed=True, **limit)
    assert open_one in only_open and closed_one not in only_open
    assert numbers(only_closed) == [closed_one]
    assert all(zaak.einddatum is not None for zaak in only_closed.zaken)
    assert other not in numbers(store.partner_zaken(SCOPE, **limit))
    both = numbers(store.partner_zaken([WMO, "PARKEERVERGUNNING"], **limit))
    assert {open_one, closed_one, other} <= set(both)
    nothing = store.partner_zaken([], **limit)
    assert nothing.zaken == () and nothing.total == 0


# --------------------------------------------------------------------------- changes


def test_a_zaak_held_for_a_change_knows_its_steps_and_results(store):
    zaaknummer = open_zaak(store)
    zaak = store.partner_zaak_for_change(SCOPE, zaaknummer)
    assert zaak.identificatie == zaaknummer and zaak.initiator_bsn == RESIDENT
    assert zaak.zaaktype.identificatie == WMO
    assert zaak.zaaktype.statustype(2).omschrijving.nl == "Gesprek gepland"
    assert zaak.zaaktype.statustype(99) is None
    assert zaak.zaaktype.eindstatustype.volgnummer == 5
    assert zaak.zaaktype.resultaattype("Toegekend") is not None
    assert zaak.zaaktype.resultaattype("Misschien") is None
    assert RESIDENT not in repr(zaak)


def test_the_writes_answer_with_what_the_next_read_shows(store):
    zaaknummer = open_zaak(store)
    status = store.set_status(zaaknummer, volgnummer=2, toelichting="Gesprek gepland",
                              gezet_door="Zorgaanbieder De Linde")
    assert (status.statustype.volgnummer, status.statustoelichting, status.gezet_door) == (
        2, "Gesprek gepland", "Zorgaanbieder De Linde")
    assert store.partner_zaak(SCOPE, zaaknummer).statussen[-1] == status

    document = store.add_document(zaaknummer, NewDocument(
        titel="Indicatiebesluit", bestandsnaam="indicatie.pdf", formaat="application/pdf",
        content=PDF), added_by="Zorgaanbieder De Linde")
    assert (document.titel, document.formaat, document.bestandsomvang, document.added_by) == (
        "Indicatiebesluit", "application/pdf", len(PDF), "Zorgaanbieder De Linde")
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


def test_a_documents_name_is_never_a_path(store):
    zaaknummer = open_zaak(store)
    document = store.add_document(zaaknummer, NewDocument(
        titel="Indicatiebesluit", bestandsnaam="../indicatie.pdf", formaat="application/pdf",
        content=PDF), added_by="Zorgaanbieder De Linde")
    assert "/" not in document.bestandsnaam
    assert store.staff_zaak(zaaknummer).documenten[0].bestandsnaam == document.bestandsnaam


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
