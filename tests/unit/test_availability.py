"""Availability and booking rules of the local agenda (app/appointments/local.py).

The test agenda opens 09:00-12:00 local time on weekdays with one desk; "now"
is fixed, so the dates below do not depend on the day the suite runs.
"""

import datetime as dt
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from app.appointments import local, services
from app.appointments.agenda import parse_agenda
from app.appointments.models import Appointment, Desk, DeskSlot
from app.appointments.values import STATUS_CANCELLED, BookingProblem, Contact, SlotTaken, Visit
from app.catalog.content import get_catalog
from app.db import _make_sqlite_transactional
from tests.appointments_fixtures import (  # noqa: F401
    LOCATION,
    agenda,
    agenda_data,
    desks,
    session,
    utc,
)

NOW = utc(2027, 3, 22, 6)           # Monday 22 March 2027, 07:00 in Elburg (winter time)
FRIDAY = dt.date(2027, 3, 26)       # before the clocks go forward (UTC+1)
MONDAY = dt.date(2027, 3, 29)       # after (UTC+2)
PASPOORT = Visit(LOCATION, ("paspoort",), 1)
ANNA = Contact("Anna de Vries", "anna@example.org")


def starts(session, agenda, visit, day, now=NOW):
    return local.times_on(session, agenda, visit, day, now)


def book(session, agenda, start, visit=PASPOORT, contact=ANNA, key=None):
    return local.book(session, agenda, visit, start, contact,
                         idempotency_key=key or f"k-{start.isoformat()}-{contact.email}", now=NOW)


def test_a_visit_must_end_by_closing_time(session, agenda, desks):
    permit = Visit(LOCATION, ("omgevingsvergunning",), 1)  # 30 minutes
    free = starts(session, agenda, permit, FRIDAY)
    assert free[0] == utc(2027, 3, 26, 8)            # 09:00 local
    assert free[-1] == utc(2027, 3, 26, 10, 30)      # 11:30 local: ends at 12:00


def test_duration_is_the_sum_of_the_products_times_the_persons(session, agenda, desks):
    assert agenda.duration(["paspoort", "rijbewijs"], 2) == dt.timedelta(minutes=40)
    both = Visit(LOCATION, ("paspoort", "rijbewijs"), 2)
    book(session, agenda, utc(2027, 3, 26, 9))       # 10:00-10:10 local taken
    free = starts(session, agenda, both, FRIDAY)
    # 40 minutes from 09:30 would run into the 10:00 booking.
    assert utc(2027, 3, 26, 8, 20) in free and utc(2027, 3, 26, 8, 30) not in free
    assert utc(2027, 3, 26, 9, 10) in free and free[-1] == utc(2027, 3, 26, 10, 20)


def test_products_that_may_not_be_combined_are_refused(session, agenda, desks):
    assert agenda.combinable(["paspoort", "rijbewijs"])
    assert not agenda.combinable(["paspoort", "omgevingsvergunning"])
    with pytest.raises(BookingProblem):
        book(session, agenda, utc(2027, 3, 26, 8), Visit(LOCATION, ("paspoort", "omgevingsvergunning"), 1))


def test_holidays_and_weekends_have_no_room(session, agenda, desks):
    days = local.days_with_room(session, agenda, PASPOORT, NOW)
    assert dt.date(2027, 3, 25) not in days          # the holiday
    assert dt.date(2027, 3, 27) not in days          # a Saturday
    assert dt.date(2027, 3, 24) in days


def test_opening_hours_follow_the_clock_across_the_march_dst_change(session, agenda, desks):
    assert starts(session, agenda, PASPOORT, FRIDAY)[0] == utc(2027, 3, 26, 8)   # 09:00 UTC+1
    assert starts(session, agenda, PASPOORT, MONDAY)[0] == utc(2027, 3, 29, 7)   # 09:00 UTC+2
    # 01:00-04:00 on the night 02:00 does not exist is two hours of desk time.
    night = services.opening_slots(agenda, agenda.location(LOCATION), dt.date(2027, 3, 28))
    assert len(night[0]) == 12
    start, end = services.local_day_bounds(agenda, dt.date(2027, 3, 28))
    assert end - start == dt.timedelta(hours=23)


def test_opening_hours_follow_the_clock_across_the_october_dst_change(session, agenda, desks):
    now = utc(2027, 10, 25, 6)
    assert starts(session, agenda, PASPOORT, dt.date(2027, 10, 29), now)[0] == utc(2027, 10, 29, 7)
    assert starts(session, agenda, PASPOORT, dt.date(2027, 11, 1), now)[0] == utc(2027, 11, 1, 8)
    # 01:00-04:00 on the night 02:00-03:00 happens twice is four hours.
    night = services.opening_slots(agenda, agenda.location(LOCATION), dt.date(2027, 10, 31))
    assert len(night[0]) == 24 and night[0][0] == utc(2027, 10, 30, 23)
    start, end = services.local_day_bounds(agenda, dt.date(2027, 10, 31))
    assert end - start == dt.timedelta(hours=25)


def test_notice_and_horizon(session, agenda, desks):
    today = starts(session, agenda, PASPOORT, dt.date(2027, 3, 22), now=utc(2027, 3, 22, 8))
    assert today[0] == utc(2027, 3, 22, 10)          # 09:00 local now, 2 hours notice: 11:00
    assert starts(session, agenda, PASPOORT, NOW.date() + dt.timedelta(days=43)) == []


def test_a_booked_desk_is_not_offered_again_and_booking_it_gives_the_nearest_times(
        session, agenda, desks):
    start = utc(2027, 3, 26, 9)
    appointment = book(session, agenda, start)
    assert appointment.reference.startswith("AFS-") and len(appointment.reference) == 10
    assert start not in starts(session, agenda, PASPOORT, FRIDAY)
    with pytest.raises(SlotTaken) as taken:
        book(session, agenda, start, contact=Contact("Bob", "bob@example.org"))
    assert taken.value.nearest == [utc(2027, 3, 26, 8, 30), utc(2027, 3, 26, 8, 40),
                                   utc(2027, 3, 26, 8, 50), utc(2027, 3, 26, 9, 10),
                                   utc(2027, 3, 26, 9, 20)]


def test_the_database_refuses_a_second_claim_on_the_same_desk_time(session, agenda, desks):
    appointment = book(session, agenda, utc(2027, 3, 26, 9))
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(DeskSlot(desk_id=appointment.desk_id, slot_start=utc(2027, 3, 26, 9)))


def test_the_same_idempotency_key_books_once(session, agenda, desks):
    first = book(session, agenda, utc(2027, 3, 26, 9), key="same")
    again = book(session, agenda, utc(2027, 3, 26, 10), key="same")
    assert again.id == first.id


def test_a_resident_may_book_only_so_many_appointments_a_day(session, agenda, desks):
    book(session, agenda, utc(2027, 3, 26, 8))
    book(session, agenda, utc(2027, 3, 26, 9))
    with pytest.raises(BookingProblem) as problem:
        book(session, agenda, utc(2027, 3, 26, 10))
    assert problem.value.code == "day_limit"


def test_callers_booked_by_phone_without_email_are_not_counted_as_one(session, agenda, desks):
    for hour, name in ((8, "Piet"), (9, "Klaas"), (10, "Joke")):  # different people, phone only
        book(session, agenda, utc(2027, 3, 26, hour), contact=Contact(name, "", "06 1234567"))


def test_moving_keeps_the_reference_and_raises_the_sequence(session, agenda, desks):
    appointment = book(session, agenda, utc(2027, 3, 26, 9))
    reference = appointment.reference
    local.move(session, agenda, appointment, utc(2027, 3, 29, 8), now=NOW)
    assert appointment.reference == reference and appointment.sequence == 1
    assert utc(2027, 3, 26, 9) in starts(session, agenda, PASPOORT, FRIDAY)
    assert utc(2027, 3, 29, 8) not in starts(session, agenda, PASPOORT, MONDAY)


def test_cancelling_frees_the_desk(session, agenda, desks):
    appointment = book(session, agenda, utc(2027, 3, 26, 9))
    local.cancel(session, appointment, now=NOW)
    assert appointment.status == STATUS_CANCELLED and appointment.sequence == 1
    assert utc(2027, 3, 26, 9) in starts(session, agenda, PASPOORT, FRIDAY)
    with pytest.raises(BookingProblem):
        local.cancel(session, appointment, now=NOW)


def test_blocking_a_desk_lists_the_bookings_in_it_and_keeps_them(session, agenda, desks):
    appointment = book(session, agenda, utc(2027, 3, 26, 9))
    _, affected = local.block_desk(session, agenda, LOCATION, "d1", utc(2027, 3, 26, 8),
                                   utc(2027, 3, 26, 11), reason="Training", created_by="test",
                                   now=NOW)
    assert affected == [appointment] and appointment.needs_follow_up
    assert appointment.status == "booked"
    assert starts(session, agenda, PASPOORT, FRIDAY) == []
    day = local.day_agenda(session, agenda, LOCATION, FRIDAY)
    assert [visit.reference for visit in day.appointments] == [appointment.reference]
    assert [block.reason for desk in day.desks for block in desk.blocks] == ["Training"]


def test_fifty_parallel_attempts_at_the_last_place_give_exactly_one_booking(app, database_url):
    """Real concurrency: 50 threads, each with its own connection and transaction, on the
    migrated test database (SQLite file or PostgreSQL); the unique desk-slot constraint
    lets exactly one of them commit."""
    location = "race-" + secrets.token_hex(4)
    data = agenda_data()
    data["locations"][0]["slug"] = location
    with app.app_context():
        race_agenda = parse_agenda(data, get_catalog())
    engine = _engine(database_url)
    make_session = sessionmaker(bind=engine, expire_on_commit=False)
    with make_session() as setup:
        setup.add(Desk(location=location, code="d1", name="Desk 1"))
        setup.commit()
    visit = Visit(location, ("paspoort",), 1)
    start = utc(2027, 3, 26, 9)
    barrier = threading.Barrier(ATTEMPTS)

    def attempt(n: int) -> str:
        barrier.wait()

        def work() -> str:
            with make_session() as db:
                try:
                    local.book(db, race_agenda, visit, start,
                                  Contact(f"Resident {n}", f"r{n}@example.org"),
                                  idempotency_key=f"{location}-{n}", now=NOW)
                    db.commit()
                    return "booked"
                except SlotTaken:
                    db.rollback()
                    return "taken"

        return services.retry_when_busy(work, attempts=200)

    try:
        with ThreadPoolExecutor(ATTEMPTS) as pool:
            results = list(pool.map(attempt, range(ATTEMPTS)))
        assert results.count("booked") == 1 and results.count("taken") == ATTEMPTS - 1
        with make_session() as check:
            booked = check.scalars(select(Appointment).where(Appointment.location == location)).all()
            assert len(booked) == 1 and booked[0].starts_at == start
    finally:
        with make_session() as cleanup:
            desk_ids = select(Desk.id).where(Desk.location == location)
            cleanup.execute(delete(DeskSlot).where(DeskSlot.desk_id.in_(desk_ids)))
            cleanup.execute(delete(Appointment).where(Appointment.location == location))
            cleanup.execute(delete(Desk).where(Desk.location == location))
            cleanup.commit()
        engine.dispose()


ATTEMPTS = 50


def _engine(url: str):
    """An engine with a connection per thread, set up like the app's (app.db)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, pool_size=ATTEMPTS, max_overflow=0,
                               connect_args={"timeout": 15, "check_same_thread": False})
        _make_sqlite_transactional(engine)
        return engine
    return create_engine(url, pool_size=ATTEMPTS, max_overflow=0)
