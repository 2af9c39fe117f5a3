"""/series and /draw: the series board and pictures of the story, attached as files."""

from __future__ import annotations

import json

import discord
from discord import app_commands
from discord.ext import commands

from ..discord_limits import CONTENT, Upload, cut
from ..i18n import say
from ..ui import acknowledge, reply
from .guild_room import channel_project
from .reply_language import project_messages
from .work import RENDER_COOLDOWN, off_render

PICTURE_CHOICES = [app_commands.Choice(name="Relationship graph", value="relationships"),
                   app_commands.Choice(name="Who appears in which episode", value="appearances"),
                   app_commands.Choice(name="Series board", value="board")]


class Production(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    @app_commands.command(name="series", description="The series board: runtime, cast, hook, cliffhanger, warnings")
    @app_commands.describe(as_of_episode="Only the episodes up to this one, as they read then (spoiler-safe)")
    @RENDER_COOLDOWN
    async def series(self, interaction: discord.Interaction,
                     as_of_episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        from ..production.series_board import render_text

        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        board = await off_render(self.room.series_board, project.id, None, None, as_of_episode)
        _ = project_messages(interaction, project)
        text = render_text(board, say=lambda phrase: say(phrase, _.locale))
        counts = (_.plural("{n} episode", "{n} episodes", len(board.episodes)) + _(", ")
                  + _.plural("{n} warning", "{n} warnings", len(board.warnings)))
        head = _("**{project}**: {said}", project=project.name, said=counts)
        files = [Upload(f"{project.name}-series.json",
                        json.dumps(board.to_dict(), ensure_ascii=False, indent=2).encode())]
        body = f"{head}\n```\n{text}```"
        if len(body) > CONTENT:  # too long for a message: the whole board as a file, the warnings inline
            files.append(Upload(f"{project.name}-series.txt", text.encode()))
            warnings = "\n".join(_("ep {episode}: {message}", episode=w.episode, message=say(w.message, _.locale))
                                 if w.episode is not None else say(w.message, _.locale) for w in board.warnings[:15])
            more = "\n" + _("… and {n} more", n=len(board.warnings) - 15) if len(board.warnings) > 15 else ""
            body = cut(f"{head}\n{warnings}{more}", CONTENT)
        await reply(interaction, body, files=files)

    @app_commands.command(name="draw", description="A picture of the story: relationships, appearances or the board")
    @app_commands.choices(picture=PICTURE_CHOICES)
    @app_commands.describe(picture="What to draw", as_of_episode="Draw the story as it stands at this episode "
                                                                  "(spoiler-safe)")
    @RENDER_COOLDOWN
    async def draw(self, interaction: discord.Interaction, picture: app_commands.Choice[str],
                   as_of_episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        _ = project_messages(interaction, project)
        png = await off_render(self.room.draw, project.id, picture.value, as_of_episode,
                               lambda phrase: say(phrase, _.locale))
        what = _.context("choice", picture.name)
        if as_of_episode is not None:
            what = _("{picture} as of episode {episode}", picture=what, episode=as_of_episode)
        await reply(interaction, _("**{project}**: {said}", project=project.name, said=what),
                    files=[Upload(f"{project.name}-{picture.value}.png", png)])


async def setup(bot) -> None:
    await bot.add_cog(Production(bot))
