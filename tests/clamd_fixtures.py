"""A real ClamAV daemon for the upload tests, started once per test session on a unix
socket in a temporary folder, with a signature database made here (there is no
freshclam without internet): one signature, for the EICAR anti-virus test string
anywhere in a file. Tests that use it are skipped when clamd is not installed
(`apt-get install clamav-daemon`; .ci/run installs it)."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from app.uploads.scanning import EXTENSION_KEY, ClamdScanner
from tests.conftest import free_port

# The EICAR test string, in two parts so this file is not itself taken for one.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Portal-Test-EICAR"
# A PDF that carries the test string: it passes the type check, so only the scan stops it.
EICAR_PDF = b"%PDF-1.4\n% " + EICAR + b"\n%%EOF\n"


def _clamd() -> str | None:
    return shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    """A clamd that knows the EICAR test string: its CLAMD_URLs, on a unix socket and TCP."""
    clamd = _clamd()
    if clamd is None:
        pytest.skip("clamd is not installed (apt-get install clamav-daemon)")
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    (folder / "db" / "portal-test.ndb").write_text(f"{SIGNATURE}:0:*:{EICAR.hex()}\n")
    socket_path, port = folder / "clamd.sock", free_port()
    (folder / "clamd.conf").write_text(
        f"DatabaseDirectory {folder / 'db'}\nLocalSocket {socket_path}\n"
        f"TemporaryDirectory {folder}\nPidFile {folder / 'clamd.pid'}\n"
        f"LogFile {folder / 'clamd.log'}\nForeground yes\n"
        f"TCPSocket {port}\nTCPAddr 127.0.0.1\n"
        # Small, so the test of a file over clamd's limit needs no big file.
        "StreamMaxLength 2M\n")
    process = subprocess.Popen([clamd, "-c", str(folder / "clamd.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not socket_path.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start: {log[-2000:]}")
            time.sleep(0.05)
        yield {"unix": f"unix://{socket_path}", "tcp": f"tcp://127.0.0.1:{port}"}
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def clamd_url(clamd):
    return clamd["unix"]


@pytest.fixture
def scanning(app, clamd_url, monkeypatch):
    """The app scans uploads with the test clamd, as with CLAMD_URL set."""
    monkeypatch.setitem(app.extensions, EXTENSION_KEY, ClamdScanner(clamd_url, timeout=10))


@pytest.fixture
def scanner_down(app, tmp_path, monkeypatch):
    """CLAMD_URL is set, but no clamd answers there."""
    monkeypatch.setitem(app.extensions, EXTENSION_KEY,
                        ClamdScanner(f"unix://{tmp_path / 'no-clamd.sock'}", timeout=2))
