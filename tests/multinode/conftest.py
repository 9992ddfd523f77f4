"""The multi-node environment (tests/multinode/cluster.py), started once for this folder's
tests. It needs PostgreSQL (a database of its own: TEST_MULTINODE_DATABASE_URL), HAProxy and
Redis (`apt-get install haproxy redis-server postgresql`); .ci/run provides all three.
Without them these tests are skipped."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app.cli import alembic_config
from tests.conftest import CLIENT_JWKS_FILE, free_port, run_mock_provider
from tests.multinode.cluster import ROOT, Cluster, haproxy_binary
from tests.notifications_fixtures import SmtpTestServer
from tests.redis_fixtures import redis_server  # noqa: F401

DATABASE_URL = os.environ.get("TEST_MULTINODE_DATABASE_URL", "")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/multinode/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.multinode)


@pytest.fixture(scope="session")
def multinode_database() -> str:
    """A fresh PostgreSQL database, migrated and seeded as a release would be."""
    if not DATABASE_URL.startswith("postgresql"):
        pytest.skip("set TEST_MULTINODE_DATABASE_URL to an empty PostgreSQL database")
    if haproxy_binary() is None:
        pytest.skip("HAProxy is not installed (apt-get install haproxy)")
    config = alembic_config(DATABASE_URL)
    command.downgrade(config, "base")
    command.upgrade(config, "heads")
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "seed"], cwd=ROOT,
                   env={**os.environ, "DATABASE_URL": DATABASE_URL}, check=True,
                   stdout=subprocess.DEVNULL)
    return DATABASE_URL


@pytest.fixture(scope="session")
def smtp():
    """The municipality's mail server; tests stop and start it."""
    server = SmtpTestServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def balancer_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def digid(balancer_port):
    """The mock DigiD, which knows only the balancer's address as the portal's."""
    yield from run_mock_provider(balancer_port, "/inloggen/digid/callback",
                                 "--client-jwks", CLIENT_JWKS_FILE)


@pytest.fixture(scope="session")
def cluster(multinode_database, redis_server, smtp, digid, mock_psp, balancer_port,
            tmp_path_factory):
    cluster = Cluster(folder=tmp_path_factory.mktemp("multinode"),
                      database_url=multinode_database, redis_url=redis_server,
                      smtp_port=smtp.port, digid_issuer=digid, balancer_port=balancer_port,
                      psp_url=mock_psp)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def db(cluster):
    """The cluster's database, read as the tests' own eyes (nothing is written here)."""
    engine = create_engine(cluster.database_url)
    with Session(engine) as session:
        yield session
    engine.dispose()
