"""used_form_tokens: the one-time tokens of visitors' forms that acted (app.once), so a
form sent twice at once acts once

Revision ID: e0c65ae8d6fd
Revises: 9227ab2df8d5
Create Date: 2026-12-14 00:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'e0c65ae8d6fd'
down_revision = '9227ab2df8d5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('used_form_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=64), nullable=True),
    sa.Column('used_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_used_form_tokens'))
    )
    with op.batch_alter_table('used_form_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_used_form_tokens_used_at'), ['used_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('used_form_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_used_form_tokens_used_at'))
    op.drop_table('used_form_tokens')
