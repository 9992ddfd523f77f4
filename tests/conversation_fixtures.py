"""Conversations as test data: a resident's question about a zaak, written through the
service as the zaak page's form writes it (committed in the test's transaction)."""

from app.berichten.conversations import Topic, write_to_municipality
from app.berichten.models import Thread
from app.db import get_session
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
