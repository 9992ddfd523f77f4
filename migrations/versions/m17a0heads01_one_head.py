"""One head: every earlier branch of the schema joins here, so a new revision has one parent.
(Two more revisions show as heads: others reach them through depends_on, which
Alembic does not let a merge name as a parent.)

Revision ID: m17a0heads01
Revises: 2b3c4d5e6f70, 5e6f7a8b9ca0, a9b8c7d6e5f4, b2c3d4e5f6a1, b7c6d5e4f3a2, c3d4e5f6a1b2, f6a1b2c3d4e5, 5e6f7a8b9c02, 6c2d3e4f5a71, pay0a1b2c3d4, 041aab84bb37
Create Date: 2026-12-06 21:14:43.694590
"""

revision = 'm17a0heads01'
down_revision = ('2b3c4d5e6f70', '5e6f7a8b9ca0', 'a9b8c7d6e5f4', 'b2c3d4e5f6a1', 'b7c6d5e4f3a2', 'c3d4e5f6a1b2', 'f6a1b2c3d4e5', '5e6f7a8b9c02', '6c2d3e4f5a71', 'pay0a1b2c3d4', '041aab84bb37')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
