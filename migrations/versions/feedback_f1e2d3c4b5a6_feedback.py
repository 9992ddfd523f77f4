"""feedback: invitations to score a task (one-time links, hashed) and the anonymous scores

Revision ID: f1e2d3c4b5a6
Revises: m17a0heads01
Create Date: 2026-12-06 21:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'f1e2d3c4b5a6'
down_revision = 'm17a0heads01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feedback_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_hash', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('product', sa.String(length=100), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_invitations')),
    sa.UniqueConstraint('task_hash', name=op.f('uq_feedback_invitations_task_hash')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feedback_invitations_token_hash'))
    )
    with op.batch_alter_table('feedback_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_invitations_expires_at'), ['expires_at'],
                              unique=False)
    op.create_table('feedback_scores',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('product', sa.String(length=100), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('remark', sa.Text(), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 10', name=op.f('ck_feedback_scores_score_1_to_10')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_scores'))
    )
    with op.batch_alter_table('feedback_scores', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_scores_month_product_kind',
                              ['month', 'product', 'kind'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('feedback_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_scores_month_product_kind')
    op.drop_table('feedback_scores')
    with op.batch_alter_table('feedback_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_invitations_expires_at'))
    op.drop_table('feedback_invitations')
