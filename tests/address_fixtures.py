"""The BAG fakes for the address lookup's tests: each fake runs on a loopback port for one
test, serves the addresses of the local register's data file, and fails the test at
teardown when the portal's calls or its own answers broke the official spec."""

import pytest

from app.eforms.addresses_bag import CREDENTIAL_SETTINGS, BagAddressLookup
from app.eforms.addresses_pdok import PdokAddressLookup
from app.ports import ADDRESS_LOOKUP
from app.remote import RemoteApi
from tests.fakes.bag import BagFake
from tests.fakes.pdok import PdokFake

MUNICIPALITY_CODE = "0230"  # Elburg, as in TestConfig
TIMEOUT = 2.0


@pytest.fixture
def pdok_fake(app):
    fake = PdokFake(app.config["ADDRESSES_PATH"]).start()
    yield fake
    fake.stop()
    fake.server.assert_no_violations()


@pytest.fixture
def bag_fake(app):
    fake = BagFake(app.config["ADDRESSES_PATH"]).start()
    yield fake
    fake.stop()
    fake.server.assert_no_violations()


def pdok_lookup_for(fake: PdokFake, timeout: float = TIMEOUT) -> PdokAddressLookup:
    return PdokAddressLookup(RemoteApi("PDOK Locatieserver", fake.base_url, timeout=timeout),
                             MUNICIPALITY_CODE)


def bag_lookup_for(fake: BagFake, key: str | None = None,
                   timeout: float = TIMEOUT) -> BagAddressLookup:
    key = fake.api_key if key is None else key
    return BagAddressLookup(RemoteApi("BAG API", fake.base_url, timeout=timeout,
                                      headers=lambda: {"X-Api-Key": key},
                                      credentials=CREDENTIAL_SETTINGS), MUNICIPALITY_CODE)


@pytest.fixture
def pdok_lookup(pdok_fake):
    return pdok_lookup_for(pdok_fake)


@pytest.fixture
def bag_lookup(bag_fake):
    return bag_lookup_for(bag_fake)


@pytest.fixture
def address_lookup_in_app(app):
    """Put a lookup in the app for one test (app.ports: tests may), then the old one back."""
    before = app.extensions[ADDRESS_LOOKUP.key]

    def use(lookup):
        app.extensions[ADDRESS_LOOKUP.key] = lookup
        return lookup

    yield use
    app.extensions[ADDRESS_LOOKUP.key] = before
