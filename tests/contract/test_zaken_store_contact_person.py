"""The contract of a zaak's contact person (ContactPerson in app.zaken.store): the employee
the resident deals with, as the resident's pages, the back office and the KCC read it, run
against every implementation of the zaken store.

A ZGW zaaksysteem keeps the contact person as a rol behandelaar of a medewerker; where the
zaaktype has no roltype behandelaar, the portal keeps its own record (last test).
"""

from dataclasses import replace

import pytest

from app.db import get_session
from app.remote import RemoteUnavailable
from app.zaken.store import ContactPerson, Initiator, UnknownZaak, ZaakTransitionError
from tests.backoffice_fixtures import MISSING
from tests.openzaak_fixtures import (  # noqa: F401
    ZAKEN_STORES,
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
)

BSN = "999990925"  # nobody else's (a valid BSN no persona has)
TEST_RESIDENTS = (BSN,)  # their zaken in Open Zaak are removed before and after
SARA = ContactPerson(medewerker="sara", naam="Sara Smit", team="sociaal-domein",
                     telefoon="0525 688 120", email="sara.smit@elburg.example")
BAS = ContactPerson(medewerker="bas", naam="Bas Bakker", team="burgerzaken",
                    telefoon="0525 688 130", email="bas.bakker@elburg.example")


@pytest.fixture(params=ZAKEN_STORES)
def store(request, app, db_connection):
    """The implementation on the test's transaction, in a request of the app."""
    implementation = request.param(request)
    with app.test_request_context():
        yield implementation(get_session())


def open_zaak(store, zaaktype: str = "HULPVRAAG_WMO") -> str:
    return store.open_zaak(zaaktype=zaaktype, omschrijving="Contract hulpvraag",
                           registered_by="contract",
                           initiator=Initiator(naam="Contractia Regiemans", bsn=BSN)).identificatie


def shown_everywhere(store, zaaknummer: str) -> list[ContactPerson | None]:
    """The contact person as each page reads it: Mijn zaken, the zaak's page, the back
    office's zaak page and the KCC's contact overview."""
    [listed] = [z for z in store.resident_zaken(BSN, closed=False, limit=10).zaken
                if z.identificatie == zaaknummer]
    page = store.resident_zaak(BSN, zaaknummer, max_level="zaakvertrouwelijk")
    [contact] = [z for z in store.resident_contact_zaken(BSN, limit=10)
                 if z.identificatie == zaaknummer]
    return [listed.contact_person, page.summary.contact_person,
            store.staff_zaak(zaaknummer).contact_person, contact.contact_person]


def test_a_zaak_has_no_contact_person_until_staff_name_one(store):
    zaaknummer = open_zaak(store)
    assert shown_everywhere(store, zaaknummer) == [None] * 4
    store.set_contact_person(zaaknummer, SARA, door="medewerker sara")
    assert shown_everywhere(store, zaaknummer) == [SARA] * 4


def test_a_new_contact_person_replaces_the_one_before_on_every_page_at_once(store):
    zaaknummer = open_zaak(store)
    store.set_contact_person(zaaknummer, SARA, door="medewerker sara")
    assert shown_everywhere(store, zaaknummer) == [SARA] * 4   # a ZGW store keeps these pages
    store.set_contact_person(zaaknummer, BAS, door="medewerker sara")
    assert shown_everywhere(store, zaaknummer) == [BAS] * 4


def test_the_contact_person_is_no_person_of_the_zaak(store):
    """The employee is not among the zaak's persons (the initiator, a gemachtigde), which
    staff and chain partners read as the resident's."""
    zaaknummer = open_zaak(store)
    store.set_contact_person(zaaknummer, SARA, door="medewerker sara")
    zaak = store.staff_zaak(zaaknummer)
    assert [rol.omschrijving_generiek for rol in zaak.rollen] == ["initiator"]
    partner = store.partner_zaak(["HULPVRAAG_WMO"], zaaknummer)
    assert [rol.omschrijving_generiek for rol in partner.rollen] == ["initiator"]


def test_the_contact_person_acting_on_the_zaak_stays_its_contact_person(store):
    zaaknummer = open_zaak(store)
    store.set_contact_person(zaaknummer, SARA, door="medewerker sara")
    store.set_status(zaaknummer, volgnummer=2, gezet_door="medewerker sara")
    store.set_contact_person(zaaknummer, BAS, door="medewerker sara")
    zaak = store.staff_zaak(zaaknummer)
    assert zaak.contact_person == BAS
    assert zaak.current_status.gezet_door == "medewerker sara"


def test_a_closed_or_missing_zaak_gets_none(store):
    zaaknummer = open_zaak(store)
    store.set_resultaat(zaaknummer, resultaattype=store.staff_zaak(zaaknummer)
                        .zaaktype.resultaattypen[0].omschrijving.nl, gezet_door="sara")
    with pytest.raises(ZaakTransitionError):
        store.set_contact_person(zaaknummer, SARA, door="medewerker sara")
    with pytest.raises(UnknownZaak):
        store.set_contact_person(MISSING, SARA, door="medewerker sara")


@needs_open_zaak
def test_without_a_roltype_behandelaar_the_portal_keeps_the_contact_person(
        app, db_connection, open_zaak_store, monkeypatch):
    with app.test_request_context():
        store = open_zaak_store(get_session())
        zaaknummer = open_zaak(store)
        zaaktype_at = store.catalogue.zaaktype
        monkeypatch.setattr(store.catalogue, "zaaktype", lambda url: replace(
            zaaktype_at(url), behandelaar_roltype=None))
        store.set_contact_person(zaaknummer, SARA, door="medewerker sara")
        assert shown_everywhere(store, zaaknummer) == [SARA] * 4
        store.set_contact_person(zaaknummer, BAS, door="medewerker sara")
        assert shown_everywhere(store, zaaknummer) == [BAS] * 4
        rollen = store._rollen_of(store._zaak(zaaknummer)["url"])
        assert all(rol["betrokkeneType"] != "medewerker" for rol in rollen)


@needs_open_zaak
def test_a_contact_person_the_zaaksysteem_cannot_give_leaves_the_list_standing(
        app, db_connection, open_zaak_store, monkeypatch):
    with app.test_request_context():
        store = open_zaak_store(get_session())
        zaaknummer = open_zaak(store)
        store.set_contact_person(zaaknummer, SARA, door="medewerker sara")

        def unavailable(zaak_url):
            raise RemoteUnavailable("Zaken API", "GET /rollen timed out")

        with monkeypatch.context() as patch:
            patch.setattr(store, "_contact_rollen", unavailable)
            [zaak] = store.resident_zaken(BSN, closed=False, limit=10).zaken
        assert (zaak.identificatie, zaak.contact_person) == (zaaknummer, None)
        assert zaak.status.omschrijving.nl == "Ontvangen"
        # Not kept so: the next read asks again.
        [zaak] = store.resident_zaken(BSN, closed=False, limit=10).zaken
        assert zaak.contact_person == SARA
