"""Running the Discord bot: run, sync, invite-url, and the demo project."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from .common import open_room
from .language import _


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # the log's own format, for operators  # noqa


@click.command()
@click.option("--project", "project_name", metavar="NAME",
              help="Name of the sample project to build (default: jade-seal-demo; in Chinese, 雨夜契约示例).")
def demo(project_name):
    """Build a sample micro-drama project from the bundled bible and show canon lookups."""
    from ..demo import run_demo
    from .language import cli_messages

    run_demo(open_room(), project_name, click.echo, cli_messages())


@click.command()
def run():
    """Start the Discord bot (needs DISCORD_TOKEN; see .env.example).

    One bot per data directory: a second one is refused. CLIFFHANGER_SHARDS runs discord.py's
    AutoShardedBot ('auto', 'N', or 'A-B/N' for a shard range per process)."""
    from ..settings import Settings

    settings = Settings()
    if not settings.discord_token:
        click.echo(_("error: DISCORD_TOKEN is not set: copy .env.example to .env and add your bot token"), err=True)
        sys.exit(2)
    import logging

    from ..client import run_bot

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    with discord_errors_said():
        run_bot(settings)


@click.command()
@click.option("--guild", type=int, help="Sync to one server (instant) instead of globally.")
def sync(guild):
    """Register the slash commands with Discord (run after adding or changing commands)."""
    import asyncio

    import discord

    from ..client import create_bot
    from ..settings import Settings

    settings = Settings()
    if not settings.discord_token:
        click.echo(_("error: DISCORD_TOKEN is not set (see .env.example)"), err=True)
        sys.exit(2)
    guild_id = guild or settings.dev_guild_id

    async def go():
        bot = create_bot(settings)
        async with bot:
            await bot.login(settings.discord_token)
            await bot.setup_hook()
            target = discord.Object(id=guild_id) if guild_id else None
            if target:
                bot.tree.copy_global_to(guild=target)
            synced = await bot.tree.sync(guild=target)
            click.echo(_("synced {n} commands to guild {guild}", n=len(synced), guild=str(guild_id)) if guild_id
                       else _("synced {n} commands globally", n=len(synced)))

    with discord_errors_said():
        asyncio.run(go())


@contextmanager
def discord_errors_said():
    """Discord out of reach (no network, a firewall) or a refused token is a sentence, not a traceback:
    behind the Great Firewall it is the first thing a room meets."""
    import aiohttp
    import discord

    try:
        yield
    except discord.LoginFailure:
        click.echo(_("error: Discord refused the token: check DISCORD_TOKEN (the bot's token from the Developer "
                     "Portal, not a client secret)"), err=True)
        sys.exit(1)
    except (aiohttp.ClientConnectionError, TimeoutError) as exc:
        click.echo(_("error: cannot reach Discord ({reason}): check the network, or set "
                     "CLIFFHANGER_DISCORD_PROXY where a proxy is needed", reason=str(exc) or type(exc).__name__), err=True)
        sys.exit(1)


@click.command("invite-url")
@click.argument("application_id", type=int, required=False)
def invite_url_cmd(application_id):
    """Print the OAuth2 URL that invites the bot with exactly the permissions it needs."""
    from ..client import invite_url
    from ..settings import Settings

    application_id = application_id or Settings().discord_application_id
    if not application_id:
        click.echo(_("error: give APPLICATION_ID or set DISCORD_APPLICATION_ID (Developer Portal > General "
                     "Information)"), err=True)
        sys.exit(2)
    click.echo(invite_url(application_id))


COMMANDS = [run, sync, invite_url_cmd, demo]
