"""Nothing typed is lost, in Chromium: the session ends while a resident fills in a form,
and after logging in again what they typed is back in it; with the timeout script (it sends
the form along at the idle limit) and without JavaScript (the form's own POST after the
server's timeout). Every page on the way is checked with axe-core."""

import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import update

from app.auth.models import WebSession
from app.auth.sessions import hash_session_id
from app.db import get_session, utcnow
from tests.browser.test_journeys import log_in_at_mock_digid

CORRECTION = "/mijn-omgeving/gegevens/correctie?veld=geboorteplaats"
KEPT = "Wat u had ingevuld maar nog niet had verstuurd, is bewaard."
NOTICE = "Wij hebben teruggezet wat u had ingevuld"


def _log_in_and_fill_in(journey) -> None:
    page = journey.page
    journey.open("/inloggen?next=" + CORRECTION.replace("?", "%3F").replace("=", "%3D"))
    log_in_at_mock_digid(page)
    expect(page).to_have_url(re.compile(re.escape(CORRECTION) + "$"))
    page.locator('[name="wat_is_fout"]').fill("Ik ben in Zwolle geboren.")
    page.locator('[name="juiste_waarde"]').fill("Zwolle")


def _log_in_again_and_find_it_back(journey) -> None:
    page = journey.page
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    expect(page.get_by_text(KEPT)).to_be_visible()
    journey.check()
    page.get_by_role("link", name="Opnieuw inloggen").click()
    log_in_at_mock_digid(page)
    expect(page).to_have_url(re.compile(re.escape(CORRECTION) + "$"))
    expect(page.get_by_text(NOTICE)).to_be_visible()
    expect(page.locator('[name="wat_is_fout"]')).to_have_value("Ik ben in Zwolle geboren.")
    expect(page.locator('[name="juiste_waarde"]')).to_have_value("Zwolle")
    journey.check()


def test_the_timeout_script_keeps_what_was_typed(journey):
    page = journey.page
    page.clock.install()
    _log_in_and_fill_in(journey)
    page.clock.fast_forward("16:00")  # no reaction to the warning: logged out at the limit
    expect(page).to_have_url(re.compile(r"/sessie-verlopen\?next="))
    _log_in_again_and_find_it_back(journey)


def test_a_form_sent_after_the_timeout_without_javascript_is_kept(no_script_journey, live_app):
    page = no_script_journey.page
    _log_in_and_fill_in(no_script_journey)
    [cookie] = [c for c in page.context.cookies() if c["name"] == "portal_session"]
    with live_app.app_context():  # 16 minutes without a request
        db = get_session()
        db.execute(update(WebSession).where(WebSession.id_hash == hash_session_id(cookie["value"]))
                   .values(last_seen_at=utcnow() - timedelta(minutes=16)))
        db.commit()
    page.get_by_role("button", name="Verzoek versturen").click()
    expect(page).to_have_url(re.compile(r"/sessie-verlopen\?next="))
    _log_in_again_and_find_it_back(no_script_journey)
