"""How a cog sees the room from Discord: the channel's project, editor rights, work off the loop."""

from __future__ import annotations

import discord

from ..canon.errors import CanonError, NotAllowed
from ..canon.models import Project
from ..discord_limits import THREAD_NAME, cut
from ..i18n import N_
from ..room import WritersRoom
from .work import before_answering


class NotBound(CanonError):
    def __init__(self) -> None:
        super().__init__(N_("This channel has no project yet: a server manager runs `/project create` or "
                            "`/project use` here first."))


def scope_of(guild_id: int | None) -> str:
    if guild_id is None:
        raise CanonError(N_("Cliffhanger works in server channels, not in DMs."))
    return f"discord:{guild_id}"


def place_of(channel: discord.abc.Snowflake) -> str:
    """Threads share their parent channel's project."""
    parent = getattr(channel, "parent_id", None)
    return str(parent or channel.id)


async def channel_project(room: WritersRoom, interaction: discord.Interaction) -> Project:
    """The channel's project: two one-row reads on the first-answer threads, so autocomplete and a form, which
    need it before their first answer, never wait behind the lookups."""
    scope = scope_of(interaction.guild_id)
    project_id = await before_answering(room.workflow.bound_project, scope, place_of(interaction.channel))
    if project_id is None:
        raise NotBound()
    return await before_answering(room.project, project_id)


def require_same_server(interaction: discord.Interaction, project: Project) -> None:
    """A button names its proposal or draft by id only: refuse it from any server but its project's."""
    if project.scope != scope_of(interaction.guild_id):
        raise NotAllowed(N_("That button belongs to a project of another server."))


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


def require_manager(member: discord.abc.User, refusal: str = N_("Only members with Manage Server can do that.")) -> None:
    """``refusal`` is a whole sentence marked N_(): a translator needs the sentence, not a fragment of one."""
    if not is_manager(member):
        raise NotAllowed(refusal)


def require_editor(member: discord.abc.User, project: Project, refusal: str = N_("Only editors can do that.")) -> None:
    if not is_editor(member, project):
        raise NotAllowed(refusal)


async def work_thread(interaction: discord.Interaction, name: str) -> discord.abc.Messageable:
    """A thread of the interaction's channel for long work (a scene, a storyboard), or the channel itself
    when it cannot hold one (a thread already, a voice chat). An announcement channel holds news threads."""
    channel = interaction.channel
    if not isinstance(channel, discord.TextChannel):
        return channel
    kind = discord.ChannelType.news_thread if channel.is_news() else discord.ChannelType.public_thread
    return await channel.create_thread(name=cut(name, THREAD_NAME), type=kind)


def who(user: discord.abc.User) -> str:
    return f"discord:{user.id}:{user.name}"
