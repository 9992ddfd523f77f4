"""Queueing mail: other features call queue_mail inside their own transaction."""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import DIALECT_INSERTS, utcnow
from app.notifications.models import STATUS_PENDING, OutboxMessage

DEFAULT_BASE_URL = "http://localhost:5000"


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


# One INSERT ... ON CONFLICT DO NOTHING per dialect, built once (every submit queues a
# mail; a fresh statement's cache key costs more Python time than the INSERT itself).
_INSERT_UNLESS_DUPLICATE = {
    name: (insert(OutboxMessage).on_conflict_do_nothing(index_elements=[OutboxMessage.dedupe_key])
           .returning(OutboxMessage))
    for name, insert in DIALECT_INSERTS.items()}


def _insert_unless_duplicate(session: Session, values: dict) -> OutboxMessage:
    """Atomic against a concurrent transaction queuing the same key, and the caller's
    transaction stays usable either way."""
    statement = _INSERT_UNLESS_DUPLICATE[session.get_bind().dialect.name]
    message = session.scalars(statement, values).one_or_none()
    return message if message is not None else _find_by_dedupe_key(session, values["dedupe_key"])


def _find_by_dedupe_key(session: Session, dedupe_key: str) -> OutboxMessage | None:
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    ).one_or_none()


def _attachment_json(attachment: Attachment) -> dict[str, str]:
    return {"filename": attachment.filename, "content_type": attachment.content_type,
            "content": base64.b64encode(attachment.content).decode("ascii")}


def portal_url(endpoint: str, **values) -> str:
    """An absolute link into the portal for a mail. PORTAL_BASE_URL when configured (an
    API call, a worker or a cron job has no resident-facing host), else the request's own host,
    else http://localhost:5000."""
    base = current_app.config.get("PORTAL_BASE_URL") or ""
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or DEFAULT_BASE_URL)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)
