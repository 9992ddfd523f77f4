"""Two-way contact: the resident writes to the municipality, staff answer, in one thread per
zaak or per subject (app.berichten.models.Thread).

A resident writes a question about a zaak (from its page) or an answer to a message; the
thread then waits for the municipality, and its team sees it in the back office with the
servicenorm for a written answer (WRITTEN_ANSWER_WORKING_DAYS). A staff answer is a
message like any other (send_message: the inbox and the mail without its content) in the
thread, which then no longer waits.

Services take the caller's Session and plain values, flush and never commit. A resident's
lookups are scoped to their BSN; who on the staff may see a thread is the back office's
question (app.auth.permissions, by the thread's team).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import force_locale, gettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from app.berichten.models import FROM_RESIDENT, Message, MessageAttachment, Thread
from app.berichten.services import mark_thread_read, send_message, store_message
from app.contacts.services import record_message
from app.db import utcnow
from app.notifications.services import Attachment, send_mail
from app.ui.dates import local_date
from app.urls import external_url
from app.zaken.store import ContactPerson

log = logging.getLogger(__name__)

# A question not about a zaak goes to the front office, which answers it or passes it on
# (the service concept's regiefunctie klantcontact). The team's slug as in app.auth.staff.
SUBJECT_TEAM = "kcc"
LOCALES = ("nl", "en")


@dataclass(frozen=True)
class Topic:
    """What a thread is about: a zaak and the team that handles it now, or a subject."""

    zaak_identificatie: str = ""
    onderwerp: str = ""
    team: str = SUBJECT_TEAM
    # The zaak's named contact person, told when the resident writes; not what makes the
    # thread (a new contact person takes over the same conversation).
    contact_person: ContactPerson | None = field(default=None, compare=False)

    @classmethod
    def zaak(cls, identificatie: str, team: str,
             contact_person: ContactPerson | None = None) -> Topic:
        # A zaak not routed yet is the front office's to answer about.
        return cls(zaak_identificatie=identificatie, team=team or SUBJECT_TEAM,
                   contact_person=contact_person)

    @classmethod
    def subject(cls, onderwerp: str) -> Topic:
        return cls(onderwerp=onderwerp.strip()[:200])


# --------------------------------------------------------------------------- the resident


def write_to_municipality(session: Session, *, bsn: str, afzender: str, topic: Topic,
                          tekst: str, attachments: Sequence[Attachment] = (),
                          answering: Message | None = None, namens: bool = False) -> Message:
    """The resident's message in the thread of `topic` (made the first time); the thread
    waits for an answer from then on, with the team of `topic`, and the zaak's contact
    person gets a mail. `answering`: the resident's one-way message they answer, which
    opens the thread. namens: a gemachtigde wrote it for the resident (the contact's
    channel)."""
    thread = _thread_for(session, bsn, topic)
    thread.team = topic.team
    if answering is not None and answering.thread_id is None:
        answering.thread_id = thread.id
    (onderwerp, _), (onderwerp_en, _) = (_texts(thread, locale) for locale in LOCALES)
    message = store_message(session, bsn=bsn, onderwerp=onderwerp, onderwerp_en=onderwerp_en,
                            tekst=tekst, afzender=afzender, attachments=attachments,
                            zaak_identificatie=thread.zaak_identificatie or None,
                            thread=thread, direction=FROM_RESIDENT)
    if thread.waiting_since is None:
        thread.waiting_since = message.created_at
    # Whoever writes in a conversation has it before them (the message or the zaak's page).
    mark_thread_read(session, bsn, thread.id)
    _tell_contact_person(session, topic.contact_person, thread, message)
    record_message(session, bsn=bsn, onderwerp=onderwerp, namens=namens,
                   about_zaak=thread.zaak_identificatie or None)
    log.info("resident wrote", extra={"zaak": thread.zaak_identificatie, "team": thread.team})
    return message


def _tell_contact_person(session: Session, contact: ContactPerson | None, thread: Thread,
                         message: Message) -> None:
    """The team sees the message in its list, which is enough for the daily routine; the
    zaak's named contact person is told at once. A mail without the message or who wrote
    it (mail is not a secure channel), with a link to the conversation in the back office."""
    if contact is None or not contact.email:
        return
    send_mail(session, "conversation_for_contact_person", to=contact.email, locale=LOCALES,
              dedupe_key=f"contact-person:{message.public_id}",
              zaaknummer=thread.zaak_identificatie,
              link=external_url("backoffice.conversation", public_id=thread.public_id))


def find_thread(session: Session, bsn: str, topic: Topic) -> Thread | None:
    """The resident's thread about this zaak or subject, if they wrote about it."""
    return session.scalar(select(Thread).where(
        Thread.bsn == bsn, Thread.zaak_identificatie == topic.zaak_identificatie,
        Thread.onderwerp == topic.onderwerp))


def _thread_for(session: Session, bsn: str, topic: Topic) -> Thread:
    thread = find_thread(session, bsn, topic)
    if thread is None:
        thread = Thread(public_id=secrets.token_urlsafe(16), bsn=bsn, team=topic.team,
                        zaak_identificatie=topic.zaak_identificatie, onderwerp=topic.onderwerp,
                        created_at=utcnow())
        session.add(thread)
        session.flush()
    return thread


def move_zaak_threads(session: Session, zaak_identificatie: str, team: str) -> None:
    """The zaak went to another team: so do the threads about it (one, unless machtigen
    let more than one resident write about it)."""
    session.execute(update(Thread).where(Thread.zaak_identificatie == zaak_identificatie)
                    .values(team=Topic.zaak(zaak_identificatie, team).team)
                    .execution_options(synchronize_session=False))


def topic_of(message: Message, about_zaak: Topic | None) -> Topic:
    """What an answer to this message is about: the subject of its thread, its zaak
    (`about_zaak`: the zaak's topic as it is now, with its team and contact person), else
    its own Dutch subject."""
    if message.thread is not None and not message.thread.zaak_identificatie:
        return Topic.subject(message.thread.onderwerp)  # not "Antwoord: ..." of an answer
    if message.zaak_identificatie:
        return about_zaak or Topic.zaak(message.zaak_identificatie, "")
    return Topic.subject(message.onderwerp)


def thread_messages_for_bsn(session: Session, bsn: str, thread_id: int) -> list[Message]:
    """The conversation, oldest first, with the attachments (two queries)."""
    return list(session.scalars(
        select(Message).where(Message.thread_id == thread_id, Message.bsn == bsn)
        .options(selectinload(Message.attachments))
        .order_by(Message.created_at, Message.id)))


# --------------------------------------------------------------------------- the staff


@dataclass(frozen=True)
class AnswerNorm:
    """The servicenorm for a written answer, applied to a thread that waits."""

    due: date             # the last working day of the norm
    waited_days: int      # working days since the question came in (the day itself not counted)
    overdue: bool


@dataclass(frozen=True)
class WaitingThread:
    """A thread in the back office's list: what it is about, never who asked it."""

    public_id: str
    zaak_identificatie: str
    onderwerp: str
    team: str
    waiting_since: datetime  # naive UTC
    unread: int              # the resident's messages no employee read yet
    norm: AnswerNorm


def answer_norm(waiting_since: datetime, today: date, working_days: int) -> AnswerNorm:
    came_in = local_date(waiting_since)
    due = add_working_days(came_in, working_days)
    return AnswerNorm(due=due, waited_days=working_days_between(came_in, today),
                      overdue=today > due)


def add_working_days(day: date, count: int) -> date:
    """The `count`th working day (Monday to Friday) after `day`."""
    while count > 0:
        day += timedelta(days=1)
        count -= day.weekday() < 5
    return day


def working_days_between(start: date, end: date) -> int:
    """The working days after `start` up to and including `end` (0 when end <= start)."""
    weeks, rest = divmod(max((end - start).days, 0), 7)
    return weeks * 5 + sum((start + timedelta(days=weeks * 7 + n)).weekday() < 5
                           for n in range(1, rest + 1))


def _in_teams(statement, teams: Sequence[str] | None):
    """Only the threads of these teams; None: every team (the KCC sees all zaken)."""
    return statement if teams is None else statement.where(Thread.team.in_(teams))


def count_waiting(session: Session, teams: Sequence[str] | None) -> int:
    """How many threads of these teams wait for an answer (one query, on the index)."""
    return session.scalar(_in_teams(select(func.count(Thread.id))
                                    .where(Thread.waiting_since.is_not(None)), teams))


def waiting_threads(session: Session, teams: Sequence[str] | None, *, today: date,
                    working_days: int, limit: int, offset: int = 0) -> list[WaitingThread]:
    """The threads of these teams that wait for an answer, the longest waiting first, with
    their unread count and the norm (one query)."""
    unread = (select(func.count(Message.id))
              .where(Message.thread_id == Thread.id, Message.direction == FROM_RESIDENT,
                     Message.staff_read_at.is_(None))
              .correlate(Thread).scalar_subquery())
    rows = session.execute(_in_teams(
        select(Thread.public_id, Thread.zaak_identificatie, Thread.onderwerp, Thread.team,
               Thread.waiting_since, unread.label("unread"))
        .where(Thread.waiting_since.is_not(None)), teams)
        .order_by(Thread.waiting_since, Thread.id).limit(limit).offset(offset))
    return [WaitingThread(**row._asdict(), norm=answer_norm(row.waiting_since, today,
                                                            working_days))
            for row in rows]


def thread_for_staff(session: Session, public_id: str, *, for_update: bool = False
                     ) -> Thread | None:
    """The thread by its public id, whoever's it is (the caller checks the team).
    for_update: lock it, so two answers at once are written one after the other."""
    statement = select(Thread).where(Thread.public_id == public_id)
    return session.scalar(statement.with_for_update() if for_update else statement)


def thread_messages(session: Session, thread: Thread) -> list[Message]:
    return thread_messages_for_bsn(session, thread.bsn, thread.id)


def mark_read_by_staff(session: Session, thread: Thread) -> int:
    """An employee read the resident's messages in the thread; how many were unread."""
    return session.execute(
        update(Message).where(Message.thread_id == thread.id,
                              Message.direction == FROM_RESIDENT,
                              Message.staff_read_at.is_(None))
        .values(staff_read_at=utcnow()).execution_options(synchronize_session="fetch")).rowcount


def answer_thread(session: Session, thread: Thread, *, tekst: str, afzender: str,
                  attachments: Sequence[Attachment] = (), initiator_email: str = "") -> Message:
    """The municipality's answer: a message in the resident's inbox in the thread (and the
    mail that says one is waiting); the thread no longer waits, and what it answers counts
    as read by the staff."""
    (onderwerp, _), (onderwerp_en, _) = (_texts(thread, locale, answer=True)
                                        for locale in LOCALES)
    message = send_message(session, bsn=thread.bsn, onderwerp=onderwerp,
                           onderwerp_en=onderwerp_en, tekst=tekst, afzender=afzender,
                           zaak_identificatie=thread.zaak_identificatie or None,
                           initiator_email=initiator_email, attachments=attachments,
                           thread=thread)
    thread.waiting_since = None
    mark_read_by_staff(session, thread)
    session.flush()
    return message


def staff_attachment(session: Session, thread: Thread, message_id: str,
                     nummer: int) -> MessageAttachment | None:
    """The nummer-th attachment (from 1) of a message in this thread."""
    if nummer < 1:
        return None
    return session.scalar(
        select(MessageAttachment).join(Message, Message.id == MessageAttachment.message_id)
        .where(Message.public_id == message_id, Message.thread_id == thread.id)
        .order_by(MessageAttachment.id).offset(nummer - 1).limit(1))


# --------------------------------------------------------------------------- texts


def _texts(thread: Thread, locale: str, *, answer: bool = False) -> tuple[str, str]:
    """(subject of a message in the thread, the thread's name), in one language. A subject
    thread's own subject is the Dutch one of the message that opened it."""
    with force_locale(locale):
        if thread.zaak_identificatie:
            name = gettext("Case %(zaaknummer)s", zaaknummer=thread.zaak_identificatie)
            if answer:
                return gettext("Answer to your question about case %(zaaknummer)s",
                               zaaknummer=thread.zaak_identificatie), name
            return gettext("Your question about case %(zaaknummer)s",
                           zaaknummer=thread.zaak_identificatie), name
        if answer:
            return gettext("Answer: %(subject)s", subject=thread.onderwerp), thread.onderwerp
        return gettext("Your reply: %(subject)s", subject=thread.onderwerp), thread.onderwerp


def thread_name(thread: Thread, locale: str) -> str:
    return _texts(thread, locale)[1]
