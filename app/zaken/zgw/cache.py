"""A resident's Mijn zaken pages and zaak pages, kept a few minutes in the database
(models.py says why).

A page is kept only when everything on it could be read; it is dropped when it expires,
when a notificatie names one of its zaken (a new status, a document, a closed zaak) and
when a new zaak of the resident is announced. So the cache is right as soon as the
zaaksysteem tells, and at worst ZGW_RESIDENT_CACHE_SECONDS old when it does not.

A new contact person drops the pages of the zaak at once (app.zaken.zgw.contact), as the
rol's notificatie would.

A zaak page is kept without its open document requests: those are the portal's own rows
(app.zaken.zgw.requests), read fresh, so a request staff make now shows at once.
"""

from __future__ import annotations

import hashlib
import hmac
from contextlib import suppress
from dataclasses import asdict
from datetime import date, datetime, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db import utcnow
from app.texts import Text
from app.zaken.store import (
    Betaling,
    ContactPerson,
    DocumentSummary,
    Milestone,
    ReachedMilestone,
    ResidentZaak,
    ResultaatSummary,
    Vertrouwelijkheidaanduiding,
    ZaakSummary,
    ZakenPage,
)
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

    def zaak_key(self, bsn: str, identificatie: str, *, max_level: str) -> str:
        # The level as its rank (one digit): the key stays within the column's 120.
        rank = Vertrouwelijkheidaanduiding(max_level).rank
        return f"{self.resident_key(bsn)}:zaak:{rank}:{identificatie}"

    def get(self, key: str) -> ZakenPage | None:
        stored = self._stored(key)
        return _page_from_json(stored) if stored is not None else None

    def put(self, key: str, bsn: str, page: ZakenPage, zaak_urls: list[str]) -> None:
        self._keep(key, bsn, _page_to_json(page), zaak_urls)

    def get_zaak(self, key: str) -> tuple[ResidentZaak, dict] | None:
        """The zaak page kept under key (its open_requests empty) and the zaak's fields
        its open requests are read with."""
        stored = self._stored(key)
        return (_zaak_from_json(stored), stored["zaak"]) if stored is not None else None

    def put_zaak(self, key: str, bsn: str, zaak: ResidentZaak, remote: dict) -> None:
        """Keep the zaak page (not its open requests); remote: the zaak as the Zaken API
        gave it."""
        self._keep(key, bsn, {**_zaak_to_json(zaak), "zaak": {
            name: remote.get(name) for name in ("url", "identificatie", "zaaktype",
                                                "einddatum")}}, [remote["url"]])

    def _stored(self, key: str) -> dict | None:
        return self.session.connection().execute(
            select(_pages.c.page).where(_pages.c.key == key,
                                        _pages.c.expires_at > utcnow())).scalar()

    def _keep(self, key: str, bsn: str, stored: dict, zaak_urls: list[str]) -> None:
        """A cache that cannot write (a concurrent writer) just misses."""
        with suppress(SQLAlchemyError), self.session.begin_nested():
            connection = self.session.connection()
            connection.execute(delete(_pages).where(_pages.c.key == key))
            connection.execute(insert(_pages).values(
                key=key, resident_key=self.resident_key(bsn), page=stored,
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


def _date_of(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _summary_to_json(z: ZaakSummary) -> dict:
    return {
        "identificatie": z.identificatie, "zaaktype": _text(z.zaaktype),
        "omschrijving": z.omschrijving, "registratiedatum": _day(z.registratiedatum),
        "startdatum": _day(z.startdatum), "einddatum": _day(z.einddatum),
        "einddatum_gepland": _day(z.einddatum_gepland),
        "uiterlijke_einddatum_afdoening": _day(z.uiterlijke_einddatum_afdoening),
        "status": ([_text(z.status.omschrijving), _text(z.status.statustekst)]
                   if z.status else None),
        "opgeschort": z.opgeschort, "zaaktype_identificatie": z.zaaktype_identificatie,
        "contact_person": asdict(z.contact_person) if z.contact_person else None}


def _summary_from_json(z: dict) -> ZaakSummary:
    return ZaakSummary(
        identificatie=z["identificatie"], zaaktype=Text(*z["zaaktype"]),
        omschrijving=z["omschrijving"], registratiedatum=_date_of(z["registratiedatum"]),
        startdatum=_date_of(z["startdatum"]), einddatum=_date_of(z["einddatum"]),
        einddatum_gepland=_date_of(z["einddatum_gepland"]),
        uiterlijke_einddatum_afdoening=_date_of(z["uiterlijke_einddatum_afdoening"]),
        status=(Milestone(omschrijving=Text(*z["status"][0]),
                          statustekst=Text(*z["status"][1])) if z["status"] else None),
        # Pages kept before these were stored read as not suspended, zaaktype unknown.
        opgeschort=z.get("opgeschort", False),
        zaaktype_identificatie=z.get("zaaktype_identificatie", ""),
        contact_person=ContactPerson(**z["contact_person"]) if z.get("contact_person") else None)


def _page_to_json(page: ZakenPage) -> dict:
    return {"total": page.total, "zaken": [_summary_to_json(z) for z in page.zaken]}


def _page_from_json(stored: dict) -> ZakenPage:
    return ZakenPage(total=stored["total"],
                     zaken=tuple(_summary_from_json(z) for z in stored["zaken"]))


def _zaak_to_json(zaak: ResidentZaak) -> dict:
    resultaat = zaak.resultaat
    return {
        "summary": _summary_to_json(zaak.summary),
        "zaaktype_identificatie": zaak.zaaktype_identificatie,
        "aanvraaggegevens": zaak.aanvraaggegevens,
        "next_step": _text(zaak.next_step) if zaak.next_step else None,
        "resultaat": ([_text(resultaat.omschrijving), _text(resultaat.toelichting)]
                      if resultaat else None),
        "milestones": [{"omschrijving": _text(m.omschrijving), "statustekst": _text(m.statustekst),
                        "datum_status_gezet": m.datum_status_gezet.isoformat(),
                        "statustoelichting": m.statustoelichting} for m in zaak.milestones],
        "documents": [{"id": d.id, "titel": d.titel, "bestandsnaam": d.bestandsnaam,
                       "bestandsomvang": d.bestandsomvang, "creatiedatum": _day(d.creatiedatum)}
                      for d in zaak.documents],
        "betaling": ([zaak.betaling.indicatie, zaak.betaling.betaaldatum.isoformat(),
                      zaak.betaling.transactie] if zaak.betaling else None)}


def _zaak_from_json(stored: dict) -> ResidentZaak:
    resultaat = stored["resultaat"]
    return ResidentZaak(
        summary=_summary_from_json(stored["summary"]), zaaktype_identificatie=stored["zaaktype_identificatie"],
        aanvraaggegevens=stored["aanvraaggegevens"],
        next_step=Text(*stored["next_step"]) if stored["next_step"] else None,
        resultaat=(ResultaatSummary(omschrijving=Text(*resultaat[0]),
                                    toelichting=Text(*resultaat[1])) if resultaat else None),
        milestones=tuple(ReachedMilestone(
            omschrijving=Text(*m["omschrijving"]), statustekst=Text(*m["statustekst"]),
            datum_status_gezet=datetime.fromisoformat(m["datum_status_gezet"]),
            statustoelichting=m["statustoelichting"]) for m in stored["milestones"]),
        documents=tuple(DocumentSummary(
            id=d["id"], titel=d["titel"], bestandsnaam=d["bestandsnaam"],
            bestandsomvang=d["bestandsomvang"],
            creatiedatum=_date_of(d["creatiedatum"]))
            for d in stored["documents"]),
        open_requests=(),
        # Pages kept before the payment was stored read as unpaid until they are refreshed.
        betaling=(Betaling(stored["betaling"][0], datetime.fromisoformat(stored["betaling"][1]),
                           stored["betaling"][2]) if stored.get("betaling") else None))
