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
from datetime import timedelta
from typing import Protocol

import click
from sqlalchemy.exc import SQLAlchemyError

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
