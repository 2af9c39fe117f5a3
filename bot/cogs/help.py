"""/help: what the bot does and its commands, one line each, in the reply's language (a Chinese client
shows the commands by their Chinese names, so the Chinese help names them so too)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..i18n import N_
from ..ui import acknowledge, reply
from .reply_language import reply_messages

HELP = N_("""**Cliffhanger** keeps your project's canon and co-writes with the room.
`/project create|use name` · `/project editors role` — server managers: projects, channels, the editor role
`/settings [paywall_episode] [language]` — this channel's project; editors change its settings
`/canon add kind name [text]` · `/canon show|edit|delete|history name` · `/canon restore name revision`
`/canon import file` · `/canon export format [episodes] [as_of_episode]` — the series bible, lorebooks in, screenplays (PDF, FDX, Fountain) out
`/series [as_of_episode]` — the series board with warnings · `/draw relationships|appearances|board [as_of_episode]` — pictures
`/ask question [as_of_episode]` — answers from canon, with sources; spoiler-safe with as_of_episode
`/check text|file [episode]` · message menu **Check continuity** — contradictions with canon (the lint needs no model)
`/knows character [as_of_episode]` · `/secret add|learn|list|remove` — who knows what, when (non-editors propose)
`/scene brief [characters] [episode]` — a Fountain scene in a thread: Accept, Revise, Continue, Discard
`/twist [about] [count]` — twist options with votes · `/outline episode [brief]` — timed beats
`/storyboard scene|file|entry [episode]` — a 9:16 shot list with look sheets and a contact sheet, in a thread
`/promo episode [count] [angles]` — teaser scripts, spoiler-safe (nothing past the episode or the paywall)
`/glossary show|set|suggest to` · `/translate to text|file` — localization that keeps names and terms fixed""")


class Help(commands.Cog):
    def __init__(self, bot) -> None:
        self.room = bot.room

    @app_commands.command(name="help", description="What Cliffhanger does and how to use it")
    async def help(self, interaction: discord.Interaction) -> None:
        await acknowledge(interaction, ephemeral=True)  # the reply's language may be the channel project's
        _ = await reply_messages(self.room, interaction)
        await reply(interaction, _(HELP), ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(Help(bot))
