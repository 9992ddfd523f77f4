"""What residents and partners upload reaches staff as what it is, whichever way it came
in (an e-form, a document the municipality asked for, a correction's evidence, the back
office, the API): under its name with the extension of its real type, downloaded with that
type, a photo without where it was taken, and with ClamAV configured never with a virus;
a refused file is refused at its field and nothing else that was typed is lost."""

import io
import logging
import re

import pytest
from PIL import Image

from app.db import get_session
from app.uploads.scanning import EXTENSION_KEY, ClamdScanner
from app.zaken.services import get_zaak
from app.zaken.store import NewDocument, get_zaken_store
from tests.api.test_zaken_api import document_body
from tests.api_fixtures import api, b64  # noqa: F401
from tests.backoffice_fixtures import PDF, form_fields, new_zaak
from tests.clamd_fixtures import (  # noqa: F401
    EICAR,
    EICAR_PDF,
    clamd,
    clamd_url,
    scanner_down,
    scanning,
)
from tests.eforms_fixtures import form_csrf, form_rate_limit, post_page, start_form  # noqa: F401
from tests.images import GPS_IFD, PNG, jpeg, phone_exif
from tests.login import login_as
from tests.personas import FATIMA
from tests.web.staff import login_staff
from tests.web.test_eforms import _zaaknummer, walk_melding
from tests.web.test_pip_zaken import upload_path_and_token

QUEUE = "/backoffice/zaken"
pytestmark = pytest.mark.usefixtures("form_rate_limit")
EICAR_PHOTO = jpeg(icc_profile=EICAR)   # hidden where the metadata removal keeps it


def documents(app, zaaknummer: str) -> list[tuple[str, str, int]]:
    with app.app_context():
        return [(d.bestandsnaam, d.formaat, d.id)
                for d in get_zaak(get_session(), zaaknummer).documenten]


def staff_download(app, zaaknummer: str, document_id: int, employee: str = "bas"):
    """The document as an employee of the zaak's team downloads it from the zaak page
    (olaf: openbare ruimte, where reports go)."""
    client = app.test_client()
    login_staff(client, employee)
    page = client.get(f"{QUEUE}/{zaaknummer}").get_data(as_text=True)
    answer = client.get(f"{QUEUE}/{zaaknummer}/documenten/{document_id}")
    assert answer.status_code == 200
    return page, answer


def answer_request(client, zaaknummer: str, content: bytes, name: str):
    path, field, token = upload_path_and_token(client, zaaknummer)
    return client.post(path, data={"csrf_token": token, field: (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


# --------------------------------------------------------------------------- names and types


def test_a_pdf_named_scan_bat_reaches_staff_as_scan_pdf(client, app):
    zaaknummer = new_zaak(app, requests=["Een kopie van uw huurcontract"])
    login_as(client, FATIMA)
    assert answer_request(client, zaaknummer, PDF, "scan.bat").status_code == 302
    resident_page = client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    assert "scan.pdf" in resident_page and "scan.bat" not in resident_page
    [(name, formaat, document_id)] = documents(app, zaaknummer)
    assert (name, formaat) == ("scan.pdf", "application/pdf")
    page, download = staff_download(app, zaaknummer, document_id)
    assert "scan.pdf" in page and "scan.bat" not in page
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == "attachment; filename=scan.pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.data == PDF


def test_a_png_named_photo_png_exe_in_an_eform_reaches_staff_as_photo_png(client, app):
    check = walk_melding(client, PNG, photo_name="photo.png.exe")
    assert "photo.png" in client.get(check).get_data(as_text=True)
    zaaknummer = _zaaknummer(client, post_page(client, check, {}).headers["Location"])
    [(name, formaat, document_id)] = documents(app, zaaknummer)
    assert (name, formaat) == ("photo.png", "image/png")
    _page, download = staff_download(app, zaaknummer, document_id, "olaf")
    assert download.mimetype == "image/png"
    assert download.headers["Content-Disposition"] == "attachment; filename=photo.png"


def test_a_pdf_named_brief_html_added_by_staff_is_brief_pdf(client, app):
    zaaknummer = new_zaak(app)
    login_staff(client, "bas")
    page = client.get(f"{QUEUE}/{zaaknummer}").get_data(as_text=True)
    path, fields = form_fields(page, "/documenten")
    prefix = next(name for name in fields if name.endswith("csrf_token")).split("-")[0]
    answer = client.post(path, data={**fields, f"{prefix}-titel": "Brief aan bewoner",
                                     f"{prefix}-vertrouwelijkheidaanduiding": "intern",
                                     f"{prefix}-document": (io.BytesIO(PDF), "brief.html")},
                         content_type="multipart/form-data")
    assert answer.status_code == 302
    assert [(name, formaat) for name, formaat, _ in documents(app, zaaknummer)] == [
        ("brief.pdf", "application/pdf")]


def test_a_document_a_partner_adds_is_kept_under_the_name_of_its_type(api):
    api.partner()
    zaak = api.zaak()
    response = api.post(f"/zaken/{zaak}/documenten", document_body(bestandsnaam="indicatie.bat"))
    assert response.status_code == 201
    assert response.get_json()["bestandsnaam"] == "indicatie.pdf"


def test_a_document_kept_under_an_unsafe_name_is_served_under_a_safe_one(client, app):
    # Kept before this rule (or by another system): served as what its content is.
    zaaknummer = new_zaak(app)
    with app.app_context():
        get_zaken_store(get_session()).add_document(zaaknummer, NewDocument(
            titel="Oud", bestandsnaam="scan.bat", formaat="application/x-msdownload",
            content=PDF), added_by="test")
        get_session().commit()
    [(_name, _formaat, document_id)] = documents(app, zaaknummer)
    _page, download = staff_download(app, zaaknummer, document_id)
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == "attachment; filename=scan.pdf"


# --------------------------------------------------------------------------- photos


def test_a_jpeg_with_gps_exif_reaches_staff_without_it(client, app):
    photo = jpeg(phone_exif())
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_IFD)
    check = walk_melding(client, photo, photo_name="lantaarnpaal.jpg")
    zaaknummer = _zaaknummer(client, post_page(client, check, {}).headers["Location"])
    [(name, formaat, document_id)] = documents(app, zaaknummer)
    assert (name, formaat) == ("lantaarnpaal.jpg", "image/jpeg")
    _page, download = staff_download(app, zaaknummer, document_id, "olaf")
    kept = Image.open(io.BytesIO(download.data))
    assert not kept.getexif().get_ifd(GPS_IFD) and b"Fairphone" not in download.data
    assert kept.tobytes() == Image.open(io.BytesIO(photo)).tobytes()


# --------------------------------------------------------------------------- virus scan


def test_an_infected_file_is_refused_at_the_field_of_an_eform(client, app, scanning):
    step = start_form(client, "melding-openbare-ruimte")
    post_page(client, step, {"soort": "afval", "omschrijving": "Zwerfvuil bij de markt"})
    post_page(client, step.replace("/soort", "/locatie"),
              {"locatie_soort": "beschrijving", "locatie_beschrijving": "Markt"})
    photo_step = step.replace("/soort", "/foto")
    page = post_page(client, photo_step, {"foto": (io.BytesIO(EICAR_PHOTO), "zwerfvuil.jpg")},
                     content_type="multipart/form-data")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<title>Fout:" in html and 'href="#foto"' in html
    assert ("In het bestand zwerfvuil.jpg zit een virus of andere schadelijke software. "
            "We hebben het niet bewaard") in html
    assert "remove-file-" not in client.get(photo_step).get_data(as_text=True)  # not kept
    # The earlier answers are kept; a clean photo goes on.
    assert "Zwerfvuil bij de markt" in client.get(step).get_data(as_text=True)
    again = post_page(client, photo_step, {"foto": (io.BytesIO(PNG), "zwerfvuil.png"),
                                           "action": "continue"},
                      content_type="multipart/form-data")
    assert again.status_code == 302


def test_an_infected_document_is_refused_at_the_field_in_mijn_zaken(client, app, scanning):
    zaaknummer = new_zaak(app, requests=["Een kopie van uw huurcontract"])
    login_as(client, FATIMA)
    client.get("/taal/en?next=/")
    answer = answer_request(client, zaaknummer, EICAR_PDF, "huurcontract.pdf")
    assert answer.status_code == 400
    assert ("The file huurcontract.pdf contains a virus or other harmful software. "
            "We have not saved it") in answer.get_data(as_text=True)
    assert documents(app, zaaknummer) == []
    assert answer_request(client, zaaknummer, PDF, "huurcontract.pdf").status_code == 302


def test_an_infected_evidence_keeps_what_the_resident_typed(client, app, scanning):
    login_as(client, FATIMA)
    client.get("/taal/en?next=/")
    url = "/mijn-omgeving/gegevens/correctie?veld=achternaam"
    form = client.get(url).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', form).group(1)
    answer = client.post(url, data={"csrf_token": form_csrf(form), "token": token,
                                    "wat_is_fout": "Mijn naam is fout gespeld",
                                    "juiste_waarde": "El-Amrani",
                                    "bewijs": (io.BytesIO(EICAR_PDF), "paspoort.pdf")},
                         content_type="multipart/form-data")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "The file paspoort.pdf contains a virus or other harmful software" in html
    assert 'href="#bewijs"' in html
    assert "Mijn naam is fout gespeld" in html and 'value="El-Amrani"' in html


def test_with_the_scanner_down_an_upload_is_refused_for_now_and_logged(client, app, scanner_down,
                                                                       caplog):
    caplog.set_level(logging.ERROR, logger="app.uploads")
    zaaknummer = new_zaak(app, requests=["Een kopie van uw huurcontract"])
    login_as(client, FATIMA)
    answer = answer_request(client, zaaknummer, PDF, "huurcontract.pdf")
    assert answer.status_code == 400
    assert ("We kunnen het bestand huurcontract.pdf nu niet op virussen controleren. "
            "Probeer het later opnieuw") in answer.get_data(as_text=True)
    assert documents(app, zaaknummer) == []
    [record] = caplog.records
    assert "virus scanner gave no verdict" in record.getMessage()
    assert FATIMA not in record.getMessage() and "huurcontract" not in record.getMessage()


def test_the_api_refuses_an_infected_document_and_answers_503_without_a_scanner(
        api, app, clamd_url, tmp_path, monkeypatch):
    api.partner()
    zaak = api.zaak()
    monkeypatch.setitem(app.extensions, EXTENSION_KEY, ClamdScanner(clamd_url, timeout=10))
    infected = api.post(f"/zaken/{zaak}/documenten", document_body(inhoud=b64(EICAR_PDF)))
    assert infected.status_code == 400
    assert [p["code"] for p in infected.get_json()["invalidParams"]] == ["virus"]
    monkeypatch.setitem(app.extensions, EXTENSION_KEY,
                        ClamdScanner(f"unix://{tmp_path / 'none.sock'}", timeout=2))
    down = api.post(f"/zaken/{zaak}/documenten", document_body())
    assert down.status_code == 503 and down.headers["Retry-After"] == "60"
