"""Beheer of zaaktypen when the zaaksysteem keeps them (ZAKEN_STORE=zgw): the beheerder sees
each zaaktype's norms and status texts and is told to change them in the zaaksysteem's own
catalogue beheer; nothing here changes them (app.zaken.zgw.beheer says why).

Run on the real Open Zaak, and without it on the embedded store told that its catalogi are
not the portal's to change, which is all the pages ask of a store."""

import pytest

from app.db import get_session
from tests.backoffice_fixtures import ZaaksysteemCatalogi
from tests.kcc_fixtures import post_form
from tests.login import login_as
from tests.openzaak_fixtures import needs_open_zaak, open_zaak_catalogue, open_zaak_store  # noqa: F401
from tests.personas import BEA

TEST_RESIDENTS = ()  # no zaken are opened here
LIST = "/backoffice/beheer/zaaktypen"
VERHUIZING = f"{LIST}/VERHUIZING"


@pytest.fixture(params=[pytest.param("local", id="local"),
                        pytest.param("zgw", id="zgw", marks=needs_open_zaak)])
def store(request, app, db_connection, monkeypatch):
    """The store whose catalogi the zaaksysteem keeps, as the app's zaken store."""
    factory = (ZaaksysteemCatalogi if request.param == "local"
               else request.getfixturevalue("open_zaak_store"))
    monkeypatch.setitem(app.extensions, "zaken_store", factory)
    with app.test_request_context():
        yield factory(get_session())


def page(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.get_data(as_text=True)


def test_the_zaaktypen_are_shown_with_where_to_change_them(client, store):
    login_as(client, BEA)
    client.set_cookie("lang", "en")
    listed = page(client, LIST)
    assert "Change case types in the case system" in listed
    assert f'href="{VERHUIZING}"' in listed and "Periods are in ISO 8601" not in listed

    shown = page(client, VERHUIZING)
    assert "Change case types in the case system" in shown and "content/zaaktypen.toml" in shown
    assert "<form" not in shown.split("</header>", 1)[1]  # nothing to fill in
    # As the catalogue gives them: Open Zaak says P28D for the P4W it was given.
    verhuizing = store.beheer_zaaktype("VERHUIZING")
    assert verhuizing.doorlooptijd in shown and verhuizing.servicenorm in shown
    assert "Wij hebben uw verhuizing ontvangen." in shown     # the zaaksysteem's (Dutch)
    assert "We have received your move." in shown             # the portal's own (English)
    assert "(internal step)" in shown


def test_a_posted_change_saves_nothing_and_says_so(client, store):
    login_as(client, BEA)
    client.set_cookie("lang", "en")
    before = store.beheer_zaaktype("VERHUIZING")
    answer = post_form(client, VERHUIZING, {"doorlooptijd": "P6W", "servicenorm": "P1W"},
                       page_path=LIST)
    assert answer.status_code == 409
    shown = answer.get_data(as_text=True)
    assert "Nothing was saved" in shown and "<title>Error:" in shown
    assert store.beheer_zaaktype("VERHUIZING") == before
