"""The limits per resident as the booking pages offer days by (services.limit_problem)."""

import dataclasses
import datetime as dt

from app.appointments.services import days_at_limit, limit_problem
from app.appointments.values import (
    STATUS_ARRIVED,
    STATUS_BOOKED,
    STATUS_CANCELLED,
    AppointmentView,
)
from tests.appointments_fixtures import agenda, utc  # noqa: F401 (agenda: the fixture)

NOW = utc(2027, 3, 22, 6)          # Monday 22 March 2027, 07:00 in Elburg
FRIDAY = dt.date(2027, 3, 26)


def visit(public_id, start, status=STATUS_BOOKED) -> AppointmentView:
    return AppointmentView(
        public_id=public_id, reference=f"AFS-{public_id}", location="proefloket",
        desk_code="d1", desk_name="Desk 1", products=("paspoort",), persons=1,
        starts_at=start, ends_at=start + dt.timedelta(minutes=10), status=status, name="Anna",
        email="anna@example.org", phone="", bsn=None, locale="nl", sequence=0,
        needs_follow_up=False)


def test_two_visits_on_a_day_fill_that_day_and_no_other(agenda):
    visits = [visit("a", utc(2027, 3, 26, 8)), visit("b", utc(2027, 3, 26, 9))]
    assert days_at_limit(agenda, visits) == {FRIDAY}
    assert limit_problem(agenda, visits, NOW, FRIDAY) == "day_limit"
    assert limit_problem(agenda, visits, NOW, FRIDAY + dt.timedelta(days=3)) is None


def test_the_visit_being_moved_does_not_count_on_its_own_day(agenda):
    visits = [visit("a", utc(2027, 3, 26, 8)), visit("b", utc(2027, 3, 26, 9))]
    assert limit_problem(agenda, visits, NOW, FRIDAY, moving="a") is None
    assert days_at_limit(agenda, visits, moving="b") == set()


def test_cancelled_visits_do_not_count_and_arrived_ones_count_only_on_their_day(agenda):
    visits = [visit("a", utc(2027, 3, 26, 8), STATUS_CANCELLED),
              visit("b", utc(2027, 3, 26, 9), STATUS_ARRIVED)]
    assert limit_problem(agenda, visits, NOW, FRIDAY) is None
    three = [visit(str(n), utc(2027, 3, 23 + n, 8), STATUS_ARRIVED) for n in range(3)]
    assert limit_problem(agenda, three, NOW) is None


def test_a_fourth_visit_to_come_is_refused_before_any_day_is_chosen(agenda):
    three = [visit(str(n), utc(2027, 3, 23 + n, 8)) for n in range(3)]
    assert limit_problem(agenda, three, NOW) == "open_limit"
    assert limit_problem(agenda, three, NOW, moving="0") is None   # moving is no new visit
    past = [dataclasses.replace(v, starts_at=v.starts_at - dt.timedelta(days=7)) for v in three]
    assert limit_problem(agenda, past, NOW) is None
