"""The contract of the zaken store for legal terms and related zaken (app.zaken.terms): a
document request suspends the term, the answer to it resumes it and moves its end, an
extension moves it once with a reason, and an objection names the zaak it is about. Run
against every implementation: ZGW keeps these in the Zaak's opschorting, verlenging and
relevanteAndereZaken."""

from datetime import timedelta

import pytest

from app.db import get_session
from app.zaken.durations import add_duration
from app.zaken.services import today
from app.zaken.signals import status_set
from app.zaken.store import (
    OVERDUE_LEGAL,
    OVERDUE_TARGET,
    Initiator,
    QueueFilters,
    RelevanteZaak,
    UnknownZaak,
    ZaakTransitionError,
)
from app.zaken.terms import TermError, duration_days
from tests.factories import PDF
from tests.openzaak_fixtures import (  # noqa: F401
    ZAKEN_STORES,
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
)

RESIDENT = "999993033"   # valid BSNs that no persona has
NEIGHBOUR = "999993045"
TEST_RESIDENTS = (RESIDENT, NEIGHBOUR)
MAX_LEVEL = "zaakvertrouwelijk"


@pytest.fixture(params=ZAKEN_STORES)
def store(request, app, db_connection):
    implementation = request.param(request)
    with app.test_request_context():
        yield implementation(get_session())


def open_zaak(store, zaaktype: str = "BEZWAAR", *, bsn: str = RESIDENT, days_ago: int = 0,
              **extra) -> str:
    return store.open_zaak(
        zaaktype=zaaktype, omschrijving=f"Contract {zaaktype.lower()}", registered_by="contract",
        initiator=Initiator(naam="Rosa Termijn", bsn=bsn, email="rosa@example.nl"),
        startdatum=today() - timedelta(days=days_ago), **extra).identificatie


def page(store, zaaknummer: str, bsn: str = RESIDENT):
    return store.resident_zaak(bsn, zaaknummer, max_level=MAX_LEVEL)


def test_a_document_request_suspends_the_term_until_the_answer(store):
    # Past its legal end (P12W = 84 days): overdue, until the municipality asks for a document.
    zaaknummer = open_zaak(store, days_ago=90)
    end = page(store, zaaknummer).summary.uiterlijke_einddatum_afdoening
    assert page(store, zaaknummer).summary.overdue_on(today())[0] == OVERDUE_LEGAL

    store.request_document(zaaknummer, omschrijving="Een kopie van het besluit",
                           requested_by="contract")
    store.request_document(zaaknummer, omschrijving="Uw machtiging", requested_by="contract")
    suspended = page(store, zaaknummer)
    assert suspended.summary.opgeschort
    assert suspended.summary.overdue_on(today()) == (None, 0)
    assert "Een kopie van het besluit" in suspended.terms.opschorting_reden
    staff = store.staff_zaak(zaaknummer)
    assert staff.opgeschort and staff.overdue_on(today()) == (None, 0)

    first, second = (r.id for r in store.open_document_requests(RESIDENT))
    assert store.answer_document_request(RESIDENT, zaaknummer, first, bestandsnaam="a.pdf",
                                         formaat="application/pdf", content=PDF, added_by="r")
    assert page(store, zaaknummer).summary.opgeschort  # one request still open
    assert store.answer_document_request(RESIDENT, zaaknummer, second, bestandsnaam="b.pdf",
                                         formaat="application/pdf", content=PDF, added_by="r")
    resumed = page(store, zaaknummer)
    assert not resumed.summary.opgeschort and resumed.terms.opschorting_reden == ""
    # Asked and answered today: no whole day stood still, so the end stays.
    assert resumed.summary.uiterlijke_einddatum_afdoening == end
    assert resumed.summary.overdue_on(today())[0] == OVERDUE_LEGAL


def test_the_term_is_extended_once_by_at_most_the_zaaktypes_term_with_a_reason(store):
    zaaknummer = open_zaak(store)
    end = page(store, zaaknummer).summary.uiterlijke_einddatum_afdoening
    with pytest.raises(TermError):
        store.extend_term(zaaknummer, duur="P7W", reden="Te lang", door="contract")

    new_end = store.extend_term(zaaknummer, duur="P6W", reden="De commissie vergadert later.",
                                door="contract")
    assert new_end == add_duration(end, "P6W")
    extended = page(store, zaaknummer)
    assert extended.summary.uiterlijke_einddatum_afdoening == new_end
    # Open Zaak writes the duration in days ("P42D").
    assert duration_days(extended.terms.verlenging_duur, start=end) == 42
    assert extended.terms.verlenging_reden == "De commissie vergadert later."
    assert store.staff_zaak(zaaknummer).terms.extended

    with pytest.raises(TermError):
        store.extend_term(zaaknummer, duur="P1W", reden="Nog eens", door="contract")


def test_a_zaaktype_without_extension_and_a_closed_zaak_refuse_one(store):
    terugbellen = open_zaak(store, "TERUGBELVERZOEK")
    with pytest.raises(TermError):
        store.extend_term(terugbellen, duur="P1W", reden="Druk", door="contract")
    closed = open_zaak(store)
    store.set_resultaat(closed, resultaattype="Ingetrokken", gezet_door="contract")
    with pytest.raises(ZaakTransitionError):
        store.extend_term(closed, duur="P1W", reden="Te laat", door="contract")
    with pytest.raises(UnknownZaak):
        store.extend_term("ZAAK-1999-0000000001", duur="P1W", reden="?", door="contract")


def test_an_objection_names_the_decided_zaak_it_is_about(store):
    decided = open_zaak(store, "PARKEERVERGUNNING", days_ago=20)
    store.set_resultaat(decided, resultaattype="Afgewezen", gezet_door="contract")
    objection = open_zaak(store, relevante_andere_zaken=(RelevanteZaak(decided),))

    assert page(store, objection).relevante_andere_zaken == (RelevanteZaak(decided, "onderwerp"),)
    assert store.staff_zaak(objection).relevante_andere_zaken == (RelevanteZaak(decided),)
    closed = store.resident_zaken(RESIDENT, closed=True, limit=10).zaken
    assert [(z.identificatie, z.zaaktype_identificatie) for z in closed] == [
        (decided, "PARKEERVERGUNNING")]
    with pytest.raises(UnknownZaak):
        open_zaak(store, relevante_andere_zaken=(RelevanteZaak("ZAAK-1999-0000000001"),))


def test_the_days_the_term_stood_still_move_its_end(store, monkeypatch):
    zaaknummer = open_zaak(store)
    end = page(store, zaaknummer).summary.uiterlijke_einddatum_afdoening
    store.request_document(zaaknummer, omschrijving="Een kopie", requested_by="contract")
    # The resident answers ten days later: the term stood still for the nine in between.
    ten_days_on(monkeypatch)
    (request_,) = store.open_document_requests(RESIDENT)
    store.answer_document_request(RESIDENT, zaaknummer, request_.id, bestandsnaam="a.pdf",
                                  formaat="application/pdf", content=PDF, added_by="r")
    assert page(store, zaaknummer).summary.uiterlijke_einddatum_afdoening == \
        end + timedelta(days=9)


def test_a_suspended_zaak_is_not_on_the_work_queues_overdue_pages(store):
    # Both past their legal end; the municipality asked for a document on one: its term
    # stands still, so staff do not see it among the overdue zaken.
    suspended, running = open_zaak(store, days_ago=90), open_zaak(store, days_ago=90)
    store.request_document(suspended, omschrijving="Uw machtiging", requested_by="contract")

    def overdue_page(overdue: str, zaaknummer: str) -> tuple[list[str], int]:
        found = store.work_queue(QueueFilters(overdue=overdue, q=zaaknummer), teams=None,
                                 today=today(), limit=25)
        return [row.identificatie for row in found.rows], found.total

    assert overdue_page(OVERDUE_LEGAL, running) == ([running], 1)
    for overdue in (OVERDUE_LEGAL, OVERDUE_TARGET):
        assert overdue_page(overdue, suspended) == ([], 0)
    # Still in the queue of open zaken, marked as on hold rather than overdue.
    [row] = store.work_queue(QueueFilters(q=suspended), teams=None, today=today(), limit=25).rows
    assert row.opgeschort and row.overdue_on(today()) == (None, 0)


def ten_days_on(monkeypatch) -> None:
    later = today() + timedelta(days=10)
    for module in ("app.zaken.services", "app.zaken.zgw.terms"):
        monkeypatch.setattr(f"{module}.today", lambda: later)


def closing_change(store, zaaknummer: str, resultaattype: str):
    """The StatusChange that closing the zaak with this result announces."""
    changes = []

    def listen(change, **_extra):
        changes.append(change)

    status_set.connect(listen)
    try:
        store.set_resultaat(zaaknummer, resultaattype=resultaattype, gezet_door="contract")
    finally:
        status_set.disconnect(listen)
    (closing,) = changes
    assert closing.is_eindstatus
    return closing


def test_the_eindstatus_tells_the_legal_end_the_term_moved_to(store):
    """What the contact ledger counts a decision in time by (app.contacts)."""
    zaaknummer = open_zaak(store, days_ago=90)  # past the end it opened with (P12W)
    moved_to = store.extend_term(zaaknummer, duur="P6W", reden="Advies", door="contract")
    assert closing_change(store, zaaknummer, "Ongegrond").uiterlijke_einddatum_afdoening == \
        moved_to


def test_a_zaak_closed_while_suspended_tells_the_end_with_the_days_it_stood_still(
        store, monkeypatch):
    """The decision ends the wait for documents: the dashboard measures it against an end
    moved by the days the term stood still up to the closing day."""
    zaaknummer = open_zaak(store)
    end = page(store, zaaknummer).summary.uiterlijke_einddatum_afdoening
    store.request_document(zaaknummer, omschrijving="Een kopie", requested_by="contract")
    # Decided ten days later without the documents: the term stood still for nine days.
    ten_days_on(monkeypatch)
    assert closing_change(store, zaaknummer, "Ingetrokken").uiterlijke_einddatum_afdoening == \
        end + timedelta(days=9)
