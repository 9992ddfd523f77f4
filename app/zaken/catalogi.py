"""The catalogi as data: content/zaaktypen.toml (setting ZAAKTYPEN_PATH) loaded into the
zaaktypen, statustypen and resultaattypen tables.

Loading is an upsert by identificatie (statustypen by volgnummer, resultaattypen by
their Dutch omschrijving): new types are added and texts of existing ones follow the
file, except what beheerders manage in the back office (Beheer > Zaaktypen): the
doorlooptijd and servicenorm, and the statustekst and informeren of a statustype. The
file gives those their first value; after that they are the back office's, so a later
`flask seed` (the demo runs one at every start) does not undo a beheerder's edit.
Types removed from the file stay, because zaken may refer to them.
"""

import tomllib
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from app.zaken.durations import parse_duration
from app.zaken.models import (
    ResultaatType,
    StatusType,
    Zaak,
    ZaakType,
)
from app.zaken.store import Vertrouwelijkheidaanduiding

DEFAULT_ZAAKTYPEN_PATH = Path(__file__).resolve().parents[2] / "content" / "zaaktypen.toml"

_ZAAKTYPE_FIELDS = {"identificatie", "omschrijving", "doel", "aanleiding", "doorlooptijd",
                    "servicenorm", "vertrouwelijkheidaanduiding", "verlenging_mogelijk",
                    "verlengingstermijn", "product", "indicatie_intern_of_extern", "handeling_initiator",
                    "team", "statustypen", "resultaattypen"}
_STATUSTYPE_FIELDS = {"volgnummer", "omschrijving", "statustekst", "informeren",
                      "zichtbaar_voor_inwoner"}
_RESULTAATTYPE_FIELDS = {"omschrijving", "omschrijving_generiek", "toelichting", "geldigheid"}


# Awb 4:14: a decision's term may be extended by "a reasonable term"; without one in the file,
# a zaaktype that allows extension allows this much.
DEFAULT_VERLENGINGSTERMIJN = "P4W"


def verlengingstermijn(data: dict[str, Any]) -> str | None:
    """A zaaktype's longest extension (ZGW verlengingstermijn); None when it allows none."""
    if not data.get("verlenging_mogelijk", False):
        return None
    return data.get("verlengingstermijn", DEFAULT_VERLENGINGSTERMIJN)


class CatalogiError(ValueError):
    """zaaktypen.toml is malformed; the message names the place."""


def zaaktypen_path() -> Path:
    configured = current_app.config["ZAAKTYPEN_PATH"] if has_app_context() else None
    return Path(configured or DEFAULT_ZAAKTYPEN_PATH)


def load_zaaktypen_file(path: Path) -> list[dict[str, Any]]:
    with Path(path).open("rb") as file:
        zaaktypen = tomllib.load(file).get("zaaktypen", [])
    for zaaktype in zaaktypen:
        _check_zaaktype(zaaktype)
    return zaaktypen


def seed_zaaktypen(session: Session, path: Path | None = None) -> int:
    """Upsert the catalogi from the file and commit (like every seeder); returns the
    number of zaaktypen added."""
    known = {z.identificatie: z for z in session.scalars(
        select(ZaakType).options(selectinload(ZaakType.statustypen),
                                 selectinload(ZaakType.resultaattypen)))}
    added = 0
    for data in load_zaaktypen_file(path or zaaktypen_path()):
        zaaktype = known.get(data["identificatie"])
        if zaaktype is None:
            zaaktype = ZaakType(identificatie=data["identificatie"],
                                doorlooptijd=data["doorlooptijd"], servicenorm=data.get("servicenorm"))
            session.add(zaaktype)
            added += 1
        _update_zaaktype(zaaktype, data)
    session.flush()
    _give_zaken_a_team(session)
    session.commit()
    return added


def _give_zaken_a_team(session: Session) -> None:
    # Zaken from before teams existed (the migration could not know the teams) start
    # with their zaaktype's team.
    team_of_zaaktype = (select(ZaakType.team).where(ZaakType.id == Zaak.zaaktype_id)
                        .scalar_subquery())
    session.execute(update(Zaak).where(Zaak.team == "").values(team=team_of_zaaktype))


def _update_zaaktype(zaaktype: ZaakType, data: dict[str, Any]) -> None:
    zaaktype.omschrijving, zaaktype.omschrijving_en = _texts(data["omschrijving"])
    zaaktype.doel = data["doel"]
    zaaktype.aanleiding = data.get("aanleiding", "")
    zaaktype.vertrouwelijkheidaanduiding = data["vertrouwelijkheidaanduiding"]
    zaaktype.verlenging_mogelijk = data.get("verlenging_mogelijk", False)
    zaaktype.verlengingstermijn = verlengingstermijn(data)
    zaaktype.product = data.get("product", "")
    zaaktype.indicatie_intern_of_extern = data.get("indicatie_intern_of_extern", "extern")
    zaaktype.handeling_initiator = data.get("handeling_initiator", "")
    zaaktype.team = data["team"]
    _update_statustypen(zaaktype, data["statustypen"])
    _update_resultaattypen(zaaktype, data["resultaattypen"])


def _update_statustypen(zaaktype: ZaakType, items: list[dict[str, Any]]) -> None:
    existing = {s.volgnummer: s for s in zaaktype.statustypen}
    last = max(item["volgnummer"] for item in items)
    for item in items:
        statustype = existing.get(item["volgnummer"])
        if statustype is None:
            statustype = StatusType(volgnummer=item["volgnummer"],
                                    informeren=item.get("informeren", False))
            statustype.statustekst, statustype.statustekst_en = _texts(item["statustekst"])
            zaaktype.statustypen.append(statustype)
        statustype.omschrijving, statustype.omschrijving_en = _texts(item["omschrijving"])
        statustype.zichtbaar_voor_inwoner = item.get("zichtbaar_voor_inwoner", True)
    # ZGW: the eindstatus is the statustype with the highest volgnummer.
    for statustype in zaaktype.statustypen:
        statustype.is_eindstatus = statustype.volgnummer == last


def _update_resultaattypen(zaaktype: ZaakType, items: list[dict[str, Any]]) -> None:
    existing = {r.omschrijving: r for r in zaaktype.resultaattypen}
    for item in items:
        dutch, english = _texts(item["omschrijving"])
        resultaattype = existing.get(dutch)
        if resultaattype is None:
            resultaattype = ResultaatType(omschrijving=dutch)
            zaaktype.resultaattypen.append(resultaattype)
        resultaattype.omschrijving_en = english
        resultaattype.toelichting, resultaattype.toelichting_en = _texts(item["toelichting"])
        resultaattype.geldigheid = item.get("geldigheid")
        resultaattype.omschrijving_generiek = omschrijving_generiek(item)


def omschrijving_generiek(item: dict[str, Any]) -> str:
    """A resultaattype's kind in the standard's words: the file's omschrijving_generiek, or
    its Dutch name when that is the standard's word already (Toegekend, Afgewezen, ...)."""
    return item.get("omschrijving_generiek", item["omschrijving"]["nl"])


def _texts(value: dict[str, str]) -> tuple[str, str]:
    return value["nl"], value.get("en", "")


# --------------------------------------------------------------------------- checks


def _check_zaaktype(data: dict[str, Any]) -> None:
    where = f"zaaktype {data.get('identificatie', '?')}"
    _check_keys(data, _ZAAKTYPE_FIELDS, {"identificatie", "omschrijving", "doel", "doorlooptijd",
                                         "vertrouwelijkheidaanduiding", "team", "statustypen",
                                         "resultaattypen"}, where)
    _check_text(data["omschrijving"], f"{where}: omschrijving")
    for field in ("doorlooptijd", "servicenorm", "verlengingstermijn"):
        if field in data:
            _check_duration(data[field], f"{where}: {field}")
    if data["vertrouwelijkheidaanduiding"] not in set(Vertrouwelijkheidaanduiding):
        raise CatalogiError(f"{where}: unknown vertrouwelijkheidaanduiding "
                            f"{data['vertrouwelijkheidaanduiding']!r}")
    volgnummers = [item.get("volgnummer") for item in data["statustypen"]]
    if sorted(volgnummers) != list(range(1, len(volgnummers) + 1)):
        raise CatalogiError(f"{where}: statustypen need volgnummers 1, 2, 3, ... once each")
    for item in data["statustypen"]:
        place = f"{where}: statustype {item['volgnummer']}"
        _check_keys(item, _STATUSTYPE_FIELDS, {"omschrijving", "statustekst"}, place)
        _check_text(item["omschrijving"], f"{place}: omschrijving")
        _check_text(item["statustekst"], f"{place}: statustekst")
    if not data["resultaattypen"]:
        raise CatalogiError(f"{where}: needs at least one resultaattype")
    for item in data["resultaattypen"]:
        place = f"{where}: resultaattype"
        _check_keys(item, _RESULTAATTYPE_FIELDS, {"omschrijving", "toelichting"}, place)
        if "geldigheid" in item:
            _check_duration(item["geldigheid"], f"{place}: geldigheid")
        if not isinstance(item.get("omschrijving_generiek", "-"), str):
            raise CatalogiError(f"{place}: omschrijving_generiek is a text")
        _check_text(item["omschrijving"], f"{place}: omschrijving")
        _check_text(item["toelichting"], f"{place}: toelichting")


def _check_duration(value: Any, where: str) -> None:
    try:
        parse_duration(value)
    except ValueError as error:
        raise CatalogiError(f"{where}: {error}") from None


def _check_keys(data: dict[str, Any], allowed: set[str], required: set[str], where: str) -> None:
    if unknown := set(data) - allowed:
        raise CatalogiError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    if missing := required - set(data):
        raise CatalogiError(f"{where}: missing field(s) {', '.join(sorted(missing))}")


def _check_text(value: Any, where: str) -> None:
    if not (isinstance(value, dict) and value.get("nl") and value.get("en")):
        raise CatalogiError(f'{where}: needs {{ nl = "...", en = "..." }}')
