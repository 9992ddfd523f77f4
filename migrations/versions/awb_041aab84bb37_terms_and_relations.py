"""awb: legal terms suspended and extended (zaken.opschorting_*, verlenging_*), the longest
extension of a zaaktype (verlengingstermijn), and relations between zaken
(relevante_andere_zaken: an objection or complaint names the zaak it is about)

Revision ID: 041aab84bb37
Revises: da802c33a60c
Create Date: 2026-12-15 00:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '041aab84bb37'
down_revision = 'da802c33a60c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('zaaktypen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verlengingstermijn', sa.String(length=20), nullable=True))
    with op.batch_alter_table('zaken', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opschorting_indicatie', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('opschorting_reden', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('opgeschort_sinds', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('verlenging_duur', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('verlenging_reden', sa.String(length=200), nullable=False,
                                      server_default=''))
    # The model has no server defaults: the columns were filled for existing zaken above.
    with op.batch_alter_table('zaken', schema=None) as batch_op:
        batch_op.alter_column('opschorting_indicatie', server_default=None)
        batch_op.alter_column('opschorting_reden', server_default=None)
        batch_op.alter_column('verlenging_reden', server_default=None)
    op.create_table('relevante_andere_zaken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaak_id', sa.Integer(), nullable=False),
    sa.Column('andere_zaak_id', sa.Integer(), nullable=False),
    sa.Column('aard_relatie', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['andere_zaak_id'], ['zaken.id'],
                            name=op.f('fk_relevante_andere_zaken_andere_zaak_id_zaken')),
    sa.ForeignKeyConstraint(['zaak_id'], ['zaken.id'],
                            name=op.f('fk_relevante_andere_zaken_zaak_id_zaken')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relevante_andere_zaken'))
    )
    with op.batch_alter_table('relevante_andere_zaken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relevante_andere_zaken_zaak_id'), ['zaak_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_relevante_andere_zaken_andere_zaak_id'),
                              ['andere_zaak_id'], unique=False)


def downgrade() -> None:
    op.drop_table('relevante_andere_zaken')
    with op.batch_alter_table('zaken', schema=None) as batch_op:
        for column in ('verlenging_reden', 'verlenging_duur', 'opgeschort_sinds',
                       'opschorting_reden', 'opschorting_indicatie'):
            batch_op.drop_column(column)
    with op.batch_alter_table('zaaktypen', schema=None) as batch_op:
        batch_op.drop_column('verlengingstermijn')
