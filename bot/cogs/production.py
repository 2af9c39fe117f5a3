"""/series and /draw: the series board and pictures of the story, attached as files."""

from __future__ import annotations

import io
import json

import discord
from discord import app_commands
from discord.ext import commands

from ..ui import NO_MENTIONS
from .guild_room import channel_project, off_loop

PICTURE_CHOICES = [app_commands.Choice(name="Relationship graph", value="relationships"),
                   app_commands.Choice(name="Who appears in which episode", value="appearances"),
                   app_commands.Choice(name="Series board", value="board")]


class Production(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    @app_commands.command(name="series", description="The series board: runtime, cast, hook, cliffhanger, warnings")
    @app_commands.describe(as_of_episode="Only the episodes up to this one, as they read then (spoiler-safe)")
    async def series(self, interaction: discord.Interaction,
                     as_of_episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        from ..production.series_board import render_text

        project = await channel_project(self.room, interaction)
        await interaction.response.defer(thinking=True)
        board = await off_loop(self.room.series_board, project.id, None, None, as_of_episode)
        text = render_text(board)
        head = f"**{project.name}**: {len(board.episodes)} episodes, {len(board.warnings)} warnings"
        files = [discord.File(io.BytesIO(json.dumps(board.to_dict(), ensure_ascii=False, indent=2).encode()),
                              filename=f"{project.name}-series.json")]
        if len(text) > 1900:  # too long for a message: the whole board as a file, the warnings inline
            files.append(discord.File(io.BytesIO(text.encode()), filename=f"{project.name}-series.txt"))
            warnings = "\n".join(f"ep {w.episode}: {w.message}" if w.episode is not None else w.message
                                 for w in board.warnings[:15])
            more = f"\n… and {len(board.warnings) - 15} more" if len(board.warnings) > 15 else ""
            body = f"{head}\n{warnings}{more}"[:1990]
        else:
            body = f"{head}\n```\n{text}```"
        await interaction.followup.send(body, files=files, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="draw", description="A picture of the story: relationships, appearances or the board")
    @app_commands.choices(picture=PICTURE_CHOICES)
    @app_commands.describe(as_of_episode="Draw the story as it stands at this episode (spoiler-safe)")
    async def draw(self, interaction: discord.Interaction, picture: app_commands.Choice[str],
                   as_of_episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        project = await channel_project(self.room, interaction)
        await interaction.response.defer(thinking=True)
        png = await off_loop(self.room.draw, project.id, picture.value, as_of_episode)
        when = f" as of episode {as_of_episode}" if as_of_episode is not None else ""
        await interaction.followup.send(f"**{project.name}**: {picture.name.lower()}{when}",
                                        file=discord.File(io.BytesIO(png), filename=f"{project.name}-{picture.value}.png"),
                                        allowed_mentions=NO_MENTIONS)


async def setup(bot) -> None:
    await bot.add_cog(Production(bot))
