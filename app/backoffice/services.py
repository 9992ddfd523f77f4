"""Back office zaken: the work queue, one zaak with everything staff need, the actions on it
and correction requests.

Services take the caller's Session plus plain arguments, flush and never commit; the
routes own the transaction (app.db.transaction()). Who may see or handle what is decided
in app.auth.permissions; the queries here take the result of that decision (the teams
in scope) as an argument.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from app.backoffice.models import FormSubmission
from app.db import dialect_insert, utcnow
from app.zaken.models import (
    Document,
    Resultaat,
    Rol,
    Status,
    StatusType,
    Zaak,
    ZaakType,
)
from app.zaken.services import ZAAKNUMMER

QUEUE_PAGE_SIZE = 25
DIGITS = re.compile(r"[0-9]+")
# The status filter: these three, or the Dutch omschrijving of a statustype.
STATUS_OPEN, STATUS_CLOSED, STATUS_ALL = "open", "gesloten", "alle"
# The overdue filter: past the target date (servicenorm) or past the legal deadline
# (doorlooptijd); a zaak past its legal deadline is past its target too.
OVERDUE_TARGET, OVERDUE_LEGAL = "servicenorm", "doorlooptijd"
CORRECTION_ZAAKTYPE = "CORRECTIEVERZOEK"
CORRECTION_TEAM = "burgerzaken"


# --------------------------------------------------------------------------- the queue


@dataclass(frozen=True)
class QueueFilters:
    zaaktype: str = ""            # ZaakType.identificatie; "" for every zaaktype
    status: str = STATUS_OPEN     # open | gesloten | alle | a statustype's omschrijving
    team: str = ""                # "" for every team in scope
    overdue: str = ""             # "" | servicenorm | doorlooptijd
    q: str = ""                   # zaaknummer (or its last digits) or part of a name


@dataclass(frozen=True)
class QueueRow:
    zaak: Zaak                    # with its zaaktype loaded
    naam: str                     # the initiator's name
    statustype: StatusType | None  # the current status's type
    overdue: str | None           # None, servicenorm or doorlooptijd (the worse one)
    days_overdue: int


def _latest_status_id():
    """The id of the zaak's newest status: statussen only grow, so the highest id is the
    current one. Correlated to the outer Zaak; the index (zaak_id, id) answers it."""
    newer = aliased(Status)
    return (select(func.max(newer.id)).where(newer.zaak_id == Zaak.id)
            .correlate(Zaak).scalar_subquery())


def _initiator_join():
    return and_(Rol.zaak_id == Zaak.id, Rol.omschrijving_generiek == "initiator")


def _queue_conditions(filters: QueueFilters, teams: list[str] | None, today: date) -> list:
    conditions = []
    if teams is not None:
        conditions.append(Zaak.team.in_(teams))
    if filters.team:
        conditions.append(Zaak.team == filters.team)
    if filters.zaaktype:
        conditions.append(ZaakType.identificatie == filters.zaaktype)
    if filters.status == STATUS_OPEN:
        conditions.append(Zaak.einddatum.is_(None))
    elif filters.status == STATUS_CLOSED:
        conditions.append(Zaak.einddatum.is_not(None))
    elif _filters_on_statustype(filters):
        conditions.append(StatusType.omschrijving == filters.status)
    if filters.overdue == OVERDUE_LEGAL:
        conditions += [Zaak.einddatum.is_(None), Zaak.uiterlijke_einddatum_afdoening < today]
    elif filters.overdue == OVERDUE_TARGET:
        conditions += [Zaak.einddatum.is_(None),
                       or_(Zaak.einddatum_gepland < today,
                           Zaak.uiterlijke_einddatum_afdoening < today)]
    if filters.q:
        conditions.append(_search_condition(filters.q))
    return conditions


def _search_condition(text: str):
    """A whole zaaknummer, its last digits ("12" finds ZAAK-2026-0000000012), or part of the
    initiator's name, any case; LIKE wildcards typed by staff are literal. Each kind is
    looked up where an index serves it (the zaaknummer's unique index; on PostgreSQL the
    trigram indexes on zaaknummer and name, backoffice.models): an OR of them across the
    joined tables made PostgreSQL scan every zaak."""
    text = text.strip()
    if ZAAKNUMMER.fullmatch(text.upper()):
        return Zaak.identificatie == text.upper()
    if DIGITS.fullmatch(text):
        return Zaak.identificatie.endswith(text, autoescape=True)
    return Rol.naam.icontains(text, autoescape=True)


def _queue_from(query, *, with_status: bool = True):
    query = (query.join(ZaakType, ZaakType.id == Zaak.zaaktype_id)
             .outerjoin(Rol, _initiator_join()))
    if not with_status:
        return query
    return (query.outerjoin(Status, Status.id == _latest_status_id())
            .outerjoin(StatusType, StatusType.id == Status.statustype_id))


def _filters_on_statustype(filters: QueueFilters) -> bool:
    return filters.status not in (STATUS_OPEN, STATUS_CLOSED, STATUS_ALL)


def count_queue(session: Session, filters: QueueFilters, *, teams: list[str] | None,
                today: date) -> int:
    """How many zaken match; the current status is looked up only when filtered on."""
    query = _queue_from(select(func.count(Zaak.id)).select_from(Zaak),
                        with_status=_filters_on_statustype(filters))
    return session.scalar(query.where(*_queue_conditions(filters, teams, today)))


def queue_page(session: Session, filters: QueueFilters, *, teams: list[str] | None, today: date,
               limit: int = QUEUE_PAGE_SIZE, offset: int = 0) -> list[QueueRow]:
    """One page of the queue in one query: each zaak with its zaaktype, initiator's name and
    current statustype. Open zaken come most urgent first (legal deadline, then target);
    closed ones most recently closed first.

    teams: the teams whose zaken the user may see (None: every team).
    """
    query = _queue_from(select(Zaak, Rol.naam, StatusType).select_from(Zaak))
    query = query.where(*_queue_conditions(filters, teams, today)).options(
        joinedload(Zaak.zaaktype))
    if filters.status == STATUS_CLOSED:
        query = query.order_by(Zaak.einddatum.desc(), Zaak.id.desc())
    else:
        query = query.order_by(Zaak.uiterlijke_einddatum_afdoening, Zaak.einddatum_gepland,
                               Zaak.id)
    rows = session.execute(query.limit(limit).offset(offset)).all()
    return [_queue_row(zaak, naam, statustype, today) for zaak, naam, statustype in rows]


def _queue_row(zaak: Zaak, naam: str | None, statustype: StatusType | None,
               today: date) -> QueueRow:
    overdue, days = overdue_state(zaak, today)
    return QueueRow(zaak=zaak, naam=naam or "", statustype=statustype, overdue=overdue,
                    days_overdue=days)


def overdue_state(zaak: Zaak, today: date) -> tuple[str | None, int]:
    """(which deadline passed, by how many days) for an open zaak: the legal deadline
    (doorlooptijd) before the target (servicenorm); (None, 0) when on time or closed."""
    if zaak.is_closed:
        return None, 0
    if today > zaak.uiterlijke_einddatum_afdoening:
        return OVERDUE_LEGAL, (today - zaak.uiterlijke_einddatum_afdoening).days
    if zaak.einddatum_gepland is not None and today > zaak.einddatum_gepland:
        return OVERDUE_TARGET, (today - zaak.einddatum_gepland).days
    return None, 0


def zaaktype_choices(session: Session) -> list[ZaakType]:
    return list(session.scalars(select(ZaakType).order_by(ZaakType.omschrijving)))


def status_choices(session: Session) -> list[tuple[str, str]]:
    """The statustypen's names across zaaktypen, once each, in the order zaken reach them:
    [(Dutch omschrijving, English omschrijving)]."""
    query = (select(StatusType.omschrijving, func.max(StatusType.omschrijving_en))
             .group_by(StatusType.omschrijving)
             .order_by(func.min(StatusType.volgnummer), StatusType.omschrijving))
    return [(dutch, english or dutch) for dutch, english in session.execute(query)]


# --------------------------------------------------------------------------- one zaak


def zaak_for_staff(session: Session, identificatie: str, *, for_update: bool = False,
                   refresh: bool = False) -> Zaak | None:
    """The zaak with all its detail page shows, in a fixed number of queries: the zaak with
    zaaktype and result; then statustypen, resultaattypen, statussen, rollen, documents
    (every level: staff may see them all) and document requests.

    for_update: lock the zaak's row for the transaction (PostgreSQL), so two actions on one
    zaak run one after the other; refresh: overwrite what the session had loaded before.
    """
    query = (
        select(Zaak).where(Zaak.identificatie == identificatie)
        .options(joinedload(Zaak.zaaktype).selectinload(ZaakType.statustypen),
                 joinedload(Zaak.zaaktype).selectinload(ZaakType.resultaattypen),
                 joinedload(Zaak.resultaat).joinedload(Resultaat.resultaattype),
                 selectinload(Zaak.statussen).joinedload(Status.statustype),
                 selectinload(Zaak.rollen),
                 selectinload(Zaak.documenten),
                 selectinload(Zaak.document_requests))
    )
    if for_update:
        # Only the zaak's own row: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer joins that load the result.
        query = query.with_for_update(of=Zaak)
    if refresh:
        query = query.execution_options(populate_existing=True)
    return session.scalars(query).unique().one_or_none()


def zaak_document(session: Session, identificatie: str, document_id: int) -> Document | None:
    """A document of this zaak (any vertrouwelijkheidaanduiding), with its zaak."""
    query = (select(Document).join(Document.zaak)
             .where(Document.id == document_id, Zaak.identificatie == identificatie)
             .options(joinedload(Document.zaak)))
    return session.scalar(query)


def current_status(zaak: Zaak) -> Status | None:
    return zaak.statussen[-1] if zaak.statussen else None


def next_statustypen(zaak: Zaak) -> list[StatusType]:
    """The statuses staff may set next: every later step except the eindstatus (a result
    closes the zaak). Skipping a step is allowed; going back is not."""
    if zaak.is_closed:
        return []
    status = current_status(zaak)
    reached = status.statustype.volgnummer if status else 0
    return [statustype for statustype in zaak.zaaktype.statustypen
            if statustype.volgnummer > reached and not statustype.is_eindstatus]


def initiator_bsn(zaak: Zaak) -> str | None:
    initiator = zaak.initiator
    return initiator.inp_bsn if initiator else None


def masked_bsn(bsn: str | None) -> str:
    """Enough for staff to tell two residents apart on the phone, never the whole number."""
    return f"******{bsn[-3:]}" if bsn else ""


def zaak_data_categories(zaak: Zaak) -> list[str]:
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


def open_corrections(session: Session) -> list[Zaak]:
    """Open correction requests for team Burgerzaken, oldest first, with status, initiator
    and documents: four queries however many there are."""
    query = (select(Zaak).join(Zaak.zaaktype)
             .where(ZaakType.identificatie == CORRECTION_ZAAKTYPE, Zaak.einddatum.is_(None),
                    Zaak.team == CORRECTION_TEAM)
             .options(joinedload(Zaak.zaaktype),
                      selectinload(Zaak.statussen).joinedload(Status.statustype),
                      selectinload(Zaak.rollen), selectinload(Zaak.documenten))
             .order_by(Zaak.registratiedatum, Zaak.id))
    return list(session.scalars(query).unique())


@dataclass(frozen=True)
class CorrectionRequest:
    """What the resident asked, as app.pip.gegevens stored it in the zaak's aanvraaggegevens."""

    veld: str                 # the item's key, e.g. "geboorteplaats"
    veld_omschrijving: str    # the BRP's own name, e.g. "Geboorteplaats"
    huidige_waarde: str       # as the resident saw it when asking
    juiste_waarde: str        # what the resident says is right
    toelichting: str          # what is wrong, in the resident's words


def correction_request(zaak: Zaak) -> CorrectionRequest:
    answers: dict[str, Any] = dict(zaak.aanvraaggegevens or {})
    return CorrectionRequest(**{name: str(answers.get(name, ""))
                                for name in CorrectionRequest.__dataclass_fields__})


def is_correction(zaak: Zaak) -> bool:
    return zaak.zaaktype.identificatie == CORRECTION_ZAAKTYPE
