"""`flask zgw check` tells an operator what is missing before residents notice."""

from dataclasses import replace
from pathlib import Path

import pytest

from app.zaken.zgw.catalogue import Catalogue, CatalogueCache
from tests.openzaak_fixtures import (  # noqa: F401
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_config,
)


def test_check_without_settings_names_them(app):
    result = app.test_cli_runner().invoke(args=["zgw", "check"])
    assert result.exit_code != 0 and "ZGW_ZAKEN_API_URL" in result.output


@needs_open_zaak
def test_check_passes_on_open_zaak_with_the_portals_catalogue(app, open_zaak_catalogue,
                                                               monkeypatch):
    _, catalogus_url = open_zaak_catalogue
    for name, value in {**open_zaak_config(), "ZGW_CATALOGUS_URL": catalogus_url}.items():
        monkeypatch.setitem(app.config, name, value)
    result = app.test_cli_runner().invoke(args=["zgw", "check"])
    assert result.exit_code == 0, result.output
    assert "every zaaktype of the portal is in the catalogue" in result.output


@needs_open_zaak
def test_check_names_a_zaaktype_the_catalogue_lacks(app, open_zaak_catalogue, monkeypatch,
                                                     tmp_path):
    _, catalogus_url = open_zaak_catalogue
    for name, value in {**open_zaak_config(), "ZGW_CATALOGUS_URL": catalogus_url}.items():
        monkeypatch.setitem(app.config, name, value)
    extra = tmp_path / "zaaktypen.toml"
    extra.write_text(Path(app.config["ZAAKTYPEN_PATH"]).read_text()
                     .replace('identificatie = "VRAAG"', 'identificatie = "VRAAG_NIEUW"'))
    monkeypatch.setitem(app.config, "ZAAKTYPEN_PATH", str(extra))
    result = app.test_cli_runner().invoke(args=["zgw", "check"])
    assert result.exit_code == 1
    assert "zaaktype VRAAG_NIEUW: not published" in result.output


@needs_open_zaak
@pytest.mark.parametrize("identificatie, lacking, named", [
    # Without a behandelaar roltype no team's queue would show the zaak.
    ("VRAAG", "behandelaar_roltype", "no roltype 'behandelaar' (the team's queue)"),
    # Without a besluittype a permit's end is not recorded: no reminder to renew it.
    ("PARKEERVERGUNNING", "besluittype", "no besluittype (a result with a geldigheid)")])
def test_check_names_a_zaaktype_without_what_the_portal_needs(
        app, open_zaak_catalogue, monkeypatch, identificatie, lacking, named):
    """That stops a deploy."""
    _, catalogus_url = open_zaak_catalogue
    for name, value in {**open_zaak_config(), "ZGW_CATALOGUS_URL": catalogus_url}.items():
        monkeypatch.setitem(app.config, name, value)
    read = CatalogueCache.get

    def without(cache):
        catalogue = read(cache)
        zaaktype = replace(catalogue.current[identificatie], **{lacking: None})
        return Catalogue(by_url=catalogue.by_url,
                         current={**catalogue.current, identificatie: zaaktype})

    monkeypatch.setattr(CatalogueCache, "get", without)
    result = app.test_cli_runner().invoke(args=["zgw", "check"])
    assert result.exit_code == 1
    assert f"zaaktype {identificatie}: {named}" in result.output


@needs_open_zaak
def test_a_documenten_api_apart_is_called_with_its_own_client(app, open_zaak_catalogue,
                                                               monkeypatch):
    """A Documenten API with a client of its own: a wrong one there is named by its own
    settings, and the Zaken API still answers with the portal's main client."""
    _, catalogus_url = open_zaak_catalogue
    settings = {**open_zaak_config(), "ZGW_CATALOGUS_URL": catalogus_url,
                "ZGW_DOCUMENTEN_CLIENT_ID": "dms-client",
                "ZGW_DOCUMENTEN_SECRET": "not-the-dms-secret-0123456789-abcdefgh"}
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    result = app.test_cli_runner().invoke(args=["zgw", "check"])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("✗")]
    assert len(problems) == 1 and "Documenten API" in problems[0]
    assert "check ZGW_DOCUMENTEN_CLIENT_ID and ZGW_DOCUMENTEN_SECRET" in problems[0]
