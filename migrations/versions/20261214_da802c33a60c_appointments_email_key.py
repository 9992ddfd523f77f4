"""appointments.email_key: the normalised email address the limits per resident count by
(app.appointments.services.email_key)

Revision ID: da802c33a60c
Revises: e0c65ae8d6fd
Create Date: 2026-12-14 00:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'da802c33a60c'
down_revision = 'e0c65ae8d6fd'
branch_labels = None
depends_on = 'd4e5f6a1b2c3'  # appointments

_appointments = sa.table('appointments', sa.column('id', sa.Integer()),
                         sa.column('email', sa.String()), sa.column('email_key', sa.String()))


def upgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_key', sa.String(length=254), nullable=True))
        batch_op.create_index('ix_appointments_email_key_starts_at', ['email_key', 'starts_at'],
                              unique=False)
    # The appointments booked before: their key as the booking code makes it today (a
    # migration keeps its own copy: the code may change after it).
    connection = op.get_bind()
    rows = connection.execute(sa.select(_appointments.c.id, _appointments.c.email)
                              .where(_appointments.c.email != '')).all()
    if rows:
        connection.execute(
            _appointments.update().where(_appointments.c.id == sa.bindparam('row_id'))
            .values(email_key=sa.bindparam('key')),
            [{'row_id': row_id, 'key': _email_key(email)} for row_id, email in rows])


def _email_key(email: str) -> str:
    local, _, domain = email.strip().lower().rpartition('@')
    local = local.split('+', 1)[0]
    if domain in ('gmail.com', 'googlemail.com'):
        local, domain = local.replace('.', ''), 'gmail.com'
    return f'{local}@{domain}'


def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_email_key_starts_at')
        batch_op.drop_column('email_key')
