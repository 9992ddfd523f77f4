"""The whole way of a confirmation: form submitted, mail queued in the same transaction,
the worker delivers it to a real SMTP server; the resident reads the zaaknummer, never the BSN."""

from sqlalchemy.orm import Session

from app.notifications.delivery import deliver_due
from tests.eforms_fixtures import form_rate_limit  # noqa: F401
from tests.login import login_as
from tests.notifications_fixtures import smtp_server, smtp_settings_for  # noqa: F401
from tests.personas import FATIMA
from tests.web.test_eforms import ZAAKNUMMER, _zaaknummer, walk_verhuizing


def test_confirmation_mail_arrives_with_the_zaaknummer_and_without_the_bsn(
        client, db_connection, smtp_server, form_rate_limit):
    login_as(client, FATIMA)
    check = walk_verhuizing(client, co_movers=False)
    page = client.get(check).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    submitted = client.post(check, data={"csrf_token": token, "declaration": "y"})
    zaaknummer = _zaaknummer(client, submitted.headers["Location"])

    def sessions() -> Session:  # the worker's own sessions, inside the test's transaction
        return Session(bind=db_connection, join_transaction_mode="create_savepoint",
                       expire_on_commit=False)

    with client.application.app_context():  # as `flask mail worker` runs (it makes the receipt)
        report = deliver_due(sessions, smtp_settings_for(smtp_server))

    assert report.sent >= 1
    mail = next(m for m in smtp_server.messages if zaaknummer in m["Subject"])
    assert mail["To"] == "fatima@example.org"
    body = mail.get_body(("plain",)).get_content()  # beside it: the receipt (a PDF)
    assert ZAAKNUMMER.search(body).group(0) == zaaknummer
    assert FATIMA not in body and FATIMA not in str(mail)
