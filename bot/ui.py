"""How the bot answers on Discord: acknowledge first, then replies that fit Discord's limits (cut, split or
attached, through bot/discord_limits.py), errors that stay private, and the confirm view."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import discord

from .i18n import Messages, N_, say
from .i18n import messages as catalog
from .discord_limits import CONTENT, Upload, batches, cut, fit_embed, fit_files, split_text, upload_limit

NO_MENTIONS = discord.AllowedMentions.none()
MISSING = discord.utils.MISSING


def code_block(text: str) -> str:
    """``text`` in a Discord code block it cannot close: a ``` inside (from the model, or a canon entry it
    echoes) would end the block and let the rest render as Markdown, masked links and all."""
    return "```\n" + text.replace("```", "`\u200b``") + "\n```"


async def await_with_updates(task: asyncio.Future, update: Callable[[], Awaitable[None]], every: float = 1.0):
    """Await ``task``, calling ``update`` (a message edit) at most once every ``every`` seconds while it
    runs: Discord rate-limits edits, and a writer wants to see progress on long work."""
    last = time.monotonic()
    while not task.done():
        await asyncio.wait([task], timeout=every)
        if not task.done() and time.monotonic() - last >= every:
            last = time.monotonic()
            await update()
    return task.result()


TOKEN_LIFETIME = 15 * 60.0  # seconds an interaction's token can edit and follow up
TOKEN_MARGIN = 60.0  # stop using it this long before it expires


def received(interaction: discord.Interaction) -> float:
    """When the bot received the interaction (time.monotonic(), a clock of our own, not Discord's timestamps)."""
    return interaction.extras.setdefault("received", time.monotonic())


def token_expiring(started: float) -> bool:
    """True when the token of an interaction received at ``started`` is about to expire: long work then
    reports in the channel."""
    return time.monotonic() - started > TOKEN_LIFETIME - TOKEN_MARGIN


async def acknowledge(interaction: discord.Interaction, *, ephemeral: bool = False) -> None:
    """Answer Discord now ("thinking…", or for a button a silent acknowledgement), before any work that
    touches the database, the index, a download or a model: Discord fails an interaction not answered
    within 3 s of real time. The reply then replaces "thinking…" (``reply``)."""
    received(interaction)
    if interaction.response.is_done():
        return
    if interaction.type == discord.InteractionType.component:
        await interaction.response.defer()
        interaction.extras["deferred"] = "update"
    else:
        await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        interaction.extras["deferred"] = "ephemeral" if ephemeral else "public"


async def reply(interaction: discord.Interaction, content: str = "", *, embed: discord.Embed | None = None,
                files: list[Upload] = (), view: discord.ui.View | None = MISSING, ephemeral: bool = False,
                filename: str = "cliffhanger.txt", max_messages: int = 3, edit: bool = False,
                mentions: discord.AllowedMentions = NO_MENTIONS) -> None:
    """The one way a reply leaves, fitting Discord's limits: text over 2,000 characters is split over a few
    messages or attached as ``filename``; files are downsized or compressed to the server's upload limit
    and spread over messages of 10 files and 25 MiB; the embed is trimmed. The first message answers the
    interaction (replacing "thinking…"; with ``edit``, the message a button is on), later ones follow up;
    past the token's life they go to the channel. ``view`` goes on the last message (None takes a
    message's buttons off; left out, an edited message keeps them)."""
    _ = interaction.extras.get("messages") or catalog("en")  # the reply's language, once a cog chose it
    uploads, left_out = fit_files(list(files), upload_limit(interaction))
    text = content + "".join(f"\n⚠ {say(line, _.locale)}" for line in left_out)
    pieces = split_text(text) if text else [""]
    if len(pieces) > max_messages:
        uploads.insert(0, Upload(filename, text.encode("utf-8")))
        pieces = [cut(pieces[0], 1500) + "\n… " + _(N_("(full text attached)"))]
    groups = batches(uploads) or [[]]
    messages = [(p, []) for p in pieces[:-1]] + [(pieces[-1], groups[0])] + [("", g) for g in groups[1:]]
    for i, (piece, group) in enumerate(messages):
        last = i == len(messages) - 1
        await _send_one(interaction, piece, fit_embed(embed) if embed and i == 0 else None,
                        [u.file() for u in group], view if last else MISSING, ephemeral, edit and i == 0, mentions)


async def _send_one(interaction, content, embed, files, view, ephemeral, edit, mentions) -> None:
    kwargs = {"content": content or None, "allowed_mentions": mentions}
    if embed is not None:
        kwargs["embed"] = embed
    edits = {"attachments": files} if files else {}  # an edit without files keeps the message's own
    if view is not MISSING:
        edits["view"] = view
    sends = {"view": view} if view is not None and view is not MISSING else {}
    if token_expiring(received(interaction)) and interaction.channel is not None:  # the token is gone
        await interaction.channel.send(f"{interaction.user.mention} {content}"[:CONTENT], embed=embed, files=files,
                                       **sends, allowed_mentions=discord.AllowedMentions(users=[interaction.user]))
        return
    if not interaction.response.is_done():
        if edit:
            await interaction.response.edit_message(**kwargs, **edits)
        else:
            await interaction.response.send_message(**kwargs, files=files, **sends, ephemeral=ephemeral)
    elif (edit or interaction.extras.get("deferred") in ("public", "ephemeral")) \
            and not interaction.extras.get("answered"):
        await interaction.edit_original_response(**kwargs, **edits)
    else:
        await interaction.followup.send(**kwargs, files=files, **sends, ephemeral=ephemeral)
    interaction.extras["answered"] = True


async def send_long(interaction: discord.Interaction, text: str, *, filename: str = "cliffhanger.txt",
                    max_messages: int = 3, view: discord.ui.View | None = MISSING, ephemeral: bool = False) -> None:
    """Model output and other long text: split over a few messages, or attached as a file."""
    await reply(interaction, text, filename=filename, max_messages=max_messages, view=view, ephemeral=ephemeral)


async def post(channel: discord.abc.Messageable, content: str = "", *, files: list[Upload] = (),
               view: discord.ui.View | None = None) -> discord.Message | None:
    """A message in a channel or thread (no interaction behind it), fitted like ``reply``; returns the first."""
    uploads, left_out = fit_files(list(files), upload_limit(channel))
    text = content + "".join(f"\n⚠ {line}" for line in left_out)
    first = None
    groups = batches(uploads) or [[]]
    for i, group in enumerate(groups):
        message = await channel.send(cut(text, CONTENT) if i == 0 else None, files=[u.file() for u in group],
                                     view=view if view and i == 0 else discord.utils.MISSING,
                                     allowed_mentions=NO_MENTIONS)
        first = first or message
    return first


async def reply_error(interaction: discord.Interaction, message: str) -> None:
    """A short error reply, seen only by the user who asked, also after a public "thinking…": that
    message is taken down first (the first reply to it would be public whatever its flags say)."""
    message = cut(message, 1900)
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        if interaction.extras.get("deferred") == "public" and not interaction.extras.get("answered"):
            # a reply to "thinking…" would take its public flag: complete it, take it down, then answer privately
            await interaction.edit_original_response(content="…", allowed_mentions=NO_MENTIONS)
            await interaction.delete_original_response()
        elif interaction.extras.get("deferred") == "ephemeral" and not interaction.extras.get("answered"):
            await interaction.edit_original_response(content=message, allowed_mentions=NO_MENTIONS)
            interaction.extras["answered"] = True
            return
        await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
        interaction.extras["answered"] = True
    except discord.HTTPException:
        pass  # nothing more we can tell the user; the log has the details


class RepliesOnError:
    """Mix into a persistent button (a DynamicItem): its callback is ``run``, and an error there gets the
    same short reply as a slash command's (discord.py would only log it and Discord would show
    "interaction failed")."""

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self.run(interaction)
        except Exception as error:  # noqa: BLE001 (the bot's one error handler sorts and logs it)
            await interaction.client.on_app_command_error(interaction, error)

    async def run(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError


class ConfirmView(discord.ui.View):
    """Yes/No buttons for the invoking user only, on the reply to ``owner``; they are taken off when the
    view ends unanswered (a button left on the message would fail when pressed)."""

    def __init__(self, owner: discord.Interaction, _: Messages | None = None, timeout: float = 60) -> None:
        super().__init__(timeout=timeout)
        self.owner, self.user_id = owner, owner.user.id
        self.confirmed: bool | None = None
        self._ = _ or catalog("en")  # the buttons and what they say, in the reply's language
        self.confirm.label, self.cancel.label = self._(N_("Confirm")), self._(N_("Cancel"))

    async def on_timeout(self) -> None:
        try:
            await self.owner.edit_original_response(content=self._(N_("No answer in time: nothing was changed.")),
                                                view=None)
        except discord.HTTPException:
            pass  # the message is gone, or the token expired: nothing left to press

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.user_id:
            await reply_error(interaction, self._(N_("Only the person who asked can confirm this.")))
            return False
        return True

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        self.confirmed = True
        await interaction.response.edit_message(view=None)
        self.stop()

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        self.confirmed = False
        await interaction.response.edit_message(content=self._(N_("Cancelled.")), view=None)
        self.stop()
