"""zaken API: partners, their hashed tokens, the audit log and idempotency keys

Revision ID: 2b3c4d5e6f70
Revises: e62ce94e644f
Create Date: 2026-11-29 20:15:33.819328
"""

import sqlalchemy as sa
from alembic import op

revision = '2b3c4d5e6f70'
down_revision = 'e62ce94e644f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('naam', sa.String(length=200), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('can_write', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_partners')),
    sa.UniqueConstraint('naam', name=op.f('uq_api_partners_naam'))
    )
    op.create_table('api_audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=255), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['api_partners.id'], name=op.f('fk_api_audit_entries_partner_id_api_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_audit_entries'))
    )
    with op.batch_alter_table('api_audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index('ix_api_audit_entries_partner_id_at', ['partner_id', 'at'], unique=False)

    op.create_table('api_idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response_body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['api_partners.id'], name=op.f('fk_api_idempotency_keys_partner_id_api_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_idempotency_keys')),
    sa.UniqueConstraint('partner_id', 'key', name=op.f('uq_api_idempotency_keys_partner_id'))
    )
    with op.batch_alter_table('api_idempotency_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_idempotency_keys_created_at'), ['created_at'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['api_partners.id'], name=op.f('fk_api_tokens_partner_id_api_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_partner_id'), ['partner_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_partner_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('api_idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_idempotency_keys_created_at'))

    op.drop_table('api_idempotency_keys')
    with op.batch_alter_table('api_audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_api_audit_entries_partner_id_at')
        batch_op.drop_index(batch_op.f('ix_api_audit_entries_at'))

    op.drop_table('api_audit_entries')
    op.drop_table('api_partners')
