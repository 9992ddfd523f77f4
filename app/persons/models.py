from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Person(Base):
    """A resident as the basisregistratie personen (BRP) knows them: the SQL persons
    source's table (app.persons.services.SqlPersonsSource), standing in for the BRP. One row
    per person, as the BRP keeps one persoonslijst: the current address in columns (the
    KCC searches by it), the lists (nationalities, earlier addresses, travel documents) as
    JSON, so a page reads a whole person in one query."""

    __tablename__ = "persons"
    # Find a resident: Haal Centraal's two searches, by birth date (then surname) and by
    # address, as the SQL persons source runs them for the KCC.
    __table_args__ = (Index("ix_persons_geboortedatum", "geboortedatum"),
                      Index("ix_persons_postcode_huisnummer", "postcode", "huisnummer"))

    id: Mapped[int] = mapped_column(primary_key=True)
    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    voornamen: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str] = mapped_column(String(20), default="")
    geslachtsnaam: Mapped[str] = mapped_column(String(200))
    geslacht: Mapped[str] = mapped_column(String(20), default="")
    geboortedatum: Mapped[date] = mapped_column(Date)
    geboorteplaats: Mapped[str] = mapped_column(String(100))
    straat: Mapped[str] = mapped_column(String(200))
    huisnummer: Mapped[int]
    huisletter: Mapped[str] = mapped_column(String(1), default="")
    huisnummertoevoeging: Mapped[str] = mapped_column(String(4), default="")
    postcode: Mapped[str] = mapped_column(String(7))
    woonplaats: Mapped[str] = mapped_column(String(100))
    datum_aanvang_adreshouding: Mapped[date] = mapped_column(Date)
    geheimhouding_persoonsgegevens: Mapped[bool] = mapped_column(server_default=false())
    # ["Nederlandse", "Marokkaanse"]: the BRP's texts, in the order recorded.
    nationaliteiten: Mapped[list] = mapped_column(JSON, server_default="[]")
    # [{straat, huisnummer, huisletter, huisnummertoevoeging, postcode, woonplaats,
    #   datum_aanvang_adreshouding (ISO date)}], the addresses before the current one.
    eerdere_verblijfplaatsen: Mapped[list] = mapped_column(JSON, server_default="[]")
    # [{soort (the BRP's code: PN passport, NI identity card), documentnummer,
    #   datum_einde_geldigheid (ISO date)}]: Dutch travel documents issued.
    reisdocumenten: Mapped[list] = mapped_column(JSON, server_default="[]")


class CorrectionDecision(Base):
    """Staff approved a correction request: the portal's own record of the decision (which
    zaak, which item, the value, who, when), which the persons source is then asked to
    apply. Kept by BSN and zaak identificatie (no foreign keys), like the disclosure log,
    so it outlives both."""

    __tablename__ = "correction_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_identificatie: Mapped[str] = mapped_column(String(40), unique=True)
    bsn: Mapped[str] = mapped_column(String(9))
    veld: Mapped[str] = mapped_column(String(40))
    waarde: Mapped[str] = mapped_column(String(200))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime)


class ContactPreference(Base):
    """How a resident wants to be reached: the email address (once its code was confirmed)
    and phone number they gave us in Mijn gegevens. The portal's own data, not the BRP's,
    so it is kept by BSN beside whatever persons source answers for the BRP."""

    __tablename__ = "contact_preferences"

    bsn: Mapped[str] = mapped_column(String(9), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    telefoon: Mapped[str] = mapped_column(String(30), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ReminderOptOut(Base):
    """A resident who switched off the reminders (a travel document or a permit that runs
    out) in Mijn gegevens. Reminders are on unless a row is here; the portal's own data,
    kept by BSN like ContactPreference."""

    __tablename__ = "reminder_opt_outs"

    bsn: Mapped[str] = mapped_column(String(9), primary_key=True)
    since: Mapped[datetime] = mapped_column(DateTime)


class Disclosure(Base):
    """One verstrekking: staff or a partner viewed or received a resident's personal data.

    An audit record the resident reads in Mijn omgeving; the zaak is kept by its
    identificatie (no foreign key) so the entry outlives the zaak.
    """

    __tablename__ = "disclosures"
    # The resident's page lists their entries newest first.
    __table_args__ = (Index("ix_disclosures_bsn_disclosed_at", "bsn", "disclosed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bsn: Mapped[str] = mapped_column(String(9))
    disclosed_at: Mapped[datetime] = mapped_column(DateTime)
    recipient: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(300))
    zaak_identificatie: Mapped[str | None] = mapped_column(String(40))
    data_categories: Mapped[list] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(20))


class ContactVerification(Base):
    """An email address a resident wants to use, waiting for the code sent to it.

    One per resident: asking again replaces it. Only a salted hash of the code is kept.
    """

    __tablename__ = "contact_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    code_salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
