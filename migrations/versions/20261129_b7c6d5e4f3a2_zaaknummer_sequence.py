"""zaaknummer sequence on PostgreSQL

Revision ID: b7c6d5e4f3a2
Revises: a1b2c3d4e5f6
Create Date: 2026-11-29 19:50:00

On PostgreSQL zaaknummers come from a sequence: nextval() holds no lock until
the commit, where the per-year counter row did (every concurrent submit queued
behind it). SQLite keeps the counter row; its writers are serialised anyway.
"""

from alembic import op

revision = "b7c6d5e4f3a2"
down_revision = "a1b2c3d4e5f6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE zaaknummer_seq")
    # Continue above every number the counter rows already handed out.
    op.execute("SELECT setval('zaaknummer_seq', "
               "GREATEST((SELECT COALESCE(MAX(last_number), 0) FROM zaaknummer_counters), 1))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE zaaknummer_seq")
