"""Back office: residents' questions and answers waiting for the municipality, and one
conversation's page where staff read and answer it.

Who sees a conversation follows who sees its zaak (can_view_zaak, by the zaak's team now;
a subject's conversation by its team, the KCC). The list shows what a conversation is
about, never who wrote it, so it reads no personal data; opening one reads the resident's
messages and is written to the disclosure log in the same transaction.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from app.auth.permissions import Permission, requires
from app.auth.staff import team_label
from app.backoffice import bp
from app.backoffice.common import (
    SENT_ALREADY,
    check_team,
    check_view,
    norm_cell,
    norm_text,
    notices,
    teams_in_scope,
    written_answer_norm,
)
from app.backoffice.gesprekken.forms import AnswerForm
from app.backoffice.services import claim_submission, zaak_for_staff
from app.berichten.conversations import (
    Topic,
    WaitingThread,
    answer_thread,
    count_waiting,
    find_thread,
    mark_read_by_staff,
    staff_attachment,
    thread_for_staff,
    thread_messages,
    thread_name,
    waiting_threads,
)
from app.berichten.models import Message, Thread
from app.berichten.services import read_attachment
from app.catalog.facts import written_answer_days
from app.db import get_session, transaction
from app.notifications.services import Attachment
from app.persons.services import log_disclosure
from app.ui import locale_name, private_download
from app.ui.dates import long_date, short_date_time
from app.ui.pagination import Pagination
from app.uploads import max_upload_mb
from app.zaken.services import today

PER_PAGE = 50
# Disclosure log: the resident reads it (Dutch, B1), so it is data, not a msgid.
PURPOSE_READ = "Uw bericht lezen en beantwoorden"
READ_CATEGORIES = ["naam", "berichten"]


# --------------------------------------------------------------------------- the list


def _row(thread: WaitingThread) -> list:
    return [
        {"text": (gettext("Case %(zaaknummer)s", zaaknummer=thread.zaak_identificatie)
                  if thread.zaak_identificatie else thread.onderwerp),
         "href": url_for("backoffice.conversation", public_id=thread.public_id)},
        team_label(thread.team),
        {"text": short_date_time(thread.waiting_since),
         "lines": [ngettext("%(num)d working day", "%(num)d working days",
                            thread.norm.waited_days)]},
        norm_cell(thread.norm),
        ngettext("%(num)d new message", "%(num)d new messages", thread.unread)
        if thread.unread else "",
    ]


@bp.get("/gesprekken")
@requires(Permission.VIEW_ZAKEN)
def conversations():
    db, teams = get_session(), teams_in_scope()
    pager = Pagination.of(count_waiting(db, teams), PER_PAGE, "backoffice.conversations")
    threads = waiting_threads(db, teams, today=today(), working_days=written_answer_days(),
                              limit=PER_PAGE, offset=pager.offset)
    return render_template("backoffice/gesprekken.html", active="conversations",
                           rows=[_row(thread) for thread in threads], pager=pager,
                           notices=notices())


# --------------------------------------------------------------------------- one conversation


def _visible_thread(db, public_id: str, *, for_update: bool = False) -> tuple[Thread, object]:
    """The thread and its zaak (None for a subject) when the employee may see it: 404 when
    there is none, 403 when its zaak's team (or its own team) is not theirs."""
    thread = thread_for_staff(db, public_id[:64], for_update=for_update)
    if thread is None:
        abort(404)
    zaak = zaak_for_staff(db, thread.zaak_identificatie) if thread.zaak_identificatie else None
    check_team(thread.zaak_identificatie or thread.public_id, zaak.team if zaak else thread.team)
    return thread, zaak


def _entry(message: Message, thread: Thread) -> dict:
    return {"afzender": message.afzender, "from_resident": message.from_resident,
            "when": short_date_time(message.created_at),
            "paragraphs": [p.strip() for p in message.tekst.split("\n\n") if p.strip()],
            "attachments": [{"name": attachment.bestandsnaam,
                             "size": attachment.bestandsomvang,
                             "href": url_for("backoffice.conversation_attachment",
                                             public_id=thread.public_id,
                                             message_id=message.public_id, nummer=number)}
                            for number, attachment in enumerate(message.attachments, start=1)]}


@bp.route("/gesprekken/<public_id>", methods=["GET", "POST"])
@requires(Permission.VIEW_ZAKEN)
def conversation(public_id: str):
    form = AnswerForm()
    if form.validate_on_submit():
        _answer_once(public_id, form)
        return redirect(url_for("backoffice.conversations"))
    with transaction() as db:
        thread, zaak = _visible_thread(db, public_id)
        # Reading the resident's messages is a disclosure; every view is logged.
        log_disclosure(db, bsn=thread.bsn, recipient=current_user.disclosure_recipient,
                       purpose=PURPOSE_READ, zaak=thread.zaak_identificatie or None,
                       data_categories=READ_CATEGORIES, channel="backoffice")
        mark_read_by_staff(db, thread)
        entries = [_entry(message, thread) for message in thread_messages(db, thread)]
        norm = written_answer_norm(thread.waiting_since) if thread.waiting_since else None
        form.bijlage.description = gettext("A PDF, JPG or PNG file of at most %(size)s MB.",
                                           size=max_upload_mb())
        return render_template(
            "backoffice/gesprek.html", active="conversations", thread=thread,
            name=thread_name(thread, locale_name()), entries=entries, form=form,
            form_errors=form.errors, team=team_label(zaak.team if zaak else thread.team),
            norm=norm and {"text": norm_text(norm), "overdue": norm.overdue,
                           "due": long_date(norm.due)},
            zaak_href=(url_for("backoffice.zaak", identificatie=zaak.identificatie)
                       if zaak else None)), 400 if form.errors else 200


def _answer_once(public_id: str, form: AnswerForm) -> None:
    """Send the answer with the thread locked, once per form (its one-time token)."""
    accepted = form.bijlage.accepted
    with transaction() as db:
        thread, zaak = _visible_thread(db, public_id, for_update=True)
        if not claim_submission(db, token=form.token.data, action="answer-conversation",
                                zaak=thread.zaak_identificatie, username=current_user.username):
            flash(str(SENT_ALREADY), "info")
            return
        answer_thread(db, thread, tekst=form.tekst.data, afzender=current_user.disclosure_recipient,
                      attachments=[Attachment(*accepted)] if accepted else [],
                      initiator_email=zaak.initiator.email if zaak and zaak.initiator else "")
    flash(gettext("Your answer is in the resident's Messages. They get an email that a "
                  "message is waiting."), "ok")


@bp.get("/zaken/<identificatie>/gesprek")
@requires(Permission.VIEW_ZAKEN)
def zaak_conversation(identificatie: str):
    """From the zaak's page: the conversation with its initiator about it."""
    db = get_session()
    zaak = check_view(zaak_for_staff(db, identificatie))
    thread = (find_thread(db, zaak.initiator_bsn, Topic.zaak(zaak.identificatie, zaak.team))
              if zaak.initiator_bsn else None)
    if thread is None:
        abort(404)
    return redirect(url_for("backoffice.conversation", public_id=thread.public_id))


@bp.get("/gesprekken/<public_id>/berichten/<message_id>/bijlagen/<int:nummer>")
@requires(Permission.VIEW_ZAKEN)
def conversation_attachment(public_id: str, message_id: str, nummer: int):
    with transaction() as db:
        thread, _zaak = _visible_thread(db, public_id)
        attachment = staff_attachment(db, thread, message_id[:64], nummer)
        if attachment is None:
            abort(404)
        log_disclosure(db, bsn=thread.bsn, recipient=current_user.disclosure_recipient,
                       purpose=PURPOSE_READ, zaak=thread.zaak_identificatie or None,
                       data_categories=["berichten", "documenten"], channel="backoffice")
        return private_download(read_attachment(attachment), attachment.bestandsnaam)
