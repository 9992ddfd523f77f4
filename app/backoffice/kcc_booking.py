"""The KCC books, moves and cancels balie appointments for a resident on the phone (half
of Elburg's appointments are made by phone), from the resident's contact overview.

Booking is one page: a GET form for what, for how many, where and which day shows that
day's free times; the POST books one through the same agenda backend as the website, with
the resident's BSN, so the appointment is theirs in Mijn omgeving too. The confirmation
goes to the email address given (with the link to move or cancel); without one, the
employee gives the reference. Moving works the same way for one of the caller's own
visits (a day, then a time); cancelling is a button on the overview.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from app.appointments.agenda import get_agenda
from app.appointments.forms import (
    day_choices,
    day_label,
    location_choices,
    product_choices,
    start_label,
    time_choices,
)
from app.appointments.mail import send_confirmation, send_moved
from app.appointments.services import (
    agenda_backend,
    bookable_dates,
    can_change,
    check_visit,
    record_booking,
    retry_when_busy,
    to_local,
)
from app.appointments.values import BookingProblem, Contact, SlotTaken, Visit
from app.auth.permissions import Permission, requires
from app.backoffice import bp
from app.backoffice import kcc_services as kcc
from app.backoffice.agenda.visits import REFUSALS, agenda_day_url, cancel_with_notice
from app.backoffice.kcc import OVERVIEW, found_person_or_404
from app.backoffice.kcc_forms import (
    CallerBookingForm,
    CallerDayForm,
    CallerMoveForm,
    CallerVisitForm,
    UnknownCallerBookingForm,
)
from app.backoffice.services import claim_submission
from app.contacts.services import Kanaal
from app.db import get_session, transaction, utcnow
from app.persons.services import Persoon, get_contact_details, log_disclosure

PURPOSE_BOOKING = "Een afspraak voor u maken"
PROBLEMS = {
    "day_limit": _l("The resident already has the most appointments we allow on that day. "
                    "Choose another day."),
    "open_limit": _l("The resident already has the most appointments we allow at one time. "
                     "Cancel one of them first."),
    "not_combinable": _l("These products cannot be combined in one appointment. Make a "
                         "separate appointment for each."),
    "persons": _l("Choose for how many people"),
    "unknown_location": _l("Choose a location"),
}


@bp.route("/inwoners/<handle>/afspraak", methods=["GET", "POST"])
@requires(OVERVIEW)
@requires(Permission.MANAGE_AGENDA)
def book_for_caller(handle: str):
    person = found_person_or_404(handle)
    return _booking_page(person, url_for("backoffice.contact_overview", handle=handle),
                         handle=handle)


@bp.route("/agenda/afspraak", methods=["GET", "POST"])
@requires(Permission.MANAGE_AGENDA)
def book_for_unknown_caller():
    """For a caller who is not in the persons store (or does not want to be looked up): their
    name and a way to reach them; the appointment is not linked to a BSN."""
    return _booking_page(None, None)


def _booking_page(person: Persoon | None, done_url: str | None, handle: str | None = None):
    """done_url: where to go after booking; None for the agenda on the appointment's day."""
    agenda, now = get_agenda(), utcnow()
    visit_form = _visit_form(agenda, now)
    visit = _chosen_visit(visit_form)
    contact = get_contact_details(get_session(), person.bsn) if person else None
    known = {"email": contact.email, "phone": contact.telefoon} if contact else {}
    form_class = CallerBookingForm if person else UnknownCallerBookingForm
    booking_form = form_class(data={**known, "key": secrets.token_urlsafe(24)})
    day = dt.date.fromisoformat(visit_form.day.data) if visit else None
    if visit is not None:
        booking_form.start.choices = _time_choices(agenda, visit, day, now)
    if request.method == "POST" and visit is not None and booking_form.validate_on_submit():
        appointment = _book(person, visit, booking_form)
        if appointment is not None:
            return redirect(done_url or agenda_day_url(agenda, appointment))
        booking_form.start.choices = _time_choices(agenda, visit, day, now)
    if person is not None:
        with transaction() as db:
            log_disclosure(db, bsn=person.bsn, recipient=current_user.disclosure_recipient,
                           purpose=PURPOSE_BOOKING, channel=kcc.CHANNEL,
                           data_categories=["naam", "contactgegevens"])
    return render_template(
        "backoffice/kcc_book.html", active="residents" if person else "agenda", handle=handle,
        naam=person.full_name if person else None, visit_form=visit_form,
        booking_form=booking_form, visit=visit, day_text=day_label(day) if day else "",
        form_errors=visit_form.errors or booking_form.errors)


def _visit_form(agenda, now: dt.datetime) -> CallerVisitForm:
    form = CallerVisitForm(request.args)
    form.products.choices = product_choices(agenda)
    form.persons.choices = [(n, str(n)) for n in range(1, agenda.max_persons + 1)]
    form.location.choices = location_choices(agenda)
    form.day.choices = day_choices(bookable_dates(agenda, now))
    return form


def _chosen_visit(form: CallerVisitForm) -> Visit | None:
    """The visit the GET form asks about, when it is complete and possible."""
    if not request.args or not form.validate():
        return None
    visit = Visit(form.location.data, tuple(form.products.data), form.persons.data)
    try:
        check_visit(get_agenda(), visit)
    except BookingProblem as problem:
        form.products.errors = [*form.products.errors, str(PROBLEMS[problem.code])]
        return None
    return visit


def _time_choices(agenda, visit: Visit, day: dt.date, now: dt.datetime,
                  moving: str | None = None) -> list[SelectChoice]:
    """moving: the public id of the visit being moved (its own time counts as free)."""
    return time_choices(agenda, agenda_backend(get_session()).times_on(visit, day, now,
                                                                       moving=moving))


def _book(person: Persoon | None, visit: Visit, form: CallerBookingForm):
    """Book the chosen time: the appointment, or None with the reason at the form's field."""
    email = (form.email.data or "").strip()
    contact = Contact(name=person.full_name if person else form.name.data.strip(), email=email,
                      phone=(form.phone.data or "").strip(),
                      bsn=person.bsn if person else None)
    start = _chosen_start(form)
    if start is None:
        return None

    def attempt():
        with transaction() as db:
            appointment = agenda_backend(db).book(visit, start, contact,
                                                  idempotency_key=form.key.data, locale="nl",
                                                  now=utcnow())
            record_booking(db, appointment, kanaal=Kanaal.TELEFOON,
                           geregistreerd_door=current_user.username)
            if email:
                send_confirmation(db, get_agenda(), appointment)
            return appointment

    appointment = _at_the_chosen_time(attempt, form, PROBLEMS)
    if appointment is None:
        return None
    agenda = get_agenda()
    flash(gettext("Appointment %(reference)s is booked for %(day)s at %(time)s. Give the "
                  "resident the reference.", reference=appointment.reference,
                  day=day_label(to_local(agenda, appointment.starts_at).date()),
                  time=start_label(agenda, appointment.starts_at)))
    return appointment


def _callers_visit_or_404(db, person: Persoon, public_id: str):
    """One of the caller's own appointments (another's answers 404, as a missing one)."""
    visit = agenda_backend(db).by_public_id(public_id[:40], bsn=person.bsn)
    if visit is None:
        abort(404)
    return visit


@bp.post("/inwoners/<handle>/afspraken/<public_id>/afzeggen")
@requires(OVERVIEW)
@requires(Permission.MANAGE_AGENDA)
def cancel_for_caller(handle: str, public_id: str):
    person = found_person_or_404(handle)
    with transaction() as db:
        cancel_with_notice(db, get_agenda(), _callers_visit_or_404(db, person, public_id))
    return redirect(url_for("backoffice.contact_overview", handle=handle))


@bp.route("/inwoners/<handle>/afspraken/<public_id>/verzetten", methods=["GET", "POST"])
@requires(OVERVIEW)
@requires(Permission.MANAGE_AGENDA)
def move_for_caller(handle: str, public_id: str):
    person = found_person_or_404(handle)
    visit = _callers_visit_or_404(get_session(), person, public_id)
    with transaction() as db:
        log_disclosure(db, bsn=person.bsn, recipient=current_user.disclosure_recipient,
                       purpose=PURPOSE_BOOKING, channel=kcc.CHANNEL, data_categories=["naam"])
    return _move_page(visit, url_for("backoffice.contact_overview", handle=handle),
                      handle=handle)


@bp.route("/agenda/afspraken/<public_id>/verzetten", methods=["GET", "POST"])
@requires(Permission.MANAGE_AGENDA)
def move_from_agenda(public_id: str):
    """Any visit in the agenda, e.g. of a caller who booked without DigiD."""
    visit = agenda_backend(get_session()).by_public_id(public_id[:40])
    if visit is None:
        abort(404)
    return _move_page(visit, None)


def _move_page(visit, done_url: str | None, handle: str | None = None):
    """Another day and time for a visit: a GET form for the day, then the POST with the new
    time. Keeps the reference; the resident gets the moved mail. done_url: where to go
    after; None for the agenda on the visit's new day."""
    agenda, now = get_agenda(), utcnow()
    if not can_change(visit, now):
        flash(str(REFUSALS["not_changeable"]))
        return redirect(done_url or agenda_day_url(agenda, visit))
    day_form = CallerDayForm(request.args)
    day_form.day.choices = day_choices(bookable_dates(agenda, now))
    day = (dt.date.fromisoformat(day_form.day.data)
           if request.args and day_form.validate() else None)
    form = CallerMoveForm()
    if day is not None:
        form.start.choices = _time_choices(agenda, visit.visit, day, now, moving=visit.public_id)
    if request.method == "POST" and day is not None and form.validate_on_submit():
        moved = _move(visit.public_id, form)
        if moved is not None:
            return redirect(done_url or agenda_day_url(agenda, moved))
        form.start.choices = _time_choices(agenda, visit.visit, day, now, moving=visit.public_id)
    return render_template(
        "backoffice/kcc_move.html", active="residents" if handle else "agenda", handle=handle,
        naam=visit.name, visit=visit, now_text=start_label(agenda, visit.starts_at, with_day=True),
        day_form=day_form, form=form, day_text=day_label(day) if day else "",
        form_errors=day_form.errors or form.errors)


def _move(public_id: str, form: CallerMoveForm):
    """Move the visit to the chosen time, once per form: the visit, or None with the reason
    at the field."""
    start = _chosen_start(form)
    if start is None:
        return None

    def attempt():
        with transaction() as db:
            backend = agenda_backend(db)
            visit = backend.by_public_id(public_id)
            if not claim_submission(db, token=form.token.data, action="move-appointment",
                                    zaak=visit.reference, username=current_user.username):
                return visit  # the same form sent again: moved already
            moved = backend.move(public_id, start, utcnow())
            if moved.email:
                send_moved(db, get_agenda(), moved)
            return moved

    moved = _at_the_chosen_time(attempt, form, REFUSALS)
    if moved is not None:
        flash(gettext("Appointment %(reference)s is moved to %(when)s.",
                      reference=moved.reference, when=start_label(get_agenda(), moved.starts_at, with_day=True)))
    return moved


def _chosen_start(form) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(form.start.data)
    except ValueError:
        form.start.errors = [gettext("Choose a time")]
        return None


def _at_the_chosen_time(attempt, form, problems: dict):
    """Run an agenda change (its own transaction, again while SQLite is busy); None with the
    reason at the form's time field when the agenda refuses."""
    try:
        return retry_when_busy(attempt)
    except SlotTaken:
        form.start.errors = [gettext("Someone else just booked this time. Choose another time.")]
    except BookingProblem as problem:
        form.start.errors = [str(problems.get(problem.code, problem.code))]
    return None
