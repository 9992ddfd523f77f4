"""Settings of the mock DigiD: command-line options, each with an environment fallback."""

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 5001
DEFAULT_PERSONAS = Path(__file__).resolve().parent.parent / "app" / "persons" / "personas.toml"
DEFAULT_REDIRECT_URIS = (
    "http://localhost:5000/inloggen/digid/callback",
    "http://127.0.0.1:5000/inloggen/digid/callback",
)
DEFAULT_POST_LOGOUT_PREFIXES = ("http://localhost:5000/", "http://127.0.0.1:5000/")


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

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def parse_settings(argv: list[str] | None = None, environ=os.environ) -> Settings:
    """Read the options; an option on the command line wins over its environment variable."""
    args = _parser(environ).parse_args(argv)
    return Settings(
        host=args.host,
        port=args.port,
        # The issuer follows the port unless it is given, so `--port 5901` just works.
        issuer=(args.issuer or f"http://localhost:{args.port}").rstrip("/"),
        client_id=args.client_id,
        client_secret=args.client_secret,
        redirect_uris=tuple(args.redirect_uri or _env_list(environ, "MOCK_DIGID_REDIRECT_URIS", DEFAULT_REDIRECT_URIS)),
        post_logout_redirect_prefixes=tuple(
            args.post_logout_redirect_uri
            or _env_list(environ, "MOCK_DIGID_POST_LOGOUT_REDIRECT_URIS", DEFAULT_POST_LOGOUT_PREFIXES)
        ),
        personas_path=Path(args.personas),
    )


def _parser(environ) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mock_digid",
        description="Mock DigiD: an OpenID Connect provider with fictional personas, for development and tests only.",
    )
    parser.add_argument("--host", default=environ.get("MOCK_DIGID_HOST", "127.0.0.1"), help="env MOCK_DIGID_HOST")
    parser.add_argument(
        "--port", type=int, default=int(environ.get("MOCK_DIGID_PORT", DEFAULT_PORT)), help="env MOCK_DIGID_PORT"
    )
    parser.add_argument(
        "--issuer",
        default=environ.get("MOCK_DIGID_ISSUER"),
        help="env MOCK_DIGID_ISSUER; default http://localhost:{port}",
    )
    parser.add_argument("--client-id", default=environ.get("MOCK_DIGID_CLIENT_ID", "portaal"), help="env MOCK_DIGID_CLIENT_ID")
    parser.add_argument(
        "--client-secret",
        default=environ.get("MOCK_DIGID_CLIENT_SECRET", "portaal-secret"),
        help="env MOCK_DIGID_CLIENT_SECRET",
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
        "--personas", default=environ.get("MOCK_DIGID_PERSONAS", str(DEFAULT_PERSONAS)), help="env MOCK_DIGID_PERSONAS"
    )
    return parser


def _env_list(environ, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(environ[name].split()) if environ.get(name) else default
