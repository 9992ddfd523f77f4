"""document requests: the municipality asks the initiator of a zaak for a document

Revision ID: a9b8c7d6e5f4
Revises: e62ce94e644f
Create Date: 2026-11-29 20:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'a9b8c7d6e5f4'
down_revision = 'e62ce94e644f'
branch_labels = None
depends_on = 'a1b2c3d4e5f6'


def upgrade() -> None:
    op.create_table('zaak_document_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaak_id', sa.Integer(), nullable=False),
    sa.Column('omschrijving', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('fulfilled_at', sa.DateTime(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['zaak_documenten.id'], name=op.f('fk_zaak_document_requests_document_id_zaak_documenten')),
    sa.ForeignKeyConstraint(['zaak_id'], ['zaken.id'], name=op.f('fk_zaak_document_requests_zaak_id_zaken')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zaak_document_requests'))
    )
    op.create_index(op.f('ix_zaak_document_requests_zaak_id'), 'zaak_document_requests', ['zaak_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_zaak_document_requests_zaak_id'), table_name='zaak_document_requests')
    op.drop_table('zaak_document_requests')
