"""The agenda port's contract (app.appointments.services.AgendaBackend), written once and run
against every implementation: what a resident or an employee would notice.

An implementation joins by adding its factory to IMPLEMENTATIONS: given the request's
session and the test agenda (one location, two desks, open 09:00-12:00 on weekdays), it
returns a backend whose agenda has those desks and no bookings. A JCC or Qmatic connector
brings a stateful fake of that system here. Only the port is used below, never a table.
"""

import dataclasses
import datetime as dt

import pytest

from app.appointments.agenda import parse_agenda
from app.appointments.local import LocalAgendaBackend
from app.appointments.models import Desk
from app.appointments.values import (
    STATUS_ARRIVED,
    STATUS_BOOKED,
    STATUS_CANCELLED,
    STATUS_NO_SHOW,
    AppointmentView,
    BookingProblem,
    Contact,
    SlotTaken,
    Visit,
)
from app.catalog.content import get_catalog
from tests.appointments_fixtures import LOCATION, agenda_data, session, utc  # noqa: F401

NOW = utc(2027, 3, 22, 6)          # Monday 22 March 2027, 07:00 in Elburg
FRIDAY = dt.date(2027, 3, 26)      # 09:00 local is 08:00 UTC
MONDAY = dt.date(2027, 3, 29)      # after the clocks went forward: 09:00 local is 07:00 UTC
NINE, TEN = utc(2027, 3, 26, 8), utc(2027, 3, 26, 9)
PASPOORT = Visit(LOCATION, ("paspoort",), 1)
ANNA = Contact("Anna de Vries", "anna@example.org", "06 12345678", bsn="111222333")
BRAM = Contact("Bram Jansen", "bram@example.org", bsn="444555666")
CALLER = Contact("Carla (by phone)", "", "06 99998888")
DESKS = ("d1", "d2")


def local_backend(session, agenda):
    session.add_all(Desk(location=LOCATION, code=code, name=f"Desk {code}") for code in DESKS)
    session.flush()
    return LocalAgendaBackend(session, agenda)


IMPLEMENTATIONS = {"local": local_backend}


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def backend(request, app, session):  # session: the fixture imported above
    with app.app_context():
        agenda = parse_agenda(agenda_data(desks=len(DESKS)), get_catalog())
    return IMPLEMENTATIONS[request.param](session, agenda)


def book(backend, start, contact=ANNA, visit=PASPOORT, key=None):
    return backend.book(visit, start, contact, idempotency_key=key or f"{contact.name}-{start}",
                        locale="nl", now=NOW)


# --------------------------------------------------------------------------- availability


def test_the_agenda_offers_opening_hours_on_working_days(backend):
    assert FRIDAY in backend.days_with_room(PASPOORT, NOW)
    assert dt.date(2027, 3, 27) not in backend.days_with_room(PASPOORT, NOW)  # Saturday
    times = backend.times_on(PASPOORT, FRIDAY, NOW)
    assert times[0] == NINE and times[-1] == utc(2027, 3, 26, 10, 50)  # the last ends at 12:00
    assert backend.times_on(PASPOORT, MONDAY, NOW)[0] == utc(2027, 3, 29, 7)


def test_a_booked_time_disappears_once_every_desk_is_taken(backend):
    booked = book(backend, NINE)
    assert isinstance(booked, AppointmentView)
    assert (booked.starts_at, booked.ends_at) == (NINE, utc(2027, 3, 26, 8, 10))
    assert booked.status == STATUS_BOOKED and booked.reference
    assert NINE in backend.times_on(PASPOORT, FRIDAY, NOW)  # the other desk is still free
    book(backend, NINE, BRAM)
    assert NINE not in backend.times_on(PASPOORT, FRIDAY, NOW)
    assert utc(2027, 3, 26, 8, 10) in backend.times_on(PASPOORT, FRIDAY, NOW)


def test_a_booking_of_a_place_that_is_gone_is_refused_with_the_nearest_free_times(backend):
    book(backend, NINE)
    book(backend, NINE, BRAM)
    with pytest.raises(SlotTaken) as taken:
        book(backend, NINE, CALLER)
    assert taken.value.nearest and NINE not in taken.value.nearest
    assert [a.reference for a in backend.day_agenda(LOCATION, FRIDAY).appointments
            if a.name == CALLER.name] == []


def test_the_same_idempotency_key_books_once(backend):
    first = book(backend, NINE, key="one-click")
    again = book(backend, NINE, key="one-click")
    assert again.reference == first.reference
    assert backend.by_idempotency_key("one-click").reference == first.reference
    assert backend.by_idempotency_key("another") is None
    assert len(backend.day_agenda(LOCATION, FRIDAY).appointments) == 1


def test_a_resident_may_book_only_so_many_visits_a_day(backend):
    book(backend, NINE)
    book(backend, TEN)
    with pytest.raises(BookingProblem) as refused:
        book(backend, utc(2027, 3, 26, 10))
    assert refused.value.code == "day_limit"


def test_a_visit_that_cannot_be_combined_is_refused(backend):
    with pytest.raises(BookingProblem) as refused:
        book(backend, NINE, visit=Visit(LOCATION, ("paspoort", "omgevingsvergunning"), 1))
    assert refused.value.code == "not_combinable"


# --------------------------------------------------------------------------- move, cancel


def test_moving_frees_the_old_time_and_keeps_the_reference(backend):
    booked = book(backend, NINE)
    book(backend, NINE, BRAM)
    assert NINE in backend.times_on(PASPOORT, FRIDAY, NOW, moving=booked.public_id)
    moved = backend.move(booked.public_id, TEN, NOW)
    assert moved.reference == booked.reference and moved.starts_at == TEN
    assert moved.sequence == booked.sequence + 1
    assert NINE in backend.times_on(PASPOORT, FRIDAY, NOW)
    assert backend.by_public_id(booked.public_id).starts_at == TEN


def test_cancelling_frees_the_time_and_cannot_be_done_twice(backend):
    booked = book(backend, NINE)
    book(backend, NINE, BRAM)
    cancelled = backend.cancel(booked.public_id, NOW)
    assert cancelled.status == STATUS_CANCELLED and cancelled.sequence == booked.sequence + 1
    assert NINE in backend.times_on(PASPOORT, FRIDAY, NOW)
    with pytest.raises(BookingProblem):
        backend.cancel(booked.public_id, NOW)
    with pytest.raises(BookingProblem):
        backend.move(booked.public_id, TEN, NOW)


def test_a_visit_that_has_begun_can_no_longer_be_moved_or_cancelled(backend):
    booked = book(backend, NINE)
    later = NINE + dt.timedelta(minutes=5)
    with pytest.raises(BookingProblem) as refused:
        backend.cancel(booked.public_id, later)
    assert refused.value.code == "not_changeable"
    with pytest.raises(BookingProblem):
        backend.move(booked.public_id, TEN, later)


# --------------------------------------------------------------------------- finding


def test_a_visit_is_found_by_its_reference_and_not_as_another_residents(backend):
    booked = book(backend, NINE)
    assert backend.by_reference(booked.reference) == booked
    assert backend.by_reference(booked.reference.lower()) == booked
    assert backend.by_reference(booked.reference, bsn=ANNA.bsn) == booked
    assert backend.by_reference(booked.reference, bsn=BRAM.bsn) is None
    assert backend.by_reference("AFS-ZZZZZZ") is None
    assert backend.by_public_id(booked.public_id, bsn=ANNA.bsn) == booked
    assert backend.by_public_id(booked.public_id, bsn=BRAM.bsn) is None
    assert backend.by_public_id("no-such-appointment") is None


def test_a_residents_visits_newest_first_with_the_cancelled_ones(backend):
    friday = book(backend, NINE)
    monday = book(backend, utc(2027, 3, 29, 7))
    backend.cancel(friday.public_id, NOW)
    book(backend, TEN, BRAM)
    mine = backend.for_resident(ANNA.bsn)
    assert [(a.reference, a.status) for a in mine] == [
        (monday.reference, STATUS_BOOKED), (friday.reference, STATUS_CANCELLED)]
    assert [a.reference for a in backend.for_resident(ANNA.bsn, limit=1)] == [monday.reference]
    assert backend.for_resident("999999999") == []


def test_the_visits_the_limits_count_are_the_residents_to_come_by_bsn_or_mailbox(backend):
    """What the booking pages ask before offering days (services.days_on_offer): a
    resident's booked visits from a moment on, by BSN, or by mailbox without one."""
    friday = book(backend, NINE)
    monday = book(backend, utc(2027, 3, 29, 7))
    cancelled = book(backend, TEN)
    backend.cancel(cancelled.public_id, NOW)
    book(backend, TEN, BRAM)
    visitor = Contact("Vera", "Vera.Bezoeker+paspoort@example.org")
    by_mail = book(backend, utc(2027, 3, 26, 10), visitor)
    assert [v.public_id for v in backend.resident_visits(ANNA, NOW)] == [
        friday.public_id, monday.public_id]
    assert [v.public_id for v in backend.resident_visits(ANNA, utc(2027, 3, 27, 0))] == [
        monday.public_id]
    assert [v.public_id for v in backend.resident_visits(
        Contact("Vera", "vera.bezoeker@EXAMPLE.org"), NOW)] == [by_mail.public_id]
    assert backend.resident_visits(CALLER, NOW) == []


def test_what_a_visit_tells_is_what_was_booked(backend):
    booked = book(backend, NINE, visit=Visit(LOCATION, ("paspoort", "rijbewijs"), 2))
    found = backend.by_public_id(booked.public_id)
    assert found.products == ("paspoort", "rijbewijs") and found.persons == 2
    assert found.visit == Visit(LOCATION, ("paspoort", "rijbewijs"), 2)
    assert found.ends_at - found.starts_at == dt.timedelta(minutes=40)
    assert (found.name, found.email, found.phone, found.bsn, found.locale) == (
        ANNA.name, ANNA.email, ANNA.phone, ANNA.bsn, "nl")
    assert found.location == LOCATION and found.desk_code in DESKS and found.desk_name
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.status = STATUS_CANCELLED


def test_tomorrows_booked_visits_are_due_a_reminder(backend):
    friday = book(backend, NINE)
    cancelled = book(backend, TEN)
    backend.cancel(cancelled.public_id, NOW)
    book(backend, utc(2027, 3, 29, 7), BRAM)
    thursday = utc(2027, 3, 25, 6)
    assert [a.reference for a in backend.due_reminders(thursday)] == [friday.reference]


# --------------------------------------------------------------------------- the balie


def test_the_day_agenda_lists_each_desks_visits_but_not_the_cancelled_ones(backend):
    first = book(backend, NINE)
    second = book(backend, NINE, BRAM)
    phoned = book(backend, TEN, CALLER)
    gone = book(backend, utc(2027, 3, 26, 10))
    backend.cancel(gone.public_id, NOW)
    day = backend.day_agenda(LOCATION, FRIDAY)
    assert [desk.code for desk in day.desks] == list(DESKS)
    assert all(desk.name for desk in day.desks)
    assert {a.reference for a in day.appointments} == {
        first.reference, second.reference, phoned.reference}
    for desk in day.desks:
        assert all(a.desk_code == desk.code for a in desk.appointments)
        assert [a.starts_at for a in desk.appointments] == sorted(
            a.starts_at for a in desk.appointments)
    assert backend.day_agenda(LOCATION, MONDAY).appointments == []


def test_staff_mark_visits_arrived_or_not_and_never_a_cancelled_one(backend):
    came = book(backend, NINE)
    stayed_away = book(backend, TEN)
    gone = book(backend, NINE, BRAM)
    backend.cancel(gone.public_id, NOW)
    assert backend.mark(came.public_id, STATUS_ARRIVED, NINE).status == STATUS_ARRIVED
    assert backend.mark(stayed_away.public_id, STATUS_NO_SHOW, TEN).status == STATUS_NO_SHOW
    assert backend.mark(stayed_away.public_id, STATUS_ARRIVED, TEN).status == STATUS_ARRIVED
    with pytest.raises(BookingProblem) as refused:
        backend.mark(gone.public_id, STATUS_ARRIVED, NINE)
    assert refused.value.code == "cancelled"
    statuses = {a.reference: a.status for a in backend.day_agenda(LOCATION, FRIDAY).appointments}
    assert statuses == {came.reference: STATUS_ARRIVED, stayed_away.reference: STATUS_ARRIVED}


def test_blocked_desk_time_is_not_offered_and_its_visits_need_follow_up(backend):
    booked = book(backend, NINE)
    desk = booked.desk_code
    result = backend.block_desk(LOCATION, desk, NINE, utc(2027, 3, 26, 11), reason="Training",
                                created_by="karin", now=NOW)
    assert [a.reference for a in result.affected] == [booked.reference]
    assert result.block.desk_code == desk and result.block.reason == "Training"
    assert backend.by_public_id(booked.public_id).status == STATUS_BOOKED  # kept, not dropped
    assert [a.reference for a in backend.follow_ups(LOCATION, NOW)] == [booked.reference]
    other = next(code for code in DESKS if code != desk)
    backend.block_desk(LOCATION, other, NINE, utc(2027, 3, 26, 11), reason="Training",
                       created_by="karin", now=NOW)
    assert backend.times_on(PASPOORT, FRIDAY, NOW) == []
    assert FRIDAY not in backend.days_with_room(PASPOORT, NOW)
    with pytest.raises(SlotTaken):
        book(backend, TEN, BRAM)
    blocks = {d.code: [b.reason for b in d.blocks] for d in backend.day_agenda(LOCATION, FRIDAY).desks}
    assert blocks == {"d1": ["Training"], "d2": ["Training"]}

    backend.contacted(booked.public_id, NOW)
    assert backend.follow_ups(LOCATION, NOW) == []


def test_unblocking_offers_the_desk_time_again(backend):
    blocks = [backend.block_desk(LOCATION, code, NINE, utc(2027, 3, 26, 11), reason="Ziek",
                                 created_by="karin", now=NOW).block for code in DESKS]
    assert backend.times_on(PASPOORT, FRIDAY, NOW) == []
    backend.unblock_desk(blocks[0].id)
    assert NINE in backend.times_on(PASPOORT, FRIDAY, NOW)
    assert [len(d.blocks) for d in backend.day_agenda(LOCATION, FRIDAY).desks] == [0, 1]


def test_moving_a_visit_off_a_blocked_desk_takes_it_off_the_follow_up_list(backend):
    booked = book(backend, NINE)
    backend.block_desk(LOCATION, booked.desk_code, NINE, TEN, reason="Training",
                       created_by="karin", now=NOW)
    moved = backend.move(booked.public_id, utc(2027, 3, 29, 7), NOW)
    assert not moved.needs_follow_up and backend.follow_ups(LOCATION, NOW) == []


def test_a_desk_that_does_not_exist_cannot_be_blocked(backend):
    with pytest.raises(BookingProblem) as refused:
        backend.block_desk(LOCATION, "no-such-desk", NINE, TEN, reason="", created_by="karin",
                           now=NOW)
    assert refused.value.code == "unknown_desk"
