"""Settings of the mock DigiD: command-line options, each with an environment fallback."""

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 5001
DEFAULT_STAFF_PORT = 5002
APP_DIR = Path(__file__).resolve().parent.parent / "app"
DEFAULT_PERSONAS = APP_DIR / "persons" / "personas.toml"
DEFAULT_STAFF_ACCOUNTS = APP_DIR / "auth" / "staff_accounts.toml"
DEFAULT_REDIRECT_URIS = (
    "http://localhost:5000/inloggen/digid/callback",
    "http://127.0.0.1:5000/inloggen/digid/callback",
)
DEFAULT_STAFF_REDIRECT_URIS = (
    "http://localhost:5000/backoffice/inloggen/callback",
    "http://127.0.0.1:5000/backoffice/inloggen/callback",
)
DEFAULT_POST_LOGOUT_PREFIXES = ("http://localhost:5000/", "http://127.0.0.1:5000/")
# Where the portal publishes its public key (JWKS) for private_key_jwt.
DEFAULT_CLIENT_JWKS = "http://localhost:5000/.well-known/jwks.json"
CLIENT_AUTH_METHODS = ("private_key_jwt", "client_secret_basic")


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    issuer: str = f"http://localhost:{DEFAULT_PORT}"
    client_id: str = "portaal"
    client_secret: str = "portaal-secret"
    redirect_uris: tuple[str, ...] = DEFAULT_REDIRECT_URIS
    post_logout_redirect_prefixes: tuple[str, ...] = DEFAULT_POST_LOGOUT_PREFIXES
    personas_path: Path = DEFAULT_PERSONAS
    # How the client authenticates at /token: DigiD (NL GOV profile) asks private_key_jwt, with
    # the client's public keys from client_jwks (a JWKS URL or file); the staff IdP a secret.
    client_auth_method: str = "private_key_jwt"
    client_jwks: str = DEFAULT_CLIENT_JWKS
    # True: the municipality's own IdP for staff (accounts instead of DigiD personas).
    staff: bool = False

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def parse_settings(argv: list[str] | None = None, environ=os.environ) -> Settings:
    """Read the options; an option on the command line wins over its environment variable."""
    args = _parser(environ).parse_args(argv)
    staff = args.staff
    port = args.port or (DEFAULT_STAFF_PORT if staff else DEFAULT_PORT)
    default_redirects = DEFAULT_STAFF_REDIRECT_URIS if staff else DEFAULT_REDIRECT_URIS
    return Settings(
        host=args.host,
        port=port,
        # The issuer follows the port unless it is given, so `--port 5901` just works.
        issuer=(args.issuer or f"http://localhost:{port}").rstrip("/"),
        client_id=args.client_id or ("backoffice" if staff else "portaal"),
        client_secret=args.client_secret or ("backoffice-secret" if staff else "portaal-secret"),
        redirect_uris=tuple(args.redirect_uri or _env_list(environ, "MOCK_DIGID_REDIRECT_URIS", default_redirects)),
        post_logout_redirect_prefixes=tuple(
            args.post_logout_redirect_uri
            or _env_list(environ, "MOCK_DIGID_POST_LOGOUT_REDIRECT_URIS", DEFAULT_POST_LOGOUT_PREFIXES)
        ),
        personas_path=Path(args.personas or (DEFAULT_STAFF_ACCOUNTS if staff else DEFAULT_PERSONAS)),
        client_auth_method=args.client_auth or ("client_secret_basic" if staff else "private_key_jwt"),
        client_jwks=args.client_jwks,
        staff=staff,
    )


def _parser(environ) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mock_digid",
        description="Mock DigiD: an OpenID Connect provider with fictional personas, for development and tests only.",
    )
    parser.add_argument("--host", default=environ.get("MOCK_DIGID_HOST", "127.0.0.1"), help="env MOCK_DIGID_HOST")
    parser.add_argument(
        "--staff", action="store_true",
        help="be the municipality's staff IdP: staff accounts, client 'backoffice', port 5002",
    )
    parser.add_argument(
        "--port", type=int, default=int(environ.get("MOCK_DIGID_PORT", 0)) or None,
        help=f"env MOCK_DIGID_PORT; default {DEFAULT_PORT} ({DEFAULT_STAFF_PORT} with --staff)",
    )
    parser.add_argument(
        "--issuer",
        default=environ.get("MOCK_DIGID_ISSUER"),
        help="env MOCK_DIGID_ISSUER; default http://localhost:{port}",
    )
    parser.add_argument(
        "--client-id", default=environ.get("MOCK_DIGID_CLIENT_ID"),
        help="env MOCK_DIGID_CLIENT_ID; default portaal (backoffice with --staff)",
    )
    parser.add_argument(
        "--client-secret",
        default=environ.get("MOCK_DIGID_CLIENT_SECRET"),
        help="env MOCK_DIGID_CLIENT_SECRET; default portaal-secret (backoffice-secret with --staff)",
    )
    parser.add_argument(
        "--client-auth", choices=CLIENT_AUTH_METHODS, default=environ.get("MOCK_DIGID_CLIENT_AUTH"),
        help="env MOCK_DIGID_CLIENT_AUTH; how the client authenticates at /token: "
        "private_key_jwt (default) or client_secret_basic (default with --staff)",
    )
    parser.add_argument(
        "--client-jwks", default=environ.get("MOCK_DIGID_CLIENT_JWKS", DEFAULT_CLIENT_JWKS),
        help="env MOCK_DIGID_CLIENT_JWKS; the client's public keys for private_key_jwt: "
        f"a JWKS URL (read at every token request) or a JWKS file; default {DEFAULT_CLIENT_JWKS}",
    )
    parser.add_argument(
        "--redirect-uri",
        action="append",
        help="allowed redirect URI, exact match; repeatable; env MOCK_DIGID_REDIRECT_URIS (space-separated)",
    )
    parser.add_argument(
        "--post-logout-redirect-uri",
        action="append",
        help="allowed post-logout redirect URI prefix; repeatable; "
        "env MOCK_DIGID_POST_LOGOUT_REDIRECT_URIS (space-separated)",
    )
    parser.add_argument(
        "--personas", default=environ.get("MOCK_DIGID_PERSONAS"),
        help="env MOCK_DIGID_PERSONAS; default the portal's personas.toml (staff_accounts.toml with --staff)"
    )
    return parser


def _env_list(environ, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(environ[name].split()) if environ.get(name) else default
