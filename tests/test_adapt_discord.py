"""/adapt on SimCord: an editor imports a novel from an attachment, anyone lists its names and proposes some
for canon, and only an editor's Approve puts one in canon."""

from simcord_room import private_reply
from test_adapt import NOVEL
from test_discord import handled_errors, replies, simcord_bot, world  # noqa: F401 (fixtures)


async def test_adapt_import_names_and_accept_through_review(world, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await showrunner.slash(channel, "project create", name="jade")
    denied = await writer.slash(channel, "adapt import", file=("yuxi.txt", NOVEL.encode("gb18030")))
    assert "Only editors can import a novel." in private_reply(denied).content
    imported = await showrunner.slash(channel, "adapt import", file=("yuxi.txt", NOVEL.encode("gb18030")))
    text = "\n".join(m.content for m in replies(imported))
    assert "Imported **yuxi.txt**: 4 chapters" in text and "chapter 0" in text
    project = room.project("jade", f"discord:{guild.id}")
    assert [c.number for c in room.novel_chapters(project.id)] == [0, 1, 2, 3]
    assert room.entries(project.id) == []

    listed = await writer.slash(channel, "adapt chapters")
    assert "3. 玉玺" in "\n".join(m.content for m in replies(listed))
    names = await writer.slash(channel, "adapt names", min_count=2)
    shown = "\n".join(m.content for m in replies(names))
    assert "**林婉** (character)" in shown and "first in chapter 1" in shown

    accepted = await writer.slash(channel, "adapt accept", names="林婉，无此人")
    said = "\n".join(m.content for m in replies(accepted))
    assert "Proposal #1: 林婉" in said and "Skipped 无此人: not found in the novel" in said
    assert room.entries(project.id) == []  # a proposal, not canon
    posted = channel.last_message
    assert "#1" in posted.content
    refused = await writer.click(posted, label="Approve")
    assert "Only editors" in private_reply(refused).content
    await showrunner.click(posted, label="Approve")
    assert [e.name for e in room.entries(project.id)] == ["林婉"]
    assert handled_errors(env)
