"""Feedback after a task, through the test client: the question on the confirmation pages of
a form and a booking, and behind the link in the mail of a closed zaak; one answer counts."""

from sqlalchemy import select

from app.db import get_session
from app.feedback.models import FeedbackScore
from app.notifications.delivery import deliver_due
from tests.eforms_fixtures import form_csrf, form_rate_limit, post_page  # noqa: F401
from tests.factories import new_zaak
from tests.feedback_fixtures import feedback_path
from tests.notifications_fixtures import smtp_server, smtp_settings_for  # noqa: F401
from tests.personas import FATIMA
from tests.web.test_appointments import book
from tests.web.test_eforms import walk_melding
from tests.web.test_pip_berichten import worker_sessions


def scores_stored(app) -> list[tuple]:
    with app.app_context():
        return get_session().execute(select(
            FeedbackScore.kind, FeedbackScore.product, FeedbackScore.score,
            FeedbackScore.remark)).all()


def send_melding(client) -> str:
    """An anonymous report sent; the path of its confirmation page."""
    answer = post_page(client, walk_melding(client, photo=None), {})
    assert answer.status_code == 302
    return answer.headers["Location"]


def test_a_sent_form_asks_once_and_the_score_is_stored_without_the_task(
        client, app, form_rate_limit):
    confirmation = send_melding(client)
    page = client.get(confirmation).get_data(as_text=True)
    assert "Hoe ging het?" in page
    question, csrf = feedback_path(page), form_csrf(page)
    # A reload asks the same question, with the same link.
    assert feedback_path(client.get(confirmation).get_data(as_text=True)) == question

    answer = post_page(client, question,
                       {"score": "8", "remark": "Snel geregeld"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/feedback/bedankt")
    assert "Bedankt voor uw antwoord" in client.get("/feedback/bedankt").get_data(as_text=True)
    assert scores_stored(app) == [("form", "MELDING_OPENBARE_RUIMTE", 8, "Snel geregeld")]

    # Answered: the confirmation page no longer asks, and the link refuses a second answer.
    assert feedback_path(client.get(confirmation).get_data(as_text=True)) is None
    page = client.get(question)
    assert page.status_code == 200 and "U hebt al geantwoord" in page.get_data(as_text=True)
    again = client.post(question, data={"csrf_token": csrf, "score": "1"})
    assert again.status_code == 409 and "U hebt al geantwoord" in again.get_data(as_text=True)
    assert len(scores_stored(app)) == 1


def test_a_score_is_required_and_the_error_is_summarised(client, app, form_rate_limit):
    question = feedback_path(client.get(send_melding(client)).get_data(as_text=True))
    answer = post_page(client, question, {"remark": "Geen cijfer"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<title>Fout:" in html
    assert 'href="#score"' in html and "Kies een cijfer van 1 tot en met 10" in html
    assert post_page(client, question, {"score": "11"}).status_code == 200
    assert scores_stored(app) == []


def test_the_answer_needs_the_pages_csrf_token(client, app, form_rate_limit):
    question = feedback_path(client.get(send_melding(client)).get_data(as_text=True))
    assert client.post(question, data={"score": "7"}).status_code == 400
    assert scores_stored(app) == []


def test_a_booked_appointment_asks_for_a_score(client, app):
    answer, _form, _start = book(client)
    page = client.get(answer.location).get_data(as_text=True)
    answer = post_page(client, feedback_path(page), {"score": "9"})
    assert answer.headers["Location"].endswith("/feedback/bedankt")
    assert scores_stored(app) == [("appointment", "paspoort", 9, "")]


def test_an_unknown_link_says_so_kindly(client):
    page = client.get("/feedback/" + "x" * 43)
    assert page.status_code == 404 and "Deze link werkt niet meer" in page.get_data(as_text=True)


def test_the_mail_of_a_closed_zaak_carries_a_one_time_link_that_needs_no_login(
        client, app, db_connection, smtp_server):
    zaaknummer = new_zaak(app, "VERHUIZING", bsn=FATIMA, resultaat="Verwerkt")
    deliver_due(worker_sessions(db_connection), smtp_settings_for(smtp_server))
    mail = next(m for m in smtp_server.messages
                if zaaknummer in m.get_body(("plain",)).get_content())
    body = mail.get_body(("plain",)).get_content()
    assert "Geef ons een cijfer van 1 tot en met 10" in body and FATIMA not in str(mail)
    question = feedback_path(body)
    assert question in mail.get_body(("html",)).get_content()  # a link there too

    answer = post_page(client, question, {"score": "6", "remark": "Duurde lang"})  # no login
    assert answer.headers["Location"].endswith("/feedback/bedankt")
    assert scores_stored(app) == [("zaak", "VERHUIZING", 6, "Duurde lang")]
