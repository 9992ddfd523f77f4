"""Generated contacts: a year of a municipality's traffic, moving towards the concept's 2020
targets month by month, so the dashboard has something to show in the demo (`flask seed`
with DEMO_DATA) and something to chew on in bench/dashboard.py (a city's volume).

Deterministic (one seeded random generator) and written with bulk INSERTs; the rows are
marked geregistreerd_door DEMO so they can be told apart and are added once.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.contacts.aggregates import next_month, refresh
from app.contacts.models import Contact
from app.contacts.services import Kanaal, Soort
from app.feedback.models import FeedbackScore
from app.feedback.services import APPOINTMENT, FORM
from app.zaken.services import today

DEMO = "demo"
DEMO_MONTHS, DEMO_PER_MONTH = 12, 400
PRODUCTS = ("paspoort", "identiteitskaart", "rijbewijs", "verhuizing-doorgeven", "uittreksel-brp",
            "melding-openbare-ruimte", "parkeervergunning-bewoners", "grofvuil-ophalen",
            "minicontainer-en-afvalpas", "hulp-en-zorg-wmo")
# Share of the month's contacts, from the first generated month to the last: online from
# the concept's 2018 share towards its 2020 target, the phone down, the desk the rest.
ONLINE, PHONE = (0.47, 0.58), (0.37, 0.22)
RIGHT_FIRST_TIME = (0.55, 0.78)
SCORE = (6.7, 7.2)                 # the average score given, from the concept's 2018 one
SCORED = 0.3                       # of the tasks done online or at the desk
FORMS_SENT = 0.8                   # a form started is sent four times in five
TARGET_DAYS, LEGAL_DAYS = 14, 56   # servicenorm and doorlooptijd of a generated zaak
BATCH = 20_000


def seed_demo_contacts(session: Session) -> int:
    """A year of contacts for the demo, once, and the dashboard's sums over them; how many
    rows were added."""
    if not current_app.config["DEMO_DATA"] or session.scalar(
            select(Contact.id).where(Contact.geregistreerd_door == DEMO).limit(1)):
        return 0
    added = generate(session, months=DEMO_MONTHS, per_month=DEMO_PER_MONTH, end=today())
    refresh(session)
    session.commit()  # like every seeder
    return added


def generate(session: Session, *, months: int, per_month: int, end: date,
             seed: int = 2020) -> int:
    """Add months x per_month contacts (and the forms started behind the online ones) up to
    the month of end, and the scores residents gave some of them; returns how many ledger
    rows were added."""
    rows = _rows(random.Random(seed), months, per_month, end)
    added = 0
    while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
        contacts = [row for row in batch if "score" not in row]
        session.execute(insert(Contact.__table__), contacts)  # Core: no ORM bookkeeping
        if scores := [row for row in batch if "score" in row]:
            session.execute(insert(FeedbackScore.__table__), scores)
        added += len(contacts)
    return added


def _rows(rng: random.Random, months: int, per_month: int, end: date) -> Iterator[dict]:
    first = end.year * 12 + end.month - 1 - (months - 1)  # months since year 0
    month = date(first // 12, first % 12 + 1, 1)
    for index in range(months):
        progress = index / max(months - 1, 1)
        days = min((next_month(month) - month).days, (end - month).days + 1)
        for _ in range(per_month):
            moment = datetime.combine(month, datetime.min.time()) + timedelta(
                days=rng.randrange(days), minutes=rng.randrange(8 * 60, 17 * 60))
            yield from _contact(rng, moment, progress, end)
        month = next_month(month)


def _between(pair: tuple[float, float], progress: float) -> float:
    return pair[0] + (pair[1] - pair[0]) * progress


def _contact(rng: random.Random, moment: datetime, progress: float, end: date) -> Iterator[dict]:
    product = rng.choice(PRODUCTS)
    draw = rng.random()
    common = dict(product=product, plaatsgevonden_op=moment, bijgewerkt_op=moment,
                  geregistreerd_door=DEMO, onderwerp="", bsn=None, zaak_identificatie=None,
                  afspraak_referentie=None, indicatie_contact_gelukt=None,
                  einddatum_gepland=None, uiterlijke_einddatum_afdoening=None, einddatum=None)
    if draw < _between(ONLINE, progress):
        yield {**common, "kanaal": Kanaal.ONLINE.value, "soort": Soort.FORMULIER.value}
        if rng.random() > FORMS_SENT:
            return  # started, never sent
        start = moment.date()
        decided = start + timedelta(days=rng.randrange(3, LEGAL_DAYS + 14))
        yield {**common, "kanaal": Kanaal.ONLINE.value, "soort": Soort.ZAAK.value,
               "einddatum_gepland": start + timedelta(days=TARGET_DAYS),
               "uiterlijke_einddatum_afdoening": start + timedelta(days=LEGAL_DAYS),
               "einddatum": decided if decided <= end else None}
        yield from _score(rng, FORM, moment, progress)
    elif draw < _between(ONLINE, progress) + _between(PHONE, progress):
        yield {**common, "kanaal": Kanaal.TELEFOON.value, "soort": Soort.GESPREK.value,
               "indicatie_contact_gelukt": rng.random() < _between(RIGHT_FIRST_TIME, progress)}
    else:
        yield {**common, "kanaal": Kanaal.ONLINE.value, "soort": Soort.AFSPRAAK.value}
        yield from _score(rng, APPOINTMENT, moment, progress)


def _score(rng: random.Random, kind: str, moment: datetime, progress: float) -> Iterator[dict]:
    """Now and then the score a resident gave the task (product: the catalogue's, as an
    appointment's score has it). Written straight into app.feedback's table: generated
    history, which no service of a feedback that is asked once per task can make."""
    if rng.random() < SCORED:
        score = min(10, max(1, round(rng.gauss(_between(SCORE, progress), 1.4))))
        yield {"id": f"{rng.getrandbits(64):016x}{rng.getrandbits(64):016x}", "kind": kind,
               "product": rng.choice(PRODUCTS), "month": moment.date().replace(day=1),
               "score": score, "remark": ""}
