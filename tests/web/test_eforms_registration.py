"""ZAKEN_STORE=zgw: a submitted e-form becomes a zaak in a real Open Zaak through the worker,
in resumable steps; nothing remote happens in the request.

The resident is a test BSN no other module uses (Open Zaak is shared by the modules), with
a persona's BRP data. Fault injection on the Zaken API goes through a spec-checked proxy
(tests/fakes/spec_server.py) in front of Open Zaak: every exchange is checked against the
official spec, and a call can be answered with a 500 or delayed past the client's timeout
(while Open Zaak still gets it, as after a connection dropped on the way back).
"""

from __future__ import annotations

import dataclasses
import io
import re
import time
from datetime import timedelta

import pytest
import requests
from pypdf import PdfReader
from sqlalchemy import func, select

import tests.login
from app.auth.loa import SAML_CLASS, parse_loa
from app.db import get_session, utcnow
from app.eforms import registrations
from app.eforms.definitions import get_definition
from app.eforms.models import FormDraft, FormRegistration
from app.eforms.registrations import CLAIM_LEASE, document_identificatie, register_due
from app.eforms.services import Applicant, UploadArea, submit_draft
from app.notifications.delivery import deliver_due
from app.zaken.catalogi import DEFAULT_ZAAKTYPEN_PATH, load_zaaktypen_file
from app.zaken.zgw import ZgwZakenStore
from app.zaken.zgw.apis import ZgwApis
from app.zaken.zgw.cache import ResidentPageCache
from app.zaken.zgw.catalogue import CatalogueCache
from tests.eforms_fixtures import (
    form_csrf,
    form_rate_limit,  # noqa: F401
    post_page,
)
from tests.fakes.spec_server import Reply, SpecCheckedServer
from tests.login import login_as
from tests.notifications_fixtures import smtp_server, smtp_settings_for  # noqa: F401
from tests.openzaak_fixtures import (  # noqa: F401
    OPEN_ZAAK,
    RSIN,
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_config,
    open_zaak_store,
    zaken_of,
)
from tests.personas import FATIMA
from tests.web.test_eforms import walk_melding

RESIDENT = "999993045"  # valid BSNs no persona and no other module has
TEST_RESIDENTS = (RESIDENT,)
REFERENCE = re.compile(r"AANVR-\d{4}-\d{5,}")

pytestmark = needs_open_zaak


class ResidentLikeFatima:
    """The persons source, with RESIDENT a person too (Fatima's data under that BSN)."""

    def __init__(self, real) -> None:
        self.real = real

    def _source(self):
        return self.real(get_session()) if isinstance(self.real, type) else self.real

    def get_person(self, bsn: str):
        if bsn == RESIDENT:
            return dataclasses.replace(self._source().get_person(FATIMA), bsn=RESIDENT)
        return self._source().get_person(bsn)

    def __getattr__(self, name: str):
        return getattr(self._source(), name)


@pytest.fixture
def zgw(app, monkeypatch, open_zaak_store, form_rate_limit):
    """The app on Open Zaak, and RESIDENT able to log in."""
    monkeypatch.setitem(app.extensions, "zaken_store", open_zaak_store)
    monkeypatch.setitem(app.extensions, "persons_source",
                        ResidentLikeFatima(app.extensions["persons_source"]))
    monkeypatch.setitem(tests.login._LEVELS, RESIDENT, tests.login._LEVELS[FATIMA])
    return open_zaak_store


def _submit(client) -> tuple[str, str]:
    """Log in as RESIDENT and send a report with a photo: (confirmation page, draft id)."""
    login_as(client, RESIDENT)
    check = walk_melding(client)
    answer = post_page(client, check, {})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    page = client.get(answer.headers["Location"])
    assert page.status_code == 200
    return page.get_data(as_text=True), check.split("/")[3]


def _run_worker(app, **kwargs):
    with app.app_context():
        return register_due(app.extensions["db"].sessionmaker,
                            UploadArea(app.config["UPLOADS_PATH"]), **kwargs)


def _registration(app, draft_id: str) -> FormRegistration:
    with app.app_context():
        session = get_session()
        session.expire_all()
        return session.scalar(select(FormRegistration).where(
            FormRegistration.draft_id == draft_id))


def _documents_of(apis: ZgwApis, zaak: dict) -> list[dict]:
    links = apis.zaken.get("zaakinformatieobjecten", params={"zaak": zaak["url"]})
    return [apis.documenten.get(link["informatieobject"]) for link in links]


def _documents_named(apis: ZgwApis, identificatie: str) -> list[dict]:
    return apis.documenten.get("enkelvoudiginformatieobjecten", params={
        "bronorganisatie": RSIN, "identificatie": identificatie})["results"]


def _later(minutes: int = 0):
    return utcnow() + CLAIM_LEASE + timedelta(minutes=1 + minutes)


# --------------------------------------------------------------------------- the journey


def test_a_submitted_form_is_registered_by_the_worker(app, client, db_connection, zgw,
                                                      open_zaak_catalogue,
                                                      smtp_server):
    apis, _ = open_zaak_catalogue
    page, draft_id = _submit(client)

    # The request answered with the portal's reference; nothing reached Open Zaak yet.
    reference = REFERENCE.search(page).group(0)
    assert zaken_of(apis, RESIDENT) == []
    uploads = UploadArea(app.config["UPLOADS_PATH"])
    (photo,) = _registration(app, draft_id).uploads
    assert uploads.read(draft_id, photo["file_id"]).startswith(b"\x89PNG")
    mijn_zaken = client.get("/mijn-omgeving/zaken").get_data(as_text=True)
    assert reference in mijn_zaken and re.search(
        "Aanvraag ontvangen, wordt geregistreerd|Request received, being registered", mijn_zaken)
    assert reference in client.get("/mijn-omgeving").get_data(as_text=True)

    report = _run_worker(app)

    assert (report.claimed, report.registered) == (1, 1)
    (zaak,) = zaken_of(apis, RESIDENT)
    registration = _registration(app, draft_id)
    assert registration.status == "registered" and registration.zaaknummer == zaak["identificatie"]
    (rol,) = apis.zaken.get("rollen", params={"zaak": zaak["url"],
                                              "omschrijvingGeneriek": "initiator"})["results"]
    assert rol["betrokkeneIdentificatie"]["inpBsn"] == RESIDENT
    assert rol["authenticatieContext"] == {  # how the resident logged in
        "source": "digid", "levelOfAssurance": SAML_CLASS[parse_loa(tests.login._LEVELS[FATIMA])]}
    assert zaak["status"], "the zaak has its first status"
    documents = _documents_of(apis, zaak)
    assert sorted(d["bestandsnaam"] for d in documents) == ["aanvraaggegevens.json",
                                                            "lamp.png"]
    answers = next(d for d in documents if d["bestandsnaam"] == "aanvraaggegevens.json")
    content = apis.documenten.request("GET", answers["inhoud"]).content.decode()
    assert "Bij het bankje in het park" in content
    assert RESIDENT not in content
    # The uploads went with the registration; the draft knows its zaak.
    with pytest.raises(FileNotFoundError):
        uploads.read(draft_id, photo["file_id"])
    with app.app_context():
        draft = get_session().get(FormDraft, draft_id)
        assert draft.zaak_identificatie == zaak["identificatie"]
        # The portal keeps no copy of what the zaaksysteem holds now.
        assert draft.answers == {}
    assert (registration.answers, registration.initiator, registration.initiator_bsn,
            registration.uploads, registration.confirmation_to) == ({}, {}, None, [], None)

    # The confirmation mail, with the zaaknummer, once.
    sessions = app.extensions["db"].sessionmaker
    deliver_due(sessions, smtp_settings_for(smtp_server))
    mails = [m for m in smtp_server.messages if zaak["identificatie"] in m["Subject"]]
    assert len(mails) == 1 and mails[0]["To"] == "melder@example.org"
    assert zaak["identificatie"] in mails[0].get_body(("plain",)).get_content()
    assert RESIDENT not in str(mails[0])
    # Its receipt was made before the portal forgot what was sent: the zaaknummer and the
    # answers, then no copy left here.
    (receipt,) = mails[0].iter_attachments()
    receipt_text = "".join(page.extract_text() for page in PdfReader(
        io.BytesIO(receipt.get_content())).pages)
    assert zaak["identificatie"] in receipt_text and "Bij het bankje in het park" in receipt_text
    with app.app_context():
        assert get_session().get(FormDraft, draft_id).receipt is None

    # Mijn zaken: now an ordinary zaak from the zaaksysteem, no longer pending.
    mijn_zaken = client.get("/mijn-omgeving/zaken").get_data(as_text=True)
    assert zaak["identificatie"] in mijn_zaken and reference not in mijn_zaken
    # The confirmation page now names the zaaknummer too.
    confirmation = client.get(f"/formulieren/melding-openbare-ruimte/{draft_id}/bevestiging")
    assert zaak["identificatie"] in confirmation.get_data(as_text=True)
    # Nothing left to do.
    assert _run_worker(app, now=_later()).claimed == 0


def test_submitting_twice_makes_one_registration(app, client, db_connection, zgw,
                                                 open_zaak_catalogue):
    apis, _ = open_zaak_catalogue
    login_as(client, RESIDENT)
    check = walk_melding(client, photo=None)
    page = client.get(check).get_data(as_text=True)
    first = client.post(check, data={"csrf_token": form_csrf(page)})
    second = client.post(check, data={"csrf_token": form_csrf(page)})  # a double click
    assert first.status_code == second.status_code == 302
    draft_id = check.split("/")[3]
    with app.app_context():  # and two submits that both got past the page's check
        session = get_session()
        again = submit_draft(session, draft_id, get_definition("melding-openbare-ruimte"),
                             applicant=Applicant(), uploads=UploadArea(app.config["UPLOADS_PATH"]),
                             locale="nl")
        assert again == _registration(app, draft_id).reference
        assert session.scalar(select(func.count()).select_from(FormRegistration).where(
            FormRegistration.draft_id == draft_id)) == 1
    assert _run_worker(app).registered == 1
    assert len(zaken_of(apis, RESIDENT)) == 1


# --------------------------------------------------------------------------- a worker killed


class Killed(BaseException):
    """The worker process dies here (not an Exception: nothing catches it, nothing is
    released; the claim's lease runs out)."""


@pytest.mark.parametrize("where", ["after the zaaknummer", "after one document made",
                                   "after the zaak"])
def test_a_worker_killed_mid_registration_resumes_to_one_zaak(app, client, db_connection, zgw,
                                                              open_zaak_catalogue,
                                                              monkeypatch, where):
    apis, _ = open_zaak_catalogue
    _, draft_id = _submit(client)
    record, finish = registrations._record, registrations._finish

    def dying_record(session, row, token, **values):
        if where == "after the zaaknummer" and "document_urls" in values:
            raise Killed  # the zaaknummer is recorded; the first document made, unrecorded
        if where == "after one document made" and len(values.get("document_urls", [])) == 2:
            raise Killed  # the second document is made, its URL not recorded
        record(session, row, token, **values)

    def dying_finish(session, row, token, opened):
        if where == "after the zaak":
            raise Killed  # registered in Open Zaak, not recorded here
        finish(session, row, token, opened)

    monkeypatch.setattr(registrations, "_record", dying_record)
    monkeypatch.setattr(registrations, "_finish", dying_finish)
    with pytest.raises(Killed):
        _run_worker(app)
    monkeypatch.setattr(registrations, "_record", record)
    monkeypatch.setattr(registrations, "_finish", finish)
    left = _registration(app, draft_id)
    assert left.status == "registering" and left.zaaknummer
    # Within the lease nobody takes it over; after it, the next batch resumes it.
    assert _run_worker(app).claimed == 0
    report = _run_worker(app, now=_later())

    assert report.registered == 1
    (zaak,) = zaken_of(apis, RESIDENT)
    assert zaak["identificatie"] == left.zaaknummer
    documents = _documents_of(apis, zaak)
    assert sorted(d["bestandsnaam"] for d in documents) == ["aanvraaggegevens.json",
                                                            "lamp.png"]
    for index in (0, 1):  # made once each, even the one made before the crash
        assert len(_documents_named(apis, document_identificatie(left, index))) == 1
    assert _registration(app, draft_id).attempts == 2


# --------------------------------------------------------------------------- an outage


@pytest.fixture
def zaken_proxy(open_zaak_catalogue):
    """A Zaken API in front of Open Zaak that checks our requests against the spec, for
    injecting faults. Not the responses: they are Open Zaak's own, and Open Zaak answers
    with nulls the spec does not allow (zaak_registreren also without Content-Crs)."""
    server = SpecCheckedServer("openzaak-zaken-api.yaml", check_responses=False)
    target = f"{OPEN_ZAAK}/zaken/api/v1"

    def forward(request, **_params):
        path = request.path.removeprefix(server.base_path)
        headers = {name: request.headers[name] for name in (
            "Authorization", "Accept-Crs", "Content-Crs", "Content-Type")
            if name in request.headers}
        answer = requests.request(request.method, target + path, params=request.args,
                                  data=request.get_data(), headers=headers, timeout=30)
        kept = {name: answer.headers[name] for name in ("API-version", "Content-Crs")
                if name in answer.headers}
        return Reply(answer.status_code, answer.json() if answer.content else None, kept)

    for method, template in (("POST", "/zaaknummer_reserveren"), ("GET", "/zaken"),
                             ("POST", "/zaak_registreren")):
        server.route(method, template)(forward)
    server.start()
    yield server
    server.stop()
    server.assert_no_violations()


@pytest.fixture
def store_through_proxy(app, monkeypatch, zgw, open_zaak_catalogue, zaken_proxy):
    """The ZGW store whose Zaken API calls go through the proxy (1 s timeout)."""
    apis, catalogus_url = open_zaak_catalogue
    slow = ZgwApis.from_config({**open_zaak_config(), "ZGW_ZAKEN_API_URL": zaken_proxy.base_url,
                                "ZGW_TIMEOUT": 1.0})
    proxied = dataclasses.replace(apis, zaken=slow.zaken)
    catalogue = CatalogueCache(apis.catalogi, catalogus_url,
                               load_zaaktypen_file(DEFAULT_ZAAKTYPEN_PATH), ttl=3600)
    monkeypatch.setitem(app.extensions, "zaken_store", lambda session: ZgwZakenStore(
        proxied, catalogue, rsin=RSIN, max_level="zaakvertrouwelijk", session=session,
        cache=ResidentPageCache(session, secret="test", seconds=300)))
    return zaken_proxy


def test_a_zaaksysteem_answering_500_is_retried_later(app, client, db_connection,
                                                      store_through_proxy,
                                                      open_zaak_catalogue):
    apis, _ = open_zaak_catalogue
    _, draft_id = _submit(client)
    store_through_proxy.fail("POST", "/zaak_registreren", status=500)

    report = _run_worker(app)

    assert (report.claimed, report.retrying, report.registered) == (1, 1, 0)
    waiting = _registration(app, draft_id)
    assert waiting.status == "pending" and waiting.last_error == \
        "RemoteUnavailable from Zaken API (500)"
    assert zaken_of(apis, RESIDENT) == []
    assert _run_worker(app).claimed == 0  # not before its backoff
    assert _run_worker(app, now=waiting.next_attempt_at + timedelta(seconds=1)).registered == 1
    (zaak,) = zaken_of(apis, RESIDENT)
    assert zaak["identificatie"] == waiting.zaaknummer
    assert len(_documents_of(apis, zaak)) == 2


def test_a_registration_that_timed_out_but_went_through_is_not_made_twice(
        app, client, db_connection, store_through_proxy, open_zaak_catalogue):
    apis, _ = open_zaak_catalogue
    _, draft_id = _submit(client)
    # Open Zaak gets the call after our 1 s timeout: it registers a zaak we never hear of.
    store_through_proxy.fail("POST", "/zaak_registreren", status=None, delay=2.0)

    assert _run_worker(app).retrying == 1
    deadline = time.monotonic() + 20
    while not zaken_of(apis, RESIDENT) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(zaken_of(apis, RESIDENT)) == 1

    assert _run_worker(app, now=_later(120)).registered == 1

    (zaak,) = zaken_of(apis, RESIDENT)
    assert zaak["identificatie"] == _registration(app, draft_id).zaaknummer
    assert len(store_through_proxy.calls("POST", "/zaak_registreren")) == 1
    assert len(_documents_of(apis, zaak)) == 2


def test_a_refused_registration_fails_for_an_operator(app, client, db_connection,
                                                      store_through_proxy, caplog):
    _, draft_id = _submit(client)
    store_through_proxy.fail("POST", "/zaak_registreren", status=400)

    report = _run_worker(app)

    assert report.failed == 1
    failed = _registration(app, draft_id)
    assert failed.status == "failed" and "400" in failed.last_error
    assert RESIDENT not in caplog.text and "melder@example.org" not in caplog.text
    result = app.test_cli_runner().invoke(args=["zaken", "registrations"])
    assert "failed: 1" in result.output and failed.reference in result.output
    assert RESIDENT not in result.output


def test_a_paid_form_is_registered_in_open_zaak_as_paid(app, client, db_connection, zgw,
                                                       open_zaak_catalogue, mock_psp):
    """Paid at the mock provider, registered by the worker: Open Zaak's zaak says
    betalingsindicatie "geheel", when, and the transaction as a kenmerk."""
    from tests.payments_fixtures import filled_draft, pay_at_mock

    apis, _ = open_zaak_catalogue
    login_as(client, RESIDENT)
    draft_id = filled_draft(app, RESIDENT)
    check = f"/formulieren/uittreksel-brp/{draft_id}/controleren"
    checkout = post_page(client, check, {}).headers["Location"]
    back = pay_at_mock(checkout, "paid")
    assert client.get(back.split("localhost", 1)[1]).status_code == 302
    assert zaken_of(apis, RESIDENT) == []  # the request registers nothing remote
    assert _run_worker(app).registered == 1
    (zaak,) = zaken_of(apis, RESIDENT)
    assert zaak["betalingsindicatie"] == "geheel" and zaak["laatsteBetaaldatum"]
    assert {"kenmerk": checkout.rsplit("/", 1)[1], "bron": "betaling"} in zaak["kenmerken"]
