"""A visit (an appointment at the balie) as the staff pages show and change it: in the balie
agenda and in a caller's contact overview in the KCC. Its status label, the "Move" and
"Cancel" actions while it may still change, the refusal messages, cancelling with a notice.
"""

from __future__ import annotations

import logging

from flask import flash, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.appointments import services as appointments
from app.backoffice.agenda import services as staff_agenda

log = logging.getLogger(__name__)

APPOINTMENT_STATUS = {"booked": _l("Booked"), "arrived": _l("Arrived"),
                      "no_show": _l("Did not come"), "cancelled": _l("Cancelled")}
REFUSALS = {"cancelled": _l("This appointment was cancelled."),
            "not_changeable": _l("This visit has begun or is over: it can no longer be moved "
                                 "or cancelled."),
            "too_early": _l("You can only mark a visit on its day or later."),
            "unknown_desk": _l("This desk does not exist at this location.")}


def agenda_day_url(agenda_, visit) -> str:
    """The day agenda of the visit's day and location."""
    day = appointments.to_local(agenda_, visit.starts_at).date()
    return url_for("backoffice.agenda", datum=day.isoformat(), locatie=visit.location)


def change_actions(visit, handle: str | None = None) -> list:
    """"Move" (a link to its page) and "Cancel" (a button) while the visit may still change:
    from the agenda, or from a caller's contact overview (its handle)."""
    if not appointments.can_change(visit):
        return []
    if handle:
        values = {"handle": handle, "public_id": visit.public_id}
        move, cancel = "backoffice.move_for_caller", "backoffice.cancel_for_caller"
    else:
        values = {"public_id": visit.public_id}
        move, cancel = "backoffice.move_from_agenda", "backoffice.agenda_cancel"
    return [(_l("Move"), url_for(move, **values), "link"),
            (_l("Cancel"), url_for(cancel, **values))]


def cancel_with_notice(db, agenda_, visit) -> None:
    """Cancel on the resident's behalf and say so (or why not) on the next page."""
    try:
        staff_agenda.cancel_for_resident(db, agenda_, visit)
    except staff_agenda.AgendaActionRefused as refusal:
        flash(str(REFUSALS[refusal.code]))
        return
    flash(gettext("%(reference)s (%(name)s) is cancelled.", reference=visit.reference,
                  name=visit.name))
    log.info("agenda: %s cancelled by %s", visit.reference, current_user.username,
             extra={"event": "appointment_cancelled_by_staff"})
