"""Which catalog a reply speaks on Discord: the channel's project language when the room set one (a
project set to English answers a Chinese client in English), else the user's Discord language, else the
server's, else English (bot/i18n/choice.py)."""

from __future__ import annotations

import asyncio

import discord

from ..i18n import Messages, messages, reply_locale
from ..canon.models import Project
from ..room import WritersRoom
from .guild_room import place_of, scope_of


def messages_for(interaction: discord.Interaction, project_language: str | None = None) -> Messages:
    guild_locale = interaction.guild_locale.value if interaction.guild_locale else None
    chosen = messages(reply_locale(project_language, interaction.locale.value, guild_locale))
    interaction.extras["messages"] = chosen  # what bot/ui.py adds to a reply (a long reply's note) speaks it too
    return chosen


def project_messages(interaction: discord.Interaction, project: Project) -> Messages:
    """The reply's catalog once the channel's project is at hand (no second lookup)."""
    return messages_for(interaction, project.settings.get("language"))


def _project_language(room: WritersRoom, guild_id: int, place: str) -> str | None:
    project_id = room.workflow.bound_project(scope_of(guild_id), place)
    return None if project_id is None else room.project(project_id).settings.get("language")


async def reply_messages(room: WritersRoom, interaction: discord.Interaction) -> Messages:
    language = None
    if interaction.guild_id is not None:
        try:
            language = await asyncio.to_thread(_project_language, room, interaction.guild_id,
                                               place_of(interaction.channel))
        except Exception:  # replying, even about a broken database, matters more than the language
            language = None
    return messages_for(interaction, language)
