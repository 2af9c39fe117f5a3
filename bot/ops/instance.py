"""One bot per data directory: a second `cliffhanger run` on the same data is refused, naming the first.

Two bots on one data directory would both open its embedded Chroma and its lexical index, and (with the
same token) answer every interaction twice. The lock is an OS file lock (flock), so a bot killed with
`kill -9` leaves nothing that blocks the next start: the kernel drops the lock with the process; the
small JSON beside it only says who holds it.

Restoring a backup takes the same lock (``role="restore-backup"``): a restore that replaced the database
under a running bot would lose whatever that bot wrote afterwards, and a bot started mid-restore would
open a half-copied file."""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path

from filelock import FileLock, Timeout

from ..canon.errors import CanonError

LOCK, OWNER = "bot.lock", "bot.json"


class AlreadyRunning(CanonError):
    """Another bot holds this data directory."""


class InstanceLock:
    def __init__(self, data_dir: Path, shards: str = "", role: str = "bot") -> None:
        """``role``: what holds the data directory, "bot" or "restore-backup" (named in the other's refusal)."""
        self.data_dir = Path(data_dir)
        self._lock = FileLock(str(self.data_dir / LOCK), timeout=0)
        self._owner = self.data_dir / OWNER
        self.shards, self.role = shards, role

    def acquire(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except Timeout:
            raise AlreadyRunning(self._refusal()) from None
        self._owner.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "shards": self.shards, "role": self.role,
                                           "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                                           "command": " ".join(sys.argv)[:200]}))

    def release(self) -> None:
        if self._lock.is_locked:
            self._owner.unlink(missing_ok=True)
            self._lock.release()

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def _refusal(self) -> str:
        try:
            owner = json.loads(self._owner.read_text())
        except (OSError, ValueError):
            owner = {}
        who = (f"pid {owner.get('pid', '?')} on {owner.get('host', '?')}, started {owner.get('started', '?')}"
               + (f", shards {owner['shards']}" if owner.get("shards") else ""))
        if owner.get("role") == "restore-backup":
            return (f"a backup is being restored into {self.data_dir} ({who}); wait for `cliffhanger restore-backup` "
                    "to finish, then try again")
        if self.role == "restore-backup":
            return (f"a Cliffhanger bot is running on {self.data_dir} ({who}); stop it before restoring a backup "
                    "there (its later writes would be lost), or restore into another CLIFFHANGER_DATA_DIR")
        return (f"another Cliffhanger bot is already running on {self.data_dir} ({who}); stop it first, or give "
                "this one its own CLIFFHANGER_DATA_DIR (one bot process per data directory)")
