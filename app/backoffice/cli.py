"""`flask --app wsgi backoffice add-staff`: the first beheerder of a new installation (the
others are added in the back office, Beheer > Medewerkers); `backoffice purge-submissions`
from cron."""

from datetime import timedelta

import click
from flask import current_app

from app.backoffice import bp
from app.backoffice.beheer.services import BeheerError, add_staff_member
from app.backoffice.services import forget_submissions
from app.db import transaction


@bp.cli.command("add-staff")
@click.argument("username")
@click.option("--naam", required=True, help="full name, as colleagues see it")
@click.option("--email", default="")
@click.option("--role", required=True, type=click.Choice(["kcc", "behandelaar", "beheerder"]))
@click.option("--team", default=None, help="kcc, burgerzaken, vergunningen, sociaal-domein, ...")
def add_staff_command(username: str, naam: str, email: str, role: str, team: str | None) -> None:
    """Let USERNAME (the identity provider's username claim) into the back office."""
    try:
        with transaction() as db:
            add_staff_member(db, username=username, naam=naam, email=email, role=role, team=team,
                             door="command line")
    except BeheerError as error:
        raise click.ClickException(f"not added: {error}") from error
    click.echo(f"Added {username} as {role}.")


@bp.cli.command("purge-submissions")
@click.option("--days", default=7, show_default=True, type=click.IntRange(min=1),
              help="Forget the one-time tokens of forms that acted longer ago than this.")
def purge_submissions_command(days: int) -> None:
    """Delete the one-time tokens of back-office forms past their use (run from cron)."""
    older_than = timedelta(days=days)
    if older_than.total_seconds() <= current_app.config["SESSION_ABSOLUTE_TIMEOUT"]:
        # Within a session's lifetime its forms can still be sent; their tokens stop a
        # second effect.
        raise click.ClickException("--days must be longer than SESSION_ABSOLUTE_TIMEOUT")
    with transaction() as db:
        count = forget_submissions(db, older_than)
    click.echo(f"Deleted {count} form token(s).")
