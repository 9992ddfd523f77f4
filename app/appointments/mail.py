"""The mails about an appointment: confirmation, moved, cancelled, reminder.

Each is a template (app/templates/mail/appointment_*.txt) sent through the outbox
(send_mail) in the caller's transaction, in the language the resident booked in, with an
.ics and the link to move or cancel. No BSN anywhere in them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, gettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from app.appointments.agenda import Agenda
from app.appointments.forms import day_label
from app.appointments.ics import build_ics
from app.appointments.services import to_local, utcnow
from app.appointments.values import STATUS_CANCELLED, AppointmentView
from app.notifications.services import Attachment, send_mail
from app.urls import external_url

MANAGE_SALT = "appointment-manage"


# --------------------------------------------------------------------------- the manage link


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=MANAGE_SALT)


def manage_token(appointment: AppointmentView) -> str:
    """A signed, opaque token for the link in the mail; the page checks it is still before the start."""
    return _serializer().dumps(appointment.public_id)


def public_id_from_token(token: str) -> str | None:
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def manage_url(appointment: AppointmentView) -> str:
    return external_url("appointments.manage_link", token=manage_token(appointment))


# --------------------------------------------------------------------------- what the resident reads


@dataclass(frozen=True)
class Details:
    reference: str
    date: str
    time: str
    end_time: str
    location_name: str
    address: str
    route: str
    products: list[str]
    persons: int
    what_to_bring: list[str]


def describe(appointment: AppointmentView, agenda: Agenda, locale: str) -> Details:
    location = agenda.location(appointment.location)
    start = to_local(agenda, appointment.starts_at)
    end = to_local(agenda, appointment.ends_at)
    products = [agenda.product(slug) for slug in appointment.products]
    bring: list[str] = []
    for product in products:
        for item in product.catalog_product.what_to_bring.get(locale):
            if item not in bring:
                bring.append(item)
    return Details(
        reference=appointment.reference,
        date=day_label(start.date()),
        time=start.strftime("%H:%M"), end_time=end.strftime("%H:%M"),
        location_name=location.name.get(locale), address=location.address,
        route=location.route.get(locale) if location.route else "",
        products=[p.title.get(locale) for p in products], persons=appointment.persons,
        what_to_bring=bring,
    )


def _queue(session: Session, agenda: Agenda, appointment: AppointmentView, template: str, *,
           dedupe_key: str, with_link: bool) -> None:
    # The details and the .ics in the resident's language too (day names, product names).
    with force_locale(appointment.locale):
        details = describe(appointment, agenda, appointment.locale)
    ics = ics_file(appointment, agenda, appointment.locale)
    method = "CANCEL" if appointment.status == STATUS_CANCELLED else "PUBLISH"
    send_mail(
        session, template, to=appointment.email, locale=appointment.locale,
        attachments=[Attachment("afspraak.ics", f"text/calendar; method={method}; charset=utf-8", ics)],
        dedupe_key=dedupe_key, details=details,
        link=manage_url(appointment) if with_link else None)


def ics_file(appointment: AppointmentView, agenda: Agenda, locale: str) -> bytes:
    """The appointment as a calendar file (app.appointments.ics) in ``locale``: what the
    mails attach and the pages offer as a download."""
    with force_locale(locale):
        return _ics(appointment, describe(appointment, agenda, locale))


def _ics(appointment: AppointmentView, details: Details) -> bytes:
    municipality = current_app.config["MUNICIPALITY_NAME"]
    domain = current_app.config["MUNICIPALITY_EMAIL"].rpartition("@")[2]
    return build_ics(
        appointment,
        summary=gettext("Appointment %(municipality)s: %(products)s", municipality=municipality,
                        products=", ".join(details.products)),
        location=f"{details.location_name}, {details.address}",
        description=f"{gettext('Reference')}: {details.reference}", domain=domain, now=utcnow())


def send_confirmation(session: Session, agenda: Agenda, appointment: AppointmentView) -> None:
    _queue(session, agenda, appointment, "appointment_booked",
           dedupe_key=f"appointment:{appointment.public_id}:{appointment.sequence}:booked",
           with_link=True)


def send_moved(session: Session, agenda: Agenda, appointment: AppointmentView) -> None:
    _queue(session, agenda, appointment, "appointment_moved",
           dedupe_key=f"appointment:{appointment.public_id}:{appointment.sequence}:moved",
           with_link=True)


def send_cancelled(session: Session, agenda: Agenda, appointment: AppointmentView) -> None:
    _queue(session, agenda, appointment, "appointment_cancelled",
           dedupe_key=f"appointment:{appointment.public_id}:{appointment.sequence}:cancelled",
           with_link=False)


def send_reminder(session: Session, agenda: Agenda, appointment: AppointmentView) -> None:
    """Idempotent per appointment time: running the reminder job twice sends one mail."""
    _queue(session, agenda, appointment, "appointment_reminder",
           dedupe_key=(f"appointment:{appointment.public_id}:reminder:"
                       f"{appointment.starts_at:%Y%m%dT%H%M}"),
           with_link=True)
