"""The contact ledger and its monthly sums (see the package's docstring)."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Contact(Base):
    """One contact (a Klantinteracties klantcontact): how it came in, about what, who
    registered it, whether it was answered right the first time; for a zaak also its target
    and legal end dates and, once closed, its einddatum."""

    __tablename__ = "contacts"
    __table_args__ = (
        # The refresh finds what changed since its last run; the overview a resident's rows.
        Index("ix_contacts_bijgewerkt_op", "bijgewerkt_op"),
        Index("ix_contacts_bsn_plaatsgevonden_op", "bsn", "plaatsgevonden_op"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kanaal: Mapped[str] = mapped_column(String(20))           # services.Kanaal
    soort: Mapped[str] = mapped_column(String(20))            # services.Soort
    onderwerp: Mapped[str] = mapped_column(String(200), default="")
    product: Mapped[str] = mapped_column(String(80), default="")  # catalogue slug, "" none
    zaak_identificatie: Mapped[str | None] = mapped_column(String(40), index=True)
    afspraak_referentie: Mapped[str | None] = mapped_column(String(12), index=True)
    # The resident, when known (a DigiD login, found by the KCC): their contact overview.
    bsn: Mapped[str | None] = mapped_column(String(9))
    geregistreerd_door: Mapped[str] = mapped_column(String(100))  # staff username or INWONER
    indicatie_contact_gelukt: Mapped[bool | None] = mapped_column()  # answered right at once
    plaatsgevonden_op: Mapped[datetime] = mapped_column(DateTime, index=True)
    einddatum_gepland: Mapped[date | None] = mapped_column(Date)
    uiterlijke_einddatum_afdoening: Mapped[date | None] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date, index=True)
    bijgewerkt_op: Mapped[datetime] = mapped_column(DateTime)


class ContactMonth(Base):
    """Contacts per month x product x kanaal x soort, with the phone's first-time-right."""

    __tablename__ = "contact_months"

    maand: Mapped[date] = mapped_column(Date, primary_key=True)  # the month's first day
    product: Mapped[str] = mapped_column(String(80), primary_key=True)
    kanaal: Mapped[str] = mapped_column(String(20), primary_key=True)
    soort: Mapped[str] = mapped_column(String(20), primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer)
    gelukt: Mapped[int] = mapped_column(Integer)       # indicatie_contact_gelukt true
    niet_gelukt: Mapped[int] = mapped_column(Integer)  # false (passed on)


class DecisionMonth(Base):
    """Zaken decided per month (of their einddatum) x product, and how many in time."""

    __tablename__ = "decision_months"

    maand: Mapped[date] = mapped_column(Date, primary_key=True)
    product: Mapped[str] = mapped_column(String(80), primary_key=True)
    beslist: Mapped[int] = mapped_column(Integer)
    met_servicenorm: Mapped[int] = mapped_column(Integer)     # the zaaktype has a target
    binnen_servicenorm: Mapped[int] = mapped_column(Integer)
    binnen_termijn: Mapped[int] = mapped_column(Integer)      # within the legal term


class ScoreMonth(Base):
    """The scores residents gave (app.feedback) per month x product x kind of task: the
    dashboard's average without reading every score."""

    __tablename__ = "score_months"

    maand: Mapped[date] = mapped_column(Date, primary_key=True)
    product: Mapped[str] = mapped_column(String(100), primary_key=True)
    soort: Mapped[str] = mapped_column(String(20), primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer)
    opgeteld: Mapped[int] = mapped_column(Integer)  # the scores added up


class RefreshMark(Base):
    """Up to when the monthly sums have read the ledger (one row per kind of sum)."""

    __tablename__ = "contact_refresh_marks"

    naam: Mapped[str] = mapped_column(String(40), primary_key=True)
    tot: Mapped[datetime] = mapped_column(DateTime)
