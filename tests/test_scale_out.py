"""The scale-out path, exercised: records in PostgreSQL and vectors in a `chroma run` server at once, two
bot processes' rooms (separate data directories) sharing them, and the bot sharded with
CLIFFHANGER_SHARDS. Both servers start from the project's own fixtures (conftest.py)."""

import json

import pytest
from discord.ext import commands
from simcord_room import room_3

from bot.client import CliffhangerBot, ShardedCliffhangerBot, create_bot, shard_options
from bot.room import WritersRoom
from bot.settings import Settings


@pytest.fixture
def shared(settings, postgres_server, chroma_server, tmp_path):
    """Settings for a deployment that has outgrown one machine: PostgreSQL + a Chroma server."""
    settings.database_url = postgres_server()
    settings.chroma_host, settings.chroma_port = "127.0.0.1", chroma_server
    return settings


@pytest.fixture
def simcord_bot(shared, embedder):
    return create_bot(shared, WritersRoom(shared, embedder=embedder))


async def test_postgresql_and_a_chroma_server_at_once(shared, simcord_env, llm, embedder, bible_file, tmp_path):
    env = simcord_env
    room = env.bot.room
    room.create_project("jade")
    report = room.import_files([bible_file], "jade", author="tester")
    assert report.created == 6 and report.indexed == 6
    assert room.retrieve("jade", "What is Wanwan afraid of?", k=1)[0].id == "lin-wan"
    llm.queue(json.dumps({"answer": "Su Mei took it.", "citations": ["ep7"]}))
    answer, _ = room.ask("jade", "Who took the seal?")
    assert [s.id for s in answer.sources] == ["ep7"]
    assert not (shared.index_dir / "chroma").exists()  # vectors live on the server only

    # a Discord flow on the same deployment
    await env.bot.tree.sync()
    guild, channel, boss, _writer = room_3(env)
    await boss.slash(channel, "project create", name="jade")
    imported = await boss.slash(channel, "canon import", file=("bible.json", bible_file.read_bytes()))
    assert "6 new" in imported.response.content
    llm.queue(json.dumps({"answer": "Su Mei, at the birthday dinner.", "citations": ["ep7"]}))
    asked = await boss.slash(channel, "ask", question="Who stole the jade seal?")
    assert "`ep7`" in "\n".join(m.content for m in [asked.response, *asked.followups] if m)

    # a second bot process: its own data directory (lexical index, locks), the same records and vectors
    other = Settings(_env_file=None, data_dir=tmp_path / "second-process", database_url=shared.database_url,
                     chroma_host=shared.chroma_host, chroma_port=shared.chroma_port)
    second = WritersRoom(other, embedder=embedder)
    try:
        assert second.retrieve("jade", "Who distrusts his grandmother's favourites?", k=1)[0].id == "gu-chen"
        assert second.index(second.project("jade")).vectors.count() > 0
    finally:
        second.close()


@pytest.mark.parametrize("spec,expected", [("auto", {}), ("4", {"shard_count": 4}),
                                           ("2-3/8", {"shard_ids": [2, 3], "shard_count": 8})])
def test_cliffhanger_shards_runs_the_auto_sharded_bot(settings, room, spec, expected):
    settings.shards = spec
    bot = create_bot(settings, room)
    assert isinstance(bot, ShardedCliffhangerBot) and isinstance(bot, commands.AutoShardedBot)
    assert shard_options(spec) == expected
    if expected.get("shard_ids"):
        assert bot.shard_ids == expected["shard_ids"] and bot.shard_count == 8
    settings.shards = None
    plain = create_bot(settings, room)
    assert type(plain) is CliffhangerBot and not isinstance(plain, commands.AutoShardedBot)


def test_a_shard_range_outside_the_count_is_refused():
    with pytest.raises(ValueError, match="within 0..3"):
        shard_options("2-5/4")
    with pytest.raises(ValueError):
        Settings(_env_file=None, shards="a few")
