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

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from app.auth.permissions import Permission, can_handle_zaak, has_permission, requires
from app.auth.staff import TEAMS, team_label
from app.backoffice import bp
from app.backoffice.forms import (
    DocumentForm,
    DocumentRequestForm,
    MessageForm,
    ResultaatForm,
    RouteForm,
    StatusForm,
)
from app.backoffice.services import (
    claim_submission,
    next_statustypen,
    submission_used,
    zaak_for_staff,
)
from app.backoffice.zaken import both, check_view, show_zaak
from app.berichten.services import send_message
from app.db import get_session, transaction
from app.notifications.services import Attachment
from app.ui import locale_name
from app.uploads import max_upload_mb
from app.zaken.store import NewDocument, StaffZaak, ZaakTransitionError, get_zaken_store

log = logging.getLogger(__name__)

SENT_ALREADY = _l("This form was sent already. Nothing was changed a second time.")


# --------------------------------------------------------------------------- the forms


def _status_form(zaak: StaffZaak) -> StatusForm:
    locale = locale_name()
    form = StatusForm(prefix="status")
    # Shown: the statuses that may come next. Accepted: any but the eindstatus; whether it may
    # still come next is decided on the zaak as it is when the form acts (StaleForm).
    offered = (next_statustypen(zaak) if not form.is_submitted() else
               [s for s in zaak.zaaktype.statustypen if not s.is_eindstatus])
    form.volgnummer.choices = [
        SelectChoice(str(statustype.volgnummer), statustype.omschrijving.get(locale))
        for statustype in offered]
    if not form.is_submitted():
        status = zaak.current_status
        form.huidige_status.data = status.id if status else ""
        if form.volgnummer.choices:
            form.volgnummer.data = int(form.volgnummer.choices[0].value)
    return form


def _request_form(_zaak: StaffZaak) -> DocumentRequestForm:
    return DocumentRequestForm(prefix="verzoek")


def _document_form(zaak: StaffZaak) -> DocumentForm:
    form = DocumentForm(prefix="document")
    if not form.is_submitted():
        form.vertrouwelijkheidaanduiding.data = zaak.vertrouwelijkheidaanduiding
    form.document.description = gettext("A PDF, JPG or PNG file of at most %(size)s MB.",
                                        size=max_upload_mb())
    return form


def _message_form(_zaak: StaffZaak) -> MessageForm:
    return MessageForm(prefix="bericht")


def _resultaat_form(zaak: StaffZaak) -> ResultaatForm:
    locale = locale_name()
    form = ResultaatForm(prefix="resultaat")
    form.resultaattype.choices = [
        SelectChoice(resultaattype.omschrijving.nl, resultaattype.omschrijving.get(locale))
        for resultaattype in zaak.zaaktype.resultaattypen]
    return form


def _route_form(zaak: StaffZaak) -> RouteForm:
    form = RouteForm(prefix="team")
    form.team.choices = [SelectChoice(team, team_label(team)) for team in TEAMS
                         if team != zaak.team]
    return form


BUILDERS = {"status": _status_form, "verzoek": _request_form, "document": _document_form,
            "bericht": _message_form, "resultaat": _resultaat_form, "team": _route_form}


def action_forms(zaak: StaffZaak, failed: dict) -> dict:
    """Every action form of the zaak page: the one that failed as it was posted, the others new."""
    return {name: failed.get(name) or build(zaak) for name, build in BUILDERS.items()}


# --------------------------------------------------------------------------- acting


class StaleForm(Exception):
    """The zaak changed since the form was shown (another employee, another tab)."""


def may_act(zaak: StaffZaak, routing: bool) -> bool:
    if routing:
        return has_permission(current_user, Permission.ROUTE_ZAKEN)
    return can_handle_zaak(current_user, zaak)


# work(db, zaak) makes the change through the zaken store and returns the notice.
Work = Callable[[object, StaffZaak], str]


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
                return redirect(_zaak_url(identificatie, anchor))
            work = view(zaak, form)
            if work is None:
                return show_zaak(identificatie, {action: form}, 400)
            return perform(identificatie, form, action, work, anchor=anchor, routing=routing)

        return action_view

    return decorator


def _zaak_url(identificatie: str, anchor: str | None = None) -> str:
    return url_for("backoffice.zaak", identificatie=identificatie, _anchor=anchor or None)


def perform(identificatie: str, form, action: str, work: Work, *, anchor: str = "",
            routing: bool = False, next_url: str | None = None):
    """Run an action in one transaction on the zaak as it is now (row locked), once per form
    (its one-time token), then redirect to the zaak page (or next_url) with a notice (PRG).

    work(db, zaak) makes the change and returns the notice; ZaakTransitionError (a closed
    zaak) and StaleForm roll everything back, the token's claim included."""
    try:
        with transaction() as db:
            zaak = check_view(zaak_for_staff(db, identificatie, for_update=True))
            if not may_act(zaak, routing):
                abort(403)
            if claim_submission(db, token=form.token.data, action=action, zaak=identificatie,
                                username=current_user.username):
                notice, category = work(db, zaak), "ok"
            else:
                notice, category = str(SENT_ALREADY), "info"
    except ZaakTransitionError:
        notice, category = gettext("This case is closed. Nothing was changed."), "warning"
    except StaleForm:
        notice, category = gettext("Someone else changed this case in the meantime. Nothing "
                                   "was changed: check the case and try again."), "warning"
    if category == "ok":
        log.info("backoffice: %s", action, extra={"zaak": identificatie,
                                                  "staff": current_user.username})
    flash(notice, category)
    return redirect(next_url or _zaak_url(identificatie, anchor))


# --------------------------------------------------------------------------- the actions


@bp.post("/zaken/<identificatie>/status")
@requires(Permission.HANDLE_ZAKEN)
@zaak_action("status", anchor="geschiedenis")
def zaak_status(_shown: StaffZaak, form) -> Work | None:
    if not form.validate_on_submit():
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
def zaak_resultaat(_shown: StaffZaak, form) -> Work | None:
    if not form.validate_on_submit():
        return None

    def work(db, zaak: StaffZaak) -> str:
        get_zaken_store(db).set_resultaat(zaak.identificatie,
                                          resultaattype=form.resultaattype.data,
                                          toelichting=(form.toelichting.data or "").strip(),
                                          gezet_door=current_user.actor)
        resultaattype = zaak.zaaktype.resultaattype(form.resultaattype.data)
        return gettext("The case has been closed with the result %(result)s.",
                       result=resultaattype.omschrijving.get(locale_name()))

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
        return gettext("The case has been routed to team %(team)s.",
                       team=team_label(form.team.data))

    return work
