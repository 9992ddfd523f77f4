"""Queueing mail: other features call queue_mail inside their own transaction."""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.notifications.models import STATUS_PENDING, OutboxMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str   # e.g. "text/calendar; method=PUBLISH; charset=utf-8"
    content: bytes


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def queue_mail(session: Session, *, to: str, subject: str, text: str, html: str | None = None,
               attachments: Sequence[Attachment] = (),
               dedupe_key: str | None = None) -> OutboxMessage:
    """Put a mail in the outbox, in the caller's transaction (flushed, not committed).

    The mail leaves only when the caller commits, so a rolled-back submit sends
    nothing. Queuing a dedupe_key that is already in the outbox returns that
    message and adds nothing, also when another transaction queues it at the
    same moment.
    """
    if dedupe_key is not None:
        existing = _find_by_dedupe_key(session, dedupe_key)
        if existing is not None:
            return existing
    now = utcnow()
    message = OutboxMessage(
        recipient=to, subject=subject, text_body=text, html_body=html,
        attachments=[_attachment_json(attachment) for attachment in attachments],
        dedupe_key=dedupe_key, status=STATUS_PENDING, attempts=0,
        next_attempt_at=now, created_at=now,
    )
    if dedupe_key is None:
        session.add(message)
        session.flush()
        return message
    return _insert_unless_duplicate(session, message)


def _insert_unless_duplicate(session: Session, message: OutboxMessage) -> OutboxMessage:
    # A savepoint, so losing the race to a concurrent transaction undoes only
    # this insert and leaves the caller's transaction usable.
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        existing = _find_by_dedupe_key(session, message.dedupe_key)
        if existing is None:
            raise
        return existing
    return message


def _find_by_dedupe_key(session: Session, dedupe_key: str) -> OutboxMessage | None:
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    ).one_or_none()


def _attachment_json(attachment: Attachment) -> dict[str, str]:
    return {"filename": attachment.filename, "content_type": attachment.content_type,
            "content": base64.b64encode(attachment.content).decode("ascii")}
