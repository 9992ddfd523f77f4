"""Links that leave the portal (mail, the DigiD login) are built on PORTAL_BASE_URL, never on
the request's Host; a request for a host the portal is not is refused."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from app import create_app
from app.config import TestConfig
from app.db import get_session
from app.notifications.models import OutboxMessage
from tests.conftest import CLIENT_PRIVATE_KEY_FILE
from tests.eforms_fixtures import draft_id_of, form_rate_limit, post_page, start_form  # noqa: F401

PUBLIC = "https://portaal.elburg.example"


def _app(**settings):
    # Production also needs the DigiD client key (private_key_jwt).
    return create_app(type("Config", (TestConfig,), {
        "DATABASE_URL": "sqlite://", "OIDC_PRIVATE_KEY_FILE": CLIENT_PRIVATE_KEY_FILE, **settings}))


def _outbox_size(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(OutboxMessage))


def test_a_request_for_an_unknown_host_is_refused(client):
    assert client.get("/healthz").status_code == 200
    refused = client.get("/healthz", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert "evil.example" not in refused.get_data(as_text=True)


def test_continue_later_to_an_unknown_host_sends_no_mail(app, client, form_rate_limit):
    step = start_form(client, "melding-openbare-ruimte")
    later = f"/formulieren/melding-openbare-ruimte/{draft_id_of(step)}/later"
    page = client.get(later).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    before = _outbox_size(app)
    answer = client.post(later, data={"csrf_token": token, "email": "victim@example.org"},
                         headers={"Host": "evil.example"})
    assert answer.status_code == 400
    assert _outbox_size(app) == before


def test_the_continue_later_link_is_on_the_public_address(app, client, monkeypatch,
                                                          form_rate_limit):
    """The request comes in at another host this portal answers to (here: localhost)."""
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", PUBLIC)
    step = start_form(client, "melding-openbare-ruimte")
    post_page(client, f"/formulieren/melding-openbare-ruimte/{draft_id_of(step)}/later",
              {"email": "later@example.org"})
    with app.app_context():
        mail = get_session().scalar(select(OutboxMessage)
                                    .where(OutboxMessage.recipient == "later@example.org"))
    assert re.search(rf"{PUBLIC}/formulieren/hervatten/\S+", mail.text_body)
    assert "localhost" not in mail.text_body


def test_the_digid_redirect_uri_is_on_the_public_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", PUBLIC)
    started = client.get("/inloggen/digid")
    assert started.status_code == 302
    query = parse_qs(urlsplit(started.headers["Location"]).query)
    assert query["redirect_uri"] == [f"{PUBLIC}/inloggen/digid/callback"]


def test_production_does_not_start_without_the_public_address():
    # Production's other requirements met: limits in a shared store (not reached here), a
    # real payment provider.
    production = {"PORTAL_ENV": "production", "RATELIMIT_STORAGE_URI": "redis://redis.intern:6379",
                  "PAYMENT_PROVIDER": "mollie", "MOLLIE_API_KEY": "test_production"}
    with pytest.raises(RuntimeError, match="PORTAL_BASE_URL"):
        _app(**production, PORTAL_BASE_URL="")
    with pytest.raises(RuntimeError, match="PORTAL_BASE_URL"):
        _app(**production, PORTAL_BASE_URL="portaal.elburg.example")
    assert _app(**production, PORTAL_BASE_URL=PUBLIC + "/").config["PORTAL_BASE_URL"] == PUBLIC


def test_the_portal_answers_to_its_own_host_and_the_extra_ones_only():
    app = _app(PORTAL_BASE_URL=PUBLIC, PORTAL_EXTRA_HOSTS="10.0.0.5, .intern.elburg.example")
    browser = app.test_client()
    for host in ("portaal.elburg.example", "10.0.0.5:8000", "node1.intern.elburg.example"):
        assert browser.get("/healthz", headers={"Host": host}).status_code == 200, host
    for host in ("localhost", "portaal.elburg.example.evil.example", "evil.example"):
        assert browser.get("/healthz", headers={"Host": host}).status_code == 400, host


def test_behind_a_proxy_the_forwarded_host_is_checked():
    app = _app(PORTAL_BASE_URL=PUBLIC, PROXY_COUNT=1)
    browser = app.test_client()
    own = {"Host": "10.0.0.5", "X-Forwarded-Host": "portaal.elburg.example"}
    assert browser.get("/healthz", headers=own).status_code == 200
    forged = {"Host": "portaal.elburg.example", "X-Forwarded-Host": "evil.example"}
    assert browser.get("/healthz", headers=forged).status_code == 400


def test_a_development_machine_without_the_setting_uses_localhost(caplog):
    app = _app(PORTAL_BASE_URL="")
    assert app.config["PORTAL_BASE_URL"] == "http://localhost:5000"
    assert "PORTAL_BASE_URL is not set" in caplog.text
    browser = app.test_client()
    assert browser.get("/healthz", headers={"Host": "localhost:5000"}).status_code == 200
    assert browser.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
