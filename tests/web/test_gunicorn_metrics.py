"""gunicorn.conf.py as production runs it: several workers, and one scrape that counts the
requests all of them answered (prometheus_client's multi-process mode)."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from tests.conftest import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "scraper-token-0123456789"


def test_a_scrape_counts_the_requests_of_every_worker(database_url, tmp_path):
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"from an earlier run")
    env = {**os.environ, "DATABASE_URL": database_url, "GUNICORN_BIND": f"127.0.0.1:{port}",
           "WEB_CONCURRENCY": "3", "METRICS_TOKEN": TOKEN, "SECRET_KEY": "test",
           "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "LOG_LEVEL": "WARNING",
           "PORTAL_BASE_URL": f"http://127.0.0.1:{port}"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                               "wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz")
        # Six at a time: a sync worker serves one request at once, so the others take some.
        with ThreadPoolExecutor(6) as pool:
            assert all(pool.map(lambda _: requests.get(f"{base}/healthz", timeout=5).ok,
                                range(60)))
        answers = {requests.get(f"{base}/healthz", timeout=5).headers["X-Request-ID"]
                   for _ in range(3)}
        scrape = requests.get(f"{base}/metrics", timeout=5,
                              headers={"Authorization": f"Bearer {TOKEN}"})
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert len(answers) == 3
    assert scrape.status_code == 200
    line = ('portal_http_request_duration_seconds_count'
            '{method="GET",route="/healthz",status="200"}')
    counted = [float(row.rpartition(" ")[2]) for row in scrape.text.splitlines()
               if row.startswith(line)]
    # wait_for's polls count too: at least the 63 requests sent here, from every worker.
    assert counted and counted[0] >= 63
    assert len(list(metrics_dir.glob("histogram_*.db"))) > 1
