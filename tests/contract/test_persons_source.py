"""The PersonsSource port's contract, written once and run against every implementation
(app.ports PERSONS_SOURCE): what the pages notice. Each implementation comes with a
harness that gives the source on a test's data and can register an extra person there;
the demo personas (app/persons/personas.toml) are the data every source must give back.

The Haal Centraal connector's harness is a stateful fake BRP (tests/fakes/brp.py) holding
the same personas, checked against the official spec. A source the portal may not write
answers apply_correction with False and must then leave the person as they were; a source
that does not carry the address history and travel documents (the BRP Personen API: they
are other APIs) says so with None for both, never with an empty list.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from app.db import get_session
from app.persons.haalcentraal import HaalCentraalPersonsSource
from app.persons.models import Person
from app.persons.services import (
    Adres,
    DecidedCorrection,
    Geboorte,
    Naam,
    Persoon,
    PersoonBeperkt,
    Reisdocument,
    SqlPersonsSource,
    load_personas,
)
from app.remote import RemoteApi
from tests.fakes.brp import BrpFake

UNKNOWN = "999990500"  # passes the 11-proef, is no persona
PERSONAS = {persona["bsn"]: persona for persona in load_personas()}
FATIMA, JOHANNES, SANNE, PIOTR = PERSONAS


class LocalHarness:
    """PERSONS_SOURCE=local: the persons table, in the test's rolled-back transaction."""

    carries_history_and_documents = True

    def __init__(self, session) -> None:
        self.session = session
        self.source = SqlPersonsSource(session)

    def add(self, bsn: str, naam: Naam, geboortedatum: date, adres: Adres) -> None:
        self.session.add(Person(
            bsn=bsn, voornamen=naam.voornamen, voorvoegsel=naam.voorvoegsel,
            geslachtsnaam=naam.geslachtsnaam, geslacht="onbekend", geboortedatum=geboortedatum,
            geboorteplaats="Elburg", straat=adres.straat, huisnummer=adres.huisnummer,
            huisletter=adres.huisletter, huisnummertoevoeging=adres.huisnummertoevoeging,
            postcode=adres.postcode, woonplaats=adres.woonplaats,
            datum_aanvang_adreshouding=adres.datum_aanvang_adreshouding,
            nationaliteiten=["Nederlandse"]))
        self.session.flush()


class HaalCentraalHarness:
    """PERSONS_SOURCE=haalcentraal: a fake BRP holding the personas, spoken to through the
    connector as the portal would."""

    carries_history_and_documents = False
    API_KEY = "contract-test-key"

    def __init__(self, brp: BrpFake) -> None:
        self.brp = brp
        self.source = HaalCentraalPersonsSource(RemoteApi(
            "BRP", self.brp.url, timeout=5, headers=lambda: {"X-API-KEY": self.API_KEY}))

    def add(self, bsn: str, naam: Naam, geboortedatum: date, adres: Adres) -> None:
        self.brp.add({"bsn": bsn, "voornamen": naam.voornamen, "voorvoegsel": naam.voorvoegsel,
                      "geslachtsnaam": naam.geslachtsnaam, "geslacht": "onbekend",
                      "geboortedatum": geboortedatum, "geboorteplaats": "Elburg",
                      **{name: getattr(adres, name) for name in Adres.__dataclass_fields__},
                      "nationaliteiten": ["Nederlandse"]})

    def close(self) -> None:
        try:
            self.brp.assert_no_violations()
        finally:
            self.brp.reset()


@pytest.fixture(scope="module")
def brp():
    fake = BrpFake(load_personas(), api_key=HaalCentraalHarness.API_KEY).start()
    yield fake
    fake.stop()


HARNESSES = {"local": LocalHarness, "haalcentraal": HaalCentraalHarness}


@pytest.fixture(params=sorted(HARNESSES))
def harness(request, app, db_connection):
    with app.app_context():
        if request.param == "haalcentraal":
            harness = HaalCentraalHarness(request.getfixturevalue("brp"))
            yield harness
            harness.close()
        else:
            yield LocalHarness(get_session())


@pytest.fixture
def expected(harness):
    """The persona as the BRP's shape says it, from the personas file, as this source gives
    it."""
    def persona(bsn: str) -> Persoon:
        person = persona_as_brp(bsn)
        if harness.carries_history_and_documents:
            return person
        return dataclasses.replace(person, eerdere_verblijfplaatsen=None, reisdocumenten=None)
    return persona


def persona_as_brp(bsn: str) -> Persoon:
    p = PERSONAS[bsn]
    return Persoon(
        bsn=bsn, naam=Naam(p["voornamen"], p["voorvoegsel"], p["geslachtsnaam"]),
        geboorte=Geboorte(p["geboortedatum"], p["geboorteplaats"]),
        verblijfplaats=_adres(p),
        geheimhouding_persoonsgegevens=p.get("geheimhouding_persoonsgegevens", False),
        geslacht=p["geslacht"], nationaliteiten=tuple(p["nationaliteiten"]),
        eerdere_verblijfplaatsen=tuple(sorted(
            (_adres(address) for address in p.get("eerdere_verblijfplaatsen", ())),
            key=lambda address: address.datum_aanvang_adreshouding, reverse=True)),
        reisdocumenten=tuple(sorted(
            (Reisdocument(**document) for document in p.get("reisdocumenten", ())),
            key=lambda document: document.datum_einde_geldigheid, reverse=True)))


def _adres(fields: dict) -> Adres:
    return Adres(**{name: fields[name] for name in Adres.__dataclass_fields__})


def _beperkt(person: Persoon) -> PersoonBeperkt:
    return PersoonBeperkt(person.bsn, person.naam, person.geboorte, person.verblijfplaats,
                          person.geheimhouding_persoonsgegevens)


# --------------------------------------------------------------------------- by BSN


@pytest.mark.parametrize("bsn", PERSONAS)
def test_a_person_by_bsn_comes_in_the_brps_shape(harness, expected, bsn):
    assert harness.source.get_person(bsn) == expected(bsn)


def test_an_unknown_bsn_gives_none(harness):
    assert harness.source.get_person(UNKNOWN) is None


def test_several_nationalities_earlier_addresses_and_travel_documents_come_through(harness):
    fatima = harness.source.get_person(FATIMA)
    assert fatima.nationaliteiten == ("Nederlandse", "Marokkaanse")
    assert fatima.verblijfplaats.datum_aanvang_adreshouding == date(2016, 9, 1)
    piotr = harness.source.get_person(PIOTR)
    assert piotr.nationaliteiten == ("Poolse",)
    if not harness.carries_history_and_documents:  # not known here: None, not "none"
        assert (fatima.eerdere_verblijfplaatsen, fatima.reisdocumenten) == (None, None)
        return
    assert [a.woonplaats for a in fatima.eerdere_verblijfplaatsen] == ["Harderwijk", "Utrecht"]
    assert [(d.soort, d.datum_einde_geldigheid) for d in fatima.reisdocumenten] == [
        ("PN", date(2031, 5, 20)), ("NI", date(2029, 10, 2))]
    assert (piotr.eerdere_verblijfplaatsen, piotr.reisdocumenten) == ((), ())


def test_the_secrecy_flag_comes_through(harness):
    assert harness.source.get_person(SANNE).geheimhouding_persoonsgegevens
    assert not harness.source.get_person(FATIMA).geheimhouding_persoonsgegevens


# --------------------------------------------------------------------------- the KCC's searches


# From its start: the BRP matches part of a geslachtsnaam from three letters on.
@pytest.mark.parametrize("achternaam", ["Berg", "van den Berg", "VAN DEN BER", "berg "])
def test_by_surname_and_birth_date(harness, expected, achternaam):
    found = harness.source.find_by_name_and_birth_date(achternaam, date(1948, 11, 3), 20)
    assert found == [_beperkt(expected(JOHANNES))]


def test_by_surname_and_birth_date_needs_that_very_birth_date(harness):
    assert harness.source.find_by_name_and_birth_date("Berg", date(1948, 11, 4), 20) == []


def test_by_address(harness, expected):
    found = harness.source.find_by_address("8084 HC", 52, 20)
    assert found == [_beperkt(expected(SANNE))]
    assert found[0].geheimhouding_persoonsgegevens  # the search shows it too
    assert harness.source.find_by_address("8084 HC", 53, 20) == []


ELSEWHERE = Adres("Beekstraat", 99, "", "", "8081 EA", "Elburg", date(2020, 1, 1))
BORN = date(1970, 5, 5)
OTHERS = {"999990512": Naam("Piet", "", "Jansen"), "999990524": Naam("Anna", "", "Zeeman"),
          "999990536": Naam("Kees", "de", "Boer"), "999990548": Naam("Anna", "", "Jansen")}


@pytest.fixture
def housemates(harness):
    """Four people at one address, all born the same day."""
    for bsn, naam in OTHERS.items():
        harness.add(bsn, naam, BORN, ELSEWHERE)
    return harness


def names(found: list[PersoonBeperkt]) -> list[str]:
    return [person.full_name for person in found]


def test_the_address_search_sorts_by_surname_then_first_names_and_honours_limit(housemates):
    source = housemates.source
    everyone = ["Kees de Boer", "Anna Jansen", "Piet Jansen", "Anna Zeeman"]
    assert names(source.find_by_address("8081 EA", 99, 20)) == everyone
    assert names(source.find_by_address("8081 EA", 99, 2)) == everyone[:2]


def test_the_name_search_sorts_by_first_names_and_honours_limit(housemates):
    source = housemates.source
    assert names(source.find_by_name_and_birth_date("jansen", BORN, 20)) == [
        "Anna Jansen", "Piet Jansen"]
    assert names(source.find_by_name_and_birth_date("Jansen", BORN, 1)) == ["Anna Jansen"]


# --------------------------------------------------------------------------- corrections


def decision(bsn: str, veld: str, waarde: str) -> DecidedCorrection:
    return DecidedCorrection(zaak="ZAAK-2026-0000000001", bsn=bsn, veld=veld, waarde=waarde,
                             decided_by="medewerker bas", decided_at=datetime.now(UTC))


@pytest.mark.parametrize("veld, waarde, read", [
    ("geboorteplaats", "Zwolle", lambda p: p.geboorte.plaats == "Zwolle"),
    ("achternaam", "van der Berg", lambda p: p.naam.achternaam == "van der Berg"),
    ("nationaliteit", "Nederlandse", lambda p: p.nationaliteiten == ("Nederlandse",)),
    ("adres_sinds", "1-10-2016",
     lambda p: p.verblijfplaats.datum_aanvang_adreshouding == date(2016, 10, 1)),
])
def test_an_applied_correction_shows_in_the_next_read(harness, expected, veld, waarde, read):
    applied = harness.source.apply_correction(decision(FATIMA, veld, waarde))
    person = harness.source.get_person(FATIMA)
    if applied:
        assert read(person)
    else:  # a source the portal may not write: Burgerzaken corrects it from the zaak
        assert person == expected(FATIMA)


def test_a_correction_changes_no_one_else(harness, expected):
    harness.source.apply_correction(decision(FATIMA, "woonplaats", "Kampen"))
    assert harness.source.get_person(JOHANNES) == expected(JOHANNES)
