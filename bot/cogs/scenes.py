"""/scene: draft a scene in its own thread, streamed, with persistent Accept/Revise/Continue/Discard."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from ..i18n import say
from ..canon.errors import CanonError
from ..discord_limits import CONTENT, Upload
from ..i18n import Messages, N_
from ..room import CONTINUE_NOTES
from ..ui import NO_MENTIONS, RepliesOnError, acknowledge, await_with_updates, code_block, reply
from .guild_room import channel_project, is_editor, require_same_server, who, work_thread
from .model_calls import MODEL_COOLDOWN, model_limit, off_model
from .reply_language import messages_for, project_messages
from .work import off_loop

ACTIONS = {"accept": (N_("Accept into canon"), discord.ButtonStyle.success),
           "revise": (N_("Revise"), discord.ButtonStyle.primary),
           "continue": (N_("Continue"), discord.ButtonStyle.secondary),
           "discard": (N_("Discard"), discord.ButtonStyle.danger)}


class SceneButton(RepliesOnError, discord.ui.DynamicItem[discord.ui.Button],
                  template=r"cliff:scene:(?P<action>accept|revise|continue|discard):(?P<id>\d+)"):
    """Who may press which is the room's rule (``WritersRoom.draft_for``): accept is for editors;
    revise, continue and discard for the scene's author and editors. Revise and Continue call the
    model, so they count against the same per-user cooldown as the model commands."""

    def __init__(self, action: str, draft_id: int, _: Messages | None = None) -> None:
        label, style = ACTIONS[action]
        super().__init__(discord.ui.Button(label=_(label) if _ else label, style=style, custom_id=f"cliff:scene:{action}:{draft_id}"))
        self.action, self.draft_id = action, draft_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(match["action"], int(match["id"]))

    async def run(self, interaction: discord.Interaction) -> None:
        if self.action == "revise":  # the form first; who may revise is checked when it is sent
            # the form must be the first answer: in the user's Discord language, with no lookup before it
            await interaction.response.send_modal(ReviseModal(self.draft_id, messages_for(interaction)))
            return
        if self.action == "continue":
            model_limit(interaction).peek(interaction)  # counted when the model is called (off_model)
        await acknowledge(interaction)
        room = interaction.client.room
        draft = await off_loop(room.workflow.draft, self.draft_id)
        project = await off_loop(room.project, draft.project_id)
        require_same_server(interaction, project)
        _ = project_messages(interaction, project)
        by, editor = who(interaction.user), is_editor(interaction.user, project)
        if self.action == "accept":
            entry = await off_loop(room.accept_draft, draft.id, by, editor)
            await interaction.edit_original_response(view=None)
            await interaction.followup.send(_("Accepted into canon as **{name}** (`{id}`).", name=entry.name,
                                              id=entry.id), allowed_mentions=NO_MENTIONS)
        elif self.action == "discard":
            await off_loop(room.discard_draft, draft.id, by, editor)
            await interaction.edit_original_response(view=None)
            await interaction.followup.send(_("Draft discarded."))
        else:
            await off_loop(room.draft_for, draft.id, "continue", by, editor)
            await stream_revision(interaction, draft.id, CONTINUE_NOTES)


class ReviseModal(discord.ui.Modal):
    def __init__(self, draft_id: int, _: Messages) -> None:
        super().__init__(title=_("Revise the scene"))
        self.notes = discord.ui.TextInput(label=_("Notes for the rewrite"), custom_id="notes",
                                          style=discord.TextStyle.paragraph, max_length=1500)
        self.add_item(self.notes)
        self.draft_id = draft_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        model_limit(interaction).peek(interaction)  # counted when the model is called (off_model)
        await interaction.response.defer()  # no "thinking…": the new take appears as a message of its own
        await stream_revision(interaction, self.draft_id, self.notes.value)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await interaction.client.on_app_command_error(interaction, error)


def scene_view(draft_id: int, _: Messages) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in ACTIONS:
        view.add_item(SceneButton(action, draft_id, _))
    return view


async def stream_into(interaction: discord.Interaction, message: discord.Message, work, header: str):
    """Run ``work(on_text)`` on the model executor, editing ``message`` with the growing text at most once a second."""
    latest, shown = {"text": ""}, {"text": ""}
    task = asyncio.ensure_future(off_model(interaction, work, lambda text: latest.__setitem__("text", text)))

    async def show_draft():
        text = latest["text"]
        if text and text != shown["text"]:
            shown["text"] = text
            await message.edit(content=f"{header}\n{code_block(text[-1800:])}", allowed_mentions=NO_MENTIONS)

    return await await_with_updates(task, show_draft)


async def show_scene(message: discord.Message, header: str, text: str, draft_id: int, _: Messages) -> None:
    body = f"{header}\n{code_block(text)}"
    if len(body) <= CONTENT:
        await message.edit(content=body, view=scene_view(draft_id, _), allowed_mentions=NO_MENTIONS)
    else:
        await message.edit(content=f"{header[:1900]} " + _("(full scene attached)"), view=scene_view(draft_id, _),
                           attachments=[Upload("scene.fountain", text.encode()).file()], allowed_mentions=NO_MENTIONS)


async def stream_revision(interaction: discord.Interaction, draft_id: int, notes: str) -> None:
    """A new take in a new message; the room checks again that this person may revise this draft."""
    room = interaction.client.room
    draft = await off_loop(room.workflow.draft, draft_id)
    project = await off_loop(room.project, draft.project_id)
    require_same_server(interaction, project)
    _ = project_messages(interaction, project)
    by, editor = who(interaction.user), is_editor(interaction.user, project)
    await off_loop(room.draft_for, draft.id, "revise", by, editor)  # before a message says "Revising…"
    message = await interaction.channel.send(_("Revising…"), allowed_mentions=NO_MENTIONS)
    try:
        new_id, text = await stream_into(
            interaction, message, lambda cb: room.revise_draft(draft_id, notes, by, editor, cb), _("Revising…"))
    except CanonError as exc:
        await message.edit(content=_("Revision failed: {error}", error=say(exc, _.locale)))
        return
    await show_scene(message, "**" + _("Revised draft") + "** " + _("({note})", note=notes[:80]), text, new_id, _)


class Scenes(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    @app_commands.command(name="scene", description="Draft a micro-drama scene in Fountain, in a new thread")
    @app_commands.describe(brief="What happens", characters="Comma-separated names from canon",
                           episode="Episode number")
    @MODEL_COOLDOWN
    async def scene(self, interaction: discord.Interaction, brief: app_commands.Range[str, 1, 1000],
                    characters: app_commands.Range[str, 1, 500] | None = None,
                    episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        if not self.room.writer.model.configured:
            raise CanonError(N_("No chat model is configured, so the bot cannot draft scenes yet: set "
                                "CLIFFHANGER_MODEL and OPENAI_API_KEY (or OPENAI_BASE_URL)."))
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        _ = project_messages(interaction, project)
        names = await off_loop(self.room.scene_characters, project.id, (characters or "").split(","))
        where = await work_thread(interaction, _("Scene: {brief}", brief=brief))
        message = await where.send(_("Drafting…"), allowed_mentions=NO_MENTIONS)
        await reply(interaction, _("Drafting in {thread}.", thread=where.mention))
        try:
            text, _ctx = await stream_into(interaction, message, lambda cb: self.room.write_scene(
                project.id, brief, names, episode, cb), _("Drafting…"))
        except CanonError as exc:
            await message.edit(content=_("Could not draft the scene: {error}", error=say(exc, _.locale)))
            return
        draft_id = await off_loop(self.room.workflow.save_draft, project.id, "scene", brief, episode,
                                  who(interaction.user), text)
        await show_scene(message, "**" + _("Draft") + f"** · {brief[:100]}", text, draft_id, _)


async def setup(bot) -> None:
    bot.add_dynamic_items(SceneButton)
    await bot.add_cog(Scenes(bot))
