"""/help: what the bot does and its commands, one line each, in the reply's language. The list is read from the
command tree, so a new command is in it the day it is added; a Chinese client shows the commands by their
Chinese names, so the Chinese help names them so too."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..i18n import Messages
from ..i18n.slash import translated
from ..ui import acknowledge, reply
from .reply_language import reply_messages


def _shown(text: str, context: str | None, _: Messages) -> str:
    """A command's name (``context`` "command", "option", "menu") or description as the reader's client shows it."""
    return text if _.locale == "en" else translated(text, context, _.locale) or text


def _usage(command: app_commands.Command | app_commands.Group, _: Messages) -> str:
    """``/canon add|show|…`` for a group, ``/ask question [as_of_episode]`` for a command."""
    name = "/" + _shown(command.name, "command", _)
    if isinstance(command, app_commands.Group):
        return f"{name} " + "|".join(_shown(c.name, "command", _) for c in command.commands)
    options = [_shown(p.name, "option", _) if p.required else f"[{_shown(p.name, 'option', _)}]"
               for p in command.parameters]
    return " ".join([name, *options])


def command_lines(tree: app_commands.CommandTree, _: Messages) -> list[str]:
    """One line per top-level slash command, then the message menus."""
    lines = [f"`{_usage(c, _)}` — {_shown(c.description, None, _)}" for c in tree.get_commands()
             if isinstance(c, (app_commands.Command, app_commands.Group))]
    menus = tree.get_commands(type=discord.AppCommandType.message)
    lines += [_("Message menu **{name}**: right-click a message, then Apps", name=_shown(m.name, "menu", _))
              for m in menus]
    return lines


def help_text(tree: app_commands.CommandTree, _: Messages) -> str:
    return "\n".join([_("**Cliffhanger** keeps your project's canon and co-writes with the room."),
                      *command_lines(tree, _)])


class Help(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    @app_commands.command(name="help", description="What Cliffhanger does and how to use it")
    async def help(self, interaction: discord.Interaction) -> None:
        await acknowledge(interaction, ephemeral=True)  # the reply's language may be the channel project's
        _ = await reply_messages(self.room, interaction)
        await reply(interaction, help_text(self.bot.tree, _), ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(Help(bot))
