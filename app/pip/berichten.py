"""Berichten: the resident's inbox in Mijn omgeving and one message's page.

Messages are addressed by their random public_id; another resident's id answers 404
exactly like a missing one, and the refusal is logged without the BSN.
"""

from __future__ import annotations

import logging

from flask import abort, g, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import Row

from app.berichten.models import Message
from app.berichten.services import (
    attachment_for_bsn,
    get_message_for_bsn,
    message_counts,
    messages_for_bsn,
    read_attachment,
    unread_count,
    zaak_messages_and_unread,
)
from app.db import get_session, transaction
from app.pip import bp
from app.texts import localized_text
from app.ui import locale_name, private_download
from app.ui.dates import long_date_time
from app.ui.pagination import Pagination

log = logging.getLogger(__name__)

MESSAGES_PER_PAGE = 20
UNREAD = "pip_unread_messages"  # g: the unread count, once per request


# --------------------------------------------------------------------------- unread count


@bp.app_template_global("pip_unread_messages")
def pip_unread_messages() -> int:
    """The resident's unread messages, for the navigation: asked once per request, and not
    at all when the page's own query already told it (remember_unread)."""
    if UNREAD not in g:
        g.setdefault(UNREAD, unread_count(get_session(), current_user.bsn))
    return g.get(UNREAD)


def remember_unread(count: int) -> None:
    setattr(g, UNREAD, count)


# A zaak gets a message per status change meant for the resident and a few from staff; its
# page shows at most this many (Berichten has them all).
MESSAGES_ON_ZAAK_PAGE = 100


def zaak_messages_for_page(zaak_identificatie: str) -> list[Message]:
    """The logged-in resident's messages about the zaak, newest first, for its page; the
    same query tells the navigation's unread count."""
    messages, unread = zaak_messages_and_unread(get_session(), current_user.bsn,
                                                zaak_identificatie, limit=MESSAGES_ON_ZAAK_PAGE)
    remember_unread(unread)
    return messages


# --------------------------------------------------------------------------- display


def message_row(message: Message | Row) -> dict:
    """What a list (inbox, overview, a zaak's page) shows of a message: a Message, or a row
    with its public_id, onderwerp(_en), afzender, created_at, zaak_identificatie and read_at."""
    locale = locale_name()
    return {"onderwerp": localized_text(message.onderwerp, message.onderwerp_en, locale),
            "href": url_for("pip.bericht", public_id=message.public_id),
            "afzender": message.afzender,
            "when": long_date_time(message.created_at),
            "zaaknummer": message.zaak_identificatie,
            "unread": message.read_at is None}


# --------------------------------------------------------------------------- inbox


@bp.get("/mijn-omgeving/berichten")
@login_required
def berichten():
    db, bsn = get_session(), current_user.bsn
    total, unread = message_counts(db, bsn)
    remember_unread(unread)
    pager = Pagination.of(total, MESSAGES_PER_PAGE, "pip.berichten")
    rows = [message_row(message) for message in messages_for_bsn(
        db, bsn, limit=MESSAGES_PER_PAGE, offset=pager.offset)]
    return render_template("pip/berichten.html", rows=rows, total=total, unread=unread,
                           pager=pager)


# --------------------------------------------------------------------------- one message


@bp.get("/mijn-omgeving/berichten/<public_id>")
@login_required
def bericht(public_id: str):
    # Reading marks the message read: a write, so in a writer's transaction.
    with transaction() as db:
        message = get_message_for_bsn(db, current_user.bsn, public_id[:64])
        if message is None:
            log.warning("pip: message refused", extra={"path": request.path[:120]})
            abort(404)
    locale = locale_name()
    zaak_href = (url_for("pip.zaak", zaaknummer=message.zaak_identificatie)
                 if message.zaak_identificatie else None)
    attachments = [{"name": attachment.bestandsnaam, "size": attachment.bestandsomvang,
                    "href": url_for("pip.bericht_bijlage", public_id=message.public_id,
                                    nummer=number)}
                   for number, attachment in enumerate(message.attachments, start=1)]
    return render_template(
        "pip/bericht.html", row=message_row(message), attachments=attachments,
        paragraphs=[p.strip() for p in message.localized("tekst", locale).split("\n\n")
                    if p.strip()],
        zaak_href=zaak_href)


@bp.get("/mijn-omgeving/berichten/<public_id>/bijlagen/<int:nummer>")
@login_required
def bericht_bijlage(public_id: str, nummer: int):
    attachment = attachment_for_bsn(get_session(), current_user.bsn, public_id[:64], nummer)
    if attachment is None:
        log.warning("pip: attachment refused", extra={"path": request.path[:120]})
        abort(404)
    return private_download(read_attachment(attachment), attachment.bestandsnaam)
