"""The schema as of the first release: projects, entries, revisions, and the room's workflow.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _project_fk() -> sa.ForeignKey:
    return sa.ForeignKey("projects.id")


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_key", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.UniqueConstraint("scope", "name_key"),
    )
    op.create_index("ix_projects_scope", "projects", ["scope"])
    op.create_table(
        "entries",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, _project_fk(), nullable=False),
        sa.Column("entry_id", sa.String(128), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("episode", sa.Integer, nullable=True),
        sa.Column("pinned", sa.Boolean, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.UniqueConstraint("project_id", "entry_id"),
    )
    op.create_index("ix_entries_project_id", "entries", ["project_id"])
    op.create_table(
        "revisions",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, _project_fk(), nullable=False),
        sa.Column("entry_id", sa.String(128), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.UniqueConstraint("project_id", "entry_id", "revision"),
    )
    op.create_index("ix_revisions_project_id", "revisions", ["project_id"])
    op.create_table(
        "channel_bindings",
        sa.Column("scope", sa.String(64), primary_key=True),
        sa.Column("place", sa.String(64), primary_key=True),
        sa.Column("project_id", sa.Integer, _project_fk(), nullable=False),
    )
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, _project_fk(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("proposer", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_proposals_project_id", "proposals", ["project_id"])
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, _project_fk(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("brief", sa.Text, nullable=False),
        sa.Column("episode", sa.Integer, nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_drafts_project_id", "drafts", ["project_id"])
    op.create_table(
        "votes",
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id"), primary_key=True),
        sa.Column("voter", sa.String(64), primary_key=True),
        sa.Column("option", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("votes", "drafts", "proposals", "channel_bindings", "revisions", "entries", "projects"):
        op.drop_table(table)
