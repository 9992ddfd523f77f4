"""One-time tokens of visitors' forms: a form that is sent twice (a double click, a reload
after POST, two tabs, two requests at the same moment) acts once.

The page hands out a fresh token with the form; the POST that acts first claims it in the
database, in the transaction of its action, by inserting its hash into a table where it is
unique. Any other POST with the same token finds it claimed, on SQLite and PostgreSQL
alike, also when both arrive at once (PostgreSQL makes the second INSERT wait for the first
transaction: when that commits, the second finds the claim; when it rolls back, the claim
goes with it and the second may act). The claim keeps the action's outcome (e.g. the
zaaknummer), so the second POST shows what the first one did.

The session only knows which tokens it was given (the route's business); whether a token
was used is never kept there: two requests read the same session at the same moment.
The back office has the same thing for staff forms (app.backoffice.services.claim_submission).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import DateTime, String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, dialect_insert, utcnow


class UsedFormToken(Base):
    """A visitor's form that acted: the hash of its one-time token (unique), what it was
    for and what came of it. No BSN, no answers."""

    __tablename__ = "used_form_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(String(64))
    used_at: Mapped[datetime] = mapped_column(DateTime, index=True)


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def claim_form_token(session: Session, token: str, *, purpose: str) -> bool:
    """True for the first use of this token, in the caller's transaction (a rollback of the
    action frees it again); False when another request used it. One INSERT ... ON CONFLICT
    DO NOTHING."""
    table = UsedFormToken.__table__
    statement = (dialect_insert(session, table)
                 .values(token_hash=_hash(token), purpose=purpose, used_at=utcnow())
                 .on_conflict_do_nothing(index_elements=[table.c.token_hash])
                 .returning(table.c.token_hash))
    return session.execute(statement).scalar_one_or_none() is not None


def record_outcome(session: Session, token: str, outcome: str) -> None:
    """What the claimed token's action made (e.g. a zaaknummer), for a second POST to show."""
    session.execute(update(UsedFormToken).where(UsedFormToken.token_hash == _hash(token))
                    .values(outcome=outcome).execution_options(synchronize_session=False))


def outcome_of(session: Session, token: str, *, purpose: str) -> str | None:
    """The outcome recorded for a used token of this purpose; None when there is none."""
    return session.scalar(select(UsedFormToken.outcome).where(
        UsedFormToken.token_hash == _hash(token), UsedFormToken.purpose == purpose))


def forget_form_tokens(session: Session, older_than: timedelta) -> int:
    """Delete the tokens used longer ago than older_than; how many. A form cannot be sent
    again once its session has ended (its CSRF token ends with it), so a token need not
    outlive SESSION_ABSOLUTE_TIMEOUT."""
    return session.execute(delete(UsedFormToken)
                           .where(UsedFormToken.used_at < utcnow() - older_than)).rowcount
