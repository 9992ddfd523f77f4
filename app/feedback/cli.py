"""`flask feedback purge`: forget the feedback links that have expired (daily)."""

import click

from app.db import transaction
from app.feedback import bp
from app.feedback.services import forget_expired_invitations


@bp.cli.command("purge")
def purge_command() -> None:
    """Delete expired feedback invitations (the scores stay: they lead to nobody)."""
    with transaction() as session:
        forgotten = forget_expired_invitations(session)
    click.echo(f"Expired feedback links forgotten: {forgotten}.")
