"""The back office's reads of the embedded store (StaffZaken in app.zaken.store)."""

from __future__ import annotations

from sqlalchemy.orm import Session


class StaffQueries:
    session: Session
