"""/storyboard on SimCord: a thread with progress, the contact sheet and shot list attached, and a
scene naming someone canon does not know is a short message, not a crash."""

import json

from simcord_room import private_reply
from test_discord import handled_errors, make_project, replies, simcord_bot, world  # noqa: F401 (fixtures)
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


async def test_promo_posts_the_kit_and_only_editors_allow_spoilers(world, bible_file, llm):  # noqa: F811
    from test_promo import kit, teaser

    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    denied = await writer.slash(channel, "promo", episode=12, count=1, angles="revenge", allow_spoilers=True)
    assert "Only editors" in private_reply(denied).content
    assert handled_errors(env) == ["Only editors can allow spoilers past the paywall in promos."]
    llm.queue(kit(teaser("revenge")))
    result = await writer.slash(channel, "promo", episode=3, count=1, angles="revenge")
    texts = [m.content for m in replies(result)]
    assert any("# Promo kit: jade, episode 3" in t for t in texts)
    assert replies(result)[-1].attachments[0].filename == "promo-episode-3.json"


async def test_glossary_set_by_editor_and_translate_reports_misses(world, bible_file, llm, room):  # noqa: F811
    from test_localize import EN, ZH

    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    denied = await writer.slash(channel, "glossary set", to="zh", name="Lin Wan", rendering="林婉")
    assert "Only editors" in private_reply(denied).content
    handled_errors(env)
    for name, rendering in (("Lin Wan", "林婉"), ("Gu Chen", "顾辰")):
        await showrunner.slash(channel, "glossary set", to="zh", name=name, rendering=rendering)
    shown = await writer.slash(channel, "glossary show", to="zh")
    assert "Lin Wan / Wanwan / 婉婉 -> 林婉" in "\n".join(m.content for m in replies(shown))
    nickname = await showrunner.slash(channel, "glossary set", to="en", name="Wanwan", rendering="Wanwan")
    assert nickname.response.content.startswith("**Wanwan** (Lin Wan) → Wanwan [en]")  # the alias's, not hers
    llm.queue(ZH.replace("顾辰\n", "顾总\n"), ZH.replace("顾辰\n", "顾总\n"))
    result = await writer.slash(channel, "translate", to="zh", text=EN)
    last = replies(result)[-1]
    assert "cue '顾总' should be '顾辰'" in last.content and last.attachments[0].filename == "scene.zh.fountain"


async def test_canon_look_is_set_by_editors_proposed_by_others_and_shown(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    await showrunner.slash(channel, "canon look", name="lin-wan", look="chin-length black bob, pale blue scrubs")
    proposed = await writer.slash(channel, "canon look", name="gu-chen", look="charcoal suit")
    assert "Proposal #" in proposed.response.content
    project = room.project("jade", f"discord:{guild.id}")
    assert room.store.get_entry(project.id, "gu-chen").look is None
    card = await writer.slash(channel, "canon show", name="lin-wan")
    assert card.response.embeds[0].fields[-1].value == "chin-length black bob, pale blue scrubs"
    shown = await writer.slash(channel, "canon look", name="lin-wan")
    assert shown.response.content == "**Lin Wan**: chin-length black bob, pale blue scrubs"
