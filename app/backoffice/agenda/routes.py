"""The balie agenda for staff: a location's day per desk, arrived / no-show, blocking a desk.

Disclosure: the day agenda shows residents' names and phone numbers. Logging every
booking at every view would flood the resident's list of disclosures, so the page writes
one entry per resident per day per team ("Gemeente Elburg, team Klantcontactcentrum,
bekeek uw afspraak op <dag>"), whatever the number of views that day
(kcc_services.log_daily_views). Anonymous bookings have no BSN and so no entry.
"""

from __future__ import annotations

import datetime as dt
import logging

from babel.dates import format_time
from flask import (
    abort,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from app.appointments import services as appointments
from app.appointments.agenda import get_agenda
from app.appointments.forms import day_label
from app.appointments.values import STATUS_ARRIVED, STATUS_BOOKED, STATUS_NO_SHOW
from app.auth.permissions import Permission, requires
from app.backoffice import bp
from app.backoffice import kcc_services as kcc
from app.backoffice.agenda import services as staff_agenda
from app.backoffice.agenda.forms import AgendaFilterForm, BlockForm, FindAppointmentForm
from app.backoffice.agenda.visits import (
    APPOINTMENT_STATUS,
    REFUSALS,
    agenda_day_url,
    cancel_with_notice,
    change_actions,
)
from app.db import transaction
from app.ui import locale_name
from app.ui.dates import short_date_time

log = logging.getLogger(__name__)

PURPOSE_AGENDA = "Uw afspraak aan de balie voorbereiden en ontvangen"
STATUS_BADGES = {STATUS_BOOKED: "neutral", STATUS_ARRIVED: "success", STATUS_NO_SHOW: "warning"}
MARKS = {"aanwezig": STATUS_ARRIVED, "niet-gekomen": STATUS_NO_SHOW}


def _location_or_404(agenda, slug: str | None):
    if not slug:
        return agenda.locations[0]
    location = agenda.location(slug)
    if location is None:
        abort(404)
    return location


def _time(agenda, moment: dt.datetime) -> str:
    return format_time(appointments.to_local(agenda, moment), "HH:mm", locale=locale_name())


def _hours_text(hours) -> str:
    if not hours:
        return gettext("Closed")
    return ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in hours)


def _product_titles(agenda, slugs) -> str:
    locale = locale_name()
    return ", ".join(agenda.product(slug).title.get(locale) if agenda.product(slug) else slug
                     for slug in slugs)


def _visit_row(agenda, visit, can_mark: bool) -> list:
    when = f"{_time(agenda, visit.starts_at)}–{_time(agenda, visit.ends_at)}"
    actions = []
    if can_mark:
        for slug, status, label in (("aanwezig", STATUS_ARRIVED, _l("Arrived")),
                                    ("niet-gekomen", STATUS_NO_SHOW, _l("Did not come"))):
            if visit.status != status:
                actions.append((label, url_for("backoffice.agenda_mark", public_id=visit.public_id,
                                               actie=slug)))
    actions += change_actions(visit)
    products = _product_titles(agenda, visit.products)
    if visit.persons > 1:
        products += " " + gettext("(%(count)s people)", count=visit.persons)
    status = {"text": str(APPOINTMENT_STATUS.get(visit.status, visit.status)),
              "badge": STATUS_BADGES.get(visit.status, "neutral")}
    if visit.needs_follow_up:
        status["lines"] = [gettext("Desk blocked: contact the resident")]
    return [when, visit.reference, visit.name, visit.phone, products, status, actions]


@bp.get("/agenda")
@requires(Permission.MANAGE_AGENDA)
def agenda():
    agenda_ = get_agenda()
    form = AgendaFilterForm(request.args)
    form.locatie.choices = [SelectChoice(loc.slug, loc.name.get(locale_name()))
                           for loc in agenda_.locations]
    find = FindAppointmentForm(request.args)
    if find.nummer.data and find.validate():
        found = _appointment_with_number(find.nummer.data)
        if found is not None:
            return found
        find.nummer.errors = [gettext("There is no appointment with this number.")]
    today = appointments.local_today(agenda_, appointments.utcnow())
    day = form.datum.data if form.validate() and form.datum.data else today
    location = _location_or_404(agenda_, form.locatie.data)
    form.datum.data, form.locatie.data = day, location.slug
    with transaction() as db:
        view = staff_agenda.day_agenda(db, location, day)
        follow = staff_agenda.follow_ups(db, location.slug)
        kcc.log_daily_views(db, [kcc.Viewed(a.bsn) for a in (*view.appointments, *follow)],
                            recipient=current_user.disclosure_recipient, purpose=PURPOSE_AGENDA,
                            data_categories=["naam", "contactgegevens"])
        desks = [{"desk": desk_day,
                  "rows": [_visit_row(agenda_, visit, day <= today)
                           for visit in desk_day.appointments],
                  "blocks": [gettext("%(start)s until %(end)s: %(reason)s",
                                     start=short_date_time(block.starts_at),
                                     end=short_date_time(block.ends_at), reason=block.reason)
                             for block in desk_day.blocks]}
                 for desk_day in view.desks]
        follow_rows = [[short_date_time(a.starts_at), a.reference, a.name, a.email, a.phone,
                        a.desk_name,
                        [(_l("Contacted"), url_for("backoffice.agenda_contacted",
                                                   public_id=a.public_id)), *change_actions(a)]]
                       for a in follow]
    return render_template(
        "backoffice/agenda.html", active="agenda", form=form, location=location, desks=desks,
        day_text=day_label(day), day=day,
        hours=_hours_text(view.opening_hours), follow_rows=follow_rows,
        count=len(view.appointments),
        previous_href=url_for("backoffice.agenda", datum=(day - dt.timedelta(days=1)).isoformat(),
                              locatie=location.slug),
        next_href=url_for("backoffice.agenda", datum=(day + dt.timedelta(days=1)).isoformat(),
                          locatie=location.slug),
        today_href=url_for("backoffice.agenda", locatie=location.slug) if day != today else None,
        block_href=url_for("backoffice.agenda_block", locatie=location.slug,
                           datum=day.isoformat()),
        find=find, form_errors=find.errors, notices=get_flashed_messages())


def _appointment_with_number(reference: str):
    """The day of the appointment with this reference (a caller's, to move or cancel it), with
    a notice of which it is; None when there is none."""
    agenda_ = get_agenda()
    with transaction() as db:
        visit = appointments.agenda_backend(db).by_reference(reference)
        if visit is None:
            return None
        flash(gettext("%(reference)s (%(name)s): %(when)s, %(status)s.", reference=visit.reference,
                      name=visit.name, when=short_date_time(visit.starts_at),
                      status=APPOINTMENT_STATUS.get(visit.status, visit.status)))
        return _back_to_day(agenda_, visit)


def _back_to_day(agenda_, visit):
    return redirect(agenda_day_url(agenda_, visit))


@bp.post("/agenda/afspraken/<public_id>/<actie>")
@requires(Permission.MANAGE_AGENDA)
def agenda_mark(public_id: str, actie: str):
    if actie not in MARKS:
        abort(404)
    agenda_ = get_agenda()
    with transaction() as db:
        visit = staff_agenda.appointment_at(db, public_id[:40])
        if visit is None:
            abort(404)
        try:
            staff_agenda.mark_visit(db, agenda_, visit, MARKS[actie])
            flash(gettext("%(reference)s (%(name)s): %(status)s.", reference=visit.reference,
                          name=visit.name, status=APPOINTMENT_STATUS[MARKS[actie]]))
            log.info("agenda: %s marked %s by %s", visit.reference, MARKS[actie],
                     current_user.username, extra={"event": "appointment_marked"})
        except staff_agenda.AgendaActionRefused as refusal:
            flash(str(REFUSALS[refusal.code]))
        return _back_to_day(agenda_, visit)


@bp.post("/agenda/afspraken/<public_id>/afzeggen")
@requires(Permission.MANAGE_AGENDA)
def agenda_cancel(public_id: str):
    agenda_ = get_agenda()
    with transaction() as db:
        visit = staff_agenda.appointment_at(db, public_id[:40])
        if visit is None:
            abort(404)
        cancel_with_notice(db, agenda_, visit)
        return _back_to_day(agenda_, visit)


@bp.post("/agenda/afspraken/<public_id>/gecontacteerd")
@requires(Permission.MANAGE_AGENDA)
def agenda_contacted(public_id: str):
    with transaction() as db:
        visit = staff_agenda.appointment_at(db, public_id[:40])
        if visit is None:
            abort(404)
        staff_agenda.contacted(db, visit)
        flash(gettext("%(reference)s is off the follow-up list.", reference=visit.reference))
        return redirect(url_for("backoffice.agenda", locatie=visit.location,
                                datum=request.args.get("datum") or None))


@bp.route("/agenda/blokkeren", methods=["GET", "POST"])
@requires(Permission.MANAGE_AGENDA)
def agenda_block():
    agenda_ = get_agenda()
    location = _location_or_404(agenda_, request.args.get("locatie"))
    form = BlockForm()
    form.desk.choices = [SelectChoice("", gettext("Choose a desk"))] + [
        SelectChoice(d.code, d.name) for d in location.desks]
    if request.method == "GET":
        try:
            first = dt.date.fromisoformat(request.args.get("datum", ""))
        except ValueError:
            first = appointments.local_today(agenda_, appointments.utcnow())
        form.van_datum.data = form.tot_datum.data = first
    elif form.validate_on_submit():
        start = appointments.local_to_utc(agenda_, form.van_datum.data, form.van_tijd.data)
        end = appointments.local_to_utc(agenda_, form.tot_datum.data, form.tot_tijd.data)
        try:
            with transaction() as db:
                result = staff_agenda.block(db, location.slug, form.desk.data, start, end,
                                            reason=form.reden.data.strip(),
                                            created_by=current_user.actor)
        except staff_agenda.AgendaActionRefused as refusal:
            form.desk.errors = [*form.desk.errors, str(REFUSALS.get(refusal.code, refusal.code))]
        else:
            flash(gettext("The desk is blocked from %(start)s until %(end)s.",
                          start=short_date_time(start), end=short_date_time(end)) + " " +
                  gettext("Appointments that need follow-up: %(count)s.",
                          count=len(result.affected)))
            log.info("agenda: desk %s at %s blocked by %s", form.desk.data, location.slug,
                     current_user.username, extra={"event": "desk_blocked"})
            return redirect(url_for("backoffice.agenda", locatie=location.slug,
                                    datum=form.van_datum.data.isoformat()))
    return render_template("backoffice/agenda_block.html", active="agenda", form=form,
                           location=location, form_errors=form.errors,
                           back_href=url_for("backoffice.agenda", locatie=location.slug))
