"""Backups: one consistent snapshot of a room's records while the bot keeps running.

The snapshot is SQLite's online backup of the whole database (canon and its revisions, proposals,
drafts, votes, channel bindings, project settings and any table later migrations add), taken in one
read transaction, so writes that commit meanwhile are either all in it or not at all. The result is an
ordinary SQLite file: ``sqlite3 FILE .tables`` opens it. The search index is not in it: it is derived
data, and a restore rebuilds it from the records and checks it. PostgreSQL deployments back up with
``pg_dump`` (the message says how); ``restore-backup`` then only reindexes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..canon.errors import CanonError, InvalidInput, Phrase

SQLITE_MAGIC = b"SQLite format 3\x00"


def pg_dump_guidance(url: str) -> Phrase:
    """What to run instead on PostgreSQL (pg_dump takes a consistent snapshot of a live database too)."""
    from sqlalchemy.engine import make_url

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)  # no secret echoed
    return Phrase("the records are in PostgreSQL: back them up with its own tool, which snapshots a live database "
                  "consistently: {dump}; restore with {restore}, then run {reindex}",
                  dump=f"`pg_dump --format=custom --file=cliffhanger.dump '{plain}'`",
                  restore="`pg_restore --clean --if-exists --dbname=URL cliffhanger.dump`",
                  reindex="`cliffhanger reindex --all`")


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for any other database."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///"))


@dataclass
class BackupReport:
    path: Path
    bytes: int
    projects: int
    entries: int
    revisions: int


def backup_sqlite(database: Path, output: Path) -> BackupReport:
    """Copy ``database`` into ``output`` with SQLite's online backup API (readers and writers go on; the
    copy is one point in time), via a temporary file beside ``output`` so a failed backup leaves nothing
    that looks like one."""
    if not database.exists():
        raise InvalidInput("there is no database at {database} to back up", database=database)
    output = output.expanduser()
    if output.exists() and output.is_dir():
        raise InvalidInput("{output} is a directory; give a file name for the backup", output=output)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".cliffhanger-backup-", dir=output.parent)
    os.close(fd)
    Path(tmp).unlink()  # sqlite3 creates it
    try:
        src = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=60)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)  # all pages in one step: one read transaction, one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            dst.close()
            src.close()
        report = inspect_backup(Path(tmp))
        Path(tmp).replace(output)
    except sqlite3.Error as exc:
        raise CanonError("the backup failed: {exc} (the database itself is untouched)", exc=exc) from None
    except OSError as exc:
        raise CanonError("could not write the backup to {output}: {reason}", output=output, reason=exc.strerror or exc) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    report.path = output
    return report


def inspect_backup(path: Path) -> BackupReport:
    """Check a backup file is an intact Cliffhanger database this version can open, and count it."""
    try:
        with open(path, "rb") as f:
            magic = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise InvalidInput("cannot read {path}: {reason}", path=path, reason=exc.strerror or exc) from None
    if magic != SQLITE_MAGIC:
        raise InvalidInput("{path} is not a Cliffhanger backup (not an SQLite database)", path=path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise InvalidInput("{path} is damaged ({ok}); use another backup", path=path, ok=ok)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"projects", "entries", "revisions"} <= tables:
            raise InvalidInput("{path} is an SQLite file but not a Cliffhanger backup (no canon tables)", path=path)
        count = lambda table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
        return BackupReport(path, path.stat().st_size, count("projects"), count("entries"), count("revisions"))
    except sqlite3.DatabaseError as exc:
        raise InvalidInput("{path} is damaged ({exc}); use another backup", path=path, exc=exc) from None
    finally:
        conn.close()


def restore_sqlite(backup: Path, database: Path) -> BackupReport:
    """Put a backup in place as ``database``, which must not hold canon yet (a restore never overwrites
    a room's records: move them away first)."""
    report = inspect_backup(backup)
    if database.exists() and _has_projects(database):
        raise InvalidInput("{database} already holds canon; restore into an empty data directory (set "
                           "CLIFFHANGER_DATA_DIR) or move that database away first", database=database)
    database.parent.mkdir(parents=True, exist_ok=True)
    for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        stale.unlink(missing_ok=True)
    tmp = database.with_name(database.name + ".restoring")
    shutil.copyfile(backup, tmp)
    tmp.replace(database)
    return report


def _has_projects(database: Path) -> bool:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return bool(conn.execute("SELECT count(*) FROM projects").fetchone()[0])
    except sqlite3.DatabaseError:
        return False  # no tables yet: an empty database a command created
    finally:
        conn.close()


def back_up_database(url: str, output: Path) -> BackupReport:
    """A snapshot of the database at ``url`` in ``output``; on PostgreSQL, what to run instead."""
    database = sqlite_path(url)
    if database is None:
        raise InvalidInput(pg_dump_guidance(url))
    return backup_sqlite(database, Path(output))


def restore_database(backup: Path, url: str) -> BackupReport:
    """Put a backup in place as the database at ``url`` (SQLite; PostgreSQL restores with its own tool)."""
    database = sqlite_path(url)
    if database is None:
        raise InvalidInput("DATABASE_URL is PostgreSQL: restore with `pg_restore --clean --if-exists "
                           "--dbname=URL FILE`, then run `cliffhanger reindex --all`")
    return restore_sqlite(Path(backup), database)
