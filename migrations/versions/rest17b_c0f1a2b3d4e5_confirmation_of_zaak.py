"""the confirmation of a zaak, found by its zaaknummer (the back office's zaak page and the
rule that holds the zaak until the partner confirms; app.eforms.confirmations)

Revision ID: rest17b0c0nf1
Revises: c0f1a2b3d4e5
Create Date: 2026-12-06 22:15:00.000000
"""

from alembic import op

revision = 'rest17b0c0nf1'
down_revision = 'c0f1a2b3d4e5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_form_confirmations_zaak', 'form_confirmations', ['zaak'], unique=False)
    op.create_index('ix_form_registrations_zaaknummer', 'form_registrations', ['zaaknummer'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_form_registrations_zaaknummer', table_name='form_registrations')
    op.drop_index('ix_form_confirmations_zaak', table_name='form_confirmations')
