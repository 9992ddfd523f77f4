"""Mijn zaken: the resident's zaken, one zaak's progress and documents, uploads on request."""

from __future__ import annotations

import logging

from babel.numbers import format_currency
from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import FileField

from app.auth.staff import TEAMS
from app.db import get_session, transaction
from app.eforms.definitions import get_definition
from app.eforms.registrations import PendingRegistration, pending_for_bsn
from app.eforms.services import answer_rows, forms_about
from app.payments.services import payment_of_zaak
from app.pip import bp
from app.pip.berichten import (
    WriteForm,
    message_row,
    write_form,
    write_once,
    zaak_messages_for_page,
)
from app.pip.services import deadlines, next_step, upload_requested_document, zaak_topic
from app.ui import dutch, locale_name, private_download
from app.ui.dates import duration_words, local_date, long_date
from app.ui.pagination import Pagination
from app.uploads import AcceptedUpload, max_upload_mb
from app.zaken.services import today
from app.zaken.store import (
    OVERDUE_LEGAL,
    ContactPerson,
    ResidentZaak,
    ZaakSummary,
    ZakenPage,
    get_zaken_store,
)
from app.zaken.terms import objection_deadline, objection_is_late

log = logging.getLogger(__name__)

ZAKEN_PER_PAGE = 20
NOTICE = "pip_notice"
STATUS_FILTERS = ("open", "gesloten")


def _max_level() -> str:
    return current_app.config["PIP_MAX_VERTROUWELIJKHEID"]


def _not_found(kind: str, zaaknummer: str):
    """Another resident's id answers exactly like a missing one; the refusal is logged
    (the zaaknummer and what was asked, never the BSN)."""
    log.warning("pip: %s refused", kind, extra={"zaak": zaaknummer[:40], "path": request.path})
    abort(404)


def _status_text(zaak: ZaakSummary, locale: str) -> str:
    if zaak.status_unavailable:
        return gettext("We cannot show the status right now. Please try again later.")
    return zaak.status.text_in(locale) if zaak.status else ""


def _status_label(zaak: ZaakSummary, locale: str) -> tuple[str, str]:
    """The zaak's state in a word or two, and the status_badge type that goes with it."""
    if zaak.is_closed:
        return gettext("Closed"), "success"
    if zaak.status_unavailable:
        return gettext("Status unknown"), "neutral"
    if zaak.status is None:
        return gettext("Received"), "neutral"
    return zaak.status.omschrijving.get(locale), "active"


def _expected(zaak: ZaakSummary, locale: str) -> str:
    """When the resident may expect the decision: the target, else the legal end; said
    plainly when the term stands still or the legal end passed (ZaakDates.overdue_on)."""
    if zaak.opgeschort:
        return gettext("On hold until we have the documents we asked you for")
    expected = long_date(zaak.einddatum_gepland or zaak.uiterlijke_einddatum_afdoening, locale)
    overdue, _days = zaak.overdue_on(today())
    if overdue == OVERDUE_LEGAL:
        return gettext("%(date)s (the legal deadline has passed)",
                       date=long_date(zaak.uiterlijke_einddatum_afdoening, locale))
    return expected


def summary_row(zaak: ZaakSummary, locale: str) -> dict:
    """What a list (Mijn zaken, the overview) or the zaak's page shows of a zaak."""
    label, badge = _status_label(zaak, locale)
    return {
        "zaaknummer": zaak.identificatie,
        "zaaktype": zaak.zaaktype.get(locale),
        "omschrijving": dutch(zaak.omschrijving, locale),
        "startdatum": long_date(zaak.startdatum, locale),
        "status": _status_text(zaak, locale),
        "status_label": label,
        "status_badge": badge,
        "expected": _expected(zaak, locale),
        "closed": zaak.is_closed,
        "einddatum": long_date(zaak.einddatum, locale),
        "contact": contact_row(zaak.contact_person, locale),
    }


def contact_row(contact: ContactPerson | None, locale: str) -> dict | None:
    """The zaak's contact person as ui.contact_person shows them, the team named in the
    page's language."""
    if contact is None:
        return None
    team = TEAMS.get(contact.team)
    return {"naam": contact.naam, "team": team.get(locale) if team else contact.team,
            "telefoon": contact.telefoon, "email": contact.email}


def pending_rows(store, bsn: str, locale: str) -> list[dict]:
    """The resident's submitted forms a remote zaaksysteem has not registered yet (one
    query; none with the embedded store, which opens the zaak in the submit)."""
    if not store.registers_later:
        return []
    return [_pending_row(pending, locale) for pending in pending_for_bsn(get_session(), bsn)]


def _pending_row(pending: PendingRegistration, locale: str) -> dict:
    definition = get_definition(pending.form_slug)
    return {"reference": pending.reference,
            "zaaktype": definition.title.get(locale) if definition else "",
            "date": long_date(local_date(pending.created_at), locale)}


# --------------------------------------------------------------------------- list


@bp.get("/mijn-omgeving/zaken")
@login_required
def zaken():
    status = request.args.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    pager, found = _page_of_zaken(status)
    locale = locale_name()
    pending = (pending_rows(get_zaken_store(), current_user.bsn, locale)
               if status == "open" else [])
    return render_template("pip/zaken.html",
                           rows=[summary_row(zaak, locale) for zaak in found.zaken],
                           pending=pending, status=status, pager=pager, total=found.total)


def _page_of_zaken(status: str) -> tuple[Pagination, ZakenPage]:
    """The page asked for, or the last page when that is past the end (an old link). The
    page's own query counts the zaken, so the count is asked only past the end."""
    store, bsn, closed = get_zaken_store(), current_user.bsn, status == "gesloten"
    return Pagination.read(
        lambda offset, limit: store.resident_zaken(bsn, closed=closed, limit=limit,
                                                   offset=offset),
        ZAKEN_PER_PAGE, "pip.zaken", total=lambda found: found.total,
        count=lambda: store.count_resident_zaken(bsn, closed=closed), status=status)


# --------------------------------------------------------------------------- detail


class UploadForm(FlaskForm):
    document = FileField(_l("Upload a file"), validators=[AcceptedUpload()])


def _upload_form(request_id: int) -> UploadForm:
    """Bound to the posted data on a POST (FlaskForm does that); a prefix per request keeps
    the ids unique when a zaak has more than one open request."""
    form = UploadForm(prefix=f"verzoek-{request_id}")
    form.document.description = gettext("A PDF, JPG or PNG file of at most %(size)s MB.",
                                        size=max_upload_mb())
    return form


def _timeline(zaak: ResidentZaak, locale: str) -> list[dict]:
    return [{"title": milestone.omschrijving.get(locale),
             "text": milestone.statustekst.get(locale),
             "toelichting": dutch(milestone.statustoelichting, locale),
             "date": long_date(local_date(milestone.datum_status_gezet), locale)}
            for milestone in zaak.milestones]


def _resultaat(zaak: ResidentZaak, locale: str) -> dict | None:
    if zaak.resultaat is None:
        return None
    return {"omschrijving": zaak.resultaat.omschrijving.get(locale),
            "toelichting": zaak.resultaat.toelichting.get(locale),
            "date": long_date(zaak.summary.einddatum, locale)}


def _render_zaak(zaak: ResidentZaak, forms: dict[int, UploadForm] | None = None,
                 status_code: int = 200, question: WriteForm | None = None):
    summary, locale, forms = zaak.summary, locale_name(), forms or {}
    for document_request in zaak.open_requests:
        forms.setdefault(document_request.id, _upload_form(document_request.id))
    question = question or write_form()
    errors = {name: errs for form in [*forms.values(), question]
              for name, errs in form.errors.items()}
    messages = zaak_messages_for_page(summary.identificatie)
    return render_template(
        "pip/zaak.html", row=summary_row(summary, locale), timeline=_timeline(zaak, locale),
        next_step=next_step(zaak, locale), deadlines=deadlines(summary, today()),
        long_date=long_date, resultaat=_resultaat(zaak, locale),
        answers=answer_rows(zaak.aanvraaggegevens, zaak.zaaktype_identificatie, locale),
        documents=zaak.documents, requests=[(r, forms[r.id]) for r in zaak.open_requests],
        form_errors=errors, messages=[message_row(message) for message in messages],
        question=question, notice=session.pop(NOTICE, None), awb=_awb(zaak, locale),
        payment=_payment_rows(zaak, locale)), status_code


def _payment_rows(zaak: ResidentZaak, locale: str) -> list[dict]:
    """What the resident paid for the zaak: the date from the zaak (its betalingsindicatie
    and laatsteBetaaldatum), the amount and any refund from the portal's own payment record
    (one query, and only for a zaak paid online)."""
    betaling = zaak.betaling
    if betaling is None:
        return []
    payment = (payment_of_zaak(get_session(), betaling.as_kenmerken())
               if betaling.transactie else None)
    rows = ([{"key": gettext("Amount"),
               "value": format_currency(payment.amount, "EUR", locale=locale)}]
            if payment else [])
    rows.append({"key": gettext("Paid on"),
                 "value": long_date(local_date(betaling.betaaldatum), locale)})
    if payment is not None and payment.refund_status:
        rows.append({"key": gettext("Refund"), "value": (
            gettext("Refunded on %(date)s",
                    date=long_date(local_date(payment.refunded_at), locale))
            if payment.refunded_at else gettext("We are refunding the amount to you"))})
    return rows


def _awb(zaak: ResidentZaak, locale: str) -> dict:
    """What pip/_zaak_awb.html shows: how the legal term moved, the zaken this one is about,
    and on a decided zaak the forms to object or complain, with the objection period (of
    the form that has one: there is no objection against a decision on an objection)."""
    summary = zaak.summary
    decided = summary.einddatum
    forms = forms_about(zaak.zaaktype_identificatie) if decided else []
    period = next((d.objection_period for d in forms if d.objection_period), None)
    return {
        "suspended": summary.opgeschort and not summary.is_closed,
        "extension": ({"duur": duration_words(zaak.terms.verlenging_duur),
                       "reden": zaak.terms.verlenging_reden}
                      if zaak.terms.extended else None),
        "about": [r.identificatie for r in zaak.relevante_andere_zaken],
        "forms": [{"title": d.title.get(locale),
                   "href": url_for("eforms.start", slug=d.slug, zaak=summary.identificatie)}
                  for d in forms],
        "objection_until": (long_date(objection_deadline(decided, period), locale)
                            if period else None),
        "objection_late": bool(period) and objection_is_late(decided, today(), period),
    }


def _resident_zaak(zaaknummer: str) -> ResidentZaak | None:
    return get_zaken_store().resident_zaak(current_user.bsn, zaaknummer,
                                           max_level=_max_level())


@bp.get("/mijn-omgeving/zaken/<zaaknummer>")
@login_required
def zaak(zaaknummer: str):
    found = _resident_zaak(zaaknummer)
    if found is None:
        _not_found("zaak", zaaknummer)
    return _render_zaak(found)


@bp.post("/mijn-omgeving/zaken/<zaaknummer>/verzoeken/<int:request_id>")
@login_required
def upload(zaaknummer: str, request_id: int):
    document_request = get_zaken_store().open_document_request(current_user.bsn, zaaknummer,
                                                               request_id)
    if document_request is None:
        _not_found("document request", zaaknummer)
    form = _upload_form(request_id)
    if form.validate_on_submit():  # the CSRF token and the file (app.uploads)
        with transaction() as db:
            upload_requested_document(db, current_user.bsn, zaaknummer, document_request.id,
                                      form.document.accepted)
        session[NOTICE] = "uploaded"
        return redirect(url_for("pip.zaak", zaaknummer=zaaknummer, _anchor="documenten"))
    return _render_zaak(_resident_zaak(zaaknummer), {request_id: form}, 400)


@bp.post("/mijn-omgeving/zaken/<zaaknummer>/vraag")
@login_required
def vraag(zaaknummer: str):
    """A question about the zaak: a message in its conversation, for the team handling it."""
    found = _resident_zaak(zaaknummer)
    if found is None:
        _not_found("zaak", zaaknummer)
    form = write_form()
    if not form.validate_on_submit():  # the CSRF token, the text and the file (app.uploads)
        return _render_zaak(found, status_code=400, question=form)
    public_id = write_once(form, zaak_topic(found.summary.identificatie))
    return redirect(url_for("pip.bericht", public_id=public_id, _anchor="gesprek-einde"))


# --------------------------------------------------------------------------- download


@bp.get("/mijn-omgeving/zaken/<zaaknummer>/documenten/<document_id>")
@login_required
def document(zaaknummer: str, document_id: str):
    found = get_zaken_store().resident_document(current_user.bsn, zaaknummer, document_id,
                                                max_level=_max_level())
    if found is None:
        _not_found("document", zaaknummer)
    return private_download(found.content, found.bestandsnaam)
