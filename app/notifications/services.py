"""Queueing mail: other features call queue_mail inside their own transaction."""

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import dialect_insert, utcnow
from app.notifications.models import STATUS_PENDING, OutboxMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str   # e.g. "text/calendar; method=PUBLISH; charset=utf-8"
    content: bytes


def queue_mail(session: Session, *, to: str, subject: str, text: str, html: str | None = None,
               attachments: Sequence[Attachment] = (),
               dedupe_key: str | None = None) -> OutboxMessage:
    """Put a mail in the outbox, in the caller's transaction (flushed, not committed).

    The mail leaves only when the caller commits, so a rolled-back submit sends
    nothing. Queuing a dedupe_key that is already in the outbox returns that
    message and adds nothing, also when another transaction queues it at the
    same moment.
    """
    now = utcnow()
    values = dict(
        recipient=to, subject=subject, text_body=text, html_body=html,
        attachments=[_attachment_json(attachment) for attachment in attachments],
        dedupe_key=dedupe_key, status=STATUS_PENDING, attempts=0,
        next_attempt_at=now, created_at=now,
    )
    if dedupe_key is None:
        message = OutboxMessage(**values)
        session.add(message)
        session.flush()
        return message
    return _insert_unless_duplicate(session, values)


def _insert_unless_duplicate(session: Session, values: dict) -> OutboxMessage:
    """One INSERT ... ON CONFLICT DO NOTHING: atomic against a concurrent transaction
    queuing the same key, and the caller's transaction stays usable either way."""
    statement = (dialect_insert(session, OutboxMessage).values(**values)
                 .on_conflict_do_nothing(index_elements=[OutboxMessage.dedupe_key])
                 .returning(OutboxMessage))
    message = session.scalars(statement).one_or_none()
    return message if message is not None else _find_by_dedupe_key(session, values["dedupe_key"])


def _find_by_dedupe_key(session: Session, dedupe_key: str) -> OutboxMessage | None:
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    ).one_or_none()


def _attachment_json(attachment: Attachment) -> dict[str, str]:
    return {"filename": attachment.filename, "content_type": attachment.content_type,
            "content": base64.b64encode(attachment.content).decode("ascii")}
