"""Thin views of the booking flow and of moving and cancelling.

The flow's answers live in the server-side session (key FLOW), never in URLs;
appointments are addressed by their opaque public id and only shown to the
resident who booked them (DigiD) or who proved the booking email address
through the signed link in the mail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import TooManyRequests
from wtforms import SelectChoice

from app.appointments import bp
from app.appointments.agenda import get_agenda
from app.appointments.forms import (
    ActionForm,
    ConfirmForm,
    ContactForm,
    DateForm,
    EmailCheckForm,
    LocationForm,
    TimeForm,
    VisitForm,
    day_choices,
    day_label,
    location_choices,
    product_choices,
    start_label,
    time_choices,
)
from app.appointments.mail import (
    describe,
    public_id_from_token,
    send_cancelled,
    send_confirmation,
    send_moved,
)
from app.appointments.services import (
    agenda_backend,
    can_change,
    email_key,
    retry_when_busy,
    to_local,
    utcnow,
)
from app.appointments.values import STATUS_CANCELLED, BookingProblem, Contact, SlotTaken, Visit
from app.auth.kept_forms import carry_session_key
from app.db import get_session, transaction
from app.extensions import client_network, limiter
from app.notifications.limits import TOO_MANY_MAILS, visitor_may_mail
from app.persons.services import KnownResident, known_resident
from app.ui import locale_name

FLOW = "appointment_flow"
# A booking's earlier steps come back with what was typed when the session ended.
bp.record_once(lambda state: carry_session_key(state.app, FLOW))
BOOKED = "appointment_booked"
MANAGED = "appointments_managed"
NOTICE = "appointment_notice"

PROBLEMS = {
    "day_limit": _l("You already have the most appointments we allow on this day. "
                    "Choose another day, or cancel an appointment first."),
    "open_limit": _l("You already have the most appointments we allow at one time. Cancel an "
                     "appointment you no longer need first, or call us."),
    "not_combinable": _l("These products cannot be combined in one appointment."),
    "not_changeable": _l("This appointment can no longer be changed."),
    "too_many_mails": TOO_MANY_MAILS,
}


def _booking_limit() -> str:
    return current_app.config["APPOINTMENTS_BOOKING_RATE_LIMIT"]


def _booking_email_limit() -> str:
    return current_app.config["APPOINTMENTS_BOOKING_EMAIL_RATE_LIMIT"]


def _booking_email() -> str:
    """The booking's email address as a limit's key: the same mailbox however it is written
    (services.email_key), as a keyed hash, so the counters hold no address."""
    email = _flow().get("email") or ""
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), email_key(email).encode(),
                      hashlib.sha256).hexdigest()
    return f"booking-email:{digest}"


def _logged_in() -> bool:
    return current_user.is_authenticated


def _manage_limit() -> str:
    return current_app.config["APPOINTMENTS_MANAGE_RATE_LIMIT"]


def _backend():
    return agenda_backend(get_session())


def _flow() -> dict:
    return dict(session.get(FLOW) or {})


def _save(flow: dict) -> None:
    session[FLOW] = flow


def _visit(flow: dict) -> Visit | None:
    if not (flow.get("products") and flow.get("persons") and flow.get("location")):
        return None
    return Visit(flow["location"], tuple(flow["products"]), int(flow["persons"]))


def _parse_start(value: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --------------------------------------------------------------------------- 1. products + persons


@bp.route("/afspraak", methods=["GET", "POST"])
def start():
    agenda = get_agenda()
    flow = _flow()
    chosen = request.args.get("product") if request.method == "GET" else None
    if chosen and agenda.product(chosen):
        flow = {"products": [chosen], "persons": 1}
        _save(flow)
    form = VisitForm(combinable=agenda.combinable,
                     data={"products": flow.get("products") or [],
                           "persons": str(flow.get("persons", 1))})
    form.products.choices = product_choices(agenda)
    form.persons.choices = [SelectChoice(str(n)) for n in range(1, agenda.max_persons + 1)]
    if form.validate_on_submit():
        flow.update(products=form.products.data, persons=int(form.persons.data))
        flow.pop("nearest", None)
        if len(agenda.locations) == 1:
            flow["location"] = agenda.locations[0].slug
        _save(flow)
        return redirect(url_for(".choose_date" if flow.get("location") else ".choose_location"))
    return render_template("appointments/visit.html", form=form)


# --------------------------------------------------------------------------- 2. location


@bp.route("/afspraak/locatie", methods=["GET", "POST"])
def choose_location():
    agenda = get_agenda()
    flow = _flow()
    if not flow.get("products"):
        return redirect(url_for(".start"))
    form = LocationForm(data={"location": flow.get("location")})
    form.location.choices = location_choices(agenda)
    if form.validate_on_submit():
        flow["location"] = form.location.data
        _save(flow)
        return redirect(url_for(".choose_date"))
    return render_template("appointments/location.html", form=form)


def _back_from_date() -> str:
    if len(get_agenda().locations) == 1:
        return url_for(".start")
    return url_for(".choose_location")


# --------------------------------------------------------------------------- 3. date


@bp.route("/afspraak/datum", methods=["GET", "POST"])
def choose_date():
    flow = _flow()
    visit = _visit(flow)
    if visit is None:
        return redirect(url_for(".start"))
    days = _backend().days_with_room(visit, utcnow())
    form = DateForm(data={"day": flow.get("day")})
    form.day.choices = day_choices(days)
    if form.validate_on_submit():
        flow["day"] = form.day.data
        flow.pop("nearest", None)
        _save(flow)
        return redirect(url_for(".choose_time"))
    return render_template("appointments/date.html", form=form, days=days,
                           action=url_for(".choose_date"), back=_back_from_date())


# --------------------------------------------------------------------------- 4. time


@bp.route("/afspraak/tijd", methods=["GET", "POST"])
def choose_time():
    flow = _flow()
    visit = _visit(flow)
    day = _parse_day(flow.get("day"))
    if visit is None or day is None:
        return redirect(url_for(".choose_date"))
    nearest = [_parse_start(s) for s in flow.get("nearest", [])]
    form = TimeForm(data={"start": flow.get("start")})
    if nearest:
        # The chosen time was taken meanwhile: offer the closest free ones.
        form.start.choices = [SelectChoice(s.isoformat(), start_label(get_agenda(), s, with_day=True))
                              for s in nearest]
    else:
        form.start.choices = time_choices(get_agenda(), _backend().times_on(visit, day, utcnow()))
    if form.validate_on_submit():
        flow["start"] = form.start.data
        flow.pop("nearest", None)
        _save(flow)
        return redirect(url_for(".check" if flow.get("email") else ".contact"))
    return render_template("appointments/time.html", form=form, day=day_label(day),
                           taken=bool(nearest), action=url_for(".choose_time"),
                           back=url_for(".choose_date"))


# --------------------------------------------------------------------------- 5. contact details


def _known() -> KnownResident | None:
    if not current_user.is_authenticated:
        return None
    return known_resident(current_user.bsn)


@bp.route("/afspraak/gegevens", methods=["GET", "POST"])
def contact():
    flow = _flow()
    if _visit(flow) is None or not flow.get("start"):
        return redirect(url_for(".choose_time"))
    known = _known()
    person = known.person if known else None
    defaults = {"name": flow.get("name"), "email": flow.get("email"), "phone": flow.get("phone")}
    if known is not None:
        defaults = {"email": flow.get("email") or known.contact.email,
                    "phone": flow.get("phone") or known.contact.telefoon}
    form = ContactForm(data=defaults)
    if person is not None:
        del form.name  # known from the BRP: shown, not asked
    if form.validate_on_submit():
        flow.update(email=form.email.data.strip(), phone=(form.phone.data or "").strip(),
                    name=person.full_name if person else form.name.data.strip())
        _save(flow)
        return redirect(url_for(".check"))
    return render_template("appointments/contact.html", form=form, person=person)


# --------------------------------------------------------------------------- 6. check + confirm


def _check_rows(flow: dict) -> list[dict]:
    agenda = get_agenda()
    locale = locale_name()
    location = agenda.location(flow["location"])
    rows = [
        {"key": _l("Appointment for"),
         "value": ", ".join(agenda.product(s).title.get(locale) for s in flow["products"]),
         "href": url_for(".start")},
        {"key": _l("Number of persons"), "value": flow["persons"], "href": url_for(".start")},
    ]
    rows.append({"key": _l("Location"), "value": f"{location.name.get(locale)}, {location.address}",
                 "href": url_for(".choose_location") if len(agenda.locations) > 1 else None})
    start = _parse_start(flow["start"])
    rows += [
        {"key": _l("Date"), "value": day_label(to_local(agenda, start).date()),
         "href": url_for(".choose_date")},
        {"key": _l("Time"), "value": start_label(agenda, start), "href": url_for(".choose_time")},
        {"key": _l("Name"), "value": flow["name"],
         "href": None if current_user.is_authenticated else url_for(".contact")},
        {"key": _l("Email address"), "value": flow["email"], "href": url_for(".contact")},
        {"key": _l("Phone number"), "value": flow.get("phone"), "href": url_for(".contact")},
    ]
    return rows


@bp.get("/afspraak/controleren")
def check():
    flow = _flow()
    if _visit(flow) is None or not flow.get("start") or not flow.get("email"):
        return redirect(url_for(".start"))
    if not flow.get("key"):
        flow["key"] = secrets.token_urlsafe(24)
        _save(flow)
    form = ConfirmForm(data={"idempotency_key": flow["key"]})
    return render_template("appointments/check.html", form=form, rows=_check_rows(flow),
                           problem=PROBLEMS.get(request.args.get("probleem", "")))


@bp.post("/afspraak/controleren")
@limiter.limit(_booking_limit, key_func=client_network, exempt_when=_logged_in)
@limiter.limit(_booking_email_limit, key_func=_booking_email, exempt_when=_logged_in)
def confirm():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    key = form.idempotency_key.data or ""
    flow = _flow()
    existing = _backend().by_idempotency_key(key) if key else None
    if existing is not None:
        # A second click on the same page: this session made the key (its flow holds it, or
        # it booked with it). Another browser's key is nothing here, not a way in.
        if key != flow.get("key") and existing.public_id != session.get(BOOKED):
            return redirect(url_for(".start"))
        session[BOOKED] = existing.public_id
        return redirect(url_for(".confirmation"))
    visit, start = _visit(flow), _parse_start(flow.get("start"))
    if visit is None or start is None or key != flow.get("key"):
        return redirect(url_for(".start"))
    contact = Contact(name=flow["name"], email=flow["email"], phone=flow.get("phone", ""),
                      bsn=current_user.bsn if current_user.is_authenticated else None)
    if contact.bsn is None and not visitor_may_mail(contact.email):
        return redirect(url_for(".check", probleem="too_many_mails"))  # the flow is kept

    def attempt():
        with transaction() as db:
            appointment = _backend().book(visit, start, contact, idempotency_key=key,
                                          locale=locale_name(), now=utcnow())
            send_confirmation(db, get_agenda(), appointment)
            return appointment

    try:
        appointment = retry_when_busy(attempt)
    except SlotTaken as taken:
        flow.pop("start", None)
        flow["nearest"] = [s.isoformat() for s in taken.nearest]
        _save(flow)
        return redirect(url_for(".choose_time"))
    except BookingProblem as problem:
        return redirect(url_for(".check", probleem=problem.code))
    session.pop(FLOW, None)
    session[BOOKED] = appointment.public_id
    return redirect(url_for(".confirmation"))


@bp.errorhandler(TooManyRequests)
def too_many(error: TooManyRequests):
    """A booking over the limits per client or per email address says what to do instead;
    any other limit of these pages gets the general page."""
    if request.endpoint != "appointments.confirm":
        return render_template("errors/error.html", code=error.code), error.code
    return render_template("appointments/too_many.html"), error.code


@bp.get("/afspraak/bevestiging")
def confirmation():
    public_id = session.get(BOOKED)
    appointment = _backend().by_public_id(public_id) if public_id else None
    if appointment is None:
        abort(404)
    return render_template("appointments/confirmation.html", appointment=appointment,
                           details=describe(appointment, get_agenda(), locale_name()))


# --------------------------------------------------------------------------- managing


def _may_manage(appointment) -> bool:
    if current_user.is_authenticated and appointment.bsn == current_user.bsn:
        return True
    return appointment.public_id in session.get(MANAGED, [])


def _managed_or_404(public_id: str):
    appointment = _backend().by_public_id(public_id)
    if appointment is None or not _may_manage(appointment):
        abort(404)
    return appointment


@bp.route("/afspraak/beheren/<token>", methods=["GET", "POST"])
@limiter.limit(_manage_limit)
def manage_link(token: str):
    """The link in the mail: valid until the start, after the booking email address is confirmed."""
    public_id = public_id_from_token(token)
    appointment = _backend().by_public_id(public_id) if public_id else None
    if appointment is None or not can_change(appointment):
        return render_template("appointments/link_invalid.html"), 404
    form = EmailCheckForm()
    if form.validate_on_submit():
        given = form.email.data.strip().lower().encode()
        if hmac.compare_digest(given, appointment.email.lower().encode()):
            session[MANAGED] = [*session.get(MANAGED, [])[-9:], appointment.public_id]
            return redirect(url_for(".manage", public_id=appointment.public_id))
        form.email.errors.append(_l("This is not the email address of the appointment"))
    return render_template("appointments/email_check.html", form=form)


@bp.get("/afspraak/mijn-afspraken")
@login_required
def mine():
    now = utcnow()
    appointments = _backend().for_resident(current_user.bsn)
    agenda, locale = get_agenda(), locale_name()
    upcoming = [a for a in reversed(appointments)
                if a.ends_at > now and a.status != STATUS_CANCELLED]
    past = [a for a in appointments if a not in upcoming]
    return render_template(
        "appointments/mine.html",
        upcoming=[(a, describe(a, agenda, locale)) for a in upcoming],
        past=[(a, describe(a, agenda, locale)) for a in past])


@bp.get("/afspraak/afspraken/<public_id>")
def manage(public_id: str):
    appointment = _managed_or_404(public_id)
    return render_template("appointments/manage.html", appointment=appointment,
                           details=describe(appointment, get_agenda(), locale_name()),
                           changeable=can_change(appointment), notice=session.pop(NOTICE, None))


@bp.route("/afspraak/afspraken/<public_id>/verzetten", methods=["GET", "POST"])
def move_date(public_id: str):
    appointment = _managed_or_404(public_id)
    if not can_change(appointment):
        return redirect(url_for(".manage", public_id=public_id))
    days = _backend().days_with_room(appointment.visit, utcnow())
    form = DateForm()
    form.day.choices = day_choices(days)
    if form.validate_on_submit():
        return redirect(url_for(".move_time", public_id=public_id, dag=form.day.data))
    return render_template("appointments/date.html", form=form, days=days,
                           action=url_for(".move_date", public_id=public_id),
                           back=url_for(".manage", public_id=public_id), moving=True)


@bp.route("/afspraak/afspraken/<public_id>/verzetten/tijd", methods=["GET", "POST"])
def move_time(public_id: str):
    appointment = _managed_or_404(public_id)
    day = _parse_day(request.args.get("dag"))
    if not can_change(appointment) or day is None:
        return redirect(url_for(".manage", public_id=public_id))
    backend = _backend()
    starts = backend.times_on(appointment.visit, day, utcnow(), moving=public_id)
    form = TimeForm()
    form.start.choices = time_choices(get_agenda(), starts)
    taken = False
    if form.validate_on_submit():
        def attempt():
            with transaction() as db:
                moved = agenda_backend(db).move(public_id, _parse_start(form.start.data), utcnow())
                send_moved(db, get_agenda(), moved)

        try:
            retry_when_busy(attempt)
        except SlotTaken:
            taken = True
            form.start.choices = time_choices(get_agenda(), backend.times_on(
                appointment.visit, day, utcnow(), moving=public_id))
        except BookingProblem as problem:
            form.start.errors.append(PROBLEMS.get(problem.code, PROBLEMS["not_changeable"]))
        else:
            session[NOTICE] = "moved"
            return redirect(url_for(".manage", public_id=public_id))
    return render_template("appointments/time.html", form=form, day=day_label(day), taken=taken,
                           action=url_for(".move_time", public_id=public_id, dag=day.isoformat()),
                           back=url_for(".move_date", public_id=public_id), moving=True)


@bp.route("/afspraak/afspraken/<public_id>/annuleren", methods=["GET", "POST"])
def cancel(public_id: str):
    appointment = _managed_or_404(public_id)
    if not can_change(appointment):
        return redirect(url_for(".manage", public_id=public_id))
    form = ActionForm()
    if form.validate_on_submit():
        with transaction() as db:
            cancelled = agenda_backend(db).cancel(public_id, utcnow())
            send_cancelled(db, get_agenda(), cancelled)
        return render_template("appointments/cancelled.html", appointment=appointment)
    return render_template("appointments/cancel.html", form=form, appointment=appointment,
                           details=describe(appointment, get_agenda(), locale_name()))
