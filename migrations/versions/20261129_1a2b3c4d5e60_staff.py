"""staff: staff members (back office access) and the team of zaaktypen and zaken

Revision ID: 1a2b3c4d5e60
Revises: e62ce94e644f
Create Date: 2026-11-29 21:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '1a2b3c4d5e60'
down_revision = 'e62ce94e644f'
branch_labels = None
depends_on = 'a1b2c3d4e5f6'


def upgrade() -> None:
    op.create_table('staff_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('naam', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('team', sa.String(length=50), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_members')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_members_username'))
    )
    # Existing rows get "" and then their zaaktype's team (set by the next `flask seed`
    # for the zaaktypen themselves).
    with op.batch_alter_table('zaaktypen') as batch_op:
        batch_op.add_column(sa.Column('team', sa.String(length=50), nullable=False, server_default=''))
    with op.batch_alter_table('zaken') as batch_op:
        batch_op.add_column(sa.Column('team', sa.String(length=50), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_zaken_team'), ['team'], unique=False)
    op.execute("UPDATE zaken SET team = (SELECT team FROM zaaktypen WHERE zaaktypen.id = zaken.zaaktype_id)")


def downgrade() -> None:
    with op.batch_alter_table('zaken') as batch_op:
        batch_op.drop_index(batch_op.f('ix_zaken_team'))
        batch_op.drop_column('team')
    with op.batch_alter_table('zaaktypen') as batch_op:
        batch_op.drop_column('team')
    op.drop_table('staff_members')
