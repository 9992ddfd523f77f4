"""The outbox: mail written in the caller's transaction and delivered later by a worker."""

import base64
from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base

STATUS_PENDING = "pending"    # waiting for its next attempt (next_attempt_at)
STATUS_SENDING = "sending"    # claimed by a worker until claimed_until
STATUS_SENT = "sent"
STATUS_FAILED = "failed"      # gave up after MAIL_MAX_ATTEMPTS attempts


class OutboxMessage(Base):
    """One mail to one recipient.

    Attachments are kept inline as a JSON list of
    ``{"filename", "content_type", "content": base64}``: the mails are small
    (a confirmation, an .ics) and are read whole, so a child table would only
    add a join. One the worker makes when it sends the mail has ``"maker", "ref"``
    instead of ``content`` (LaterAttachment).
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        # The worker's query: due pending mail, and sending mail whose claim expired.
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=STATUS_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime)
    # The error's type and SMTP code only: server replies can quote the address.
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    def attachment_files(self) -> list[tuple[str, str, bytes]]:
        """(filename, content_type, content) of each attachment kept here (not those the
        mail worker makes when it sends: app.notifications.services.made_attachments)."""
        return [(item["filename"], item["content_type"], base64.b64decode(item["content"]))
                for item in self.attachments if "content" in item]

    def __repr__(self) -> str:  # no address or body: reprs end up in logs
        return f"<OutboxMessage {self.id} {self.status} attempts={self.attempts}>"
