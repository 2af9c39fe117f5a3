"""The story service the facade composes: the who-knows-what ledger and character states, their import,
export and model suggestions, and what a draft meets without a model (the lint, knowledge boundaries).

Ledger changes a non-editor proposes go through
canon's review like canon's own (``LedgerChanges``), so one set of rules decides both.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from ..canon.errors import InvalidInput, Phrase
from ..canon.models import Kind, Project, ProjectRef
from ..canon.store import CanonStore
from ..settings import Settings
from . import ledger_io
from .ledger import KnowsReport, Ledger, SecretStatus
from .models import ASPECT_WORDS, STATUS_WORDS

if TYPE_CHECKING:  # the lint and the boundaries load with the first draft they read: `knows` needs neither
    from .lint import Finding, World

STORY_ACTIONS = ("secret_add", "secret_learn", "state_add", "ledger_remove")  # ledger changes, proposed like canon's
# (project, episode summaries, characters, secrets) -> the model's LedgerSuggestion (writing/service.py)
ReadLedger = Callable[[Project, str, str, str], object]


class LedgerChanges:
    """The ledger's changes as canon's review knows them (canon/review.py ``ChangeKinds``)."""

    actions = STORY_ACTIONS

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def row(self, project_id: int, action: str, payload: dict) -> tuple[tuple[str, str, dict], str]:
        """A ledger change as the row it writes (data None: the row it removes) and a one-line summary; bad input
        fails here."""
        if action == "secret_add":
            row = self.ledger.secret_row(project_id, payload)
            return ("secret", row.id, row.model_dump(mode="json")), Phrase("saved secret {name} ({id})", name=row.name, id=row.id)
        if action == "secret_learn":
            k = self.ledger.learn_row(project_id, payload.get("secret", ""), payload.get("character", ""),
                                      int(payload.get("episode", 0)), payload.get("source", ""))
            who = self.ledger.character(project_id, k.character).name
            return ("knows", k.resolved_id(), k.model_dump(mode="json")), \
                Phrase("recorded: {who} learns {secret} in episode {episode}", who=who, secret=k.secret, episode=k.episode)
        if action == "state_add":
            f = self.ledger.state_row(project_id, payload)
            who = self.ledger.character(project_id, f.character).name
            return ("state", f.resolved_id(), f.model_dump(mode="json")), \
                Phrase("recorded: {who} {aspect} {value} from episode {episode}", who=who, aspect=ASPECT_WORDS[f.aspect],
                       value=STATUS_WORDS.get(f.value, f.value), episode=f.episode)
        if action == "ledger_remove":
            kind, row_id = self.ledger.row_ref(project_id, payload.get("row", ""))
            return (kind, row_id, None), Phrase("removed {row} from the ledger", row=f"{kind}:{row_id}")
        raise InvalidInput("unknown ledger change '{action}'", action=action)

    def check(self, project_id: int, action: str, payload: dict) -> None:
        self.row(project_id, action, payload)

    def apply_in(self, s: Session, project_id: int, action: str, payload: dict, author: str) -> str:
        row, summary = self.row(project_id, action, payload)
        self.ledger.records.write_in(s, project_id, [row], author)
        return summary


class Story:
    def __init__(self, settings: Settings, store: CanonStore) -> None:
        self.settings, self.store = settings, store
        self.ledger = Ledger(store)
        self.changes = LedgerChanges(self.ledger)

    def _id(self, project: ProjectRef) -> int:
        return self.store.project(project).id

    # -- the ledger ---------------------------------------------------------------------

    def knows(self, project: ProjectRef, character: str, as_of_episode: int | None = None) -> KnowsReport:
        return self.ledger.knows(self._id(project), character, as_of_episode)

    def secrets(self, project: ProjectRef, as_of_episode: int | None = None) -> list[SecretStatus]:
        return self.ledger.status(self._id(project), as_of_episode)

    def add_secret(self, project: ProjectRef, author: str, **fields):
        return self.ledger.add_secret(self._id(project), fields, author)

    def learn_secret(self, project: ProjectRef, secret: str, character: str, episode: int, author: str,
                     source: str = ""):
        return self.ledger.learn(self._id(project), secret, character, episode, source, author)

    def add_state(self, project: ProjectRef, author: str, **fields):
        return self.ledger.add_state(self._id(project), fields, author)

    def remove_ledger_row(self, project: ProjectRef, row: str, author: str) -> str:
        """Remove a wrong ledger row, named as a check finding cites it (``state:lin-wan/status/-/3``): a delete
        revision, as canon's. Non-editors on Discord propose it (action ``ledger_remove``)."""
        return self.story_change(project, "ledger_remove", {"row": row}, author)

    def timeline(self, project: ProjectRef, character: str | None = None) -> list[tuple]:
        """(character entry, state fact) in episode order, for one character or all."""
        project_id = self._id(project)
        chars = self.ledger.characters(project_id)
        only = self.ledger.character(project_id, character).id if character else None
        facts = [f for f in self.ledger.states(project_id) if only is None or f.character == only]
        return [(chars.get(f.character), f) for f in sorted(facts, key=lambda f: (f.episode, f.character))]

    def story_change(self, project: ProjectRef, action: str, payload: dict, author: str) -> str:
        """Apply one ledger change now (an editor's): a one-line summary."""
        project_id = self._id(project)
        row, summary = self.changes.row(project_id, action, payload)
        self.ledger.records.write(project_id, [row], author)
        return summary

    def import_ledger(self, project: ProjectRef, path: Path, author: str) -> tuple[int, int]:
        from ..canon.importers import read_text_file

        project_id = self._id(project)
        secrets, knows, states = ledger_io.parse(read_text_file(path, self.settings.max_import_bytes), str(path))
        return self.ledger.write_rows(project_id, secrets, knows, states, author)

    def restore_ledger(self, project: ProjectRef, doc: dict, label: str, author: str) -> tuple[int, int]:
        """The ledger a project archive holds (``export_ledger``'s JSON, as `project delete` saves it)."""
        return self.ledger.write_rows(self._id(project), *ledger_io.from_doc(doc, f"{label}: ledger"), author)

    def suggest_ledger(self, project: ProjectRef, read: ReadLedger) -> tuple[str, list[str]]:
        """With a model (``read``): ledger rows read out of the episode entries, as a Markdown ledger for an
        editor to review and import (nothing is written), plus the suggestions left out as unusable."""
        from .suggest import usable_rows

        proj = self.store.project(project)
        entries = list(self.store.iter_entries(proj.id))
        episodes = sorted((e for e in entries if e.kind == Kind.episode), key=lambda e: (e.episode or 0, e.name))
        if not episodes:
            raise InvalidInput("no episode entries to read: import the episode summaries first")
        chars = self.ledger.characters(proj.id)
        existing = self.ledger.secrets(proj.id)
        reply = read(proj, "\n".join(f"Episode {e.episode}: {e.name}. {e.text}" for e in episodes),
                     ", ".join(f"{c.id} ({c.name})" for c in chars.values()) or "(none)",
                     ", ".join(f"{s.resolved_id()} ({s.name})" for s in existing) or "(none)")
        secrets, knows, dropped = usable_rows(reply, chars, {s.resolved_id() for s in existing})
        return ledger_io.to_markdown(proj.name, secrets, knows, [], chars), dropped

    def export_ledger(self, project: ProjectRef, fmt: str) -> str:
        proj = self.store.project(project)
        parts = (self.ledger.secrets(proj.id), self.ledger.knowledge(proj.id), self.ledger.states(proj.id))
        if fmt == "json":
            return ledger_io.to_json(proj.name, *parts)
        if fmt == "markdown":
            return ledger_io.to_markdown(proj.name, *parts, self.ledger.characters(proj.id))
        raise InvalidInput("unknown export format '{fmt}' (json or markdown)", fmt=fmt)

    # -- what a draft meets without a model ------------------------------------------------

    def story_world(self, project: ProjectRef) -> World:
        """What the continuity lint and the knowledge boundaries read: characters, places, the ledger,
        and the series' end (the project's ``series_episodes`` setting, or its last episode entry)."""
        from .boundaries import world as build_world

        proj = self.store.project(project)
        end = proj.settings.get("series_episodes")
        return build_world(self.ledger, proj.id, int(end) if end else None)

    def lint(self, project: ProjectRef, draft: str, episode: int | None = None) -> list[Finding]:
        """The deterministic continuity rules alone: no model, no index."""
        from .lint import lint as lint_draft

        return lint_draft(draft, episode, self.story_world(project))

    def boundaries(self, project: ProjectRef, text: str, episode: int | None, names: list[str] = ()) -> str:
        """Each named character's knowledge as of the episode, for the model's prompts."""
        from .boundaries import knowledge_boundaries

        return knowledge_boundaries(self.story_world(project), text, episode, list(names))

    def before_check(self, project: ProjectRef, draft: str, episode: int | None) -> tuple[list[dict], str]:
        """A draft's lint findings (as check issues) and its characters' knowledge boundaries: what the
        model check starts from, from one reading of the story world."""
        from .boundaries import knowledge_boundaries
        from .lint import lint as lint_draft

        world = self.story_world(project)
        found = [f.as_issue() for f in lint_draft(draft or "", episode, world)]
        return found, knowledge_boundaries(world, draft or "", episode)
