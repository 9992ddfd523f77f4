"""Delivering the outbox over SMTP: claim due mail, send it, record the outcome.

Several workers (one per app node) may run at once. A worker claims a batch
in one short transaction by a single conditional UPDATE that stamps the rows
with its own claim token: on PostgreSQL the candidate rows are picked with
``FOR UPDATE SKIP LOCKED``, on SQLite the UPDATE takes the database's write
lock; on both, a row is only claimed while it is still due, so two workers
never hold the same message. Sending happens outside any transaction. A worker
that dies mid-batch leaves its claims to expire, after which another worker
sends them: mail is delivered at least once, never lost.
"""

import logging
import random
import secrets
import smtplib
import ssl
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.notifications.models import (
    STATUS_FAILED,
    STATUS_PENDING,
    STATUS_SENDING,
    STATUS_SENT,
    OutboxMessage,
)
from app.notifications.services import made_attachments, one_line, utcnow
from app.worker import claim_batch

log = logging.getLogger(__name__)

DEFAULT_MAIL_FROM = "Gemeente Elburg <noreply@elburg.example>"
DEFAULT_MAX_ATTEMPTS = 10
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
# Long enough for a batch to go out over a slow server (batch × timeout);
# only a worker that died keeps its claims this long.
CLAIM_LEASE = timedelta(minutes=15)


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 8025
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 30.0
    mail_from: str = DEFAULT_MAIL_FROM

    @classmethod
    def from_config(cls, config: Mapping) -> "SmtpSettings":
        return cls(
            host=config["SMTP_HOST"], port=int(config["SMTP_PORT"]),
            username=config["SMTP_USERNAME"], password=config["SMTP_PASSWORD"],
            starttls=_as_bool(config["SMTP_STARTTLS"]), timeout=float(config["SMTP_TIMEOUT"]),
            mail_from=config["MAIL_FROM"],
        )


@dataclass(frozen=True)
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def summary(self) -> str:
        return (f"{self.claimed} due, {self.sent} sent, {self.retrying} to retry, "
                f"{self.failed} failed permanently")


def deliver_due(session_factory: Callable[[], Session], smtp_settings: SmtpSettings, *,
                batch_size: int = 50, now: datetime | None = None,
                max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                first_retry: timedelta = RETRY_BASE) -> DeliveryReport:
    """Send one batch of due mail; a mail that cannot go out now is retried later."""
    now = now or utcnow()
    token = secrets.token_hex(16)
    messages = _claim_due(session_factory, token, batch_size, now)
    if not messages:
        return DeliveryReport()
    outcomes = {STATUS_SENT: 0, STATUS_PENDING: 0, STATUS_FAILED: 0}
    for message, error in _send_all(messages, smtp_settings):
        if error is None:
            status = _mark_sent(session_factory, message, token)
        else:
            status = _schedule_retry(session_factory, message, token, error, now, max_attempts,
                                     first_retry)
        outcomes[status] += 1
    return DeliveryReport(claimed=len(messages), sent=outcomes[STATUS_SENT],
                          retrying=outcomes[STATUS_PENDING], failed=outcomes[STATUS_FAILED])


def _claim_due(session_factory, token: str, batch_size: int,
               now: datetime) -> list[OutboxMessage]:
    return claim_batch(session_factory, OutboxMessage, token=token, batch_size=batch_size,
                       now=now, pending=STATUS_PENDING, claimed=STATUS_SENDING,
                       lease=CLAIM_LEASE, order_by=(OutboxMessage.id,))


# A refusal of one message (or a message that cannot be built): the connection still works.
PER_MESSAGE_ERRORS = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused,
                      smtplib.SMTPNotSupportedError, ValueError, UnicodeError)


def _send_all(messages: list[OutboxMessage],
              settings: SmtpSettings) -> Iterator[tuple[OutboxMessage, Exception | None]]:
    """Send over one connection; yields each message with the error that stopped it, if any."""
    try:
        smtp = _connect(settings)
    except (smtplib.SMTPException, OSError) as error:
        for message in messages:
            yield message, error
        return
    try:
        for index, message in enumerate(messages):
            try:
                smtp.send_message(build_email(message, settings.mail_from),
                                  from_addr=_envelope_sender(settings.mail_from),
                                  to_addrs=[message.recipient])
            except PER_MESSAGE_ERRORS as error:
                yield message, error
            except (smtplib.SMTPException, OSError) as error:
                # The connection is gone: the rest of the batch waits too.
                for unsent in messages[index:]:
                    yield unsent, error
                return
            else:
                yield message, None
    finally:
        _disconnect(smtp)


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password)
    except BaseException:
        _disconnect(smtp)
        raise
    return smtp


def _disconnect(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def build_email(message: OutboxMessage, mail_from: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = mail_from
    email["To"] = message.recipient
    email["Subject"] = one_line(message.subject)  # also for mail queued before queue_mail did
    email["Date"] = format_datetime(datetime.now(UTC))
    # Stable across retries, so a mail sent twice after a crash is recognisable.
    email["Message-ID"] = (f"<outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S}"
                           f"@{_sender_domain(mail_from)}>")
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    for filename, content_type, content in made_attachments(message):
        maintype, subtype, params = _split_content_type(content_type)
        email.add_attachment(content, maintype=maintype, subtype=subtype,
                             filename=filename, params=params)
    return email


def _split_content_type(content_type: str) -> tuple[str, str, dict[str, str]]:
    header = EmailMessage()
    header["Content-Type"] = content_type
    params = dict(header["Content-Type"].params)
    return header.get_content_maintype(), header.get_content_subtype(), params


def _envelope_sender(mail_from: str) -> str:
    return parseaddr(mail_from)[1]


def _sender_domain(mail_from: str) -> str:
    address = _envelope_sender(mail_from)
    return Address(addr_spec=address).domain if "@" in address else "localhost"


def _mark_sent(session_factory, message: OutboxMessage, token: str) -> str:
    _update_claimed(session_factory, message, token, status=STATUS_SENT, sent_at=utcnow(),
                    attempts=message.attempts + 1, last_error=None)
    log.info("mail %s sent (attempt %s)", message.id, message.attempts + 1)
    return STATUS_SENT


def _schedule_retry(session_factory, message: OutboxMessage, token: str, error: Exception,
                    now: datetime, max_attempts: int, first_retry: timedelta) -> str:
    attempts = message.attempts + 1
    reason = describe_error(error)
    if attempts >= max_attempts:
        _update_claimed(session_factory, message, token, status=STATUS_FAILED,
                        attempts=attempts, last_error=reason)
        log.error("mail %s failed permanently after %s attempts: %s", message.id, attempts, reason)
        return STATUS_FAILED
    next_attempt_at = now + retry_delay(attempts, first_retry)
    _update_claimed(session_factory, message, token, status=STATUS_PENDING, attempts=attempts,
                    next_attempt_at=next_attempt_at, last_error=reason)
    log.warning("mail %s not sent (attempt %s: %s); retry at %s UTC",
                message.id, attempts, reason, f"{next_attempt_at:%Y-%m-%d %H:%M:%S}")
    return STATUS_PENDING


def _update_claimed(session_factory, message: OutboxMessage, token: str, **values) -> None:
    # Only while the claim is ours: a worker that outlived its lease must not
    # overwrite what the worker that took the message over recorded.
    with session_factory() as session, session.begin():
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.id, OutboxMessage.claimed_by == token)
            .values(claimed_by=None, claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )


def retry_delay(attempts: int, first_retry: timedelta = RETRY_BASE) -> timedelta:
    """1, 2, 4 ... minutes (first_retry doubled) after the 1st, 2nd, 3rd ... failure, at
    most an hour, ±20 %.

    The jitter spreads the retries of a batch that failed together (a server outage).
    """
    delay = min(first_retry * 2 ** (attempts - 1), RETRY_CAP)
    return delay * random.uniform(0.8, 1.2)


def describe_error(error: Exception) -> str:
    """The error's type and SMTP code: never its text, which may quote an address."""
    code = getattr(error, "smtp_code", None)
    if code is None and isinstance(error, smtplib.SMTPRecipientsRefused):
        code = next(iter(error.recipients.values()))[0] if error.recipients else None
    if code is None and isinstance(error, OSError) and error.errno is not None:
        code = f"errno {error.errno}"
    return type(error).__name__ + (f" {code}" if code is not None else "")


def _as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)
