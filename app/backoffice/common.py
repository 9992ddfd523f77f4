"""What several parts of the back office share in their views: texts for the resident's
records in Dutch, flashed notices, the written-answer norm of a waiting question, the team
check on a zaak, and performing an action on a zaak once per form.

Parts import this module (and the shared services, forms and models beside it), never each
other's routes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import abort, flash, get_flashed_messages, redirect, url_for
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.permissions import Permission, can_handle_zaak, can_view_zaak, has_permission
from app.auth.staff import TEAMS, team_label
from app.backoffice.services import claim_submission, zaak_for_staff
from app.berichten.conversations import AnswerNorm, answer_norm
from app.catalog.facts import written_answer_days
from app.db import transaction
from app.ui import phone
from app.ui.dates import short_date
from app.zaken.services import today
from app.zaken.store import ContactPerson, StaffZaak, ZaakTransitionError

log = logging.getLogger(__name__)

SENT_ALREADY = _l("This form was sent already. Nothing was changed a second time.")


# --------------------------------------------------------------------------- texts


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


def notices() -> list[tuple[str, str]]:
    """Flashed notices as (type, text) for ui.alert."""
    return [(category if category in ("info", "ok", "warning", "error") else "info", text)
            for category, text in get_flashed_messages(with_categories=True)]


def written_answer_norm(came_in: datetime) -> AnswerNorm:
    """The written-answer norm applied today to a question that came in then (naive UTC):
    the residents' messages and the KCC's questions are held to the same rule."""
    return answer_norm(came_in, today(), written_answer_days())


def norm_text(norm: AnswerNorm) -> str:
    if norm.overdue:
        return gettext("Overdue: answer was due on %(date)s", date=short_date(norm.due))
    return gettext("Answer by %(date)s", date=short_date(norm.due))


def norm_cell(norm: AnswerNorm) -> dict:
    """A list's cell with the norm, marked red when it is overdue."""
    return {"text": norm_text(norm), "badge": "danger" if norm.overdue else "neutral"}


def contact_person_line(contact: ContactPerson | None) -> str:
    """A zaak's contact person on one line for staff: name, team and direct line."""
    if contact is None:
        return ""
    return ", ".join(part for part in (contact.naam, team_label(contact.team),
                                       phone(contact.telefoon) if contact.telefoon else "")
                     if part)


# How a contact came in and what it was (app.contacts.services.Kanaal, Soort), as staff read
# them in the contact overview, on a zaak's page and on the dashboard.
KANAAL_LABELS = {"online": _l("Online"), "telefoon": _l("Phone"), "balie": _l("Desk"),
                 "email": _l("Email"), "post": _l("Post"),
                 "namens": _l("On behalf of the resident")}
SOORT_LABELS = {"zaak": _l("Application or report"), "terugbelverzoek": _l("Callback request"),
                "vraag": _l("Question"), "afspraak": _l("Appointment"),
                "gesprek": _l("Answered at once"), "bericht": _l("Message"),
                "formulier": _l("Form started")}


def label(labels: dict, key: str) -> str:
    return str(labels.get(key, key))


# --------------------------------------------------------------------------- who may


@dataclass(frozen=True)
class TeamZaak:
    """A stand-in zaak of a team, to ask the permission rules about a team's zaken as a whole."""

    team: str


def teams_in_scope() -> list[str] | None:
    """The teams whose zaken the employee may see, from can_view_zaak (the one rule);
    None when that is every team (the KCC), so zaken without a team show too."""
    visible = [team for team in TEAMS if can_view_zaak(current_user, TeamZaak(team))]
    return None if len(visible) == len(TEAMS) else visible


def check_team(identificatie: str, team: str) -> None:
    """403 (and a log line) when the employee may not see this team's zaken."""
    if not can_view_zaak(current_user, TeamZaak(team)):
        log.warning("backoffice: zaak refused", extra={"zaak": identificatie,
                                                        "staff": current_user.username})
        abort(403)


def check_view(zaak: StaffZaak | None) -> StaffZaak:
    """The zaak when the employee may see it: 404 when there is none, 403 by its team."""
    if zaak is None:
        abort(404)
    check_team(zaak.identificatie, zaak.team)
    return zaak


def may_act(zaak: StaffZaak, routing: bool) -> bool:
    if routing:
        return has_permission(current_user, Permission.ROUTE_ZAKEN)
    return can_handle_zaak(current_user, zaak)


# --------------------------------------------------------------------------- acting


class StaleForm(Exception):
    """The zaak changed since the form was shown (another employee, another tab)."""


# work(db, zaak) makes the change through the zaken store and returns the notice.
Work = Callable[[object, StaffZaak], str]


def zaak_url(identificatie: str, anchor: str | None = None) -> str:
    return url_for("backoffice.zaak", identificatie=identificatie, _anchor=anchor or None)


def perform(identificatie: str, form, action: str, work: Work, *, anchor: str = "",
            routing: bool = False, next_url: str | None = None):
    """Run an action in one transaction on the zaak as it is now (row locked), once per form
    (its one-time token), then redirect to the zaak page (or next_url) with a notice (PRG).

    work(db, zaak) makes the change and returns the notice; ZaakTransitionError (a closed
    zaak) and StaleForm roll everything back, the token's claim included.

    On a remote zaaksysteem (ZAKEN_STORE=zgw) the change is made there before this
    transaction commits, and cannot be rolled back with it. Should the commit fail, a
    status or result sent again meets the zaak as changed (StaleForm) instead of changing
    it twice (a document sent again would be added twice: the employee sees both), and the
    zaaksysteem's notificatie brings the resident the message this transaction would have
    written (deduplicated, app.zaken.zgw.notifications)."""
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
    return redirect(next_url or zaak_url(identificatie, anchor))
