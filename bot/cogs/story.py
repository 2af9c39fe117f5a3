"""/knows and /secret: the who-knows-what ledger from Discord.

Editors change the ledger directly; anyone else's change becomes a proposal with the same
Approve/Reject buttons canon proposals use (only editors can press them, and they survive restarts)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..canon.errors import NotFound
from ..i18n import Messages, N_, say
from ..story.ledger import UnknownSecret
from ..discord_limits import cut
from ..ui import acknowledge, reply, send_long
from .canon import proposal_view
from .slash_names import slash_command
from .guild_room import channel_project, is_editor, who
from .reply_language import project_messages
from .work import off_loop

EPISODE = app_commands.Range[int, 0, 100000]


def render_knows(report, _: Messages) -> str:
    when = (_("as of episode {episode}", episode=report.as_of) if report.as_of is not None
            else _("by the end of the story"))
    lines = [_("**{name}**, {when}:", name=report.character.name, when=when)]
    if report.knows:
        lines.append(_("Knows:"))
        for s, k in report.knows:
            said = _("{secret}, since episode {episode}", secret=_("{name} (`{id}`)", name=s.name, id=s.resolved_id()),
                     episode=k.episode)
            lines.append("• " + (_("{said}, {source}", said=said, source=k.source) if k.source else said)
                         + _secret_text(s))
    else:
        lines.append(_("Knows none of the ledger's secrets."))
    if report.not_yet:
        lines.append(_("Does not know yet:"))
        lines += ["• " + _("{name} (`{id}`)", name=s.name, id=s.resolved_id()) + _secret_text(s)
                  for s in report.not_yet]
    return "\n".join(lines)


def _secret_text(secret) -> str:
    """What is true, under the secret's name (a name alone says little)."""
    return f"\n  > {cut(secret.text, 300)}" if secret.text else ""


def render_secrets(rows, _: Messages) -> str:
    if not rows:
        return _("The ledger has no secrets yet: add one with `{command}`.", command=slash_command(_, "secret", "add"))
    out = []
    for r in rows:
        knowers = _.join([_("{name} (ep {episode})", name=c.name, episode=k.episode) for c, k in r.knowers])
        not_true = "" if r.true_yet else " — " + _("not true yet")
        text = f"\n> {cut(r.secret.text, 500)}" if r.secret.text else ""
        out.append(_("**{name}** (`{id}`)", name=r.secret.name, id=r.secret.resolved_id()) + not_true + text + "\n"
                   + _("known by: {people}", people=knowers or _("nobody yet")))
    return "\n\n".join(out)


class Story(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.room = bot.room

    async def _change(self, interaction: discord.Interaction, action: str, payload: dict, summary: str,
                      **values) -> None:
        """``summary`` is a catalog message (N_) filled with ``values`` in the reply's language."""
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        _ = project_messages(interaction, project)
        quoted = f"\n>>> {cut(payload['text'], 1500)}" if payload.get("text") else ""  # a secret's text, as written
        try:
            if is_editor(interaction.user, project):
                done = say(await off_loop(self.room.story_change, project.id, action, payload, who(interaction.user)),
                           _.locale)
                await reply(interaction, done[:1].upper() + done[1:] + quoted)
                return
            proposal = await off_loop(self.room.propose_change, project.id, action, payload, who(interaction.user))
        except UnknownSecret as exc:  # the core names no surface: here the secrets are listed by a slash command
            raise NotFound("{error} (see `{command}`){known}", error=exc.phrase, known=exc.known,
                           command=slash_command(_, "secret", "list")) from None
        await reply(interaction, _("**Proposal #{id}** by {name}: {summary}", id=str(proposal.id),
                                   name=interaction.user.display_name, summary=_(summary, **values)) + quoted,
                    view=proposal_view(proposal.id, _))

    @app_commands.command(name="knows", description="What a character knows as of an episode, and what not yet")
    @app_commands.describe(character="Name, alias or id", as_of_episode="The episode (default: the end)")
    async def knows(self, interaction: discord.Interaction, character: str,
                    as_of_episode: EPISODE | None = None) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        report = await off_loop(self.room.knows, project.id, character, as_of_episode)
        await reply(interaction, render_knows(report, project_messages(interaction, project)), filename="knows.txt",
                    max_messages=1)

    secret = app_commands.Group(name="secret",
                                  description=app_commands.locale_str("The who-knows-what ledger"))

    @secret.command(name="add", description="Add a secret (non-editors propose it)")
    @app_commands.describe(name="A short name", terms="Comma-separated words that reveal it",
                           text="What is true", true_from="Episode it becomes true (default: before the series)")
    async def secret_add(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 200],
                         terms: str | None = None, text: app_commands.Range[str, 0, 2000] | None = None,
                         true_from: EPISODE | None = None) -> None:
        payload = {"name": name, "text": text or "", "true_from": true_from,
                   "terms": [t.strip() for t in (terms or "").split(",") if t.strip()]}
        await self._change(interaction, "secret_add", payload, N_("add secret **{name}**"), name=name)

    @secret.command(name="learn", description="Record who learns a secret in which episode (non-editors propose it)")
    @app_commands.describe(secret="The secret's id or name", character="Who learns it", episode="When",
                           source="From whom, or how")
    async def secret_learn(self, interaction: discord.Interaction, secret: str, character: str, episode: EPISODE,
                           source: app_commands.Range[str, 0, 200] | None = None) -> None:
        payload = {"secret": secret, "character": character, "episode": episode, "source": source or ""}
        await self._change(interaction, "secret_learn", payload, N_("**{character}** learns `{secret}` in episode {episode}"),
                           character=character, secret=secret, episode=episode)

    @secret.command(name="remove", description="Remove a wrong ledger row, as a check cites it (non-editors propose it)")
    @app_commands.describe(row="secret:ID, knows:SECRET/CHARACTER or state:CHARACTER/ASPECT/OTHER/EPISODE")
    async def secret_remove(self, interaction: discord.Interaction, row: app_commands.Range[str, 1, 400]) -> None:
        await self._change(interaction, "ledger_remove", {"row": row}, N_("remove ledger row `{row}`"), row=row)

    @secret.command(name="list", description="Each secret and who knows it")
    @app_commands.describe(as_of_episode="Who knows as of this episode (default: the end)")
    async def secret_list(self, interaction: discord.Interaction, as_of_episode: EPISODE | None = None) -> None:
        await acknowledge(interaction)
        project = await channel_project(self.room, interaction)
        rows = await off_loop(self.room.secrets, project.id, as_of_episode)
        await send_long(interaction, render_secrets(rows, project_messages(interaction, project)))


async def setup(bot) -> None:
    await bot.add_cog(Story(bot))
