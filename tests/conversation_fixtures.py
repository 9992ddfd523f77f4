"""Conversations as test data: a resident's question about a zaak, written through the
service as the zaak page's form writes it (committed in the test's transaction)."""

from datetime import timedelta

from sqlalchemy import select, update

from app.berichten.conversations import Topic, write_to_municipality
from app.berichten.models import Thread
from app.db import get_session, utcnow
from app.zaken.models import Status, Zaak
from tests.personas import FATIMA


def resident_asks(app, zaaknummer: str, *, team: str, bsn: str = FATIMA,
                  tekst: str = "Wanneer komt de ambtenaar langs?") -> str:
    """The public_id of the zaak's thread, which now waits for `team`."""
    with app.app_context():
        db = get_session()
        message = write_to_municipality(db, bsn=bsn, afzender="Fatima El Amrani", tekst=tekst,
                                        topic=Topic.zaak(zaaknummer, team))
        public_id = db.get(Thread, message.thread_id).public_id
        db.commit()
        return public_id


def came_in_days_ago(app, days: int, *, question: str, thread_id: str) -> None:
    """A KCC question (its zaak's first status) and a conversation both came in `days` ago,
    so both lists apply the written-answer norm to the same moment."""
    moment = utcnow() - timedelta(days=days)
    with app.app_context():
        db = get_session()
        zaak_id = select(Zaak.id).where(Zaak.identificatie == question).scalar_subquery()
        db.execute(update(Status).where(Status.zaak_id == zaak_id)
                   .values(datum_status_gezet=moment))
        db.execute(update(Thread).where(Thread.public_id == thread_id)
                   .values(waiting_since=moment))
        db.commit()
