"""Migration kanaal0c0ntac fills the contact ledger with what the portal knew before it:
zaken opened online (by the resident or a gemachtigde) or by a staff member on the phone,
appointments, and the form drafts still kept."""

from alembic import command
from sqlalchemy import create_engine, text

from app.cli import alembic_config

BEFORE, AFTER = "c0a1b2c3d4e5", "kanaal0c0ntac"
# The zaaktypen as the schema had them then (the ORM and `flask seed` follow the newest one).
ZAAKTYPE = ("INSERT INTO zaaktypen (identificatie, omschrijving, omschrijving_en, doel,"
            " aanleiding, doorlooptijd, vertrouwelijkheidaanduiding, verlenging_mogelijk,"
            " product, indicatie_intern_of_extern, handeling_initiator, team)"
            " VALUES (:zaaktype, 'x', 'x', 'x', '', 'P4W', 'openbaar', 0, :product, 'extern',"
            " '', '')")
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
    zaken = [("ZAAK-1", "VERHUIZING", "e-formulier", "", "2026-03-10"),
             ("ZAAK-2", "VERHUIZING", "e-formulier", "gemachtigde", None),
             ("ZAAK-3", "TERUGBELVERZOEK", "medewerker karin", "", None)]
    with engine.begin() as connection:
        for zaaktype, product in (("VERHUIZING", "verhuizing-doorgeven"),
                                  ("TERUGBELVERZOEK", "terugbelverzoek")):
            connection.execute(text(ZAAKTYPE), dict(zaaktype=zaaktype, product=product))
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
