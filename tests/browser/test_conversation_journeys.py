"""Two-way contact in Chromium with axe-core on every page, from both sides: a resident asks
a question on a zaak's page with a file, the zaak's team sees it waiting with the
servicenorm for a written answer, answers it, and the resident reads the answer, after which
it is no longer new. In English with JavaScript, and in Dutch without it. The KCC sees its
questions and the residents' messages held to the same norm."""

import re

from playwright.sync_api import expect

from app.db import get_session
from tests import conversation_fixtures
from tests.browser.staff import log_in_as_staff
from tests.browser.test_journeys import FATIMA, log_in_at_mock_digid
from tests.factories import PDF, make_zaak
from tests.kcc_fixtures import question_zaak

QUESTION = "Mag ik de verhuizing een week later laten ingaan?"
ANSWER = "Ja, dat kan. Wij passen de datum aan."

TEXTS = {
    "en": {"question": "Your message", "send_question": "Send question",
           "received": "We have received your message", "card": "Residents' messages",
           "waits": r"\d+ waits? for an answer", "case": "Case {}", "answer_by": "Answer by ",
           "answer": "Your answer", "send_answer": "Send answer",
           "answer_subject": "Answer to your question about case {}", "new": "New",
           "messages": "Messages", "nav": "My portal"},
    "nl": {"question": "Uw bericht", "send_question": "Vraag versturen",
           "received": "Wij hebben uw bericht ontvangen", "card": "Berichten van inwoners",
           "waits": r"\d+ wacht(en)? op antwoord", "case": "Zaak {}",
           "answer_by": "Antwoorden vóór en op ", "answer": "Uw antwoord",
           "send_answer": "Antwoord versturen",
           "answer_subject": "Antwoord op uw vraag over zaak {}", "new": "Nieuw",
           "messages": "Berichten", "nav": "Mijn omgeving"},
}


def a_zaak(live_app) -> str:
    """A verhuizing of Fatima's that Burgerzaken (bas) handles."""
    with live_app.app_context():
        db = get_session()
        zaaknummer = make_zaak(db, "VERHUIZING", team="burgerzaken")
        db.commit()
        return zaaknummer


def resident_asks(journey, zaaknummer: str, text: dict) -> None:
    page = journey.page
    journey.open(f"/mijn-omgeving/zaken/{zaaknummer}")
    log_in_at_mock_digid(page, FATIMA)
    expect(page).to_have_url(re.compile(f"/mijn-omgeving/zaken/{zaaknummer}$"))
    journey.check()
    page.get_by_label(text["question"]).fill(QUESTION)
    page.locator('input[type="file"][name="bijlage"]').set_input_files(
        {"name": "uittreksel.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name=text["send_question"]).click()
    expect(page.get_by_text(text["received"])).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    expect(page.get_by_role("link", name="uittreksel.pdf")).to_be_visible()
    journey.check()


def staff_answer(journey, zaaknummer: str, text: dict) -> None:
    page = journey.page
    log_in_as_staff(page, journey.base_url, "bas")
    card = page.locator(".portal-card").filter(has_text=text["card"])
    expect(card.get_by_text(re.compile(text["waits"]))).to_be_visible()
    journey.check()
    card.get_by_role("link").click()
    row = page.get_by_role("row").filter(has_text=text["case"].format(zaaknummer))
    expect(row.get_by_text(text["answer_by"])).to_be_visible()  # the servicenorm
    journey.check()
    row.get_by_role("link").click()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    expect(page.get_by_role("link", name="uittreksel.pdf")).to_be_visible()
    journey.check()
    page.get_by_label(text["answer"]).fill(ANSWER)
    page.get_by_role("button", name=text["send_answer"]).click()
    expect(page.get_by_role("row").filter(has_text=text["case"].format(zaaknummer))).to_have_count(0)
    journey.check()


def resident_reads(journey, zaaknummer: str, text: dict) -> None:
    page = journey.page
    journey.open("/mijn-omgeving/berichten")
    nav = page.get_by_role("navigation", name=text["nav"])
    unread_label = nav.get_by_role("link", name=re.compile(text["messages"])).inner_text()
    item = page.locator(".portal-message").filter(
        has_text=text["answer_subject"].format(zaaknummer))
    expect(item.get_by_text(text["new"], exact=True)).to_be_visible()
    item.get_by_role("link").click()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()  # the conversation, in order
    journey.check()
    assert nav.get_by_role("link", name=re.compile(text["messages"])).inner_text() != unread_label
    journey.open("/mijn-omgeving/berichten")
    expect(page.locator(".portal-message").filter(
        has_text=text["answer_subject"].format(zaaknummer)).get_by_text(
        text["new"], exact=True)).to_have_count(0)


def converse(journey, live_app, language: str) -> None:
    """The whole conversation, from the resident to the staff and back."""
    zaaknummer, text = a_zaak(live_app), TEXTS[language]
    resident_asks(journey, zaaknummer, text)
    staff_answer(journey, zaaknummer, text)
    resident_reads(journey, zaaknummer, text)
    assert all(FATIMA not in url for url in journey.pages_checked)


def test_a_question_on_a_zaak_answered_in_english(journey, english, live_server, live_app):
    converse(journey, live_app, "en")


def test_a_question_on_a_zaak_answered_in_dutch_without_javascript(
        no_script_journey, live_server, live_app):
    converse(no_script_journey, live_app, "nl")


# --------------------------------------------------------------------------- the norm

OVERDUE = {"en": "Overdue: answer was due on ", "nl": "Te laat: antwoord moest uiterlijk "}


def a_late_question_and_message(live_app) -> tuple[str, str]:
    """A question for the KCC and a message about a zaak, both in two weeks ago."""
    with live_app.test_request_context():
        question = question_zaak()
    thread_id = conversation_fixtures.resident_asks(live_app, a_zaak(live_app), team="burgerzaken")
    conversation_fixtures.came_in_days_ago(live_app, 14, question=question, thread_id=thread_id)
    return question, thread_id


def both_lists_mark_it_overdue(journey, live_app, language: str) -> None:
    question, thread_id = a_late_question_and_message(live_app)
    page = journey.page
    log_in_as_staff(page, journey.base_url, "karin")
    marks = []
    for path, link in (("/backoffice/vragen", f"/backoffice/vragen/{question}"),
                       ("/backoffice/gesprekken", f"/backoffice/gesprekken/{thread_id}")):
        journey.open(path)
        row = page.get_by_role("row").filter(has=page.locator(f'a[href="{link}"]'))
        mark = row.get_by_text(OVERDUE[language])
        expect(mark).to_be_visible()
        marks.append(mark.inner_text())
        journey.check()
    assert marks[0] == marks[1]  # the same due date: the same rule


def test_the_kcc_sees_both_lists_mark_the_same_answer_overdue_in_english(
        journey, english, live_server, live_app):
    both_lists_mark_it_overdue(journey, live_app, "en")


def test_the_kcc_sees_both_lists_mark_the_same_answer_overdue_in_dutch(
        journey, live_server, live_app):
    both_lists_mark_it_overdue(journey, live_app, "nl")
