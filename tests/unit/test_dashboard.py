"""The kanaalsturing dashboard's figures against a ledger with known answers
(tests/contacts_fixtures.py), through the monthly sums the worker refreshes."""

from datetime import date, datetime, timedelta

import pytest

from app.contacts.aggregates import refresh
from app.contacts.dashboard import Period, dashboard, dashboard_csv
from app.contacts.services import Kanaal, Soort, record_contact, record_decision
from app.db import get_session, utcnow
from app.zaken.store import OpenedZaak
from tests.contacts_fixtures import FEBRUARY, JANUARY, known_ledger

BOTH = Period(JANUARY, FEBRUARY)
HOUR = timedelta(hours=1)


@pytest.fixture
def db(app, db_connection):
    with app.app_context():
        session = get_session()
        known_ledger(session)
        refresh(session, now=utcnow() + HOUR)
        yield session


def percentages(figures) -> dict:
    return {key: share.value for key, share in figures.shares.items()}


def test_each_month_has_its_shares_beside_what_they_were_counted_of(db):
    january, february = dashboard(db, BOTH).months
    assert percentages(january) == {
        "online": 60.0, "telefoon": 30.0, "balie": 10.0, "formulieren": 75.0,
        "servicenorm": None, "termijn": None, "eerste_keer_goed": 66.7, "cijfer": 7.0}
    assert percentages(february) == {
        "online": 0.0, "telefoon": 100.0, "balie": 0.0, "formulieren": None,
        "servicenorm": 33.3, "termijn": 83.3, "eerste_keer_goed": 100.0, "cijfer": 9.0}
    assert (january.shares["online"].part, january.shares["online"].whole) == (6, 10)


def test_a_zaak_decided_within_its_extended_or_suspended_term_is_in_time(db):
    february = dashboard(db, BOTH).months[1]
    # Of the three decided on the 25th, past the legal end they opened with, only the one
    # whose term neither an extension nor a suspension moved is late.
    assert (february.shares["termijn"].part, february.shares["termijn"].whole) == (5, 6)
    assert (february.shares["servicenorm"].part, february.shares["servicenorm"].whole) == (2, 6)


def test_the_whole_period_adds_the_months_up(db):
    assert percentages(dashboard(db, BOTH).total) == {
        "online": 54.5, "telefoon": 36.4, "balie": 9.1, "formulieren": 75.0,
        "servicenorm": 33.3, "termijn": 83.3, "eerste_keer_goed": 75.0, "cijfer": 7.7}


def test_one_product_counts_only_its_own_contacts(db):
    january, february = dashboard(db, Period(JANUARY, FEBRUARY, "paspoort")).months
    assert percentages(january)["balie"] == 100.0
    assert percentages(february)["telefoon"] == 100.0
    assert february.shares["termijn"].whole == 0  # the decided zaken were grofvuil
    assert (january.shares["cijfer"].value, february.shares["cijfer"].value) == (None, 9.0)


def test_a_form_s_score_counts_for_the_product_of_its_zaaktype(db):
    (january,) = dashboard(db, Period(JANUARY, JANUARY, "grofvuil-ophalen")).months
    assert (january.shares["cijfer"].part, january.shares["cijfer"].whole) == (14, 2)


def test_a_month_without_contacts_shows_no_percentage(db):
    (december,) = dashboard(db, Period(date(2025, 12, 1), date(2025, 12, 1))).months
    assert set(percentages(december).values()) == {None}


def test_the_csv_has_every_month_and_measure_with_the_2020_target(db):
    lines = dashboard_csv(dashboard(db, BOTH)).splitlines()
    assert lines[0] == "maand,product,maatstaf,aantal,van,waarde,doel_2020"
    assert "2026-01,alle,online,6,10,60.0,>=60" in lines
    assert "2026-01,alle,telefoon,3,10,30.0,<=20" in lines
    assert "2026-01,alle,servicenorm,0,0,," in lines
    assert "2026-02,alle,termijn,5,6,83.3,>=100" in lines
    assert "totaal,alle,eerste_keer_goed,3,4,75.0,>=80" in lines
    assert "2026-02,alle,cijfer,9,1,9.0,>=7" in lines
    assert "totaal,alle,cijfer,23,3,7.7,>=7" in lines
    assert len(lines) == 1 + 3 * 8


def test_a_refresh_sums_again_only_what_changed(db):
    later = utcnow() + 2 * HOUR  # after the first refresh's mark, beyond its look-back
    record_contact(db, kanaal=Kanaal.BALIE, soort=Soort.GESPREK, geregistreerd_door="karin",
                   gelukt=True, plaatsgevonden_op=datetime(2026, 2, 20), now=later)
    record_contact(db, kanaal=Kanaal.ONLINE, soort=Soort.ZAAK, geregistreerd_door="inwoner",
                   plaatsgevonden_op=datetime(2026, 1, 20), now=later,
                   zaak=OpenedZaak("ZAAK-2026-TEST000009", date(2026, 1, 27), date(2026, 2, 17)))
    record_decision(db, "ZAAK-2026-TEST000009", date(2026, 3, 2), now=later)
    report = refresh(db, now=later + HOUR)
    assert (report.contact_months, report.decision_months) == (2, 1)  # Jan (the zaak), Feb
    february = dashboard(db, BOTH).months[1]
    assert february.shares["balie"].part == 1 and february.shares["telefoon"].whole == 2
    march = dashboard(db, Period(date(2026, 3, 1), date(2026, 3, 1))).months[0]
    assert march.shares["termijn"].whole == 1 and march.shares["termijn"].part == 0


def test_the_demo_year_moves_towards_the_2020_targets(app, db_connection):
    from app.contacts.demo import generate

    with app.app_context():
        session = get_session()
        added = generate(session, months=12, per_month=300, end=date(2026, 12, 15))
        refresh(session)
        months = dashboard(session, Period(date(2026, 1, 1), date(2026, 12, 1))).months
    assert added > 12 * 300
    first, last = percentages(months[0]), percentages(months[-1])
    assert first["online"] < last["online"] and first["telefoon"] > last["telefoon"]
    assert last["eerste_keer_goed"] > first["eerste_keer_goed"]
    assert 6 < first["cijfer"] < last["cijfer"] < 8
    # Every draw is a contact, except a form started online and never sent.
    assert all(m.shares["online"].whole + m.shares["formulieren"].whole
               - m.shares["formulieren"].part == 300 for m in months)
