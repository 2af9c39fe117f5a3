"""The Discord client: a commands.Bot that loads one cog per feature over the WritersRoom."""

from __future__ import annotations

import gc
import logging

import discord
from discord import app_commands
from discord.ext import commands

from .i18n import say
from .canon.errors import CanonError
from .cogs import EXTENSIONS
from .cogs.model_calls import ModelLimit
from .cogs.work import off_loop, render_cooldown
from .cogs.reply_language import reply_messages
from .i18n.slash import CatalogTranslator
from .room import WritersRoom
from .settings import Settings
from .ui import NO_MENTIONS, reply_error

log = logging.getLogger("cliffhanger")

# Exactly what the bot does: read and post in channels and threads, edit its own messages
# (streaming), attach files, embed answers.
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, send_messages_in_threads=True, create_public_threads=True,
    embed_links=True, attach_files=True, read_message_history=True,
)
# A project belongs to a server: every command is offered in server channels only, never in DMs.
IN_SERVERS = {"allowed_contexts": app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False),
              "allowed_installs": app_commands.AppInstallationType(guild=True, user=False)}


def shard_options(spec: str | None) -> dict:
    """CLIFFHANGER_SHARDS as discord.py's AutoShardedBot arguments: 'auto' lets Discord choose the count; 'N'
    runs all N shards here; 'A-B/N' runs shards A..B of N, so several processes can split a large bot."""
    if not spec or spec == "auto":
        return {}
    if "/" not in spec:
        return {"shard_count": int(spec)}
    ids, count = spec.split("/")
    first, last = (int(x) for x in ids.split("-"))
    if not 0 <= first <= last < int(count):
        raise ValueError(f"CLIFFHANGER_SHARDS={spec}: shards must lie within 0..{int(count) - 1}")
    return {"shard_ids": list(range(first, last + 1)), "shard_count": int(count)}


class _Cliffhanger:
    """The bot itself, whichever discord.py client runs it (one connection, or AutoSharded)."""

    def __init__(self, settings: Settings, room: WritersRoom | None = None, **shards) -> None:
        intents = discord.Intents.default()  # no privileged message_content: slash commands only
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, allowed_mentions=NO_MENTIONS,
                         help_command=None, proxy=settings.discord_proxy, **IN_SERVERS, **shards)
        self.settings = settings
        self._owns_room = room is None
        self.room = room or bot_room(settings)
        self.room.indexes.upkeep_behind = True  # a write's reply never waits for its index upkeep
        self.model_limit = ModelLimit(settings.model_workers)  # model calls: their own threads and cooldown
        self.render_cooldown = render_cooldown()  # exports and pictures (cogs/work.py)
        self.tree.on_error = self.on_app_command_error

    async def setup_hook(self) -> None:
        await warm_up(self.room)
        await self.tree.set_translator(CatalogTranslator())  # zh-CN and zh-TW names and descriptions at sync
        for name in EXTENSIONS:
            try:
                await self.load_extension(f"bot.cogs.{name}")
            except Exception:  # one broken cog must not take the others down
                log.exception("could not load cog %s", name)

    async def close(self) -> None:
        await super().close()
        self.model_limit.close()
        if self._owns_room:
            self.room.close()  # stops the vector process

    async def on_app_command_error(self, interaction: discord.Interaction, error: Exception):
        """The one error reply, for slash commands, modals and persistent buttons alike."""
        original = getattr(error, "original", error)
        _ = await reply_messages(self.room, interaction)
        if isinstance(original, CanonError):  # a message marked N_() is translated now, in the reply's language
            await reply_error(interaction, say(original, _.locale))
        elif isinstance(original, app_commands.CommandOnCooldown):  # a check's, or a model call's (off_model)
            await reply_error(interaction, _("Slow down: try again in {seconds} s.", seconds=round(original.retry_after)))
        elif isinstance(error, app_commands.CheckFailure):
            await reply_error(interaction, _("You can't use that command here."))
        else:
            log.exception("command failed", exc_info=original)
            await reply_error(interaction, _("Something went wrong on our side; it has been logged."))


class CliffhangerBot(_Cliffhanger, commands.Bot):
    pass


class ShardedCliffhangerBot(_Cliffhanger, commands.AutoShardedBot):
    """For bots in thousands of servers (Discord requires shards from 2,500): CLIFFHANGER_SHARDS."""


def bot_room(settings: Settings) -> WritersRoom:
    """The room as the bot runs it: the dense index in a child process, off the event loop's GIL."""
    return WritersRoom(settings, vectors_in_child=True)


async def warm_up(room: WritersRoom) -> None:
    """Load models and modules before the first command, then hide everything loaded so far from the
    garbage collector: a full collection over that large, long-lived heap holds the GIL ~80 ms,
    which showed as event-loop lag in the middle of imports (benchmarks/event_loop_lag.py)."""
    await off_loop(room.warm_up)
    gc.freeze()


def create_bot(settings: Settings | None = None, room: WritersRoom | None = None) -> CliffhangerBot:
    settings = settings or Settings()
    if settings.shards:
        return ShardedCliffhangerBot(settings, room, **shard_options(settings.shards))
    return CliffhangerBot(settings, room)


def run_bot(settings: Settings) -> None:
    """`cliffhanger run`: the bot, holding its data directory so that a second one is refused (naming this one)."""
    from .ops.instance import InstanceLock

    with InstanceLock(settings.data_dir, settings.shards or ""):
        create_bot(settings).run(settings.discord_token, log_handler=None)


def invite_url(application_id: int) -> str:
    scopes = ("bot", "applications.commands")
    return discord.utils.oauth_url(application_id, permissions=INVITE_PERMISSIONS, scopes=scopes)
