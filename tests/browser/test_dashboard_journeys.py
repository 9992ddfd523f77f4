"""The channel (kanaalsturing) journeys in Chromium, axe on every page: karin records a call
she answered at once; mila (management) reads the dashboard in Dutch and in English, with
the table beside each chart, and downloads its CSV; a behandelaar is refused it.

The figures come from the ledger with known answers (tests/contacts_fixtures.py: January and
February 2026), summed as the worker does; the live server's other journeys add contacts
of this month only, so the filter on those two months keeps the answers known.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.contacts.aggregates import refresh
from app.contacts.models import Contact
from app.db import get_session
from tests.browser.staff import log_in_as_staff
from tests.browser.test_backoffice_kcc_journeys import _in, text
from tests.contacts_fixtures import known_ledger

JAN_FEB = "/backoffice/dashboard?van=2026-01&tot=2026-02&product="


@pytest.fixture(scope="module")
def ledger(live_app):
    """The known ledger in the live server's database, once, and the worker's refresh."""
    with live_app.app_context():
        session = get_session()
        known_ledger(session)
        refresh(session)
        session.commit()


def test_karin_records_a_call_she_answered_at_once(journey, live_server, live_app):
    page = journey.page
    log_in_as_staff(page, live_server, "karin")
    page.get_by_role("navigation", name=text("Back office")).get_by_role(
        "link", name=text("Record a contact")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Record a contact"))
    journey.check()
    page.get_by_role("button", name=text("Record the contact")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Record a contact"))
    expect(page.locator(".utrecht-alert, [role=alert]").first).to_be_visible()  # what's missing
    journey.check()
    expect(page.get_by_label(text("Phone"), exact=True)).to_be_checked()  # the KCC's channel
    page.get_by_label(text("Subject")).fill("Ophaaldag grofvuil")
    page.get_by_label(text("Product")).select_option("grofvuil-ophalen")
    page.get_by_label(text("Answered right the first time")).check()
    page.get_by_role("button", name=text("Record the contact")).click()
    expect(page.get_by_text(text("The contact is recorded."))).to_be_visible()
    journey.check()
    with live_app.app_context():
        call = get_session().scalar(select(Contact).where(
            Contact.onderwerp == "Ophaaldag grofvuil"))
    assert (call.kanaal, call.indicatie_contact_gelukt, call.bsn) == ("telefoon", True, None)


def numbers(page, title: str, language: str):
    """The table beside a chart: its caption names the chart's title."""
    caption = _in(language, "The numbers: %(title)s") % {"title": _in(language, title)}
    return page.get_by_role("table", name=caption)


def read_the_dashboard(journey, live_server, language: str) -> None:
    page = journey.page
    log_in_as_staff(page, live_server, "mila")
    page.get_by_role("link", name=text("Channel dashboard", language)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Channel dashboard", language))
    journey.check()
    page.get_by_label(text("From month", language)).select_option("2026-01")
    page.get_by_label(text("Up to and including month", language)).select_option("2026-02")
    page.get_by_role("button", name=text("Show the figures", language)).click()
    expect(page).to_have_url(re.compile(r"van=2026-01&tot=2026-02"))
    online = numbers(page, "Contacts online (website)", language)
    chart = page.get_by_role("img", name=text("Contacts online (website)", language))
    expect(chart).to_be_visible()
    expect(online.get_by_role("row").nth(1)).to_contain_text("60")  # January: 60 %
    expect(online.get_by_role("row").nth(1)).to_contain_text("6")
    journey.check()


def test_mila_reads_the_dashboard_and_downloads_its_figures(journey, ledger, live_server):
    read_the_dashboard(journey, live_server, "nl")
    page = journey.page
    expect(page.get_by_text("Doel 2020: minstens 60 % (2018: 47 %)")).to_be_visible()
    ftr = numbers(page, "Phone calls answered right the first time", "nl")
    expect(ftr.get_by_role("row").nth(1)).to_contain_text("66,7 %")
    with page.expect_download() as download:
        page.get_by_role("link", name=text("Download these figures (CSV)")).click()
    assert download.value.suggested_filename == "kanaalsturing-2026-01-2026-02.csv"
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert "2026-01,alle,online,6,10,60.0,>=60" in lines
    assert "totaal,alle,eerste_keer_goed,3,4,75.0,>=80" in lines


def test_mila_reads_the_dashboard_in_english(journey, english, ledger, live_server):
    read_the_dashboard(journey, live_server, "en")
    expect(journey.page.get_by_text("Target 2020: at most 20 % (2018: 37 %)")).to_be_visible()


def test_a_behandelaar_is_refused_the_dashboard(journey, live_server):
    page = journey.page
    log_in_as_staff(page, live_server, "bas")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.goto(live_server + JAN_FEB).status == 403
    journey.check()
