"""The system of record: projects, current entries and an append-only revision log.

Every change is a new revision row (who, when, what). A delete is a revision that hides the
entry; a restore is a revision that brings an older state back. Nothing is overwritten except
the ``entries`` row, which is only a cache of each entry's latest revision.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import schema
from .database import Database, now, same
from .errors import Conflict, InvalidInput, NotFound, Phrase
from .models import (Entry, EntryIn, Project, ProjectRef, Revision, ScopedName, clean_name, name_key, server_of,
                     validate_project_name)
from .names import NameOwners
from .rows import EntryRow, ProjectRow, RevisionRow


def entry_payload(entry: EntryIn, entry_id: str) -> dict:
    data = entry.model_dump(mode="json")
    data["id"] = entry_id
    for optional in ("look", "renderings", "alias_renderings", "script", "order"):
        if data.get(optional) is None:
            data.pop(optional, None)  # optional and new: entries without one keep the payload they always had
    if not data.get("progressions"):
        data.pop("progressions", None)  # entries without progressions keep the payload they always had
    return data


class WriteResult:
    """What a batch write did, entry by entry, so the index can follow."""

    def __init__(self) -> None:
        self.created: list[str] = []
        self.updated: list[str] = []
        self.unchanged: list[str] = []
        self.dropped: list[str] = []  # aliases left off because another entry answers to them (names.py)
        self.kept: list[str] = []  # ids an import left as they are: changed elsewhere since its last import

    @property
    def changed(self) -> list[str]:
        return self.created + self.updated


class CanonStore(Database):
    """Canon's records in the one database, migrated to the newest schema when opened."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        schema.upgrade(self.engine)

    # -- projects -----------------------------------------------------------------------

    def create_project(self, name: str, scope: str = "", settings: dict | None = None) -> Project:
        name = validate_project_name(name)
        with self._tx() as s:
            if s.scalar(select(ProjectRow).where(ProjectRow.scope == scope, ProjectRow.name_key == name.casefold())):
                raise Conflict("project '{name}' already exists", name=name)
            row = ProjectRow(scope=scope, name=name, name_key=name.casefold(), created_at=now(),
                             settings=settings or {})
            s.add(row)
            s.flush()
            return self._project(row)

    def project(self, ref: ProjectRef, scope: str = "") -> Project:
        """A project by name within a scope, by id, or the Project itself."""
        if isinstance(ref, Project):
            return ref
        if isinstance(ref, int):
            return self.get_project_by_id(ref)
        return self.get_project(ref, getattr(ref, "scope", scope))  # a ScopedName knows its scope

    def get_project(self, name: str, scope: str = "") -> Project:
        with self._sessions() as s:
            row = s.scalar(select(ProjectRow).where(ProjectRow.scope == scope,
                                                    ProjectRow.name_key == clean_name(name).casefold()))
            if row is None:
                from_cli = not scope or isinstance(name, ScopedName)  # Discord's users get no CLI hint
                server = Phrase(" on Discord server {server}", server=server_of(scope)) if server_of(scope) else ""  # a CLI project: none
                hint = Phrase(" (see `cliffhanger project list --all`)") if from_cli else ""
                raise NotFound("no project named '{name}'{server}{hint}", name=name, server=server, hint=hint)
            return self._project(row)

    def get_project_by_id(self, project_id: int) -> Project:
        with self._sessions() as s:
            row = s.get(ProjectRow, project_id)
            if row is None:
                raise NotFound("that project no longer exists")
            return self._project(row)

    def list_projects(self, scope: str | None = "") -> list[Project]:
        """The projects of one scope, or of every scope (the CLI's and each Discord server's) when None."""
        with self._sessions() as s:
            q = select(ProjectRow).order_by(ProjectRow.scope, ProjectRow.name_key)
            if scope is not None:
                q = q.where(ProjectRow.scope == scope)
            return [self._project(r) for r in s.scalars(q)]

    def rename_project(self, project_id: int, new_name: str, scope: str = "") -> Project:
        name = validate_project_name(new_name)
        with self._tx() as s:
            row = s.get(ProjectRow, project_id, with_for_update=True)
            clash = s.scalar(select(ProjectRow).where(ProjectRow.scope == row.scope,
                                                      ProjectRow.name_key == name.casefold()))
            if clash is not None and clash.id != project_id:
                raise Conflict("project '{name}' already exists", name=clash.name)
            row.name, row.name_key = name, name.casefold()
            return self._project(row)

    def delete_project(self, project_id: int) -> None:
        """Remove a project and every row that belongs to it, in every domain's tables (bot/tables.py gathers
        them on the shared metadata; rows that belong to a project's rows, such as votes on its drafts, first)."""
        tables = schema.metadata().sorted_tables
        owned = {t.name for t in tables if "project_id" in t.c}
        with self._tx() as s:
            for table in reversed(tables):
                if table.name == ProjectRow.__tablename__:
                    continue
                if "project_id" in table.c:
                    s.execute(table.delete().where(table.c.project_id == project_id))
                    continue
                for fk in table.foreign_keys:
                    parent = fk.column.table
                    if parent.name in owned:
                        ids = select(fk.column).where(parent.c.project_id == project_id)
                        s.execute(table.delete().where(fk.parent.in_(ids)))
            s.execute(ProjectRow.__table__.delete().where(ProjectRow.id == project_id))

    def all_project_ids(self) -> list[int]:
        """Every project in every scope (the CLI's and each Discord server's)."""
        with self._sessions() as s:
            return list(s.scalars(select(ProjectRow.id).order_by(ProjectRow.id)))

    def update_project_settings(self, project_id: int, changes: dict) -> Project:
        with self._tx() as s:
            row = s.get(ProjectRow, project_id, with_for_update=True)
            row.settings = {**(row.settings or {}), **changes}
            return self._project(row)

    @staticmethod
    def _project(row: ProjectRow) -> Project:
        return Project(id=row.id, name=row.name, created_at=row.created_at, settings=row.settings or {},
                       scope=row.scope or "")

    # -- entries ------------------------------------------------------------------------

    def write_entries(self, project_id: int, entries: Iterable[EntryIn], author: str) -> WriteResult:
        """Create or update entries in one all-or-nothing transaction."""
        with self._tx(project_id) as s:
            return self.write_in(s, project_id, entries, author)

    def write_in(self, s: Session, project_id: int, entries: Iterable[EntryIn], author: str,
                 base_revision: int | None = None, create: bool = False) -> WriteResult:
        """``write_entries`` inside a caller's write transaction (a proposal's claim and its change
        commit together). ``base_revision``: the revision the change was made from (0: the entry did
        not exist); if the entry moved on since, the change is refused rather than revert that work.
        ``create``: an add, refused if the entry is in canon already. Every name an entry is given anew
        must be free (names.py)."""
        result, owners = WriteResult(), NameOwners(s, project_id)
        for entry in entries:
            entry_id = entry.resolved_id()
            row = self.entry_row(s, project_id, entry_id)
            _check_base(row, base_revision, entry.name)
            if create:
                _refuse_existing(row)
            self.write_one(s, project_id, entry, row, author, owners, result)
        return result

    def free_id(self, s: Session, project_id: int, wanted: str) -> str:
        """``wanted``, or with the first free "-2", "-3"... after it (deleted entries keep theirs: their history)."""
        taken = set(s.scalars(select(EntryRow.entry_id).where(EntryRow.project_id == project_id,
                                                              EntryRow.entry_id.startswith(wanted, autoescape=True))))
        n, candidate = 1, wanted
        while candidate in taken:
            n += 1
            candidate = f"{wanted[:120]}-{n}"
        return candidate

    @staticmethod
    def entry_row(s: Session, project_id: int, entry_id: str) -> EntryRow | None:
        """The entry's row (deleted or not) in a caller's session, or None."""
        return s.scalar(select(EntryRow).where(EntryRow.project_id == project_id, EntryRow.entry_id == entry_id))

    def write_one(self, s: Session, project_id: int, entry: EntryIn, row: EntryRow | None, author: str,
                  owners: NameOwners, result: WriteResult, drop_taken_aliases: bool = False) -> EntryRow:
        """Write one entry over ``row`` (its row before, or None) unless it holds that already, claiming its
        names from ``owners``; what happened goes into ``result``. Returns the row."""
        entry_id = entry.resolved_id()
        if row is not None and not row.deleted and same(row.data, entry_payload(entry, entry_id)):
            result.unchanged.append(entry_id)
            return row
        result.dropped += owners.claim(entry, entry_id, row, drop_taken_aliases)
        payload = entry_payload(entry, entry_id)
        action = "create" if row is None else ("restore" if row.deleted else "update")
        revision = 1 if row is None else row.revision + 1
        if row is None:
            row = EntryRow(project_id=project_id, entry_id=entry_id)
            s.add(row)
            result.created.append(entry_id)
        else:
            result.updated.append(entry_id)
        self._apply(s, row, payload, revision, action, author, deleted=False)
        return row

    def check_names(self, project_id: int, entry: EntryIn, create: bool) -> None:
        """Refuse now what ``write_in`` would refuse for this entry's names (and, with ``create``, an entry
        already in canon): a proposal fails when made, not only when an editor approves it."""
        entry_id = entry.resolved_id()
        with self._sessions() as s:
            row = self.entry_row(s, project_id, entry_id)
            if create:
                _refuse_existing(row)
            NameOwners(s, project_id).claim(entry.model_copy(deep=True), entry_id, row)

    def delete_entry(self, project_id: int, entry_id: str, author: str) -> Entry:
        with self._tx(project_id) as s:
            return self.delete_in(s, project_id, entry_id, author)

    def delete_in(self, s: Session, project_id: int, entry_id: str, author: str,
                  base_revision: int | None = None) -> Entry:
        """``delete_entry`` inside a caller's write transaction; refused if the entry moved past ``base_revision``."""
        row = self._live_row(s, project_id, entry_id)
        _check_base(row, base_revision, row.name)
        self._apply(s, row, row.data, row.revision + 1, "delete", author, deleted=True)
        return _to_entry(row)

    def restore_revision(self, project_id: int, entry_id: str, revision: int, author: str) -> Entry:
        """Bring back the state an entry had at ``revision`` as a new revision (undoes deletes too)."""
        with self._tx(project_id) as s:
            row = self._row(s, project_id, entry_id)
            old = s.scalar(
                select(RevisionRow).where(
                    RevisionRow.project_id == project_id,
                    RevisionRow.entry_id == row.entry_id,
                    RevisionRow.revision == revision,
                )
            )
            if old is None:
                raise NotFound("entry '{entry_id}' has no revision {revision}", entry_id=entry_id, revision=revision)
            if old.action != "delete":  # the names it comes back with must still be free
                NameOwners(s, project_id).claim(EntryIn(**{k: v for k, v in old.data.items() if k != "id"}),
                                                row.entry_id, row)
            if old.action == "delete":  # restoring a delete would only delete again
                live = s.scalar(select(func.max(RevisionRow.revision)).where(
                    RevisionRow.project_id == project_id, RevisionRow.entry_id == row.entry_id,
                    RevisionRow.revision < revision, RevisionRow.action != "delete"))
                hint = Phrase("; restore revision {live}, its last state before that delete", live=live) if live else ""
                raise InvalidInput("revision {revision} of '{entry_id}' is a delete, so restoring it would delete the entry "
                                   "again{hint}", revision=revision, entry_id=row.entry_id, hint=hint)
            self._apply(s, row, old.data, row.revision + 1, "restore", author, deleted=False)
            return _to_entry(row)

    def _apply(self, s: Session, row: EntryRow, payload: dict, revision: int, action: str, author: str,
               deleted: bool) -> None:
        row.name, row.kind = payload["name"], payload["kind"]
        row.episode, row.pinned = payload.get("episode"), bool(payload.get("pinned"))
        row.data, row.revision, row.deleted = payload, revision, deleted
        s.add(RevisionRow(project_id=row.project_id, entry_id=row.entry_id, revision=revision, action=action,
                          author=author[:200], created_at=now(), data=payload))
        s.flush()

    def _row(self, s: Session, project_id: int, entry_id: str) -> EntryRow:
        row = s.scalar(select(EntryRow).where(EntryRow.project_id == project_id, EntryRow.entry_id == entry_id))
        if row is None:
            raise NotFound("no entry with id '{entry_id}'", entry_id=entry_id)
        return row

    def _live_row(self, s: Session, project_id: int, entry_id: str) -> EntryRow:
        row = self._row(s, project_id, entry_id)
        if row.deleted:
            raise NotFound("entry '{entry_id}' is deleted (restore it from its history)", entry_id=entry_id)
        return row

    def revision_of(self, project_id: int, entry_id: str) -> int:
        """The entry's current revision, or 0 when it does not exist or is deleted."""
        with self._sessions() as s:
            row = s.scalar(select(EntryRow).where(EntryRow.project_id == project_id, EntryRow.entry_id == entry_id))
            return 0 if row is None or row.deleted else row.revision

    def get_entry(self, project_id: int, entry_id: str) -> Entry:
        with self._sessions() as s:
            return _to_entry(self._live_row(s, project_id, entry_id))

    def find_by_name(self, project_id: int, name: str, include_deleted: bool = False) -> list[Entry]:
        """Entries whose id, name or an alias equals ``name`` (case-insensitive).

        An exact id or an (ASCII-lowercased) name is found in SQL; anything else, aliases and
        non-ASCII case differences included, falls back to comparing every entry."""
        given = name.strip()
        key = given.casefold()
        with self._sessions() as s:
            q = select(EntryRow).where(EntryRow.project_id == project_id,
                                       (EntryRow.entry_id == given) | (func.lower(EntryRow.name) == key))
            if not include_deleted:
                q = q.where(EntryRow.deleted.is_(False))
            direct = [_to_entry(r) for r in s.scalars(q) if r.entry_id == given or r.name.casefold() == key]
        if direct:
            return direct
        key = name_key(given)  # zero-width, bidi and combining differences do not hide an entry
        found = [entry_id for entry_id, names, _deleted in self.name_rows(project_id, include_deleted)
                 if key == name_key(entry_id) or key in (name_key(n) for n in names)]
        if not found:
            return []
        with self._sessions() as s:
            q = select(EntryRow).where(EntryRow.project_id == project_id, EntryRow.entry_id.in_(found[:500]))
            return [_to_entry(r) for r in s.scalars(q) if include_deleted or not r.deleted]

    def name_rows(self, project_id: int, include_deleted: bool = False) -> list[tuple[str, list[str], bool]]:
        """(id, name and aliases, deleted) of every entry, read without the entries' text: a lookup by an
        alias or a near name on a 10,000-entry project must not parse 10,000 long entries."""
        with self._sessions() as s:
            q = select(EntryRow.entry_id, EntryRow.name, EntryRow.data["aliases"], EntryRow.deleted).where(
                EntryRow.project_id == project_id)
            if not include_deleted:
                q = q.where(EntryRow.deleted.is_(False))
            return [(entry_id, [name, *(aliases or [])], bool(deleted)) for entry_id, name, aliases, deleted in s.execute(q)]

    def iter_entries(self, project_id: int, include_deleted: bool = False, batch: int = 1000,
                     kind: str | None = None) -> Iterator[Entry]:
        with self._sessions() as s:
            q = select(EntryRow).where(EntryRow.project_id == project_id).order_by(EntryRow.pk)
            if kind is not None:
                q = q.where(EntryRow.kind == kind)
            if not include_deleted:
                q = q.where(EntryRow.deleted.is_(False))
            for row in s.scalars(q.execution_options(yield_per=batch)):
                yield _to_entry(row)

    def get_entries(self, project_id: int, entry_ids: Iterable[str]) -> dict[str, Entry]:
        ids = list(dict.fromkeys(entry_ids))
        out: dict[str, Entry] = {}
        with self._sessions() as s:
            for i in range(0, len(ids), 500):
                q = select(EntryRow).where(
                    EntryRow.project_id == project_id,
                    EntryRow.entry_id.in_(ids[i:i + 500]),
                    EntryRow.deleted.is_(False),
                )
                out.update({r.entry_id: _to_entry(r) for r in s.scalars(q)})
        return out

    def pinned_entries(self, project_id: int) -> list[Entry]:
        with self._sessions() as s:
            q = select(EntryRow).where(EntryRow.project_id == project_id, EntryRow.pinned.is_(True),
                                       EntryRow.deleted.is_(False)).order_by(EntryRow.pk)
            return [_to_entry(r) for r in s.scalars(q)]

    def count_entries(self, project_id: int) -> int:
        with self._sessions() as s:
            return s.scalar(select(func.count()).select_from(EntryRow).where(
                EntryRow.project_id == project_id, EntryRow.deleted.is_(False))) or 0

    def history(self, project_id: int, entry_id: str) -> list[Revision]:
        with self._sessions() as s:
            q = select(RevisionRow).where(RevisionRow.project_id == project_id, RevisionRow.entry_id == entry_id)
            rows = list(s.scalars(q.order_by(RevisionRow.revision)))
            if not rows:
                raise NotFound("no entry with id '{entry_id}'", entry_id=entry_id)
            return [Revision(entry_id=r.entry_id, revision=r.revision, action=r.action, author=r.author,
                             created_at=r.created_at, data=r.data) for r in rows]

    # -- change feed for the derived index ------------------------------------------------

    def latest_change(self, project_id: int) -> int:
        with self._sessions() as s:
            return s.scalar(select(func.max(RevisionRow.pk)).where(RevisionRow.project_id == project_id)) or 0

    def revisions_since(self, project_id: int, marker: int, author: str) -> int:
        """How many revisions ``author`` made after revision pk ``marker`` (what an interrupted import kept)."""
        with self._sessions() as s:
            return s.scalar(select(func.count()).select_from(RevisionRow).where(
                RevisionRow.project_id == project_id, RevisionRow.pk > marker, RevisionRow.author == author)) or 0

    def changed_ids_since(self, project_id: int, marker: int) -> set[str]:
        """Ids of the entries changed after revision pk ``marker`` (what a lagging dense half lacks)."""
        with self._sessions() as s:
            return set(s.scalars(select(RevisionRow.entry_id).where(RevisionRow.project_id == project_id,
                                                                   RevisionRow.pk > marker)))

    def changes_since(self, project_id: int, marker: int) -> tuple[list[Entry], list[str], int]:
        """Entries changed after revision pk ``marker``: (live entries, deleted ids, new marker)."""
        with self._sessions() as s:
            top = s.scalar(select(func.max(RevisionRow.pk)).where(RevisionRow.project_id == project_id)) or 0
            ids = set(s.scalars(select(RevisionRow.entry_id).where(
                RevisionRow.project_id == project_id, RevisionRow.pk > marker, RevisionRow.pk <= top)))
            live, gone = [], []
            for chunk in _chunks(sorted(ids), 200):  # small fetches: no long GIL holds for the bot's loop
                rows = s.scalars(select(EntryRow).where(EntryRow.project_id == project_id,
                                                        EntryRow.entry_id.in_(chunk)))
                for r in rows:
                    (gone.append(r.entry_id) if r.deleted else live.append(_to_entry(r)))
            return live, gone, top


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _refuse_existing(row: EntryRow | None) -> None:
    """Adding never replaces: an entry already in canon (not a deleted one: adding brings that id back)."""
    if row is not None and not row.deleted:
        raise Conflict("{name} already exists in canon (id {entry_id}): to change it, edit it (`edit "
                       "{entry_id}`); to add another, give it another name", name=row.name, entry_id=row.entry_id)


def _check_base(row: EntryRow | None, base_revision: int | None, name: str) -> None:
    if base_revision is None:
        return
    current = 0 if row is None or (row.deleted and base_revision == 0) else row.revision
    if current != base_revision:
        if base_revision == 0:
            raise Conflict("'{name}' was added to canon since this change was made (now revision {current}); look at "
                           "it and propose the change again", name=name, current=current)
        raise Conflict("'{name}' changed since this change was made (revision {base_revision}, now {current}); "
                       "saving it would undo that work: look at the entry as it is now and make the change again", name=name, base_revision=base_revision, current=current)


def _to_entry(row: EntryRow) -> Entry:
    return Entry(**{**row.data, "id": row.entry_id, "revision": row.revision})
