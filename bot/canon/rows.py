"""Canon's tables: projects, each entry's current state, and the append-only revision log.

Declared on the shared metadata (database.py); the store (store.py) reads and writes them, and the
schema's migrations (schema.py) know them as what every database holds since the baseline.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .database import Base


class ProjectRow(Base):
    """A project lives in a scope: "" for the CLI, "discord:<guild id>" for a Discord server,
    so two servers may both have a "jade" and never see each other's."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("scope", "name_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(64), default="", index=True)
    name: Mapped[str] = mapped_column(String(64))
    name_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    settings: Mapped[dict] = mapped_column(JSON, default=dict)


class EntryRow(Base):
    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("project_id", "entry_id"),)
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    entry_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    episode: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)


class RevisionRow(Base):
    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("project_id", "entry_id", "revision"),)
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    entry_id: Mapped[str] = mapped_column(String(128))
    revision: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict] = mapped_column(JSON)


class ImportMarkRow(Base):
    """The revision of an entry that the last import of a file (by its name) wrote or found unchanged: a
    re-import of that file knows which entries were changed elsewhere since, and keeps those changes."""

    __tablename__ = "import_marks"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(255), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
