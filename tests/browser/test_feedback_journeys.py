"""Feedback after a task in Chromium, axe-core on every page: after a sent form (Dutch and
English, with the error a missing score gives), after a booking, and from the link in the
mail of a closed zaak in a browser without JavaScript, where a second answer is refused."""

import re
import secrets

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.db import get_session
from app.notifications.models import OutboxMessage
from tests.browser.test_appointment_journeys import confirm, walk_to_check
from tests.browser.test_eform_journeys import WORDS, proceed, report_a_street_light
from tests.factories import make_zaak
from tests.feedback_fixtures import feedback_path
from tests.personas import FATIMA

TEXTS = {
    "nl": {"question": "Hoe ging het?", "send": "Cijfer versturen",
           "remark": "Wat kunnen wij beter doen? (niet verplicht)",
           "no_score": "Kies een cijfer van 1 tot en met 10",
           "thanks": "Bedankt voor uw antwoord", "answered": "U hebt al geantwoord"},
    "en": {"question": "How did it go?", "send": "Send your score",
           "remark": "What can we do better? (optional)",
           "no_score": "Choose a score from 1 to 10",
           "thanks": "Thank you for your answer", "answered": "You have already answered"},
}


def give_score(journey, texts, score: str, remark: str = "") -> None:
    page = journey.page
    page.get_by_role("group", name=re.compile(r"1 .* 10")).get_by_label(score, exact=True).check()
    if remark:
        page.get_by_label(texts["remark"]).fill(remark)
    with page.expect_navigation():
        page.get_by_role("button", name=texts["send"]).click()
    journey.check()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_score_a_sent_form_from_its_confirmation(journey, context, live_server, language):
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    words, texts, page = WORDS[language], TEXTS[language], journey.page
    journey.open("/formulieren/melding-openbare-ruimte")
    page.get_by_role("button", name=words["start"]).click()
    journey.check()
    report_a_street_light(journey, words)
    proceed(journey, words)
    with page.expect_navigation():
        page.get_by_role("button", name=words["send"]).click()
    journey.check()
    expect(page.get_by_role("heading", level=2, name=texts["question"])).to_be_visible()

    with page.expect_navigation():  # no score chosen: the question's own page says so
        page.get_by_role("button", name=texts["send"]).click()
    journey.check()
    expect(page).to_have_title(re.compile("^(Fout|Error): "))
    expect(page.get_by_role("link", name=texts["no_score"])).to_be_visible()
    give_score(journey, texts, "8", "Het formulier was duidelijk.")
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["thanks"])

    page.go_back()
    page.go_back()
    page.reload()  # the confirmation again: answered, so it asks no more
    expect(page.get_by_text(re.compile("ZAAK-")).first).to_be_visible()
    expect(page.get_by_role("heading", name=texts["question"])).to_have_count(0)


def test_score_a_booked_appointment(journey):
    walk_to_check(journey, name="Anna de Vries", email=f"fb-{secrets.token_hex(4)}@example.org")
    confirm(journey)
    give_score(journey, TEXTS["nl"], "9")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text(TEXTS["nl"]["thanks"])


def closed_zaak_feedback_path(live_app) -> str:
    """Fatima's move is processed: the link in the mail that tells her so."""
    with live_app.app_context():
        db = get_session()
        zaaknummer = make_zaak(db, "VERHUIZING", bsn=FATIMA, resultaat="Verwerkt")
        db.commit()
        mail = db.scalars(select(OutboxMessage).where(OutboxMessage.text_body.contains(zaaknummer))
                          .order_by(OutboxMessage.id.desc())).first()
        return feedback_path(mail.text_body)


def test_score_a_closed_zaak_from_the_mail_without_javascript(no_script_journey, live_app):
    texts, journey = TEXTS["nl"], no_script_journey
    question = closed_zaak_feedback_path(live_app)
    journey.open(question)  # no login asked
    expect(journey.page.get_by_role("heading", level=1)).to_have_text(texts["question"])
    give_score(journey, texts, "6", "Het duurde lang, maar het is goed geregeld.")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text(texts["thanks"])

    journey.open(question)  # the link again: answered once, and said kindly
    expect(journey.page.get_by_role("heading", level=1)).to_have_text(texts["answered"])
    expect(journey.page.get_by_role("button", name=texts["send"])).to_have_count(0)
