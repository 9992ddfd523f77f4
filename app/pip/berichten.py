"""Berichten: the resident's inbox in Mijn omgeving and one message's page.

Messages are addressed by their random public_id; another resident's id answers 404
exactly like a missing one, and the refusal is logged without the BSN.
"""

from __future__ import annotations

import logging

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import Row
from wtforms import FileField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from app.auth.kept_forms import KeptInputForm
from app.berichten.conversations import (
    Topic,
    thread_messages_for_bsn,
    topic_of,
    write_to_municipality,
)
from app.berichten.models import FROM_RESIDENT, Message
from app.berichten.services import (
    attachment_for_bsn,
    get_message_for_bsn,
    message_counts,
    message_for_bsn,
    messages_for_bsn,
    read_attachment,
    unread_count,
    zaak_messages_and_unread,
)
from app.catalog.facts import written_answer_words
from app.db import get_session, transaction
from app.notifications.services import Attachment
from app.once import claim_form_token, new_form_token, outcome_of, record_outcome
from app.pip import bp
from app.pip.services import zaak_topic
from app.texts import localized_text
from app.ui import locale_name, private_download
from app.ui.dates import long_date_time
from app.ui.pagination import Pagination
from app.uploads import AcceptedUpload, max_upload_mb

log = logging.getLogger(__name__)

MESSAGES_PER_PAGE = 20
MAX_MESSAGE = 5000  # characters of a resident's message
FORM_TOKEN = r"^[A-Za-z0-9_-]{20,64}$"  # app.once.new_form_token
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
    with its public_id, onderwerp(_en), afzender, created_at, zaak_identificatie, read_at and
    direction."""
    locale = locale_name()
    return {"onderwerp": localized_text(message.onderwerp, message.onderwerp_en, locale),
            "href": url_for("pip.bericht", public_id=message.public_id),
            "afzender": gettext("You") if message.direction == FROM_RESIDENT else message.afzender,
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


# --------------------------------------------------------------------------- writing


WRITE_PURPOSE = "bericht"  # app.once: a resident's message, sent once
NOTICE_SENT = "pip_message_sent"  # session: the page after the POST says it went


class WriteForm(KeptInputForm):
    """The resident's message to the municipality: kept when their session ends while they
    write (KeptInputForm), sent once however often it is posted (the token, app.once)."""

    token = HiddenField(validators=[DataRequired(), Regexp(FORM_TOKEN)])
    tekst = TextAreaField(_l("Your message"), validators=[
        DataRequired(_l("Write your message")),
        Length(max=MAX_MESSAGE, message=_l("Write at most %(max)d characters"))],
        render_kw={"rows": 6, "required": False})  # not styled invalid before typing
    bijlage = FileField(_l("Attachment (optional)"), validators=[AcceptedUpload(required=False)])


def write_form() -> WriteForm:
    form = WriteForm()
    if not form.is_submitted():
        form.token.data = new_form_token()
    form.tekst.description = gettext("We answer within %(norm)s. Do not write your BSN.",
                                     norm=written_answer_words())
    form.bijlage.description = gettext("A PDF, JPG or PNG file of at most %(size)s MB.",
                                       size=max_upload_mb())
    return form


def write_once(form: WriteForm, topic: Topic, answering: Message | None = None) -> str:
    """The public_id of the resident's message: written now by the first POST of the form's
    token, the first one's for any other (a double click, a reload, two tabs)."""
    token = form.token.data
    accepted = form.bijlage.accepted
    with transaction() as db:
        if not claim_form_token(db, token, purpose=WRITE_PURPOSE):
            return outcome_of(db, token, purpose=WRITE_PURPOSE)
        message = write_to_municipality(
            db, bsn=current_user.bsn, afzender=_resident_name(), topic=topic,
            tekst=form.tekst.data, answering=answering, namens=current_user.acts_for_someone,
            attachments=[Attachment(*accepted)] if accepted else [])
        record_outcome(db, token, message.public_id)
    session[NOTICE_SENT] = True
    return message.public_id


def _resident_name() -> str:
    """Who wrote, as staff and the resident read it: with DigiD Machtigen, who acted for whom."""
    if current_user.acting_name:
        return f"{current_user.acting_name} namens {current_user.display_name}"
    return current_user.display_name


# --------------------------------------------------------------------------- one message


def _entry(message: Message) -> dict:
    """One message of a conversation (or the one message) as its page shows it."""
    locale = locale_name()
    return {"afzender": gettext("You") if message.from_resident else message.afzender,
            "from_resident": message.from_resident,
            "when": long_date_time(message.created_at),
            "paragraphs": [p.strip() for p in message.localized("tekst", locale).split("\n\n")
                           if p.strip()],
            "attachments": [{"name": attachment.bestandsnaam, "size": attachment.bestandsomvang,
                             "href": url_for("pip.bericht_bijlage", public_id=message.public_id,
                                             nummer=number)}
                            for number, attachment in enumerate(message.attachments, start=1)]}


@bp.route("/mijn-omgeving/berichten/<public_id>", methods=["GET", "POST"])
@login_required
def bericht(public_id: str):
    public_id = public_id[:64]
    form = write_form()
    if form.validate_on_submit():  # the CSRF token, the text and the file (app.uploads)
        message = _own_message(message_for_bsn(get_session(), current_user.bsn, public_id))
        write_once(form, topic_of(message, zaak_topic(message.zaak_identificatie)),
                   answering=message)
        return redirect(url_for("pip.bericht", public_id=public_id, _anchor="gesprek-einde"))
    # Reading marks the message (and its conversation) read: a write, so in a writer's
    # transaction.
    with transaction() as db:
        message = _own_message(get_message_for_bsn(db, current_user.bsn, public_id))
        conversation = (thread_messages_for_bsn(db, current_user.bsn, message.thread_id)
                        if message.thread_id else [message])
        entries = [_entry(item) for item in conversation]
    zaak_href = (url_for("pip.zaak", zaaknummer=message.zaak_identificatie)
                 if message.zaak_identificatie else None)
    return render_template(
        "pip/bericht.html", row=message_row(message), entries=entries, form=form,
        public_id=public_id,
        form_errors=form.errors, sent=session.pop(NOTICE_SENT, False),
        zaak_href=zaak_href), 400 if form.errors else 200


def _own_message(message: Message | None) -> Message:
    if message is None:
        log.warning("pip: message refused", extra={"path": request.path[:120]})
        abort(404)
    return message


@bp.get("/mijn-omgeving/berichten/<public_id>/bijlagen/<int:nummer>")
@login_required
def bericht_bijlage(public_id: str, nummer: int):
    attachment = attachment_for_bsn(get_session(), current_user.bsn, public_id[:64], nummer)
    if attachment is None:
        log.warning("pip: attachment refused", extra={"path": request.path[:120]})
        abort(404)
    return private_download(read_attachment(attachment), attachment.bestandsnaam)
