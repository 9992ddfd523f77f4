"""regie: a zaak's contact person (regievoerder): a rol behandelaar of a medewerker
(rollen.betrokkene_identificatie, rollen.functie, one per zaak), the portal's own record of
one on a ZGW zaaksysteem without a roltype for it (zgw_contact_persons), and a staff
member's direct phone number (staff_members.telefoon)

Revision ID: c0a1b2c3d4e5
Revises: r2e3m4i5n6d7
Create Date: 2026-12-06 21:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'c0a1b2c3d4e5'
down_revision = 'r2e3m4i5n6d7'
branch_labels = None
depends_on = None

IS_CONTACT_PERSON = "omschrijving_generiek = 'behandelaar' AND betrokkene_type = 'medewerker'"


def upgrade() -> None:
    with op.batch_alter_table('rollen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('betrokkene_identificatie', sa.String(length=128),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('functie', sa.String(length=50), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('staff_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('telefoon', sa.String(length=20), nullable=False,
                                      server_default=''))
    # The model has no server defaults: the columns were filled for existing rows above.
    with op.batch_alter_table('rollen', schema=None) as batch_op:
        batch_op.alter_column('betrokkene_identificatie', server_default=None)
        batch_op.alter_column('functie', server_default=None)
    with op.batch_alter_table('staff_members', schema=None) as batch_op:
        batch_op.alter_column('telefoon', server_default=None)
    op.create_index('uq_rollen_contact_person', 'rollen', ['zaak_id'], unique=True,
                    sqlite_where=sa.text(IS_CONTACT_PERSON),
                    postgresql_where=sa.text(IS_CONTACT_PERSON))
    op.create_table('zgw_contact_persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaak_uuid', sa.String(length=36), nullable=False),
    sa.Column('zaak_identificatie', sa.String(length=40), nullable=False),
    sa.Column('medewerker', sa.String(length=128), nullable=False),
    sa.Column('naam', sa.String(length=200), nullable=False),
    sa.Column('team', sa.String(length=50), nullable=False),
    sa.Column('telefoon', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('door', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zgw_contact_persons')),
    sa.UniqueConstraint('zaak_uuid', name=op.f('uq_zgw_contact_persons_zaak_uuid'))
    )


def downgrade() -> None:
    op.drop_table('zgw_contact_persons')
    op.drop_index('uq_rollen_contact_person', table_name='rollen')
    with op.batch_alter_table('staff_members', schema=None) as batch_op:
        batch_op.drop_column('telefoon')
    with op.batch_alter_table('rollen', schema=None) as batch_op:
        batch_op.drop_column('functie')
        batch_op.drop_column('betrokkene_identificatie')
