"""`flask notificaties subscribe` against a fake Notificaties API that holds it to the spec,
wants a ZGW JWT and, like Open Notificaties, checks the callback before it accepts it."""


import pytest
from joserfc import jwt
from joserfc.jwk import OctKey
from sqlalchemy import delete

from app import create_app
from app.notificaties.models import ReceivedNotification
from app.zgw_auth import ZgwTokenSource, zgw_jwt
from tests.conftest import make_config
from tests.fakes.notificaties import FakeNotificatiesApi

CLIENT_ID = "burgerportaal"
SECRET = "a-shared-secret-of-some-length-0123456789"
AUTH = "Bearer 5e4d3c2b1a0f9e8d7c6b5a4f"
CALLBACK = "https://portaal.elburg.example/notificaties/callback"


@pytest.fixture
def notificaties_api():
    api = FakeNotificatiesApi(client_id=CLIENT_ID, secret=SECRET).start()
    yield api
    api.stop()
    api.server.assert_no_violations()


@pytest.fixture
def portal(database_url, notificaties_api):
    """The portal, set up to subscribe; the test may change its config."""
    config = make_config(database_url, "http://127.0.0.1:9")
    config.NOTIFICATIES_API_URL = notificaties_api.base_url
    config.NOTIFICATIES_CALLBACK_AUTH = AUTH
    config.PORTAL_BASE_URL = "https://portaal.elburg.example/"
    config.ZGW_CLIENT_ID = CLIENT_ID
    config.ZGW_SECRET = SECRET
    return create_app(config)


def subscribe(portal, *args):
    return portal.test_cli_runner().invoke(args=["notificaties", "subscribe", *args])


def test_subscribe_creates_an_abonnement_for_zaken_documenten_and_besluiten(
        portal, notificaties_api):
    result = subscribe(portal)

    assert result.exit_code == 0, result.output
    [(key, abonnement)] = notificaties_api.abonnementen.items()
    assert abonnement == {
        "callbackUrl": CALLBACK, "auth": AUTH,
        "kanalen": [{"naam": "zaken", "filters": {}}, {"naam": "documenten", "filters": {}},
                    {"naam": "besluiten", "filters": {}}],
    }
    assert f"Abonnement created: {notificaties_api.base_url}/abonnement/{key}" in result.output


def test_subscribing_twice_makes_one_abonnement(portal, notificaties_api):
    first = subscribe(portal)
    second = subscribe(portal)

    assert second.exit_code == 0, second.output
    assert len(notificaties_api.abonnementen) == 1
    assert "Abonnement reused" in second.output
    assert len(notificaties_api.server.calls("POST", "/abonnement")) == 1
    assert first.output.split(": ", 1)[1].split()[0] == second.output.split(": ", 1)[1].split()[0]


def test_an_abonnement_on_our_callback_with_other_kanalen_is_put_right(portal,
                                                                       notificaties_api):
    url = notificaties_api.add_abonnement(CALLBACK, [{"naam": "zaken", "filters": {}}],
                                          auth="Bearer old")
    notificaties_api.add_abonnement("https://elders.example/callback",
                                    [{"naam": "zaken", "filters": {}}])

    result = subscribe(portal)

    assert result.exit_code == 0, result.output
    assert f"Abonnement updated: {url}" in result.output
    assert len(notificaties_api.abonnementen) == 2
    ours = notificaties_api.abonnementen[url.rsplit("/", 1)[1]]
    assert ours["auth"] == AUTH
    assert [kanaal["naam"] for kanaal in ours["kanalen"]] == ["zaken", "documenten",
                                                           "besluiten"]


def test_update_sends_a_changed_auth_to_the_existing_abonnement(portal, notificaties_api):
    subscribe(portal)
    portal.config["NOTIFICATIES_CALLBACK_AUTH"] = "Bearer rotated-0123456789"

    reused = subscribe(portal)
    updated = subscribe(portal, "--update")

    assert "Abonnement reused" in reused.output
    assert "Abonnement updated" in updated.output
    [abonnement] = notificaties_api.abonnementen.values()
    assert abonnement["auth"] == "Bearer rotated-0123456789"


def test_the_callback_url_setting_wins_over_the_base_url(portal, notificaties_api):
    portal.config["NOTIFICATIES_CALLBACK_URL"] = "https://intern.elburg.example/notificaties/callback"

    subscribe(portal)

    [abonnement] = notificaties_api.abonnementen.values()
    assert abonnement["callbackUrl"] == "https://intern.elburg.example/notificaties/callback"


@pytest.fixture
def inbox_cleared(portal):
    """The webhook commits from the fake's thread (outside the test's transaction)."""
    yield
    with portal.extensions["db"].sessionmaker.begin() as session:
        session.execute(delete(ReceivedNotification))


def test_subscribe_proves_the_callback_as_open_notificaties_does(portal, notificaties_api,
                                                                 inbox_cleared):
    """Open Notificaties posts a test notificatie with the auth given and wants 204: our
    own webhook, with the same settings, answers it."""
    client = portal.test_client()
    checked = []

    def post_to_the_portal(url, auth, message):
        checked.append(url)
        return client.post(url, json=message,
                           headers={"Authorization": auth}).status_code

    notificaties_api.check_callback = post_to_the_portal

    result = subscribe(portal)

    assert result.exit_code == 0, result.output
    assert checked == [CALLBACK]
    assert len(notificaties_api.abonnementen) == 1


def test_a_callback_the_notificaties_api_cannot_reach_is_reported(portal, notificaties_api):
    notificaties_api.check_callback = lambda url, auth, message: 403

    result = subscribe(portal)

    assert result.exit_code == 1
    assert "answered 400" in result.output
    assert "callbackUrl: De opgegeven callback URL kan geen notificaties ontvangen." in result.output
    assert notificaties_api.abonnementen == {}


def test_a_wrong_secret_is_refused(portal, notificaties_api):
    portal.config["ZGW_SECRET"] = "not-the-secret-but-long-enough-0123456789"

    result = subscribe(portal)

    assert result.exit_code == 1
    assert "credentials refused (403); check ZGW_CLIENT_ID and ZGW_SECRET" in result.output
    assert notificaties_api.abonnementen == {}


def test_an_outage_is_reported_as_one(portal, notificaties_api):
    notificaties_api.server.fail("GET", "/abonnement", status=503)

    result = subscribe(portal)

    assert result.exit_code == 1
    assert "try again later" in result.output


def test_missing_settings_are_named(portal):
    for name in ("NOTIFICATIES_API_URL", "ZGW_SECRET", "PORTAL_BASE_URL"):
        portal.config[name] = ""

    result = subscribe(portal)

    assert result.exit_code == 1
    assert "NOTIFICATIES_API_URL" in result.output and "ZGW_SECRET" in result.output
    assert "NOTIFICATIES_CALLBACK_URL (or PORTAL_BASE_URL)" in result.output


# --- the ZGW token ----------------------------------------------------------------------------


def test_zgw_jwt_carries_the_zgw_claims_signed_hs256():
    token = zgw_jwt(CLIENT_ID, SECRET, issued_at=1_700_000_000)

    decoded = jwt.decode(token, OctKey.import_key(SECRET), algorithms=["HS256"])
    assert decoded.header == {"alg": "HS256", "typ": "JWT"}
    assert decoded.claims == {"iss": CLIENT_ID, "iat": 1_700_000_000, "client_id": CLIENT_ID,
                              "user_id": CLIENT_ID, "user_representation": CLIENT_ID}


def test_the_token_source_renews_its_token_after_max_age():
    now = [1_700_000_000.0]
    source = ZgwTokenSource(CLIENT_ID, SECRET, max_age=300, clock=lambda: now[0])

    first = source()["Authorization"]
    now[0] += 299
    same = source()["Authorization"]
    now[0] += 2
    renewed = source()["Authorization"]

    assert first == same != renewed
    assert first.startswith("Bearer ")
    claims = jwt.decode(renewed.removeprefix("Bearer "), OctKey.import_key(SECRET)).claims
    assert claims["iat"] == 1_700_000_301


def test_no_token_without_client_id_or_secret():
    with pytest.raises(ValueError):
        zgw_jwt("", SECRET)
    with pytest.raises(ValueError):
        ZgwTokenSource(CLIENT_ID, "")
