"""form_registrations: submitted forms the worker registers in a remote zaaksysteem

Revision ID: ad1ecf2b3c45
Revises: 8b9cad0e1f23
Create Date: 2026-12-11 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'ad1ecf2b3c45'
down_revision = '8b9cad0e1f23'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('form_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.String(length=64), nullable=False),
    sa.Column('form_slug', sa.String(length=64), nullable=False),
    sa.Column('zaaktype', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('initiator', sa.JSON(), nullable=False),
    sa.Column('initiator_bsn', sa.String(length=9), nullable=True),
    sa.Column('gemachtigde_naam', sa.String(length=200), nullable=True),
    sa.Column('gemachtigde_bsn', sa.String(length=9), nullable=True),
    sa.Column('omschrijving', sa.String(length=200), nullable=False),
    sa.Column('kenmerken', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('uploads', sa.JSON(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('confirmation_to', sa.String(length=254), nullable=True),
    sa.Column('zaaknummer', sa.String(length=40), nullable=True),
    sa.Column('document_urls', sa.JSON(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_by', sa.String(length=32), nullable=True),
    sa.Column('claimed_until', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_registrations')),
    sa.UniqueConstraint('draft_id', name=op.f('uq_form_registrations_draft_id'))
    )
    with op.batch_alter_table('form_registrations', schema=None) as batch_op:
        batch_op.create_index('ix_form_registrations_initiator_bsn_status',
                              ['initiator_bsn', 'status'], unique=False)
        batch_op.create_index('ix_form_registrations_status_next_attempt_at',
                              ['status', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('form_registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_form_registrations_status_next_attempt_at')
        batch_op.drop_index('ix_form_registrations_initiator_bsn_status')

    op.drop_table('form_registrations')
