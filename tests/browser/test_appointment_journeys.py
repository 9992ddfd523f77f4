"""Booking, moving and cancelling a balie appointment in Chromium, with axe on every page.

The live server commits to the test database, so every journey books with an
address of its own and reads the mail (the manage link) from the outbox there.
"""

import datetime as dt
import re
import secrets

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.appointments.models import Desk, DeskSlot
from app.db import make_engine
from app.notifications.models import OutboxMessage
from tests.browser.test_journeys import FATIMA, log_in_at_mock_digid

MANAGE_LINK = re.compile(r"(/afspraak/beheren/\S+)")


@pytest.fixture(scope="module")
def database(live_database_url):
    engine = make_engine(live_database_url)
    yield engine
    engine.dispose()


def new_email() -> str:
    return f"journey-{secrets.token_hex(4)}@example.org"


def manage_path(database, email: str) -> str:
    with Session(database) as db:
        mail = db.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                          .order_by(OutboxMessage.id)).first()
    return MANAGE_LINK.search(mail.text_body).group(1)


def set_language(context, live_server, language):
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])


def walk_to_contact(journey, product="paspoort"):
    """Product page -> products -> date -> time; returns the chosen start (ISO, UTC)."""
    page = journey.page
    journey.open(f"/afspraak?product={product}")
    page.locator("#continue").click()
    journey.check()
    page.locator('input[name="day"]').first.check()
    page.locator("#continue").click()
    journey.check()
    first_time = page.locator('input[name="start"]').first
    start = first_time.get_attribute("value")
    first_time.check()
    page.locator("#continue").click()
    journey.check()
    return start


def confirm(journey):
    page = journey.page
    page.locator("#continue").click()
    journey.check()                                    # check your answers
    page.locator("#confirm").click()
    expect(page).to_have_url(re.compile("/afspraak/bevestiging$"))
    expect(page.get_by_text(re.compile(r"AFS-[0-9A-Z]{6}")).first).to_be_visible()
    journey.check()


def move_and_cancel(journey):
    """From the manage page: move to the next day with room, then cancel."""
    page = journey.page
    page.locator('a[href$="/verzetten"]').click()
    journey.check()
    page.locator('input[name="day"]').nth(1).check()
    page.locator("#continue").click()
    journey.check()
    page.locator('input[name="start"]').first.check()
    page.locator("#continue").click()
    expect(page.locator(".utrecht-alert--ok")).to_be_visible()   # moved
    journey.check()
    page.locator('a[href$="/annuleren"]').click()
    journey.check()
    page.locator("#confirm-cancel").click()
    expect(page.locator(".utrecht-alert--ok")).to_be_visible()   # cancelled
    journey.check()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_book_anonymously_then_move_and_cancel_by_the_link(journey, context, live_server,
                                                           database, language):
    set_language(context, live_server, language)
    page = journey.page
    email = new_email()
    walk_to_contact(journey)
    page.locator("#name").fill("Anna de Vries")
    page.locator("#email").fill(email)
    confirm(journey)
    expect(page.get_by_text("Paspoort" if language == "nl" else "Passport").first).to_be_visible()

    journey.open(manage_path(database, email))
    page.locator("#email").fill("wrong@example.org")
    page.locator("#continue").click()
    expect(page).to_have_title(re.compile("^(Fout|Error): "))
    journey.check()
    page.locator("#email").fill(email.upper())
    page.locator("#continue").click()
    journey.check()
    move_and_cancel(journey)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_book_logged_in_and_cancel_from_my_appointments(journey, context, live_server, language):
    set_language(context, live_server, language)
    page = journey.page
    journey.open("/afspraak/mijn-afspraken")
    log_in_at_mock_digid(page, FATIMA)
    expect(page).to_have_url(re.compile("/afspraak/mijn-afspraken$"))
    journey.check()
    walk_to_contact(journey)
    expect(page.get_by_text("Fatima El Amrani").first).to_be_visible()
    expect(page.locator("#name")).to_have_count(0)            # known, not asked
    expect(page.locator("#email")).not_to_have_value("")      # prefilled from the persons store
    confirm(journey)
    journey.open("/afspraak/mijn-afspraken")
    page.locator("#upcoming-appointments a").last.click()
    journey.check()
    move_and_cancel(journey)
    assert FATIMA not in page.content()


def test_a_slot_taken_meanwhile_offers_the_nearest_times(journey, database):
    page = journey.page
    email = new_email()
    start = walk_to_contact(journey)
    page.locator("#name").fill("Bram")
    page.locator("#email").fill(email)
    page.locator("#continue").click()
    journey.check()
    taken = dt.datetime.fromisoformat(start)
    with Session(database) as db:           # everyone else books this time, right now
        desks = set(db.scalars(select(Desk.id).where(Desk.location == "gemeentehuis")))
        busy = set(db.scalars(select(DeskSlot.desk_id).where(DeskSlot.slot_start == taken)))
        db.add_all(DeskSlot(desk_id=desk, slot_start=taken) for desk in desks - busy)
        db.commit()
    try:
        page.locator("#confirm").click()
        expect(page).to_have_url(re.compile("/afspraak/tijd$"))
        expect(page.get_by_role("alert").first).to_be_visible()
        expect(page.locator(f'input[name="start"][value="{start}"]')).to_have_count(0)
        journey.check()
        page.locator('input[name="start"]').first.check()
        page.locator("#continue").click()
        journey.check()
        page.locator("#confirm").click()
        expect(page).to_have_url(re.compile("/afspraak/bevestiging$"))
        journey.check()
    finally:
        with Session(database) as db:
            db.execute(delete(DeskSlot).where(DeskSlot.slot_start == taken,
                                              DeskSlot.appointment_id.is_(None),
                                              DeskSlot.block_id.is_(None)))
            db.commit()


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_book_by_keyboard_only(journey):
    page = journey.page
    journey.open("/afspraak?product=rijbewijs")
    tab_to(page, "#continue")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/afspraak/datum$"))
    journey.check()
    tab_to(page, 'input[name="day"]')
    page.keyboard.press("Space")
    tab_to(page, "#continue")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/afspraak/tijd$"))
    tab_to(page, 'input[name="start"]')
    page.keyboard.press("Space")
    tab_to(page, "#continue")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/afspraak/gegevens$"))
    tab_to(page, "#name")
    page.keyboard.type("Kees Toetsenbord")
    tab_to(page, "#email")
    page.keyboard.type(new_email())
    tab_to(page, "#continue")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/afspraak/controleren$"))
    tab_to(page, "#confirm")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/afspraak/bevestiging$"))
    journey.check()


def test_book_and_cancel_without_javascript(browser, live_server, database):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    email = new_email()
    page.goto(live_server + "/afspraak?product=uittreksel-brp")
    page.locator("#continue").click()
    page.locator('input[name="day"]').first.check()
    page.locator("#continue").click()
    page.locator('input[name="start"]').first.check()
    page.locator("#continue").click()
    page.locator("#name").fill("Zonder Script")
    page.locator("#email").fill(email)
    page.locator("#continue").click()
    page.locator("#confirm").click()
    expect(page).to_have_url(re.compile("/afspraak/bevestiging$"))
    page.goto(live_server + manage_path(database, email))
    page.locator("#email").fill(email)
    page.locator("#continue").click()
    page.locator('a[href$="/annuleren"]').click()
    page.locator("#confirm-cancel").click()
    expect(page.locator(".utrecht-alert--ok")).to_be_visible()
    context.close()
