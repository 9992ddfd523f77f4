"""The portal's own key pair for private_key_jwt: the portal signs its client assertion at
DigiD's token endpoint with the private key; the provider checks it with the public key, which
the portal publishes as a JWKS (/.well-known/jwks.json) and the municipality registers.

Production reads the key from OIDC_PRIVATE_KEY_FILE and refuses to start without it; a
developer's machine gets a key pair made at first start (instance/oidc-client-key.pem).
"""

import logging
import os
import tempfile
from pathlib import Path

from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7523.assertion import private_key_jwt_sign
from joserfc.jwk import RSAKey, thumbprint

log = logging.getLogger(__name__)

SIGNING_ALG = "RS256"
# The assertion is made for one token request, moments before it is sent.
ASSERTION_LIFETIME = 60  # seconds
DEVELOPMENT_KEY_FILE = Path(__file__).resolve().parents[2] / "instance" / "oidc-client-key.pem"


def load_client_key(config) -> RSAKey:
    """The private key from OIDC_PRIVATE_KEY_FILE (PEM); outside production, a key made and kept
    in instance/ when the setting is empty."""
    path = config["OIDC_PRIVATE_KEY_FILE"]
    if not path:
        if config["PORTAL_ENV"] == "production":
            raise RuntimeError("Set OIDC_PRIVATE_KEY_FILE: DigiD (private_key_jwt) needs the "
                               "portal's private key, whose public half the provider knows.")
        path = DEVELOPMENT_KEY_FILE
        if not Path(path).exists():
            _make_key_file(Path(path))
    key = RSAKey.import_key(Path(path).read_bytes())
    if not key.is_private:
        raise RuntimeError(f"OIDC_PRIVATE_KEY_FILE {path} holds no private key.")
    return key


def _make_key_file(path: Path) -> None:
    """Written whole under another name, then linked into place: two processes starting at
    once (gunicorn's workers) both end up with the first key, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=".oidc-client-key-")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(RSAKey.generate_key(2048).as_pem(private=True))
        os.link(draft, path)
    except FileExistsError:
        return
    finally:
        os.unlink(draft)
    log.warning("made a development key pair for DigiD's private_key_jwt in %s; the mock DigiD "
                "reads its public half from /.well-known/jwks.json", path)


def public_jwks(key: RSAKey) -> dict:
    """The public half as a JWKS, with a stable kid (the RFC 7638 thumbprint)."""
    return {"keys": [{**key.as_dict(private=False), "kid": key_id(key), "use": "sig",
                      "alg": SIGNING_ALG}]}


def key_id(key: RSAKey) -> str:
    return thumbprint(key.as_dict(private=False))


class ShortLivedPrivateKeyJWT(PrivateKeyJWT):
    """Authlib's private_key_jwt, with the key's kid in the header (so the provider picks the
    right key from our JWKS while keys rotate) and a one-minute lifetime instead of an hour."""

    def sign(self, auth, token_endpoint):
        key = auth.client_secret
        return private_key_jwt_sign(key, client_id=auth.client_id, token_endpoint=token_endpoint,
                                    alg=SIGNING_ALG, header={"kid": key_id(key)},
                                    expires_in=ASSERTION_LIFETIME)

