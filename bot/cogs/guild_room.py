"""How a cog sees the room from Discord: the channel's project, editor rights, work off the loop."""

from __future__ import annotations

import asyncio
import functools

import discord

from ..canon.errors import CanonError, NotAllowed
from ..canon.models import Project
from ..room import WritersRoom


class NotBound(CanonError):
    def __init__(self) -> None:
        super().__init__("This channel has no project yet: run `/project create` or `/project use` here first.")


def scope_of(guild_id: int | None) -> str:
    if guild_id is None:
        raise CanonError("Cliffhanger works in server channels, not in DMs.")
    return f"discord:{guild_id}"


def place_of(channel: discord.abc.Snowflake) -> str:
    """Threads share their parent channel's project."""
    parent = getattr(channel, "parent_id", None)
    return str(parent or channel.id)


async def off_loop(func, *args, **kwargs):
    """Run blocking work (database, embedding, Chroma, model calls) in a worker thread."""
    return await asyncio.to_thread(functools.partial(func, *args, **kwargs))


async def channel_project(room: WritersRoom, interaction: discord.Interaction) -> Project:
    scope = scope_of(interaction.guild_id)
    project_id = await off_loop(room.workflow.bound_project, scope, place_of(interaction.channel))
    if project_id is None:
        raise NotBound()
    return await off_loop(room.project, project_id)


def is_manager(member: discord.abc.User) -> bool:
    """Manage Server (or Administrator): may create projects, bind channels and choose the editors."""
    perms = getattr(member, "guild_permissions", None)
    return perms is not None and (perms.manage_guild or perms.administrator)


def is_editor(member: discord.abc.User, project: Project) -> bool:
    """The one editor check, for commands and buttons alike: a manager, or a holder of the project's editor role."""
    if is_manager(member):
        return True
    role_id = project.settings.get("editor_role_id")
    return bool(role_id) and any(r.id == int(role_id) for r in getattr(member, "roles", []))


def require_manager(member: discord.abc.User, what: str = "do that") -> None:
    if not is_manager(member):
        raise NotAllowed(f"Only members with Manage Server can {what}.")


def require_editor(member: discord.abc.User, project: Project, what: str = "do that") -> None:
    if not is_editor(member, project):
        raise NotAllowed(f"Only editors can {what}.")


def who(user: discord.abc.User) -> str:
    return f"discord:{user.id}:{user.name}"
