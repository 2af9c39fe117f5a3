"""novel chapters: a project's imported web novel, kept as source text beside canon (not canon)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 07:20:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('novel_chapters',
    sa.Column('pk', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
    sa.PrimaryKeyConstraint('pk'),
    sa.UniqueConstraint('project_id', 'seq')
    )
    with op.batch_alter_table('novel_chapters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_novel_chapters_project_id'), ['project_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('novel_chapters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_novel_chapters_project_id'))
    op.drop_table('novel_chapters')
