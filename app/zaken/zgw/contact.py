"""A zaak's contact person on a ZGW zaaksysteem (ContactPerson in app.zaken.store).

The contact person is a rol of the zaak: omschrijvingGeneriek "behandelaar", betrokkeneType
medewerker, identified by the employee's username, with their name, direct phone, email
and team in its contactpersoonRol (the team as its functie). The medewerker rollen the
portal makes for a status's gezetdoor (app.zaken.zgw.staff) have no contactpersoonRol:
that tells them apart. A change posts the new rol, then removes the one before (never a
moment without one).

A zaaktype without a roltype behandelaar cannot hold that rol: then the contact person is
the portal's own record (zgw_contact_persons, keyed by the zaak's UUID). Either way the
cached pages of the resident (app.zaken.zgw.cache) showing the zaak are dropped, so the
new contact person shows at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.remote import RemoteError
from app.zaken.store import BEHANDELAAR, MEDEWERKER, ContactPerson
from app.zaken.zgw.kcc import uuid_of
from app.zaken.zgw.models import ZgwContactPerson
from app.zaken.zgw.staff import is_contact_rol, writing

if TYPE_CHECKING:
    from app.zaken.zgw.apis import ZgwApis
    from app.zaken.zgw.cache import ResidentPageCache

_records = ZgwContactPerson.__table__


def rol_contact_person(rollen: list[dict]) -> ContactPerson | None:
    """The contact person among a zaak's rollen: the newest, should there be two (a change
    between its two writes)."""
    found = [rol for rol in rollen if is_contact_rol(rol)]
    if not found:
        return None
    rol = max(found, key=lambda rol: rol.get("registratiedatum") or "")
    who, contact = rol.get("betrokkeneIdentificatie") or {}, rol["contactpersoonRol"]
    return ContactPerson(medewerker=who.get("identificatie") or "", naam=contact["naam"],
                         team=contact.get("functie") or "",
                         telefoon=contact.get("telefoonnummer") or "",
                         email=contact.get("emailadres") or "")


def contact_rol(zaak_url: str, roltype: str, contact: ContactPerson) -> dict:
    return {"zaak": zaak_url, "roltype": roltype, "betrokkeneType": MEDEWERKER,
            "roltoelichting": "Contactpersoon van de inwoner",
            "betrokkeneIdentificatie": {"identificatie": contact.medewerker[:128],
                                        "achternaam": contact.naam[:200]},
            "contactpersoonRol": {"naam": contact.naam[:200], "functie": contact.team[:50],
                                  "telefoonnummer": contact.telefoon[:20],
                                  "emailadres": contact.email[:254]}}


class ZgwContactPersons:
    """set_contact_person and the reads' contact persons for ZgwZakenStore (mixed in; it
    gives apis, session, cache, _open_zaak_and_type and _rollen_of)."""

    apis: ZgwApis
    session: Session
    cache: ResidentPageCache

    def set_contact_person(self, identificatie: str, contact: ContactPerson, *,
                           door: str) -> None:
        zaak, zaaktype = self._open_zaak_and_type(identificatie)
        uuid = uuid_of(zaak)
        self.session.execute(delete(_records).where(_records.c.zaak_uuid == uuid))
        if zaaktype.behandelaar_roltype is None:
            self.session.add(ZgwContactPerson(
                zaak_uuid=uuid, zaak_identificatie=identificatie, medewerker=contact.medewerker,
                naam=contact.naam, team=contact.team, telefoon=contact.telefoon,
                email=contact.email, registered_at=utcnow(), door=door[:200]))
            self.session.flush()
        else:
            before = [rol for rol in self._rollen_of(zaak["url"]) if is_contact_rol(rol)]
            writing(lambda: self.apis.zaken.post(
                "rollen", contact_rol(zaak["url"], zaaktype.behandelaar_roltype, contact)))
            for rol in before:
                writing(lambda rol=rol: self.apis.zaken.request("DELETE", rol["url"]))
        self.cache.forget_zaak(zaak["url"])

    # ----------------------------------------------------------------------- reading

    def _contact_records(self, zaken: list[dict]) -> dict[str, ContactPerson]:
        """The portal's own records of these zaken's contact persons, by zaak UUID: one
        query for any number."""
        if not zaken:
            return {}
        rows = self.session.connection().execute(
            select(_records).where(_records.c.zaak_uuid.in_({uuid_of(z) for z in zaken})))
        return {row.zaak_uuid: ContactPerson(medewerker=row.medewerker, naam=row.naam,
                                             team=row.team, telefoon=row.telefoon,
                                             email=row.email) for row in rows}

    def _contact_of(self, zaak: dict, rollen: list[dict],
                    records: dict[str, ContactPerson]) -> ContactPerson | None:
        """The zaak's contact person: the portal's record of it, else its rol."""
        return records.get(uuid_of(zaak)) or rol_contact_person(rollen)

    def _contact_persons(self, zaken: list[dict]) -> list[ContactPerson | RemoteError | None]:
        """Per zaak its contact person: the records in one query, the rollen of the others
        in parallel (only the medewerkers' rollen behandelaar)."""
        records = self._contact_records(zaken)
        asked = [zaak["url"] for zaak in zaken if uuid_of(zaak) not in records]
        rollen = dict(zip(asked, self.apis.each(self._contact_rollen, asked), strict=True))
        return [records[uuid_of(zaak)] if uuid_of(zaak) in records
                else _contact_or_error(rollen[zaak["url"]]) for zaak in zaken]

    def _contact_rollen(self, zaak_url: str) -> list[dict]:
        return self.apis.zaken.get("rollen", params={
            "zaak": zaak_url, "omschrijvingGeneriek": BEHANDELAAR,
            "betrokkeneType": MEDEWERKER})["results"]


def _contact_or_error(rollen: list[dict] | RemoteError) -> ContactPerson | RemoteError | None:
    return rollen if isinstance(rollen, RemoteError) else rol_contact_person(rollen)
