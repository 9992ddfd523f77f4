"""Back office tables (the indexes its queries need on the zaken tables are the embedded
store's, in app.zaken.models)."""

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class FormSubmission(Base):
    """A back-office form that was submitted: its one-time token, so a second submit of the
    same form (double click, reload, second tab) has no second effect. The unique token
    decides, in the database, which of two simultaneous submits acts."""

    __tablename__ = "backoffice_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    action: Mapped[str] = mapped_column(String(30))
    zaak_identificatie: Mapped[str] = mapped_column(String(40))
    staff_username: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime)
