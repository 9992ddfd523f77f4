"""Contact preferences are the portal's own data, kept by BSN beside the persons source."""

import dataclasses
import datetime as dt

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from app.cli import alembic_config
from app.db import get_session
from app.persons.models import ContactPreference
from app.persons.services import (
    Adres,
    Geboorte,
    Naam,
    Persoon,
    confirm_email,
    get_contact_details,
    known_resident,
    set_phone,
    start_email_verification,
)
from app.ports import PERSONS_SOURCE
from tests.personas import FATIMA

NEWCOMER = "999990500"  # no contact details yet


@pytest.fixture
def db(app, db_connection):
    with app.app_context():
        yield get_session()


def test_the_first_detail_makes_the_row_and_later_ones_change_it(db):
    assert get_contact_details(db, NEWCOMER).email == ""
    set_phone(db, bsn=NEWCOMER, telefoon="0525123456")
    code = start_email_verification(db, bsn=NEWCOMER, email="nieuw@example.nl")
    confirm_email(db, bsn=NEWCOMER, code=code)
    set_phone(db, bsn=NEWCOMER, telefoon="0612345678")
    details = get_contact_details(db, NEWCOMER)
    assert (details.email, details.telefoon) == ("nieuw@example.nl", "0612345678")
    assert db.query(ContactPreference).filter_by(bsn=NEWCOMER).count() == 1


class BrpConnector:
    """Another persons source, as a Haal Centraal connector would be: it knows name and
    address, and nothing of how a resident wants to be reached."""

    applies_corrections = False

    def __init__(self, _session) -> None:
        pass

    def get_person(self, bsn: str) -> Persoon | None:
        if bsn != FATIMA:
            return None
        return Persoon(
            bsn=FATIMA, naam=Naam("Fatima", "", "El Amrani"),
            geboorte=Geboorte(dt.date(1987, 4, 12), "Harderwijk"),
            verblijfplaats=Adres("Beekstraat", 3, "", "", "8081 EA", "Elburg",
                                 dt.date(2015, 1, 1)),
            geheimhouding_persoonsgegevens=False, geslacht="vrouw",
            nationaliteiten=("Nederlandse",), eerdere_verblijfplaatsen=(), reisdocumenten=())


def test_contact_details_stay_with_the_portal_whatever_the_persons_source(app, db, monkeypatch):
    monkeypatch.setitem(app.extensions, PERSONS_SOURCE.key, BrpConnector)
    known = known_resident(FATIMA)
    assert known.person.verblijfplaats.straat == "Beekstraat"  # the connector's record
    assert known.contact.email == "fatima.elamrani@example.nl"  # the portal's own
    assert "email" not in {field.name for field in dataclasses.fields(Persoon)}


def test_the_migration_moves_contact_details_out_of_the_persons_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrate.db'}"
    config = alembic_config(url)
    command.upgrade(config, "6f7a8b9cab01")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO persons (bsn, voornamen, voorvoegsel, geslachtsnaam, geslacht, "
            "geboortedatum, geboorteplaats, nationaliteit, straat, huisnummer, huisletter, "
            "huisnummertoevoeging, postcode, woonplaats, adres_sinds, email, telefoon) VALUES "
            "(:bsn, 'Anna', '', 'Jansen', 'vrouw', '1990-01-01', 'Elburg', 'Nederlandse', "
            "'Beekstraat', 1, '', '', '8081 EA', 'Elburg', '2020-01-01', :email, :telefoon)"),
            [{"bsn": "999990501", "email": "anna@example.nl", "telefoon": "0525123456"},
             {"bsn": "999990502", "email": "", "telefoon": ""}])
    command.upgrade(config, "7a8b9cab0c12")
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT bsn, email, telefoon FROM contact_preferences")).all()
    assert [tuple(row) for row in rows] == [("999990501", "anna@example.nl", "0525123456")]
    command.downgrade(config, "6f7a8b9cab01")
    with engine.connect() as connection:
        back = connection.execute(text(
            "SELECT email, telefoon FROM persons ORDER BY bsn")).all()
    assert [tuple(row) for row in back] == [("anna@example.nl", "0525123456"), ("", "")]
    engine.dispose()
