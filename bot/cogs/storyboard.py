"""/storyboard scene|file|entry: a shot list for vertical 9:16, drawn in its own thread with progress,
then posted as a summary, the contact sheet (PNG inline, PDF), the shot list files and any generated frames."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from ..i18n import say
from ..canon.errors import CanonError, InvalidInput
from ..canon.importers import decode_text
from ..discord_limits import Upload, batches, fit_files, upload_limit
from ..production.scene import MAX_SCENE_CHARS
from ..i18n import Messages, N_
from ..ui import NO_MENTIONS, acknowledge, await_with_updates, post, reply
from .canon import entry_choices
from .guild_room import channel_project, work_thread
from .model_calls import MODEL_COOLDOWN, off_model
from .reply_language import messages_for, project_messages
from .work import RENDER_COOLDOWN


def summary(board, _: Messages) -> str:
    seconds, runtime = f"{board.seconds:g}", f"{board.runtime:g}"
    ep = " · " + _("episode {episode}", episode=board.scene.episode) if board.scene.episode is not None else ""
    lines = ["**" + _("Storyboard") + "** · " + _("{what}: {said}", what=f"{board.scene.heading or board.scene.source}{ep}",
                                                 said=_.plural("{n} shot", "{n} shots", len(board.shots)) + _(", ")
               + _("{seconds} s (scene estimated at {runtime} s), frames: {source}", seconds=seconds,
                 runtime=runtime, source=board.image_source))]
    for s in board.shots:
        line = f"`{s.number:>2}` {s.seconds:g}s {s.size.value}/{s.angle.value}/{s.movement.value} {s.action}"
        if s.dialogue:
            line += f" — “{s.dialogue}”"
        lines.append(line[:180])
    text = "\n".join(lines)
    return text if len(text) <= 1900 else text[:1880] + "\n… " + _("(all shots in storyboard.md)")


async def post_board(where, message: discord.Message, board, _: Messages) -> None:
    """The summary and the sheets on the progress message, then the frames, all within the server's upload
    limit (images downsized, the rest compressed) and Discord's 10 files and 25 MiB per message."""
    sheets = [Upload.of(board.out_dir / name) for name in ("contact.png", "contact.pdf", "storyboard.md",
                                                           "storyboard.json")]
    sheets, left_out = fit_files(sheets, upload_limit(where))
    first, *rest = batches(sheets) or [[]]
    text = summary(board, _) + "".join(f"\n⚠ {say(line, _.locale)}" for line in left_out)
    await message.edit(content=text[:2000], attachments=[u.file() for u in first], allowed_mentions=NO_MENTIONS)
    for group in rest:
        await post(where, files=group)
    if board.image_source != "placeholder":
        await post(where, _("Frames 1-{n}", n=len(board.frames)), files=[Upload.of(f) for f in board.frames])


class Storyboard(commands.Cog):
    group = app_commands.Group(name="storyboard",
                               description=app_commands.locale_str("Storyboard a scene as a 9:16 shot list with frames"))

    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    def _model_ready(self) -> None:
        if not self.room.writer.model.configured:
            raise CanonError(N_("No chat model is configured, so the bot cannot storyboard yet: set CLIFFHANGER_MODEL "
                                "and OPENAI_API_KEY (or OPENAI_BASE_URL). CLIFFHANGER_IMAGE_MODEL adds generated frames."))

    async def _run(self, interaction: discord.Interaction, title: str, episode: int | None, **source) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        _ = project_messages(interaction, project)
        if "label" in source:  # the scene's name in the sheets: "the scene" (marked N_) in the reply's language
            source["label"] = _(source["label"])
        where = await work_thread(interaction, _("Storyboard: {title}", title=title))
        reading = _("Reading the scene…")
        message = await where.send(reading, allowed_mentions=NO_MENTIONS)
        await reply(interaction, _("Storyboarding in {thread}.", thread=where.mention))
        state = {"now": reading, "shown": reading}
        task = off_model(interaction, self.room.storyboard, project.id, episode=episode,
                        on_progress=lambda text: state.__setitem__("now", say(text, _.locale)), **source)

        async def show_progress():
            if state["now"] != state["shown"]:
                state["shown"] = state["now"]
                await message.edit(content=state["now"])

        try:
            board = await await_with_updates(asyncio.ensure_future(task), show_progress)
        except CanonError as exc:
            await message.edit(content=_("Could not storyboard the scene: {error}", error=say(exc, _.locale)))
            return
        await post_board(where, message, board, _)

    @group.command(name="scene", description="Storyboard a scene given as Fountain text")
    @app_commands.describe(text="The scene in Fountain (heading, action, CHARACTER cue and line)",
                           episode="The scene's episode: later canon is left out")
    @MODEL_COOLDOWN
    @RENDER_COOLDOWN
    async def scene(self, interaction: discord.Interaction, text: app_commands.Range[str, 1, 6000],
                    episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        self._model_ready()
        await self._run(interaction, text.strip().splitlines()[0][:60] if text.strip() else "scene", episode,
                        scene_text=text, label=N_("the scene"))

    @group.command(name="file", description="Storyboard a scene from a .fountain or .txt file")
    @app_commands.describe(file="One scene in Fountain", episode="The scene's episode: later canon is left out")
    @MODEL_COOLDOWN
    @RENDER_COOLDOWN
    async def file(self, interaction: discord.Interaction, file: discord.Attachment,
                   episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        self._model_ready()
        if file.size > MAX_SCENE_CHARS * 4:
            _ = messages_for(interaction)  # refused before any lookup: the user's Discord language
            raise InvalidInput(_("{file} is too large for one scene", file=file.filename))
        await acknowledge(interaction)  # before the download
        text = decode_text(await file.read(), file.filename)
        await self._run(interaction, file.filename, episode, scene_text=text, label=file.filename)

    @group.command(name="entry", description="Storyboard a scene already in canon")
    @app_commands.describe(name="The scene entry", episode="Override the scene's episode")
    @MODEL_COOLDOWN
    @RENDER_COOLDOWN
    async def entry(self, interaction: discord.Interaction, name: str,
                    episode: app_commands.Range[int, 0, 100000] | None = None) -> None:
        self._model_ready()
        await self._run(interaction, name, episode, entry=name)

    @entry.autocomplete("name")
    async def _scene_names(self, interaction: discord.Interaction, current: str):
        try:
            project = await channel_project(self.room, interaction)
        except CanonError:
            return []
        as_of_episode = getattr(interaction.namespace, "episode", None)  # later scenes' names stay out
        return await entry_choices(self.room, project, current, as_of_episode)


async def setup(bot) -> None:
    await bot.add_cog(Storyboard(bot))
