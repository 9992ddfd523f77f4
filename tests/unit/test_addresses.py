"""The local address lookup: postcode + huisnummer -> street and woonplaats."""

import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.eforms.addresses import (
    DEFAULT_PATH,
    AddressDataError,
    LocalAddressLookup,
    get_address_lookup,
)
from app.persons.services import PERSONAS_PATH


@pytest.fixture(scope="module")
def lookup() -> LocalAddressLookup:
    return LocalAddressLookup.from_file(DEFAULT_PATH)


def test_an_address_is_found_in_any_postcode_spelling(lookup):
    for postcode in ("8081 BP", "8081bp", " 8081 bp "):
        address = lookup.lookup(postcode, 14)
        assert address.straat == "Vischpoortstraat"
        assert address.woonplaats == "Elburg"
        assert address.postcode == "8081 BP"
        assert address.in_municipality
    assert lookup.lookup("8081 BP", "14").one_line == "Vischpoortstraat 14, 8081 BP Elburg"


def test_every_persona_lives_at_a_known_address(lookup):
    personas = tomllib.loads(PERSONAS_PATH.read_text(encoding="utf-8"))["persona"]
    for persona in personas:
        address = lookup.lookup(persona["postcode"], persona["huisnummer"], persona["huisletter"],
                                persona["huisnummertoevoeging"])
        assert address is not None, persona["bsn"]
        assert (address.straat, address.woonplaats) == (persona["straat"], persona["woonplaats"])
        assert address.in_municipality


def test_all_three_places_of_the_municipality_are_there(lookup):
    assert lookup.lookup("8081 CR", 3).woonplaats == "Elburg"
    assert lookup.lookup("8084 HC", 50).woonplaats == "'t Harde"
    assert lookup.lookup("8085 AE", 231).woonplaats == "Doornspijk"


def test_odd_and_even_numbers_have_their_own_postcode(lookup):
    assert lookup.lookup("8081 BP", 15) is None
    assert lookup.lookup("8081 BR", 15).straat == "Vischpoortstraat"


@pytest.mark.parametrize("postcode, number", [
    ("8081 BP", 500),     # beyond the range
    ("9999 ZZ", 1),       # unknown postcode
    ("8081 BP", 0),
    ("8081 BP", "14a"),   # the letter goes in its own field
    ("8081 BP", ""),
    ("", 14),
    ("0000 AA", -1),
])
def test_not_found(lookup, postcode, number):
    assert lookup.lookup(postcode, number) is None


def test_huisletter_and_toevoeging(lookup):
    address = lookup.lookup("8081 CR", 7, "A")
    assert (address.straat, address.huisletter) == ("Jufferenstraat", "a")
    assert address.house_number_text == "7a"
    address = lookup.lookup("8084 HC", 52, toevoeging="2")
    assert address.one_line == "Eperweg 52-2, 8084 HC 't Harde"
    assert lookup.lookup("8081 CR", 7, "c") is None            # no 7c
    assert lookup.lookup("8081 CR", 9, "a") is None            # 9 has no letters
    assert lookup.lookup("8084 HC", 52, toevoeging="9") is None
    assert lookup.lookup("8081 CR", 7).huisletter == ""        # plain 7 exists too


def test_addresses_outside_the_municipality_are_found_and_flagged(lookup):
    harderwijk = lookup.lookup("3841 CN", 10)
    assert (harderwijk.woonplaats, harderwijk.in_municipality) == ("Harderwijk", False)
    zwolle = lookup.lookup("8011 RH", 1)
    assert (zwolle.woonplaats, zwolle.in_municipality) == ("Zwolle", False)


def test_the_lookup_is_loaded_once_per_app(app):
    with app.app_context():
        first = get_address_lookup()
        assert get_address_lookup() is first
        assert first.lookup("8081 BP", 14) is not None


@pytest.mark.parametrize("data, problem", [
    ({"streets": []}, "woonplaatsen"),
    ({"municipality": {"woonplaatsen": ["Elburg"]},
      "streets": [{"straat": "A", "woonplaats": "Elburg",
                   "numbers": [{"postcode": "8081bp", "from": 1, "to": 3}]}]}, "not like"),
    ({"municipality": {"woonplaatsen": ["Elburg"]},
      "streets": [{"straat": "A", "woonplaats": "Elburg",
                   "numbers": [{"postcode": "8081 BP", "from": 1, "to": 9, "parity": "even"}]}]}, "parity"),
    ({"municipality": {"woonplaatsen": ["Elburg"]},
      "streets": [{"straat": "A", "woonplaats": "Elburg",
                   "numbers": [{"postcode": "8081 BP", "from": 1, "to": 9}]},
                  {"straat": "B", "woonplaats": "Elburg",
                   "numbers": [{"postcode": "8081 BP", "from": 9, "to": 12}]}]}, "two streets"),
    ({"municipality": {"woonplaatsen": ["Elburg"]},
      "streets": [{"straat": "A", "woonplaats": "Elburg"}]}, "missing"),
    ({"municipality": {"woonplaatsen": ["Elburg"]},
      "streets": [{"straat": "A", "woonplaats": "Elburg",
                   "numbers": [{"postcode": "8081 BP", "from": 1, "to": 9, "additions": ["7"]}]}]},
     "addition"),
])
def test_a_wrong_data_file_names_the_problem(data, problem):
    with pytest.raises(AddressDataError, match=problem):
        LocalAddressLookup(data)


@given(postcode=st.text(max_size=12), number=st.one_of(st.integers(), st.text(max_size=8)),
       letter=st.text(max_size=3), addition=st.text(max_size=5))
def test_any_input_gives_an_address_or_none(lookup, postcode, number, letter, addition):
    result = lookup.lookup(postcode, number, letter, addition)
    assert result is None or result.in_municipality in (True, False)
