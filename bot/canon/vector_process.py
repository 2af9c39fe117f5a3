"""The dense half of the index in a process of its own, for the Discord bot.

Embedded Chroma holds the GIL while it writes and while it saves its HNSW graph (every 1,000
vectors, longer as the index grows); in the bot's process that stalled the event loop by up to
170 ms during a large import (benchmarks/event_loop_lag.py). Here the embedding model and Chroma
live in a child process (`python -m bot.canon.vector_process`) that answers over
`multiprocessing.managers`: one server thread per calling thread, so a question's search runs while
an import's embedding goes on. It runs at a lower CPU priority than the bot, and is the only process
that opens the bot's Chroma, as embedded Chroma requires: a CLI command on the same data while the bot
runs works through it too (`VectorProcess.attach`); otherwise the CLI keeps the index in-process.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from multiprocessing.managers import BaseManager
from pathlib import Path

from . import chroma_owner
from .embedders import make_embedder
from .errors import CanonError
from .models import Entry
from .passages import PassageCache
from .vectors import VectorIndex, make_chroma_client

log = logging.getLogger("cliffhanger")

# Entries per call while indexing: progress moves every few seconds and a call's data stays small.
UPSERT_CHUNK = 16
NICENESS = 5  # the bot's own threads win the CPU; searches here still run between passages
START_TIMEOUT = 60.0
LEASE = "vector-process.json"  # in the index directory while a bot's vector process runs
LEASE_MATCH = ("chroma_host", "chroma_port", "embedder")  # a lease serves only a room alike in these


def _read_lease(path: Path) -> dict | None:
    try:
        lease = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return lease if isinstance(lease, dict) else None


def _logged(method):
    """Log an unexpected failure's traceback here, where it happened; the caller gets the exception."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except CanonError:
            raise
        except Exception:
            log.exception("vector process: %s failed", method.__name__)
            raise

    return wrapper


class VectorService:
    """Lives in the child: one VectorIndex per project over one Chroma client and one embedder."""

    def __init__(self, index_dir: str, chroma_host: str | None, chroma_port: int, embedder: str,
                 api_key: str | None, base_url: str | None) -> None:
        if not chroma_host:  # the one owner of embedded Chroma, for the child's lifetime (chroma_owner.py)
            chroma_owner.claim(Path(index_dir), wait=START_TIMEOUT / 2)
        self._client = make_chroma_client(Path(index_dir), chroma_host, chroma_port)
        self._embedder = PassageCache(make_embedder(embedder, api_key, base_url), Path(index_dir))
        self._indexes: dict[int, VectorIndex] = {}
        self._lock = threading.Lock()

    def _index(self, project_id: int) -> VectorIndex:
        with self._lock:
            if project_id not in self._indexes:
                self._indexes[project_id] = VectorIndex(self._client, project_id, self._embedder)
            return self._indexes[project_id]

    @_logged
    def open(self, project_id: int, identity: str | None) -> int:
        """Open the project's collection for the project of that identity (another's is emptied first)."""
        with self._lock:
            idx = self._indexes.get(project_id)
            if idx is None or idx.identity != identity:
                self._indexes[project_id] = idx = VectorIndex(self._client, project_id, self._embedder, identity)
        return idx.count()

    @_logged
    def warm_up(self) -> None:
        self._embedder.embed_query("warm up")

    @_logged
    def marker(self, project_id: int) -> int:
        return self._index(project_id).marker

    @_logged
    def collection(self, project_id: int) -> str:
        return self._index(project_id).collection

    @_logged
    def set_marker(self, project_id: int, value: int) -> None:
        self._index(project_id).set_marker(value)

    @_logged
    def count(self, project_id: int) -> int:
        return self._index(project_id).count()

    @_logged
    def clear(self, project_id: int) -> None:
        self._index(project_id).clear()

    @_logged
    def delete(self, project_id: int, entry_ids: list[str]) -> None:
        self._index(project_id).delete(entry_ids)

    @_logged
    def upsert(self, project_id: int, entries: list[Entry]) -> None:
        self._index(project_id).upsert(entries)

    @_logged
    def search(self, project_id: int, query: str, as_of_episode: int | None, limit: int):
        return self._index(project_id).search(query, as_of_episode, limit)

    @_logged
    def similarities(self, project_id: int, query: str, texts: list[str]) -> list[float]:
        return self._index(project_id).similarities(query, texts)

    @_logged
    def embedder_name(self) -> str:
        return self._embedder.name

    @_logged
    def embed_passages(self, texts: list[str]):
        """The model for another domain's own index (an imported novel's passages, adapt/search.py)."""
        return self._embedder.embed_passages(texts)

    @_logged
    def embed_query(self, text: str):
        return self._embedder.embed_query(text)


class _Manager(BaseManager):
    pass


_SERVICE: VectorService | None = None  # the child's one service, whoever connects


def _the_service() -> VectorService:
    return _SERVICE


_Manager.register("VectorService", _the_service)


def main() -> None:
    """`python -m bot.canon.vector_process`: serve one VectorService; the job comes as JSON on stdin."""
    global _SERVICE
    job = json.loads(sys.stdin.readline())
    parent = os.getppid()
    os.nice(NICENESS)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    def exit_with_parent() -> None:
        while os.getppid() == parent:
            time.sleep(2)
        os._exit(0)

    threading.Thread(target=exit_with_parent, daemon=True).start()
    _SERVICE = VectorService(**job["service"])
    _Manager(address=job["address"], authkey=bytes.fromhex(job["authkey"])).get_server().serve_forever()


class VectorProcess:
    """A handle on a vector process: the bot's own (started on first use, started again if it died,
    announced in the index directory), or, from `attach`, the one a running bot announced there,
    so that a CLI command on the same data works through it rather than open Chroma a second time."""

    def __init__(self, index_dir: Path, chroma_host: str | None, chroma_port: int, embedder: str,
                 api_key: str | None, base_url: str | None) -> None:
        self._service_args = {"index_dir": str(index_dir), "chroma_host": chroma_host, "chroma_port": chroma_port,
                              "embedder": embedder, "api_key": api_key, "base_url": base_url}
        self._lease = Path(index_dir) / LEASE
        self._proc: subprocess.Popen | None = None
        self._attached: dict | None = None  # the lease of another process's vector process
        self._service = None
        self._lock = threading.Lock()

    @classmethod
    def attach(cls, index_dir: Path, chroma_host: str | None, chroma_port: int, embedder: str) -> VectorProcess | None:
        """The vector process a running bot announced for this index, if it is alive and alike."""
        handle = cls(index_dir, chroma_host, chroma_port, embedder, None, None)
        lease = _read_lease(handle._lease)
        try:
            os.kill(lease["pid"], 0)
        except (OSError, TypeError, KeyError):
            return None
        if any(lease.get(k) != handle._service_args[k] for k in LEASE_MATCH):
            return None
        handle._attached = lease
        try:
            handle.service()
        except (OSError, EOFError):
            return None
        return handle

    @property
    def pid(self) -> int | None:
        """The vector process's id while it runs."""
        if self._attached:
            return self._attached["pid"]
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def service(self):
        with self._lock:
            if self._attached:
                if self._service is None:
                    self._service = self._connect(self._attached["address"], bytes.fromhex(self._attached["authkey"]))
            elif self._proc is None or self._proc.poll() is not None:
                if self._proc is not None:
                    log.warning("the vector process stopped (exit %s); starting it again", self._proc.returncode)
                    self._stop()
                self._service = self._start()
            return self._service

    @staticmethod
    def _connect(address: str, authkey: bytes):
        manager = _Manager(address=address, authkey=authkey)
        manager.connect()
        return manager.VectorService()

    def _start(self):
        self._dir = tempfile.mkdtemp(prefix="cliffhanger-vectors-")
        address, authkey = os.path.join(self._dir, "socket"), secrets.token_hex(32)
        self._proc = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, text=True)
        self._proc.stdin.write(json.dumps({"address": address, "authkey": authkey, "service": self._service_args}))
        self._proc.stdin.close()
        deadline = time.monotonic() + START_TIMEOUT
        while not os.path.exists(address):
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self._stop()
                raise CanonError("the search index could not start; the details are in the bot's log")
            time.sleep(0.05)
        service = self._connect(address, bytes.fromhex(authkey))
        lease = {"pid": self._proc.pid, "address": address, "authkey": authkey,
                 **{k: self._service_args[k] for k in LEASE_MATCH}}
        self._lease.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lease, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds the key
        with os.fdopen(fd, "w") as f:
            json.dump(lease, f)
        return service

    def call(self, method: str, *args):
        try:
            return getattr(self.service(), method)(*args)
        except (EOFError, ConnectionError) as exc:
            log.error("the vector process went away during %s: %r", method, exc)
            raise CanonError("the search index restarted; try again") from None

    def _stop(self) -> None:
        self._service = None
        if self._proc is None:
            return
        if (_read_lease(self._lease) or {}).get("pid") == self._proc.pid:
            self._lease.unlink(missing_ok=True)
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        self._proc = None
        shutil.rmtree(self._dir, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            self._stop()
            self._attached = None


class RemoteEmbedder:
    """The vector process's embedding model as an Embedder, for indexes other than canon's."""

    def __init__(self, process: VectorProcess) -> None:
        self.process = process
        self._name: str | None = None

    @property
    def name(self) -> str:
        if self._name is None:
            self._name = self.process.call("embedder_name")
        return self._name

    def embed_passages(self, texts: list[str]):
        return self.process.call("embed_passages", list(texts))

    def embed_query(self, text: str):
        return self.process.call("embed_query", text)


class RemoteVectorIndex:
    """A VectorIndex for one project whose work runs in the vector process."""

    def __init__(self, process: VectorProcess, project_id: int, identity: str | None = None) -> None:
        self._process, self._project_id = process, project_id
        self._call("open", identity)  # opens the collection now: a wrong-model index fails here, as in-process

    def _call(self, method: str, *args):
        return self._process.call(method, self._project_id, *args)

    @property
    def marker(self) -> int:
        return self._call("marker")

    @property
    def collection(self) -> str:
        return self._call("collection")

    def set_marker(self, value: int) -> None:
        self._call("set_marker", value)

    def count(self) -> int:
        return self._call("count")

    def clear(self) -> None:
        self._call("clear")

    def delete(self, entry_ids: list[str]) -> None:
        if entry_ids:
            self._call("delete", entry_ids)

    def upsert(self, entries: list[Entry], progress: Callable[[int], None] | None = None) -> None:
        for i in range(0, len(entries), UPSERT_CHUNK):
            chunk = entries[i:i + UPSERT_CHUNK]
            self._call("upsert", chunk)
            if progress:
                progress(len(chunk))

    def search(self, query: str, as_of_episode: int | None, limit: int) -> dict[str, tuple[float, str]]:
        return self._call("search", query, as_of_episode, limit)

    def similarities(self, query: str, texts: list[str]) -> list[float]:
        return self._call("similarities", query, texts)


if __name__ == "__main__":
    main()
