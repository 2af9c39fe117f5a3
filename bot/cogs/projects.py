"""/project: create a project for this server, bind channels to it, see and change its settings."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..canon.errors import CanonError
from ..discord_limits import choices
from ..ui import acknowledge, reply
from .guild_room import channel_project, place_of, require_editor, require_manager, scope_of
from .work import before_answering, off_loop


class Projects(commands.GroupCog, group_name="project", group_description="This server's drama projects"):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    @app_commands.command(name="create", description="Create a project and bind this channel to it")
    @app_commands.describe(name="Project name, e.g. 'jade-seal'")
    async def create(self, interaction: discord.Interaction, name: str) -> None:
        require_manager(interaction.user)
        await acknowledge(interaction)
        scope = scope_of(interaction.guild_id)
        project = await off_loop(self.room.create_project, name, scope)
        await off_loop(self.room.workflow.bind, scope, place_of(interaction.channel), project.id)
        await reply(interaction, f"Created **{project.name}** and bound this channel to it. Add canon with "
                                 "`/canon add` or `/canon import`.")

    @app_commands.command(name="use", description="Bind this channel to an existing project")
    @app_commands.describe(name="One of this server's projects")
    async def use(self, interaction: discord.Interaction, name: str) -> None:
        require_manager(interaction.user)
        await acknowledge(interaction)
        scope = scope_of(interaction.guild_id)
        project = await off_loop(self.room.project, name, scope)
        await off_loop(self.room.workflow.bind, scope, place_of(interaction.channel), project.id)
        await reply(interaction, f"This channel now works on **{project.name}**.")

    @use.autocomplete("name")
    async def _project_names(self, interaction: discord.Interaction, current: str):
        if interaction.guild_id is None:
            return []
        rows = await before_answering(self.room.store.list_projects, scope_of(interaction.guild_id))
        return choices((p.name, p.name) for p in rows if current.casefold() in p.name.casefold())

    @app_commands.command(name="info", description="The project bound to this channel")
    async def info(self, interaction: discord.Interaction) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        count = await off_loop(self.room.store.count_entries, project.id)
        s = project.settings
        role = f"<@&{s['editor_role_id']}>" if s.get("editor_role_id") else "Manage Server only"
        embed = discord.Embed(title=project.name, description=f"{count} canon entries")
        embed.add_field(name="Editors", value=role)
        embed.add_field(name="Paywall episode", value=str(s.get("paywall_episode", self.bot.settings.paywall_episode)))
        embed.add_field(name="Language", value=s.get("language", "any"))
        await reply(interaction, embed=embed)

    @app_commands.command(name="settings", description="Editor role, paywall episode and language")
    @app_commands.describe(editor_role="Members with this role may change canon directly",
                           paywall_episode="The episode the paywall falls after", language="e.g. en, zh")
    async def settings(self, interaction: discord.Interaction, editor_role: discord.Role | None = None,
                       paywall_episode: app_commands.Range[int, 1, 500] | None = None,
                       language: app_commands.Range[str, 2, 20] | None = None) -> None:
        await acknowledge(interaction, ephemeral=True)
        project = await channel_project(self.room, interaction)
        require_editor(interaction.user, project, "change project settings")
        if editor_role is not None:  # who the editors are is for Manage Server, not for the editors themselves
            require_manager(interaction.user, "choose the editor role")
        changes = {k: v for k, v in {"editor_role_id": editor_role.id if editor_role else None,
                                     "paywall_episode": paywall_episode, "language": language}.items()
                   if v is not None}
        if not changes:
            raise CanonError("Nothing to change: pick editor_role, paywall_episode or language.")
        await off_loop(self.room.update_project_settings, project.id, **changes)
        await reply(interaction, "Settings saved.", ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(Projects(bot))
