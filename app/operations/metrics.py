"""Prometheus metrics, for the operator's scraper only (`GET /metrics` with the bearer token
METRICS_TOKEN; without that setting there is no /metrics at all).

Under gunicorn each worker is a process of its own, and a scrape reaches one of them: with
PROMETHEUS_MULTIPROC_DIR set (gunicorn.conf.py and the systemd unit do) every worker writes its
counters to a file there and a scrape adds up all workers' files (prometheus_client's
multi-process mode). That keeps /metrics on the app, behind the balancer's TLS and the token,
rather than on a port of its own per worker that the scraper would have to find and add up.

The outbox is not counted by the app but read from the database at scrape time (one grouped
count), so every node reports the same, true, figure."""

import hmac
import os

from flask import Response, abort, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from app.db import get_session
from app.notifications.services import outbox_counts

# One histogram gives both: its _count is the requests by route and status, its buckets the
# latency. (A counter beside it would cost a second write per request for the same number.)
REQUESTS = Histogram("portal_http_request_duration_seconds",
                     "Requests answered and the time each took (first hook to answer), by "
                     "method, route pattern and status.", ["method", "route", "status"],
                     buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
LOGIN_FAILURES = Counter("portal_login_failures", "Logins refused, by who tried.", ["kind"])
# prometheus_client's labels() checks and locks on every call; a route's series, once made,
# is kept here (the routes and statuses are few).
_series: dict[tuple[str, str, int], Histogram] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    key = (method, route, status)
    series = _series.get(key)
    if series is None:
        series = _series[key] = REQUESTS.labels(method, route, str(status))
    series.observe(seconds)


def login_refused(kind: str) -> None:
    """kind: "digid" (a resident) or "staff"."""
    LOGIN_FAILURES.labels(kind).inc()


class _Outbox:
    def collect(self):
        counts = outbox_counts(get_session())
        yield GaugeMetricFamily("portal_outbox_waiting_mails",
                                "Mails in the outbox waiting to be sent.", value=counts.waiting)
        yield GaugeMetricFamily("portal_outbox_failed_mails",
                                "Mails the worker gave up on (MAIL_MAX_ATTEMPTS).",
                                value=counts.failed)


class _ThisProcess:
    """The process's own registry, when one process serves every request."""

    def collect(self):
        yield from REGISTRY.collect()


def _scrape_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_Outbox())
    return registry


def metrics_view():
    token = current_app.config["METRICS_TOKEN"]
    if not token:
        abort(404)
    offered = request.headers.get("Authorization", "").encode()
    if not hmac.compare_digest(offered, f"Bearer {token}".encode()):
        return Response("Bearer token required.\n", 401, {"WWW-Authenticate": "Bearer"},
                        mimetype="text/plain")
    return Response(generate_latest(_scrape_registry()), content_type=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})
