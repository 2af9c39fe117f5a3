"""A damaged index file is derived data: move it aside, say so, and let the index rebuild from the records.

Moving rather than deleting keeps the evidence for whoever wants to know what damaged it."""

from __future__ import annotations

import logging
import time
from pathlib import Path

log = logging.getLogger("cliffhanger")


def move_aside(path: Path, why: object) -> Path:
    """Rename ``path`` (a file with its SQLite -wal/-shm companions, or a directory) to ``*.damaged-<time>``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    for companion in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if companion.exists():
            companion.rename(companion.with_name(f"{target.name}{companion.name[len(path.name):]}"))
    if path.exists():
        path.rename(target)
    log.warning("the search index at %s was damaged (%s); moved it to %s and rebuilding it from the records "
                "(canon is safe: the index is derived from it)", path, why, target.name)
    return target
