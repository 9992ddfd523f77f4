"""gesprek: two-way contact. Message threads, and a message's direction and staff read mark.

Existing messages stay one-way messages from the municipality (thread_id NULL, direction
"gemeente"): none of them was part of a conversation. A thread starts when the resident
first writes (an answer to one of them, or a question about a zaak).

Revision ID: a1c3e5f7b901
Revises: f1e2d3c4b5a6
Create Date: 2026-12-06 21:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'a1c3e5f7b901'
down_revision = 'f1e2d3c4b5a6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('message_threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('zaak_identificatie', sa.String(length=40), nullable=False),
    sa.Column('onderwerp', sa.String(length=200), nullable=False),
    sa.Column('team', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('waiting_since', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_threads')),
    sa.UniqueConstraint('bsn', 'zaak_identificatie', 'onderwerp',
                        name=op.f('uq_message_threads_bsn')),
    sa.UniqueConstraint('public_id', name=op.f('uq_message_threads_public_id'))
    )
    op.create_index('ix_message_threads_team_waiting_since', 'message_threads',
                    ['team', 'waiting_since'], unique=False)
    op.create_index('ix_message_threads_waiting_since', 'message_threads', ['waiting_since'],
                    unique=False)
    op.create_index('ix_message_threads_zaak_identificatie', 'message_threads',
                    ['zaak_identificatie'], unique=False)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thread_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('direction', sa.String(length=10),
                                      server_default='gemeente', nullable=False))
        batch_op.add_column(sa.Column('staff_read_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_messages_thread_id'), ['thread_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_messages_thread_id_message_threads'),
                                    'message_threads', ['thread_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_messages_thread_id_message_threads'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_messages_thread_id'))
        batch_op.drop_column('staff_read_at')
        batch_op.drop_column('direction')
        batch_op.drop_column('thread_id')
    op.drop_index('ix_message_threads_zaak_identificatie', table_name='message_threads')
    op.drop_index('ix_message_threads_waiting_since', table_name='message_threads')
    op.drop_index('ix_message_threads_team_waiting_since', table_name='message_threads')
    op.drop_table('message_threads')
