"""The ledger's monthly sums, refreshed by the worker (`flask contacts refresh` / `worker`).

Incremental: a refresh reads which months the rows changed since its last run touched (a
new contact: the month it took place; a decision: the month of the einddatum) and sums
those months again, each with one GROUP BY on an indexed range. Summing a month again is
idempotent, so the window looks back a little further than the last run (LOOKBACK): a
transaction that began before the run and committed after it is counted next time.

The feedback scores (app.feedback, through its service) are summed the same way; a score
has no time of its own (it stays anonymous), only its task's month, and may come in until
the task's link expires, so each run sums again the months that can still get one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import Date, and_, case, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from app.contacts.models import Contact, ContactMonth, DecisionMonth, RefreshMark, ScoreMonth
from app.db import utcnow
from app.feedback.services import scores as feedback_scores

MARK = "monthly"
LOOKBACK = timedelta(minutes=10)


def month_of(day: date | datetime) -> date:
    return date(day.year, day.month, 1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


EVER = date(2000, 1, 1)  # the first refresh sums the scores of every month


@dataclass(frozen=True)
class RefreshReport:
    contact_months: int
    decision_months: int
    score_months: int = 0

    @property
    def claimed(self) -> int:  # app.worker.BatchReport: a refresh is never "a full batch"
        return 0

    def summary(self) -> str:
        return (f"Contact figures refreshed: {self.contact_months} month(s) of contacts, "
                f"{self.decision_months} month(s) of decisions, {self.score_months} of scores.")


def refresh(session: Session, *, now: datetime | None = None,
            score_days: int | None = None) -> RefreshReport:
    """Sum again the months that changed since the last refresh (all of them the first
    time), in the caller's transaction. score_days: how long a score may come in after its
    task (FEEDBACK_LINK_DAYS)."""
    now = now or utcnow()
    mark = session.get(RefreshMark, MARK)
    changed = select(Contact.plaatsgevonden_op, Contact.einddatum)
    if mark is not None:
        changed = changed.where(Contact.bijgewerkt_op > mark.tot - LOOKBACK)
    contact_months: set[date] = set()
    decision_months: set[date] = set()
    for plaatsgevonden_op, einddatum in session.execute(changed):
        contact_months.add(month_of(plaatsgevonden_op))
        if einddatum is not None:
            decision_months.add(month_of(einddatum))
    for month in sorted(contact_months):
        _sum_contacts(session, month)
    for month in sorted(decision_months):
        _sum_decisions(session, month)
    if score_days is None:
        score_days = current_app.config["FEEDBACK_LINK_DAYS"]
    scored = _sum_scores(session, since=EVER if mark is None
                         else month_of(now - timedelta(days=score_days)), until=month_of(now))
    if mark is None:
        session.add(RefreshMark(naam=MARK, tot=now))
    else:
        mark.tot = now
    session.flush()
    return RefreshReport(len(contact_months), len(decision_months), scored)


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sum_contacts(session: Session, month: date) -> None:
    start = datetime.combine(month, datetime.min.time())
    end = datetime.combine(next_month(month), datetime.min.time())
    session.execute(delete(ContactMonth).where(ContactMonth.maand == month))
    sums = (select(literal(month, Date), Contact.product, Contact.kanaal, Contact.soort,
                   func.count(), _count(Contact.indicatie_contact_gelukt.is_(True)),
                   _count(Contact.indicatie_contact_gelukt.is_(False)))
            .where(Contact.plaatsgevonden_op >= start, Contact.plaatsgevonden_op < end)
            .group_by(Contact.product, Contact.kanaal, Contact.soort))
    session.execute(insert(ContactMonth).from_select(
        ["maand", "product", "kanaal", "soort", "aantal", "gelukt", "niet_gelukt"], sums))


def _sum_decisions(session: Session, month: date) -> None:
    session.execute(delete(DecisionMonth).where(DecisionMonth.maand == month))
    sums = (select(literal(month, Date), Contact.product, func.count(),
                   _count(Contact.einddatum_gepland.is_not(None)),
                   _count(Contact.einddatum <= Contact.einddatum_gepland),
                   _count(Contact.einddatum <= Contact.uiterlijke_einddatum_afdoening))
            .where(and_(Contact.einddatum >= month, Contact.einddatum < next_month(month)))
            .group_by(Contact.product))
    session.execute(insert(DecisionMonth).from_select(
        ["maand", "product", "beslist", "met_servicenorm", "binnen_servicenorm",
         "binnen_termijn"], sums))


def _sum_scores(session: Session, *, since: date, until: date) -> int:
    """The scores of the months from since up to and including until, summed again; how
    many months had any."""
    rows = feedback_scores(session, since=since, until=until)
    session.execute(delete(ScoreMonth).where(ScoreMonth.maand >= since,
                                             ScoreMonth.maand <= until))
    if rows:
        session.execute(insert(ScoreMonth), [
            {"maand": row.month, "product": row.product, "soort": row.kind,
             "aantal": row.count, "opgeteld": row.total} for row in rows])
    return len({row.month for row in rows})
