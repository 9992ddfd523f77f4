"""The DigiD OpenID Connect client (any OIDC provider: a DigiD broker, or the mock), as the
NL GOV OpenID Connect profile asks: code flow with PKCE, private_key_jwt at the token endpoint,
the service's minimum level in acr_values."""

import secrets

import requests
from authlib.integrations.base_client import OAuthError
from flask import Flask, current_app
from joserfc.errors import JoseError

from app.auth.client_key import load_client_key
from app.auth.loa import SAML_CLASS, loa_from_setting
from app.auth.oidc import provider_logout_url, register_oidc_client
from app.auth.services import LoginRefused, RefusalReason

CLIENT_AUTH_METHODS = ("private_key_jwt", "client_secret_basic")


def register_client(app: Flask) -> None:
    """The DigiD client; production must use private_key_jwt (the NL GOV OpenID Connect profile
    does not allow a shared secret)."""
    method = app.config["OIDC_CLIENT_AUTH"]
    if method not in CLIENT_AUTH_METHODS:
        raise RuntimeError(f"OIDC_CLIENT_AUTH must be one of {', '.join(CLIENT_AUTH_METHODS)}, "
                           f"not {method!r}.")
    if method != "private_key_jwt" and app.config["PORTAL_ENV"] == "production":
        raise RuntimeError("OIDC_CLIENT_AUTH must be private_key_jwt in production "
                           "(NL GOV OpenID Connect profile).")
    private_key = load_client_key(app.config) if method == "private_key_jwt" else None
    if private_key is not None:
        app.extensions["oidc_client_key"] = private_key
    register_oidc_client(app, "digid", "OIDC_", private_key=private_key)


def requested_acr(min_loa_setting: str) -> str:
    """OIDC_MIN_LOA as the provider's acr value: an acr URN as configured, a plain level name
    as DigiD's SAML authentication context class."""
    level = loa_from_setting(min_loa_setting)
    return min_loa_setting.strip() if ":" in min_loa_setting else SAML_CLASS[level]


def _client():
    return current_app.extensions["digid"]


def start_login(redirect_uri: str):
    """Redirect to the provider. state and nonce carry 256 bits each (NL GOV profile: >= 128)."""
    try:
        return _client().authorize_redirect(
            redirect_uri, state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32),
            acr_values=requested_acr(current_app.config["OIDC_MIN_LOA"]),
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
        if error.error == "unmet_authentication_requirements":  # below our acr_values
            raise LoginRefused(RefusalReason.LEVEL_TOO_LOW, error.error) from error
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
