"""A small test agenda (one location, fixed hours) and helpers for the appointment tests."""

import datetime as dt

import pytest

from app.appointments.agenda import parse_agenda
from app.appointments.models import Desk
from app.catalog.content import get_catalog
from app.db import get_session

LOCATION = "proefloket"


def agenda_data(desks: int = 1) -> dict:
    return {
        "timezone": "Europe/Amsterdam", "slot_minutes": 10, "horizon_days": 42,
        "notice_minutes": 120, "max_per_resident_per_day": 2, "max_persons": 4,
        "products": [
            {"slug": "paspoort", "minutes_per_person": 10, "combine_with": ["rijbewijs"]},
            {"slug": "rijbewijs", "minutes_per_person": 10, "combine_with": ["paspoort"]},
            {"slug": "omgevingsvergunning", "minutes_per_person": 30, "combine_with": []},
        ],
        "locations": [{
            "slug": LOCATION, "name": {"nl": "Proefloket", "en": "Test desk"},
            "address": "Proefstraat 1, 8081 AA Elburg",
            "desks": [{"code": f"d{n}", "name": f"Desk {n}"} for n in range(1, desks + 1)],
            "opening_hours": {day: [["09:00", "12:00"]] for day in
                              ("monday", "tuesday", "wednesday", "thursday", "friday")},
            "exceptions": [
                {"date": dt.date(2027, 3, 25), "closed": True,
                 "reason": {"nl": "Feestdag", "en": "Holiday"}},
                {"date": dt.date(2027, 3, 28), "hours": [["01:00", "04:00"]]},
                {"date": dt.date(2027, 10, 31), "hours": [["01:00", "04:00"]]},
            ],
        }],
    }


def utc(year, month, day, hour, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute)


@pytest.fixture
def session(app, db_connection):
    with app.test_request_context():
        yield get_session()


@pytest.fixture
def agenda(app):
    with app.app_context():
        return parse_agenda(agenda_data(), get_catalog())


@pytest.fixture
def desks(session):
    rows = [Desk(location=LOCATION, code="d1", name="Desk 1")]
    session.add_all(rows)
    session.flush()
    return rows
