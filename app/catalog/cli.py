"""`flask catalog check`: the catalogue, the e-forms, the zaaktypen and the agenda, each
loaded as the app loads it and then checked against each other (app.catalog.check)."""

from __future__ import annotations

import click
from flask import current_app
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from . import bp
from .check import Content, check_content, with_norms_in_use, zaaktypen_from_file
from .content import CatalogError, load_catalog


@bp.cli.command("check")
@click.option("--files-only", is_flag=True,
              help="Check the content files alone, without the database (e.g. in CI before "
                   "a deploy); otherwise the zaaktypen's norms are the ones beheer set.")
def check_command(files_only: bool) -> None:
    """Check the content files (CATALOG_PATH, FORMS_PATH, ZAAKTYPEN_PATH, the agenda) on
    their own and against each other; list every contradiction."""
    try:
        content = load_content(files_only=files_only)
    except (CatalogError, ValueError) as exc:  # each loader's own error names the place
        raise click.ClickException(str(exc)) from None
    problems = check_content(content)
    for problem in problems:
        click.echo(f"- {problem}", err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} contradiction(s) in the content files")
    catalog = content.catalog
    click.echo(f"OK: {len(catalog.products)} products, {len(content.forms)} forms, "
               f"{len(content.zaaktypen)} zaaktypen, {len(catalog.toptaken)} toptaken, "
               f"pages: {', '.join(sorted(catalog.pages))}")


def load_content(*, files_only: bool) -> Content:
    """Every content file as the current app's settings name it; raises the loader's error
    (a ValueError naming the file and the place) for a malformed one."""
    from app.appointments.agenda import load_agenda
    from app.eforms.definitions import load_definitions
    from app.zaken.catalogi import load_zaaktypen_file
    from app.zaken.store import get_zaken_store

    config = current_app.config
    catalog = load_catalog(config["CATALOG_PATH"])
    zaaktypen = zaaktypen_from_file(load_zaaktypen_file(config["ZAAKTYPEN_PATH"]))
    if not files_only:
        zaaktypen = with_norms_in_use(zaaktypen, get_zaken_store().beheer_zaaktypen())
    agenda = (load_agenda(config["APPOINTMENTS_AGENDA_PATH"], catalog)
              if config["APPOINTMENTS_ENABLED"] else None)
    return Content(catalog=catalog, forms=load_definitions(config["FORMS_PATH"]),
                   zaaktypen=zaaktypen,
                   agenda_products={p.slug for p in agenda.products} if agenda else None,
                   route_exists=_route_exists)


def _route_exists(path: str) -> bool:
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(path.split("?")[0], method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True
