"""`python -m mock_psp`: serve the mock payment provider with werkzeug (threaded, never the
debugger or reloader)."""

import argparse
import logging

from werkzeug.serving import run_simple

from .app import Settings, create_app


def parse_settings(argv: list[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(prog="python -m mock_psp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5003)
    parser.add_argument("--url", default="", help="public URL (default http://HOST:PORT)")
    parser.add_argument("--late-seconds", type=float, default=5.0,
                        help="how long the bank takes in the 'confirmed late' scenario")
    parser.add_argument("--webhook-retry-seconds", type=float, default=2.0,
                        help="wait before a webhook the portal did not accept is sent again")
    parser.add_argument("--slow-seconds", type=float, default=3.0,
                        help="how long an API read takes in the 'slow API' scenario")
    args = parser.parse_args(argv)
    url = args.url or f"http://{args.host}:{args.port}"
    return Settings(host=args.host, port=args.port, url=url.rstrip("/"),
                    late_seconds=args.late_seconds,
                    webhook_retry_seconds=args.webhook_retry_seconds,
                    slow_seconds=args.slow_seconds)


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = parse_settings(argv)
    app = create_app(settings)
    print(f"Mock payment provider (Mollie API v2) on {settings.url}", flush=True)
    run_simple(settings.host, settings.port, app, threaded=True, use_debugger=False,
               use_reloader=False)
