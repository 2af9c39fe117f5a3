"""Shared Discord UI helpers: message splitting, long output, error replies, confirm view."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Awaitable, Callable

import discord

MESSAGE_LIMIT = 2000
EMBED_DESCRIPTION_LIMIT = 4096
NO_MENTIONS = discord.AllowedMentions.none()


def code_block(text: str) -> str:
    """``text`` in a Discord code block it cannot close: a ``` inside (from the model, or a canon entry it
    echoes) would end the block and let the rest render as Markdown, masked links and all."""
    return "```\n" + text.replace("```", "`\u200b``") + "\n```"


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split on line boundaries into pieces of at most ``limit`` characters (hard-cut only
    lines that are themselves too long)."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current.strip():
        pieces.append(current)
    return [p.rstrip("\n") for p in pieces if p.strip()] or ["(empty)"]


async def send_long(interaction: discord.Interaction, text: str, *, filename: str = "cliffhanger.txt",
                    max_messages: int = 3, view: discord.ui.View | None = None, ephemeral: bool = False) -> None:
    """Follow up with ``text``: split over a few messages, or as a file when longer still.
    Model output is never allowed to mention anyone."""
    pieces = split_message(text)
    if len(pieces) > max_messages:
        file = discord.File(io.BytesIO(text.encode("utf-8")), filename=filename)
        await interaction.followup.send(f"{pieces[0][:1500]}\n… (full text attached)", file=file,
                                        allowed_mentions=NO_MENTIONS, view=view or discord.utils.MISSING,
                                        ephemeral=ephemeral)
        return
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        await interaction.followup.send(piece, allowed_mentions=NO_MENTIONS, ephemeral=ephemeral,
                                        view=view if (last and view) else discord.utils.MISSING)


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


def token_expiring(started: float) -> bool:
    """True when the token of an interaction received at ``started`` (time.monotonic(); a clock of our
    own, not Discord's timestamps) is about to expire: long work then reports in the channel."""
    return time.monotonic() - started > TOKEN_LIFETIME - TOKEN_MARGIN


async def reply_error(interaction: discord.Interaction, message: str) -> None:
    """A short error reply: ephemeral, except after a public defer, where Discord turns the
    first follow-up into the "thinking…" message everyone already sees."""
    message = message[:1900]
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
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
    """Yes/No buttons for the invoking user only."""

    def __init__(self, user_id: int, timeout: float = 60) -> None:
        super().__init__(timeout=timeout)
        self.user_id = user_id
        self.confirmed: bool | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.user_id:
            await reply_error(interaction, "Only the person who asked can confirm this.")
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
        await interaction.response.edit_message(content="Cancelled.", view=None)
        self.stop()
