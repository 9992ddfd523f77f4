"""gunicorn's settings for the portal: `gunicorn -c gunicorn.conf.py wsgi:app`.

Each value can be set from the environment (deploy/systemd/portal.env.example lists them)."""

import multiprocessing
import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a request waits on the database, so about two per core (gunicorn's advice).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# The app is built once in the master and the workers fork from it: less memory (wsgi.py
# freezes what it built), and a broken setting stops the start instead of every worker.
preload_app = True
# A worker stuck this long on one request is killed and replaced; a restart waits this long
# for running requests. The balancer's timeout should be a little longer than `timeout`.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# The app writes one access line per request itself (route pattern, request id, no query
# string): gunicorn's own would log the raw path, drafts' ids and all.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Which addresses may tell gunicorn the scheme (X-Forwarded-Proto): the balancer's. The app
# itself reads X-Forwarded-* through PROXY_COUNT.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _metrics_dir:
    # prometheus_client's multi-process mode: each worker writes its counters to a file here
    # and a scrape adds them up. Files from an earlier run would be added too: start empty.
    # (This file is read before the app is loaded; counters restart at 0, as Prometheus
    # expects after a restart.)
    Path(_metrics_dir).mkdir(parents=True, exist_ok=True)
    for stale in Path(_metrics_dir).glob("*.db"):
        stale.unlink()


def post_fork(server, worker):
    """A worker must not share the master's database connections (preload_app)."""
    flask_app = server.app.wsgi()  # the app the master loaded (wsgi:app, bench.wsgi_bench:app)
    flask_app.extensions["db"].engine.dispose(close=False)


def child_exit(server, worker):
    """A worker that ended no longer counts in the gauges it kept (multi-process mode)."""
    if _metrics_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
