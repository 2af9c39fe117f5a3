"""A generated scene joins canon as a new entry, never over a hand-written scene of the same name (on
Discord and with `write --accept`), and a take an editor revised stays its author's, buttons and all."""

import pytest
from simcord_room import room_3

from bot.canon.models import EntryIn
from bot.room import WritersRoom

pytestmark = pytest.mark.simcord(settle_timeout=60)

SCENE = "INT. GU MANSION - STUDY - NIGHT\n\nLin Wan freezes at the safe.\n\nGU CHEN\nExplain this.\n"
HAND_WRITTEN = "INT. GU MANSION - STUDY - NIGHT\n\nThe room's own version, rewritten by hand over a week."


def _hand_written_scene(room, project) -> str:
    return room.add_entry(project, EntryIn(kind="scene", name="Caught at the safe", episode=7, text=HAND_WRITTEN),
                          "discord:1:showrunner").id


async def test_accepting_a_draft_keeps_the_hand_written_scene_of_that_name(jade_world, llm, room):
    env, guild, channel, boss, writer = jade_world
    project = room.project("jade", f"discord:{guild.id}")
    kept = _hand_written_scene(room, project)
    llm.queue(SCENE)
    await writer.slash(channel, "scene", brief="Caught at the safe", episode=7)
    await boss.click(channel.threads[-1].last_message, label="Accept into canon")
    assert f"(`{kept}-2`)" in channel.threads[-1].last_message.content
    assert room.find_entry(project, kept).text == HAND_WRITTEN and room.find_entry(project, kept).revision == 1
    assert "Explain this." in room.find_entry(project, f"{kept}-2").text


async def test_an_editors_revision_leaves_the_take_to_its_author(jade_world, llm, room):
    """The reviser became the new take's author, and the writer who asked for the scene lost its buttons."""
    env, guild, channel, boss, writer = jade_world
    llm.queue(SCENE, SCENE.replace("Explain this.", "You have ten seconds."))
    await writer.slash(channel, "scene", brief="Caught at the safe")
    thread = channel.threads[-1]
    shown = await boss.click(thread.last_message, label="Revise")
    await boss.submit_modal(shown, {"notes": "Colder"})
    assert "You have ten seconds." in thread.last_message.content
    discarded = await writer.click(thread.last_message, label="Discard")
    assert not discarded.ephemeral, discarded.response.content
    assert "Draft discarded." in thread.last_message.content


def test_write_accept_keeps_the_hand_written_scene_of_that_name(jade, cli, settings, llm, monkeypatch):
    import bot.cli.writing

    kept = _hand_written_scene(jade, "jade")
    monkeypatch.setattr(bot.cli.writing, "open_room", lambda: WritersRoom(settings, embedder=jade.embedder))
    llm.queue(SCENE)
    out = cli("write", "--project", "jade", "--episode", "7", "--accept", "Caught at the safe")
    assert out.exit_code == 0 and f"saved as {kept}-2" in out.stderr
    assert jade.find_entry("jade", kept).text == HAND_WRITTEN
