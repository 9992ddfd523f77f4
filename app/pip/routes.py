"""Mijn omgeving: the overview that answers "what needs my attention"."""

from flask import current_app, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from app.appointments.agenda import get_agenda
from app.appointments.mail import describe
from app.appointments.services import agenda_backend, utcnow
from app.appointments.values import STATUS_CANCELLED
from app.berichten.services import unread_messages
from app.db import get_session
from app.eforms.definitions import get_definition
from app.eforms.services import forms_waiting_for
from app.pip import bp
from app.pip.berichten import message_row, pip_unread_messages, remember_unread
from app.pip.confirmations import waiting_row
from app.pip.zaken import pending_rows, summary_row
from app.ui import cached_fragment, dutch, locale_name
from app.ui.dates import long_date
from app.zaken.store import OpenDocumentRequest, get_zaken_store

OVERVIEW_ZAKEN = 10  # the newest open zaken; Mijn zaken lists them all
OVERVIEW_MESSAGES = 3  # the newest unread messages; Berichten lists them all


@bp.app_template_global("pip_has_page")
def pip_has_page(endpoint: str) -> bool:
    """Whether another PIP section is there yet (the navigation leaves it out until then)."""
    return endpoint in current_app.view_functions


@bp.app_template_global("pip_nav")
def pip_nav(active: str) -> Markup:
    """The navigation between Mijn omgeving's sections (pip/_nav.html) with `active` marked:
    the same for every resident with as many unread messages, so rendered once per language,
    section and count."""
    unread = pip_unread_messages() if pip_has_page("pip.berichten") else 0
    return cached_fragment("pip/_nav.html", active=active, unread=unread)


@bp.get("/mijn-omgeving")
@login_required
def overview():
    db, locale, bsn, store = get_session(), locale_name(), current_user.bsn, get_zaken_store()
    messages, unread = unread_messages(db, bsn, limit=OVERVIEW_MESSAGES)
    forms = forms_waiting_for(db, bsn)
    remember_unread(unread)  # the navigation's count, without a query of its own
    return render_template(
        "pip/overview.html",
        messages=[message_row(message) for message in messages], unread=unread,
        zaken=[summary_row(zaak, locale)
               for zaak in store.resident_zaken(bsn, closed=False, limit=OVERVIEW_ZAKEN).zaken],
        pending=pending_rows(store, bsn, locale),
        waiting=[_waiting_row(r, locale) for r in store.open_document_requests(bsn)],
        to_confirm=[waiting_row(waiting, locale) for waiting in forms.confirmations],
        drafts=[row for row in (_draft_row(d, locale) for d in forms.drafts) if row],
        appointments=_upcoming_appointments(db, bsn, locale))


def _waiting_row(document_request: OpenDocumentRequest, locale: str) -> dict:
    zaaknummer = document_request.zaak_identificatie
    return {"omschrijving": dutch(document_request.omschrijving, locale),
            "zaaktype": document_request.zaaktype.get(locale),
            "zaaknummer": zaaknummer,
            "date": long_date(document_request.created_at.date()),
            "href": url_for("pip.zaak", zaaknummer=zaaknummer, _anchor="verzoeken")}


def _draft_row(draft, locale: str) -> dict | None:
    definition = get_definition(draft.form_slug)
    if definition is None:  # a form taken offline since: nothing to resume
        return None
    step_id = draft.current_step or definition.steps[0].id
    return {"title": definition.title.get(locale),
            "updated": long_date(draft.updated_at.date()),
            "href": url_for("eforms.step", slug=definition.slug, draft_id=draft.id,
                            step_id=step_id)}


def _upcoming_appointments(db, bsn: str, locale: str) -> list[dict]:
    now, agenda = utcnow(), get_agenda()
    upcoming = [a for a in reversed(agenda_backend(db).for_resident(bsn))
                if a.ends_at > now and a.status != STATUS_CANCELLED]
    rows = []
    for appointment in upcoming:
        details = describe(appointment, agenda, locale)
        rows.append({"when": f"{details.date}, {details.time}",
                     "what": ", ".join(details.products), "where": details.location_name,
                     "href": url_for("appointments.manage", public_id=appointment.public_id)})
    return rows
