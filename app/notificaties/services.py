"""ZGW notificaties: the message as a value, the inbox it is kept in, and the handlers.

A notificatie tells the portal that something changed in the zaaksysteem (a zaak got a
status, a document was added); it carries no data beyond URLs and a few kenmerken. The
webhook (routes.py) checks its shape and keeps it in the inbox (``receive``); a worker
(processing.py) hands it to the handlers that features registered for its kanaal.

Registering a handler (e.g. in app/zaken/zgw/, imported when that store is chosen)::

    from app.notificaties import Notificatie, handles

    @handles("zaken", resource="status", actie="create")
    def refresh_zaak_status(session: Session, notificatie: Notificatie) -> None:
        ...

A handler must be **idempotent**: it runs at least once per notificatie, and again after
a crash, a lost claim or a failure of another handler of the same notificatie. Treat a
notificatie as a signal ("look at this resource again"), not as data: read the resource's
current state rather than applying a delta, and don't rely on order (notificaties of one
zaak may be handled out of order, by several workers). Write through ``session`` and
don't commit: the worker commits the handlers' writes together with marking the
notificatie processed, and rolls them back when a handler raises (the notificatie is
then retried with backoff). Don't log BSNs, or put them in exceptions' text.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.db import DIALECT_INSERTS, utcnow
from app.notificaties.models import (
    STATUS_FAILED,
    STATUS_IGNORED,
    STATUS_PENDING,
    STATUS_PROCESSED,
    STATUSES,
    ReceivedNotification,
)

log = logging.getLogger(__name__)


# --- the message ------------------------------------------------------------------------


@dataclass(frozen=True)
class Notificatie:
    """A notificatie as the Notificaties API 1.0 defines it (its schema ``Message``)."""

    kanaal: str
    hoofd_object: str
    resource: str
    resource_url: str
    actie: str
    aanmaakdatum: datetime          # aware, UTC
    kenmerken: Mapping[str, str] = field(default_factory=dict)
    source: str | None = None
    id: int | None = None           # the inbox row, once received


@dataclass(frozen=True)
class InvalidParam:
    """One problem with a received body, shaped like the ZGW APIs' FieldValidationError."""

    name: str
    code: str
    reason: str


class InvalidNotificatie(ValueError):
    def __init__(self, params: list[InvalidParam]) -> None:
        super().__init__(", ".join(f"{p.name}: {p.code}" for p in params))
        self.params = params


# Field, maximum length (the spec's maxLength); None: no maximum in the spec.
_TEXT_FIELDS = (("kanaal", 50), ("resource", 100), ("actie", 100))
_URL_FIELDS = ("hoofdObject", "resourceUrl")
KENMERK_MAX_LENGTH = 1000
SOURCE_MAX_LENGTH = 100
# The spec gives URLs no maximum; a URL this long is no ZGW resource.
URL_MAX_LENGTH = 2000


def parse_notificatie(body: Any) -> Notificatie:
    """The notificatie in a received JSON body; InvalidNotificatie lists what is wrong.

    Checks what the spec's ``Message`` schema requires: the six fields present and
    strings within their maximum length, the two URLs absolute http(s) URLs,
    ``aanmaakdatum`` an RFC 3339 date-time with its offset, ``kenmerken`` (optional) an
    object of strings. Fields the spec does not name are ignored.
    """
    if not isinstance(body, dict):
        raise InvalidNotificatie([InvalidParam("nonFieldErrors", "invalid",
                                               "The body must be a JSON object.")])
    problems: list[InvalidParam] = []

    def text(name: str, max_length: int | None, *, required: bool = True) -> str | None:
        value = body.get(name)
        if value is None:
            if required:
                problems.append(InvalidParam(name, "required", "This field is required."))
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            problems.append(InvalidParam(name, "invalid", "Give a non-empty string."))
            return None
        if max_length is not None and len(value) > max_length:
            problems.append(InvalidParam(name, "max_length",
                                         f"At most {max_length} characters."))
            return None
        return value

    values = {name: text(name, max_length) for name, max_length in _TEXT_FIELDS}
    for name in _URL_FIELDS:
        url = text(name, URL_MAX_LENGTH)
        if url is not None and not _is_absolute_url(url):
            problems.append(InvalidParam(name, "invalid", "Give an absolute http(s) URL."))
            url = None
        values[name] = url
    source = text("source", SOURCE_MAX_LENGTH, required=False)
    aanmaakdatum = _parse_datetime(text("aanmaakdatum", None), problems)
    kenmerken = _parse_kenmerken(body.get("kenmerken", {}), problems)
    if problems:
        raise InvalidNotificatie(problems)
    return Notificatie(kanaal=values["kanaal"], hoofd_object=values["hoofdObject"],
                       resource=values["resource"], resource_url=values["resourceUrl"],
                       actie=values["actie"], aanmaakdatum=aanmaakdatum, kenmerken=kenmerken,
                       source=source)


def _is_absolute_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and not any(
        character.isspace() for character in value)


def _parse_datetime(value: str | None, problems: list[InvalidParam]) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    # RFC 3339: a date, "T", a time and an offset (fromisoformat also takes a date alone).
    if moment is None or moment.tzinfo is None or "t" not in value.lower():
        problems.append(InvalidParam("aanmaakdatum", "invalid",
                                     "Give a date-time with its offset (RFC 3339)."))
        return None
    return moment.astimezone(UTC)


def _parse_kenmerken(value: Any, problems: list[InvalidParam]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append(InvalidParam("kenmerken", "invalid", "Give an object of strings."))
        return {}
    for key, kenmerk in value.items():
        if not isinstance(kenmerk, str):
            problems.append(InvalidParam(f"kenmerken.{key}", "invalid", "Give a string."))
        elif len(kenmerk) > KENMERK_MAX_LENGTH:
            problems.append(InvalidParam(f"kenmerken.{key}", "max_length",
                                         f"At most {KENMERK_MAX_LENGTH} characters."))
    return dict(value)


# --- the inbox ----------------------------------------------------------------------------


def dedupe_key(notificatie: Notificatie) -> str:
    """What makes two deliveries the same notificatie: kanaal, actie, resourceUrl and
    aanmaakdatum (to the microsecond, in UTC, whatever offset it was written with).

    The Notificaties API routes a message unchanged and retries a delivery it thinks
    failed, so a copy agrees on all four. Two different events agree on all four only if
    the same action on the same resource happened at the same microsecond, and handlers
    read the resource's current state anyway, so handling that once loses nothing.
    hoofdObject and resource follow from resourceUrl, and kenmerken from the resource.
    Hashed: URLs have no maximum length, and the unique index wants a short key.
    """
    parts = (notificatie.kanaal, notificatie.actie, notificatie.resource_url,
             notificatie.aanmaakdatum.astimezone(UTC).isoformat(timespec="microseconds"))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# INSERT ... ON CONFLICT (dedupe_key) DO NOTHING, per dialect, built once.
_INSERT_UNLESS_DUPLICATE = {
    name: (insert(ReceivedNotification)
           .on_conflict_do_nothing(index_elements=[ReceivedNotification.dedupe_key])
           .returning(ReceivedNotification.id))
    for name, insert in DIALECT_INSERTS.items()}


def receive(session: Session, notificatie: Notificatie, *,
            now: datetime | None = None) -> int | None:
    """Keep a notificatie in the inbox, due at once; in the caller's transaction.

    Returns the new row's id, or None when the inbox has it already (a redelivery):
    then nothing is written, also when another request receives it at the same moment.
    """
    now = now or utcnow()
    values = dict(
        dedupe_key=dedupe_key(notificatie), kanaal=notificatie.kanaal,
        hoofd_object=notificatie.hoofd_object, resource=notificatie.resource,
        resource_url=notificatie.resource_url, actie=notificatie.actie,
        aanmaakdatum=notificatie.aanmaakdatum.astimezone(UTC).replace(tzinfo=None),
        kenmerken=dict(notificatie.kenmerken), source=notificatie.source,
        received_at=now, status=STATUS_PENDING, attempts=0, next_attempt_at=now,
    )
    statement = _INSERT_UNLESS_DUPLICATE[session.get_bind().dialect.name]
    return session.scalars(statement, values).one_or_none()


def as_notificatie(row: ReceivedNotification) -> Notificatie:
    return Notificatie(kanaal=row.kanaal, hoofd_object=row.hoofd_object, resource=row.resource,
                       resource_url=row.resource_url, actie=row.actie,
                       aanmaakdatum=row.aanmaakdatum.replace(tzinfo=UTC),
                       kenmerken=dict(row.kenmerken or {}), source=row.source, id=row.id)


@dataclass(frozen=True)
class InboxStatus:
    counts: Mapping[str, int]                       # every status, 0 included
    oldest_pending: datetime | None                 # received_at of the oldest waiting one
    failed: list[ReceivedNotification]              # the most recent failures


def inbox_status(session: Session, *, failed_limit: int = 10) -> InboxStatus:
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(session.execute(
        select(ReceivedNotification.status, func.count())
        .group_by(ReceivedNotification.status)).all())
    oldest = session.scalar(select(func.min(ReceivedNotification.received_at))
                            .where(ReceivedNotification.status == STATUS_PENDING))
    failed = list(session.scalars(
        select(ReceivedNotification).where(ReceivedNotification.status == STATUS_FAILED)
        .order_by(ReceivedNotification.id.desc()).limit(failed_limit)))
    return InboxStatus(counts=counts, oldest_pending=oldest, failed=failed)


def retry_failed(session: Session, ids: list[int] | None = None, *,
                 now: datetime | None = None) -> int:
    """Put failed notificaties back in the queue (all, or those ids) with fresh attempts."""
    condition = ReceivedNotification.status == STATUS_FAILED
    if ids:
        condition = condition & ReceivedNotification.id.in_(ids)
    result = session.execute(
        update(ReceivedNotification).where(condition)
        .values(status=STATUS_PENDING, attempts=0, next_attempt_at=now or utcnow())
        .execution_options(synchronize_session=False))
    return result.rowcount


def purge_handled(session: Session, older_than: timedelta, *,
                  now: datetime | None = None) -> int:
    """Delete processed and ignored notificaties received longer ago than ``older_than``.

    Keep them at least as long as the Notificaties API may redeliver (its retries span
    hours): a copy arriving after the purge is handled again (handlers are idempotent).
    """
    cutoff = (now or utcnow()) - older_than
    result = session.execute(
        delete(ReceivedNotification)
        .where(ReceivedNotification.status.in_((STATUS_PROCESSED, STATUS_IGNORED)),
               ReceivedNotification.received_at < cutoff)
        .execution_options(synchronize_session=False))
    return result.rowcount


# --- the handlers ---------------------------------------------------------------------------

Handler = Callable[[Session, Notificatie], None]


@dataclass(frozen=True)
class _Registration:
    kanaal: str
    resource: str | None
    actie: str | None
    handler: Handler

    def matches(self, notificatie: Notificatie) -> bool:
        return (self.kanaal == notificatie.kanaal
                and self.resource in (None, notificatie.resource)
                and self.actie in (None, notificatie.actie))


class HandlerRegistry:
    """Which functions handle which notificaties: by kanaal, optionally resource and actie.

    Every matching handler runs, in the order they were registered.
    """

    def __init__(self) -> None:
        self._registrations: list[_Registration] = []

    def register(self, handler: Handler, kanaal: str, *, resource: str | None = None,
                 actie: str | None = None) -> Handler:
        registration = _Registration(kanaal, resource, actie, handler)
        if registration not in self._registrations:  # a module imported twice adds nothing
            self._registrations.append(registration)
        return handler

    def handles(self, kanaal: str, *, resource: str | None = None,
                actie: str | None = None) -> Callable[[Handler], Handler]:
        """Decorator: ``@handles("zaken", resource="status", actie="create")``."""
        def decorator(handler: Handler) -> Handler:
            return self.register(handler, kanaal, resource=resource, actie=actie)
        return decorator

    def unregister(self, handler: Handler) -> None:
        self._registrations = [r for r in self._registrations if r.handler is not handler]

    def handlers_for(self, notificatie: Notificatie) -> list[Handler]:
        return [r.handler for r in self._registrations if r.matches(notificatie)]

    def kanalen(self) -> set[str]:
        return {r.kanaal for r in self._registrations}


# The registry the worker uses; features register on it at import.
registry = HandlerRegistry()
handles = registry.handles
register_handler = registry.register
