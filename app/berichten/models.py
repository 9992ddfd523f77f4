"""Berichten: the resident's secure inbox in Mijn omgeving (like the Berichtenbox).

A message is addressed to a BSN and read only after a DigiD login; in URLs it is
known by its random ``public_id``. The zaak is kept by its identificatie (no
foreign key), as in the disclosure log, so a message outlives its zaak.

Most messages go one way, from the municipality. When the resident writes (an answer to
a message, a question about a zaak) the messages of that conversation share a Thread:
one per zaak, or per subject for a question not about a zaak.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.texts import Localized

FROM_MUNICIPALITY = "gemeente"
FROM_RESIDENT = "inwoner"


class Thread(Base):
    """A conversation between one resident and the municipality: about a zaak
    (``zaak_identificatie``) or else about a subject (``onderwerp``); the other of the two
    is "" so that the pair is unique per resident. ``team`` answers it: the zaak's team
    when the resident last wrote, the KCC for a subject. ``waiting_since`` is when the
    oldest message the municipality has not answered came; None when all are answered."""

    __tablename__ = "message_threads"
    __table_args__ = (
        UniqueConstraint("bsn", "zaak_identificatie", "onderwerp"),
        # The back office's list: a team's waiting threads, the longest waiting first.
        Index("ix_message_threads_team_waiting_since", "team", "waiting_since"),
        # The KCC's list, of every team.
        Index("ix_message_threads_waiting_since", "waiting_since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    bsn: Mapped[str] = mapped_column(String(9))
    zaak_identificatie: Mapped[str] = mapped_column(String(40), index=True)  # zaak routed
    onderwerp: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    waiting_since: Mapped[datetime | None] = mapped_column(DateTime)  # naive UTC

    @property
    def is_waiting(self) -> bool:
        return self.waiting_since is not None

    def __repr__(self) -> str:
        return f"<Thread {self.public_id}>"


class Message(Localized, Base):
    """One message from the municipality to a resident. ``onderwerp`` and ``tekst`` hold
    the Dutch text; the ``_en`` twins the English one where the sender had it (status
    messages do, a staff member's message may not): ``localized()`` falls back to Dutch."""

    __tablename__ = "messages"
    __table_args__ = (
        # The inbox: a resident's messages newest first, and the unread count.
        Index("ix_messages_bsn_created_at", "bsn", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    bsn: Mapped[str] = mapped_column(String(9))
    zaak_identificatie: Mapped[str | None] = mapped_column(String(40), index=True)
    onderwerp: Mapped[str] = mapped_column(String(200))
    onderwerp_en: Mapped[str] = mapped_column(String(200), default="")
    tekst: Mapped[str] = mapped_column(Text)
    tekst_en: Mapped[str] = mapped_column(Text, default="")
    afzender: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What the message announces, when it may be announced more than once (a status the
    # back office set and the zaaksysteem's notificatie of it): the second finds the first.
    dedupe_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    # A conversation's messages share its thread; a one-way message has none (until the
    # resident answers it: then it opens the thread).
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("message_threads.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10), default=FROM_MUNICIPALITY,
                                           server_default=FROM_MUNICIPALITY)
    # When staff first read a resident's message (None: unread in the back office).
    staff_read_at: Mapped[datetime | None] = mapped_column(DateTime)

    # Loaded only where used (the message page), so the inbox pays nothing for them.
    thread: Mapped[Thread | None] = relationship()
    attachments: Mapped[list[MessageAttachment]] = relationship(
        order_by="MessageAttachment.id", cascade="all, delete-orphan")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def from_resident(self) -> bool:
        return self.direction == FROM_RESIDENT

    def __repr__(self) -> str:
        return f"<Message {self.public_id}>"


class MessageAttachment(Base):
    """A file sent with a message (a letter, a decision). The bytes live in the zaken
    DocumentStore under storage_key; bestandsnaam is metadata only, never a path."""

    __tablename__ = "message_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    bestandsnaam: Mapped[str] = mapped_column(String(255))
    formaat: Mapped[str] = mapped_column(String(100))  # media type
    bestandsomvang: Mapped[int]  # bytes
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
