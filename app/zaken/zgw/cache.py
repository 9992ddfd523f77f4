"""A resident's Mijn zaken pages, kept a few minutes in the database (models.py says why).

A page is kept only when every zaak on it could be read; it is dropped when it expires,
when a notificatie names one of its zaken (a new status, a document, a closed zaak) and
when a new zaak of the resident is announced. So the cache is right as soon as the
zaaksysteem tells, and at worst ZGW_RESIDENT_CACHE_SECONDS old when it does not.
"""

from __future__ import annotations

import hashlib
import hmac
from contextlib import suppress
from datetime import date, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db import utcnow
from app.texts import Text
from app.zaken.store import Milestone, ZaakSummary, ZakenPage
from app.zaken.zgw.models import CachedPageZaak, CachedResidentPage

_pages, _page_zaken = CachedResidentPage.__table__, CachedPageZaak.__table__


class ResidentPageCache:
    def __init__(self, session: Session, *, secret: str, seconds: int) -> None:
        self.session = session
        self._secret = secret.encode()
        self._lifetime = timedelta(seconds=seconds)

    def resident_key(self, bsn: str) -> str:
        return hmac.new(self._secret, bsn.encode(), hashlib.sha256).hexdigest()

    def page_key(self, bsn: str, *, closed: bool, limit: int, offset: int) -> str:
        return f"{self.resident_key(bsn)}:{'closed' if closed else 'open'}:{limit}:{offset}"

    def get(self, key: str) -> ZakenPage | None:
        stored = self.session.connection().execute(
            select(_pages.c.page).where(_pages.c.key == key,
                                        _pages.c.expires_at > utcnow())).scalar()
        return _page_from_json(stored) if stored is not None else None

    def put(self, key: str, bsn: str, page: ZakenPage, zaak_urls: list[str]) -> None:
        """Keep the page; a cache that cannot write (a concurrent writer) just misses."""
        with suppress(SQLAlchemyError), self.session.begin_nested():
            connection = self.session.connection()
            connection.execute(delete(_pages).where(_pages.c.key == key))
            connection.execute(insert(_pages).values(
                key=key, resident_key=self.resident_key(bsn), page=_page_to_json(page),
                expires_at=utcnow() + self._lifetime))
            if zaak_urls:
                connection.execute(insert(_page_zaken), [
                    {"page_key": key, "zaak_url": url} for url in dict.fromkeys(zaak_urls)])

    def forget_zaak(self, zaak_url: str) -> None:
        shown_in = select(_page_zaken.c.page_key).where(_page_zaken.c.zaak_url == zaak_url)
        self._forget(_pages.c.key.in_(shown_in))

    def forget_resident(self, bsn: str) -> None:
        self._forget(_pages.c.resident_key == self.resident_key(bsn))

    def _forget(self, where) -> None:
        connection = self.session.connection()
        keys = connection.execute(select(_pages.c.key).where(where)).scalars().all()
        if keys:
            connection.execute(delete(_page_zaken).where(_page_zaken.c.page_key.in_(keys)))
            connection.execute(delete(_pages).where(_pages.c.key.in_(keys)))


# --------------------------------------------------------------------------- JSON


def _text(text: Text) -> list[str]:
    return [text.nl, text.en]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _page_to_json(page: ZakenPage) -> dict:
    return {"total": page.total, "zaken": [{
        "identificatie": z.identificatie, "zaaktype": _text(z.zaaktype),
        "omschrijving": z.omschrijving, "registratiedatum": _day(z.registratiedatum),
        "startdatum": _day(z.startdatum), "einddatum": _day(z.einddatum),
        "einddatum_gepland": _day(z.einddatum_gepland),
        "uiterlijke_einddatum_afdoening": _day(z.uiterlijke_einddatum_afdoening),
        "status": ([_text(z.status.omschrijving), _text(z.status.statustekst)]
                   if z.status else None)} for z in page.zaken]}


def _page_from_json(stored: dict) -> ZakenPage:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return ZakenPage(total=stored["total"], zaken=tuple(ZaakSummary(
        identificatie=z["identificatie"], zaaktype=Text(*z["zaaktype"]),
        omschrijving=z["omschrijving"], registratiedatum=day(z["registratiedatum"]),
        startdatum=day(z["startdatum"]), einddatum=day(z["einddatum"]),
        einddatum_gepland=day(z["einddatum_gepland"]),
        uiterlijke_einddatum_afdoening=day(z["uiterlijke_einddatum_afdoening"]),
        status=(Milestone(omschrijving=Text(*z["status"][0]),
                          statustekst=Text(*z["status"][1])) if z["status"] else None))
        for z in stored["zaken"]))
