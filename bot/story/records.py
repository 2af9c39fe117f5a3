"""The ledger's system of record: current rows plus an append-only revision log, like canon's.

Rows live beside canon in the same database and migrations: the tables go on the shared metadata
(canon/database.py), where bot/tables.py gathers them with every other domain's. Every change is a
revision (who, when, what); a delete is a revision that hides the row; a restore brings an
older state back as a new revision.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from ..canon.errors import NotFound
from ..canon.database import Base, Database, now, same


class LedgerRow(Base):
    __tablename__ = "ledger_rows"
    __table_args__ = (UniqueConstraint("project_id", "kind", "row_id"),)
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # secret | knows | state
    row_id: Mapped[str] = mapped_column(String(400))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)


class LedgerRevisionRow(Base):
    __tablename__ = "ledger_revisions"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    row_id: Mapped[str] = mapped_column(String(400))
    revision: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))  # create | update | delete | restore
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict] = mapped_column(JSON)


class LedgerStore:
    def __init__(self, store: Database) -> None:
        self.store = store

    def write(self, project_id: int, rows: list[tuple[str, str, dict]], author: str) -> tuple[int, int]:
        """Create or update (kind, row id, data) rows in one transaction: (changed, unchanged)."""
        with self.store._tx(project_id) as s:
            return self.write_in(s, project_id, rows, author)

    def write_in(self, s, project_id: int, rows: list[tuple[str, str, dict]], author: str) -> tuple[int, int]:
        """``write`` inside a transaction the caller holds (an approved proposal's). A row whose data is None
        is removed (a delete revision: ``restore`` brings it back)."""
        changed = unchanged = 0
        for kind, row_id, data in rows:
            row = s.scalar(select(LedgerRow).where(LedgerRow.project_id == project_id, LedgerRow.kind == kind,
                                                   LedgerRow.row_id == row_id))
            if data is None:
                if row is None or row.deleted:
                    raise NotFound("no {kind} '{row_id}' in the ledger", kind=kind, row_id=row_id)
                self._apply(s, row, row.data, "delete", author, deleted=True)
                changed += 1
                continue
            if row is not None and not row.deleted and same(row.data, data):
                unchanged += 1
                continue
            action = "create" if row is None else ("restore" if row.deleted else "update")
            if row is None:
                row = LedgerRow(project_id=project_id, kind=kind, row_id=row_id, revision=0)
                s.add(row)
            self._apply(s, row, data, action, author, deleted=False)
            changed += 1
        return changed, unchanged

    def delete(self, project_id: int, kind: str, row_id: str, author: str) -> dict:
        with self.store._tx(project_id) as s:
            row = self._row(s, project_id, kind, row_id)
            if row.deleted:
                raise NotFound("{kind} '{row_id}' is already deleted", kind=kind, row_id=row_id)
            self._apply(s, row, row.data, "delete", author, deleted=True)
            return dict(row.data)

    def restore(self, project_id: int, kind: str, row_id: str, revision: int, author: str) -> dict:
        with self.store._tx(project_id) as s:
            row = self._row(s, project_id, kind, row_id)
            old = s.scalar(select(LedgerRevisionRow).where(
                LedgerRevisionRow.project_id == project_id, LedgerRevisionRow.kind == kind,
                LedgerRevisionRow.row_id == row_id, LedgerRevisionRow.revision == revision))
            if old is None:
                raise NotFound("{kind} '{row_id}' has no revision {revision}", kind=kind, row_id=row_id, revision=revision)
            self._apply(s, row, old.data, "restore", author, deleted=old.action == "delete")
            return dict(row.data)

    def rows(self, project_id: int, kind: str) -> list[dict]:
        with self.store._sessions() as s:
            q = select(LedgerRow).where(LedgerRow.project_id == project_id, LedgerRow.kind == kind,
                                        LedgerRow.deleted.is_(False)).order_by(LedgerRow.pk)
            return [dict(r.data) for r in s.scalars(q)]

    def history(self, project_id: int, kind: str, row_id: str) -> list[dict]:
        with self.store._sessions() as s:
            q = select(LedgerRevisionRow).where(
                LedgerRevisionRow.project_id == project_id, LedgerRevisionRow.kind == kind,
                LedgerRevisionRow.row_id == row_id).order_by(LedgerRevisionRow.revision)
            out = [{"revision": r.revision, "action": r.action, "author": r.author, "created_at": r.created_at,
                    "data": r.data} for r in s.scalars(q)]
        if not out:
            raise NotFound("no {kind} '{row_id}' in the ledger", kind=kind, row_id=row_id)
        return out

    def _row(self, s, project_id: int, kind: str, row_id: str) -> LedgerRow:
        row = s.scalar(select(LedgerRow).where(LedgerRow.project_id == project_id, LedgerRow.kind == kind,
                                               LedgerRow.row_id == row_id))
        if row is None:
            raise NotFound("no {kind} '{row_id}' in the ledger", kind=kind, row_id=row_id)
        return row

    @staticmethod
    def _apply(s, row: LedgerRow, data: dict, action: str, author: str, deleted: bool) -> None:
        row.revision += 1
        row.data, row.deleted = data, deleted
        s.add(LedgerRevisionRow(project_id=row.project_id, kind=row.kind, row_id=row.row_id, revision=row.revision,
                                action=action, author=author[:200], created_at=now(), data=data))
        s.flush()
