"""The engine's connection pool (app.db.make_engine)."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app import db


@pytest.fixture
def postgres_engine(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the idle ping is for PostgreSQL (SQLite has no server connection)")
    engine = db.make_engine(database_url)
    yield engine
    engine.dispose()


def _backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT pg_backend_pid()"))


def _terminate(database_url: str, pid: int) -> None:
    """Close the connection from the server's side, as a restart or an idle timeout does."""
    with create_engine(database_url, poolclass=NullPool).connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_a_connection_closed_while_idle_is_replaced_before_use(postgres_engine, database_url,
                                                               monkeypatch):
    pid = _backend_pid(postgres_engine)
    _terminate(database_url, pid)
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert _backend_pid(postgres_engine) != pid   # a request gets a working connection


def test_only_a_connection_idle_for_a_while_is_pinged(postgres_engine, monkeypatch):
    pings = []
    ping = postgres_engine.dialect.do_ping
    monkeypatch.setattr(postgres_engine.dialect, "do_ping",
                        lambda connection: pings.append(1) or ping(connection))
    for _ in range(3):
        _backend_pid(postgres_engine)
    assert pings == []                           # in steady use: no extra round trip
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    _backend_pid(postgres_engine)
    assert pings == [1]
