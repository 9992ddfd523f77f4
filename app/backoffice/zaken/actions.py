"""The actions on a zaak's page: set the next status, ask for a document, add a document,
send a message, record the result, route to another team.

Each is a POST with CSRF token and a one-time token (a second submit of the same form does
nothing), checks can_handle_zaak (routing: the ROUTE_ZAKEN permission) and answers 403,
runs in one transaction on the zaak as it is then (row locked), and redirects to the zaak
page with a notice (PRG). A form that does not validate comes back on the zaak page with
its errors and everything typed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from flask import abort, flash, redirect, request
from flask_babel import LazyString, format_date, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.permissions import Permission, requires
from app.auth.staff import team_label
from app.backoffice import bp
from app.backoffice.common import (
    SENT_ALREADY,
    StaleForm,
    Work,
    both,
    check_view,
    may_act,
    perform,
    zaak_url,
)
from app.backoffice.services import submission_used, zaak_for_staff
from app.backoffice.zaken.forms import BUILDERS
from app.backoffice.zaken.page import show_zaak
from app.backoffice.zaken.services import next_statustypen
from app.berichten.conversations import move_zaak_threads
from app.berichten.services import send_message
from app.db import get_session
from app.eforms.confirmations import (
    AwaitingConfirmation,
    holding_confirmation,
    holding_resultaat,
)
from app.notifications.services import Attachment
from app.payments.services import refund_if_rejected
from app.ui import locale_name
from app.ui.dates import short_date
from app.zaken.store import NewDocument, StaffZaak, ZaakTransitionError, get_zaken_store
from app.zaken.terms import TermError

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- acting


def zaak_action(action: str, *, anchor: str, routing: bool = False):
    """Make view(shown, form) the POST view of this action (a key of BUILDERS). The view gets
    the zaak as the page showed it (404 / 403 as the rules say) and the action's form bound
    to the POST, checks the form, and returns the Work to perform on the zaak as it is then
    (perform), or None when the form has errors: the zaak page then shows them (400).

    A form whose one-time token acted already gets a redirect with a notice before the view
    runs: the first submit may have made the second one invalid (a status that is no longer
    next). anchor: where on the zaak page to return."""

    def decorator(view: Callable[[StaffZaak, object], Work | None]):
        @wraps(view)
        def action_view(identificatie: str):
            zaak = check_view(zaak_for_staff(get_session(), identificatie))
            if not may_act(zaak, routing):
                log.warning("backoffice: action refused", extra={
                    "zaak": identificatie, "staff": current_user.username})
                abort(403)
            form = BUILDERS[action](zaak)
            token = request.form.get(form.token.name, "")
            if token and submission_used(get_session(), token):
                flash(str(SENT_ALREADY), "info")
                return redirect(zaak_url(identificatie, anchor))
            work = view(zaak, form)
            if work is None:
                return show_zaak(identificatie, {action: form}, 400)
            return perform(identificatie, form, action, work, anchor=anchor, routing=routing)

        return action_view

    return decorator


# --------------------------------------------------------------------------- the actions


@bp.post("/zaken/<identificatie>/status")
@requires(Permission.HANDLE_ZAKEN)
@zaak_action("status", anchor="geschiedenis")
def zaak_status(shown: StaffZaak, form) -> Work | None:
    if not form.validate_on_submit():
        return None
    # Checked once, here: a zaak that waits can only stop waiting (a yes), never start again.
    try:
        holding_confirmation(get_session(), shown.identificatie)
    except AwaitingConfirmation:
        form.volgnummer.errors.append(gettext(
            "The partner has not confirmed the notice. You can set the next status once "
            "they have."))
        return None

    def work(db, zaak: StaffZaak) -> str:
        if zaak.is_closed:
            raise ZaakTransitionError(zaak.identificatie)
        status = zaak.current_status
        if ((status.id if status else "") != form.huidige_status.data
                or form.volgnummer.data not in {s.volgnummer for s in next_statustypen(zaak)}):
            raise StaleForm
        get_zaken_store(db).set_status(zaak.identificatie, volgnummer=form.volgnummer.data,
                                       toelichting=(form.toelichting.data or "").strip(),
                                       gezet_door=current_user.actor)
        new = zaak.zaaktype.statustype(form.volgnummer.data)
        return gettext("The status is now %(status)s.",
                       status=new.omschrijving.get(locale_name()))

    return work


@bp.post("/zaken/<identificatie>/documentverzoek")
@requires(Permission.HANDLE_ZAKEN)
@zaak_action("verzoek", anchor="verzoeken")
def zaak_document_request(_shown: StaffZaak, form) -> Work | None:
    if not form.validate_on_submit():
        return None

    def work(db, zaak: StaffZaak) -> str:
        omschrijving = form.omschrijving.data.strip()
        get_zaken_store(db).request_document(zaak.identificatie, omschrijving=omschrijving,
                                             requested_by=current_user.actor)
        _tell_document_needed(db, zaak, omschrijving)
        return gettext("The resident has been asked for the document.")

    return work


def _tell_document_needed(db, zaak: StaffZaak, omschrijving: str) -> None:
    """A message in the resident's inbox (and the mail announcing it), so they know to
    upload; an initiator without DigiD has no inbox and is called or mailed by staff."""
    bsn = zaak.initiator_bsn
    if not bsn:
        return
    onderwerp, onderwerp_en = both(_l("We need a document from you"))
    tekst, tekst_en = both(_l(
        "For your case %(zaaknummer)s we need this from you: %(omschrijving)s\n\n"
        "Log in to My portal and upload the document with your case.",
        zaaknummer=zaak.identificatie, omschrijving=omschrijving))
    send_message(db, bsn=bsn, onderwerp=onderwerp, tekst=tekst, onderwerp_en=onderwerp_en,
                 tekst_en=tekst_en, afzender=current_user.disclosure_recipient,
                 zaak_identificatie=zaak.identificatie, initiator_email=zaak.initiator.email)


@bp.post("/zaken/<identificatie>/documenten")
@requires(Permission.HANDLE_ZAKEN)
@zaak_action("document", anchor="documenten")
def zaak_add_document(_shown: StaffZaak, form) -> Work | None:
    if not form.validate_on_submit():  # the file too: app.uploads' rules
        return None
    name, formaat, content = form.document.accepted

    def work(db, zaak: StaffZaak) -> str:
        document = NewDocument(titel=form.titel.data.strip(), bestandsnaam=name, formaat=formaat,
                               content=content,
                               vertrouwelijkheidaanduiding=form.vertrouwelijkheidaanduiding.data)
        get_zaken_store(db).add_document(zaak.identificatie, document,
                                         added_by=current_user.actor)
        return gettext("The document %(name)s has been added.", name=name)

    return work


@bp.post("/zaken/<identificatie>/bericht")
@requires(Permission.HANDLE_ZAKEN)
@zaak_action("bericht", anchor="geschiedenis")
def zaak_message(shown: StaffZaak, form) -> Work | None:
    valid = form.validate_on_submit()
    if valid and not shown.initiator_bsn:
        form.form_errors.append(gettext("This resident has no inbox in My portal: they did "
                                        "not log in with DigiD. Call or email them instead."))
        valid = False
    if not valid:
        return None
    attachments = [Attachment(*form.bijlage.accepted)] if form.bijlage.accepted else []

    def work(db, zaak: StaffZaak) -> str:
        send_message(db, bsn=zaak.initiator_bsn, onderwerp=form.onderwerp.data.strip(),
                     tekst=form.tekst.data.strip(), afzender=current_user.disclosure_recipient,
                     zaak_identificatie=zaak.identificatie,
                     initiator_email=zaak.initiator.email, attachments=attachments)
        return gettext("The message has been sent to the resident.")

    return work


@bp.post("/zaken/<identificatie>/resultaat")
@requires(Permission.HANDLE_ZAKEN)
@zaak_action("resultaat", anchor="samenvatting")
def zaak_resultaat(shown: StaffZaak, form) -> Work | None:
    if not form.validate_on_submit():
        return None
    try:
        holding_resultaat(get_session(), shown.identificatie,
                          shown.zaaktype.resultaattype(form.resultaattype.data))
    except AwaitingConfirmation:
        form.resultaattype.errors.append(gettext(
            "The partner has not confirmed the notice. You can record this result once they "
            "have. A result that rejects or ends the notice you can record now."))
        return None

    def work(db, zaak: StaffZaak) -> str:
        get_zaken_store(db).set_resultaat(zaak.identificatie,
                                          resultaattype=form.resultaattype.data,
                                          toelichting=(form.toelichting.data or "").strip(),
                                          gezet_door=current_user.actor)
        resultaattype = zaak.zaaktype.resultaattype(form.resultaattype.data)
        done = gettext("The case has been closed with the result %(result)s.",
                       result=resultaattype.omschrijving.get(locale_name()))
        if refund_if_rejected(db, zaak.kenmerken, form.resultaattype.data):
            done += " " + gettext("The resident's payment will be refunded.")
        return done

    return work


@bp.post("/zaken/<identificatie>/team")
@requires(Permission.ROUTE_ZAKEN)
@zaak_action("team", anchor="samenvatting", routing=True)
def zaak_route(_shown: StaffZaak, form) -> Work | None:
    if not form.validate_on_submit():
        return None

    def work(db, zaak: StaffZaak) -> str:
        if zaak.team == form.team.data:
            raise StaleForm
        get_zaken_store(db).route(zaak.identificatie, team=form.team.data,
                                  door=current_user.actor)
        # A question about the zaak waiting for an answer goes along to the new team.
        move_zaak_threads(db, zaak.identificatie, form.team.data)
        return gettext("The case has been routed to team %(team)s.",
                       team=team_label(form.team.data))

    return work


@bp.post("/zaken/<identificatie>/termijn")
@requires(Permission.HANDLE_ZAKEN)
@zaak_action("termijn", anchor="termijn")
def zaak_extend_term(shown: StaffZaak, form) -> Work | None:
    if not form.validate_on_submit():
        return None
    if form.duur.data not in {choice.value for choice in form.duur.choices} or shown.terms.extended:
        form.duur.errors.append(gettext("This case cannot be extended by that long."))
        return None

    def work(db, zaak: StaffZaak) -> str:
        if zaak.terms.extended:
            raise StaleForm  # someone extended it meanwhile: the law allows one extension
        try:
            end = get_zaken_store(db).extend_term(zaak.identificatie, duur=form.duur.data,
                                                  reden=form.reden.data.strip(),
                                                  door=current_user.actor)
        except TermError:
            raise StaleForm from None
        _tell_term_extended(db, zaak, end, form.reden.data.strip())
        return gettext("The legal deadline is now %(date)s.", date=short_date(end))

    return work


def _tell_term_extended(db, zaak: StaffZaak, end, reden: str) -> None:
    """The law asks that the resident is told of an extension and why (Awb 4:14): a message
    in their inbox; an initiator without DigiD is called or mailed by staff."""
    bsn = zaak.initiator_bsn
    if not bsn:
        return
    onderwerp, onderwerp_en = both(_l("We need more time for your case"))
    tekst, tekst_en = both(_l(
        "We have extended the legal deadline for your case %(zaaknummer)s. We will decide "
        "by %(date)s at the latest.\n\nReason: %(reason)s",
        # The date in each language's own way, formatted as both() renders each.
        zaaknummer=zaak.identificatie, date=LazyString(lambda: format_date(end, "long")),
        reason=reden))
    send_message(db, bsn=bsn, onderwerp=onderwerp, tekst=tekst, onderwerp_en=onderwerp_en,
                 tekst_en=tekst_en, afzender=current_user.disclosure_recipient,
                 zaak_identificatie=zaak.identificatie, initiator_email=zaak.initiator.email)
