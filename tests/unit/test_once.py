"""One-time tokens of visitors' forms (app.once): used once, what came of it, forgotten later.
(Parallel POSTs of one form: tests/web/test_parallel_requests.py.)"""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.db import get_session, utcnow
from app.once import (
    UsedFormToken,
    claim_form_token,
    forget_form_tokens,
    new_form_token,
    outcome_of,
    record_outcome,
)


@pytest.fixture
def session(app, db_connection):
    with app.app_context():
        yield get_session()


def test_a_token_acts_once_and_remembers_its_outcome(session):
    token = new_form_token()
    assert claim_form_token(session, token, purpose="test")
    record_outcome(session, token, "ZAAK-2026-0000000001")
    assert not claim_form_token(session, token, purpose="test")
    assert outcome_of(session, token, purpose="test") == "ZAAK-2026-0000000001"
    assert outcome_of(session, token, purpose="other") is None
    kept = session.scalars(select(UsedFormToken.token_hash)).all()
    assert token not in kept and all(len(value) == 64 for value in kept)  # only a hash


def test_used_tokens_are_forgotten_after_a_session_could_send_them(session):
    old, recent = new_form_token(), new_form_token()
    claim_form_token(session, old, purpose="test")
    session.execute(update(UsedFormToken).values(used_at=utcnow() - timedelta(hours=5)))
    claim_form_token(session, recent, purpose="test")
    assert forget_form_tokens(session, timedelta(hours=4)) >= 1
    assert claim_form_token(session, old, purpose="test")          # forgotten
    assert not claim_form_token(session, recent, purpose="test")   # still used
