"""The persons store: who lives here, as the BRP says.

Features ask ``get_persons_source()`` for a :class:`PersonsSource`; the SQL
table is the default implementation. A Haal Centraal BRP connector is one more
class with the same method, chosen in ``create_app``.
"""

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import get_session
from app.persons.models import Person

PERSONAS_PATH = Path(__file__).with_name("personas.toml")


@dataclass(frozen=True)
class PersonRecord:
    bsn: str
    voornamen: str
    voorvoegsel: str
    geslachtsnaam: str
    geslacht: str
    geboortedatum: date
    geboorteplaats: str
    nationaliteit: str
    straat: str
    huisnummer: int
    huisletter: str
    huisnummertoevoeging: str
    postcode: str
    woonplaats: str
    adres_sinds: date
    email: str
    telefoon: str

    @property
    def achternaam(self) -> str:
        return " ".join(part for part in (self.voorvoegsel, self.geslachtsnaam) if part)

    @property
    def full_name(self) -> str:
        return f"{self.voornamen} {self.achternaam}"

    @property
    def house_number_text(self) -> str:
        addition = f"-{self.huisnummertoevoeging}" if self.huisnummertoevoeging else ""
        return f"{self.huisnummer}{self.huisletter}{addition}"


class PersonsSource(Protocol):
    def get_person(self, bsn: str) -> PersonRecord | None: ...


class SqlPersonsSource:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_person(self, bsn: str) -> PersonRecord | None:
        person = self.session.scalar(select(Person).where(Person.bsn == bsn))
        return _to_record(person) if person else None


_RECORD_FIELDS = tuple(PersonRecord.__dataclass_fields__)


def _to_record(person: Person) -> PersonRecord:
    return PersonRecord(**{name: getattr(person, name) for name in _RECORD_FIELDS})


def get_persons_source() -> PersonsSource:
    factory = current_app.extensions.get("persons_source", SqlPersonsSource)
    return factory(get_session())


def load_personas(path: Path = PERSONAS_PATH) -> list[dict]:
    with path.open("rb") as file:
        return tomllib.load(file)["persona"]


def seed_personas(session: Session, path: Path = PERSONAS_PATH) -> int:
    """Insert the demo personas that are not there yet; returns how many were added."""
    known = set(session.scalars(select(Person.bsn)))
    added = 0
    for persona in load_personas(path):
        if persona["bsn"] in known:
            continue
        session.add(Person(**{name: persona[name] for name in _RECORD_FIELDS}))
        added += 1
    session.commit()
    return added
