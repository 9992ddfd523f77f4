"""What several parts of the back office share in their rules: one zaak with everything staff
see, and the one-time tokens that make a form act once.

Services take the caller's Session plus plain arguments, flush and never commit; the
routes own the transaction (app.db.transaction()). Who may see or handle what is decided
in app.auth.permissions. Zaken are read and changed through the zaken store
(app.zaken.store), as typed values. Each part's own rules are in its services module.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.backoffice.models import FormSubmission
from app.db import dialect_insert, utcnow
from app.zaken.store import StaffZaak, get_zaken_store

# --------------------------------------------------------------------------- one zaak


def zaak_for_staff(session: Session, identificatie: str, *,
                   for_update: bool = False) -> StaffZaak | None:
    """The zaak with all its page shows, in a fixed number of queries. for_update: lock it
    for the transaction (PostgreSQL), so two actions on one zaak run one after the other."""
    return get_zaken_store(session).staff_zaak(identificatie, for_update=for_update)


# --------------------------------------------------------------------------- double submits


def new_submission_token() -> str:
    return secrets.token_urlsafe(24)


def submission_used(session: Session, token: str) -> bool:
    """Whether a form with this one-time token has acted already."""
    return session.scalar(select(FormSubmission.id).where(FormSubmission.token == token)
                          .limit(1)) is not None


def claim_submission(session: Session, *, token: str, action: str, zaak: str,
                     username: str) -> bool:
    """True the first time this form's one-time token is used; False for a second submit
    of the same form (a double click, a reload after POST, a second tab). One INSERT ...
    ON CONFLICT DO NOTHING: also right when both submits arrive at the same moment, and the
    claim is rolled back with the action when that fails."""
    table = FormSubmission.__table__
    statement = (dialect_insert(session, table)
                 .values(token=token, action=action, zaak_identificatie=zaak,
                         staff_username=username, created_at=utcnow())
                 .on_conflict_do_nothing(index_elements=[table.c.token])
                 .returning(table.c.id))
    return session.execute(statement).scalar_one_or_none() is not None


def forget_submissions(session: Session, older_than: timedelta) -> int:
    """Delete the one-time tokens of forms that acted longer ago than older_than; how many.
    A form cannot be sent again once its staff session has ended (its CSRF token ends with
    it), so a token need not outlive SESSION_ABSOLUTE_TIMEOUT; the rows name the employee,
    so they are not kept longer than that needs."""
    cutoff = utcnow() - older_than
    return session.execute(delete(FormSubmission)
                           .where(FormSubmission.created_at < cutoff)).rowcount
