"""DigiD login through the real mock provider: success, every refusal, sessions and logout."""

import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import select, update

from app import create_app
from app.auth.models import WebSession
from app.auth.sessions import hash_session_id, utcnow
from tests.conftest import CLIENT_PRIVATE_KEY_FILE, make_config
from tests.web.digid import (
    choose_persona,
    csrf_token,
    follow_callback,
    login,
    start_login,
)

FATIMA = "999990019"
PIOTR_BASIS = "999990044"


def session_cookie(client):
    return client.get_cookie("portal_session")


def test_login_returns_to_the_page_and_shows_the_name(client):
    response = login(client, FATIMA, next_path="/mijn-omgeving")
    assert response.status_code == 302
    assert response.headers["Location"] == "/mijn-omgeving"
    page = client.get("/mijn-omgeving").get_data(as_text=True)
    assert "Fatima El Amrani" in page
    assert FATIMA not in page


def test_session_cookie_is_a_random_id_renewed_at_login(client):
    start = start_login(client)
    before = session_cookie(client).value
    callback = choose_persona(start.headers["Location"], FATIMA)
    follow_callback(client, callback)
    cookie = session_cookie(client)
    assert cookie.value != before
    assert FATIMA not in cookie.value
    assert cookie.http_only and cookie.same_site == "Lax"


def test_the_session_lives_on_the_server(client, db_connection):
    login(client, FATIMA)
    rows = db_connection.execute(select(WebSession.id_hash)).scalars().all()
    assert session_cookie(client).value not in rows  # only a hash of the id is stored


def test_logout_ends_the_session_here_and_at_the_provider(client, mock_digid):
    login(client, FATIMA)
    page = client.get("/mijn-omgeving").get_data(as_text=True)
    token = csrf_token(page)
    response = client.post("/uitloggen", data={"csrf_token": token})
    assert response.headers["Location"].startswith(f"{mock_digid}/logout?")
    assert "id_token_hint" not in response.headers["Location"]  # it would carry the BSN
    assert client.get("/mijn-omgeving").status_code == 302


def test_logout_without_csrf_token_is_refused(client):
    login(client, FATIMA)
    assert client.post("/uitloggen").status_code == 400
    assert client.get("/mijn-omgeving").status_code == 200


@pytest.mark.parametrize(("bsn", "scenario", "status", "text"), [
    (FATIMA, "verlopen-token", 403, "We konden uw inlog niet controleren"),
    (FATIMA, "verkeerde-audience", 403, "We konden uw inlog niet controleren"),
    (FATIMA, "verkeerde-nonce", 403, "We konden uw inlog niet controleren"),
    (FATIMA, "ongeldige-handtekening", 403, "We konden uw inlog niet controleren"),
    (FATIMA, "verkeerde-issuer", 403, "We konden uw inlog niet controleren"),
    (FATIMA, "geen-bsn", 403, "We hebben uw burgerservicenummer niet ontvangen"),
    (FATIMA, "ongeldig-bsn", 403, "We hebben een onjuist burgerservicenummer ontvangen"),
    (FATIMA, "niveau-basis", 403, "Uw DigiD-inlog is niet veilig genoeg"),
    (PIOTR_BASIS, "normaal", 403, "Uw DigiD-inlog is niet veilig genoeg"),
    (None, "normaal", 200, "U heeft het inloggen afgebroken"),
])
def test_every_refused_login_explains_itself_and_logs_no_bsn(client, caplog, bsn, scenario,
                                                             status, text):
    caplog.set_level(logging.INFO)
    response = login(client, bsn, scenario)
    assert response.status_code == status
    assert text in response.get_data(as_text=True)
    assert "Probeer opnieuw in te loggen" in response.get_data(as_text=True)
    assert client.get("/mijn-omgeving").status_code == 302
    assert "login refused" in caplog.text
    assert FATIMA not in caplog.text and PIOTR_BASIS not in caplog.text


def test_a_callback_with_an_unknown_state_is_refused(client):
    start_login(client)
    response = client.get("/inloggen/digid/callback?code=abc&state=forged")
    assert response.status_code == 403
    assert "We konden uw inlog niet controleren" in response.get_data(as_text=True)


def test_provider_down_gives_a_clear_page(database_url, db_connection):
    from tests.conftest import CheckedClient, free_port

    app = create_app(make_config(database_url, f"http://127.0.0.1:{free_port()}"))
    app.test_client_class = CheckedClient
    response = app.test_client().get("/inloggen/digid")
    assert response.status_code == 503
    assert "DigiD is nu niet beschikbaar" in response.get_data(as_text=True)


def test_the_login_page_says_who_uses_the_bsn(client):
    page = client.get("/inloggen?next=/contact").get_data(as_text=True)
    assert "Gemeente Elburg gebruikt uw burgerservicenummer (BSN)" in page
    assert 'href="/inloggen/digid?next=/contact"' in page


def test_only_own_paths_are_followed_after_login(client):
    response = login(client, FATIMA, next_path="//evil.example/steal")
    assert response.headers["Location"] == "/"


def _age_session(client, db_connection, **ages):
    own_session = WebSession.id_hash == hash_session_id(session_cookie(client).value)
    db_connection.execute(update(WebSession).where(own_session).values(
        **{column: utcnow() - age for column, age in ages.items()}))


def test_idle_timeout_leads_to_the_session_expired_page(client, db_connection):
    login(client, FATIMA)
    _age_session(client, db_connection, last_seen_at=timedelta(minutes=16))
    response = client.get("/mijn-omgeving")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sessie-verlopen?next=")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "U bent uitgelogd" in page
    assert client.get("/mijn-omgeving").status_code == 302  # and stays logged out


def test_absolute_timeout_ends_even_an_active_session(client, db_connection):
    login(client, FATIMA)
    _age_session(client, db_connection, created_at=timedelta(hours=5))
    assert client.get("/mijn-omgeving").headers["Location"].startswith("/sessie-verlopen")


def test_logged_in_pages_carry_the_timeout_warning_settings(client):
    login(client, FATIMA)
    page = client.get("/mijn-omgeving").get_data(as_text=True)
    assert 'data-idle-seconds="900"' in page and 'data-warn-seconds="120"' in page


def test_stay_logged_in_renews_the_idle_timer(client, db_connection):
    login(client, FATIMA)
    _age_session(client, db_connection, last_seen_at=timedelta(minutes=14))
    page = client.get("/mijn-omgeving").get_data(as_text=True)
    token = csrf_token(page)
    response = client.post("/sessie/verlengen", headers={
        "Accept": "application/json", "X-CSRFToken": token})
    assert response.json == {"seconds_left": 900}
    last_seen = db_connection.execute(select(WebSession.last_seen_at).where(
        WebSession.id_hash == hash_session_id(session_cookie(client).value))).scalar_one()
    assert utcnow() - last_seen < timedelta(seconds=5)


def test_login_is_rate_limited(database_url, mock_digid, db_connection):
    from tests.conftest import CheckedClient

    config = make_config(database_url, mock_digid)
    config.LOGIN_RATE_LIMIT = "2 per minute"
    app = create_app(config)
    app.test_client_class = CheckedClient
    client = app.test_client()
    statuses = [client.get("/inloggen/digid").status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert "Te veel pogingen" in client.get("/inloggen/digid").get_data(as_text=True)


def test_the_login_asks_digid_for_the_minimum_level(client):
    location = start_login(client).headers["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["acr_values"] == ["urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"]


def test_the_portal_publishes_the_public_half_of_its_client_key(client):
    jwks = client.get("/.well-known/jwks.json").json
    published = KeySet.import_key_set(jwks).keys[0]
    with open(CLIENT_PRIVATE_KEY_FILE, "rb") as file:
        private = RSAKey.import_key(file.read())
    assert published.as_dict(private=False)["n"] == private.as_dict(private=False)["n"]
    assert "d" not in jwks["keys"][0]  # never the private part


def test_digid_refuses_the_portal_without_its_client_assertion(database_url, mock_digid,
                                                              db_connection, caplog):
    """The mock knows the portal's public key: a token request with the shared secret fails."""
    from tests.conftest import CheckedClient

    config = make_config(database_url, mock_digid)
    config.OIDC_CLIENT_AUTH = "client_secret_basic"
    app = create_app(config)
    app.test_client_class = CheckedClient
    response = login(app.test_client(), FATIMA)
    assert response.status_code == 403
    assert "We konden uw inlog niet controleren" in response.get_data(as_text=True)


@pytest.mark.parametrize(("settings", "message"), [
    ({"OIDC_CLIENT_AUTH": "client_secret_basic"}, "must be private_key_jwt in production"),
    ({"OIDC_PRIVATE_KEY_FILE": ""}, "Set OIDC_PRIVATE_KEY_FILE"),
])
def test_production_needs_private_key_jwt_with_a_configured_key(database_url, settings,
                                                                 message):
    config = make_config(database_url, "http://127.0.0.1:9")
    config.PORTAL_ENV = "production"
    config.RATELIMIT_STORAGE_URI = "redis://127.0.0.1:9/0"  # production's other demands
    config.PAYMENT_PROVIDER, config.MOLLIE_API_KEY = "mollie", "test_production"
    for name, value in settings.items():
        setattr(config, name, value)
    with pytest.raises(RuntimeError, match=message):
        create_app(config)


def test_the_digid_button_has_logius_text_and_the_official_logo_beside_it(database_url,
                                                                         mock_digid,
                                                                         db_connection):
    from tests.conftest import CheckedClient

    config = make_config(database_url, mock_digid)
    config.DIGID_LOGO_URL = "/static/img/digid-logo.svg"
    app = create_app(config)
    app.test_client_class = CheckedClient
    page = app.test_client().get("/inloggen?next=/contact").get_data(as_text=True)
    button = page[page.index('<div class="utrecht-digid-button">'):]
    button = button[:button.index("</div>")]
    assert '<img class="utrecht-logo digid-logo" src="/static/img/digid-logo.svg" alt=""' in button
    assert button.index("<img") < button.index('href="/inloggen/digid?next=/contact">Inloggen met DigiD</a>')
