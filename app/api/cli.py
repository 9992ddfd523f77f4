"""`flask api ...`: manage API partners and their tokens.

A token is printed once, when it is made; only its hash is stored.
"""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app, g
from flask_babel import force_locale, gettext

from app.api import bp
from app.api.services import (
    PartnerError,
    create_partner,
    get_partner,
    list_partners,
    new_token,
    purge_idempotency_keys,
    revoke_tokens,
)
from app.db import get_session


def _default_locale():
    """Texts in the portal's default language (staff run these commands)."""
    g.setdefault("api_cli", True)  # Flask-Babel keeps a forced locale only on a non-empty g
    return force_locale(current_app.config["BABEL_DEFAULT_LOCALE"])


def _say(text) -> None:
    """Echo ``text``: a callable that calls gettext, run in the default language (its
    literal stays inside gettext() where pybabel extracts it)."""
    with _default_locale():
        click.echo(text())


def _partner_or_fail(session, naam: str):
    partner = get_partner(session, naam)
    if partner is None:
        raise click.ClickException(f"no partner named {naam!r}")
    return partner


@bp.cli.command("create-partner")
@click.argument("naam")
@click.option("--zaaktype", "zaaktypen", multiple=True, required=True,
              help="A zaaktype (identificatie) the partner may read and change; repeat it.")
@click.option("--read-only", is_flag=True, help="The partner may read, not change.")
def create_partner_command(naam: str, zaaktypen: tuple[str, ...], read_only: bool) -> None:
    """Register a partner and print its first token (once)."""
    session = get_session()
    try:
        partner, token = create_partner(session, naam=naam, zaaktypen=zaaktypen,
                                        can_write=not read_only)
    except PartnerError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    _say(lambda: gettext("Partner %(naam)s may use the zaaktypen: %(scopes)s.",
                         naam=partner.naam, scopes=", ".join(partner.scopes)))
    _say(lambda: gettext("Its token, shown only now (store it safely):"))
    click.echo(token)


@bp.cli.command("new-token")
@click.argument("naam")
def new_token_command(naam: str) -> None:
    """Give a partner another token (to rotate: then revoke the old one)."""
    session = get_session()
    partner = _partner_or_fail(session, naam)
    token = new_token(session, partner)
    session.commit()
    _say(lambda: gettext("Its token, shown only now (store it safely):"))
    click.echo(token)


@bp.cli.command("revoke")
@click.argument("naam")
@click.option("--token", "prefix", help="Revoke only the token starting with these 8 characters.")
@click.option("--deactivate", is_flag=True, help="Also switch the partner off altogether.")
def revoke_command(naam: str, prefix: str | None, deactivate: bool) -> None:
    """Revoke a partner's tokens (all of them, or one by its prefix)."""
    session = get_session()
    partner = _partner_or_fail(session, naam)
    count = revoke_tokens(session, partner, prefix)
    if deactivate:
        partner.active = False
    session.commit()
    _say(lambda: gettext("Revoked %(count)s token(s) of %(naam)s.", count=count,
                         naam=partner.naam))
    if deactivate:
        _say(lambda: gettext("The partner is switched off."))


@bp.cli.command("list")
def list_command() -> None:
    """List the partners, their zaaktypen and their active tokens (by prefix)."""
    with _default_locale():
        for partner in list_partners(get_session()):
            prefixes = ", ".join(t.prefix for t in partner.tokens if t.is_active) or "-"
            state = gettext("active") if partner.active else gettext("switched off")
            access = gettext("read and change") if partner.can_write else gettext("read only")
            click.echo(f"{partner.naam}: {', '.join(partner.scopes)} ({access}, {state}); "
                       f"tokens: {prefixes}")


@bp.cli.command("purge-keys")
@click.option("--days", default=7, show_default=True, type=click.IntRange(min=1),
              help="Forget idempotency keys older than this many days.")
def purge_keys_command(days: int) -> None:
    """Delete stored idempotency keys and answers past their term (run from cron)."""
    session = get_session()
    count = purge_idempotency_keys(session, timedelta(days=days))
    session.commit()
    _say(lambda: gettext("Deleted %(count)s idempotency key(s).", count=count))
