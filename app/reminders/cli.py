"""`flask reminders run`: the daily job that sends the proactive reminders."""

import click

from app.db import transaction
from app.reminders import bp
from app.reminders.services import send_reminders
from app.zaken.services import today


@bp.cli.command("run")
def run_command() -> None:
    """Send the reminders that are due (safe to run more than once, on several nodes)."""
    with transaction() as session:
        sent = send_reminders(session, today=today())
    click.echo(f"Reminders sent: {sent}.")
