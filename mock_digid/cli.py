"""`python -m mock_digid`: serve the mock DigiD with werkzeug (threaded, never the debugger or reloader)."""

import logging
import os
from urllib.parse import urlsplit

from werkzeug.serving import WSGIRequestHandler, run_simple

from .app import create_app
from .settings import parse_settings


class PathOnlyRequestHandler(WSGIRequestHandler):
    """Access log without query strings: /logout carries the ID token, and with it the BSN, in its query."""

    def log_request(self, code="-", size="-"):
        self.log("info", '"%s %s" %s', self.command, urlsplit(self.path).path, code)


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = parse_settings(argv)
    # The mock serves plain http, also when reached by a non-loopback name (e.g. a container).
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
    app = create_app(settings)
    print(f"Mock DigiD on {settings.url} (issuer {settings.issuer}, client {settings.client_id})", flush=True)
    run_simple(
        settings.host,
        settings.port,
        app,
        threaded=True,
        use_debugger=False,
        use_reloader=False,
        request_handler=PathOnlyRequestHandler,
    )
