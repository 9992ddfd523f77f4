"""The verstrekkingen log and the email verification of contact preferences (services)."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select

from app.db import get_session
from app.persons.models import ContactVerification, Disclosure
from app.persons.services import (
    CODE_LIFETIME,
    DEMO_DISCLOSURES,
    MAX_CODE_ATTEMPTS,
    VerificationOutcome,
    confirm_email,
    disclosures_for_bsn,
    get_contact_details,
    log_disclosure,
    log_disclosures,
    pending_verification,
    seed_disclosures,
    start_email_verification,
)
from tests.personas import FATIMA, PIOTR

NOW = datetime(2026, 11, 29, 12, 0)


@pytest.fixture
def db(app, db_connection):
    with app.app_context():
        yield get_session()


def _log(db, bsn=PIOTR, **overrides):
    values = dict(bsn=bsn, recipient="Gemeente Elburg – KCC", purpose="Vraag beantwoorden",
                  data_categories=["naam", "adres"], channel="backoffice")
    return log_disclosure(db, **{**values, **overrides})


def test_a_disclosure_is_logged_with_everything_the_resident_sees(db):
    entry = _log(db, zaak="ZAAK-2026-0000000001", when=NOW)
    stored = db.get(Disclosure, entry.id)
    assert (stored.bsn, stored.recipient, stored.purpose, stored.zaak_identificatie,
            stored.data_categories, stored.channel, stored.disclosed_at) == (
        PIOTR, "Gemeente Elburg – KCC", "Vraag beantwoorden", "ZAAK-2026-0000000001",
        ["naam", "adres"], "backoffice", NOW)


@pytest.mark.parametrize("overrides", [
    {"channel": "fax"}, {"data_categories": []}, {"data_categories": ["schoenmaat"]},
    {"recipient": " "}, {"purpose": ""},
])
def test_an_incomplete_disclosure_is_refused(db, overrides):
    with pytest.raises(ValueError):
        _log(db, **overrides)


@pytest.mark.parametrize("overrides", [
    {"channel": "fax"}, {"data_categories": []}, {"recipient": " "},
])
def test_many_disclosures_are_refused_on_the_same_grounds(db, overrides):
    values = {"recipient": "Gemeente Elburg – KCC", "purpose": "Zoeken",
              "data_categories": ["naam"], "channel": "backoffice", **overrides}
    with pytest.raises(ValueError):
        log_disclosures(db, [(PIOTR, None)], **values)


def test_many_disclosures_are_written_once_each_in_one_statement(db):
    statements = []

    def listener(*args) -> None:
        statements.append(args[2])

    event.listen(db.get_bind(), "before_cursor_execute", listener)
    try:
        written = log_disclosures(
            db, [(PIOTR, "ZAAK-2026-0000000001"), (FATIMA, None), (PIOTR, "ZAAK-2026-0000000001"),
                 (None, "ZAAK-2026-0000000002")],   # twice, and a zaak filed without DigiD
            recipient=" Gemeente Elburg – KCC ", purpose="Werkvoorraad",
            data_categories=["naam", "zaakgegevens"], channel="backoffice", when=NOW)
    finally:
        event.remove(db.get_bind(), "before_cursor_execute", listener)
    assert written == 2 and len([sql for sql in statements if sql.startswith("INSERT")]) == 1
    logged = db.execute(select(Disclosure.bsn, Disclosure.zaak_identificatie, Disclosure.recipient,
                               Disclosure.data_categories, Disclosure.disclosed_at)
                        .where(Disclosure.purpose == "Werkvoorraad")
                        .order_by(Disclosure.id)).all()
    assert [tuple(row) for row in logged] == [
        (PIOTR, "ZAAK-2026-0000000001", "Gemeente Elburg – KCC", ["naam", "zaakgegevens"], NOW),
        (FATIMA, None, "Gemeente Elburg – KCC", ["naam", "zaakgegevens"], NOW)]


def test_disclosures_come_newest_first_in_pages_of_one_query(db, app):
    for days in range(5):
        _log(db, when=NOW - timedelta(days=days), purpose=f"doel {days}")
    _log(db, bsn=FATIMA, when=NOW + timedelta(days=1), purpose="van een ander")
    statements = []

    def listener(*args) -> None:
        statements.append(args[2])

    event.listen(db.get_bind(), "before_cursor_execute", listener)
    try:
        first = disclosures_for_bsn(db, PIOTR, limit=2, offset=0)
        last = disclosures_for_bsn(db, PIOTR, limit=2, offset=4)
    finally:
        event.remove(db.get_bind(), "before_cursor_execute", listener)
    assert [d.purpose for d in first] == ["doel 0", "doel 1"]
    assert [d.purpose for d in last] == ["doel 4"]
    assert len(statements) == 2


def test_the_demo_disclosures_are_seeded_once(db):
    db.execute(Disclosure.__table__.delete())
    assert seed_disclosures(db) == sum(len(entries) for entries in DEMO_DISCLOSURES.values())
    assert seed_disclosures(db) == 0
    assert disclosures_for_bsn(db, FATIMA, limit=50)[0].recipient == "Gemeente Elburg – KCC"


def _email_of(db, bsn):
    return get_contact_details(db, bsn).email


def test_the_right_code_changes_the_email_and_only_then(db):
    code = start_email_verification(db, bsn=FATIMA, email="nieuw@example.nl", now=NOW)
    assert len(code) == 6 and code.isdigit()
    stored = db.scalar(select(ContactVerification).where(ContactVerification.bsn == FATIMA))
    assert code not in (stored.code_hash, stored.code_salt)
    assert _email_of(db, FATIMA) == "fatima.elamrani@example.nl"
    assert confirm_email(db, bsn=FATIMA, code=code, now=NOW) is VerificationOutcome.CONFIRMED
    assert _email_of(db, FATIMA) == "nieuw@example.nl"
    assert pending_verification(db, FATIMA, now=NOW) is None


def test_a_wrong_code_counts_and_five_wrong_codes_end_the_verification(db):
    code = start_email_verification(db, bsn=FATIMA, email="nieuw@example.nl", now=NOW)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    outcomes = [confirm_email(db, bsn=FATIMA, code=wrong, now=NOW) for _ in range(MAX_CODE_ATTEMPTS)]
    assert outcomes == [VerificationOutcome.WRONG_CODE] * (MAX_CODE_ATTEMPTS - 1) + [
        VerificationOutcome.EXPIRED]
    assert confirm_email(db, bsn=FATIMA, code=code, now=NOW) is VerificationOutcome.EXPIRED
    assert _email_of(db, FATIMA) == "fatima.elamrani@example.nl"


def test_a_code_expires_after_thirty_minutes(db):
    code = start_email_verification(db, bsn=FATIMA, email="nieuw@example.nl", now=NOW)
    later = NOW + CODE_LIFETIME
    assert pending_verification(db, FATIMA, now=later) is None
    assert confirm_email(db, bsn=FATIMA, code=code, now=later) is VerificationOutcome.EXPIRED
    assert _email_of(db, FATIMA) == "fatima.elamrani@example.nl"


def test_a_new_request_replaces_the_pending_one(db):
    first = start_email_verification(db, bsn=FATIMA, email="een@example.nl", now=NOW)
    second = start_email_verification(db, bsn=FATIMA, email="twee@example.nl", now=NOW)
    if first != second:
        assert confirm_email(db, bsn=FATIMA, code=first, now=NOW) is VerificationOutcome.WRONG_CODE
    assert confirm_email(db, bsn=FATIMA, code=second, now=NOW) is VerificationOutcome.CONFIRMED
    assert _email_of(db, FATIMA) == "twee@example.nl"
