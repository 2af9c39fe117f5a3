"""WritersRoom: the one API the CLI and the Discord cogs call.

It owns the system of record and the per-project indexes; surfaces only parse, call and
render. Writing features (answers, checks, scenes...) reach canon through ``retrieve`` here.
"""

from __future__ import annotations

import getpass
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .canon import chroma_owner, exporters
from .canon.embedders import Embedder, make_embedder
from .canon.errors import CanonError, Conflict, InvalidInput, NotAllowed, NotFound
from .canon.import_worker import write_batch, write_in_child
from .canon.importers import make_entry, parse_files
from .canon.models import Entry, EntryIn, Hit, Project, Revision, slugify
from .canon.rerank import make_reranker
from .canon.retrieval import HYBRID, FusionWeights, ProjectIndex, check_question, project_index_dir
from .canon.store import CanonStore
from .canon.workflow import DraftRow, Proposal, Workflow, person
from .canon.vector_process import RemoteVectorIndex, VectorProcess
from .canon.vectors import VectorIndex, make_chroma_client
from . import tables  # noqa: F401  (every domain's tables, before the store opens the database)
from .settings import Settings
from .story import ledger_io
from .story.asof import entries_as_of, placement_warnings
from .story.boundaries import knowledge_boundaries
from .story.boundaries import world as story_world
from .story.ledger import KnowsReport, Ledger, SecretStatus
from .story.lint import Finding, World
from .story.lint import lint as lint_draft

ProjectRef = str | int | Project
log = logging.getLogger("cliffhanger")
Progress = Callable[[int, int], Callable[[int], None]]  # (total entries, marker) -> tick(n)


@dataclass
class ImportReport:
    project: str
    files: int
    created: int
    updated: int
    unchanged: int
    indexed: int
    records_s: float = 0.0  # parsing and writing the records
    keyword_s: float = 0.0  # then, until new entries are found by name and keyword
    semantic_s: float = 0.0  # then, until the dense half has them too
    kinds: dict[str, int] = field(default_factory=dict)  # entries per kind in the files
    warnings: list[str] = field(default_factory=list)  # never refusals: e.g. sentences placed in later episodes


CHANGE_ACTIONS = ("add", "edit", "delete")
STORY_ACTIONS = ("secret_add", "secret_learn", "state_add")  # ledger changes, proposed like canon's
MAX_SCENE_CHARACTERS = 8  # each name is looked up in canon (aliases by a scan): a scene request stays bounded
ID_PREFIX_MARK = "…"  # "<start of an id>…": a long id cut to fit (Discord's 100-character choice values)
# who may press a scene draft's buttons: accepting writes canon (editors); the rest touch only the
# draft or start model calls (its author, or an editor)
DRAFT_EDITORS_ONLY = {"accept"}
DRAFT_ACTIONS = {"accept", "revise", "continue", "discard"}


@dataclass
class Change:
    """A canon change as it was applied: what happened to which entry."""

    action: str  # add | edit | delete, or a ledger change (STORY_ACTIONS)
    entry: Entry | None
    summary: str = ""  # what a ledger change did, in one line


@dataclass
class Decision:
    proposal: Proposal
    change: Change | None  # None when rejected


def default_author() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in some containers
        return "cli"


class WritersRoom:
    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None,
                 vectors_in_child: bool = False) -> None:
        """``vectors_in_child`` runs the embedding model and Chroma in a child process (the bot does, so
        that index writes never stall its event loop; see canon/vector_process.py)."""
        self.settings = settings or Settings()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = CanonStore(self.settings.resolved_database_url)
        self.workflow = Workflow(self.store)
        self.ledger = Ledger(self.store)
        self._embedder = embedder
        self._chroma = None
        s = self.settings
        self.vector_process = VectorProcess(s.index_dir, s.chroma_host, s.chroma_port, s.embedder, s.openai_api_key,
                                             s.openai_base_url) if vectors_in_child else None
        self._looked_for_bot = vectors_in_child or embedder is not None  # an injected model stays in-process
        self._indexes: dict[int, ProjectIndex] = {}
        self._index_lock = threading.Lock()  # Discord runs requests in worker threads
        self._chroma_lock = threading.Lock()
        self._writer = None
        self._producer = None
        self._production_desk = None
        s = self.settings
        self.reranker = make_reranker(s.reranker, s.reranker_url or s.openai_base_url,
                                      s.reranker_api_key or s.openai_api_key)

    # -- plumbing ---------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            s = self.settings
            self._embedder = make_embedder(s.embedder, s.openai_api_key, s.openai_base_url)
        return self._embedder

    def index(self, project: Project, progress: Progress | None = None) -> ProjectIndex:
        """The project's index, caught up with the records first (unless another import is
        indexing it right now: then as it stands, rather than keep the room waiting)."""
        idx = self._open_index(project)
        idx.sync(progress, wait=progress is not None)
        return idx

    def _open_index(self, project: Project) -> ProjectIndex:
        with self._index_lock:
            return self._open_index_locked(project)

    def _open_index_locked(self, project: Project) -> ProjectIndex:
        idx = self._indexes.get(project.id)
        if idx is None:
            if not self._looked_for_bot:  # a bot running on this data owns the index: work through it
                s, self._looked_for_bot = self.settings, True
                self.vector_process = VectorProcess.attach(s.index_dir, s.chroma_host, s.chroma_port, s.embedder)
            if not project_index_dir(self.settings.index_dir, project.id).exists() \
                    and self.store.latest_change(project.id):
                log.warning("the search index of %s is missing (deleted?); rebuilding it from the records",
                            project.name)
            if self.vector_process:
                vectors = RemoteVectorIndex(self.vector_process, project.id)
            else:
                vectors = lambda: VectorIndex(self._chroma_client(), project.id, self.embedder)  # noqa: E731
            idx = ProjectIndex(self.store, project.id, self.settings.index_dir, vectors, self.reranker)
            self._indexes[project.id] = idx
        return idx

    def _chroma_client(self):
        with self._chroma_lock:  # projects open their dense halves lazily, maybe in two threads at once
            return self._chroma_client_locked()

    def _chroma_client_locked(self):
        if self._chroma is None:
            s = self.settings
            if not s.chroma_host:  # embedded: this process becomes the directory's one owner, or says who is
                chroma_owner.claim(s.index_dir)
            try:
                self._chroma = make_chroma_client(s.index_dir, s.chroma_host, s.chroma_port)
            except Exception:
                if not s.chroma_host:
                    chroma_owner.release(s.index_dir)
                raise
        return self._chroma

    def warm_up(self) -> None:
        """Load the embedding model, the index client and the writing engine now, so that the first
        command does not wait for them (nor stall the bot's loop on their module imports)."""
        if self.vector_process:
            self.vector_process.call("warm_up")
        else:
            self.embedder.embed_query("warm up")
            with self._index_lock:
                self._chroma_client()
        writer = self.writer  # imports the writing engine
        if writer.model.configured:  # and langchain-openai with its client: a first model call importing
            writer.model.llm  # noqa: B018  them in a worker thread stalled the bot's loop by ~300 ms

    def close(self) -> None:
        for idx in self._indexes.values():
            idx.close()
        self._indexes.clear()
        if self.reranker:
            self.reranker.close()
        if self.vector_process:
            self.vector_process.close()
        if self._chroma is not None:
            if hasattr(self._chroma, "close"):  # close() came in chromadb 1.x
                self._chroma.close()  # releases the index files for the next process to open them
            self._chroma = None
            if not self.settings.chroma_host:
                chroma_owner.release(self.settings.index_dir)
        self.store.engine.dispose()

    # -- projects ---------------------------------------------------------------------

    def create_project(self, name: str, scope: str = "") -> Project:
        try:
            project = self.store.create_project(name, scope)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        project_index_dir(self.settings.index_dir, project.id).mkdir(parents=True, exist_ok=True)
        return project  # (an index directory missing later, with records, was lost: see _open_index)

    def project(self, ref: ProjectRef, scope: str = "") -> Project:
        """A project by name within a scope, or by id (what Discord channel bindings hold)."""
        if isinstance(ref, Project):
            return ref
        if isinstance(ref, int):
            return self.store.get_project_by_id(ref)
        return self.store.get_project(ref, scope)

    def list_projects(self, scope: str = "") -> list[tuple[Project, int]]:
        return [(p, self.store.count_entries(p.id)) for p in self.store.list_projects(scope)]

    def rename_project(self, project: ProjectRef, new_name: str) -> Project:
        try:
            return self.store.rename_project(self.project(project).id, new_name)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None

    def delete_project(self, project: ProjectRef) -> tuple[Project, int, Path]:
        """Delete a project, its canon, history and index. Its entries are first saved as a JSON export in
        the data directory, which ``import`` brings back (without the revision history, which is gone).
        Returns (project, entries deleted, where the export is)."""
        proj = self.project(project)
        entries = list(self.store.iter_entries(proj.id))
        keep = self.settings.data_dir / "deleted-projects"
        keep.mkdir(parents=True, exist_ok=True)
        saved = keep / f"{slugify(proj.name)}-{time.strftime('%Y%m%d-%H%M%S')}.json"
        saved.write_text(exporters.to_json(proj.name, entries), encoding="utf-8")
        self.store.delete_project(proj.id)
        idx = self._open_index(proj)
        idx.rebuild()  # the records are gone: this empties both halves, so a reused id starts clean
        idx.close()
        self._indexes.pop(proj.id, None)
        return proj, len(entries), saved

    def update_project_settings(self, project: ProjectRef, **changes) -> Project:
        return self.store.update_project_settings(self.project(project).id, changes)

    # -- canon ------------------------------------------------------------------------

    def import_files(self, paths: Iterable[Path], project: ProjectRef | None = None, episode: int | None = None,
                     author: str | None = None, progress: Progress | None = None,
                     in_child: bool = False, fallback_project: str | None = None) -> ImportReport:
        """Parse every file, then write all entries in one transaction, then index them. The project is
        ``project``, else the one a JSON file names, else ``fallback_project`` (the CLI's default).

        ``in_child`` parses and writes in a child process (the bot does, so that its event loop
        keeps running; see canon/import_worker.py); indexing stays here, the one index writer."""
        paths, author = list(paths), author or default_author()
        start = time.perf_counter()
        if in_child:
            if project is None:
                raise InvalidInput("which project? name the project to import into")
            proj = self.project(project)
            done = write_in_child(self.settings.resolved_database_url, proj.id, paths, episode,
                                  self.settings.max_import_bytes, author)
        else:
            batch = parse_files(paths, episode, self.settings.max_import_bytes)
            name = project or next((f.project for f in batch.files if f.project), None) or fallback_project
            if not name:
                raise InvalidInput("which project? pass --project NAME, set \"project\" in the JSON file, or choose a "
                                   "default with `cliffhanger project use NAME`")
            proj = self.project(name)
            done = write_batch(self.store, proj.id, batch, author, placement_warnings)
        written = time.perf_counter()
        index = self._open_index(proj)
        indexed = index.sync_lexical()  # searchable by keyword from here on
        keyword = time.perf_counter()
        indexed = max(indexed, index.sync_dense(progress) or 0)
        return ImportReport(proj.name, done.files, done.created, done.updated, done.unchanged, indexed,
                            written - start, keyword - written, time.perf_counter() - written, done.kinds,
                            done.warnings)

    def add_entry(self, project: ProjectRef, entry: EntryIn, author: str) -> Entry:
        proj = self.project(project)
        self.store.write_entries(proj.id, [entry], author)
        self.index(proj)
        return self.store.get_entry(proj.id, entry.resolved_id())

    # -- changes and proposals: editors change canon, anyone else proposes ---------------

    def change_entry(self, project: ProjectRef, action: str, entry: dict, author: str,
                     base_revision: int | None = None) -> Change:
        """An editor's add, edit or delete, applied now. ``base_revision`` (the revision a form was
        opened on) refuses the change if the entry moved on meanwhile, instead of undoing that edit."""
        proj = self.project(project)
        with self.store._tx(proj.id) as s:
            change = self._apply_change(s, proj, action, entry, author, base_revision)
        return self._after_change(proj, change)

    def propose_change(self, project: ProjectRef, action: str, entry: dict, proposer: str,
                       base_revision: int | None = None) -> Proposal:
        """A non-editor's change, kept for an editor to decide. It remembers the entry's revision
        (``base_revision``, else the current one), so approving it late never reverts newer edits."""
        proj = self.project(project)
        if action in STORY_ACTIONS:
            self._story_row(proj, action, entry)  # bad input fails now, not when an editor approves
            return self.workflow.propose(proj.id, action, entry, proposer, None)
        if action not in CHANGE_ACTIONS:
            raise InvalidInput(f"unknown change '{action}' (add, edit or delete)")
        if action == "delete":
            target = self.find_entry(proj, entry.get("id") or entry.get("name") or "")
            entry = {"id": target.id, "name": target.name}
            entry_id = target.id
        else:
            entry_id = make_entry("canon", f"entry '{entry.get('name', '')}'", entry).resolved_id()  # bad input: now
        if base_revision is None:
            base_revision = self.store.revision_of(proj.id, entry_id)
        return self.workflow.propose(proj.id, action, entry, proposer, base_revision)

    def proposals(self, project: ProjectRef, status: str | None = "open") -> list[Proposal]:
        return self.workflow.proposals(self.project(project).id, status)

    def proposal(self, proposal_id: int, project: ProjectRef | None = None) -> Proposal:
        found = self.workflow.proposal(proposal_id)
        if project is not None and found.project_id != self.project(project).id:
            raise NotFound(f"there is no proposal #{proposal_id} in this project")
        return found

    def decide_proposal(self, proposal_id: int, approve: bool, by: str, editor: bool,
                        project: ProjectRef | None = None) -> Decision:
        """Approve (apply) or reject a proposal, once. Only editors decide; the claim and the change
        commit in one transaction, so a rejected or already approved proposal never reaches canon,
        and a proposal whose entry changed since is refused (it stays open: reject it)."""
        if not editor:
            raise NotAllowed("Only editors can approve or reject proposals.")
        found = self.proposal(proposal_id, project)
        proj = self.project(found.project_id)

        def apply(s, p: Proposal):
            if approve:
                return self._apply_change(s, proj, p.action, p.entry, f"{p.proposer} (approved by {by})",
                                          p.base_revision)
            return None

        decided, change = self.workflow.decide(proposal_id, "approved" if approve else "rejected", by, apply)
        return Decision(decided, self._after_change(proj, change) if change else None)

    def _apply_change(self, s, proj: Project, action: str, entry: dict, author: str,
                      base_revision: int | None) -> Change:
        if action in STORY_ACTIONS:
            row, summary = self._story_row(proj, action, entry)
            self.ledger.records.write_in(s, proj.id, [row], author)
            return Change(action, None, summary)
        if action == "delete":
            return Change("delete", self.store.delete_in(s, proj.id, entry["id"], author, base_revision))
        if action not in CHANGE_ACTIONS:
            raise InvalidInput(f"unknown change '{action}' (add, edit or delete)")
        new = make_entry("canon", f"entry '{entry.get('name', '')}'", entry)
        self.store.write_in(s, proj.id, [new], author, base_revision)
        return Change(action, Entry(**{**new.model_dump(), "id": new.resolved_id(), "revision": 0}))

    def _after_change(self, proj: Project, change: Change) -> Change:
        if change.action in STORY_ACTIONS:
            return change  # the ledger is not in the search index
        self.index(proj)
        if change.action != "delete":
            change.entry = self.store.get_entry(proj.id, change.entry.id)
        return change

    # -- drafts: generated scenes waiting in a thread -----------------------------------

    def draft_for(self, draft_id: int, action: str, by: str, editor: bool) -> DraftRow:
        """The open draft ``by`` may act on: accepting it into canon is for editors; revising,
        continuing or discarding it is for its author and editors."""
        if action not in DRAFT_ACTIONS:
            raise InvalidInput(f"unknown draft action '{action}'")
        draft = self.workflow.draft(draft_id)
        if draft.status != "open":
            raise NotAllowed(f"This draft was already {draft.status}.")
        if not editor:
            if action in DRAFT_EDITORS_ONLY:
                raise NotAllowed("Only editors can accept a scene into canon.")
            if person(draft.author) != person(by):
                raise NotAllowed("Only the scene's author or an editor can do that.")
        return draft

    def discard_draft(self, draft_id: int, by: str, editor: bool) -> DraftRow:
        self.draft_for(draft_id, "discard", by, editor)
        return self.workflow.claim_draft(draft_id, "discarded")[0]

    def accept_draft(self, draft_id: int, by: str, editor: bool) -> Entry:
        """The draft into canon as a scene entry; the draft closes in the same transaction."""
        draft = self.draft_for(draft_id, "accept", by, editor)
        proj = self.project(draft.project_id)
        scene = {"kind": "scene", "name": draft.brief[:80], "text": draft.text, "episode": draft.episode,
                 "tags": ["generated"]}
        _row, change = self.workflow.claim_draft(
            draft_id, "accepted", lambda s: self._apply_change(s, proj, "add", scene, by, None))
        return self._after_change(proj, change).entry

    def revise_draft(self, draft_id: int, notes: str, by: str, editor: bool, on_text=None) -> tuple[int, str]:
        """A new take of the draft (with canon as of its episode); the old take is closed. Returns
        (the new draft's id, its text)."""
        draft = self.draft_for(draft_id, "revise", by, editor)
        text = self.revise_scene(draft.project_id, draft.text, notes, on_text, episode=draft.episode)
        self.workflow.claim_draft(draft_id, "discarded")  # superseded (a second take at once fails here)
        return self.workflow.save_draft(draft.project_id, "scene", draft.brief, draft.episode, by, text), text

    def find_entry(self, project: ProjectRef, name_or_id: str, include_deleted: bool = False) -> Entry:
        proj = self.project(project)
        matches = self.store.find_by_name(proj.id, name_or_id, include_deleted)
        if not matches and name_or_id.endswith(ID_PREFIX_MARK) and len(name_or_id) > 1:
            prefix = name_or_id[:-len(ID_PREFIX_MARK)]
            matches = [e for e in self.store.iter_entries(proj.id, include_deleted) if e.id.startswith(prefix)]
        if not matches:
            raise NotFound(f"no entry named '{name_or_id}' in {proj.name}")
        if len(matches) > 1:
            ids = ", ".join(m.id for m in matches[:5])
            raise InvalidInput(f"'{name_or_id}' names {len(matches)} entries ({ids}); use the id")
        return matches[0]

    def add_aliases(self, project: ProjectRef, name_or_id: str, aliases: list[str], author: str) -> Entry:
        """Give an entry more names, such as its name in another script (沈知意 for "Shen Zhiyi"):
        a question using any of them then finds it by name, in either half of the index."""
        proj = self.project(project)
        entry = self.find_entry(proj, name_or_id)
        added = [a.strip() for a in aliases if a.strip() and a.strip() not in entry.names]
        if not added:
            raise InvalidInput(f"{entry.name} already has those names")
        try:
            updated = EntryIn(**{**entry.model_dump(exclude={"revision"}), "aliases": [*entry.aliases, *added]})
        except ValueError as exc:
            raise InvalidInput(f"not an alias: {exc}") from None
        self.store.write_entries(proj.id, [updated], author)
        self.index(proj)
        return self.store.get_entry(proj.id, entry.id)

    def delete_entry(self, project: ProjectRef, name_or_id: str, author: str) -> Entry:
        proj = self.project(project)
        entry = self.find_entry(proj, name_or_id)
        self.store.delete_entry(proj.id, entry.id, author)
        self.index(proj)
        return entry

    def history(self, project: ProjectRef, name_or_id: str) -> list[Revision]:
        """Every revision of an entry named by id, name or alias (deleted entries too)."""
        proj = self.project(project)
        return self.store.history(proj.id, self.find_entry(proj, name_or_id, include_deleted=True).id)

    def history_changes(self, project: ProjectRef, name_or_id: str):
        """The entry (as it stands, or as it was deleted) and what each of its revisions changed."""
        from .canon.history import describe

        proj = self.project(project)
        entry = self.find_entry(proj, name_or_id, include_deleted=True)
        return entry, describe(self.store.history(proj.id, entry.id))

    def restore(self, project: ProjectRef, name_or_id: str, revision: int, author: str) -> Entry:
        proj = self.project(project)
        entry_id = self.find_entry(proj, name_or_id, include_deleted=True).id
        entry = self.store.restore_revision(proj.id, entry_id, revision, author)
        self.index(proj)
        return entry

    def create_entry(self, project: ProjectRef, entry: EntryIn, author: str) -> Entry:
        """Add a new entry; an entry with the same id (live or deleted) is a Conflict, never overwritten."""
        proj = self.project(project)
        if self.store.find_by_name(proj.id, entry.resolved_id(), include_deleted=True):
            raise Conflict(f"an entry with id '{entry.resolved_id()}' already exists in {proj.name} "
                           "(change it with `edit`, or give another --id)")
        return self.add_entry(proj, entry, author)

    def edit_entry(self, project: ProjectRef, name_or_id: str, changes: dict, author: str) -> tuple[Entry, bool]:
        """Apply field changes to an entry as a new revision; returns (entry, whether anything changed).
        The id never changes: it is how history, links and re-imports find the entry."""
        proj = self.project(project)
        entry = self.find_entry(proj, name_or_id)
        if changes.get("id", entry.id) != entry.id:
            raise InvalidInput(f"an entry's id cannot change ('{entry.id}'); add a new entry instead")
        data = {**entry.model_dump(mode="json", exclude={"revision"}), **changes, "id": entry.id}
        updated = make_entry("edit", f"entry '{entry.name[:60]}'", data)
        result = self.store.write_entries(proj.id, [updated], author)
        self.index(proj)
        return self.store.get_entry(proj.id, entry.id), bool(result.changed)

    def list_entries(self, project: ProjectRef, kind: str | None = None, tag: str | None = None,
                     episode: int | None = None) -> list[Entry]:
        """Live entries in story order, narrowed to a kind, a tag and an episode when given."""
        tag_key = tag.casefold() if tag else None
        return [e for e in exporters.story_order(self.entries(project))
                if (kind is None or e.kind.value == kind) and (episode is None or e.episode == episode)
                and (tag_key is None or tag_key in (t.casefold() for t in e.tags))]

    def entry_names_matching(self, project: ProjectRef, fragment: str, limit: int = 25) -> list[tuple[str, str]]:
        return self.index(self.project(project)).lexical.names_matching(fragment.strip(), limit)

    def entries(self, project: ProjectRef) -> list[Entry]:
        return list(self.store.iter_entries(self.project(project).id))

    def retrieve(self, project: ProjectRef, question: str, k: int = 5, as_of_episode: int | None = None,
                 weights: FusionWeights = HYBRID) -> list[Hit]:
        question = check_question(question)
        if k < 1 or k > 100:
            raise InvalidInput("k must be between 1 and 100")
        return self.index(self.project(project)).search(question, k, as_of_episode, weights)

    def export(self, project: ProjectRef, fmt: str) -> str:
        proj = self.project(project)
        entries = list(self.store.iter_entries(proj.id))
        if fmt == "json":
            return exporters.to_json(proj.name, entries)
        if fmt == "markdown":
            return exporters.to_markdown(proj.name, entries)
        raise InvalidInput(f"unknown export format '{fmt}' (json or markdown)")

    # -- story: the who-knows-what ledger and character states ----------------------------

    def knows(self, project: ProjectRef, character: str, as_of_episode: int | None = None) -> KnowsReport:
        return self.ledger.knows(self.project(project).id, character, as_of_episode)

    def secrets(self, project: ProjectRef, as_of_episode: int | None = None) -> list[SecretStatus]:
        return self.ledger.status(self.project(project).id, as_of_episode)

    def add_secret(self, project: ProjectRef, author: str, **fields):
        return self.ledger.add_secret(self.project(project).id, fields, author)

    def learn_secret(self, project: ProjectRef, secret: str, character: str, episode: int, author: str,
                     source: str = ""):
        return self.ledger.learn(self.project(project).id, secret, character, episode, source, author)

    def add_state(self, project: ProjectRef, author: str, **fields):
        return self.ledger.add_state(self.project(project).id, fields, author)

    def timeline(self, project: ProjectRef, character: str | None = None) -> list[tuple]:
        """(character entry, state fact) in episode order, for one character or all."""
        proj = self.project(project)
        chars = self.ledger.characters(proj.id)
        only = self.ledger.character(proj.id, character).id if character else None
        facts = [f for f in self.ledger.states(proj.id) if only is None or f.character == only]
        return [(chars.get(f.character), f) for f in sorted(facts, key=lambda f: (f.episode, f.character))]

    def _story_row(self, proj: Project, action: str, payload: dict) -> tuple[tuple[str, str, dict], str]:
        """A ledger change as the row it writes and a one-line summary; bad input fails here."""
        if action == "secret_add":
            row = self.ledger.secret_row(proj.id, payload)
            return ("secret", row.id, row.model_dump(mode="json")), f"saved secret {row.name} ({row.id})"
        if action == "secret_learn":
            k = self.ledger.learn_row(proj.id, payload.get("secret", ""), payload.get("character", ""),
                                      int(payload.get("episode", 0)), payload.get("source", ""))
            who = self.ledger.character(proj.id, k.character).name
            return ("knows", k.resolved_id(), k.model_dump(mode="json")), \
                f"recorded: {who} learns {k.secret} in episode {k.episode}"
        if action == "state_add":
            f = self.ledger.state_row(proj.id, payload)
            who = self.ledger.character(proj.id, f.character).name
            return ("state", f.resolved_id(), f.model_dump(mode="json")), \
                f"recorded: {who} {f.aspect} {f.value} from episode {f.episode}"
        raise InvalidInput(f"unknown ledger change '{action}'")

    def story_change(self, project: ProjectRef, action: str, payload: dict, author: str) -> str:
        """Apply one ledger change now (an editor's): a one-line summary."""
        proj = self.project(project)
        row, summary = self._story_row(proj, action, payload)
        self.ledger.records.write(proj.id, [row], author)
        return summary

    def import_ledger(self, project: ProjectRef, path: Path, author: str) -> tuple[int, int]:
        from .canon.importers import read_text_file

        proj = self.project(project)
        secrets, knows, states = ledger_io.parse(read_text_file(path, self.settings.max_import_bytes), str(path))
        return self.ledger.write_rows(proj.id, secrets, knows, states, author)

    def suggest_ledger(self, project: ProjectRef) -> tuple[str, list[str]]:
        """With a model: ledger rows read out of the episode entries, as a Markdown ledger for an editor to
        review and import (nothing is written), plus the suggestions left out as unusable."""
        from .canon.models import Kind
        from .story.suggest import usable_rows

        proj = self.project(project)
        entries = list(self.store.iter_entries(proj.id))
        episodes = sorted((e for e in entries if e.kind == Kind.episode), key=lambda e: (e.episode or 0, e.name))
        if not episodes:
            raise InvalidInput("no episode entries to read: import the episode summaries first")
        chars = self.ledger.characters(proj.id)
        existing = self.ledger.secrets(proj.id)
        reply = self.writer.suggest_ledger(
            proj, "\n".join(f"Episode {e.episode}: {e.name}. {e.text}" for e in episodes),
            ", ".join(f"{c.id} ({c.name})" for c in chars.values()) or "(none)",
            ", ".join(f"{s.resolved_id()} ({s.name})" for s in existing) or "(none)")
        secrets, knows, dropped = usable_rows(reply, chars, {s.resolved_id() for s in existing})
        return ledger_io.to_markdown(proj.name, secrets, knows, [], chars), dropped

    def export_ledger(self, project: ProjectRef, fmt: str) -> str:
        proj = self.project(project)
        parts = (self.ledger.secrets(proj.id), self.ledger.knowledge(proj.id), self.ledger.states(proj.id))
        if fmt == "json":
            return ledger_io.to_json(proj.name, *parts)
        if fmt == "markdown":
            return ledger_io.to_markdown(proj.name, *parts, self.ledger.characters(proj.id))
        raise InvalidInput(f"unknown export format '{fmt}' (json or markdown)")

    # -- writing ----------------------------------------------------------------------

    @property
    def writer(self):
        if self._writer is None:
            from .writing.service import Writer

            self._writer = Writer(self.settings)
        return self._writer

    def canon_view(self, project: ProjectRef, as_of_episode: int | None = None):
        """The project and its canon as a reader at ``as_of_episode`` sees it (all of it when None)."""
        proj = self.project(project)
        return proj, _ProjectCanon(self, proj, as_of_episode)

    def ask(self, project: ProjectRef, question: str, as_of_episode: int | None = None):
        return self.writer.ask(*self.canon_view(project, as_of_episode), question, as_of_episode)

    def story_world(self, project: ProjectRef) -> World:
        """What the continuity lint and the knowledge boundaries read: characters, places, the ledger,
        and the series' end (the project's ``series_episodes`` setting, or its last episode entry)."""
        proj = self.project(project)
        end = proj.settings.get("series_episodes")
        return story_world(self.ledger, proj.id, int(end) if end else None)

    def lint(self, project: ProjectRef, draft: str, episode: int | None = None) -> list[Finding]:
        """The deterministic continuity rules alone: no model, no index."""
        return lint_draft(draft, episode, self.story_world(project))

    def boundaries(self, project: ProjectRef, text: str, episode: int | None, names: list[str] = ()) -> str:
        return knowledge_boundaries(self.story_world(project), text, episode, list(names))

    def check(self, project: ProjectRef, draft: str, episode: int | None = None):
        """The lint first (no model needed), then the model check with each named character's knowledge
        boundary; the issues list says whether the model check ran (``model_checked``)."""
        proj, canon = self.canon_view(project, episode)
        world = self.story_world(proj)
        found = [f.as_issue() for f in lint_draft(draft or "", episode, world)]
        return self.writer.check(proj, canon, draft, episode, found, knowledge_boundaries(world, draft or "", episode))

    def scene_characters(self, project: ProjectRef, characters: list[str]) -> list[str]:
        """The characters a scene request names, checked: at most MAX_SCENE_CHARACTERS, all in canon."""
        names = list(dict.fromkeys(c.strip() for c in characters if c.strip()))
        if len(names) > MAX_SCENE_CHARACTERS:
            raise InvalidInput(f"a scene takes at most {MAX_SCENE_CHARACTERS} characters ({len(names)} given)")
        proj = self.project(project)
        unknown = [n for n in names if not self.store.find_by_name(proj.id, n)]
        if unknown:
            raise InvalidInput(f"not in canon: {', '.join(unknown)} (add them first, or check the spelling)")
        return names

    def write_scene(self, project: ProjectRef, brief: str, characters: list[str] | None = None,
                    episode: int | None = None, on_text=None):
        characters = self.scene_characters(project, characters or [])
        proj, canon = self.canon_view(project, episode)
        known = lambda name: bool(self.store.find_by_name(proj.id, name))  # noqa: E731
        bounds = self.boundaries(proj, brief or "", episode, characters or [])
        return self.writer.scene(proj, canon, brief, characters or [], episode, known, on_text, bounds)

    def revise_scene(self, project: ProjectRef, scene: str, notes: str, on_text=None,
                     episode: int | None = None) -> str:
        """A revised scene; ``episode`` keeps canon from later episodes away from the model."""
        return self.writer.revise(*self.canon_view(project, episode), scene, notes, on_text, episode)

    def accept_scene(self, project: ProjectRef, fountain_text: str, name: str, episode: int | None, author: str) -> Entry:
        return self.add_entry(project, EntryIn(kind="scene", name=name, text=fountain_text, episode=episode,
                                               tags=["generated"]), author)

    def twists(self, project: ProjectRef, about: str | None = None, count: int = 3, episode: int | None = None):
        proj, canon = self.canon_view(project, episode)
        return self.writer.twists(proj, canon, about, count, episode, self.boundaries(proj, about or "", episode))

    def outline(self, project: ProjectRef, episode: int, brief: str | None = None):
        proj, canon = self.canon_view(project, episode)
        return self.writer.outline(proj, canon, episode, brief, self.boundaries(proj, brief or "", episode))

    # -- production -------------------------------------------------------------------

    @property
    def production(self):
        if self._producer is None:
            from .production.service import Producer

            self._producer = Producer(self.settings, self.writer.model)
        return self._producer

    def look_sheet(self, project: ProjectRef, names: list[str] | None = None, as_of_episode: int | None = None):
        """Characters, places and items (all, or those ``names`` name) with their looks, and the style rule."""
        from .production.looks import LOOK_KINDS, build_look_sheet

        proj, canon = self.canon_view(project)
        if names:
            chosen = []
            for name in names:
                found = [e for e in canon.find(name, as_of_episode) if e.kind.value in LOOK_KINDS]
                if not found:
                    when = f" as of episode {as_of_episode}" if as_of_episode is not None else ""
                    raise NotFound(f"no character, place or item named '{name}' in {proj.name}{when}")
                chosen += found
        else:
            chosen = canon.of_kinds(LOOK_KINDS, as_of_episode)
        return build_look_sheet(chosen, canon.pinned())

    def set_look(self, project: ProjectRef, name: str, look: str, author: str) -> Entry:
        """Set (or with an empty ``look``, clear) how a character, place or item looks: a new revision."""
        from .production.looks import LOOK_KINDS

        proj = self.project(project)
        entry = self.find_entry(proj, name)
        if entry.kind.value not in LOOK_KINDS:
            raise InvalidInput(f"'{entry.name}' is a {entry.kind.value}; looks are for {', '.join(LOOK_KINDS)}")
        data = {**entry.model_dump(exclude={"revision"}), "look": (look or "").strip() or None}
        try:
            return self.add_entry(proj, EntryIn.model_validate(data), author)
        except ValueError as exc:
            raise InvalidInput(str(exc).splitlines()[-1]) from None

    def storyboard(self, project: ProjectRef, scene_text: str | None = None, entry: str | None = None,
                   label: str = "scene", episode: int | None = None, images: bool | None = None,
                   folder: Path | None = None, on_progress: Callable[[str], None] | None = None):
        """A shot list for one scene (Fountain text, or a scene entry by id or name), drawn as frames and
        contact sheets under ``folder``. Canon is read as of ``episode`` (default: the scene's own)."""
        from .production.scene import read_entry, read_fountain

        proj, canon = self.canon_view(project)
        if entry is not None:
            scene = read_entry(self.find_entry(proj, entry))
            scene.episode = episode if episode is not None else scene.episode
        else:
            scene = read_fountain(scene_text or "", label, episode)
        say = on_progress or (lambda _text: None)
        if images and not self.production.images.configured:  # say so before the model's time is spent
            from .production.service import IMAGES_NOT_CONFIGURED

            raise InvalidInput(IMAGES_NOT_CONFIGURED)
        say("Drafting the shot list…")
        board = self.production.storyboard(proj, canon, scene, scene.episode)
        say(f"{len(board.shots)} shots; drawing frames…")
        return self.production.render(board, folder, images,
                                      lambda i, n: say(f"{len(board.shots)} shots; frame {i} of {n}…"))

    def promo(self, project: ProjectRef, episode: int, count: int = 12, angles: list[str] | None = None,
              allow_spoilers: bool = False):
        """Teaser scripts for episode ``episode``, from canon as of it (and no further than the paywall)."""
        return self.production.promo(*self.canon_view(project), episode, count, angles, allow_spoilers)

    def glossary(self, project: ProjectRef, lang: str, as_of_episode: int | None = None):
        """The fixed rendering of every name, place and term into ``lang``, from canon's entries."""
        return self.production.glossary(self.canon_view(project)[1], lang, as_of_episode)

    def set_rendering(self, project: ProjectRef, name: str, lang: str, rendering: str, author: str) -> Entry:
        """Fix how ``name`` (an entry's name, alias or id; else a new glossary term) is rendered in ``lang``."""
        from .production.service import language

        proj, lang = self.project(project), language(lang)
        rendering = " ".join((rendering or "").split())
        if not rendering:
            raise InvalidInput("the rendering is empty")
        found = self.store.find_by_name(proj.id, name)
        if len(found) > 1:
            raise InvalidInput(f"'{name}' names {len(found)} entries ({', '.join(e.id for e in found[:5])}); use the id")
        if found:
            data = found[0].model_dump(exclude={"revision"})
            data["renderings"] = {**(found[0].renderings or {}), lang: rendering}
        else:
            data = {"kind": "term", "name": name.strip(), "renderings": {lang: rendering}}
        try:
            entry = EntryIn.model_validate(data)
        except ValueError as exc:
            raise InvalidInput(str(exc).splitlines()[-1]) from None
        return self.add_entry(proj, entry, author)

    def suggest_glossary(self, project: ProjectRef, lang: str):
        return self.production.suggest_glossary(*self.canon_view(project), lang)

    def translate(self, project: ProjectRef, text: str, lang: str, label: str = "scene", episode: int | None = None):
        """The scene in ``lang`` as Fountain, with every glossary term it lost (see production/glossary.py)."""
        return self.production.translate(*self.canon_view(project), text, label, lang, episode)

    def reindex(self, project: ProjectRef, progress: Progress | None = None) -> int:
        return self._open_index(self.project(project)).rebuild(progress)

    # -- production desk (bot/production/desk.py) -----------------------------------------------

    @property
    def production_desk(self):
        if self._production_desk is None:
            from .production.desk import ProductionDesk

            self._production_desk = ProductionDesk(self.settings)
        return self._production_desk

    def entries_as_of(self, project: ProjectRef, as_of_episode: int | None) -> list[Entry]:
        """The canon a reader at an episode may see (everything when None), by the rule every reader uses:
        the one as-of view (later entries, progressions and sentences placed later are left out)."""
        return entries_as_of(self.entries(project), as_of_episode)

    def series_board(self, project: ProjectRef, max_episode_seconds: int | None = None,
                     max_absence: int | None = None):
        proj = self.project(project)
        return self.production_desk.board(proj, self.entries(proj), max_episode_seconds, max_absence)

    def export_screenplay(self, project: ProjectRef, fmt: str, episodes: str | None = None) -> bytes:
        proj = self.project(project)
        return self.production_desk.screenplay(proj, self.entries(proj), fmt, episodes)

    def draw(self, project: ProjectRef, kind: str, as_of_episode: int | None = None) -> bytes:
        """A PNG: the relationship graph, the appearance chart or the series board, as of an episode."""
        proj = self.project(project)
        return self.production_desk.picture(kind, proj, self.entries_as_of(proj, as_of_episode), as_of_episode)

    # -- operations -------------------------------------------------------------------

    def backup(self, output: Path):
        """A consistent snapshot of every record (canon, history, proposals, drafts, settings) in ``output``,
        taken while the bot may be writing (see ops/backup.py)."""
        from .ops.backup import backup_sqlite, pg_dump_guidance, sqlite_path

        database = sqlite_path(self.store.url)
        if database is None:
            raise InvalidInput(pg_dump_guidance(self.store.url))
        return backup_sqlite(database, Path(output))

    def reindex_all(self, progress: Progress | None = None) -> list[tuple[Project, int]]:
        """Rebuild every project's index, in every scope, and check each against the records: both halves
        caught up with the revision log and holding every live entry. A mismatch is an error, not a note."""
        done = []
        for project_id in self.store.all_project_ids():
            proj = self.store.get_project_by_id(project_id)
            idx = self._open_index(proj)
            n = idx.rebuild(progress)
            latest, live = self.store.latest_change(proj.id), self.store.count_entries(proj.id)
            if (idx.lexical.marker, idx.vectors.marker) != (latest, latest) or idx.lexical.count() < live \
                    or idx.vectors.count() < live:
                raise CanonError(f"the index of {proj.name} did not rebuild completely; run "
                                 f"`cliffhanger reindex --all` again")
            done.append((proj, n))
        return done

    @classmethod
    def restore_backup(cls, backup: Path, settings: Settings | None = None, progress: Progress | None = None):
        """Put a backup's records into this data directory (which must hold no canon yet), then rebuild and
        verify every project's index. Returns (what the backup held, [(project, entries indexed)])."""
        from .ops.backup import restore_sqlite, sqlite_path

        settings = settings or Settings()
        database = sqlite_path(settings.resolved_database_url)
        if database is None:
            raise InvalidInput("DATABASE_URL is PostgreSQL: restore with `pg_restore --clean --if-exists "
                               "--dbname=URL FILE`, then run `cliffhanger reindex --all`")
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        report = restore_sqlite(Path(backup), database)
        room = cls(settings)
        try:
            return report, room.reindex_all(progress)
        finally:
            room.close()


class _ProjectCanon:
    """The CanonView the writing layer sees: one project, read-only, as of one episode.

    Every entry it hands out has been through ``story.asof.entry_as_of``: later entries, later
    progressions and sentences placed in later episodes do not exist for its reader."""

    NAMED_KINDS = ("character", "location", "item", "faction")

    def __init__(self, room: WritersRoom, project: Project, as_of_episode: int | None = None) -> None:
        self.room, self.project, self.as_of = room, project, as_of_episode
        self.idx = room.index(project)

    def _episode(self, asked: int | None) -> int | None:
        if asked is None or self.as_of is None:
            return self.as_of if asked is None else asked
        return min(asked, self.as_of)

    def search(self, query: str, k: int, as_of_episode: int | None = None) -> list[Entry]:
        n = self._episode(as_of_episode)
        hits = self.idx.search(query, k, n)
        found = self.room.store.get_entries(self.project.id, [h.id for h in hits])
        return entries_as_of((found[h.id] for h in hits if h.id in found), n)

    def named_in(self, text: str, as_of_episode: int | None = None) -> list[Entry]:
        n = self._episode(as_of_episode)
        ids = self.idx.lexical.named_in(text, self.NAMED_KINDS, n)
        return entries_as_of(self.room.store.get_entries(self.project.id, ids).values(), n)

    def pinned(self) -> list[Entry]:
        return entries_as_of(self.room.store.pinned_entries(self.project.id), self.as_of)

    def find(self, name_or_id: str, as_of_episode: int | None) -> list[Entry]:
        """Entries with this id, name or alias, as canon reads them as of the episode."""
        return entries_as_of(self.room.store.find_by_name(self.project.id, name_or_id), self._episode(as_of_episode))

    def of_kinds(self, kinds: tuple[str, ...], as_of_episode: int | None) -> list[Entry]:
        """Every entry of ``kinds``, as canon reads them as of the episode."""
        return entries_as_of((e for e in self.room.store.iter_entries(self.project.id) if e.kind.value in kinds),
                             self._episode(as_of_episode))
