"""The records' schema is versioned: new databases are built by the migrations, old ones are brought
up to date with their canon intact, and a database from a newer Cliffhanger is refused, not damaged."""

import multiprocessing as mp

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from bot.canon import schema
from bot.canon.errors import CanonError
from bot.canon.models import EntryIn
from bot import tables
from bot.canon.database import Base
from bot.canon.store import CanonStore

both_databases = pytest.mark.parametrize("settings", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def url(settings):
    settings.data_dir.mkdir(parents=True)
    return settings.resolved_database_url


@both_databases
def test_the_migrations_build_exactly_the_models(url):
    store = CanonStore(url)
    with store.engine.connect() as conn:
        assert schema.current_revision(conn) == schema.HEAD
        assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), tables.metadata()) == []


def test_head_names_the_newest_migration():
    assert ScriptDirectory.from_config(schema._config(None)).get_current_head() == schema.HEAD


@both_databases
def test_a_database_from_before_migrations_keeps_its_canon(url, monkeypatch):
    old_tables = [Base.metadata.tables[t] for t in ("projects", "entries", "revisions")]
    with monkeypatch.context() as m:  # the store as it was: create_all of its own tables, no version
        m.setattr(schema, "upgrade", lambda engine: Base.metadata.create_all(engine, tables=old_tables))
        old = CanonStore(url)
        project = old.create_project("jade")
        old.write_entries(project.id, [EntryIn(id="lin-wan", kind="character", name="Lin Wan", text="A nurse.")],
                          "ann")
        old.engine.dispose()

    store = CanonStore(url)
    assert [e.name for e in store.iter_entries(project.id)] == ["Lin Wan"]
    assert [r.author for r in store.history(project.id, "lin-wan")] == ["ann"]
    with store.engine.connect() as conn:
        assert schema.current_revision(conn) == schema.HEAD
        assert compare_metadata(MigrationContext.configure(conn), tables.metadata()) == []  # workflow tables added


@both_databases
def test_a_database_from_a_newer_cliffhanger_is_refused_untouched(url):
    store = CanonStore(url)
    project = store.create_project("jade")
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.engine.dispose()
    with pytest.raises(CanonError, match="newer than this Cliffhanger"):
        CanonStore(url)
    with create_engine(url).connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
        assert conn.execute(text("SELECT name FROM projects")).scalars().all() == [project.name]


def _open(url, out):
    CanonStore(url).create_project(f"p{out}")


@both_databases
def test_processes_opening_a_new_database_at_once_migrate_it_once(url):
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_open, args=(url, i)) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert sorted(p.name for p in CanonStore(url).list_projects()) == ["p0", "p1", "p2"]
