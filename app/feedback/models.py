"""Feedback: the invitations to score a task and the scores, kept apart.

An invitation knows its task only as a hash (so a task is asked once) and its one-time
link only as a hash. A score knows the kind of task, the product and the month, and
nothing that leads back to the invitation, the resident, a zaak or a session: its id is
random (no order to line up with the invitations' answer times) and it has no timestamp.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class FeedbackInvitation(Base):
    """One task a resident may score, once, through a one-time link until expires_at."""

    __tablename__ = "feedback_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    product: Mapped[str] = mapped_column(String(100))
    month: Mapped[date] = mapped_column(Date)  # the first day of the task's month
    # Purged after it (forget_expired_invitations), answered or not.
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)


class FeedbackScore(Base):
    """One answer: a score from 1 to 10 and what the resident chose to add."""

    __tablename__ = "feedback_scores"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 10", name="score_1_to_10"),
        # The dashboard's sums per month (scores(since, until)).
        Index("ix_feedback_scores_month_product_kind", "month", "product", "kind"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, no order
    kind: Mapped[str] = mapped_column(String(20))
    product: Mapped[str] = mapped_column(String(100))
    month: Mapped[date] = mapped_column(Date)
    score: Mapped[int]
    remark: Mapped[str] = mapped_column(Text, default="")
