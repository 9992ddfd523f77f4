"""Shared fixtures: a migrated database, a real mock DigiD process, the app and a checked client.

The database comes from the Alembic migrations (never create_all); each test
runs inside a transaction that is rolled back (SQLAlchemy's
join_transaction_mode="create_savepoint" recipe). TEST_DATABASE_URL points the
whole suite at PostgreSQL; without it the suite uses a SQLite file.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import warnings

import pytest
import requests
from alembic import command
from flask.testing import FlaskClient
from joserfc.jwk import RSAKey

from app import create_app
from app.auth.client_key import public_jwks
from app.cli import alembic_config
from app.config import TestConfig
from app.db import get_session
from app.seed import seed_all
from bench.page_weight import decoded
from tests.nuchecker import PAGES, in_ci, unavailable_reason
from tests.pagecheck import check_page

TEST_CLIENT_ORIGIN = "http://localhost"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            requests.get(url, timeout=1).raise_for_status()
            return
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal-test.db'}")
    config = alembic_config(url)
    # Downgrading first proves the downgrades and lets a rerun on PostgreSQL start clean.
    command.downgrade(config, "base")
    command.upgrade(config, "heads")
    return url


@pytest.fixture(scope="session")
def live_server_port() -> int:
    """Chosen early: the mock DigiD must know the browser tests' redirect URI."""
    return free_port()


def _client_key_files() -> tuple[str, str]:
    """The portal's private_key_jwt key pair for the suite: the private key for the portal's
    OIDC_PRIVATE_KEY_FILE, its public JWKS for the mock DigiD's --client-jwks (the test client
    has no address the mock could read /.well-known/jwks.json from)."""
    folder = tempfile.mkdtemp(prefix="portal-test-oidc-key-")
    key = RSAKey.generate_key(2048)
    private_file, jwks_file = os.path.join(folder, "key.pem"), os.path.join(folder, "jwks.json")
    with open(private_file, "wb") as file:
        file.write(key.as_pem(private=True))
    with open(jwks_file, "w", encoding="utf-8") as file:
        json.dump(public_jwks(key), file)
    return private_file, jwks_file


CLIENT_PRIVATE_KEY_FILE, CLIENT_JWKS_FILE = _client_key_files()

# The mock payment provider's address, known before it starts: every app the suite makes
# points PAYMENT_PROVIDER=mock there; tests that pay start it with the fixture mock_psp.
MOCK_PSP_URL = f"http://127.0.0.1:{free_port()}"


def run_mock_provider(live_server_port: int, callback_path: str, *options: str):
    """Start `python -m mock_digid` on a free port for the test client and the live server;
    yields its issuer URL."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    live_origin = f"http://127.0.0.1:{live_server_port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_digid", *options, "--port", str(port), "--issuer", issuer,
         "--redirect-uri", f"{TEST_CLIENT_ORIGIN}{callback_path}",
         "--redirect-uri", f"{live_origin}{callback_path}",
         "--post-logout-redirect-uri", f"{TEST_CLIENT_ORIGIN}/",
         "--post-logout-redirect-uri", f"{live_origin}/"],
    )
    try:
        wait_for(f"{issuer}/.well-known/openid-configuration")
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def mock_digid(live_server_port):
    yield from run_mock_provider(live_server_port, "/inloggen/digid/callback",
                                 "--client-jwks", CLIENT_JWKS_FILE)


@pytest.fixture(scope="session")
def mock_psp():
    """`python -m mock_psp` at MOCK_PSP_URL, its bank confirming the "late" scenario after
    2 seconds; yields its URL."""
    port = MOCK_PSP_URL.rsplit(":", 1)[1]
    process = subprocess.Popen([sys.executable, "-m", "mock_psp", "--port", port,
                                "--late-seconds", "2", "--webhook-retry-seconds", "1"])
    try:
        wait_for(f"{MOCK_PSP_URL}/healthz")
        yield MOCK_PSP_URL
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def mock_staff_idp(live_server_port):
    """The municipality's identity provider for staff: the mock in --staff mode."""
    yield from run_mock_provider(live_server_port, "/backoffice/inloggen/callback", "--staff")


DOCUMENTS_DIR = tempfile.mkdtemp(prefix="portal-test-documents-")


def make_config(database_url: str, issuer: str, staff_issuer: str = "http://127.0.0.1:9",
                base_url: str = TEST_CLIENT_ORIGIN) -> type[TestConfig]:
    """Test settings; without a staff_issuer, staff logins meet a closed port. base_url: where
    the app is served (the test client's origin, or the live server's)."""
    class Config(TestConfig):
        PORTAL_BASE_URL = base_url
        DATABASE_URL = database_url
        OIDC_DISCOVERY_URL = f"{issuer}/.well-known/openid-configuration"
        STAFF_OIDC_DISCOVERY_URL = f"{staff_issuer}/.well-known/openid-configuration"
        DOCUMENTS_PATH = DOCUMENTS_DIR
        OIDC_PRIVATE_KEY_FILE = CLIENT_PRIVATE_KEY_FILE
        PAYMENT_PROVIDER = "mock"
        MOCK_PSP_URL = globals()["MOCK_PSP_URL"]

    return Config


class CheckedClient(FlaskClient):
    """A test client that runs the page checker on every HTML response (compressed too,
    when a test asked for it with Accept-Encoding), and keeps the page for the Nu Html
    Checker's run at the end of the session."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html":
            html = decoded(response.get_data(), response.headers.get("Content-Encoding", "")).decode("utf-8")
            check_page(html)
            request = response.request
            PAGES.add(html, f"{request.method} {request.full_path.rstrip('?')} -> {response.status_code}")
        return response


@pytest.fixture(scope="session", autouse=True)
def nu_html_checker(tmp_path_factory):
    """After the last test: every page the test client rendered goes through the W3C Nu Html
    Checker in one batch; any error fails the session. Without Java the check is skipped with
    a warning, except in CI (the CI variable is set), where that is a failure."""
    yield
    if not PAGES.pages:
        return
    reason = unavailable_reason()
    if reason and in_ci():
        pytest.fail(f"the Nu Html Checker cannot run in CI: {reason}")
    if reason:
        warnings.warn(pytest.PytestWarning(
            f"{len(PAGES.pages)} pages not checked by the Nu Html Checker: {reason}"), stacklevel=1)
        return
    errors = PAGES.check(tmp_path_factory.mktemp("nu-pages"))
    if errors:
        pytest.fail("the Nu Html Checker found errors:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture(scope="session")
def app(database_url, mock_digid, mock_staff_idp):
    app = create_app(make_config(database_url, mock_digid, mock_staff_idp))
    app.test_client_class = CheckedClient
    with app.app_context():
        seed_all(get_session())
    return app


@pytest.fixture
def db_connection(app):
    database = app.extensions["db"]
    connection = database.engine.connect()
    transaction = connection.begin()
    database.sessionmaker.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield connection
    finally:
        database.sessionmaker.configure(bind=database.engine,
                                        join_transaction_mode="conditional_savepoint")
        transaction.rollback()
        connection.close()


@pytest.fixture
def client(app, db_connection):
    return app.test_client()
