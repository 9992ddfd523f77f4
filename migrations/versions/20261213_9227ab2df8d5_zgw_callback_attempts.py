"""zgw_callback_attempts: the KCC's calls that did not reach the resident, on callbacks in a ZGW zaaksysteem (the portal's own data)

Revision ID: 9227ab2df8d5
Revises: 9c0dbe1f2a34
Create Date: 2026-12-13 00:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '9227ab2df8d5'
down_revision = '9c0dbe1f2a34'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('zgw_callback_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaak_uuid', sa.String(length=36), nullable=False),
    sa.Column('zaak_identificatie', sa.String(length=40), nullable=False),
    sa.Column('moment', sa.DateTime(), nullable=False),
    sa.Column('door', sa.String(length=200), nullable=False),
    sa.Column('notitie', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zgw_callback_attempts'))
    )
    with op.batch_alter_table('zgw_callback_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zgw_callback_attempts_zaak_uuid'),
                              ['zaak_uuid'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('zgw_callback_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zgw_callback_attempts_zaak_uuid'))
    op.drop_table('zgw_callback_attempts')
