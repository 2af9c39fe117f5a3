"""/project (server managers: create, bind channels, choose the editors) and /settings (anyone sees the
channel's project; editors change its paywall and language).

Discord applies ``default_member_permissions`` to top-level commands only, so the manager-only commands
share one top-level group that carries Manage Server: members without it never see them. A server's
admins can widen who sees a command (Server Settings > Integrations), so each command still checks."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..discord_limits import choices
from ..i18n import N_
from ..ui import acknowledge, reply
from .guild_room import channel_project, place_of, require_editor, require_manager, scope_of
from .reply_language import project_messages
from .work import before_answering, off_loop

MANAGERS = discord.Permissions(manage_guild=True)  # what is_manager checks at run time (or Administrator)
BIND = N_("Only members with Manage Server can create projects and bind channels.")


@app_commands.default_permissions(MANAGERS)
class Projects(commands.GroupCog, group_name="project", group_description="Server managers: projects, channels, editors"):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    @app_commands.command(name="create", description="Create a project and bind this channel to it")
    @app_commands.describe(name="Project name, e.g. 'jade-seal'")
    async def create(self, interaction: discord.Interaction, name: str) -> None:
        require_manager(interaction.user, BIND)
        await acknowledge(interaction)
        scope = scope_of(interaction.guild_id)
        project = await off_loop(self.room.create_project, name, scope)
        await off_loop(self.room.workflow.bind, scope, place_of(interaction.channel), project.id)
        _ = project_messages(interaction, project)
        await reply(interaction, _("Created **{name}** and bound this channel to it. Add canon with "
                                   "`/canon add` or `/canon import`.", name=project.name))

    @app_commands.command(name="use", description="Bind this channel to an existing project")
    @app_commands.describe(name="One of this server's projects")
    async def use(self, interaction: discord.Interaction, name: str) -> None:
        require_manager(interaction.user, BIND)
        await acknowledge(interaction)
        scope = scope_of(interaction.guild_id)
        project = await off_loop(self.room.project, name, scope)
        await off_loop(self.room.workflow.bind, scope, place_of(interaction.channel), project.id)
        _ = project_messages(interaction, project)
        await reply(interaction, _("This channel now works on **{name}**.", name=project.name))

    @use.autocomplete("name")
    async def _project_names(self, interaction: discord.Interaction, current: str):
        if interaction.guild_id is None:
            return []
        rows = await before_answering(self.room.store.list_projects, scope_of(interaction.guild_id))
        return choices((p.name, p.name) for p in rows if current.casefold() in p.name.casefold())

    @app_commands.command(name="editors", description="Choose the role whose members change canon directly")
    @app_commands.describe(role="Members with this role may change canon and project settings")
    async def editors(self, interaction: discord.Interaction, role: discord.Role) -> None:
        require_manager(interaction.user, N_("Only members with Manage Server can choose the editor role."))
        await acknowledge(interaction, ephemeral=True)
        project = await channel_project(self.room, interaction)
        await off_loop(self.room.update_project_settings, project.id, editor_role_id=role.id)
        _ = project_messages(interaction, project)
        await reply(interaction, _("Settings saved."), ephemeral=True)


class ProjectSettings(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    @app_commands.command(name="settings", description="This channel's project; editors change its paywall and language")
    @app_commands.describe(paywall_episode="The episode the paywall falls after",
                           language="en, zh-CN or zh-TW; auto to answer each user in their own")
    async def settings(self, interaction: discord.Interaction,
                       paywall_episode: app_commands.Range[int, 1, 500] | None = None,
                       language: app_commands.Range[str, 2, 20] | None = None) -> None:
        changes = {k: v for k, v in {"paywall_episode": paywall_episode, "language": language}.items()
                   if v is not None}
        await acknowledge(interaction, ephemeral=bool(changes))
        project = await channel_project(self.room, interaction)
        if not changes:
            await reply(interaction, embed=await self._card(project, project_messages(interaction, project)))
            return
        require_editor(interaction.user, project, N_("Only editors can change project settings."))
        project = await off_loop(self.room.update_project_settings, project.id, **changes)
        _ = project_messages(interaction, project)  # a new language speaks at once
        await reply(interaction, _("Settings saved."), ephemeral=True)

    async def _card(self, project, _) -> discord.Embed:
        count = await off_loop(self.room.store.count_entries, project.id)
        s = project.settings
        role = f"<@&{s['editor_role_id']}>" if s.get("editor_role_id") else _("Manage Server only")
        embed = discord.Embed(title=project.name,
                              description=_.plural("{n} canon entry", "{n} canon entries", count))
        embed.add_field(name=_("Editors"), value=role)
        embed.add_field(name=_("Paywall episode"),
                        value=_.number(s.get("paywall_episode", self.bot.settings.paywall_episode)))
        embed.add_field(name=_("Language"), value=s.get("language") or _("any"))
        return embed


async def setup(bot) -> None:
    await bot.add_cog(Projects(bot))
    await bot.add_cog(ProjectSettings(bot))
