"""The Awb's terms (app.zaken.terms): what a resident and staff notice of a legal term that
stands still while documents are awaited, is extended once, and of the objection period."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.zaken.store import ZaakDates
from app.zaken.terms import (
    Extension,
    Suspension,
    TermError,
    check_extension,
    end_at_close,
    legal_end,
    objection_deadline,
    objection_is_late,
    resumed_end,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def test_an_objection_is_on_time_for_six_weeks_after_the_decision():
    decided = date(2026, 3, 2)  # a Monday
    assert objection_deadline(decided) == date(2026, 4, 13)  # six weeks on, a Monday
    assert not objection_is_late(decided, date(2026, 4, 13))
    assert objection_is_late(decided, date(2026, 4, 14))


def test_the_days_between_the_request_and_the_answer_move_the_end():
    # Asked on the 1st, sent on the 11th: the term stood still from the 2nd to the 10th.
    suspension = Suspension(since=date(2026, 5, 1), until=date(2026, 5, 11))
    assert suspension.days() == 9
    assert resumed_end(date(2026, 6, 12), suspension) == date(2026, 6, 21)
    # Sent the same day or the next: nothing stood still.
    assert Suspension(date(2026, 5, 1), date(2026, 5, 2)).days() == 0
    assert Suspension(date(2026, 5, 1), date(2026, 5, 1)).days() == 0


def test_a_zaak_closed_while_suspended_counts_the_days_up_to_the_decision():
    # Asked on the 1st, decided on the 11th without the documents: the 2nd to the 10th count.
    assert end_at_close(date(2026, 6, 12), suspended_since=date(2026, 5, 1),
                        closed=date(2026, 5, 11)) == date(2026, 6, 21)
    assert end_at_close(date(2026, 6, 12), suspended_since=None,
                        closed=date(2026, 5, 11)) == date(2026, 6, 12)


def test_a_running_suspension_has_no_length_yet():
    with pytest.raises(TermError):
        Suspension(since=date(2026, 5, 1)).days()


def test_the_legal_end_adds_ended_suspensions_and_the_extension():
    start = date(2026, 1, 5)
    assert legal_end(start, "P6W") == date(2026, 2, 16)
    assert legal_end(start, "P6W", suspensions=(
        Suspension(date(2026, 1, 10), date(2026, 1, 20)),  # 9 days
        Suspension(date(2026, 2, 1)),                       # running: not yet
    ), extension=Extension("P6W", "De commissie vergadert later.")) == date(2026, 4, 8)


@given(start=days, doorlooptijd_weeks=st.integers(1, 52),
       pauses=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=4))
def test_suspensions_never_shorten_the_term(start, doorlooptijd_weeks, pauses):
    suspensions = tuple(Suspension(start + timedelta(days=a), start + timedelta(days=a + b))
                        for a, b in pauses)
    plain = legal_end(start, f"P{doorlooptijd_weeks}W")
    moved = legal_end(start, f"P{doorlooptijd_weeks}W", suspensions=suspensions)
    assert moved - plain == timedelta(days=sum(max(b - 1, 0) for _a, b in pauses))


def test_one_extension_of_at_most_the_zaaktypes_term():
    on = date(2026, 3, 1)
    check_extension("P6W", maximum="P6W", already=None, on=on)
    check_extension("P2W", maximum="P6W", already=None, on=on)
    with pytest.raises(TermError, match="at most"):
        check_extension("P7W", maximum="P6W", already=None, on=on)
    with pytest.raises(TermError, match="before"):
        check_extension("P1W", maximum="P6W", already=Extension("P1W", "eerder"), on=on)
    with pytest.raises(TermError, match="no extension"):
        check_extension("P1W", maximum=None, already=None, on=on)


@given(today=days, end=days)
def test_a_suspended_open_zaak_is_never_overdue(today, end):
    dates = dict(startdatum=end - timedelta(days=42), einddatum=None,
                 einddatum_gepland=end - timedelta(days=14), uiterlijke_einddatum_afdoening=end)
    assert ZaakDates(**dates, opgeschort=True).overdue_on(today) == (None, 0)
    running = ZaakDates(**dates).overdue_on(today)
    assert (running[0] == "doorlooptijd") == (today > end)
