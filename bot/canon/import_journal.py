"""Imports under way, noted on disk, so that the next process learns of one that a crash cut off.

A bot killed in the middle of an import (kill -9, out of memory, a redeploy) leaves the writer looking at a
reply that never finishes, not knowing whether to import again. Each import notes itself here while it
runs and holds an OS lock on its note; a note whose lock is free belongs to a process that died, and the
next one reports it. An import writes its records in one transaction, so what it kept is all or nothing:
the revisions its author made after the mark noted when it began.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # filelock loads with the first import noted or looked for: a read command needs neither
    from filelock import FileLock

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
        self._held: dict[str, tuple[FileLock, Path]] = {}  # note key -> (its held lock, the note), this process

    def begin(self, project_id: int, file: str, author: str, mark: int, where: dict) -> str:
        """Note an import that starts now; ``mark`` is the project's latest revision before it."""
        from filelock import FileLock

        self.dir.mkdir(parents=True, exist_ok=True)
        key = uuid.uuid4().hex
        lock = FileLock(str(self.dir / f"{key}.lock"))
        lock.acquire()  # before the note is visible: a reader never sees an unlocked note of ours
        draft, path = self.dir / f"{key}.tmp", self.dir / f"{key}.json"
        draft.write_text(json.dumps({"project_id": project_id, "file": file, "author": author, "mark": mark,
                                     "where": where, "started": time.strftime("%Y-%m-%d %H:%M %Z")}))
        os.replace(draft, path)
        self._held[key] = (lock, path)
        return key

    def end(self, key: str) -> None:
        """The import finished (or failed with an error its user saw): forget it."""
        lock, path = self._held.pop(key)
        path.unlink(missing_ok=True)
        lock.release()
        Path(lock.lock_file).unlink(missing_ok=True)

    def interrupted(self) -> list[tuple[InterruptedImport, int]]:
        """Notes whose process died mid-import, with the mark each began at; each is returned once."""
        from filelock import FileLock, Timeout

        found = []
        for path in sorted(self.dir.glob("*.json")) if self.dir.is_dir() else []:
            lock = FileLock(str(path.with_suffix(".lock")))
            try:
                lock.acquire(timeout=0)
            except Timeout:  # its import is still running (in this process or another)
                continue
            try:
                note = json.loads(path.read_text())
                mark = note.pop("mark")
                found.append((InterruptedImport(**note), mark))
            except FileNotFoundError:  # finished meanwhile
                continue
            except (ValueError, KeyError, TypeError):
                pass  # not a note we can read: nothing to report
            finally:
                path.unlink(missing_ok=True)
                lock.release()
                Path(lock.lock_file).unlink(missing_ok=True)
        return found
