"""Hybrid retrieval: lexical bm25 and dense chunk similarity, fused into one ranking.

The index is derived from the records. Each half stores the revision high-water mark it has
caught up to; before answering, the index applies whatever the records gained since (another
process's import, a crash mid-index, a deleted index directory), so a stale index heals itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from filelock import FileLock, Timeout

from .lexical import LexicalIndex
from .models import Hit
from .store import CanonStore
from .text import mentions, snippet
from .vectors import VectorIndex

if TYPE_CHECKING:
    from .vector_process import RemoteVectorIndex

CANDIDATES = 200


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
    if not scores:
        return np.zeros(len(ids))
    values = np.array(list(scores.values()), dtype=float)
    floor = values.min()
    arr = np.array([scores.get(i, floor) for i in ids], dtype=float)
    std = values.std()
    return (arr - values.mean()) / std if std > 1e-9 else arr - values.mean()


class ProjectIndex:
    """Both halves of one project's index, kept in step with the store."""

    def __init__(self, store: CanonStore, project_id: int, index_dir: Path, vectors: VectorIndex | RemoteVectorIndex):
        self.store = store
        self.project_id = project_id
        root = index_dir / f"p{project_id}"
        root.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(root / ".lock"))
        self.lexical = LexicalIndex(root / "lexical.sqlite3")
        self.vectors = vectors
        self._synced_to: int | None = None  # revision marker both halves are known to hold

    def close(self) -> None:
        self.lexical.close()

    def sync(self, progress: Callable[[int, int], Callable[[int], None]] | None = None, wait: bool = True) -> int:
        """Apply changes from the records; returns how many entries were (re)indexed.

        With ``wait=False`` (searches), a sync already running elsewhere, such as a big import,
        is left to finish on its own and the search uses the index as it stands."""
        latest = self.store.latest_change(self.project_id)
        if self._synced_to == latest:
            return 0  # the common case, checked without touching either index
        try:
            self._lock.acquire(timeout=-1 if wait else 0)
        except Timeout:
            return 0
        try:
            lex_marker, vec_marker = self.lexical.marker, self.vectors.marker
            if self.vectors.count() == 0 and lex_marker:
                lex_marker = 0  # the vector store lost its data (deleted dir, new server)
            if self.lexical.count() == 0 and vec_marker:
                vec_marker = 0
            marker = min(lex_marker, vec_marker)
            if marker >= latest:
                self._synced_to = latest
                return 0
            if marker == 0:
                self.lexical.clear()
                self.vectors.clear()
            live, gone, top = self.store.changes_since(self.project_id, marker)
            tick = progress(len(live), top) if progress and live else None
            self.lexical.delete(gone)
            self.vectors.delete(gone)
            self.lexical.upsert(live)
            self.vectors.upsert(live, tick)
            self.lexical.set_marker(top)
            self.vectors.set_marker(top)
            self.vectors.count()
            self._synced_to = top
            return len(live)
        finally:
            self._lock.release()

    def rebuild(self, progress=None) -> int:
        with self._lock:
            self.lexical.clear()
            self.vectors.clear()
            self._synced_to = None
        return self.sync(progress)

    def search(self, query: str, k: int = 5, as_of_episode: int | None = None,
               weights: FusionWeights = HYBRID) -> list[Hit]:
        lexical = self.lexical.search(query, as_of_episode, CANDIDATES) if weights.lexical else {}
        dense = self.vectors.search(query, as_of_episode, CANDIDATES) if weights.dense else {}
        ids = list(dict.fromkeys([*lexical, *dense]))
        if not ids:
            return []
        info = self.lexical.describe(ids, as_of_episode)
        ids = [i for i in ids if i in info]
        fused = weights.lexical * _z(lexical, ids) + weights.dense * _z({i: s for i, (s, _) in dense.items()}, ids)
        if weights.name_bonus:
            fused += weights.name_bonus * np.array(
                [any(mentions(n, query) for n in info[i]["names"]) for i in ids], dtype=float)
        order = np.argsort(-fused, kind="stable")[:k]
        return [
            Hit(id=ids[j], kind=info[ids[j]]["kind"], name=info[ids[j]]["name"], episode=info[ids[j]]["episode"],
                score=round(float(fused[j]), 4),
                snippet=snippet(dense[ids[j]][1]) if ids[j] in dense else info[ids[j]]["summary"])
            for j in order
        ]
