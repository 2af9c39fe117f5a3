"""Discord as it really is: every interaction acknowledged before slow work, every payload within Discord's
limits (the conformance fixture refuses any other, as Discord would), work that cannot starve other work,
and replies that outlive their token. SimCord's clock is virtual, so these tests check order, not speed
(benchmarks/interaction_latency.py measures real time)."""

import asyncio
import base64
import io
import json
import os
import threading
import zipfile

import discord
import discord_conformance as discord_conformance_module
import pytest
from discord import app_commands
from simcord_room import private_reply, room_3
from sqlalchemy import event
from test_discord import handled_errors, make_project, replies, simcord_bot, world  # noqa: F401 (fixtures)

from bot.canon.models import EntryIn

pytestmark = pytest.mark.simcord(settle_timeout=60)


def jade(room, guild):
    return room.project("jade", f"discord:{guild.id}")


def all_text(result) -> str:
    return "".join(m.content for m in replies(result))


# -- the conformance layer itself ---------------------------------------------------------------------------

async def test_the_conformance_layer_refuses_what_discord_would(world, discord_conformance):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    with discord_conformance.expect_violation() as caught:
        with pytest.raises(discord.HTTPException):
            await env.bot.get_channel(channel.id).send("x" * 2001)
    assert caught and caught[0][2] == ["content of 2001 characters (at most 2000)"]
    choices = [{"name": str(i), "value": "v" * 101} for i in range(26)]
    found = discord_conformance_module.problems("POST", "/interactions/1/t/callback", {"type": 8, "data": {
        "choices": choices}}, [])
    assert found[0] == "26 autocomplete choices (at most 25)" and "choice value of 101 characters (at most 100)" in found


# -- sizes ---------------------------------------------------------------------------------------------------

async def test_a_look_longer_than_a_message_reaches_the_user_whole(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    look = ("Scar over the left brow, jade hairpin, grey nurse's cardigan; " * 40)[:2000]
    room.set_look(jade(room, guild).id, "lin-wan", look, "cli:ann")
    shown = await writer.slash(channel, "canon look", name="Lin Wan")
    assert all_text(shown) == f"**Lin Wan**: {look}"


async def test_an_entry_card_fits_discords_embed_total(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    room.add_entry(jade(room, guild).id, EntryIn(
        id="gu-mansion", kind="location", name="The Gu family mansion on the hill " * 5,
        aliases=[f"the old house number {i} on the hill" for i in range(30)], text="Marble halls. " * 600,
        look="Cold marble, red lanterns, a locked study. " * 40), "cli:ann")
    card = (await writer.slash(channel, "canon show", name="gu-mansion")).response.embeds[0]
    assert len(card) <= 6000 and card.description.startswith("Marble halls.")
    assert card.footer.text.startswith("id gu-mansion ")


async def test_a_long_history_is_sent_whole(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    project = jade(room, guild).id
    author = "discord:1:" + "a_very_long_writer_name" * 2 + " (approved by discord:2:" + "showrunner_of_room" * 3 + ")"
    for i in range(24):
        room.edit_entry(project, "lin-wan", {"text": f"Take {i}."}, author)
    history = await writer.slash(channel, "canon history", name="Lin Wan")
    shown = replies(history)
    attached = shown[-1].attachments
    full = (await attached[0].read()).decode() if attached else all_text(history)
    assert "`rev 25` update by" in full and "`rev 6` update by" in full


async def test_an_approved_proposal_keeps_its_message_within_2000_characters(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    producers = guild.create_role("Producers", permissions=discord.Permissions(manage_guild=True))
    approver = guild.add_member(env.create_user("the_executive_producer_of_jade_x"), roles=[producers])
    proposer = guild.add_member(env.create_user("a_writer_with_a_long_user_name_x"))  # 32 characters, Discord's most
    name = ("The second daughter of the Gu family who was switched at birth " * 4)[:200].strip()
    proposed = await proposer.slash(channel, "canon add", kind="character", name=name,
                                    text="Lin Wan's rival in every episode. " * 60)
    await approver.click(proposed.response.message, label="Approve")
    decided = proposed.response
    assert len(decided.content) <= 2000 and "**Approved** by the_executive_producer_of_jade_x: saved" in decided.content
    assert decided.components == []  # the buttons are gone: the decision is made
    assert room.find_entry(jade(room, guild).id, name).text.startswith("Lin Wan's rival")


async def test_the_entry_form_opens_for_an_entry_with_many_aliases_and_keeps_them(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    aliases = [f"Nurse Lin of ward {i}" for i in range(40)]  # 800 characters: more than the field holds
    room.add_aliases(jade(room, guild).id, "lin-wan", aliases, "cli:ann")
    form = await showrunner.slash(channel, "canon edit", name="Lin Wan")
    assert form.modal is not None
    await showrunner.submit_modal(form, {"text": "A night-shift nurse.", "aliases": "Xiao Lin"})
    entry = room.find_entry(jade(room, guild).id, "lin-wan")
    assert entry.text == "A night-shift nurse." and set(aliases) | {"Xiao Lin"} <= set(entry.aliases)


async def test_storyboard_entry_autocomplete_values_fit_discord(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    long_id = "scene-" + "rooftop-confession-" * 6 + "take-two"
    room.add_entry(jade(room, guild).id, EntryIn(id=long_id, kind="scene", name="Rooftop confession",
                                                 text="EXT. ROOF - NIGHT"), "cli:ann")
    room.indexes.wait_for_upkeep()
    choices = await writer.autocomplete(channel, "storyboard entry", "name", "Rooftop")
    assert choices and all(len(c["value"]) <= 100 for c in choices)


def _noise_png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG", compress_level=0)
    return out.getvalue()


@pytest.mark.simcord(settle_timeout=600)  # 12 generated frames of 3 MB on a busy machine
async def test_storyboard_frames_and_sheets_fit_the_upload_limits(world, bible_file, llm, settings):  # noqa: F811
    from test_storyboard import SCENE, shots_for

    from bot.production.scene import read_fountain

    env, guild, channel, showrunner, writer = world
    settings.image_model = "scripted-images"
    await make_project(channel, showrunner, bible_file)
    frame = base64.b64encode(_noise_png(1000, 1000)).decode()  # 3 MB each, incompressible
    llm.queue(json.dumps(shots_for(read_fountain(SCENE, "x").runtime, count=12)))
    llm.queue_images(*[{"b64": frame}] * 12)
    await writer.slash(channel, "storyboard scene", text=SCENE, episode=7)
    thread = channel.threads[-1]
    sent = [a for m in thread.history() for a in m.attachments]
    pdf = [a for a in sent if a.filename == "contact.pdf"]
    assert pdf and pdf[0].size < 10 * 1024 * 1024
    assert sum(1 for a in sent if a.filename.startswith("frame")) >= 12 or len(sent) >= 16


async def test_a_large_export_is_compressed_to_fit_the_upload_limit(world, bible_file, room, monkeypatch):  # noqa: F811
    from simcord import interactions as sim_interactions

    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    limit = 256 * 1024  # as if the server accepted 256 KiB files (SimCord's interactions say 25 MiB)
    build = sim_interactions.base_payload

    def smaller_uploads(*args, **kwargs):
        record, payload = build(*args, **kwargs)
        return record, {**payload, "attachment_size_limit": limit}

    monkeypatch.setattr(sim_interactions, "base_payload", smaller_uploads)
    monkeypatch.setattr(discord_conformance_module, "SIMCORD_INTERACTION_LIMIT", limit)
    room.store.write_entries(jade(room, guild).id, [
        EntryIn(id=f"note-{i}", kind="note", name=f"Note {i}", text="The Gu family keeps its secrets. " * 300)
        for i in range(60)], "cli:ann")
    exported = await writer.slash(channel, "canon export", format="markdown")
    files = [a for m in replies(exported) for a in m.attachments]
    assert files and files[0].filename.endswith(".md.zip") and files[0].size <= limit
    with zipfile.ZipFile(io.BytesIO(await files[0].read())) as z:
        assert "Note 59" in z.read(z.namelist()[0]).decode()


# -- acknowledge first ---------------------------------------------------------------------------------------

class Order:
    """What happened first for each interaction: Discord hearing back ("answer") or the database ("db")."""

    def __init__(self, room, monkeypatch) -> None:
        from simcord.http import router

        self.events: list[str] = []
        route = router.dispatch

        def watched(backend, method, path, **kwargs):
            if path.startswith("/interactions/") and path.endswith("/callback"):
                self.events.append("answer")
            return route(backend, method, path, **kwargs)

        monkeypatch.setattr(router, "dispatch", watched)

        def query(*_args):
            if not threading.current_thread().name.startswith("cliffhanger-upkeep"):  # behind earlier replies
                self.events.append("db")

        event.listen(room.store.engine, "before_cursor_execute", query)
        self.room = room

    async def first(self, action) -> str:
        self.room.indexes.wait_for_upkeep()
        self.events.clear()
        await action
        return self.events[0] if self.events else "nothing"


COMMANDS = [("canon show", {"name": "Lin Wan"}), ("canon look", {"name": "Lin Wan"}),
            ("canon history", {"name": "Lin Wan"}), ("canon add", {"kind": "location", "name": "Roof", "text": "Windy."}),
            ("canon restore", {"name": "Lin Wan", "revision": 1}), ("canon export", {"format": "json"}),
            ("knows", {"character": "Lin Wan"}), ("secret list", {}), ("settings", {}), ("series", {}),
            ("glossary set", {"to": "en", "name": "Lin Wan", "rendering": "Lin Wan"}), ("ask", {"question": "Who is Lin Wan?"}),
            ("adapt chapters", {})]


async def test_every_command_and_button_answers_discord_before_touching_the_database(world, bible_file, room,  # noqa: F811
                                                                                    monkeypatch):
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    order = Order(room, monkeypatch)
    for name, options in COMMANDS:
        assert await order.first(showrunner.slash(channel, name, **options)) == "answer", name
    edited = showrunner.slash(channel, "canon edit", name="Lin Wan", file=("lin-wan.txt", b"A nurse."))
    assert await order.first(edited) == "answer"
    proposed = await writer.slash(channel, "canon add", kind="location", name="Study", text="Books.")
    assert await order.first(showrunner.click(proposed.response.message, label="Approve")) == "answer"
    assert await order.first(showrunner.slash(channel, "canon add", kind="item", name="Fan")) == "answer"  # a form


async def test_a_change_is_answered_before_its_index_catches_up(world, bible_file, room, monkeypatch):  # noqa: F811
    from simcord.http import router

    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    room.indexes.wait_for_upkeep()
    replied, answered_first = threading.Event(), []
    route, catch_up = router.dispatch, room.indexes._upkeep_job

    def watched(backend, method, path, **kwargs):
        if method == "PATCH" and path.endswith("/messages/@original"):
            replied.set()
        return route(backend, method, path, **kwargs)

    def slow_index(project):
        answered_first.append(replied.wait(30))  # the old way indexed inside the command: no reply yet
        return catch_up(project)

    monkeypatch.setattr(router, "dispatch", watched)
    monkeypatch.setattr(room.indexes, "_upkeep_job", slow_index)
    saved = await showrunner.slash(channel, "canon add", kind="location", name="Roof", text="Windy up here. " * 200)
    assert all_text(saved) == "Saved Roof (revision 1)"
    room.indexes.wait_for_upkeep()
    assert answered_first == [True]
    assert [h.id for h in room.retrieve(jade(room, guild), "windy roof", k=1)] == ["location-roof"]


async def test_autocomplete_answers_from_the_index_as_it_stands(world, bible_file, room, monkeypatch):  # noqa: F811
    from bot.canon.retrieval import ProjectIndex

    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    room.indexes.wait_for_upkeep()
    synced = []
    monkeypatch.setattr(ProjectIndex, "sync", lambda self, *a, **k: synced.append(1) or 0)
    choices = await writer.autocomplete(channel, "canon show", "name", "Lin")
    assert [c["value"] for c in choices] == ["lin-wan"] and synced == []


async def test_did_you_mean_reads_names_not_every_entry(world, bible_file, room, monkeypatch):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)

    def every_entry(*_a, **_k):
        raise AssertionError("read every entry's text to suggest a name")

    monkeypatch.setattr(room.store, "iter_entries", every_entry)
    failed = await writer.slash(channel, "canon show", name="Lin Wna")
    assert "did you mean 'Lin Wan'" in private_reply(failed).content
    handled_errors(env)


# -- errors stay private, buttons end with their view ------------------------------------------------------

async def test_an_error_after_thinking_is_seen_only_by_the_user(world, bible_file):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await showrunner.slash(channel, "project create", name="jade")
    failed = await showrunner.slash(channel, "canon import", file=("bible.json", b"{not json"))
    assert "bible.json" in private_reply(failed).content
    handled_errors(env)


async def test_the_delete_confirmation_loses_its_buttons_when_it_times_out(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    asked = await showrunner.slash(channel, "canon delete", name="Lin Wan")
    assert asked.response.components
    await env.advance_time(120)
    assert asked.response.components == [] and "nothing was changed" in asked.response.content
    assert room.find_entry(jade(room, guild), "lin-wan")


async def test_a_button_is_refused_in_another_server(world, bible_file, room):  # noqa: F811
    from bot.cogs.canon import ProposalButton

    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    proposed = await writer.slash(channel, "canon add", kind="location", name="Study", text="Books.")
    proposal_id = room.proposals(jade(room, guild))[0].id
    other, other_channel, other_boss, _ = room_3(env)
    view = discord.ui.View(timeout=None)
    view.add_item(ProposalButton("approve", proposal_id))
    forged = await env.bot.get_channel(other_channel.id).send("Approve this?", view=view)
    refused = await other_boss.click(forged, label="Approve")
    assert "another server" in private_reply(refused).content
    assert room.proposals(jade(room, guild))[0].status == "open" and proposed.response.components
    handled_errors(env)


# -- where commands are offered ------------------------------------------------------------------------------

async def test_commands_are_offered_in_servers_only_and_every_option_is_described(world):  # noqa: F811
    env = world[0]

    def options(node):
        for o in node.get("options", []):
            yield from options(o) if o.get("type") in (1, 2) else [o]

    for command in env.bot.tree.get_commands():
        payload = command.to_dict(env.bot.tree)
        assert payload.get("contexts") == [0], payload["name"]
        assert [o["name"] for o in options(payload) if o.get("description") in ("…", "")] == [], payload["name"]


async def test_a_scene_in_an_announcement_channel_gets_a_news_thread(world, bible_file, llm, monkeypatch):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    news = guild.create_news_channel("announcements")
    await showrunner.slash(news, "project create", name="jade")
    asked, create = [], discord.TextChannel.create_thread

    async def create_thread(self, *, name, type=None, **kwargs):  # SimCord cannot make news threads: record, go on
        asked.append(type)
        return await create(self, name=name, type=discord.ChannelType.public_thread, **kwargs)

    monkeypatch.setattr(discord.TextChannel, "create_thread", create_thread)
    llm.queue("INT. ROOF - NIGHT\n\nLin Wan waits.\n")
    await showrunner.slash(news, "scene", brief="Lin Wan waits on the roof")
    assert asked == [discord.ChannelType.news_thread]


# -- executors, cooldowns and time ---------------------------------------------------------------------------

async def test_a_lookup_is_answered_while_the_default_pool_is_full(world, bible_file):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    release = threading.Event()
    loop = asyncio.get_running_loop()
    hung = [loop.run_in_executor(None, release.wait, 120) for _ in range(min(32, (os.cpu_count() or 1) + 4))]
    try:
        shown = await writer.slash(channel, "canon show", name="Lin Wan")
        assert shown.response.embeds[0].title == "Lin Wan · character"
    finally:
        release.set()
        await asyncio.gather(*hung)


async def test_exports_have_a_per_user_cooldown(world, bible_file):  # noqa: F811
    from bot.cogs.work import RENDER_RATE

    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    for _ in range(RENDER_RATE):
        await writer.slash(channel, "canon export", format="json")
    limited = await writer.slash(channel, "canon export", format="json")
    assert "Slow down" in private_reply(limited).content
    assert [type(getattr(e, "original", e)) for e in env.errors] == [app_commands.CommandOnCooldown]
    assert (await showrunner.slash(channel, "canon export", format="json")).response.attachments  # others go on


async def test_a_model_answer_past_the_tokens_life_goes_to_the_channel(world, bible_file, llm, monkeypatch):  # noqa: F811
    from bot import ui

    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    monkeypatch.setattr(ui, "TOKEN_LIFETIME", 0.0)  # as if the model had taken 15 minutes
    llm.queue(json.dumps({"answer": "A night-shift nurse.", "citations": ["lin-wan"]}))
    await writer.slash(channel, "ask", question="Who is Wanwan?")
    assert channel.last_message.content.startswith(f"<@{writer.id}> > Who is Wanwan?")
    assert "A night-shift nurse." in channel.last_message.content


async def test_a_model_command_has_an_overall_deadline(settings):
    """On a real event loop (SimCord's clock is virtual): the wait ends at the deadline, the user is told,
    and the call does not count to the cooldown."""
    from types import SimpleNamespace

    from bot.cogs.model_calls import ModelLimit, off_model
    from bot.writing.errors import WritingError

    settings.model_deadline = 0.5
    limit, release = ModelLimit(1), threading.Event()
    configured = SimpleNamespace(writer=SimpleNamespace(model=SimpleNamespace(configured=True)))
    interaction = SimpleNamespace(client=SimpleNamespace(settings=settings, model_limit=limit, room=configured), extras={},
                                  user=SimpleNamespace(id=1), created_at=discord.utils.utcnow())
    limit.hit(interaction)
    try:
        with pytest.raises(WritingError, match="longer than 0.5 s"):
            await off_model(interaction, release.wait, 60)
        assert "model_call_counted" not in interaction.extras  # refunded
    finally:
        release.set()
        limit.close()


async def test_a_writers_delete_becomes_a_proposal_in_the_channel(world, bible_file, room):  # noqa: F811
    env, guild, channel, showrunner, writer = world
    await make_project(channel, showrunner, bible_file)
    asked = await writer.slash(channel, "canon delete", name="Lin Wan")
    assert "an editor decides in the channel" in private_reply(asked).content
    await showrunner.click(channel.last_message, label="Approve")
    assert "deleted Lin Wan" in channel.last_message.content
