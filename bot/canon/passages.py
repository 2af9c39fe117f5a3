"""Each distinct passage is embedded once: vectors kept by content hash, per embedding model.

An index holds the same text many times over: an entry's readings over time share most of their chunks,
an edit of a tag or an episode number leaves every chunk as it was, a rebuild or an interrupted import's
catch-up meets passages embedded before, and a passage of any size (a chunk, a sentence) may recur across
entries. The model is by far the slowest step of an import, so ``PassageCache`` wraps any embedder and asks
it only for passages it has never seen. The store is one SQLite file per model under the index directory:
derived data like the rest of the index (deleting it costs only time), shared by every project (a vector
depends on the text and the model alone, so no project can see another's through it), and written as soon
as each batch is embedded, so a killed import keeps what it paid for.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from pathlib import Path

import numpy as np

from .embedders import Embedder
from .index_repair import move_aside


def passage_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class PassageCache:
    """An Embedder that embeds only passages it has not embedded before (queries always go to the model)."""

    def __init__(self, inner: Embedder, index_dir: Path) -> None:
        self.inner, self.name = inner, inner.name
        slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", inner.name)[:80]
        self.path = index_dir / f"passages-{slug}.sqlite3"
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self.embedded = 0  # passages the model embedded through this cache (the rest came from it)

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open()
            except sqlite3.DatabaseError as exc:  # damaged: derived data, so start it again
                move_aside(self.path, exc)
                self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")
        return db

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return self.inner.embed_passages(texts)
        keys = [passage_key(t) for t in texts]
        with self._lock:
            found = self._lookup(list(dict.fromkeys(keys)))
        todo = {k: t for k, t in zip(keys, texts) if k not in found}  # each new passage once, even if repeated
        if todo:
            vectors = np.asarray(self.inner.embed_passages(list(todo.values())), np.float32)
            new = dict(zip(todo, vectors))
            with self._lock:
                db = self._conn()
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", [(k, v.tobytes()) for k, v in new.items()])
                db.execute("COMMIT")
            self.embedded += len(new)
            found.update(new)
        return np.stack([found[k] for k in keys])

    def _lookup(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        db, out = self._conn(), {}
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            rows = db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part)
            out.update((k, np.frombuffer(v, np.float32)) for k, v in rows)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
