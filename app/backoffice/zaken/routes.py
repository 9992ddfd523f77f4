"""Back office: the work queue, one zaak's page and its documents (the actions on a zaak:
actions.py; the page itself: page.py).

Views are thin: parse, check the permission (app.auth.permissions), call the services,
render. Every page that shows a resident's zaak writes the view to the disclosure log in
the same transaction as the read.
"""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from app.auth.permissions import Permission, requires
from app.auth.staff import TEAMS, team_label
from app.backoffice import bp
from app.backoffice.common import check_team, dutch, teams_in_scope
from app.backoffice.zaken.forms import QueueFilterForm
from app.backoffice.zaken.page import log_view, overdue_text, show_zaak
from app.backoffice.zaken.services import QUEUE_PAGE_SIZE
from app.db import transaction
from app.ui import locale_name, private_download
from app.ui.dates import short_date
from app.ui.pagination import Pagination
from app.zaken.services import today
from app.zaken.store import (
    OVERDUE_LEGAL,
    OVERDUE_TARGET,
    STATUS_ALL,
    STATUS_CLOSED,
    STATUS_OPEN,
    QueueFilters,
    QueueRow,
    get_zaken_store,
)

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
    if not store.queue_searches_names:  # a ZGW zaaksysteem: no filter on a person's name
        form.q.label.text = gettext("Case number")
        form.q.description = gettext("The case system cannot search by name. Type the case "
                                     "number or part of it.")
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
        "status": (gettext("Cannot be shown right now") if row.status_unavailable
                   else row.status.get(locale) if row.status else ""),
        "team": team_label(row.team),
        "startdatum": short_date(row.startdatum),
        "target": short_date(row.einddatum_gepland),
        "legal": short_date(row.uiterlijke_einddatum_afdoening),
        "closed": row.is_closed,
        "einddatum": short_date(row.einddatum),
        "overdue": row.overdue,
        "overdue_text": (gettext("Closed on %(date)s", date=short_date(row.einddatum))
                         if row.is_closed else overdue_text(row.overdue, row.days_overdue,
                                                                suspended=row.opgeschort)),
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
        by_deadline=store.queue_orders_by_deadline,
        rows=[_queue_row_view(r) for r in found.rows], total=pager.total, pager=pager,
        filtered=filters != QueueFilters(), show_team=teams is None or len(teams) > 1)


# --------------------------------------------------------------------------- one zaak


@bp.get("/zaken/<identificatie>")
@requires(Permission.VIEW_ZAKEN)
def zaak(identificatie: str):
    return show_zaak(identificatie)


# --------------------------------------------------------------------------- documents


@bp.get("/zaken/<identificatie>/documenten/<document_id>")
@requires(Permission.VIEW_ZAKEN)
def zaak_document(identificatie: str, document_id: str):
    with transaction() as db:
        document = get_zaken_store(db).staff_document(identificatie, document_id)
        if document is None:
            abort(404)
        check_team(identificatie, document.team)
        log_view(db, identificatie, document.initiator_bsn,
                 purpose=dutch(_l("Viewing a document of your case")), categories=["documenten"])
    return private_download(document.file.content, document.file.bestandsnaam)
