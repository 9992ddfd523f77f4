"""Indexes the KCC and agenda pages' queries need on other features' tables (no tables of
their own): the agenda's follow-up list (agenda_services); created by migration
5e6f7a8b9ca0. The resident search's indexes are the persons table's own
(app.persons.models), as no module outside app.persons uses its tables."""

from sqlalchemy import Index

from app.appointments.models import Appointment

# The agenda's follow-up list: a location's flagged visits from today on.
Index("ix_appointments_location_follow_up_starts_at", Appointment.location,
      Appointment.needs_follow_up, Appointment.starts_at)
