"""backoffice: one-time tokens of submitted back-office forms; indexes for the work queue

Revision ID: 4d5e6f7a8b90
Revises: e62ce94e644f
Create Date: 2026-11-29 22:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '4d5e6f7a8b90'
down_revision = 'e62ce94e644f'
branch_labels = None
# zaken (a1b2c3d4e5f6) and its team column (1a2b3c4d5e60) must be there for the indexes.
depends_on = ('a1b2c3d4e5f6', '1a2b3c4d5e60')


def upgrade() -> None:
    op.create_table('backoffice_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('zaak_identificatie', sa.String(length=40), nullable=False),
    sa.Column('staff_username', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backoffice_submissions')),
    sa.UniqueConstraint('token', name=op.f('uq_backoffice_submissions_token'))
    )
    op.create_index('ix_statussen_zaak_id_id', 'statussen', ['zaak_id', 'id'], unique=False)
    op.create_index('ix_zaken_einddatum_uiterlijke', 'zaken',
                    ['einddatum', 'uiterlijke_einddatum_afdoening'], unique=False)
    op.create_index('ix_zaken_team_einddatum_uiterlijke', 'zaken',
                    ['team', 'einddatum', 'uiterlijke_einddatum_afdoening'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_zaken_team_einddatum_uiterlijke', table_name='zaken')
    op.drop_index('ix_zaken_einddatum_uiterlijke', table_name='zaken')
    op.drop_index('ix_statussen_zaak_id_id', table_name='statussen')
    op.drop_table('backoffice_submissions')
