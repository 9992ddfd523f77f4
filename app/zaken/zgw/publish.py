"""Put the portal's zaaktypen (content/zaaktypen.toml) into a ZGW catalogue.

For a municipality trying the portal on a fresh Open Zaak, for the demo and for the tests:
a real municipality's catalogue is its own and `flask zgw check` only reads it. Publishing
is idempotent by identificatie: a zaaktype the catalogue has is left as it is.

Open Zaak asks every resultaattype for its selectielijst class, from the Selectielijst
API (VNG's, or a local copy): the first procestype and result it lists are used, which is
right for a test catalogue and no more. Each resultaattype gets the Selectielijst's generic
description of its own name (or its file's omschrijving_generiek).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from app.remote import RemoteApi
from app.zaken.catalogi import omschrijving_generiek, verlengingstermijn

BIJLAGE = "Bijlage bij een zaak"


def publish_catalogue(catalogi: RemoteApi, *, catalogus_url: str, rsin: str,
                      zaaktypen: list[dict[str, Any]], selectielijst: RemoteApi) -> list[str]:
    """Create and publish the zaaktypen the catalogus lacks; their identificaties back."""
    procestype = selectielijst.get("procestypen")[0]["url"]
    selectielijst_resultaat = selectielijst.get(
        "resultaten", params={"procesType": procestype})["results"][0]["url"]
    generiek = _generieke_omschrijvingen(selectielijst)
    known = {z["identificatie"]: z for z in catalogi.get(
        "zaaktypen", params={"catalogus": catalogus_url})["results"]}
    bijlage = _bijlage_type(catalogi, catalogus_url)
    added = []
    for item in zaaktypen:
        if item["identificatie"] in known:
            # Also for a zaaktype published before the portal took Besluiten.
            _link_besluittype(catalogi, catalogus_url, item, known[item["identificatie"]])
            continue
        zaaktype = catalogi.post("zaaktypen", _zaaktype(item, catalogus_url, rsin, procestype))
        for statustype in item["statustypen"]:
            catalogi.post("statustypen", {
                "zaaktype": zaaktype["url"], "volgnummer": statustype["volgnummer"],
                "omschrijving": statustype["omschrijving"]["nl"][:80],
                "statustekst": statustype.get("statustekst", {}).get("nl", "")[:1000],
                "informeren": statustype.get("informeren", False)})
        catalogi.post("roltypen", {"zaaktype": zaaktype["url"], "omschrijving": "Aanvrager",
                                   "omschrijvingGeneriek": "initiator"})
        catalogi.post("roltypen", {"zaaktype": zaaktype["url"], "omschrijving": "Gemachtigde",
                                   "omschrijvingGeneriek": "belanghebbende"})
        catalogi.post("roltypen", {"zaaktype": zaaktype["url"], "omschrijving": "Team",
                                   "omschrijvingGeneriek": "behandelaar"})
        for resultaattype in item["resultaattypen"]:
            catalogi.post("resultaattypen", _resultaattype(
                resultaattype, zaaktype["url"], generiek(omschrijving_generiek(resultaattype)),
                selectielijst_resultaat))
        catalogi.post("zaaktype-informatieobjecttypen", {
            "zaaktype": zaaktype["url"], "informatieobjecttype": bijlage, "volgnummer": 1,
            "richting": "inkomend"})
        catalogi.post(f"zaaktypen/{zaaktype['url'].rsplit('/', 1)[1]}/publish", {})
        _link_besluittype(catalogi, catalogus_url, item, zaaktype)
        added.append(item["identificatie"])
    return added


def _generieke_omschrijvingen(selectielijst: RemoteApi) -> Callable[[str], str]:
    """The URL of the Selectielijst's resultaattypeomschrijving of this name (the Catalogi
    API gives it back as the resultaattype's omschrijvingGeneriek); its first one for a name
    it lacks."""
    known = selectielijst.get("resultaattypeomschrijvingen")
    by_name = {item["omschrijving"].lower(): item["url"] for item in known}
    return lambda name: by_name.get(name.lower(), known[0]["url"])


def _link_besluittype(catalogi: RemoteApi, catalogus_url: str, item: dict,
                      zaaktype: dict) -> None:
    """A zaaktype with a result granted for a while (a geldigheid) takes Besluiten that end
    (app.zaken.zgw.besluiten): give it a published besluittype of its name. A zaaktype's
    besluittypen may change after it was published."""
    if zaaktype["besluittypen"] or not any(
            resultaattype.get("geldigheid") for resultaattype in item["resultaattypen"]):
        return
    found = catalogi.get("besluittypen", params={"catalogus": catalogus_url,
                                                 "status": "definitief"})["results"]
    besluittype = next((t["url"] for t in found if t["omschrijving"] == zaaktype["omschrijving"]),
                       None)
    if besluittype is None:
        besluittype = catalogi.post("besluittypen", {
            "catalogus": catalogus_url, "omschrijving": zaaktype["omschrijving"],
            "informatieobjecttypen": [], "publicatieIndicatie": False,
            "beginGeldigheid": "2020-01-01"})["url"]
        catalogi.post(f"besluittypen/{besluittype.rsplit('/', 1)[1]}/publish", {})
    catalogi.request("PATCH", zaaktype["url"], json={"besluittypen": [besluittype]})


def _bijlage_type(catalogi: RemoteApi, catalogus_url: str) -> str:
    """The (published) informatieobjecttype for the documents the portal adds."""
    found = catalogi.get("informatieobjecttypen", params={"catalogus": catalogus_url})
    existing = next((t for t in found["results"] if t["omschrijving"] == BIJLAGE), None)
    if existing is not None:
        return existing["url"]
    created = catalogi.post("informatieobjecttypen", {
        "catalogus": catalogus_url, "omschrijving": BIJLAGE,
        "vertrouwelijkheidaanduiding": "zaakvertrouwelijk",
        "beginGeldigheid": "2020-01-01", "informatieobjectcategorie": "Bijlage"})
    catalogi.post(f"informatieobjecttypen/{created['url'].rsplit('/', 1)[1]}/publish", {})
    return created["url"]


def _zaaktype(item: dict, catalogus_url: str, rsin: str, procestype: str) -> dict:
    return {
        "catalogus": catalogus_url, "identificatie": item["identificatie"],
        "omschrijving": item["omschrijving"]["nl"][:80],
        "vertrouwelijkheidaanduiding": item["vertrouwelijkheidaanduiding"],
        "doel": item["doel"], "aanleiding": item["aanleiding"],
        "indicatieInternOfExtern": item.get("indicatie_intern_of_extern", "extern"),
        "handelingInitiator": item.get("handeling_initiator", "Aanvragen"),
        "onderwerp": item["omschrijving"]["nl"][:80], "handelingBehandelaar": "Behandelen",
        "doorlooptijd": item["doorlooptijd"], "servicenorm": item.get("servicenorm"),
        # Every zaak's term stands still while documents are awaited (Awb 4:15).
        "opschortingEnAanhoudingMogelijk": True,
        "verlengingMogelijk": item.get("verlenging_mogelijk", False),
        "verlengingstermijn": verlengingstermijn(item),
        "publicatieIndicatie": False, "productenOfDiensten": [],
        "referentieproces": {"naam": item["identificatie"].lower()},
        "selectielijstProcestype": procestype, "verantwoordelijke": rsin,
        "besluittypen": [], "gerelateerdeZaaktypen": [], "deelzaaktypen": [],
        "trefwoorden": [], "beginGeldigheid": "2020-01-01",
        "versiedatum": date(2020, 1, 1).isoformat()}


def _resultaattype(item: dict, zaaktype_url: str, omschrijving_generiek: str,
                   selectielijstklasse: str) -> dict:
    return {
        "zaaktype": zaaktype_url, "omschrijving": item["omschrijving"]["nl"][:20],
        "toelichting": item.get("toelichting", {}).get("nl", ""),
        "resultaattypeomschrijving": omschrijving_generiek,
        "selectielijstklasse": selectielijstklasse, "archiefnominatie": "vernietigen",
        "archiefactietermijn": "P10Y",
        "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld", "datumkenmerk": "",
                                      "einddatumBekend": False, "objecttype": "",
                                      "registratie": "", "procestermijn": None}}
