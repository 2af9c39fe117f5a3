"""How Discord starts model work: a per-user cooldown shared by commands and buttons, and a bounded
executor of its own, so a few slow model calls never starve the database lookups and autocomplete
that run on asyncio's default thread pool (6 threads on a 2-core machine)."""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

import discord
from discord import app_commands

from ..writing.errors import WritingError
from ..writing.llm import past_deadline
from .work import UserCooldown

RATE, PER = 3, 30.0  # model calls per user per 30 s, whether by command or by button


class ModelLimit:
    """The per-user model cooldown and the executor model calls run on; one per bot."""

    def __init__(self, workers: int) -> None:
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cliffhanger-model")
        self.cooldown = UserCooldown(RATE, PER, "model_call_counted")

    def hit(self, interaction: discord.Interaction) -> None:
        """Count one model call for the user, or raise CommandOnCooldown (answered "Slow down")."""
        self.cooldown.hit(interaction)

    def charge(self, interaction: discord.Interaction) -> None:
        """Count the model call about to be made, once per interaction; nothing when no model is configured
        (the work is retrieval only, or refused as ModelNotConfigured)."""
        if interaction.client.room.writer.model.configured and not interaction.extras.get(self.cooldown.name):
            self.cooldown.hit(interaction)

    def peek(self, interaction: discord.Interaction) -> None:
        """Raise CommandOnCooldown if the user has no model call left, counting none."""
        self.cooldown.peek(interaction)

    def refund(self, interaction: discord.Interaction) -> None:
        """Give back the call ``hit`` counted for this interaction: the model failed (timeout, 429, 5xx,
        an unusable or cut reply), so the user got nothing for it and may try again at once."""
        self.cooldown.refund(interaction)

    async def run(self, func, *args, **kwargs):
        """Run blocking model work (with the retrieval it needs) on the model executor."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(func, *args, **kwargs))

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def model_limit(interaction: discord.Interaction) -> ModelLimit:
    return interaction.client.model_limit


async def model_limit_check(interaction: discord.Interaction) -> bool:
    model_limit(interaction).peek(interaction)
    return True


# On every command that calls the model: a user with no call left is told before any work; the call itself is
# counted by off_model, once the input has passed its checks.
MODEL_COOLDOWN = app_commands.check(model_limit_check)


async def off_model(interaction: discord.Interaction, func, *args, **kwargs):
    """Run model work on the model executor, within the overall deadline (CLIFFHANGER_MODEL_DEADLINE). The call
    counts to the user's cooldown only when a model is configured, and not when the work fails (the model, or
    the room refusing the input): the user got nothing for it and may try again at once."""
    limit = model_limit(interaction)
    limit.charge(interaction)
    settings = interaction.client.settings
    try:
        try:
            return await asyncio.wait_for(limit.run(func, *args, **kwargs), settings.model_deadline)
        except asyncio.TimeoutError:  # waiting for a worker, retries, a slow model: give up and say so
            raise WritingError(past_deadline(settings)) from None
    except Exception:
        limit.refund(interaction)
        raise
