"""The zaken service: open a zaak, set a status, add a document, set a result, find zaken.

Services take the caller's Session, flush and never commit: the caller (a route
through app.db.transaction(), a CLI command, a worker) owns the transaction.
Impossible transitions raise ZaakTransitionError (the API answers 409).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Sequence, bindparam, insert, select, update
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached, selectinload
from stdnum.nl import bsn as bsn_number

from app.db import dialect_insert, utcnow
from app.texts import Text
from app.uploads import safe_filename
from app.zaken import terms
from app.zaken.documents import get_document_store
from app.zaken.durations import add_duration
from app.zaken.models import (
    Document,
    DocumentRequest,
    RelevanteAndereZaak,
    Resultaat,
    Rol,
    Status,
    Zaak,
    ZaaknummerCounter,
    ZaakType,
)
from app.zaken.signals import status_set
from app.zaken.store import (
    BEHANDELAAR,
    MEDEWERKER,
    Betaling,
    ContactPerson,
    Gemachtigde,
    Initiator,
    RelevanteZaak,
    StatusChange,
    UnknownZaak,
    UnknownZaakType,
    Vertrouwelijkheidaanduiding,
    ZaakTransitionError,
)

log = logging.getLogger(__name__)

# Dates of a zaak are the municipality's calendar dates, not UTC's.
MUNICIPALITY_TIMEZONE = ZoneInfo("Europe/Amsterdam")
OMSCHRIJVING_MAX_LENGTH = 200
# PostgreSQL only, created by migration b7c6d5e4f3a2.
ZAAKNUMMER_SEQUENCE = Sequence("zaaknummer_seq")
# Statements every submit runs, built once with bind parameters: making a statement and
# its cache key anew costs more Python time than these small queries take in the database.
_NEXT_ZAAKNUMMER = select(ZAAKNUMMER_SEQUENCE.next_value())
_ZAAKTYPE = select(ZaakType).where(ZaakType.identificatie == bindparam("identificatie"))
_ZAAKTYPE_WITH_STATUSTYPEN = _ZAAKTYPE.options(joinedload(ZaakType.statustypen))
_INSERT_ZAAK = insert(Zaak.__table__)
_INSERT_ROL = insert(Rol.__table__)
_INSERT_STATUS = insert(Status.__table__)


def today() -> date:
    return datetime.now(MUNICIPALITY_TIMEZONE).date()


def decision_day() -> date:
    """The day a decision is dated: the municipality's, but never after the UTC day. Open
    Zaak judges a besluit's date "not in the future" in UTC (its TIME_ZONE), so in the first
    hour or two of a Dutch day it refuses that day; both stores then date it the day before."""
    return min(today(), datetime.now(UTC).date())


# --------------------------------------------------------------------------- opening


def open_zaak(session: Session, *, zaaktype: str, initiator: Initiator, omschrijving: str,
              toelichting: str = "", aanvraaggegevens: dict | None = None,
              kenmerken: dict | None = None, registered_by: str,
              startdatum: date | None = None, identificatie: str | None = None,
              gemachtigde: Gemachtigde | None = None, betaling: Betaling | None = None,
              relevante_andere_zaken: tuple[RelevanteZaak, ...] = ()) -> Zaak:
    """Register a zaak of this zaaktype with its initiator and first status (volgnummer 1).

    startdatum defaults to today; pass the day a paper request arrived to date it back.
    identificatie: a zaaknummer the caller took already with next_zaaknummer().
    gemachtigde: who asked for it on the initiator's behalf, if anyone.
    betaling: the online payment made for it (its transaction id becomes a kenmerk).
    relevante_andere_zaken: the zaken it concerns (an objection: the decided zaak).
    """
    if initiator.bsn is not None and not bsn_number.is_valid(initiator.bsn):
        raise ValueError("initiator.bsn is not a valid BSN")
    registratiedatum = today()
    zaaktype_obj = get_zaaktype(session, zaaktype, with_statustypen=True)
    if zaaktype_obj is None:
        raise UnknownZaakType(zaaktype)
    # The zaaknummer as late as possible: its counter row stays locked until the
    # commit, so every concurrent submit waits on it (PostgreSQL) for this long.
    # On SQLite the caller begins as a writer (app.db.begin_write), reads included.
    identificatie = identificatie or next_zaaknummer(session, registratiedatum.year)
    start = startdatum or registratiedatum
    values = dict(
        identificatie=identificatie,
        zaaktype_id=zaaktype_obj.id,
        omschrijving=_shorten(omschrijving, OMSCHRIJVING_MAX_LENGTH),
        toelichting=toelichting,
        registratiedatum=registratiedatum,
        startdatum=start,
        einddatum=None,
        einddatum_gepland=(add_duration(start, zaaktype_obj.servicenorm)
                           if zaaktype_obj.servicenorm else None),
        uiterlijke_einddatum_afdoening=add_duration(start, zaaktype_obj.doorlooptijd),
        vertrouwelijkheidaanduiding=zaaktype_obj.vertrouwelijkheidaanduiding,
        aanvraaggegevens=dict(aanvraaggegevens or {}),
        kenmerken={**(kenmerken or {}), **(betaling.as_kenmerken() if betaling else {})},
        betalingsindicatie=betaling.indicatie if betaling else None,
        laatste_betaaldatum=betaling.betaaldatum if betaling else None,
        registered_by=registered_by,
        team=zaaktype_obj.team,
    )
    # Three plain INSERTs: the ORM's unit of work for the zaak, its rol and status took
    # about 1.3 ms of CPU more per zaak, a sixth of a submit.
    zaak_id = session.execute(_INSERT_ZAAK, values).inserted_primary_key[0]
    session.execute(_INSERT_ROL, dict(
        zaak_id=zaak_id, betrokkene_type="natuurlijk_persoon", omschrijving_generiek="initiator",
        inp_bsn=initiator.bsn, naam=initiator.naam, email=initiator.email,
        telefoon=initiator.telefoon, adres=initiator.adres,
        indicatie_machtiging="machtiginggever" if gemachtigde else ""))
    if gemachtigde:
        session.execute(_INSERT_ROL, dict(
            zaak_id=zaak_id, betrokkene_type="natuurlijk_persoon",
            omschrijving_generiek="belanghebbende", inp_bsn=gemachtigde.bsn,
            naam=gemachtigde.naam, email="", telefoon="", adres="",
            indicatie_machtiging="gemachtigde"))
    session.execute(_INSERT_STATUS, dict(
        zaak_id=zaak_id, statustype_id=zaaktype_obj.statustype(1).id,
        datum_status_gezet=utcnow(), statustoelichting="", gezet_door=registered_by))
    _relate(session, zaak_id, relevante_andere_zaken)
    return _as_persistent(session, Zaak(id=zaak_id, zaaktype=zaaktype_obj, **values))


def _relate(session: Session, zaak_id: int, relevante: tuple[RelevanteZaak, ...]) -> None:
    for relatie in relevante:
        andere_id = session.scalar(select(Zaak.id).where(
            Zaak.identificatie == relatie.identificatie))
        if andere_id is None:
            raise UnknownZaak(relatie.identificatie)
        session.add(RelevanteAndereZaak(zaak_id=zaak_id, andere_zaak_id=andere_id,
                                        aard_relatie=relatie.aard_relatie))
    if relevante:
        session.flush()


def _as_persistent(session: Session, zaak: Zaak) -> Zaak:
    """The just-inserted zaak as an object of the session, without reading it back: its
    collections (rollen, statussen, ...) load when first used."""
    make_transient_to_detached(zaak)
    session.add(zaak)
    return zaak


# What next_zaaknummer() hands out.
ZAAKNUMMER = re.compile(r"ZAAK-[0-9]{4}-[0-9]{10}")


def next_zaaknummer(session: Session, year: int) -> str:
    """The next "ZAAK-{year}-{10 digits}": never the same number twice, gaps allowed.

    PostgreSQL: from the sequence `zaaknummer_seq`. nextval() holds no lock until the
    commit, so concurrent submits do not queue behind each other (the counter row made
    them wait about 20 % of the throughput away); the numbers run on across years.
    SQLite: from the year's counter row; one UPDATE ... RETURNING both reads and bumps
    it, and SQLite serialises writers anyway. A rolled-back transaction leaves a gap.
    """
    if session.get_bind().dialect.name == "postgresql":
        number = session.execute(_NEXT_ZAAKNUMMER).scalar_one()
        return f"ZAAK-{year}-{number:010d}"
    counters = ZaaknummerCounter.__table__
    bump = (update(counters).where(counters.c.year == year)
            .values(last_number=counters.c.last_number + 1)
            .returning(counters.c.last_number))
    number = session.execute(bump).scalar_one_or_none()
    if number is None:  # the year's first zaak: create its row, unless a concurrent one just did
        session.execute(dialect_insert(session, counters).values(year=year, last_number=0)
                        .on_conflict_do_nothing(index_elements=[counters.c.year]))
        number = session.execute(bump).scalar_one()
    return f"ZAAK-{year}-{number:010d}"


def _shorten(text: str, length: int) -> str:
    # A summary, often built from the resident's answers: cut it rather than refuse the submit.
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


# --------------------------------------------------------------------------- changes


def set_status(session: Session, zaak: Zaak, *, volgnummer: int, toelichting: str = "",
               gezet_door: str) -> Status:
    """Move the zaak to the statustype with this volgnummer, recording who did it.

    The eindstatus is not set here: set_resultaat closes a zaak (ZGW needs a result first).
    """
    _refuse_when_closed(zaak)
    statustype = zaak.zaaktype.statustype(volgnummer)
    if statustype is None:
        raise ZaakTransitionError(
            f"{zaak.zaaktype.identificatie} has no statustype with volgnummer {volgnummer}")
    if statustype.is_eindstatus:
        raise ZaakTransitionError("the eindstatus is set by setting a resultaat")
    return _add_status(session, zaak, statustype, toelichting, gezet_door)


def set_resultaat(session: Session, zaak: Zaak, *, resultaattype: str, toelichting: str = "",
                  gezet_door: str) -> Resultaat:
    """Record the result (by the resultaattype's Dutch omschrijving) and close the zaak:
    einddatum today, eindstatus set."""
    _refuse_when_closed(zaak)
    resultaattype_obj = zaak.zaaktype.resultaattype(resultaattype)
    if resultaattype_obj is None:
        raise ZaakTransitionError(
            f"{zaak.zaaktype.identificatie} has no resultaattype {resultaattype!r}")
    zaak.resultaat = Resultaat(resultaattype=resultaattype_obj, toelichting=toelichting,
                               datum=utcnow(), gezet_door=gezet_door,
                               vervaldatum=_vervaldatum(resultaattype_obj.geldigheid))
    _add_status(session, zaak, zaak.zaaktype.eindstatustype, toelichting, gezet_door)
    zaak.einddatum = today()
    session.flush()
    return zaak.resultaat


def _vervaldatum(geldigheid: str | None) -> date | None:
    """The day a decision taken today ends, for a result granted for a while."""
    return add_duration(decision_day(), geldigheid) if geldigheid else None


def _add_status(session: Session, zaak: Zaak, statustype, toelichting: str,
                gezet_door: str) -> Status:
    status = Status(statustype=statustype, datum_status_gezet=utcnow(),
                    statustoelichting=toelichting, gezet_door=gezet_door)
    zaak.statussen.append(status)
    session.flush()
    # Back office, API and CLI all come through here, so the resident hears of every
    # change the same way (app.berichten.services listens).
    status_set.send(_status_change(zaak, status), session=session)
    return status


def _status_change(zaak: Zaak, status: Status) -> StatusChange:
    statustype, initiator, resultaat = status.statustype, zaak.initiator, zaak.resultaat
    return StatusChange(
        zaak_identificatie=zaak.identificatie, status_key=str(status.id),
        zaaktype=Text(zaak.zaaktype.omschrijving, zaak.zaaktype.omschrijving_en),
        zaaktype_identificatie=zaak.zaaktype.identificatie,
        statustype=Text(statustype.omschrijving, statustype.omschrijving_en),
        statustekst=Text(statustype.statustekst, statustype.statustekst_en),
        statustoelichting=status.statustoelichting, informeren=statustype.informeren,
        zichtbaar_voor_inwoner=statustype.zichtbaar_voor_inwoner,
        is_eindstatus=statustype.is_eindstatus,
        resultaat_toelichting=(Text(resultaat.resultaattype.toelichting,
                                    resultaat.resultaattype.toelichting_en)
                               if resultaat is not None else None),
        initiator_bsn=initiator.inp_bsn if initiator else None,
        initiator_email=initiator.email if initiator else "",
        uiterlijke_einddatum_afdoening=_end_as_told(zaak, closing=statustype.is_eindstatus))


def _end_as_told(zaak: Zaak, *, closing: bool) -> date:
    """The legal end a status change tells: at the eindstatus with the days of a suspension
    still running counted up to the closing day (app.contacts measures the decision by it)."""
    suspended = zaak.opschorting_indicatie and closing
    return terms.end_at_close(zaak.uiterlijke_einddatum_afdoening,
                              suspended_since=(zaak.opgeschort_sinds or today()) if suspended
                              else None, closed=today())


def route_zaak(session: Session, zaak: Zaak, *, team: str, door: str) -> None:
    """Hand the zaak to another team (the KCC routes what it cannot answer itself)."""
    from app.auth.staff import TEAMS

    _refuse_when_closed(zaak)
    if team not in TEAMS:
        raise ValueError(f"unknown team {team!r}")
    log.info("zaak %s routed from %s to %s by %s", zaak.identificatie, zaak.team, team, door)
    zaak.team = team
    session.flush()


def set_contact_person(session: Session, zaak: Zaak, contact: ContactPerson, *,
                       door: str) -> None:
    """The employee becomes the zaak's contact person: a rol behandelaar of a medewerker,
    in place of the one before."""
    _refuse_when_closed(zaak)
    for rol in [rol for rol in zaak.rollen if rol.omschrijving_generiek == BEHANDELAAR
                and rol.betrokkene_type == MEDEWERKER]:
        zaak.rollen.remove(rol)
    session.flush()  # the one before goes first: a zaak has one (uq_rollen_contact_person)
    zaak.rollen.append(Rol(betrokkene_type=MEDEWERKER, omschrijving_generiek=BEHANDELAAR,
                           betrokkene_identificatie=contact.medewerker, naam=contact.naam,
                           functie=contact.team, telefoon=contact.telefoon,
                           email=contact.email))
    session.flush()
    log.info("zaak %s has contact person %s, set by %s", zaak.identificatie,
             contact.medewerker, door)


def _refuse_when_closed(zaak: Zaak) -> None:
    if zaak.is_closed:
        raise ZaakTransitionError(f"{zaak.identificatie} is closed")


def add_document(session: Session, zaak: Zaak, *, titel: str, bestandsnaam: str, formaat: str,
                 content: bytes, vertrouwelijkheidaanduiding: str | None = None,
                 added_by: str) -> Document:
    """Store the file and link it to the zaak. Without a vertrouwelijkheidaanduiding the
    document gets the zaak's.

    The file is written before the transaction commits: a rollback leaves an unused
    file behind (disk space), never a document row without its file.
    """
    _refuse_when_closed(zaak)
    level = Vertrouwelijkheidaanduiding(
        vertrouwelijkheidaanduiding or zaak.vertrouwelijkheidaanduiding)
    document = Document(
        titel=titel,
        bestandsnaam=safe_filename(bestandsnaam),
        formaat=formaat,
        bestandsomvang=len(content),
        vertrouwelijkheidaanduiding=level.value,
        creatiedatum=today(),
        storage_key=get_document_store().save(content),
        added_by=added_by,
    )
    zaak.documenten.append(document)
    session.flush()
    return document


def request_document(session: Session, zaak: Zaak, *, omschrijving: str,
                     requested_by: str) -> DocumentRequest:
    """Ask the initiator for a document; the zaak waits for it in Mijn omgeving until an
    upload fulfils the request."""
    _refuse_when_closed(zaak)
    document_request = DocumentRequest(omschrijving=omschrijving, created_at=utcnow(),
                                       requested_by=requested_by)
    zaak.document_requests.append(document_request)
    if not zaak.opschorting_indicatie:
        # Awb 4:15: the legal term stands still until the documents arrive.
        zaak.opschorting_indicatie = True
        zaak.opschorting_reden = suspension_reason(omschrijving)
        zaak.opgeschort_sinds = today()
    session.flush()
    return document_request


def suspension_reason(omschrijving: str) -> str:
    """ZGW opschorting.reden (200 characters): what the municipality waits for."""
    return f"Wachten op documenten: {omschrijving}"[:200]


def _resume_when_complete(zaak: Zaak) -> None:
    """The term runs again once no request is open: its end moves by the days it stood."""
    if not zaak.opschorting_indicatie or any(r.is_open for r in zaak.document_requests):
        return
    suspension = terms.Suspension(since=zaak.opgeschort_sinds or today(), until=today())
    zaak.uiterlijke_einddatum_afdoening = terms.resumed_end(zaak.uiterlijke_einddatum_afdoening,
                                                            suspension)
    zaak.opschorting_indicatie, zaak.opschorting_reden, zaak.opgeschort_sinds = False, "", None


def extend_term(session: Session, zaak: Zaak, *, duur: str, reden: str) -> date:
    """Extend the legal term once, by at most the zaaktype's verlengingstermijn, with the
    reason the resident reads; the new end. Raises TermError when the law does not allow it."""
    _refuse_when_closed(zaak)
    already = (terms.Extension(zaak.verlenging_duur, zaak.verlenging_reden)
               if zaak.verlenging_duur else None)
    terms.check_extension(duur, maximum=(zaak.zaaktype.verlengingstermijn
                                         if zaak.zaaktype.verlenging_mogelijk else None),
                          already=already, on=zaak.uiterlijke_einddatum_afdoening)
    zaak.uiterlijke_einddatum_afdoening = terms.extended_end(zaak.uiterlijke_einddatum_afdoening,
                                                             duur)
    zaak.verlenging_duur, zaak.verlenging_reden = duur, reden[:200]
    session.flush()
    return zaak.uiterlijke_einddatum_afdoening


def fulfil_document_request(session: Session, document_request: DocumentRequest, *, titel: str,
                            bestandsnaam: str, formaat: str, content: bytes,
                            added_by: str) -> Document:
    """Add the document the municipality asked for and close the request with it."""
    if not document_request.is_open:
        raise ZaakTransitionError("this document request was fulfilled already")
    document = add_document(session, document_request.zaak, titel=titel,
                            bestandsnaam=bestandsnaam, formaat=formaat, content=content,
                            added_by=added_by)
    document_request.fulfilled_at = utcnow()
    document_request.document = document
    _resume_when_complete(document_request.zaak)
    session.flush()
    return document


def read_document(document: Document) -> bytes:
    return get_document_store().read(document.storage_key)


# --------------------------------------------------------------------------- finding


def get_zaak(session: Session, identificatie: str) -> Zaak | None:
    return session.scalar(select(Zaak).where(Zaak.identificatie == identificatie))


def get_zaaktype(session: Session, identificatie: str, *,
                 with_statustypen: bool = False) -> ZaakType | None:
    # With the statustypen: one query instead of two when the first status is set next.
    query = _ZAAKTYPE_WITH_STATUSTYPEN if with_statustypen else _ZAAKTYPE
    return session.scalars(query, {"identificatie": identificatie}).unique().one_or_none()


def zaken_for_bsn(session: Session, bsn: str, *, open_only: bool | None = None,
                  limit: int = 50, offset: int = 0) -> list[Zaak]:
    """Zaken this BSN initiated, newest first, with zaaktype, statussen (so
    current_status) and resultaat loaded: two queries whatever the number of zaken.

    open_only: None for all, True for open zaken, False for closed ones.
    """
    query = (
        select(Zaak)
        .join(Rol, Rol.zaak_id == Zaak.id)
        .where(Rol.inp_bsn == bsn, Rol.omschrijving_generiek == "initiator")
        .options(joinedload(Zaak.zaaktype),
                 joinedload(Zaak.resultaat).joinedload(Resultaat.resultaattype),
                 selectinload(Zaak.statussen).joinedload(Status.statustype))
        .order_by(Zaak.registratiedatum.desc(), Zaak.id.desc())
        .limit(limit).offset(offset)
    )
    if open_only is True:
        query = query.where(Zaak.einddatum.is_(None))
    elif open_only is False:
        query = query.where(Zaak.einddatum.is_not(None))
    return list(session.scalars(query).unique())


def current_status(zaak: Zaak) -> Status | None:
    return zaak.statussen[-1] if zaak.statussen else None


# --------------------------------------------------------------------------- display


_BSN_LIKE = re.compile(r"\b\d{9}\b")


def without_bsns(value: Any) -> Any:
    """A copy of form answers with every BSN masked, for printing or logging."""
    if isinstance(value, dict):
        return {key: "*********" if "bsn" in str(key).lower() else without_bsns(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [without_bsns(item) for item in value]
    if isinstance(value, str):
        return _BSN_LIKE.sub("*********", value)
    if isinstance(value, int) and not isinstance(value, bool) and len(str(value)) == 9:
        return "*********"
    return value
