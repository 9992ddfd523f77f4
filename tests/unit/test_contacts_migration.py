"""Migration kanaal0c0ntac fills the contact ledger with what the portal knew before it:
zaken opened online (by the resident or a gemachtigde) or by a staff member on the phone,
appointments, and the form drafts still kept."""

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from app.cli import alembic_config
from app.zaken.catalogi import seed_zaaktypen

BEFORE, AFTER = "c0a1b2c3d4e5", "kanaal0c0ntac"
ZAAK = ("INSERT INTO zaken (identificatie, zaaktype_id, omschrijving, toelichting,"
        " registratiedatum, startdatum, einddatum, einddatum_gepland,"
        " uiterlijke_einddatum_afdoening, vertrouwelijkheidaanduiding, aanvraaggegevens,"
        " kenmerken, registered_by, team, opschorting_indicatie, opschorting_reden,"
        " verlenging_reden) SELECT :nummer, id, 'x', '', '2026-03-02', '2026-03-02', :eind,"
        " '2026-03-16', '2026-04-27', 'openbaar', '{}', '{}', :door, '', 0, '', ''"
        " FROM zaaktypen WHERE identificatie = :zaaktype")
ROL = ("INSERT INTO rollen (zaak_id, betrokkene_type, omschrijving_generiek, inp_bsn, naam,"
       " email, telefoon, adres, indicatie_machtiging, betrokkene_identificatie, functie)"
       " SELECT id, 'natuurlijk_persoon', 'initiator', '999990019', 'Fatima', '', '', '',"
       " :machtiging, '', '' FROM zaken WHERE identificatie = :nummer")


def test_the_ledger_starts_with_what_the_portal_knew(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrate.db'}"
    config = alembic_config(url)
    command.upgrade(config, BEFORE)
    engine = create_engine(url)
    with Session(engine) as session:
        seed_zaaktypen(session)
    zaken = [("ZAAK-1", "VERHUIZING", "e-formulier", "", "2026-03-10"),
             ("ZAAK-2", "VERHUIZING", "e-formulier", "gemachtigde", None),
             ("ZAAK-3", "TERUGBELVERZOEK", "medewerker karin", "", None)]
    with engine.begin() as connection:
        for nummer, zaaktype, door, machtiging, eind in zaken:
            connection.execute(text(ZAAK), dict(nummer=nummer, zaaktype=zaaktype, door=door,
                                                eind=eind))
            connection.execute(text(ROL), dict(nummer=nummer, machtiging=machtiging))
        connection.execute(text(
            "INSERT INTO form_draft (id, form_slug, answers, completed_steps, created_at,"
            " updated_at, expires_at) VALUES ('d1', 'grofvuil', '{}', '[]',"
            " '2026-03-01 10:00:00', '2026-03-01 10:00:00', '2026-03-08 10:00:00')"))
    command.upgrade(config, AFTER)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT zaak_identificatie, kanaal, soort, product, bsn, geregistreerd_door,"
            " einddatum, plaatsgevonden_op FROM contacts ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [
        ("ZAAK-1", "online", "zaak", "verhuizing-doorgeven", "999990019", "inwoner",
         "2026-03-10", "2026-03-02 00:00:00.000000"),
        ("ZAAK-2", "namens", "zaak", "verhuizing-doorgeven", "999990019", "inwoner", None,
         "2026-03-02 00:00:00.000000"),
        ("ZAAK-3", "telefoon", "terugbelverzoek", "terugbelverzoek", "999990019",
         "medewerker karin", None, "2026-03-02 00:00:00.000000"),
        (None, "online", "formulier", "grofvuil-ophalen", None, "inwoner", None,
         "2026-03-01 10:00:00.000000")]
    command.downgrade(config, BEFORE)
    engine.dispose()
