"""Every mail a visitor can have the portal send without logging in is limited per client
address and per recipient: a refusal says so where the address was asked, and keeps what
the resident filled in."""

import re

import pytest
from sqlalchemy import func, select

from app.appointments.models import Appointment
from app.db import get_session
from app.eforms.models import FormDraft
from app.extensions import limiter
from app.notifications.limits import recipient_key
from app.notifications.models import OutboxMessage
from tests.eforms_fixtures import draft_id_of, form_csrf, form_rate_limit, post_page, start_form  # noqa: F401
from tests.web.test_appointments import CSRF, KEY, choose_slot, give_details, start_booking

VICTIM = "slachtoffer@example.org"
REFUSED = "Probeer het later opnieuw"


@pytest.fixture
def limits(app, monkeypatch, form_rate_limit):
    """Low limits for the test (the suite's own are high), counted from zero."""
    def set_limits(client="100 per hour", recipient="100 per hour"):
        monkeypatch.setitem(app.config, "MAIL_CLIENT_RATE_LIMIT", client)
        monkeypatch.setitem(app.config, "MAIL_RECIPIENT_RATE_LIMIT", recipient)
    return set_limits


def from_client(number: int) -> dict:
    return {"environ_base": {"REMOTE_ADDR": f"192.0.2.{number}"}}


def mails_to(app, address: str) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(OutboxMessage)
                                    .where(OutboxMessage.recipient == address))


def continue_later(client, email: str, **kwargs):
    step = start_form(client, "melding-openbare-ruimte")
    return post_page(client, f"/formulieren/melding-openbare-ruimte/{draft_id_of(step)}/later",
                     {"email": email}, **kwargs)


def test_continue_later_is_limited_per_recipient_whatever_the_client(app, client, limits):
    limits(recipient="3 per hour")
    for number in range(3):
        assert continue_later(client, VICTIM, **from_client(number)).status_code == 200
    refused = continue_later(client, f"  {VICTIM.upper()} ", **from_client(9))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'href="#email"' in page and REFUSED in page
    assert 'value="SLACHTOFFER@example.org"' in page  # what was typed is still there
    assert mails_to(app, VICTIM) == 3 and mails_to(app, "SLACHTOFFER@example.org") == 0


def test_continue_later_is_limited_per_client(app, client, limits):
    limits(client="3 per hour")
    for number in range(3):
        continue_later(client, f"iemand{number}@example.org", **from_client(1))
    refused = continue_later(client, "nog-iemand@example.org", **from_client(1))
    assert REFUSED in refused.get_data(as_text=True)
    assert mails_to(app, "nog-iemand@example.org") == 0
    continue_later(client, "nog-iemand@example.org", **from_client(2))  # another client may
    assert mails_to(app, "nog-iemand@example.org") == 1


def test_the_limiter_never_holds_the_address(app, client, limits):
    limits()
    continue_later(client, VICTIM)
    keys = " ".join(map(str, limiter.storage.storage))
    assert "@" not in keys and "slachtoffer" not in keys
    with app.app_context():
        assert recipient_key(VICTIM) in keys
        assert recipient_key(f" {VICTIM.upper()}") == recipient_key(VICTIM)


def ask_question(client, email: str, **kwargs):
    """An anonymous question up to its check page; returns the check page's path."""
    step = start_form(client, "vraag")
    answer = post_page(client, step, {"onderwerp": "Grofvuil", "vraag": "Wanneer?"})
    answer = post_page(client, answer.headers["Location"],
                       {"naam": "Piet", "antwoord_via": "email", "email": email})
    check = answer.headers["Location"]
    assert check.endswith("/controleren"), check
    return check, post_page(client, check, **kwargs)


def test_a_forms_confirmation_is_limited_per_recipient(app, client, limits):
    limits(recipient="1 per hour")
    _check, first = ask_question(client, VICTIM, **from_client(1))
    assert first.status_code == 302 and "/bevestiging" in first.headers["Location"]
    check, refused = ask_question(client, VICTIM, **from_client(2))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and REFUSED in page and "Grofvuil" in page
    assert mails_to(app, VICTIM) == 1
    with app.app_context():  # the draft waits, unsent
        draft = get_session().get(FormDraft, check.split("/")[3])
        assert draft.submitted_at is None and draft.answers["email"] == VICTIM


def book(client, email: str, **kwargs):
    start_booking(client)
    give_details(client, "Anna", email)
    choose_slot(client)
    page = client.get("/afspraak/controleren").get_data(as_text=True)
    return client.post("/afspraak/controleren", data={
        "csrf_token": CSRF.search(page).group(1), "idempotency_key": KEY.search(page).group(1)},
        **kwargs)


def test_a_bookings_confirmation_is_limited_per_recipient(app, limits):
    limits(recipient="1 per hour")
    with app.test_client() as first:
        assert book(first, VICTIM, **from_client(1)).location.endswith("/afspraak/bevestiging")
    with app.test_client() as second:
        refused = book(second, VICTIM, **from_client(2))
        assert re.search(r"/afspraak/controleren\?probleem=too_many_mails$", refused.location)
        page = second.get(refused.location).get_data(as_text=True)
        assert REFUSED in page and VICTIM in page  # the booking waits, filled in
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Appointment)
                                    .where(Appointment.email == VICTIM)) == 1
    assert mails_to(app, VICTIM) == 1
