from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class WrittenAsBrp:
    """A resident's name and address as the BRP writes them, for the table's rows and the
    persons source's records (app.persons.services.PersonRecord) alike: both have the
    BRP's fields (voornamen, voorvoegsel, geslachtsnaam, straat, huisnummer, ...)."""

    @property
    def achternaam(self) -> str:
        return " ".join(part for part in (self.voorvoegsel, self.geslachtsnaam) if part)

    @property
    def full_name(self) -> str:
        return f"{self.voornamen} {self.achternaam}"

    @property
    def house_number_text(self) -> str:
        addition = f"-{self.huisnummertoevoeging}" if self.huisnummertoevoeging else ""
        return f"{self.huisnummer}{self.huisletter}{addition}"

    @property
    def address_line(self) -> str:
        """"Vischpoortstraat 14, 8081 BP Elburg"."""
        return f"{self.straat} {self.house_number_text}, {self.postcode} {self.woonplaats}"


class Person(WrittenAsBrp, Base):
    """A resident as the basisregistratie personen (BRP) knows them: the SQL persons
    source's table (app.persons.services.SqlPersonsSource), standing in for the BRP."""

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
    nationaliteit: Mapped[str] = mapped_column(String(100))
    straat: Mapped[str] = mapped_column(String(200))
    huisnummer: Mapped[int]
    huisletter: Mapped[str] = mapped_column(String(1), default="")
    huisnummertoevoeging: Mapped[str] = mapped_column(String(4), default="")
    postcode: Mapped[str] = mapped_column(String(7))
    woonplaats: Mapped[str] = mapped_column(String(100))
    adres_sinds: Mapped[date] = mapped_column(Date)


class ContactPreference(Base):
    """How a resident wants to be reached: the email address (once its code was confirmed)
    and phone number they gave us in Mijn gegevens. The portal's own data, not the BRP's,
    so it is kept by BSN beside whatever persons source answers for the BRP."""

    __tablename__ = "contact_preferences"

    bsn: Mapped[str] = mapped_column(String(9), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    telefoon: Mapped[str] = mapped_column(String(30), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


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
