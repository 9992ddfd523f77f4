"""What the two OpenID Connect clients share: DigiD for residents, the municipality's own
identity provider for staff. Each app gets its own registry (not a module-level one), so two
apps in one process (tests) each talk to their own provider."""

import requests
from authlib.integrations.flask_client import OAuth
from flask import Flask

from app.auth.client_key import ShortLivedPrivateKeyJWT


def register_oidc_client(app: Flask, name: str, settings_prefix: str, private_key=None):
    """An Authlib client with PKCE S256 from the app's <prefix>CLIENT_ID, CLIENT_SECRET,
    DISCOVERY_URL and SCOPES settings; kept in app.extensions[name]. With a private_key it
    authenticates at the token endpoint with private_key_jwt instead of the secret."""
    config = app.config
    client_kwargs = {"scope": config[f"{settings_prefix}SCOPES"],
                     "code_challenge_method": "S256",
                     "timeout": config["OIDC_TIMEOUT_SECONDS"]}
    credentials = {"client_secret": config[f"{settings_prefix}CLIENT_SECRET"]}
    if private_key is not None:
        # Authlib's PrivateKeyJWT signs with the "client secret": the private key here.
        credentials = {"client_secret": private_key,
                       "client_auth_methods": [ShortLivedPrivateKeyJWT()]}
        client_kwargs["token_endpoint_auth_method"] = ShortLivedPrivateKeyJWT.name
    app.extensions[name] = OAuth(app).register(
        name,
        client_id=config[f"{settings_prefix}CLIENT_ID"],
        server_metadata_url=config[f"{settings_prefix}DISCOVERY_URL"],
        client_kwargs=client_kwargs,
        **credentials,
    )
    return app.extensions[name]


def provider_logout_url(client, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session URL, or None when the provider can't be reached or has none.

    We identify ourselves with client_id rather than id_token_hint: DigiD's ID token
    carries the BSN, and the BSN never goes into a URL.
    """
    try:
        metadata = client.load_server_metadata()
    except requests.RequestException:
        return None
    if "end_session_endpoint" not in metadata:
        return None
    return client.create_logout_url(post_logout_redirect_uri=post_logout_redirect_uri,
                                    client_id=client.client_id)["url"]
