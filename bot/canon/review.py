"""Who may change canon, and how: an editor's change applied now, anyone else's kept as a proposal for an
editor to decide once, and who may press a scene draft's buttons. The rules live here, below both
surfaces, so Discord and the CLI apply the same ones; the canon service (service.py) adds index upkeep.

A domain above canon can propose its own kinds of change through the same review (the story ledger's):
it hands in a ``ChangeKinds`` that checks a change when proposed and applies it in the approving
transaction, so canon never imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from .errors import InvalidInput, NotAllowed, NotFound
from .importers import make_entry
from .models import Entry
from .store import CanonStore
from .workflow import DraftRow, Proposal, Workflow, person

CHANGE_ACTIONS = ("add", "edit", "delete")
# who may press a scene draft's buttons: accepting writes canon (editors); the rest touch only the
# draft or start model calls (its author, or an editor)
DRAFT_EDITORS_ONLY = {"accept"}
DRAFT_ACTIONS = {"accept", "revise", "continue", "discard"}


@dataclass
class Change:
    """A change as it was applied: what happened to which entry (or, for another domain's, in one line)."""

    action: str  # add | edit | delete, or another domain's action (ChangeKinds.actions)
    entry: Entry | None
    summary: str = ""  # what another domain's change did, in one line


@dataclass
class Decision:
    proposal: Proposal
    change: Change | None  # None when rejected


class ChangeKinds(Protocol):
    """Changes a domain above canon proposes through this review."""

    actions: tuple[str, ...]

    def check(self, project_id: int, action: str, payload: dict) -> None:
        """Refuse bad input now (InvalidInput), not when an editor approves."""

    def apply_in(self, s: Session, project_id: int, action: str, payload: dict, author: str) -> str:
        """Apply the change inside the caller's transaction; a one-line summary."""


class Review:
    def __init__(self, store: CanonStore, workflow: Workflow, others: Iterable[ChangeKinds] = ()) -> None:
        self.store, self.workflow = store, workflow
        self._others = {action: kinds for kinds in others for action in kinds.actions}

    def change(self, project_id: int, action: str, entry: dict, author: str,
               base_revision: int | None = None) -> Change:
        """An editor's change, applied now. ``base_revision`` (the revision a form was opened on) refuses
        it if the entry moved on meanwhile, instead of undoing that edit."""
        with self.store._tx(project_id) as s:
            return self._apply(s, project_id, action, entry, author, base_revision)

    def propose(self, project_id: int, action: str, entry: dict, proposer: str,
                base_revision: int | None = None) -> Proposal:
        """A non-editor's change, kept for an editor to decide; bad input fails now. It remembers the
        entry's revision (``base_revision``, else the current one), so approving it late never reverts
        newer edits. A delete names the entry by ``entry["id"]``."""
        other = self._others.get(action)
        if other is not None:
            other.check(project_id, action, entry)
            return self.workflow.propose(project_id, action, entry, proposer, None)
        if action not in CHANGE_ACTIONS:
            raise InvalidInput("unknown change '{action}' (add, edit or delete)", action=action)
        if action == "delete":
            entry_id = entry["id"]
        else:
            new = make_entry("canon", f"entry '{entry.get('name', '')}'", entry)
            self.store.check_names(project_id, new, create=action == "add")
            entry_id = new.resolved_id()
        if action == "add":
            base_revision = 0  # an add creates: approving it never replaces an entry added meanwhile
        elif base_revision is None:
            base_revision = self.store.revision_of(project_id, entry_id)
        return self.workflow.propose(project_id, action, entry, proposer, base_revision)

    def proposal(self, proposal_id: int, project_id: int | None = None) -> Proposal:
        """A proposal by number; one of another project is not there (NotFound)."""
        found = self.workflow.proposal(proposal_id)
        if project_id is not None and found.project_id != project_id:
            raise NotFound("there is no proposal #{proposal_id} in this project", proposal_id=proposal_id)
        return found

    def decide(self, proposal_id: int, approve: bool, by: str, editor: bool,
               project_id: int | None = None) -> Decision:
        """Approve (apply) or reject a proposal, once. Only editors decide; the claim and the change
        commit in one transaction, so a rejected or already approved proposal never reaches canon,
        and a proposal whose entry changed since is refused (it stays open: reject it)."""
        if not editor:
            raise NotAllowed("Only editors can approve or reject proposals.")
        self.proposal(proposal_id, project_id)

        def apply(s: Session, p: Proposal):
            if not approve:
                return None
            return self._apply(s, p.project_id, p.action, p.entry, f"{p.proposer} (approved by {by})",
                               p.base_revision)

        decided, change = self.workflow.decide(proposal_id, "approved" if approve else "rejected", by, apply)
        return Decision(decided, change)

    def _apply(self, s: Session, project_id: int, action: str, entry: dict, author: str,
               base_revision: int | None) -> Change:
        other = self._others.get(action)
        if other is not None:
            return Change(action, None, other.apply_in(s, project_id, action, entry, author))
        if action == "delete":
            return Change("delete", self.store.delete_in(s, project_id, entry["id"], author, base_revision))
        if action not in CHANGE_ACTIONS:
            raise InvalidInput("unknown change '{action}' (add, edit or delete)", action=action)
        new = make_entry("canon", f"entry '{entry.get('name', '')}'", entry)
        self.store.write_in(s, project_id, [new], author, base_revision, create=action == "add")
        return Change(action, Entry(**{**new.model_dump(), "id": new.resolved_id(), "revision": 0}))

    # -- scene drafts -----------------------------------------------------------------------

    def draft_for(self, draft_id: int, action: str, by: str, editor: bool) -> DraftRow:
        """The open draft ``by`` may act on: accepting it into canon is for editors; revising,
        continuing or discarding it is for its author and editors."""
        if action not in DRAFT_ACTIONS:
            raise InvalidInput("unknown draft action '{action}'", action=action)
        draft = self.workflow.draft(draft_id)
        if draft.status != "open":
            raise NotAllowed("This draft was already {status}.", status=draft.status)
        if not editor:
            if action in DRAFT_EDITORS_ONLY:
                raise NotAllowed("Only editors can accept a scene into canon.")
            if person(draft.author) != person(by):
                raise NotAllowed("Only the scene's author or an editor can do that.")
        return draft

    def discard(self, draft_id: int, by: str, editor: bool) -> DraftRow:
        self.draft_for(draft_id, "discard", by, editor)
        return self.workflow.claim_draft(draft_id, "discarded")[0]

    def accept(self, draft_id: int, by: str, editor: bool) -> tuple[DraftRow, Change]:
        """The draft into canon as a new scene entry; the draft closes in the same transaction."""
        draft = self.draft_for(draft_id, "accept", by, editor)
        _row, change = self.workflow.claim_draft(
            draft_id, "accepted", lambda s: self._new_scene(s, draft.project_id, draft.brief, draft.text,
                                                           draft.episode, by))
        return draft, change

    def add_scene(self, project_id: int, brief: str, text: str, episode: int | None, author: str) -> Change:
        """A generated scene into canon as a new entry (`write --accept`), as accepting a draft does."""
        with self.store._tx(project_id) as s:
            return self._new_scene(s, project_id, brief, text, episode, author)

    def _new_scene(self, s: Session, project_id: int, brief: str, text: str, episode: int | None,
                   author: str) -> Change:
        """A generated scene is always a new entry: a scene of the same name (a hand-written one, an earlier
        take) keeps its text, and the new one gets the next free id (scene-caught-at-the-safe-2)."""
        scene = make_entry("scene", f"scene '{brief[:60]}'", {"kind": "scene", "name": brief[:80], "text": text,
                                                              "episode": episode, "tags": ["generated"]})
        scene.id = self.store.free_id(s, project_id, scene.resolved_id())
        self.store.write_in(s, project_id, [scene], author, create=True)
        return Change("add", Entry(**{**scene.model_dump(), "revision": 0}))

    def supersede(self, draft: DraftRow, by: str, text: str) -> int:
        """Close the draft for a new take (a second take at once fails here) and keep the new one: its id.
        The take stays its author's (an editor's revision must not lock the author out of its buttons)."""
        self.workflow.claim_draft(draft.id, "discarded")
        return self.workflow.save_draft(draft.project_id, "scene", draft.brief, draft.episode, draft.author, text)
