"""besluit: the ends of the Besluiten on a ZGW zaaksysteem that the reminders need
(zgw_ending_decisions, kept from the besluiten's notificaties)

Revision ID: b3s1u1t0e1nd
Revises: l0o5e1r2e3s4
Create Date: 2026-12-06 22:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'b3s1u1t0e1nd'
down_revision = 'l0o5e1r2e3s4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('zgw_ending_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('besluit_uuid', sa.String(length=36), nullable=False),
    sa.Column('zaak_identificatie', sa.String(length=40), nullable=False),
    sa.Column('zaaktype_url', sa.Text(), nullable=False),
    sa.Column('vervaldatum', sa.Date(), nullable=False),
    sa.Column('initiator_bsn', sa.String(length=9), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zgw_ending_decisions')),
    sa.UniqueConstraint('besluit_uuid', name=op.f('uq_zgw_ending_decisions_besluit_uuid'))
    )
    op.create_index(op.f('ix_zgw_ending_decisions_vervaldatum'), 'zgw_ending_decisions',
                    ['vervaldatum'], unique=False)
    op.create_index(op.f('ix_zgw_ending_decisions_zaak_identificatie'),
                    'zgw_ending_decisions', ['zaak_identificatie'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_zgw_ending_decisions_zaak_identificatie'),
                  table_name='zgw_ending_decisions')
    op.drop_index(op.f('ix_zgw_ending_decisions_vervaldatum'), table_name='zgw_ending_decisions')
    op.drop_table('zgw_ending_decisions')
