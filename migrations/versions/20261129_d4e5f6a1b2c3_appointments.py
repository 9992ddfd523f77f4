"""appointments

Revision ID: d4e5f6a1b2c3
Revises: e62ce94e644f
Create Date: 2026-11-29 18:01:27.580193
"""

import sqlalchemy as sa
from alembic import op

revision = 'd4e5f6a1b2c3'
down_revision = 'e62ce94e644f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('appointment_desks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=60), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_desks')),
    sa.UniqueConstraint('location', 'code', name=op.f('uq_appointment_desks_location'))
    )
    op.create_table('appointment_desk_blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['appointment_desks.id'], name=op.f('fk_appointment_desk_blocks_desk_id_appointment_desks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_desk_blocks'))
    )
    with op.batch_alter_table('appointment_desk_blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_desk_blocks_desk_id'), ['desk_id'], unique=False)

    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('location', sa.String(length=60), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('products', sa.JSON(), nullable=False),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('needs_follow_up', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['appointment_desks.id'], name=op.f('fk_appointments_desk_id_appointment_desks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_appointments_idempotency_key')),
    sa.UniqueConstraint('public_id', name=op.f('uq_appointments_public_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_appointments_reference'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index('ix_appointments_bsn_starts_at', ['bsn', 'starts_at'], unique=False)
        batch_op.create_index('ix_appointments_email_starts_at', ['email', 'starts_at'], unique=False)
        batch_op.create_index('ix_appointments_location_starts_at', ['location', 'starts_at'], unique=False)

    op.create_table('appointment_desk_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('slot_start', sa.DateTime(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_appointment_desk_slots_appointment_id_appointments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['block_id'], ['appointment_desk_blocks.id'], name=op.f('fk_appointment_desk_slots_block_id_appointment_desk_blocks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['desk_id'], ['appointment_desks.id'], name=op.f('fk_appointment_desk_slots_desk_id_appointment_desks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_desk_slots')),
    sa.UniqueConstraint('desk_id', 'slot_start', name=op.f('uq_appointment_desk_slots_desk_id'))
    )
    with op.batch_alter_table('appointment_desk_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_desk_slots_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointment_desk_slots_block_id'), ['block_id'], unique=False)
        batch_op.create_index('ix_appointment_desk_slots_slot_start', ['slot_start'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('appointment_desk_slots', schema=None) as batch_op:
        batch_op.drop_index('ix_appointment_desk_slots_slot_start')
        batch_op.drop_index(batch_op.f('ix_appointment_desk_slots_block_id'))
        batch_op.drop_index(batch_op.f('ix_appointment_desk_slots_appointment_id'))

    op.drop_table('appointment_desk_slots')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_location_starts_at')
        batch_op.drop_index('ix_appointments_email_starts_at')
        batch_op.drop_index('ix_appointments_bsn_starts_at')

    op.drop_table('appointments')
    with op.batch_alter_table('appointment_desk_blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointment_desk_blocks_desk_id'))

    op.drop_table('appointment_desk_blocks')
    op.drop_table('appointment_desks')
