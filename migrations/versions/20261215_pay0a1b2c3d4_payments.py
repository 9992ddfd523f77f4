"""payments: online payments of forms with a fee (app.payments), the zaak's
betalingsindicatie and laatste_betaaldatum, and the payment a waiting registration carries

Revision ID: pay0a1b2c3d4
Revises: 844a32bb2088
Create Date: 2026-12-15 00:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'pay0a1b2c3d4'
down_revision = '844a32bb2088'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('draft_id', sa.String(length=64), nullable=False),
    sa.Column('form_slug', sa.String(length=64), nullable=False),
    sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('provider_id', sa.String(length=64), nullable=True),
    sa.Column('checkout_url', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('next_check_at', sa.DateTime(), nullable=False),
    sa.Column('loa', sa.Integer(), nullable=True),
    sa.Column('gemachtigde_naam', sa.String(length=200), nullable=True),
    sa.Column('gemachtigde_bsn', sa.String(length=9), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('refund_status', sa.String(length=20), nullable=True),
    sa.Column('refund_reason', sa.String(length=20), nullable=True),
    sa.Column('refund_id', sa.String(length=64), nullable=True),
    sa.Column('refund_requested_at', sa.DateTime(), nullable=True),
    sa.Column('refunded_at', sa.DateTime(), nullable=True),
    sa.Column('refund_attempts', sa.Integer(), nullable=False),
    sa.Column('refund_next_attempt_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('provider_id', name=op.f('uq_payments_provider_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_payments_reference'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index('ix_payments_refund_status', ['refund_status'], unique=False)
        batch_op.create_index('ix_payments_status_next_check_at', ['status', 'next_check_at'],
                              unique=False)
    with op.batch_alter_table('zaken', schema=None) as batch_op:
        batch_op.add_column(sa.Column('betalingsindicatie', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('laatste_betaaldatum', sa.DateTime(), nullable=True))
    with op.batch_alter_table('form_registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('betaling', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('form_registrations', schema=None) as batch_op:
        batch_op.drop_column('betaling')
    with op.batch_alter_table('zaken', schema=None) as batch_op:
        batch_op.drop_column('laatste_betaaldatum')
        batch_op.drop_column('betalingsindicatie')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index('ix_payments_status_next_check_at')
        batch_op.drop_index('ix_payments_refund_status')
        batch_op.drop_index(batch_op.f('ix_payments_draft_id'))
    op.drop_table('payments')
