"""Berichten: messages to a resident's inbox in Mijn omgeving, and the mails that announce them.

Services take the caller's Session, flush and never commit. Every lookup is scoped to
the BSN, so another resident's message is simply not found. The mails never carry a
message's content or a BSN: email is not a secure channel, so a mail only says that
there is something to read after logging in (and the zaaknummer it is about).

Status changes reach the resident through the zaken signal ``status_set``: the back
office, the API and the command line all set statuses through set_status /
set_resultaat, so every one of them notifies the same way (``notify_status``).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import Row, and_, bindparam, func, literal, select, update
from sqlalchemy.orm import Session

from app.berichten.models import Message, MessageAttachment
from app.db import utcnow
from app.feedback.services import ZAAK, invite
from app.notifications.services import Attachment, send_mail
from app.persons.services import get_contact_details
from app.uploads import safe_filename
from app.urls import external_url
from app.zaken.documents import get_document_store
from app.zaken.signals import document_added, status_set
from app.zaken.store import DocumentAdded, StatusChange, visible_levels

log = logging.getLogger(__name__)

MAIL_LOCALES = ("nl", "en")  # the mail is in both: we do not know which one the resident reads
# False inside without_mail(): messages are stored but not announced.
_announce = ContextVar("announce_messages", default=True)


# --------------------------------------------------------------------------- sending


@contextmanager
def without_mail() -> Iterator[None]:
    """Store messages without announcing them by mail, also those that status changes send
    through the signal: for imports and demo data dated in the past, which would otherwise
    mail residents about "new" messages that are months old."""
    token = _announce.set(False)
    try:
        yield
    finally:
        _announce.reset(token)


def send_message(session: Session, *, bsn: str, onderwerp: str, tekst: str, afzender: str,
                 zaak_identificatie: str | None = None, initiator_email: str = "",
                 onderwerp_en: str = "", tekst_en: str = "",
                 notify: bool = True, attachments: Sequence[Attachment] = (),
                 dedupe_key: str | None = None, feedback_link: str = "") -> Message:
    """Put a message in the resident's inbox and queue the mail that announces it (when
    an email address is known and notify is true). onderwerp/tekst are Dutch; the
    optional _en texts are shown to a resident who reads the portal in English.
    Attachments are stored with the message and read only in Mijn omgeving, never mailed.
    zaak_identificatie: the zaak it is about; initiator_email: the address the resident gave
    as that zaak's initiator (the mail goes there when they verified none). With a
    dedupe_key that a message already has, that message is returned and nothing is sent.
    feedback_link: the one-time link to score the task the message ends, for its mail."""
    if not onderwerp.strip() or not tekst.strip():
        raise ValueError("a message needs an onderwerp and a tekst")
    if dedupe_key is not None:
        sent = session.scalar(select(Message).where(Message.dedupe_key == dedupe_key))
        if sent is not None:
            return sent
    message = Message(public_id=secrets.token_urlsafe(16), bsn=bsn,
                      zaak_identificatie=zaak_identificatie,
                      onderwerp=onderwerp.strip()[:200], onderwerp_en=onderwerp_en.strip()[:200],
                      tekst=tekst.strip(), tekst_en=tekst_en.strip(), afzender=afzender[:200],
                      created_at=utcnow(), dedupe_key=dedupe_key)
    message.attachments = [_stored(attachment) for attachment in attachments]
    session.add(message)
    session.flush()
    if notify and _announce.get():
        address = notification_address(session, bsn, initiator_email)
        if address:
            _queue_new_message_mail(session, message, address, feedback_link)
    log.info("message sent", extra={"zaak": message.zaak_identificatie or ""})
    return message


def _stored(attachment: Attachment) -> MessageAttachment:
    # Written before the commit: a rollback leaves an unused file, never a row without one.
    return MessageAttachment(bestandsnaam=safe_filename(attachment.filename),
                             formaat=attachment.content_type,
                             bestandsomvang=len(attachment.content),
                             storage_key=get_document_store().save(attachment.content))


def notification_address(session: Session, bsn: str, initiator_email: str = "") -> str:
    """Where to announce a message: the email the resident verified in Mijn gegevens, else
    the one they gave as initiator of the zaak the message is about; "" when none is known."""
    return get_contact_details(session, bsn).email or initiator_email


def read_attachment(attachment: MessageAttachment) -> bytes:
    return get_document_store().read(attachment.storage_key)


def backdate_messages_about(session: Session, zaak_identificatie: str, when: datetime) -> None:
    """Demo data and imports of old zaken: the messages about the zaak written after `when`
    are dated `when` (a status set months ago sent its message months ago)."""
    session.execute(update(Message)
                    .where(Message.zaak_identificatie == zaak_identificatie,
                           Message.created_at > when)
                    .values(created_at=when).execution_options(synchronize_session=False))


def mark_read_about(session: Session, zaak_identificaties: Sequence[str], *,
                    after: timedelta) -> None:
    """Demo data: the resident read the messages about these zaken `after` they came."""
    for message in session.scalars(select(Message).where(
            Message.zaak_identificatie.in_(zaak_identificaties))):
        message.read_at = message.created_at + after  # per row: SQLite has no date arithmetic
    session.flush()


# --------------------------------------------------------------------------- reading


def unread_count(session: Session, bsn: str) -> int:
    """For the navigation, on every page of Mijn omgeving that does not read it itself."""
    return session.connection().execute(_UNREAD_COUNT, {"bsn": bsn}).scalar_one()


def message_counts(session: Session, bsn: str) -> tuple[int, int]:
    """(all messages, unread messages) of the resident, in one query."""
    total, unread = session.execute(
        select(func.count(Message.id), func.count(Message.id).filter(Message.read_at.is_(None)))
        .where(Message.bsn == bsn)).one()
    return total, unread


def messages_for_bsn(session: Session, bsn: str, *, limit: int, offset: int = 0) -> list[Message]:
    """One page of the inbox, newest first (one query)."""
    return list(session.scalars(
        select(Message).where(Message.bsn == bsn)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit).offset(offset)))


def get_message_for_bsn(session: Session, bsn: str, public_id: str) -> Message | None:
    """The message when it is this resident's, marked read (the first time); None otherwise."""
    message = session.scalar(select(Message).where(Message.public_id == public_id,
                                                   Message.bsn == bsn))
    if message is not None and message.read_at is None:
        message.read_at = utcnow()
        session.flush()
    return message


def attachment_for_bsn(session: Session, bsn: str, public_id: str,
                       nummer: int) -> MessageAttachment | None:
    """The message's nummer-th attachment (from 1) when the message is this resident's."""
    return session.scalar(
        select(MessageAttachment).join(Message, Message.id == MessageAttachment.message_id)
        .where(Message.public_id == public_id, Message.bsn == bsn)
        .order_by(MessageAttachment.id).offset(nummer - 1).limit(1)) if nummer >= 1 else None


_messages = Message.__table__


def _unread_of(bsn):
    return (select(func.count(_messages.c.id))
            .where(_messages.c.bsn == bsn, _messages.c.read_at.is_(None)))


def unread_count_subquery(bsn):
    """The resident's unread count as a scalar subquery, for a page's own query to carry
    (the navigation shows it; a query of its own would cost a round trip)."""
    return _unread_of(bsn).scalar_subquery()


# Built once, on the table: a fresh ORM statement cost more Python time than the query.
_UNREAD_COUNT = _unread_of(bindparam("bsn"))


# What a list shows of a message (app.pip.berichten.message_row reads these) and the back
# office's text: plain columns, as loading Message objects cost more than the query.
_LISTED = tuple(_messages.c[name] for name in (
    "id", "public_id", "onderwerp", "onderwerp_en", "tekst", "afzender", "created_at", "read_at",
    "zaak_identificatie"))


def _with_unread_count(which):
    """The newest messages that match `which` plus the resident's unread count as a scalar
    subquery, for a page that shows both (the navigation shows the count).

    The messages are outer-joined to a one-row select, so the count comes back even
    when none matches (one row with no message). Built once, with bind parameters:
    the pages run it on every view."""
    one_row = select(literal(1).label("one")).subquery()
    return (select(unread_count_subquery(bindparam("bsn")).label("unread"), *_LISTED)
            .select_from(one_row)
            .outerjoin(_messages, and_(_messages.c.bsn == bindparam("bsn"), which))
            .order_by(_messages.c.created_at.desc(), _messages.c.id.desc())
            .limit(bindparam("limit")))


_UNREAD_MESSAGES = _with_unread_count(_messages.c.read_at.is_(None))
_ZAAK_MESSAGES = _with_unread_count(_messages.c.zaak_identificatie == bindparam("zaak"))


def _messages_and_unread(session: Session, statement, values: dict) -> tuple[list[Row], int]:
    # On the connection: the session's ORM execution path costs more than this query.
    rows = session.connection().execute(statement, values).all()
    count = rows[0].unread if rows else 0
    return [row for row in rows if row.public_id is not None], count


def unread_messages(session: Session, bsn: str, *, limit: int) -> tuple[list[Row], int]:
    """The newest unread messages (rows with the _LISTED columns) and how many are unread,
    in one query."""
    return _messages_and_unread(session, _UNREAD_MESSAGES, {"bsn": bsn, "limit": limit})


def zaak_messages_and_unread(session: Session, bsn: str, zaak_identificatie: str, *,
                             limit: int) -> tuple[list[Row], int]:
    """The resident's messages about one zaak, newest first (rows with the _LISTED
    columns), and how many of all their messages are unread, in one query."""
    return _messages_and_unread(session, _ZAAK_MESSAGES,
                                {"bsn": bsn, "zaak": zaak_identificatie, "limit": limit})


def zaak_messages(session: Session, bsn: str, zaak_identificatie: str, *,
                  limit: int = 100) -> list[Row]:
    """The resident's messages about one zaak, newest first."""
    return zaak_messages_and_unread(session, bsn, zaak_identificatie, limit=limit)[0]


# --------------------------------------------------------------------------- mail


def _municipality() -> str:
    return current_app.config["MUNICIPALITY_NAME"]


def _queue_new_message_mail(session: Session, message: Message, address: str,
                            feedback_link: str) -> None:
    send_mail(session, "new_message", to=address, locale=MAIL_LOCALES,
              dedupe_key=f"message:{message.public_id}", zaaknummer=message.zaak_identificatie,
              link=external_url("pip.bericht", public_id=message.public_id),
              feedback_link=feedback_link)


def _queue_status_mail(session: Session, change: StatusChange, feedback_link: str) -> None:
    """An anonymous initiator (no DigiD, so no inbox) hears of the change by mail."""
    send_mail(session, "status_news", to=change.initiator_email, locale=MAIL_LOCALES,
              dedupe_key=f"status:{change.status_key}", zaaknummer=change.zaak_identificatie,
              status=change.statustype, feedback_link=feedback_link)


def _closing_feedback_link(session: Session, change: StatusChange) -> str:
    """The one-time link to score a zaak that closed now ("" for any other status, and for
    a closing announced before: its invitation was made then)."""
    if not change.is_eindstatus:
        return ""
    token = invite(session, task=f"zaak:{change.zaak_identificatie}", kind=ZAAK,
                   product=change.zaaktype_identificatie)
    return external_url("feedback.question", token=token) if token else ""


# --------------------------------------------------------------------------- status changes


def status_message_texts(change: StatusChange, locale: str) -> tuple[str, str]:
    """(onderwerp, tekst) of the message about a new status, in one language: the zaaktype
    and the status's name as subject; the statustekst, the result's explanation when the
    zaak is closed with one, and the statustoelichting (as staff wrote it) as text."""
    onderwerp = f"{change.zaaktype.get(locale)}: {change.statustype.get(locale)}"
    parts = [change.statustekst.get(locale) or change.statustype.get(locale)]
    if change.is_eindstatus and change.resultaat_toelichting is not None:
        parts.append(change.resultaat_toelichting.get(locale))
    parts.append(change.statustoelichting)
    # dict.fromkeys: a result's explanation may repeat the statustekst word for word.
    unique = dict.fromkeys(part.strip() for part in parts if part and part.strip())
    return onderwerp, "\n\n".join(unique)


def notify_status(session: Session, change: StatusChange) -> Message | None:
    """Tell the initiator of a status meant for them (informeren and visible to residents):
    a message in the inbox when they logged in with DigiD, else only a mail when they left
    an address. Returns the message, if one was sent."""
    if not change.meant_for_the_resident or not (change.initiator_bsn or change.initiator_email):
        return None
    # Announced by mail only: with messages stored without_mail() nobody asks.
    feedback_link = _closing_feedback_link(session, change) if _announce.get() else ""
    if change.initiator_bsn:
        onderwerp, tekst = status_message_texts(change, "nl")
        onderwerp_en, tekst_en = status_message_texts(change, "en")
        return send_message(session, bsn=change.initiator_bsn, onderwerp=onderwerp,
                            tekst=tekst, onderwerp_en=onderwerp_en, tekst_en=tekst_en,
                            afzender=_municipality(),
                            zaak_identificatie=change.zaak_identificatie,
                            initiator_email=change.initiator_email,
                            dedupe_key=f"status:{change.status_key}"[:300],
                            feedback_link=feedback_link)
    if _announce.get():
        _queue_status_mail(session, change, feedback_link)
    return None


def _on_status_set(change: StatusChange, *, session: Session, **_extra) -> None:
    notify_status(session, change)


# --------------------------------------------------------------------------- new documents


def new_document_texts(added: DocumentAdded, locale: str) -> tuple[str, str]:
    """(onderwerp, tekst) of the message about a new document, in one language."""
    with force_locale(locale):
        return (gettext("%(zaaktype)s: new document", zaaktype=added.zaaktype.get(locale)),
                gettext("There is a new document for your case %(zaaknummer)s: %(titel)s\n\n"
                        "You will find it with your case in My portal.",
                        zaaknummer=added.zaak_identificatie, titel=added.titel))


def notify_document(session: Session, added: DocumentAdded) -> Message | None:
    """Tell the initiator of a document their zaak page shows (the zaak and the document at
    a level up to PIP_MAX_VERTROUWELIJKHEID), once per document: a message in the inbox; an
    initiator without DigiD has no page with documents, so nothing."""
    shown = visible_levels(current_app.config["PIP_MAX_VERTROUWELIJKHEID"])
    if not added.initiator_bsn or not all(level in shown for level in added.levels):
        return None
    (onderwerp, tekst), (onderwerp_en, tekst_en) = (
        new_document_texts(added, locale) for locale in ("nl", "en"))
    return send_message(session, bsn=added.initiator_bsn, onderwerp=onderwerp, tekst=tekst,
                        onderwerp_en=onderwerp_en, tekst_en=tekst_en, afzender=_municipality(),
                        zaak_identificatie=added.zaak_identificatie,
                        initiator_email=added.initiator_email,
                        dedupe_key=f"document:{added.document_key}"[:300])


def _on_document_added(added: DocumentAdded, *, session: Session, **_extra) -> None:
    notify_document(session, added)


def connect_signals() -> None:
    """Listen to the zaken domain's status changes and new documents (called when app.pip
    is imported). Strong references: the receivers must live as long as the process."""
    status_set.connect(_on_status_set, weak=False)
    document_added.connect(_on_document_added, weak=False)
