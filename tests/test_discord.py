"""The Discord surface on SimCord: real discord.py machinery against an in-memory Discord."""

import json
import os
import re

import discord
import pytest
from discord import app_commands
from simcord_room import private_reply, room_3

from bot.canon.errors import CanonError
from bot.canon.models import EntryIn
from bot.client import create_bot

# a shared 2-core machine can take seconds to start the bot's vector process: settle patiently
pytestmark = pytest.mark.simcord(settle_timeout=60)

SCENE = "INT. GU MANSION - STUDY - NIGHT\n\nLin Wan freezes at the safe.\n\nGU CHEN\nExplain this.\n"


@pytest.fixture
def simcord_bot(request, settings, room):
    """The bot over the tests' shared room, or (parametrized "own room") the room it builds to run."""
    own = getattr(request, "param", None) == "own room"
    return create_bot(settings, None if own else room)


@pytest.fixture
async def world(simcord_env):
    await simcord_env.bot.tree.sync()
    guild, channel, showrunner, writer = room_3(simcord_env)
    return simcord_env, guild, channel, showrunner, writer


def handled_errors(env) -> list[str]:
    """Acknowledge the errors the bot turned into user replies, and check they were domain errors."""
    errors = [getattr(e, "original", e) for e in env.errors]
    assert all(isinstance(e, CanonError) for e in errors), errors
    return [str(e) for e in errors]


def replies(result) -> list:
    """The messages an interaction produced: its response, then any follow-ups."""
    return [m for m in [result.response, *result.followups] if m is not None]


async def make_project(channel, showrunner, bible_file):
    await showrunner.slash(channel, "project create", name="jade")
    return await showrunner.slash(channel, "canon import", file=("bible.json", bible_file.read_bytes()))


@pytest.mark.parametrize("simcord_bot", ["own room"], indirect=True)
async def test_bot_as_run_indexes_in_a_child_process_that_stops_with_it(world, bible_file):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    result = await writer.slash(channel, "ask", question="Who stole the jade seal?")
    assert "`ep7`" in "\n".join(m.content for m in replies(result))
    vectors = env.bot.room.vector_process
    pid = vectors.pid
    assert pid is not None and pid != os.getpid()
    await env.bot.close()
    assert vectors.pid is None


async def test_unbound_channel_gets_a_hint(world):
    env, guild, channel, showrunner, writer = world
    result = await writer.slash(channel, "ask", question="Who is Wanwan?")
    assert "/project create" in private_reply(result).content
    assert len(handled_errors(env)) == 1


async def test_project_import_ask_with_sources(world, bible_file):
    env, guild, channel, showrunner, writer = world
    imported = await make_project(channel, showrunner, bible_file)
    assert "6 new" in imported.response.content
    assert re.search(r"Searchable by name and keyword [\d.]+ s after the upload; semantic index complete [\d.]+ s",
                     imported.response.content)
    result = await writer.slash(channel, "ask", question="Who stole the jade seal?")
    text = "\n".join(m.content for m in replies(result))
    assert "Su Mei steals the jade seal" in text and "`ep7`" in text


async def test_non_editor_add_becomes_proposal_only_editors_approve(world, bible_file, room):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    proposed = await writer.slash(channel, "canon add", kind="character", name="Dr. Zhou",
                                  text="The family doctor who forged the first DNA test.")
    assert "Proposal #" in proposed.response.content
    project = room.project("jade", f"discord:{guild.id}")
    assert room.store.find_by_name(project.id, "Dr. Zhou") == []
    message = channel.last_message
    denied = await writer.click(message, label="Approve")
    assert "Only editors" in private_reply(denied).content
    await showrunner.click(message, label="Approve")
    entry = room.store.find_by_name(project.id, "Dr. Zhou")[0]
    author = room.history(project.id, entry.id)[0].author
    assert "writer" in author and "approved by" in author and "showrunner" in author


async def test_canon_add_modal_and_show(world, bible_file):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    shown = await showrunner.slash(channel, "canon add", kind="location", name="Rooftop")
    assert shown.modal is not None
    await showrunner.submit_modal(shown, {"text": "Where Gu Chen goes to think.", "aliases": "roof"})
    card = await writer.slash(channel, "canon show", name="roof")
    assert card.response.embeds[0].description == "Where Gu Chen goes to think."


async def test_entry_names_autocomplete_and_guilds_are_isolated(world, bible_file, simcord_env):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    choices = await writer.autocomplete(channel, "canon show", "name", "wan")
    assert [c["value"] for c in choices] == ["lin-wan"]
    other = env.create_guild(name="Other room")
    other_channel = other.create_text_channel("general")
    boss = other.add_member(env.create_user("boss"),
                            roles=[other.create_role("Boss", permissions=discord.Permissions(manage_guild=True))])
    assert await boss.autocomplete(other_channel, "project use", "name", "") == []
    failed = await boss.slash(other_channel, "project use", name="jade")
    assert "no project named 'jade'" in private_reply(failed).content
    handled_errors(env)
    await boss.slash(other_channel, "project create", name="jade")  # same name, separate project
    assert await boss.autocomplete(other_channel, "canon show", "name", "wan") == []


async def test_model_output_cannot_ping_and_long_output_splits(world, bible_file, llm):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    long_answer = "@everyone listen. " + "\n".join(f"Line {i}: Lin Wan is a nurse." for i in range(120))
    llm.queue(json.dumps({"answer": long_answer, "citations": ["lin-wan"]}))
    result = await writer.slash(channel, "ask", question="Tell me everything about Wanwan")
    assert len(replies(result)) >= 2 and all(len(m.content) <= 2000 for m in replies(result))
    sent = [m for m in channel.history() if "@everyone" in m.content]
    assert sent and not any(m.mention_everyone for m in sent)


async def test_scene_in_thread_with_buttons_that_survive_restart(world, bible_file, llm, settings, room):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    llm.queue(SCENE)
    result = await writer.slash(channel, "scene", brief="Gu Chen catches Lin Wan at the safe",
                                characters="Lin Wan, Gu Chen", episode=7)
    assert "Drafting in" in replies(result)[-1].content
    thread = channel.threads[-1]
    draft_message = thread.last_message
    assert "GU CHEN" in draft_message.content
    await env.restart_bot(create_bot(settings, room))
    await showrunner.click(draft_message, label="Accept into canon")
    project = room.project("jade", f"discord:{guild.id}")
    scenes = [e for e in room.entries(project.id) if e.kind.value == "scene"]
    assert len(scenes) == 1 and "Explain this." in scenes[0].text


async def test_twist_votes_tally(world, bible_file, llm):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    llm.queue(json.dumps({"twists": [
        {"title": "Grandma knew", "twist": "She planned the swap.", "pays_off": ["lin-wan"], "changes": "All"},
        {"title": "Fake seal", "twist": "The seal was a copy.", "pays_off": ["seal"], "changes": "The theft"}]}))
    await writer.slash(channel, "twist", about="the seal", count=2)
    message = channel.last_message
    await writer.click(message, label="Vote 2")
    await showrunner.click(message, label="Vote 2")
    assert "2 votes" in channel.last_message.content


async def test_help_lists_commands(world):
    env, guild, channel, showrunner, writer = world
    result = await writer.slash(channel, "help")
    assert "/ask question" in private_reply(result).content


async def test_check_continuity_message_menu(world, bible_file, llm):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    posted = await writer.send(channel, "Gu Chen hands Lin Wan the jade seal with a smile.")
    llm.queue(json.dumps({"issues": [{"quote": "hands Lin Wan the jade seal", "entry_id": "gu-chen",
                                      "severity": "high", "problem": "He distrusts her", "fix": "Make him wary"}]}))
    result = await writer.context_menu(channel, "Check continuity", posted or channel.last_message)
    text = "\n".join(m.content for m in replies(result))
    assert "[high]" in text and "**Gu Chen** (`gu-chen`)" in text


async def test_revise_modal_streams_a_new_take(world, bible_file, llm):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    llm.queue(SCENE, SCENE.replace("Explain this.", "You have ten seconds."))
    await writer.slash(channel, "scene", brief="Caught at the safe", characters="Lin Wan")
    thread = channel.threads[-1]
    shown = await writer.click(thread.last_message, label="Revise")
    await writer.submit_modal(shown, {"notes": "Make Gu Chen colder"})
    assert "You have ten seconds." in thread.last_message.content
    assert "Make Gu Chen colder" in llm.prompt_text()


async def test_model_commands_have_a_per_user_cooldown(world, bible_file, llm):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    # model answers count; an answer quoted from canon (no model, or the model failed) is refunded
    llm.queue(*[json.dumps({"answer": "A night-shift nurse.", "citations": ["lin-wan"]})] * 4)
    for _ in range(3):
        await writer.slash(channel, "ask", question="Who is Wanwan?")
    limited = await writer.slash(channel, "ask", question="Who is Wanwan?")
    assert "Slow down" in private_reply(limited).content
    cooled = [getattr(e, "original", e) for e in env.errors]  # answered with "Slow down", nothing else failed
    assert [type(e) for e in cooled] == [app_commands.CommandOnCooldown]
    other = await showrunner.slash(channel, "ask", question="Who is Wanwan?")
    assert not other.ephemeral


async def test_only_editors_import(world, bible_file):
    env, guild, channel, showrunner, writer = world
    await showrunner.slash(channel, "project create", name="jade")
    denied = await writer.slash(channel, "canon import", file=("bible.json", bible_file.read_bytes()))
    assert "Only editors" in private_reply(denied).content
    handled_errors(env)


async def test_discord_rest_failure_is_a_short_error_not_a_crash(world, bible_file, llm):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    env.inject_error("POST", "/channels/*/threads", status=500)
    llm.queue(SCENE)
    result = await writer.slash(channel, "scene", brief="Caught at the safe")
    assert replies(result)[-1].content == "Something went wrong on our side; it has been logged."
    assert all(isinstance(getattr(e, "original", e), discord.HTTPException) for e in env.errors)


async def test_an_editor_by_role_edits_canon_and_settings(world, bible_file, room):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    writers_role = guild.create_role("Writers")
    editor = guild.add_member(env.create_user("editor"), roles=[writers_role])
    set_role = await showrunner.slash(channel, "project editors", role=writers_role)
    assert "Settings saved" in set_role.response.content
    direct = await editor.slash(channel, "canon add", kind="location", name="Rooftop", text="Where Gu Chen thinks.")
    assert direct.response.content.startswith("Saved Rooftop")  # an editor by role: no proposal
    assert "Settings saved" in (await editor.slash(channel, "settings", paywall_episode=12)).response.content
    project = room.project("jade", f"discord:{guild.id}")
    assert project.settings["editor_role_id"] == writers_role.id and project.settings["paywall_episode"] == 12
    handled_errors(env)


async def test_rejecting_a_proposal_leaves_canon_alone_and_history_names_people(world, bible_file, room):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    await writer.slash(channel, "canon add", kind="character", name="Dr. Zhou", text="The family doctor.")
    proposal_message = channel.last_message
    await showrunner.click(proposal_message, label="Reject")
    assert "**Rejected** by showrunner: add Dr. Zhou" in channel.last_message.content, channel.last_message.content
    project = room.project("jade", f"discord:{guild.id}")
    assert room.store.find_by_name(project.id, "Dr. Zhou") == []
    assert [p.status for p in room.proposals(project.id, None)] == ["rejected"]
    await writer.slash(channel, "canon add", kind="character", name="Dr. Zhou", text="The family doctor.")
    await showrunner.click(channel.last_message, label="Approve")
    history = await writer.slash(channel, "canon history", name="Dr. Zhou")
    assert "create by writer (approved by showrunner) ·" in history.response.content, history.response.content


async def test_canon_edit_delete_restore_and_history(world, bible_file, room):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    shown = await showrunner.slash(channel, "canon edit", name="lin-wan")
    await showrunner.submit_modal(shown, {"text": "A night-shift nurse, now suspected of theft.", "aliases": "Wanwan"})
    deleted = await showrunner.slash(channel, "canon delete", name="Lin Wan")
    await showrunner.click(deleted.response.message, label="Confirm")
    project = room.project("jade", f"discord:{guild.id}")
    assert room.store.find_by_name(project.id, "Lin Wan") == []
    restored = await showrunner.slash(channel, "canon restore", name="lin-wan", revision=2)
    assert "Restored **Lin Wan** to revision 2 (now revision 4)" in restored.response.content
    assert room.find_entry(project.id, "Wanwan").text == "A night-shift nurse, now suspected of theft."
    lines = (await writer.slash(channel, "canon history", name="lin-wan")).response.content.splitlines()
    assert [line.split(" by ")[0] for line in lines[1:]] == ["`rev 1` create", "`rev 2` update", "`rev 3` delete",
                                                            "`rev 4` restore"]
    assert all(" by showrunner ·" in line for line in lines[2:])
    denied = await writer.slash(channel, "canon restore", name="lin-wan", revision=1)
    assert "Only editors" in private_reply(denied).content
    handled_errors(env)


async def test_scene_buttons_belong_to_the_author_and_editors(world, bible_file, llm, room):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    other = guild.add_member(env.create_user("other_writer"))
    llm.queue(SCENE)
    await writer.slash(channel, "scene", brief="Gu Chen catches Lin Wan at the safe", characters="Lin Wan")
    draft_message = channel.threads[-1].last_message
    for label in ("Discard", "Continue", "Accept into canon"):
        denied = await other.click(draft_message, label=label)
        assert private_reply(denied), label
    form = await other.click(draft_message, label="Revise")  # the form opens at once; sending it is refused
    denied = await other.submit_modal(form, {"notes": "Make it darker."})
    assert private_reply(denied)
    assert len(llm.requests) == 1  # no model call started by someone else's click
    denied = await writer.click(draft_message, label="Accept into canon")
    assert "Only editors" in private_reply(denied).content
    llm.queue(SCENE.replace("Explain this.", "Keep going."))
    await writer.click(draft_message, label="Continue")
    assert "Keep going." in channel.threads[-1].last_message.content
    newest = channel.threads[-1].last_message
    gone = await showrunner.click(newest, label="Discard")
    assert gone.followups[-1].content == "Draft discarded."
    project = room.project("jade", f"discord:{guild.id}")
    assert [e for e in room.entries(project.id) if e.kind.value == "scene"] == []
    handled_errors(env)


async def test_scene_buttons_share_the_model_cooldown(world, bible_file, llm):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    llm.queue(SCENE)
    await writer.slash(channel, "scene", brief="Caught at the safe")
    draft_message = channel.threads[-1].last_message
    for _ in range(2):  # three model calls that worked, with the scene (failed calls are not counted)
        llm.queue(json.dumps({"answer": "A night-shift nurse.", "citations": ["lin-wan"]}))
        await writer.slash(channel, "ask", question="Who is Wanwan?")
    limited = await writer.click(draft_message, label="Continue")
    assert "Slow down" in private_reply(limited).content
    assert len(llm.requests) == 3  # the scene and two answers; the Continue never reached the model
    handled_errors(env)


async def test_an_error_in_a_persistent_button_gets_a_reply(world, bible_file, llm, room):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    llm.queue(json.dumps({"twists": [{"title": "Fake seal", "twist": "A copy.", "pays_off": ["seal"], "changes": "All"}]}))
    await writer.slash(channel, "twist", about="the seal", count=1)
    from sqlalchemy import delete

    from bot.canon.workflow import DraftRow

    with room.store._tx() as s:
        s.execute(delete(DraftRow))
    failed = await writer.click(channel.last_message, label="Vote 1")
    assert "no longer exists" in private_reply(failed).content
    handled_errors(env)


async def test_slow_model_calls_do_not_starve_lookups(world, bible_file, room, monkeypatch):
    """Model calls run on the bot's own bounded executor; lookups and autocomplete keep asyncio's
    default pool (min(32, cores + 4) threads) even when that many model calls hang."""
    import asyncio
    import threading

    from bot.cogs.work import before_answering

    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    threads, ask = [], room.ask
    monkeypatch.setattr(room, "ask", lambda *a, **k: threads.append(threading.current_thread().name) or ask(*a, **k))
    await writer.slash(channel, "ask", question="Who is Wanwan?")
    assert threads and threads[0].startswith("cliffhanger-model")
    release = threading.Event()
    hung = [asyncio.ensure_future(env.bot.model_limit.run(release.wait, 30)) for _ in range(min(32, os.cpu_count() + 4))]
    try:
        assert await asyncio.wait_for(before_answering(room.entry_names_matching, room.project("jade", f"discord:{guild.id}"),
                                               "wan"), 10) == [("lin-wan", "Lin Wan")]
    finally:
        release.set()
        await asyncio.gather(*hung)


# Each save re-indexes the long entry behind the reply, and SimCord settles only when that is done: on a busy
# 2-core machine that can take minutes, so the settle wait is generous (it ends as soon as the bot is idle)
@pytest.mark.simcord(settle_timeout=900)
async def test_long_entries_are_edited_as_a_file_round_trip(world, bible_file, room):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    project = room.project("jade", f"discord:{guild.id}")
    long_text = "\n".join(f"Episode {i}: Lin Wan covers another night shift." for i in range(1, 90))
    assert 4000 < len(long_text) < 5000  # just over what a form holds: no more text to index than that needs
    room.change_entry(project.id, "edit", {**room.find_entry(project.id, "lin-wan").model_dump(exclude={"revision"}),
                                           "text": long_text}, "cli:ann")
    offered = await showrunner.slash(channel, "canon edit", name="lin-wan")
    assert offered.modal is None and "more than a form holds" in private_reply(offered).content
    attached = offered.response.attachments[0]
    assert attached.filename == "lin-wan.rev2.txt"
    edited = long_text.replace("another night shift", "a double shift")
    saved = await showrunner.slash(channel, "canon edit", name="lin-wan", file=(attached.filename, edited.encode()))
    assert saved.response.content == "Saved Lin Wan (revision 3)"
    assert room.find_entry(project.id, "lin-wan").text == edited
    stale = await showrunner.slash(channel, "canon edit", name="lin-wan", file=(attached.filename, b"Old copy."))
    assert "changed since" in private_reply(stale).content  # the rev2 file cannot undo rev 3
    assert room.find_entry(project.id, "lin-wan").text == edited
    handled_errors(env)


async def test_autocomplete_values_fit_discord_and_still_find_the_entry(world, bible_file, room):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    long_id = "note-" + "x" * 123
    room.add_entry(room.project("jade", f"discord:{guild.id}").id,
                   EntryIn(id=long_id, kind="note", name="Writers' room rules", text="No phones."), "cli:ann")
    room.indexes.wait_for_upkeep()  # autocomplete answers from the index as it stands, caught up behind the write
    choices = await writer.autocomplete(channel, "canon show", "name", "rules")
    assert len(long_id) == 128 and all(len(c["value"]) <= 100 for c in choices)
    shown = await writer.slash(channel, "canon show", name=choices[0]["value"])
    assert shown.response.embeds[0].footer.text.startswith(f"id {long_id} ")


async def test_a_scene_takes_a_bounded_number_of_characters(world, bible_file, llm):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    result = await writer.slash(channel, "scene", brief="Everyone at dinner", characters=", ".join(["Lin Wan"] * 2 + [
        f"Guest {i}" for i in range(12)]))
    assert "at most 8 characters" in private_reply(result).content
    assert llm.requests == [] and channel.threads == []
    handled_errors(env)


async def test_an_import_outliving_its_interaction_reports_in_the_channel(world, bible_file, monkeypatch):
    from bot import ui

    env, guild, channel, showrunner, writer = world
    await showrunner.slash(channel, "project create", name="jade")
    monkeypatch.setattr(ui, "TOKEN_LIFETIME", 0.0)  # as if the import took longer than 15 minutes
    result = await showrunner.slash(channel, "canon import", file=("bible.json", bible_file.read_bytes()))
    assert "Imported" not in (result.response.content or "")  # the expired interaction is left alone
    assert "Imported **bible.json**: 6 new" in channel.last_message.content


async def test_long_twists_are_posted_whole_and_voted_in_a_short_ballot(world, bible_file, llm):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    long = "The seal changes hands again. " * 40
    llm.queue(json.dumps({"twists": [{"title": f"Twist {n}", "twist": long, "pays_off": ["seal"], "changes": "All"}
                                     for n in (1, 2, 3)]}))
    await writer.slash(channel, "twist", about="the seal", count=3)
    ballot = channel.last_message
    await writer.click(ballot, label="Vote 3")
    assert channel.last_message.content.endswith("3. Twist 3 · 1 vote")
    assert len(channel.last_message.content) < 2000
    posted = "\n".join(m.content for m in channel.history())
    assert posted.count(long.strip()) >= 1  # the twists themselves were posted (split or attached), not cut


async def test_autocomplete_and_the_edit_form_answer_while_every_lookup_thread_is_busy(world, bible_file):
    """An import's writes hold the records' write lock for seconds, and every lookup thread may be waiting on
    it (or walking every entry): autocomplete's choices and the edit form must not queue behind them."""
    import asyncio
    import threading

    from bot.cogs.work import LOOKUP_WORKERS, LOOKUPS

    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    release, started = threading.Event(), threading.Semaphore(0)

    def busy():
        started.release()
        release.wait()

    blockers = [LOOKUPS.submit(busy) for _ in range(LOOKUP_WORKERS)]
    try:
        for _ in blockers:
            await asyncio.to_thread(started.acquire)  # every lookup thread is taken
        choices = await asyncio.wait_for(writer.autocomplete(channel, "canon show", "name", "wan"), 120)
        form = await asyncio.wait_for(showrunner.slash(channel, "canon edit", name="Lin Wan"), 120)
        assert not all(b.done() for b in blockers)  # answered while the lookups were still held
    finally:
        release.set()
    assert [c["value"] for c in choices] == ["lin-wan"]
    assert form.modal is not None
