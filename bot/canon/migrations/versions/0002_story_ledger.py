"""story ledger: secrets, who learns them when, character state facts, with a revision log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:48:16.321981
"""

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ledger_revisions',
    sa.Column('pk', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('row_id', sa.String(length=400), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
    sa.PrimaryKeyConstraint('pk')
    )
    with op.batch_alter_table('ledger_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_revisions_project_id'), ['project_id'], unique=False)

    op.create_table('ledger_rows',
    sa.Column('pk', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('row_id', sa.String(length=400), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
    sa.PrimaryKeyConstraint('pk'),
    sa.UniqueConstraint('project_id', 'kind', 'row_id')
    )
    with op.batch_alter_table('ledger_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_rows_project_id'), ['project_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ledger_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_rows_project_id'))

    op.drop_table('ledger_rows')
    with op.batch_alter_table('ledger_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_revisions_project_id'))

    op.drop_table('ledger_revisions')
