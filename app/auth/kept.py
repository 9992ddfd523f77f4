"""Nothing typed is lost: what a resident typed and had not sent when their session ended is
kept here until they log in again, then it goes back into the form.

The rules only (plain arguments in, values out); app.auth.kept_forms does the request's part.
A kept input is found by a random id the browser holds and given back only to the resident
it was typed for: the owner is a keyed hash of the BSN (and of whoever acted for them), so
another resident logging in on the same computer never sees it, and the table holds no BSN.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.auth.models import KeptInput
from app.db import utcnow

# What a form may carry back: enough for any of ours, not a store for anything posted.
MAX_FIELDS = 200
MAX_VALUE_LENGTH = 10_000
MAX_PATH_LENGTH = 2000
# Never kept: the token belongs to the session that ended; secrets are typed again.
CSRF_FIELD = "csrf_token"
LEFT_OUT_WORDS = ("password", "wachtwoord")


@dataclass(frozen=True)
class KeptForm:
    path: str                            # the page the form is on, with its query
    fields: tuple[tuple[str, str], ...]  # as posted, in order
    session_state: dict                  # the form's progress the session held
    files_left_out: bool


def owner_key(secret: str, bsn: str, acting_bsn: str = "") -> str:
    """Who a kept input belongs to, without the BSN: a gemachtigde acting for someone is
    another owner than that person themselves."""
    message = f"kept-input\x1f{bsn}\x1f{acting_bsn}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def is_csrf_field(name: str, field_name: str = CSRF_FIELD) -> bool:
    """Whether a posted field is a form's CSRF token: ``csrf_token``, or
    ``<prefix>-csrf_token`` for a form with a prefix (as Flask-WTF finds it too)."""
    return name == field_name or name.endswith(f"-{field_name}")


def worth_keeping(pairs: Iterable[tuple[str, str]],
                  csrf_field: str = CSRF_FIELD) -> list[tuple[str, str]]:
    """The posted fields a form can be filled in again with; [] when nothing was typed."""
    kept = [(name, value[:MAX_VALUE_LENGTH]) for name, value in pairs
            if not is_csrf_field(name, csrf_field)
            and not any(word in name.lower() for word in LEFT_OUT_WORDS)][:MAX_FIELDS]
    return kept if any(value.strip() for _, value in kept) else []


def keep_input(db: Session, *, owner: str, path: str, fields: list[tuple[str, str]],
               session_state: dict, files_left_out: bool, lifetime: timedelta,
               now: datetime | None = None) -> str:
    """Keep a form's input; returns the id to find it with (only its hash is stored)."""
    now = now or utcnow()
    kept_id = secrets.token_urlsafe(32)
    db.add(KeptInput(id_hash=_hash(kept_id), owner=owner, path=path[:MAX_PATH_LENGTH],
                     fields=[list(pair) for pair in fields], session_state=session_state,
                     files_left_out=files_left_out, created_at=now, expires_at=now + lifetime))
    db.flush()
    return kept_id


def waiting_inputs(db: Session, kept_ids: Iterable[str],
                   now: datetime | None = None) -> list[KeptForm]:
    """The inputs behind these ids that are still kept (for the page after the session ended)."""
    return [_value(row) for row in db.scalars(_live(kept_ids, now or utcnow()))]


def claim_inputs(db: Session, kept_ids: Iterable[str], *, owner: str,
                 now: datetime | None = None) -> tuple[list[str], list[KeptForm]]:
    """The owner's inputs behind these ids, taken out of keeping: (their ids, the inputs).
    Another resident's stay where they are, for their owner (until they expire)."""
    by_hash = {_hash(kept_id): kept_id for kept_id in kept_ids}
    rows = list(db.scalars(_live(by_hash.values(), now or utcnow())
                           .where(KeptInput.owner == owner).order_by(KeptInput.created_at)))
    if rows:
        db.execute(delete(KeptInput).where(KeptInput.id_hash.in_([row.id_hash for row in rows])))
    return [by_hash[row.id_hash] for row in rows], [_value(row) for row in rows]


def purge_kept_inputs(db: Session, now: datetime | None = None) -> int:
    """Forget the inputs nobody came back for in time."""
    return db.execute(delete(KeptInput).where(KeptInput.expires_at <= (now or utcnow()))).rowcount


def _live(kept_ids: Iterable[str], now: datetime):
    hashes = [_hash(kept_id) for kept_id in kept_ids]
    return select(KeptInput).where(KeptInput.id_hash.in_(hashes), KeptInput.expires_at > now)


def _hash(kept_id: str) -> str:
    return hashlib.sha256(kept_id.encode()).hexdigest()


def _value(row: KeptInput) -> KeptForm:
    return KeptForm(path=row.path, fields=tuple((name, value) for name, value in row.fields),
                    session_state=dict(row.session_state), files_left_out=row.files_left_out)
