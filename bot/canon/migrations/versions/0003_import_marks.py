"""import marks: which revision of each entry a file's last import wrote, so a re-import keeps later edits

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 17:40:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_marks',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('entry_id', sa.String(length=128), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
    sa.PrimaryKeyConstraint('project_id', 'source', 'entry_id')
    )


def downgrade() -> None:
    op.drop_table('import_marks')
