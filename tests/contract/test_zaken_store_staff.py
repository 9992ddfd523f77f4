"""The contract of StaffZaken (app.zaken.store): what the back office's staff would notice,
run against every implementation of the zaken store.

Each test sets up its zaken through the store's own writes, so the same test proves a
remote zaaksysteem too. The queue's assertions are about the test's own zaken (OWN): the
embedded store's queue is searched by a name no other zaak has; a ZGW zaaksysteem cannot
search by name and may hold other zaken (a shared Open Zaak), so there the test's zaken are
picked from a longer page, and totals count at least them.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.berichten.models import Message
from app.db import get_session
from app.texts import Text
from app.zaken.services import today
from app.zaken.sql import SqlZakenStore
from app.zaken.store import (
    OVERDUE_LEGAL,
    OVERDUE_TARGET,
    STATUS_ALL,
    STATUS_CLOSED,
    Gemachtigde,
    Initiator,
    NewDocument,
    QueueFilters,
)
from tests.backoffice_fixtures import FATIMA, JOHANNES, MISSING, PDF
from tests.openzaak_fixtures import (  # noqa: F401
    ZAKEN_STORES,
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
    remove_zaken,
)

TEST_RESIDENTS = (FATIMA, JOHANNES)  # their zaken in Open Zaak are removed before and after
NAME = "Contractia Proefmans"
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
        if not made.queue_searches_names:  # a zaaksysteem: the anonymous ones too
            remove_zaken(made.apis, OWN)


def open_zaak(store, zaaktype: str = "VERHUIZING", *, naam: str = NAME, bsn: str | None = FATIMA,
              days_ago: int = 0, **extra) -> str:
    zaaknummer = store.open_zaak(
        zaaktype=zaaktype, omschrijving=f"Contract {zaaktype.lower()}", registered_by="contract",
        initiator=Initiator(naam=naam, bsn=bsn, email="fatima@example.nl", telefoon="0612345678",
                            adres=ADRES),
        startdatum=today() - timedelta(days=days_ago), **extra).identificatie
    OWN.append(zaaknummer)
    return zaaknummer


def queue(store, *, teams=None, limit: int | None = None, offset: int = 0, **filters):
    if store.queue_searches_names:
        filters.setdefault("q", NAME)
    elif limit is None:
        limit = LONG_PAGE
    return store.work_queue(QueueFilters(**filters), teams=teams, today=today(),
                            limit=limit or 25, offset=offset)


def numbers(page) -> list[str]:
    """The test's own zaken on the page, in its order."""
    return [row.identificatie for row in page.rows if row.identificatie in OWN]


def counts(store, page, expected: int) -> bool:
    """The total is the test's own zaken: exactly where the queue could be narrowed to them,
    at least where other zaken may match too."""
    return page.total == expected if store.queue_searches_names else page.total >= expected


# --------------------------------------------------------------------------- the queue


def test_open_zaken_come_most_urgent_first_with_their_overdue_marks(store):
    # VERHUIZING: servicenorm P5D, doorlooptijd P4W.
    on_time = open_zaak(store)
    legal = open_zaak(store, days_ago=40)
    target = open_zaak(store, days_ago=8)
    page = queue(store)
    assert numbers(page) == [legal, target, on_time] and counts(store, page, 3)
    marks = {row.identificatie: (row.overdue, row.days_overdue) for row in page.rows
             if row.identificatie in OWN}
    assert marks == {legal: (OVERDUE_LEGAL, 12), target: (OVERDUE_TARGET, 3), on_time: (None, 0)}
    assert numbers(queue(store, overdue=OVERDUE_LEGAL)) == [legal]
    assert numbers(queue(store, overdue=OVERDUE_TARGET)) == [legal, target]


def test_a_queue_row_says_what_the_list_shows(store):
    zaaknummer = open_zaak(store, days_ago=2)
    store.set_status(zaaknummer, volgnummer=2, gezet_door="contract")
    [row] = [row for row in queue(store).rows if row.identificatie in OWN]
    assert (row.identificatie, row.zaaktype, row.naam, row.team) == (
        zaaknummer, Text("Verhuizing doorgeven", "Report a change of address"), NAME, "burgerzaken")
    assert row.status == Text("In behandeling", "Being processed")
    assert row.startdatum == today() - timedelta(days=2) and not row.is_closed
    assert row.uiterlijke_einddatum_afdoening > row.einddatum_gepland > row.startdatum


def test_filters_on_zaaktype_status_and_closed(store):
    received = open_zaak(store)
    in_progress = open_zaak(store)
    store.set_status(in_progress, volgnummer=2, gezet_door="contract")
    extract = open_zaak(store, "UITTREKSEL_BRP")
    closed = open_zaak(store)
    store.set_resultaat(closed, resultaattype="Verwerkt", gezet_door="contract")
    assert set(numbers(queue(store))) == {received, in_progress, extract}
    assert numbers(queue(store, zaaktype="UITTREKSEL_BRP")) == [extract]
    assert numbers(queue(store, status="In behandeling")) == [in_progress]
    only_closed = queue(store, status=STATUS_CLOSED)
    assert numbers(only_closed) == [closed]
    assert all(row.is_closed and row.overdue is None for row in only_closed.rows)
    assert set(numbers(queue(store, status=STATUS_ALL, zaaktype="VERHUIZING"))) == {
        received, in_progress, closed}


def test_closed_zaken_come_most_recently_closed_first(store):
    first, second = open_zaak(store), open_zaak(store)
    for zaaknummer in (first, second):
        store.set_resultaat(zaaknummer, resultaattype="Verwerkt", gezet_door="contract")
    rows = [row for row in queue(store, status=STATUS_CLOSED).rows if row.identificatie in OWN]
    assert {row.identificatie for row in rows} == {first, second}
    assert rows[0].einddatum >= rows[1].einddatum


def test_only_the_teams_in_scope_show(store):
    burgerzaken = open_zaak(store, "VERHUIZING")
    vergunningen = open_zaak(store, "PARKEERVERGUNNING")
    assert numbers(queue(store, teams=["vergunningen"])) == [vergunningen]
    assert set(numbers(queue(store, teams=None))) == {burgerzaken, vergunningen}
    # A team filter narrows within the scope, never widens it.
    assert numbers(queue(store, teams=["vergunningen"], team="burgerzaken")) == []
    assert numbers(queue(store, team="burgerzaken")) == [burgerzaken]
    store.route(burgerzaken, team="vergunningen", door="contract")
    assert set(numbers(queue(store, teams=["vergunningen"]))) == {burgerzaken, vergunningen}


def test_search_by_zaaknummer_its_last_digits_or_part_of_the_name(store):
    mine = open_zaak(store, naam="Johannes Contractus van den Berg", bsn=JOHANNES)
    other = open_zaak(store)
    assert numbers(queue(store, q=mine)) == [mine]
    assert numbers(queue(store, q=mine.lower())) == [mine]
    assert mine in numbers(queue(store, q=mine[-4:], status=STATUS_ALL, limit=1000))
    if not store.queue_searches_names:
        # The Zaken API has no filter on a name: nothing is found, rather than something
        # wrong, and the queue's page says to search by zaaknummer.
        assert queue(store, q="Contractus van den").rows == ()
        return
    assert numbers(queue(store, q="CONTRACTUS VAN den")) == [mine]
    assert set(numbers(queue(store, q="contract"))) >= {mine, other}
    assert numbers(queue(store, q="%%%")) == []          # LIKE wildcards are literal
    assert numbers(queue(store, q="Contract_a")) == []


def test_pages_and_the_total(store):
    opened = [open_zaak(store) for _ in range(5)]
    first = queue(store, limit=3)
    assert counts(store, first, 5) and len(first.rows) == 3
    seen, offset = [], 0
    while offset < first.total:
        page = queue(store, limit=3, offset=offset)
        assert page.total == first.total and 0 < len(page.rows) <= 3
        seen += numbers(page)
        offset += 3
    assert sorted(seen) == sorted(opened)          # each on one page, once
    past = queue(store, limit=3, offset=offset)
    assert past.rows == () and past.total == first.total
    assert queue(store, q="Niemand Heetzo").total == 0


def test_the_filters_choices(store):
    zaaktypen = {zaaktype.identificatie: zaaktype.omschrijving
                 for zaaktype in store.queue_zaaktypen()}
    assert zaaktypen["VERHUIZING"] == Text("Verhuizing doorgeven", "Report a change of address")
    names = [zaaktype.nl for zaaktype in zaaktypen.values()]
    assert names == sorted(names)
    statussen = store.queue_statussen()
    assert Text("In behandeling", "Being processed") in statussen
    dutch = [status.nl for status in statussen]
    assert len(dutch) == len(set(dutch))                # once each across zaaktypen
    assert dutch.index("Ontvangen") < dutch.index("In behandeling")


# --------------------------------------------------------------------------- one zaak


def test_a_zaak_with_everything_staff_see(store):
    zaaknummer = open_zaak(store, gemachtigde=Gemachtigde(naam="Johannes van den Berg",
                                                         bsn=JOHANNES),
                           aanvraaggegevens={"verhuisdatum": "2026-03-01"},
                           kenmerken={"bron": "contract"},
                           documents=(NewDocument(titel="aanvraag", bestandsnaam="aanvraag.pdf",
                                                  formaat="application/pdf", content=PDF),))
    store.set_status(zaaknummer, volgnummer=3, toelichting="Adres nagaan", gezet_door="bas")
    store.add_document(zaaknummer, NewDocument(
        titel="intern advies", bestandsnaam="advies.pdf", formaat="application/pdf",
        content=PDF, vertrouwelijkheidaanduiding="geheim"), added_by="bas")
    store.request_document(zaaknummer, omschrijving="Uw huurcontract", requested_by="bas")
    zaak = store.staff_zaak(zaaknummer)

    assert (zaak.identificatie, zaak.team, zaak.omschrijving) == (
        zaaknummer, "burgerzaken", "Contract verhuizing")
    assert zaak.aanvraaggegevens == {"verhuisdatum": "2026-03-01"}
    assert zaak.kenmerken == {"bron": "contract"} and zaak.registered_by == "contract"
    assert zaak.vertrouwelijkheidaanduiding == "zaakvertrouwelijk" and not zaak.is_closed
    assert zaak.zaaktype.identificatie == "VERHUIZING"
    assert [s.volgnummer for s in zaak.zaaktype.statustypen] == [1, 2, 3, 4]
    assert zaak.zaaktype.eindstatustype.volgnummer == 4
    assert zaak.zaaktype.resultaattype("Verwerkt").omschrijving == Text("Verwerkt", "Processed")
    assert [(s.statustype.volgnummer, s.statustoelichting)
            for s in zaak.statussen] == [(1, ""), (3, "Adres nagaan")]
    assert zaak.current_status.gezet_door == "bas"
    assert not zaak.current_status.statustype.zichtbaar_voor_inwoner
    assert (zaak.initiator.naam, zaak.initiator.email,
            zaak.initiator.telefoon, zaak.initiator.indicatie_machtiging) == (
        NAME, "fatima@example.nl", "0612345678", "machtiginggever")
    # A ZGW rol's verblijfsadres needs the BAG's id of the address, which the e-form does
    # not have: there staff find the address in the BRP.
    assert zaak.initiator.adres == (ADRES if isinstance(store, SqlZakenStore) else "")
    assert zaak.initiator_bsn == FATIMA
    assert zaak.gemachtigde.naam == "Johannes van den Berg"
    assert [(d.titel, d.vertrouwelijkheidaanduiding, d.bestandsomvang) for d in zaak.documenten] \
        == [("aanvraag", "zaakvertrouwelijk", len(PDF)), ("intern advies", "geheim", len(PDF))]
    [asked] = zaak.document_requests
    assert (asked.omschrijving, asked.requested_by, asked.fulfilled_at) == (
        "Uw huurcontract", "bas", None)
    assert zaak.resultaat is None
    assert FATIMA not in repr(zaak)                     # a BSN never reaches a log line


def test_a_missing_zaak_or_document_is_none(store):
    zaaknummer = open_zaak(store, documents=(NewDocument(
        titel="a", bestandsnaam="a.pdf", formaat="application/pdf", content=PDF),))
    other = open_zaak(store)
    document_id = store.staff_zaak(zaaknummer).documenten[0].id
    assert store.staff_zaak(MISSING) is None
    assert store.staff_document(MISSING, document_id) is None
    assert store.staff_document(other, document_id) is None   # not this zaak's
    assert store.staff_document(zaaknummer, "1" + document_id) is None
    assert store.staff_document(zaaknummer, "../" + document_id) is None


def test_a_document_of_any_level_with_its_bytes(store):
    zaaknummer = open_zaak(store, "PARKEERVERGUNNING")
    store.add_document(zaaknummer, NewDocument(
        titel="geheim", bestandsnaam="geheim.pdf", formaat="application/pdf", content=PDF,
        vertrouwelijkheidaanduiding="zeer_geheim"), added_by="vera")
    [document] = store.staff_zaak(zaaknummer).documenten
    found = store.staff_document(zaaknummer, document.id)
    assert (found.zaak_identificatie, found.team, found.initiator_bsn) == (
        zaaknummer, "vergunningen", FATIMA)
    assert (found.file.bestandsnaam, found.file.formaat, found.file.content) == (
        "geheim.pdf", "application/pdf", PDF)


def test_an_initiator_without_digid_has_no_bsn(store):
    zaaknummer = open_zaak(store, "MELDING_OPENBARE_RUIMTE", bsn=None)
    zaak = store.staff_zaak(zaaknummer)
    assert zaak.initiator.naam == NAME and zaak.initiator_bsn is None
    assert zaak.gemachtigde is None


def test_writes_show_in_the_next_read(store):
    zaaknummer = open_zaak(store)
    store.set_status(zaaknummer, volgnummer=2, toelichting="Bezig", gezet_door="bas")
    status = store.staff_zaak(zaaknummer).current_status
    assert (status.statustype.volgnummer, status.statustoelichting) == (2, "Bezig")
    store.route(zaaknummer, team="kcc", door="karin")
    assert store.staff_zaak(zaaknummer, for_update=True).team == "kcc"
    store.set_resultaat(zaaknummer, resultaattype="Verwerkt", toelichting="Klaar",
                        gezet_door="bas")
    zaak = store.staff_zaak(zaaknummer)
    assert zaak.is_closed and zaak.einddatum == today()
    assert (zaak.resultaat.resultaattype.omschrijving.nl, zaak.resultaat.toelichting,
            zaak.resultaat.gezet_door) == ("Verwerkt", "Klaar", "bas")
    assert zaak.current_status.statustype.is_eindstatus
    assert zaak.overdue_on(today() + timedelta(days=400)) == (None, 0)


def test_the_status_ids_tell_whether_the_zaak_moved_on(store):
    zaaknummer = open_zaak(store)
    before = store.staff_zaak(zaaknummer).current_status.id
    assert store.staff_zaak(zaaknummer).current_status.id == before
    store.set_status(zaaknummer, volgnummer=2, gezet_door="collega")
    assert store.staff_zaak(zaaknummer).current_status.id != before


def test_open_zaken_of_a_type_for_a_team_oldest_first(store):
    older = open_zaak(store, "CORRECTIEVERZOEK", days_ago=3)
    newer = open_zaak(store, "CORRECTIEVERZOEK")
    closed = open_zaak(store, "CORRECTIEVERZOEK")
    store.set_resultaat(closed, resultaattype="Afgewezen", gezet_door="contract")
    elsewhere = open_zaak(store, "CORRECTIEVERZOEK")
    store.route(elsewhere, team="kcc", door="contract")
    found = [zaak.identificatie for zaak in
             store.open_zaken_of_type("CORRECTIEVERZOEK", team="burgerzaken")]
    assert closed not in found and elsewhere not in found
    assert found.index(older) < found.index(newer)
    assert store.open_zaken_of_type("CORRECTIEVERZOEK", team="vergunningen") == []


# --------------------------------------------------------------------------- across zaken


def test_an_address_has_a_zaak_while_open_or_granted_recently(store):
    adres, a_year_ago = "Contractstraat 1, 8081 BP Elburg", today() - timedelta(days=365)

    def taken(closed_after=a_year_ago, at: str = adres) -> bool:
        return store.address_has_zaak("PARKEERVERGUNNING", adres=at, granted="Toegekend",
                                      closed_after=closed_after)

    assert not taken()
    zaaknummer = open_zaak(store, "PARKEERVERGUNNING", kenmerken={"adres": adres})
    assert taken() and not taken(at="Contractstraat 3, 8081 BP Elburg")
    assert not store.address_has_zaak("VERHUIZING", adres=adres, granted="Toegekend",
                                      closed_after=today())
    store.set_resultaat(zaaknummer, resultaattype="Toegekend", gezet_door="contract")
    assert taken() and not taken(closed_after=today())
    refused = "Contractstraat 5, 8081 BP Elburg"
    other = open_zaak(store, "PARKEERVERGUNNING", kenmerken={"adres": refused})
    store.set_resultaat(other, resultaattype="Afgewezen", gezet_door="contract")
    assert not taken(at=refused)


def test_a_document_staff_add_reaches_the_resident_once_if_they_may_see_it(store):
    zaaknummer = open_zaak(store)

    def added(titel: str, level: str | None = None) -> None:
        store.add_document(zaaknummer, NewDocument(
            titel=titel, bestandsnaam="besluit.pdf", formaat="application/pdf", content=PDF,
            vertrouwelijkheidaanduiding=level), added_by="bas")

    added("Besluit verhuizing")
    added("Intern advies", "geheim")  # above what the resident sees (zaakvertrouwelijk)
    told = get_session().scalars(select(Message).where(
        Message.bsn == FATIMA, Message.zaak_identificatie == zaaknummer)).all()
    assert [message.tekst.splitlines()[0] for message in told] == [
        f"Er is een nieuw document bij uw zaak {zaaknummer}: Besluit verhuizing"]
