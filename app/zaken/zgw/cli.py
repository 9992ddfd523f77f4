"""`flask zgw check` and `flask zgw publish-catalogue`: the operator's view of the zaaksysteem.

`check` reads only: does each configured API answer with our credentials, is the catalogus
there, and does it hold every zaaktype the portal's forms open (content/zaaktypen.toml),
published and valid today, with the roltypen the portal records (initiator, behandelaar,
belanghebbende) and a type for documents. It exits 1
when something is missing, so a deploy can stop on it.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.remote import RemoteApi, RemoteError
from app.zaken.catalogi import load_zaaktypen_file, zaaktypen_path
from app.zaken.zgw import REQUIRED_SETTINGS
from app.zaken.zgw.apis import ZgwApis
from app.zaken.zgw.catalogue import CatalogueCache, CatalogueZaakType
from app.zaken.zgw.publish import publish_catalogue

zgw = AppGroup("zgw", help="The municipality's ZGW zaaksysteem (ZAKEN_STORE=zgw).")


@zgw.command("check")
def check() -> None:
    """Tell whether the ZGW APIs answer and the portal's zaaktypen are in the catalogue."""
    config = current_app.config
    missing = [name for name in REQUIRED_SETTINGS if not config.get(name)]
    if missing:
        raise click.ClickException(f"not configured: {', '.join(missing)}")
    apis = ZgwApis.from_config(config)
    problems = [*_unanswered(apis), *_missing_zaaktypen(apis, config["ZGW_CATALOGUS_URL"])]
    for problem in problems:
        click.echo(f"✗ {problem}")
    if problems:
        raise SystemExit(1)
    click.echo("✓ the Zaken, Catalogi and Documenten API answer; every zaaktype of the "
               "portal is in the catalogue")


@zgw.command("publish-catalogue")
@click.option("--selectielijst-url", required=True,
              help="The Selectielijst API the resultaattypen refer to.")
def publish(selectielijst_url: str) -> None:
    """Create the portal's zaaktypen the catalogus lacks (a trial or demo Open Zaak)."""
    config = current_app.config
    apis = ZgwApis.from_config(config)
    added = publish_catalogue(apis.catalogi, catalogus_url=config["ZGW_CATALOGUS_URL"],
                              rsin=config["ZGW_RSIN"],
                              zaaktypen=load_zaaktypen_file(zaaktypen_path()),
                              selectielijst=RemoteApi("Selectielijst API", selectielijst_url))
    click.echo(f"published: {', '.join(added) or 'nothing (all there)'}")


def _unanswered(apis: ZgwApis) -> list[str]:
    calls = [(apis.zaken, "zaken"), (apis.catalogi, "catalogussen"),
             (apis.documenten, "enkelvoudiginformatieobjecten"), (apis.besluiten, "besluiten")]
    problems = []
    for api, resource in calls:
        try:
            api.get(resource, params={"pageSize": 1} if resource == "zaken" else None)
        except RemoteError as error:
            problems.append(str(error))
    return problems


def _missing_zaaktypen(apis: ZgwApis, catalogus_url: str) -> list[str]:
    wanted = load_zaaktypen_file(zaaktypen_path())
    try:
        catalogue = CatalogueCache(apis.catalogi, catalogus_url, wanted, ttl=3600).get()
    except RemoteError as error:
        return [f"the catalogue cannot be read: {error}"]
    problems = []
    for item in wanted:
        zaaktype = catalogue.current.get(item["identificatie"])
        if zaaktype is None:
            problems.append(f"zaaktype {item['identificatie']}: not published in the catalogus")
            continue
        problems += [f"zaaktype {item['identificatie']}: {lack}" for lack in _lacks(zaaktype)]
    return problems


def _lacks(zaaktype: CatalogueZaakType) -> list[str]:
    """What the portal needs of a zaaktype: the resident as initiator, a team as behandelaar
    (the back office's queues are per team), a gemachtigde as belanghebbende (DigiD
    Machtigen), a type for the documents, and one for the Besluit of a result granted for
    a while (app.zaken.zgw.besluiten: the reminders to renew it)."""
    needed = {"roltype 'initiator'": zaaktype.initiator_roltype,
              "roltype 'behandelaar' (the team's queue)": zaaktype.behandelaar_roltype,
              "roltype 'belanghebbende' (a gemachtigde)": zaaktype.gemachtigde_roltype,
              "informatieobjecttype": zaaktype.informatieobjecttype}
    if any(resultaattype.geldigheid for resultaattype in zaaktype.resultaattypen):
        needed["besluittype (a result with a geldigheid)"] = zaaktype.besluittype
    return [f"no {what}" for what, present in needed.items() if present is None]
