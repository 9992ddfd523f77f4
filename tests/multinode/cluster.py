"""The portal as a large municipality runs it, on this machine: HAProxy with the shipped
configuration (deploy/haproxy/portal.cfg) in front of two app nodes (gunicorn with
gunicorn.conf.py, PORTAL_ENV=production), two mail workers, the rate limits in Redis and
everything else in PostgreSQL. The mock DigiD and the SMTP server are the tests' own.

Each node and worker is a process group of its own, so a test can kill one whole node
(gunicorn's master and its workers) with SIGKILL, as a crashed machine would go.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from tests.conftest import CLIENT_PRIVATE_KEY_FILE, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent.parent
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy" / "portal.cfg"
HOST = "127.0.0.1"


def haproxy_binary() -> str | None:
    return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin")


@dataclass
class Service:
    """One process group of the environment, its output in a log file."""

    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=output,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """The whole group: for a node, gunicorn's master and every worker."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass
class Cluster:
    folder: Path
    database_url: str
    redis_url: str
    smtp_port: int
    digid_issuer: str
    balancer_port: int
    psp_url: str  # the mock payment provider, which speaks Mollie's API
    node_ports: tuple[int, int] = field(default_factory=lambda: (free_port(), free_port()))
    services: dict[str, Service] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.balancer_port}"

    def node_url(self, number: int) -> str:
        return f"http://{HOST}:{self.node_ports[number - 1]}"

    @property
    def socket_path(self) -> Path:
        return self.folder / "haproxy.sock"

    def portal_env(self) -> dict[str, str]:
        """The settings every app node and worker shares, as in /etc/portal/portal.env."""
        shared = self.folder / "shared"
        return {
            **os.environ,
            "PORTAL_ENV": "production",
            "SECRET_KEY": "multinode-secret-key-shared-by-every-node",
            "DATABASE_URL": self.database_url,
            "PORTAL_BASE_URL": self.url,
            "RATELIMIT_STORAGE_URI": self.redis_url,
            "OIDC_DISCOVERY_URL": f"{self.digid_issuer}/.well-known/openid-configuration",
            "OIDC_PRIVATE_KEY_FILE": CLIENT_PRIVATE_KEY_FILE,
            "PROXY_COUNT": "1",
            "SMTP_HOST": HOST,
            "SMTP_PORT": str(self.smtp_port),
            "MAIL_RETRY_SECONDS": "5",
            "DOCUMENTS_PATH": str(shared / "documents"),
            "UPLOADS_PATH": str(shared / "uploads"),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_LOG_LEVEL": "warning",
            # Production takes Mollie only: here the mock, which speaks its API.
            "PAYMENT_PROVIDER": "mollie",
            "MOLLIE_API_URL": f"{self.psp_url}/v2/",
            "MOLLIE_API_KEY": "test_multinode",
            "MOLLIE_CHECKOUT_ORIGIN": self.psp_url,
        }

    def start(self) -> None:
        env = self.portal_env()
        python = sys.executable
        for number, port in enumerate(self.node_ports, start=1):
            self._add(f"node{number}", [python, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                                        "wsgi:app"], {**env, "GUNICORN_BIND": f"{HOST}:{port}"})
            self._add(f"mail-worker{number}", [python, "-m", "flask", "--app", "wsgi", "mail",
                                               "worker", "--interval", "1"], env)
            self._add(f"payments-worker{number}", [python, "-m", "flask", "--app", "wsgi",
                                                   "payments", "worker", "--interval", "1"], env)
        self._add("balancer", *balancer(self.balancer_port, self.node_ports, self.socket_path))
        for port in self.node_ports:
            wait_for(f"http://{HOST}:{port}/healthz", timeout=60)
        self.wait_until(lambda states: states == {"node1": "UP", "node2": "UP"})

    def _add(self, name: str, args: list[str], env: dict[str, str]) -> None:
        service = Service(name, args, env, self.folder / f"{name}.log")
        self.services[name] = service
        service.start()

    def kill(self, name: str) -> None:
        self.services[name].kill()

    def restart(self, name: str) -> None:
        self.services[name].start()

    def stop(self) -> None:
        for service in reversed(list(self.services.values())):
            service.stop()

    # ------------------------------------------------------------------ the balancer's view

    def balancer_stats(self) -> dict[str, dict[str, str]]:
        """HAProxy's `show stat` for the app nodes, by server name (status, stot = requests)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as admin:
            admin.connect(str(self.socket_path))
            admin.sendall(b"show stat\n")
            data = b""
            while chunk := admin.recv(65536):
                data += chunk
        rows = csv.DictReader(io.StringIO(data.decode().removeprefix("# ")))
        return {row["svname"]: row for row in rows if row["svname"] in ("node1", "node2")}

    def node_states(self) -> dict[str, str]:
        return {name: row["status"] for name, row in self.balancer_stats().items()}

    def requests_served(self) -> dict[str, int]:
        return {name: int(row["stot"]) for name, row in self.balancer_stats().items()}

    def wait_until(self, condition, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if condition(self.node_states()):
                    return
            except (FileNotFoundError, ConnectionRefusedError):
                pass  # HAProxy is still starting
            if time.monotonic() > deadline:
                raise TimeoutError(f"balancer: {self.node_states()}; logs in {self.folder}")
            time.sleep(0.2)


def balancer(port: int, node_ports, socket_path: Path) -> tuple[list[str], dict[str, str]]:
    """The command and environment of HAProxy with the shipped configuration."""
    return [haproxy_binary(), "-db", "-f", str(HAPROXY_CONFIG)], {
        **os.environ, "BALANCER_BIND": f"{HOST}:{port}", "PORTAL_HOST": HOST,
        "HAPROXY_SOCKET": str(socket_path), "HAPROXY_PAGES": str(HAPROXY_CONFIG.parent),
        **{f"PORTAL_NODE_{n}": f"{HOST}:{node}" for n, node in enumerate(node_ports, start=1)}}


class FromAddress(HTTPAdapter):
    """Connections from one loopback address (127.0.0.0/8 is all this machine's): a browser
    session from a client address of its own, as the per-client limits see residents."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(pool_maxsize=20)  # a browser sending one form many times at once

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def browser(client_number: int = 1) -> requests.Session:
    """A resident's browser at its own client address 127.0.1.<n>."""
    session = requests.Session()
    session.mount("http://", FromAddress(f"127.0.1.{client_number}"))
    return session
