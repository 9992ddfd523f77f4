"""`flask contacts refresh` (one pass, for cron) and `flask contacts worker` (keeps the
dashboard's monthly figures fresh until stopped)."""

import click
from flask import current_app

from app.contacts.aggregates import RefreshReport, refresh
from app.worker import run_worker


def _refresh_once() -> RefreshReport:
    sessionmaker = current_app.extensions["db"].sessionmaker
    with sessionmaker() as session, session.begin():
        return refresh(session)


@click.group("contacts")
def contacts() -> None:
    """The contact ledger and the kanaalsturing dashboard's figures."""


@contacts.command("refresh")
def refresh_command() -> None:
    """Sum the months whose contacts changed since the last refresh, once."""
    click.echo(_refresh_once().summary())


@contacts.command("worker")
@click.option("--interval", default=300.0, show_default=True,
              help="Seconds between two refreshes.")
def worker(interval: float) -> None:
    """Refresh the dashboard's figures every interval until Ctrl+C or SIGTERM."""
    run_worker("Contact figures worker", _refresh_once, interval=interval, batch_size=1,
               banner=f"Contact figures worker: refreshing every {interval:g} s.")
