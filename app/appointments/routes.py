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
from collections.abc import Callable

from flask import (
    Response,
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
from werkzeug.exceptions import TooManyRequests
from wtforms import SelectChoice

from app.appointments import bp
from app.appointments.agenda import get_agenda
from app.appointments.forms import (
    ActionForm,
    ConfirmForm,
    ContactForm,
    EmailCheckForm,
    LocationForm,
    TimeForm,
    VisitForm,
    day_label,
    location_choices,
    product_choices,
    start_label,
    time_choices,
)
from app.appointments.mail import (
    describe,
    ics_file,
    public_id_from_token,
    send_cancelled,
    send_confirmation,
    send_moved,
)
from app.appointments.services import (
    DayOffer,
    agenda_backend,
    bookable_dates,
    can_change,
    days_on_offer,
    email_key,
    record_booking,
    resident_limit_problem,
    retry_when_busy,
    to_local,
    utcnow,
)
from app.appointments.values import STATUS_CANCELLED, BookingProblem, Contact, SlotTaken, Visit
from app.auth.kept_forms import carry_session_key
from app.contacts.services import INWONER, Kanaal
from app.db import get_session, transaction
from app.extensions import client_network, limiter
from app.feedback import page_question
from app.feedback.services import APPOINTMENT
from app.notifications.limits import TOO_MANY_MAILS, visitor_may_mail
from app.persons.services import KnownResident, known_resident
from app.ui import locale_name
from app.ui.calendar import CalendarMonth, first_of_month, month_calendar, parse_month

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


# --------------------------------------------------------------------------- the steps

# The booking's questions in order: who the resident is (contact) comes before the day, so
# that the calendar offers only days within their limits (services.days_on_offer).
STEPS = ("start", "choose_location", "contact", "choose_date", "choose_time")


def _steps() -> tuple[str, ...]:
    """The steps this agenda asks: no choice of location when there is only one."""
    if len(get_agenda().locations) == 1:
        return tuple(step for step in STEPS if step != "choose_location")
    return STEPS


def _progress(endpoint: str) -> tuple[int, int]:
    """("Stap X van Y", as the e-forms): this step's number among the steps asked."""
    steps = _steps()
    return steps.index(endpoint) + 1, len(steps)


def _previous(endpoint: str) -> str:
    steps = _steps()
    return url_for("." + steps[steps.index(endpoint) - 1])


def _contact(flow: dict) -> Contact:
    """The resident as the flow knows them so far (the limits count them by BSN or email)."""
    return Contact(name=flow.get("name", ""), email=flow.get("email", ""),
                   phone=flow.get("phone", ""),
                   bsn=current_user.bsn if current_user.is_authenticated else None)


def _changed_visit(flow: dict) -> None:
    """Another visit takes another time: a chosen time no longer holds."""
    flow.pop("start", None)
    flow.pop("nearest", None)


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
        _changed_visit(flow)
        if len(agenda.locations) == 1:
            flow["location"] = agenda.locations[0].slug
        _save(flow)
        return redirect(url_for(".contact" if flow.get("location") else ".choose_location"))
    return render_template("appointments/visit.html", form=form, step=_progress("start"))


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
        if form.location.data != flow.get("location"):
            _changed_visit(flow)
        flow["location"] = form.location.data
        _save(flow)
        return redirect(url_for(".contact"))
    return render_template("appointments/location.html", form=form,
                           step=_progress("choose_location"))


# --------------------------------------------------------------------------- 3. contact details


def _known() -> KnownResident | None:
    if not current_user.is_authenticated:
        return None
    return known_resident(current_user.bsn)


@bp.route("/afspraak/gegevens", methods=["GET", "POST"])
def contact():
    flow = _flow()
    visit = _visit(flow)
    if visit is None:
        return redirect(url_for(".start"))
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
        answers = {"email": form.email.data.strip(), "phone": (form.phone.data or "").strip(),
                   "name": person.full_name if person else form.name.data.strip()}
        # Before a day is chosen: one more visit to come must be allowed at all.
        if resident_limit_problem(_backend(), get_agenda(), _contact(answers), utcnow()):
            form.form_errors.append(PROBLEMS["open_limit"])
        else:
            flow.update(answers)
            _save(flow)
            return redirect(url_for(".choose_date"))
    return render_template("appointments/contact.html", form=form, person=person,
                           step=_progress("contact"), back=_previous("contact"))


# --------------------------------------------------------------------------- 4. day


def _calendar(offer: DayOffer, chosen: dt.date | None, day_href: Callable[[dt.date], str],
              month_href: Callable[[dt.date], str]) -> CalendarMonth:
    """The month asked for (?maand=), else that of the chosen day, else the first day on offer."""
    agenda = get_agenda()
    horizon = bookable_dates(agenda, utcnow())
    month = (parse_month(request.args.get("maand")) or chosen
             or (offer.days[0] if offer.days else horizon[0]))
    month = min(max(month, first_of_month(horizon[0])), horizon[-1])
    return month_calendar(month, set(offer.days), day_href, month_href,
                          first=horizon[0], last=horizon[-1], current=chosen)


def _at_limit_text(offer: DayOffer) -> str | None:
    """Why days with room are not links: the resident's own visits fill them."""
    if not offer.at_limit:
        return None
    return gettext("You already have %(count)s appointments on %(days)s: the most we allow on "
                   "one day. You cannot choose those days.",
                   count=get_agenda().max_per_resident_per_day,
                   days=", ".join(day_label(day) for day in offer.at_limit))


@bp.get("/afspraak/datum")
def choose_date():
    flow = _flow()
    visit = _visit(flow)
    if visit is None or not flow.get("email"):
        return redirect(url_for(".contact" if visit else ".start"))
    offer = days_on_offer(_backend(), get_agenda(), visit, _contact(flow), utcnow())
    calendar = _calendar(offer, _parse_day(flow.get("day")),
                         lambda day: url_for(".choose_time", dag=day.isoformat()),
                         lambda month: url_for(".choose_date", maand=f"{month:%Y-%m}"))
    return render_template("appointments/date.html", calendar=calendar, days=offer.days,
                           at_limit=_at_limit_text(offer), back=_previous("choose_date"),
                           step=_progress("choose_date"))


def _month_of(day: dt.date | None) -> str | None:
    return f"{day:%Y-%m}" if day else None


# --------------------------------------------------------------------------- 5. time


PARTS_OF_DAY = (_l("Morning"), _l("Afternoon"), _l("Evening"))  # before 12:00, 18:00, after


def _part_of_day_groups(starts: list[dt.datetime]) -> list[tuple[str, list[str]]]:
    """Free starts (naive UTC) by morning, afternoon and evening, local time."""
    agenda = get_agenda()
    groups: list[tuple[str, list[str]]] = [(str(label), []) for label in PARTS_OF_DAY]
    for start in starts:
        hour = to_local(agenda, start).hour
        part = 0 if hour < 12 else 1 if hour < 18 else 2
        groups[part][1].append(start.isoformat())
    return groups


@bp.route("/afspraak/tijd", methods=["GET", "POST"])
def choose_time():
    flow = _flow()
    visit = _visit(flow)
    if visit is None or not flow.get("email"):
        return redirect(url_for(".start"))
    asked = _parse_day(request.args.get("dag"))  # a day from the calendar
    # The chosen time was taken meanwhile (confirm): the closest free ones, until another
    # day is chosen.
    nearest = [] if asked else [_parse_start(s) for s in flow.get("nearest", [])]
    day = asked or _parse_day(flow.get("day"))
    if not nearest and (day is None or resident_limit_problem(
            _backend(), get_agenda(), _contact(flow), utcnow(), day)):
        return redirect(url_for(".choose_date", maand=_month_of(day)))
    form = TimeForm(data={"start": flow.get("start")})
    groups = None
    if nearest:
        form.start.choices = [SelectChoice(s.isoformat(), start_label(get_agenda(), s, with_day=True))
                              for s in nearest]
    else:
        starts = _backend().times_on(visit, day, utcnow())
        form.start.choices = time_choices(get_agenda(), starts)
        groups = _part_of_day_groups(starts)
    if form.validate_on_submit():
        start = _parse_start(form.start.data)
        flow.update(start=form.start.data, day=to_local(get_agenda(), start).date().isoformat())
        flow.pop("nearest", None)
        _save(flow)
        return redirect(url_for(".check"))
    other_day = url_for(".choose_date", maand=_month_of(day))
    return render_template("appointments/time.html", form=form, groups=groups,
                           day=day_label(day) if day else None, taken=bool(nearest),
                           action=url_for(".choose_time", dag=day.isoformat() if day else None),
                           back=other_day, other_day=other_day, step=_progress("choose_time"))


# --------------------------------------------------------------------------- 6. check + confirm


def _check_rows(flow: dict) -> list[dict]:
    agenda = get_agenda()
    locale = locale_name()
    location = agenda.location(flow["location"])
    start = _parse_start(flow["start"])
    day = to_local(agenda, start).date()
    rows = [
        {"key": _l("Appointment for"),
         "value": ", ".join(agenda.product(s).title.get(locale) for s in flow["products"]),
         "href": url_for(".start")},
        {"key": _l("Number of persons"), "value": flow["persons"], "href": url_for(".start")},
        {"key": _l("Location"), "value": f"{location.name.get(locale)}, {location.address}",
         "href": url_for(".choose_location") if len(agenda.locations) > 1 else None},
        {"key": _l("Name"), "value": flow["name"],
         "href": None if current_user.is_authenticated else url_for(".contact")},
        {"key": _l("Email address"), "value": flow["email"], "href": url_for(".contact")},
        {"key": _l("Phone number"), "value": flow.get("phone"), "href": url_for(".contact")},
        {"key": _l("Date"), "value": day_label(day),
         "href": url_for(".choose_date", maand=_month_of(day))},
        {"key": _l("Time"), "value": start_label(agenda, start),
         "href": url_for(".choose_time", dag=day.isoformat())},
    ]
    return rows


@bp.get("/afspraak/controleren")
def check():
    flow = _flow()
    if _visit(flow) is None or not flow.get("start") or not flow.get("email"):
        return redirect(url_for(".start"))
    day = _parse_day(flow.get("day"))
    limit = resident_limit_problem(_backend(), get_agenda(), _contact(flow), utcnow(), day)
    if limit == "day_limit":
        # Booked on that day meanwhile (another tab, or the KCC on the phone): choose again
        # from the days that can still be booked, rather than be refused at the button.
        flow.pop("start", None)
        _save(flow)
        return redirect(url_for(".choose_date", maand=_month_of(day)))
    if not flow.get("key"):
        flow["key"] = secrets.token_urlsafe(24)
        _save(flow)
    form = ConfirmForm(data={"idempotency_key": flow["key"]})
    return render_template("appointments/check.html", form=form, rows=_check_rows(flow),
                           problem=PROBLEMS.get(request.args.get("probleem") or limit or ""),
                           back=url_for(".choose_time", dag=flow.get("day")))


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
            record_booking(db, appointment, kanaal=Kanaal.ONLINE, geregistreerd_door=INWONER)
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
                           details=describe(appointment, get_agenda(), locale_name()),
                           **page_question(f"appointment:{appointment.public_id}",
                                           kind=APPOINTMENT, product=appointment.products[0]))


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


def _holder(appointment) -> Contact:
    """The resident of an appointment, as the limits count them."""
    return Contact(appointment.name, appointment.email, appointment.phone, appointment.bsn)


@bp.get("/afspraak/afspraken/<public_id>/verzetten")
def move_date(public_id: str):
    appointment = _managed_or_404(public_id)
    if not can_change(appointment):
        return redirect(url_for(".manage", public_id=public_id))
    offer = days_on_offer(_backend(), get_agenda(), appointment.visit, _holder(appointment),
                          utcnow(), moving=public_id)
    calendar = _calendar(
        offer, None,
        lambda day: url_for(".move_time", public_id=public_id, dag=day.isoformat()),
        lambda month: url_for(".move_date", public_id=public_id, maand=f"{month:%Y-%m}"))
    return render_template("appointments/date.html", calendar=calendar, days=offer.days,
                           at_limit=_at_limit_text(offer),
                           back=url_for(".manage", public_id=public_id), moving=True)


@bp.route("/afspraak/afspraken/<public_id>/verzetten/tijd", methods=["GET", "POST"])
def move_time(public_id: str):
    appointment = _managed_or_404(public_id)
    day = _parse_day(request.args.get("dag"))
    if not can_change(appointment) or day is None:
        return redirect(url_for(".manage", public_id=public_id))
    backend = _backend()
    other_day = url_for(".move_date", public_id=public_id, maand=_month_of(day))
    if resident_limit_problem(backend, get_agenda(), _holder(appointment), utcnow(), day,
                              moving=public_id):
        return redirect(other_day)
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
            starts = backend.times_on(appointment.visit, day, utcnow(), moving=public_id)
            form.start.choices = time_choices(get_agenda(), starts)
        except BookingProblem as problem:
            form.start.errors.append(PROBLEMS.get(problem.code, PROBLEMS["not_changeable"]))
        else:
            session[NOTICE] = "moved"
            return redirect(url_for(".manage", public_id=public_id))
    return render_template("appointments/time.html", form=form, day=day_label(day), taken=taken,
                           groups=_part_of_day_groups(starts),
                           action=url_for(".move_time", public_id=public_id, dag=day.isoformat()),
                           back=other_day, other_day=other_day, moving=True)


@bp.get("/afspraak/afspraken/<public_id>/afspraak.ics")
def calendar_file(public_id: str):
    """The appointment for the resident's own calendar: the .ics the mail carries too. For
    the resident who booked it (DigiD), who proved the email address, or the browser that
    just booked it (the confirmation page); anyone else gets 404."""
    appointment = _backend().by_public_id(public_id)
    if appointment is None or not (_may_manage(appointment) or public_id == session.get(BOOKED)):
        abort(404)
    return Response(ics_file(appointment, get_agenda(), locale_name()),
                    mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="afspraak.ics"',
                             "Cache-Control": "private, no-store"})


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
