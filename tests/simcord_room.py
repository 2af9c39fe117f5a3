"""The server every Discord test meets: "Room 3" with a #writers channel, a showrunner who may Manage
Server (an editor) and a writer who may not."""

import discord


def room_3(env, guild_id: int | None = None):
    """(guild, channel, showrunner, writer) in SimCord ``env``; ``guild_id`` pins the server's id (a bot
    restarted on the same data must meet the server its projects belong to)."""
    guild = env.create_guild(name="Room 3", **({"id": guild_id} if guild_id else {}))
    channel = guild.create_text_channel("writers")
    showrunner = guild.add_member(env.create_user("showrunner"), roles=[
        guild.create_role("Showrunner", permissions=discord.Permissions(manage_guild=True))])
    writer = guild.add_member(env.create_user("writer"))
    return guild, channel, showrunner, writer


def private_reply(result):
    """The message only the user who acted sees (an error, a confirmation): the response or a follow-up."""
    shown = [m for m in [result.response, *result.followups] if m is not None]
    private = [m for m in shown if m.ephemeral]
    assert private, f"no private reply among {[m.content for m in shown]}"
    said = private[-1].content
    assert not [m for m in shown if not m.ephemeral and said in m.content], "the same was said in public"
    return private[-1]
