"""Mijn zaken: the resident's zaken, one zaak's progress and documents, uploads on request."""

from __future__ import annotations

import io
import logging
from datetime import UTC, date, datetime
from math import ceil

from flask import abort, current_app, redirect, render_template, request, send_file, session, url_for
from flask_babel import format_date, get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import FileField

from app.db import get_session, transaction
from app.eforms.definitions import get_definitions
from app.eforms.engine import summary_rows
from app.eforms.services import FILE_SIGNATURES, UploadRefused, check_upload, display_filename
from app.pip import bp
from app.pip.services import (
    DEFAULT_MAX_VERTROUWELIJKHEID,
    count_zaken,
    current_milestone,
    deadlines,
    milestones,
    next_step,
    owned_document,
    owned_open_request,
    owned_zaak,
    upload_requested_document,
)
from app.zaken.models import Zaak
from app.zaken.services import MUNICIPALITY_TIMEZONE, read_document, today, zaken_for_bsn

log = logging.getLogger(__name__)

ZAKEN_PER_PAGE = 20
UPLOAD_ACCEPT = ("pdf", "jpg", "png")  # as the e-forms' file fields by default
NOTICE = "pip_notice"
STATUS_FILTERS = ("open", "gesloten")


def locale_name() -> str:
    return str(get_locale() or "nl")


def _max_level() -> str:
    return current_app.config.get("PIP_MAX_VERTROUWELIJKHEID", DEFAULT_MAX_VERTROUWELIJKHEID)


def _not_found(kind: str, zaaknummer: str):
    """Another resident's id answers exactly like a missing one; the refusal is logged
    (the zaaknummer and what was asked, never the BSN)."""
    log.warning("pip: %s refused", kind, extra={"zaak": zaaknummer[:40], "path": request.path})
    abort(404)


def local_date(moment: datetime) -> date:
    """A naive-UTC moment as the municipality's calendar day."""
    return moment.replace(tzinfo=UTC).astimezone(MUNICIPALITY_TIMEZONE).date()


def long_date(day: date | None) -> str:
    return format_date(day, "long") if day else ""


def status_text(zaak: Zaak, locale: str) -> str:
    """The current resident-facing status: its statustekst, else its name."""
    milestone = current_milestone(zaak)
    if milestone is None:
        return ""
    return (milestone.statustype.localized("statustekst", locale)
            or milestone.statustype.localized("omschrijving", locale))


def zaak_row(zaak: Zaak, locale: str) -> dict:
    """What a list or the overview shows of a zaak."""
    return {
        "zaaknummer": zaak.identificatie,
        "href": url_for("pip.zaak", zaaknummer=zaak.identificatie),
        "zaaktype": zaak.zaaktype.localized("omschrijving", locale),
        "omschrijving": zaak.omschrijving,
        "startdatum": long_date(zaak.startdatum),
        "status": status_text(zaak, locale),
        "expected": long_date(zaak.einddatum_gepland or zaak.uiterlijke_einddatum_afdoening),
        "closed": zaak.is_closed,
        "einddatum": long_date(zaak.einddatum),
    }


# --------------------------------------------------------------------------- list


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("pagina", "1")))
    except ValueError:
        return 1


@bp.get("/mijn-omgeving/zaken")
@login_required
def zaken():
    status = request.args.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    closed = status == "gesloten"
    page = _page_number()
    db, locale = get_session(), locale_name()
    total = count_zaken(db, current_user.bsn, closed=closed)
    pages = max(1, ceil(total / ZAKEN_PER_PAGE))
    page = min(page, pages)
    rows = [zaak_row(zaak, locale) for zaak in zaken_for_bsn(
        db, current_user.bsn, open_only=not closed, limit=ZAKEN_PER_PAGE,
        offset=(page - 1) * ZAKEN_PER_PAGE)]
    return render_template("pip/zaken.html", rows=rows, status=status, page=page, pages=pages,
                           total=total)


# --------------------------------------------------------------------------- detail


class UploadForm(FlaskForm):
    document = FileField(_l("Upload a file"))


def _max_bytes() -> int:
    return current_app.config.get("UPLOAD_MAX_MB", 10) * 1024 * 1024


def _upload_form(request_id: int) -> UploadForm:
    """Bound to the posted data on a POST (FlaskForm does that); a prefix per request keeps
    the ids unique when a zaak has more than one open request."""
    form = UploadForm(prefix=f"verzoek-{request_id}")
    form.document.description = gettext("A PDF, JPG or PNG file of at most %(size)s MB.",
                                        size=_max_bytes() // (1024 * 1024))
    return form


def answer_rows(zaak: Zaak, locale: str) -> list[dict]:
    """The submitted answers with the labels of the form that opened this zaaktype; without
    such a form, the stored keys."""
    answers = dict(zaak.aanvraaggegevens or {})
    definition = next((d for d in get_definitions().values()
                       if d.zaaktype == zaak.zaaktype.identificatie), None)
    if definition is None:
        return [{"key": key.replace("_", " ").capitalize(), "value": str(value)}
                for key, value in answers.items()]
    for field in definition.all_fields():
        # The zaak keeps only the names of uploaded files; the files are its documents.
        if field.type == "file" and isinstance(answers.get(field.name), list):
            answers[field.name] = [{"filename": str(name)} for name in answers[field.name]]
    return [{"key": row.key, "value": row.value}
            for row in summary_rows(definition, answers, locale)]


def _timeline(zaak: Zaak, locale: str) -> list[dict]:
    return [{"title": m.statustype.localized("omschrijving", locale),
             "text": m.statustype.localized("statustekst", locale),
             "toelichting": m.toelichting,
             "date": long_date(local_date(m.datum))}
            for m in milestones(zaak)]


def _render_zaak(zaak: Zaak, forms: dict[int, UploadForm] | None = None, status_code: int = 200):
    locale = locale_name()
    forms = forms or {}
    open_requests = [r for r in zaak.document_requests if r.is_open]
    for document_request in open_requests:
        forms.setdefault(document_request.id, _upload_form(document_request.id))
    upcoming = next_step(zaak)
    resultaat = zaak.resultaat
    errors = {name: errs for form in forms.values() for name, errs in form.errors.items()}
    return render_template(
        "pip/zaak.html", zaak=zaak, row=zaak_row(zaak, locale), timeline=_timeline(zaak, locale),
        next_step=upcoming.localized("omschrijving", locale) if upcoming else None,
        deadlines=deadlines(zaak, today()), long_date=long_date,
        resultaat=resultaat and {
            "omschrijving": resultaat.resultaattype.localized("omschrijving", locale),
            "toelichting": resultaat.resultaattype.localized("toelichting", locale),
            "date": long_date(zaak.einddatum)},
        answers=answer_rows(zaak, locale), documents=zaak.documenten,
        requests=[(r, forms[r.id]) for r in open_requests], form_errors=errors,
        notice=session.pop(NOTICE, None)), status_code


@bp.get("/mijn-omgeving/zaken/<zaaknummer>")
@login_required
def zaak(zaaknummer: str):
    found = owned_zaak(get_session(), current_user.bsn, zaaknummer, max_level=_max_level())
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
    if form.validate_on_submit():  # the CSRF token
        refusal = _store_upload(document_request, form)
        if refusal is None:
            session[NOTICE] = "uploaded"
            return redirect(url_for("pip.zaak", zaaknummer=zaaknummer, _anchor="documenten"))
        form.document.errors = [refusal]
    found = owned_zaak(db, current_user.bsn, zaaknummer, max_level=_max_level())
    return _render_zaak(found, {request_id: form}, 400)


def _store_upload(document_request, form: UploadForm) -> str | None:
    """Check the file on its content as the e-forms do and store it; the refusal message
    when it is not accepted."""
    upload_file = form.document.data
    if not upload_file or not getattr(upload_file, "filename", ""):
        return gettext("Choose a file")
    name = display_filename(upload_file.filename)
    content = upload_file.read(_max_bytes() + 1)
    try:
        kind = check_upload(content, accept=UPLOAD_ACCEPT, max_bytes=_max_bytes(),
                            files_so_far=0, max_files=1)
    except UploadRefused as refusal:
        return _refusal_message(refusal.reason, name)
    with transaction() as db:
        # Again inside the writing transaction: a second tab may have answered it meanwhile.
        still_open = owned_open_request(db, current_user.bsn, document_request.zaak.identificatie,
                                        document_request.id, refresh=True)
        if still_open is not None:
            upload_requested_document(db, still_open, bestandsnaam=name,
                                      formaat=FILE_SIGNATURES[kind][1], content=content)
            log.info("pip: requested document uploaded",
                     extra={"zaak": still_open.zaak.identificatie})
    return None


def _refusal_message(reason: str, name: str) -> str:
    # The e-forms' messages (same msgids, so the same translations).
    if reason == "too_big":
        return gettext("The file %(name)s is too big. Choose a file of at most %(size)s MB",
                       name=name, size=_max_bytes() // (1024 * 1024))
    if reason == "wrong_type":
        return gettext("The file %(name)s is not a %(types)s file", name=name,
                       types=", ".join(kind.upper() for kind in UPLOAD_ACCEPT))
    return gettext("The file %(name)s is empty", name=name)


# --------------------------------------------------------------------------- download


@bp.get("/mijn-omgeving/zaken/<zaaknummer>/documenten/<int:document_id>")
@login_required
def document(zaaknummer: str, document_id: int):
    found = owned_document(get_session(), current_user.bsn, zaaknummer, document_id,
                           max_level=_max_level())
    if found is None:
        _not_found("document", zaaknummer)
    response = send_file(io.BytesIO(read_document(found)), mimetype=found.formaat,
                         as_attachment=True, download_name=found.bestandsnaam,
                         conditional=False, etag=False, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response
