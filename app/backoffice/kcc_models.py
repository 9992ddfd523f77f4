"""Indexes the KCC and agenda pages' queries need on other features' tables (no tables of
their own): the resident search (app.persons.services.SqlPersonsSource) and the agenda's
follow-up list (agenda_services); created by migration 5e6f7a8b9ca0."""

from sqlalchemy import Index

from app.appointments.models import Appointment
from app.persons.models import Person

# Find a resident: Haal Centraal's two searches, by birth date (then surname) and by address,
# as the SQL persons source runs them for the KCC (app.persons.services.SqlPersonsSource).
Index("ix_persons_geboortedatum", Person.geboortedatum)
Index("ix_persons_postcode_huisnummer", Person.postcode, Person.huisnummer)
# The agenda's follow-up list: a location's flagged visits from today on.
Index("ix_appointments_location_follow_up_starts_at", Appointment.location,
      Appointment.needs_follow_up, Appointment.starts_at)
