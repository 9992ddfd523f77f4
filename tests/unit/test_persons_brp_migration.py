"""Migration 6653b2c9c659 keeps every person's data while the persons table takes the BRP's
shape: the one nationality becomes the list, adres_sinds its BRP name, and back again."""

from alembic import command
from sqlalchemy import create_engine, text

from app.cli import alembic_config

BEFORE, AFTER = "7a8b9cab0c12", "6653b2c9c659"


def test_the_migration_moves_the_nationality_into_the_list_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrate.db'}"
    config = alembic_config(url)
    command.upgrade(config, BEFORE)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO persons (bsn, voornamen, voorvoegsel, geslachtsnaam, geslacht, "
            "geboortedatum, geboorteplaats, nationaliteit, straat, huisnummer, huisletter, "
            "huisnummertoevoeging, postcode, woonplaats, adres_sinds) VALUES "
            "(:bsn, 'Anna', '', 'Jansen', 'vrouw', '1990-01-01', 'Elburg', :nationaliteit, "
            "'Beekstraat', 1, '', '', '8081 EA', 'Elburg', '2020-01-01')"),
            [{"bsn": "999990501", "nationaliteit": "Nederlandse"},
             {"bsn": "999990502", "nationaliteit": "Belgische"},
             {"bsn": "999990503", "nationaliteit": ""}])
    command.upgrade(config, AFTER)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT nationaliteiten, datum_aanvang_adreshouding, geheimhouding_persoonsgegevens, "
            "eerdere_verblijfplaatsen, reisdocumenten FROM persons ORDER BY bsn")).all()
    assert [tuple(row) for row in rows] == [
        ('["Nederlandse"]', "2020-01-01", 0, "[]", "[]"),
        ('["Belgische"]', "2020-01-01", 0, "[]", "[]"),
        ("[]", "2020-01-01", 0, "[]", "[]")]
    command.downgrade(config, BEFORE)
    with engine.connect() as connection:
        back = connection.execute(text(
            "SELECT nationaliteit, adres_sinds FROM persons ORDER BY bsn")).all()
    assert [tuple(row) for row in back] == [("Nederlandse", "2020-01-01"),
                                           ("Belgische", "2020-01-01"), ("", "2020-01-01")]
    engine.dispose()
