"""`flask mail deliver` (one pass) and `flask mail worker` (keeps delivering until stopped)."""

import logging
import signal
import threading

import click
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from app.notifications import bp
from app.notifications.delivery import (
    DeliveryReport,
    SmtpSettings,
    deliver_due,
)

log = logging.getLogger(__name__)


def _deliver_once(batch_size: int) -> DeliveryReport:
    config = current_app.config
    return deliver_due(
        current_app.extensions["db"].sessionmaker, SmtpSettings.from_config(config),
        batch_size=batch_size,
        max_attempts=config["MAIL_MAX_ATTEMPTS"],
    )


@bp.cli.command("deliver")
@click.option("--batch-size", default=50, show_default=True, help="Most mails to send.")
def deliver(batch_size: int) -> None:
    """Send the mail that is due now, once."""
    click.echo(_deliver_once(batch_size).summary())


@bp.cli.command("worker")
@click.option("--interval", default=5.0, show_default=True,
              help="Seconds to wait when no mail is due.")
@click.option("--batch-size", default=50, show_default=True, help="Mails per batch.")
def worker(interval: float, batch_size: int) -> None:
    """Keep sending due mail until Ctrl+C or SIGTERM (finishes the batch in hand)."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    click.echo(f"Mail worker: SMTP {current_app.config['SMTP_HOST']}:"
               f"{current_app.config['SMTP_PORT']}, polling every {interval:g} s.")
    try:
        while not stop.is_set():
            try:
                report = _deliver_once(batch_size)
            except SQLAlchemyError:
                # The database is away (restart, failover): try again next round.
                log.exception("mail worker: database unavailable")
                report = DeliveryReport()
            if report.claimed:
                click.echo(report.summary())
            # A full batch means more is probably due: go on without waiting.
            if report.claimed < batch_size:
                stop.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("Mail worker stopped.")
