"""Imports under way, noted on disk, so that the next process learns of one that a crash cut off.

A bot killed in the middle of an import (kill -9, out of memory, a redeploy) leaves the writer looking at a
reply that never finishes, not knowing whether to import again. Each import notes itself here while it
runs and holds an OS lock on its note; a note whose lock is free belongs to a process that died, and the
next one reports it. An import writes its records in one transaction, so what it kept is all or nothing:
the revisions its author made after the mark noted when it began.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

NOTES = "imports-running"  # in the data directory


@dataclass
class InterruptedImport:
    project_id: int
    file: str  # as the user named it
    author: str
    started: str
    where: dict  # what the surface needs to find its user again (Discord: channel and user ids)
    saved: int = 0  # entries the import wrote before the process died (0: nothing was saved)


class ImportJournal:
    def __init__(self, data_dir: Path) -> None:
        self.dir = Path(data_dir) / NOTES
        self._held: dict[str, tuple[int, Path]] = {}  # note key -> (locked fd, path), in this process

    def begin(self, project_id: int, file: str, author: str, mark: int, where: dict) -> str:
        """Note an import that starts now; ``mark`` is the project's latest revision before it."""
        self.dir.mkdir(parents=True, exist_ok=True)
        key = uuid.uuid4().hex
        draft, path = self.dir / f"{key}.tmp", self.dir / f"{key}.json"
        fd = os.open(draft, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)  # before it is visible: a reader never sees an unlocked note of ours
        os.write(fd, json.dumps({"project_id": project_id, "file": file, "author": author, "mark": mark,
                                 "where": where, "started": time.strftime("%Y-%m-%d %H:%M %Z")}).encode())
        os.rename(draft, path)
        self._held[key] = (fd, path)
        return key

    def end(self, key: str) -> None:
        """The import finished (or failed with an error its user saw): forget it."""
        fd, path = self._held.pop(key)
        path.unlink(missing_ok=True)
        os.close(fd)

    def interrupted(self) -> list[tuple[InterruptedImport, int]]:
        """Notes whose process died mid-import, with the mark each began at; each is returned once."""
        found = []
        for path in sorted(self.dir.glob("*.json")) if self.dir.is_dir() else []:
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:  # finished meanwhile
                continue
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:  # its import is still running (in this process or another)
                    continue
                try:
                    note = json.loads(path.read_text())
                    mark = note.pop("mark")
                    found.append((InterruptedImport(**note), mark))
                except (ValueError, KeyError, TypeError):
                    pass  # not a note we can read: nothing to report
                path.unlink(missing_ok=True)
            finally:
                os.close(fd)
        return found
