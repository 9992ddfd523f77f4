"""Reference and demo data: `flask seed` runs every feature's seeder, in order.

Each seeder is idempotent (adds what is missing), so seeding twice is safe.
"""

from collections.abc import Callable

from sqlalchemy.orm import Session

from app.api.services import seed_api_partners
from app.appointments.local import seed_desks
from app.auth.staff import seed_staff
from app.contacts.demo import seed_demo_contacts
from app.persons.services import seed_disclosures, seed_personas
from app.zaken.catalogi import seed_zaaktypen
from app.zaken.sql.demo import seed_demo_zaken


def seeders() -> list[tuple[str, Callable[[Session], int]]]:
    return [
        ("demo personas", seed_personas),
        ("appointment desks", seed_desks),
        ("zaaktypen", seed_zaaktypen),
        ("API demo partner", seed_api_partners),
        ("demo verstrekkingen", seed_disclosures),
        ("demo staff", seed_staff),
        ("demo zaken", seed_demo_zaken),
        ("demo contacts (a year, for the channel dashboard)", seed_demo_contacts),
    ]


def seed_all(session: Session) -> dict[str, int]:
    """Run every seeder; returns how many records each added."""
    return {name: seeder(session) for name, seeder in seeders()}
