"""Handling the inbox: claim due notificaties, run their handlers, record the outcome.

Several workers (one per app node) may run at once, claiming as the mail outbox does
(app/notifications/delivery.py): a batch is claimed in one short transaction by a
single conditional UPDATE that stamps the rows with the worker's own token; on
PostgreSQL the candidates are picked with ``FOR UPDATE SKIP LOCKED``, on SQLite the
UPDATE takes the database's write lock; on both, a row is only claimed while it is still
due, so two workers never hold the same notificatie.

Each notificatie's handlers then run in one transaction of their own that also marks the
notificatie processed, but only while the claim is still this worker's: the handlers'
writes and the "processed" mark commit together or not at all. A handler that raises
rolls all of it back; the notificatie is retried with backoff and its error recorded.
A worker that dies mid-batch leaves its claims to expire, after which another worker
takes them over: a notificatie is handled at least once, never lost (hence handlers must
be idempotent; see app.notificaties.services).
"""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.db import begin_write, utcnow
from app.notificaties.models import (
    STATUS_FAILED,
    STATUS_IGNORED,
    STATUS_PENDING,
    STATUS_PROCESSED,
    STATUS_PROCESSING,
    ReceivedNotification,
)
from app.notificaties.services import Handler, HandlerRegistry, as_notificatie, registry
from app.remote import RemoteError
from app.worker import backoff, claim_batch

log = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 10
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
# Long enough for a batch whose handlers call slow registers (batch × calls × timeout);
# only a worker that died keeps its claims this long.
CLAIM_LEASE = timedelta(minutes=15)
_REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ProcessReport:
    claimed: int = 0
    processed: int = 0
    ignored: int = 0
    retrying: int = 0
    failed: int = 0

    def summary(self) -> str:
        return (f"{self.claimed} due, {self.processed} processed, {self.ignored} ignored "
                f"(no handler), {self.retrying} to retry, {self.failed} failed permanently")


def process_due(session_factory: Callable[[], Session], *,
                handlers: HandlerRegistry = registry, batch_size: int = 50,
                now: datetime | None = None,
                max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> ProcessReport:
    """Handle one batch of due notificaties; one that fails is retried later."""
    now = now or utcnow()
    token = secrets.token_hex(16)
    rows = claim_due(session_factory, token, batch_size, now)
    outcomes = dict.fromkeys((STATUS_PROCESSED, STATUS_IGNORED, STATUS_PENDING,
                              STATUS_FAILED, None), 0)
    for row in rows:
        outcomes[_process(session_factory, handlers, row, token, now, max_attempts)] += 1
    return ProcessReport(claimed=len(rows), processed=outcomes[STATUS_PROCESSED],
                         ignored=outcomes[STATUS_IGNORED], retrying=outcomes[STATUS_PENDING],
                         failed=outcomes[STATUS_FAILED])





def claim_due(session_factory: Callable[[], Session], token: str, batch_size: int,
              now: datetime) -> list[ReceivedNotification]:
    """Claim up to ``batch_size`` due notificaties for ``token``, oldest event first."""
    return claim_batch(session_factory, ReceivedNotification, token=token,
                       batch_size=batch_size, now=now, pending=STATUS_PENDING,
                       claimed=STATUS_PROCESSING, lease=CLAIM_LEASE,
                       order_by=(ReceivedNotification.aanmaakdatum, ReceivedNotification.id))


def _process(session_factory, handlers: HandlerRegistry, row: ReceivedNotification,
             token: str, now: datetime, max_attempts: int) -> str | None:
    notificatie = as_notificatie(row)
    matching = handlers.handlers_for(notificatie)
    label = f"notificatie {row.id} ({row.kanaal}/{row.resource}/{row.actie})"
    if not matching:
        with session_factory() as session, session.begin():
            done = _release(session, row, token, status=STATUS_IGNORED,
                            processed_at=utcnow(), attempts=row.attempts + 1, last_error=None)
        log.debug("%s: no handler, ignored", label)
        return STATUS_IGNORED if done else None
    with session_factory() as session:
        running: Handler | None = None
        try:
            begin_write(session)
            for running in matching:
                running(session, notificatie)
            running = None
            done = _release(session, row, token, status=STATUS_PROCESSED,
                            processed_at=utcnow(), attempts=row.attempts + 1, last_error=None)
            if not done:
                # Our claim expired and another worker took the notificatie over: leave it
                # to that one, and undo what the handlers wrote here.
                session.rollback()
                log.warning("%s: claim expired while handling; left to the other worker",
                            label)
                return None
            session.commit()
        except Exception as error:  # noqa: BLE001  (any handler error is retried, not fatal)
            session.rollback()
            return _schedule_retry(session_factory, row, token, describe_error(error, running),
                                   now, max_attempts, label)
    log.info("%s processed (attempt %s)", label, row.attempts + 1)
    return STATUS_PROCESSED


def _schedule_retry(session_factory, row: ReceivedNotification, token: str, reason: str,
                    now: datetime, max_attempts: int, label: str) -> str | None:
    attempts = row.attempts + 1
    with session_factory() as session, session.begin():
        if attempts >= max_attempts:
            done = _release(session, row, token, status=STATUS_FAILED, attempts=attempts,
                            last_error=reason)
            status = STATUS_FAILED
        else:
            next_attempt_at = now + backoff(attempts, base=RETRY_BASE, cap=RETRY_CAP)
            done = _release(session, row, token, status=STATUS_PENDING, attempts=attempts,
                            next_attempt_at=next_attempt_at, last_error=reason)
            status = STATUS_PENDING
    if not done:
        return None
    if status == STATUS_FAILED:
        log.error("%s failed permanently after %s attempts: %s", label, attempts, reason)
    else:
        log.warning("%s not processed (attempt %s: %s); retry at %s UTC", label, attempts,
                    reason, f"{next_attempt_at:%Y-%m-%d %H:%M:%S}")
    return status


def _release(session: Session, row: ReceivedNotification, token: str, **values) -> bool:
    """Record the outcome and end the claim, only while the claim is ours: a worker that
    outlived its lease must not overwrite what the worker that took over recorded."""
    result = session.execute(
        update(ReceivedNotification)
        .where(ReceivedNotification.id == row.id, ReceivedNotification.claimed_by == token)
        .values(claimed_by=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def describe_error(error: Exception, handler: Handler | None) -> str:
    """The error's type, the register and status of a failed call, where it was raised and
    by which handler; never the error's text, which may quote a BSN or a URL with one."""
    reason = type(error).__name__
    if isinstance(error, RemoteError):
        reason += f" from {error.api}" + (f" ({error.status})" if error.status else "")
    frames = traceback.extract_tb(error.__traceback__)
    if frames:
        reason += f" at {_short_path(frames[-1].filename)}:{frames[-1].lineno}"
    if handler is not None:
        reason += f" in {handler.__module__}.{getattr(handler, '__qualname__', handler)}"
    return reason[:300]


def _short_path(filename: str) -> str:
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(_REPO_ROOT))
    except ValueError:
        return path.name
