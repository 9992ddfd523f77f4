"""The BAG connectors (ADDRESS_LOOKUP=pdok and bag) beyond the contract: outages and
refusals become AddressLookupUnavailable, the log holds no postcode or house number, the
gemeente of a woonplaats is asked once, and a missing setting stops the app at start."""

import logging

import pytest

from app import create_app
from app.config import TestConfig
from app.eforms.addresses import AddressLookupUnavailable
from app.eforms.addresses_bag import BagAddressLookup
from app.eforms.addresses_pdok import PdokAddressLookup
from app.ports import PortConfigurationError
from tests.address_fixtures import (  # noqa: F401
    bag_fake,
    bag_lookup,
    bag_lookup_for,
    pdok_fake,
    pdok_lookup,
    pdok_lookup_for,
)

LOOKUPS = ["pdok_lookup", "bag_lookup"]
OPERATION = {"pdok_lookup": ("pdok_fake", "/free"), "bag_lookup": ("bag_fake", "/adressen")}


def fake_of(request, name):
    fake_name, operation = OPERATION[name]
    return request.getfixturevalue(fake_name), operation


@pytest.mark.parametrize("name", LOOKUPS)
def test_a_server_error_is_an_outage_and_the_log_has_no_address(request, name, caplog):
    lookup = request.getfixturevalue(name)
    fake, operation = fake_of(request, name)
    fake.server.fail("GET", operation, status=503)
    with caplog.at_level(logging.DEBUG), pytest.raises(AddressLookupUnavailable):
        lookup.lookup("8081 BP", 14)
    ours = "\n".join(record.getMessage() for record in caplog.records
                     if record.name.startswith("app."))
    assert "503" in ours
    assert "8081" not in ours and "14" not in ours.replace("503", "")
    assert lookup.lookup("8081 BP", 14).straat == "Vischpoortstraat"  # back again


@pytest.mark.parametrize("name", ["pdok", "bag"])
def test_a_slow_register_is_an_outage_after_the_timeout(request, name):
    fake = request.getfixturevalue(f"{name}_fake")
    operation = OPERATION[f"{name}_lookup"][1]
    lookup = (pdok_lookup_for if name == "pdok" else bag_lookup_for)(fake, timeout=0.2)
    fake.server.fail("GET", operation, status=None, delay=0.6)
    with pytest.raises(AddressLookupUnavailable):
        lookup.lookup("8081 BP", 14)


def test_pdok_is_asked_with_filter_queries_and_only_the_fields_used(pdok_lookup, pdok_fake):
    pdok_lookup.lookup("8081 cr", 7, "a")
    (call,) = pdok_fake.server.calls("GET", "/free")
    assert call.args.getlist("fq") == ["type:adres", "postcode:8081CR", "huisnummer:7"]
    assert "gemeentecode" in call.args["fl"].split(",")


def test_bag_asks_for_the_exact_address_with_the_key(bag_lookup, bag_fake):
    bag_lookup.lookup("8084 HC", 52, "", "2")
    (call,) = bag_fake.server.calls("GET", "/adressen")
    assert dict(call.args) == {"postcode": "8084HC", "huisnummer": "52",
                               "huisnummertoevoeging": "2", "exacteMatch": "true"}
    assert call.headers["X-Api-Key"] == bag_fake.api_key


def test_bag_asks_the_gemeente_of_a_woonplaats_once(bag_lookup, bag_fake):
    assert bag_lookup.lookup("8081 BP", 14).in_municipality
    assert bag_lookup.lookup("8081 CR", 7, "a").in_municipality
    assert not bag_lookup.lookup("3841 CN", 10).in_municipality
    assert len(bag_fake.server.calls("GET", "/bronhouders")) == 2  # Elburg, Harderwijk


def test_a_refused_bag_key_is_an_outage_for_the_resident_and_an_error_in_the_log(
        bag_fake, caplog):
    lookup = bag_lookup_for(bag_fake, key="wrong")
    with caplog.at_level(logging.ERROR), pytest.raises(AddressLookupUnavailable):
        lookup.lookup("8081 BP", 14)
    ours = "\n".join(record.getMessage() for record in caplog.records
                     if record.name.startswith("app."))
    assert "BAG_API_KEY" in ours and "wrong" not in ours and "8081" not in ours


def config(**settings):
    return type("Config", (TestConfig,), settings)


def test_bag_without_a_key_stops_the_app_at_start():
    with pytest.raises(PortConfigurationError, match="BAG_API_KEY"):
        create_app(config(ADDRESS_LOOKUP="bag", BAG_API_KEY=""))


@pytest.mark.parametrize("code", ["", "230", "GM0230", "Elburg"])
def test_a_wrong_municipality_code_stops_the_app_at_start(code):
    with pytest.raises(PortConfigurationError, match="MUNICIPALITY_CODE"):
        create_app(config(ADDRESS_LOOKUP="pdok", MUNICIPALITY_CODE=code))


def test_the_settings_choose_the_connector_and_its_address():
    pdok = create_app(config(ADDRESS_LOOKUP="pdok")).extensions["address_lookup"]
    assert isinstance(pdok, PdokAddressLookup)
    assert pdok.api.base_url == "https://api.pdok.nl/bzk/locatieserver/search/v3_1/"
    bag = create_app(config(ADDRESS_LOOKUP="BAG", BAG_API_KEY="k", ADDRESS_LOOKUP_TIMEOUT=3.0,
                            MUNICIPALITY_CODE="0243")).extensions["address_lookup"]
    assert isinstance(bag, BagAddressLookup)
    assert (bag.api.timeout, bag.municipality_code) == (3.0, "0243")
