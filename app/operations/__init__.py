"""What the operator needs to run the portal: a request id on every log line, one access line
per request, Prometheus metrics and security.txt."""

import logging
from time import perf_counter

from flask import Flask, g, request

from app.operations import metrics, security_txt
from app.operations.logs import configure_logging, request_id

__all__ = ["configure_logging", "init_app", "metrics"]

access_log = logging.getLogger("app.access")
# A request no URL rule matched (a 404): one label for all, whatever the path.
UNMATCHED = "<unmatched>"
# Any other method (a client may send any word) counts as one, so it cannot make series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def init_app(app: Flask) -> None:
    """Call first, before any other feature registers a hook: the clock starts before theirs
    run and the access line is written after theirs (Flask runs after_request in reverse)."""
    security_txt.check_settings(app.config)
    # Only a balancer's X-Request-ID is taken (the README has it set one); straight from
    # the internet the header is the visitor's own text.
    trust_request_id = app.config["PROXY_COUNT"] > 0
    # Without a scraper (no METRICS_TOKEN) requests are not counted at all.
    count_requests = bool(app.config["METRICS_TOKEN"])

    @app.before_request
    def start_request():
        g.request_started = perf_counter()
        g.request_id = request_id(request.headers.get("X-Request-ID") if trust_request_id
                                  else None)

    @app.after_request
    def finish_request(response):
        # The URL rule, never the path: paths hold drafts' ids and tokens. No query string.
        route = request.url_rule.rule if request.url_rule else UNMATCHED
        method = request.method if request.method in METHODS else "OTHER"
        seconds = perf_counter() - g.request_started
        if count_requests:
            metrics.observe_request(method, route, response.status_code, seconds)
        duration_ms = round(seconds * 1000, 1)
        access_log.info("%s %s %s %.1f ms", method, route, response.status_code,
                        duration_ms, extra={"event": "request", "method": method,
                                            "route": route, "status": response.status_code,
                                            "duration_ms": duration_ms})
        response.headers["X-Request-ID"] = g.request_id
        return response

    app.add_url_rule("/metrics", "metrics", metrics.metrics_view)
    app.add_url_rule("/.well-known/security.txt", "security_txt", security_txt.security_txt)
