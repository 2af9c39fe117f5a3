"""The database schema's version. Alembic migrations under ``canon/migrations`` bring any
database a store opens up to date, so a room's canon survives upgrades of Cliffhanger.

Every domain declares its tables on the shared metadata (database.py); the migrations cover them all.
A new migration, after changing a table's model (the models are the truth; the new file goes under
``canon/migrations/versions``, then set HEAD to its revision), is written from every domain's tables,
which bot/tables.py gathers:

    python -m bot.tables revision "why the schema changes"
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, inspect, text

from .database import WRITE_OPTION, Base
from .errors import CanonError

HEAD = "0004"  # the newest migration; checked without loading Alembic when a database is current
BASELINE = "0001"  # what databases made before migrations existed already hold
AFTER_BASELINE = ("ledger_rows", "ledger_revisions", "import_marks", "novel_chapters")  # tables later migrations create
_MIGRATIONS = Path(__file__).with_name("migrations")


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Migrate to HEAD in one transaction. On SQLite the transaction holds the write lock (a connection
    marked WRITE_OPTION begins IMMEDIATE, see database.py) and on PostgreSQL an advisory lock, so processes
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
        # a database from before migrations: add any baseline table it lacks; later migrations add the rest
        from . import rows, workflow  # noqa: F401  (the baseline's tables: canon's records and pending work)

        metadata().create_all(conn, tables=[t for t in metadata().sorted_tables if t.name not in AFTER_BASELINE])
        command.stamp(config, BASELINE)
    elif found is not None:
        try:
            ScriptDirectory.from_config(config).get_revision(found)
        except CommandError:
            raise CanonError("the database's schema ({found}) is newer than this Cliffhanger knows: upgrade Cliffhanger "
                             "before opening it", found=found) from None
    command.upgrade(config, "head")


def metadata() -> MetaData:
    """The shared metadata: every table of the domain modules imported so far (bot/tables.py imports them all)."""
    return Base.metadata


def _config(conn: Connection | None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = conn
    return config
