"""Command-line tasks: `flask --app wsgi db upgrade`, `seed`, `sessions purge`."""

from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app

from app.db import get_session

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str):
    # Imported here: Alembic announces its plugins in the log on import, which
    # is noise in every `flask run`.
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def register_commands(app: Flask) -> None:
    from app.contacts.cli import contacts
    from app.zaken.zgw.cli import zgw

    app.cli.add_command(zgw)
    app.cli.add_command(contacts)

    @app.cli.group("db")
    def db_group():
        """Database schema (Alembic migrations)."""

    @db_group.command("upgrade")
    def upgrade():
        """Bring the database schema to the newest revision."""
        from alembic import command

        _ensure_sqlite_directory(current_app.config["DATABASE_URL"])
        command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), "heads")

    @app.cli.command("seed")
    def seed():
        """Add reference data and the fictional demo personas; list the personas."""
        from app.persons.services import load_personas
        from app.seed import seed_all

        for name, added in seed_all(get_session()).items():
            click.echo(f"Added {added} {name}.")
        click.echo("Log in as one of these personas at the mock DigiD:")
        personas = load_personas()
        names = {persona["bsn"]: " ".join(filter(None, (
            persona["voornamen"], persona["voorvoegsel"], persona["geslachtsnaam"])))
            for persona in personas}
        for persona in personas:
            bsn = persona["bsn"]
            click.echo(f"  - {names[bsn]} (BSN {bsn}, DigiD level {persona['loa']})")
            for represented in persona.get("machtigingen", ()):
                click.echo(f"    or on behalf of {names[represented]} (DigiD Machtigen)")

    @app.cli.group("sessions")
    def sessions_group():
        """Server-side sessions."""

    @sessions_group.command("purge")
    def purge():
        """Delete sessions past their absolute timeout, the one-time tokens their forms
        used, and kept input nobody came back for (run from cron)."""
        from app.auth.kept import purge_kept_inputs
        from app.auth.sessions import purge_expired_sessions
        from app.db import transaction
        from app.once import forget_form_tokens

        click.echo(f"Deleted {purge_expired_sessions(current_app)} session(s).")
        lifetime = timedelta(seconds=current_app.config["SESSION_ABSOLUTE_TIMEOUT"])
        with transaction() as db:
            click.echo(f"Deleted {forget_form_tokens(db, lifetime)} used form token(s).")
            click.echo(f"Deleted {purge_kept_inputs(db)} kept input(s) past KEPT_INPUT_HOURS.")


def _ensure_sqlite_directory(url: str) -> None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != prefix + ":memory:":
        Path(url.removeprefix(prefix)).parent.mkdir(parents=True, exist_ok=True)
