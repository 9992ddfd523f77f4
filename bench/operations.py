"""What the production settings cost: JSON log lines, Prometheus metrics in multi-process
mode (as gunicorn.conf.py and deploy/systemd run them) and the rate limits counted in Redis,
against the development settings (plain-text log lines, no metrics, limits in memory), and,
for scale, against an app that logs no access line at all. All three are served at once
and requested in turns, so the machine's drift hits them alike.

    .venv/bin/python -m bench.operations [--rounds 3000]

The cost is a fixed amount per request, so it weighs most on the cheapest one: the minimal
route is the yardstick (at most 5 % of it). Uses DATABASE_URL like the app (SQLite file by
default; migrate and seed first).

The production server counts its limits in a redis-server the bench starts (apt-get install
redis-server), or in the one --ratelimit-storage-uri names. Pages without a limit never ask
it; the limited route (the partner API's description: every API request is counted) asks it
on every request.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import redis

from bench.harness import Client, free_port, gunicorn, interleaved, load_average

PATHS = [("minimal route", "/bench/baseline"), ("home", "/"),
         ("product page", "/producten/paspoort"),
         ("limited route", "/api/v1/openapi.json")]
BUDGET = 0.05
# Counted on every request, never reached: the bench measures the count, not a refusal.
UNREACHABLE_LIMIT = {"API_RATE_LIMIT": "100000000 per minute"}


def settings(tmp: str, ratelimit_storage_uri: str) -> dict[str, dict[str, str]]:
    production = {"LOG_FORMAT": "json", "LOG_LEVEL": "INFO", "METRICS_TOKEN": "bench",
                  "PROMETHEUS_MULTIPROC_DIR": str(Path(tmp) / "metrics"),
                  "RATELIMIT_STORAGE_URI": ratelimit_storage_uri, **UNREACHABLE_LIMIT}
    return {"no access log": {"LOG_LEVEL": "WARNING", "METRICS_TOKEN": "", **UNREACHABLE_LIMIT},
            "development": {"LOG_FORMAT": "text", "LOG_LEVEL": "INFO", "METRICS_TOKEN": "",
                            **UNREACHABLE_LIMIT},
            "production": production}


@contextmanager
def redis_server(folder: str):
    """A redis-server of the bench's own on a free port, nothing saved to disk."""
    binary = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/sbin")
    if binary is None:
        sys.exit("redis-server is not installed: apt-get install redis-server, "
                 "or pass --ratelimit-storage-uri")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir",
                                folder, "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3000)
    parser.add_argument("--ratelimit-storage-uri", default="",
                        help="the production server's RATELIMIT_STORAGE_URI (default: a "
                             "redis-server the bench starts)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ops-") as tmp, ExitStack() as stack:
        storage_uri = args.ratelimit_storage_uri or stack.enter_context(redis_server(tmp))
        servers = {}
        for name, env in settings(tmp, storage_uri).items():
            # Log lines go to a file, as journald would take them, not to this terminal.
            log_file = stack.enter_context(open(Path(tmp) / f"{name}.log", "w"))
            servers[name] = stack.enter_context(gunicorn(env, stderr=log_file))
        clients = {name: Client(server.base_url) for name, server in servers.items()}
        requests = {(setting, page): (client, path)
                    for page, path in PATHS for setting, client in clients.items()}
        interleaved(requests, 100)  # warm up every server's workers
        cpu_before = {name: server.worker_cpu_seconds() for name, server in servers.items()}
        timings = interleaved(requests, args.rounds)
        cpu = {name: server.worker_cpu_seconds() - cpu_before[name]
               for name, server in servers.items()}
    print(report(timings, cpu))


def report(timings, cpu) -> str:
    def median(setting, page="minimal route"):
        return timings[(setting, page)].median_ms

    lines = [f"{'page':<14} {'no log ms':>9} {'dev ms':>8} {'prod ms':>8} "
             f"{'prod - dev, % of minimal route':>31}"]
    for page, _ in PATHS:
        cost = (median("production", page) - median("development", page)) / median("development")
        lines.append(f"{page:<14} {median('no access log', page):>9.3f} "
                     f"{median('development', page):>8.3f} {median('production', page):>8.3f} "
                     f"{cost:>31.1%}")
    lines.append("worker CPU over all pages, x development: " + ", ".join(
        f"{name} {seconds / cpu['development']:.3f}" for name, seconds in cpu.items()))
    lines.append(load_average())
    cost = median("production") / median("development") - 1
    lines.append(f"production settings on the minimal route: {cost:+.1%} "
                 f"(budget {BUDGET:.0%}): {'within' if cost <= BUDGET else 'OVER'}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
