"""The room's search indexes and what they run on: one ProjectIndex per project, the embedding model,
Chroma (embedded in this process, a ``chroma run`` server, or a child process that owns both) and the
opt-in reranker.

The indexes are derived from the records, so their whole lifecycle lives here, apart from the records'
rules: opened on first use, warmed up before the first command, rebuilt on request, closed with the room.
"""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from ..settings import Settings
from .errors import CanonError, Phrase
from .models import Project
from .rerank import make_reranker
from .store import CanonStore

if TYPE_CHECKING:  # the indexes, the model, Chroma and the vector process load where first used, so that
    from .embedders import Embedder  # commands which never search (show, list, export...) start without them
    from .retrieval import ProjectIndex

log = logging.getLogger("cliffhanger")
Progress = Callable[[int, int], Callable[[int], None]]  # (total entries, marker) -> tick(n)


def project_identity(project: Project) -> str:
    """Who a project is, beyond its id: ids are reused (a database moved away, a project deleted), its
    creation instant is not. Recorded in both halves of its index, so an index built for another project
    of the same id is emptied and rebuilt rather than served."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"cliffhanger:project:{project.id}:{project.created_at.isoformat()}"))


class IndexManager:
    def __init__(self, settings: Settings, store: CanonStore, embedder: Embedder | None = None,
                 vectors_in_child: bool = False) -> None:
        """``vectors_in_child`` runs the embedding model and Chroma in a child process (the bot does, so
        that index writes never stall its event loop; see vector_process.py)."""
        self.settings, self.store = settings, store
        self._embedder = None
        if embedder is not None:  # an injected model (tests, benchmarks) embeds each passage once too
            from .passages import PassageCache

            self._embedder = PassageCache(embedder, settings.index_dir)
        self._chroma = None
        s = settings
        if vectors_in_child:
            from .vector_process import VectorProcess
        self.vector_process = VectorProcess(s.index_dir, s.chroma_host, s.chroma_port, s.embedder, s.openai_api_key,
                                            s.openai_base_url) if vectors_in_child else None
        self._looked_for_bot = vectors_in_child or embedder is not None  # an injected model stays in-process
        self._indexes: dict[int, ProjectIndex] = {}
        self._index_lock = threading.Lock()  # Discord runs requests in worker threads
        self.upkeep_behind_readers = vectors_in_child  # the bot: a reader that finds the dense half behind
        self._upkeep: dict[int, Future] = {}  # project id -> its latest upkeep (schedule_upkeep)
        self._upkeep_pool: ThreadPoolExecutor | None = None
        self._upkeep_guard = threading.Lock()
        self._chroma_lock = threading.Lock()
        self.upkeep_behind = False  # the bot sets it: a write returns once saved, its index upkeep runs behind
        self.reranker = make_reranker(s.reranker, s.reranker_url or s.openai_base_url,
                                      s.reranker_api_key or s.openai_api_key)  # a wrong setting fails here

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from .embedders import make_embedder
            from .passages import PassageCache

            s = self.settings
            self._embedder = PassageCache(make_embedder(s.embedder, s.openai_api_key, s.openai_base_url), s.index_dir)
        return self._embedder

    def embedding(self) -> Embedder:
        """The embedding model for another domain's own index (an imported novel's, adapt/search.py): the
        bot's vector process's when it runs one, so the model is loaded once; else this process's."""
        if self.vector_process:
            from .vector_process import RemoteEmbedder

            return RemoteEmbedder(self.vector_process)
        return self.embedder

    def index(self, project: Project, progress: Progress | None = None) -> ProjectIndex:
        """The project's index, both halves caught up with the records first (unless another import is
        indexing it right now: then as it stands, rather than keep the room waiting). What a write does
        after it changes canon; a reader wants ``readable``, the bot ``schedule_upkeep``."""
        idx = self.open(project)
        idx.sync(progress, wait=progress is not None)
        return idx

    def after_write(self, project: Project) -> None:
        """Index upkeep after a write: now (the CLI's command ends with the index caught up), or, with
        ``upkeep_behind`` (the bot), on the upkeep thread, so the reply does not wait for the embedding."""
        if self.upkeep_behind:
            self.schedule_upkeep(project)
        else:
            self.index(project)

    def readable(self, project: Project) -> ProjectIndex:
        """The project's index for a reader (search, autocomplete, the as-of view): the keyword half caught
        up with the records (a second at most), the dense half as it stands. A reader never embeds a
        backlog before answering (after an interrupted import that could take minutes): the bot catches
        the dense half up behind the answer, and the CLI says how far it is (``reader_note``)."""
        idx = self.open(project)
        idx.sync_keywords()
        if self.upkeep_behind_readers and idx.dense_behind():
            self.schedule_upkeep(project)
        return idx

    def reader_note(self, project: Project) -> Phrase | None:
        """What a reader should know about the answers it just got, when they lack part of the dense half."""
        idx = self.open(project)
        if idx.dense_refused:
            return Phrase("the semantic index is open in another process (an import?): these results come from the "
                          "keyword index alone")
        backlog = idx.dense_backlog()
        if not backlog:
            return None
        if self.upkeep_behind_readers:
            return Phrase("the semantic index is catching up with {n} changed entries", n=backlog)
        return Phrase("the semantic index has not caught up with {n} changed entries (an interrupted import?): "
                      "these results come from keywords and the vectors made so far; {command} finishes it",
                      n=backlog, command=f"`cliffhanger reindex --project {project.name}`")

    def schedule_upkeep(self, project: Project) -> Future:
        """Bring the project's index up to its records behind the caller, on one background thread: the bot
        calls it after its reply, so a change's embedding never delays the answer that reports it. A call
        while the project's upkeep is still waiting to start shares that one."""
        with self._upkeep_guard:
            pending = self._upkeep.get(project.id)
            if pending is not None and not (pending.running() or pending.done()):
                return pending
            if self._upkeep_pool is None:
                self._upkeep_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-upkeep")
            job = self._upkeep[project.id] = self._upkeep_pool.submit(self._upkeep_job, project)
            return job

    def _upkeep_job(self, project: Project) -> int:
        try:
            return self.open(project).sync(wait=True)
        except Exception:
            log.exception("index upkeep of %s failed; the next change or `cliffhanger reindex` retries it",
                          project.name)
            raise

    def wait_for_upkeep(self) -> None:
        """Return once every catch-up scheduled so far has run (tests, benchmarks, shutdown)."""
        with self._upkeep_guard:
            pool = self._upkeep_pool
        if pool is not None:
            pool.submit(lambda: None).result()

    def open(self, project: Project) -> ProjectIndex:
        """The project's index as it stands, opened on first use."""
        with self._index_lock:
            return self._open_locked(project)

    def _open_locked(self, project: Project) -> ProjectIndex:
        idx = self._indexes.get(project.id)
        if idx is None:
            from .retrieval import ProjectIndex, project_index_dir
            from .vector_process import RemoteVectorIndex, VectorProcess
            from .vectors import VectorIndex

            if not self._looked_for_bot:  # a bot running on this data owns the index: work through it
                s, self._looked_for_bot = self.settings, True
                self.vector_process = VectorProcess.attach(s.index_dir, s.chroma_host, s.chroma_port, s.embedder)
            if not project_index_dir(self.settings.index_dir, project.id).exists() \
                    and self.store.latest_change(project.id):
                log.warning("the search index of %s is missing (deleted?); rebuilding it from the records",
                            project.name)
            identity = project_identity(project)
            if self.vector_process:
                vectors = RemoteVectorIndex(self.vector_process, project.id, identity)
            else:
                vectors = lambda: VectorIndex(self._chroma_client(), project.id, self.embedder, identity)  # noqa: E731
            idx = ProjectIndex(self.store, project.id, self.settings.index_dir, vectors, self.reranker)
            idx.claim_for(identity)
            self._indexes[project.id] = idx
        return idx

    def prepare(self, project: Project) -> None:
        """A new project's index directory, emptied of whatever an earlier project of the same id left there
        (one missing later, with records, was lost: see ``open``). Its dense half is checked on first use."""
        with self._index_lock:
            stale = self._indexes.pop(project.id, None)
            if stale is not None:
                stale.close()
            from .retrieval import project_index_dir

            root = project_index_dir(self.settings.index_dir, project.id)
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True, exist_ok=True)

    def drop(self, project: Project) -> None:
        """Empty and forget a deleted project's index, so a reused id starts clean."""
        idx = self.open(project)
        idx.rebuild()  # the records are gone: this empties both halves
        idx.close()
        self._indexes.pop(project.id, None)

    def _chroma_client(self):
        with self._chroma_lock:  # projects open their dense halves lazily, maybe in two threads at once
            return self._chroma_client_locked()

    def _chroma_client_locked(self):
        if self._chroma is None:
            from . import chroma_owner

            s = self.settings
            if not s.chroma_host:  # embedded: this process becomes the directory's one owner, or says who is
                chroma_owner.claim(s.index_dir)
            from .vectors import make_chroma_client

            try:
                self._chroma = make_chroma_client(s.index_dir, s.chroma_host, s.chroma_port)
            except Exception:
                if not s.chroma_host:
                    chroma_owner.release(s.index_dir)
                raise
        return self._chroma

    def warm_up(self) -> None:
        """Load the embedding model and the index client now, so the first search does not wait for them."""
        from . import retrieval  # noqa: F401  (nor for the search code, which commands load on first use)

        if self.vector_process:
            self.vector_process.call("warm_up")
        else:
            self.embedder.embed_query("warm up")
            with self._index_lock:
                self._chroma_client()

    def reindex(self, project: Project, progress: Progress | None = None) -> int:
        return self.open(project).rebuild(progress)

    def reindex_all(self, progress: Progress | None = None) -> list[tuple[Project, int]]:
        """Rebuild every project's index, in every scope, and check each against the records: both halves
        caught up with the revision log and holding every live entry. A mismatch is an error, not a note."""
        done = []
        for project_id in self.store.all_project_ids():
            proj = self.store.get_project_by_id(project_id)
            from .retrieval import project_index_dir

            project_index_dir(self.settings.index_dir, proj.id).mkdir(parents=True, exist_ok=True)  # no "missing" news
            idx = self.open(proj)
            n = idx.rebuild(progress)
            latest, live = self.store.latest_change(proj.id), self.store.count_entries(proj.id)
            if (idx.lexical.marker, idx.vectors.marker) != (latest, latest) or idx.lexical.count() < live \
                    or idx.vectors.count() < live:
                raise CanonError("the index of {name} did not rebuild completely; run `cliffhanger reindex --all` again", name=proj.name)
            done.append((proj, n))
        return done

    def close(self) -> None:
        if self._upkeep_pool is not None:  # a running catch-up finishes (it stops safely only between writes)
            self._upkeep_pool.shutdown(wait=True, cancel_futures=True)
            self._upkeep_pool = None
        for idx in self._indexes.values():
            idx.close()
        self._indexes.clear()
        if self._embedder is not None:
            self._embedder.close()
        if self.reranker:
            self.reranker.close()
        if self.vector_process:
            self.vector_process.close()
        if self._chroma is not None:
            if hasattr(self._chroma, "close"):  # close() came in chromadb 1.x
                self._chroma.close()  # releases the index files for the next process to open them
            self._chroma = None
            if not self.settings.chroma_host:
                from . import chroma_owner

                chroma_owner.release(self.settings.index_dir)
