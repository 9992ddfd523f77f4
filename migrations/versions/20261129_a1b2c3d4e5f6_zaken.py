"""zaken: catalogi (zaaktypen, statustypen, resultaattypen), zaken, statussen, rollen,
resultaten, documenten and the zaaknummer counter

Revision ID: a1b2c3d4e5f6
Revises: e62ce94e644f
Create Date: 2026-11-29 18:02:37.624590
"""

import sqlalchemy as sa
from alembic import op

revision = 'a1b2c3d4e5f6'
down_revision = 'e62ce94e644f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('zaaknummer_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_zaaknummer_counters'))
    )
    op.create_table('zaaktypen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('identificatie', sa.String(length=50), nullable=False),
    sa.Column('omschrijving', sa.String(length=200), nullable=False),
    sa.Column('omschrijving_en', sa.String(length=200), nullable=False),
    sa.Column('doel', sa.Text(), nullable=False),
    sa.Column('aanleiding', sa.Text(), nullable=False),
    sa.Column('doorlooptijd', sa.String(length=20), nullable=False),
    sa.Column('servicenorm', sa.String(length=20), nullable=True),
    sa.Column('vertrouwelijkheidaanduiding', sa.String(length=20), nullable=False),
    sa.Column('verlenging_mogelijk', sa.Boolean(), nullable=False),
    sa.Column('product', sa.String(length=100), nullable=False),
    sa.Column('indicatie_intern_of_extern', sa.String(length=10), nullable=False),
    sa.Column('handeling_initiator', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zaaktypen')),
    sa.UniqueConstraint('identificatie', name=op.f('uq_zaaktypen_identificatie'))
    )
    op.create_table('resultaattypen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaaktype_id', sa.Integer(), nullable=False),
    sa.Column('omschrijving', sa.String(length=100), nullable=False),
    sa.Column('omschrijving_en', sa.String(length=100), nullable=False),
    sa.Column('toelichting', sa.Text(), nullable=False),
    sa.Column('toelichting_en', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['zaaktype_id'], ['zaaktypen.id'], name=op.f('fk_resultaattypen_zaaktype_id_zaaktypen')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resultaattypen')),
    sa.UniqueConstraint('zaaktype_id', 'omschrijving', name=op.f('uq_resultaattypen_zaaktype_id'))
    )
    op.create_table('statustypen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaaktype_id', sa.Integer(), nullable=False),
    sa.Column('volgnummer', sa.Integer(), nullable=False),
    sa.Column('omschrijving', sa.String(length=100), nullable=False),
    sa.Column('omschrijving_en', sa.String(length=100), nullable=False),
    sa.Column('statustekst', sa.Text(), nullable=False),
    sa.Column('statustekst_en', sa.Text(), nullable=False),
    sa.Column('informeren', sa.Boolean(), nullable=False),
    sa.Column('is_eindstatus', sa.Boolean(), nullable=False),
    sa.Column('zichtbaar_voor_inwoner', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['zaaktype_id'], ['zaaktypen.id'], name=op.f('fk_statustypen_zaaktype_id_zaaktypen')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statustypen')),
    sa.UniqueConstraint('zaaktype_id', 'volgnummer', name=op.f('uq_statustypen_zaaktype_id'))
    )
    op.create_table('zaken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('identificatie', sa.String(length=40), nullable=False),
    sa.Column('zaaktype_id', sa.Integer(), nullable=False),
    sa.Column('omschrijving', sa.String(length=200), nullable=False),
    sa.Column('toelichting', sa.Text(), nullable=False),
    sa.Column('registratiedatum', sa.Date(), nullable=False),
    sa.Column('startdatum', sa.Date(), nullable=False),
    sa.Column('einddatum', sa.Date(), nullable=True),
    sa.Column('einddatum_gepland', sa.Date(), nullable=True),
    sa.Column('uiterlijke_einddatum_afdoening', sa.Date(), nullable=False),
    sa.Column('vertrouwelijkheidaanduiding', sa.String(length=20), nullable=False),
    sa.Column('aanvraaggegevens', sa.JSON(), nullable=False),
    sa.Column('kenmerken', sa.JSON(), nullable=False),
    sa.Column('registered_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['zaaktype_id'], ['zaaktypen.id'], name=op.f('fk_zaken_zaaktype_id_zaaktypen')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zaken')),
    sa.UniqueConstraint('identificatie', name=op.f('uq_zaken_identificatie'))
    )
    with op.batch_alter_table('zaken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zaken_zaaktype_id'), ['zaaktype_id'], unique=False)

    op.create_table('resultaten',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaak_id', sa.Integer(), nullable=False),
    sa.Column('resultaattype_id', sa.Integer(), nullable=False),
    sa.Column('toelichting', sa.Text(), nullable=False),
    sa.Column('datum', sa.DateTime(), nullable=False),
    sa.Column('gezet_door', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['resultaattype_id'], ['resultaattypen.id'], name=op.f('fk_resultaten_resultaattype_id_resultaattypen')),
    sa.ForeignKeyConstraint(['zaak_id'], ['zaken.id'], name=op.f('fk_resultaten_zaak_id_zaken')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resultaten')),
    sa.UniqueConstraint('zaak_id', name=op.f('uq_resultaten_zaak_id'))
    )
    op.create_table('rollen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaak_id', sa.Integer(), nullable=False),
    sa.Column('betrokkene_type', sa.String(length=30), nullable=False),
    sa.Column('omschrijving_generiek', sa.String(length=30), nullable=False),
    sa.Column('inp_bsn', sa.String(length=9), nullable=True),
    sa.Column('naam', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('telefoon', sa.String(length=30), nullable=False),
    sa.Column('adres', sa.String(length=300), nullable=False),
    sa.Column('indicatie_machtiging', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['zaak_id'], ['zaken.id'], name=op.f('fk_rollen_zaak_id_zaken')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rollen'))
    )
    with op.batch_alter_table('rollen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rollen_inp_bsn'), ['inp_bsn'], unique=False)
        batch_op.create_index(batch_op.f('ix_rollen_zaak_id'), ['zaak_id'], unique=False)

    op.create_table('statussen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaak_id', sa.Integer(), nullable=False),
    sa.Column('statustype_id', sa.Integer(), nullable=False),
    sa.Column('datum_status_gezet', sa.DateTime(), nullable=False),
    sa.Column('statustoelichting', sa.Text(), nullable=False),
    sa.Column('gezet_door', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['statustype_id'], ['statustypen.id'], name=op.f('fk_statussen_statustype_id_statustypen')),
    sa.ForeignKeyConstraint(['zaak_id'], ['zaken.id'], name=op.f('fk_statussen_zaak_id_zaken')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statussen'))
    )
    with op.batch_alter_table('statussen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statussen_zaak_id'), ['zaak_id'], unique=False)

    op.create_table('zaak_documenten',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaak_id', sa.Integer(), nullable=False),
    sa.Column('titel', sa.String(length=200), nullable=False),
    sa.Column('bestandsnaam', sa.String(length=255), nullable=False),
    sa.Column('formaat', sa.String(length=100), nullable=False),
    sa.Column('bestandsomvang', sa.Integer(), nullable=False),
    sa.Column('vertrouwelijkheidaanduiding', sa.String(length=20), nullable=False),
    sa.Column('creatiedatum', sa.Date(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['zaak_id'], ['zaken.id'], name=op.f('fk_zaak_documenten_zaak_id_zaken')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zaak_documenten')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_zaak_documenten_storage_key'))
    )
    with op.batch_alter_table('zaak_documenten', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zaak_documenten_zaak_id'), ['zaak_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('zaak_documenten', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zaak_documenten_zaak_id'))

    op.drop_table('zaak_documenten')
    with op.batch_alter_table('statussen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statussen_zaak_id'))

    op.drop_table('statussen')
    with op.batch_alter_table('rollen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rollen_zaak_id'))
        batch_op.drop_index(batch_op.f('ix_rollen_inp_bsn'))

    op.drop_table('rollen')
    op.drop_table('resultaten')
    with op.batch_alter_table('zaken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zaken_zaaktype_id'))

    op.drop_table('zaken')
    op.drop_table('statustypen')
    op.drop_table('resultaattypen')
    op.drop_table('zaaktypen')
    op.drop_table('zaaknummer_counters')
