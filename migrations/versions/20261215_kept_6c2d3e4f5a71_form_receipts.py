"""form_draft.receipt: what the receipt of a sent form says of its answers (app.eforms.receipt)

Revision ID: 6c2d3e4f5a71
Revises: 5b1c2d3e4f60
Create Date: 2026-12-15 00:00:01.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '6c2d3e4f5a71'
down_revision = '5b1c2d3e4f60'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipt', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.drop_column('receipt')
