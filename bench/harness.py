"""Shared benchmark tools: a gunicorn server, load generators, statistics.

Load is sent from this process over loopback only, bounded in count and time.
"""

import html
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPResponse
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen

    def _worker_pids(self) -> list[str]:
        """The gunicorn workers: the master's children."""
        return Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each gunicorn worker, in MB."""
        sizes = []
        for pid in self._worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def worker_cpu_seconds(self) -> float:
        """CPU time (user + system) the workers used so far. CPU per request is what limits
        throughput on a full machine, and unlike latency it hardly moves when other work
        shares the cores."""
        ticks = 0
        for pid in self._worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    """The machine's 1-minute load average: figures taken above about 1 are noisy."""
    return f"load average {os.getloadavg()[0]:.2f}"


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2, threads: int = 1, port: int | None = None,
             root: Path = ROOT, python: str = sys.executable, stderr=None):
    """Serve bench/wsgi_bench.py with gunicorn on a (free) loopback port: this checkout's,
    or the one in `root` (another commit, for an A/B), with this or another interpreter.
    gunicorn reads the checkout's gunicorn.conf.py; the arguments here override it. stderr:
    a file for the app's log lines (default: this terminal)."""
    port = port or free_port()
    process = subprocess.Popen(
        [python, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "bench.wsgi_bench:app"],
        # The portal answers only at PORTAL_BASE_URL's host: here, this loopback port.
        cwd=root, env={**os.environ, "PORTAL_BASE_URL": f"http://127.0.0.1:{port}", **env},
        stderr=stderr,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url + "/bench/baseline")
        yield Server(base_url, process)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"server did not come up: {url}")


@dataclass
class Timings:
    seconds: list[float]
    wall: float

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.seconds, n=20)[18] * 1000

    @property
    def per_second(self) -> float:
        return len(self.seconds) / self.wall


class Client:
    """One keep-alive HTTP connection, with the cookies a logged-in browser would send."""

    def __init__(self, base_url: str, cookie: str = "") -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.connection = HTTPConnection(host, int(port), timeout=30)
        self.headers = {"Cookie": cookie} if cookie else {}

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict | None = None) -> HTTPResponse:
        self.connection.request(method, path, body=body, headers={**self.headers, **(headers or {})})
        response = self.connection.getresponse()
        response.read()
        return response


@contextmanager
def mock_digid(portal_port: int):
    """The mock DigiD, accepting logins for a portal on 127.0.0.1:portal_port."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_digid", "--port", str(port), "--issuer", issuer,
         "--redirect-uri", f"http://127.0.0.1:{portal_port}/inloggen/digid/callback",
         # The portal's private_key_jwt key, as the demo does it: from its own JWKS URL.
         "--client-jwks", f"http://127.0.0.1:{portal_port}/.well-known/jwks.json"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(f"{issuer}/.well-known/openid-configuration")
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=30)


def log_in(base_url: str, bsn: str) -> str:
    """A real DigiD login through the mock; returns the session cookie header."""
    browser = requests.Session()
    authorize = browser.get(f"{base_url}/inloggen/digid", allow_redirects=False).headers["Location"]
    form = browser.get(authorize)
    action = re.search(r'<form method="post" action="([^"]+)"', form.text).group(1)
    browser.post(requests.compat.urljoin(authorize, html.unescape(action)),
                 data={"account": bsn, "scenario": "normaal"})
    return "; ".join(f"{name}={value}" for name, value in browser.cookies.items()
                     if name == "portal_session")


def one_at_a_time(client: Client, path: str, count: int) -> Timings:
    """Sequential requests: latency without queueing."""
    seconds = []
    started = time.perf_counter()
    for _ in range(count):
        begin = time.perf_counter()
        status = client.request("GET", path).status
        seconds.append(time.perf_counter() - begin)
        if status >= 400:
            raise RuntimeError(f"{path} answered {status}")
    return Timings(seconds, time.perf_counter() - started)


def interleaved(requests: dict[str, tuple[Client, str]], rounds: int) -> dict[str, Timings]:
    """Sequential requests, one to each path per round, for `rounds` rounds: the machine's
    speed drifts by up to a third within minutes, and in turns every path sees the same
    drift, so their ratios hold within a run. requests: name -> (client, path)."""
    seconds: dict[str, list[float]] = {name: [] for name in requests}
    started = time.perf_counter()
    for _ in range(rounds):
        for name, (client, path) in requests.items():
            begin = time.perf_counter()
            status = client.request("GET", path).status
            seconds[name].append(time.perf_counter() - begin)
            if status >= 400:
                raise RuntimeError(f"{path} answered {status}")
    # Requests per second would mix the paths; wall is each path's share of the run.
    wall = (time.perf_counter() - started) / len(requests)
    return {name: Timings(values, wall) for name, values in seconds.items()}


def concurrent(make_request: Callable[[int, int], None], total: int, threads: int) -> Timings:
    """`total` calls of make_request(thread_number, i) spread over `threads` threads:
    throughput. The thread number lets each thread keep a connection of its own."""
    seconds: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def run(thread_number: int) -> None:
        for index in counter:
            begin = time.perf_counter()
            make_request(thread_number, index)
            with lock:
                seconds.append(time.perf_counter() - begin)

    workers = [threading.Thread(target=run, args=(number,)) for number in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return Timings(seconds, time.perf_counter() - started)


def report(rows: list[tuple[str, Timings]], baseline: Timings) -> str:
    lines = [f"{'what':<28} {'median ms':>10} {'p95 ms':>8} {'req/s':>8} {'x baseline (median)':>20}"]
    for name, timings in [("baseline (minimal route)", baseline), *rows]:
        lines.append(f"{name:<28} {timings.median_ms:>10.2f} {timings.p95_ms:>8.2f} "
                     f"{timings.per_second:>8.0f} {timings.median_ms / baseline.median_ms:>20.2f}")
    return "\n".join(lines)
