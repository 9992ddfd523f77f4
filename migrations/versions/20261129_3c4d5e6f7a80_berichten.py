"""berichten: the resident's inbox (messages and their attachments)

Revision ID: 3c4d5e6f7a80
Revises: e62ce94e644f
Create Date: 2026-11-30 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '3c4d5e6f7a80'
down_revision = 'e62ce94e644f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('zaak_identificatie', sa.String(length=40), nullable=True),
    sa.Column('onderwerp', sa.String(length=200), nullable=False),
    sa.Column('onderwerp_en', sa.String(length=200), nullable=False),
    sa.Column('tekst', sa.Text(), nullable=False),
    sa.Column('tekst_en', sa.Text(), nullable=False),
    sa.Column('afzender', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('public_id', name=op.f('uq_messages_public_id'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_bsn_created_at', ['bsn', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_zaak_identificatie'), ['zaak_identificatie'], unique=False)
    op.create_table('message_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('bestandsnaam', sa.String(length=255), nullable=False),
    sa.Column('formaat', sa.String(length=100), nullable=False),
    sa.Column('bestandsomvang', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_message_attachments_message_id_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_attachments')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_message_attachments_storage_key'))
    )
    op.create_index(op.f('ix_message_attachments_message_id'), 'message_attachments', ['message_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_message_attachments_message_id'), table_name='message_attachments')
    op.drop_table('message_attachments')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_zaak_identificatie'))
        batch_op.drop_index('ix_messages_bsn_created_at')

    op.drop_table('messages')
