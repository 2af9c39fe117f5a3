"""WritersRoom: the one API the CLI and the Discord cogs call.

A facade: it composes one service per domain and owns their lifecycles; the work and the decisions
(who may approve, who presses a draft's buttons) live in those services, so both surfaces get the same.

- canon (canon/service.py): projects, entries and history, proposals and drafts, import/export, retrieval;
  its indexes' lifecycle (canon/indexes.py) is a class of its own;
- story (story/service.py): the who-knows-what ledger, character states, the lint, knowledge boundaries;
- writing (writing/service.py): everything that asks a language model, reading canon through ``canon_view``;
- production (production/service.py, production/desk.py): storyboards, promos, localization, exports;
- adaptation (adapt/service.py): a web novel imported as source text, its names and canon proposals;
  the season breakdown and episode scripts from it (adapt/season_service.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import tables  # noqa: F401  (every domain's tables, before the store opens the database)
from .canon.errors import Phrase
from .canon.indexes import IndexManager, Progress
from .canon.models import Entry, Project, ProjectRef
from .canon.service import ID_PREFIX_MARK, Canon, default_author  # noqa: F401  (the surfaces' names for them)
from .canon.store import CanonStore
from .canon.view import WHOLE_SERIES, as_of
from .settings import Settings
from .story.service import Story

if TYPE_CHECKING:  # the indexes' code loads on the first search: `show` and `list` never pay for it
    from .canon.embedders import Embedder
    from .canon.retrieval import ProjectIndex


# What Continue on a scene draft asks of the model: a revision whose notes are to continue.
CONTINUE_NOTES = "Continue the scene past its last line: keep everything already written and add the next beats."

class _Forward:
    """A facade method that is a service's own, unchanged: ``room.find_entry`` is ``room.canon.find_entry``."""

    def __init__(self, service: str) -> None:
        self.service = service

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, room, owner=None):
        return self if room is None else getattr(getattr(room, self.service), self.name)


class WritersRoom:
    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None,
                 vectors_in_child: bool = False) -> None:
        """``vectors_in_child`` runs the embedding model and Chroma in a child process (the bot does, so
        that index writes never stall its event loop; see canon/vector_process.py)."""
        self.settings = settings or Settings()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = CanonStore(self.settings.resolved_database_url)
        self.indexes = IndexManager(self.settings, self.store, embedder, vectors_in_child)
        self.story = Story(self.settings, self.store)
        self.canon = Canon(self.settings, self.store, self.indexes, [self.story.changes])
        self.workflow, self.ledger = self.canon.workflow, self.story.ledger
        self._writer = None  # the writing, production and adaptation engines load on first use (or warm_up)
        self._producer = None
        self._production_desk = None

    # -- lifecycle --------------------------------------------------------------------

    @property
    def writer(self):
        if self._writer is None:
            from .writing.service import Writer

            self._writer = Writer(self.settings)
        return self._writer

    @cached_property
    def adaptation(self):
        from .adapt.service import Adaptation

        adaptation = Adaptation(self.settings, self.canon, self.indexes.embedding)
        adaptation.novel_replaced = lambda project: self.seasons.novel_replaced(project)
        return adaptation

    @cached_property
    def seasons(self):
        from .adapt.season_service import Seasons

        return Seasons(self.settings, self.canon, lambda project: self.adaptation.chapters_of(project))

    @property
    def production(self):
        if self._producer is None:
            from .production.service import Producer

            self._producer = Producer(self.settings, self.writer.model)
        return self._producer

    @property
    def production_desk(self):
        if self._production_desk is None:
            from .production.desk import ProductionDesk

            self._production_desk = ProductionDesk(self.settings)
        return self._production_desk

    @property
    def embedder(self) -> Embedder:
        return self.indexes.embedder

    @property
    def vector_process(self):
        return self.indexes.vector_process

    def warm_up(self) -> None:
        """Load the embedding model, the index client and the writing engine now, so that the first
        command does not wait for them (nor stall the bot's loop on their module imports)."""
        self.indexes.warm_up()
        writer = self.writer  # imports the writing engine
        if writer.model.configured:  # and langchain-openai with its client: a first model call importing
            writer.model.llm  # noqa: B018  them in a worker thread stalled the bot's loop by ~300 ms

    def close(self) -> None:
        self.adaptation.close()
        self.indexes.close()
        self.store.engine.dispose()

    def backup(self, output: Path):
        """A consistent snapshot of every record (canon, history, proposals, drafts, settings) in ``output``,
        taken while the bot may be writing (see ops/backup.py)."""
        from .ops.backup import back_up_database

        return back_up_database(self.store.url, output)

    @classmethod
    def restore_backup(cls, backup: Path, settings: Settings | None = None, progress: Progress | None = None):
        """Put a backup's records into this data directory (which must hold no canon yet), then rebuild and
        verify every project's index. Returns (what the backup held, [(project, entries indexed)]).
        Holds the data directory's instance lock throughout: refused while a bot runs on it."""
        from .ops.backup import restore_database
        from .ops.instance import InstanceLock

        settings = settings or Settings()
        with InstanceLock(settings.data_dir, role="restore-backup"):
            report = restore_database(Path(backup), settings.resolved_database_url)
            room = cls(settings)
            try:
                return report, room.reindex_all(progress)
            finally:
                room.close()

    # -- forwarded unchanged: each is the service's own method (its signature and docstring) ------------

    # canon (canon/service.py): projects, entries and their history, reading, changes under review, drafts
    project = _Forward("canon")
    create_project = _Forward("canon")
    list_projects = _Forward("canon")
    rename_project = _Forward("canon")
    update_project_settings = _Forward("canon")
    begin_import_note = _Forward("canon")
    end_import_note = _Forward("canon")
    interrupted_imports = _Forward("canon")
    add_entry = _Forward("canon")
    save_entry = _Forward("canon")
    edit_entry = _Forward("canon")
    add_aliases = _Forward("canon")
    delete_entry = _Forward("canon")
    find_entry = _Forward("canon")
    history = _Forward("canon")
    history_changes = _Forward("canon")
    restore = _Forward("canon")
    entries = _Forward("canon")
    entries_as_of = _Forward("canon")
    list_entries = _Forward("canon")
    entry_names_matching = _Forward("canon")
    retrieve = _Forward("canon")
    search_note = _Forward("canon")
    export = _Forward("canon")
    change_entry = _Forward("canon")
    propose_change = _Forward("canon")
    proposals = _Forward("canon")
    proposal = _Forward("canon")
    decide_proposal = _Forward("canon")
    draft_for = _Forward("canon")
    discard_draft = _Forward("canon")
    accept_draft = _Forward("canon")
    accept_scene = _Forward("canon")

    # story (story/service.py): the ledger, character states, the lint, knowledge boundaries
    knows = _Forward("story")
    secrets = _Forward("story")
    add_secret = _Forward("story")
    learn_secret = _Forward("story")
    add_state = _Forward("story")
    remove_ledger_row = _Forward("story")
    timeline = _Forward("story")
    story_change = _Forward("story")
    import_ledger = _Forward("story")
    export_ledger = _Forward("story")
    story_world = _Forward("story")
    lint = _Forward("story")
    boundaries = _Forward("story")

    # adaptation (adapt/service.py): the novel a series is adapted from
    novel_chapters = _Forward("adaptation")
    novel_chapter = _Forward("adaptation")
    import_novel = _Forward("adaptation")
    search_novel = _Forward("adaptation")
    novel_names = _Forward("adaptation")
    accept_novel_names = _Forward("adaptation")

    # index lifecycle (canon/indexes.py)
    index = _Forward("indexes")
    reranker = _Forward("indexes")
    reindex_all = _Forward("indexes")
    schedule_upkeep = _Forward("indexes")

    def reindex(self, project: ProjectRef, progress: Progress | None = None) -> int:
        return self.indexes.reindex(self.project(project), progress)

    def _open_index(self, project: Project) -> ProjectIndex:
        return self.indexes.open(project)

    # -- composed: one domain's work on another's ------------------------------------------------

    def project_contents(self, project: ProjectRef) -> dict[str, int]:
        """What a project holds, as `project delete` names what its archive saves."""
        proj = self.project(project)
        return {"entries": self.store.count_entries(proj.id), "secrets": len(self.ledger.secrets(proj.id)),
                "who learns what": len(self.ledger.knowledge(proj.id)),
                "character states": len(self.ledger.states(proj.id))}

    def delete_project(self, project: ProjectRef) -> tuple[Project, int, Path]:
        """Delete a project after saving it whole in one archive that `project create` + `import` restores:
        entries, settings and the story ledger (canon/service.py's ``delete_project``)."""
        import json

        proj = self.project(project)
        ledger = json.loads(self.story.export_ledger(proj, "json"))
        ledger.pop("project", None)
        return self.canon.delete_project(proj, {"ledger": ledger})

    def import_files(self, paths, project: ProjectRef | None = None, episode: int | None = None,
                     author: str | None = None, progress: Progress | None = None, in_child: bool = False,
                     fallback_project: str | None = None, title_page: str | None = None, script: str | None = None,
                     overwrite: bool = False):
        """Canon's import (canon/service.py's ``import_files``); a project archive's settings and story ledger
        are restored after its entries (the ledger names them), and ``restored`` says what came back."""
        report = self.canon.import_files(paths, project, episode, author, progress, in_child, fallback_project,
                                         title_page, script, overwrite)
        parts = report.parts
        if parts.get("settings"):
            self.update_project_settings(report.project_id, **parts["settings"])
            report.restored.append(Phrase("project settings"))
        if any(parts.get("ledger", {}).get(k) for k in ("secrets", "knows", "states")):
            changed, _same = self.story.restore_ledger(report.project_id, parts["ledger"], report.project,
                                                       author or default_author())
            report.restored.append(Phrase("the story ledger ({n} rows)", n=changed))
        return report

    def canon_view(self, project: ProjectRef, as_of_episode: int | None):
        """The project and its canon as a reader at ``as_of_episode`` sees it. Required: every reader says
        where its canon ends; None is a reader who named no episode, who reads the whole series."""
        return self.canon.view(project, as_of(as_of_episode))

    def revise_draft(self, draft_id: int, notes: str, by: str, editor: bool, on_text=None) -> tuple[int, str]:
        """A new take of the draft (with canon as of its episode); the old take is closed. Returns
        (the new draft's id, its text)."""
        draft = self.canon.draft_for(draft_id, "revise", by, editor)
        text = self.revise_scene(draft.project_id, draft.text, notes, on_text, episode=draft.episode)
        return self.canon.review.supersede(draft, by, text), text

    def propose_from_novel(self, project: ProjectRef, by: str, first: int | None = None, last: int | None = None,
                           progress: Progress | None = None):
        """With a model: characters, places, items and secrets read out of the imported novel, each citing
        the chapters and sentences it rests on (checked), proposed for the room's review (adapt/service.py)."""
        self.writer.model.require()
        return self.adaptation.propose_from_novel(project, self.writer.read_novel, by, first, last, progress)

    def suggest_ledger(self, project: ProjectRef) -> tuple[str, list[str]]:
        """Ledger rows a model reads out of the episode entries, for an editor to review (story/service.py)."""
        return self.story.suggest_ledger(project, self.writer.suggest_ledger)

    # -- writing (writing/service.py) on canon as of an episode and the story's boundaries ----------

    def ask(self, project: ProjectRef, question: str, as_of_episode: int | None = None):
        from .canon.retrieval import check_question

        question = check_question(question)
        return self.writer.ask(*self.canon_view(project, as_of_episode), question)

    def check(self, project: ProjectRef, draft: str, episode: int | None = None):
        """The lint first (no model needed), then the model check with each named character's knowledge
        boundary; the issues list says whether the model check ran (``model_checked``, ``model_error``) and
        which episode it checked against: ``episode``, else the one the draft names ("# Episode 9")."""
        episode = episode if episode is not None else self.draft_episode(draft or "")
        proj, canon = self.canon_view(project, episode)
        return self.writer.check(proj, canon, draft, episode, *self.story.before_check(proj, draft, episode))

    @staticmethod
    def draft_episode(draft: str) -> int | None:
        """The episode a draft names in its first lines ("# Episode 9", "Episode: 9", "第9集"), or None."""
        from .story.draft import draft_episode

        return draft_episode(draft)

    def scene_characters(self, project: ProjectRef, characters: list[str]) -> list[str]:
        from .writing.service import Writer

        proj = self.project(project)
        return Writer.scene_characters(characters, lambda name: bool(self.store.find_by_name(proj.id, name)))

    def write_scene(self, project: ProjectRef, brief: str, characters: list[str] | None = None,
                    episode: int | None = None, on_text=None):
        characters = self.scene_characters(project, characters or [])
        proj, canon = self.canon_view(project, episode)
        known = lambda name: bool(self.store.find_by_name(proj.id, name))  # noqa: E731
        bounds = self.story.boundaries(proj, brief or "", episode, characters)
        return self.writer.scene(proj, canon, brief, characters, episode, known, on_text, bounds)

    def revise_scene(self, project: ProjectRef, scene: str, notes: str, on_text=None,
                     episode: int | None = None) -> str:
        """A revised scene; ``episode`` keeps canon from later episodes away from the model."""
        return self.writer.revise(*self.canon_view(project, episode), scene, notes, on_text, episode)

    def twists(self, project: ProjectRef, about: str | None = None, count: int = 3, episode: int | None = None):
        proj, canon = self.canon_view(project, episode)
        return self.writer.twists(proj, canon, about, count, episode, self.story.boundaries(proj, about or "", episode))

    def outline(self, project: ProjectRef, episode: int, brief: str | None = None):
        proj, canon = self.canon_view(project, episode)
        return self.writer.outline(proj, canon, episode, brief, self.story.boundaries(proj, brief or "", episode))

    # -- adaptation: the season breakdown and its episode scripts (adapt/season_service.py) -----------

    def plan_season(self, project: ProjectRef, author: str, episodes: int | None = None, seconds: int | None = None,
                    notes: str = "", compression: float | None = None):
        """A pass of the season breakdown from the imported novel: the cut (chapters to episodes, runtimes, the
        paywall), and with a model the beats; each episode proposed as an episode entry (a PlanResult).
        Nothing reaches canon before an editor approves; the pass before is closed."""
        return self.seasons.plan(self.project(project), author, self.writer, episodes, seconds, notes, compression)

    def season_plan(self, project: ProjectRef):
        """The plan the room is reviewing and each episode's review state (approved, proposed, rejected)."""
        proj = self.project(project)
        _draft, plan = self.seasons.require(proj)
        return plan, self.seasons.statuses(proj, plan)

    def script_episode(self, project: ProjectRef, episode: int, author: str, on_text=None):
        """An episode of the plan written by the scene writer from the chapters it adapts, with canon as of that
        episode; linted, repaired once when a dead character acts or a secret comes too early; kept as a scene
        draft for review (an EpisodeScript), never written to canon here."""
        from .adapt.breakdown import episode_source
        from .adapt.episode_scripts import SCRIPT_EXCERPT, EpisodeScript, needs_repair, repair_notes, script_brief

        proj = self.project(project)
        _draft, plan = self.seasons.require(proj)
        planned = plan.episode(episode)
        source = episode_source(self.seasons.chapters(proj), planned, SCRIPT_EXCERPT)
        brief = script_brief(planned)
        proj, canon = self.canon_view(proj, episode)
        known = lambda name: bool(self.store.find_by_name(proj.id, name))  # noqa: E731
        bounds = self.story.boundaries(proj, brief, episode)
        text, _ctx = self.writer.scene(proj, canon, brief, [], episode, known, on_text, bounds, source,
                                       f"{planned.seconds:.0f}")
        first = findings = self.story.lint(proj, text, episode)
        if needs_repair(first):
            text = self.writer.revise(proj, canon, text, repair_notes(needs_repair(first)), on_text, episode)
            findings = self.story.lint(proj, text, episode)
        draft_id = self.workflow.save_draft(proj.id, "scene", brief.split("\n", 1)[0], episode, author, text)
        return EpisodeScript(episode, draft_id, text, first, findings, bool(needs_repair(first)))

    # -- production (production/service.py, production/desk.py) on canon ------------------------

    def look_sheet(self, project: ProjectRef, names: list[str] | None = None, as_of_episode: int | None = None):
        """Characters, places and items (all, or those ``names`` name) with their looks, and the style rule."""
        from .production.looks import look_sheet

        proj, canon = self.canon_view(project, as_of_episode)
        return look_sheet(canon, proj.name, names)

    def set_look(self, project: ProjectRef, name: str, look: str, author: str) -> Entry:
        """Set (or with an empty ``look``, clear) how a character, place or item looks: a new revision."""
        from .production.looks import with_look

        proj = self.project(project)
        entry = self.find_entry(proj, name)
        return self.save_entry(proj, with_look(entry, look), author, entry.revision)

    def storyboard(self, project: ProjectRef, scene_text: str | None = None, entry: str | None = None,
                   label: str = "scene", episode: int | None = None, images: bool | None = None,
                   folder: Path | None = None, on_progress: Callable[[str], None] | None = None):
        """A storyboard of a scene entry or Fountain text, from canon as of the scene's episode."""
        proj = self.project(project)
        found = self.find_entry(proj, entry) if entry is not None else None
        scene = self.production.read_scene(found, scene_text, label, episode)
        _proj, canon = self.canon_view(proj, scene.episode)
        return self.production.storyboard_scene(proj, canon, scene, images, folder, on_progress)

    def promo(self, project: ProjectRef, episode: int, count: int = 12, angles: list[str] | None = None,
              allow_spoilers: bool = False):
        """Teaser scripts for episode ``episode``, from canon as of it (and no further than the paywall)."""
        from .production.promo import SPOILER_KINDS

        proj = self.project(project)
        cut = self.production.promo_cut_off(proj, episode, allow_spoilers)
        _proj, canon = self.canon_view(proj, cut)
        # names a teaser must not give away: read from the whole series, asked for by name, never prompted
        later = [e for e in self.canon.view(proj, WHOLE_SERIES)[1].of_kinds(SPOILER_KINDS)
                 if e.episode is not None and e.episode > cut]
        return self.production.promo(proj, canon, later, episode, count, angles)

    def glossary(self, project: ProjectRef, lang: str, as_of_episode: int | None = None):
        return self.production.glossary(self.canon_view(project, as_of_episode)[1], lang)

    def set_rendering(self, project: ProjectRef, name: str, lang: str, rendering: str, author: str) -> Entry:
        """Fix how ``name`` (an entry's name, alias or id; else a new glossary term) is rendered in ``lang``."""
        from .production.glossary import with_rendering

        proj = self.project(project)
        found = self.store.find_by_name(proj.id, name)
        entry = with_rendering(found, name, lang, rendering)
        return self.save_entry(proj, entry, author, found[0].revision if len(found) == 1 else 0)

    def suggest_glossary(self, project: ProjectRef, lang: str):
        """An editor's tool: renderings for every name in the series, later ones included."""
        return self.production.suggest_glossary(*self.canon.view(project, WHOLE_SERIES), lang)

    def translate(self, project: ProjectRef, text: str, lang: str, label: str = "scene", episode: int | None = None):
        return self.production.translate(*self.canon_view(project, episode), text, label, lang)

    def series_board(self, project: ProjectRef, max_episode_seconds: int | None = None,
                     max_absence: int | None = None, as_of_episode: int | None = None):
        """The series board, of the whole series or of the episodes up to ``as_of_episode`` (as they read then),
        with the season plan's episodes (planned vs approved) when the room has one."""
        proj = self.project(project)
        return self.production_desk.board(proj, self._entries_at(proj, as_of_episode), max_episode_seconds,
                                          max_absence, self._planned(proj, as_of_episode))

    def _planned(self, proj: Project, as_of_episode: int | None):
        from .production.series_board import Planned

        found = self.seasons.current(proj)
        if found is None:
            return []
        plan = found[1]
        status = self.seasons.statuses(proj, plan)
        return [Planned(e.number, e.title, e.seconds, e.hook.text if e.hook else None,
                        e.cliffhanger.text if e.cliffhanger else None, status[e.number])
                for e in plan.episodes if as_of_episode is None or e.number <= as_of_episode]

    def export_screenplay(self, project: ProjectRef, fmt: str, episodes: str | None = None,
                          as_of_episode: int | None = None):
        """A ScreenplayFile: the bytes, and a warning per scene holding what the format cannot show."""
        proj = self.project(project)
        return self.production_desk.screenplay(proj, self._entries_at(proj, as_of_episode), fmt, episodes)

    def _entries_at(self, proj: Project, as_of_episode: int | None) -> list[Entry]:
        """The entries as a reader at the episode sees them; with none named, as stored (progressions kept)."""
        return self.entries(proj) if as_of_episode is None else self.entries_as_of(proj, as_of_episode)

    def draw(self, project: ProjectRef, kind: str, as_of_episode: int | None = None, say=str) -> bytes:
        """A PNG: the relationship graph, the appearance chart or the series board, as of an episode; its words
        through ``say`` (a Phrase in the reader's language)."""
        proj = self.project(project)
        return self.production_desk.picture(kind, proj, self.entries_as_of(proj, as_of_episode), as_of_episode,
                                            self.story.timeline(proj), say)
