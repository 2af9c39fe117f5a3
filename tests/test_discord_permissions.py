"""Who sees which command: the manager-only commands sit under one top-level group that carries Manage
Server in its registration (Discord reads ``default_member_permissions`` on top-level commands only), and
still check at run time, since a server's admins can open a command to anyone."""

from __future__ import annotations

import inspect

import discord
import pytest
from simcord import SetupError
from simcord_room import private_reply, room_3

MANAGE_GUILD = discord.Permissions(manage_guild=True).value


def _calls_require_manager(command) -> bool:
    return "require_manager(" in inspect.getsource(command.callback)


async def test_manager_commands_carry_manage_server_and_member_commands_do_not(simcord_env):
    await simcord_env.bot.tree.sync()
    registered = {c["name"]: c for c in simcord_env.backend.commands[None].values()}
    gated = {name for name, c in registered.items() if c.get("default_member_permissions") is not None}
    assert gated == {"project"}
    assert int(registered["project"]["default_member_permissions"]) == MANAGE_GUILD
    assert {o["name"] for o in registered["project"]["options"]} == {"create", "use", "editors"}
    # every command that refuses non-managers at run time is one of the gated group's, and the reverse
    for command in simcord_env.bot.tree.walk_commands():
        if isinstance(command, discord.app_commands.Command):
            assert _calls_require_manager(command) == (command.root_parent is not None
                                                        and command.root_parent.name in gated), command.qualified_name
    assert all(c.get("contexts") == [0] for c in registered.values())  # still offered in servers only


async def test_a_writer_does_not_see_project_and_an_admin_override_still_meets_the_check(simcord_env, room):
    await simcord_env.bot.tree.sync()
    guild, channel, boss, writer = room_3(simcord_env)
    with pytest.raises(SetupError, match="default-member-permissions"):
        await writer.slash(channel, "project create", name="mine")
    await boss.slash(channel, "project create", name="jade")
    project_id = next(c["id"] for c in simcord_env.backend.commands[None].values() if c["name"] == "project")
    guild.set_command_permissions(int(project_id), {writer: True})  # Server Settings > Integrations
    refused = await writer.slash(channel, "project editors", role=guild.create_role("Writers"))
    assert "Manage Server" in private_reply(refused).content
    refused = await writer.slash(channel, "project create", name="mine")
    assert "Manage Server" in private_reply(refused).content
    assert [p.name for p, _ in room.list_projects(f"discord:{guild.id}")] == ["jade"]
    assert "editor_role_id" not in room.project("jade", f"discord:{guild.id}").settings
    simcord_env.errors.clear()


async def test_settings_shows_the_project_to_anyone_and_changes_only_for_editors(simcord_env, room):
    await simcord_env.bot.tree.sync()
    guild, channel, boss, writer = room_3(simcord_env)
    await boss.slash(channel, "project create", name="jade")
    card = await writer.slash(channel, "settings")
    assert card.response.embeds[0].title == "jade" and not card.response.ephemeral
    refused = await writer.slash(channel, "settings", paywall_episode=3)
    assert "Only editors" in private_reply(refused).content
    simcord_env.errors.clear()
    saved = await boss.slash(channel, "settings", paywall_episode=3, language="zh")
    assert private_reply(saved).content == "设置已保存。"  # the project's new language answers at once
    assert room.project("jade", f"discord:{guild.id}").settings == {"paywall_episode": 3, "language": "zh-CN"}  # zh, normalised
