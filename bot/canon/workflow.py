"""The room's pending work, kept in the database so it survives restarts: which channel is
bound to which project, canon change proposals awaiting an editor, scene drafts, and votes."""

from __future__ import annotations

import re
from datetime import datetime

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .errors import Conflict, NotFound, Phrase
from .database import Base, Database, now

ProposalStatus = Literal["open", "approved", "rejected"]


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
    # the entry's fields (delete: id and name), plus "base_revision": the entry's revision when the
    # change was proposed (0: it did not exist), so approving it never undoes later edits
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


class Proposal(BaseModel):
    """A canon change waiting for an editor, as surfaces show it."""

    id: int
    project_id: int
    action: str
    entry: dict  # the proposed entry fields (delete: id and name)
    base_revision: int | None
    proposer: str
    status: ProposalStatus
    decided_by: str | None
    created_at: datetime

    @property
    def title(self) -> str:
        return str(self.entry.get("name") or self.entry.get("id") or "?")

    @property
    def summary(self) -> Phrase:
        """What approving it does, in words: an edit replaces the revision it was made from, and says so."""
        if self.action == "edit" and self.base_revision:
            return Phrase("replace {name} (revision {revision}) with this version", name=self.title,
                          revision=self.base_revision)
        if self.action == "delete" and self.base_revision:
            return Phrase("delete {name} (revision {revision})", name=self.title, revision=self.base_revision)
        e = self.entry  # a ledger change (bot/story/service.py STORY_ACTIONS) says what it records
        if self.action == "secret_add":
            return Phrase("add secret {name}", name=self.title)
        if self.action == "secret_learn":
            return Phrase("{character} learns {secret} in episode {episode}", character=str(e.get("character", "?")),
                          secret=str(e.get("secret", "?")), episode=str(e.get("episode", "?")))
        if self.action == "state_add":
            return Phrase("record a state of {character} from episode {episode}",
                          character=str(e.get("character", "?")), episode=str(e.get("episode", "?")))
        if self.action == "ledger_remove":
            return Phrase("remove ledger row {row}", row=str(e.get("row", "?")))
        said = {"add": Phrase("add {name}", name=self.title), "edit": Phrase("edit {name}", name=self.title),
                "delete": Phrase("delete {name}", name=self.title)}
        return said.get(self.action) or Phrase("{action} {name}", action=self.action, name=self.title)


def _proposal(row: ProposalRow) -> Proposal:
    payload = dict(row.payload or {})
    base = payload.pop("base_revision", None)
    return Proposal(id=row.id, project_id=row.project_id, action=row.action, entry=payload, base_revision=base,
                    proposer=row.proposer, status=row.status, decided_by=row.decided_by, created_at=row.created_at)


def _get(s, row_type, key, missing: Phrase):
    row = s.get(row_type, key)
    if row is None:
        raise NotFound(missing)
    return row


class Workflow:
    def __init__(self, store: Database) -> None:
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
    def propose(self, project_id: int, action: str, entry: dict, proposer: str,
                base_revision: int | None = None) -> Proposal:
        with self.store._tx() as s:
            row = ProposalRow(project_id=project_id, action=action, payload={**entry, "base_revision": base_revision},
                              proposer=proposer[:200], created_at=now())
            s.add(row)
            s.flush()
            return _proposal(row)

    def proposal(self, proposal_id: int) -> Proposal:
        with self.store._sessions() as s:
            return _proposal(_get(s, ProposalRow, proposal_id,
                                  Phrase("there is no proposal #{proposal_id}", proposal_id=str(proposal_id))))

    def proposals(self, project_id: int, status: str | None = "open") -> list[Proposal]:
        with self.store._sessions() as s:
            q = select(ProposalRow).where(ProposalRow.project_id == project_id).order_by(ProposalRow.id)
            if status:
                q = q.where(ProposalRow.status == status)
            return [_proposal(r) for r in s.scalars(q)]

    def decide(self, proposal_id: int, status: ProposalStatus, by: str,
               apply: Callable[[Session, Proposal], object] | None = None) -> tuple[Proposal, object]:
        """Claim an open proposal and, in the same transaction, ``apply`` it: two editors deciding at
        once, or a late click on a decided proposal, change canon at most once. The claim is an
        ``UPDATE ... WHERE status = 'open'``: on PostgreSQL it takes the row's lock, so a second claim
        waits for the first to commit, then finds the proposal decided; on SQLite the write
        transaction already holds the database's write lock. If ``apply`` fails, nothing changes."""
        project_id = self.proposal(proposal_id).project_id
        with self.store._tx(project_id) as s:
            claimed = s.execute(update(ProposalRow)
                                .where(ProposalRow.id == proposal_id, ProposalRow.status == "open")
                                .values(status=status, decided_by=by[:200])).rowcount
            row = s.get(ProposalRow, proposal_id, populate_existing=True)
            if not claimed:
                who = display_name(row.decided_by or "someone") if row else "someone"
                status = row.status if row else "decided"
                if status == "approved":  # the whole sentence per verdict: a language words each its own way
                    raise Conflict("proposal #{proposal_id} was already approved by {display_name}",
                                   proposal_id=proposal_id, display_name=who)
                if status == "rejected":
                    raise Conflict("proposal #{proposal_id} was already rejected by {display_name}",
                                   proposal_id=proposal_id, display_name=who)
                raise Conflict("proposal #{proposal_id} was already {status} by {display_name}", proposal_id=proposal_id,
                               status=status, display_name=who)
            proposal = _proposal(row)
            return proposal, (apply(s, proposal) if apply else None)

    # drafts and votes
    def claim_draft(self, draft_id: int, status: str,
                    apply: Callable[[Session], object] | None = None) -> tuple[DraftRow, object]:
        """Close an open draft (accepted or discarded) once, and ``apply`` what that means in the same
        transaction: a second click finds it closed, and a failed accept leaves it open."""
        project_id = self.draft(draft_id).project_id
        with self.store._tx(project_id) as s:
            claimed = s.execute(update(DraftRow).where(DraftRow.id == draft_id, DraftRow.status == "open")
                                .values(status=status)).rowcount
            row = s.get(DraftRow, draft_id, populate_existing=True)
            if not claimed:
                raise Conflict("This draft was already {status}.", status=row.status if row else 'closed')
            return row, (apply(s) if apply else None)

    def save_draft(self, project_id: int, kind: str, brief: str, episode: int | None, author: str,
                   text: str = "", data: dict | None = None) -> int:
        with self.store._tx() as s:
            row = DraftRow(project_id=project_id, kind=kind, brief=brief, episode=episode, text=text,
                           data=data or {}, author=author, created_at=now())
            s.add(row)
            s.flush()
            return row.id

    def draft(self, draft_id: int) -> DraftRow:
        with self.store._sessions() as s:
            return _get(s, DraftRow, draft_id, Phrase("that draft no longer exists"))

    def latest_draft(self, project_id: int, kind: str, status: str = "open") -> DraftRow | None:
        """The project's newest draft of ``kind`` (e.g. "season": the breakdown the room is reviewing)."""
        with self.store._sessions() as s:
            return s.scalars(select(DraftRow).where(DraftRow.project_id == project_id, DraftRow.kind == kind,
                                                    DraftRow.status == status)
                             .order_by(DraftRow.id.desc()).limit(1)).first()

    def update_draft(self, draft_id: int, **changes) -> DraftRow:
        with self.store._tx() as s:
            row = _get(s, DraftRow, draft_id, Phrase("that draft no longer exists"))
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


def person(author: str) -> str:
    """The stable part of an author string: "discord:<user id>" or "cli:<login>" (a Discord user's
    name after the id may change; the id does not)."""
    return ":".join(author.split(":")[:2])


def display_name(author: str) -> str:
    """An author string as people read it: "discord:1:mei (approved by discord:2:tom)" -> "mei (approved by tom)"."""
    return re.sub(r"\b(?:discord:\d+|cli):", "", author)
