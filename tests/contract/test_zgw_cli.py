"""`flask zgw check` tells an operator what is missing before residents notice."""

from dataclasses import replace
from pathlib import Path

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
def test_check_names_a_zaaktype_without_a_team_roltype(app, open_zaak_catalogue, monkeypatch):
    """Without a behandelaar roltype no team's queue would show the zaak: that stops a deploy."""
    _, catalogus_url = open_zaak_catalogue
    for name, value in {**open_zaak_config(), "ZGW_CATALOGUS_URL": catalogus_url}.items():
        monkeypatch.setitem(app.config, name, value)
    read = CatalogueCache.get

    def without_team_roltype(cache):
        catalogue = read(cache)
        vraag = replace(catalogue.current["VRAAG"], behandelaar_roltype=None)
        return Catalogue(by_url=catalogue.by_url, current={**catalogue.current, "VRAAG": vraag})

    monkeypatch.setattr(CatalogueCache, "get", without_team_roltype)
    result = app.test_cli_runner().invoke(args=["zgw", "check"])
    assert result.exit_code == 1
    assert "zaaktype VRAAG: no roltype 'behandelaar' (the team's queue)" in result.output
