"""The zaken API's reads of the embedded store (PartnerZaken in app.zaken.store)."""

from __future__ import annotations

from sqlalchemy.orm import Session


class PartnerQueries:
    session: Session
