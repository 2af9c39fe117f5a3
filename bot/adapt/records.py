"""A project's novel: its chapters as source text, beside canon in the same database but never canon.

The rows are what the room adapts from, not what is true in the series: nothing reads them as canon
entries, and canon's retrieval never sees them. One novel per project; a new import replaces the old.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from ..canon.database import Base, Database
from .chapters import Chapter


class NovelChapterRow(Base):
    __tablename__ = "novel_chapters"
    __table_args__ = (UniqueConstraint("project_id", "seq"),)
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # the chapter's place in the file (numbers may repeat)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(400))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(255))  # the file's name


class NovelStore:
    def __init__(self, store: Database) -> None:
        self.store = store

    def replace(self, project_id: int, chapters: list[Chapter], source: str) -> None:
        """The project's novel becomes these chapters, in one transaction (a failed import leaves the old)."""
        with self.store._tx(project_id) as s:
            s.execute(delete(NovelChapterRow).where(NovelChapterRow.project_id == project_id))
            s.add_all(NovelChapterRow(project_id=project_id, seq=i, number=c.number, title=c.title[:400],
                                      text=c.text, source=source[:255]) for i, c in enumerate(chapters))

    def chapters(self, project_id: int) -> list[Chapter]:
        with self.store._sessions() as s:
            q = select(NovelChapterRow.number, NovelChapterRow.title, NovelChapterRow.text).where(
                NovelChapterRow.project_id == project_id).order_by(NovelChapterRow.seq)
            return [Chapter(n, t, x) for n, t, x in s.execute(q)]

    def source(self, project_id: int) -> str | None:
        with self.store._sessions() as s:
            return s.scalar(select(NovelChapterRow.source).where(NovelChapterRow.project_id == project_id).limit(1))

    def count(self, project_id: int) -> int:
        with self.store._sessions() as s:
            return s.scalar(select(func.count()).select_from(NovelChapterRow).where(
                NovelChapterRow.project_id == project_id)) or 0
