"""How Discord starts model work: a per-user cooldown shared by commands and buttons, and a bounded
executor of its own, so a few slow model calls never starve the database lookups and autocomplete
that run on asyncio's default thread pool (6 threads on a 2-core machine)."""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

import discord
from discord import app_commands

from ..writing.errors import ModelNotConfigured, WritingError

RATE, PER = 3, 30.0  # model calls per user per 30 s, whether by command or by button


class ModelLimit:
    """The per-user model cooldown and the executor model calls run on; one per bot."""

    def __init__(self, workers: int) -> None:
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cliffhanger-model")
        self._buckets: dict[int, app_commands.Cooldown] = {}

    def hit(self, interaction: discord.Interaction) -> None:
        """Count one model call for the user, or raise CommandOnCooldown (answered "Slow down")."""
        now = interaction.created_at.timestamp()
        for user_id in [u for u, b in self._buckets.items() if now > b._last + b.per]:
            del self._buckets[user_id]
        bucket = self._buckets.setdefault(interaction.user.id, app_commands.Cooldown(RATE, PER))
        retry_after = bucket.update_rate_limit(now)
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(bucket, retry_after)
        interaction.extras["model_call_counted"] = True

    def refund(self, interaction: discord.Interaction) -> None:
        """Give back the call ``hit`` counted for this interaction: the model failed (timeout, 429, 5xx,
        an unusable or cut reply), so the user got nothing for it and may try again at once."""
        bucket = self._buckets.get(interaction.user.id)
        if bucket is not None and interaction.extras.pop("model_call_counted", False):
            bucket._tokens = min(bucket.rate, bucket._tokens + 1)

    async def run(self, func, *args, **kwargs):
        """Run blocking model work (with the retrieval it needs) on the model executor."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(func, *args, **kwargs))

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def model_limit(interaction: discord.Interaction) -> ModelLimit:
    return interaction.client.model_limit


async def model_limit_check(interaction: discord.Interaction) -> bool:
    model_limit(interaction).hit(interaction)
    return True


MODEL_COOLDOWN = app_commands.check(model_limit_check)  # on every command that calls the model


async def off_model(interaction: discord.Interaction, func, *args, **kwargs):
    """Run model work on the model executor; when the model fails, the call does not count to the cooldown."""
    limit = model_limit(interaction)
    try:
        return await limit.run(func, *args, **kwargs)
    except WritingError as exc:
        if not isinstance(exc, ModelNotConfigured):
            limit.refund(interaction)
        raise
