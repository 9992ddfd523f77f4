"""The contract of AddressLookup (app.eforms.addresses): postcode + huisnummer to the
address the forms fill in, run against every implementation: the local register, and the
BAG through PDOK's Locatieserver and through the BAG API, each against a spec-checked fake
(tests/fakes/) serving the local register's data file. The addresses are real streets in
Elburg and its neighbours."""

import pytest

from app.eforms.addresses import LocalAddressLookup
from tests.address_fixtures import bag_fake, bag_lookup, pdok_fake, pdok_lookup  # noqa: F401

IMPLEMENTATIONS = [
    pytest.param(lambda request: LocalAddressLookup.from_file(
        request.getfixturevalue("app").config["ADDRESSES_PATH"]), id="local"),
    pytest.param(lambda request: request.getfixturevalue("pdok_lookup"), id="pdok"),
    pytest.param(lambda request: request.getfixturevalue("bag_lookup"), id="bag"),
]


@pytest.fixture(params=IMPLEMENTATIONS)
def lookup(request):
    return request.param(request)


def test_an_address_in_the_municipality_whatever_the_postcodes_spelling(lookup):
    for postcode in ("8081 BP", "8081bp", " 8081 bp "):
        address = lookup.lookup(postcode, 14)
        assert (address.straat, address.postcode, address.woonplaats) == (
            "Vischpoortstraat", "8081 BP", "Elburg")
        assert address.in_municipality
    assert lookup.lookup("8081 BP", "14").one_line == "Vischpoortstraat 14, 8081 BP Elburg"


def test_a_huisletter_or_toevoeging_must_exist(lookup):
    assert lookup.lookup("8081 CR", 7, "a").house_number_text == "7a"
    assert lookup.lookup("8081 CR", 7, "c") is None


def test_an_address_outside_the_municipality_is_found_and_says_so(lookup):
    address = lookup.lookup("3841 CN", 10)
    assert (address.woonplaats, address.in_municipality) == ("Harderwijk", False)


def test_no_address_for_what_does_not_exist(lookup):
    assert lookup.lookup("8081 BP", 99999) is None
    assert lookup.lookup("0000 AA", 1) is None


def test_a_letter_is_matched_whatever_its_case_and_a_bare_number_is_not_its_letters(lookup):
    assert lookup.lookup("8081 CR", 7, "A").house_number_text == "7a"
    assert lookup.lookup("8081 CR", 7).house_number_text == "7"
    assert lookup.lookup("8084 HC", 52, "", "2").one_line == "Eperweg 52-2, 8084 HC 't Harde"
    assert lookup.lookup("8084 HC", 52, "", "-2").house_number_text == "52-2"


def test_what_no_register_can_hold_is_not_found(lookup):
    assert lookup.lookup("8081 CR", 7, "ab") is None
    assert lookup.lookup("8081 CR", 7, "", "12345") is None
    assert lookup.lookup("8081 BP", 0) is None
    assert lookup.lookup("8081 BP", "14a") is None
    assert lookup.lookup("", 14) is None
