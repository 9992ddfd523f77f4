"""persons: contact preferences in a table of the portal's own

Revision ID: 7a8b9cab0c12
Revises: 6f7a8b9cab01
Create Date: 2026-11-30 07:00:00.000000

The email address and phone number a resident gives in Mijn gegevens are not BRP data:
they move from the persons table (the SQL stand-in for the BRP) to contact_preferences,
kept by BSN, so a Haal Centraal persons source leaves them where they are.
"""

import sqlalchemy as sa
from alembic import op

revision = '7a8b9cab0c12'
down_revision = '6f7a8b9cab01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'contact_preferences',
        sa.Column('bsn', sa.String(length=9), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('telefoon', sa.String(length=30), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('bsn', name=op.f('pk_contact_preferences')),
    )
    op.execute("INSERT INTO contact_preferences (bsn, email, telefoon, updated_at) "
               "SELECT bsn, email, telefoon, CURRENT_TIMESTAMP FROM persons "
               "WHERE email <> '' OR telefoon <> ''")
    with op.batch_alter_table('persons') as batch_op:
        batch_op.drop_column('telefoon')
        batch_op.drop_column('email')


def downgrade() -> None:
    with op.batch_alter_table('persons') as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('telefoon', sa.String(length=30), nullable=False,
                                      server_default=''))
    op.execute("UPDATE persons SET "
               "email = (SELECT c.email FROM contact_preferences c WHERE c.bsn = persons.bsn), "
               "telefoon = (SELECT c.telefoon FROM contact_preferences c "
               "WHERE c.bsn = persons.bsn) "
               "WHERE bsn IN (SELECT bsn FROM contact_preferences)")
    op.drop_table('contact_preferences')
