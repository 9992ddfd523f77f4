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


OPEN_DAY = "#days a.portal-calendar__day--open"


def walk_to_check(journey, name=None, email=None, product="paspoort"):
    """Product page -> products -> details -> a day in the calendar -> a time, up to the
    check page; returns the chosen start (ISO, UTC). name/email: filled in when given."""
    page = journey.page
    journey.open(f"/afspraak?product={product}")
    page.locator("#continue").click()
    expect(page).to_have_url(re.compile("/afspraak/gegevens$"))
    journey.check()
    if name:
        page.locator("#name").fill(name)
    if email:
        page.locator("#email").fill(email)
    page.locator("#continue").click()
    expect(page).to_have_url(re.compile("/afspraak/datum$"))
    journey.check()
    page.locator(OPEN_DAY).first.click()
    journey.check()
    first_time = page.locator('input[name="start"]').first
    start = first_time.get_attribute("value")
    first_time.check()
    page.locator("#continue").click()
    expect(page).to_have_url(re.compile("/afspraak/controleren$"))
    journey.check()
    return start


def confirm(journey):
    page = journey.page
    page.locator("#confirm").click()
    expect(page).to_have_url(re.compile("/afspraak/bevestiging$"))
    expect(page.get_by_text(re.compile(r"AFS-[0-9A-Z]{6}")).first).to_be_visible()
    journey.check()


def move_and_cancel(journey):
    """From the manage page: move to the second day with room, then cancel."""
    page = journey.page
    page.locator('a[href$="/verzetten"]').click()
    journey.check()
    page.locator(OPEN_DAY).nth(1).click()
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
    walk_to_check(journey, "Anna de Vries", email)
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
    journey.open("/afspraak?product=paspoort")
    page.locator("#continue").click()
    expect(page.get_by_text("Fatima El Amrani").first).to_be_visible()
    expect(page.locator("#name")).to_have_count(0)            # known, not asked
    expect(page.locator("#email")).not_to_have_value("")      # prefilled from the persons store
    walk_to_check(journey)
    confirm(journey)
    journey.open("/afspraak/mijn-afspraken")
    page.locator("#upcoming-appointments a:not([download])").last.click()
    journey.check()
    move_and_cancel(journey)
    assert FATIMA not in page.content()


def test_a_slot_taken_meanwhile_offers_the_nearest_times(journey, database):
    page = journey.page
    email = new_email()
    start = walk_to_check(journey, "Bram", email)
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
    expect(page).to_have_url(re.compile("/afspraak/gegevens$"))
    tab_to(page, "#name")
    page.keyboard.type("Kees Toetsenbord")
    tab_to(page, "#email")
    page.keyboard.type(new_email())
    tab_to(page, "#continue")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/afspraak/datum$"))
    journey.check()
    tab_to(page, OPEN_DAY)                     # the first day with room, in the calendar
    day = page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/afspraak/tijd\?dag="))
    expect(page.get_by_text(day)).to_be_visible()           # the times of the day chosen
    journey.check()
    tab_to(page, 'input[name="start"]')
    page.keyboard.press("Space")
    tab_to(page, "#continue")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/afspraak/controleren$"))
    tab_to(page, "#confirm")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/afspraak/bevestiging$"))
    journey.check()
    tab_to(page, "#calendar-file")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "afspraak.ics"


def test_book_and_cancel_without_javascript(no_script_journey, database):
    journey = no_script_journey
    page = journey.page
    email = new_email()
    walk_to_check(journey, "Zonder Script", email, product="uittreksel-brp")
    confirm(journey)
    journey.open(manage_path(database, email))
    page.locator("#email").fill(email)
    page.locator("#continue").click()
    journey.check()
    page.locator('a[href$="/annuleren"]').click()
    page.locator("#confirm-cancel").click()
    expect(page.locator(".utrecht-alert--ok")).to_be_visible()
    journey.check()


def targets_smaller_than_24px(page) -> list[str]:
    """The links, buttons and choices in the page's main part that are smaller than 24 by
    24 CSS pixels (WCAG 2.2, 2.5.8), but for links inside a sentence."""
    return page.evaluate("""() => [...document.querySelectorAll(
        'main a, main button, main input[type=radio], main input[type=checkbox]')]
      .filter(el => !(el.tagName === 'A' && el.closest('p, li, dd')
                      && el.closest('p, li, dd').textContent.trim() !== el.textContent.trim()
                      && !el.classList.contains('portal-target')))
      .filter(el => { const box = el.getBoundingClientRect();
                      return box.width > 0 && (box.width < 24 || box.height < 24); })
      .map(el => el.outerHTML.slice(0, 120))""")


@pytest.mark.parametrize("width,height", [(360, 640), (1280, 800)])
def test_the_calendar_and_the_times_fit_and_every_target_is_big_enough(journey, width, height):
    """On a phone and on a desktop: the month fits the screen without scrolling sideways,
    another month is one link away, the times come by part of the day, and every target
    on the way is at least 24 by 24 px."""
    page = journey.page
    page.set_viewport_size({"width": width, "height": height})
    email = new_email()
    journey.open("/afspraak?product=paspoort")
    page.locator("#continue").click()
    page.locator("#name").fill("Smal Scherm")
    page.locator("#email").fill(email)
    page.locator("#continue").click()
    expect(page.locator("#days caption")).to_be_visible()
    journey.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert targets_smaller_than_24px(page) == []
    page.locator('a[rel="next"]').click()            # the next month, and back again
    expect(page).to_have_url(re.compile(r"/afspraak/datum\?maand="))
    journey.check()
    page.locator('a[rel="prev"]').click()
    journey.check()
    page.locator(OPEN_DAY).first.click()
    expect(page.locator(".portal-choice-group legend").first).to_be_visible()
    journey.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert targets_smaller_than_24px(page) == []
    page.locator('input[name="start"]').first.check()
    page.locator("#continue").click()
    journey.check()
    confirm(journey)
    assert targets_smaller_than_24px(page) == []
