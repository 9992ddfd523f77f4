"""`flask appointments ...`: the reminder job and the staff's day agenda.

Staff pages wait for staff login (a later issue); until then staff work from
these commands. Dates and times are local (Europe/Amsterdam).
"""

from __future__ import annotations

import datetime as dt

import click

from app.appointments import bp
from app.appointments.agenda import get_agenda
from app.appointments.mail import send_reminder
from app.appointments.services import agenda_backend, local_to_utc, to_local
from app.appointments.values import STATUS_ARRIVED, STATUS_NO_SHOW, BookingProblem
from app.db import get_session, transaction, utcnow


def _local_to_utc(value: dt.datetime) -> dt.datetime:
    return local_to_utc(get_agenda(), value.date(), value.time())


@bp.cli.command("remind")
def remind_command() -> None:
    """Queue the reminder mail for tomorrow's appointments (safe to run more than once)."""
    agenda = get_agenda()
    with transaction() as session:
        appointments = agenda_backend(session).due_reminders(utcnow())
        for appointment in appointments:
            send_reminder(session, agenda, appointment)
    click.echo(f"Reminders queued for {len(appointments)} appointment(s).")


@bp.cli.command("day")
@click.option("--location", required=True, help="Location slug, e.g. gemeentehuis.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), required=True)
def day_command(location: str, day: dt.datetime) -> None:
    """The day agenda of a location, per desk (no BSN, no email)."""
    agenda = get_agenda()
    for appointment in agenda_backend(get_session()).day_agenda(location, day.date()).appointments:
        start = to_local(agenda, appointment.starts_at).strftime("%H:%M")
        end = to_local(agenda, appointment.ends_at).strftime("%H:%M")
        follow_up = "  FOLLOW-UP" if appointment.needs_follow_up else ""
        click.echo(f"{appointment.desk_code}  {start}-{end}  {appointment.reference}  "
                   f"{appointment.status:<9}  {appointment.name}  "
                   f"{', '.join(appointment.products)} x{appointment.persons}{follow_up}")


def _mark(reference: str, status: str) -> None:
    with transaction() as session:
        backend = agenda_backend(session)
        appointment = backend.by_reference(reference)
        if appointment is None:
            raise click.ClickException(f"No appointment {reference}.")
        try:
            backend.mark(appointment.public_id, status, utcnow())
        except BookingProblem as problem:
            raise click.ClickException(problem.code) from None
    click.echo(f"{reference}: {status}")


@bp.cli.command("arrived")
@click.argument("reference")
def arrived_command(reference: str) -> None:
    """Mark a visitor as arrived."""
    _mark(reference, STATUS_ARRIVED)


@bp.cli.command("no-show")
@click.argument("reference")
def no_show_command(reference: str) -> None:
    """Mark a visitor who did not come."""
    _mark(reference, STATUS_NO_SHOW)


@bp.cli.command("block")
@click.option("--location", required=True)
@click.option("--desk", required=True, help="Desk code, e.g. balie-2.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d %H:%M"]), required=True)
@click.option("--until", "end", type=click.DateTime(["%Y-%m-%d %H:%M"]), required=True)
@click.option("--reason", default="")
@click.option("--by", "created_by", required=True, help="Who blocks the desk.")
def block_command(location, desk, start, end, reason, created_by) -> None:
    """Take a desk out of the agenda; lists the booked visits in the period for follow-up."""
    agenda = get_agenda()
    with transaction() as session:
        try:
            result = agenda_backend(session).block_desk(
                location, desk, _local_to_utc(start), _local_to_utc(end), reason=reason,
                created_by=created_by, now=utcnow())
        except BookingProblem as problem:
            raise click.ClickException(problem.code) from None
    click.echo(f"Blocked {desk}. {len(result.affected)} appointment(s) need follow-up:")
    for appointment in result.affected:
        when = to_local(agenda, appointment.starts_at).strftime("%Y-%m-%d %H:%M")
        click.echo(f"  {appointment.reference}  {when}  {appointment.name}  {appointment.email}  "
                   f"{appointment.phone}")
