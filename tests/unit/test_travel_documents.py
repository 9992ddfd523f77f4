"""When Mijn gegevens asks a resident to renew a travel document: from four months before
its end, counted in calendar months."""

from datetime import date

import pytest

from app.persons.services import PASPOORT, Reisdocument, expires_soon


def ends(day: date) -> Reisdocument:
    return Reisdocument(PASPOORT, "NP8D41RK3", day)


@pytest.mark.parametrize("today, end, soon", [
    (date(2026, 12, 5), date(2027, 4, 5), True),      # four months on: the day itself
    (date(2026, 12, 5), date(2027, 4, 6), False),
    (date(2026, 10, 31), date(2027, 2, 28), True),    # no 31 February: its last day
    (date(2026, 10, 31), date(2027, 3, 1), False),
    (date(2027, 10, 31), date(2028, 2, 29), True),    # a leap year
    (date(2026, 12, 5), date(2026, 1, 1), True),      # ended already
])
def test_a_document_expires_soon_from_four_months_before_its_end(today, end, soon):
    assert expires_soon(ends(end), today) is soon
