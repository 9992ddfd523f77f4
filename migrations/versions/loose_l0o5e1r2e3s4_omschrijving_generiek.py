"""loose: a resultaattype's omschrijving_generiek (ZGW omschrijvingGeneriek), which says
whether the result lets the application go ahead

Revision ID: l0o5e1r2e3s4
Revises: rest17b0c0nf1
Create Date: 2026-12-06 22:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'l0o5e1r2e3s4'
down_revision = 'rest17b0c0nf1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('resultaattypen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('omschrijving_generiek', sa.String(length=40),
                                      nullable=False, server_default=''))
    # The catalogue file's default (app.zaken.catalogi): the Dutch name is the generic one
    # unless the file says otherwise; the next `flask seed` sets the file's own.
    op.execute("UPDATE resultaattypen SET omschrijving_generiek = SUBSTR(omschrijving, 1, 40)")
    with op.batch_alter_table('resultaattypen', schema=None) as batch_op:
        batch_op.alter_column('omschrijving_generiek', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('resultaattypen', schema=None) as batch_op:
        batch_op.drop_column('omschrijving_generiek')
