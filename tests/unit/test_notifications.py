"""The outbox: queue_mail in the caller's transaction, delivery over real SMTP, retries, workers.

Delivery needs committed rows and sessions of its own, so those tests use a
database of their own (`outbox_db`): a fresh migrated SQLite file, or the
TEST_DATABASE_URL database with the outbox emptied around each test.
"""

import logging
import os
import signal
import threading
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app import create_app
from app.cli import alembic_config
from app.db import Database, get_session
from app.notifications.delivery import (
    CLAIM_LEASE,
    DeliveryReport,
    _claim_due,
    deliver_due,
)
from app.notifications.models import OutboxMessage
from app.notifications.services import Attachment, UnsendableAddress, queue_mail, utcnow
from tests.conftest import make_config
from tests.notifications_fixtures import smtp_config_for, smtp_server, smtp_settings_for  # noqa: F401

RECIPIENT = "j.jansen@voorbeeld.example"
BODY = "Wij hebben uw verhuizing ontvangen. Uw zaaknummer is ZAAK-2026-0000000042."
ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n"
       b"SUMMARY:Afspraak balie\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


# --- queue_mail, in the caller's (rolled-back) transaction ----------------------------------


@pytest.fixture
def session(app, db_connection):
    with app.app_context():
        yield get_session()


def test_queue_mail_writes_a_pending_message_in_the_callers_transaction(session):
    message = queue_mail(session, to=RECIPIENT, subject="Bevestiging", text=BODY,
                         attachments=[Attachment("afspraak.ics", "text/calendar", ICS)])

    assert message.id is not None
    assert message.status == "pending" and message.attempts == 0
    assert message.next_attempt_at <= utcnow()
    assert message.attachment_files() == [("afspraak.ics", "text/calendar", ICS)]
    assert not session.in_nested_transaction()


def test_same_dedupe_key_twice_gives_the_first_message(session):
    first = queue_mail(session, to=RECIPIENT, subject="Bevestiging", text=BODY,
                       dedupe_key="zaak-confirmation:ZAAK-2026-0000000042")
    second = queue_mail(session, to=RECIPIENT, subject="Nog eens", text="anders",
                        dedupe_key="zaak-confirmation:ZAAK-2026-0000000042")

    assert second is first
    assert second.subject == "Bevestiging"
    same_key = OutboxMessage.dedupe_key == "zaak-confirmation:ZAAK-2026-0000000042"
    assert session.scalar(select(func.count()).select_from(OutboxMessage).where(same_key)) == 1


def test_a_duplicate_key_leaves_the_callers_transaction_usable(session):
    first = queue_mail(session, to=RECIPIENT, subject="Bevestiging", text=BODY, dedupe_key="k1")
    again = queue_mail(session, to=RECIPIENT, subject="Bevestiging", text=BODY, dedupe_key="k1")
    other = queue_mail(session, to=RECIPIENT, subject="Iets anders", text=BODY)

    assert again is first
    assert other.id is not None
    same_key = OutboxMessage.dedupe_key == "k1"
    assert session.scalar(select(func.count()).select_from(OutboxMessage).where(same_key)) == 1


# --- delivery, with committed rows and a real SMTP server -----------------------------------


@pytest.fixture
def outbox_db(database_url, tmp_path):
    """A session factory on a database whose transactions really commit."""
    if os.environ.get("TEST_DATABASE_URL"):
        url = database_url
    else:
        url = f"sqlite:///{tmp_path / 'outbox.db'}"
        command.upgrade(alembic_config(url), "heads")
    database = Database(url)
    _empty_outbox(database)
    try:
        yield database
    finally:
        _empty_outbox(database)
        database.engine.dispose()


def _empty_outbox(database: Database) -> None:
    with database.sessionmaker.begin() as session:
        session.execute(delete(OutboxMessage))


def _queue_committed(database: Database, count: int = 1, **kwargs) -> list[int]:
    with database.sessionmaker.begin() as session:
        messages = [queue_mail(session, **{"to": RECIPIENT, "subject": f"Bericht {number}",
                                           "text": BODY, **kwargs})
                    for number in range(count)]
        return [message.id for message in messages]


def _load(database: Database, message_id: int) -> OutboxMessage:
    with database.sessionmaker() as session:
        return session.get(OutboxMessage, message_id)


def test_queued_mail_arrives_with_subject_body_and_attachments_intact(outbox_db, smtp_server):
    pdf = b"%PDF-1.7\n" + bytes(range(256))
    with outbox_db.sessionmaker.begin() as session:
        message_id = queue_mail(
            session, to=RECIPIENT, subject="Bevestiging: uw aanvraag is ontvangen ✓",
            text=BODY + "\nMet vriendelijke groet, één team", html=f"<p>{BODY}</p>",
            attachments=[
                Attachment("afspraak.ics", "text/calendar; method=PUBLISH; charset=utf-8", ICS),
                Attachment("bevestiging.pdf", "application/pdf", pdf),
            ]).id

    report = deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server))

    assert report == DeliveryReport(claimed=1, sent=1)
    [received] = smtp_server.messages
    assert smtp_server.recipients == [[RECIPIENT]]
    assert received["To"] == RECIPIENT
    assert received["From"] == "Gemeente Elburg <noreply@elburg.example>"
    assert received["Subject"] == "Bevestiging: uw aanvraag is ontvangen ✓"
    assert received["Date"] and received["Message-ID"].endswith("@elburg.example>")
    assert received.get_body(("plain",)).get_content().rstrip("\n") == (
        BODY + "\nMet vriendelijke groet, één team")
    assert received.get_body(("html",)).get_content().strip() == f"<p>{BODY}</p>"
    ics, attached_pdf = received.iter_attachments()
    assert ics.get_filename() == "afspraak.ics"
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "PUBLISH" and ics.get_content_charset() == "utf-8"
    assert ics.get_payload(decode=True) == ICS
    assert attached_pdf.get_filename() == "bevestiging.pdf"
    assert attached_pdf.get_content_type() == "application/pdf"
    assert attached_pdf.get_content() == pdf
    stored = _load(outbox_db, message_id)
    assert (stored.status, stored.attempts, stored.claimed_by) == ("sent", 1, None)
    assert stored.sent_at is not None


def test_mail_of_a_rolled_back_transaction_is_never_sent(outbox_db, smtp_server):
    session = outbox_db.sessionmaker()
    queue_mail(session, to=RECIPIENT, subject="Bevestiging", text=BODY)
    session.rollback()
    session.close()

    assert deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server)).claimed == 0
    assert smtp_server.messages == []


def test_an_smtp_outage_delays_the_mail_and_it_goes_out_once_the_server_is_back(
        outbox_db, smtp_server):
    [message_id] = _queue_committed(outbox_db)
    smtp_server.stop()
    before = utcnow()

    report = deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server))

    assert report == DeliveryReport(claimed=1, retrying=1)
    waiting = _load(outbox_db, message_id)
    assert (waiting.status, waiting.attempts, waiting.claimed_by) == ("pending", 1, None)
    assert waiting.next_attempt_at >= before + timedelta(seconds=45)
    assert waiting.last_error.startswith("ConnectionRefusedError")

    smtp_server.start()
    # Not due yet: the server being back does not bypass the backoff.
    assert deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server)).claimed == 0
    later = waiting.next_attempt_at + timedelta(seconds=1)
    report = deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server), now=later)

    assert report == DeliveryReport(claimed=1, sent=1)
    assert len(smtp_server.messages) == 1
    sent = _load(outbox_db, message_id)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, None)


def test_backoff_doubles_per_attempt_up_to_an_hour(outbox_db, smtp_server):
    [message_id] = _queue_committed(outbox_db)
    smtp_server.stop()
    now = utcnow()
    delays = []
    for _attempt in range(9):
        deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server), now=now)
        next_attempt_at = _load(outbox_db, message_id).next_attempt_at
        delays.append((next_attempt_at - now).total_seconds() / 60)
        now = next_attempt_at

    for minutes, expected in zip(delays, [1, 2, 4, 8, 16, 32, 60, 60, 60], strict=True):
        assert expected * 0.8 <= minutes <= expected * 1.2


def test_mail_fails_permanently_after_max_attempts(outbox_db, smtp_server):
    [message_id] = _queue_committed(outbox_db)
    smtp_server.stop()
    now = utcnow()
    reports = []
    for _attempt in range(3):
        reports.append(deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server),
                                   now=now, max_attempts=3))
        now = _load(outbox_db, message_id).next_attempt_at + timedelta(seconds=1)

    assert [report.failed for report in reports] == [0, 0, 1]
    failed = _load(outbox_db, message_id)
    assert (failed.status, failed.attempts) == ("failed", 3)
    smtp_server.start()
    later = now + timedelta(days=1)
    assert deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server), now=later,
                       max_attempts=3).claimed == 0
    assert smtp_server.messages == []


def test_a_refused_recipient_is_retried_and_its_error_holds_no_address(outbox_db, smtp_server):
    [refused_id] = _queue_committed(outbox_db)
    smtp_server.refuse_recipients = True

    report = deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server))

    assert report == DeliveryReport(claimed=1, retrying=1)
    refused = _load(outbox_db, refused_id)
    assert refused.status == "pending"
    assert refused.last_error == "SMTPRecipientsRefused 550"


def test_log_lines_hold_neither_address_nor_subject_nor_body(outbox_db, smtp_server, caplog):
    caplog.set_level(logging.DEBUG, logger="app.notifications")
    _queue_committed(outbox_db, count=2)
    smtp_server.refuse_recipients = True
    now = utcnow()
    deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server), now=now, max_attempts=2)
    smtp_server.stop()
    now += timedelta(hours=2)
    deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server), now=now, max_attempts=2)
    smtp_server.start()
    smtp_server.refuse_recipients = False
    _queue_committed(outbox_db, count=1)
    deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server), now=now)

    lines = [record.getMessage() for record in caplog.records
             if record.name.startswith("app.notifications")]
    assert any("failed permanently" in line for line in lines)
    assert any("sent" in line for line in lines)
    for line in lines:
        assert "@" not in line and "voorbeeld" not in line
        assert "Bericht" not in line and "zaaknummer" not in line


def test_a_claimed_message_is_left_alone_until_its_claim_expires(outbox_db):
    [message_id] = _queue_committed(outbox_db)
    now = utcnow()

    first = _claim_due(outbox_db.sessionmaker, "worker-a", 10, now)
    second = _claim_due(outbox_db.sessionmaker, "worker-b", 10, now)
    # worker-a died without reporting back: after its lease another worker takes over.
    after_lease = _claim_due(outbox_db.sessionmaker, "worker-c", 10,
                             now + CLAIM_LEASE + timedelta(seconds=1))

    assert [message.id for message in first] == [message_id]
    assert second == []
    assert [message.id for message in after_lease] == [message_id]


def test_two_workers_at_once_send_every_message_exactly_once(outbox_db, smtp_server):
    message_ids = _queue_committed(outbox_db, count=100)
    start = threading.Barrier(2)
    reports: list[DeliveryReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            while (report := deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server),
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
    subjects = [message["Subject"] for message in smtp_server.messages]
    assert sorted(subjects) == sorted(f"Bericht {number}" for number in range(100))
    assert sum(report.sent for report in reports) == 100
    with outbox_db.sessionmaker() as session:
        statuses = session.scalars(select(OutboxMessage.status)
                                   .where(OutboxMessage.id.in_(message_ids))).all()
    assert statuses == ["sent"] * 100


# --- the commands ---------------------------------------------------------------------------


@pytest.fixture
def mail_app(outbox_db, smtp_server):
    # No login happens here, so the OIDC provider address is never contacted.
    config = make_config(outbox_db.engine.url.render_as_string(hide_password=False),
                         "http://127.0.0.1:9")
    for key, value in smtp_config_for(smtp_server).items():
        setattr(config, key, value)
    return create_app(config)


def test_flask_mail_deliver_sends_due_mail_and_prints_a_summary(mail_app, outbox_db, smtp_server):
    _queue_committed(outbox_db, count=2)

    result = mail_app.test_cli_runner().invoke(args=["mail", "deliver"])

    assert result.exit_code == 0, result.output
    assert "2 due, 2 sent, 0 to retry, 0 failed permanently" in result.output
    assert len(smtp_server.messages) == 2


def test_flask_mail_worker_delivers_and_stops_on_sigterm(mail_app, outbox_db, smtp_server):
    _queue_committed(outbox_db)

    def terminate_after_delivery() -> None:
        for _ in range(200):
            if smtp_server.messages:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            threading.Event().wait(0.05)

    killer = threading.Thread(target=terminate_after_delivery)
    killer.start()
    result = mail_app.test_cli_runner().invoke(args=["mail", "worker", "--interval", "0.1"])
    killer.join()

    assert result.exit_code == 0, result.output
    assert "Mail worker stopped." in result.output
    assert len(smtp_server.messages) == 1


# --- header values never carry a line break ------------------------------------------------


def test_a_line_break_in_a_subject_cannot_add_a_header_or_stop_the_mail(outbox_db, smtp_server):
    """A subject from a resident's text, with line breaks of every kind: the mail still goes
    out, at the first attempt, with the text on one line and no header of the resident's."""
    [message_id] = _queue_committed(
        outbox_db, subject="Antwoord op uw vraag: grofvuil\r\nBcc: spam@evil.example\u2028x\x00",
        attachments=[Attachment("brief\r\nX-Evil: 1.txt", "text/plain", b"hallo")])

    report = deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server))

    assert report == DeliveryReport(claimed=1, sent=1)
    [received] = smtp_server.messages
    assert received["Subject"] == "Antwoord op uw vraag: grofvuil Bcc: spam@evil.example x"
    assert received["Bcc"] is None and received["X-Evil"] is None
    assert smtp_server.recipients == [[RECIPIENT]]
    [attachment] = received.iter_attachments()
    assert attachment.get_filename() == "brief X-Evil: 1.txt"
    assert _load(outbox_db, message_id).status == "sent"


def test_mail_queued_with_a_line_break_before_goes_out_on_one_line(outbox_db, smtp_server):
    [message_id] = _queue_committed(outbox_db)
    with outbox_db.sessionmaker.begin() as session:  # as a row written before the check was
        session.get(OutboxMessage, message_id).subject = "Vraag\nBcc: spam@evil.example"

    assert deliver_due(outbox_db.sessionmaker, smtp_settings_for(smtp_server)).sent == 1
    assert smtp_server.messages[0]["Subject"] == "Vraag Bcc: spam@evil.example"


@pytest.mark.parametrize("address", [f"{RECIPIENT}\r\nBcc: spam@evil.example",
                                     f"{RECIPIENT}\n", f"piet jansen@{RECIPIENT}"])
def test_a_recipient_with_a_line_break_or_space_is_refused_when_queued(session, address):
    with pytest.raises(UnsendableAddress):
        queue_mail(session, to=address, subject="Bevestiging", text=BODY)


def test_a_later_attachment_that_cannot_be_made_holds_back_only_its_own_mail(
        app, db_connection, smtp_server):
    from app.notifications.services import LaterAttachment, register_attachment_maker

    def broken(ref):
        raise RuntimeError("the draft's database is away")

    register_attachment_maker(app, "broken-for-test", broken)
    with app.app_context():
        db = get_session()
        queue_mail(db, to="a@example.org", subject="Met bijlage", text="x",
                   attachments=[LaterAttachment("x.pdf", "application/pdf", "broken-for-test", {})])
        queue_mail(db, to="b@example.org", subject="Zonder bijlage", text="y")
        db.commit()
        report = deliver_due(lambda: Session(bind=db_connection,
                                             join_transaction_mode="create_savepoint"),
                             smtp_settings_for(smtp_server))
        waiting = db.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "a@example.org"))
    assert report.retrying >= 1
    assert "b@example.org" in [m["To"] for m in smtp_server.messages]
    assert "a@example.org" not in [m["To"] for m in smtp_server.messages]
    assert (waiting.status, waiting.last_error) == ("pending", "AttachmentNotMade")
