"""messages.dedupe_key: one message per event (a status), however often it is announced

Revision ID: 4d5e6f7a8b91
Revises: 3c4d5e6f7a80
Create Date: 2026-12-06 00:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '4d5e6f7a8b91'
down_revision = '3c4d5e6f7a80'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=300), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_messages_dedupe_key'), ['dedupe_key'])


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_messages_dedupe_key'), type_='unique')
        batch_op.drop_column('dedupe_key')
