"""What only a remote zaaksysteem can do to a page: fail for one zaak, or not be configured;
or give a deleted zaak's number to a new one."""

import contextlib
from datetime import datetime

import pytest

from app import create_app
from app.auth.loa import Loa
from app.db import get_session
from app.ports import PortConfigurationError
from app.remote import RemoteError, RemoteUnavailable
from app.zaken.store import CallbackAttempt, Gemachtigde, Initiator, ZakenStore
from app.zaken.zgw import ZgwConfigurationError, ZgwZakenStore
from tests.openzaak_fixtures import (  # noqa: F401
    MACHTIGEN_DIENST,
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
)

RESIDENT = "999993033"
REPRESENTATIVE = "999993057"
TEST_RESIDENTS = (RESIDENT, REPRESENTATIVE)
SMARTCARD = "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"
MOBILE = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"


@needs_open_zaak
def test_one_zaak_the_zaaksysteem_cannot_give_leaves_the_list_standing(
        app, db_connection, open_zaak_store, monkeypatch):
    with app.test_request_context():
        store = open_zaak_store(get_session())
        numbers = [store.open_zaak(zaaktype="VERHUIZING", omschrijving=f"Verhuizing {n}",
                                   registered_by="test",
                                   initiator=Initiator(naam="Rosa", bsn=RESIDENT)).identificatie
                   for n in range(2)]
        read_status = store.apis.statussen.get
        first_status = store._zaak(numbers[0])["status"]

        def status_failing_for_the_first(url):
            if url == first_status:
                raise RemoteUnavailable("Zaken API", "GET /statussen timed out")
            return read_status(url)

        monkeypatch.setattr(store.apis.statussen, "get", status_failing_for_the_first)
        page = store.resident_zaken(RESIDENT, closed=False, limit=10)

    by_number = {zaak.identificatie: zaak for zaak in page.zaken}
    assert set(by_number) == set(numbers)
    assert by_number[numbers[0]].status_unavailable and by_number[numbers[0]].status is None
    assert by_number[numbers[1]].status.omschrijving.get("nl") == "Ontvangen"


def _rollen(store, zaaknummer: str) -> dict[str, dict]:
    zaak = store._zaak(zaaknummer)
    rollen = store.apis.zaken.get("rollen", params={"zaak": zaak["url"]})["results"]
    return {rol["omschrijvingGeneriek"]: rol for rol in rollen}


@needs_open_zaak
def test_the_zaak_records_how_the_resident_logged_in(app, db_connection, open_zaak_store):
    with app.test_request_context():
        store = open_zaak_store(get_session())
        zaaknummer = store.open_zaak(
            zaaktype="VERHUIZING", omschrijving="Verhuizing", registered_by="test",
            initiator=Initiator(naam="Rosa", bsn=RESIDENT, loa=Loa.SUBSTANTIEEL)).identificatie
        initiator = _rollen(store, zaaknummer)["initiator"]
    assert initiator["authenticatieContext"] == {"source": "digid",
                                                 "levelOfAssurance": SMARTCARD}


@needs_open_zaak
def test_a_gemachtigde_is_recorded_with_the_mandate_they_acted_under(
        app, db_connection, open_zaak_store):
    with app.test_request_context():
        store = open_zaak_store(get_session())
        zaaknummer = store.open_zaak(
            zaaktype="VERHUIZING", omschrijving="Verhuizing", registered_by="test",
            initiator=Initiator(naam="Rosa", bsn=RESIDENT),
            gemachtigde=Gemachtigde(naam="Ruud", bsn=REPRESENTATIVE, loa=Loa.MIDDEN)
        ).identificatie
        rollen = _rollen(store, zaaknummer)
    initiator, gemachtigde = rollen["initiator"], rollen["belanghebbende"]
    assert (initiator["indicatieMachtiging"], initiator["authenticatieContext"]) == (
        "machtiginggever", None)  # the resident did not log in: their gemachtigde did
    assert gemachtigde["indicatieMachtiging"] == "gemachtigde"
    assert gemachtigde["betrokkeneIdentificatie"]["inpBsn"] == REPRESENTATIVE
    assert gemachtigde["authenticatieContext"] == {
        "source": "digid", "levelOfAssurance": MOBILE,
        "representee": {"identifierType": "bsn", "identifier": RESIDENT},
        "mandate": {"services": [{"id": MACHTIGEN_DIENST}]}}


@needs_open_zaak
def test_a_new_zaak_with_a_deleted_zaaks_number_has_none_of_its_callback_attempts(
        app, db_connection, open_zaak_store):
    with app.test_request_context():
        store = open_zaak_store(get_session())

        def callback(identificatie: str | None = None) -> str:
            return store.open_zaak(
                zaaktype="TERUGBELVERZOEK", omschrijving="Terugbelverzoek", registered_by="test",
                initiator=Initiator(naam="Rosa", bsn=RESIDENT), identificatie=identificatie,
                aanvraaggegevens={"vraag": "Is mijn paspoort klaar?"}).identificatie

        zaaknummer = callback()
        store.record_callback_attempt(zaaknummer, CallbackAttempt(
            moment=datetime(2026, 3, 2, 9, 15), door="medewerker karin", notitie="Geen gehoor."))
        assert len(store.staff_zaak(zaaknummer).callback_attempts) == 1
        with contextlib.suppress(RemoteError):  # Open Zaak may answer 500 and still delete it
            store.apis.zaken.request("DELETE", store._zaak(zaaknummer)["url"])
        assert callback(zaaknummer) == zaaknummer
        assert store.staff_zaak(zaaknummer).callback_attempts == ()


def test_the_zgw_store_without_its_settings_stops_the_app_at_start(app):
    settings = {**app.config, "ZAKEN_STORE": "zgw", "ZGW_ZAKEN_API_URL": ""}
    with pytest.raises((ZgwConfigurationError, PortConfigurationError), match="ZGW_ZAKEN_API_URL"):
        create_app(type("ZgwConfig", (), settings))


def test_the_zgw_store_offers_the_whole_port():
    """Every page, the back office and the API work on either store: nothing of the port is
    left for later on the ZGW store."""
    port = {name for name in dir(ZakenStore) if not name.startswith("_")}
    port |= set(ZakenStore.__annotations__) | {
        name for base in ZakenStore.__mro__ for name in getattr(base, "__annotations__", {})}
    assert port - set(dir(ZgwZakenStore)) == set()
