"""One owner per embedded Chroma directory.

Embedded Chroma (`PersistentClient`) must not be opened by two processes at once: each keeps its own
view of the HNSW files and they overwrite each other's. The owner (the bot's vector process, or a CLI
command when no bot runs) holds an exclusive lock on ``<index dir>/chroma.lock`` for as long as its client
is open; the lock dies with the process, so a crash never leaves it stuck. Inside one process the claim
is counted, so several rooms over one directory share it. A CLI command next to a running bot goes
through the bot's vector process (vector_process.VectorProcess.attach) and never claims it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import Conflict

_claims: dict[str, list] = {}  # lock path -> [FileLock, count]
_guard = threading.Lock()


def claim(index_dir: Path, wait: float = 2.0) -> None:
    """Become (or stay) the owner of the directory's embedded Chroma, or fail with a clear message."""
    index_dir.mkdir(parents=True, exist_ok=True)
    key = str((index_dir / "chroma.lock").resolve())
    with _guard:
        held = _claims.get(key)
        if held is None:
            lock = FileLock(key, thread_local=False)
            try:
                lock.acquire(timeout=wait)
            except Timeout:
                raise Conflict("the search index in {index_dir} is open in another process (a running bot's vector "
                               "process, or another cliffhanger command): wait for it to finish, or start the bot first "
                               "so that commands go through it", index_dir=index_dir) from None
            held = _claims[key] = [lock, 0]
        held[1] += 1


def release(index_dir: Path) -> None:
    key = str((index_dir / "chroma.lock").resolve())
    with _guard:
        held = _claims.get(key)
        if held is None:
            return
        held[1] -= 1
        if held[1] <= 0:
            held[0].release(force=True)
            del _claims[key]
