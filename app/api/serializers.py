"""Zaken as the API shows them: ZGW field names (camelCase), related resources by identificatie."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for

from app.zaken.store import (
    PartnerZaak,
    PartnerZaakSummary,
    ResultaatRecord,
    RolRecord,
    StaffDocument,
    StatusRecord,
)


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: datetime) -> str:
    # Stored as naive UTC: say so.
    return value.isoformat(timespec="seconds") + "Z"


def zaak_json(zaak: PartnerZaak) -> dict:
    return {**zaak_summary_json(zaak.summary), "rollen": [rol_json(rol) for rol in zaak.rollen]}


def zaak_summary_json(zaak: PartnerZaakSummary) -> dict:
    """A zaak as the list shows it: without rollen, so without personal data."""
    return {
        "url": url_for("api.read_zaak", identificatie=zaak.identificatie, _external=True),
        "identificatie": zaak.identificatie,
        "zaaktype": zaak.zaaktype,
        "omschrijving": zaak.omschrijving,
        "toelichting": zaak.toelichting,
        "registratiedatum": _date(zaak.registratiedatum),
        "startdatum": _date(zaak.startdatum),
        "einddatum": _date(zaak.einddatum),
        "einddatumGepland": _date(zaak.einddatum_gepland),
        "uiterlijkeEinddatumAfdoening": _date(zaak.uiterlijke_einddatum_afdoening),
        "vertrouwelijkheidaanduiding": zaak.vertrouwelijkheidaanduiding,
        "status": status_json(zaak.identificatie, zaak.status) if zaak.status else None,
        "resultaat": resultaat_json(zaak.identificatie, zaak.resultaat) if zaak.resultaat else None,
    }


# The catalogue's texts in Dutch, as the ZGW Catalogi API has them.


def status_json(zaak: str, status: StatusRecord) -> dict:
    statustype = status.statustype
    return {
        "zaak": zaak,
        "statustype": {
            "volgnummer": statustype.volgnummer,
            "omschrijving": statustype.omschrijving.nl,
            "isEindstatus": statustype.is_eindstatus,
            "informeren": statustype.informeren,
        },
        "datumStatusGezet": _datetime(status.datum_status_gezet),
        "statustoelichting": status.statustoelichting,
    }


def resultaat_json(zaak: str, resultaat: ResultaatRecord) -> dict:
    return {
        "zaak": zaak,
        "resultaattype": {"omschrijving": resultaat.resultaattype.omschrijving.nl,
                          "toelichting": resultaat.resultaattype.toelichting.nl},
        "toelichting": resultaat.toelichting,
    }


def rol_json(rol: RolRecord) -> dict:
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


def document_json(zaak: str, document: StaffDocument) -> dict:
    return {
        "zaak": zaak,
        "titel": document.titel,
        "bestandsnaam": document.bestandsnaam,
        "formaat": document.formaat,
        "bestandsomvang": document.bestandsomvang,
        "vertrouwelijkheidaanduiding": document.vertrouwelijkheidaanduiding,
        "creatiedatum": document.creatiedatum.isoformat(),
    }
