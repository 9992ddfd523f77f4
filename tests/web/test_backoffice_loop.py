"""The full loop, with the real mock IdPs, the real API and a real SMTP server: a resident asks
for Wmo support with the e-form, a behandelaar asks for a document in the back office, the
resident uploads it in Mijn omgeving, a care provider sets a status through the zaken API, the
mail about it arrives, and the resident sees the new status and who saw their data."""

import io
import re

from sqlalchemy.orm import Session

from app.api.services import create_partner
from app.db import get_session
from app.notifications.delivery import deliver_due
from tests.backoffice_fixtures import FATIMA, PDF, form_fields, zaak_of
from tests.eforms_fixtures import form_rate_limit, post_page, start_form  # noqa: F401
from tests.login import login_as
from tests.notifications_fixtures import smtp_server, smtp_settings_for  # noqa: F401
from tests.personas import SARA

ZAAKNUMMER = re.compile(r"ZAAK-\d{4}-\d{10}")
PARTNER = "Zorgaanbieder De Linde"
ASKED = "Een verwijsbrief van uw huisarts"
VISIT = "Wij komen dinsdag om 10.00 uur bij u thuis."


def submit_wmo_request(resident) -> str:
    """The resident fills in the Wmo form; the zaaknummer of the new zaak."""
    step = start_form(resident, "hulpvraag-wmo")
    answer = post_page(resident, step, {"soort_hulp": "huishouden"})
    answer = post_page(resident, answer.headers["Location"],
                       {"situatie": "Ik kan niet meer zelf schoonmaken sinds mijn operatie."})
    answer = post_page(resident, answer.headers["Location"], {"mantelzorger": "nee"})
    answer = post_page(resident, answer.headers["Location"],
                       {"contact_voorkeur": "email", "email": "fatima@example.org"})
    check = answer.headers["Location"]
    assert check.endswith("/controleren"), check
    answer = post_page(resident, check, {"declaration": "y"})
    assert answer.status_code == 302
    confirmation = resident.get(answer.headers["Location"]).get_data(as_text=True)
    return ZAAKNUMMER.search(confirmation).group(0)


def ask_for_a_document(staff, zaaknummer: str) -> None:
    page = staff.get(f"/backoffice/zaken/{zaaknummer}").get_data(as_text=True)
    path, fields = form_fields(page, "/documentverzoek")
    answer = staff.post(path, data={**fields, "verzoek-omschrijving": ASKED})
    assert answer.status_code == 302


def upload_the_document(resident, zaaknummer: str) -> None:
    page = resident.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    assert ASKED in page
    action = re.search(r'action="(/mijn-omgeving/zaken/[^"]+/verzoeken/(\d+))"', page)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    field = f"verzoek-{action.group(2)}-document"
    answer = resident.post(action.group(1), data={
        "csrf_token": token, field: (io.BytesIO(PDF), "verwijsbrief.pdf")},
        content_type="multipart/form-data")
    assert answer.status_code == 302


def partner_sets_a_status(client, app, zaaknummer: str) -> None:
    with app.app_context():
        db = get_session()
        _partner, token = create_partner(db, naam=PARTNER, zaaktypen=["HULPVRAAG_WMO"])
        db.commit()
    answer = client.post(f"/api/v1/zaken/{zaaknummer}/statussen",
                         json={"statustype": {"volgnummer": 2}, "statustoelichting": VISIT},
                         headers={"Authorization": f"Token {token}",
                                  "Idempotency-Key": "loop-test-status-1"})
    assert answer.status_code == 201, answer.get_data(as_text=True)


def test_resident_staff_partner_and_back(app, db_connection,
                                        smtp_server, form_rate_limit):
    resident, staff, partner = app.test_client(), app.test_client(), app.test_client()
    login_as(resident, FATIMA)
    zaaknummer = submit_wmo_request(resident)

    login_as(staff, SARA)  # team Sociaal domein
    ask_for_a_document(staff, zaaknummer)
    upload_the_document(resident, zaaknummer)
    zaak = zaak_of(app, zaaknummer)
    assert zaak.document_requests[0].fulfilled_at is not None
    assert [d.bestandsnaam for d in zaak.documenten] == ["verwijsbrief.pdf"]
    staff_page = staff.get(f"/backoffice/zaken/{zaaknummer}").get_data(as_text=True)
    assert "verwijsbrief.pdf" in staff_page

    partner_sets_a_status(partner, app, zaaknummer)

    def sessions() -> Session:  # the mail worker's own sessions, inside the test's transaction
        return Session(bind=db_connection, join_transaction_mode="create_savepoint",
                       expire_on_commit=False)

    with app.app_context():  # as `flask mail worker` runs: it makes the form's receipt
        report = deliver_due(sessions, smtp_settings_for(smtp_server))
    assert report.sent >= 3      # the confirmation, the document request and the status
    about_it = [m for m in smtp_server.messages
                if zaaknummer in _text(m) and "New message in My portal" in m["Subject"]]
    assert len(about_it) == 2    # one per message in the inbox: the request and the status
    for mail in smtp_server.messages:
        assert FATIMA not in str(mail) and VISIT not in _text(mail)

    # The resident sees the new status with the partner's explanation ...
    page = resident.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    assert "Gesprek gepland" in page and VISIT in page
    # ... and who saw their data: the behandelaar's team and the care provider.
    verstrekkingen = resident.get("/mijn-omgeving/gegevens/verstrekkingen").get_data(as_text=True)
    assert "Gemeente Elburg, team Sociaal domein" in verstrekkingen
    assert PARTNER in verstrekkingen and zaaknummer in verstrekkingen


def _text(mail) -> str:
    """A mail's text part (the form's confirmation also carries its receipt as a PDF)."""
    return mail.get_body(("plain",)).get_content()
