"""Hybrid retrieval: lexical bm25 and dense chunk similarity, fused into one ranking.

The index is derived from the records. Each half stores the revision high-water mark it has
caught up to; before answering, the index applies whatever the records gained since (another
process's import, a crash mid-index, a deleted index directory), so a stale index heals itself.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from .crosslingual import names_across_scripts, query_tokens
from .lexical import LexicalIndex
from .models import Hit
from .errors import Conflict, InvalidInput
from .rerank import DEPTH, Reranker
from .store import CanonStore
from .text import lexical_tokens, mentions, snippet

if TYPE_CHECKING:
    import numpy as np

    from .vector_process import RemoteVectorIndex
    from .vectors import VectorIndex

CANDIDATES = 200
MAX_QUESTION = 4_000  # characters: a question is a sentence or a paragraph; a pasted chapter searched for minutes
RETRY_REFUSED_S = 30.0  # a dense half held by another process is asked for again after this long
log = logging.getLogger("cliffhanger")
_HALVES = ThreadPoolExecutor(max_workers=4, thread_name_prefix="keyword-search")


@dataclass(frozen=True)
class FusionWeights:
    """Weights on z-normalised scores. Tuned on FairytaleQA val (see benchmarks/retrieval_quality.py)."""

    lexical: float = 0.5
    dense: float = 0.5
    name_bonus: float = 1.0  # the question names the entry (name or alias)


HYBRID = FusionWeights()
LEXICAL_ONLY = FusionWeights(lexical=1.0, dense=0.0, name_bonus=0.0)
DENSE_ONLY = FusionWeights(lexical=0.0, dense=1.0, name_bonus=0.0)


def _z(scores: dict[str, float], ids: list[str]) -> np.ndarray:
    import numpy as np  # here, not at the top: commands that never search start without it

    if not scores:
        return np.zeros(len(ids))
    values = np.array(list(scores.values()), dtype=float)
    floor = values.min()
    arr = np.array([scores.get(i, floor) for i in ids], dtype=float)
    std = values.std()
    return (arr - values.mean()) / std if std > 1e-9 else arr - values.mean()


def check_question(question: str | None) -> str:
    """The question, stripped; refused before any work when it is longer than ``MAX_QUESTION`` or holds
    nothing to search for (empty, punctuation, or only words such as "who is the"), which would otherwise
    return arbitrary entries. Every command that takes a question comes through here."""
    question = (question or "").strip()
    if not question:
        raise InvalidInput("the question is empty")
    if len(question) > MAX_QUESTION:
        raise InvalidInput("the question is {count:,} characters; the limit is {limit:,}", count=len(question), limit=MAX_QUESTION)
    if not lexical_tokens(question):
        raise InvalidInput("'{question}' has nothing to search for: name a character, place, thing or event", question=question[:60])
    return question


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def project_index_dir(index_dir: Path, project_id: int) -> Path:
    """Where one project's lexical index and index locks live."""
    return index_dir / f"p{project_id}"


class ProjectIndex:
    """Both halves of one project's index, kept in step with the store."""

    def __init__(self, store: CanonStore, project_id: int, index_dir: Path,
                 vectors: VectorIndex | RemoteVectorIndex | Callable[[], VectorIndex | RemoteVectorIndex],
                 reranker: Reranker | None = None):
        self.store = store
        self.reranker = reranker
        self.project_id = project_id
        root = project_index_dir(index_dir, project_id)
        root.mkdir(parents=True, exist_ok=True)
        # One lock per half: the lexical half is written in a second or two and every search may wait for
        # it; the dense half can take minutes, and a search never waits for it.
        self._lock = FileLock(str(root / ".lock"))
        self._dense_lock = FileLock(str(root / ".dense.lock"))
        self._root = root
        self.lexical = LexicalIndex(root / "lexical.sqlite3")
        self._lexical_file = _file_id(root / "lexical.sqlite3")
        self._vectors = vectors
        self._opening = threading.Lock()
        self._synced_to: int | None = None  # revision marker both halves are known to hold
        self._refused_at: float | None = None  # when the dense half was last found held by another process
        self._backlog: tuple[int, int, frozenset[str]] = (-1, -1, frozenset())  # dense marker, latest, ids

    @property
    def vectors(self) -> VectorIndex | RemoteVectorIndex:
        """The dense half, opened on first use: opening Chroma takes seconds, and the lexical half
        (new entries searchable by keyword) must not wait for it."""
        with self._opening:
            if callable(self._vectors):
                self._vectors = self._vectors()
        return self._vectors

    @property
    def dense_refused(self) -> bool:
        """Whether readers search the keyword half alone, because another process holds the dense half."""
        return self._refused_at is not None

    def dense_for_readers(self) -> VectorIndex | RemoteVectorIndex | None:
        """The dense half, or None while another process holds it (embedded Chroma has one owner: a CLI
        import in another shell): a reader then searches the keyword half rather than wait or fail."""
        if self._refused_at is not None and time.monotonic() - self._refused_at < RETRY_REFUSED_S:
            return None
        try:
            vectors = self.vectors
        except Conflict as exc:
            log.info("searching by keyword alone: %s", exc)
            self._refused_at = time.monotonic()
            return None
        self._refused_at = None
        return vectors

    def dense_behind(self) -> bool:
        """Whether the dense half lacks changes the records hold (an import under way or interrupted)."""
        latest = self.store.latest_change(self.project_id)
        if self._synced_to == latest:
            return False
        vectors = self.dense_for_readers()
        return vectors is not None and vectors.marker < latest

    def dense_backlog(self) -> int:
        """How many entries changed since the dense half was last caught up (0 when it is)."""
        return len(self._unindexed())

    def _unindexed(self) -> frozenset[str]:
        """Ids of the entries changed since the dense half was last caught up (their vectors are missing or
        stale): ranked on keywords alone until it catches up, neither helped nor sunk by the dense half."""
        if not self.dense_behind():
            return frozenset()
        marker, latest = self.vectors.marker, self.store.latest_change(self.project_id)
        if self._backlog[:2] != (marker, latest):
            self._backlog = (marker, latest, frozenset(self.store.changed_ids_since(self.project_id, marker)))
        return self._backlog[2]

    def close(self) -> None:
        self.lexical.close()

    def sync(self, progress: Callable[[int, int], Callable[[int], None]] | None = None, wait: bool = True) -> int:
        """Apply changes from the records, lexical half first; returns how many entries were (re)indexed.

        With ``wait=False`` (searches), a dense sync already running elsewhere, such as a big import's,
        is left to finish on its own and the search uses the vectors as they stand; the lexical half is
        always brought up to date first, so new entries are found by name and keyword at once."""
        latest = self.store.latest_change(self.project_id)
        if self._synced_to == latest and self._lexical_intact(latest):
            return 0  # the common case: one stat and one tiny query
        lexical = self.sync_lexical()
        dense = self.sync_dense(progress, wait)
        if dense is not None:
            self._synced_to = latest
        return max(lexical, dense or 0)

    def claim_for(self, identity: str) -> None:
        """Record whose index this is; one recorded for another project of the same id is emptied first."""
        with self._lock:
            owner = self.lexical.owner
            if owner is not None and owner != identity:
                log.warning("the keyword index of project %s was built for another project of that id; "
                            "rebuilding it", self.project_id)
                self.lexical.clear()
            if owner != identity:
                self.lexical.set_owner(identity)

    def sync_keywords(self) -> None:
        """The keyword half caught up with the records, the dense half left as it stands (readers)."""
        if not self._lexical_intact(self.store.latest_change(self.project_id)):
            self.sync_lexical()

    def _lexical_intact(self, latest: int) -> bool:
        """Whether the lexical file is still the one this process synced, holding its marker. Another
        process may have deleted the index directory or cleared the index (a `reindex` interrupted
        midway); trusting the cached marker would then serve an empty index until restart."""
        path = self._root / "lexical.sqlite3"
        if _file_id(path) != self._lexical_file:  # deleted or replaced: open it afresh
            self.lexical.close()
            self._root.mkdir(parents=True, exist_ok=True)
            self.lexical = LexicalIndex(path)
            self._lexical_file = _file_id(path)
            return False
        return self.lexical.marker == latest

    def sync_lexical(self) -> int:
        """Bring the lexical half up to the records (seconds, even for thousands of entries)."""
        with self._lock:
            marker = self.lexical.marker
            lost = bool(marker) and self.lexical.count() == 0  # the lexical file was deleted or emptied
            if lost:
                marker = 0
            if marker >= self.store.latest_change(self.project_id):
                return 0
            live, gone, top = self.store.changes_since(self.project_id, marker)
            self._say_lost("keyword", lost and live)
            if marker == 0:
                self.lexical.clear()
            self.lexical.delete(gone)
            self.lexical.upsert(live)
            self.lexical.set_marker(top)
            return len(live)

    def sync_dense(self, progress: Callable[[int, int], Callable[[int], None]] | None = None,
                   wait: bool = True) -> int | None:
        """Bring the dense half up to the records; None when another sync holds it and ``wait`` is False.
        A crash midway loses nothing: the marker moves only at the end, and the next sync resumes."""
        try:
            self._dense_lock.acquire(timeout=-1 if wait else 0)
        except Timeout:
            return None
        try:
            marker = self.vectors.marker
            collection = self.vectors.collection
            lost = ((marker == 0 and self.lexical.dense_seen(collection) > 0)
                    or (bool(marker) and self.vectors.count() == 0))
            if lost:  # the vector store lost its data (deleted dir, new server)
                marker = 0
            if marker >= self.store.latest_change(self.project_id):
                return 0
            live, gone, top = self.store.changes_since(self.project_id, marker)
            self._say_lost("semantic", lost and live)
            # No clear at marker 0: an interrupted build's vectors are replaced entry by entry (upsert deletes
            # an entry's old chunks first), while readers go on searching the collection.
            tick = progress(len(live), top) if progress and live else None
            self.vectors.delete(gone)
            self.vectors.upsert(live, tick)
            self.vectors.set_marker(top)
            self.lexical.set_dense_seen(collection, top)
            self.vectors.count()
            return len(live)
        finally:
            self._dense_lock.release()

    def _say_lost(self, half: str, lost) -> None:
        """A half found empty while the records hold entries was lost (its files deleted, a new Chroma
        server): it is rebuilt from the records, and whoever runs the bot should know why it is slow."""
        if lost:
            name = self.store.get_project_by_id(self.project_id).name
            log.warning("the %s index of %s was lost (its files deleted, or a new Chroma server?); rebuilding it "
                        "from the records", half, name)

    def rebuild(self, progress=None) -> int:
        with self._lock, self._dense_lock:
            self.lexical.clear()
            self.vectors.clear()
            self._synced_to = None
        return self.sync(progress)

    def candidates(self, query: str, as_of_episode: int | None = None, lexical: bool = True,
                   dense: bool = True) -> Candidates:
        """What each half returns for ``query``, before fusion (a benchmark ranks them several ways).
        The halves run side by side: the keyword search (SQLite) while the model embeds the question
        and Chroma answers, both outside the interpreter lock (15 + 32 ms at 10,000 entries, one after
        the other)."""
        if lexical and dense:
            pending = _HALVES.submit(self.lexical.search, query, as_of_episode, CANDIDATES)
            den = self.vectors.search(query, as_of_episode, CANDIDATES)
            lex = pending.result()
        else:
            lex = self.lexical.search(query, as_of_episode, CANDIDATES) if lexical else {}
            den = self.vectors.search(query, as_of_episode, CANDIDATES) if dense else {}
        ids = list(dict.fromkeys([*lex, *den]))
        info = self.lexical.describe(ids, as_of_episode) if ids else {}
        return Candidates(query, lex, den, info, self._unindexed() if dense else frozenset())

    def search(self, query: str, k: int = 5, as_of_episode: int | None = None,
               weights: FusionWeights = HYBRID) -> list[Hit]:
        dense = bool(weights.dense) and self.dense_for_readers() is not None
        c = self.candidates(query, as_of_episode, bool(weights.lexical), dense)
        if self.reranker is None or weights != HYBRID:
            return rank(c, k, weights)
        return rerank(c, rank(c, max(k, DEPTH), weights), self.reranker)[:k]


@dataclass
class Candidates:
    query: str
    lexical: dict[str, float]  # entry id -> bm25 (higher is better)
    dense: dict[str, tuple[float, str]]  # entry id -> (best chunk similarity, that chunk)
    info: dict[str, dict]  # entry id -> kind, name, names, episode, summary
    unindexed: frozenset[str] = frozenset()  # ids the dense half does not hold yet: judged on keywords alone


def rank(c: Candidates, k: int, weights: FusionWeights = HYBRID) -> list[Hit]:
    """Fuse both halves' candidates into the top ``k`` hits."""
    import numpy as np

    lexical = c.lexical if weights.lexical else {}
    dense = c.dense if weights.dense else {}
    ids = [i for i in dict.fromkeys([*lexical, *dense]) if i in c.info]
    if not ids:
        return []
    info, query = c.info, c.query
    lex_z, dense_z = _z(lexical, ids), _z({i: s for i, (s, _) in dense.items()}, ids)
    if c.unindexed:
        dense_z = np.where([i in c.unindexed for i in ids], lex_z, dense_z)
    fused = weights.lexical * lex_z + weights.dense * dense_z
    if weights.name_bonus:
        keys = query_tokens(query)
        fused += weights.name_bonus * np.array(
            [any(mentions(n, query) for n in info[i]["names"]) or names_across_scripts(info[i]["names"], keys)
             for i in ids], dtype=float)
    order = np.argsort(-fused, kind="stable")[:k]
    return [
        Hit(id=ids[j], kind=info[ids[j]]["kind"], name=info[ids[j]]["name"], episode=info[ids[j]]["episode"],
            score=round(float(fused[j]), 4),
            snippet=snippet(dense[ids[j]][1]) if ids[j] in dense else info[ids[j]]["summary"])
        for j in order
    ]


def passage(c: Candidates, entry_id: str) -> str:
    """What a reranker reads for a candidate: its name and the chunk that matched best (as of the
    question's episode, like everything the index holds), else the entry's opening."""
    info = c.info[entry_id]
    text = c.dense[entry_id][1] if entry_id in c.dense else info["summary"]
    return text if text.startswith(info["name"]) else f"{info['name']}: {text}"


def rerank(c: Candidates, hits: list[Hit], reranker: Reranker) -> list[Hit]:
    """The fused ranking's hits reordered by the reranker, its relevance as their score; unchanged
    when the reranker fails."""
    if len(hits) < 2:
        return hits
    scores = reranker.order(c.query, [passage(c, h.id) for h in hits])
    if scores is None:
        return hits
    order = sorted(range(len(hits)), key=lambda i: -scores[i])
    return [hits[i].model_copy(update={"score": round(scores[i], 4)}) for i in order]
