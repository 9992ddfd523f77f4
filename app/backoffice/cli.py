"""`flask --app wsgi backoffice add-staff`: the first beheerder of a new installation (the
others are added in the back office, Beheer > Medewerkers)."""

import click

from app.backoffice import bp
from app.backoffice.beheer_services import BeheerError, add_staff_member
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
