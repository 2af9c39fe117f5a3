"""Dense search over entry chunks in Chroma (embedded by default, a `chroma run` server when
CHROMA_HOST is set). One collection per project and embedding model; derived data.

Each chunk carries the episodes its text is true for (``first``..``last``, from the entry's
readings over time), and a chunk shared by several readings is embedded once."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .embedders import Embedder
from .index_repair import move_aside
from .errors import InvalidInput
from .readings import LATEST, bands
from .models import Entry
from .text import chunk_text

# Passages per model call: a question arriving mid-import waits for one call at most (batching more
# saves no model time: the engine's cost per passage is the same alone or in a batch).
BATCH = 4
# Vectors per Chroma write: a write costs about 8 ms plus 0.5 ms a vector, holding the GIL. The bot's
# index runs in its vector process, away from its event loop, so writes can be larger than a model call.
WRITE_BATCH = 32
LAYOUT = 2  # chunks carry first/last episodes; a collection built before that is rebuilt


def make_chroma_client(index_dir: Path, host: str | None, port: int):
    import chromadb
    import chromadb.errors
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if host:
        return chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / "chroma"
    try:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except chromadb.errors.ChromaError as exc:  # its database is damaged: the index is derived, rebuild it
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()  # forget the half-opened client for this path
        move_aside(path, exc)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def entry_chunks(entry: Entry) -> list[tuple[str, str]]:
    """(text to embed, text to show) per chunk: the name line leads the first chunk's
    embedding so names count densely too."""
    head = entry.name + (f" ({', '.join(entry.aliases)})" if entry.aliases else "")
    chunks = chunk_text(entry.text) if entry.text.strip() else [""]
    return [(f"{head}: {c}".rstrip(": ") if i == 0 else c, c or head) for i, c in enumerate(chunks)]


def _band_chunks(e: Entry) -> list[tuple[str, str, dict, str]]:
    """(id, shown, metadata, to embed) per distinct chunk of the entry's readings; a chunk that is the
    same in consecutive readings becomes one chunk true for all their episodes."""
    out: list[tuple[str, str, dict, str]] = []
    open_: dict[tuple[int, str, str], dict] = {}
    for band in bands(e):
        for i, (to_embed, shown) in enumerate(entry_chunks(band.entry)):
            key = (i, to_embed, shown)
            meta = open_.get(key)
            if meta is not None and meta["last"] == band.first - 1:
                meta["last"] = band.last
                continue
            meta = {"entry_id": e.id, "episode": -1 if e.episode is None else e.episode, "chunk": i,
                    "first": band.first, "last": band.last}
            open_[key] = meta
            out.append((f"{e.id}::{band.first}::{i}", shown, meta, to_embed))
    return out


class VectorIndex:
    def __init__(self, client, project_id: int, embedder: Embedder, identity: str | None = None) -> None:
        """``identity``: the project's (indexes.project_identity), recorded on the collection; a collection
        recorded for another project of the same id (a database moved away, the id reused) starts again."""
        self.embedder, self.identity, self.project_id = embedder, identity, project_id
        slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", embedder.name)[:80]
        self.name = f"cliffhanger-p{project_id}-{slug}"
        self.client = client
        self.col = self._collection()
        self._count: int | None = None  # refreshed by count(), which every sync calls
        self._last_query: tuple[str, np.ndarray] | None = None  # an answer scores passages right after its search
        meta = self.col.metadata or {}
        built_with, owner = meta.get("embedder"), meta.get("project")
        if identity is None:  # opened without knowing whose it is (a restarted vector process): keep it as it is
            self.identity = identity = owner
        if built_with == embedder.name and (meta.get("layout") != LAYOUT or owner not in (None, identity)):
            client.delete_collection(self.name)  # derived data: the next sync rebuilds it from the records
            self.col = self._collection()
        elif built_with == embedder.name and owner is None and identity:  # built before identities: adopt it
            self.set_marker(self.marker)
        if built_with != embedder.name:
            raise InvalidInput("index '{name}' was built with '{built_with}', not '{embedder}': run `cliffhanger reindex`", name=self.name, built_with=built_with, embedder=embedder.name)

    def _collection(self):
        return self.client.get_or_create_collection(
            self.name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None,
            metadata=self._metadata(0))

    def _metadata(self, marker: int) -> dict:
        meta = {"embedder": self.embedder.name, "marker": marker, "layout": LAYOUT}
        return {**meta, "project": self.identity} if self.identity else meta

    @property
    def collection(self) -> str:
        """The collection's name: one per project and embedding model."""
        return self.name

    @property
    def marker(self) -> int:
        return int((self.col.metadata or {}).get("marker", 0))

    def set_marker(self, value: int) -> None:
        self.col.modify(metadata=self._metadata(value))

    def count(self) -> int:
        self._count = self.col.count()
        return self._count

    def clear(self) -> None:
        self.client.delete_collection(self.name)
        self.__init__(self.client, self.project_id, self.embedder, self.identity)

    def delete(self, entry_ids: list[str]) -> None:
        for i in range(0, len(entry_ids), 500):
            self.col.delete(where={"entry_id": {"$in": entry_ids[i:i + 500]}})

    def upsert(self, entries: list[Entry], progress: Callable[[int], None] | None = None) -> None:
        self.delete([e.id for e in entries])  # an edit may leave fewer chunks than before
        pending: list[tuple[str, str, dict, str]] = []
        for e in entries:
            pending.extend(_band_chunks(e))
        done_entries: set[str] = set()

        def write(batch, vectors) -> None:
            self.col.upsert(ids=[b[0] for b in batch], documents=[b[1] for b in batch],
                            metadatas=[b[2] for b in batch], embeddings=np.asarray(vectors, np.float32))
            if progress:
                newly = {b[2]["entry_id"] for b in batch} - done_entries
                done_entries.update(newly)
                progress(len(newly))

        # The model embeds the next batch while Chroma stores the last one (both release the GIL for most
        # of their work): an import then takes about as long as its embedding alone.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chroma-write") as writer:
            in_flight = None
            for start in range(0, len(pending), WRITE_BATCH):
                batch = pending[start:start + WRITE_BATCH]
                vectors = np.concatenate([self.embedder.embed_passages([b[3] for b in batch[i:i + BATCH]])
                                          for i in range(0, len(batch), BATCH)])
                if in_flight is not None:
                    in_flight.result()  # one write at a time, in order; a failed write stops the import here
                in_flight = writer.submit(write, batch, vectors)
            if in_flight is not None:
                in_flight.result()

    def _query(self, vec: np.ndarray, n: int, limit: int, total: int) -> list[tuple[float, dict, str]]:
        """The ``limit`` nearest chunks true as of episode ``n``.

        Chroma's metadata filter costs ~70 ms at 10,000 entries against ~9 ms without. Most searches are
        as of the latest episode, where only the chunks of earlier readings are out: so ask without the
        filter for a few more than needed and drop those. The result is exact (every valid chunk nearer
        than the last one returned is among them); only when too few were valid, ask again with it."""
        include = ["distances", "metadatas", "documents"]
        if n == LATEST:
            wanted = min(total, limit + limit // 2)
            res = self.col.query(query_embeddings=[vec], n_results=wanted, include=include)
            rows = list(zip(res["distances"][0], res["metadatas"][0], res["documents"][0]))
            valid = [r for r in rows if r[1]["first"] <= n <= r[1]["last"]]
            if len(valid) >= limit or len(rows) == total:
                return valid[:limit]
        where = {"$and": [{"first": {"$lte": n}}, {"last": {"$gte": n}}]}
        res = self.col.query(query_embeddings=[vec], n_results=min(limit, total), where=where, include=include)
        return list(zip(res["distances"][0], res["metadatas"][0], res["documents"][0]))

    def search(self, query: str, as_of_episode: int | None, limit: int) -> dict[str, tuple[float, str]]:
        """entry id -> (best chunk cosine similarity, that chunk's text)."""
        total = self._count if self._count is not None else self.count()
        if not total:
            return {}
        vec = self._query_vector(query)
        n = LATEST if as_of_episode is None else as_of_episode
        hits = self._query(vec, n, limit, total)
        out: dict[str, tuple[float, str]] = {}
        for dist, meta, doc in hits:
            sim = 1.0 - float(dist)
            entry_id = meta["entry_id"]
            if entry_id not in out or sim > out[entry_id][0]:
                out[entry_id] = (sim, doc)
        return out

    def _query_vector(self, query: str) -> np.ndarray:
        last = self._last_query
        if last is not None and last[0] == query:
            return last[1]
        vec = np.asarray(self.embedder.embed_query(query), np.float32)
        self._last_query = (query, vec)
        return vec

    def similarities(self, query: str, texts: list[str]) -> list[float]:
        """Cosine similarity of each text to ``query``: the passages an answer weighs, embedded when first
        asked for (the index itself holds whole-entry chunks); the embedder's passage cache keeps them for
        the next question."""
        q = self._query_vector(query)
        q = q / (np.linalg.norm(q) or 1.0)
        if not texts:
            return []
        vectors = np.asarray(self.embedder.embed_passages(list(texts)), np.float32)
        norms = np.linalg.norm(vectors, axis=1)
        norms[norms == 0] = 1.0
        return [float(v) for v in (vectors / norms[:, None]) @ q]
