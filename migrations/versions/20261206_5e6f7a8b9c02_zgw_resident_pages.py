"""zgw_resident_pages: a resident's Mijn zaken pages from a ZGW zaaksysteem, kept briefly

Revision ID: 5e6f7a8b9c02
Revises: 4d5e6f7a8b91
Create Date: 2026-12-06 00:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '5e6f7a8b9c02'
down_revision = '4d5e6f7a8b91'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('zgw_resident_pages',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('resident_key', sa.String(length=64), nullable=False),
    sa.Column('page', sa.JSON(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_zgw_resident_pages'))
    )
    with op.batch_alter_table('zgw_resident_pages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zgw_resident_pages_resident_key'), ['resident_key'],
                              unique=False)
    op.create_table('zgw_resident_page_zaken',
    sa.Column('page_key', sa.String(length=120), nullable=False),
    sa.Column('zaak_url', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['page_key'], ['zgw_resident_pages.key'],
                            name=op.f('fk_zgw_resident_page_zaken_page_key_zgw_resident_pages'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('page_key', 'zaak_url', name=op.f('pk_zgw_resident_page_zaken'))
    )
    with op.batch_alter_table('zgw_resident_page_zaken', schema=None) as batch_op:
        batch_op.create_index('ix_zgw_resident_page_zaken_zaak_url', ['zaak_url'], unique=False)


def downgrade() -> None:
    op.drop_table('zgw_resident_page_zaken')
    with op.batch_alter_table('zgw_resident_pages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zgw_resident_pages_resident_key'))
    op.drop_table('zgw_resident_pages')
