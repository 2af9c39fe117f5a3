"""A real bot process for the crash tests: the bot as `cliffhanger run` builds it (the instance lock,
``create_bot(settings)`` with its vector process, the import worker), with SimCord in place of Discord,
importing a bible through `/canon import`.

    CLIFFHANGER_DATA_DIR=... python tests/discord_bot_process.py BIBLE

It prints one JSON line for each thing the test may wait on (the server it made, then every text the
import's reply shows, as the user would see it change), so that a test can `kill -9` it at a chosen
moment. ``room_3`` makes the same server, channel and showrunner (same ids) in any SimCord, so the bot
the test starts afterwards meets the channel this one bound to its project.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import simcord_room
from simcord import Env

GUILD_ID = 1_300_000_000_000_000_003  # pinned: a project belongs to its Discord server
SETTLE_S = 900.0  # the import's reply waits on the whole import; the test kills it long before


def room_3(env: Env):
    """The tests' server, made before the bot starts (so that its READY has it, as a restarted bot's would),
    under a pinned id: the same ids in every fresh SimCord, since SimCord's ids come from its clock, which
    starts at the same instant."""
    return simcord_room.room_3(env, GUILD_ID)


def say(event: str, **fields) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


async def watch(channel) -> None:
    """Print every text the channel's last message shows (the import's reply as it is edited)."""
    shown = None
    while True:
        last = channel.last_message
        text = last.content if last is not None else None
        if text != shown:
            shown = text
            say("message", content=text)
        await asyncio.sleep(0.05)


async def main(bible: Path) -> None:
    from bot.client import create_bot
    from bot.ops.instance import InstanceLock
    from bot.settings import Settings

    settings = Settings()
    with InstanceLock(settings.data_dir):  # as `cliffhanger run` (client.run_bot) holds it
        env = Env(create_bot(settings), settle_timeout=SETTLE_S)
        _guild, channel, boss, _writer = room_3(env)
        await env.start()
        try:
            await env.bot.tree.sync()
            await boss.slash(channel, "project create", name="jade")
            say("ready", channel=channel.id, vector_pid=env.bot.room.vector_process.pid)
            watcher = asyncio.ensure_future(watch(channel))
            result = await boss.slash(channel, "canon import", file=(bible.name, bible.read_bytes()))
            watcher.cancel()
            say("done", content=result.response.content if result.response else None)
        finally:
            await env.shutdown()
            env.bot.room.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
