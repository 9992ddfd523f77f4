"""E-forms: drafts of forms (form_draft).

Revision ID: c3d4e5f6a1b2
Revises: e62ce94e644f
Create Date: 2026-11-29 18:04:52.132901
"""

import sqlalchemy as sa
from alembic import op

revision = 'c3d4e5f6a1b2'
down_revision = 'e62ce94e644f'
branch_labels = None
depends_on = 'a1b2c3d4e5f6'


def upgrade() -> None:

    op.create_table('form_draft',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('form_slug', sa.String(length=64), nullable=False),
    sa.Column('owner_bsn', sa.String(length=9), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('completed_steps', sa.JSON(), nullable=False),
    sa.Column('current_step', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('resume_token_hash', sa.String(length=64), nullable=True),
    sa.Column('resume_expires_at', sa.DateTime(), nullable=True),
    sa.Column('zaak_identificatie', sa.String(length=40), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_draft')),
    sa.UniqueConstraint('resume_token_hash', name=op.f('uq_form_draft_resume_token_hash'))
    )
    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_draft_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index('ix_form_draft_owner_bsn_form_slug', ['owner_bsn', 'form_slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_draft_submitted_at'), ['submitted_at'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_draft_submitted_at'))
        batch_op.drop_index('ix_form_draft_owner_bsn_form_slug')
        batch_op.drop_index(batch_op.f('ix_form_draft_expires_at'))

    op.drop_table('form_draft')

