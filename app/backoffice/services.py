"""Back office zaken: the work queue, one zaak with everything staff need, the actions on it
and correction requests.

Services take the caller's Session plus plain arguments, flush and never commit; the
routes own the transaction (app.db.transaction()). Who may see or handle what is decided
in app.auth.permissions; the queries here take the result of that decision (the teams
in scope) as an argument. Zaken are read and changed through the zaken store
(app.zaken.store), as typed values.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.backoffice.models import FormSubmission
from app.db import dialect_insert, utcnow
from app.zaken.store import (
    StaffZaak,
    StatusTypeRecord,
    get_zaken_store,
)

QUEUE_PAGE_SIZE = 25
CORRECTION_ZAAKTYPE = "CORRECTIEVERZOEK"
CORRECTION_TEAM = "burgerzaken"


# --------------------------------------------------------------------------- the queue


# --------------------------------------------------------------------------- one zaak


def zaak_for_staff(session: Session, identificatie: str, *,
                   for_update: bool = False) -> StaffZaak | None:
    """The zaak with all its page shows, in a fixed number of queries. for_update: lock it
    for the transaction (PostgreSQL), so two actions on one zaak run one after the other."""
    return get_zaken_store(session).staff_zaak(identificatie, for_update=for_update)


def next_statustypen(zaak: StaffZaak) -> list[StatusTypeRecord]:
    """The statuses staff may set next: every later step except the eindstatus (a result
    closes the zaak). Skipping a step is allowed; going back is not."""
    if zaak.is_closed:
        return []
    status = zaak.current_status
    reached = status.statustype.volgnummer if status else 0
    return [statustype for statustype in zaak.zaaktype.statustypen
            if statustype.volgnummer > reached and not statustype.is_eindstatus]


def initiator_bsn(zaak: StaffZaak) -> str | None:
    return zaak.initiator_bsn


def masked_bsn(bsn: str | None) -> str:
    """Enough for staff to tell two residents apart on the phone, never the whole number."""
    return f"******{bsn[-3:]}" if bsn else ""


def zaak_data_categories(zaak: StaffZaak) -> list[str]:
    """What the detail page shows of the resident, as the disclosure log's categories."""
    categories = ["naam", "zaakgegevens"]
    initiator = zaak.initiator
    if initiator and initiator.adres:
        categories.append("adres")
    if initiator and (initiator.email or initiator.telefoon):
        categories.append("contactgegevens")
    if zaak.documenten:
        categories.append("documenten")
    return categories


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


# --------------------------------------------------------------------------- corrections


def open_corrections(session: Session) -> list[StaffZaak]:
    """Open correction requests for team Burgerzaken, oldest first, in a fixed number of
    queries however many there are."""
    return get_zaken_store(session).open_zaken_of_type(CORRECTION_ZAAKTYPE, team=CORRECTION_TEAM)


@dataclass(frozen=True)
class CorrectionRequest:
    """What the resident asked, as app.pip.gegevens stored it in the zaak's aanvraaggegevens."""

    veld: str                 # the item's key, e.g. "geboorteplaats"
    veld_omschrijving: str    # the BRP's own name, e.g. "Geboorteplaats"
    huidige_waarde: str       # as the resident saw it when asking
    juiste_waarde: str        # what the resident says is right
    toelichting: str          # what is wrong, in the resident's words


def correction_request(zaak: StaffZaak) -> CorrectionRequest:
    answers: dict[str, Any] = dict(zaak.aanvraaggegevens or {})
    return CorrectionRequest(**{name: str(answers.get(name, ""))
                                for name in CorrectionRequest.__dataclass_fields__})


def is_correction(zaak: StaffZaak) -> bool:
    return zaak.zaaktype.identificatie == CORRECTION_ZAAKTYPE
