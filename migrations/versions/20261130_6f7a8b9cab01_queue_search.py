"""backoffice: trigram indexes for the work queue's search (PostgreSQL)

Revision ID: 6f7a8b9cab01
Revises: 4d5e6f7a8b90
Create Date: 2026-11-30 04:20:00.000000

The queue finds zaken by part of the initiator's name or the last digits of the zaaknummer
(ILIKE '%...%', LIKE '%...'). On PostgreSQL a GIN index with pg_trgm's operator class serves that; the
extension is "trusted", so the database's owner may create it. SQLite has neither: it gets
plain indexes of the same name and keeps scanning.
"""

from alembic import op

revision = '6f7a8b9cab01'
down_revision = '4d5e6f7a8b90'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index('ix_rollen_naam_trgm', 'rollen', ['naam'], unique=False,
                    postgresql_using='gin', postgresql_ops={'naam': 'gin_trgm_ops'})
    op.create_index('ix_zaken_identificatie_trgm', 'zaken', ['identificatie'], unique=False,
                    postgresql_using='gin', postgresql_ops={'identificatie': 'gin_trgm_ops'})


def downgrade() -> None:
    op.drop_index('ix_zaken_identificatie_trgm', table_name='zaken')
    op.drop_index('ix_rollen_naam_trgm', table_name='rollen')
