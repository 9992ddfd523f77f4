"""The OpenID Connect provider, built on Authlib's server classes, with in-memory storage."""

import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from typing import ClassVar

import requests
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import (
    ClientMixin,
    InvalidClientError,
    InvalidRequestError,
    TokenMixin,
    list_to_scope,
    scope_to_list,
)
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin, UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.rpinitiated import EndSessionEndpoint
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from .personas import Persona, StaffAccount
from .scenarios import SCENARIOS
from .settings import Settings

log = logging.getLogger(__name__)

CODE_LIFETIME = 60  # seconds
TOKEN_LIFETIME = 300  # seconds, for the ID token and the access token
SCOPES_SUPPORTED = ("openid", "profile")
TOKEN_ENDPOINT_AUTH_METHODS = ("private_key_jwt", "client_secret_basic", "client_secret_post")
# A client assertion lives at most this long (exp - iat): a short window limits a leaked one.
ASSERTION_MAX_LIFETIME = 300  # seconds
SIGNING_ALG = "RS256"


@dataclass(frozen=True)
class Login:
    """Who logged in at the mock, and which test scenario their ID token must play."""

    persona: Persona
    scenario: str
    auth_time: int
    on_behalf_of: Persona | None = None  # DigiD Machtigen: whom the persona acts for


@dataclass(frozen=True)
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    # The one way this client may authenticate at /token (settings.client_auth_method).
    auth_method: str = "private_key_jwt"

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None  # OpenID Connect requires the redirect_uri in every request

    def get_allowed_scope(self, scope):
        requested = scope_to_list(scope) or []
        if "openid" not in requested:
            return None  # DigiD only does OpenID Connect logins; Authlib answers invalid_scope
        return list_to_scope([name for name in requested if name in SCOPES_SUPPORTED])

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(self.client_secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method, endpoint):
        # A client registered for private_key_jwt is refused with its (demo) secret, as DigiD
        # refuses anything but the registered method; client_secret_post goes with _basic.
        if self.auth_method == "client_secret_basic":
            return method in ("client_secret_basic", "client_secret_post")
        return method == self.auth_method

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass(frozen=True)
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str
    code_challenge: str
    code_challenge_method: str
    login: Login
    issued_at: int

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.login.auth_time

    def get_acr(self):
        return self.login.persona.acr

    def is_expired(self, now: int) -> bool:
        return now >= self.issued_at + CODE_LIFETIME


@dataclass(frozen=True)
class Token(TokenMixin):
    access_token: str
    client_id: str
    scope: str
    login: Login
    issued_at: int
    expires_in: int

    def check_client(self, client):
        return self.client_id == client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return time.time() >= self.issued_at + self.expires_in

    def is_revoked(self):
        return False  # logout deletes tokens instead of flagging them


class Store:
    """Everything the provider remembers, in memory; the lock serves the threaded server."""

    def __init__(self, client: Client):
        self.client = client
        self._codes: dict[str, AuthorizationCode] = {}
        self._tokens: dict[str, Token] = {}
        self._used_nonces: set[str] = set()
        self._used_assertion_ids: dict[str, int] = {}  # jti -> its exp
        self._lock = threading.Lock()

    def query_client(self, client_id: str) -> Client | None:
        return self.client if client_id == self.client.client_id else None

    def save_code(self, code: AuthorizationCode) -> None:
        with self._lock:
            self._codes[code.code] = code
            self._used_nonces.add(code.nonce)

    def take_code(self, code: str, client_id: str) -> AuthorizationCode | None:
        """The first redemption consumes the code, even a failing one: no second guess at the code_verifier."""
        with self._lock:
            found = self._codes.pop(code, None)
        if found is None or found.client_id != client_id or found.is_expired(int(time.time())):
            return None
        return found

    def nonce_used(self, nonce: str) -> bool:
        return nonce in self._used_nonces

    def first_use_of_assertion(self, jti: str, expires_at: int) -> bool:
        """True the first time a client assertion's jti is seen; remembered until it expires
        (after that the assertion is refused for its age anyway)."""
        now = int(time.time())
        with self._lock:
            self._used_assertion_ids = {key: exp for key, exp in self._used_assertion_ids.items()
                                        if exp + ASSERTION_MAX_LIFETIME >= now}
            if jti in self._used_assertion_ids:
                return False
            self._used_assertion_ids[jti] = expires_at
            return True

    def save_token(self, token: dict, request) -> None:
        with self._lock:
            self._tokens[token["access_token"]] = Token(
                access_token=token["access_token"],
                client_id=request.client.get_client_id(),
                scope=token["scope"],
                login=request.user,
                issued_at=int(time.time()),
                expires_in=token["expires_in"],
            )

    def find_token(self, access_token: str) -> Token | None:
        return self._tokens.get(access_token)

    def forget_tokens_of(self, subject: str, issuer: str) -> None:
        with self._lock:
            self._tokens = {
                key: token for key, token in self._tokens.items() if token.login.persona.subject(issuer) != subject
            }


@dataclass(frozen=True)
class SigningKeys:
    published: RSAKey
    # Same kid as the published key but never published: for the `ongeldige-handtekening` scenario.
    foreign: RSAKey

    @classmethod
    def generate(cls) -> "SigningKeys":
        parameters = {"kid": secrets.token_urlsafe(8), "use": "sig", "alg": SIGNING_ALG}
        return cls(RSAKey.generate_key(2048, parameters), RSAKey.generate_key(2048, parameters))

    def jwks(self) -> dict:
        return {"keys": [self.published.as_dict(private=False)]}


def identity_claims(login: Login, issuer: str) -> UserInfo:
    """The account's claims; for DigiD Machtigen the represented person's, with the person
    who acts for them in RFC 8693's actor claim (`act`): the relying party authorizes on
    the first and records the second."""
    if login.on_behalf_of is None:
        return UserInfo(login.persona.claims(issuer))
    acting = login.persona
    return UserInfo({**login.on_behalf_of.claims(issuer),
                     "act": {"sub": acting.subject(issuer), "bsn": acting.bsn,
                             "name": acting.display_name}})


class S256CodeChallenge(CodeChallenge):
    """PKCE with S256 for every request, as the NL GOV OpenID Connect profile demands."""

    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        # Authlib only enforces PKCE at the token endpoint, and only for public clients;
        # the portal is a confidential client, so the authorization request is checked here.
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge'")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256")
        super().validate_code_challenge(grant, redirect_uri)


class PrivateKeyJWTAuthentication(JWTBearerClientAssertion):
    """private_key_jwt (RFC 7523, OpenID Connect Core 9): the client signs a short-lived JWT
    with its private key; we check it with the client's published public keys, once per jti."""

    CLIENT_AUTH_METHOD = "private_key_jwt"

    def __init__(self, settings: Settings, store: "Store"):
        super().__init__(validate_jti=True, leeway=30)
        self.settings = settings
        self.store = store

    def get_audiences(self):
        return [f"{self.settings.issuer}/token", self.settings.issuer]

    def resolve_client_public_key(self, client) -> KeySet:
        """The client's JWKS, read afresh: a URL (the portal's /.well-known/jwks.json, so a new
        key works at once) or a file."""
        source = self.settings.client_jwks
        try:
            if source.startswith(("http://", "https://")):
                response = requests.get(source, timeout=5)
                response.raise_for_status()
                return KeySet.import_key_set(response.json())
            with open(source, encoding="utf-8") as file:
                return KeySet.import_key_set(json.load(file))
        except (OSError, ValueError, requests.RequestException, JoseError) as error:
            log.warning("client keys unavailable at %s: %s", source, type(error).__name__)
            raise InvalidClientError(description="The client's public keys are unavailable.") from error

    def verify_claims(self, claims):
        super().verify_claims(claims)
        issued_at = claims.get("iat")
        if not isinstance(issued_at, int) or claims["exp"] - issued_at > ASSERTION_MAX_LIFETIME:
            raise InvalidClientError(description="The client assertion must carry iat and live "
                                                 f"at most {ASSERTION_MAX_LIFETIME} seconds.")

    def validate_jti(self, claims, jti):
        return self.store.first_use_of_assertion(f"{claims['sub']}:{jti}", claims["exp"])


class DigiDCodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = list(TOKEN_ENDPOINT_AUTH_METHODS)

    def save_authorization_code(self, code, request):
        data = request.payload.data
        self.server.store.save_code(
            AuthorizationCode(
                code=code,
                client_id=request.client.get_client_id(),
                redirect_uri=request.payload.redirect_uri,
                scope=request.scope,
                nonce=data["nonce"],
                code_challenge=data["code_challenge"],
                code_challenge_method=data["code_challenge_method"],
                login=request.user,
                issued_at=int(time.time()),
            )
        )

    def query_authorization_code(self, code, client):
        return self.server.store.take_code(code, client.get_client_id())

    def delete_authorization_code(self, authorization_code):
        """Nothing left to do: `query_authorization_code` already consumed the code."""

    def authenticate_user(self, authorization_code):
        return authorization_code.login


class DigiDOpenIDCode(OpenIDCode):
    DEFAULT_EXPIRES_IN = TOKEN_LIFETIME

    def __init__(self, issuer: str, keys: SigningKeys, store: Store):
        super().__init__(require_nonce=True)
        self.issuer = issuer
        self.keys = keys
        self.store = store

    def exists_nonce(self, nonce, request):
        return self.store.nonce_used(nonce)

    def resolve_client_private_key(self, client):
        return self.keys.published

    def get_client_claims(self, client):
        return {"iss": self.issuer, "aud": client.get_client_id()}

    def get_encode_header(self, client):
        return {"alg": SIGNING_ALG, "kid": self.keys.published.kid}

    def generate_user_info(self, user, scope):
        return identity_claims(user, self.issuer)

    def encode_id_token(self, token, request):
        """Authlib's claims, then the test scenario chosen at login bends them."""
        login = request.user
        claims = self.get_compatible_claims(request)
        claims.update(self.get_authorization_code_claims(request.authorization_code))
        claims.update(self.generate_user_info(login, token["scope"]))
        scenario = SCENARIOS[login.scenario]
        claims = scenario.change_claims(claims, claims["iat"])
        key = self.keys.foreign if scenario.foreign_signature else self.resolve_client_private_key(request.client)
        return jwt.encode(self.get_encode_header(request.client), claims, key, [SIGNING_ALG])


class DigiDEndSession(EndSessionEndpoint):
    def get_server_jwks(self):
        return self.server.keys.jwks()

    def get_algorithms(self):
        return [SIGNING_ALG]

    def _is_valid_post_logout_redirect_uri(self, client, post_logout_redirect_uri):
        # Authlib wants an exact registered URI; the mock allows any page under the
        # portal's prefixes, so the portal can send the resident to any of its pages.
        return post_logout_redirect_uri.startswith(self.server.settings.post_logout_redirect_prefixes)

    def is_post_logout_redirect_uri_legitimate(self, request, post_logout_redirect_uri, client, logout_hint):
        return True  # a test provider: the prefix check is enough, also without id_token_hint

    def end_session(self, end_session_request):
        claims = end_session_request.id_token_claims
        if claims:
            self.server.store.forget_tokens_of(claims.get("sub"), self.server.settings.issuer)
        log.info("logout: client=%s", end_session_request.client and end_session_request.client.get_client_id())


class DigiDServer(AuthorizationServer):
    def __init__(self, app, settings: Settings, personas: dict[str, Persona | StaffAccount], keys: SigningKeys):
        store = Store(Client(settings.client_id, settings.client_secret, settings.redirect_uris,
                             settings.client_auth_method))
        super().__init__(app, query_client=store.query_client, save_token=store.save_token)
        self.register_client_auth_method("private_key_jwt", PrivateKeyJWTAuthentication(settings, store))
        self.settings = settings
        self.personas = personas
        self.store = store
        self.keys = keys
        self.bearer = ResourceProtector()
        self.bearer.register_token_validator(StoreTokenValidator(store))
        self.register_grant(
            DigiDCodeGrant, [S256CodeChallenge(required=True), DigiDOpenIDCode(settings.issuer, keys, store)]
        )
        self.register_endpoint(DigiDEndSession)


class StoreTokenValidator(BearerTokenValidator):
    def __init__(self, store: Store):
        super().__init__()
        self.store = store

    def authenticate_token(self, token_string):
        return self.store.find_token(token_string)
