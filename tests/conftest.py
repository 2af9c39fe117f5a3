import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from discord_conformance import discord_conformance  # noqa: F401  (a fixture)
from simcord_room import room_3

from bot.canon.embedders import E5SmallEmbedder
from bot.room import WritersRoom
from bot.settings import Settings

BIBLE = {
    "project": "jade",
    "entries": [
        {"id": "lin-wan", "kind": "character", "name": "Lin Wan", "aliases": ["Wanwan", "婉婉"], "episode": 1,
         "text": "A night-shift nurse swapped at birth. Speaks in short, dry sentences."},
        {"id": "gu-chen", "kind": "character", "name": "Gu Chen", "aliases": ["President Gu"], "episode": 1,
         "text": "Cold heir of the Gu Group who distrusts everyone his grandmother likes."},
        {"id": "seal", "kind": "item", "name": "The jade seal", "episode": 2,
         "text": "A green jade seal carved with a crane. Whoever holds it signs for the Gu Group."},
        {"id": "ep7", "kind": "episode", "name": "Episode 7: The seal is gone", "episode": 7,
         "text": "Su Mei steals the jade seal from the study during the birthday dinner and blames the nurse."},
        {"id": "ep12", "kind": "episode", "name": "Episode 12: Tea for three", "episode": 12,
         "text": "Grandma reads the real DNA report and hands the heirloom to the nurse."},
        {"id": "tone", "kind": "rule", "name": "Tone", "pinned": True,
         "text": "Every episode opens on a hook and ends on a cliffhanger."},
    ],
}


@pytest.fixture(scope="session")
def embedder():
    return E5SmallEmbedder()


@pytest.fixture
def settings(request, tmp_path, monkeypatch):
    """Fresh data per test. Records go to SQLite, or to a new PostgreSQL database when the test is
    parametrized with "postgresql" (test_records.py runs on both) or CLIFFHANGER_TEST_DATABASE=postgresql."""
    monkeypatch.setenv("CLIFFHANGER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CLIFFHANGER_LANG", "en")  # the CLI speaks English in tests, whatever the machine's LANG
    settings = Settings(_env_file=None)
    database = getattr(request, "param", None) or os.environ.get("CLIFFHANGER_TEST_DATABASE", "sqlite")
    if database == "postgresql":
        settings.database_url = request.getfixturevalue("postgres_server")()
    return settings


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster on 127.0.0.1 (the server binaries must be on PATH; as root, it runs
    as the `postgres` user, since PostgreSQL refuses root). Yields a function that makes a new database."""
    if not (shutil.which("initdb") and shutil.which("pg_ctl")):
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="cliffhanger-pg-"))
    if as_user:
        shutil.chown(root, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True)  # noqa: E731
    run("initdb", "-D", f"{root}/data", "--auth=trust", "--username=postgres", "--encoding=UTF8", "--locale=C.UTF-8")
    run("pg_ctl", "-D", f"{root}/data", "-w", "-l", f"{root}/log", "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    admin = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    made = []

    def new_database() -> str:
        from sqlalchemy import create_engine, text

        name = f"t{len(made)}"
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        engine.dispose()
        made.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"

    yield new_database
    run("pg_ctl", "-D", f"{root}/data", "-m", "immediate", "stop")
    shutil.rmtree(root, ignore_errors=True)


CHROMA = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    if not Path(CHROMA).exists():
        pytest.skip("the chroma CLI is not installed")
    port = _free_port()
    proc = subprocess.Popen([CHROMA, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield port
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def room(settings, embedder):
    r = WritersRoom(settings, embedder=embedder)
    yield r
    r.close()


@pytest.fixture
def bible_file(tmp_path) -> Path:
    path = tmp_path / "bible.json"
    path.write_text(json.dumps(BIBLE, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def jade(room, bible_file):
    room.create_project("jade")
    room.import_files([bible_file], "jade", author="tester")
    return room


@pytest.fixture
def cli(settings):
    from bot.cli import main

    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


@pytest.fixture
def jade_cli(cli, bible_file):
    """The CLI with the jade bible imported into project "jade"."""
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    return cli


@pytest.fixture
def llm(settings):
    from scripted_llm import ScriptedLLM

    server = ScriptedLLM()
    settings.openai_base_url = server.base_url
    settings.openai_api_key = "test-key"
    settings.model = "scripted-model"
    settings.model_retries = 0
    yield server
    server.close()


def pytest_collection_modifyitems(items):
    """SimCord waits 5 s for the bot to settle by default; a `/canon import` parses in a child process,
    which on a loaded 2-core machine (CI, or five engineers' suites at once) can take longer to start."""
    for item in items:
        if "simcord_env" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("simcord"):
            item.add_marker(pytest.mark.simcord(settle_timeout=30))


@pytest.fixture(autouse=True)
def _discord_limits(request):
    """Every test that drives SimCord has each request it makes checked against Discord's limits."""
    if "simcord_env" in request.fixturenames:
        request.getfixturevalue("discord_conformance")


@pytest.fixture
def simcord_bot(settings, room):
    """The bot SimCord drives: the real create_bot over the test room (files may override it)."""
    from bot.client import create_bot

    return create_bot(settings, room)


@pytest.fixture
async def jade_world(simcord_env, bible_file):
    """A server with a showrunner (Manage Server), a writer, and project jade imported from the test bible."""
    await simcord_env.bot.tree.sync()
    guild, channel, boss, writer = room_3(simcord_env)
    await boss.slash(channel, "project create", name="jade")
    await boss.slash(channel, "canon import", file=("bible.json", bible_file.read_bytes()))
    return simcord_env, guild, channel, boss, writer
