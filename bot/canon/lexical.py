"""Lexical search: SQLite FTS5 with bm25 ranking, one file per project under the index dir.

Text is analysed in Python (``text.lexical_tokens``: stemming, CJK bigrams; names also under their
pinyin keys and Chinese questions also in English words, ``crosslingual``) and stored pre-tokenised, so
the same analysis serves English and Chinese whatever database holds the records. Derived data: safe to
delete, rebuilt from the records.

An entry is stored once per reading over time (``readings.bands``: its text as of episodes
first..last), so a search as of episode N ranks exactly what a reader at N may see.

One writer connection, used under a lock, and one reading connection per thread (WAL): a lookup reads the
last committed state and never waits for, nor sees half of, an import's indexing transaction. One shared
connection did both: autocomplete read a half-indexed batch, and a write from another thread (a marker)
landed inside an upsert's transaction, where SQLite's per-connection last row id is shared too: the
upsert then gave its search row another row's id (IntegrityError).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .readings import LATEST, bands
from .index_repair import move_aside
from .crosslingual import dictionary_words, name_tokens, query_tokens
from .models import Entry
from .text import ANALYZER, lexical_tokens, mentions, snippet

NAME_WEIGHT = 3.0  # a match in a name or alias counts three times a match in the body
TRANSLATE = True  # a Chinese question also searches with its words' English senses (CC-CEDICT)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs (
    rowid INTEGER PRIMARY KEY, entry_id TEXT NOT NULL, kind TEXT, name TEXT,
    names TEXT, episode INTEGER, first INTEGER NOT NULL, last INTEGER NOT NULL, summary TEXT);
CREATE INDEX IF NOT EXISTS docs_entry ON docs (entry_id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(names, body, tokenize='unicode61 remove_diacritics 0');
"""
_AS_OF = "d.first <= ? AND d.last >= ?"


def _n(as_of_episode: int | None) -> int:
    return LATEST if as_of_episode is None else as_of_episode


class LexicalIndex:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self._writer = self._open(path)
        except sqlite3.DatabaseError as exc:  # a damaged file: derived data, so start it again
            move_aside(path, exc)
            self._writer = self._open(path)
        self._writing = threading.RLock()  # one write (or write transaction) at a time, whichever thread
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_guard = threading.Lock()

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's reading connection: WAL lets it read the last commit while a write is under way."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=60, check_same_thread=False, isolation_level=None)
            with self._readers_guard:
                self._readers.append(db)
            self._local.db = db
        return db

    def _write(self, sql: str, params=()) -> None:
        with self._writing:
            self._writer.execute(sql, params)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            columns = {row[1] for row in db.execute("PRAGMA table_info(docs)")}
            if columns and "first" not in columns:  # an index from before readings over time: rebuild it
                db.executescript("DROP TABLE IF EXISTS fts; DROP TABLE IF EXISTS docs; DROP TABLE IF EXISTS meta;")
            db.executescript(_SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key='analyzer'").fetchone()
            if row is None or int(row[0]) != ANALYZER:  # tokens of another analysis: rebuilt from the records
                db.executescript(f"BEGIN IMMEDIATE; DELETE FROM fts; DELETE FROM docs; DELETE FROM meta; "
                                 f"INSERT INTO meta VALUES ('analyzer', '{ANALYZER}'); COMMIT;")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        with self._writing:
            self._writer.close()
        with self._readers_guard:
            for db in self._readers:
                db.close()
            self._readers.clear()

    def _number(self, key: str) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def _set_number(self, key: str, value: int) -> None:
        self._write("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(value)))

    @property
    def owner(self) -> str | None:
        """The identity of the project this index was built for (``indexes.project_identity``)."""
        row = self.db.execute("SELECT value FROM meta WHERE key='project'").fetchone()
        return row[0] if row else None

    def set_owner(self, identity: str) -> None:
        self._write("INSERT OR REPLACE INTO meta VALUES ('project', ?)", (identity,))

    @property
    def marker(self) -> int:
        return self._number("marker")

    def set_marker(self, value: int) -> None:
        self._set_number("marker", value)

    def dense_seen(self, collection: str) -> int:
        """The marker the dense half's ``collection`` had when last synced from here: found back at 0 while
        this says more, it was lost (its files deleted, a new Chroma server), not merely never built (a
        project's first import, or another embedding model's collection)."""
        return self._number(f"dense:{collection}")

    def set_dense_seen(self, collection: str, value: int) -> None:
        self._set_number(f"dense:{collection}", value)

    def upsert(self, entries: list[Entry]) -> None:
        with self._tx() as db:
            self._delete(e.id for e in entries)
            for entry in entries:
                for band in bands(entry):
                    e = band.entry
                    cur = db.execute(
                        "INSERT INTO docs (entry_id, kind, name, names, episode, first, last, summary) "
                        "VALUES (?,?,?,?,?,?,?,?)",
                        (e.id, e.kind.value, e.name, "\n".join(e.names), e.episode, band.first, band.last,
                         snippet(e.text)),
                    )
                    db.execute(
                        "INSERT INTO fts (rowid, names, body) VALUES (?,?,?)",
                        (cur.lastrowid, " ".join([*lexical_tokens(" ".join(e.names)), *name_tokens(e.names)]),
                         " ".join(lexical_tokens(e.text + " " + " ".join(e.tags)))),
                    )

    def delete(self, entry_ids: list[str]) -> None:
        with self._tx():
            self._delete(entry_ids)

    def _delete(self, entry_ids) -> None:
        db = self._writer
        for entry_id in entry_ids:
            for row in db.execute("SELECT rowid FROM docs WHERE entry_id=?", (entry_id,)).fetchall():
                db.execute("DELETE FROM fts WHERE rowid=?", row)
                db.execute("DELETE FROM docs WHERE rowid=?", row)

    def clear(self) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM fts")
            db.execute("DELETE FROM docs")
            db.execute("DELETE FROM meta WHERE key NOT IN ('analyzer', 'project')")

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the writer connection, the write lock held throughout."""
        with self._writing:
            self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                self._writer.execute("ROLLBACK")
                raise
            self._writer.execute("COMMIT")

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM docs WHERE last = ?", (LATEST,)).fetchone()[0]

    def search(self, query: str, as_of_episode: int | None, limit: int) -> dict[str, float]:
        """entry id -> bm25 score (higher is better)."""
        tokens = list(dict.fromkeys([*lexical_tokens(query), *query_tokens(query),
                                     *(lexical_tokens(" ".join(dictionary_words(query))) if TRANSLATE else [])]))
        if not tokens:
            return {}
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)
        sql = (f"SELECT d.entry_id, -bm25(fts, {NAME_WEIGHT}, 1.0) FROM fts JOIN docs d ON d.rowid = fts.rowid "
               f"WHERE fts MATCH ? AND {_AS_OF} ORDER BY bm25(fts, ?, 1.0) LIMIT ?")
        n = _n(as_of_episode)
        rows = self.db.execute(sql, (match, n, n, NAME_WEIGHT, limit))
        return {entry_id: score for entry_id, score in rows}

    def describe(self, entry_ids: list[str], as_of_episode: int | None = None) -> dict[str, dict]:
        """Kind, name, names, episode and summary (as of the episode) for hits, without touching the records."""
        out = {}
        n = _n(as_of_episode)
        for i in range(0, len(entry_ids), 500):
            part = entry_ids[i:i + 500]
            rows = self.db.execute(
                f"SELECT entry_id, kind, name, names, episode, summary FROM docs d "
                f"WHERE entry_id IN ({','.join('?' * len(part))}) AND {_AS_OF}", (*part, n, n))
            for entry_id, kind, name, names, episode, summary in rows:
                out[entry_id] = {"kind": kind, "name": name, "names": names.split("\n"),
                                 "episode": episode, "summary": summary}
        return out

    def names_matching(self, fragment: str, limit: int = 25) -> list[tuple[str, str]]:
        """(id, name) of entries whose name or an alias contains ``fragment``: autocomplete."""
        rows = self.db.execute("SELECT entry_id, name FROM docs WHERE last = ? AND names LIKE ? ESCAPE '\\' "
                               "ORDER BY name LIMIT ?",
                               (LATEST, "%" + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                                + "%", limit))
        return list(rows)

    def named_in(self, text: str, kinds: tuple[str, ...], as_of_episode: int | None) -> list[str]:
        """Ids of entries of ``kinds`` whose name or an alias appears in ``text``."""
        n = _n(as_of_episode)
        rows = self.db.execute(
            f"SELECT entry_id, names FROM docs d WHERE kind IN ({','.join('?' * len(kinds))}) AND {_AS_OF}",
            (*kinds, n, n))
        return [entry_id for entry_id, names in rows if any(mentions(n, text) for n in names.split("\n"))]

