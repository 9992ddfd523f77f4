"""The DigiD OpenID Connect client (any OIDC provider: a DigiD broker, or the mock)."""

import secrets

import requests
from authlib.integrations.base_client import OAuthError
from flask import Flask, current_app
from joserfc.errors import JoseError

from app.auth.oidc import provider_logout_url, register_oidc_client
from app.auth.services import LoginRefused, RefusalReason


def register_client(app: Flask) -> None:
    register_oidc_client(app, "digid", "OIDC_")


def _client():
    return current_app.extensions["digid"]


def start_login(redirect_uri: str):
    """Redirect to the provider. state and nonce carry 256 bits each (NL GOV profile: >= 128)."""
    try:
        return _client().authorize_redirect(
            redirect_uri, state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32)
        )
    except requests.RequestException as error:
        raise LoginRefused(RefusalReason.PROVIDER_UNAVAILABLE, type(error).__name__) from error


def finish_login() -> dict:
    """Exchange the code and verify the ID token (signature, iss, aud, exp, nonce).

    Returns the verified claims; raises LoginRefused for every way it can fail.
    """
    try:
        token = _client().authorize_access_token(
            leeway=current_app.config["OIDC_LEEWAY_SECONDS"]
        )
    except OAuthError as error:
        if error.error == "access_denied":
            raise LoginRefused(RefusalReason.CANCELLED, "access_denied") from error
        raise LoginRefused(RefusalReason.INVALID_RESPONSE, _describe(error)) from error
    except requests.RequestException as error:
        raise LoginRefused(RefusalReason.PROVIDER_UNAVAILABLE, type(error).__name__) from error
    except (JoseError, ValueError) as error:
        raise LoginRefused(RefusalReason.INVALID_RESPONSE, _describe(error)) from error
    claims = token.get("userinfo")
    if not claims:
        raise LoginRefused(RefusalReason.INVALID_RESPONSE, "no id_token in the token response")
    return dict(claims)


def _describe(error: Exception) -> str:
    # Error classes and their descriptions name the failed check (e.g.
    # "invalid_claim: Invalid claim 'aud'"), never claim values.
    return f"{type(error).__name__}: {getattr(error, 'error', '') or ''}".strip()


def logout_url(post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session URL, or None when the provider can't be reached."""
    return provider_logout_url(_client(), post_logout_redirect_uri)
