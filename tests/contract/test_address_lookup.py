"""The contract of AddressLookup (app.eforms.addresses): postcode + huisnummer to the
address the forms fill in, run against every implementation (a BAG or PDOK connector adds
itself to IMPLEMENTATIONS with a fake of its API). The addresses are real ones in Elburg
and its neighbours, which the local register knows too."""

import pytest

from app.eforms.addresses import LocalAddressLookup

IMPLEMENTATIONS = [pytest.param(lambda app: LocalAddressLookup.from_file(
    app.config["ADDRESSES_PATH"]), id="local")]


@pytest.fixture(params=IMPLEMENTATIONS)
def lookup(request, app):
    return request.param(app)


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
