"""The API's rules: partners and tokens, the zaken in a partner's scope (through the zaken
store), disclosure and audit records, idempotency keys. Plain arguments in, domain objects
out; they flush, never commit."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from app.api.models import ApiAuditEntry, ApiIdempotencyKey, ApiPartner, ApiToken
from app.db import utcnow
from app.eforms.confirmations import holding_confirmation, holding_resultaat
from app.persons.services import log_disclosure, log_disclosures
from app.zaken.store import (
    NewDocument,
    PartnerZaak,
    PartnerZakenPage,
    ResultaatRecord,
    StaffDocument,
    StatusRecord,
    ZaakForChange,
    get_zaken_store,
)

TOKEN_BYTES = 32  # 256 bits
DEMO_PARTNER = "Zorgaanbieder De Linde"
DEMO_SCOPES = ("HULPVRAAG_WMO",)


class PartnerError(ValueError):
    """A partner change the rules refuse (unknown partner, unknown zaaktype, duplicate name)."""


# --------------------------------------------------------------------------- tokens


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(session: Session, partner: ApiPartner, token: str | None = None) -> str:
    """Give the partner a new token and return it: the only moment it exists in clear."""
    token = token or secrets.token_urlsafe(TOKEN_BYTES)
    session.add(ApiToken(partner=partner, token_hash=hash_token(token), prefix=token[:8],
                         created_at=utcnow()))
    session.flush()
    return token


def partner_for_token(session: Session, token: str) -> ApiPartner | None:
    """The active partner holding this unrevoked token; None for anything else."""
    if not token or len(token) > 200:
        return None
    digest = hash_token(token)
    found = session.execute(
        select(ApiToken.token_hash, ApiPartner)
        .join(ApiPartner, ApiPartner.id == ApiToken.partner_id)
        .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None),
               ApiPartner.active.is_(True))
    ).first()
    # The index did the lookup; compare once more in constant time, as a habit for secrets.
    if found is None or not hmac.compare_digest(found[0], digest):
        return None
    return found[1]


# --------------------------------------------------------------------------- partners


def create_partner(session: Session, *, naam: str, zaaktypen: Sequence[str],
                   can_write: bool = True, token: str | None = None) -> tuple[ApiPartner, str]:
    """A new partner scoped to these zaaktypen, with its first token."""
    naam = naam.strip()
    if not naam:
        raise PartnerError("the partner needs a name")
    if session.scalar(select(ApiPartner.id).where(ApiPartner.naam == naam)) is not None:
        raise PartnerError(f"a partner named {naam!r} exists already")
    partner = ApiPartner(naam=naam, scopes=_known_zaaktypen(session, zaaktypen),
                         can_write=can_write, active=True, created_at=utcnow())
    session.add(partner)
    session.flush()
    return partner, new_token(session, partner, token)


def _known_zaaktypen(session: Session, zaaktypen: Iterable[str]) -> list[str]:
    wanted = sorted(set(zaaktypen))
    if not wanted:
        raise PartnerError("give the partner at least one zaaktype")
    known = get_zaken_store(session).known_zaaktypen(wanted)
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise PartnerError(f"unknown zaaktype(s): {', '.join(unknown)}")
    return wanted


def get_partner(session: Session, naam: str) -> ApiPartner | None:
    return session.scalar(select(ApiPartner).where(ApiPartner.naam == naam))


def revoke_tokens(session: Session, partner: ApiPartner, prefix: str | None = None) -> int:
    """Revoke the partner's active tokens (only the one starting with ``prefix`` when
    given); returns how many."""
    now = utcnow()
    revoked = 0
    for token in partner.tokens:
        if token.is_active and (prefix is None or token.prefix == prefix[:8]):
            token.revoked_at = now
            revoked += 1
    session.flush()
    return revoked


def list_partners(session: Session) -> list[ApiPartner]:
    return list(session.scalars(select(ApiPartner).options(selectinload(ApiPartner.tokens))
                                .order_by(ApiPartner.naam)))


def seed_demo_partner(session: Session, token: str | None) -> int:
    """The demo's chain partner with a known token (config API_DEMO_TOKEN); nothing
    without a token. Idempotent: an existing partner keeps its tokens, and gets the demo
    token when it lacks it. Returns how many partners were added."""
    if not token:
        return 0
    partner = get_partner(session, DEMO_PARTNER)
    added = 0
    if partner is None:
        partner, _ = create_partner(session, naam=DEMO_PARTNER, zaaktypen=DEMO_SCOPES, token=token)
        added = 1
    elif session.scalar(select(ApiToken.id).where(ApiToken.token_hash == hash_token(token))) is None:
        new_token(session, partner, token)
    session.commit()
    return added


# --------------------------------------------------------------------------- zaken in scope
#
# A zaak of a zaaktype outside the partner's scopes is not found (None), exactly like a
# missing one, so a partner cannot learn that it exists. Every read and change of a zaak is
# written to its initiator's disclosure log in the same transaction.


def zaken_in_scope(session: Session, partner: ApiPartner, *, zaaktype: str | None = None,
                   closed: bool | None = None, limit: int, offset: int) -> PartnerZakenPage:
    """One page of the zaken the partner may see (of this zaaktype only, when given),
    newest first."""
    page = get_zaken_store(session).partner_zaken(
        [zaaktype] if zaaktype else partner.scopes, closed=closed, limit=limit, offset=offset)
    disclose_many(session, partner, page)
    return page


def read_zaak(session: Session, partner: ApiPartner, identificatie: str,
              action: str) -> PartnerZaak | None:
    """The zaak with its statussen and rollen; action says what for (PURPOSES)."""
    zaak = get_zaken_store(session).partner_zaak(partner.scopes, identificatie)
    if zaak is not None:
        disclose(session, partner, action, zaak=zaak.summary.identificatie,
                 initiator_bsn=zaak.summary.initiator_bsn)
    return zaak


def zaak_for_change(session: Session, partner: ApiPartner,
                    identificatie: str) -> ZaakForChange | None:
    """The zaak held until the transaction ends, so two changes to it queue instead of
    both passing the checks on one state."""
    return get_zaken_store(session).partner_zaak_for_change(partner.scopes, identificatie)


# The changes: the zaken store refuses one the zaak cannot make (closed) with
# ZaakTransitionError, which the API answers with 409.


def set_status(session: Session, partner: ApiPartner, zaak: ZaakForChange, *,
               volgnummer: int, toelichting: str) -> StatusRecord:
    """AwaitingConfirmation while the zaak waits for a second person's confirmation."""
    holding_confirmation(session, zaak.identificatie)
    status = get_zaken_store(session).set_status(zaak.identificatie, volgnummer=volgnummer,
                                                 toelichting=toelichting,
                                                 gezet_door=partner.naam)
    _disclose_change(session, partner, zaak, "status")
    return status


def add_document(session: Session, partner: ApiPartner, zaak: ZaakForChange,
                 document: NewDocument) -> StaffDocument:
    added = get_zaken_store(session).add_document(zaak.identificatie, document,
                                                  added_by=partner.naam)
    _disclose_change(session, partner, zaak, "document")
    return added


def set_resultaat(session: Session, partner: ApiPartner, zaak: ZaakForChange, *,
                  resultaattype: str, toelichting: str) -> ResultaatRecord:
    """AwaitingConfirmation for a result that lets the zaak go ahead before a second person
    confirmed it."""
    holding_resultaat(session, zaak.identificatie, zaak.zaaktype.resultaattype(resultaattype))
    resultaat = get_zaken_store(session).set_resultaat(
        zaak.identificatie, resultaattype=resultaattype, toelichting=toelichting,
        gezet_door=partner.naam)
    _disclose_change(session, partner, zaak, "resultaat")
    return resultaat


def _disclose_change(session: Session, partner: ApiPartner, zaak: ZaakForChange,
                     action: str) -> None:
    disclose(session, partner, action, zaak=zaak.identificatie,
             initiator_bsn=zaak.initiator_bsn)


# --------------------------------------------------------------------------- disclosure + audit

# What the resident reads in "verstrekkingen": why the partner saw their zaak (Dutch, like
# every purpose in the disclosure log).
PURPOSES = {
    "read": "Uw zaak bekijken om die uit te voeren",
    "list": "Overzicht van zaken die de organisatie voor de gemeente uitvoert",
    "statussen": "De voortgang van uw zaak bekijken",
    "status": "De status van uw zaak bijwerken",
    "document": "Een document aan uw zaak toevoegen",
    "resultaat": "Het resultaat van uw zaak vastleggen",
}
CATEGORIES = {
    "read": ("naam", "adres", "contactgegevens", "zaakgegevens"),
    "list": ("zaakgegevens",),
    "statussen": ("zaakgegevens",),
    "status": ("zaakgegevens",),
    "document": ("zaakgegevens", "documenten"),
    "resultaat": ("zaakgegevens",),
}


def disclose(session: Session, partner: ApiPartner, action: str, *, zaak: str,
             initiator_bsn: str | None) -> None:
    """Write the partner's read or change of this zaak to its initiator's disclosure log.
    A zaak filed without DigiD has no BSN and so no log a resident can read."""
    if initiator_bsn:
        log_disclosure(session, bsn=initiator_bsn, recipient=partner.naam,
                       purpose=PURPOSES[action], data_categories=CATEGORIES[action], zaak=zaak,
                       channel="api")


def disclose_many(session: Session, partner: ApiPartner, page: PartnerZakenPage) -> None:
    """disclose() for a page of zaken, in one INSERT."""
    log_disclosures(session, ((zaak.initiator_bsn, zaak.identificatie) for zaak in page.zaken),
                    recipient=partner.naam, purpose=PURPOSES["list"],
                    data_categories=CATEGORIES["list"], channel="api")


def record_call(session: Session, *, partner_id: int | None, method: str, path: str,
                status_code: int, idempotency_key: str | None) -> ApiAuditEntry:
    entry = ApiAuditEntry(partner_id=partner_id, method=method[:10], path=path[:300],
                          status_code=status_code, idempotency_key=idempotency_key, at=utcnow())
    session.add(entry)
    session.flush()
    return entry


# --------------------------------------------------------------------------- idempotency


def request_fingerprint(method: str, path: str, body: object) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def stored_response(session: Session, partner: ApiPartner, key: str) -> ApiIdempotencyKey | None:
    return session.scalar(select(ApiIdempotencyKey).where(
        ApiIdempotencyKey.partner_id == partner.id, ApiIdempotencyKey.key == key))


def purge_idempotency_keys(session: Session, older_than: timedelta) -> int:
    """Forget stored answers older than this (a retry comes within minutes, not days)."""
    result = session.execute(delete(ApiIdempotencyKey)
                             .where(ApiIdempotencyKey.created_at < utcnow() - older_than))
    return result.rowcount


def claim_key(session: Session, partner: ApiPartner, key: str, fingerprint: str) -> ApiIdempotencyKey:
    """Insert the key before the change is made, in the change's transaction: a concurrent
    request with the same key then fails on the unique constraint (PostgreSQL: it waits
    for this transaction first) and can never apply the change a second time."""
    row = ApiIdempotencyKey(partner_id=partner.id, key=key, fingerprint=fingerprint,
                            status_code=0, response_body="", created_at=utcnow())
    session.add(row)
    session.flush()
    return row


def seed_api_partners(session: Session) -> int:
    """The seeder for `flask seed`: the demo partner, when config API_DEMO_TOKEN is set."""
    from flask import current_app

    return seed_demo_partner(session, current_app.config.get("API_DEMO_TOKEN"))
