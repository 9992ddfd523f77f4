"""The ZGW zaken store on a real Open Zaak, for the contract tests and the journeys.

Open Zaak (the reference ZGW zaaksysteem) runs beside the tests when TEST_OPEN_ZAAK_URL
names it: .ci/run builds and starts it from ../shared/peers/open-zaak (a few minutes).
Without it these tests are skipped with that reason; CI sets it, so there they run.

The portal's zaaktypen are published into a catalogus of its own once per run; each test
starts and ends with no zaken for the test residents, so counts mean what they say.

Use: ``from tests.openzaak_fixtures import open_zaak_store  # noqa: F401``
"""

from __future__ import annotations

import contextlib
import os

import pytest

from app.db import get_session
from app.notificaties import Notificatie, registry
from app.remote import RemoteApi, RemoteError
from app.zaken.catalogi import DEFAULT_ZAAKTYPEN_PATH, load_zaaktypen_file
from app.zaken.sql import SqlZakenStore
from app.zaken.zgw import ZgwZakenStore
from app.zaken.zgw.apis import ZgwApis
from app.zaken.zgw.cache import ResidentPageCache
from app.zaken.zgw.catalogue import CatalogueCache
from app.zaken.zgw.publish import publish_catalogue

OPEN_ZAAK = os.environ.get("TEST_OPEN_ZAAK_URL", "").rstrip("/")
SELECTIELIJST = os.environ.get("TEST_SELECTIELIJST_URL", "http://127.0.0.1:7090/api/v1")
CLIENT_ID = os.environ.get("TEST_OPEN_ZAAK_CLIENT_ID", "perf-client")
SECRET = os.environ.get("TEST_OPEN_ZAAK_SECRET", "perf-secret-0123456789-abcdefghijklmnopq")
RSIN = "002220647"
CATALOGUS_DOMEIN = "PRTAL"
MACHTIGEN_DIENST = "5628edbd-333e-460d-8a69-8f083b8cf1b8"  # the portal's DigiD Machtigen service

needs_open_zaak = pytest.mark.skipif(
    not OPEN_ZAAK, reason="no Open Zaak: set TEST_OPEN_ZAAK_URL (.ci/run does)")

# Every implementation of the zaken store, for a contract test's parametrised fixture: each
# gives a factory of stores on a Session (the zgw one needs Open Zaak and the module's
# TEST_RESIDENTS, see open_zaak_store).
ZAKEN_STORES = [pytest.param(lambda request: SqlZakenStore, id="local"),
                pytest.param(lambda request: request.getfixturevalue("open_zaak_store"),
                             id="zgw", marks=needs_open_zaak)]


def open_zaak_config() -> dict:
    return {"ZGW_ZAKEN_API_URL": f"{OPEN_ZAAK}/zaken/api/v1",
            "ZGW_CATALOGI_API_URL": f"{OPEN_ZAAK}/catalogi/api/v1",
            "ZGW_DOCUMENTEN_API_URL": f"{OPEN_ZAAK}/documenten/api/v1",
            "ZGW_BESLUITEN_API_URL": f"{OPEN_ZAAK}/besluiten/api/v1",
            "ZGW_CLIENT_ID": CLIENT_ID, "ZGW_SECRET": SECRET, "ZGW_RSIN": RSIN,
            "ZGW_CA_BUNDLE": "", "ZGW_TIMEOUT": 10.0, "ZGW_CONCURRENCY": 8,
            "ZGW_CATALOGUE_TTL": 3600}


@pytest.fixture(scope="session")
def open_zaak_catalogue() -> tuple[ZgwApis, str]:
    """The APIs, and the catalogus holding the portal's published zaaktypen."""
    if not OPEN_ZAAK:
        pytest.skip("no Open Zaak: set TEST_OPEN_ZAAK_URL (.ci/run does)")
    apis = ZgwApis.from_config(open_zaak_config())
    found = apis.catalogi.get("catalogussen", params={"domein": CATALOGUS_DOMEIN})["results"]
    catalogus = found[0] if found else apis.catalogi.post("catalogussen", {
        "domein": CATALOGUS_DOMEIN, "rsin": RSIN, "naam": "Portaal (tests)",
        "contactpersoonBeheerNaam": "Portaal"})
    publish_catalogue(apis.catalogi, catalogus_url=catalogus["url"], rsin=RSIN,
                      zaaktypen=load_zaaktypen_file(DEFAULT_ZAAKTYPEN_PATH),
                      selectielijst=RemoteApi("Selectielijst API", SELECTIELIJST))
    return apis, catalogus["url"]


def zaken_of(apis: ZgwApis, bsn: str) -> list[dict]:
    return apis.zaken.get("zaken", params={
        "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": bsn,
        "pageSize": 500})["results"]


def remove_zaken_of(apis: ZgwApis, bsns: tuple[str, ...]) -> None:
    for bsn in bsns:
        for zaak in zaken_of(apis, bsn):
            remove_besluiten_of(apis, zaak["url"])
            # Open Zaak may answer 500 to the delete of a zaak with documents and still
            # delete it: what counts is that none is left.
            with contextlib.suppress(RemoteError):
                apis.zaken.request("DELETE", zaak["url"])
        assert zaken_of(apis, bsn) == [], "Open Zaak kept a test resident's zaak"


def remove_besluiten_of(apis: ZgwApis, zaak_url: str) -> None:
    """Open Zaak keeps a zaak that has besluiten: they go first."""
    for besluit in apis.besluiten.get("besluiten", params={"zaak": zaak_url})["results"]:
        apis.besluiten.request("DELETE", besluit["url"])


def remove_zaken(apis: ZgwApis, identificaties: list[str]) -> None:
    """Remove these zaken (a test's anonymous ones, which no BSN finds)."""
    for identificatie in identificaties:
        for zaak in apis.zaken.get("zaken", params={"identificatie": identificatie})["results"]:
            remove_besluiten_of(apis, zaak["url"])
            with contextlib.suppress(RemoteError):
                apis.zaken.request("DELETE", zaak["url"])


@pytest.fixture
def open_zaak_app_store(app, db_connection, open_zaak_store, monkeypatch):
    """A ZGW store on Open Zaak, chosen as the app's (as the notificaties' handlers find
    it), in a request's context."""
    monkeypatch.setitem(app.extensions, "zaken_store", open_zaak_store)
    with app.test_request_context():
        yield open_zaak_store(get_session())


@pytest.fixture
def open_zaak_store(open_zaak_catalogue, request):
    """A factory of ZGW stores on Open Zaak, like the port's setup makes (a Session in)."""
    apis, catalogus_url = open_zaak_catalogue
    residents = getattr(request.module, "TEST_RESIDENTS", ())
    remove_zaken_of(apis, residents)
    catalogue = CatalogueCache(apis.catalogi, catalogus_url,
                               load_zaaktypen_file(DEFAULT_ZAAKTYPEN_PATH), ttl=3600)
    yield lambda session: ZgwZakenStore(
        apis, catalogue, rsin=RSIN, max_level="zaakvertrouwelijk", session=session,
        cache=ResidentPageCache(session, secret="test", seconds=300),
        machtigen_dienst=MACHTIGEN_DIENST)
    remove_zaken_of(apis, residents)


def deliver_notificatie(session, notificatie: Notificatie) -> None:
    """What the notificaties worker runs for it: every handler registered for it."""
    handlers = registry.handlers_for(notificatie)
    assert handlers
    for handler in handlers:
        handler(session, notificatie)
