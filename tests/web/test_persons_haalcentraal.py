"""PERSONS_SOURCE=haalcentraal through the test client, against the spec-checked fake BRP:
starting without a URL, the API key, what is asked in `fields`, geheimhouding, and what
residents and staff see while the BRP is down or refuses the portal's key."""

from __future__ import annotations

import logging

import pytest

from app import create_app
from app.auth.loa import Loa
from app.auth.services import resident_from_claims
from app.config import TestConfig
from app.persons.haalcentraal import (
    CREDENTIAL_SETTINGS,
    LIMITED_FIELDS,
    PERSON_FIELDS,
    SEARCH_FIELDS,
    HaalCentraalPersonsSource,
)
from app.persons.services import load_personas
from app.ports import PERSONS_SOURCE, PortConfigurationError
from app.remote import RemoteApi, RemoteCredentialsRefused, RemoteUnavailable
from tests.eforms_fixtures import start_form
from tests.fakes.brp import AUTOMATIC, BrpFake
from tests.kcc_fixtures import post_form
from tests.login import login_as
from tests.personas import FATIMA, SANNE
from tests.web.digid import login as digid_login
from tests.web.staff import login_staff

KEY = "web-test-key"
GEGEVENS = "/mijn-omgeving/gegevens"
CANNOT_SHOW = "We cannot show your data right now"
STAFF_CANNOT_SHOW = "This data cannot be shown right now"


@pytest.fixture(scope="module")
def fake_brp():
    fake = BrpFake(load_personas(), api_key=KEY).start()
    yield fake
    fake.stop()


@pytest.fixture
def brp(fake_brp):
    """The fake BRP, fresh for the test; the spec held at teardown."""
    fake_brp.reset()
    yield fake_brp
    try:
        fake_brp.assert_no_violations()
    finally:
        fake_brp.reset()


def connector(brp: BrpFake, key: str = KEY, timeout: float = 2.0) -> HaalCentraalPersonsSource:
    return HaalCentraalPersonsSource(RemoteApi("BRP", brp.url, timeout=timeout,
                                               headers=lambda: {"X-API-KEY": key},
                                               credentials=CREDENTIAL_SETTINGS))


@pytest.fixture
def on_brp(app, db_connection, brp, monkeypatch):
    """The app reads persons from the fake BRP."""
    monkeypatch.setitem(app.extensions, PERSONS_SOURCE.key, connector(brp, timeout=0.5))
    return brp


def english(client):
    client.set_cookie("lang", "en")
    return client


# --------------------------------------------------------------------------- settings


def test_without_a_brp_url_the_app_stops_at_start_and_says_which_setting():
    config = type("Config", (TestConfig,), {"PERSONS_SOURCE": "haalcentraal", "BRP_API_URL": ""})
    with pytest.raises(PortConfigurationError, match="BRP_API_URL"):
        create_app(config)


def test_with_its_settings_the_source_calls_the_brp_with_the_api_key(brp):
    config = type("Config", (TestConfig,), {"PERSONS_SOURCE": "haalcentraal",
                                            "BRP_API_URL": brp.url, "BRP_API_KEY": KEY})
    app = create_app(config)
    source = app.extensions[PERSONS_SOURCE.key]
    assert isinstance(source, HaalCentraalPersonsSource)
    assert source.get_person(FATIMA).naam.geslachtsnaam == "El Amrani"
    [call] = brp.server.calls("POST", "/personen")
    assert call.headers["X-API-KEY"] == KEY


def test_a_wrong_key_is_a_clear_error_in_the_log_without_the_bsn(brp, caplog):
    with caplog.at_level(logging.ERROR), pytest.raises(RemoteCredentialsRefused) as refused:
        connector(brp, key="wrong").get_person(FATIMA)
    assert refused.value.status == 401 and "BRP_API_KEY" in str(refused.value)
    assert "BRP_API_KEY" in caplog.text and FATIMA not in caplog.text


def test_a_wrong_key_shows_residents_the_not_now_page(client, app, brp, monkeypatch):
    login_as(english(client), FATIMA)
    monkeypatch.setitem(app.extensions, PERSONS_SOURCE.key, connector(brp, key="wrong"))
    answer = client.get(GEGEVENS)
    assert answer.status_code == 503 and CANNOT_SHOW in answer.get_data(as_text=True)


# --------------------------------------------------------------------------- fields


def test_a_person_is_asked_for_the_fields_mijn_gegevens_shows_and_no_more(brp):
    connector(brp).get_person(FATIMA)
    [body] = brp.bodies()
    assert body == {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [FATIMA],
                    "fields": list(PERSON_FIELDS)}
    assert not set(body["fields"]) & AUTOMATIC  # the BRP answers 400 to those


def test_a_search_asks_for_names_then_reads_only_the_people_shown(brp):
    for bsn, voornamen in (("999990512", "Piet"), ("999990524", "Anna"),
                           ("999990536", "Kees")):
        brp.add({**load_personas()[0], "bsn": bsn, "voornamen": voornamen,
                 "geslachtsnaam": "Jansen", "postcode": "8081 EA", "huisnummer": 99})
    found = connector(brp).find_by_address("8081 EA", 99, 2)
    assert [person.naam.voornamen for person in found] == ["Anna", "Kees"]
    search, read = brp.bodies()
    assert search == {"type": "ZoekMetPostcodeEnHuisnummer", "postcode": "8081EA",
                      "huisnummer": 99, "fields": list(SEARCH_FIELDS)}
    assert read == {"type": "RaadpleegMetBurgerservicenummer",
                    "burgerservicenummer": ["999990524", "999990536"],
                    "fields": list(LIMITED_FIELDS)}
    assert not {"geslacht", "nationaliteiten"} & set(read["fields"])


def test_a_surname_search_sends_the_voorvoegsel_apart_and_a_wildcard_from_three_letters(brp):
    source = connector(brp)
    source.find_by_name_and_birth_date("van den Ber", load_personas()[1]["geboortedatum"], 20)
    source.find_by_name_and_birth_date("Os", load_personas()[1]["geboortedatum"], 20)
    wildcard, short = (body for body in brp.bodies() if body["type"].startswith("Zoek"))
    assert (wildcard["voorvoegsel"], wildcard["geslachtsnaam"]) == ("van den", "Ber*")
    assert short["geslachtsnaam"] == "Os" and "voorvoegsel" not in short


# --------------------------------------------------------------------------- the pages


def test_mijn_gegevens_from_the_brp_leaves_out_what_the_brp_api_does_not_give(client, on_brp):
    page = login_as(english(client), FATIMA).get(GEGEVENS).get_data(as_text=True)
    assert "Vischpoortstraat" in page and "8081 BP" in page and "Marokkaanse" in page
    assert "Travel documents" not in page          # not in the Personen API: not "none"
    assert "We have no Dutch passport" not in page


def test_geheimhouding_from_the_brp_shows_to_the_resident_and_to_staff(client, on_brp):
    page = login_as(english(client), SANNE).get(GEGEVENS).get_data(as_text=True)
    assert "Yes: we do not give your data to organisations outside the government" in page
    staff = english(client)
    login_staff(staff, "karin")
    found = post_form(staff, "/backoffice/inwoners", {
        "zoekwijze": "adres", "adres-postcode": "8084 HC", "adres-huisnummer": "52"},
        prefix="adres").get_data(as_text=True)
    assert "Sanne de Vries" in found and "Secrecy of personal data (geheimhouding)" in found


@pytest.mark.parametrize("fault", [{"status": 503}, {"status": None, "delay": 1.0}],
                         ids=["server error", "too slow"])
def test_while_the_brp_is_down_mijn_gegevens_says_so_and_the_rest_works(client, on_brp, fault):
    login_as(english(client), FATIMA)
    on_brp.fail(**fault)
    answer = client.get(GEGEVENS)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert "<h1" in html and CANNOT_SHOW in html and "Vischpoortstraat" not in html
    assert client.get("/mijn-omgeving/zaken").status_code == 200
    assert client.get("/").status_code == 200


def test_while_the_brp_is_down_a_form_with_prefill_says_so(client, on_brp):
    login_as(english(client), FATIMA)
    first_step = start_form(client, "verhuizing")
    on_brp.fail()
    step = client.get(first_step)
    assert step.status_code == 503 and CANNOT_SHOW in step.get_data(as_text=True)
    assert client.get(first_step).status_code == 200  # back once the BRP is


def test_while_the_brp_is_down_the_kcc_search_says_so_in_the_back_office(client, on_brp):
    login_staff(english(client), "karin")
    on_brp.fail()
    answer = post_form(client, "/backoffice/inwoners", {
        "zoekwijze": "adres", "adres-postcode": "8081 BP", "adres-huisnummer": "14"},
        prefix="adres")
    assert answer.status_code == 503 and STAFF_CANNOT_SHOW in answer.get_data(as_text=True)


def test_while_the_brp_is_down_residents_still_log_in(client, on_brp):
    on_brp.fail()
    digid_login(client, FATIMA)
    assert client.get("/mijn-omgeving/zaken").status_code == 200


def test_the_login_takes_the_name_from_the_id_token_while_the_brp_is_down():
    class Down:
        def get_person(self, bsn):
            raise RemoteUnavailable("BRP", "down")

    resident = resident_from_claims({"acr": "midden", "bsn": FATIMA,
                                     "name": "F. El Amrani"}, "bsn", Loa.BASIS, Down())
    assert resident.display_name == "F. El Amrani"
