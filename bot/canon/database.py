"""The one database every domain keeps its records in: the shared table metadata, and transactions.

Each domain declares its tables on ``Base`` (canon's records and pending work, the story ledger...), so
they share one metadata and one migration history, yet this module imports none of them: it sits below
every table module, and whoever creates or migrates the database gathers the domains' tables
(bot/tables.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import column, create_engine, event, select, table
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from .errors import CanonError, Conflict

WRITE_OPTION = "cliffhanger_write"  # execution option: this connection's transaction writes
_PROJECTS = table("projects", column("id"))  # every domain's rows belong to a project's row (store.py's)


class Base(DeclarativeBase):
    pass


def now() -> datetime:
    return datetime.now(timezone.utc)


def same(a: dict, b: dict) -> bool:
    """Two JSON payloads hold the same data (a write that changes nothing adds no revision)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


class Database:
    """SQLAlchemy engine and sessions. SQLite (WAL; write transactions take the write lock up front) by default."""

    def __init__(self, url: str) -> None:
        self.url = url
        is_sqlite = url.startswith("sqlite")
        kwargs = {"connect_args": {"timeout": 60}} if is_sqlite else {"pool_pre_ping": True}
        self.engine = create_engine(url, **kwargs)
        self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})  # same pool, marked
        if is_sqlite:
            self._configure_sqlite()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)

    def _configure_sqlite(self) -> None:
        # pysqlite's own transaction handling defers BEGIN. A write transaction takes the write lock
        # up front, so two processes importing at once queue instead of failing or interleaving; a
        # read begins deferred and reads its WAL snapshot, so one room's long import never holds up
        # another's lookups (autocomplete must answer within 3 s).
        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            dbapi_conn.execute("PRAGMA busy_timeout=60000")
            dbapi_conn.execute("PRAGMA foreign_keys=ON")

        @event.listens_for(self.engine, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")

    @contextmanager
    def _tx(self, project_id: int | None = None) -> Iterator[Session]:
        """One write transaction; writers queue instead of failing or interleaving. On SQLite it holds
        the database's write lock from the start (other writers wait up to a minute); elsewhere it
        locks the project's row, so a project's revisions also commit in the order of their numbers,
        which the index's high-water mark relies on. A clash that still slips through (two new
        projects of one name) is a Conflict, never a lost update."""
        session = self._write_sessions()
        try:
            with session.begin():
                if project_id is not None:
                    session.execute(select(_PROJECTS.c.id).where(_PROJECTS.c.id == project_id).with_for_update())
                yield session
        except IntegrityError as exc:
            raise Conflict("someone changed the same canon at the same moment; try again") from exc
        except OperationalError as exc:
            if _disk_full(exc):  # the transaction rolled back: the records are as they were
                raise CanonError("the disk holding the records is full: nothing was written; free some space "
                                 "and try again") from exc
            raise
        finally:
            session.close()


def _disk_full(exc: OperationalError) -> bool:
    """SQLite's SQLITE_FULL, or PostgreSQL's disk_full (SQLSTATE 53100)."""
    return "disk is full" in str(exc.orig) or getattr(exc.orig, "sqlstate", None) == "53100"
