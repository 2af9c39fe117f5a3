"""The database schema's version. Alembic migrations under ``canon/migrations`` bring any
database a store opens up to date, so a room's canon survives upgrades of Cliffhanger.

A new migration, after changing a table's model (the models are the truth; the new file
goes under ``canon/migrations/versions``, then set HEAD to its revision):

    python -m bot.canon.schema revision "why the schema changes"
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, inspect, text

from .errors import CanonError

WRITE_OPTION = "cliffhanger_write"  # execution option: this connection's transaction writes (see store.py)
HEAD = "0001"  # the newest migration; checked without loading Alembic when a database is current
BASELINE = "0001"  # what databases made before migrations existed already hold
_MIGRATIONS = Path(__file__).with_name("migrations")


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Migrate to HEAD in one transaction. On SQLite the transaction holds the write lock (a connection
    marked WRITE_OPTION begins IMMEDIATE, see store.py) and on PostgreSQL an advisory lock, so processes
    opening the database at once migrate it once."""
    with engine.connect() as conn:
        if current_revision(conn) == HEAD:
            return  # the common case: no Alembic import, no lock
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('cliffhanger-schema'))"))
        _upgrade_locked(conn)


def _upgrade_locked(conn: Connection) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    config = _config(conn)
    found = current_revision(conn)
    if found is None and inspect(conn).has_table("projects"):
        metadata().create_all(conn)  # a database from before migrations; add any table it lacks
        command.stamp(config, BASELINE)
    elif found is not None:
        try:
            ScriptDirectory.from_config(config).get_revision(found)
        except CommandError:
            raise CanonError(f"the database's schema ({found}) is newer than this Cliffhanger knows: "
                             "upgrade Cliffhanger before opening it") from None
    command.upgrade(config, "head")


def metadata():
    """Every table the models define: the workflow module adds the room's tables to the records'."""
    from . import workflow

    return workflow.Base.metadata


def _config(conn: Connection | None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def main(argv: list[str] | None = None) -> None:
    """``revision MESSAGE``: write a migration from the difference between the models and HEAD."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "revision":
        sys.exit('usage: python -m bot.canon.schema revision "MESSAGE"')
    from alembic import command

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/scratch.sqlite3")
        with engine.begin() as conn:
            config = _config(conn)
            command.upgrade(config, "head")
            command.revision(config, message=args[1], autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    main()
