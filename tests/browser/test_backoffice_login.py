"""Staff log in to the back office and out again, in Dutch and English, checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.staff import log_in_as_staff

TEXTS = {
    "nl": {"home": "Backoffice", "login": "Inloggen in de backoffice",
           "logout": "Uitloggen", "logged_out": "U bent uitgelogd uit de backoffice"},
    "en": {"home": "Back office", "login": "Log in to the back office",
           "logout": "Log out", "logged_out": "You have logged out of the back office"},
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_employee_logs_in_sees_their_menu_and_logs_out(journey, context, live_server,
                                                         language):
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    texts, page = TEXTS[language], journey.page
    journey.open("/backoffice/")
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["login"])
    log_in_as_staff(page, live_server, "bea")
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["home"])
    expect(page.get_by_text("Bea Bos", exact=True)).to_be_visible()
    journey.check()
    page.get_by_role("button", name=texts["logout"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["logged_out"])
    journey.check()
    expect(page).to_have_url(re.compile(r"/backoffice/uitgelogd"))
