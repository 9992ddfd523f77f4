"""Rate limits hold for the whole portal, not per process: the counts live in one shared
store (RATELIMIT_STORAGE_URI, a Redis), and production refuses to start without one."""

import pytest
import redis

from app import create_app
from app.config import TestConfig
from tests.conftest import CLIENT_PRIVATE_KEY_FILE, make_config
from tests.redis_fixtures import redis_server, shared_limit_store  # noqa: F401


@pytest.fixture(autouse=True)
def _limiter_back_in_memory():
    """The limiter is one object per process (app.extensions) and counts in the storage of
    the app made last: after the Redis nodes here, an app in memory for the tests that follow."""
    yield
    create_app(type("Config", (TestConfig,), {"DATABASE_URL": "sqlite://"}))


def _node(database_url, mock_digid, storage_uri):
    """One app node as gunicorn would run it, with a login limit of 3 a minute."""
    config = make_config(database_url, mock_digid)
    config.RATELIMIT_STORAGE_URI = storage_uri
    config.LOGIN_RATE_LIMIT = "3 per minute"
    return create_app(config).test_client()


def test_two_nodes_share_one_limit(database_url, mock_digid, db_connection,
                                   shared_limit_store):
    """A client that spreads its logins over two nodes gets 3 in all, not 3 on each."""
    first = _node(database_url, mock_digid, shared_limit_store)
    second = _node(database_url, mock_digid, shared_limit_store)
    statuses = [node.get("/inloggen/digid").status_code
                for node in (first, second, first, second, first)]
    assert statuses == [302, 302, 302, 429, 429]
    # The counts are in Redis, not in the nodes: once it forgets them, both let logins in again.
    redis.Redis.from_url(shared_limit_store).flushdb()
    assert [first.get("/inloggen/digid").status_code,
            second.get("/inloggen/digid").status_code] == [302, 302]


def _production(**settings):
    return create_app(type("Config", (TestConfig,), {
        "DATABASE_URL": "sqlite://", "PORTAL_ENV": "production",
        "PORTAL_BASE_URL": "https://portaal.elburg.example",
        "OIDC_PRIVATE_KEY_FILE": CLIENT_PRIVATE_KEY_FILE, "PAYMENT_PROVIDER": "mollie",
        "MOLLIE_API_KEY": "test_production", **settings}))


@pytest.mark.parametrize("storage_uri", ["memory://", "", None])
def test_production_does_not_start_with_limits_in_each_process(storage_uri):
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        _production(RATELIMIT_STORAGE_URI=storage_uri)


def test_production_starts_with_a_shared_limit_store(shared_limit_store):
    app = _production(RATELIMIT_STORAGE_URI=shared_limit_store)
    answer = app.test_client().get("/healthz", headers={"Host": "portaal.elburg.example"})
    assert answer.status_code == 200
