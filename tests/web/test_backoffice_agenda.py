"""The balie agenda for staff through the test client: the day per desk, arrived and no-show,
blocking a desk with follow-up, who may, the disclosure log and query counts."""

import datetime as dt

import pytest
from sqlalchemy import select

from app.appointments import services as appointments
from app.appointments.agenda import get_agenda
from app.appointments.models import Appointment, DeskBlock, DeskSlot
from app.db import get_session, utcnow
from tests.kcc_fixtures import (
    FATIMA,
    appointment_today,
    csrf_from,
    disclosures,
    post_form,
    queries_for,
)
from tests.web.staff import login_staff

PURPOSE_AGENDA = "Uw afspraak aan de balie voorbereiden en ontvangen"


@pytest.fixture(autouse=True)
def context(app, db_connection):
    with app.test_request_context():
        yield


def fresh(appointment: Appointment) -> Appointment:
    get_session().refresh(appointment)
    return appointment


def today() -> dt.date:
    return appointments.local_today(get_agenda(), utcnow())


def post_action(client, path: str):
    token = csrf_from(client.get("/backoffice/agenda").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token})


def test_the_day_agenda_shows_the_visits_per_desk(client):
    visit = appointment_today(hour=9, desk_code="balie-2")
    cancelled = appointment_today(hour=11, status="cancelled", name="Geannuleerd Persoon")
    tomorrow = appointment_today(days=1, name="Morgen Persoon")
    login_staff(client, "karin")
    page = client.get("/backoffice/agenda").get_data(as_text=True)
    assert visit.reference in page and "Fatima El Amrani" in page and "06 11112222" in page
    assert "Balie 2" in page and "09:00" in page
    assert cancelled.reference not in page and tomorrow.reference not in page
    assert FATIMA not in page and "fatima@example.org" not in page
    other_day = client.get(f"/backoffice/agenda?datum={(today() + dt.timedelta(days=1)).isoformat()}"
                           "&locatie=gemeentehuis").get_data(as_text=True)
    assert tomorrow.reference in other_day and visit.reference not in other_day


def test_a_caller_s_appointment_is_found_by_its_number(client):
    later = appointment_today(days=5, hour=14, name="Anna Belt")
    login_staff(client, "karin")
    number = later.reference.removeprefix("AFS-").lower()  # as a caller might read it out
    answer = client.get(f"/backoffice/agenda?nummer={number}")
    day = (today() + dt.timedelta(days=5)).isoformat()
    assert answer.status_code == 302 and f"datum={day}" in answer.location
    page = client.get(answer.location).get_data(as_text=True)
    assert f"{later.reference} (Anna Belt)" in page  # which one, above the day it is on
    missing = client.get("/backoffice/agenda?nummer=AFS-ZZZZZZ").get_data(as_text=True)
    assert 'href="#nummer"' in missing and "AFS-ZZZZZZ" in missing


def test_a_wrong_date_shows_today_and_an_unknown_location_answers_404(client):
    visit = appointment_today()
    login_staff(client, "karin")
    assert visit.reference in client.get("/backoffice/agenda?datum=gisteren").get_data(as_text=True)
    assert client.get("/backoffice/agenda?locatie=nergens").status_code == 404


def test_viewing_the_agenda_is_logged_once_per_resident_per_day(client):
    appointment_today(hour=9)
    appointment_today(hour=10)  # the same resident twice
    appointment_today(hour=11, bsn=None, name="Anoniem")
    login_staff(client, "karin")
    client.get("/backoffice/agenda")
    client.get("/backoffice/agenda")
    (entry,) = disclosures(FATIMA, PURPOSE_AGENDA)
    assert entry.recipient == "Gemeente Elburg, team Klantcontactcentrum"
    assert set(entry.data_categories) == {"naam", "contactgegevens"}


def test_mark_arrived_and_no_show(client):
    visit = appointment_today()
    login_staff(client, "karin")
    answer = post_action(client, f"/backoffice/agenda/afspraken/{visit.public_id}/aanwezig")
    assert answer.status_code == 302
    assert f"datum={today().isoformat()}" in answer.location
    assert fresh(visit).status == "arrived"
    assert visit.reference in client.get(answer.location).get_data(as_text=True)
    post_action(client, f"/backoffice/agenda/afspraken/{visit.public_id}/niet-gekomen")
    assert fresh(visit).status == "no_show"


def test_a_visit_cannot_be_marked_before_its_day_or_when_cancelled(client):
    tomorrow = appointment_today(days=1)
    cancelled = appointment_today(status="cancelled")
    login_staff(client, "karin")
    post_action(client, f"/backoffice/agenda/afspraken/{tomorrow.public_id}/aanwezig")
    assert fresh(tomorrow).status == "booked"
    post_action(client, f"/backoffice/agenda/afspraken/{cancelled.public_id}/aanwezig")
    assert fresh(cancelled).status == "cancelled"
    assert post_action(client, "/backoffice/agenda/afspraken/onbekend/aanwezig").status_code == 404
    assert post_action(client, f"/backoffice/agenda/afspraken/{tomorrow.public_id}/weg"
                       ).status_code == 404


def test_marking_needs_the_csrf_token(client):
    visit = appointment_today()
    login_staff(client, "karin")
    assert client.post(f"/backoffice/agenda/afspraken/{visit.public_id}/aanwezig").status_code == 400
    assert fresh(visit).status == "booked"


def block_form(day: dt.date, **changes) -> dict:
    form = {"desk": "balie-1", "van_datum": day.isoformat(), "van_tijd": "08:00",
            "tot_datum": day.isoformat(), "tot_tijd": "20:00", "reden": "Training"}
    return {**form, **changes}


def test_block_a_desk_lists_the_visits_for_follow_up(client):
    day = today() + dt.timedelta(days=2)
    visit = appointment_today(days=2, hour=10)
    elsewhere = appointment_today(days=2, hour=10, desk_code="balie-2", name="Andere Balie")
    login_staff(client, "karin")
    path = "/backoffice/agenda/blokkeren?locatie=gemeentehuis"
    assert client.get(f"{path}&datum={day.isoformat()}").status_code == 200
    answer = post_form(client, path, block_form(day))
    assert answer.status_code == 302 and f"datum={day.isoformat()}" in answer.location
    block = get_session().scalar(select(DeskBlock).order_by(DeskBlock.id.desc()))
    assert block.reason == "Training" and block.created_by == "medewerker karin"
    assert get_session().scalar(select(DeskSlot).where(DeskSlot.block_id == block.id)) is not None
    assert fresh(visit).needs_follow_up and not fresh(elsewhere).needs_follow_up
    page = client.get(answer.location).get_data(as_text=True)
    assert "Training" in page and "fatima@example.org" in page
    contacted = post_action(client, f"/backoffice/agenda/afspraken/{visit.public_id}/gecontacteerd")
    assert contacted.status_code == 302 and not fresh(visit).needs_follow_up


def test_a_block_must_end_after_it_starts(client):
    day = today()
    login_staff(client, "karin")
    answer = post_form(client, "/backoffice/agenda/blokkeren?locatie=gemeentehuis",
                       block_form(day, tot_tijd="07:00", desk=""))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'href="#tot_tijd"' in page and 'href="#desk"' in page
    assert get_session().scalar(select(DeskBlock)) is None


@pytest.mark.parametrize("username", ["bas", "bea"])
def test_only_the_kcc_manages_the_agenda(client, username):
    visit = appointment_today()
    login_staff(client, username)
    assert client.get("/backoffice/agenda").status_code == 403
    assert client.get("/backoffice/agenda/blokkeren").status_code == 403
    token = csrf_from(client.get("/backoffice/").get_data(as_text=True))
    answer = client.post(f"/backoffice/agenda/afspraken/{visit.public_id}/aanwezig",
                         data={"csrf_token": token})
    assert answer.status_code == 403 and fresh(visit).status == "booked"


def test_the_agenda_in_english(client):
    appointment_today()
    login_staff(client, "karin")
    client.get("/taal/en?next=/")
    page = client.get("/backoffice/agenda").get_data(as_text=True)
    for text in ("Appointments", "Block a desk", "Arrived", "Did not come", "Follow-up needed"):
        assert text in page


def test_the_agenda_runs_a_fixed_number_of_queries(client, app):
    appointment_today(hour=9)
    login_staff(client, "karin")
    one = queries_for(client, app, "/backoffice/agenda")
    for n in range(24):
        appointment_today(hour=9 + n % 7, minute=10 * (n % 6), desk_code=f"balie-{1 + n % 3}",
                          bsn=FATIMA if n % 3 else None, name=f"Bezoeker {n}")
    assert queries_for(client, app, "/backoffice/agenda") == one
