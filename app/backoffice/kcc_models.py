"""Indexes the KCC pages' queries need on other features' tables (no tables of their own):
the resident search (app.persons.services.SqlPersonsSource); created by migration
5e6f7a8b9ca0 (which also made the agenda's follow-up index, now declared with the
appointments' table in app.appointments.models)."""

from sqlalchemy import Index

from app.persons.models import Person

# Find a resident: Haal Centraal's two searches, by birth date (then surname) and by address,
# as the SQL persons source runs them for the KCC (app.persons.services.SqlPersonsSource).
Index("ix_persons_geboortedatum", Person.geboortedatum)
Index("ix_persons_postcode_huisnummer", Person.postcode, Person.huisnummer)
