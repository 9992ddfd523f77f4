"""The receipt of a sent form: a PDF of what was sent, with the reference and the date, from
the confirmation page (for the sender only, also without DigiD) and attached to the
confirmation mail, which the mail worker makes; never with a BSN."""

import io
import re

from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.notifications.delivery import deliver_due
from app.notifications.models import OutboxMessage
from tests.eforms_fixtures import form_csrf, form_rate_limit, post_page, start_form  # noqa: F401
from tests.login import login_as
from tests.notifications_fixtures import smtp_server, smtp_settings_for  # noqa: F401
from tests.personas import FATIMA, JOHANNES
from tests.web.test_eforms import walk_verhuizing

RECEIPT_LINK = re.compile(r'href="(/formulieren/[^"]+/ontvangstbewijs)"')
QUESTION = "Wanneer haalt u het grofvuil op in de Beekstraat?"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _send_question(client) -> str:
    """Ask a question without DigiD; returns the confirmation page's path."""
    step = start_form(client, "vraag")
    answer = post_page(client, step, {"onderwerp": "Grofvuil", "vraag": QUESTION})
    answer = post_page(client, answer.headers["Location"], {
        "naam": "Anna de Boer", "antwoord_via": "email", "email": "anna@example.nl"})
    check = answer.headers["Location"]
    assert check.endswith("/controleren")
    page = client.get(check).get_data(as_text=True)
    sent = client.post(check, data={"csrf_token": form_csrf(page)})
    assert sent.status_code == 302
    return sent.headers["Location"]


def test_a_visitor_downloads_the_receipt_from_the_confirmation_page(client, form_rate_limit):
    confirmation = client.get(_send_question(client)).get_data(as_text=True)
    zaaknummer = re.search(r"ZAAK-\d{4}-\d{10}", confirmation).group(0)
    href = RECEIPT_LINK.search(confirmation).group(1)
    download = client.get(href)
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["Cache-Control"] == "no-store"
    assert f"ontvangstbewijs-{zaaknummer}.pdf" in download.headers["Content-Disposition"]
    text = _text(download.data)
    for expected in ("Ontvangstbewijs", "Stel een vraag", zaaknummer, "Verstuurd op",
                     "Onderwerp", "Grofvuil", "Wat wilt u vragen?", QUESTION, "Per e-mail",
                     "anna@example.nl"):
        assert expected in text, expected
    # Another browser (session) gets nothing, exactly as for a draft that is not there.
    assert client.application.test_client().get(href).status_code == 404


def test_the_receipt_is_the_senders_only_and_holds_no_bsn(client, app, form_rate_limit):
    login_as(client, FATIMA)
    check = walk_verhuizing(client, co_movers=False)
    page = client.get(check).get_data(as_text=True)
    sent = client.post(check, data={"csrf_token": form_csrf(page), "declaration": "y"})
    confirmation = client.get(sent.headers["Location"]).get_data(as_text=True)
    href = RECEIPT_LINK.search(confirmation).group(1)
    text = _text(client.get(href).data)
    assert "Verhuizing" in text and "8081" in text
    assert FATIMA not in text
    other = app.test_client()
    login_as(other, JOHANNES)
    assert other.get(href).status_code == 404


def test_the_confirmation_mail_carries_the_receipt_made_by_the_worker(
        client, db_connection, smtp_server, form_rate_limit):
    confirmation = _send_question(client)
    queued = db_connection.execute(select(OutboxMessage.attachments)
                                   .order_by(OutboxMessage.id.desc())).scalars().first()
    assert queued[0]["maker"] == "form_receipt" and "content" not in queued[0]  # made later

    def sessions() -> Session:
        return Session(bind=db_connection, join_transaction_mode="create_savepoint",
                       expire_on_commit=False)

    with client.application.app_context():
        deliver_due(sessions, smtp_settings_for(smtp_server))
    mail = next(m for m in smtp_server.messages if m["To"] == "anna@example.nl")
    assert "ontvangstbewijs" in mail.get_body(("plain",)).get_content()
    attachment = next(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename().startswith("ontvangstbewijs-ZAAK-")
    assert QUESTION in _text(attachment.get_content())
    assert client.get(confirmation).status_code == 200
