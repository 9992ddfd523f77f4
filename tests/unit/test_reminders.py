"""Who gets a reminder (app.reminders.services): a passport or ID card that ends within four
months and a permit whose decision ends, once each, never to a resident who switched them
off; each a Berichten message with the link to renew the product."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from app.berichten.models import Message
from app.db import get_session
from app.persons.models import Person
from app.persons.services import set_wants_reminders
from app.reminders.services import due_reminders, send_reminders
from app.zaken.durations import add_duration
from app.zaken.services import today
from app.zaken.store import Initiator
from tests.factories import make_zaak
from tests.openzaak_fixtures import needs_open_zaak, open_zaak_catalogue, open_zaak_store  # noqa: F401
from tests.personas import FATIMA, JOHANNES

JOHANNES_PASSPORT_ENDS = date(2027, 3, 1)  # app/persons/personas.toml


@pytest.fixture
def session(app, db_connection):
    with app.app_context():
        yield get_session()


def fatimas(reminders):
    """Hers only: Johannes's passport may end near a date counted from today."""
    return [reminder for reminder in reminders if reminder.bsn == FATIMA]


def reminded(session, day: date) -> list[tuple[str, str]]:
    return [(reminder.bsn, reminder.onderwerp.nl) for reminder in due_reminders(session, today=day)]


@pytest.mark.parametrize("day, due", [
    (date(2026, 11, 1), True),     # four months before: the day itself
    (date(2026, 10, 31), False),   # a day more than four months before
    (date(2027, 3, 1), True),      # its last day
    (date(2027, 3, 2), False),     # ended: nothing to renew in time
])
def test_a_travel_document_is_reminded_within_four_months_of_its_end(session, day, due):
    assert reminded(session, day) == (
        [(JOHANNES, "Uw paspoort verloopt binnenkort")] if due else [])


def test_only_the_newest_document_of_a_kind_counts(session):
    """An old passport that ends soon was replaced by a new one: nothing to renew."""
    session.execute(update(Person).where(Person.bsn == FATIMA).values(reisdocumenten=[
        {"soort": "PN", "documentnummer": "OLD000001", "datum_einde_geldigheid": "2027-01-10"},
        {"soort": "PN", "documentnummer": "NEW000002", "datum_einde_geldigheid": "2036-12-01"},
        {"soort": "NI", "documentnummer": "IDK000003", "datum_einde_geldigheid": "2027-02-01"}]))
    (reminder,) = fatimas(due_reminders(session, today=date(2026, 12, 6)))
    assert reminder.onderwerp.nl == "Uw identiteitskaart (ID-kaart) verloopt binnenkort"


def test_a_reminder_is_sent_once_with_the_link_to_book_however_often_the_job_runs(session):
    day = date(2026, 12, 6)
    assert send_reminders(session, today=day) == 1
    assert send_reminders(session, today=day) == 0
    assert due_reminders(session, today=date(2026, 12, 7)) == []
    message = session.scalars(select(Message).where(Message.bsn == JOHANNES)).one()
    assert "1 maart 2027" in message.tekst and "1 March 2027" in message.tekst_en
    assert "http://localhost/afspraak?product=paspoort" in message.tekst
    assert message.dedupe_key.startswith("reminder:reisdocument:")
    assert "NP8D41RK3" not in message.dedupe_key


def test_a_resident_who_switched_reminders_off_gets_none(session):
    set_wants_reminders(session, JOHANNES, False)
    set_wants_reminders(session, JOHANNES, False)  # twice is fine
    assert reminded(session, date(2026, 12, 6)) == []
    set_wants_reminders(session, JOHANNES, True)
    assert reminded(session, date(2026, 12, 6)) == [(JOHANNES, "Uw paspoort verloopt binnenkort")]


def test_a_granted_permit_is_reminded_before_its_decision_ends(session):
    granted = make_zaak(session, "PARKEERVERGUNNING", bsn=FATIMA, resultaat="Toegekend")
    make_zaak(session, "PARKEERVERGUNNING", bsn=FATIMA, resultaat="Afgewezen")  # nothing ends
    ends = add_duration(today(), "P1Y")  # the resultaattype's geldigheid
    (reminder,) = fatimas(due_reminders(session, today=ends - timedelta(days=100)))  # < 4 months
    assert reminder.bsn == FATIMA and reminder.zaak_identificatie == granted
    assert reminder.onderwerp.nl == "Parkeervergunning voor bewoners: op tijd verlengen"
    assert "http://localhost/formulieren/parkeervergunning" in reminder.tekst.nl
    assert fatimas(due_reminders(session, today=ends - timedelta(days=130))) == []  # > 4 months

    send_reminders(session, today=ends - timedelta(days=14))
    send_reminders(session, today=ends - timedelta(days=13))
    assert session.scalar(select(func.count(Message.id)).where(
        Message.dedupe_key == f"reminder:besluit:{granted}")) == 1


# --------------------------------------------------------------------------- on ZGW

ZGW_RESIDENT = "999993367"  # a valid BSN no persona or other module has
TEST_RESIDENTS = (ZGW_RESIDENT,)  # Open Zaak's zaken of these go before and after a test


@needs_open_zaak
def test_on_a_zgw_zaaksysteem_the_permits_besluit_is_reminded_once_and_then_forgotten(
        app, session, open_zaak_store, monkeypatch):
    monkeypatch.setitem(app.extensions, "zaken_store", open_zaak_store)
    store = open_zaak_store(session)
    granted = store.open_zaak(zaaktype="PARKEERVERGUNNING", omschrijving="Parkeervergunning",
                              registered_by="test",
                              initiator=Initiator(naam="Rosa", bsn=ZGW_RESIDENT)).identificatie
    store.set_resultaat(granted, resultaattype="Toegekend", gezet_door="bas")  # a Besluit
    ends = add_duration(today(), "P1Y")

    assert send_reminders(session, today=ends - timedelta(days=30)) == 1
    assert send_reminders(session, today=ends - timedelta(days=29)) == 0

    message = session.scalars(select(Message).where(
        Message.dedupe_key == f"reminder:besluit:{granted}")).one()
    assert message.bsn == ZGW_RESIDENT
    assert message.onderwerp == "Parkeervergunning voor bewoners: op tijd verlengen"
    assert "http://localhost/formulieren/parkeervergunning" in message.tekst
    # The resident's BSN was kept for this reminder only.
    assert store.decisions_ending(since=today(), until=ends) == []
