"""/storyboard on SimCord: a thread with progress, the contact sheet and shot list attached, and a
scene naming someone canon does not know is a short message, not a crash."""

import json

from test_discord import make_project, replies, simcord_bot, world  # noqa: F401 (fixtures)
from test_storyboard import SCENE, shots_for

from bot.production.scene import read_fountain


async def test_storyboard_scene_posts_contact_sheet_in_a_thread(world, bible_file, llm):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    llm.queue(json.dumps(shots_for(read_fountain(SCENE, "x").runtime)))
    result = await writer.slash(channel, "storyboard scene", text=SCENE, episode=7)
    assert "Storyboarding in" in replies(result)[-1].content
    board = channel.threads[-1].last_message
    assert board.content.startswith("**Storyboard** · INT. GU MANSION - STUDY - NIGHT · episode 7: 4 shots")
    assert [a.filename for a in board.attachments] == ["contact.png", "contact.pdf", "storyboard.md",
                                                       "storyboard.json"]


async def test_storyboard_of_an_unknown_character_says_so_in_the_thread(world, bible_file, llm):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    await writer.slash(channel, "storyboard scene", text="INT. ROOF - NIGHT\n\nSTRANGER\nBoo.\n", episode=3)
    assert "not a character in canon as of episode 3: STRANGER" in channel.threads[-1].last_message.content
    assert llm.requests == []
