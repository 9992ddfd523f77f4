"""The upload rules (app.uploads), the same for e-forms, Mijn zaken, corrections, the back
office and the API: type from the content, size from the settings, a safe name, one set of
refusal messages."""

import io

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import FileField, Form

from app.api.openapi import DOCUMENT_FORMATS
from app.uploads import (
    MB,
    MEDIA_TYPES,
    AcceptedFile,
    AcceptedUpload,
    UploadRefused,
    accept_upload,
    check_upload,
    safe_filename,
    served_file,
)
from tests.images import JPEG, PNG

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def posted(content: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name)


@pytest.fixture
def english(app):
    with app.test_request_context("/"), force_locale("en"):
        yield


def test_a_pdf_is_accepted_as_a_pdf(english):
    assert accept_upload(posted(PDF, "besluit.pdf")) == AcceptedFile(
        "besluit.pdf", "application/pdf", PDF)


def test_an_html_file_renamed_pdf_is_refused_with_the_message(english):
    with pytest.raises(UploadRefused) as refusal:
        accept_upload(posted(HTML, "besluit.pdf"))
    assert refusal.value.reason == "wrong_type"
    assert refusal.value.message == "The file besluit.pdf is not a PDF, JPG, PNG file"


def test_the_refusal_is_in_the_pages_language(app):
    with app.test_request_context("/"), force_locale("nl"), pytest.raises(UploadRefused) as refusal:
        accept_upload(posted(HTML, "besluit.pdf"), accept=("jpg", "png"))
    assert refusal.value.message == "Het bestand besluit.pdf is geen JPG, PNG-bestand"


def test_too_large_is_refused_with_the_size_from_the_settings(app, english, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_MB", 1)
    upload = posted(PDF + b"0" * (3 * MB), "scan.pdf")
    with pytest.raises(UploadRefused) as refusal:
        accept_upload(upload)
    assert refusal.value.reason == "too_big"
    assert refusal.value.message == ("The file scan.pdf is too big. "
                                     "Choose a file of at most 1 MB")
    assert upload.stream.tell() == MB + 1  # the rest of a big file is never read


def test_a_form_field_may_set_its_own_limit(english):
    with pytest.raises(UploadRefused, match="too_big") as refusal:
        accept_upload(posted(PDF + b"0" * (2 * MB), "scan.pdf"), max_mb=2)
    assert "at most 2 MB" in refusal.value.message
    assert accept_upload(posted(PDF, "scan.pdf"), max_mb=2).formaat == "application/pdf"


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"), (b"GIF89a....", "wrong_type"), (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "too_big"),
])
def test_uploads_are_refused_on_content(content, reason):
    with pytest.raises(UploadRefused) as refusal:
        check_upload(content, accept=("jpg", "png"), max_bytes=50, files_so_far=0, max_files=1)
    assert refusal.value.reason == reason


def test_upload_count_limit_and_pdf_by_content():
    assert check_upload(b"%PDF-1.7", accept=("pdf",), max_bytes=50, files_so_far=0, max_files=1) == "pdf"
    with pytest.raises(UploadRefused, match="too_many"):
        check_upload(b"%PDF-1.7", accept=("pdf",), max_bytes=50, files_so_far=1, max_files=1)


@pytest.mark.parametrize(("name", "safe"), [
    ("C:\\scans\\besluit.pdf", "besluit.pdf"), ("../../etc/passwd", "passwd"),
    ("brief\x00\n.pdf", "brief.pdf"), ("", "bestand"), (None, "bestand"), ("a" * 300, "a" * 120),
])
def test_a_file_name_is_only_its_own_printable_name(name, safe):
    assert safe_filename(name) == safe


class EvidenceForm(Form):
    document = FileField(validators=[AcceptedUpload()])
    bijlage = FileField(validators=[AcceptedUpload(required=False)])


def test_the_validator_hands_over_the_accepted_file(english):
    form = EvidenceForm(MultiDict({"document": posted(PDF, "huur.pdf")}))
    assert form.validate()
    assert form.document.accepted.name == "huur.pdf" and form.bijlage.accepted is None


def test_the_validator_refuses_with_the_message(english):
    form = EvidenceForm(MultiDict({"bijlage": posted(HTML, "brief.pdf")}))
    assert not form.validate()
    assert form.document.errors == ["Choose a file"]
    assert form.bijlage.errors == ["The file brief.pdf is not a PDF, JPG, PNG file"]


def test_the_api_offers_the_types_the_rules_accept():
    assert DOCUMENT_FORMATS == MEDIA_TYPES


# --------------------------------------------------------------------------- the name kept


@pytest.mark.parametrize(("name", "content", "kept"), [
    ("scan.bat", PDF, "scan.pdf"),
    ("brief.html", PDF, "brief.pdf"),
    ("photo.png.exe", PNG, "photo.png"),
    ("scan.pdf.exe", PDF, "scan.pdf"),
    ("besluit.pdf", PDF, "besluit.pdf"),
    ("Vakantie.JPEG", JPEG, "Vakantie.jpg"),
    ("foto.png", JPEG, "foto.jpg"),          # the content decides, not the name
    ("huurcontract", PDF, "huurcontract.pdf"),
    ("Brief 12.03.2026", PDF, "Brief 12.03.2026.pdf"),
    ("C:\\scans\\akte \"geboorte\"; x.pdf", PDF, "akte _geboorte__ x.pdf"),
    ("Ünïcode façade.pdf", PDF, "Ünïcode façade.pdf"),
    ("foto\u202egnp.exe", PNG, "fotognp.png"),   # no right-to-left trick: exe.png shown as png
    (".htaccess", PDF, "bestand.pdf"),
    ("  ..pdf", PDF, "bestand.pdf"),
    ("a" * 300 + ".bat", PDF, "a" * 100 + ".pdf"),
])
def test_a_file_is_kept_under_its_name_with_the_extension_of_its_content(english, name, content,
                                                                           kept):
    accepted = accept_upload(posted(content, name))
    assert accepted.name == kept
    assert accepted.formaat == {"pdf": "application/pdf", "png": "image/png",
                                "jpg": "image/jpeg"}[kept.rpartition(".")[2]]


def test_a_pdf_named_scan_bat_is_kept_as_scan_pdf(english):
    assert accept_upload(posted(PDF, "scan.bat")) == AcceptedFile(
        "scan.pdf", "application/pdf", PDF)


def test_a_refusal_names_the_file_as_the_uploader_knows_it(english):
    with pytest.raises(UploadRefused) as refusal:
        accept_upload(posted(HTML, "brief.html"))
    assert refusal.value.message == "The file brief.html is not a PDF, JPG, PNG file"


@pytest.mark.parametrize(("stored", "content", "served"), [
    ("scan.bat", PDF, ("scan.pdf", "application/pdf")),    # kept before names were made safe
    ("lamp.png", PNG, ("lamp.png", "image/png")),
    ("aanvraaggegevens.json", b'{"a": 1}', ("aanvraaggegevens.json", "application/octet-stream")),
    ("brief.html", HTML, ("brief.html", "application/octet-stream")),
    ("a\"b\r\n.txt", b"text", ("a_b.txt", "application/octet-stream")),
    ("x" * 200 + ".docx", b"PK", ("x" * 100 + ".docx", "application/octet-stream")),
])
def test_a_file_is_served_as_what_its_content_is(stored, content, served):
    assert served_file(stored, content) == served
