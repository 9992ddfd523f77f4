"""Berichten services: the inbox, its unread count, the announcing mail (no content, no BSN),
the status-change notifications through the zaken signal, and the demo zaken."""

import re

import pytest
from sqlalchemy import event, func, select

from app.berichten.conversations import thread_messages_for_bsn, waiting_threads
from app.berichten.models import Message, Thread
from app.berichten.services import (
    get_message_for_bsn,
    message_counts,
    messages_for_bsn,
    notification_address,
    send_message,
    unread_count,
    unread_messages,
    without_mail,
    zaak_messages,
)
from app.db import get_session, utcnow
from app.notifications.models import OutboxMessage
from app.persons.models import ContactPreference
from app.zaken.models import Rol, Zaak
from app.zaken.services import (
    Initiator,
    open_zaak,
    set_resultaat,
    set_status,
    today,
    zaken_for_bsn,
)
from app.zaken.sql.demo import DEMO_REGISTERED_BY, demo_pdf, seed_demo_zaken
from tests.personas import FATIMA, JOHANNES, PIOTR

PUBLIC_ID = re.compile(r"/mijn-omgeving/berichten/([A-Za-z0-9_-]{20,})")


@pytest.fixture
def db(app, db_connection):
    with app.app_context():
        yield get_session()


def _zaak(db, bsn=FATIMA, zaaktype="VERHUIZING", email="", naam="Test"):
    return open_zaak(db, zaaktype=zaaktype, initiator=Initiator(naam=naam, bsn=bsn, email=email),
                     omschrijving="Verhuizing binnen de gemeente", registered_by="test")


def _send(db, bsn=PIOTR, **overrides):
    values = dict(bsn=bsn, onderwerp="Uw afspraak", tekst="Tot ziens op het gemeentehuis.",
                  afzender="Gemeente Elburg")
    return send_message(db, **{**values, **overrides})


def _mails(db, to=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to:
        query = query.where(OutboxMessage.recipient == to)
    return list(db.scalars(query))


def _mail_count(db):
    return db.scalar(select(func.count(OutboxMessage.id)))


# --------------------------------------------------------------------------- sending


def test_a_message_lands_in_the_inbox_with_an_opaque_id(db):
    message = _send(db, onderwerp="  Uw afspraak ", onderwerp_en="Your appointment")
    stored = db.get(Message, message.id)
    assert (stored.bsn, stored.onderwerp, stored.tekst, stored.afzender, stored.read_at,
            stored.zaak_identificatie) == (PIOTR, "Uw afspraak", "Tot ziens op het gemeentehuis.",
                                           "Gemeente Elburg", None, None)
    assert len(stored.public_id) >= 20 and PIOTR not in stored.public_id
    assert stored.localized("onderwerp", "en") == "Your appointment"
    assert stored.localized("tekst", "en") == "Tot ziens op het gemeentehuis."  # falls back to Dutch
    assert _send(db).public_id != message.public_id


def test_a_message_needs_a_subject_and_a_text(db):
    with pytest.raises(ValueError):
        _send(db, onderwerp=" ")
    with pytest.raises(ValueError):
        _send(db, tekst="")


def test_the_mail_says_there_is_a_message_never_what_it_says_nor_the_bsn(db):
    zaak = _zaak(db)
    message = _send(db, bsn=FATIMA, onderwerp="Geheim onderwerp", tekst="Geheime inhoud",
                    zaak_identificatie=zaak.identificatie)
    [mail] = _mails(db, "fatima.elamrani@example.nl")
    assert "Geheim" not in mail.subject + mail.text_body
    assert FATIMA not in mail.subject + mail.text_body + (mail.html_body or "")
    assert zaak.identificatie in mail.text_body
    assert f"/mijn-omgeving/berichten/{message.public_id}" in mail.text_body
    assert mail.text_body.count("My portal") >= 2 or "Mijn omgeving" in mail.text_body
    assert mail.dedupe_key == f"message:{message.public_id}"


def test_the_mail_link_uses_the_configured_portal_address(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "https://mijn.elburg.example")
    message = _send(db)
    [mail] = _mails(db, "piotr.kowalski@example.nl")
    assert f"https://mijn.elburg.example/mijn-omgeving/berichten/{message.public_id}" in mail.text_body


def test_the_address_is_the_verified_one_else_the_initiators_else_none(db):
    assert notification_address(db, FATIMA) == "fatima.elamrani@example.nl"
    assert notification_address(db, JOHANNES) == ""
    assert notification_address(db, JOHANNES, "jh@example.org") == "jh@example.org"
    # The address the resident verified in Mijn gegevens wins over what was typed into a form.
    given = db.get(ContactPreference, JOHANNES)  # Johannes gave a phone number only
    given.email = "verified@example.org"
    db.flush()
    assert notification_address(db, JOHANNES, "jh@example.org") == "verified@example.org"


def test_no_mail_when_no_address_is_known(db):
    before = _mail_count(db)
    _send(db, bsn=JOHANNES)
    assert _mail_count(db) == before


def test_without_mail_stores_but_does_not_announce(db):
    before = _mail_count(db)
    with without_mail():
        _send(db)
    assert _mail_count(db) == before
    _send(db)
    assert _mail_count(db) == before + 1


# --------------------------------------------------------------------------- reading


def test_the_inbox_is_newest_first_paged_and_only_the_residents(db):
    sent = [_send(db, onderwerp=f"Bericht {n}") for n in range(5)]
    _send(db, bsn=JOHANNES, onderwerp="Niet voor Piotr")
    mine = [m for m in messages_for_bsn(db, PIOTR, limit=100) if m.onderwerp.startswith("Bericht")]
    assert [m.onderwerp for m in mine] == [f"Bericht {n}" for n in range(4, -1, -1)]
    first_page = messages_for_bsn(db, PIOTR, limit=2)
    second_page = messages_for_bsn(db, PIOTR, limit=2, offset=2)
    assert [m.id for m in first_page + second_page] == [m.id for m in sent[::-1][:4]]
    assert all(m.bsn == PIOTR for m in messages_for_bsn(db, PIOTR, limit=100))


def test_reading_marks_read_once_and_is_scoped_to_the_bsn(db):
    message = _send(db)
    unread_before = unread_count(db, PIOTR)
    assert get_message_for_bsn(db, JOHANNES, message.public_id) is None
    assert db.get(Message, message.id).read_at is None
    assert get_message_for_bsn(db, PIOTR, "no-such-id") is None
    read = get_message_for_bsn(db, PIOTR, message.public_id)
    first_read_at = read.read_at
    assert first_read_at is not None
    assert unread_count(db, PIOTR) == unread_before - 1
    assert get_message_for_bsn(db, PIOTR, message.public_id).read_at == first_read_at


def test_counts_and_the_one_query_lists(app, db):
    zaak = _zaak(db, bsn=PIOTR)
    total_before, unread_before = message_counts(db, PIOTR)
    about = _send(db, zaak_identificatie=zaak.identificatie, onderwerp="Over de zaak")
    _send(db, onderwerp="Algemeen")
    get_message_for_bsn(db, PIOTR, _send(db, onderwerp="Gelezen").public_id)
    assert message_counts(db, PIOTR) == (total_before + 3, unread_before + 2)
    with _counted(app) as statements:
        messages = zaak_messages(db, PIOTR, zaak.identificatie)
        newest, unread = unread_messages(db, PIOTR, limit=1)
        none_about = zaak_messages(db, PIOTR, "ZAAK-2000-0000000001")
    assert len(statements) == 3
    assert [m.id for m in messages] == [about.id]
    assert unread == unread_before + 2
    assert [m.onderwerp for m in newest] == ["Algemeen"]
    assert none_about == []
    assert unread_messages(db, "999999990", limit=3) == ([], 0)


class _counted:
    def __init__(self, app):
        self.engine = app.extensions["db"].engine
        self.statements = []

    def _count(self, _conn, _cursor, statement, *_args):
        if statement.split(None, 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH"):
            self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self.statements

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


# --------------------------------------------------------------------------- status changes


def _messages_about(db, zaak):
    return list(db.scalars(select(Message).where(Message.zaak_identificatie == zaak.identificatie)
                           .order_by(Message.id)))


def test_a_status_meant_for_the_resident_sends_a_message_in_both_languages(db):
    zaak = _zaak(db, zaaktype="HULPVRAAG_WMO")
    set_status(db, zaak, volgnummer=2, toelichting="Wij komen dinsdag om 10.00 uur.",
               gezet_door="medewerker sara")
    [message] = _messages_about(db, zaak)
    assert message.bsn == FATIMA
    assert message.onderwerp == "Hulpvraag Wmo: Gesprek gepland"
    assert message.tekst == ("Wij hebben een gesprek met u gepland.\n\n"
                             "Wij komen dinsdag om 10.00 uur.")
    statustype = zaak.zaaktype.statustype(2)
    assert message.onderwerp_en.endswith(statustype.omschrijving_en)
    assert message.tekst_en.startswith(statustype.statustekst_en)
    assert message.afzender == "Gemeente Elburg"
    [mail] = _mails(db, "fatima.elamrani@example.nl")
    assert "10.00" not in mail.text_body and zaak.identificatie in mail.text_body


def test_statuses_not_meant_for_the_resident_send_nothing(db):
    zaak = _zaak(db)
    before = _mail_count(db)
    set_status(db, zaak, volgnummer=2, gezet_door="test")   # informeren = false
    set_status(db, zaak, volgnummer=3, gezet_door="test")   # internal
    assert _messages_about(db, zaak) == [] and _mail_count(db) == before


def test_closing_sends_the_result_with_its_explanation(db):
    zaak = _zaak(db)
    set_resultaat(db, zaak, resultaattype="Verwerkt", toelichting="Welkom op uw nieuwe adres.",
                  gezet_door="medewerker bas")
    [message] = _messages_about(db, zaak)
    assert message.onderwerp == "Verhuizing doorgeven: Afgehandeld"
    *told, question = message.tekst.split("\n\n")
    assert told == [
        "Wij hebben uw verhuizing verwerkt.",
        "Uw nieuwe adres staat in de Basisregistratie Personen.",
        "Welkom op uw nieuwe adres."]
    assert question.startswith("Hoe ging het?") and "/feedback/" in question  # app.feedback


def test_an_anonymous_initiator_gets_only_a_neutral_mail(db):
    zaak = _zaak(db, bsn=None, zaaktype="MELDING_OPENBARE_RUIMTE", email="melder@example.org",
                 naam="Anoniem")
    set_resultaat(db, zaak, resultaattype="Opgelost", toelichting="Mevrouw Jansen belde ook.",
                  gezet_door="medewerker olaf")
    assert _messages_about(db, zaak) == []
    [mail] = _mails(db, "melder@example.org")
    assert zaak.identificatie in mail.subject and zaak.identificatie in mail.text_body
    assert "Afgehandeld" in mail.text_body or "Completed" in mail.text_body
    assert "Jansen" not in mail.text_body  # the toelichting stays out of the mail


def test_an_anonymous_initiator_without_email_hears_nothing(db):
    zaak = _zaak(db, bsn=None, zaaktype="MELDING_OPENBARE_RUIMTE", naam="Anoniem")
    before = _mail_count(db)
    set_resultaat(db, zaak, resultaattype="Opgelost", gezet_door="test")
    assert _mail_count(db) == before


def test_a_rolled_back_status_change_takes_its_message_along(db):
    zaak = _zaak(db, bsn=PIOTR)
    db.commit()  # a savepoint in the test's transaction
    count = db.scalar(select(func.count(Message.id)).where(Message.bsn == PIOTR))
    set_resultaat(db, zaak, resultaattype="Verwerkt", gezet_door="test")
    db.rollback()
    assert db.scalar(select(func.count(Message.id)).where(Message.bsn == PIOTR)) == count


# --------------------------------------------------------------------------- demo zaken


def _demo_zaken(db, bsn):
    return [z for z in zaken_for_bsn(db, bsn, limit=200) if z.registered_by == DEMO_REGISTERED_BY]


def test_demo_zaken_only_with_demo_data_switched_on(app, db):
    assert app.config.get("DEMO_DATA", False) is False
    assert seed_demo_zaken(db) == 0
    assert _demo_zaken(db, FATIMA) == []


def test_demo_zaken_give_every_persona_a_lived_in_portal_once(app, db, monkeypatch):
    mails_before = _mail_count(db)
    monkeypatch.setitem(app.config, "DEMO_DATA", True)
    added = seed_demo_zaken(db)
    assert added >= 12
    assert seed_demo_zaken(db) == 0
    assert _mail_count(db) == mails_before  # old news is not mailed
    for bsn in (FATIMA, JOHANNES, "999990032", PIOTR):
        zaken = _demo_zaken(db, bsn)
        assert any(z.is_closed for z in zaken) and any(not z.is_closed for z in zaken), bsn
        assert any(r.is_open for z in zaken for r in z.document_requests), bsn
        assert all(z.kenmerken == {"demo": True} for z in zaken)
        messages = messages_for_bsn(db, bsn, limit=50)
        assert any(m.zaak_identificatie for m in messages) and any(m.read_at for m in messages)
        assert any(m.read_at is None for m in messages), bsn
        assert all(m.created_at <= messages[0].created_at for m in messages)
    fatima = _demo_zaken(db, FATIMA)
    assert len({z.zaaktype.identificatie for z in fatima}) >= 5
    statuses = {len(z.statussen) for z in fatima}
    assert 1 in statuses and max(statuses) >= 3  # just received and far along
    assert any(not z.is_closed and z.uiterlijke_einddatum_afdoening < today()
               for z in fatima)  # overdue
    assert db.scalar(select(func.count(Rol.id)).join(Zaak).where(
        Zaak.registered_by == DEMO_REGISTERED_BY, Rol.inp_bsn == FATIMA)) == len(fatima)


def test_demo_conversations_wait_one_past_the_norm_and_one_is_answered(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_DATA", True)
    seed_demo_zaken(db)
    fatimas = {z.identificatie: z for z in _demo_zaken(db, FATIMA)}
    waiting = [t for t in waiting_threads(db, None, today=today(), limit=100,
                                          working_days=app.config["WRITTEN_ANSWER_WORKING_DAYS"])
               if t.zaak_identificatie in fatimas]
    # The longest waiting first: past the norm (marked overdue), then one within it.
    assert [t.norm.overdue for t in waiting] == [True, False]
    assert all(t.unread == 1 for t in waiting)
    [answered] = db.scalars(select(Thread).where(Thread.bsn == FATIMA,
                                                 Thread.waiting_since.is_(None))).all()
    question, answer = thread_messages_for_bsn(db, FATIMA, answered.id)
    assert question.from_resident and not answer.from_resident
    assert fatimas[answered.zaak_identificatie].zaaktype.identificatie == "HULPVRAAG_WMO"
    assert question.created_at < answer.created_at < utcnow()


def test_the_demo_pdf_is_a_pdf():
    pdf = demo_pdf("Besluit")
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    offset = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[offset:].startswith(b"xref")
