"""The virus scan of uploads by a real clamd (tests/clamd_fixtures.py): a file with the
EICAR test string is refused, a clean one passes, and when clamd gives no verdict the
upload is refused too (fail closed) and the log says why."""

import io
import logging

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import FileStorage

from app import create_app
from app.config import TestConfig
from app.uploads import UploadRefused, accept_upload
from app.uploads.scanning import ClamdScanner, NoScan, ScannerUnavailable
from tests.clamd_fixtures import (  # noqa: F401
    EICAR_PDF,
    SIGNATURE,
    clamd,
    clamd_url,
    scanner_down,
    scanning,
)
from tests.conftest import free_port
from tests.factories import PDF


@pytest.mark.parametrize("transport", ["unix", "tcp"])
def test_clamd_finds_the_test_string_and_passes_a_clean_file(clamd, transport):
    scanner = ClamdScanner(clamd[transport], timeout=10)
    assert scanner.scan(EICAR_PDF).startswith(SIGNATURE)
    assert scanner.scan(PDF) is None


def test_a_file_over_clamds_limit_has_no_verdict(clamd_url):
    # clamd stops reading past its StreamMaxLength (2 MB here): not scanned is not clean.
    with pytest.raises(ScannerUnavailable, match="size limit"):
        ClamdScanner(clamd_url, timeout=10).scan(PDF + b"0" * (3 * 1024 * 1024))


@pytest.mark.parametrize("where", ["unix", "tcp"])
def test_no_clamd_at_the_address_has_no_verdict(tmp_path, where):
    url = f"unix://{tmp_path / 'clamd.sock'}" if where == "unix" else f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(ScannerUnavailable):
        ClamdScanner(url, timeout=2).scan(PDF)


def english_upload(app, content: bytes, name: str):
    with app.test_request_context("/"), force_locale("en"):
        return accept_upload(FileStorage(io.BytesIO(content), filename=name))


def test_an_infected_upload_is_refused_with_a_message_and_logged(app, scanning, caplog):
    caplog.set_level(logging.WARNING, logger="app.uploads")
    with pytest.raises(UploadRefused) as refusal:
        english_upload(app, EICAR_PDF, "factuur.pdf")
    assert refusal.value.reason == "infected"
    assert refusal.value.message == ("The file factuur.pdf contains a virus or other harmful "
                                     "software. We have not saved it")
    assert [r.getMessage() for r in caplog.records] == [
        f"Upload refused: the virus scanner found {SIGNATURE}.UNOFFICIAL"]
    assert english_upload(app, PDF, "factuur.pdf").content == PDF


def test_without_a_verdict_the_upload_is_refused_and_logged(app, scanner_down, caplog):
    caplog.set_level(logging.ERROR, logger="app.uploads")
    with pytest.raises(UploadRefused) as refusal:
        english_upload(app, PDF, "factuur.pdf")
    assert refusal.value.message == ("We cannot check the file factuur.pdf for viruses right "
                                     "now. Try again later")
    [record] = caplog.records
    assert record.getMessage().startswith("Upload refused: the virus scanner gave no verdict")
    assert "factuur" not in record.getMessage()


@pytest.mark.parametrize(("url", "scanner"), [
    ("", NoScan()),
    ("unix:///run/clamav/clamd.ctl", ClamdScanner("unix:///run/clamav/clamd.ctl", 30.0)),
    ("tcp://clamav:3310", ClamdScanner("tcp://clamav:3310", 30.0)),
])
def test_clamd_url_chooses_the_scanner(url, scanner):
    app = create_app(type("Config", (TestConfig,), {"CLAMD_URL": url}))
    assert repr(app.extensions["virus_scanner"]) == repr(scanner)


@pytest.mark.parametrize("url", ["clamav:3310", "http://clamav:3310", "unix://"])
def test_a_wrong_clamd_url_stops_the_app_at_start(url):
    with pytest.raises(ValueError, match="CLAMD_URL"):
        create_app(type("Config", (TestConfig,), {"CLAMD_URL": url}))
