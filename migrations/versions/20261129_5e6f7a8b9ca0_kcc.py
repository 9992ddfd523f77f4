"""kcc: indexes for finding a resident (birth date; postcode + huisnummer) and for the balie
agenda's follow-up list

Revision ID: 5e6f7a8b9ca0
Revises: e62ce94e644f
Create Date: 2026-11-29 23:00:00.000000
"""

from alembic import op

revision = '5e6f7a8b9ca0'
down_revision = 'e62ce94e644f'
branch_labels = None
# persons is in the base revision; appointments (d4e5f6a1b2c3) must be there too.
depends_on = 'd4e5f6a1b2c3'


def upgrade() -> None:
    op.create_index('ix_persons_geboortedatum', 'persons', ['geboortedatum'], unique=False)
    op.create_index('ix_persons_postcode_huisnummer', 'persons', ['postcode', 'huisnummer'],
                    unique=False)
    op.create_index('ix_appointments_location_follow_up_starts_at', 'appointments',
                    ['location', 'needs_follow_up', 'starts_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_appointments_location_follow_up_starts_at', table_name='appointments')
    op.drop_index('ix_persons_postcode_huisnummer', table_name='persons')
    op.drop_index('ix_persons_geboortedatum', table_name='persons')
