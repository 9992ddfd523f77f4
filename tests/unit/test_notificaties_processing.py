"""The notificaties worker: handlers run once per notificatie, failures are retried with
backoff, a claim is one worker's, and the commands around it.

Processing needs committed rows and sessions of its own, so these tests use a database
of their own (`inbox_db`): a migrated SQLite file for this module, or the
TEST_DATABASE_URL database, with the inbox (and outbox) emptied around each test.
"""

import logging
import os
import signal
import threading
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import delete, func, select

from app import create_app
from app.cli import alembic_config
from app.db import Database, utcnow
from app.notificaties import Notificatie, handles, registry
from app.notificaties.models import ReceivedNotification
from app.notificaties.processing import (
    CLAIM_LEASE,
    ProcessReport,
    _process,
    claim_due,
    process_due,
)
from app.notificaties.services import HandlerRegistry, parse_notificatie, receive
from app.notifications.models import OutboxMessage
from app.notifications.services import queue_mail
from app.remote import RemoteUnavailable
from tests.conftest import make_config
from tests.fakes.notificaties import notificatie_body

BSN = "999990019"
AUTH = "Bearer 0d9c8b7a6f5e4d3c2b1a"


@pytest.fixture(scope="module")
def inbox_url(database_url, tmp_path_factory):
    if os.environ.get("TEST_DATABASE_URL"):
        return database_url
    url = f"sqlite:///{tmp_path_factory.mktemp('inbox') / 'inbox.db'}"
    command.upgrade(alembic_config(url), "heads")
    return url


@pytest.fixture
def inbox_db(inbox_url):
    """A session factory on a database whose transactions really commit."""
    database = Database(inbox_url)
    _empty(database)
    try:
        yield database
    finally:
        _empty(database)
        database.engine.dispose()


def _empty(database: Database) -> None:
    with database.sessionmaker.begin() as session:
        session.execute(delete(ReceivedNotification))
        session.execute(delete(OutboxMessage))


def _receive(database: Database, count: int = 1, **fields) -> list[int]:
    """``count`` different notificaties (one second apart), committed; their inbox ids."""
    ids = []
    with database.sessionmaker.begin() as session:
        for number in range(count):
            body = notificatie_body(aanmaakdatum=f"2026-12-10T09:{number // 60:02}:"
                                                 f"{number % 60:02}Z", **fields)
            ids.append(receive(session, parse_notificatie(body)))
    return ids


def _load(database: Database, inbox_id: int) -> ReceivedNotification:
    with database.sessionmaker() as session:
        return session.get(ReceivedNotification, inbox_id)


class Recorder:
    """A handler that remembers what it was given (from any thread)."""

    def __init__(self) -> None:
        self.seen: list[Notificatie] = []
        self._lock = threading.Lock()

    def __call__(self, session, notificatie: Notificatie) -> None:
        with self._lock:
            self.seen.append(notificatie)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def handlers(recorder) -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.register(recorder, "zaken")
    return registry


# --- the registry ---------------------------------------------------------------------------


def test_handlers_are_chosen_by_kanaal_resource_and_actie():
    registry = HandlerRegistry()
    calls = []

    @registry.handles("zaken")
    def every_zaken(session, notificatie):
        calls.append("zaken")

    @registry.handles("zaken", resource="status", actie="create")
    def new_status(session, notificatie):
        calls.append("status")

    @registry.handles("documenten", resource="enkelvoudiginformatieobject")
    def document(session, notificatie):
        calls.append("document")

    def handlers_of(**fields):
        return registry.handlers_for(parse_notificatie(notificatie_body(**fields)))

    assert handlers_of() == [every_zaken, new_status]
    assert handlers_of(actie="update") == [every_zaken]
    assert handlers_of(kanaal="documenten", resource="enkelvoudiginformatieobject") == [document]
    assert handlers_of(kanaal="besluiten") == []
    registry.register(new_status, "zaken", resource="status", actie="create")
    assert handlers_of() == [every_zaken, new_status]  # registering again adds nothing
    assert registry.kanalen() == {"zaken", "documenten"}


def test_the_handler_gets_the_notificatie_as_a_value(inbox_db, handlers, recorder):
    [inbox_id] = _receive(inbox_db)

    process_due(inbox_db.sessionmaker, handlers=handlers)

    [notificatie] = recorder.seen
    body = notificatie_body()
    assert notificatie.id == inbox_id
    assert (notificatie.kanaal, notificatie.resource, notificatie.actie) == (
        "zaken", "status", "create")
    assert notificatie.hoofd_object == body["hoofdObject"]
    assert notificatie.resource_url == body["resourceUrl"]
    assert notificatie.kenmerken == body["kenmerken"]
    assert notificatie.aanmaakdatum.isoformat() == "2026-12-10T09:00:00+00:00"


# --- once, even when delivered twice --------------------------------------------------------


def test_a_notificatie_delivered_twice_is_handled_once(inbox_db, handlers, recorder):
    with inbox_db.sessionmaker.begin() as session:
        first = receive(session, parse_notificatie(notificatie_body()))
    with inbox_db.sessionmaker.begin() as session:
        again = receive(session, parse_notificatie(notificatie_body()))

    report = process_due(inbox_db.sessionmaker, handlers=handlers)
    later = process_due(inbox_db.sessionmaker, handlers=handlers,
                        now=utcnow() + timedelta(days=1))

    assert again is None
    assert report == ProcessReport(claimed=1, processed=1)
    assert later == ProcessReport()
    assert [notificatie.id for notificatie in recorder.seen] == [first]
    row = _load(inbox_db, first)
    assert row.status == "processed" and row.attempts == 1
    assert row.processed_at is not None and row.claimed_by is None and row.last_error is None


def test_a_notificatie_without_a_handler_is_marked_ignored(inbox_db, handlers, recorder,
                                                           caplog):
    [inbox_id] = _receive(inbox_db, kanaal="besluiten")

    with caplog.at_level(logging.DEBUG, logger="app.notificaties"):
        report = process_due(inbox_db.sessionmaker, handlers=handlers)

    assert report == ProcessReport(claimed=1, ignored=1)
    assert recorder.seen == []
    row = _load(inbox_db, inbox_id)
    assert row.status == "ignored" and row.processed_at is not None
    assert any("no handler" in record.getMessage() and record.levelno == logging.DEBUG
               for record in caplog.records)


# --- failures -------------------------------------------------------------------------------


def test_a_failing_handler_is_retried_later_and_its_error_recorded_without_its_text(
        inbox_db, caplog):
    outcomes = [ValueError(f"no zaak for BSN {BSN}"), None]
    calls = []

    def flaky(session, notificatie):
        calls.append(notificatie.id)
        error = outcomes.pop(0)
        if error:
            raise error

    handlers = HandlerRegistry()
    handlers.register(flaky, "zaken")
    [inbox_id] = _receive(inbox_db)
    now = utcnow()

    with caplog.at_level(logging.DEBUG):
        first = process_due(inbox_db.sessionmaker, handlers=handlers, now=now)
        too_soon = process_due(inbox_db.sessionmaker, handlers=handlers, now=now)
        row = _load(inbox_db, inbox_id)
        later = process_due(inbox_db.sessionmaker, handlers=handlers,
                            now=row.next_attempt_at + timedelta(seconds=1))

    assert first == ProcessReport(claimed=1, retrying=1)
    assert too_soon == ProcessReport()
    assert later == ProcessReport(claimed=1, processed=1)
    assert calls == [inbox_id, inbox_id]
    assert row.status == "pending" and row.attempts == 1
    assert timedelta(seconds=40) < row.next_attempt_at - now < timedelta(seconds=80)
    assert row.last_error.startswith("ValueError at tests/unit/test_notificaties_processing.py:")
    assert row.last_error.endswith("flaky")
    assert BSN not in row.last_error
    assert _load(inbox_db, inbox_id).status == "processed"
    assert BSN not in caplog.text


def test_a_remote_outage_is_recorded_with_the_register_and_backoff_grows(inbox_db):
    def outage(session, notificatie):
        raise RemoteUnavailable("Zaken API", "GET /zaken/api/v1/zaken/x answered 503",
                                status=503)

    handlers = HandlerRegistry()
    handlers.register(outage, "zaken")
    [inbox_id] = _receive(inbox_db)
    now = utcnow()
    delays = []
    for _ in range(3):
        process_due(inbox_db.sessionmaker, handlers=handlers, now=now)
        row = _load(inbox_db, inbox_id)
        delays.append(row.next_attempt_at - now)
        now = row.next_attempt_at

    assert row.last_error.startswith("RemoteUnavailable from Zaken API (503)")
    assert row.attempts == 3
    assert delays[0] < delays[1] < delays[2]


def test_a_notificatie_fails_permanently_after_max_attempts(inbox_db, caplog):
    handlers = HandlerRegistry()
    handlers.register(lambda session, notificatie: 1 / 0, "zaken")
    [inbox_id] = _receive(inbox_db)
    now = utcnow()

    with caplog.at_level(logging.ERROR):
        for _ in range(3):
            report = process_due(inbox_db.sessionmaker, handlers=handlers, now=now,
                                 max_attempts=3)
            now += timedelta(hours=2)

    assert report == ProcessReport(claimed=1, failed=1)
    row = _load(inbox_db, inbox_id)
    assert row.status == "failed" and row.attempts == 3
    assert "ZeroDivisionError" in row.last_error
    assert "failed permanently after 3 attempts" in caplog.text
    assert process_due(inbox_db.sessionmaker, handlers=handlers, now=now) == ProcessReport()


def test_what_handlers_wrote_is_undone_when_one_of_them_fails(inbox_db):
    def mail_the_resident(session, notificatie):
        queue_mail(session, to="j.jansen@voorbeeld.example", subject="Nieuwe status",
                   text="Uw zaak heeft een nieuwe status.",
                   dedupe_key=f"status:{notificatie.resource_url}")

    def broken(session, notificatie):
        raise RuntimeError("broken")

    handlers = HandlerRegistry()
    handlers.register(mail_the_resident, "zaken")
    handlers.register(broken, "zaken", resource="status")
    _receive(inbox_db)

    report = process_due(inbox_db.sessionmaker, handlers=handlers)

    assert report.retrying == 1
    with inbox_db.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    # Fixed: the next attempt's writes commit together with "processed".
    handlers.unregister(broken)
    process_due(inbox_db.sessionmaker, handlers=handlers, now=utcnow() + timedelta(hours=2))
    with inbox_db.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


# --- claims and several workers -------------------------------------------------------------


def test_a_claimed_notificatie_is_left_alone_until_its_claim_expires(inbox_db):
    [inbox_id] = _receive(inbox_db)
    now = utcnow()

    first = claim_due(inbox_db.sessionmaker, "worker-a", 10, now)
    second = claim_due(inbox_db.sessionmaker, "worker-b", 10, now)
    # worker-a stalled: after its lease another worker takes over.
    after_lease = claim_due(inbox_db.sessionmaker, "worker-c", 10,
                            now + CLAIM_LEASE + timedelta(seconds=1))

    assert [row.id for row in first] == [inbox_id]
    assert second == []
    assert [row.id for row in after_lease] == [inbox_id]


def test_a_worker_that_lost_its_claim_undoes_its_handlers_writes(inbox_db):
    """worker-a outlived its lease and worker-c took the notificatie over: when worker-a
    comes back, neither its "processed" nor its handler's writes count."""
    def mail(session, notificatie):
        queue_mail(session, to="j.jansen@voorbeeld.example", subject="Nieuwe status",
                   text="Uw zaak heeft een nieuwe status.")

    handlers = HandlerRegistry()
    handlers.register(mail, "zaken")
    [inbox_id] = _receive(inbox_db)
    now = utcnow()
    [stale] = claim_due(inbox_db.sessionmaker, "worker-a", 10, now)
    claim_due(inbox_db.sessionmaker, "worker-c", 10, now + CLAIM_LEASE + timedelta(seconds=1))

    outcome = _process(inbox_db.sessionmaker, handlers, stale, "worker-a", now, 10)

    assert outcome is None
    row = _load(inbox_db, inbox_id)
    assert row.status == "processing" and row.claimed_by == "worker-c"
    with inbox_db.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_two_workers_at_once_handle_every_notificatie_exactly_once(inbox_db, handlers,
                                                                   recorder):
    inbox_ids = _receive(inbox_db, count=60)
    start = threading.Barrier(2)
    reports: list[ProcessReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            while (report := process_due(inbox_db.sessionmaker, handlers=handlers,
                                         batch_size=7)).claimed:
                reports.append(report)
        except BaseException as error:  # noqa: BLE001  (surfaced below: a thread's exception is lost)
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(notificatie.id for notificatie in recorder.seen) == sorted(inbox_ids)
    assert sum(report.processed for report in reports) == 60
    with inbox_db.sessionmaker() as session:
        statuses = session.scalars(select(ReceivedNotification.status)).all()
    assert statuses == ["processed"] * 60


# --- the commands ---------------------------------------------------------------------------


@pytest.fixture
def inbox_app(inbox_db):
    # No login happens here, so the OIDC provider address is never contacted.
    config = make_config(inbox_db.engine.url.render_as_string(hide_password=False),
                         "http://127.0.0.1:9")
    config.NOTIFICATIES_CALLBACK_AUTH = AUTH
    return create_app(config)


@pytest.fixture
def global_recorder():
    """A handler on the registry the commands use, for this test only."""
    recorder = Recorder()
    handles("zaken")(recorder)
    try:
        yield recorder
    finally:
        registry.unregister(recorder)


def test_webhook_twice_then_flask_notificaties_process_handles_it_once(inbox_app, inbox_db,
                                                                       global_recorder):
    client = inbox_app.test_client()
    for _ in range(2):
        response = client.post("/notificaties/callback", json=notificatie_body(),
                               headers={"Authorization": AUTH})
        assert response.status_code == 204
    runner = inbox_app.test_cli_runner()

    result = runner.invoke(args=["notificaties", "process"])
    again = runner.invoke(args=["notificaties", "process"])

    assert result.exit_code == 0, result.output
    assert "1 due, 1 processed, 0 ignored (no handler), 0 to retry" in result.output
    assert "0 due" in again.output
    assert len(global_recorder.seen) == 1


def test_flask_notificaties_worker_processes_and_stops_on_sigterm(inbox_app, inbox_db,
                                                                  global_recorder):
    _receive(inbox_db)

    def terminate_after_processing() -> None:
        for _ in range(200):
            if global_recorder.seen:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            threading.Event().wait(0.05)

    killer = threading.Thread(target=terminate_after_processing)
    killer.start()
    result = inbox_app.test_cli_runner().invoke(
        args=["notificaties", "worker", "--interval", "0.1"])
    killer.join()

    assert result.exit_code == 0, result.output
    assert "Notificaties worker stopped." in result.output
    assert len(global_recorder.seen) == 1


def test_status_retry_and_purge(inbox_app, inbox_db):
    handlers = HandlerRegistry()
    handlers.register(lambda session, notificatie: 1 / 0, "zaken", actie="update")
    _receive(inbox_db, count=2)                      # nobody handles these: ignored
    [failing] = _receive(inbox_db, actie="update")
    _receive(inbox_db, kanaal="documenten", resource="enkelvoudiginformatieobject")
    process_due(inbox_db.sessionmaker, handlers=handlers, max_attempts=1)
    _receive(inbox_db, actie="destroy")               # arrives later: waits
    runner = inbox_app.test_cli_runner()

    status = runner.invoke(args=["notificaties", "status"])

    assert status.exit_code == 0, status.output
    assert "pending: 1, processing: 0, processed: 0, ignored: 3, failed: 1" in status.output
    assert "Oldest waiting: received" in status.output
    assert f"failed {failing}: zaken/status/update, 1 attempts, last error: " \
           "ZeroDivisionError" in status.output

    retried = runner.invoke(args=["notificaties", "retry"])
    assert "1 failed notificatie(s) queued again." in retried.output
    row = _load(inbox_db, failing)
    assert row.status == "pending" and row.attempts == 0

    assert "Deleted 0 handled" in runner.invoke(args=["notificaties", "purge"]).output
    purged = runner.invoke(args=["notificaties", "purge", "--days", "0"])
    assert "Deleted 3 handled notificatie(s)." in purged.output
    with inbox_db.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(ReceivedNotification)) == 2
