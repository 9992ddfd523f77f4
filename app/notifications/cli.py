"""`flask mail deliver` (one pass) and `flask mail worker` (keeps delivering until stopped)."""

from datetime import timedelta

import click
from flask import current_app

from app.notifications import bp
from app.notifications.delivery import (
    DeliveryReport,
    SmtpSettings,
    deliver_due,
)
from app.worker import run_worker


def _deliver_once(batch_size: int) -> DeliveryReport:
    config = current_app.config
    return deliver_due(
        current_app.extensions["db"].sessionmaker, SmtpSettings.from_config(config),
        batch_size=batch_size,
        max_attempts=config["MAIL_MAX_ATTEMPTS"],
        first_retry=timedelta(seconds=config["MAIL_RETRY_SECONDS"]),
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
    config = current_app.config
    run_worker("Mail worker", lambda: _deliver_once(batch_size), interval=interval,
               batch_size=batch_size,
               banner=f"Mail worker: SMTP {config['SMTP_HOST']}:{config['SMTP_PORT']}, "
                      f"polling every {interval:g} s.")
