"""A small contact ledger with known answers, for the dashboard's unit, web and browser tests.

January 2026: 6 zaken sent online (grofvuil-ophalen) out of 8 forms started, 3 phone calls
(2 answered right the first time), 1 appointment booked online (paspoort): 10 contacts,
online 60 %, phone 30 %, desk 10 %, forms sent 75 %, first time right 66.7 %.
February 2026: 1 phone call answered right (paspoort); January's zaken decided, their
target 10 and legal deadline 20 February: on the 5th (2), the 15th and the 25th, and on the
25th two whose legal term moved: one extended by two weeks (to 6 March), one suspended from
1 to 12 February (10 days, to 2 March): within the servicenorm 2 of 6 (33.3 %), within the
legal term 5 of 6 (83.3 %).
The whole period: 11 contacts, online 54.5 %, phone 36.4 %, desk 9.1 %, first time right 75 %.
Scores (app.feedback): January 8 and 6 for the grofvuil form (7.0), February 9 for the
passport appointment; the whole period 7.7.
"""

from datetime import date, datetime

from app.contacts.services import Kanaal, Soort, record_contact, record_decision
from app.feedback.models import FeedbackScore
from app.feedback.services import APPOINTMENT, FORM
from app.zaken.store import OpenedZaak
from app.zaken.terms import Suspension, extended_end, resumed_end

JANUARY, FEBRUARY = date(2026, 1, 1), date(2026, 2, 1)
LEGAL_END = date(2026, 2, 20)
# When each of January's zaken was decided, and its legal end by then.
DECISIONS = ((date(2026, 2, 5), LEGAL_END), (date(2026, 2, 5), LEGAL_END),
             (date(2026, 2, 15), LEGAL_END), (date(2026, 2, 25), LEGAL_END),
             (date(2026, 2, 25), extended_end(LEGAL_END, "P2W")),
             (date(2026, 2, 25), resumed_end(LEGAL_END, Suspension(date(2026, 2, 1),
                                                                   date(2026, 2, 12)))))


def known_ledger(session) -> None:
    """Write the ledger above (in the caller's transaction)."""
    jan = datetime(2026, 1, 5, 10, 0)
    for _ in range(8):
        record_contact(session, kanaal=Kanaal.ONLINE, soort=Soort.FORMULIER,
                       geregistreerd_door="inwoner", product="grofvuil-ophalen",
                       plaatsgevonden_op=jan)
    zaken = [f"ZAAK-2026-TEST{number:06d}" for number in range(6)]
    for identificatie in zaken:
        record_contact(session, kanaal=Kanaal.ONLINE, soort=Soort.ZAAK,
                       geregistreerd_door="inwoner", product="grofvuil-ophalen",
                       plaatsgevonden_op=jan, zaak=OpenedZaak(identificatie, date(2026, 2, 10), LEGAL_END))
    for gelukt in (True, True, False):
        record_contact(session, kanaal=Kanaal.TELEFOON, soort=Soort.GESPREK,
                       geregistreerd_door="karin", product="grofvuil-ophalen", gelukt=gelukt,
                       onderwerp="Wanneer wordt het opgehaald?", plaatsgevonden_op=jan)
    record_contact(session, kanaal=Kanaal.ONLINE, soort=Soort.AFSPRAAK,
                   geregistreerd_door="inwoner", product="paspoort",
                   afspraak_referentie="AFS-TEST01", plaatsgevonden_op=jan)
    record_contact(session, kanaal=Kanaal.TELEFOON, soort=Soort.GESPREK,
                   geregistreerd_door="karin", product="paspoort", gelukt=True,
                   onderwerp="Is mijn paspoort klaar?",
                   plaatsgevonden_op=datetime(2026, 2, 3, 9, 0))
    for identificatie, (einddatum, legal_end) in zip(zaken, DECISIONS, strict=True):
        record_decision(session, identificatie, einddatum,
                        uiterlijke_einddatum_afdoening=legal_end)
    for number, (kind, product, month, score) in enumerate((
            (FORM, "GROFVUIL", JANUARY, 8), (FORM, "GROFVUIL", JANUARY, 6),
            (APPOINTMENT, "paspoort", FEBRUARY, 9))):
        session.add(FeedbackScore(id=f"known-ledger-{number}", kind=kind, product=product,
                                  month=month, score=score))
    session.flush()


def zaak_in_ledger(app, zaaknummer: str, *, kanaal: Kanaal = Kanaal.ONLINE,
                   product: str = "verhuizing-doorgeven") -> None:
    """The contact that opened the zaak, as its e-form records it (committed in the test's
    transaction)."""
    from app.db import get_session
    from app.zaken.store import get_zaken_store

    with app.app_context():
        session = get_session()
        record_contact(session, kanaal=kanaal, soort=Soort.ZAAK, geregistreerd_door="inwoner",
                       product=product, zaak=get_zaken_store(session).opened_zaak(zaaknummer))
        session.commit()


def contacts_about(app, zaaknummer: str, soort: Soort) -> list:
    """The ledger's rows of this soort about the zaak, oldest first."""
    from sqlalchemy import select

    from app.contacts.models import Contact
    from app.db import get_session

    with app.app_context():
        return list(get_session().scalars(
            select(Contact).where(Contact.zaak_identificatie == zaaknummer,
                                  Contact.soort == soort.value).order_by(Contact.id)))
