"""The zaken API on the municipality's zaaksysteem (ZAKEN_STORE=zgw, a real Open Zaak): a chain
partner lists, reads and moves a zaak; the resident's disclosure log records it; a closed
zaak answers 409; the portal's own queries per request stay the same whatever the number of
zaken and statussen (the zaken themselves are the zaaksysteem's)."""

import pytest

from app.db import get_session
from app.zaken.store import Initiator
from tests.api_fixtures import api  # noqa: F401
from tests.openzaak_fixtures import (  # noqa: F401
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
    remove_zaken,
)
from tests.querycount import counted_queries

pytestmark = needs_open_zaak
RESIDENT = "999993136"  # a valid BSN that no persona and no other module has
TEST_RESIDENTS = (RESIDENT,)  # their zaken in Open Zaak are removed before and after
WMO = "HULPVRAAG_WMO"


@pytest.fixture
def zgw_api(app, api, open_zaak_store, monkeypatch):
    """The API on the ZGW store, and a way to open zaken there as the e-forms' worker does."""
    monkeypatch.setitem(app.extensions, "zaken_store", open_zaak_store)

    def open_wmo_zaak(bsn: str | None = RESIDENT) -> str:
        with app.test_request_context():
            return open_zaak_store(get_session()).open_zaak(
                zaaktype=WMO, omschrijving="Hulp bij het huishouden", registered_by="portaal",
                initiator=Initiator(naam="Contractia Apimans", bsn=bsn)).identificatie

    api.open_wmo_zaak = open_wmo_zaak
    api.partner(zaaktypen=(WMO,))
    return api


def queries(api, path: str) -> int:
    with counted_queries(api.app) as statements:
        assert api.get(path).status_code == 200
    return len(statements)


def test_a_partner_lists_reads_and_moves_a_zaak_and_the_resident_sees_who(zgw_api):
    api = zgw_api
    zaak = api.open_wmo_zaak()
    listed = api.get("/zaken?page=1").get_json()
    assert zaak in [z["identificatie"] for z in listed["results"]]
    read = api.get(f"/zaken/{zaak}").get_json()
    assert (read["zaaktype"], read["status"]["statustype"]["volgnummer"]) == (WMO, 1)
    assert [rol["omschrijvingGeneriek"] for rol in read["rollen"]] == ["initiator"]

    moved = api.post(f"/zaken/{zaak}/statussen", {"statustype": {"volgnummer": 2},
                                                  "statustoelichting": "Gesprek gepland"})
    assert moved.status_code == 201, moved.get_json()
    statussen = api.get(f"/zaken/{zaak}/statussen").get_json()
    assert [s["statustype"]["volgnummer"] for s in statussen] == [1, 2]
    closed = api.post(f"/zaken/{zaak}/resultaat", {"resultaattype": {"omschrijving": "Toegekend"}})
    assert closed.status_code == 201, closed.get_json()
    assert api.get(f"/zaken/{zaak}").get_json()["resultaat"]["resultaattype"][
        "omschrijving"] == "Toegekend"
    assert api.post(f"/zaken/{zaak}/statussen",
                    {"statustype": {"volgnummer": 2}}).status_code == 409
    assert RESIDENT not in api.get(f"/zaken/{zaak}").get_data(as_text=True)

    purposes = [d.purpose for d in api.disclosures(zaak)]
    assert purposes[:5] == ["Overzicht van zaken die de organisatie voor de gemeente uitvoert",
                            "Uw zaak bekijken om die uit te voeren",
                            "De status van uw zaak bijwerken",
                            "De voortgang van uw zaak bekijken",
                            "Het resultaat van uw zaak vastleggen"]
    assert all(d.recipient == api.partner_naam for d in api.disclosures(zaak))


def test_a_zaak_outside_the_scope_answers_404(zgw_api):
    api = zgw_api
    with api.app.test_request_context():
        store = api.app.extensions["zaken_store"](get_session())
        verhuizing = store.open_zaak(zaaktype="VERHUIZING", omschrijving="Verhuizing",
                                     registered_by="portaal",
                                     initiator=Initiator(naam="C", bsn=RESIDENT)).identificatie
    assert api.get(f"/zaken/{verhuizing}").status_code == 404
    assert api.post(f"/zaken/{verhuizing}/statussen",
                    {"statustype": {"volgnummer": 2}}).status_code == 404
    assert api.disclosures(verhuizing) == []


def test_reads_run_a_fixed_number_of_queries(zgw_api):
    api = zgw_api
    quiet = api.open_wmo_zaak()
    before = {"zaak": queries(api, f"/zaken/{quiet}"),
              "statussen": queries(api, f"/zaken/{quiet}/statussen"),
              "list": queries(api, "/zaken")}
    busy = api.open_wmo_zaak()
    for volgnummer in (2, 3, 2, 3):
        assert api.post(f"/zaken/{busy}/statussen",
                        {"statustype": {"volgnummer": volgnummer}}).status_code == 201
    for _ in range(3):
        api.open_wmo_zaak()
    after = {"zaak": queries(api, f"/zaken/{busy}"),
             "statussen": queries(api, f"/zaken/{busy}/statussen"),
             "list": queries(api, "/zaken")}
    assert before == after, (before, after)
