"""`flask zgw check` tells an operator what is missing before residents notice."""

from pathlib import Path

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
