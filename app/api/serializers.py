"""Zaken as the API shows them: ZGW field names (camelCase), related resources by identificatie."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for

from app.zaken.models import Document, Resultaat, Rol, Status, Zaak
from app.zaken.services import current_status


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: datetime) -> str:
    # Stored as naive UTC: say so.
    return value.isoformat(timespec="seconds") + "Z"


def zaak_json(zaak: Zaak, *, with_rollen: bool = True) -> dict:
    status = current_status(zaak)
    body = {
        "url": url_for("api.read_zaak", identificatie=zaak.identificatie, _external=True),
        "identificatie": zaak.identificatie,
        "zaaktype": zaak.zaaktype.identificatie,
        "omschrijving": zaak.omschrijving,
        "toelichting": zaak.toelichting,
        "registratiedatum": _date(zaak.registratiedatum),
        "startdatum": _date(zaak.startdatum),
        "einddatum": _date(zaak.einddatum),
        "einddatumGepland": _date(zaak.einddatum_gepland),
        "uiterlijkeEinddatumAfdoening": _date(zaak.uiterlijke_einddatum_afdoening),
        "vertrouwelijkheidaanduiding": zaak.vertrouwelijkheidaanduiding,
        "status": status_json(status) if status else None,
        "resultaat": resultaat_json(zaak.resultaat) if zaak.resultaat else None,
    }
    if with_rollen:
        body["rollen"] = [rol_json(rol) for rol in zaak.rollen]
    return body


def status_json(status: Status) -> dict:
    statustype = status.statustype
    return {
        "zaak": status.zaak.identificatie,
        "statustype": {
            "volgnummer": statustype.volgnummer,
            "omschrijving": statustype.omschrijving,
            "isEindstatus": statustype.is_eindstatus,
            "informeren": statustype.informeren,
        },
        "datumStatusGezet": _datetime(status.datum_status_gezet),
        "statustoelichting": status.statustoelichting,
    }


def resultaat_json(resultaat: Resultaat) -> dict:
    return {
        "zaak": resultaat.zaak.identificatie,
        "resultaattype": {"omschrijving": resultaat.resultaattype.omschrijving,
                          "toelichting": resultaat.resultaattype.toelichting},
        "toelichting": resultaat.toelichting,
    }


def rol_json(rol: Rol) -> dict:
    # Never inp_bsn: a partner carries out the zaak with name, address and contact details.
    return {
        "betrokkeneType": rol.betrokkene_type,
        "omschrijvingGeneriek": rol.omschrijving_generiek,
        "indicatieMachtiging": rol.indicatie_machtiging,
        "naam": rol.naam,
        "verblijfsadres": rol.adres,
        "emailadres": rol.email,
        "telefoonnummer": rol.telefoon,
    }


def document_json(document: Document) -> dict:
    return {
        "zaak": document.zaak.identificatie,
        "titel": document.titel,
        "bestandsnaam": document.bestandsnaam,
        "formaat": document.formaat,
        "bestandsomvang": document.bestandsomvang,
        "vertrouwelijkheidaanduiding": document.vertrouwelijkheidaanduiding,
        "creatiedatum": document.creatiedatum.isoformat(),
    }
