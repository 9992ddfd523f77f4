"""The Flask app of the mock DigiD: discovery, JWKS, the persona page and the OIDC endpoints."""

import logging
import time

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Flask, current_app, jsonify, render_template, request

from .personas import ACR_BY_LOA, load_personas, load_staff_accounts, meets, requested_level
from .provider import (
    SCOPES_SUPPORTED,
    SIGNING_ALG,
    TOKEN_ENDPOINT_AUTH_METHODS,
    TOKEN_LIFETIME,
    DigiDServer,
    Login,
    SigningKeys,
    identity_claims,
)
from .scenarios import DEFAULT_SCENARIO, SCENARIOS
from .settings import Settings

log = logging.getLogger(__name__)

# A machtiging's button posts account "<acting BSN>:<represented BSN>".
ON_BEHALF_OF = ":"

bp = Blueprint("mock_digid", __name__)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    app = Flask(__name__)
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"authorization_code": TOKEN_LIFETIME}
    load = load_staff_accounts if settings.staff else load_personas
    personas = load(settings.personas_path)
    app.extensions["mock_digid"] = DigiDServer(app, settings, personas, SigningKeys.generate())
    app.register_blueprint(bp)
    app.after_request(_security_headers)
    app.context_processor(lambda: {"staff": settings.staff})
    return app


def _server() -> DigiDServer:
    return current_app.extensions["mock_digid"]


def _security_headers(response):
    response.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/.well-known/openid-configuration")
def discovery():
    issuer = _server().settings.issuer
    return jsonify(
        issuer=issuer,
        authorization_endpoint=f"{issuer}/authorize",
        token_endpoint=f"{issuer}/token",
        jwks_uri=f"{issuer}/jwks",
        userinfo_endpoint=f"{issuer}/userinfo",
        end_session_endpoint=f"{issuer}/logout",
        scopes_supported=list(SCOPES_SUPPORTED),
        response_types_supported=["code"],
        response_modes_supported=["query"],
        grant_types_supported=["authorization_code"],
        subject_types_supported=["public"],
        code_challenge_methods_supported=["S256"],
        id_token_signing_alg_values_supported=[SIGNING_ALG],
        token_endpoint_auth_methods_supported=list(TOKEN_ENDPOINT_AUTH_METHODS),
        token_endpoint_auth_signing_alg_values_supported=["RS256", "PS256", "ES256"],
        acr_values_supported=list(ACR_BY_LOA.values()),
        claims_supported=_claims_supported(_server().settings.staff),
    )


def _claims_supported(staff: bool) -> list[str]:
    common = ["iss", "aud", "sub", "exp", "iat", "auth_time", "nonce", "name"]
    if staff:
        return [*common, "preferred_username", "email"]
    return [*common, "acr", "bsn", "given_name", "family_name"]


@bp.get("/jwks")
def jwks():
    return jsonify(_server().keys.jwks())


@bp.route("/authorize", methods=["GET", "POST"])
def authorize():
    server = _server()
    try:
        grant = server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        return _refuse_authorization(server, error)
    if request.method == "GET":
        return _persona_page(grant)
    return _finish_login(server, grant)


def _refuse_authorization(server: DigiDServer, error: OAuth2Error):
    if error.redirect_uri:  # client and redirect URI are known good: the client hears why
        return server.handle_error_response(None, error)
    # Never redirect to an unknown client or an unregistered redirect URI.
    log.warning("authorize refused: %s (%s)", error.error, error.description)
    return render_template("error.html", description=error.description), 400


def _persona_page(grant):
    personas = _server().personas
    return render_template(
        "authorize.html",
        minimum_level=_minimum_level(grant),
        personas=personas.values(),
        machtigingen=[(persona, personas[bsn]) for persona in personas.values()
                      for bsn in getattr(persona, "machtigingen", ()) if bsn in personas],
        on_behalf_of=ON_BEHALF_OF,
        scenarios={} if _server().settings.staff else SCENARIOS,
        default_scenario=DEFAULT_SCENARIO,
        client_id=request.args.get("client_id"),
        # Posting back to the same URL carries the authorization request along unchanged.
        action=request.full_path,
    )


def _finish_login(server: DigiDServer, grant):
    if request.form.get("cancel"):
        log.info("login cancelled")
        return server.create_authorization_response(grant=grant, grant_user=None)
    acting, _, represented = request.form.get("account", "").partition(ON_BEHALF_OF)
    persona = server.personas.get(acting)
    on_behalf_of = server.personas.get(represented) if represented else None
    scenario = request.form.get("scenario", DEFAULT_SCENARIO)
    if persona is None or scenario not in SCENARIOS:
        return render_template("error.html", description="Unknown persona or scenario."), 400
    if represented and (on_behalf_of is None or represented not in persona.machtigingen):
        return render_template("error.html", description="No such machtiging."), 400
    minimum = _minimum_level(grant)
    if not server.settings.staff and not meets(persona.loa, minimum):
        # DigiD asks for a means of the level the service needs; an account without one can't
        # go on. The client hears why (OpenID Connect's unmet_authentication_requirements).
        log.info("login refused: level %s below the requested %s", persona.loa, minimum)
        payload = grant.request.payload
        error = OAuth2Error(f"This service needs DigiD level {minimum} or higher.",
                            state=payload.state, redirect_uri=payload.redirect_uri,
                            error="unmet_authentication_requirements")
        return server.handle_error_response(grant.request, error)
    log.info("login: sub=%s… scenario=%s on behalf: %s",
             persona.subject(server.settings.issuer)[:8], scenario, bool(on_behalf_of))
    login = Login(persona=persona, scenario=scenario, auth_time=int(time.time()),
                  on_behalf_of=on_behalf_of)
    return server.create_authorization_response(grant=grant, grant_user=login)


def _minimum_level(grant) -> str | None:
    """The level the client asked for with acr_values (DigiD: the service's minimum)."""
    return requested_level(grant.request.payload.data.get("acr_values"))


@bp.post("/token")
def token():
    return _server().create_token_response()


@bp.route("/userinfo", methods=["GET", "POST"])
def userinfo():
    server = _server()
    with server.bearer.acquire() as token:  # answers 401 itself for a missing or unknown token
        return jsonify(identity_claims(token.login, server.settings.issuer))


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    server = _server()
    try:
        end_session = server.validate_endpoint_request("end_session")
    except OAuth2Error as error:
        # An invalid logout request must not redirect (RP-Initiated Logout 1.0, section 4).
        log.warning("logout refused: %s", error.description)
        return render_template("error.html", description=error.description), 400
    return server.create_endpoint_response("end_session", end_session) or render_template("logged_out.html")
