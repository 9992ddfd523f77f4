"""Two-way contact's rules (app.berichten.conversations): one thread per zaak or subject, what
waits for whom, the servicenorm for a written answer in working days, the staff's unread
marks, and the inbox that shows a conversation once."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.berichten.conversations import (
    SUBJECT_TEAM,
    Topic,
    add_working_days,
    answer_norm,
    answer_thread,
    count_waiting,
    mark_read_by_staff,
    topic_of,
    waiting_threads,
    working_days_between,
    write_to_municipality,
)
from app.berichten.models import FROM_RESIDENT, Thread
from app.berichten.services import message_counts, messages_for_bsn, send_message, unread_count
from app.db import get_session
from app.notifications.models import OutboxMessage
from app.notifications.services import Attachment
from tests.factories import PDF
from tests.personas import FATIMA, JOHANNES

TODAY = date(2026, 12, 9)  # a Wednesday
ZAAK = "ZAAK-2026-0000000001"
ABOUT_THE_ZAAK = Topic.zaak(ZAAK, "burgerzaken")


@pytest.fixture
def db(app, db_connection):
    with app.app_context():
        yield get_session()


def _ask(db, bsn=FATIMA, topic=ABOUT_THE_ZAAK, tekst="Wanneer hoor ik iets?",
         **extra):
    return write_to_municipality(db, bsn=bsn, afzender="Fatima El Amrani", topic=topic,
                                 tekst=tekst, **extra)


def _thread(db, message) -> Thread:
    return db.get(Thread, message.thread_id)


def _mails(db) -> int:
    return db.scalar(select(func.count(OutboxMessage.id)))


# --------------------------------------------------------------------------- working days


@pytest.mark.parametrize(("start", "days", "due"), [
    (date(2026, 12, 7), 5, date(2026, 12, 14)),   # Monday: next Monday
    (date(2026, 12, 11), 1, date(2026, 12, 14)),  # Friday: Monday
    (date(2026, 12, 12), 5, date(2026, 12, 18)),  # Saturday: the week after's Friday
    (date(2026, 12, 9), 0, date(2026, 12, 9)),
])
def test_working_days_skip_the_weekend(start, days, due):
    assert add_working_days(start, days) == due


@pytest.mark.parametrize(("start", "end", "days"), [
    (date(2026, 12, 7), date(2026, 12, 7), 0),
    (date(2026, 12, 7), date(2026, 12, 14), 5),
    (date(2026, 12, 11), date(2026, 12, 13), 0),   # Friday to Sunday
    (date(2026, 12, 11), date(2026, 12, 28), 11),
    (date(2026, 12, 14), date(2026, 12, 7), 0),
])
def test_working_days_between_count_the_days_after_the_start(start, end, days):
    assert working_days_between(start, end) == days


def test_the_norm_is_overdue_the_working_day_after_it_ends():
    came_in = datetime(2026, 12, 2, 9, 0)  # a Wednesday morning (UTC)
    on_time = answer_norm(came_in, date(2026, 12, 9), 5)
    late = answer_norm(came_in, date(2026, 12, 10), 5)
    assert (on_time.due, on_time.waited_days, on_time.overdue) == (date(2026, 12, 9), 5, False)
    assert (late.waited_days, late.overdue) == (6, True)


# --------------------------------------------------------------------------- the resident


def test_a_question_opens_the_zaak_thread_that_then_waits_for_its_team(db):
    question = _ask(db, attachments=[Attachment("brief.pdf", "application/pdf", PDF)])
    thread = _thread(db, question)
    assert (thread.bsn, thread.zaak_identificatie, thread.onderwerp, thread.team) == (
        FATIMA, ZAAK, "", "burgerzaken")
    assert thread.waiting_since == question.created_at
    assert question.direction == FROM_RESIDENT and question.zaak_identificatie == ZAAK
    assert question.onderwerp == f"Uw vraag over zaak {ZAAK}"
    assert question.onderwerp_en == f"Your question about case {ZAAK}"
    assert [a.bestandsnaam for a in question.attachments] == ["brief.pdf"]
    assert question.read_at is not None  # their own message is no news to them
    assert _mails(db) == 0  # nobody is mailed about the resident's own message


def test_a_second_question_joins_the_thread_and_keeps_the_oldest_waiting_time(db):
    first = _ask(db)
    second = _ask(db, topic=Topic.zaak(ZAAK, "vergunningen"), tekst="En nog iets.")
    thread = _thread(db, first)
    assert second.thread_id == thread.id
    assert thread.waiting_since == first.created_at
    assert thread.team == "vergunningen"  # the team that handles the zaak now
    other = _ask(db, bsn=JOHANNES)
    assert other.thread_id != thread.id  # one thread per resident and zaak


def test_a_zaak_without_a_team_and_a_subject_go_to_the_front_office(db):
    assert Topic.zaak(ZAAK, "").team == SUBJECT_TEAM
    assert Topic.subject(" Uw afspraak ").onderwerp == "Uw afspraak"


def test_answering_a_one_way_message_opens_a_thread_about_its_subject(db):
    letter = send_message(db, bsn=FATIMA, onderwerp="Uw parkeervergunning", tekst="Verlopen.",
                          afzender="Gemeente Elburg", notify=False)
    reply = _ask(db, topic=topic_of(letter, None), tekst="Hoe verleng ik?", answering=letter)
    thread = _thread(db, reply)
    assert (thread.zaak_identificatie, thread.onderwerp, thread.team) == (
        "", "Uw parkeervergunning", SUBJECT_TEAM)
    assert letter.thread_id == thread.id
    assert reply.onderwerp == "Uw reactie: Uw parkeervergunning"
    assert letter.read_at is not None  # they answered it, so they have read it


def test_answering_in_a_subject_thread_stays_in_it(db):
    letter = send_message(db, bsn=FATIMA, onderwerp="Uw afvalpas", tekst="Kwijt?",
                          afzender="Gemeente Elburg", notify=False)
    reply = _ask(db, topic=topic_of(letter, None), answering=letter)
    answer = answer_thread(db, _thread(db, reply), tekst="Vraag een nieuwe aan.",
                           afzender="Gemeente")
    assert answer.onderwerp == "Antwoord: Uw afvalpas"
    again = _ask(db, topic=topic_of(answer, None), tekst="Hoe?", answering=answer)
    assert again.thread_id == reply.thread_id


def test_a_message_about_a_zaak_is_answered_in_the_zaak_thread(db):
    status = send_message(db, bsn=FATIMA, onderwerp="Verhuizing: ontvangen", tekst="Ontvangen.",
                          afzender="Gemeente Elburg", zaak_identificatie=ZAAK, notify=False)
    about_zaak = Topic.zaak(ZAAK, "burgerzaken")
    assert topic_of(status, about_zaak) == about_zaak


def test_the_inbox_shows_a_conversation_once_by_its_newest_message(db):
    letter = send_message(db, bsn=JOHANNES, onderwerp="Uw aanvraag", tekst="Ontvangen.",
                          afzender="Gemeente Elburg", notify=False)
    before, _ = message_counts(db, JOHANNES)
    reply = _ask(db, bsn=JOHANNES, topic=topic_of(letter, None), answering=letter)
    answer = answer_thread(db, _thread(db, reply), tekst="Zo doet u dat.", afzender="Gemeente")
    listed = [m.id for m in messages_for_bsn(db, JOHANNES, limit=100)]
    assert answer.id in listed and reply.id not in listed and letter.id not in listed
    assert message_counts(db, JOHANNES) == (before, unread_count(db, JOHANNES))


# --------------------------------------------------------------------------- the staff


def test_an_answer_is_a_message_in_the_thread_and_ends_the_wait(db):
    question = _ask(db)
    thread = _thread(db, question)
    unread_before = unread_count(db, FATIMA)
    last_mail = db.scalar(select(func.max(OutboxMessage.id))) or 0
    answer = answer_thread(db, thread, tekst="Volgende week.", afzender="Gemeente Elburg, team X",
                           initiator_email="fatima@example.nl")
    assert answer.thread_id == thread.id and answer.direction == "gemeente"
    assert answer.onderwerp == f"Antwoord op uw vraag over zaak {ZAAK}"
    assert answer.zaak_identificatie == ZAAK and answer.read_at is None
    assert unread_count(db, FATIMA) == unread_before + 1
    assert thread.waiting_since is None
    db.refresh(question)
    assert question.staff_read_at is not None
    # One mail says a message waits; never its content nor the BSN.
    [mail] = db.scalars(select(OutboxMessage).where(OutboxMessage.id > last_mail)).all()
    body = mail.subject + mail.text_body + (mail.html_body or "")
    assert "Volgende week" not in body and FATIMA not in body and answer.public_id in body


def test_the_waiting_list_per_team_longest_waiting_first_with_unread_counts(db):
    first = _ask(db, tekst="Eerste")
    _ask(db, tekst="Tweede")
    other_team = _ask(db, bsn=JOHANNES, topic=Topic.zaak(ZAAK, "vergunningen"))
    threads = waiting_threads(db, ["burgerzaken"], today=TODAY, working_days=5, limit=50)
    mine = [t for t in threads if t.public_id == _thread(db, first).public_id]
    assert len(mine) == 1 and mine[0].unread == 2 and mine[0].zaak_identificatie == ZAAK
    assert _thread(db, other_team).public_id not in {t.public_id for t in threads}
    assert [t.waiting_since for t in threads] == sorted(t.waiting_since for t in threads)
    everyone = count_waiting(db, None)
    assert everyone >= count_waiting(db, ["burgerzaken"]) + 1
    mark_read_by_staff(db, _thread(db, first))
    again = waiting_threads(db, ["burgerzaken"], today=TODAY, working_days=5, limit=50)
    assert [t.unread for t in again if t.public_id == mine[0].public_id] == [0]
