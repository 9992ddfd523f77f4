"""The zaken store records an online payment with the zaak: the ZGW Zaak's
betalingsindicatie and laatsteBetaaldatum (the embedded store's columns of those names), and
the provider's transaction as the kenmerk "betaling" that staff see on the zaak's page."""

from datetime import datetime

import pytest

from app.db import get_session
from app.zaken.models import Zaak
from app.zaken.store import Betaling, Initiator
from app.zaken.zgw import ZgwZakenStore
from tests.openzaak_fixtures import (  # noqa: F401
    ZAKEN_STORES,
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
)

RESIDENT = "999993148"  # a valid BSN that no persona and no other module has
TEST_RESIDENTS = (RESIDENT,)
PAID = Betaling(indicatie="geheel", betaaldatum=datetime(2026, 12, 6, 9, 30, 5),
                transactie="tr_contract1")


@pytest.fixture(params=ZAKEN_STORES)
def store(request, app, db_connection):
    implementation = request.param(request)
    with app.test_request_context():
        yield implementation(get_session())


def _open(store, betaling: Betaling | None) -> str:
    return store.open_zaak(
        zaaktype="UITTREKSEL_BRP", omschrijving="Contract uittreksel", registered_by="contract",
        initiator=Initiator(naam="Rosa Contract", bsn=RESIDENT),
        kenmerken={"soort": "brp"}, betaling=betaling).identificatie


def test_staff_see_the_transaction_a_zaak_was_paid_with(store):
    paid = store.staff_zaak(_open(store, PAID))
    assert paid.kenmerken["betaling"] == "tr_contract1" and paid.kenmerken["soort"] == "brp"
    unpaid = store.staff_zaak(_open(store, None))
    assert "betaling" not in unpaid.kenmerken


def test_the_embedded_zaak_has_the_betalingsindicatie(app, db_connection):
    from app.zaken.sql import SqlZakenStore

    with app.test_request_context():
        session = get_session()
        identificatie = _open(SqlZakenStore(session), PAID)
        zaak = session.query(Zaak).filter_by(identificatie=identificatie).one()
    assert (zaak.betalingsindicatie, zaak.laatste_betaaldatum) == ("geheel", PAID.betaaldatum)


@needs_open_zaak
def test_the_zgw_zaak_has_the_betalingsindicatie(app, db_connection, open_zaak_store):
    with app.test_request_context():
        store: ZgwZakenStore = open_zaak_store(get_session())
        zaak = store._zaak(_open(store, PAID))
    assert zaak["betalingsindicatie"] == "geheel"
    assert zaak["laatsteBetaaldatum"].startswith("2026-12-06T09:30:05")


def test_the_resident_sees_what_the_zaak_was_paid_with(store):
    identificatie = _open(store, PAID)
    for _read in ("fresh", "again (ZGW: from the page cache)"):
        paid = store.resident_zaak(RESIDENT, identificatie, max_level="zaakvertrouwelijk")
        assert paid.betaling == PAID
    unpaid = store.resident_zaak(RESIDENT, _open(store, None), max_level="zaakvertrouwelijk")
    assert unpaid.betaling is None
