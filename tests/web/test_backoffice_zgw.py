"""The back office on the municipality's zaaksysteem (ZAKEN_STORE=zgw, a real Open Zaak): staff
find a zaak in the queue, open its page, set a status, ask for a document and download the
resident's answer; the resident sees the status and answers the request in Mijn omgeving."""

import io
import re

import pytest

from app.db import get_session
from app.remote import RemoteUnavailable
from app.zaken.store import Initiator
from tests.backoffice_fixtures import FATIMA, PDF, form_fields
from tests.login import login_as
from tests.openzaak_fixtures import needs_open_zaak, open_zaak_catalogue, open_zaak_store  # noqa: F401
from tests.personas import BAS, VERA

pytestmark = needs_open_zaak
TEST_RESIDENTS = (FATIMA,)
QUEUE = "/backoffice/zaken"
ASKED = "Een kopie van uw huurcontract"


@pytest.fixture
def on_open_zaak(app, db_connection, open_zaak_store, monkeypatch):
    """The app with its zaken store swapped for the ZGW store on Open Zaak; a new zaak of
    Fatima's, registered as the e-form's worker would."""
    monkeypatch.setitem(app.extensions, "zaken_store", open_zaak_store)
    with app.test_request_context():
        store = open_zaak_store(get_session())
        zaaknummer = store.open_zaak(
            zaaktype="VERHUIZING", omschrijving="Verhuizing doorgeven", registered_by="portaal",
            initiator=Initiator(naam="Fatima El Amrani", bsn=FATIMA,
                                email="fatima@example.nl"),
            aanvraaggegevens={"verhuisdatum": "2026-03-01"}).identificatie
    return store, zaaknummer


def page_of(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.get_data(as_text=True)


def test_staff_move_a_zaak_in_the_zaaksysteem_and_the_resident_sees_it(app, on_open_zaak):
    _store, zaaknummer = on_open_zaak
    staff, resident = login_as(app.test_client(), BAS), login_as(app.test_client(), FATIMA)
    staff.set_cookie("lang", "en")

    queue = page_of(staff, f"{QUEUE}?q={zaaknummer}&status=open")
    assert zaaknummer in queue and "Fatima El Amrani" in queue
    assert "cannot search by name" in queue

    page = page_of(staff, f"{QUEUE}/{zaaknummer}")
    assert "Fatima El Amrani" in page and "Received" in page
    path, fields = form_fields(page, "/status")
    answer = staff.post(path, data={**fields, "status-volgnummer": "2",
                                    "status-toelichting": "Wij bekijken uw verhuizing."})
    assert answer.status_code == 302
    assert "The status is now Being processed." in page_of(staff, answer.headers["Location"])

    mine = page_of(resident, f"/mijn-omgeving/zaken/{zaaknummer}")
    assert "In behandeling" in mine and "Wij bekijken uw verhuizing." in mine


def test_a_document_request_answered_by_the_resident_reaches_staff(app, on_open_zaak):
    _store, zaaknummer = on_open_zaak
    staff, resident = login_as(app.test_client(), BAS), login_as(app.test_client(), FATIMA)
    staff.set_cookie("lang", "en")
    path, fields = form_fields(page_of(staff, f"{QUEUE}/{zaaknummer}"), "/documentverzoek")
    assert staff.post(path, data={**fields, "verzoek-omschrijving": ASKED}).status_code == 302

    page = page_of(resident, f"/mijn-omgeving/zaken/{zaaknummer}")
    assert ASKED in page
    action = re.search(r'action="(/mijn-omgeving/zaken/[^"]+/verzoeken/(\d+))"', page)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    answer = resident.post(action.group(1), data={
        "csrf_token": token, f"verzoek-{action.group(2)}-document":
            (io.BytesIO(PDF), "huurcontract.pdf")}, content_type="multipart/form-data")
    assert answer.status_code == 302
    assert ASKED not in page_of(resident, "/mijn-omgeving")  # nothing left to send

    page = page_of(staff, f"{QUEUE}/{zaaknummer}")
    assert "huurcontract.pdf" in page
    download = re.search(rf'href="({QUEUE}/{zaaknummer}/documenten/[0-9a-f-]{{36}})"', page)
    file = staff.get(download.group(1))
    assert file.status_code == 200 and file.data == PDF
    # Another team's employee may not have it.
    assert login_as(app.test_client(), VERA).get(download.group(1)).status_code == 403


def test_a_row_the_zaaksysteem_cannot_complete_leaves_the_queue_standing(
        app, on_open_zaak, monkeypatch):
    store, zaaknummer = on_open_zaak

    def failing(zaak):
        raise RemoteUnavailable("Zaken API", "GET /rollen timed out")

    monkeypatch.setattr(type(store), "_rollen_and_status", lambda self, zaak: failing(zaak))
    staff = login_as(app.test_client(), BAS)
    staff.set_cookie("lang", "en")
    queue = page_of(staff, f"{QUEUE}?q={zaaknummer}&status=open")
    assert zaaknummer in queue and "Cannot be shown right now" in queue
