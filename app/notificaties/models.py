"""The inbox of ZGW notificaties: what the Notificaties API delivered, until a worker handled it.

Not to be confused with app.notifications, the outbox of mail the portal sends.
"""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base

STATUS_PENDING = "pending"        # waiting for its (next) attempt at next_attempt_at
STATUS_PROCESSING = "processing"  # claimed by a worker until claimed_until
STATUS_PROCESSED = "processed"    # every handler ran and committed (processed_at)
STATUS_IGNORED = "ignored"        # no handler for its kanaal/resource/actie (processed_at)
STATUS_FAILED = "failed"          # gave up after NOTIFICATIES_MAX_ATTEMPTS attempts

STATUSES = (STATUS_PENDING, STATUS_PROCESSING, STATUS_PROCESSED, STATUS_IGNORED, STATUS_FAILED)


class ReceivedNotification(Base):
    """One notificatie (the Notificaties API's ``Message``) as it was received.

    ``dedupe_key`` is a SHA-256 of kanaal, actie, resourceUrl and aanmaakdatum (see
    app.notificaties.services.dedupe_key): the Notificaties API retries a delivery it
    thinks failed, and the second copy must add nothing.
    """

    __tablename__ = "received_notifications"
    __table_args__ = (
        # The worker's query: due pending rows, and processing rows whose claim expired;
        # `flask notificaties status` counts per status with it too.
        Index("ix_received_notifications_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    # The message's fields, named as in the Notificaties API.
    kanaal: Mapped[str] = mapped_column(String(50))
    hoofd_object: Mapped[str] = mapped_column(Text)
    resource: Mapped[str] = mapped_column(String(100))
    resource_url: Mapped[str] = mapped_column(Text)
    actie: Mapped[str] = mapped_column(String(100))
    aanmaakdatum: Mapped[datetime] = mapped_column(DateTime)   # naive UTC
    kenmerken: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str | None] = mapped_column(String(100))
    # The inbox's own bookkeeping.
    received_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default=STATUS_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The error's type and where it was raised; never its text, which may quote a BSN.
    last_error: Mapped[str | None] = mapped_column(String(300))

    def __repr__(self) -> str:  # no URLs or kenmerken: reprs end up in logs
        return (f"<ReceivedNotification {self.id} {self.kanaal}/{self.resource}/{self.actie} "
                f"{self.status} attempts={self.attempts}>")
