"""Where the bot's work runs: bounded threads per kind of work, and per-user cooldowns on the heavy kinds.

asyncio's default pool (6 threads on 2 cores) ran everything: six PDF exports filled it and a one-row
lookup waited 50 s behind them. Each kind now has threads of its own, so none can starve another:
- lookups: reads and one-record writes (an entry, a proposal), short by design, yet a write may wait
  seconds for the records' write lock while an import saves, and a few readers walk every entry;
- first answers: the reads an interaction's first answer cannot come without (autocomplete's choices, the
  entry a form is filled with, the channel's project): one indexed read each, on threads of their own, so
  they never queue behind the lookups (10,000 entries and an import: autocomplete waited 12 s there);
- renders: exports, pictures, the series board; one thread, which also keeps pyplot (not thread-safe)
  on a single thread, with a per-user cooldown so one member cannot queue the whole room's exports;
- model calls: model_calls.py (its own threads and cooldown);
- imports: a whole file parsed, saved and indexed, minutes for a big one, on threads of their own;
- index upkeep after a write: the index manager's own background thread (canon/indexes.py).
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

import discord
from discord import app_commands

LOOKUP_WORKERS = 4
FIRST_ANSWER_WORKERS = 2
RENDER_WORKERS = 1
RENDER_RATE, RENDER_PER = 4, 60.0  # renders and exports per user per minute

LOOKUPS = ThreadPoolExecutor(LOOKUP_WORKERS, thread_name_prefix="cliffhanger-lookup")
FIRST_ANSWERS = ThreadPoolExecutor(FIRST_ANSWER_WORKERS, thread_name_prefix="cliffhanger-first-answer")
RENDERS = ThreadPoolExecutor(RENDER_WORKERS, thread_name_prefix="cliffhanger-render")
IMPORTS = ThreadPoolExecutor(2, thread_name_prefix="cliffhanger-import")


async def run_on(executor: ThreadPoolExecutor, func, *args, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(executor, functools.partial(func, *args, **kwargs))


async def off_loop(func, *args, **kwargs):
    """Run a short blocking lookup or one-record write (database, a single entry) on the lookup threads."""
    return await run_on(LOOKUPS, func, *args, **kwargs)


async def before_answering(func, *args, **kwargs):
    """Run a read that an interaction's first answer waits on (choices, a form's contents, the channel's
    project) on the first-answer threads: an indexed read, never a write or a walk over every entry."""
    return await run_on(FIRST_ANSWERS, func, *args, **kwargs)


class UserCooldown:
    """At most ``rate`` uses per user per ``per`` seconds, for commands and buttons alike."""

    def __init__(self, rate: int, per: float, name: str) -> None:
        self.rate, self.per, self.name = rate, per, name
        self._buckets: dict[int, app_commands.Cooldown] = {}

    def hit(self, interaction: discord.Interaction) -> None:
        """Count one use for the user, or raise CommandOnCooldown (answered "Slow down")."""
        now = interaction.created_at.timestamp()
        for user_id in [u for u, b in self._buckets.items() if now > b._last + b.per]:
            del self._buckets[user_id]
        bucket = self._buckets.setdefault(interaction.user.id, app_commands.Cooldown(self.rate, self.per))
        retry_after = bucket.update_rate_limit(now)
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(bucket, retry_after)
        interaction.extras[self.name] = True

    def peek(self, interaction: discord.Interaction) -> None:
        """Raise CommandOnCooldown if the user has no use left, counting none."""
        bucket = self._buckets.get(interaction.user.id)
        retry_after = bucket.get_retry_after(interaction.created_at.timestamp()) if bucket else 0.0
        if retry_after:
            raise app_commands.CommandOnCooldown(bucket, retry_after)

    def refund(self, interaction: discord.Interaction) -> None:
        """Give back the use ``hit`` counted for this interaction (the work failed on our side)."""
        bucket = self._buckets.get(interaction.user.id)
        if bucket is not None and interaction.extras.pop(self.name, False):
            bucket._tokens = min(bucket.rate, bucket._tokens + 1)


def render_cooldown() -> UserCooldown:
    """One per bot (``bot.render_cooldown``)."""
    return UserCooldown(RENDER_RATE, RENDER_PER, "render_counted")


async def _render_check(interaction: discord.Interaction) -> bool:
    interaction.client.render_cooldown.hit(interaction)
    return True


RENDER_COOLDOWN = app_commands.check(_render_check)  # on every command that renders or exports


async def off_render(func, *args, **kwargs):
    """Run an export or a picture on the render thread."""
    return await run_on(RENDERS, func, *args, **kwargs)
