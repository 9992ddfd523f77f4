"""Count the SQL statements a request runs: pages must run a fixed number, whatever the data."""

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def counted_queries(app):
    """The SQL statements the engine runs (transaction control like SAVEPOINT left out)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if statement.split(None, 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH"):
            statements.append(statement)

    engine = app.extensions["db"].engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
