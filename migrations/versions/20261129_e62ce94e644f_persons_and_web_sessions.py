"""persons and web sessions

Revision ID: e62ce94e644f
Revises: 
Create Date: 2026-11-29 17:36:34.840430
"""

import sqlalchemy as sa
from alembic import op

revision = 'e62ce94e644f'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('voornamen', sa.String(length=200), nullable=False),
    sa.Column('voorvoegsel', sa.String(length=20), nullable=False),
    sa.Column('geslachtsnaam', sa.String(length=200), nullable=False),
    sa.Column('geslacht', sa.String(length=20), nullable=False),
    sa.Column('geboortedatum', sa.Date(), nullable=False),
    sa.Column('geboorteplaats', sa.String(length=100), nullable=False),
    sa.Column('nationaliteit', sa.String(length=100), nullable=False),
    sa.Column('straat', sa.String(length=200), nullable=False),
    sa.Column('huisnummer', sa.Integer(), nullable=False),
    sa.Column('huisletter', sa.String(length=1), nullable=False),
    sa.Column('huisnummertoevoeging', sa.String(length=4), nullable=False),
    sa.Column('postcode', sa.String(length=7), nullable=False),
    sa.Column('woonplaats', sa.String(length=100), nullable=False),
    sa.Column('adres_sinds', sa.Date(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('telefoon', sa.String(length=30), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    sa.UniqueConstraint('bsn', name=op.f('uq_persons_bsn'))
    )
    op.create_table('web_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_web_sessions'))
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_created_at'), ['created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_created_at'))

    op.drop_table('web_sessions')
    op.drop_table('persons')
