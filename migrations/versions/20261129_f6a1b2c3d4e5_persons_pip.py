"""persons pip: verstrekkingen (disclosure log) and contact email verification

Revision ID: f6a1b2c3d4e5
Revises: e62ce94e644f
Create Date: 2026-11-29 19:00:11.403210
"""

import sqlalchemy as sa
from alembic import op

revision = 'f6a1b2c3d4e5'
down_revision = 'e62ce94e644f'
branch_labels = None
depends_on = 'a1b2c3d4e5f6'


def upgrade() -> None:
    op.create_table('contact_verifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('code_salt', sa.String(length=32), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_verifications')),
    sa.UniqueConstraint('bsn', name=op.f('uq_contact_verifications_bsn'))
    )
    op.create_table('disclosures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('disclosed_at', sa.DateTime(), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.String(length=300), nullable=False),
    sa.Column('zaak_identificatie', sa.String(length=40), nullable=True),
    sa.Column('data_categories', sa.JSON(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosures'))
    )
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.create_index('ix_disclosures_bsn_disclosed_at', ['bsn', 'disclosed_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.drop_index('ix_disclosures_bsn_disclosed_at')

    op.drop_table('disclosures')
    op.drop_table('contact_verifications')
