"""Drafts of e-forms: the answers a resident has given so far, saved at every step."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class FormDraft(Base):
    """One resident's (or one anonymous browser session's) filling-in of one form.

    ``id`` is an opaque random token that appears in URLs; the owner is the
    logged-in BSN, or, for anonymous drafts, the server-side session that
    started it (the route keeps the ids there). ``zaak_identificatie`` is set
    once, by a conditional UPDATE, when the draft is submitted: that claim
    makes submitting idempotent.
    """

    __tablename__ = "form_draft"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    form_slug: Mapped[str] = mapped_column(String(64))
    owner_bsn: Mapped[str | None] = mapped_column(String(9))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    completed_steps: Mapped[list] = mapped_column(JSON, default=list)
    current_step: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    # sha256 of the resume-link token; the token itself is only in the mail.
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    resume_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    zaak_identificatie: Mapped[str | None] = mapped_column(String(40))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    __table_args__ = (Index("ix_form_draft_owner_bsn_form_slug", "owner_bsn", "form_slug"),)
