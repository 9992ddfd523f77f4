"""The kanaalsturing dashboard's figures: per month (and for the whole period), over all
products or one, each beside the service concept's 2020 target (Dienstverleningsconcept
Elburg, 5.5 "Ambities click, call, face 2020").

They read the monthly sums (aggregates.py), never the ledger nor the scores themselves:
three queries of at most a few hundred rows whatever the number of zaken. The three
channels are the concept's: the website (online, and online on behalf of the resident),
the phone, and the desk (every appointment is a visit, however it was booked; and what was
answered at the desk). Mail and post count in the total only.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.contacts.aggregates import next_month
from app.contacts.models import ContactMonth, DecisionMonth, ScoreMonth
from app.contacts.services import ZAAK_SOORTEN, Kanaal, Soort
from app.eforms.definitions import get_definitions

ONLINE, PHONE, DESK = "online", "telefoon", "balie"
WEBSITE_KANALEN = (Kanaal.ONLINE, Kanaal.NAMENS)


@dataclass(frozen=True)
class Target:
    """A 2020 target: at least (or at most) this value."""

    value: int
    at_least: bool


# The measures in the order the page shows them, with the concept's targets: website 60 %,
# phone 20 %, visits 50 %, 80 % of calls answered right the first time, rated 7.0. The
# concept sets no percentage for forms sent nor for the servicenorm; the legal term is the
# law's: all.
MEASURES = ("online", "telefoon", "balie", "formulieren", "servicenorm", "termijn",
            "eerste_keer_goed", "cijfer")
TARGETS = {"online": Target(60, True), "telefoon": Target(20, False), "balie": Target(50, False),
           "termijn": Target(100, True), "eerste_keer_goed": Target(80, True),
           "cijfer": Target(7, True)}


@dataclass(frozen=True)
class Share:
    """part of whole, as a percentage; None when there is nothing to divide by."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return round(100 * self.part / self.whole, 1) if self.whole else None


@dataclass(frozen=True)
class Average(Share):
    """The average score (1 to 10): part the scores added up, whole how many there are."""

    @property
    def value(self) -> float | None:
        return round(self.part / self.whole, 1) if self.whole else None


@dataclass(frozen=True)
class Period:
    """The months asked for (first days, inclusive) and one product or all ("")."""

    first: date
    last: date
    product: str = ""

    @property
    def months(self) -> list[date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = next_month(month)
        return months


@dataclass(frozen=True)
class Figures:
    """One month's (or the whole period's) measures, by MEASURES key."""

    label: date | None  # the month; None for the whole period
    shares: dict[str, Share]


@dataclass(frozen=True)
class Dashboard:
    period: Period
    months: tuple[Figures, ...]
    total: Figures


def dashboard(session: Session, period: Period) -> Dashboard:
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for maand, kanaal, soort, aantal, gelukt, niet_gelukt in session.execute(
            _filtered(select(ContactMonth.maand, ContactMonth.kanaal, ContactMonth.soort,
                             func.sum(ContactMonth.aantal), func.sum(ContactMonth.gelukt),
                             func.sum(ContactMonth.niet_gelukt)), ContactMonth, period)
            .group_by(ContactMonth.maand, ContactMonth.kanaal, ContactMonth.soort)):
        _count_contacts(counts[maand], kanaal, soort, aantal, gelukt, niet_gelukt)
    for maand, beslist, met_norm, binnen_norm, binnen_termijn in session.execute(
            _filtered(select(DecisionMonth.maand, func.sum(DecisionMonth.beslist),
                             func.sum(DecisionMonth.met_servicenorm),
                             func.sum(DecisionMonth.binnen_servicenorm),
                             func.sum(DecisionMonth.binnen_termijn)), DecisionMonth, period)
            .group_by(DecisionMonth.maand)):
        month = counts[maand]
        month.update(beslist=beslist, met_servicenorm=met_norm, binnen_servicenorm=binnen_norm,
                     binnen_termijn=binnen_termijn)
    scores = (select(ScoreMonth.maand, func.sum(ScoreMonth.opgeteld), func.sum(ScoreMonth.aantal))
              .where(ScoreMonth.maand >= period.first, ScoreMonth.maand <= period.last)
              .group_by(ScoreMonth.maand))
    if period.product:
        scores = scores.where(ScoreMonth.product.in_(score_products(period.product)))
    for maand, opgeteld, aantal in session.execute(scores):
        counts[maand].update(cijfers_opgeteld=opgeteld, cijfers=aantal)
    total: dict[str, int] = defaultdict(int)
    for month in counts.values():
        for key, value in month.items():
            total[key] += value
    return Dashboard(period=period,
                     months=tuple(Figures(m, _shares(counts.get(m, {}))) for m in period.months),
                     total=Figures(None, _shares(total)))


def score_products(product: str) -> set[str]:
    """What a score names this catalogue product by: a task scored after a form or a zaak
    is named by its zaaktype, an appointment by its product."""
    return {product} | {d.zaaktype for d in get_definitions().values() if d.product == product}


def _filtered(query, table, period: Period):
    query = query.where(table.maand >= period.first, table.maand <= period.last)
    return query.where(table.product == period.product) if period.product else query


def _count_contacts(month: dict[str, int], kanaal: str, soort: str, aantal: int, gelukt: int,
                    niet_gelukt: int) -> None:
    if soort == Soort.FORMULIER:
        month["formulieren_begonnen"] += aantal
        return
    month["contacten"] += aantal
    month[_channel(kanaal, soort)] += aantal
    if soort in ZAAK_SOORTEN and kanaal in WEBSITE_KANALEN:
        month["formulieren_verstuurd"] += aantal
    if kanaal == Kanaal.TELEFOON:
        month["eerste_keer_goed"] += gelukt
        month["telefoon_beoordeeld"] += gelukt + niet_gelukt


def _channel(kanaal: str, soort: str) -> str:
    if soort == Soort.AFSPRAAK or kanaal == Kanaal.BALIE:
        return DESK
    if kanaal in WEBSITE_KANALEN:
        return ONLINE
    return PHONE if kanaal == Kanaal.TELEFOON else "overig"


def _shares(c: dict[str, int]) -> dict[str, Share]:
    contacts = c.get("contacten", 0)
    return {
        "online": Share(c.get(ONLINE, 0), contacts),
        "telefoon": Share(c.get(PHONE, 0), contacts),
        "balie": Share(c.get(DESK, 0), contacts),
        "formulieren": Share(c.get("formulieren_verstuurd", 0), c.get("formulieren_begonnen", 0)),
        "servicenorm": Share(c.get("binnen_servicenorm", 0), c.get("met_servicenorm", 0)),
        "termijn": Share(c.get("binnen_termijn", 0), c.get("beslist", 0)),
        "eerste_keer_goed": Share(c.get("eerste_keer_goed", 0), c.get("telefoon_beoordeeld", 0)),
        "cijfer": Average(c.get("cijfers_opgeteld", 0), c.get("cijfers", 0)),
    }


CSV_HEADER = ("maand", "product", "maatstaf", "aantal", "van", "waarde", "doel_2020")


def dashboard_csv(board: Dashboard) -> str:
    """The figures as CSV (one row per month and measure, then the whole period's as maand
    "totaal"): waarde is aantal / van as a percentage, or for "cijfer" the average score
    (aantal the scores added up, van how many); decimals with a point."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for figures in (*board.months, board.total):
        month = figures.label.strftime("%Y-%m") if figures.label else "totaal"
        for key in MEASURES:
            share, target = figures.shares[key], TARGETS.get(key)
            writer.writerow((month, board.period.product or "alle", key, share.part, share.whole,
                             "" if share.value is None else f"{share.value:.1f}",
                             _target_text(target)))
    return out.getvalue()


def _target_text(target: Target | None) -> str:
    if target is None:
        return ""
    return f"{'>=' if target.at_least else '<='}{target.value}"
