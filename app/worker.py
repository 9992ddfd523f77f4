"""The loop of a long-running worker command (`flask mail worker`, `flask notificaties worker`).

It runs one batch after another until SIGINT or SIGTERM, finishing the batch in hand;
waits ``interval`` seconds when a batch was not full (nothing more is due); and keeps
going when the database is away for a while (a restart, a failover).
"""

import logging
import random
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

import click
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


class BatchReport(Protocol):
    @property
    def claimed(self) -> int: ...

    def summary(self) -> str: ...


def run_worker(name: str, run_batch: Callable[[], BatchReport], *, interval: float,
               batch_size: int, banner: str) -> None:
    """Call ``run_batch`` until stopped; echo each non-empty batch's summary."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    click.echo(banner)
    try:
        while not stop.is_set():
            try:
                report = run_batch()
            except SQLAlchemyError:
                # The database is away (restart, failover): try again next round.
                log.exception("%s: database unavailable", name.lower())
                claimed = 0
            else:
                claimed = report.claimed
                if claimed:
                    click.echo(report.summary())
            # A full batch means more is probably due: go on without waiting.
            if claimed < batch_size:
                stop.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo(f"{name} stopped.")


def backoff(attempts: int, *, base: timedelta, cap: timedelta) -> timedelta:
    """``base``, twice that, four times ... after the 1st, 2nd, 3rd ... failure, at most
    ``cap``, ±20 %: the jitter spreads the retries of a batch that failed together."""
    delay = min(base * 2 ** (attempts - 1), cap)
    return delay * random.uniform(0.8, 1.2)


def claim_batch(session_factory: Callable[[], Session], model, *, token: str, batch_size: int,
                now: datetime, pending: str, claimed: str, lease: timedelta,
                order_by: tuple, **also: Any) -> list:
    """Claim up to ``batch_size`` due rows of a work table for this worker's ``token``.

    The table has ``status``, ``next_attempt_at``, ``claimed_by`` and ``claimed_until``:
    a row is due when it is ``pending`` and its attempt is due, or ``claimed`` by a worker
    whose lease ran out (it died). Several workers may claim at once: PostgreSQL skips the
    rows another worker locked, and the due condition in the UPDATE makes a row another
    worker claimed in the meantime not match, so no row is ever claimed twice. ``also``:
    more columns to set with the claim (e.g. counting it as an attempt).
    """
    def due():
        return or_(and_(model.status == pending, model.next_attempt_at <= now),
                   and_(model.status == claimed, model.claimed_until <= now))

    candidates = (select(model.id).where(due()).order_by(model.next_attempt_at)
                  .limit(batch_size)
                  .with_for_update(skip_locked=True))  # rendered on PostgreSQL only
    claim = (update(model).where(model.id.in_(candidates), due())
             .values(status=claimed, claimed_by=token, claimed_until=now + lease, **also)
             .execution_options(synchronize_session=False))
    with session_factory() as session, session.begin():
        session.execute(claim)
        rows = list(session.scalars(
            select(model).where(model.claimed_by == token, model.status == claimed)
            .order_by(*order_by)))
        session.expunge_all()  # the caller works on them in sessions of its own
        return rows
