"""The room's pending work, kept in the database so it survives restarts: which channel is
bound to which project, canon change proposals awaiting an editor, scene drafts, and votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from .errors import NotFound
from .store import Base, CanonStore, _now


class BindingRow(Base):
    __tablename__ = "channel_bindings"
    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    place: Mapped[str] = mapped_column(String(64), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))


class ProposalRow(Base):
    __tablename__ = "proposals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # add | edit | delete
    payload: Mapped[dict] = mapped_column(JSON)
    proposer: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | approved | rejected
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DraftRow(Base):
    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # scene | twists
    brief: Mapped[str] = mapped_column(Text)
    episode: Mapped[int | None] = mapped_column(Integer, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | accepted | discarded
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class VoteRow(Base):
    __tablename__ = "votes"
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), primary_key=True)
    voter: Mapped[str] = mapped_column(String(64), primary_key=True)
    option: Mapped[int] = mapped_column(Integer)


def _get(s, row_type, key, missing: str):
    row = s.get(row_type, key)
    if row is None:
        raise NotFound(missing)
    return row


class Workflow:
    def __init__(self, store: CanonStore) -> None:
        self.store = store

    # bindings
    def bind(self, scope: str, place: str, project_id: int) -> None:
        with self.store._tx() as s:
            row = s.get(BindingRow, (scope, place))
            if row is None:
                s.add(BindingRow(scope=scope, place=place, project_id=project_id))
            else:
                row.project_id = project_id

    def bound_project(self, scope: str, place: str) -> int | None:
        with self.store._sessions() as s:
            row = s.get(BindingRow, (scope, place))
            return row.project_id if row else None

    # proposals
    def propose(self, project_id: int, action: str, payload: dict, proposer: str) -> int:
        with self.store._tx() as s:
            row = ProposalRow(project_id=project_id, action=action, payload=payload, proposer=proposer,
                              created_at=_now())
            s.add(row)
            s.flush()
            return row.id

    def proposal(self, proposal_id: int) -> ProposalRow:
        with self.store._sessions() as s:
            return _get(s, ProposalRow, proposal_id, "that proposal no longer exists")

    def decide(self, proposal_id: int, status: str, by: str) -> ProposalRow:
        with self.store._tx() as s:
            row = s.get(ProposalRow, proposal_id)
            if row is None or row.status != "open":
                raise NotFound("that proposal was already decided")
            row.status, row.decided_by = status, by
            return row

    # drafts and votes
    def save_draft(self, project_id: int, kind: str, brief: str, episode: int | None, author: str,
                   text: str = "", data: dict | None = None) -> int:
        with self.store._tx() as s:
            row = DraftRow(project_id=project_id, kind=kind, brief=brief, episode=episode, text=text,
                           data=data or {}, author=author, created_at=_now())
            s.add(row)
            s.flush()
            return row.id

    def draft(self, draft_id: int) -> DraftRow:
        with self.store._sessions() as s:
            return _get(s, DraftRow, draft_id, "that draft no longer exists")

    def update_draft(self, draft_id: int, **changes) -> DraftRow:
        with self.store._tx() as s:
            row = _get(s, DraftRow, draft_id, "that draft no longer exists")
            for key, value in changes.items():
                setattr(row, key, value)
            return row

    def vote(self, draft_id: int, voter: str, option: int) -> dict[int, int]:
        with self.store._tx() as s:
            row = s.get(VoteRow, (draft_id, voter))
            if row is None:
                s.add(VoteRow(draft_id=draft_id, voter=voter, option=option))
            else:
                row.option = option
            s.flush()
            tally: dict[int, int] = {}
            for v in s.scalars(select(VoteRow).where(VoteRow.draft_id == draft_id)):
                tally[v.option] = tally.get(v.option, 0) + 1
            return tally
