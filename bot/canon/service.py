"""The canon service the facade composes: projects, entries and their history, imports and exports,
retrieval, and changes under review, each write followed by its index upkeep (at once, or behind the
bot's reply: ``IndexManager.after_write``).

Projects are named by a ``ProjectRef`` (a name in the CLI's scope, an id as Discord's channel bindings
hold, or the Project itself), so every surface can say "this project" its own way.
"""

from __future__ import annotations

import difflib
import re
import getpass
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from ..settings import Settings
from . import exporters
from .errors import Conflict, InvalidInput, Joined, NotFound, Phrase
from .import_journal import ImportJournal, InterruptedImport
from .importers import make_entry
from .indexes import IndexManager, Progress
from .models import Entry, EntryIn, Hit, Project, ProjectRef, Revision, name_key, slugify
from .readings import entries_as_of, placement_warnings
from .review import CHANGE_ACTIONS, Change, ChangeKinds, Decision, Review
from .store import CanonStore
from .workflow import DraftRow, Proposal, Workflow

if TYPE_CHECKING:  # searching and importing load where first used: `show` or `list` needs neither
    from .importers.scene_matching import ScriptImport
    from .retrieval import FusionWeights
    from .view import AsOf, ProjectCanon

NEAR_NAMES_SCANNED = 2000  # names "did you mean" compares with a misspelt one (those closest in length)
ID_PREFIX_MARK = "…"  # "<start of an id>…": a long id cut to fit (Discord's 100-character choice values)


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
    scripts: list[ScriptImport] = field(default_factory=list)  # per screenplay: scenes matched, changed, added
    kept: list[str] = field(default_factory=list)  # "Name (id)" changed elsewhere since the file's last import
    parts: dict = field(default_factory=dict)  # an archive's settings and ledger: the facade restores them
    restored: list[str] = field(default_factory=list)  # what of those parts came back, one phrase each
    project_id: int = 0


def default_author() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in some containers
        return "cli"



PROJECT_LANGUAGES = {"en": "en", "zh_Hans": "zh-CN", "zh_Hant": "zh-TW"}  # catalog -> the code a project keeps

# what a room types to let each user be answered in their own Discord language again (the setting cleared)
FOLLOW_USERS = {"", "auto", "any", "none", "default", "user", "users", "follow", "跟随用户", "跟隨用戶", "跟随", "跟隨",
                "自动", "自動", "默认", "默認", "不限"}


def project_language(code) -> str | None:
    """The language a room writes and is answered in: one the bot speaks, kept as en, zh-CN or zh-TW
    (zh, zh_CN, zh-Hans, zh-hk, en-US, 中文, 繁體中文... are understood); None for "auto" (跟随用户, or
    nothing): each user is answered in their own language."""
    from ..i18n.choice import catalog_locale

    typed = str(code or "").strip()
    if typed.casefold() in FOLLOW_USERS:
        return None
    found = catalog_locale(typed)
    if found is None:
        raise InvalidInput("'{value}' is not a language the room speaks: use en, zh-CN or zh-TW (zh, zh-Hans, "
                           "zh-Hant, en-US and the like are understood too), or auto to follow each user's "
                           "language", value=typed)
    return PROJECT_LANGUAGES[found]


def bible_language(project: Project, entries: list[Entry]) -> str:
    """The language a project's Markdown bible is written in: the room's, else the script its canon is in."""
    return written_language(project, "".join(e.name + e.text for e in entries))


def written_language(project: Project, sample: str) -> str:
    """The language the room writes its canon in: the project's setting, else the script ``sample`` is in."""
    from .readings import written_in_chinese

    return project.settings.get("language") or ("zh-CN" if written_in_chinese(sample) else "en")


_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def did_you_mean(wanted: str, entries: Iterable[Entry]) -> str:
    """"; did you mean ...?" naming the names and aliases of ``entries`` nearest a misspelt one (or a word of
    a name: "Chen" finds "Gu Chen"), else nothing."""
    names = list(dict.fromkeys(n for e in entries for n in e.names))
    similar = sorted(names, key=lambda n: abs(len(n) - len(wanted)))[:NEAR_NAMES_SCANNED]  # bounded work
    close = difflib.get_close_matches(wanted, similar, n=3, cutoff=0.6)
    close += [n for n in names if wanted.casefold() in n.casefold().split() and n not in close][:3 - len(close)]
    if len(close) < 3 and _CJK_RE.search(wanted):  # a sound-alike character typed by pinyin: 陆承 for 陆沉
        from .crosslingual import sound
        heard = {sound(n): n for n in reversed(similar)}
        close += [heard[s] for s in difflib.get_close_matches(sound(wanted), list(heard), n=3, cutoff=0.8)
                  if heard[s] not in close][:3 - len(close)]
    return Phrase("; did you mean {names}?", names=Joined(Phrase("'{heading}'", heading=n) for n in close)) if close else ""

class Canon:
    def __init__(self, settings: Settings, store: CanonStore, indexes: IndexManager,
                 other_changes: Iterable[ChangeKinds] = ()) -> None:
        """``other_changes``: the kinds of change other domains propose through canon's review."""
        self.settings, self.store, self.indexes = settings, store, indexes
        self.workflow = Workflow(store)
        self.review = Review(store, self.workflow, other_changes)
        self.imports = ImportJournal(settings.data_dir)  # imports under way, for the next start to report

    # -- projects ---------------------------------------------------------------------

    def project(self, ref: ProjectRef, scope: str = "") -> Project:
        """A project by name within a scope, or by id (what Discord channel bindings hold)."""
        return self.store.project(ref, scope)

    def create_project(self, name: str, scope: str = "") -> Project:
        try:
            project = self.store.create_project(name, scope)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        self.indexes.prepare(project)
        return project

    def list_projects(self, scope: str | None = "") -> list[tuple[Project, int]]:
        """Projects with their entry counts: one scope's, or every scope's (None)."""
        return [(p, self.store.count_entries(p.id)) for p in self.store.list_projects(scope)]

    def rename_project(self, project: ProjectRef, new_name: str) -> Project:
        try:
            return self.store.rename_project(self.project(project).id, new_name)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None

    def delete_project(self, project: ProjectRef, parts: dict | None = None) -> tuple[Project, int, Path]:
        """Delete a project, its canon, history and index. It is first saved in the data directory as one JSON
        archive that `project create` + `import` restores: its entries, its settings, and ``parts`` (what
        other domains keep: the story ledger). Revision history, proposals and drafts cannot come back.
        Returns (project, entries deleted, where the archive is)."""
        proj = self.project(project)
        entries = list(self.store.iter_entries(proj.id))
        keep = self.settings.data_dir / "deleted-projects"
        keep.mkdir(parents=True, exist_ok=True)
        saved = keep / f"{slugify(proj.name)}-{time.strftime('%Y%m%d-%H%M%S')}.json"
        archive = {"settings": proj.settings, **(parts or {})}
        saved.write_text(exporters.to_json(proj.name, entries, archive), encoding="utf-8")
        self.store.delete_project(proj.id)
        self.indexes.drop(proj)
        return proj, len(entries), saved

    def update_project_settings(self, project: ProjectRef, **changes) -> Project:
        """``language`` is checked here, so /project settings and `production-settings` refuse alike."""
        if "language" in changes:
            changes["language"] = project_language(changes["language"])
        return self.store.update_project_settings(self.project(project).id, changes)

    # -- imports, entries and their history --------------------------------------------

    def import_files(self, paths: Iterable[Path], project: ProjectRef | None = None, episode: int | None = None,
                     author: str | None = None, progress: Progress | None = None,
                     in_child: bool = False, fallback_project: str | None = None,
                     title_page: str | None = None, script: str | None = None,
                     overwrite: bool = False) -> ImportReport:
        """Parse every file, then write all entries in one transaction, then index them. The project is
        ``project``, else the one a JSON file names, else ``fallback_project`` (the CLI's default).
        A screenplay's scenes update the scenes they match in the project, whatever the file is called;
        ``script`` names a script of its own whose scenes only match that script's (scene_matching.py).

        A re-import never reverts work done elsewhere: an entry changed (by hand, or by another file) since
        the last import of a file of this name keeps that change and is listed in ``kept``, unless
        ``overwrite``. Names stay unique (names.py); a lorebook key another entry answers to is left off.

        ``in_child`` parses and writes in a child process (the bot does, so that its event loop
        keeps running; see import_worker.py); indexing stays here, the one index writer.

        A screenplay's character cues are read with the project's cast in hand (its characters' names and
        aliases), so a Chinese name on its own line above speech is a cue; ``title_page`` ('keep' or
        'overwrite') settles a title page that differs from the project's settings (title_page.py)."""
        paths, author = list(paths), author or default_author()
        if script is not None and not any(ch.isalnum() for ch in script):
            raise InvalidInput("a script name needs a letter or digit, e.g. --script pilot-v2")
        from .import_worker import write_batch, write_in_child
        from .importers import parse_files

        start = time.perf_counter()
        if in_child:
            if project is None:
                raise InvalidInput("which project? name the project to import into")
            proj = self.project(project)
            done = write_in_child(self.settings.resolved_database_url, proj.id, paths, episode,
                                  self.settings.max_import_bytes, author, cast=self.cast(proj),
                                  title_page=title_page, script=script, overwrite=overwrite)
        else:
            batch = parse_files(paths, episode, self.settings.max_import_bytes, self.cast(project or fallback_project))
            named = next((f for f in batch.files if f.project), None)
            if not project and named and fallback_project and named.project.casefold() != fallback_project.casefold():
                raise InvalidInput("{name} names the project '{project}' but your default project is '{fallback_project}': "
                                   "say which with --project", name=Path(named.path).name, project=named.project, fallback_project=fallback_project)
            name = project or (named and named.project) or fallback_project
            if not name:
                raise InvalidInput("which project? pass --project NAME, set \"project\" in the JSON file, or choose a "
                                   "default with `cliffhanger project use NAME`")
            proj = self.project(name)
            done = write_batch(self.store, proj.id, batch, author, placement_warnings, title_page, script, overwrite)
        written = time.perf_counter()
        index = self.indexes.open(proj)
        indexed = index.sync_lexical()  # searchable by keyword from here on
        keyword = time.perf_counter()
        indexed = max(indexed, index.sync_dense(progress) or 0)
        return ImportReport(proj.name, done.files, done.created, done.updated, done.unchanged, indexed,
                            written - start, keyword - written, time.perf_counter() - written, done.kinds,
                            done.warnings, done.scripts, done.kept, done.parts, project_id=proj.id)

    def cast(self, project: ProjectRef | None) -> list[str]:
        """Every name and alias of the project's characters (none when there is no such project yet)."""
        if project is None:
            return []
        try:
            proj = self.project(project)
        except NotFound:
            return []
        return [n for e in self.store.iter_entries(proj.id, kind="character") for n in e.names]

    def begin_import_note(self, project: ProjectRef, file: str, author: str, where: dict) -> str:
        """Note an import that starts now, until ``end_import_note``: if this process dies meanwhile, the next
        one reports it with what it kept (``interrupted_imports``). ``where``: how the surface finds its user."""
        proj = self.project(project)
        return self.imports.begin(proj.id, file, author, self.store.latest_change(proj.id), where)

    def end_import_note(self, key: str) -> None:
        self.imports.end(key)

    def interrupted_imports(self) -> list[InterruptedImport]:
        """Imports cut off by a process that died, each once, with how many entries it saved: all of
        its changes or none, since an import writes its records in one transaction."""
        found = []
        for gone, mark in self.imports.interrupted():
            gone.saved = self.store.revisions_since(gone.project_id, mark, gone.author)
            found.append(gone)
        return found

    def add_entry(self, project: ProjectRef, entry: EntryIn, author: str) -> Entry:
        """Add a new entry. Adding never replaces: an entry already in canon with its id, or one that already
        answers to its name or an alias, is a Conflict that names it (change that one with ``edit_entry``)."""
        proj = self.project(project)
        with self.store._tx(proj.id) as s:
            self.store.write_in(s, proj.id, [entry], author, create=True)
        self.indexes.after_write(proj)
        return self.store.get_entry(proj.id, entry.resolved_id())

    def save_entry(self, project: ProjectRef, entry: EntryIn, author: str, base_revision: int) -> Entry:
        """Write an entry's whole new state, made from ``base_revision`` (0: it did not exist yet); refused
        if it moved on since, rather than undo that work."""
        proj = self.project(project)
        with self.store._tx(proj.id) as s:
            self.store.write_in(s, proj.id, [entry], author, base_revision)
        self.indexes.after_write(proj)
        return self.store.get_entry(proj.id, entry.resolved_id())

    def edit_entry(self, project: ProjectRef, name_or_id: str, changes: dict, author: str,
                   base_revision: int | None = None) -> tuple[Entry, bool]:
        """Apply field changes to an entry as a new revision; returns (entry, whether anything changed).
        The id never changes: it is how history, links and re-imports find the entry. ``base_revision``:
        the revision the changes were made from (an editor opened on it); refused if the entry moved on."""
        proj = self.project(project)
        entry = self.find_entry(proj, name_or_id)
        if changes.get("id", entry.id) != entry.id:
            raise InvalidInput("an entry's id cannot change ('{id}'); add a new entry instead", id=entry.id)
        data = {**entry.model_dump(mode="json", exclude={"revision"}), **changes, "id": entry.id}
        if entry.script and "script" not in changes and any(
                k in changes and changes[k] != getattr(entry, k) for k in ("text", "name")):
            data.pop("script")  # the script's elements say the old words: export reads the edited text instead
        updated = make_entry("edit", f"entry '{entry.name[:60]}'", data)
        with self.store._tx(proj.id) as s:
            result = self.store.write_in(s, proj.id, [updated], author,
                                         entry.revision if base_revision is None else base_revision)
        self.indexes.after_write(proj)
        return self.store.get_entry(proj.id, entry.id), bool(result.changed)

    def add_aliases(self, project: ProjectRef, name_or_id: str, aliases: list[str], author: str) -> Entry:
        """Give an entry more names, such as its name in another script (沈知意 for "Shen Zhiyi"):
        a question using any of them then finds it by name, in either half of the index."""
        proj = self.project(project)
        entry = self.find_entry(proj, name_or_id)
        had = {name_key(n) for n in entry.names}
        added = [a.strip() for a in aliases if a.strip() and name_key(a) not in had]
        if not added:
            raise InvalidInput("{name} already has those names", name=entry.name)
        try:
            updated = EntryIn(**{**entry.model_dump(exclude={"revision"}), "aliases": [*entry.aliases, *added]})
        except ValueError as exc:
            raise InvalidInput("not an alias: {exc}", exc=exc) from None
        return self.save_entry(proj, updated, author, entry.revision)

    def delete_entry(self, project: ProjectRef, name_or_id: str, author: str) -> Entry:
        proj = self.project(project)
        entry = self.find_entry(proj, name_or_id)
        self.store.delete_entry(proj.id, entry.id, author)
        self.indexes.after_write(proj)
        return entry

    def find_entry(self, project: ProjectRef, name_or_id: str, include_deleted: bool = False) -> Entry:
        """One entry by id, name, alias, or an id's start cut to fit (``<start>…``); several is an error."""
        proj = self.project(project)
        matches = self.store.find_by_name(proj.id, name_or_id, include_deleted)
        if not matches and name_or_id.endswith(ID_PREFIX_MARK) and len(name_or_id) > 1:
            prefix = name_or_id[:-len(ID_PREFIX_MARK)]
            ids = [i for i, _names, _deleted in self.store.name_rows(proj.id, include_deleted) if i.startswith(prefix)]
            matches = [m for i in ids[:5] for m in self.store.find_by_name(proj.id, i, include_deleted)]
        if not matches:
            near = self._near_names(proj, name_or_id, include_deleted)
            raise NotFound("no entry named '{name_or_id}' in {name}{near}", name_or_id=name_or_id, name=proj.name, near=near)
        if len(matches) > 1:
            ids = Joined(m.id for m in matches[:5])
            raise InvalidInput("'{name_or_id}' names {count} entries ({ids}); use the id", name_or_id=name_or_id, count=len(matches), ids=ids)
        return matches[0]

    def _near_names(self, proj: Project, wanted: str, include_deleted: bool) -> str:
        """", did you mean ...?" from the names and aliases nearest a misspelt one (or a deleted entry's name,
        with how to bring it back). Reads names only, never the entries' text, and compares at most
        ``NEAR_NAMES_SCANNED`` of similar length: a typo on a 10,000-entry project answers at once."""
        rows = self.store.name_rows(proj.id, include_deleted=True)
        key = name_key(wanted)
        if not include_deleted and any(d and (key == name_key(i) or key in map(name_key, ns)) for i, ns, d in rows):
            return Phrase(" (it was deleted: `history` and `restore` bring it back)")  # both surfaces have them
        return did_you_mean(wanted, [SimpleNamespace(names=ns) for _i, ns, deleted in rows if not deleted])

    def history(self, project: ProjectRef, name_or_id: str) -> list[Revision]:
        """Every revision of an entry named by id, name or alias (deleted entries too)."""
        proj = self.project(project)
        return self.store.history(proj.id, self.find_entry(proj, name_or_id, include_deleted=True).id)

    def history_changes(self, project: ProjectRef, name_or_id: str):
        """The entry (as it stands, or as it was deleted) and what each of its revisions changed."""
        from .history import describe

        proj = self.project(project)
        entry = self.find_entry(proj, name_or_id, include_deleted=True)
        return entry, describe(self.store.history(proj.id, entry.id))

    def restore(self, project: ProjectRef, name_or_id: str, revision: int, author: str) -> Entry:
        proj = self.project(project)
        entry_id = self.find_entry(proj, name_or_id, include_deleted=True).id
        entry = self.store.restore_revision(proj.id, entry_id, revision, author)
        self.indexes.after_write(proj)
        return entry

    # -- reading canon ----------------------------------------------------------------

    def entries(self, project: ProjectRef) -> list[Entry]:
        return list(self.store.iter_entries(self.project(project).id))

    def entries_as_of(self, project: ProjectRef, as_of_episode: int | None) -> list[Entry]:
        """The canon a reader at an episode may see (everything when None), by the rule every reader uses:
        the one as-of view (later entries, progressions and sentences placed later are left out)."""
        return entries_as_of(self.entries(project), as_of_episode)

    def list_entries(self, project: ProjectRef, kind: str | None = None, tag: str | None = None,
                     episode: int | None = None) -> list[Entry]:
        """Live entries in story order, narrowed to a kind, a tag and an episode when given."""
        tag_key = tag.casefold() if tag else None
        return [e for e in exporters.story_order(self.entries(project))
                if (kind is None or e.kind.value == kind) and (episode is None or e.episode == episode)
                and (tag_key is None or tag_key in (t.casefold() for t in e.tags))]

    def entry_names_matching(self, project: ProjectRef, fragment: str, limit: int = 25,
                             as_of_episode: int | None = None) -> list[tuple[str, str]]:
        """(id, name) of entries whose names start with ``fragment``, for autocomplete; with an episode, not
        the names of entries that only exist after it. From the keyword index as it stands, never waiting to
        bring it up to date (a write's catch-up, or an import's, fills it in moments later)."""
        proj = self.project(project)
        found = self.indexes.open(proj).lexical.names_matching(fragment.strip(), limit)
        if as_of_episode is None:
            return found
        entries = self.store.get_entries(proj.id, [entry_id for entry_id, _name in found])
        return [(i, n) for i, n in found if i in entries and (entries[i].episode or 0) <= as_of_episode]

    def retrieve(self, project: ProjectRef, question: str, k: int = 5, as_of_episode: int | None = None,
                 weights: FusionWeights | None = None) -> list[Hit]:
        """The ``k`` best passages for ``question``, ranked by the hybrid fusion unless ``weights`` says otherwise."""
        from .retrieval import HYBRID, check_question

        question, weights = check_question(question), weights or HYBRID
        if k < 1 or k > 100:
            raise InvalidInput("k must be between 1 and 100")
        return self.indexes.readable(self.project(project)).search(question, k, as_of_episode, weights)

    def search_note(self, project: ProjectRef) -> str | None:
        """What a reader should know of the answers it got when they lack part of the semantic index."""
        return self.indexes.reader_note(self.project(project))

    def view(self, project: ProjectRef, cut_off: AsOf) -> tuple[Project, ProjectCanon]:
        """The project and its canon as a reader at ``cut_off`` sees it: an episode, or ``WHOLE_SERIES``
        asked for by name. There is no default: every reader says where its canon ends."""
        from .view import ProjectCanon

        proj = self.project(project)
        return proj, ProjectCanon(self.store, self.indexes.readable(proj), proj, cut_off)

    def export(self, project: ProjectRef, fmt: str, as_of_episode: int | None = None) -> str:
        """The whole series (an editor's export, re-importable), or as a reader at ``as_of_episode`` sees it
        (later entries, progressions and sentences left out)."""
        proj = self.project(project)
        entries = list(self.store.iter_entries(proj.id))
        if as_of_episode is not None:
            entries = entries_as_of(entries, as_of_episode)
        if fmt == "json":
            return exporters.to_json(proj.name, entries)
        if fmt == "markdown":
            return exporters.to_markdown(proj.name, entries, bible_language(proj, entries))
        raise InvalidInput("unknown export format '{fmt}' (json or markdown)", fmt=fmt)

    # -- changes under review (the rules: review.py) -------------------------------------

    def change_entry(self, project: ProjectRef, action: str, entry: dict, author: str,
                     base_revision: int | None = None) -> Change:
        proj = self.project(project)
        return self._after(proj, self.review.change(proj.id, action, entry, author, base_revision))

    def propose_change(self, project: ProjectRef, action: str, entry: dict, proposer: str,
                       base_revision: int | None = None) -> Proposal:
        proj = self.project(project)
        if action == "delete":  # the entry by any of its names, kept as its id
            target = self.find_entry(proj, entry.get("id") or entry.get("name") or "")
            entry = {"id": target.id, "name": target.name}
        return self.review.propose(proj.id, action, entry, proposer, base_revision)

    def proposals(self, project: ProjectRef, status: str | None = "open") -> list[Proposal]:
        return self.workflow.proposals(self.project(project).id, status)

    def proposal(self, proposal_id: int, project: ProjectRef | None = None) -> Proposal:
        return self.review.proposal(proposal_id, None if project is None else self.project(project).id)

    def decide_proposal(self, proposal_id: int, approve: bool, by: str, editor: bool,
                        project: ProjectRef | None = None) -> Decision:
        decision = self.review.decide(proposal_id, approve, by, editor,
                                      None if project is None else self.project(project).id)
        if decision.change:
            self._after(self.project(decision.proposal.project_id), decision.change)
        return decision

    def draft_for(self, draft_id: int, action: str, by: str, editor: bool) -> DraftRow:
        return self.review.draft_for(draft_id, action, by, editor)

    def discard_draft(self, draft_id: int, by: str, editor: bool) -> DraftRow:
        return self.review.discard(draft_id, by, editor)

    def accept_scene(self, project: ProjectRef, text: str, brief: str, episode: int | None, author: str) -> Entry:
        """A generated scene into canon as a new entry, never over one of the same name."""
        proj = self.project(project)
        return self._after(proj, self.review.add_scene(proj.id, brief, text, episode, author)).entry

    def accept_draft(self, draft_id: int, by: str, editor: bool) -> Entry:
        draft, change = self.review.accept(draft_id, by, editor)
        return self._after(self.project(draft.project_id), change).entry

    def _after(self, proj: Project, change: Change) -> Change:
        """Index upkeep after a change: canon's entries only (another domain's changes are not indexed)."""
        if change.action not in CHANGE_ACTIONS:
            return change
        self.indexes.after_write(proj)
        if change.action != "delete":
            change.entry = self.store.get_entry(proj.id, change.entry.id)
        return change
