"""/scene: draft a scene in its own thread, streamed, with persistent Accept/Revise/Continue/Discard."""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands
from discord.ext import commands

from ..canon.errors import CanonError
from ..ui import NO_MENTIONS, await_with_updates, reply_error
from .ask import MODEL_COOLDOWN
from .guild_room import channel_project, is_editor, off_loop, who

CONTINUE_NOTES = "Continue the scene past its last line: keep everything already written and add the next beats."
ACTIONS = {"accept": ("Accept into canon", discord.ButtonStyle.success),
           "revise": ("Revise", discord.ButtonStyle.primary),
           "continue": ("Continue", discord.ButtonStyle.secondary),
           "discard": ("Discard", discord.ButtonStyle.danger)}


class SceneButton(discord.ui.DynamicItem[discord.ui.Button],
                  template=r"cliff:scene:(?P<action>accept|revise|continue|discard):(?P<id>\d+)"):
    def __init__(self, action: str, draft_id: int) -> None:
        label, style = ACTIONS[action]
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=f"cliff:scene:{action}:{draft_id}"))
        self.action, self.draft_id = action, draft_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(match["action"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        room = interaction.client.room
        draft = await off_loop(room.workflow.draft, self.draft_id)
        if draft.status != "open":
            await reply_error(interaction, f"This draft was already {draft.status}.")
            return
        project = await off_loop(room.project, draft.project_id)
        if self.action == "accept":
            if not is_editor(interaction.user, project):
                await reply_error(interaction, "Only editors can accept a scene into canon.")
                return
            entry = await off_loop(room.accept_scene, project.id, draft.text, draft.brief[:80], draft.episode,
                                   who(interaction.user))
            await off_loop(room.workflow.update_draft, draft.id, status="accepted")
            await interaction.response.edit_message(view=None)
            await interaction.followup.send(f"Accepted into canon as **{entry.name}** (`{entry.id}`).",
                                            allowed_mentions=NO_MENTIONS)
        elif self.action == "discard":
            await off_loop(room.workflow.update_draft, draft.id, status="discarded")
            await interaction.response.edit_message(view=None)
            await interaction.followup.send("Draft discarded.")
        elif self.action == "revise":
            await interaction.response.send_modal(ReviseModal(self.draft_id))
        else:
            await interaction.response.defer()
            await stream_revision(interaction, draft.id, CONTINUE_NOTES)


class ReviseModal(discord.ui.Modal, title="Revise the scene"):
    notes = discord.ui.TextInput(label="Notes for the rewrite", custom_id="notes", style=discord.TextStyle.paragraph,
                                 max_length=1500)

    def __init__(self, draft_id: int) -> None:
        super().__init__()
        self.draft_id = draft_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        await stream_revision(interaction, self.draft_id, self.notes.value)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await interaction.client.on_app_command_error(interaction, error)


def scene_view(draft_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in ACTIONS:
        view.add_item(SceneButton(action, draft_id))
    return view


async def stream_into(message: discord.Message, work, header: str) -> str:
    """Run ``work(on_text)`` off the loop, editing ``message`` with the growing text at most once a second."""
    latest, shown = {"text": ""}, {"text": ""}
    task = asyncio.ensure_future(off_loop(work, lambda text: latest.__setitem__("text", text)))

    async def show_draft():
        text = latest["text"]
        if text and text != shown["text"]:
            shown["text"] = text
            await message.edit(content=f"{header}\n```\n{text[-1800:]}\n```", allowed_mentions=NO_MENTIONS)

    return await await_with_updates(task, show_draft)


async def show_scene(message: discord.Message, header: str, text: str, draft_id: int) -> None:
    body = f"{header}\n```\n{text}\n```"
    if len(body) <= 2000:
        await message.edit(content=body, view=scene_view(draft_id), allowed_mentions=NO_MENTIONS)
    else:
        await message.edit(content=f"{header} (full scene attached)", view=scene_view(draft_id),
                           attachments=[discord.File(io.BytesIO(text.encode()), filename="scene.fountain")],
                           allowed_mentions=NO_MENTIONS)


async def stream_revision(interaction: discord.Interaction, draft_id: int, notes: str) -> None:
    room = interaction.client.room
    draft = await off_loop(room.workflow.draft, draft_id)
    message = await interaction.channel.send("Revising…", allowed_mentions=NO_MENTIONS)
    try:
        text = await stream_into(message, lambda cb: room.revise_scene(draft.project_id, draft.text, notes, cb),
                                 "Revising…")
    except CanonError as exc:
        await message.edit(content=f"Revision failed: {exc}")
        return
    await off_loop(room.workflow.update_draft, draft_id, status="discarded")  # the old take is superseded
    new_id = await off_loop(room.workflow.save_draft, draft.project_id, "scene", draft.brief, draft.episode,
                            who(interaction.user), text)
    await show_scene(message, f"**Revised draft** ({notes[:80]})", text, new_id)


class Scenes(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    @app_commands.command(name="scene", description="Draft a micro-drama scene in Fountain, in a new thread")
    @app_commands.describe(brief="What happens", characters="Comma-separated names from canon",
                           episode="Episode number")
    @MODEL_COOLDOWN
    async def scene(self, interaction: discord.Interaction, brief: app_commands.Range[str, 1, 1000],
                    characters: str | None = None,
                    episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        project = await channel_project(self.room, interaction)
        if not self.room.writer.model.configured:
            raise CanonError("No chat model is configured, so the bot cannot draft scenes yet: set "
                             "CLIFFHANGER_MODEL and OPENAI_API_KEY (or OPENAI_BASE_URL).")
        await interaction.response.defer(thinking=True)
        names = [c.strip() for c in (characters or "").split(",") if c.strip()]
        where = interaction.channel
        if isinstance(where, discord.TextChannel):
            where = await where.create_thread(name=f"Scene: {brief}"[:90], type=discord.ChannelType.public_thread)
        message = await where.send("Drafting…", allowed_mentions=NO_MENTIONS)
        await interaction.followup.send(f"Drafting in {where.mention}.", allowed_mentions=NO_MENTIONS)
        try:
            text, _ctx = await stream_into(
                message, lambda cb: self.room.write_scene(project.id, brief, names, episode, cb), "Drafting…")
        except CanonError as exc:
            await message.edit(content=f"Could not draft the scene: {exc}")
            return
        draft_id = await off_loop(self.room.workflow.save_draft, project.id, "scene", brief, episode,
                                  who(interaction.user), text)
        await show_scene(message, f"**Draft** · {brief[:100]}", text, draft_id)


async def setup(bot) -> None:
    bot.add_dynamic_items(SceneButton)
    await bot.add_cog(Scenes(bot))
