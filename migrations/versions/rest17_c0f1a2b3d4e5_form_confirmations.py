"""form_confirmations: a sent form waiting for a second person's DigiD confirmation (the
partner of a marriage notice; app.eforms.confirmations)

Revision ID: c0f1a2b3d4e5
Revises: kanaal0c0ntac
Create Date: 2026-12-06 21:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'c0f1a2b3d4e5'
down_revision = 'kanaal0c0ntac'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'form_confirmations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=64), nullable=False),
        sa.Column('draft_id', sa.String(length=64), nullable=False),
        sa.Column('form_slug', sa.String(length=64), nullable=False),
        sa.Column('zaak', sa.String(length=40), nullable=False),
        sa.Column('requester_bsn', sa.String(length=9), nullable=False),
        sa.Column('requester_naam', sa.String(length=200), nullable=False),
        sa.Column('confirmer_bsn', sa.String(length=9), nullable=False),
        sa.Column('shown', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('answer', sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_form_confirmations')),
        sa.UniqueConstraint('draft_id', name=op.f('uq_form_confirmations_draft_id')),
        sa.UniqueConstraint('public_id', name=op.f('uq_form_confirmations_public_id')),
    )
    op.create_index('ix_form_confirmations_confirmer_bsn_answered_at', 'form_confirmations',
                    ['confirmer_bsn', 'answered_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_form_confirmations_confirmer_bsn_answered_at',
                  table_name='form_confirmations')
    op.drop_table('form_confirmations')
