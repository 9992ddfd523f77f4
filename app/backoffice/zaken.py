"""Back office: the work queue and one zaak's page (the actions on it: zaak_actions.py).

Views are thin: parse, check the permission (app.auth.permissions), call the services,
render. Every page that shows a resident's zaak writes the view to the disclosure log in
the same transaction as the read.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from flask import (
    abort,
    get_flashed_messages,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from app.auth.permissions import (
    Permission,
    Role,
    can_handle_zaak,
    can_view_zaak,
    has_permission,
    requires,
)
from app.auth.staff import TEAMS, team_label
from app.backoffice import bp
from app.backoffice.forms import LEVEL_LABELS, QueueFilterForm
from app.backoffice.services import (
    QUEUE_PAGE_SIZE,
    masked_bsn,
    zaak_data_categories,
    zaak_for_staff,
)
from app.berichten.services import zaak_messages
from app.db import transaction
from app.eforms.services import answer_rows
from app.persons.services import log_disclosure
from app.ui import locale_name
from app.ui.dates import short_date, short_date_time
from app.ui.pagination import Pagination
from app.zaken.services import today, without_bsns
from app.zaken.store import (
    OVERDUE_LEGAL,
    OVERDUE_TARGET,
    STATUS_ALL,
    STATUS_CLOSED,
    STATUS_OPEN,
    QueueFilters,
    QueueRow,
    StaffZaak,
    get_zaken_store,
)

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- helpers


def dutch(text) -> str:
    """A text for the resident's records (disclosure log, messages), given as _l("..."):
    always in Dutch, the municipality's language, whatever language the employee reads
    the back office in."""
    with force_locale("nl"):
        return str(text)


def both(text) -> tuple[str, str]:
    """(Dutch, English) of a _l("...") text, for a message the resident may read in either."""
    with force_locale("en"):
        english = str(text)
    return dutch(text), english


@dataclass(frozen=True)
class TeamZaak:
    """A stand-in zaak of a team, to ask the permission rules about a team's zaken as a whole."""

    team: str


def teams_in_scope() -> list[str] | None:
    """The teams whose zaken the employee may see, from can_view_zaak (the one rule);
    None when that is every team (the KCC), so zaken without a team show too."""
    visible = [team for team in TEAMS if can_view_zaak(current_user, TeamZaak(team))]
    return None if len(visible) == len(TEAMS) else visible


def notices() -> list[tuple[str, str]]:
    """Flashed notices as (type, text) for ui.alert."""
    return [(category if category in ("info", "ok", "warning", "error") else "info", text)
            for category, text in get_flashed_messages(with_categories=True)]


def overdue_text(state: str | None, days: int) -> str:
    if state == OVERDUE_LEGAL:
        return ngettext("Legal deadline passed %(num)d day ago",
                        "Legal deadline passed %(num)d days ago", days)
    if state == OVERDUE_TARGET:
        return ngettext("Target date passed %(num)d day ago",
                        "Target date passed %(num)d days ago", days)
    return gettext("On time")


# --------------------------------------------------------------------------- the queue


def _filter_form(teams: list[str] | None) -> QueueFilterForm:
    locale, store = locale_name(), get_zaken_store()
    form = QueueFilterForm(formdata=request.args)
    form.zaaktype.choices = [SelectChoice("", gettext("All case types"))] + [
        SelectChoice(zaaktype.identificatie, zaaktype.omschrijving.get(locale))
        for zaaktype in store.queue_zaaktypen()]
    form.status.choices = [SelectChoice(STATUS_OPEN, gettext("Open")),
                           SelectChoice(STATUS_CLOSED, gettext("Closed")),
                           SelectChoice(STATUS_ALL, gettext("Open and closed"))] + [
        SelectChoice(name.nl, name.get(locale)) for name in store.queue_statussen()]
    form.team.choices = [SelectChoice("", gettext("All teams"))] + [
        SelectChoice(team, team_label(team)) for team in TEAMS if teams is None or team in teams]
    form.overdue.choices = [SelectChoice("", gettext("Any")),
                            SelectChoice(OVERDUE_TARGET, gettext("Target date passed")),
                            SelectChoice(OVERDUE_LEGAL, gettext("Legal deadline passed"))]
    if not form.status.data:
        form.status.data = STATUS_OPEN
    return form


def _known(field) -> str:
    """The field's value when it is one of its choices; "" otherwise (a stale bookmark)."""
    value = field.data or ""
    return value if any(choice.value == value for choice in field.choices) else ""


def _filters(form: QueueFilterForm) -> QueueFilters:
    return QueueFilters(zaaktype=_known(form.zaaktype), status=_known(form.status) or STATUS_OPEN,
                        team=_known(form.team), overdue=_known(form.overdue),
                        q=form.q.data[:100] if form.q.validate(form) else "")


def _queue_row_view(row: QueueRow) -> dict:
    locale = locale_name()
    return {
        "zaaknummer": row.identificatie,
        "href": url_for("backoffice.zaak", identificatie=row.identificatie),
        "zaaktype": row.zaaktype.get(locale),
        "naam": row.naam or gettext("Unknown"),
        "status": row.status.get(locale) if row.status else "",
        "team": team_label(row.team),
        "startdatum": short_date(row.startdatum),
        "target": short_date(row.einddatum_gepland),
        "legal": short_date(row.uiterlijke_einddatum_afdoening),
        "closed": row.is_closed,
        "einddatum": short_date(row.einddatum),
        "overdue": row.overdue,
        "overdue_text": (gettext("Closed on %(date)s", date=short_date(row.einddatum))
                         if row.is_closed else overdue_text(row.overdue, row.days_overdue)),
    }


@bp.get("/zaken")
@requires(Permission.VIEW_ZAKEN)
def queue():
    teams = teams_in_scope()
    form = _filter_form(teams)
    filters = _filters(form)
    store, now = get_zaken_store(), today()
    pager, found = Pagination.read(
        lambda offset, limit: store.work_queue(filters, teams=teams, today=now, limit=limit,
                                               offset=offset),
        QUEUE_PAGE_SIZE, "backoffice.queue", total=lambda page: page.total,
        **{key: value for key, value in filters.__dict__.items() if value})
    return render_template(
        "backoffice/zaken.html", active="queue", form=form,
        rows=[_queue_row_view(r) for r in found.rows], total=pager.total, pager=pager,
        filtered=filters != QueueFilters(), show_team=teams is None or len(teams) > 1)


# --------------------------------------------------------------------------- one zaak


def check_view(zaak: StaffZaak | None) -> StaffZaak:
    if zaak is None:
        abort(404)
    _check_team(zaak.identificatie, zaak.team)
    return zaak


def _check_team(identificatie: str, team: str) -> None:
    if not can_view_zaak(current_user, TeamZaak(team)):
        log.warning("backoffice: zaak refused", extra={"zaak": identificatie,
                                                        "staff": current_user.username})
        abort(403)


def log_view(db, identificatie: str, bsn: str | None, *, purpose: str,
             categories: list[str]) -> None:
    """The resident sees in Mijn gegevens > Verstrekkingen who looked at their zaak. Only
    an initiator known by BSN has such a page."""
    if bsn:
        log_disclosure(db, bsn=bsn, recipient=current_user.disclosure_recipient,
                       purpose=purpose, zaak=identificatie, data_categories=categories,
                       channel="backoffice")


def _view_purpose() -> str:
    if current_user.role == Role.KCC:
        return dutch(_l("Informing you about your case"))
    return dutch(_l("Handling your case"))


def show_zaak(identificatie: str, failed: dict | None = None, status_code: int = 200):
    """The zaak page; `failed` holds an action form that did not validate, shown with its
    errors and what was typed. The view is logged in the same transaction as the read."""
    with transaction() as db:
        zaak = check_view(zaak_for_staff(db, identificatie))
        log_view(db, zaak.identificatie, zaak.initiator_bsn, purpose=_view_purpose(),
                 categories=zaak_data_categories(zaak))
        messages = _zaak_messages(db, zaak)
    forms = zaak_actions.action_forms(zaak, failed or {})
    return render_template("backoffice/zaak.html", active="queue", **_zaak_context(zaak),
                           forms=forms, failed=next(iter((failed or {}).values()), None),
                           form_errors=bool(failed), messages=messages,
                           notices=notices()), status_code


@bp.get("/zaken/<identificatie>")
@requires(Permission.VIEW_ZAKEN)
def zaak(identificatie: str):
    return show_zaak(identificatie)


def _zaak_messages(db, zaak: StaffZaak) -> list[dict]:
    """Messages in the resident's inbox about this zaak, newest first (one query)."""
    bsn = zaak.initiator_bsn
    if not bsn:
        return []
    return [{"when": short_date_time(m.created_at), "onderwerp": m.onderwerp, "tekst": m.tekst,
             "afzender": m.afzender, "read": m.read_at is not None}
            for m in zaak_messages(db, bsn, zaak.identificatie)]


def _zaak_context(zaak: StaffZaak) -> dict:
    locale = locale_name()
    status = zaak.current_status
    overdue, days = zaak.overdue_on(today())
    initiator, gemachtigde = zaak.initiator, zaak.gemachtigde
    return {
        "zaak": zaak,
        "zaaktype": zaak.zaaktype.omschrijving.get(locale),
        "status": status.statustype.omschrijving.get(locale) if status else "",
        "team": team_label(zaak.team),
        "dates": {"start": short_date(zaak.startdatum),
                  "target": short_date(zaak.einddatum_gepland),
                  "legal": short_date(zaak.uiterlijke_einddatum_afdoening),
                  "closed": short_date(zaak.einddatum)},
        "overdue": overdue, "overdue_text": overdue_text(overdue, days),
        "resultaat": zaak.resultaat and {
            "omschrijving": zaak.resultaat.resultaattype.omschrijving.get(locale),
            "toelichting": zaak.resultaat.toelichting,
            "when": short_date_time(zaak.resultaat.datum), "door": zaak.resultaat.gezet_door},
        "initiator": initiator and {
            "naam": initiator.naam, "bsn": masked_bsn(initiator.inp_bsn),
            "adres": initiator.adres, "email": initiator.email, "telefoon": initiator.telefoon,
            "machtiging": initiator.indicatie_machtiging,
            "gemachtigde": gemachtigde.naam if gemachtigde else ""},
        "answers": _answers(zaak, locale),
        "documents": [{"titel": d.titel, "bestandsnaam": d.bestandsnaam,
                       "level": LEVEL_LABELS.get(d.vertrouwelijkheidaanduiding,
                                                 d.vertrouwelijkheidaanduiding),
                       "size": (d.bestandsomvang + 1023) // 1024,
                       "date": short_date(d.creatiedatum),
                       "added_by": d.added_by,
                       "href": url_for("backoffice.zaak_document", identificatie=zaak.identificatie,
                                       document_id=d.id)} for d in zaak.documenten],
        "requests": [{"omschrijving": r.omschrijving, "when": short_date_time(r.created_at),
                      "door": r.requested_by,
                      "answered": short_date_time(r.fulfilled_at) if r.fulfilled_at else None}
                     for r in zaak.document_requests],
        "history": [{"when": short_date_time(s.datum_status_gezet),
                     "status": s.statustype.omschrijving.get(locale),
                     "visible": s.statustype.zichtbaar_voor_inwoner,
                     "door": s.gezet_door, "toelichting": s.statustoelichting}
                    for s in reversed(zaak.statussen)],
        "can_handle": can_handle_zaak(current_user, zaak) and not zaak.is_closed,
        "can_route": has_permission(current_user, Permission.ROUTE_ZAKEN) and not zaak.is_closed,
        "has_inbox": bool(zaak.initiator_bsn),
    }


def _answers(zaak: StaffZaak, locale: str) -> list[dict]:
    """The submitted answers with the form's labels (the resident's page's own rendering),
    any BSN in them masked."""
    return [{"key": row["key"], "value": without_bsns(str(row["value"]))}
            for row in answer_rows(zaak.aanvraaggegevens, zaak.zaaktype.identificatie, locale)]


# --------------------------------------------------------------------------- documents


@bp.get("/zaken/<identificatie>/documenten/<int:document_id>")
@requires(Permission.VIEW_ZAKEN)
def zaak_document(identificatie: str, document_id: int):
    with transaction() as db:
        document = get_zaken_store(db).staff_document(identificatie, document_id)
        if document is None:
            abort(404)
        _check_team(identificatie, document.team)
        log_view(db, identificatie, document.initiator_bsn,
                 purpose=dutch(_l("Viewing a document of your case")), categories=["documenten"])
    response = send_file(io.BytesIO(document.file.content), mimetype=document.file.formaat,
                         as_attachment=True, download_name=document.file.bestandsnaam,
                         conditional=False, etag=False, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


# The actions' views register themselves on the blueprint; they use the helpers above.
from app.backoffice import zaak_actions  # noqa: E402
