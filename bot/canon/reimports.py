"""Re-imports that never revert work done since: each file's last import is remembered per entry (the revision
it wrote or found unchanged, by the file's name), so importing that file again knows which entries were
changed elsewhere meanwhile (edited, given an alias, deleted, or made by hand before the file ever held
them) and keeps those changes, naming them, unless told to overwrite.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from .database import same
from .models import EntryIn
from .names import NameOwners
from .rows import EntryRow, ImportMarkRow
from .store import CanonStore, WriteResult, entry_payload

MAX_SOURCE = 255  # characters of a file name kept as its mark's key


def import_in(store: CanonStore, s: Session, project_id: int, source: str, entries: Iterable[EntryIn], author: str,
              overwrite: bool = False, drop_taken_aliases: bool = False) -> WriteResult:
    """An import of the file named ``source`` inside the caller's transaction: each entry is created or updated
    as ``store.write_in`` would, except one changed elsewhere since this file's last import, which keeps its
    change and is listed in ``kept`` unless ``overwrite``. ``drop_taken_aliases``: a lorebook's keys."""
    source = source[:MAX_SOURCE]
    result, owners = WriteResult(), NameOwners(s, project_id)
    marks: dict[str, dict[str, int]] = {}
    for m in s.scalars(select(ImportMarkRow).where(ImportMarkRow.project_id == project_id)):
        marks.setdefault(m.entry_id, {})[m.source] = m.revision
    for entry in entries:
        entry_id = entry.resolved_id()
        row = store.entry_row(s, project_id, entry_id)
        differs = row is not None and (row.deleted or not same(row.data, entry_payload(entry, entry_id)))
        if differs and not overwrite and _changed_elsewhere(row, marks.get(entry_id, {}), source):
            result.kept.append(entry_id)
            continue
        row = store.write_one(s, project_id, entry, row, author, owners, result, drop_taken_aliases)
        s.merge(ImportMarkRow(project_id=project_id, source=source, entry_id=entry_id, revision=row.revision))
    return result


def _changed_elsewhere(row: EntryRow, marks: dict[str, int], source: str) -> bool:
    """Whether the entry moved on since ``source`` was last imported: past the revision that import left;
    for a file that never imported it, whether its current state came from no import at all (a person's)."""
    if source in marks:
        return row.revision != marks[source]
    return row.revision not in marks.values()
