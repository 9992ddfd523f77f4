"""Mails as templates (app/templates/mail/): send_mail renders one in the recipient's language
and queues it in the outbox."""

from pathlib import Path

import pytest

from app.db import get_session
from app.notifications.services import render_mail, send_mail

MAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates" / "mail"
RECIPIENT = "j.jansen@voorbeeld.example"


@pytest.fixture
def session(app, db_connection):
    with app.app_context():
        yield get_session()


def test_send_mail_renders_in_the_recipients_language_and_queues(session):
    message = send_mail(session, "email_code", to=RECIPIENT, locale="en", code="123456",
                        dedupe_key="code:1")

    assert message.recipient == RECIPIENT and message.dedupe_key == "code:1"
    assert message.subject == "Your code for My portal"
    assert message.text_body.startswith("Your code is 123456.\n\n")
    assert message.text_body.endswith("\n\nGemeente Elburg\n")  # the municipality, from settings


def test_the_same_mail_in_dutch(session):
    message = send_mail(session, "email_code", to=RECIPIENT, locale="nl", code="123456")

    assert message.subject == "Uw code voor Mijn omgeving"
    assert message.text_body.startswith("Uw code is 123456.")


def test_several_languages_give_one_mail_with_a_part_in_each(session):
    message = send_mail(session, "new_message", to=RECIPIENT, locale=("nl", "en"),
                        zaaknummer="ZAAK-2026-0000000042", link="https://portal.example/b/1")

    assert message.subject == "Nieuw bericht in Mijn omgeving / New message in My portal"
    dutch, english = message.text_body.split("\n\n-----\n\n")
    assert "Gemeente Elburg" in dutch and "ZAAK-2026-0000000042" in dutch
    assert "Log in with DigiD to read the message:\nhttps://portal.example/b/1" in english


def test_a_mail_is_plain_text_with_a_one_line_subject(app):
    with app.app_context():
        mail = render_mail("question_answer", locale="nl", zaaknummer="ZAAK-2026-0000000042",
                           onderwerp="Tuin & <schuur>\nBcc: iemand@example.org", naam="O'Brien",
                           antwoord="Ja & nee.", afzender="Team KCC")

    assert mail.subject == "Antwoord op uw vraag: Tuin & <schuur> Bcc: iemand@example.org"
    assert "Beste O'Brien," in mail.text and "\nJa & nee.\n" in mail.text  # not HTML-escaped


@pytest.mark.parametrize("path", sorted(p.name for p in MAIL_TEMPLATES.glob("[!_]*.txt")))
def test_every_mail_template_has_a_subject_and_a_body(app, path):
    blocks = app.jinja_env.get_template(f"mail/{path}").blocks
    assert {"subject", "body"} <= set(blocks)
