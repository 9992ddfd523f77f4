"""kept_inputs: what a resident typed and had not sent when their session ended, until they
log in again (app.auth.kept)

Revision ID: 5b1c2d3e4f60
Revises: da802c33a60c
Create Date: 2026-12-15 00:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '5b1c2d3e4f60'
down_revision = 'da802c33a60c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kept_inputs',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=2000), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('session_state', sa.JSON(), nullable=False),
    sa.Column('files_left_out', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_kept_inputs'))
    )
    with op.batch_alter_table('kept_inputs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_inputs_expires_at'), ['expires_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('kept_inputs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_inputs_expires_at'))
    op.drop_table('kept_inputs')
