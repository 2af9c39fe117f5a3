"""Search over a novel's text: keyword (SQLite FTS5, bm25, canon's own token analysis so Chinese works) and
dense (the room's embedding model), fused by rank.

One SQLite file per project beside canon's index (``p{id}/novel.sqlite3``), never a Chroma collection of
canon's: canon's retrieval cannot see a sentence of the novel, so an answer about canon never cites the
source text as canon. Derived data like canon's index: rebuilt from the stored chapters when missing.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from ..canon.index_repair import move_aside
from ..canon.text import ANALYZER, lexical_tokens, pack, sentences, snippet, text_units
from .chapters import Chapter

PASSAGE_UNITS = 120  # about 120 model tokens a passage: a paragraph or two of a novel, one hit's context
BATCH = 8  # passages per model call
_CJK = re.compile(r"[\u3400-\u9fff]")
RRF_K = 60  # reciprocal rank fusion's constant (Cormack et al.): a hit's score is sum 1/(k + rank)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS passages (
    rowid INTEGER PRIMARY KEY, seq INTEGER NOT NULL, number INTEGER NOT NULL, text TEXT NOT NULL, vector BLOB);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(body, tokenize='unicode61 remove_diacritics 0');
"""


@dataclass(frozen=True)
class Hit:
    seq: int  # the chapter's place in the novel
    number: int  # its number as the heading gives it
    text: str  # the passage
    score: float


class Embedding(Protocol):
    """What the index needs of the embedding model: its name and its two calls (in this process, or the
    bot's vector process)."""

    name: str

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def fingerprint(chapters: list[Chapter]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for c in chapters:
        h.update(f"{c.number}\x00{c.title}\x00{c.text}\x01".encode("utf-8"))
    return h.hexdigest()


def passages(chapters: list[Chapter]) -> list[tuple[int, int, str]]:
    """(chapter seq, chapter number, passage) for the whole novel: whole paragraphs packed up to the size,
    a longer paragraph cut at sentence ends, the text as the novel writes it."""
    out = []
    for seq, c in enumerate(chapters):
        pieces: list[str] = []
        for paragraph in c.text.split("\n"):
            if not paragraph.strip():
                continue
            if text_units(paragraph) <= PASSAGE_UNITS:
                pieces.append(paragraph.strip())
            else:
                joiner = "" if _CJK.search(paragraph) else " "
                pieces.extend(pack(sentences(paragraph), PASSAGE_UNITS, joiner))
        out.extend((seq, c.number, p) for p in pack(pieces, PASSAGE_UNITS, "\n"))
    return out


class NovelIndex:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self.db = self._open(path)
        except sqlite3.DatabaseError as exc:  # damaged: derived data, so start again
            move_aside(path, exc)
            self.db = self._open(path)
        self._lock = threading.Lock()
        self._vectors: tuple[str, np.ndarray, np.ndarray] | None = None  # (built, rowids, unit vectors)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(_SCHEMA)
        return db

    def close(self) -> None:
        self.db.close()

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def _set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def current(self, chapters: list[Chapter]) -> bool:
        """The keyword half holds exactly these chapters, by this analysis."""
        return self._meta("built") == fingerprint(chapters) and self._meta("analyzer") == str(ANALYZER)

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM passages").fetchone()[0]

    def embedded(self) -> int:
        return self.db.execute("SELECT count(*) FROM passages WHERE vector IS NOT NULL").fetchone()[0]

    def build_keywords(self, chapters: list[Chapter]) -> list[tuple[int, str]]:
        """Replace the index with these chapters' passages, searchable by keyword when it returns. Returns
        (rowid, passage) for the dense half to embed."""
        rows = passages(chapters)
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.execute("DELETE FROM passages")
                self.db.execute("DELETE FROM fts")
                self.db.execute("DELETE FROM meta")
                self.db.executemany("INSERT INTO passages (rowid, seq, number, text) VALUES (?, ?, ?, ?)",
                                    ((i + 1, seq, number, text) for i, (seq, number, text) in enumerate(rows)))
                self.db.executemany("INSERT INTO fts (rowid, body) VALUES (?, ?)",
                                    ((i + 1, " ".join(lexical_tokens(text))) for i, (_s, _n, text) in enumerate(rows)))
                self._set("built", fingerprint(chapters))
                self._set("analyzer", str(ANALYZER))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self._vectors = None
        return [(i + 1, text) for i, (_s, _n, text) in enumerate(rows)]

    def build_vectors(self, todo: list[tuple[int, str]], embedding: Embedding,
                      tick: Callable[[int], None] | None = None) -> None:
        """Embed the passages; the model works on the next batch while SQLite stores the last, so this takes
        about as long as the embedding alone. Interrupted, the keyword half stays whole."""
        self._set("embedder", embedding.name)

        def store(batch: list[tuple[int, str]], vectors: np.ndarray) -> None:
            with self._lock:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany("UPDATE passages SET vector=? WHERE rowid=?",
                                    ((np.asarray(v, np.float32).tobytes(), rowid) for (rowid, _t), v in
                                     zip(batch, vectors)))
                self.db.execute("COMMIT")
            if tick:
                tick(len(batch))

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="novel-vectors") as writer:
            pending = None
            for start in range(0, len(todo), BATCH):
                batch = todo[start:start + BATCH]
                vectors = np.asarray(embedding.embed_passages([t for _r, t in batch]), np.float32)
                if pending is not None:
                    pending.result()
                pending = writer.submit(store, batch, vectors)
            if pending is not None:
                pending.result()
        self._vectors = None

    def keyword(self, query: str, limit: int) -> list[int]:
        tokens = list(dict.fromkeys(lexical_tokens(query)))
        if not tokens:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)
        rows = self.db.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?", (match, limit))
        return [r[0] for r in rows]

    def _matrix(self) -> tuple[np.ndarray, np.ndarray]:
        built = f"{self._meta('built')}:{self.embedded()}"
        if self._vectors is None or self._vectors[0] != built:
            rows = self.db.execute("SELECT rowid, vector FROM passages WHERE vector IS NOT NULL").fetchall()
            ids = np.array([r[0] for r in rows], np.int64)
            mat = np.frombuffer(b"".join(r[1] for r in rows), np.float32).reshape(len(rows), -1) if rows \
                else np.zeros((0, 1), np.float32)
            norms = np.linalg.norm(mat, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            self._vectors = (built, ids, mat / norms)
        return self._vectors[1], self._vectors[2]

    def dense(self, query: str, embedding: Embedding | None, limit: int) -> list[int]:
        if embedding is None or self._meta("embedder") != embedding.name:
            return []  # built by another model (or not yet): keyword search alone, never mixed spaces
        ids, mat = self._matrix()
        if not len(ids):
            return []
        q = np.asarray(embedding.embed_query(query), np.float32)
        q = q / (np.linalg.norm(q) or 1.0)
        scores = mat @ q
        best = np.argsort(-scores)[:limit]
        return [int(ids[i]) for i in best]

    def search(self, query: str, embedding: Embedding | None, limit: int = 10) -> list[Hit]:
        """The passages that best match ``query``, keyword and dense ranks fused."""
        fused: dict[int, float] = {}
        for ranking in (self.keyword(query, limit * 5), self.dense(query, embedding, limit * 5)):
            for rank, rowid in enumerate(ranking):
                fused[rowid] = fused.get(rowid, 0.0) + 1.0 / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda r: -fused[r])[:limit]
        if not best:
            return []
        rows = {r[0]: r[1:] for r in self.db.execute(
            f"SELECT rowid, seq, number, text FROM passages WHERE rowid IN ({','.join('?' * len(best))})", best)}
        return [Hit(rows[r][0], rows[r][1], snippet(rows[r][2], 400), fused[r]) for r in best if r in rows]
