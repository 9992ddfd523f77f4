"""Database engine and ORM sessions: one engine per app, one ORM session per request."""

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime

from flask import Flask, current_app, g
from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Now as naive UTC: the convention of every DateTime column."""
    return datetime.now(UTC).replace(tzinfo=None)


# The INSERT constructs that know ON CONFLICT, by dialect name.
DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_insert(session: Session, table):
    """An INSERT that knows ON CONFLICT, for the session's database (PostgreSQL or SQLite)."""
    return DIALECT_INSERTS[session.get_bind().dialect.name](table)


class Database:
    """Holds the app's engine and session factory (``app.extensions["db"]``)."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15})
        _make_sqlite_transactional(engine)
        return engine
    engine = create_engine(url)
    _ping_after_idle(engine)
    return engine


# A pooled connection unused for longer than this is tested before a request gets it: a
# database restart or a firewall's idle timeout may have closed it. One in steady use is
# not: SQLAlchemy's pool_pre_ping would add a round trip to every request (0.1 to 0.2 ms
# of a page's 4). A connection that breaks while in use fails its request, and SQLAlchemy
# then replaces every connection of the pool.
PING_AFTER_IDLE_SECONDS = 5.0
_LAST_USED = "portal_last_used"


def _ping_after_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        last_used = record.info.get(_LAST_USED)
        if last_used is None or time.monotonic() - last_used < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool discards this connection and hands out a fresh one.
            raise DisconnectionError("pooled connection closed while idle") from error


def _make_sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, begin transactions.

    pysqlite's own transaction handling breaks SAVEPOINT and transactional DDL;
    this is SQLAlchemy's documented recipe. Foreign keys are off in SQLite
    unless switched on per connection, and WAL lets readers run beside a writer.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get(SQLITE_BEGIN_IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# Execution option read by the SQLite "begin" listener; see begin_write().
SQLITE_BEGIN_IMMEDIATE = "sqlite_begin_immediate"


def begin_write(session: Session) -> None:
    """Begin the session's transaction as a writer, for work that must not fail under
    concurrent writers (opening a zaak: 50 parallel submits must give 50 zaken).

    SQLite: a transaction that reads first and writes later cannot wait for another
    writer: when one committed after its first read, SQLite answers "database is locked"
    at once, without the busy timeout. BEGIN IMMEDIATE takes the write lock at the
    start, so concurrent writers queue on the busy timeout instead. PostgreSQL: a plain
    BEGIN (row locks do the work there). The session must not be in a transaction yet.
    """
    if session.in_transaction():
        raise RuntimeError("begin_write: commit or roll back the session's transaction first")
    session.connection(execution_options={SQLITE_BEGIN_IMMEDIATE: True})


def serialise(session: Session, rule: str, subject: str) -> None:
    """Make the transactions that check one counting rule for one subject (one permit per
    address; appointments per resident and day) run one after the other, from here until
    the session's transaction ends; call it before the rule's count.

    PostgreSQL: a transaction-level advisory lock on a 64-bit hash of rule and subject
    (nothing stored: no personal data in a table, nothing to purge; released at COMMIT or
    ROLLBACK; a collision only makes two unrelated transactions wait for each other). The
    next transaction's count, a new statement under READ COMMITTED, sees what the first
    committed. SQLite needs nothing: one writer at a time (transaction() begins as one),
    and a transaction that read before another writer's commit cannot write after it.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"{rule}\x1f{subject}".encode()).digest()
    session.execute(_ADVISORY_LOCK, {"key": int.from_bytes(digest[:8], "big", signed=True)})


_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def init_app(app: Flask) -> None:
    app.extensions["db"] = Database(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The ORM session of the current request (or app context)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db"].sessionmaker()
    return g.db_session


def _close_session(exc: BaseException | None) -> None:
    """End the request's session. A request that went well and left nothing unflushed ends
    its (read) transaction with COMMIT, not ROLLBACK: psycopg forgets its prepared
    statements at every ROLLBACK, so ending reads with one would re-plan every query of
    every request (PostgreSQL plans cost more than these small queries run)."""
    session = g.pop("db_session", None)
    if session is None:
        return
    if exc is None and session.in_transaction() and not _has_unflushed_changes(session):
        # A failed statement the view handled leaves a transaction that cannot commit: its
        # reads lose nothing, and close() rolls it back.
        with suppress(SQLAlchemyError):
            session.commit()
    session.close()


def _has_unflushed_changes(session: Session) -> bool:
    # Writes belong in transaction(); anything changed outside it is dropped, as before.
    return bool(session.new or session.dirty or session.deleted)


@contextmanager
def transaction() -> Iterator[Session]:
    """A writer's transaction on the request's session: committed when the block
    succeeds, rolled back when it fails.

    SQLite: what the session did before (reads: the login session, the draft) is
    committed first and the block begins as a writer (begin_write), so concurrent
    writers queue on the busy timeout instead of failing with "database is locked".
    PostgreSQL: the block goes on in the transaction the reads began (row locks do the
    work; READ COMMITTED reads see every commit), which saves a COMMIT and a BEGIN
    round trip per write. Writes happen only inside transaction(), so the reads
    before it have nothing to lose.
    """
    session = get_session()
    if session.get_bind().dialect.name == "sqlite":
        session.commit()
        begin_write(session)
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
