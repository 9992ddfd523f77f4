"""A real Redis server for the tests of limits shared between app nodes, started once per
test session on a free port in a temporary folder (nothing saved to disk). Tests that use it
are skipped when redis-server is not installed (`apt-get install redis-server`; .ci/run
installs it)."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest
import redis

from tests.conftest import free_port


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """The URL of a Redis server of this test session."""
    server = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/sbin")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    folder, port = tmp_path_factory.mktemp("redis"), free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--save", "", "--appendonly", "no", "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_until_it_answers(url, process, folder)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def shared_limit_store(redis_server):
    """The session's Redis, emptied: each test starts with no counts."""
    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    yield redis_server
    client.close()


def _wait_until_it_answers(url, process, folder) -> None:
    client, deadline = redis.Redis.from_url(url), time.monotonic() + 15
    try:
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = folder / "redis.log"
                    pytest.fail("redis-server did not start: "
                                + (log.read_text()[-2000:] if log.exists() else ""))
                time.sleep(0.05)
    finally:
        client.close()
