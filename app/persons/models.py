from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Person(Base):
    """A resident as the basisregistratie personen (BRP) knows them, plus the
    contact details the resident gave us themselves."""

    __tablename__ = "persons"

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
    email: Mapped[str] = mapped_column(String(254), default="")
    telefoon: Mapped[str] = mapped_column(String(30), default="")
