"""API partners, their tokens, the API's audit log and its idempotency keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base


class ApiPartner(Base):
    """An organisation that uses the API: the zaaksysteem or a chain partner such as a
    care provider. ``scopes`` are the zaaktype identificaties it may read and change;
    every other zaak does not exist for it."""

    __tablename__ = "api_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Shown to residents in their disclosure log as the recipient: a real organisation name.
    naam: Mapped[str] = mapped_column(String(200), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A read-only partner (e.g. a reporting system) gets 403 on every change.
    can_write: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="partner", order_by="ApiToken.id")

    def may_see(self, zaaktype: str) -> bool:
        return zaaktype in self.scopes

    def __repr__(self) -> str:
        return f"<ApiPartner {self.naam}>"


class ApiToken(Base):
    """A partner's secret: only its SHA-256 is kept (the token has 256 random bits, so a
    plain hash is enough; no salt or slow hash needed). ``prefix`` names it in listings."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("api_partners.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    partner: Mapped[ApiPartner] = relationship(back_populates="tokens")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiAuditEntry(Base):
    """One API call: who, what, how it ended. Never a BSN or a body (the path holds at
    most a zaaknummer)."""

    __tablename__ = "api_audit_entries"
    __table_args__ = (Index("ix_api_audit_entries_partner_id_at", "partner_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("api_partners.id"))  # None: no valid token
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(300))
    status_code: Mapped[int]
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)


class ApiIdempotencyKey(Base):
    """The first successful answer to a POST with an Idempotency-Key, replayed when the
    partner retries it. The unique (partner_id, key) makes a concurrent duplicate fail
    to insert, so it can never apply twice."""

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (UniqueConstraint("partner_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("api_partners.id"))
    key: Mapped[str] = mapped_column(String(255))
    # SHA-256 of method, path and the canonical JSON body: the same key with another
    # request is the partner's mistake (422), not a retry.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
