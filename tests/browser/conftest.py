"""Browser journeys: the portal served on a real port, Chromium driven by Playwright, axe-core checks."""

import os
import re
import threading

import pytest
from alembic import command
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from app import create_app
from app.cli import alembic_config
from app.db import get_session
from app.seed import seed_all
from tests.conftest import make_config
from tests.nuchecker import PAGES

SYSTEM_CHROMIUM = "/usr/bin/chromium"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"]
    if os.path.exists(SYSTEM_CHROMIUM):
        return {**browser_type_launch_args, "executable_path": SYSTEM_CHROMIUM, "args": args}
    return {**browser_type_launch_args, "args": args}


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory, database_url) -> str:
    """A database of the browser journeys' own: what they commit (zaken, permits,
    bookings) must not meet the rolled-back tests. On PostgreSQL (TEST_DATABASE_URL)
    they share it; CI runs the journeys on SQLite."""
    if os.environ.get("TEST_DATABASE_URL"):
        return database_url
    url = f"sqlite:///{tmp_path_factory.mktemp('live-db') / 'portal-live.db'}"
    command.upgrade(alembic_config(url), "heads")
    return url


@pytest.fixture(scope="session")
def live_app(live_database_url, mock_digid, mock_staff_idp, mock_psp, live_server_port):
    """The app the live server runs, on its own migrated and seeded database; journeys
    that need data in place first write it through this app's services. Forms with a fee
    are paid at the mock payment provider."""
    live_app = create_app(make_config(live_database_url, mock_digid, mock_staff_idp,
                                      base_url=f"http://127.0.0.1:{live_server_port}"))
    with live_app.app_context():
        seed_all(get_session())
    return live_app


@pytest.fixture(scope="session")
def live_server(live_app, live_server_port):
    """The portal on 127.0.0.1."""
    server = make_server("127.0.0.1", live_server_port, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{live_server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def axe():
    return Axe()


class Journey:
    """A resident's walk through the portal; every page visited is checked with axe-core."""

    def __init__(self, page, base_url: str, axe: Axe) -> None:
        self.page = page
        self.base_url = base_url
        self.axe = axe
        self.pages_checked: list[str] = []

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check()

    def check(self) -> None:
        """Zero WCAG 2.1 and 2.2 A/AA violations on the page as it is now; the page as the
        script left it also goes to the session's Nu Html Checker run (tests/nuchecker.py)."""
        results = self.axe.run(self.page, options={
            "runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
        assert results.violations_count == 0, (
            f"{self.page.url}:\n{results.generate_report()}")
        PAGES.add(self.page.content(), f"browser {self.page.url}")
        self.pages_checked.append(self.page.url)


@pytest.fixture
def journey(page, live_server, axe):
    return Journey(page, live_server, axe)


def pay_at_mock_psp(journey, scenario_label: str) -> None:
    """At the mock payment provider's checkout (checked with axe too): choose what happens."""
    page = journey.page
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text("Betalen met iDEAL (test)")
    journey.check()
    page.get_by_label(scenario_label, exact=True).check()
    with page.expect_navigation():
        page.get_by_test_id("pay").click()


class NoScriptJourney(Journey):
    """A journey in a browser without JavaScript. axe-core needs JavaScript to run (it hangs
    without timers), so each page as the script-less browser has it is checked in a second,
    scripted page: the same address, answered with the same HTML (its script tags taken out,
    so nothing changes the DOM), styled by the live server's CSS."""

    def __init__(self, page, base_url, axe, checker_page) -> None:
        super().__init__(page, base_url, axe)
        self.checker = checker_page

    def check(self) -> None:
        html = SCRIPT_TAG.sub("", self.page.content())
        url = self.page.url
        self.checker.route(url, lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=html))
        try:
            self.checker.goto(url)
            results = self.axe.run(self.checker, options={
                "runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
        finally:
            self.checker.unroute(url)
        assert results.violations_count == 0, f"{url}:\n{results.generate_report()}"
        PAGES.add(html, f"browser without JavaScript {url}")
        self.pages_checked.append(url)


SCRIPT_TAG = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)


@pytest.fixture
def no_script_journey(browser, live_server, axe):
    """A journey in a browser context with JavaScript switched off (DESIGN: at least one
    journey works without it), with its own context for the axe checks."""
    context = browser.new_context(java_script_enabled=False)
    checker_context = browser.new_context()
    try:
        yield NoScriptJourney(context.new_page(), live_server, axe, checker_context.new_page())
    finally:
        context.close()
        checker_context.close()


@pytest.fixture
def english(context, live_server):
    """Switch the browser to English, as the header's language link does."""
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
