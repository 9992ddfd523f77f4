"""The registration worker's steps against an in-memory zaaksysteem (a store that
``registers_later``), so they are proven without Open Zaak too; test_eforms_registration.py
runs the same journey against the real Open Zaak."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.db import get_session, utcnow
from app.eforms import registrations
from app.eforms.models import FormDraft, FormRegistration
from app.eforms.registrations import CLAIM_LEASE, register_due
from app.eforms.services import UploadArea, cleanup_drafts
from app.remote import RemoteRefused, RemoteUnavailable
from app.zaken.store import OpenedZaak, ZakenPage
from app.zaken.zgw import ZgwZakenStore
from tests.eforms_fixtures import (
    form_rate_limit,  # noqa: F401
    post_page,
)
from tests.login import login_as
from tests.personas import FATIMA
from tests.querycount import counted_queries
from tests.web.test_eforms import walk_melding


class Zaaksysteem:
    """What a remote zaaksysteem holds, and the calls it got; ``fail`` makes the next call
    of a method raise."""

    def __init__(self) -> None:
        self.zaken: dict[str, dict] = {}
        self.documents: dict[str, str] = {}  # identificatie -> url
        self.calls: list[str] = []
        self.fail: dict[str, Exception] = {}
        self.numbers = 0

    def call(self, name: str) -> None:
        self.calls.append(name)
        if name in self.fail:
            raise self.fail.pop(name)


class RemoteStore:
    registers_later = True

    def __init__(self, system: Zaaksysteem, session) -> None:
        self.system = system

    def new_identificatie(self) -> str:
        self.system.call("new_identificatie")
        self.system.numbers += 1
        return f"ZAAK-2026-{self.system.numbers:010d}"

    answers_document = staticmethod(ZgwZakenStore.answers_document)

    def new_document(self, zaaktype, document, *, identificatie: str, reuse: bool = False) -> str:
        self.system.call("new_document")
        if reuse and identificatie in self.system.documents:
            return self.system.documents[identificatie]
        url = f"http://zaaksysteem/documenten/{len(self.system.documents) + 1}"
        self.system.documents[identificatie] = url
        return url

    def opened_zaak(self, identificatie: str) -> OpenedZaak | None:
        self.system.call("opened_zaak")
        return self._opened(identificatie) if identificatie in self.system.zaken else None

    def open_zaak(self, *, identificatie: str, document_urls=(), **details) -> OpenedZaak:
        self.system.call("open_zaak")
        if identificatie in self.system.zaken:
            raise RemoteRefused("Zaken API", "identificatie taken", status=400)
        self.system.zaken[identificatie] = {**details, "documents": list(document_urls)}
        return self._opened(identificatie)

    @staticmethod
    def _opened(identificatie: str) -> OpenedZaak:
        return OpenedZaak(identificatie=identificatie, einddatum_gepland=None,
                          uiterlijke_einddatum_afdoening=date(2027, 1, 1))

    # What the resident's pages ask: nothing registered shows here in these tests.
    def resident_zaken(self, bsn, *, closed, limit, offset=0) -> ZakenPage:
        return ZakenPage(zaken=(), total=0)

    def count_resident_zaken(self, bsn, *, closed) -> int:
        return 0

    def open_document_requests(self, bsn) -> list:
        return []

    # This zaaksysteem has no catalogue: the pages take the zaaktype's terms from the
    # portal's content file (app.catalog.facts).
    def beheer_zaaktype(self, identificatie: str) -> None:
        return None


@pytest.fixture
def system(app, monkeypatch, form_rate_limit) -> Zaaksysteem:
    system = Zaaksysteem()
    monkeypatch.setitem(app.extensions, "zaken_store", lambda session: RemoteStore(system, session))
    return system


def _submit(client, photo: bool = True) -> str:
    login_as(client, FATIMA)
    check = walk_melding(client) if photo else walk_melding(client, photo=None)
    answer = post_page(client, check, {})
    assert answer.status_code == 302
    return check.split("/")[3]


def _run(app, **kwargs):
    with app.app_context():
        return register_due(app.extensions["db"].sessionmaker,
                            UploadArea(app.config["UPLOADS_PATH"]), **kwargs)


def _row(app, draft_id: str) -> FormRegistration:
    with app.app_context():
        session = get_session()
        session.expire_all()
        return session.scalar(select(FormRegistration).where(
            FormRegistration.draft_id == draft_id))


def test_the_request_asks_nothing_of_the_zaaksysteem(app, client, db_connection, system):
    draft_id = _submit(client)
    assert system.calls == []
    row = _row(app, draft_id)
    assert (row.status, row.initiator_bsn, row.zaaknummer) == ("pending", FATIMA, None)
    assert row.initiator_bsn not in (row.last_error or "")
    page = client.get(f"/formulieren/melding-openbare-ruimte/{draft_id}/bevestiging")
    assert row.reference in page.get_data(as_text=True)
    assert system.calls == []
    overview = client.get("/mijn-omgeving/zaken").get_data(as_text=True)
    assert row.reference in overview

    assert _run(app).registered == 1
    (zaak,) = system.zaken.values()
    assert len(zaak["documents"]) == 2 and zaak["initiator"].bsn == FATIMA
    assert system.calls == ["new_identificatie", "new_document", "new_document", "open_zaak"]
    assert row.reference not in client.get("/mijn-omgeving/zaken").get_data(as_text=True)


@pytest.mark.parametrize("killed_at", ["new_document", "open_zaak"])
def test_a_killed_worker_is_resumed_where_it_stopped(app, client, db_connection, system,
                                                     monkeypatch, killed_at):
    draft_id = _submit(client)
    record, finish = registrations._record, registrations._finish

    class Killed(BaseException):
        pass

    def dying_record(session, row, token, **values):
        if killed_at == "new_document" and len(values.get("document_urls", [])) == 2:
            raise Killed
        record(session, row, token, **values)

    def dying_finish(*args):
        if killed_at == "open_zaak":
            raise Killed
        finish(*args)

    monkeypatch.setattr(registrations, "_record", dying_record)
    monkeypatch.setattr(registrations, "_finish", dying_finish)
    with pytest.raises(Killed):
        _run(app)
    monkeypatch.setattr(registrations, "_record", record)
    monkeypatch.setattr(registrations, "_finish", finish)

    assert _run(app).claimed == 0  # its lease holds
    assert _run(app, now=utcnow() + CLAIM_LEASE + timedelta(minutes=1)).registered == 1
    assert len(system.zaken) == 1 and len(system.documents) == 2
    (zaak,) = system.zaken.values()
    assert len(set(zaak["documents"])) == 2
    assert system.calls.count("new_identificatie") == 1
    assert system.calls.count("open_zaak") == 1
    assert _row(app, draft_id).status == "registered"


def test_an_outage_is_retried_with_backoff_and_a_refusal_fails(app, client, db_connection,
                                                               system):
    first, second = _submit(client), _submit(client, photo=False)
    system.fail["open_zaak"] = RemoteUnavailable("Zaken API", "down", status=503)

    report = _run(app)

    assert (report.registered, report.retrying) == (1, 1)
    waiting = next(_row(app, d) for d in (first, second) if _row(app, d).status == "pending")
    assert waiting.last_error == "RemoteUnavailable from Zaken API (503)"
    assert waiting.next_attempt_at > utcnow() + timedelta(seconds=30)
    system.fail["new_identificatie"] = RemoteRefused("Zaken API", "no", status=400)
    assert _run(app, now=waiting.next_attempt_at).registered == 1  # the zaaknummer was kept
    assert len(system.zaken) == 2

    third = _submit(client, photo=False)
    system.fail["new_identificatie"] = RemoteRefused("Zaken API", "no", status=400)
    assert _run(app).failed == 1
    assert _row(app, third).status == "failed"
    result = app.test_cli_runner().invoke(args=["zaken", "registrations"])
    assert "failed: 1" in result.output and FATIMA not in result.output
    assert "queued again" in app.test_cli_runner().invoke(
        args=["zaken", "registrations", "--retry"]).output
    assert _run(app).registered == 1


def test_cleanup_keeps_what_is_not_registered_yet(app, client, db_connection, system):
    draft_id = _submit(client)
    (photo,) = _row(app, draft_id).uploads
    uploads = UploadArea(app.config["UPLOADS_PATH"])
    later = utcnow() + timedelta(days=400)
    with app.app_context():
        session = get_session()
        cleanup_drafts(session, uploads, submitted_retention=timedelta(days=30), now=later)
        session.commit()
        assert session.get(FormDraft, draft_id) is not None
    assert uploads.read(draft_id, photo["file_id"])

    assert _run(app).registered == 1
    with app.app_context():
        session = get_session()
        cleanup_drafts(session, uploads, submitted_retention=timedelta(days=30), now=later)
        session.commit()
        assert session.get(FormDraft, draft_id) is None
    assert _row(app, draft_id) is None  # the answers and the BSN went with it


def test_mijn_zaken_reads_the_pending_ones_in_one_query(app, client, db_connection, system):
    _submit(client, photo=False)

    def statements(path: str) -> int:
        with counted_queries(app) as counted:
            assert client.get(path).status_code == 200
        return len(counted)

    one = {path: statements(path) for path in ("/mijn-omgeving/zaken", "/mijn-omgeving")}
    _submit(client, photo=False)
    _submit(client, photo=False)
    page = client.get("/mijn-omgeving/zaken").get_data(as_text=True)
    assert len(set(re.findall(r"AANVR-\d{4}-\d{5}", page))) == 3
    assert {path: statements(path) for path in one} == one
