"""Feedback (app.feedback.services): a task is offered once, its link answers once and
expires, and a score carries nothing that leads back to the resident or the task."""

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select, update

from app.db import get_session, utcnow
from app.feedback.models import FeedbackInvitation, FeedbackScore
from app.feedback.services import (
    FORM,
    ZAAK,
    Invitation,
    ScoreRow,
    answer,
    forget_expired_invitations,
    invitation_state,
    invite,
    scores,
)


@pytest.fixture
def session(app, db_connection):
    with app.app_context():
        yield get_session()


def test_a_task_is_offered_once_and_its_token_answers_once(session):
    token = invite(session, task="form:draft-1", kind=FORM, product="MELDING")
    assert invite(session, task="form:draft-1", kind=FORM, product="MELDING") is None
    assert invitation_state(session, token) is Invitation.OPEN
    assert answer(session, token, score=7, remark="  Prima  ") is Invitation.OPEN
    assert answer(session, token, score=3) is Invitation.ANSWERED
    assert session.execute(select(FeedbackScore.score, FeedbackScore.remark)).all() == [
        (7, "Prima")]


def test_only_hashes_of_the_token_and_the_task_are_kept(session):
    token = invite(session, task="zaak:ZAAK-2026-0000000001", kind=ZAAK, product="VERHUIZING")
    kept = session.execute(select(FeedbackInvitation.task_hash,
                                  FeedbackInvitation.token_hash)).one()
    assert token not in kept and "ZAAK-2026-0000000001" not in "".join(kept)
    assert all(len(value) == 64 for value in kept)


def test_an_expired_link_takes_no_answer_and_is_forgotten(session):
    token = invite(session, task="form:draft-2", kind=FORM, product="MELDING")
    session.execute(update(FeedbackInvitation).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert answer(session, token, score=9) is Invitation.EXPIRED
    assert invitation_state(session, "not-a-token") is Invitation.UNKNOWN
    assert forget_expired_invitations(session) == 1
    assert session.scalar(select(FeedbackScore.id)) is None


def test_a_score_is_a_whole_number_from_1_to_10(session):
    token = invite(session, task="form:draft-3", kind=FORM, product="MELDING")
    for wrong in (0, 11):
        with pytest.raises(ValueError):
            answer(session, token, score=wrong)
    assert invitation_state(session, token) is Invitation.OPEN


def test_a_score_has_no_column_that_leads_back_to_a_person_a_zaak_or_the_invitation(session):
    columns = {column["name"] for column in inspect(session.connection()).get_columns(
        "feedback_scores")}
    assert columns == {"id", "kind", "product", "month", "score", "remark"}
    token = invite(session, task="form:draft-4", kind=FORM, product="MELDING")
    answer(session, token, score=8)
    score_id = session.scalar(select(FeedbackScore.id))
    invitation_id = session.scalar(select(FeedbackInvitation.id))
    assert score_id != str(invitation_id) and len(score_id) == 32  # random, not a sequence


def test_scores_are_summed_per_month_product_and_kind(session):
    for task, product, score in (("a", "MELDING", 8), ("b", "MELDING", 6), ("c", "PASPOORT", 9)):
        answer(session, invite(session, task=task, kind=FORM, product=product), score=score)
    month = utcnow().date().replace(day=1)
    assert scores(session, since=month, until=month) == [
        ScoreRow(month=month, product="MELDING", kind=FORM, count=2, total=14),
        ScoreRow(month=month, product="PASPOORT", kind=FORM, count=1, total=9)]
    last_year = month.replace(year=month.year - 1)
    assert scores(session, since=last_year, until=last_year) == []
