"""/promo: a kit of teaser scripts for an episode, spoiler-safe unless an editor allows spoilers."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..canon.errors import CanonError
from ..discord_limits import Upload
from ..i18n import N_
from ..ui import acknowledge, reply, send_long
from .guild_room import channel_project, require_editor
from .model_calls import MODEL_COOLDOWN, off_model
from .reply_language import project_messages


class Promo(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    @app_commands.command(name="promo", description="Teaser scripts (15-30 s) for short-video platforms")
    @app_commands.describe(episode="The episode to promote", count="How many teasers (default 12)",
                           angles="Comma-separated angles, e.g. revenge,romance,mystery",
                           allow_spoilers="Draw on canon past the paywall (editors only)")
    @MODEL_COOLDOWN
    async def promo(self, interaction: discord.Interaction, episode: app_commands.Range[int, 1, 100000],
                    count: app_commands.Range[int, 1, 30] = 12, angles: str | None = None,
                    allow_spoilers: bool = False) -> None:
        if not self.room.writer.model.configured:
            raise CanonError(N_("No chat model is configured, so the bot cannot write promos yet: set "
                                "CLIFFHANGER_MODEL and OPENAI_API_KEY (or OPENAI_BASE_URL)."))
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        if allow_spoilers:
            require_editor(interaction.user, project, N_("Only editors can allow spoilers past the paywall in promos."))
        kit = await off_model(interaction, self.room.promo, project.id, episode, count, (angles or "").split(","), allow_spoilers)
        await send_long(interaction, kit.to_markdown(), filename=f"promo-episode-{episode}.md")
        _ = project_messages(interaction, project)
        said = _.plural("{n} teaser, canon as of episode {episode}", "{n} teasers, canon as of episode {episode}",
                        len(kit.teasers), episode=kit.as_of)
        if kit.withheld:
            said += _.plural("; {n} withheld for spoilers", "; {n} withheld for spoilers", len(kit.withheld))
        await reply(interaction, said,
                    files=[Upload(f"promo-episode-{episode}.json", kit.to_json().encode())])


async def setup(bot) -> None:
    await bot.add_cog(Promo(bot))
