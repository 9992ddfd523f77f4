"""Mijn zaken: the resident's zaken, one zaak's progress and documents, uploads on request."""

from __future__ import annotations

import logging
from math import ceil

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

from app.db import get_session, transaction
from app.eforms.definitions import get_definitions
from app.eforms.engine import summary_rows
from app.pip import bp
from app.pip.berichten import message_row, remember_unread
from app.pip.services import (
    DEFAULT_MAX_VERTROUWELIJKHEID,
    ZaakPage,
    count_zaken,
    deadlines,
    owned_document,
    owned_open_request,
    upload_requested_document,
    zaak_page,
    zaak_summaries,
)
from app.ui import locale_name, page_number, private_download
from app.ui.dates import local_date, long_date
from app.uploads import AcceptedFile, AcceptedUpload, max_upload_mb
from app.zaken.models import Zaak, localized_text
from app.zaken.services import (
    read_document,
    today,
)

log = logging.getLogger(__name__)

ZAKEN_PER_PAGE = 20
NOTICE = "pip_notice"
STATUS_FILTERS = ("open", "gesloten")


def _max_level() -> str:
    return current_app.config.get("PIP_MAX_VERTROUWELIJKHEID", DEFAULT_MAX_VERTROUWELIJKHEID)


def _not_found(kind: str, zaaknummer: str):
    """Another resident's id answers exactly like a missing one; the refusal is logged
    (the zaaknummer and what was asked, never the BSN)."""
    log.warning("pip: %s refused", kind, extra={"zaak": zaaknummer[:40], "path": request.path})
    abort(404)


def summary_row(row, locale: str) -> dict:
    """What a list (Mijn zaken, the overview) or the zaak's page shows of a zaak, from a
    zaak_summaries() or zaak_page() row."""
    return {
        "zaaknummer": row.identificatie,
        "zaaktype": localized_text(row.zaaktype, row.zaaktype_en, locale),
        "omschrijving": row.omschrijving,
        "startdatum": long_date(row.startdatum, locale),
        "status": (localized_text(row.statustekst, row.statustekst_en, locale)
                   or localized_text(row.status, row.status_en, locale)),
        "expected": long_date(row.einddatum_gepland or row.uiterlijke_einddatum_afdoening, locale),
        "closed": row.einddatum is not None,
        "einddatum": long_date(row.einddatum, locale),
    }


# --------------------------------------------------------------------------- list


@bp.get("/mijn-omgeving/zaken")
@login_required
def zaken():
    status = request.args.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    closed = status == "gesloten"
    page, rows = _page_of_zaken(closed, page_number())
    total = rows[0].total if rows else 0
    if rows:
        remember_unread(rows[0].unread)  # else the navigation asks for the count itself
    locale = locale_name()
    return render_template("pip/zaken.html", rows=[summary_row(row, locale) for row in rows],
                           status=status, page=page, pages=max(1, ceil(total / ZAKEN_PER_PAGE)),
                           total=total)


def _page_of_zaken(closed: bool, page: int) -> tuple[int, list]:
    """The page asked for, or the last page when that is past the end (an old link)."""
    db, bsn = get_session(), current_user.bsn

    def rows_of(number: int) -> list:
        return zaak_summaries(db, bsn, closed=closed, limit=ZAKEN_PER_PAGE,
                              offset=(number - 1) * ZAKEN_PER_PAGE)

    rows = rows_of(page)
    if not rows and page > 1:
        page = max(1, ceil(count_zaken(db, bsn, closed=closed) / ZAKEN_PER_PAGE))
        rows = rows_of(page)
    return page, rows


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


def answer_rows(zaak: Zaak, locale: str) -> list[dict]:
    """The submitted answers with the labels of the form that opened this zaaktype; without
    such a form, the stored keys."""
    return _answer_rows(zaak.aanvraaggegevens, zaak.zaaktype.identificatie, locale)


def _answer_rows(aanvraaggegevens: dict | None, zaaktype: str, locale: str) -> list[dict]:
    answers = dict(aanvraaggegevens or {})
    definition = next((d for d in get_definitions().values() if d.zaaktype == zaaktype), None)
    if definition is None:
        return [{"key": key.replace("_", " ").capitalize(), "value": str(value)}
                for key, value in answers.items()]
    for field in definition.all_fields():
        # The zaak keeps only the names of uploaded files; the files are its documents.
        if field.type == "file" and isinstance(answers.get(field.name), list):
            answers[field.name] = [{"filename": str(name)} for name in answers[field.name]]
    return [{"key": row.key, "value": row.value}
            for row in summary_rows(definition, answers, locale)]


def _timeline(page: ZaakPage, locale: str) -> list[dict]:
    return [{"title": localized_text(m.milestone, m.milestone_en, locale),
             "text": localized_text(m.milestone_tekst, m.milestone_tekst_en, locale),
             "toelichting": m.statustoelichting,
             "date": long_date(local_date(m.datum_status_gezet), locale)}
            for m in page.milestones]


def _resultaat(zaak, locale: str) -> dict | None:
    if zaak.resultaat is None:
        return None
    return {"omschrijving": localized_text(zaak.resultaat, zaak.resultaat_en, locale),
            "toelichting": localized_text(zaak.resultaat_toelichting, zaak.resultaat_toelichting_en,
                                      locale),
            "date": long_date(zaak.einddatum, locale)}


def _next_step(zaak, locale: str) -> str | None:
    """The next milestone's name, while the zaak is open."""
    if zaak.einddatum is not None or not zaak.next_step:
        return None
    return localized_text(zaak.next_step, zaak.next_step_en, locale)


def _render_zaak(page: ZaakPage, forms: dict[int, UploadForm] | None = None,
                 status_code: int = 200):
    zaak, locale, forms = page.zaak, locale_name(), forms or {}
    for document_request in page.open_requests:
        forms.setdefault(document_request.id, _upload_form(document_request.id))
    errors = {name: errs for form in forms.values() for name, errs in form.errors.items()}
    remember_unread(zaak.unread)  # the navigation's count came with the zaak's statement
    return render_template(
        "pip/zaak.html", row=summary_row(zaak, locale), timeline=_timeline(page, locale),
        next_step=_next_step(zaak, locale), deadlines=deadlines(zaak, today()),
        long_date=long_date, resultaat=_resultaat(zaak, locale),
        answers=_answer_rows(zaak.aanvraaggegevens, zaak.zaaktype_identificatie, locale),
        documents=page.documents, requests=[(r, forms[r.id]) for r in page.open_requests],
        form_errors=errors, messages=[message_row(message) for message in page.messages],
        notice=session.pop(NOTICE, None)), status_code


@bp.get("/mijn-omgeving/zaken/<zaaknummer>")
@login_required
def zaak(zaaknummer: str):
    found = zaak_page(get_session(), current_user.bsn, zaaknummer, max_level=_max_level())
    if found is None:
        _not_found("zaak", zaaknummer)
    return _render_zaak(found)


@bp.post("/mijn-omgeving/zaken/<zaaknummer>/verzoeken/<int:request_id>")
@login_required
def upload(zaaknummer: str, request_id: int):
    db = get_session()
    document_request = owned_open_request(db, current_user.bsn, zaaknummer, request_id)
    if document_request is None:
        _not_found("document request", zaaknummer)
    form = _upload_form(request_id)
    if form.validate_on_submit():  # the CSRF token and the file (app.uploads)
        _store_upload(document_request, form.document.accepted)
        session[NOTICE] = "uploaded"
        return redirect(url_for("pip.zaak", zaaknummer=zaaknummer, _anchor="documenten"))
    found = zaak_page(db, current_user.bsn, zaaknummer, max_level=_max_level())
    return _render_zaak(found, {request_id: form}, 400)


def _store_upload(document_request, accepted: AcceptedFile) -> None:
    with transaction() as db:
        # Again inside the writing transaction: a second tab may have answered it meanwhile.
        still_open = owned_open_request(db, current_user.bsn, document_request.zaak.identificatie,
                                        document_request.id, refresh=True)
        if still_open is not None:
            upload_requested_document(db, still_open, bestandsnaam=accepted.name,
                                      formaat=accepted.formaat, content=accepted.content)
            log.info("pip: requested document uploaded",
                     extra={"zaak": still_open.zaak.identificatie})


# --------------------------------------------------------------------------- download


@bp.get("/mijn-omgeving/zaken/<zaaknummer>/documenten/<int:document_id>")
@login_required
def document(zaaknummer: str, document_id: int):
    found = owned_document(get_session(), current_user.bsn, zaaknummer, document_id,
                           max_level=_max_level())
    if found is None:
        _not_found("document", zaaknummer)
    return private_download(read_document(found), found.formaat, found.bestandsnaam)
