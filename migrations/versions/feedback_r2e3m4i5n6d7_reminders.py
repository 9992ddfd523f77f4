"""reminders: residents who switched reminders off, a resultaattype's geldigheid and the
vervaldatum of a zaak's result (what the decision grants ends then)

Revision ID: r2e3m4i5n6d7
Revises: a1c3e5f7b901
Create Date: 2026-12-06 22:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'r2e3m4i5n6d7'
down_revision = 'a1c3e5f7b901'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reminder_opt_outs',
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('since', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('bsn', name=op.f('pk_reminder_opt_outs'))
    )
    with op.batch_alter_table('resultaattypen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('geldigheid', sa.String(length=20), nullable=True))
    with op.batch_alter_table('resultaten', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vervaldatum', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_resultaten_vervaldatum'), ['vervaldatum'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('resultaten', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resultaten_vervaldatum'))
        batch_op.drop_column('vervaldatum')
    with op.batch_alter_table('resultaattypen', schema=None) as batch_op:
        batch_op.drop_column('geldigheid')
    op.drop_table('reminder_opt_outs')
