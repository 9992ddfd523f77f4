"""Feedback after a task: one question (a score from 1 to 10, the service concept's target
is 7.0) and an optional remark, asked once per task through a one-time link.

Anonymous by construction: the invitation holds only hashes of its task and of its token,
and the score is stored with the kind of task, the product and the month, apart from the
invitation (app.feedback.models). Services take the caller's Session, flush and never commit.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.db import dialect_insert, utcnow
from app.feedback.models import FeedbackInvitation, FeedbackScore

# The kinds of task a resident is asked about.
FORM, APPOINTMENT, ZAAK = "form", "appointment", "zaak"
SCORES = range(1, 11)
REMARK_MAX = 1000


class Invitation(enum.Enum):
    """Where a one-time link stands."""
    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ScoreRow:
    """The scores of one kind of task for one product in one month: the average is
    total / count."""
    month: date
    product: str
    kind: str
    count: int
    total: int


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def first_of_month(moment: datetime) -> date:
    return moment.date().replace(day=1)


def invite(session: Session, *, task: str, kind: str, product: str) -> str | None:
    """A one-time token (for a link) to score this task, e.g. task="zaak:ZAAK-2026-…": the
    first call per task makes it; any later one, from anywhere, answers None (the task was
    offered already). One INSERT … ON CONFLICT DO NOTHING, safe when two arrive at once."""
    token, now = secrets.token_urlsafe(32), utcnow()
    table = FeedbackInvitation.__table__
    lifetime = timedelta(days=current_app.config["FEEDBACK_LINK_DAYS"])
    made = session.execute(
        dialect_insert(session, table)
        .values(task_hash=_hash(task), token_hash=_hash(token), kind=kind,
                product=product[:100], month=first_of_month(now), expires_at=now + lifetime)
        .on_conflict_do_nothing(index_elements=[table.c.task_hash])
        .returning(table.c.id)).scalar_one_or_none()
    return token if made is not None else None


def invitation_state(session: Session, token: str) -> Invitation:
    row = session.execute(select(FeedbackInvitation.answered_at, FeedbackInvitation.expires_at)
                          .where(FeedbackInvitation.token_hash == _hash(token))).one_or_none()
    if row is None:
        return Invitation.UNKNOWN
    if row.answered_at is not None:
        return Invitation.ANSWERED
    return Invitation.EXPIRED if row.expires_at <= utcnow() else Invitation.OPEN


def answer(session: Session, token: str, *, score: int, remark: str = "") -> Invitation:
    """Store the score once: OPEN when it was stored now, otherwise why not. The invitation
    is marked answered by one conditional UPDATE, so of two answers at once one counts."""
    if score not in SCORES:
        raise ValueError("a score is a whole number from 1 to 10")
    now = utcnow()
    taken = session.execute(
        update(FeedbackInvitation)
        .where(FeedbackInvitation.token_hash == _hash(token),
               FeedbackInvitation.answered_at.is_(None), FeedbackInvitation.expires_at > now)
        .values(answered_at=now)
        .returning(FeedbackInvitation.kind, FeedbackInvitation.product,
                   FeedbackInvitation.month)).one_or_none()
    if taken is None:
        return invitation_state(session, token)
    session.add(FeedbackScore(id=secrets.token_hex(16), kind=taken.kind, product=taken.product,
                              month=taken.month, score=score,
                              remark=remark.strip()[:REMARK_MAX]))
    session.flush()
    return Invitation.OPEN


def scores(session: Session, *, since: date, until: date) -> list[ScoreRow]:
    """The scores per month, product and kind of task for the months from `since` up to and
    including `until` (any day of a month stands for that month), in order."""
    month = FeedbackScore.month
    rows = session.execute(
        select(month, FeedbackScore.product, FeedbackScore.kind,
               func.count(), func.sum(FeedbackScore.score))
        .where(month >= since.replace(day=1), month <= until)
        .group_by(month, FeedbackScore.product, FeedbackScore.kind)
        .order_by(month, FeedbackScore.product, FeedbackScore.kind))
    return [ScoreRow(month=row[0], product=row[1], kind=row[2], count=row[3], total=int(row[4]))
            for row in rows]


def forget_expired_invitations(session: Session) -> int:
    """Delete the invitations whose link has expired (answered or not); how many. A task's
    hash goes with it, which is fine: nothing offers a task again after its link expired."""
    return session.execute(delete(FeedbackInvitation)
                           .where(FeedbackInvitation.expires_at <= utcnow())).rowcount
