"""received_notifications: the inbox of ZGW notificaties

Revision ID: 8b9cad0e1f23
Revises: 6653b2c9c659
Create Date: 2026-12-10 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '8b9cad0e1f23'
down_revision = '6653b2c9c659'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('received_notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=64), nullable=False),
    sa.Column('kanaal', sa.String(length=50), nullable=False),
    sa.Column('hoofd_object', sa.Text(), nullable=False),
    sa.Column('resource', sa.String(length=100), nullable=False),
    sa.Column('resource_url', sa.Text(), nullable=False),
    sa.Column('actie', sa.String(length=100), nullable=False),
    sa.Column('aanmaakdatum', sa.DateTime(), nullable=False),
    sa.Column('kenmerken', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_by', sa.String(length=32), nullable=True),
    sa.Column('claimed_until', sa.DateTime(), nullable=True),
    sa.Column('processed_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_received_notifications')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_received_notifications_dedupe_key'))
    )
    with op.batch_alter_table('received_notifications', schema=None) as batch_op:
        batch_op.create_index('ix_received_notifications_status_next_attempt_at',
                              ['status', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('received_notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_received_notifications_status_next_attempt_at')

    op.drop_table('received_notifications')
