"""The mock DigiD as the portal meets it: discovery, code flow with PKCE, scenarios and logout."""

import base64
import hashlib
import json
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import html5lib
import pytest
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet, RSAKey
from stdnum.nl import bsn as bsn_check

from app.auth.client_key import key_id, public_jwks
from mock_digid import Settings, create_app, provider
from mock_digid.personas import ACR_BY_LOA
from mock_digid.scenarios import SCENARIOS
from mock_digid.settings import parse_settings
from tests.personas import FATIMA, JOHANNES, PIOTR, SANNE

ISSUER = "http://localhost:5001"
REDIRECT_URI = "http://localhost:5000/inloggen/digid/callback"
CLIENT_SECRET_AUTH = {"Authorization": "Basic " + base64.b64encode(b"portaal:portaal-secret").decode()}
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
PORTAL_KEY = RSAKey.generate_key(2048)


@pytest.fixture(scope="module")
def portal_jwks_file(tmp_path_factory):
    """The portal's public key, registered with the mock as a JWKS file."""
    path = tmp_path_factory.mktemp("client-keys") / "jwks.json"
    path.write_text(json.dumps(public_jwks(PORTAL_KEY)))
    return str(path)


@pytest.fixture(scope="module")
def app(portal_jwks_file):
    return create_app(Settings(client_jwks=portal_jwks_file))


def client_assertion(key=PORTAL_KEY, **claims) -> dict[str, str]:
    """The form fields of a private_key_jwt client assertion (RFC 7523), as the portal sends."""
    now = int(time.time())
    payload = {"iss": "portaal", "sub": "portaal", "aud": f"{ISSUER}/token", "iat": now,
               "exp": now + 60, "jti": secrets.token_urlsafe(16), **claims}
    token = jwt.encode({"alg": "RS256", "kid": key_id(PORTAL_KEY)}, payload, key, ["RS256"])
    return {"client_assertion_type": ASSERTION_TYPE, "client_assertion": token}


@pytest.fixture
def client(app):
    return app.test_client()


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_url(challenge: str, **overrides) -> str:
    params = {
        "response_type": "code",
        "client_id": "portaal",
        "redirect_uri": REDIRECT_URI,
        "scope": "openid",
        "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **overrides,
    }
    return "/authorize?" + urlencode({key: value for key, value in params.items() if value is not None})


def query_of(response) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(response.headers["Location"]).query).items()}


def log_in(client, bsn=FATIMA, scenario="normaal"):
    """Pick a persona on the mock's page; returns the callback query, the sent request and the verifier."""
    verifier, challenge = pkce_pair()
    url = authorize_url(challenge)
    assert client.get(url).status_code == 200
    response = client.post(url, data={"account": bsn, "scenario": scenario})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(REDIRECT_URI + "?")
    sent = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    return query_of(response), sent, verifier


def redeem(client, code, verifier, headers=None, auth=None, **extra):
    """The token request; authenticated with a fresh client assertion unless `auth` (form
    fields) or `headers` say otherwise."""
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier}
    if auth is None:
        auth = {} if headers else client_assertion()
    return client.post("/token", data={**form, **auth, **extra}, headers=headers or {})


def verified_claims(client, id_token) -> dict:
    keys = KeySet.import_key_set(client.get("/jwks").json)
    return jwt.decode(id_token, keys, algorithms=["RS256"]).claims


def id_token_claims(client, scenario="normaal", bsn=FATIMA):
    callback, sent, verifier = log_in(client, bsn, scenario)
    response = redeem(client, callback["code"], verifier)
    assert response.status_code == 200, response.json
    return verified_claims(client, response.json["id_token"]), sent


def test_discovery_document(client):
    document = client.get("/.well-known/openid-configuration").json
    assert document["issuer"] == ISSUER
    assert document["authorization_endpoint"] == f"{ISSUER}/authorize"
    assert document["token_endpoint"] == f"{ISSUER}/token"
    assert document["jwks_uri"] == f"{ISSUER}/jwks"
    assert document["userinfo_endpoint"] == f"{ISSUER}/userinfo"
    assert document["end_session_endpoint"] == f"{ISSUER}/logout"
    assert document["response_types_supported"] == ["code"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert "private_key_jwt" in document["token_endpoint_auth_methods_supported"]
    assert set(document["acr_values_supported"]) == set(ACR_BY_LOA.values())
    assert "bsn" in document["claims_supported"]


def test_code_flow_gives_a_verifiable_id_token(client):
    callback, sent, verifier = log_in(client)
    assert callback["state"] == sent["state"]
    response = redeem(client, callback["code"], verifier)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    claims = verified_claims(client, response.json["id_token"])
    assert claims["iss"] == ISSUER
    assert claims["aud"] == "portaal"
    assert claims["nonce"] == sent["nonce"]
    assert claims["bsn"] == FATIMA
    assert claims["acr"] == ACR_BY_LOA["substantieel"]
    assert claims["sub"] == hashlib.sha256(f"{ISSUER}{FATIMA}".encode()).hexdigest()
    assert (claims["name"], claims["given_name"], claims["family_name"]) == ("Fatima El Amrani", "Fatima", "El Amrani")
    assert claims["exp"] - claims["iat"] == 300


def test_display_name_includes_the_voorvoegsel(client):
    claims, _ = id_token_claims(client, bsn="999990020")
    assert claims["name"] == "Johannes Hendrik van den Berg"
    assert claims["family_name"] == "van den Berg"
    assert claims["acr"] == ACR_BY_LOA["midden"]


@pytest.mark.parametrize("auth", [
    pytest.param({}, id="no client authentication"),
    pytest.param({"client_id": "portaal", "client_secret": "portaal-secret"}, id="the secret, not a key"),
    pytest.param(client_assertion(key=RSAKey.generate_key(2048)), id="signed with another key"),
    pytest.param(client_assertion(iat=int(time.time()) - 600, exp=int(time.time()) - 300), id="expired"),
    pytest.param(client_assertion(aud="https://another-provider.example/token"), id="for another provider"),
    pytest.param(client_assertion(exp=int(time.time()) + 3600), id="living an hour"),
])
def test_the_token_endpoint_refuses_anything_but_a_valid_client_assertion(client, auth):
    callback, _, verifier = log_in(client)
    response = redeem(client, callback["code"], verifier, auth=auth)
    assert response.status_code in (400, 401)
    assert response.json["error"] == "invalid_client"
    assert "id_token" not in response.json


def test_the_token_endpoint_refuses_the_basic_secret_of_a_private_key_jwt_client(client):
    callback, _, verifier = log_in(client)
    response = redeem(client, callback["code"], verifier, headers=CLIENT_SECRET_AUTH)
    assert response.json["error"] == "invalid_client"


def test_a_replayed_client_assertion_is_refused(client):
    assertion = client_assertion()
    first, _, first_verifier = log_in(client)
    assert redeem(client, first["code"], first_verifier, auth=assertion).status_code == 200
    second, _, second_verifier = log_in(client)
    response = redeem(client, second["code"], second_verifier, auth=assertion)
    assert response.json["error"] == "invalid_client"
    assert "used before" in response.json["error_description"]


def test_the_client_keys_may_come_from_the_portals_jwks_url(portal_jwks_file, monkeypatch):
    """The demo's way: the mock reads the portal's /.well-known/jwks.json at each request."""
    fetched = []

    class Answer:
        def raise_for_status(self):
            pass

        def json(self):
            return public_jwks(PORTAL_KEY)

    monkeypatch.setattr(provider.requests, "get", lambda url, timeout: fetched.append(url) or Answer())
    jwks_url = "http://localhost:5000/.well-known/jwks.json"
    client = create_app(Settings(client_jwks=jwks_url)).test_client()
    callback, _, verifier = log_in(client)
    assert redeem(client, callback["code"], verifier).status_code == 200
    assert fetched == [jwks_url]


def test_the_staff_idp_takes_a_client_secret():
    client = create_app(Settings(client_auth_method="client_secret_basic")).test_client()
    callback, _, verifier = log_in(client)
    assert redeem(client, callback["code"], verifier, headers=CLIENT_SECRET_AUTH).status_code == 200
    wrong = redeem(client, callback["code"], verifier, auth={"client_id": "portaal", "client_secret": "wrong"})
    assert wrong.json["error"] == "invalid_client"


def test_userinfo_answers_for_the_access_token(client):
    callback, _, verifier = log_in(client)
    access_token = redeem(client, callback["code"], verifier).json["access_token"]
    info = client.get("/userinfo", headers={"Authorization": f"Bearer {access_token}"}).json
    assert info["bsn"] == FATIMA
    assert info["name"] == "Fatima El Amrani"
    assert info["sub"] != FATIMA
    assert client.get("/userinfo").status_code == 401


def test_wrong_code_verifier_is_refused_and_consumes_the_code(client):
    callback, _, verifier = log_in(client)
    wrong_verifier, _ = pkce_pair()
    response = redeem(client, callback["code"], wrong_verifier)
    assert response.status_code == 400
    assert response.json["error"] == "invalid_grant"
    assert redeem(client, callback["code"], verifier).json["error"] == "invalid_grant"


def test_missing_code_verifier_is_refused(client):
    callback, _, _ = log_in(client)
    response = client.post(
        "/token",
        data={"grant_type": "authorization_code", "code": callback["code"], "redirect_uri": REDIRECT_URI,
              **client_assertion()},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "overrides",
    [
        {"code_challenge": None, "code_challenge_method": None},
        {"code_challenge_method": None},
        {"code_challenge_method": "plain"},
        {"nonce": None},
        {"scope": "profile"},
    ],
    ids=["no-challenge", "no-method", "plain", "no-nonce", "no-openid-scope"],
)
def test_incomplete_authorization_request_is_refused_to_the_client(client, overrides):
    _, challenge = pkce_pair()
    response = client.get(authorize_url(challenge, state="s1", **overrides))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(REDIRECT_URI)
    assert query_of(response)["state"] == "s1"
    assert query_of(response)["error"] in {"invalid_request", "invalid_scope"}


@pytest.mark.parametrize(
    "overrides",
    [{"client_id": "stranger"}, {"redirect_uri": "https://evil.example/callback"}, {"redirect_uri": None}],
    ids=["unknown-client", "unregistered-redirect", "no-redirect"],
)
def test_bad_client_or_redirect_uri_gets_an_error_page_not_a_redirect(client, overrides):
    _, challenge = pkce_pair()
    response = client.get(authorize_url(challenge, **overrides))
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert response.mimetype == "text/html"


def test_code_reuse_is_refused(client):
    callback, _, verifier = log_in(client)
    assert redeem(client, callback["code"], verifier).status_code == 200
    response = redeem(client, callback["code"], verifier)
    assert response.status_code == 400
    assert response.json["error"] == "invalid_grant"


def test_expired_code_is_refused(client, monkeypatch):
    callback, _, verifier = log_in(client)
    monkeypatch.setattr(provider, "CODE_LIFETIME", 0)
    assert redeem(client, callback["code"], verifier).json["error"] == "invalid_grant"


def test_nonce_replay_is_refused(client):
    _, sent, _ = log_in(client)
    _, challenge = pkce_pair()
    response = client.get(authorize_url(challenge, nonce=sent["nonce"]))
    assert query_of(response)["error"] == "invalid_request"


def test_cancel_redirects_with_access_denied_and_state(client):
    _, challenge = pkce_pair()
    url = authorize_url(challenge, state="keep-me")
    response = client.post(url, data={"cancel": "1", "scenario": "normaal"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(REDIRECT_URI)
    assert query_of(response)["error"] == "access_denied"
    assert query_of(response)["state"] == "keep-me"
    assert "code" not in query_of(response)




def test_a_machtiging_gives_the_represented_person_and_the_acting_one(client):
    page = client.get(authorize_url(pkce_pair()[1])).get_data(as_text=True)
    assert f'value="{SANNE}:{JOHANNES}"' in page
    claims, _ = id_token_claims(client, bsn=f"{SANNE}:{JOHANNES}")
    assert (claims["bsn"], claims["name"]) == (JOHANNES, "Johannes Hendrik van den Berg")
    assert claims["act"] == {"bsn": SANNE, "name": "Sanne de Vries",
                             "sub": hashlib.sha256(f"{ISSUER}{SANNE}".encode()).hexdigest()}
    assert claims["acr"] == ACR_BY_LOA["substantieel"]  # the level of the one who logged in


def test_acting_for_someone_without_a_machtiging_is_refused(client):
    _, challenge = pkce_pair()
    response = client.post(authorize_url(challenge),
                           data={"account": f"{JOHANNES}:{SANNE}", "scenario": "normaal"})
    assert response.status_code == 400


def test_unknown_persona_is_refused(client):
    _, challenge = pkce_pair()
    response = client.post(authorize_url(challenge), data={"account": "999999999", "scenario": "normaal"})
    assert response.status_code == 400


def test_persona_page_is_plain_valid_html(client):
    _, challenge = pkce_pair()
    response = client.get(authorize_url(challenge))
    html = response.get_data(as_text=True)
    html5lib.HTMLParser(strict=True).parse(html)  # raises on any parse error
    assert '<html lang="nl">' in html
    assert html.count("<h1>") == 1 and "Inloggen met DigiD (test)</h1>" in html
    assert "<script" not in html and "style=" not in html and "<style" not in html
    assert "Fatima El Amrani (BSN 999990019, Substantieel)" in html
    assert '<select id="scenario" name="scenario">' in html
    assert all(f'value="{name}"' in html for name in SCENARIOS)
    assert client.get("/static/mock.css").status_code == 200


SCENARIO_CHECKS = {
    "verlopen-token": lambda claims, sent: claims["exp"] < time.time() and claims["iat"] < time.time() - 300,
    "verkeerde-audience": lambda claims, sent: claims["aud"] == "another-client",
    "verkeerde-nonce": lambda claims, sent: claims["nonce"] != sent["nonce"],
    "verkeerde-issuer": lambda claims, sent: claims["iss"] != ISSUER,
    "geen-bsn": lambda claims, sent: "bsn" not in claims,
    "ongeldig-bsn": lambda claims, sent: claims["bsn"] == "123456789" and not bsn_check.is_valid(claims["bsn"]),
    "niveau-basis": lambda claims, sent: claims["acr"] == ACR_BY_LOA["basis"],
}


@pytest.mark.parametrize("scenario", sorted(SCENARIO_CHECKS))
def test_scenario_changes_only_its_claim(client, scenario):
    normal, _ = id_token_claims(client)
    claims, sent = id_token_claims(client, scenario)
    assert SCENARIO_CHECKS[scenario](claims, sent)
    assert not SCENARIO_CHECKS[scenario](normal, sent) or scenario == "verkeerde-nonce"
    assert claims["sub"] == normal["sub"]


def test_scenario_invalid_signature_uses_the_published_kid_but_another_key(client):
    callback, _, verifier = log_in(client, scenario="ongeldige-handtekening")
    id_token = redeem(client, callback["code"], verifier).json["id_token"]
    published_kid = client.get("/jwks").json["keys"][0]["kid"]
    with pytest.raises(BadSignatureError):
        verified_claims(client, id_token)
    assert jws.extract_compact(id_token.encode()).headers()["kid"] == published_kid


def test_every_listed_scenario_is_tested():
    assert set(SCENARIOS) == set(SCENARIO_CHECKS) | {"normaal", "ongeldige-handtekening"}


def logout_url(id_token, post_logout_redirect_uri, state="bye"):
    query = {"id_token_hint": id_token, "post_logout_redirect_uri": post_logout_redirect_uri, "state": state}
    return "/logout?" + urlencode(query)


def test_logout_redirects_to_an_allowed_uri_with_state_and_ends_tokens(client):
    callback, _, verifier = log_in(client)
    tokens = redeem(client, callback["code"], verifier).json
    response = client.get(logout_url(tokens["id_token"], "http://localhost:5000/?uitgelogd=1"))
    assert response.status_code == 302
    assert response.headers["Location"] == "http://localhost:5000/?uitgelogd=1&state=bye"
    assert client.get("/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}).status_code == 401


@pytest.mark.parametrize("target", ["https://evil.example/", "http://localhost:5000.evil.example/"])
def test_logout_does_not_redirect_elsewhere(client, target):
    callback, _, verifier = log_in(client)
    id_token = redeem(client, callback["code"], verifier).json["id_token"]
    response = client.get(logout_url(id_token, target))
    assert response.status_code == 200
    assert "U bent uitgelogd" in response.get_data(as_text=True)


def test_logout_with_a_forged_id_token_hint_does_not_redirect(client):
    response = client.get(logout_url("not.a.token", "http://localhost:5000/"))
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_settings_from_options_and_environment():
    settings = parse_settings(
        ["--port", "5901", "--redirect-uri", "http://a/cb", "--redirect-uri", "http://b/cb"],
        environ={"MOCK_DIGID_CLIENT_ID": "other", "MOCK_DIGID_POST_LOGOUT_REDIRECT_URIS": "http://a/ http://b/"},
    )
    assert settings.issuer == "http://localhost:5901"
    assert settings.client_id == "other"
    assert settings.redirect_uris == ("http://a/cb", "http://b/cb")
    assert settings.post_logout_redirect_prefixes == ("http://a/", "http://b/")
    assert settings.personas_path.name == "personas.toml" and settings.personas_path.exists()
    assert parse_settings([], environ={"MOCK_DIGID_PORT": "6001"}).port == 6001


def test_a_persona_below_the_requested_level_is_refused_to_the_client(client):
    _, challenge = pkce_pair()
    url = authorize_url(challenge, acr_values=ACR_BY_LOA["midden"], state="s1")
    page = client.get(url).get_data(as_text=True)
    assert "Gevraagd niveau: <strong>Midden</strong>" in page
    refused = query_of(client.post(url, data={"account": PIOTR, "scenario": "normaal"}))
    assert refused["error"] == "unmet_authentication_requirements" and refused["state"] == "s1"
    accepted = query_of(client.post(url, data={"account": FATIMA, "scenario": "normaal"}))
    assert "code" in accepted
