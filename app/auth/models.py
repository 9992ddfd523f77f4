from datetime import datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class WebSession(Base):
    """A browser session kept on the server; the cookie holds only a random id.

    The id is stored as its SHA-256 hash, so a copy of this table does not let
    anyone take over a session.
    """

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)


class StaffMember(Base):
    """An employee who may use the back office. The municipality's identity provider
    proves who they are; this row says what they may do (role, team) and whether they
    still may (active). Beheerders keep it up to date."""

    __tablename__ = "staff_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)  # the IdP's username claim
    naam: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    # A direct line, for residents whose contact person they are (ZGW keeps 20 characters).
    telefoon: Mapped[str] = mapped_column(String(20), default="")
    role: Mapped[str] = mapped_column(String(20))  # app.auth.permissions.Role
    team: Mapped[str | None] = mapped_column(String(50))  # app.auth.staff.TEAMS
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)


class KeptInput(Base):
    """What a resident typed and had not sent when their session ended (app.auth.kept), until
    they log in again or KEPT_INPUT_HOURS pass.

    Found by a random id that only the browser holds (a cookie), stored as its SHA-256 hash;
    given back only to the same resident: ``owner`` is a keyed hash of their BSN (and of
    whoever acted for them), never the BSN itself.
    """

    __tablename__ = "kept_inputs"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))
    # The page the form is on, with its query (?veld=...): the form it goes back into.
    path: Mapped[str] = mapped_column(String(2000))
    fields: Mapped[list] = mapped_column(JSON)  # [[name, value], ...] as the form posted them
    # The form's progress the session held (e.g. the booking's earlier steps).
    session_state: Mapped[dict] = mapped_column(JSON)
    files_left_out: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
