"""form_registrations.loa: the DigiD level of the login that sent the form, for the rol's
authenticatieContext in the zaaksysteem

Revision ID: 844a32bb2088
Revises: ad1ecf2b3c45
Create Date: 2026-12-13 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '844a32bb2088'
down_revision = 'ad1ecf2b3c45'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('form_registrations') as batch_op:
        batch_op.add_column(sa.Column('loa', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('form_registrations') as batch_op:
        batch_op.drop_column('loa')
