"""zgw_document_requests: document requests on zaken in a ZGW zaaksysteem (the portal's own data)

Revision ID: 9c0dbe1f2a34
Revises: 8b9cad0e1f23
Create Date: 2026-12-12 00:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '9c0dbe1f2a34'
down_revision = '8b9cad0e1f23'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('zgw_document_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zaak_identificatie', sa.String(length=40), nullable=False),
    sa.Column('omschrijving', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('fulfilled_at', sa.DateTime(), nullable=True),
    sa.Column('document_uuid', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zgw_document_requests'))
    )
    with op.batch_alter_table('zgw_document_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zgw_document_requests_zaak_identificatie'),
                              ['zaak_identificatie'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('zgw_document_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zgw_document_requests_zaak_identificatie'))
    op.drop_table('zgw_document_requests')
